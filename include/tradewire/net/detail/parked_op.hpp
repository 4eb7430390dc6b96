// A slot for one suspended composed operation. The WebSocket stream has a single write
// side shared by the caller's writes and by frames the stream sends on its own (a Pong
// answering a Ping, the Close reply, a liveness Ping); an operation that finds it busy
// parks here and is resumed (completed through its own executor) when it is its turn.
//
// Why a timer that never expires rather than storage in the stream: a parked operation
// owns the stream's internals (every operation keeps them alive), and the stream owns
// its slots, so an operation stored in the stream is a reference cycle that only
// resuming it breaks. When the program stops the io_context instead (stop(), then the
// io_context destroyed without running again), nothing would ever free either side.
// Parked on a timer, the operation is owned by the io_context like any pending I/O, and
// destroying the io_context destroys it. Parking allocates nothing of its own: the wait
// takes its memory from the operation's allocator (the stream's handler slot).
#pragma once

#include <asio/bind_allocator.hpp>
#include <asio/bind_executor.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <system_error>
#include <type_traits>
#include <utility>

namespace tradewire::net::detail {

class parked_op {
public:
    template <class Executor>
    explicit parked_op(const Executor& ex) : timer_(ex) {}
    parked_op(const parked_op&) = delete;
    parked_op& operator=(const parked_op&) = delete;

    explicit operator bool() const noexcept { return parked_; }

    // Takes the operation; the slot must be empty.
    template <class Op>
    void park(Op&& op) {
        using T = std::decay_t<Op>;
        parked_ = true;
        timer_.expires_at(asio::steady_timer::time_point::max());
        // The operation's executor and allocator carry over; its cancellation slot does
        // not: a parked operation waits for its turn, and only resume() gives it that.
        auto ex = asio::get_associated_executor(op, timer_.get_executor());
        auto alloc = asio::get_associated_allocator(op);
        timer_.async_wait(asio::bind_executor(std::move(ex), asio::bind_allocator(std::move(alloc), resumer<T>{std::forward<Op>(op)})));
    }

    // Completes the parked operation through its executor (it re-enters with no
    // arguments); the slot is empty afterwards and may take another operation before
    // the resumed one runs.
    void resume() {
        if (!parked_) return;
        parked_ = false;
        timer_.cancel();
    }

private:
    template <class Op>
    struct resumer {
        Op op;
        void operator()(std::error_code) { op(); }
    };

    asio::steady_timer timer_;
    bool parked_ = false;
};

}  // namespace tradewire::net::detail
