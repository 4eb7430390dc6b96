#include <tradewire/trade/paper.hpp>
#include <tradewire/trade/risk.hpp>

#include "catch.hpp"
#include "count_allocations.hpp"

#include <cstdint>
#include <string>
#include <vector>

using tradewire::decimal;
using tradewire::symbol;
using tradewire::market::book_level;
using tradewire::market::order_book;
using tradewire::market::venue;
using namespace tradewire::trade;

namespace {

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

order_request order(order_side side, order_type type, std::string_view price, std::string_view qty,
                    venue v = venue::binance, time_in_force tif = time_in_force::gtc) {
    order_request o;
    o.venue = v;
    o.symbol = sym("BTC-USDT");
    o.side = side;
    o.type = type;
    o.tif = tif;
    o.price = price.empty() ? decimal{} : dec(price);
    o.quantity = dec(qty);
    return o;
}

// bids 99 x 1, 98 x 2, 97 x 5; asks 100 x 1, 101 x 2, 102 x 5.
order_book make_book() {
    order_book book;
    const std::vector<book_level> bids = {{dec("99"), dec("1")}, {dec("98"), dec("2")}, {dec("97"), dec("5")}};
    const std::vector<book_level> asks = {{dec("100"), dec("1")}, {dec("101"), dec("2")}, {dec("102"), dec("5")}};
    REQUIRE_FALSE(book.apply_snapshot(bids, asks));
    return book;
}

}  // namespace

TEST_CASE("paper: a market buy walks the asks with a partial last level") {
    paper_account acct;
    const order_book book = make_book();
    std::vector<fill> fills;
    const paper_result r = acct.execute(order(order_side::buy, order_type::market, "", "4"), book, 1'700'000'000'000'000'000,
                                        [&](const fill& f) { fills.push_back(f); });
    REQUIRE_FALSE(r.ec);
    CHECK(r.filled == dec("4"));
    CHECK(r.remaining == decimal{});
    CHECK(r.fills == 3);
    CHECK(r.notional == dec("404"));     // 100 + 202 + 102
    CHECK(r.fees == dec("0.404"));       // 0.1 % (Binance default)
    CHECK(r.average_price(2).value == dec("101"));
    REQUIRE(fills.size() == 3);
    CHECK(fills[0].price == dec("100"));
    CHECK(fills[0].quantity == dec("1"));
    CHECK(fills[0].fee == dec("0.1"));
    CHECK(fills[1].price == dec("101"));
    CHECK(fills[1].quantity == dec("2"));
    CHECK(fills[1].fee == dec("0.202"));
    CHECK(fills[2].price == dec("102"));
    CHECK(fills[2].quantity == dec("1"));
    for (const fill& f : fills) {
        CHECK(f.liquidity == liquidity::taker);
        CHECK(f.venue_time == 1'700'000'000'000'000'000);
        CHECK(f.side == order_side::buy);
        CHECK(f.venue == venue::binance);
        CHECK(f.symbol.str() == "BTC-USDT");
    }
    const position* p = acct.find_position(venue::binance, sym("BTC-USDT"));
    REQUIRE(p != nullptr);
    CHECK(p->quantity == dec("4"));
    CHECK(p->cost == dec("404"));
    CHECK(p->fees == dec("0.404"));
    CHECK(p->average_entry_price().value == dec("101"));
    // The book is the venue's: it is not consumed.
    CHECK(book.asks().front().quantity == dec("1"));
}

TEST_CASE("paper: a thin book fills partially and reports the rest") {
    paper_account acct;
    const order_book book = make_book();
    const paper_result r = acct.execute(order(order_side::sell, order_type::market, "", "10"), book, 0);
    REQUIRE_FALSE(r.ec);
    CHECK(r.filled == dec("8"));
    CHECK(r.remaining == dec("2"));
    CHECK(r.notional == dec("780"));  // 99 + 196 + 485
    CHECK(acct.find_position(venue::binance, sym("BTC-USDT"))->quantity == dec("-8"));
    // top(n) views limit what the simulation may take.
    paper_account top_only;
    const paper_result t = top_only.execute(order(order_side::buy, order_type::market, "", "10"), book.asks().top(2), 0);
    CHECK(t.filled == dec("3"));
    CHECK(t.remaining == dec("7"));
}

TEST_CASE("paper: limit orders respect the limit price and never rest") {
    paper_account acct;
    const order_book book = make_book();
    const paper_result b = acct.execute(order(order_side::buy, order_type::limit, "101", "5"), book, 0);
    CHECK(b.filled == dec("3"));  // 100 x 1 and 101 x 2; 102 is above the limit
    CHECK(b.remaining == dec("2"));
    CHECK(b.notional == dec("302"));
    const paper_result s = acct.execute(order(order_side::sell, order_type::limit, "98.5", "5", venue::binance,
                                              time_in_force::ioc),
                                        book, 0);
    CHECK(s.filled == dec("1"));  // only the 99 bid is at or above 98.5
    CHECK(s.remaining == dec("4"));
    const paper_result none = acct.execute(order(order_side::buy, order_type::limit, "99.99", "1"), book, 0);
    CHECK_FALSE(none.ec);
    CHECK(none.filled == decimal{});
    CHECK(none.fills == 0);
    CHECK(none.remaining == dec("1"));
}

TEST_CASE("paper: fill-or-kill fills completely or not at all") {
    paper_account acct;
    const order_book book = make_book();
    const paper_result killed =
        acct.execute(order(order_side::buy, order_type::limit, "101", "3.5", venue::binance, time_in_force::fok), book, 0);
    CHECK_FALSE(killed.ec);
    CHECK(killed.filled == decimal{});
    CHECK(killed.remaining == dec("3.5"));
    CHECK(acct.find_position(venue::binance, sym("BTC-USDT"))->flat());
    const paper_result filled =
        acct.execute(order(order_side::buy, order_type::limit, "102", "3.5", venue::binance, time_in_force::fok), book, 0);
    CHECK(filled.filled == dec("3.5"));
    CHECK(filled.fills == 3);
}

TEST_CASE("paper: refusals") {
    paper_config c;
    c.max_instruments = 1;
    paper_account acct(c);
    const order_book book = make_book();
    CHECK(acct.execute(order(order_side::buy, order_type::limit, "100", "0"), book, 0).ec == paper_error::invalid_quantity);
    CHECK(acct.execute(order(order_side::buy, order_type::limit, "0", "1"), book, 0).ec == paper_error::invalid_price);
    CHECK(acct.execute(order(order_side::buy, order_type::limit, "100", "1", venue::binance, time_in_force::post_only), book, 0)
              .ec == paper_error::unsupported_order);
    CHECK_FALSE(acct.execute(order(order_side::buy, order_type::limit, "100", "1"), book, 0).ec);
    const paper_result full = acct.execute(order(order_side::buy, order_type::limit, "100", "1", venue::okx), book, 0);
    CHECK(full.ec == paper_error::too_many_instruments);
    CHECK(std::string(full.ec.category().name()) == "tradewire.trade.paper");
    CHECK(acct.mark(venue::binance, sym("BTC-USDT"), dec("0"), dec("1")) == paper_error::invalid_price);
}

TEST_CASE("paper: taker fees per venue, in bps or as a rate, rounded up") {
    paper_account acct;
    CHECK(acct.taker_fee_rate(venue::binance) == dec("0.001"));
    CHECK(acct.taker_fee_rate(venue::coinbase) == dec("0.006"));
    CHECK(fee_rate_bps(25) == dec("0.0025"));
    acct.set_taker_fee_rate(venue::okx, fee_rate_bps(8));
    const std::vector<book_level> asks = {{dec("0.00012345"), dec("1")}};
    order_book book;
    REQUIRE_FALSE(book.apply_snapshot({}, asks));
    const paper_result r = acct.execute(order(order_side::buy, order_type::market, "", "1", venue::okx), book, 0);
    CHECK(r.fees == dec("0.00000010"));  // 0.00012345 x 0.0008 = 0.000000098760, rounded up
    CHECK(r.notional == dec("0.00012345"));
    acct.set_taker_fee_rate(venue::okx, dec("0"));
    const paper_result free = acct.execute(order(order_side::buy, order_type::market, "", "1", venue::okx), book, 0);
    CHECK(free.fees == decimal{});
}

TEST_CASE("paper: P&L signs for long and short, marked to the book") {
    paper_account acct;
    acct.set_taker_fee_rate(venue::binance, dec("0"));
    const order_book book = make_book();
    REQUIRE_FALSE(acct.execute(order(order_side::buy, order_type::market, "", "1"), book, 0).ec);  // long 1 @ 100
    REQUIRE_FALSE(acct.mark(venue::binance, sym("BTC-USDT"), dec("110"), dec("111")));
    CHECK(acct.pnl().unrealized == dec("10"));  // marked at the bid
    REQUIRE_FALSE(acct.mark(venue::binance, sym("BTC-USDT"), dec("95"), dec("96")));
    CHECK(acct.pnl().unrealized == dec("-5"));

    paper_account shorts;
    shorts.set_taker_fee_rate(venue::binance, dec("0"));
    REQUIRE_FALSE(shorts.execute(order(order_side::sell, order_type::market, "", "2"), book, 0).ec);  // 99 + 98
    const position* p = shorts.find_position(venue::binance, sym("BTC-USDT"));
    CHECK(p->quantity == dec("-2"));
    CHECK(p->cost == dec("-197"));
    CHECK(p->average_entry_price().value == dec("98.5"));
    REQUIRE_FALSE(shorts.mark(venue::binance, sym("BTC-USDT"), dec("89"), dec("90")));
    CHECK(shorts.pnl().unrealized == dec("17"));  // bought back at the ask: 197 - 180
    REQUIRE_FALSE(shorts.mark(venue::binance, sym("BTC-USDT"), dec("109"), dec("110")));
    CHECK(shorts.pnl().unrealized == dec("-23"));
    CHECK(shorts.pnl().net == dec("-23"));
}

TEST_CASE("paper: flat after a round trip at one price is minus the fees") {
    paper_account acct;
    order_book at_100;
    const std::vector<book_level> both = {{dec("100"), dec("10")}};
    REQUIRE_FALSE(at_100.apply_snapshot(both, both));
    const paper_result b = acct.execute(order(order_side::buy, order_type::market, "", "1.5"), at_100, 0);
    const paper_result s = acct.execute(order(order_side::sell, order_type::market, "", "1.5"), at_100, 0);
    REQUIRE_FALSE(b.ec);
    REQUIRE_FALSE(s.ec);
    const position* p = acct.find_position(venue::binance, sym("BTC-USDT"));
    CHECK(p->flat());
    CHECK(p->cost == decimal{});
    CHECK(p->realized_pnl == decimal{});
    const pnl_summary t = acct.pnl();
    CHECK(t.fees == dec("0.3"));
    CHECK(t.net == dec("-0.3"));
    CHECK(t.net == -(b.fees + s.fees));
    // Through the spread: buy at the ask, sell at the bid.
    paper_account spread;
    const order_book book = make_book();
    REQUIRE_FALSE(spread.execute(order(order_side::buy, order_type::market, "", "1"), book, 0).ec);   // 100
    REQUIRE_FALSE(spread.execute(order(order_side::sell, order_type::market, "", "1"), book, 0).ec);  // 99
    CHECK(spread.pnl().realized == dec("-1"));
    CHECK(spread.pnl().fees == dec("0.199"));
    CHECK(spread.pnl().net == dec("-1.199"));
}

TEST_CASE("paper: P&L per venue and in total") {
    paper_account acct;
    acct.set_taker_fee_rate(venue::okx, fee_rate_bps(0));
    acct.set_taker_fee_rate(venue::binance, fee_rate_bps(0));
    const order_book book = make_book();
    REQUIRE_FALSE(acct.execute(order(order_side::buy, order_type::market, "", "1", venue::binance), book, 0).ec);
    REQUIRE_FALSE(acct.execute(order(order_side::sell, order_type::market, "", "1", venue::okx), book, 0).ec);
    REQUIRE_FALSE(acct.mark(venue::binance, sym("BTC-USDT"), dec("105"), dec("106")));
    REQUIRE_FALSE(acct.mark(venue::okx, sym("BTC-USDT"), dec("105"), dec("106")));
    CHECK(acct.pnl(venue::binance).unrealized == dec("5"));
    CHECK(acct.pnl(venue::okx).unrealized == dec("-7"));  // sold at 99, marked at 106
    CHECK(acct.pnl(venue::okx, sym("BTC-USDT")).net == dec("-7"));
    CHECK(acct.pnl().net == dec("-2"));
    CHECK(acct.pnl(venue::kraken).net == decimal{});
    int n = 0;
    acct.for_each_position([&](venue, const symbol& s, const position& p) {
        CHECK(s.str() == "BTC-USDT");
        CHECK(abs(p.quantity) == dec("1"));
        ++n;
    });
    CHECK(n == 2);
    acct.reset();
    CHECK(acct.pnl().net == decimal{});
    CHECK(acct.find_position(venue::okx, sym("BTC-USDT"))->flat());
}

TEST_CASE("paper: against a BBO") {
    paper_account acct;
    tradewire::market::bbo top;
    top.venue = venue::bybit;
    top.symbol = sym("BTC-USDT");
    top.bid_price = dec("99");
    top.bid_quantity = dec("0.5");
    top.ask_price = dec("100");
    top.ask_quantity = dec("0.25");
    top.receive_time = 42;
    std::int64_t time = 0;
    const paper_result r = acct.execute(order(order_side::buy, order_type::market, "", "1", venue::bybit), top,
                                        [&](const fill& f) { time = f.venue_time; });
    CHECK(r.filled == dec("0.25"));
    CHECK(r.remaining == dec("0.75"));
    CHECK(time == 42);
    top.exchange_time = 40;
    top.bid_quantity = dec("0");
    const paper_result none = acct.execute(order(order_side::sell, order_type::market, "", "1", venue::bybit), top);
    CHECK(none.filled == decimal{});
    REQUIRE_FALSE(acct.mark(top.venue, top.symbol, dec("99"), dec("100")));
}

TEST_CASE("paper: executions do not allocate") {
    paper_account acct;
    const order_book book = make_book();
    const order_request b = order(order_side::buy, order_type::market, "", "3.5");
    const order_request s = order(order_side::sell, order_type::limit, "97", "3.5");
    REQUIRE_FALSE(acct.execute(b, book, 0).ec);  // the instrument's slot
    const std::size_t before = alloc_test::allocations();
    for (int i = 0; i < 100; ++i) {
        REQUIRE_FALSE(acct.execute(b, book, i).ec);
        REQUIRE_FALSE(acct.execute(s, book, i).ec);
    }
    CHECK(acct.pnl().fees.sign() > 0);
    CHECK(alloc_test::allocations() == before);
}

TEST_CASE("paper and risk together: paper fills drive the kill switch") {
    risk_config rc;
    rc.dry_run = false;  // paper trading exercises the live path; the paper account is the venue
    rc.max_loss = dec("3");
    risk_engine<tradewire::manual_clock> risk(rc);
    REQUIRE_FALSE(risk.add_instrument({venue::binance, sym("BTC-USDT"), dec("10"), dec("100000")}));
    paper_account acct;
    const order_book book = make_book();
    auto trade = [&](const order_request& o) {
        const risk_decision d = risk.check(o);
        if (!d.may_send()) return d.ec;
        acct.execute(o, book, 0, [&](const fill& f) { (void)risk.on_fill(d.ticket, f); });
        (void)risk.on_order_done(d.ticket);  // whatever did not fill is cancelled
        return std::error_code{};
    };
    order_request b = order(order_side::buy, order_type::market, "102", "2");
    CHECK_FALSE(trade(b));  // 100 + 101, fees 0.201
    order_request s = order(order_side::sell, order_type::market, "97", "2");
    CHECK_FALSE(trade(s));  // 99 + 98: realized -4, fees 0.197
    CHECK(risk.pnl().realized == acct.pnl().realized);
    CHECK(risk.pnl().fees == acct.pnl().fees);
    CHECK(risk.pnl().net == dec("-4.398"));
    CHECK(risk.open_orders() == 0);
    CHECK(trade(b) == risk_error::kill_switch_tripped);
}
