// frame_writer: the RFC 6455 §5.7 examples byte for byte, fragmentation order, control
// and close rules, scatter headers with in-place masking, and no overruns.
#include "catch.hpp"
#include "ws_test_support.hpp"

#include <tradewire/ws/writer.hpp>

#include <array>
#include <set>
#include <string>
#include <vector>

using namespace ws_test;
using tradewire::const_bytes;
using tradewire::mutable_bytes;
using tradewire::ws::close_code;
using tradewire::ws::error;
using tradewire::ws::frame_writer;
using tradewire::ws::opcode;
using tradewire::ws::server_role;

namespace {

bytes written(const bytes& out, const tradewire::ws::write_result& r) {
    return bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.size));
}

}  // namespace

TEST_CASE("RFC 6455 5.7: the server writes unmasked Hello, ping Hello, and Hel + lo fragments") {
    frame_writer<server_role> w;
    bytes out(64);
    auto r = w.text(out, "Hello");
    REQUIRE(r.ok());
    CHECK(written(out, r) == bytes_of({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
    r = w.ping(out, tradewire::as_bytes("Hello"));
    REQUIRE(r.ok());
    CHECK(written(out, r) == bytes_of({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
    r = w.write(out, opcode::text, tradewire::as_bytes("Hel"), false);
    REQUIRE(r.ok());
    CHECK(written(out, r) == bytes_of({0x01, 0x03, 0x48, 0x65, 0x6c}));
    CHECK(w.message_in_progress());
    r = w.write(out, opcode::continuation, tradewire::as_bytes("lo"), true);
    REQUIRE(r.ok());
    CHECK(written(out, r) == bytes_of({0x80, 0x02, 0x6c, 0x6f}));
    CHECK_FALSE(w.message_in_progress());
}

TEST_CASE("RFC 6455 5.7: the client writes masked Hello and a masked pong with key 37 fa 21 3d") {
    frame_writer<fixed_client> w;
    bytes out(64);
    auto r = w.text(out, "Hello");
    REQUIRE(r.ok());
    CHECK(r.mask_key == 0x37fa213du);
    CHECK(written(out, r) == bytes_of({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
    r = w.pong(out, tradewire::as_bytes("Hello"));
    REQUIRE(r.ok());
    CHECK(written(out, r) == bytes_of({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
}

TEST_CASE("RFC 6455 5.7: 256-byte and 64 KiB binary frame headers") {
    frame_writer<server_role> w;
    const bytes small(256, 0xAB), big(65536, 0xCD);
    bytes out(70000);
    auto r = w.binary(out, small);
    REQUIRE(r.ok());
    CHECK(r.size == 4 + 256);
    CHECK(bytes(out.begin(), out.begin() + 4) == bytes_of({0x82, 0x7E, 0x01, 0x00}));
    CHECK(out[4] == 0xAB);
    r = w.binary(out, big);
    REQUIRE(r.ok());
    CHECK(r.size == 10 + 65536);
    CHECK(bytes(out.begin(), out.begin() + 10) == bytes_of({0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}));
    CHECK(out[10 + 65535] == 0xCD);
}

TEST_CASE("the client draws a fresh key for every frame and leaves the source payload alone") {
    frame_writer<tradewire::ws::client_role> w;
    const std::string payload = "same payload every time";
    std::set<std::uint32_t> keys;
    std::set<bytes> frames;
    bytes out(64);
    for (int i = 0; i < 200; ++i) {
        const auto r = w.text(out, payload);
        REQUIRE(r.ok());
        keys.insert(r.mask_key);
        frames.insert(written(out, r));
        // The key in the header is the one reported.
        const std::uint32_t in_header = (std::uint32_t{out[2]} << 24) | (std::uint32_t{out[3]} << 16) |
                                        (std::uint32_t{out[4]} << 8) | out[5];
        CHECK(in_header == r.mask_key);
    }
    CHECK(keys.size() >= 199);
    CHECK(frames.size() >= 199);
    CHECK(payload == "same payload every time");
}

TEST_CASE("fragmentation order is enforced and control frames may interleave") {
    frame_writer<server_role> w;
    bytes out(64);
    CHECK(w.write(out, opcode::continuation, {}).failure == error::unexpected_continuation);
    REQUIRE(w.write(out, opcode::binary, tradewire::as_bytes("a"), false).ok());
    CHECK(w.write(out, opcode::text, tradewire::as_bytes("b")).failure == error::expected_continuation);
    CHECK(w.write(out, opcode::binary, tradewire::as_bytes("b"), false).failure == error::expected_continuation);
    CHECK(w.ping(out).ok());
    CHECK(w.pong(out).ok());
    REQUIRE(w.write(out, opcode::continuation, tradewire::as_bytes("b"), false).ok());
    CHECK(w.message_in_progress());
    const auto last = w.write(out, opcode::continuation, tradewire::as_bytes("c"), true);
    REQUIRE(last.ok());
    CHECK(written(out, last) == bytes_of({0x80, 0x01, 'c'}));
    CHECK(w.write(out, opcode::continuation, tradewire::as_bytes("d")).failure == error::unexpected_continuation);
    CHECK(w.text(out, "fresh").ok());
}

TEST_CASE("control frames are never fragmented nor longer than 125 bytes") {
    frame_writer<server_role> w;
    bytes out(300);
    const bytes p125(125, 'x'), p126(126, 'x');
    CHECK(w.ping(out, p125).ok());
    CHECK(w.ping(out, p126).failure == error::control_frame_too_long);
    CHECK(w.pong(out, p126).failure == error::control_frame_too_long);
    CHECK(w.write(out, opcode::ping, {}, false).failure == error::fragmented_control_frame);
    CHECK(w.write(out, opcode::close, p126).failure == error::control_frame_too_long);
    CHECK(w.write(out, static_cast<opcode>(3), {}).failure == error::invalid_opcode);
    CHECK(w.write(out, static_cast<opcode>(0xB), {}).failure == error::invalid_opcode);
}

TEST_CASE("close frames validate code and reason, and nothing follows them") {
    frame_writer<server_role> w;
    bytes out(200);
    CHECK(w.close(out, close_code::no_status).failure == error::invalid_close_code);
    CHECK(w.close(out, close_code::abnormal).failure == error::invalid_close_code);
    CHECK(w.close(out, close_code::tls_handshake).failure == error::invalid_close_code);
    CHECK(w.close(out, static_cast<close_code>(1004)).failure == error::invalid_close_code);
    CHECK(w.close(out, static_cast<close_code>(2500)).failure == error::invalid_close_code);
    CHECK(w.close(out, close_code::normal, std::string(124, 'r')).failure == error::close_reason_too_long);
    CHECK(w.close(out, close_code::normal, "\xed\xa0\x80").failure == error::invalid_close_reason);
    CHECK_FALSE(w.close_sent());  // failures change nothing

    const auto r = w.close(out, close_code::going_away, std::string(123, 'r'));
    REQUIRE(r.ok());
    CHECK(r.size == 2 + 125);
    CHECK(out[0] == 0x88);
    CHECK(out[1] == 125);
    CHECK(out[2] == 0x03);
    CHECK(out[3] == 0xE9);
    CHECK(w.close_sent());
    CHECK(w.text(out, "late").failure == error::frame_after_close);
    CHECK(w.ping(out).failure == error::frame_after_close);
    CHECK(w.close(out).failure == error::frame_after_close);
    w.reset();
    const auto empty = w.close(out);
    REQUIRE(empty.ok());
    CHECK(written(out, empty) == bytes_of({0x88, 0x00}));
    w.reset();
    const auto app = w.close(out, static_cast<close_code>(4001), "bye");
    REQUIRE(app.ok());
    CHECK(written(out, app) == bytes_of({0x88, 0x05, 0x0F, 0xA1, 'b', 'y', 'e'}));
}

TEST_CASE("a buffer one byte short is refused without writing or changing state") {
    for (const std::size_t size : {std::size_t{0}, std::size_t{5}, std::size_t{125}, std::size_t{126}, std::size_t{65535},
                                   std::size_t{65536}}) {
        CAPTURE(size);
        const bytes payload(size, 'z');
        frame_writer<fixed_client> w;
        const std::size_t need = frame_writer<fixed_client>::frame_size(size);
        bytes out(need + 8, 0xEE);
        auto r = w.write(mutable_bytes(out.data(), need - 1), opcode::binary, payload, false);
        CHECK(r.failure == error::buffer_too_small);
        CHECK(r.size == 0);
        CHECK_FALSE(w.message_in_progress());
        CHECK(std::all_of(out.begin(), out.end(), [](std::uint8_t x) { return x == 0xEE; }));
        r = w.write(mutable_bytes(out.data(), need), opcode::binary, payload, false);
        REQUIRE(r.ok());
        CHECK(r.size == need);
        CHECK(std::all_of(out.begin() + static_cast<std::ptrdiff_t>(need), out.end(), [](std::uint8_t x) { return x == 0xEE; }));
        CHECK(w.message_in_progress());
        // Scatter headers: the same rule.
        bytes header(tradewire::ws::max_header_size, 0xEE);
        bytes body(size, 'z');
        const std::size_t header_need = tradewire::ws::frame_header_size(size, true);
        r = w.write_header(mutable_bytes(header.data(), header_need - 1), opcode::continuation, body);
        CHECK(r.failure == error::buffer_too_small);
        CHECK(std::all_of(body.begin(), body.end(), [](std::uint8_t x) { return x == 'z'; }));  // not masked
        r = w.write_header(mutable_bytes(header.data(), header_need), opcode::continuation, body);
        REQUIRE(r.ok());
        CHECK(r.size == header_need);
    }
}

TEST_CASE("scatter headers: the client masks the caller's payload in place, the server leaves it") {
    const bytes original = bytes_of("a payload sent as a second buffer, after the header");
    {
        frame_writer<fixed_client> scatter, whole;
        bytes payload = original;
        std::array<std::uint8_t, 14> header{};
        const auto r = scatter.write_header(header, opcode::text, payload);
        REQUIRE(r.ok());
        CHECK(r.size == 6);
        CHECK(payload != original);  // masked in the caller's buffer
        bytes out(200);
        const auto w = whole.write(out, opcode::text, original);
        REQUIRE(w.ok());
        // Header followed by the masked payload is exactly the complete frame.
        CHECK(concat({bytes(header.begin(), header.begin() + 6), payload}) == written(out, w));
    }
    {
        frame_writer<server_role> w;
        bytes payload = original;
        std::array<std::uint8_t, 14> header{};
        const auto r = w.write_header(header, opcode::binary, payload, false);
        REQUIRE(r.ok());
        CHECK(r.size == 2);
        CHECK(payload == original);
        CHECK(header[0] == 0x02);
        CHECK(header[1] == original.size());
        CHECK(w.message_in_progress());
    }
}

TEST_CASE("RSV bits for an extension are set as asked") {
    frame_writer<server_role> w;
    bytes out(16);
    const auto r = w.write(out, opcode::text, tradewire::as_bytes("x"), true, tradewire::ws::rsv1_bit);
    REQUIRE(r.ok());
    CHECK(out[0] == 0xC1);
    const auto masked_off = w.write(out, opcode::text, tradewire::as_bytes("x"), true, 0xFF);  // only RSV bits kept
    REQUIRE(masked_off.ok());
    CHECK(out[0] == 0xF1);
}

TEST_CASE("write_result converts failures to std::error_code") {
    frame_writer<server_role> w;
    bytes out(1);
    const auto r = w.text(out, "too long for one byte");
    CHECK_FALSE(r.ok());
    CHECK(r.error_code() == error::buffer_too_small);
    CHECK(r.error_code().category().name() == std::string("tradewire.ws"));
    bytes big(64);
    CHECK_FALSE(w.text(big, "ok").error_code());
}

TEST_CASE("scatter header by size: the caller masks with the returned key (client) or sends as is (server)") {
    const bytes original = bytes_of("pre-built order payload from a template");
    {
        frame_writer<tradewire::ws::client_role> scatter;
        std::array<std::uint8_t, 14> header{};
        const auto r = scatter.write_header(header, opcode::text, original.size());
        REQUIRE(r.ok());
        bytes payload = original;
        tradewire::ws::apply_mask(payload, r.mask_key);
        const bytes wire = concat({bytes(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(r.size)), payload});
        CHECK(read_all<server_role>(wire) == std::vector<recorded>{message(tradewire::ws::event_type::text, original)});
    }
    {
        frame_writer<server_role> w;
        std::array<std::uint8_t, 14> header{};
        const auto r = w.write_header(header, opcode::binary, std::size_t{70000});
        REQUIRE(r.ok());
        CHECK(r.size == 10);
        CHECK(header[1] == 127);
        CHECK(w.write_header(header, opcode::ping, std::size_t{126}).failure == error::control_frame_too_long);
        CHECK(w.write_header(tradewire::mutable_bytes(header.data(), 9), opcode::binary, std::size_t{70000}).failure ==
              error::buffer_too_small);
    }
}
