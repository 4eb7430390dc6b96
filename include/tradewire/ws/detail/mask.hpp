// Implementation of ws/mask.hpp: one XOR kernel per instruction set and the dispatch
// between them. Every kernel takes the key as `pattern`, a 32-bit word whose in-memory
// bytes are the key bytes to apply to p[0], p[1], p[2], p[3] (already rotated for the
// payload offset), so a kernel never needs to know the offset.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__))
#define TRADEWIRE_WS_MASK_X86 1
#include <immintrin.h>
#if defined(__AVX2__)
#define TRADEWIRE_WS_AVX2_TARGET
#else
#define TRADEWIRE_WS_AVX2_TARGET __attribute__((target("avx2")))
#endif
#endif

namespace tradewire::ws::detail {

// Advances a pattern by `n` bytes: the byte that applied to p[n] now applies to p[0].
inline std::uint32_t rotate_pattern(std::uint32_t pattern, std::size_t n) noexcept {
    const int bits = static_cast<int>((n & 3) * 8);
    if constexpr (std::endian::native == std::endian::little) {
        return std::rotr(pattern, bits);
    } else {
        return std::rotl(pattern, bits);
    }
}

// The in-memory pattern for a wire-order key (first key byte in the top 8 bits), starting
// `offset` bytes into the payload.
inline std::uint32_t mask_pattern(std::uint32_t key, std::uint64_t offset) noexcept {
    const unsigned char bytes[4] = {static_cast<unsigned char>(key >> 24), static_cast<unsigned char>(key >> 16),
                                    static_cast<unsigned char>(key >> 8), static_cast<unsigned char>(key)};
    std::uint32_t pattern;
    std::memcpy(&pattern, bytes, 4);
    return rotate_pattern(pattern, static_cast<std::size_t>(offset & 3));
}

inline void mask_bytes(std::uint8_t* p, std::size_t n, std::uint32_t pattern) noexcept {
    unsigned char key[4];
    std::memcpy(key, &pattern, 4);
    for (std::size_t i = 0; i < n; ++i) p[i] ^= key[i & 3];
}

// Portable path: 64-bit words, four per iteration; unaligned loads through memcpy compile
// to plain moves on every mainstream CPU.
inline void mask_words(std::uint8_t* p, std::size_t n, std::uint32_t pattern) noexcept {
    const std::uint64_t key = (static_cast<std::uint64_t>(pattern) << 32) | pattern;
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        std::uint64_t w[4];
        std::memcpy(w, p + i, 32);
        w[0] ^= key;
        w[1] ^= key;
        w[2] ^= key;
        w[3] ^= key;
        std::memcpy(p + i, w, 32);
    }
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        w ^= key;
        std::memcpy(p + i, &w, 8);
    }
    mask_bytes(p + i, n - i, pattern);  // i is a multiple of 4: the pattern is still in phase
}

#if defined(TRADEWIRE_WS_MASK_X86)

// SSE2 is part of x86-64, so this path needs no dispatch.
inline void mask_sse2(std::uint8_t* p, std::size_t n, std::uint32_t pattern) noexcept {
    std::size_t head = static_cast<std::size_t>(-reinterpret_cast<std::uintptr_t>(p)) & 15;
    if (head > n) head = n;
    mask_words(p, head, pattern);
    pattern = rotate_pattern(pattern, head);
    p += head;
    n -= head;
    const __m128i key = _mm_set1_epi32(static_cast<int>(pattern));
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        auto* v = reinterpret_cast<__m128i*>(p + i);
        _mm_store_si128(v + 0, _mm_xor_si128(_mm_load_si128(v + 0), key));
        _mm_store_si128(v + 1, _mm_xor_si128(_mm_load_si128(v + 1), key));
        _mm_store_si128(v + 2, _mm_xor_si128(_mm_load_si128(v + 2), key));
        _mm_store_si128(v + 3, _mm_xor_si128(_mm_load_si128(v + 3), key));
    }
    for (; i + 16 <= n; i += 16) {
        auto* v = reinterpret_cast<__m128i*>(p + i);
        _mm_store_si128(v, _mm_xor_si128(_mm_load_si128(v), key));
    }
    mask_words(p + i, n - i, pattern);
}

TRADEWIRE_WS_AVX2_TARGET inline void mask_avx2(std::uint8_t* p, std::size_t n, std::uint32_t pattern) noexcept {
    // Align the stores (a 32-byte store that splits a cache line costs twice); the
    // unaligned head and tail, under 32 bytes each, go through 8-byte words.
    std::size_t head = static_cast<std::size_t>(-reinterpret_cast<std::uintptr_t>(p)) & 31;
    if (head > n) head = n;
    mask_words(p, head, pattern);
    pattern = rotate_pattern(pattern, head);
    p += head;
    n -= head;
    const __m256i key = _mm256_set1_epi32(static_cast<int>(pattern));
    std::size_t i = 0;
    for (; i + 128 <= n; i += 128) {
        auto* v = reinterpret_cast<__m256i*>(p + i);
        _mm256_store_si256(v + 0, _mm256_xor_si256(_mm256_load_si256(v + 0), key));
        _mm256_store_si256(v + 1, _mm256_xor_si256(_mm256_load_si256(v + 1), key));
        _mm256_store_si256(v + 2, _mm256_xor_si256(_mm256_load_si256(v + 2), key));
        _mm256_store_si256(v + 3, _mm256_xor_si256(_mm256_load_si256(v + 3), key));
    }
    for (; i + 32 <= n; i += 32) {
        auto* v = reinterpret_cast<__m256i*>(p + i);
        _mm256_store_si256(v, _mm256_xor_si256(_mm256_load_si256(v), key));
    }
    mask_words(p + i, n - i, pattern);
}

// Asked once per process; __builtin_cpu_init makes the query safe even before static
// constructors have run.
inline bool cpu_has_avx2() noexcept {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
}

#endif

// Below this size the vector paths' alignment head costs more than it saves.
inline constexpr std::size_t mask_vector_threshold = 64;

inline void mask_dispatch(std::uint8_t* p, std::size_t n, std::uint32_t pattern) noexcept {
#if defined(TRADEWIRE_WS_MASK_X86)
    if (n >= mask_vector_threshold) {
#if defined(__AVX2__)
        mask_avx2(p, n, pattern);
#else
        static const bool has_avx2 = cpu_has_avx2();
        if (has_avx2) {
            mask_avx2(p, n, pattern);
        } else {
            mask_sse2(p, n, pattern);
        }
#endif
        return;
    }
#endif
    mask_words(p, n, pattern);
}

}  // namespace tradewire::ws::detail
