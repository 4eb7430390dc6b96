// Error codes of the WebSocket frame and message layer (category "tradewire.ws"): every
// way a peer can violate RFC 6455 framing, plus the local misuses the frame writer
// refuses. `close_code_for(e)` says which close code to send when failing the
// connection because of `e`. Opening-handshake errors live with the handshake.
#pragma once

#include <tradewire/core/error.hpp>
#include <tradewire/ws/close_code.hpp>

#include <system_error>
#include <type_traits>

namespace tradewire::ws {

enum class error {
    // Received from the peer: fail the connection with close_code_for(e).
    reserved_opcode = 1,        // opcode 0x3-0x7 or 0xB-0xF
    reserved_bits,              // RSV1-3 set without an extension that defines them
    non_minimal_length,         // 16-bit length below 126 or 64-bit length below 65536
    length_too_large,           // 64-bit length with the most significant bit set
    control_frame_too_long,     // control frame payload above 125 bytes
    fragmented_control_frame,   // control frame with FIN clear
    masked_frame,               // a server sent a masked frame (client role)
    unmasked_frame,             // a client sent an unmasked frame (server role)
    unexpected_continuation,    // continuation frame with no fragmented message open
    expected_continuation,      // new text/binary frame while a fragmented message is open
    message_too_big,            // message exceeds the configured maximum size
    invalid_utf8,               // text message payload is not valid UTF-8
    invalid_close_payload,      // Close frame payload of exactly one byte
    invalid_close_code,         // Close frame code not allowed on the wire
    invalid_close_reason,       // Close frame reason is not valid UTF-8

    // Local misuse, reported by the writer; nothing is written.
    buffer_too_small,           // output buffer cannot hold the frame
    close_reason_too_long,      // close reason above 123 bytes
    frame_after_close,          // a frame after a Close frame was sent
    invalid_opcode,             // reserved opcode given to the writer
};

namespace detail {

struct error_traits {
    static constexpr const char* name = "tradewire.ws";
    static const char* message(error e) noexcept {
        switch (e) {
            case error::reserved_opcode: return "reserved opcode";
            case error::reserved_bits: return "reserved bits set without a negotiated extension";
            case error::non_minimal_length: return "payload length not minimally encoded";
            case error::length_too_large: return "64-bit payload length has its most significant bit set";
            case error::control_frame_too_long: return "control frame payload longer than 125 bytes";
            case error::fragmented_control_frame: return "fragmented control frame";
            case error::masked_frame: return "masked frame from a server";
            case error::unmasked_frame: return "unmasked frame from a client";
            case error::unexpected_continuation: return "continuation frame without a message to continue";
            case error::expected_continuation: return "new data frame inside a fragmented message";
            case error::message_too_big: return "message exceeds the maximum size";
            case error::invalid_utf8: return "text message is not valid UTF-8";
            case error::invalid_close_payload: return "close frame payload of one byte";
            case error::invalid_close_code: return "invalid close code";
            case error::invalid_close_reason: return "close reason is not valid UTF-8";
            case error::buffer_too_small: return "output buffer too small for the frame";
            case error::close_reason_too_long: return "close reason longer than 123 bytes";
            case error::frame_after_close: return "frame written after a close frame";
            case error::invalid_opcode: return "reserved opcode given to the writer";
        }
        return "unknown tradewire.ws error";
    }
};

}  // namespace detail

inline const std::error_category& ws_category() noexcept {
    return tradewire::detail::enum_category<error, detail::error_traits>();
}

inline std::error_code make_error_code(error e) noexcept { return {static_cast<int>(e), ws_category()}; }

// The close code to send when failing the connection because of `e` (RFC 6455 §7.4.1):
// 1007 for payload data that is not valid UTF-8, 1009 for a message over the limit, 1002
// for every other protocol violation, and 1011 (internal error) for local misuse, which
// is this endpoint's fault rather than the peer's.
constexpr close_code close_code_for(error e) noexcept {
    switch (e) {
        case error::invalid_utf8:
        case error::invalid_close_reason: return close_code::invalid_payload;
        case error::message_too_big: return close_code::message_too_big;
        case error::buffer_too_small:
        case error::close_reason_too_long:
        case error::frame_after_close:
        case error::invalid_opcode: return close_code::internal_error;
        case error::reserved_opcode:
        case error::reserved_bits:
        case error::non_minimal_length:
        case error::length_too_large:
        case error::control_frame_too_long:
        case error::fragmented_control_frame:
        case error::masked_frame:
        case error::unmasked_frame:
        case error::unexpected_continuation:
        case error::expected_continuation:
        case error::invalid_close_payload:
        case error::invalid_close_code: return close_code::protocol_error;
    }
    return close_code::protocol_error;
}

}  // namespace tradewire::ws

template <>
struct std::is_error_code_enum<tradewire::ws::error> : std::true_type {};
