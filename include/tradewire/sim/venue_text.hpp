// The simulator's venue emitters, sans-I/O: the venue-native wire text (Binance spot,
// OKX v5, Bybit v5 spot) of what the market model produced in a step, appended to a
// caller's std::string. Layouts follow the venues' documented samples field for field
// (exchanges/REFERENCE.md sections 1-3), so tradewire's own decoders, and any client
// written against the real venues, read them unchanged. Prices and sizes are written
// from integer ticks and lots with the symbol's fixed decimals; the OKX checksum is the
// CRC-32 of exactly those strings.
#pragma once

#include <tradewire/sim/market_model.hpp>

#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tradewire::sim {

// ---------------------------------------------------------------------------- text helpers

inline void put_int(std::string& out, std::int64_t v) {
    char buf[24];
    std::size_t i = sizeof buf;
    const bool neg = v < 0;
    auto u = neg ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
    do {
        buf[--i] = static_cast<char>('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (neg) buf[--i] = '-';
    out.append(buf + i, sizeof buf - i);
}

// `v` scaled by 10^-decimals, always with exactly `decimals` fraction digits ("0.0100").
inline void put_fixed(std::string& out, std::int64_t v, int decimals) {
    if (decimals <= 0) return put_int(out, v);
    if (v < 0) {
        out += '-';
        v = -v;
    }
    std::int64_t scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    put_int(out, v / scale);
    out += '.';
    std::string frac;
    put_int(frac, v % scale);
    out.append(static_cast<std::size_t>(decimals) - frac.size(), '0');
    out += frac;
}

// Instrument names per venue.
inline std::string concat_upper(const symbol_config& s) { return s.base + s.quote; }
inline std::string concat_lower(const symbol_config& s) {
    std::string r = s.base + s.quote;
    for (char& c : r) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return r;
}
inline std::string dashed(const symbol_config& s) { return s.base + "-" + s.quote; }

// Context of one symbol's text: its config and the venue book.
struct text_source {
    const symbol_config& sym;
    const venue_book& book;
    std::int64_t time_ms;  // the step's exchange time (event time)

    void price(std::string& out, std::int64_t ticks) const { put_fixed(out, ticks, sym.price_decimals); }
    void size(std::string& out, std::int64_t lots) const { put_fixed(out, lots, sym.size_decimals); }
};

namespace detail {

template <class Map>
void put_levels(std::string& out, const text_source& src, const Map& levels, std::size_t limit, bool okx) {
    out += '[';
    std::size_t n = 0;
    for (const auto& [px, lots] : levels) {
        if (n == limit) break;
        if (n++) out += ',';
        out += "[\"";
        src.price(out, px);
        out += "\",\"";
        src.size(out, lots);
        out += okx ? "\",\"0\",\"1\"]" : "\"]";
    }
    out += ']';
}

inline void put_changes(std::string& out, const text_source& src, const std::vector<level_change>& ch, bool okx) {
    out += '[';
    for (std::size_t i = 0; i < ch.size(); ++i) {
        if (i) out += ',';
        out += "[\"";
        src.price(out, ch[i].price_ticks);
        out += "\",\"";
        src.size(out, ch[i].lots);
        out += okx ? "\",\"0\",\"1\"]" : "\"]";
    }
    out += ']';
}

}  // namespace detail

// ---------------------------------------------------------------------------- Binance

namespace binance_text {

inline void trade(std::string& out, const text_source& src, const sim_trade& t) {
    out += R"({"e":"trade","E":)";
    put_int(out, src.time_ms);
    out += R"(,"s":")" + concat_upper(src.sym) + R"(","t":)";
    put_int(out, t.id);
    out += R"(,"p":")";
    src.price(out, t.price_ticks);
    out += R"(","q":")";
    src.size(out, t.lots);
    out += R"(","T":)";
    put_int(out, t.time_ms);
    out += t.taker_buy ? R"(,"m":false,"M":true})" : R"(,"m":true,"M":true})";
}

inline void agg_trade(std::string& out, const text_source& src, const sim_trade& t) {
    out += R"({"e":"aggTrade","E":)";
    put_int(out, src.time_ms);
    out += R"(,"s":")" + concat_upper(src.sym) + R"(","a":)";
    put_int(out, t.id);
    out += R"(,"p":")";
    src.price(out, t.price_ticks);
    out += R"(","q":")";
    src.size(out, t.lots);
    out += R"(","f":)";
    put_int(out, t.id);
    out += R"(,"l":)";
    put_int(out, t.id);
    out += R"(,"T":)";
    put_int(out, t.time_ms);
    out += t.taker_buy ? R"(,"m":false,"M":true})" : R"(,"m":true,"M":true})";
}

inline void book_ticker(std::string& out, const text_source& src) {
    const venue_book& b = src.book;
    out += R"({"u":)";
    put_int(out, b.update_id);
    out += R"(,"s":")" + concat_upper(src.sym) + R"(","b":")";
    src.price(out, b.best_bid());
    out += R"(","B":")";
    src.size(out, b.bids.begin()->second);
    out += R"(","a":")";
    src.price(out, b.best_ask());
    out += R"(","A":")";
    src.size(out, b.asks.begin()->second);
    out += R"("})";
}

// Diff depth from explicit changes and the id range [first, last].
inline void depth_update(std::string& out, const text_source& src, std::int64_t first, std::int64_t last,
                         const std::vector<level_change>& bids, const std::vector<level_change>& asks) {
    out += R"({"e":"depthUpdate","E":)";
    put_int(out, src.time_ms);
    out += R"(,"s":")" + concat_upper(src.sym) + R"(","U":)";
    put_int(out, first);
    out += R"(,"u":)";
    put_int(out, last);
    out += R"(,"b":)";
    detail::put_changes(out, src, bids, false);
    out += R"(,"a":)";
    detail::put_changes(out, src, asks, false);
    out += '}';
}

// Partial depth (@depth5/10/20) and the REST snapshot body share one layout.
inline void depth_snapshot(std::string& out, const text_source& src, std::size_t levels) {
    out += R"({"lastUpdateId":)";
    put_int(out, src.book.update_id);
    out += R"(,"bids":)";
    detail::put_levels(out, src, src.book.bids, levels, false);
    out += R"(,"asks":)";
    detail::put_levels(out, src, src.book.asks, levels, false);
    out += '}';
}

inline void kline(std::string& out, const text_source& src, const sim_candle& c, bool closed) {
    const std::string name = concat_upper(src.sym);
    out += R"({"e":"kline","E":)";
    put_int(out, src.time_ms);
    out += R"(,"s":")" + name + R"(","k":{"t":)";
    put_int(out, c.open_time_ms);
    out += R"(,"T":)";
    put_int(out, c.open_time_ms + 59'999);
    out += R"(,"s":")" + name + R"(","i":"1m","f":)";
    put_int(out, c.first_trade_id);
    out += R"(,"L":)";
    put_int(out, c.last_trade_id);
    out += R"(,"o":")";
    src.price(out, c.open);
    out += R"(","c":")";
    src.price(out, c.close);
    out += R"(","h":")";
    src.price(out, c.high);
    out += R"(","l":")";
    src.price(out, c.low);
    out += R"(","v":")";
    src.size(out, c.volume_lots);
    out += R"(","n":)";
    put_int(out, c.trade_count);
    out += closed ? R"(,"x":true,"q":")" : R"(,"x":false,"q":")";
    put_fixed(out, c.quote_volume, src.sym.price_decimals + src.sym.size_decimals);
    out += R"(","V":"0","Q":"0","B":"0"}})";
}

// {"stream":"<name>","data":<payload>}
inline void wrap_combined(std::string& out, std::string_view stream, std::string_view payload) {
    out += R"({"stream":")";
    out += stream;
    out += R"(","data":)";
    out += payload;
    out += '}';
}

}  // namespace binance_text

// ---------------------------------------------------------------------------- OKX

namespace okx_text {

inline void arg(std::string& out, std::string_view channel, std::string_view inst) {
    out += R"({"channel":")";
    out += channel;
    out += R"(","instId":")";
    out += inst;
    out += R"("})";
}

inline void trades(std::string& out, const text_source& src) {
    const std::string inst = dashed(src.sym);
    out += R"({"arg":)";
    arg(out, "trades", inst);
    out += R"(,"data":[)";
    for (std::size_t i = 0; i < src.book.trades.size(); ++i) {
        const sim_trade& t = src.book.trades[i];
        if (i) out += ',';
        out += R"({"instId":")" + inst + R"(","tradeId":")";
        put_int(out, t.id);
        out += R"(","px":")";
        src.price(out, t.price_ticks);
        out += R"(","sz":")";
        src.size(out, t.lots);
        out += t.taker_buy ? R"(","side":"buy","ts":")" : R"(","side":"sell","ts":")";
        put_int(out, t.time_ms);
        out += R"(","count":"1","seqId":)";
        put_int(out, t.id);
        out += '}';
    }
    out += "]}";
}

inline void bbo_tbt(std::string& out, const text_source& src) {
    out += R"({"arg":)";
    arg(out, "bbo-tbt", dashed(src.sym));
    out += R"(,"data":[{"asks":)";
    detail::put_levels(out, src, src.book.asks, 1, true);
    out += R"(,"bids":)";
    detail::put_levels(out, src, src.book.bids, 1, true);
    out += R"(,"ts":")";
    put_int(out, src.time_ms);
    out += R"(","seqId":)";
    put_int(out, src.book.update_id);
    out += "}]}";
}

inline void books5(std::string& out, const text_source& src) {
    const std::string inst = dashed(src.sym);
    out += R"({"arg":)";
    arg(out, "books5", inst);
    out += R"(,"data":[{"asks":)";
    detail::put_levels(out, src, src.book.asks, 5, true);
    out += R"(,"bids":)";
    detail::put_levels(out, src, src.book.bids, 5, true);
    out += R"(,"instId":")" + inst + R"(","ts":")";
    put_int(out, src.time_ms);
    out += R"(","seqId":)";
    put_int(out, src.book.update_id);
    out += "}]}";
}

// Signed CRC-32 of the top 25 levels interleaved, from the strings this emitter writes.
inline std::int32_t checksum(const text_source& src) {
    std::string s;
    auto bid = src.book.bids.begin();
    auto ask = src.book.asks.begin();
    for (int i = 0; i < 25; ++i) {
        if (bid != src.book.bids.end()) {
            if (!s.empty()) s += ':';
            src.price(s, bid->first);
            s += ':';
            src.size(s, bid->second);
            ++bid;
        }
        if (ask != src.book.asks.end()) {
            if (!s.empty()) s += ':';
            src.price(s, ask->first);
            s += ':';
            src.size(s, ask->second);
            ++ask;
        }
    }
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size()));
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(crc));
}

// `books`: the full book as a snapshot (prev_seq -1) or this step's changes as an update.
// `checksum_delta` is added to the true checksum (non-zero only to inject corruption).
inline void books(std::string& out, const text_source& src, bool snapshot, std::int64_t prev_seq,
                  std::int32_t checksum_delta = 0) {
    out += R"({"arg":)";
    arg(out, "books", dashed(src.sym));
    out += snapshot ? R"(,"action":"snapshot","data":[{"asks":)" : R"(,"action":"update","data":[{"asks":)";
    if (snapshot) detail::put_levels(out, src, src.book.asks, 400, true);
    else detail::put_changes(out, src, src.book.ask_changes, true);
    out += R"(,"bids":)";
    if (snapshot) detail::put_levels(out, src, src.book.bids, 400, true);
    else detail::put_changes(out, src, src.book.bid_changes, true);
    out += R"(,"ts":")";
    put_int(out, src.time_ms);
    out += R"(","checksum":)";
    put_int(out, static_cast<std::int32_t>(static_cast<std::uint32_t>(checksum(src)) + static_cast<std::uint32_t>(checksum_delta)));
    out += R"(,"prevSeqId":)";
    put_int(out, snapshot ? -1 : prev_seq);
    out += R"(,"seqId":)";
    put_int(out, src.book.update_id);
    out += "}]}";
}

inline void candle(std::string& out, const text_source& src, const sim_candle& c, bool closed) {
    out += R"({"arg":)";
    arg(out, "candle1m", dashed(src.sym));
    out += R"(,"data":[[")";
    put_int(out, c.open_time_ms);
    out += R"(",")";
    src.price(out, c.open);
    out += R"(",")";
    src.price(out, c.high);
    out += R"(",")";
    src.price(out, c.low);
    out += R"(",")";
    src.price(out, c.close);
    out += R"(",")";
    src.size(out, c.volume_lots);
    out += R"(",")";
    put_fixed(out, c.quote_volume, src.sym.price_decimals + src.sym.size_decimals);
    out += R"(",")";
    put_fixed(out, c.quote_volume, src.sym.price_decimals + src.sym.size_decimals);
    out += closed ? R"(","1"]]})" : R"(","0"]]})";
}

}  // namespace okx_text

// ---------------------------------------------------------------------------- Bybit

namespace bybit_text {

inline void public_trade(std::string& out, const text_source& src) {
    const std::string name = concat_upper(src.sym);
    out += R"({"topic":"publicTrade.)" + name + R"(","type":"snapshot","ts":)";
    put_int(out, src.time_ms);
    out += R"(,"data":[)";
    for (std::size_t i = 0; i < src.book.trades.size(); ++i) {
        const sim_trade& t = src.book.trades[i];
        if (i) out += ',';
        out += R"({"T":)";
        put_int(out, t.time_ms);
        out += R"(,"s":")" + name + (t.taker_buy ? R"(","S":"Buy","v":")" : R"(","S":"Sell","v":")");
        src.size(out, t.lots);
        out += R"(","p":")";
        src.price(out, t.price_ticks);
        out += R"(","i":")";
        put_int(out, t.id);
        out += R"(","BT":false,"seq":)";
        put_int(out, src.book.update_id);
        out += '}';
    }
    out += "]}";
}

// orderbook.<depth>: a snapshot of the top `depth` levels, or this step's changes.
inline void orderbook(std::string& out, const text_source& src, std::size_t depth, bool snapshot) {
    const std::string name = concat_upper(src.sym);
    out += R"({"topic":"orderbook.)";
    put_int(out, static_cast<std::int64_t>(depth));
    out += "." + name + (snapshot ? R"(","type":"snapshot","ts":)" : R"(","type":"delta","ts":)");
    put_int(out, src.time_ms);
    out += R"(,"data":{"s":")" + name + R"(","b":)";
    if (snapshot) detail::put_levels(out, src, src.book.bids, depth, false);
    else detail::put_changes(out, src, src.book.bid_changes, false);
    out += R"(,"a":)";
    if (snapshot) detail::put_levels(out, src, src.book.asks, depth, false);
    else detail::put_changes(out, src, src.book.ask_changes, false);
    out += R"(,"u":)";
    put_int(out, depth == 1 ? src.book.update_id : src.book.message_seq);
    out += R"(,"seq":)";
    put_int(out, src.book.update_id);
    out += R"(},"cts":)";
    put_int(out, src.time_ms - 2);
    out += '}';
}

inline void kline(std::string& out, const text_source& src, const sim_candle& c, bool closed) {
    const std::string name = concat_upper(src.sym);
    out += R"({"topic":"kline.1.)" + name + R"(","data":[{"start":)";
    put_int(out, c.open_time_ms);
    out += R"(,"end":)";
    put_int(out, c.open_time_ms + 59'999);
    out += R"(,"interval":"1","open":")";
    src.price(out, c.open);
    out += R"(","close":")";
    src.price(out, c.close);
    out += R"(","high":")";
    src.price(out, c.high);
    out += R"(","low":")";
    src.price(out, c.low);
    out += R"(","volume":")";
    src.size(out, c.volume_lots);
    out += R"(","turnover":")";
    put_fixed(out, c.quote_volume, src.sym.price_decimals + src.sym.size_decimals);
    out += closed ? R"(","confirm":true,"timestamp":)" : R"(","confirm":false,"timestamp":)";
    put_int(out, src.time_ms);
    out += R"(}],"ts":)";
    put_int(out, src.time_ms);
    out += R"(,"type":"snapshot"})";
}

}  // namespace bybit_text

}  // namespace tradewire::sim
