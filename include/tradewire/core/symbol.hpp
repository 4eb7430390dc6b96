// Canonical instrument symbols and their venue-native spellings.
//
// tradewire names a spot pair `BASE-QUOTE` in upper case ("BTC-USDT") on every venue.
// `symbol` holds that text inline (no heap; 32 bytes) so events can carry it by value and
// books can be keyed by it: equality is four word compares and hashing mixes four words.
// Venues spell the same pair differently; `symbol_style` names the spellings and
// to_native()/from_native() convert both ways. Spellings without a separator (BTCUSDT,
// btcusdt) are split at the longest known quote asset, which is a guess for pairs such as
// "ABUSD" (A/BUSD or AB/USD?); load the venue's instrument list into a `symbol_registry`
// to make every conversion exact. Derivatives (OKX BTC-USDT-SWAP, BTC-USD-240628) carry
// a contract part after the pair: symbol::parse_instrument / from_parts(base, quote,
// contract), contract(), is_derivative().
#pragma once

#include <tradewire/core/error.hpp>

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

namespace tradewire {

enum class symbol_error {
    empty = 1,          // no text, or an empty base or quote
    too_long,           // longer than symbol::max_size (or native_symbol::capacity)
    invalid_character,  // only ASCII letters and digits are allowed in base and quote
    missing_separator,  // the style needs '-', '/' or '_' and it is absent (or appears twice)
    unknown_quote,      // no known quote asset ends the text and no registry entry matches
};

}  // namespace tradewire

template <>
struct std::is_error_code_enum<tradewire::symbol_error> : std::true_type {};

namespace tradewire {

namespace detail {
struct symbol_error_traits {
    static constexpr const char* name = "tradewire.symbol";
    static const char* message(symbol_error e) noexcept {
        switch (e) {
            case symbol_error::empty: return "empty symbol, base or quote";
            case symbol_error::too_long: return "symbol too long";
            case symbol_error::invalid_character: return "invalid character in symbol";
            case symbol_error::missing_separator: return "symbol separator missing or repeated";
            case symbol_error::unknown_quote: return "no known quote asset ends the symbol";
        }
        return "unknown symbol error";
    }
};
}  // namespace detail

inline const std::error_category& symbol_category() noexcept {
    return detail::enum_category<symbol_error, detail::symbol_error_traits>();
}

inline std::error_code make_error_code(symbol_error e) noexcept {
    return {static_cast<int>(e), symbol_category()};
}

// How a venue writes a pair.
enum class symbol_style : std::uint8_t {
    dash,          // BTC-USDT: tradewire's canonical form; OKX, Coinbase
    concat_upper,  // BTCUSDT: Binance payloads and REST, Bybit, MEXC
    concat_lower,  // btcusdt: Binance stream names, HTX
    slash,         // BTC/USD: Kraken WS v2
    underscore,    // BTC_USDT: Gate
};

// A canonical `BASE-QUOTE` symbol. Default-constructed = empty (no symbol, e.g. in a
// connection-level status event).
class symbol {
public:
    static constexpr std::size_t max_size = 30;  // whole text, separator included

    symbol() noexcept = default;

    // From the two assets, any case; the result is upper case.
    static symbol from_parts(std::string_view base, std::string_view quote, std::error_code& ec) noexcept {
        symbol s;
        ec = {};
        if (base.empty() || quote.empty()) {
            ec = symbol_error::empty;
            return s;
        }
        if (base.size() + quote.size() + 1 > max_size) {
            ec = symbol_error::too_long;
            return s;
        }
        char* out = s.chars();
        std::size_t n = 0;
        for (char c : base) {
            const char u = upper_alnum(c);
            if (u == 0) {
                ec = symbol_error::invalid_character;
                return symbol{};
            }
            out[n++] = u;
        }
        out[n++] = '-';
        for (char c : quote) {
            const char u = upper_alnum(c);
            if (u == 0) {
                ec = symbol_error::invalid_character;
                return symbol{};
            }
            out[n++] = u;
        }
        out[size_byte] = static_cast<char>(n);
        out[base_byte] = static_cast<char>(base.size());
        return s;
    }

    // From the canonical text "BTC-USDT" (any case).
    static symbol parse(std::string_view text, std::error_code& ec) noexcept {
        return split_at(text, '-', ec);
    }

    // A derivative: BASE-QUOTE plus a contract part, e.g. OKX's BTC-USDT-SWAP (perpetual),
    // BTC-USD-240628 (futures) or BTC-USD-240628-60000-C (option). The contract is
    // letters, digits and single inner dashes; the whole text at most
    // max_instrument_size. An empty contract makes a spot symbol (from_parts above).
    static constexpr std::size_t max_instrument_size = 29;

    static symbol from_parts(std::string_view base, std::string_view quote, std::string_view contract,
                             std::error_code& ec) noexcept {
        if (contract.empty()) return from_parts(base, quote, ec);
        ec = {};
        if (base.empty() || quote.empty() || contract.front() == '-' || contract.back() == '-') {
            ec = symbol_error::empty;
            return {};
        }
        if (base.size() + quote.size() + contract.size() + 2 > max_instrument_size) {
            ec = symbol_error::too_long;
            return {};
        }
        symbol s = from_parts(base, quote, ec);
        if (ec) return {};
        char* out = s.chars();
        std::size_t n = s.size();
        out[n++] = '-';
        char prev = 0;
        for (const char c : contract) {
            const char u = c == '-' ? '-' : upper_alnum(c);
            if (u == 0 || (u == '-' && prev == '-')) {
                ec = u == 0 ? symbol_error::invalid_character : symbol_error::empty;
                return {};
            }
            out[n++] = u;
            prev = u;
        }
        out[quote_byte] = static_cast<char>(quote.size());
        out[size_byte] = static_cast<char>(n);
        out[base_byte] = static_cast<char>(base.size() | derivative_flag);
        return s;
    }

    // "BTC-USDT" (spot, as parse) or "BTC-USDT-SWAP" / "BTC-USD-240628" (derivative):
    // base up to the first dash, quote up to the second, the contract after it.
    static symbol parse_instrument(std::string_view text, std::error_code& ec) noexcept {
        const std::size_t first = text.find('-');
        const std::size_t second = first == std::string_view::npos ? first : text.find('-', first + 1);
        if (second == std::string_view::npos) return parse(text, ec);
        if (second + 1 == text.size()) {  // "BTC-USDT-": a dash with no contract
            ec = symbol_error::empty;
            return {};
        }
        return from_parts(text.substr(0, first), text.substr(first + 1, second - first - 1), text.substr(second + 1),
                          ec);
    }

    std::string_view str() const noexcept { return {chars(), size()}; }
    std::string_view base() const noexcept { return {chars(), base_size()}; }
    std::string_view quote() const noexcept {
        if (empty()) return {};
        if (is_derivative()) return {chars() + base_size() + 1, quote_size()};
        return {chars() + base_size() + 1, size() - base_size() - 1};
    }
    // The contract part of a derivative ("SWAP", "240628"); empty for spot.
    std::string_view contract() const noexcept {
        if (!is_derivative()) return {};
        const std::size_t at = base_size() + 1 + quote_size() + 1;
        return {chars() + at, size() - at};
    }
    bool is_derivative() const noexcept {
        return (static_cast<unsigned char>(chars()[base_byte]) & derivative_flag) != 0;
    }
    std::size_t size() const noexcept { return static_cast<unsigned char>(chars()[size_byte]); }
    bool empty() const noexcept { return size() == 0; }

    friend bool operator==(const symbol& a, const symbol& b) noexcept {
        return a.words_[0] == b.words_[0] && a.words_[1] == b.words_[1] && a.words_[2] == b.words_[2] &&
               a.words_[3] == b.words_[3];
    }
    // Lexicographic by text, so sorted containers list symbols alphabetically.
    friend std::strong_ordering operator<=>(const symbol& a, const symbol& b) noexcept {
        const int c = a.str().compare(b.str());
        return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
    }

    std::size_t hash() const noexcept {
        // Multiply-xorshift over the four words: cheap and mixes every byte.
        std::uint64_t h = 0x9e3779b97f4a7c15ULL;
        for (std::uint64_t w : words_) {
            h ^= w;
            h *= 0xff51afd7ed558ccdULL;
            h ^= h >> 32;
        }
        return static_cast<std::size_t>(h);
    }

    // ASCII letter or digit in upper case, or 0 when `c` is neither.
    static constexpr char upper_alnum(char c) noexcept {
        if (c >= 'a' && c <= 'z') return static_cast<char>(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return c;
        return 0;
    }

    // "BASE<sep>QUOTE" with exactly one separator.
    static symbol split_at(std::string_view text, char sep, std::error_code& ec) noexcept {
        if (text.empty()) {
            ec = symbol_error::empty;
            return {};
        }
        const std::size_t pos = text.find(sep);
        if (pos == std::string_view::npos || text.find(sep, pos + 1) != std::string_view::npos) {
            ec = symbol_error::missing_separator;
            return {};
        }
        return from_parts(text.substr(0, pos), text.substr(pos + 1), ec);
    }

private:
    static constexpr std::size_t quote_byte = 29;  // derivatives only (their text <= 29)
    static constexpr std::size_t size_byte = 30;
    static constexpr std::size_t base_byte = 31;   // base size; high bit: a derivative
    static constexpr unsigned char derivative_flag = 0x80;
    static_assert(max_size <= size_byte);
    static_assert(max_instrument_size <= quote_byte);

    // char may alias any object, so the text lives in the words' bytes.
    char* chars() noexcept { return reinterpret_cast<char*>(words_.data()); }
    const char* chars() const noexcept { return reinterpret_cast<const char*>(words_.data()); }
    std::size_t base_size() const noexcept {
        return static_cast<unsigned char>(chars()[base_byte]) & static_cast<unsigned char>(~derivative_flag);
    }
    std::size_t quote_size() const noexcept { return static_cast<unsigned char>(chars()[quote_byte]); }

    // 30 text bytes (zero padded; a derivative: 29 and its quote size), size, base size.
    std::array<std::uint64_t, 4> words_{};
};

static_assert(sizeof(symbol) == 32);

// A venue-native spelling, held inline (no heap).
class native_symbol {
public:
    static constexpr std::size_t capacity = 47;

    native_symbol() noexcept = default;
    // False (and the value left empty) when `text` does not fit.
    bool assign(std::string_view text) noexcept {
        size_ = 0;
        if (text.size() > capacity) return false;
        std::memcpy(data_, text.data(), text.size());
        size_ = static_cast<std::uint8_t>(text.size());
        return true;
    }
    std::string_view view() const noexcept { return {data_, size_}; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    friend bool operator==(const native_symbol& a, const native_symbol& b) noexcept { return a.view() == b.view(); }
    friend bool operator==(const native_symbol& a, std::string_view b) noexcept { return a.view() == b; }

private:
    char data_[capacity] = {};
    std::uint8_t size_ = 0;
};

namespace detail {

// Quote assets tried, longest first, when a venue writes pairs without a separator.
// A longer quote wins over a shorter one it ends with (BUSD before USD, USDT before
// USD is moot: a suffix check never confuses them).
inline constexpr std::string_view known_quotes_unsorted[] = {
    "PYUSD", "FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "USDE", "USDS", "USD1", "AEUR", "EURI",
    "EURC",  "BIDR",  "IDRT", "BVND", "DOGE", "DAI",  "BTC",  "ETH",  "BNB",  "SOL",  "XRP",  "TRX",
    "DOT",   "PAX",   "UST",  "VAI",  "EUR",  "USD",  "GBP",  "AUD",  "TRY",  "BRL",  "JPY",  "KRW",
    "RUB",   "UAH",   "ZAR",  "IDR",  "NGN",  "PLN",  "RON",  "ARS",  "MXN",  "COP",  "CZK",  "CAD",
    "CHF",
};

inline constexpr auto known_quotes = [] {
    constexpr std::size_t n = std::size(known_quotes_unsorted);
    std::array<std::string_view, n> q{};
    for (std::size_t i = 0; i < n; ++i) q[i] = known_quotes_unsorted[i];
    // Stable insertion sort by length, longest first (constexpr-friendly).
    for (std::size_t i = 1; i < n; ++i) {
        for (std::size_t j = i; j > 0 && q[j - 1].size() < q[j].size(); --j) {
            const std::string_view t = q[j];
            q[j] = q[j - 1];
            q[j - 1] = t;
        }
    }
    return q;
}();

// Splits an unseparated pair at the longest known quote that leaves a non-empty base.
inline symbol split_concat(std::string_view text, std::error_code& ec) noexcept {
    if (text.empty()) {
        ec = symbol_error::empty;
        return {};
    }
    if (text.size() > symbol::max_size - 1) {
        ec = symbol_error::too_long;
        return {};
    }
    char up[symbol::max_size];
    for (std::size_t i = 0; i < text.size(); ++i) {
        up[i] = symbol::upper_alnum(text[i]);
        if (up[i] == 0) {
            ec = symbol_error::invalid_character;
            return {};
        }
    }
    const std::string_view u(up, text.size());
    for (std::string_view q : known_quotes) {
        if (q.size() < u.size() && u.substr(u.size() - q.size()) == q) {
            return symbol::from_parts(u.substr(0, u.size() - q.size()), q, ec);
        }
    }
    ec = symbol_error::unknown_quote;
    return {};
}

}  // namespace detail

// Venue text -> canonical symbol, by the style's rules alone (see symbol_registry for the
// exact, list-driven conversion).
inline symbol from_native(std::string_view text, symbol_style style, std::error_code& ec) noexcept {
    ec = {};
    switch (style) {
        case symbol_style::dash: return symbol::split_at(text, '-', ec);
        case symbol_style::slash: return symbol::split_at(text, '/', ec);
        case symbol_style::underscore: return symbol::split_at(text, '_', ec);
        case symbol_style::concat_upper:
        case symbol_style::concat_lower: return detail::split_concat(text, ec);
    }
    ec = symbol_error::missing_separator;
    return {};
}

// Canonical symbol -> venue text. An empty symbol gives an empty result; so does a
// derivative in any style but dash (its only spelling here is OKX's instId).
inline native_symbol to_native(const symbol& s, symbol_style style) noexcept {
    native_symbol out;
    if (s.empty()) return out;
    if (s.is_derivative()) {
        if (style == symbol_style::dash) out.assign(s.str());
        return out;
    }
    char buf[symbol::max_size];
    const std::string_view base = s.base();
    const std::string_view quote = s.quote();
    std::size_t n = 0;
    const bool lower = style == symbol_style::concat_lower;
    auto put = [&](std::string_view part) {
        for (char c : part) buf[n++] = (lower && c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    put(base);
    switch (style) {
        case symbol_style::dash: buf[n++] = '-'; break;
        case symbol_style::slash: buf[n++] = '/'; break;
        case symbol_style::underscore: buf[n++] = '_'; break;
        case symbol_style::concat_upper:
        case symbol_style::concat_lower: break;
    }
    put(quote);
    out.assign(std::string_view(buf, n));
    return out;
}

// A venue's instrument list: native spelling <-> canonical symbol, exact. Fill it once
// from the venue's exchange-info (native, base asset, quote asset) triples; lookups do
// not allocate. Native lookups ignore ASCII case (Binance writes BTCUSDT in payloads and
// btcusdt in stream names). Text not in the list falls back to the style's rules.
class symbol_registry {
public:
    explicit symbol_registry(symbol_style style) noexcept : style_(style) {}

    symbol_style style() const noexcept { return style_; }
    std::size_t size() const noexcept { return by_native_.size(); }
    bool empty() const noexcept { return by_native_.empty(); }
    void reserve(std::size_t n) {
        by_native_.reserve(n);
        by_symbol_.reserve(n);
    }
    void clear() noexcept {
        by_native_.clear();
        by_symbol_.clear();
    }

    // Adds or replaces one instrument (allocates; call at start-up, not per message).
    std::error_code add(std::string_view native, std::string_view base, std::string_view quote) {
        std::error_code ec;
        const symbol s = symbol::from_parts(base, quote, ec);
        if (ec) return ec;
        entry e;
        if (native.empty()) return symbol_error::empty;
        if (!e.native.assign(native)) return symbol_error::too_long;
        fold_upper(native, e.key);
        e.canonical = s;
        const auto by_key = [](const entry& a, const entry& b) { return a.key.view() < b.key.view(); };
        const auto by_canonical = [](const entry& a, const entry& b) { return a.canonical < b.canonical; };
        const auto it = std::lower_bound(by_native_.begin(), by_native_.end(), e, by_key);
        if (it != by_native_.end() && it->key.view() == e.key.view()) {
            // Re-listed: forget the old canonical's reverse mapping if it was this one.
            const auto old = std::lower_bound(by_symbol_.begin(), by_symbol_.end(), *it, by_canonical);
            if (old != by_symbol_.end() && old->canonical == it->canonical && old->key.view() == e.key.view()) {
                by_symbol_.erase(old);
            }
            *it = e;
        } else {
            by_native_.insert(it, e);
        }
        const auto at = std::lower_bound(by_symbol_.begin(), by_symbol_.end(), e, by_canonical);
        if (at != by_symbol_.end() && at->canonical == e.canonical) {
            *at = e;
        } else {
            by_symbol_.insert(at, e);
        }
        return {};
    }

    // Exact lookup first, then the style's rules.
    symbol to_canonical(std::string_view native, std::error_code& ec) const noexcept {
        ec = {};
        if (const entry* e = find_native(native)) return e->canonical;
        return from_native(native, style_, ec);
    }

    // The listed native spelling (in the style's case), or the style's spelling.
    native_symbol to_native(const symbol& s) const noexcept {
        const auto it = std::lower_bound(by_symbol_.begin(), by_symbol_.end(), s,
                                         [](const entry& a, const symbol& b) { return a.canonical < b; });
        if (it != by_symbol_.end() && it->canonical == s) {
            if (style_ != symbol_style::concat_lower) return it->native;
            native_symbol lower;
            char buf[native_symbol::capacity];
            const std::string_view v = it->native.view();
            for (std::size_t i = 0; i < v.size(); ++i) {
                const char c = v[i];
                buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            }
            lower.assign(std::string_view(buf, v.size()));
            return lower;
        }
        return tradewire::to_native(s, style_);
    }

    bool contains(std::string_view native) const noexcept { return find_native(native) != nullptr; }

private:
    struct entry {
        native_symbol key;     // upper-cased native text, the lookup key
        native_symbol native;  // as listed
        symbol canonical;
    };

    static void fold_upper(std::string_view in, native_symbol& out) noexcept {
        char buf[native_symbol::capacity];
        const std::size_t n = std::min(in.size(), native_symbol::capacity);
        for (std::size_t i = 0; i < n; ++i) {
            const char c = in[i];
            buf[i] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        }
        out.assign(std::string_view(buf, n));
    }

    const entry* find_native(std::string_view native) const noexcept {
        if (native.size() > native_symbol::capacity || by_native_.empty()) return nullptr;
        native_symbol key;
        fold_upper(native, key);
        const auto it = std::lower_bound(by_native_.begin(), by_native_.end(), key.view(),
                                         [](const entry& a, std::string_view b) { return a.key.view() < b; });
        if (it != by_native_.end() && it->key.view() == key.view()) return &*it;
        return nullptr;
    }

    symbol_style style_;
    std::vector<entry> by_native_;  // sorted by key
    std::vector<entry> by_symbol_;  // sorted by canonical
};

}  // namespace tradewire

template <>
struct std::hash<tradewire::symbol> {
    std::size_t operator()(const tradewire::symbol& s) const noexcept { return s.hash(); }
};
