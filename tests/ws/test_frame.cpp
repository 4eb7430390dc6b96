// Frame header parsing and writing (RFC 6455 §5.2), including the §5.7 examples.
#include "catch.hpp"

#include <tradewire/ws/frame.hpp>

#include <array>
#include <cstdint>
#include <vector>

using tradewire::const_bytes;
using tradewire::ws::error;
using tradewire::ws::frame_header;
using tradewire::ws::opcode;
using tradewire::ws::parse_frame_header;
using tradewire::ws::parse_status;

namespace {
using bytes = std::vector<std::uint8_t>;

bytes b(std::initializer_list<int> v) {
    bytes out;
    for (int x : v) out.push_back(static_cast<std::uint8_t>(x));
    return out;
}

// Parses `in`, requiring that every strict prefix reports need_more with a correct count.
tradewire::ws::header_parse_result parse_checking_prefixes(const bytes& in, frame_header& h, std::uint8_t allowed = 0) {
    const auto full = parse_frame_header(in, h, allowed);
    if (full.status == parse_status::complete) {
        for (std::size_t n = 0; n < full.header_size; ++n) {
            CAPTURE(n);
            frame_header scratch;
            const auto partial = parse_frame_header(const_bytes(in.data(), n), scratch, allowed);
            REQUIRE(partial.status == parse_status::need_more);
            CHECK(partial.need >= 1);
            CHECK(n + partial.need <= full.header_size);  // never asks for more than the header
        }
    }
    return full;
}
}  // namespace

TEST_CASE("RFC 6455 5.7: single-frame unmasked text") {
    const bytes in = b({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
    frame_header h;
    const auto r = parse_checking_prefixes(in, h);
    REQUIRE(r.status == parse_status::complete);
    CHECK(r.header_size == 2);
    CHECK(h.fin);
    CHECK(h.rsv == 0);
    CHECK(h.op == opcode::text);
    CHECK_FALSE(h.masked);
    CHECK(h.payload_size == 5);
}

TEST_CASE("RFC 6455 5.7: single-frame masked text gives the key big-endian") {
    const bytes in = b({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
    frame_header h;
    const auto r = parse_checking_prefixes(in, h);
    REQUIRE(r.status == parse_status::complete);
    CHECK(r.header_size == 6);
    CHECK(h.masked);
    CHECK(h.mask_key == 0x37fa213du);
    CHECK(h.payload_size == 5);
}

TEST_CASE("RFC 6455 5.7: fragments, ping and pong headers") {
    frame_header h;
    REQUIRE(parse_frame_header(b({0x01, 0x03}), h).status == parse_status::complete);
    CHECK_FALSE(h.fin);
    CHECK(h.op == opcode::text);
    CHECK(h.payload_size == 3);
    REQUIRE(parse_frame_header(b({0x80, 0x02}), h).status == parse_status::complete);
    CHECK(h.fin);
    CHECK(h.op == opcode::continuation);
    REQUIRE(parse_frame_header(b({0x89, 0x05}), h).status == parse_status::complete);
    CHECK(h.op == opcode::ping);
    REQUIRE(parse_frame_header(b({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d}), h).status == parse_status::complete);
    CHECK(h.op == opcode::pong);
    CHECK(h.masked);
}

TEST_CASE("RFC 6455 5.7: 256-byte and 64 KiB binary headers") {
    frame_header h;
    auto r = parse_checking_prefixes(b({0x82, 0x7E, 0x01, 0x00}), h);
    REQUIRE(r.status == parse_status::complete);
    CHECK(r.header_size == 4);
    CHECK(h.op == opcode::binary);
    CHECK(h.payload_size == 256);
    r = parse_checking_prefixes(b({0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}), h);
    REQUIRE(r.status == parse_status::complete);
    CHECK(r.header_size == 10);
    CHECK(h.payload_size == 65536);

    // And the writer produces exactly those bytes.
    std::array<std::uint8_t, 14> out{};
    frame_header w;
    w.op = opcode::binary;
    w.payload_size = 256;
    REQUIRE(write_frame_header(out, w) == 4);
    CHECK(bytes(out.begin(), out.begin() + 4) == b({0x82, 0x7E, 0x01, 0x00}));
    w.payload_size = 65536;
    REQUIRE(write_frame_header(out, w) == 10);
    CHECK(bytes(out.begin(), out.begin() + 10) == b({0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}));
}

TEST_CASE("need_more counts are exact once the length form is known") {
    frame_header h;
    auto r = parse_frame_header({}, h);
    CHECK(r.status == parse_status::need_more);
    CHECK(r.need == 2);
    r = parse_frame_header(b({0x82}), h);
    CHECK(r.need == 1);
    r = parse_frame_header(b({0x82, 0xFF}), h);  // 64-bit length + mask: 14 bytes
    CHECK(r.need == 12);
    r = parse_frame_header(b({0x82, 0xFE, 0x01}), h);  // 16-bit length + mask: 8 bytes
    CHECK(r.need == 5);
    r = parse_frame_header(b({0x82, 0x85, 0x00}), h);  // 7-bit + mask: 6 bytes
    CHECK(r.need == 3);
}

TEST_CASE("reserved opcodes fail from the first byte") {
    for (int op : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
        CAPTURE(op);
        frame_header h;
        const auto r = parse_frame_header(b({0x80 | op}), h);
        CHECK(r.status == parse_status::failed);
        CHECK(r.failure == error::reserved_opcode);
    }
}

TEST_CASE("RSV bits fail unless allowed") {
    for (int bit : {0x40, 0x20, 0x10}) {
        CAPTURE(bit);
        frame_header h;
        auto r = parse_frame_header(b({0x81 | bit, 0x00}), h);
        CHECK(r.failure == error::reserved_bits);
        r = parse_frame_header(b({0x81 | bit, 0x00}), h, static_cast<std::uint8_t>(bit));
        REQUIRE(r.status == parse_status::complete);
        CHECK(h.rsv == bit);
    }
    frame_header h;
    // RSV1 allowed does not allow RSV2.
    CHECK(parse_frame_header(b({0xE1, 0x00}), h, tradewire::ws::rsv1_bit).failure == error::reserved_bits);
}

TEST_CASE("control frames may not be fragmented or exceed 125 bytes") {
    for (int op : {0x8, 0x9, 0xA}) {
        CAPTURE(op);
        frame_header h;
        CHECK(parse_frame_header(b({op}), h).failure == error::fragmented_control_frame);
        CHECK(parse_frame_header(b({0x80 | op, 126}), h).failure == error::control_frame_too_long);
        CHECK(parse_frame_header(b({0x80 | op, 127}), h).failure == error::control_frame_too_long);
        CHECK(parse_frame_header(b({0x80 | op, 0x80 | 126}), h).failure == error::control_frame_too_long);
        const auto ok = parse_frame_header(b({0x80 | op, 125}), h);
        CHECK(ok.status == parse_status::complete);
        CHECK(h.payload_size == 125);
    }
}

TEST_CASE("lengths must use the minimal encoding and fit in 63 bits") {
    frame_header h;
    CHECK(parse_frame_header(b({0x82, 126, 0x00, 0x7D}), h).failure == error::non_minimal_length);
    CHECK(parse_frame_header(b({0x82, 126, 0x00, 0x00}), h).failure == error::non_minimal_length);
    CHECK(parse_frame_header(b({0x82, 126, 0x00, 0x7E}), h).status == parse_status::complete);
    CHECK(parse_frame_header(b({0x82, 127, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}), h).failure == error::non_minimal_length);
    CHECK(parse_frame_header(b({0x82, 127, 0, 0, 0, 0, 0, 0, 0x00, 0x05}), h).failure == error::non_minimal_length);
    REQUIRE(parse_frame_header(b({0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}), h).status == parse_status::complete);
    CHECK(h.payload_size == 0x10000);
    CHECK(parse_frame_header(b({0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0}), h).failure == error::length_too_large);
    CHECK(parse_frame_header(b({0x82, 127, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}), h).failure ==
          error::length_too_large);
    REQUIRE(parse_frame_header(b({0x82, 127, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}), h).status ==
            parse_status::complete);
    CHECK(h.payload_size == 0x7FFFFFFFFFFFFFFFull);
}

TEST_CASE("the parser reads only the header, never the bytes behind it") {
    bytes in = b({0x82, 0x03, 1, 2, 3, 0xFF, 0xFF});
    frame_header h;
    const auto r = parse_frame_header(in, h);
    REQUIRE(r.status == parse_status::complete);
    CHECK(r.header_size == 2);
    CHECK(h.payload_size == 3);
}

TEST_CASE("write then parse round-trips every length form, mask and flag") {
    const std::uint64_t sizes[] = {0, 1, 125, 126, 127, 65535, 65536, 65537, 1u << 20, 0x7FFFFFFFFFFFFFFFull};
    for (const std::uint64_t size : sizes) {
        for (const bool masked : {false, true}) {
            for (const bool fin : {false, true}) {
                CAPTURE(size, masked, fin);
                frame_header w;
                w.fin = fin;
                w.rsv = tradewire::ws::rsv1_bit | tradewire::ws::rsv3_bit;
                w.op = opcode::binary;
                w.masked = masked;
                w.mask_key = 0xA1B2C3D4;
                w.payload_size = size;
                std::array<std::uint8_t, 14> out{};
                const std::size_t n = write_frame_header(out, w);
                REQUIRE(n == tradewire::ws::frame_header_size(size, masked));
                frame_header h;
                const auto r = parse_frame_header(const_bytes(out.data(), n), h, tradewire::ws::rsv_bits);
                REQUIRE(r.status == parse_status::complete);
                CHECK(r.header_size == n);
                CHECK(h.fin == fin);
                CHECK(h.rsv == w.rsv);
                CHECK(h.op == opcode::binary);
                CHECK(h.masked == masked);
                CHECK(h.mask_key == (masked ? 0xA1B2C3D4u : 0u));
                CHECK(h.payload_size == size);
            }
        }
    }
}

TEST_CASE("write_frame_header never overruns and refuses lengths of 2^63 or more") {
    frame_header w;
    w.masked = true;
    w.payload_size = 70000;  // needs 14 bytes
    std::array<std::uint8_t, 16> out{};
    out.fill(0xEE);
    CHECK(write_frame_header(tradewire::mutable_bytes(out.data(), 13), w) == 0);
    for (auto x : out) CHECK(x == 0xEE);
    CHECK(write_frame_header(tradewire::mutable_bytes(out.data(), 14), w) == 14);
    CHECK(out[14] == 0xEE);
    w.payload_size = 0x8000000000000000ull;
    CHECK(write_frame_header(out, w) == 0);
    CHECK(tradewire::ws::frame_header_size(125, false) == 2);
    CHECK(tradewire::ws::frame_header_size(126, false) == 4);
    CHECK(tradewire::ws::frame_header_size(65535, true) == 8);
    CHECK(tradewire::ws::frame_header_size(65536, true) == 14);
}

TEST_CASE("an extended length is judged before the mask key arrives") {
    frame_header h;
    CHECK(parse_frame_header(b({0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0}), h).failure == error::length_too_large);
    CHECK(parse_frame_header(b({0x82, 0xFF, 0, 0, 0, 0, 0, 0, 0, 9}), h).failure == error::non_minimal_length);
    CHECK(parse_frame_header(b({0x82, 0xFE, 0x00, 0x10}), h).failure == error::non_minimal_length);
    const auto r = parse_frame_header(b({0x82, 0xFE, 0x01, 0x00, 0x11}), h);
    CHECK(r.status == parse_status::need_more);
    CHECK(r.need == 3);
}
