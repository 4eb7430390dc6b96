// Tick to trade inside one process: from a venue message's bytes in the receive buffer
// to a signed, masked order frame ready to write.
//
//   ws frame parse    ws::message_reader<client_role>::next() on an unmasked server frame
//   decode            exchange::binance::decoder (bookTicker, or diff depth)
//   book / BBO        bookTicker: the BBO itself; depth: market::order_book::apply_delta,
//                     then the best bid and ask as a BBO
//   strategy          trade::arbitrage_detector::on_bbo with OKX's quote pre-loaded so
//                     that every Binance tick crosses (buy Binance, sell OKX)
//   risk              both legs through risk_engine::check() (live mode: reservations),
//                     inside the detector
//   order             the buy leg fired from a Binance order.place template (HMAC-signed,
//                     timestamp from the wall clock) and the sell leg from an OKX "order"
//                     template, each into its pre-allocated buffer as a masked text frame
//
// The socket's copy of the frame into the receive buffer (prepare/commit) and the release
// of the two risk reservations after the tick happen outside the timed region.
//
// Cases:
//  - BM_tick_to_trade_{bookticker,depth}_distribution/N: N ticks, each timed on its own
//    (rdtsc with fences on x86, calibrated against steady_clock), counters p50/p90/p99/
//    p99.9/max in ns; timer_ns = an empty timed region (included in every sample).
//  - BM_stage_*: each stage alone, Google Benchmark's mean per operation.
#include "bench_timing.hpp"

#include <benchmark/benchmark.h>

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/exchange/binance.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/order_book.hpp>
#include <tradewire/trade/arbitrage.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/order_template.hpp>
#include <tradewire/trade/risk.hpp>
#include <tradewire/ws/reader.hpp>
#include <tradewire/ws/role.hpp>
#include <tradewire/ws/writer.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>


namespace {

using namespace tradewire;
using namespace tradewire::trade;
using market::venue;

constexpr std::string_view api_key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr std::string_view secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

decimal dec(std::string_view s) {
    const auto r = decimal::parse(s);
    if (!r) std::abort();
    return r.value;
}

std::uint64_t unix_ms() noexcept {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

// ---- venue messages, framed as the server sends them (unmasked)

std::vector<std::uint8_t> server_frame(const std::string& text) {
    ws::frame_writer<ws::server_role> w;
    std::vector<std::uint8_t> out(text.size() + ws::max_header_size);
    const ws::write_result r = w.text(mutable_bytes(out.data(), out.size()), text);
    if (!r.ok()) std::abort();
    out.resize(r.size);
    return out;
}

// Binance bookTicker (REFERENCE.md 1.3 layout), asks below OKX's pre-loaded bid.
std::vector<std::vector<std::uint8_t>> bookticker_frames() {
    std::vector<std::vector<std::uint8_t>> f;
    const char* asks[] = {"25.36520000", "25.36530000", "25.36510000", "25.36540000"};
    const char* bids[] = {"25.35190000", "25.35200000", "25.35180000", "25.35210000"};
    for (int i = 0; i < 64; ++i) {
        const std::string t = R"({"u":)" + std::to_string(400900217 + i) + R"(,"s":"BNBUSDT","b":")" +
                              bids[i % 4] + R"(","B":"31.21000000","a":")" + asks[i % 4] +
                              R"(","A":"40.66000000"})";
        f.push_back(server_frame(t));
    }
    return f;
}

// Binance diff depth (REFERENCE.md 1.3 layout): a few levels near the top change.
std::vector<std::vector<std::uint8_t>> depth_frames() {
    std::vector<std::vector<std::uint8_t>> f;
    const char* qty[] = {"10.5", "0", "3.25", "7"};
    for (int i = 0; i < 64; ++i) {
        const std::string u = std::to_string(160 + 2 * i);
        const std::string t = R"({"e":"depthUpdate","E":1672515782136,"s":"BNBUSDT","U":)" + u + R"(,"u":)" +
                              std::to_string(161 + 2 * i) + R"(,"b":[["25.3519","12.5"],["25.3500",")" +
                              qty[i % 4] + R"("]],"a":[["25.3652","40.66"],["25.3660",")" + qty[(i + 1) % 4] +
                              R"("],["25.3700","5"]]})";
        f.push_back(server_frame(t));
    }
    return f;
}

// ---- the pipeline

struct pipeline;

struct fire_exec {
    pipeline* p;
    void operator()(const arbitrage_decision& d) noexcept;
};

struct decode_handler {
    pipeline* p;
    void on_bbo(const market::bbo& b) noexcept;
    void on_book_delta(const market::book_delta& d) noexcept;
};

struct pipeline {
    symbol sym;
    credentials creds{api_key, secret};
    risk_engine<> risk{live_config()};
    arbitrage_detector<> detector;
    ws::message_reader<ws::client_role> reader;
    exchange::binance::decoder decoder;
    market::order_book book;
    order_template binance_buy;
    order_template okx_sell;
    std::vector<std::uint8_t> buy_frame;
    std::vector<std::uint8_t> sell_frame;
    ws::client_role keys{xoshiro256ss(7)};
    std::array<order_ticket, 4> tickets{};
    std::size_t ticket_count = 0;
    std::uint64_t frames_out = 0;
    std::uint64_t decisions = 0;
    std::size_t bytes_out = 0;
    market::bbo last{};
    bool have_bbo = false;

    static risk_config live_config() {
        risk_config c;
        c.dry_run = false;
        return c;
    }

    static arbitrage_config config() {
        arbitrage_config c;
        c.max_order_quantity = dec("0.01");
        return c;
    }

    pipeline() : detector(config(), risk) {
        std::error_code ec;
        sym = symbol::parse("BNB-USDT", ec);
        if (ec) std::abort();
        for (const venue v : {venue::binance, venue::okx}) {
            venue_limits vl = default_venue_limits(v);
            vl.max_open_orders = 1000;
            // Every tick trades: the venues' real order-rate limits would stop it after
            // 50 orders, so a bucket that never empties keeps the rate check on the path.
            vl.rates = rate_limits{};
            vl.rates.add(token_bucket(1'000'000'000u, 1));
            if (risk.set_venue_limits(vl)) std::abort();
            if (risk.add_instrument({v, sym, dec("1000000"), dec("100000000")})) std::abort();
            if (detector.add_instrument(v, sym, dec("0.00001"))) std::abort();
        }
        binance_buy = make_binance_order_place(
            creds, {.symbol = "BNBUSDT", .side = order_side::buy, .tif = time_in_force::ioc}, {}, ec);
        if (ec) std::abort();
        okx_sell = make_okx_order({.symbol = "BNB-USDT", .side = order_side::sell, .tif = time_in_force::ioc},
                                  {}, ec);
        if (ec) std::abort();
        buy_frame.resize(binance_buy.max_frame_size());
        sell_frame.resize(okx_sell.max_frame_size());
        // OKX's quote, pre-loaded: its bid is above Binance's ask by far more than fees.
        market::bbo okx;
        okx.venue = venue::okx;
        okx.symbol = sym;
        okx.bid_price = dec("25.60");
        okx.bid_quantity = dec("1000000000");
        okx.ask_price = dec("25.61");
        okx.ask_quantity = dec("1000000000");
        detector.on_bbo(okx);
        // The Binance book the depth case updates.
        const std::array<market::book_level, 3> bids{
            {{dec("25.3519"), dec("12.5")}, {dec("25.3500"), dec("4")}, {dec("25.3400"), dec("9")}}};
        const std::array<market::book_level, 3> asks{
            {{dec("25.3652"), dec("40.66")}, {dec("25.3660"), dec("2")}, {dec("25.3700"), dec("5")}}};
        if (book.apply_snapshot(bids, asks)) std::abort();
        decoder = exchange::binance::decoder(exchange::binance::decoder::options{.default_symbol = sym});
    }

    // The socket's part: the frame lands in the reader's buffer.
    void receive(const std::vector<std::uint8_t>& frame) noexcept {
        const mutable_bytes space = reader.prepare(frame.size());
        std::memcpy(space.data(), frame.data(), frame.size());
        reader.commit(frame.size());
    }

    // Everything from the buffered bytes to the order frames.
    void tick() noexcept {
        const ws::read_event ev = reader.next();
        if (ev.type != ws::event_type::text) std::abort();
        auto* p = const_cast<std::uint8_t*>(ev.payload.data());  // the reader's own buffer
        decode_handler h{this};
        decoder.decode(mutable_bytes(p, ev.payload.size()), h);
    }

    void release() noexcept {
        for (std::size_t i = 0; i < ticket_count; ++i) (void)risk.on_order_done(tickets[i]);
        ticket_count = 0;
    }
};

void decode_handler::on_bbo(const market::bbo& b) noexcept {
    p->last = b;
    p->have_bbo = true;
    p->detector.on_bbo(b, fire_exec{p});
}

void decode_handler::on_book_delta(const market::book_delta& d) noexcept {
    if (p->book.apply_delta(d.bids, d.asks)) std::abort();
    p->book.end_message();
    const auto bid = p->book.best_bid();
    const auto ask = p->book.best_ask();
    if (!bid || !ask) return;
    market::bbo b;
    b.venue = d.venue;
    b.symbol = d.symbol;
    b.bid_price = bid->price;
    b.bid_quantity = bid->quantity;
    b.ask_price = ask->price;
    b.ask_quantity = ask->quantity;
    b.exchange_time = d.exchange_time;
    p->last = b;
    p->detector.on_bbo(b, fire_exec{p});
}

void fire_exec::operator()(const arbitrage_decision& d) noexcept {
    ++p->decisions;
    const std::uint64_t now = unix_ms();
    const fire_result buy =
        p->binance_buy.fire({.price = d.buy.price, .quantity = d.buy.quantity, .timestamp_ms = now}, p->keys,
                            mutable_bytes(p->buy_frame.data(), p->buy_frame.size()));
    const fire_result sell =
        p->okx_sell.fire({.price = d.sell.price, .quantity = d.sell.quantity, .timestamp_ms = now}, p->keys,
                         mutable_bytes(p->sell_frame.data(), p->sell_frame.size()));
    if (!buy.ok() || !sell.ok()) std::abort();
    p->bytes_out += buy.frame.size() + sell.frame.size();
    p->frames_out += 2;
    if (d.buy.ticket.valid()) p->tickets[p->ticket_count++] = d.buy.ticket;
    if (d.sell.ticket.valid()) p->tickets[p->ticket_count++] = d.sell.ticket;
    benchmark::DoNotOptimize(buy.frame.data());
    benchmark::DoNotOptimize(sell.frame.data());
}

// ---- full pipeline, one tick at a time

void distribution(benchmark::State& state, const std::vector<std::vector<std::uint8_t>>& frames) {
    pipeline p;
    std::uint64_t ticks = 0;
    bench_timing::timed_distribution(
        state, [&](std::size_t i) { p.receive(frames[i % frames.size()]); },
        [&](std::size_t) {
            p.tick();
            ++ticks;
        },
        [&](std::size_t) { p.release(); });
    // Every tick (warm-up included) must have crossed and fired both legs.
    if (p.decisions != ticks) state.SkipWithError("a tick did not produce a trade");
}

void BM_tick_to_trade_bookticker_distribution(benchmark::State& state) {
    distribution(state, bookticker_frames());
}
void BM_tick_to_trade_depth_distribution(benchmark::State& state) {
    distribution(state, depth_frames());
}

// Mean of the whole tick (socket copy and release included) for comparison.
void BM_tick_to_trade_bookticker(benchmark::State& state) {
    pipeline p;
    const auto frames = bookticker_frames();
    std::size_t i = 0;
    for (auto _ : state) {
        p.receive(frames[i++ % frames.size()]);
        p.tick();
        p.release();
    }
    state.SetItemsProcessed(state.iterations());
}

// ---- stages alone

void BM_stage_ws_parse(benchmark::State& state) {
    pipeline p;
    const auto frames = bookticker_frames();
    std::size_t i = 0;
    for (auto _ : state) {
        p.receive(frames[i++ % frames.size()]);
        const ws::read_event ev = p.reader.next();
        benchmark::DoNotOptimize(ev.payload.data());
    }
}

struct bbo_sink {
    market::bbo b{};
    void on_bbo(const market::bbo& e) noexcept { b = e; }
};
struct delta_sink {
    std::size_t n = 0;
    void on_book_delta(const market::book_delta& d) noexcept { n += d.bids.size() + d.asks.size(); }
};

std::vector<std::string> payloads(const std::vector<std::vector<std::uint8_t>>& frames) {
    std::vector<std::string> out;
    for (const auto& f : frames) out.emplace_back(reinterpret_cast<const char*>(f.data()) + 2, f.size() - 2);
    return out;
}

void BM_stage_decode_bookticker(benchmark::State& state) {
    pipeline p;
    auto texts = payloads(bookticker_frames());  // short frames: 2-byte header
    bbo_sink s;
    std::size_t i = 0;
    for (auto _ : state) {
        std::string& t = texts[i++ % texts.size()];
        p.decoder.decode(std::span<char>(t.data(), t.size()), s);
        benchmark::DoNotOptimize(s.b.ask_price);
    }
}

void BM_stage_decode_depth(benchmark::State& state) {
    pipeline p;
    auto frames = depth_frames();
    std::vector<std::string> texts;
    for (const auto& f : frames)
        texts.emplace_back(reinterpret_cast<const char*>(f.data()) + 4, f.size() - 4);
    delta_sink s;
    std::size_t i = 0;
    for (auto _ : state) {
        std::string& t = texts[i++ % texts.size()];
        p.decoder.decode(std::span<char>(t.data(), t.size()), s);
        benchmark::DoNotOptimize(s.n);
    }
}

void BM_stage_book_update(benchmark::State& state) {
    pipeline p;
    const std::array<market::book_level, 2> bids{
        {{dec("25.3519"), dec("12.5")}, {dec("25.3500"), dec("3.25")}}};
    const std::array<market::book_level, 2> bids2{{{dec("25.3519"), dec("11")}, {dec("25.3500"), dec("0")}}};
    const std::array<market::book_level, 2> asks{
        {{dec("25.3652"), dec("40.66")}, {dec("25.3660"), dec("7")}}};
    std::size_t i = 0;
    for (auto _ : state) {
        if (p.book.apply_delta((i++ & 1) ? bids : bids2, asks)) std::abort();
        p.book.end_message();
        const auto b = p.book.best_bid();
        const auto a = p.book.best_ask();
        benchmark::DoNotOptimize(b);
        benchmark::DoNotOptimize(a);
    }
}

// Strategy decision and both legs' risk checks (live reservations, released in the loop).
void BM_stage_strategy_and_risk(benchmark::State& state) {
    pipeline p;
    market::bbo b;
    b.venue = venue::binance;
    b.symbol = p.sym;
    b.bid_price = dec("25.35190000");
    b.bid_quantity = dec("31.21000000");
    b.ask_price = dec("25.36520000");
    b.ask_quantity = dec("40.66000000");
    std::size_t released = 0;
    for (auto _ : state) {
        const std::uint32_t made = p.detector.on_bbo(b, [&](const arbitrage_decision& d) {
            (void)p.risk.on_order_done(d.buy.ticket);
            (void)p.risk.on_order_done(d.sell.ticket);
            ++released;
        });
        benchmark::DoNotOptimize(made);
    }
    if (static_cast<benchmark::IterationCount>(released) != state.iterations())
        state.SkipWithError("a tick did not produce a trade");
}

void BM_stage_risk_check(benchmark::State& state) {
    pipeline p;
    order_request o;
    o.venue = venue::binance;
    o.symbol = p.sym;
    o.side = order_side::buy;
    o.price = dec("25.3652");
    o.quantity = dec("0.01");
    for (auto _ : state) {
        const risk_decision d = p.risk.check(o);
        benchmark::DoNotOptimize(d.ticket);
        (void)p.risk.on_order_done(d.ticket);
    }
}

void BM_stage_fire_binance_signed(benchmark::State& state) {
    pipeline p;
    const decimal price = dec("25.3652");
    const decimal qty = dec("0.01");
    for (auto _ : state) {
        const fire_result r =
            p.binance_buy.fire({.price = price, .quantity = qty, .timestamp_ms = unix_ms()}, p.keys,
                               mutable_bytes(p.buy_frame.data(), p.buy_frame.size()));
        benchmark::DoNotOptimize(r.frame.data());
    }
}

void BM_stage_fire_okx(benchmark::State& state) {
    pipeline p;
    const decimal price = dec("25.6");
    const decimal qty = dec("0.01");
    for (auto _ : state) {
        const fire_result r = p.okx_sell.fire({.price = price, .quantity = qty}, p.keys,
                                              mutable_bytes(p.sell_frame.data(), p.sell_frame.size()));
        benchmark::DoNotOptimize(r.frame.data());
    }
}

}  // namespace

BENCHMARK(BM_tick_to_trade_bookticker_distribution)
    ->Arg(200000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tick_to_trade_depth_distribution)->Arg(200000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tick_to_trade_bookticker);
BENCHMARK(BM_stage_ws_parse);
BENCHMARK(BM_stage_decode_bookticker);
BENCHMARK(BM_stage_decode_depth);
BENCHMARK(BM_stage_book_update);
BENCHMARK(BM_stage_strategy_and_risk);
BENCHMARK(BM_stage_risk_check);
BENCHMARK(BM_stage_fire_binance_signed);
BENCHMARK(BM_stage_fire_okx);

BENCHMARK_MAIN();
