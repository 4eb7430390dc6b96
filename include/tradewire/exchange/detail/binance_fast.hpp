// A fast path for the most frequent Binance payloads, trade, aggTrade and bookTicker, in
// the exact layout Binance sends them:
//   {"e":"trade","E":<n>,"s":"<sym>","t":<n>,"p":"<dec>","q":"<dec>","T":<n>,"m":<b>[,"M":<b>]}
//   {"e":"aggTrade","E":<n>,"s":"<sym>","a":<n>,"p":"<dec>","q":"<dec>","f":<n>,"l":<n>,"T":<n>,"m":<b>[,"M":<b>]}
//   {"u":<n>,"s":"<sym>","b":"<dec>","B":"<dec>","a":"<dec>","A":"<dec>"}
// It matches the text byte by byte and gives up (returns false, having changed nothing)
// at the first difference: another key order, whitespace, an escape, a character outside
// the expected set, more than 18 digits. The general decoder then handles the message, so
// the result never depends on which path ran (the fuzz target checks the two agree).
#pragma once

#include <tradewire/core/detail/json_chars.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

// The cursor's steps are tiny and called a dozen times per message: they must inline
// into the matcher (measured: out-of-line literal/integer/text calls and predicates
// called through function pointers were a third of a trade decode).
#if defined(__GNUC__) || defined(__clang__)
#define TRADEWIRE_FAST_INLINE [[gnu::always_inline]] inline
#else
#define TRADEWIRE_FAST_INLINE inline
#endif

namespace tradewire::exchange::binance::detail {

struct fast_trade {
    bool aggregate = false;
    std::int64_t event_time = 0, id = 0, trade_time = 0;
    std::string_view symbol, price, quantity;
    bool buyer_maker = false;
};

class fast_cursor {
public:
    fast_cursor(const char* p, const char* end) noexcept : p_(p), end_(end) {}

    // The literal's length is a compile-time constant, so the compare inlines.
    template <std::size_t N>
    TRADEWIRE_FAST_INLINE bool literal(const char (&s)[N]) noexcept {
        constexpr std::size_t n = N - 1;
        if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, s, n) != 0) return false;
        p_ += n;
        return true;
    }

    // A JSON integer of 1..18 digits without sign or leading zero.
    TRADEWIRE_FAST_INLINE bool integer(std::int64_t& out) noexcept {
        const char* const start = p_;
        std::uint64_t v = 0;
        if constexpr (tradewire::detail::json_swar) {
            if (end_ - p_ >= 8) {
                const std::uint64_t x = tradewire::detail::load8(p_);
                const int k = tradewire::detail::leading_digits8(x);
                if (k > 0) {
                    v = tradewire::detail::digits_value(x, k);
                    p_ += k;
                }
            }
        }
        while (p_ != end_ && *p_ >= '0' && *p_ <= '9' && p_ - start < 18) v = v * 10 + static_cast<std::uint64_t>(*p_++ - '0');
        const std::ptrdiff_t n = p_ - start;
        if (n == 0 || (start[0] == '0' && n > 1)) return false;
        if (p_ != end_ && *p_ >= '0' && *p_ <= '9') return false;  // 19+ digits: the general path decides
        out = static_cast<std::int64_t>(v);
        return true;
    }

    // The body of a string made of characters accepted by `ok`, then its closing quote.
    // `Class` is a character class type (symbol_chars, decimal_chars): a table lookup
    // known at compile time.
    template <class Class>
    TRADEWIRE_FAST_INLINE bool text(std::string_view& out, Class) noexcept {
        const char* const start = p_;
        while (p_ != end_ && Class::table[static_cast<unsigned char>(*p_)]) ++p_;
        if (p_ == end_ || *p_ != '"' || p_ == start) return false;
        out = std::string_view(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return true;
    }

    TRADEWIRE_FAST_INLINE bool boolean(bool& out) noexcept {
        if (literal("true")) return out = true, true;
        if (literal("false")) return out = false, true;
        return false;
    }

    // Only JSON whitespace remains.
    bool at_end() const noexcept {
        for (const char* q = p_; q != end_; ++q)
            if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r') return false;
        return true;
    }

private:
    const char* p_;
    const char* end_;
};

constexpr bool symbol_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}
constexpr bool decimal_char(char c) noexcept { return (c >= '0' && c <= '9') || c == '.' || c == '-'; }

template <bool (*Pred)(char) noexcept>
struct char_class {
    static constexpr auto table = [] {
        std::array<bool, 256> t{};
        for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = Pred(static_cast<char>(c));
        return t;
    }();
};
using symbol_chars = char_class<symbol_char>;
using decimal_chars = char_class<decimal_char>;

inline bool match_fast_trade(std::string_view text, fast_trade& t) noexcept {
    fast_cursor c(text.data(), text.data() + text.size());
    if (!c.literal(R"({"e":")")) return false;
    if (c.literal(R"(trade","E":)")) t.aggregate = false;
    else if (c.literal(R"(aggTrade","E":)")) t.aggregate = true;
    else return false;
    std::int64_t first = 0, last = 0;
    bool ignored = false;
    if (!c.integer(t.event_time) || !c.literal(R"(,"s":")") || !c.text(t.symbol, symbol_chars{})) return false;
    if (!(t.aggregate ? c.literal(R"(,"a":)") : c.literal(R"(,"t":)")) || !c.integer(t.id)) return false;
    if (!c.literal(R"(,"p":")") || !c.text(t.price, decimal_chars{})) return false;
    if (!c.literal(R"(,"q":")") || !c.text(t.quantity, decimal_chars{})) return false;
    if (t.aggregate && (!c.literal(R"(,"f":)") || !c.integer(first) || !c.literal(R"(,"l":)") || !c.integer(last)))
        return false;
    if (!c.literal(R"(,"T":)") || !c.integer(t.trade_time)) return false;
    if (!c.literal(R"(,"m":)") || !c.boolean(t.buyer_maker)) return false;
    if (c.literal(R"(,"M":)") && !c.boolean(ignored)) return false;
    return c.literal("}") && c.at_end();
}

struct fast_ticker {
    std::int64_t update_id = 0;
    std::string_view symbol, bid, bid_qty, ask, ask_qty;
};

inline bool match_fast_ticker(std::string_view text, fast_ticker& t) noexcept {
    fast_cursor c(text.data(), text.data() + text.size());
    return c.literal(R"({"u":)") && c.integer(t.update_id) && c.literal(R"(,"s":")") && c.text(t.symbol, symbol_chars{}) &&
           c.literal(R"(,"b":")") && c.text(t.bid, decimal_chars{}) && c.literal(R"(,"B":")") &&
           c.text(t.bid_qty, decimal_chars{}) && c.literal(R"(,"a":")") && c.text(t.ask, decimal_chars{}) &&
           c.literal(R"(,"A":")") && c.text(t.ask_qty, decimal_chars{}) && c.literal("}") && c.at_end();
}

}  // namespace tradewire::exchange::binance::detail
