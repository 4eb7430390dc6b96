// OKX signer: WS login (O1, REFERENCE.md 3.7/10, computed with python3 because the docs'
// example uses an unpublished secret), the login message, ISO timestamps and the REST
// OK-ACCESS-* headers.
#include "catch.hpp"

#include <tradewire/trade/sign_okx.hpp>

#include <array>
#include <string>
#include <string_view>

using tradewire::trade::credentials;
using tradewire::trade::error;
using tradewire::trade::okx_rest_headers;
using tradewire::trade::okx_signer;

namespace {
constexpr std::string_view secret = "22582BD0CFF14C41EDBF1AB98506286D";
}

TEST_CASE("okx O1: login string and base64 signature") {
    const okx_signer s(credentials("key", secret, "pass"));
    std::array<char, 64> buf;
    std::error_code ec;
    const std::size_t n = okx_signer::login_prehash(1538054050, buf, ec);
    CHECK(std::string_view(buf.data(), n) == "1538054050GET/users/self/verify");
    char sig[okx_signer::signature_size];
    CHECK(s.sign_login(1538054050, sig) == 44);
    CHECK(std::string_view(sig, 44) == "+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=");
}

TEST_CASE("okx login message matches the documented shape") {
    const okx_signer s(credentials("my-key", secret, "my-pass"));
    std::array<char, 256> buf;
    std::error_code ec;
    const std::size_t n = s.login_message(1538054050, buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) ==
          "{\"op\":\"login\",\"args\":[{\"apiKey\":\"my-key\",\"passphrase\":\"my-pass\",\"timestamp\":\"1538054050\","
          "\"sign\":\"+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=\"}]}");
    // OKX needs a passphrase.
    CHECK(okx_signer(credentials("k", secret)).login_message(1, buf, ec) == 0);
    CHECK(ec == error::missing_credential);
}

TEST_CASE("okx ISO timestamps in UTC with milliseconds") {
    char t[okx_signer::iso_timestamp_size];
    CHECK(okx_signer::iso_timestamp(1607418537715, t) == 24);
    CHECK(std::string_view(t, 24) == "2020-12-08T09:08:57.715Z");
    okx_signer::iso_timestamp(0, t);
    CHECK(std::string_view(t, 24) == "1970-01-01T00:00:00.000Z");
    okx_signer::iso_timestamp(951782400000, t);  // leap day 2000
    CHECK(std::string_view(t, 24) == "2000-02-29T00:00:00.000Z");
    okx_signer::iso_timestamp(4102444799999, t);
    CHECK(std::string_view(t, 24) == "2099-12-31T23:59:59.999Z");
    okx_signer::iso_timestamp(253402300799999, t);
    CHECK(std::string_view(t, 24) == "9999-12-31T23:59:59.999Z");
    CHECK(okx_signer::iso_timestamp(253402300800000, t) == 0);
}

TEST_CASE("okx REST: timestamp + METHOD + requestPath + body, base64") {
    const okx_signer s(credentials("my-key", secret, "my-pass"));
    std::array<char, 512> buf;
    std::error_code ec;
    okx_rest_headers h;
    // Expected values computed with python3: base64(hmac.new(secret, prehash, sha256).digest()).
    REQUIRE(s.sign_rest(1607418537715, "get", "/api/v5/account/balance?ccy=BTC", "", buf, h, ec));
    CHECK(std::string_view(buf.data(), 58) == "2020-12-08T09:08:57.715ZGET/api/v5/account/balance?ccy=BTC");
    CHECK(h.timestamp() == "2020-12-08T09:08:57.715Z");
    CHECK(h.api_key() == "my-key");
    CHECK(h.reveal_passphrase() == "my-pass");
    CHECK(h.sign() == "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=");
    const std::string body =
        "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"2.15\",\"sz\":\"2\"}";
    REQUIRE(s.sign_rest(1607418537715, "POST", "/api/v5/trade/order", body, buf, h, ec));
    CHECK(h.sign() == "iwrdSpN7pm4G4u8+fswZUyH6mOM48+sBF6WvKpj4Dvk=");
    CHECK_FALSE(okx_signer(credentials("k", secret)).sign_rest(1, "GET", "/", "", buf, h, ec));
    CHECK(ec == error::missing_credential);
}
