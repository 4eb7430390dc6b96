// ws::error: category, messages, and the close code each error must send.
#include "catch.hpp"

#include <tradewire/ws/error.hpp>

#include <set>
#include <string>

using tradewire::ws::close_code;
using tradewire::ws::error;

namespace {
constexpr int first_error = static_cast<int>(error::reserved_opcode);
constexpr int last_error = static_cast<int>(error::invalid_opcode);
}  // namespace

TEST_CASE("ws errors convert to std::error_code in the tradewire.ws category") {
    const std::error_code ec = error::message_too_big;
    CHECK(std::string(ec.category().name()) == "tradewire.ws");
    CHECK(ec == error::message_too_big);
    CHECK(ec != error::invalid_utf8);
    CHECK(ec.value() != 0);
    CHECK(&ec.category() == &tradewire::ws::ws_category());
}

TEST_CASE("every ws error has its own message and no value is zero") {
    std::set<std::string> messages;
    for (int v = first_error; v <= last_error; ++v) {
        CAPTURE(v);
        const auto e = static_cast<error>(v);
        const std::string m = make_error_code(e).message();
        CHECK_FALSE(m.empty());
        CHECK(m != "unknown tradewire.ws error");
        messages.insert(m);
    }
    CHECK(messages.size() == static_cast<std::size_t>(last_error - first_error + 1));
    CHECK(first_error == 1);
}

TEST_CASE("each protocol violation maps to the close code RFC 6455 prescribes") {
    CHECK(close_code_for(error::invalid_utf8) == close_code::invalid_payload);          // 1007
    CHECK(close_code_for(error::invalid_close_reason) == close_code::invalid_payload);  // 1007
    CHECK(close_code_for(error::message_too_big) == close_code::message_too_big);       // 1009
    for (const error e : {error::reserved_opcode, error::reserved_bits, error::non_minimal_length,
                          error::length_too_large, error::control_frame_too_long, error::fragmented_control_frame,
                          error::masked_frame, error::unmasked_frame, error::unexpected_continuation,
                          error::expected_continuation, error::invalid_close_payload, error::invalid_close_code}) {
        CAPTURE(static_cast<int>(e));
        CHECK(close_code_for(e) == close_code::protocol_error);  // 1002
    }
    for (const error e : {error::buffer_too_small, error::close_reason_too_long, error::frame_after_close,
                          error::invalid_opcode}) {
        CAPTURE(static_cast<int>(e));
        CHECK(close_code_for(e) == close_code::internal_error);  // 1011: our own fault
    }
    // Every mapped code is itself sendable.
    for (int v = first_error; v <= last_error; ++v) {
        CHECK(tradewire::ws::is_valid_close_code(close_code_for(static_cast<error>(v))));
    }
}
