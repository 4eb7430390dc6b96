// OKX v5: every sample of REFERENCE section 3 decodes to the right fields, the builders
// reproduce the documented requests byte for byte, and malformed variants of each
// message give a decode error (never an event, never a crash).
#include "catch.hpp"
#include "decode_support.hpp"

#include <tradewire/exchange/okx.hpp>

#include <string>
#include <vector>

namespace ex = tradewire::exchange;
namespace okx = tradewire::exchange::okx;
namespace mk = tradewire::market;
using namespace tradewire::test;
using tradewire::exchange::error;

namespace {

const std::string trades =
    R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"130639474","px":"42219.9","sz":"0.12060306","side":"buy","ts":"1630048897897","count":"3","seqId":1234}]})";
const std::string bbo_tbt =
    R"({"arg":{"channel":"bbo-tbt","instId":"BCH-USDT-SWAP"},"data":[{"asks":[["111.06","55154","0","2"]],"bids":[["111.05","57745","0","2"]],"ts":"1670324386802","seqId":363996337}]})";
const std::string books5 =
    R"({"arg":{"channel":"books5","instId":"BCH-USDT-SWAP"},"data":[{"asks":[["111.06","55154","0","2"],["111.07","53276","0","2"],["111.08","72435","0","2"],["111.09","70312","0","2"],["111.1","67272","0","2"]],"bids":[["111.05","57745","0","2"],["111.04","57109","0","2"],["111.03","69563","0","2"],["111.02","71248","0","2"],["111.01","65090","0","2"]],"instId":"BCH-USDT-SWAP","ts":"1670324386802","seqId":363996337}]})";
const std::string books_snapshot =
    R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["8476.98","415","0","13"],["8477","7","0","2"],["8477.34","85","0","1"],["8477.56","1","0","1"],["8505.84","8","0","1"],["8506.37","85","0","1"],["8506.49","2","0","1"],["8506.96","100","0","2"]],"bids":[["8476.97","256","0","12"],["8475.55","101","0","1"],["8475.54","100","0","1"],["8475.3","1","0","1"],["8447.32","6","0","1"],["8447.02","246","0","1"],["8446.83","24","0","1"],["8446","95","0","3"]],"ts":"1597026383085","checksum":-855196043,"prevSeqId":-1,"seqId":123456}]})";
const std::string books_update = replace(
    replace(books_snapshot, R"("action":"snapshot")", R"("action":"update")"), R"("prevSeqId":-1,"seqId":123456)",
    R"("prevSeqId":123456,"seqId":123457)");
const std::string candle =
    R"({"arg":{"channel":"candle1D","instId":"BTC-USDT"},"data":[["1597026383085","8533.02","8553.74","8527.17","8548.26","45247","529.5858061","5529.5858061","0"]]})";

struct instrument_recorder : recorder {
    const okx::decoder* d = nullptr;
    std::vector<std::string> instruments;
    void on_bbo(const mk::bbo& b) {
        recorder::on_bbo(b);
        instruments.emplace_back(d->instrument());
    }
    void on_book_snapshot(const mk::book_snapshot& s) {
        recorder::on_book_snapshot(s);
        instruments.emplace_back(d->instrument());
    }
};

std::string build(auto&& f) {
    char buf[512];
    std::error_code ec;
    const std::size_t n = f(std::span<char>(buf), ec);
    if (ec) return "error: " + ec.message();
    return std::string(buf, n);
}

}  // namespace

TEST_CASE("okx trades sample decodes every field") {
    const auto r = decode<okx::decoder>(trades, 9);
    REQUIRE(r.errors.empty());
    REQUIRE(r.trades.size() == 1);
    REQUIRE(r.events() == 1);
    const mk::trade& t = r.trades[0];
    CHECK(t.venue == mk::venue::okx);
    CHECK(t.symbol == sym("BTC-USDT"));
    CHECK(same(t.price, "42219.9"));
    CHECK(same(t.quantity, "0.12060306"));
    CHECK(t.taker_side == mk::side::buy);
    CHECK(t.id == "130639474");
    CHECK(t.exchange_time == mk::from_unix_ms(1630048897897));
    CHECK(t.receive_time == 9);
}

TEST_CASE("okx trades: several per message, data before arg, trades-all") {
    const std::string two = replace(trades, R"("seqId":1234}])",
                                    R"("seqId":1234},{"instId":"BTC-USDT","tradeId":"130639475","px":"42220","sz":"1","side":"sell","ts":"1630048897898"}])");
    const auto r = decode<okx::decoder>(two);
    REQUIRE(r.trades.size() == 2);
    CHECK(r.trades[1].taker_side == mk::side::sell);
    CHECK(r.trades[1].id == "130639475");
    const auto late_arg = decode<okx::decoder>(
        R"({"data":[{"instId":"BTC-USDT","tradeId":"1","px":"1.5","sz":"2","side":"buy","ts":"1"}],"arg":{"channel":"trades-all","instId":"BTC-USDT"}})");
    REQUIRE(late_arg.trades.size() == 1);
    CHECK(late_arg.trades[0].symbol == sym("BTC-USDT"));
}

TEST_CASE("okx bbo-tbt sample decodes every field (derivative instrument)") {
    okx::decoder d;
    instrument_recorder r;
    r.d = &d;
    std::string buf = bbo_tbt;
    d.decode(std::span<char>(buf), r);
    REQUIRE(r.errors.empty());
    REQUIRE(r.bbos.size() == 1);
    const mk::bbo& b = r.bbos[0];
    CHECK(b.venue == mk::venue::okx);
    CHECK(b.symbol.empty());  // derivative symbols are opt-in (options::derivative_symbols)
    CHECK(r.instruments == std::vector<std::string>{"BCH-USDT-SWAP"});
    CHECK(same(b.bid_price, "111.05"));
    CHECK(same(b.bid_quantity, "57745"));
    CHECK(same(b.ask_price, "111.06"));
    CHECK(same(b.ask_quantity, "55154"));
    CHECK(b.update_id == 363996337);
    CHECK(b.exchange_time == mk::from_unix_ms(1670324386802));
}

TEST_CASE("okx books5 sample decodes every field") {
    okx::decoder d;
    instrument_recorder r;
    r.d = &d;
    std::string buf = books5;
    d.decode(std::span<char>(buf), r);
    REQUIRE(r.books.size() == 1);
    const auto& b = r.books[0];
    CHECK(b.snapshot);
    CHECK(r.instruments == std::vector<std::string>{"BCH-USDT-SWAP"});
    REQUIRE(b.asks.size() == 5);
    REQUIRE(b.bids.size() == 5);
    const char* asks[5][2] = {{"111.06", "55154"}, {"111.07", "53276"}, {"111.08", "72435"}, {"111.09", "70312"}, {"111.1", "67272"}};
    const char* bids[5][2] = {{"111.05", "57745"}, {"111.04", "57109"}, {"111.03", "69563"}, {"111.02", "71248"}, {"111.01", "65090"}};
    for (int i = 0; i < 5; ++i) {
        CHECK(same(b.asks[i].price, asks[i][0]));
        CHECK(same(b.asks[i].quantity, asks[i][1]));
        CHECK(same(b.bids[i].price, bids[i][0]));
        CHECK(same(b.bids[i].quantity, bids[i][1]));
    }
    CHECK(b.sequence.seq == 363996337);
    CHECK_FALSE(b.sequence.prev_seq.has_value());
    CHECK(b.exchange_time == mk::from_unix_ms(1670324386802));
}

TEST_CASE("okx books snapshot and update samples decode every field") {
    const auto r = decode<okx::decoder>(books_snapshot);
    REQUIRE(r.books.size() == 1);
    REQUIRE(r.events() == 1);
    const auto& b = r.books[0];
    CHECK(b.snapshot);
    CHECK(b.venue == mk::venue::okx);
    CHECK(b.instrument == sym("BTC-USDT"));
    REQUIRE(b.asks.size() == 8);
    REQUIRE(b.bids.size() == 8);
    CHECK(same(b.asks[0].price, "8476.98"));
    CHECK(same(b.asks[0].quantity, "415"));
    CHECK(same(b.asks[1].price, "8477"));
    CHECK(same(b.asks[7].price, "8506.96"));
    CHECK(same(b.asks[7].quantity, "100"));
    CHECK(same(b.bids[0].price, "8476.97"));
    CHECK(same(b.bids[0].quantity, "256"));
    CHECK(same(b.bids[3].price, "8475.3"));
    CHECK(same(b.bids[7].price, "8446"));
    CHECK(same(b.bids[7].quantity, "95"));
    CHECK(b.checksum == -855196043);
    CHECK(b.sequence.prev_seq == -1);
    CHECK(b.sequence.seq == 123456);
    CHECK(b.exchange_time == mk::from_unix_ms(1597026383085));

    const auto u = decode<okx::decoder>(books_update);
    REQUIRE(u.books.size() == 1);
    CHECK_FALSE(u.books[0].snapshot);
    CHECK(u.books[0].sequence.prev_seq == 123456);
    CHECK(u.books[0].sequence.seq == 123457);
    CHECK(u.books[0].bids.size() == 8);

    // books-l2-tbt and books50-l2-tbt share the format.
    const auto tbt = decode<okx::decoder>(replace(books_update, R"("channel":"books")", R"("channel":"books50-l2-tbt")"));
    REQUIRE(tbt.books.size() == 1);
    CHECK_FALSE(tbt.books[0].snapshot);
    // The keep-alive update: empty sides, prevSeqId == seqId.
    const auto empty = decode<okx::decoder>(
        R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"ts":"1597026383085","checksum":0,"prevSeqId":15,"seqId":15}]})");
    REQUIRE(empty.books.size() == 1);
    CHECK(empty.books[0].bids.empty());
    CHECK(empty.books[0].sequence.seq == 15);
}

TEST_CASE("okx candle sample decodes every field") {
    const auto r = decode<okx::decoder>(candle);
    REQUIRE(r.klines.size() == 1);
    REQUIRE(r.events() == 1);
    const mk::kline& k = r.klines[0];
    CHECK(k.venue == mk::venue::okx);
    CHECK(k.symbol == sym("BTC-USDT"));
    CHECK(k.interval == mk::kline_interval{1, mk::interval_unit::day});
    CHECK(k.open_time == mk::from_unix_ms(1597026383085));
    CHECK(k.close_time == mk::from_unix_ms(1597026383085 + 86'400'000));
    CHECK(same(k.open, "8533.02"));
    CHECK(same(k.high, "8553.74"));
    CHECK(same(k.low, "8527.17"));
    CHECK(same(k.close, "8548.26"));
    CHECK(same(k.volume, "45247"));
    REQUIRE(k.quote_volume.has_value());
    CHECK(same(*k.quote_volume, "5529.5858061"));
    CHECK_FALSE(k.closed);
    const auto closed = decode<okx::decoder>(replace(candle, R"("5529.5858061","0")", R"("5529.5858061","1")"));
    REQUIRE(closed.klines.size() == 1);
    CHECK(closed.klines[0].closed);
}

TEST_CASE("okx candle channels: units, utc variants and calendar months") {
    auto one = [](std::string channel, std::string ts) {
        std::string text = replace(replace(candle, "candle1D", channel), "1597026383085", ts);
        return decode<okx::decoder>(text);
    };
    auto r = one("candle1H", "1597026383085");
    REQUIRE(r.klines.size() == 1);
    CHECK(r.klines[0].interval == mk::kline_interval{1, mk::interval_unit::hour});
    r = one("candle15m", "1597026383085");
    REQUIRE(r.klines.size() == 1);
    CHECK(r.klines[0].close_time - r.klines[0].open_time == mk::from_unix_ms(15 * 60'000));
    // 1M aligned to UTC: 2024-02-01T00:00Z -> 2024-03-01T00:00Z (leap year).
    r = one("candle1Mutc", "1706745600000");
    REQUIRE(r.klines.size() == 1);
    CHECK(r.klines[0].interval == mk::kline_interval{1, mk::interval_unit::month});
    CHECK(r.klines[0].close_time == mk::from_unix_ms(1709251200000));
    // 1M aligned to UTC+8: 2024-01-31T16:00Z is Feb 1 in Hong Kong -> 2024-02-29T16:00Z.
    r = one("candle1M", "1706716800000");
    REQUIRE(r.klines.size() == 1);
    CHECK(r.klines[0].close_time == mk::from_unix_ms(1709222400000));
    CHECK(only_error(one("candle7x", "1"), error::unknown_channel));
    CHECK(only_error(one("candle", "1"), error::unknown_channel));
}

TEST_CASE("okx events and the text pong") {
    auto control = [](std::string_view text) {
        const auto r = decode<okx::decoder>(text);
        REQUIRE(r.errors.empty());
        REQUIRE(r.controls.size() == 1);
        REQUIRE(r.events() == 1);
        return r.controls[0];
    };
    auto c = control(R"({"id":"1512","event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"})");
    CHECK(c.event.kind == ex::control_kind::subscribed);
    CHECK(c.event.success);
    CHECK(c.request_id == "1512");
    CHECK(c.channel == "books");
    CHECK(c.instrument == "BTC-USDT");
    c = control(R"({"id":"1512","event":"error","code":"60012","msg":"Invalid request: {...}","connId":"a4d3ae55"})");
    CHECK(c.event.kind == ex::control_kind::error);
    CHECK_FALSE(c.event.success);
    CHECK(c.code == "60012");
    CHECK(c.message == "Invalid request: {...}");
    CHECK(c.request_id == "1512");
    c = control(R"({"event":"unsubscribe","arg":{"channel":"tickers","instId":"BTC-USDT"},"connId":"d0b44253"})");
    CHECK(c.event.kind == ex::control_kind::unsubscribed);
    CHECK(c.channel == "tickers");
    c = control(R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"})");
    CHECK(c.event.kind == ex::control_kind::notice);
    CHECK(c.code == "64008");
    c = control(R"({"event":"login","code":"0","msg":"","connId":"a4d3ae55"})");
    CHECK(c.event.kind == ex::control_kind::login);
    CHECK(c.event.success);
    c = control(R"({"event":"error","code":"60009","msg":"Login failed.","connId":"a4d3ae55"})");
    CHECK(c.event.kind == ex::control_kind::error);
    c = control(R"({"event":"channel-conn-count","channel":"orders","connCount":"2","connId":"abcd1234"})");
    CHECK(c.event.kind == ex::control_kind::connection_count);
    c = control("pong");
    CHECK(c.event.kind == ex::control_kind::pong);
    CHECK(only_error(decode<okx::decoder>(R"({"event":"bogus"})"), error::unknown_message));
    CHECK(decode<okx::decoder>("pong ").errors.size() == 1);
    CHECK(decode<okx::decoder>("ping").errors.size() == 1);
}

TEST_CASE("okx requests match the documentation byte for byte") {
    const okx::channel_arg books[] = {{"books", "BTC-USDT"}};
    CHECK(build([&](auto out, auto& ec) { return okx::build_subscribe(books, "1512", out, ec); }) ==
          R"({"id":"1512","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})");
    const okx::channel_arg tickers[] = {{"tickers", "BTC-USDT"}};
    CHECK(build([&](auto out, auto& ec) { return okx::build_unsubscribe(tickers, ex::request_id{}, out, ec); }) ==
          R"({"op":"unsubscribe","args":[{"channel":"tickers","instId":"BTC-USDT"}]})");
    const ex::subscription subs[] = {ex::book_of(sym("BTC-USDT"))};
    CHECK(build([&](auto out, auto& ec) { return okx::spot::build_subscribe(subs, 1512, out, ec); }) ==
          R"({"id":"1512","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})");
    char ping[8];
    REQUIRE(okx::spot::build_ping(ping) == 4);
    CHECK(std::string_view(ping, 4) == "ping");
}

TEST_CASE("okx derivative instruments: decode to pair plus contract, subscribe by instId") {
    // The reference's SWAP samples, and the same shapes for a dated future and an option.
    okx::decoder::options with;
    with.derivative_symbols = true;
    for (const char* inst : {"BCH-USDT-SWAP", "BTC-USD-240628", "BTC-USD-240628-60000-C"}) {
        CAPTURE(inst);
        okx::decoder d(with);
        instrument_recorder r;
        r.d = &d;
        std::string buf = std::string(R"({"arg":{"channel":"books5","instId":")") + inst +
                          R"("},"data":[{"asks":[["111.06","55154","0","2"]],"bids":[["111.05","57745","0","2"]],"instId":")" +
                          inst + R"(","ts":"1670324386802","seqId":363996337}]})";
        d.decode(std::span<char>(buf), r);
        REQUIRE(r.errors.empty());
        REQUIRE(r.books.size() == 1);
        CHECK(r.books[0].instrument.str() == inst);
        CHECK(r.books[0].instrument.is_derivative());
        CHECK(r.books[0].instrument.contract() == std::string_view(inst).substr(std::string_view(inst).find('-', 4) + 1));
        buf = std::string(R"({"arg":{"channel":"trades","instId":")") + inst + R"("},"data":[{"instId":")" + inst +
              R"(","tradeId":"130639474","px":"42219.9","sz":"0.12060306","side":"buy","ts":"1630048897897"}]})";
        d.decode(std::span<char>(buf), r);
        REQUIRE(r.trades.size() == 1);
        CHECK(r.trades[0].symbol.str() == inst);
        // The symbol subscribes with its own text as instId.
        const ex::subscription subs[] = {ex::trades_of(r.trades[0].symbol), ex::book_of(r.books[0].instrument, 5)};
        CHECK(build([&](auto out, auto& ec) { return okx::spot::build_subscribe(subs, 7, out, ec); }) ==
              std::string(R"({"id":"7","op":"subscribe","args":[{"channel":"trades","instId":")") + inst +
                  R"("},{"channel":"books5","instId":")" + inst + R"("}]})");
    }
    // Longer than a symbol holds: decoded with an empty symbol, the instId still known.
    okx::decoder d(with);
    instrument_recorder r;
    r.d = &d;
    std::string buf =
        R"({"arg":{"channel":"bbo-tbt","instId":"BTCDOMUSDT-USDTEST-250101-100000-C"},"data":[{"asks":[["1","1","0","1"]],"bids":[["0.5","1","0","1"]],"ts":"1","seqId":1}]})";
    d.decode(std::span<char>(buf), r);
    REQUIRE(r.errors.empty());
    REQUIRE(r.bbos.size() == 1);
    CHECK(r.bbos[0].symbol.empty());
    CHECK(r.instruments.back() == "BTCDOMUSDT-USDTEST-250101-100000-C");
}

TEST_CASE("okx channel mapping and request validation") {
    const auto btc = sym("BTC-USDT");
    auto channel = [](const ex::subscription& s) {
        std::error_code ec;
        const auto c = okx::channel_name(s, ec);
        return ec ? std::string("error") : std::string(c);
    };
    CHECK(channel(ex::trades_of(btc)) == "trades");
    CHECK(channel(ex::bbo_of(btc)) == "bbo-tbt");
    CHECK(channel(ex::book_of(btc)) == "books");
    CHECK(channel(ex::book_of(btc, 400)) == "books");
    CHECK(channel(ex::book_of(btc, 0, 10)) == "books-l2-tbt");
    CHECK(channel(ex::book_of(btc, 50)) == "books50-l2-tbt");
    CHECK(channel(ex::book_of(btc, 5)) == "books5");
    CHECK(channel(ex::book_of(btc, 1)) == "bbo-tbt");
    CHECK(channel(ex::book_of(btc, 20)) == "error");
    CHECK(channel(ex::agg_trades_of(btc)) == "error");
    CHECK(channel(ex::kline_of(btc, {1, mk::interval_unit::minute})) == "candle1m");
    CHECK(channel(ex::kline_of(btc, {4, mk::interval_unit::hour})) == "candle4H");
    CHECK(channel(ex::kline_of(btc, {1, mk::interval_unit::week})) == "candle1W");
    CHECK(channel(ex::kline_of(btc, {3, mk::interval_unit::month})) == "candle3M");
    CHECK(channel(ex::kline_of(btc, {8, mk::interval_unit::hour})) == "error");
    CHECK(okx::spot::endpoint_for(ex::kline_of(btc, {1, mk::interval_unit::minute})) == ex::endpoint_kind::business);
    CHECK(okx::spot::endpoint_for(ex::trades_of(btc)) == ex::endpoint_kind::market);
    CHECK(okx::spot::is_heavy_book(ex::book_of(btc)));
    CHECK_FALSE(okx::spot::is_heavy_book(ex::book_of(btc, 5)));

    std::error_code ec;
    char buf[256];
    const okx::channel_arg books[] = {{"books", "BTC-USDT"}};
    CHECK(okx::build_subscribe(books, "has-dash", buf, ec) == 0);  // OKX ids are alphanumeric
    CHECK(ec == error::invalid_request_id);
    CHECK(okx::build_subscribe(books, ex::request_id(std::string_view("a23456789012345678901234567890123")), buf, ec) == 0);
    CHECK(ec == error::invalid_request_id);
    CHECK(okx::build_subscribe(books, -1, buf, ec) == 0);
    CHECK(ec == error::invalid_request_id);
    CHECK(okx::build_subscribe({}, "1", buf, ec) == 0);
    CHECK(ec == error::empty_request);
    const okx::channel_arg bad[] = {{"books", "BTC\"USDT"}};
    CHECK(okx::build_subscribe(bad, "1", buf, ec) == 0);
    CHECK(ec == error::unsupported_stream);
    char small[30];
    CHECK(okx::build_subscribe(books, "1", small, ec) == 0);
    CHECK(ec == error::buffer_too_small);
}

TEST_CASE("okx malformed messages give one decode error and no event") {
    for (const std::string& sample : {trades, bbo_tbt, books5, books_snapshot, books_update, candle}) {
        INFO(sample);
        CHECK(broken_prefixes<okx::decoder>(sample) == 0);
    }
    SECTION("missing fields") {
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("px":"42219.9",)", "")), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("sz":"0.12060306",)", "")), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("side":"buy",)", "")), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("ts":"1630048897897",)", "")), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("tradeId":"130639474",)", "")), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(replace(books_snapshot, R"("action":"snapshot",)", "")), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(replace(books_snapshot, R"("prevSeqId":-1,)", "")), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(replace(books_snapshot, R"(,"ts":"1597026383085")", "")), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(replace(candle, R"(,"5529.5858061","0")", "")), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(R"({"arg":{"instId":"BTC-USDT"},"data":[]})"), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(R"({"data":[]})"), error::missing_field));
        CHECK(only_error(decode<okx::decoder>(R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[]})"),
                         error::missing_field));
    }
    SECTION("wrong types and values") {
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("px":"42219.9")", R"("px":42219.9)")), error::wrong_type));
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("ts":"1630048897897")", R"("ts":1630048897897)")),
                         error::wrong_type));
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("side":"buy")", R"("side":"BUY")")), error::invalid_value));
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("ts":"1630048897897")", R"("ts":"16300488978x7")")),
                         error::invalid_number));
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("px":"42219.9")", R"("px":"4.22199e4")")),
                         error::invalid_number));
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("instId":"BTC-USDT","tradeId")", R"("instId":"ETH-USDT","tradeId")")),
                         error::invalid_value));
        CHECK(only_error(decode<okx::decoder>(replace(books_snapshot, R"("seqId":123456)", R"("seqId":"123456")")),
                         error::wrong_type));
        CHECK(only_error(decode<okx::decoder>(replace(books_snapshot, R"("checksum":-855196043)", R"("checksum":-8551960430)")),
                         error::invalid_number));
        CHECK(only_error(decode<okx::decoder>(replace(books_snapshot, R"("action":"snapshot")", R"("action":"partial")")),
                         error::invalid_value));
        CHECK(only_error(decode<okx::decoder>(replace(books_snapshot, R"(["8477","7","0","2"])", R"(["8477","7",0,"2"])")),
                         error::wrong_type));
        CHECK(only_error(decode<okx::decoder>(replace(books_snapshot, R"(["8477","7","0","2"])", R"(["8477"])")),
                         error::missing_field));
        CHECK(only_error(decode<okx::decoder>(replace(candle, R"("5529.5858061","0")", R"("5529.5858061","yes")")),
                         error::invalid_value));
        CHECK(only_error(decode<okx::decoder>(replace(bbo_tbt, R"("bids":[["111.05","57745","0","2"]])", R"("bids":[])")),
                         error::invalid_value));
        CHECK(only_error(decode<okx::decoder>(
                             R"({"arg":{"channel":"trades","instId":"BTC_USDT"},"data":[{"tradeId":"1","px":"1","sz":"1","side":"buy","ts":"1"}]})"),
                         error::invalid_symbol));
    }
    SECTION("unknown, duplicate, garbage, huge") {
        CHECK(only_error(decode<okx::decoder>(replace(trades, R"("channel":"trades")", R"("channel":"tickers")")),
                         error::unknown_channel));
        CHECK(only_error(decode<okx::decoder>(replace(books_snapshot, R"(,"data":[{)", R"(,"data":[{"asks":[],"bids":[],"ts":"1"},{)")),
                         error::unknown_message));
        CHECK(decode<okx::decoder>("garbage").errors.size() == 1);
        CHECK(decode<okx::decoder>("").errors.size() == 1);
        CHECK(only_error(decode<okx::decoder>("[]"), error::unknown_message));
        CHECK(only_error(decode<okx::decoder>("{}"), error::unknown_message));
        okx::decoder::options o;
        o.max_trades = 3;
        okx::decoder d(o);
        std::string many = R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[)";
        for (int i = 0; i < 4; ++i)
            many += std::string(i ? "," : "") + R"({"tradeId":"1","px":"1","sz":"1","side":"buy","ts":"1"})";
        many += "]}";
        CHECK(only_error(decode(d, many), error::too_many_trades));
    }
}
