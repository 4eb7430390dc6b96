// Opcode classes: reserved, control and data.
#include "catch.hpp"

#include <tradewire/ws/opcode.hpp>

using tradewire::ws::opcode;

TEST_CASE("opcodes 3-7 and 11-15 are reserved, the six defined ones are not") {
    for (int v = 0; v < 16; ++v) {
        CAPTURE(v);
        const bool defined = v == 0 || v == 1 || v == 2 || v == 8 || v == 9 || v == 10;
        CHECK(tradewire::ws::is_reserved_opcode(static_cast<std::uint8_t>(v)) == !defined);
    }
}

TEST_CASE("close, ping and pong are control frames, the rest are data") {
    CHECK(is_control(opcode::close));
    CHECK(is_control(opcode::ping));
    CHECK(is_control(opcode::pong));
    CHECK(is_data(opcode::continuation));
    CHECK(is_data(opcode::text));
    CHECK(is_data(opcode::binary));
    CHECK(static_cast<int>(opcode::pong) == 0xA);
}
