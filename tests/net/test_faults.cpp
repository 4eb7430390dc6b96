// ws_stream against misbehaving peers, scripted on raw sockets: a server that closes in
// the middle of a frame, resets, stops reading, never answers the handshake, answers it
// wrongly, sends a frame over the limit or breaks the protocol, ignores our Close; and a
// client that sends garbage or the wrong version to a server stream. Every case must end
// in a clear error (and the right close code on the wire), never a crash or a hang.
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/ws_stream.hpp>
#include <tradewire/ws/frame.hpp>
#include <tradewire/ws/reader.hpp>
#include <tradewire/ws/writer.hpp>

#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include <string>
#include <vector>

using namespace net_test;

namespace {

// The server side of an upgrade, by hand: reads the request, answers with `response`
// (or a correct 101 when empty).
asio::awaitable<void> raw_handshake(tcp::socket& sock, std::string response = {}) {
    std::string head(8192, '\0');
    std::size_t have = 0;
    ws::server_handshake hs;
    std::error_code ec;
    for (;;) {
        have += co_await sock.async_read_some(asio::buffer(head.data() + have, head.size() - have),
                                              use_awaitable);
        hs.read_request(std::string_view(head.data(), have), ec);
        if (ec != tradewire::http_error::need_more) break;
    }
    REQUIRE_FALSE(ec);
    if (response.empty()) {
        response.resize(1024);
        const std::size_t n = hs.write_accept({}, std::span<char>(response.data(), response.size()), ec);
        REQUIRE_FALSE(ec);
        response.resize(n);
    }
    co_await asio::async_write(sock, asio::buffer(response), use_awaitable);
}

template <class Role = ws::server_role>
bytes frame(ws::opcode op, const bytes& payload, bool fin = true) {
    ws::frame_writer<Role> w;
    bytes f(ws::frame_writer<Role>::frame_size(payload.size()));
    const auto r = w.write(f, op, payload, fin);
    REQUIRE(r.ok());
    return f;
}

// The next frame event the client sent (a server-role reader checks its masking).
struct client_frame {
    ws::event_type type{};
    bytes payload;
    ws::close_code code{};
};

asio::awaitable<client_frame> read_client_frame(tcp::socket& sock,
                                                ws::message_reader<ws::server_role>& reader) {
    for (;;) {
        const ws::read_event ev = reader.next();
        if (ev.type != ws::event_type::need_more) {
            co_return client_frame{ev.type, bytes(ev.payload.begin(), ev.payload.end()), ev.code};
        }
        const auto space = reader.prepare(4096);
        const std::size_t n =
            co_await sock.async_read_some(asio::buffer(space.data(), space.size()), use_awaitable);
        reader.commit(n);
    }
}

// Connects a client stream and completes the handshake with the raw server.
asio::awaitable<std::error_code> open_client(client_stream& ws, std::uint16_t port, request_holder& req) {
    co_await net::async_connect(ws.next_layer(), "127.0.0.1", port, {}, use_awaitable);
    auto [ec] = co_await ws.async_handshake(req.request, as_tuple_awaitable);
    co_return ec;
}

}  // namespace

TEST_CASE("faults: the server closes in the middle of a frame: connection_lost") {
    asio::io_context io;
    listener lst(io);
    spawn(io, [&]() -> asio::awaitable<void> {
        auto sock = co_await lst.acceptor.async_accept(use_awaitable);
        co_await raw_handshake(sock);
        const bytes f = frame(ws::opcode::text, bytes(1000, 'a'));
        co_await asio::async_write(sock, asio::buffer(f.data(), 600),
                                   use_awaitable);  // header + part of the payload
        sock.shutdown(tcp::socket::shutdown_send);
        co_await asio::steady_timer(io, 100ms).async_wait(use_awaitable);
    });
    std::error_code result;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        const std::error_code opened = co_await open_client(ws, lst.port(), req);
        REQUIRE_FALSE(opened);
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        result = ec;
        CHECK_FALSE(ws.is_open());
        CHECK(ws.close_reason().code == ws::close_code::abnormal);
    });
    REQUIRE(run_io(io));
    CHECK(result == net::error::connection_lost);
}

TEST_CASE("faults: the server resets the connection: connection_reset") {
    asio::io_context io;
    listener lst(io);
    spawn(io, [&]() -> asio::awaitable<void> {
        auto sock = co_await lst.acceptor.async_accept(use_awaitable);
        co_await raw_handshake(sock);
        sock.set_option(asio::socket_base::linger(true, 0));  // close() sends RST
        sock.close();
    });
    std::error_code result;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        const std::error_code opened = co_await open_client(ws, lst.port(), req);
        REQUIRE_FALSE(opened);
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        result = ec;
    });
    REQUIRE(run_io(io));
    CHECK(result == asio::error::connection_reset);
}

TEST_CASE("faults: a server that stops reading blocks our writes without harm, its reset ends them") {
    asio::io_context io;
    listener lst(io);
    std::optional<tcp::socket> server_sock;
    bool reset_sent = false;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_sock.emplace(co_await lst.acceptor.async_accept(use_awaitable));
        co_await raw_handshake(*server_sock);
        // Read nothing more; after a while, reset.
        co_await asio::steady_timer(io, 700ms).async_wait(use_awaitable);
        server_sock->set_option(asio::socket_base::linger(true, 0));
        server_sock->close();
        reset_sent = true;
    });
    std::size_t completed = 0;
    std::size_t completed_before_reset = 0;
    std::error_code write_error, read_error;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        const std::error_code opened = co_await open_client(ws, lst.port(), req);
        REQUIRE_FALSE(opened);
        // A read stays pending the whole time (full duplex under backpressure).
        ws.async_read([&](std::error_code ec, net::ws_message) { read_error = ec; });
        const bytes big = pattern(1 << 20);
        for (;;) {
            auto [ec] = co_await ws.async_write_binary(big, as_tuple_awaitable);
            if (ec) {
                write_error = ec;
                break;
            }
            ++completed;
            if (!reset_sent) completed_before_reset = completed;
        }
        auto [ec] = co_await ws.async_write_text("after", as_tuple_awaitable);
        CHECK(ec);
    });
    REQUIRE(run_io(io));
    // The kernel buffers hold a few MiB at most: most of the 700 ms were spent waiting.
    CHECK(completed_before_reset < 64);
    CHECK(write_error);
    CHECK(read_error);
}

TEST_CASE("faults: a server that never answers the handshake: handshake_timeout") {
    asio::io_context io;
    listener lst(io);
    std::optional<tcp::socket> silent;
    lst.acceptor.async_accept([&](std::error_code ec, tcp::socket s) {
        if (!ec) silent.emplace(std::move(s));
    });
    std::error_code result;
    const auto started = std::chrono::steady_clock::now();
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        net::ws_stream_options o;
        o.handshake_timeout = 300ms;
        ws.set_options(o);
        request_holder req(lst.port());
        result = co_await open_client(ws, lst.port(), req);
        CHECK_FALSE(ws.is_open());
        silent.reset();
    });
    REQUIRE(run_io(io));
    CHECK(result == net::error::handshake_timeout);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE("faults: a wrong Sec-WebSocket-Accept or a non-101 status fails the handshake") {
    const std::string wrong_accept =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    const std::string forbidden =
        "HTTP/1.1 403 Forbidden\r\nContent-Length: 6\r\nConnection: close\r\n\r\nno way";
    const std::string garbage = "SSH-2.0-OpenSSH_9.2\r\n\r\n";
    for (const auto& row : std::vector<std::tuple<std::string, std::error_code, unsigned>>{
             {wrong_accept, ws::handshake_error::bad_accept, 101},
             {forbidden, ws::handshake_error::unexpected_status, 403},
             {garbage, tradewire::http_error::bad_version, 0}}) {
        // Named references, not a structured binding: the lambdas below capture `response`,
        // and clang before 16 cannot capture a structured binding.
        const std::string& response = std::get<0>(row);
        const std::error_code& expected = std::get<1>(row);
        const unsigned status = std::get<2>(row);
        asio::io_context io;
        listener lst(io);
        spawn(io, [&]() -> asio::awaitable<void> {
            auto sock = co_await lst.acceptor.async_accept(use_awaitable);
            co_await raw_handshake(sock, response);
            co_await asio::steady_timer(io, 100ms).async_wait(use_awaitable);
        });
        std::error_code result;
        unsigned seen_status = 0;
        spawn(io, [&]() -> asio::awaitable<void> {
            client_stream ws(io);
            request_holder req(lst.port());
            result = co_await open_client(ws, lst.port(), req);
            if (ws.handshake()) seen_status = ws.handshake()->result().status;
            auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
            CHECK(ec == result);  // the failure sticks
        });
        REQUIRE(run_io(io));
        CAPTURE(response);
        CHECK(result == expected);
        CHECK(seen_status == status);
    }
}

TEST_CASE("faults: a frame over the limit fails the read with message_too_big and sends close 1009") {
    asio::io_context io;
    listener lst(io);
    client_frame reply;
    spawn(io, [&]() -> asio::awaitable<void> {
        auto sock = co_await lst.acceptor.async_accept(use_awaitable);
        co_await raw_handshake(sock);
        const bytes ok = frame(ws::opcode::binary, bytes(1000, 1));
        const bytes big = frame(ws::opcode::binary, bytes(5000, 2));
        co_await asio::async_write(sock, asio::buffer(ok), use_awaitable);
        co_await asio::async_write(sock, asio::buffer(big), use_awaitable);
        ws::message_reader<ws::server_role> reader;
        reply = co_await read_client_frame(sock, reader);
    });
    std::error_code result;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        net::ws_stream_options o;
        o.max_message_size = 1000;
        ws.set_options(o);
        request_holder req(lst.port());
        const std::error_code opened = co_await open_client(ws, lst.port(), req);
        REQUIRE_FALSE(opened);
        auto m = co_await ws.async_read(use_awaitable);
        CHECK(m.size() == 1000);
        auto [ec, m2] = co_await ws.async_read(as_tuple_awaitable);
        result = ec;
    });
    REQUIRE(run_io(io));
    CHECK(result == ws::error::message_too_big);
    CHECK(reply.type == ws::event_type::close);
    CHECK(reply.code == ws::close_code::message_too_big);
}

TEST_CASE("faults: protocol violations fail the read and send the matching close code") {
    struct violation {
        bytes wire;
        std::error_code expected;
        ws::close_code code;
    };
    const std::vector<violation> cases = {
        {frame<ws::client_role>(ws::opcode::text, {'h', 'i'}), ws::error::masked_frame,
         ws::close_code::protocol_error},
        {frame(ws::opcode::text, {0xC3, 0x28}), ws::error::invalid_utf8, ws::close_code::invalid_payload},
        {bytes{0x83, 0x00}, ws::error::reserved_opcode, ws::close_code::protocol_error},
        {bytes{0x80, 0x01, 'x'}, ws::error::unexpected_continuation, ws::close_code::protocol_error},
    };
    for (const violation& v : cases) {
        asio::io_context io;
        listener lst(io);
        client_frame reply;
        spawn(io, [&]() -> asio::awaitable<void> {
            auto sock = co_await lst.acceptor.async_accept(use_awaitable);
            co_await raw_handshake(sock);
            co_await asio::async_write(sock, asio::buffer(v.wire), use_awaitable);
            ws::message_reader<ws::server_role> reader;
            reply = co_await read_client_frame(sock, reader);
        });
        std::error_code result;
        spawn(io, [&]() -> asio::awaitable<void> {
            client_stream ws(io);
            request_holder req(lst.port());
            const std::error_code opened = co_await open_client(ws, lst.port(), req);
            REQUIRE_FALSE(opened);
            auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
            result = ec;
        });
        REQUIRE(run_io(io));
        CAPTURE(v.expected.message());
        CHECK(result == v.expected);
        CHECK(reply.type == ws::event_type::close);
        CHECK(reply.code == v.code);
    }
}

TEST_CASE("faults: a server that sends Close and drops the connection at once still ends in closed") {
    asio::io_context io;
    listener lst(io);
    spawn(io, [&]() -> asio::awaitable<void> {
        auto sock = co_await lst.acceptor.async_accept(use_awaitable);
        co_await raw_handshake(sock);
        ws::frame_writer<ws::server_role> w;
        bytes f(64);
        const auto r = w.close(f, ws::close_code::going_away, "restart");
        co_await asio::async_write(sock, asio::buffer(f.data(), r.size), use_awaitable);
        sock.set_option(asio::socket_base::linger(true, 0));
        sock.close();
    });
    std::error_code result;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        const std::error_code opened = co_await open_client(ws, lst.port(), req);
        REQUIRE_FALSE(opened);
        co_await asio::steady_timer(io, 100ms).async_wait(use_awaitable);  // let the reset arrive first
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        result = ec;
        if (ec == net::error::closed) CHECK(ws.close_reason().code == ws::close_code::going_away);
    });
    REQUIRE(run_io(io));
    // The reset may destroy the unread Close in the kernel; either way the end is clear.
    CHECK((result == net::error::closed || result == asio::error::connection_reset));
}

TEST_CASE("faults: a peer that ignores our Close: close_timeout") {
    asio::io_context io;
    listener lst(io);
    std::optional<tcp::socket> keep;
    spawn(io, [&]() -> asio::awaitable<void> {
        keep.emplace(co_await lst.acceptor.async_accept(use_awaitable));
        co_await raw_handshake(*keep);
    });
    std::error_code close_result, read_result;
    const auto started = std::chrono::steady_clock::now();
    std::chrono::steady_clock::duration took{};
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        net::ws_stream_options o;
        o.close_timeout = 300ms;
        ws.set_options(o);
        request_holder req(lst.port());
        const std::error_code opened = co_await open_client(ws, lst.port(), req);
        REQUIRE_FALSE(opened);
        SECTION("without a pending read") {
            auto [ec] = co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
            close_result = ec;
        }
        SECTION("with a pending read") {
            ws.async_read([&](std::error_code ec, net::ws_message) { read_result = ec; });
            auto [ec] = co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
            close_result = ec;
        }
        took = std::chrono::steady_clock::now() - started;
        keep.reset();
    });
    REQUIRE(run_io(io));
    CHECK(close_result == net::error::close_timeout);
    CHECK(took < 5s);
    if (read_result) CHECK(read_result == net::error::close_timeout);
}

TEST_CASE("faults: a server stream answers garbage with 400 and a wrong version with 426") {
    for (const auto& row : std::vector<std::tuple<std::string, std::string, std::error_code>>{
             {"hello there\r\n\r\n", "HTTP/1.1 400", tradewire::http_error::bad_target},
             {"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 12\r\n\r\n",
              "HTTP/1.1 426", ws::handshake_error::unsupported_version},
             {"POST / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 405", ws::handshake_error::bad_method}}) {
        const std::string& request = std::get<0>(row);  // captured below: no structured binding (clang < 16)
        const std::string& status = std::get<1>(row);
        const std::error_code& expected = std::get<2>(row);
        asio::io_context io;
        listener lst(io);
        std::error_code server_result;
        spawn(io, [&]() -> asio::awaitable<void> {
            server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
            auto [ec] = co_await ws.async_accept(as_tuple_awaitable);
            server_result = ec;
        });
        std::string answer;
        spawn(io, [&]() -> asio::awaitable<void> {
            tcp::socket sock(io);
            co_await sock.async_connect({asio::ip::address_v4::loopback(), lst.port()}, use_awaitable);
            co_await asio::async_write(sock, asio::buffer(request), use_awaitable);
            std::string buf(4096, '\0');
            for (;;) {
                auto [ec, n] = co_await sock.async_read_some(asio::buffer(buf), as_tuple_awaitable);
                if (ec) break;
                answer.append(buf.data(), n);
            }
        });
        REQUIRE(run_io(io));
        CAPTURE(request);
        CHECK(server_result == expected);
        CHECK(answer.rfind(status, 0) == 0);
    }
}

TEST_CASE("faults: a client that never sends its upgrade request: handshake_timeout on the server") {
    asio::io_context io;
    listener lst(io);
    std::error_code server_result;
    std::optional<tcp::socket> idle_client;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        net::ws_stream_options o;
        o.handshake_timeout = 300ms;
        ws.set_options(o);
        auto [ec] = co_await ws.async_accept(as_tuple_awaitable);
        server_result = ec;
        idle_client.reset();
    });
    idle_client.emplace(io);
    idle_client->async_connect({asio::ip::address_v4::loopback(), lst.port()}, [](std::error_code) {});
    REQUIRE(run_io(io));
    CHECK(server_result == net::error::handshake_timeout);
}
