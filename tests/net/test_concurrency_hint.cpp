// An io_context made with a concurrency hint of 1 (asio::io_context io(1): "one thread",
// the usual choice for a dedicated feed or trading thread) changes how Asio queues work:
// completions posted from inside a handler go to a thread-private queue that only reaches
// the shared queue after that handler returns. A server replying from inside on_message
// crashed on such a context once; these tests reply from inside the read completion on
// both sides, with callbacks and with coroutines, with replies, Pings (so the stream's own
// Pongs compete for the write side) and bursts (so replies queue), on io_context(1).
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/connect.hpp>
#include <tradewire/net/server.hpp>

#include <deque>
#include <memory>
#include <string>
#include <vector>

using namespace net_test;

namespace {

constexpr int round_trips = 300;
constexpr int burst = 200;

// Echoes every message from inside on_message.
struct echo_handler {
    std::size_t messages = 0;
    template <class Server>
    void on_message(Server& s, net::session_id id, const net::ws_message& m) {
        ++messages;
        (void)s.send(id, m.op, m.payload);
    }
};

std::string nth_text(int k) {
    static constexpr std::size_t sizes[] = {0, 1, 64, 125, 126, 200, 1000, 65535, 65536};
    return text_pattern(sizes[static_cast<std::size_t>(k) % std::size(sizes)], static_cast<std::uint32_t>(k));
}

// Coroutine client: round trips, a Ping now and then, then a burst answered in order.
asio::awaitable<void> coroutine_client(std::uint16_t port, int& good) {
    client_stream ws(co_await asio::this_coro::executor);
    request_holder req(port);
    co_await net::async_connect(ws, req.request, {}, use_awaitable);
    for (int k = 0; k < round_trips; ++k) {
        const std::string text = nth_text(k);
        co_await ws.async_write_text(text, use_awaitable);
        if (k % 7 == 0) co_await ws.async_ping(tradewire::as_bytes(std::string_view("p")), use_awaitable);
        auto m = co_await ws.async_read(use_awaitable);
        if (m.text() == text) ++good;
    }
    for (int k = 0; k < burst; ++k) co_await ws.async_write_text(nth_text(k), use_awaitable);
    for (int k = 0; k < burst; ++k) {
        auto m = co_await ws.async_read(use_awaitable);
        if (m.text() == nth_text(k)) ++good;
    }
    co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
}

// Callback client: every reply is written from inside the read completion of the
// previous one; writes are queued so that one is in flight at a time while the next read
// is already pending (full duplex).
struct callback_client : std::enable_shared_from_this<callback_client> {
    client_stream ws;
    request_holder req;
    std::deque<std::string> out;  // out.front() is being written
    bool writing = false;
    int sent = 0;
    int received = 0;
    int good = 0;
    bool closed = false;
    std::error_code failure;

    callback_client(asio::io_context& io, std::uint16_t port) : ws(io), req(port) {}

    void start() {
        net::async_connect(ws, req.request, {}, [self = shared_from_this()](std::error_code ec) {
            if (ec) {
                self->failure = ec;
                return;
            }
            // A burst first, then one message per reply.
            for (int k = 0; k < 20; ++k) self->queue_next();
            self->read();
        });
    }

    void queue_next() {
        out.push_back(nth_text(sent++));
        pump();
    }

    void pump() {
        if (writing || out.empty()) return;
        writing = true;
        ws.async_write_text(out.front(), [self = shared_from_this()](std::error_code ec) {
            self->writing = false;
            self->out.pop_front();
            if (ec) {
                self->failure = ec;
                return;
            }
            self->pump();
        });
    }

    void read() {
        ws.async_read([self = shared_from_this()](std::error_code ec, net::ws_message m) {
            if (ec) {
                if (ec != net::error::closed) self->failure = ec;
                return;
            }
            if (m.text() == nth_text(self->received)) ++self->good;
            ++self->received;
            if (self->sent < round_trips) self->queue_next();  // the reply, from inside the read
            if (self->received == self->sent && self->sent >= round_trips) {
                self->ws.async_close(ws::close_code::normal, "", [self](std::error_code cec) {
                    if (cec) self->failure = cec;
                    self->closed = true;
                });
            }
            self->read();
        });
    }
};

// Raw server-role stream with callbacks: each message is copied and echoed from inside
// the read completion, the next read already pending while the echo is written.
struct callback_session : std::enable_shared_from_this<callback_session> {
    server_stream ws;
    std::deque<std::string> out;
    bool writing = false;
    int echoed = 0;

    explicit callback_session(tcp::socket s) : ws(std::move(s)) {}

    void start() {
        ws.async_accept([self = shared_from_this()](std::error_code ec) {
            if (!ec) self->read();
        });
    }

    void read() {
        ws.async_read([self = shared_from_this()](std::error_code ec, net::ws_message m) {
            if (ec) return;
            self->out.emplace_back(m.text());
            self->pump();
            self->read();
        });
    }

    void pump() {
        if (writing || out.empty()) return;
        writing = true;
        ws.async_write_text(out.front(), [self = shared_from_this()](std::error_code ec) {
            self->writing = false;
            self->out.pop_front();
            if (ec) return;
            ++self->echoed;
            self->pump();
        });
    }
};

}  // namespace

TEST_CASE("concurrency hint 1: ws_server replies from on_message to coroutine and callback clients") {
    asio::io_context io(1);
    net::ws_server_options opt;
    net::ws_server<echo_handler> server(io, opt);
    REQUIRE_FALSE(server->listen());
    int coroutine_good = 0;
    int finished = 0;
    spawn(io, [&]() -> asio::awaitable<void> {
        co_await coroutine_client(server->port(), coroutine_good);
        if (++finished == 2) server->stop();
    });
    auto cb = std::make_shared<callback_client>(io, server->port());
    cb->start();
    // Stops the server once the callback client closed too.
    asio::steady_timer poll(io);
    std::function<void(std::error_code)> check = [&](std::error_code) {
        if (cb->closed || cb->failure) {
            if (++finished == 2) server->stop();
            return;
        }
        poll.expires_after(5ms);
        poll.async_wait(check);
    };
    poll.expires_after(5ms);
    poll.async_wait(check);
    REQUIRE(run_io(io, 60s));
    CHECK(coroutine_good == round_trips + burst);
    CHECK_FALSE(cb->failure);
    CHECK(cb->closed);
    CHECK(cb->good == round_trips);
    CHECK(server->handler().messages == static_cast<std::size_t>(2 * round_trips + burst));
}

TEST_CASE("concurrency hint 1: a server-role stream echoes from inside its read callback") {
    asio::io_context io(1);
    listener lst(io);
    std::shared_ptr<callback_session> session;
    lst.acceptor.async_accept([&](std::error_code ec, tcp::socket s) {
        if (ec) return;
        session = std::make_shared<callback_session>(std::move(s));
        session->start();
    });
    int coroutine_good = 0;
    spawn(io, [&]() -> asio::awaitable<void> { co_await coroutine_client(lst.port(), coroutine_good); });
    REQUIRE(run_io(io, 60s));
    CHECK(coroutine_good == round_trips + burst);
    REQUIRE(session);
    CHECK(session->echoed == round_trips + burst);
}

TEST_CASE("concurrency hint 1: coroutine server session writes while a Ping is answered") {
    asio::io_context io(1);
    listener lst(io);
    int served = 0;
    lst.acceptor.async_accept([&](std::error_code ec, tcp::socket s) {
        if (ec) return;
        asio::co_spawn(
            io,
            [&served, sock = std::move(s)]() mutable -> asio::awaitable<void> {
                server_stream ws(std::move(sock));
                co_await ws.async_accept(use_awaitable);
                for (;;) {
                    auto [ec2, m] = co_await ws.async_read(as_tuple_awaitable);
                    if (ec2) co_return;
                    auto [wec] = co_await ws.async_write(m.op, m.payload, as_tuple_awaitable);
                    if (wec) co_return;
                    ++served;
                }
            },
            asio::detached);
    });
    auto cb = std::make_shared<callback_client>(io, lst.port());
    cb->start();
    REQUIRE(run_io(io, 60s));
    CHECK_FALSE(cb->failure);
    CHECK(cb->closed);
    CHECK(cb->good == round_trips);
    CHECK(served == round_trips);
}
