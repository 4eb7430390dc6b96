// Scheduled rotation of net::reconnecting_client loses nothing: a server publishes
// 1, 2, 3, ... (one global counter) to every subscribed connection; the client rotates
// every few tens of milliseconds (new connection, subscribe, switch, close the old one)
// and must see every number at least once, tagged with the generations that carried it.
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/reconnecting_client.hpp>
#include <tradewire/net/server.hpp>

#include <asio/steady_timer.hpp>

#include <charconv>
#include <set>
#include <string>
#include <vector>

using namespace net_test;

namespace {

struct numbering_server {
    net::topic_id topic = 0;
    bool have_topic = false;
    std::size_t closed_sessions = 0;

    template <class S>
    void on_message(S& s, net::session_id id, const net::ws_message& m) {
        if (m.text() != "sub") return;
        if (!have_topic) {
            topic = s.topic("numbers");
            have_topic = true;
        }
        s.subscribe(id, topic);
        (void)s.send_text(id, "ack");  // queued before any number published from now on
    }
    template <class S>
    void on_close(S&, net::session_id, const net::session_close_info&) {
        ++closed_sessions;
    }
};

struct numbered_client {
    std::vector<std::uint8_t> seen;  // seen[n] = 1 once number n arrived
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::set<std::uint64_t> generations;
    std::size_t duplicates = 0;
    int rotations = 0;
    int rotation_failures = 0;
    int downs = 0;

    template <class C>
    net::subscribe_status on_subscribe(C& c, std::uint64_t generation) {
        (void)c.send_text("sub", generation);
        return net::subscribe_status::pending;  // until the server's ack
    }
    template <class C>
    void on_message(C& c, const net::ws_message& m, std::uint64_t generation) {
        if (m.text() == "ack") {
            c.subscribed(generation);
            return;
        }
        std::uint64_t n = 0;
        const std::string_view t = m.text();
        if (std::from_chars(t.data(), t.data() + t.size(), n).ec != std::errc{}) return;
        generations.insert(generation);
        if (seen.size() <= n) seen.resize(n + 1024, 0);
        if (seen[n]) ++duplicates;
        seen[n] = 1;
        if (first == 0) first = n;
        if (n > last) last = n;
    }
    template <class C>
    void on_event(C&, const net::connection_event& e) {
        if (e.kind == net::connection_event_kind::rotation_done) ++rotations;
        if (e.kind == net::connection_event_kind::rotation_failed) ++rotation_failures;
        if (e.kind == net::connection_event_kind::down) ++downs;
    }
};

}  // namespace

TEST_CASE("rotation: every number published across rotations arrives at least once") {
    asio::io_context io;
    net::ws_server<numbering_server> server(io, net::ws_server_options{});
    REQUIRE_FALSE(server->listen());

    net::reconnect_options opt;
    opt.url = "ws://127.0.0.1:" + std::to_string(server->port()) + "/numbers";
    opt.rotation_interval = 60ms;
    opt.subscribe_timeout = 5s;
    net::reconnecting_client<numbered_client> c(io, opt);
    std::error_code final_ec;
    int finals = 0;
    c->async_run([&](std::error_code ec) {
        ++finals;
        final_ec = ec;
    });

    // Publish a few numbers every millisecond until five rotations have happened.
    std::uint64_t counter = 0;
    asio::steady_timer tick(io);
    std::function<void()> publish;
    int after_last_rotation = 0;
    publish = [&] {
        if (server->handler().have_topic) {
            for (int i = 0; i < 3; ++i) {
                server->broadcast(server->handler().topic, server->frames().make_text(std::to_string(++counter)));
            }
        }
        if (c->handler().rotations >= 5 && ++after_last_rotation > 20) {
            // Let the last numbers arrive, then end.
            tick.expires_after(50ms);
            tick.async_wait([&](std::error_code) {
                c->cancel();
                server->stop();
            });
            return;
        }
        tick.expires_after(1ms);
        tick.async_wait([&](std::error_code) { publish(); });
    };
    publish();
    REQUIRE(run_io(io, 60s));

    const auto& h = c->handler();
    CHECK(finals == 1);
    CHECK(final_ec == asio::error::operation_aborted);
    CHECK(h.rotations >= 5);
    CHECK(h.rotation_failures == 0);
    CHECK(h.downs == 0);
    REQUIRE(h.first >= 1);
    REQUIRE(h.last == counter);
    std::uint64_t missing = 0;
    for (std::uint64_t n = h.first; n <= h.last; ++n) missing += h.seen[n] ? 0 : 1;
    CAPTURE(h.first, h.last, h.duplicates);
    CHECK(missing == 0);
    CHECK(h.first <= 3);                 // subscribed before the first tick's numbers... or right after
    CHECK(h.generations.size() >= 6);    // the first connection and five replacements
    CHECK(server->handler().closed_sessions >= 5);  // the old connections were closed
}
