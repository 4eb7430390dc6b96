// Base64 with the standard alphabet (RFC 4648 section 4): the WebSocket handshake key and
// accept value, and the signature encoding several venues require. Encoding always pads.
// Decoding is strict, because it sees untrusted text: padding is optional but must be
// right when present, and characters outside the alphabet (whitespace included), a
// length no input could produce and non-zero unused trailing bits are all errors.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace tradewire::crypto {

namespace detail {

inline constexpr char base64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0..63 for alphabet characters, 0xff for everything else (the high bit flags it).
inline constexpr std::array<std::uint8_t, 256> base64_values = [] {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t) v = 0xff;
    for (std::uint8_t i = 0; i < 64; ++i) t[static_cast<unsigned char>(base64_alphabet[i])] = i;
    return t;
}();

}  // namespace detail

// Characters base64_encode writes for n input bytes (always padded).
constexpr std::size_t base64_encoded_size(std::size_t n) noexcept {
    return (n + 2) / 3 * 4;
}

// Upper bound of the bytes base64_decode writes for n characters of text, padded or not.
constexpr std::size_t base64_decoded_max_size(std::size_t n) noexcept {
    return n / 4 * 3 + (n % 4) * 3 / 4;
}

// Writes base64_encoded_size(in.size()) characters to out (no terminator); returns that count.
inline std::size_t base64_encode(const_bytes in, char* out) noexcept {
    const char* a = detail::base64_alphabet;
    const std::uint8_t* p = in.data();
    std::size_t n = in.size();
    char* o = out;
    for (; n >= 3; n -= 3, p += 3, o += 4) {
        const std::uint32_t v =
            (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | std::uint32_t{p[2]};
        o[0] = a[v >> 18];
        o[1] = a[(v >> 12) & 63];
        o[2] = a[(v >> 6) & 63];
        o[3] = a[v & 63];
    }
    if (n != 0) {
        const std::uint32_t v = (std::uint32_t{p[0]} << 16) | (n == 2 ? std::uint32_t{p[1]} << 8 : 0u);
        o[0] = a[v >> 18];
        o[1] = a[(v >> 12) & 63];
        o[2] = n == 2 ? a[(v >> 6) & 63] : '=';
        o[3] = '=';
        o += 4;
    }
    return static_cast<std::size_t>(o - out);
}

inline std::string base64_encode(const_bytes in) {
    std::string s(base64_encoded_size(in.size()), '\0');
    base64_encode(in, s.data());
    return s;
}
inline std::string base64_encode(std::string_view text) {
    return base64_encode(as_bytes(text));
}

// Decodes into out, which must hold base64_decoded_max_size(in.size()) bytes. Returns the
// bytes written and clears ec; on malformed text sets ec and returns 0 (out's contents are
// then unspecified).
inline std::size_t base64_decode(std::string_view in, std::uint8_t* out, std::error_code& ec) noexcept {
    const auto& t = detail::base64_values;
    std::size_t n = in.size();
    std::size_t pad = 0;
    while (pad < n && pad < 3 && in[n - 1 - pad] == '=') ++pad;
    if (pad != 0) {
        if (pad > 2 || n % 4 != 0) {
            ec = error::invalid_base64_padding;
            return 0;
        }
        n -= pad;
    }
    if (n % 4 == 1) {
        ec = error::invalid_base64_length;
        return 0;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    std::uint8_t* o = out;
    auto bad = [&](std::size_t from, std::size_t count) noexcept {
        for (std::size_t i = from; i < from + count; ++i) {
            if (t[p[i]] & 0x80)
                return p[i] == '=' ? error::invalid_base64_padding : error::invalid_base64_character;
        }
        return error{};
    };
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4, o += 3) {
        const std::uint32_t a = t[p[i]], b = t[p[i + 1]], c = t[p[i + 2]], d = t[p[i + 3]];
        if ((a | b | c | d) & 0x80) {
            ec = bad(i, 4);
            return 0;
        }
        const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
        o[0] = static_cast<std::uint8_t>(v >> 16);
        o[1] = static_cast<std::uint8_t>(v >> 8);
        o[2] = static_cast<std::uint8_t>(v);
    }
    const std::size_t rest = n - i;  // 0, 2 or 3
    if (rest != 0) {
        if (error e = bad(i, rest); e != error{}) {
            ec = e;
            return 0;
        }
        const std::uint32_t a = t[p[i]], b = t[p[i + 1]], c = rest == 3 ? t[p[i + 2]] : 0u;
        const std::uint32_t v = (a << 18) | (b << 12) | (c << 6);
        // RFC 4648 section 3.5: the bits below the last whole byte must be zero.
        if ((rest == 2 && (v & 0xffff) != 0) || (rest == 3 && (v & 0xff) != 0)) {
            ec = error::base64_trailing_bits;
            return 0;
        }
        *o++ = static_cast<std::uint8_t>(v >> 16);
        if (rest == 3) *o++ = static_cast<std::uint8_t>(v >> 8);
    }
    ec.clear();
    return static_cast<std::size_t>(o - out);
}

// Bounds-checked form: fails with error::buffer_too_small if out is shorter than the
// decoded length (which is exact, computed from the text's length and padding).
inline std::size_t base64_decode(std::string_view in, mutable_bytes out, std::error_code& ec) noexcept {
    std::size_t n = in.size();
    for (int k = 0; k < 2 && n != 0 && in[n - 1] == '='; ++k) --n;
    // A valid text decodes to exactly this many bytes; an invalid one fails before writing more.
    if (out.size() < base64_decoded_max_size(n)) {
        ec = error::buffer_too_small;
        return 0;
    }
    return base64_decode(in, out.data(), ec);
}

// Convenience for cold paths (allocates).
inline std::vector<std::uint8_t> base64_decode(std::string_view in, std::error_code& ec) {
    std::vector<std::uint8_t> out(base64_decoded_max_size(in.size()));
    out.resize(base64_decode(in, out.data(), ec));
    return out;
}

}  // namespace tradewire::crypto
