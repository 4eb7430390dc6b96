// WebSocket close status codes (RFC 6455 §7.4 and the IANA registry) and the rule for
// which of them may appear in a Close frame on the wire. A code outside these rules in a
// received Close frame is a protocol error; the writer refuses to send one.
#pragma once

#include <cstdint>

namespace tradewire::ws {

enum class close_code : std::uint16_t {
    normal = 1000,
    going_away = 1001,
    protocol_error = 1002,
    unsupported_data = 1003,
    // 1004 is reserved.
    no_status = 1005,   // local only: the Close frame carried no code
    abnormal = 1006,    // local only: the connection dropped without a Close frame
    invalid_payload = 1007,
    policy_violation = 1008,
    message_too_big = 1009,
    mandatory_extension = 1010,
    internal_error = 1011,
    service_restart = 1012,
    try_again_later = 1013,
    bad_gateway = 1014,
    tls_handshake = 1015,  // local only: the TLS handshake failed
};

// True when `code` may be carried by a Close frame: 1000-1003 and 1007-1014 (assigned by
// RFC 6455 and IANA), and 3000-4999 (libraries, frameworks and applications). Everything
// else is invalid on the wire: 0-999 are unused, 1004 is reserved, 1005, 1006 and 1015 are
// for local reporting only, and 1016-2999 are reserved for future RFCs.
constexpr bool is_valid_close_code(std::uint16_t code) noexcept {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

constexpr bool is_valid_close_code(close_code code) noexcept {
    return is_valid_close_code(static_cast<std::uint16_t>(code));
}

}  // namespace tradewire::ws
