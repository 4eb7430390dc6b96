// MEXC signer: vector M2 (REFERENCE.md 8.7, [V]); M1's documented value is a known docs
// error (8.7 [X]), so the same input must give M2's value, not M1's.
#include "catch.hpp"

#include <tradewire/trade/sign_mexc.hpp>

#include <array>
#include <string_view>

using tradewire::trade::credentials;
using tradewire::trade::error;
using tradewire::trade::mexc_signer;

namespace {
constexpr std::string_view total =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087";
constexpr std::string_view m2 = "fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a";
}  // namespace

TEST_CASE("mexc M2: lower-case hex HMAC-SHA256 of totalParams [V]") {
    const mexc_signer s(credentials("mx0aBYs33eIilxBWC5", "45d0b3c26f2644f19bfb98b07741b2f5"));
    char sig[64];
    CHECK(s.sign(total, sig) == 64);
    CHECK(std::string_view(sig, 64) == m2);
    CHECK(std::string_view(sig, 64) != "323c96ab85a745712e95e63cad28903dd8292e4a905e99c4ee3932023843a117");
    // Split between query string and body: concatenated with no '&'.
    std::array<char, 256> buf;
    std::error_code ec;
    REQUIRE(s.sign_request(total.substr(0, 40), total.substr(40), buf, sig, ec) == 64);
    CHECK(std::string_view(buf.data(), total.size()) == total);
    CHECK(std::string_view(sig, 64) == m2);
    CHECK(mexc_signer::total_params("a=1", "b=2", buf, ec) == 6);
    CHECK(std::string_view(buf.data(), 6) == "a=1b=2");
    CHECK(mexc_signer::total_params("a=1", "b=2", std::span<char>(buf.data(), 5), ec) == 0);
    CHECK(ec == error::buffer_too_small);
}
