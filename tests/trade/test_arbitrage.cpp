// trade/arbitrage.hpp: the opportunity boundary (fees plus threshold, one tick either
// side), sizing (visible quantity, lot, own and risk limits), both legs or neither, the
// kill switch, staleness, cooldown, paper P&L net of fees, determinism and no heap
// allocation per update in the steady state.
#include "catch.hpp"
#include "count_allocations.hpp"

#include <tradewire/trade/arbitrage.hpp>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

using namespace tradewire;
using namespace tradewire::trade;
using market::venue;

namespace {

decimal D(const char* text) {
    const decimal_parse_result r = decimal::parse(text);
    REQUIRE(r);
    return r.value;
}

symbol btc() {
    std::error_code ec;
    return symbol::parse("BTC-USDT", ec);
}

market::bbo quote(venue v, const char* bid, const char* bid_qty, const char* ask, const char* ask_qty,
                  std::int64_t ms) {
    market::bbo b;
    b.venue = v;
    b.symbol = btc();
    b.bid_price = D(bid);
    b.bid_quantity = D(bid_qty);
    b.ask_price = D(ask);
    b.ask_quantity = D(ask_qty);
    b.exchange_time = market::from_unix_ms(1'700'000'000'000 + ms);
    b.receive_time = *b.exchange_time;
    return b;
}

struct limits_spec {
    const char* max_position = "100";
    const char* max_order_notional = "10000000";
    const char* lot = "0.001";
    bool register_okx_risk = true;
};

struct fixture {
    risk_engine<manual_clock> risk;
    arbitrage_detector<manual_clock> det;
    std::vector<arbitrage_decision> decisions;

    explicit fixture(const arbitrage_config& cfg, limits_spec l = {}, bool live = false)
        : risk(risk_config{}), det(cfg, risk) {
        decisions.reserve(4096);
        risk.set_dry_run(!live);
        for (venue v : {venue::binance, venue::okx, venue::bybit}) {
            REQUIRE_FALSE(risk.set_venue_limits(venue_limits{v, 1000, std::nullopt, rate_limits{}}));
            if (v != venue::okx || l.register_okx_risk)
                REQUIRE_FALSE(risk.add_instrument({v, btc(), D(l.max_position), D(l.max_order_notional)}));
            REQUIRE_FALSE(det.add_instrument(v, btc(), D(l.lot)));
        }
    }
    std::uint32_t feed(const market::bbo& b) {
        return det.on_bbo(b, [this](const arbitrage_decision& d) { decisions.push_back(d); });
    }
};

arbitrage_config no_fees(const char* threshold_bps = "0") {
    arbitrage_config c;
    c.threshold_bps = D(threshold_bps);
    c.taker_fee_rate.fill(decimal{});
    return c;
}

}  // namespace

TEST_CASE("arbitrage: the spread must beat the threshold, one tick either side") {
    fixture f(no_fees("10"));  // 10 bps of the 100.00 ask: 0.10
    REQUIRE(f.feed(quote(venue::binance, "99.90", "1", "100.00", "1", 0)) == 0);
    SECTION("exactly the threshold: no trade") {
        CHECK(f.feed(quote(venue::okx, "100.10", "1", "100.20", "1", 1)) == 0);
        CHECK(f.det.counters().opportunities == 0);
    }
    SECTION("one tick below: no trade") {
        CHECK(f.feed(quote(venue::okx, "100.09", "1", "100.20", "1", 1)) == 0);
    }
    SECTION("one tick above: trade, buying the cheap ask and selling the rich bid") {
        REQUIRE(f.feed(quote(venue::okx, "100.11", "1", "100.20", "1", 1)) == 1);
        const arbitrage_decision& d = f.decisions.at(0);
        CHECK(d.buy.venue == venue::binance);
        CHECK(d.buy.price == D("100.00"));
        CHECK(d.sell.venue == venue::okx);
        CHECK(d.sell.price == D("100.11"));
        CHECK(d.buy.quantity == D("1"));
        CHECK(d.sell.quantity == D("1"));
        CHECK(d.edge == D("0.11"));
        CHECK(d.dry_run);
        CHECK(d.sequence == 1);
        CHECK(f.det.counters().trades == 1);
    }
}

TEST_CASE("arbitrage: taker fees of both venues count, in either direction") {
    arbitrage_config c = no_fees();
    c.taker_fee_rate[static_cast<std::size_t>(venue::binance)] = fee_rate_bps(10);
    c.taker_fee_rate[static_cast<std::size_t>(venue::okx)] = fee_rate_bps(10);
    // bid - 100 > 0.001 bid + 0.1  <=>  bid > 100.2002...
    SECTION("sell on the updating venue") {
        fixture f(c);
        f.feed(quote(venue::binance, "99.90", "1", "100.00", "1", 0));
        CHECK(f.feed(quote(venue::okx, "100.20", "1", "100.30", "1", 1)) == 0);
        CHECK(f.feed(quote(venue::okx, "100.21", "1", "100.30", "1", 2)) == 1);
    }
    SECTION("buy on the updating venue") {
        fixture f(c);
        f.feed(quote(venue::okx, "100.20", "1", "100.30", "1", 0));
        CHECK(f.feed(quote(venue::binance, "99.90", "1", "100.00", "1", 1)) == 0);
        f.feed(quote(venue::okx, "100.21", "1", "100.30", "1", 2));  // sells the same ask: trade
        REQUIRE(f.decisions.size() == 1);
        CHECK(f.decisions[0].buy.venue == venue::binance);
        // Both quotes' quantities were used by that decision: a fresh binance ask alone
        // finds the okx bid empty; a fresh okx bid trades again.
        CHECK(f.feed(quote(venue::binance, "99.90", "1", "100.00", "1", 3)) == 0);
        CHECK(f.feed(quote(venue::okx, "100.21", "1", "100.30", "1", 4)) == 1);
    }
}

TEST_CASE("arbitrage: size is the visible quantity, rounded down to the lot, within limits") {
    SECTION("visible quantity and lot") {
        fixture f(no_fees(), {.lot = "0.1"});
        f.feed(quote(venue::binance, "99", "5", "100", "0.35", 0));
        REQUIRE(f.feed(quote(venue::okx, "101", "0.7", "102", "5", 1)) == 1);
        CHECK(f.decisions[0].buy.quantity == D("0.3"));
    }
    SECTION("own max order quantity and notional") {
        arbitrage_config c = no_fees();
        c.max_order_quantity = D("0.2");
        fixture f(c, {.lot = "0.01"});
        f.feed(quote(venue::binance, "99", "5", "100", "5", 0));
        REQUIRE(f.feed(quote(venue::okx, "101", "5", "102", "5", 1)) == 1);
        CHECK(f.decisions[0].buy.quantity == D("0.2"));

        arbitrage_config n = no_fees();
        n.max_order_notional = D("15");
        fixture g(n, {.lot = "0.1"});
        g.feed(quote(venue::binance, "99", "5", "100", "5", 0));
        REQUIRE(g.feed(quote(venue::okx, "101", "5", "102", "5", 1)) == 1);
        CHECK(g.decisions[0].buy.quantity == D("0.1"));  // 15 / 100 = 0.15 -> 0.1
    }
    SECTION("risk limits: position room and order notional") {
        fixture f(no_fees(), {.max_position = "0.25", .lot = "0.1"});
        f.feed(quote(venue::binance, "99", "5", "100", "5", 0));
        REQUIRE(f.feed(quote(venue::okx, "101", "5", "102", "5", 1)) == 1);
        CHECK(f.decisions[0].buy.quantity == D("0.2"));

        fixture g(no_fees(), {.max_order_notional = "12", .lot = "0.01"});
        g.feed(quote(venue::binance, "99", "5", "100", "5", 0));
        REQUIRE(g.feed(quote(venue::okx, "101", "5", "102", "5", 1)) == 1);
        CHECK(g.decisions[0].buy.quantity == D("0.11"));  // 12 / 101 on the sell leg = 0.118..
    }
    SECTION("below one lot: no trade") {
        fixture f(no_fees(), {.lot = "1"});
        f.feed(quote(venue::binance, "99", "5", "100", "0.9", 0));
        CHECK(f.feed(quote(venue::okx, "101", "5", "102", "5", 1)) == 0);
        CHECK(f.det.counters().too_small == 1);
        CHECK(f.det.counters().opportunities == 1);
    }
}

TEST_CASE("arbitrage: repeated trades never breach the position limit") {
    paper_account paper;
    fixture f(no_fees(), {.max_position = "1", .lot = "0.1"});
    paper_executor<manual_clock> exec(paper, f.risk);
    std::uint32_t made = 0;
    for (int i = 0; i < 10; ++i) {
        made += f.det.on_bbo(quote(venue::binance, "99", "5", "100", "0.4", 2 * i), exec);
        made += f.det.on_bbo(quote(venue::okx, "101", "0.4", "102", "5", 2 * i + 1), exec);
    }
    CHECK(made == 3);  // 0.4 + 0.4 + 0.2 (the room left); then at the limit every check refuses
    const position* b = f.risk.find_position(venue::binance, btc());
    const position* o = f.risk.find_position(venue::okx, btc());
    REQUIRE(b != nullptr);
    REQUIRE(o != nullptr);
    CHECK(b->quantity == D("1"));
    CHECK(o->quantity == D("-1"));
    CHECK(f.det.counters().rejected(risk_error::position_limit) > 0);
    CHECK(f.det.counters().risk_rejected == f.det.counters().rejected(risk_error::position_limit));
    CHECK(exec.errors() == 0);
}

TEST_CASE("arbitrage: both legs pass risk or neither goes") {
    fixture f(no_fees(), {.register_okx_risk = false}, /*live=*/true);
    f.feed(quote(venue::binance, "99", "1", "100", "1", 0));
    CHECK(f.feed(quote(venue::okx, "101", "1", "102", "1", 1)) == 0);
    CHECK(f.det.counters().rejected(risk_error::unknown_instrument) == 1);
    CHECK(f.risk.open_orders() == 0);  // the buy leg's reservation was released
    CHECK(f.decisions.empty());
}

TEST_CASE("arbitrage: live risk tickets are filled by paper execution and released") {
    paper_account paper;
    fixture f(no_fees(), {}, /*live=*/true);
    paper_executor<manual_clock> exec(paper, f.risk);
    f.det.on_bbo(quote(venue::binance, "99", "1", "100", "1", 0), exec);
    REQUIRE(f.det.on_bbo(quote(venue::okx, "101", "1", "102", "1", 1), exec) == 1);
    CHECK(f.risk.open_orders() == 0);
    CHECK(exec.fills() == 2);
    CHECK(exec.errors() == 0);
    CHECK(f.risk.find_position(venue::okx, btc())->quantity == D("-1"));
}

TEST_CASE("arbitrage: no decision once the kill switch is tripped") {
    SECTION("tripped between events: the very next event makes none") {
        fixture f(no_fees());
        f.feed(quote(venue::binance, "99", "1", "100", "1", 0));
        f.risk.kill().trip();
        CHECK(f.feed(quote(venue::okx, "101", "1", "102", "1", 1)) == 0);
        CHECK(f.feed(quote(venue::binance, "99", "1", "100", "1", 2)) == 0);
        CHECK(f.det.counters().killed == 2);
        CHECK(f.det.counters().opportunities == 0);
    }
    SECTION("tripped by the executor: the next event makes none") {
        fixture f(no_fees());
        std::uint32_t made = 0;
        const auto trip = [&](const arbitrage_decision&) { f.risk.kill().trip(); };
        made += f.det.on_bbo(quote(venue::binance, "99", "1", "100", "1", 0), trip);
        made += f.det.on_bbo(quote(venue::okx, "101", "1", "102", "1", 1), trip);
        CHECK(made == 1);
        // bybit's bid beats both other asks, but the first decision of this event trips
        // the switch: the second pair is not even evaluated.
        f.risk.kill().reset();
        f.feed(quote(venue::binance, "99", "1", "100", "1", 2));
        f.feed(quote(venue::okx, "98", "1", "99", "1", 2));
        const std::uint64_t seen = f.det.counters().opportunities;
        made = f.det.on_bbo(quote(venue::bybit, "101", "1", "102", "1", 3), trip);
        CHECK(made == 1);
        CHECK(f.det.counters().opportunities == seen + 1);
        CHECK(f.det.counters().risk_rejected == 0);
        CHECK(f.det.on_bbo(quote(venue::bybit, "101", "1", "102", "1", 4), trip) == 0);
        CHECK(f.det.counters().killed == 1);
    }
}

TEST_CASE("arbitrage: stale quotes are not traded against") {
    arbitrage_config c = no_fees();
    c.max_staleness_ns = 100'000'000;  // 100 ms
    fixture f(c);
    f.feed(quote(venue::binance, "99", "1", "100", "1", 0));
    CHECK(f.feed(quote(venue::okx, "101", "1", "102", "1", 101)) == 0);
    CHECK(f.det.counters().stale == 1);
    CHECK(f.feed(quote(venue::binance, "99", "1", "100", "1", 150)) == 1);  // 49 ms apart
}

TEST_CASE("arbitrage: a pair waits out its cooldown after a trade") {
    arbitrage_config c = no_fees();
    c.cooldown_ns = 50'000'000;  // 50 ms
    fixture f(c);
    f.feed(quote(venue::binance, "99", "1", "100", "1", 0));
    REQUIRE(f.feed(quote(venue::okx, "101", "1", "102", "1", 1)) == 1);
    CHECK(f.feed(quote(venue::okx, "101", "1", "102", "1", 10)) == 0);
    CHECK(f.feed(quote(venue::binance, "99", "1", "100", "1", 20)) == 0);
    CHECK(f.det.counters().cooldown == 2);
    CHECK(f.feed(quote(venue::okx, "101", "1", "102", "1", 51)) == 1);
}

TEST_CASE("arbitrage: without a cooldown the same quote is not traded twice") {
    fixture f(no_fees());
    f.feed(quote(venue::binance, "99", "1", "100", "1", 0));
    REQUIRE(f.feed(quote(venue::okx, "101", "1", "102", "1", 1)) == 1);
    // bybit bids more than binance's ask, but that ask's quantity is used up.
    CHECK(f.feed(quote(venue::bybit, "101", "1", "102", "1", 2)) == 0);
    CHECK(f.det.counters().too_small == 1);
    CHECK(f.det.quote(venue::binance, btc())->ask_quantity.is_zero());
}

TEST_CASE("arbitrage: paper execution of both legs earns the expected edge net of fees") {
    arbitrage_config c = no_fees();
    c.taker_fee_rate[static_cast<std::size_t>(venue::binance)] = fee_rate_bps(10);
    c.taker_fee_rate[static_cast<std::size_t>(venue::okx)] = fee_rate_bps(10);
    fixture f(c);
    paper_account paper;
    paper.set_taker_fee_rate(venue::binance, fee_rate_bps(10));
    paper.set_taker_fee_rate(venue::okx, fee_rate_bps(10));
    paper_executor<manual_clock> exec(paper, f.risk);
    f.det.on_bbo(quote(venue::binance, "99.50", "3", "100.00", "0.5", 0), exec);
    std::vector<arbitrage_decision> seen;
    seen.reserve(4);
    REQUIRE(f.det.on_bbo(quote(venue::okx, "100.50", "2", "100.60", "2", 1),
                         [&](const arbitrage_decision& d) {
                             seen.push_back(d);
                             exec(d);
                         }) == 1);
    const arbitrage_decision& d = seen.at(0);
    CHECK(d.gross == D("0.25"));
    CHECK(d.fees == D("0.10025"));  // 50.00 x 0.001 + 50.25 x 0.001
    CHECK(d.edge == D("0.14975"));
    // Both positions marked at one price: the locked-in result is all that remains.
    REQUIRE_FALSE(paper.mark(venue::binance, btc(), D("100.25"), D("100.25")));
    REQUIRE_FALSE(paper.mark(venue::okx, btc(), D("100.25"), D("100.25")));
    CHECK(paper.pnl().net == d.edge);
    CHECK(paper.pnl().fees == d.fees);
}

namespace {
std::vector<arbitrage_decision> run_sequence(std::uint64_t seed) {
    arbitrage_config c;
    c.threshold_bps = D("2");
    c.cooldown_ns = 3'000'000;
    c.max_staleness_ns = 500'000'000;
    fixture f(c, {.max_position = "3", .lot = "0.01"});
    paper_account paper;
    paper_executor<manual_clock> exec(paper, f.risk);
    std::uint64_t x = seed;
    const auto next = [&x] {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::int64_t>(x >> 40);
    };
    const venue vs[3] = {venue::binance, venue::okx, venue::bybit};
    for (int i = 0; i < 2000; ++i) {
        market::bbo b;
        b.venue = vs[static_cast<std::size_t>(next() % 3)];
        b.symbol = btc();
        const std::int64_t mid = 5'000'000 + next() % 60000 - 30000;  // cents
        b.bid_price = decimal::from_parts(mid - 1 - next() % 3, -2).value;
        b.ask_price = decimal::from_parts(mid + 1 + next() % 3, -2).value;
        b.bid_quantity = decimal::from_parts(1 + next() % 500, -3).value;
        b.ask_quantity = decimal::from_parts(1 + next() % 500, -3).value;
        b.exchange_time = market::from_unix_ms(1'700'000'000'000 + i);
        f.det.on_bbo(b, [&](const arbitrage_decision& d) {
            f.decisions.push_back(d);
            exec(d);
        });
    }
    return f.decisions;
}
}  // namespace

TEST_CASE("arbitrage: identical inputs give identical decisions") {
    const std::vector<arbitrage_decision> a = run_sequence(42);
    const std::vector<arbitrage_decision> b = run_sequence(42);
    const std::vector<arbitrage_decision> c = run_sequence(43);
    REQUIRE(a.size() > 5);  // the sequence does produce trades
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO(i);
        CHECK(a[i].buy.venue == b[i].buy.venue);
        CHECK(a[i].sell.venue == b[i].sell.venue);
        CHECK(a[i].buy.price.same_representation(b[i].buy.price));
        CHECK(a[i].sell.price.same_representation(b[i].sell.price));
        CHECK(a[i].buy.quantity.same_representation(b[i].buy.quantity));
        CHECK(a[i].edge.same_representation(b[i].edge));
        CHECK(a[i].time == b[i].time);
        CHECK(a[i].sequence == b[i].sequence);
    }
    bool differs = c.size() != a.size();
    for (std::size_t i = 0; !differs && i < a.size(); ++i) differs = a[i].edge != c[i].edge || a[i].time != c[i].time;
    CHECK(differs);
}

TEST_CASE("arbitrage: no heap allocation per update in the steady state") {
    fixture f(no_fees("1"), {.max_position = "1000000"});
    paper_account paper;
    paper_executor<manual_clock> exec(paper, f.risk);
    const market::bbo lo = quote(venue::binance, "99", "1", "100", "1", 0);
    const market::bbo hi = quote(venue::okx, "101", "1", "102", "1", 0);
    const market::bbo mid = quote(venue::bybit, "99.5", "1", "100.5", "1", 0);
    f.det.on_bbo(lo, exec);
    f.det.on_bbo(hi, exec);
    f.det.on_bbo(mid, exec);
    const std::size_t before = alloc_test::allocations();
    std::uint32_t made = 0;
    for (int i = 0; i < 1000; ++i) {
        made += f.det.on_bbo(lo, exec);
        made += f.det.on_bbo(hi, exec);
        made += f.det.on_bbo(mid, exec);
    }
    const std::size_t after = alloc_test::allocations();
    CHECK(made == 1000);  // each okx refresh trades against the refreshed binance ask
    CHECK(after - before == 0);
}
