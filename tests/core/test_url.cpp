// URL splitting for ws://, wss://, http://, https://: hosts (names, IPv4, IPv6 literals),
// default and explicit ports, path and query, and every refusal.
#include "catch.hpp"

#include <tradewire/core/url.hpp>

#include <string>

using tradewire::url_error;
using tradewire::url_scheme;

namespace {
tradewire::url parse(std::string_view text) {
    std::error_code ec;
    tradewire::url u = tradewire::parse_url(text, ec);
    INFO(text);
    REQUIRE_FALSE(ec);
    return u;
}
std::error_code parse_error(std::string_view text) {
    std::error_code ec;
    tradewire::parse_url(text, ec);
    return ec;
}
}  // namespace

TEST_CASE("url error category") {
    const std::error_code ec = url_error::bad_port;
    CHECK(std::string(ec.category().name()) == "tradewire.url");
    CHECK(ec.message() == "bad port in URL");
    for (int v = 1; v <= static_cast<int>(url_error::fragment_not_allowed); ++v) {
        CHECK(std::error_code(static_cast<url_error>(v)).message() != "unknown URL error");
    }
}

TEST_CASE("url ws and wss with default ports and default path") {
    const auto a = parse("ws://example.com");
    CHECK(a.scheme == url_scheme::ws);
    CHECK(a.host == "example.com");
    CHECK(a.port == 80);
    CHECK(a.default_port());
    CHECK_FALSE(a.secure());
    CHECK(a.path == "/");
    CHECK(a.query.empty());
    CHECK_FALSE(a.ipv6);

    const auto b = parse("wss://stream.binance.com:9443/ws/btcusdt@trade");
    CHECK(b.scheme == url_scheme::wss);
    CHECK(b.secure());
    CHECK(b.host == "stream.binance.com");
    CHECK(b.port == 9443);
    CHECK_FALSE(b.default_port());
    CHECK(b.path == "/ws/btcusdt@trade");

    const auto c = parse("wss://ws.okx.com:443/ws/v5/public");
    CHECK(c.port == 443);
    CHECK(c.default_port());

    CHECK(parse("wss://h").port == 443);
    CHECK(parse("ws://h:443").port == 443);
    CHECK_FALSE(parse("ws://h:443").default_port());
    CHECK(parse("http://h").port == 80);
    CHECK(parse("https://h").port == 443);
    CHECK(parse("https://h").scheme == url_scheme::https);
    CHECK(parse("WSS://H").scheme == url_scheme::wss);  // schemes are case-insensitive
    CHECK(parse("ws://h:00080").port == 80);
    CHECK(parse("ws://h:65535").port == 65535);
    CHECK(tradewire::url_scheme_name(url_scheme::wss) == "wss");
}

TEST_CASE("url path and query") {
    const auto a = parse("wss://stream.binance.com:9443/stream?streams=btcusdt@trade/ethusdt@depth");
    CHECK(a.path == "/stream");
    CHECK(a.query == "streams=btcusdt@trade/ethusdt@depth");
    const auto b = parse("ws://h?x=1");
    CHECK(b.path == "/");
    CHECK(b.query == "x=1");
    const auto c = parse("ws://h/a%20b/?q=%2F&r=s?t");
    CHECK(c.path == "/a%20b/");
    CHECK(c.query == "q=%2F&r=s?t");
    CHECK(parse("ws://h/").path == "/");
    CHECK(parse("ws://h/?").query.empty());
}

TEST_CASE("url IPv4 and IPv6 hosts") {
    const auto v4 = parse("ws://127.0.0.1:8080/x");
    CHECK(v4.host == "127.0.0.1");
    CHECK(v4.port == 8080);
    CHECK_FALSE(v4.ipv6);

    const auto v6 = parse("ws://[::1]:9001/ws");
    CHECK(v6.ipv6);
    CHECK(v6.host == "::1");
    CHECK(v6.port == 9001);
    CHECK(v6.path == "/ws");

    const auto v6d = parse("wss://[2001:db8::7]");
    CHECK(v6d.host == "2001:db8::7");
    CHECK(v6d.port == 443);
    for (const char* ok : {"ws://[::]/", "ws://[1:2:3:4:5:6:7:8]/", "ws://[::ffff:192.0.2.1]/", "ws://[1::]/",
                           "ws://[fe80::1:2]/", "ws://[1:2:3:4:5:6:1.2.3.4]/", "ws://[ABCD:ef01::]/"}) {
        INFO(ok);
        CHECK_FALSE(parse_error(ok));
    }
    for (const char* bad :
         {"ws://[::1/", "ws://[]/", "ws://[1:2:3:4:5:6:7:8:9]/", "ws://[1::2::3]/", "ws://[:1]/",
          "ws://[1:]/", "ws://[12345::]/", "ws://[fe80::1%25eth0]/", "ws://[g::]/",
          "ws://[1:2:3:4:5:6:7::8]/", "ws://[::1.2.3]/", "ws://[::1.2.3.256]/", "ws://[::1]x/",
          "ws://[127.0.0.1]/", "ws://[v1.x]/", "ws://[1:2:3:4:5:6:7]/"}) {
        INFO(bad);
        CHECK(parse_error(bad) == url_error::bad_host);
    }
}

TEST_CASE("url refuses userinfo") {
    CHECK(parse_error("wss://user:pass@example.com/") == url_error::userinfo_not_allowed);
    CHECK(parse_error("wss://user@example.com") == url_error::userinfo_not_allowed);
    CHECK(parse_error("wss://@example.com") == url_error::userinfo_not_allowed);
}

TEST_CASE("url refuses fragments") {
    CHECK(parse_error("wss://example.com/a#b") == url_error::fragment_not_allowed);
    CHECK(parse_error("wss://example.com/a?x#b") == url_error::fragment_not_allowed);
    CHECK(parse_error("wss://example.com#") == url_error::fragment_not_allowed);
}

TEST_CASE("url refuses bad ports") {
    for (const char* bad :
         {"ws://h:/", "ws://h:0/", "ws://h:65536/", "ws://h:99999", "ws://h:123456/", "ws://h:-1/",
          "ws://h:+80/", "ws://h:8a/", "ws://h: 80/", "ws://[::1]:/", "ws://h:80:81/"}) {
        INFO(bad);
        CHECK(parse_error(bad) == url_error::bad_port);
    }
}

TEST_CASE("url refuses bad schemes") {
    CHECK(parse_error("ftp://h/") == url_error::unsupported_scheme);
    CHECK(parse_error("wsx://h/") == url_error::unsupported_scheme);
    CHECK(parse_error("example.com/ws") == url_error::bad_scheme);
    CHECK(parse_error("://h") == url_error::bad_scheme);
    CHECK(parse_error("ws:/h") == url_error::bad_scheme);
    CHECK(parse_error("w s://h") == url_error::bad_scheme);
    CHECK(parse_error("") == url_error::bad_scheme);
}

TEST_CASE("url refuses bad hosts, paths and queries") {
    for (const char* bad : {"ws:///x", "ws://:80/", "ws://ho st/", "ws://h\r\nX: y/", "ws://h%41/",
                            "ws://h!/", "ws://caf\xc3\xa9.com/"}) {
        INFO(bad);
        CHECK(parse_error(bad) == url_error::bad_host);
    }
    CHECK(parse_error(("ws://" + std::string(254, 'a')).c_str()) == url_error::bad_host);
    CHECK_FALSE(parse_error(("ws://" + std::string(253, 'a')).c_str()));
    for (const char* bad :
         {"ws://h/a b", "ws://h/a\r\nb", "ws://h/%", "ws://h/%4", "ws://h/%4g", "ws://h/a\"b", "ws://h/<x>",
          "ws://h/\xc3\xa9", "ws://h/a|b", "ws://h/a\\b", "ws://h/{x}"}) {
        INFO(bad);
        CHECK(parse_error(bad) == url_error::bad_path);
    }
    for (const char* bad : {"ws://h/?a b", "ws://h/?a\nb", "ws://h/?%zz", "ws://h?x=\x01"}) {
        INFO(bad);
        CHECK(parse_error(bad) == url_error::bad_query);
    }
}
