// Strict PEM armour and the two small DER structures an Ed25519 key comes in: PKCS#8
// private keys (RFC 5958 / RFC 8410) and SubjectPublicKeyInfo public keys (RFC 5280).
// Hand-written so both crypto backends share one strict parser: the structures are
// fixed, and anything else (encrypted keys, attributes, other algorithms, long-form or
// non-minimal lengths, trailing bytes) is rejected rather than guessed at.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/crypto/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <system_error>

namespace tradewire::crypto::detail {

// Largest PEM body accepted: an Ed25519 PKCS#8 key with its public key is 83 bytes of DER.
inline constexpr std::size_t pem_max_body_chars = 512;

inline bool pem_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Decodes the single PEM block "-----BEGIN <label>-----" ... "-----END <label>-----" in
// text (surrounding whitespace allowed) into out[0 .. cap). Body lines end in LF or CRLF;
// no headers, no other whitespace. The base64 copy is wiped, since it may be a secret.
inline std::error_code pem_decode(std::string_view text, std::string_view label, std::uint8_t* out,
                                  std::size_t cap, std::size_t& out_len) noexcept {
    out_len = 0;
    while (!text.empty() && pem_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && pem_space(text.back())) text.remove_suffix(1);

    auto eat = [&text](std::string_view s) noexcept {
        if (!text.starts_with(s)) return false;
        text.remove_prefix(s.size());
        return true;
    };
    auto eat_back = [&text](std::string_view s) noexcept {
        if (!text.ends_with(s)) return false;
        text.remove_suffix(s.size());
        return true;
    };
    auto eat_newline = [&text]() noexcept {
        if (text.starts_with("\r\n")) {
            text.remove_prefix(2);
            return true;
        }
        if (text.starts_with("\n")) {
            text.remove_prefix(1);
            return true;
        }
        return false;
    };
    if (!eat("-----BEGIN ") || !eat(label) || !eat("-----") || !eat_newline()) return error::invalid_pem;
    if (!eat_back("-----") || !eat_back(label) || !eat_back("-----END ")) return error::invalid_pem;
    if (!text.ends_with('\n')) return error::invalid_pem;

    char b64[pem_max_body_chars];
    std::size_t n = 0;
    std::error_code ec;
    bool line_has_data = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
            if (c == '\r') ++i;
            if (!line_has_data) {  // empty lines are not part of the format
                ec = error::invalid_pem;
                break;
            }
            line_has_data = false;
            continue;
        }
        const bool b64_char = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                              c == '+' || c == '/' || c == '=';
        if (!b64_char || n == sizeof b64) {
            ec = error::invalid_pem;
            break;
        }
        b64[n++] = c;
        line_has_data = true;
    }
    if (!ec && n == 0) ec = error::invalid_pem;
    if (!ec && base64_decoded_max_size(n) > cap) ec = error::invalid_key;  // far too large for an Ed25519 key
    if (!ec) {
        std::error_code b64_ec;
        out_len = base64_decode(std::string_view(b64, n), out, b64_ec);
        if (b64_ec) ec = error::invalid_pem;
        // Padding is mandatory in PEM.
        if (!ec && n % 4 != 0) ec = error::invalid_pem;
    }
    secure_wipe(b64, sizeof b64);
    if (ec) {
        secure_wipe(out, cap);
        out_len = 0;
    }
    return ec;
}

// A minimal DER reader: definite lengths in short form or one-byte long form (minimal),
// which covers every structure below (all shorter than 256 bytes).
struct der_reader {
    const std::uint8_t* p;
    std::size_t n;

    bool empty() const noexcept { return n == 0; }

    // Reads one element with the given tag; its contents go to (content, content_len).
    bool read(std::uint8_t tag, const std::uint8_t*& content, std::size_t& content_len) noexcept {
        if (n < 2 || p[0] != tag) return false;
        std::size_t len = p[1];
        std::size_t header = 2;
        if (len == 0x81) {
            if (n < 3 || p[2] < 0x80) return false;  // long form only where short form cannot be used
            len = p[2];
            header = 3;
        } else if (len > 0x7f) {
            return false;
        }
        if (n - header < len) return false;
        content = p + header;
        content_len = len;
        p += header + len;
        n -= header + len;
        return true;
    }

    bool read_exact(std::uint8_t tag, const std::uint8_t* expect, std::size_t expect_len) noexcept {
        const std::uint8_t* c = nullptr;
        std::size_t len = 0;
        return read(tag, c, len) && len == expect_len && std::memcmp(c, expect, len) == 0;
    }
};

// AlgorithmIdentifier for Ed25519: OID 1.3.101.112, parameters absent (RFC 8410 section 3).
inline bool der_ed25519_algorithm(der_reader& r) noexcept {
    static constexpr std::uint8_t oid[] = {0x2b, 0x65, 0x70};
    const std::uint8_t* c = nullptr;
    std::size_t len = 0;
    if (!r.read(0x30, c, len)) return false;
    der_reader alg{c, len};
    return alg.read_exact(0x06, oid, sizeof oid) && alg.empty();
}

// PKCS#8 OneAsymmetricKey holding an Ed25519 key: version 0 (v1) without, or version 1
// (v2) with the [1] public key. The seed goes to seed[0..32); has_public tells whether
// public[0..32) was filled.
inline std::error_code der_parse_ed25519_private(const_bytes der, std::uint8_t* seed,
                                                 std::uint8_t* public_key, bool& has_public) noexcept {
    has_public = false;
    der_reader top{der.data(), der.size()};
    const std::uint8_t* c = nullptr;
    std::size_t len = 0;
    if (!top.read(0x30, c, len) || !top.empty()) return error::invalid_key;
    der_reader seq{c, len};

    if (!seq.read(0x02, c, len) || len != 1 || c[0] > 1) return error::invalid_key;
    const bool v2 = c[0] == 1;
    if (!der_ed25519_algorithm(seq)) return error::invalid_key;

    // privateKey OCTET STRING wrapping CurvePrivateKey ::= OCTET STRING (32 bytes).
    if (!seq.read(0x04, c, len)) return error::invalid_key;
    der_reader inner{c, len};
    if (!inner.read(0x04, c, len) || len != 32 || !inner.empty()) return error::invalid_key;
    const std::uint8_t* seed_bytes = c;

    if (v2 && !seq.empty()) {
        // [1] IMPLICIT BIT STRING: no unused bits, 32 bytes.
        if (!seq.read(0x81, c, len) || len != 33 || c[0] != 0) return error::invalid_key;
        std::memcpy(public_key, c + 1, 32);
        has_public = true;
    }
    if (!seq.empty()) return error::invalid_key;  // attributes or anything else: unsupported
    std::memcpy(seed, seed_bytes, 32);
    return {};
}

// SubjectPublicKeyInfo holding an Ed25519 public key.
inline std::error_code der_parse_ed25519_public(const_bytes der, std::uint8_t* public_key) noexcept {
    der_reader top{der.data(), der.size()};
    const std::uint8_t* c = nullptr;
    std::size_t len = 0;
    if (!top.read(0x30, c, len) || !top.empty()) return error::invalid_key;
    der_reader seq{c, len};
    if (!der_ed25519_algorithm(seq)) return error::invalid_key;
    if (!seq.read(0x03, c, len) || len != 33 || c[0] != 0 || !seq.empty()) return error::invalid_key;
    std::memcpy(public_key, c + 1, 32);
    return {};
}

}  // namespace tradewire::crypto::detail
