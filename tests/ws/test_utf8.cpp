// Incremental UTF-8 validation: edge cases split at every byte boundary, the exact byte
// where validation fails, exhaustive agreement with a reference decoder on short
// sequences, and the ASCII fast path around non-ASCII bytes.
#include "catch.hpp"

#include <tradewire/ws/utf8.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using tradewire::const_bytes;
using tradewire::ws::utf8_validator;

namespace {

// Written from RFC 3629 §3-4 by decoding the code point, independently of the automaton.
bool reference_valid(const std::uint8_t* s, std::size_t n) {
    std::size_t i = 0;
    while (i < n) {
        const std::uint8_t c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + len > n) return false;
        for (std::size_t j = 1; j < len; ++j) {
            if ((s[i + j] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + j] & 0x3Fu);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

struct utf8_case {
    std::string_view text;
    long fail_at;  // index of the first invalid byte; -1 = valid; -2 = valid prefix, truncated at the end
};

const utf8_case cases[] = {
    {"", -1},
    {"plain ascii", -1},
    {"\xc2\x80", -1},                  // U+0080, smallest 2-byte
    {"\xdf\xbf", -1},                  // U+07FF
    {"\xe0\xa0\x80", -1},              // U+0800, smallest 3-byte
    {"\xed\x9f\xbf", -1},              // U+D7FF, just below the surrogates
    {"\xee\x80\x80", -1},              // U+E000, just above
    {"\xef\xbf\xbf", -1},              // U+FFFF
    {"\xf0\x90\x80\x80", -1},          // U+10000, smallest 4-byte
    {"\xf4\x8f\xbf\xbf", -1},          // U+10FFFF, the largest
    {"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", -1},  // κόσμε
    {"price \xe2\x82\xac 12.5 \xf0\x9f\x9a\x80", -1},
    {"\xc0\x80", 0},                   // overlong NUL (C0 never valid)
    {"\xc1\xbf", 0},                   // overlong (C1 never valid)
    {"\xe0\x80\x80", 1},               // overlong 3-byte
    {"\xe0\x9f\xbf", 1},               // overlong U+07FF
    {"\xf0\x80\x80\x80", 1},           // overlong 4-byte
    {"\xf0\x8f\xbf\xbf", 1},           // overlong U+FFFF
    {"\xed\xa0\x80", 1},               // U+D800
    {"\xed\xaf\xbf", 1},               // U+DBFF
    {"\xed\xb0\x80", 1},               // U+DC00
    {"\xed\xbf\xbf", 1},               // U+DFFF
    {"\xf4\x90\x80\x80", 1},           // U+110000
    {"\xf5\x80\x80\x80", 0},           // F5 never valid
    {"\xf8\x88\x80\x80\x80", 0},       // 5-byte form
    {"\xfe", 0},
    {"\xff", 0},
    {"\x80", 0},                       // lone continuation
    {"\xbf", 0},
    {"ab\x80", 2},
    {"\xc2\x41", 1},                   // lead then ASCII
    {"\xe2\x28\xa1", 1},
    {"\xe2\x82\x28", 2},
    {"\xf0\x28\x8c\xbc", 1},
    {"\xf0\x90\x28\xbc", 2},
    {"\xf0\x90\x8c\x28", 3},
    {"\xc2\xc2\x80", 1},               // lead interrupting a lead
    {"\xe2\x82", -2},                  // truncated 3-byte
    {"\xf0\x9f\x98", -2},              // truncated 4-byte
    {"a\xc2", -2},
    {"\xf4", -2},
    {"0123456789012345678901234567890123456789\xff tail", 40},  // after the fast path
    {"0123456789abcdef0123456789abcdef0123456\xe2\x82\xac!\xed\xa0\x80", 44},
};

// Feeds `text` cut at the given points; returns -1 if it stays valid to the end.
long feed_pieces(std::string_view text, std::size_t cut1, std::size_t cut2, bool& finished) {
    utf8_validator v;
    const std::size_t cuts[] = {0, cut1, cut2, text.size()};
    for (int i = 0; i < 3; ++i) {
        if (!v.feed(text.substr(cuts[i], cuts[i + 1] - cuts[i]))) {
            finished = false;
            return static_cast<long>(cuts[i]);
        }
    }
    finished = v.finish();
    return -1;
}

}  // namespace

TEST_CASE("UTF-8 edge cases give the same verdict split at every byte boundary") {
    for (const auto& c : cases) {
        CAPTURE(std::string(c.text), c.fail_at);
        for (std::size_t cut1 = 0; cut1 <= c.text.size(); ++cut1) {
            for (std::size_t cut2 = cut1; cut2 <= c.text.size(); ++cut2) {
                bool finished = false;
                const long failed_piece = feed_pieces(c.text, cut1, cut2, finished);
                if (c.fail_at >= 0) {
                    // The failing piece is the one containing the invalid byte.
                    const std::size_t at = static_cast<std::size_t>(c.fail_at);
                    const std::size_t expected_piece = at < cut1 ? 0 : at < cut2 ? cut1 : cut2;
                    CHECK(failed_piece == static_cast<long>(expected_piece));
                } else {
                    CHECK(failed_piece == -1);
                    CHECK(finished == (c.fail_at == -1));
                }
            }
        }
        CHECK(tradewire::ws::is_valid_utf8(c.text) == (c.fail_at == -1));
    }
}

TEST_CASE("fed one byte at a time, validation fails exactly at the first invalid byte and stays failed") {
    for (const auto& c : cases) {
        CAPTURE(std::string(c.text));
        utf8_validator v;
        long failed_at = -1;
        for (std::size_t i = 0; i < c.text.size(); ++i) {
            if (!v.feed(c.text.substr(i, 1))) {
                failed_at = static_cast<long>(i);
                break;
            }
        }
        if (c.fail_at >= 0) {
            CHECK(failed_at == c.fail_at);
            CHECK(v.failed());
            CHECK_FALSE(v.feed(std::string_view("ok")));  // sticky
            CHECK_FALSE(v.finish());
            v.reset();
            CHECK(v.feed(std::string_view("ok")));
            CHECK(v.finish());
        } else {
            CHECK(failed_at == -1);
            CHECK(v.finish() == (c.fail_at == -1));
        }
    }
}

TEST_CASE("every 1- and 2-byte sequence agrees with the reference decoder") {
    for (int a = 0; a < 256; ++a) {
        const std::uint8_t one[1] = {static_cast<std::uint8_t>(a)};
        CHECK(tradewire::ws::is_valid_utf8(const_bytes(one, 1)) == reference_valid(one, 1));
        for (int b2 = 0; b2 < 256; ++b2) {
            const std::uint8_t two[2] = {static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b2)};
            if (tradewire::ws::is_valid_utf8(const_bytes(two, 2)) != reference_valid(two, 2)) {
                CAPTURE(a, b2);
                CHECK(false);
            }
        }
    }
}

TEST_CASE("every 3-byte sequence with a 3-byte lead, and 4-byte leads over all second bytes, agree") {
    long mismatches = 0;
    for (int a = 0xE0; a <= 0xEF; ++a) {
        for (int b2 = 0; b2 < 256; ++b2) {
            for (int c3 = 0; c3 < 256; ++c3) {
                const std::uint8_t s[3] = {static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b2),
                                           static_cast<std::uint8_t>(c3)};
                if (tradewire::ws::is_valid_utf8(const_bytes(s, 3)) != reference_valid(s, 3)) ++mismatches;
            }
        }
    }
    for (int a = 0xF0; a <= 0xFF; ++a) {
        for (int b2 = 0; b2 < 256; ++b2) {
            for (int c3 : {0x00, 0x7F, 0x80, 0xBF, 0xC0}) {
                for (int d4 : {0x41, 0x80, 0x9F, 0xBF, 0xC2}) {
                    const std::uint8_t s[4] = {static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b2),
                                               static_cast<std::uint8_t>(c3), static_cast<std::uint8_t>(d4)};
                    if (tradewire::ws::is_valid_utf8(const_bytes(s, 4)) != reference_valid(s, 4)) ++mismatches;
                }
            }
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("the ASCII fast path hands over correctly at every position") {
    const std::string_view inserts[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x9a\x80", "\xff", "\xe2\x82", "\x80"};
    for (const auto ins : inserts) {
        const bool ins_valid = reference_valid(reinterpret_cast<const std::uint8_t*>(ins.data()), ins.size());
        for (std::size_t prefix = 0; prefix <= 70; ++prefix) {
            for (std::size_t suffix : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{33}}) {
                std::string s(prefix, 'x');
                s += ins;
                s += std::string(suffix, 'y');
                CAPTURE(prefix, suffix, s.size());
                CHECK(tradewire::ws::is_valid_utf8(s) == ins_valid);
                // Also split right before and right after the inserted bytes.
                utf8_validator v;
                const bool ok = v.feed(std::string_view(s).substr(0, prefix + 1)) &&
                                v.feed(std::string_view(s).substr(prefix + 1)) && v.finish();
                CHECK(ok == ins_valid);
            }
        }
    }
}

TEST_CASE("long mostly-ASCII JSON validates, and one bad byte anywhere fails it") {
    std::string json;
    while (json.size() < 5000) json += R"({"s":"BTCUSDT","p":"67321.5","q":"0.013","note":"caf\xc3\xa9 \xe2\x82\xac"},)";
    CHECK(tradewire::ws::is_valid_utf8(json));
    for (std::size_t pos = 0; pos < 300; ++pos) {
        std::string bad = json;
        bad[pos] = '\xff';
        CAPTURE(pos);
        CHECK_FALSE(tradewire::ws::is_valid_utf8(bad));
    }
}
