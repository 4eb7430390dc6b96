// Hex (base16) encoding of digests, lower or upper case, and a strict decoder for hex
// text from configuration or the network: it accepts either case but rejects odd
// lengths and any other character (no 0x prefix, no whitespace, no separators).
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tradewire::crypto {

enum class hex_case { lower, upper };

namespace detail {

// Two output characters per byte value, so encoding is one load and one store per byte.
template <bool Upper>
inline constexpr std::array<char, 512> hex_pairs = [] {
    const char* digits = Upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::array<char, 512> t{};
    for (std::size_t i = 0; i < 256; ++i) {
        t[2 * i] = digits[i >> 4];
        t[2 * i + 1] = digits[i & 15];
    }
    return t;
}();

// Nibble value for '0'-'9', 'a'-'f', 'A'-'F'; 0xff for everything else.
inline constexpr std::array<std::uint8_t, 256> hex_values = [] {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 0xff;
    for (std::uint8_t i = 0; i < 10; ++i) t['0' + i] = i;
    for (std::uint8_t i = 0; i < 6; ++i) {
        t['a' + i] = static_cast<std::uint8_t>(10 + i);
        t['A' + i] = static_cast<std::uint8_t>(10 + i);
    }
    return t;
}();

}  // namespace detail

constexpr std::size_t hex_encoded_size(std::size_t n) noexcept {
    return 2 * n;
}
constexpr std::size_t hex_decoded_size(std::size_t n) noexcept {
    return n / 2;
}

// Writes 2 * in.size() characters to out (no terminator); returns that count.
inline std::size_t hex_encode(const_bytes in, char* out, hex_case c = hex_case::lower) noexcept {
    std::size_t i = 0;
#if defined(__SSE2__)
    // Sixteen bytes at a time (SSE2 is part of x86-64): split nibbles, interleave them,
    // then add '0', plus the distance to 'a' or 'A' for nibbles above 9.
    const __m128i mask = _mm_set1_epi8(0x0f);
    const __m128i nine = _mm_set1_epi8(9);
    const __m128i zero_char = _mm_set1_epi8('0');
    const __m128i letter_gap = _mm_set1_epi8(static_cast<char>(c == hex_case::lower ? 'a' - '0' - 10 : 'A' - '0' - 10));
    auto to_ascii = [&](__m128i nibbles) noexcept {
        const __m128i letters = _mm_and_si128(_mm_cmpgt_epi8(nibbles, nine), letter_gap);
        return _mm_add_epi8(_mm_add_epi8(nibbles, zero_char), letters);
    };
    for (; i + 16 <= in.size(); i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in.data() + i));
        const __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), mask);
        const __m128i lo = _mm_and_si128(v, mask);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i), to_ascii(_mm_unpacklo_epi8(hi, lo)));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i + 16), to_ascii(_mm_unpackhi_epi8(hi, lo)));
    }
#endif
    const char* t = c == hex_case::lower ? detail::hex_pairs<false>.data() : detail::hex_pairs<true>.data();
    char* o = out + 2 * i;
    for (const std::uint8_t* p = in.data() + i; p != in.data() + in.size(); ++p, o += 2) {
        std::memcpy(o, t + 2 * std::size_t{*p}, 2);
    }
    return 2 * in.size();
}

inline std::string hex_encode(const_bytes in, hex_case c = hex_case::lower) {
    std::string s(hex_encoded_size(in.size()), '\0');
    hex_encode(in, s.data(), c);
    return s;
}

// Decodes into out, which must hold hex_decoded_size(in.size()) bytes. Returns the bytes
// written and clears ec; on malformed text sets ec and returns 0.
inline std::size_t hex_decode(std::string_view in, std::uint8_t* out, std::error_code& ec) noexcept {
    if (in.size() % 2 != 0) {
        ec = error::odd_hex_length;
        return 0;
    }
    const auto& t = detail::hex_values;
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const std::size_t n = in.size() / 2;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t hi = t[p[2 * i]], lo = t[p[2 * i + 1]];
        if ((hi | lo) & 0x80) {
            ec = error::invalid_hex_character;
            return 0;
        }
        out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    ec.clear();
    return n;
}

// Bounds-checked form: error::buffer_too_small if out is shorter than the result.
inline std::size_t hex_decode(std::string_view in, mutable_bytes out, std::error_code& ec) noexcept {
    if (out.size() < hex_decoded_size(in.size())) {
        ec = error::buffer_too_small;
        return 0;
    }
    return hex_decode(in, out.data(), ec);
}

// Convenience for cold paths (allocates).
inline std::vector<std::uint8_t> hex_decode(std::string_view in, std::error_code& ec) {
    std::vector<std::uint8_t> out(hex_decoded_size(in.size()));
    out.resize(hex_decode(in, out.data(), ec));
    return out;
}

}  // namespace tradewire::crypto
