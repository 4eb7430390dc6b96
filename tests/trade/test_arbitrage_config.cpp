// examples/arbitrage_bot/config.hpp: a full valid configuration, the defaults of missing
// keys, and every invalid key, type and range with the key it names.
#include "catch.hpp"

#include "../../examples/arbitrage_bot/config.hpp"

#include <string>

using namespace tradewire;
using arbitrage_bot::bot_config;
using arbitrage_bot::config_error;
using arbitrage_bot::load_config;
using market::venue;

namespace {
decimal D(const char* text) { return decimal::parse(text).value; }

config_error fails(const std::string& text) {
    bot_config c;
    config_error e;
    INFO(text);
    CHECK_FALSE(load_config(text, c, e));
    return e;
}
}  // namespace

TEST_CASE("arbitrage config: a full valid file") {
    const std::string text = R"({
        "venues": ["okx", "binance", "kraken"],
        "symbols": ["BTC-USDT", "eth-usdt"],
        "threshold_bps": "2.5",
        "taker_fee_bps": {"binance": 7.5, "okx": "8"},
        "lot_size": "0.0001",
        "staleness_ms": 250,
        "cooldown_ms": 0,
        "limits": {"max_position": "0.5", "max_order_notional": 20000, "max_order_quantity": "0.1",
                   "max_open_orders": 4, "max_loss": "50"},
        "duration_s": 60,
        "seed": 18446744073709551615,
        "live": true
    })";
    bot_config c;
    config_error e;
    REQUIRE(load_config(text, c, e));
    REQUIRE(c.venues.size() == 3);
    CHECK(c.venues[0] == venue::okx);
    CHECK(c.venues[2] == venue::kraken);
    REQUIRE(c.symbols.size() == 2);
    CHECK(c.symbols[1].str() == "ETH-USDT");
    CHECK(c.threshold_bps == D("2.5"));
    CHECK(c.taker_fee_rate[static_cast<std::size_t>(venue::binance)] == D("0.00075"));
    CHECK(c.taker_fee_rate[static_cast<std::size_t>(venue::okx)] == D("0.0008"));
    CHECK(c.taker_fee_rate[static_cast<std::size_t>(venue::kraken)] == D("0.004"));  // default kept
    CHECK(c.lot_size == D("0.0001"));
    CHECK(c.staleness_ms == 250);
    CHECK(c.cooldown_ms == 0);
    CHECK(c.limits.max_position == D("0.5"));
    CHECK(c.limits.max_order_notional == D("20000"));
    CHECK(c.limits.max_order_quantity == D("0.1"));
    CHECK(c.limits.max_open_orders == 4);
    CHECK(c.limits.max_loss == D("50"));
    CHECK(c.duration_s == 60);
    CHECK(c.seed == 18446744073709551615ull);
    CHECK(c.live);
}

TEST_CASE("arbitrage config: missing keys keep the defaults") {
    bot_config c;
    config_error e;
    REQUIRE(load_config("{}", c, e));
    REQUIRE(c.venues.size() == 3);
    CHECK(c.venues[0] == venue::binance);
    REQUIRE(c.symbols.size() == 1);
    CHECK(c.symbols[0].str() == "BTC-USDT");
    CHECK(c.threshold_bps == D("2"));
    CHECK(c.taker_fee_rate == trade::default_taker_fee_rates());
    CHECK(c.lot_size == D("0.00001"));
    CHECK(c.staleness_ms == 500);
    CHECK(c.cooldown_ms == 100);
    CHECK(c.limits.max_position == D("1"));
    CHECK(c.limits.max_order_notional == D("100000"));
    CHECK(c.limits.max_order_quantity.is_zero());
    CHECK(c.limits.max_open_orders == 10);
    CHECK(c.limits.max_loss == D("1000"));
    CHECK(c.duration_s == 30);
    CHECK(c.seed == 1);
    CHECK_FALSE(c.live);

    bot_config d;
    REQUIRE(load_config(R"({"limits": {"max_loss": 5}})", d, e));
    CHECK(d.limits.max_loss == D("5"));
    CHECK(d.limits.max_position == D("1"));
}

TEST_CASE("arbitrage config: each invalid key, type and range names the key") {
    struct bad {
        const char* text;
        const char* key;
        const char* message;
    };
    const bad cases[] = {
        {R"({"venue": []})", "venue", "unknown key"},
        {R"({"seed": 1, "seed": 2})", "seed", "duplicate key"},
        {R"({"venues": "binance"})", "venues", "expected an array of venue names"},
        {R"({"venues": ["binance"]})", "venues", "needs at least 2 venues"},
        {R"({"venues": ["binance", "ftx"]})", "venues[1]", "unknown venue \"ftx\""},
        {R"({"venues": ["okx", 3]})", "venues[1]", "expected a venue name"},
        {R"({"venues": ["okx", "okx"]})", "venues[1]", "venue \"okx\" listed twice"},
        {R"({"symbols": []})", "symbols", "needs at least 1 symbol"},
        {R"({"symbols": ["BTCUSDT"]})", "symbols[0]", "invalid symbol \"BTCUSDT\": symbol separator missing or repeated"},
        {R"({"symbols": ["BTC-USDT", "btc-usdt"]})", "symbols[1]", "symbol \"btc-usdt\" listed twice"},
        {R"({"threshold_bps": true})", "threshold_bps", "expected a decimal number (JSON number or string)"},
        {R"({"threshold_bps": "1.2.3"})", "threshold_bps", "not a decimal number: \"1.2.3\""},
        {R"({"threshold_bps": -1})", "threshold_bps", "must be from 0 to 10000"},
        {R"({"taker_fee_bps": {"nyse": 1}})", "taker_fee_bps.nyse", "unknown venue"},
        {R"({"taker_fee_bps": {"okx": 1001}})", "taker_fee_bps.okx", "must be from 0 to 1000"},
        {R"({"taker_fee_bps": {"okx": 1, "okx": 2}})", "taker_fee_bps.okx", "duplicate key"},
        {R"({"taker_fee_bps": [1]})", "taker_fee_bps", "expected an object of venue: basis points"},
        {R"({"lot_size": "0"})", "lot_size", "must be greater than 0"},
        {R"({"staleness_ms": 1.5})", "staleness_ms", "must be an integer from 0 to 3600000"},
        {R"({"cooldown_ms": "10"})", "cooldown_ms", "expected an integer"},
        {R"({"cooldown_ms": -1})", "cooldown_ms", "must be an integer from 0 to 3600000"},
        {R"({"limits": 1})", "limits", "expected an object"},
        {R"({"limits": {"max_positions": 1}})", "limits.max_positions", "unknown key"},
        {R"({"limits": {"max_position": "-1"}})", "limits.max_position", "must be greater than 0"},
        {R"({"limits": {"max_order_notional": 0}})", "limits.max_order_notional", "must be greater than 0"},
        {R"({"limits": {"max_order_quantity": -0.5}})", "limits.max_order_quantity", "must not be negative"},
        {R"({"limits": {"max_open_orders": 0}})", "limits.max_open_orders", "must be an integer from 1 to 1000"},
        {R"({"limits": {"max_loss": null}})", "limits.max_loss", "expected a decimal number (JSON number or string)"},
        {R"({"limits": {"max_loss": 1, "max_loss": 2}})", "limits.max_loss", "duplicate key"},
        {R"({"duration_s": 0})", "duration_s", "must be an integer from 1 to 86400"},
        {R"({"duration_s": 86401})", "duration_s", "must be an integer from 1 to 86400"},
        {R"({"seed": -1})", "seed", "must be an integer from 0 to 18446744073709551615"},
        {R"({"seed": 18446744073709551616})", "seed", "must be an integer from 0 to 18446744073709551615"},
        {R"({"seed": "1"})", "seed", "expected a non-negative integer"},
        {R"({"live": 1})", "live", "expected true or false"},
    };
    for (const bad& b : cases) {
        const config_error e = fails(b.text);
        INFO(b.text);
        CHECK(e.key == b.key);
        CHECK(e.message == b.message);
        CHECK(e.to_string() == std::string(b.key) + ": " + b.message);
    }
}

TEST_CASE("arbitrage config: malformed JSON is a syntax error with its offset") {
    for (const char* text : {"", "[]", "{\"seed\": 1,}", "{\"seed\": 1} x", "{\"venues\": [\"okx\",]}", "{\"seed\": 01}"}) {
        const config_error e = fails(text);
        INFO(text);
        CHECK(e.key.empty());
        CHECK_FALSE(e.message.empty());
    }
    const config_error e = fails("{\"seed\": 1} x");
    CHECK(e.message.rfind("invalid JSON at byte 12: ", 0) == 0);
    CHECK(fails("[]").message == "the configuration must be a JSON object");
}
