// Randomised properties of tradewire::decimal (fixed seeds, so failures reproduce):
// text round trips, comparison against exact integer and long double oracles,
// correctly rounded to_double against strtod, checked arithmetic against 128-bit
// integer arithmetic, and the defining inequalities of the rounding functions.
#include "catch.hpp"

#include <tradewire/core/decimal.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>

using tradewire::decimal;
using tradewire::decimal_error;
using tradewire::rounding;

namespace {

__extension__ typedef __int128 i128;

constexpr int iterations = 100000;

struct generator {
    std::mt19937_64 rng;
    explicit generator(std::uint64_t seed) : rng(seed) {}

    std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    }

    // Mantissas of every length (full 18 digits often), trailing zeros sometimes,
    // exponents mostly where prices live and sometimes anywhere in range.
    decimal any() {
        static constexpr int lengths[] = {0, 1, 1, 2, 3, 4, 6, 8, 10, 12, 15, 17, 18, 18, 18};
        const int digits = lengths[uniform(0, std::size(lengths) - 1)];
        std::int64_t m = 0;
        if (digits > 0) {
            std::int64_t lo = 1;
            for (int i = 1; i < digits; ++i) lo *= 10;
            m = uniform(lo, lo * 10 - 1);
            if (uniform(0, 3) == 0)
                while (m <= decimal::max_mantissa / 10 && uniform(0, 1) == 0) m *= 10;
            if (uniform(0, 1) == 0) m = -m;
        }
        const int r = static_cast<int>(uniform(0, 9));
        const int e = static_cast<int>(r < 6 ? uniform(-12, 2) : (r < 8 ? uniform(-25, 10) : uniform(-64, 64)));
        return decimal::from_parts(m, e).value;
    }
};

rounding any_mode(generator& g) { return static_cast<rounding>(g.uniform(0, 5)); }

int sign_of(i128 v) { return (v > 0) - (v < 0); }

i128 pow10_128(int k) {
    i128 p = 1;
    while (k-- > 0) p *= 10;
    return p;
}

// Exact value as an integer count of 10^base units, if base <= exponent and it fits.
i128 scaled_to(decimal d, int base) { return static_cast<i128>(d.mantissa()) * pow10_128(d.exponent() - base); }

}  // namespace

TEST_CASE("decimal property: text round trips") {
    generator g(0x5eed0001);
    char buf[decimal::max_fixed_chars];
    for (int i = 0; i < iterations; ++i) {
        const decimal x = g.any();
        CAPTURE(x.mantissa(), x.exponent());
        const std::size_t n = x.format(buf, sizeof buf);
        REQUIRE(n == x.format_size());
        REQUIRE(n <= decimal::max_chars);
        const auto back = decimal::parse(std::string_view(buf, n));
        REQUIRE(back);
        CHECK(back.value == x);
        // Shortest text parses back to the canonical form: trailing zeros gone, and
        // integers at exponent 0 when they fit.
        if (x.normalized().exponent() <= 0)
            CHECK(back.value.same_representation(x.normalized()));
        else
            CHECK(back.value.exponent() >= 0);

        const std::size_t s = x.format_scaled(buf, sizeof buf);
        REQUIRE(s == x.format_scaled_size());
        const auto back_scaled = decimal::parse(std::string_view(buf, s));
        REQUIRE(back_scaled);
        CHECK(back_scaled.value == x);
        if (x.exponent() <= 0) CHECK(back_scaled.value.same_representation(x));

        const int d = static_cast<int>(g.uniform(0, 20));
        const rounding mode = any_mode(g);
        const std::size_t f = x.format_fixed(buf, sizeof buf, d, mode);
        REQUIRE(f == x.format_fixed_size(d, mode));
        REQUIRE(f <= decimal::max_fixed_chars);
        const auto back_fixed = decimal::parse(std::string_view(buf, f));
        REQUIRE(back_fixed);
        CHECK(back_fixed.value == tradewire::round(x, d, mode).value);
        const char* point = static_cast<const char*>(std::memchr(buf, '.', f));
        CHECK((point ? static_cast<int>(buf + f - point - 1) : 0) == d);
    }
}

TEST_CASE("decimal property: comparison matches exact integer arithmetic") {
    generator g(0x5eed0002);
    const std::hash<decimal> h;
    for (int i = 0; i < iterations; ++i) {
        decimal a = g.any();
        decimal b = g.any();
        if (i % 4 == 0) {
            // Same value, another representation.
            const bool room = a.mantissa() <= decimal::max_mantissa / 10 &&
                              a.mantissa() >= -decimal::max_mantissa / 10 && a.exponent() > decimal::min_exponent;
            b = room ? decimal::from_parts(a.mantissa() * 10, a.exponent() - 1).value : a;
        } else if (i % 4 == 1) {
            // Separate statements: argument evaluation order differs between compilers.
            const std::int64_t dm = g.uniform(-2, 2);
            const int de = static_cast<int>(g.uniform(-1, 1));
            b = decimal::from_parts(a.mantissa() + dm, a.exponent() + de).value;
        }
        CAPTURE(a.mantissa(), a.exponent(), b.mantissa(), b.exponent());
        const int base = std::min(a.exponent(), b.exponent());
        if (std::max(a.exponent(), b.exponent()) - base > 19) continue;
        const int expect = sign_of(scaled_to(a, base) - scaled_to(b, base));
        const auto c = a <=> b;
        CHECK((c < 0 ? -1 : (c > 0 ? 1 : 0)) == expect);
        CHECK((a == b) == (expect == 0));
        CHECK((a < b) == (expect < 0));
        CHECK((b < a) == (expect > 0));
        if (expect == 0) CHECK(h(a) == h(b));
    }
}

TEST_CASE("decimal property: comparison agrees with long double where it is exact") {
    if (std::numeric_limits<long double>::digits < 64) return;  // needs x87 extended precision
    generator g(0x5eed0003);
    for (int i = 0; i < iterations; ++i) {
        // Integers below 10^19 < 2^64 are exact in a 64-bit significand.
        auto integer = [&g] {
            const std::int64_t m = g.uniform(-decimal::max_mantissa, decimal::max_mantissa);
            return decimal::from_parts(m, static_cast<int>(g.uniform(0, 1))).value;
        };
        const decimal a = integer();
        const decimal b = i % 3 == 0 ? decimal::from_parts(a.mantissa() / 10, 1).value  // near a when a.e == 0
                                     : integer();
        auto as_ld = [](decimal d) {
            return static_cast<long double>(d.mantissa()) * (d.exponent() == 1 ? 10.0L : 1.0L);
        };
        CAPTURE(a.mantissa(), a.exponent(), b.mantissa(), b.exponent());
        CHECK((a < b) == (as_ld(a) < as_ld(b)));
        CHECK((a == b) == (as_ld(a) == as_ld(b)));
    }
}

TEST_CASE("decimal property: to_double equals strtod of the text") {
    generator g(0x5eed0004);
    for (int i = 0; i < iterations; ++i) {
        const decimal x = g.any();
        const std::string text = x.to_string();
        CAPTURE(text);
        CHECK(x.to_double() == std::strtod(text.c_str(), nullptr));
    }
}

TEST_CASE("decimal property: checked add, sub and mul match 128-bit integer arithmetic") {
    generator g(0x5eed0005);
    int exact_adds = 0;
    for (int i = 0; i < iterations; ++i) {
        const decimal a = g.any();
        decimal b = g.any();
        if (i % 2 == 0)  // keep exponents close so the integer oracle applies often
            b = decimal::from_parts(b.mantissa(), a.exponent() + static_cast<int>(g.uniform(-18, 18))).value;
        CAPTURE(a.mantissa(), a.exponent(), b.mantissa(), b.exponent());

        const int base = std::min(a.exponent(), b.exponent());
        if (std::max(a.exponent(), b.exponent()) - base <= 18) {
            const i128 sum = scaled_to(a, base) + scaled_to(b, base);
            // Representable iff, without trailing zeros, it has at most 18 digits (the
            // exponent cannot leave the range here unless the sum is huge).
            i128 core = sum < 0 ? -sum : sum;
            int shift = 0;
            while (core != 0 && core % 10 == 0) {
                core /= 10;
                ++shift;
            }
            // An exponent above 64 can come down while the mantissa has room.
            const int excess = base + shift - decimal::max_exponent;
            const bool fits = core <= decimal::max_mantissa &&
                              (core == 0 || excess <= 0 || (excess <= 18 && core * pow10_128(excess) <= decimal::max_mantissa));
            const auto r = checked_add(a, b);
            CHECK(static_cast<bool>(r) == fits);
            if (r) {
                ++exact_adds;
                CHECK(r.value.exponent() >= base);
                CHECK(scaled_to(r.value, base) == sum);
                CHECK((a + b).same_representation(r.value));
                const auto back = checked_sub(r.value, b);
                REQUIRE(back);
                CHECK(back.value == a);
            } else {
                CHECK((r.ec == decimal_error::overflow || r.ec == decimal_error::exponent_out_of_range));
            }
            const auto d = checked_sub(a, b);
            if (d) CHECK(scaled_to(d.value, base) == scaled_to(a, base) - scaled_to(b, base));
        }

        const auto p = checked_mul(a, b);
        const i128 prod = static_cast<i128>(a.mantissa()) * b.mantissa();
        const int pe = a.exponent() + b.exponent();
        if (p && prod == 0) {
            CHECK(p.value.is_zero());  // a zero's exponent is clamped into range
        } else if (p) {
            // Same value: the exponent moved up (zeros dropped) or down (into range).
            const int k = p.value.exponent() - pe;
            if (k >= 0 && k <= 20) CHECK(static_cast<i128>(p.value.mantissa()) * pow10_128(k) == prod);
            if (k < 0 && k >= -20) CHECK(static_cast<i128>(p.value.mantissa()) == prod * pow10_128(-k));
            CHECK((a * b).same_representation(p.value));
        } else {
            CHECK(prod != 0);
        }
        // Commutativity, representation included.
        CHECK(checked_add(a, b).value.same_representation(checked_add(b, a).value));
        CHECK(checked_mul(a, b).value.same_representation(checked_mul(b, a).value));
    }
    CHECK(exact_adds > iterations / 4);
}

TEST_CASE("decimal property: round and round_to_increment bracket the value") {
    generator g(0x5eed0006);
    const decimal ticks[] = {decimal::parse("0.01").value, decimal::parse("0.00001").value,
                             decimal::parse("5").value,    decimal::parse("0.5").value,
                             decimal::parse("0.00025").value, decimal::parse("0.01000000").value,
                             decimal::parse("1e-8").value, decimal::parse("100").value};
    int checked = 0;
    for (int i = 0; i < iterations; ++i) {
        const decimal v = g.any();
        const decimal inc = ticks[g.uniform(0, std::size(ticks) - 1)];
        const rounding mode = any_mode(g);
        CAPTURE(v.mantissa(), v.exponent(), inc.mantissa(), inc.exponent(), static_cast<int>(mode));
        const auto r = round_to_increment(v, inc, mode);
        if (!r) {
            CHECK(r.ec == decimal_error::overflow);
            continue;
        }
        // Expressed in the increment's exponent when that fits.
        // A multiple of the increment (when the multiplier itself fits in 18 digits).
        const auto q = divide(r.value, inc, 0, rounding::toward_zero);
        if (q) CHECK(checked_mul(q.value, inc).value == r.value);
        if (r.value.exponent() != inc.exponent()) CHECK(r.value.exponent() > inc.exponent());
        const auto lo = checked_sub(r.value, inc);
        const auto hi = checked_add(r.value, inc);
        const auto diff = checked_sub(v, r.value);
        if (!lo || !hi || !diff) continue;
        ++checked;
        switch (mode) {
            case rounding::floor: CHECK((r.value <= v && v < hi.value)); break;
            case rounding::ceiling: CHECK((lo.value < v && v <= r.value)); break;
            case rounding::toward_zero: CHECK(tradewire::abs(r.value) <= tradewire::abs(v)); break;
            case rounding::away_from_zero: CHECK(tradewire::abs(r.value) >= tradewire::abs(v)); break;
            case rounding::half_away_from_zero:
            case rounding::half_even: {
                const auto twice = checked_add(diff.value, diff.value);
                if (twice) CHECK(tradewire::abs(twice.value) <= inc);
                break;
            }
        }
        if (mode == rounding::toward_zero || mode == rounding::away_from_zero) CHECK(tradewire::abs(diff.value) < inc);
    }
    CHECK(checked > iterations / 2);

    for (int i = 0; i < iterations; ++i) {
        const decimal v = g.any();
        const int d = static_cast<int>(g.uniform(-5, 20));
        CAPTURE(v.mantissa(), v.exponent(), d);
        const auto down = tradewire::round(v, d, rounding::floor);
        const auto up = tradewire::round(v, d, rounding::ceiling);
        REQUIRE(down);
        REQUIRE(up);
        CHECK(down.value <= v);
        CHECK(v <= up.value);
        const auto unit = decimal::from_parts(1, -d).value;
        const auto gap = checked_sub(up.value, down.value);
        if (gap) CHECK((gap.value.is_zero() || gap.value == unit));
        const auto nearest = tradewire::round(v, d, rounding::half_even);
        CHECK((nearest.value == down.value || nearest.value == up.value));
    }
}

TEST_CASE("decimal property: divide brackets the true quotient") {
    generator g(0x5eed0007);
    int checked = 0;
    for (int i = 0; i < iterations; ++i) {
        const decimal a = g.any();
        const decimal b = g.any();
        if (b.is_zero()) {
            CHECK(divide(a, b, 4, rounding::floor).ec == decimal_error::division_by_zero);
            continue;
        }
        const int d = static_cast<int>(g.uniform(0, 12));
        CAPTURE(a.mantissa(), a.exponent(), b.mantissa(), b.exponent(), d);
        const auto q = divide(a, b, d, rounding::floor);
        if (!q) continue;
        const decimal unit = decimal::from_parts(1, -d).value;
        const auto q_next = checked_add(q.value, unit);
        const auto lo = checked_mul(q.value, b);
        const auto hi = q_next ? checked_mul(q_next.value, b) : q_next;
        if (!lo || !hi) continue;
        ++checked;
        // floor(a / b): q*b <= a < (q + unit)*b when b > 0; reversed when b < 0.
        if (b.sign() > 0) {
            CHECK(lo.value <= a);
            CHECK(a < hi.value);
        } else {
            CHECK(lo.value >= a);
            CHECK(a > hi.value);
        }
        const auto c = divide(a, b, d, rounding::ceiling);
        REQUIRE(c);
        CHECK((c.value == q.value || c.value == q_next.value));
    }
    CHECK(checked > iterations / 10);
}
