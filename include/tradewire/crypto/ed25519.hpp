// Ed25519 request signing (RFC 8032), for Binance Ed25519 API keys: load the PKCS#8 PEM
// private key Binance's key tool or `openssl genpkey -algorithm ed25519` writes, sign the
// payload, send the signature in base64. Verification is here too (tests, and checking a
// key pair before use).
//
// The curve arithmetic comes from a backend: wolfCrypt by default (tradewire's default
// TLS library), or OpenSSL's EVP_PKEY when tradewire is built with the OpenSSL TLS
// backend (TRADEWIRE_TLS_OPENSSL), so a build that avoids wolfSSL loses nothing. PEM and
// DER parsing is tradewire's own (strict, identical for both backends).
//
// The seed and the backend's key object are wiped when the signer is cleared, reloaded or
// destroyed; the PEM's decoded bytes are wiped as soon as the seed is extracted. Nothing
// here formats key bytes into text, and errors carry no key material.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/detail/pem_der.hpp>
#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/crypto/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#if defined(TRADEWIRE_TLS_OPENSSL)
#include <tradewire/crypto/detail/ed25519_openssl.hpp>
#define TRADEWIRE_ED25519_BACKEND ed25519_openssl_backend
#elif defined(TRADEWIRE_TLS_WOLFSSL) || __has_include(<wolfssl/options.h>)
#include <tradewire/crypto/detail/ed25519_wolfcrypt.hpp>
#define TRADEWIRE_ED25519_BACKEND ed25519_wolfcrypt_backend
#elif __has_include(<openssl/evp.h>)
#include <tradewire/crypto/detail/ed25519_openssl.hpp>
#define TRADEWIRE_ED25519_BACKEND ed25519_openssl_backend
#else
#error "tradewire/crypto/ed25519.hpp needs wolfCrypt (wolfSSL) or OpenSSL"
#endif

namespace tradewire::crypto::detail {
using ed25519_backend = TRADEWIRE_ED25519_BACKEND;
}  // namespace tradewire::crypto::detail
#undef TRADEWIRE_ED25519_BACKEND

namespace tradewire::crypto {

inline constexpr std::size_t ed25519_seed_size = 32;
inline constexpr std::size_t ed25519_public_key_size = 32;
inline constexpr std::size_t ed25519_signature_size = 64;
inline constexpr std::size_t ed25519_signature_base64_size =
    base64_encoded_size(ed25519_signature_size);  // 88

using ed25519_public_key = std::array<std::uint8_t, ed25519_public_key_size>;
using ed25519_signature = std::array<std::uint8_t, ed25519_signature_size>;

// Name of the backend doing the curve arithmetic: "wolfCrypt" or "OpenSSL".
inline constexpr const char* ed25519_backend_name = detail::ed25519_backend::name;

// Extracts the public key from a "-----BEGIN PUBLIC KEY-----" PEM (SubjectPublicKeyInfo),
// the form Binance asks you to register.
inline std::error_code parse_ed25519_public_key_pem(std::string_view pem, ed25519_public_key& out) noexcept {
    std::uint8_t der[128];
    std::size_t len = 0;
    if (auto ec = detail::pem_decode(pem, "PUBLIC KEY", der, sizeof der, len)) return ec;
    return detail::der_parse_ed25519_public(const_bytes(der, len), out.data());
}

// Checks signature over message with public_key: an empty error_code means valid;
// error::invalid_signature means it does not verify.
inline std::error_code ed25519_verify(const ed25519_public_key& public_key, const_bytes message,
                                      const_bytes signature) noexcept {
    if (signature.size() != ed25519_signature_size) return error::invalid_signature;
    return detail::ed25519_backend::verify(public_key.data(), message.data(), message.size(),
                                           signature.data());
}
inline std::error_code ed25519_verify(const ed25519_public_key& public_key, std::string_view message,
                                      const_bytes signature) noexcept {
    return ed25519_verify(public_key, as_bytes(message), signature);
}

// Holds one Ed25519 private key and signs with it. Not copyable (one place holds the
// key); movable. sign() is not safe to call from several threads at once on the same
// signer (the backend's key object has scratch state); use one signer per thread.
class ed25519_signer {
public:
    ed25519_signer() noexcept = default;
    ed25519_signer(const ed25519_signer&) = delete;
    ed25519_signer& operator=(const ed25519_signer&) = delete;
    ed25519_signer(ed25519_signer&& other) noexcept { take(other); }
    ed25519_signer& operator=(ed25519_signer&& other) noexcept {
        if (this != &other) take(other);
        return *this;
    }
    ~ed25519_signer() { clear(); }

    // Loads a "-----BEGIN PRIVATE KEY-----" PKCS#8 PEM. Encrypted keys are not accepted
    // (error::invalid_pem); a v2 key whose embedded public key does not match its seed is
    // error::invalid_key. On any error the signer is left without a key.
    std::error_code load_pem(std::string_view pem) noexcept {
        clear();
        std::uint8_t der[128];
        std::size_t len = 0;
        std::error_code ec = detail::pem_decode(pem, "PRIVATE KEY", der, sizeof der, len);
        std::uint8_t seed[ed25519_seed_size];
        ed25519_public_key embedded{};
        bool has_embedded = false;
        if (!ec)
            ec =
                detail::der_parse_ed25519_private(const_bytes(der, len), seed, embedded.data(), has_embedded);
        detail::secure_wipe(der, sizeof der);
        if (!ec) ec = load_seed(const_bytes(seed, sizeof seed));
        detail::secure_wipe(seed, sizeof seed);
        if (!ec && has_embedded && embedded != public_key_) {
            clear();
            ec = error::invalid_key;
        }
        return ec;
    }

    // Loads a raw 32-byte RFC 8032 private key (the seed).
    std::error_code load_seed(const_bytes seed) noexcept {
        clear();
        if (seed.size() != ed25519_seed_size) return error::invalid_key;
        if (auto ec = backend_.load(seed.data(), public_key_.data())) {
            clear();
            return ec;
        }
        std::memcpy(seed_.data(), seed.data(), ed25519_seed_size);
        loaded_ = true;
        return {};
    }

    // Forgets the key, wiping it.
    void clear() noexcept {
        backend_.reset();
        detail::secure_wipe(seed_.data(), seed_.size());
        public_key_ = {};
        loaded_ = false;
    }

    bool has_key() const noexcept { return loaded_; }

    // The public key of the loaded key (all zero without a key).
    const ed25519_public_key& public_key() const noexcept { return public_key_; }

    std::error_code sign(const_bytes message, ed25519_signature& out) noexcept {
        if (!loaded_) return error::invalid_key;
        return backend_.sign(message.data(), message.size(), out.data());
    }
    std::error_code sign(std::string_view message, ed25519_signature& out) noexcept {
        return sign(as_bytes(message), out);
    }

    // Base64 signature (standard alphabet, padded): 88 characters, no terminator.
    std::error_code sign_base64(const_bytes message,
                                std::span<char, ed25519_signature_base64_size> out) noexcept {
        ed25519_signature sig;
        if (auto ec = sign(message, sig)) return ec;
        base64_encode(sig, out.data());
        return {};
    }
    std::error_code sign_base64(std::string_view message,
                                std::span<char, ed25519_signature_base64_size> out) noexcept {
        return sign_base64(as_bytes(message), out);
    }
    // Convenience for cold paths (allocates); empty string on error.
    std::string sign_base64(std::string_view message, std::error_code& ec) {
        std::string s(ed25519_signature_base64_size, '\0');
        ec = sign_base64(as_bytes(message),
                         std::span<char, ed25519_signature_base64_size>(s.data(), s.size()));
        if (ec) s.clear();
        return s;
    }

private:
    void take(ed25519_signer& other) noexcept {
        clear();
        if (other.loaded_) {
            // Re-import rather than copy the backend's object, whose layout is its own.
            (void)load_seed(const_bytes(other.seed_.data(), other.seed_.size()));
        }
        other.clear();
    }

    detail::ed25519_backend backend_;
    std::array<std::uint8_t, ed25519_seed_size> seed_{};
    ed25519_public_key public_key_{};
    bool loaded_ = false;
};

}  // namespace tradewire::crypto
