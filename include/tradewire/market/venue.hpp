// The venues tradewire speaks to, their names, and how each spells a spot pair.
// `venue` values are dense from 0 so tables can be indexed by them.
#pragma once

#include <tradewire/core/symbol.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tradewire::market {

enum class venue : std::uint8_t { binance, bybit, okx, coinbase, kraken, gate, htx, mexc };

inline constexpr std::size_t venue_count = 8;

inline constexpr std::string_view venue_names[venue_count] = {"binance",  "bybit", "okx", "coinbase",
                                                              "kraken",   "gate",  "htx", "mexc"};

constexpr std::string_view to_string(venue v) noexcept {
    const auto i = static_cast<std::size_t>(v);
    return i < venue_count ? venue_names[i] : std::string_view{"unknown"};
}

// Exact lower-case name ("okx") -> venue.
constexpr std::optional<venue> parse_venue(std::string_view name) noexcept {
    for (std::size_t i = 0; i < venue_count; ++i) {
        if (venue_names[i] == name) return static_cast<venue>(i);
    }
    return std::nullopt;
}

// How the venue writes a pair in its payloads and subscriptions. Binance stream names
// use symbol_style::concat_lower instead (btcusdt@depth).
constexpr symbol_style native_style(venue v) noexcept {
    switch (v) {
        case venue::binance:
        case venue::bybit:
        case venue::mexc: return symbol_style::concat_upper;
        case venue::okx:
        case venue::coinbase: return symbol_style::dash;
        case venue::kraken: return symbol_style::slash;
        case venue::gate: return symbol_style::underscore;
        case venue::htx: return symbol_style::concat_lower;
    }
    return symbol_style::dash;
}

}  // namespace tradewire::market
