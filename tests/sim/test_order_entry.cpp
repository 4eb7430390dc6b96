// sim::order_entry_venue driven by trade::order_session: login checks, Binance fills at
// the model's book, OKX/Bybit acks, refusals (wrong secret, unknown symbol), and a
// re-login after the venue drops the connection.
#include "catch.hpp"

#include <tradewire/sim/market_model.hpp>
#include <tradewire/sim/order_entry.hpp>
#include <tradewire/trade/order_session.hpp>

#include <asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace tradewire;
using namespace tradewire::trade;
using namespace std::chrono_literals;

namespace {

struct seen {
    order_event_kind kind{};
    order_status status{};
    std::int64_t code = 0;
    std::uint64_t request_id = 0;
};

struct recorder {
    std::shared_ptr<std::vector<seen>> events = std::make_shared<std::vector<seen>>();
    void on_order_event(const order_event& e, const sent_order*) {
        events->push_back({e.kind, e.status, e.code, e.request_id});
    }
};

market::venue market_venue(sim::venue_id v) {
    return v == sim::venue_id::binance ? market::venue::binance
           : v == sim::venue_id::okx   ? market::venue::okx
                                       : market::venue::bybit;
}

decimal dec(std::string_view t) {
    return decimal::parse(t).value;
}

struct rig {
    asio::io_context io;
    sim::market_model model{sim::model_config{}};
    std::optional<sim::order_entry_venue> venue;
    risk_engine<> risk;
    recorder rec;
    std::optional<order_session<recorder, net::tcp_socket>> session;
    order_template_handle buy, buy_unknown;
    sim::venue_id v;

    rig(sim::venue_id vid, std::string secret) : v(vid) {
        sim::order_entry_options o;
        o.venue = v;
        o.api_key = "sim-key";
        o.secret = "sim-secret";
        o.passphrase = "sim-pass";
        venue.emplace(io, model, o);
        REQUIRE_FALSE(venue->start());

        risk.set_dry_run(false);
        std::error_code ec;
        const symbol sym = symbol::parse("BTC-USDT", ec);
        const symbol eth = symbol::parse("DOGE-USDT", ec);
        const market::venue mv = market_venue(v);
        REQUIRE_FALSE(risk.add_instrument({mv, sym, dec("10"), dec("10000000")}));
        REQUIRE_FALSE(risk.add_instrument({mv, eth, dec("10"), dec("10000000")}));
        order_session_options so;
        so.venue = mv;
        so.connection.url = venue->url();
        so.connection.backoff.initial = 20ms;
        so.connection.backoff.cap = 100ms;
        session.emplace(io, credentials("sim-key", secret, "sim-pass"), std::move(so), risk, rec, ec);
        REQUIRE_FALSE(ec);
        order_spec spec;
        spec.symbol = v == sim::venue_id::okx ? "BTC-USDT" : "BTCUSDT";
        buy = session->add_template(spec, sym, ec);
        REQUIRE_FALSE(ec);
        spec.symbol = v == sim::venue_id::okx ? "DOGE-USDT" : "DOGEUSDT";
        buy_unknown = session->add_template(spec, eth, ec);
        REQUIRE_FALSE(ec);
    }

    template <class Pred>
    bool run_until(Pred pred, std::chrono::steady_clock::duration limit = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!pred()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            if (io.stopped()) io.restart();
            io.run_one_for(20ms);
        }
        return true;
    }

    std::size_t count(order_event_kind k) const {
        std::size_t n = 0;
        for (const auto& e : *rec.events)
            if (e.kind == k) ++n;
        return n;
    }

    decimal best_ask() const {
        const auto& b = model.book(v, 0);
        return decimal::from_parts(b.best_ask(), -2).value;
    }
    decimal best_bid() const {
        const auto& b = model.book(v, 0);
        return decimal::from_parts(b.best_bid(), -2).value;
    }
};

}  // namespace

TEST_CASE("sim order entry accepts signed orders after login and prices Binance fills from the model") {
    const auto v = GENERATE(values({sim::venue_id::binance, sim::venue_id::okx, sim::venue_id::bybit}));
    CAPTURE(sim::to_string(v));
    rig r(v, "sim-secret");
    REQUIRE_FALSE(r.session->start());
    REQUIRE(r.run_until([&] { return r.session->logged_in(); }));
    if (v != sim::venue_id::binance) CHECK(r.venue->stats().logins == 1);

    // Crosses the book: Binance fills it; the others acknowledge.
    const send_result a = r.session->send(r.buy, r.best_ask() + dec("10"), dec("0.01"));
    REQUIRE(a.written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::accepted) == 1; }));
    CHECK(r.rec.events->back().request_id == a.request_id);
    CHECK(r.rec.events->back().status ==
          (v == sim::venue_id::binance ? order_status::filled : order_status::accepted));
    // Below the bid: Binance keeps it resting (NEW).
    const send_result b = r.session->send(r.buy, r.best_bid() - dec("100"), dec("0.01"));
    REQUIRE(b.written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::accepted) == 2; }));
    if (v == sim::venue_id::binance) {
        CHECK(r.rec.events->back().status == order_status::new_order);
        CHECK(r.venue->stats().orders_filled == 1);
    }
    // An instrument the model does not have is refused.
    const send_result c = r.session->send(r.buy_unknown, dec("1"), dec("1"));
    REQUIRE(c.written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::rejected) == 1; }));
    CHECK(r.rec.events->back().request_id == c.request_id);
    CHECK(r.venue->stats().orders_accepted == 2);
    CHECK(r.venue->stats().orders_refused == 1);
}

TEST_CASE("sim order entry refuses a wrong secret") {
    const auto v = GENERATE(values({sim::venue_id::binance, sim::venue_id::okx, sim::venue_id::bybit}));
    CAPTURE(sim::to_string(v));
    rig r(v, "not-the-secret");
    REQUIRE_FALSE(r.session->start());
    if (v == sim::venue_id::binance) {
        REQUIRE(r.run_until([&] { return r.session->logged_in(); }));
        REQUIRE(r.session->send(r.buy, r.best_ask(), dec("0.01")).written());
        REQUIRE(r.run_until([&] { return r.count(order_event_kind::rejected) == 1; }));
        CHECK(r.rec.events->back().code == -1022);
    } else {
        REQUIRE(r.run_until([&] { return r.session->login_refused(); }));
        CHECK(r.rec.events->back().code == (v == sim::venue_id::okx ? 60009 : 10004));
        CHECK(r.venue->stats().logins_refused == 1);
    }
    CHECK(r.venue->stats().orders_accepted == 0);
}

TEST_CASE("sim order entry drop makes the session log in again") {
    const auto v = GENERATE(values({sim::venue_id::okx, sim::venue_id::bybit}));
    CAPTURE(sim::to_string(v));
    rig r(v, "sim-secret");
    REQUIRE_FALSE(r.session->start());
    REQUIRE(r.run_until([&] { return r.session->logged_in(); }));
    r.venue->drop_all();
    REQUIRE(r.run_until([&] { return r.session->logins() == 2 && r.session->logged_in(); }));
    CHECK(r.venue->stats().logins == 2);
    REQUIRE(r.session->send(r.buy, r.best_ask(), dec("0.01")).written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::accepted) == 1; }));
}
