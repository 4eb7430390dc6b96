// ticker: the latest BBO and last trade per venue and symbol, refreshed every second.
//
//   ticker                                   the in-process simulator (Binance, OKX, Bybit)
//   ticker --live                            the venues' real public feeds over wss://
//   ticker --venues binance,okx --symbols BTC-USDT,ETH-USDT --duration 20
//
// A feed::session runs one feed per venue; one handler struct with on_bbo and on_trade
// keeps the last values (the hooks run on the session's thread, which also prints).
#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/bybit.hpp>
#include <tradewire/exchange/okx.hpp>
#include <tradewire/feed/session.hpp>
#include <tradewire/net/tls.hpp>
#include <tradewire/sim/simulator.hpp>

#include <unistd.h>

#include <asio/signal_set.hpp>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tw = tradewire;
using tw::market::venue;

namespace {

struct row {
    venue v{};
    tw::symbol s;
    std::optional<tw::market::bbo> bbo;
    std::optional<tw::market::trade> last;
    std::uint64_t updates = 0;
};

// The strategy hooks: detected at compile time by the feed (no base class).
struct board {
    std::vector<row> rows;
    std::uint64_t ups = 0;

    row* find(venue v, const tw::symbol& s) {
        for (row& r : rows)
            if (r.v == v && r.s == s) return &r;
        return nullptr;
    }
    void on_bbo(const tw::market::bbo& b) {
        if (row* r = find(b.venue, b.symbol)) {
            r->bbo = b;
            ++r->updates;
        }
    }
    void on_trade(const tw::market::trade& t) {
        if (row* r = find(t.venue, t.symbol)) {
            r->last = t;
            ++r->updates;
        }
    }
    void on_status(const tw::market::status& s) {
        if (s.kind == tw::market::status_kind::connection_up) ++ups;
    }
};

std::string sym_text(const tw::symbol& s) {
    return std::string(s.base()) + "-" + std::string(s.quote());
}

int usage(const std::string& message) {
    std::fprintf(stderr,
                 "ticker: %s\nusage: ticker [--live] [--venues binance,okx,bybit] [--symbols BTC-USDT,...] "
                 "[--duration SECONDS]\n",
                 message.c_str());
    return 2;
}

std::vector<std::string_view> split(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        out.push_back(text.substr(0, comma));
        if (comma == std::string_view::npos) break;
        text = text.substr(comma + 1);
    }
    return out;
}

template <class E, class Transport>
void add(tw::feed::session& s, std::optional<tw::net::tls_context>& tls, tw::feed::feed_options fo, board& b,
         const std::vector<tw::symbol>& symbols) {
    tw::feed::feed<E, Transport, tw::feed::session_hooks<board>>* f = nullptr;
    if constexpr (tw::net::detail::is_ssl_stream_v<Transport>) {
        f = &s.add<E, Transport>(*tls, std::move(fo), b);
    } else {
        (void)tls;
        f = &s.add<E, Transport>(std::move(fo), b);
    }
    for (const tw::symbol& sym : symbols) {
        (void)f->subscribe(tw::exchange::bbo_of(sym));
        (void)f->subscribe(tw::exchange::trades_of(sym));
    }
}

}  // namespace

int main(int argc, char** argv) {
    bool live = false;
    long duration = 0;  // 0: until Ctrl-C
    std::vector<venue> venues{venue::binance, venue::okx, venue::bybit};
    std::vector<tw::symbol> symbols;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const bool has_value = i + 1 < argc;
        if (a == "--help" || a == "-h") {
            std::puts(
                "usage: ticker [--live] [--venues binance,okx,bybit] [--symbols BTC-USDT,...] [--duration "
                "SECONDS]\n"
                "Prints the latest BBO and last trade per venue and symbol every second: the in-process\n"
                "simulator by default, the real public feeds with --live. Ctrl-C stops.");
            return 0;
        } else if (a == "--live") {
            live = true;
        } else if (a == "--venues" && has_value) {
            venues.clear();
            for (std::string_view name : split(argv[++i])) {
                const auto v = tw::market::parse_venue(name);
                if (!v || (*v != venue::binance && *v != venue::okx && *v != venue::bybit))
                    return usage("unknown venue '" + std::string(name) + "' (binance, okx, bybit)");
                venues.push_back(*v);
            }
        } else if (a == "--symbols" && has_value) {
            for (std::string_view text : split(argv[++i])) {
                std::error_code ec;
                const tw::symbol s = tw::symbol::parse(text, ec);
                if (ec) return usage("bad symbol '" + std::string(text) + "': " + ec.message());
                symbols.push_back(s);
            }
        } else if (a == "--duration" && has_value) {
            const std::string_view v = argv[++i];
            const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), duration);
            if (ec != std::errc{} || p != v.data() + v.size() || duration < 1)
                return usage("--duration needs whole seconds");
        } else {
            return usage("bad argument '" + std::string(a) + "'");
        }
    }
    if (venues.empty()) return usage("no venues");
    if (symbols.empty()) {
        std::error_code ec;
        symbols.push_back(tw::symbol::parse("BTC-USDT", ec));
        symbols.push_back(tw::symbol::parse("ETH-USDT", ec));
    }

    board b;
    for (venue v : venues)
        for (const tw::symbol& s : symbols) b.rows.push_back(row{v, s, {}, {}, 0});

    std::optional<tw::net::tls_context> tls;  // outlives the session
    tw::feed::session session(64);
    std::unique_ptr<tw::sim::simulator> sim;
    if (live) {
        std::error_code ec;
        tls.emplace(tw::net::make_tls_client_context({}, ec));
        if (ec) {
            std::fprintf(stderr, "ticker: TLS: %s\n", ec.message().c_str());
            return 1;
        }
    } else {
        tw::sim::simulator_options so;
        so.model.symbols.clear();
        for (const tw::symbol& s : symbols) {
            tw::sim::symbol_config sc;
            sc.base = std::string(s.base());
            sc.quote = std::string(s.quote());
            sc.initial_price_ticks = sc.base == "BTC" ? 6'500'000 : sc.base == "ETH" ? 350'000 : 10'000;
            so.model.symbols.push_back(sc);
        }
        sim = std::make_unique<tw::sim::simulator>(session.io(), so);
        if (auto ec = sim->start()) {
            std::fprintf(stderr, "ticker: cannot start the simulator: %s\n", ec.message().c_str());
            return 1;
        }
    }
    for (venue v : venues) {
        tw::feed::feed_options fo;
        if (sim) {
            fo.market_url = v == venue::binance ? sim->binance_ws_url() + "/ws"
                            : v == venue::okx   ? sim->okx_url()
                                                : sim->bybit_url();
            if (v == venue::binance)
                add<tw::exchange::binance::spot, tw::feed::tcp>(session, tls, fo, b, symbols);
            else if (v == venue::okx)
                add<tw::exchange::okx::spot, tw::feed::tcp>(session, tls, fo, b, symbols);
            else
                add<tw::exchange::bybit::spot, tw::feed::tcp>(session, tls, fo, b, symbols);
        } else {
            if (v == venue::binance)
                add<tw::exchange::binance::spot, tw::feed::tls>(session, tls, fo, b, symbols);
            else if (v == venue::okx)
                add<tw::exchange::okx::spot, tw::feed::tls>(session, tls, fo, b, symbols);
            else
                add<tw::exchange::bybit::spot, tw::feed::tls>(session, tls, fo, b, symbols);
        }
    }
    if (auto ec = session.start()) {
        std::fprintf(stderr, "ticker: cannot start the feeds: %s\n", ec.message().c_str());
        return 1;
    }
    std::atomic<bool> stop{false};
    asio::signal_set signals(session.io(), SIGINT, SIGTERM);
    signals.async_wait([&](std::error_code ec, int) {
        if (!ec) stop.store(true);
    });

    const bool tty = isatty(STDOUT_FILENO) != 0;
    const char* eol = tty ? "\033[K\n" : "\n";  // a terminal: clear what the last table left
    std::printf("ticker: %s, %zu venue(s), %zu symbol(s)%s\n",
                live ? "live public feeds" : "simulator on 127.0.0.1", venues.size(), symbols.size(),
                tty ? ", Ctrl-C stops" : "");
    using clock = std::chrono::steady_clock;
    const auto begin = clock::now();
    auto next = begin + std::chrono::seconds(1);
    bool printed = false;
    while (!stop.load() && (duration == 0 || clock::now() - begin < std::chrono::seconds(duration))) {
        session.io().run_for(std::chrono::milliseconds(50));
        if (live && b.ups == 0 && clock::now() - begin > std::chrono::seconds(10)) {
            std::fprintf(stderr,
                         "ticker: no live venue accepted a connection within 10 s: check the network or run "
                         "without --live\n");
            return 1;
        }
        if (clock::now() < next) continue;
        next += std::chrono::seconds(1);
        if (tty && printed) std::printf("\033[%zuF", b.rows.size() + 1);  // back to the table's first line
        printed = true;
        std::printf("%-8s %-10s %16s %12s %16s %12s   %-16s %12s %-4s%s", "venue", "symbol", "bid", "size",
                    "ask", "size", "last trade", "size", "side", eol);
        for (const row& r : b.rows) {
            std::string bid = "-", bq = "-", ask = "-", aq = "-", px = "-", qty = "-", side = "";
            if (r.bbo) {
                bid = r.bbo->bid_price.to_string();
                bq = r.bbo->bid_quantity.to_string();
                ask = r.bbo->ask_price.to_string();
                aq = r.bbo->ask_quantity.to_string();
            }
            if (r.last) {
                px = r.last->price.to_string();
                qty = r.last->quantity.to_string();
                side = r.last->taker_side == tw::market::side::buy    ? "buy"
                       : r.last->taker_side == tw::market::side::sell ? "sell"
                                                                      : "";
            }
            std::printf("%-8s %-10s %16s %12s %16s %12s   %-16s %12s %-4s%s",
                        std::string(tw::market::to_string(r.v)).c_str(), sym_text(r.s).c_str(), bid.c_str(),
                        bq.c_str(), ask.c_str(), aq.c_str(), px.c_str(), qty.c_str(), side.c_str(), eol);
        }
        std::fflush(stdout);
    }
    signals.cancel();
    session.stop();
    if (sim) sim->stop();
    session.io().poll();
    return 0;
}
