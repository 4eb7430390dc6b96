// The exact decimal arithmetic of trade/arbitrage.hpp: the opportunity test, the
// notional cap and the expected edge, rounded the way paper execution rounds fills so
// a decision's expected edge and the paper P&L of its two legs agree to the last digit.
#pragma once

#include <tradewire/core/decimal.hpp>

#include <cstdint>

namespace tradewire::trade::detail {

constexpr std::int64_t distance(std::int64_t a, std::int64_t b) noexcept {
    // Event times are nanoseconds since 1970: their difference cannot overflow.
    return a > b ? a - b : b - a;
}

// bid - ask > sell_fee x bid + buy_fee x ask + threshold x ask, exactly. Anything that
// does not fit 18 digits is no opportunity (never guess in favour of a trade).
constexpr bool beats(decimal bid, decimal ask, decimal sell_fee, decimal buy_fee, decimal threshold) noexcept {
    const decimal_result gross = checked_sub(bid, ask);
    if (!gross || gross.value.sign() <= 0) return false;
    const decimal_result fa = checked_mul(sell_fee, bid);
    const decimal_result fb = checked_mul(buy_fee, ask);
    const decimal_result th = checked_mul(threshold, ask);
    if (!fa || !fb || !th) return false;
    const decimal_result fees = checked_add(fa.value, fb.value);
    const decimal_result need = fees ? checked_add(fees.value, th.value) : fees;
    return need && gross.value > need.value;
}

// qty = min(qty, max_notional / price rounded down to `decimals`) when max_notional > 0.
constexpr void cap_by_notional(decimal& qty, decimal max_notional, decimal price, int decimals) noexcept {
    if (max_notional.sign() <= 0 || price.sign() <= 0) return;
    const decimal_result r = divide(max_notional, price, decimals, rounding::floor);
    if (r && r.value < qty) qty = r.value;
}

// A fill's value and taker fee as paper_account computes them: value rounded half-even
// to money_decimals, fee rounded up from the exact value.
struct leg_amounts {
    decimal value;
    decimal fee;
    bool ok = false;
};

constexpr leg_amounts leg_value(decimal price, decimal qty, decimal rate, int money_decimals) noexcept {
    leg_amounts out;
    const decimal_result exact = checked_mul(price, qty);
    const decimal_result value = exact ? round(exact.value, money_decimals, rounding::half_even)
                                       : multiply(price, qty, money_decimals, rounding::half_even);
    if (!value) return out;
    const decimal_result fee = multiply(exact ? exact.value : value.value, rate, money_decimals, rounding::ceiling);
    if (!fee) return out;
    out.value = value.value;
    out.fee = fee.value;
    out.ok = true;
    return out;
}

// Fills gross, fees and edge of a decision (D has buy, sell, gross, fees, edge).
template <class D>
constexpr bool expected_edge(D& d, decimal sell_fee, decimal buy_fee, int money_decimals) noexcept {
    const leg_amounts b = leg_value(d.buy.price, d.buy.quantity, buy_fee, money_decimals);
    const leg_amounts s = leg_value(d.sell.price, d.sell.quantity, sell_fee, money_decimals);
    if (!b.ok || !s.ok) return false;
    const decimal_result gross = checked_sub(s.value, b.value);
    const decimal_result fees = checked_add(s.fee, b.fee);
    const decimal_result edge = gross && fees ? checked_sub(gross.value, fees.value) : gross;
    if (!gross || !fees || !edge) return false;
    d.gross = gross.value;
    d.fees = fees.value;
    d.edge = edge.value;
    return true;
}

}  // namespace tradewire::trade::detail
