// SHA-512 (FIPS 180-4), incremental and one-shot: the hash behind HMAC-SHA512 signing
// (Gate, Kraken). Portable 64-bit implementation; no common x86 server CPU has SHA-512
// instructions yet.
//
// Like sha256, the class exposes its chaining state so HMAC can start from precomputed
// key states.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/detail/hash_engine.hpp>
#include <tradewire/crypto/detail/endian.hpp>
#include <tradewire/crypto/detail/sha512_portable.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tradewire::crypto {

class sha512 : public detail::hash_engine<sha512, std::array<std::uint64_t, 8>, 64, 128, 16> {
    using engine = detail::hash_engine<sha512, std::array<std::uint64_t, 8>, 64, 128, 16>;

public:
    static constexpr state_type initial_state{
        0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull, 0xa54ff53a5f1d36f1ull,
        0x510e527fade682d1ull, 0x9b05688c2b3e6c1full, 0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull};

    using engine::engine;

    // Low-level block interface (whole blocks only).
    static void compress(state_type& state, const std::uint8_t* blocks, std::size_t count) noexcept {
        detail::sha512_compress_portable(state.data(), blocks, count);
    }
    static void store(const state_type& state, std::uint8_t* out) noexcept {
        for (std::size_t i = 0; i < 8; ++i) detail::store_be64(out + 8 * i, state[i]);
    }
};

}  // namespace tradewire::crypto
