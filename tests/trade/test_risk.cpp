#include <tradewire/trade/risk.hpp>

#include "catch.hpp"
#include "count_allocations.hpp"

#include <cstdint>
#include <string>
#include <thread>

using tradewire::decimal;
using tradewire::manual_clock;
using tradewire::symbol;
using tradewire::market::venue;
using namespace tradewire::trade;

namespace {

constexpr std::int64_t s = ns_per_second;

decimal dec(std::string_view text) {
    const auto r = decimal::parse(text);
    REQUIRE(r);
    return r.value;
}

symbol sym(std::string_view text) {
    std::error_code ec;
    symbol out = symbol::parse(text, ec);
    REQUIRE_FALSE(ec);
    return out;
}

order_request buy(venue v, std::string_view symbol_text, std::string_view price, std::string_view qty) {
    order_request o;
    o.venue = v;
    o.symbol = sym(symbol_text);
    o.side = order_side::buy;
    o.price = dec(price);
    o.quantity = dec(qty);
    return o;
}

order_request sell(venue v, std::string_view symbol_text, std::string_view price, std::string_view qty) {
    order_request o = buy(v, symbol_text, price, qty);
    o.side = order_side::sell;
    return o;
}

fill fill_of(const order_request& o, std::string_view price, std::string_view qty, std::string_view fee = "0") {
    fill f;
    f.venue = o.venue;
    f.symbol = o.symbol;
    f.side = o.side;
    f.price = dec(price);
    f.quantity = dec(qty);
    f.fee = dec(fee);
    return f;
}

using engine = risk_engine<manual_clock>;

// A live engine with BTC-USDT on Binance and OKX: max position 1 BTC, max order
// notional 100000 USDT, generous open-order limits.
risk_config live_config() {
    risk_config c;
    c.dry_run = false;
    c.max_open_orders_total = 100;
    return c;
}

void add_btc(engine& e, venue v, std::string_view max_pos = "1", std::string_view max_notional = "100000") {
    REQUIRE_FALSE(e.add_instrument({v, sym("BTC-USDT"), dec(max_pos), dec(max_notional)}));
}

void open_venue(engine& e, venue v, std::uint32_t max_open = 100) {
    venue_limits l = default_venue_limits(v);
    l.max_open_orders = max_open;
    REQUIRE_FALSE(e.set_venue_limits(l));
}

}  // namespace

TEST_CASE("risk: dry run is the default and marks passing orders unsendable") {
    engine e(risk_config{}, manual_clock(1'000 * s));
    CHECK(e.dry_run());
    add_btc(e, venue::binance);
    const risk_decision d = e.check(buy(venue::binance, "BTC-USDT", "50000", "0.5"));
    CHECK(d.passed());
    CHECK(d.dry_run);
    CHECK_FALSE(d.may_send());
    CHECK_FALSE(d.ticket.valid());
    CHECK(e.open_orders() == 0);  // nothing reserved
    CHECK(e.open_quantity(venue::binance, sym("BTC-USDT"), order_side::buy) == decimal{});
    // Refusals in dry run are refusals too.
    const risk_decision r = e.check(buy(venue::binance, "BTC-USDT", "10000", "5"));
    CHECK(r.ec == risk_error::position_limit);
    CHECK_FALSE(r.may_send());
    e.set_dry_run(false);
    const risk_decision live = e.check(buy(venue::binance, "BTC-USDT", "50000", "0.5"));
    CHECK(live.may_send());
    CHECK(live.ticket.valid());
    CHECK(e.open_orders() == 1);
}

TEST_CASE("risk: input checks, unknown instruments fail closed, error category") {
    engine e(live_config());
    add_btc(e, venue::binance);
    CHECK(e.check(buy(venue::binance, "BTC-USDT", "50000", "0")).ec == risk_error::invalid_quantity);
    CHECK(e.check(buy(venue::binance, "BTC-USDT", "50000", "-1")).ec == risk_error::invalid_quantity);
    CHECK(e.check(buy(venue::binance, "BTC-USDT", "0", "1")).ec == risk_error::invalid_price);
    order_request market = buy(venue::binance, "BTC-USDT", "0", "0.1");
    market.type = order_type::market;
    CHECK(e.check(market).ec == risk_error::invalid_price);  // no reference price
    market.price = dec("50000");
    CHECK(e.check(market).passed());
    CHECK(e.check(buy(venue::okx, "BTC-USDT", "50000", "0.1")).ec == risk_error::unknown_instrument);
    CHECK(e.check(buy(venue::binance, "ETH-USDT", "3000", "0.1")).ec == risk_error::unknown_instrument);

    const std::error_code ec = risk_error::rate_limited;
    CHECK(std::string(ec.category().name()) == "tradewire.trade.risk");
    CHECK(ec.message() == "order rate limit reached");
    CHECK(make_error_code(risk_error::kill_switch_tripped).message() == "kill switch tripped");
}

TEST_CASE("risk: order notional at the limit passes, one unit over fails") {
    engine e(live_config());
    add_btc(e, venue::binance, "10", "1000");
    CHECK(e.check(buy(venue::binance, "BTC-USDT", "100", "10")).passed());            // exactly 1000
    const risk_decision d = e.check(buy(venue::binance, "BTC-USDT", "100", "10.00000001"));  // 1000.000001
    CHECK(d.ec == risk_error::order_notional_limit);
    CHECK(d.limit == dec("1000"));
    CHECK(d.value == dec("1000.000001"));
    CHECK(e.check(buy(venue::binance, "BTC-USDT", "100.01", "10")).ec == risk_error::order_notional_limit);
    CHECK(e.check(sell(venue::binance, "BTC-USDT", "100", "10")).passed());  // both sides
}

TEST_CASE("risk: position limit counts open orders on the same side, worst case") {
    engine e(live_config());
    add_btc(e, venue::binance, "1");
    const risk_decision first = e.check(buy(venue::binance, "BTC-USDT", "50000", "0.6"));
    REQUIRE(first.may_send());
    CHECK(e.check(buy(venue::binance, "BTC-USDT", "50000", "0.4")).passed());  // 0.6 + 0.4 = 1: at the limit
    const risk_decision over = e.check(buy(venue::binance, "BTC-USDT", "50000", "0.00000001"));
    CHECK(over.ec == risk_error::position_limit);
    CHECK(over.limit == dec("1"));
    CHECK(over.value == dec("1.00000001"));
    // Sells are judged on their own side: short 1 is allowed, short 1.00000001 is not.
    CHECK(e.check(sell(venue::binance, "BTC-USDT", "50000", "1")).passed());
    CHECK(e.check(sell(venue::binance, "BTC-USDT", "50000", "0.00000001")).ec == risk_error::position_limit);
    // Cancelling the first buy frees its room.
    CHECK_FALSE(e.on_order_done(first.ticket));
    CHECK(e.open_quantity(venue::binance, sym("BTC-USDT"), order_side::buy) == dec("0.4"));
    CHECK(e.check(buy(venue::binance, "BTC-USDT", "50000", "0.6")).passed());
}

TEST_CASE("risk: filled positions count, and an order toward flat always passes") {
    engine e(live_config());
    add_btc(e, venue::binance, "1");
    const order_request o = buy(venue::binance, "BTC-USDT", "50000", "1");
    const risk_decision d = e.check(o);
    REQUIRE(d.may_send());
    CHECK_FALSE(e.on_fill(d.ticket, fill_of(o, "50000", "1")));
    CHECK(e.open_orders() == 0);  // filled: reservation released
    CHECK(e.find_position(venue::binance, sym("BTC-USDT"))->quantity == dec("1"));
    CHECK(e.check(buy(venue::binance, "BTC-USDT", "50000", "0.00000001")).ec == risk_error::position_limit);
    // Tighten the limit below the position: buying is refused, selling (reducing) is not.
    add_btc(e, venue::binance, "0.5");
    CHECK(e.check(buy(venue::binance, "BTC-USDT", "50000", "0.00000001")).ec == risk_error::position_limit);
    CHECK(e.check(sell(venue::binance, "BTC-USDT", "50000", "0.3")).passed());
    // 1 - 0.3 open - 1.3 = -0.6: crosses flat to a short over the limit.
    CHECK(e.check(sell(venue::binance, "BTC-USDT", "50000", "1.3")).ec == risk_error::position_limit);
    CHECK(e.check(sell(venue::binance, "BTC-USDT", "50000", "1.2")).passed());  // to -0.5
}

TEST_CASE("risk: total position across venues") {
    engine e(live_config());
    add_btc(e, venue::binance, "1");
    add_btc(e, venue::okx, "1");
    CHECK(e.set_total_position_limit(sym("ETH-USDT"), dec("1")) == risk_error::unknown_instrument);
    REQUIRE_FALSE(e.set_total_position_limit(sym("BTC-USDT"), dec("1.5")));
    REQUIRE(e.check(buy(venue::binance, "BTC-USDT", "50000", "1")).may_send());
    CHECK(e.check(buy(venue::okx, "BTC-USDT", "50000", "0.5")).passed());  // 1.5 in total
    const risk_decision d = e.check(buy(venue::okx, "BTC-USDT", "50000", "0.00000001"));
    CHECK(d.ec == risk_error::total_position_limit);
    CHECK(d.limit == dec("1.5"));
    CHECK(d.value == dec("1.50000001"));
    REQUIRE_FALSE(e.set_total_position_limit(sym("BTC-USDT"), std::nullopt));
    CHECK(e.check(buy(venue::okx, "BTC-USDT", "50000", "0.5")).passed());  // per venue: 1 on OKX
}

TEST_CASE("risk: open orders per venue and in total") {
    risk_config c = live_config();
    c.max_open_orders_total = 3;
    engine e(c);
    add_btc(e, venue::binance, "100");
    add_btc(e, venue::okx, "100");
    open_venue(e, venue::binance, 2);
    REQUIRE(e.check(buy(venue::binance, "BTC-USDT", "100", "1")).may_send());
    const risk_decision second = e.check(buy(venue::binance, "BTC-USDT", "100", "1"));
    REQUIRE(second.may_send());
    const risk_decision third = e.check(buy(venue::binance, "BTC-USDT", "100", "1"));
    CHECK(third.ec == risk_error::open_orders_limit);
    CHECK(third.limit == decimal(2));
    CHECK(third.value == decimal(3));
    REQUIRE(e.check(buy(venue::okx, "BTC-USDT", "100", "1")).may_send());
    CHECK(e.check(buy(venue::okx, "BTC-USDT", "100", "1")).ec == risk_error::total_open_orders_limit);
    CHECK_FALSE(e.on_order_done(second.ticket));
    CHECK(e.open_orders(venue::binance) == 1);
    CHECK(e.check(buy(venue::okx, "BTC-USDT", "100", "1")).may_send());
}

TEST_CASE("risk: venue exposure is open notional plus position cost") {
    engine e(live_config());
    add_btc(e, venue::binance, "1000");
    venue_limits l = default_venue_limits(venue::binance);
    l.max_exposure = dec("10000");
    REQUIRE_FALSE(e.set_venue_limits(l));
    const order_request o = buy(venue::binance, "BTC-USDT", "100", "60");
    const risk_decision d = e.check(o);  // 6000 open
    REQUIRE(d.may_send());
    CHECK_FALSE(e.on_fill(d.ticket, fill_of(o, "100", "20")));  // 4000 open + 2000 cost
    CHECK(e.exposure(venue::binance) == dec("6000"));
    CHECK(e.check(buy(venue::binance, "BTC-USDT", "100", "40")).passed());  // exactly 10000
    const risk_decision over = e.check(buy(venue::binance, "BTC-USDT", "0.01", "1"));
    CHECK(over.ec == risk_error::venue_exposure_limit);
    CHECK(over.limit == dec("10000"));
    CHECK(over.value == dec("10000.01"));
    // A sell reducing the long passes even at the limit.
    CHECK(e.check(sell(venue::binance, "BTC-USDT", "100", "10")).passed());
    l.max_exposure = dec("-1");
    CHECK(e.set_venue_limits(l) == risk_error::invalid_limits);
}

TEST_CASE("risk: rate limits refill at the right times on a fake clock") {
    const std::int64_t t0 = 5'000 * s;
    engine e(live_config(), manual_clock(t0));
    add_btc(e, venue::binance, "1000", "1000000000");
    open_venue(e, venue::binance, 1000);
    const order_request o = buy(venue::binance, "BTC-USDT", "1", "1");
    for (int i = 0; i < 50; ++i) {
        const risk_decision d = e.check(o);
        REQUIRE(d.may_send());
        REQUIRE_FALSE(e.on_order_done(d.ticket));
    }
    const risk_decision d = e.check(o);
    CHECK(d.ec == risk_error::rate_limited);
    CHECK(d.rule == 0);
    CHECK(d.limit == decimal(50));
    CHECK(d.retry_at == t0 + 10 * s);
    CHECK(e.open_orders() == 0);  // a refusal reserves nothing
    e.clock().set(t0 + 10 * s - 1);
    CHECK(e.check(o).ec == risk_error::rate_limited);
    e.clock().set(t0 + 10 * s);
    const risk_decision again = e.check(o);
    CHECK(again.may_send());
}

TEST_CASE("risk: dry-run checks spend rate tokens like live ones") {
    engine e(risk_config{}, manual_clock(0));
    add_btc(e, venue::bybit, "1000", "1000000000");
    const order_request o = buy(venue::bybit, "BTC-USDT", "1", "1");
    for (int i = 0; i < 10; ++i) REQUIRE(e.check(o).passed());  // Bybit: 10 per second
    const risk_decision d = e.check(o);
    CHECK(d.ec == risk_error::rate_limited);
    CHECK(d.retry_at == s);
    e.clock().advance(s);
    CHECK(e.check(o).passed());
}

TEST_CASE("risk: OKX counts per instrument, Kraken per pair with a decaying bucket") {
    engine e(risk_config{}, manual_clock(0));
    REQUIRE_FALSE(e.add_instrument({venue::okx, sym("BTC-USDT"), dec("1000"), dec("1000000")}));
    REQUIRE_FALSE(e.add_instrument({venue::okx, sym("ETH-USDT"), dec("1000"), dec("1000000")}));
    for (int i = 0; i < 60; ++i) REQUIRE(e.check(buy(venue::okx, "BTC-USDT", "1", "1")).passed());
    CHECK(e.check(buy(venue::okx, "BTC-USDT", "1", "1")).ec == risk_error::rate_limited);
    for (int i = 0; i < 60; ++i) REQUIRE(e.check(buy(venue::okx, "ETH-USDT", "1", "1")).passed());
    const risk_decision d = e.check(buy(venue::okx, "ETH-USDT", "1", "1"));
    CHECK(d.ec == risk_error::rate_limited);
    CHECK(d.retry_at == 2 * s);

    REQUIRE_FALSE(e.add_instrument({venue::kraken, sym("BTC-USD"), dec("1000"), dec("1000000")}));
    for (int i = 0; i < 60; ++i) REQUIRE(e.check(buy(venue::kraken, "BTC-USD", "1", "1")).passed());
    const risk_decision k = e.check(buy(venue::kraken, "BTC-USD", "1", "1"));
    CHECK(k.ec == risk_error::rate_limited);
    CHECK(k.retry_at == s);
    e.clock().set(s);
    CHECK(e.check(buy(venue::kraken, "BTC-USD", "1", "1")).passed());
    CHECK(e.check(buy(venue::kraken, "BTC-USD", "1", "1")).ec == risk_error::rate_limited);
}

TEST_CASE("risk: custom rate limits for a venue") {
    engine e(risk_config{}, manual_clock(0));
    REQUIRE_FALSE(e.add_instrument({venue::gate, sym("GT-USDT"), dec("1000"), dec("1000000")}));
    venue_limits l = default_venue_limits(venue::gate);
    l.rates = rate_limits{};
    REQUIRE(l.rates.add(sliding_window(2, s, rate_scope::instrument)));
    REQUIRE(l.rates.add(sliding_window(3, 10 * s)));
    REQUIRE_FALSE(e.set_venue_limits(l));
    CHECK(e.limits(venue::gate).rates.count == 2);
    CHECK(e.check(buy(venue::gate, "GT-USDT", "1", "1")).passed());
    CHECK(e.check(buy(venue::gate, "GT-USDT", "1", "1")).passed());
    const risk_decision d = e.check(buy(venue::gate, "GT-USDT", "1", "1"));
    CHECK(d.ec == risk_error::rate_limited);
    CHECK(d.rule == 0);
    e.clock().set(s);
    CHECK(e.check(buy(venue::gate, "GT-USDT", "1", "1")).passed());
    const risk_decision venue_rule = e.check(buy(venue::gate, "GT-USDT", "1", "1"));
    CHECK(venue_rule.ec == risk_error::rate_limited);
    CHECK(venue_rule.rule == 1);
    CHECK(venue_rule.retry_at == 10 * s);
    l.rates = rate_limits{};
    REQUIRE(l.rates.add(sliding_window(0, s)));
    CHECK(e.set_venue_limits(l) == risk_error::invalid_limits);
}

TEST_CASE("risk: the kill switch trips on loss and stops the very next order") {
    risk_config c = live_config();
    c.max_loss = dec("10");
    engine e(c);
    add_btc(e, venue::binance, "10", "1000000");
    const order_request o = buy(venue::binance, "BTC-USDT", "100", "1");
    const risk_decision d = e.check(o);
    REQUIRE(d.may_send());
    REQUIRE_FALSE(e.on_fill(d.ticket, fill_of(o, "100", "1")));
    REQUIRE_FALSE(e.mark(venue::binance, sym("BTC-USDT"), dec("90.00000001"), dec("90.5")));
    CHECK(e.pnl().net == dec("-9.99999999"));
    CHECK_FALSE(e.kill().tripped());
    CHECK(e.check(o).passed());
    REQUIRE_FALSE(e.mark(venue::binance, sym("BTC-USDT"), dec("90"), dec("90.5")));  // a loss of exactly 10
    CHECK(e.kill().tripped());
    const risk_decision stopped = e.check(sell(venue::binance, "BTC-USDT", "90", "0.1"));
    CHECK(stopped.ec == risk_error::kill_switch_tripped);
    CHECK(stopped.kill == kill_reason::loss_limit);
    CHECK(stopped.value == dec("-10"));
    CHECK(stopped.limit == dec("10"));
    // It stays tripped when the market recovers, until reset.
    REQUIRE_FALSE(e.mark(venue::binance, sym("BTC-USDT"), dec("200"), dec("201")));
    CHECK(e.check(o).ec == risk_error::kill_switch_tripped);
    e.kill().reset();
    CHECK(e.check(o).passed());
}

TEST_CASE("risk: a realized loss with fees trips within the same fill event") {
    risk_config c = live_config();
    c.max_loss = dec("5");
    engine e(c);
    add_btc(e, venue::binance, "10", "1000000");
    const order_request b = buy(venue::binance, "BTC-USDT", "100", "1");
    const risk_decision d1 = e.check(b);
    REQUIRE_FALSE(e.on_fill(d1.ticket, fill_of(b, "100", "1", "0.1")));
    const order_request s1 = sell(venue::binance, "BTC-USDT", "95.1", "1");
    const risk_decision d2 = e.check(s1);
    REQUIRE(d2.may_send());
    // Sold 4.9 lower: realized -4.9, fees 0.1 + 0.0951 -> net -5.0951.
    REQUIRE_FALSE(e.on_fill(d2.ticket, fill_of(s1, "95.1", "1", "0.0951")));
    CHECK(e.pnl().realized == dec("-4.9"));
    CHECK(e.pnl().fees == dec("0.1951"));
    CHECK(e.pnl().net == dec("-5.0951"));
    CHECK(e.check(b).ec == risk_error::kill_switch_tripped);
}

TEST_CASE("risk: a manual trip from another thread refuses the next check") {
    engine e(live_config());
    add_btc(e, venue::binance);
    std::thread operator_thread([&] { e.kill().trip(); });
    operator_thread.join();
    const risk_decision d = e.check(buy(venue::binance, "BTC-USDT", "100", "0.1"));
    CHECK(d.ec == risk_error::kill_switch_tripped);
    CHECK(d.kill == kill_reason::manual);
}

TEST_CASE("risk: a shared kill switch stops every engine") {
    kill_switch shared;
    engine a(live_config(), shared);
    engine b(live_config(), shared);
    add_btc(a, venue::binance);
    add_btc(b, venue::okx);
    a.kill().trip();
    CHECK(b.check(buy(venue::okx, "BTC-USDT", "100", "0.1")).ec == risk_error::kill_switch_tripped);
}

TEST_CASE("risk: partial fills shrink the reservation, tickets are single use") {
    engine e(live_config());
    add_btc(e, venue::binance, "10", "1000000");
    const order_request o = buy(venue::binance, "BTC-USDT", "100", "3");
    const risk_decision d = e.check(o);
    REQUIRE(d.may_send());
    CHECK(e.exposure(venue::binance) == dec("300"));
    CHECK_FALSE(e.on_fill(d.ticket, fill_of(o, "99.5", "1")));  // better price than the limit
    CHECK(e.open_orders() == 1);
    CHECK(e.open_quantity(venue::binance, sym("BTC-USDT"), order_side::buy) == dec("2"));
    CHECK(e.exposure(venue::binance) == dec("299.5"));  // 200 open + 99.5 cost
    CHECK_FALSE(e.on_fill(d.ticket, fill_of(o, "100", "2")));
    CHECK(e.open_orders() == 0);
    CHECK(e.exposure(venue::binance) == dec("299.5"));
    const position* p = e.find_position(venue::binance, sym("BTC-USDT"));
    REQUIRE(p != nullptr);
    CHECK(p->quantity == dec("3"));
    CHECK(p->cost == dec("299.5"));
    // The ticket is spent: a late fill still reaches the position, flagged.
    CHECK(e.on_fill(d.ticket, fill_of(o, "100", "1")) == risk_error::unknown_ticket);
    CHECK(p->quantity == dec("4"));
    CHECK(e.on_order_done(d.ticket) == risk_error::unknown_ticket);
    // Overfill: applied, reservation released, reported.
    const risk_decision d2 = e.check(buy(venue::binance, "BTC-USDT", "100", "1"));
    CHECK(e.on_fill(d2.ticket, fill_of(o, "100", "1.5")) == risk_error::overfill);
    CHECK(p->quantity == dec("5.5"));
    CHECK(e.open_orders() == 0);
    CHECK(e.open_quantity(venue::binance, sym("BTC-USDT"), order_side::buy) == decimal{});
    // A fill for another instrument than the ticket's is not charged to the ticket.
    const risk_decision d3 = e.check(buy(venue::binance, "BTC-USDT", "100", "1"));
    fill wrong = fill_of(o, "100", "1");
    wrong.side = order_side::sell;
    CHECK(e.on_fill(d3.ticket, wrong) == risk_error::unknown_ticket);
    CHECK(e.open_orders() == 1);
    CHECK(p->quantity == dec("4.5"));
    CHECK(e.on_fill(fill_of(buy(venue::okx, "BTC-USDT", "1", "1"), "1", "1")) == risk_error::unknown_instrument);
}

TEST_CASE("risk: P&L summary, marks and invalid marks") {
    engine e(live_config());
    add_btc(e, venue::binance, "10", "1000000");
    const order_request s1 = sell(venue::binance, "BTC-USDT", "100", "2");
    const risk_decision d = e.check(s1);
    REQUIRE_FALSE(e.on_fill(d.ticket, fill_of(s1, "100", "2", "0.2")));
    REQUIRE_FALSE(e.mark(venue::binance, sym("BTC-USDT"), dec("94"), dec("95")));  // short marked at the ask
    pnl_summary p = e.pnl();
    CHECK(p.realized == decimal{});
    CHECK(p.unrealized == dec("10"));
    CHECK(p.fees == dec("0.2"));
    CHECK(p.net == dec("9.8"));
    CHECK(e.mark(venue::binance, sym("BTC-USDT"), dec("0"), dec("95")) == risk_error::invalid_price);
    CHECK(e.mark(venue::okx, sym("BTC-USDT"), dec("1"), dec("2")) == risk_error::unknown_instrument);
    tradewire::market::bbo b;
    b.venue = venue::binance;
    b.symbol = sym("BTC-USDT");
    b.bid_price = dec("104");
    b.ask_price = dec("105");
    REQUIRE_FALSE(e.on_bbo(b));
    CHECK(e.pnl().unrealized == dec("-10"));
    CHECK(e.pnl().net == dec("-10.2"));
}

TEST_CASE("risk: set-up errors") {
    risk_config c = live_config();
    c.max_instruments = 1;
    engine e(c);
    add_btc(e, venue::binance);
    CHECK(e.add_instrument({venue::okx, sym("BTC-USDT"), dec("1"), dec("1")}) == risk_error::capacity_exceeded);
    CHECK(e.add_instrument({venue::binance, sym("BTC-USDT"), dec("-1"), dec("1")}) == risk_error::invalid_limits);
    CHECK_FALSE(e.add_instrument({venue::binance, sym("BTC-USDT"), dec("2"), dec("3")}));  // replaces
    REQUIRE(e.limits(venue::binance, sym("BTC-USDT")) != nullptr);
    CHECK(e.limits(venue::binance, sym("BTC-USDT"))->max_position == dec("2"));
    CHECK(e.limits(venue::okx, sym("BTC-USDT")) == nullptr);
}

TEST_CASE("risk: checks, fills, cancels and marks do not allocate") {
    engine e(live_config(), manual_clock(0));
    add_btc(e, venue::binance, "1000", "1000000000");
    add_btc(e, venue::okx, "1000", "1000000000");
    REQUIRE_FALSE(e.set_total_position_limit(sym("BTC-USDT"), dec("1500")));
    open_venue(e, venue::binance, 1000);
    const order_request o = buy(venue::binance, "BTC-USDT", "100", "1");
    const order_request k = buy(venue::okx, "BTC-USDT", "100", "1");
    const std::size_t before = alloc_test::allocations();
    for (int i = 0; i < 200; ++i) {
        e.clock().advance(s);
        const risk_decision d = e.check(i % 2 == 0 ? o : k);
        REQUIRE(d.may_send());
        if (i % 3 == 0) {
            REQUIRE_FALSE(e.on_order_done(d.ticket));
        } else {
            REQUIRE_FALSE(e.on_fill(d.ticket, fill_of(i % 2 == 0 ? o : k, "100", "1", "0.01")));
        }
        REQUIRE_FALSE(e.mark(venue::binance, sym("BTC-USDT"), dec("99"), dec("101")));
    }
    CHECK(alloc_test::allocations() == before);
}
