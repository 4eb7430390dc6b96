// Derivative symbols (core/symbol.hpp): BASE-QUOTE plus a contract part, as OKX names
// perpetuals, futures and options; parse_instrument, parts, limits, to_native.
#include "catch.hpp"

#include <tradewire/core/symbol.hpp>

#include <string>

using namespace tradewire;

TEST_CASE("derivative symbols: parse_instrument and parts") {
    std::error_code ec;
    const symbol swap = symbol::parse_instrument("btc-usdt-swap", ec);
    REQUIRE_FALSE(ec);
    CHECK(swap.str() == "BTC-USDT-SWAP");
    CHECK(swap.base() == "BTC");
    CHECK(swap.quote() == "USDT");
    CHECK(swap.contract() == "SWAP");
    CHECK(swap.is_derivative());
    const symbol fut = symbol::parse_instrument("BTC-USD-240628", ec);
    REQUIRE_FALSE(ec);
    CHECK(fut.quote() == "USD");
    CHECK(fut.contract() == "240628");
    const symbol opt = symbol::parse_instrument("BTC-USD-240628-60000-C", ec);
    REQUIRE_FALSE(ec);
    CHECK(opt.quote() == "USD");
    CHECK(opt.contract() == "240628-60000-C");
    // Spot stays spot, and equal to parse().
    const symbol spot = symbol::parse_instrument("BTC-USDT", ec);
    REQUIRE_FALSE(ec);
    CHECK_FALSE(spot.is_derivative());
    CHECK(spot.contract().empty());
    CHECK(spot == symbol::parse("BTC-USDT", ec));
    // Distinct from each other and from the spot pair.
    CHECK(swap != spot);
    CHECK(swap != fut);
    CHECK(swap.hash() != spot.hash());
    CHECK(swap == symbol::from_parts("btc", "usdt", "swap", ec));
    // parse() itself keeps accepting only BASE-QUOTE.
    CHECK(symbol::parse("BTC-USDT-SWAP", ec).empty());
}

TEST_CASE("derivative symbols: limits and bad contracts") {
    std::error_code ec;
    const std::string longest = "ABCDEFGH-USDT-240628-60000-C";                 // 28 characters
    CHECK(symbol::parse_instrument(longest + "X", ec).str() == longest + "X");  // 29: fits
    CHECK_FALSE(ec);
    CHECK(symbol::parse_instrument(longest + "XY", ec).empty());
    CHECK(ec == symbol_error::too_long);
    CHECK(symbol::parse_instrument("BTC-USDT-", ec).empty());
    CHECK(ec);
    CHECK(symbol::parse_instrument("BTC-USDT-SW--AP", ec).empty());
    CHECK(ec);
    CHECK(symbol::parse_instrument("BTC-USDT-SW_AP", ec).empty());
    CHECK(ec == symbol_error::invalid_character);
    CHECK(symbol::parse_instrument("BTC--SWAP", ec).empty());
    CHECK(ec == symbol_error::empty);
    // The longest derivative (29) leaves the quote-size byte alone.
    const symbol s = symbol::from_parts("A", "B", std::string(25, 'C'), ec);
    CHECK(s.size() == 29);
    CHECK(s.quote() == "B");
    CHECK(s.contract() == std::string(25, 'C'));
    CHECK_FALSE(ec);
}

TEST_CASE("derivative symbols: only the dash style spells them") {
    std::error_code ec;
    const symbol swap = symbol::parse_instrument("BCH-USDT-SWAP", ec);
    CHECK(to_native(swap, symbol_style::dash).view() == "BCH-USDT-SWAP");
    CHECK(to_native(swap, symbol_style::concat_upper).view().empty());
    CHECK(to_native(swap, symbol_style::concat_lower).view().empty());
    CHECK(to_native(swap, symbol_style::underscore).view().empty());
}
