// Binance request signing (REFERENCE.md 1.6-1.8): hex HMAC-SHA256 with the secret key.
//
//  - WebSocket API: the string to sign is every parameter except `signature`, sorted by
//    name, joined as k=v&k=v with the values' UTF-8 bytes as they are (B1, B5).
//  - REST: totalParams is the query string followed directly by the body (no '&'
//    between them), in the order sent. Names and values are percent-encoded (RFC 3986:
//    everything except A-Z a-z 0-9 - . _ ~, as UTF-8 bytes, upper-case hex) before
//    signing, and the same encoded text must be sent.
//  - session.logon: params {apiKey, signature, timestamp}, signed like any WS request.
//    The docs say session.logon accepts only Ed25519 keys, yet their own example is an
//    HMAC (REFERENCE.md 11); the builder signs with whichever key the signer holds.
//
// Key types: HMAC (the secret key, hex signatures, 64 characters) or Ed25519 (the
// secret is the PKCS#8 PEM private key whose public half was registered with Binance;
// base64 signatures of the same payload, 88 characters, case-sensitive). The
// constructor taking an error_code picks Ed25519 when the secret is a PEM private key.
// Signing with an Ed25519 key is not thread-safe (the backend keeps scratch state) and
// costs tens of microseconds, far more than HMAC.
//
// Everything writes into caller buffers and returns the size written, or 0 with `ec`
// set; no call allocates. The per-order hot path is trade/order_template.hpp, which
// signs only the changing tail of the string.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/ed25519.hpp>
#include <tradewire/crypto/hmac.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/detail/text.hpp>
#include <tradewire/trade/error.hpp>
#include <tradewire/trade/query_param.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>

namespace tradewire::trade {

enum class binance_key_type : std::uint8_t { hmac, ed25519 };

// True when `secret` is PEM text of a private key (after optional leading whitespace):
// Binance Ed25519 keys are stored that way; HMAC secrets are 64 letters and digits.
constexpr bool is_pem_private_key(std::string_view secret) noexcept {
    const std::size_t start = secret.find_first_not_of(" \t\r\n");
    return start != std::string_view::npos && secret.substr(start).starts_with("-----BEGIN PRIVATE KEY-----");
}

class binance_signer {
public:
    static constexpr std::size_t hmac_signature_size = 64;     // lower-case hex of HMAC-SHA256
    static constexpr std::size_t ed25519_signature_size = 88;  // base64 of 64 bytes
    static constexpr std::size_t max_signature_size = ed25519_signature_size;

    // HMAC-SHA256 keyed with the secret.
    explicit binance_signer(const credentials& c) : api_key_(c.api_key()), mac_(c.reveal_secret()) {}

    // HMAC, or Ed25519 when the secret is a PEM private key; an Ed25519 PEM that does not
    // load sets `ec` (crypto errors: invalid_pem, invalid_key) and leaves no key.
    binance_signer(const credentials& c, std::error_code& ec) : api_key_(c.api_key()) {
        ec.clear();
        if (is_pem_private_key(c.reveal_secret())) {
            type_ = binance_key_type::ed25519;
            ec = ed_.load_pem(c.reveal_secret());
        } else {
            mac_.rekey(c.reveal_secret());
        }
    }

    [[nodiscard]] std::string_view api_key() const noexcept { return api_key_.reveal(); }
    [[nodiscard]] binance_key_type key_type() const noexcept { return type_; }
    [[nodiscard]] std::size_t signature_size() const noexcept {
        return type_ == binance_key_type::hmac ? hmac_signature_size : ed25519_signature_size;
    }

    // Signature of an already-built payload: signature_size() characters at `out` (hex
    // HMAC-SHA256, or base64 Ed25519). Returns that size, or 0 if an Ed25519 key is
    // missing or the backend fails.
    std::size_t sign(std::string_view payload, char* out) noexcept {
        if (type_ == binance_key_type::hmac) return mac_.sign_hex(payload, out);
        crypto::ed25519_signature sig;
        if (ed_.sign(payload, sig)) return 0;
        return crypto::base64_encode(sig, out);
    }

    // WebSocket API string to sign: `params` without `signature`, sorted by name.
    static std::size_t ws_payload(std::span<const query_param> params, std::span<char> out,
                                  std::error_code& ec) noexcept {
        std::array<const query_param*, detail::max_sorted_params> order;
        if (!detail::sort_params(params, order)) return detail::fail(ec, error::too_many_parameters);
        detail::text_sink sink(out);
        bool first = true;
        for (std::size_t i = 0; i < params.size(); ++i) {
            const query_param& p = *order[i];
            if (p.name == "signature") continue;
            if (!first) sink.put('&');
            first = false;
            sink.put(p.name);
            sink.put('=');
            sink.put(p.value);
        }
        return detail::finish(sink, ec);
    }

    // Builds the WS string to sign into `scratch` and writes the signature at `sig`.
    std::size_t sign_ws(std::span<const query_param> params, std::span<char> scratch, char* sig,
                        std::error_code& ec) noexcept {
        const std::size_t n = ws_payload(params, scratch, ec);
        if (n == 0 && ec) return 0;
        return sign(std::string_view(scratch.data(), n), sig);
    }

    // REST: `params` as a percent-encoded query string (or form body), in the order given.
    static std::size_t encode_params(std::span<const query_param> params, std::span<char> out,
                                     std::error_code& ec) noexcept {
        detail::text_sink sink(out);
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (i != 0) sink.put('&');
            detail::percent_encode_component(sink, params[i].name);
            sink.put('=');
            detail::percent_encode_component(sink, params[i].value);
        }
        return detail::finish(sink, ec);
    }

    // REST totalParams from an assembled query string and body: their concatenation,
    // with any raw non-ASCII byte percent-encoded (already-encoded text is unchanged).
    static std::size_t rest_payload(std::string_view query_string, std::string_view body, std::span<char> out,
                                    std::error_code& ec) noexcept {
        detail::text_sink sink(out);
        detail::percent_encode_non_ascii(sink, query_string);
        detail::percent_encode_non_ascii(sink, body);
        return detail::finish(sink, ec);
    }

    // Signs a REST request: rest_payload() into `scratch`, then the signature at `sig`.
    std::size_t sign_rest(std::string_view query_string, std::string_view body, std::span<char> scratch, char* sig,
                          std::error_code& ec) noexcept {
        const std::size_t n = rest_payload(query_string, body, scratch, ec);
        if (n == 0 && ec) return 0;
        return sign(std::string_view(scratch.data(), n), sig);
    }

    // {"id":"<id>","method":"session.logon","params":{"apiKey":"...","signature":"...",
    // "timestamp":<ms>}} for the WebSocket API.
    std::size_t session_logon(std::uint64_t timestamp_ms, std::string_view request_id, std::span<char> out,
                              std::error_code& ec) noexcept {
        if (api_key().empty()) return detail::fail(ec, error::missing_credential);
        if (!detail::json_string_safe(request_id) || !detail::json_string_safe(api_key()))
            return detail::fail(ec, error::invalid_text);
        // The string to sign is "apiKey=<key>&timestamp=<ms>" (sorted: a < t).
        std::array<char, 512> scratch;
        detail::text_sink p(scratch.data(), scratch.size());
        p.put("apiKey=");
        p.put(api_key());
        p.put("&timestamp=");
        detail::put_uint(p, timestamp_ms);
        if (!p.ok()) return detail::fail(ec, error::buffer_too_small);

        detail::text_sink sink(out);
        sink.put("{\"id\":\"");
        sink.put(request_id);
        sink.put("\",\"method\":\"session.logon\",\"params\":{\"apiKey\":\"");
        sink.put(api_key());
        sink.put("\",\"signature\":\"");
        if (char* s = sink.reserve(signature_size())) {
            if (sign(p.view(), s) == 0) return detail::fail(ec, error::missing_credential);
        }
        sink.put("\",\"timestamp\":");
        detail::put_uint(sink, timestamp_ms);
        sink.put("}}");
        return detail::finish(sink, ec);
    }

private:
    secret_text api_key_;
    binance_key_type type_ = binance_key_type::hmac;
    crypto::hmac_sha256_signer mac_;
    crypto::ed25519_signer ed_;
};

}  // namespace tradewire::trade
