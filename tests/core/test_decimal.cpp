// tradewire::decimal: type properties, parsing (accepted forms, every error class,
// boundaries), comparison, hashing, formatting, double conversion and venue samples.
#include "catch.hpp"

#include <tradewire/core/decimal.hpp>

#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <vector>

using tradewire::decimal;
using tradewire::decimal_error;
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

std::string scaled(decimal d) {
    char buf[decimal::max_chars];
    return std::string(buf, d.format_scaled(buf, sizeof buf));
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Type properties

static_assert(sizeof(decimal) <= 16);
static_assert(std::is_trivially_copyable_v<decimal>);
static_assert(std::is_nothrow_copy_constructible_v<decimal>);
static_assert(std::is_standard_layout_v<decimal>);
static_assert(decimal::max_chars == 83);
static_assert(decimal::max_fixed_chars == 148);

// constexpr end to end: parse, compare, arithmetic, rounding and formatting at compile time.
static_assert((16578.50_dec).mantissa() == 1657850 && (16578.50_dec).exponent() == -2);
static_assert(16578.50_dec == 16578.5_dec);
static_assert(!(16578.50_dec).same_representation(16578.5_dec));
static_assert((16578.50_dec).scale() == 2);
static_assert(0.00100000_dec < 0.0011_dec);
static_assert(1e-8_dec == 0.00000001_dec);
static_assert((16578.5_dec + 0.01_dec) == 16578.51_dec);
static_assert((16578.5_dec * 0.001_dec) == 16.5785_dec);
static_assert(-1.5_dec < 1.5_dec);
static_assert(tradewire::round_to_increment(16578.537_dec, 0.01_dec, rounding::floor).value == 16578.53_dec);
static_assert(decimal(7) == 7_dec);
static_assert(decimal::parse("45281.0").value.format_scaled_size() == 7);
static_assert([] {
    char buf[decimal::max_chars] = {};
    const std::size_t n = (0.00100000_dec).format(buf, sizeof buf);
    return std::string_view(buf, n) == "0.001";
}());

TEST_CASE("decimal: default value is zero and small integers convert implicitly-free") {
    constexpr decimal zero;
    CHECK(zero.is_zero());
    CHECK(zero.mantissa() == 0);
    CHECK(zero.exponent() == 0);
    CHECK(zero.sign() == 0);
    CHECK(decimal(-5).sign() == -1);
    CHECK(decimal(5u).mantissa() == 5);
    CHECK(decimal(std::numeric_limits<std::int32_t>::min()).mantissa() == std::numeric_limits<std::int32_t>::min());
    CHECK(decimal(std::numeric_limits<std::uint32_t>::max()).mantissa() == 4294967295LL);
    static_assert(!std::is_convertible_v<int, decimal>, "integer construction is explicit");
    static_assert(!std::is_constructible_v<decimal, std::int64_t>, "64-bit integers go through from_integer");
}

// ---------------------------------------------------------------------------------------
// Parsing: accepted forms keep the representation as sent

TEST_CASE("decimal: parses what venues send, keeping the decimals as sent") {
    struct row {
        const char* text;
        std::int64_t mantissa;
        int exponent;
    };
    const row rows[] = {
        {"0.00100000", 100000, -8},      // Binance quantities
        {"16578.50", 1657850, -2},       // Bybit price
        {"45281.0", 452810, -1},         // Kraken JSON number, checksum needs the ".0"
        {"25.35190000", 2535190000, -8},  // Binance bookTicker
        {"100", 100, 0},
        {"0", 0, 0},
        {"-1.5", -15, -1},
        {"+2", 2, 0},
        {".5", 5, -1},
        {"5.", 5, 0},
        {"-.5", -5, -1},
        {"007", 7, 0},
        {"-0", 0, 0},
        {"-0.0", 0, -1},
        {"0.00", 0, -2},
        {"1e-8", 1, -8},                 // JSON exponent forms (Kraken, HTX)
        {"1E-8", 1, -8},
        {"1.5E+3", 1500, 0},             // integers in exponent form become exponent 0
        {"1.5e3", 1500, 0},
        {"-2.5e-7", -25, -8},
        {"2.5e+0", 25, -1},
        {"1.e5", 100000, 0},
        {"12e-2", 12, -2},
        {"0.1e1", 1, 0},
        {"1e000000000000000000005", 100000, 0},
        {"3.1279664455029423", 31279664455029423, -16},  // HTX ticker, 17 digits
        {"1030630905.0136755", 10306309050136755, -7},
        {"645.140000000000000000", 645140000000000000, -15},  // HTX MBP: zeros past 18 digits dropped
    };
    for (const auto& r : rows) {
        INFO(r.text);
        const auto p = decimal::parse(r.text);
        REQUIRE(p);
        CHECK(p.position == std::strlen(r.text));
        CHECK_FALSE(p.inexact);
        CHECK(p.value.mantissa() == r.mantissa);
        CHECK(p.value.exponent() == r.exponent);
    }
}

TEST_CASE("decimal: digit runs of every length and split parse exactly (8-byte scanning)") {
    // The parser reads eight characters at a time; runs that end at every offset, texts
    // shorter and longer than eight characters, and bytes adjacent to '0'..'9' or above
    // 0x7F right after the digits must all behave like a digit-by-digit reference.
    const char digits[] = "7319846205";
    const char terminators[] = {'/', ':', '\0', ' ', 'x', '\x80', '\xb0', '\xb9', '\xff', '"'};
    for (int int_len = 0; int_len <= 18; ++int_len) {
        for (int frac_len = 0; frac_len + int_len <= 18; ++frac_len) {
            std::string text;
            std::int64_t m = 0;
            for (int i = 0; i < int_len; ++i) {
                text += digits[(i * 3 + frac_len) % 10];
                m = m * 10 + (text.back() - '0');
            }
            if (frac_len > 0) text += '.';
            for (int i = 0; i < frac_len; ++i) {
                text += digits[(i * 7 + int_len) % 10];
                m = m * 10 + (text.back() - '0');
            }
            if (text.empty()) continue;
            INFO(text);
            const auto p = decimal::parse(text);
            REQUIRE(p);
            CHECK(p.value.mantissa() == m);
            CHECK(p.value.exponent() == -frac_len);
            for (char t : terminators) {
                const std::string with = text + t + "123456789";
                INFO("terminator " << static_cast<int>(static_cast<unsigned char>(t)));
                const auto q = decimal::from_chars(with.data(), with.data() + with.size());
                REQUIRE(q);
                CHECK(q.position == text.size());
                CHECK(q.value.same_representation(p.value));
                CHECK(decimal::parse(with).ec == decimal_error::invalid_character);
            }
            // The same text inside a longer buffer: only [first, last) may be read.
            const std::string padded = "99999999" + text + "99999999";
            const auto r = decimal::parse(std::string_view(padded).substr(8, text.size()));
            REQUIRE(r);
            CHECK(r.value.same_representation(p.value));
        }
    }
}

TEST_CASE("decimal: 18 significant digits is the limit, zeros beyond it are dropped exactly") {
    CHECK(dec("999999999999999999").mantissa() == 999999999999999999);
    CHECK(dec("-999999999999999999").mantissa() == -999999999999999999);
    CHECK(dec("0.999999999999999999").exponent() == -18);
    CHECK(dec("0.000000000000000000000000000001").same_representation(parts(1, -30)));
    CHECK(dec("000000000000000000000000000000000123.4").same_representation(parts(1234, -1)));
    // 10^18 has 19 digits, the last a zero: dropped into the exponent.
    CHECK(dec("1000000000000000000").same_representation(parts(100000000000000000, 1)));
    CHECK(dec("1" + std::string(40, '0')).same_representation(parts(100000000000000000, 23)));
    CHECK(dec("1." + std::string(40, '0')).same_representation(parts(100000000000000000, -17)));
    CHECK(dec("1." + std::string(40, '0')) == 1_dec);

    const auto too_many = decimal::parse("9223372036854775807");  // INT64_MAX: 19 digits
    CHECK(too_many.ec == decimal_error::too_many_digits);
    CHECK(too_many.position == 18);
    const auto frac = decimal::parse("0.0001234567890123456789");
    CHECK(frac.ec == decimal_error::too_many_digits);
    CHECK(frac.position == 23);
    // A non-zero digit after dropped zeros is still an error, reported where it is.
    const auto late = decimal::parse("1.0000000000000000000001");
    CHECK(late.ec == decimal_error::too_many_digits);
    CHECK(late.position == 23);
}

TEST_CASE("decimal: round_excess_digits rounds half-even to 18 digits and reports inexact") {
    const tradewire::parse_options round{.round_excess_digits = true};
    auto p = decimal::parse("26.755973959140651643", round);  // HTX MBP quantity, 20 digits
    REQUIRE(p);
    CHECK(p.inexact);
    CHECK(p.value.same_representation(parts(267559739591406516, -16)));

    p = decimal::parse("0.12345678901234567850", round);  // tie, even stays
    REQUIRE(p);
    CHECK(p.value == dec("0.123456789012345678"));
    p = decimal::parse("0.12345678901234567950", round);  // tie, odd goes up
    CHECK(p.value == dec("0.12345678901234568"));
    p = decimal::parse("0.123456789012345678501", round);  // above the tie
    CHECK(p.value == dec("0.123456789012345679"));
    p = decimal::parse("999999999999999999.5", round);  // carry into a 19th digit
    REQUIRE(p);
    CHECK(p.value.same_representation(parts(100000000000000000, 1)));
    p = decimal::parse("123456789012345678901", round);  // excess integer digits scale up
    CHECK(p.value.same_representation(parts(123456789012345679, 3)));
    p = decimal::parse("645.140000000000000000", round);  // dropped zeros are exact
    CHECK_FALSE(p.inexact);
    p = decimal::parse("1.5", round);
    CHECK_FALSE(p.inexact);
}

TEST_CASE("decimal: exponent range is [-64, 64] after exact normalisation") {
    CHECK(dec("1e-64").same_representation(parts(1, -64)));
    CHECK(dec("10e-65").same_representation(parts(1, -64)));
    CHECK(dec("1e64").same_representation(parts(100000000000000000, 47)));
    CHECK(dec("999999999999999999e64").same_representation(parts(999999999999999999, 64)));
    CHECK(dec("0e-999").same_representation(parts(0, -64)));  // zero is exact at any exponent
    CHECK(dec("0e999").exponent() == 64);
    CHECK(dec("0." + std::string(100, '0')).exponent() == -64);

    for (const char* text : {"1e-65", "1e83", "999999999999999999e65", "1e999999999999", "1e-999999999999",
                             "0.00000000000000000000000000000000000000000000000000000000000000001"}) {
        INFO(text);
        const auto p = decimal::parse(text);
        CHECK(p.ec == decimal_error::exponent_out_of_range);
        CHECK(p.position == 0);
    }
}

TEST_CASE("decimal: every malformed input has its own error and position") {
    struct row {
        std::string_view text;
        decimal_error ec;
        std::size_t position;
    };
    using E = decimal_error;
    const row rows[] = {
        {"", E::empty, 0},
        {"1.2.3", E::multiple_points, 3},
        {"1..2", E::multiple_points, 2},
        {"..", E::missing_digits, 1},
        {"-", E::missing_digits, 1},
        {"+", E::missing_digits, 1},
        {".", E::missing_digits, 1},
        {"-.", E::missing_digits, 2},
        {".e5", E::missing_digits, 1},
        {"e5", E::missing_digits, 0},
        {"-e5", E::missing_digits, 1},
        {"1e", E::missing_exponent_digits, 2},
        {"1E", E::missing_exponent_digits, 2},
        {"1e+", E::missing_exponent_digits, 3},
        {"1e-", E::missing_exponent_digits, 3},
        {"1ex", E::missing_exponent_digits, 2},
        {"1e+-5", E::missing_exponent_digits, 3},
        {"1.5x", E::invalid_character, 3},
        {" 1", E::invalid_character, 0},
        {"1 ", E::invalid_character, 1},
        {"1\n", E::invalid_character, 1},
        {"abc", E::invalid_character, 0},
        {"-abc", E::invalid_character, 1},
        {"--1", E::invalid_character, 1},
        {"+-1", E::invalid_character, 1},
        {"inf", E::invalid_character, 0},
        {"nan", E::invalid_character, 0},
        {"NaN", E::invalid_character, 0},
        {"0x10", E::invalid_character, 1},
        {"1_000", E::invalid_character, 1},
        {"1,5", E::invalid_character, 1},
        {"1'000", E::invalid_character, 1},
        {"1e5.5", E::invalid_character, 3},
        {"1.5e3e", E::invalid_character, 5},
        {"1e5e5", E::invalid_character, 3},
        {"\"1\"", E::invalid_character, 0},
        {std::string_view("1\0", 2), E::invalid_character, 1},
        {"\xd9\xa1", E::invalid_character, 0},  // ARABIC-INDIC DIGIT ONE
        {"1234567890123456789", E::too_many_digits, 18},
        {"1e65536", E::exponent_out_of_range, 0},
    };
    for (const auto& r : rows) {
        INFO("text: \"" << std::string(r.text) << "\"");
        const auto p = decimal::parse(r.text);
        CHECK_FALSE(p);
        CHECK(p.ec == r.ec);
        CHECK(p.position == r.position);
        CHECK(p.value.is_zero());
    }
}

TEST_CASE("decimal: plain_only accepts exactly the text format_scaled writes") {
    const tradewire::parse_options plain{.plain_only = true};
    for (const char* text : {"0", "-0", "0.5", "-0.5", "16578.50", "0.00100000", "45281.0", "100", "-1.5",
                             "0.0", "999999999999999999", "25.35190000"}) {
        INFO(text);
        const auto p = decimal::parse(text, plain);
        REQUIRE(p);
        if (std::string_view(text) != "-0") CHECK(scaled(p.value) == text);  // zero has no sign
        CHECK(p.value.same_representation(dec(text)));
    }
    struct row {
        const char* text;
        decimal_error ec;
        std::size_t position;
    };
    using E = decimal_error;
    const row rows[] = {
        {"+2", E::invalid_character, 0},     {".5", E::missing_digits, 0},       {"-.5", E::missing_digits, 1},
        {"5.", E::missing_digits, 2},        {"5.x", E::missing_digits, 2},      {"007", E::invalid_character, 1},
        {"00.5", E::invalid_character, 1},   {"-01", E::invalid_character, 2},   {"1e-8", E::invalid_character, 1},
        {"1.5E+3", E::invalid_character, 3}, {"", E::empty, 0},                  {"-", E::missing_digits, 1},
        {".", E::missing_digits, 0},         {"1.2.3", E::multiple_points, 3},   {" 1", E::invalid_character, 0},
        {"0000000000000000001.5", E::invalid_character, 1},
    };
    for (const auto& r : rows) {
        INFO(r.text);
        const auto p = decimal::parse(r.text, plain);
        CHECK(p.ec == r.ec);
        CHECK(p.position == r.position);
    }
    // Long plain text still drops excess zeros (visible in the scale) and can round.
    CHECK(decimal::parse("645.140000000000000000", plain).value.scale() == 15);
    CHECK(decimal::parse("26.755973959140651643", {.round_excess_digits = true, .plain_only = true}).inexact);
    // Prefix mode: an exponent marker simply ends the number.
    const auto q = decimal::parse("1.5e3", {.allow_trailing = true, .plain_only = true});
    REQUIRE(q);
    CHECK(q.position == 3);
    CHECK(q.value == dec("1.5"));
}

TEST_CASE("decimal: from_chars stops at the end of the number like std::from_chars") {
    auto prefix = [](std::string_view t) { return decimal::from_chars(t.data(), t.data() + t.size()); };
    auto p = prefix("45281.0}");
    REQUIRE(p);
    CHECK(p.position == 7);
    CHECK(p.value.same_representation(parts(452810, -1)));
    p = prefix("0.5657,\"qty\"");
    CHECK(p.position == 6);
    p = prefix("1.5.3");
    CHECK(p.position == 3);
    CHECK(p.value == 1.5_dec);
    p = prefix("-2.5e-7]");
    CHECK(p.position == 7);
    CHECK(p.value == -0.00000025_dec);
    p = prefix("100 ");
    CHECK(p.position == 3);
    // No number at the start, or an exponent marker without digits: errors, no backtracking.
    CHECK(prefix("x1").ec == decimal_error::invalid_character);
    CHECK(prefix("").ec == decimal_error::empty);
    CHECK(prefix("1e}").ec == decimal_error::missing_exponent_digits);
    CHECK(prefix("-}").ec == decimal_error::invalid_character);
    CHECK(prefix("-").ec == decimal_error::missing_digits);
    CHECK(decimal::parse("45281.0}", {.allow_trailing = true}).position == 7);
}

// ---------------------------------------------------------------------------------------
// Construction from parts and integers

TEST_CASE("decimal: from_parts and from_integer check the limits") {
    constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();
    CHECK(decimal::from_parts(i64_max, 0).ec == decimal_error::overflow);
    CHECK(decimal::from_parts(i64_min, 0).ec == decimal_error::overflow);
    CHECK(decimal::from_integer(i64_max).ec == decimal_error::overflow);
    CHECK(decimal::from_integer(i64_min).ec == decimal_error::overflow);
    CHECK(decimal::from_integer(decimal::max_mantissa).value.mantissa() == decimal::max_mantissa);
    CHECK(decimal::from_integer(-decimal::max_mantissa).value.mantissa() == -decimal::max_mantissa);
    // 19 digits ending in zero, and exponents moved into range, are exact.
    CHECK(decimal::from_integer(1000000000000000000).value.same_representation(parts(100000000000000000, 1)));
    CHECK(decimal::from_integer(-9223372036854775800).value.same_representation(parts(-922337203685477580, 1)));
    CHECK(decimal::from_parts(1, 65).value.same_representation(parts(10, 64)));
    CHECK(decimal::from_parts(5000000, -70).value.same_representation(parts(5, -64)));
    CHECK(decimal::from_parts(0, 1000).value.same_representation(parts(0, 64)));
    CHECK(decimal::from_parts(0, std::numeric_limits<int>::min()).value.exponent() == -64);
    CHECK(decimal::from_parts(5, -65).ec == decimal_error::exponent_out_of_range);
    CHECK(decimal::from_parts(1, 83).ec == decimal_error::exponent_out_of_range);
    CHECK(decimal::from_parts(1, std::numeric_limits<int>::max()).ec == decimal_error::exponent_out_of_range);
    CHECK(decimal::from_parts(1, std::numeric_limits<int>::min()).ec == decimal_error::exponent_out_of_range);
    CHECK(decimal::from_parts(1657850, -2).value.same_representation(16578.50_dec));
}

// ---------------------------------------------------------------------------------------
// Comparison and hashing

TEST_CASE("decimal: comparison is by value across exponents") {
    CHECK(dec("16578.50") == dec("16578.5"));
    CHECK(dec("1.50") == dec("1.5000000000"));
    CHECK(dec("0") == dec("0.000"));
    CHECK(dec("-0") == dec("0e-64"));
    CHECK(dec("100") == dec("1e2"));
    CHECK(parts(1, 2) == parts(100, 0));
    CHECK(dec("0.001") < dec("0.0011"));
    CHECK(dec("-0.0011") < dec("-0.001"));
    CHECK(dec("-1") < dec("0"));
    CHECK(dec("0") < dec("1e-64"));
    CHECK(dec("-1e-64") < dec("0"));
    CHECK(dec("16578.49") < dec("16578.5"));
    CHECK(dec("16578.5") > dec("16578.49999999"));
    CHECK(dec("16578.5") != dec("16578.50000001"));
    CHECK(dec("16578.5") <= dec("16578.50"));
    CHECK(dec("16578.5") >= dec("16578.50"));
    // Far-apart exponents and full 18-digit mantissas: no overflow when aligning.
    CHECK(parts(999999999999999999, 0) < parts(1, 18));
    CHECK(parts(1, 18) == parts(1000000000000000, 3));
    CHECK(parts(999999999999999999, 45) < parts(1, 64));
    CHECK(parts(1, 64) > parts(999999999999999999, 46));
    CHECK(parts(1, 64) < parts(999999999999999999, 47));
    CHECK(parts(-1, 64) < parts(-999999999999999999, 46));
    CHECK(parts(1, -64) < parts(999999999999999999, -64));
    CHECK(parts(999999999999999999, -64) < parts(1, -46));
    CHECK(parts(100000000000000000, -64) == parts(1, -47));
    CHECK(parts(-1, 5) < parts(-999999999999999999, -13));
    CHECK(parts(999999999999999999, -18) < parts(1, 0));
    CHECK(parts(999999999999999999, -18) > parts(999999999999999998, -18));
    CHECK((dec("1.5") <=> dec("1.50")) == std::weak_ordering::equivalent);
    CHECK((dec("-2") <=> dec("1")) == std::weak_ordering::less);
    CHECK((-16578.5_dec).sign() == -1);
    CHECK(tradewire::abs(-16578.5_dec) == 16578.5_dec);
    CHECK(tradewire::abs(16578.5_dec) == 16578.5_dec);
    CHECK((-decimal{}).is_zero());
}

TEST_CASE("decimal: std::hash agrees with value equality") {
    const std::hash<decimal> h;
    CHECK(h(dec("1.50")) == h(dec("1.5")));
    CHECK(h(dec("0")) == h(dec("-0.000")));
    CHECK(h(dec("100")) == h(parts(1, 2)));
    CHECK(h(dec("-16578.5")) == h(dec("-16578.500000")));
    CHECK(h(dec("1.5")) != h(dec("-1.5")));
    CHECK(h(dec("1.5")) != h(dec("15")));
    std::unordered_set<decimal> set{dec("1.5"), dec("1.50"), dec("1.500"), dec("2"), dec("2.0"), parts(20, -1)};
    CHECK(set.size() == 2);
    CHECK(set.count(dec("1.5000000")) == 1);
    CHECK(dec("16578.50").normalized().same_representation(parts(165785, -1)));
    CHECK(dec("0.000").normalized().same_representation(decimal{}));
}

// ---------------------------------------------------------------------------------------
// Formatting

TEST_CASE("decimal: shortest and scaled text") {
    struct row {
        const char* in;
        const char* shortest;
        const char* as_scaled;
    };
    const row rows[] = {
        {"0.00100000", "0.001", "0.00100000"},
        {"16578.50", "16578.5", "16578.50"},
        {"45281.0", "45281", "45281.0"},
        {"100", "100", "100"},
        {"1e-8", "0.00000001", "0.00000001"},
        {"-0.0", "0", "0.0"},
        {"-0", "0", "0"},
        {"1.5E+3", "1500", "1500"},
        {"-2.5e-7", "-0.00000025", "-0.00000025"},
        {"0.5", "0.5", "0.5"},
        {"-0.05", "-0.05", "-0.05"},
        {"10", "10", "10"},
        {"1e20", "100000000000000000000", "100000000000000000000"},
        {"123456789012345678", "123456789012345678", "123456789012345678"},
        {"0.123456789012345678", "0.123456789012345678", "0.123456789012345678"},
        {"1234567.8", "1234567.8", "1234567.8"},
    };
    for (const auto& r : rows) {
        INFO(r.in);
        const decimal d = dec(r.in);
        CHECK(d.to_string() == r.shortest);
        CHECK(d.format_size() == std::strlen(r.shortest));
        CHECK(scaled(d) == r.as_scaled);
        CHECK(d.format_scaled_size() == std::strlen(r.as_scaled));
        std::ostringstream os;
        os << d;
        CHECK(os.str() == r.shortest);
    }
    CHECK(parts(1, 2).to_string() == "100");
    CHECK(parts(-100, -2).to_string() == "-1");
    CHECK(scaled(parts(-100, -2)) == "-1.00");
}

TEST_CASE("decimal: the longest texts fit max_chars and max_fixed_chars exactly") {
    const decimal big = parts(-999999999999999999, 64);
    CHECK(big.format_size() == decimal::max_chars);
    CHECK(big.to_string() == "-999999999999999999" + std::string(64, '0'));
    const decimal tiny = parts(-999999999999999999, -64);
    CHECK(tiny.to_string() == "-0." + std::string(46, '0') + "999999999999999999");
    CHECK(tiny.format_size() <= decimal::max_chars);
    CHECK(big.format_fixed_size(64) == decimal::max_fixed_chars);
    CHECK(big.to_string_fixed(64).size() == decimal::max_fixed_chars);
}

TEST_CASE("decimal: formatting never overruns the caller's buffer") {
    const decimal d = dec("-16578.50");
    char buf[32];
    for (std::size_t cap = 0; cap <= 10; ++cap) {
        std::memset(buf, '#', sizeof buf);
        const std::size_t n = d.format(buf, cap);
        INFO("capacity " << cap);
        if (cap < 8) {
            CHECK(n == 0);
        } else {
            CHECK(n == 8);
            CHECK(std::string(buf, n) == "-16578.5");
        }
        for (std::size_t i = (n == 0 ? 0 : n); i < sizeof buf; ++i) CHECK(buf[i] == '#');
        std::memset(buf, '#', sizeof buf);
        const std::size_t s = d.format_scaled(buf, cap);
        CHECK(s == (cap >= 9 ? 9u : 0u));
        for (std::size_t i = s; i < sizeof buf; ++i) CHECK(buf[i] == '#');
        std::memset(buf, '#', sizeof buf);
        const std::size_t f = d.format_fixed(buf, cap, 4);
        CHECK(f == (cap >= 11 ? 11u : 0u));
        for (std::size_t i = f; i < sizeof buf; ++i) CHECK(buf[i] == '#');
    }
    CHECK(d.format(nullptr, 0) == 0);
}

TEST_CASE("decimal: format_fixed pads and rounds to the requested decimals") {
    struct row {
        const char* in;
        int decimals;
        rounding mode;
        const char* out;
    };
    using R = rounding;
    const row rows[] = {
        {"16578.5", 2, R::half_even, "16578.50"},
        {"16578.537", 2, R::half_even, "16578.54"},
        {"16578.537", 2, R::floor, "16578.53"},
        {"-16578.537", 2, R::floor, "-16578.54"},
        {"-16578.537", 2, R::toward_zero, "-16578.53"},
        {"0.125", 2, R::half_even, "0.12"},
        {"0.135", 2, R::half_even, "0.14"},
        {"0.125", 2, R::half_away_from_zero, "0.13"},
        {"-0.125", 2, R::half_away_from_zero, "-0.13"},
        {"-0.005", 2, R::half_even, "0.00"},  // rounds to zero: no "-0.00"
        {"-0.005", 2, R::floor, "-0.01"},
        {"0.001", 2, R::ceiling, "0.01"},
        {"9.999", 2, R::half_even, "10.00"},
        {"-9.999", 0, R::half_even, "-10"},
        {"1e-8", 8, R::half_even, "0.00000001"},
        {"1e-8", 0, R::half_even, "0"},
        {"1e-8", 0, R::ceiling, "1"},
        {"123", 0, R::half_even, "123"},
        {"123", 3, R::half_even, "123.000"},
        {"1e20", 2, R::half_even, "100000000000000000000.00"},
        {"0.00100000", 8, R::half_even, "0.00100000"},
        {"0.00100000", 3, R::half_even, "0.001"},
        {"999999999999999999", 1, R::half_even, "999999999999999999.0"},
        {"0.999999999999999999", 0, R::half_even, "1"},
    };
    for (const auto& r : rows) {
        INFO(r.in << " to " << r.decimals);
        const decimal d = dec(r.in);
        CHECK(d.to_string_fixed(r.decimals, r.mode) == r.out);
        CHECK(d.format_fixed_size(r.decimals, r.mode) == std::strlen(r.out));
    }
    char buf[200];
    CHECK(dec("1.5").format_fixed(buf, sizeof buf, -1) == 0);
    CHECK(dec("1.5").format_fixed(buf, sizeof buf, 65) == 0);
    CHECK(dec("1.5").format_fixed_size(-1) == 0);
}

TEST_CASE("decimal: format_slot fills a fixed-width slot of request text") {
    using F = tradewire::slot_fill;
    auto slot = [](decimal d, std::size_t width, int decimals, F fill, decimal_error expect = {}) {
        std::string text(width + 2, '#');  // guard characters on both sides
        const auto ec = d.format_slot(text.data() + 1, width, decimals, rounding::half_even, fill);
        CHECK(ec == expect);
        CHECK(text.front() == '#');
        CHECK(text.back() == '#');
        return text.substr(1, width);
    };
    CHECK(slot(dec("16578.5"), 12, 2, F::trailing_zeros) == "16578.500000");
    CHECK(slot(dec("16578.5"), 12, 2, F::trailing_spaces) == "16578.50    ");
    CHECK(slot(dec("16578.5"), 12, 2, F::leading_spaces) == "    16578.50");
    CHECK(slot(dec("16578.5"), 12, 2, F::leading_zeros) == "000016578.50");
    CHECK(slot(dec("-1.5"), 6, 1, F::leading_zeros) == "-001.5");
    CHECK(slot(dec("16578.5"), 8, 2, F::trailing_zeros) == "16578.50");  // exact width
    CHECK(slot(dec("100"), 3, 0, F::trailing_zeros) == "100");
    CHECK(slot(dec("100"), 5, 0, F::trailing_zeros) == "100.0");
    CHECK(slot(dec("100"), 6, 0, F::trailing_zeros) == "100.00");
    // "100." is not a valid number: one spare character cannot be filled with zeros.
    CHECK(slot(dec("100"), 4, 0, F::trailing_zeros, decimal_error::cannot_fill_slot) == "####");
    CHECK(slot(dec("100"), 4, 0, F::trailing_spaces) == "100 ");
    // Too narrow: error, slot untouched.
    CHECK(slot(dec("16578.5"), 7, 2, F::trailing_spaces, decimal_error::buffer_too_small) == "#######");
    CHECK(slot(dec("16578.5"), 0, 2, F::trailing_spaces, decimal_error::buffer_too_small).empty());
    CHECK(slot(dec("1"), 4, -1, F::trailing_spaces, decimal_error::exponent_out_of_range) == "####");
    // The patched text parses back to the rounded value.
    CHECK(dec(slot(dec("16578.537"), 12, 2, F::trailing_zeros)) == dec("16578.54"));
}

// ---------------------------------------------------------------------------------------
// Conversions

TEST_CASE("decimal: to_double is correctly rounded") {
    auto strtod_of = [](decimal d) { return std::strtod(d.to_string().c_str(), nullptr); };
    CHECK(dec("0.1").to_double() == 0.1);
    CHECK(dec("16578.50").to_double() == 16578.5);
    CHECK(dec("1e-8").to_double() == 1e-8);
    CHECK(dec("-2.5e-7").to_double() == -2.5e-7);
    CHECK(dec("0").to_double() == 0.0);
    CHECK(dec("25.35190000").to_double() == 25.3519);
    // Slow path: 18-digit mantissas (> 2^53) and exponents beyond 10^22.
    for (const char* text : {"999999999999999999", "123456789012345678e-64", "999999999999999999e64",
                             "1e-64", "1e64", "9007199254740993", "0.123456789012345678", "-987654321987654321e-30",
                             "1e23", "8.98846567431158e307e-300", "4.9406564584124654e-50", "123456789012345678e-23",
                             "2.2250738585072011e-50", "9007199254740992.5", "9007199254740993.5"}) {
        const auto p = decimal::parse(text);
        if (!p) continue;  // rows outside the range are not about to_double
        INFO(text);
        CHECK(p.value.to_double() == strtod_of(p.value));
    }
    // Halfway between two doubles: 2^53 + 1 rounds to even (2^53), 2^53 + 3 up to 2^53 + 4.
    CHECK(dec("9007199254740993").to_double() == 9007199254740992.0);
    CHECK(dec("9007199254740995").to_double() == 9007199254740996.0);
    CHECK(dec("-9007199254740993").to_double() == -9007199254740992.0);
}

TEST_CASE("decimal: from_double uses the shortest round-trip text, then rounds") {
    auto fd = [](double v, int d, rounding m = rounding::half_even) {
        const auto r = decimal::from_double(v, d, m);
        REQUIRE(r);
        return r.value;
    };
    CHECK(fd(0.1, 8).same_representation(parts(10000000, -8)));
    CHECK(fd(2.675, 2, rounding::half_away_from_zero) == dec("2.68"));  // the binary value is 2.67499...
    CHECK(fd(-1.005, 2, rounding::half_even) == dec("-1.00"));
    CHECK(fd(123456.789, 0) == dec("123457"));
    CHECK(fd(123456.789, -2) == dec("123500"));
    CHECK(fd(0.0, 2).same_representation(parts(0, -2)));
    CHECK(fd(-0.0, 2).is_zero());
    CHECK(fd(1e-300, 8).is_zero());
    CHECK(fd(1e-300, 8, rounding::ceiling) == dec("0.00000001"));
    CHECK(fd(-1e-300, 8, rounding::floor) == dec("-0.00000001"));
    CHECK(fd(1e20, 2) == dec("1e20"));
    CHECK(fd(16578.5, 2).to_string_fixed(2) == "16578.50");
    CHECK(fd(5e-324, 64, rounding::ceiling) == dec("1e-64"));
    CHECK(decimal::from_double(std::numeric_limits<double>::quiet_NaN(), 2).ec == decimal_error::not_finite);
    CHECK(decimal::from_double(std::numeric_limits<double>::infinity(), 2).ec == decimal_error::not_finite);
    CHECK(decimal::from_double(-std::numeric_limits<double>::infinity(), 2).ec == decimal_error::not_finite);
    // 1e19 cannot have 2 decimals in 18 digits, but the value itself is representable.
    CHECK(fd(1e19, 2).same_representation(parts(100000000000000000, 2)));
    CHECK(decimal::from_double(1e300, 2).ec == decimal_error::exponent_out_of_range);
    CHECK(decimal::from_double(1e90, 2).ec == decimal_error::exponent_out_of_range);
    CHECK(decimal::from_double(std::numeric_limits<double>::max(), 0).ec == decimal_error::exponent_out_of_range);
    CHECK(decimal::from_double(1.0, 65).ec == decimal_error::exponent_out_of_range);
}

TEST_CASE("decimal: to_units gives exact integer ticks") {
    CHECK(dec("16578.5").to_units(2).units == 1657850);
    CHECK(dec("16578.50").to_units(1).units == 165785);
    CHECK(dec("-5").to_units(0).units == -5);
    CHECK(dec("1e-8").to_units(8).units == 1);
    CHECK(dec("0").to_units(64).units == 0);
    CHECK(dec("1500").to_units(-2).units == 15);
    CHECK(parts(922337203685477580, 1).to_units(0).units == 9223372036854775800);
    CHECK(dec("16578.55").to_units(1).ec == decimal_error::inexact);
    CHECK(dec("1500").to_units(-3).ec == decimal_error::inexact);
    CHECK(parts(922337203685477581, 1).to_units(0).ec == decimal_error::overflow);
    CHECK(dec("1").to_units(19).ec == decimal_error::overflow);
    CHECK(dec("1").to_units(65).ec == decimal_error::exponent_out_of_range);
    CHECK(dec("1e-64").to_units(63).ec == decimal_error::inexact);
}

TEST_CASE("decimal: errors are std::error_code values in category tradewire.decimal") {
    const std::error_code ec = decimal_error::too_many_digits;
    CHECK(std::string(ec.category().name()) == "tradewire.decimal");
    CHECK(ec.message() == "more than 18 significant digits");
    CHECK(&ec.category() == &tradewire::decimal_category());
    for (int v = static_cast<int>(decimal_error::empty); v <= static_cast<int>(decimal_error::cannot_fill_slot); ++v) {
        const std::error_code e = make_error_code(static_cast<decimal_error>(v));
        CHECK(e);
        CHECK(e.message() != "unknown decimal error");
    }
    CHECK(std::error_code(decimal_error{}).value() == 0);
}

// ---------------------------------------------------------------------------------------
// Venue samples (exchanges/REFERENCE.md)

TEST_CASE("decimal: Kraken book checksum string rebuilds from parsed levels") {
    // Docs snapshot (REFERENCE 5.4/5.5): asks then bids, price and qty with full wire
    // precision, '.' removed, leading zeros stripped; CRC32 3310070434.
    const char* asks[][2] = {{"45285.2", "0.00100000"}, {"45286.4", "1.54571953"}, {"45286.6", "1.54571109"},
                             {"45289.6", "1.54560911"}, {"45290.2", "0.15890660"}, {"45291.8", "1.54553491"},
                             {"45294.7", "0.04454749"}, {"45296.1", "0.35380000"}, {"45297.5", "0.09945542"},
                             {"45299.5", "0.18772827"}};
    const char* bids[][2] = {{"45283.5", "0.10000000"}, {"45283.4", "1.54582015"}, {"45282.1", "0.10000000"},
                             {"45281.0", "0.10000000"}, {"45280.3", "1.54592586"}, {"45279.0", "0.07990000"},
                             {"45277.6", "0.03310103"}, {"45277.5", "0.30000000"}, {"45277.3", "1.54602737"},
                             {"45276.6", "0.15445238"}};
    std::string s;
    auto add = [&s](const char* token) {
        const decimal d = dec(token);
        std::string t = scaled(d);
        CHECK(t == token);  // byte for byte
        t.erase(std::remove(t.begin(), t.end(), '.'), t.end());
        s += t.substr(t.find_first_not_of('0'));
    };
    std::vector<decimal> ask_prices;
    for (auto& level : asks) {
        add(level[0]);
        add(level[1]);
        ask_prices.push_back(dec(level[0]));
    }
    for (auto& level : bids) {
        add(level[0]);
        add(level[1]);
    }
    CHECK(s.size() == 281);
    CHECK(s ==
          "45285210000045286415457195345286615457110945289615456091145290215890660452918154553491452947445474945296"
          "135380000452975994554245299518772827452835100000004528341545820154528211000000045281010000000452803154592"
          "586452790799000045277633101034527753000000045277315460273745276615445238");
    CHECK(::crc32(0, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())) == 3310070434u);
    CHECK(std::is_sorted(ask_prices.begin(), ask_prices.end()));
}

TEST_CASE("decimal: OKX checksum string uses the prices as received") {
    // REFERENCE 3.5 example 1: signed CRC32 -1881014294.
    std::string s;
    for (const char* t : {"3366.1", "7", "3366.8", "9", "3366", "6", "3368", "8"}) {
        if (!s.empty()) s += ':';
        s += scaled(dec(t));
    }
    CHECK(s == "3366.1:7:3366.8:9:3366:6:3368:8");
    const auto crc = static_cast<std::uint32_t>(::crc32(0, reinterpret_cast<const Bytef*>(s.data()),
                                                        static_cast<uInt>(s.size())));
    CHECK(static_cast<std::int32_t>(crc) == -1881014294);
}

TEST_CASE("decimal: Binance, Bybit and HTX sample numbers") {
    // Binance bookTicker: {"b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}
    const decimal bid = dec("25.35190000");
    const decimal ask = dec("25.36520000");
    CHECK(bid < ask);
    CHECK((ask - bid) == dec("0.0133"));
    CHECK((ask - bid).scale() == 8);
    CHECK((bid * dec("31.21000000")).to_string() == "791.232799");
    // Bybit orderbook delta: a zero size removes the level.
    CHECK(dec("0").is_zero());
    CHECK(dec("30240.00") == dec("30240"));
    // HTX MBP quantity with 20 significant digits: strict parse refuses, rounding parse keeps 18.
    CHECK(decimal::parse("26.755973959140651643").ec == decimal_error::too_many_digits);
    CHECK(decimal::parse("26.755973959140651643", {.round_excess_digits = true}).value.to_string() ==
          "26.7559739591406516");
    CHECK(dec("645.140000000000000000").to_string() == "645.14");
}
