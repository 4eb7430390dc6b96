// Error codes of the crypto layer (category "tradewire.crypto"): malformed base64/hex
// text, malformed or unsupported key material, and failures reported by a crypto backend.
// Messages never contain input bytes, so a code is always safe to log, even for secrets.
#pragma once

#include <tradewire/core/error.hpp>

#include <system_error>
#include <type_traits>

namespace tradewire::crypto {

enum class error {
    // base64
    invalid_base64_character = 1,  // outside the alphabet (whitespace included)
    invalid_base64_padding,        // '=' misplaced, too many, or padded length not a multiple of 4
    invalid_base64_length,         // unpadded length % 4 == 1 cannot come from any input
    base64_trailing_bits,          // unused low bits of the last character are not zero
    // hex
    invalid_hex_character,
    odd_hex_length,
    // keys and signatures
    invalid_pem,        // missing/garbled armour or base64 body
    invalid_key,        // DER structure, algorithm or key length not as expected
    invalid_signature,  // signature has the wrong length or does not verify
    buffer_too_small,   // caller's output buffer cannot hold the result
    backend_failure,    // wolfCrypt / OpenSSL reported an error
};

namespace detail {
struct error_traits {
    static constexpr const char* name = "tradewire.crypto";
    static const char* message(error e) noexcept {
        switch (e) {
            case error::invalid_base64_character:
                return "invalid base64 character";
            case error::invalid_base64_padding:
                return "invalid base64 padding";
            case error::invalid_base64_length:
                return "invalid base64 length";
            case error::base64_trailing_bits:
                return "non-zero trailing bits in base64 text";
            case error::invalid_hex_character:
                return "invalid hex character";
            case error::odd_hex_length:
                return "hex text has an odd length";
            case error::invalid_pem:
                return "invalid PEM text";
            case error::invalid_key:
                return "invalid or unsupported key";
            case error::invalid_signature:
                return "invalid signature";
            case error::buffer_too_small:
                return "output buffer too small";
            case error::backend_failure:
                return "crypto backend failure";
        }
        return "unknown crypto error";
    }
};
}  // namespace detail

inline const std::error_category& crypto_category() noexcept {
    return tradewire::detail::enum_category<error, detail::error_traits>();
}

inline std::error_code make_error_code(error e) noexcept {
    return {static_cast<int>(e), crypto_category()};
}

}  // namespace tradewire::crypto

template <>
struct std::is_error_code_enum<tradewire::crypto::error> : std::true_type {};
