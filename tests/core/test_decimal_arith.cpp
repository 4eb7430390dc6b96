// tradewire::decimal arithmetic: checked add/sub/mul, the operators' documented
// behaviour beyond 18 digits, rounding tables for every mode (negative numbers too),
// tick/lot rounding, rounded multiply and divide.
#include "catch.hpp"

#include <tradewire/core/decimal.hpp>

#include <cstdint>
#include <string>
#include <string_view>

using tradewire::decimal;
using tradewire::decimal_error;
using tradewire::decimal_result;
using tradewire::rounding;
using namespace tradewire::literals;

namespace {

decimal dec(std::string_view text) {
    const auto r = decimal::parse(text);
    INFO("parsing " << text);
    REQUIRE(r);
    return r.value;
}

decimal parts(std::int64_t m, int e) {
    const auto r = decimal::from_parts(m, e);
    REQUIRE(r);
    return r.value;
}

// "m e" of a successful result, or the error name, for readable table checks.
std::string rep(const decimal_result& r) {
    if (!r) return "error " + make_error_code(r.ec).message();
    return std::to_string(r.value.mantissa()) + "e" + std::to_string(r.value.exponent());
}

std::string rep(decimal d) { return std::to_string(d.mantissa()) + "e" + std::to_string(d.exponent()); }

const std::string overflow = "error " + make_error_code(decimal_error::overflow).message();
const std::string out_of_range = "error " + make_error_code(decimal_error::exponent_out_of_range).message();

constexpr rounding all_modes[] = {rounding::floor,          rounding::ceiling,           rounding::toward_zero,
                                  rounding::away_from_zero, rounding::half_away_from_zero, rounding::half_even};

}  // namespace

TEST_CASE("decimal arithmetic: checked_add keeps the smaller exponent") {
    CHECK(rep(checked_add(dec("16578.5"), dec("0.01"))) == "1657851e-2");
    CHECK(rep(checked_add(dec("16578.50"), dec("0"))) == "1657850e-2");
    CHECK(rep(checked_add(dec("16578.5"), dec("0.00"))) == "1657850e-2");
    CHECK(rep(checked_add(dec("0.00"), dec("16578.5"))) == "1657850e-2");
    CHECK(rep(checked_add(dec("1.5"), dec("-1.5"))) == "0e-1");
    CHECK(rep(checked_add(dec("1.50"), dec("-1.5"))) == "0e-2");
    CHECK(rep(checked_add(dec("-1"), dec("0.001"))) == "-999e-3");
    CHECK(rep(checked_add(dec("1e3"), dec("1"))) == "1001e0");
    CHECK(rep(checked_add(parts(1, 30), parts(1, 17))) == "10000000000001e17");
    CHECK(rep(checked_add(parts(1, -64), parts(1, -64))) == "2e-64");
    CHECK(rep(checked_add(parts(1, 60), parts(0, -60))) == "100000000000000000e43");  // as close to -60 as fits
    CHECK(checked_add(parts(1, 60), parts(0, -60)).value == parts(1, 60));
}

TEST_CASE("decimal arithmetic: checked_add at the 18-digit boundary") {
    const decimal max = parts(decimal::max_mantissa, 0);
    // max + 1 = 10^18: 19 digits, but a trailing zero drops exactly.
    CHECK(rep(checked_add(max, dec("1"))) == "100000000000000000e1");
    CHECK(rep(checked_add(-max, dec("-1"))) == "-100000000000000000e1");
    CHECK(rep(checked_add(max, dec("2"))) == overflow);
    CHECK(rep(checked_add(max, max)) == overflow);
    CHECK(rep(checked_add(max, dec("0.1"))) == overflow);
    CHECK(rep(checked_add(max, -max)) == "0e0");
    CHECK(rep(checked_add(dec("1e20"), dec("1e-20"))) == overflow);
    CHECK(rep(checked_add(parts(1, 60), parts(1, -60))) == overflow);
    CHECK(rep(checked_add(parts(1, 40), parts(1, 20))) == overflow);
    // Far apart but b's trailing zeros bring them together: exact.
    CHECK(checked_add(parts(1, 40), parts(100000000000000000, 6)).value == parts(100000000000000001, 23));
    // The largest value plus anything positive is out of range.
    CHECK(rep(checked_add(parts(decimal::max_mantissa, 64), parts(decimal::max_mantissa, 64))) == overflow);
    CHECK(rep(checked_add(parts(900000000000000000, 64), parts(100000000000000000, 64))) == out_of_range);
}

TEST_CASE("decimal arithmetic: checked_sub and negation") {
    CHECK(rep(checked_sub(dec("25.36520000"), dec("25.35190000"))) == "1330000e-8");
    CHECK(rep(checked_sub(dec("0"), dec("1.5"))) == "-15e-1");
    CHECK(rep(checked_sub(dec("-1.5"), dec("-1.5"))) == "0e-1");
    CHECK(rep(checked_sub(parts(-decimal::max_mantissa, 0), dec("1"))) == "-100000000000000000e1");
    CHECK(rep(checked_sub(parts(-decimal::max_mantissa, 0), dec("2"))) == overflow);
    CHECK(rep(-parts(decimal::max_mantissa, 64)) == "-999999999999999999e64");
    CHECK(rep(-dec("-0.5")) == "5e-1");
}

TEST_CASE("decimal arithmetic: checked_mul is exact or reports the failure") {
    CHECK(rep(checked_mul(dec("16578.50"), dec("0.00100000"))) == "165785000000e-10");
    CHECK(checked_mul(dec("16578.50"), dec("0.00100000")).value == dec("16.5785"));
    CHECK(checked_mul(dec("25.35190000"), dec("31.21000000")).value == dec("791.232799"));
    CHECK(rep(checked_mul(dec("-2"), dec("3"))) == "-6e0");
    CHECK(rep(checked_mul(dec("-2"), dec("-0.5"))) == "10e-1");
    CHECK(rep(checked_mul(dec("0"), dec("-0.5"))) == "0e-1");
    CHECK(rep(checked_mul(dec("1234.56789012"), dec("9876.54321098"))) == overflow);
    CHECK(rep(checked_mul(parts(1, -40), parts(1, -40))) == out_of_range);
    CHECK(rep(checked_mul(parts(1, 50), parts(1, 40))) == out_of_range);
    CHECK(rep(checked_mul(parts(1, 40), parts(1, 40))) == "10000000000000000e64");  // 10^80 fits
    CHECK(rep(checked_mul(parts(1, 40), parts(1, 24))) == "1e64");
    CHECK(rep(checked_mul(parts(1000, -40), parts(1000, -30))) == "1e-64");
    CHECK(rep(checked_mul(parts(0, -40), parts(0, -40))) == "0e-64");
    // 10^17 * 10^17 = 10^34: far too many digits, but all trailing zeros.
    CHECK(rep(checked_mul(parts(100000000000000000, 0), parts(100000000000000000, 0))) ==
          "100000000000000000e17");
    CHECK(rep(checked_mul(parts(decimal::max_mantissa, 0), parts(decimal::max_mantissa, 0))) == overflow);
}

TEST_CASE("decimal arithmetic: operators are exact when they can be and round otherwise") {
    CHECK(rep(dec("16578.5") + dec("0.01")) == "1657851e-2");
    CHECK(rep(dec("16578.5") - dec("0.01")) == "1657849e-2");
    CHECK(rep(dec("16578.50") * dec("2")) == "3315700e-2");
    decimal acc = dec("0");
    for (int i = 0; i < 10; ++i) acc += dec("0.1");
    CHECK(acc == dec("1"));
    acc -= dec("0.25");
    CHECK(acc == dec("0.75"));
    acc *= dec("4");
    CHECK(acc == dec("3"));

    // Beyond 18 digits: round half-even to 18 significant digits.
    CHECK((dec("1234.56789012") * dec("9876.54321098")) == dec("12193263.1136585886"));
    CHECK((dec("1e20") + dec("1e-20")) == dec("1e20"));
    CHECK((dec("1e20") - dec("1e-20")) == dec("1e20"));
    CHECK(rep(dec("0.1") + parts(decimal::max_mantissa, 0)) == "999999999999999999e0");
    CHECK(rep(dec("0.5") + parts(decimal::max_mantissa - 1, 0)) == "999999999999999998e0");  // tie, even
    CHECK(rep(dec("0.5") + parts(decimal::max_mantissa - 2, 0)) == "999999999999999998e0");  // tie, even
    CHECK(rep(dec("0.6") + parts(decimal::max_mantissa, 0)) == "100000000000000000e1");     // carry
    CHECK(rep(parts(1, 60) + parts(1, -60)) == "100000000000000000e43");
    CHECK(rep(parts(1, 60) - parts(1, -60)) == "100000000000000000e43");
    CHECK(rep(parts(-1, 60) - parts(1, -60)) == "-100000000000000000e43");
    CHECK(rep(parts(5, 60) + parts(-999999999999999999, 25)) == "499999999999999999e43");

    // The small end rounds to exponent -64 (ties to even); the large end saturates.
    CHECK(rep(parts(1, -64) * parts(1, -64)) == "0e-64");
    CHECK(rep(parts(5, -64) * parts(1, -1)) == "0e-64");
    CHECK(rep(parts(15, -64) * parts(1, -1)) == "2e-64");
    CHECK(rep(parts(-15, -64) * parts(1, -1)) == "-2e-64");
    const decimal big = parts(decimal::max_mantissa, 64);
    CHECK(rep(big * big) == "999999999999999999e64");
    CHECK(rep(-big * big) == "-999999999999999999e64");
    CHECK(rep(big + big) == "999999999999999999e64");
    CHECK(rep(-big - big) == "-999999999999999999e64");
}

TEST_CASE("decimal arithmetic: the rounding-mode table, negative numbers included") {
    // Values rounded to integers; columns follow all_modes:
    // floor, ceiling, toward_zero, away_from_zero, half_away_from_zero, half_even.
    struct row {
        const char* value;
        int expect[6];
    };
    const row rows[] = {
        {"5.5", {5, 6, 5, 6, 6, 6}},      {"2.5", {2, 3, 2, 3, 3, 2}},      {"1.6", {1, 2, 1, 2, 2, 2}},
        {"1.1", {1, 2, 1, 2, 1, 1}},      {"1.0", {1, 1, 1, 1, 1, 1}},      {"0.5", {0, 1, 0, 1, 1, 0}},
        {"0.49", {0, 1, 0, 1, 0, 0}},     {"-0.49", {-1, 0, 0, -1, 0, 0}},  {"-0.5", {-1, 0, 0, -1, -1, 0}},
        {"-1.0", {-1, -1, -1, -1, -1, -1}}, {"-1.1", {-2, -1, -1, -2, -1, -1}}, {"-1.6", {-2, -1, -1, -2, -2, -2}},
        {"-2.5", {-3, -2, -2, -3, -3, -2}}, {"-5.5", {-6, -5, -5, -6, -6, -6}}, {"3.5", {3, 4, 3, 4, 4, 4}},
        {"-3.5", {-4, -3, -3, -4, -4, -4}}, {"2.500000001", {2, 3, 2, 3, 3, 3}},
        {"-2.500000001", {-3, -2, -2, -3, -3, -3}}, {"0", {0, 0, 0, 0, 0, 0}},
        {"7", {7, 7, 7, 7, 7, 7}},
    };
    for (const auto& r : rows) {
        for (int i = 0; i < 6; ++i) {
            INFO(r.value << " mode " << i);
            const auto got = tradewire::round(dec(r.value), 0, all_modes[i]);
            REQUIRE(got);
            CHECK(got.value == decimal(r.expect[i]));
            CHECK(got.value.exponent() == 0);
        }
    }
}

TEST_CASE("decimal arithmetic: round to N decimals, including negative N") {
    using R = rounding;
    CHECK(rep(tradewire::round(dec("16578.545"), 2, R::half_even)) == "1657854e-2");
    CHECK(rep(tradewire::round(dec("16578.555"), 2, R::half_even)) == "1657856e-2");
    CHECK(rep(tradewire::round(dec("-16578.545"), 2, R::half_away_from_zero)) == "-1657855e-2");
    CHECK(rep(tradewire::round(dec("16578.5"), 2, R::half_even)) == "1657850e-2");  // padded
    CHECK(rep(tradewire::round(dec("16578.5"), 8, R::floor)) == "1657850000000e-8");
    CHECK(rep(tradewire::round(dec("16578"), -2, R::half_even)) == "166e2");
    CHECK(rep(tradewire::round(dec("16578"), -2, R::floor)) == "165e2");
    CHECK(rep(tradewire::round(dec("-16578"), -2, R::floor)) == "-166e2");
    CHECK(rep(tradewire::round(dec("0.001"), 2, R::half_even)) == "0e-2");
    CHECK(rep(tradewire::round(dec("0.001"), 2, R::ceiling)) == "1e-2");
    CHECK(rep(tradewire::round(dec("-0.001"), 2, R::floor)) == "-1e-2");
    CHECK(rep(tradewire::round(dec("-0.001"), 2, R::ceiling)) == "0e-2");
    CHECK(rep(tradewire::round(parts(decimal::max_mantissa, -18), 0, R::half_even)) == "1e0");
    CHECK(rep(tradewire::round(parts(decimal::max_mantissa, -18), 17, R::half_even)) == "100000000000000000e-17");
    CHECK(rep(tradewire::round(parts(1, -64), 0, R::ceiling)) == "1e0");
    CHECK(rep(tradewire::round(parts(1, -64), 0, R::half_away_from_zero)) == "0e0");
    CHECK(rep(tradewire::round(parts(decimal::max_mantissa, 0), 2, R::half_even)) == "999999999999999999e0");
    CHECK(rep(tradewire::round(parts(1, 64), -64, R::half_even)) == "1e64");
    CHECK(rep(tradewire::round(parts(4, 63), -64, R::half_even)) == "0e64");
    CHECK(rep(tradewire::round(parts(5, 63), -64, R::half_away_from_zero)) == "1e64");
    CHECK(rep(tradewire::round(dec("1"), 65, R::half_even)) == out_of_range);
    CHECK(rep(tradewire::round(dec("1"), -65, R::half_even)) == out_of_range);
}

TEST_CASE("decimal arithmetic: round_to_increment for ticks and lots") {
    using R = rounding;
    const decimal tick = dec("0.01");
    CHECK(rep(round_to_increment(dec("16578.537"), tick, R::floor)) == "1657853e-2");
    CHECK(rep(round_to_increment(dec("16578.537"), tick, R::ceiling)) == "1657854e-2");
    CHECK(rep(round_to_increment(dec("16578.537"), tick, R::half_even)) == "1657854e-2");
    CHECK(rep(round_to_increment(dec("16578.535"), tick, R::half_even)) == "1657854e-2");
    CHECK(rep(round_to_increment(dec("16578.525"), tick, R::half_even)) == "1657852e-2");
    CHECK(rep(round_to_increment(dec("-16578.537"), tick, R::floor)) == "-1657854e-2");
    CHECK(rep(round_to_increment(dec("-16578.537"), tick, R::toward_zero)) == "-1657853e-2");
    // Already on the grid: the value, expressed with the tick's decimals.
    CHECK(rep(round_to_increment(dec("16578.5"), tick, R::floor)) == "1657850e-2");
    CHECK(rep(round_to_increment(dec("16578"), tick, R::floor)) == "1657800e-2");
    // Binance sends tick sizes as "0.01000000": the result carries 8 decimals.
    CHECK(rep(round_to_increment(dec("16578.537"), dec("0.01000000"), R::floor)) == "1657853000000e-8");
    // Lot size.
    CHECK(rep(round_to_increment(dec("0.123456789"), dec("0.00001"), R::toward_zero)) == "12345e-5");
    CHECK(rep(round_to_increment(dec("0.000004"), dec("0.00001"), R::toward_zero)) == "0e-5");
    // Ticks that are not powers of ten.
    CHECK(rep(round_to_increment(dec("12"), dec("5"), R::floor)) == "10e0");
    CHECK(rep(round_to_increment(dec("12"), dec("5"), R::ceiling)) == "15e0");
    CHECK(rep(round_to_increment(dec("12.5"), dec("5"), R::half_even)) == "10e0");
    CHECK(rep(round_to_increment(dec("12.5"), dec("5"), R::half_away_from_zero)) == "15e0");
    CHECK(rep(round_to_increment(dec("-12.5"), dec("5"), R::half_away_from_zero)) == "-15e0");
    CHECK(rep(round_to_increment(dec("2.75"), dec("0.5"), R::half_even)) == "30e-1");
    CHECK(rep(round_to_increment(dec("2.25"), dec("0.5"), R::half_even)) == "20e-1");
    CHECK(rep(round_to_increment(dec("2.26"), dec("0.5"), R::half_even)) == "25e-1");
    CHECK(rep(round_to_increment(dec("0.0007"), dec("0.00025"), R::half_even)) == "75e-5");
    // Far-apart exponents.
    CHECK(rep(round_to_increment(parts(1, 20), tick, R::floor)) == "100000000000000000e3");
    CHECK(rep(round_to_increment(parts(1, -60), tick, R::ceiling)) == "1e-2");
    CHECK(rep(round_to_increment(parts(1, -60), tick, R::half_even)) == "0e-2");
    CHECK(rep(round_to_increment(parts(-1, -60), tick, R::floor)) == "-1e-2");
    CHECK(rep(round_to_increment(parts(1, 40), dec("3"), R::floor)) == overflow);
    CHECK(rep(round_to_increment(parts(1, 19), dec("30"), R::floor)) == "999999999999999999e1");
    CHECK(rep(round_to_increment(parts(123456789012345678, 0), dec("0.7"), R::floor)) == overflow);
    // Invalid increments.
    CHECK(round_to_increment(dec("1"), dec("0"), R::floor).ec == decimal_error::invalid_increment);
    CHECK(round_to_increment(dec("1"), dec("-0.01"), R::floor).ec == decimal_error::invalid_increment);
    CHECK(rep(round_to_increment(dec("0"), tick, R::floor)) == "0e-2");
}

TEST_CASE("decimal arithmetic: multiply rounded to a scale (notional)") {
    using R = rounding;
    CHECK(rep(multiply(dec("16578.5"), dec("0.00123456"), 2, R::half_even)) == "2047e-2");
    CHECK(rep(multiply(dec("16578.5"), dec("0.00123456"), 4, R::floor)) == "204671e-4");
    CHECK(rep(multiply(dec("-16578.5"), dec("0.00123456"), 4, R::floor)) == "-204672e-4");
    CHECK(rep(multiply(dec("25.35190000"), dec("31.21000000"), 8, R::half_even)) == "79123279900e-8");
    CHECK(rep(multiply(dec("1234.56789012"), dec("9876.54321098"), 8, R::half_even)) == "1219326311365859e-8");
    CHECK(rep(multiply(dec("0.5"), dec("0.5"), 1, R::half_even)) == "2e-1");
    CHECK(rep(multiply(dec("0.5"), dec("0.5"), 1, R::half_away_from_zero)) == "3e-1");
    CHECK(rep(multiply(dec("2"), dec("3"), 2, R::half_even)) == "600e-2");
    CHECK(rep(multiply(parts(1, -64), parts(1, -64), 64, R::ceiling)) == "1e-64");
    CHECK(rep(multiply(parts(decimal::max_mantissa, 0), parts(decimal::max_mantissa, 0), 0, R::floor)) == overflow);
    CHECK(rep(multiply(dec("1"), dec("1"), 65, R::floor)) == out_of_range);
}

TEST_CASE("decimal arithmetic: divide rounds the exact quotient") {
    using R = rounding;
    CHECK(rep(divide(dec("1"), dec("3"), 8, R::half_even)) == "33333333e-8");
    CHECK(rep(divide(dec("2"), dec("3"), 8, R::half_even)) == "66666667e-8");
    CHECK(rep(divide(dec("2"), dec("3"), 8, R::floor)) == "66666666e-8");
    CHECK(rep(divide(dec("-2"), dec("3"), 8, R::floor)) == "-66666667e-8");
    CHECK(rep(divide(dec("2"), dec("-3"), 8, R::toward_zero)) == "-66666666e-8");
    CHECK(rep(divide(dec("10"), dec("4"), 0, R::half_even)) == "2e0");
    CHECK(rep(divide(dec("14"), dec("4"), 0, R::half_even)) == "4e0");
    CHECK(rep(divide(dec("10"), dec("4"), 0, R::half_away_from_zero)) == "3e0");
    CHECK(rep(divide(dec("10"), dec("4"), 2, R::half_even)) == "250e-2");
    // Average of two prices.
    CHECK(rep(divide(dec("16578.50") + dec("16578.53"), dec("2"), 3, R::half_even)) == "16578515e-3");
    CHECK(rep(divide(parts(123456789012345678, 0), dec("7"), 1, R::half_even)) == "176366841446208111e-1");
    CHECK(rep(divide(parts(123456789012345678, 0), dec("7"), 2, R::half_even)) == overflow);
    CHECK(rep(divide(dec("1"), dec("0.001"), 0, R::half_even)) == "1000e0");
    CHECK(rep(divide(dec("0"), dec("7"), 4, R::half_even)) == "0e-4");
    CHECK(rep(divide(parts(1, 64), parts(1, -64), 0, R::half_even)) == out_of_range);  // 10^128
    CHECK(rep(divide(parts(1, 64), parts(3, -64), 0, R::half_even)) == overflow);
    CHECK(rep(divide(parts(1, 64), parts(1, 46), 0, R::half_even)) == "100000000000000000e1");  // 10^18
    CHECK(rep(divide(parts(1, -64), parts(1, 64), 64, R::half_even)) == "0e-64");
    CHECK(rep(divide(parts(1, -64), parts(1, 64), 64, R::ceiling)) == "1e-64");
    CHECK(divide(dec("1"), dec("0"), 2, R::half_even).ec == decimal_error::division_by_zero);
    CHECK(divide(dec("0"), dec("0.000"), 2, R::half_even).ec == decimal_error::division_by_zero);
    CHECK(divide(dec("1"), dec("3"), 65, R::half_even).ec == decimal_error::exponent_out_of_range);
    // Exact quotients with a huge scale factor still come back exact.
    CHECK(divide(parts(1, 30), dec("8"), 0, R::half_even).value == dec("125000000000000000000000000000"));
}
