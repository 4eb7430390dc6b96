// Order-rate limits per venue, as the venues document them, and the limiter that keeps
// a bot under them. Sans-I/O: every call takes the current time in nanoseconds (the
// risk engine reads its clock policy once per check), so tests drive time by hand.
//
// Two kinds of rule, because venues count in two ways:
//   sliding_window(N, W)  at most N tokens in any window of length W. Each spent token
//                         comes back exactly W after it was spent, so a quiet bot can
//                         burst all N at once and the count inside any W-long interval
//                         (aligned to the venue's clock or not) never exceeds N. A plain
//                         token bucket with capacity N and refill N/W would let 2N
//                         through in some W-long interval (a full bucket plus a window
//                         of refill) and earn 429s and bans.
//                         Exact for N <= rate_limiter::exact_limit (64); above that,
//                         spends less than W/63 after the first spend of a group join
//                         it, and the group's tokens come back W after its last spend:
//                         late by less than W/63 (23 minutes of a day), never early.
//                         Fixed memory either way, no division per spend.
//   token_bucket(C, T)    a bucket of C tokens, one token back every T (GCRA). For venues
//                         whose counter decays continuously (Kraken: cap 60, -1 per s).
//
// A rule applies per venue (all orders on the venue's account) or per instrument (OKX
// counts 60 orders per 2 s per instrument). An order spends `cost` tokens (the request
// weight; 1 for an order on every documented venue).
//
// Defaults (default_rate_limits(), REFERENCE.md sections in brackets):
//   binance   50 per 10 s, 160000 per 24 h (ORDERS), 6000 per 60 s (REQUEST_WEIGHT, an
//             order costing 1; the weight budget is shared with other requests on the
//             connection's IP, so lower it if the bot makes many) [1.5]
//   okx       60 per 2 s per instrument (shared with REST), 1000 per 2 s per account
//             (sub-account new + amend) [3.6]
//   bybit     10 per s: the X-Bapi-Limit the reference shows on an order.create response
//             [2.6]; Bybit's rate-limit page gives 20/s per UID for spot at the default
//             tier, so 10 is conservative
//   kraken    token bucket of 60 per pair, one back per second (Starter tier) [5.3]
//   coinbase, gate, htx, mexc: no order-rate limit in the reference; tradewire uses a
//             conservative 5 per second per venue. Configure the real one.
// Time must not run backwards; if it does, tokens come back late, never early.
#pragma once

#include <tradewire/market/venue.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace tradewire::trade {

inline constexpr std::int64_t ns_per_second = 1'000'000'000;

enum class rate_kind : std::uint8_t { sliding_window, token_bucket };
enum class rate_scope : std::uint8_t { venue, instrument };

struct rate_rule {
    rate_kind kind = rate_kind::sliding_window;
    rate_scope scope = rate_scope::venue;
    std::uint32_t limit = 0;     // sliding_window: tokens per window; token_bucket: capacity
    std::int64_t period_ns = 0;  // sliding_window: the window; token_bucket: time to regain one token
    std::uint32_t cost = 1;      // tokens one order spends

    // limit, period and cost positive, cost within the limit.
    constexpr bool valid() const noexcept { return limit > 0 && period_ns > 0 && cost > 0 && cost <= limit; }
};

constexpr rate_rule sliding_window(std::uint32_t limit, std::int64_t window_ns, rate_scope scope = rate_scope::venue,
                                   std::uint32_t cost = 1) noexcept {
    return {rate_kind::sliding_window, scope, limit, window_ns, cost};
}

constexpr rate_rule token_bucket(std::uint32_t capacity, std::int64_t refill_interval_ns,
                                 rate_scope scope = rate_scope::venue, std::uint32_t cost = 1) noexcept {
    return {rate_kind::token_bucket, scope, capacity, refill_interval_ns, cost};
}

// Up to max_rules rules; an order must pass all of them.
struct rate_limits {
    static constexpr std::size_t max_rules = 4;

    std::array<rate_rule, max_rules> rules{};
    std::size_t count = 0;

    // False (and nothing added) when all max_rules are used.
    constexpr bool add(const rate_rule& r) noexcept {
        if (count >= max_rules) return false;
        rules[count++] = r;
        return true;
    }
    constexpr std::span<const rate_rule> view() const noexcept { return {rules.data(), count}; }
    constexpr bool valid() const noexcept {
        return std::all_of(rules.begin(), rules.begin() + static_cast<std::ptrdiff_t>(count),
                           [](const rate_rule& r) { return r.valid(); });
    }
};

constexpr rate_limits default_rate_limits(market::venue v) noexcept {
    rate_limits l;
    switch (v) {
        case market::venue::binance:
            l.add(sliding_window(50, 10 * ns_per_second));
            l.add(sliding_window(160'000, 86'400 * ns_per_second));
            l.add(sliding_window(6'000, 60 * ns_per_second));
            break;
        case market::venue::okx:
            l.add(sliding_window(60, 2 * ns_per_second, rate_scope::instrument));
            l.add(sliding_window(1'000, 2 * ns_per_second));
            break;
        case market::venue::bybit: l.add(sliding_window(10, ns_per_second)); break;
        case market::venue::kraken: l.add(token_bucket(60, ns_per_second, rate_scope::instrument)); break;
        case market::venue::coinbase:
        case market::venue::gate:
        case market::venue::htx:
        case market::venue::mexc: l.add(sliding_window(5, ns_per_second)); break;
    }
    return l;
}

// The state of one rule. Fixed size (about 1 KiB), no allocation, not thread-safe.
class rate_limiter {
public:
    static constexpr std::size_t exact_limit = 64;
    static constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();

    rate_limiter() noexcept = default;  // no rule: refuses everything (limit 0)
    explicit rate_limiter(const rate_rule& rule) noexcept { assign(rule); }

    void assign(const rate_rule& rule) noexcept {
        rule_ = rule;
        if (rule_.period_ns < 1) rule_.period_ns = 1;
        quantum_ = rule_.limit <= exact_limit ? 1 : (rule_.period_ns + slots - 2) / (slots - 1);
        reset();
    }
    const rate_rule& rule() const noexcept { return rule_; }

    // Forgets every spend: all tokens available.
    void reset() noexcept {
        head_ = 0;
        size_ = 0;
        in_use_ = 0;
        full_at_ = std::numeric_limits<std::int64_t>::min();
    }

    // The earliest time, at or after `now`, at which `cost` tokens are available: `now`
    // itself when they are; `never` when cost exceeds the limit.
    std::int64_t next_available(std::int64_t now, std::uint32_t cost) noexcept {
        if (cost > rule_.limit) return never;
        if (rule_.kind == rate_kind::token_bucket) {
            // Available once max(full_at, t) + cost*T - t <= limit*T.
            if (full_at_ <= now) return now;
            const std::int64_t deficit = mul_sat(static_cast<std::int64_t>(rule_.limit - cost), rule_.period_ns);
            const std::int64_t at = full_at_ - deficit;  // full_at_ > now >= min, deficit >= 0: no overflow
            return at > now ? at : now;
        }
        expire(now);
        if (in_use_ + cost <= rule_.limit) return now;
        const std::uint64_t need = in_use_ + cost - rule_.limit;
        std::uint64_t freed = 0;
        for (std::uint32_t i = 0; i < size_; ++i) {
            const entry& e = ring_[(head_ + i) % slots];
            freed += e.count;
            if (freed >= need) return std::max(e.returns_at, now);
        }
        return never;
    }

    // Spends `cost` tokens at `now`; call after next_available(now, cost) == now.
    void spend(std::int64_t now, std::uint32_t cost) noexcept {
        if (rule_.kind == rate_kind::token_bucket) {
            full_at_ = add_sat(std::max(full_at_, now), mul_sat(static_cast<std::int64_t>(cost), rule_.period_ns));
            return;
        }
        in_use_ += cost;
        const std::int64_t returns_at = add_sat(now, rule_.period_ns);
        // Joins the newest group while `now` is inside it. Groups start at a spend and
        // last one quantum, so the live ones (last spend within the window) start at
        // least a quantum apart: at most ceil(W / quantum) + 1 <= slots of them.
        if (size_ > 0 && (now < group_end_ || size_ == slots)) {
            entry& last = ring_[(head_ + size_ - 1) % slots];
            last.count += cost;
            last.returns_at = std::max(last.returns_at, returns_at);
            return;
        }
        ring_[(head_ + size_) % slots] = entry{returns_at, cost};
        ++size_;
        group_end_ = add_sat(now, quantum_);
    }

    // next_available(now, cost) == now, then spend(now, cost).
    bool try_acquire(std::int64_t now, std::uint32_t cost = 1) noexcept {
        if (next_available(now, cost) != now) return false;
        spend(now, cost);
        return true;
    }

    // Tokens that could be spent at `now`.
    std::uint32_t available(std::int64_t now) noexcept {
        if (rule_.kind == rate_kind::token_bucket) {
            if (full_at_ <= now) return rule_.limit;
            const std::int64_t owed = (full_at_ - now + rule_.period_ns - 1) / rule_.period_ns;
            return owed >= rule_.limit ? 0 : rule_.limit - static_cast<std::uint32_t>(owed);
        }
        expire(now);
        return in_use_ >= rule_.limit ? 0 : rule_.limit - static_cast<std::uint32_t>(in_use_);
    }

private:
    static constexpr std::uint32_t slots = exact_limit;

    struct entry {
        std::int64_t returns_at = 0;
        std::uint32_t count = 0;
    };

    static constexpr std::int64_t add_sat(std::int64_t a, std::int64_t b) noexcept {
        std::int64_t r = 0;
        return __builtin_add_overflow(a, b, &r) ? (b > 0 ? never : std::numeric_limits<std::int64_t>::min()) : r;
    }
    static constexpr std::int64_t mul_sat(std::int64_t a, std::int64_t b) noexcept {
        std::int64_t r = 0;
        return __builtin_mul_overflow(a, b, &r) ? never : r;  // both operands are >= 0
    }
    void expire(std::int64_t now) noexcept {
        while (size_ > 0 && ring_[head_].returns_at <= now) {
            in_use_ -= ring_[head_].count;
            head_ = (head_ + 1) % slots;
            --size_;
        }
    }

    rate_rule rule_{};
    std::int64_t quantum_ = 1;
    // sliding_window: spends not yet returned, oldest first.
    std::array<entry, slots> ring_{};
    std::uint32_t head_ = 0;
    std::uint32_t size_ = 0;
    std::uint64_t in_use_ = 0;
    std::int64_t group_end_ = 0;  // the newest group takes spends before this time
    // token_bucket: when the bucket is (theoretically) full again.
    std::int64_t full_at_ = std::numeric_limits<std::int64_t>::min();
};

}  // namespace tradewire::trade
