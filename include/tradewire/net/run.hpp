// Busy-poll run mode for a thread that owns a CPU core. io_context::run() sleeps in the
// kernel (epoll_wait) when nothing is ready, and the wake-up when a packet arrives costs
// more than everything else on a loopback round trip (measured on the development VM:
// about 69 us blocking against 8 us busy-polling). run_busy_poll never lets the context
// go idle: a small handler re-posts itself for as long as the loop runs, so Asio checks
// the reactor without sleeping between handlers and a handler runs as soon as its data
// is there, at the price of one core at 100%.
//
//   asio::io_context io(1);                  // concurrency hint 1: a single thread runs it
//   net::pin_this_thread(3);                 // optional: keep the spinning thread on core 3
//   std::atomic<bool> stop{false};
//   net::run_busy_poll(io, [&] { return stop.load(std::memory_order_relaxed); });
//
// Why not a loop around io_context::poll(): each poll() call sets up Asio's per-thread
// state afresh, including the cache that recycles operation memory, so memory freed in
// one poll() is not reused by the next and every operation that is not on a stream's
// own slots (a post, a timer wait) costs a malloc. Inside one run() the cache persists.
//
// The loop ends when stop() returns true (checked between handlers) or io.stop() is
// called; either way the context is stopped on return (restart() it to run it again).
// Unlike run(), it does not end when the context runs out of work.
#pragma once

#include <tradewire/net/detail/handler_memory.hpp>

#include <asio/bind_allocator.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <system_error>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace tradewire::net {

namespace detail {

// Re-posts itself until stop() says so. Its memory is a slot of its own, so it neither
// allocates per turn nor takes a block of Asio's small per-thread cache from the
// streams. The state is shared with the queued turn: a turn left queued when io.stop()
// ended the loop finds `active` false and does nothing if the context runs it later.
template <class Stop>
struct busy_poll_state {
    asio::io_context* io;
    Stop* stop;
    bool active = true;
    handler_slot slot{};
};

template <class Stop>
struct busy_poll_spinner {
    std::shared_ptr<busy_poll_state<Stop>> state;

    void operator()() {
        busy_poll_state<Stop>& s = *state;
        if (!s.active) return;
        if (static_cast<bool>((*s.stop)())) {
            s.active = false;
            s.io->stop();
            return;
        }
        asio::post(s.io->get_executor(),
                   asio::bind_allocator(slot_allocator<void>(s.slot), std::move(*this)));
    }
};

}  // namespace detail

// Runs `io`'s handlers without ever blocking in the kernel until stop() returns true or
// io.stop() is called. Returns the number of handlers run (the spinner's turns
// included). stop is any callable returning something convertible to bool; it runs on
// this thread between handlers, so keep it cheap (an atomic load).
template <class Stop>
std::size_t run_busy_poll(asio::io_context& io, Stop&& stop) {
    using stop_type = std::remove_reference_t<Stop>;
    auto state = std::make_shared<detail::busy_poll_state<stop_type>>();
    state->io = &io;
    state->stop = &stop;
    detail::busy_poll_spinner<stop_type>{state}();
    const std::size_t handlers = io.run();
    state->active = false;
    return handlers;
}

// Spins until io.stop() is called.
inline std::size_t run_busy_poll(asio::io_context& io) {
    return run_busy_poll(io, [] { return false; });
}

// Spins for `duration` (or until io.stop()).
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
