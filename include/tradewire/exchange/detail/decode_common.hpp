// Pieces every venue decoder shares: the failure record, decimal and integer field
// conversion with the right error codes, book-level arrays, a small symbol cache so the
// hot path does not re-split "BTCUSDT" for every message, and kline interval text.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/json.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/exchange/error.hpp>
#include <tradewire/exchange/exchange.hpp>
#include <tradewire/market/events.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <vector>

namespace tradewire::exchange::detail {

// Why the current message failed; the first failure wins.
struct failure {
    std::error_code code;
    std::string_view reason;

    bool set(std::error_code c, std::string_view r) noexcept {
        if (!code) {
            code = c;
            reason = r;
        }
        return false;
    }
    explicit operator bool() const noexcept { return static_cast<bool>(code); }
};

// Maps a reader failure to a decode failure: a JSON value of the wrong type or an
// out-of-range integer is the field's fault (reason names it); broken JSON is the message's.
inline bool json_failed(const json_reader& r, failure& f, std::string_view field_reason) noexcept {
    switch (r.error()) {
        case json_error::type_mismatch: return f.set(error::wrong_type, field_reason);
        case json_error::not_an_integer:
        case json_error::number_out_of_range: return f.set(error::invalid_number, field_reason);
        default: return f.set(r.error_code(), field_reason);
    }
}

// The message does not start with '{': malformed JSON, or valid JSON of the wrong shape.
inline bool not_an_object(json_reader& r, failure& f, std::string_view reason_malformed,
                          std::string_view reason_shape) noexcept {
    if (r.ok()) {
        r.skip();
        r.finish();
    }
    if (!r.ok()) return json_failed(r, f, reason_malformed);
    return f.set(error::unknown_message, reason_shape);
}

// Price and size text -> decimal, exactly. Venues send plain decimals only, so anything
// else is rejected even where decimal::parse would accept it: an exponent ("1e-5"), a
// sign '+', a bare point (".5", "5."), redundant leading zeros ("007", which would also
// break checksums over the received text), whitespace. The scale is kept as sent.
inline bool to_decimal(std::string_view text, decimal& out) noexcept {
    const char* p = text.data();
    const char* const end = p + text.size();
    const bool neg = p != end && *p == '-';
    if (neg) ++p;
    if (p == end || *p < '0' || *p > '9') return false;
    if (*p == '0' && p + 1 != end && p[1] >= '0' && p[1] <= '9') return false;
    std::uint64_t m = 0;
    int digits = 0, decimals = 0;
    for (; p != end && *p >= '0' && *p <= '9'; ++p, ++digits) m = m * 10 + static_cast<std::uint64_t>(*p - '0');
    if (digits > 18) m = 0;  // may have wrapped; the slow path below decides
    if (p != end) {
        if (*p != '.') return false;
        ++p;
        if (p == end) return false;
        for (; p != end && *p >= '0' && *p <= '9'; ++p, ++digits, ++decimals) {
            if (digits < 18) m = m * 10 + static_cast<std::uint64_t>(*p - '0');
        }
        if (p != end || decimals == 0) return false;
    }
    if (digits > 18) {
        // More than 18 digits: exact only when the excess digits are zeros (decimal::parse
        // drops them); otherwise too_many_digits.
        const decimal_parse_result r = decimal::parse(text);
        if (!r) return false;
        out = r.value;
        return true;
    }
    const auto mantissa = static_cast<std::int64_t>(m);
    const decimal_result r = decimal::from_parts(neg ? -mantissa : mantissa, -decimals);
    if (!r) return false;
    out = r.value;
    return true;
}

// An integer sent as a JSON string (OKX timestamps and ids).
inline bool string_to_int64(std::string_view text, std::int64_t& out) noexcept { return parse_int64(text, out); }

// Reads an array of levels [[price, size, ...], ...] into `out` (cleared first). Each
// level needs at least two strings; further elements (OKX's "0" and order count) must be
// strings and are ignored. More than `max_levels` levels is an error.
inline bool read_levels(json_reader& r, std::vector<market::book_level>& out, std::size_t max_levels,
                        failure& f, std::string_view reason) noexcept {
    out.clear();
    if (!r.begin_array()) return json_failed(r, f, reason);
    while (r.next_element()) {
        if (out.size() == max_levels) return f.set(error::too_many_levels, reason);
        if (!r.begin_array()) return json_failed(r, f, reason);
        std::string_view p, q;
        if (!r.next_element()) return r.ok() ? f.set(error::missing_field, reason) : json_failed(r, f, reason);
        if (!r.read_string(p)) return json_failed(r, f, reason);
        if (!r.next_element()) return r.ok() ? f.set(error::missing_field, reason) : json_failed(r, f, reason);
        if (!r.read_string(q)) return json_failed(r, f, reason);
        while (r.next_element()) {
            std::string_view extra;
            if (!r.read_string(extra)) return json_failed(r, f, reason);
        }
        if (!r.ok()) return json_failed(r, f, reason);
        market::book_level level;
        if (!to_decimal(p, level.price) || !to_decimal(q, level.quantity)) return f.set(error::invalid_number, reason);
        if (level.price.mantissa() <= 0 || level.quantity.mantissa() < 0) return f.set(error::invalid_value, reason);
        // Capacity is reserved up front and only grows to the largest message seen.
        out.push_back(level);
    }
    if (!r.ok()) return json_failed(r, f, reason);
    return true;
}

// Native pair text -> canonical symbol, remembered in a small direct-mapped cache (no heap)
// because splitting "BTCUSDT" at a known quote asset costs more than the rest of a trade
// decode. An optional registry (the venue's instrument list) makes conversions exact.
class symbol_cache {
public:
    static constexpr std::size_t slots = 64;

    explicit symbol_cache(symbol_style style) noexcept : style_(style) {}

    void set_registry(const symbol_registry* registry) noexcept {
        registry_ = registry;
        for (auto& e : entries_) e.size = 0;
    }

    bool lookup(std::string_view native, symbol& out) noexcept {
        if (native.empty() || native.size() > key_capacity) return convert(native, out);
        const std::size_t slot = hash(native) % slots;
        entry& e = entries_[slot];
        if (e.size == native.size() && std::string_view(e.key.data(), e.size) == native) {
            out = e.value;
            return true;
        }
        if (!convert(native, out)) return false;
        for (std::size_t i = 0; i < native.size(); ++i) e.key[i] = native[i];
        e.size = static_cast<std::uint8_t>(native.size());
        e.value = out;
        return true;
    }

private:
    static constexpr std::size_t key_capacity = 31;

    struct entry {
        std::array<char, key_capacity> key{};
        std::uint8_t size = 0;
        symbol value;
    };

    static std::size_t hash(std::string_view s) noexcept {
        std::uint64_t h = 0xcbf29ce484222325ull;
        for (const char c : s) {
            h ^= static_cast<unsigned char>(c);
            h *= 0x100000001b3ull;
        }
        return static_cast<std::size_t>(h ^ (h >> 29));
    }

    bool convert(std::string_view native, symbol& out) const noexcept {
        std::error_code ec;
        out = registry_ ? registry_->to_canonical(native, ec) : from_native(native, style_, ec);
        return !ec;
    }

    symbol_style style_;
    const symbol_registry* registry_ = nullptr;
    std::array<entry, slots> entries_{};
};

// "1m", "15m", "1h", "1d", "1w", "1M", "1s" (Binance's spelling, also tradewire's
// venue-neutral text); "1M" is a month, "1m" a minute.
inline bool parse_interval_text(std::string_view t, market::kline_interval& out) noexcept {
    if (t.size() < 2 || t.size() > 4) return false;
    std::uint32_t n = 0;
    std::size_t i = 0;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) n = n * 10 + static_cast<std::uint32_t>(t[i] - '0');
    if (i == 0 || i + 1 != t.size() || n == 0) return false;
    switch (t[i]) {
        case 's': out = {n, market::interval_unit::second}; return true;
        case 'm': out = {n, market::interval_unit::minute}; return true;
        case 'h': out = {n, market::interval_unit::hour}; return true;
        case 'd': out = {n, market::interval_unit::day}; return true;
        case 'w': out = {n, market::interval_unit::week}; return true;
        case 'M': out = {n, market::interval_unit::month}; return true;
        default: return false;
    }
}

// Writes the venue-neutral text of an interval ("1m", "4h", "1M") into out (>= 12 chars);
// returns the length.
inline std::size_t interval_text(market::kline_interval iv, char* out) noexcept {
    char buf[12];
    std::size_t i = sizeof buf;
    std::uint32_t n = iv.count;
    do {
        buf[--i] = static_cast<char>('0' + n % 10);
        n /= 10;
    } while (n != 0);
    std::size_t len = 0;
    for (; i < sizeof buf; ++i) out[len++] = buf[i];
    static constexpr char units[] = {'s', 'm', 'h', 'd', 'w', 'M'};
    out[len++] = units[static_cast<std::size_t>(iv.unit) % 6];
    return len;
}

}  // namespace tradewire::exchange::detail
