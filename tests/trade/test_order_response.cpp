// Venue order-entry answers -> order_event: the reference's documented responses
// (REFERENCE.md 1.6, 3.6, 2.3, 2.6), key order, rejects, login results, heartbeats, and
// malformed or unknown input reported, never crashing.
#include "catch.hpp"

#include <tradewire/trade/order_response.hpp>

#include <string>

using namespace tradewire;
using namespace tradewire::trade;

namespace {

order_event parse(market::venue v, std::string& text) {
    return parse_order_response(v, std::span<char>(text.data(), text.size()));
}

}  // namespace

TEST_CASE("binance order.place success response from the reference") {
    std::string t =
        R"({"id":"42","status":200,"result":{"symbol":"BTCUSDT","orderId":12510053279,"orderListId":-1,"clientOrderId":"a097fe6304b20a7e4fc436","transactTime":1655716096505,"price":"0.10000000","origQty":"10.00000000","executedQty":"0.00000000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"0.00000000","status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"BUY","workingTime":1655716096505,"selfTradePreventionMode":"NONE"},"rateLimits":[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":12}]})";
    const order_event e = parse(market::venue::binance, t);
    CHECK(e.kind == order_event_kind::accepted);
    CHECK(e.request_id == 42);
    CHECK(e.venue_order_id == "12510053279");
    CHECK(e.client_order_id == "a097fe6304b20a7e4fc436");
    CHECK(e.status == order_status::new_order);
    CHECK(e.status_text == "NEW");
    CHECK(e.executed_quantity == "0.00000000");
    CHECK(e.cumulative_quote == "0.00000000");
    CHECK(e.http_status == 200);
    CHECK_FALSE(e.ec);
}

TEST_CASE("binance failure response carries the venue code and message") {
    std::string t =
        R"({"id":"7","status":400,"error":{"code":-2010,"msg":"Account has insufficient balance for requested action."},"rateLimits":[]})";
    const order_event e = parse(market::venue::binance, t);
    CHECK(e.kind == order_event_kind::rejected);
    CHECK(e.request_id == 7);
    CHECK(e.code == -2010);
    CHECK(e.message == "Account has insufficient balance for requested action.");
    CHECK(e.http_status == 400);
    CHECK(e.status == order_status::rejected);
}

TEST_CASE("binance 5xx means the outcome is unknown") {
    std::string t = R"({"status":503,"id":"9","error":{"msg":"Service unavailable","code":-1008}})";
    const order_event e = parse(market::venue::binance, t);
    CHECK(e.kind == order_event_kind::error);
    CHECK(e.ec == order_entry_error::unknown_outcome);
    CHECK(e.request_id == 9);
    CHECK(e.code == -1008);
}

TEST_CASE("binance session.logon answers by its id") {
    std::string ok =
        R"({"id":"logon","status":200,"result":{"apiKey":"k","authorizedSince":1,"serverTime":2}})";
    CHECK(parse(market::venue::binance, ok).kind == order_event_kind::logged_in);
    std::string bad =
        R"({"id":"logon","status":401,"error":{"code":-1022,"msg":"Signature for this request is not valid."}})";
    const order_event e = parse(market::venue::binance, bad);
    CHECK(e.kind == order_event_kind::login_failed);
    CHECK(e.code == -1022);
    CHECK(e.request_id == 0);
    CHECK(e.id_text == "logon");
}

TEST_CASE("binance status words map to order states") {
    CHECK(binance_order_status("FILLED") == order_status::filled);
    CHECK(binance_order_status("PARTIALLY_FILLED") == order_status::partially_filled);
    CHECK(binance_order_status("EXPIRED_IN_MATCH") == order_status::expired);
    CHECK(binance_order_status("CANCELED") == order_status::canceled);
    CHECK(binance_order_status("SOMETHING") == order_status::unknown);
}

TEST_CASE("okx login success and failure from the reference") {
    std::string ok = R"({"event":"login","code":"0","msg":"","connId":"a4d3ae55"})";
    CHECK(parse(market::venue::okx, ok).kind == order_event_kind::logged_in);
    std::string bad = R"({"event":"error","code":"60009","msg":"Login failed.","connId":"a4d3ae55"})";
    const order_event e = parse(market::venue::okx, bad);
    CHECK(e.kind == order_event_kind::error);
    CHECK(e.code == 60009);
    CHECK(e.message == "Login failed.");
}

TEST_CASE("okx order ack and reject") {
    std::string ok =
        R"({"id":"1512","op":"order","data":[{"clOrdId":"","ordId":"12345689","tag":"","sCode":"0","sMsg":""}],"code":"0","msg":"","inTime":"1695190491421339","outTime":"1695190491423240"})";
    order_event e = parse(market::venue::okx, ok);
    CHECK(e.kind == order_event_kind::accepted);
    CHECK(e.request_id == 1512);
    CHECK(e.venue_order_id == "12345689");
    CHECK(e.status == order_status::accepted);

    std::string bad =
        R"({"code":"1","msg":"","id":"1513","op":"order","data":[{"clOrdId":"b1","ordId":"","tag":"","sCode":"60013","sMsg":"Invalid args"}]})";
    e = parse(market::venue::okx, bad);
    CHECK(e.kind == order_event_kind::rejected);
    CHECK(e.request_id == 1513);
    CHECK(e.code == 60013);
    CHECK(e.message == "Invalid args");
    CHECK(e.client_order_id == "b1");
}

TEST_CASE("okx pong is a heartbeat") {
    std::string t = "pong";
    CHECK(parse(market::venue::okx, t).kind == order_event_kind::heartbeat);
}

TEST_CASE("bybit auth, order ack, reject and pong from the reference") {
    std::string auth = R"({"retCode":0,"retMsg":"OK","op":"auth","connId":"cnt5leec0hvan15eukcg-2t"})";
    CHECK(parse(market::venue::bybit, auth).kind == order_event_kind::logged_in);
    std::string auth_bad = R"({"retCode":10004,"retMsg":"Invalid sign","op":"auth","connId":"x"})";
    const order_event ab = parse(market::venue::bybit, auth_bad);
    CHECK(ab.kind == order_event_kind::login_failed);
    CHECK(ab.code == 10004);

    std::string ok =
        R"({"reqId":"5","retCode":0,"retMsg":"OK","op":"order.create","data":{"orderId":"a4c1718e-fe53-4659-a118-1f6ecce04ad9","orderLinkId":""},"retExtInfo":{},"header":{"X-Bapi-Limit":"10","X-Bapi-Limit-Status":"9","X-Bapi-Limit-Reset-Timestamp":"1711001595208","Traceid":"38b7977b430f9bd228f4b19724794dfd","Timenow":"1711001595209"},"connId":"cnt5leec0hvan15eukcg-2v"})";
    const order_event e = parse(market::venue::bybit, ok);
    CHECK(e.kind == order_event_kind::accepted);
    CHECK(e.request_id == 5);
    CHECK(e.venue_order_id == "a4c1718e-fe53-4659-a118-1f6ecce04ad9");

    std::string dup =
        R"({"reqId":"6","retCode":20006,"retMsg":"duplicate reqId","op":"order.create","data":{}})";
    const order_event d = parse(market::venue::bybit, dup);
    CHECK(d.kind == order_event_kind::rejected);
    CHECK(d.code == 20006);

    std::string pong =
        R"({"retCode":0,"retMsg":"OK","op":"pong","data":["1711002002529"],"connId":"cnt5leec0hvan15eukcg-2v"})";
    CHECK(parse(market::venue::bybit, pong).kind == order_event_kind::heartbeat);
}

TEST_CASE("malformed and unknown answers are reported, not trusted") {
    const auto v = GENERATE(values({market::venue::binance, market::venue::okx, market::venue::bybit}));
    CAPTURE(static_cast<int>(v));
    for (const std::string& s : {std::string(R"({"id":"7","status":200,"result":{"orderId":)"),
                                 std::string(""), std::string("[1,2]"), std::string(R"({"status":"200"})"),
                                 std::string(R"({"retCode":"x"})"), std::string("{\"a\":1} trailing")}) {
        std::string t = s;
        const order_event e = parse(v, t);
        CAPTURE(s);
        CHECK((e.kind == order_event_kind::malformed || e.kind == order_event_kind::unrecognized));
        CHECK(e.ec);
    }
    std::string unknown = R"({"hello":"world","n":[1,2,3]})";
    const order_event u = parse(v, unknown);
    CHECK(u.kind == order_event_kind::unrecognized);
    CHECK(u.ec == order_entry_error::unrecognized_response);
}

TEST_CASE("venues without order entry report unsupported") {
    std::string t = "{}";
    const order_event e = parse(market::venue::kraken, t);
    CHECK(e.kind == order_event_kind::unrecognized);
    CHECK(e.ec == order_entry_error::unsupported_venue);
}
