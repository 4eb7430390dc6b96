// net/http.hpp: the REST client against a scripted local HTTP server (127.0.0.1), and the
// sans-I/O body reader (Content-Length, chunked in any split, limits, strictness).
#include "catch.hpp"

#include <tradewire/net/http.hpp>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using namespace tradewire;
using tradewire::net::http_client_error;

namespace {

// A blocking one-thread server: for each accepted connection, reads requests and answers
// each with the next scripted reply. A reply of "" closes the connection; "HANG" waits
// without answering until the server stops.
struct scripted_server {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor{io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::vector<std::string> replies;
    std::vector<std::string> requests;
    std::atomic<int> accepted{0};
    std::atomic<bool> stop{false};
    std::thread thread;

    explicit scripted_server(std::vector<std::string> r) : replies(std::move(r)) {
        thread = std::thread([this] { run(); });
    }
    ~scripted_server() {
        stop = true;
        // A blocking accept does not wake when the acceptor closes: connect to it.
        {
            asio::io_context wake_io;
            asio::ip::tcp::socket wake(wake_io);
            std::error_code ec;
            wake.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port()), ec);
            thread.join();
        }
        std::error_code ec;
        acceptor.close(ec);
    }
    std::uint16_t port() const { return acceptor.local_endpoint().port(); }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port()); }

    void run() {
        std::size_t next = 0;
        while (!stop && next < replies.size()) {
            asio::ip::tcp::socket s(io);
            std::error_code ec;
            acceptor.accept(s, ec);
            if (ec || stop) return;
            ++accepted;
            asio::streambuf buf;
            while (next < replies.size()) {
                const std::size_t n = asio::read_until(s, buf, "\r\n\r\n", ec);
                if (ec) break;
                std::string req(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + static_cast<std::ptrdiff_t>(n));
                buf.consume(n);
                requests.push_back(req);
                const std::string& reply = replies[next++];
                if (reply.empty()) break;
                if (reply == "HANG") {
                    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    return;
                }
                asio::write(s, asio::buffer(reply), ec);
                if (ec) break;
            }
        }
    }
};

struct result {
    bool done = false;
    std::error_code ec;
    unsigned status = 0;
    std::string body;
};

template <class Client>
result get(asio::io_context& io, Client& c, std::string_view target) {
    result r;
    c.async_get(target, [&](std::error_code ec, const net::http_response& resp) {
        r.done = true;
        r.ec = ec;
        r.status = resp.status;
        r.body = std::string(resp.body);
    });
    io.restart();
    io.run_for(std::chrono::seconds(5));
    return r;
}

std::string ok(std::string_view body, std::string_view extra = "") {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + std::string(extra) + "\r\n" +
           std::string(body);
}

std::string decode_chunked(std::string_view wire, std::size_t split, std::error_code& ec, std::size_t limit = 1 << 20) {
    net::detail::http_body_reader r;
    r.start({http_body_kind::chunked, 0}, limit);
    std::string body;
    std::size_t pos = 0;
    while (pos < wire.size() && !r.done()) {
        const std::string_view part = wire.substr(pos, split);
        const std::size_t n = r.feed(part, body, ec);
        if (ec) return body;
        pos += n;
        if (n < part.size()) break;
    }
    if (!r.done()) ec = r.finish_on_eof();
    return body;
}

}  // namespace

TEST_CASE("http body reader decodes chunked bodies split anywhere") {
    const std::string wire = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
    for (std::size_t split = 1; split <= wire.size(); ++split) {
        std::error_code ec;
        const std::string body = decode_chunked(wire, split, ec);
        CAPTURE(split);
        REQUIRE_FALSE(ec);
        CHECK(body == "hello, world");
    }
}

TEST_CASE("http body reader refuses malformed chunked bodies") {
    const std::pair<const char*, http_client_error> cases[] = {
        {"g\r\nx\r\n0\r\n\r\n", http_client_error::bad_chunk_size},
        {" 5\r\nhello\r\n0\r\n\r\n", http_client_error::bad_chunk_size},
        {"5 \r\nhello\r\n0\r\n\r\n", http_client_error::bad_chunk_size},
        {"5\nhello\r\n0\r\n\r\n", http_client_error::bad_chunk_size},
        {"5\r\nhelloX\r\n0\r\n\r\n", http_client_error::bad_chunk_line},
        {"5;a\x01\r\nhello\r\n0\r\n\r\n", http_client_error::bad_chunk_extension},
        {"1000000000000000\r\n", http_client_error::bad_chunk_size},
        {"0\r\n bad\r\n\r\n", http_client_error::bad_trailer},
        {"0\r\n\rX", http_client_error::bad_chunk_line},
        {"5\r\nhel", http_client_error::truncated_body},
    };
    for (const auto& [wire, want] : cases) {
        std::error_code ec;
        decode_chunked(wire, 3, ec);
        CAPTURE(wire);
        CHECK(ec == want);
    }
    std::error_code ec;
    decode_chunked("10\r\n0123456789abcdef\r\n0\r\n\r\n", 64, ec, 8);
    CHECK(ec == http_client_error::body_too_large);
}

TEST_CASE("http client reads a Content-Length body and reuses the connection") {
    scripted_server srv({ok("{\"a\":1}"), ok("second")});
    asio::io_context io;
    net::http_client<> c(io, srv.base());
    const result a = get(io, c, "/api/v3/depth?symbol=BTCUSDT&limit=100");
    REQUIRE(a.done);
    REQUIRE_FALSE(a.ec);
    CHECK(a.status == 200);
    CHECK(a.body == "{\"a\":1}");
    const result b = get(io, c, "/second");
    REQUIRE(b.done);
    REQUIRE_FALSE(b.ec);
    CHECK(b.body == "second");
    CHECK(c.connections() == 1);
    CHECK(srv.accepted == 1);
    REQUIRE(srv.requests.size() == 2);
    CHECK(srv.requests[0].rfind("GET /api/v3/depth?symbol=BTCUSDT&limit=100 HTTP/1.1\r\n", 0) == 0);
    CHECK(srv.requests[0].find("\r\nHost: 127.0.0.1:") != std::string::npos);
}

TEST_CASE("http client decodes a chunked response") {
    scripted_server srv({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbook\r\n6\r\n-snap!\r\n0\r\n\r\n"});
    asio::io_context io;
    net::http_client<> c(io, srv.base());
    const result r = get(io, c, "/");
    REQUIRE(r.done);
    REQUIRE_FALSE(r.ec);
    CHECK(r.body == "book-snap!");
}

TEST_CASE("http client reconnects when a kept-alive connection was closed") {
    scripted_server srv({ok("one"), "", ok("two")});
    asio::io_context io;
    net::http_client<> c(io, srv.base());
    CHECK(get(io, c, "/1").body == "one");
    const result r = get(io, c, "/2");  // the server drops this connection: one retry
    REQUIRE(r.done);
    REQUIRE_FALSE(r.ec);
    CHECK(r.body == "two");
    CHECK(c.connections() == 2);
}

TEST_CASE("http client honours Connection close and non-2xx statuses") {
    scripted_server srv({"HTTP/1.1 429 Too Many Requests\r\nContent-Length: 4\r\nConnection: close\r\n\r\nslow", ok("x")});
    asio::io_context io;
    net::http_client<> c(io, srv.base());
    const result r = get(io, c, "/");
    REQUIRE_FALSE(r.ec);
    CHECK(r.status == 429);
    CHECK(r.body == "slow");
    CHECK_FALSE(c.connected());
}

TEST_CASE("http client refuses an oversize body") {
    scripted_server srv({ok(std::string(5000, 'x'))});
    asio::io_context io;
    net::http_client_options o;
    o.max_body_size = 1000;
    net::http_client<> c(io, srv.base(), o);
    const result r = get(io, c, "/");
    REQUIRE(r.done);
    CHECK(r.ec == http_client_error::body_too_large);
}

TEST_CASE("http client times out a request") {
    scripted_server srv({"HANG"});
    asio::io_context io;
    net::http_client_options o;
    o.timeout = std::chrono::milliseconds(150);
    net::http_client<> c(io, srv.base(), o);
    const auto t0 = std::chrono::steady_clock::now();
    const result r = get(io, c, "/");
    REQUIRE(r.done);
    CHECK(r.ec == http_client_error::timeout);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
}

TEST_CASE("http client turns malformed responses into errors") {
    const std::pair<std::string, std::error_code> cases[] = {
        {"HTTP/1.1 200 OK\nContent-Length: 1\r\n\r\nx", http_error::bad_line_ending},
        {"HTTP/2.0 200 OK\r\n\r\n", http_error::bad_version},
        {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", http_error::framing_conflict},
        {"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", http_error::bad_content_length},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", http_client_error::bad_chunk_size},
        {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", http_client_error::truncated_body},
    };
    for (const auto& [reply, want] : cases) {
        scripted_server srv({reply});
        asio::io_context io;
        net::http_client_options o;
        o.timeout = std::chrono::seconds(2);
        net::http_client<> c(io, srv.base(), o);
        const result r = get(io, c, "/");
        CAPTURE(reply);
        REQUIRE(r.done);
        CHECK(r.ec == want);
    }
}

TEST_CASE("http client sends a body-carrying request and rejects bad setups") {
    scripted_server srv({ok("done")});
    asio::io_context io;
    net::http_client<> c(io, srv.base());
    const http_field fields[] = {{"X-MBX-APIKEY", "key"}};
    net::http_request req;
    req.method = "POST";
    req.target = "/api/v3/order";
    req.fields = fields;
    req.body = "symbol=BTCUSDT";
    req.content_type = "application/x-www-form-urlencoded";
    result r;
    c.async_request(req, [&](std::error_code ec, const net::http_response& resp) {
        r.done = true;
        r.ec = ec;
        r.body = std::string(resp.body);
    });
    io.run_for(std::chrono::seconds(5));
    REQUIRE(r.done);
    REQUIRE_FALSE(r.ec);
    REQUIRE(srv.requests.size() == 1);
    CHECK(srv.requests[0].find("Content-Length: 14\r\n") != std::string::npos);
    CHECK(srv.requests[0].find("X-MBX-APIKEY: key\r\n") != std::string::npos);

    asio::io_context io2;
    net::http_client<> bad(io2, "https://127.0.0.1:1");
    CHECK(get(io2, bad, "/").ec == http_client_error::scheme_mismatch);
    net::http_client<> c2(io2, "http://127.0.0.1:1");
    CHECK(get(io2, c2, "/bad target").ec == http_error::bad_target);
}
