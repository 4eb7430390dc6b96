// net::reconnecting_client against net::ws_server over loopback, with injected faults:
// a server that drops every connection (backoff gaps within bounds, subscriptions
// replayed, events in order with reasons), attempts exhausted, cancel at every stage
// (exactly one final callback, also when cancelled or destroyed inside a hook), the
// healthy reset of the backoff, a liveness timeout, reconnect_now(), graceful close,
// wss://, and the URL checks.
#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/reconnecting_client.hpp>
#include <tradewire/net/server.hpp>

#include <asio/steady_timer.hpp>

#include <string>
#include <vector>

using namespace net_test;
using clock_type = std::chrono::steady_clock;

namespace {

// The server side of the fault tests: records when sessions open and what they say,
// and drops sessions on command.
struct fault_server_handler {
    enum class fault { none, close_after_sub, abort_after_sub, abort_after_ms };
    fault mode = fault::none;
    int faults_left = 0;                 // sessions to fault before behaving
    std::chrono::milliseconds life{0};   // abort_after_ms
    std::vector<std::chrono::milliseconds> lives;  // abort_after_ms: per connection, in order (then `life`)
    std::vector<clock_type::time_point> opens;
    std::vector<std::string> received;
    std::vector<net::session_id> open_ids;

    template <class S>
    void on_open(S& s, net::session_id id) {
        opens.push_back(clock_type::now());
        open_ids.push_back(id);
        if (mode == fault::abort_after_ms && faults_left > 0) {
            --faults_left;
            auto t = std::make_shared<asio::steady_timer>(s.get_executor());
            const std::size_t index = opens.size() - 1;
            t->expires_after(index < lives.size() ? lives[index] : life);
            t->async_wait([t, &s, id](std::error_code) { s.abort(id); });
        }
    }
    template <class S>
    void on_message(S& s, net::session_id id, const net::ws_message& m) {
        received.emplace_back(m.text());
        if (faults_left <= 0) return;
        if (mode == fault::close_after_sub) {
            --faults_left;
            s.close(id, ws::close_code::internal_error, "dropping you");
        } else if (mode == fault::abort_after_sub) {
            --faults_left;
            s.abort(id);
        }
    }
};

struct event_record {
    net::connection_event_kind kind;
    std::uint64_t generation;
    std::error_code error;
    std::string text;
    std::uint32_t attempt;
    clock_type::duration delay;
};

// The client side: subscribes with one message, records events and messages, and can
// cancel or destroy the client from inside a hook.
struct recording_client {
    std::vector<event_record> events;
    std::vector<std::pair<std::string, std::uint64_t>> messages;
    int subscribes = 0;
    bool cancel_on_message = false;
    bool cancel_on_reconnecting = false;
    std::function<void()> on_message_extra;
    bool hook_after_final = false;
    bool* final_seen = nullptr;

    template <class C>
    net::subscribe_status on_subscribe(C& c, std::uint64_t generation) {
        check_order();
        ++subscribes;
        CHECK_FALSE(c.send_text("sub " + std::to_string(subscribes), generation));
        return net::subscribe_status::done;
    }
    template <class C>
    void on_message(C& c, const net::ws_message& m, std::uint64_t generation) {
        check_order();
        messages.emplace_back(std::string(m.text()), generation);
        if (on_message_extra) on_message_extra();
        if (cancel_on_message) c.cancel();
    }
    template <class C>
    void on_event(C& c, const net::connection_event& e) {
        check_order();
        events.push_back({e.kind, e.generation, e.error, std::string(e.text), e.attempt, e.delay});
        if (cancel_on_reconnecting && e.kind == net::connection_event_kind::reconnecting) c.cancel();
    }
    void check_order() {
        if (final_seen != nullptr && *final_seen) hook_after_final = true;
    }
    std::vector<net::connection_event_kind> kinds() const {
        std::vector<net::connection_event_kind> k;
        for (const auto& e : events) k.push_back(e.kind);
        return k;
    }
};

using fault_server = net::ws_server<fault_server_handler>;
using client = net::reconnecting_client<recording_client>;

std::string url_for(std::uint16_t port, std::string_view scheme = "ws", std::string_view host = "127.0.0.1") {
    return std::string(scheme) + "://" + std::string(host) + ":" + std::to_string(port) + "/stream";
}

// A port with nothing listening (bound, then released).
std::uint16_t closed_port(asio::io_context& io) {
    tcp::acceptor a(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    const std::uint16_t p = a.local_endpoint().port();
    a.close();
    return p;
}

struct final_counter {
    int calls = 0;
    std::error_code ec;
    bool seen = false;
    auto handler() {
        return [this](std::error_code e) {
            ++calls;
            ec = e;
            seen = true;
        };
    }
};

using K = net::connection_event_kind;

struct greeter {
    template <class S>
    void on_open(S& s, net::session_id id) {
        for (int i = 0; i < 5; ++i) (void)s.send_text(id, "hello");
    }
};

}  // namespace

TEST_CASE("reconnect: a server that drops every connection: backoff bounds, replay, events in order") {
    asio::io_context io;
    fault_server server(io, net::ws_server_options{});
    server->handler().mode = fault_server_handler::fault::close_after_sub;
    server->handler().faults_left = 5;
    REQUIRE_FALSE(server->listen());

    net::reconnect_options opt;
    opt.url = url_for(server->port());
    opt.backoff.initial = 40ms;
    opt.backoff.factor = 2.0;
    opt.backoff.cap = 160ms;
    opt.backoff.jitter = 0.5;
    opt.backoff.healthy_after = 10s;
    client c(io, opt);
    final_counter fin;
    c->handler().final_seen = &fin.seen;
    c->async_run(fin.handler());

    asio::steady_timer stop(io);
    std::function<void()> poll;
    poll = [&] {
        if (server->handler().received.size() >= 6) {
            c->cancel();
            server->stop();
            return;
        }
        stop.expires_after(5ms);
        stop.async_wait([&](std::error_code) { poll(); });
    };
    poll();
    REQUIRE(run_io(io, 30s));

    const auto& sv = server->handler();
    REQUIRE(sv.opens.size() == 6);
    // Every connection replayed the subscription.
    for (std::size_t i = 0; i < 6; ++i) CHECK(sv.received[i] == "sub " + std::to_string(i + 1));
    // Gaps: base 40, 80, 160, 160, 160 ms, jittered down to half; connecting costs a little.
    const double bases[] = {40, 80, 160, 160, 160};
    for (std::size_t i = 1; i < sv.opens.size(); ++i) {
        const double gap = std::chrono::duration<double, std::milli>(sv.opens[i] - sv.opens[i - 1]).count();
        CAPTURE(i, gap);
        CHECK(gap >= bases[i - 1] * 0.5 - 1.0);
        CHECK(gap <= bases[i - 1] + 250.0);
    }
    // Events: up, down, reconnecting ... up, with reasons and growing attempts.
    const auto& ev = c->handler().events;
    std::vector<K> expected;
    for (int i = 0; i < 5; ++i) {
        expected.push_back(K::up);
        expected.push_back(K::down);
        expected.push_back(K::reconnecting);
    }
    expected.push_back(K::up);
    CHECK(c->handler().kinds() == expected);
    for (std::size_t i = 0; i + 1 < ev.size(); i += 3) {
        CHECK(ev[i].generation == i / 3 + 1);
        CHECK(ev[i + 1].error == net::error::closed);
        CHECK(ev[i + 1].text.find("1011 dropping you") != std::string::npos);
        CHECK(ev[i + 2].attempt == i / 3 + 1);
        CHECK(ev[i + 2].error == net::error::closed);
        const double delay = std::chrono::duration<double, std::milli>(ev[i + 2].delay).count();
        CHECK(delay >= bases[i / 3] * 0.5 - 0.001);
        CHECK(delay <= bases[i / 3] + 0.001);
    }
    CHECK(fin.calls == 1);
    CHECK(fin.ec == asio::error::operation_aborted);
    CHECK_FALSE(c->handler().hook_after_final);
}

TEST_CASE("reconnect: max attempts reached ends with the last error, once") {
    asio::io_context io;
    net::reconnect_options opt;
    opt.url = url_for(closed_port(io));
    opt.backoff.initial = 5ms;
    opt.backoff.cap = 20ms;
    opt.backoff.max_attempts = 3;
    client c(io, opt);
    final_counter fin;
    c->handler().final_seen = &fin.seen;
    c->async_run(fin.handler());
    REQUIRE(run_io(io));
    CHECK(fin.calls == 1);
    CHECK(fin.ec == asio::error::connection_refused);
    CHECK(c->handler().kinds() == std::vector<K>{K::reconnecting, K::reconnecting, K::reconnecting});
    for (std::size_t i = 0; i < c->handler().events.size(); ++i) {
        CHECK(c->handler().events[i].attempt == i + 1);
        CHECK(c->handler().events[i].text.find("connect: ") == 0);
    }
    CHECK(c->connections() == 0);
    CHECK_FALSE(c->handler().hook_after_final);
}

TEST_CASE("reconnect: cancel during connect gives exactly one final callback") {
    asio::io_context io;
    // Accepts TCP and never answers the upgrade.
    tcp::acceptor mute(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    tcp::socket held(io);
    mute.async_accept(held, [](std::error_code) {});
    net::reconnect_options opt;
    opt.url = url_for(mute.local_endpoint().port());
    client c(io, opt);
    final_counter fin;
    c->handler().final_seen = &fin.seen;
    c->async_run(fin.handler());
    asio::steady_timer t(io);
    t.expires_after(50ms);
    t.async_wait([&](std::error_code) {
        c->cancel();
        c->cancel();  // idempotent
    });
    REQUIRE(run_io(io, 10s));
    CHECK(fin.calls == 1);
    CHECK(fin.ec == asio::error::operation_aborted);
    CHECK(c->handler().events.empty());
}

TEST_CASE("reconnect: cancel during the backoff wait, from inside the event hook") {
    asio::io_context io;
    net::reconnect_options opt;
    opt.url = url_for(closed_port(io));
    opt.backoff.initial = 10s;  // a cancel that did not work would hang the test
    client c(io, opt);
    c->handler().cancel_on_reconnecting = true;
    final_counter fin;
    c->handler().final_seen = &fin.seen;
    const auto start = clock_type::now();
    c->async_run(fin.handler());
    REQUIRE(run_io(io, 5s));
    CHECK(clock_type::now() - start < 3s);
    CHECK(fin.calls == 1);
    CHECK(fin.ec == asio::error::operation_aborted);
    CHECK(c->handler().kinds() == std::vector<K>{K::reconnecting});
    CHECK_FALSE(c->handler().hook_after_final);
}

TEST_CASE("reconnect: cancel while connected, from inside on_message, and destroying the client in a hook") {
    for (const bool destroy : {false, true}) {
        CAPTURE(destroy);
        asio::io_context io;
        net::ws_server<greeter> server(io, net::ws_server_options{});
        REQUIRE_FALSE(server->listen());
        net::reconnect_options opt;
        opt.url = url_for(server->port());
        auto c = std::make_unique<client>(io, opt);
        final_counter fin;
        (*c)->handler().final_seen = &fin.seen;
        std::size_t messages_at_cancel = 0;
        if (destroy) {
            // The handle goes away inside the hook: destroying it cancels.
            (*c)->handler().on_message_extra = [&] {
                messages_at_cancel = 1;
                c.reset();
            };
        } else {
            (*c)->handler().cancel_on_message = true;
        }
        (*c)->async_run(fin.handler());
        asio::steady_timer t(io);
        t.expires_after(300ms);
        t.async_wait([&](std::error_code) { server->stop(); });
        REQUIRE(run_io(io, 10s));
        CHECK(fin.calls == 1);
        CHECK(fin.ec == asio::error::operation_aborted);
        if (!destroy) {
            CHECK((*c)->handler().messages.size() == 1);  // nothing after the cancel
            CHECK_FALSE((*c)->handler().hook_after_final);
        } else {
            CHECK(messages_at_cancel == 1);
        }
    }
}

TEST_CASE("reconnect: a healthy connection resets the backoff") {
    asio::io_context io;
    fault_server server(io, net::ws_server_options{});
    auto& sh = server->handler();
    sh.mode = fault_server_handler::fault::abort_after_ms;
    sh.faults_left = 100;
    REQUIRE_FALSE(server->listen());

    // Connection lifetimes: 250 ms (healthy), 0 ms, 0 ms, 250 ms (healthy), 0 ms, 0 ms,
    // fixed per connection up front (choosing each from a polling timer raced the next
    // open on a loaded machine).
    sh.lives = {250ms, 0ms, 0ms, 250ms, 0ms, 0ms, 0ms};
    net::reconnect_options opt;
    opt.url = url_for(server->port());
    opt.backoff.initial = 10ms;
    opt.backoff.cap = 100ms;
    opt.backoff.jitter = 0.0;
    opt.backoff.healthy_after = 150ms;
    client c(io, opt);
    final_counter fin;
    c->async_run(fin.handler());
    asio::steady_timer poll_timer(io);
    std::function<void()> poll;
    poll = [&] {
        if (sh.opens.size() >= 6) {
            c->cancel();
            server->stop();
            return;
        }
        poll_timer.expires_after(1ms);
        poll_timer.async_wait([&](std::error_code) { poll(); });
    };
    poll();
    REQUIRE(run_io(io, 30s));
    std::vector<std::uint32_t> attempts;
    for (const auto& e : c->handler().events) {
        if (e.kind == K::reconnecting) attempts.push_back(e.attempt);
    }
    REQUIRE(attempts.size() >= 5);
    // Connection 1 lives 250 ms (healthy): its drop starts over at attempt 1; 2 and 3
    // die young: 2, 3; connection 4 is healthy again: 1.
    CHECK(attempts[0] == 1);
    CHECK(attempts[1] == 2);
    CHECK(attempts[2] == 3);
    CHECK(attempts[3] == 1);
    CHECK(attempts[4] == 2);
    CHECK(fin.calls == 1);
}

TEST_CASE("reconnect: a silent server fails the liveness check and the client reconnects") {
    asio::io_context io;
    net::ws_server_options so;
    so.stream.auto_pong = false;  // a half-open peer: never answers
    fault_server server(io, so);
    REQUIRE_FALSE(server->listen());
    net::reconnect_options opt;
    opt.url = url_for(server->port());
    opt.stream.liveness.idle_timeout = 60ms;
    opt.stream.liveness.ping_timeout = 60ms;
    opt.backoff.initial = 10ms;
    client c(io, opt);
    final_counter fin;
    c->async_run(fin.handler());
    asio::steady_timer poll_timer(io);
    std::function<void()> poll;
    poll = [&] {
        if (c->connections() >= 2) {
            c->cancel();
            server->stop();
            return;
        }
        poll_timer.expires_after(5ms);
        poll_timer.async_wait([&](std::error_code) { poll(); });
    };
    poll();
    REQUIRE(run_io(io, 10s));
    const auto& ev = c->handler().events;
    REQUIRE(ev.size() >= 4);
    CHECK(ev[0].kind == K::up);
    CHECK(ev[1].kind == K::down);
    CHECK(ev[1].error == net::error::liveness_timeout);
    CHECK(ev[2].kind == K::reconnecting);
    CHECK(ev[3].kind == K::up);
    CHECK(fin.calls == 1);
}

TEST_CASE("reconnect: reconnect_now() drops a working connection, reports the reason and replays the subscription") {
    asio::io_context io;
    fault_server server(io, net::ws_server_options{});
    REQUIRE_FALSE(server->listen());
    net::reconnect_options opt;
    opt.url = url_for(server->port());
    opt.backoff.initial = 20ms;
    opt.backoff.jitter = 0.0;
    client c(io, opt);
    final_counter fin;
    c->async_run(fin.handler());
    // Generation 1 is dropped on request as soon as its subscription arrives; generation 2
    // is left alone. A second call while the first drop is under way changes nothing.
    const std::error_code reason = std::make_error_code(std::errc::timed_out);
    asio::steady_timer poll_timer(io);
    std::function<void()> poll;
    bool dropped = false;
    poll = [&] {
        if (!dropped && c->connected() && server->handler().received.size() == 1) {
            dropped = true;
            c->reconnect_now(reason);
            c->reconnect_now();
            CHECK(c->active_generation() == 1);
        }
        if (server->handler().received.size() == 2) {
            c->cancel();
            server->stop();
            return;
        }
        poll_timer.expires_after(2ms);
        poll_timer.async_wait([&](std::error_code) { poll(); });
    };
    poll();
    REQUIRE(run_io(io, 10s));
    CHECK(fin.calls == 1);
    CHECK(server->handler().received == std::vector<std::string>{"sub 1", "sub 2"});
    CHECK(c->connections() == 2);
    const auto& ev = c->handler().events;
    REQUIRE(ev.size() >= 4);
    CHECK(ev[0].kind == K::up);
    CHECK(ev[1].kind == K::down);
    CHECK(ev[1].generation == 1);
    CHECK(ev[1].error == reason);
    CHECK(ev[2].kind == K::reconnecting);
    CHECK(ev[2].delay == std::chrono::duration_cast<clock_type::duration>(20ms));
    CHECK(ev[3].kind == K::up);
    CHECK(ev[3].generation == 2);
}

TEST_CASE("reconnect: reconnect_now() during the backoff wait starts the next attempt at once") {
    asio::io_context io;
    net::reconnect_options opt;
    opt.url = url_for(closed_port(io));
    opt.backoff.initial = 10s;  // without reconnect_now() the second attempt is 10 s away
    opt.backoff.jitter = 0.0;
    opt.backoff.max_attempts = 2;
    client c(io, opt);
    final_counter fin;
    c->async_run(fin.handler());
    asio::steady_timer poll_timer(io);
    std::function<void()> poll;
    poll = [&] {
        if (fin.seen) return;
        const auto& ev = c->handler().events;
        if (!ev.empty() && ev.back().kind == K::reconnecting) c->reconnect_now();
        poll_timer.expires_after(2ms);
        poll_timer.async_wait([&](std::error_code) { poll(); });
    };
    poll();
    const auto start = clock_type::now();
    REQUIRE(run_io(io, 8s));
    CHECK(clock_type::now() - start < 5s);
    CHECK(fin.calls == 1);
    CHECK(fin.ec == asio::error::connection_refused);
    CHECK(c->connections() == 0);
}

TEST_CASE("reconnect: close() ends with a close handshake and success") {
    asio::io_context io;
    fault_server server(io, net::ws_server_options{});
    REQUIRE_FALSE(server->listen());
    net::reconnect_options opt;
    opt.url = url_for(server->port());
    client c(io, opt);
    final_counter fin;
    c->async_run(fin.handler());
    asio::steady_timer poll_timer(io);
    std::function<void()> poll;
    poll = [&] {
        if (c->connected() && server->handler().received.size() == 1) {
            c->close();
            return;
        }
        poll_timer.expires_after(2ms);
        poll_timer.async_wait([&](std::error_code) { poll(); });
    };
    poll();
    asio::steady_timer end(io);
    end.expires_after(1s);
    end.async_wait([&](std::error_code) { server->stop(); });
    REQUIRE(run_io(io, 10s));
    CHECK(fin.calls == 1);
    CHECK_FALSE(fin.ec);
    CHECK(c->handler().kinds() == std::vector<K>{K::up});
}

TEST_CASE("reconnect: wss:// endpoint, reconnecting after a drop") {
    test_pki pki;
    if (!pki.ok) {
        WARN("openssl CLI missing or failed: wss reconnect test skipped");
        return;
    }
    asio::io_context io;
    std::error_code ec;
    net::tls_server_options so;
    so.certificate_chain_file = pki.localhost_cert;
    so.private_key_file = pki.localhost_key;
    net::tls_context server_ctx = net::make_tls_server_context(so, ec);
    REQUIRE_FALSE(ec);
    net::tls_client_options co;
    co.system_trust_store = false;
    co.ca_file = pki.ca;
    net::tls_context client_ctx = net::make_tls_client_context(co, ec);
    REQUIRE_FALSE(ec);

    net::ws_server<fault_server_handler, net::tls_stream<net::tcp_socket>> server(io, server_ctx, net::ws_server_options{});
    server->handler().mode = fault_server_handler::fault::abort_after_sub;
    server->handler().faults_left = 1;
    REQUIRE_FALSE(server->listen());
    net::reconnect_options opt;
    opt.url = url_for(server->port(), "wss", "localhost");
    opt.backoff.initial = 10ms;
    net::reconnecting_client<recording_client, net::tls_stream<net::tcp_socket>> c(io, client_ctx, opt);
    final_counter fin;
    c->async_run(fin.handler());
    asio::steady_timer poll_timer(io);
    std::function<void()> poll;
    poll = [&] {
        if (server->handler().received.size() >= 2) {
            c->cancel();
            server->stop();
            return;
        }
        poll_timer.expires_after(5ms);
        poll_timer.async_wait([&](std::error_code) { poll(); });
    };
    poll();
    REQUIRE(run_io(io, 20s));
    CHECK(server->handler().received == std::vector<std::string>{"sub 1", "sub 2"});
    CHECK(c->handler().kinds() == std::vector<K>{K::up, K::down, K::reconnecting, K::up});
    CHECK(c->handler().events[1].error == net::error::connection_lost);
    CHECK(fin.calls == 1);
}

TEST_CASE("reconnect: a URL that does not fit the transport ends at once") {
    asio::io_context io;
    for (const std::string& url : {std::string("wss://127.0.0.1:1/x"), std::string("http//nope")}) {
        net::reconnect_options opt;
        opt.url = url;
        client c(io, opt);
        final_counter fin;
        c->async_run(fin.handler());
        REQUIRE(run_io(io));
        CHECK(fin.calls == 1);
        CHECK(fin.ec.category() == make_error_code(net::reconnect_error::bad_url).category());
        CHECK(c->handler().events.empty());
    }
}
