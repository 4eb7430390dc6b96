// End to end: feed<binance::spot> against the local simulator (127.0.0.1): subscribe,
// trades/BBO/books (REST snapshot from the simulator's REST port merged with diff
// depth), ping frames answered, a dropped connection -> reconnect and resubscribe, a
// sequence gap -> that book resyncs from REST while the other book keeps flowing, a bad
// message -> on_status venue_error and the feed goes on.
#include "catch.hpp"
#include "e2e_support.hpp"

#include <tradewire/exchange/binance.hpp>
#include <tradewire/feed/feed.hpp>
#include <tradewire/sim/simulator.hpp>

#include <asio/io_context.hpp>

#include <chrono>

using namespace tradewire;

namespace {

using e2e::recorder;
using e2e::run_until;
using e2e::sym;

using binance_feed = feed::feed<exchange::binance::spot, feed::tcp, recorder<market::venue::binance>>;

feed::feed_options options_for(const sim::simulator& s) {
    feed::feed_options o;
    o.market_url = s.binance_ws_url() + "/ws";
    o.rest_url = s.binance_rest_url();
    o.backoff.initial = std::chrono::milliseconds(20);
    o.backoff.cap = std::chrono::milliseconds(100);
    o.snapshot_limit = 100;
    return o;
}

}  // namespace

TEST_CASE("binance feed e2e: streams, REST-synced books, heartbeat") {
    asio::io_context io;
    sim::simulator_options so;
    so.speed = 20.0;
    so.binance_ping_interval = std::chrono::milliseconds(1000);  // the feed answers a Ping every second
    sim::simulator s(io, so);
    REQUIRE_FALSE(s.start());
    binance_feed f(io, options_for(s));
    const symbol btc = sym("BTC-USDT"), eth = sym("ETH-USDT");
    for (const symbol& one : {btc, eth}) {
        REQUIRE_FALSE(f.subscribe(exchange::trades_of(one)));
        REQUIRE_FALSE(f.subscribe(exchange::bbo_of(one)));
        REQUIRE_FALSE(f.subscribe(exchange::book_of(one, 0, 100)));
    }
    REQUIRE_FALSE(f.subscribe(exchange::kline_of(btc, {1, market::interval_unit::minute})));
    REQUIRE_FALSE(f.start());
    const auto& r = f.handler();
    const bool ok = run_until(io, f, [&] {
        return r.trades > 5 && r.bbos > 5 && r.synced_books.count("BTC-USDT") && r.synced_books.count("ETH-USDT") &&
               r.synced_books.at("BTC-USDT") > 5 && r.synced_books.at("ETH-USDT") > 5 && r.klines > 0;
    }, std::chrono::seconds(8));
    CHECK(ok);
    CHECK(f.snapshots_fetched() >= 2);
    CHECK(s.stats().rest_requests >= 2);
    CHECK(r.count(market::status_kind::connection_up) == 1);
    // Pings came every second; a client that did not answer would have been cut.
    CHECK(r.count(market::status_kind::connection_down) == 0);
    CHECK(f.book(btc)->in_sync());
    f.stop();
    s.stop();
}

TEST_CASE("binance feed e2e: drops, gaps and bad messages") {
    asio::io_context io;
    sim::simulator_options so;
    so.speed = 20.0;
    so.faults.drop_every_ms = 6000;         // every 0.3 s real
    so.faults.gap_every_steps = 15;
    so.faults.bad_message_every_steps = 20;
    sim::simulator s(io, so);
    REQUIRE_FALSE(s.start());
    binance_feed f(io, options_for(s));
    for (const char* name : {"BTC-USDT", "ETH-USDT"}) {
        REQUIRE_FALSE(f.subscribe(exchange::trades_of(sym(name))));
        REQUIRE_FALSE(f.subscribe(exchange::book_of(sym(name), 0, 100)));
    }
    REQUIRE_FALSE(f.start());
    const auto& r = f.handler();
    std::size_t trades_at_second_up = 0;
    const bool ok = run_until(io, f, [&] {
        if (r.count(market::status_kind::connection_up) >= 2 && trades_at_second_up == 0) trades_at_second_up = r.trades + 1;
        return r.count(market::status_kind::connection_down) >= 1 && r.count(market::status_kind::connection_up) >= 2 &&
               trades_at_second_up != 0 && r.trades > trades_at_second_up + 3 && r.finished_after_gap >= 1 &&
               r.others_during_resync > 0 && r.count(market::status_kind::venue_error) >= 1;
    }, std::chrono::seconds(10));
    CAPTURE(r.trades, r.finished_after_gap, r.others_during_resync, f.reconnects(), f.snapshots_fetched());
    CHECK(ok);
    CHECK(r.count(market::status_kind::gap_detected) >= 1);
    CHECK(r.count(market::status_kind::resync_started) >= 1);
    CHECK(r.count(market::status_kind::resync_finished) >= 1);
    f.stop();
    s.stop();
}
