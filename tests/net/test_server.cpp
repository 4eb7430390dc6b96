// net::ws_server over loopback against tradewire clients: many clients and topic
// broadcast, a slow client cut off while the others keep up, bearer tokens (accepted,
// 401), the per-session rate limit (1008), the size limit (1009), TLS with a throw-away
// PKI, graceful shutdown (1001, and a cut at the deadline), and session ids.
#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/connect.hpp>
#include <tradewire/net/server.hpp>

#include <asio/steady_timer.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

using namespace net_test;

namespace {

// Records what the hooks saw; echoes when asked; subscribes every session to "all".
struct recording_handler {
    bool echo = true;
    bool subscribe_all = true;
    std::vector<net::session_id> opened;
    std::map<net::session_id, net::session_close_info> closed;
    std::map<net::session_id, std::string> closed_reason;
    std::size_t messages = 0;

    template <class Server>
    void on_open(Server& s, net::session_id id) {
        opened.push_back(id);
        if (subscribe_all) s.subscribe(id, s.topic("all"));
    }
    template <class Server>
    void on_message(Server& s, net::session_id id, const net::ws_message& m) {
        ++messages;
        if (echo) (void)s.send(id, m.op, m.payload);
    }
    template <class Server>
    void on_close(Server&, net::session_id id, const net::session_close_info& info) {
        closed[id] = info;
        closed_reason[id] = std::string(info.peer_reason);
    }
};

using plain_server = net::ws_server<recording_handler>;

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    t.expires_after(d);
    co_await t.async_wait(use_awaitable);
}

// Waits (polling) until pred() or the limit; returns pred().
template <class Pred>
asio::awaitable<bool> wait_until(Pred pred, std::chrono::milliseconds limit = 10000ms) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!pred() && std::chrono::steady_clock::now() < end) co_await sleep_for(2ms);
    co_return pred();
}

asio::awaitable<void> connect(client_stream& ws, std::uint16_t port, std::string_view path = "/") {
    request_holder req(port, path);
    co_await net::async_connect(ws, req.request, {}, use_awaitable);
}

}  // namespace

TEST_CASE("server: server and client on io_tcp_socket (io_context's own executor) echo and close") {
    asio::io_context io;
    net::ws_server<recording_handler, net::io_tcp_socket> server(io, net::ws_server_options{});
    REQUIRE_FALSE(server->listen());
    static_assert(std::same_as<decltype(server)::server_type::socket_type, net::io_tcp_socket>);
    bool done = false;
    spawn(io, [&]() -> asio::awaitable<void> {
        net::ws_stream<net::io_tcp_socket> ws(io);
        request_holder req(server->port());
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        for (std::size_t n : {std::size_t{0}, std::size_t{64}, std::size_t{126}, std::size_t{70000}}) {
            const std::string text = text_pattern(n, static_cast<std::uint32_t>(n) + 7);
            co_await ws.async_write_text(text, use_awaitable);
            auto m = co_await ws.async_read(use_awaitable);
            CHECK(m.op == ws::opcode::text);
            CHECK(m.text() == text);
            co_await ws.async_write_binary(tradewire::as_bytes(text), use_awaitable);
            auto b = co_await ws.async_read(use_awaitable);
            CHECK(b.op == ws::opcode::binary);
            CHECK(b.text() == text);
        }
        CHECK(server->handler().messages == 8);
        co_await ws.async_close(ws::close_code::normal, "bye", use_awaitable);
        const bool reached = co_await wait_until([&] { return server->handler().closed.size() == 1; });
        CHECK(reached);
        if (reached) CHECK(server->handler().closed.begin()->second.peer_code == ws::close_code::normal);
        server->stop();
        done = true;
    });
    REQUIRE(run_io(io));
    CHECK(done);
}

TEST_CASE("server: listens on an ephemeral port and echoes") {
    asio::io_context io;
    net::ws_server_options opt;
    plain_server server(io, opt);
    REQUIRE_FALSE(server->listen());
    REQUIRE(server->port() != 0);
    REQUIRE(server->listening());
    bool done = false;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        co_await connect(ws, server->port(), "/feed?x=1");
        for (std::size_t n : {std::size_t{0}, std::size_t{125}, std::size_t{126}, std::size_t{65536}}) {
            const std::string text = text_pattern(n, static_cast<std::uint32_t>(n));
            co_await ws.async_write_text(text, use_awaitable);
            auto m = co_await ws.async_read(use_awaitable);
            CHECK(m.text() == text);
        }
        REQUIRE(server->handler().opened.size() == 1);
        const auto* hs = server->handshake(server->handler().opened[0]);
        REQUIRE(hs != nullptr);
        CHECK(hs->request().path == "/feed");
        CHECK(server->remote_endpoint(server->handler().opened[0]).address().is_loopback());
        co_await ws.async_close(ws::close_code::normal, "done", use_awaitable);
        {
            const bool reached = co_await wait_until([&] { return server->handler().closed.size() == 1; });
            CHECK(reached);
        }
        const auto& info = server->handler().closed.begin()->second;
        CHECK(info.error == net::error::closed);
        CHECK(info.peer_code == ws::close_code::normal);
        CHECK(server->handler().closed_reason.begin()->second == "done");
        CHECK(server->session_count() == 0);
        server->stop();
        done = true;
    });
    REQUIRE(run_io(io));
    CHECK(done);
}

TEST_CASE("server: 50 clients at once all receive every broadcast, encoded once") {
    asio::io_context io;
    net::ws_server_options opt;
    plain_server server(io, opt);
    REQUIRE_FALSE(server->listen());
    constexpr int clients = 50;
    constexpr int messages = 200;
    int finished = 0;
    int correct = 0;
    for (int c = 0; c < clients; ++c) {
        spawn(io, [&, c]() -> asio::awaitable<void> {
            client_stream ws(io);
            co_await connect(ws, server->port());
            int expected = 0;
            for (int i = 0; i < messages; ++i) {
                auto m = co_await ws.async_read(use_awaitable);
                if (m.text() == "m" + std::to_string(expected)) ++expected;
            }
            if (expected == messages) ++correct;
            (void)c;
            co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
            ++finished;
        });
    }
    std::size_t allocations_during_broadcast = 0;
    std::size_t max_refs = 0;
    spawn(io, [&]() -> asio::awaitable<void> {
        {
            const bool reached = co_await wait_until([&] { return server->session_count() == clients; });
            REQUIRE(reached);
        }
        const net::topic_id all = server->topic("all");
        CHECK(server->subscriber_count(all) == clients);
        const std::size_t before = server->frames().heap_allocations();
        for (int i = 0; i < messages; ++i) {
            const net::shared_frame f = server->frames().make_text("m" + std::to_string(i));
            CHECK(server->broadcast(all, f) == clients);
            max_refs = std::max<std::size_t>(max_refs, f.use_count());
            if (i % 20 == 19) co_await sleep_for(1ms);
        }
        allocations_during_broadcast = server->frames().heap_allocations() - before;
        {
            const bool reached = co_await wait_until([&] { return finished == clients; });
            REQUIRE(reached);
        }
        {
            const bool reached = co_await wait_until([&] { return server->session_count() == 0; });
            CHECK(reached);
        }
        CHECK(server->subscriber_count(all) == 0);
        server->stop();
    });
    REQUIRE(run_io(io, 60s));
    CHECK(correct == clients);
    // One frame per message, shared by every queue (not one per client).
    CHECK(max_refs >= 2);
    CHECK(allocations_during_broadcast <= messages);
    CHECK(server->frames().outstanding() == 0);
    CHECK(server->stats().opened == clients);
}

TEST_CASE("server: a client that stops reading is cut off while the others keep receiving") {
    asio::io_context io;
    net::ws_server_options opt;
    opt.send_queue_limit = 8;
    opt.slow_close_timeout = 200ms;
    opt.stream.close_timeout = 200ms;
    plain_server server(io, opt);
    REQUIRE_FALSE(server->listen());
    constexpr int messages = 600;
    const std::string payload = text_pattern(32 * 1024, 3);
    int fast_received = 0;
    bool fast_done = false;
    net::session_id slow_id = 0;

    // The fast client reads everything.
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        co_await connect(ws, server->port(), "/fast");
        for (int i = 0; i < messages; ++i) {
            auto m = co_await ws.async_read(use_awaitable);
            if (m.size() == payload.size()) ++fast_received;
        }
        fast_done = true;
        co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
    });
    // The slow client: a small receive buffer, and after the handshake it never reads.
    auto slow = std::make_shared<client_stream>(io);
    spawn(io, [&]() -> asio::awaitable<void> {
        auto& sock = slow->next_layer();
        sock.open(tcp::v4());
        sock.set_option(asio::socket_base::receive_buffer_size(4096));
        co_await sock.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), server->port()), use_awaitable);
        request_holder req(server->port(), "/slow");
        co_await slow->async_handshake(req.request, use_awaitable);
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        {
            const bool reached = co_await wait_until([&] { return server->session_count() == 2; });
            REQUIRE(reached);
        }
        for (auto id : server->handler().opened) {
            if (server->handshake(id)->request().path == "/slow") slow_id = id;
        }
        REQUIRE(slow_id != 0);
        const net::topic_id all = server->topic("all");
        std::size_t max_slow_queue = 0;
        for (int i = 0; i < messages; ++i) {
            server->broadcast(all, server->frames().make_text(payload));
            max_slow_queue = std::max(max_slow_queue, server->queued(slow_id));
            co_await sleep_for(std::chrono::milliseconds(i % 4 == 3 ? 1 : 0));
        }
        CHECK(max_slow_queue <= opt.send_queue_limit);
        {
            const bool reached = co_await wait_until([&] { return fast_done; }, 20000ms);
            CHECK(reached);
        }
        {
            const bool reached = co_await wait_until([&] { return server->handler().closed.count(slow_id) == 1; });
            CHECK(reached);
        }
        server->stop();
    });
    REQUIRE(run_io(io, 60s));
    CHECK(fast_received == messages);
    CHECK(server->stats().slow_disconnects == 1);
    CHECK(server->handler().closed.count(slow_id) == 1);
    CHECK_FALSE(server->is_open(slow_id));
    CHECK(server->frames().outstanding() == 0);
}

TEST_CASE("server: bearer token accepted, wrong or missing token refused with 401 and WWW-Authenticate") {
    asio::io_context io;
    std::vector<std::string> challenges;  // the WWW-Authenticate field of each 401
    net::ws_server_options opt;
    opt.bearer_token = "s3cret-token";
    plain_server server(io, opt);
    REQUIRE_FALSE(server->listen());
    int checked = 0;
    spawn(io, [&]() -> asio::awaitable<void> {
        const auto attempt = [&](std::string_view authorization) -> asio::awaitable<unsigned> {
            client_stream ws(io);
            request_holder req(server->port());
            const tradewire::http_field field{"Authorization", authorization};
            if (!authorization.empty()) req.request.extra_fields = std::span<const tradewire::http_field>(&field, 1);
            auto [ec] = co_await net::async_connect(ws, req.request, {}, as_tuple_awaitable);
            if (!ec) {
                co_await ws.async_write_text("hi", use_awaitable);
                auto m = co_await ws.async_read(use_awaitable);
                CHECK(m.text() == "hi");
                co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
                co_return 101;
            }
            CHECK(ec == ws::handshake_error::unexpected_status);
            if (!ws.handshake()) co_return 0;
            challenges.emplace_back(ws.handshake()->response().fields.value("www-authenticate"));
            co_return ws.handshake()->result().status;
        };
        // (co_await stays outside the CHECK macros, which may expand their argument twice.)
        std::vector<unsigned> statuses;
        for (std::string_view auth : {"Bearer s3cret-token", "bearer s3cret-token", "Bearer s3cret-tokeN", "Bearer s3cret",
                                      "Basic czNjcmV0LXRva2Vu", ""}) {
            statuses.push_back(co_await attempt(auth));
        }
        CHECK(statuses == std::vector<unsigned>{101, 101, 401, 401, 401, 401});
        // RFC 6750 section 3: the scheme, and error="invalid_token" for a wrong token.
        CHECK(challenges == std::vector<std::string>{"Bearer error=\"invalid_token\"",
                                                     "Bearer error=\"invalid_token\"", "Bearer", "Bearer"});
        checked = 6;
        server->stop();
    });
    REQUIRE(run_io(io));
    CHECK(checked == 6);
    CHECK(server->stats().opened == 2);
    CHECK(server->stats().rejected == 4);
    CHECK(server->handler().opened.size() == 2);
}

TEST_CASE("server: a session over the message rate limit is closed with 1008") {
    asio::io_context io;
    net::ws_server_options opt;
    opt.rate_limit = 20.0;
    opt.rate_burst = 5.0;
    plain_server server(io, opt);
    server->handler().echo = false;
    REQUIRE_FALSE(server->listen());
    std::error_code end;
    ws::close_code code{};
    std::string reason;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        co_await connect(ws, server->port());
        for (int i = 0; i < 50; ++i) {
            auto [ec] = co_await ws.async_write_text("x", as_tuple_awaitable);
            if (ec) break;
        }
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        end = ec;
        code = ws.close_reason().code;
        reason = std::string(ws.close_reason().reason);
        server->stop();
    });
    REQUIRE(run_io(io));
    CHECK(end == net::error::closed);
    CHECK(code == ws::close_code::policy_violation);
    CHECK(reason == "rate limit exceeded");
    CHECK(server->stats().rate_limited == 1);
    CHECK(server->handler().messages == 5);  // the burst; nothing after the limit is delivered
}

TEST_CASE("server: a message over the size limit closes with 1009") {
    asio::io_context io;
    net::ws_server_options opt;
    opt.stream.max_message_size = 1000;
    plain_server server(io, opt);
    REQUIRE_FALSE(server->listen());
    std::error_code end;
    ws::close_code code{};
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        co_await connect(ws, server->port());
        const std::string fits(1000, 'a');
        co_await ws.async_write_text(fits, use_awaitable);
        auto m = co_await ws.async_read(use_awaitable);
        CHECK(m.size() == 1000);
        co_await ws.async_write_text(std::string(1001, 'b'), use_awaitable);
        auto [ec, m2] = co_await ws.async_read(as_tuple_awaitable);
        end = ec;
        code = ws.close_reason().code;
        {
            const bool reached = co_await wait_until([&] { return server->handler().closed.size() == 1; });
            CHECK(reached);
        }
        server->stop();
    });
    REQUIRE(run_io(io));
    CHECK(end == net::error::closed);
    CHECK(code == ws::close_code::message_too_big);
    REQUIRE(server->handler().closed.size() == 1);
    CHECK(server->handler().closed.begin()->second.error == ws::error::message_too_big);
}

TEST_CASE("server: TLS with a test-generated certificate against the tradewire TLS client") {
    test_pki pki;
    if (!pki.ok) {
        WARN("openssl CLI missing or failed: TLS server test skipped");
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

    net::ws_server_options opt;
    net::ws_server<recording_handler, net::tls_stream<net::tcp_socket>> server(io, server_ctx, opt);
    REQUIRE_FALSE(server->listen());
    int echoed = 0;
    std::error_code untrusted;
    spawn(io, [&]() -> asio::awaitable<void> {
        using tls_client = net::ws_stream<net::tls_stream<net::tcp_socket>>;
        {
            tls_client ws(io, client_ctx);
            request_holder req(server->port(), "/", "wss", "localhost");
            co_await net::async_connect(ws, req.request, {}, use_awaitable);
            for (std::size_t n : {std::size_t{1}, std::size_t{70000}, std::size_t{1} << 20}) {
                const bytes data = pattern(n, static_cast<std::uint32_t>(n));
                co_await ws.async_write_binary(data, use_awaitable);
                auto m = co_await ws.async_read(use_awaitable);
                if (m.is_binary() && same(m.payload, data)) ++echoed;
            }
            co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
        }
        {
            // A client that trusts another CA refuses the server.
            net::tls_client_options other;
            other.system_trust_store = false;
            other.ca_file = pki.rogue_ca;
            std::error_code cec;
            net::tls_context rogue_ctx = net::make_tls_client_context(other, cec);
            tls_client ws(io, rogue_ctx);
            request_holder req(server->port(), "/", "wss", "localhost");
            auto [e] = co_await net::async_connect(ws, req.request, {}, as_tuple_awaitable);
            untrusted = e;
        }
        {
            const bool reached = co_await wait_until([&] { return server->session_count() == 0; });
            CHECK(reached);
        }
        server->stop();
    });
    REQUIRE(run_io(io));
    CHECK(echoed == 3);
    CHECK(untrusted == net::error::tls_certificate_untrusted);
    CHECK(server->stats().opened == 1);
}

TEST_CASE("server: graceful shutdown closes every session with 1001") {
    asio::io_context io;
    net::ws_server_options opt;
    plain_server server(io, opt);
    REQUIRE_FALSE(server->listen());
    constexpr int clients = 5;
    int saw_1001 = 0;
    std::optional<std::error_code> shutdown_result;
    for (int c = 0; c < clients; ++c) {
        spawn(io, [&]() -> asio::awaitable<void> {
            client_stream ws(io);
            co_await connect(ws, server->port());
            auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
            if (ec == net::error::closed && ws.close_reason().code == ws::close_code::going_away) ++saw_1001;
        });
    }
    spawn(io, [&]() -> asio::awaitable<void> {
        {
            const bool reached = co_await wait_until([&] { return server->session_count() == clients; });
            REQUIRE(reached);
        }
        auto [ec] = co_await server->async_shutdown(2s, as_tuple_awaitable);
        shutdown_result = ec;
        CHECK_FALSE(server->listening());
    });
    REQUIRE(run_io(io));
    CHECK(saw_1001 == clients);
    REQUIRE(shutdown_result);
    CHECK_FALSE(*shutdown_result);
    CHECK(server->handler().closed.size() == clients);
    for (const auto& [id, info] : server->handler().closed) CHECK(info.error == net::error::closed);
}

TEST_CASE("server: shutdown cuts a client that never answers the close at the deadline") {
    asio::io_context io;
    net::ws_server_options opt;
    opt.stream.close_timeout = 10s;  // longer than the shutdown deadline
    plain_server server(io, opt);
    REQUIRE_FALSE(server->listen());
    std::optional<std::error_code> shutdown_result;
    std::chrono::steady_clock::duration took{};
    auto silent = std::make_shared<client_stream>(io);
    spawn(io, [&]() -> asio::awaitable<void> {
        co_await connect(*silent, server->port());  // then never reads: our Close goes unanswered
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        {
            const bool reached = co_await wait_until([&] { return server->session_count() == 1; });
            REQUIRE(reached);
        }
        const auto start = std::chrono::steady_clock::now();
        auto [ec] = co_await server->async_shutdown(300ms, as_tuple_awaitable);
        took = std::chrono::steady_clock::now() - start;
        shutdown_result = ec;
        silent.reset();
    });
    REQUIRE(run_io(io));
    REQUIRE(shutdown_result);
    CHECK(*shutdown_result == net::server_error::shutdown_timeout);
    CHECK(took >= 250ms);
    CHECK(took < 5s);
    CHECK(server->handler().closed.size() == 1);
}

TEST_CASE("server: session ids of ended sessions are refused and never reused") {
    asio::io_context io;
    net::ws_server_options opt;
    opt.max_sessions = 1;
    plain_server server(io, opt);
    REQUIRE_FALSE(server->listen());
    std::vector<net::session_id> ids;
    spawn(io, [&]() -> asio::awaitable<void> {
        for (int round = 0; round < 3; ++round) {
            client_stream ws(io);
            co_await connect(ws, server->port());
            {
                const bool reached = co_await wait_until([&] { return server->session_count() == 1; });
                REQUIRE(reached);
            }
            ids.push_back(server->handler().opened.back());
            co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
            {
                const bool reached = co_await wait_until([&] { return server->session_count() == 0; });
                REQUIRE(reached);
            }
            CHECK(server->send_text(ids.back(), "late") == net::server_error::no_such_session);
            CHECK_FALSE(server->is_open(ids.back()));
        }
        // Over max_sessions: the second connection is refused while the first is open.
        client_stream first(io);
        co_await connect(first, server->port());
        {
            const bool reached = co_await wait_until([&] { return server->session_count() == 1; });
            REQUIRE(reached);
        }
        client_stream second(io);
        request_holder req(server->port());
        auto [ec] = co_await net::async_connect(second, req.request, {}, as_tuple_awaitable);
        CHECK(ec);
        server->stop();
    });
    REQUIRE(run_io(io));
    REQUIRE(ids.size() == 3);
    CHECK(std::set<net::session_id>(ids.begin(), ids.end()).size() == 3);
    CHECK(server->send_text(0, "x") == net::server_error::no_such_session);
    CHECK(server->stats().refused_full == 1);
}
