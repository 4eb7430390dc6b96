// Paper execution: fills an order against the venue's current book instead of sending
// it, and keeps the positions, P&L and fees that live trading would have produced.
//
// An order takes liquidity only; nothing rests:
//   market             walks the opposite side best first until filled or the side
//                      runs out (its price is ignored)
//   limit gtc / ioc    walks while the level price is at or better than the limit; the
//                      rest is reported as `remaining` and is not rested (a GTC order is
//                      simulated as its taker part only)
//   fok                fills completely (within the limit, for a limit order) or not at all
//   post_only          refused (paper_error::unsupported_order): it would only rest
// Each book level touched is one fill (price, quantity, fee, liquidity::taker, venue
// time), passed to the caller's callback as it happens, so the caller can forward it to
// risk_engine::on_fill(). The book is not modified: the next order sees the same
// liquidity until the feed updates the book.
//
// Fees are the venue's taker rate (a fraction: 0.001 = 0.1 % = fee_rate_bps(10)) times
// the fill's exact value, rounded up to money_decimals (a simulation should never
// understate costs), charged in the quote asset. Default rates (paper_config) are
// tradewire's defaults, not a statement of any account's tier: Binance 0.10 % (base spot
// tier), Bybit 0.10 %, OKX 0.10 %, MEXC 0.10 %, Gate 0.20 %, HTX 0.20 %, Kraken 0.40 %,
// Coinbase 0.60 %. Set your own with set_taker_fee_rate().
//
// Positions are per (venue, symbol) with the arithmetic of trade/order.hpp (exact
// quantities; money rounded half-even to money_decimals per fill; average entry price;
// realized P&L on reducing fills). Unrealized P&L marks a long at the bid and a short at
// the ask of the last mark() / BBO; totals per venue and overall add quote amounts as
// they are (meaningful when the symbols share a quote asset).
//
// No allocation after construction; an instrument's slot is taken on its first order or
// mark, up to paper_config::max_instruments. Not thread-safe.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/detail/symbol_index.hpp>
#include <tradewire/core/error.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/order_book.hpp>
#include <tradewire/market/venue.hpp>
#include <tradewire/trade/order.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <system_error>
#include <type_traits>
#include <vector>

namespace tradewire::trade {

enum class paper_error {
    invalid_quantity = 1,  // zero or negative
    invalid_price,         // a limit order without a positive price
    unsupported_order,     // post_only: paper execution never rests an order
    arithmetic_overflow,   // a fill value or position does not fit a decimal (fills so far stand)
    too_many_instruments,  // more (venue, symbol) pairs than paper_config::max_instruments
};

namespace detail {
struct paper_error_traits {
    static constexpr const char* name = "tradewire.trade.paper";
    static const char* message(paper_error e) noexcept {
        switch (e) {
            case paper_error::invalid_quantity: return "order quantity is not positive";
            case paper_error::invalid_price: return "limit price is not positive";
            case paper_error::unsupported_order: return "paper execution does not rest orders (post_only)";
            case paper_error::arithmetic_overflow: return "paper execution arithmetic overflow";
            case paper_error::too_many_instruments: return "paper account instrument capacity exceeded";
        }
        return "unknown paper error";
    }
};
}  // namespace detail

inline const std::error_category& paper_category() noexcept {
    return tradewire::detail::enum_category<paper_error, detail::paper_error_traits>();
}

inline std::error_code make_error_code(paper_error e) noexcept { return {static_cast<int>(e), paper_category()}; }

}  // namespace tradewire::trade

template <>
struct std::is_error_code_enum<tradewire::trade::paper_error> : std::true_type {};

namespace tradewire::trade {

// A fee rate from basis points: fee_rate_bps(10) == 0.001 (0.1 %).
constexpr decimal fee_rate_bps(std::int32_t bps) noexcept { return decimal::from_parts(bps, -4).value; }

constexpr std::array<decimal, market::venue_count> default_taker_fee_rates() noexcept {
    std::array<decimal, market::venue_count> r{};
    r[static_cast<std::size_t>(market::venue::binance)] = fee_rate_bps(10);
    r[static_cast<std::size_t>(market::venue::bybit)] = fee_rate_bps(10);
    r[static_cast<std::size_t>(market::venue::okx)] = fee_rate_bps(10);
    r[static_cast<std::size_t>(market::venue::coinbase)] = fee_rate_bps(60);
    r[static_cast<std::size_t>(market::venue::kraken)] = fee_rate_bps(40);
    r[static_cast<std::size_t>(market::venue::gate)] = fee_rate_bps(20);
    r[static_cast<std::size_t>(market::venue::htx)] = fee_rate_bps(20);
    r[static_cast<std::size_t>(market::venue::mexc)] = fee_rate_bps(10);
    return r;
}

struct paper_config {
    int money_decimals = default_money_decimals;
    std::size_t max_instruments = 64;
    std::array<decimal, market::venue_count> taker_fee_rate = default_taker_fee_rates();
};

// The outcome of one order.
struct paper_result {
    std::error_code ec;
    decimal filled;     // base
    decimal remaining;  // base, not filled and not rested
    decimal notional;   // quote, sum of the fills' values
    decimal fees;       // quote
    std::uint32_t fills = 0;

    // notional / filled rounded half-even; 0 when nothing filled.
    decimal_result average_price(int decimals) const noexcept {
        if (filled.is_zero()) return {};
        return divide(notional, filled, decimals, rounding::half_even);
    }
};

template <class F>
concept fill_callback = std::invocable<F&, const fill&>;

class paper_account {
public:
    explicit paper_account(const paper_config& config = {}) : config_(config), index_(config.max_instruments) {
        instruments_.reserve(config.max_instruments);
    }

    void set_taker_fee_rate(market::venue v, decimal rate) noexcept { config_.taker_fee_rate[venue_index(v)] = rate; }
    decimal taker_fee_rate(market::venue v) const noexcept { return config_.taker_fee_rate[venue_index(v)]; }
    const paper_config& config() const noexcept { return config_; }

    // ------------------------------------------------------------------ execution

    // Against one side of a book, best level first: the asks for a buy, the bids for a
    // sell (market::order_book::asks() / bids(), or top(n) of them).
    template <fill_callback OnFill>
    paper_result execute(const order_request& o, market::levels_view opposite, market::timestamp venue_time,
                         OnFill&& on_fill) noexcept {
        paper_result res;
        res.remaining = o.quantity;
        if (o.quantity.sign() <= 0) return fail(res, paper_error::invalid_quantity);
        const bool market_order = o.type == order_type::market;
        if (!market_order && o.price.sign() <= 0) return fail(res, paper_error::invalid_price);
        if (!market_order && o.tif == time_in_force::post_only) return fail(res, paper_error::unsupported_order);
        instrument* in = slot(o.venue, o.symbol);
        if (in == nullptr) return fail(res, paper_error::too_many_instruments);
        const bool buy = o.side == order_side::buy;
        const auto acceptable = [&](const decimal& level_price) {
            return market_order || (buy ? level_price <= o.price : level_price >= o.price);
        };

        if (o.tif == time_in_force::fok) {
            decimal available;
            for (const market::book_level& l : opposite) {
                if (!acceptable(l.price)) break;
                if (l.quantity.sign() <= 0) continue;
                const decimal_result sum = checked_add(available, l.quantity);
                if (!sum) return fail(res, paper_error::arithmetic_overflow);
                available = sum.value;
                if (available >= o.quantity) break;
            }
            if (available < o.quantity) return res;  // killed: nothing filled
        }

        const decimal rate = taker_fee_rate(o.venue);
        for (const market::book_level& l : opposite) {
            if (res.remaining.is_zero() || !acceptable(l.price)) break;
            if (l.quantity.sign() <= 0 || l.price.sign() <= 0) continue;
            fill f;
            f.venue = o.venue;
            f.symbol = o.symbol;
            f.side = o.side;
            f.price = l.price;
            f.quantity = l.quantity < res.remaining ? l.quantity : res.remaining;
            f.liquidity = liquidity::taker;
            f.venue_time = venue_time;
            // Value and fee from the exact product when it fits 18 digits.
            const decimal_result exact = checked_mul(f.price, f.quantity);
            const decimal_result value = exact ? round(exact.value, config_.money_decimals, rounding::half_even)
                                               : multiply(f.price, f.quantity, config_.money_decimals,
                                                          rounding::half_even);
            if (!value) return fail(res, paper_error::arithmetic_overflow);
            const decimal_result fee =
                multiply(exact ? exact.value : value.value, rate, config_.money_decimals, rounding::ceiling);
            if (!fee) return fail(res, paper_error::arithmetic_overflow);
            f.fee = fee.value;
            const decimal_result filled = checked_add(res.filled, f.quantity);
            const decimal_result notional = checked_add(res.notional, value.value);
            const decimal_result fees = checked_add(res.fees, f.fee);
            const decimal_result remaining = checked_sub(res.remaining, f.quantity);
            if (!filled || !notional || !fees || !remaining) return fail(res, paper_error::arithmetic_overflow);
            if (apply_fill(in->pos, f, config_.money_decimals)) return fail(res, paper_error::arithmetic_overflow);
            res.filled = filled.value;
            res.notional = notional.value;
            res.fees = fees.value;
            res.remaining = remaining.value;
            ++res.fills;
            on_fill(static_cast<const fill&>(f));
        }
        return res;
    }

    paper_result execute(const order_request& o, market::levels_view opposite, market::timestamp venue_time) noexcept {
        return execute(o, opposite, venue_time, [](const fill&) {});
    }

    // Against a whole book (its asks for a buy, its bids for a sell).
    template <fill_callback OnFill>
    paper_result execute(const order_request& o, const market::order_book& book, market::timestamp venue_time,
                         OnFill&& on_fill) noexcept {
        return execute(o, o.side == order_side::buy ? book.asks() : book.bids(), venue_time,
                       std::forward<OnFill>(on_fill));
    }
    paper_result execute(const order_request& o, const market::order_book& book, market::timestamp venue_time) noexcept {
        return execute(o, book, venue_time, [](const fill&) {});
    }

    // Against the top of book only (e.g. a quote from feed::price_cache): one level of
    // the BBO's size. Venue time is the BBO's exchange time, else its receive time.
    template <fill_callback OnFill>
    paper_result execute(const order_request& o, const market::bbo& top, OnFill&& on_fill) noexcept {
        const market::book_level level = o.side == order_side::buy
                                             ? market::book_level{top.ask_price, top.ask_quantity}
                                             : market::book_level{top.bid_price, top.bid_quantity};
        const std::size_t n = level.quantity.sign() > 0 ? 1 : 0;
        return execute(o, market::levels_view(&level, n), top.exchange_time.value_or(top.receive_time),
                       std::forward<OnFill>(on_fill));
    }
    paper_result execute(const order_request& o, const market::bbo& top) noexcept {
        return execute(o, top, [](const fill&) {});
    }

    // ------------------------------------------------------------------ marks

    // Zero or negative prices are refused (an empty side is no price).
    std::error_code mark(market::venue v, const symbol& s, decimal bid, decimal ask) noexcept {
        if (bid.sign() <= 0 || ask.sign() <= 0) return paper_error::invalid_price;
        instrument* in = slot(v, s);
        if (in == nullptr) return paper_error::too_many_instruments;
        in->bid = bid;
        in->ask = ask;
        in->marked = true;
        return {};
    }
    std::error_code mark(const market::bbo& b) noexcept { return mark(b.venue, b.symbol, b.bid_price, b.ask_price); }

    // ------------------------------------------------------------------ results

    const position* find_position(market::venue v, const symbol& s) const noexcept {
        const std::uint32_t i = index_.find(static_cast<std::uint8_t>(v), s);
        return i == tradewire::detail::symbol_index::npos ? nullptr : &instruments_[i].pos;
    }

    // One instrument's P&L (zeros for one never traded).
    pnl_summary pnl(market::venue v, const symbol& s) const noexcept {
        const std::uint32_t i = index_.find(static_cast<std::uint8_t>(v), s);
        pnl_summary out;
        if (i != tradewire::detail::symbol_index::npos) add(out, instruments_[i]);
        return out;
    }
    // Summed over the venue's symbols.
    pnl_summary pnl(market::venue v) const noexcept {
        pnl_summary out;
        for (const instrument& in : instruments_) {
            if (in.venue == v) add(out, in);
        }
        return out;
    }
    // Summed over everything.
    pnl_summary pnl() const noexcept {
        pnl_summary out;
        for (const instrument& in : instruments_) add(out, in);
        return out;
    }

    // f(venue, symbol, position) for every instrument traded or marked.
    template <class F>
        requires std::invocable<F&, market::venue, const symbol&, const position&>
    void for_each_position(F&& f) const {
        for (const instrument& in : instruments_) f(in.venue, index_.symbol_of(in.id), in.pos);
    }

    // Flat again: positions, P&L and marks cleared (instruments keep their slots).
    void reset() noexcept {
        for (instrument& in : instruments_) {
            in.pos = {};
            in.marked = false;
        }
    }

private:
    struct instrument {
        std::uint32_t id = 0;
        market::venue venue{};
        position pos;
        decimal bid;
        decimal ask;
        bool marked = false;
    };

    static std::size_t venue_index(market::venue v) noexcept {
        const auto i = static_cast<std::size_t>(v);
        return i < market::venue_count ? i : 0;
    }

    static paper_result fail(paper_result& res, paper_error e) noexcept {
        res.ec = e;
        return res;
    }

    instrument* slot(market::venue v, const symbol& s) noexcept {
        const std::uint32_t i = index_.insert(static_cast<std::uint8_t>(v), s);
        if (i == tradewire::detail::symbol_index::npos) return nullptr;
        if (i == instruments_.size()) {
            instrument& in = instruments_.emplace_back();  // within the reserved capacity
            in.id = i;
            in.venue = v;
        }
        return &instruments_[i];
    }

    // Adds an instrument's P&L to a sum. Sums saturate rather than fail (decimal
    // operators): reporting must not abort, and quote totals of 18 digits are far away.
    void add(pnl_summary& out, const instrument& in) const noexcept {
        decimal u;
        if (in.marked) {
            if (const decimal_result r = in.pos.unrealized_pnl(in.bid, in.ask, config_.money_decimals)) u = r.value;
        }
        out.realized += in.pos.realized_pnl;
        out.unrealized += u;
        out.fees += in.pos.fees;
        out.net = out.realized + out.unrealized - out.fees;
    }

    paper_config config_;
    tradewire::detail::symbol_index index_;
    std::vector<instrument> instruments_;
};

}  // namespace tradewire::trade
