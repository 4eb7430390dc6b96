// Busy-poll run mode for a thread that owns a CPU core. io_context::run() sleeps in the
// kernel (epoll_wait) when nothing is ready, and the wake-up when a packet arrives costs
// more than everything else on a loopback round trip (measured on the development VM:
// about 69 us blocking against 8 us busy-polling). run_busy_poll spins on
// io_context::poll() instead, which checks the reactor without sleeping, so a handler
// runs as soon as its data is there, at the price of one core at 100%.
//
//   asio::io_context io(1);                  // concurrency hint 1: a single thread runs it
//   net::pin_this_thread(3);                 // optional: keep the spinning thread on core 3
//   std::atomic<bool> stop{false};
//   net::run_busy_poll(io, [&] { return stop.load(std::memory_order_relaxed); });
//
// Like run(), the loop also ends when the context runs out of work or is stopped.
#pragma once

#include <asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <system_error>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace tradewire::net {

namespace detail {

// Tells the CPU this is a spin-wait (x86 PAUSE): saves power and lets a sibling
// hyperthread run, without giving up the core.
inline void spin_pause() noexcept {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
    __builtin_ia32_pause();
#elif defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
    asm volatile("yield" ::: "memory");
#endif
}

}  // namespace detail

// Runs `io`'s handlers by spinning on poll() until stop() returns true (checked after
// every poll), io.stop() is called, or no work is left. Returns the number of handlers
// run. stop is any callable returning something convertible to bool.
template <class Stop>
std::size_t run_busy_poll(asio::io_context& io, Stop&& stop) {
    std::size_t handlers = 0;
    for (;;) {
        const std::size_t n = io.poll();
        handlers += n;
        if (io.stopped() || static_cast<bool>(stop())) break;
        if (n == 0) detail::spin_pause();
    }
    return handlers;
}

// Spins until io.stop() is called or no work is left.
inline std::size_t run_busy_poll(asio::io_context& io) {
    return run_busy_poll(io, [] { return false; });
}

// Spins for at most `duration` (and less if the context stops first).
template <class Rep, class Period>
std::size_t run_busy_poll_for(asio::io_context& io, std::chrono::duration<Rep, Period> duration) {
    const auto end = std::chrono::steady_clock::now() + duration;
    return run_busy_poll(io, [end] { return std::chrono::steady_clock::now() >= end; });
}

// Pins the calling thread to one CPU (Linux); elsewhere reports
// errc::function_not_supported. Pair with run_busy_poll on an isolated core.
inline std::error_code pin_this_thread(int cpu) noexcept {
#if defined(__linux__)
    if (cpu < 0 || cpu >= CPU_SETSIZE) return std::make_error_code(std::errc::invalid_argument);
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(static_cast<std::size_t>(cpu), &set);
    const int rc = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    return rc == 0 ? std::error_code{} : std::error_code(rc, std::system_category());
#else
    (void)cpu;
    return std::make_error_code(std::errc::function_not_supported);
#endif
}

}  // namespace tradewire::net
