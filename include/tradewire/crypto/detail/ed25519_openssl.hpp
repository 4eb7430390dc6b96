// Ed25519 through OpenSSL's EVP_PKEY interface, used when tradewire is built with the
// OpenSSL TLS backend (TRADEWIRE_TLS_OPENSSL), so such builds need no wolfSSL at all.
// Compiles to nothing where OpenSSL's headers are absent.
#pragma once

#if __has_include(<openssl/evp.h>)

#include <tradewire/crypto/error.hpp>

#include <cstddef>
#include <cstdint>
#include <system_error>

#include <openssl/err.h>
#include <openssl/evp.h>

namespace tradewire::crypto::detail {

class ed25519_openssl_backend {
public:
    static constexpr const char* name = "OpenSSL";

    ed25519_openssl_backend() noexcept = default;
    ed25519_openssl_backend(const ed25519_openssl_backend&) = delete;
    ed25519_openssl_backend& operator=(const ed25519_openssl_backend&) = delete;
    ~ed25519_openssl_backend() { reset(); }

    std::error_code load(const std::uint8_t* seed, std::uint8_t* public_key) noexcept {
        reset();
        // OpenSSL keeps the private key in its secure heap and clears it when freed.
        pkey_ = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed, 32);
        if (pkey_ == nullptr) {
            ERR_clear_error();
            return error::invalid_key;
        }
        std::size_t len = 32;
        if (EVP_PKEY_get_raw_public_key(pkey_, public_key, &len) != 1 || len != 32) {
            reset();
            return error::backend_failure;
        }
        ctx_ = EVP_MD_CTX_new();  // reused by every sign(): no allocation per signature here
        if (ctx_ == nullptr) {
            reset();
            return error::backend_failure;
        }
        return {};
    }

    void reset() noexcept {
        EVP_MD_CTX_free(ctx_);
        EVP_PKEY_free(pkey_);
        ctx_ = nullptr;
        pkey_ = nullptr;
    }

    std::error_code sign(const std::uint8_t* msg, std::size_t len, std::uint8_t* out) noexcept {
        if (pkey_ == nullptr) return error::invalid_key;
        std::size_t sig_len = 64;
        if (EVP_DigestSignInit(ctx_, nullptr, nullptr, nullptr, pkey_) != 1 ||
            EVP_DigestSign(ctx_, out, &sig_len, msg, len) != 1 || sig_len != 64) {
            ERR_clear_error();
            return error::backend_failure;
        }
        return {};
    }

    static std::error_code verify(const std::uint8_t* public_key, const std::uint8_t* msg, std::size_t len,
                                  const std::uint8_t* sig) noexcept {
        EVP_PKEY* key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key, 32);
        if (key == nullptr) {
            ERR_clear_error();
            return error::invalid_key;
        }
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        std::error_code ec;
        if (ctx == nullptr || EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key) != 1) {
            ec = error::backend_failure;
        } else if (EVP_DigestVerify(ctx, sig, 64, msg, len) != 1) {
            ec = error::invalid_signature;
        }
        // Leave no entries on the thread's OpenSSL error queue for unrelated code to find.
        if (ec) ERR_clear_error();
        EVP_MD_CTX_free(ctx);
        EVP_PKEY_free(key);
        return ec;
    }

private:
    EVP_PKEY* pkey_ = nullptr;
    EVP_MD_CTX* ctx_ = nullptr;
};

}  // namespace tradewire::crypto::detail

#endif  // __has_include(<openssl/evp.h>)
