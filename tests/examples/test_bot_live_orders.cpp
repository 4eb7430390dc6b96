// The arbitrage bot's live order path (examples/arbitrage_bot/live_orders.hpp) end to end
// on 127.0.0.1: the executor's order sessions against the simulator's order entry
// (sim::order_entry_venue checks every signature), fills booked on the positions,
// unfilled IOC remainders released, the keys read from the environment (missing ones
// named, never a value printed), and no order without arming; then the bot itself with
// --live-orders semantics and the built program's flag handling.
#include "catch.hpp"

#include "bot_test_support.hpp"
#include "live_orders.hpp"

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

using namespace tradewire;
using namespace std::chrono_literals;
using arbitrage_bot::live_execution;
using arbitrage_bot::venue;
using bot_test::dec;

namespace {

const std::vector<std::string> all_variables{
    "TRADEWIRE_BINANCE_API_KEY", "TRADEWIRE_BINANCE_API_SECRET", "TRADEWIRE_OKX_API_KEY",
    "TRADEWIRE_OKX_API_SECRET",  "TRADEWIRE_OKX_API_PASSPHRASE", "TRADEWIRE_BYBIT_API_KEY",
    "TRADEWIRE_BYBIT_API_SECRET"};

void clear_variables() {
    for (const std::string& n : all_variables) ::unsetenv(n.c_str());
}

std::string read_all(std::FILE* f) {
    std::fflush(f);
    std::rewind(f);
    std::string s;
    char buf[512];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
    return s;
}

bool has_secret(const std::string& text) {
    return text.find(arbitrage_bot::simulator_api_secret) != std::string::npos ||
           text.find(arbitrage_bot::simulator_api_passphrase) != std::string::npos ||
           text.find("do-not-print") != std::string::npos;
}

trade::risk_config live_risk_config() {
    trade::risk_config c;
    c.dry_run = false;  // as the bot configures it
    return c;
}

// What the bot builds around its executor: simulator (lockstep), feed session (its
// io_context), risk engine on an event clock, paper account.
struct rig {
    arbitrage_bot::bot_config cfg;
    feed::session fs{256};
    std::unique_ptr<sim::simulator> simulator;
    std::int64_t now = 0;
    arbitrage_bot::risk_type risk{live_risk_config(), arbitrage_bot::event_clock{&now}};
    trade::paper_account account{};
    arbitrage_bot::execution_context ctx{risk, account, fs};
    live_execution exec{ctx};
    symbol btc;
    std::FILE* log = std::tmpfile();

    rig() {
        std::error_code ec;
        btc = symbol::parse("BTC-USDT", ec);
        sim::simulator_options so;
        so.speed = 0.0;
        simulator = std::make_unique<sim::simulator>(fs.io(), so);
        REQUIRE_FALSE(simulator->start());
        for (venue v : cfg.venues) {
            REQUIRE_FALSE(risk.set_venue_limits(trade::default_venue_limits(v)));
            REQUIRE_FALSE(risk.add_instrument({v, btc, dec("1"), dec("100000")}));
        }
        now = feed::session::now();
    }
    ~rig() {
        exec.stop();
        simulator->stop();
        fs.io().poll();
        std::fclose(log);
    }

    bool arm_and_start(std::string& error) {
        arbitrage_bot::live_credentials creds;
        if (!arbitrage_bot::load_live_credentials(cfg.venues, creds, error)) return false;
        exec.arm(std::move(creds), {log, 5s});
        return exec.start(cfg, simulator.get(), error);
    }

    template <class Pred>
    bool run_until(Pred pred, std::chrono::steady_clock::duration limit = 10s) {
        asio::io_context& io = fs.io();
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!pred()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            if (io.stopped()) io.restart();
            io.run_one_for(20ms);
        }
        return true;
    }

    decimal best(venue v, bool ask) const {
        const auto sv = v == venue::binance ? sim::venue_id::binance
                        : v == venue::okx   ? sim::venue_id::okx
                                            : sim::venue_id::bybit;
        const auto& b = simulator->model().book(sv, 0);
        return decimal::from_parts(ask ? b.best_ask() : b.best_bid(), -2).value;
    }

    // A decision as the detector makes it: both legs checked, tickets reserved.
    trade::arbitrage_decision decide(venue buy, decimal buy_price, venue sell, decimal sell_price, decimal qty) {
        trade::arbitrage_decision d;
        d.symbol = btc;
        d.dry_run = risk.dry_run();
        trade::order_request o;
        o.venue = buy;
        o.symbol = btc;
        o.side = trade::order_side::buy;
        o.type = trade::order_type::limit;
        o.tif = trade::time_in_force::ioc;
        o.price = buy_price;
        o.quantity = qty;
        const trade::risk_decision a = risk.check(o);
        REQUIRE(a.passed());
        o.venue = sell;
        o.side = trade::order_side::sell;
        o.price = sell_price;
        const trade::risk_decision b = risk.check(o);
        REQUIRE(b.passed());
        d.buy = {buy, buy_price, qty, a.ticket};
        d.sell = {sell, sell_price, qty, b.ticket};
        return d;
    }
};

decimal position_of(const arbitrage_bot::risk_type& r, venue v, const symbol& s) {
    const trade::position* p = r.find_position(v, s);
    return p != nullptr ? p->quantity : decimal();
}

}  // namespace

TEST_CASE("live orders: both legs reach the simulator's venues signed, Binance fills update the positions") {
    clear_variables();
    arbitrage_bot::use_simulator_credentials();
    rig r;
    CHECK(r.risk.dry_run());  // the executor holds the engine in dry run until it is live
    std::string error;
    REQUIRE(r.arm_and_start(error));
    INFO(error);
    CHECK(r.exec.live());
    CHECK_FALSE(r.risk.dry_run());
    const sim::order_entry_venue* binance = r.exec.simulator_venue(venue::binance);
    const sim::order_entry_venue* okx = r.exec.simulator_venue(venue::okx);
    const sim::order_entry_venue* bybit = r.exec.simulator_venue(venue::bybit);
    REQUIRE(binance != nullptr);
    REQUIRE(okx != nullptr);
    REQUIRE(bybit != nullptr);
    CHECK(okx->stats().logins == 1);
    CHECK(bybit->stats().logins == 1);

    // Buy on Binance above its ask (fills), sell on OKX (acknowledged).
    const decimal limit = r.best(venue::binance, true) + dec("10");
    r.exec(r.decide(venue::binance, limit, venue::okx, r.best(venue::okx, false), dec("0.01")));
    CHECK(r.exec.stats().orders_written == 2);
    REQUIRE(r.run_until([&] { return r.exec.stats().fills == 1 && r.exec.stats().accepted == 2; }));
    CHECK(binance->stats().orders_filled == 1);
    CHECK(binance->stats().orders_refused == 0);  // the signature checked out
    CHECK(okx->stats().orders_accepted == 1);
    CHECK(okx->stats().orders_refused == 0);
    CHECK(position_of(r.risk, venue::binance, r.btc) == dec("0.01"));
    const trade::position* paper = r.account.find_position(venue::binance, r.btc);
    REQUIRE(paper != nullptr);
    CHECK(paper->quantity == dec("0.01"));
    CHECK(r.risk.open_orders(venue::binance) == 0);  // filled: released
    CHECK(r.risk.open_orders(venue::okx) == 1);      // acknowledged only: stays reserved

    // Buy on Bybit, sell on Binance far above the bid: Binance expires it unfilled.
    r.exec(r.decide(venue::bybit, r.best(venue::bybit, true), venue::binance, r.best(venue::binance, true) + dec("500"),
                    dec("0.02")));
    REQUIRE(r.run_until([&] { return r.exec.stats().accepted == 4; }));
    CHECK(bybit->stats().orders_accepted == 1);
    CHECK(bybit->stats().orders_refused == 0);
    CHECK(binance->stats().orders_accepted == 2);
    CHECK(binance->stats().orders_filled == 1);
    CHECK(r.exec.stats().fills == 1);
    CHECK(r.exec.stats().released == 1);
    CHECK(r.risk.open_orders(venue::binance) == 0);
    CHECK(position_of(r.risk, venue::binance, r.btc) == dec("0.01"));
    CHECK(r.exec.stats().not_sent == 0);
    CHECK(r.exec.errors() == 0);

    const std::string log = read_all(r.log);
    INFO(log);
    CHECK(log.find("live orders ON") != std::string::npos);
    CHECK_FALSE(has_secret(log));
    CHECK_FALSE(has_secret(error));
}

TEST_CASE("live orders: nothing is sent unless armed with keys") {
    clear_variables();
    arbitrage_bot::use_simulator_credentials();  // keys present, but no arm()
    rig r;
    std::string error;
    REQUIRE(r.exec.start(r.cfg, r.simulator.get(), error));  // not armed: paper only
    CHECK_FALSE(r.exec.live());
    CHECK(r.risk.dry_run());
    CHECK(r.exec.simulator_venue(venue::binance) == nullptr);
    // A dry-run decision (no tickets) fills on paper only.
    trade::arbitrage_decision d = r.decide(venue::binance, dec("65000"), venue::okx, dec("65100"), dec("0.01"));
    CHECK(d.dry_run);
    CHECK_FALSE(d.buy.ticket.valid());
    r.exec(d);
    CHECK(r.exec.stats().orders_written == 0);
    const trade::position* paper = r.account.find_position(venue::binance, r.btc);
    REQUIRE(paper != nullptr);
    CHECK(paper->quantity == dec("0.01"));
    CHECK(read_all(r.log).empty());
}

TEST_CASE("live orders: missing keys are named, never a value") {
    clear_variables();
    ::setenv("TRADEWIRE_BINANCE_API_KEY", "binance-key-do-not-print", 1);
    ::setenv("TRADEWIRE_BINANCE_API_SECRET", "binance-secret-do-not-print", 1);
    ::setenv("TRADEWIRE_OKX_API_KEY", "okx-key-do-not-print", 1);
    ::setenv("TRADEWIRE_OKX_API_SECRET", "", 1);  // empty counts as missing
    arbitrage_bot::bot_config cfg;
    arbitrage_bot::live_credentials creds;
    std::string error;
    REQUIRE_FALSE(arbitrage_bot::load_live_credentials(cfg.venues, creds, error));
    INFO(error);
    CHECK(error.find("TRADEWIRE_OKX_API_SECRET") != std::string::npos);
    CHECK(error.find("TRADEWIRE_OKX_API_PASSPHRASE") != std::string::npos);
    CHECK(error.find("TRADEWIRE_BYBIT_API_KEY") != std::string::npos);
    CHECK(error.find("TRADEWIRE_BYBIT_API_SECRET") != std::string::npos);
    CHECK(error.find("TRADEWIRE_BINANCE") == std::string::npos);  // those are set
    CHECK(error.find('\n') == std::string::npos);
    CHECK_FALSE(has_secret(error));
    // Only the configured venues' keys are needed.
    cfg.venues = {venue::binance, venue::okx};
    ::setenv("TRADEWIRE_OKX_API_SECRET", "okx-secret-do-not-print", 1);
    ::setenv("TRADEWIRE_OKX_API_PASSPHRASE", "okx-pass-do-not-print", 1);
    error.clear();
    CHECK(arbitrage_bot::load_live_credentials(cfg.venues, creds, error));
    CHECK(error.empty());
    clear_variables();
}

TEST_CASE("live orders: a refused login stops the start with a line that holds no secret") {
    clear_variables();
    arbitrage_bot::use_simulator_credentials();
    ::setenv("TRADEWIRE_OKX_API_SECRET", "wrong-secret-do-not-print", 1);
    rig r;
    std::string error;
    REQUIRE_FALSE(r.arm_and_start(error));
    INFO(error);
    CHECK(error.find("okx refused the login") != std::string::npos);
    CHECK(error.find("60009") != std::string::npos);
    CHECK_FALSE(has_secret(error));
    CHECK_FALSE(has_secret(read_all(r.log)));
    CHECK_FALSE(r.exec.live());
    CHECK(r.risk.dry_run());  // never went live
    clear_variables();
}

// ----------------------------------------------------------------------------- the bot

TEST_CASE("live orders: the bot in simulator mode trades through the order sessions") {
    clear_variables();
    arbitrage_bot::use_simulator_credentials();
    arbitrage_bot::bot_options o;
    o.config.seed = 3;
    o.speed = 25.0;
    o.steps = 150;
    o.jumps_per_minute = 30.0;
    arbitrage_bot::bot<live_execution> b(o);
    CHECK(b.risk().dry_run());
    arbitrage_bot::live_credentials creds;
    std::string error;
    REQUIRE(arbitrage_bot::load_live_credentials(o.config.venues, creds, error));
    std::FILE* log = std::tmpfile();
    b.executor().arm(std::move(creds), {log, 5s});
    const arbitrage_bot::run_result r = b.run(error);
    INFO(error);
    const std::string text = read_all(log);
    std::fclose(log);
    INFO(text);
    REQUIRE(r == arbitrage_bot::run_result::ok);
    const arbitrage_bot::live_order_stats& s = b.executor().stats();
    CAPTURE(s.decisions, s.orders_written, s.not_sent, s.accepted, s.rejected, s.fills, s.released);
    REQUIRE_FALSE(b.trades().empty());
    CHECK(s.decisions == b.trades().size());
    CHECK(s.orders_written > 0);
    CHECK(s.rejected == 0);
    CHECK(s.unknown_outcome == 0);
    std::uint64_t accepted = 0;
    for (venue v : o.config.venues) {
        const sim::order_entry_venue* ev = b.executor().simulator_venue(v);
        REQUIRE(ev != nullptr);
        CHECK(ev->stats().orders_refused == 0);  // every order signed and well-formed
        accepted += ev->stats().orders_accepted;
    }
    // Answers to the last step's orders may still be on the way when the run ends.
    CHECK(accepted <= s.orders_written);
    CHECK(s.accepted <= accepted);
    CHECK(s.accepted > 0);
    // Binance fills reach the risk engine's and the paper account's positions alike.
    const symbol btc = o.config.symbols[0];
    const trade::position* paper = b.account().find_position(venue::binance, btc);
    const decimal booked = paper != nullptr ? paper->quantity : decimal();
    CHECK(position_of(b.risk(), venue::binance, btc) == booked);
    if (s.fills > 0) CHECK(booked.sign() != 0);
    CHECK(text.find("live orders ON") != std::string::npos);
    CHECK_FALSE(has_secret(text));
    clear_variables();
}

#ifdef TRADEWIRE_ARBITRAGE_BOT_PATH
namespace {

using bot_test::program_result;

// Runs the built arbitrage_bot with the given TRADEWIRE_* variables (all others of them unset).
program_result run_program(const std::vector<std::string>& args,
                           const std::vector<std::pair<std::string, std::string>>& env) {
    return bot_test::run_program(TRADEWIRE_ARBITRAGE_BOT_PATH, args, all_variables, env);
}

}  // namespace

TEST_CASE("arbitrage_bot program: --live-orders without keys exits 2 naming the variables, no value") {
    const program_result r =
        run_program({"--live", "--live-orders"}, {{"TRADEWIRE_BINANCE_API_SECRET", "binance-secret-do-not-print"},
                                                  {"TRADEWIRE_OKX_API_KEY", "okx-key-do-not-print"}});
    INFO(r.out);
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find("arbitrage_bot: ") == 0);
    CHECK(r.err.find("TRADEWIRE_BINANCE_API_KEY") != std::string::npos);
    CHECK(r.err.find("TRADEWIRE_OKX_API_PASSPHRASE") != std::string::npos);
    CHECK(r.err.find("TRADEWIRE_BYBIT_API_SECRET") != std::string::npos);
    CHECK(r.err.find('\n') == r.err.size() - 1);  // one line
    CHECK_FALSE(has_secret(r.err));
    CHECK_FALSE(has_secret(r.out));
}

TEST_CASE("arbitrage_bot program: --live-orders in simulator mode sends signed orders, without it none") {
    const bool flag = GENERATE(values({1, 0})) == 1;
    CAPTURE(flag);
    std::vector<std::string> args{"--duration", "3", "--speed", "5", "--seed", "3"};
    if (flag) args.push_back("--live-orders");
    // Keys in the environment alone never turn live orders on.
    const program_result r = run_program(args, {{"TRADEWIRE_BINANCE_API_KEY", "key-do-not-print"},
                                                {"TRADEWIRE_BINANCE_API_SECRET", "secret-do-not-print"}});
    INFO(r.out);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK((r.out.find("live orders ON") != std::string::npos) == flag);
    CHECK((r.out.find("arbitrage_bot: live orders: ") != std::string::npos) == flag);
    CHECK(r.out.find("== arbitrage_bot summary") != std::string::npos);
    CHECK_FALSE(has_secret(r.out));
    CHECK_FALSE(has_secret(r.err));
}
#endif
