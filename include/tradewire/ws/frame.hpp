// The WebSocket frame header (RFC 6455 §5.2): parsing it in place from received bytes,
// with every header-level protocol check, and writing it into a caller's buffer. This is
// the lowest layer: it knows nothing about roles, fragmentation state or payloads (see
// reader.hpp and writer.hpp for those).
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/ws/error.hpp>
#include <tradewire/ws/opcode.hpp>

#include <cstddef>
#include <cstdint>

namespace tradewire::ws {

// RSV bits as they sit in the first header byte, so they can be OR-ed into masks.
inline constexpr std::uint8_t rsv1_bit = 0x40;  // permessage-deflate: "compressed"
inline constexpr std::uint8_t rsv2_bit = 0x20;
inline constexpr std::uint8_t rsv3_bit = 0x10;
inline constexpr std::uint8_t rsv_bits = rsv1_bit | rsv2_bit | rsv3_bit;

inline constexpr std::size_t max_header_size = 14;           // 2 + 8 (64-bit length) + 4 (mask key)
inline constexpr std::size_t max_control_payload_size = 125;

struct frame_header {
    bool fin = true;
    std::uint8_t rsv = 0;            // subset of rsv_bits
    opcode op = opcode::binary;
    bool masked = false;
    std::uint32_t mask_key = 0;      // the 4 key bytes as they appear on the wire, big-endian
    std::uint64_t payload_size = 0;
};

enum class parse_status : std::uint8_t { complete, need_more, failed };

struct header_parse_result {
    parse_status status = parse_status::need_more;
    std::size_t header_size = 0;  // complete: bytes the header occupies (2 to 14)
    std::size_t need = 0;         // need_more: at least this many more bytes are required
    error failure{};              // failed: the violation
};

// Size of the header for a payload of `payload_size` bytes.
constexpr std::size_t frame_header_size(std::uint64_t payload_size, bool masked) noexcept {
    const std::size_t length_bytes = payload_size < 126 ? 0 : payload_size <= 0xFFFF ? 2 : 8;
    return 2 + length_bytes + (masked ? 4 : 0);
}

namespace detail {

inline std::uint32_t load_be32(const std::uint8_t* p) noexcept {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

inline std::uint64_t load_be64(const std::uint8_t* p) noexcept {
    return (std::uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}

// Opcodes 3-7 and 11-15 as a bit set, so the first byte is checked without branches.
inline constexpr std::uint32_t reserved_opcode_set = 0xF8F8;

}  // namespace detail

// Parses the header at the start of `in` into `out` without copying the input. Checks
// everything that can be checked from the header alone, as early as the bytes allow (a
// reserved opcode fails with one byte): reserved opcodes, RSV bits outside `allowed_rsv`,
// control frames that are fragmented or longer than 125 bytes, non-minimal length
// encodings and 64-bit lengths with the top bit set. `out` is complete only when the
// result is parse_status::complete.
inline header_parse_result parse_frame_header(const_bytes in, frame_header& out,
                                              std::uint8_t allowed_rsv = 0) noexcept {
    header_parse_result result;
    const auto failed = [&result](error e) {
        result.status = parse_status::failed;
        result.failure = e;
        return result;
    };
    if (in.empty()) {
        result.need = 2;
        return result;
    }
    const std::uint8_t b0 = in[0];
    const unsigned op = b0 & 0x0Fu;
    const bool fin = (b0 & 0x80) != 0;
    const bool control = (op & 0x8) != 0;
    // One well-predicted branch for the valid case; the slow path names the violation.
    if ((((detail::reserved_opcode_set >> op) & 1u) != 0) | ((b0 & rsv_bits & ~allowed_rsv) != 0) | (control & !fin)) {
        if (is_reserved_opcode(static_cast<std::uint8_t>(op))) return failed(error::reserved_opcode);
        if ((b0 & rsv_bits & ~allowed_rsv) != 0) return failed(error::reserved_bits);
        return failed(error::fragmented_control_frame);
    }
    if (in.size() < 2) {
        result.need = 2 - in.size();
        return result;
    }
    const std::uint8_t b1 = in[1];
    const bool masked = (b1 & 0x80) != 0;
    const std::uint8_t len7 = b1 & 0x7F;
    if (control && len7 > max_control_payload_size) return failed(error::control_frame_too_long);
    const std::size_t length_bytes = len7 < 126 ? 0 : len7 == 126 ? 2 : 8;
    const std::size_t size = 2 + length_bytes + (masked ? 4 : 0);
    // Judge an extended length as soon as its bytes are here, even if the mask key is not.
    if (in.size() < size && (length_bytes == 0 || in.size() < 2 + length_bytes)) {
        result.need = size - in.size();
        return result;
    }
    std::uint64_t payload_size = len7;
    if (length_bytes == 2) {
        payload_size = (std::uint64_t{in[2]} << 8) | in[3];
        if (payload_size < 126) return failed(error::non_minimal_length);
    } else if (length_bytes == 8) {
        payload_size = detail::load_be64(in.data() + 2);
        if ((payload_size >> 63) != 0) return failed(error::length_too_large);
        if (payload_size <= 0xFFFF) return failed(error::non_minimal_length);
    }
    if (in.size() < size) {
        result.need = size - in.size();
        return result;
    }
    out.fin = fin;
    out.rsv = b0 & rsv_bits;
    out.op = static_cast<opcode>(op);
    out.masked = masked;
    out.mask_key = masked ? detail::load_be32(in.data() + 2 + length_bytes) : 0;
    out.payload_size = payload_size;
    result.status = parse_status::complete;
    result.header_size = size;
    return result;
}

// Writes `h` into `out` using the minimal length encoding. Returns the bytes written (2
// to 14), or 0 when `out` is too small or the length cannot be encoded (2^63 or more).
// It does not judge the header (a control frame with a long payload is written as
// asked); the frame writer in writer.hpp does.
inline std::size_t write_frame_header(mutable_bytes out, const frame_header& h) noexcept {
    if ((h.payload_size >> 63) != 0) return 0;
    const std::size_t size = frame_header_size(h.payload_size, h.masked);
    if (out.size() < size) return 0;
    std::uint8_t* p = out.data();
    p[0] = static_cast<std::uint8_t>((h.fin ? 0x80 : 0x00) | (h.rsv & rsv_bits) | (static_cast<std::uint8_t>(h.op) & 0x0F));
    const std::uint8_t mask_bit = h.masked ? 0x80 : 0x00;
    std::size_t i = 2;
    if (h.payload_size < 126) {
        p[1] = static_cast<std::uint8_t>(mask_bit | h.payload_size);
    } else if (h.payload_size <= 0xFFFF) {
        p[1] = static_cast<std::uint8_t>(mask_bit | 126);
        p[2] = static_cast<std::uint8_t>(h.payload_size >> 8);
        p[3] = static_cast<std::uint8_t>(h.payload_size);
        i = 4;
    } else {
        p[1] = static_cast<std::uint8_t>(mask_bit | 127);
        for (int shift = 56; shift >= 0; shift -= 8) p[i++] = static_cast<std::uint8_t>(h.payload_size >> shift);
    }
    if (h.masked) {
        p[i++] = static_cast<std::uint8_t>(h.mask_key >> 24);
        p[i++] = static_cast<std::uint8_t>(h.mask_key >> 16);
        p[i++] = static_cast<std::uint8_t>(h.mask_key >> 8);
        p[i++] = static_cast<std::uint8_t>(h.mask_key);
    }
    return i;
}

}  // namespace tradewire::ws
