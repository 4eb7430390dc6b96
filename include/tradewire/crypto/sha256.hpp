// SHA-256 (FIPS 180-4), incremental and one-shot: the hash behind HMAC-SHA256 request
// signing at most venues. On x86 CPUs with the SHA extensions the compression function
// uses them (detected once at run time); elsewhere a portable implementation runs.
//
// Besides the usual update()/finish(), the class exposes its chaining state (state_type,
// compress(), resume) so HMAC can start from precomputed key states.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/detail/hash_engine.hpp>
#include <tradewire/crypto/detail/cpu.hpp>
#include <tradewire/crypto/detail/endian.hpp>
#include <tradewire/crypto/detail/sha256_portable.hpp>
#include <tradewire/crypto/detail/sha256_x86.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tradewire::crypto {

class sha256 : public detail::hash_engine<sha256, std::array<std::uint32_t, 8>, 32, 64, 8> {
    using engine = detail::hash_engine<sha256, std::array<std::uint32_t, 8>, 32, 64, 8>;

public:
    static constexpr state_type initial_state{0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                              0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};

    using engine::engine;

    // Low-level block interface (whole blocks only), dispatching to SHA-NI when present.
    static void compress(state_type& state, const std::uint8_t* blocks, std::size_t count) noexcept {
#if defined(TRADEWIRE_CRYPTO_X86)
        if (detail::cpu_has_sha_ni()) {
            detail::sha256_compress_shani(state.data(), blocks, count);
            return;
        }
#endif
        detail::sha256_compress_portable(state.data(), blocks, count);
    }
    static void store(const state_type& state, std::uint8_t* out) noexcept {
        for (std::size_t i = 0; i < 8; ++i) detail::store_be32(out + 4 * i, state[i]);
    }
    // Whole-HMAC kernel for hmac_signer: from the key states, MACs message into out and
    // returns true, or returns false when no accelerated kernel exists on this CPU.
    static bool hmac_accelerated(const state_type& inner_key, const state_type& outer_key,
                                 const_bytes message, std::uint8_t* out) noexcept {
#if defined(TRADEWIRE_CRYPTO_X86)
        if (detail::cpu_has_sha_ni()) {
            detail::sha256_hmac_shani(inner_key.data(), outer_key.data(), message.data(), message.size(),
                                      out);
            return true;
        }
#else
        (void)inner_key, (void)outer_key, (void)message, (void)out;
#endif
        return false;
    }
    // True when compress() uses the CPU's SHA extensions.
    static bool accelerated() noexcept {
        return detail::cpu_has_sha_ni();
    }
};

}  // namespace tradewire::crypto
