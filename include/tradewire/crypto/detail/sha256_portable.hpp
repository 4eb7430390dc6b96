// Portable SHA-256 compression (FIPS 180-4 section 6.2.2) on whole 64-byte blocks, and
// the round constants shared with the SHA-NI path.
#pragma once

#include <tradewire/crypto/detail/endian.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>

namespace tradewire::crypto::detail {

alignas(64) inline constexpr std::uint32_t sha256_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

// Round I of a 16-round group. The eight working variables never move: callers rotate
// the argument order instead. With Schedule, the round first extends the message schedule
// in the 16-word ring (w[I] becomes W[t] for t = 16 * group + I).
template <int I, bool Schedule>
[[gnu::always_inline]] inline void sha256_round(std::uint32_t a, std::uint32_t b, std::uint32_t c,
                                                std::uint32_t& d, std::uint32_t e, std::uint32_t f,
                                                std::uint32_t g, std::uint32_t& h, std::uint32_t* w,
                                                const std::uint32_t* k) noexcept {
    if constexpr (Schedule) {
        const std::uint32_t w2 = w[(I + 14) & 15], w15 = w[(I + 1) & 15];
        w[I] += (std::rotr(w2, 17) ^ std::rotr(w2, 19) ^ (w2 >> 10)) + w[(I + 9) & 15] +
                (std::rotr(w15, 7) ^ std::rotr(w15, 18) ^ (w15 >> 3));
    }
    const std::uint32_t t1 =
        h + (std::rotr(e, 6) ^ std::rotr(e, 11) ^ std::rotr(e, 25)) + (g ^ (e & (f ^ g))) + k[I] + w[I];
    const std::uint32_t t2 =
        (std::rotr(a, 2) ^ std::rotr(a, 13) ^ std::rotr(a, 22)) + ((a & b) | (c & (a | b)));
    d += t1;
    h = t1 + t2;
}

// Sixteen rounds, fully unrolled so every schedule index is a constant.
template <bool Schedule>
[[gnu::always_inline]] inline void sha256_rounds16(std::uint32_t& a, std::uint32_t& b, std::uint32_t& c,
                                                   std::uint32_t& d, std::uint32_t& e, std::uint32_t& f,
                                                   std::uint32_t& g, std::uint32_t& h, std::uint32_t* w,
                                                   const std::uint32_t* k) noexcept {
    sha256_round<0, Schedule>(a, b, c, d, e, f, g, h, w, k);
    sha256_round<1, Schedule>(h, a, b, c, d, e, f, g, w, k);
    sha256_round<2, Schedule>(g, h, a, b, c, d, e, f, w, k);
    sha256_round<3, Schedule>(f, g, h, a, b, c, d, e, w, k);
    sha256_round<4, Schedule>(e, f, g, h, a, b, c, d, w, k);
    sha256_round<5, Schedule>(d, e, f, g, h, a, b, c, w, k);
    sha256_round<6, Schedule>(c, d, e, f, g, h, a, b, w, k);
    sha256_round<7, Schedule>(b, c, d, e, f, g, h, a, w, k);
    sha256_round<8, Schedule>(a, b, c, d, e, f, g, h, w, k);
    sha256_round<9, Schedule>(h, a, b, c, d, e, f, g, w, k);
    sha256_round<10, Schedule>(g, h, a, b, c, d, e, f, w, k);
    sha256_round<11, Schedule>(f, g, h, a, b, c, d, e, w, k);
    sha256_round<12, Schedule>(e, f, g, h, a, b, c, d, w, k);
    sha256_round<13, Schedule>(d, e, f, g, h, a, b, c, w, k);
    sha256_round<14, Schedule>(c, d, e, f, g, h, a, b, w, k);
    sha256_round<15, Schedule>(b, c, d, e, f, g, h, a, w, k);
}

inline void sha256_compress_portable(std::uint32_t* state, const std::uint8_t* p,
                                     std::size_t blocks) noexcept {
    for (; blocks != 0; --blocks, p += 64) {
        std::uint32_t w[16];
        for (int i = 0; i < 16; ++i) w[i] = load_be32(p + 4 * i);
        std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        sha256_rounds16<false>(a, b, c, d, e, f, g, h, w, sha256_k);
        for (int t = 16; t < 64; t += 16) sha256_rounds16<true>(a, b, c, d, e, f, g, h, w, sha256_k + t);
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}

}  // namespace tradewire::crypto::detail
