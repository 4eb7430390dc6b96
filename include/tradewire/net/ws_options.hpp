// The value types of net::ws_stream: its options, a received message, and the answer of
// a server's accept check. Kept apart from ws_stream.hpp so code that only configures
// streams or inspects messages does not pull in Asio's I/O machinery.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/http.hpp>
#include <tradewire/net/liveness.hpp>
#include <tradewire/ws/handshake.hpp>
#include <tradewire/ws/opcode.hpp>

#include <chrono>
#include <cstddef>
#include <span>
#include <string_view>

namespace tradewire::net {

struct ws_stream_options {
    // Largest message accepted; a bigger one fails the connection with close code 1009.
    std::size_t max_message_size = std::size_t{64} << 20;
    // Free space asked of the receive buffer before each transport read.
    std::size_t read_size = 16 * 1024;
    // One buffer per stream, allocated on the first write: small messages are written
    // from it in one system call with their header; a client masks larger ones through
    // it in chunks of this size (the caller's payload is never modified). A server
    // writes a message larger than this straight from the caller's buffer.
    std::size_t write_buffer_size = 64 * 1024;
    // Deadlines; zero means none. The handshake deadline covers the WebSocket opening
    // handshake (and, through net::async_connect, TLS); the close deadline covers
    // waiting for the peer's Close after ours and the TLS shutdown that follows.
    std::chrono::steady_clock::duration handshake_timeout = std::chrono::seconds(10);
    std::chrono::steady_clock::duration close_timeout = std::chrono::seconds(5);
    // Half-open connection detection (off by default).
    liveness_options liveness{};
    // Answer Pings with Pongs automatically (RFC 6455 requires an answer; turn this off
    // only to test a peer's liveness logic).
    bool auto_pong = true;
    // Limits of the opening handshake's HTTP head.
    http_limits http{};
};

// A complete message as delivered by ws_stream::async_read. The payload views the
// stream's receive buffer and stays valid until the next read on that stream.
struct ws_message {
    ws::opcode op = ws::opcode::text;  // text or binary
    const_bytes payload{};

    [[nodiscard]] bool is_text() const noexcept { return op == ws::opcode::text; }
    [[nodiscard]] bool is_binary() const noexcept { return op == ws::opcode::binary; }
    [[nodiscard]] std::string_view text() const noexcept { return as_text(payload); }
    [[nodiscard]] std::size_t size() const noexcept { return payload.size(); }
};

// What a server's accept check answers for an upgrade request that passed RFC 6455
// validation: accept (101, with a chosen subprotocol or extra fields), or refuse with an
// HTTP error status such as 401 for a missing or wrong bearer token (with the
// WWW-Authenticate field RFC 7235 requires of a 401 in error_fields). Views must stay
// valid until the accept operation completes.
struct ws_accept_decision {
    unsigned status = 0;          // 0: accept; otherwise 400-599
    std::string_view body{};      // error response body (plain text)
    std::span<const http_field> error_fields{};  // error response fields, e.g. WWW-Authenticate for a 401
    ws::accept_options accept{};  // 101 response options

    static ws_accept_decision allow(const ws::accept_options& options = {}) noexcept {
        ws_accept_decision d;
        d.accept = options;
        return d;
    }
    static ws_accept_decision reject(unsigned http_status, std::string_view text = {},
                                     std::span<const http_field> fields = {}) noexcept {
        ws_accept_decision d;
        d.status = http_status;
        d.body = text;
        d.error_fields = fields;
        return d;
    }
    [[nodiscard]] bool accepted() const noexcept { return status == 0; }
};

}  // namespace tradewire::net
