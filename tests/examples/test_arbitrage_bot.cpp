// The arbitrage bot end to end on 127.0.0.1: its feeds against the in-process simulator,
// the detector, the risk engine and paper execution, as examples/arbitrage_bot runs them.
// Each run is a few simulated seconds paced fast (lockstep keeps it deterministic at any
// speed). Plus the built program itself: a short non-TTY run and its usage errors.
#include "catch.hpp"

#include "bot.hpp"
#include "bot_test_support.hpp"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace tradewire;
using arbitrage_bot::bot;
using arbitrage_bot::bot_options;
using arbitrage_bot::trade_record;
using bot_test::dec;

namespace {

bot_options fast_options(std::uint64_t seed, std::int64_t steps) {
    bot_options o;
    o.config.seed = seed;
    o.speed = 25.0;
    o.steps = steps;
    o.jumps_per_minute = 30.0;
    return o;
}

// bid - ask > fee_sell x bid + fee_buy x ask + threshold x ask, recomputed here.
bool beats_fees_and_threshold(const trade_record& t, const arbitrage_bot::bot_config& c) {
    const decimal fs = c.taker_fee_rate[static_cast<std::size_t>(t.sell_venue)];
    const decimal fb = c.taker_fee_rate[static_cast<std::size_t>(t.buy_venue)];
    const decimal th = c.threshold_bps * dec("0.0001");
    const decimal spread = t.sell_price - t.buy_price;
    const decimal need = fs * t.sell_price + fb * t.buy_price + th * t.buy_price;
    return spread > need;
}

}  // namespace

TEST_CASE("arbitrage bot: paper trades only when the spread beats both taker fees plus the threshold") {
    const auto threshold = GENERATE(values({"2", "15"}));
    bot_options o = fast_options(3, 150);
    o.config.threshold_bps = dec(threshold);
    bot<> b(o);
    std::string error;
    REQUIRE(b.run(error) == arbitrage_bot::run_result::ok);
    INFO(error);
    CAPTURE(threshold, b.counters().opportunities, b.bbos());
    REQUIRE(b.bbos() > 100);
    REQUIRE_FALSE(b.trades().empty());
    CHECK(b.counters().trades == b.trades().size());
    for (const trade_record& t : b.trades()) {
        CAPTURE(t.sequence, t.buy_price.to_string(), t.sell_price.to_string());
        CHECK(t.buy_venue != t.sell_venue);
        CHECK(beats_fees_and_threshold(t, b.config()));
        CHECK(t.edge.sign() > 0);
        CHECK(t.quantity.sign() > 0);
    }
    CHECK(b.executor().errors() == 0);
}

TEST_CASE("arbitrage bot: no risk limit is ever breached") {
    bot_options o = fast_options(5, 200);
    o.config.limits.max_position = dec("0.05");
    o.config.limits.max_order_notional = dec("2500");
    o.config.limits.max_open_orders = 2;
    o.config.cooldown_ms = 0;
    const decimal max_pos = o.config.limits.max_position;
    bot<>* self = nullptr;
    std::uint64_t checks = 0, breaches = 0;
    o.on_step = [&] {
        ++checks;
        for (market::venue v : self->config().venues) {
            if (self->risk().open_orders(v) > 2) ++breaches;
            for (const symbol& s : self->config().symbols) {
                const trade::position* p = self->account().find_position(v, s);
                if (p && abs(p->quantity) > max_pos) ++breaches;
                const trade::position* r = self->risk().find_position(v, s);
                if (r && abs(r->quantity) > max_pos) ++breaches;
            }
        }
    };
    bot<> b(o);
    self = &b;
    std::string error;
    REQUIRE(b.run(error) == arbitrage_bot::run_result::ok);
    CHECK(checks == 200);
    CHECK(breaches == 0);
    REQUIRE_FALSE(b.trades().empty());
    for (const trade_record& t : b.trades()) {
        CHECK(t.quantity <= max_pos);
        CHECK(t.buy_price * t.quantity <= dec("2500"));
        CHECK(t.sell_price * t.quantity <= dec("2500"));
    }
    // The limits were reached, not just respected by luck: some venue is at its limit
    // or the risk engine refused an order.
    bool at_limit = b.counters().risk_rejected > 0;
    for (market::venue v : b.config().venues) {
        const trade::position* p = b.account().find_position(v, b.config().symbols[0]);
        if (p && abs(p->quantity) == max_pos) at_limit = true;
    }
    CHECK(at_limit);
    CHECK(b.risk().open_orders() == 0);  // paper legs fill at once: nothing stays open
}

TEST_CASE("arbitrage bot: a tripped kill switch stops new orders within one event") {
    SECTION("tripped by hand right after the first trade") {
        bot_options o = fast_options(3, 150);
        bot<>* self = nullptr;
        o.on_trade = [&](const trade_record&) { self->kill().trip(); };
        bot<> b(o);
        self = &b;
        std::string error;
        REQUIRE(b.run(error) == arbitrage_bot::run_result::ok);
        REQUIRE(b.trades().size() == 1);
        CHECK(b.kill_event() == b.trades()[0].event);
        CHECK(b.counters().killed > 0);  // later events were seen and refused
        CHECK(b.events() > b.kill_event());
    }
    SECTION("tripped by the loss limit") {
        bot_options o = fast_options(3, 150);
        o.config.limits.max_loss = dec("0.01");
        bot<> b(o);
        std::string error;
        REQUIRE(b.run(error) == arbitrage_bot::run_result::ok);
        REQUIRE(b.kill().tripped());
        CHECK(b.kill().reason() == trade::kill_reason::loss_limit);
        REQUIRE(b.kill_event() > 0);
        for (const trade_record& t : b.trades()) CHECK(t.event <= b.kill_event());
        CHECK(b.counters().killed > 0);
    }
}

TEST_CASE("arbitrage bot: recovers from injected disconnects, sequence gaps and bad messages") {
    bot_options o = fast_options(11, 300);
    o.speed = 12.0;
    o.faults.drop_every_ms = 6000;
    o.faults.gap_every_steps = 5;
    o.faults.bad_message_every_steps = 13;
    o.reconnect_initial = std::chrono::milliseconds(50);
    bot<> b(o);
    std::string error;
    REQUIRE(b.run(error) == arbitrage_bot::run_result::ok);
    INFO(error);
    const sim::simulator_stats& st = b.simulator()->stats();
    CHECK(st.drops >= 3);
    CHECK(st.bad_messages > 0);
    CHECK(st.gaps > 0);
    std::uint64_t errors = 0;
    for (market::venue v : b.config().venues) {
        CAPTURE(market::to_string(v));
        CHECK(b.connections_down(v) >= 1);
        CHECK(b.connections_up(v) >= 2);  // came back after each drop
        errors += b.decode_errors(v);
    }
    CHECK(errors > 0);  // the bad messages were reported, not fatal
    // Trading continued after the first disconnect (simulated time 6 s after the start).
    REQUIRE_FALSE(b.trades().empty());
    const std::int64_t start_ns = sim::model_config{}.start_time_ms * 1'000'000;
    bool after = false;
    for (const trade_record& t : b.trades()) after = after || t.time > start_ns + 6'500'000'000;
    CHECK(after);
}

TEST_CASE("arbitrage bot: the same seed gives the same trades") {
    auto run = [](std::uint64_t seed, double speed) {
        bot_options o = fast_options(seed, 150);
        o.speed = speed;
        bot<> b(o);
        std::string error;
        REQUIRE(b.run(error) == arbitrage_bot::run_result::ok);
        return b.trades();
    };
    const std::vector<trade_record> a = run(3, 25.0);
    const std::vector<trade_record> b = run(3, 15.0);  // other pacing, other delivery timing
    REQUIRE_FALSE(a.empty());
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CAPTURE(i);
        CHECK(a[i] == b[i]);
    }
    const std::vector<trade_record> c = run(4, 25.0);
    CHECK(c != a);
}

#ifdef TRADEWIRE_ARBITRAGE_BOT_PATH
namespace {

using bot_test::program_result;

// Runs the built arbitrage_bot with stdout and stderr going to files (not a terminal).
program_result run_bot(const std::vector<std::string>& args) {
    return bot_test::run_program(TRADEWIRE_ARBITRAGE_BOT_PATH, args);
}

}  // namespace

TEST_CASE("arbitrage_bot program: a short run prints plain status lines and the summary") {
    const program_result r = run_bot({"--duration", "3", "--seed", "2"});
    INFO(r.out);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("simulator on 127.0.0.1") != std::string::npos);
    CHECK(r.out.find("[sim] venues 3/3") != std::string::npos);  // at least one status line
    CHECK(r.out.find('\r') == std::string::npos);                // not a terminal: no redraws
    CHECK(r.out.find("== arbitrage_bot summary (simulator, seed 2) ==") != std::string::npos);
    CHECK(r.out.find("total") != std::string::npos);
    CHECK(r.out.find("opportunities") != std::string::npos);
    CHECK(r.out.find("kill switch: armed") != std::string::npos);
}

TEST_CASE("arbitrage_bot program: bad arguments exit 2 with a message") {
    const auto args = GENERATE(values<std::vector<std::string>>({{"--bogus"},
                                                                 {"--seed", "x"},
                                                                 {"--duration", "0"},
                                                                 {"--duration"},
                                                                 {"--speed", "1000"},
                                                                 {"--config", "/nonexistent/bot.json"}}));
    const program_result r = run_bot(args);
    CAPTURE(args[0]);
    CHECK(r.status == 2);
    CHECK(r.err.find("arbitrage_bot: ") == 0);
    CHECK(r.out.empty());
}

TEST_CASE("arbitrage_bot program: a configuration error names the key") {
    const std::string path = std::string(TRADEWIRE_BINARY_DIR) + "/arbitrage_bot_bad_config.json";
    {
        std::ofstream f(path);
        f << R"({"venues": ["binance", "okx"], "limits": {"max_postion": "1"}})";
    }
    const program_result r = run_bot({"--config", path});
    std::remove(path.c_str());
    CHECK(r.status == 2);
    CHECK(r.err.find("limits.max_postion") != std::string::npos);
    const program_result h = run_bot({"--help"});
    CHECK(h.status == 0);
    CHECK(h.out.find("--live") != std::string::npos);
}
#endif

namespace {

// The lines of `text` that are neither blank nor comments, trimmed at the right.
std::vector<std::string> code_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
        const std::size_t first = line.find_first_not_of(' ');
        if (first == std::string::npos || line.compare(first, 2, "//") == 0) continue;
        out.push_back(line);
    }
    return out;
}

std::string read_source(const std::string& relative) {
    std::ifstream in(std::string(TRADEWIRE_SOURCE_DIR) + "/" + relative, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("README: the embedding example is the compiled examples/embed_feed/main.cpp") {
    const std::string readme = read_source("README.md");
    const std::size_t begin = readme.find("```cpp\n");
    REQUIRE(begin != std::string::npos);
    const std::size_t end = readme.find("```\n", begin + 7);
    REQUIRE(end != std::string::npos);
    const std::vector<std::string> shown = code_lines(readme.substr(begin + 7, end - begin - 7));
    const std::vector<std::string> compiled = code_lines(read_source("examples/embed_feed/main.cpp"));
    REQUIRE(shown.size() > 20);
    CHECK(shown == compiled);
}
