// Kraken signer: API-Sign vector K1 (REFERENCE.md 9, [V]), the GetWebSocketsToken call,
// and the base64 secret's validation.
#include "catch.hpp"

#include <tradewire/trade/sign_kraken.hpp>

#include <array>
#include <string>
#include <string_view>

using tradewire::trade::credentials;
using tradewire::trade::error;
using tradewire::trade::kraken_signer;

namespace {
constexpr std::string_view secret =
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
}

TEST_CASE("kraken K1: API-Sign of the docs' AddOrder example [V]") {
    std::error_code ec;
    const kraken_signer s(credentials("key", secret), ec);
    REQUIRE_FALSE(ec);
    REQUIRE(s.valid());
    char sig[kraken_signer::signature_size];
    CHECK(s.api_sign("/0/private/AddOrder", "1616492376594",
                     "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25", sig) == 88);
    CHECK(std::string_view(sig, 88) ==
          "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==");
}

TEST_CASE("kraken GetWebSocketsToken request body and signature") {
    std::error_code ec;
    const kraken_signer s(credentials("key", secret), ec);
    std::array<char, 64> body;
    char sig[kraken_signer::signature_size];
    const std::size_t n = s.websockets_token_request(1616492376594, body, sig, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(body.data(), n) == "nonce=1616492376594");
    // python3: base64(hmac(b64decode(secret), path + sha256(nonce + body), sha512))
    CHECK(std::string_view(sig, 88) ==
          "+mRDmY9Ks0Moc1zjv/BjfvYa98buO0x1yHChZR5onlfAzAUbfIYlLggUZzdQ0RsmXm4Sh+Q8iAIZdo2wSeHeiA==");
}

TEST_CASE("kraken secret must be strict base64") {
    std::error_code ec;
    for (const std::string_view bad : {"not base64!", "abcde", "kQH5HW/8p1uGOVjb gWA7", "====", "YQ=x", "YR=="}) {
        INFO(bad);
        const kraken_signer s(credentials("key", bad), ec);
        CHECK(ec == error::invalid_secret_encoding);
        CHECK_FALSE(s.valid());
        char sig[88];
        CHECK(s.api_sign("/0/private/Balance", "1", "nonce=1", sig) == 0);
        // The message names the problem only.
        CHECK(ec.message().find(bad) == std::string::npos);
    }
    const kraken_signer empty(credentials("key", ""), ec);
    CHECK(ec == error::missing_credential);
    std::array<char, 64> body;
    char sig[88];
    CHECK(empty.websockets_token_request(1, body, sig, ec) == 0);
    CHECK(ec == error::missing_credential);
}

TEST_CASE("kraken token usage: the documented private subscribe (REFERENCE 5.6)") {
    std::array<char, 256> buf;
    std::error_code ec;
    std::size_t n = tradewire::trade::kraken_subscribe_private({}, "G38a1tGFzqGiUCmnegBcm8d4nfP3tytiNQz6tkCBYXY", buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) ==
          "{\"method\":\"subscribe\",\"params\":{\"channel\":\"executions\",\"token\":"
          "\"G38a1tGFzqGiUCmnegBcm8d4nfP3tytiNQz6tkCBYXY\",\"snap_orders\":true,\"snap_trades\":true}}");
    n = tradewire::trade::kraken_subscribe_private({.channel = "balances", .req_id = 42}, "TOKEN", buf, ec);
    CHECK(std::string_view(buf.data(), n) ==
          "{\"method\":\"subscribe\",\"params\":{\"channel\":\"balances\",\"token\":\"TOKEN\"},\"req_id\":42}");
    CHECK(tradewire::trade::kraken_subscribe_private({}, "", buf, ec) == 0);
    CHECK(ec == error::missing_credential);
    CHECK(tradewire::trade::kraken_subscribe_private({}, "TOK", std::span<char>(buf.data(), 20), ec) == 0);
    CHECK(ec == error::buffer_too_small);
}
