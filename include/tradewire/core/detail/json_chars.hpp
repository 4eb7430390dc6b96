// Character tables and small scanners behind tradewire::json_reader: one table lookup per
// byte on the hot loops (whitespace, plain string bytes), plus strict UTF-8 validation
// of one multi-byte sequence (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

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

// Eight bytes at a time ("SIMD within a register"), on little-endian machines, where the
// first byte in memory is the lowest in the word. Loads go through memcpy (no aliasing or
// alignment trouble) and only where 8 bytes remain, so nothing reads past the buffer.
inline constexpr bool json_swar = std::endian::native == std::endian::little;

inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

// High bit set in each byte of the result where the byte of x ends a plain string run:
// '"', '\\', a control character (< 0x20) or a non-ASCII byte (>= 0x80). Exact for the
// lowest such byte (the borrow of the subtraction only spreads upward from it).
constexpr std::uint64_t string_special_mask(std::uint64_t x) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    const std::uint64_t quote = x ^ (ones * '"');
    const std::uint64_t slash = x ^ (ones * '\\');
    const std::uint64_t zero_quote = (quote - ones) & ~quote;
    const std::uint64_t zero_slash = (slash - ones) & ~slash;
    const std::uint64_t control = (x - ones * 0x20) & ~x;
    return (zero_quote | zero_slash | control | x) & highs;
}

// True if all eight bytes are ASCII digits.
constexpr bool all_digits8(std::uint64_t x) noexcept {
    return (x & 0xf0f0f0f0f0f0f0f0ull) == 0x3030303030303030ull &&
           ((x + 0x0606060606060606ull) & 0xf0f0f0f0f0f0f0f0ull) == 0x3030303030303030ull;
}

// Value of eight ASCII digits (first byte most significant).
constexpr std::uint64_t digits8_value(std::uint64_t x) noexcept {
    x &= 0x0f0f0f0f0f0f0f0full;
    x = (x * 10 + (x >> 8)) & 0x00ff00ff00ff00ffull;
    x = (x * 100 + (x >> 16)) & 0x0000ffff0000ffffull;
    return (x * 10000 + (x >> 32)) & 0xffffffffull;
}

// Number of leading ASCII digits among the eight bytes of x (0..8).
constexpr int leading_digits8(std::uint64_t x) noexcept {
    // Per byte: zero iff the byte is a digit ('0'..'9'); exact up to the first non-digit.
    const std::uint64_t t = ((x & 0xf0f0f0f0f0f0f0f0ull) ^ 0x3030303030303030ull) |
                            (((x + 0x0606060606060606ull) & 0xf0f0f0f0f0f0f0f0ull) ^ 0x3030303030303030ull);
    const std::uint64_t nonzero = (((t & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full) | t) & 0x8080808080808080ull;
    return nonzero == 0 ? 8 : std::countr_zero(nonzero) / 8;
}

// Value of the first k (1..8) digits of x, which leading_digits8 has vouched for.
constexpr std::uint64_t digits_value(std::uint64_t x, int k) noexcept {
    // Move the k digits to the top and fill the bottom with '0's: leading zeros.
    const int shift = 8 * (8 - k);
    const std::uint64_t padded = shift == 0 ? x : (x << shift) | (0x3030303030303030ull >> (64 - shift));
    return digits8_value(padded);
}

inline constexpr std::uint64_t pow10_u64[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

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
