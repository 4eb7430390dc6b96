// Integer helpers behind tradewire::decimal: powers of ten, digit counts, 128-bit
// products, two-digit text conversion and a small fixed-capacity unsigned big integer.
// The big integer only serves the rare exact slow paths (operands whose exponents lie
// far apart, quotients with many digits, correctly rounded to_double); the hot paths
// stay in 64-bit arithmetic.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace tradewire::detail {

#if defined(__SIZEOF_INT128__)
// __extension__ keeps -Wpedantic quiet: 128-bit integers are a GCC/Clang extension.
__extension__ typedef unsigned __int128 dec_u128;
#else
#error "tradewire::decimal needs a compiler with 128-bit integers (GCC or Clang)"
#endif

inline constexpr std::array<std::uint64_t, 20> dec_pow10 = [] {
    std::array<std::uint64_t, 20> t{};
    std::uint64_t p = 1;
    for (auto& v : t) {
        v = p;
        p *= 10;  // the last multiplication wraps, but its result is never stored
    }
    return t;
}();

inline constexpr std::array<dec_u128, 39> dec_pow10_128 = [] {
    std::array<dec_u128, 39> t{};
    dec_u128 p = 1;
    for (auto& v : t) {
        v = p;
        p *= 10;
    }
    return t;
}();

// Number of decimal digits of x (1 for 0). 1233/4096 approximates log10(2).
constexpr int dec_digits(std::uint64_t x) noexcept {
    const int approx = (static_cast<int>(std::bit_width(x | 1)) * 1233) >> 12;
    return approx + (x >= dec_pow10[static_cast<std::size_t>(approx)] ? 1 : 0);
}

constexpr int dec_digits(dec_u128 x) noexcept {
    if (x >> 64 == 0) return dec_digits(static_cast<std::uint64_t>(x));
    int d = 20;
    while (d < 39 && x >= dec_pow10_128[static_cast<std::size_t>(d)]) ++d;
    return d;
}

// "00" "01" ... "99": formatting writes two digits per division.
inline constexpr std::array<char, 200> dec_digit_pairs = [] {
    std::array<char, 200> t{};
    for (std::size_t i = 0; i < 100; ++i) {
        t[2 * i] = static_cast<char>('0' + i / 10);
        t[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
    return t;
}();

// Writes the n = dec_digits(v) digits of v ending just before `end`; returns end - n.
constexpr char* dec_write_digits_backward(char* end, std::uint64_t v) noexcept {
    while (v >= 100) {
        const std::size_t pair = static_cast<std::size_t>(v % 100) * 2;
        v /= 100;
        *--end = dec_digit_pairs[pair + 1];
        *--end = dec_digit_pairs[pair];
    }
    if (v >= 10) {
        const std::size_t pair = static_cast<std::size_t>(v) * 2;
        *--end = dec_digit_pairs[pair + 1];
        *--end = dec_digit_pairs[pair];
    } else {
        *--end = static_cast<char>('0' + v);
    }
    return end;
}

// Writes exactly `count` low digits of v (zeros once v runs out) ending just before
// `end`, divides v by 10^count and returns end - count.
constexpr char* dec_write_low_digits(char* end, std::uint64_t& v, int count) noexcept {
    for (; count >= 2; count -= 2) {
        const std::size_t pair = static_cast<std::size_t>(v % 100) * 2;
        v /= 100;
        *--end = dec_digit_pairs[pair + 1];
        *--end = dec_digit_pairs[pair];
    }
    if (count > 0) {
        *--end = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    return end;
}

// Unsigned integer of up to `capacity` 64-bit limbs, least significant first. Sized for
// the widest exact intermediate of decimal: a 36-digit product times 10^192, doubled.
struct dec_wide {
    static constexpr int capacity = 13;
    std::array<std::uint64_t, capacity> limb{};
    int size = 0;  // limbs in use; limb[size - 1] != 0 unless size == 0

    static constexpr dec_wide from(dec_u128 v) noexcept {
        dec_wide w;
        w.limb[0] = static_cast<std::uint64_t>(v);
        w.limb[1] = static_cast<std::uint64_t>(v >> 64);
        w.size = w.limb[1] != 0 ? 2 : (w.limb[0] != 0 ? 1 : 0);
        return w;
    }

    constexpr bool is_zero() const noexcept { return size == 0; }
    constexpr bool is_odd() const noexcept { return size != 0 && (limb[0] & 1) != 0; }
    constexpr bool fits_u64() const noexcept { return size <= 1; }
    constexpr bool fits_u128() const noexcept { return size <= 2; }
    constexpr std::uint64_t low64() const noexcept { return limb[0]; }
    constexpr dec_u128 low128() const noexcept { return (static_cast<dec_u128>(limb[1]) << 64) | limb[0]; }

    // this = this * f + add. Returns false (leaving garbage) if the result needs more
    // than `capacity` limbs; callers size their inputs so that this never happens.
    constexpr bool mul_add(std::uint64_t f, std::uint64_t add = 0) noexcept {
        dec_u128 carry = add;
        for (int i = 0; i < size; ++i) {
            const dec_u128 cur = static_cast<dec_u128>(limb[static_cast<std::size_t>(i)]) * f + carry;
            limb[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(cur);
            carry = cur >> 64;
        }
        if (carry != 0) {
            if (size == capacity) return false;
            limb[static_cast<std::size_t>(size++)] = static_cast<std::uint64_t>(carry);
        }
        trim();
        return true;
    }

    constexpr bool mul_pow10(int k) noexcept {
        for (; k >= 19; k -= 19)
            if (!mul_add(dec_pow10[19])) return false;
        return k == 0 || mul_add(dec_pow10[static_cast<std::size_t>(k)]);
    }

    // this = floor(this / d); returns this % d. d != 0.
    constexpr std::uint64_t divmod(std::uint64_t d) noexcept {
        dec_u128 rem = 0;
        for (int i = size - 1; i >= 0; --i) {
            const dec_u128 cur = (rem << 64) | limb[static_cast<std::size_t>(i)];
            limb[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(cur / d);
            rem = cur % d;
        }
        trim();
        return static_cast<std::uint64_t>(rem);
    }

    // this -= x; requires this >= x.
    constexpr void sub_small(std::uint64_t x) noexcept {
        for (int i = 0; i < size && x != 0; ++i) {
            const std::uint64_t cur = limb[static_cast<std::size_t>(i)];
            limb[static_cast<std::size_t>(i)] = cur - x;
            x = cur < x ? 1 : 0;
        }
        trim();
    }

    // this = floor(this / 10^k); returns true if the division was exact.
    constexpr bool div_pow10(int k) noexcept {
        bool exact = true;
        for (; k >= 19 && size != 0; k -= 19) exact &= divmod(dec_pow10[19]) == 0;
        if (k > 0 && k < 19 && size != 0) exact &= divmod(dec_pow10[static_cast<std::size_t>(k)]) == 0;
        return exact;
    }

    // How a division by 10^k discarded its remainder: half = -1/0/+1 for below, at or
    // above half a unit; inexact = the remainder was not zero.
    struct round_info {
        int half;
        bool inexact;
    };

    // this = floor(this / 10^k), reporting the discarded remainder for rounding.
    constexpr round_info round_div_pow10(int k) noexcept {
        if (k <= 0) return {-1, false};
        const bool exact_below = div_pow10(k - 1);
        const std::uint64_t digit = size == 0 ? 0 : divmod(10);
        const int half = digit > 5 ? 1 : (digit < 5 ? -1 : (exact_below ? 0 : 1));
        return {half, digit != 0 || !exact_below};
    }

    // Number of significant bits.
    constexpr int bit_width() const noexcept {
        if (size == 0) return 0;
        return (size - 1) * 64 + static_cast<int>(std::bit_width(limb[static_cast<std::size_t>(size - 1)]));
    }

    // Number of decimal digits (0 for zero). Slow-path only.
    constexpr int digits() const noexcept {
        if (fits_u128()) return is_zero() ? 0 : dec_digits(low128());
        dec_wide t = *this;
        int n = 0;
        while (!t.fits_u128()) {
            t.divmod(dec_pow10[19]);
            n += 19;
        }
        return n + (t.is_zero() ? 0 : dec_digits(t.low128()));
    }

    // Bits [from, from + 64) as an integer (bits past the top read as zero).
    constexpr std::uint64_t bits_at(int from) const noexcept {
        const int idx = from / 64;
        const int sh = from % 64;
        auto at = [&](int i) -> std::uint64_t {
            return i >= 0 && i < size ? limb[static_cast<std::size_t>(i)] : 0;
        };
        if (sh == 0) return at(idx);
        return (at(idx) >> sh) | (at(idx + 1) << (64 - sh));
    }

    // True if any of bits [0, n) is set.
    constexpr bool any_bits_below(int n) const noexcept {
        for (int i = 0; i < size && n > 0; ++i, n -= 64) {
            const std::uint64_t mask = n >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << n) - 1);
            if ((limb[static_cast<std::size_t>(i)] & mask) != 0) return true;
        }
        return false;
    }

    constexpr bool shift_left(int n) noexcept {
        if (size == 0 || n == 0) return true;
        const int limbs = n / 64;
        const int sh = n % 64;
        const int new_size = size + limbs + 1;
        if (new_size > capacity) return false;
        for (int i = new_size - 1; i >= 0; --i) {
            const int src = i - limbs;
            const std::uint64_t hi = src >= 0 && src < size ? limb[static_cast<std::size_t>(src)] : 0;
            const std::uint64_t lo = src - 1 >= 0 && src - 1 < size ? limb[static_cast<std::size_t>(src - 1)] : 0;
            limb[static_cast<std::size_t>(i)] = sh == 0 ? hi : ((hi << sh) | (lo >> (64 - sh)));
        }
        size = new_size;
        trim();
        return true;
    }

    constexpr void trim() noexcept {
        while (size > 0 && limb[static_cast<std::size_t>(size - 1)] == 0) --size;
    }
};

}  // namespace tradewire::detail
