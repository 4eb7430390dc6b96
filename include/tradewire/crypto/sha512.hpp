// SHA-512 (FIPS 180-4), incremental and one-shot: the hash behind HMAC-SHA512 signing
// (Gate, Kraken). Portable 64-bit implementation; no common x86 server CPU has SHA-512
// instructions yet.
//
// Like sha256, the class exposes its chaining state so HMAC can start from precomputed
// key states.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/detail/block_buffer.hpp>
#include <tradewire/crypto/detail/endian.hpp>
#include <tradewire/crypto/detail/sha512_portable.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tradewire::crypto {

class sha512 {
public:
    static constexpr std::size_t digest_size = 64;
    static constexpr std::size_t block_size = 128;
    static constexpr std::size_t length_size = 16;
    using digest_type = std::array<std::uint8_t, digest_size>;
    using state_type = std::array<std::uint64_t, 8>;

    static constexpr state_type initial_state{
        0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull, 0xa54ff53a5f1d36f1ull,
        0x510e527fade682d1ull, 0x9b05688c2b3e6c1full, 0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull};

    sha512() noexcept = default;

    // Continues from a chaining state reached after `bytes_hashed` bytes (whole blocks).
    sha512(const state_type& state, std::uint64_t bytes_hashed) noexcept : state_(state) {
        buffer_.total = bytes_hashed;
    }

    void reset() noexcept {
        state_ = initial_state;
        buffer_.used = 0;
        buffer_.total = 0;
    }

    void update(const_bytes data) noexcept { buffer_.update(data.data(), data.size(), compressor{&state_}); }
    void update(std::string_view text) noexcept { update(as_bytes(text)); }

    // Writes the digest and resets the object, so it can hash the next message.
    void finish(std::uint8_t* out) noexcept {
        buffer_.finish(compressor{&state_});
        store(state_, out);
        reset();
    }
    digest_type finish() noexcept {
        digest_type out;
        finish(out.data());
        return out;
    }

    static digest_type hash(const_bytes data) noexcept {
        sha512 h;
        h.update(data);
        return h.finish();
    }
    static digest_type hash(std::string_view text) noexcept { return hash(as_bytes(text)); }

    // Low-level block interface (whole blocks only).
    static void compress(state_type& state, const std::uint8_t* blocks, std::size_t count) noexcept {
        detail::sha512_compress_portable(state.data(), blocks, count);
    }
    static void store(const state_type& state, std::uint8_t* out) noexcept {
        for (std::size_t i = 0; i < 8; ++i) detail::store_be64(out + 8 * i, state[i]);
    }

private:
    struct compressor {
        state_type* state;
        void operator()(const std::uint8_t* p, std::size_t count) const noexcept {
            compress(*state, p, count);
        }
    };

    state_type state_ = initial_state;
    detail::block_buffer<block_size, length_size> buffer_;
};

}  // namespace tradewire::crypto
