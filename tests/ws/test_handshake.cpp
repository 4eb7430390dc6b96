// WebSocket opening handshake: the RFC 6455 key/accept computation, the error category,
// and round trips client builder -> server parser -> server response -> client validator,
// with input split at every byte boundary.
#include "catch.hpp"

#include <tradewire/core/random.hpp>
#include <tradewire/ws/handshake.hpp>

#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace ws = tradewire::ws;
using tradewire::http_error;
using ws::handshake_error;

namespace {

ws::handshake_key rfc_key() {
    std::array<std::uint8_t, 16> nonce{};
    std::memcpy(nonce.data(), "the sample nonce", 16);
    return ws::handshake_key(nonce);
}

tradewire::url parse_url(std::string_view text) {
    std::error_code ec;
    const tradewire::url u = tradewire::parse_url(text, ec);
    REQUIRE_FALSE(ec);
    return u;
}

struct exchange_result {
    std::string request;
    std::string response;
    std::string path, query, host, authorization;
    unsigned status = 0;
    std::string subprotocol, extensions;  // as the client saw them
    std::string trailing_at_client;       // bytes after the 101, left for the frame reader
    std::string trailing_at_server;       // bytes after the request, left for the frame reader
};

// Runs a full handshake in memory. Each side receives its peer's bytes in pieces of
// `step` bytes (0: all at once) through a fresh buffer per call.
exchange_result run_exchange(const ws::client_request& req, const ws::handshake_key& key,
                             std::span<const std::string_view> server_protocols,
                             std::string_view server_extensions, std::string_view client_tail,
                             std::string_view server_tail, std::size_t step) {
    exchange_result out;
    ws::client_handshake client(req, key);
    std::error_code ec;
    const std::size_t request_size = client.request_size(ec);
    REQUIRE_FALSE(ec);
    out.request.resize(request_size);
    REQUIRE(client.write_request(out.request, ec) == request_size);
    REQUIRE_FALSE(ec);
    const std::string to_server = out.request + std::string(client_tail);

    ws::server_handshake server;
    std::string buffer;  // the request head's views point into it until write_accept is done
    std::size_t n = 0;
    ec = http_error::need_more;
    for (std::size_t have = step ? step : to_server.size(); ec == http_error::need_more;
         have += step ? step : 1) {
        buffer = to_server.substr(0, have);
        n = server.read_request(buffer, ec);
        if (!ec) {
            out.path = server.request().path;
            out.query = server.request().query;
            out.host = server.request().host;
            out.authorization = server.field("authorization");
            out.trailing_at_server = to_server.substr(n);  // what the frame reader gets next
        }
        REQUIRE(have <= to_server.size() + 1);
    }
    REQUIRE_FALSE(ec);
    ws::accept_options opt;
    opt.subprotocol = server.select_subprotocol(server_protocols);
    opt.extensions = server_extensions;
    std::array<char, 512> buf{};
    const std::size_t m = server.write_accept(opt, buf, ec);
    REQUIRE_FALSE(ec);
    out.response.assign(buf.data(), m);
    const std::string to_client = out.response + std::string(server_tail);

    ec = http_error::need_more;
    for (std::size_t have = step ? step : to_client.size(); ec == http_error::need_more;
         have += step ? step : 1) {
        buffer = to_client.substr(0, have);
        n = client.read_response(buffer, ec);
        if (!ec) {
            out.status = client.result().status;
            out.subprotocol = client.result().subprotocol;
            out.extensions = client.result().extensions;
            out.trailing_at_client = to_client.substr(n);
        }
        REQUIRE(have <= to_client.size() + 1);
    }
    REQUIRE_FALSE(ec);
    return out;
}

}  // namespace

TEST_CASE("handshake error category") {
    const std::error_code ec = handshake_error::bad_accept;
    CHECK(std::string(ec.category().name()) == "tradewire.ws.handshake");
    CHECK(&ec.category() == &ws::handshake_category());
    CHECK(ec.message() == "Sec-WebSocket-Accept does not match the key");
    for (int v = 1; v <= static_cast<int>(handshake_error::bad_status); ++v) {
        CHECK(std::error_code(static_cast<handshake_error>(v)).message() !=
              "unknown WebSocket handshake error");
    }
    CHECK(ec != http_error::need_more);
}

TEST_CASE("handshake RFC 6455 section 1.3 accept value") {
    CHECK(ws::handshake_accept("dGhlIHNhbXBsZSBub25jZQ==").view() == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    CHECK(ws::handshake_guid == "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
}

TEST_CASE("handshake key from a caller-given nonce") {
    CHECK(rfc_key().view() == "dGhlIHNhbXBsZSBub25jZQ==");
    CHECK(ws::handshake_key_valid(rfc_key().view()));
    std::array<std::uint8_t, 16> zeros{};
    CHECK(ws::handshake_key(zeros).view() == "AAAAAAAAAAAAAAAAAAAAAA==");
}

TEST_CASE("handshake key from a random source") {
    tradewire::xoshiro256ss rng(42);
    const ws::handshake_key a = ws::handshake_key::generate(rng);
    const ws::handshake_key b = ws::handshake_key::generate(rng);
    CHECK(a.view().size() == 24);
    CHECK(ws::handshake_key_valid(a.view()));
    CHECK(ws::handshake_key_valid(b.view()));
    CHECK(a.view() != b.view());
    tradewire::xoshiro256ss same(42);
    CHECK(ws::handshake_key::generate(same).view() == a.view());

    struct counter32 {  // any random_source works, 32-bit ones too
        std::uint32_t n = 0;
        std::uint32_t next() noexcept { return ++n; }
    } c;
    const ws::handshake_key k = ws::handshake_key::generate(c);
    CHECK(ws::handshake_key_valid(k.view()));
}

TEST_CASE("handshake key validity") {
    CHECK_FALSE(ws::handshake_key_valid(""));
    CHECK_FALSE(ws::handshake_key_valid("dGhlIHNhbXBsZSBub25jZQ"));  // unpadded
    CHECK_FALSE(
        ws::handshake_key_valid("dGhlIHNhbXBsZSBub25jZQ=="
                                "x"));
    CHECK_FALSE(ws::handshake_key_valid("dGhlIHNhbXBsZSBub25jZR=="));  // non-zero trailing bits
    CHECK_FALSE(ws::handshake_key_valid("dGhlIHNhbXBsZSBub25j*Q=="));
    CHECK_FALSE(ws::handshake_key_valid("dGhlIHNhbXBsZSBub25jZWE="));  // 17 bytes
    CHECK_FALSE(ws::handshake_key_valid("dGhlIHNhbXBsZSBub25jZWFh"));  // 18 bytes, 24 chars
    CHECK_FALSE(ws::handshake_key_valid("dGhlIHNhbXBsZSBub25j\r\n=="));
}

TEST_CASE("handshake round trip, plain") {
    ws::client_request req;
    req.endpoint = parse_url("ws://localhost:9001/feed?symbols=BTCUSDT,ETHUSDT");
    const auto r = run_exchange(req, rfc_key(), {}, {}, {}, {}, 0);
    CHECK(r.request ==
          "GET /feed?symbols=BTCUSDT,ETHUSDT HTTP/1.1\r\n"
          "Host: localhost:9001\r\n"
          "Upgrade: websocket\r\n"
          "Connection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n"
          "\r\n");
    CHECK(r.response ==
          "HTTP/1.1 101 Switching Protocols\r\n"
          "Upgrade: websocket\r\n"
          "Connection: Upgrade\r\n"
          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
          "\r\n");
    CHECK(r.path == "/feed");
    CHECK(r.query == "symbols=BTCUSDT,ETHUSDT");
    CHECK(r.host == "localhost:9001");
    CHECK(r.status == 101);
    CHECK(r.subprotocol.empty());
    CHECK(r.extensions.empty());
}

TEST_CASE("handshake round trip with subprotocols, extensions, extra fields, IPv6 and trailing frames") {
    const std::string_view offered[] = {"v2.feed", "v1.feed"};
    const tradewire::http_field extra[] = {{"Authorization", "Bearer t0k3n"},
                                           {"Origin", "https://app.example"}};
    ws::client_request req;
    req.endpoint = parse_url("wss://[2001:db8::1]:8443/stream");
    req.subprotocols = offered;
    req.extensions = "permessage-deflate; client_max_window_bits, x-custom; a=\"1,2\"";
    req.extra_fields = extra;
    const std::string_view server_supports[] = {"v1.feed", "v3.feed"};
    const std::string client_frame =
        "\x81\x85\x01\x02\x03\x04"
        "abcde";
    const std::string server_frame = "\x81\x02hi";
    for (std::size_t step : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
        INFO(step);
        const auto r = run_exchange(req, rfc_key(), server_supports, "permessage-deflate", client_frame,
                                    server_frame, step);
        CHECK(r.request.find("Host: [2001:db8::1]:8443\r\n") != std::string::npos);
        CHECK(r.request.find("Sec-WebSocket-Protocol: v2.feed, v1.feed\r\n") != std::string::npos);
        CHECK(r.request.find("Authorization: Bearer t0k3n\r\n") != std::string::npos);
        CHECK(r.authorization == "Bearer t0k3n");
        CHECK(r.response.find("Sec-WebSocket-Protocol: v1.feed\r\n") != std::string::npos);
        CHECK(r.subprotocol == "v1.feed");
        CHECK(r.extensions == "permessage-deflate");
        CHECK(r.trailing_at_server == client_frame);
        CHECK(r.trailing_at_client == server_frame);
    }
}

TEST_CASE("handshake round trip over many random keys and URLs") {
    tradewire::xoshiro256ss rng(7);
    const char* urls[] = {"ws://a",       "wss://b.example:443/x",   "ws://c:80/?q",
                          "wss://[::1]/", "ws://[fe80::2]:81/p?q=1", "wss://stream.bybit.com/v5/public/spot"};
    for (const char* u : urls) {
        INFO(u);
        ws::client_request req;
        req.endpoint = parse_url(u);
        const auto r = run_exchange(req, ws::handshake_key::generate(rng), {}, {}, {}, {}, 0);
        CHECK(r.status == 101);
        CHECK(r.path == std::string(req.endpoint.path));
        CHECK(r.query == std::string(req.endpoint.query));
    }
}

TEST_CASE("handshake client response split at every byte boundary gives the same result") {
    const std::string response = std::string(
                                     "HTTP/1.1 101 Switching Protocols\r\n"
                                     "Upgrade: websocket\r\n"
                                     "Connection: Upgrade\r\n"
                                     "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                                     "Sec-WebSocket-Protocol: chat\r\n"
                                     "\r\n") +
                                 "\x81\x03"
                                 "abc";
    const std::string_view offered[] = {"chat", "superchat"};
    ws::client_request req;
    req.endpoint = parse_url("ws://server.example.com/chat");
    req.subprotocols = offered;
    for (std::size_t cut = 0; cut <= response.size(); ++cut) {
        INFO(cut);
        ws::client_handshake hs(req, rfc_key());
        std::error_code ec;
        std::string first = response.substr(0, cut);
        std::size_t n = hs.read_response(first, ec);
        if (ec == http_error::need_more) {
            first.assign(first.size(), 'X');
            std::string whole = response;
            n = hs.read_response(whole, ec);
            REQUIRE_FALSE(ec);
            CHECK(hs.result().subprotocol == "chat");
            CHECK(hs.result().subprotocol.data() >= whole.data());
        } else {
            REQUIRE_FALSE(ec);
            CHECK(hs.result().subprotocol == "chat");
        }
        CHECK(n == response.size() - 5);
        CHECK(hs.result().status == 101);
    }
}

TEST_CASE("handshake server request split at every byte boundary gives the same result") {
    const std::string request =
        "GET /chat HTTP/1.1\r\n"
        "Host: server.example.com\r\n"
        "Upgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Origin: http://example.com\r\n"
        "Sec-WebSocket-Protocol: chat, superchat\r\n"
        "Sec-WebSocket-Version: 13\r\n"
        "\r\n";
    for (std::size_t cut = 0; cut <= request.size(); ++cut) {
        INFO(cut);
        ws::server_handshake hs;
        std::error_code ec;
        std::string first = request.substr(0, cut);
        std::size_t n = hs.read_request(first, ec);
        std::string whole = request;
        if (ec == http_error::need_more) {
            first.assign(first.size(), 'X');
            n = hs.read_request(whole, ec);
        }
        REQUIRE_FALSE(ec);
        CHECK(n == request.size());
        CHECK(hs.request().path == "/chat");
        CHECK(hs.request().key == "dGhlIHNhbXBsZSBub25jZQ==");
        CHECK(hs.field("origin") == "http://example.com");
        CHECK(hs.offers_subprotocol("superchat"));
    }
}
