// arbitrage_bot: cross-venue arbitrage on BBOs with paper execution (bot.hpp does the work).
//
//   arbitrage_bot                      the in-process simulator, 30 s, seed 1
//   arbitrage_bot --seed 7 --duration 10
//   arbitrage_bot --config bot.json    venues, symbols, thresholds, fees, limits (config.hpp)
//   arbitrage_bot --live               the venues' public feeds over wss:// (paper trading)
//   arbitrage_bot --live --live-orders real orders (keys from TRADEWIRE_* variables, live_orders.hpp)
//
// Exit status: 0 done, 1 the run failed (network unreachable in --live, simulator error),
// 2 bad arguments or configuration.
#include "bot.hpp"
#include "live_orders.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>

namespace {

constexpr const char* usage_text =
    "usage: arbitrage_bot [--live] [--live-orders] [--config FILE] [--seed N] [--duration SECONDS] [--speed X]\n"
    "\n"
    "Watches BBOs on several venues and paper-trades when one venue's bid beats another's\n"
    "ask by more than both taker fees plus a threshold, within risk limits.\n"
    "\n"
    "  (no arguments)     run against the in-process simulator for 30 s (seed 1)\n"
    "  --live             use the venues' real public feeds over wss:// (still paper trading)\n"
    "  --live-orders      send real limit IOC orders for both legs (Binance WebSocket API,\n"
    "                     OKX private, Bybit trade); needs the keys in the environment:\n"
    "                     TRADEWIRE_BINANCE_API_KEY/_API_SECRET, TRADEWIRE_OKX_API_KEY/\n"
    "                     _API_SECRET/_API_PASSPHRASE, TRADEWIRE_BYBIT_API_KEY/_API_SECRET.\n"
    "                     Without --live the orders go to the simulator's order entry with\n"
    "                     test-only keys\n"
    "  --config FILE      JSON: venues, symbols, threshold_bps, taker_fee_bps, lot_size,\n"
    "                     staleness_ms, cooldown_ms, limits{...}, duration_s, seed, live\n"
    "  --seed N           simulator seed (the same seed gives the same trades)\n"
    "  --duration S       run for S seconds (1..86400)\n"
    "  --speed X          simulator: X simulated seconds per real second (0.1..100, default 1)\n"
    "  --help             this text\n";

int usage_error(const std::string& message) {
    std::fprintf(stderr, "arbitrage_bot: %s\n%s", message.c_str(),
                 "run 'arbitrage_bot --help' for the options\n");
    return 2;
}

template <class T>
bool parse_number(std::string_view text, T& out) {
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc{} && p == end && !text.empty();
}

template <class Bot>
int finish(Bot& b);

}  // namespace

int main(int argc, char** argv) {
    arbitrage_bot::bot_options o;
    std::string config_file;
    std::optional<std::uint64_t> seed;
    std::optional<std::int64_t> duration;
    bool live = false;
    bool live_orders = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&](std::string_view& v) {
            if (i + 1 >= argc) return false;
            v = argv[++i];
            return true;
        };
        std::string_view v;
        if (a == "--help" || a == "-h") {
            std::fputs(usage_text, stdout);
            return 0;
        } else if (a == "--live") {
            live = true;
        } else if (a == "--live-orders") {
            live_orders = true;
        } else if (a == "--config") {
            if (!value(v)) return usage_error("--config needs a file name");
            config_file = std::string(v);
        } else if (a == "--seed") {
            std::uint64_t n = 0;
            if (!value(v) || !parse_number(v, n))
                return usage_error("--seed needs an integer from 0 to 2^64-1");
            seed = n;
        } else if (a == "--duration") {
            std::int64_t n = 0;
            if (!value(v) || !parse_number(v, n) || n < 1 || n > 86'400)
                return usage_error("--duration needs whole seconds from 1 to 86400");
            duration = n;
        } else if (a == "--speed") {
            double x = 0;
            if (!value(v) || !parse_number(v, x) || !(x >= 0.1 && x <= 100.0))
                return usage_error("--speed needs a number from 0.1 to 100");
            o.speed = x;
        } else {
            return usage_error("unknown argument '" + std::string(a) + "'");
        }
    }
    if (!config_file.empty()) {
        std::ifstream in(config_file, std::ios::binary);
        if (!in) return usage_error("cannot read the configuration file '" + config_file + "'");
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        arbitrage_bot::config_error err;
        if (!arbitrage_bot::load_config(text, o.config, err))
            return usage_error(config_file + ": " + err.to_string());
    }
    if (live) o.config.live = true;
    if (seed) o.config.seed = *seed;
    if (duration) o.config.duration_s = *duration;

    // Live orders need the flag and the keys; a missing key is named, never a value shown.
    arbitrage_bot::live_credentials creds;
    if (live_orders) {
        if (!o.config.live) arbitrage_bot::use_simulator_credentials();
        std::string error;
        if (!arbitrage_bot::load_live_credentials(o.config.venues, creds, error)) {
            std::fprintf(stderr, "arbitrage_bot: %s\n", error.c_str());
            return 2;
        }
    }

    o.out = stdout;
    o.tty = isatty(STDOUT_FILENO) != 0;
    o.handle_signals = true;
    if (!o.config.live) {
        std::printf(
            "arbitrage_bot: simulator on 127.0.0.1 (Binance, OKX, Bybit wire formats), seed %llu, %lld s%s\n",
            static_cast<unsigned long long>(o.config.seed), static_cast<long long>(o.config.duration_s),
            o.speed != 1.0 ? " of simulated time" : "");
    } else {
        std::printf("arbitrage_bot: live public feeds, %s, %lld s\n", live_orders ? "LIVE ORDERS" : "paper trading",
                    static_cast<long long>(o.config.duration_s));
    }
    std::fflush(stdout);

    if (live_orders) {
        arbitrage_bot::bot<arbitrage_bot::live_execution> b(std::move(o));
        arbitrage_bot::live_order_options lo;
        lo.log = stdout;
        b.executor().arm(std::move(creds), lo);
        return finish(b);
    }
    arbitrage_bot::bot<> b(std::move(o));
    return finish(b);
}

namespace {

template <class Bot>
int finish(Bot& b) {
    std::string error;
    const arbitrage_bot::run_result r = b.run(error);
    switch (r) {
        case arbitrage_bot::run_result::ok:
            return 0;
        case arbitrage_bot::run_result::bad_config:
            return usage_error(error);
        case arbitrage_bot::run_result::unreachable:
            std::fprintf(stderr, "%s\n", error.c_str());
            return 1;
        case arbitrage_bot::run_result::failed:
            std::fprintf(stderr, "arbitrage_bot: %s\n", error.c_str());
            return 1;
    }
    return 1;
}

}  // namespace
