// SHA-1 (FIPS 180-4), incremental and one-shot. Needed for the WebSocket handshake
// (Sec-WebSocket-Accept, RFC 6455 section 4.2.2); SHA-1 is not collision resistant, so
// nothing in tradewire uses it for signing. One hash per connection is all it does, so
// only the portable compression exists (no SHA-NI path; see bench_crypto for the cost).
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/detail/block_buffer.hpp>
#include <tradewire/crypto/detail/endian.hpp>
#include <tradewire/crypto/detail/sha1_portable.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tradewire::crypto {

class sha1 {
public:
    static constexpr std::size_t digest_size = 20;
    static constexpr std::size_t block_size = 64;
    static constexpr std::size_t length_size = 8;
    using digest_type = std::array<std::uint8_t, digest_size>;
    using state_type = std::array<std::uint32_t, 5>;

    static constexpr state_type initial_state{0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u,
                                              0xc3d2e1f0u};

    sha1() noexcept = default;

    // Continues from a chaining state reached after `bytes_hashed` bytes (whole blocks).
    sha1(const state_type& state, std::uint64_t bytes_hashed) noexcept : state_(state) {
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
        sha1 h;
        h.update(data);
        return h.finish();
    }
    static digest_type hash(std::string_view text) noexcept { return hash(as_bytes(text)); }

    // Low-level block interface (whole blocks only).
    static void compress(state_type& state, const std::uint8_t* blocks, std::size_t count) noexcept {
        detail::sha1_compress_portable(state.data(), blocks, count);
    }
    static void store(const state_type& state, std::uint8_t* out) noexcept {
        for (std::size_t i = 0; i < 5; ++i) detail::store_be32(out + 4 * i, state[i]);
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
