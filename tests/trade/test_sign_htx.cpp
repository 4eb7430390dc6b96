// HTX signer: the huobi_Python REST vector (REFERENCE.md 7.7, [V] string), the docs'
// WS v2 string to sign (7.6), percent-encoding and sorting, and the auth message.
// Signatures were computed independently with python3:
// base64(hmac.new(secret, string, hashlib.sha256).digest()).
#include "catch.hpp"

#include <tradewire/trade/sign_htx.hpp>

#include <array>
#include <string>
#include <string_view>

using tradewire::trade::credentials;
using tradewire::trade::error;
using tradewire::trade::htx_signer;
using tradewire::trade::query_param;

TEST_CASE("htx 7.7: create_signature(\"123\", \"456\", GET, http://host/url) at Timestamp 123") {
    const htx_signer s(credentials("123", "456"));
    std::array<char, 256> buf;
    char sig[htx_signer::signature_size];
    std::error_code ec;
    REQUIRE(s.sign_rest("GET", "host", "/url", {}, "123", buf, sig, ec) == 44);
    CHECK(std::string_view(buf.data(), 89) ==
          "GET\nhost\n/url\nAccessKeyId=123&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=123");
    CHECK(std::string_view(sig, 44) == "Hhiaq8xYQPiBZOyWV37MdQutLo4f0ZOHiJtG3p+nILc=");
}

TEST_CASE("htx WS v2: the docs' string to sign, byte for byte") {
    const query_param params[] = {{"timestamp", "2019-12-05T11:53:03"},
                                  {"signatureVersion", "2.1"},
                                  {"accessKey", "0664b695-rfhfg2mkl3-abbf6c5d-49810"},
                                  {"signatureMethod", "HmacSHA256"}};
    std::array<char, 256> buf;
    std::error_code ec;
    const std::size_t n = htx_signer::payload("get", "WWW.huobihktrust.com", "/ws/v2", params, buf, ec);
    REQUIRE_FALSE(ec);
    const std::string_view expected =
        "GET\nwww.huobihktrust.com\n/ws/v2\naccessKey=0664b695-rfhfg2mkl3-abbf6c5d-49810&signatureMethod=HmacSHA256"
        "&signatureVersion=2.1&timestamp=2019-12-05T11%3A53%3A03";
    CHECK(std::string_view(buf.data(), n) == expected);
    const htx_signer s(credentials("0664b695-rfhfg2mkl3-abbf6c5d-49810", "secret"));
    char sig[44];
    s.sign(expected, sig);
    CHECK(std::string_view(sig, 44) == "LmR3SSNjMfvwvAmNtBybpmfI/nUHBS7akpGdq65rRL0=");
}

TEST_CASE("htx WS v2 auth message carries unencoded values and the signature") {
    const htx_signer s(credentials("0664b695-rfhfg2mkl3-abbf6c5d-49810", "secret"));
    char ts[htx_signer::utc_timestamp_size];
    CHECK(htx_signer::utc_timestamp(1575546783000, ts) == 19);
    CHECK(std::string_view(ts, 19) == "2019-12-05T11:53:03");
    std::array<char, 512> buf;
    std::error_code ec;
    const std::size_t n = s.ws_auth_message(1575546783000, "www.huobihktrust.com", buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) ==
          "{\"action\":\"req\",\"ch\":\"auth\",\"params\":{\"authType\":\"api\",\"accessKey\":"
          "\"0664b695-rfhfg2mkl3-abbf6c5d-49810\",\"signatureMethod\":\"HmacSHA256\",\"signatureVersion\":\"2.1\","
          "\"timestamp\":\"2019-12-05T11:53:03\",\"signature\":\"LmR3SSNjMfvwvAmNtBybpmfI/nUHBS7akpGdq65rRL0=\"}}");
}

TEST_CASE("htx canonical query: sorted by name, values percent-encoded") {
    const query_param params[] = {{"symbol", "btcusdt"}, {"account-id", "1"}, {"note", "a b/c+é"}};
    std::array<char, 256> buf;
    std::error_code ec;
    const std::size_t n = htx_signer::canonical_query(params, buf, ec);
    CHECK(std::string_view(buf.data(), n) == "account-id=1&note=a%20b%2Fc%2B%C3%A9&symbol=btcusdt");
    CHECK(htx_signer::canonical_query(params, std::span<char>(buf.data(), 10), ec) == 0);
    CHECK(ec == error::buffer_too_small);
}
