// Portable SHA-1 compression (FIPS 180-4 section 6.1.2) on whole 64-byte blocks.
#pragma once

#include <tradewire/crypto/detail/endian.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>

namespace tradewire::crypto::detail {

inline void sha1_compress_portable(std::uint32_t* state, const std::uint8_t* p, std::size_t blocks) noexcept {
    for (; blocks != 0; --blocks, p += 64) {
        // A 16-word ring instead of the 80-word schedule keeps everything in registers.
        std::uint32_t w[16];
        for (int i = 0; i < 16; ++i) w[i] = load_be32(p + 4 * i);
        std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
        auto word = [&w](int t) noexcept -> std::uint32_t {
            if (t < 16) return w[t];
            const std::uint32_t x =
                std::rotl(w[(t + 13) & 15] ^ w[(t + 8) & 15] ^ w[(t + 2) & 15] ^ w[t & 15], 1);
            w[t & 15] = x;
            return x;
        };
        auto round = [&](std::uint32_t f, std::uint32_t k, std::uint32_t wt) noexcept {
            const std::uint32_t t = std::rotl(a, 5) + f + e + k + wt;
            e = d;
            d = c;
            c = std::rotl(b, 30);
            b = a;
            a = t;
        };
        for (int t = 0; t < 20; ++t) round((b & c) | (~b & d), 0x5a827999u, word(t));
        for (int t = 20; t < 40; ++t) round(b ^ c ^ d, 0x6ed9eba1u, word(t));
        for (int t = 40; t < 60; ++t) round((b & c) | (b & d) | (c & d), 0x8f1bbcdcu, word(t));
        for (int t = 60; t < 80; ++t) round(b ^ c ^ d, 0xca62c1d6u, word(t));
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
    }
}

}  // namespace tradewire::crypto::detail
