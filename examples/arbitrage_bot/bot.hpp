// The arbitrage bot's engine, kept in a header so tests drive exactly what the program
// runs: a feed::session of Binance, OKX and Bybit BBO feeds, the in-process simulator
// (unless live), trade::arbitrage_detector with a risk_engine, and an executor (paper by
// default; a template parameter, so an order-entry executor can be plugged in).
//
// Simulator mode is deterministic for a seed. Real sockets deliver the venues' messages
// in an order that varies from run to run, so the bot does not act on arrival: it drives
// the simulator in lockstep (the simulator's own pacing is off, speed <= 0) and advances
// one model step at a time, at `speed` simulated seconds per real second. After each step
// it waits until every message the simulator sent has been read by the feeds (the
// simulator's send count against the feeds' receive count; messages lost to an injected
// disconnect are written off after a short wait), then evaluates that step's BBOs in a
// fixed order (symbols, then venues, as configured) at the step's simulated time. Trade
// times, cooldowns, staleness and the risk engine's rate limits all run on that event
// clock, never on the wall clock, so the same seed gives the same trades. Live mode
// (`live`) evaluates each BBO as it arrives, on its receive time.
//
// Executors: any class constructible from an execution_context& and callable with a
// const trade::arbitrage_decision& (bot_executor). paper_execution fills both legs on a
// paper account at the decided prices and reports the fills to the risk engine. An
// executor with its own order connections (live_orders.hpp, --live-orders) has
// start(config, simulator, error), called before the feeds start, and stop(), at the end.
#pragma once

#include "config.hpp"

#include <tradewire/core/latency.hpp>
#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/bybit.hpp>
#include <tradewire/exchange/okx.hpp>
#include <tradewire/feed/session.hpp>
#include <tradewire/net/tls.hpp>
#include <tradewire/sim/simulator.hpp>
#include <tradewire/trade/arbitrage.hpp>
#include <tradewire/trade/paper.hpp>
#include <tradewire/trade/risk.hpp>

#include <asio/ip/tcp.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace arbitrage_bot {

namespace tw = tradewire;
using tw::market::venue;

// The risk engine's clock: the time of the event being evaluated (simulated exchange
// time in simulator mode), so rate limits are as repeatable as everything else.
struct event_clock {
    const std::int64_t* time = nullptr;
    std::int64_t now() const noexcept { return *time; }
};
static_assert(tw::nanosecond_clock<event_clock>);

using risk_type = tw::trade::risk_engine<event_clock>;

// What an executor gets to work with.
struct execution_context {
    risk_type& risk;
    tw::trade::paper_account& account;
    tw::feed::session& session;
};

template <class E>
concept bot_executor = std::constructible_from<E, execution_context&> && tw::trade::arbitrage_executor<E>;

// Paper trading: both legs fill on the paper account at the decided prices.
class paper_execution {
public:
    explicit paper_execution(execution_context& c) : impl_(c.account, c.risk) {}
    void operator()(const tw::trade::arbitrage_decision& d) noexcept { impl_(d); }
    std::uint64_t errors() const noexcept { return impl_.errors(); }

private:
    tw::trade::paper_executor<event_clock> impl_;
};

// One executed decision, as the trade log and the tests see it.
struct trade_record {
    std::uint64_t sequence = 0;
    std::int64_t time = 0;    // event time, ns (simulated exchange time in simulator mode)
    std::uint64_t event = 0;  // index of the BBO evaluation that produced it (1, 2, ...)
    tw::symbol symbol;
    venue buy_venue{};
    venue sell_venue{};
    tw::decimal buy_price;   // the ask taken
    tw::decimal sell_price;  // the bid hit
    tw::decimal quantity;
    tw::decimal edge;  // expected, after fees
    friend bool operator==(const trade_record&, const trade_record&) = default;
};

struct bot_options {
    bot_config config;
    std::FILE* out = nullptr;  // status lines and the summary; nullptr: quiet
    bool tty = false;          // redraw the status line in place
    std::chrono::milliseconds status_interval{1000};
    // Simulator mode.
    double speed = 1.0;             // simulated seconds per real second
    std::int64_t steps = 0;         // model steps to run; 0: config.duration_s worth
    double jumps_per_minute = 8.0;  // of each symbol's true price (more jumps, more spreads)
    tw::sim::fault_options faults{};
    std::chrono::milliseconds reconnect_initial{200};
    // Live mode: how long the reachability probe waits for each venue.
    std::chrono::milliseconds probe_timeout{4000};
    bool handle_signals = false;  // SIGINT/SIGTERM end the run early (with the summary)
    // Called after each trade and after each simulated step (tests; not a hot path).
    std::function<void(const trade_record&)> on_trade;
    std::function<void()> on_step;
};

enum class run_result { ok, bad_config, unreachable, failed };

inline std::string symbol_text(const tw::symbol& s) {
    return std::string(s.base()) + "-" + std::string(s.quote());
}

inline bool simulated_venue(venue v) {
    return v == venue::binance || v == venue::okx || v == venue::bybit;
}

template <bot_executor Executor = paper_execution>
class bot {
public:
    explicit bot(bot_options options)
        : opt_(std::move(options)),
          cfg_(opt_.config),
          tls_(),
          session_(256),
          risk_(risk_config(cfg_), event_clock{&now_ns_}),
          account_(paper_config(cfg_)),
          detector_(arbitrage_config(cfg_), risk_),
          ctx_{risk_, account_, session_},
          exec_(ctx_) {}

    bot(const bot&) = delete;
    bot& operator=(const bot&) = delete;

    // Runs to the end (duration, steps, or a signal). Errors are written to `error`.
    run_result run(std::string& error) {
        if (!setup(error)) return run_result::bad_config;
        if (cfg_.live) {
            if (!probe(error)) return run_result::unreachable;
        } else if (!start_simulator(error)) {
            return run_result::failed;
        }
        if (!add_feeds(error)) return run_result::failed;
        if constexpr (requires { exec_.start(cfg_, sim_.get(), error); }) {
            if (!exec_.start(cfg_, sim_.get(), error)) return run_result::failed;
        }
        if (auto ec = session_.start()) {
            error = "cannot start the feeds: " + ec.message();
            return run_result::failed;
        }
        std::optional<asio::signal_set> signals;
        if (opt_.handle_signals) {
            signals.emplace(session_.io(), SIGINT, SIGTERM);
            signals->async_wait([this](std::error_code ec, int) {
                if (!ec) stop_.store(true);
            });
        }
        const run_result r = cfg_.live ? run_live(error) : run_simulated(error);
        if (signals) signals->cancel();
        if constexpr (requires { exec_.stop(); }) exec_.stop();
        session_.stop();
        if (sim_) sim_->stop();
        session_.io().poll();  // let cancelled operations finish
        if (opt_.out != nullptr) {
            if (opt_.tty) std::fputs("\r\033[2K", opt_.out);
            print_summary(opt_.out);
        }
        return r;
    }

    void request_stop() noexcept { stop_.store(true); }

    // Results.
    const std::vector<trade_record>& trades() const noexcept { return trades_; }
    const tw::trade::arbitrage_counters& counters() const noexcept { return detector_.counters(); }
    risk_type& risk() noexcept { return risk_; }
    const tw::trade::paper_account& account() const noexcept { return account_; }
    Executor& executor() noexcept { return exec_; }
    tw::trade::kill_switch& kill() noexcept { return risk_.kill(); }
    std::uint64_t kill_event() const noexcept { return kill_event_; }  // 0: never tripped
    std::uint64_t events() const noexcept { return events_; }
    std::uint64_t bbos() const noexcept { return bbos_; }
    std::uint64_t steps_done() const noexcept { return steps_done_; }
    std::uint64_t connections_up(venue v) const noexcept { return ups_[index(v)]; }
    std::uint64_t connections_down(venue v) const noexcept { return downs_[index(v)]; }
    std::uint64_t decode_errors(venue v) const noexcept { return venue_errors_[index(v)]; }
    const tw::sim::simulator* simulator() const noexcept { return sim_.get(); }
    const bot_config& config() const noexcept { return cfg_; }
    std::int64_t now_ns() const noexcept { return now_ns_; }

private:
    // The hooks every feed calls (through the session).
    struct hooks {
        bot* b;
        void on_bbo(const tw::market::bbo& e) { b->on_bbo(e); }
        void on_status(const tw::market::status& s) { b->on_status(s); }
    };

    struct quote_slot {
        tw::market::bbo bbo;
        bool valid = false;
        bool pending = false;  // changed in the current simulated step
    };

    static tw::trade::risk_config risk_config(const bot_config& c) {
        tw::trade::risk_config r;
        r.dry_run = false;  // the paper executor is the venue: reservations and fills are tracked
        r.max_loss = c.limits.max_loss;
        r.max_open_orders_total =
            c.limits.max_open_orders * static_cast<std::uint32_t>(tw::market::venue_count);
        return r;
    }
    static tw::trade::paper_config paper_config(const bot_config& c) {
        tw::trade::paper_config p;
        p.taker_fee_rate = c.taker_fee_rate;
        return p;
    }
    static tw::trade::arbitrage_config arbitrage_config(const bot_config& c) {
        tw::trade::arbitrage_config a;
        a.threshold_bps = c.threshold_bps;
        a.taker_fee_rate = c.taker_fee_rate;
        a.max_order_quantity = c.limits.max_order_quantity;
        a.max_order_notional = c.limits.max_order_notional;
        a.max_staleness_ns = c.staleness_ms * 1'000'000;
        a.cooldown_ns = c.cooldown_ms * 1'000'000;
        return a;
    }

    static std::size_t index(venue v) noexcept { return static_cast<std::size_t>(v); }

    bool setup(std::string& error) {
        for (venue v : cfg_.venues) {
            if (!simulated_venue(v)) {
                error = "venue \"" + std::string(tw::market::to_string(v)) +
                        "\" has no market-data feed in this bot (binance, okx and bybit do)";
                return false;
            }
        }
        for (venue v : cfg_.venues) {
            tw::trade::venue_limits vl = tw::trade::default_venue_limits(v);
            vl.max_open_orders = cfg_.limits.max_open_orders;
            if (auto ec = risk_.set_venue_limits(vl)) return fail(error, "risk limits", ec);
            for (const tw::symbol& s : cfg_.symbols) {
                if (auto ec = risk_.add_instrument(
                        {v, s, cfg_.limits.max_position, cfg_.limits.max_order_notional}))
                    return fail(error, "risk limits", ec);
                if (auto ec = detector_.add_instrument(v, s, cfg_.lot_size))
                    return fail(error, "instruments", ec);
            }
        }
        quotes_.assign(cfg_.symbols.size() * cfg_.venues.size(), quote_slot{});
        legs_.assign(quotes_.size() + 1, 0);
        return true;
    }

    static bool fail(std::string& error, const char* what, std::error_code ec) {
        error = std::string(what) + ": " + ec.message();
        return false;
    }

    // ------------------------------------------------------------------ simulator

    bool start_simulator(std::string& error) {
        tw::sim::simulator_options so;
        so.speed = 0.0;  // the bot steps it (lockstep, see the header comment)
        so.model.seed = cfg_.seed;
        so.faults = opt_.faults;
        so.model.symbols.clear();
        for (const tw::symbol& s : cfg_.symbols) {
            tw::sim::symbol_config sc;
            sc.base = std::string(s.base());
            sc.quote = std::string(s.quote());
            sc.initial_price_ticks = sc.base == "BTC" ? 6'500'000 : sc.base == "ETH" ? 350'000 : 10'000;
            sc.jumps_per_minute = opt_.jumps_per_minute;
            so.model.symbols.push_back(sc);
        }
        for (venue v : {venue::binance, venue::okx, venue::bybit}) {
            const bool used = std::find(cfg_.venues.begin(), cfg_.venues.end(), v) != cfg_.venues.end();
            so.model.venues[static_cast<std::size_t>(to_sim(v))].enabled = used;
        }
        sim_ = std::make_unique<tw::sim::simulator>(session_.io(), so);
        if (auto ec = sim_->start()) {
            error = "cannot start the simulator: " + ec.message();
            return false;
        }
        return true;
    }

    static tw::sim::venue_id to_sim(venue v) noexcept {
        return v == venue::okx     ? tw::sim::venue_id::okx
               : v == venue::bybit ? tw::sim::venue_id::bybit
                                   : tw::sim::venue_id::binance;
    }

    // ------------------------------------------------------------------ feeds

    template <class E, class Transport>
    void add_feed(tw::feed::feed_options fo) {
        fo.backoff.initial = opt_.reconnect_initial;
        fo.backoff.cap = std::chrono::seconds(5);
        tw::feed::feed<E, Transport, tw::feed::session_hooks<hooks>>* f = nullptr;
        if constexpr (tw::net::detail::is_ssl_stream_v<Transport>) {
            f = &session_.template add<E, Transport>(*tls_, std::move(fo), hooks_);
        } else {
            f = &session_.template add<E, Transport>(std::move(fo), hooks_);
        }
        for (const tw::symbol& s : cfg_.symbols) (void)f->subscribe(tw::exchange::bbo_of(s));
        received_.push_back([f] { return f->messages(); });
    }

    bool add_feeds(std::string& error) {
        if (cfg_.live) {
            std::error_code ec;
            tls_.emplace(tw::net::make_tls_client_context({}, ec));
            if (ec) return fail(error, "TLS", ec);
        }
        for (venue v : cfg_.venues) {
            tw::feed::feed_options fo;
            if (!cfg_.live) {
                fo.market_url = v == venue::binance ? sim_->binance_ws_url() + "/ws"
                                : v == venue::okx   ? sim_->okx_url()
                                                    : sim_->bybit_url();
                fo.rest_url = sim_->binance_rest_url();
                if (v == venue::binance)
                    add_feed<tw::exchange::binance::spot, tw::feed::tcp>(fo);
                else if (v == venue::okx)
                    add_feed<tw::exchange::okx::spot, tw::feed::tcp>(fo);
                else
                    add_feed<tw::exchange::bybit::spot, tw::feed::tcp>(fo);
            } else {
                if (v == venue::binance)
                    add_feed<tw::exchange::binance::spot, tw::feed::tls>(fo);
                else if (v == venue::okx)
                    add_feed<tw::exchange::okx::spot, tw::feed::tls>(fo);
                else
                    add_feed<tw::exchange::bybit::spot, tw::feed::tls>(fo);
            }
        }
        return true;
    }

    std::uint64_t total_received() const {
        std::uint64_t n = 0;
        for (const auto& f : received_) n += f();
        return n;
    }

    // ------------------------------------------------------------------ live reachability

    static std::string_view market_url(venue v) {
        if (v == venue::okx) return tw::exchange::okx::spot::urls.ws(tw::exchange::endpoint_kind::market);
        if (v == venue::bybit) return tw::exchange::bybit::spot::urls.ws(tw::exchange::endpoint_kind::market);
        return tw::exchange::binance::spot::urls.ws(tw::exchange::endpoint_kind::market);
    }

    // Resolves and connects (TCP) to every venue's endpoint at once. False, with one line
    // in `error`, when none answers within probe_timeout.
    bool probe(std::string& error) {
        struct attempt {
            venue v{};
            std::string host;
            std::string port;
            std::unique_ptr<asio::ip::tcp::resolver> resolver;
            std::unique_ptr<asio::ip::tcp::socket> socket;
            std::string reason = "no answer";
            bool done = false;
            bool ok = false;
        };
        asio::io_context& io = session_.io();
        std::vector<std::unique_ptr<attempt>> attempts;
        for (venue v : cfg_.venues) {
            auto a = std::make_unique<attempt>();
            a->v = v;
            std::error_code ec;
            const tw::url u = tw::parse_url(market_url(v), ec);
            if (ec) return fail(error, "venue URL", ec);
            a->host = std::string(u.host);
            a->port = std::to_string(u.port);
            a->resolver = std::make_unique<asio::ip::tcp::resolver>(io);
            a->socket = std::make_unique<asio::ip::tcp::socket>(io);
            attempt* p = a.get();
            p->resolver->async_resolve(
                p->host, p->port, [p](std::error_code rec, asio::ip::tcp::resolver::results_type r) {
                    if (rec) {
                        p->reason = "DNS: " + rec.message();
                        p->done = true;
                        return;
                    }
                    asio::async_connect(*p->socket, r,
                                        [p](std::error_code cec, const asio::ip::tcp::endpoint&) {
                                            p->done = true;
                                            p->ok = !cec;
                                            if (cec) p->reason = "connect: " + cec.message();
                                        });
                });
            attempts.push_back(std::move(a));
        }
        const auto deadline = std::chrono::steady_clock::now() + opt_.probe_timeout;
        bool any = false;
        while (std::chrono::steady_clock::now() < deadline) {
            io.run_for(std::chrono::milliseconds(20));
            bool all_done = true;
            for (auto& a : attempts) {
                all_done = all_done && a->done;
                any = any || a->ok;
            }
            if (any || all_done) break;
        }
        for (auto& a : attempts) {
            a->resolver->cancel();
            std::error_code ignored;
            a->socket->close(ignored);
        }
        io.poll();
        io.restart();
        if (any) return true;
        error = "arbitrage_bot: cannot reach the live venues (";
        for (std::size_t i = 0; i < attempts.size(); ++i) {
            if (i) error += ", ";
            error += std::string(tw::market::to_string(attempts[i]->v)) + ": " + attempts[i]->reason;
        }
        error += "): check the network or run without --live";
        return false;
    }

    // ------------------------------------------------------------------ events

    std::size_t slot_of(venue v, const tw::symbol& s) const noexcept {
        std::size_t vi = cfg_.venues.size(), si = cfg_.symbols.size();
        for (std::size_t i = 0; i < cfg_.venues.size(); ++i)
            if (cfg_.venues[i] == v) vi = i;
        for (std::size_t i = 0; i < cfg_.symbols.size(); ++i)
            if (cfg_.symbols[i] == s) si = i;
        if (vi == cfg_.venues.size() || si == cfg_.symbols.size()) return quotes_.size();
        return si * cfg_.venues.size() + vi;
    }

    void on_bbo(const tw::market::bbo& e) {
        ++bbos_;
        const std::size_t i = slot_of(e.venue, e.symbol);
        if (i >= quotes_.size()) return;
        quote_slot& q = quotes_[i];
        q.bbo = e;
        q.valid = true;
        if (cfg_.live) {
            // Live: act now, on the receive time (exchange clocks and ours are not one clock).
            q.bbo.exchange_time.reset();
            evaluate(q.bbo, e.receive_time);
        } else {
            q.pending = true;  // evaluated when the step is complete (flush_step)
        }
    }

    void on_status(const tw::market::status& s) {
        const std::size_t v = index(s.venue);
        switch (s.kind) {
            case tw::market::status_kind::connection_up:
                ++ups_[v];
                ++up_now_[v];
                break;
            case tw::market::status_kind::connection_down:
                ++downs_[v];
                if (up_now_[v] > 0) --up_now_[v];
                break;
            case tw::market::status_kind::subscribed:
                ++subscribed_[v];
                break;
            case tw::market::status_kind::venue_error:
                ++venue_errors_[v];
                break;
            default:
                break;
        }
    }

    // Evaluates one BBO at event time `t` (ns).
    void evaluate(const tw::market::bbo& b, std::int64_t t) {
        now_ns_ = t;
        ++events_;
        (void)account_.mark(b);
        detector_.on_bbo(b, [&](const tw::trade::arbitrage_decision& d) {
            trade_record r;
            r.sequence = d.sequence;
            r.time = d.time;
            r.event = events_;
            r.symbol = d.symbol;
            r.buy_venue = d.buy.venue;
            r.sell_venue = d.sell.venue;
            r.buy_price = d.buy.price;
            r.sell_price = d.sell.price;
            r.quantity = d.buy.quantity;
            r.edge = d.edge;
            exec_(d);
            decision_latency_.record(tw::feed::session::now() - b.receive_time, 1);
            ++legs_[slot_of(d.buy.venue, d.symbol)];
            ++legs_[slot_of(d.sell.venue, d.symbol)];
            trades_.push_back(r);
            if (opt_.on_trade) opt_.on_trade(trades_.back());
        });
        if (kill_event_ == 0 && risk_.kill().tripped()) kill_event_ = events_;
    }

    // Simulator mode: the step's BBOs, symbol by symbol, venue by venue, at its time.
    void flush_step() {
        const std::int64_t t = sim_->now_ms() * 1'000'000;
        for (quote_slot& q : quotes_) {
            if (!q.pending) continue;
            q.pending = false;
            tw::market::bbo b = q.bbo;
            b.exchange_time = t;  // Binance's bookTicker carries no time: the step's time for all
            evaluate(b, t);
        }
        if (opt_.on_step) opt_.on_step();
    }

    // ------------------------------------------------------------------ run loops

    // Before the first step the only messages are subscription acks (Binance's
    // {"result":null} is not a status event, so count messages rather than statuses); the
    // simulator registers a subscription before it acknowledges it.
    bool all_subscribed() const {
        for (std::size_t i = 0; i < cfg_.venues.size(); ++i)
            if (up_now_[index(cfg_.venues[i])] == 0 || received_[i]() == 0) return false;
        return true;
    }

    run_result run_simulated(std::string& error) {
        using clock = std::chrono::steady_clock;
        asio::io_context& io = session_.io();
        const std::int64_t step_ms = sim_->model().config().step_ms;
        const std::int64_t steps = opt_.steps > 0 ? opt_.steps : cfg_.duration_s * 1000 / step_ms;
        const double speed = opt_.speed > 0 ? opt_.speed : 1.0;
        const auto step_real = std::chrono::duration_cast<clock::duration>(
            std::chrono::duration<double, std::milli>(static_cast<double>(step_ms) / speed));
        const auto begin = clock::now();
        const auto hard_end = begin + std::chrono::seconds(15) + step_real * steps * 3;

        // Wait until every venue is connected and subscribed and nothing is in flight.
        int quiet = 0;
        while (quiet < 3) {
            io.run_for(std::chrono::milliseconds(10));
            quiet = all_subscribed() && total_received() == sim_->stats().messages_sent ? quiet + 1 : 0;
            if (stop_.load()) return run_result::ok;
            if (clock::now() - begin > std::chrono::seconds(15)) {
                error = "the simulator's venues did not come up within 15 s (";
                for (venue v : cfg_.venues)
                    error += std::string(tw::market::to_string(v)) + ": " +
                             (up_now_[index(v)] == 0 ? "not connected" : "connected") + " ";
                error += "messages " + std::to_string(total_received()) + "/" +
                         std::to_string(sim_->stats().messages_sent) + ")";
                return run_result::failed;
            }
        }
        std::uint64_t offset = sim_->stats().messages_sent - total_received();  // 0
        auto next_step = clock::now();
        auto next_status = clock::now() + opt_.status_interval;
        const bool faults = opt_.faults.drop_every_ms > 0 || opt_.faults.drop_probability > 0.0 ||
                            opt_.faults.stall_every_ms > 0;
        const auto write_off = faults ? std::chrono::milliseconds(150) : std::chrono::milliseconds(1000);
        bool open = false;
        clock::time_point opened{};
        std::uint64_t last_seen = 0;
        clock::time_point last_progress{};
        while (!stop_.load()) {
            io.run_for(std::chrono::microseconds(500));
            const auto now = clock::now();
            if (open) {
                const std::uint64_t got = total_received();
                if (got != last_seen) {
                    last_seen = got;
                    last_progress = now;
                }
                const std::uint64_t sent = sim_->stats().messages_sent;
                const bool complete = got + offset >= sent;
                // A message cut off by a dropped connection never arrives: write it off
                // (soon when faults are injected; without them only a stalled machine
                // gets here, and waiting keeps the run repeatable).
                const bool stuck = now - last_progress > write_off && now - opened > write_off;
                if (complete || stuck) {
                    if (!complete) offset = sent - got;
                    open = false;
                    flush_step();
                    if (static_cast<std::int64_t>(steps_done_) >= steps) break;
                }
            }
            if (!open && now >= next_step) {
                sim_->advance(1);
                ++steps_done_;
                open = true;
                opened = last_progress = now;
                last_seen = total_received();
                next_step += step_real;
                if (now - next_step > std::chrono::seconds(1)) next_step = now;
            }
            if (now >= next_status) {
                print_status();
                next_status = now + opt_.status_interval;
            }
            if (now > hard_end) {
                error = "the run did not finish in time (simulator stalled)";
                return run_result::failed;
            }
        }
        return run_result::ok;
    }

    run_result run_live(std::string& error) {
        using clock = std::chrono::steady_clock;
        asio::io_context& io = session_.io();
        const auto begin = clock::now();
        const auto end = begin + std::chrono::seconds(cfg_.duration_s);
        auto next_status = begin + opt_.status_interval;
        bool any_up = false;
        while (!stop_.load() && clock::now() < end) {
            io.run_for(std::chrono::milliseconds(20));
            for (venue v : cfg_.venues) any_up = any_up || ups_[index(v)] > 0;
            if (!any_up && clock::now() - begin > std::chrono::seconds(10)) {
                error =
                    "arbitrage_bot: no live venue accepted a WebSocket connection within 10 s: check the "
                    "network "
                    "or run without --live";
                return run_result::unreachable;
            }
            if (clock::now() >= next_status) {
                print_status();
                next_status = clock::now() + opt_.status_interval;
            }
        }
        return run_result::ok;
    }

    // ------------------------------------------------------------------ output

    bool live_orders() const noexcept {
        if constexpr (requires { exec_.armed(); }) return exec_.armed();
        return false;
    }

    static std::string fixed(tw::decimal d, int decimals) { return d.to_string_fixed(decimals); }

    static std::string micros(std::int64_t ns) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(ns) / 1000.0);
        return buf;
    }

    // The widest (bid at A - ask at B) / ask at B over every symbol and venue pair, bps.
    std::optional<double> best_spread_bps() const {
        std::optional<double> best;
        const std::size_t nv = cfg_.venues.size();
        for (std::size_t s = 0; s < cfg_.symbols.size(); ++s) {
            for (std::size_t a = 0; a < nv; ++a) {
                for (std::size_t b = 0; b < nv; ++b) {
                    const quote_slot& qa = quotes_[s * nv + a];
                    const quote_slot& qb = quotes_[s * nv + b];
                    if (a == b || !qa.valid || !qb.valid || qb.bbo.ask_price.sign() <= 0) continue;
                    const double bid = qa.bbo.bid_price.to_double();
                    const double ask = qb.bbo.ask_price.to_double();
                    const double bps = (bid - ask) / ask * 10000.0;
                    if (!best || bps > *best) best = bps;
                }
            }
        }
        return best;
    }

    tw::latency_histogram merged_receive_to_handler() {
        tw::latency_histogram h;
        for (venue v : cfg_.venues) h.merge(session_.latency(v).receive_to_handler);
        return h;
    }

    void print_status() {
        if (opt_.out == nullptr) return;
        std::size_t up = 0;
        for (venue v : cfg_.venues) up += up_now_[index(v)] > 0 ? 1 : 0;
        const auto spread = best_spread_bps();
        char spread_text[32] = "-";
        if (spread) std::snprintf(spread_text, sizeof spread_text, "%+.1f bps", *spread);
        const tw::latency_histogram h = merged_receive_to_handler();
        const tw::trade::arbitrage_counters& c = detector_.counters();
        char line[512];
        std::snprintf(
            line, sizeof line,
            "%s venues %zu/%zu | BBOs %llu | best spread %s | opportunities %llu | trades %llu | paper P&L "
            "%s | "
            "latency recv->hook p50 %s us p99 %s us%s",
            cfg_.live ? "[live]" : "[sim]", up, cfg_.venues.size(), static_cast<unsigned long long>(bbos_),
            spread_text, static_cast<unsigned long long>(c.opportunities),
            static_cast<unsigned long long>(c.trades), fixed(account_.pnl().net, 2).c_str(),
            micros(h.p50()).c_str(), micros(h.p99()).c_str(), risk_.kill().tripped() ? " | KILLED" : "");
        if (opt_.tty) {
            std::fprintf(opt_.out, "\r\033[2K%s", line);
        } else {
            std::fprintf(opt_.out, "%s\n", line);
        }
        std::fflush(opt_.out);
    }

    void print_summary(std::FILE* o) {
        const tw::trade::arbitrage_counters& c = detector_.counters();
        std::fprintf(o, "\n== arbitrage_bot summary (%s, %s) ==\n",
                     cfg_.live ? (live_orders() ? "live feeds, live orders" : "live feeds, paper trading")
                               : "simulator",
                     cfg_.live ? "receive-time clock" : ("seed " + std::to_string(cfg_.seed)).c_str());
        std::fprintf(o, "%-8s %-10s %14s %6s %14s %14s %14s %14s\n", "venue", "symbol", "position", "fills",
                     "fees", "realized", "unrealized", "net P&L");
        for (venue v : cfg_.venues) {
            for (const tw::symbol& s : cfg_.symbols) {
                const tw::trade::position* p = account_.find_position(v, s);
                const tw::trade::pnl_summary pnl = account_.pnl(v, s);
                std::fprintf(o, "%-8s %-10s %14s %6llu %14s %14s %14s %14s\n",
                             std::string(tw::market::to_string(v)).c_str(), symbol_text(s).c_str(),
                             p ? p->quantity.to_string().c_str() : "0",
                             static_cast<unsigned long long>(legs_[slot_of(v, s)]),
                             fixed(pnl.fees, 2).c_str(), fixed(pnl.realized, 2).c_str(),
                             fixed(pnl.unrealized, 2).c_str(), fixed(pnl.net, 2).c_str());
            }
        }
        const tw::trade::pnl_summary t = account_.pnl();
        std::uint64_t fills = 0;
        for (auto n : legs_) fills += n;
        std::fprintf(o, "%-8s %-10s %14s %6llu %14s %14s %14s %14s\n", "total", "", "",
                     static_cast<unsigned long long>(fills), fixed(t.fees, 2).c_str(),
                     fixed(t.realized, 2).c_str(), fixed(t.unrealized, 2).c_str(), fixed(t.net, 2).c_str());
        std::fprintf(o, "\nlatency (us)      %10s %10s %10s %10s\n", "p50", "p90", "p99", "samples");
        for (venue v : cfg_.venues) {
            const tw::latency_histogram& h = session_.latency(v).receive_to_handler;
            std::fprintf(o, "%-8s recv->hook %10s %10s %10s %10llu\n",
                         std::string(tw::market::to_string(v)).c_str(), micros(h.p50()).c_str(),
                         micros(h.p90()).c_str(), micros(h.p99()).c_str(),
                         static_cast<unsigned long long>(h.count()));
            const tw::latency_histogram& x = session_.latency(v).exchange_to_receive;
            if (cfg_.live && x.count() > 0)
                std::fprintf(o, "%-8s exch->recv %10s %10s %10s %10llu\n",
                             std::string(tw::market::to_string(v)).c_str(), micros(x.p50()).c_str(),
                             micros(x.p90()).c_str(), micros(x.p99()).c_str(),
                             static_cast<unsigned long long>(x.count()));
        }
        std::fprintf(o, "%-8s tick->trade%10s %10s %10s %10llu%s\n", "all",
                     micros(decision_latency_.p50()).c_str(), micros(decision_latency_.p90()).c_str(),
                     micros(decision_latency_.p99()).c_str(),
                     static_cast<unsigned long long>(decision_latency_.count()),
                     cfg_.live ? "" : "   (includes waiting for the step's other venues)");
        std::fprintf(o, "\nBBOs %llu, evaluations %llu, opportunities %llu, trades %llu\n",
                     static_cast<unsigned long long>(bbos_), static_cast<unsigned long long>(c.updates),
                     static_cast<unsigned long long>(c.opportunities),
                     static_cast<unsigned long long>(c.trades));
        std::fprintf(o, "skipped: cooldown %llu, too small %llu, stale %llu, kill switch %llu\n",
                     static_cast<unsigned long long>(c.cooldown),
                     static_cast<unsigned long long>(c.too_small), static_cast<unsigned long long>(c.stale),
                     static_cast<unsigned long long>(c.killed));
        std::fprintf(o, "risk rejections %llu", static_cast<unsigned long long>(c.risk_rejected));
        bool first = true;
        for (std::size_t i = 1; i < c.rejected_by.size(); ++i) {
            if (c.rejected_by[i] == 0) continue;
            const std::error_code ec = static_cast<tw::trade::risk_error>(i);
            std::fprintf(o, "%s%s %llu", first ? ": " : ", ", ec.message().c_str(),
                         static_cast<unsigned long long>(c.rejected_by[i]));
            first = false;
        }
        std::fprintf(o, "\n");
        if (risk_.kill().tripped())
            std::fprintf(o, "kill switch: tripped (%s)\n",
                         std::string(tw::trade::to_string(risk_.kill().reason())).c_str());
        else
            std::fprintf(o, "kill switch: armed\n");
        std::uint64_t reconnects = 0;
        for (venue v : cfg_.venues) reconnects += downs_[index(v)];
        std::fprintf(o, "reconnects %llu\n", static_cast<unsigned long long>(reconnects));
        std::fflush(o);
    }

    bot_options opt_;
    bot_config& cfg_;
    std::optional<tw::net::tls_context> tls_;  // before session_: the feeds use it until they go
    tw::feed::session session_;
    std::unique_ptr<tw::sim::simulator> sim_;  // declared after session_: destroyed first
    std::int64_t now_ns_ = 0;
    risk_type risk_;
    tw::trade::paper_account account_;
    tw::trade::arbitrage_detector<event_clock> detector_;
    execution_context ctx_;
    Executor exec_;
    hooks hooks_{this};
    std::vector<std::function<std::uint64_t()>> received_;
    std::vector<quote_slot> quotes_;
    std::vector<trade_record> trades_;
    std::array<std::uint64_t, tw::market::venue_count> ups_{}, downs_{}, up_now_{}, subscribed_{},
        venue_errors_{};
    std::vector<std::uint64_t> legs_;  // fills per quote slot (venue, symbol)
    std::uint64_t bbos_ = 0, events_ = 0, steps_done_ = 0, kill_event_ = 0;
    tw::latency_histogram decision_latency_;
    std::atomic<bool> stop_{false};
};

}  // namespace arbitrage_bot
