// OKX v5 public market streams: the okx::spot policy (endpoints, limits, heartbeat,
// subscribe/unsubscribe builders) and okx::decoder (trades, trades-all, bbo-tbt, books5,
// books / books-l2-tbt / books50-l2-tbt snapshots and updates with seqId, prevSeqId and
// checksum, candles, subscribe/unsubscribe/error/notice/login events, and the text pong).
//
// OKX drops a connection that has carried nothing for 30 s: a feed sends the text `ping`
// after N < 30 s without traffic and reconnects if `pong` does not follow within N s.
// Candles live on the business endpoint (/ws/v5/business), everything else here on
// /ws/v5/public. A request's channel list may not exceed 64 KB; subscribe, unsubscribe
// and login requests together are limited to 480 per hour per connection; OKX advises
// fewer than 30 deep book channels per connection. Key order is not relied upon: when
// `data` precedes `arg`, the data is skipped and parsed again once the channel is known.
//
// Instruments: a spot instId ("BTC-USDT") is already the canonical BASE-QUOTE text. A
// derivative instId ("BCH-USDT-SWAP", "BTC-USD-240329") has no BASE-QUOTE form, so its
// events carry an empty symbol; decoder::instrument() gives the instId during the callback.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/json.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/exchange/detail/calendar.hpp>
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

namespace tradewire::exchange::okx {

// ---------------------------------------------------------------------------- requests

// One element of a request's args: {"channel":"books","instId":"BTC-USDT"}.
struct channel_arg {
    std::string_view channel;
    std::string_view inst_id;
};

namespace detail {

// Channel and instrument names go into JSON strings unescaped.
constexpr bool name_ok(std::string_view s) noexcept {
    if (s.empty() || s.size() > 64) return false;
    for (const char c : s) {
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
    }
    return true;
}

// OKX ids: up to 32 letters and digits.
inline bool id_ok(const request_id& id) noexcept { return exchange::detail::string_id_ok(id, 32, false); }

inline void put_arg(exchange::detail::text_writer& w, const channel_arg& a) noexcept {
    w.put(R"({"channel":")");
    w.put(a.channel);
    w.put(R"(","instId":")");
    w.put(a.inst_id);
    w.put(R"("})");
}

}  // namespace detail

// {"id":"<id>","op":"<op>","args":[...]}; the id member is left out when `id` is empty.
inline std::size_t build_request(std::string_view op, std::span<const channel_arg> args, const request_id& id,
                                 std::span<char> out, std::error_code& ec) noexcept {
    if (args.empty()) {
        ec = error::empty_request;
        return 0;
    }
    if (!detail::id_ok(id)) {
        ec = error::invalid_request_id;
        return 0;
    }
    for (const channel_arg& a : args) {
        if (!detail::name_ok(a.channel) || !detail::name_ok(a.inst_id)) {
            ec = error::unsupported_stream;
            return 0;
        }
    }
    exchange::detail::text_writer w(out);
    w.put('{');
    if (!id.empty()) {
        w.put(R"("id":)");
        exchange::detail::put_id_string(w, id);
        w.put(',');
    }
    w.put(R"("op":")");
    w.put(op);
    w.put(R"(","args":[)");
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i) w.put(',');
        detail::put_arg(w, args[i]);
    }
    w.put("]}");
    return exchange::detail::finish(w, ec);
}

inline std::size_t build_subscribe(std::span<const channel_arg> args, const request_id& id, std::span<char> out,
                                   std::error_code& ec) noexcept {
    return build_request("subscribe", args, id, out, ec);
}

inline std::size_t build_unsubscribe(std::span<const channel_arg> args, const request_id& id, std::span<char> out,
                                     std::error_code& ec) noexcept {
    return build_request("unsubscribe", args, id, out, ec);
}

// The candle channel of an interval ("candle1m", "candle1H", "candle1D", "candle1M"), or
// empty when OKX has none. The UTC-aligned variants ("candle1Dutc") are subscribed by
// name through build_subscribe(channel_arg...).
inline std::string_view candle_channel(market::kline_interval iv) noexcept {
    using market::interval_unit;
    struct entry {
        std::uint32_t count;
        interval_unit unit;
        std::string_view name;
    };
    static constexpr entry table[] = {
        {1, interval_unit::second, "candle1s"}, {1, interval_unit::minute, "candle1m"},
        {3, interval_unit::minute, "candle3m"}, {5, interval_unit::minute, "candle5m"},
        {15, interval_unit::minute, "candle15m"}, {30, interval_unit::minute, "candle30m"},
        {1, interval_unit::hour, "candle1H"},   {2, interval_unit::hour, "candle2H"},
        {4, interval_unit::hour, "candle4H"},   {6, interval_unit::hour, "candle6H"},
        {12, interval_unit::hour, "candle12H"}, {1, interval_unit::day, "candle1D"},
        {2, interval_unit::day, "candle2D"},    {3, interval_unit::day, "candle3D"},
        {5, interval_unit::day, "candle5D"},    {1, interval_unit::week, "candle1W"},
        {1, interval_unit::month, "candle1M"},  {3, interval_unit::month, "candle3M"},
    };
    for (const entry& e : table)
        if (e.count == iv.count && e.unit == iv.unit) return e.name;
    return {};
}

// The channel of a subscription:
//   trades -> trades; bbo -> bbo-tbt; kline -> candle<interval> (business endpoint);
//   book depth 0 or 400 -> books (update_ms 0/100) or books-l2-tbt (10; VIP, login);
//   depth 50 -> books50-l2-tbt (update_ms 0/10; VIP, login); depth 5 -> books5 (0/100);
//   depth 1 -> bbo-tbt (0/10). agg_trades and other depths: unsupported_stream.
inline std::string_view channel_name(const subscription& s, std::error_code& ec) noexcept {
    ec.clear();
    const std::uint16_t ms = s.update_ms;
    switch (s.kind) {
        case stream_kind::trades: return "trades";
        case stream_kind::bbo: return "bbo-tbt";
        case stream_kind::kline: {
            const std::string_view c = candle_channel(s.interval);
            if (c.empty()) ec = error::unsupported_stream;
            return c;
        }
        case stream_kind::book:
            if ((s.depth == 0 || s.depth == 400) && (ms == 0 || ms == 100)) return "books";
            if ((s.depth == 0 || s.depth == 400) && ms == 10) return "books-l2-tbt";
            if (s.depth == 50 && (ms == 0 || ms == 10)) return "books50-l2-tbt";
            if (s.depth == 5 && (ms == 0 || ms == 100)) return "books5";
            if (s.depth == 1 && (ms == 0 || ms == 10)) return "bbo-tbt";
            break;
        default: break;
    }
    ec = error::unsupported_stream;
    return {};
}

// ---------------------------------------------------------------------------- decoder

// Decodes OKX public payloads into events. One decoder per connection (not thread-safe).
//
// Decisions: trade side = OKX `side` (the taker's); trade time = ts; bbo-tbt -> bbo from
// the first bid and ask with update_id = seqId (an empty side is an error: there is no
// best price to report); books5 -> book_snapshot; books* -> book_snapshot ("snapshot")
// or book_delta ("update") with seq = seqId, prev_seq = prevSeqId, checksum as sent;
// candles -> kline with close_time = open + interval (months by the calendar, aligned to
// UTC+8 unless the channel ends in "utc"), quote_volume = volCcyQuote, closed = confirm "1".
class decoder {
public:
    struct options {
        std::size_t max_levels = 5000;  // per side and message (books sends 400)
        std::size_t max_trades = 1024;  // per message
        std::size_t max_klines = 1024;  // per message
        // Derivative instIds (BTC-USDT-SWAP, BTC-USD-240628) as derivative symbols
        // (symbol::parse_instrument). Off: such events carry an empty symbol and
        // instrument() names them (the earlier behaviour, kept for existing callers);
        // feed<okx::spot> turns it on so derivative books and trades are routed.
        bool derivative_symbols = false;
    };

    decoder() : decoder(options{}) {}
    explicit decoder(const options& o) : opt_(o), symbols_(symbol_style::dash) {
        bids_.reserve(512);
        asks_.reserve(512);
        trades_.reserve(64);
        klines_.reserve(8);
    }

    void set_registry(const symbol_registry* registry) noexcept { symbols_.set_registry(registry); }
    void set_derivative_symbols(bool on) noexcept { opt_.derivative_symbols = on; }
    const options& get_options() const noexcept { return opt_; }

    // The instId of the message being delivered (valid during the callback).
    std::string_view instrument() const noexcept { return inst_id_; }

    template <class Handler>
    void decode(mutable_bytes payload, Handler& h, market::timestamp receive_time = 0) {
        decode(std::span<char>(reinterpret_cast<char*>(payload.data()), payload.size()), h, receive_time);
    }

    template <class Handler>
    void decode(std::span<char> payload, Handler& h, market::timestamp receive_time = 0) {
        fail_ = {};
        receive_time_ = receive_time;
        inst_id_ = {};
        if (std::string_view(payload.data(), payload.size()) == "pong") {
            control_event ev;
            ev.venue = market::venue::okx;
            ev.kind = control_kind::pong;
            ev.receive_time = receive_time_;
            exchange::detail::emit(h, ev);
            return;
        }
        top_fields f;
        if (parse(payload, f)) emit_message(f, h);
        if (fail_) exchange::detail::emit(h, decode_error{market::venue::okx, fail_.code, fail_.reason, receive_time_});
    }

private:
    enum class chan : std::uint8_t { none, unknown, trades, bbo, books5, books, candle };

    struct top_fields {
        bool has_arg = false, has_data = false, has_event = false, has_action = false, has_code = false;
        std::string_view channel, action, event, id, code, msg;
        chan kind = chan::none;
        market::kline_interval interval;
        std::int64_t candle_offset_ms = 0;
    };

    struct book_fields {
        bool has_asks = false, has_bids = false, has_ts = false, has_seq = false, has_prev = false, has_checksum = false;
        std::int64_t ts = 0, seq = 0, prev = 0, checksum = 0;
    };

    bool parse(std::span<char> text, top_fields& f);
    bool parse_arg(json_reader& r, top_fields& f);
    bool parse_data(json_reader& r, top_fields& f);
    bool parse_trade(json_reader& r, market::trade& t);
    bool parse_book(json_reader& r);
    bool parse_candle(json_reader& r, const top_fields& f, market::kline& k);
    template <class Handler>
    void emit_message(const top_fields& f, Handler& h);

    bool classify(top_fields& f) noexcept;
    bool to_symbol(std::string_view inst, symbol& out, std::string_view reason) noexcept {
        if (symbols_.lookup(inst, out)) return true;
        // A derivative instId (more than one '-'): BASE-QUOTE plus its contract part
        // (BTC-USDT-SWAP, BTC-USD-240628) when options::derivative_symbols is on. One
        // too long for a symbol (over 29 characters), or with the option off, decodes
        // with an empty symbol; decoder::instrument() has the text.
        std::size_t dashes = 0;
        for (const char c : inst) {
            if (c == '-') ++dashes;
            else if (!exchange::detail::is_alnum(c)) return fail_.set(error::invalid_symbol, reason);
        }
        if (dashes < 2 || inst.size() > 47) return fail_.set(error::invalid_symbol, reason);
        out = symbol{};
        if (!opt_.derivative_symbols) return true;
        std::error_code ec;
        out = symbol::parse_instrument(inst, ec);
        if (ec && ec != symbol_error::too_long) return fail_.set(error::invalid_symbol, reason);
        if (ec) out = symbol{};
        return true;
    }
    bool ms_time(std::string_view text, market::timestamp& out, std::string_view reason) noexcept {
        std::int64_t v = 0;
        if (!parse_int64(text, v) || v < 0 || v >= 9'223'372'036'854) return fail_.set(error::invalid_number, reason);
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
    std::string_view inst_id_;
    exchange::detail::failure fail_;
    market::timestamp receive_time_ = 0;
};

// ---------------------------------------------------------------------------- the policy

struct spot {
    static constexpr market::venue id = market::venue::okx;
    static constexpr std::string_view name = "okx";
    static constexpr endpoint_set urls{
        "wss://ws.okx.com:8443/ws/v5/public",    "wss://ws.okx.com:8443/ws/v5/business",
        "wss://wspap.okx.com:8443/ws/v5/public", "wss://wspap.okx.com:8443/ws/v5/business",
        "https://www.okx.com",                   "",  // books sends its own snapshot
    };
    static constexpr connection_limits limits{
        0,                        // streams per connection: no hard limit documented
        0,                        // args per request
        65536,                    // bytes per request (the channel list may not exceed 64 KB)
        0,                        // arg characters per connection
        29,                       // "fewer than 30" deep book channels per connection
        0,                        // client messages per second
        480,                      // subscribe + unsubscribe + login per hour per connection
        std::chrono::seconds(0),  // no lifetime limit
    };
    static constexpr heartbeat_policy heartbeat{
        ping_style::client_text,
        std::chrono::seconds(25),  // send `ping` after 25 s without traffic (must be < 30 s)
        std::chrono::seconds(0),
        std::chrono::seconds(25),  // no `pong` within N s: reconnect
        std::chrono::seconds(30),  // nothing pushed for 30 s: OKX closes the connection
        true,
    };

    using decoder = okx::decoder;

    static endpoint_kind endpoint_for(const subscription& s) noexcept {
        return s.kind == stream_kind::kline ? endpoint_kind::business : endpoint_kind::market;
    }

    // Books of 50 or 400 levels: OKX advises fewer than 30 per connection.
    static bool is_heavy_book(const subscription& s) noexcept {
        std::error_code ec;
        const std::string_view c = channel_name(s, ec);
        return !ec && (c == "books" || c == "books-l2-tbt" || c == "books50-l2-tbt");
    }

    // {"channel":"books","instId":"BTC-USDT"}: what the subscription adds to args.
    static std::size_t request_arg(const subscription& s, std::span<char> out, std::error_code& ec) noexcept {
        channel_arg a;
        if (!to_arg(s, a, ec)) return 0;
        exchange::detail::text_writer w(out);
        detail::put_arg(w, a);
        return exchange::detail::finish(w, ec);
    }

    static std::size_t build_subscribe(std::span<const subscription> subs, const request_id& req_id, std::span<char> out,
                                       std::error_code& ec) noexcept {
        return build("subscribe", subs, req_id, out, ec);
    }
    static std::size_t build_unsubscribe(std::span<const subscription> subs, const request_id& req_id,
                                         std::span<char> out, std::error_code& ec) noexcept {
        return build("unsubscribe", subs, req_id, out, ec);
    }
    // The text `ping`; OKX answers with the text `pong`.
    static std::size_t build_ping(std::span<char> out) noexcept {
        if (out.size() < 4) return 0;
        out[0] = 'p';
        out[1] = 'i';
        out[2] = 'n';
        out[3] = 'g';
        return 4;
    }

private:
    static bool to_arg(const subscription& s, channel_arg& a, std::error_code& ec) noexcept {
        if (s.instrument.empty()) {
            ec = error::invalid_symbol;
            return false;
        }
        a.channel = channel_name(s, ec);
        if (ec) return false;
        // Canonical BASE-QUOTE is OKX's spot instId; a derivative symbol's text is its
        // instId (BTC-USDT-SWAP).
        a.inst_id = s.instrument.str();
        return true;
    }

    static std::size_t build(std::string_view op, std::span<const subscription> subs, const request_id& req_id,
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
        w.put('{');
        if (!req_id.empty()) {
            w.put(R"("id":)");
            exchange::detail::put_id_string(w, req_id);
            w.put(',');
        }
        w.put(R"("op":")");
        w.put(op);
        w.put(R"(","args":[)");
        for (std::size_t i = 0; i < subs.size(); ++i) {
            channel_arg a;
            if (!to_arg(subs[i], a, ec)) return 0;
            if (i) w.put(',');
            detail::put_arg(w, a);
        }
        w.put("]}");
        return exchange::detail::finish(w, ec);
    }
};

// ---------------------------------------------------------------------------- decoder internals

inline bool decoder::classify(top_fields& f) noexcept {
    const std::string_view c = f.channel;
    if (c == "trades" || c == "trades-all") f.kind = chan::trades;
    else if (c == "bbo-tbt") f.kind = chan::bbo;
    else if (c == "books5") f.kind = chan::books5;
    else if (c == "books" || c == "books-l2-tbt" || c == "books50-l2-tbt") f.kind = chan::books;
    else if (c.size() > 6 && c.substr(0, 6) == "candle") {
        // candle<count><unit>[utc]: s m H D W M; 6H and longer align to UTC+8 unless "utc".
        std::string_view rest = c.substr(6);
        bool utc = false;
        if (rest.size() > 3 && rest.substr(rest.size() - 3) == "utc") {
            utc = true;
            rest.remove_suffix(3);
        }
        std::uint32_t n = 0;
        std::size_t i = 0;
        for (; i < rest.size() && i < 4 && rest[i] >= '0' && rest[i] <= '9'; ++i)
            n = n * 10 + static_cast<std::uint32_t>(rest[i] - '0');
        f.kind = chan::unknown;
        if (i == 0 || i + 1 != rest.size() || n == 0) return true;
        switch (rest[i]) {
            case 's': f.interval = {n, market::interval_unit::second}; break;
            case 'm': f.interval = {n, market::interval_unit::minute}; break;
            case 'H': f.interval = {n, market::interval_unit::hour}; break;
            case 'D': f.interval = {n, market::interval_unit::day}; break;
            case 'W': f.interval = {n, market::interval_unit::week}; break;
            case 'M': f.interval = {n, market::interval_unit::month}; break;
            default: return true;
        }
        f.kind = chan::candle;
        f.candle_offset_ms = utc ? 0 : 8 * 3'600'000;
    } else {
        f.kind = chan::unknown;
    }
    return true;
}

inline bool decoder::parse_arg(json_reader& r, top_fields& f) {
    if (!r.begin_object()) return exchange::detail::json_failed(r, fail_, "okx: arg");
    std::string_view key;
    bool has_channel = false;
    while (r.next_key(key)) {
        bool ok;
        if (key == "channel") {
            ok = r.read_string(f.channel);
            has_channel = true;
        } else if (key == "instId") {
            ok = r.read_string(inst_id_);
        } else {
            ok = r.skip();
        }
        if (!ok) return exchange::detail::json_failed(r, fail_, "okx: arg");
    }
    if (!r.ok()) return exchange::detail::json_failed(r, fail_, "okx: arg");
    if (!has_channel) return fail_.set(error::missing_field, "okx: arg.channel");
    return classify(f);
}

inline bool decoder::parse_trade(json_reader& r, market::trade& t) {
    if (!r.begin_object()) return exchange::detail::json_failed(r, fail_, "okx trades: data element");
    std::string_view key, inst, id, px, sz, side, ts;
    unsigned present = 0;
    while (r.next_key(key)) {
        bool ok;
        unsigned bit = 0;
        if (key == "px") bit = 1, ok = r.read_string(px);
        else if (key == "sz") bit = 2, ok = r.read_string(sz);
        else if (key == "side") bit = 4, ok = r.read_string(side);
        else if (key == "ts") bit = 8, ok = r.read_string(ts);
        else if (key == "tradeId") bit = 16, ok = r.read_string(id);
        else if (key == "instId") bit = 32, ok = r.read_string(inst);
        else ok = r.skip();
        if (!ok) return exchange::detail::json_failed(r, fail_, "okx trades: px, sz, side, ts, tradeId, instId");
        if (present & bit) return fail_.set(error::unknown_message, "okx trades: duplicate field");
        present |= bit;
    }
    if (!r.ok()) return exchange::detail::json_failed(r, fail_, "okx trades: data element");
    if ((present & 31u) != 31u) return fail_.set(error::missing_field, "okx trades: px, sz, side, ts, tradeId");
    t.venue = market::venue::okx;
    if (!(present & 32u)) inst = inst_id_;
    if (inst_id_.empty()) inst_id_ = inst;
    if (inst != inst_id_) return fail_.set(error::invalid_value, "okx trades: instId differs from arg.instId");
    if (!to_symbol(inst, t.symbol, "okx trades: instId")) return false;
    if (!dec(px, t.price, "okx trades: price (px)") || !dec(sz, t.quantity, "okx trades: size (sz)")) return false;
    if (t.price.mantissa() <= 0 || t.quantity.mantissa() < 0)
        return fail_.set(error::invalid_value, "okx trades: price or size not positive");
    if (side == "buy") t.taker_side = market::side::buy;
    else if (side == "sell") t.taker_side = market::side::sell;
    else return fail_.set(error::invalid_value, "okx trades: side");
    if (id.empty() || !t.id.assign(id)) return fail_.set(error::invalid_value, "okx trades: tradeId");
    if (!ms_time(ts, t.exchange_time, "okx trades: ts")) return false;
    t.receive_time = receive_time_;
    return true;
}

inline bool decoder::parse_book(json_reader& r) {
    book_ = {};
    if (!r.begin_object()) return exchange::detail::json_failed(r, fail_, "okx books: data element");
    std::string_view key, ts, inst;
    while (r.next_key(key)) {
        bool ok = true;
        bool dup = false;
        if (key == "asks") {
            dup = book_.has_asks;
            book_.has_asks = true;
            if (!exchange::detail::read_levels(r, asks_, opt_.max_levels, fail_, "okx books: asks")) return false;
        } else if (key == "bids") {
            dup = book_.has_bids;
            book_.has_bids = true;
            if (!exchange::detail::read_levels(r, bids_, opt_.max_levels, fail_, "okx books: bids")) return false;
        } else if (key == "ts") {
            dup = book_.has_ts;
            book_.has_ts = true;
            ok = r.read_string(ts);
        } else if (key == "seqId") {
            dup = book_.has_seq;
            book_.has_seq = true;
            ok = r.read_int64(book_.seq);
        } else if (key == "prevSeqId") {
            dup = book_.has_prev;
            book_.has_prev = true;
            ok = r.read_int64(book_.prev);
        } else if (key == "checksum") {
            dup = book_.has_checksum;
            book_.has_checksum = true;
            ok = r.read_int64(book_.checksum);
            if (ok && (book_.checksum < INT32_MIN || book_.checksum > INT32_MAX))
                return fail_.set(error::invalid_number, "okx books: checksum");
        } else if (key == "instId") {
            ok = r.read_string(inst);
        } else {
            ok = r.skip();
        }
        if (!ok) return exchange::detail::json_failed(r, fail_, "okx books: ts, seqId, prevSeqId, checksum, instId");
        if (dup) return fail_.set(error::unknown_message, "okx books: duplicate field");
    }
    if (!r.ok()) return exchange::detail::json_failed(r, fail_, "okx books: data element");
    if (!book_.has_asks || !book_.has_bids || !book_.has_ts)
        return fail_.set(error::missing_field, "okx books: asks, bids, ts");
    if (!inst.empty() && !inst_id_.empty() && inst != inst_id_)
        return fail_.set(error::invalid_value, "okx books: instId differs from arg.instId");
    if (inst_id_.empty()) inst_id_ = inst;
    std::int64_t t = 0;
    if (!parse_int64(ts, t) || t < 0 || t >= 9'223'372'036'854) return fail_.set(error::invalid_number, "okx books: ts");
    book_.ts = t;
    return true;
}

inline bool decoder::parse_candle(json_reader& r, const top_fields& f, market::kline& k) {
    // [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]
    std::string_view v[9];
    std::size_t n = 0;
    if (!r.begin_array()) return exchange::detail::json_failed(r, fail_, "okx candle: data element");
    while (r.next_element()) {
        std::string_view s;
        if (!r.read_string(s)) return exchange::detail::json_failed(r, fail_, "okx candle: data element");
        if (n < 9) v[n] = s;
        ++n;
    }
    if (!r.ok()) return exchange::detail::json_failed(r, fail_, "okx candle: data element");
    if (n < 9) return fail_.set(error::missing_field, "okx candle: [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]");
    k.venue = market::venue::okx;
    k.interval = f.interval;
    if (!to_symbol(inst_id_, k.symbol, "okx candle: instId")) return false;
    std::int64_t open_ms = 0;
    if (!parse_int64(v[0], open_ms) || open_ms < 0 || open_ms >= 9'000'000'000'000)
        return fail_.set(error::invalid_number, "okx candle: ts");
    const std::int64_t close_ms = f.interval.unit == market::interval_unit::month
                                      ? exchange::detail::add_months_ms(open_ms, f.interval.count, f.candle_offset_ms)
                                      : open_ms + f.interval.seconds() * 1000;
    k.open_time = market::from_unix_ms(open_ms);
    k.close_time = market::from_unix_ms(close_ms);
    if (!dec(v[1], k.open, "okx candle: open") || !dec(v[2], k.high, "okx candle: high") ||
        !dec(v[3], k.low, "okx candle: low") || !dec(v[4], k.close, "okx candle: close") ||
        !dec(v[5], k.volume, "okx candle: vol"))
        return false;
    decimal quote;
    if (!dec(v[7], quote, "okx candle: volCcyQuote")) return false;
    k.quote_volume = quote;
    if (v[8] == "1") k.closed = true;
    else if (v[8] == "0") k.closed = false;
    else return fail_.set(error::invalid_value, "okx candle: confirm");
    k.receive_time = receive_time_;
    return true;
}

inline bool decoder::parse_data(json_reader& r, top_fields& f) {
    if (!r.begin_array()) return exchange::detail::json_failed(r, fail_, "okx: data");
    std::size_t count = 0;
    switch (f.kind) {
        case chan::trades:
            trades_.clear();
            while (r.next_element()) {
                if (trades_.size() == opt_.max_trades) return fail_.set(error::too_many_trades, "okx trades: data");
                trades_.emplace_back();
                if (!parse_trade(r, trades_.back())) return false;
            }
            if (r.ok() && trades_.empty()) return fail_.set(error::missing_field, "okx trades: empty data");
            break;
        case chan::bbo:
        case chan::books5:
        case chan::books:
            while (r.next_element()) {
                if (++count > 1) return fail_.set(error::unknown_message, "okx books: more than one data element");
                if (!parse_book(r)) return false;
            }
            if (r.ok() && count == 0) return fail_.set(error::missing_field, "okx books: empty data");
            break;
        case chan::candle:
            klines_.clear();
            while (r.next_element()) {
                if (klines_.size() == opt_.max_klines) return fail_.set(error::too_many_trades, "okx candle: data");
                klines_.emplace_back();
                if (!parse_candle(r, f, klines_.back())) return false;
            }
            if (r.ok() && klines_.empty()) return fail_.set(error::missing_field, "okx candle: empty data");
            break;
        case chan::none:
        case chan::unknown: return fail_.set(error::unknown_channel, "okx: unsupported channel");
    }
    if (!r.ok()) return exchange::detail::json_failed(r, fail_, "okx: data");
    return true;
}

inline bool decoder::parse(std::span<char> text, top_fields& f) {
    json_reader r(text);
    if (r.peek() != json_type::object)
        return exchange::detail::not_an_object(r, fail_, "okx: message", "okx: message is not a JSON object");
    r.begin_object();
    const char* deferred = nullptr;  // `data` seen before `arg`
    std::string_view key;
    while (r.next_key(key)) {
        bool ok = true;
        bool dup = false;
        if (key == "arg") {
            dup = f.has_arg;
            f.has_arg = true;
            if (!parse_arg(r, f)) return false;
        } else if (key == "data") {
            dup = f.has_data;
            f.has_data = true;
            if (r.peek() != json_type::array) {
                ok = r.ok() && r.fail(json_error::type_mismatch);
            } else if (f.has_arg && f.kind != chan::unknown) {
                if (!parse_data(r, f)) return false;
            } else {
                deferred = r.position();
                ok = r.skip();
            }
        } else if (key == "action") {
            dup = f.has_action;
            f.has_action = true;
            ok = r.read_string(f.action);
        } else if (key == "event") {
            dup = f.has_event;
            f.has_event = true;
            ok = r.read_string(f.event);
        } else if (key == "id") {
            ok = r.read_string(f.id);
        } else if (key == "code") {
            f.has_code = true;
            ok = r.read_string(f.code);
        } else if (key == "msg") {
            ok = r.read_string(f.msg);
        } else {
            ok = r.skip();
        }
        if (!ok) return exchange::detail::json_failed(r, fail_, "okx: arg, data, action, event, id, code, msg");
        if (dup) return fail_.set(error::unknown_message, "okx: duplicate field");
    }
    if (!r.ok() || !r.finish()) return exchange::detail::json_failed(r, fail_, "okx: message");
    if (f.has_event) return true;
    if (!f.has_data) return fail_.set(error::unknown_message, "okx: neither event nor data");
    if (!f.has_arg) return fail_.set(error::missing_field, "okx: arg");
    if (deferred) {
        const char* end = text.data() + text.size();
        json_reader sub(const_cast<char*>(deferred), static_cast<std::size_t>(end - deferred));
        if (!parse_data(sub, f)) return false;
    } else if (f.kind == chan::unknown) {
        return fail_.set(error::unknown_channel, "okx: unsupported channel");
    }
    return true;
}

template <class Handler>
void decoder::emit_message(const top_fields& f, Handler& h) {
    if (f.has_event) {
        control_event ev;
        ev.venue = market::venue::okx;
        ev.request_id = f.id;
        ev.code = f.code;
        ev.message = f.msg;
        ev.channel = f.channel;
        ev.instrument = inst_id_;
        ev.receive_time = receive_time_;
        const std::string_view e = f.event;
        if (e == "subscribe") ev.kind = control_kind::subscribed;
        else if (e == "unsubscribe") ev.kind = control_kind::unsubscribed;
        else if (e == "error") ev.kind = control_kind::error, ev.success = false;
        else if (e == "notice") ev.kind = control_kind::notice;
        else if (e == "login") ev.kind = control_kind::login, ev.success = !f.has_code || f.code == "0";
        else if (e == "channel-conn-count") ev.kind = control_kind::connection_count;
        else if (e == "channel-conn-count-error") ev.kind = control_kind::connection_count, ev.success = false;
        else return void(fail_.set(error::unknown_message, "okx: unknown event"));
        exchange::detail::emit(h, ev);
        return;
    }
    switch (f.kind) {
        case chan::trades:
            for (const market::trade& t : trades_) exchange::detail::emit(h, t);
            return;
        case chan::candle:
            for (const market::kline& k : klines_) exchange::detail::emit(h, k);
            return;
        case chan::bbo: {
            market::bbo ev;
            ev.venue = market::venue::okx;
            if (!to_symbol(inst_id_, ev.symbol, "okx bbo-tbt: instId")) return;
            if (bids_.empty() || asks_.empty())
                return void(fail_.set(error::invalid_value, "okx bbo-tbt: a side has no level"));
            ev.bid_price = bids_.front().price;
            ev.bid_quantity = bids_.front().quantity;
            ev.ask_price = asks_.front().price;
            ev.ask_quantity = asks_.front().quantity;
            if (book_.has_seq) ev.update_id = book_.seq;
            ev.exchange_time = market::from_unix_ms(book_.ts);
            ev.receive_time = receive_time_;
            exchange::detail::emit(h, ev);
            return;
        }
        case chan::books5:
        case chan::books: {
            bool snapshot = true;
            if (f.kind == chan::books) {
                if (!f.has_action) return void(fail_.set(error::missing_field, "okx books: action"));
                if (f.action == "update") snapshot = false;
                else if (f.action != "snapshot") return void(fail_.set(error::invalid_value, "okx books: action"));
                if (!book_.has_seq || !book_.has_prev)
                    return void(fail_.set(error::missing_field, "okx books: seqId, prevSeqId"));
            }
            auto fill = [&](auto& ev) {
                ev.venue = market::venue::okx;
                ev.bids = bids_;
                ev.asks = asks_;
                if (book_.has_seq) ev.sequence.seq = book_.seq;
                if (book_.has_prev) ev.sequence.prev_seq = book_.prev;
                if (book_.has_checksum) ev.checksum = book_.checksum;
                ev.exchange_time = market::from_unix_ms(book_.ts);
                ev.receive_time = receive_time_;
                return to_symbol(inst_id_, ev.symbol, "okx books: instId");
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
        case chan::unknown: fail_.set(error::unknown_channel, "okx: unsupported channel"); return;
    }
}

}  // namespace tradewire::exchange::okx
