// net::async_connect for TCP: IPv4 and IPv6 literals, a name that resolves to several
// addresses of which only one listens, TCP_NODELAY on by default, refused connections,
// and the deadline (against a listener whose accept queue is full, which drops SYNs).
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/tcp.hpp>

#include <vector>

using namespace net_test;

namespace {

struct connect_result {
    std::error_code ec;
    tcp::endpoint endpoint;
    bool no_delay = false;
};

connect_result connect(asio::io_context& io, const std::string& host, std::uint16_t port,
                       net::tcp_options options = {}) {
    connect_result r;
    tcp::socket sock(io);
    net::async_connect(sock, host, port, options, [&](std::error_code ec, const tcp::endpoint& ep) {
        r.ec = ec;
        r.endpoint = ep;
        if (!ec) {
            asio::ip::tcp::no_delay nd;
            sock.get_option(nd);
            r.no_delay = nd.value();
        }
    });
    REQUIRE(run_io(io, 30s));
    return r;
}

}  // namespace

TEST_CASE("tcp: connects to an IPv4 literal with TCP_NODELAY on, or off when asked") {
    asio::io_context io;
    listener lst(io);
    lst.acceptor.async_accept([](std::error_code, tcp::socket) {});
    const connect_result r = connect(io, "127.0.0.1", lst.port());
    CHECK_FALSE(r.ec);
    CHECK(r.endpoint.port() == lst.port());
    CHECK(r.no_delay);

    lst.acceptor.async_accept([](std::error_code, tcp::socket) {});
    net::tcp_options nagle;
    nagle.no_delay = false;
    const connect_result r2 = connect(io, "127.0.0.1", lst.port(), nagle);
    CHECK_FALSE(r2.ec);
    CHECK_FALSE(r2.no_delay);
}

TEST_CASE("tcp: connects to an IPv6 literal") {
    asio::io_context io;
    std::unique_ptr<listener> lst;
    try {
        lst = std::make_unique<listener>(io, true);
    } catch (const std::system_error&) {
        WARN("SKIPPED: no IPv6 loopback on this machine");
        return;
    }
    lst->acceptor.async_accept([](std::error_code, tcp::socket) {});
    const connect_result r = connect(io, "::1", lst->port());
    CHECK_FALSE(r.ec);
    CHECK(r.endpoint.address().is_v6());
}

TEST_CASE("tcp: a name is resolved and every address tried until one accepts") {
    asio::io_context io;
    // Listen on IPv4 only: if "localhost" also resolves to ::1, that attempt is refused
    // and the next address is tried.
    listener lst(io);
    lst.acceptor.async_accept([](std::error_code, tcp::socket) {});
    const connect_result r = connect(io, "localhost", lst.port());
    CHECK_FALSE(r.ec);
    CHECK(r.endpoint.address().is_v4());
    CHECK(r.endpoint.port() == lst.port());
}

TEST_CASE("tcp: a port nobody listens on is refused, an unknown host fails") {
    asio::io_context io;
    std::uint16_t port = 0;
    {
        listener lst(io);  // a free port, closed again
        port = lst.port();
    }
    CHECK(connect(io, "127.0.0.1", port).ec == asio::error::connection_refused);
    net::tcp_options quick;
    quick.connect_timeout = 5s;
    const connect_result unknown = connect(io, "no-such-host.invalid", 443, quick);
    CHECK(unknown.ec);
}

TEST_CASE("tcp: the deadline ends an attempt the peer never answers") {
    asio::io_context io;
    tcp::acceptor full(io);
    full.open(tcp::v4());
    full.bind({asio::ip::address_v4::loopback(), 0});
    full.listen(0);
    const std::uint16_t port = full.local_endpoint().port();
    // Fill the accept queue (nobody accepts): later SYNs are dropped, not refused.
    std::vector<std::unique_ptr<tcp::socket>> queued;
    for (int i = 0; i < 4; ++i) {
        auto s = std::make_unique<tcp::socket>(io);
        s->async_connect({asio::ip::address_v4::loopback(), port}, [](std::error_code) {});
        queued.push_back(std::move(s));
    }
    io.run_for(200ms);
    net::tcp_options o;
    o.connect_timeout = 300ms;
    const auto started = std::chrono::steady_clock::now();
    std::error_code result;
    tcp::socket sock(io);
    net::async_connect(sock, "127.0.0.1", port, o, [&](std::error_code ec, const tcp::endpoint&) {
        result = ec;
        for (auto& q : queued) q->close();
    });
    REQUIRE(run_io(io, 30s));
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(result == net::error::connect_timeout);
    CHECK(took >= 250ms);
    CHECK(took < 5s);
    CHECK_FALSE(sock.is_open());
}
