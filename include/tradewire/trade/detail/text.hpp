// Text helpers shared by the signers and the order templates: a bounded writer over a
// caller's buffer, fast unsigned-integer formatting, RFC 3986 percent-encoding, the
// character checks that let values go into JSON strings and query strings unescaped,
// and sorting of request parameters without allocation.
#pragma once

#include <tradewire/trade/error.hpp>
#include <tradewire/trade/query_param.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <system_error>

namespace tradewire::trade::detail {

// Writes into a fixed span; once something does not fit it stops writing and remembers,
// so a builder writes unconditionally and checks ok() once at the end.
class text_sink {
public:
    explicit text_sink(std::span<char> out) noexcept : data_(out.data()), capacity_(out.size()) {}
    text_sink(char* data, std::size_t capacity) noexcept : data_(data), capacity_(capacity) {}

    void put(std::string_view s) noexcept {
        if (capacity_ - size_ < s.size()) {
            overflow_ = true;
            return;
        }
        if (!s.empty()) std::memcpy(data_ + size_, s.data(), s.size());
        size_ += s.size();
    }
    void put(char c) noexcept {
        if (size_ == capacity_) {
            overflow_ = true;
            return;
        }
        data_[size_++] = c;
    }
    // Reserves n characters and returns where they start (nullptr when they do not fit).
    char* reserve(std::size_t n) noexcept {
        if (capacity_ - size_ < n) {
            overflow_ = true;
            return nullptr;
        }
        char* p = data_ + size_;
        size_ += n;
        return p;
    }

    [[nodiscard]] bool ok() const noexcept { return !overflow_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::string_view view() const noexcept { return {data_, size_}; }
    [[nodiscard]] char* data() const noexcept { return data_; }

private:
    char* data_;
    std::size_t capacity_;
    std::size_t size_ = 0;
    bool overflow_ = false;
};

// The builders' way to return: the size written with `ec` cleared, or 0 with `ec` set.
inline std::size_t fail(std::error_code& ec, error e) noexcept {
    ec = e;
    return 0;
}
inline std::size_t finish(const text_sink& sink, std::error_code& ec) noexcept {
    if (!sink.ok()) return fail(ec, error::buffer_too_small);
    ec.clear();
    return sink.size();
}

inline constexpr char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

inline constexpr std::uint64_t powers_of_10[20] = {
    1ull,          10ull,          100ull,          1000ull,          10000ull,          100000ull,          1000000ull,
    10000000ull,   100000000ull,   1000000000ull,   10000000000ull,   100000000000ull,   1000000000000ull,
    10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
    1000000000000000000ull, 10000000000000000000ull};

// Decimal digits of v (1 to 20): floor(log10(2) * bit length) is the count or one less.
constexpr std::size_t count_digits(std::uint64_t v) noexcept {
    const std::size_t bits = 64 - static_cast<std::size_t>(__builtin_clzll(v | 1));
    const std::size_t t = (bits * 1233) >> 12;
    return t + ((v | 1) >= powers_of_10[t] ? 1 : 0);  // 0 has one digit too
}

// Writes exactly `n` digits of v, right-aligned in out[0 .. n), leading zeros if needed.
inline void write_digits(char* out, std::uint64_t v, std::size_t n) noexcept {
    char* p = out + n;
    while (n >= 2) {
        const std::size_t i = static_cast<std::size_t>(v % 100) * 2;
        v /= 100;
        p -= 2;
        p[0] = digit_pairs[i];
        p[1] = digit_pairs[i + 1];
        n -= 2;
    }
    if (n == 1) *--p = static_cast<char>('0' + v % 10);
}

// The eight digits of v < 10^8 at out[0 .. 8). The four two-digit groups come from
// independent multiplications, not a chain of divisions, so they compute in parallel.
inline void write_8_digits(char* out, std::uint32_t v) noexcept {
    const std::uint32_t hi = v / 10000, lo = v % 10000;
    const std::uint32_t a = hi / 100, b = hi % 100, c = lo / 100, d = lo % 100;
    std::memcpy(out, digit_pairs + 2 * a, 2);
    std::memcpy(out + 2, digit_pairs + 2 * b, 2);
    std::memcpy(out + 4, digit_pairs + 2 * c, 2);
    std::memcpy(out + 6, digit_pairs + 2 * d, 2);
}

// Writes v in decimal (no terminator); out needs 20 characters. Returns the length.
// Digits are written in place from the right, the low eight at a time through
// independent multiplications: timestamps (13 digits) need one 8-digit block and a
// short tail instead of a seven-step division chain.
inline std::size_t write_uint(char* out, std::uint64_t v) noexcept {
    if (v < 10) {
        out[0] = static_cast<char>('0' + v);
        return 1;
    }
    const std::size_t n = count_digits(v);
    char* end = out + n;
    while (v >= 100000000) {
        end -= 8;
        write_8_digits(end, static_cast<std::uint32_t>(v % 100000000));
        v /= 100000000;
    }
    while (v >= 100) {
        end -= 2;
        std::memcpy(end, digit_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        std::memcpy(end - 2, digit_pairs + 2 * v, 2);
    } else {
        end[-1] = static_cast<char>('0' + v);
    }
    return n;
}

inline void put_uint(text_sink& sink, std::uint64_t v) noexcept {
    char buf[20];
    sink.put(std::string_view(buf, write_uint(buf, v)));
}

// RFC 3986 section 2.3 unreserved characters: never percent-encoded.
constexpr bool is_unreserved(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

inline constexpr char upper_hex_digits[] = "0123456789ABCDEF";

inline void put_percent(text_sink& sink, unsigned char c) noexcept {
    if (char* p = sink.reserve(3)) {
        p[0] = '%';
        p[1] = upper_hex_digits[c >> 4];
        p[2] = upper_hex_digits[c & 15];
    }
}

// Everything but the unreserved characters becomes %XX (upper-case hex) of its UTF-8
// bytes: a name or value inside a query string, where '&', '=', '+', ' ' ... would
// otherwise change its meaning.
inline void percent_encode_component(text_sink& sink, std::string_view text) noexcept {
    std::size_t run = 0;  // unreserved characters are copied in runs
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (is_unreserved(c)) continue;
        sink.put(text.substr(run, i - run));
        put_percent(sink, c);
        run = i + 1;
    }
    sink.put(text.substr(run));
}

// Only bytes >= 0x80 (the UTF-8 encoding of non-ASCII characters) become %XX; the
// rest, separators included, is kept: for query strings that are already assembled.
inline void percent_encode_non_ascii(text_sink& sink, std::string_view text) noexcept {
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) continue;
        sink.put(text.substr(run, i - run));
        put_percent(sink, c);
        run = i + 1;
    }
    sink.put(text.substr(run));
}

// Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
constexpr bool valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t n;
        std::uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (s.size() - i <= n) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3Fu);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += n + 1;
    }
    return true;
}

// Text that can sit inside a JSON string literal as is: valid UTF-8 without '"', '\\'
// or control characters. Values that need escaping are rejected, not escaped: no venue
// symbol, key or token contains them, and a template must not change their bytes.
constexpr bool json_string_safe(std::string_view s) noexcept {
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == '"' || c == '\\' || c == 0x7F) return false;
    }
    return valid_utf8(s);
}

// Printable ASCII without '"' and '\\' (header values, ids, path pieces).
constexpr bool printable_ascii(std::string_view s) noexcept {
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') return false;
    }
    return true;
}

// The largest parameter list the signers sort on the stack.
inline constexpr std::size_t max_sorted_params = 64;

// Pointers to `params` ordered by name, byte-wise (the order Binance and HTX sign in);
// equal names keep their relative order. Returns false if there are too many. An
// insertion sort: stable without the temporary buffer std::stable_sort may allocate,
// and fast for the dozen parameters of a request.
inline bool sort_params(std::span<const query_param> params,
                        std::array<const query_param*, max_sorted_params>& order) noexcept {
    if (params.size() > max_sorted_params) return false;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const query_param* p = &params[i];
        std::size_t j = i;
        for (; j > 0 && p->name < order[j - 1]->name; --j) order[j] = order[j - 1];
        order[j] = p;
    }
    return true;
}

// Upper-case ASCII letters of an HTTP method ("get" -> "GET"); other bytes unchanged.
inline void put_upper_ascii(text_sink& sink, std::string_view s) noexcept {
    char* p = sink.reserve(s.size());
    if (p == nullptr) return;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        p[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
}

inline void put_lower_ascii(text_sink& sink, std::string_view s) noexcept {
    char* p = sink.reserve(s.size());
    if (p == nullptr) return;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        p[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
}

// ---- UTC calendar (proleptic Gregorian), for the ISO-8601 timestamps OKX and HTX sign.

struct utc_time {
    std::int64_t year;
    unsigned month, day, hour, minute, second, millisecond;
};

// Days since 1970-01-01 to civil date (the classic era-based conversion).
constexpr utc_time utc_from_unix_ms(std::uint64_t ms) noexcept {
    const std::uint64_t secs = ms / 1000;
    const auto days = static_cast<std::int64_t>(secs / 86400);
    const std::uint64_t sod = secs % 86400;
    const std::int64_t z = days + 719468;
    const std::int64_t era = z / 146097;  // z >= 0 for any unsigned input
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return {y,
            static_cast<unsigned>(m),
            static_cast<unsigned>(d),
            static_cast<unsigned>(sod / 3600),
            static_cast<unsigned>(sod % 3600 / 60),
            static_cast<unsigned>(sod % 60),
            static_cast<unsigned>(ms % 1000)};
}

// "YYYY-MM-DDThh:mm:ss" (19 characters) for years 0000..9999; returns 0 past 9999.
inline std::size_t write_iso_seconds(char* out, const utc_time& t) noexcept {
    if (t.year < 0 || t.year > 9999) return 0;
    write_digits(out, static_cast<std::uint64_t>(t.year), 4);
    out[4] = '-';
    write_digits(out + 5, t.month, 2);
    out[7] = '-';
    write_digits(out + 8, t.day, 2);
    out[10] = 'T';
    write_digits(out + 11, t.hour, 2);
    out[13] = ':';
    write_digits(out + 14, t.minute, 2);
    out[16] = ':';
    write_digits(out + 17, t.second, 2);
    return 19;
}

}  // namespace tradewire::trade::detail
