#include <tradewire/feed/price_cache.hpp>

#include "catch.hpp"
#include "count_allocations.hpp"

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

using tradewire::decimal;
using tradewire::symbol;
using tradewire::feed::price_cache;
using tradewire::feed::quote;
using tradewire::market::venue;

namespace {

symbol sym(std::string_view text) {
    std::error_code ec;
    symbol s = symbol::parse(text, ec);
    REQUIRE_FALSE(ec);
    return s;
}

decimal dec(std::int64_t mantissa, int exponent) { return decimal::from_parts(mantissa, exponent).value; }

// Update k of a slot: every field is a function of k, so a torn read shows.
quote make_quote(std::int64_t k) {
    return quote{dec(1'000'000 + k, -2), dec(k * 2 + 1, -8), dec(1'000'000 + k + 5, -2), dec(k * 3 + 1, -8),
                 k * 1000, k * 1000 + 7, 0};
}

bool consistent(const quote& q) {
    const std::int64_t k = q.bid_price.mantissa() - 1'000'000;
    return q.bid_price.exponent() == -2 && q.ask_price == dec(1'000'000 + k + 5, -2) && q.bid_quantity == dec(k * 2 + 1, -8) &&
           q.ask_quantity == dec(k * 3 + 1, -8) && q.exchange_time == k * 1000 && q.receive_time == k * 1000 + 7;
}

}  // namespace

TEST_CASE("price_cache registers a fixed set of slots") {
    price_cache cache(3);
    CHECK(cache.capacity() == 3);
    const auto a = cache.add(venue::binance, sym("BTC-USDT"));
    const auto b = cache.add(venue::okx, sym("BTC-USDT"));
    const auto c = cache.add(venue::binance, sym("ETH-USDT"));
    CHECK(a != b);
    CHECK(b != c);
    CHECK(cache.add(venue::okx, sym("BTC-USDT")) == b);  // same pair, same slot
    CHECK(cache.add(venue::kraken, sym("BTC-USD")) == price_cache::no_slot);  // full
    CHECK(cache.size() == 3);
    CHECK(cache.find(venue::binance, sym("ETH-USDT")) == c);
    CHECK(cache.find(venue::bybit, sym("ETH-USDT")) == price_cache::no_slot);
    CHECK(cache.venue_of(b) == venue::okx);
    CHECK(cache.symbol_of(c).str() == "ETH-USDT");
}

TEST_CASE("price_cache stores the latest quote per slot, with a version") {
    price_cache cache(4);
    const auto id = cache.add(venue::bybit, sym("ETH-USDT"));
    quote q;
    CHECK_FALSE(cache.read(id, q));  // never written
    CHECK_FALSE(cache.try_read(id, q));
    CHECK_FALSE(cache.read(99, q));  // not a slot
    CHECK(cache.version(id) == 0);

    tradewire::market::bbo b;
    b.venue = venue::bybit;
    b.symbol = sym("ETH-USDT");
    b.bid_price = dec(345012, -2);
    b.bid_quantity = dec(15, -1);
    b.ask_price = dec(345013, -2);
    b.ask_quantity = dec(2, 0);
    b.receive_time = 111;
    CHECK(cache.update(b));
    REQUIRE(cache.read(id, q));
    CHECK(q.bid_price == dec(345012, -2));
    CHECK(q.bid_price.scale() == 2);  // the venue's text scale survives
    CHECK(q.ask_quantity == dec(2, 0));
    CHECK(q.exchange_time == 0);
    CHECK(q.receive_time == 111);
    CHECK(q.version == 1);

    b.exchange_time = 100;
    b.ask_price = dec(345020, -2);
    cache.update(id, b);
    REQUIRE(cache.try_read(id, q));
    CHECK(q.ask_price == dec(345020, -2));
    CHECK(q.exchange_time == 100);
    CHECK(q.version == 2);
    CHECK(cache.version(id) == 2);

    b.symbol = sym("SOL-USDT");
    CHECK_FALSE(cache.update(b));  // unregistered pair: nothing stored
}

TEST_CASE("price_cache update and read do not allocate") {
    price_cache cache(8);
    const auto id = cache.add(venue::okx, sym("BTC-USDT"));
    const std::size_t before = alloc_test::allocations();
    quote q;
    for (std::int64_t k = 0; k < 1000; ++k) {
        cache.update(id, make_quote(k));
        REQUIRE(cache.read(id, q));
    }
    CHECK(consistent(q));
    CHECK(alloc_test::allocations() == before);
}

TEST_CASE("price_cache readers on other threads never see a torn quote") {
    constexpr std::int64_t updates = 1'000'000;
    price_cache cache(4);
    const auto s0 = cache.add(venue::binance, sym("BTC-USDT"));
    const auto s1 = cache.add(venue::okx, sym("BTC-USDT"));
    std::atomic<bool> done{false};
    std::atomic<int> ready{0};

    struct result {
        std::uint64_t reads = 0;
        std::uint64_t torn = 0;
        std::uint64_t backwards = 0;
    };
    auto reader = [&](result& r) {
        std::int64_t last[2] = {-1, -1};
        std::uint64_t last_version[2] = {0, 0};
        ready.fetch_add(1);
        quote q;
        while (!done.load(std::memory_order_acquire)) {
            for (int i = 0; i < 2; ++i) {
                if (!cache.read(i == 0 ? s0 : s1, q)) continue;
                ++r.reads;
                if (!consistent(q)) ++r.torn;
                const std::int64_t k = q.bid_price.mantissa() - 1'000'000;
                if (k < last[i] || q.version < last_version[i]) ++r.backwards;
                last[i] = k;
                last_version[i] = q.version;
            }
        }
    };
    result r1;
    result r2;
    std::thread t1(reader, std::ref(r1));
    std::thread t2(reader, std::ref(r2));
    while (ready.load() < 2) std::this_thread::yield();
    for (std::int64_t k = 0; k < updates; ++k) {
        cache.update(s0, make_quote(k));
        cache.update(s1, make_quote(k));
    }
    done.store(true, std::memory_order_release);
    t1.join();
    t2.join();
    INFO("reads " << r1.reads << " + " << r2.reads);
    CHECK(r1.torn == 0);
    CHECK(r2.torn == 0);
    CHECK(r1.backwards == 0);
    CHECK(r2.backwards == 0);
    CHECK(r1.reads + r2.reads > 0);
    quote q;
    REQUIRE(cache.read(s0, q));
    CHECK(q.version == static_cast<std::uint64_t>(updates));
    CHECK(consistent(q));
}
