// The busy-poll run loop: it runs handlers and timers without sleeping, stops on its
// predicate, on io.stop() or after a duration, and carries a WebSocket echo between
// two threads (round-trip time printed for information); pinning a thread works.
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/run.hpp>
#include <tradewire/net/ws_stream.hpp>

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <cstdio>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

using namespace net_test;

TEST_CASE("run_busy_poll: runs handlers and timers until the predicate says stop") {
    asio::io_context io(1);
    int handlers = 0;
    for (int i = 0; i < 100; ++i) asio::post(io, [&] { ++handlers; });
    bool timer_fired = false;
    asio::steady_timer t(io, 50ms);
    t.async_wait([&](std::error_code ec) { timer_fired = !ec; });
    const auto started = std::chrono::steady_clock::now();
    const std::size_t n = net::run_busy_poll(io, [&] { return timer_fired; });
    CHECK(handlers == 100);
    CHECK(timer_fired);
    CHECK(n >= 101);
    CHECK(io.stopped());
    CHECK(std::chrono::steady_clock::now() - started >= 45ms);
}

TEST_CASE("run_busy_poll: io.stop() ends it, run_busy_poll_for ends after its duration") {
    asio::io_context io(1);
    asio::steady_timer t(io, 20ms);
    t.async_wait([&](std::error_code) { io.stop(); });
    net::run_busy_poll(io);
    CHECK(io.stopped());

    io.restart();
    const auto started = std::chrono::steady_clock::now();
    net::run_busy_poll_for(io, 100ms);  // no work at all: still spins for the duration
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(took >= 100ms);
    CHECK(took < 5s);
}

TEST_CASE("run_busy_poll: carries a WebSocket echo between two threads") {
    asio::io_context server_io(1), client_io(1);
    listener lst(server_io);
    std::atomic<bool> server_done{false};
    spawn(server_io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        co_await ws.async_accept(use_awaitable);
        for (;;) {
            auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
            if (ec) break;
            co_await ws.async_write(m.op, m.payload, use_awaitable);
        }
        server_done = true;
    });
    std::thread server([&] { net::run_busy_poll(server_io, [&] { return server_done.load(); }); });

    constexpr int rounds = 500;
    std::chrono::steady_clock::duration total{};
    bool client_done = false;
    spawn(client_io, [&]() -> asio::awaitable<void> {
        client_stream ws(client_io);
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        const std::string msg(64, 'q');
        for (int i = 0; i < rounds; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            co_await ws.async_write_text(msg, use_awaitable);
            auto m = co_await ws.async_read(use_awaitable);
            total += std::chrono::steady_clock::now() - t0;
            if (m.text() != msg) co_return;
        }
        co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
        client_done = true;
    });
    net::run_busy_poll(client_io, [&] { return client_done; });
    server.join();
    CHECK(client_done);
    CHECK(server_done);
    std::printf("busy-poll loopback round trip (64-byte text, debug build): %.1f us average over %d\n",
                std::chrono::duration<double, std::micro>(total).count() / rounds, rounds);
}

TEST_CASE("pin_this_thread pins to an allowed CPU and refuses a bad one") {
#if defined(__linux__)
    cpu_set_t allowed;
    REQUIRE(sched_getaffinity(0, sizeof(allowed), &allowed) == 0);
    int cpu = 0;
    while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed)) ++cpu;
    REQUIRE(cpu < CPU_SETSIZE);
    std::error_code ec;
    std::thread([&] { ec = net::pin_this_thread(cpu); }).join();
    CHECK_FALSE(ec);
    CHECK(net::pin_this_thread(-1) == std::errc::invalid_argument);
#else
    CHECK(net::pin_this_thread(0) == std::errc::function_not_supported);
#endif
}
