// Scheduled connection rotation (Binance 24 h, shortened here) through the feed against
// the simulator: the new connection is subscribed and acknowledged before the old one
// closes, and across every switch no trade is lost and none is delivered twice (the
// simulator's trade ids are consecutive per symbol). Also the default intervals.
#include "catch.hpp"

#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/bybit.hpp>
#include <tradewire/exchange/okx.hpp>
#include <tradewire/feed/feed.hpp>
#include <tradewire/sim/simulator.hpp>

#include <asio/io_context.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

using namespace tradewire;

namespace {

symbol sym(std::string_view text) {
    std::error_code ec;
    const symbol s = symbol::parse(text, ec);
    REQUIRE_FALSE(ec);
    return s;
}

struct id_recorder {
    std::map<std::string, std::vector<std::uint64_t>> ids;  // per symbol, in delivery order
    std::size_t downs = 0, ups = 0, venue_errors = 0;
    std::size_t bbos = 0;
    std::map<std::string, std::int64_t> last_bbo_id;
    std::size_t bbo_out_of_order = 0;

    void on_trade(const market::trade& t) {
        const auto id = t.id.to_uint64();
        REQUIRE(id);
        ids[std::string(t.symbol.str())].push_back(*id);
    }
    void on_bbo(const market::bbo& b) {
        ++bbos;
        if (!b.update_id) return;
        auto& last = last_bbo_id[std::string(b.symbol.str())];
        if (*b.update_id <= last) ++bbo_out_of_order;
        last = *b.update_id;
    }
    void on_status(const market::status& s) {
        if (s.kind == market::status_kind::connection_down) ++downs;
        if (s.kind == market::status_kind::connection_up) ++ups;
        if (s.kind == market::status_kind::venue_error) ++venue_errors;
    }
};

// Each symbol's ids, in any order (a trade in flight on the old connection may arrive
// after a newer one from the new connection): each id once, none missing between the
// first and the last.
void check_consecutive(const id_recorder& r, std::size_t& repeats, std::size_t& holes) {
    repeats = holes = 0;
    for (const auto& [name, ids] : r.ids) {
        std::vector<std::uint64_t> v = ids;
        std::sort(v.begin(), v.end());
        for (std::size_t i = 1; i < v.size(); ++i) {
            if (v[i] == v[i - 1])
                ++repeats;
            else if (v[i] != v[i - 1] + 1)
                holes += v[i] - v[i - 1] - 1;
        }
    }
}

}  // namespace

TEST_CASE("binance feed rotation: no trade lost or repeated across switches") {
    asio::io_context io;
    sim::simulator_options so;
    so.speed = 4.0;  // ~30 trades/s per symbol: a loaded CI machine keeps up
    sim::simulator s(io, so);
    REQUIRE_FALSE(s.start());
    feed::feed_options o;
    o.market_url = s.binance_ws_url() + "/ws";
    o.rest_url = s.binance_rest_url();
    o.rotation_interval = std::chrono::milliseconds(300);
    o.rotation_overlap = std::chrono::seconds(5);  // the old connection catches up long before
    o.backoff.initial = std::chrono::milliseconds(20);
    feed::feed<exchange::binance::spot, feed::tcp, id_recorder> f(io, o);
    REQUIRE(f.rotation_interval() == std::chrono::milliseconds(300));
    for (const char* name : {"BTC-USDT", "ETH-USDT"}) {
        REQUIRE_FALSE(f.subscribe(exchange::trades_of(sym(name))));
        REQUIRE_FALSE(f.subscribe(exchange::bbo_of(sym(name))));
        REQUIRE_FALSE(f.subscribe(exchange::book_of(sym(name), 0, 100)));
    }
    REQUIRE_FALSE(f.start());
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < end && f.rotations() < 5)
        io.run_for(std::chrono::milliseconds(20));
    // Let the last switch's old connection finish and trades keep coming.
    io.run_for(std::chrono::milliseconds(300));
    const id_recorder& r = f.handler();
    std::size_t repeats = 0, holes = 0;
    check_consecutive(r, repeats, holes);
    CAPTURE(f.rotations(), f.duplicates_dropped(), r.downs, r.ups, repeats, holes);
    CHECK(f.rotations() >= 5);
    CHECK(f.duplicates_dropped() > 0);  // the overlaps happened
    CHECK(r.downs == 0);                // a rotation is not a disconnect
    CHECK(r.ups == 1);
    CHECK(repeats == 0);
    CHECK(holes == 0);
    CHECK(r.bbo_out_of_order == 0);
    REQUIRE(r.ids.count("BTC-USDT") == 1);
    CHECK(r.ids.at("BTC-USDT").size() > 20);
    CHECK(f.book(sym("BTC-USDT"))->in_sync());
    CHECK(f.connected());
    f.stop();
    s.stop();
}

TEST_CASE("binance feed rotation: without de-duplication the overlap repeats are visible") {
    // The same run with deduplicate off: every 100 ms overlap delivers the trades and
    // book tickers of that time on both connections. Shows that the check in the test
    // above can fail.
    asio::io_context io;
    sim::simulator_options so;
    so.speed = 20.0;
    sim::simulator s(io, so);
    REQUIRE_FALSE(s.start());
    feed::feed_options o;
    o.market_url = s.binance_ws_url() + "/ws";
    o.rest_url = s.binance_rest_url();
    o.rotation_interval = std::chrono::milliseconds(200);
    o.rotation_overlap = std::chrono::milliseconds(100);
    o.deduplicate = false;
    feed::feed<exchange::binance::spot, feed::tcp, id_recorder> f(io, o);
    for (const char* name : {"BTC-USDT", "ETH-USDT"}) {
        REQUIRE_FALSE(f.subscribe(exchange::trades_of(sym(name))));
        REQUIRE_FALSE(f.subscribe(exchange::bbo_of(sym(name))));
    }
    REQUIRE_FALSE(f.start());
    const id_recorder& r = f.handler();
    std::size_t repeats = 0, holes = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < end) {
        io.run_for(std::chrono::milliseconds(50));
        check_consecutive(r, repeats, holes);
        if (f.rotations() >= 3 && (repeats > 0 || r.bbo_out_of_order > 0)) break;
    }
    CAPTURE(f.rotations(), repeats, r.bbo_out_of_order);
    CHECK(f.duplicates_dropped() == 0);
    CHECK(repeats + r.bbo_out_of_order > 0);
    f.stop();
    s.stop();
}

TEST_CASE("feed rotation defaults: Binance before 24 h, none for OKX and Bybit, zero disables") {
    asio::io_context io;
    feed::feed<exchange::binance::spot, feed::tcp, id_recorder> b(io, {});
    CHECK(b.rotation_interval() == std::chrono::hours(23));
    feed::feed_options off;
    off.rotation_interval = std::chrono::steady_clock::duration::zero();
    feed::feed<exchange::binance::spot, feed::tcp, id_recorder> b0(io, off);
    CHECK(b0.rotation_interval() == std::chrono::steady_clock::duration::zero());
    feed::feed<exchange::okx::spot, feed::tcp, id_recorder> o(io, {});
    CHECK(o.rotation_interval() == std::chrono::steady_clock::duration::zero());
    feed::feed<exchange::bybit::spot, feed::tcp, id_recorder> y(io, {});
    CHECK(y.rotation_interval() == std::chrono::steady_clock::duration::zero());
    CHECK(o.pong_timeout() == std::chrono::seconds(25));
    CHECK(y.pong_timeout() == std::chrono::seconds(20));
}
