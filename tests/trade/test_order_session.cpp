// order_session against a local venue on 127.0.0.1 (order_venue_server.hpp) that checks
// every login and signed order with the test key: login success and refusal, order ack,
// reject with the venue's code, malformed and unknown answers, the kill switch, the
// order-rate limit, dry run, missing credentials, and a re-login after a reconnect, for
// Binance (HMAC and Ed25519), OKX and Bybit.
#include "catch.hpp"

#include "order_venue_server.hpp"

#include <tradewire/trade/order_session.hpp>

#include <asio/io_context.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace tradewire;
using namespace tradewire::trade;
using namespace std::chrono_literals;
using market::venue;

namespace {

// Binance's documented test key pair (REFERENCE.md 1.8); self-chosen ones elsewhere.
constexpr std::string_view binance_key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr std::string_view binance_secret =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr std::string_view okx_key = "okx-test-key-0001";
constexpr std::string_view okx_secret = "22582BD0CFF14C41EDBF1AB98506286D";
constexpr std::string_view okx_passphrase = "test-passphrase";
constexpr std::string_view bybit_key = "bybit-test-key-0001";
constexpr std::string_view bybit_secret = "bybit-test-secret-0001";

std::string test_data(const std::string& name) {
    std::ifstream in(std::string(TRADEWIRE_TEST_DATA_DIR) + "/crypto/" + name, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

decimal dec(std::string_view text) {
    const auto r = decimal::parse(text);
    REQUIRE(r);
    return r.value;
}

struct recorded {
    order_event_kind kind{};
    std::uint64_t request_id = 0;
    std::int64_t code = 0;
    std::string message;
    std::string venue_order_id;
    std::string client_order_id;
    order_status status{};
    std::error_code ec;
    bool matched = false;
    order_ticket ticket{};
};

struct recorder {
    std::shared_ptr<std::vector<recorded>> events = std::make_shared<std::vector<recorded>>();
    std::shared_ptr<int> ups = std::make_shared<int>(0);
    std::shared_ptr<int> downs = std::make_shared<int>(0);

    void on_order_event(const order_event& e, const sent_order* o) {
        recorded r{e.kind,
                   e.request_id,
                   e.code,
                   std::string(e.message),
                   std::string(e.venue_order_id),
                   std::string(e.client_order_id),
                   e.status,
                   e.ec,
                   o != nullptr,
                   o != nullptr ? o->ticket : order_ticket{}};
        events->push_back(std::move(r));
    }
    void on_connection(const net::connection_event& e) {
        if (e.kind == net::connection_event_kind::up) ++*ups;
        if (e.kind == net::connection_event_kind::down) ++*downs;
    }
};

using session_type = order_session<recorder, net::tcp_socket>;

struct rig {
    asio::io_context io;
    std::shared_ptr<order_venue::venue_state> st = std::make_shared<order_venue::venue_state>();
    std::optional<net::ws_server<order_venue::venue_server>> server;
    risk_engine<> risk;
    recorder rec;
    std::optional<session_type> session;
    order_template_handle buy;
    std::error_code setup_ec;

    explicit rig(venue v, credentials creds, bool live = true,
                 rate_limits rates = default_rate_limits(venue::binance))
        : risk(risk_config{}) {
        st->v = v;
        if (v == venue::binance) {
            st->api_key = binance_key;
            st->secret = binance_secret;
        } else if (v == venue::okx) {
            st->api_key = okx_key;
            st->secret = okx_secret;
            st->passphrase = okx_passphrase;
        } else {
            st->api_key = bybit_key;
            st->secret = bybit_secret;
        }
        server.emplace(io, net::ws_server_options{}, order_venue::venue_server{st});
        REQUIRE_FALSE((*server)->listen());

        risk.set_dry_run(!live);
        std::error_code ec;
        const symbol sym = symbol::parse("BTC-USDT", ec);
        REQUIRE_FALSE(ec);
        REQUIRE_FALSE(risk.add_instrument({v, sym, dec("100"), dec("1000000")}));
        venue_limits vl = default_venue_limits(v);
        vl.max_open_orders = 100;
        if (v == venue::binance) vl.rates = rates;
        REQUIRE_FALSE(risk.set_venue_limits(vl));

        order_session_options o;
        o.venue = v;
        o.connection.url = "ws://127.0.0.1:" + std::to_string((*server)->port()) +
                           (v == venue::binance ? "/ws-api/v3"
                            : v == venue::okx   ? "/ws/v5/private"
                                                : "/v5/trade");
        o.connection.backoff.initial = 20ms;
        o.connection.backoff.cap = 100ms;
        o.heartbeat_interval = 50ms;
        session.emplace(io, std::move(creds), std::move(o), risk, rec, setup_ec);
        if (setup_ec) return;
        order_spec spec;
        spec.symbol = v == venue::okx ? "BTC-USDT" : "BTCUSDT";
        spec.side = order_side::buy;
        spec.type = order_type::limit;
        spec.client_order_id = true;
        spec.client_id_prefix = "tw";
        buy = session->add_template(spec, sym, ec);
        REQUIRE_FALSE(ec);
    }

    std::vector<recorded>& events() { return *rec.events; }

    std::size_t count(order_event_kind k) {
        std::size_t n = 0;
        for (const auto& e : events())
            if (e.kind == k) ++n;
        return n;
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

    void run_for(std::chrono::steady_clock::duration d) {
        const auto until = std::chrono::steady_clock::now() + d;
        run_until([&] { return std::chrono::steady_clock::now() > until; }, d + 1s);
    }

    bool login() {
        if (session->start()) return false;
        return run_until([&] { return session->logged_in(); });
    }
};

credentials creds_for(venue v) {
    if (v == venue::binance) return credentials(binance_key, binance_secret);
    if (v == venue::okx) return credentials(okx_key, okx_secret, okx_passphrase);
    return credentials(bybit_key, bybit_secret);
}

credentials wrong_creds_for(venue v) {
    if (v == venue::binance) return credentials(binance_key, "wrong-secret");
    if (v == venue::okx) return credentials(okx_key, "wrong-secret", okx_passphrase);
    return credentials(bybit_key, "wrong-secret");
}

}  // namespace

TEST_CASE("order session logs in, gets an order acknowledged and a reject with the venue code") {
    const venue v = GENERATE(values({venue::binance, venue::okx, venue::bybit}));
    CAPTURE(to_string(v));
    rig r(v, creds_for(v));
    REQUIRE_FALSE(r.setup_ec);
    REQUIRE(r.login());
    CHECK(r.count(order_event_kind::logged_in) == 1);
    if (v != venue::binance) CHECK(r.st->logins_ok == 1);

    const send_result a = r.session->send(r.buy, dec("25000.5"), dec("0.01"), "ordack1");
    REQUIRE_FALSE(a.ec);
    REQUIRE(a.written());
    CHECK(a.decision.ticket.valid());
    const send_result b = r.session->send(r.buy, dec("25000.5"), dec("13"));  // the venue rejects 13
    REQUIRE(b.written());
    CHECK(r.session->pending() == 2);
    REQUIRE(r.run_until(
        [&] { return r.count(order_event_kind::accepted) + r.count(order_event_kind::rejected) == 2; }));

    CHECK(r.st->orders_ok == 2);
    CHECK(r.st->orders_bad == 0);
    CHECK(r.st->rejected == 1);
    CHECK(r.session->pending() == 0);
    for (const auto& e : r.events()) {
        if (e.kind == order_event_kind::accepted) {
            CHECK(e.request_id == a.request_id);
            CHECK(e.matched);
            CHECK(e.client_order_id == "ordack1");
            CHECK_FALSE(e.venue_order_id.empty());
            CHECK(e.ticket == a.decision.ticket);
        }
        if (e.kind == order_event_kind::rejected) {
            CHECK(e.request_id == b.request_id);
            CHECK(e.matched);
            CHECK(e.code == (v == venue::binance ? -2010 : v == venue::okx ? 60013 : 10001));
            CHECK_FALSE(e.message.empty());
        }
    }
    // The reject released its reservation; the ack keeps its own open.
    CHECK(r.risk.on_order_done(b.decision.ticket) == risk_error::unknown_ticket);
    CHECK_FALSE(r.risk.on_order_done(a.decision.ticket));
    // The generated client order id went out with the prefix.
    CHECK(r.st->orders.back().find("\"tw") != std::string::npos);
}

TEST_CASE("order session with a wrong secret is refused at login and stops") {
    const venue v = GENERATE(values({venue::binance, venue::okx, venue::bybit}));
    CAPTURE(to_string(v));
    rig r(v, wrong_creds_for(v));
    REQUIRE_FALSE(r.setup_ec);
    REQUIRE_FALSE(r.session->start());
    if (v == venue::binance) {
        // HMAC keys have no login: the venue refuses the first signed order instead.
        REQUIRE(r.run_until([&] { return r.session->logged_in(); }));
        const send_result s = r.session->send(r.buy, dec("100"), dec("0.5"));
        REQUIRE(s.written());
        REQUIRE(r.run_until([&] { return r.count(order_event_kind::rejected) == 1; }));
        CHECK(r.events().back().code == -1022);
        CHECK(r.st->orders_bad == 1);
        CHECK(r.st->orders_ok == 0);
        return;
    }
    REQUIRE(r.run_until([&] { return r.session->login_refused(); }));
    CHECK(r.count(order_event_kind::login_failed) == 1);
    CHECK(r.events().back().code == (v == venue::okx ? 60009 : 10004));
    CHECK(r.st->logins_bad == 1);
    CHECK_FALSE(r.session->logged_in());
    const send_result s = r.session->send(r.buy, dec("100"), dec("0.5"));
    CHECK(s.ec == order_entry_error::not_logged_in);
    CHECK_FALSE(s.written());
    r.run_for(200ms);
    CHECK(r.st->logins_bad == 1);  // no retry loop with refused keys
    CHECK(r.st->orders.empty());
}

TEST_CASE("order session binance Ed25519 key logs on with session.logon and signs orders") {
    const std::string pem = test_data("ed25519_throwaway_test_key.pem");
    REQUIRE_FALSE(pem.empty());
    rig r(venue::binance, credentials(binance_key, pem));
    REQUIRE_FALSE(r.setup_ec);
    tradewire::crypto::ed25519_public_key pub;
    REQUIRE_FALSE(tradewire::crypto::parse_ed25519_public_key_pem(
        test_data("ed25519_throwaway_test_key.pub.pem"), pub));
    r.st->ed25519_key = pub;
    REQUIRE(r.login());
    CHECK(r.st->logins_ok == 1);
    const send_result a = r.session->send(r.buy, dec("101.25"), dec("0.2"));
    REQUIRE(a.written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::accepted) == 1; }));
    CHECK(r.st->orders_ok == 1);
}

TEST_CASE("order session binance Ed25519 logon refused by a venue holding another key") {
    const std::string pem = test_data("ed25519_throwaway_test_key.pem");
    rig r(venue::binance, credentials(binance_key, pem));
    REQUIRE_FALSE(r.setup_ec);
    tradewire::crypto::ed25519_public_key other{};
    other[0] = 1;
    r.st->ed25519_key = other;
    REQUIRE_FALSE(r.session->start());
    REQUIRE(r.run_until([&] { return r.session->login_refused(); }));
    CHECK(r.events().back().kind == order_event_kind::login_failed);
    CHECK(r.events().back().code == -1022);
}

TEST_CASE("order session reports malformed and unknown answers and keeps going") {
    const venue v = GENERATE(values({venue::binance, venue::okx, venue::bybit}));
    CAPTURE(to_string(v));
    rig r(v, creds_for(v));
    REQUIRE(r.login());
    r.st->malformed_next = true;
    REQUIRE(r.session->send(r.buy, dec("100"), dec("0.5")).written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::malformed) == 1; }));
    CHECK_FALSE(r.events().back().matched);
    r.st->unknown_next = true;
    REQUIRE(r.session->send(r.buy, dec("100"), dec("0.5")).written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::unrecognized) == 1; }));
    CHECK(r.events().back().ec == order_entry_error::unrecognized_response);
    // The session still works.
    const send_result c = r.session->send(r.buy, dec("100"), dec("0.5"));
    REQUIRE(c.written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::accepted) == 1; }));
    CHECK(r.events().back().request_id == c.request_id);
}

TEST_CASE("order session kill switch stops sending before anything is written") {
    const venue v = GENERATE(values({venue::binance, venue::okx, venue::bybit}));
    CAPTURE(to_string(v));
    rig r(v, creds_for(v));
    REQUIRE(r.login());
    REQUIRE(r.session->send(r.buy, dec("100"), dec("0.5")).written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::accepted) == 1; }));
    r.risk.kill().trip();
    const send_result s = r.session->send(r.buy, dec("100"), dec("0.5"));
    CHECK(s.ec == risk_error::kill_switch_tripped);
    CHECK_FALSE(s.written());
    r.run_for(100ms);
    CHECK(r.st->orders.size() == 1);
}

TEST_CASE("order session respects the venue order-rate limit") {
    rate_limits rates;
    rates.add(sliding_window(2, 10 * ns_per_second));
    rig r(venue::binance, creds_for(venue::binance), true, rates);
    REQUIRE(r.login());
    CHECK(r.session->send(r.buy, dec("100"), dec("0.5")).written());
    CHECK(r.session->send(r.buy, dec("100"), dec("0.5")).written());
    const send_result third = r.session->send(r.buy, dec("100"), dec("0.5"));
    CHECK(third.ec == risk_error::rate_limited);
    CHECK(third.decision.retry_at > 0);
    CHECK_FALSE(third.written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::accepted) == 2; }));
    r.run_for(50ms);
    CHECK(r.st->orders.size() == 2);
}

TEST_CASE("order session in dry run writes nothing") {
    rig r(venue::bybit, creds_for(venue::bybit), false);
    REQUIRE(r.login());
    const send_result s = r.session->send(r.buy, dec("100"), dec("0.5"));
    CHECK_FALSE(s.ec);
    CHECK(s.decision.dry_run);
    CHECK_FALSE(s.written());
    r.run_for(100ms);
    CHECK(r.st->orders.empty());
}

TEST_CASE("order session refuses to run without credentials") {
    const venue v = GENERATE(values({venue::binance, venue::okx, venue::bybit}));
    CAPTURE(to_string(v));
    {
        rig r(v, credentials{});
        CHECK(r.setup_ec == trade::error::missing_credential);
        CHECK(r.session->start() == trade::error::missing_credential);
        CHECK(r.session->send(order_template_handle{0}, dec("1"), dec("1")).ec);
        CHECK(r.session->connection() == nullptr);
    }
    if (v == venue::okx) {
        rig r(v, credentials(okx_key, okx_secret));  // no passphrase
        CHECK(r.setup_ec == trade::error::missing_credential);
    }
}

TEST_CASE("order session sends nothing before it is logged in") {
    rig r(venue::okx, creds_for(venue::okx));
    const send_result s = r.session->send(r.buy, dec("100"), dec("0.5"));
    CHECK(s.ec == order_entry_error::not_logged_in);
    CHECK(r.session->send(order_template_handle{7}, dec("100"), dec("0.5")).ec ==
          order_entry_error::unknown_template);
}

TEST_CASE("order session logs in again after a reconnect and reports lost answers") {
    const venue v = GENERATE(values({venue::binance, venue::okx, venue::bybit}));
    CAPTURE(to_string(v));
    rig r(v, creds_for(v));
    REQUIRE(r.login());
    r.st->silent_next = true;  // this order's answer never comes
    const send_result lost = r.session->send(r.buy, dec("100"), dec("0.5"));
    REQUIRE(lost.written());
    REQUIRE(r.run_until([&] { return r.st->orders.size() == 1; }));
    (*r.server)->abort(r.st->last_session);
    REQUIRE(r.run_until([&] { return *r.rec.downs == 1; }));
    REQUIRE(r.run_until([&] { return r.session->logged_in() && *r.rec.ups == 2; }));
    CHECK(r.session->logins() == 2);
    if (v != venue::binance) CHECK(r.st->logins_ok == 2);
    bool reported = false;
    for (const auto& e : r.events())
        if (e.kind == order_event_kind::error && e.request_id == lost.request_id &&
            e.ec == order_entry_error::unknown_outcome)
            reported = true;
    CHECK(reported);
    CHECK(r.session->pending() == 0);
    const send_result again = r.session->send(r.buy, dec("100"), dec("0.5"));
    REQUIRE(again.written());
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::accepted) == 1; }));
    CHECK(r.st->orders_bad == 0);
}

TEST_CASE("order session keeps OKX and Bybit connections alive with their pings") {
    const venue v = GENERATE(values({venue::okx, venue::bybit}));
    CAPTURE(to_string(v));
    rig r(v, creds_for(v));
    REQUIRE(r.login());
    REQUIRE(r.run_until([&] { return r.st->pings >= 2; }));
    CHECK(r.count(order_event_kind::malformed) == 0);
    CHECK(r.count(order_event_kind::unrecognized) == 0);
}

TEST_CASE("order session sends orders whose risk check already ran with their tickets") {
    rig r(venue::okx, creds_for(venue::okx));
    REQUIRE(r.login());
    order_request o;
    o.venue = venue::okx;
    std::error_code ec;
    o.symbol = symbol::parse("BTC-USDT", ec);
    o.price = dec("100");
    o.quantity = dec("13");  // the venue rejects it
    const risk_decision d = r.risk.check(o);
    REQUIRE(d.may_send());
    const send_result s = r.session->send_reserved(r.buy, o.price, o.quantity, d.ticket);
    REQUIRE(s.written());
    CHECK(s.decision.ticket == d.ticket);
    REQUIRE(r.run_until([&] { return r.count(order_event_kind::rejected) == 1; }));
    CHECK(r.events().back().ticket == d.ticket);
    // The rejection released the detector's reservation.
    CHECK(r.risk.on_order_done(d.ticket) == risk_error::unknown_ticket);
    // A dry-run decision has no ticket: never sent.
    CHECK(r.session->send_reserved(r.buy, o.price, dec("1"), order_ticket{}).ec ==
          risk_error::unknown_ticket);
    // The kill switch still stops it.
    const risk_decision d2 = r.risk.check(o);
    REQUIRE(d2.may_send());
    r.risk.kill().trip();
    CHECK(r.session->send_reserved(r.buy, o.price, o.quantity, d2.ticket).ec ==
          risk_error::kill_switch_tripped);
    // Refused without writing: the session released the ticket it was given.
    CHECK(r.risk.on_order_done(d2.ticket) == risk_error::unknown_ticket);
    r.run_for(50ms);
    CHECK(r.st->orders.size() == 1);
}
