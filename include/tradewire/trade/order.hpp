// Plain order, fill and position types shared by the risk checks (trade/risk.hpp), the
// paper execution (trade/paper.hpp) and the execution layer, and the exact position
// arithmetic both of them use.
//
// The side, type and time-in-force enums are order_template.hpp's (trade::order_side,
// order_type, time_in_force), so an order_request maps field for field onto the
// order_spec / order_fields an order template fires.
//
// Money (notional, cost, P&L, fees) is in the symbol's quote asset and is rounded
// half-even to `money_decimals` (default 8, what venues report quote amounts with) once
// per fill, as venue statements do; quantities are never rounded. The cost of a
// position is removed in proportion when it is reduced and removed entirely when it
// goes flat, so the realized P&L of a round trip is exactly the sum of the rounded
// fill values: buy and sell the same quantity at the same price and realized is 0 and
// the net result is minus the fees.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/error.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/venue.hpp>
#include <tradewire/trade/order_template.hpp>

#include <cstdint>
#include <cstdlib>
#include <system_error>
#include <type_traits>

namespace tradewire::trade {

enum class position_error {
    invalid_fill = 1,  // quantity or price zero or negative
    overflow,          // a money amount or quantity does not fit a decimal (position unchanged)
};

namespace detail {
struct position_error_traits {
    static constexpr const char* name = "tradewire.trade.position";
    static const char* message(position_error e) noexcept {
        switch (e) {
            case position_error::invalid_fill: return "fill quantity or price is not positive";
            case position_error::overflow: return "position arithmetic overflow";
        }
        return "unknown position error";
    }
};
}  // namespace detail

inline const std::error_category& position_category() noexcept {
    return tradewire::detail::enum_category<position_error, detail::position_error_traits>();
}

inline std::error_code make_error_code(position_error e) noexcept { return {static_cast<int>(e), position_category()}; }

}  // namespace tradewire::trade

template <>
struct std::is_error_code_enum<tradewire::trade::position_error> : std::true_type {};

namespace tradewire::trade {

inline constexpr int default_money_decimals = 8;

constexpr int side_sign(order_side s) noexcept { return s == order_side::buy ? 1 : -1; }

// An order a strategy wants to send.
struct order_request {
    market::venue venue{};
    tradewire::symbol symbol;
    order_side side = order_side::buy;
    order_type type = order_type::limit;
    time_in_force tif = time_in_force::gtc;
    // Limit price. A market order carries the price risk checks value it at (its worst
    // expected price, e.g. the far side of the book plus slippage): risk refuses a market
    // order without one, paper execution ignores it.
    decimal price;
    decimal quantity;  // base asset, > 0
};

enum class liquidity : std::uint8_t { taker, maker };

// One execution, as a venue (or the paper engine) reports it.
struct fill {
    market::venue venue{};
    tradewire::symbol symbol;
    order_side side = order_side::buy;
    decimal price;
    decimal quantity;  // base asset
    decimal fee;       // quote asset; positive = paid, negative = rebate
    trade::liquidity liquidity = liquidity::taker;
    market::timestamp venue_time = 0;
};

// Net position in one symbol on one venue.
struct position {
    decimal quantity;      // base; > 0 long, < 0 short
    decimal cost;          // quote; entry value of `quantity` (quantity x average entry price, same sign)
    decimal realized_pnl;  // quote; from reducing fills, before fees
    decimal fees;          // quote; fees of every fill

    bool flat() const noexcept { return quantity.is_zero(); }

    // |cost / quantity| rounded half-even to `decimals`; 0 when flat.
    decimal_result average_entry_price(int decimals = default_money_decimals) const noexcept {
        if (quantity.is_zero()) return {};
        return divide(abs(cost), abs(quantity), decimals, rounding::half_even);
    }

    // Mark to the book: a long is worth what selling at the bid brings, a short costs
    // what buying at the ask takes. quantity x mark - cost, rounded to money_decimals.
    decimal_result unrealized_pnl(decimal bid, decimal ask, int money_decimals = default_money_decimals) const noexcept {
        if (quantity.is_zero()) return round(decimal{}, money_decimals, rounding::half_even);
        const decimal_result value =
            multiply(quantity, quantity.sign() > 0 ? bid : ask, money_decimals, rounding::half_even);
        if (!value) return value;
        return checked_sub(value.value, cost);
    }
};

// P&L in quote units, of one position or summed over several (a sum is meaningful
// when the symbols share a quote asset).
struct pnl_summary {
    decimal realized;    // before fees
    decimal unrealized;  // marked to the last BBO (0 for symbols never marked)
    decimal fees;
    decimal net;         // realized + unrealized - fees
};

namespace detail {

// Decimal digits before the point of |d| (may be <= 0 for |d| < 1).
constexpr int integer_digits(decimal d) noexcept {
    std::uint64_t m = static_cast<std::uint64_t>(d.mantissa() < 0 ? -d.mantissa() : d.mantissa());
    int digits = 0;
    while (m != 0) {
        m /= 10;
        ++digits;
    }
    return digits + d.exponent();
}

// cost x part / whole rounded half-even to `decimals`: exact when cost x part fits 18
// digits, else through the average price at 17 significant digits (an error far below
// the last money digit for any realistic size).
constexpr decimal_result proportional(decimal cost, decimal part, decimal whole, int decimals) noexcept {
    if (const decimal_result product = checked_mul(cost, part)) {
        return divide(product.value, whole, decimals, rounding::half_even);
    }
    int avg_decimals = 17 - (integer_digits(cost) - integer_digits(whole) + 1);
    if (avg_decimals > decimal::max_decimals) avg_decimals = decimal::max_decimals;
    if (avg_decimals < -decimal::max_exponent) avg_decimals = -decimal::max_exponent;
    const decimal_result avg = divide(cost, whole, avg_decimals, rounding::half_even);
    if (!avg) return avg;
    return multiply(avg.value, part, decimals, rounding::half_even);
}

}  // namespace detail

// Applies one fill to a position. On error the position is unchanged.
inline std::error_code apply_fill(position& p, order_side side, decimal price, decimal quantity, decimal fee,
                                  int money_decimals = default_money_decimals) noexcept {
    if (quantity.sign() <= 0 || price.sign() <= 0) return position_error::invalid_fill;
    const auto fail = [] { return std::error_code(position_error::overflow); };
    const bool buy = side == order_side::buy;
    position n = p;
    const decimal_result fees = checked_add(p.fees, fee);
    if (!fees) return fail();
    n.fees = fees.value;

    const int have = p.quantity.sign();
    decimal opening = quantity;  // the part that opens or increases
    if (have != 0 && (have > 0) != buy) {
        // Reducing: close up to the whole position at the fill price.
        const decimal held = abs(p.quantity);
        const decimal closing = quantity < held ? quantity : held;
        const decimal_result removed =
            closing == held ? decimal_result{p.cost, {}} : detail::proportional(p.cost, closing, held, money_decimals);
        const decimal_result proceeds = multiply(price, closing, money_decimals, rounding::half_even);
        if (!removed || !proceeds) return fail();
        // Long: sold for proceeds; short: bought back for proceeds (removed is negative).
        const decimal_result gain = checked_sub(have > 0 ? proceeds.value : -proceeds.value, removed.value);
        const decimal_result realized = gain ? checked_add(p.realized_pnl, gain.value) : gain;
        const decimal_result qty = checked_add(p.quantity, buy ? closing : -closing);
        const decimal_result cost = checked_sub(p.cost, removed.value);
        if (!realized || !qty || !cost) return fail();
        n.realized_pnl = realized.value;
        n.quantity = qty.value;
        n.cost = cost.value;
        const decimal_result rest = checked_sub(quantity, closing);
        if (!rest) return fail();
        opening = rest.value;
    }
    if (opening.sign() > 0) {
        const decimal_result value = multiply(price, opening, money_decimals, rounding::half_even);
        if (!value) return fail();
        const decimal_result qty = checked_add(n.quantity, buy ? opening : -opening);
        const decimal_result cost = checked_add(n.cost, buy ? value.value : -value.value);
        if (!qty || !cost) return fail();
        n.quantity = qty.value;
        n.cost = cost.value;
    }
    p = n;
    return {};
}

inline std::error_code apply_fill(position& p, const fill& f, int money_decimals = default_money_decimals) noexcept {
    return apply_fill(p, f.side, f.price, f.quantity, f.fee, money_decimals);
}

}  // namespace tradewire::trade
