// OKX v5 request signing (REFERENCE.md 3.6-3.7): base64 HMAC-SHA256 with the secret key.
//
//  - WebSocket login (/ws/v5/private, /ws/v5/business): sign timestamp + "GET" +
//    "/users/self/verify", the timestamp in Unix SECONDS (a string); sent as
//    {"op":"login","args":[{"apiKey":..,"passphrase":..,"timestamp":..,"sign":..}]}.
//  - REST: OK-ACCESS-SIGN = sign(timestamp + METHOD + requestPath (with ?query) + body),
//    the timestamp in ISO 8601 with milliseconds and 'Z' ("2020-12-08T09:08:57.715Z"),
//    also sent as OK-ACCESS-TIMESTAMP, with OK-ACCESS-KEY and OK-ACCESS-PASSPHRASE.
//
// Orders (op "order") carry no signature: the connection logs in once; see
// trade/order_template.hpp. The docs' example signatures use an unpublished secret
// (REFERENCE.md 3.7); the tests use the computed O1 vector.
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

// Header values of a signed OKX REST request, held in the object itself (key and
// passphrase view the signer's copies).
class okx_rest_headers {
public:
    [[nodiscard]] std::string_view api_key() const noexcept { return api_key_; }        // OK-ACCESS-KEY
    [[nodiscard]] std::string_view sign() const noexcept { return {sign_.data(), sign_size_}; }  // OK-ACCESS-SIGN
    [[nodiscard]] std::string_view timestamp() const noexcept {                       // OK-ACCESS-TIMESTAMP
        return {timestamp_.data(), timestamp_size_};
    }
    [[nodiscard]] std::string_view reveal_passphrase() const noexcept { return passphrase_; }  // OK-ACCESS-PASSPHRASE

private:
    friend class okx_signer;
    std::string_view api_key_;
    std::string_view passphrase_;
    std::array<char, 44> sign_{};
    std::array<char, 24> timestamp_{};
    std::size_t sign_size_ = 0, timestamp_size_ = 0;
};

class okx_signer {
public:
    static constexpr std::size_t signature_size = 44;      // base64 of 32 bytes
    static constexpr std::size_t iso_timestamp_size = 24;  // 2020-12-08T09:08:57.715Z

    explicit okx_signer(const credentials& c)
        : api_key_(c.api_key()), passphrase_(c.reveal_passphrase()), mac_(c.reveal_secret()) {}

    [[nodiscard]] std::string_view api_key() const noexcept { return api_key_.reveal(); }

    // Base64 HMAC-SHA256 of an already-built string: 44 characters at `out`.
    std::size_t sign(std::string_view prehash, char* out) const noexcept { return mac_.sign_base64(prehash, out); }

    // "<seconds>GET/users/self/verify".
    static std::size_t login_prehash(std::uint64_t timestamp_s, std::span<char> out, std::error_code& ec) noexcept {
        detail::text_sink sink(out);
        detail::put_uint(sink, timestamp_s);
        sink.put("GET/users/self/verify");
        return detail::finish(sink, ec);
    }

    std::size_t sign_login(std::uint64_t timestamp_s, char* out) const noexcept {
        std::array<char, 48> buf;
        std::error_code ec;
        const std::size_t n = login_prehash(timestamp_s, buf, ec);
        return sign(std::string_view(buf.data(), n), out);
    }

    // {"op":"login","args":[{"apiKey":"..","passphrase":"..","timestamp":"<s>","sign":".."}]}
    std::size_t login_message(std::uint64_t timestamp_s, std::span<char> out, std::error_code& ec) const noexcept {
        if (api_key().empty() || passphrase_.empty()) return detail::fail(ec, error::missing_credential);
        if (!detail::json_string_safe(api_key()) || !detail::json_string_safe(passphrase_.reveal()))
            return detail::fail(ec, error::invalid_text);
        detail::text_sink sink(out);
        sink.put("{\"op\":\"login\",\"args\":[{\"apiKey\":\"");
        sink.put(api_key());
        sink.put("\",\"passphrase\":\"");
        sink.put(passphrase_.reveal());
        sink.put("\",\"timestamp\":\"");
        detail::put_uint(sink, timestamp_s);
        sink.put("\",\"sign\":\"");
        if (char* s = sink.reserve(signature_size)) sign_login(timestamp_s, s);
        sink.put("\"}]}");
        return detail::finish(sink, ec);
    }

    // Unix milliseconds as "YYYY-MM-DDThh:mm:ss.mmmZ" (24 characters); 0 past year 9999.
    static std::size_t iso_timestamp(std::uint64_t unix_ms, char* out) noexcept {
        const detail::utc_time t = detail::utc_from_unix_ms(unix_ms);
        if (detail::write_iso_seconds(out, t) == 0) return 0;
        out[19] = '.';
        detail::write_digits(out + 20, t.millisecond, 3);
        out[23] = 'Z';
        return iso_timestamp_size;
    }

    // REST string to sign: timestamp + METHOD (upper-cased) + requestPath + body.
    // `request_path` includes the query string ("/api/v5/account/balance?ccy=BTC").
    static std::size_t rest_prehash(std::string_view timestamp, std::string_view method, std::string_view request_path,
                                    std::string_view body, std::span<char> out, std::error_code& ec) noexcept {
        detail::text_sink sink(out);
        sink.put(timestamp);
        detail::put_upper_ascii(sink, method);
        sink.put(request_path);
        sink.put(body);
        return detail::finish(sink, ec);
    }

    // Signs a REST request at `unix_ms` and fills the four header values. `scratch`
    // holds the string to sign (path + body + 40 characters are enough).
    bool sign_rest(std::uint64_t unix_ms, std::string_view method, std::string_view request_path,
                   std::string_view body, std::span<char> scratch, okx_rest_headers& headers,
                   std::error_code& ec) const noexcept {
        if (api_key().empty() || passphrase_.empty()) return detail::fail(ec, error::missing_credential) != 0;
        headers.timestamp_size_ = iso_timestamp(unix_ms, headers.timestamp_.data());
        if (headers.timestamp_size_ == 0) return detail::fail(ec, error::invalid_text) != 0;
        const std::size_t n = rest_prehash(headers.timestamp(), method, request_path, body, scratch, ec);
        if (ec) return false;
        headers.api_key_ = api_key();
        headers.passphrase_ = passphrase_.reveal();
        headers.sign_size_ = sign(std::string_view(scratch.data(), n), headers.sign_.data());
        return true;
    }

private:
    secret_text api_key_;
    secret_text passphrase_;
    crypto::hmac_sha256_signer mac_;
};

}  // namespace tradewire::trade
