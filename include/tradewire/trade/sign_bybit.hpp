// Bybit v5 request signing (REFERENCE.md 2.6-2.7): lower-case hex HMAC-SHA256.
//
//  - WebSocket auth (/v5/private and /v5/trade alike): sign "GET/realtime" + expires,
//    expires in milliseconds and in the future; sent as
//    {"req_id":"...","op":"auth","args":["<api key>",<expires>,"<signature>"]}.
//  - REST: sign timestamp + api_key + recv_window + (query string | JSON body), and send
//    the headers X-BAPI-API-KEY, X-BAPI-TIMESTAMP, X-BAPI-SIGN, X-BAPI-RECV-WINDOW.
//
// Orders on /v5/trade (order.create) carry no signature of their own: the connection is
// authenticated once; see trade/order_template.hpp. Every Bybit example signature in the
// docs uses an unpublished secret (REFERENCE.md 2.7), so the tests pin self-made vectors.
#pragma once

#include <tradewire/crypto/hmac.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/detail/text.hpp>
#include <tradewire/trade/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>

namespace tradewire::trade {

// Header values of a signed Bybit REST request, held in the object itself (the API
// key views the signer's copy).
class bybit_rest_headers {
public:
    [[nodiscard]] std::string_view api_key() const noexcept { return api_key_; }                   // X-BAPI-API-KEY
    [[nodiscard]] std::string_view timestamp() const noexcept { return {timestamp_.data(), timestamp_size_}; }  // X-BAPI-TIMESTAMP
    [[nodiscard]] std::string_view sign() const noexcept { return {sign_.data(), sign_size_}; }        // X-BAPI-SIGN
    [[nodiscard]] std::string_view recv_window() const noexcept { return {recv_window_.data(), recv_window_size_}; }  // X-BAPI-RECV-WINDOW

private:
    friend class bybit_signer;
    std::string_view api_key_;
    std::array<char, 20> timestamp_{};
    std::array<char, 64> sign_{};
    std::array<char, 20> recv_window_{};
    std::size_t timestamp_size_ = 0, sign_size_ = 0, recv_window_size_ = 0;
};

class bybit_signer {
public:
    static constexpr std::size_t signature_size = 64;

    explicit bybit_signer(const credentials& c) : api_key_(c.api_key()), mac_(c.reveal_secret()) {}

    [[nodiscard]] std::string_view api_key() const noexcept { return api_key_.reveal(); }

    // Lower-case hex HMAC-SHA256 of an already-built string: 64 characters at `out`.
    std::size_t sign(std::string_view payload, char* out) const noexcept { return mac_.sign_hex(payload, out); }

    // "GET/realtime<expires>".
    static std::size_t ws_auth_payload(std::uint64_t expires_ms, std::span<char> out, std::error_code& ec) noexcept {
        detail::text_sink sink(out);
        sink.put("GET/realtime");
        detail::put_uint(sink, expires_ms);
        return detail::finish(sink, ec);
    }

    std::size_t sign_ws_auth(std::uint64_t expires_ms, char* out) const noexcept {
        std::array<char, 40> buf;
        std::error_code ec;
        const std::size_t n = ws_auth_payload(expires_ms, buf, ec);
        return sign(std::string_view(buf.data(), n), out);
    }

    // {"req_id":"<id>","op":"auth","args":["<api key>",<expires>,"<signature>"]}; an
    // empty request id leaves "req_id" out.
    std::size_t auth_message(std::uint64_t expires_ms, std::string_view request_id, std::span<char> out,
                             std::error_code& ec) const noexcept {
        if (api_key().empty()) return detail::fail(ec, error::missing_credential);
        if (!detail::json_string_safe(request_id) || !detail::json_string_safe(api_key()))
            return detail::fail(ec, error::invalid_text);
        detail::text_sink sink(out);
        sink.put('{');
        if (!request_id.empty()) {
            sink.put("\"req_id\":\"");
            sink.put(request_id);
            sink.put("\",");
        }
        sink.put("\"op\":\"auth\",\"args\":[\"");
        sink.put(api_key());
        sink.put("\",");
        detail::put_uint(sink, expires_ms);
        sink.put(",\"");
        if (char* s = sink.reserve(signature_size)) sign_ws_auth(expires_ms, s);
        sink.put("\"]}");
        return detail::finish(sink, ec);
    }

    // REST string to sign: timestamp + api_key + recv_window + (query string | body).
    std::size_t rest_payload(std::uint64_t timestamp_ms, std::uint64_t recv_window_ms,
                             std::string_view query_or_body, std::span<char> out, std::error_code& ec) const noexcept {
        detail::text_sink sink(out);
        detail::put_uint(sink, timestamp_ms);
        sink.put(api_key());
        detail::put_uint(sink, recv_window_ms);
        sink.put(query_or_body);
        return detail::finish(sink, ec);
    }

    // Signs a REST request and fills the four header values. `scratch` holds the
    // string to sign (query_or_body.size() + 80 characters are enough).
    bool sign_rest(std::uint64_t timestamp_ms, std::uint64_t recv_window_ms, std::string_view query_or_body,
                   std::span<char> scratch, bybit_rest_headers& headers, std::error_code& ec) const noexcept {
        if (api_key().empty()) return detail::fail(ec, error::missing_credential) != 0;
        const std::size_t n = rest_payload(timestamp_ms, recv_window_ms, query_or_body, scratch, ec);
        if (ec) return false;
        headers.api_key_ = api_key();
        headers.timestamp_size_ = detail::write_uint(headers.timestamp_.data(), timestamp_ms);
        headers.recv_window_size_ = detail::write_uint(headers.recv_window_.data(), recv_window_ms);
        headers.sign_size_ = sign(std::string_view(scratch.data(), n), headers.sign_.data());
        return true;
    }

private:
    secret_text api_key_;
    crypto::hmac_sha256_signer mac_;
};

}  // namespace tradewire::trade
