// Character tables and small scanners behind tradewire::json_reader: one table lookup per
// byte on the hot loops (whitespace, plain string bytes), plus strict UTF-8 validation
// of one multi-byte sequence (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tradewire::detail {

inline constexpr std::uint8_t json_ws = 1;       // space, tab, line feed, carriage return
inline constexpr std::uint8_t json_special = 2;  // ends the plain run in a string: " \ controls non-ASCII
inline constexpr std::uint8_t json_digit = 4;

inline constexpr std::array<std::uint8_t, 256> json_char_class = [] {
    std::array<std::uint8_t, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = json_special;
    for (int c = 0x80; c < 0x100; ++c) t[static_cast<std::size_t>(c)] = json_special;
    t['"'] = json_special;
    t['\\'] = json_special;
    t[' '] = json_ws;
    t['\t'] = json_ws | json_special;
    t['\n'] = json_ws | json_special;
    t['\r'] = json_ws | json_special;
    for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = json_digit;
    return t;
}();

constexpr std::uint8_t json_class(char c) noexcept { return json_char_class[static_cast<unsigned char>(c)]; }
constexpr bool json_is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Length of the valid UTF-8 sequence starting at p (whose first byte is >= 0x80), or 0 if
// the bytes in [p, end) do not start with one.
inline std::size_t utf8_sequence_length(const char* p, const char* end) noexcept {
    const auto b0 = static_cast<unsigned char>(p[0]);
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        n = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        n = 3;
        if (b0 == 0xe0) lo = 0xa0;       // overlong
        else if (b0 == 0xed) hi = 0x9f;  // UTF-16 surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        n = 4;
        if (b0 == 0xf0) lo = 0x90;       // overlong
        else if (b0 == 0xf4) hi = 0x8f;  // beyond U+10FFFF
    } else {
        return 0;
    }
    if (static_cast<std::size_t>(end - p) < n) return 0;
    const auto b1 = static_cast<unsigned char>(p[1]);
    if (b1 < lo || b1 > hi) return 0;
    for (std::size_t i = 2; i < n; ++i) {
        const auto b = static_cast<unsigned char>(p[i]);
        if (b < 0x80 || b > 0xbf) return 0;
    }
    return n;
}

// Value of one hex digit, or -1.
constexpr int json_hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Writes code point cp (valid, not a surrogate) as UTF-8 at w; returns the bytes written.
inline std::size_t utf8_encode(std::uint32_t cp, char* w) noexcept {
    if (cp < 0x80) {
        w[0] = static_cast<char>(cp);
        return 1;
    }
    if (cp < 0x800) {
        w[0] = static_cast<char>(0xc0 | (cp >> 6));
        w[1] = static_cast<char>(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        w[0] = static_cast<char>(0xe0 | (cp >> 12));
        w[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        w[2] = static_cast<char>(0x80 | (cp & 0x3f));
        return 3;
    }
    w[0] = static_cast<char>(0xf0 | (cp >> 18));
    w[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    w[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    w[3] = static_cast<char>(0x80 | (cp & 0x3f));
    return 4;
}

}  // namespace tradewire::detail
