// Gate.io spot v4 WebSocket signing (REFERENCE.md 6.5-6.6): lower-case hex HMAC-SHA512.
//
//  - Private channel subscription: SIGN = sign("channel=<channel>&event=<event>&time=<time>"),
//    sent as "auth":{"method":"api_key","KEY":"<api key>","SIGN":"<sign>"}.
//  - WebSocket API: signature = sign("<event>\n<channel>\n<req_param>\n<timestamp>"),
//    req_param being the empty string for spot.login:
//    {"time":<s>,"channel":"spot.login","event":"api","payload":{"api_key":..,
//    "signature":..,"timestamp":"<s>","req_id":..}}.
//
// Orders (spot.order_place) sent after spot.login carry no signature; see
// trade/order_template.hpp. The docs' signatures use an unpublished secret
// (REFERENCE.md 6.6); the tests use the computed G1 vector.
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

class gate_signer {
public:
    static constexpr std::size_t signature_size = 128;  // hex of 64 bytes

    explicit gate_signer(const credentials& c) : api_key_(c.api_key()), mac_(c.reveal_secret()) {}

    [[nodiscard]] std::string_view api_key() const noexcept { return api_key_.reveal(); }

    // Hex HMAC-SHA512 of an already-built string: 128 characters at `out`.
    std::size_t sign(std::string_view payload, char* out) const noexcept { return mac_.sign_hex(payload, out); }

    // "channel=<channel>&event=<event>&time=<time>".
    static std::size_t channel_payload(std::string_view channel, std::string_view event, std::uint64_t time_s,
                                       std::span<char> out, std::error_code& ec) noexcept {
        detail::text_sink sink(out);
        sink.put("channel=");
        sink.put(channel);
        sink.put("&event=");
        sink.put(event);
        sink.put("&time=");
        detail::put_uint(sink, time_s);
        return detail::finish(sink, ec);
    }

    // {"method":"api_key","KEY":"<api key>","SIGN":"<sign>"}: the "auth" member of a
    // private channel's subscribe request.
    std::size_t channel_auth(std::string_view channel, std::string_view event, std::uint64_t time_s,
                             std::span<char> out, std::error_code& ec) const noexcept {
        if (api_key().empty()) return detail::fail(ec, error::missing_credential);
        if (!detail::json_string_safe(api_key())) return detail::fail(ec, error::invalid_text);
        std::array<char, 256> scratch;
        const std::size_t n = channel_payload(channel, event, time_s, scratch, ec);
        if (ec) return 0;
        detail::text_sink sink(out);
        sink.put("{\"method\":\"api_key\",\"KEY\":\"");
        sink.put(api_key());
        sink.put("\",\"SIGN\":\"");
        if (char* s = sink.reserve(signature_size)) sign(std::string_view(scratch.data(), n), s);
        sink.put("\"}");
        return detail::finish(sink, ec);
    }

    // "<event>\n<channel>\n<req_param>\n<timestamp>".
    static std::size_t api_payload(std::string_view event, std::string_view channel, std::string_view req_param,
                                   std::uint64_t timestamp_s, std::span<char> out, std::error_code& ec) noexcept {
        detail::text_sink sink(out);
        sink.put(event);
        sink.put('\n');
        sink.put(channel);
        sink.put('\n');
        sink.put(req_param);
        sink.put('\n');
        detail::put_uint(sink, timestamp_s);
        return detail::finish(sink, ec);
    }

    // Signature of a WebSocket API request; `scratch` holds the string to sign.
    std::size_t sign_api(std::string_view event, std::string_view channel, std::string_view req_param,
                         std::uint64_t timestamp_s, std::span<char> scratch, char* out,
                         std::error_code& ec) const noexcept {
        const std::size_t n = api_payload(event, channel, req_param, timestamp_s, scratch, ec);
        if (ec) return 0;
        return sign(std::string_view(scratch.data(), n), out);
    }

    // The spot.login request (REFERENCE.md 6.5).
    std::size_t login_message(std::uint64_t timestamp_s, std::string_view request_id, std::span<char> out,
                              std::error_code& ec) const noexcept {
        if (api_key().empty()) return detail::fail(ec, error::missing_credential);
        if (!detail::json_string_safe(api_key()) || !detail::json_string_safe(request_id))
            return detail::fail(ec, error::invalid_text);
        std::array<char, 64> scratch;
        detail::text_sink sink(out);
        sink.put("{\"time\":");
        detail::put_uint(sink, timestamp_s);
        sink.put(",\"channel\":\"spot.login\",\"event\":\"api\",\"payload\":{\"api_key\":\"");
        sink.put(api_key());
        sink.put("\",\"signature\":\"");
        if (char* s = sink.reserve(signature_size)) sign_api("api", "spot.login", "", timestamp_s, scratch, s, ec);
        sink.put("\",\"timestamp\":\"");
        detail::put_uint(sink, timestamp_s);
        sink.put("\",\"req_id\":\"");
        sink.put(request_id);
        sink.put("\"}}");
        return detail::finish(sink, ec);
    }

private:
    secret_text api_key_;
    crypto::hmac_sha512_signer mac_;
};

}  // namespace tradewire::trade
