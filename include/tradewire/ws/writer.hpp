// The sending half of a WebSocket connection: builds frames into a caller's buffer,
// sans-I/O. It enforces what RFC 6455 asks of a sender: the role's masking (a client
// masks every frame with a fresh key), fragmentation order (first frame text or binary,
// then continuations, control frames allowed in between), control frame limits, valid
// close codes and reasons, and nothing after a Close frame. A call that fails writes
// nothing and changes no state; no call ever writes past the buffer it is given.
//
// Two forms:
//  - complete frames (write, text, binary, ping, pong, close): header and payload are
//    copied into `out` (and masked there for a client); the payload is not modified.
//  - scatter (write_header): only the header goes into `out`; the payload stays in the
//    caller's buffer and is sent after it (two buffers in one gather write). For a client
//    the payload is MASKED IN PLACE in the caller's buffer with the frame's key: send it
//    as is, and do not expect the buffer to hold the original bytes afterwards. A server
//    never touches the payload. The overload taking only a payload size leaves masking
//    to the caller (apply_mask with the returned key).
//
// The role's next_mask_key() is called once per frame and must not throw.
//
// Text payloads are not validated (the SDK builds its own JSON); validate untrusted text
// with utf8.hpp before sending it. Close reasons are validated.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/ws/close.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/error.hpp>
#include <tradewire/ws/frame.hpp>
#include <tradewire/ws/mask.hpp>
#include <tradewire/ws/opcode.hpp>
#include <tradewire/ws/role.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace tradewire::ws {

struct write_result {
    std::size_t size = 0;       // bytes written into `out`: the whole frame, or the header (scatter)
    error failure{};            // error{} (zero) on success
    std::uint32_t mask_key = 0; // the key the frame was masked with (client role)

    [[nodiscard]] bool ok() const noexcept { return failure == error{}; }
    [[nodiscard]] std::error_code error_code() const noexcept {
        return ok() ? std::error_code{} : make_error_code(failure);
    }
};

template <role Role>
class frame_writer {
public:
    using role_type = Role;

    frame_writer() requires std::default_initializable<Role> = default;
    explicit frame_writer(Role r) noexcept(std::is_nothrow_move_constructible_v<Role>) : role_(std::move(r)) {}

    // Bytes a complete frame with a payload of `payload_size` bytes needs.
    static constexpr std::size_t frame_size(std::size_t payload_size) noexcept {
        return frame_header_size(payload_size, Role::sends_masked) + payload_size;
    }

    // One frame of any kind. For a fragmented message: write(out, opcode::text or
    // opcode::binary, first, false), then write(out, opcode::continuation, part, false)
    // as often as needed, then write(out, opcode::continuation, last, true). `rsv` sets
    // RSV bits for a negotiated extension (e.g. rsv1_bit on the first frame of a
    // permessage-deflate message).
    write_result write(mutable_bytes out, opcode op, const_bytes payload, bool fin = true,
                       std::uint8_t rsv = 0) noexcept {
        if (const error e = check(op, payload.size(), fin); e != error{}) return failed(e);
        // Written so that no sum can wrap around (and so that GCC can see the copy is bounded).
        if (payload.size() > static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max())) {
            return failed(error::buffer_too_small);
        }
        const std::size_t needed_header = frame_header_size(payload.size(), Role::sends_masked);
        if (out.size() < needed_header || out.size() - needed_header < payload.size()) {
            return failed(error::buffer_too_small);
        }
        frame_header h = make_header(op, payload.size(), fin, rsv);
        const std::size_t header_size = write_frame_header(out, h);
        if (!payload.empty()) {
            const mutable_bytes body = out.subspan(header_size, payload.size());
            std::memcpy(body.data(), payload.data(), payload.size());
            if constexpr (Role::sends_masked) apply_mask(body, h.mask_key);
        }
        advance(op, fin);
        return {header_size + payload.size(), error{}, h.mask_key};
    }

    // Scatter form: writes only the header into `out` (max_header_size bytes are always
    // enough) and, for a client, masks `payload` in place in the caller's buffer.
    write_result write_header(mutable_bytes out, opcode op, mutable_bytes payload, bool fin = true,
                              std::uint8_t rsv = 0) noexcept {
        const write_result r = write_header(out, op, payload.size(), fin, rsv);
        if constexpr (Role::sends_masked) {
            if (r.ok()) apply_mask(payload, r.mask_key);
        }
        return r;
    }

    // Scatter form for a payload the writer does not see (e.g. a const buffer on a server,
    // or a pre-built order template): writes the header for `payload_size` bytes. A client
    // must then XOR the payload with the returned key, apply_mask(payload, r.mask_key),
    // before sending it; a server sends it as is.
    write_result write_header(mutable_bytes out, opcode op, std::size_t payload_size, bool fin = true,
                              std::uint8_t rsv = 0) noexcept {
        if (const error e = check(op, payload_size, fin); e != error{}) return failed(e);
        if (out.size() < frame_header_size(payload_size, Role::sends_masked)) return failed(error::buffer_too_small);
        frame_header h = make_header(op, payload_size, fin, rsv);
        const std::size_t header_size = write_frame_header(out, h);
        if (header_size == 0) return failed(error::buffer_too_small);  // 2^63 bytes or more
        advance(op, fin);
        return {header_size, error{}, h.mask_key};
    }

    write_result text(mutable_bytes out, std::string_view payload) noexcept { return write(out, opcode::text, as_bytes(payload)); }
    write_result binary(mutable_bytes out, const_bytes payload) noexcept { return write(out, opcode::binary, payload); }
    write_result ping(mutable_bytes out, const_bytes payload = {}) noexcept { return write(out, opcode::ping, payload); }
    write_result pong(mutable_bytes out, const_bytes payload = {}) noexcept { return write(out, opcode::pong, payload); }

    // A Close frame with a status code and an optional reason (at most 123 bytes of
    // UTF-8). The code must be allowed on the wire (not 1005, 1006, 1015, ...).
    write_result close(mutable_bytes out, close_code code, std::string_view reason = {}) noexcept {
        if (const error e = check_close(code, reason); e != error{}) return failed(e);
        std::array<std::uint8_t, max_control_payload_size> payload{};
        const std::size_t size = write_close_payload(payload, code, reason);
        return write(out, opcode::close, const_bytes(payload.data(), size));
    }

    // A Close frame without a status code (the peer sees no_status).
    write_result close(mutable_bytes out) noexcept { return write(out, opcode::close, {}); }

    // A fragmented message is open: only continuations and control frames may follow.
    [[nodiscard]] bool message_in_progress() const noexcept { return in_message_; }
    [[nodiscard]] bool close_sent() const noexcept { return close_sent_; }

    // Forgets the fragmentation and close state for a new connection.
    void reset() noexcept { in_message_ = close_sent_ = false; }

    Role& role() noexcept { return role_; }

private:
    std::uint32_t key() noexcept {
        if constexpr (Role::sends_masked) {
            return role_.next_mask_key();
        } else {
            return 0;
        }
    }

    error check(opcode op, std::size_t payload_size, bool fin) const noexcept {
        if (is_reserved_opcode(static_cast<std::uint8_t>(op))) return error::invalid_opcode;
        if (close_sent_) return error::frame_after_close;
        if (is_control(op)) {
            if (!fin) return error::fragmented_control_frame;
            if (payload_size > max_control_payload_size) return error::control_frame_too_long;
            return error{};
        }
        if (op == opcode::continuation) {
            if (!in_message_) return error::unexpected_continuation;
        } else if (in_message_) {
            return error::expected_continuation;
        }
        return error{};
    }

    frame_header make_header(opcode op, std::size_t payload_size, bool fin, std::uint8_t rsv) noexcept {
        frame_header h;
        h.fin = fin;
        h.rsv = rsv & rsv_bits;
        h.op = op;
        h.masked = Role::sends_masked;
        h.mask_key = key();
        h.payload_size = payload_size;
        return h;
    }

    void advance(opcode op, bool fin) noexcept {
        if (op == opcode::close) {
            close_sent_ = true;
        } else if (is_data(op)) {
            in_message_ = !fin;
        }
    }

    static write_result failed(error e) noexcept { return {0, e, 0}; }

    Role role_{};
    bool in_message_ = false;
    bool close_sent_ = false;
};

}  // namespace tradewire::ws
