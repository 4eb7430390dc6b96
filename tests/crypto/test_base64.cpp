// Base64: RFC 4648 section 10 vectors both ways, and the strict decoder's rejections.
#include "catch.hpp"
#include "test_support.hpp"

#include <tradewire/crypto/base64.hpp>

#include <string>
#include <vector>

namespace cr = tradewire::crypto;

namespace {
std::string decode_text(std::string_view in, std::error_code& ec) {
    std::vector<std::uint8_t> out(cr::base64_decoded_max_size(in.size()) + 1);
    const std::size_t n = cr::base64_decode(in, out.data(), ec);
    return std::string(reinterpret_cast<const char*>(out.data()), n);
}
}  // namespace

TEST_CASE("base64 RFC 4648 section 10 vectors") {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, encoded] : vectors) {
        INFO(plain);
        const std::string_view p(plain);
        CHECK(cr::base64_encode(p) == encoded);
        CHECK(cr::base64_encoded_size(p.size()) == std::string_view(encoded).size());
        char buf[16];
        CHECK(cr::base64_encode(tradewire::as_bytes(p), buf) == std::string_view(encoded).size());
        std::error_code ec = cr::error::invalid_key;  // must be cleared on success
        CHECK(decode_text(encoded, ec) == p);
        CHECK_FALSE(ec);
        // Without padding too.
        std::string unpadded(encoded);
        while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
        CHECK(decode_text(unpadded, ec) == p);
        CHECK_FALSE(ec);
        CHECK(cr::base64_decoded_max_size(unpadded.size()) == p.size());
    }
}

TEST_CASE("base64 uses the standard alphabet") {
    const std::vector<std::uint8_t> bytes{0xfb, 0xff, 0xbf};
    CHECK(cr::base64_encode(bytes) == "+/+/");
    std::error_code ec;
    const auto back = cr::base64_decode("+/+/", ec);
    CHECK_FALSE(ec);
    CHECK(back == bytes);
}

TEST_CASE("base64 decode rejects malformed text") {
    struct bad_case {
        const char* text;
        cr::error expect;
    };
    const bad_case cases[] = {
        {"Zg=", cr::error::invalid_base64_padding},    // padded but not a multiple of 4
        {"Zg===", cr::error::invalid_base64_padding},  // three '='
        {"Z===", cr::error::invalid_base64_padding},
        {"====", cr::error::invalid_base64_padding},
        {"=", cr::error::invalid_base64_padding},
        {"Zg==Zg==", cr::error::invalid_base64_padding},  // padding in the middle
        {"Z=g=", cr::error::invalid_base64_padding},
        {"Z", cr::error::invalid_base64_length},
        {"Zm9vY", cr::error::invalid_base64_length},
        {"Zh==", cr::error::base64_trailing_bits},  // 'h' leaves bits set below the byte
        {"Zh", cr::error::base64_trailing_bits},
        {"Zm9=", cr::error::base64_trailing_bits},
        {"Zm9", cr::error::base64_trailing_bits},
        {"Zm 9", cr::error::invalid_base64_character},
        {"Zm9v\nA", cr::error::invalid_base64_character},
        {" Zm9v", cr::error::invalid_base64_length},
        {"Zm9v\r\nYmFy", cr::error::invalid_base64_character},
        {"Zm-v", cr::error::invalid_base64_character},  // base64url is not accepted
        {"Zm_v", cr::error::invalid_base64_character},
        {"Zm9\x80", cr::error::invalid_base64_character},
        {"Z\xffg=", cr::error::invalid_base64_character},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        std::error_code ec;
        const std::string out = decode_text(c.text, ec);
        CHECK(ec == c.expect);
        CHECK(out.empty());
    }
}

TEST_CASE("base64 errors carry the crypto category") {
    std::error_code ec;
    (void)decode_text("Z", ec);
    CHECK(std::string(ec.category().name()) == "tradewire.crypto");
    CHECK(ec.message() == "invalid base64 length");
}

TEST_CASE("base64 bounds-checked decode") {
    std::uint8_t out[6];
    std::error_code ec;
    CHECK(cr::base64_decode("Zm9vYmFy", tradewire::mutable_bytes(out, 6), ec) == 6);
    CHECK_FALSE(ec);
    CHECK(cr::base64_decode("Zm9vYg==", tradewire::mutable_bytes(out, 4), ec) == 4);
    CHECK_FALSE(ec);
    CHECK(cr::base64_decode("Zm9vYmE", tradewire::mutable_bytes(out, 4), ec) == 0);
    CHECK(ec == cr::error::buffer_too_small);
    CHECK(cr::base64_decode("Zm9vYmE=", tradewire::mutable_bytes(out, 6), ec) == 5);
    CHECK_FALSE(ec);
}

TEST_CASE("base64 round trips random bytes of every length up to 200") {
    tw_test::rng r{42};
    for (std::size_t len = 0; len <= 200; ++len) {
        const auto bytes = r.bytes(len);
        const std::string text = cr::base64_encode(bytes);
        REQUIRE(text.size() == cr::base64_encoded_size(len));
        std::error_code ec;
        const auto back = cr::base64_decode(text, ec);
        REQUIRE_FALSE(ec);
        REQUIRE(back == bytes);
    }
}
