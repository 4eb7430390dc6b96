// Interoperability with Node.js and the `ws` package (tests/interop/ws_peer.js, with the
// package from scripts/install-test-peers.sh in build/test-peers): tradewire as client
// against its echo server and as server for its client, over TCP and TLS: every size
// class, text and binary, fragmented messages from the peer, pings both ways, close codes
// and reasons. Skipped, with a message, when node or the package is missing.
#include "catch.hpp"
#include "interop_support.hpp"

using namespace net_test;

namespace {

// The environment entry that lets node find `ws`; empty (and a warning) when missing.
std::string node_or_skip() {
    const std::string modules = node_modules_dir();
    if (modules.empty())
        WARN("SKIPPED: node or the ws package not found (run scripts/install-test-peers.sh)");
    return modules.empty() ? std::string() : "NODE_PATH=" + modules;
}

child_process node_peer(const std::string& env, std::vector<std::string> args) {
    args.insert(args.begin(), {"node", source_path("tests/interop/ws_peer.js")});
    return child_process(args, {env});
}

using tls_client = net::ws_stream<net::tls_stream<net::tcp_socket>>;
using tls_server = net::ws_stream<net::tls_stream<net::tcp_socket>, ws::server_role>;

}  // namespace

TEST_CASE("Node ws echo server: tradewire client exchanges every size, fragments, pings, close codes") {
    const std::string env = node_or_skip();
    if (env.empty()) return;
    child_process peer = node_peer(env, {"echo-server"});
    const std::uint16_t port = peer_port(peer);
    REQUIRE(port != 0);
    asio::io_context io;
    interop_result r;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(port, "/interop?from=tradewire");
        co_await drive_peer_echo_server(ws, req.request, r);
    });
    REQUIRE(run_io(io, 120s));
    check_peer_echo_server_result(r);
}

TEST_CASE("Node ws client: tradewire server echoes its battery and completes its close") {
    const std::string env = node_or_skip();
    if (env.empty()) return;
    asio::io_context io;
    listener lst(io);
    server_outcome out;
    spawn(io, echo_for_peer<server_stream>(
                  lst, [](tcp::socket s) { return server_stream(std::move(s)); }, out));
    child_process peer = node_peer(env, {"client", "ws://127.0.0.1:" + std::to_string(lst.port()) + "/feed"});
    CHECK(run_with_peer_client(io, peer) == "OK");
    check_server_outcome(out);
}

TEST_CASE("Node ws over TLS: tradewire client verifies it, and serves its client with SNI") {
    const std::string env = node_or_skip();
    if (env.empty()) return;
    test_pki pki;
    REQUIRE(pki.ok);
    std::error_code ec;
    SECTION("tradewire client, node server") {
        child_process peer = node_peer(env, {"echo-server", "--tls", pki.localhost_cert, pki.localhost_key});
        const std::uint16_t port = peer_port(peer);
        REQUIRE(port != 0);
        net::tls_client_options copt;
        copt.system_trust_store = false;
        copt.ca_file = pki.ca;
        auto ctx = net::make_tls_client_context(copt, ec);
        REQUIRE_FALSE(ec);
        asio::io_context io;
        interop_result r;
        spawn(io, [&]() -> asio::awaitable<void> {
            tls_client ws(io, ctx);
            request_holder req(port, "/", "wss", "localhost");
            co_await drive_peer_echo_server(ws, req.request, r);
        });
        REQUIRE(run_io(io, 120s));
        check_peer_echo_server_result(r);
    }
    SECTION("node client, tradewire server") {
        net::tls_server_options sopt;
        sopt.certificate_chain_file = pki.localhost_cert;
        sopt.private_key_file = pki.localhost_key;
        auto ctx = net::make_tls_server_context(sopt, ec);
        REQUIRE_FALSE(ec);
        asio::io_context io;
        listener lst(io);
        server_outcome out;
        spawn(io, echo_for_peer<tls_server>(
                      lst, [&](tcp::socket s) { return tls_server(std::move(s), ctx); }, out));
        child_process peer =
            node_peer(env, {"client", "wss://localhost:" + std::to_string(lst.port()) + "/", "--ca", pki.ca});
        CHECK(run_with_peer_client(io, peer) == "OK");
        check_server_outcome(out);
        CHECK(out.sni == "localhost");
    }
}
