// Trade de-duplication across reconnects and rotations (feed/detail/trade_dedup.hpp):
// the per-venue rules, the id window that lets a late trade from the old connection
// through once, Binance symbols with two id spaces, book ticker update ids.
#include "catch.hpp"

#include <tradewire/feed/detail/trade_dedup.hpp>

#include <string>
#include <vector>

using namespace tradewire;
using tradewire::detail::feed_impl::dedup_rule;
using tradewire::detail::feed_impl::trade_dedup;

namespace {

symbol sym(std::string_view text) {
    std::error_code ec;
    return symbol::parse(text, ec);
}

market::trade trade_of(const symbol& s, std::string_view id) {
    market::trade t;
    t.symbol = s;
    REQUIRE(t.id.assign(id));
    return t;
}

std::vector<std::string> deliver(trade_dedup& d, const symbol& s, std::initializer_list<const char*> ids) {
    std::vector<std::string> out;
    for (const char* id : ids)
        if (d.fresh(trade_of(s, id))) out.emplace_back(id);
    return out;
}

}  // namespace

TEST_CASE("dedup rules per venue") {
    CHECK(tradewire::detail::feed_impl::dedup_rule_for(market::venue::binance) == dedup_rule::increasing);
    CHECK(tradewire::detail::feed_impl::dedup_rule_for(market::venue::okx) == dedup_rule::recent_exact);
    CHECK(tradewire::detail::feed_impl::dedup_rule_for(market::venue::bybit) == dedup_rule::recent_exact);
}

TEST_CASE("increasing ids: repeats dropped, late ids from the old connection delivered once") {
    trade_dedup d(dedup_rule::increasing);
    const symbol btc = sym("BTC-USDT"), eth = sym("ETH-USDT");
    d.add(btc);
    d.add(eth);
    // Old connection: 30..33; new one overtakes with 36, 37; the old one's 34, 35 arrive
    // late; then both repeat 36, 37.
    const auto got =
        deliver(d, btc, {"30", "31", "32", "33", "36", "37", "34", "35", "36", "37", "35", "38"});
    CHECK(got == std::vector<std::string>{"30", "31", "32", "33", "36", "37", "34", "35", "38"});
    CHECK(d.dropped() == 3);
    // Symbols are independent.
    CHECK(deliver(d, eth, {"5", "6", "6"}) == std::vector<std::string>{"5", "6"});
    // Far behind the window: dropped as a presumed repeat, told apart from an exact one.
    CHECK(d.fresh(trade_of(btc, "10000")));
    CHECK(d.check(trade_of(btc, std::to_string(10000 - trade_dedup::id_window))) ==
          trade_dedup::verdict::too_old);
    CHECK(d.check(trade_of(btc, "10000")) == trade_dedup::verdict::repeat);
    CHECK(d.check(trade_of(btc, std::to_string(10001 - trade_dedup::id_window))) ==
          trade_dedup::verdict::fresh);
    // A jump far ahead clears the window.
    CHECK(deliver(d, btc, {"100000", "99999", "100000"}) == std::vector<std::string>{"100000", "99999"});
    // Skipped ids stay deliverable while the highest id moves on (the ring's bits of
    // the skipped ids are cleared, even after wrapping around the ring).
    CHECK(deliver(d, btc, {"100063", "104127", "100064", "100064", "104000", "104128", "104000"}) ==
          std::vector<std::string>{"100063", "104127", "100064", "104000", "104128"});
    // Not an integer: never dropped by this rule; unknown symbols pass.
    CHECK(deliver(d, btc, {"x1", "x1"}).size() == 2);
    CHECK(deliver(d, sym("SOL-USDT"), {"1", "1"}).size() == 2);
}

TEST_CASE("exact-repeat window (OKX, Bybit ids)") {
    trade_dedup d(dedup_rule::recent_exact);
    const symbol s = sym("BTC-USDT");
    d.add(s);
    CHECK(deliver(d, s, {"a1b2-uuid", "c3d4-uuid", "a1b2-uuid", "130639474", "130639474"}) ==
          std::vector<std::string>{"a1b2-uuid", "c3d4-uuid", "130639474"});
    // Remembers the last `window` ids: after that many others an old id passes again.
    for (std::size_t i = 0; i < trade_dedup::window; ++i)
        REQUIRE(d.fresh(trade_of(s, "n" + std::to_string(i))));
    CHECK(d.fresh(trade_of(s, "a1b2-uuid")));
    CHECK_FALSE(d.fresh(trade_of(s, "n" + std::to_string(trade_dedup::window - 1))));
}

TEST_CASE("dedup off and disabled symbols let everything through") {
    trade_dedup off(dedup_rule::off);
    const symbol s = sym("BTC-USDT");
    off.add(s);
    CHECK(deliver(off, s, {"1", "1", "1"}).size() == 3);
    trade_dedup d(dedup_rule::increasing);
    d.add(s);         // @trade
    d.add(s, false);  // and @aggTrade: two id spaces
    CHECK(deliver(d, s, {"5", "5", "4"}).size() == 3);
    CHECK(d.dropped() == 0);
}

TEST_CASE("book tickers: older or repeated update ids dropped (increasing rule only)") {
    trade_dedup d(dedup_rule::increasing);
    const symbol s = sym("BNB-USDT");
    d.add(s);
    market::bbo b;
    b.symbol = s;
    b.update_id = 400900217;
    CHECK(d.fresh(b));
    CHECK_FALSE(d.fresh(b));
    b.update_id = 400900216;
    CHECK_FALSE(d.fresh(b));
    b.update_id = 400900218;
    CHECK(d.fresh(b));
    b.update_id.reset();
    CHECK(d.fresh(b));  // no id: nothing to compare
    trade_dedup okx(dedup_rule::recent_exact);
    okx.add(s);
    b.update_id = 5;
    CHECK(okx.fresh(b));
    CHECK(okx.fresh(b));  // OKX seqIds may reset: not judged
}
