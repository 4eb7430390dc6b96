// HTTP/1.1 head parser: request and status lines, field rules, limits, incremental input,
// lookups, token lists, Content-Length and Transfer-Encoding.
#include "catch.hpp"

#include <tradewire/core/http.hpp>

#include <string>
#include <string_view>
#include <vector>

using namespace std::string_view_literals;
using tradewire::http_error;

namespace {

std::error_code parse_request(std::string_view text, tradewire::http_request_head& head,
                              std::size_t* n = nullptr, const tradewire::http_limits& limits = {}) {
    std::error_code ec;
    const std::size_t consumed = tradewire::http_parse_request(text, head, ec, limits);
    if (n) *n = consumed;
    return ec;
}

std::error_code parse_response(std::string_view text, tradewire::http_response_head& head,
                               std::size_t* n = nullptr, const tradewire::http_limits& limits = {}) {
    std::error_code ec;
    const std::size_t consumed = tradewire::http_parse_response(text, head, ec, limits);
    if (n) *n = consumed;
    return ec;
}

std::error_code request_error(std::string_view text) {
    tradewire::http_request_head head;
    return parse_request(text, head);
}

std::error_code response_error(std::string_view text) {
    tradewire::http_response_head head;
    return parse_response(text, head);
}

// Everything a parse produced, as text, to compare different ways of feeding the same bytes.
template <class Head>
std::string describe(const Head& head, std::size_t n, std::error_code ec) {
    std::string s = ec ? ec.message() : "ok";
    s += "|" + std::to_string(n);
    if (ec) return s;
    if constexpr (Head::is_request) {
        s += "|" + std::string(head.method) + "|" + std::string(head.target);
    } else {
        s += "|" + std::to_string(head.status) + "|" + std::string(head.reason);
    }
    s += "|" + std::to_string(head.version.major) + "." + std::to_string(head.version.minor);
    for (const auto& f : head.fields) s += "|" + std::string(f.name) + "=" + std::string(f.value);
    return s;
}

// Feeds text to an incremental parser in two pieces (split at `cut`), copying the bytes
// into a fresh buffer on every call so stale views would show.
template <class Head>
std::string parse_split(std::string_view text, std::size_t cut, const tradewire::http_limits& limits = {}) {
    tradewire::http_head_parser<Head> parser(limits);
    std::error_code ec;
    std::string first(text.substr(0, cut));
    std::size_t n = parser.parse(first, ec);
    if (ec && ec != http_error::need_more) return describe(parser.head(), n, ec);
    if (!ec) return describe(parser.head(), n, ec);
    first.assign(first.size(), 'X');  // views left pointing into `first` would read X
    std::string whole(text);
    n = parser.parse(whole, ec);
    return describe(parser.head(), n, ec);
}

template <class Head>
std::string parse_bytewise(std::string_view text, const tradewire::http_limits& limits = {}) {
    tradewire::http_head_parser<Head> parser(limits);
    std::error_code ec = http_error::need_more;
    std::size_t n = 0;
    std::vector<std::string> buffers;  // keep each one alive but distinct
    for (std::size_t i = 1; i <= text.size() && ec == http_error::need_more; ++i) {
        buffers.emplace_back(text.substr(0, i));
        n = parser.parse(buffers.back(), ec);
    }
    return describe(parser.head(), n, ec);
}

template <class Head>
std::string parse_once(std::string_view text, const tradewire::http_limits& limits = {}) {
    Head head;
    std::error_code ec;
    std::size_t n = 0;
    if constexpr (Head::is_request) {
        n = tradewire::http_parse_request(text, head, ec, limits);
    } else {
        n = tradewire::http_parse_response(text, head, ec, limits);
    }
    return describe(head, n, ec);
}

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

constexpr std::string_view rfc_response =
    "HTTP/1.1 101 Switching Protocols\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
    "Sec-WebSocket-Protocol: chat\r\n"
    "\r\n";

}  // namespace

TEST_CASE("http error category names the layer and every value") {
    const std::error_code ec = http_error::bad_field_value;
    CHECK(std::string(ec.category().name()) == "tradewire.http");
    CHECK(ec.message() == "bad character in an HTTP header field value");
    for (int v = 1; v <= static_cast<int>(http_error::framing_conflict); ++v) {
        const std::error_code e = static_cast<http_error>(v);
        CHECK(e.message() != "unknown HTTP error");
    }
    CHECK(std::error_code(static_cast<http_error>(999)).message() == "unknown HTTP error");
}

TEST_CASE("http parses the RFC 6455 sample request") {
    tradewire::http_request_head head;
    std::size_t n = 0;
    REQUIRE_FALSE(parse_request(rfc_request, head, &n));
    CHECK(n == rfc_request.size());
    CHECK(head.method == "GET");
    CHECK(head.target == "/chat");
    CHECK(head.version == tradewire::http_version{1, 1});
    REQUIRE(head.fields.size() == 7);
    CHECK(head.fields[0].name == "Host");
    CHECK(head.fields[0].value == "server.example.com");
    CHECK(head.fields.value("sec-websocket-key") == "dGhlIHNhbXBsZSBub25jZQ==");
    CHECK(head.fields.value("ORIGIN") == "http://example.com");
    CHECK(head.fields.has_token("sec-websocket-protocol", "superchat"));
    // The views point into the caller's buffer: nothing was copied.
    CHECK(head.target.data() == rfc_request.data() + 4);
}

TEST_CASE("http parses the RFC 6455 sample response") {
    tradewire::http_response_head head;
    std::size_t n = 0;
    REQUIRE_FALSE(parse_response(rfc_response, head, &n));
    CHECK(n == rfc_response.size());
    CHECK(head.status == 101);
    CHECK(head.reason == "Switching Protocols");
    CHECK(head.version == tradewire::http_version{1, 1});
    CHECK(head.fields.size() == 4);
    CHECK(head.fields.value("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST_CASE("http asks for more bytes until the blank line") {
    for (std::size_t cut = 0; cut < rfc_response.size(); ++cut) {
        INFO(cut);
        CHECK(response_error(rfc_response.substr(0, cut)) == http_error::need_more);
    }
    CHECK_FALSE(response_error(rfc_response));
}

TEST_CASE("http leaves the bytes after the head for the next layer") {
    const std::string frame = "\x81\x05hello";
    const std::string data = std::string(rfc_response) + frame;
    tradewire::http_response_head head;
    std::size_t n = 0;
    REQUIRE_FALSE(parse_response(data, head, &n));
    CHECK(n == rfc_response.size());
    CHECK(std::string_view(data).substr(n) == frame);

    // The incremental parser reports the same, even when the frame arrives with the head's end.
    tradewire::http_response_parser parser;
    std::error_code ec;
    CHECK(parser.parse(std::string_view(data).substr(0, 20), ec) == 0);
    CHECK(ec == http_error::need_more);
    CHECK_FALSE(parser.done());
    CHECK(parser.parse(data, ec) == rfc_response.size());
    CHECK_FALSE(ec);
    CHECK(parser.done());
    CHECK(parser.head().status == 101);
}

TEST_CASE("http incremental parsing matches one-shot parsing at every split") {
    const std::vector<std::string> requests = {
        std::string(rfc_request),
        std::string(rfc_request) + "trailing",
        "GET / HTTP/1.1\r\nA: b\r\nC:d\r\n\r\n",
        "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n",  // obs-fold
        "GET / HTTP/1.1\r\nA : b\r\n\r\n",       // space before colon
        "GET / HTTP/1.1\r\nA: b\n\r\n",          // bare LF
        "GET / HTTP/1.1\r\nA: b\rx\r\n\r\n",     // bare CR
        "GET / HTTP/1.1\r\nA: b\x01\r\n\r\n",    // control in a value
        "\r\nGET / HTTP/1.1\r\n\r\n",            // empty line first
        "GET / HTTP/1.0\r\n\r\n",
        "GET /x?y=1 HTTP/1.1\r\n\r\nbody",
    };
    for (const std::string& text : requests) {
        INFO(text);
        const std::string expected = parse_once<tradewire::http_request_head>(text);
        CHECK(parse_bytewise<tradewire::http_request_head>(text) == expected);
        for (std::size_t cut = 0; cut <= text.size(); ++cut) {
            INFO(cut);
            CHECK(parse_split<tradewire::http_request_head>(text, cut) == expected);
        }
    }
    const std::vector<std::string> responses = {
        std::string(rfc_response),
        std::string(rfc_response) + "\x81\x02hi",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        "HTTP/1.1 404\r\n\r\n",
        "HTTP/1.1 99 x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: \x7f\r\n\r\n",
    };
    for (const std::string& text : responses) {
        INFO(text);
        const std::string expected = parse_once<tradewire::http_response_head>(text);
        CHECK(parse_bytewise<tradewire::http_response_head>(text) == expected);
        for (std::size_t cut = 0; cut <= text.size(); ++cut) {
            INFO(cut);
            CHECK(parse_split<tradewire::http_response_head>(text, cut) == expected);
        }
    }
}

TEST_CASE("http incremental parsing matches at every split near the size limit") {
    const std::string text = "GET / HTTP/1.1\r\nA: bcdef\r\n\r\n";  // 28 bytes
    for (std::size_t limit = 20; limit <= 32; ++limit) {
        INFO(limit);
        const tradewire::http_limits limits{limit};
        const std::string expected = parse_once<tradewire::http_request_head>(text, limits);
        CHECK(parse_bytewise<tradewire::http_request_head>(text, limits) == expected);
        for (std::size_t cut = 0; cut <= text.size(); ++cut) {
            INFO(cut);
            CHECK(parse_split<tradewire::http_request_head>(text, cut, limits) == expected);
        }
    }
}

TEST_CASE("http requires CRLF: a bare LF is rejected") {
    CHECK(request_error("GET / HTTP/1.1\nHost: a\r\n\r\n") == http_error::bad_line_ending);
    CHECK(request_error("GET / HTTP/1.1\r\nHost: a\n\n") == http_error::bad_line_ending);
    CHECK(response_error("HTTP/1.1 101 Switching Protocols\n\n") == http_error::bad_line_ending);
}

TEST_CASE("http requires CRLF: a bare CR is rejected") {
    CHECK(request_error("GET / HTTP/1.1\rHost: a\r\n\r\n") == http_error::bad_line_ending);
    CHECK(request_error("GET / HTTP/1.1\r\nHost: a\r\r\n\r\n") == http_error::bad_line_ending);
    // A CR at the very end may still be followed by LF.
    CHECK(request_error("GET / HTTP/1.1\r") == http_error::need_more);
}

TEST_CASE("http rejects obs-fold") {
    CHECK(request_error("GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n") == http_error::obs_fold);
    CHECK(request_error("GET / HTTP/1.1\r\nX-A: one\r\n\ttwo\r\n\r\n") == http_error::obs_fold);
}

TEST_CASE("http rejects whitespace between the start line and the first field") {
    CHECK(request_error("GET / HTTP/1.1\r\n Host: a\r\n\r\n") == http_error::obs_fold);
}

TEST_CASE("http rejects an empty line before the start line") {
    CHECK(request_error("\r\nGET / HTTP/1.1\r\n\r\n") == http_error::bad_method);
    CHECK(response_error("\r\nHTTP/1.1 200 OK\r\n\r\n") == http_error::bad_version);
}

TEST_CASE("http rejects whitespace before the colon") {
    CHECK(request_error("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == http_error::space_before_colon);
    CHECK(request_error("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n") == http_error::space_before_colon);
}

TEST_CASE("http rejects field names that are not tokens") {
    CHECK(request_error("GET / HTTP/1.1\r\nHo st: a\r\n\r\n") == http_error::bad_field_name);
    CHECK(request_error("GET / HTTP/1.1\r\nHo(st: a\r\n\r\n") == http_error::bad_field_name);
    CHECK(request_error("GET / HTTP/1.1\r\nHo\"st: a\r\n\r\n") == http_error::bad_field_name);
    CHECK(request_error("GET / HTTP/1.1\r\n: a\r\n\r\n") == http_error::bad_field_name);
    CHECK(request_error("GET / HTTP/1.1\r\nH\xc3\xa9: a\r\n\r\n") == http_error::bad_field_name);
    CHECK(request_error("GET / HTTP/1.1\r\nH\0st: a\r\n\r\n"sv) == http_error::bad_field_name);
    // Every token character is fine.
    CHECK_FALSE(request_error("GET / HTTP/1.1\r\n!#$%&'*+-.^_`|~09azAZ: a\r\n\r\n"));
}

TEST_CASE("http rejects a field line without a colon") {
    CHECK(request_error("GET / HTTP/1.1\r\nHost\r\n\r\n") == http_error::missing_colon);
    CHECK(request_error("GET / HTTP/1.1\r\nHost a\r\n\r\n") == http_error::missing_colon);
}

TEST_CASE("http rejects NUL, controls and DEL in field values") {
    CHECK(request_error("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n"sv) == http_error::bad_field_value);
    CHECK(request_error("GET / HTTP/1.1\r\nX: a\x01\r\n\r\n") == http_error::bad_field_value);
    CHECK(request_error("GET / HTTP/1.1\r\nX: a\x1f\r\n\r\n") == http_error::bad_field_value);
    CHECK(request_error("GET / HTTP/1.1\r\nX: a\x7f\r\n\r\n") == http_error::bad_field_value);
    CHECK(request_error("GET / HTTP/1.1\r\nX: \x1b[31m\r\n\r\n") == http_error::bad_field_value);
}

TEST_CASE("http accepts HTAB and obs-text in field values and trims whitespace") {
    tradewire::http_request_head head;
    REQUIRE_FALSE(parse_request("GET / HTTP/1.1\r\nX: \t a\tb \xc3\xa9 \t\r\nY:\r\nZ:   \r\n\r\n", head));
    REQUIRE(head.fields.size() == 3);
    CHECK(head.fields[0].value == "a\tb \xc3\xa9");
    CHECK(head.fields[1].value.empty());
    CHECK(head.fields[2].value.empty());
}

TEST_CASE("http request line rules") {
    CHECK_FALSE(request_error("OPTIONS * HTTP/1.1\r\n\r\n"));
    CHECK_FALSE(request_error("M-SEARCH http://a/b?c HTTP/1.0\r\n\r\n"));
    CHECK(request_error("G(T / HTTP/1.1\r\n\r\n") == http_error::bad_method);
    CHECK(request_error(" / HTTP/1.1\r\n\r\n") == http_error::bad_method);
    CHECK(request_error("GET\r\n\r\n") == http_error::bad_method);
    CHECK(request_error("GET  / HTTP/1.1\r\n\r\n") == http_error::bad_target);
    CHECK(request_error("GET /\r\n\r\n") == http_error::bad_target);
    CHECK(request_error("GET /a\x01 HTTP/1.1\r\n\r\n") == http_error::bad_target);
    CHECK(request_error("GET /\xc3\xa9 HTTP/1.1\r\n\r\n") == http_error::bad_target);
    CHECK(request_error("GET / HTTP/1.1 \r\n\r\n") == http_error::bad_version);
    CHECK(request_error("GET /  HTTP/1.1\r\n\r\n") == http_error::bad_version);
    CHECK(request_error("GET / http/1.1\r\n\r\n") == http_error::bad_version);
    CHECK(request_error("GET / HTTP/2.0\r\n\r\n") == http_error::bad_version);
    CHECK(request_error("GET / HTTP/1.10\r\n\r\n") == http_error::bad_version);
    CHECK(request_error("GET / HTTP/1\r\n\r\n") == http_error::bad_version);
    tradewire::http_request_head head;
    REQUIRE_FALSE(parse_request("get /x HTTP/1.0\r\n\r\n", head));
    CHECK(head.method == "get");  // methods are case-sensitive tokens; the caller decides
    CHECK(head.version == tradewire::http_version{1, 0});
    CHECK(head.version < tradewire::http_version{1, 1});
}

TEST_CASE("http status line rules") {
    tradewire::http_response_head head;
    REQUIRE_FALSE(parse_response("HTTP/1.1 101\r\n\r\n", head));  // no SP, no reason: tolerated
    CHECK(head.status == 101);
    CHECK(head.reason.empty());
    REQUIRE_FALSE(parse_response("HTTP/1.1 426 \r\n\r\n", head));
    CHECK(head.status == 426);
    CHECK(head.reason.empty());
    REQUIRE_FALSE(parse_response("HTTP/1.0 599 Caf\xc3\xa9 \t ok\r\n\r\n", head));
    CHECK(head.reason == "Caf\xc3\xa9 \t ok");
    CHECK(head.version == tradewire::http_version{1, 0});
    CHECK(response_error("HTTP/1.1 1010 x\r\n\r\n") == http_error::bad_status);
    CHECK(response_error("HTTP/1.1 099 x\r\n\r\n") == http_error::bad_status);
    CHECK(response_error("HTTP/1.1 600 x\r\n\r\n") == http_error::bad_status);
    CHECK(response_error("HTTP/1.1 20 x\r\n\r\n") == http_error::bad_status);
    CHECK(response_error("HTTP/1.1 2x0 x\r\n\r\n") == http_error::bad_status);
    CHECK(response_error("HTTP/1.1  200 x\r\n\r\n") == http_error::bad_status);
    CHECK(response_error("HTTP/1.1 200 a\x01\r\n\r\n") == http_error::bad_reason);
    CHECK(response_error("HTTP/1.1 200 a\x7f\r\n\r\n") == http_error::bad_reason);
    CHECK(response_error("HTTP/2 200\r\n\r\n") == http_error::bad_version);
    CHECK(response_error("HTTP/1.1\r\n\r\n") == http_error::bad_status);
    CHECK(response_error("ICY 200 OK\r\n\r\n") == http_error::bad_version);
}

TEST_CASE("http head size limit, default 8 KiB") {
    CHECK(tradewire::http_limits{}.max_head_size == 8192);
    const std::string start = "GET / HTTP/1.1\r\n";
    auto with_field = [&](std::size_t total) {               // a head of exactly `total` bytes
        const std::size_t fixed = start.size() + 3 + 2 + 2;  // "X: " CRLF CRLF
        return start + "X: " + std::string(total - fixed, 'a') + "\r\n\r\n";
    };
    CHECK_FALSE(request_error(with_field(8192)));
    CHECK(request_error(with_field(8193)) == http_error::head_too_large);

    // Fails before the terminating blank line arrives.
    const std::string endless = start + "X: " + std::string(9000, 'a');
    CHECK(request_error(std::string_view(endless).substr(0, 8191)) == http_error::need_more);
    CHECK(request_error(std::string_view(endless).substr(0, 8192)) == http_error::head_too_large);
    CHECK(request_error(endless) == http_error::head_too_large);

    // A configurable limit, with bytes after the head not counted.
    const std::string small = "GET / HTTP/1.1\r\n\r\n";
    tradewire::http_request_head head;
    std::size_t n = 0;
    CHECK_FALSE(parse_request(small + std::string(100, 'z'), head, &n, {small.size()}));
    CHECK(n == small.size());
    CHECK(parse_request(small, head, &n, {small.size() - 1}) == http_error::head_too_large);
    CHECK(parse_request(small.substr(0, small.size() - 2), head, &n, {small.size() - 1}) ==
          http_error::need_more);
}

TEST_CASE("http field count limit is the head's capacity") {
    CHECK(tradewire::http_fields::capacity() == 64);
    std::string text = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 4; ++i) text += "F" + std::to_string(i) + ": v\r\n";
    tradewire::basic_http_request_head<4> four;
    std::error_code ec;
    tradewire::http_parse_request(text + "\r\n", four, ec);
    CHECK_FALSE(ec);
    CHECK(four.fields.size() == 4);
    tradewire::http_parse_request(text + "F4: v\r\n\r\n", four, ec);
    CHECK(ec == http_error::too_many_fields);

    std::string many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 65; ++i) many += "F: v\r\n";
    CHECK(request_error(many + "\r\n") == http_error::too_many_fields);
    // Detected as soon as the 65th field line is complete, before the blank line.
    CHECK(request_error(many) == http_error::too_many_fields);
}

TEST_CASE("http field lookups ignore case") {
    tradewire::http_request_head head;
    REQUIRE_FALSE(parse_request(
        "GET / HTTP/1.1\r\nconnection: keep-alive\r\nCONNECTION: Upgrade\r\nX-Empty:\r\n\r\n", head));
    CHECK(head.fields.contains("Connection"));
    CHECK(head.fields.count("Connection") == 2);
    CHECK(head.fields.find("cOnNeCtIoN") == &head.fields[0]);
    CHECK(head.fields.value("Connection") == "keep-alive");
    CHECK(head.fields.contains("x-empty"));
    CHECK(head.fields.value("x-empty").empty());
    CHECK(head.fields.find("Upgrade") == nullptr);
    CHECK(head.fields.value("Upgrade").empty());
    // Repeated fields form one list.
    CHECK(head.fields.has_token("connection", "upgrade"));
    CHECK(head.fields.has_token("connection", "KEEP-ALIVE"));
    CHECK_FALSE(head.fields.has_token("connection", "close"));
    std::vector<std::string> elements;
    head.fields.for_each_element("Connection", [&](std::string_view e) {
        elements.emplace_back(e);
        return true;
    });
    CHECK(elements == std::vector<std::string>{"keep-alive", "Upgrade"});
}

TEST_CASE("http token lists: case, whitespace, extra and empty elements") {
    using tradewire::http_list_contains;
    CHECK(http_list_contains("keep-alive, Upgrade", "upgrade"));
    CHECK(http_list_contains("Upgrade", "upgrade"));
    CHECK(http_list_contains("  UPGRADE\t", "upgrade"));
    CHECK(http_list_contains(",,upgrade ,", "upgrade"));
    CHECK(http_list_contains("a,b , c,\tUpgrade , d", "upgrade"));
    CHECK(http_list_contains("websocket", "WebSocket"));
    CHECK_FALSE(http_list_contains("upgrades", "upgrade"));
    CHECK_FALSE(http_list_contains("up grade", "upgrade"));
    CHECK_FALSE(http_list_contains("keep-alive", "upgrade"));
    CHECK_FALSE(http_list_contains("", "upgrade"));
    CHECK_FALSE(http_list_contains("websocket/13", "websocket"));
    // Commas inside quoted strings do not split.
    CHECK_FALSE(http_list_contains("x; y=\"a, upgrade\"", "upgrade"));
    CHECK(http_list_contains("x; y=\"a, \\\"b\", upgrade", "upgrade"));
    CHECK(tradewire::http_iequals("Sec-WebSocket-Key", "sec-websocket-key"));
    CHECK_FALSE(tradewire::http_iequals("Sec-WebSocket-Key", "sec-websocket-kez"));
}

TEST_CASE("http field value and token predicates refuse injection") {
    CHECK(tradewire::http_is_field_value("Bearer abc.def"));
    CHECK(tradewire::http_is_field_value(""));
    CHECK(tradewire::http_is_field_value("caf\xc3\xa9"));
    CHECK_FALSE(tradewire::http_is_field_value("a\r\nX-Evil: 1"));
    CHECK_FALSE(tradewire::http_is_field_value("a\nb"));
    CHECK_FALSE(tradewire::http_is_field_value("a\rb"));
    CHECK_FALSE(tradewire::http_is_field_value("a\0b"sv));
    CHECK_FALSE(tradewire::http_is_field_value(" a"));
    CHECK_FALSE(tradewire::http_is_field_value("a\t"));
    CHECK(tradewire::http_is_token("X-Api-Key"));
    CHECK_FALSE(tradewire::http_is_token("X Api"));
    CHECK_FALSE(tradewire::http_is_token("X:Api"));
    CHECK_FALSE(tradewire::http_is_token(""));
}

TEST_CASE("http Content-Length is strict") {
    auto length = [](std::string_view fields, std::error_code& ec) {
        tradewire::http_response_head head;
        const std::string text = "HTTP/1.1 200 OK\r\n" + std::string(fields) + "\r\n";
        REQUIRE_FALSE(parse_response(text, head));
        return head.fields.content_length(ec);
    };
    std::error_code ec;
    CHECK_FALSE(length("", ec).has_value());
    CHECK_FALSE(ec);
    CHECK(length("Content-Length: 0\r\n", ec) == 0u);
    CHECK(length("content-length: 42\r\n", ec) == 42u);
    CHECK_FALSE(ec);
    CHECK(length("Content-Length: 007\r\n", ec) == 7u);
    CHECK(length("Content-Length: 42\r\nContent-Length: 42\r\n", ec) == 42u);
    CHECK_FALSE(ec);
    CHECK(length("Content-Length: 18446744073709551615\r\n", ec) == UINT64_MAX);
    CHECK_FALSE(ec);

    CHECK_FALSE(length("Content-Length: 42\r\nContent-Length: 43\r\n", ec).has_value());
    CHECK(ec == http_error::content_length_mismatch);
    CHECK_FALSE(length("Content-Length: 18446744073709551616\r\n", ec).has_value());
    CHECK(ec == http_error::content_length_overflow);
    CHECK_FALSE(length("Content-Length: 99999999999999999999999\r\n", ec).has_value());
    CHECK(ec == http_error::content_length_overflow);
    for (const char* bad : {"+5", "-1", "5 5", "5,5", "5, 5", "0x10", "1e3", "", "five"}) {
        INFO(bad);
        CHECK_FALSE(length("Content-Length: " + std::string(bad) + "\r\n", ec).has_value());
        CHECK(ec == http_error::bad_content_length);
    }
}

TEST_CASE("http Transfer-Encoding chunked detection") {
    auto chunked = [](std::string_view fields, std::error_code& ec) {
        tradewire::http_response_head head;
        const std::string text = "HTTP/1.1 200 OK\r\n" + std::string(fields) + "\r\n";
        REQUIRE_FALSE(parse_response(text, head));
        return head.fields.chunked(ec);
    };
    std::error_code ec;
    CHECK_FALSE(chunked("", ec));
    CHECK_FALSE(ec);
    CHECK(chunked("Transfer-Encoding: chunked\r\n", ec));
    CHECK(chunked("transfer-encoding: Chunked\r\n", ec));
    CHECK(chunked("Transfer-Encoding: gzip, chunked\r\n", ec));
    CHECK(chunked("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", ec));
    CHECK_FALSE(ec);
    CHECK_FALSE(chunked("Transfer-Encoding: gzip\r\n", ec));
    CHECK_FALSE(ec);
    for (const char* bad : {"chunked, gzip", "chunked, chunked", "", " , ", "gz ip", "\"chunked\""}) {
        INFO(bad);
        CHECK_FALSE(chunked("Transfer-Encoding: " + std::string(bad) + "\r\n", ec));
        CHECK(ec == http_error::bad_transfer_encoding);
    }
}

TEST_CASE("http body framing of responses and requests") {
    using tradewire::http_body_kind;
    auto response = [](std::string_view text, std::error_code& err, bool head_request = false) {
        tradewire::http_response_head head;
        REQUIRE_FALSE(parse_response(text, head));
        return tradewire::http_response_body(head, err, head_request);
    };
    std::error_code ec;
    CHECK(response(rfc_response, ec).kind == http_body_kind::none);
    CHECK(response("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", ec).kind == http_body_kind::none);
    CHECK(response("HTTP/1.1 304 Not Modified\r\n\r\n", ec).kind == http_body_kind::none);
    CHECK(response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", ec, true).kind == http_body_kind::none);
    const auto sized = response("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", ec);
    CHECK(sized.kind == http_body_kind::length);
    CHECK(sized.length == 5);
    CHECK(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", ec).kind ==
          http_body_kind::chunked);
    CHECK(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", ec).kind ==
          http_body_kind::until_close);
    CHECK(response("HTTP/1.1 200 OK\r\n\r\n", ec).kind == http_body_kind::until_close);
    CHECK_FALSE(ec);
    response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", ec);
    CHECK(ec == http_error::framing_conflict);
    response("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", ec);
    CHECK(ec == http_error::bad_transfer_encoding);
    response("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", ec);
    CHECK(ec == http_error::bad_content_length);

    auto request = [](std::string_view text, std::error_code& err) {
        tradewire::http_request_head head;
        REQUIRE_FALSE(parse_request(text, head));
        return tradewire::http_request_body(head, err);
    };
    CHECK(request(rfc_request, ec).kind == http_body_kind::none);
    CHECK_FALSE(ec);
    CHECK(request("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n", ec).length == 3);
    CHECK(request("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", ec).kind ==
          http_body_kind::chunked);
    request("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", ec);
    CHECK(ec == http_error::bad_transfer_encoding);
}

TEST_CASE("http parser errors are sticky until reset") {
    tradewire::http_request_parser parser;
    std::error_code ec;
    const std::string bad = "GET / HTTP/1.1\r\nA : b\r\n";
    CHECK(parser.parse(bad, ec) == 0);
    CHECK(ec == http_error::space_before_colon);
    CHECK(parser.parse(bad + "\r\n", ec) == 0);
    CHECK(ec == http_error::space_before_colon);
    parser.reset();
    CHECK(parser.parse("GET / HTTP/1.1\r\n\r\n", ec) == 18);
    CHECK_FALSE(ec);
    // After success, parsing again re-binds the views to the new buffer.
    const std::string moved = "GET / HTTP/1.1\r\n\r\n";
    CHECK(parser.parse(moved, ec) == 18);
    CHECK(parser.head().method.data() == moved.data());
}

TEST_CASE("http parser starts over when given fewer bytes than before") {
    tradewire::http_request_parser parser;
    std::error_code ec;
    parser.parse("GET / HTTP/1.1\r\nA: b\r\n", ec);
    CHECK(ec == http_error::need_more);
    CHECK(parser.parse("PUT /x HTTP/1.1\r\n\r\n", ec) == 19);
    CHECK_FALSE(ec);
    CHECK(parser.head().method == "PUT");
    CHECK(parser.head().fields.empty());
}

TEST_CASE("http parser exposes no head until a parse succeeds") {
    tradewire::http_request_parser parser;
    std::error_code ec;
    std::string partial = "GET /abc HTTP/1.1\r\nHost: a\r\n";
    parser.parse(partial, ec);
    CHECK(ec == http_error::need_more);
    CHECK(parser.head().method.empty());
    CHECK(parser.head().fields.empty());
    partial += "\r\n";
    CHECK(parser.parse(partial, ec) == partial.size());
    CHECK(parser.head().method == "GET");
    CHECK(parser.head().fields.size() == 1);
    parser.parse("GET / HTTP/1.1\r\nBad : x\r\n\r\n", ec);  // starts over (shorter), fails
    CHECK(ec == http_error::space_before_colon);
    CHECK(parser.head().method.empty());
}
