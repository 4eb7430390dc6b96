// `tradewire-cli decode VENUE`: the built binary on the reference samples of every venue,
// compared line by line (keys, order, decimals, symbols, nulls), plus error lines, base64
// frames and exit statuses.
#include "catch.hpp"

#include <string>
#include <vector>

#include "cli_runner.hpp"

using tradewire::test::run_cli;

namespace {

std::string lines(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& l : v) s += l + "\n";
    return s;
}

}  // namespace

TEST_CASE("decode binance: every reference sample") {
    const std::vector<std::string> input = {
        R"({"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true})",
        R"({"e":"aggTrade","E":1672515782136,"s":"BNBBTC","a":12345,"p":"0.001","q":"100","f":100,"l":105,"T":1672515782136,"m":true,"M":true})",
        R"({"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"})",
        R"({"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]})",
        R"({"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"]]})",
        R"({"e":"kline","E":1672515782136,"s":"BNBBTC","k":{"t":1672515780000,"T":1672515839999,"s":"BNBBTC","i":"1m","f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":false,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}})",
        R"({"result":null,"id":1})",
        R"({"result":["btcusdt@aggTrade"],"id":3})",
        R"({"result":true,"id":2})",
        R"({"code": 2, "msg": "Invalid request: ..."})",
        R"({"e":"serverShutdown","E":1770123456789})",
        R"({"stream":"bnbbtc@depth5","data":{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]}})",
    };
    const auto r = run_cli({"decode", "binance"}, lines(input));
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out == lines({
                       R"({"type":"trade","exchange":"binance","symbol":"BNB-BTC","price":"0.001","qty":"100","side":"sell","id":"12345","ts":1672515782136})",
                       R"({"type":"trade","exchange":"binance","symbol":"BNB-BTC","price":"0.001","qty":"100","side":"sell","id":"12345","ts":1672515782136})",
                       R"({"type":"bbo","exchange":"binance","symbol":"BNB-USDT","bid":"25.3519","bid_qty":"31.21","ask":"25.3652","ask_qty":"40.66","ts":null})",
                       R"({"type":"book","exchange":"binance","symbol":null,"action":"snapshot","bids":[["0.0024","10"]],"asks":[["0.0026","100"]],"seq":160,"ts":null})",
                       R"({"type":"book","exchange":"binance","symbol":"BNB-BTC","action":"delta","bids":[["0.0024","10"]],"asks":[["0.0026","100"]],"seq":160,"ts":1672515782136})",
                       R"({"type":"kline","exchange":"binance","symbol":"BNB-BTC","interval":"1m","open_time":1672515780000,"close_time":1672515839999,"open":"0.001","high":"0.0025","low":"0.0015","close":"0.002","volume":"1000","closed":false})",
                       R"({"type":"control","exchange":"binance","kind":"ack"})",
                       R"({"type":"control","exchange":"binance","kind":"subscriptions"})",
                       R"({"type":"control","exchange":"binance","kind":"property"})",
                       R"({"type":"control","exchange":"binance","kind":"error"})",
                       R"({"type":"control","exchange":"binance","kind":"server_shutdown"})",
                       R"({"type":"book","exchange":"binance","symbol":"BNB-BTC","action":"snapshot","bids":[["0.0024","10"]],"asks":[["0.0026","100"]],"seq":160,"ts":null})",
                   }));
}

TEST_CASE("decode okx: every reference sample") {
    const std::vector<std::string> input = {
        R"({"id":"1512","event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"})",
        R"({"id":"1512","event":"error","code":"60012","msg":"Invalid request: {...}","connId":"a4d3ae55"})",
        R"({"event":"unsubscribe","arg":{"channel":"tickers","instId":"BTC-USDT"},"connId":"d0b44253"})",
        R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"})",
        "pong",
        R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"130639474","px":"42219.9","sz":"0.12060306","side":"buy","ts":"1630048897897","count":"3","seqId":1234}]})",
        R"({"arg":{"channel":"bbo-tbt","instId":"BCH-USDT-SWAP"},"data":[{"asks":[["111.06","55154","0","2"]],"bids":[["111.05","57745","0","2"]],"ts":"1670324386802","seqId":363996337}]})",
        R"({"arg":{"channel":"books5","instId":"BCH-USDT-SWAP"},"data":[{"asks":[["111.06","55154","0","2"],["111.07","53276","0","2"],["111.08","72435","0","2"],["111.09","70312","0","2"],["111.1","67272","0","2"]],"bids":[["111.05","57745","0","2"],["111.04","57109","0","2"],["111.03","69563","0","2"],["111.02","71248","0","2"],["111.01","65090","0","2"]],"instId":"BCH-USDT-SWAP","ts":"1670324386802","seqId":363996337}]})",
        R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["8476.98","415","0","13"],["8477","7","0","2"],["8477.34","85","0","1"],["8477.56","1","0","1"],["8505.84","8","0","1"],["8506.37","85","0","1"],["8506.49","2","0","1"],["8506.96","100","0","2"]],"bids":[["8476.97","256","0","12"],["8475.55","101","0","1"],["8475.54","100","0","1"],["8475.3","1","0","1"],["8447.32","6","0","1"],["8447.02","246","0","1"],["8446.83","24","0","1"],["8446","95","0","3"]],"ts":"1597026383085","checksum":-855196043,"prevSeqId":-1,"seqId":123456}]})",
        R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["8476.98","415","0","13"]],"bids":[["8476.97","256","0","12"]],"ts":"1597026383085","checksum":-855196043,"prevSeqId":123456,"seqId":123457}]})",
        R"({"arg":{"channel":"candle1D","instId":"BTC-USDT"},"data":[["1597026383085","8533.02","8553.74","8527.17","8548.26","45247","529.5858061","5529.5858061","0"]]})",
    };
    const auto r = run_cli({"decode", "okx"}, lines(input));
    CHECK(r.status == 0);
    CHECK(r.out == lines({
                       R"({"type":"control","exchange":"okx","kind":"subscribed"})",
                       R"({"type":"control","exchange":"okx","kind":"error"})",
                       R"({"type":"control","exchange":"okx","kind":"unsubscribed"})",
                       R"({"type":"control","exchange":"okx","kind":"notice"})",
                       R"({"type":"control","exchange":"okx","kind":"pong"})",
                       R"({"type":"trade","exchange":"okx","symbol":"BTC-USDT","price":"42219.9","qty":"0.12060306","side":"buy","id":"130639474","ts":1630048897897})",
                       R"({"type":"bbo","exchange":"okx","symbol":"BCH-USDT-SWAP","bid":"111.05","bid_qty":"57745","ask":"111.06","ask_qty":"55154","ts":1670324386802})",
                       R"({"type":"book","exchange":"okx","symbol":"BCH-USDT-SWAP","action":"snapshot","bids":[["111.05","57745"],["111.04","57109"],["111.03","69563"],["111.02","71248"],["111.01","65090"]],"asks":[["111.06","55154"],["111.07","53276"],["111.08","72435"],["111.09","70312"],["111.1","67272"]],"seq":363996337,"ts":1670324386802})",
                       R"({"type":"book","exchange":"okx","symbol":"BTC-USDT","action":"snapshot","bids":[["8476.97","256"],["8475.55","101"],["8475.54","100"],["8475.3","1"],["8447.32","6"],["8447.02","246"],["8446.83","24"],["8446","95"]],"asks":[["8476.98","415"],["8477","7"],["8477.34","85"],["8477.56","1"],["8505.84","8"],["8506.37","85"],["8506.49","2"],["8506.96","100"]],"seq":123456,"ts":1597026383085})",
                       R"({"type":"book","exchange":"okx","symbol":"BTC-USDT","action":"delta","bids":[["8476.97","256"]],"asks":[["8476.98","415"]],"seq":123457,"ts":1597026383085})",
                       R"({"type":"kline","exchange":"okx","symbol":"BTC-USDT","interval":"1d","open_time":1597026383085,"close_time":1597112783085,"open":"8533.02","high":"8553.74","low":"8527.17","close":"8548.26","volume":"45247","closed":false})",
                   }));
}

TEST_CASE("decode bybit: every reference sample") {
    const std::vector<std::string> input = {
        R"({"success":true,"ret_msg":"subscribe","conn_id":"2324d924-aa4d-45b0-a858-7b8be29ab52b","req_id":"10001","op":"subscribe"})",
        R"({"success":true,"ret_msg":"pong","conn_id":"0970e817-...","op":"ping"})",
        R"({"args":["1672916271846"],"op":"pong"})",
        R"({"retCode":0,"retMsg":"OK","op":"pong","data":["1711002002529"],"connId":"cnt5leec0hvan15eukcg-2v"})",
        R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick","i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false,"seq":1783284617}]})",
        R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1672304484978,"data":{"s":"BTCUSDT","b":[["16493.50","0.006"],["16493.00","0.100"]],"a":[["16611.00","0.029"],["16612.00","0.213"]],"u":18521288,"seq":7961638724},"cts":1672304484976})",
        R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20","30.028"],["30245.40","0.224"],["30242.10","1.593"],["30240.30","1.305"],["30240.00","0"]],"a":[["30248.70","0"],["30249.30","0.892"],["30249.50","1.778"],["30249.60","0"],["30251.90","2.947"],["30252.20","0.659"],["30252.50","4.591"]],"u":177400507,"seq":66544703342},"cts":1687940967464})",
        R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1672304484978,"data":{"s":"BTCUSDT","b":[["16493.50","0.006"]],"a":[["16611.00","0.029"]],"u":18521288,"seq":7961638724},"cts":1672304484976})",
        R"({"topic":"kline.5.BTCUSDT","data":[{"start":1672324800000,"end":1672325099999,"interval":"5","open":"16649.5","close":"16677","high":"16677","low":"16608","volume":"2.081","turnover":"34666.4005","confirm":false,"timestamp":1672324988882}],"ts":1672324988882,"type":"snapshot"})",
    };
    const auto r = run_cli({"decode", "bybit"}, lines(input));
    CHECK(r.status == 0);
    CHECK(r.out == lines({
                       R"({"type":"control","exchange":"bybit","kind":"subscribed"})",
                       R"({"type":"control","exchange":"bybit","kind":"pong"})",
                       R"({"type":"control","exchange":"bybit","kind":"pong"})",
                       R"({"type":"control","exchange":"bybit","kind":"pong"})",
                       R"({"type":"trade","exchange":"bybit","symbol":"BTC-USDT","price":"16578.5","qty":"0.001","side":"buy","id":"20f43950-d8dd-5b31-9112-a178eb6023af","ts":1672304486865})",
                       R"({"type":"book","exchange":"bybit","symbol":"BTC-USDT","action":"snapshot","bids":[["16493.5","0.006"],["16493","0.1"]],"asks":[["16611","0.029"],["16612","0.213"]],"seq":18521288,"ts":1672304484978})",
                       R"({"type":"book","exchange":"bybit","symbol":"BTC-USDT","action":"delta","bids":[["30247.2","30.028"],["30245.4","0.224"],["30242.1","1.593"],["30240.3","1.305"],["30240","0"]],"asks":[["30248.7","0"],["30249.3","0.892"],["30249.5","1.778"],["30249.6","0"],["30251.9","2.947"],["30252.2","0.659"],["30252.5","4.591"]],"seq":177400507,"ts":1687940967466})",
                       R"({"type":"bbo","exchange":"bybit","symbol":"BTC-USDT","bid":"16493.5","bid_qty":"0.006","ask":"16611","ask_qty":"0.029","ts":1672304484978})",
                       R"({"type":"kline","exchange":"bybit","symbol":"BTC-USDT","interval":"5m","open_time":1672324800000,"close_time":1672325099999,"open":"16649.5","high":"16677","low":"16608","close":"16677","volume":"2.081","closed":false})",
                   }));
}

TEST_CASE("decode: error lines, recovery and exit status 1") {
    const std::string good =
        R"({"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true})";
    const auto r = run_cli({"decode", "binance"}, lines({"garbage", good, R"({"e":"trade","s":"BNBBTC"})", "", good}));
    CHECK(r.status == 1);
    const std::string trade_line =
        R"({"type":"trade","exchange":"binance","symbol":"BNB-BTC","price":"0.001","qty":"100","side":"sell","id":"12345","ts":1672515782136})";
    CHECK(r.out == lines({R"({"type":"error","exchange":"binance","message":"unexpected character in JSON text: binance: message"})",
                          trade_line,
                          R"({"type":"error","exchange":"binance","message":"missing field: binance trade: s, t, p, q, T, m"})",
                          trade_line}));
}

TEST_CASE("decode: binary frames as base64, CRLF line ends") {
    const auto r = run_cli(
        {"decode", "binance"},
        "b64:eyJlIjoidHJhZGUiLCJFIjoxNjcyNTE1NzgyMTM2LCJzIjoiQk5CQlRDIiwidCI6MTIzNDUsInAiOiIwLjAwMSIsInEiOiIxMDAiLCJUIjoxNjcyNTE1NzgyMTM2LCJtIjp0cnVlLCJNIjp0cnVlfQ==\r\n"
        "b64:!!!!\n"
        "{\"result\":null,\"id\":1}\r\n");
    CHECK(r.status == 1);
    CHECK(r.out ==
          lines({R"({"type":"trade","exchange":"binance","symbol":"BNB-BTC","price":"0.001","qty":"100","side":"sell","id":"12345","ts":1672515782136})",
                 R"({"type":"error","exchange":"binance","message":"invalid base64 payload: invalid base64 character"})",
                 R"({"type":"control","exchange":"binance","kind":"ack"})"}));
}

TEST_CASE("decode: strings in output are escaped") {
    // A trade id with a quote, a backslash and a control character (all escaped in the input).
    const auto r = run_cli({"decode", "bybit"},
                           R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":2,"s":"BTCUSDT","S":"Sell","v":"1","p":"2","i":"a\"b\\c\u0001d\u00e9"}]})"
                           "\n");
    CHECK(r.status == 0);
    CHECK(r.out ==
          "{\"type\":\"trade\",\"exchange\":\"bybit\",\"symbol\":\"BTC-USDT\",\"price\":\"2\",\"qty\":\"1\",\"side\":\"sell\","
          "\"id\":\"a\\\"b\\\\c\\u0001d\xc3\xa9\",\"ts\":2}\n");
}

TEST_CASE("decode: bad arguments exit 2 with a message on stderr") {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"decode"}, {"decode", "kraken2"}, {"decode", "binance", "okx"}, {"decode", "--bogus", "binance"}}) {
        const auto r = run_cli(args, "{}\n");
        CHECK(r.status == 2);
        CHECK_FALSE(r.err.empty());
        CHECK(r.out.empty());
    }
    const auto empty = run_cli({"decode", "okx"}, "");
    CHECK(empty.status == 0);
    CHECK(empty.out.empty());
}
