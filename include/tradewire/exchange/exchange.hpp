// The `exchange` concept and the types every venue adapter shares.
//
// A venue is a stateless policy class (binance::spot, okx::spot, bybit::spot, ...) that
// tells a feed everything venue-specific and touches no socket:
//
//   E::id, E::name                      market::venue value and lower-case name
//   E::urls                             endpoint_set: public WS, testnet/demo WS, business
//                                       WS (OKX candles), REST base for book snapshots
//   E::limits                           connection_limits: streams per connection, args and
//                                       bytes per request, control-message rate, lifetime
//   E::heartbeat                        heartbeat_policy: who pings, how, how often
//   E::endpoint_for(sub)                which endpoint a subscription lives on
//   E::request_arg(sub, out, ec)        the exact JSON element the subscription adds to a
//                                       request's params/args array ("btcusdt@trade",
//                                       {"channel":"books","instId":"BTC-USDT"}, ...)
//   E::build_subscribe(subs, id, out, ec), E::build_unsubscribe(...)
//                                       one request message into the caller's buffer
//   E::build_ping(out)                  the application-level ping text (0 bytes when the
//                                       venue pings with control frames, as Binance does)
//   typename E::decoder                 decode(payload, handler[, receive_time])
//
// Builders write into a caller's std::span<char> and return the size, or 0 with `ec` set
// (unsupported stream, bad id, buffer too small); nothing allocates. plan_connections()
// spreads a subscription list over requests and connections within E::limits.
//
// Decoders are sans-I/O and allocation-free in the steady state: the net layer hands a
// whole message as a mutable buffer (text frame bytes, or a decompressed binary frame);
// the decoder parses it in place (it may modify the buffer) and calls the handler's
// hooks, each optional and detected with `requires`, never virtual:
//
//   on_trade(const market::trade&)            on_bbo(const market::bbo&)
//   on_book_snapshot(const market::book_snapshot&)
//   on_book_delta(const market::book_delta&)  on_kline(const market::kline&)
//   on_control(const exchange::control_event&)   acks, pongs, notices, venue errors
//   on_decode_error(const exchange::decode_error&) a message that could not be decoded
//
// A message is validated completely before any of its events is delivered, so a bad
// trade at the end of a batch never leaves the first ones half-delivered. Views inside
// events (book level spans, control texts) point into the payload or the decoder's
// reused buffers and are valid only during the callback. to_status() turns a control
// event into the market::status a strategy sees, for the feed to forward.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/exchange/detail/writer.hpp>
#include <tradewire/exchange/error.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/venue.hpp>

#include <array>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>
#include <vector>

namespace tradewire::exchange {

// ---------------------------------------------------------------------------- subscriptions

enum class stream_kind : std::uint8_t {
    trades,      // every trade (Binance @trade, OKX trades, Bybit publicTrade)
    agg_trades,  // aggregated trades where the venue offers them (Binance @aggTrade)
    bbo,         // best bid/offer (Binance @bookTicker, OKX bbo-tbt, Bybit orderbook.1)
    book,        // order book; `depth` and `update_ms` choose the variant
    kline,       // candles; `interval` chooses the length
};

constexpr std::string_view to_string(stream_kind k) noexcept {
    switch (k) {
        case stream_kind::trades: return "trades";
        case stream_kind::agg_trades: return "agg_trades";
        case stream_kind::bbo: return "bbo";
        case stream_kind::book: return "book";
        case stream_kind::kline: return "kline";
    }
    return "unknown";
}

// One venue-neutral stream. Each venue maps it to its own topic or rejects it with
// error::unsupported_stream (a depth or interval it does not offer).
struct subscription {
    stream_kind kind = stream_kind::trades;
    tradewire::symbol instrument;     // canonical BASE-QUOTE
    std::uint16_t depth = 0;          // book levels; 0 = the venue's incremental full book
    std::uint16_t update_ms = 0;      // book push cadence; 0 = the venue's default
    market::kline_interval interval;  // kline only

    friend bool operator==(const subscription&, const subscription&) noexcept = default;
};

constexpr subscription trades_of(const tradewire::symbol& s) noexcept { return {stream_kind::trades, s, 0, 0, {}}; }
constexpr subscription agg_trades_of(const tradewire::symbol& s) noexcept {
    return {stream_kind::agg_trades, s, 0, 0, {}};
}
constexpr subscription bbo_of(const tradewire::symbol& s) noexcept { return {stream_kind::bbo, s, 0, 0, {}}; }
constexpr subscription book_of(const tradewire::symbol& s, std::uint16_t depth = 0, std::uint16_t update_ms = 0) noexcept {
    return {stream_kind::book, s, depth, update_ms, {}};
}
constexpr subscription kline_of(const tradewire::symbol& s, market::kline_interval i) noexcept {
    return {stream_kind::kline, s, 0, 0, i};
}

// A request id as the venue echoes it: an integer, a short string, or none. Binance
// accepts both (and null); OKX wants up to 32 letters and digits; Bybit a short string.
// Builders validate the text for their venue (error::invalid_request_id).
class request_id {
public:
    static constexpr std::size_t capacity = 36;

    constexpr request_id() noexcept = default;
    constexpr request_id(std::int64_t n) noexcept : number_(n), kind_(kind::number) {}  // NOLINT: implicit by design
    // Text longer than `capacity` makes an id no venue accepts (the builders reject it).
    request_id(std::string_view text) noexcept : kind_(kind::text) {  // NOLINT: implicit by design
        if (text.size() > capacity) {
            size_ = capacity + 1;
            return;
        }
        for (std::size_t i = 0; i < text.size(); ++i) text_[i] = text[i];
        size_ = static_cast<std::uint8_t>(text.size());
    }
    request_id(const char* text) noexcept : request_id(std::string_view(text)) {}  // NOLINT

    bool empty() const noexcept { return kind_ == kind::none; }
    bool is_number() const noexcept { return kind_ == kind::number; }
    bool is_text() const noexcept { return kind_ == kind::text; }
    std::int64_t number() const noexcept { return number_; }
    // The text form; empty for a number or none, and for an over-long text.
    std::string_view text() const noexcept {
        return size_ <= capacity ? std::string_view(text_.data(), size_) : std::string_view{};
    }
    bool too_long() const noexcept { return size_ > capacity; }

private:
    enum class kind : std::uint8_t { none, number, text };
    std::array<char, capacity> text_{};
    std::int64_t number_ = 0;
    std::uint8_t size_ = 0;
    kind kind_ = kind::none;
};

// ---------------------------------------------------------------------------- endpoints, limits, heartbeat

enum class endpoint_kind : std::uint8_t {
    market,    // the public market-data endpoint
    business,  // OKX /ws/v5/business (candles, trades-all); the same as market elsewhere
};

struct endpoint_set {
    std::string_view market_ws;          // mainnet public market data
    std::string_view business_ws;        // mainnet, endpoint_kind::business
    std::string_view testnet_market_ws;  // testnet / demo trading
    std::string_view testnet_business_ws;
    std::string_view rest_base;          // REST host for book snapshots ("https://api.binance.com")
    std::string_view rest_depth_path;    // REST path of the depth snapshot, "" when the venue has none needed

    constexpr std::string_view ws(endpoint_kind k, bool testnet = false) const noexcept {
        if (k == endpoint_kind::business) return testnet ? testnet_business_ws : business_ws;
        return testnet ? testnet_market_ws : market_ws;
    }
};

// Per-connection and per-request limits a feed must respect; 0 means "no documented limit".
struct connection_limits {
    std::size_t max_streams_per_connection = 0;      // Binance 1024
    std::size_t max_args_per_request = 0;            // Bybit spot 10
    std::size_t max_request_bytes = 0;               // OKX 64 KB per request
    std::size_t max_arg_chars_per_connection = 0;    // Bybit 21,000 characters of args
    std::size_t max_heavy_books_per_connection = 0;  // OKX guidance: fewer than 30 deep book channels
    unsigned max_client_messages_per_second = 0;     // Binance 5 (pings, pongs and requests count)
    unsigned max_requests_per_hour = 0;              // OKX 480 subscribe/unsubscribe/login per connection
    std::chrono::seconds max_connection_lifetime{0}; // Binance 24 h: rotate before it
};

enum class ping_style : std::uint8_t {
    server_ping_frames,  // the server sends WebSocket ping frames; answer each with a pong (Binance)
    client_text,         // the client sends a text message ("ping") and expects one back ("pong") (OKX)
    client_json,         // the client sends a JSON ping request and gets a JSON pong (Bybit)
};

struct heartbeat_policy {
    ping_style style = ping_style::server_ping_frames;
    // Client pings: send one after this long without sending (OKX: idle < 30 s; Bybit: 20 s).
    std::chrono::seconds client_ping_interval{0};
    // Server pings: how often the server pings (Binance 20 s), for stale-connection detection.
    std::chrono::seconds server_ping_interval{0};
    // Reconnect when no pong (client pings) arrives within this, or the server drops a
    // connection that has not answered its ping within this (Binance: 1 minute).
    std::chrono::seconds pong_timeout{0};
    // The server closes a connection that has received nothing / pushed nothing this long.
    std::chrono::seconds server_idle_timeout{0};
    // Pongs to control-frame pings echo the ping's payload (RFC 6455); unsolicited pongs
    // carry an empty payload and do not keep a Binance connection alive.
    bool answer_ping_frames = true;
};

// ---------------------------------------------------------------------------- decoder output

enum class control_kind : std::uint8_t {
    subscribed,        // a subscribe request succeeded (OKX event, Bybit op)
    unsubscribed,      // an unsubscribe request succeeded
    ack,               // a request succeeded without saying which (Binance {"result":null,"id":N})
    subscriptions,     // Binance LIST_SUBSCRIPTIONS result: `topics`
    property,          // Binance GET_PROPERTY result: `message` holds the JSON value text
    pong,              // a heartbeat answer
    error,             // the venue reported an error (`code`, `message`); success == false
    notice,            // OKX notice, e.g. 64008: the connection closes soon for an upgrade
    server_shutdown,   // Binance serverShutdown: reconnect
    login,             // a login answer (private endpoints)
    connection_count,  // OKX channel-conn-count
};

constexpr std::string_view to_string(control_kind k) noexcept {
    switch (k) {
        case control_kind::subscribed: return "subscribed";
        case control_kind::unsubscribed: return "unsubscribed";
        case control_kind::ack: return "ack";
        case control_kind::subscriptions: return "subscriptions";
        case control_kind::property: return "property";
        case control_kind::pong: return "pong";
        case control_kind::error: return "error";
        case control_kind::notice: return "notice";
        case control_kind::server_shutdown: return "server_shutdown";
        case control_kind::login: return "login";
        case control_kind::connection_count: return "connection_count";
    }
    return "unknown";
}

// Acks, pongs and other control messages. Text views are valid during the callback only.
struct control_event {
    market::venue venue{};
    control_kind kind = control_kind::ack;
    bool success = true;
    std::string_view request_id;  // the echoed id as text ("1512", "312"); empty when none
    std::string_view code;        // venue code text ("60012", "2", "64008"); empty when none
    std::string_view message;     // venue text (msg, ret_msg), or a property's JSON value
    std::string_view channel;     // OKX ack `arg.channel`; Bybit ack `op`; Binance stream of a wrapper
    std::string_view instrument;  // OKX ack `arg.instId`
    std::span<const std::string_view> topics;  // Binance LIST_SUBSCRIPTIONS result
    std::optional<market::timestamp> exchange_time;
    market::timestamp receive_time = 0;
};

// A message that could not be decoded. `reason` is a short static text naming the
// message kind and the field ("trade: missing field p"); it is never built from input.
struct decode_error {
    market::venue venue{};
    std::error_code error;    // exchange::error, or a json_error for malformed JSON
    std::string_view reason;  // static text
    market::timestamp receive_time = 0;
};

// The market::status a control event means for a strategy, if any (subscribed,
// unsubscribed, or a venue-reported error); pongs and the like map to nothing.
inline std::optional<market::status> to_status(const control_event& c) noexcept {
    market::status s;
    s.venue = c.venue;
    s.receive_time = c.receive_time;
    switch (c.kind) {
        case control_kind::subscribed: s.kind = market::status_kind::subscribed; break;
        case control_kind::unsubscribed: s.kind = market::status_kind::unsubscribed; break;
        case control_kind::error:
            s.kind = market::status_kind::venue_error;
            s.text = c.message;
            break;
        default: return std::nullopt;
    }
    return s;
}

// A handler with no hooks: every event is dropped. Used to check the concept.
struct null_handler {};

namespace detail {

template <class H>
void emit(H& h, const market::trade& e) {
    if constexpr (requires { h.on_trade(e); }) h.on_trade(e);
}
template <class H>
void emit(H& h, const market::bbo& e) {
    if constexpr (requires { h.on_bbo(e); }) h.on_bbo(e);
}
template <class H>
void emit(H& h, const market::book_snapshot& e) {
    if constexpr (requires { h.on_book_snapshot(e); }) h.on_book_snapshot(e);
}
template <class H>
void emit(H& h, const market::book_delta& e) {
    if constexpr (requires { h.on_book_delta(e); }) h.on_book_delta(e);
}
template <class H>
void emit(H& h, const market::kline& e) {
    if constexpr (requires { h.on_kline(e); }) h.on_kline(e);
}
template <class H>
void emit(H& h, const control_event& e) {
    if constexpr (requires { h.on_control(e); }) h.on_control(e);
}
template <class H>
void emit(H& h, const decode_error& e) {
    if constexpr (requires { h.on_decode_error(e); }) h.on_decode_error(e);
}

}  // namespace detail

// ---------------------------------------------------------------------------- the concept

template <class E>
concept exchange = requires(const subscription& sub, std::span<const subscription> subs, const request_id& id,
                            std::span<char> out, std::error_code& ec, typename E::decoder& dec,
                            mutable_bytes payload, null_handler& h, market::timestamp t) {
    { E::id } -> std::convertible_to<market::venue>;
    { E::name } -> std::convertible_to<std::string_view>;
    { E::urls } -> std::convertible_to<endpoint_set>;
    { E::limits } -> std::convertible_to<connection_limits>;
    { E::heartbeat } -> std::convertible_to<heartbeat_policy>;
    { E::endpoint_for(sub) } -> std::same_as<endpoint_kind>;
    { E::request_arg(sub, out, ec) } -> std::same_as<std::size_t>;
    { E::build_subscribe(subs, id, out, ec) } -> std::same_as<std::size_t>;
    { E::build_unsubscribe(subs, id, out, ec) } -> std::same_as<std::size_t>;
    { E::build_ping(out) } -> std::same_as<std::size_t>;
    dec.decode(payload, h, t);
};

// ---------------------------------------------------------------------------- splitting

// One subscribe (or unsubscribe) message: a slice of a connection's subscriptions.
struct planned_request {
    std::size_t first = 0;
    std::size_t count = 0;
};

// One connection: its endpoint, its subscriptions in order, and the requests that
// subscribe them (contiguous slices, each within the venue's per-request limits).
struct connection_plan {
    endpoint_kind endpoint = endpoint_kind::market;
    std::vector<subscription> subscriptions;
    std::vector<planned_request> requests;

    std::span<const subscription> request(std::size_t i) const noexcept {
        return std::span<const subscription>(subscriptions).subspan(requests[i].first, requests[i].count);
    }
};

namespace detail {
// Room kept in each request for everything but the args (method/op, id, brackets).
inline constexpr std::size_t request_envelope_bytes = 128;
}  // namespace detail

// Spreads `subs` over connections and requests within `limits` (the venue's by default):
// subscriptions are grouped by endpoint (first-seen order), duplicates are dropped, and a
// new request starts when the args or bytes per request would overflow, a new connection
// when the streams, arg characters or deep-book channels per connection would. Fails with
// error::unsupported_stream (and returns nothing) if any subscription is not offered.
// Allocates: meant for start-up and resubscription, not the hot path.
template <exchange E>
std::vector<connection_plan> plan_connections(std::span<const subscription> subs, std::error_code& ec,
                                              const connection_limits& limits = E::limits) {
    ec.clear();
    std::vector<connection_plan> plans;
    std::vector<endpoint_kind> order;
    char arg[512];
    // Validate and size every subscription first, so a failure leaves no partial plan.
    std::vector<std::size_t> sizes(subs.size());
    for (std::size_t i = 0; i < subs.size(); ++i) {
        sizes[i] = E::request_arg(subs[i], arg, ec);
        if (ec) return {};
        if (std::find(order.begin(), order.end(), E::endpoint_for(subs[i])) == order.end())
            order.push_back(E::endpoint_for(subs[i]));
    }
    for (const endpoint_kind ep : order) {
        std::size_t first_plan = plans.size();
        std::size_t request_bytes = 0, conn_chars = 0, conn_heavy = 0;
        for (std::size_t i = 0; i < subs.size(); ++i) {
            const subscription& s = subs[i];
            if (E::endpoint_for(s) != ep) continue;
            bool duplicate = false;
            for (std::size_t p = first_plan; p < plans.size() && !duplicate; ++p)
                for (const subscription& o : plans[p].subscriptions)
                    if (o == s) duplicate = true;
            if (duplicate) continue;
            const std::size_t n = sizes[i];
            bool heavy = false;
            if constexpr (requires { E::is_heavy_book(s); }) heavy = E::is_heavy_book(s);
            bool new_connection = plans.size() == first_plan;
            if (!new_connection) {
                const connection_plan& c = plans.back();
                if (limits.max_streams_per_connection && c.subscriptions.size() >= limits.max_streams_per_connection)
                    new_connection = true;
                if (limits.max_arg_chars_per_connection && conn_chars + n > limits.max_arg_chars_per_connection)
                    new_connection = true;
                if (heavy && limits.max_heavy_books_per_connection && conn_heavy >= limits.max_heavy_books_per_connection)
                    new_connection = true;
            }
            if (new_connection) {
                plans.push_back(connection_plan{ep, {}, {}});
                conn_chars = conn_heavy = 0;
                request_bytes = 0;
            }
            connection_plan& c = plans.back();
            bool new_request = c.requests.empty();
            if (!new_request) {
                const planned_request& r = c.requests.back();
                if (limits.max_args_per_request && r.count >= limits.max_args_per_request) new_request = true;
                if (limits.max_request_bytes && request_bytes + n + 1 > limits.max_request_bytes) new_request = true;
            }
            if (new_request) {
                c.requests.push_back(planned_request{c.subscriptions.size(), 0});
                request_bytes = detail::request_envelope_bytes;
            }
            c.subscriptions.push_back(s);
            c.requests.back().count += 1;
            request_bytes += n + 1;
            conn_chars += n;
            if (heavy) ++conn_heavy;
        }
    }
    return plans;
}

}  // namespace tradewire::exchange
