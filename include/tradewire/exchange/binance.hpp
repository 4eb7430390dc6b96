// Binance spot public market streams: the binance::spot policy (endpoints, limits,
// heartbeat, subscribe/unsubscribe builders) and binance::decoder (trade, aggTrade,
// bookTicker, diff depth, partial depth, kline, acks, LIST_SUBSCRIPTIONS, errors,
// serverShutdown, and the combined-stream wrapper {"stream":...,"data":...}), plus the
// parser of the REST depth snapshot body (GET /api/v3/depth) that seeds a local book.
//
// Binance pings with WebSocket ping frames every 20 s and drops a connection that has not
// answered within a minute; the client sends no application-level ping. A connection
// lives at most 24 h, carries at most 1024 streams, and may receive at most 5 messages/s
// from the client (pings, pongs and requests all count), so a feed rotates connections
// and paces its requests. Field order inside a payload is not relied upon.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/json.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/exchange/detail/binance_decode.hpp>
#include <tradewire/exchange/detail/binance_fast.hpp>
#include <tradewire/exchange/detail/decode_common.hpp>
#include <tradewire/exchange/detail/request_ids.hpp>
#include <tradewire/exchange/detail/writer.hpp>
#include <tradewire/exchange/error.hpp>
#include <tradewire/exchange/exchange.hpp>
#include <tradewire/market/events.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>
#include <vector>

namespace tradewire::exchange::binance {

// ---------------------------------------------------------------------------- requests

namespace detail {

// Stream names go into JSON strings unescaped: visible ASCII without quote or backslash.
constexpr bool stream_name_ok(std::string_view s) noexcept {
    if (s.empty() || s.size() > 200) return false;
    for (const char c : s) {
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
    }
    return true;
}

// Binance ids: a signed 64-bit integer, a string of at most 36 characters, or null.
inline bool id_ok(const request_id& id) noexcept {
    return !id.is_text() || (!id.too_long() && exchange::detail::id_text_ok(id.text(), 36, true));
}

inline void put_id(exchange::detail::text_writer& w, const request_id& id) noexcept {
    if (id.is_number()) w.put_int(id.number());
    else if (id.is_text()) exchange::detail::put_id_string(w, id);
    else w.put("null");
}

}  // namespace detail

// {"method":"<method>","params":[<params as strings>],"id":<id>}; `params` may be empty,
// in which case the params member is left out (LIST_SUBSCRIPTIONS).
inline std::size_t build_request(std::string_view method, std::span<const std::string_view> params, const request_id& id,
                                 std::span<char> out, std::error_code& ec) noexcept {
    if (!detail::id_ok(id)) {
        ec = error::invalid_request_id;
        return 0;
    }
    for (const std::string_view p : params) {
        if (!detail::stream_name_ok(p)) {
            ec = error::unsupported_stream;
            return 0;
        }
    }
    exchange::detail::text_writer w(out);
    w.put(R"({"method":")");
    w.put(method);
    w.put('"');
    if (!params.empty()) {
        w.put(R"(,"params":[)");
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (i) w.put(',');
            w.put('"');
            w.put(params[i]);
            w.put('"');
        }
        w.put(']');
    }
    w.put(R"(,"id":)");
    detail::put_id(w, id);
    w.put('}');
    return exchange::detail::finish(w, ec);
}

inline std::size_t build_subscribe(std::span<const std::string_view> streams, const request_id& id, std::span<char> out,
                                   std::error_code& ec) noexcept {
    if (streams.empty()) {
        ec = error::empty_request;
        return 0;
    }
    return build_request("SUBSCRIBE", streams, id, out, ec);
}

inline std::size_t build_unsubscribe(std::span<const std::string_view> streams, const request_id& id,
                                     std::span<char> out, std::error_code& ec) noexcept {
    if (streams.empty()) {
        ec = error::empty_request;
        return 0;
    }
    return build_request("UNSUBSCRIBE", streams, id, out, ec);
}

inline std::size_t build_list_subscriptions(const request_id& id, std::span<char> out, std::error_code& ec) noexcept {
    return build_request("LIST_SUBSCRIPTIONS", {}, id, out, ec);
}

// {"method":"SET_PROPERTY","params":["combined",true],"id":5}: "combined" switches the
// connection to the {"stream":...,"data":...} wrapper, which names every message's stream.
inline std::size_t build_set_property(std::string_view name, bool value, const request_id& id, std::span<char> out,
                                      std::error_code& ec) noexcept {
    if (!detail::id_ok(id)) {
        ec = error::invalid_request_id;
        return 0;
    }
    if (!detail::stream_name_ok(name)) {
        ec = error::unsupported_stream;
        return 0;
    }
    exchange::detail::text_writer w(out);
    w.put(R"({"method":"SET_PROPERTY","params":[")");
    w.put(name);
    w.put(value ? R"(",true],"id":)" : R"(",false],"id":)");
    detail::put_id(w, id);
    w.put('}');
    return exchange::detail::finish(w, ec);
}

inline std::size_t build_get_property(std::string_view name, const request_id& id, std::span<char> out,
                                      std::error_code& ec) noexcept {
    const std::string_view params[] = {name};
    return build_request("GET_PROPERTY", params, id, out, ec);
}

// Binance's interval spelling, or empty when Binance has no such kline interval.
constexpr std::string_view interval_name(market::kline_interval iv) noexcept {
    using market::interval_unit;
    struct entry {
        std::uint32_t count;
        interval_unit unit;
        std::string_view name;
    };
    constexpr entry table[] = {{1, interval_unit::second, "1s"}, {1, interval_unit::minute, "1m"},
                               {3, interval_unit::minute, "3m"}, {5, interval_unit::minute, "5m"},
                               {15, interval_unit::minute, "15m"}, {30, interval_unit::minute, "30m"},
                               {1, interval_unit::hour, "1h"},   {2, interval_unit::hour, "2h"},
                               {4, interval_unit::hour, "4h"},   {6, interval_unit::hour, "6h"},
                               {8, interval_unit::hour, "8h"},   {12, interval_unit::hour, "12h"},
                               {1, interval_unit::day, "1d"},    {3, interval_unit::day, "3d"},
                               {1, interval_unit::week, "1w"},   {1, interval_unit::month, "1M"}};
    for (const entry& e : table)
        if (e.count == iv.count && e.unit == iv.unit) return e.name;
    return {};
}

// The stream name of a subscription ("bnbbtc@trade", "btcusdt@depth@100ms",
// "btcusdt@depth5", "btcusdt@kline_1m"):
//   trades -> @trade; agg_trades -> @aggTrade; bbo -> @bookTicker;
//   book depth 0 -> diff depth @depth (update_ms 0 or 1000) or @depth@100ms (100);
//   book depth 5/10/20 -> partial depth @depth<N> (1000 ms) or @depth<N>@100ms;
//   kline -> @kline_<interval>.
inline std::size_t stream_name(const subscription& s, std::span<char> out, std::error_code& ec) noexcept {
    if (s.instrument.empty()) {
        ec = error::invalid_symbol;
        return 0;
    }
    if (s.instrument.is_derivative()) {  // spot streams only: BTC-USDT-SWAP is not BTCUSDT
        ec = error::unsupported_stream;
        return 0;
    }
    const native_symbol native = to_native(s.instrument, symbol_style::concat_lower);
    exchange::detail::text_writer w(out);
    w.put(native.view());
    switch (s.kind) {
        case stream_kind::trades: w.put("@trade"); break;
        case stream_kind::agg_trades: w.put("@aggTrade"); break;
        case stream_kind::bbo: w.put("@bookTicker"); break;
        case stream_kind::book:
            if (s.update_ms != 0 && s.update_ms != 100 && s.update_ms != 1000) {
                ec = error::unsupported_stream;
                return 0;
            }
            if (s.depth == 0) {
                w.put("@depth");
            } else if (s.depth == 5 || s.depth == 10 || s.depth == 20) {
                w.put("@depth");
                w.put_uint(s.depth);
            } else {
                ec = error::unsupported_stream;
                return 0;
            }
            if (s.update_ms == 100) w.put("@100ms");
            break;
        case stream_kind::kline: {
            const std::string_view iv = interval_name(s.interval);
            if (iv.empty()) {
                ec = error::unsupported_stream;
                return 0;
            }
            w.put("@kline_");
            w.put(iv);
            break;
        }
        default: ec = error::unsupported_stream; return 0;
    }
    return exchange::detail::finish(w, ec);
}

// The REST request target of a depth snapshot: "/api/v3/depth?symbol=BNBBTC&limit=5000"
// (limit 1..5000), to GET from spot::urls.rest_base.
inline std::size_t rest_depth_target(const symbol& instrument, unsigned limit, std::span<char> out,
                                     std::error_code& ec) noexcept {
    if (instrument.empty()) {
        ec = error::invalid_symbol;
        return 0;
    }
    if (limit == 0 || limit > 5000) {
        ec = error::unsupported_stream;
        return 0;
    }
    exchange::detail::text_writer w(out);
    w.put("/api/v3/depth?symbol=");
    w.put(to_native(instrument, symbol_style::concat_upper).view());
    w.put("&limit=");
    w.put_uint(limit);
    return exchange::detail::finish(w, ec);
}

// ---------------------------------------------------------------------------- decoder

// Decodes Binance stream payloads (raw or combined) into events. Holds reusable level
// buffers and a symbol cache; one decoder per connection (not thread-safe).
//
// Decisions: trade id = `t` (aggTrade: `a`); taker side = sell when the buyer is the
// maker (`m`); trade time = `T`; diff depth -> book_delta with first/last_update_id =
// U/u and exchange_time = E; partial depth -> book_snapshot with last_update_id =
// lastUpdateId, no time, and the symbol taken from the combined wrapper's stream name
// (or options::default_symbol on a raw single-stream connection; empty otherwise);
// bookTicker -> bbo with update_id = u and no time.
class decoder {
public:
    struct options {
        bool microseconds = false;    // the URL asked for timeUnit=MICROSECOND
        symbol default_symbol;        // symbol of symbol-less partial depth on a raw stream
        std::size_t max_levels = 10000;  // per side and message (the REST snapshot has <= 5000)
        // Match trades and aggTrades in Binance's own layout byte by byte before falling
        // back to the general parser (same results either way; see detail/binance_fast.hpp).
        bool fast_paths = true;
    };

    decoder() : decoder(options{}) {}
    explicit decoder(const options& o) : opt_(o), symbols_(symbol_style::concat_upper) {
        bids_.reserve(1024);
        asks_.reserve(1024);
        topics_.reserve(64);
    }

    // Exact symbol conversion from the venue's instrument list (kept by pointer).
    void set_registry(const symbol_registry* registry) noexcept { symbols_.set_registry(registry); }
    const options& get_options() const noexcept { return opt_; }

    template <class Handler>
    void decode(mutable_bytes payload, Handler& h, market::timestamp receive_time = 0) {
        decode(std::span<char>(reinterpret_cast<char*>(payload.data()), payload.size()), h, receive_time);
    }

    template <class Handler>
    void decode(std::span<char> payload, Handler& h, market::timestamp receive_time = 0) {
        fail_ = {};
        receive_time_ = receive_time;
        if (opt_.fast_paths && fast_message(std::string_view(payload.data(), payload.size()), h)) return;
        const detail::fields* f = parse(payload);
        if (f) emit_message(*f, (top_.present & detail::has_stream) ? top_.stream : std::string_view{}, h);
        if (fail_) exchange::detail::emit(h, decode_error{market::venue::binance, fail_.code, fail_.reason, receive_time_});
    }

    // Parses the body of GET /api/v3/depth ({"lastUpdateId":N,"bids":[...],"asks":[...]})
    // into a book_snapshot for `instrument` (the body does not name it). Returns false and
    // delivers a decode_error when the body is not a valid snapshot.
    template <class Handler>
    bool decode_rest_depth(std::span<char> body, const symbol& instrument, Handler& h,
                           market::timestamp receive_time = 0) {
        fail_ = {};
        receive_time_ = receive_time;
        const detail::fields* f = parse(body);
        if (f && f != &top_) f = nullptr, fail_.set(error::unknown_message, "binance depth snapshot: not a REST body");
        if (f) {
            if ((f->present & detail::snapshot_fields) != detail::snapshot_fields || (f->present & detail::has_e)) {
                fail_.set(error::missing_field, "binance depth snapshot: lastUpdateId, bids, asks");
            } else if (instrument.empty()) {
                fail_.set(error::invalid_symbol, "binance depth snapshot: no symbol given");
            } else {
                emit_snapshot(*f, instrument, h);
            }
        }
        if (fail_) {
            exchange::detail::emit(h, decode_error{market::venue::binance, fail_.code, fail_.reason, receive_time_});
            return false;
        }
        return true;
    }

private:
    // Parses into top_ (and inner_ for a combined wrapper); returns the fields holding
    // the payload, or nullptr on failure (fail_ set). Only presence bits are reset: a
    // field is read only when its bit says it was set by this message.
    const detail::fields* parse(std::span<char> text) {
        detail::fields& top = top_;
        top.present = 0;
        top.k.present = 0;
        json_reader r(text);
        levels_taken_ = 0;
        topics_.clear();
        if (r.peek() != json_type::object) {
            exchange::detail::not_an_object(r, fail_, "binance: message", "binance: message is not a JSON object");
            return nullptr;
        }
        if (!parse_object<true>(r, top)) return nullptr;
        if (!r.finish()) {
            exchange::detail::json_failed(r, fail_, "binance: message");
            return nullptr;
        }
        const bool has_stream = top.present & detail::has_stream, has_data = top.present & detail::has_data;
        if (has_stream != has_data) {
            fail_.set(error::unknown_message, "binance: stream wrapper without both stream and data");
            return nullptr;
        }
        return has_data ? &inner_ : &top;
    }

    // Top: the outer object, which may be a combined-stream wrapper whose `data` is parsed
    // into inner_ (a separate instantiation, so nothing recurses and all of it can inline).
    template <bool Top>
    bool parse_object(json_reader& r, detail::fields& f);

    // The fast paths: true when the message was matched and delivered; false (with
    // nothing delivered and no failure recorded) hands it to the general parser.
    template <class Handler>
    bool fast_message(std::string_view text, Handler& h) {
        if (text.size() > 6 && text[2] == 'e') return fast_trade(text, h);
        if (text.size() > 6 && text[2] == 'u') return fast_ticker(text, h);
        return false;
    }

    template <class Handler>
    bool fast_ticker(std::string_view text, Handler& h) {
        detail::fast_ticker m;
        if (!detail::match_fast_ticker(text, m)) return false;
        market::bbo b;
        b.venue = market::venue::binance;
        if (!symbols_.lookup(m.symbol, b.symbol) || !exchange::detail::to_decimal(m.bid, b.bid_price) ||
            !exchange::detail::to_decimal(m.bid_qty, b.bid_quantity) || !exchange::detail::to_decimal(m.ask, b.ask_price) ||
            !exchange::detail::to_decimal(m.ask_qty, b.ask_quantity) || b.bid_price.mantissa() < 0 ||
            b.ask_price.mantissa() < 0 || b.bid_quantity.mantissa() < 0 || b.ask_quantity.mantissa() < 0)
            return false;
        b.update_id = m.update_id;
        b.receive_time = receive_time_;
        exchange::detail::emit(h, b);
        return true;
    }

    template <class Handler>
    bool fast_trade(std::string_view text, Handler& h) {
        detail::fast_trade m;
        if (!detail::match_fast_trade(text, m)) return false;
        market::trade t;
        t.venue = market::venue::binance;
        const std::int64_t limit = opt_.microseconds ? 9'223'372'036'854'775 : 9'223'372'036'854;
        if (m.trade_time >= limit || !symbols_.lookup(m.symbol, t.symbol) ||
            !exchange::detail::to_decimal(m.price, t.price) || !exchange::detail::to_decimal(m.quantity, t.quantity) ||
            t.price.mantissa() <= 0 || t.quantity.mantissa() < 0)
            return false;
        t.taker_side = m.buyer_maker ? market::side::sell : market::side::buy;
        t.id.assign(static_cast<std::uint64_t>(m.id));
        t.exchange_time = opt_.microseconds ? market::from_unix_us(m.trade_time) : market::from_unix_ms(m.trade_time);
        t.receive_time = receive_time_;
        exchange::detail::emit(h, t);
        return true;
    }
    bool parse_kline(json_reader& r, detail::kline_fields& k);
    bool read_side(json_reader& r, bool bids, std::string_view reason);
    bool read_result(json_reader& r, detail::fields& f);

    template <class Handler>
    void emit_message(const detail::fields& f, std::string_view stream, Handler& h);
    template <class Handler>
    void emit_snapshot(const detail::fields& f, const symbol& s, Handler& h);

    bool lookup_symbol(std::string_view native, symbol& out, std::string_view reason) noexcept {
        if (symbols_.lookup(native, out)) return true;
        return fail_.set(error::invalid_symbol, reason);
    }
    bool time_of(std::int64_t v, market::timestamp& out, std::string_view reason) noexcept {
        // Both units must stay within int64 nanoseconds (until 2262).
        const std::int64_t limit = opt_.microseconds ? 9'223'372'036'854'775 : 9'223'372'036'854;
        if (v < 0 || v >= limit) return fail_.set(error::invalid_number, reason);
        out = opt_.microseconds ? market::from_unix_us(v) : market::from_unix_ms(v);
        return true;
    }
    bool dec(std::string_view text, decimal& out, std::string_view reason) noexcept {
        if (exchange::detail::to_decimal(text, out)) return true;
        return fail_.set(error::invalid_number, reason);
    }

    options opt_;
    exchange::detail::symbol_cache symbols_;
    std::vector<market::book_level> bids_, asks_;
    std::vector<std::string_view> topics_;
    detail::fields top_, inner_;
    unsigned levels_taken_ = 0;  // bit 0: bids read, bit 1: asks read (one array per side per message)
    exchange::detail::failure fail_;
    market::timestamp receive_time_ = 0;
};

// ---------------------------------------------------------------------------- the policy

struct spot {
    static constexpr market::venue id = market::venue::binance;
    static constexpr std::string_view name = "binance";
    // Raw endpoint: subscribe by message; send SET_PROPERTY combined=true (or use the
    // /stream path) to get the wrapper that names each message's stream.
    static constexpr endpoint_set urls{
        "wss://stream.binance.com:9443/ws",        "wss://stream.binance.com:9443/ws",
        "wss://stream.testnet.binance.vision/ws",  "wss://stream.testnet.binance.vision/ws",
        "https://api.binance.com",                 "/api/v3/depth",
    };
    static constexpr connection_limits limits{
        1024,                   // streams per connection
        0,                      // args per request: no documented limit below the stream limit
        0,                      // bytes per request
        0,                      // arg characters per connection
        0,                      // deep book channels per connection
        5,                      // client messages per second (pings, pongs, requests)
        0,                      // requests per hour
        std::chrono::hours(24)  // connection lifetime
    };
    static constexpr heartbeat_policy heartbeat{
        ping_style::server_ping_frames,
        std::chrono::seconds(0),   // the client sends no application ping
        std::chrono::seconds(20),  // server ping frames
        std::chrono::seconds(60),  // unanswered for a minute: the server disconnects
        std::chrono::seconds(0),
        true,
    };

    using decoder = binance::decoder;

    static endpoint_kind endpoint_for(const subscription&) noexcept { return endpoint_kind::market; }

    // "btcusdt@trade" with its quotes: what the subscription adds to a request's params.
    static std::size_t request_arg(const subscription& s, std::span<char> out, std::error_code& ec) noexcept {
        if (out.size() < 2) {
            ec = error::buffer_too_small;
            return 0;
        }
        const std::size_t n = stream_name(s, out.subspan(1, out.size() - 1), ec);
        if (ec) return 0;
        if (n + 2 > out.size()) {
            ec = error::buffer_too_small;
            return 0;
        }
        out[0] = '"';
        out[n + 1] = '"';
        return n + 2;
    }

    static std::size_t build_subscribe(std::span<const subscription> subs, const request_id& req_id, std::span<char> out,
                                       std::error_code& ec) noexcept {
        return build("SUBSCRIBE", subs, req_id, out, ec);
    }
    static std::size_t build_unsubscribe(std::span<const subscription> subs, const request_id& req_id,
                                         std::span<char> out, std::error_code& ec) noexcept {
        return build("UNSUBSCRIBE", subs, req_id, out, ec);
    }
    // Binance pings with control frames; there is no application ping to send.
    static std::size_t build_ping(std::span<char>) noexcept { return 0; }

private:
    static std::size_t build(std::string_view method, std::span<const subscription> subs, const request_id& req_id,
                             std::span<char> out, std::error_code& ec) noexcept {
        if (subs.empty()) {
            ec = error::empty_request;
            return 0;
        }
        if (!detail::id_ok(req_id)) {
            ec = error::invalid_request_id;
            return 0;
        }
        exchange::detail::text_writer w(out);
        w.put(R"({"method":")");
        w.put(method);
        w.put(R"(","params":[)");
        char stream[128];
        for (std::size_t i = 0; i < subs.size(); ++i) {
            const std::size_t n = stream_name(subs[i], stream, ec);
            if (ec) return 0;
            if (i) w.put(',');
            w.put('"');
            w.put(std::string_view(stream, n));
            w.put('"');
        }
        w.put(R"(],"id":)");
        detail::put_id(w, req_id);
        w.put('}');
        return exchange::detail::finish(w, ec);
    }
};

// ---------------------------------------------------------------------------- decoder internals

inline bool decoder::read_side(json_reader& r, bool bids, std::string_view reason) {
    const unsigned bit = bids ? 1u : 2u;
    if (levels_taken_ & bit) return fail_.set(error::unknown_message, reason);
    levels_taken_ |= bit;
    return exchange::detail::read_levels(r, bids ? bids_ : asks_, opt_.max_levels, fail_, reason);
}

inline bool decoder::read_result(json_reader& r, detail::fields& f) {
    const json_type t = r.peek();
    f.result_type = t;
    if (t == json_type::array) {
        r.begin_array();
        while (r.next_element()) {
            std::string_view s;
            if (!r.read_string(s)) return exchange::detail::json_failed(r, fail_, "binance: result list");
            if (topics_.size() == opt_.max_levels) return fail_.set(error::too_many_levels, "binance: result list");
            topics_.push_back(s);
        }
        if (!r.ok()) return exchange::detail::json_failed(r, fail_, "binance: result list");
        return true;
    }
    const char* start = r.position();  // peek() skipped the whitespace before the value
    if (!r.skip()) return exchange::detail::json_failed(r, fail_, "binance: result");
    f.result_text = std::string_view(start, static_cast<std::size_t>(r.position() - start));
    return true;
}

inline bool decoder::parse_kline(json_reader& r, detail::kline_fields& k) {
    using namespace detail;
    if (!r.begin_object()) return exchange::detail::json_failed(r, fail_, "binance kline: k");
    std::string_view key;
    while (r.next_key(key)) {
        bool ok = true;
        std::uint32_t bit = 0;
        if (key.size() == 1) {
            switch (key[0]) {
                case 't': bit = k_t; ok = r.read_int64(k.t); break;
                case 'T': bit = k_T; ok = r.read_int64(k.T); break;
                case 's': bit = k_s; ok = r.read_string(k.s); break;
                case 'i': bit = k_i; ok = r.read_string(k.i); break;
                case 'o': bit = k_o; ok = r.read_string(k.o); break;
                case 'c': bit = k_c; ok = r.read_string(k.c); break;
                case 'h': bit = k_h; ok = r.read_string(k.h); break;
                case 'l': bit = k_l; ok = r.read_string(k.l); break;
                case 'v': bit = k_v; ok = r.read_string(k.v); break;
                case 'q': bit = k_q; ok = r.read_string(k.q); break;
                case 'n': bit = k_n; ok = r.read_int64(k.n); break;
                case 'x': bit = k_x; ok = r.read_bool(k.x); break;
                default: ok = r.skip(); break;
            }
        } else {
            ok = r.skip();
        }
        if (!ok) return exchange::detail::json_failed(r, fail_, kline_field_reason(key));
        if (bit) {
            if (k.present & bit) return fail_.set(error::unknown_message, "binance kline: duplicate field");
            k.present |= bit;
        }
    }
    if (!r.ok()) return exchange::detail::json_failed(r, fail_, "binance kline: k");
    return true;
}

template <bool Top>
inline bool decoder::parse_object(json_reader& r, detail::fields& f) {
    using namespace detail;
    r.begin_object();
    std::string_view key;
    while (r.next_key(key)) {
        bool ok = true;
        std::uint32_t bit = 0;
        if (key.size() == 1) {
            switch (key[0]) {
                case 'e': bit = has_e; ok = r.read_string(f.e); break;
                case 'E': bit = has_E; ok = r.read_int64(f.E); break;
                case 's': bit = has_s; ok = r.read_string(f.s); break;
                case 't': bit = has_t; ok = r.read_int64(f.t); break;
                case 'p': bit = has_p; ok = r.read_string(f.p); break;
                case 'q': bit = has_q; ok = r.read_string(f.q); break;
                case 'T': bit = has_T; ok = r.read_int64(f.T); break;
                case 'm': bit = has_m; ok = r.read_bool(f.m); break;
                case 'u': bit = has_u; ok = r.read_int64(f.u); break;
                case 'U': bit = has_U; ok = r.read_int64(f.U); break;
                case 'A': bit = has_A; ok = r.read_string(f.A); break;
                case 'B': bit = has_B; ok = r.read_string(f.B); break;
                case 'a':
                    switch (r.peek()) {
                        case json_type::number: bit = has_a_id; ok = r.read_int64(f.a_id); break;
                        case json_type::string: bit = has_a_px; ok = r.read_string(f.a_px); break;
                        case json_type::array:
                            bit = has_a_levels;
                            if (!read_side(r, false, "binance: asks (a)")) return false;
                            break;
                        default: ok = r.ok() && r.fail(json_error::type_mismatch); break;
                    }
                    break;
                case 'b':
                    switch (r.peek()) {
                        case json_type::string: bit = has_b_px; ok = r.read_string(f.b_px); break;
                        case json_type::array:
                            bit = has_b_levels;
                            if (!read_side(r, true, "binance: bids (b)")) return false;
                            break;
                        default: ok = r.ok() && r.fail(json_error::type_mismatch); break;
                    }
                    break;
                case 'k':
                    bit = has_k;
                    if (!parse_kline(r, f.k)) return false;
                    break;
                default: ok = r.skip(); break;
            }
        } else if (key == "lastUpdateId") {
            bit = has_last_update_id;
            ok = r.read_int64(f.last_update_id);
        } else if (key == "bids") {
            bit = has_bids;
            if (!read_side(r, true, "binance: bids")) return false;
        } else if (key == "asks") {
            bit = has_asks;
            if (!read_side(r, false, "binance: asks")) return false;
        } else if (Top && key == "stream") {
            bit = has_stream;
            ok = r.read_string(f.stream);
        } else if (Top && key == "data") {
            bit = has_data;
            inner_.present = 0;
            inner_.k.present = 0;
            if (r.peek() != json_type::object) {
                ok = r.ok() && r.fail(json_error::type_mismatch);
            } else if constexpr (Top) {
                if (!parse_object<false>(r, inner_)) return false;
            }
        } else if (key == "result") {
            bit = has_result;
            if (!read_result(r, f)) return false;
        } else if (key == "id") {
            bit = has_id;
            switch (r.peek()) {
                case json_type::number: ok = r.read_number(f.id_text); break;
                case json_type::string: ok = r.read_string(f.id_text); break;
                case json_type::null: ok = r.read_null(); break;
                default: ok = r.ok() && r.fail(json_error::type_mismatch); break;
            }
        } else if (key == "code") {
            bit = has_code;
            ok = r.read_number(f.code_text);
            if (ok && !json_reader::is_integer_token(f.code_text)) ok = r.fail(json_error::not_an_integer);
        } else if (key == "msg") {
            bit = has_msg;
            ok = r.read_string(f.msg);
        } else {
            ok = r.skip();
        }
        if (!ok) return exchange::detail::json_failed(r, fail_, field_reason(key));
        if (bit) {
            if (f.present & bit) return fail_.set(error::unknown_message, "binance: duplicate field");
            f.present |= bit;
        }
    }
    if (!r.ok()) return exchange::detail::json_failed(r, fail_, "binance: message");
    return true;
}

template <class Handler>
void decoder::emit_snapshot(const detail::fields& f, const symbol& s, Handler& h) {
    market::book_snapshot ev;
    ev.venue = market::venue::binance;
    ev.symbol = s;
    ev.bids = bids_;
    ev.asks = asks_;
    ev.sequence.last_update_id = f.last_update_id;
    ev.receive_time = receive_time_;
    exchange::detail::emit(h, ev);
}

template <class Handler>
void decoder::emit_message(const detail::fields& f, std::string_view stream, Handler& h) {
    using namespace detail;
    const std::uint32_t p = f.present;
    if (p & has_e) {
        const std::string_view e = f.e;
        if (e == "trade" || e == "aggTrade") {
            const bool agg = e.size() == 8;
            const std::uint32_t need = has_s | has_p | has_q | has_T | has_m | (agg ? has_a_id : has_t);
            if ((p & need) != need)
                return void(fail_.set(error::missing_field, agg ? "binance aggTrade: s, a, p, q, T, m"
                                                                : "binance trade: s, t, p, q, T, m"));
            market::trade ev;
            ev.venue = market::venue::binance;
            if (!lookup_symbol(f.s, ev.symbol, "binance trade: symbol (s)")) return;
            if (!dec(f.p, ev.price, "binance trade: price (p)") || !dec(f.q, ev.quantity, "binance trade: quantity (q)"))
                return;
            if (ev.price.mantissa() <= 0 || ev.quantity.mantissa() < 0)
                return void(fail_.set(error::invalid_value, "binance trade: price or quantity not positive"));
            const std::int64_t id = agg ? f.a_id : f.t;
            if (id < 0) return void(fail_.set(error::invalid_number, "binance trade: negative trade id"));
            ev.id.assign(static_cast<std::uint64_t>(id));
            ev.taker_side = f.m ? market::side::sell : market::side::buy;
            if (!time_of(f.T, ev.exchange_time, "binance trade: trade time (T)")) return;
            ev.receive_time = receive_time_;
            exchange::detail::emit(h, ev);
            return;
        }
        if (e == "depthUpdate") {
            constexpr std::uint32_t need = has_s | has_U | has_u | has_b_levels | has_a_levels;
            if ((p & need) != need) return void(fail_.set(error::missing_field, "binance depthUpdate: s, U, u, b, a"));
            market::book_delta ev;
            ev.venue = market::venue::binance;
            if (!lookup_symbol(f.s, ev.symbol, "binance depthUpdate: symbol (s)")) return;
            if (f.U > f.u) return void(fail_.set(error::invalid_value, "binance depthUpdate: U > u"));
            ev.bids = bids_;
            ev.asks = asks_;
            ev.sequence.first_update_id = f.U;
            ev.sequence.last_update_id = f.u;
            if (p & has_E) {
                market::timestamp t;
                if (!time_of(f.E, t, "binance depthUpdate: event time (E)")) return;
                ev.exchange_time = t;
            }
            ev.receive_time = receive_time_;
            exchange::detail::emit(h, ev);
            return;
        }
        if (e == "kline") {
            const kline_fields& k = f.k;
            constexpr std::uint32_t need_k = k_t | k_T | k_i | k_o | k_c | k_h | k_l | k_v | k_x;
            if (!(p & has_k) || (k.present & need_k) != need_k || !((p & has_s) || (k.present & k_s)))
                return void(fail_.set(error::missing_field, "binance kline: s, k{t, T, i, o, c, h, l, v, x}"));
            market::kline ev;
            ev.venue = market::venue::binance;
            if (!lookup_symbol((p & has_s) ? f.s : k.s, ev.symbol, "binance kline: symbol (s)")) return;
            if (!exchange::detail::parse_interval_text(k.i, ev.interval) || interval_name(ev.interval).empty())
                return void(fail_.set(error::invalid_value, "binance kline: interval (i)"));
            if (!time_of(k.t, ev.open_time, "binance kline: open time (t)") ||
                !time_of(k.T, ev.close_time, "binance kline: close time (T)"))
                return;
            if (ev.close_time < ev.open_time) return void(fail_.set(error::invalid_value, "binance kline: T < t"));
            if (!dec(k.o, ev.open, "binance kline: open (o)") || !dec(k.h, ev.high, "binance kline: high (h)") ||
                !dec(k.l, ev.low, "binance kline: low (l)") || !dec(k.c, ev.close, "binance kline: close (c)") ||
                !dec(k.v, ev.volume, "binance kline: volume (v)"))
                return;
            if (k.present & k_q) {
                decimal q;
                if (!dec(k.q, q, "binance kline: quote volume (q)")) return;
                ev.quote_volume = q;
            }
            if (k.present & k_n) ev.trade_count = k.n;
            ev.closed = k.x;
            if (p & has_E) {
                market::timestamp t;
                if (!time_of(f.E, t, "binance kline: event time (E)")) return;
                ev.exchange_time = t;
            }
            ev.receive_time = receive_time_;
            exchange::detail::emit(h, ev);
            return;
        }
        if (e == "serverShutdown") {
            control_event ev;
            ev.venue = market::venue::binance;
            ev.kind = control_kind::server_shutdown;
            ev.channel = stream;
            if (p & has_E) {
                market::timestamp t;
                if (!time_of(f.E, t, "binance serverShutdown: event time (E)")) return;
                ev.exchange_time = t;
            }
            ev.receive_time = receive_time_;
            exchange::detail::emit(h, ev);
            return;
        }
        return void(fail_.set(error::unknown_channel, "binance: unsupported event type (e)"));
    }
    if ((p & snapshot_fields) == snapshot_fields) {
        symbol s = opt_.default_symbol;
        if (!stream.empty()) {
            const std::size_t at = stream.find('@');
            if (!lookup_symbol(stream.substr(0, at), s, "binance partial depth: symbol in stream name")) return;
        }
        emit_snapshot(f, s, h);
        return;
    }
    constexpr std::uint32_t ticker = has_u | has_s | has_b_px | has_B | has_a_px | has_A;
    if ((p & ticker) == ticker) {
        market::bbo ev;
        ev.venue = market::venue::binance;
        if (!lookup_symbol(f.s, ev.symbol, "binance bookTicker: symbol (s)")) return;
        if (!dec(f.b_px, ev.bid_price, "binance bookTicker: bid (b)") ||
            !dec(f.B, ev.bid_quantity, "binance bookTicker: bid quantity (B)") ||
            !dec(f.a_px, ev.ask_price, "binance bookTicker: ask (a)") ||
            !dec(f.A, ev.ask_quantity, "binance bookTicker: ask quantity (A)"))
            return;
        if (ev.bid_price.mantissa() < 0 || ev.ask_price.mantissa() < 0 || ev.bid_quantity.mantissa() < 0 ||
            ev.ask_quantity.mantissa() < 0)
            return void(fail_.set(error::invalid_value, "binance bookTicker: negative price or quantity"));
        ev.update_id = f.u;
        ev.receive_time = receive_time_;
        exchange::detail::emit(h, ev);
        return;
    }
    if ((p & (has_result | has_id)) == (has_result | has_id)) {
        control_event ev;
        ev.venue = market::venue::binance;
        ev.request_id = f.id_text;
        if (f.result_type == json_type::null) {
            ev.kind = control_kind::ack;
        } else if (f.result_type == json_type::array) {
            ev.kind = control_kind::subscriptions;
            ev.topics = topics_;
        } else {
            ev.kind = control_kind::property;
            ev.message = f.result_text;
        }
        ev.receive_time = receive_time_;
        exchange::detail::emit(h, ev);
        return;
    }
    if ((p & (has_code | has_msg)) == (has_code | has_msg)) {
        control_event ev;
        ev.venue = market::venue::binance;
        ev.kind = control_kind::error;
        ev.success = false;
        ev.request_id = f.id_text;
        ev.code = f.code_text;
        ev.message = f.msg;
        ev.receive_time = receive_time_;
        exchange::detail::emit(h, ev);
        return;
    }
    if (p & (has_s | has_u | has_b_px | has_a_px | has_last_update_id | has_bids | has_asks))
        return void(fail_.set(error::missing_field, "binance: incomplete bookTicker or depth message"));
    fail_.set(error::unknown_message, "binance: unknown message");
}

}  // namespace tradewire::exchange::binance
