// Binance spot: every sample of REFERENCE section 1 decodes to the right fields, the
// builders reproduce the documented requests byte for byte, and malformed variants of
// each message give a decode error (never an event, never a crash).
#include "catch.hpp"
#include "decode_support.hpp"

#include <tradewire/exchange/binance.hpp>

#include <string>
#include <vector>

namespace ex = tradewire::exchange;
namespace bn = tradewire::exchange::binance;
namespace mk = tradewire::market;
using namespace tradewire::test;
using tradewire::exchange::error;

namespace {

const std::string trade =
    R"({"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true})";
const std::string agg_trade =
    R"({"e":"aggTrade","E":1672515782136,"s":"BNBBTC","a":12345,"p":"0.001","q":"100","f":100,"l":105,"T":1672515782136,"m":true,"M":true})";
const std::string book_ticker =
    R"({"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"})";
const std::string partial_depth = R"({"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]})";
const std::string diff_depth =
    R"({"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"]]})";
const std::string kline =
    R"({"e":"kline","E":1672515782136,"s":"BNBBTC","k":{"t":1672515780000,"T":1672515839999,"s":"BNBBTC","i":"1m","f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":false,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}})";

std::string build(auto&& f) {
    char buf[512];
    std::error_code ec;
    const std::size_t n = f(std::span<char>(buf), ec);
    if (ec) return "error: " + ec.message();
    return std::string(buf, n);
}

}  // namespace

TEST_CASE("binance trade sample decodes every field") {
    const auto r = decode<bn::decoder>(trade, 42);
    REQUIRE(r.errors.empty());
    REQUIRE(r.trades.size() == 1);
    REQUIRE(r.events() == 1);
    const mk::trade& t = r.trades[0];
    CHECK(t.venue == mk::venue::binance);
    CHECK(t.symbol == sym("BNB-BTC"));
    CHECK(same(t.price, "0.001"));
    CHECK(same(t.quantity, "100"));
    CHECK(t.taker_side == mk::side::sell);  // m: the buyer is the maker
    CHECK(t.id == "12345");
    CHECK(t.exchange_time == mk::from_unix_ms(1672515782136));
    CHECK(t.receive_time == 42);
}

TEST_CASE("binance trade: buyer taker and key order do not matter") {
    const std::string shuffled =
        R"({"M":true,"q":"100","T":1672515782136,"p":"0.001","m":false,"t":12345,"s":"BNBBTC","E":1672515782136,"e":"trade","extra":[1,{"x":null}]})";
    const auto r = decode<bn::decoder>(shuffled);
    REQUIRE(r.trades.size() == 1);
    CHECK(r.trades[0].taker_side == mk::side::buy);
    CHECK(r.trades[0].symbol == sym("BNB-BTC"));
    CHECK(same(r.trades[0].price, "0.001"));
}

TEST_CASE("binance aggTrade sample decodes every field") {
    const auto r = decode<bn::decoder>(agg_trade);
    REQUIRE(r.trades.size() == 1);
    REQUIRE(r.events() == 1);
    const mk::trade& t = r.trades[0];
    CHECK(t.symbol == sym("BNB-BTC"));
    CHECK(same(t.price, "0.001"));
    CHECK(same(t.quantity, "100"));
    CHECK(t.taker_side == mk::side::sell);
    CHECK(t.id == "12345");  // the aggregate id `a`
    CHECK(t.exchange_time == mk::from_unix_ms(1672515782136));
}

TEST_CASE("binance bookTicker sample decodes every field and keeps the scale") {
    const auto r = decode<bn::decoder>(book_ticker);
    REQUIRE(r.bbos.size() == 1);
    REQUIRE(r.events() == 1);
    const mk::bbo& b = r.bbos[0];
    CHECK(b.venue == mk::venue::binance);
    CHECK(b.symbol == sym("BNB-USDT"));
    CHECK(same(b.bid_price, "25.35190000"));
    CHECK(same(b.bid_quantity, "31.21000000"));
    CHECK(same(b.ask_price, "25.36520000"));
    CHECK(same(b.ask_quantity, "40.66000000"));
    CHECK(b.update_id == 400900217);
    CHECK_FALSE(b.exchange_time.has_value());
}

TEST_CASE("binance partial depth: raw stream, default symbol, combined wrapper") {
    SECTION("raw: no symbol") {
        const auto r = decode<bn::decoder>(partial_depth);
        REQUIRE(r.books.size() == 1);
        const auto& b = r.books[0];
        CHECK(b.snapshot);
        CHECK(b.instrument.empty());
        REQUIRE(b.bids.size() == 1);
        REQUIRE(b.asks.size() == 1);
        CHECK(same(b.bids[0].price, "0.0024"));
        CHECK(same(b.bids[0].quantity, "10"));
        CHECK(same(b.asks[0].price, "0.0026"));
        CHECK(same(b.asks[0].quantity, "100"));
        CHECK(b.sequence.last_update_id == 160);
        CHECK_FALSE(b.sequence.first_update_id.has_value());
        CHECK_FALSE(b.exchange_time.has_value());
    }
    SECTION("raw with a default symbol") {
        bn::decoder::options o;
        o.default_symbol = sym("BNB-BTC");
        bn::decoder d(o);
        const auto r = decode(d, partial_depth);
        REQUIRE(r.books.size() == 1);
        CHECK(r.books[0].instrument == sym("BNB-BTC"));
    }
    SECTION("combined: the symbol comes from the stream name") {
        const auto r = decode<bn::decoder>(R"({"stream":"bnbbtc@depth5@100ms","data":)" + partial_depth + "}");
        REQUIRE(r.books.size() == 1);
        CHECK(r.books[0].instrument == sym("BNB-BTC"));
        CHECK(r.books[0].sequence.last_update_id == 160);
    }
    SECTION("combined with data before stream") {
        const auto r = decode<bn::decoder>(R"({"data":)" + partial_depth + R"(,"stream":"bnbbtc@depth10"})");
        REQUIRE(r.books.size() == 1);
        CHECK(r.books[0].instrument == sym("BNB-BTC"));
    }
}

TEST_CASE("binance diff depth sample decodes every field") {
    const auto r = decode<bn::decoder>(diff_depth);
    REQUIRE(r.books.size() == 1);
    REQUIRE(r.events() == 1);
    const auto& b = r.books[0];
    CHECK_FALSE(b.snapshot);
    CHECK(b.venue == mk::venue::binance);
    CHECK(b.instrument == sym("BNB-BTC"));
    CHECK(b.sequence.first_update_id == 157);
    CHECK(b.sequence.last_update_id == 160);
    CHECK(b.exchange_time == mk::from_unix_ms(1672515782136));
    REQUIRE(b.bids.size() == 1);
    CHECK(same(b.bids[0].price, "0.0024"));
    CHECK(same(b.bids[0].quantity, "10"));
    REQUIRE(b.asks.size() == 1);
    CHECK(same(b.asks[0].price, "0.0026"));
    CHECK(same(b.asks[0].quantity, "100"));
}

TEST_CASE("binance kline sample decodes every field") {
    const auto r = decode<bn::decoder>(kline);
    REQUIRE(r.klines.size() == 1);
    REQUIRE(r.events() == 1);
    const mk::kline& k = r.klines[0];
    CHECK(k.venue == mk::venue::binance);
    CHECK(k.symbol == sym("BNB-BTC"));
    CHECK(k.interval == mk::kline_interval{1, mk::interval_unit::minute});
    CHECK(k.open_time == mk::from_unix_ms(1672515780000));
    CHECK(k.close_time == mk::from_unix_ms(1672515839999));
    CHECK(same(k.open, "0.0010"));
    CHECK(same(k.close, "0.0020"));
    CHECK(same(k.high, "0.0025"));
    CHECK(same(k.low, "0.0015"));
    CHECK(same(k.volume, "1000"));
    REQUIRE(k.quote_volume.has_value());
    CHECK(same(*k.quote_volume, "1.0000"));
    CHECK(k.trade_count == 100);
    CHECK_FALSE(k.closed);
    CHECK(k.exchange_time == mk::from_unix_ms(1672515782136));
}

TEST_CASE("binance kline intervals, including months") {
    for (auto [text, count, unit] : {std::tuple{"1s", 1u, mk::interval_unit::second}, {"15m", 15u, mk::interval_unit::minute},
                                     {"12h", 12u, mk::interval_unit::hour}, {"3d", 3u, mk::interval_unit::day},
                                     {"1w", 1u, mk::interval_unit::week}, {"1M", 1u, mk::interval_unit::month}}) {
        INFO(text);
        const auto r = decode<bn::decoder>(replace(kline, R"("i":"1m")", std::string(R"("i":")") + text + "\""));
        REQUIRE(r.klines.size() == 1);
        CHECK(r.klines[0].interval == mk::kline_interval{count, unit});
    }
    CHECK(only_error(decode<bn::decoder>(replace(kline, R"("i":"1m")", R"("i":"7m")")), error::invalid_value));
    CHECK(only_error(decode<bn::decoder>(replace(kline, R"("i":"1m")", R"("i":"m")")), error::invalid_value));
}

TEST_CASE("binance control messages: acks, lists, properties, errors, shutdown") {
    auto control = [](std::string_view text) {
        const auto r = decode<bn::decoder>(text);
        REQUIRE(r.errors.empty());
        REQUIRE(r.controls.size() == 1);
        REQUIRE(r.events() == 1);
        return r.controls[0];
    };
    auto c = control(R"({"result":null,"id":1})");
    CHECK(c.event.kind == ex::control_kind::ack);
    CHECK(c.request_id == "1");
    CHECK(c.event.success);
    CHECK(control(R"({"result":null,"id":312})").request_id == "312");
    c = control(R"({"result":["btcusdt@aggTrade"],"id":3})");
    CHECK(c.event.kind == ex::control_kind::subscriptions);
    CHECK(c.topics == std::vector<std::string>{"btcusdt@aggTrade"});
    CHECK(c.request_id == "3");
    c = control(R"({"result":true,"id":2})");
    CHECK(c.event.kind == ex::control_kind::property);
    CHECK(c.message == "true");
    c = control(R"({"id":"abc-1","result":null})");
    CHECK(c.request_id == "abc-1");
    c = control(R"({"code": 2, "msg": "Invalid request: ..."})");
    CHECK(c.event.kind == ex::control_kind::error);
    CHECK_FALSE(c.event.success);
    CHECK(c.code == "2");
    CHECK(c.message == "Invalid request: ...");
    c = control(R"({"code":3,"msg":"Invalid JSON: ..."})");
    CHECK(c.code == "3");
    c = control(R"({"e":"serverShutdown","E":1770123456789})");
    CHECK(c.event.kind == ex::control_kind::server_shutdown);
    CHECK(c.event.exchange_time == mk::from_unix_ms(1770123456789));
    c = control(R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}})");
    CHECK(c.event.kind == ex::control_kind::server_shutdown);
    CHECK(c.channel == "!serverShutdown");
}

TEST_CASE("binance combined-stream wrapper carries any payload") {
    const auto r = decode<bn::decoder>(R"({"stream":"bnbbtc@trade","data":)" + trade + "}");
    REQUIRE(r.trades.size() == 1);
    CHECK(r.trades[0].id == "12345");
    const auto k = decode<bn::decoder>(R"({"stream":"bnbbtc@kline_1m","data":)" + kline + "}");
    REQUIRE(k.klines.size() == 1);
    CHECK(only_error(decode<bn::decoder>(R"({"stream":"bnbbtc@trade"})"), error::unknown_message));
    CHECK(only_error(decode<bn::decoder>(R"({"data":)" + trade + "}"), error::unknown_message));
    CHECK(only_error(decode<bn::decoder>(R"({"stream":"bnbbtc@trade","data":[1]})"), error::wrong_type));
}

TEST_CASE("binance REST depth snapshot body") {
    std::string body = R"({"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"],["3.99","1"]],"asks":[["4.00000200","12.00000000"]]})";
    bn::decoder d;
    recorder r;
    REQUIRE(d.decode_rest_depth(std::span<char>(body), sym("BNB-BTC"), r, 7));
    REQUIRE(r.books.size() == 1);
    const auto& b = r.books[0];
    CHECK(b.snapshot);
    CHECK(b.instrument == sym("BNB-BTC"));
    CHECK(b.sequence.last_update_id == 1027024);
    REQUIRE(b.bids.size() == 2);
    CHECK(same(b.bids[0].price, "4.00000000"));
    CHECK(same(b.bids[1].price, "3.99"));
    CHECK(same(b.asks[0].quantity, "12.00000000"));
    CHECK(b.receive_time == 7);

    std::string not_depth = trade;
    recorder r2;
    CHECK_FALSE(d.decode_rest_depth(std::span<char>(not_depth), sym("BNB-BTC"), r2));
    CHECK(r2.events() == 0);
    CHECK(r2.errors.size() == 1);
    std::string truncated = body.substr(0, 40);
    recorder r3;
    CHECK_FALSE(d.decode_rest_depth(std::span<char>(truncated), sym("BNB-BTC"), r3));
    CHECK(r3.errors.size() == 1);
    std::string ok_again = body;
    recorder r4;
    CHECK_FALSE(d.decode_rest_depth(std::span<char>(ok_again), tradewire::symbol{}, r4));
}

TEST_CASE("binance subscribe and control requests match the documentation byte for byte") {
    const std::string_view two[] = {"btcusdt@aggTrade", "btcusdt@depth"};
    CHECK(build([&](auto out, auto& ec) { return bn::build_subscribe(two, 1, out, ec); }) ==
          R"({"method":"SUBSCRIBE","params":["btcusdt@aggTrade","btcusdt@depth"],"id":1})");
    const std::string_view one[] = {"btcusdt@depth"};
    CHECK(build([&](auto out, auto& ec) { return bn::build_unsubscribe(one, 312, out, ec); }) ==
          R"({"method":"UNSUBSCRIBE","params":["btcusdt@depth"],"id":312})");
    CHECK(build([&](auto out, auto& ec) { return bn::build_list_subscriptions(3, out, ec); }) ==
          R"({"method":"LIST_SUBSCRIPTIONS","id":3})");
    CHECK(build([&](auto out, auto& ec) { return bn::build_set_property("combined", true, 5, out, ec); }) ==
          R"({"method":"SET_PROPERTY","params":["combined",true],"id":5})");
    CHECK(build([&](auto out, auto& ec) { return bn::build_get_property("combined", 2, out, ec); }) ==
          R"({"method":"GET_PROPERTY","params":["combined"],"id":2})");
    // String and null ids.
    CHECK(build([&](auto out, auto& ec) { return bn::build_subscribe(one, "req-7", out, ec); }) ==
          R"({"method":"SUBSCRIBE","params":["btcusdt@depth"],"id":"req-7"})");
    CHECK(build([&](auto out, auto& ec) { return bn::build_subscribe(one, ex::request_id{}, out, ec); }) ==
          R"({"method":"SUBSCRIBE","params":["btcusdt@depth"],"id":null})");
    CHECK(build([&](auto out, auto& ec) { return bn::build_subscribe(one, -5, out, ec); }) ==
          R"({"method":"SUBSCRIBE","params":["btcusdt@depth"],"id":-5})");
}

TEST_CASE("binance policy builds requests from subscriptions") {
    const auto btc = sym("BTC-USDT");
    const ex::subscription subs[] = {ex::agg_trades_of(btc), ex::book_of(btc)};
    CHECK(build([&](auto out, auto& ec) { return bn::spot::build_subscribe(subs, 1, out, ec); }) ==
          R"({"method":"SUBSCRIBE","params":["btcusdt@aggTrade","btcusdt@depth"],"id":1})");
    const ex::subscription depth[] = {ex::book_of(btc)};
    CHECK(build([&](auto out, auto& ec) { return bn::spot::build_unsubscribe(depth, 312, out, ec); }) ==
          R"({"method":"UNSUBSCRIBE","params":["btcusdt@depth"],"id":312})");

    auto name = [](const ex::subscription& s) {
        return build([&](auto out, auto& ec) { return bn::stream_name(s, out, ec); });
    };
    const auto bnb = sym("BNB-BTC");
    CHECK(name(ex::trades_of(bnb)) == "bnbbtc@trade");
    CHECK(name(ex::bbo_of(bnb)) == "bnbbtc@bookTicker");
    CHECK(name(ex::book_of(bnb, 0, 100)) == "bnbbtc@depth@100ms");
    CHECK(name(ex::book_of(bnb, 0, 1000)) == "bnbbtc@depth");
    CHECK(name(ex::book_of(bnb, 5)) == "bnbbtc@depth5");
    CHECK(name(ex::book_of(bnb, 20, 100)) == "bnbbtc@depth20@100ms");
    CHECK(name(ex::kline_of(bnb, {1, mk::interval_unit::minute})) == "bnbbtc@kline_1m");
    CHECK(name(ex::kline_of(bnb, {1, mk::interval_unit::month})) == "bnbbtc@kline_1M");
    CHECK(name(ex::kline_of(bnb, {8, mk::interval_unit::hour})) == "bnbbtc@kline_8h");
    CHECK(name(ex::book_of(bnb, 50)) == "error: stream not offered by the venue");
    CHECK(name(ex::book_of(bnb, 0, 250)) == "error: stream not offered by the venue");
    CHECK(name(ex::kline_of(bnb, {7, mk::interval_unit::minute})) == "error: stream not offered by the venue");
    CHECK(name(ex::trades_of(tradewire::symbol{})) == "error: invalid symbol");

    char ping[8];
    CHECK(bn::spot::build_ping(ping) == 0);
    CHECK(build([&](auto out, auto& ec) { return bn::rest_depth_target(bnb, 5000, out, ec); }) ==
          "/api/v3/depth?symbol=BNBBTC&limit=5000");
    CHECK(build([&](auto out, auto& ec) { return bn::rest_depth_target(bnb, 5001, out, ec); }).starts_with("error"));
}

TEST_CASE("binance builders reject bad input and small buffers") {
    std::error_code ec;
    const std::string long37(37, 'a'), long36(36, 'a');
    char small[20];
    const std::string_view one[] = {"btcusdt@depth"};
    CHECK(bn::build_subscribe(one, 1, small, ec) == 0);
    CHECK(ec == error::buffer_too_small);
    char buf[256];
    CHECK(bn::build_subscribe({}, 1, buf, ec) == 0);
    CHECK(ec == error::empty_request);
    CHECK(bn::build_subscribe(one, "has space", buf, ec) == 0);
    CHECK(ec == error::invalid_request_id);
    CHECK(bn::build_subscribe(one, ex::request_id(std::string_view(long37)), buf, ec) == 0);
    CHECK(ec == error::invalid_request_id);
    const std::string_view quote[] = {"bad\"name"};
    CHECK(bn::build_subscribe(quote, 1, buf, ec) == 0);
    CHECK(ec == error::unsupported_stream);
    CHECK(bn::build_subscribe(one, ex::request_id(std::string_view(long36)), buf, ec) > 0);
    CHECK_FALSE(ec);
}

TEST_CASE("binance malformed messages give one decode error and no event") {
    for (const std::string& sample : {trade, agg_trade, book_ticker, partial_depth, diff_depth, kline}) {
        INFO(sample);
        CHECK(broken_prefixes<bn::decoder>(sample) == 0);
    }
    SECTION("missing fields") {
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001",)", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("q":"100",)", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("T":1672515782136,)", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("m":true,)", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("t":12345,)", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("s":"BNBBTC",)", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(agg_trade, R"("a":12345,)", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(diff_depth, R"("U":157,)", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(diff_depth, R"(,"a":[["0.0026","100"]])", "")),
                         error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(kline, R"("o":"0.0010",)", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(kline, R"("x":false,)", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(book_ticker, R"(,"A":"40.66000000")", "")), error::missing_field));
        CHECK(only_error(decode<bn::decoder>(replace(partial_depth, R"(,"asks":[["0.0026","100"]])", "")),
                         error::missing_field));
    }
    SECTION("wrong types") {
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":0.001)")), error::wrong_type));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("t":12345)", R"("t":"12345")")), error::wrong_type));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("m":true)", R"("m":1)")), error::wrong_type));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("s":"BNBBTC")", R"("s":null)")), error::wrong_type));
        CHECK(only_error(decode<bn::decoder>(replace(diff_depth, R"("b":[["0.0024","10"]])", R"("b":{"p":1})")),
                         error::wrong_type));
        CHECK(only_error(decode<bn::decoder>(replace(diff_depth, R"([["0.0024","10"]])", R"([[0.0024,10]])")),
                         error::wrong_type));
        CHECK(only_error(decode<bn::decoder>(replace(kline, R"("k":{)", R"("k":[{)") + "]"), error::wrong_type));
    }
    SECTION("numbers that are not plain decimals or integers") {
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":"1e-3")")), error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":"")")), error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":".001")")), error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":"+0.001")")), error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":"0.001 ")")), error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":"NaN")")), error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":"0001")")), error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":"1234567890123456789")")),
                         error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("t":12345)", R"("t":1.2345e4)")), error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("t":12345)", R"("t":99999999999999999999)")),
                         error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("T":1672515782136)", R"("T":-1)")), error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("t":12345)", R"("t":-1)")), error::invalid_number));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":"0")")), error::invalid_value));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":"-0.001")")), error::invalid_value));
        CHECK(only_error(decode<bn::decoder>(replace(diff_depth, R"("U":157)", R"("U":161)")), error::invalid_value));
    }
    SECTION("garbage, unknown and duplicate") {
        CHECK(decode<bn::decoder>("garbage").errors.size() == 1);
        CHECK(decode<bn::decoder>("").errors.size() == 1);
        CHECK(decode<bn::decoder>(std::string("\0\xff\x01", 3)).errors.size() == 1);
        CHECK(only_error(decode<bn::decoder>("[1,2,3]"), error::unknown_message));
        CHECK(only_error(decode<bn::decoder>("{}"), error::unknown_message));
        CHECK(only_error(decode<bn::decoder>(R"({"e":"24hrTicker","E":1,"s":"BNBBTC"})"), error::unknown_channel));
        CHECK(only_error(decode<bn::decoder>(trade + "x"), tradewire::json_error::trailing_characters));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("p":"0.001")", R"("p":"0.001","p":"0.002")")),
                         error::unknown_message));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("s":"BNBBTC")", R"("s":"BNB?BTC")")), error::invalid_symbol));
        CHECK(only_error(decode<bn::decoder>(replace(trade, R"("s":"BNBBTC")", R"("s":"ABCDEF")")), error::invalid_symbol));
    }
    SECTION("huge arrays are refused, not grown without bound") {
        bn::decoder::options o;
        o.max_levels = 100;
        bn::decoder d(o);
        std::string many = R"({"lastUpdateId":1,"bids":[)";
        for (int i = 0; i < 101; ++i) many += std::string(i ? "," : "") + R"(["1.5","2"])";
        many += R"(],"asks":[]})";
        CHECK(only_error(decode(d, many), error::too_many_levels));
        std::string deep(200, '[');
        CHECK(decode(d, R"({"x":)" + deep).errors.size() == 1);
    }
    SECTION("the decoder recovers after errors") {
        bn::decoder d;
        CHECK(decode(d, "{").errors.size() == 1);
        CHECK(decode(d, trade).trades.size() == 1);
        CHECK(decode(d, replace(trade, R"("p":"0.001",)", "")).errors.size() == 1);
        const auto r = decode(d, book_ticker);
        CHECK(r.bbos.size() == 1);
        CHECK(r.errors.empty());
    }
}

TEST_CASE("binance decoder: microsecond time unit and symbol registry") {
    bn::decoder::options o;
    o.microseconds = true;
    bn::decoder d(o);
    const auto r = decode(d, replace(trade, R"("T":1672515782136)", R"("T":1672515782136123)"));
    REQUIRE(r.trades.size() == 1);
    CHECK(r.trades[0].exchange_time == mk::from_unix_us(1672515782136123));

    tradewire::symbol_registry reg(tradewire::symbol_style::concat_upper);
    REQUIRE_FALSE(reg.add("ABUSD", "AB", "USD"));
    bn::decoder dr;
    dr.set_registry(&reg);
    const auto r2 = decode(dr, replace(trade, R"("s":"BNBBTC")", R"("s":"ABUSD")"));
    REQUIRE(r2.trades.size() == 1);
    CHECK(r2.trades[0].symbol == sym("AB-USD"));
}

TEST_CASE("binance trade and bookTicker fast paths agree with the general parser") {
    bn::decoder::options general_only;
    general_only.fast_paths = false;
    const std::vector<std::string> cases = {
        trade,
        agg_trade,
        replace(trade, R"(,"M":true)", ""),
        replace(trade, R"("m":true)", R"("m":false)"),
        replace(trade, R"("t":12345)", R"("t":0)"),
        replace(trade, R"("t":12345)", R"("t":012345)"),
        replace(trade, R"("t":12345)", R"("t":123456789012345678)"),
        replace(trade, R"("t":12345)", R"("t":1234567890123456789)"),
        replace(trade, R"("p":"0.001")", R"("p":"0.00100000")"),
        replace(trade, R"("p":"0.001")", R"("p":"1e-3")"),
        replace(trade, R"("p":"0.001")", R"("p":"-0.001")"),
        replace(trade, R"("s":"BNBBTC")", R"("s":"BNB\u0042TC")"),
        replace(trade, R"("s":"BNBBTC")", R"("s":"bnbbtc")"),
        replace(trade, R"("E":1672515782136)", R"("E": 1672515782136)"),
        trade + " \n",
        trade + "x",
        replace(trade, R"("M":true})", R"("M":true,"X":1})"),
        replace(agg_trade, R"("f":100,)", ""),
        book_ticker,
        replace(book_ticker, R"("u":400900217)", R"("u":-1)"),
        replace(book_ticker, R"("b":"25.35190000")", R"("b":"-25.35190000")"),
        replace(book_ticker, R"("A":"40.66000000")", R"("A":"40.66000000","x":1)"),
        replace(book_ticker, R"("A":"40.66000000")", R"("A":"4e1")"),
    };
    for (const std::string& text : cases) {
        INFO(text);
        bn::decoder fast_d;
        bn::decoder general_d(general_only);
        const auto a = decode(fast_d, text);
        const auto b = decode(general_d, text);
        REQUIRE(a.trades.size() == b.trades.size());
        REQUIRE(a.bbos.size() == b.bbos.size());
        REQUIRE(a.errors.size() == b.errors.size());
        for (std::size_t i = 0; i < a.bbos.size(); ++i) {
            CHECK(a.bbos[i].symbol == b.bbos[i].symbol);
            CHECK(a.bbos[i].bid_price.same_representation(b.bbos[i].bid_price));
            CHECK(a.bbos[i].bid_quantity.same_representation(b.bbos[i].bid_quantity));
            CHECK(a.bbos[i].ask_price.same_representation(b.bbos[i].ask_price));
            CHECK(a.bbos[i].ask_quantity.same_representation(b.bbos[i].ask_quantity));
            CHECK(a.bbos[i].update_id == b.bbos[i].update_id);
            CHECK(a.bbos[i].exchange_time == b.bbos[i].exchange_time);
        }
        if (!a.errors.empty()) CHECK(a.errors[0].code == b.errors[0].code);
        for (std::size_t i = 0; i < a.trades.size(); ++i) {
            CHECK(a.trades[i].symbol == b.trades[i].symbol);
            CHECK(a.trades[i].price.same_representation(b.trades[i].price));
            CHECK(a.trades[i].quantity.same_representation(b.trades[i].quantity));
            CHECK(a.trades[i].id == b.trades[i].id);
            CHECK(a.trades[i].taker_side == b.trades[i].taker_side);
            CHECK(a.trades[i].exchange_time == b.trades[i].exchange_time);
        }
    }
}
