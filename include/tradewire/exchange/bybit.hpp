// Bybit v5 public spot streams: the bybit::spot policy (endpoints, limits, heartbeat,
// subscribe/unsubscribe/ping builders) and bybit::decoder (publicTrade with up to 1024
// trades per message, orderbook.1 as best bid/offer, orderbook.{50,200,1000} snapshots
// and deltas with u and seq, kline, subscribe/unsubscribe acks and every pong variant).
//
// The client keeps the connection alive with {"op":"ping"} every 20 s. Spot accepts at
// most 10 args per subscribe request and 21,000 characters of args per connection. Bybit
// warns that key order varies (spot books put ts before type), so nothing here relies
// on it: when `data` precedes `topic`, the data is skipped and parsed again afterwards.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/json.hpp>
#include <tradewire/core/symbol.hpp>
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

namespace tradewire::exchange::bybit {

// ---------------------------------------------------------------------------- requests

namespace detail {

constexpr bool topic_ok(std::string_view s) noexcept {
    if (s.empty() || s.size() > 128) return false;
    for (const char c : s) {
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
    }
    return true;
}

// Bybit req_id: a short string; letters, digits, '-' and '_' (at most 36, as reqId on /v5/trade).
inline bool id_ok(const request_id& id) noexcept { return exchange::detail::string_id_ok(id, 36, true); }

inline void put_topics(exchange::detail::text_writer& w, std::span<const std::string_view> topics) noexcept {
    w.put(R"("args":[)");
    for (std::size_t i = 0; i < topics.size(); ++i) {
        if (i) w.put(',');
        w.put('"');
        w.put(topics[i]);
        w.put('"');
    }
    w.put(']');
}

inline bool check(std::span<const std::string_view> topics, const request_id& id, std::error_code& ec) noexcept {
    if (topics.empty()) {
        ec = error::empty_request;
        return false;
    }
    if (!id_ok(id)) {
        ec = error::invalid_request_id;
        return false;
    }
    for (const std::string_view t : topics) {
        if (!topic_ok(t)) {
            ec = error::unsupported_stream;
            return false;
        }
    }
    return true;
}

}  // namespace detail

// {"req_id":"<id>","op":"subscribe","args":[...]} (req_id left out when empty). Member
// order follows Bybit's own examples so the bytes match them exactly.
inline std::size_t build_subscribe(std::span<const std::string_view> topics, const request_id& id, std::span<char> out,
                                   std::error_code& ec) noexcept {
    if (!detail::check(topics, id, ec)) return 0;
    exchange::detail::text_writer w(out);
    w.put('{');
    if (!id.empty()) {
        w.put(R"("req_id":)");
        exchange::detail::put_id_string(w, id);
        w.put(',');
    }
    w.put(R"("op":"subscribe",)");
    detail::put_topics(w, topics);
    w.put('}');
    return exchange::detail::finish(w, ec);
}

// {"op":"unsubscribe","args":[...],"req_id":"<id>"} (as in Bybit's example).
inline std::size_t build_unsubscribe(std::span<const std::string_view> topics, const request_id& id,
                                     std::span<char> out, std::error_code& ec) noexcept {
    if (!detail::check(topics, id, ec)) return 0;
    exchange::detail::text_writer w(out);
    w.put(R"({"op":"unsubscribe",)");
    detail::put_topics(w, topics);
    if (!id.empty()) {
        w.put(R"(,"req_id":)");
        exchange::detail::put_id_string(w, id);
    }
    w.put('}');
    return exchange::detail::finish(w, ec);
}

// {"req_id":"100001","op":"ping"}, or {"op":"ping"} without an id.
inline std::size_t build_ping(const request_id& id, std::span<char> out, std::error_code& ec) noexcept {
    if (!detail::id_ok(id)) {
        ec = error::invalid_request_id;
        return 0;
    }
    exchange::detail::text_writer w(out);
    w.put('{');
    if (!id.empty()) {
        w.put(R"("req_id":)");
        exchange::detail::put_id_string(w, id);
        w.put(',');
    }
    w.put(R"("op":"ping"})");
    return exchange::detail::finish(w, ec);
}

// Bybit's kline interval text ("1" "3" "5" "15" "30" "60" "120" "240" "360" "720" "D" "W"
// "M"), or empty when Bybit has none.
constexpr std::string_view interval_name(market::kline_interval iv) noexcept {
    using market::interval_unit;
    std::uint32_t minutes = 0;
    switch (iv.unit) {
        case interval_unit::minute: minutes = iv.count; break;
        case interval_unit::hour: minutes = iv.count * 60; break;
        case interval_unit::day: return iv.count == 1 ? "D" : "";
        case interval_unit::week: return iv.count == 1 ? "W" : "";
        case interval_unit::month: return iv.count == 1 ? "M" : "";
        case interval_unit::second: return "";
    }
    switch (minutes) {
        case 1: return "1";
        case 3: return "3";
        case 5: return "5";
        case 15: return "15";
        case 30: return "30";
        case 60: return "60";
        case 120: return "120";
        case 240: return "240";
        case 360: return "360";
        case 720: return "720";
        default: return "";
    }
}

// Bybit interval text -> interval (60 -> 1h, 720 -> 12h, D -> 1d, W -> 1w, M -> 1M).
constexpr bool parse_interval(std::string_view t, market::kline_interval& out) noexcept {
    using market::interval_unit;
    if (t == "D") return out = {1, interval_unit::day}, true;
    if (t == "W") return out = {1, interval_unit::week}, true;
    if (t == "M") return out = {1, interval_unit::month}, true;
    constexpr std::uint32_t minutes[] = {1, 3, 5, 15, 30, 60, 120, 240, 360, 720};
    std::uint32_t n = 0;
    if (t.empty() || t.size() > 3) return false;
    for (const char c : t) {
        if (c < '0' || c > '9') return false;
        n = n * 10 + static_cast<std::uint32_t>(c - '0');
    }
    for (const std::uint32_t m : minutes) {
        if (m != n) continue;
        out = n % 60 == 0 ? market::kline_interval{n / 60, interval_unit::hour}
                          : market::kline_interval{n, interval_unit::minute};
        return true;
    }
    return false;
}

// The topic of a subscription ("publicTrade.BTCUSDT", "orderbook.50.BTCUSDT",
// "kline.5.BTCUSDT"):
//   trades -> publicTrade; bbo -> orderbook.1 (the spot best bid/offer);
//   book depth 1/50/200/1000 -> orderbook.<depth>; depth 0 -> orderbook.1000 (the deepest);
//   update_ms 0 or the depth's documented rate (1: 10, 50: 20, 200: 100, 1000: 200);
//   kline -> kline.<interval>. agg_trades: unsupported_stream.
inline std::size_t topic(const subscription& s, std::span<char> out, std::error_code& ec) noexcept {
    if (s.instrument.empty()) {
        ec = error::invalid_symbol;
        return 0;
    }
    if (s.instrument.is_derivative()) {  // the spot endpoint: BTC-USDT-SWAP is not BTCUSDT
        ec = error::unsupported_stream;
        return 0;
    }
    exchange::detail::text_writer w(out);
    switch (s.kind) {
        case stream_kind::trades: w.put("publicTrade."); break;
        case stream_kind::bbo: w.put("orderbook.1."); break;
        case stream_kind::book: {
            const std::uint16_t depth = s.depth == 0 ? 1000 : s.depth;
            std::uint16_t rate = 0;
            switch (depth) {
                case 1: rate = 10; break;
                case 50: rate = 20; break;
                case 200: rate = 100; break;
                case 1000: rate = 200; break;
                default: ec = error::unsupported_stream; return 0;
            }
            if (s.update_ms != 0 && s.update_ms != rate) {
                ec = error::unsupported_stream;
                return 0;
            }
            w.put("orderbook.");
            w.put_uint(depth);
            w.put('.');
            break;
        }
        case stream_kind::kline: {
            const std::string_view iv = interval_name(s.interval);
            if (iv.empty()) {
                ec = error::unsupported_stream;
                return 0;
            }
            w.put("kline.");
            w.put(iv);
            w.put('.');
            break;
        }
        default: ec = error::unsupported_stream; return 0;
    }
    w.put(to_native(s.instrument, symbol_style::concat_upper).view());
    return exchange::detail::finish(w, ec);
}

// ---------------------------------------------------------------------------- decoder

// Decodes Bybit v5 public spot payloads into events. One decoder per connection.
//
// Decisions: trade side = `S` (the taker's), id = `i`, time = `T`; orderbook.1 -> bbo
// with update_id = u and exchange_time = ts (an empty side is an error); deeper books ->
// book_snapshot / book_delta with last_update_id = u, seq = seq (cross sequence) and
// exchange_time = ts (`cts`, the matching-engine time, is not carried); kline ->
// close_time = `end` (Bybit states the last ms), quote_volume = turnover, closed = confirm.
class decoder {
public:
    struct options {
        std::size_t max_levels = 2000;  // per side and message (the deepest spot book is 1000)
        std::size_t max_trades = 2048;  // per message (Bybit documents up to 1024)
        std::size_t max_klines = 64;    // per message
    };

    decoder() : decoder(options{}) {}
    explicit decoder(const options& o) : opt_(o), symbols_(symbol_style::concat_upper) {
        bids_.reserve(512);
        asks_.reserve(512);
        trades_.reserve(256);
        klines_.reserve(4);
    }

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
        top_fields f;
        if (parse(payload, f)) emit_message(f, h);
        if (fail_) exchange::detail::emit(h, decode_error{market::venue::bybit, fail_.code, fail_.reason, receive_time_});
    }

private:
    enum class chan : std::uint8_t { none, unknown, trades, bbo, book, kline };

    struct top_fields {
        bool has_topic = false, has_data = false, has_type = false, has_ts = false, has_op = false,
             has_success = false, has_ret_code = false;
        std::string_view topic, type, op, req_id, ret_msg, ret_code;
        std::int64_t ts = 0;
        bool success = false;
        chan kind = chan::none;
        std::string_view topic_symbol;
        market::kline_interval interval;
    };

    struct book_fields {
        bool has_s = false, has_b = false, has_a = false, has_u = false, has_seq = false;
        std::string_view s;
        std::int64_t u = 0, seq = 0;
    };

    bool parse(std::span<char> text, top_fields& f);
    bool parse_data(json_reader& r, top_fields& f);
    bool parse_trade(json_reader& r, market::trade& t);
    bool parse_book(json_reader& r);
    bool parse_kline(json_reader& r, const top_fields& f, market::kline& k);
    template <class Handler>
    void emit_message(const top_fields& f, Handler& h);
    void classify(top_fields& f) noexcept;

    bool to_symbol(std::string_view native, symbol& out, std::string_view reason) noexcept {
        if (symbols_.lookup(native, out)) return true;
        return fail_.set(error::invalid_symbol, reason);
    }
    bool ms_time(std::int64_t v, market::timestamp& out, std::string_view reason) noexcept {
        if (v < 0 || v >= 9'223'372'036'854) return fail_.set(error::invalid_number, reason);
        out = market::from_unix_ms(v);
        return true;
    }
    bool dec(std::string_view text, decimal& out, std::string_view reason) noexcept {
        if (exchange::detail::to_decimal(text, out)) return true;
        return fail_.set(error::invalid_number, reason);
    }

    options opt_;
    exchange::detail::symbol_cache symbols_;
    std::vector<market::book_level> bids_, asks_;
    std::vector<market::trade> trades_;
    std::vector<market::kline> klines_;
    book_fields book_;
    exchange::detail::failure fail_;
    market::timestamp receive_time_ = 0;
};

// ---------------------------------------------------------------------------- the policy

struct spot {
    static constexpr market::venue id = market::venue::bybit;
    static constexpr std::string_view name = "bybit";
    static constexpr endpoint_set urls{
        "wss://stream.bybit.com/v5/public/spot",         "wss://stream.bybit.com/v5/public/spot",
        "wss://stream-testnet.bybit.com/v5/public/spot", "wss://stream-testnet.bybit.com/v5/public/spot",
        "https://api.bybit.com",                         "",  // books send their own snapshot
    };
    static constexpr connection_limits limits{
        0,                        // streams per connection: bounded by the characters below
        10,                       // spot: at most 10 args per subscribe request
        0,                        // bytes per request
        21000,                    // characters of args per connection
        0,                        // deep book channels per connection
        0,                        // client messages per second
        0,                        // requests per hour
        std::chrono::seconds(0),  // no lifetime limit
    };
    static constexpr heartbeat_policy heartbeat{
        ping_style::client_json,
        std::chrono::seconds(20),   // {"op":"ping"} every 20 s (Bybit's recommendation)
        std::chrono::seconds(0),
        std::chrono::seconds(20),   // no pong before the next ping is due: reconnect
        std::chrono::seconds(600),  // documented for private/trade; assumed for public
        true,
    };

    using decoder = bybit::decoder;

    static endpoint_kind endpoint_for(const subscription&) noexcept { return endpoint_kind::market; }

    // "publicTrade.BTCUSDT" with its quotes: what the subscription adds to args.
    static std::size_t request_arg(const subscription& s, std::span<char> out, std::error_code& ec) noexcept {
        if (out.size() < 2) {
            ec = error::buffer_too_small;
            return 0;
        }
        const std::size_t n = topic(s, out.subspan(1, out.size() - 1), ec);
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
        return build(true, subs, req_id, out, ec);
    }
    static std::size_t build_unsubscribe(std::span<const subscription> subs, const request_id& req_id,
                                         std::span<char> out, std::error_code& ec) noexcept {
        return build(false, subs, req_id, out, ec);
    }
    static std::size_t build_ping(std::span<char> out) noexcept {
        std::error_code ec;
        return bybit::build_ping(request_id{}, out, ec);
    }

private:
    static std::size_t build(bool subscribe, std::span<const subscription> subs, const request_id& req_id,
                             std::span<char> out, std::error_code& ec) noexcept {
        constexpr std::size_t max_batch = 64;
        if (subs.empty()) {
            ec = error::empty_request;
            return 0;
        }
        if (subs.size() > max_batch) {  // far above Bybit's 10 per request; plan_connections splits
            ec = error::unsupported_stream;
            return 0;
        }
        char names[max_batch][80];
        std::string_view topics[max_batch];
        for (std::size_t i = 0; i < subs.size(); ++i) {
            const std::size_t n = topic(subs[i], names[i], ec);
            if (ec) return 0;
            topics[i] = std::string_view(names[i], n);
        }
        const std::span<const std::string_view> list(topics, subs.size());
        return subscribe ? bybit::build_subscribe(list, req_id, out, ec) : bybit::build_unsubscribe(list, req_id, out, ec);
    }
};

// ---------------------------------------------------------------------------- decoder internals

inline void decoder::classify(top_fields& f) noexcept {
    const std::string_view t = f.topic;
    f.kind = chan::unknown;
    const std::size_t dot = t.find('.');
    if (dot == std::string_view::npos) return;
    const std::string_view head = t.substr(0, dot);
    const std::string_view rest = t.substr(dot + 1);
    if (head == "publicTrade") {
        f.topic_symbol = rest;
        f.kind = chan::trades;
        return;
    }
    const std::size_t dot2 = rest.find('.');
    if (dot2 == std::string_view::npos) return;
    const std::string_view param = rest.substr(0, dot2);
    f.topic_symbol = rest.substr(dot2 + 1);
    if (head == "orderbook") {
        if (param == "1") f.kind = chan::bbo;
        else if (param == "50" || param == "200" || param == "1000") f.kind = chan::book;
    } else if (head == "kline") {
        if (parse_interval(param, f.interval)) f.kind = chan::kline;
    }
}

inline bool decoder::parse_trade(json_reader& r, market::trade& t) {
    if (!r.begin_object()) return exchange::detail::json_failed(r, fail_, "bybit publicTrade: data element");
    std::string_view key, s, side, v, p, i;
    std::int64_t time = 0;
    unsigned present = 0;
    while (r.next_key(key)) {
        bool ok;
        unsigned bit = 0;
        if (key.size() == 1) {
            switch (key[0]) {
                case 'T': bit = 1, ok = r.read_int64(time); break;
                case 's': bit = 2, ok = r.read_string(s); break;
                case 'S': bit = 4, ok = r.read_string(side); break;
                case 'v': bit = 8, ok = r.read_string(v); break;
                case 'p': bit = 16, ok = r.read_string(p); break;
                case 'i': bit = 32, ok = r.read_string(i); break;
                default: ok = r.skip(); break;
            }
        } else {
            ok = r.skip();
        }
        if (!ok) return exchange::detail::json_failed(r, fail_, "bybit publicTrade: T, s, S, v, p, i");
        if (present & bit) return fail_.set(error::unknown_message, "bybit publicTrade: duplicate field");
        present |= bit;
    }
    if (!r.ok()) return exchange::detail::json_failed(r, fail_, "bybit publicTrade: data element");
    if (present != 63u) return fail_.set(error::missing_field, "bybit publicTrade: T, s, S, v, p, i");
    t.venue = market::venue::bybit;
    if (!to_symbol(s, t.symbol, "bybit publicTrade: symbol (s)")) return false;
    if (!dec(p, t.price, "bybit publicTrade: price (p)") || !dec(v, t.quantity, "bybit publicTrade: size (v)"))
        return false;
    if (t.price.mantissa() <= 0 || t.quantity.mantissa() < 0)
        return fail_.set(error::invalid_value, "bybit publicTrade: price or size not positive");
    if (side == "Buy") t.taker_side = market::side::buy;
    else if (side == "Sell") t.taker_side = market::side::sell;
    else return fail_.set(error::invalid_value, "bybit publicTrade: side (S)");
    if (i.empty() || !t.id.assign(i)) return fail_.set(error::invalid_value, "bybit publicTrade: trade id (i)");
    if (!ms_time(time, t.exchange_time, "bybit publicTrade: time (T)")) return false;
    t.receive_time = receive_time_;
    return true;
}

inline bool decoder::parse_book(json_reader& r) {
    book_ = {};
    if (!r.begin_object()) return exchange::detail::json_failed(r, fail_, "bybit orderbook: data");
    std::string_view key;
    while (r.next_key(key)) {
        bool ok = true;
        bool dup = false;
        if (key == "b") {
            dup = book_.has_b;
            book_.has_b = true;
            if (!exchange::detail::read_levels(r, bids_, opt_.max_levels, fail_, "bybit orderbook: bids (b)")) return false;
        } else if (key == "a") {
            dup = book_.has_a;
            book_.has_a = true;
            if (!exchange::detail::read_levels(r, asks_, opt_.max_levels, fail_, "bybit orderbook: asks (a)")) return false;
        } else if (key == "s") {
            dup = book_.has_s;
            book_.has_s = true;
            ok = r.read_string(book_.s);
        } else if (key == "u") {
            dup = book_.has_u;
            book_.has_u = true;
            ok = r.read_int64(book_.u);
        } else if (key == "seq") {
            dup = book_.has_seq;
            book_.has_seq = true;
            ok = r.read_int64(book_.seq);
        } else {
            ok = r.skip();
        }
        if (!ok) return exchange::detail::json_failed(r, fail_, "bybit orderbook: s, u, seq");
        if (dup) return fail_.set(error::unknown_message, "bybit orderbook: duplicate field");
    }
    if (!r.ok()) return exchange::detail::json_failed(r, fail_, "bybit orderbook: data");
    if (!book_.has_s || !book_.has_b || !book_.has_a || !book_.has_u)
        return fail_.set(error::missing_field, "bybit orderbook: s, b, a, u");
    return true;
}

inline bool decoder::parse_kline(json_reader& r, const top_fields& f, market::kline& k) {
    if (!r.begin_object()) return exchange::detail::json_failed(r, fail_, "bybit kline: data element");
    std::string_view key, interval, o, c, h, l, v, turnover;
    std::int64_t start = 0, end = 0, stamp = 0;
    bool confirm = false;
    unsigned present = 0;
    while (r.next_key(key)) {
        bool ok;
        unsigned bit = 0;
        if (key == "start") bit = 1, ok = r.read_int64(start);
        else if (key == "end") bit = 2, ok = r.read_int64(end);
        else if (key == "interval") bit = 4, ok = r.read_string(interval);
        else if (key == "open") bit = 8, ok = r.read_string(o);
        else if (key == "close") bit = 16, ok = r.read_string(c);
        else if (key == "high") bit = 32, ok = r.read_string(h);
        else if (key == "low") bit = 64, ok = r.read_string(l);
        else if (key == "volume") bit = 128, ok = r.read_string(v);
        else if (key == "confirm") bit = 256, ok = r.read_bool(confirm);
        else if (key == "turnover") bit = 512, ok = r.read_string(turnover);
        else if (key == "timestamp") bit = 1024, ok = r.read_int64(stamp);
        else ok = r.skip();
        if (!ok) return exchange::detail::json_failed(r, fail_, "bybit kline: start, end, interval, open, close, high, low, volume, confirm");
        if (present & bit) return fail_.set(error::unknown_message, "bybit kline: duplicate field");
        present |= bit;
    }
    if (!r.ok()) return exchange::detail::json_failed(r, fail_, "bybit kline: data element");
    if ((present & 511u) != 511u)
        return fail_.set(error::missing_field, "bybit kline: start, end, interval, open, close, high, low, volume, confirm");
    market::kline_interval iv;
    if (!parse_interval(interval, iv) || !(iv == f.interval))
        return fail_.set(error::invalid_value, "bybit kline: interval differs from the topic");
    k.venue = market::venue::bybit;
    k.interval = iv;
    if (!to_symbol(f.topic_symbol, k.symbol, "bybit kline: symbol in topic")) return false;
    if (!ms_time(start, k.open_time, "bybit kline: start") || !ms_time(end, k.close_time, "bybit kline: end")) return false;
    if (end < start) return fail_.set(error::invalid_value, "bybit kline: end < start");
    if (!dec(o, k.open, "bybit kline: open") || !dec(h, k.high, "bybit kline: high") ||
        !dec(l, k.low, "bybit kline: low") || !dec(c, k.close, "bybit kline: close") ||
        !dec(v, k.volume, "bybit kline: volume"))
        return false;
    if (present & 512u) {
        decimal q;
        if (!dec(turnover, q, "bybit kline: turnover")) return false;
        k.quote_volume = q;
    }
    k.closed = confirm;
    if (present & 1024u) {
        market::timestamp t;
        if (!ms_time(stamp, t, "bybit kline: timestamp")) return false;
        k.exchange_time = t;
    } else if (f.has_ts) {
        k.exchange_time = market::from_unix_ms(f.ts);
    }
    k.receive_time = receive_time_;
    return true;
}

inline bool decoder::parse_data(json_reader& r, top_fields& f) {
    switch (f.kind) {
        case chan::trades:
            trades_.clear();
            if (!r.begin_array()) return exchange::detail::json_failed(r, fail_, "bybit publicTrade: data");
            while (r.next_element()) {
                if (trades_.size() == opt_.max_trades) return fail_.set(error::too_many_trades, "bybit publicTrade: data");
                trades_.emplace_back();
                if (!parse_trade(r, trades_.back())) return false;
            }
            if (!r.ok()) return exchange::detail::json_failed(r, fail_, "bybit publicTrade: data");
            if (trades_.empty()) return fail_.set(error::missing_field, "bybit publicTrade: empty data");
            return true;
        case chan::bbo:
        case chan::book: return parse_book(r);
        case chan::kline:
            klines_.clear();
            if (!r.begin_array()) return exchange::detail::json_failed(r, fail_, "bybit kline: data");
            while (r.next_element()) {
                if (klines_.size() == opt_.max_klines) return fail_.set(error::too_many_trades, "bybit kline: data");
                klines_.emplace_back();
                if (!parse_kline(r, f, klines_.back())) return false;
            }
            if (!r.ok()) return exchange::detail::json_failed(r, fail_, "bybit kline: data");
            if (klines_.empty()) return fail_.set(error::missing_field, "bybit kline: empty data");
            return true;
        case chan::none:
        case chan::unknown: break;
    }
    return fail_.set(error::unknown_channel, "bybit: unsupported topic");
}

inline bool decoder::parse(std::span<char> text, top_fields& f) {
    json_reader r(text);
    if (r.peek() != json_type::object)
        return exchange::detail::not_an_object(r, fail_, "bybit: message", "bybit: message is not a JSON object");
    r.begin_object();
    const char* deferred = nullptr;  // `data` seen before `topic`
    std::string_view key;
    while (r.next_key(key)) {
        bool ok = true;
        bool dup = false;
        if (key == "topic") {
            dup = f.has_topic;
            f.has_topic = true;
            ok = r.read_string(f.topic);
            if (ok) classify(f);
        } else if (key == "data") {
            dup = f.has_data;
            f.has_data = true;
            if (f.has_topic && f.kind != chan::unknown) {
                if (!parse_data(r, f)) return false;
            } else {
                r.peek();
                deferred = r.position();
                ok = r.skip();
            }
        } else if (key == "type") {
            dup = f.has_type;
            f.has_type = true;
            ok = r.read_string(f.type);
        } else if (key == "ts") {
            dup = f.has_ts;
            f.has_ts = true;
            ok = r.read_int64(f.ts);
            if (ok && (f.ts < 0 || f.ts >= 9'223'372'036'854)) return fail_.set(error::invalid_number, "bybit: ts");
        } else if (key == "op") {
            dup = f.has_op;
            f.has_op = true;
            ok = r.read_string(f.op);
        } else if (key == "success") {
            f.has_success = true;
            ok = r.read_bool(f.success);
        } else if (key == "ret_msg" || key == "retMsg") {
            ok = r.read_string(f.ret_msg);
        } else if (key == "retCode") {
            f.has_ret_code = true;
            ok = r.read_number(f.ret_code);
            if (ok && !json_reader::is_integer_token(f.ret_code)) ok = r.fail(json_error::not_an_integer);
        } else if (key == "req_id" || key == "reqId") {
            ok = r.read_string(f.req_id);
        } else {
            ok = r.skip();
        }
        if (!ok) return exchange::detail::json_failed(r, fail_, "bybit: topic, type, ts, data, op, success, ret_msg, req_id");
        if (dup) return fail_.set(error::unknown_message, "bybit: duplicate field");
    }
    if (!r.ok() || !r.finish()) return exchange::detail::json_failed(r, fail_, "bybit: message");
    if (!f.has_topic) {
        if (f.has_op) return true;  // a control message; its data (pong timestamps) is not needed
        return fail_.set(error::unknown_message, "bybit: neither topic nor op");
    }
    if (f.kind == chan::unknown) return fail_.set(error::unknown_channel, "bybit: unsupported topic");
    if (!f.has_data) return fail_.set(error::missing_field, "bybit: data");
    if (deferred) {
        const char* end = text.data() + text.size();
        json_reader sub(const_cast<char*>(deferred), static_cast<std::size_t>(end - deferred));
        if (!parse_data(sub, f)) return false;
    }
    return true;
}

template <class Handler>
void decoder::emit_message(const top_fields& f, Handler& h) {
    if (!f.has_topic) {
        control_event ev;
        ev.venue = market::venue::bybit;
        ev.request_id = f.req_id;
        ev.message = f.ret_msg;
        ev.code = f.ret_code;
        ev.channel = f.op;
        ev.receive_time = receive_time_;
        ev.success = f.has_success ? f.success : (!f.has_ret_code || f.ret_code == "0");
        const std::string_view op = f.op;
        if (op == "ping" || op == "pong") ev.kind = control_kind::pong;
        else if (op == "subscribe") ev.kind = control_kind::subscribed;
        else if (op == "unsubscribe") ev.kind = control_kind::unsubscribed;
        else if (op == "auth") ev.kind = control_kind::login;
        else ev.kind = control_kind::ack;
        if (!ev.success && ev.kind != control_kind::login) ev.kind = control_kind::error;
        exchange::detail::emit(h, ev);
        return;
    }
    switch (f.kind) {
        case chan::trades:
            for (const market::trade& t : trades_) exchange::detail::emit(h, t);
            return;
        case chan::kline:
            for (const market::kline& k : klines_) exchange::detail::emit(h, k);
            return;
        case chan::bbo: {
            if (!f.has_type || f.type != "snapshot")
                return void(fail_.set(error::invalid_value, "bybit orderbook.1: type is not snapshot"));
            market::bbo ev;
            ev.venue = market::venue::bybit;
            if (!to_symbol(book_.s, ev.symbol, "bybit orderbook: symbol (s)")) return;
            if (bids_.empty() || asks_.empty())
                return void(fail_.set(error::invalid_value, "bybit orderbook.1: a side has no level"));
            ev.bid_price = bids_.front().price;
            ev.bid_quantity = bids_.front().quantity;
            ev.ask_price = asks_.front().price;
            ev.ask_quantity = asks_.front().quantity;
            ev.update_id = book_.u;
            if (f.has_ts) ev.exchange_time = market::from_unix_ms(f.ts);
            ev.receive_time = receive_time_;
            exchange::detail::emit(h, ev);
            return;
        }
        case chan::book: {
            if (!f.has_type) return void(fail_.set(error::missing_field, "bybit orderbook: type"));
            const bool snapshot = f.type == "snapshot";
            if (!snapshot && f.type != "delta") return void(fail_.set(error::invalid_value, "bybit orderbook: type"));
            auto fill = [&](auto& ev) {
                ev.venue = market::venue::bybit;
                ev.bids = bids_;
                ev.asks = asks_;
                ev.sequence.last_update_id = book_.u;
                if (book_.has_seq) ev.sequence.seq = book_.seq;
                if (f.has_ts) ev.exchange_time = market::from_unix_ms(f.ts);
                ev.receive_time = receive_time_;
                return to_symbol(book_.s, ev.symbol, "bybit orderbook: symbol (s)");
            };
            if (snapshot) {
                market::book_snapshot ev;
                if (fill(ev)) exchange::detail::emit(h, ev);
            } else {
                market::book_delta ev;
                if (fill(ev)) exchange::detail::emit(h, ev);
            }
            return;
        }
        case chan::none:
        case chan::unknown: fail_.set(error::unknown_channel, "bybit: unsupported topic"); return;
    }
}

}  // namespace tradewire::exchange::bybit
