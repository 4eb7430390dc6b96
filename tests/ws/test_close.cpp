// Close payloads: parsing what a peer sent and building what we send.
#include "catch.hpp"

#include <tradewire/ws/close.hpp>

#include <array>
#include <string>
#include <vector>

using tradewire::const_bytes;
using tradewire::ws::close_code;
using tradewire::ws::close_reason;
using tradewire::ws::error;

namespace {
std::vector<std::uint8_t> payload(int code, std::string_view reason = {}) {
    std::vector<std::uint8_t> p{static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code)};
    p.insert(p.end(), reason.begin(), reason.end());
    return p;
}
}  // namespace

TEST_CASE("an empty close payload means no status") {
    close_reason r{close_code::normal, "stale"};
    CHECK(parse_close_payload({}, r) == error{});
    CHECK(r.code == close_code::no_status);
    CHECK(r.reason.empty());
}

TEST_CASE("a one-byte close payload is a protocol error") {
    const std::array<std::uint8_t, 1> one{0x03};
    close_reason r;
    CHECK(parse_close_payload(one, r) == error::invalid_close_payload);
}

TEST_CASE("close code and reason are parsed, the reason viewing the payload") {
    const auto p = payload(1000, "bye");
    close_reason r;
    REQUIRE(parse_close_payload(p, r) == error{});
    CHECK(r.code == close_code::normal);
    CHECK(r.reason == "bye");
    CHECK(static_cast<const void*>(r.reason.data()) == static_cast<const void*>(p.data() + 2));
    const auto app = payload(4321);
    REQUIRE(parse_close_payload(app, r) == error{});
    CHECK(static_cast<int>(r.code) == 4321);
    CHECK(r.reason.empty());
}

TEST_CASE("every invalid close code class is rejected on receipt") {
    for (int code : {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 6000, 65535}) {
        CAPTURE(code);
        close_reason r;
        CHECK(parse_close_payload(payload(code, "x"), r) == error::invalid_close_code);
    }
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}) {
        CAPTURE(code);
        close_reason r;
        CHECK(parse_close_payload(payload(code, "x"), r) == error{});
        CHECK(static_cast<int>(r.code) == code);
    }
}

TEST_CASE("a close reason that is not UTF-8 is invalid payload data") {
    close_reason r;
    CHECK(parse_close_payload(payload(1000, "\xff"), r) == error::invalid_close_reason);
    CHECK(parse_close_payload(payload(1000, "caf\xc3"), r) == error::invalid_close_reason);  // truncated
    CHECK(parse_close_payload(payload(1000, "\xed\xa0\x80"), r) == error::invalid_close_reason);  // surrogate
    const auto good = payload(1000, "caf\xc3\xa9");
    REQUIRE(parse_close_payload(good, r) == error{});
    CHECK(r.reason == "caf\xc3\xa9");
}

TEST_CASE("check_close applies the sender's rules") {
    CHECK(check_close(close_code::normal, "") == error{});
    CHECK(check_close(close_code::normal, std::string(123, 'a')) == error{});
    CHECK(check_close(close_code::normal, std::string(124, 'a')) == error::close_reason_too_long);
    CHECK(check_close(close_code::no_status, "") == error::invalid_close_code);
    CHECK(check_close(close_code::abnormal, "") == error::invalid_close_code);
    CHECK(check_close(close_code::tls_handshake, "") == error::invalid_close_code);
    CHECK(check_close(static_cast<close_code>(2000), "") == error::invalid_close_code);
    CHECK(check_close(close_code::going_away, "\xc0\x80") == error::invalid_close_reason);
}

TEST_CASE("write_close_payload writes the code big-endian and never overruns") {
    std::array<std::uint8_t, 8> out{};
    out.fill(0xEE);
    REQUIRE(write_close_payload(out, close_code::going_away, "bye") == 5);
    CHECK(out[0] == 0x03);
    CHECK(out[1] == 0xE9);
    CHECK(out[2] == 'b');
    CHECK(out[4] == 'e');
    CHECK(out[5] == 0xEE);
    std::array<std::uint8_t, 4> small{};
    CHECK(write_close_payload(small, close_code::going_away, "bye") == 0);
    CHECK(tradewire::ws::close_payload_size("bye") == 5);
    // Round trip through the parser.
    close_reason r;
    REQUIRE(parse_close_payload(const_bytes(out.data(), 5), r) == error{});
    CHECK(r.code == close_code::going_away);
    CHECK(r.reason == "bye");
}
