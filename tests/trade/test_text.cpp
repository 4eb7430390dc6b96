// The trade layer's text helpers (trade/detail/text.hpp, template_program.hpp): integer
// formatting against std::to_string at every digit-count boundary, the UTC calendar
// against gmtime_r, percent-encoding, UTF-8 and JSON checks, stable parameter sorting,
// exact amount formatting and client id rules.
#include "catch.hpp"

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/random.hpp>
#include <tradewire/trade/detail/template_program.hpp>
#include <tradewire/trade/detail/text.hpp>

#include <array>
#include <ctime>
#include <limits>
#include <string>

namespace d = tradewire::trade::detail;

namespace {
std::string uint_text(std::uint64_t v) {
    char buf[20];
    return std::string(buf, d::write_uint(buf, v));
}
std::string amount(std::string_view v, int decimals, d::amount_status& st) {
    char buf[64];
    const std::size_t n = d::format_amount(tradewire::decimal::parse(v).value, decimals, buf, st);
    return std::string(buf, n);
}
}  // namespace

TEST_CASE("write_uint matches std::to_string at every boundary and at random") {
    std::uint64_t p = 1;
    for (int k = 0; k < 20; ++k) {
        for (const std::uint64_t v : {p - 1, p, p + 1, 2 * p, 9 * p}) {
            CAPTURE(v);
            CHECK(uint_text(v) == std::to_string(v));
            CHECK(d::count_digits(v) == std::to_string(v).size());
        }
        if (k < 19) p *= 10;
    }
    CHECK(uint_text(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
    tradewire::xoshiro256ss rng(1);
    for (int i = 0; i < 100000; ++i) {
        const std::uint64_t v = rng.next() >> (rng.next() % 64);
        if (uint_text(v) != std::to_string(v)) {
            CAPTURE(v);
            FAIL("mismatch");
        }
    }
}

TEST_CASE("utc_from_unix_ms agrees with gmtime_r") {
    tradewire::xoshiro256ss rng(2);
    for (int i = 0; i < 20000; ++i) {
        const std::uint64_t ms = rng.next() % 253402300800000ull;  // up to 9999-12-31
        const auto t = d::utc_from_unix_ms(ms);
        const std::time_t secs = static_cast<std::time_t>(ms / 1000);
        std::tm tm{};
        gmtime_r(&secs, &tm);
        const bool same = t.year == tm.tm_year + 1900 && t.month == static_cast<unsigned>(tm.tm_mon + 1) &&
                          t.day == static_cast<unsigned>(tm.tm_mday) && t.hour == static_cast<unsigned>(tm.tm_hour) &&
                          t.minute == static_cast<unsigned>(tm.tm_min) && t.second == static_cast<unsigned>(tm.tm_sec) &&
                          t.millisecond == ms % 1000;
        if (!same) {
            CAPTURE(ms);
            FAIL("calendar mismatch");
        }
    }
    char out[19];
    CHECK(d::write_iso_seconds(out, d::utc_from_unix_ms(1567361776000)) == 19);
    CHECK(std::string_view(out, 19) == "2019-09-01T18:16:16");
}

TEST_CASE("percent-encoding: component and non-ASCII forms") {
    std::array<char, 128> buf;
    d::text_sink a(buf);
    d::percent_encode_component(a, "Az09-._~ !\"#$%&'()*+,/:;=?@[]é");
    CHECK(a.view() == "Az09-._~%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D%C3%A9");
    d::text_sink b(buf);
    d::percent_encode_non_ascii(b, "a=1&b=é x");
    CHECK(b.view() == "a=1&b=%C3%A9 x");
    d::text_sink c(std::span<char>(buf.data(), 4));
    d::percent_encode_component(c, "é");
    CHECK_FALSE(c.ok());
}

TEST_CASE("UTF-8 and JSON string checks") {
    CHECK(d::valid_utf8("plain"));
    CHECK(d::valid_utf8("这是测试币"));
    CHECK(d::valid_utf8("\xF0\x9F\x98\x80"));
    CHECK_FALSE(d::valid_utf8("\xC0\xAF"));          // overlong
    CHECK_FALSE(d::valid_utf8("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(d::valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(d::valid_utf8("\xE4\xB8"));          // truncated
    CHECK(d::json_string_safe("BTC/USD"));
    CHECK_FALSE(d::json_string_safe("a\"b"));
    CHECK_FALSE(d::json_string_safe("a\\b"));
    CHECK_FALSE(d::json_string_safe(std::string_view("a\nb")));
}

TEST_CASE("sort_params is stable and byte-wise") {
    const tradewire::trade::query_param p[] = {{"z", "1"}, {"a", "2"}, {"Z", "3"}, {"a", "4"}, {"", "5"}};
    std::array<const tradewire::trade::query_param*, d::max_sorted_params> order;
    REQUIRE(d::sort_params(p, order));
    std::string s;
    for (std::size_t i = 0; i < 5; ++i) s += std::string(order[i]->value);
    CHECK(s == "53241");
}

TEST_CASE("format_amount: exact fixed decimals, shortest form, and refusals") {
    d::amount_status st;
    CHECK(amount("52000", 2, st) == "52000.00");
    CHECK(amount("0.01", 8, st) == "0.01000000");
    CHECK(amount("0.00001234", 8, st) == "0.00001234");
    CHECK(amount("0.1", 0, st).empty());
    CHECK(st == d::amount_status::inexact);
    CHECK(amount("7", 0, st) == "7");
    CHECK(amount("123.4500", -1, st) == "123.45");
    CHECK(amount("1E+3", -1, st) == "1000");
    CHECK(amount("0", 2, st).empty());
    CHECK(st == d::amount_status::not_positive);
    CHECK(amount("-5", -1, st).empty());
    CHECK(amount("999999999999999999", 2, st).empty());  // units overflow int64
    CHECK(st == d::amount_status::too_long);
    CHECK(amount("0.000000000000000001", 18, st) == "0.000000000000000001");
}

TEST_CASE("client id rules") {
    CHECK(d::valid_client_id("my.order:1/x_y-z", d::binance_client_id));
    CHECK_FALSE(d::valid_client_id("a b", d::binance_client_id));
    CHECK_FALSE(d::valid_client_id("", d::binance_client_id));
    CHECK(d::valid_client_id("abcXYZ123", d::okx_client_id));
    CHECK_FALSE(d::valid_client_id("abc-1", d::okx_client_id));
    CHECK(d::valid_client_id("6d1b345e-2821-40e2-ad83-4ecb18a06876", d::kraken_client_id));
    CHECK(d::valid_client_id("6d1b345e282140e2ad834ecb18a06876", d::kraken_client_id));
    CHECK_FALSE(d::valid_client_id("6d1b345e-2821-40e2-ad83-4ecb18a0687g", d::kraken_client_id));
    CHECK(d::valid_client_id("eighteen-chars-abc", d::kraken_client_id));
    CHECK_FALSE(d::valid_client_id("nineteen-chars-abcd", d::kraken_client_id));
}

TEST_CASE("format_amount's shortest form equals decimal::format() (differential)") {
    tradewire::xoshiro256ss rng(3);
    std::size_t mismatches = 0, checked = 0;
    for (int i = 0; i < 200000; ++i) {
        const auto mantissa = static_cast<std::int64_t>(rng.next() % 1000000000000000000ull) >> (rng.next() % 60);
        const int exponent = static_cast<int>(rng.next() % 41) - 30;
        const auto r = tradewire::decimal::from_parts(mantissa, exponent);
        if (r.ec != tradewire::decimal_error{} || r.value.sign() <= 0) continue;
        char ref[128];
        const std::size_t rn = r.value.format(ref, sizeof ref);
        char buf[64];
        d::amount_status st;
        const std::size_t n = d::format_amount(r.value, -1, buf, st);
        ++checked;
        if (rn <= d::max_amount_chars) {
            if (std::string_view(buf, n) != std::string_view(ref, rn)) ++mismatches;
        } else if (n != 0 || st != d::amount_status::too_long) {
            ++mismatches;
        }
    }
    CHECK(checked > 100000);
    CHECK(mismatches == 0);
}
