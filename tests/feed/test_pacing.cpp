// Control-message pacing (feed/detail/control_pacer.hpp) with simulated times: a burst
// of 30 requests after a reconnect leaves a Binance connection at 4 per second (the
// fifth message of each second is kept for pongs), OKX's 480 per hour is a budget, and a
// venue without limits is not paced. The feed's use of it against a simulator that cuts
// clients over 5 messages per second is in test_heartbeat_pacing.cpp.
#include "catch.hpp"

#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/bybit.hpp>
#include <tradewire/exchange/okx.hpp>
#include <tradewire/feed/detail/control_pacer.hpp>

#include <cstdint>
#include <vector>

using tradewire::detail::feed_impl::control_pacer;
namespace trade = tradewire::trade;
namespace exchange = tradewire::exchange;

namespace {

constexpr std::int64_t sec = trade::ns_per_second;

// Send times of n messages queued at t = 0, each as early as the pacer allows.
std::vector<std::int64_t> schedule(control_pacer& p, std::size_t n, std::int64_t start = 0) {
    std::vector<std::int64_t> at;
    std::int64_t t = start;
    for (std::size_t i = 0; i < n; ++i) {
        t = p.next_available(t);
        REQUIRE(t != trade::rate_limiter::never);
        p.spend(t);
        at.push_back(t);
    }
    return at;
}

// The most messages inside any window of `w` ns.
std::size_t max_in_window(const std::vector<std::int64_t>& at, std::int64_t w) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < at.size(); ++i) {
        std::size_t n = 0;
        for (std::size_t j = i; j < at.size() && at[j] < at[i] + w; ++j) ++n;
        best = std::max(best, n);
    }
    return best;
}

}  // namespace

TEST_CASE("binance: a burst of 30 requests is spread at 4 per second") {
    control_pacer p = control_pacer::for_limits(exchange::binance::spot::limits);
    REQUIRE(p.enabled());
    const auto at = schedule(p, 30);
    CHECK(max_in_window(at, sec) == 4);
    // 4 at once, then 4 more each second: the 30th leaves after 7 s.
    CHECK(at[3] == 0);
    CHECK(at[4] == sec);
    CHECK(at[29] == 7 * sec);
    // A new connection starts afresh.
    p.reset();
    CHECK(p.next_available(at[29]) == at[29]);
}

TEST_CASE("okx: 480 requests per hour per connection") {
    control_pacer p = control_pacer::for_limits(exchange::okx::spot::limits);
    REQUIRE(p.enabled());
    const auto at = schedule(p, 481);
    CHECK(at[479] == 0);           // the budget allows a burst
    CHECK(at[480] == 3600 * sec);  // the 481st waits for the hour
    CHECK(max_in_window(at, 3600 * sec) == 480);
}

TEST_CASE("bybit: no documented message rate, no pacing") {
    control_pacer p = control_pacer::for_limits(exchange::bybit::spot::limits);
    CHECK_FALSE(p.enabled());
    const auto at = schedule(p, 30, 5);
    CHECK(at.back() == 5);
}

TEST_CASE("pacer with both rules takes the later time") {
    control_pacer p(2, 3);
    const auto at = schedule(p, 4);
    CHECK(at[0] == 0);
    CHECK(at[1] == 0);
    CHECK(at[2] == sec);
    CHECK(at[3] == 3600 * sec);
}
