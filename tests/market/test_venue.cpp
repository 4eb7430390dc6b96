// Venue names and the symbol spelling each venue uses.
#include "catch.hpp"

#include <tradewire/market/venue.hpp>

using namespace tradewire::market;
using tradewire::symbol_style;

TEST_CASE("venue names round-trip") {
    for (std::size_t i = 0; i < venue_count; ++i) {
        const auto v = static_cast<venue>(i);
        CHECK(parse_venue(to_string(v)) == v);
    }
    CHECK(to_string(venue::okx) == "okx");
    CHECK(to_string(venue::coinbase) == "coinbase");
    CHECK_FALSE(parse_venue("OKX"));
    CHECK_FALSE(parse_venue("ftx"));
    CHECK(to_string(static_cast<venue>(42)) == "unknown");
}

TEST_CASE("each venue's symbol spelling") {
    CHECK(native_style(venue::binance) == symbol_style::concat_upper);
    CHECK(native_style(venue::bybit) == symbol_style::concat_upper);
    CHECK(native_style(venue::mexc) == symbol_style::concat_upper);
    CHECK(native_style(venue::okx) == symbol_style::dash);
    CHECK(native_style(venue::coinbase) == symbol_style::dash);
    CHECK(native_style(venue::kraken) == symbol_style::slash);
    CHECK(native_style(venue::gate) == symbol_style::underscore);
    CHECK(native_style(venue::htx) == symbol_style::concat_lower);
    std::error_code ec;
    const auto s = tradewire::from_native("GT_USDT", native_style(venue::gate), ec);
    CHECK(tradewire::to_native(s, native_style(venue::kraken)) == "GT/USDT");
}
