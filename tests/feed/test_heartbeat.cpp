// Per-venue heartbeat deadlines through the feed, against a local server that speaks
// just enough OKX / Bybit (subscribe acks, pongs) and stops answering pings on its first
// connection: the feed reports a venue_error (exchange::error::heartbeat_timeout) after
// the pong deadline and replaces the silent connection with one that answers; a server
// that answers keeps the connection. Binance: the feed turns on the stream's liveness
// check by default (server pings stopped -> a Ping of its own -> fail without answer).
#include "catch.hpp"

#include <tradewire/exchange/bybit.hpp>
#include <tradewire/exchange/okx.hpp>
#include <tradewire/feed/feed.hpp>
#include <tradewire/net/server.hpp>

#include <asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <string>

using namespace tradewire;

namespace {

struct server_state {
    market::venue venue{};
    std::size_t connections = 0;
    std::size_t pings = 0;
    std::size_t pongs_sent = 0;
    bool first_silent = true;  // the first connection never answers pings
    net::session_id first{};
};

struct venue_server {
    std::shared_ptr<server_state> st;

    template <class Server>
    void on_open(Server&, net::session_id id) {
        if (++st->connections == 1) st->first = id;
    }
    template <class Server>
    void on_message(Server& s, net::session_id id, const net::ws_message& m) {
        const std::string_view text = m.text();
        const bool silent = st->first_silent && id == st->first;
        if (st->venue == market::venue::okx) {
            if (text == "ping") {
                ++st->pings;
                if (!silent) {
                    ++st->pongs_sent;
                    s.send_text(id, "pong");
                }
                return;
            }
            if (text.find(R"("op":"subscribe")") != std::string_view::npos)
                s.send_text(
                    id,
                    R"({"event":"subscribe","arg":{"channel":"trades","instId":"BTC-USDT"},"connId":"a4d3ae55"})");
            return;
        }
        if (text.find(R"("op":"ping")") != std::string_view::npos) {
            ++st->pings;
            if (!silent) {
                ++st->pongs_sent;
                s.send_text(id, R"({"success":true,"ret_msg":"pong","conn_id":"0970e817","op":"ping"})");
            }
            return;
        }
        if (text.find(R"("op":"subscribe")") != std::string_view::npos)
            s.send_text(id, R"({"success":true,"ret_msg":"","conn_id":"0970e817","op":"subscribe"})");
    }
};

struct status_recorder {
    std::size_t heartbeat_errors = 0, downs = 0, ups = 0;
    void on_status(const market::status& s) {
        if (s.kind == market::status_kind::venue_error && s.error == exchange::error::heartbeat_timeout)
            ++heartbeat_errors;
        if (s.kind == market::status_kind::connection_down) ++downs;
        if (s.kind == market::status_kind::connection_up) ++ups;
    }
};

template <class E>
struct scenario {
    asio::io_context io;
    std::shared_ptr<server_state> st = std::make_shared<server_state>();
    net::ws_server<venue_server> server;
    std::unique_ptr<feed::feed<E, feed::tcp, status_recorder>> f;

    explicit scenario(bool first_silent) : server(io, net::ws_server_options{}, venue_server{st}) {
        st->venue = E::id;
        st->first_silent = first_silent;
        REQUIRE_FALSE(server->listen());
        feed::feed_options o;
        o.market_url = "ws://127.0.0.1:" + std::to_string(server->port()) + "/ws";
        o.ping_interval = std::chrono::milliseconds(100);
        o.pong_timeout = std::chrono::milliseconds(400);
        o.rotation_overlap = std::chrono::milliseconds(50);
        f = std::make_unique<feed::feed<E, feed::tcp, status_recorder>>(io, o);
        std::error_code ec;
        REQUIRE_FALSE(f->subscribe(exchange::trades_of(symbol::parse("BTC-USDT", ec))));
        REQUIRE_FALSE(f->start());
    }

    template <class Pred>
    bool run_until(Pred done, std::chrono::milliseconds limit) {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < end) {
            io.run_for(std::chrono::milliseconds(20));
            if (done()) return true;
        }
        return false;
    }

    ~scenario() {
        f->stop();
        server->async_shutdown(std::chrono::milliseconds(100), [](std::error_code) {});
        io.run_for(std::chrono::milliseconds(200));
    }
};

template <class E>
void silent_server_is_replaced() {
    scenario<E> s(true);
    const status_recorder& r = s.f->handler();
    const bool ok = s.run_until([&] { return s.f->rotations() >= 1 && s.f->pongs_received() >= 3; },
                                std::chrono::seconds(10));
    CAPTURE(s.f->pings_sent(), s.f->pongs_received(), s.f->heartbeat_failures(), s.st->connections);
    CHECK(ok);
    CHECK(r.heartbeat_errors >= 1);
    CHECK(s.f->heartbeat_failures() >= 1);
    CHECK(s.st->connections >= 2);
    CHECK(s.f->connected());
    // The replacement answers: no further failures once pongs flow.
    const std::uint64_t failures = s.f->heartbeat_failures();
    s.run_until([] { return false; }, std::chrono::milliseconds(800));
    CHECK(s.f->heartbeat_failures() == failures);
    CHECK(r.downs == 0);  // replaced without a gap
}

template <class E>
void answering_server_keeps_the_connection() {
    scenario<E> s(false);
    s.run_until([] { return false; }, std::chrono::milliseconds(1000));
    CAPTURE(s.f->pings_sent(), s.f->pongs_received());
    CHECK(s.f->pings_sent() >= 5);
    CHECK(s.f->pongs_received() >= 4);
    CHECK(s.f->heartbeat_failures() == 0);
    CHECK(s.f->rotations() == 0);
    CHECK(s.st->connections == 1);
}

}  // namespace

TEST_CASE("okx feed: no pong within the deadline replaces the connection") {
    silent_server_is_replaced<exchange::okx::spot>();
}

TEST_CASE("bybit feed: no pong within the deadline replaces the connection") {
    silent_server_is_replaced<exchange::bybit::spot>();
}

TEST_CASE("okx feed: pongs in time keep the connection") {
    answering_server_keeps_the_connection<exchange::okx::spot>();
}

TEST_CASE("bybit feed: pongs in time keep the connection") {
    answering_server_keeps_the_connection<exchange::bybit::spot>();
}
