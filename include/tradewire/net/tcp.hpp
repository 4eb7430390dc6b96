// The TCP transport: a plain asio::ip::tcp::socket (the lowest layer of every tradewire
// stream) and one composed operation that resolves a host, connects to the first of its
// addresses that answers (IPv4 and IPv6, in the resolver's order) within one deadline for
// the whole attempt, and sets TCP_NODELAY, since a trading client sends small messages
// that must not wait for Nagle's algorithm.
//
//   net::tcp_socket sock(io);
//   net::async_connect(sock, "127.0.0.1", 9443, {}, [](std::error_code ec, asio::ip::tcp::endpoint ep)
//   {...});
//
// An IP literal is used as is; a name goes through Asio's resolver, which runs
// getaddrinfo on a private thread Asio starts on first use (the only way to resolve
// without blocking the caller's thread). Any Asio completion token works.
#pragma once

#include <tradewire/net/error.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/compose.hpp>
#include <asio/connect.hpp>
#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/address.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace tradewire::net {

// The default socket: its executor is asio::any_io_executor, so the socket works with any
// Asio executor (an io_context's, a strand, a thread pool's).
using tcp_socket = asio::ip::tcp::socket;

// The same socket bound to io_context's own executor type. Every asynchronous operation on
// a tcp_socket copies, prefers and destroys the type-erased any_io_executor a few times
// (work tracking for the operation and its handler); with the concrete executor those are
// plain copies of one pointer. On the development VM a 64-byte WebSocket round trip takes
// about 2.5 us less (29.3 us instead of 31.8 us; benchmarks/bench_net.cpp, the _io rows).
// Construct it from an io_context or its executor (not from an any_io_executor). Plain
// ws:// with ws_stream and ws_server (tests/net/test_server.cpp runs both on it).
using io_tcp_socket = asio::basic_stream_socket<asio::ip::tcp, asio::io_context::executor_type>;

struct tcp_options {
    // Covers resolving and every connection attempt; zero means no deadline.
    std::chrono::steady_clock::duration connect_timeout = std::chrono::seconds(10);
    // TCP_NODELAY: send small writes at once instead of coalescing them.
    bool no_delay = true;
};

namespace detail {

// Lives on the heap for one connect attempt, shared by the operation and its deadline
// handler, so whichever finishes last frees it.
struct tcp_connect_state {
    tcp_connect_state(const asio::any_io_executor& ex, std::string_view h, std::uint16_t p)
        : resolver(ex), timer(ex), host(h), port(p) {}

    asio::ip::tcp::resolver resolver;
    asio::steady_timer timer;
    std::string host;
    std::uint16_t port;
    bool timed_out = false;
    bool done = false;
};

template <class Socket>
struct tcp_connect_op {
    Socket& socket;
    std::shared_ptr<tcp_connect_state> st;
    tcp_options options;
    asio::ip::tcp::endpoint endpoint{};

    // Entry: arm the deadline, then connect to a literal or resolve a name.
    template <class Self>
    void operator()(Self& self) {
        if (options.connect_timeout.count() > 0) {
            st->timer.expires_after(options.connect_timeout);
            st->timer.async_wait([st = st, &sock = socket](std::error_code ec) {
                if (ec || st->done) return;
                st->timed_out = true;
                st->resolver.cancel();
                std::error_code ignored;
                sock.close(ignored);
            });
        }
        std::error_code ec;
        const asio::ip::address literal = asio::ip::make_address(st->host, ec);
        if (!ec) {
            const std::array<asio::ip::tcp::endpoint, 1> one{asio::ip::tcp::endpoint(literal, st->port)};
            asio::async_connect(socket, one, std::move(self));
            return;
        }
        std::array<char, 8> service{};
        const auto [end, conv] = std::to_chars(service.data(), service.data() + service.size(), st->port);
        (void)conv;
        st->resolver.async_resolve(
            st->host, std::string_view(service.data(), static_cast<std::size_t>(end - service.data())),
            asio::ip::resolver_base::numeric_service, std::move(self));
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec, asio::ip::tcp::resolver::results_type results) {
        if (st->timed_out) ec = error::connect_timeout;
        if (!ec && results.empty()) ec = error::no_endpoints;
        if (ec) return finish(self, ec);
        asio::async_connect(socket, results, std::move(self));
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec, asio::ip::tcp::endpoint ep) {
        if (st->timed_out) ec = error::connect_timeout;
        endpoint = ep;
        if (!ec && options.no_delay) socket.set_option(asio::ip::tcp::no_delay(true), ec);
        finish(self, ec);
    }

    template <class Self>
    void finish(Self& self, std::error_code ec) {
        st->done = true;
        st->timer.cancel();
        if (ec) {
            std::error_code ignored;
            socket.close(ignored);
        }
        self.complete(ec, endpoint);
    }
};

}  // namespace detail

// Resolves `host` (a name, an IPv4 literal or an IPv6 literal without brackets), then
// connects `socket` to the first address that accepts, all within
// options.connect_timeout; sets TCP_NODELAY when asked. Completion signature:
// void(std::error_code, asio::ip::tcp::endpoint). Errors: net::error::connect_timeout,
// net::error::no_endpoints, resolver errors (asio::error::host_not_found, ...) and the
// last connect error (asio::error::connection_refused, ...). On failure the socket is
// closed. `host` is copied; nothing needs to outlive the call but `socket`.
template <class Socket, class Token>
requires std::same_as<typename Socket::protocol_type, asio::ip::tcp>
auto async_connect(Socket& socket, std::string_view host, std::uint16_t port, const tcp_options& options,
                   Token&& token) {
    auto st =
        std::make_shared<detail::tcp_connect_state>(asio::any_io_executor(socket.get_executor()), host, port);
    return asio::async_compose<Token, void(std::error_code, asio::ip::tcp::endpoint)>(
        detail::tcp_connect_op<Socket>{socket, std::move(st), options}, token, socket);
}

}  // namespace tradewire::net
