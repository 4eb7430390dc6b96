// Fuzzes the PEM armour + strict base64 + DER parsing that reads Ed25519 key files
// (crypto/detail/pem_der.hpp): arbitrary text must never crash or overrun, and a parsed
// private key must re-encode to the same DER.
#include <tradewire/crypto/detail/pem_der.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace cr = tradewire::crypto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::uint8_t der[128];
    std::size_t len = 0;
    for (std::string_view label : {std::string_view("PRIVATE KEY"), std::string_view("PUBLIC KEY")}) {
        if (cr::detail::pem_decode(text, label, der, sizeof der, len)) continue;
        if (len > sizeof der) std::abort();
        std::uint8_t seed[32], pub[32];
        bool has_pub = false;
        if (!cr::detail::der_parse_ed25519_private(tradewire::const_bytes(der, len), seed, pub, has_pub)) {
            // Only the two canonical encodings exist: 48 bytes (v1) or 83 bytes (v2).
            if (len != (has_pub ? 83u : 48u)) std::abort();
            if (std::memcmp(der + 16, seed, 32) != 0) std::abort();
        }
        (void)cr::detail::der_parse_ed25519_public(tradewire::const_bytes(der, len), pub);
    }
    // DER parsers straight on the raw bytes, too.
    std::uint8_t seed[32], pub[32];
    bool has_pub = false;
    (void)cr::detail::der_parse_ed25519_private(tradewire::const_bytes(data, size), seed, pub, has_pub);
    (void)cr::detail::der_parse_ed25519_public(tradewire::const_bytes(data, size), pub);
    return 0;
}
