// (In tradewire::detail::feed_impl, like venue_books.hpp.)
// Paces a connection's control messages (subscribe, unsubscribe) within the venue's
// limits, so replaying many subscriptions after a reconnect does not get the connection
// cut: Binance allows 5 incoming messages per second per connection, pings and pongs
// included, so requests get 4 per second and the stream's automatic pongs the rest; OKX
// allows 480 subscribe/unsubscribe/login requests per hour per connection. Sans-I/O:
// the feed asks when the next message may leave and arms a timer.
#pragma once

#include <tradewire/exchange/exchange.hpp>
#include <tradewire/trade/rate_limiter.hpp>

#include <cstdint>

namespace tradewire::detail::feed_impl {

class control_pacer {
public:
    control_pacer() = default;

    // per_second == 0 and per_hour == 0: no pacing.
    control_pacer(unsigned per_second, unsigned per_hour) noexcept {
        if (per_second > 0) {
            second_.assign(trade::sliding_window(per_second, trade::ns_per_second));
            use_second_ = true;
        }
        if (per_hour > 0) {
            hour_.assign(trade::sliding_window(per_hour, 3600 * trade::ns_per_second));
            use_hour_ = true;
        }
    }

    // The venue's limits: requests per second leave one message a second for pongs
    // when the venue counts them (Binance); the per-hour budget as documented (OKX).
    static control_pacer for_limits(const exchange::connection_limits& l) noexcept {
        unsigned per_second = l.max_client_messages_per_second;
        if (per_second > 1) per_second -= 1;
        return control_pacer(per_second, l.max_requests_per_hour);
    }

    bool enabled() const noexcept { return use_second_ || use_hour_; }

    // The earliest time (ns, same clock as `now`) at which one message may leave.
    std::int64_t next_available(std::int64_t now) noexcept {
        std::int64_t at = now;
        if (use_second_) {
            const std::int64_t a = second_.next_available(now, 1);
            if (a > at) at = a;
        }
        if (use_hour_) {
            const std::int64_t a = hour_.next_available(now, 1);
            if (a > at) at = a;
        }
        return at;
    }

    // One message leaves at `now` (after next_available(now) == now).
    void spend(std::int64_t now) noexcept {
        if (use_second_) second_.spend(now, 1);
        if (use_hour_) hour_.spend(now, 1);
    }

    // A new connection starts with a fresh budget (the venues count per connection).
    void reset() noexcept {
        second_.reset();
        hour_.reset();
    }

private:
    trade::rate_limiter second_;
    trade::rate_limiter hour_;
    bool use_second_ = false;
    bool use_hour_ = false;
};

}  // namespace tradewire::detail::feed_impl
