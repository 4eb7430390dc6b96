#include <tradewire/trade/rate_limiter.hpp>

#include "catch.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using namespace tradewire::trade;
using tradewire::market::venue;

namespace {

constexpr std::int64_t s = ns_per_second;
constexpr std::int64_t ms = 1'000'000;

// Largest number of accepted spends (with their costs) inside any [t, t + window).
std::uint64_t max_in_any_window(const std::vector<std::pair<std::int64_t, std::uint32_t>>& spends, std::int64_t window) {
    std::uint64_t best = 0;
    std::uint64_t sum = 0;
    std::size_t lo = 0;
    for (std::size_t hi = 0; hi < spends.size(); ++hi) {
        sum += spends[hi].second;
        while (spends[hi].first - spends[lo].first >= window) sum -= spends[lo++].second;
        best = std::max(best, sum);
    }
    return best;
}

}  // namespace

TEST_CASE("sliding window: a spent token comes back exactly one window later") {
    rate_limiter lim(sliding_window(50, 10 * s));
    const std::int64_t t0 = 1'000 * s;
    for (int i = 0; i < 50; ++i) REQUIRE(lim.try_acquire(t0));
    CHECK(lim.available(t0) == 0);
    CHECK_FALSE(lim.try_acquire(t0));
    CHECK(lim.next_available(t0, 1) == t0 + 10 * s);
    CHECK_FALSE(lim.try_acquire(t0 + 10 * s - 1));  // one nanosecond early
    CHECK(lim.available(t0 + 10 * s - 1) == 0);
    CHECK(lim.available(t0 + 10 * s) == 50);  // the whole burst returns together
    REQUIRE(lim.try_acquire(t0 + 10 * s));

    // Spread spends: each token returns on its own.
    rate_limiter spread(sliding_window(3, 10 * s));
    REQUIRE(spread.try_acquire(0));
    REQUIRE(spread.try_acquire(2 * s));
    REQUIRE(spread.try_acquire(5 * s));
    CHECK_FALSE(spread.try_acquire(9 * s));
    CHECK(spread.next_available(9 * s, 1) == 10 * s);
    CHECK(spread.next_available(9 * s, 2) == 12 * s);
    CHECK(spread.next_available(9 * s, 3) == 15 * s);
    CHECK(spread.next_available(9 * s, 4) == rate_limiter::never);
    REQUIRE(spread.try_acquire(10 * s));
    CHECK_FALSE(spread.try_acquire(11 * s));
    REQUIRE(spread.try_acquire(12 * s));
}

TEST_CASE("sliding window: weighted costs") {
    rate_limiter lim(sliding_window(10, s, rate_scope::venue, 4));
    CHECK(lim.rule().cost == 4);
    REQUIRE(lim.try_acquire(0, 4));
    REQUIRE(lim.try_acquire(100, 4));
    CHECK(lim.available(200) == 2);
    CHECK_FALSE(lim.try_acquire(200, 4));
    CHECK(lim.next_available(200, 4) == s);  // the first 4 return at 1 s
    REQUIRE(lim.try_acquire(200, 2));
    CHECK(lim.next_available(300, 4) == s);
}

TEST_CASE("sliding window, exact limits: never more than N in any window, never refused below N") {
    std::mt19937_64 rng(7);
    for (std::uint32_t limit : {1u, 5u, 50u, 64u}) {
        const std::int64_t window = 1000;
        rate_limiter lim(sliding_window(limit, window));
        std::vector<std::pair<std::int64_t, std::uint32_t>> accepted;
        std::int64_t now = 0;
        std::uint64_t refusals = 0;
        for (int i = 0; i < 20000; ++i) {
            now += static_cast<std::int64_t>(rng() % 40);
            if (lim.try_acquire(now)) {
                accepted.emplace_back(now, 1);
            } else {
                ++refusals;
                // Exact: refused only when the window ending now already holds N.
                std::uint64_t in_window = 0;
                for (auto it = accepted.rbegin(); it != accepted.rend() && now - it->first < window; ++it) ++in_window;
                REQUIRE(in_window == limit);
            }
        }
        INFO("limit " << limit);
        CHECK(max_in_any_window(accepted, window) <= limit);
        CHECK(refusals > 0);
    }
}

TEST_CASE("sliding window, large limits: grouped spends return late, never early") {
    const std::uint32_t limit = 200;
    const std::int64_t window = 6300;  // quantum = 6300 / 63 = 100
    rate_limiter lim(sliding_window(limit, window));
    std::mt19937_64 rng(11);
    std::vector<std::pair<std::int64_t, std::uint32_t>> accepted;
    std::int64_t now = 0;
    for (int i = 0; i < 50000; ++i) {
        now += static_cast<std::int64_t>(rng() % 60);
        if (lim.try_acquire(now)) {
            accepted.emplace_back(now, 1);
        } else {
            // Conservative by at most one quantum: the window ending now, widened by a
            // quantum, holds N.
            std::uint64_t in_window = 0;
            for (auto it = accepted.rbegin(); it != accepted.rend() && now - it->first < window + 100; ++it) ++in_window;
            REQUIRE(in_window >= limit);
        }
    }
    CHECK(max_in_any_window(accepted, window) <= limit);
    CHECK(accepted.size() > 1000);
}

TEST_CASE("token bucket: a burst of the capacity, then one token per interval") {
    // Kraken Starter: 60 per pair, decaying 1 per second.
    rate_limiter lim(token_bucket(60, s, rate_scope::instrument));
    for (int i = 0; i < 60; ++i) REQUIRE(lim.try_acquire(0));
    CHECK_FALSE(lim.try_acquire(0));
    CHECK(lim.next_available(0, 1) == s);
    CHECK(lim.available(s - 1) == 0);
    CHECK_FALSE(lim.try_acquire(s - 1));
    CHECK(lim.available(s) == 1);
    REQUIRE(lim.try_acquire(s));
    CHECK_FALSE(lim.try_acquire(s));
    CHECK(lim.available(11 * s) == 10);
    CHECK(lim.next_available(11 * s, 15) == 16 * s);
    CHECK(lim.available(1000 * s) == 60);  // never above the capacity
    CHECK(lim.next_available(0, 61) == rate_limiter::never);
    // Sustained: one per interval forever.
    for (std::int64_t k = 1000; k < 1100; ++k) REQUIRE(lim.try_acquire(k * s + 500 * ms));
}

TEST_CASE("rate_limiter reset and the default rule") {
    rate_limiter none;
    CHECK_FALSE(none.try_acquire(0));  // limit 0 refuses everything
    rate_limiter lim(sliding_window(2, s));
    REQUIRE(lim.try_acquire(0));
    REQUIRE(lim.try_acquire(0));
    CHECK_FALSE(lim.try_acquire(1));
    lim.reset();
    CHECK(lim.try_acquire(1));
}

TEST_CASE("default rate limits follow the reference") {
    const rate_limits b = default_rate_limits(venue::binance);
    REQUIRE(b.count == 3);
    CHECK(b.rules[0].limit == 50);
    CHECK(b.rules[0].period_ns == 10 * s);
    CHECK(b.rules[1].limit == 160000);
    CHECK(b.rules[1].period_ns == 86400 * s);
    CHECK(b.rules[2].limit == 6000);
    CHECK(b.rules[2].period_ns == 60 * s);
    for (const rate_rule& r : b.view()) CHECK(r.scope == rate_scope::venue);

    const rate_limits o = default_rate_limits(venue::okx);
    REQUIRE(o.count == 2);
    CHECK(o.rules[0].limit == 60);
    CHECK(o.rules[0].period_ns == 2 * s);
    CHECK(o.rules[0].scope == rate_scope::instrument);
    CHECK(o.rules[1].limit == 1000);

    const rate_limits y = default_rate_limits(venue::bybit);
    REQUIRE(y.count == 1);
    CHECK(y.rules[0].limit == 10);
    CHECK(y.rules[0].period_ns == s);

    const rate_limits k = default_rate_limits(venue::kraken);
    REQUIRE(k.count == 1);
    CHECK(k.rules[0].kind == rate_kind::token_bucket);
    CHECK(k.rules[0].limit == 60);
    CHECK(k.rules[0].scope == rate_scope::instrument);

    for (venue v : {venue::coinbase, venue::gate, venue::htx, venue::mexc}) {
        const rate_limits l = default_rate_limits(v);
        REQUIRE(l.count == 1);
        CHECK(l.rules[0].limit == 5);
        CHECK(l.rules[0].period_ns == s);
    }
    for (std::size_t v = 0; v < tradewire::market::venue_count; ++v) CHECK(default_rate_limits(static_cast<venue>(v)).valid());
}

TEST_CASE("rate_limits holds up to four valid rules") {
    rate_limits l;
    CHECK(l.valid());
    CHECK(l.add(sliding_window(1, s)));
    CHECK(l.add(sliding_window(2, s)));
    CHECK(l.add(token_bucket(3, s)));
    CHECK(l.add(sliding_window(4, s)));
    CHECK_FALSE(l.add(sliding_window(5, s)));
    CHECK(l.count == 4);
    CHECK(l.valid());
    CHECK_FALSE(sliding_window(0, s).valid());
    CHECK_FALSE(sliding_window(5, 0).valid());
    CHECK_FALSE(sliding_window(5, s, rate_scope::venue, 6).valid());  // cost over the limit
    CHECK_FALSE(token_bucket(5, -1).valid());
}
