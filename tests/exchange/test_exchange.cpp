// The exchange concept and its shared pieces: every venue policy satisfies it, request
// ids, subscription planning at each venue's documented limits, control events mapped
// to market status, and steady-state decoding without heap allocation.
#include "catch.hpp"
#include "count_allocations.hpp"
#include "decode_support.hpp"

#include <tradewire/exchange.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

namespace ex = tradewire::exchange;
namespace mk = tradewire::market;
using namespace tradewire::test;

static_assert(ex::exchange<ex::binance::spot>);
static_assert(ex::exchange<ex::okx::spot>);
static_assert(ex::exchange<ex::bybit::spot>);

namespace {

struct not_a_venue {};
static_assert(!ex::exchange<not_a_venue>);

std::vector<ex::subscription> trades_of_many(std::size_t n) {
    std::vector<ex::subscription> subs;
    for (std::size_t i = 0; i < n; ++i) {
        // Distinct synthetic bases: A0..A9, B0..; the quote is USDT.
        std::string base = "C" + std::to_string(i);
        std::error_code ec;
        subs.push_back(ex::trades_of(tradewire::symbol::from_parts(base, "USDT", ec)));
    }
    return subs;
}

std::size_t total(const std::vector<ex::connection_plan>& plans) {
    std::size_t n = 0;
    for (const auto& p : plans) n += p.subscriptions.size();
    return n;
}

}  // namespace

TEST_CASE("venue policies describe endpoints, limits and heartbeats") {
    CHECK(ex::binance::spot::id == mk::venue::binance);
    CHECK(ex::binance::spot::name == "binance");
    CHECK(ex::binance::spot::urls.ws(ex::endpoint_kind::market) == "wss://stream.binance.com:9443/ws");
    CHECK(ex::binance::spot::urls.ws(ex::endpoint_kind::market, true) == "wss://stream.testnet.binance.vision/ws");
    CHECK(ex::binance::spot::urls.rest_base == "https://api.binance.com");
    CHECK(ex::binance::spot::limits.max_streams_per_connection == 1024);
    CHECK(ex::binance::spot::limits.max_client_messages_per_second == 5);
    CHECK(ex::binance::spot::limits.max_connection_lifetime == std::chrono::hours(24));
    CHECK(ex::binance::spot::heartbeat.style == ex::ping_style::server_ping_frames);
    CHECK(ex::binance::spot::heartbeat.server_ping_interval == std::chrono::seconds(20));
    CHECK(ex::binance::spot::heartbeat.pong_timeout == std::chrono::seconds(60));

    CHECK(ex::okx::spot::urls.ws(ex::endpoint_kind::market) == "wss://ws.okx.com:8443/ws/v5/public");
    CHECK(ex::okx::spot::urls.ws(ex::endpoint_kind::business) == "wss://ws.okx.com:8443/ws/v5/business");
    CHECK(ex::okx::spot::urls.ws(ex::endpoint_kind::business, true) == "wss://wspap.okx.com:8443/ws/v5/business");
    CHECK(ex::okx::spot::limits.max_request_bytes == 65536);
    CHECK(ex::okx::spot::heartbeat.style == ex::ping_style::client_text);
    CHECK(ex::okx::spot::heartbeat.client_ping_interval < std::chrono::seconds(30));

    CHECK(ex::bybit::spot::urls.ws(ex::endpoint_kind::market) == "wss://stream.bybit.com/v5/public/spot");
    CHECK(ex::bybit::spot::urls.ws(ex::endpoint_kind::market, true) == "wss://stream-testnet.bybit.com/v5/public/spot");
    CHECK(ex::bybit::spot::limits.max_args_per_request == 10);
    CHECK(ex::bybit::spot::limits.max_arg_chars_per_connection == 21000);
    CHECK(ex::bybit::spot::heartbeat.style == ex::ping_style::client_json);
    CHECK(ex::bybit::spot::heartbeat.client_ping_interval == std::chrono::seconds(20));
}

TEST_CASE("request ids: numbers, short texts, none") {
    const ex::request_id none;
    CHECK(none.empty());
    const ex::request_id n = 42;
    CHECK(n.is_number());
    CHECK(n.number() == 42);
    const ex::request_id t = "abc";
    CHECK(t.is_text());
    CHECK(t.text() == "abc");
    const std::string long_text(40, 'x');
    const ex::request_id too_long{std::string_view(long_text)};
    CHECK(too_long.too_long());
    CHECK(too_long.text().empty());
}

TEST_CASE("plan_connections: Binance puts at most 1024 streams on a connection") {
    const auto subs = trades_of_many(1025);
    std::error_code ec;
    const auto plans = ex::plan_connections<ex::binance::spot>(subs, ec);
    REQUIRE_FALSE(ec);
    REQUIRE(plans.size() == 2);
    CHECK(plans[0].subscriptions.size() == 1024);
    CHECK(plans[1].subscriptions.size() == 1);
    CHECK(plans[0].requests.size() == 1);
    CHECK(plans[0].request(0).size() == 1024);
    CHECK(plans[1].subscriptions[0] == subs[1024]);
    // Exactly at the limit: one connection.
    const auto at_limit = ex::plan_connections<ex::binance::spot>(std::span(subs).first(1024), ec);
    CHECK(at_limit.size() == 1);
    // Every planned request builds.
    char buf[65536];
    const std::size_t n = ex::binance::spot::build_subscribe(plans[0].request(0), 1, buf, ec);
    CHECK_FALSE(ec);
    CHECK(n > 1024 * 10);
}

TEST_CASE("plan_connections: Bybit spot sends at most 10 args per request") {
    const auto subs = trades_of_many(25);
    std::error_code ec;
    const auto plans = ex::plan_connections<ex::bybit::spot>(subs, ec);
    REQUIRE_FALSE(ec);
    REQUIRE(plans.size() == 1);
    REQUIRE(plans[0].requests.size() == 3);
    CHECK(plans[0].request(0).size() == 10);
    CHECK(plans[0].request(1).size() == 10);
    CHECK(plans[0].request(2).size() == 5);
    CHECK(plans[0].request(2)[4] == subs[24]);
    char buf[2048];
    for (std::size_t i = 0; i < plans[0].requests.size(); ++i) {
        CHECK(ex::bybit::spot::build_subscribe(plans[0].request(i), ex::request_id{}, buf, ec) > 0);
        CHECK_FALSE(ec);
    }
}

TEST_CASE("plan_connections: Bybit keeps each connection under 21,000 characters of args") {
    // "publicTrade.C123USDT" is 20 characters, 22 with quotes: about 950 per connection.
    const auto subs = trades_of_many(2000);
    std::error_code ec;
    const auto plans = ex::plan_connections<ex::bybit::spot>(subs, ec);
    REQUIRE_FALSE(ec);
    REQUIRE(plans.size() >= 2);
    CHECK(total(plans) == 2000);
    char arg[128];
    for (const auto& p : plans) {
        std::size_t chars = 0;
        for (const auto& s : p.subscriptions) chars += ex::bybit::spot::request_arg(s, arg, ec);
        CHECK(chars <= 21000);
        for (const auto& r : p.requests) CHECK(r.count <= 10);
    }
}

TEST_CASE("plan_connections: OKX splits requests at 64 KB and heavy books at 29 per connection") {
    const auto subs = trades_of_many(3000);  // ~3000 * 42 bytes: more than 64 KB of args
    std::error_code ec;
    const auto plans = ex::plan_connections<ex::okx::spot>(subs, ec);
    REQUIRE_FALSE(ec);
    REQUIRE(plans.size() == 1);
    REQUIRE(plans[0].requests.size() == 2);
    static char buf[70000];
    for (std::size_t i = 0; i < plans[0].requests.size(); ++i) {
        const std::size_t n = ex::okx::spot::build_subscribe(plans[0].request(i), "12345678901234567890123456789012", buf, ec);
        CHECK_FALSE(ec);
        CHECK(n <= 65536);
    }

    std::vector<ex::subscription> books;
    for (const auto& s : trades_of_many(60)) books.push_back(ex::book_of(s.instrument));
    books.push_back(ex::trades_of(books[0].instrument));
    const auto book_plans = ex::plan_connections<ex::okx::spot>(books, ec);
    REQUIRE_FALSE(ec);
    REQUIRE(book_plans.size() == 3);  // 29 + 29 + 2 deep books; the trades ride along
    CHECK(book_plans[0].subscriptions.size() == 29);
    CHECK(book_plans[1].subscriptions.size() == 29);
    CHECK(total(book_plans) == 61);
}

TEST_CASE("plan_connections: endpoints, duplicates and unsupported streams") {
    const auto btc = sym("BTC-USDT");
    const ex::subscription subs[] = {ex::trades_of(btc), ex::kline_of(btc, {1, mk::interval_unit::minute}),
                                     ex::book_of(btc), ex::trades_of(btc), ex::kline_of(btc, {1, mk::interval_unit::hour})};
    std::error_code ec;
    const auto plans = ex::plan_connections<ex::okx::spot>(subs, ec);
    REQUIRE_FALSE(ec);
    REQUIRE(plans.size() == 2);
    CHECK(plans[0].endpoint == ex::endpoint_kind::market);
    CHECK(plans[0].subscriptions.size() == 2);  // trades (once) and books
    CHECK(plans[1].endpoint == ex::endpoint_kind::business);
    CHECK(plans[1].subscriptions.size() == 2);

    const ex::subscription bad[] = {ex::trades_of(btc), ex::agg_trades_of(btc)};
    const auto none = ex::plan_connections<ex::okx::spot>(bad, ec);
    CHECK(ec == ex::error::unsupported_stream);
    CHECK(none.empty());
    CHECK(ex::plan_connections<ex::binance::spot>({}, ec).empty());
    CHECK_FALSE(ec);
}

TEST_CASE("control events map to market status") {
    ex::control_event c;
    c.venue = mk::venue::okx;
    c.kind = ex::control_kind::subscribed;
    auto s = ex::to_status(c);
    REQUIRE(s.has_value());
    CHECK(s->kind == mk::status_kind::subscribed);
    CHECK(s->venue == mk::venue::okx);
    c.kind = ex::control_kind::error;
    c.message = "Invalid request";
    s = ex::to_status(c);
    REQUIRE(s.has_value());
    CHECK(s->kind == mk::status_kind::venue_error);
    CHECK(s->text == "Invalid request");
    c.kind = ex::control_kind::pong;
    CHECK_FALSE(ex::to_status(c).has_value());
    CHECK(ex::to_string(ex::control_kind::server_shutdown) == "server_shutdown");
    CHECK(ex::make_error_code(ex::error::missing_field).category().name() == std::string("tradewire.exchange"));
}

TEST_CASE("decoders do not allocate in the steady state") {
    struct counting {
        std::size_t events = 0, errors = 0;
        void on_trade(const mk::trade&) { ++events; }
        void on_bbo(const mk::bbo&) { ++events; }
        void on_book_snapshot(const mk::book_snapshot&) { ++events; }
        void on_book_delta(const mk::book_delta&) { ++events; }
        void on_kline(const mk::kline&) { ++events; }
        void on_control(const ex::control_event&) { ++events; }
        void on_decode_error(const ex::decode_error&) { ++errors; }
    } h;
    std::vector<std::string> binance = {
        R"({"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true})",
        R"({"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"})",
        R"({"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"]]})",
        R"({"stream":"bnbbtc@depth5","data":{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}})",
        R"({"result":["btcusdt@aggTrade"],"id":3})",
        R"({"e":"trade","s":"BNBBTC"})",
    };
    std::vector<std::string> okx = {
        R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"130639474","px":"42219.9","sz":"0.12060306","side":"buy","ts":"1630048897897","count":"3","seqId":1234}]})",
        R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["8476.98","415","0","13"]],"bids":[["8476.97","256","0","12"]],"ts":"1597026383085","checksum":1,"prevSeqId":1,"seqId":2}]})",
        R"({"arg":{"channel":"candle1D","instId":"BTC-USDT"},"data":[["1597026383085","8533.02","8553.74","8527.17","8548.26","45247","529.5858061","5529.5858061","0"]]})",
        "pong",
    };
    std::vector<std::string> bybit = {
        R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","i":"20f43950","BT":false}]})",
        R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20","30.028"]],"a":[["30248.70","0"]],"u":177400507,"seq":66544703342}})",
        R"({"success":true,"ret_msg":"pong","conn_id":"0970e817","op":"ping"})",
    };
    ex::binance::decoder bd;
    ex::okx::decoder od;
    ex::bybit::decoder yd;
    std::vector<std::vector<char>> buffers;
    auto run = [&](auto& d, const std::vector<std::string>& msgs) {
        for (const auto& m : msgs) {
            std::vector<char> buf(m.begin(), m.end());
            d.decode(std::span<char>(buf), h);
        }
    };
    // Warm up: buffers reach their working size.
    run(bd, binance);
    run(od, okx);
    run(yd, bybit);
    // Steady state: copy the payloads outside the counted region.
    std::vector<std::vector<char>> copies;
    for (const auto* set : {&binance, &okx, &bybit})
        for (const auto& m : *set) copies.emplace_back(m.begin(), m.end());
    h = {};
    const std::size_t before = alloc_test::allocations();
    for (int round = 0; round < 100; ++round) {
        std::size_t i = 0;
        for (const auto& m : binance) {
            std::copy(m.begin(), m.end(), copies[i].begin());
            bd.decode(std::span<char>(copies[i++]), h);
        }
        for (const auto& m : okx) {
            std::copy(m.begin(), m.end(), copies[i].begin());
            od.decode(std::span<char>(copies[i++]), h);
        }
        for (const auto& m : bybit) {
            std::copy(m.begin(), m.end(), copies[i].begin());
            yd.decode(std::span<char>(copies[i++]), h);
        }
    }
    const std::size_t after = alloc_test::allocations();
    CHECK(after == before);
    CHECK(h.events == 100 * 12);
    CHECK(h.errors == 100);
}

TEST_CASE("derivative symbols: OKX subscribes them, the Binance and Bybit spot adapters refuse them") {
    std::error_code ec;
    const tradewire::symbol swap = tradewire::symbol::parse_instrument("BTC-USDT-SWAP", ec);
    REQUIRE_FALSE(ec);
    char out[256];
    CHECK(ex::okx::spot::request_arg(ex::trades_of(swap), out, ec) > 0);
    CHECK_FALSE(ec);
    CHECK(ex::binance::spot::request_arg(ex::trades_of(swap), out, ec) == 0);
    CHECK(ec == ex::error::unsupported_stream);
    CHECK(ex::bybit::spot::request_arg(ex::trades_of(swap), out, ec) == 0);
    CHECK(ec == ex::error::unsupported_stream);
}
