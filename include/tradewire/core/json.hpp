// A strict, in-situ JSON pull reader for venue messages (RFC 8259). The caller walks the
// document with begin_object/next_key/begin_array/next_element and reads each value as
// the type it expects; the reader allocates nothing, keeps no DOM, and hands out views
// into the caller's buffer. Strings with escapes are unescaped in place (the buffer is
// modified; the text always shrinks), so views stay valid as long as the buffer does.
// Numbers come back as their validated token text, so prices can go straight into
// tradewire::decimal without ever passing through double.
//
// Strict, because the input is untrusted network data: malformed structure, trailing
// commas, bad escapes, lone surrogates, invalid UTF-8, raw control characters in strings,
// leading zeros, nesting deeper than max_depth and trailing garbage (finish()) are errors.
// The first error sticks: every later call returns false, so a decoder can check once.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/detail/json_chars.hpp>
#include <tradewire/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <bit>
#include <cstring>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace tradewire {

enum class json_error {
    unexpected_end = 1,       // the text stops inside a value
    unexpected_character,     // a character the grammar does not allow here
    invalid_literal,          // not exactly true, false or null
    invalid_number,           // not RFC 8259 number syntax
    control_character,        // raw byte below 0x20 inside a string
    invalid_escape,           // unknown escape, bad \u hex digits or a lone surrogate
    invalid_utf8,             // string bytes that are not UTF-8
    too_deep,                 // nesting beyond json_reader::max_depth
    trailing_characters,      // non-whitespace after the top-level value
    type_mismatch,            // the value is not of the type the caller asked for
    not_an_integer,           // an integer was asked for but the number has a fraction or exponent
    number_out_of_range,      // the integer does not fit the requested type
    misuse,                   // next_key outside an object, next_element outside an array
};

namespace detail {
struct json_error_traits {
    static constexpr const char* name = "tradewire.json";
    static const char* message(json_error e) noexcept {
        switch (e) {
            case json_error::unexpected_end: return "unexpected end of JSON text";
            case json_error::unexpected_character: return "unexpected character in JSON text";
            case json_error::invalid_literal: return "invalid JSON literal";
            case json_error::invalid_number: return "invalid JSON number";
            case json_error::control_character: return "control character in JSON string";
            case json_error::invalid_escape: return "invalid escape in JSON string";
            case json_error::invalid_utf8: return "invalid UTF-8 in JSON string";
            case json_error::too_deep: return "JSON nesting too deep";
            case json_error::trailing_characters: return "characters after the JSON value";
            case json_error::type_mismatch: return "JSON value of the wrong type";
            case json_error::not_an_integer: return "JSON number is not an integer";
            case json_error::number_out_of_range: return "JSON integer out of range";
            case json_error::misuse: return "JSON reader used out of order";
        }
        return "unknown JSON error";
    }
};
}  // namespace detail

inline const std::error_category& json_category() noexcept {
    return detail::enum_category<json_error, detail::json_error_traits>();
}

inline std::error_code make_error_code(json_error e) noexcept { return {static_cast<int>(e), json_category()}; }

enum class json_type : std::uint8_t { none, object, array, string, number, boolean, null };

namespace detail {
// Digits of s (all must be digits, at least one) -> magnitude; false if it exceeds `limit`.
inline bool json_digits_to_u64(std::string_view s, std::uint64_t limit, std::uint64_t& out) noexcept {
    std::size_t i = 0;
    while (i + 1 < s.size() && s[i] == '0') ++i;  // leading zeros do not count toward the 19
    if (s.empty() || s.size() - i > 20) return false;
    std::uint64_t v = 0;
    const std::size_t fast_end = std::min(s.size(), i + 19);  // 19 digits always fit in 64 bits
    for (; i < fast_end; ++i) {
        const auto d = static_cast<unsigned>(s[i] - '0');
        if (d > 9) return false;
        v = v * 10 + d;
    }
    if (i < s.size()) {  // a 20th significant digit
        const auto d = static_cast<unsigned>(s[i] - '0');
        if (d > 9 || v > (~std::uint64_t{0} - d) / 10) return false;
        v = v * 10 + d;
    }
    if (v > limit) return false;
    out = v;
    return true;
}
}  // namespace detail

// Parses a strict decimal integer (optional '-', digits only) from text such as a
// timestamp a venue sends as a JSON string. No sign '+', no spaces, no fraction.
inline bool parse_int64(std::string_view s, std::int64_t& out) noexcept {
    const bool neg = !s.empty() && s[0] == '-';
    if (neg) s.remove_prefix(1);
    std::uint64_t v = 0;
    constexpr std::uint64_t max = 9223372036854775807ull;
    if (!detail::json_digits_to_u64(s, neg ? max + 1 : max, v)) return false;
    out = neg ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
    return true;
}

inline bool parse_uint64(std::string_view s, std::uint64_t& out) noexcept {
    return detail::json_digits_to_u64(s, ~std::uint64_t{0}, out);
}

class json_reader {
public:
    // Containers nested deeper than this are rejected (venue messages use 4 levels at most).
    static constexpr std::size_t max_depth = 64;

    json_reader(char* data, std::size_t size) noexcept : p_(data), end_(data + size) {}
    explicit json_reader(std::span<char> text) noexcept : json_reader(text.data(), text.size()) {}
    explicit json_reader(mutable_bytes bytes) noexcept
        : json_reader(reinterpret_cast<char*>(bytes.data()), bytes.size()) {}

    bool ok() const noexcept { return error_ == json_error{}; }
    json_error error() const noexcept { return error_; }
    std::error_code error_code() const noexcept {
        return ok() ? std::error_code{} : make_error_code(error_);
    }
    // Containers currently open.
    std::size_t depth() const noexcept { return depth_; }
    // The next unread byte (where the error is, after a failure).
    const char* position() const noexcept { return p_; }

    // Records an error found by the caller (for example a value of the right JSON type but
    // the wrong meaning) so that it sticks like the reader's own.
    bool fail(json_error e) noexcept {
        if (ok()) error_ = e;
        return false;
    }

    // Type of the next value, without consuming it; none (and an error) at the end of input
    // or on a character that cannot start a value.
    json_type peek() noexcept {
        if (!ok()) return json_type::none;
        skip_ws();
        if (p_ == end_) {
            fail(json_error::unexpected_end);
            return json_type::none;
        }
        switch (*p_) {
            case '{': return json_type::object;
            case '[': return json_type::array;
            case '"': return json_type::string;
            case 't':
            case 'f': return json_type::boolean;
            case 'n': return json_type::null;
            case '-': return json_type::number;
            default:
                if (detail::json_is_digit(*p_)) return json_type::number;
                fail(json_error::unexpected_character);
                return json_type::none;
        }
    }

    bool begin_object() noexcept { return open('{', false); }
    bool begin_array() noexcept { return open('[', true); }

    // Inside an object: reads the next member's key and its ':' and returns true, or
    // consumes the closing '}' and returns false (check ok() to tell end from error).
    bool next_key(std::string_view& key) noexcept {
        if (!ok()) return false;
        if (top_ != container::object) return fail(json_error::misuse);
        // Fast path for compact JSON: `,"key":` or, first, `"key":`.
        const bool first = first_;
        if (end_ - p_ >= 2 && (first ? p_[0] == '"' : (p_[0] == ',' && p_[1] == '"'))) {
            p_ += first ? 1 : 2;
            first_ = false;
            if (!scan_string<true>(key)) return false;
            if (p_ != end_ && *p_ == ':') {
                ++p_;
                return true;
            }
            return expect_colon();
        }
        skip_ws();
        if (p_ == end_) return fail(json_error::unexpected_end);
        if (*p_ == '}') {
            ++p_;
            close();
            return false;
        }
        if (!first_) {
            if (*p_ != ',') return fail(json_error::unexpected_character);
            ++p_;
            skip_ws();
            if (p_ == end_) return fail(json_error::unexpected_end);
        }
        if (*p_ != '"') return fail(json_error::unexpected_character);
        first_ = false;
        ++p_;
        if (!scan_string<true>(key)) return false;
        return expect_colon();
    }

    // Inside an array: returns true when another element follows (read it next), or
    // consumes the closing ']' and returns false.
    bool next_element() noexcept {
        if (!ok()) return false;
        if (top_ != container::array) return fail(json_error::misuse);
        skip_ws();
        if (p_ == end_) return fail(json_error::unexpected_end);
        if (*p_ == ']') {
            ++p_;
            close();
            return false;
        }
        if (!first_) {
            if (*p_ != ',') return fail(json_error::unexpected_character);
            ++p_;
        }
        first_ = false;
        return true;
    }

    // A string value, unescaped in place.
    bool read_string(std::string_view& out) noexcept {
        if (ok() && p_ != end_ && *p_ == '"') {
            ++p_;
            return scan_string<true>(out);
        }
        if (!expect_start('"')) return false;
        return scan_string<true>(out);
    }

    // A number value as its validated token text (e.g. "-12.50e3").
    bool read_number(std::string_view& out) noexcept {
        if (!ok()) return false;
        skip_ws();
        if (p_ == end_) return fail(json_error::unexpected_end);
        if (*p_ != '-' && !detail::json_is_digit(*p_)) return fail(json_error::type_mismatch);
        return scan_number(out);
    }

    // An integer number (no fraction, no exponent) that fits in int64_t / uint64_t.
    bool read_int64(std::int64_t& out) noexcept {
        // Fast path: up to 18 digits then a delimiter, accumulated while scanning.
        if (ok()) {
            skip_ws();
            char* p = p_;
            const bool neg = p != end_ && *p == '-';
            if (neg) ++p;
            if (p != end_ && *p >= '1' && *p <= '9') {
                std::uint64_t v = 0;
                char* const digits = p;
                if constexpr (detail::json_swar) {
                    // Two 8-byte words cover 16 digits (ms and us timestamps, ids).
                    for (int round = 0; round < 2 && end_ - p >= 8; ++round) {
                        const std::uint64_t x = detail::load8(p);
                        const int k = detail::leading_digits8(x);
                        if (k == 0) break;
                        v = v * detail::pow10_u64[k] + detail::digits_value(x, k);
                        p += k;
                        if (k < 8) break;
                    }
                }
                while (p != end_ && detail::json_is_digit(*p) && p - digits < 18)
                    v = v * 10 + static_cast<std::uint64_t>(*p++ - '0');
                if (p != end_ && (*p == ',' || *p == '}' || *p == ']' || (detail::json_class(*p) & detail::json_ws))) {
                    const auto m = static_cast<std::int64_t>(v);
                    out = neg ? -m : m;
                    p_ = p;
                    return true;
                }
            }
        }
        return read_int64_slow(out);
    }
    [[gnu::noinline]] bool read_int64_slow(std::int64_t& out) noexcept {
        std::string_view t;
        if (!read_number(t)) return false;
        if (!integer_token_) return fail(json_error::not_an_integer);
        if (!parse_int64(t, out)) return fail(json_error::number_out_of_range);
        return true;
    }
    bool read_uint64(std::uint64_t& out) noexcept {
        std::string_view t;
        if (!read_number(t)) return false;
        if (!integer_token_) return fail(json_error::not_an_integer);
        if (t[0] == '-' || !parse_uint64(t, out)) return fail(json_error::number_out_of_range);
        return true;
    }

    bool read_bool(bool& out) noexcept {
        if (!ok()) return false;
        skip_ws();
        if (p_ == end_) return fail(json_error::unexpected_end);
        if (*p_ == 't') {
            if (!literal("true")) return false;
            out = true;
            return true;
        }
        if (*p_ == 'f') {
            if (!literal("false")) return false;
            out = false;
            return true;
        }
        return fail(json_error::type_mismatch);
    }

    bool read_null() noexcept {
        if (!expect_start('n')) return false;
        return literal("null");
    }

    // Consumes a null and returns true if the next value is null; otherwise consumes nothing.
    bool try_null() noexcept {
        if (!ok()) return false;
        skip_ws();
        if (p_ == end_ || *p_ != 'n') return false;
        return literal("null");
    }

    // Skips one complete value of any type (validating it).
    bool skip() noexcept {
        const std::size_t base = depth_;
        do {
            switch (peek()) {
                case json_type::object: begin_object(); break;
                case json_type::array: begin_array(); break;
                case json_type::string: {
                    ++p_;
                    std::string_view ignored;
                    scan_string<false>(ignored);
                    break;
                }
                case json_type::number: {
                    std::string_view ignored;
                    scan_number(ignored);
                    break;
                }
                case json_type::boolean: {
                    bool ignored;
                    read_bool(ignored);
                    break;
                }
                case json_type::null: literal("null"); break;
                case json_type::none: return false;
            }
            // Advance to the next value to skip, closing containers on the way back to base.
            while (ok() && depth_ > base) {
                if (top_ == container::array) {
                    if (next_element()) break;
                } else {
                    std::string_view ignored;
                    if (next_key(ignored)) break;
                }
            }
        } while (ok() && depth_ > base);
        return ok();
    }

    // After the top-level value: only whitespace may remain.
    bool finish() noexcept {
        if (!ok()) return false;
        if (depth_ != 0) return fail(json_error::misuse);
        skip_ws();
        if (p_ != end_) return fail(json_error::trailing_characters);
        return true;
    }

    // True if the token read by read_number has no fraction and no exponent.
    static bool is_integer_token(std::string_view t) noexcept {
        for (const char c : t)
            if (c == '.' || c == 'e' || c == 'E') return false;
        return true;
    }

private:
    void skip_ws() noexcept {
        // Compact venue JSON has no whitespace: one compare settles the common case.
        while (p_ != end_ && static_cast<unsigned char>(*p_) <= ' ' && (detail::json_class(*p_) & detail::json_ws)) ++p_;
    }

    bool expect_colon() noexcept {
        skip_ws();
        if (p_ == end_) return fail(json_error::unexpected_end);
        if (*p_ != ':') return fail(json_error::unexpected_character);
        ++p_;
        return true;
    }

    bool expect_start(char c) noexcept {
        if (!ok()) return false;
        skip_ws();
        if (p_ == end_) return fail(json_error::unexpected_end);
        if (*p_ != c) return fail(json_error::type_mismatch);
        ++p_;
        return true;
    }

    bool open(char c, bool array) noexcept {
        if (!expect_start(c)) return false;
        if (depth_ == max_depth) return fail(json_error::too_deep);
        const std::uint64_t bit = std::uint64_t{1} << depth_;
        if (array) array_bits_ |= bit;
        else array_bits_ &= ~bit;
        ++depth_;
        top_ = array ? container::array : container::object;
        first_ = true;
        return true;
    }

    // Leaves the innermost container. Its parent is back in the middle of a member or
    // element (the one this container was the value of), so it is never at its first.
    void close() noexcept {
        --depth_;
        first_ = false;
        if (depth_ == 0) top_ = container::none;
        else top_ = ((array_bits_ >> (depth_ - 1)) & 1u) ? container::array : container::object;
    }

    bool literal(std::string_view word) noexcept {
        if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
            return fail(json_error::invalid_literal);
        p_ += word.size();
        return true;
    }

    // p_ is at the first character of a number.
    bool scan_number(std::string_view& out) noexcept {
        char* const start = p_;
        char* p = p_;
        integer_token_ = true;
        if (*p == '-') {
            ++p;
            if (p == end_) return fail(json_error::invalid_number);
        }
        if (*p == '0') {
            ++p;
        } else if (*p >= '1' && *p <= '9') {
            do ++p;
            while (p != end_ && detail::json_is_digit(*p));
        } else {
            return fail(json_error::invalid_number);
        }
        if (p != end_ && *p == '.') {
            integer_token_ = false;
            ++p;
            if (p == end_ || !detail::json_is_digit(*p)) return fail(json_error::invalid_number);
            do ++p;
            while (p != end_ && detail::json_is_digit(*p));
        }
        if (p != end_ && (*p == 'e' || *p == 'E')) {
            integer_token_ = false;
            ++p;
            if (p != end_ && (*p == '+' || *p == '-')) ++p;
            if (p == end_ || !detail::json_is_digit(*p)) return fail(json_error::invalid_number);
            do ++p;
            while (p != end_ && detail::json_is_digit(*p));
        }
        // A number must end at a delimiter: "12abc" or "01" is not a number followed by more.
        if (p != end_ && !(detail::json_class(*p) & detail::json_ws) && *p != ',' && *p != ']' && *p != '}')
            return fail(json_error::invalid_number);
        out = std::string_view(start, static_cast<std::size_t>(p - start));
        p_ = p;
        return true;
    }

    // p_ is just past the opening quote. With Unescape, escapes are decoded in place.
    // The common case (a plain ASCII string ending within the next 8-byte words) stays
    // small enough to inline; everything else continues out of line.
    template <bool Unescape>
    bool scan_string(std::string_view& out) noexcept {
        if constexpr (detail::json_swar) {
            char* const start = p_;
            char* p = p_;
            while (end_ - p >= 8) {
                const std::uint64_t m = detail::string_special_mask(detail::load8(p));
                if (m != 0) {
                    p += std::countr_zero(m) / 8;
                    if (*p == '"') {
                        out = std::string_view(start, static_cast<std::size_t>(p - start));
                        p_ = p + 1;
                        return true;
                    }
                    break;
                }
                p += 8;
            }
            return scan_string_rest<Unescape>(out, start, p);
        } else {
            return scan_string_rest<Unescape>(out, p_, p_);
        }
    }

    // Continues a string that starts at `start` from `p` (everything before p is plain).
    template <bool Unescape>
    [[gnu::noinline]] bool scan_string_rest(std::string_view& out, char* const start, char* p) noexcept {
        for (;;) {
            while (p != end_ && !(detail::json_class(*p) & detail::json_special)) ++p;
            if (p == end_) return fail(json_error::unexpected_end);
            const char c = *p;
            if (c == '"') {
                out = std::string_view(start, static_cast<std::size_t>(p - start));
                p_ = p + 1;
                return true;
            }
            if (c == '\\') break;
            if (static_cast<unsigned char>(c) < 0x20) return fail(json_error::control_character);
            const std::size_t n = detail::utf8_sequence_length(p, end_);
            if (n == 0) return fail(json_error::invalid_utf8);
            p += n;
        }
        // Slow path: at least one escape. w trails p and receives the decoded text.
        char* w = p;
        for (;;) {
            if (p == end_) return fail(json_error::unexpected_end);
            const char c = *p;
            if (c == '"') {
                out = std::string_view(start, static_cast<std::size_t>(w - start));
                p_ = p + 1;
                return true;
            }
            const auto u = static_cast<unsigned char>(c);
            if (c == '\\') {
                if (end_ - p < 2) return fail(json_error::unexpected_end);
                char decoded;
                switch (p[1]) {
                    case '"': decoded = '"'; break;
                    case '\\': decoded = '\\'; break;
                    case '/': decoded = '/'; break;
                    case 'b': decoded = '\b'; break;
                    case 'f': decoded = '\f'; break;
                    case 'n': decoded = '\n'; break;
                    case 'r': decoded = '\r'; break;
                    case 't': decoded = '\t'; break;
                    case 'u': {
                        std::uint32_t cp;
                        if (!unicode_escape(p, cp)) return false;
                        if constexpr (Unescape) w += detail::utf8_encode(cp, w);
                        continue;
                    }
                    default: return fail(json_error::invalid_escape);
                }
                if constexpr (Unescape) *w++ = decoded;
                p += 2;
            } else if (u < 0x20) {
                return fail(json_error::control_character);
            } else if (u < 0x80) {
                if constexpr (Unescape) *w++ = c;
                ++p;
            } else {
                const std::size_t n = detail::utf8_sequence_length(p, end_);
                if (n == 0) return fail(json_error::invalid_utf8);
                if constexpr (Unescape) {
                    for (std::size_t i = 0; i < n; ++i) w[i] = p[i];
                    w += n;
                }
                p += n;
            }
        }
    }

    // p points at "\u"; reads one escape or a surrogate pair, advances p past it.
    bool unicode_escape(char*& p, std::uint32_t& cp) noexcept {
        auto hex4 = [this](const char* q, std::uint32_t& v) noexcept {
            if (end_ - q < 4) return false;
            v = 0;
            for (int i = 0; i < 4; ++i) {
                const int d = detail::json_hex_value(q[i]);
                if (d < 0) return false;
                v = (v << 4) | static_cast<std::uint32_t>(d);
            }
            return true;
        };
        std::uint32_t hi;
        if (!hex4(p + 2, hi)) return fail(json_error::invalid_escape);
        p += 6;
        if (hi >= 0xdc00 && hi <= 0xdfff) return fail(json_error::invalid_escape);  // lone low surrogate
        if (hi < 0xd800 || hi > 0xdbff) {
            cp = hi;
            return true;
        }
        std::uint32_t lo;
        if (end_ - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, lo) || lo < 0xdc00 || lo > 0xdfff)
            return fail(json_error::invalid_escape);
        p += 6;
        cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
        return true;
    }

    char* p_;
    char* end_;
    enum class container : std::uint8_t { none, object, array };
    std::uint64_t array_bits_ = 0;  // per depth: the container is an array
    container top_ = container::none;  // the innermost open container
    bool first_ = false;               // it has no member/element yet
    std::size_t depth_ = 0;
    json_error error_{};
    bool integer_token_ = false;  // the last number had neither fraction nor exponent
};

}  // namespace tradewire

template <>
struct std::is_error_code_enum<tradewire::json_error> : std::true_type {};
