// Shared by the end-to-end feed tests (test_e2e_{binance,okx,bybit}.cpp): a handler that
// counts what a feed delivers and watches a book resync while the other books keep
// flowing, a symbol helper, and a loop that runs the io_context until a condition holds.
#pragma once

#include "catch.hpp"

#include <tradewire/core/symbol.hpp>
#include <tradewire/feed/feed.hpp>
#include <tradewire/market/events.hpp>

#include <asio/io_context.hpp>

#include <chrono>
#include <map>
#include <string>
#include <string_view>

namespace e2e {

using namespace tradewire;

template <market::venue V>
struct recorder {
    std::size_t trades = 0, bbos = 0, klines = 0;
    std::map<std::string, std::size_t> synced_books;  // in-sync on_book calls per symbol
    std::map<market::status_kind, std::size_t> statuses;
    std::string resyncing;                 // symbol whose book is resyncing now
    std::size_t others_during_resync = 0;  // in-sync updates of other books meanwhile
    std::size_t finished_after_gap = 0;

    void on_trade(const market::trade& t) {
        ++trades;
        CHECK(t.venue == V);
    }
    void on_bbo(const market::bbo& b) {
        ++bbos;
        CHECK(b.bid_price < b.ask_price);
    }
    void on_kline(const market::kline&) { ++klines; }
    void on_book(const feed::book_view& v) {
        if (!v.in_sync) return;
        const std::string s(v.symbol->str());
        ++synced_books[s];
        if (!resyncing.empty() && s != resyncing) ++others_during_resync;
        const auto bid = v.best_bid(), ask = v.best_ask();
        if (bid && ask) CHECK(bid->price < ask->price);
    }
    void on_status(const market::status& s) {
        ++statuses[s.kind];
        if (s.kind == market::status_kind::gap_detected) resyncing = std::string(s.symbol.str());
        if (s.kind == market::status_kind::resync_finished && std::string(s.symbol.str()) == resyncing) {
            ++finished_after_gap;
            resyncing.clear();
        }
    }
    std::size_t count(market::status_kind k) const {
        const auto it = statuses.find(k);
        return it == statuses.end() ? 0 : it->second;
    }
};

inline symbol sym(std::string_view text) {
    std::error_code ec;
    const symbol s = symbol::parse(text, ec);
    REQUIRE_FALSE(ec);
    return s;
}

template <class F, class Pred>
bool run_until(asio::io_context& io, F&, Pred done, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        io.run_for(std::chrono::milliseconds(20));
        if (done()) return true;
    }
    return false;
}

}  // namespace e2e
