// json_reader: walking objects and arrays, in-situ unescaping, number tokens, and the
// strict rejections (structure, escapes, UTF-8, control characters, depth, trailing text).
#include "catch.hpp"

#include <tradewire/core/json.hpp>

#include <string>
#include <vector>

using tradewire::json_error;
using tradewire::json_reader;
using tradewire::json_type;

namespace {

// Validates a whole document by skipping it; returns the error (json_error{} when valid).
json_error check(std::string text) {
    json_reader r(text.data(), text.size());
    r.skip();
    r.finish();
    return r.error();
}

// Reads a single string value.
std::string read_str(std::string text, json_error* err = nullptr) {
    json_reader r(text.data(), text.size());
    std::string_view s;
    const bool ok = r.read_string(s) && r.finish();
    if (err) *err = r.error();
    return ok ? std::string(s) : std::string("<error>");
}

}  // namespace

TEST_CASE("json_reader walks an object with mixed values in any key order") {
    std::string text = R"( {"e":"trade","E":1672515782136,"p":"0.001","m":true,"x":null,"n":[1,2,{"a":[]}],"f":-1.5e3} )";
    json_reader r(text.data(), text.size());
    REQUIRE(r.begin_object());
    std::string_view key, s, num;
    std::int64_t i = 0;
    bool b = false;
    std::vector<std::string> keys;
    while (r.next_key(key)) {
        keys.emplace_back(key);
        if (key == "e") {
            REQUIRE(r.read_string(s));
            CHECK(s == "trade");
        } else if (key == "E") {
            REQUIRE(r.read_int64(i));
            CHECK(i == 1672515782136);
        } else if (key == "p") {
            REQUIRE(r.read_string(s));
            CHECK(s == "0.001");
        } else if (key == "m") {
            REQUIRE(r.read_bool(b));
            CHECK(b);
        } else if (key == "x") {
            CHECK(r.peek() == json_type::null);
            REQUIRE(r.try_null());
        } else if (key == "f") {
            REQUIRE(r.read_number(num));
            CHECK(num == "-1.5e3");
        } else {
            CHECK(r.peek() == json_type::array);
            REQUIRE(r.skip());
        }
    }
    REQUIRE(r.ok());
    CHECK(r.finish());
    CHECK(keys == std::vector<std::string>{"e", "E", "p", "m", "x", "n", "f"});
}

TEST_CASE("json_reader reads arrays of arrays element by element") {
    std::string text = R"([["0.0024","10"],["0.0026","100"]])";
    json_reader r(text.data(), text.size());
    REQUIRE(r.begin_array());
    std::vector<std::pair<std::string, std::string>> levels;
    while (r.next_element()) {
        REQUIRE(r.begin_array());
        std::string_view p, q;
        REQUIRE(r.next_element());
        REQUIRE(r.read_string(p));
        REQUIRE(r.next_element());
        REQUIRE(r.read_string(q));
        CHECK_FALSE(r.next_element());
        REQUIRE(r.ok());
        levels.emplace_back(p, q);
    }
    REQUIRE(r.finish());
    REQUIRE(levels.size() == 2);
    CHECK(levels[1].first == "0.0026");
    CHECK(levels[1].second == "100");
}

TEST_CASE("json_reader empty containers") {
    std::string text = R"({"a":{},"b":[]})";
    json_reader r(text.data(), text.size());
    REQUIRE(r.begin_object());
    std::string_view k;
    REQUIRE(r.next_key(k));
    REQUIRE(r.begin_object());
    CHECK_FALSE(r.next_key(k));
    REQUIRE(r.next_key(k));
    REQUIRE(r.begin_array());
    CHECK_FALSE(r.next_element());
    CHECK_FALSE(r.next_key(k));
    CHECK(r.finish());
}

TEST_CASE("json_reader unescapes strings in place") {
    CHECK(read_str(R"("plain")") == "plain");
    CHECK(read_str(R"("a\"b\\c\/d")") == "a\"b\\c/d");
    CHECK(read_str(R"("\b\f\n\r\t")") == "\b\f\n\r\t");
    CHECK(read_str(R"("\u0041\u00e9\u20ac")") == "A\xc3\xa9\xe2\x82\xac");
    CHECK(read_str(R"("\ud83d\ude00!")") == "\xf0\x9f\x98\x80!");
    CHECK(read_str("\"caf\xc3\xa9 \xe2\x82\xac\"") == "caf\xc3\xa9 \xe2\x82\xac");
    CHECK(read_str(R"("")") == "");
    // Keys are unescaped too.
    std::string text = R"({"\u0070":"x"})";
    json_reader r(text.data(), text.size());
    std::string_view k;
    REQUIRE(r.begin_object());
    REQUIRE(r.next_key(k));
    CHECK(k == "p");
}

TEST_CASE("json_reader rejects bad strings") {
    json_error e{};
    read_str(R"("\x")", &e);
    CHECK(e == json_error::invalid_escape);
    read_str(R"("\u12g4")", &e);
    CHECK(e == json_error::invalid_escape);
    read_str(R"("\ud83d")", &e);  // lone high surrogate
    CHECK(e == json_error::invalid_escape);
    read_str(R"("\ude00")", &e);  // lone low surrogate
    CHECK(e == json_error::invalid_escape);
    read_str(R"("\ud83d\u0041")", &e);
    CHECK(e == json_error::invalid_escape);
    read_str("\"a\tb\"", &e);
    CHECK(e == json_error::control_character);
    read_str(std::string("\"a\0b\"", 5), &e);
    CHECK(e == json_error::control_character);
    read_str("\"\xc3\"", &e);  // truncated sequence
    CHECK(e == json_error::invalid_utf8);
    read_str("\"\xc0\xaf\"", &e);  // overlong
    CHECK(e == json_error::invalid_utf8);
    read_str("\"\xed\xa0\x80\"", &e);  // encoded surrogate
    CHECK(e == json_error::invalid_utf8);
    read_str("\"\xf4\x90\x80\x80\"", &e);  // beyond U+10FFFF
    CHECK(e == json_error::invalid_utf8);
    read_str("\"\\n\xff\"", &e);  // bad byte on the slow path
    CHECK(e == json_error::invalid_utf8);
    read_str(R"("abc)", &e);
    CHECK(e == json_error::unexpected_end);
    read_str(R"("abc\)", &e);
    CHECK(e == json_error::unexpected_end);
    read_str("123", &e);
    CHECK(e == json_error::type_mismatch);
}

TEST_CASE("json_reader numbers follow RFC 8259 exactly") {
    for (const char* good : {"0", "-0", "12", "-12.5", "1e5", "1E+5", "1.25e-3", "9223372036854775807"}) {
        INFO(good);
        CHECK(check(good) == json_error{});
    }
    for (const char* bad : {"01", "-", "+1", ".5", "1.", "1e", "1e+", "0x10", "1.2.3", "12abc", "--1", "NaN", "Infinity"}) {
        INFO(bad);
        CHECK(check(bad) != json_error{});
    }
}

TEST_CASE("json_reader integer reads check type and range") {
    auto read_i = [](std::string text, std::int64_t& v) {
        json_reader r(text.data(), text.size());
        r.read_int64(v);
        return r.error();
    };
    std::int64_t v = 0;
    CHECK(read_i("9223372036854775807", v) == json_error{});
    CHECK(v == 9223372036854775807);
    CHECK(read_i("-9223372036854775808", v) == json_error{});
    CHECK(v == (-9223372036854775807 - 1));
    CHECK(read_i("9223372036854775808", v) == json_error::number_out_of_range);
    CHECK(read_i("1.0", v) == json_error::not_an_integer);
    CHECK(read_i("1e3", v) == json_error::not_an_integer);
    CHECK(read_i("\"12\"", v) == json_error::type_mismatch);
    std::string u = "18446744073709551615";
    json_reader r(u.data(), u.size());
    std::uint64_t uv = 0;
    CHECK(r.read_uint64(uv));
    CHECK(uv == 18446744073709551615ull);
    std::string n = "-1";
    json_reader rn(n.data(), n.size());
    CHECK_FALSE(rn.read_uint64(uv));
    CHECK(rn.error() == json_error::number_out_of_range);
}

TEST_CASE("parse_int64 and parse_uint64 on venue strings") {
    std::int64_t v = 0;
    CHECK(tradewire::parse_int64("1630048897897", v));
    CHECK(v == 1630048897897);
    CHECK(tradewire::parse_int64("-1", v));
    CHECK(v == -1);
    CHECK_FALSE(tradewire::parse_int64("", v));
    CHECK_FALSE(tradewire::parse_int64("-", v));
    CHECK_FALSE(tradewire::parse_int64("+1", v));
    CHECK_FALSE(tradewire::parse_int64("1.5", v));
    CHECK_FALSE(tradewire::parse_int64(" 1", v));
    CHECK_FALSE(tradewire::parse_int64("99999999999999999999", v));
    std::uint64_t u = 0;
    CHECK(tradewire::parse_uint64("18446744073709551615", u));
    CHECK_FALSE(tradewire::parse_uint64("18446744073709551616", u));
}

TEST_CASE("json_reader rejects malformed structure") {
    for (const char* bad : {"", " ", "{", "}", "[", "]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[,1]",
                            "{,\"a\":1}", "{\"a\":1 \"b\":2}", "[1 2]", "{a:1}", "{'a':1}", "tru", "nul", "falsey",
                            "[true false]", "{\"a\":1}}", "[1]x", "{\"a\" 1}", "\"a\" \"b\""}) {
        INFO(bad);
        CHECK(check(bad) != json_error{});
    }
    for (const char* good : {"{}", "[]", " { \"a\" : [ 1 , { } , [ ] , null , true , false , \"x\" ] } ", "null", "\"s\""}) {
        INFO(good);
        CHECK(check(good) == json_error{});
    }
}

TEST_CASE("json_reader limits nesting depth") {
    std::string ok_text(json_reader::max_depth, '[');
    ok_text += std::string(json_reader::max_depth, ']');
    CHECK(check(ok_text) == json_error{});
    std::string deep(json_reader::max_depth + 1, '[');
    deep += std::string(json_reader::max_depth + 1, ']');
    CHECK(check(deep) == json_error::too_deep);
    std::string huge(100000, '[');
    CHECK(check(huge) == json_error::too_deep);
}

TEST_CASE("json_reader errors stick and misuse is reported") {
    std::string text = R"({"a":1})";
    json_reader r(text.data(), text.size());
    CHECK_FALSE(r.next_element());  // not inside an array
    CHECK(r.error() == json_error::misuse);
    std::string_view s;
    CHECK_FALSE(r.begin_object());  // sticky
    CHECK_FALSE(r.read_string(s));
    CHECK(r.error_code() == json_error::misuse);
    CHECK(r.error_code().category().name() == std::string("tradewire.json"));
    CHECK_FALSE(r.error_code().message().empty());
}

TEST_CASE("json_reader reports wrong value types without consuming silently") {
    std::string text = R"({"p":0.001})";
    json_reader r(text.data(), text.size());
    std::string_view k, s;
    REQUIRE(r.begin_object());
    REQUIRE(r.next_key(k));
    CHECK_FALSE(r.read_string(s));
    CHECK(r.error() == json_error::type_mismatch);
    std::string b = "1";
    json_reader rb(b.data(), b.size());
    bool v;
    CHECK_FALSE(rb.read_bool(v));
    CHECK(rb.error() == json_error::type_mismatch);
}

TEST_CASE("json_reader word-at-a-time paths: every length and position") {
    // A special character at every offset of strings up to 40 bytes, so both the 8-byte
    // word path and the byte tail see it.
    for (std::size_t len = 0; len <= 40; ++len) {
        for (std::size_t at = 0; at < len; ++at) {
            INFO("len " << len << " at " << at);
            std::string plain(len, 'a');
            CHECK(read_str("\"" + plain + "\"") == plain);
            std::string with_escape = plain;
            with_escape.replace(at, 1, "\\n");
            std::string expected = plain;
            expected[at] = '\n';
            CHECK(read_str("\"" + with_escape + "\"") == expected);
            std::string with_control = plain;
            with_control[at] = '\x1f';
            json_error e{};
            read_str("\"" + with_control + "\"", &e);
            CHECK(e == json_error::control_character);
            std::string with_utf8 = plain;
            with_utf8.replace(at, 1, "\xc3\xa9");
            CHECK(read_str("\"" + with_utf8 + "\"") == with_utf8);
            std::string with_bad = plain;
            with_bad[at] = '\xff';
            read_str("\"" + with_bad + "\"", &e);
            CHECK(e == json_error::invalid_utf8);
            std::string with_quote = plain;
            with_quote[at] = '"';
            CHECK(read_str("\"" + with_quote.substr(0, at) + "\"") == plain.substr(0, at));
            // Unterminated at every length: never reads past the end.
            read_str("\"" + plain.substr(0, at), &e);
            CHECK(e == json_error::unexpected_end);
        }
    }
    // Integers of every length, followed by a delimiter or by the end of the buffer.
    std::string digits = "1234567890123456789";
    for (std::size_t len = 1; len <= 19; ++len) {
        const std::string n = digits.substr(0, len);
        std::int64_t expected = 0;
        REQUIRE(tradewire::parse_int64(n, expected));
        for (const std::string& text : {"[" + n + "]", "[" + n + " ]", "[" + n + ",0]", "[-" + n + "]"}) {
            INFO(text);
            std::string buf = text;
            json_reader r(buf.data(), buf.size());
            std::int64_t v = 0;
            REQUIRE(r.begin_array());
            REQUIRE(r.next_element());
            REQUIRE(r.read_int64(v));
            CHECK(v == (text[1] == '-' ? -expected : expected));
        }
        std::string bare = n;
        json_reader r(bare.data(), bare.size());
        std::int64_t v = 0;
        CHECK(r.read_int64(v));
        CHECK(v == expected);
    }
    for (const char* bad : {"[1x]", "[12345678x]", "[123456789012x]", "[01]", "[00000000001]", "[1.5]", "[12345678e1]"}) {
        INFO(bad);
        std::string buf = bad;
        json_reader r(buf.data(), buf.size());
        std::int64_t v = 0;
        r.begin_array();
        r.next_element();
        CHECK_FALSE(r.read_int64(v));
    }
}
