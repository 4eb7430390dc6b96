// Bybit v5 spot: every sample of REFERENCE section 2 decodes to the right fields, the
// builders reproduce the documented requests byte for byte, and malformed variants of
// each message give a decode error (never an event, never a crash).
#include "catch.hpp"
#include "decode_support.hpp"

#include <tradewire/exchange/bybit.hpp>

#include <string>
#include <vector>

namespace ex = tradewire::exchange;
namespace by = tradewire::exchange::bybit;
namespace mk = tradewire::market;
using namespace tradewire::test;
using tradewire::exchange::error;

namespace {

const std::string trade =
    R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick","i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false,"seq":1783284617}]})";
const std::string snapshot =
    R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1672304484978,"data":{"s":"BTCUSDT","b":[["16493.50","0.006"],["16493.00","0.100"]],"a":[["16611.00","0.029"],["16612.00","0.213"]],"u":18521288,"seq":7961638724},"cts":1672304484976})";
const std::string delta =
    R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20","30.028"],["30245.40","0.224"],["30242.10","1.593"],["30240.30","1.305"],["30240.00","0"]],"a":[["30248.70","0"],["30249.30","0.892"],["30249.50","1.778"],["30249.60","0"],["30251.90","2.947"],["30252.20","0.659"],["30252.50","4.591"]],"u":177400507,"seq":66544703342},"cts":1687940967464})";
const std::string kline =
    R"({"topic":"kline.5.BTCUSDT","data":[{"start":1672324800000,"end":1672325099999,"interval":"5","open":"16649.5","close":"16677","high":"16677","low":"16608","volume":"2.081","turnover":"34666.4005","confirm":false,"timestamp":1672324988882}],"ts":1672324988882,"type":"snapshot"})";
const std::string level1 =
    R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1672304484978,"data":{"s":"BTCUSDT","b":[["16493.50","0.006"]],"a":[["16611.00","0.029"]],"u":18521288,"seq":7961638724},"cts":1672304484976})";

std::string build(auto&& f) {
    char buf[512];
    std::error_code ec;
    const std::size_t n = f(std::span<char>(buf), ec);
    if (ec) return "error: " + ec.message();
    return std::string(buf, n);
}

}  // namespace

TEST_CASE("bybit publicTrade sample decodes every field") {
    const auto r = decode<by::decoder>(trade, 5);
    REQUIRE(r.errors.empty());
    REQUIRE(r.trades.size() == 1);
    REQUIRE(r.events() == 1);
    const mk::trade& t = r.trades[0];
    CHECK(t.venue == mk::venue::bybit);
    CHECK(t.symbol == sym("BTC-USDT"));
    CHECK(same(t.price, "16578.50"));
    CHECK(same(t.quantity, "0.001"));
    CHECK(t.taker_side == mk::side::buy);
    CHECK(t.id == "20f43950-d8dd-5b31-9112-a178eb6023af");
    CHECK(t.exchange_time == mk::from_unix_ms(1672304486865));
    CHECK(t.receive_time == 5);
}

TEST_CASE("bybit publicTrade carries up to 1024 trades in one message") {
    std::string text = R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[)";
    for (int i = 0; i < 1024; ++i) {
        text += std::string(i ? "," : "") + R"({"T":)" + std::to_string(1000 + i) + R"(,"s":"BTCUSDT","S":")" +
                (i % 2 ? "Sell" : "Buy") + R"(","v":"0.5","p":")" + std::to_string(100 + i) + R"(.25","i":")" +
                std::to_string(i) + R"(","BT":false})";
    }
    text += "]}";
    const auto r = decode<by::decoder>(text);
    REQUIRE(r.errors.empty());
    REQUIRE(r.trades.size() == 1024);
    CHECK(r.trades[1023].id == "1023");
    CHECK(same(r.trades[1023].price, "1123.25"));
    CHECK(r.trades[1023].taker_side == mk::side::sell);
    CHECK(r.trades[0].taker_side == mk::side::buy);
    CHECK(r.trades[7].exchange_time == mk::from_unix_ms(1007));
    // A bad trade at the end spoils the whole message: nothing half-delivered.
    const auto bad = decode<by::decoder>(replace(text, R"("i":"1023")", R"("i":1023)"));
    CHECK(only_error(bad, error::wrong_type));
}

TEST_CASE("bybit orderbook snapshot and delta samples decode every field") {
    const auto r = decode<by::decoder>(snapshot);
    REQUIRE(r.books.size() == 1);
    REQUIRE(r.events() == 1);
    const auto& s = r.books[0];
    CHECK(s.snapshot);
    CHECK(s.venue == mk::venue::bybit);
    CHECK(s.instrument == sym("BTC-USDT"));
    REQUIRE(s.bids.size() == 2);
    REQUIRE(s.asks.size() == 2);
    CHECK(same(s.bids[0].price, "16493.50"));
    CHECK(same(s.bids[0].quantity, "0.006"));
    CHECK(same(s.bids[1].price, "16493.00"));
    CHECK(same(s.bids[1].quantity, "0.100"));
    CHECK(same(s.asks[0].price, "16611.00"));
    CHECK(same(s.asks[1].quantity, "0.213"));
    CHECK(s.sequence.last_update_id == 18521288);
    CHECK(s.sequence.seq == 7961638724);
    CHECK(s.exchange_time == mk::from_unix_ms(1672304484978));

    const auto d = decode<by::decoder>(delta);
    REQUIRE(d.books.size() == 1);
    const auto& b = d.books[0];
    CHECK_FALSE(b.snapshot);
    REQUIRE(b.bids.size() == 5);
    REQUIRE(b.asks.size() == 7);
    CHECK(same(b.bids[0].price, "30247.20"));
    CHECK(same(b.bids[0].quantity, "30.028"));
    CHECK(same(b.bids[4].price, "30240.00"));
    CHECK(b.bids[4].quantity.is_zero());
    CHECK(same(b.asks[0].price, "30248.70"));
    CHECK(b.asks[0].quantity.is_zero());
    CHECK(same(b.asks[6].price, "30252.50"));
    CHECK(same(b.asks[6].quantity, "4.591"));
    CHECK(b.sequence.last_update_id == 177400507);
    CHECK(b.sequence.seq == 66544703342);
    CHECK(b.exchange_time == mk::from_unix_ms(1687940967466));
}

TEST_CASE("bybit orderbook.1 is the best bid/offer") {
    const auto r = decode<by::decoder>(level1);
    REQUIRE(r.bbos.size() == 1);
    REQUIRE(r.events() == 1);
    const mk::bbo& b = r.bbos[0];
    CHECK(b.symbol == sym("BTC-USDT"));
    CHECK(same(b.bid_price, "16493.50"));
    CHECK(same(b.bid_quantity, "0.006"));
    CHECK(same(b.ask_price, "16611.00"));
    CHECK(same(b.ask_quantity, "0.029"));
    CHECK(b.update_id == 18521288);
    CHECK(b.exchange_time == mk::from_unix_ms(1672304484978));
    CHECK(only_error(decode<by::decoder>(replace(level1, R"("a":[["16611.00","0.029"]])", R"("a":[])")), error::invalid_value));
}

TEST_CASE("bybit kline sample decodes every field") {
    const auto r = decode<by::decoder>(kline);
    REQUIRE(r.klines.size() == 1);
    REQUIRE(r.events() == 1);
    const mk::kline& k = r.klines[0];
    CHECK(k.venue == mk::venue::bybit);
    CHECK(k.symbol == sym("BTC-USDT"));
    CHECK(k.interval == mk::kline_interval{5, mk::interval_unit::minute});
    CHECK(k.open_time == mk::from_unix_ms(1672324800000));
    CHECK(k.close_time == mk::from_unix_ms(1672325099999));
    CHECK(same(k.open, "16649.5"));
    CHECK(same(k.close, "16677"));
    CHECK(same(k.high, "16677"));
    CHECK(same(k.low, "16608"));
    CHECK(same(k.volume, "2.081"));
    REQUIRE(k.quote_volume.has_value());
    CHECK(same(*k.quote_volume, "34666.4005"));
    CHECK_FALSE(k.closed);
    CHECK(k.exchange_time == mk::from_unix_ms(1672324988882));
    // Topic and data interval must agree; hours and days map to neutral units.
    auto hourly = replace(replace(kline, "kline.5.", "kline.60."), R"("interval":"5")", R"("interval":"60")");
    const auto h = decode<by::decoder>(hourly);
    REQUIRE(h.klines.size() == 1);
    CHECK(h.klines[0].interval == mk::kline_interval{1, mk::interval_unit::hour});
    auto daily = replace(replace(kline, "kline.5.", "kline.D."), R"("interval":"5")", R"("interval":"D")");
    REQUIRE(decode<by::decoder>(daily).klines.size() == 1);
    CHECK(only_error(decode<by::decoder>(replace(kline, R"("interval":"5")", R"("interval":"15")")), error::invalid_value));
}

TEST_CASE("bybit acks and every pong variant") {
    auto control = [](std::string_view text) {
        const auto r = decode<by::decoder>(text);
        REQUIRE(r.errors.empty());
        REQUIRE(r.controls.size() == 1);
        REQUIRE(r.events() == 1);
        return r.controls[0];
    };
    auto c = control(R"({"success":true,"ret_msg":"subscribe","conn_id":"2324d924-aa4d-45b0-a858-7b8be29ab52b","req_id":"10001","op":"subscribe"})");
    CHECK(c.event.kind == ex::control_kind::subscribed);
    CHECK(c.event.success);
    CHECK(c.request_id == "10001");
    CHECK(c.message == "subscribe");
    c = control(R"({"success":true,"ret_msg":"","conn_id":"...","req_id":"","op":"subscribe"})");
    CHECK(c.event.kind == ex::control_kind::subscribed);
    c = control(R"({"success":true,"ret_msg":"","op":"subscribe","conn_id":"cejreassvfrsfvb9v1a0-2m"})");
    CHECK(c.event.kind == ex::control_kind::subscribed);
    c = control(R"({"success":true,"ret_msg":"","op":"unsubscribe","conn_id":"x"})");
    CHECK(c.event.kind == ex::control_kind::unsubscribed);
    c = control(R"({"success":false,"ret_msg":"error:handler not found","conn_id":"x","req_id":"7","op":"subscribe"})");
    CHECK(c.event.kind == ex::control_kind::error);
    CHECK_FALSE(c.event.success);
    CHECK(c.message == "error:handler not found");
    for (const char* pong : {R"({"success":true,"ret_msg":"pong","conn_id":"0970e817-...","op":"ping"})",
                             R"({"success":true,"ret_msg":"pong","conn_id":"0970e817-...","req_id":"","op":"ping"})",
                             R"({"args":["1672916271846"],"op":"pong"})",
                             R"({"req_id":"test","op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"})",
                             R"({"retCode":0,"retMsg":"OK","op":"pong","data":["1711002002529"],"connId":"cnt5leec0hvan15eukcg-2v"})"}) {
        INFO(pong);
        c = control(pong);
        CHECK(c.event.kind == ex::control_kind::pong);
        CHECK(c.event.success);
    }
    c = control(R"({"success":true,"ret_msg":"","op":"auth","conn_id":"cejreaspqfh3sjdnldmg-p"})");
    CHECK(c.event.kind == ex::control_kind::login);
    c = control(R"({"retCode":10004,"retMsg":"invalid sign","op":"auth","connId":"x"})");
    CHECK(c.event.kind == ex::control_kind::login);
    CHECK_FALSE(c.event.success);
    CHECK(c.code == "10004");
}

TEST_CASE("bybit requests match the documentation byte for byte") {
    const std::string_view three[] = {"orderbook.1.BTCUSDT", "publicTrade.BTCUSDT", "orderbook.1.ETHUSDT"};
    CHECK(build([&](auto out, auto& ec) { return by::build_subscribe(three, "test", out, ec); }) ==
          R"({"req_id":"test","op":"subscribe","args":["orderbook.1.BTCUSDT","publicTrade.BTCUSDT","orderbook.1.ETHUSDT"]})");
    const std::string_view one[] = {"publicTrade.ETHUSD"};
    CHECK(build([&](auto out, auto& ec) { return by::build_unsubscribe(one, "customised_id", out, ec); }) ==
          R"({"op":"unsubscribe","args":["publicTrade.ETHUSD"],"req_id":"customised_id"})");
    CHECK(build([&](auto out, auto& ec) { return by::build_ping("100001", out, ec); }) == R"({"req_id":"100001","op":"ping"})");
    char ping[32];
    const std::size_t n = by::spot::build_ping(ping);
    CHECK(std::string_view(ping, n) == R"({"op":"ping"})");
    const ex::subscription subs[] = {ex::bbo_of(sym("BTC-USDT")), ex::trades_of(sym("BTC-USDT")), ex::bbo_of(sym("ETH-USDT"))};
    CHECK(build([&](auto out, auto& ec) { return by::spot::build_subscribe(subs, "test", out, ec); }) ==
          R"({"req_id":"test","op":"subscribe","args":["orderbook.1.BTCUSDT","publicTrade.BTCUSDT","orderbook.1.ETHUSDT"]})");
    CHECK(build([&](auto out, auto& ec) { return by::spot::build_unsubscribe(subs, ex::request_id{}, out, ec); }) ==
          R"({"op":"unsubscribe","args":["orderbook.1.BTCUSDT","publicTrade.BTCUSDT","orderbook.1.ETHUSDT"]})");
}

TEST_CASE("bybit topic mapping and validation") {
    const auto btc = sym("BTC-USDT");
    auto topic = [](const ex::subscription& s) {
        return build([&](auto out, auto& ec) { return by::topic(s, out, ec); });
    };
    CHECK(topic(ex::trades_of(btc)) == "publicTrade.BTCUSDT");
    CHECK(topic(ex::bbo_of(btc)) == "orderbook.1.BTCUSDT");
    CHECK(topic(ex::book_of(btc, 50)) == "orderbook.50.BTCUSDT");
    CHECK(topic(ex::book_of(btc, 200, 100)) == "orderbook.200.BTCUSDT");
    CHECK(topic(ex::book_of(btc)) == "orderbook.1000.BTCUSDT");
    CHECK(topic(ex::book_of(btc, 50, 100)).starts_with("error"));
    CHECK(topic(ex::book_of(btc, 20)).starts_with("error"));
    CHECK(topic(ex::agg_trades_of(btc)).starts_with("error"));
    CHECK(topic(ex::kline_of(btc, {5, mk::interval_unit::minute})) == "kline.5.BTCUSDT");
    CHECK(topic(ex::kline_of(btc, {4, mk::interval_unit::hour})) == "kline.240.BTCUSDT");
    CHECK(topic(ex::kline_of(btc, {1, mk::interval_unit::day})) == "kline.D.BTCUSDT");
    CHECK(topic(ex::kline_of(btc, {1, mk::interval_unit::month})) == "kline.M.BTCUSDT");
    CHECK(topic(ex::kline_of(btc, {2, mk::interval_unit::minute})).starts_with("error"));
    std::error_code ec;
    char buf[128];
    const std::string_view one[] = {"publicTrade.BTCUSDT"};
    CHECK(by::build_subscribe(one, "bad id!", buf, ec) == 0);
    CHECK(ec == error::invalid_request_id);
    CHECK(by::build_subscribe({}, "1", buf, ec) == 0);
    CHECK(ec == error::empty_request);
}

TEST_CASE("bybit decoding does not depend on key order") {
    // Spot books put ts before type; data may even come before topic.
    const std::string reordered =
        R"({"ts":1687940967466,"data":{"seq":66544703342,"u":177400507,"a":[["30248.70","0"]],"b":[["30247.20","30.028"]],"s":"BTCUSDT"},"cts":1,"type":"delta","topic":"orderbook.50.BTCUSDT"})";
    const auto r = decode<by::decoder>(reordered);
    REQUIRE(r.books.size() == 1);
    CHECK_FALSE(r.books[0].snapshot);
    CHECK(r.books[0].sequence.last_update_id == 177400507);
    CHECK(same(r.books[0].bids[0].price, "30247.20"));
    const auto t = decode<by::decoder>(
        R"({"data":[{"i":"x","p":"1.5","v":"2","S":"Sell","s":"BTCUSDT","T":5}],"type":"snapshot","topic":"publicTrade.BTCUSDT","ts":1})");
    REQUIRE(t.trades.size() == 1);
    CHECK(t.trades[0].taker_side == mk::side::sell);
}

TEST_CASE("bybit malformed messages give one decode error and no event") {
    for (const std::string& sample : {trade, snapshot, delta, kline, level1}) {
        INFO(sample);
        CHECK(broken_prefixes<by::decoder>(sample) == 0);
    }
    SECTION("missing fields") {
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("p":"16578.50",)", "")), error::missing_field));
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("S":"Buy",)", "")), error::missing_field));
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("T":1672304486865,)", "")), error::missing_field));
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("i":"20f43950-d8dd-5b31-9112-a178eb6023af",)", "")),
                         error::missing_field));
        CHECK(only_error(decode<by::decoder>(replace(snapshot, R"(,"u":18521288)", "")), error::missing_field));
        CHECK(only_error(decode<by::decoder>(replace(snapshot, R"("type":"snapshot",)", "")), error::missing_field));
        CHECK(only_error(decode<by::decoder>(replace(kline, R"("open":"16649.5",)", "")), error::missing_field));
        CHECK(only_error(decode<by::decoder>(R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1})"),
                         error::missing_field));
        CHECK(only_error(decode<by::decoder>(R"({"ts":1})"), error::unknown_message));
    }
    SECTION("wrong types and values") {
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("p":"16578.50")", R"("p":16578.50)")), error::wrong_type));
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("T":1672304486865)", R"("T":"1672304486865")")),
                         error::wrong_type));
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("S":"Buy")", R"("S":"buy")")), error::invalid_value));
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("v":"0.001")", R"("v":"1E-3")")), error::invalid_number));
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("T":1672304486865)", R"("T":1.672304486865e12)")),
                         error::invalid_number));
        CHECK(only_error(decode<by::decoder>(replace(snapshot, R"("type":"snapshot")", R"("type":"partial")")),
                         error::invalid_value));
        CHECK(only_error(decode<by::decoder>(replace(snapshot, R"("u":18521288)", R"("u":"18521288")")), error::wrong_type));
        CHECK(only_error(decode<by::decoder>(replace(snapshot, R"("data":{)", R"("data":[{)") + "]"), error::wrong_type));
        CHECK(only_error(decode<by::decoder>(replace(snapshot, R"(["16493.50","0.006"])", R"(["16493.50","-0.006"])")),
                         error::invalid_value));
        CHECK(only_error(decode<by::decoder>(replace(kline, R"("confirm":false)", R"("confirm":"false")")), error::wrong_type));
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("s":"BTCUSDT")", R"("s":"BTC-USDT")")), error::invalid_symbol));
    }
    SECTION("unknown, duplicate, garbage, huge") {
        CHECK(only_error(decode<by::decoder>(
                             R"({"topic":"tickers.BTCUSDT","ts":1673853746003,"type":"snapshot","cs":2588407389,"data":{"symbol":"BTCUSDT","lastPrice":"21109.77"}})"),
                         error::unknown_channel));
        CHECK(only_error(decode<by::decoder>(replace(trade, R"("type":"snapshot")", R"("type":"snapshot","type":"delta")")),
                         error::unknown_message));
        CHECK(decode<by::decoder>("garbage").errors.size() == 1);
        CHECK(decode<by::decoder>("\x01").errors.size() == 1);
        CHECK(only_error(decode<by::decoder>("null"), error::unknown_message));
        by::decoder::options o;
        o.max_levels = 2;
        by::decoder d(o);
        CHECK(only_error(decode(d, delta), error::too_many_levels));
        CHECK(decode(d, snapshot).books.size() == 1);
        o = {};
        o.max_trades = 1;
        by::decoder d2(o);
        std::string two = replace(trade, R"("seq":1783284617}])", R"("seq":1783284617},{"T":1,"s":"BTCUSDT","S":"Buy","v":"1","p":"1","i":"2"}])");
        CHECK(only_error(decode(d2, two), error::too_many_trades));
    }
}
