// feed/handler.hpp hook detection, and feed<> with partial handlers: a handler with only
// on_trade compiles and receives trades; a handler with no hooks compiles and the feed
// still keeps its books (against the local simulator on 127.0.0.1).
#include "catch.hpp"

#include <tradewire/exchange/binance.hpp>
#include <tradewire/feed/feed.hpp>
#include <tradewire/sim/simulator.hpp>

#include <asio/io_context.hpp>

#include <chrono>

using namespace tradewire;

namespace {

struct trades_only {
    std::size_t trades = 0;
    void on_trade(const market::trade&) { ++trades; }
};
struct wrong_signature {
    void on_trade(int) {}                // not a trade hook
    void on_status(market::status&) {}   // needs a const reference: not detected
};
struct everything {
    void on_trade(const market::trade&) {}
    void on_bbo(const market::bbo&) {}
    void on_book(const feed::book_view&) {}
    void on_kline(const market::kline&) {}
    void on_status(const market::status&) {}
};

static_assert(feed::has_on_trade<trades_only>);
static_assert(!feed::has_on_bbo<trades_only> && !feed::has_on_book<trades_only> && !feed::has_on_status<trades_only>);
static_assert(!feed::has_on_trade<feed::no_hooks> && !feed::has_on_status<feed::no_hooks>);
static_assert(!feed::has_on_trade<wrong_signature> && !feed::has_on_status<wrong_signature>);
static_assert(feed::has_on_trade<everything> && feed::has_on_bbo<everything> && feed::has_on_book<everything> &&
              feed::has_on_kline<everything> && feed::has_on_status<everything>);
static_assert(feed::handler<feed::no_hooks> && !feed::handler<int>);

symbol sym(std::string_view text) {
    std::error_code ec;
    return symbol::parse(text, ec);
}

template <class Pred>
bool run_until(asio::io_context& io, Pred done, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        io.run_for(std::chrono::milliseconds(20));
        if (done()) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("feed with only on_trade receives trades and a hookless feed keeps books") {
    asio::io_context io;
    sim::simulator_options so;
    so.speed = 20.0;
    sim::simulator s(io, so);
    REQUIRE_FALSE(s.start());
    feed::feed_options o;
    o.market_url = s.binance_ws_url() + "/ws";
    o.rest_url = s.binance_rest_url();
    o.snapshot_limit = 100;

    feed::feed<exchange::binance::spot, feed::tcp, trades_only> a(io, o);
    REQUIRE_FALSE(a.subscribe(exchange::trades_of(sym("BTC-USDT"))));
    REQUIRE_FALSE(a.subscribe(exchange::bbo_of(sym("BTC-USDT"))));  // delivered nowhere, fine
    feed::feed<exchange::binance::spot, feed::tcp, feed::no_hooks> b(io, o);
    REQUIRE_FALSE(b.subscribe(exchange::book_of(sym("ETH-USDT"), 0, 100)));
    CHECK(b.subscribe(exchange::book_of(sym("ETH-USDT"), 0, 250)));  // no such Binance cadence
    REQUIRE_FALSE(a.start());
    REQUIRE_FALSE(b.start());
    const bool ok = run_until(io, [&] {
        return a.handler().trades > 3 && b.book(sym("ETH-USDT"))->in_sync();
    }, std::chrono::seconds(8));
    CHECK(ok);
    CHECK(b.book(sym("BTC-USDT")) == nullptr);
    CHECK(b.snapshots_fetched() >= 1);
    a.stop();
    b.stop();
    s.stop();
}
