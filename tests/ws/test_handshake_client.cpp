// Client half of the WebSocket handshake: the request builder (Host and ports, offers,
// header injection refused) and strict validation of the server's response, one rule per case.
#include "catch.hpp"

#include <tradewire/ws/handshake.hpp>

#include <array>
#include <cstring>
#include <string>

namespace ws = tradewire::ws;
using tradewire::http_error;
using ws::handshake_error;

namespace {

constexpr std::string_view rfc_key = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr std::string_view rfc_accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

tradewire::url parse_url(std::string_view text) {
    std::error_code ec;
    const tradewire::url u = tradewire::parse_url(text, ec);
    REQUIRE_FALSE(ec);
    return u;
}

std::string build(const ws::client_request& req, std::string_view key, std::error_code& ec) {
    std::array<char, 2048> buf{};
    const std::size_t n = ws::write_request(req, key, buf, ec);
    return std::string(buf.data(), n);
}

std::string build(const ws::client_request& req) {
    std::error_code ec;
    std::string s = build(req, rfc_key, ec);
    REQUIRE_FALSE(ec);
    return s;
}

std::error_code build_error(const ws::client_request& req, std::string_view key = rfc_key) {
    std::error_code ec;
    build(req, key, ec);
    return ec;
}

// Validates a response made of the given field lines (each ending in CRLF).
ws::client_handshake_result validate(std::string_view status_line, std::string_view fields,
                                     const ws::client_request& req, std::error_code& ec) {
    static std::string text;  // the result's views point into it until the next call
    text = std::string(status_line) + "\r\n" + std::string(fields) + "\r\n";
    tradewire::http_response_head head;
    tradewire::http_parse_response(text, head, ec);
    REQUIRE_FALSE(ec);
    return ws::validate_response(head, req, rfc_key, ec);
}

std::error_code validate_error(std::string_view fields, const ws::client_request& req = {}) {
    std::error_code ec;
    validate("HTTP/1.1 101 Switching Protocols", fields, req, ec);
    return ec;
}

const std::string good_fields =
    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + std::string(rfc_accept) + "\r\n";

}  // namespace

TEST_CASE("client request is the RFC 6455 section 1.3 sample") {
    const std::string_view protocols[] = {"chat", "superchat"};
    const tradewire::http_field origin[] = {{"Origin", "http://example.com"}};
    ws::client_request req;
    req.endpoint = parse_url("ws://server.example.com/chat");
    req.subprotocols = protocols;
    req.extra_fields = origin;
    CHECK(build(req) ==
          "GET /chat HTTP/1.1\r\n"
          "Host: server.example.com\r\n"
          "Upgrade: websocket\r\n"
          "Connection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n"
          "Sec-WebSocket-Protocol: chat, superchat\r\n"
          "Origin: http://example.com\r\n"
          "\r\n");
}

TEST_CASE("client request Host carries the port only when it is not the default") {
    auto host_line = [](std::string_view u) {
        ws::client_request req;
        req.endpoint = parse_url(u);
        const std::string text = build(req);
        const std::size_t start = text.find("Host: ");
        return text.substr(start, text.find("\r\n", start) - start);
    };
    CHECK(host_line("ws://example.com") == "Host: example.com");
    CHECK(host_line("ws://example.com:80/") == "Host: example.com");
    CHECK(host_line("ws://example.com:443/") == "Host: example.com:443");
    CHECK(host_line("wss://example.com") == "Host: example.com");
    CHECK(host_line("wss://example.com:443") == "Host: example.com");
    CHECK(host_line("wss://example.com:80") == "Host: example.com:80");
    CHECK(host_line("wss://stream.binance.com:9443/ws") == "Host: stream.binance.com:9443");
    CHECK(host_line("ws://[::1]/") == "Host: [::1]");
    CHECK(host_line("wss://[2001:db8::1]:8443/") == "Host: [2001:db8::1]:8443");
    CHECK(host_line("ws://10.0.0.1:65535/") == "Host: 10.0.0.1:65535");
}

TEST_CASE("client request line carries path and query, default path /") {
    auto request_line = [](std::string_view u) {
        ws::client_request req;
        req.endpoint = parse_url(u);
        const std::string text = build(req);
        return text.substr(0, text.find("\r\n"));
    };
    CHECK(request_line("ws://h") == "GET / HTTP/1.1");
    CHECK(request_line("ws://h?a=1") == "GET /?a=1 HTTP/1.1");
    CHECK(request_line("wss://h/ws/v5/public") == "GET /ws/v5/public HTTP/1.1");
    CHECK(request_line("wss://h/stream?streams=a@trade/b@depth") ==
          "GET /stream?streams=a@trade/b@depth HTTP/1.1");
}

TEST_CASE("client request with an extension offer") {
    ws::client_request req;
    req.endpoint = parse_url("ws://h/");
    req.extensions = "permessage-deflate; client_max_window_bits";
    CHECK(build(req).find("\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n") !=
          std::string::npos);
}

TEST_CASE("client request refuses header injection through extra fields") {
    ws::client_request req;
    req.endpoint = parse_url("ws://h/");
    const tradewire::http_field crlf[] = {{"X-A", "1\r\nX-Evil: 2"}};
    req.extra_fields = crlf;
    CHECK(build_error(req) == handshake_error::bad_field_value);
    const tradewire::http_field lf[] = {{"X-A", "1\nX-Evil: 2"}};
    req.extra_fields = lf;
    CHECK(build_error(req) == handshake_error::bad_field_value);
    const tradewire::http_field nul[] = {{"X-A", std::string_view("a\0b", 3)}};
    req.extra_fields = nul;
    CHECK(build_error(req) == handshake_error::bad_field_value);
    const tradewire::http_field name_crlf[] = {{"X-A\r\nX-Evil", "1"}};
    req.extra_fields = name_crlf;
    CHECK(build_error(req) == handshake_error::bad_field_name);
    const tradewire::http_field name_colon[] = {{"X-A: 1\r\n", "1"}};
    req.extra_fields = name_colon;
    CHECK(build_error(req) == handshake_error::bad_field_name);
    const tradewire::http_field empty_name[] = {{"", "1"}};
    req.extra_fields = empty_name;
    CHECK(build_error(req) == handshake_error::bad_field_name);
    const tradewire::http_field fine[] = {{"User-Agent", "tradewire/0.1"}, {"Cookie", "a=b; c=d"}};
    req.extra_fields = fine;
    CHECK_FALSE(build_error(req));
}

TEST_CASE("client request refuses extra fields that duplicate the handshake's own") {
    ws::client_request req;
    req.endpoint = parse_url("ws://h/");
    for (const char* name : {"Host", "HOST", "upgrade", "Connection", "Sec-WebSocket-Key",
                             "sec-websocket-version", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
                             "Sec-WebSocket-Accept", "Content-Length", "Transfer-Encoding", "Content-Type"}) {
        INFO(name);
        const tradewire::http_field f[] = {{name, "x"}};
        req.extra_fields = f;
        CHECK(build_error(req) == handshake_error::reserved_field);
    }
}

TEST_CASE("client request refuses bad offers and keys") {
    ws::client_request req;
    req.endpoint = parse_url("ws://h/");
    const std::string_view not_token[] = {"chat", "super chat"};
    req.subprotocols = not_token;
    CHECK(build_error(req) == handshake_error::bad_subprotocol);
    const std::string_view comma[] = {"a,b"};
    req.subprotocols = comma;
    CHECK(build_error(req) == handshake_error::bad_subprotocol);
    const std::string_view empty[] = {""};
    req.subprotocols = empty;
    CHECK(build_error(req) == handshake_error::bad_subprotocol);
    const std::string_view twice[] = {"chat", "chat"};
    req.subprotocols = twice;
    CHECK(build_error(req) == handshake_error::bad_subprotocol);
    req.subprotocols = {};

    for (const char* bad : {"permessage-deflate\r\nX: y", "a;", "a; b=", "; a", "a b", "a; b=\"c", ","}) {
        INFO(bad);
        req.extensions = bad;
        CHECK(build_error(req) == handshake_error::bad_extensions);
    }
    req.extensions = "a; b=\"c,d\"; e, f ;g=h";
    CHECK_FALSE(build_error(req));
    req.extensions = {};

    CHECK(build_error(req, "short") == handshake_error::bad_key);
    CHECK(build_error(req, "dGhlIHNhbXBsZSBub25jZQ\r\n") == handshake_error::bad_key);
}

TEST_CASE("client request refuses a hand-built url that would break the request") {
    ws::client_request req;
    req.endpoint.host = "h";
    req.endpoint.path = "/a b";
    CHECK(build_error(req) == handshake_error::bad_target);
    req.endpoint.path = "/a\r\nX: y";
    CHECK(build_error(req) == handshake_error::bad_target);
    req.endpoint.path = "a";
    CHECK(build_error(req) == handshake_error::bad_target);
    req.endpoint.path = "/";
    req.endpoint.query = "x#y";
    CHECK(build_error(req) == handshake_error::bad_target);
    req.endpoint.query = {};
    req.endpoint.host = "h\r\nX: y";
    CHECK(build_error(req) == handshake_error::bad_target);
    req.endpoint.host = "";
    CHECK(build_error(req) == handshake_error::bad_target);
    req.endpoint.host = "h";
    req.endpoint.port = 0;
    CHECK(build_error(req) == handshake_error::bad_target);
    req.endpoint.port = 80;
    CHECK_FALSE(build_error(req));
}

TEST_CASE("client request reports a buffer that is too small, and the size it needs") {
    ws::client_request req;
    req.endpoint = parse_url("ws://h/");
    std::error_code ec;
    const std::size_t needed = ws::request_size(req, rfc_key, ec);
    REQUIRE_FALSE(ec);
    CHECK(needed == build(req).size());
    std::string buf(needed - 1, '\0');
    CHECK(ws::write_request(req, rfc_key, buf, ec) == 0);
    CHECK(ec == handshake_error::buffer_too_small);
    buf.resize(needed);
    CHECK(ws::write_request(req, rfc_key, buf, ec) == needed);
    CHECK_FALSE(ec);
    CHECK(ws::request_size(req, "bad", ec) == 0);
    CHECK(ec == handshake_error::bad_key);
}

TEST_CASE("client accepts the RFC 6455 sample response") {
    const std::string_view protocols[] = {"chat", "superchat"};
    ws::client_request req;
    req.subprotocols = protocols;
    std::error_code ec;
    const auto r = validate("HTTP/1.1 101 Switching Protocols",
                            good_fields + "Sec-WebSocket-Protocol: chat\r\n", req, ec);
    CHECK_FALSE(ec);
    CHECK(r.status == 101);
    CHECK(r.subprotocol == "chat");
    CHECK(r.extensions.empty());
}

TEST_CASE("client reports the status of a non-101 response") {
    std::error_code ec;
    auto r = validate("HTTP/1.1 403 Forbidden", "Content-Length: 0\r\n", {}, ec);
    CHECK(ec == handshake_error::unexpected_status);
    CHECK(r.status == 403);
    r = validate("HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n", {}, ec);
    CHECK(ec == handshake_error::unexpected_status);
    CHECK(r.status == 426);
    r = validate("HTTP/1.1 200 OK", good_fields, {}, ec);  // even with the right fields
    CHECK(ec == handshake_error::unexpected_status);
    CHECK(r.status == 200);
    r = validate("HTTP/1.1 100 Continue", good_fields, {}, ec);
    CHECK(ec == handshake_error::unexpected_status);
    CHECK(r.status == 100);
}

TEST_CASE("client rejects a 101 over HTTP/1.0") {
    std::error_code ec;
    validate("HTTP/1.0 101 Switching Protocols", good_fields, {}, ec);
    CHECK(ec == handshake_error::bad_http_version);
}

TEST_CASE("client rejects a missing or wrong Upgrade") {
    const std::string accept = "Sec-WebSocket-Accept: " + std::string(rfc_accept) + "\r\n";
    CHECK(validate_error("Connection: Upgrade\r\n" + accept) == handshake_error::missing_upgrade);
    CHECK(validate_error("Upgrade: h2c\r\nConnection: Upgrade\r\n" + accept) ==
          handshake_error::missing_upgrade);
    CHECK(validate_error("Upgrade: websockets\r\nConnection: Upgrade\r\n" + accept) ==
          handshake_error::missing_upgrade);
    CHECK(validate_error("Upgrade:\r\nConnection: Upgrade\r\n" + accept) == handshake_error::missing_upgrade);
}

TEST_CASE("client rejects a missing or wrong Connection") {
    const std::string accept = "Sec-WebSocket-Accept: " + std::string(rfc_accept) + "\r\n";
    CHECK(validate_error("Upgrade: websocket\r\n" + accept) == handshake_error::missing_connection);
    CHECK(validate_error("Upgrade: websocket\r\nConnection: close\r\n" + accept) ==
          handshake_error::missing_connection);
    CHECK(validate_error("Upgrade: websocket\r\nConnection: keep-alive, upgraded\r\n" + accept) ==
          handshake_error::missing_connection);
}

TEST_CASE("client rejects a missing Sec-WebSocket-Accept") {
    CHECK(validate_error("Upgrade: websocket\r\nConnection: Upgrade\r\n") == handshake_error::missing_accept);
}

TEST_CASE("client rejects a wrong Sec-WebSocket-Accept") {
    const std::string base = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    CHECK(validate_error(base + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOp=\r\n") ==
          handshake_error::bad_accept);
    CHECK(validate_error(base + "Sec-WebSocket-Accept: S3PPLMBITXAQ9KYGZZHZRBK+XOO=\r\n") ==
          handshake_error::bad_accept);  // base64 is case-sensitive
    CHECK(validate_error(base + "Sec-WebSocket-Accept: " + std::string(rfc_key) + "\r\n") ==
          handshake_error::bad_accept);
    CHECK(validate_error(base + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo\r\n") ==
          handshake_error::bad_accept);
    CHECK(validate_error(base + "Sec-WebSocket-Accept:\r\n") == handshake_error::bad_accept);
}

TEST_CASE("client rejects a repeated Sec-WebSocket-Accept") {
    CHECK(validate_error(good_fields + "Sec-WebSocket-Accept: " + std::string(rfc_accept) + "\r\n") ==
          handshake_error::duplicate_field);
}

TEST_CASE("client response tokens and names are case-insensitive, lists may hold more") {
    const std::string accept = "sec-websocket-accept: " + std::string(rfc_accept) + "\r\n";
    CHECK_FALSE(validate_error("UPGRADE: WebSocket\r\nconnection: UPGRADE\r\n" + accept));
    CHECK_FALSE(validate_error("Upgrade: WEBSOCKET\r\nConnection: keep-alive ,\tUpgrade\r\n" + accept));
    CHECK_FALSE(validate_error(
        "Upgrade: foo, websocket\r\nConnection: keep-alive\r\nConnection: upgrade\r\n" + accept));
    CHECK_FALSE(validate_error("Upgrade:websocket\r\nConnection:Upgrade\r\nSEC-WEBSOCKET-ACCEPT:" +
                               std::string(rfc_accept) + "\r\n"));
}

TEST_CASE("client rejects a subprotocol it did not offer") {
    ws::client_request none;
    CHECK(validate_error(good_fields + "Sec-WebSocket-Protocol: chat\r\n", none) ==
          handshake_error::unexpected_subprotocol);
    const std::string_view protocols[] = {"chat", "superchat"};
    ws::client_request req;
    req.subprotocols = protocols;
    CHECK(validate_error(good_fields + "Sec-WebSocket-Protocol: other\r\n", req) ==
          handshake_error::unexpected_subprotocol);
    CHECK(validate_error(good_fields + "Sec-WebSocket-Protocol: Chat\r\n", req) ==
          handshake_error::unexpected_subprotocol);  // subprotocols compare exactly
    CHECK(validate_error(good_fields + "Sec-WebSocket-Protocol: chat, superchat\r\n", req) ==
          handshake_error::unexpected_subprotocol);  // the server picks one
    CHECK(validate_error(good_fields + "Sec-WebSocket-Protocol:\r\n", req) ==
          handshake_error::unexpected_subprotocol);
    CHECK(validate_error(good_fields + "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: chat\r\n",
                         req) == handshake_error::duplicate_field);
    // Not choosing one is the server's right; the caller sees an empty subprotocol.
    std::error_code ec;
    const auto r = validate("HTTP/1.1 101 Switching Protocols", good_fields, req, ec);
    CHECK_FALSE(ec);
    CHECK(r.subprotocol.empty());
}

TEST_CASE("client rejects an extension it did not offer") {
    ws::client_request none;
    CHECK(validate_error(good_fields + "Sec-WebSocket-Extensions: permessage-deflate\r\n", none) ==
          handshake_error::unexpected_extension);
    ws::client_request req;
    req.extensions = "permessage-deflate; client_max_window_bits, x-webkit-deflate-frame";
    CHECK(validate_error(good_fields + "Sec-WebSocket-Extensions: x-other\r\n", req) ==
          handshake_error::unexpected_extension);
    CHECK(validate_error(good_fields + "Sec-WebSocket-Extensions: permessage-deflate, x-other\r\n", req) ==
          handshake_error::unexpected_extension);
    CHECK(validate_error(good_fields + "Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate\r\n",
                         req) == handshake_error::unexpected_extension);  // accepted twice
    CHECK(validate_error(good_fields + "Sec-WebSocket-Extensions: permessage-deflate; =1\r\n", req) ==
          handshake_error::unexpected_extension);  // malformed
    CHECK(validate_error(good_fields + "Sec-WebSocket-Extensions:\r\n", req) ==
          handshake_error::unexpected_extension);
    CHECK(validate_error(good_fields + "Sec-WebSocket-Extensions: permessage-deflate\r\n"
                                       "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n",
                         req) == handshake_error::duplicate_field);

    std::error_code ec;
    const auto r = validate("HTTP/1.1 101 Switching Protocols",
                            good_fields +
                                "Sec-WebSocket-Extensions: Permessage-Deflate; server_no_context_takeover; "
                                "client_max_window_bits=10\r\n",
                            req, ec);
    CHECK_FALSE(ec);
    CHECK(r.extensions == "Permessage-Deflate; server_no_context_takeover; client_max_window_bits=10");
}

TEST_CASE("client handshake object reports need_more, HTTP errors and keeps the response head") {
    ws::client_request req;
    req.endpoint = parse_url("ws://h/");
    std::array<std::uint8_t, 16> nonce{};
    std::memcpy(nonce.data(), "the sample nonce", 16);
    ws::client_handshake hs(req, ws::handshake_key(nonce));
    CHECK(hs.key() == rfc_key);
    std::error_code ec;
    CHECK(hs.read_response("HTTP/1.1 101 Swi", ec) == 0);
    CHECK(ec == http_error::need_more);

    ws::client_handshake bad(req, ws::handshake_key(nonce));
    CHECK(bad.read_response("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\r\n\r\n", ec) == 0);
    CHECK(ec == http_error::bad_line_ending);

    ws::client_handshake denied(req, ws::handshake_key(nonce));
    const std::string text =
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Length: 0\r\n\r\n";
    CHECK(denied.read_response(text, ec) == 0);
    CHECK(ec == handshake_error::unexpected_status);
    CHECK(denied.result().status == 401);
    CHECK(denied.response().fields.value("www-authenticate") == "Bearer");

    tradewire::http_limits small{64};
    ws::client_handshake limited(req, ws::handshake_key(nonce), small);
    CHECK(limited.read_response("HTTP/1.1 101 Switching Protocols\r\n" + good_fields + std::string(100, 'x'),
                                ec) == 0);
    CHECK(ec == http_error::head_too_large);
}
