// SHA-256 compression with the x86 SHA extensions (SHA-NI). The functions carry their
// own target attribute, so this header compiles without -msha; callers must check
// cpu_has_sha_ni() first (sha256::compress does).
//
// SHA256RNDS2 performs two rounds on the state split as ABEF / CDGH (A in the top lane),
// so the state is shuffled into that layout once per call, not once per block, and
// SHA256MSG1/MSG2 extend the message schedule four words at a time.
#pragma once

#include <tradewire/crypto/detail/cpu.hpp>
#include <tradewire/crypto/detail/endian.hpp>
#include <tradewire/crypto/detail/sha256_portable.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(TRADEWIRE_CRYPTO_X86)
#include <immintrin.h>

namespace tradewire::crypto::detail {

#define TRADEWIRE_SHA_NI_TARGET __attribute__((target("sha,sse4.1"), always_inline))

// Four rounds with schedule words w = W[4g .. 4g+3].
TRADEWIRE_SHA_NI_TARGET inline void sha256_x86_rounds4(__m128i& abef, __m128i& cdgh, const __m128i* k,
                                                       __m128i w, int group) noexcept {
    const __m128i wk = _mm_add_epi32(w, _mm_load_si128(k + group));
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));
}

// The next four schedule words from the previous sixteen (w_4 oldest, w_1 newest).
TRADEWIRE_SHA_NI_TARGET inline __m128i sha256_x86_schedule(__m128i w_4, __m128i w_3, __m128i w_2,
                                                           __m128i w_1) noexcept {
    const __m128i x = _mm_add_epi32(_mm_sha256msg1_epu32(w_4, w_3), _mm_alignr_epi8(w_1, w_2, 4));
    return _mm_sha256msg2_epu32(x, w_1);
}

// SHA256RNDS2/MSG1/MSG2 exist only in legacy-SSE encoding. Inlined into AVX code whose
// upper register halves are dirty, every one of them pays an SSE/AVX transition penalty
// (measured here: 50-100x slower), so each entry point clears the upper halves first,
// and so does any point after code the compiler may have widened.
TRADEWIRE_SHA_NI_TARGET inline void sha256_x86_enter() noexcept {
#if defined(__AVX__)
    _mm256_zeroupper();
#endif
}

TRADEWIRE_SHA_NI_TARGET inline __m128i sha256_x86_bswap_mask() noexcept {
    return _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);  // byte-reverse each 32-bit lane
}

// [A B C D] [E F G H]  ->  abef = [F E B A], cdgh = [H G D C] (lane 0 first).
TRADEWIRE_SHA_NI_TARGET inline void sha256_x86_load_state(const std::uint32_t* state, __m128i& abef,
                                                          __m128i& cdgh) noexcept {
    const __m128i t = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xb1);
    const __m128i u = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1b);
    abef = _mm_alignr_epi8(t, u, 8);
    cdgh = _mm_blend_epi16(u, t, 0xf0);
}

// Back to words in order: lo = [A B C D], hi = [E F G H].
TRADEWIRE_SHA_NI_TARGET inline void sha256_x86_unpack_state(__m128i abef, __m128i cdgh, __m128i& lo,
                                                            __m128i& hi) noexcept {
    const __m128i t = _mm_shuffle_epi32(abef, 0x1b);  // [A B E F]
    const __m128i u = _mm_shuffle_epi32(cdgh, 0x1b);  // [C D G H]
    lo = _mm_unpacklo_epi64(t, u);
    hi = _mm_unpackhi_epi64(t, u);
}

// The 64 rounds of one block whose message words are m0..m3 (W[0..15]), plus the feed-forward.
TRADEWIRE_SHA_NI_TARGET inline void sha256_x86_block(__m128i& abef, __m128i& cdgh, __m128i m0, __m128i m1,
                                                     __m128i m2, __m128i m3) noexcept {
    const __m128i* k = reinterpret_cast<const __m128i*>(sha256_k);
    const __m128i abef_in = abef, cdgh_in = cdgh;
    sha256_x86_rounds4(abef, cdgh, k, m0, 0);
    sha256_x86_rounds4(abef, cdgh, k, m1, 1);
    sha256_x86_rounds4(abef, cdgh, k, m2, 2);
    sha256_x86_rounds4(abef, cdgh, k, m3, 3);
    for (int g = 4; g < 16; g += 4) {
        m0 = sha256_x86_schedule(m0, m1, m2, m3);
        sha256_x86_rounds4(abef, cdgh, k, m0, g);
        m1 = sha256_x86_schedule(m1, m2, m3, m0);
        sha256_x86_rounds4(abef, cdgh, k, m1, g + 1);
        m2 = sha256_x86_schedule(m2, m3, m0, m1);
        sha256_x86_rounds4(abef, cdgh, k, m2, g + 2);
        m3 = sha256_x86_schedule(m3, m0, m1, m2);
        sha256_x86_rounds4(abef, cdgh, k, m3, g + 3);
    }
    abef = _mm_add_epi32(abef, abef_in);
    cdgh = _mm_add_epi32(cdgh, cdgh_in);
}

TRADEWIRE_SHA_NI_TARGET inline void sha256_x86_blocks(__m128i& abef, __m128i& cdgh, const std::uint8_t* p,
                                                      std::size_t blocks) noexcept {
    const __m128i bswap = sha256_x86_bswap_mask();
    for (; blocks != 0; --blocks, p += 64) {
        sha256_x86_block(abef, cdgh,
                         _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), bswap),
                         _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)), bswap),
                         _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32)), bswap),
                         _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48)), bswap));
    }
}

#undef TRADEWIRE_SHA_NI_TARGET

__attribute__((target("sha,sse4.1"))) inline void sha256_compress_shani(std::uint32_t* state,
                                                                        const std::uint8_t* p,
                                                                        std::size_t blocks) noexcept {
    sha256_x86_enter();
    __m128i abef, cdgh, lo, hi;
    sha256_x86_load_state(state, abef, cdgh);
    sha256_x86_blocks(abef, cdgh, p, blocks);
    sha256_x86_unpack_state(abef, cdgh, lo, hi);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), lo);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), hi);
}

// Whole HMAC-SHA256 of msg[0 .. len) from the precomputed key states, keeping the chaining
// state in registers from the first message block to the digest: the inner digest becomes
// the outer block's message words by shuffles, with no trip through memory.
__attribute__((target("sha,sse4.1"))) inline void sha256_hmac_shani(const std::uint32_t* inner_key,
                                                                    const std::uint32_t* outer_key,
                                                                    const std::uint8_t* msg, std::size_t len,
                                                                    std::uint8_t* out) noexcept {
    __m128i abef, cdgh, oabef, ocdgh;
    const std::size_t whole = len / 64;
    const std::size_t rest = len - whole * 64;
    const std::size_t tail_blocks = rest < 56 ? 1 : 2;

    // The padded tail is built first. Its vector loads below cannot be forwarded from
    // these narrower stores, so they wait until the stores commit; stores older than the
    // rounds commit at once, while stores after them would wait for all the rounds.
    //
    // buf = [64 bytes that end where the message ends][zeros]: with at least one whole
    // block before the tail, a fixed 64-byte copy (no memcpy call) places the tail right
    // before offset 64, and the padded tail starts at 64 - rest.
    alignas(16) std::uint8_t buf[192];
    const __m128i zero = _mm_setzero_si128();
    for (std::size_t i = 64; i < sizeof buf; i += 16)
        _mm_store_si128(reinterpret_cast<__m128i*>(buf + i), zero);
    if (whole != 0) {
        for (std::size_t i = 0; i < 64; i += 16) {
            _mm_store_si128(reinterpret_cast<__m128i*>(buf + i),
                            _mm_loadu_si128(reinterpret_cast<const __m128i*>(msg + len - 64 + i)));
        }
    } else if (rest != 0) {
        std::memcpy(buf + 64 - rest, msg, rest);
    }
    const std::uint8_t* tail = buf + 64 - rest;
    buf[64] = 0x80;
    store_be64(buf + 64 - rest + tail_blocks * 64 - 8, (std::uint64_t{64} + len) << 3);

    // The compiler may have merged the stores above into 256/512-bit ones: clean up before
    // the first legacy-SSE SHA instruction.
    sha256_x86_enter();
    sha256_x86_load_state(inner_key, abef, cdgh);
    sha256_x86_blocks(abef, cdgh, msg, whole);
    sha256_x86_blocks(abef, cdgh, tail, tail_blocks);

    // Outer block: W[0..7] = inner digest, W[8] = 0x80000000, W[9..14] = 0, W[15] = 768 bits.
    __m128i m0, m1;
    sha256_x86_unpack_state(abef, cdgh, m0, m1);
    sha256_x86_load_state(outer_key, oabef, ocdgh);
    sha256_x86_block(oabef, ocdgh, m0, m1, _mm_set_epi32(0, 0, 0, static_cast<int>(0x80000000u)),
                     _mm_set_epi32(768, 0, 0, 0));
    sha256_x86_unpack_state(oabef, ocdgh, m0, m1);
    const __m128i bswap = sha256_x86_bswap_mask();
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_shuffle_epi8(m0, bswap));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16), _mm_shuffle_epi8(m1, bswap));
}

}  // namespace tradewire::crypto::detail

#endif  // TRADEWIRE_CRYPTO_X86
