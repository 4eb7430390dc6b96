// Shared by the venue decoder fuzz targets: a handler that checks the invariants every
// decoder promises for arbitrary input, and a driver that decodes one input twice with
// the same decoder (to exercise reused buffers and caches). Violations trap.
#pragma once

#include <tradewire/exchange/exchange.hpp>
#include <tradewire/market/events.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tradewire::fuzz {

inline void check(bool ok) {
    if (!ok) __builtin_trap();
}

struct invariant_handler {
    std::size_t events = 0;
    std::size_t errors = 0;
    bool allow_empty_symbol = false;  // OKX derivatives, Binance raw partial depth

    void symbol_ok(const symbol& s) const { check(allow_empty_symbol || !s.empty()); }
    static void levels_ok(std::span<const market::book_level> levels) {
        for (const auto& l : levels) {
            check(l.price.mantissa() > 0);
            check(l.quantity.mantissa() >= 0);
        }
    }

    void on_trade(const market::trade& t) {
        ++events;
        symbol_ok(t.symbol);
        check(t.price.mantissa() > 0);
        check(t.quantity.mantissa() >= 0);
        check(t.taker_side == market::side::buy || t.taker_side == market::side::sell);
        check(!t.id.empty());
        check(t.exchange_time >= 0);
    }
    void on_bbo(const market::bbo& b) {
        ++events;
        symbol_ok(b.symbol);
        check(b.bid_price.mantissa() >= 0 && b.ask_price.mantissa() >= 0);
        check(b.bid_quantity.mantissa() >= 0 && b.ask_quantity.mantissa() >= 0);
    }
    void on_book_snapshot(const market::book_snapshot& s) {
        ++events;
        levels_ok(s.bids);
        levels_ok(s.asks);
    }
    void on_book_delta(const market::book_delta& d) {
        ++events;
        symbol_ok(d.symbol);
        levels_ok(d.bids);
        levels_ok(d.asks);
        if (d.sequence.first_update_id && d.sequence.last_update_id)
            check(*d.sequence.first_update_id <= *d.sequence.last_update_id);
    }
    void on_kline(const market::kline& k) {
        ++events;
        symbol_ok(k.symbol);
        check(k.close_time >= k.open_time);
        check(k.interval.count > 0);
    }
    void on_control(const exchange::control_event&) { ++events; }
    void on_decode_error(const exchange::decode_error& e) {
        ++errors;
        check(static_cast<bool>(e.error));
        check(!e.reason.empty());
    }
};

// Decodes `data` twice (fresh copies: decoding may modify its input) and checks that each
// call delivers either events or exactly one error, never both.
template <class Decoder>
void run(Decoder& decoder, const std::uint8_t* data, std::size_t size, bool allow_empty_symbol) {
    for (int round = 0; round < 2; ++round) {
        std::vector<char> buf(data, data + size);  // exact size: ASan sees any over-read
        invariant_handler h;
        h.allow_empty_symbol = allow_empty_symbol;
        decoder.decode(std::span<char>(buf.data(), buf.size()), h);
        check(h.errors <= 1);
        check(h.errors == 0 || h.events == 0);
        check(h.errors == 1 || h.events >= 1);
    }
}

}  // namespace tradewire::fuzz
