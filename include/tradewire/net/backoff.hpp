// Reconnect delays: exponential backoff with jitter, as a policy of the reconnecting
// client. Exchanges rate-limit connection attempts and a venue outage makes every client
// of it reconnect at once, so the delay grows geometrically up to a cap and is spread
// randomly (jitter) so that clients do not retry in lock step.
//
//   delay(n) = min(cap, initial * factor^(n-1)) * (1 - jitter * u),  u uniform in [0, 1)
//
// for the n-th consecutive failed attempt: jitter only ever shortens the delay, so `cap`
// is a hard upper bound and delay(n) >= base(n) * (1 - jitter). After max_attempts
// consecutive failures (0 = never) the policy gives up. A connection that stayed healthy
// for `healthy_after` resets the count, so the next failure waits `initial` again.
//
// The policy is pure arithmetic on a random source: no clock, no timer, no Asio, so its
// bounds are tested exactly. Anything modelling `backoff_policy` can replace it.
#pragma once

#include <tradewire/core/random.hpp>

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>

namespace tradewire::net {

struct backoff_options {
    std::chrono::steady_clock::duration initial = std::chrono::milliseconds(500);
    double factor = 2.0;                                                      // >= 1
    std::chrono::steady_clock::duration cap = std::chrono::seconds(30);
    double jitter = 0.2;                                                      // fraction in [0, 1]
    std::uint32_t max_attempts = 0;                                           // 0: unlimited
    std::chrono::steady_clock::duration healthy_after = std::chrono::seconds(30);
};

// A backoff policy: the delay before the next attempt (nullopt: give up), a reset after
// a healthy connection, the count of consecutive failures, and how long a connection
// must live to count as healthy.
template <class B>
concept backoff_policy = requires(B& b, const B& cb) {
    { b.next_delay() } -> std::same_as<std::optional<std::chrono::steady_clock::duration>>;
    b.reset();
    { cb.attempts() } -> std::convertible_to<std::uint32_t>;
    { cb.healthy_after() } -> std::convertible_to<std::chrono::steady_clock::duration>;
};

template <random_source Random = xoshiro256ss>
class basic_exponential_backoff {
public:
    using duration = std::chrono::steady_clock::duration;

    basic_exponential_backoff() = default;
    explicit basic_exponential_backoff(const backoff_options& options, Random random = Random())
        : options_(sanitize(options)), random_(std::move(random)) {}

    [[nodiscard]] const backoff_options& options() const noexcept { return options_; }

    // Delay before the next attempt, counting one more failure; nullopt once max_attempts
    // consecutive failures have happened.
    std::optional<duration> next_delay() {
        if (options_.max_attempts != 0 && attempts_ >= options_.max_attempts) return std::nullopt;
        ++attempts_;
        const double base = base_delay_ticks(attempts_);
        const double u = static_cast<double>(random_.next() >> 11) * 0x1.0p-53;  // [0, 1)
        const double ticks = base * (1.0 - options_.jitter * u);
        return duration(static_cast<duration::rep>(std::max(0.0, ticks)));
    }

    // The base delay (before jitter) of the n-th consecutive failure, n >= 1.
    [[nodiscard]] duration base_delay(std::uint32_t n) const noexcept {
        return duration(static_cast<duration::rep>(base_delay_ticks(n)));
    }

    void reset() noexcept { attempts_ = 0; }
    [[nodiscard]] std::uint32_t attempts() const noexcept { return attempts_; }
    [[nodiscard]] duration healthy_after() const noexcept { return options_.healthy_after; }

private:
    static backoff_options sanitize(backoff_options o) noexcept {
        if (!(o.factor >= 1.0)) o.factor = 1.0;  // also catches NaN
        if (!(o.jitter >= 0.0)) o.jitter = 0.0;
        if (o.jitter > 1.0) o.jitter = 1.0;
        if (o.initial.count() < 0) o.initial = duration::zero();
        if (o.cap < o.initial) o.cap = o.initial;
        return o;
    }

    [[nodiscard]] double base_delay_ticks(std::uint32_t n) const noexcept {
        const double cap = static_cast<double>(options_.cap.count());
        double d = static_cast<double>(options_.initial.count());
        for (std::uint32_t i = 1; i < n && d < cap; ++i) d *= options_.factor;
        return std::min(d, cap);
    }

    backoff_options options_{};
    Random random_{};
    std::uint32_t attempts_ = 0;
};

using exponential_backoff = basic_exponential_backoff<>;

static_assert(backoff_policy<exponential_backoff>);

}  // namespace tradewire::net
