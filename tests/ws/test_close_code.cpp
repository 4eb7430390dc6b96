// Which close codes may travel in a Close frame (RFC 6455 §7.4, IANA registry).
#include "catch.hpp"

#include <tradewire/ws/close_code.hpp>

using tradewire::ws::close_code;
using tradewire::ws::is_valid_close_code;

TEST_CASE("close code validity covers every class of the 16-bit range") {
    for (int v = 0; v <= 0xFFFF; ++v) {
        const auto code = static_cast<std::uint16_t>(v);
        bool expected = false;
        if (v >= 1000 && v <= 1003) expected = true;   // defined by RFC 6455
        if (v >= 1007 && v <= 1014) expected = true;   // RFC 6455 + IANA (1012-1014)
        if (v >= 3000 && v <= 4999) expected = true;   // registered and private use
        if (is_valid_close_code(code) != expected) {
            CAPTURE(v);
            CHECK(is_valid_close_code(code) == expected);
        }
    }
    // Each invalid class by name.
    CHECK_FALSE(is_valid_close_code(std::uint16_t{0}));
    CHECK_FALSE(is_valid_close_code(std::uint16_t{999}));
    CHECK_FALSE(is_valid_close_code(std::uint16_t{1004}));
    CHECK_FALSE(is_valid_close_code(close_code::no_status));
    CHECK_FALSE(is_valid_close_code(close_code::abnormal));
    CHECK_FALSE(is_valid_close_code(close_code::tls_handshake));
    CHECK_FALSE(is_valid_close_code(std::uint16_t{1016}));
    CHECK_FALSE(is_valid_close_code(std::uint16_t{2999}));
    CHECK_FALSE(is_valid_close_code(std::uint16_t{5000}));
    CHECK_FALSE(is_valid_close_code(std::uint16_t{0xFFFF}));
    CHECK(is_valid_close_code(close_code::normal));
    CHECK(is_valid_close_code(close_code::bad_gateway));
    CHECK(is_valid_close_code(std::uint16_t{3000}));
    CHECK(is_valid_close_code(std::uint16_t{4999}));
}
