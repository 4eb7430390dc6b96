// tradewire::decimal, the exact price and quantity type of the SDK.
//
// A value is mantissa * 10^exponent with |mantissa| <= 10^18 - 1 (18 significant
// digits) and exponent in [-64, 64]; the object is 16 bytes, trivially copyable and
// constexpr almost everywhere. Decoders parse venue text with parse() / from_chars():
// exact, without strtod, locale or allocation. The representation keeps the decimals
// as sent ("16578.50" is 1657850e-2, scale() == 2), so format_scaled() gives back the
// received text that OKX and Kraken checksums need, while == and <=> compare values
// (16578.50 == 16578.5). Arithmetic comes as checked functions that report an error
// instead of losing a digit, and as operators that are exact whenever the exact result
// is representable (always, for prices and quantities) and otherwise round (see below).
// Conversion to and from double is explicit. Everything is noexcept and allocation-free
// except to_string() and to_string_fixed().
//
// Text accepted by parse() (decided for what venues and users actually send):
//   [+|-] digits [. [digits]] [(e|E) [+|-] digits]     "100" "-1.5" "+2" "5." "1.5E+3"
//   [+|-] . digits [(e|E) [+|-] digits]                 ".5"
// Leading zeros are allowed ("007"); "-0" is zero (there is no negative zero). Nothing
// else is: no whitespace, no "inf"/"nan", no hex, no digit separators. More than 18
// significant digits is an error (too_many_digits) unless the excess digits are all
// zeros, which are dropped exactly ("645.140000000000000000" has 21 digits and parses as
// 645140000000000000e-15); HTX sends 20-digit quantities, for which
// parse_options::round_excess_digits rounds half-even to 18 digits and sets `inexact`.
// An exponent form is normalised to exponent 0 when it fits ("1.5E+3" is 1500).
// Decoders of string-typed venue numbers can demand the canonical plain form with
// parse_options::plain_only ([-]digits[.digits], no redundant leading zero), which is
// exactly the text format_scaled() writes back.
//
// Operators (+, -, *): exact when the exact result has at most 18 significant digits;
// otherwise the result is rounded half-even to 18 significant digits (and to exponent
// -64 at the small end), and saturates at +-(10^18 - 1) * 10^64 at the large end, so an
// operator never fails and never has undefined behaviour. Use checked_add/checked_sub/
// checked_mul when exactness must be proven. The result exponent of + and - is the
// smaller operand exponent (16578.5 + 0.01 = 16578.51) and of * the sum of exponents,
// as in IEEE 754 decimal arithmetic, unless the mantissa would not fit; then trailing
// zeros are dropped.
#pragma once

#include <tradewire/core/detail/decimal_math.hpp>
#include <tradewire/core/error.hpp>

#include <bit>
#include <charconv>
#include <cmath>
#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace tradewire {

enum class decimal_error {
    empty = 1,                // no characters at all
    invalid_character,        // a character that cannot appear there (whitespace, letters, trailing text)
    multiple_points,          // a second decimal point
    missing_digits,           // no mantissa digit: "-", "+", ".", "-.", ".e5"
    missing_exponent_digits,  // "1e", "1e+", "1ex"
    too_many_digits,          // more than 18 significant digits that are not droppable zeros
    exponent_out_of_range,    // value or requested decimals outside the exponent range
    overflow,                 // the exact result needs more than 18 significant digits
    division_by_zero,
    invalid_increment,        // a tick or lot size that is zero or negative
    inexact,                  // to_units(): the value has more decimals than requested
    not_finite,               // from_double(): NaN or infinity
    buffer_too_small,         // output buffer or slot too small for the text
    cannot_fill_slot,         // format_slot(): width cannot be reached with this fill
};

namespace detail {
struct decimal_error_traits {
    static constexpr const char* name = "tradewire.decimal";
    static const char* message(decimal_error e) noexcept {
        switch (e) {
            case decimal_error::empty: return "empty number";
            case decimal_error::invalid_character: return "invalid character in number";
            case decimal_error::multiple_points: return "more than one decimal point";
            case decimal_error::missing_digits: return "number has no digits";
            case decimal_error::missing_exponent_digits: return "exponent has no digits";
            case decimal_error::too_many_digits: return "more than 18 significant digits";
            case decimal_error::exponent_out_of_range: return "decimal exponent out of range";
            case decimal_error::overflow: return "decimal result needs more than 18 significant digits";
            case decimal_error::division_by_zero: return "division by zero";
            case decimal_error::invalid_increment: return "increment must be positive";
            case decimal_error::inexact: return "value has more decimals than requested";
            case decimal_error::not_finite: return "value is not finite";
            case decimal_error::buffer_too_small: return "output buffer too small";
            case decimal_error::cannot_fill_slot: return "slot width cannot be filled with this fill";
        }
        return "unknown decimal error";
    }
};
}  // namespace detail

inline const std::error_category& decimal_category() noexcept {
    return detail::enum_category<decimal_error, detail::decimal_error_traits>();
}

inline std::error_code make_error_code(decimal_error e) noexcept {
    return {static_cast<int>(e), decimal_category()};
}

// Rounding modes. floor/ceiling are toward -inf/+inf (what "round a bid down / an ask up
// to the tick" means for positive prices); toward_zero truncates.
enum class rounding : std::uint8_t {
    floor,
    ceiling,
    toward_zero,
    away_from_zero,
    half_away_from_zero,  // "nearest": 2.5 -> 3, -2.5 -> -3
    half_even,            // banker's: 2.5 -> 2, 3.5 -> 4
};

// How format_slot() fills a fixed-width slot of pre-rendered request text (see there).
enum class slot_fill : std::uint8_t {
    trailing_zeros,   // "16578.5000": value-preserving inside a JSON string or a query string
    trailing_spaces,  // "16578.5   ": for a slot that ends outside the token (JSON whitespace)
    leading_spaces,   // "   16578.5": for a slot that starts outside the token
    leading_zeros,    // "0016578.5" / "-016578.5": for venues that accept leading zeros
};

struct parse_options {
    // Stop at the first character that cannot continue the number instead of failing
    // (std::from_chars style); `position` then tells how much was consumed.
    bool allow_trailing = false;
    // Round digits beyond 18 significant ones half-even instead of failing with
    // too_many_digits; the result reports inexact = true if a dropped digit was non-zero.
    bool round_excess_digits = false;
    // Accept only the plain text venues send as strings: [-]digits[.digits], no '+', no
    // bare point (".5", "5."), no redundant leading zero ("007", "00.5"), no exponent.
    // Such text is exactly what format_scaled() writes back, so checksums over the
    // received text can be rebuilt from the decimal (unless zeros beyond 18 digits were
    // dropped, which the scale then shows).
    bool plain_only = false;
};

class decimal;
struct decimal_result;
struct decimal_parse_result;
struct decimal_units_result;

namespace detail {
struct decimal_access;
}

class decimal {
public:
    static constexpr int max_digits = 18;
    static constexpr std::int64_t max_mantissa = 999'999'999'999'999'999;
    static constexpr int min_exponent = -64;
    static constexpr int max_exponent = 64;
    static constexpr int max_decimals = -min_exponent;
    // Longest text of format() and format_scaled(): sign, 18 digits and 64 zeros.
    static constexpr std::size_t max_chars = 1 + max_digits + max_exponent;
    // Longest text of format_fixed(): the above plus a point and max_decimals decimals.
    static constexpr std::size_t max_fixed_chars = max_chars + 1 + max_decimals;

    constexpr decimal() noexcept = default;

    // Any integer type of at most 32 bits always fits; wider ones go through from_integer().
    template <std::integral I>
        requires(!std::same_as<I, bool> && sizeof(I) <= 4)
    constexpr explicit decimal(I value) noexcept : m_(static_cast<std::int64_t>(value)) {}

    // mantissa * 10^exponent. Trailing zeros of the mantissa are dropped if it has more
    // than 18 digits, and the exponent is moved into range when that is exact; otherwise
    // overflow / exponent_out_of_range.
    static constexpr decimal_result from_parts(std::int64_t mantissa, int exponent) noexcept;
    static constexpr decimal_result from_integer(std::int64_t value) noexcept;
    // For user input only (decoders never see a double): the shortest decimal text that
    // round-trips `value` (what the user typed, e.g. 0.1 -> "0.1"), rounded to
    // `decimals` places with `mode`. Errors: not_finite, exponent_out_of_range (too large
    // for the range, or decimals outside [-64, 64]).
    static decimal_result from_double(double value, int decimals,
                                      rounding mode = rounding::half_even) noexcept;

    // Whole-text parse (unless options.allow_trailing). On error, `position` is the index
    // of the offending character (the end for a truncated number; 0 for
    // exponent_out_of_range, which concerns the whole number).
    static constexpr decimal_parse_result parse(std::string_view text, parse_options options = {}) noexcept;
    // Prefix parse, like std::from_chars: stops at the first character that cannot continue
    // the number ("45281.0}" -> 45281.0, position 7). It does not backtrack: "1e}" is
    // missing_exponent_digits.
    static constexpr decimal_parse_result from_chars(const char* first, const char* last) noexcept;

    constexpr std::int64_t mantissa() const noexcept { return m_; }
    constexpr int exponent() const noexcept { return e_; }
    // Number of fractional digits of the representation: 2 for "16578.50", 0 for "100"
    // and for positive exponents.
    constexpr int scale() const noexcept { return e_ < 0 ? -e_ : 0; }
    constexpr bool is_zero() const noexcept { return m_ == 0; }
    constexpr int sign() const noexcept { return (m_ > 0) - (m_ < 0); }
    // Same value with trailing zeros of the mantissa removed (canonical form).
    constexpr decimal normalized() const noexcept;
    // Representation equality: 16578.50 and 16578.5 are == but not same_representation.
    constexpr bool same_representation(decimal other) const noexcept {
        return m_ == other.m_ && e_ == other.e_;
    }

    constexpr decimal operator-() const noexcept { return decimal(-m_, e_); }
    constexpr decimal operator+() const noexcept { return *this; }

    // Correctly rounded (round-half-even) for every value: one exact floating-point
    // operation when |mantissa| < 2^53 and |exponent| <= 22, big-integer arithmetic
    // otherwise (about 10x slower, still allocation-free).
    double to_double() const noexcept;

    // Exact count of 10^-decimals units (16578.5, 2 -> 1657850), for integer tick/lot
    // keys. Errors: inexact (more decimals than requested), overflow (beyond int64),
    // exponent_out_of_range (decimals outside [-64, 64]).
    constexpr decimal_units_result to_units(int decimals) const noexcept;

    // ---- Text output. Every function writes at most `capacity` characters, never a
    // terminating NUL, and returns the length written, or 0 (writing nothing) if the
    // text does not fit or an argument is invalid. A text is never empty, so 0 always
    // means failure. The *_size() functions return the exact length beforehand.

    // Shortest exact form: no exponent, no trailing fractional zeros, no trailing point
    // ("0.00100000" -> "0.001", "1e-8" -> "0.00000001", "-0.0" -> "0"). <= max_chars.
    constexpr std::size_t format(char* out, std::size_t capacity) const noexcept;
    constexpr std::size_t format_size() const noexcept;
    // The representation as is: exactly scale() decimals ("16578.50" stays "16578.50").
    // For text that was plain and canonical when parsed ([-]digits[.digits], no redundant
    // leading zero, no '+') this reproduces the received text byte for byte. <= max_chars.
    constexpr std::size_t format_scaled(char* out, std::size_t capacity) const noexcept;
    constexpr std::size_t format_scaled_size() const noexcept;
    // Exactly `decimals` fractional digits (0..64), rounding with `mode` if the value has
    // more, padding with zeros if it has fewer. <= max_fixed_chars.
    constexpr std::size_t format_fixed(char* out, std::size_t capacity, int decimals,
                                       rounding mode = rounding::half_even) const noexcept;
    constexpr std::size_t format_fixed_size(int decimals, rounding mode = rounding::half_even) const noexcept;
    // Writes exactly `width` characters at `slot`, for order templates that patch a price
    // or quantity into pre-rendered request text without moving the rest: the
    // format_fixed() text, padded to `width` with `fill`. Returns {} on success;
    // buffer_too_small if the text is longer than `width`; cannot_fill_slot if the fill
    // cannot reach `width` (trailing_zeros on an integer with one spare character, since
    // "100." is not valid JSON); exponent_out_of_range for decimals outside 0..64. On
    // error the slot is left untouched. A template that must not change the number text
    // (signed query strings) should instead reserve format_fixed_size() characters.
    constexpr decimal_error format_slot(char* slot, std::size_t width, int decimals, rounding mode,
                                        slot_fill fill) const noexcept;

    std::string to_string() const;                                  // format()
    std::string to_string_fixed(int decimals, rounding mode = rounding::half_even) const;

    // Value comparison across exponents, exact and overflow-free.
    friend constexpr bool operator==(decimal a, decimal b) noexcept;
    friend constexpr std::weak_ordering operator<=>(decimal a, decimal b) noexcept;

private:
    friend struct detail::decimal_access;
    constexpr decimal(std::int64_t mantissa, int exponent) noexcept : m_(mantissa), e_(exponent) {}

    std::int64_t m_ = 0;
    std::int32_t e_ = 0;
};

struct decimal_result {
    decimal value{};
    decimal_error ec{};  // decimal_error{} (0) on success
    constexpr explicit operator bool() const noexcept { return ec == decimal_error{}; }
};

struct decimal_parse_result {
    decimal value{};
    decimal_error ec{};      // decimal_error{} (0) on success
    std::size_t position{};  // success: characters consumed; error: offending index
    bool inexact = false;    // round_excess_digits dropped a non-zero digit
    constexpr explicit operator bool() const noexcept { return ec == decimal_error{}; }
};

struct decimal_units_result {
    std::int64_t units = 0;
    decimal_error ec{};
    constexpr explicit operator bool() const noexcept { return ec == decimal_error{}; }
};

// ---- Checked arithmetic: exact or an error (overflow, exponent_out_of_range).
constexpr decimal_result checked_add(decimal a, decimal b) noexcept;
constexpr decimal_result checked_sub(decimal a, decimal b) noexcept;
constexpr decimal_result checked_mul(decimal a, decimal b) noexcept;

// ---- Rounded arithmetic. The result has exactly `decimals` fractional digits (its
// exponent is -decimals) when the mantissa fits, else the smallest exponent that fits;
// decimals may be negative (round to tens, hundreds...) and must lie in [-64, 64].
// round(v, 2, rounding::half_even): v rounded to 2 decimals. Never overflows.
constexpr decimal_result round(decimal value, int decimals, rounding mode) noexcept;
// a * b rounded to `decimals` (notional = price * quantity at the quote precision).
constexpr decimal_result multiply(decimal a, decimal b, int decimals, rounding mode) noexcept;
// a / b rounded to `decimals` (averages, ratios). Exact rounding of the true quotient.
constexpr decimal_result divide(decimal a, decimal b, int decimals, rounding mode) noexcept;
// The multiple of `increment` (a tick or lot size such as 0.01, 0.00001 or 5; must be
// > 0) selected by `mode`. The result is expressed in the increment's exponent when it
// fits (16578.537 to 0.01 with floor -> 16578.53, scale 2), so format_scaled() writes
// the venue's precision.
constexpr decimal_result round_to_increment(decimal value, decimal increment, rounding mode) noexcept;

constexpr decimal abs(decimal value) noexcept { return value.sign() < 0 ? -value : value; }

constexpr decimal operator+(decimal a, decimal b) noexcept;
constexpr decimal operator-(decimal a, decimal b) noexcept;
constexpr decimal operator*(decimal a, decimal b) noexcept;
constexpr decimal& operator+=(decimal& a, decimal b) noexcept { return a = a + b; }
constexpr decimal& operator-=(decimal& a, decimal b) noexcept { return a = a - b; }
constexpr decimal& operator*=(decimal& a, decimal b) noexcept { return a = a * b; }

// ============================================================================
// Implementation
// ============================================================================

namespace detail {

struct decimal_access {
    static constexpr decimal make(std::int64_t mantissa, int exponent) noexcept {
        return decimal(mantissa, exponent);
    }
};

inline constexpr std::uint64_t decimal_max = static_cast<std::uint64_t>(decimal::max_mantissa);

constexpr std::uint64_t decimal_magnitude(std::int64_t m) noexcept {
    // |m| <= max_mantissa by invariant, so negation cannot overflow; from_parts() feeds
    // arbitrary int64 values and is handled by the unsigned negation.
    return m < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(m) : static_cast<std::uint64_t>(m);
}

constexpr decimal decimal_signed(bool negative, std::uint64_t magnitude, int exponent) noexcept {
    const auto m = static_cast<std::int64_t>(magnitude);
    return decimal_access::make(negative ? -m : m, exponent);
}

constexpr int decimal_clamp_exponent(int e) noexcept {
    return e < decimal::min_exponent ? decimal::min_exponent : (e > decimal::max_exponent ? decimal::max_exponent : e);
}

// Builds sign * mag * 10^exp exactly. Drops trailing zeros while the mantissa has more
// than 18 digits, moves the exponent toward `preferred` (<= exp) while the mantissa has
// room, and into [min_exponent, max_exponent] when that is exact. Zero takes the
// preferred exponent, clamped.
constexpr decimal_result decimal_pack(bool neg, dec_u128 mag, int exp, int preferred) noexcept {
    if (mag == 0) return {decimal_access::make(0, decimal_clamp_exponent(preferred)), {}};
    while (mag >> 64 != 0) {  // 128-bit division only while it is needed
        if (mag % 10 != 0) return {{}, decimal_error::overflow};
        mag /= 10;
        ++exp;
    }
    auto m = static_cast<std::uint64_t>(mag);
    while (m > decimal_max) {
        if (m % 10 != 0) return {{}, decimal_error::overflow};
        m /= 10;
        ++exp;
    }
    while (exp > preferred && m <= decimal_max / 10) {
        m *= 10;
        --exp;
    }
    while (exp > decimal::max_exponent && m <= decimal_max / 10) {
        m *= 10;
        --exp;
    }
    while (exp < decimal::min_exponent && m % 10 == 0) {
        m /= 10;
        ++exp;
    }
    if (exp < decimal::min_exponent || exp > decimal::max_exponent)
        return {{}, decimal_error::exponent_out_of_range};
    return {decimal_signed(neg, m, exp), {}};
}

constexpr decimal_result decimal_pack_wide(bool neg, dec_wide mag, int exp, int preferred) noexcept {
    while (!mag.fits_u128()) {
        if (mag.divmod(10) != 0) return {{}, decimal_error::overflow};
        ++exp;
    }
    return decimal_pack(neg, mag.low128(), exp, preferred);
}

// Compares r with d - r, i.e. the remainder with half the divisor: -1 below, 0 at, +1 above.
template <class U>
constexpr int decimal_half_compare(U r, U d) noexcept {
    const U other = d - r;
    return r < other ? -1 : (r > other ? 1 : 0);
}

// Whether a truncated quotient q (a magnitude) must be incremented. `half` compares the
// discarded remainder with half a unit (-1, 0, +1); `inexact` says it is non-zero.
constexpr bool decimal_round_up(rounding mode, bool neg, bool q_odd, int half, bool inexact) noexcept {
    if (!inexact) return false;
    switch (mode) {
        case rounding::floor: return neg;
        case rounding::ceiling: return !neg;
        case rounding::toward_zero: return false;
        case rounding::away_from_zero: return true;
        case rounding::half_away_from_zero: return half >= 0;
        case rounding::half_even: return half > 0 || (half == 0 && q_odd);
    }
    return false;
}

constexpr bool decimal_decimals_valid(int decimals) noexcept {
    return decimals >= -decimal::max_exponent && decimals <= decimal::max_decimals;
}

// q = round-to-integer of n * 10^s / d (magnitudes; d >= 1). Fills the truncated
// quotient and the rounding information; false if the quotient is too large to hold
// (only for s beyond any representable result).
constexpr bool decimal_div_core(std::uint64_t n, int s, std::uint64_t d, dec_wide& q, int& half,
                                bool& inexact) noexcept {
    if (s >= 0) {
        if (s > 200) return false;
        q = dec_wide::from(n);
        if (!q.mul_pow10(s)) return false;
        const std::uint64_t r = q.divmod(d);
        inexact = r != 0;
        half = decimal_half_compare(r, d);
        return true;
    }
    if (s >= -19) {
        // d * 10^19 < 10^37 fits in 128 bits.
        const dec_u128 dd = static_cast<dec_u128>(d) * dec_pow10[static_cast<std::size_t>(-s)];
        const dec_u128 r = n % dd;
        q = dec_wide::from(n / dd);
        inexact = r != 0;
        half = decimal_half_compare(r, dd);
        return true;
    }
    // The divisor is >= 10^20 > 2n: the quotient is 0 and the remainder below half.
    q = dec_wide{};
    inexact = n != 0;
    half = -1;
    return true;
}

// Rounds sign * w * 10^exp half-even to 18 significant digits, never below exponent
// -64, saturating above the largest value. The operators' fallback when the exact
// result does not fit.
constexpr decimal decimal_round_to_precision(bool neg, dec_wide w, int exp) noexcept {
    int k = w.digits() - decimal::max_digits;
    if (k < 0) k = 0;
    if (exp + k < decimal::min_exponent) k = decimal::min_exponent - exp;
    const auto info = w.round_div_pow10(k);
    if (decimal_round_up(rounding::half_even, neg, w.is_odd(), info.half, info.inexact)) w.mul_add(1, 1);
    const decimal_result r = decimal_pack_wide(neg, w, exp + k, exp + k);
    if (r) return r.value;
    return decimal_signed(neg, decimal_max, decimal::max_exponent);
}

constexpr decimal_result decimal_add_slow(decimal a, decimal b) noexcept {
    if (a.exponent() < b.exponent()) {
        const decimal t = a;
        a = b;
        b = t;
    }
    // Now a has the larger exponent; the result prefers b's (the smaller) exponent.
    if (a.is_zero()) return {b, {}};
    const int preferred = b.exponent();
    const bool aneg = a.mantissa() < 0;
    const bool bneg = b.mantissa() < 0;
    if (b.is_zero()) return decimal_pack(aneg, decimal_magnitude(a.mantissa()), a.exponent(), preferred);
    std::uint64_t bm = decimal_magnitude(b.mantissa());
    int be = b.exponent();
    // Trailing zeros of b cost nothing to drop and may bring the exponents close enough.
    while (a.exponent() - be > 19 && bm % 10 == 0) {
        bm /= 10;
        ++be;
    }
    // Still far apart: a * 10^d has >= 20 digits and b has no trailing zero, so the sum
    // has >= 19 significant digits whatever its exponent.
    if (a.exponent() - be > 19) return {{}, decimal_error::overflow};
    const dec_u128 am = static_cast<dec_u128>(decimal_magnitude(a.mantissa())) *
                        dec_pow10[static_cast<std::size_t>(a.exponent() - be)];
    if (aneg == bneg) return decimal_pack(aneg, am + bm, be, preferred);
    if (am >= bm) return decimal_pack(aneg, am - bm, be, preferred);
    return decimal_pack(bneg, bm - am, be, preferred);
}

constexpr decimal decimal_add_rounded(decimal a, decimal b) noexcept {
    if (a.exponent() < b.exponent()) {
        const decimal t = a;
        a = b;
        b = t;
    }
    std::int64_t bm = b.mantissa();
    int be = b.exponent();
    if (a.exponent() - be > 40) {
        // b lies entirely below the rounding position of any 18-digit result near a, so
        // only its sign matters: a unit 40 places below a rounds identically.
        bm = bm > 0 ? 1 : -1;
        be = a.exponent() - 40;
    }
    const bool aneg = a.mantissa() < 0;
    const bool bneg = bm < 0;
    const std::uint64_t bmag = decimal_magnitude(bm);
    dec_wide w = dec_wide::from(decimal_magnitude(a.mantissa()));
    w.mul_pow10(a.exponent() - be);
    bool neg = aneg;
    if (aneg == bneg) {
        w.mul_add(1, bmag);
    } else if (!w.fits_u64() || w.low64() >= bmag) {
        w.sub_small(bmag);
    } else {
        w = dec_wide::from(bmag - w.low64());
        neg = bneg;
    }
    return decimal_round_to_precision(neg, w, be);
}

constexpr std::weak_ordering decimal_compare_slow(decimal a, decimal b) noexcept {
    const int sa = a.sign();
    const int sb = b.sign();
    if (sa != sb) return sa <=> sb;
    if (sa == 0) return std::weak_ordering::equivalent;
    const std::uint64_t ma = decimal_magnitude(a.mantissa());
    const std::uint64_t mb = decimal_magnitude(b.mantissa());
    const int d = a.exponent() - b.exponent();
    std::weak_ordering mag = std::weak_ordering::equivalent;
    // A non-zero mantissa shifted by >= 19 places exceeds any 18-digit mantissa.
    if (d >= 19) {
        mag = std::weak_ordering::greater;
    } else if (d <= -19) {
        mag = std::weak_ordering::less;
    } else if (d > 0) {
        const dec_u128 x = static_cast<dec_u128>(ma) * dec_pow10[static_cast<std::size_t>(d)];
        mag = x < mb ? std::weak_ordering::less : (x > mb ? std::weak_ordering::greater : std::weak_ordering::equivalent);
    } else {
        const dec_u128 y = static_cast<dec_u128>(mb) * dec_pow10[static_cast<std::size_t>(-d)];
        mag = ma < y ? std::weak_ordering::less : (ma > y ? std::weak_ordering::greater : std::weak_ordering::equivalent);
    }
    return sa > 0 ? mag : 0 <=> mag;
}

// ---- Parsing

// The complete parser: every form, every error. decimal_parse() below tries a single
// scan for the common case first and comes here for anything else.
template <parse_options O>
constexpr decimal_parse_result decimal_parse_full(const char* const first, const char* const last) noexcept {
    auto fail = [first](decimal_error ec, const char* at) {
        return decimal_parse_result{decimal{}, ec, static_cast<std::size_t>(at - first), false};
    };
    const char* p = first;
    if (p == last) return fail(decimal_error::empty, p);
    bool neg = false;
    if (*p == '-' || (!O.plain_only && *p == '+')) {
        neg = *p == '-';
        ++p;
    }
    std::uint64_t acc = 0;   // significant digits so far
    int nsig = 0;            // how many (leading zeros do not count)
    std::int64_t exp = 0;    // 64-bit: a long run of zeros cannot overflow it
    int first_excess = -1;   // round_excess_digits: first digit beyond 18 significant
    bool sticky = false;     // round_excess_digits: a non-zero digit after it
    // A digit beyond the 18th significant one: must be 0 unless rounding is allowed.
    auto excess = [&](unsigned d) {
        if constexpr (O.round_excess_digits) {
            if (first_excess < 0)
                first_excess = static_cast<int>(d);
            else
                sticky = sticky || d != 0;
            return true;
        } else {
            return d == 0;
        }
    };

    const char* const int_begin = p;
    for (; p != last; ++p) {
        const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - unsigned{'0'};
        if (d > 9) break;
        if (nsig < decimal::max_digits) {
            acc = acc * 10 + d;
            nsig += static_cast<int>(acc != 0);
        } else {
            ++exp;
            if (!excess(d)) return fail(decimal_error::too_many_digits, p);
        }
    }
    if constexpr (O.plain_only) {
        if (p == int_begin)
            return fail(p == last || *p == '.' ? decimal_error::missing_digits : decimal_error::invalid_character, p);
        if (*int_begin == '0' && p - int_begin > 1) return fail(decimal_error::invalid_character, int_begin + 1);
    }
    bool any = p != int_begin;
    bool saw_point = false;
    if (p != last && *p == '.') {
        saw_point = true;
        ++p;
        const char* const frac_begin = p;
        if constexpr (O.plain_only) {
            if (p == last || static_cast<unsigned char>(*p - '0') > 9) return fail(decimal_error::missing_digits, p);
        }
        for (; p != last; ++p) {
            const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - unsigned{'0'};
            if (d > 9) break;
            if (nsig < decimal::max_digits) {
                acc = acc * 10 + d;
                nsig += static_cast<int>(acc != 0);
                --exp;
            } else if (!excess(d)) {
                return fail(decimal_error::too_many_digits, p);
            }
        }
        any = any || p != frac_begin;
    }
    if (!any) {
        const bool at_exponent = p != last && (*p == 'e' || *p == 'E');
        return fail(p == last || at_exponent || saw_point ? decimal_error::missing_digits
                                                          : decimal_error::invalid_character,
                    p);
    }
    bool saw_exponent = false;
    if (!O.plain_only && p != last && (*p == 'e' || *p == 'E')) {
        saw_exponent = true;
        ++p;
        bool eneg = false;
        if (p != last && (*p == '+' || *p == '-')) {
            eneg = *p == '-';
            ++p;
        }
        const char* const exp_begin = p;
        std::int64_t ev = 0;
        for (; p != last; ++p) {
            const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - unsigned{'0'};
            if (d > 9) break;
            if (ev < 1'000'000) ev = ev * 10 + d;  // saturate: out of range either way
        }
        if (p == exp_begin) return fail(decimal_error::missing_exponent_digits, p);
        exp += eneg ? -ev : ev;
    }
    if constexpr (!O.allow_trailing) {
        if (p != last)
            return fail(*p == '.' && saw_point && !saw_exponent ? decimal_error::multiple_points
                                                                : decimal_error::invalid_character,
                        p);
    }
    bool inexact = false;
    if constexpr (O.round_excess_digits) {
        if (first_excess >= 0) {
            inexact = first_excess != 0 || sticky;
            if (first_excess > 5 || (first_excess == 5 && (sticky || (acc & 1) != 0))) {
                if (++acc > decimal_max) {  // 999..9 + 1 = 10^18
                    acc /= 10;
                    ++exp;
                }
            }
        }
    }
    const auto consumed = static_cast<std::size_t>(p - first);
    if (acc == 0) {
        const int e = exp < decimal::min_exponent ? decimal::min_exponent
                                                  : (exp > decimal::max_exponent ? decimal::max_exponent
                                                                                 : static_cast<int>(exp));
        return {decimal_access::make(0, e), {}, consumed, inexact};
    }
    // Exponent forms of integers become exponent 0 when they fit ("1.5E+3" -> 1500).
    while (exp > 0 && acc <= decimal_max / 10) {
        acc *= 10;
        --exp;
    }
    while (exp < decimal::min_exponent && acc % 10 == 0) {
        acc /= 10;
        ++exp;
    }
    if (exp < decimal::min_exponent || exp > decimal::max_exponent)
        return fail(decimal_error::exponent_out_of_range, first);
    return {decimal_signed(neg, acc, static_cast<int>(exp)), {}, consumed, inexact};
}

// Eight characters as a little-endian word: one unaligned load at run time.
[[gnu::always_inline]] constexpr std::uint64_t decimal_load8(const char* p) noexcept {
    if (std::is_constant_evaluated()) {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
        return v;
    }
    std::uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    return v;
}

// Bytes of v ^ 0x30..30 are 0..9 exactly for digit characters. Returns 0x80 in each
// byte that is not a digit: (x & 0x7F) + 0x76 reaches bit 7 iff it is >= 10 (and cannot
// carry into the next byte); OR-ing x catches bytes >= 0x80.
[[gnu::always_inline]] constexpr std::uint64_t decimal_nondigit_mask(std::uint64_t x) noexcept {
    return (((x & 0x7F7F7F7F7F7F7F7FULL) + 0x7676767676767676ULL) | x) & 0x8080808080808080ULL;
}

// Value of eight digit values (bytes 0..9), byte 0 most significant: combine neighbours
// into pairs, pairs into fours, fours into eight, one multiplication per step.
[[gnu::always_inline]] constexpr std::uint64_t decimal_eight_value(std::uint64_t x) noexcept {
    x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFULL;
    x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFULL;
    return (x * 10000 + (x >> 32)) & 0xFFFFFFFFULL;
}

// Accumulates at most `limit` digits of the run at p into acc and returns where it
// stopped (at the first non-digit, or at a digit once `limit` were taken). At run time it
// reads 8 bytes at once, never outside [first, last): near the end it loads the 8 bytes
// that end at `last` and shifts the consumed ones out, leaving zero bytes (non-digits).
[[gnu::always_inline]] constexpr const char* decimal_scan_digits(const char* first, const char* p, const char* last,
                                          std::uint64_t& acc, std::ptrdiff_t limit) noexcept {
    if (!std::is_constant_evaluated()) {
        while (limit > 0) {
            const std::ptrdiff_t avail = last - p;
            std::uint64_t v = 0;
            if (avail >= 8)
                v = decimal_load8(p);
            else if (avail > 0 && last - first >= 8)
                v = decimal_load8(last - 8) >> (8 * (8 - avail));
            else
                break;
            const std::uint64_t x = v ^ 0x3030303030303030ULL;
            const std::uint64_t stop = decimal_nondigit_mask(x);
            if (stop == 0 && limit >= 8) {
                acc = acc * 100000000 + decimal_eight_value(x);
                p += 8;
                limit -= 8;
                continue;
            }
            std::ptrdiff_t n = stop == 0 ? 8 : std::countr_zero(stop) / 8;  // leading digit bytes
            if (n > limit) n = limit;
            if (n > 0) {
                // Move the n digits to the top bytes; the zero bytes below are leading zeros.
                acc = acc * dec_pow10[static_cast<std::size_t>(n)] +
                      decimal_eight_value(x << (64 - 8 * static_cast<int>(n)));
                p += n;
            }
            return p;
        }
    }
    for (; p != last && limit > 0; ++p, --limit) {
        const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(*p)) - unsigned{'0'};
        if (d > 9) break;
        acc = acc * 10 + d;
    }
    return p;
}

constexpr bool decimal_digit_at(const char* p, const char* last) noexcept {
    return p != last && static_cast<unsigned char>(*p - '0') <= 9;
}

// Fast path: [sign] digits [. digits] with at most 64 decimals, ending the text (or,
// with allow_trailing, followed by a character that cannot continue a number). Digits
// beyond 18 significant ones in the fraction are handled here too (HTX sends 18 decimals
// on every level): dropped exactly if they are zeros, rounded with round_excess_digits.
// Everything else, every error included, goes to the full parser.
template <parse_options O>
constexpr decimal_parse_result decimal_parse(const char* const first, const char* const last) noexcept {
    const char* p = first;
    if (p != last && (*p == '-' || (!O.plain_only && *p == '+'))) ++p;
    const char* const digits_begin = p;
    while (p != last && *p == '0') ++p;  // leading zeros are not significant
    const char* const int_sig = p;
    std::uint64_t acc = 0;
    p = decimal_scan_digits(first, p, last, acc, decimal::max_digits);
    if (decimal_digit_at(p, last)) return decimal_parse_full<O>(first, last);  // > 18 integer digits
    const char* const int_end = p;
    std::ptrdiff_t kept_decimals = 0;  // fractional digits in the mantissa
    std::ptrdiff_t all_decimals = 0;   // fractional digits in the text
    int first_excess = 0;              // first fractional digit beyond 18 significant ones
    bool excess = false;               // ... whether there was one
    bool sticky = false;               // a non-zero digit after it
    bool point = false;
    if (p != last && *p == '.') {
        point = true;
        const char* const frac_begin = ++p;
        if (acc == 0)
            while (p != last && *p == '0') ++p;
        p = decimal_scan_digits(first, p, last, acc, decimal::max_digits - (int_end - int_sig));
        kept_decimals = p - frac_begin;
        if (decimal_digit_at(p, last)) {
            excess = true;
            first_excess = *p++ - '0';
            for (; decimal_digit_at(p, last); ++p) sticky = sticky || *p != '0';
        }
        all_decimals = p - frac_begin;
    }
    const std::ptrdiff_t int_length = int_end - digits_begin;
    bool ok = p == last;
    if constexpr (O.allow_trailing) ok = ok || (*p != '.' && *p != 'e' && *p != 'E');
    ok = ok && (int_length > 0 || all_decimals > 0) && kept_decimals <= decimal::max_decimals;
    if constexpr (O.plain_only)  // digits before the point, one zero at most, digits after it
        ok = ok && int_length > 0 && (*digits_begin != '0' || int_length == 1) && (!point || all_decimals > 0);
    const bool inexact = first_excess != 0 || sticky;
    if constexpr (!O.round_excess_digits) ok = ok && !inexact;  // too_many_digits: the full parser reports it
    if (!ok) return decimal_parse_full<O>(first, last);
    int exponent = -static_cast<int>(kept_decimals);
    if (excess && (first_excess > 5 || (first_excess == 5 && (sticky || (acc & 1) != 0)))) {
        if (++acc > decimal_max) {  // 999..9 + 1 = 10^18
            acc /= 10;
            ++exponent;
        }
    }
    const auto m = static_cast<std::int64_t>(acc);
    return {decimal_access::make(*first == '-' ? -m : m, exponent), {}, static_cast<std::size_t>(p - first),
            inexact};
}

// ---- Formatting

// Length of the text of sign * mag * 10^exp with exactly `frac` fractional digits
// (frac >= max(0, -exp)).
constexpr std::size_t decimal_text_size(bool neg, std::uint64_t mag, int exp, int frac) noexcept {
    if (mag == 0) {
        neg = false;
        exp = 0;
    }
    const int n = dec_digits(mag);
    int int_len = 0;
    if (exp >= 0)
        int_len = mag == 0 ? 1 : n + exp;
    else
        int_len = n > -exp ? n + exp : 1;
    return static_cast<std::size_t>((neg ? 1 : 0) + int_len + (frac > 0 ? 1 + frac : 0));
}

// Writes the text backward from its known end, so digits land in place (no temporary).
constexpr std::size_t decimal_write_text(char* out, std::size_t capacity, bool neg, std::uint64_t mag, int exp,
                                         int frac) noexcept {
    if (mag == 0) {
        neg = false;
        exp = 0;
    }
    const std::size_t size = decimal_text_size(neg, mag, exp, frac);
    if (size > capacity) return 0;
    char* p = out + size;
    if (exp >= 0) {
        if (frac > 0) {
            for (int i = 0; i < frac; ++i) *--p = '0';
            *--p = '.';
        }
        if (mag != 0)
            for (int i = 0; i < exp; ++i) *--p = '0';
        dec_write_digits_backward(p, mag);
    } else {
        for (int i = -exp; i < frac; ++i) *--p = '0';  // padding beyond the mantissa's decimals
        p = dec_write_low_digits(p, mag, -exp);
        *--p = '.';
        if (mag == 0)
            *--p = '0';
        else
            p = dec_write_digits_backward(p, mag);
        if (neg) *--p = '-';
        return size;
    }
    if (neg) *out = '-';
    return size;
}

// Trailing zeros removed; zero gets exponent 0 (it prints as "0").
constexpr void decimal_strip_zeros(std::uint64_t& mag, int& exp) noexcept {
    if (mag == 0) {
        exp = 0;
        return;
    }
    while (mag % 10 == 0) {
        mag /= 10;
        ++exp;
    }
}

// Defined out of line so that calling it from a consteval context fails to compile.
inline void decimal_literal_is_invalid() noexcept {}

// ---- Binary floating point

// Rounds top * 2^exp2 (top has its most significant bit set; `sticky` says lower bits
// were non-zero) to the nearest double, ties to even.
inline double decimal_round_to_double(std::uint64_t top, bool sticky, int exp2) noexcept {
    std::uint64_t mant = top >> 11;
    const std::uint64_t rest = top & 0x7FF;
    if (rest > 0x400 || (rest == 0x400 && (sticky || (mant & 1) != 0))) {
        if (++mant == (std::uint64_t{1} << 53)) {
            mant >>= 1;
            ++exp2;
        }
    }
    return std::ldexp(static_cast<double>(mant), exp2 + 11);
}

inline double decimal_to_double_slow(std::uint64_t m, int e) noexcept {
    dec_wide w = dec_wide::from(m);
    int scale2 = 0;  // value = w * 2^scale2 (after the 5^k division below)
    bool sticky = false;
    if (e >= 0) {
        w.mul_pow10(e);  // <= 10^82
    } else {
        // m / 10^k = m * 2^sh / 5^k * 2^-(sh + k); sh = 64 + 3k leaves >= 64 quotient bits.
        const int k = -e;
        const int sh = 64 + 3 * k;
        w.shift_left(sh);
        int left = k;
        constexpr std::uint64_t pow5_27 = 7450580596923828125ULL;
        for (; left >= 27; left -= 27) sticky |= w.divmod(pow5_27) != 0;
        std::uint64_t p5 = 1;
        for (int i = 0; i < left; ++i) p5 *= 5;
        if (p5 != 1) sticky |= w.divmod(p5) != 0;
        scale2 = -sh - k;
    }
    const int bits = w.bit_width();
    const int shift = bits - 64;
    std::uint64_t top = 0;
    if (shift >= 0) {
        top = w.bits_at(shift);
        sticky = sticky || w.any_bits_below(shift);
    } else {
        top = w.low64() << (-shift);
    }
    return decimal_round_to_double(top, sticky, scale2 + shift);
}

}  // namespace detail

// ---- decimal members and free functions

constexpr decimal_result decimal::from_parts(std::int64_t mantissa, int exponent) noexcept {
    if (mantissa >= -max_mantissa && mantissa <= max_mantissa && exponent >= min_exponent &&
        exponent <= max_exponent)
        return {decimal(mantissa, exponent), {}};
    if (mantissa == 0) return {decimal(0, detail::decimal_clamp_exponent(exponent)), {}};
    // A mantissa of at most 19 digits can move the exponent by at most 18 places.
    if (exponent > max_exponent + 20 || exponent < min_exponent - 20)
        return {{}, decimal_error::exponent_out_of_range};
    return detail::decimal_pack(mantissa < 0, detail::decimal_magnitude(mantissa), exponent, exponent);
}

constexpr decimal_result decimal::from_integer(std::int64_t value) noexcept { return from_parts(value, 0); }

inline decimal_result decimal::from_double(double value, int decimals, rounding mode) noexcept {
    if (!std::isfinite(value)) return {{}, decimal_error::not_finite};
    if (!detail::decimal_decimals_valid(decimals)) return {{}, decimal_error::exponent_out_of_range};
    // Shortest round-trip text in scientific form, "d.ddde+XX": at most 17 digits.
    char buf[40];
    const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    const char* p = buf;
    const bool neg = *p == '-';
    if (neg) ++p;
    std::uint64_t n = 0;
    int exp = 0;
    bool point = false;
    for (; p != res.ptr && *p != 'e'; ++p) {
        if (*p == '.') {
            point = true;
            continue;
        }
        n = n * 10 + static_cast<std::uint64_t>(*p - '0');
        if (point) --exp;
    }
    if (p != res.ptr) {
        ++p;  // 'e'
        const bool eneg = *p == '-';
        ++p;  // to_chars always writes the exponent sign
        int ev = 0;
        for (; p != res.ptr; ++p) ev = ev * 10 + (*p - '0');
        exp += eneg ? -ev : ev;
    }
    const int target = -decimals;
    detail::dec_wide q;
    int half = 0;
    bool inexact = false;
    if (n == 0) return {detail::decimal_access::make(0, target), {}};
    if (!detail::decimal_div_core(n, exp - target, 1, q, half, inexact))
        return {{}, decimal_error::exponent_out_of_range};  // beyond 10^200: far outside the range
    if (detail::decimal_round_up(mode, neg, q.is_odd(), half, inexact)) q.mul_add(1, 1);
    return detail::decimal_pack_wide(neg, q, target, target);
}

constexpr decimal_parse_result decimal::parse(std::string_view text, parse_options options) noexcept {
    const char* const f = text.data();
    const char* const l = f + text.size();
    // One instantiation per option set, so the options cost nothing inside the scan.
    const int key = (options.allow_trailing ? 1 : 0) | (options.round_excess_digits ? 2 : 0) |
                    (options.plain_only ? 4 : 0);
    switch (key) {
        case 1: return detail::decimal_parse<parse_options{true, false, false}>(f, l);
        case 2: return detail::decimal_parse<parse_options{false, true, false}>(f, l);
        case 3: return detail::decimal_parse<parse_options{true, true, false}>(f, l);
        case 4: return detail::decimal_parse<parse_options{false, false, true}>(f, l);
        case 5: return detail::decimal_parse<parse_options{true, false, true}>(f, l);
        case 6: return detail::decimal_parse<parse_options{false, true, true}>(f, l);
        case 7: return detail::decimal_parse<parse_options{true, true, true}>(f, l);
        default: return detail::decimal_parse<parse_options{}>(f, l);
    }
}

constexpr decimal_parse_result decimal::from_chars(const char* first, const char* last) noexcept {
    return detail::decimal_parse<parse_options{.allow_trailing = true}>(first, last);
}

constexpr decimal decimal::normalized() const noexcept {
    std::uint64_t mag = detail::decimal_magnitude(m_);
    int e = e_;
    if (mag == 0) return decimal{};
    detail::decimal_strip_zeros(mag, e);
    return detail::decimal_signed(m_ < 0, mag, e);
}

inline double decimal::to_double() const noexcept {
    static constexpr double exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const std::uint64_t mag = detail::decimal_magnitude(m_);
    if (mag == 0) return 0.0;
    double d = 0.0;
    if (mag <= (std::uint64_t{1} << 53) && e_ >= -22 && e_ <= 22) {
        // Both operands are exact doubles, so the one IEEE operation rounds correctly.
        const auto md = static_cast<double>(mag);
        d = e_ >= 0 ? md * exact[e_] : md / exact[-e_];
    } else {
        d = detail::decimal_to_double_slow(mag, e_);
    }
    return m_ < 0 ? -d : d;
}

constexpr decimal_units_result decimal::to_units(int decimals) const noexcept {
    if (!detail::decimal_decimals_valid(decimals)) return {0, decimal_error::exponent_out_of_range};
    if (m_ == 0) return {0, {}};
    const int target = -decimals;
    if (e_ >= target) {
        const int k = e_ - target;
        std::int64_t units = 0;
        if (k > 18 || __builtin_mul_overflow(m_, static_cast<std::int64_t>(detail::dec_pow10[static_cast<std::size_t>(k)]),
                                              &units))
            return {0, decimal_error::overflow};
        return {units, {}};
    }
    const int k = target - e_;
    if (k > 18) return {0, decimal_error::inexact};  // |m| < 10^18 cannot be a multiple
    const auto p = static_cast<std::int64_t>(detail::dec_pow10[static_cast<std::size_t>(k)]);
    if (m_ % p != 0) return {0, decimal_error::inexact};
    return {m_ / p, {}};
}

constexpr std::size_t decimal::format(char* out, std::size_t capacity) const noexcept {
    std::uint64_t mag = detail::decimal_magnitude(m_);
    int e = e_;
    detail::decimal_strip_zeros(mag, e);
    return detail::decimal_write_text(out, capacity, m_ < 0, mag, e, e < 0 ? -e : 0);
}

constexpr std::size_t decimal::format_size() const noexcept {
    std::uint64_t mag = detail::decimal_magnitude(m_);
    int e = e_;
    detail::decimal_strip_zeros(mag, e);
    return detail::decimal_text_size(m_ < 0, mag, e, e < 0 ? -e : 0);
}

constexpr std::size_t decimal::format_scaled(char* out, std::size_t capacity) const noexcept {
    return detail::decimal_write_text(out, capacity, m_ < 0, detail::decimal_magnitude(m_), e_, scale());
}

constexpr std::size_t decimal::format_scaled_size() const noexcept {
    return detail::decimal_text_size(m_ < 0, detail::decimal_magnitude(m_), e_, scale());
}

constexpr std::size_t decimal::format_fixed(char* out, std::size_t capacity, int decimals,
                                            rounding mode) const noexcept {
    if (decimals < 0 || decimals > max_decimals) return 0;
    const decimal r = round(*this, decimals, mode).value;  // cannot fail for these decimals
    return detail::decimal_write_text(out, capacity, r.m_ < 0, detail::decimal_magnitude(r.m_), r.e_, decimals);
}

constexpr std::size_t decimal::format_fixed_size(int decimals, rounding mode) const noexcept {
    if (decimals < 0 || decimals > max_decimals) return 0;
    const decimal r = round(*this, decimals, mode).value;
    return detail::decimal_text_size(r.m_ < 0, detail::decimal_magnitude(r.m_), r.e_, decimals);
}

constexpr decimal_error decimal::format_slot(char* slot, std::size_t width, int decimals, rounding mode,
                                             slot_fill fill) const noexcept {
    if (decimals < 0 || decimals > max_decimals) return decimal_error::exponent_out_of_range;
    char text[max_fixed_chars] = {};
    const std::size_t n = format_fixed(text, sizeof text, decimals, mode);
    if (n > width) return decimal_error::buffer_too_small;
    const std::size_t gap = width - n;
    std::size_t at = 0;
    auto put = [&](char c) { slot[at++] = c; };
    switch (fill) {
        case slot_fill::trailing_zeros:
            if (decimals == 0 && gap == 1) return decimal_error::cannot_fill_slot;
            for (std::size_t i = 0; i < n; ++i) put(text[i]);
            if (gap > 0 && decimals == 0) put('.');
            while (at < width) put('0');
            break;
        case slot_fill::trailing_spaces:
            for (std::size_t i = 0; i < n; ++i) put(text[i]);
            while (at < width) put(' ');
            break;
        case slot_fill::leading_spaces:
            for (std::size_t i = 0; i < gap; ++i) put(' ');
            for (std::size_t i = 0; i < n; ++i) put(text[i]);
            break;
        case slot_fill::leading_zeros: {
            std::size_t i = 0;
            if (text[0] == '-') put(text[i++]);
            for (std::size_t z = 0; z < gap; ++z) put('0');
            for (; i < n; ++i) put(text[i]);
            break;
        }
    }
    return {};
}

inline std::string decimal::to_string() const {
    char buf[max_chars];
    return std::string(buf, format(buf, sizeof buf));
}

inline std::string decimal::to_string_fixed(int decimals, rounding mode) const {
    char buf[max_fixed_chars];
    return std::string(buf, format_fixed(buf, sizeof buf, decimals, mode));
}

namespace detail {
// Aligns the operand with the larger exponent onto the smaller one in 64 bits; false if
// the exponents are too far apart or the product overflows (then the slow path decides).
constexpr bool decimal_align(decimal a, decimal b, std::int64_t& am, std::int64_t& bm) noexcept {
    const int d = a.exponent() - b.exponent();
    am = a.mantissa();
    bm = b.mantissa();
    if (d > 0) return d <= 18 && !__builtin_mul_overflow(am, static_cast<std::int64_t>(dec_pow10[static_cast<std::size_t>(d)]), &am);
    return d >= -18 && !__builtin_mul_overflow(bm, static_cast<std::int64_t>(dec_pow10[static_cast<std::size_t>(-d)]), &bm);
}
}  // namespace detail

constexpr bool operator==(decimal a, decimal b) noexcept {
    if (a.e_ == b.e_) return a.m_ == b.m_;
    std::int64_t am = 0;
    std::int64_t bm = 0;
    if (detail::decimal_align(a, b, am, bm)) return am == bm;
    return detail::decimal_compare_slow(a, b) == 0;
}

constexpr std::weak_ordering operator<=>(decimal a, decimal b) noexcept {
    if (a.e_ == b.e_) return a.m_ <=> b.m_;
    std::int64_t am = 0;
    std::int64_t bm = 0;
    if (detail::decimal_align(a, b, am, bm)) return am <=> bm;
    return detail::decimal_compare_slow(a, b);
}

constexpr decimal_result checked_add(decimal a, decimal b) noexcept {
    if (a.exponent() == b.exponent()) {
        const std::int64_t s = a.mantissa() + b.mantissa();  // |s| < 2 * 10^18: no overflow
        if (s >= -decimal::max_mantissa && s <= decimal::max_mantissa)
            return {detail::decimal_access::make(s, a.exponent()), {}};
    } else {
        std::int64_t am = 0;
        std::int64_t bm = 0;
        std::int64_t s = 0;
        if (detail::decimal_align(a, b, am, bm) && !__builtin_add_overflow(am, bm, &s) &&
            s >= -decimal::max_mantissa && s <= decimal::max_mantissa)
            return {detail::decimal_access::make(s, a.exponent() < b.exponent() ? a.exponent() : b.exponent()), {}};
    }
    return detail::decimal_add_slow(a, b);
}

constexpr decimal_result checked_sub(decimal a, decimal b) noexcept { return checked_add(a, -b); }

constexpr decimal_result checked_mul(decimal a, decimal b) noexcept {
    std::int64_t p = 0;
    const int e = a.exponent() + b.exponent();
    if (!__builtin_mul_overflow(a.mantissa(), b.mantissa(), &p) && p >= -decimal::max_mantissa &&
        p <= decimal::max_mantissa && e >= decimal::min_exponent && e <= decimal::max_exponent)
        return {detail::decimal_access::make(p, e), {}};
    const bool neg = (a.mantissa() < 0) != (b.mantissa() < 0);
    const detail::dec_u128 mag = static_cast<detail::dec_u128>(detail::decimal_magnitude(a.mantissa())) *
                                 detail::decimal_magnitude(b.mantissa());
    return detail::decimal_pack(neg, mag, e, e);
}

constexpr decimal_result round(decimal value, int decimals, rounding mode) noexcept {
    if (!detail::decimal_decimals_valid(decimals)) return {{}, decimal_error::exponent_out_of_range};
    const int target = -decimals;
    const bool neg = value.mantissa() < 0;
    const std::uint64_t mag = detail::decimal_magnitude(value.mantissa());
    if (value.exponent() >= target) return detail::decimal_pack(neg, mag, value.exponent(), target);
    const int k = target - value.exponent();
    std::uint64_t q = 0;
    std::uint64_t r = mag;
    int half = -1;  // k >= 19: |mag| < 10^18 is below half of 10^k
    if (k < 19) {
        const std::uint64_t d = detail::dec_pow10[static_cast<std::size_t>(k)];
        q = mag / d;
        r = mag % d;
        half = detail::decimal_half_compare(r, d);
    }
    if (detail::decimal_round_up(mode, neg, (q & 1) != 0, half, r != 0)) ++q;  // q <= 10^17
    return {detail::decimal_signed(neg, q, target), {}};
}

constexpr decimal_result multiply(decimal a, decimal b, int decimals, rounding mode) noexcept {
    if (!detail::decimal_decimals_valid(decimals)) return {{}, decimal_error::exponent_out_of_range};
    const int target = -decimals;
    const int e = a.exponent() + b.exponent();
    const bool neg = (a.mantissa() < 0) != (b.mantissa() < 0);
    const detail::dec_u128 mag = static_cast<detail::dec_u128>(detail::decimal_magnitude(a.mantissa())) *
                                 detail::decimal_magnitude(b.mantissa());
    if (e >= target) return detail::decimal_pack(neg, mag, e, target);
    const int k = target - e;
    if (mag >> 64 == 0 && k <= 19) {
        // Common case (price * quantity): one 64-bit division.
        const auto m = static_cast<std::uint64_t>(mag);
        const std::uint64_t d = detail::dec_pow10[static_cast<std::size_t>(k)];
        std::uint64_t q = m / d;  // <= 2^64 / 10 < 2 * 10^18
        const std::uint64_t r = m % d;
        if (detail::decimal_round_up(mode, neg, (q & 1) != 0, detail::decimal_half_compare(r, d), r != 0)) ++q;
        return detail::decimal_pack(neg, q, target, target);
    }
    detail::dec_wide w = detail::dec_wide::from(mag);
    const auto info = w.round_div_pow10(target - e);
    if (detail::decimal_round_up(mode, neg, w.is_odd(), info.half, info.inexact)) w.mul_add(1, 1);
    return detail::decimal_pack_wide(neg, w, target, target);
}

constexpr decimal_result divide(decimal a, decimal b, int decimals, rounding mode) noexcept {
    if (b.is_zero()) return {{}, decimal_error::division_by_zero};
    if (!detail::decimal_decimals_valid(decimals)) return {{}, decimal_error::exponent_out_of_range};
    const int target = -decimals;
    if (a.is_zero()) return {detail::decimal_access::make(0, target), {}};
    const bool neg = (a.mantissa() < 0) != (b.mantissa() < 0);
    detail::dec_wide q;
    int half = 0;
    bool inexact = false;
    if (!detail::decimal_div_core(detail::decimal_magnitude(a.mantissa()), a.exponent() - b.exponent() - target,
                                  detail::decimal_magnitude(b.mantissa()), q, half, inexact))
        return {{}, decimal_error::overflow};
    if (detail::decimal_round_up(mode, neg, q.is_odd(), half, inexact)) q.mul_add(1, 1);
    return detail::decimal_pack_wide(neg, q, target, target);
}

constexpr decimal_result round_to_increment(decimal value, decimal increment, rounding mode) noexcept {
    if (increment.mantissa() <= 0) return {{}, decimal_error::invalid_increment};
    const int ie = increment.exponent();
    if (value.is_zero()) return {detail::decimal_access::make(0, ie), {}};
    const bool neg = value.mantissa() < 0;
    const std::uint64_t n = detail::decimal_magnitude(value.mantissa());
    const auto inc = static_cast<std::uint64_t>(increment.mantissa());
    const int s = value.exponent() - ie;
    // Fast path: numerator and divisor in 64 bits.
    std::uint64_t num = n;
    std::uint64_t den = inc;
    bool fast = s >= -18 && s <= 18;
    if (fast && s > 0) fast = !__builtin_mul_overflow(n, detail::dec_pow10[static_cast<std::size_t>(s)], &num);
    if (fast && s < 0) fast = !__builtin_mul_overflow(inc, detail::dec_pow10[static_cast<std::size_t>(-s)], &den);
    if (fast) {
        std::uint64_t q = num / den;
        const std::uint64_t r = num % den;
        if (detail::decimal_round_up(mode, neg, (q & 1) != 0, detail::decimal_half_compare(r, den), r != 0)) ++q;
        std::uint64_t m = 0;
        if (!__builtin_mul_overflow(q, inc, &m) && m <= detail::decimal_max)
            return {detail::decimal_signed(neg, m, ie), {}};
        return detail::decimal_pack(neg, static_cast<detail::dec_u128>(q) * inc, ie, ie);
    }
    detail::dec_wide q;
    int half = 0;
    bool inexact = false;
    if (!detail::decimal_div_core(n, s, inc, q, half, inexact)) return {{}, decimal_error::overflow};
    if (detail::decimal_round_up(mode, neg, q.is_odd(), half, inexact)) q.mul_add(1, 1);
    if (!q.mul_add(inc)) return {{}, decimal_error::overflow};
    return detail::decimal_pack_wide(neg, q, ie, ie);
}

constexpr decimal operator+(decimal a, decimal b) noexcept {
    const decimal_result r = checked_add(a, b);
    return r ? r.value : detail::decimal_add_rounded(a, b);
}

constexpr decimal operator-(decimal a, decimal b) noexcept { return a + -b; }

constexpr decimal operator*(decimal a, decimal b) noexcept {
    const decimal_result r = checked_mul(a, b);
    if (r) return r.value;
    const bool neg = (a.mantissa() < 0) != (b.mantissa() < 0);
    const detail::dec_u128 mag = static_cast<detail::dec_u128>(detail::decimal_magnitude(a.mantissa())) *
                                 detail::decimal_magnitude(b.mantissa());
    return detail::decimal_round_to_precision(neg, detail::dec_wide::from(mag), a.exponent() + b.exponent());
}

template <class Traits>
std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& os, decimal value) {
    char buf[decimal::max_chars];
    return os << std::string_view(buf, value.format(buf, sizeof buf));
}

namespace literals {
// 16578.50_dec keeps its spelling (mantissa 1657850, exponent -2). An invalid literal
// (too many digits, out of range) is a compile-time error. Member access needs
// parentheses, (16578.50_dec).scale(), because "16578.50_dec.scale" lexes as one number.
consteval decimal operator""_dec(const char* text) {
    const decimal_parse_result r = decimal::parse(std::string_view(text));
    if (!r) detail::decimal_literal_is_invalid();
    return r.value;
}
}  // namespace literals

}  // namespace tradewire

template <>
struct std::is_error_code_enum<tradewire::decimal_error> : std::true_type {};

// Consistent with ==: equal values hash equally whatever their scale (1.50 and 1.5).
template <>
struct std::hash<tradewire::decimal> {
    std::size_t operator()(tradewire::decimal value) const noexcept {
        const tradewire::decimal n = value.normalized();
        std::uint64_t x = static_cast<std::uint64_t>(n.mantissa()) ^
                          (static_cast<std::uint64_t>(static_cast<std::uint32_t>(n.exponent())) << 56);
        // splitmix64 finaliser
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9ULL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBULL;
        x ^= x >> 31;
        return static_cast<std::size_t>(x);
    }
};
