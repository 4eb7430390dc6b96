// Every ws_stream operation (and the tcp connect) works with any Asio completion token:
// plain callbacks, asio::use_awaitable (C++20 coroutines), asio::use_future (with the
// context run by another thread, errors thrown from get()), and handlers bound to a
// strand, whose intermediate steps and completion must stay on that strand.
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/ws_stream.hpp>

#include <asio/bind_executor.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/strand.hpp>
#include <asio/use_future.hpp>

#include <atomic>
#include <future>
#include <system_error>
#include <thread>

using namespace net_test;

namespace {

// An echo server for one connection, run as a coroutine on `io`.
asio::awaitable<void> echo_once(listener& lst) {
    server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
    co_await ws.async_accept(use_awaitable);
    for (;;) {
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        if (ec) co_return;
        co_await ws.async_write(m.op, m.payload, use_awaitable);
    }
}

}  // namespace

TEST_CASE("tokens: callbacks") {
    asio::io_context io;
    listener lst(io);
    spawn(io, echo_once(lst));
    client_stream ws(io);
    request_holder req(lst.port());
    std::vector<std::string> steps;
    net::async_connect(
        ws.next_layer(), "127.0.0.1", lst.port(), {}, [&](std::error_code ec, const tcp::endpoint& ep) {
            REQUIRE_FALSE(ec);
            CHECK(ep.port() == lst.port());
            steps.push_back("connected");
            ws.async_handshake(req.request, [&](std::error_code hec) {
                REQUIRE_FALSE(hec);
                steps.push_back("handshake");
                ws.async_write_text("cb", [&](std::error_code wec) {
                    REQUIRE_FALSE(wec);
                    steps.push_back("written");
                });
                ws.async_read([&](std::error_code rec, net::ws_message m) {
                    REQUIRE_FALSE(rec);
                    steps.push_back("read " + std::string(m.text()));
                    ws.async_ping(tradewire::as_bytes("p"), [&](std::error_code pec) {
                        REQUIRE_FALSE(pec);
                        ws.async_close(ws::close_code::normal, "cb done", [&](std::error_code cec) {
                            CHECK_FALSE(cec);
                            steps.push_back("closed");
                        });
                    });
                });
            });
        });
    REQUIRE(run_io(io));
    CHECK(steps == std::vector<std::string>{"connected", "handshake", "written", "read cb", "closed"});
}

TEST_CASE("tokens: use_awaitable, with errors as exceptions and as tuples") {
    asio::io_context io;
    listener lst(io);
    spawn(io, echo_once(lst));
    bool done = false;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        const tcp::endpoint ep =
            co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        CHECK(ep.port() == lst.port());
        co_await ws.async_handshake(req.request, use_awaitable);
        co_await ws.async_write_binary(pattern(3000), use_awaitable);
        const net::ws_message m = co_await ws.async_read(use_awaitable);
        CHECK(same(m.payload, pattern(3000)));
        co_await ws.async_ping({}, use_awaitable);
        co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
        auto [ec, none] = co_await ws.async_read(as_tuple_awaitable);
        CHECK(ec == net::error::closed);
        bool thrown = false;
        try {
            co_await ws.async_write_text("closed", use_awaitable);
        } catch (const std::system_error& e) {
            thrown = e.code() == net::error::closed;
        }
        CHECK(thrown);
        done = true;
    });
    REQUIRE(run_io(io));
    CHECK(done);
}

TEST_CASE("tokens: use_future from a thread that does not run the context") {
    // use_future runs each step that completes through a post on Asio's system thread
    // pool; the last of them can still be unwinding there, releasing the stream's state
    // (its timers belong to this io_context), after the future it completed woke this
    // thread. The io_context lives to the end of the program so that release is safe
    // (seen once in CI as a heap-use-after-free in ~basic_waitable_timer).
    static asio::io_context io;
    auto guard = asio::make_work_guard(io);
    listener lst(io);
    spawn(io, echo_once(lst));
    std::thread runner([&] { io.run(); });
    {
        client_stream ws(io);
        request_holder req(lst.port());
        const tcp::endpoint ep =
            net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, asio::use_future).get();
        CHECK(ep.port() == lst.port());
        ws.async_handshake(req.request, asio::use_future).get();
        std::future<void> written = ws.async_write_text("future", asio::use_future);
        const net::ws_message m = ws.async_read(asio::use_future).get();
        written.get();
        CHECK(m.text() == "future");
        ws.async_ping(tradewire::as_bytes("x"), asio::use_future).get();
        ws.async_close(ws::close_code::normal, "", asio::use_future).get();
        bool thrown = false;
        try {
            ws.async_read(asio::use_future).get();
        } catch (const std::system_error& e) {
            thrown = e.code() == net::error::closed;
        }
        CHECK(thrown);
        // The stream is destroyed here, on this thread, with nothing pending.
        asio::post(io, asio::use_future).get();
    }
    guard.reset();
    runner.join();
}

TEST_CASE("tokens: handlers bound to a strand run on it, with two threads running the context") {
    asio::io_context io(2);
    auto guard = asio::make_work_guard(io);
    listener lst(io);
    spawn(io, echo_once(lst));
    auto strand = asio::make_strand(io);
    // The stream's socket uses the strand too, so its own work is serialized with ours.
    net::ws_stream<net::tcp_socket> ws(strand);
    request_holder req(lst.port());
    std::atomic<int> off_strand{0};
    std::atomic<int> messages{0};
    std::promise<void> finished;
    const auto on_strand = [&] {
        if (!strand.running_in_this_thread()) ++off_strand;
    };
    std::function<void(int)> round = [&](int i) {
        if (i == 200) {
            ws.async_close(ws::close_code::normal, "", asio::bind_executor(strand, [&](std::error_code ec) {
                               on_strand();
                               CHECK_FALSE(ec);
                               finished.set_value();
                           }));
            return;
        }
        ws.async_write_text(
            "s", asio::bind_executor(strand, [&, i](std::error_code ec) {
                on_strand();
                REQUIRE_FALSE(ec);
                ws.async_read(asio::bind_executor(strand, [&, i](std::error_code rec, net::ws_message) {
                    on_strand();
                    REQUIRE_FALSE(rec);
                    ++messages;
                    round(i + 1);
                }));
            }));
    };
    asio::post(strand, [&] {
        net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {},
                           asio::bind_executor(strand, [&](std::error_code ec, const tcp::endpoint&) {
                               REQUIRE_FALSE(ec);
                               ws.async_handshake(req.request,
                                                  asio::bind_executor(strand, [&](std::error_code hec) {
                                                      on_strand();
                                                      REQUIRE_FALSE(hec);
                                                      round(0);
                                                  }));
                           }));
    });
    std::thread a([&] { io.run(); });
    std::thread b([&] { io.run(); });
    REQUIRE(finished.get_future().wait_for(30s) == std::future_status::ready);
    guard.reset();
    a.join();
    b.join();
    CHECK(messages == 200);
    CHECK(off_strand == 0);
}
