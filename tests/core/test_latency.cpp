#include <tradewire/core/latency.hpp>

#include "catch.hpp"
#include "count_allocations.hpp"

#include <cstdint>
#include <random>
#include <thread>
#include <vector>

using tradewire::latency_histogram;

TEST_CASE("latency_histogram buckets tile the range with bounded relative width") {
    using h = latency_histogram;
    CHECK(h::bucket_count == 4352);
    CHECK(h::bucket_lowest(0) == 0);
    for (std::size_t i = 1; i < h::bucket_count; ++i) {
        INFO("bucket " << i);
        REQUIRE(h::bucket_lowest(i) == h::bucket_highest(i - 1) + 1);  // contiguous, no gap
        const std::int64_t lo = h::bucket_lowest(i);
        const std::int64_t width = h::bucket_highest(i) - lo + 1;
        REQUIRE(width * 128 <= (lo < 128 ? 128 : lo));  // at most 1/128 of its values
        REQUIRE(h::bucket_index(lo) == i);
        REQUIRE(h::bucket_index(h::bucket_highest(i)) == i);
    }
    CHECK(h::bucket_highest(h::bucket_count - 1) == h::max_trackable);
    CHECK(h::bucket_index(h::max_trackable) == h::bucket_count - 1);
    // Exact below 256 ns.
    for (std::int64_t v = 0; v < 256; ++v) REQUIRE(h::bucket_lowest(h::bucket_index(v)) == v);
}

TEST_CASE("latency_histogram statistics on exact values") {
    latency_histogram h;
    CHECK(h.empty());
    CHECK(h.p50() == 0);
    for (std::int64_t v = 1; v <= 100; ++v) h.record(v);
    CHECK(h.count() == 100);
    CHECK(h.min() == 1);
    CHECK(h.max() == 100);
    CHECK(h.mean() == 50.5);
    CHECK(h.p50() == 50);
    CHECK(h.p90() == 90);
    CHECK(h.p99() == 99);
    CHECK(h.p999() == 100);
    CHECK(h.percentile(0) == 1);
    CHECK(h.percentile(100) == 100);
    CHECK(h.percentile(1) == 1);
    CHECK(h.percentile(1.5) == 2);
}

TEST_CASE("latency_histogram percentiles of large values are within one bucket, never below") {
    latency_histogram h;
    std::vector<std::int64_t> values;
    std::mt19937_64 rng(42);
    std::lognormal_distribution<double> dist(11.0, 1.5);  // ~60 us median, long tail
    for (int i = 0; i < 100000; ++i) {
        const auto v = static_cast<std::int64_t>(dist(rng));
        values.push_back(v);
        h.record(v);
    }
    std::sort(values.begin(), values.end());
    for (double pct : {50.0, 90.0, 99.0, 99.9}) {
        const auto rank = static_cast<std::size_t>(std::ceil(pct / 100.0 * static_cast<double>(values.size())));
        const std::int64_t truth = values[rank - 1];
        const std::int64_t got = h.percentile(pct);
        INFO("p" << pct << " truth " << truth << " got " << got);
        CHECK(got >= truth);
        CHECK(static_cast<double>(got - truth) <= static_cast<double>(truth) / 128.0);
    }
    CHECK(h.max() == values.back());
    CHECK(h.min() == values.front());
    CHECK(h.percentile(100) == values.back());
}

TEST_CASE("latency_histogram keeps negative and out-of-range samples apart") {
    latency_histogram h;
    h.record(-5);
    h.record(-1, 3);
    CHECK(h.count() == 0);
    CHECK(h.negative_count() == 4);
    CHECK(h.min() == 0);
    h.record(1000);
    const std::int64_t huge = latency_histogram::max_trackable + 12345;
    h.record(huge);
    CHECK(h.count() == 2);
    CHECK(h.saturated_count() == 1);
    CHECK(h.max() == huge);
    CHECK(h.min() == 1000);
    CHECK(h.percentile(100) == huge);
    CHECK(h.p50() == latency_histogram::bucket_highest(latency_histogram::bucket_index(1000)));  // 1003
    CHECK(h.mean() == (1000.0 + static_cast<double>(latency_histogram::max_trackable)) / 2.0);
}

TEST_CASE("latency_histogram merge equals recording everything in one, reset empties") {
    latency_histogram a;
    latency_histogram b;
    latency_histogram all;
    for (std::int64_t v = 0; v < 5000; v += 7) {
        ((v / 7) % 2 == 0 ? a : b).record(v * 13);
        all.record(v * 13);
    }
    b.record(-3);
    all.record(-3);
    latency_histogram empty;
    a.merge(empty);
    a.merge(b);
    CHECK(a.count() == all.count());
    CHECK(a.min() == all.min());
    CHECK(a.max() == all.max());
    CHECK(a.mean() == all.mean());
    CHECK(a.negative_count() == all.negative_count());
    for (std::size_t i = 0; i < latency_histogram::bucket_count; ++i) REQUIRE(a.bucket_value_count(i) == all.bucket_value_count(i));
    for (double pct : {10.0, 50.0, 90.0, 99.0, 99.9}) CHECK(a.percentile(pct) == all.percentile(pct));
    empty.merge(all);
    CHECK(empty.min() == all.min());
    a.reset();
    CHECK(a.empty());
    CHECK(a.negative_count() == 0);
    CHECK(a.max() == 0);
    CHECK(a.p99() == 0);
}

TEST_CASE("latency_histogram records without allocating") {
    auto h = std::make_unique<latency_histogram>();
    const std::size_t before = alloc_test::allocations();
    for (std::int64_t v = 0; v < 100000; v += 3) h->record(v * 1001);
    h->record(-1);
    CHECK(h->p99() > 0);
    CHECK(alloc_test::allocations() == before);
}

TEST_CASE("clocks: manual is driven by hand, monotonic never goes back, wall is Unix time") {
    tradewire::manual_clock m(1000);
    CHECK(m.now() == 1000);
    m.advance(500);
    CHECK(m.now() == 1500);
    m.set(7);
    CHECK(m.now() == 7);
    tradewire::monotonic_clock mono;
    std::int64_t last = mono.now();
    for (int i = 0; i < 1000; ++i) {
        const std::int64_t t = mono.now();
        REQUIRE(t >= last);
        last = t;
    }
    const std::int64_t wall = tradewire::wall_clock{}.now();
    CHECK(wall > 1'600'000'000'000'000'000);  // after September 2020
    CHECK(wall < 4'102'444'800'000'000'000);  // before 2100
}
