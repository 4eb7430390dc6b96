// net::ws_stream against itself over loopback TCP: every message size class, text and
// binary, pings and pongs, close codes and reasons from either side, full-duplex writes
// under a pending read, fragmented messages from a peer, the accept check, the size
// limit, options and misuse.
#include "catch.hpp"
#include "net_test_support.hpp"

#include <tradewire/net/connect.hpp>
#include <tradewire/net/ws_stream.hpp>
#include <tradewire/ws/frame.hpp>
#include <tradewire/ws/writer.hpp>

#include <asio/read.hpp>
#include <asio/write.hpp>

#include <string>
#include <vector>

using namespace net_test;

namespace {

// Accepts one connection and echoes every message with its opcode until the
// connection ends; records how it ended.
struct echo_server {
    asio::io_context& io;
    listener lst;
    net::ws_stream_options options{};
    std::error_code end{};
    ws::close_reason peer_close{};
    std::string peer_reason;
    std::size_t messages = 0;

    explicit echo_server(asio::io_context& ctx) : io(ctx), lst(ctx) {}

    asio::awaitable<void> run() {
        auto sock = co_await lst.acceptor.async_accept(use_awaitable);
        server_stream ws(std::move(sock));
        ws.set_options(options);
        co_await ws.async_accept(use_awaitable);
        for (;;) {
            auto [ec, msg] = co_await ws.async_read(as_tuple_awaitable);
            if (ec) {
                end = ec;
                peer_close = ws.close_reason();
                peer_reason = std::string(peer_close.reason);
                co_return;
            }
            ++messages;
            co_await ws.async_write(msg.op, msg.payload, use_awaitable);
        }
    }
};

}  // namespace

TEST_CASE("ws_stream: text and binary messages of every size class round-trip") {
    asio::io_context io;
    echo_server server(io);
    spawn(io, server.run());
    const std::vector<std::size_t> sizes = {0, 1, 125, 126, 127, 65535, 65536, 65537, std::size_t{8} << 20};
    std::size_t checked = 0;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(server.lst.port(), "/echo?x=1");
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", server.lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        CHECK(ws.is_open());
        for (std::size_t size : sizes) {
            const std::string text = text_pattern(size, static_cast<std::uint32_t>(size));
            co_await ws.async_write_text(text, use_awaitable);
            auto m = co_await ws.async_read(use_awaitable);
            CHECK(m.is_text());
            CHECK(m.text() == text);
            const bytes bin = pattern(size, static_cast<std::uint32_t>(size) + 7);
            co_await ws.async_write_binary(bin, use_awaitable);
            m = co_await ws.async_read(use_awaitable);
            CHECK(m.is_binary());
            CHECK(same(m.payload, bin));
            ++checked;
        }
        co_await ws.async_close(ws::close_code::normal, "done", use_awaitable);
        CHECK_FALSE(ws.is_open());
    });
    REQUIRE(run_io(io, 60s));
    CHECK(checked == sizes.size());
    CHECK(server.messages == 2 * sizes.size());
    CHECK(server.end == net::error::closed);
    CHECK(server.peer_close.code == ws::close_code::normal);
    CHECK(server.peer_reason == "done");
}

TEST_CASE("ws_stream: async_write_many sends a batch of messages in order, both roles, small and large") {
    asio::io_context io;
    listener lst(io);
    // Sizes around the write buffer (set to 4096 below): frames that fit many to a write,
    // one that fills it exactly, and ones that span several writes.
    const std::vector<std::size_t> sizes = {0, 1, 125, 126, 200, 200, 4082, 4096, 4097, 65536, 0, 200000, 3};
    std::vector<std::string> texts;
    for (std::size_t k = 0; k < sizes.size(); ++k) texts.push_back(text_pattern(sizes[k], static_cast<std::uint32_t>(k)));
    std::vector<tradewire::const_bytes> views;
    for (const auto& t : texts) views.push_back(tradewire::as_bytes(std::string_view(t)));
    net::ws_stream_options small_buffer;
    small_buffer.write_buffer_size = 4096;
    std::size_t server_got = 0;
    std::size_t client_got = 0;
    std::error_code bad_opcode;
    spawn(io, [&]() -> asio::awaitable<void> {
        auto sock = co_await lst.acceptor.async_accept(use_awaitable);
        server_stream ws(std::move(sock));
        ws.set_options(small_buffer);
        co_await ws.async_accept(use_awaitable);
        for (std::size_t k = 0; k < texts.size(); ++k) {
            auto m = co_await ws.async_read(use_awaitable);
            if (m.is_text() && m.text() == texts[k]) ++server_got;
        }
        co_await ws.async_write_many(ws::opcode::text, views, use_awaitable);  // and back, unmasked
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        CHECK(ec == net::error::closed);
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        ws.set_options(small_buffer);
        request_holder req(lst.port());
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        co_await ws.async_write_many(ws::opcode::text, views, use_awaitable);
        for (std::size_t k = 0; k < texts.size(); ++k) {
            auto m = co_await ws.async_read(use_awaitable);
            if (m.is_text() && m.text() == texts[k]) ++client_got;
        }
        auto [ec] = co_await ws.async_write_many(ws::opcode::ping, views, as_tuple_awaitable);
        bad_opcode = ec;
        auto [empty_ec] = co_await ws.async_write_many(ws::opcode::binary, {}, as_tuple_awaitable);
        CHECK_FALSE(empty_ec);
        co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
    });
    REQUIRE(run_io(io, 60s));
    CHECK(server_got == texts.size());
    CHECK(client_got == texts.size());
    CHECK(bad_opcode == ws::error::invalid_opcode);
}

TEST_CASE("ws_stream: the server closes with a code and reason, the client sees them and answers") {
    asio::io_context io;
    listener lst(io);
    std::error_code server_close_ec{1, std::generic_category()};
    std::error_code client_read_ec;
    ws::close_code client_saw{};
    std::string client_reason;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        co_await ws.async_accept(use_awaitable);
        auto m = co_await ws.async_read(use_awaitable);
        CHECK(m.text() == "hello");
        auto [ec] = co_await ws.async_close(ws::close_code(4001), "going away now", as_tuple_awaitable);
        server_close_ec = ec;
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        co_await ws.async_write_text("hello", use_awaitable);
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        client_read_ec = ec;
        client_saw = ws.close_reason().code;
        client_reason = std::string(ws.close_reason().reason);
        // After the close, reads and writes report it.
        auto [ec2, m2] = co_await ws.async_read(as_tuple_awaitable);
        CHECK(ec2 == net::error::closed);
        auto [ec3] = co_await ws.async_write_text("late", as_tuple_awaitable);
        CHECK(ec3 == net::error::closed);
    });
    REQUIRE(run_io(io));
    CHECK_FALSE(server_close_ec);
    CHECK(client_read_ec == net::error::closed);
    CHECK(static_cast<int>(client_saw) == 4001);
    CHECK(client_reason == "going away now");
}

TEST_CASE("ws_stream: pings are answered automatically and both sides see them in the control callback") {
    asio::io_context io;
    listener lst(io);
    std::vector<std::string> server_saw;
    std::vector<std::string> client_saw;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        ws.set_control_callback([&](ws::opcode op, const_bytes payload) {
            server_saw.push_back((op == ws::opcode::ping ? "ping:" : "pong:") +
                                 std::string(tradewire::as_text(payload)));
        });
        co_await ws.async_accept(use_awaitable);
        co_await ws.async_ping(tradewire::as_bytes("from-server"), use_awaitable);
        for (;;) {
            auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
            if (ec) break;
            co_await ws.async_write(m.op, m.payload, use_awaitable);
        }
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        ws.set_control_callback([&](ws::opcode op, const_bytes payload) {
            client_saw.push_back((op == ws::opcode::ping ? "ping:" : "pong:") +
                                 std::string(tradewire::as_text(payload)));
        });
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        co_await ws.async_ping(tradewire::as_bytes("from-client"), use_awaitable);
        co_await ws.async_ping({}, use_awaitable);
        co_await ws.async_write_text("after pings", use_awaitable);
        auto m = co_await ws.async_read(use_awaitable);
        CHECK(m.text() == "after pings");
        // A 126-byte ping is refused locally, and nothing breaks.
        const bytes big(126, 'x');
        auto [ec] = co_await ws.async_ping(big, as_tuple_awaitable);
        CHECK(ec == ws::error::control_frame_too_long);
        co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
    });
    REQUIRE(run_io(io));
    // The client answers the server's ping when it first reads, after its own two pings
    // and its text went out.
    REQUIRE(client_saw.size() == 3);
    CHECK(client_saw[0] == "ping:from-server");
    CHECK(client_saw[1] == "pong:from-client");
    CHECK(client_saw[2] == "pong:");
    REQUIRE(server_saw.size() == 3);
    CHECK(server_saw[0] == "ping:from-client");
    CHECK(server_saw[1] == "ping:");
    CHECK(server_saw[2] == "pong:from-server");
}

TEST_CASE("ws_stream: writes proceed while a read is pending (full duplex)") {
    asio::io_context io;
    echo_server server(io);
    spawn(io, server.run());
    constexpr int count = 200;
    int received = 0;
    bool in_order = true;
    client_stream ws(io);
    request_holder req(server.lst.port());
    std::function<void()> read_next = [&] {
        ws.async_read([&](std::error_code ec, net::ws_message m) {
            if (ec) return;
            in_order = in_order && m.text() == "msg " + std::to_string(received);
            if (++received == count) {
                ws.async_close(ws::close_code::normal, "", [](std::error_code) {});
            }
            read_next();
        });
    };
    std::vector<std::string> texts;
    for (int i = 0; i < count; ++i) texts.push_back("msg " + std::to_string(i));
    std::function<void(int)> write_next = [&](int i) {
        if (i == count) return;
        ws.async_write_text(texts[static_cast<std::size_t>(i)], [&, i](std::error_code ec) {
            REQUIRE_FALSE(ec);
            write_next(i + 1);
        });
    };
    net::async_connect(ws.next_layer(), "127.0.0.1", server.lst.port(), {},
                       [&](std::error_code ec, const tcp::endpoint&) {
                           REQUIRE_FALSE(ec);
                           ws.async_handshake(req.request, [&](std::error_code hec) {
                               REQUIRE_FALSE(hec);
                               read_next();    // a read is pending from now on
                               write_next(0);  // and the writes go out under it
                           });
                       });
    REQUIRE(run_io(io));
    CHECK(received == count);
    CHECK(in_order);
    CHECK(server.messages == static_cast<std::size_t>(count));
}

TEST_CASE("ws_stream: a fragmented message with control frames between fragments arrives whole") {
    asio::io_context io;
    listener lst(io);
    // A hand-written server: the sans-I/O handshake, then frames straight onto the socket.
    spawn(io, [&]() -> asio::awaitable<void> {
        auto sock = co_await lst.acceptor.async_accept(use_awaitable);
        std::string head(4096, '\0');
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
        std::string out(1024, '\0');
        const std::size_t n = hs.write_accept({}, std::span<char>(out.data(), out.size()), ec);
        REQUIRE_FALSE(ec);
        co_await asio::async_write(sock, asio::buffer(out.data(), n), use_awaitable);
        ws::frame_writer<ws::server_role> w;
        bytes wire;
        const auto frame = [&](ws::opcode op, const bytes& payload, bool fin) {
            bytes f(ws::frame_writer<ws::server_role>::frame_size(payload.size()));
            REQUIRE(w.write(f, op, payload, fin).ok());
            wire.insert(wire.end(), f.begin(), f.end());
        };
        const bytes part1 = pattern(1000, 1), part2 = pattern(70000, 2), part3 = pattern(5, 3);
        frame(ws::opcode::binary, part1, false);
        frame(ws::opcode::ping, {'h', 'b'}, true);
        frame(ws::opcode::continuation, part2, false);
        frame(ws::opcode::pong, {}, true);
        frame(ws::opcode::continuation, part3, true);
        frame(ws::opcode::text, {'o', 'k'}, false);
        frame(ws::opcode::continuation, {}, true);
        co_await asio::async_write(sock, asio::buffer(wire), use_awaitable);
        // Expect the client's pong for "hb", then its Close.
        bytes in(256);
        std::size_t got = 0;
        ws::frame_header h;
        for (;;) {
            got +=
                co_await sock.async_read_some(asio::buffer(in.data() + got, in.size() - got), use_awaitable);
            const auto r = ws::parse_frame_header(const_bytes(in.data(), got), h);
            if (r.status == ws::parse_status::complete && got >= r.header_size + h.payload_size) break;
        }
        CHECK(h.op == ws::opcode::pong);
        CHECK(h.masked);
        CHECK(h.payload_size == 2);
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        auto m = co_await ws.async_read(use_awaitable);
        CHECK(m.is_binary());
        bytes expected = pattern(1000, 1);
        const bytes p2 = pattern(70000, 2), p3 = pattern(5, 3);
        expected.insert(expected.end(), p2.begin(), p2.end());
        expected.insert(expected.end(), p3.begin(), p3.end());
        CHECK(same(m.payload, expected));
        m = co_await ws.async_read(use_awaitable);
        CHECK(m.text() == "ok");
    });
    REQUIRE(run_io(io));
}

TEST_CASE("ws_stream: the accept check can refuse an upgrade (bearer token) and the client sees the status") {
    asio::io_context io;
    listener lst(io);
    std::vector<std::error_code> server_results;
    std::vector<std::string> paths;
    const auto check = [&](const ws::server_handshake& hs) {
        paths.emplace_back(hs.request().path);
        if (hs.field("authorization") != "Bearer s3cret")
            return net::ws_accept_decision::reject(401, "bad token");
        return net::ws_accept_decision::allow();
    };
    spawn(io, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 2; ++i) {
            server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
            auto [ec] = co_await ws.async_accept(check, as_tuple_awaitable);
            server_results.push_back(ec);
            if (!ec) {
                auto m = co_await ws.async_read(use_awaitable);
                co_await ws.async_write(m.op, m.payload, use_awaitable);
                auto [rec, rm] = co_await ws.async_read(as_tuple_awaitable);
                CHECK(rec == net::error::closed);
            }
        }
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        {
            client_stream ws(io);
            request_holder req(lst.port(), "/private");
            co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
            auto [ec] = co_await ws.async_handshake(req.request, as_tuple_awaitable);
            CHECK(ec == ws::handshake_error::unexpected_status);
            REQUIRE(ws.handshake() != nullptr);
            CHECK(ws.handshake()->result().status == 401);
            CHECK_FALSE(ws.is_open());
        }
        {
            client_stream ws(io);
            request_holder req(lst.port(), "/private");
            const tradewire::http_field auth[] = {{"Authorization", "Bearer s3cret"}};
            req.request.extra_fields = auth;
            co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
            co_await ws.async_handshake(req.request, use_awaitable);
            co_await ws.async_write_text("in", use_awaitable);
            auto m = co_await ws.async_read(use_awaitable);
            CHECK(m.text() == "in");
            co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
        }
    });
    REQUIRE(run_io(io));
    REQUIRE(server_results.size() == 2);
    CHECK(server_results[0] == net::error::handshake_rejected);
    CHECK_FALSE(server_results[1]);
    CHECK(paths == std::vector<std::string>{"/private", "/private"});
}

TEST_CASE("ws_stream: a message over the limit fails the connection with close code 1009") {
    asio::io_context io;
    listener lst(io);
    std::error_code server_ec;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        net::ws_stream_options o;
        o.max_message_size = 1000;
        ws.set_options(o);
        co_await ws.async_accept(use_awaitable);
        auto m = co_await ws.async_read(use_awaitable);
        CHECK(m.size() == 1000);
        auto [ec, m2] = co_await ws.async_read(as_tuple_awaitable);
        server_ec = ec;
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        co_await ws.async_write_binary(pattern(1000), use_awaitable);
        co_await ws.async_write_binary(pattern(1001), use_awaitable);
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        CHECK(ec == net::error::closed);
        CHECK(ws.close_reason().code == ws::close_code::message_too_big);
    });
    REQUIRE(run_io(io));
    CHECK(server_ec == ws::error::message_too_big);
}

TEST_CASE("ws_stream: misuse is reported as errors, not crashes") {
    asio::io_context io;
    listener lst(io);
    spawn(io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        co_await ws.async_accept(use_awaitable);
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        CHECK(ec == net::error::closed);
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        // Before the handshake.
        auto [e1, m1] = co_await ws.async_read(as_tuple_awaitable);
        CHECK(e1 == net::error::not_open);
        auto [e2] = co_await ws.async_write_text("x", as_tuple_awaitable);
        CHECK(e2 == net::error::not_open);
        request_holder req(lst.port());
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        // A second handshake, a control opcode as a message, a bad close code or reason.
        auto [e3] = co_await ws.async_handshake(req.request, as_tuple_awaitable);
        CHECK(e3 == net::error::already_open);
        auto [e4] = co_await ws.async_write(ws::opcode::ping, {}, as_tuple_awaitable);
        CHECK(e4 == ws::error::invalid_opcode);
        auto [e5] = co_await ws.async_close(ws::close_code::abnormal, "", as_tuple_awaitable);
        CHECK(e5 == ws::error::invalid_close_code);
        auto [e6] =
            co_await ws.async_close(ws::close_code::normal, std::string(124, 'r'), as_tuple_awaitable);
        CHECK(e6 == ws::error::close_reason_too_long);
        CHECK(ws.is_open());
        co_await ws.async_close(ws::close_code::normal, "bye", use_awaitable);
        auto [e7] = co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
        CHECK(e7 == net::error::closed);
    });
    REQUIRE(run_io(io));
}

TEST_CASE("ws_stream: the subprotocol offered and chosen is visible on both sides") {
    asio::io_context io;
    listener lst(io);
    std::string server_saw;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        const std::string_view mine[] = {"v2.feed", "v1.feed"};
        co_await ws.async_accept(
            [&](const ws::server_handshake& hs) {
                server_saw = std::string(hs.select_subprotocol(mine));
                net::ws_accept_decision d;
                d.accept.subprotocol = hs.select_subprotocol(mine);
                return d;
            },
            use_awaitable);
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        CHECK(ec == net::error::closed);
    });
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(lst.port());
        const std::string_view offered[] = {"v1.feed", "v2.feed"};
        req.request.subprotocols = offered;
        co_await net::async_connect(ws.next_layer(), "127.0.0.1", lst.port(), {}, use_awaitable);
        co_await ws.async_handshake(req.request, use_awaitable);
        CHECK(ws.handshake()->result().subprotocol == "v2.feed");
        co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
    });
    REQUIRE(run_io(io));
    CHECK(server_saw == "v2.feed");
}

TEST_CASE("ws_stream: a caller that stops reading after its close leaves the peer's Close to async_close") {
    // The read was pending when the Close went out, so async_close waits for the caller's
    // reads to see the peer's Close. A message the peer sent before its Close completes
    // that read; the caller, done with the stream, reads no more. async_close must then
    // read the peer's Close itself instead of running into its deadline.
    asio::io_context io;
    listener lst(io);
    std::error_code server_end;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        co_await ws.async_accept(use_awaitable);
        co_await ws.async_write_text("in flight", use_awaitable);  // before it reads the client's Close
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
        server_end = ec;
    });
    client_stream ws(io);
    net::ws_stream_options o;
    o.close_timeout = std::chrono::seconds(5);
    ws.set_options(o);
    request_holder req(lst.port());
    std::vector<std::string> got;
    std::error_code read_end;
    std::error_code close_ec{1, std::generic_category()};
    std::chrono::steady_clock::duration close_took{};
    net::async_connect(ws, req.request, {}, [&](std::error_code ec) {
        REQUIRE_FALSE(ec);
        ws.async_read([&](std::error_code rec, net::ws_message m) {  // and no read after this one
            read_end = rec;
            if (!rec) got.emplace_back(m.text());
        });
        const auto start = std::chrono::steady_clock::now();
        ws.async_close(ws::close_code::normal, "", [&, start](std::error_code cec) {
            close_ec = cec;
            close_took = std::chrono::steady_clock::now() - start;
        });
    });
    REQUIRE(run_io(io));
    CHECK(got == std::vector<std::string>{"in flight"});
    CHECK_FALSE(read_end);
    CHECK_FALSE(close_ec);
    CHECK(close_took < std::chrono::seconds(4));
    CHECK(server_end == net::error::closed);
    CHECK_FALSE(ws.is_open());
}

TEST_CASE("ws_stream: a close sent while a buffered message is on its way leaves the rest to the caller's reads") {
    // The read that finds a message already buffered completes through a post. It must
    // count as pending until that completion runs: otherwise an async_close whose Close
    // frame goes out first sees no read pending, starts a draining read of its own, and
    // that read consumes the messages behind and reuses the receive buffer under the
    // message the caller is about to get (found by ASan in the feed's rotation test).
    asio::io_context io;
    listener lst(io);
    const std::string first = "first", second(3000, 's'), third = "third";
    const std::vector<tradewire::const_bytes> batch = {tradewire::as_bytes(std::string_view(first)),
                                                       tradewire::as_bytes(std::string_view(second)),
                                                       tradewire::as_bytes(std::string_view(third))};
    std::error_code server_end;
    spawn(io, [&]() -> asio::awaitable<void> {
        server_stream ws(co_await lst.acceptor.async_accept(use_awaitable));
        co_await ws.async_accept(use_awaitable);
        co_await ws.async_write_many(ws::opcode::text, batch, use_awaitable);  // one transport write
        auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);             // the client's Close
        server_end = ec;
    });
    client_stream ws(io);
    request_holder req(lst.port());
    std::vector<std::string> got;
    std::error_code read_end;
    std::error_code close_ec{1, std::generic_category()};
    std::function<void()> read_next = [&] {
        ws.async_read([&](std::error_code ec, net::ws_message m) {
            if (ec) {
                read_end = ec;
                return;
            }
            got.emplace_back(m.text());
            if (got.size() == 1) {
                // The Close goes out before the next read, whose message is buffered already.
                ws.async_close(ws::close_code::normal, "", [&](std::error_code cec) { close_ec = cec; });
            }
            read_next();
        });
    };
    net::async_connect(ws, req.request, {}, [&](std::error_code ec) {
        REQUIRE_FALSE(ec);
        read_next();
    });
    REQUIRE(run_io(io));
    REQUIRE(got.size() == 3);
    CHECK(got[0] == first);
    CHECK(got[1] == second);
    CHECK(got[2] == third);
    CHECK(read_end == net::error::closed);
    CHECK_FALSE(close_ec);
    CHECK(server_end == net::error::closed);
}
