// `tradewire-cli sim [--seed N] [--port-base P] [--speed S] [--rate R] [--ping-interval-ms MS]
//                    [--gap-every STEPS] [--bad-every STEPS] [--checksum-corrupt-every STEPS]
//                    [--drop-every-ms MS] [--stall-every-ms MS --stall-ms MS]`:
// runs the local exchange simulator (sim/simulator.hpp) on 127.0.0.1 until SIGINT or
// SIGTERM. Ports: Binance WebSocket P, Binance REST P+1, OKX P+2, Bybit P+3 (P = 0, the
// default: every port ephemeral). --rate sets every venue's trades per second. One line
// per venue on stderr gives its URL (the last one, "ready", means every port listens).
#include <tradewire/sim/simulator.hpp>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>

#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <string>
#include <system_error>

#include "commands.hpp"

namespace tradewire::cli {

namespace {

template <class Number>
Number sim_number(const std::string& text, const char* what, Number min, Number max) {
    Number value{};
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || p != end || value < min || value > max) {
        throw usage_error{std::string(what) + " must be a number from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", not '" + text + "'"};
    }
    return value;
}

}  // namespace

int run_sim(arguments& args) {
    sim::simulator_options o;
    if (auto v = args.take_option("--seed")) o.model.seed = sim_number<std::uint64_t>(*v, "--seed", 0, UINT64_MAX);
    if (auto v = args.take_option("--port-base")) {
        const auto base = sim_number<std::uint32_t>(*v, "--port-base", 0, 65532);
        if (base != 0) {
            o.binance_port = static_cast<std::uint16_t>(base);
            o.binance_rest_port = static_cast<std::uint16_t>(base + 1);
            o.okx_port = static_cast<std::uint16_t>(base + 2);
            o.bybit_port = static_cast<std::uint16_t>(base + 3);
        }
    }
    if (auto v = args.take_option("--speed")) {
        o.speed = static_cast<double>(sim_number<std::uint32_t>(*v, "--speed", 1, 1000));
    }
    if (auto v = args.take_option("--rate")) {
        const auto rate = static_cast<double>(sim_number<std::uint32_t>(*v, "--rate", 0, 10000));
        for (auto& venue : o.model.venues) venue.trades_per_second = rate;
    }
    if (auto v = args.take_option("--ping-interval-ms")) {
        o.binance_ping_interval = std::chrono::milliseconds(sim_number<std::uint32_t>(*v, "--ping-interval-ms", 0, 3'600'000));
    }
    if (auto v = args.take_option("--gap-every")) o.faults.gap_every_steps = sim_number<std::uint64_t>(*v, "--gap-every", 0, 1u << 30);
    if (auto v = args.take_option("--bad-every")) o.faults.bad_message_every_steps = sim_number<std::uint64_t>(*v, "--bad-every", 0, 1u << 30);
    if (auto v = args.take_option("--checksum-corrupt-every")) {
        o.faults.checksum_corruption_every_steps = sim_number<std::uint64_t>(*v, "--checksum-corrupt-every", 0, 1u << 30);
    }
    if (auto v = args.take_option("--drop-every-ms")) o.faults.drop_every_ms = sim_number<std::int64_t>(*v, "--drop-every-ms", 0, 1LL << 40);
    if (auto v = args.take_option("--stall-every-ms")) o.faults.stall_every_ms = sim_number<std::int64_t>(*v, "--stall-every-ms", 0, 1LL << 40);
    if (auto v = args.take_option("--stall-ms")) o.faults.stall_ms = sim_number<std::int64_t>(*v, "--stall-ms", 0, 1LL << 40);
    const auto rest = args.take_positionals();
    if (!rest.empty()) throw usage_error{"unexpected argument '" + rest[0] + "'"};

    asio::io_context io;
    sim::simulator s(io, o);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](std::error_code ec, int) {
        if (!ec) s.stop();
    });
    if (const std::error_code ec = s.start()) {
        std::fprintf(stderr, "tradewire-cli sim: cannot listen: %s\n", ec.message().c_str());
        signals.cancel();
        return exit_failure;
    }
    std::fprintf(stderr, "tradewire-cli sim: binance %s/ws/btcusdt@trade\n", s.binance_ws_url().c_str());
    std::fprintf(stderr, "tradewire-cli sim: binance-rest %s/api/v3/depth?symbol=BTCUSDT&limit=100\n", s.binance_rest_url().c_str());
    std::fprintf(stderr, "tradewire-cli sim: okx %s\n", s.okx_url().c_str());
    std::fprintf(stderr, "tradewire-cli sim: bybit %s\n", s.bybit_url().c_str());
    std::fprintf(stderr, "tradewire-cli sim: ready (seed %llu)\n", static_cast<unsigned long long>(o.model.seed));
    std::fflush(stderr);
    io.run();
    return exit_ok;
}

}  // namespace tradewire::cli
