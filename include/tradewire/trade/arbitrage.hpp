// Cross-venue arbitrage, sans I/O: feed it BBO updates from several venues and it
// decides when buying on one venue and selling the same symbol on another locks in an
// edge after taker fees, sizes the trade, runs both legs through the risk engine and
// hands a decision to an execution callback (paper_executor by default, an order
// template path when live). No sockets, threads or clocks: time is the events' time.
//
// An update for (venue V, symbol S) replaces V's quote and evaluates every pair of V
// with another venue W quoting S, in ascending venue order, both ways (sell at V's bid
// and buy at W's ask, then sell at W's bid and buy at V's ask). With A the selling venue
// and B the buying venue, there is an opportunity when, exactly in decimals,
//     bid_A - ask_B  >  fee_A x bid_A + fee_B x ask_B + threshold_bps / 10000 x ask_B
// (fees are taker rates as fractions; the threshold is measured on the buy price).
// Equality is no opportunity. Quantity:
//     min(bid qty at A, ask qty at B, max_order_quantity, max_order_notional / ask_B)
// then capped by the risk engine's room: each leg's max_order_notional and worst-case
// position room (when positive; at or past a limit the check refuses it with the
// reason), and rounded down to the larger of the two lot sizes (lots are assumed to be
// powers of ten of each other, as venues list them). Both legs then go through
// risk_engine::check(); both must pass or neither goes (a live reservation of the first
// leg is released when the second is refused). Quote quantities a decision used are
// taken off the local copies of the two quotes until the venues send new ones, so one
// quote is never traded twice.
//
// Guards, in this order per update: the kill switch (tripped: no decision on this event
// or any later one; counted once per event), quotes that are not usable (non-positive
// prices, crossed own book) or not registered (add_instrument), staleness (a pair whose
// two quotes' times differ by more than max_staleness_ns is skipped), cooldown (a pair
// that traded waits cooldown_ns of event time before it trades again). A quote's time
// is its exchange time, else its receive time.
//
// Memory: add_instrument() allocates; on_bbo() never does (fixed tables sized by
// arbitrage_config::max_instruments). Not thread-safe, one strategy thread; the kill
// switch may be tripped from anywhere.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/detail/symbol_index.hpp>
#include <tradewire/core/latency.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/venue.hpp>
#include <tradewire/trade/detail/arbitrage_math.hpp>
#include <tradewire/trade/order.hpp>
#include <tradewire/trade/paper.hpp>
#include <tradewire/trade/risk.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <system_error>
#include <vector>

namespace tradewire::trade {

struct arbitrage_config {
    decimal threshold_bps;  // required edge beyond fees, in basis points of the buy price
    std::array<decimal, market::venue_count> taker_fee_rate = default_taker_fee_rates();
    decimal max_order_quantity;  // base; zero: no limit of its own (risk limits still apply)
    decimal max_order_notional;  // quote; zero: no limit of its own
    std::int64_t max_staleness_ns = 0;  // zero: no staleness guard
    std::int64_t cooldown_ns = 0;       // zero: no cooldown
    std::size_t max_instruments = 64;   // (venue, symbol) pairs
    int money_decimals = default_money_decimals;
};

enum class arbitrage_error {
    capacity_exceeded = 1,  // more instruments than arbitrage_config::max_instruments
    invalid_lot_size,       // negative lot size
};

namespace detail {
struct arbitrage_error_traits {
    static constexpr const char* name = "tradewire.trade.arbitrage";
    static const char* message(arbitrage_error e) noexcept {
        switch (e) {
            case arbitrage_error::capacity_exceeded: return "arbitrage instrument capacity exceeded";
            case arbitrage_error::invalid_lot_size: return "lot size is negative";
        }
        return "unknown arbitrage error";
    }
};
}  // namespace detail

inline const std::error_category& arbitrage_category() noexcept {
    return tradewire::detail::enum_category<arbitrage_error, detail::arbitrage_error_traits>();
}

inline std::error_code make_error_code(arbitrage_error e) noexcept { return {static_cast<int>(e), arbitrage_category()}; }

}  // namespace tradewire::trade

template <>
struct std::is_error_code_enum<tradewire::trade::arbitrage_error> : std::true_type {};

namespace tradewire::trade {

struct arbitrage_leg {
    market::venue venue{};
    decimal price;        // the quote the leg takes: the ask for the buy, the bid for the sell
    decimal quantity;     // base
    order_ticket ticket;  // the risk reservation (live risk engine only)
};

// What the strategy decided; the executor sends (or simulates) both legs.
struct arbitrage_decision {
    tradewire::symbol symbol;
    arbitrage_leg buy;
    arbitrage_leg sell;
    decimal gross;  // quote: (sell price - buy price) x quantity
    decimal fees;   // quote: expected taker fees of both legs, each rounded up to money_decimals
    decimal edge;   // quote: gross - fees
    bool dry_run = true;             // the risk engine is in dry run: simulate, never send
    market::timestamp time = 0;      // time of the update that triggered it
    std::uint64_t sequence = 0;      // 1, 2, ... per detector
};

struct arbitrage_counters {
    std::uint64_t updates = 0;        // on_bbo() calls
    std::uint64_t ignored = 0;        // unregistered instrument or unusable quote
    std::uint64_t killed = 0;         // updates seen with the kill switch tripped
    std::uint64_t stale = 0;          // pairs skipped by the staleness guard
    std::uint64_t opportunities = 0;  // pairs whose spread beat fees plus threshold
    std::uint64_t cooldown = 0;       // opportunities skipped by the cooldown
    std::uint64_t too_small = 0;      // opportunities whose size rounded to zero
    std::uint64_t risk_rejected = 0;  // opportunities refused by a risk check (either leg)
    std::uint64_t trades = 0;         // decisions passed to the executor
    // risk_rejected by risk_error value (index 0 unused).
    std::array<std::uint64_t, 32> rejected_by{};

    std::uint64_t rejected(risk_error e) const noexcept {
        const auto i = static_cast<std::size_t>(e);
        return i < rejected_by.size() ? rejected_by[i] : 0;
    }
};

template <class E>
concept arbitrage_executor = std::invocable<E&, const arbitrage_decision&>;

template <nanosecond_clock Clock = monotonic_clock>
class arbitrage_detector {
public:
    using risk_type = risk_engine<Clock>;

    arbitrage_detector(const arbitrage_config& config, risk_type& risk)
        : config_(config), risk_(risk), index_(config.max_instruments), symbols_(config.max_instruments) {
        quotes_.reserve(config.max_instruments);
        groups_.reserve(config.max_instruments);
        threshold_rate_ = config.threshold_bps * decimal::from_parts(1, -4).value;
    }

    arbitrage_detector(const arbitrage_detector&) = delete;
    arbitrage_detector& operator=(const arbitrage_detector&) = delete;

    // Registers (venue, symbol) with its lot size (quantity increment; zero: none).
    // Updates for instruments never added are ignored.
    std::error_code add_instrument(market::venue v, const symbol& s, decimal lot_size = {}) {
        if (lot_size.sign() < 0) return arbitrage_error::invalid_lot_size;
        const std::uint32_t i = index_.insert(static_cast<std::uint8_t>(v), s);
        if (i == tradewire::detail::symbol_index::npos) return arbitrage_error::capacity_exceeded;
        if (i < quotes_.size()) {
            quotes_[i].lot = lot_size;
            return {};
        }
        const std::uint32_t g = symbols_.insert(0, s);  // same capacity: never full here
        if (g == groups_.size()) groups_.emplace_back();
        quote_state& q = quotes_.emplace_back();
        q.venue = v;
        q.lot = lot_size;
        q.group = g;
        groups_[g].quote_of[venue_index(v)] = i;
        return {};
    }

    void set_taker_fee_rate(market::venue v, decimal rate) noexcept { config_.taker_fee_rate[venue_index(v)] = rate; }

    // One BBO update. Returns how many decisions went to `exec` (both legs passed risk).
    template <arbitrage_executor Exec>
    std::uint32_t on_bbo(const market::bbo& b, Exec&& exec) noexcept {
        ++counters_.updates;
        if (risk_.kill().tripped()) {
            ++counters_.killed;
            return 0;
        }
        const std::uint32_t i = index_.find(static_cast<std::uint8_t>(b.venue), b.symbol);
        if (i == tradewire::detail::symbol_index::npos) {
            ++counters_.ignored;
            return 0;
        }
        quote_state& q = quotes_[i];
        q.quote = b;
        q.time = b.exchange_time.value_or(b.receive_time);
        q.valid = b.bid_price.sign() > 0 && b.ask_price.sign() > 0 && b.bid_price < b.ask_price;
        if (!q.valid) {
            ++counters_.ignored;
            return 0;
        }
        (void)risk_.on_bbo(b);  // marks keep the loss limit current (may trip the switch)
        if (risk_.kill().tripped()) {
            ++counters_.killed;
            return 0;
        }

        std::uint32_t made = 0;
        const group_state& g = groups_[q.group];
        for (std::size_t w = 0; w < market::venue_count; ++w) {
            const std::uint32_t j = g.quote_of[w];
            if (j == npos || j == i) continue;
            quote_state& other = quotes_[j];
            if (!other.valid) continue;
            if (config_.max_staleness_ns > 0 && detail::distance(q.time, other.time) > config_.max_staleness_ns) {
                ++counters_.stale;
                continue;
            }
            made += evaluate(q, other, q.group, q.time, exec);  // sell here, buy there
            if (risk_.kill().tripped()) break;                    // tripped by the executor
            made += evaluate(other, q, q.group, q.time, exec);  // sell there, buy here
            if (risk_.kill().tripped()) break;
        }
        return made;
    }

    // Without an executor: decisions are counted and dropped (a dry evaluation).
    std::uint32_t on_bbo(const market::bbo& b) noexcept {
        return on_bbo(b, [](const arbitrage_decision&) {});
    }

    const arbitrage_counters& counters() const noexcept { return counters_; }
    const arbitrage_config& config() const noexcept { return config_; }
    risk_type& risk() noexcept { return risk_; }

    // The last quote of (venue, symbol) as the detector sees it (quantities a decision
    // used are already taken off); nullptr before the first update.
    const market::bbo* quote(market::venue v, const symbol& s) const noexcept {
        const std::uint32_t i = index_.find(static_cast<std::uint8_t>(v), s);
        if (i == tradewire::detail::symbol_index::npos || !quotes_[i].valid) return nullptr;
        return &quotes_[i].quote;
    }

private:
    static constexpr std::uint32_t npos = tradewire::detail::symbol_index::npos;
    static constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min();

    struct quote_state {
        market::bbo quote;
        market::venue venue{};
        decimal lot;
        std::uint32_t group = 0;
        market::timestamp time = 0;
        bool valid = false;
    };
    struct group_state {
        group_state() noexcept {
            quote_of.fill(npos);
            for (auto& row : last_trade) row.fill(never);
        }
        std::array<std::uint32_t, market::venue_count> quote_of;
        // [sell venue][buy venue]: event time of the pair's last trade.
        std::array<std::array<std::int64_t, market::venue_count>, market::venue_count> last_trade;
    };

    static std::size_t venue_index(market::venue v) noexcept {
        const auto i = static_cast<std::size_t>(v);
        return i < market::venue_count ? i : 0;
    }

    decimal fee_rate(market::venue v) const noexcept { return config_.taker_fee_rate[venue_index(v)]; }

    template <class Exec>
    std::uint32_t evaluate(quote_state& sell, quote_state& buy, std::uint32_t group, market::timestamp now,
                           Exec& exec) noexcept {
        const decimal bid = sell.quote.bid_price;
        const decimal ask = buy.quote.ask_price;
        if (!detail::beats(bid, ask, fee_rate(sell.venue), fee_rate(buy.venue), threshold_rate_)) return 0;
        ++counters_.opportunities;

        std::int64_t& last = groups_[group].last_trade[venue_index(sell.venue)][venue_index(buy.venue)];
        if (config_.cooldown_ns > 0 && last != never && now - last < config_.cooldown_ns) {
            ++counters_.cooldown;
            return 0;
        }

        const symbol& s = sell.quote.symbol;
        decimal qty = sell.quote.bid_quantity < buy.quote.ask_quantity ? sell.quote.bid_quantity
                                                                        : buy.quote.ask_quantity;
        const decimal lot = sell.lot > buy.lot ? sell.lot : buy.lot;
        const int decimals = lot.sign() > 0 ? lot.scale() : config_.money_decimals;
        if (config_.max_order_quantity.sign() > 0 && config_.max_order_quantity < qty) qty = config_.max_order_quantity;
        detail::cap_by_notional(qty, config_.max_order_notional, ask, decimals);
        cap_by_risk(qty, buy.venue, s, order_side::buy, ask, decimals);
        cap_by_risk(qty, sell.venue, s, order_side::sell, bid, decimals);
        if (lot.sign() > 0) {
            const decimal_result r = round_to_increment(qty, lot, rounding::floor);
            qty = r ? r.value : decimal{};
        }
        if (qty.sign() <= 0) {
            ++counters_.too_small;
            return 0;
        }

        arbitrage_decision d;
        d.symbol = s;
        d.buy = arbitrage_leg{buy.venue, ask, qty, {}};
        d.sell = arbitrage_leg{sell.venue, bid, qty, {}};
        if (!detail::expected_edge(d, fee_rate(sell.venue), fee_rate(buy.venue), config_.money_decimals)) {
            ++counters_.too_small;  // amounts beyond 18 digits: not a trade to guess at
            return 0;
        }

        const order_request buy_order = request(buy.venue, s, order_side::buy, ask, qty);
        const risk_decision rb = risk_.check(buy_order);
        if (!rb.passed()) return reject(rb);
        const order_request sell_order = request(sell.venue, s, order_side::sell, bid, qty);
        const risk_decision rs = risk_.check(sell_order);
        if (!rs.passed()) {
            if (rb.ticket.valid()) (void)risk_.on_order_done(rb.ticket);
            return reject(rs);
        }
        d.buy.ticket = rb.ticket;
        d.sell.ticket = rs.ticket;
        d.dry_run = rb.dry_run;
        d.time = now;
        d.sequence = ++sequence_;
        last = now;
        // The quantities are taken: the same quote must not back a second decision.
        sell.quote.bid_quantity -= qty;
        buy.quote.ask_quantity -= qty;
        ++counters_.trades;
        exec(static_cast<const arbitrage_decision&>(d));
        return 1;
    }

    std::uint32_t reject(const risk_decision& r) noexcept {
        ++counters_.risk_rejected;
        if (r.ec.category() == risk_category()) {
            const auto i = static_cast<std::size_t>(r.ec.value());
            if (i < counters_.rejected_by.size()) ++counters_.rejected_by[i];
        }
        return 0;
    }

    static order_request request(market::venue v, const symbol& s, order_side side, decimal price,
                                 decimal qty) noexcept {
        order_request o;
        o.venue = v;
        o.symbol = s;
        o.side = side;
        o.type = order_type::limit;
        o.tif = time_in_force::ioc;
        o.price = price;
        o.quantity = qty;
        return o;
    }

    // Caps qty to what the leg's instrument limits leave: its order notional and its
    // worst-case position room. No room (or no limits): left to check() to refuse.
    void cap_by_risk(decimal& qty, market::venue v, const symbol& s, order_side side, decimal price,
                     int decimals) const noexcept {
        const instrument_limits* lim = risk_.limits(v, s);
        if (lim == nullptr) return;
        detail::cap_by_notional(qty, lim->max_order_notional, price, decimals);
        const position* pos = risk_.find_position(v, s);
        const decimal held = pos != nullptr ? pos->quantity : decimal{};
        const decimal open = risk_.open_quantity(v, s, side);
        const decimal_result worst = side == order_side::buy ? checked_add(held, open) : checked_sub(held, open);
        if (!worst) return;
        const decimal_result room = side == order_side::buy ? checked_sub(lim->max_position, worst.value)
                                                            : checked_add(lim->max_position, worst.value);
        if (room && room.value.sign() > 0 && room.value < qty) qty = room.value;
    }

    arbitrage_config config_;
    risk_type& risk_;
    tradewire::detail::symbol_index index_;    // (venue, symbol) -> quotes_
    tradewire::detail::symbol_index symbols_;  // symbol -> groups_
    std::vector<quote_state> quotes_;
    std::vector<group_state> groups_;
    decimal threshold_rate_;
    arbitrage_counters counters_;
    std::uint64_t sequence_ = 0;
};

// Executes a decision's two legs on a paper account at the decided prices (limit IOC
// against a one-level book of the decided price and quantity) and reports the fills to
// the risk engine: to the leg's ticket when the engine is live (releasing what did not
// fill), as untracked fills in dry run, so positions and the loss limit stay current.
template <nanosecond_clock Clock = monotonic_clock>
class paper_executor {
public:
    paper_executor(paper_account& account, risk_engine<Clock>& risk) noexcept : account_(account), risk_(risk) {}

    void operator()(const arbitrage_decision& d) noexcept {
        leg(d, d.buy, order_side::buy);
        leg(d, d.sell, order_side::sell);
    }

    std::uint64_t fills() const noexcept { return fills_; }
    std::uint64_t errors() const noexcept { return errors_; }

private:
    void leg(const arbitrage_decision& d, const arbitrage_leg& l, order_side side) noexcept {
        order_request o;
        o.venue = l.venue;
        o.symbol = d.symbol;
        o.side = side;
        o.type = order_type::limit;
        o.tif = time_in_force::ioc;
        o.price = l.price;
        o.quantity = l.quantity;
        const market::book_level level{l.price, l.quantity};
        const paper_result r = account_.execute(o, market::levels_view(&level, 1), d.time, [&](const fill& f) {
            ++fills_;
            const std::error_code ec = l.ticket.valid() ? risk_.on_fill(l.ticket, f) : risk_.on_fill(f);
            if (ec) ++errors_;
        });
        if (r.ec) ++errors_;
        if (l.ticket.valid() && r.remaining.sign() > 0) (void)risk_.on_order_done(l.ticket);
    }

    paper_account& account_;
    risk_engine<Clock>& risk_;
    std::uint64_t fills_ = 0;
    std::uint64_t errors_ = 0;
};

}  // namespace tradewire::trade
