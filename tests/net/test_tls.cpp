// The TLS transport against a local TLS server with certificates made by the openssl
// CLI at test time: a trusted certificate for localhost works (TLS 1.3 and 1.2, SNI seen
// by the server), a certificate for another name and one from an untrusted CA are
// refused with clear errors, the system trust store is loaded by default (and
// SSL_CERT_FILE overrides it), IP literals are matched against IP addresses, and the
// loud opt-out really turns verification off.
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include <tradewire/net/connect.hpp>
#include <tradewire/net/ws_stream.hpp>

#include <asio/write.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

using namespace net_test;

namespace {

using tls_client = net::ws_stream<net::tls_stream<net::tcp_socket>>;
using tls_server = net::ws_stream<net::tls_stream<net::tcp_socket>, ws::server_role>;

struct served {
    std::vector<std::string> sni;
    std::vector<std::string> versions;
    std::vector<std::error_code> tls_results;
};

// Accepts connections forever (until the context is stopped): TLS handshake, WebSocket
// accept, echo.
asio::awaitable<void> tls_echo_server(listener& lst, net::tls_context& ctx, served& out) {
    for (;;) {
        auto [aec, sock] = co_await lst.acceptor.async_accept(as_tuple_awaitable);
        if (aec) co_return;
        asio::co_spawn(
            lst.acceptor.get_executor(),
            [&out, &ctx, s = std::move(sock)]() mutable -> asio::awaitable<void> {
                tls_server ws(std::move(s), ctx);
                auto [tec] = co_await net::async_tls_accept(ws.next_layer(), as_tuple_awaitable);
                out.tls_results.push_back(tec);
                if (tec) co_return;
                out.sni.emplace_back(net::tls_server_name(ws.next_layer()));
                out.versions.emplace_back(net::tls_version_name(ws.next_layer()));
                auto [wec] = co_await ws.async_accept(as_tuple_awaitable);
                if (wec) co_return;
                for (;;) {
                    auto [rec, m] = co_await ws.async_read(as_tuple_awaitable);
                    if (rec) co_return;
                    co_await ws.async_write(m.op, m.payload, as_tuple_awaitable);
                }
            },
            asio::detached);
    }
}

net::tls_context server_context(const std::string& cert, const std::string& key,
                                net::tls_version max = net::tls_version::tls1_3) {
    net::tls_server_options o;
    o.certificate_chain_file = cert;
    o.private_key_file = key;
    o.max_version = max;
    std::error_code ec;
    auto ctx = net::make_tls_server_context(o, ec);
    REQUIRE_FALSE(ec);
    return ctx;
}

net::tls_context client_context(const net::tls_client_options& o) {
    std::error_code ec;
    auto ctx = net::make_tls_client_context(o, ec);
    REQUIRE_FALSE(ec);
    return ctx;
}

net::tls_client_options trusting(const std::string& ca) {
    net::tls_client_options o;
    o.system_trust_store = false;
    o.ca_file = ca;
    return o;
}

struct attempt {
    std::error_code ec;
    std::string echoed;
    std::string detail;
    std::string version;
};

// Connects to wss://<host>:<port>/ with `ctx`, sends one message if it worked, closes.
attempt connect_once(net::tls_context& ctx, net::tls_context& server_ctx, const std::string& host,
                     const net::ws_stream_options& options = {}) {
    asio::io_context io;
    listener lst(io);
    served out;
    spawn(io, tls_echo_server(lst, server_ctx, out));
    attempt a;
    spawn(io, [&]() -> asio::awaitable<void> {
        tls_client ws(io, ctx);
        ws.set_options(options);
        request_holder req(lst.port(), "/", "wss", host);
        auto [ec] = co_await net::async_connect(ws, req.request, {}, as_tuple_awaitable);
        a.ec = ec;
        if (ec) {
            a.detail = net::tls_error_detail(ws.next_layer());
        } else {
            a.version = std::string(net::tls_version_name(ws.next_layer()));
            co_await ws.async_write_text("over tls", use_awaitable);
            auto m = co_await ws.async_read(use_awaitable);
            a.echoed = std::string(m.text());
            co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
        }
        lst.acceptor.close();
    });
    REQUIRE(run_io(io, 60s));
    return a;
}

}  // namespace

TEST_CASE("tls: a trusted certificate for the host name connects over TLS 1.3 and 1.2, the server sees SNI") {
    test_pki pki;
    REQUIRE(pki.ok);
    auto cctx = client_context(trusting(pki.ca));
    SECTION("TLS 1.3") {
        auto sctx = server_context(pki.localhost_cert, pki.localhost_key);
        asio::io_context io;
        listener lst(io);
        served out;
        spawn(io, tls_echo_server(lst, sctx, out));
        std::string echoed;
        spawn(io, [&]() -> asio::awaitable<void> {
            tls_client ws(io, cctx);
            request_holder req(lst.port(), "/", "wss", "localhost");
            co_await net::async_connect(ws, req.request, {}, use_awaitable);
            CHECK(net::tls_version_name(ws.next_layer()) == "TLSv1.3");
            co_await ws.async_write_text("hello tls", use_awaitable);
            echoed = std::string((co_await ws.async_read(use_awaitable)).text());
            co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
            lst.acceptor.close();
        });
        REQUIRE(run_io(io, 60s));
        CHECK(echoed == "hello tls");
        REQUIRE(out.sni.size() == 1);
        CHECK(out.sni[0] == "localhost");
        CHECK(out.versions[0] == "TLSv1.3");
    }
    SECTION("TLS 1.2") {
        auto sctx = server_context(pki.localhost_cert, pki.localhost_key, net::tls_version::tls1_2);
        const attempt a = connect_once(cctx, sctx, "localhost");
        CHECK_FALSE(a.ec);
        CHECK(a.version == "TLSv1.2");
        CHECK(a.echoed == "over tls");
    }
}

TEST_CASE("tls: a certificate for another name is refused with tls_host_name_mismatch") {
    test_pki pki;
    REQUIRE(pki.ok);
    auto cctx = client_context(trusting(pki.ca));
    auto sctx = server_context(pki.other_cert, pki.other_key);
    const attempt a = connect_once(cctx, sctx, "localhost");
    CHECK(a.ec == net::error::tls_host_name_mismatch);
    CHECK_FALSE(a.detail.empty());
    CHECK(a.echoed.empty());
}

TEST_CASE("tls: a certificate from an untrusted CA is refused with tls_certificate_untrusted") {
    test_pki pki;
    REQUIRE(pki.ok);
    auto sctx = server_context(pki.rogue_cert, pki.rogue_key);
    SECTION("with our CA file") {
        auto cctx = client_context(trusting(pki.ca));
        const attempt a = connect_once(cctx, sctx, "localhost");
        CHECK(a.ec == net::error::tls_certificate_untrusted);
        CHECK_FALSE(a.detail.empty());
    }
    SECTION("with the system trust store only (the default)") {
        net::tls_client_options o;  // verify peer, system store
        auto cctx = client_context(o);
        const attempt a = connect_once(cctx, sctx, "localhost");
        CHECK(a.ec == net::error::tls_certificate_untrusted);
    }
    SECTION("insecure_no_verification accepts it") {
        net::tls_client_options o;
        o.verify = net::tls_verify::insecure_no_verification;
        auto cctx = client_context(o);
        const attempt a = connect_once(cctx, sctx, "localhost");
        CHECK_FALSE(a.ec);
        CHECK(a.echoed == "over tls");
    }
}

TEST_CASE("tls: the default trust store is the system's, and SSL_CERT_FILE replaces it") {
    test_pki pki;
    REQUIRE(pki.ok);
    auto sctx = server_context(pki.localhost_cert, pki.localhost_key);
    // Our test CA is not in the system store: refused.
    {
        auto cctx = client_context({});
        CHECK(connect_once(cctx, sctx, "localhost").ec == net::error::tls_certificate_untrusted);
    }
    // With SSL_CERT_FILE naming our CA, the same default options trust it.
    ::setenv("SSL_CERT_FILE", pki.ca.c_str(), 1);
    auto cctx = client_context({});
    ::unsetenv("SSL_CERT_FILE");
    const attempt a = connect_once(cctx, sctx, "localhost");
    CHECK_FALSE(a.ec);
    CHECK(a.echoed == "over tls");
}

namespace {

// Sets (or with nullptr unsets) an environment variable for one scope.
struct scoped_env {
    std::string name;
    std::optional<std::string> saved;
    scoped_env(const char* n, const char* value) : name(n) {
        if (const char* old = std::getenv(n)) saved = old;
        if (value) {
            ::setenv(n, value, 1);
        } else {
            ::unsetenv(n);
        }
    }
    ~scoped_env() {
        if (saved) {
            ::setenv(name.c_str(), saved->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;
};

}  // namespace

TEST_CASE("tls: without SSL_CERT_FILE the default trust store is the system CA bundle") {
    scoped_env file("SSL_CERT_FILE", nullptr);
    scoped_env dir("SSL_CERT_DIR", nullptr);
    const char* bundle = net::system_ca_bundle();
    if (std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt")) {
        REQUIRE(bundle != nullptr);
        CHECK(std::string(bundle) == "/etc/ssl/certs/ca-certificates.crt");
    }
    if (!bundle) {
        WARN("no system CA bundle on this machine: skipped");
        return;
    }
    std::error_code ec;
    auto ctx = net::make_tls_client_context({}, ec);
    CHECK_FALSE(ec);
    // The bundle alone, as the only trust store, loads too (it is a real PEM bundle).
    net::tls_client_options only_bundle;
    only_bundle.system_trust_store = false;
    only_bundle.ca_file = bundle;
    (void)net::make_tls_client_context(only_bundle, ec);
    CHECK_FALSE(ec);
}

// The defect behind "--ca-file gives Connection refused": with the environment Debian
// images set (SSL_CERT_FILE = the bundle, SSL_CERT_DIR = /etc/ssl/certs), wolfSSL spent
// 1-2 s of CPU loading the store whenever a CA file was added, so a client that was
// given one connected seconds late. The added CA must work, with the system store, and
// the context must be made quickly, whatever the environment.
TEST_CASE("tls: an added CA file is trusted together with the system store, without SSL_CERT_FILE naming it") {
    test_pki pki;
    REQUIRE(pki.ok);
    auto good = server_context(pki.localhost_cert, pki.localhost_key);
    auto rogue = server_context(pki.rogue_cert, pki.rogue_key);
    const bool debian_env = std::filesystem::exists("/etc/ssl/certs/ca-certificates.crt") &&
                            std::filesystem::is_directory("/etc/ssl/certs");
    for (const bool env_set : {false, true}) {
        if (env_set && !debian_env) continue;
        CAPTURE(env_set);
        scoped_env file("SSL_CERT_FILE", env_set ? "/etc/ssl/certs/ca-certificates.crt" : nullptr);
        scoped_env dir("SSL_CERT_DIR", env_set ? "/etc/ssl/certs" : nullptr);
        net::tls_client_options o;  // verify peer, system store on
        o.ca_file = pki.ca;
        const auto started = std::chrono::steady_clock::now();
        std::error_code ec;
        auto cctx = net::make_tls_client_context(o, ec);
        const auto took = std::chrono::steady_clock::now() - started;
        REQUIRE_FALSE(ec);
        CAPTURE(std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
        CHECK(took < 1s);  // was 1-2 s on an idle machine, ~50 ms after the fix
        const attempt a = connect_once(cctx, good, "localhost");
        CHECK_FALSE(a.ec);
        CHECK(a.echoed == "over tls");
        CHECK(connect_once(cctx, rogue, "localhost").ec == net::error::tls_certificate_untrusted);
    }
}

TEST_CASE("tls: an IP literal is checked against the certificate's IP addresses and sends no SNI") {
    test_pki pki;
    REQUIRE(pki.ok);
    auto cctx = client_context(trusting(pki.ca));
    {
        auto sctx = server_context(pki.localhost_cert, pki.localhost_key);  // SAN IP:127.0.0.1
        asio::io_context io;
        listener lst(io);
        served out;
        spawn(io, tls_echo_server(lst, sctx, out));
        std::error_code result;
        spawn(io, [&]() -> asio::awaitable<void> {
            tls_client ws(io, cctx);
            request_holder req(lst.port(), "/", "wss", "127.0.0.1");
            auto [ec] = co_await net::async_connect(ws, req.request, {}, as_tuple_awaitable);
            result = ec;
            if (!ec) co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
            lst.acceptor.close();
        });
        REQUIRE(run_io(io, 60s));
        CHECK_FALSE(result);
        REQUIRE(out.sni.size() == 1);
        CHECK(out.sni[0].empty());
    }
    {
        auto sctx = server_context(pki.other_cert, pki.other_key);  // no IP address
        CHECK(connect_once(cctx, sctx, "127.0.0.1").ec == net::error::tls_host_name_mismatch);
    }
}

TEST_CASE("tls: configuration errors are reported, not ignored") {
    test_pki pki;
    REQUIRE(pki.ok);
    std::error_code ec;
    net::tls_client_options missing_ca = trusting(pki.dir.file("no-such-ca.pem"));
    (void)net::make_tls_client_context(missing_ca, ec);
    CHECK(ec == net::error::tls_bad_file);
    net::tls_client_options nothing;
    nothing.system_trust_store = false;
    (void)net::make_tls_client_context(nothing, ec);
    CHECK(ec == net::error::tls_no_trust_store);
    net::tls_server_options no_key;
    no_key.certificate_chain_file = pki.localhost_cert;
    (void)net::make_tls_server_context(no_key, ec);
    CHECK(ec == net::error::tls_bad_file);
    CHECK((net::tls_backend_name() == "wolfssl" || net::tls_backend_name() == "openssl"));
}

TEST_CASE("tls: a key that does not match the certificate never yields a working server") {
    test_pki pki;
    REQUIRE(pki.ok);
    net::tls_server_options wrong_key;
    wrong_key.certificate_chain_file = pki.localhost_cert;
    wrong_key.private_key_file = pki.other_key;
    std::error_code ec;
    auto sctx = net::make_tls_server_context(wrong_key, ec);
    if (ec) {
        CHECK(ec == net::error::tls_bad_file);  // OpenSSL notices when loading
        return;
    }
    // wolfSSL 5.5's SSL_CTX_check_private_key accepts a mismatched EC key; the handshake
    // then fails, because the server cannot prove it holds the certificate's key.
    auto cctx = client_context(trusting(pki.ca));
    CHECK(connect_once(cctx, sctx, "localhost").ec);
}

TEST_CASE("tls: a server that never speaks TLS fails the connect with handshake_timeout") {
    test_pki pki;
    REQUIRE(pki.ok);
    auto cctx = client_context(trusting(pki.ca));
    asio::io_context io;
    listener lst(io);
    std::optional<tcp::socket> silent;
    lst.acceptor.async_accept([&](std::error_code ec, tcp::socket s) {
        if (!ec) silent.emplace(std::move(s));  // accepted, never answered
    });
    std::error_code result;
    const auto started = std::chrono::steady_clock::now();
    spawn(io, [&]() -> asio::awaitable<void> {
        tls_client ws(io, cctx);
        net::ws_stream_options o;
        o.handshake_timeout = 300ms;
        ws.set_options(o);
        request_holder req(lst.port(), "/", "wss", "localhost");
        auto [ec] = co_await net::async_connect(ws, req.request, {}, as_tuple_awaitable);
        result = ec;
        silent.reset();
    });
    REQUIRE(run_io(io, 30s));
    CHECK(result == net::error::handshake_timeout);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
}
