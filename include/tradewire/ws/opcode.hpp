// WebSocket frame opcodes (RFC 6455 §5.2) and their classes: data frames carry message
// payload (text, binary and the continuations of a fragmented message); control frames
// (close, ping, pong) are small, never fragmented, and may interleave with fragments.
#pragma once

#include <cstdint>

namespace tradewire::ws {

enum class opcode : std::uint8_t {
    continuation = 0x0,
    text = 0x1,
    binary = 0x2,
    close = 0x8,
    ping = 0x9,
    pong = 0xA,
};

// 0x3-0x7 (data) and 0xB-0xF (control) are reserved for future extensions.
constexpr bool is_reserved_opcode(std::uint8_t value) noexcept {
    return (value >= 0x3 && value <= 0x7) || value >= 0xB;
}

// Control opcodes have the high bit of the 4-bit opcode set.
constexpr bool is_control(opcode op) noexcept { return (static_cast<std::uint8_t>(op) & 0x8) != 0; }

constexpr bool is_data(opcode op) noexcept { return !is_control(op); }

}  // namespace tradewire::ws
