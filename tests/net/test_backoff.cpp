// net::exponential_backoff: the delay sequence (growth, cap, jitter bounds), giving up
// after max_attempts, reset, option sanitising, and a custom policy through the concept.
#include "catch.hpp"

#include <tradewire/net/backoff.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>

namespace net = tradewire::net;
using namespace std::chrono_literals;
using duration = std::chrono::steady_clock::duration;

TEST_CASE("backoff: without jitter the delays double up to the cap") {
    net::backoff_options o;
    o.initial = 100ms;
    o.factor = 2.0;
    o.cap = 1s;
    o.jitter = 0.0;
    net::exponential_backoff b(o);
    const duration expected[] = {100ms, 200ms, 400ms, 800ms, 1s, 1s, 1s};
    for (const duration e : expected) {
        const auto d = b.next_delay();
        REQUIRE(d);
        CHECK(*d == e);
    }
    CHECK(b.attempts() == 7);
    CHECK(b.base_delay(1) == 100ms);
    CHECK(b.base_delay(4) == 800ms);
    CHECK(b.base_delay(1000) == 1s);  // no overflow for huge attempt counts
}

TEST_CASE("backoff: jittered delays stay within [base * (1 - jitter), base] and vary") {
    net::backoff_options o;
    o.initial = 50ms;
    o.factor = 3.0;
    o.cap = 2s;
    o.jitter = 0.4;
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        net::basic_exponential_backoff<tradewire::xoshiro256ss> b(o, tradewire::xoshiro256ss(seed));
        for (std::uint32_t n = 1; n <= 8; ++n) {
            const auto d = b.next_delay();
            REQUIRE(d);
            const auto base = b.base_delay(n);
            CHECK(*d <= base);
            CHECK(*d >= duration(static_cast<duration::rep>(static_cast<double>(base.count()) * 0.6)) - 1ns);
            CHECK(*d <= o.cap);
        }
    }
    // Jitter spreads clients: different seeds give different first delays.
    std::set<duration::rep> firsts;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        net::basic_exponential_backoff<tradewire::xoshiro256ss> b(o, tradewire::xoshiro256ss(seed));
        firsts.insert(b.next_delay()->count());
    }
    CHECK(firsts.size() > 15);
}

TEST_CASE("backoff: gives up after max_attempts consecutive failures, reset starts over") {
    net::backoff_options o;
    o.initial = 10ms;
    o.jitter = 0.0;
    o.max_attempts = 3;
    net::exponential_backoff b(o);
    CHECK(b.next_delay() == duration(10ms));
    CHECK(b.next_delay() == duration(20ms));
    CHECK(b.next_delay() == duration(40ms));
    CHECK_FALSE(b.next_delay());
    CHECK_FALSE(b.next_delay());
    b.reset();
    CHECK(b.attempts() == 0);
    CHECK(b.next_delay() == duration(10ms));
}

TEST_CASE("backoff: nonsensical options are made safe") {
    net::backoff_options o;
    o.initial = 100ms;
    o.factor = 0.5;         // would shrink: treated as 1
    o.cap = 10ms;           // below initial: raised to initial
    o.jitter = 7.0;         // clamped to 1
    o.max_attempts = 0;     // unlimited
    net::exponential_backoff b(o);
    CHECK(b.options().factor == 1.0);
    CHECK(b.options().cap == duration(100ms));
    CHECK(b.options().jitter == 1.0);
    for (int i = 0; i < 100; ++i) {
        const auto d = b.next_delay();
        REQUIRE(d);
        CHECK(*d >= duration::zero());
        CHECK(*d <= duration(100ms));
    }
    o.factor = std::numeric_limits<double>::quiet_NaN();
    o.jitter = -1.0;
    net::exponential_backoff nan_safe(o);
    CHECK(nan_safe.options().factor == 1.0);
    CHECK(nan_safe.options().jitter == 0.0);
    CHECK(nan_safe.next_delay() == duration(100ms));
}

namespace {
// A fixed schedule, to show the concept accepts any policy.
struct fixed_schedule {
    std::uint32_t n = 0;
    std::optional<duration> next_delay() {
        if (n >= 2) return std::nullopt;
        ++n;
        return duration(5ms);
    }
    void reset() { n = 0; }
    std::uint32_t attempts() const { return n; }
    duration healthy_after() const { return 1s; }
};
struct not_a_policy {
    int next_delay() { return 0; }
};
}  // namespace

TEST_CASE("backoff: the policy concept") {
    static_assert(net::backoff_policy<net::exponential_backoff>);
    static_assert(net::backoff_policy<fixed_schedule>);
    static_assert(!net::backoff_policy<not_a_policy>);
    fixed_schedule f;
    CHECK(f.next_delay() == duration(5ms));
}
