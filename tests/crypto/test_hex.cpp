// Hex: lower/upper encoding and the strict decoder.
#include "catch.hpp"
#include "test_support.hpp"

#include <tradewire/crypto/hex.hpp>

#include <vector>

namespace cr = tradewire::crypto;

TEST_CASE("hex encodes lower and upper case") {
    const std::vector<std::uint8_t> bytes{0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff};
    CHECK(cr::hex_encode(bytes) == "00017f80abcdefff");
    CHECK(cr::hex_encode(bytes, cr::hex_case::upper) == "00017F80ABCDEFFF");
    char buf[16];
    CHECK(cr::hex_encode(bytes, buf) == 16);
    CHECK(std::string_view(buf, 16) == "00017f80abcdefff");
    CHECK(cr::hex_encode(tradewire::const_bytes{}).empty());
    CHECK(cr::hex_encoded_size(32) == 64);
}

TEST_CASE("hex encodes every byte value and decodes it back") {
    std::vector<std::uint8_t> all(256);
    for (std::size_t i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
    const std::string lower = cr::hex_encode(all);
    CHECK(lower == tw_test::to_hex(all));
    std::error_code ec;
    CHECK(cr::hex_decode(lower, ec) == all);
    CHECK_FALSE(ec);
    CHECK(cr::hex_decode(cr::hex_encode(all, cr::hex_case::upper), ec) == all);
    CHECK_FALSE(ec);
}

TEST_CASE("hex decode accepts mixed case") {
    std::error_code ec;
    const auto v = cr::hex_decode("aBcD", ec);
    CHECK_FALSE(ec);
    CHECK(v == std::vector<std::uint8_t>{0xab, 0xcd});
}

TEST_CASE("hex decode rejects malformed text") {
    std::error_code ec;
    CHECK(cr::hex_decode("abc", ec).empty());
    CHECK(ec == cr::error::odd_hex_length);
    for (const char* bad : {"0g", "0x00", " 0", "0 ", "00\n0", "-1", "zz", "\xff\x30"}) {
        INFO(bad);
        CHECK(cr::hex_decode(bad, ec).empty());
        CHECK(ec == cr::error::invalid_hex_character);
    }
    std::uint8_t out[1];
    CHECK(cr::hex_decode("0011", tradewire::mutable_bytes(out, 1), ec) == 0);
    CHECK(ec == cr::error::buffer_too_small);
    CHECK(cr::hex_decode("ff", tradewire::mutable_bytes(out, 1), ec) == 1);
    CHECK_FALSE(ec);
    CHECK(out[0] == 0xff);
}

TEST_CASE("hex encode matches a byte-by-byte reference at every length 0..70") {
    tw_test::rng r{0x4e};
    for (std::size_t len = 0; len <= 70; ++len) {
        const auto bytes = r.bytes(len);
        const std::string lower = tw_test::to_hex(bytes);
        std::string upper = lower;
        for (char& ch : upper) {
            if (ch >= 'a' && ch <= 'f') ch = static_cast<char>(ch - 'a' + 'A');
        }
        INFO("len " << len);
        REQUIRE(cr::hex_encode(bytes) == lower);
        REQUIRE(cr::hex_encode(bytes, cr::hex_case::upper) == upper);
    }
}
