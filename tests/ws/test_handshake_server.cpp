// Server half of the WebSocket handshake: request validation one rule per case, what the
// server layer can read from the request, the 101 response and the 400/405/426/431 refusals.
#include "catch.hpp"

#include <tradewire/ws/handshake.hpp>

#include <array>
#include <string>
#include <vector>

namespace ws = tradewire::ws;
using tradewire::http_error;
using ws::handshake_error;

namespace {

constexpr std::string_view rfc_request =
    "GET /chat HTTP/1.1\r\n"
    "Host: server.example.com\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Origin: http://example.com\r\n"
    "Sec-WebSocket-Protocol: chat, superchat\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "\r\n";

// A valid request with one field line replaced (or removed, when `with` is empty), or
// with `extra` appended before the blank line.
std::string request_with(std::string_view field_name, std::string_view with, std::string_view extra = {}) {
    std::string out;
    std::string_view rest = rfc_request;
    while (!rest.empty()) {
        const std::size_t end = rest.find("\r\n") + 2;
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end);
        if (line == "\r\n") {
            out += extra;
            out += line;
        } else if (!field_name.empty() &&
                   line.substr(0, field_name.size() + 1) == std::string(field_name) + ":") {
            out += with;
        } else {
            out += line;
        }
    }
    return out;
}

std::error_code request_error(std::string_view text) {
    tradewire::http_request_head head;
    std::error_code ec;
    tradewire::http_parse_request(text, head, ec);
    if (ec) return ec;
    ws::validate_request(head, ec);
    return ec;
}

std::string reject(std::error_code reason) {
    std::array<char, 512> buf{};
    std::error_code ec;
    const std::size_t n = ws::write_reject(reason, buf, ec);
    REQUIRE_FALSE(ec);
    return std::string(buf.data(), n);
}

}  // namespace

TEST_CASE("server accepts the RFC 6455 sample request and answers with the sample response") {
    ws::server_handshake hs;
    std::error_code ec;
    REQUIRE(hs.read_request(rfc_request, ec) == rfc_request.size());
    REQUIRE_FALSE(ec);
    CHECK(hs.request().target == "/chat");
    CHECK(hs.request().path == "/chat");
    CHECK(hs.request().query.empty());
    CHECK(hs.request().host == "server.example.com");
    CHECK(hs.request().key == "dGhlIHNhbXBsZSBub25jZQ==");
    CHECK(hs.head().method == "GET");
    CHECK(hs.field("Origin") == "http://example.com");
    CHECK(hs.field("authorization").empty());
    std::vector<std::string> offered;
    hs.for_each_subprotocol([&](std::string_view p) {
        offered.emplace_back(p);
        return true;
    });
    CHECK(offered == std::vector<std::string>{"chat", "superchat"});
    const std::string_view mine[] = {"chat"};
    CHECK(hs.select_subprotocol(mine) == "chat");

    std::array<char, 256> buf{};
    ws::accept_options opt;
    opt.subprotocol = "chat";
    const std::size_t n = hs.write_accept(opt, buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) ==
          "HTTP/1.1 101 Switching Protocols\r\n"
          "Upgrade: websocket\r\n"
          "Connection: Upgrade\r\n"
          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
          "Sec-WebSocket-Protocol: chat\r\n"
          "\r\n");
}

TEST_CASE("server request exposes path, query and any field, e.g. a bearer token") {
    const std::string text =
        request_with("Host", "Host: feed.local:8080\r\n", "Authorization: Bearer abc.def\r\nX-Client: 7\r\n");
    std::string target_text = text;
    target_text.replace(4, 5, "/v1/stream?symbols=BTC-USD&depth=10");
    ws::server_handshake hs;
    std::error_code ec;
    hs.read_request(target_text, ec);
    REQUIRE_FALSE(ec);
    CHECK(hs.request().target == "/v1/stream?symbols=BTC-USD&depth=10");
    CHECK(hs.request().path == "/v1/stream");
    CHECK(hs.request().query == "symbols=BTC-USD&depth=10");
    CHECK(hs.request().host == "feed.local:8080");
    CHECK(hs.field("authorization") == "Bearer abc.def");
    CHECK(hs.field("X-CLIENT") == "7");
}

TEST_CASE("server rejects a method other than GET with 405") {
    std::string text(rfc_request);
    text.replace(0, 3, "POST");
    CHECK(request_error(text) == handshake_error::bad_method);
    text = std::string(rfc_request);
    text.replace(0, 3, "get");
    CHECK(request_error(text) == handshake_error::bad_method);
    const std::string answer = reject(handshake_error::bad_method);
    CHECK(answer.substr(0, answer.find("\r\n")) == "HTTP/1.1 405 Method Not Allowed");
    CHECK(answer.find("\r\nAllow: GET\r\n") != std::string::npos);
}

TEST_CASE("server rejects HTTP/1.0") {
    std::string text(rfc_request);
    text.replace(text.find("HTTP/1.1"), 8, "HTTP/1.0");
    CHECK(request_error(text) == handshake_error::bad_http_version);
}

TEST_CASE("server rejects targets that are not origin-form") {
    for (const char* target : {"*", "http://server.example.com/chat", "chat", "/chat#frag"}) {
        INFO(target);
        std::string text(rfc_request);
        text.replace(4, 5, target);
        CHECK(request_error(text) == handshake_error::bad_target);
    }
}

TEST_CASE("server rejects a missing, empty or repeated Host") {
    CHECK(request_error(request_with("Host", "")) == handshake_error::missing_host);
    CHECK(request_error(request_with("Host", "Host:\r\n")) == handshake_error::missing_host);
    CHECK(request_error(request_with("", "", "Host: other\r\n")) == handshake_error::duplicate_field);
}

TEST_CASE("server rejects a missing or wrong Upgrade") {
    CHECK(request_error(request_with("Upgrade", "")) == handshake_error::missing_upgrade);
    CHECK(request_error(request_with("Upgrade", "Upgrade: h2c\r\n")) == handshake_error::missing_upgrade);
}

TEST_CASE("server rejects a missing or wrong Connection") {
    CHECK(request_error(request_with("Connection", "")) == handshake_error::missing_connection);
    CHECK(request_error(request_with("Connection", "Connection: keep-alive\r\n")) ==
          handshake_error::missing_connection);
}

TEST_CASE("server request tokens and names are case-insensitive, lists may hold more") {
    std::string text = request_with("Upgrade", "upgrade: WebSocket\r\n");
    text = std::string(text).replace(text.find("Connection: Upgrade"), 19, "CONNECTION: keep-alive, UPGRADE");
    CHECK_FALSE(request_error(text));
    CHECK_FALSE(
        request_error(request_with("Sec-WebSocket-Key", "sec-websocket-key:dGhlIHNhbXBsZSBub25jZQ==\r\n")));
    CHECK_FALSE(request_error(request_with("Upgrade", "Upgrade: foo/2, websocket\r\n")));
    CHECK_FALSE(
        request_error(request_with("Connection", "Connection: keep-alive\r\nConnection: upgrade\r\n")));
}

TEST_CASE("server rejects a missing Sec-WebSocket-Version with 400") {
    CHECK(request_error(request_with("Sec-WebSocket-Version", "")) == handshake_error::missing_version);
    const std::string answer = reject(handshake_error::missing_version);
    CHECK(answer.substr(0, answer.find("\r\n")) == "HTTP/1.1 400 Bad Request");
}

TEST_CASE("server answers another Sec-WebSocket-Version with 426 and the version it speaks") {
    for (const char* v : {"8", "7, 13", "13 ", "14", "", "013"}) {
        INFO(v);
        const std::error_code ec = request_error(
            request_with("Sec-WebSocket-Version", "Sec-WebSocket-Version: " + std::string(v) + "\r\n"));
        // "13 " is trimmed to "13", which is fine.
        if (std::string_view(v) == "13 ") {
            CHECK_FALSE(ec);
        } else {
            CHECK(ec == handshake_error::unsupported_version);
        }
    }
    CHECK(request_error(request_with("", "", "Sec-WebSocket-Version: 13\r\n")) ==
          handshake_error::duplicate_field);
    const std::string answer = reject(handshake_error::unsupported_version);
    CHECK(answer.substr(0, answer.find("\r\n")) == "HTTP/1.1 426 Upgrade Required");
    CHECK(answer.find("\r\nSec-WebSocket-Version: 13\r\n") != std::string::npos);
}

TEST_CASE("server rejects a missing Sec-WebSocket-Key") {
    CHECK(request_error(request_with("Sec-WebSocket-Key", "")) == handshake_error::missing_key);
}

TEST_CASE("server rejects a Sec-WebSocket-Key that is not base64 of 16 bytes") {
    for (const char* key : {"", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ===",
                            "dGhlIHNhbXBsZSBub25jZWE=", "dGhlIHNhbXBsZSBub25jZWFh", "dGhlIHNhbXBsZSBub25j",
                            "dGhlIHNhbXBsZSBub25jZR==", "dGhlIHNhbXBsZSBub25j!Q==", "the sample nonce"}) {
        INFO(key);
        CHECK(request_error(request_with("Sec-WebSocket-Key", "Sec-WebSocket-Key: " + std::string(key) +
                                                                  "\r\n")) == handshake_error::bad_key);
    }
    CHECK(request_error(request_with("", "", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n")) ==
          handshake_error::duplicate_field);
}

TEST_CASE("server rejects an upgrade request with a body") {
    CHECK(request_error(request_with("", "", "Content-Length: 5\r\n")) == handshake_error::unexpected_body);
    CHECK(request_error(request_with("", "", "Transfer-Encoding: chunked\r\n")) ==
          handshake_error::unexpected_body);
    CHECK(request_error(request_with("", "", "Content-Length: x\r\n")) == handshake_error::unexpected_body);
    CHECK_FALSE(request_error(request_with("", "", "Content-Length: 0\r\n")));
}

TEST_CASE("server rejects malformed subprotocol and extension offers") {
    CHECK(
        request_error(request_with("Sec-WebSocket-Protocol", "Sec-WebSocket-Protocol: chat, sup\"er\r\n")) ==
        handshake_error::bad_subprotocol);
    CHECK(request_error(request_with("", "", "Sec-WebSocket-Extensions: permessage-deflate; =\r\n")) ==
          handshake_error::bad_extensions);
    CHECK(request_error(request_with("", "", "Sec-WebSocket-Extensions: \r\n")) ==
          handshake_error::bad_extensions);
    CHECK_FALSE(request_error(request_with("", "",
                                           "Sec-WebSocket-Extensions: permessage-deflate; "
                                           "client_max_window_bits\r\nSec-WebSocket-Extensions: x\r\n")));
}

TEST_CASE("server sees malformed HTTP as http errors, and answers them with 400 or 431") {
    ws::server_handshake hs;
    std::error_code ec;
    hs.read_request("GET /chat HTTP/1.1\r\nHost : x\r\n\r\n", ec);
    CHECK(ec == http_error::space_before_colon);
    std::string answer = reject(ec);
    CHECK(answer.substr(0, answer.find("\r\n")) == "HTTP/1.1 400 Bad Request");
    CHECK(answer.find("whitespace before the colon") != std::string::npos);

    ws::server_handshake limited(tradewire::http_limits{128});
    limited.read_request(request_with("", "", "X-Pad: " + std::string(200, 'p') + "\r\n"), ec);
    CHECK(ec == http_error::head_too_large);
    answer = reject(ec);
    CHECK(answer.substr(0, answer.find("\r\n")) == "HTTP/1.1 431 Request Header Fields Too Large");

    ws::server_handshake fresh;
    CHECK(fresh.read_request(rfc_request.substr(0, 40), ec) == 0);
    CHECK(ec == http_error::need_more);
    CHECK(fresh.read_request(rfc_request, ec) == rfc_request.size());
    CHECK_FALSE(ec);
    fresh.reset();
    CHECK(fresh.read_request("PUT / HTTP/1.1\r\n\r\n", ec) == 0);
    CHECK(ec == handshake_error::bad_method);
}

TEST_CASE("server reject response has a plain-text body and a matching Content-Length") {
    const std::string answer = reject(handshake_error::missing_key);
    tradewire::http_response_head head;
    std::error_code ec;
    const std::size_t n = tradewire::http_parse_response(answer, head, ec);
    REQUIRE_FALSE(ec);
    CHECK(head.status == 400);
    CHECK(head.reason == "Bad Request");
    CHECK(head.fields.value("content-type") == "text/plain; charset=utf-8");
    CHECK(head.fields.value("connection") == "close");
    const auto length = head.fields.content_length(ec);
    REQUIRE(length.has_value());
    CHECK(answer.substr(n) == "missing Sec-WebSocket-Key\n");
    CHECK(*length == answer.size() - n);
    // A code from another category gets a generic text.
    const std::string other = reject(std::make_error_code(std::errc::io_error));
    CHECK(other.substr(other.find("\r\n\r\n") + 4) == "bad WebSocket upgrade request\n");
}

TEST_CASE("server error responses for the server layer's own refusals") {
    std::array<char, 512> buf{};
    std::error_code ec;
    const tradewire::http_field extra[] = {{"WWW-Authenticate", "Bearer realm=\"feed\""}};
    const std::size_t n = ws::write_error_response(401, "invalid token\n", extra, buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) ==
          "HTTP/1.1 401 Unauthorized\r\n"
          "Content-Type: text/plain; charset=utf-8\r\n"
          "Content-Length: 14\r\n"
          "Connection: close\r\n"
          "WWW-Authenticate: Bearer realm=\"feed\"\r\n"
          "\r\n"
          "invalid token\n");
    CHECK(ws::write_error_response(200, "", {}, buf, ec) == 0);
    CHECK(ec == handshake_error::bad_status);
    CHECK(ws::write_error_response(101, "", {}, buf, ec) == 0);
    CHECK(ec == handshake_error::bad_status);
    CHECK(ws::write_error_response(600, "", {}, buf, ec) == 0);
    CHECK(ec == handshake_error::bad_status);
    const tradewire::http_field injected[] = {{"X", "a\r\nSet-Cookie: x"}};
    CHECK(ws::write_error_response(403, "", injected, buf, ec) == 0);
    CHECK(ec == handshake_error::bad_field_value);
    const tradewire::http_field reserved[] = {{"Content-Length", "0"}};
    CHECK(ws::write_error_response(403, "", reserved, buf, ec) == 0);
    CHECK(ec == handshake_error::reserved_field);
    std::array<char, 20> tiny{};
    CHECK(ws::write_error_response(404, "", {}, tiny, ec) == 0);
    CHECK(ec == handshake_error::buffer_too_small);
    const std::size_t m = ws::write_error_response(599, "", {}, buf, ec);
    CHECK(std::string_view(buf.data(), m).substr(0, 14) == "HTTP/1.1 599 \r");
    CHECK(ws::reject_status(handshake_error::bad_key) == 400);
    CHECK(ws::reject_status(http_error::too_many_fields) == 431);
}

TEST_CASE("server accept response checks the chosen subprotocol and extensions") {
    ws::server_handshake hs;
    std::error_code ec;
    const std::string text =
        request_with("", "", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-a\r\n");
    REQUIRE(hs.read_request(text, ec) == text.size());
    std::array<char, 512> buf{};
    ws::accept_options opt;

    opt.subprotocol = "other";
    CHECK(hs.write_accept(opt, buf, ec) == 0);
    CHECK(ec == handshake_error::subprotocol_not_offered);
    opt.subprotocol = "CHAT";
    CHECK(hs.write_accept(opt, buf, ec) == 0);
    CHECK(ec == handshake_error::subprotocol_not_offered);
    opt.subprotocol = "chat\r\nX: y";
    CHECK(hs.write_accept(opt, buf, ec) == 0);
    CHECK(ec == handshake_error::bad_subprotocol);
    opt.subprotocol = "superchat";

    opt.extensions = "x-b";
    CHECK(hs.write_accept(opt, buf, ec) == 0);
    CHECK(ec == handshake_error::extension_not_offered);
    opt.extensions = "permessage-deflate;";
    CHECK(hs.write_accept(opt, buf, ec) == 0);
    CHECK(ec == handshake_error::bad_extensions);
    opt.extensions = "permessage-deflate\r\nX: y";
    CHECK(hs.write_accept(opt, buf, ec) == 0);
    CHECK(ec == handshake_error::bad_extensions);
    opt.extensions = "permessage-deflate; client_max_window_bits=12";

    const tradewire::http_field reserved[] = {{"sec-websocket-accept", "x"}};
    opt.extra_fields = reserved;
    CHECK(hs.write_accept(opt, buf, ec) == 0);
    CHECK(ec == handshake_error::reserved_field);
    const tradewire::http_field injected[] = {{"Server", "x\r\n\r\nHTTP/1.1 200 OK"}};
    opt.extra_fields = injected;
    CHECK(hs.write_accept(opt, buf, ec) == 0);
    CHECK(ec == handshake_error::bad_field_value);
    const tradewire::http_field server[] = {{"Server", "tradewire"}};
    opt.extra_fields = server;

    std::array<char, 32> tiny{};
    CHECK(hs.write_accept(opt, tiny, ec) == 0);
    CHECK(ec == handshake_error::buffer_too_small);

    const std::size_t n = hs.write_accept(opt, buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) ==
          "HTTP/1.1 101 Switching Protocols\r\n"
          "Upgrade: websocket\r\n"
          "Connection: Upgrade\r\n"
          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
          "Sec-WebSocket-Protocol: superchat\r\n"
          "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=12\r\n"
          "Server: tradewire\r\n"
          "\r\n");

    std::vector<std::string> names;
    hs.for_each_extension([&](std::string_view name, std::string_view element) {
        names.emplace_back(std::string(name) + "|" + std::string(element));
        return true;
    });
    CHECK(names == std::vector<std::string>{"permessage-deflate|permessage-deflate; client_max_window_bits",
                                            "x-a|x-a"});
}

TEST_CASE("server accept refuses a request that was not validated") {
    tradewire::http_request_head head;
    std::error_code ec;
    tradewire::http_parse_request("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head, ec);
    REQUIRE_FALSE(ec);
    std::array<char, 256> buf{};
    CHECK(ws::write_accept(head, {}, buf, ec) == 0);
    CHECK(ec == handshake_error::bad_key);
}

TEST_CASE("server subprotocol selection follows the server's preference") {
    tradewire::http_request_head head;
    std::error_code ec;
    const std::string text = request_with("Sec-WebSocket-Protocol",
                                          "Sec-WebSocket-Protocol: a, b\r\n"
                                          "Sec-WebSocket-Protocol: c\r\n");
    tradewire::http_parse_request(text, head, ec);  // the head's views point into text
    REQUIRE_FALSE(ec);
    const std::string_view prefer_c[] = {"x", "c", "a"};
    CHECK(ws::select_subprotocol(head, prefer_c) == "c");
    const std::string_view none[] = {"x", "A"};
    CHECK(ws::select_subprotocol(head, none).empty());
    CHECK(ws::offers_subprotocol(head, "b"));
    CHECK_FALSE(ws::offers_subprotocol(head, "B"));
}
