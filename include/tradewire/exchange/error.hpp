// Error codes of the exchange layer (category "tradewire.exchange"): why a venue message
// could not be decoded (bad JSON, a missing or mistyped field, a number that is not a
// plain decimal, a message of unknown shape) and why a subscribe request could not be
// built (a stream the venue does not offer, a bad request id, a full buffer). Decoders
// report these in a venue_error event together with a short static reason; they never
// throw and never stop at the first bad message.
#pragma once

#include <tradewire/core/error.hpp>

#include <system_error>
#include <type_traits>

namespace tradewire::exchange {

enum class error {
    // decoding
    malformed_json = 1,   // not strict JSON (see the reason for where)
    unknown_message,      // valid JSON whose shape this decoder does not know
    unknown_channel,      // a data message for a stream this decoder does not decode
    missing_field,        // a required field is absent
    wrong_type,           // a field has the wrong JSON type
    invalid_number,       // a price, size, id or time that is not a plain number in range
    invalid_value,        // a field with a value outside its documented set (side, interval, action)
    invalid_symbol,       // a symbol that cannot be converted to BASE-QUOTE form
    too_many_levels,      // a book side longer than the decoder accepts
    too_many_trades,      // a trade batch longer than the decoder accepts
    // building requests
    unsupported_stream,   // the venue has no such stream, depth, speed or interval
    invalid_request_id,   // a request id the venue would reject
    buffer_too_small,     // the caller's buffer cannot hold the message
    empty_request,        // nothing to subscribe to
    // connection health
    heartbeat_timeout,    // no pong within the venue's deadline after a ping
};

namespace detail {
struct error_traits {
    static constexpr const char* name = "tradewire.exchange";
    static const char* message(error e) noexcept {
        switch (e) {
            case error::malformed_json: return "malformed JSON";
            case error::unknown_message: return "unknown message";
            case error::unknown_channel: return "unknown channel";
            case error::missing_field: return "missing field";
            case error::wrong_type: return "field of the wrong type";
            case error::invalid_number: return "invalid number";
            case error::invalid_value: return "invalid value";
            case error::invalid_symbol: return "invalid symbol";
            case error::too_many_levels: return "too many book levels";
            case error::too_many_trades: return "too many trades in one message";
            case error::unsupported_stream: return "stream not offered by the venue";
            case error::invalid_request_id: return "invalid request id";
            case error::buffer_too_small: return "buffer too small";
            case error::empty_request: return "empty request";
            case error::heartbeat_timeout: return "no pong within the heartbeat deadline";
        }
        return "unknown exchange error";
    }
};
}  // namespace detail

inline const std::error_category& exchange_category() noexcept {
    return tradewire::detail::enum_category<error, detail::error_traits>();
}

inline std::error_code make_error_code(error e) noexcept { return {static_cast<int>(e), exchange_category()}; }

}  // namespace tradewire::exchange

template <>
struct std::is_error_code_enum<tradewire::exchange::error> : std::true_type {};
