#include <tradewire/trade/kill_switch.hpp>

#include "catch.hpp"

#include <thread>

using tradewire::decimal;
using namespace tradewire::trade;

namespace {
decimal dec(std::int64_t mantissa, int exponent) { return decimal::from_parts(mantissa, exponent).value; }
}  // namespace

TEST_CASE("kill_switch trips by hand, keeps the first reason, stays tripped until reset") {
    kill_switch k;
    CHECK_FALSE(k.tripped());
    CHECK(k.reason() == kill_reason::none);
    CHECK(k.trip());
    CHECK(k.tripped());
    CHECK(k.reason() == kill_reason::manual);
    CHECK_FALSE(k.trip(kill_reason::loss_limit));
    CHECK(k.reason() == kill_reason::manual);
    CHECK(k.tripped());
    k.reset();
    CHECK_FALSE(k.tripped());
    CHECK(k.trip(kill_reason::accounting_error));
    CHECK(k.reason() == kill_reason::accounting_error);
    CHECK(to_string(k.reason()) == "accounting_error");
    k.reset();
    CHECK(k.trip(kill_reason::none));  // "no reason" still trips, as manual
    CHECK(k.reason() == kill_reason::manual);
}

TEST_CASE("kill_switch trips on a loss of exactly max_loss, not one unit less") {
    kill_switch k(dec(100, 0));
    CHECK_FALSE(k.on_pnl(dec(50, 0)));
    CHECK_FALSE(k.on_pnl(dec(-9999999999, -8)));  // -99.99999999
    CHECK_FALSE(k.tripped());
    CHECK(k.on_pnl(dec(-100, 0)));
    CHECK(k.reason() == kill_reason::loss_limit);
    CHECK(k.trip_pnl() == dec(-100, 0));
    CHECK(k.on_pnl(dec(1000, 0)));  // a recovery does not re-arm it
    CHECK(k.tripped());
    k.reset();
    CHECK_FALSE(k.on_pnl(dec(1000, 0)));
    CHECK(k.on_pnl(dec(-25001, -2)));  // -250.01
    CHECK(k.trip_pnl() == dec(-25001, -2));
}

TEST_CASE("kill_switch without a loss limit ignores P&L") {
    kill_switch k;
    CHECK_FALSE(k.max_loss().has_value());
    CHECK_FALSE(k.on_pnl(dec(-1, 12)));
    k.set_max_loss(dec(5, 0));
    CHECK(k.on_pnl(dec(-5, 0)));
}

TEST_CASE("kill_switch tripped on another thread is seen") {
    kill_switch k;
    std::thread t([&] { k.trip(); });
    t.join();
    CHECK(k.tripped());
    CHECK(k.reason() == kill_reason::manual);
}
