// Gate signer: WS API login (G1, REFERENCE.md 6.6/10, computed with python3 because the
// docs' signatures use an unpublished secret), the login message and channel auth.
#include "catch.hpp"

#include <tradewire/trade/sign_gate.hpp>

#include <array>
#include <string>
#include <string_view>

using tradewire::trade::credentials;
using tradewire::trade::error;
using tradewire::trade::gate_signer;

namespace {
// python3: hmac.new(b"YOUR_API_SECRET", b"api\nspot.login\n\n1677813908", hashlib.sha512).hexdigest()
constexpr std::string_view g1 =
    "641cdaae96de77017a60fa36a171f847497f9d0b59dc69d3db6cb40cdd9f1aba33d5682b98704da437d7b156183347e441f62ffa7354755c25c"
    "83f6cdbaacfbc";
}  // namespace

TEST_CASE("gate G1: WS API login string and hex HMAC-SHA512") {
    const gate_signer s(credentials("key", "YOUR_API_SECRET"));
    std::array<char, 128> buf;
    std::error_code ec;
    const std::size_t n = gate_signer::api_payload("api", "spot.login", "", 1677813908, buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) == "api\nspot.login\n\n1677813908");
    char sig[gate_signer::signature_size];
    CHECK(s.sign_api("api", "spot.login", "", 1677813908, buf, sig, ec) == 128);
    CHECK(std::string_view(sig, 128) == g1);
    CHECK(std::string_view(sig, 32) == "641cdaae96de77017a60fa36a171f847");  // the reference's prefix
}

TEST_CASE("gate spot.login message matches the documented shape") {
    const gate_signer s(credentials("ea83fad2604399da16bf97e6eea772a6", "YOUR_API_SECRET"));
    std::array<char, 512> buf;
    std::error_code ec;
    const std::size_t n = s.login_message(1677813908, "request-1", buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) ==
          "{\"time\":1677813908,\"channel\":\"spot.login\",\"event\":\"api\",\"payload\":{\"api_key\":"
          "\"ea83fad2604399da16bf97e6eea772a6\",\"signature\":\"" +
              std::string(g1) + "\",\"timestamp\":\"1677813908\",\"req_id\":\"request-1\"}}");
    CHECK(s.login_message(1, "a\\b", buf, ec) == 0);
    CHECK(ec == error::invalid_text);
}

TEST_CASE("gate channel auth: channel=..&event=..&time=..") {
    const gate_signer s(credentials("KEY1", "YOUR_API_SECRET"));
    std::array<char, 512> buf;
    std::error_code ec;
    std::size_t n = gate_signer::channel_payload("spot.orders", "subscribe", 1681984544, buf, ec);
    CHECK(std::string_view(buf.data(), n) == "channel=spot.orders&event=subscribe&time=1681984544");
    n = s.channel_auth("spot.orders", "subscribe", 1681984544, buf, ec);
    REQUIRE_FALSE(ec);
    // python3: hmac.new(b"YOUR_API_SECRET", b"channel=spot.orders&event=subscribe&time=1681984544", sha512).hexdigest()
    CHECK(std::string_view(buf.data(), n) ==
          "{\"method\":\"api_key\",\"KEY\":\"KEY1\",\"SIGN\":\"271986b226083aa6bd47c8f65aa64e580b2b0e229eb429276b91c983f5961dc"
          "6df7c00964b003881457ddd94f6047bc5fb19a91cb84206683e9f442535d7ce6d\"}");
}
