// feed::session: two venues (Binance and OKX, from the simulator on 127.0.0.1) on one
// io_context; trades and BBOs handed to a consumer thread through the SPSC ring with each
// full policy; the price cache read from another thread; latency histograms filled.
#include "catch.hpp"

#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/okx.hpp>
#include <tradewire/feed/session.hpp>
#include <tradewire/sim/simulator.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using namespace tradewire;

namespace {

symbol sym(std::string_view text) {
    std::error_code ec;
    return symbol::parse(text, ec);
}

template <full_policy Policy>
struct scenario {
    std::size_t consumed = 0;
    std::size_t venues_seen = 0;
    std::uint64_t lost = 0;
    std::uint64_t pushed = 0;
    bool quote_read = false;
    bool failed = false;
    std::uint64_t latency_samples = 0;

    void run(std::size_t capacity, bool slow_consumer) {
        feed::session s(64);
        sim::simulator_options so;
        so.speed = 20.0;
        sim::simulator sim(s.io(), so);
        REQUIRE_FALSE(sim.start());
        feed::handoff<Policy> h(capacity);

        feed::feed_options bo;
        bo.market_url = sim.binance_ws_url() + "/ws";
        bo.rest_url = sim.binance_rest_url();
        auto& bin = s.add<exchange::binance::spot, feed::tcp>(bo, h);
        feed::feed_options oo;
        oo.market_url = sim.okx_url();
        auto& okx = s.add<exchange::okx::spot, feed::tcp>(oo, h);
        for (const char* name : {"BTC-USDT", "ETH-USDT"}) {
            REQUIRE_FALSE(bin.subscribe(exchange::bbo_of(sym(name))));
            REQUIRE_FALSE(bin.subscribe(exchange::trades_of(sym(name))));
            REQUIRE_FALSE(okx.subscribe(exchange::bbo_of(sym(name))));
            REQUIRE_FALSE(okx.subscribe(exchange::trades_of(sym(name))));
        }
        REQUIRE_FALSE(s.start());

        std::atomic<bool> stop{false};
        std::atomic<std::size_t> got{0};
        std::atomic<int> seen_mask{0};
        std::atomic<bool> read_quote{false};
        std::thread consumer([&] {
            const feed::price_cache::slot_id slot = s.prices().find(market::venue::okx, sym("BTC-USDT"));
            feed::market_event e;
            while (!stop.load()) {
                if (h.try_pop(e)) {
                    got.fetch_add(1);
                    seen_mask.fetch_or(1 << static_cast<int>(e.venue));
                    if (slow_consumer) std::this_thread::sleep_for(std::chrono::milliseconds(2));
                } else {
                    std::this_thread::yield();
                }
                feed::quote q;
                if (slot != feed::price_cache::no_slot && s.prices().try_read(slot, q) && q.bid_price < q.ask_price)
                    read_quote.store(true);
            }
        });
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(6);
        while (std::chrono::steady_clock::now() < end) {
            s.io().run_for(std::chrono::milliseconds(20));
            const bool both = seen_mask.load() == ((1 << static_cast<int>(market::venue::binance)) |
                                                   (1 << static_cast<int>(market::venue::okx)));
            if (both && got.load() > 50 && read_quote.load() && (!slow_consumer || h.lost() > 0)) break;
        }
        s.stop();
        sim.stop();
        stop.store(true);
        consumer.join();
        consumed = got.load();
        venues_seen = static_cast<std::size_t>(__builtin_popcount(static_cast<unsigned>(seen_mask.load())));
        lost = h.lost();
        pushed = h.pushed();
        failed = h.failed();
        quote_read = read_quote.load();
        latency_samples = s.latency(market::venue::binance).receive_to_handler.count() +
                          s.latency(market::venue::okx).receive_to_handler.count();
    }
};

}  // namespace

TEST_CASE("session: two venues, block policy hands every event over") {
    scenario<full_policy::block> t;
    t.run(1024, false);
    CHECK(t.venues_seen == 2);
    CHECK(t.consumed > 50);
    CHECK(t.lost == 0);
    CHECK(t.quote_read);
    CHECK(t.latency_samples > 0);
}

TEST_CASE("session: drop_oldest policy counts what a slow consumer lost") {
    scenario<full_policy::drop_oldest> t;
    t.run(4, true);
    CHECK(t.consumed > 0);
    CHECK(t.lost > 0);
    CHECK_FALSE(t.failed);
}

TEST_CASE("session: fail policy refuses events loudly") {
    scenario<full_policy::fail> t;
    t.run(4, true);
    CHECK(t.lost > 0);
    CHECK(t.failed);
    CHECK(t.pushed + t.lost > t.consumed);
}
