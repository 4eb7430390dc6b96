// Per-call latency distributions for the benchmarks that time single operations (order
// template fire, tick to trade): a serialising TSC read on x86 (steady_clock elsewhere),
// each call timed alone, the percentiles and the timer's own cost reported as counters.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define TW_BENCH_TSC 1
#endif

namespace bench_timing {

#if TW_BENCH_TSC
inline std::uint64_t ticks_begin() noexcept {
    _mm_lfence();
    const std::uint64_t t = __rdtsc();
    _mm_lfence();
    return t;
}
inline std::uint64_t ticks_end() noexcept {
    unsigned aux;
    const std::uint64_t t = __rdtscp(&aux);
    _mm_lfence();
    return t;
}
// Nanoseconds per tick, measured once against steady_clock over ~50 ms.
inline double ns_per_tick() {
    static const double value = [] {
        const auto c0 = std::chrono::steady_clock::now();
        const std::uint64_t t0 = ticks_begin();
        while (std::chrono::steady_clock::now() - c0 < std::chrono::milliseconds(50)) {
        }
        const auto c1 = std::chrono::steady_clock::now();
        const std::uint64_t t1 = ticks_end();
        return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(c1 - c0).count()) /
               static_cast<double>(t1 - t0);
    }();
    return value;
}
#else
inline std::uint64_t ticks_begin() noexcept {
    return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}
inline std::uint64_t ticks_end() noexcept { return ticks_begin(); }
inline double ns_per_tick() {
    return 1e9 * static_cast<double>(std::chrono::steady_clock::period::num) /
           static_cast<double>(std::chrono::steady_clock::period::den);
}
#endif

// Runs state.range(0) calls of timed(i), each timed alone, with untimed before(i) and
// after(i) around it (feeding input, releasing output); 10,000 warm-up calls first. Reports
// p50/p90/p99/p99.9/max and the empty timer's median as counters, in nanoseconds.
template <class Before, class Timed, class After>
void timed_distribution(benchmark::State& state, Before&& before, Timed&& timed, After&& after) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<std::uint64_t> samples(n);
    std::vector<std::uint64_t> empty(std::min<std::size_t>(n, 100000));
    for (std::size_t i = 0; i < 10000; ++i) {  // warm caches and branch predictors
        before(i);
        timed(i);
        after(i);
    }
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; ++i) {
            before(i);
            const std::uint64_t t0 = ticks_begin();
            timed(i);
            const std::uint64_t t1 = ticks_end();
            samples[i] = t1 - t0;
            after(i);
        }
        for (auto& e : empty) {
            const std::uint64_t t0 = ticks_begin();
            const std::uint64_t t1 = ticks_end();
            e = t1 - t0;
        }
    }
    std::sort(samples.begin(), samples.end());
    std::sort(empty.begin(), empty.end());
    const double k = ns_per_tick();
    auto pct = [&](double q) {
        const auto idx = static_cast<std::size_t>(q * static_cast<double>(n - 1));
        return static_cast<double>(samples[idx]) * k;
    };
    state.counters["p50_ns"] = pct(0.50);
    state.counters["p90_ns"] = pct(0.90);
    state.counters["p99_ns"] = pct(0.99);
    state.counters["p99.9_ns"] = pct(0.999);
    state.counters["max_ns"] = static_cast<double>(samples.back()) * k;
    state.counters["timer_ns"] = static_cast<double>(empty[empty.size() / 2]) * k;
    state.SetItemsProcessed(static_cast<std::int64_t>(n));
}

}  // namespace bench_timing
