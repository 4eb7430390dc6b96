// The server's building blocks without sockets: pooled shared frames (sharing, reuse,
// idle cap, frames outliving the pool), the bounded frame queue, the token bucket fed
// with explicit times, and bearer-token parsing and comparison.
#include "catch.hpp"

#include <tradewire/net/detail/server_limits.hpp>
#include <tradewire/net/frame_pool.hpp>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

namespace net = tradewire::net;
namespace ws = tradewire::ws;
using namespace std::chrono_literals;

TEST_CASE("frame_pool: a frame is shared, not copied, and its block is reused") {
    net::frame_pool pool;
    net::shared_frame f = pool.make_text("hello");
    CHECK(f.text() == "hello");
    CHECK(f.op() == ws::opcode::text);
    CHECK(f.use_count() == 1);
    {
        std::vector<net::shared_frame> queues(10, f);
        CHECK(f.use_count() == 11);
        for (const auto& q : queues) CHECK(q.payload().data() == f.payload().data());
    }
    CHECK(f.use_count() == 1);
    CHECK(pool.outstanding() == 1);
    const void* block = f.payload().data();
    f.reset();
    CHECK(pool.outstanding() == 0);
    CHECK(pool.idle_bytes() == 64);
    // The next frame of the same size class takes the same block: no new allocation.
    const std::size_t heap = pool.heap_allocations();
    net::shared_frame g = pool.make_binary(tradewire::as_bytes(std::string_view("0123456789")));
    CHECK(g.payload().data() == block);
    CHECK(pool.heap_allocations() == heap);
    CHECK(g.op() == ws::opcode::binary);
    CHECK(g.size() == 10);
}

TEST_CASE("frame_pool: buffers are written in place and frozen with a length") {
    net::frame_pool pool;
    net::frame_buffer b = pool.allocate(100);
    REQUIRE(b);
    CHECK(b.size() == 100);
    std::memcpy(b.data().data(), "{\"p\":1}", 7);
    net::shared_frame f = std::move(b).share(ws::opcode::text, 7);
    CHECK_FALSE(b);
    CHECK(f.text() == "{\"p\":1}");
    // Size classes: 64 B, 128 B, ..., each request gets a block at least as large.
    for (std::size_t n : {0u, 1u, 64u, 65u, 1000u, 70000u}) {
        net::frame_buffer x = pool.allocate(n);
        REQUIRE(x);
        CHECK(x.size() == n);
    }
}

TEST_CASE("frame_pool: idle memory is capped, large blocks are not kept") {
    net::frame_pool_options o;
    o.max_idle_bytes = 4096;
    o.max_pooled_size = 1024;
    net::frame_pool pool(o);
    {
        std::vector<net::shared_frame> many;
        for (int i = 0; i < 100; ++i) many.push_back(pool.make_text(std::string(1000, 'x')));
        many.push_back(pool.make_text(std::string(5000, 'y')));
    }
    CHECK(pool.outstanding() == 0);
    CHECK(pool.idle_bytes() <= 4096);
    pool.trim();
    CHECK(pool.idle_bytes() == 0);
}

TEST_CASE("frame_pool: frames may outlive the pool") {
    net::shared_frame survivor;
    {
        net::frame_pool pool;
        survivor = pool.make_text("still here");
        net::shared_frame idle = pool.make_text("returned");
    }
    CHECK(survivor.text() == "still here");
    survivor.reset();  // frees the pool's bookkeeping (ASan checks the rest)
    CHECK_FALSE(survivor);
}

TEST_CASE("frame_queue: bounded FIFO that refuses when full") {
    net::frame_pool pool;
    tradewire::net::detail::frame_queue q(3);
    CHECK(q.empty());
    CHECK(q.push(pool.make_text("a")));
    CHECK(q.push(pool.make_text("b")));
    CHECK(q.push(pool.make_text("c")));
    CHECK(q.full());
    CHECK_FALSE(q.push(pool.make_text("d")));
    CHECK(q.front().text() == "a");
    q.pop();
    CHECK(q.push(pool.make_text("e")));  // wraps around
    std::string order;
    while (!q.empty()) {
        order += std::string(q.front().text());
        q.pop();
    }
    CHECK(order == "bce");
    CHECK(pool.outstanding() == 0);  // popping releases the references
    q.push(pool.make_text("x"));
    q.clear();
    CHECK(pool.outstanding() == 0);
}

TEST_CASE("token_bucket: burst, refill at the rate, cap") {
    using tp = std::chrono::steady_clock::time_point;
    tradewire::net::detail::token_bucket b(10.0, 3.0);  // 10 per second, burst 3
    const tp t0{};
    b.start(t0);
    CHECK(b.take(t0));
    CHECK(b.take(t0));
    CHECK(b.take(t0));
    CHECK_FALSE(b.take(t0));
    CHECK_FALSE(b.take(t0 + 50ms));  // half a token
    CHECK(b.take(t0 + 100ms));       // one token after 100 ms
    CHECK_FALSE(b.take(t0 + 100ms));
    // A long pause banks at most the burst.
    const tp later = t0 + 10s;
    int taken = 0;
    while (b.take(later)) ++taken;
    CHECK(taken == 3);
    // Disabled bucket never limits.
    tradewire::net::detail::token_bucket off;
    CHECK_FALSE(off.enabled());
    for (int i = 0; i < 1000; ++i) CHECK(off.take(t0));
}

TEST_CASE("bearer token: parsing and comparison") {
    using tradewire::net::detail::bearer_token_of;
    using tradewire::net::detail::constant_time_equal;
    CHECK(bearer_token_of("Bearer abc") == "abc");
    CHECK(bearer_token_of("bEaReR   abc") == "abc");
    CHECK(bearer_token_of("Bearer") == "");
    CHECK(bearer_token_of("Bearer ") == "");
    CHECK(bearer_token_of("Bearerabc") == "");
    CHECK(bearer_token_of("Basic abc") == "");
    CHECK(bearer_token_of("") == "");
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
    CHECK(constant_time_equal("", ""));
}
