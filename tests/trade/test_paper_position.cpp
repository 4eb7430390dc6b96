// Position arithmetic (trade/order.hpp) that paper execution and the risk engine share.
#include <tradewire/trade/order.hpp>

#include "catch.hpp"

#include <string>

using tradewire::decimal;
using namespace tradewire::trade;

namespace {
decimal dec(std::string_view text) {
    const auto r = decimal::parse(text);
    REQUIRE(r);
    return r.value;
}
}  // namespace

TEST_CASE("position: increases add cost, reductions remove it in proportion, flat removes it all") {
    position p;
    REQUIRE_FALSE(apply_fill(p, order_side::buy, dec("100"), dec("1"), dec("0.1")));
    REQUIRE_FALSE(apply_fill(p, order_side::buy, dec("100.25"), dec("2"), dec("0.2005")));
    CHECK(p.quantity == dec("3"));
    CHECK(p.cost == dec("300.5"));
    CHECK(p.average_entry_price().value == dec("100.16666667"));
    CHECK(p.fees == dec("0.3005"));
    REQUIRE_FALSE(apply_fill(p, order_side::sell, dec("110"), dec("1"), dec("0")));
    CHECK(p.quantity == dec("2"));
    CHECK(p.cost == dec("200.33333333"));  // 300.5 - 100.16666667
    CHECK(p.realized_pnl == dec("9.83333333"));
    REQUIRE_FALSE(apply_fill(p, order_side::sell, dec("110"), dec("2"), dec("0")));
    CHECK(p.flat());
    CHECK(p.cost == decimal{});
    CHECK(p.realized_pnl == dec("29.5"));  // exactly 330 - 300.5: rounding does not leak
    CHECK(p.average_entry_price().value == decimal{});
}

TEST_CASE("position: a fill larger than the position flips it") {
    position p;
    REQUIRE_FALSE(apply_fill(p, order_side::buy, dec("100"), dec("1"), dec("0")));
    REQUIRE_FALSE(apply_fill(p, order_side::sell, dec("90"), dec("3"), dec("0.27")));
    CHECK(p.realized_pnl == dec("-10"));
    CHECK(p.quantity == dec("-2"));
    CHECK(p.cost == dec("-180"));
    CHECK(p.average_entry_price().value == dec("90"));
    // Buying back part of a short at a lower price is a gain.
    REQUIRE_FALSE(apply_fill(p, order_side::buy, dec("80"), dec("1"), dec("0")));
    CHECK(p.realized_pnl == dec("0"));
    CHECK(p.quantity == dec("-1"));
    CHECK(p.cost == dec("-90"));
    REQUIRE_FALSE(apply_fill(p, order_side::buy, dec("95"), dec("3"), dec("0")));
    CHECK(p.realized_pnl == dec("-5"));
    CHECK(p.quantity == dec("2"));
    CHECK(p.cost == dec("190"));
}

TEST_CASE("position: unrealized P&L marks longs at the bid and shorts at the ask") {
    position flat;
    CHECK(flat.unrealized_pnl(dec("1"), dec("2")).value == decimal{});
    position lng;
    REQUIRE_FALSE(apply_fill(lng, order_side::buy, dec("100"), dec("0.5"), dec("0")));
    CHECK(lng.unrealized_pnl(dec("104"), dec("105")).value == dec("2"));
    CHECK(lng.unrealized_pnl(dec("98"), dec("99")).value == dec("-1"));
    position sht;
    REQUIRE_FALSE(apply_fill(sht, order_side::sell, dec("100"), dec("0.5"), dec("0")));
    CHECK(sht.unrealized_pnl(dec("95"), dec("96")).value == dec("2"));
    CHECK(sht.unrealized_pnl(dec("101"), dec("102")).value == dec("-1"));
    // Rounded half-even to the money decimals.
    position tiny;
    REQUIRE_FALSE(apply_fill(tiny, order_side::buy, dec("0.00012345"), dec("0.5"), dec("0")));
    CHECK(tiny.cost == dec("0.00006172"));  // 0.000061725 -> half-even
    CHECK(tiny.unrealized_pnl(dec("0.00012347"), dec("1")).value == dec("0.00000002"));  // 0.000061735 -> 0.00006174
}

TEST_CASE("position: fees accumulate, rebates reduce them") {
    position p;
    REQUIRE_FALSE(apply_fill(p, order_side::buy, dec("100"), dec("1"), dec("0.1")));
    REQUIRE_FALSE(apply_fill(p, order_side::sell, dec("100"), dec("1"), dec("-0.02")));
    CHECK(p.fees == dec("0.08"));
    CHECK(p.realized_pnl == decimal{});
}

TEST_CASE("position: invalid fills and overflow leave the position unchanged") {
    position p;
    REQUIRE_FALSE(apply_fill(p, order_side::buy, dec("100"), dec("1"), dec("0")));
    const position before = p;
    CHECK(apply_fill(p, order_side::buy, dec("100"), dec("0"), dec("0")) == position_error::invalid_fill);
    CHECK(apply_fill(p, order_side::buy, dec("-1"), dec("1"), dec("0")) == position_error::invalid_fill);
    position big;
    big.quantity = dec("999999999999999999");
    CHECK(apply_fill(big, order_side::buy, dec("1"), dec("0.5"), dec("0")) == position_error::overflow);
    CHECK(big.quantity == dec("999999999999999999"));
    CHECK(big.cost == decimal{});
    CHECK(p.quantity == before.quantity);
    CHECK(p.cost == before.cost);
    const std::error_code ec = position_error::overflow;
    CHECK(std::string(ec.category().name()) == "tradewire.trade.position");
}

TEST_CASE("position: proportional cost when cost x closed quantity exceeds 18 digits") {
    // Exact: 123456789.12345678 x 0.12345678 / 1.23456789 = 12345678.01234567710...
    const tradewire::decimal_result r = tradewire::trade::detail::proportional(dec("123456789.12345678"), dec("0.12345678"),
                                                                    dec("1.23456789"), 8);
    REQUIRE(r);
    CHECK(abs(r.value - dec("12345678.01234568")) <= dec("0.00000001"));
    // And the position built on it stays exact when it goes flat.
    position p;
    REQUIRE_FALSE(apply_fill(p, order_side::buy, dec("100000000.00000001"), dec("1.23456789"), dec("0")));
    REQUIRE_FALSE(apply_fill(p, order_side::sell, dec("100000000"), dec("0.12345678"), dec("0")));
    REQUIRE_FALSE(apply_fill(p, order_side::sell, dec("100000000"), dec("1.11111111"), dec("0")));
    CHECK(p.flat());
    CHECK(p.cost == decimal{});
    CHECK(p.realized_pnl == dec("-0.00000001"));  // 123456789 - 123456789.00000001
}
