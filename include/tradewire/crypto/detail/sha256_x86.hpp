// SHA-256 compression with the x86 SHA extensions (SHA-NI). The functions carry their
// own target attribute, so this header compiles without -msha; callers must check
// cpu_has_sha_ni() first (sha256::compress does).
//
// SHA256RNDS2 performs two rounds on the state split as ABEF / CDGH (A in the top lane),
// so the state is shuffled into that layout once per call, not once per block, and
// SHA256MSG1/MSG2 extend the message schedule four words at a time.
#pragma once

#include <tradewire/crypto/detail/cpu.hpp>
#include <tradewire/crypto/detail/sha256_portable.hpp>

#include <cstddef>
#include <cstdint>

#if defined(TRADEWIRE_CRYPTO_X86)
#include <immintrin.h>

namespace tradewire::crypto::detail {

#define TRADEWIRE_SHA_NI_TARGET __attribute__((target("sha,sse4.1"), always_inline))

// Four rounds with schedule words w = W[4g .. 4g+3].
TRADEWIRE_SHA_NI_TARGET inline void sha256_x86_rounds4(__m128i& abef, __m128i& cdgh, const __m128i* k, __m128i w,
                                                       int group) noexcept {
    const __m128i wk = _mm_add_epi32(w, _mm_load_si128(k + group));
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));
}

// The next four schedule words from the previous sixteen (w_4 oldest, w_1 newest).
TRADEWIRE_SHA_NI_TARGET inline __m128i sha256_x86_schedule(__m128i w_4, __m128i w_3, __m128i w_2, __m128i w_1) noexcept {
    const __m128i x = _mm_add_epi32(_mm_sha256msg1_epu32(w_4, w_3), _mm_alignr_epi8(w_1, w_2, 4));
    return _mm_sha256msg2_epu32(x, w_1);
}

#undef TRADEWIRE_SHA_NI_TARGET

__attribute__((target("sha,sse4.1"))) inline void sha256_compress_shani(std::uint32_t* state, const std::uint8_t* p,
                                                                          std::size_t blocks) noexcept {
    // Big-endian words: reverse the bytes of each 32-bit lane.
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);

    // [A B C D] [E F G H]  ->  abef = [F E B A], cdgh = [H G D C] (lane 0 first).
    __m128i t = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xb1);
    __m128i cdgh = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1b);
    __m128i abef = _mm_alignr_epi8(t, cdgh, 8);
    cdgh = _mm_blend_epi16(cdgh, t, 0xf0);

    const __m128i* k = reinterpret_cast<const __m128i*>(sha256_k);
    for (; blocks != 0; --blocks, p += 64) {
        const __m128i abef_in = abef, cdgh_in = cdgh;
        __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), bswap);
        __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)), bswap);
        __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32)), bswap);
        __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48)), bswap);

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

    // Back to [A B C D] [E F G H].
    t = _mm_shuffle_epi32(abef, 0x1b);   // [A B E F]
    cdgh = _mm_shuffle_epi32(cdgh, 0xb1);  // [G H C D]
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(t, cdgh, 0xf0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(cdgh, t, 8));
}

}  // namespace tradewire::crypto::detail

#endif  // TRADEWIRE_CRYPTO_X86
