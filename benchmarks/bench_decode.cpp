// Venue message decoding: tradewire's in-situ decoders (strict JSON pull reader, exact
// decimals, events delivered to a handler) against a baseline in the same binary:
// RapidJSON DOM + std::stod into a struct of doubles, the common quick approach.
// Every case copies the payload into a reused buffer first (the net layer hands a fresh
// buffer per message, and in-situ parsing may modify it), so the copy is in both sides.
#include <benchmark/benchmark.h>

#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/bybit.hpp>
#include <tradewire/exchange/okx.hpp>

#include <rapidjson/document.h>
#include <rapidjson/reader.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace ex = tradewire::exchange;
namespace mk = tradewire::market;

constexpr std::string_view binance_trade =
    R"({"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true})";
constexpr std::string_view binance_book_ticker =
    R"({"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"})";
constexpr std::string_view okx_books_update =
    R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["8476.98","415","0","13"],["8477","7","0","2"],["8477.34","85","0","1"],["8477.56","1","0","1"],["8505.84","8","0","1"],["8506.37","85","0","1"],["8506.49","2","0","1"],["8506.96","100","0","2"]],"bids":[["8476.97","256","0","12"],["8475.55","101","0","1"],["8475.54","100","0","1"],["8475.3","1","0","1"],["8447.32","6","0","1"],["8447.02","246","0","1"],["8446.83","24","0","1"],["8446","95","0","3"]],"ts":"1597026383085","checksum":-855196043,"prevSeqId":123456,"seqId":123457}]})";
constexpr std::string_view bybit_book_delta =
    R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20","30.028"],["30245.40","0.224"],["30242.10","1.593"],["30240.30","1.305"],["30240.00","0"]],"a":[["30248.70","0"],["30249.30","0.892"],["30249.50","1.778"],["30249.60","0"],["30251.90","2.947"],["30252.20","0.659"],["30252.50","4.591"]],"u":177400507,"seq":66544703342},"cts":1687940967464})";

// Keeps every event observable so nothing is optimised away.
struct sink {
    std::uint64_t acc = 0;  // wraps; only there to be observed
    bool failed = false;
    void add(std::int64_t v) { acc += static_cast<std::uint64_t>(v); }
    void on_trade(const mk::trade& t) { add(t.price.mantissa() + t.quantity.mantissa() + t.exchange_time); }
    void on_bbo(const mk::bbo& b) { add(b.bid_price.mantissa() + b.ask_quantity.mantissa()); }
    void on_book_delta(const mk::book_delta& d) {
        for (const auto& l : d.bids) add(l.price.mantissa() + l.quantity.mantissa());
        for (const auto& l : d.asks) add(l.price.mantissa() + l.quantity.mantissa());
        add(d.sequence.seq.value_or(0) + d.sequence.last_update_id.value_or(0));
    }
    void on_decode_error(const ex::decode_error&) { failed = true; }
};

template <class Decoder>
void run_tradewire(benchmark::State& state, std::string_view payload) {
    Decoder decoder;
    sink h;
    std::vector<char> buf(payload.size());
    for (auto _ : state) {
        std::memcpy(buf.data(), payload.data(), payload.size());
        decoder.decode(std::span<char>(buf), h);
        benchmark::DoNotOptimize(h.acc);
    }
    if (h.failed) state.SkipWithError("decode failed");
    state.SetItemsProcessed(state.iterations());
}

// ---------------------------------------------------------------------------- baseline

struct trade_d {
    double price = 0, qty = 0;
    long long id = 0, time = 0;
    bool buyer_maker = false;
    std::string symbol;
};
struct bbo_d {
    double bid = 0, bid_qty = 0, ask = 0, ask_qty = 0;
    long long id = 0;
    std::string symbol;
};
struct level_d {
    double price, qty;
};
struct book_d {
    std::vector<level_d> bids, asks;
    long long seq = 0, prev = 0, ts = 0;
};

double field_double(const rapidjson::Value& v, const char* name) { return std::stod(v[name].GetString()); }

void read_levels(const rapidjson::Value& arr, std::vector<level_d>& out) {
    out.clear();
    for (const auto& l : arr.GetArray()) out.push_back({std::stod(l[0].GetString()), std::stod(l[1].GetString())});
}

void BM_binance_trade_baseline(benchmark::State& state) {
    std::vector<char> buf(binance_trade.size() + 1);
    trade_d t;
    for (auto _ : state) {
        std::memcpy(buf.data(), binance_trade.data(), binance_trade.size());
        buf[binance_trade.size()] = 0;
        rapidjson::Document d;
        d.Parse(buf.data());
        t.symbol = d["s"].GetString();
        t.price = field_double(d, "p");
        t.qty = field_double(d, "q");
        t.id = d["t"].GetInt64();
        t.time = d["T"].GetInt64();
        t.buyer_maker = d["m"].GetBool();
        benchmark::DoNotOptimize(t);
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_binance_book_ticker_baseline(benchmark::State& state) {
    std::vector<char> buf(binance_book_ticker.size() + 1);
    bbo_d b;
    for (auto _ : state) {
        std::memcpy(buf.data(), binance_book_ticker.data(), binance_book_ticker.size());
        buf[binance_book_ticker.size()] = 0;
        rapidjson::Document d;
        d.Parse(buf.data());
        b.symbol = d["s"].GetString();
        b.bid = field_double(d, "b");
        b.bid_qty = field_double(d, "B");
        b.ask = field_double(d, "a");
        b.ask_qty = field_double(d, "A");
        b.id = d["u"].GetInt64();
        benchmark::DoNotOptimize(b);
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_okx_books_update_baseline(benchmark::State& state) {
    std::vector<char> buf(okx_books_update.size() + 1);
    book_d b;
    for (auto _ : state) {
        std::memcpy(buf.data(), okx_books_update.data(), okx_books_update.size());
        buf[okx_books_update.size()] = 0;
        rapidjson::Document d;
        d.Parse(buf.data());
        const auto& data = d["data"][0];
        read_levels(data["asks"], b.asks);
        read_levels(data["bids"], b.bids);
        b.ts = std::stoll(data["ts"].GetString());
        b.seq = data["seqId"].GetInt64();
        b.prev = data["prevSeqId"].GetInt64();
        benchmark::DoNotOptimize(b);
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_bybit_book_delta_baseline(benchmark::State& state) {
    std::vector<char> buf(bybit_book_delta.size() + 1);
    book_d b;
    for (auto _ : state) {
        std::memcpy(buf.data(), bybit_book_delta.data(), bybit_book_delta.size());
        buf[bybit_book_delta.size()] = 0;
        rapidjson::Document d;
        d.Parse(buf.data());
        const auto& data = d["data"];
        read_levels(data["b"], b.bids);
        read_levels(data["a"], b.asks);
        b.seq = data["u"].GetInt64();
        b.ts = d["ts"].GetInt64();
        benchmark::DoNotOptimize(b);
    }
    state.SetItemsProcessed(state.iterations());
}

// The other candidate for the JSON layer: RapidJSON's SAX reader in situ, with the same
// field handling (exact decimals, symbol cache, event to a handler) as tradewire's
// decoder. This is the measurement behind choosing tradewire's own pull reader.
struct binance_trade_sax : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, binance_trade_sax> {
    char key = 0;
    std::string_view s, p, q;
    std::int64_t t = 0, time = 0;
    bool m = false;
    bool String(const char* str, rapidjson::SizeType len, bool) {
        const std::string_view v(str, len);
        if (key == 's') s = v;
        else if (key == 'p') p = v;
        else if (key == 'q') q = v;
        return true;
    }
    bool Key(const char* str, rapidjson::SizeType len, bool) {
        key = len == 1 ? str[0] : 0;
        return true;
    }
    bool Int64(std::int64_t v) { return Uint64(static_cast<std::uint64_t>(v)); }
    bool Uint64(std::uint64_t v) {
        if (key == 't') t = static_cast<std::int64_t>(v);
        else if (key == 'T') time = static_cast<std::int64_t>(v);
        return true;
    }
    bool Uint(unsigned v) { return Uint64(v); }
    bool Int(int v) { return Uint64(static_cast<std::uint64_t>(v)); }
    bool Bool(bool b) {
        if (key == 'm') m = b;
        return true;
    }
    bool Default() { return true; }
};

void BM_binance_trade_rapidjson_sax_insitu(benchmark::State& state) {
    std::vector<char> buf(binance_trade.size() + 1);
    ex::detail::symbol_cache symbols(tradewire::symbol_style::concat_upper);
    sink h;
    for (auto _ : state) {
        std::memcpy(buf.data(), binance_trade.data(), binance_trade.size());
        buf[binance_trade.size()] = 0;
        rapidjson::Reader reader;
        rapidjson::InsituStringStream in(buf.data());
        binance_trade_sax sax;
        if (reader.Parse<rapidjson::kParseInsituFlag | rapidjson::kParseValidateEncodingFlag>(in, sax).IsError()) {
            h.failed = true;
            continue;
        }
        mk::trade t;
        t.venue = mk::venue::binance;
        if (!symbols.lookup(sax.s, t.symbol) || !ex::detail::to_decimal(sax.p, t.price) ||
            !ex::detail::to_decimal(sax.q, t.quantity)) {
            h.failed = true;
            continue;
        }
        t.taker_side = sax.m ? mk::side::sell : mk::side::buy;
        t.id.assign(static_cast<std::uint64_t>(sax.t));
        t.exchange_time = mk::from_unix_ms(sax.time);
        h.on_trade(t);
        benchmark::DoNotOptimize(h.acc);
    }
    if (h.failed) state.SkipWithError("decode failed");
    state.SetItemsProcessed(state.iterations());
}

void BM_binance_trade_tradewire(benchmark::State& state) {
    run_tradewire<ex::binance::decoder>(state, binance_trade);
}
void BM_binance_book_ticker_tradewire(benchmark::State& state) {
    run_tradewire<ex::binance::decoder>(state, binance_book_ticker);
}
void BM_okx_books_update_tradewire(benchmark::State& state) {
    run_tradewire<ex::okx::decoder>(state, okx_books_update);
}
void BM_bybit_book_delta_tradewire(benchmark::State& state) {
    run_tradewire<ex::bybit::decoder>(state, bybit_book_delta);
}

}  // namespace

BENCHMARK(BM_binance_trade_tradewire);
BENCHMARK(BM_binance_trade_baseline);
BENCHMARK(BM_binance_trade_rapidjson_sax_insitu);
BENCHMARK(BM_binance_book_ticker_tradewire);
BENCHMARK(BM_binance_book_ticker_baseline);
BENCHMARK(BM_okx_books_update_tradewire);
BENCHMARK(BM_okx_books_update_baseline);
BENCHMARK(BM_bybit_book_delta_tradewire);
BENCHMARK(BM_bybit_book_delta_baseline);

BENCHMARK_MAIN();
