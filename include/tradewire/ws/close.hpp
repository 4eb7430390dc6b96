// Close frame payloads (RFC 6455 §5.5.1, §7.4): an optional 2-byte status code followed
// by an optional UTF-8 reason. Parsing applies the receiver's rules (a 1-byte payload,
// a code not allowed on the wire, or a reason that is not UTF-8 fail the connection);
// building applies the sender's (the code must be allowed, the reason at most 123 bytes
// so the payload fits a control frame).
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/error.hpp>
#include <tradewire/ws/utf8.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tradewire::ws {

inline constexpr std::size_t max_close_reason_size = 123;  // 125-byte control payload minus the code

struct close_reason {
    close_code code = close_code::no_status;  // no_status when the payload was empty
    std::string_view reason;                  // views the payload it was parsed from
};

// Parses a received Close payload. Returns error{} (zero) on success. An empty payload
// means "no status" (code no_status, empty reason).
inline error parse_close_payload(const_bytes payload, close_reason& out) noexcept {
    if (payload.empty()) {
        out = close_reason{};
        return error{};
    }
    if (payload.size() == 1) return error::invalid_close_payload;
    const auto code = static_cast<std::uint16_t>((payload[0] << 8) | payload[1]);
    if (!is_valid_close_code(code)) return error::invalid_close_code;
    const const_bytes reason = payload.subspan(2);
    if (!is_valid_utf8(reason)) return error::invalid_close_reason;
    out.code = static_cast<close_code>(code);
    out.reason = as_text(reason);
    return error{};
}

// Checks what this endpoint is about to send. Returns error{} (zero) when sendable.
inline error check_close(close_code code, std::string_view reason) noexcept {
    if (!is_valid_close_code(code)) return error::invalid_close_code;
    if (reason.size() > max_close_reason_size) return error::close_reason_too_long;
    if (!is_valid_utf8(reason)) return error::invalid_close_reason;
    return error{};
}

// Size of the payload write_close_payload produces.
constexpr std::size_t close_payload_size(std::string_view reason) noexcept { return 2 + reason.size(); }

// Writes code and reason (unchecked: call check_close first) and returns the bytes
// written, or 0 when `out` is smaller than close_payload_size(reason).
inline std::size_t write_close_payload(mutable_bytes out, close_code code, std::string_view reason) noexcept {
    if (out.size() < 2 || out.size() - 2 < reason.size()) return 0;
    const std::size_t size = close_payload_size(reason);
    const auto value = static_cast<std::uint16_t>(code);
    out[0] = static_cast<std::uint8_t>(value >> 8);
    out[1] = static_cast<std::uint8_t>(value);
    if (!reason.empty()) std::memcpy(out.data() + 2, reason.data(), reason.size());
    return size;
}

}  // namespace tradewire::ws
