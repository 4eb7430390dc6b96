// SHA-1 (FIPS 180-4), incremental and one-shot. Needed for the WebSocket handshake
// (Sec-WebSocket-Accept, RFC 6455 section 4.2.2); SHA-1 is not collision resistant, so
// nothing in tradewire uses it for signing. One hash per connection is all it does, so
// only the portable compression exists (no SHA-NI path; see bench_crypto for the cost).
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/detail/hash_engine.hpp>
#include <tradewire/crypto/detail/endian.hpp>
#include <tradewire/crypto/detail/sha1_portable.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tradewire::crypto {

class sha1 : public detail::hash_engine<sha1, std::array<std::uint32_t, 5>, 20, 64, 8> {
    using engine = detail::hash_engine<sha1, std::array<std::uint32_t, 5>, 20, 64, 8>;

public:
    static constexpr state_type initial_state{0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u,
                                              0xc3d2e1f0u};

    using engine::engine;

    // Low-level block interface (whole blocks only).
    static void compress(state_type& state, const std::uint8_t* blocks, std::size_t count) noexcept {
        detail::sha1_compress_portable(state.data(), blocks, count);
    }
    static void store(const state_type& state, std::uint8_t* out) noexcept {
        for (std::size_t i = 0; i < 5; ++i) detail::store_be32(out + 4 * i, state[i]);
    }
};

}  // namespace tradewire::crypto
