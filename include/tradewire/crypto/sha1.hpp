// SHA-1 (FIPS 180-4), incremental and one-shot. Needed for the WebSocket handshake
// (Sec-WebSocket-Accept, RFC 6455 section 4.2.2); SHA-1 is not collision resistant, so
// nothing in tradewire uses it for signing.
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
    using digest_type = std::array<std::uint8_t, digest_size>;

    sha1() noexcept { reset(); }

    void reset() noexcept {
        state_ = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};
        buffer_.used = 0;
        buffer_.total = 0;
    }

    void update(const_bytes data) noexcept {
        buffer_.update(data.data(), data.size(), compressor{state_.data()});
    }
    void update(std::string_view text) noexcept { update(as_bytes(text)); }

    // Returns the digest and resets the object, so it can hash the next message.
    digest_type finish() noexcept {
        buffer_.finish(compressor{state_.data()});
        digest_type out;
        for (std::size_t i = 0; i < 5; ++i) detail::store_be32(out.data() + 4 * i, state_[i]);
        reset();
        return out;
    }

    static digest_type hash(const_bytes data) noexcept {
        sha1 h;
        h.update(data);
        return h.finish();
    }
    static digest_type hash(std::string_view text) noexcept { return hash(as_bytes(text)); }

private:
    struct compressor {
        std::uint32_t* state;
        void operator()(const std::uint8_t* p, std::size_t blocks) const noexcept {
            detail::sha1_compress_portable(state, p, blocks);
        }
    };

    std::array<std::uint32_t, 5> state_{};
    detail::block_buffer<block_size, 8> buffer_;
};

}  // namespace tradewire::crypto
