// Opening a client WebSocket in one operation: TCP connect (every resolved address,
// within tcp_options::connect_timeout), then for a TLS stream the TLS handshake with SNI
// and host-name verification, then the WebSocket handshake; the TLS and WebSocket
// handshakes together must finish within the stream's handshake_timeout.
//
//   std::error_code ec;
//   const url u = parse_url("wss://stream.binance.com:9443/ws/btcusdt@trade", ec);
//   auto ctx = net::make_tls_client_context({}, ec);
//   net::ws_stream<net::tls_stream<net::tcp_socket>> ws(io, ctx);
//   co_await net::async_connect(ws, ws::client_request{u}, {}, asio::use_awaitable);
//
// The request's strings (from the URL) must stay valid until the operation completes.
// The reconnecting client runs this for every attempt on a fresh stream.
#pragma once

#include <tradewire/net/error.hpp>
#include <tradewire/net/tcp.hpp>
#include <tradewire/net/tls.hpp>
#include <tradewire/net/ws_stream.hpp>
#include <tradewire/ws/handshake.hpp>
#include <tradewire/ws/role.hpp>

#include <asio/compose.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <system_error>
#include <type_traits>
#include <utility>

namespace tradewire::net {

namespace detail {

// The TCP socket at the bottom of a ws_stream's layers.
template <class NextLayer>
auto& tcp_layer(NextLayer& next) noexcept {
    if constexpr (is_ssl_stream_v<NextLayer>) {
        return next.next_layer();
    } else {
        return next;
    }
}

struct tls_deadline_state {
    explicit tls_deadline_state(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    bool timed_out = false;
    bool done = false;
};

template <class Stream>
struct ws_connect_op {
    Stream& ws;
    ws::client_request request;
    tcp_options tcp;
    std::shared_ptr<tls_deadline_state> deadline{};
    enum class step : std::uint8_t { tcp, tls, websocket } at = step::tcp;

    template <class Self>
    void operator()(Self& self) {
        at = step::tcp;
        net::async_connect(tcp_layer(ws.next_layer()), request.endpoint.host, request.endpoint.port, tcp,
                           std::move(self));
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec, const asio::ip::tcp::endpoint&) {
        if (ec) return self.complete(ec);
        if constexpr (is_ssl_stream_v<typename Stream::next_layer_type>) {
            const auto limit = ws.options().handshake_timeout;
            if (limit.count() > 0) {
                deadline = std::make_shared<tls_deadline_state>(asio::any_io_executor(ws.get_executor()));
                deadline->timer.expires_after(limit);
                deadline->timer.async_wait(
                    [d = deadline, &sock = tcp_layer(ws.next_layer())](std::error_code wec) {
                        if (wec || d->done) return;
                        d->timed_out = true;
                        std::error_code ignored;
                        sock.close(ignored);
                    });
            }
            at = step::tls;
            net::async_tls_handshake(ws.next_layer(), request.endpoint.host, std::move(self));
        } else {
            at = step::websocket;
            ws.async_handshake(request, std::move(self));
        }
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec) {
        if (at == step::tls) {
            if (deadline) {
                deadline->done = true;
                deadline->timer.cancel();
                if (deadline->timed_out) ec = error::handshake_timeout;
            }
            if (ec) {
                std::error_code ignored;
                tcp_layer(ws.next_layer()).close(ignored);
                return self.complete(ec);
            }
            at = step::websocket;
            ws.async_handshake(request, std::move(self));
            return;
        }
        self.complete(ec);
    }
};

}  // namespace detail

// Connects `ws` (a fresh client stream over TCP or TLS over TCP) to request.endpoint and
// performs the handshakes. Completion signature void(std::error_code). Errors: those of
// net::async_connect (tcp.hpp), of async_tls_handshake (tls_certificate_untrusted,
// tls_host_name_mismatch, ...), net::error::handshake_timeout, and those of
// ws_stream::async_handshake (handshake_error::unexpected_status, bad_accept, ...).
template <class NextLayer, class Role, class Token>
requires(Role::sends_masked) auto async_connect(ws_stream<NextLayer, Role>& ws,
                                                const ws::client_request& request, const tcp_options& tcp,
                                                Token&& token) {
    using stream_type = ws_stream<NextLayer, Role>;
    return asio::async_compose<Token, void(std::error_code)>(
        detail::ws_connect_op<stream_type>{ws, request, tcp}, token, ws.next_layer());
}

}  // namespace tradewire::net
