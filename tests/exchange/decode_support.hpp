// Test support for the venue decoders: a handler that records every event (copying the
// views it is handed), helpers to decode a text and to build decimals.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/exchange/exchange.hpp>
#include <tradewire/market/events.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace tradewire::test {

struct recorded_book {
    bool snapshot = false;
    market::venue venue{};
    symbol instrument;
    std::vector<market::book_level> bids, asks;
    market::book_sequence sequence;
    std::optional<std::int64_t> checksum;
    std::optional<market::timestamp> exchange_time;
    market::timestamp receive_time = 0;
};

struct recorded_control {
    exchange::control_event event;  // views cleared; copies below
    std::string request_id, code, message, channel, instrument;
    std::vector<std::string> topics;
};

struct recorded_error {
    std::error_code code;
    std::string reason;
};

struct recorder {
    std::vector<market::trade> trades;
    std::vector<market::bbo> bbos;
    std::vector<recorded_book> books;
    std::vector<market::kline> klines;
    std::vector<recorded_control> controls;
    std::vector<recorded_error> errors;

    std::size_t events() const { return trades.size() + bbos.size() + books.size() + klines.size() + controls.size(); }

    void on_trade(const market::trade& t) { trades.push_back(t); }
    void on_bbo(const market::bbo& b) { bbos.push_back(b); }
    template <class B>
    void book(const B& b, bool snapshot) {
        recorded_book r;
        r.snapshot = snapshot;
        r.venue = b.venue;
        r.instrument = b.symbol;
        r.bids.assign(b.bids.begin(), b.bids.end());
        r.asks.assign(b.asks.begin(), b.asks.end());
        r.sequence = b.sequence;
        r.checksum = b.checksum;
        r.exchange_time = b.exchange_time;
        r.receive_time = b.receive_time;
        books.push_back(std::move(r));
    }
    void on_book_snapshot(const market::book_snapshot& s) { book(s, true); }
    void on_book_delta(const market::book_delta& d) { book(d, false); }
    void on_kline(const market::kline& k) { klines.push_back(k); }
    void on_control(const exchange::control_event& c) {
        recorded_control r;
        r.event = c;
        r.request_id = c.request_id;
        r.code = c.code;
        r.message = c.message;
        r.channel = c.channel;
        r.instrument = c.instrument;
        for (auto t : c.topics) r.topics.emplace_back(t);
        r.event.request_id = r.event.code = r.event.message = r.event.channel = r.event.instrument = {};
        r.event.topics = {};
        controls.push_back(std::move(r));
    }
    void on_decode_error(const exchange::decode_error& e) { errors.push_back({e.error, std::string(e.reason)}); }
};

// Decodes a copy of `text` (decoders may modify their input) and returns what arrived.
template <class Decoder>
recorder decode(Decoder& d, std::string_view text, market::timestamp receive_time = 0) {
    recorder r;
    std::string buf(text);
    d.decode(std::span<char>(buf.data(), buf.size()), r, receive_time);
    return r;
}

template <class Decoder>
recorder decode(std::string_view text, market::timestamp receive_time = 0) {
    Decoder d;
    return decode(d, text, receive_time);
}

inline decimal dec(std::string_view text) { return decimal::parse(text).value; }

// Same value and the same scale as the text (the venue's spelling is kept).
inline bool same(const decimal& d, std::string_view text) { return d.same_representation(dec(text)); }

inline symbol sym(std::string_view canonical) {
    std::error_code ec;
    return symbol::parse(canonical, ec);
}

// Every strict prefix of a message is broken JSON: each must give exactly one decode
// error and no event. Returns the number of prefixes that misbehaved.
template <class Decoder>
std::size_t broken_prefixes(std::string_view text) {
    std::size_t bad = 0;
    Decoder d;
    for (std::size_t n = 0; n < text.size(); ++n) {
        const recorder r = decode(d, text.substr(0, n));
        if (r.events() != 0 || r.errors.size() != 1) ++bad;
    }
    return bad;
}

// Exactly one error with this code, and no event.
inline bool only_error(const recorder& r, std::error_code code) {
    return r.events() == 0 && r.errors.size() == 1 && r.errors[0].code == code && !r.errors[0].reason.empty();
}

// `text` with the first `from` replaced by `to`; throws (failing the test) if absent.
inline std::string replace(std::string text, std::string_view from, std::string_view to) {
    const auto pos = text.find(from);
    if (pos == std::string::npos) throw std::logic_error("test fixture: '" + std::string(from) + "' not found");
    text.replace(pos, from.size(), to);
    return text;
}

}  // namespace tradewire::test
