// Ed25519 through wolfCrypt (wolfSSL's crypto library, tradewire's default TLS backend).
// Compiles to nothing where wolfSSL's headers are absent (an OpenSSL-only build).
#pragma once

#if __has_include(<wolfssl/options.h>)

#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/crypto/error.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <system_error>

// options.h first: it carries the configuration the library was built with, and the
// layout of ed25519_key depends on it.
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/ed25519.h>

namespace tradewire::crypto::detail {

class ed25519_wolfcrypt_backend {
public:
    static constexpr const char* name = "wolfCrypt";

    ed25519_wolfcrypt_backend() noexcept = default;
    ed25519_wolfcrypt_backend(const ed25519_wolfcrypt_backend&) = delete;
    ed25519_wolfcrypt_backend& operator=(const ed25519_wolfcrypt_backend&) = delete;
    ~ed25519_wolfcrypt_backend() { reset(); }

    // Imports the 32-byte seed and derives the public key into public_key[0..32).
    std::error_code load(const std::uint8_t* seed, std::uint8_t* public_key) noexcept {
        reset();
        if (wc_ed25519_init(&key_) != 0) return error::backend_failure;
        loaded_ = true;
        if (wc_ed25519_import_private_only(seed, 32, &key_) != 0 ||
            wc_ed25519_make_public(&key_, public_key, 32) != 0 ||
            wc_ed25519_import_private_key(seed, 32, public_key, 32, &key_) != 0) {
            reset();
            return error::invalid_key;
        }
        return {};
    }

    void reset() noexcept {
        if (loaded_) wc_ed25519_free(&key_);
        loaded_ = false;
        secure_wipe(&key_, sizeof key_);
    }

    std::error_code sign(const std::uint8_t* msg, std::size_t len, std::uint8_t* out) noexcept {
        if (!loaded_) return error::invalid_key;
        if (len > std::numeric_limits<word32>::max()) return error::backend_failure;
        static const std::uint8_t none = 0;  // wolfCrypt rejects a null pointer even for 0 bytes
        word32 out_len = 64;
        if (wc_ed25519_sign_msg(len == 0 ? &none : msg, static_cast<word32>(len), out, &out_len, &key_) !=
                0 ||
            out_len != 64) {
            return error::backend_failure;
        }
        return {};
    }

    static std::error_code verify(const std::uint8_t* public_key, const std::uint8_t* msg, std::size_t len,
                                  const std::uint8_t* sig) noexcept {
        if (len > std::numeric_limits<word32>::max()) return error::backend_failure;
        ed25519_key key;
        if (wc_ed25519_init(&key) != 0) return error::backend_failure;
        std::error_code ec;
        if (wc_ed25519_import_public(public_key, 32, &key) != 0) {
            ec = error::invalid_key;
        } else {
            static const std::uint8_t none = 0;
            int valid = 0;
            const int rc = wc_ed25519_verify_msg(sig, 64, len == 0 ? &none : msg, static_cast<word32>(len),
                                                 &valid, &key);
            if (rc != 0 || valid != 1) ec = error::invalid_signature;
        }
        wc_ed25519_free(&key);
        return ec;
    }

private:
    ed25519_key key_{};
    bool loaded_ = false;
};

}  // namespace tradewire::crypto::detail

#endif  // __has_include(<wolfssl/options.h>)
