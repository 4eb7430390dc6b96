// The engine behind order templates: request text pre-rendered once as literal segments
// with typed slots between them, written out sequentially on every fire. A program is
// a fixed-capacity object (no heap), so a template can live anywhere and firing it
// touches only its own memory and the output buffer.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/trade/detail/text.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tradewire::trade::detail {

// What goes into a slot; the values are formatted once per fire.
enum class slot : std::uint8_t {
    none,             // no slot after this segment (the last one)
    price,            // decimal text
    quantity,         // decimal text
    client_order_id,  // validated or generated per fire
    timestamp_ms,     // caller's clock, milliseconds
    time_s,           // the same in seconds
    request_id,       // decimal digits
    signature,        // reserved, filled after signing (the JSON program only)
};
inline constexpr std::size_t slot_kinds = 8;

// Widest text a slot may take; longer values are rejected, so a template's output
// size is bounded when it is built.
inline constexpr std::size_t max_amount_chars = 40;
inline constexpr std::size_t max_client_id_chars = 40;
inline constexpr std::size_t max_uint_chars = 20;

// Segments and slot values are copied in whole 16-byte chunks (no call to memcpy for
// a dozen short pieces per fire): a copy may read up to copy_slack bytes past its
// source and write up to copy_slack bytes past its end. Every source is padded for it
// (the literal text, the slot buffers) and every output buffer has that much room; the
// bytes written past a piece are overwritten by the next one or lie outside the result.
inline constexpr std::size_t copy_slack = 16;

inline void wild_copy(char* out, const char* src, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; i += copy_slack) std::memcpy(out + i, src + i, copy_slack);
}

struct slot_values {
    std::array<std::string_view, slot_kinds> text{};
};

template <std::size_t TextCapacity, std::size_t SegmentCapacity>
class text_program {
public:
    static_assert(TextCapacity <= 0xFFFF, "offsets are 16-bit");

    text_program() noexcept = default;
    text_program(const text_program&) noexcept = default;
    text_program& operator=(const text_program&) noexcept = default;
    ~text_program() { wipe(); }

    // ---- building (cold path). Errors stick: check ok() at the end.
    void literal(std::string_view s) noexcept {
        if (!ok_ || s.size() > TextCapacity - size_) {
            ok_ = false;
            return;
        }
        std::memcpy(text_.data() + size_, s.data(), s.size());
        size_ += s.size();
        segments_[count_].size = static_cast<std::uint16_t>(segments_[count_].size + s.size());
    }
    void literal_uint(std::uint64_t v) noexcept {
        char buf[max_uint_chars];
        literal(std::string_view(buf, write_uint(buf, v)));
    }
    void add_slot(slot s) noexcept {
        if (count_ + 1 >= SegmentCapacity) {
            ok_ = false;
            return;
        }
        segments_[count_].after = s;
        ++count_;
        segments_[count_] = segment{static_cast<std::uint16_t>(size_), 0, slot::none};
    }
    [[nodiscard]] bool ok() const noexcept { return ok_; }

    // Literal text before the first slot (Binance's constant signing prefix).
    [[nodiscard]] std::string_view leading_literal() const noexcept {
        return {text_.data() + segments_[0].offset, segments_[0].size};
    }
    // Drops the first n characters of the first segment (they were absorbed elsewhere).
    void drop_leading(std::size_t n) noexcept {
        if (n > segments_[0].size) n = segments_[0].size;
        segments_[0].offset = static_cast<std::uint16_t>(segments_[0].offset + n);
        segments_[0].size = static_cast<std::uint16_t>(segments_[0].size - n);
    }

    // Upper bound of write()'s output, given each slot's widest text.
    [[nodiscard]] std::size_t max_output(const std::array<std::size_t, slot_kinds>& widths) const noexcept {
        std::size_t n = 0;
        for (std::size_t i = 0; i <= count_; ++i) n += segments_[i].size + widths[static_cast<std::size_t>(segments_[i].after)];
        return n;
    }
    [[nodiscard]] bool uses(slot s) const noexcept {
        for (std::size_t i = 0; i < count_; ++i)
            if (segments_[i].after == s) return true;
        return false;
    }

    // ---- firing: literals and slot values, in order. A signature slot reserves
    // `signature_width` characters and reports where they start. `out` must have
    // copy_slack bytes of room past the largest output, and every slot value must be
    // readable copy_slack bytes past its end.
    char* write(char* out, const slot_values& v, std::size_t signature_width, char** signature_at) const noexcept {
        const char* text = text_.data();
        for (std::size_t i = 0;; ++i) {
            const segment& g = segments_[i];
            wild_copy(out, text + g.offset, g.size);
            out += g.size;
            if (i == count_) return out;
            if (g.after == slot::signature) {
                *signature_at = out;
                out += signature_width;
            } else {
                const std::string_view t = v.text[static_cast<std::size_t>(g.after)];
                wild_copy(out, t.data(), t.size());
                out += t.size();
            }
        }
    }

    // The literal text (for tests and diagnostics).
    [[nodiscard]] std::string_view text() const noexcept { return {text_.data(), size_}; }

    // Literals may hold an API key or a token.
    void wipe() noexcept { crypto::detail::secure_wipe(text_.data(), text_.size()); }

private:
    struct segment {
        std::uint16_t offset = 0;
        std::uint16_t size = 0;
        slot after = slot::none;
    };

    std::array<char, TextCapacity + copy_slack> text_{};  // the slack is never written
    std::array<segment, SegmentCapacity> segments_{};
    std::size_t size_ = 0;
    std::size_t count_ = 0;  // segments_[count_] is the last, open one
    bool ok_ = true;
};

// ---- slot formatting

// `v` with exactly `decimals` fractional digits (0..18), exactly: a value with more
// decimals than that is `inexact`, never rounded. decimals < 0: shortest exact text.
// Returns the length, or 0 when the value is not positive or cannot be written. `out`
// needs max_amount_chars + copy_slack characters.
enum class amount_status : std::uint8_t { ok, not_positive, inexact, too_long };

// units * 10^-d as text with exactly d decimals. `out` has room for max_amount_chars +
// copy_slack, so whole-chunk copies are fine.
inline std::size_t write_scaled(char* out, std::uint64_t units, std::size_t d, amount_status& status) noexcept {
    char digits[max_uint_chars + copy_slack];
    const std::size_t n = write_uint(digits, units);
    status = amount_status::ok;
    if (d == 0) {
        wild_copy(out, digits, n);
        return n;
    }
    if (n > d) {
        const std::size_t whole = n - d;
        wild_copy(out, digits, whole);
        out[whole] = '.';
        wild_copy(out + whole + 1, digits + whole, d);
        return n + 1;
    }
    out[0] = '0';
    out[1] = '.';
    std::memset(out + 2, '0', d - n);
    wild_copy(out + 2 + d - n, digits, n);
    return 2 + d;
}

inline std::size_t format_amount(decimal v, int decimals, char* out, amount_status& status) noexcept {
    if (v.sign() <= 0) {
        status = amount_status::not_positive;
        return 0;
    }
    if (decimals < 0) {
        // Shortest exact form: the mantissa without trailing zeros, and as many decimals
        // as the exponent then asks for (same text as decimal::format()).
        auto m = static_cast<std::uint64_t>(v.mantissa());
        int e = v.exponent();
        while (e < 0 && m % 10 == 0) {
            m /= 10;
            ++e;
        }
        if (e >= 0) {
            const std::size_t n = count_digits(m);
            if (n + static_cast<std::size_t>(e) > max_amount_chars) {
                status = amount_status::too_long;
                return 0;
            }
            write_uint(out, m);
            std::memset(out + n, '0', static_cast<std::size_t>(e));
            status = amount_status::ok;
            return n + static_cast<std::size_t>(e);
        }
        if (static_cast<std::size_t>(-e) > max_amount_chars - 2) {
            status = amount_status::too_long;
            return 0;
        }
        return write_scaled(out, m, static_cast<std::size_t>(-e), status);
    }
    const decimal_units_result r = v.to_units(decimals);
    if (r.ec != decimal_error{}) {
        status = r.ec == decimal_error::inexact ? amount_status::inexact : amount_status::too_long;
        return 0;
    }
    return write_scaled(out, static_cast<std::uint64_t>(r.units), static_cast<std::size_t>(decimals), status);
}

// Client order id character sets and lengths per venue.
struct client_id_rule {
    std::uint8_t max_size = 36;
    bool dash_underscore = true;  // '-' and '_'
    bool dot = false;             // '.'
    bool colon_slash = false;     // ':' and '/'
    bool uuid_forms = false;      // also 32 hex digits, or a 36-character hyphenated UUID
};

// Binance newClientOrderId: ^[\.A-Z\:/a-z0-9_-]{1,36}$ (the pattern in Binance's
// "illegal characters" error text).
inline constexpr client_id_rule binance_client_id{36, true, true, true, false};
// OKX clOrdId: 1-32 letters and digits.
inline constexpr client_id_rule okx_client_id{32, false, false, false, false};
// Bybit orderLinkId: up to 36 letters, digits, '-' and '_'.
inline constexpr client_id_rule bybit_client_id{36, true, false, false, false};
// Gate text after "t-": up to 28 characters of letters, digits, '_', '-', '.'.
inline constexpr client_id_rule gate_client_id{28, true, true, false, false};
// Kraken cl_ord_id: a UUID (32 hex digits or hyphenated), or free text of up to 18
// characters. Not in REFERENCE.md (from Kraken's add_order parameter description);
// the free-text character set is narrowed to letters, digits, '-' and '_'.
inline constexpr client_id_rule kraken_client_id{18, true, false, false, true};

constexpr bool is_alnum(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_hex(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr bool is_uuid_text(std::string_view s) noexcept {
    if (s.size() == 32) {
        for (const char c : s)
            if (!is_hex(c)) return false;
        return true;
    }
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        const bool hyphen_at = i == 8 || i == 13 || i == 18 || i == 23;
        if (hyphen_at ? s[i] != '-' : !is_hex(s[i])) return false;
    }
    return true;
}

constexpr bool client_id_chars_ok(std::string_view s, const client_id_rule& r) noexcept {
    for (const char c : s) {
        if (is_alnum(c)) continue;
        if (r.dash_underscore && (c == '-' || c == '_')) continue;
        if (r.dot && c == '.') continue;
        if (r.colon_slash && (c == ':' || c == '/')) continue;
        return false;
    }
    return true;
}

constexpr bool valid_client_id(std::string_view s, const client_id_rule& r) noexcept {
    if (r.uuid_forms && is_uuid_text(s)) return true;
    return !s.empty() && s.size() <= r.max_size && client_id_chars_ok(s, r);
}

}  // namespace tradewire::trade::detail
