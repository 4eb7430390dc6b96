// Venue answers on an order-entry connection, parsed into typed events: login accepted
// or refused, order acknowledged or rejected (with the venue's own code and message),
// heartbeats, and what could not be understood. Sans-I/O: text in, one order_event out;
// trade/order_session.hpp runs it on every message of its connection.
//
// Formats (REFERENCE.md sections in brackets):
//   Binance WS API [1.6]  {"id":..,"status":200,"result":{"orderId":..,"clientOrderId":..,
//                         "status":"NEW",..}} or {"id":..,"status":4xx,"error":{"code":..,
//                         "msg":..}}; 5xx means the outcome is unknown.
//   OKX private WS [3.6]  {"event":"login","code":"0",..} / {"event":"error","code":"60009",..};
//                         {"id":..,"op":"order","code":"0","data":[{"clOrdId":..,"ordId":..,
//                         "sCode":"0","sMsg":""}]}; code "1"/"2" with a non-zero sCode is a
//                         rejection; the text "pong" answers the text "ping".
//   Bybit v5 trade [2.6]  {"retCode":0,"retMsg":"OK","op":"auth",..};
//                         {"reqId":..,"retCode":0,"op":"order.create","data":{"orderId":..,
//                         "orderLinkId":..},..}; op "pong" answers {"op":"ping"}.
// Keys may come in any order. Request ids the session sends are decimal numbers in JSON
// strings; they come back in request_id (0 when the answer has none or another form, the
// text is in id_text).
//
// The parser works in situ (json_reader unescapes strings in the caller's buffer), so the
// event's views point into that buffer and are valid while it is. Nothing allocates.
// Responses never carry secrets, so an event may be logged as is.
#pragma once

#include <tradewire/core/error.hpp>
#include <tradewire/core/json.hpp>
#include <tradewire/market/venue.hpp>

#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace tradewire::trade {

enum class order_entry_error {
    malformed_response = 1,  // not JSON, or JSON with the wrong types where a response has known fields
    unrecognized_response,   // well-formed, but no response the order session knows
    response_too_large,      // larger than the session's response buffer: skipped
    not_logged_in,           // no open, authenticated connection to send on
    login_failed,            // the venue refused the login (the session stops)
    unsupported_venue,       // no order-entry protocol for this venue
    unknown_template,        // a template handle the session did not hand out
    too_many_pending,        // every request slot is waiting for an answer
    unknown_outcome,         // the venue answered 5xx: the order may or may not exist
};

namespace detail {
struct order_entry_error_traits {
    static constexpr const char* name = "tradewire.trade.order_entry";
    static const char* message(order_entry_error e) noexcept {
        switch (e) {
            case order_entry_error::malformed_response:
                return "malformed venue response";
            case order_entry_error::unrecognized_response:
                return "unrecognized venue response";
            case order_entry_error::response_too_large:
                return "venue response larger than the response buffer";
            case order_entry_error::not_logged_in:
                return "order session not connected and logged in";
            case order_entry_error::login_failed:
                return "venue refused the login";
            case order_entry_error::unsupported_venue:
                return "no order entry for this venue";
            case order_entry_error::unknown_template:
                return "unknown order template handle";
            case order_entry_error::too_many_pending:
                return "too many requests waiting for an answer";
            case order_entry_error::unknown_outcome:
                return "venue error: order outcome unknown";
        }
        return "unknown order entry error";
    }
};
}  // namespace detail

inline const std::error_category& order_entry_category() noexcept {
    return tradewire::detail::enum_category<order_entry_error, detail::order_entry_error_traits>();
}
inline std::error_code make_error_code(order_entry_error e) noexcept {
    return {static_cast<int>(e), order_entry_category()};
}

}  // namespace tradewire::trade

template <>
struct std::is_error_code_enum<tradewire::trade::order_entry_error> : std::true_type {};

namespace tradewire::trade {

enum class order_event_kind : std::uint8_t {
    logged_in,     // login / auth / session.logon accepted
    login_failed,  // the venue refused it (code, message)
    accepted,      // the venue acknowledged an order (venue_order_id, status)
    rejected,      // the venue refused an order (code, message)
    error,         // a venue error that names no order of ours (OKX event "error"), or 5xx
    heartbeat,     // pong
    malformed,     // not parseable (ec): reported and skipped
    unrecognized,  // parseable, not a known response: reported and skipped
};

constexpr std::string_view to_string(order_event_kind k) noexcept {
    switch (k) {
        case order_event_kind::logged_in:
            return "logged_in";
        case order_event_kind::login_failed:
            return "login_failed";
        case order_event_kind::accepted:
            return "accepted";
        case order_event_kind::rejected:
            return "rejected";
        case order_event_kind::error:
            return "error";
        case order_event_kind::heartbeat:
            return "heartbeat";
        case order_event_kind::malformed:
            return "malformed";
        case order_event_kind::unrecognized:
            return "unrecognized";
    }
    return "unknown";
}

// The order's state as the answer tells it. OKX and Bybit acknowledge acceptance only
// (the fills come on their private order streams); Binance reports the order's status.
enum class order_status : std::uint8_t {
    none,       // not an order answer
    accepted,   // acknowledged, state not given (OKX, Bybit)
    new_order,  // Binance NEW / PENDING_NEW
    partially_filled,
    filled,
    canceled,
    expired,  // EXPIRED, EXPIRED_IN_MATCH
    rejected,
    unknown,  // an order answer with a status text tradewire does not know
};

constexpr order_status binance_order_status(std::string_view s) noexcept {
    if (s == "NEW" || s == "PENDING_NEW") return order_status::new_order;
    if (s == "PARTIALLY_FILLED") return order_status::partially_filled;
    if (s == "FILLED") return order_status::filled;
    if (s == "CANCELED" || s == "PENDING_CANCEL") return order_status::canceled;
    if (s == "EXPIRED" || s == "EXPIRED_IN_MATCH") return order_status::expired;
    if (s == "REJECTED") return order_status::rejected;
    return order_status::unknown;
}

struct order_event {
    order_event_kind kind = order_event_kind::unrecognized;
    market::venue venue{};
    std::uint64_t request_id = 0;        // the request this answers (0: none or not numeric)
    std::string_view id_text{};          // the id as sent back
    std::string_view client_order_id{};  // clientOrderId / clOrdId / orderLinkId
    std::string_view venue_order_id{};   // orderId / ordId (Binance's number as its text)
    order_status status = order_status::none;
    std::string_view status_text{};        // the venue's word (Binance)
    std::string_view executed_quantity{};  // Binance executedQty (base), as sent
    std::string_view cumulative_quote{};   // Binance cummulativeQuoteQty (quote), as sent
    std::int64_t code = 0;                 // venue code: Binance error.code, OKX sCode or code, Bybit retCode
    std::string_view message{};            // venue message: msg / sMsg / retMsg
    int http_status = 0;                   // Binance "status"
    std::error_code ec{};                  // malformed: the JSON error; rejected / error: order_entry_error
};

namespace detail {

inline bool parse_id_number(std::string_view s, std::uint64_t& out) noexcept {
    if (s.empty() || s.size() > 20) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return parse_uint64(s, out);
}

// A value that may be a string or a number: its text (numbers as their token).
inline bool read_scalar_text(json_reader& r, std::string_view& out) noexcept {
    switch (r.peek()) {
        case json_type::string:
            return r.read_string(out);
        case json_type::number:
            return r.read_number(out);
        case json_type::null:
            out = {};
            return r.read_null();
        default:
            return r.fail(json_error::unexpected_character);
    }
}

// An integer code that a venue sends as a number (Binance, Bybit) or a string (OKX).
inline bool read_code(json_reader& r, std::int64_t& out) noexcept {
    std::string_view t;
    if (!read_scalar_text(r, t)) return false;
    if (t.empty()) {
        out = 0;
        return true;
    }
    if (!parse_int64(t, out)) return r.fail(json_error::invalid_number);
    return true;
}

inline order_event& malformed(order_event& e, const json_reader& r) noexcept {
    e.kind = order_event_kind::malformed;
    e.ec = r.ok() ? std::error_code(order_entry_error::malformed_response) : r.error_code();
    return e;
}

inline order_event& unrecognized(order_event& e) noexcept {
    e.kind = order_event_kind::unrecognized;
    e.ec = order_entry_error::unrecognized_response;
    return e;
}

inline void set_id(order_event& e, std::string_view id) noexcept {
    e.id_text = id;
    std::uint64_t n = 0;
    if (parse_id_number(id, n)) e.request_id = n;
}

}  // namespace detail

// Binance WebSocket API. `logon_id` is the id the session gave its session.logon request.
inline order_event parse_binance_response(std::span<char> text,
                                          std::string_view logon_id = "logon") noexcept {
    order_event e;
    e.venue = market::venue::binance;
    json_reader r(text);
    if (!r.begin_object()) return detail::malformed(e, r);
    bool has_status = false, has_result = false, has_error = false;
    std::int64_t status = 0;
    std::string_view key;
    while (r.next_key(key)) {
        if (key == "id") {
            std::string_view id;
            if (!detail::read_scalar_text(r, id)) return detail::malformed(e, r);
            detail::set_id(e, id);
        } else if (key == "status") {
            if (!r.read_int64(status)) return detail::malformed(e, r);
            has_status = true;
        } else if (key == "result") {
            if (r.peek() != json_type::object) {
                if (!r.skip()) return detail::malformed(e, r);
                has_result = true;
                continue;
            }
            has_result = true;
            r.begin_object();
            std::string_view k2;
            while (r.next_key(k2)) {
                if (k2 == "orderId") {
                    if (!detail::read_scalar_text(r, e.venue_order_id)) return detail::malformed(e, r);
                } else if (k2 == "clientOrderId") {
                    if (!detail::read_scalar_text(r, e.client_order_id)) return detail::malformed(e, r);
                } else if (k2 == "status") {
                    if (!r.read_string(e.status_text)) return detail::malformed(e, r);
                } else if (k2 == "executedQty") {
                    if (!detail::read_scalar_text(r, e.executed_quantity)) return detail::malformed(e, r);
                } else if (k2 == "cummulativeQuoteQty") {  // sic: Binance's spelling
                    if (!detail::read_scalar_text(r, e.cumulative_quote)) return detail::malformed(e, r);
                } else if (!r.skip()) {
                    return detail::malformed(e, r);
                }
            }
        } else if (key == "error") {
            if (!r.begin_object()) return detail::malformed(e, r);
            has_error = true;
            std::string_view k2;
            while (r.next_key(k2)) {
                if (k2 == "code") {
                    if (!detail::read_code(r, e.code)) return detail::malformed(e, r);
                } else if (k2 == "msg") {
                    if (!r.read_string(e.message)) return detail::malformed(e, r);
                } else if (!r.skip()) {
                    return detail::malformed(e, r);
                }
            }
        } else if (!r.skip()) {
            return detail::malformed(e, r);
        }
    }
    if (!r.finish()) return detail::malformed(e, r);
    if (!has_status || status < 100 || status > 599) return detail::unrecognized(e);
    e.http_status = static_cast<int>(status);
    const bool logon = !logon_id.empty() && e.id_text == logon_id;
    if (status == 200 && has_result) {
        if (logon) {
            e.kind = order_event_kind::logged_in;
            return e;
        }
        e.kind = order_event_kind::accepted;
        e.status = e.status_text.empty() ? order_status::accepted : binance_order_status(e.status_text);
        return e;
    }
    if (!has_error && status < 500) return detail::unrecognized(e);
    if (logon) {
        e.kind = order_event_kind::login_failed;
        e.ec = order_entry_error::login_failed;
        return e;
    }
    if (status >= 500) {
        e.kind = order_event_kind::error;
        e.ec = order_entry_error::unknown_outcome;
        return e;
    }
    e.kind = order_event_kind::rejected;
    e.status = order_status::rejected;
    return e;
}

// OKX private WebSocket (/ws/v5/private).
inline order_event parse_okx_response(std::span<char> text) noexcept {
    order_event e;
    e.venue = market::venue::okx;
    std::string_view whole(text.data(), text.size());
    if (whole == "pong") {
        e.kind = order_event_kind::heartbeat;
        return e;
    }
    json_reader r(text);
    if (!r.begin_object()) return detail::malformed(e, r);
    std::string_view event, op, key;
    std::int64_t code = 0;
    std::string_view msg;
    bool has_code = false, has_data = false;
    std::int64_t s_code = 0;
    std::string_view s_msg;
    while (r.next_key(key)) {
        if (key == "id") {
            std::string_view id;
            if (!detail::read_scalar_text(r, id)) return detail::malformed(e, r);
            detail::set_id(e, id);
        } else if (key == "event") {
            if (!r.read_string(event)) return detail::malformed(e, r);
        } else if (key == "op") {
            if (!r.read_string(op)) return detail::malformed(e, r);
        } else if (key == "code") {
            if (!detail::read_code(r, code)) return detail::malformed(e, r);
            has_code = true;
        } else if (key == "msg") {
            if (!r.read_string(msg)) return detail::malformed(e, r);
        } else if (key == "data") {
            if (!r.begin_array()) return detail::malformed(e, r);
            bool first = true;
            while (r.next_element()) {
                if (!first || r.peek() != json_type::object) {  // one order per "order" request
                    if (!r.skip()) return detail::malformed(e, r);
                    continue;
                }
                first = false;
                has_data = true;
                r.begin_object();
                std::string_view k2;
                while (r.next_key(k2)) {
                    if (k2 == "clOrdId") {
                        if (!r.read_string(e.client_order_id)) return detail::malformed(e, r);
                    } else if (k2 == "ordId") {
                        if (!r.read_string(e.venue_order_id)) return detail::malformed(e, r);
                    } else if (k2 == "sCode") {
                        if (!detail::read_code(r, s_code)) return detail::malformed(e, r);
                    } else if (k2 == "sMsg") {
                        if (!r.read_string(s_msg)) return detail::malformed(e, r);
                    } else if (!r.skip()) {
                        return detail::malformed(e, r);
                    }
                }
            }
        } else if (!r.skip()) {
            return detail::malformed(e, r);
        }
    }
    if (!r.finish()) return detail::malformed(e, r);
    e.code = code;
    e.message = msg;
    if (event == "login") {
        if (has_code && code == 0) {
            e.kind = order_event_kind::logged_in;
        } else {
            e.kind = order_event_kind::login_failed;
            e.ec = order_entry_error::login_failed;
        }
        return e;
    }
    if (event == "error") {
        // Refers to a request by id when it has one; the session decides (a login in
        // flight fails with it).
        e.kind = order_event_kind::error;
        e.ec = order_entry_error::unrecognized_response;
        return e;
    }
    if (op == "order" && has_code) {
        if (code == 0 && s_code == 0) {
            e.kind = order_event_kind::accepted;
            e.status = order_status::accepted;
            return e;
        }
        e.kind = order_event_kind::rejected;
        e.status = order_status::rejected;
        if (has_data && s_code != 0) {
            e.code = s_code;
            e.message = s_msg;
        }
        return e;
    }
    return detail::unrecognized(e);
}

// Bybit v5 trade WebSocket (/v5/trade).
inline order_event parse_bybit_response(std::span<char> text) noexcept {
    order_event e;
    e.venue = market::venue::bybit;
    json_reader r(text);
    if (!r.begin_object()) return detail::malformed(e, r);
    std::string_view op, key;
    std::int64_t code = 0;
    bool has_code = false;
    while (r.next_key(key)) {
        if (key == "reqId" || key == "req_id") {
            std::string_view id;
            if (!detail::read_scalar_text(r, id)) return detail::malformed(e, r);
            detail::set_id(e, id);
        } else if (key == "op") {
            if (!r.read_string(op)) return detail::malformed(e, r);
        } else if (key == "retCode") {
            if (!detail::read_code(r, code)) return detail::malformed(e, r);
            has_code = true;
        } else if (key == "retMsg") {
            if (!r.read_string(e.message)) return detail::malformed(e, r);
        } else if (key == "data" && r.peek() == json_type::object) {
            r.begin_object();
            std::string_view k2;
            while (r.next_key(k2)) {
                if (k2 == "orderId") {
                    if (!r.read_string(e.venue_order_id)) return detail::malformed(e, r);
                } else if (k2 == "orderLinkId") {
                    if (!r.read_string(e.client_order_id)) return detail::malformed(e, r);
                } else if (!r.skip()) {
                    return detail::malformed(e, r);
                }
            }
        } else if (!r.skip()) {
            return detail::malformed(e, r);
        }
    }
    if (!r.finish()) return detail::malformed(e, r);
    e.code = code;
    if (op == "pong" || op == "ping") {
        e.kind = order_event_kind::heartbeat;
        return e;
    }
    if (!has_code) return detail::unrecognized(e);
    if (op == "auth") {
        e.kind = code == 0 ? order_event_kind::logged_in : order_event_kind::login_failed;
        if (code != 0) e.ec = order_entry_error::login_failed;
        return e;
    }
    if (op == "order.create") {
        e.kind = code == 0 ? order_event_kind::accepted : order_event_kind::rejected;
        e.status = code == 0 ? order_status::accepted : order_status::rejected;
        return e;
    }
    return detail::unrecognized(e);
}

// Dispatches on the venue; venues without order entry here report unrecognized.
inline order_event parse_order_response(market::venue v, std::span<char> text) noexcept {
    switch (v) {
        case market::venue::binance:
            return parse_binance_response(text);
        case market::venue::okx:
            return parse_okx_response(text);
        case market::venue::bybit:
            return parse_bybit_response(text);
        default:
            break;
    }
    order_event e;
    e.venue = v;
    e.kind = order_event_kind::unrecognized;
    e.ec = order_entry_error::unsupported_venue;
    return e;
}

}  // namespace tradewire::trade
