// kill_switch: the one flag that stops every order. Once tripped it stays tripped until
// someone calls reset(); risk_engine::check() reads it first, so the order after the
// trip is refused, whatever else is true.
//
// It trips in three ways:
//   - trip(): by hand, from any thread (an operator command, a watchdog, a signal
//     handler: the flag is a lock-free std::atomic and trip() is async-signal-safe);
//   - on_pnl(): when the net P&L it is given (realized + unrealized - fees) reaches
//     -max_loss, i.e. a loss of exactly max_loss trips it;
//   - trip(kill_reason::accounting_error): by the risk engine when it cannot account
//     for a fill, because limits computed from a wrong position protect nothing.
// The first reason is kept; later trips do not overwrite it.
//
// Threads: tripped(), reason(), trip() and reset() from any thread. set_max_loss() and
// on_pnl() from the thread that owns the risk engine (they keep plain decimals).
#pragma once

#include <tradewire/core/decimal.hpp>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tradewire::trade {

enum class kill_reason : std::uint8_t {
    none = 0,          // not tripped
    manual,            // trip() without a reason, or an operator
    loss_limit,        // on_pnl() saw a loss of max_loss or more
    accounting_error,  // a fill could not be applied to the positions
};

constexpr std::string_view to_string(kill_reason r) noexcept {
    switch (r) {
        case kill_reason::none: return "none";
        case kill_reason::manual: return "manual";
        case kill_reason::loss_limit: return "loss_limit";
        case kill_reason::accounting_error: return "accounting_error";
    }
    return "unknown";
}

class kill_switch {
    static_assert(std::atomic<std::uint8_t>::is_always_lock_free);

public:
    kill_switch() noexcept = default;
    explicit kill_switch(std::optional<decimal> max_loss) noexcept : max_loss_(max_loss) {}

    kill_switch(const kill_switch&) = delete;
    kill_switch& operator=(const kill_switch&) = delete;

    bool tripped() const noexcept { return state_.load(std::memory_order_acquire) != 0; }
    kill_reason reason() const noexcept { return static_cast<kill_reason>(state_.load(std::memory_order_acquire)); }

    // Trips the switch; true if this call tripped it (false if it already was).
    bool trip(kill_reason why = kill_reason::manual) noexcept {
        if (why == kill_reason::none) why = kill_reason::manual;
        std::uint8_t expected = 0;
        return state_.compare_exchange_strong(expected, static_cast<std::uint8_t>(why), std::memory_order_acq_rel);
    }

    // Re-arms the switch. The loss limit applies again from the next on_pnl().
    void reset() noexcept { state_.store(0, std::memory_order_release); }

    // A positive loss in quote units; nullopt (the default) disables the loss trigger.
    void set_max_loss(std::optional<decimal> max_loss) noexcept { max_loss_ = max_loss; }
    std::optional<decimal> max_loss() const noexcept { return max_loss_; }

    // Feeds the current net P&L; trips on a loss of max_loss or more. Returns tripped().
    bool on_pnl(decimal net_pnl) noexcept {
        if (max_loss_ && net_pnl <= -*max_loss_) {
            if (trip(kill_reason::loss_limit)) trip_pnl_ = net_pnl;
        }
        return tripped();
    }

    // The net P&L that tripped the loss limit (meaningful when reason() is loss_limit).
    decimal trip_pnl() const noexcept { return trip_pnl_; }

private:
    std::atomic<std::uint8_t> state_{0};
    std::optional<decimal> max_loss_;
    decimal trip_pnl_;
};

}  // namespace tradewire::trade
