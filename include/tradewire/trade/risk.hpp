// Pre-trade risk checks: the last code an order passes before it may leave.
//
// risk_engine::check(order) runs, in this order, and refuses with the first that fails
// (a risk_error in category "tradewire.trade.risk", plus the limit and the value that
// broke it in the decision):
//   1. kill switch          tripped (by hand, on the loss limit, on an accounting error)
//   2. input                quantity > 0; price > 0 (a market order carries its reference price)
//   3. instrument           (venue, symbol) has registered limits: unknown pairs fail closed
//   4. order notional       price x quantity <= instrument max_order_notional (quote)
//   5. position, per venue  worst case |position + open orders on the order's side +
//                           order| <= instrument max_position (base)
//   6. position, total      the same summed over every venue trading the symbol, when a
//                           total limit is set for the symbol
//   7. open orders          venue max_open_orders, then risk_config::max_open_orders_total
//   8. venue exposure       open-order notional + position cost (|quantity| x average entry
//                           price) + this order's notional <= venue max_exposure, when set
//   9. rate limits          every venue and instrument rule has `cost` tokens now
//                           (retry_at says when it will)
// Steps 5, 6 and 8 never refuse an order that moves the worst-case position toward zero
// without crossing it (|after| < |before|, same side or flat): a bot at its limit can
// always reduce; an order that flips the position is judged on the side it ends on. Limits are inclusive: a
// value exactly at the limit passes, one unit of the last decimal over it fails.
// Exposure is valued at cost, not at the market, so a check needs no market data; sum
// exposure only across symbols with the same quote asset (or leave max_exposure unset).
//
// Dry run is the default (risk_config::dry_run = true): a passing check returns a
// decision with dry_run set and no ticket, and may_send() false; the execution layer
// must not send it. Nothing is reserved for it, but rate-limit tokens are spent, so a
// dry run meets the rate limits a live run would. Go live with set_dry_run(false).
//
// A live pass reserves the order (open-order count, open quantity, notional) under an
// order_ticket. Report what happens to it: on_fill(ticket, fill) for each execution
// (positions, realized P&L and fees update; the reservation shrinks and is released
// when filled) and on_order_done(ticket) when it is cancelled, rejected or expired.
// Fills that belong to no ticket (manual trades) go to on_fill(fill). Marks
// (on_bbo()/mark()) value positions for unrealized P&L, long at the bid and short at
// the ask. After every fill and mark the kill switch sees the net P&L (realized +
// unrealized - fees, in quote units summed over every symbol) and trips on the loss
// limit; the next check() is refused. A fill that cannot be accounted for (decimal
// overflow) trips it too.
//
// The clock is a policy (tradewire::nanosecond_clock, read once per check for the rate
// limits). Memory is allocated by the constructor and the set-up calls; check(),
// on_fill(), on_order_done() and marks never allocate. One thread uses the engine; the
// kill switch may be tripped from any thread.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/detail/symbol_index.hpp>
#include <tradewire/core/error.hpp>
#include <tradewire/core/latency.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/venue.hpp>
#include <tradewire/trade/kill_switch.hpp>
#include <tradewire/trade/order.hpp>
#include <tradewire/trade/rate_limiter.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <system_error>
#include <type_traits>
#include <vector>

namespace tradewire::trade {

enum class risk_error {
    kill_switch_tripped = 1,  // decision.kill says why
    invalid_quantity,         // zero or negative (decision.value)
    invalid_price,            // zero or negative; a market order needs its reference price
    unknown_instrument,       // no limits registered for (venue, symbol)
    order_notional_limit,     // price x quantity over max_order_notional
    position_limit,           // worst-case position on the venue over max_position
    total_position_limit,     // worst-case position across venues over the symbol's total limit
    open_orders_limit,        // the venue has max_open_orders open
    total_open_orders_limit,  // all venues together have max_open_orders_total open
    venue_exposure_limit,     // open + filled exposure on the venue over max_exposure
    rate_limited,             // a rate rule has no tokens now (decision.rule, decision.retry_at)
    arithmetic_overflow,      // an amount does not fit a decimal: refused rather than guessed
    unknown_ticket,           // a ticket that is not open (fill applied to the position anyway)
    overfill,                 // a fill larger than the order's remaining quantity (applied anyway)
    capacity_exceeded,        // more instruments than risk_config::max_instruments
    invalid_limits,           // a negative limit, or an invalid rate rule
};

namespace detail {
struct risk_error_traits {
    static constexpr const char* name = "tradewire.trade.risk";
    static const char* message(risk_error e) noexcept {
        switch (e) {
            case risk_error::kill_switch_tripped: return "kill switch tripped";
            case risk_error::invalid_quantity: return "order quantity is not positive";
            case risk_error::invalid_price: return "order price is not positive";
            case risk_error::unknown_instrument: return "no risk limits registered for this venue and symbol";
            case risk_error::order_notional_limit: return "order notional over the instrument limit";
            case risk_error::position_limit: return "position on the venue would exceed its limit";
            case risk_error::total_position_limit: return "position across venues would exceed its limit";
            case risk_error::open_orders_limit: return "too many open orders on the venue";
            case risk_error::total_open_orders_limit: return "too many open orders in total";
            case risk_error::venue_exposure_limit: return "venue exposure would exceed its limit";
            case risk_error::rate_limited: return "order rate limit reached";
            case risk_error::arithmetic_overflow: return "risk arithmetic overflow";
            case risk_error::unknown_ticket: return "no open order with this ticket";
            case risk_error::overfill: return "fill larger than the order's remaining quantity";
            case risk_error::capacity_exceeded: return "risk engine instrument capacity exceeded";
            case risk_error::invalid_limits: return "invalid risk limits";
        }
        return "unknown risk error";
    }
};
}  // namespace detail

inline const std::error_category& risk_category() noexcept {
    return tradewire::detail::enum_category<risk_error, detail::risk_error_traits>();
}

inline std::error_code make_error_code(risk_error e) noexcept { return {static_cast<int>(e), risk_category()}; }

}  // namespace tradewire::trade

template <>
struct std::is_error_code_enum<tradewire::trade::risk_error> : std::true_type {};

namespace tradewire::trade {

// Limits of one symbol on one venue.
struct instrument_limits {
    market::venue venue{};
    tradewire::symbol symbol;
    decimal max_position;        // base asset, worst case, long or short
    decimal max_order_notional;  // quote asset, price x quantity of one order
};

// Limits of one venue (one account on it).
struct venue_limits {
    market::venue venue{};
    std::uint32_t max_open_orders = 10;
    std::optional<decimal> max_exposure;  // quote asset; nullopt: no exposure limit
    rate_limits rates;
};

// The defaults every venue starts with: 10 open orders, no exposure limit, the
// venue's documented order-rate limits (rate_limiter.hpp).
constexpr venue_limits default_venue_limits(market::venue v) noexcept {
    return venue_limits{v, 10, std::nullopt, default_rate_limits(v)};
}

struct risk_config {
    bool dry_run = true;                       // see the header comment
    std::uint32_t max_open_orders_total = 50;  // across venues; sizes the open-order table
    std::size_t max_instruments = 64;          // (venue, symbol) pairs with limits
    std::optional<decimal> max_loss;           // kill switch loss limit (quote); nullopt: none.
                                               // When set, applied to a shared switch too.
    int money_decimals = default_money_decimals;
};

// Identifies a live order's reservation. Tickets are reused; the generation tells a
// stale ticket from the current holder of its slot.
struct order_ticket {
    std::uint32_t index = UINT32_MAX;
    std::uint32_t generation = 0;
    constexpr bool valid() const noexcept { return index != UINT32_MAX; }
    friend constexpr bool operator==(const order_ticket&, const order_ticket&) noexcept = default;
};

struct risk_decision {
    std::error_code ec;    // empty: passed
    bool dry_run = false;  // the engine is in dry-run mode: never send this order
    order_ticket ticket;   // live pass: report the order's fate with it
    // Refusals: the limit and the value that would have broken it (for input errors,
    // the offending input; for counts, the count as a decimal).
    decimal limit;
    decimal value;
    std::int64_t retry_at = 0;             // rate_limited: clock time at which the rule has tokens
    std::uint8_t rule = 0;                 // rate_limited: index into the venue's rate_limits
    kill_reason kill = kill_reason::none;  // kill_switch_tripped: why

    bool passed() const noexcept { return !ec; }
    bool may_send() const noexcept { return !ec && !dry_run; }
};

template <nanosecond_clock Clock = monotonic_clock>
class risk_engine {
public:
    explicit risk_engine(const risk_config& config = {}, Clock clock = Clock{})
        : risk_engine(config, nullptr, std::move(clock)) {}

    // Shares a kill switch between engines (one per thread, one switch for the bot).
    risk_engine(const risk_config& config, kill_switch& shared, Clock clock = Clock{})
        : risk_engine(config, &shared, std::move(clock)) {}

    risk_engine(const risk_engine&) = delete;
    risk_engine& operator=(const risk_engine&) = delete;

    // ------------------------------------------------------------------ set-up

    // Replaces a venue's limits (and restarts its rate counters).
    std::error_code set_venue_limits(const venue_limits& limits) {
        if (!limits.rates.valid() || (limits.max_exposure && limits.max_exposure->sign() < 0))
            return risk_error::invalid_limits;
        venue_state& vs = venues_[index_of(limits.venue)];
        vs.limits = limits;
        for (std::size_t i = 0; i < limits.rates.count; ++i) vs.rates[i].assign(limits.rates.rules[i]);
        for (instrument_state& in : instruments_) {
            if (in.limits.venue == limits.venue) assign_instrument_rates(in);
        }
        return {};
    }

    // Adds a (venue, symbol) with its limits, or replaces the limits of a known one.
    std::error_code add_instrument(const instrument_limits& limits) {
        if (limits.max_position.sign() < 0 || limits.max_order_notional.sign() < 0 || limits.symbol.empty())
            return risk_error::invalid_limits;
        const std::uint32_t i = index_.insert(static_cast<std::uint8_t>(limits.venue), limits.symbol);
        if (i == tradewire::detail::symbol_index::npos) return risk_error::capacity_exceeded;
        if (i < instruments_.size()) {
            instruments_[i].limits = limits;
            return {};
        }
        const std::uint32_t g = groups_index_.insert(0, limits.symbol);  // never full: same capacity
        if (g == groups_.size()) groups_.emplace_back();
        instrument_state& in = instruments_.emplace_back();
        in.limits = limits;
        in.group = g;
        assign_instrument_rates(in);
        return {};
    }

    // Limit on the worst-case position summed over every venue (nullopt: none). The
    // symbol must have been added on at least one venue.
    std::error_code set_total_position_limit(const symbol& s, std::optional<decimal> max_position) {
        if (max_position && max_position->sign() < 0) return risk_error::invalid_limits;
        const std::uint32_t g = groups_index_.find(0, s);
        if (g == tradewire::detail::symbol_index::npos) return risk_error::unknown_instrument;
        groups_[g].max_total = max_position;
        return {};
    }

    void set_dry_run(bool on) noexcept { dry_run_ = on; }
    bool dry_run() const noexcept { return dry_run_; }

    // ------------------------------------------------------------------ the check

    risk_decision check(const order_request& o) noexcept {
        if (kill_->tripped()) return killed();
        if (o.quantity.sign() <= 0) return refuse(risk_error::invalid_quantity, {}, o.quantity);
        if (o.price.sign() <= 0) return refuse(risk_error::invalid_price, {}, o.price);
        const std::uint32_t idx = index_.find(static_cast<std::uint8_t>(o.venue), o.symbol);
        if (idx == tradewire::detail::symbol_index::npos) return refuse(risk_error::unknown_instrument);
        instrument_state& in = instruments_[idx];
        venue_state& vs = venues_[index_of(o.venue)];
        group_state& grp = groups_[in.group];
        const bool buy = o.side == order_side::buy;

        const decimal_result notional = checked_mul(o.price, o.quantity);
        if (!notional) return refuse(risk_error::arithmetic_overflow);
        if (notional.value > in.limits.max_order_notional)
            return refuse(risk_error::order_notional_limit, in.limits.max_order_notional, notional.value);

        // Worst case on the order's side: everything open on that side fills, then this.
        const decimal signed_qty = buy ? o.quantity : -o.quantity;
        const decimal_result before = checked_add(in.pos.quantity, buy ? in.open_buy : -in.open_sell);
        const decimal_result after = before ? checked_add(before.value, signed_qty) : before;
        if (!after) return refuse(risk_error::arithmetic_overflow);
        const bool reducing = toward_flat(before.value, after.value);
        if (!reducing && abs(after.value) > in.limits.max_position)
            return refuse(risk_error::position_limit, in.limits.max_position, after.value);

        if (grp.max_total) {
            const decimal_result g_before = checked_add(grp.position, buy ? grp.open_buy : -grp.open_sell);
            const decimal_result g_after = g_before ? checked_add(g_before.value, signed_qty) : g_before;
            if (!g_after) return refuse(risk_error::arithmetic_overflow);
            if (!toward_flat(g_before.value, g_after.value) && abs(g_after.value) > *grp.max_total)
                return refuse(risk_error::total_position_limit, *grp.max_total, g_after.value);
        }

        if (vs.open_orders >= vs.limits.max_open_orders)
            return refuse(risk_error::open_orders_limit, decimal(vs.limits.max_open_orders), decimal(vs.open_orders + 1));
        if (open_total_ >= config_.max_open_orders_total)
            return refuse(risk_error::total_open_orders_limit, decimal(config_.max_open_orders_total),
                          decimal(open_total_ + 1));

        if (vs.limits.max_exposure && !reducing) {
            const decimal_result held = checked_add(vs.open_notional, vs.position_cost);
            const decimal_result exposure = held ? checked_add(held.value, notional.value) : held;
            if (!exposure) return refuse(risk_error::arithmetic_overflow);
            if (exposure.value > *vs.limits.max_exposure)
                return refuse(risk_error::venue_exposure_limit, *vs.limits.max_exposure, exposure.value);
        }

        // A live pass reserves: the new totals are computed before anything is committed.
        decimal_result side_open{};
        decimal_result group_open{};
        decimal_result venue_notional{};
        if (!dry_run_) {
            side_open = checked_add(buy ? in.open_buy : in.open_sell, o.quantity);
            group_open = checked_add(buy ? grp.open_buy : grp.open_sell, o.quantity);
            venue_notional = checked_add(vs.open_notional, notional.value);
            if (!side_open || !group_open || !venue_notional) return refuse(risk_error::arithmetic_overflow);
        }

        const std::int64_t now = clock_.now();
        const std::size_t rules = vs.limits.rates.count;
        for (std::size_t r = 0; r < rules; ++r) {
            const rate_rule& rule = vs.limits.rates.rules[r];
            rate_limiter& lim = rule.scope == rate_scope::venue ? vs.rates[r] : in.rates[r];
            const std::int64_t at = lim.next_available(now, rule.cost);
            if (at != now) {
                risk_decision d = refuse(risk_error::rate_limited, decimal(rule.limit), decimal(rule.cost));
                d.retry_at = at;
                d.rule = static_cast<std::uint8_t>(r);
                return d;
            }
        }
        // Again, as late as possible: a trip from another thread during the checks wins.
        if (kill_->tripped()) return killed();

        for (std::size_t r = 0; r < rules; ++r) {
            const rate_rule& rule = vs.limits.rates.rules[r];
            (rule.scope == rate_scope::venue ? vs.rates[r] : in.rates[r]).spend(now, rule.cost);
        }
        risk_decision d;
        d.dry_run = dry_run_;
        if (dry_run_) return d;

        // open_total_ < max_open_orders_total == orders_.size(), so a slot is free.
        const std::uint32_t slot = free_.back();
        free_.pop_back();
        open_order& rec = orders_[slot];
        rec.live = true;
        rec.instrument = idx;
        rec.side = o.side;
        rec.price = o.price;
        rec.remaining = o.quantity;
        rec.notional = notional.value;
        (buy ? in.open_buy : in.open_sell) = side_open.value;
        (buy ? grp.open_buy : grp.open_sell) = group_open.value;
        vs.open_notional = venue_notional.value;
        ++vs.open_orders;
        ++open_total_;
        d.ticket = order_ticket{slot, rec.generation};
        return d;
    }

    // ------------------------------------------------------------------ order events

    // An execution of a live order. The fill always reaches the position (it happened);
    // unknown_ticket / overfill report a reservation that did not match it.
    std::error_code on_fill(order_ticket t, const fill& f) noexcept {
        open_order* rec = find_order(t);
        if (rec == nullptr) {
            const std::error_code ec = on_fill(f);
            return ec ? ec : make_error_code(risk_error::unknown_ticket);
        }
        instrument_state& in = instruments_[rec->instrument];
        if (in.limits.venue != f.venue || !(in.limits.symbol == f.symbol) || rec->side != f.side) {
            const std::error_code ec = on_fill(f);
            return ec ? ec : make_error_code(risk_error::unknown_ticket);
        }
        const std::error_code ec = apply(in, f);
        const bool over = f.quantity > rec->remaining;
        const decimal filled = over ? rec->remaining : f.quantity;
        if (over || filled == rec->remaining) {
            release(t.index);
        } else {
            decimal freed = rec->price * filled;  // exact: at most the reserved notional
            if (freed > rec->notional) freed = rec->notional;
            rec->remaining -= filled;
            rec->notional -= freed;
            unreserve(in, rec->side, filled, freed);
        }
        if (ec) return ec;
        return over ? make_error_code(risk_error::overfill) : std::error_code{};
    }

    // An execution that belongs to no ticket (manual trade, order from elsewhere).
    std::error_code on_fill(const fill& f) noexcept {
        const std::uint32_t idx = index_.find(static_cast<std::uint8_t>(f.venue), f.symbol);
        if (idx == tradewire::detail::symbol_index::npos) return risk_error::unknown_instrument;
        return apply(instruments_[idx], f);
    }

    // The order is finished without (further) fills: cancelled, rejected, expired.
    std::error_code on_order_done(order_ticket t) noexcept {
        if (find_order(t) == nullptr) return risk_error::unknown_ticket;
        release(t.index);
        return {};
    }

    // ------------------------------------------------------------------ marks

    std::error_code mark(market::venue v, const symbol& s, decimal bid, decimal ask) noexcept {
        const std::uint32_t idx = index_.find(static_cast<std::uint8_t>(v), s);
        if (idx == tradewire::detail::symbol_index::npos) return risk_error::unknown_instrument;
        // An empty side is no price: marking a long at a zero bid would fake a total loss.
        if (bid.sign() <= 0 || ask.sign() <= 0) return risk_error::invalid_price;
        instrument_state& in = instruments_[idx];
        in.bid = bid;
        in.ask = ask;
        in.marked = true;
        if (!revalue(in)) return risk_error::arithmetic_overflow;
        kill_->on_pnl(net_);
        return {};
    }

    std::error_code on_bbo(const market::bbo& b) noexcept { return mark(b.venue, b.symbol, b.bid_price, b.ask_price); }

    // ------------------------------------------------------------------ state

    kill_switch& kill() noexcept { return *kill_; }
    const kill_switch& kill() const noexcept { return *kill_; }
    Clock& clock() noexcept { return clock_; }
    const risk_config& config() const noexcept { return config_; }

    const venue_limits& limits(market::venue v) const noexcept { return venues_[index_of(v)].limits; }
    const instrument_limits* limits(market::venue v, const symbol& s) const noexcept {
        const instrument_state* in = find(v, s);
        return in ? &in->limits : nullptr;
    }
    const position* find_position(market::venue v, const symbol& s) const noexcept {
        const instrument_state* in = find(v, s);
        return in ? &in->pos : nullptr;
    }
    // Remaining quantity of live orders on one side.
    decimal open_quantity(market::venue v, const symbol& s, order_side side) const noexcept {
        const instrument_state* in = find(v, s);
        return in == nullptr ? decimal{} : (side == order_side::buy ? in->open_buy : in->open_sell);
    }
    std::uint32_t open_orders(market::venue v) const noexcept { return venues_[index_of(v)].open_orders; }
    std::uint32_t open_orders() const noexcept { return open_total_; }
    // Open-order notional + position cost on the venue (quote).
    decimal exposure(market::venue v) const noexcept {
        const venue_state& vs = venues_[index_of(v)];
        return vs.open_notional + vs.position_cost;
    }
    pnl_summary pnl() const noexcept { return {realized_, unrealized_, fees_, net_}; }

private:
    struct instrument_state {
        instrument_limits limits;
        std::uint32_t group = 0;
        position pos;
        decimal open_buy;
        decimal open_sell;
        decimal bid;
        decimal ask;
        bool marked = false;
        decimal unrealized;
        std::vector<rate_limiter> rates;  // instrument-scope rules, by rule index
    };
    struct group_state {
        std::optional<decimal> max_total;
        decimal position;
        decimal open_buy;
        decimal open_sell;
    };
    struct venue_state {
        venue_limits limits;
        std::array<rate_limiter, rate_limits::max_rules> rates;  // venue-scope rules, by rule index
        std::uint32_t open_orders = 0;
        decimal open_notional;
        decimal position_cost;  // sum of |cost| over the venue's positions
    };
    struct open_order {
        std::uint32_t generation = 0;
        bool live = false;
        std::uint32_t instrument = 0;
        order_side side = order_side::buy;
        decimal price;
        decimal remaining;
        decimal notional;  // still reserved
    };

    risk_engine(const risk_config& config, kill_switch* shared, Clock clock)
        : config_(config),
          clock_(std::move(clock)),
          index_(config.max_instruments),
          groups_index_(config.max_instruments),
          dry_run_(config.dry_run) {
        kill_ = shared != nullptr ? shared : &own_kill_;
        if (config_.max_loss) kill_->set_max_loss(config_.max_loss);
        instruments_.reserve(config.max_instruments);
        groups_.reserve(config.max_instruments);
        orders_.resize(config.max_open_orders_total);
        free_.reserve(config.max_open_orders_total);
        for (std::uint32_t i = config.max_open_orders_total; i > 0; --i) free_.push_back(i - 1);
        for (std::size_t v = 0; v < market::venue_count; ++v) {
            (void)set_venue_limits(default_venue_limits(static_cast<market::venue>(v)));
        }
    }

    // Smaller in size without crossing to the other side: the order only reduces risk.
    static bool toward_flat(decimal before, decimal after) noexcept {
        return abs(after) < abs(before) && (after.is_zero() || after.sign() == before.sign());
    }

    static std::size_t index_of(market::venue v) noexcept {
        const auto i = static_cast<std::size_t>(v);
        return i < market::venue_count ? i : 0;
    }

    // Set-up only (may allocate): limiters for the venue's instrument-scope rules.
    void assign_instrument_rates(instrument_state& in) {
        const rate_limits& rl = venues_[index_of(in.limits.venue)].limits.rates;
        bool any = false;
        for (std::size_t r = 0; r < rl.count; ++r) any = any || rl.rules[r].scope == rate_scope::instrument;
        in.rates.clear();
        if (!any) return;
        in.rates.resize(rl.count);
        for (std::size_t r = 0; r < rl.count; ++r) {
            if (rl.rules[r].scope == rate_scope::instrument) in.rates[r].assign(rl.rules[r]);
        }
    }

    const instrument_state* find(market::venue v, const symbol& s) const noexcept {
        const std::uint32_t idx = index_.find(static_cast<std::uint8_t>(v), s);
        return idx == tradewire::detail::symbol_index::npos ? nullptr : &instruments_[idx];
    }

    open_order* find_order(order_ticket t) noexcept {
        if (t.index >= orders_.size()) return nullptr;
        open_order& rec = orders_[t.index];
        return rec.live && rec.generation == t.generation ? &rec : nullptr;
    }

    risk_decision refuse(risk_error e, decimal limit = {}, decimal value = {}) const noexcept {
        risk_decision d;
        d.ec = e;
        d.dry_run = dry_run_;
        d.limit = limit;
        d.value = value;
        return d;
    }
    risk_decision killed() const noexcept {
        risk_decision d = refuse(risk_error::kill_switch_tripped);
        d.kill = kill_->reason();
        if (d.kill == kill_reason::loss_limit) {
            d.value = kill_->trip_pnl();
            if (kill_->max_loss()) d.limit = *kill_->max_loss();
        }
        return d;
    }

    void unreserve(instrument_state& in, order_side side, decimal quantity, decimal notional) noexcept {
        const bool buy = side == order_side::buy;
        (buy ? in.open_buy : in.open_sell) -= quantity;
        group_state& g = groups_[in.group];
        (buy ? g.open_buy : g.open_sell) -= quantity;
        venues_[index_of(in.limits.venue)].open_notional -= notional;
    }

    void release(std::uint32_t slot) noexcept {
        open_order& rec = orders_[slot];
        instrument_state& in = instruments_[rec.instrument];
        unreserve(in, rec.side, rec.remaining, rec.notional);
        venue_state& vs = venues_[index_of(in.limits.venue)];
        --vs.open_orders;
        --open_total_;
        rec.live = false;
        ++rec.generation;
        free_.push_back(slot);  // within the reserved capacity
    }

    // Applies a fill to an instrument's position and every total derived from it. On
    // failure the position is unchanged and the kill switch trips: the engine no longer
    // knows the position, so no limit it computes can be trusted.
    std::error_code apply(instrument_state& in, const fill& f) noexcept {
        const position old = in.pos;
        if (const std::error_code ec = apply_fill(in.pos, f, config_.money_decimals)) {
            if (ec == position_error::overflow) {
                kill_->trip(kill_reason::accounting_error);
                return risk_error::arithmetic_overflow;
            }
            return ec;
        }
        venue_state& vs = venues_[index_of(in.limits.venue)];
        group_state& g = groups_[in.group];
        const bool ok = accumulate(vs.position_cost, abs(in.pos.cost) - abs(old.cost)) &&
                        accumulate(g.position, in.pos.quantity - old.quantity) &&
                        accumulate(realized_, in.pos.realized_pnl - old.realized_pnl) &&
                        accumulate(fees_, in.pos.fees - old.fees) && revalue(in);
        if (!ok) {
            kill_->trip(kill_reason::accounting_error);
            return risk_error::arithmetic_overflow;
        }
        kill_->on_pnl(net_);
        return {};
    }

    // Unrealized P&L of an instrument at its mark, and the totals.
    bool revalue(instrument_state& in) noexcept {
        decimal u;
        if (in.marked) {
            const decimal_result r = in.pos.unrealized_pnl(in.bid, in.ask, config_.money_decimals);
            if (!r) return false;
            u = r.value;
        }
        if (!accumulate(unrealized_, u - in.unrealized)) return false;
        in.unrealized = u;
        const decimal_result gross = checked_add(realized_, unrealized_);
        const decimal_result net = gross ? checked_sub(gross.value, fees_) : gross;
        if (!net) return false;
        net_ = net.value;
        return true;
    }

    static bool accumulate(decimal& total, decimal delta) noexcept {
        const decimal_result r = checked_add(total, delta);
        if (!r) return false;
        total = r.value;
        return true;
    }

    risk_config config_;
    Clock clock_;
    kill_switch own_kill_;
    kill_switch* kill_ = nullptr;
    tradewire::detail::symbol_index index_;         // (venue, symbol) -> instruments_
    tradewire::detail::symbol_index groups_index_;  // symbol -> groups_
    std::vector<instrument_state> instruments_;
    std::vector<group_state> groups_;
    std::array<venue_state, market::venue_count> venues_{};
    std::vector<open_order> orders_;
    std::vector<std::uint32_t> free_;
    std::uint32_t open_total_ = 0;
    bool dry_run_ = true;
    decimal realized_;
    decimal unrealized_;
    decimal fees_;
    decimal net_;
};

}  // namespace tradewire::trade
