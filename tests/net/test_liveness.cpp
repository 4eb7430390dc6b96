// Half-open connection detection: the liveness_monitor's decisions on a simulated clock,
// then ws_stream with liveness on: a silent peer is failed with liveness_timeout after a
// Ping it never answered (even while a write is stuck), a peer that answers Pings or
// keeps sending data is kept.
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/liveness.hpp>
#include <tradewire/net/ws_stream.hpp>
#include <tradewire/ws/reader.hpp>

#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

using namespace net_test;
using action = net::liveness_monitor::action;

namespace {

net::liveness_options opts(std::chrono::milliseconds idle, std::chrono::milliseconds ping) {
    net::liveness_options o;
    o.idle_timeout = idle;
    o.ping_timeout = ping;
    return o;
}

// Answers the upgrade by hand, then leaves the socket to the caller.
asio::awaitable<void> accept_upgrade(tcp::socket& sock) {
    std::string head(8192, '\0');
    std::size_t have = 0;
    ws::server_handshake hs;
    std::error_code ec;
    for (;;) {
        have += co_await sock.async_read_some(asio::buffer(head.data() + have, head.size() - have),
                                              use_awaitable);
        hs.read_request(std::string_view(head.data(), have), ec);
        if (ec != tradewire::http_error::need_more) break;
    }
    REQUIRE_FALSE(ec);
    std::string out(1024, '\0');
    const std::size_t n = hs.write_accept({}, std::span<char>(out.data(), out.size()), ec);
    co_await asio::async_write(sock, asio::buffer(out.data(), n), use_awaitable);
}

}  // namespace

TEST_CASE("liveness_monitor: idle, ping, answer, and failure on a simulated clock") {
    using clock = net::liveness_monitor::clock;
    const clock::time_point t0{};
    net::liveness_monitor m(opts(1000ms, 300ms));
    REQUIRE(m.enabled());
    m.start(t0);
    CHECK(m.deadline() == t0 + 1000ms);
    // Data at 400 ms moves the deadline; an early timer does nothing.
    m.on_receive(t0 + 400ms);
    CHECK(m.on_deadline(t0 + 1000ms) == action::none);
    CHECK(m.deadline() == t0 + 1400ms);
    // Silence until the deadline: ping, then wait ping_timeout.
    CHECK(m.on_deadline(t0 + 1400ms) == action::send_ping);
    CHECK(m.ping_outstanding());
    CHECK(m.deadline() == t0 + 1700ms);
    // The pong (or anything) arrives: back to watching from then on.
    m.on_receive(t0 + 1500ms);
    CHECK(m.on_deadline(t0 + 1700ms) == action::none);
    CHECK_FALSE(m.ping_outstanding());
    CHECK(m.deadline() == t0 + 2500ms);
    // Silence again: ping, then nothing: fail.
    CHECK(m.on_deadline(t0 + 2500ms) == action::send_ping);
    CHECK(m.on_deadline(t0 + 2700ms) == action::none);  // early wake-up
    CHECK(m.on_deadline(t0 + 2800ms) == action::fail);
    // Disabled by default.
    CHECK_FALSE(net::liveness_monitor{}.enabled());
}

TEST_CASE("liveness_monitor: a Pong deadline longer than the idle period keeps the Ping cadence") {
    // Binance's shape: a Ping every 20 s, cut after a minute without an answer.
    using clock = net::liveness_monitor::clock;
    const clock::time_point t0{};
    net::liveness_monitor m(opts(20000ms, 60000ms));
    m.start(t0);
    CHECK(m.on_deadline(t0 + 20000ms) == action::send_ping);
    // The answer is looked for one idle period later, not only at the one-minute deadline.
    CHECK(m.deadline() == t0 + 40000ms);
    m.on_receive(t0 + 20010ms);
    CHECK(m.on_deadline(t0 + 40000ms) == action::none);
    CHECK_FALSE(m.ping_outstanding());
    CHECK(m.deadline() == t0 + 40010ms);
    CHECK(m.on_deadline(t0 + 40010ms) == action::send_ping);
    // An unanswered Ping: looked for after 20 s, still waited for until the minute is up.
    CHECK(m.deadline() == t0 + 60010ms);
    CHECK(m.on_deadline(t0 + 60010ms) == action::none);
    CHECK(m.ping_outstanding());
    CHECK(m.deadline() == t0 + 100010ms);
    CHECK(m.on_deadline(t0 + 90000ms) == action::none);  // early wake-up
    CHECK(m.on_deadline(t0 + 100010ms) == action::fail);
    // A late answer, after the look but inside the minute, keeps the connection.
    m.start(t0);
    CHECK(m.on_deadline(t0 + 20000ms) == action::send_ping);
    CHECK(m.on_deadline(t0 + 40000ms) == action::none);
    m.on_receive(t0 + 55000ms);
    CHECK(m.on_deadline(t0 + 80000ms) == action::none);
    CHECK_FALSE(m.ping_outstanding());
    CHECK(m.deadline() == t0 + 75000ms);
}

TEST_CASE("liveness: a silent peer is failed with liveness_timeout after one unanswered ping") {
    asio::io_context io;
    listener lst(io);
    int pings_seen = 0;
    spawn(io, [&]() -> asio::awaitable<void> {
        auto sock = co_await lst.acceptor.async_accept(use_awaitable);
        co_await accept_upgrade(sock);
        // Read (to see the ping) but never answer anything.
        ws::message_reader<ws::server_role> reader;
        for (;;) {
            const auto ev = reader.next();
            if (ev.type == ws::event_type::ping) ++pings_seen;
            if (ev.type != ws::event_type::need_more) continue;
            const auto space = reader.prepare(4096);
            auto [ec, n] =
                co_await sock.async_read_some(asio::buffer(space.data(), space.size()), as_tuple_awaitable);
            if (ec) co_return;
            reader.commit(n);
        }
    });
    std::error_code result;
    std::chrono::steady_clock::duration took{};
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        net::ws_stream_options o;
        o.liveness = opts(200ms, 200ms);
        ws.set_options(o);
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        const auto started = std::chrono::steady_clock::now();
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        took = std::chrono::steady_clock::now() - started;
        result = ec;
        auto [wec] = co_await ws.async_write_text("too late", as_tuple_awaitable);
        CHECK(wec == net::error::liveness_timeout);
    });
    REQUIRE(run_io(io));
    CHECK(result == net::error::liveness_timeout);
    CHECK(pings_seen == 1);
    CHECK(took >= 380ms);
    CHECK(took < 3s);
}

TEST_CASE("liveness: a quiet peer that answers pings is kept, one that sends data is not even pinged") {
    asio::io_context io;
    listener lst(io);
    int server_pings = 0;
    SECTION("quiet, answering pings") {
        spawn(io, [&]() -> asio::awaitable<void> {
            server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
            ws.set_control_callback(
                [&](ws::opcode op, const_bytes) { server_pings += op == ws::opcode::ping; });
            co_await ws.async_accept(use_awaitable);
            auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);  // nothing until the close
            CHECK(ec == net::error::closed);
        });
    }
    SECTION("sending data every 50 ms") {
        spawn(io, [&]() -> asio::awaitable<void> {
            server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
            ws.set_control_callback(
                [&](ws::opcode op, const_bytes) { server_pings += op == ws::opcode::ping; });
            co_await ws.async_accept(use_awaitable);
            bool done = false;
            ws.async_read([&](std::error_code, net::ws_message) { done = true; });
            asio::steady_timer t(io);
            while (!done) {
                t.expires_after(50ms);
                co_await t.async_wait(use_awaitable);
                if (!done) co_await ws.async_write_text("tick", as_tuple_awaitable);
            }
        });
    }
    int pongs = 0, ticks = 0;
    std::error_code close_result{1, std::generic_category()};
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        net::ws_stream_options o;
        o.liveness = opts(150ms, 150ms);
        ws.set_options(o);
        ws.set_control_callback([&](ws::opcode op, const_bytes) { pongs += op == ws::opcode::pong; });
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        // Read for 1 s (more than six idle periods).
        bool stop = false;
        std::error_code read_end;
        std::function<void()> read_more = [&] {
            ws.async_read([&](std::error_code ec, net::ws_message) {
                if (ec) {
                    read_end = ec;
                    return;
                }
                ++ticks;
                if (!stop) read_more();
            });
        };
        read_more();
        co_await asio::steady_timer(io, 1s).async_wait(use_awaitable);
        CHECK(ws.is_open());
        CHECK_FALSE(read_end);
        stop = true;
        auto [ec] = co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
        close_result = ec;
    });
    REQUIRE(run_io(io));
    CHECK_FALSE(close_result);
    if (ticks == 0) {  // the quiet peer: pinged about every 150 ms, answered each time
        CHECK(server_pings >= 3);
        CHECK(pongs == server_pings);
    } else {  // data keeps the connection alive without pings
        CHECK(ticks >= 10);
        CHECK(server_pings == 0);
    }
}

TEST_CASE("liveness: fires even while a write is stuck behind a peer that stopped reading") {
    asio::io_context io;
    listener lst(io);
    std::optional<tcp::socket> server_sock;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_sock.emplace(co_await lst.acceptor.async_accept(use_awaitable));
        co_await accept_upgrade(*server_sock);  // then neither reads nor writes
    });
    std::error_code read_result, write_result;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        net::ws_stream_options o;
        o.liveness = opts(200ms, 200ms);
        ws.set_options(o);
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        ws.async_read([&](std::error_code ec, net::ws_message) { read_result = ec; });
        const bytes big = pattern(1 << 20);
        for (;;) {
            auto [ec] = co_await ws.async_write_binary(big, as_tuple_awaitable);
            if (ec) {
                write_result = ec;
                break;
            }
        }
        server_sock.reset();
    });
    REQUIRE(run_io(io));
    CHECK(read_result == net::error::liveness_timeout);
    CHECK(write_result == net::error::liveness_timeout);
}
