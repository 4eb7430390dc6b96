// Binance signer: B1 and B5 (REFERENCE.md 1.8, [V]) through binance_signer, the sorted
// WS string to sign byte for byte, REST totalParams (docs examples 1-3 and the
// percent-encoding rule), and the session.logon message.
#include "catch.hpp"

#include <tradewire/crypto/ed25519.hpp>
#include <tradewire/trade/sign_binance.hpp>

#include <array>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

using tradewire::trade::binance_signer;
using tradewire::trade::credentials;
using tradewire::trade::error;
using tradewire::trade::query_param;

namespace {
constexpr std::string_view api_key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr std::string_view secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr std::string_view b1_payload =
    "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity=0.01000000"
    "&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT";
constexpr std::string_view b1_signature = "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24";
constexpr std::string_view b5_signature = "1cf54395b336b0a9727ef27d5d98987962bc47aca6e13fe978612d0adee066ed";

std::string sign(binance_signer& s, std::string_view payload) {
    std::string out(s.signature_size(), '\0');
    CHECK(s.sign(payload, out.data()) == s.signature_size());
    return out;
}

std::string data_file(const std::string& name) {
    std::ifstream in(std::string(TRADEWIRE_TEST_DATA_DIR) + "/crypto/" + name, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}
}  // namespace

TEST_CASE("binance B1: WS API params sorted into the documented string, signed [V]") {
    binance_signer s(credentials(api_key, secret));
    // Parameters in the request's (unsorted) order, plus a signature the payload must skip.
    const query_param params[] = {
        {"symbol", "BTCUSDT"},  {"side", "SELL"},          {"type", "LIMIT"},     {"timeInForce", "GTC"},
        {"quantity", "0.01000000"}, {"price", "52000.00"}, {"recvWindow", "100"}, {"timestamp", "1645423376532"},
        {"apiKey", api_key},    {"signature", "ignored"},
    };
    std::array<char, 512> buf;
    std::error_code ec;
    const std::size_t n = binance_signer::ws_payload(params, buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) == b1_payload);
    CHECK(sign(s, b1_payload) == b1_signature);
    char sig[binance_signer::hmac_signature_size];
    CHECK(s.sign_ws(params, buf, sig, ec) == binance_signer::hmac_signature_size);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(sig, sizeof sig) == b1_signature);
}

TEST_CASE("binance B5: session.logon string and message [V]") {
    binance_signer s(credentials(api_key, secret));
    CHECK(sign(s, "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&timestamp=1649729878532") ==
          b5_signature);
    std::array<char, 512> buf;
    std::error_code ec;
    const std::size_t n = s.session_logon(1649729878532, "c174a2b1-3f51-4580-b200-8528bd237cb7", buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) ==
          "{\"id\":\"c174a2b1-3f51-4580-b200-8528bd237cb7\",\"method\":\"session.logon\",\"params\":{\"apiKey\":\"" +
              std::string(api_key) + "\",\"signature\":\"" + std::string(b5_signature) +
              "\",\"timestamp\":1649729878532}}");
    // Too small a buffer: an error, not a truncated message.
    CHECK(s.session_logon(1649729878532, "1", std::span<char>(buf.data(), 100), ec) == 0);
    CHECK(ec == error::buffer_too_small);
    CHECK(s.session_logon(1649729878532, "bad\"id", buf, ec) == 0);
    CHECK(ec == error::invalid_text);
    binance_signer none(credentials{});
    CHECK(none.session_logon(1, "1", buf, ec) == 0);
    CHECK(ec == error::missing_credential);
}

TEST_CASE("binance REST: totalParams is query string then body, in the order sent") {
    binance_signer s(credentials(api_key, secret));
    std::array<char, 512> buf;
    std::error_code ec;
    // rest-api.md examples 1 and 2 (body only / query only), then 3 (mixed: no '&' joins them).
    const std::string_view all =
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    char sig[64];
    REQUIRE(s.sign_rest("", all, buf, sig, ec) == 64);
    CHECK(std::string_view(sig, 64) == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
    REQUIRE(s.sign_rest(all, "", buf, sig, ec) == 64);
    CHECK(std::string_view(sig, 64) == "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
    const std::size_t n = binance_signer::rest_payload("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
                                                       "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) ==
          "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559");
    CHECK(sign(s, std::string_view(buf.data(), n)) == "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77");
}

TEST_CASE("binance REST: names and values are percent-encoded (RFC 3986) before signing") {
    binance_signer s(credentials(api_key, secret));
    std::array<char, 512> buf;
    std::error_code ec;
    const query_param params[] = {{"symbol", "这是测试币456"}, {"side", "BUY"},         {"type", "LIMIT"},
                                  {"timeInForce", "GTC"},      {"quantity", "1"},       {"price", "0.1"},
                                  {"recvWindow", "5000"},      {"timestamp", "1499827319559"}};
    const std::size_t n = binance_signer::encode_params(params, buf, ec);
    REQUIRE_FALSE(ec);
    const std::string_view expected =
        "symbol=%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1"
        "&price=0.1&recvWindow=5000&timestamp=1499827319559";
    CHECK(std::string_view(buf.data(), n) == expected);
    // Expected signature computed independently: python3 hmac.new(secret, expected, sha256).hexdigest().
    CHECK(sign(s, expected) == "4b6e325645ce7207ef753f22262305df9646f9e5b8a9a266e2320c70bb7f60c8");
    // An assembled query with raw UTF-8 signs the same: only non-ASCII bytes are encoded.
    char sig[64];
    REQUIRE(s.sign_rest("symbol=这是测试币456&side=BUY&type=LIMIT&timeInForce=GTC",
                        "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559", buf, sig, ec) == 64);
    // query + body join without '&'; the value was computed independently with python3
    // (urllib.parse.quote(symbol, safe='') and hmac/sha256).
    CHECK(std::string_view(buf.data(), 151) ==
          "symbol=%E8%BF%99%E6%98%AF%E6%B5%8B%E8%AF%95%E5%B8%81456&side=BUY&type=LIMIT&timeInForce=GTCquantity=1"
          "&price=0.1&recvWindow=5000&timestamp=1499827319559");
    CHECK(std::string_view(sig, 64) == "93b51e734f0fb55c8926c1e395e8b83acb2a2be4d9958ecb3c20d6015d46511f");
    // Reserved characters in values are encoded; unreserved ones are not.
    const query_param odd[] = {{"newClientOrderId", "a b&c=d+e/f~g.h_i-j"}, {"note", "é"}};
    const std::size_t m = binance_signer::encode_params(odd, buf, ec);
    CHECK(std::string_view(buf.data(), m) == "newClientOrderId=a%20b%26c%3Dd%2Be%2Ff~g.h_i-j&note=%C3%A9");
}

TEST_CASE("binance WS payload: limits and errors") {
    std::vector<query_param> many(65, query_param{"a", "b"});
    std::array<char, 2048> buf;
    std::error_code ec;
    CHECK(binance_signer::ws_payload(many, buf, ec) == 0);
    CHECK(ec == error::too_many_parameters);
    const query_param one[] = {{"timestamp", "1"}};
    CHECK(binance_signer::ws_payload(one, std::span<char>(buf.data(), 5), ec) == 0);
    CHECK(ec == error::buffer_too_small);
    // Equal names keep their order (stable), and sorting is byte-wise (upper case first).
    const query_param mixed[] = {{"b", "1"}, {"B", "2"}, {"a", "3"}, {"b", "4"}};
    const std::size_t n = binance_signer::ws_payload(mixed, buf, ec);
    CHECK(std::string_view(buf.data(), n) == "B=2&a=3&b=1&b=4");
}

TEST_CASE("binance Ed25519 keys: PEM secret, base64 signatures like openssl pkeyutl") {
    const std::string pem = data_file("ed25519_throwaway_test_key.pem");
    REQUIRE_FALSE(pem.empty());
    std::error_code ec;
    binance_signer s(credentials(api_key, pem), ec);
    REQUIRE_FALSE(ec);
    CHECK(s.key_type() == tradewire::trade::binance_key_type::ed25519);
    CHECK(s.signature_size() == 88);
    // Expected values from the OpenSSL CLI (deterministic Ed25519):
    //   printf '%s' "$PAYLOAD" | openssl pkeyutl -sign -rawin -inkey ed25519_throwaway_test_key.pem | base64 -w0
    CHECK(sign(s, b1_payload) ==
          "fV8piwKhfE961qhBZNWZGdGIOi19YDKHBx1qh4TL/M1ttu7uIEhD9PylSa763nc1FLX5wPNO5ptiqMasoYVbCQ==");
    std::array<char, 512> buf;
    const std::size_t n = s.session_logon(1649729878532, "logon-1", buf, ec);
    REQUIRE_FALSE(ec);
    CHECK(std::string_view(buf.data(), n) ==
          "{\"id\":\"logon-1\",\"method\":\"session.logon\",\"params\":{\"apiKey\":\"" + std::string(api_key) +
              "\",\"signature\":\"8vhsgbkLExRTzkNx7+ni9LUo/ZngZGv5Gu4RUVRWpHxjqGCLUR5eHDOzthFGWAvpk6/GcLoc6eoFdgd3F8jWCQ==\","
              "\"timestamp\":1649729878532}}");
    // And it verifies with the registered public key.
    tradewire::crypto::ed25519_public_key pub;
    REQUIRE_FALSE(tradewire::crypto::parse_ed25519_public_key_pem(data_file("ed25519_throwaway_test_key.pub.pem"), pub));
    std::error_code dec;
    const auto raw = tradewire::crypto::base64_decode(sign(s, "any payload"), dec);
    CHECK_FALSE(tradewire::crypto::ed25519_verify(pub, "any payload", raw));
}

TEST_CASE("binance key detection: HMAC secrets stay HMAC, a broken PEM is an error") {
    std::error_code ec;
    binance_signer h(credentials(api_key, secret), ec);
    CHECK_FALSE(ec);
    CHECK(h.key_type() == tradewire::trade::binance_key_type::hmac);
    CHECK(sign(h, b1_payload) == b1_signature);
    binance_signer bad(credentials(api_key, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"), ec);
    CHECK(ec);
    char out[88];
    CHECK(bad.sign("x", out) == 0);
    CHECK(tradewire::trade::is_pem_private_key("  \n-----BEGIN PRIVATE KEY-----"));
    CHECK_FALSE(tradewire::trade::is_pem_private_key(secret));
}
