// tradewire-cli echo-client: against python3-websockets and Node ws servers that drive
// it through every message size, fragments and pings and then close with a chosen code
// (which it must echo), exit 0; against broken or hostile servers (refused, HTTP error,
// protocol violation, message over --max-message-size, untrusted TLS), exit 1 with a
// message on stderr; usage errors exit 2.
#include "catch.hpp"
#include "cli_runner.hpp"

#include "../net/background_server.hpp"

#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include <tradewire/net/ws_stream.hpp>
#include <tradewire/ws/reader.hpp>
#include <tradewire/ws/writer.hpp>

#include <asio/write.hpp>

using namespace net_test;
using tradewire::test::run_cli;

namespace {

using tls_server = net::ws_stream<net::tls_stream<net::tcp_socket>, ws::server_role>;

// A server session that sends one text message, expects it back, and closes with 1000.
struct one_echo {
    std::string echoed;
    std::error_code end;
    template <class Stream>
    asio::awaitable<void> run(Stream& ws) {
        co_await ws.async_write_text("ping me back", use_awaitable);
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        if (!ec) echoed = std::string(m.text());
        auto [cec] = co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
        end = cec;
    }
};

}  // namespace

TEST_CASE("echo-client against python3-websockets: echoes every message and the close code") {
    const std::string py = python_with_websockets();
    if (py.empty()) {
        WARN("SKIPPED: python3 with the websockets package not found (Debian: python3-websockets)");
        return;
    }
    child_process peer({py, source_path("tests/interop/ws_peer.py"), "drive-server", "--close-code", "4321"});
    const auto line = peer.read_line();
    REQUIRE(line);
    REQUIRE(line->rfind("PORT ", 0) == 0);
    const auto r = run_cli({"echo-client", "ws://127.0.0.1:" + line->substr(5) + "/drive"});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(peer.read_line() == std::optional<std::string>("OK"));
}

TEST_CASE("echo-client against Node ws: echoes every message and the close code") {
    const std::string modules = node_modules_dir();
    if (modules.empty()) {
        WARN("SKIPPED: node or the ws package not found (run scripts/install-test-peers.sh)");
        return;
    }
    child_process peer(
        {"node", source_path("tests/interop/ws_peer.js"), "drive-server", "--close-code", "1000"},
        {"NODE_PATH=" + modules});
    const auto line = peer.read_line();
    REQUIRE(line);
    REQUIRE(line->rfind("PORT ", 0) == 0);
    const auto r = run_cli({"echo-client", "ws://127.0.0.1:" + line->substr(5) + "/"});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(peer.read_line() == std::optional<std::string>("OK"));
}

TEST_CASE("echo-client exits 1 with a message when the connection cannot be made or fails") {
    SECTION("connection refused") {
        std::uint16_t port = 0;
        {
            asio::io_context io;
            listener lst(io);
            port = lst.port();
        }
        const auto r = run_cli({"echo-client", "ws://127.0.0.1:" + std::to_string(port) + "/"});
        CHECK(r.status == 1);
        CHECK(r.err.find("refused") != std::string::npos);
    }
    SECTION("the server refuses the upgrade") {
        background_server server([](tcp::socket s) -> asio::awaitable<void> {
            server_stream ws(std::move(s));
            co_await ws.async_accept(
                [](const ws::server_handshake&) { return net::ws_accept_decision::reject(403, "no"); },
                as_tuple_awaitable);
        });
        const auto r = run_cli({"echo-client", server.url()});
        CHECK(r.status == 1);
        CHECK(r.err.find("HTTP 403") != std::string::npos);
    }
    SECTION("the server breaks the protocol (a masked frame)") {
        background_server server([](tcp::socket s) -> asio::awaitable<void> {
            server_stream ws(std::move(s));
            co_await ws.async_accept(use_awaitable);
            // Frames from a client-role writer are masked: forbidden from a server.
            ws::frame_writer<ws::client_role> w;
            bytes f(16);
            const auto fr = w.text(f, "bad");
            co_await asio::async_write(ws.next_layer(), asio::buffer(f.data(), fr.size), use_awaitable);
            (void)co_await ws.async_read(as_tuple_awaitable);
        });
        const auto r = run_cli({"echo-client", server.url()});
        CHECK(r.status == 1);
        CHECK(r.err.find("masked frame") != std::string::npos);
    }
    SECTION("a message over --max-message-size") {
        std::atomic<int> close_code{0};
        background_server server([&](tcp::socket s) -> asio::awaitable<void> {
            server_stream ws(std::move(s));
            co_await ws.async_accept(use_awaitable);
            co_await ws.async_write_binary(pattern(2000), use_awaitable);
            (void)co_await ws.async_read(as_tuple_awaitable);
            close_code = static_cast<int>(ws.close_reason().code);
        });
        const auto r = run_cli({"echo-client", server.url(), "--max-message-size", "1000"});
        CHECK(r.status == 1);
        CHECK(r.err.find("maximum size") != std::string::npos);
        REQUIRE(server.wait_sessions(1));
        CHECK(close_code == 1009);
    }
}

TEST_CASE("echo-client over TLS verifies the server and says why it refuses one") {
    test_pki pki;
    REQUIRE(pki.ok);
    net::tls_server_options sopt;
    sopt.certificate_chain_file = pki.localhost_cert;
    sopt.private_key_file = pki.localhost_key;
    std::error_code ec;
    auto ctx = net::make_tls_server_context(sopt, ec);
    REQUIRE_FALSE(ec);
    one_echo session;
    background_server server([&](tcp::socket s) -> asio::awaitable<void> {
        tls_server ws(std::move(s), ctx);
        auto [tec] = co_await net::async_tls_accept(ws.next_layer(), as_tuple_awaitable);
        if (tec) co_return;
        co_await ws.async_accept(use_awaitable);
        co_await session.run(ws);
    });
    const std::string url = server.url("wss", "localhost");
    SECTION("untrusted by the system store") {
        const auto r = run_cli({"echo-client", url});
        CHECK(r.status == 1);
        CHECK(r.err.find("not trusted") != std::string::npos);
    }
    SECTION("trusted with --ca-file") {
        const auto r = run_cli({"echo-client", url, "--ca-file", pki.ca});
        CHECK(r.status == 0);
        REQUIRE(server.wait_sessions(1));
        CHECK(session.echoed == "ping me back");
        CHECK_FALSE(session.end);
    }
    SECTION("trusted through SSL_CERT_FILE") {
        const auto r = run_cli({"echo-client", url}, {}, {"SSL_CERT_FILE=" + pki.ca});
        CHECK(r.status == 0);
        REQUIRE(server.wait_sessions(1));
        CHECK(session.echoed == "ping me back");
    }
}

TEST_CASE("echo-client usage errors exit 2") {
    CHECK(run_cli({"echo-client"}).status == 2);
    CHECK(run_cli({"echo-client", "ws://a/", "ws://b/"}).status == 2);
    CHECK(run_cli({"echo-client", "http://127.0.0.1:1/"}).status == 2);
    CHECK(run_cli({"echo-client", "not a url"}).status == 2);
    const auto r = run_cli({"echo-client", "ws://127.0.0.1:1/", "--max-message-size", "lots"});
    CHECK(r.status == 2);
    CHECK(r.err.find("--max-message-size") != std::string::npos);
}
