// Canonical symbols: construction, comparison and hashing, conversions to and from each
// venue spelling, the quote-list split and its ambiguous cases, and the exact registry.
#include "catch.hpp"

#include <tradewire/core/symbol.hpp>

#include <string>
#include <unordered_set>

using tradewire::from_native;
using tradewire::symbol;
using tradewire::symbol_error;
using tradewire::symbol_registry;
using tradewire::symbol_style;
using tradewire::to_native;

namespace {
symbol sym(std::string_view text) {
    std::error_code ec;
    const symbol s = symbol::parse(text, ec);
    REQUIRE_FALSE(ec);
    return s;
}
}  // namespace

TEST_CASE("symbol parses and exposes BASE-QUOTE in upper case") {
    std::error_code ec;
    const symbol s = symbol::parse("btc-usdt", ec);
    REQUIRE_FALSE(ec);
    CHECK(s.str() == "BTC-USDT");
    CHECK(s.base() == "BTC");
    CHECK(s.quote() == "USDT");
    CHECK(s.size() == 8);
    CHECK_FALSE(s.empty());

    const symbol p = symbol::from_parts("eth", "Btc", ec);
    REQUIRE_FALSE(ec);
    CHECK(p.str() == "ETH-BTC");

    const symbol empty;
    CHECK(empty.empty());
    CHECK(empty.str().empty());
    CHECK(empty.base().empty());
    CHECK(empty.quote().empty());
}

TEST_CASE("symbol rejects malformed text with an error code") {
    std::error_code ec;
    CHECK(symbol::parse("", ec).empty());
    CHECK(ec == symbol_error::empty);
    CHECK(symbol::parse("BTCUSDT", ec).empty());
    CHECK(ec == symbol_error::missing_separator);
    CHECK(symbol::parse("BTC-USDT-SWAP", ec).empty());
    CHECK(ec == symbol_error::missing_separator);
    CHECK(symbol::parse("-USDT", ec).empty());
    CHECK(ec == symbol_error::empty);
    CHECK(symbol::parse("BTC-", ec).empty());
    CHECK(ec == symbol_error::empty);
    CHECK(symbol::parse("BT C-USDT", ec).empty());
    CHECK(ec == symbol_error::invalid_character);
    CHECK(symbol::parse("BTC-US\xC3\x9C", ec).empty());
    CHECK(ec == symbol_error::invalid_character);
    // 30 characters fit, 31 do not.
    CHECK_FALSE(symbol::parse(std::string(25, 'A') + "-USDT", ec).empty());
    CHECK_FALSE(ec);
    CHECK(symbol::parse(std::string(26, 'A') + "-USDT", ec).empty());
    CHECK(ec == symbol_error::too_long);
    CHECK(std::string(ec.category().name()) == "tradewire.symbol");
    CHECK_FALSE(ec.message().empty());
}

TEST_CASE("symbol compares by value, orders alphabetically and hashes consistently") {
    CHECK(sym("BTC-USDT") == sym("btc-usdt"));
    CHECK_FALSE(sym("BTC-USDT") == sym("BTC-USDC"));
    CHECK(sym("BTC-USDC") < sym("BTC-USDT"));
    CHECK(sym("BTC-USDT") < sym("BTCST-USDT"));  // '-' sorts before letters
    CHECK(sym("AB-USD") < sym("ABC-USD"));
    CHECK(std::hash<symbol>{}(sym("ETH-USDT")) == std::hash<symbol>{}(sym("eth-usdt")));
    // Same letters, different split: different symbols.
    CHECK_FALSE(sym("A-BUSD") == sym("AB-USD"));
    std::unordered_set<symbol> set{sym("BTC-USDT"), sym("ETH-USDT"), sym("BTC-USDT")};
    CHECK(set.size() == 2);
    CHECK(sizeof(symbol) == 32);
}

TEST_CASE("canonical symbol to each venue spelling") {
    const symbol s = sym("BTC-USDT");
    CHECK(to_native(s, symbol_style::concat_upper) == "BTCUSDT");
    CHECK(to_native(s, symbol_style::concat_lower) == "btcusdt");
    CHECK(to_native(s, symbol_style::dash) == "BTC-USDT");
    CHECK(to_native(sym("BTC-USD"), symbol_style::slash) == "BTC/USD");
    CHECK(to_native(s, symbol_style::underscore) == "BTC_USDT");
    CHECK(to_native(symbol{}, symbol_style::dash).empty());
}

TEST_CASE("venue spellings with a separator convert back exactly") {
    std::error_code ec;
    CHECK(from_native("BTC-USDT", symbol_style::dash, ec) == sym("BTC-USDT"));
    CHECK_FALSE(ec);
    CHECK(from_native("BTC/USD", symbol_style::slash, ec) == sym("BTC-USD"));
    CHECK(from_native("MATIC/USD", symbol_style::slash, ec) == sym("MATIC-USD"));
    CHECK(from_native("GT_USDT", symbol_style::underscore, ec) == sym("GT-USDT"));
    CHECK_FALSE(ec);
    CHECK(from_native("BTCUSDT", symbol_style::dash, ec).empty());
    CHECK(ec == symbol_error::missing_separator);
    CHECK(from_native("BTC_USDT", symbol_style::slash, ec).empty());
    CHECK(ec == symbol_error::missing_separator);
}

TEST_CASE("unseparated spellings split at the longest known quote") {
    std::error_code ec;
    auto split = [&](std::string_view text, symbol_style style = symbol_style::concat_upper) {
        const symbol s = from_native(text, style, ec);
        return std::string(s.str());
    };
    CHECK(split("BTCUSDT") == "BTC-USDT");
    CHECK(split("btcusdt", symbol_style::concat_lower) == "BTC-USDT");
    CHECK(split("BNBBTC") == "BNB-BTC");
    CHECK(split("ETHBTC") == "ETH-BTC");
    CHECK(split("BTCFDUSD") == "BTC-FDUSD");  // not BTCF-DUSD or BTCFD-USD
    CHECK(split("BTCTUSD") == "BTC-TUSD");    // TUSD (4) is tried before USD (3)
    CHECK(split("ETHBUSD") == "ETH-BUSD");
    CHECK(split("USDTTRY") == "USDT-TRY");
    CHECK(split("BTCEUR") == "BTC-EUR");
    CHECK(split("ETHDAI") == "ETH-DAI");
    CHECK(split("htusdt", symbol_style::concat_lower) == "HT-USDT");
    CHECK(split("1000SATSUSDT") == "1000SATS-USDT");
    CHECK_FALSE(ec);
    // The whole text is a quote: nothing is left for the base.
    CHECK(split("USDT").empty());
    CHECK(ec == symbol_error::unknown_quote);
    CHECK(split("FOOBAR").empty());
    CHECK(ec == symbol_error::unknown_quote);
    CHECK(split("").empty());
    CHECK(ec == symbol_error::empty);
    CHECK(split("BTC-USDT").empty());
    CHECK(ec == symbol_error::invalid_character);
}

TEST_CASE("ambiguous unseparated spellings are guesses that a registry corrects") {
    std::error_code ec;
    // "ABUSD" is A/BUSD by the longest-quote rule; the venue may list it as AB/USD.
    CHECK(from_native("ABUSD", symbol_style::concat_upper, ec) == sym("A-BUSD"));
    // "BTCTUSD" could be BTCT/USD; the rule says BTC/TUSD.
    CHECK(from_native("BTCTUSD", symbol_style::concat_upper, ec) == sym("BTC-TUSD"));

    symbol_registry reg(symbol_style::concat_upper);
    REQUIRE_FALSE(reg.add("ABUSD", "AB", "USD"));
    REQUIRE_FALSE(reg.add("BTCTUSD", "BTCT", "USD"));
    REQUIRE_FALSE(reg.add("BTCUSDT", "BTC", "USDT"));
    CHECK(reg.size() == 3);
    CHECK(reg.to_canonical("ABUSD", ec) == sym("AB-USD"));
    CHECK(reg.to_canonical("abusd", ec) == sym("AB-USD"));  // case-insensitive lookup
    CHECK(reg.to_canonical("BTCTUSD", ec) == sym("BTCT-USD"));
    CHECK_FALSE(ec);
    // Not listed: the style's rule.
    CHECK(reg.to_canonical("ETHBTC", ec) == sym("ETH-BTC"));
    CHECK_FALSE(ec);
    CHECK(reg.to_canonical("ZZZQQQ", ec).empty());
    CHECK(ec == symbol_error::unknown_quote);
    // Back to the listed spelling.
    CHECK(reg.to_native(sym("AB-USD")) == "ABUSD");
    CHECK(reg.to_native(sym("BTCT-USD")) == "BTCTUSD");
    CHECK(reg.to_native(sym("ETH-BTC")) == "ETHBTC");
    CHECK(reg.contains("btcusdt"));
    CHECK_FALSE(reg.contains("ETHBTC"));
}

TEST_CASE("a registry keeps each venue's listed spelling and case") {
    std::error_code ec;
    symbol_registry htx(symbol_style::concat_lower);
    REQUIRE_FALSE(htx.add("btcusdt", "btc", "usdt"));
    CHECK(htx.to_native(sym("BTC-USDT")) == "btcusdt");
    CHECK(htx.to_canonical("btcusdt", ec) == sym("BTC-USDT"));

    // Kraken v1 lists XBT/USD for what v2 calls BTC/USD.
    symbol_registry kraken(symbol_style::slash);
    REQUIRE_FALSE(kraken.add("XBT/USD", "BTC", "USD"));
    CHECK(kraken.to_canonical("XBT/USD", ec) == sym("BTC-USD"));
    CHECK(kraken.to_native(sym("BTC-USD")) == "XBT/USD");
    CHECK(kraken.to_native(sym("ETH-USD")) == "ETH/USD");

    // Re-adding a native name replaces its mapping, in both directions.
    REQUIRE_FALSE(kraken.add("XBT/USD", "XBT", "USD"));
    CHECK(kraken.size() == 1);
    CHECK(kraken.to_canonical("XBT/USD", ec) == sym("XBT-USD"));
    CHECK(kraken.to_native(sym("BTC-USD")) == "BTC/USD");

    CHECK(kraken.add("", "BTC", "USD") == symbol_error::empty);
    CHECK(kraken.add("X", "", "USD") == symbol_error::empty);
    CHECK(kraken.add(std::string(48, 'X'), "BTC", "USD") == symbol_error::too_long);
    kraken.clear();
    CHECK(kraken.empty());
}
