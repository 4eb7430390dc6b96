// The receiving half of a WebSocket connection as a sans-I/O state machine: bytes in
// (through the reader's own buffer), one event out at a time. It checks every framing
// rule of RFC 6455, reassembles fragmented messages, passes control frames through as
// they interleave, unmasks (server role) and validates text as bytes arrive, enforces a
// maximum message size from the frame header, and parses Close frames.
//
// Usage by an I/O layer:
//
//     ws::message_reader<ws::client_role> reader;
//     for (;;) {
//         auto space = reader.prepare(16 * 1024);
//         std::size_t n = socket.read_some(space);      // any transport
//         reader.commit(n);
//         for (auto ev = reader.next(); ev.type != ws::event_type::need_more; ev = reader.next()) {
//             ... handle ev; stop on close, error or closed ...
//         }
//     }
//
// Memory: one buffer, grown geometrically as needed and reused for the life of the
// reader (and across reset()), never beyond max_message_size plus one frame header and
// one control frame. In steady state there is no allocation per message.
//
// Copies: a message sent as one frame is delivered as a view into the receive buffer,
// where the socket wrote it (bytes already received move once at most, when the buffer
// has to be compacted or grown while the frame is incomplete). Fragments are moved once,
// into place behind the previous fragments, so a fragmented message is contiguous.
//
// View lifetime: an event's payload (and a close reason) views the reader's buffer and
// stays valid until the next call to prepare(), next() or reset().
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/ws/close.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/error.hpp>
#include <tradewire/ws/frame.hpp>
#include <tradewire/ws/mask.hpp>
#include <tradewire/ws/opcode.hpp>
#include <tradewire/ws/role.hpp>
#include <tradewire/ws/utf8.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string_view>
#include <system_error>

namespace tradewire::ws {

struct reader_options {
    // Largest message accepted (sum of its fragments' payloads). A frame header that
    // announces more fails with error::message_too_big before any payload is buffered.
    std::size_t max_message_size = std::size_t{64} << 20;
    // RSV bits a negotiated extension defines (e.g. rsv1_bit for permessage-deflate);
    // any other RSV bit fails with error::reserved_bits. RSV1, when allowed, is read as
    // permessage-deflate's "compressed" flag (RFC 7692 §6): it may only be set on the
    // first frame of a data message, and the text of such a message is not validated
    // here but by whoever inflates it (its size limit likewise applies to the inflated
    // size there; here it applies to the bytes on the wire).
    std::uint8_t allowed_rsv = 0;
};

enum class event_type : std::uint8_t {
    need_more,  // call prepare()/commit() with more bytes, then next() again
    text,       // a complete text message (valid UTF-8 unless compressed)
    binary,     // a complete binary message
    ping,       // answer with a pong carrying the same payload
    pong,
    close,      // the peer's Close frame; the reader is closed from now on
    error,      // the peer broke the protocol: send a Close with `code`, then close
    closed,     // after close or error: nothing more will be read
};

struct read_event {
    event_type type = event_type::need_more;
    // text, binary, ping, pong: the (unmasked) payload. close: the reason bytes.
    const_bytes payload;
    // close: the peer's status (no_status for an empty Close payload).
    // error: the status to send in the Close frame that fails the connection.
    close_code code = close_code::no_status;
    std::error_code ec;       // error: the violation (category tradewire.ws)
    std::size_t need = 0;     // need_more: at least this many more bytes are needed
    std::uint8_t rsv = 0;     // text, binary: RSV bits of the message's first frame

    [[nodiscard]] std::string_view text() const noexcept { return as_text(payload); }
    [[nodiscard]] std::string_view reason() const noexcept { return as_text(payload); }
};

template <role Role>
class message_reader {
public:
    using role_type = Role;

    message_reader() noexcept = default;
    explicit message_reader(const reader_options& options) noexcept : options_(options) {}

    message_reader(const message_reader&) = delete;
    message_reader& operator=(const message_reader&) = delete;
    message_reader(message_reader&&) noexcept = default;
    message_reader& operator=(message_reader&&) noexcept = default;

    // Writable space for the next read: all the free space at the end of the buffer, at
    // least `min_size` bytes when the limit allows (it compacts, and grows the buffer
    // when compacting is not enough; while a frame is incomplete it grows to hold the
    // whole frame at once). The span is smaller than `min_size` only when the buffer is
    // at its limit (it still holds at least one byte whenever next() returned need_more),
    // or empty if memory runs out. Call next() until need_more before calling prepare().
    mutable_bytes prepare(std::size_t min_size) noexcept {
        const std::size_t limit = buffer_limit();
        min_size = std::clamp<std::size_t>(min_size, 1, limit);
        if (capacity_ - write_ >= min_size) return free_space();
        // Only unconsumed bytes are kept: the received part of the current frame's payload
        // (its header is parsed already) or the unparsed tail.
        const std::size_t from = in_frame_ ? payload_ : read_;
        const std::size_t live = write_ - from;
        std::size_t want = message_ + live + min_size;
        if (in_frame_ && live < header_.payload_size) {
            want = std::max(want, message_ + static_cast<std::size_t>(header_.payload_size));
        }
        if (want > capacity_ && capacity_ < limit) {
            const std::size_t grown = std::min(limit, std::max({want, capacity_ * 2, initial_capacity}));
            std::unique_ptr<std::uint8_t[]> fresh(new (std::nothrow) std::uint8_t[grown]);
            if (fresh) {
                if (message_ != 0) std::memcpy(fresh.get(), buffer_.get(), message_);
                if (live != 0) std::memcpy(fresh.get() + message_, buffer_.get() + from, live);
                buffer_ = std::move(fresh);
                capacity_ = grown;
                relocate(live);
                return free_space();
            }
        }
        if (from != message_) {
            std::memmove(buffer_.get() + message_, buffer_.get() + from, live);
            relocate(live);
        }
        return free_space();
    }

    // Records that `n` bytes were written at the start of the last prepare() span.
    void commit(std::size_t n) noexcept { write_ += std::min(n, capacity_ - write_); }

    // The next event. Consumes what it reports: a message's payload view is valid until
    // the next call to prepare(), next() or reset().
    read_event next() noexcept {
        if (closed_) return make_event(event_type::closed);
        for (;;) {
            if (!in_frame_) {
                const auto parsed = parse_frame_header(const_bytes(buffer_.get() + read_, write_ - read_), header_,
                                                       options_.allowed_rsv);
                if (parsed.status == parse_status::need_more) return need_more(parsed.need);
                if (parsed.status == parse_status::failed) return fail(parsed.failure);
                if (const error e = start_frame(); e != error{}) return fail(e);
                payload_ = read_ + parsed.header_size;
                done_ = 0;
                in_frame_ = true;
            }

            // Unmask and validate whatever part of the payload has arrived, so a bad text
            // frame fails before the rest of it is even received.
            const auto size = static_cast<std::size_t>(header_.payload_size);
            const std::size_t arrived = std::min(write_ - payload_, size);
            if (arrived > done_) {
                const mutable_bytes fresh(buffer_.get() + payload_ + done_, arrived - done_);
                if constexpr (Role::receives_masked) apply_mask(fresh, header_.mask_key, done_);
                if (validate_text_ && is_data(header_.op) && !utf8_.feed(fresh)) return fail(error::invalid_utf8);
                done_ = arrived;
            }
            if (done_ < size) return need_more(size - done_);

            in_frame_ = false;
            read_ = payload_ + size;
            const const_bytes payload(buffer_.get() + payload_, size);

            if (is_control(header_.op)) {
                consumed();
                return control_event(payload);
            }
            if (header_.op != opcode::continuation && header_.fin) {  // a whole message in one frame
                consumed();
                return message_event(payload);
            }
            // A fragment: append it behind the previous ones.
            if (payload_ != message_ && size != 0) std::memmove(buffer_.get() + message_, payload.data(), size);
            message_ += size;
            if (!header_.fin) {
                consumed();
                continue;
            }
            const const_bytes message(buffer_.get(), message_);
            in_message_ = false;
            message_ = 0;
            consumed();
            return message_event(message);
        }
    }

    // True after a close or error event.
    [[nodiscard]] bool closed() const noexcept { return closed_; }

    // Forgets all state for a new connection; keeps the buffer.
    void reset() noexcept {
        read_ = write_ = message_ = payload_ = 0;
        done_ = 0;
        in_frame_ = in_message_ = validate_text_ = closed_ = false;
        message_opcode_ = opcode::binary;
        message_rsv_ = 0;
        utf8_.reset();
    }

    // Same, with new options (e.g. the extensions the next handshake negotiated). The
    // buffer is kept unless it is larger than the new limit allows.
    void reset(const reader_options& options) noexcept {
        options_ = options;
        reset();
        if (capacity_ > buffer_limit()) {
            buffer_.reset();
            capacity_ = 0;
        }
    }

    [[nodiscard]] const reader_options& options() const noexcept { return options_; }

    // The whole receive buffer. Every view an event carries points inside it; meant for
    // assertions and diagnostics.
    [[nodiscard]] const_bytes storage() const noexcept { return {buffer_.get(), capacity_}; }

private:
    static constexpr std::size_t initial_capacity = 4096;

    // Enough for the largest message plus the frame being received and one control frame
    // that may arrive between its fragments.
    std::size_t buffer_limit() const noexcept {
        constexpr std::size_t overhead = max_header_size + max_control_payload_size;
        return std::min(options_.max_message_size, std::numeric_limits<std::size_t>::max() / 2) + overhead;
    }

    mutable_bytes free_space() noexcept { return {buffer_.get() + write_, capacity_ - write_}; }

    // Unconsumed bytes now start at message_.
    void relocate(std::size_t live) noexcept {
        if (in_frame_) {
            payload_ = message_;
        } else {
            read_ = message_;
        }
        write_ = message_ + live;
    }

    // Everything received has been consumed: the next read lands right behind the
    // assembled fragments, so the buffer never needs compacting in the common case.
    void consumed() noexcept {
        if (read_ == write_) read_ = write_ = message_;
    }

    // Checks a parsed header against the role and the fragmentation state.
    error start_frame() noexcept {
        if (header_.masked != Role::receives_masked) {
            return Role::receives_masked ? error::unmasked_frame : error::masked_frame;
        }
        const bool deflate = (options_.allowed_rsv & rsv1_bit) != 0;
        if (is_control(header_.op)) {
            if (deflate && (header_.rsv & rsv1_bit) != 0) return error::reserved_bits;
            return error{};
        }
        if (header_.op == opcode::continuation) {
            if (!in_message_) return error::unexpected_continuation;
            if (deflate && (header_.rsv & rsv1_bit) != 0) return error::reserved_bits;
        } else {
            if (in_message_) return error::expected_continuation;
            message_opcode_ = header_.op;
            message_rsv_ = header_.rsv;
            validate_text_ = header_.op == opcode::text && !(deflate && (header_.rsv & rsv1_bit) != 0);
            utf8_.reset();
            in_message_ = !header_.fin;
        }
        const std::size_t max = options_.max_message_size;
        if (header_.payload_size > max - message_) return error::message_too_big;
        return error{};
    }

    read_event message_event(const_bytes payload) noexcept {
        if (validate_text_ && !utf8_.finish()) return fail(error::invalid_utf8);
        read_event ev = make_event(message_opcode_ == opcode::text ? event_type::text : event_type::binary);
        ev.payload = payload;
        ev.rsv = message_rsv_;
        return ev;
    }

    read_event control_event(const_bytes payload) noexcept {
        if (header_.op == opcode::ping || header_.op == opcode::pong) {
            read_event ev = make_event(header_.op == opcode::ping ? event_type::ping : event_type::pong);
            ev.payload = payload;
            return ev;
        }
        close_reason parsed;
        if (const error e = parse_close_payload(payload, parsed); e != error{}) return fail(e);
        closed_ = true;
        read_event ev = make_event(event_type::close);
        ev.code = parsed.code;
        ev.payload = as_bytes(parsed.reason);
        return ev;
    }

    static read_event make_event(event_type type) noexcept {
        read_event ev;
        ev.type = type;
        return ev;
    }

    static read_event need_more(std::size_t need) noexcept {
        read_event ev;
        ev.need = need;
        return ev;
    }

    read_event fail(error e) noexcept {
        closed_ = true;
        read_event ev = make_event(event_type::error);
        ev.code = close_code_for(e);
        ev.ec = make_error_code(e);
        return ev;
    }

    reader_options options_;
    std::unique_ptr<std::uint8_t[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t read_ = 0;     // first unparsed byte (between frames)
    std::size_t write_ = 0;    // end of the received bytes
    std::size_t message_ = 0;  // [0, message_) holds the fragments received so far
    std::size_t payload_ = 0;  // where the current frame's payload starts
    std::size_t done_ = 0;     // payload bytes of the current frame already unmasked and validated
    frame_header header_;
    bool in_frame_ = false;        // header_ is parsed, payload incomplete
    bool in_message_ = false;      // a fragmented message is open
    bool validate_text_ = false;   // the current message is uncompressed text
    bool closed_ = false;
    opcode message_opcode_ = opcode::binary;
    std::uint8_t message_rsv_ = 0;
    utf8_validator utf8_;
};

}  // namespace tradewire::ws
