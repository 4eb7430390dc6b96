#include <tradewire/core/spsc_ring.hpp>

#include "catch.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace {

using tradewire::full_policy;
using tradewire::ring_error;
using tradewire::spsc_ring;

// Four words whose relation is checked on every pop: a torn copy breaks it.
struct stamped {
    std::uint64_t seq;
    std::uint64_t a;
    std::uint64_t b;
    std::uint64_t c;
    static stamped make(std::uint64_t s) { return {s, s * 3 + 1, ~s, s ^ 0x5555'5555'5555'5555ULL}; }
    bool consistent() const { return a == seq * 3 + 1 && b == ~seq && c == (seq ^ 0x5555'5555'5555'5555ULL); }
};

// Counts live instances, to prove the ring destroys what it still holds.
struct tracked {
    static inline int live = 0;
    int value;
    explicit tracked(int v) noexcept : value(v) { ++live; }
    tracked(tracked&& o) noexcept : value(o.value) { ++live; }
    tracked& operator=(tracked&& o) noexcept {
        value = o.value;
        return *this;
    }
    ~tracked() { --live; }
};

constexpr std::uint64_t stress_items = 2'000'000;

}  // namespace

TEST_CASE("spsc_ring capacity is rounded up to a power of two") {
    CHECK(spsc_ring<int>(0).capacity() == 2);
    CHECK(spsc_ring<int>(1).capacity() == 2);
    CHECK(spsc_ring<int>(3).capacity() == 4);
    CHECK(spsc_ring<int>(8).capacity() == 8);
    CHECK(spsc_ring<int>(1000).capacity() == 1024);
}

TEST_CASE("spsc_ring is FIFO and try_push refuses when full") {
    spsc_ring<int> r(4);
    CHECK(r.empty());
    int out = 0;
    CHECK_FALSE(r.try_pop(out));
    for (int i = 0; i < 4; ++i) REQUIRE(r.try_push(i));
    CHECK(r.size() == 4);
    CHECK_FALSE(r.try_push(99));
    CHECK(r.rejected() == 0);  // try_push does not count
    for (int i = 0; i < 4; ++i) {
        REQUIRE(r.try_pop(out));
        CHECK(out == i);
    }
    CHECK(r.empty());
    // Indices keep growing across many wraps.
    for (int i = 0; i < 1000; ++i) {
        REQUIRE(r.try_push(i));
        const auto v = r.try_pop();
        REQUIRE(v.has_value());
        CHECK(*v == i);
    }
    CHECK_FALSE(r.try_pop().has_value());
}

TEST_CASE("spsc_ring fail policy returns ring_error::full and counts it") {
    spsc_ring<int, full_policy::fail> r(2);
    CHECK_FALSE(r.push(1));
    CHECK_FALSE(r.push(2));
    const std::error_code ec = r.push(3);
    CHECK(ec == ring_error::full);
    CHECK(std::string(ec.category().name()) == "tradewire.ring");
    CHECK(ec.message() == "ring is full");
    CHECK(r.rejected() == 1);
    CHECK(r.push(4) == ring_error::full);
    CHECK(r.rejected() == 2);
    int out = 0;
    REQUIRE(r.try_pop(out));
    CHECK(out == 1);
    CHECK_FALSE(r.push(5));
    REQUIRE(r.try_pop(out));
    CHECK(out == 2);
    REQUIRE(r.try_pop(out));
    CHECK(out == 5);
}

TEST_CASE("spsc_ring drop_oldest keeps the newest items and counts the dropped ones") {
    spsc_ring<stamped, full_policy::drop_oldest> r(4);
    for (std::uint64_t i = 0; i < 4; ++i) CHECK_FALSE(r.push(stamped::make(i)));
    CHECK(r.dropped() == 0);
    CHECK(r.push(stamped::make(4)));
    CHECK(r.push(stamped::make(5)));
    CHECK(r.dropped() == 2);
    CHECK(r.size() == 4);
    // try_push never drops.
    CHECK_FALSE(r.try_push(stamped::make(100)));
    CHECK(r.dropped() == 2);
    for (std::uint64_t want = 2; want < 6; ++want) {
        const auto v = r.try_pop();
        REQUIRE(v.has_value());
        CHECK(v->seq == want);
        CHECK(v->consistent());
    }
    CHECK_FALSE(r.try_pop().has_value());
    stamped s{};
    CHECK(r.try_push(stamped::make(7)));
    REQUIRE(r.try_pop(s));
    CHECK(s.seq == 7);
}

TEST_CASE("spsc_ring block policy waits for the consumer") {
    spsc_ring<int, full_policy::block> r(2);
    r.push(1);
    r.push(2);
    std::atomic<bool> third_pushed{false};
    std::thread producer([&] {
        r.push(3);  // full: waits until the main thread pops
        third_pushed.store(true);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK_FALSE(third_pushed.load());
    int out = 0;
    REQUIRE(r.try_pop(out));
    CHECK(out == 1);
    producer.join();
    CHECK(third_pushed.load());
    REQUIRE(r.try_pop(out));
    CHECK(out == 2);
    REQUIRE(r.try_pop(out));
    CHECK(out == 3);
}

TEST_CASE("spsc_ring holds move-only payloads and destroys what is left") {
    {
        spsc_ring<std::unique_ptr<int>, full_policy::fail> r(4);
        REQUIRE_FALSE(r.push(std::make_unique<int>(7)));
        REQUIRE(r.try_push(std::make_unique<int>(8)));
        std::unique_ptr<int>* front = r.front();
        REQUIRE(front != nullptr);
        CHECK(**front == 7);  // in place, not moved
        r.pop();
        auto v = r.try_pop();
        REQUIRE(v.has_value());
        CHECK(**v == 8);
        CHECK(r.front() == nullptr);
    }
    tracked::live = 0;
    {
        spsc_ring<tracked, full_policy::block> r(8);
        for (int i = 0; i < 5; ++i) r.push(tracked(i));
        CHECK(tracked::live == 5);
        tracked out(-1);
        REQUIRE(r.try_pop(out));
        CHECK(out.value == 0);
        CHECK(tracked::live == 5);  // 4 in the ring + out
    }
    CHECK(tracked::live == 0);
}

TEST_CASE("spsc_ring two threads, block policy: every item once, in order") {
    spsc_ring<stamped, full_policy::block> r(1024);
    std::thread producer([&] {
        for (std::uint64_t i = 0; i < stress_items; ++i) r.push(stamped::make(i));
    });
    std::uint64_t next = 0;
    std::uint64_t bad = 0;
    while (next < stress_items) {
        if (stamped* p = r.front()) {
            if (p->seq != next || !p->consistent()) ++bad;
            r.pop();
            ++next;
        }
    }
    producer.join();
    CHECK(bad == 0);
    CHECK(next == stress_items);
    CHECK(r.empty());
}

TEST_CASE("spsc_ring drain consumes what is there, up to a maximum") {
    spsc_ring<std::unique_ptr<int>, full_policy::fail> r(8);
    std::vector<int> seen;
    CHECK(r.drain([&](std::unique_ptr<int>&& p) { seen.push_back(*p); }) == 0);
    for (int i = 0; i < 6; ++i) REQUIRE_FALSE(r.push(std::make_unique<int>(i)));
    CHECK(r.drain([&](std::unique_ptr<int>&& p) { seen.push_back(*p); }, 4) == 4);
    CHECK(r.size() == 2);
    for (int i = 6; i < 10; ++i) REQUIRE_FALSE(r.push(std::make_unique<int>(i)));  // room freed by drain
    CHECK(r.drain([&](std::unique_ptr<int>&& p) { seen.push_back(*p); }) == 6);
    REQUIRE(seen.size() == 10);
    for (int i = 0; i < 10; ++i) CHECK(seen[static_cast<std::size_t>(i)] == i);
    CHECK(r.empty());
}

TEST_CASE("spsc_ring two threads, drain: every item once, in order") {
    spsc_ring<stamped, full_policy::block> r(256);
    std::thread producer([&] {
        for (std::uint64_t i = 0; i < stress_items; ++i) r.push(stamped::make(i));
    });
    std::uint64_t next = 0;
    std::uint64_t bad = 0;
    while (next < stress_items) {
        r.drain(
            [&](stamped&& v) {
                if (v.seq != next || !v.consistent()) ++bad;
                ++next;
            },
            100);
    }
    producer.join();
    CHECK(bad == 0);
    CHECK(next == stress_items);
}

TEST_CASE("spsc_ring two threads, fail policy: a producer that retries loses nothing") {
    spsc_ring<stamped, full_policy::fail> r(64);  // small: the ring is full often
    std::thread producer([&] {
        for (std::uint64_t i = 0; i < stress_items; ++i) {
            while (r.push(stamped::make(i))) {
            }
        }
    });
    std::uint64_t next = 0;
    std::uint64_t bad = 0;
    stamped s{};
    while (next < stress_items) {
        if (r.try_pop(s)) {
            if (s.seq != next || !s.consistent()) ++bad;
            ++next;
        }
    }
    producer.join();
    CHECK(bad == 0);
    CHECK(r.rejected() > 0);
    CHECK_FALSE(r.try_pop(s));
}

TEST_CASE("spsc_ring two threads, drop_oldest: increasing, untorn, received + dropped == sent") {
    spsc_ring<stamped, full_policy::drop_oldest> r(64);
    std::atomic<bool> done{false};
    std::thread producer([&] {
        for (std::uint64_t i = 0; i < stress_items; ++i) r.push(stamped::make(i));
        done.store(true, std::memory_order_release);
    });
    std::uint64_t received = 0;
    std::uint64_t bad = 0;
    std::uint64_t last = 0;
    bool first = true;
    for (;;) {
        const bool finished = done.load(std::memory_order_acquire);
        while (auto v = r.try_pop()) {
            if (!v->consistent() || (!first && v->seq <= last)) ++bad;
            last = v->seq;
            first = false;
            ++received;
        }
        if (finished) break;
    }
    producer.join();
    CHECK(bad == 0);
    CHECK(received + r.dropped() == stress_items);
    CHECK(last == stress_items - 1);  // the newest item is never dropped
    INFO("received " << received << ", dropped " << r.dropped());
    CHECK(received > 0);
}
