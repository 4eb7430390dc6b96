// The tradewire side of the interoperability tests, shared by the Node and Python
// variants: a client that runs the message battery and the peer's commands against a
// peer echo server (tests/interop/ws_peer.*), and an echo server for a peer client. The
// payload patterns match text_payload()/binary_payload() in the peer scripts.
#pragma once

#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/connect.hpp>
#include <tradewire/net/tls.hpp>
#include <tradewire/net/ws_stream.hpp>

#include <optional>
#include <string>
#include <vector>

namespace net_test {

inline std::string peer_text(std::size_t n) {
    std::string s(n, ' ');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7 + 13) % 94 + 33);
    return s;
}

inline bytes peer_binary(std::size_t n) {
    bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * 31 + 7) & 0xFF);
    return b;
}

// The port a peer server printed ("PORT <n>"); 0 when it did not start.
inline std::uint16_t peer_port(child_process& peer) {
    for (int i = 0; i < 5; ++i) {
        const auto line = peer.read_line();
        if (!line) return 0;
        if (line->rfind("PORT ", 0) == 0) return static_cast<std::uint16_t>(std::stoi(line->substr(5)));
    }
    return 0;
}

struct interop_result {
    int echoed = 0;
    bool fragments_ok = false;
    bool ping_ok = false;
    std::error_code end{};
    int close_code = 0;
    std::string close_reason;
};

// Runs everything against an echo-server peer on `port` through `ws` (TCP or TLS).
template <class Stream>
asio::awaitable<void> drive_peer_echo_server(Stream& ws, const ws::client_request& request,
                                             interop_result& r) {
    co_await net::async_connect(ws, request, {}, use_awaitable);
    // Every size class, text and binary.
    std::vector<std::size_t> sizes = {0, 1, 125, 126, 127, 65535, 65536, 65537, std::size_t{8} << 20};
    for (std::size_t n : sizes) {
        const std::string text = peer_text(n);
        co_await ws.async_write_text(text, use_awaitable);
        auto m = co_await ws.async_read(use_awaitable);
        CHECK(m.is_text());
        CHECK(m.text() == text);
        const bytes bin = peer_binary(n);
        co_await ws.async_write_binary(bin, use_awaitable);
        m = co_await ws.async_read(use_awaitable);
        CHECK(m.is_binary());
        CHECK(same(m.payload, bin));
        r.echoed += 2;
    }
    // Fragmented messages from the peer (including more fragments than bytes).
    bool fragments = true;
    for (const char* cmd :
         {"cmd:fragments:5:100000:text", "cmd:fragments:9:3000000:binary", "cmd:fragments:4:2:text"}) {
        co_await ws.async_write_text(cmd, use_awaitable);
        auto m = co_await ws.async_read(use_awaitable);
        const std::string c(cmd);
        const bool binary = c.ends_with("binary");
        const std::size_t size = std::stoul(c.substr(c.find(':', 14) + 1));
        if (binary) {
            fragments = fragments && m.is_binary() && same(m.payload, peer_binary(size));
        } else {
            fragments = fragments && m.is_text() && m.text() == peer_text(size);
        }
    }
    r.fragments_ok = fragments;
    // The peer pings; the stream answers; the peer reports the pong's payload.
    co_await ws.async_write_text("cmd:ping:tw-check", use_awaitable);
    auto m = co_await ws.async_read(use_awaitable);
    r.ping_ok = m.text() == "pong:tw-check";
    // The peer closes with a code and reason.
    co_await ws.async_write_text("cmd:close:4002:peer is done", use_awaitable);
    auto [ec, last] = co_await ws.async_read(as_tuple_awaitable);
    r.end = ec;
    r.close_code = static_cast<int>(ws.close_reason().code);
    r.close_reason = std::string(ws.close_reason().reason);
}

inline void check_peer_echo_server_result(const interop_result& r) {
    CHECK(r.echoed == 18);
    CHECK(r.fragments_ok);
    CHECK(r.ping_ok);
    CHECK(r.end == net::error::closed);
    CHECK(r.close_code == 4002);
    CHECK(r.close_reason == "peer is done");
}

// A tradewire echo server for one peer client; records how the peer closed.
struct server_outcome {
    std::size_t messages = 0;
    bool fragmented_seen = false;
    std::error_code end{};
    int close_code = 0;
    std::string close_reason;
    std::string sni;
};

template <class Stream, class Accept>
asio::awaitable<void> echo_for_peer(listener& lst, Accept make_stream, server_outcome& out) {
    Stream ws = make_stream(co_await lst.acceptor.async_accept(use_awaitable));
    if constexpr (net::detail::is_ssl_stream_v<typename Stream::next_layer_type>) {
        co_await net::async_tls_accept(ws.next_layer(), use_awaitable);
        out.sni = std::string(net::tls_server_name(ws.next_layer()));
    }
    co_await ws.async_accept(use_awaitable);
    for (;;) {
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        if (ec) {
            out.end = ec;
            out.close_code = static_cast<int>(ws.close_reason().code);
            out.close_reason = std::string(ws.close_reason().reason);
            co_return;
        }
        ++out.messages;
        if (m.size() == 100000 || m.size() == 300000) out.fragmented_seen = true;
        co_await ws.async_write(m.op, m.payload, use_awaitable);
    }
}

inline void check_server_outcome(const server_outcome& out) {
    CHECK(out.messages == 20);
    CHECK(out.fragmented_seen);
    CHECK(out.end == net::error::closed);
    CHECK(out.close_code == 4001);
    CHECK(out.close_reason == "bye");
}

// Runs the io_context in this thread while the peer client runs; the peer's verdict.
inline std::string run_with_peer_client(asio::io_context& io, child_process& peer) {
    std::optional<std::string> verdict;
    // The peer writes its verdict after closing; read it once the io work is done.
    const bool finished = run_io(io, 120s);
    verdict = peer.read_line(30000ms);
    const int status = peer.wait(30000ms);
    if (!finished) return "io did not finish";
    if (!verdict) return "no verdict from the peer";
    if (status != 0 && *verdict == "OK") return "peer exited with " + std::to_string(status);
    return *verdict;
}

}  // namespace net_test
