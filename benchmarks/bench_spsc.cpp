// spsc_ring throughput: push + pop on one thread (the cost of the operations alone) and
// across two threads (a producer thread streaming items to the benchmark thread, the
// io-thread-to-strategy-thread shape), for an 8-byte and a 64-byte payload, under the
// fail (try_push) and drop_oldest policies. Baselines in the same binary: Boost.Lockfree
// spsc_queue (when Boost is found) and a std::mutex + std::deque queue.
//
// Cross-thread cases move `batch` items per iteration with a fresh producer thread; the
// thread start (~tens of microseconds) is amortised over 2^18 items. items_per_second is
// the number to compare. On a machine with fewer free cores than two, cross-thread
// numbers measure the scheduler more than the ring.
#include <tradewire/core/spsc_ring.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>

#if TRADEWIRE_HAVE_BOOST_BEAST
#include <boost/lockfree/spsc_queue.hpp>
#endif

namespace {

using tradewire::full_policy;
using tradewire::spsc_ring;

constexpr std::size_t capacity = 4096;
constexpr std::uint64_t batch = 1 << 18;

struct event64 {
    std::uint64_t seq;
    std::uint64_t pad[7];
};

template <class T>
T make(std::uint64_t i) {
    if constexpr (std::is_same_v<T, event64>) {
        return event64{i, {i, i, i, i, i, i, i}};
    } else {
        return static_cast<T>(i);
    }
}

template <class T>
std::uint64_t seq_of(const T& v) {
    if constexpr (std::is_same_v<T, event64>) {
        return v.seq;
    } else {
        return static_cast<std::uint64_t>(v);
    }
}

// ---- adapters: try_push / try_pop over each queue

template <class T, full_policy P>
struct tw_queue {
    spsc_ring<T, P> q{capacity};
    bool push(const T& v) { return q.try_push(v); }
    bool pop(T& out) { return q.try_pop(out); }
};

template <class T>
struct tw_drop_queue {
    spsc_ring<T, full_policy::drop_oldest> q{capacity};
    bool push(const T& v) {
        q.push(v);
        return true;
    }
    bool pop(T& out) { return q.try_pop(out); }
};

template <class T>
struct mutex_queue {
    std::mutex m;
    std::deque<T> q;
    bool push(const T& v) {
        std::lock_guard<std::mutex> lock(m);
        if (q.size() >= capacity) return false;
        q.push_back(v);
        return true;
    }
    bool pop(T& out) {
        std::lock_guard<std::mutex> lock(m);
        if (q.empty()) return false;
        out = q.front();
        q.pop_front();
        return true;
    }
};

#if TRADEWIRE_HAVE_BOOST_BEAST
template <class T>
struct boost_queue {
    boost::lockfree::spsc_queue<T, boost::lockfree::capacity<capacity>> q;
    bool push(const T& v) { return q.push(v); }
    bool pop(T& out) { return q.pop(out); }
};
#endif

// ---- same thread: push one, pop one

template <class Q, class T>
void same_thread(benchmark::State& state) {
    auto q = std::make_unique<Q>();
    T out{};
    std::uint64_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(q->push(make<T>(i++)));
        benchmark::DoNotOptimize(q->pop(out));
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Bursts: 64 pushes then 64 pops, so the cached indices do their job.
template <class Q, class T>
void same_thread_burst(benchmark::State& state) {
    auto q = std::make_unique<Q>();
    T out{};
    std::uint64_t i = 0;
    for (auto _ : state) {
        for (int k = 0; k < 64; ++k) benchmark::DoNotOptimize(q->push(make<T>(i++)));
        for (int k = 0; k < 64; ++k) benchmark::DoNotOptimize(q->pop(out));
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 64);
}

// Bursts drained with one index store: the batch consumer API.
void same_thread_burst_drain(benchmark::State& state) {
    auto q = std::make_unique<spsc_ring<std::uint64_t, full_policy::fail>>(capacity);
    std::uint64_t i = 0;
    std::uint64_t sum = 0;
    for (auto _ : state) {
        for (int k = 0; k < 64; ++k) benchmark::DoNotOptimize(q->try_push(i++));
        q->drain([&](std::uint64_t&& v) { sum += v; });
        benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 64);
}

// ---- two threads: a producer streams `batch` items, this thread consumes them

// Spin a little, then give the core away: on a machine with more runnable threads than
// cores a pure spin burns the time slice the other side needs (same for every queue).
struct waiter {
    unsigned spins = 0;
    void wait() {
        if (++spins < 256) return;
        spins = 0;
        std::this_thread::yield();
    }
    void reset() { spins = 0; }
};

template <class Q, class T>
void cross_thread(benchmark::State& state) {
    auto q = std::make_unique<Q>();
    std::uint64_t errors = 0;
    for (auto _ : state) {
        std::thread producer([&] {
            waiter w;
            for (std::uint64_t i = 0; i < batch; ++i) {
                while (!q->push(make<T>(i))) w.wait();
                w.reset();
            }
        });
        T out{};
        std::uint64_t next = 0;
        waiter w;
        while (next < batch) {
            if (q->pop(out)) {
                errors += seq_of(out) != next;
                ++next;
                w.reset();
            } else {
                w.wait();
            }
        }
        producer.join();
    }
    if (errors != 0) state.SkipWithError("items out of order");
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}

// drop_oldest: the producer never waits; count what the consumer received.
template <class T>
void cross_thread_drop(benchmark::State& state) {
    auto q = std::make_unique<tw_drop_queue<T>>();
    std::uint64_t received = 0;
    for (auto _ : state) {
        std::atomic<bool> done{false};
        std::thread producer([&] {
            for (std::uint64_t i = 0; i < batch; ++i) q->push(make<T>(i));
            done.store(true, std::memory_order_release);
        });
        T out{};
        waiter w;
        for (;;) {
            const bool finished = done.load(std::memory_order_acquire);
            while (q->pop(out)) ++received;
            if (finished) break;
            w.wait();
        }
        producer.join();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
    state.counters["received_fraction"] =
        static_cast<double>(received) / static_cast<double>(state.iterations() * batch);
}

}  // namespace

BENCHMARK(same_thread<tw_queue<std::uint64_t, full_policy::fail>, std::uint64_t>)->Name("same_thread/tradewire/u64");
BENCHMARK(same_thread<tw_drop_queue<std::uint64_t>, std::uint64_t>)->Name("same_thread/tradewire_drop_oldest/u64");
BENCHMARK(same_thread<mutex_queue<std::uint64_t>, std::uint64_t>)->Name("same_thread/mutex_deque/u64");
BENCHMARK(same_thread<tw_queue<event64, full_policy::fail>, event64>)->Name("same_thread/tradewire/64B");
BENCHMARK(same_thread<tw_drop_queue<event64>, event64>)->Name("same_thread/tradewire_drop_oldest/64B");
BENCHMARK(same_thread<mutex_queue<event64>, event64>)->Name("same_thread/mutex_deque/64B");
BENCHMARK(same_thread_burst<tw_queue<std::uint64_t, full_policy::fail>, std::uint64_t>)
    ->Name("same_thread_burst64/tradewire/u64");
BENCHMARK(same_thread_burst_drain)->Name("same_thread_burst64/tradewire_drain/u64");
BENCHMARK(same_thread_burst<mutex_queue<std::uint64_t>, std::uint64_t>)->Name("same_thread_burst64/mutex_deque/u64");
#if TRADEWIRE_HAVE_BOOST_BEAST
BENCHMARK(same_thread<boost_queue<std::uint64_t>, std::uint64_t>)->Name("same_thread/boost_lockfree/u64");
BENCHMARK(same_thread<boost_queue<event64>, event64>)->Name("same_thread/boost_lockfree/64B");
BENCHMARK(same_thread_burst<boost_queue<std::uint64_t>, std::uint64_t>)->Name("same_thread_burst64/boost_lockfree/u64");
#endif

BENCHMARK(cross_thread<tw_queue<std::uint64_t, full_policy::fail>, std::uint64_t>)
    ->Name("cross_thread/tradewire/u64")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(cross_thread<tw_queue<event64, full_policy::fail>, event64>)
    ->Name("cross_thread/tradewire/64B")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(cross_thread_drop<std::uint64_t>)
    ->Name("cross_thread/tradewire_drop_oldest/u64")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(cross_thread<mutex_queue<std::uint64_t>, std::uint64_t>)
    ->Name("cross_thread/mutex_deque/u64")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
#if TRADEWIRE_HAVE_BOOST_BEAST
BENCHMARK(cross_thread<boost_queue<std::uint64_t>, std::uint64_t>)
    ->Name("cross_thread/boost_lockfree/u64")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(cross_thread<boost_queue<event64>, event64>)
    ->Name("cross_thread/boost_lockfree/64B")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
#endif

BENCHMARK_MAIN();
