// Order book update cost: a 10-level delta applied to a 1000-level-per-side book, per
// level, for tradewire's order_book (pre-parsed decimals, and parsing the same strings
// on the way) against std::map<double,double> with std::stod, std::map<decimal,decimal>,
// and a sorted std::vector<double> with the best price at the back. Also: the search
// strategy inside a side (linear steps from the top before a binary search; int64 keys
// against decimal keys), and the OKX 25x25 checksum.
//
// The deltas follow a real stream's shape: levels near the top change most (positions
// drawn from a geometric distribution, mean ~8 levels), a delta mixes replaces, inserts
// and deletes, and deltas come in pairs that undo each other's inserts and deletes so the
// book keeps its size while the benchmark loops.
#include <tradewire/market/checksum.hpp>
#include <tradewire/market/order_book.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using tradewire::decimal;
using namespace tradewire::market;

constexpr int book_levels = 1000;
constexpr int delta_levels = 10;

struct text_level {
    std::string price;
    std::string qty;
};

struct text_delta {
    std::vector<text_level> bids;
    std::vector<text_level> asks;
};

// Prices are cents: bids 30000.00 down, asks 30000.10 up, a level every 0.10; inserts
// land on the free 0.05 offsets. Always two decimals, as Bybit writes them.
std::string price_text(std::int64_t cents) {
    std::string s = std::to_string(cents / 100) + ".";
    const std::int64_t c = cents % 100;
    s += static_cast<char>('0' + c / 10);
    s += static_cast<char>('0' + c % 10);
    return s;
}

std::int64_t level_cents(bool bid, int index) { return bid ? 3000000 - 10 * index : 3000010 + 10 * index; }

struct workload {
    std::vector<text_level> snapshot_bids;
    std::vector<text_level> snapshot_asks;
    std::vector<text_delta> deltas;  // pairs: deltas[2k + 1] undoes the inserts/deletes of deltas[2k]

    workload() {
        std::mt19937_64 rng(42);
        std::geometric_distribution<int> depth(0.12);
        auto qty = [&] { return std::to_string(1 + rng() % 50) + "." + std::to_string(100 + rng() % 900); };
        for (int i = 0; i < book_levels; ++i) {
            snapshot_bids.push_back({price_text(level_cents(true, i)), qty()});
            snapshot_asks.push_back({price_text(level_cents(false, i)), qty()});
        }
        for (int pair = 0; pair < 128; ++pair) {
            text_delta a;
            text_delta b;
            std::vector<std::int64_t> used;
            auto pick = [&](bool bid) {
                for (;;) {
                    const int idx = std::min(depth(rng), book_levels - 1);
                    const std::int64_t c = level_cents(bid, idx);
                    if (std::find(used.begin(), used.end(), c) == used.end()) {
                        used.push_back(c);
                        return c;
                    }
                }
            };
            for (int i = 0; i < delta_levels; ++i) {
                const bool bid = rng() % 2 == 0;
                auto& sa = bid ? a.bids : a.asks;
                auto& sb = bid ? b.bids : b.asks;
                const int kind = i % 5;  // 3 replaces, 1 insert, 1 delete per 5 levels
                const std::int64_t c = pick(bid);
                if (kind == 3) {
                    const std::int64_t mid = bid ? c - 5 : c + 5;  // a free price next to it
                    sa.push_back({price_text(mid), qty()});
                    sb.push_back({price_text(mid), "0"});
                } else if (kind == 4) {
                    const std::string q = qty();
                    sa.push_back({price_text(c), "0"});
                    sb.push_back({price_text(c), q});
                } else {
                    sa.push_back({price_text(c), qty()});
                    sb.push_back({price_text(c), qty()});
                }
            }
            deltas.push_back(std::move(a));
            deltas.push_back(std::move(b));
        }
    }
};

const workload& work() {
    static const workload w;
    return w;
}

decimal parse(const std::string& s) { return decimal::parse(s).value; }

std::vector<book_level> parsed(const std::vector<text_level>& in) {
    std::vector<book_level> out;
    for (const auto& l : in) out.push_back({parse(l.price), parse(l.qty)});
    return out;
}

struct parsed_delta {
    std::vector<book_level> bids;
    std::vector<book_level> asks;
};

void set_per_level(benchmark::State& state) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * delta_levels);
    state.counters["per_level"] = benchmark::Counter(static_cast<double>(state.iterations()) * delta_levels,
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

order_book make_book() {
    order_book book;
    const auto bids = parsed(work().snapshot_bids);
    const auto asks = parsed(work().snapshot_asks);
    book.apply_snapshot(bids, asks);
    return book;
}

// ---- tradewire

void BM_order_book_apply_parsed(benchmark::State& state) {
    order_book book = make_book();
    std::vector<parsed_delta> deltas;
    for (const auto& d : work().deltas) deltas.push_back({parsed(d.bids), parsed(d.asks)});
    std::size_t i = 0;
    for (auto _ : state) {
        const parsed_delta& d = deltas[i];
        benchmark::DoNotOptimize(book.apply_delta(d.bids, d.asks));
        i = (i + 1) % deltas.size();
    }
    if (book.bids().size() + book.asks().size() != 2 * book_levels) state.SkipWithError("book size drifted");
    set_per_level(state);
}
BENCHMARK(BM_order_book_apply_parsed);

void BM_order_book_parse_and_apply(benchmark::State& state) {
    order_book book = make_book();
    const auto& deltas = work().deltas;
    std::vector<book_level> bids;
    std::vector<book_level> asks;
    bids.reserve(delta_levels);
    asks.reserve(delta_levels);
    std::size_t i = 0;
    for (auto _ : state) {
        const text_delta& d = deltas[i];
        bids.clear();
        asks.clear();
        for (const auto& l : d.bids) bids.push_back({parse(l.price), parse(l.qty)});
        for (const auto& l : d.asks) asks.push_back({parse(l.price), parse(l.qty)});
        benchmark::DoNotOptimize(book.apply_delta(bids, asks));
        i = (i + 1) % deltas.size();
    }
    set_per_level(state);
}
BENCHMARK(BM_order_book_parse_and_apply);

// ---- baselines, fed the same strings

void BM_baseline_map_double_stod(benchmark::State& state) {
    std::map<double, double, std::greater<>> bids;
    std::map<double, double> asks;
    for (const auto& l : work().snapshot_bids) bids[std::stod(l.price)] = std::stod(l.qty);
    for (const auto& l : work().snapshot_asks) asks[std::stod(l.price)] = std::stod(l.qty);
    const auto& deltas = work().deltas;
    auto apply = [](auto& side, const text_level& l) {
        const double p = std::stod(l.price);
        const double q = std::stod(l.qty);
        if (q == 0.0) {
            side.erase(p);
        } else {
            side[p] = q;
        }
    };
    std::size_t i = 0;
    for (auto _ : state) {
        const text_delta& d = deltas[i];
        for (const auto& l : d.bids) apply(bids, l);
        for (const auto& l : d.asks) apply(asks, l);
        benchmark::DoNotOptimize(bids.begin()->first);
        i = (i + 1) % deltas.size();
    }
    set_per_level(state);
}
BENCHMARK(BM_baseline_map_double_stod);

void BM_baseline_map_decimal(benchmark::State& state) {
    std::map<decimal, decimal, std::greater<>> bids;
    std::map<decimal, decimal> asks;
    for (const auto& l : work().snapshot_bids) bids[parse(l.price)] = parse(l.qty);
    for (const auto& l : work().snapshot_asks) asks[parse(l.price)] = parse(l.qty);
    const auto& deltas = work().deltas;
    auto apply = [](auto& side, const text_level& l) {
        const decimal p = parse(l.price);
        const decimal q = parse(l.qty);
        if (q.is_zero()) {
            side.erase(p);
        } else {
            side.insert_or_assign(p, q);
        }
    };
    std::size_t i = 0;
    for (auto _ : state) {
        const text_delta& d = deltas[i];
        for (const auto& l : d.bids) apply(bids, l);
        for (const auto& l : d.asks) apply(asks, l);
        benchmark::DoNotOptimize(bids.begin()->first);
        i = (i + 1) % deltas.size();
    }
    set_per_level(state);
}
BENCHMARK(BM_baseline_map_decimal);

// The textbook flat book: vector<pair<double,double>>, best price at the back, binary search.
void BM_baseline_vector_double_stod(benchmark::State& state) {
    std::vector<std::pair<double, double>> bids;  // ascending: best (highest) at the back
    std::vector<std::pair<double, double>> asks;  // descending: best (lowest) at the back
    bids.reserve(2 * book_levels);
    asks.reserve(2 * book_levels);
    for (auto it = work().snapshot_bids.rbegin(); it != work().snapshot_bids.rend(); ++it) {
        bids.emplace_back(std::stod(it->price), std::stod(it->qty));
    }
    for (auto it = work().snapshot_asks.rbegin(); it != work().snapshot_asks.rend(); ++it) {
        asks.emplace_back(std::stod(it->price), std::stod(it->qty));
    }
    auto apply = [](auto& side, const text_level& l, auto less) {
        const double p = std::stod(l.price);
        const double q = std::stod(l.qty);
        auto it = std::lower_bound(side.begin(), side.end(), p,
                                   [&](const std::pair<double, double>& a, double b) { return less(a.first, b); });
        const bool found = it != side.end() && it->first == p;
        if (q == 0.0) {
            if (found) side.erase(it);
        } else if (found) {
            it->second = q;
        } else {
            side.insert(it, {p, q});
        }
    };
    const auto& deltas = work().deltas;
    std::size_t i = 0;
    for (auto _ : state) {
        const text_delta& d = deltas[i];
        for (const auto& l : d.bids) apply(bids, l, std::less<>{});
        for (const auto& l : d.asks) apply(asks, l, std::greater<>{});
        benchmark::DoNotOptimize(bids.back().first);
        i = (i + 1) % deltas.size();
    }
    set_per_level(state);
}
BENCHMARK(BM_baseline_vector_double_stod);

// ---- search strategy inside one side (1000 ascending keys, best at the back)

std::vector<std::int64_t> near_top_queries() {
    std::mt19937_64 rng(7);
    std::geometric_distribution<int> depth(0.12);
    std::vector<std::int64_t> q;
    for (int i = 0; i < 4096; ++i) {
        const int idx = std::min(depth(rng), book_levels - 1);
        q.push_back(3000000 - 10 * idx - (i % 3 == 0 ? 5 : 0));  // hits and misses
    }
    return q;
}

using tradewire::market::detail::search_tail;

template <std::size_t Steps, search_tail Tail>
void BM_search_int64_keys(benchmark::State& state) {
    std::vector<std::int64_t> keys;
    for (int i = book_levels - 1; i >= 0; --i) keys.push_back(level_cents(true, i));
    const auto queries = near_top_queries();
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(tradewire::market::detail::hybrid_lower_bound<Steps, Tail>(
            keys.data(), 0, keys.size(), queries[i]));
        i = (i + 1) % queries.size();
    }
}
BENCHMARK(BM_search_int64_keys<0, search_tail::std_lower_bound>)->Name("BM_search/std_lower_bound");
BENCHMARK(BM_search_int64_keys<0, search_tail::branchless>)->Name("BM_search/branchless");
BENCHMARK(BM_search_int64_keys<8, search_tail::std_lower_bound>)->Name("BM_search/linear_8+std_lower_bound");
BENCHMARK(BM_search_int64_keys<8, search_tail::branchless>)->Name("BM_search/linear_8+branchless");
BENCHMARK(BM_search_int64_keys<32, search_tail::branchless>)->Name("BM_search/linear_32+branchless");
BENCHMARK(BM_search_int64_keys<0, search_tail::gallop>)->Name("BM_search/gallop");
BENCHMARK(BM_search_int64_keys<4, search_tail::gallop>)->Name("BM_search/linear_4+gallop");
BENCHMARK(BM_search_int64_keys<8, search_tail::gallop>)->Name("BM_search/linear_8+gallop");
BENCHMARK(BM_search_int64_keys<16, search_tail::gallop>)->Name("BM_search/linear_16+gallop");

// The same search over decimal prices compared by value (what the book would do
// without int64 keys). `mixed` spells half the queries with an extra trailing zero, so
// exponents differ and the slow comparison path runs.
void BM_search_decimal_keys(benchmark::State& state) {
    const bool mixed = state.range(0) != 0;
    std::vector<decimal> keys;
    for (int i = book_levels - 1; i >= 0; --i) keys.push_back(parse(price_text(level_cents(true, i))));
    std::vector<decimal> queries;
    int n = 0;
    for (const std::int64_t c : near_top_queries()) {
        std::string t = price_text(c);
        if (mixed && n++ % 2 == 0) t += "0";
        queries.push_back(parse(t));
    }
    std::size_t i = 0;
    for (auto _ : state) {
        const decimal q = queries[i];
        std::size_t k = keys.size();
        const std::size_t stop = k - 8;
        while (k > stop && !(keys[k - 1] < q)) --k;
        if (k == stop) k = static_cast<std::size_t>(std::lower_bound(keys.begin(), keys.begin() + stop, q) - keys.begin());
        benchmark::DoNotOptimize(k);
        i = (i + 1) % queries.size();
    }
}
BENCHMARK(BM_search_decimal_keys)->Arg(0)->Arg(1)->ArgNames({"mixed_exponents"});

// ---- checksum

void BM_okx_checksum_25x25(benchmark::State& state) {
    const order_book book = make_book();
    for (auto _ : state) benchmark::DoNotOptimize(okx_checksum::compute(book));
}
BENCHMARK(BM_okx_checksum_25x25);

void BM_kraken_checksum_10x10(benchmark::State& state) {
    const order_book book = make_book();
    for (auto _ : state) benchmark::DoNotOptimize(kraken_checksum::compute(book));
}
BENCHMARK(BM_kraken_checksum_10x10);

}  // namespace

BENCHMARK_MAIN();
