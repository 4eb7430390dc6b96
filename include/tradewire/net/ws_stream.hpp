// net::ws_stream<NextLayer, Role>: a WebSocket connection over any Asio stream, in the
// layered style of Boost.Beast:
//
//   net::ws_stream<net::tcp_socket>                                   ws://  client
//   net::ws_stream<net::tls_stream<net::tcp_socket>>                  wss:// client
//   net::ws_stream<net::tcp_socket, ws::server_role>                  server side of an accepted socket
//
// The protocol itself is the sans-I/O core in ws/ (frame parsing, masking, UTF-8, close
// codes, the opening handshake); this class only moves bytes, owns the buffers and keeps
// the deadlines. Every operation takes any Asio completion token: a callback,
// asio::use_awaitable, asio::use_future, asio::deferred, ...
//
// Operations and their completion signatures:
//   async_handshake(request)  client  void(std::error_code)
//   async_accept([check])     server  void(std::error_code)
//   async_read()                      void(std::error_code, ws_message)
//   async_write(op, payload)          void(std::error_code)    (also _text, _binary)
//   async_write_many(op, payloads)    void(std::error_code)    (several messages, few writes)
//   async_ping(payload)               void(std::error_code)
//   async_close(code, reason)         void(std::error_code)
//
// Concurrency (the same rules as Beast): at most one read and one write-side operation
// (write, ping or close) may be pending at a time; a read and a write may be pending
// together (full duplex). Pongs, Close replies and liveness Pings the stream sends on its
// own are queued behind the caller's write, never interleaved with it. The stream is not
// thread-safe: run it on one thread, or give its socket a strand as executor.
//
// Lifetimes: a received message views the stream's receive buffer until the next read;
// a payload given to a write must stay valid until that write completes; the strings a
// client_request views must stay valid until async_handshake completes.
//
// Memory: the receive buffer grows to the largest message (bounded by
// max_message_size) and the write buffer is allocated once; after that, reading and
// writing messages allocates nothing (tests/net/test_ws_alloc.cpp proves it).
//
// Ending: the read that sees the peer's Close completes with net::error::closed after
// answering it (close_reason() tells the peer's code); a protocol violation by the peer
// fails the read with its tradewire.ws error after sending the matching close code
// (1002, 1007, 1009, ...); a transport that ends without a Close frame fails it with
// net::error::connection_lost.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/net/detail/transport.hpp>
#include <tradewire/net/detail/ws_impl.hpp>
#include <tradewire/net/detail/ws_ops.hpp>
#include <tradewire/net/error.hpp>
#include <tradewire/net/ws_options.hpp>
#include <tradewire/ws/close.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/handshake.hpp>
#include <tradewire/ws/opcode.hpp>
#include <tradewire/ws/role.hpp>

#include <asio/async_result.hpp>
#include <asio/compose.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace tradewire::net {

// An accept check that lets every valid upgrade through.
struct accept_any {
    ws_accept_decision operator()(const ws::server_handshake&) const noexcept {
        return ws_accept_decision::allow();
    }
};

template <class Check>
concept ws_accept_check = requires(Check& c, const ws::server_handshake& hs) {
    { c(hs) } -> std::convertible_to<ws_accept_decision>;
};

template <class NextLayer, ws::role Role = ws::client_role>
class ws_stream {
    using impl_type = detail::ws_impl<NextLayer, Role>;

public:
    using next_layer_type = NextLayer;
    using executor_type = typename NextLayer::executor_type;
    using role_type = Role;
    static constexpr bool is_client = Role::sends_masked;

    // Constructs the next layer from the arguments (an io_context or executor for a
    // socket; a socket, or an executor and a TLS context, for a TLS stream).
    template <class... Args>
    requires std::constructible_from<NextLayer, Args...>
    explicit ws_stream(Args&&... args) : impl_(std::make_shared<impl_type>(std::forward<Args>(args)...)) {}

    ws_stream(ws_stream&&) noexcept = default;
    ws_stream& operator=(ws_stream&& other) noexcept {
        if (this != &other) {
            shut();
            impl_ = std::move(other.impl_);
        }
        return *this;
    }
    ws_stream(const ws_stream&) = delete;
    ws_stream& operator=(const ws_stream&) = delete;

    // Destroying the stream closes the transport; pending operations complete with
    // operation_aborted (or the timeout that was running).
    ~ws_stream() { shut(); }

    executor_type get_executor() noexcept { return impl_->next.get_executor(); }
    NextLayer& next_layer() noexcept { return impl_->next; }
    const NextLayer& next_layer() const noexcept { return impl_->next; }
    decltype(auto) lowest_layer() noexcept { return detail::lowest_layer(impl_->next); }

    // Options take effect for the next handshake or accept; set them before it.
    void set_options(const ws_stream_options& options) { impl_->apply_options(options); }
    [[nodiscard]] const ws_stream_options& options() const noexcept { return impl_->opts; }

    // Called with every Ping and Pong received (opcode::ping or opcode::pong, payload),
    // before the automatic Pong goes out. Runs inside the read operation: keep it short.
    void set_control_callback(std::function<void(ws::opcode, const_bytes)> callback) {
        impl_->control_callback = std::move(callback);
    }

    // True between a successful handshake or accept and the start of the close.
    [[nodiscard]] bool is_open() const noexcept { return impl_->st == detail::ws_status::open; }

    // The peer's Close frame once received (code no_status when it carried none);
    // code abnormal (1006) when none was received. The reason is copied into the stream.
    [[nodiscard]] ws::close_reason close_reason() const noexcept {
        ws::close_reason r;
        r.code = impl_->peer_code;
        r.reason = std::string_view(impl_->peer_reason.data(), impl_->peer_reason_size);
        return r;
    }
    [[nodiscard]] bool close_received() const noexcept { return impl_->peer_closed; }

    // Client: the server's response once received (status, fields), e.g. to report
    // "HTTP 403" after async_handshake failed with handshake_error::unexpected_status.
    [[nodiscard]] const ws::client_handshake* handshake() const noexcept requires is_client {
        return impl_->hs ? &*impl_->hs : nullptr;
    }

    // Server: the upgrade request once received (path, query, fields).
    [[nodiscard]] const ws::server_handshake& handshake() const noexcept requires(!is_client) {
        return impl_->hs;
    }

    // ----- Opening -----------------------------------------------------------------------

    // Client: sends the upgrade request for `request` over the connected next layer
    // and validates the 101 answer (RFC 6455 section 4.1), within handshake_timeout.
    template <class Token = asio::default_completion_token_t<executor_type>>
    requires is_client auto async_handshake(
        const ws::client_request& request,
        Token&& token = asio::default_completion_token_t<executor_type>{}) {
        return asio::async_compose<Token, void(std::error_code)>(
            detail::ws_handshake_op<impl_type>{impl_, request}, token, impl_->next);
    }

    // Server: reads and validates the upgrade request, asks `check` (for example for a
    // bearer token), and answers 101, or the check's error status, or 400/405/426/431
    // for a bad request; within handshake_timeout. A refused request completes with
    // net::error::handshake_rejected or the validation error and closes the transport.
    template <class Check, class Token = asio::default_completion_token_t<executor_type>>
    requires(!is_client && ws_accept_check<Check>) auto async_accept(
        Check check, Token&& token = asio::default_completion_token_t<executor_type>{}) {
        return asio::async_compose<Token, void(std::error_code)>(
            detail::ws_accept_op<impl_type, Check>{impl_, std::move(check)}, token, impl_->next);
    }

    template <class Token = asio::default_completion_token_t<executor_type>>
    requires(!is_client && !ws_accept_check<std::remove_cvref_t<Token>>) auto async_accept(
        Token&& token = asio::default_completion_token_t<executor_type>{}) {
        return async_accept(accept_any{}, std::forward<Token>(token));
    }

    // ----- Messages ----------------------------------------------------------------------

    // Reads the next whole message. Pings are answered and Pongs consumed on the way.
    template <class Token = asio::default_completion_token_t<executor_type>>
    auto async_read(Token&& token = asio::default_completion_token_t<executor_type>{}) {
        return asio::async_compose<Token, void(std::error_code, ws_message)>(
            detail::ws_read_op<impl_type>{impl_}, token, impl_->next);
    }

    // Writes one whole message (op is text or binary) as a single frame. Text is sent
    // as given (the SDK builds its own JSON; validate foreign text with ws/utf8.hpp).
    template <class Token = asio::default_completion_token_t<executor_type>>
    auto async_write(ws::opcode op, const_bytes payload,
                     Token&& token = asio::default_completion_token_t<executor_type>{}) {
        if (ws::is_control(op)) op = ws::opcode(0x3);  // refused by the operation: use async_ping
        return start_write(op, payload, std::forward<Token>(token));
    }

    template <class Token = asio::default_completion_token_t<executor_type>>
    auto async_write_text(std::string_view text,
                          Token&& token = asio::default_completion_token_t<executor_type>{}) {
        return start_write(ws::opcode::text, as_bytes(text), std::forward<Token>(token));
    }

    template <class Token = asio::default_completion_token_t<executor_type>>
    auto async_write_binary(const_bytes data,
                            Token&& token = asio::default_completion_token_t<executor_type>{}) {
        return start_write(ws::opcode::binary, data, std::forward<Token>(token));
    }

    // Writes several whole messages, each one frame with opcode `op` (text or binary),
    // in order, packed back to back into the write buffer: a buffer-full of small
    // messages (write_buffer_size) leaves in one transport write (one TLS record) instead
    // of one per message. For bursts such as a batch of orders or subscriptions. The span
    // and the bytes it views must stay valid until completion. Completion
    // void(std::error_code); on an error, some of the messages may have been sent.
    template <class Token = asio::default_completion_token_t<executor_type>>
    auto async_write_many(ws::opcode op, std::span<const const_bytes> payloads,
                          Token&& token = asio::default_completion_token_t<executor_type>{}) {
        return asio::async_compose<Token, void(std::error_code)>(
            detail::ws_write_many_op<impl_type>{impl_, op, payloads.data(), payloads.size()}, token, impl_->next);
    }

    // Sends a Ping (payload at most 125 bytes); the Pong shows up in the control
    // callback. Completes when the Ping is written.
    template <class Token = asio::default_completion_token_t<executor_type>>
    auto async_ping(const_bytes payload, Token&& token = asio::default_completion_token_t<executor_type>{}) {
        return start_write(ws::opcode::ping, payload, std::forward<Token>(token));
    }

    // Sends an unsolicited Pong (a one-way heartbeat some servers expect).
    template <class Token = asio::default_completion_token_t<executor_type>>
    auto async_pong(const_bytes payload, Token&& token = asio::default_completion_token_t<executor_type>{}) {
        return start_write(ws::opcode::pong, payload, std::forward<Token>(token));
    }

    // ----- Closing -----------------------------------------------------------------------

    // Sends a Close frame with `code` and `reason` (at most 123 bytes of UTF-8), waits for
    // the peer's Close within close_timeout, then shuts the transport down (TLS
    // close_notify, then the socket). Completes without error when the close handshake
    // finished. If a read is pending it keeps receiving the messages the peer sent before
    // its Close and then completes with net::error::closed; otherwise the close reads and
    // discards them itself.
    template <class Token = asio::default_completion_token_t<executor_type>>
    auto async_close(ws::close_code code, std::string_view reason = {},
                     Token&& token = asio::default_completion_token_t<executor_type>{}) {
        detail::ws_close_op<impl_type> op{impl_, code};
        if (const ws::error e = ws::check_close(code, reason); e != ws::error{}) {
            op.invalid = e;
        } else if (!reason.empty()) {  // an empty view may carry a null pointer, which memcpy must not get
            std::memcpy(op.reason.data(), reason.data(), reason.size());
            op.reason_size = reason.size();
        }
        return asio::async_compose<Token, void(std::error_code)>(std::move(op), token, impl_->next);
    }

private:
    template <class Token>
    auto start_write(ws::opcode op, const_bytes payload, Token&& token) {
        return asio::async_compose<Token, void(std::error_code)>(
            detail::ws_write_op<impl_type>{impl_, op, payload.data(), payload.size()}, token, impl_->next);
    }

    void shut() noexcept {
        if (!impl_) return;
        impl_->stop_liveness();
        impl_->cancel_deadline();
        detail::close_lowest_layer(impl_->next);
    }

    std::shared_ptr<impl_type> impl_;
};

}  // namespace tradewire::net
