// The cost of one pre-trade check, the thing every order pays before it leaves.
//
// risk_engine::check() with 4 instruments on 2 venues, a total position limit, a venue
// exposure limit and Binance's three default rate rules (50/10 s, 160000/day, 6000/min)
// or OKX's per-instrument rule: dry run (no reservation), live (reserve, then release
// with on_order_done), refused early (kill switch) and refused late (position limit),
// with a manual clock advanced by hand and with the real monotonic clock. Also the
// pieces: one rate rule, a fill with P&L and kill-switch evaluation, a mark, and a paper
// execution across three book levels.
//
// Baseline: the same checks written the obvious way (a std::unordered_map keyed by
// "venue:symbol" strings, double arithmetic, a std::deque of timestamps per rate rule),
// to show what the fixed-point, pre-indexed engine saves.
#include <tradewire/trade/paper.hpp>
#include <tradewire/trade/risk.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using tradewire::decimal;
using tradewire::manual_clock;
using tradewire::symbol;
using tradewire::market::venue;
using namespace tradewire::trade;

constexpr std::int64_t second = ns_per_second;

decimal dec(std::string_view text) { return decimal::parse(text).value; }

symbol sym(std::string_view text) {
    std::error_code ec;
    return symbol::parse(text, ec);
}

template <class Clock>
std::unique_ptr<risk_engine<Clock>> make_engine(bool dry_run, Clock clock = Clock{}) {
    risk_config c;
    c.dry_run = dry_run;
    c.max_loss = dec("1000");
    auto e = std::make_unique<risk_engine<Clock>>(c, clock);
    for (venue v : {venue::binance, venue::okx}) {
        (void)e->add_instrument({v, sym("BTC-USDT"), dec("5"), dec("500000")});
        (void)e->add_instrument({v, sym("ETH-USDT"), dec("100"), dec("500000")});
    }
    (void)e->set_total_position_limit(sym("BTC-USDT"), dec("8"));
    venue_limits l = default_venue_limits(venue::binance);
    l.max_exposure = dec("2000000");
    (void)e->set_venue_limits(l);
    return e;
}

order_request btc_buy(venue v = venue::binance) {
    order_request o;
    o.venue = v;
    o.symbol = sym("BTC-USDT");
    o.side = order_side::buy;
    o.price = dec("65432.10");
    o.quantity = dec("0.015");
    return o;
}

void check_dry_run(benchmark::State& state) {
    auto e = make_engine<manual_clock>(true, manual_clock(1'000'000 * second));
    const order_request o = btc_buy();
    for (auto _ : state) {
        e->clock().advance(second);  // stays inside 50 per 10 s
        risk_decision d = e->check(o);
        benchmark::DoNotOptimize(d);
    }
    if (!e->check(o).passed()) state.SkipWithError("check refused");
}

void check_live_then_done(benchmark::State& state) {
    auto e = make_engine<manual_clock>(false, manual_clock(1'000'000 * second));
    const order_request o = btc_buy();
    for (auto _ : state) {
        e->clock().advance(second);
        const risk_decision d = e->check(o);
        benchmark::DoNotOptimize(e->on_order_done(d.ticket));
    }
    e->clock().advance(second);
    if (!e->check(o).may_send()) state.SkipWithError("check refused");
}

void check_okx_instrument_rule(benchmark::State& state) {
    auto e = make_engine<manual_clock>(true, manual_clock(1'000'000 * second));
    const order_request o = btc_buy(venue::okx);
    for (auto _ : state) {
        e->clock().advance(second / 10);  // 20 per 2 s of 60
        risk_decision d = e->check(o);
        benchmark::DoNotOptimize(d);
    }
    if (!e->check(o).passed()) state.SkipWithError("check refused");
}

void check_refused_kill_switch(benchmark::State& state) {
    auto e = make_engine<manual_clock>(false);
    e->kill().trip();
    const order_request o = btc_buy();
    for (auto _ : state) {
        risk_decision d = e->check(o);
        benchmark::DoNotOptimize(d);
    }
}

void check_refused_position(benchmark::State& state) {
    auto e = make_engine<manual_clock>(false);
    order_request o = btc_buy();
    o.quantity = dec("5.5");
    o.price = dec("60000");
    for (auto _ : state) {
        risk_decision d = e->check(o);
        benchmark::DoNotOptimize(d);
    }
    if (e->check(o).ec != risk_error::position_limit) state.SkipWithError("expected a position refusal");
}

// The real clock: rate rules that never bind, so every check passes.
void check_dry_run_monotonic_clock(benchmark::State& state) {
    auto e = make_engine<tradewire::monotonic_clock>(true);
    venue_limits l = default_venue_limits(venue::binance);
    l.rates = rate_limits{};
    (void)l.rates.add(token_bucket(4'000'000'000U, 1));
    (void)e->set_venue_limits(l);
    const order_request o = btc_buy();
    for (auto _ : state) {
        risk_decision d = e->check(o);
        benchmark::DoNotOptimize(d);
    }
    if (!e->check(o).passed()) state.SkipWithError("check refused");
}

void rate_rule_sliding_window(benchmark::State& state) {
    rate_limiter lim(sliding_window(50, 10 * second));
    std::int64_t now = 0;
    for (auto _ : state) {
        now += second / 4;
        benchmark::DoNotOptimize(lim.try_acquire(now));
    }
}

void fill_and_mark(benchmark::State& state) {
    auto e = make_engine<manual_clock>(false);
    fill f;
    f.venue = venue::binance;
    f.symbol = sym("BTC-USDT");
    f.price = dec("65432.10");
    f.quantity = dec("0.001");
    f.fee = dec("0.0654321");
    const decimal bid = dec("65430.00");
    const decimal ask = dec("65430.10");
    bool buy = true;
    for (auto _ : state) {
        f.side = buy ? order_side::buy : order_side::sell;
        buy = !buy;
        benchmark::DoNotOptimize(e->on_fill(f));
        benchmark::DoNotOptimize(e->mark(venue::binance, f.symbol, bid, ask));
    }
}

void paper_market_three_levels(benchmark::State& state) {
    tradewire::market::order_book book;
    std::vector<tradewire::market::book_level> bids;
    std::vector<tradewire::market::book_level> asks;
    for (int i = 0; i < 20; ++i) {
        bids.push_back({decimal::from_parts(6543200 - i * 10, -2).value, dec("0.005")});
        asks.push_back({decimal::from_parts(6543210 + i * 10, -2).value, dec("0.005")});
    }
    (void)book.apply_snapshot(bids, asks);
    paper_account acct;
    order_request b = btc_buy();
    b.type = order_type::market;
    order_request s = b;
    s.side = order_side::sell;
    bool buy = true;
    for (auto _ : state) {
        paper_result r = acct.execute(buy ? b : s, book, 0);  // 0.015 = three levels of 0.005
        buy = !buy;
        benchmark::DoNotOptimize(r);
    }
}

// ---- baseline: the same checks, written the obvious way

struct naive_engine {
    struct instrument {
        double position = 0;
        double open_buy = 0;
        double open_sell = 0;
        double max_position = 0;
        double max_notional = 0;
    };
    struct rule {
        std::size_t limit;
        std::int64_t window;
        std::deque<std::int64_t> sent;
    };
    std::unordered_map<std::string, instrument> instruments;
    std::unordered_map<std::string, std::vector<rule>> rules;
    std::unordered_map<std::string, int> open_orders;
    bool killed = false;

    bool check(const std::string& venue_name, const std::string& symbol_name, bool buy, double price, double qty,
               std::int64_t now) {
        if (killed || qty <= 0 || price <= 0) return false;
        auto it = instruments.find(venue_name + ":" + symbol_name);
        if (it == instruments.end()) return false;
        instrument& in = it->second;
        if (price * qty > in.max_notional) return false;
        const double after = buy ? in.position + in.open_buy + qty : in.position - in.open_sell - qty;
        if (std::abs(after) > in.max_position) return false;
        if (open_orders[venue_name] >= 10) return false;
        auto& rs = rules[venue_name];
        for (rule& r : rs) {
            while (!r.sent.empty() && r.sent.front() + r.window <= now) r.sent.pop_front();
            if (r.sent.size() >= r.limit) return false;
        }
        for (rule& r : rs) r.sent.push_back(now);
        return true;
    }
};

void baseline_naive_check(benchmark::State& state) {
    naive_engine e;
    for (const char* v : {"binance", "okx"}) {
        e.instruments[std::string(v) + ":BTC-USDT"] = {0, 0, 0, 5, 500000};
        e.instruments[std::string(v) + ":ETH-USDT"] = {0, 0, 0, 100, 500000};
        e.rules[v] = {{50, 10 * second, {}}, {160000, 86400 * second, {}}, {6000, 60 * second, {}}};
    }
    const std::string venue_name = "binance";
    const std::string symbol_name = "BTC-USDT";
    std::int64_t now = 1'000'000 * second;
    for (auto _ : state) {
        now += second;
        benchmark::DoNotOptimize(e.check(venue_name, symbol_name, true, 65432.10, 0.015, now));
    }
}

}  // namespace

BENCHMARK(check_dry_run);
BENCHMARK(check_live_then_done);
BENCHMARK(check_okx_instrument_rule);
BENCHMARK(check_refused_kill_switch);
BENCHMARK(check_refused_position);
BENCHMARK(check_dry_run_monotonic_clock);
BENCHMARK(rate_rule_sliding_window);
BENCHMARK(fill_and_mark);
BENCHMARK(paper_market_three_levels);
BENCHMARK(baseline_naive_check);

BENCHMARK_MAIN();
