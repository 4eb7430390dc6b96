// The arbitrage bot's opt-in live order path (--live-orders): an executor that sends both
// legs of a decision as limit IOC orders through trade::order_session (Binance WebSocket
// API, OKX private, Bybit trade connections), instead of filling them on paper.
//
// Live orders need two things from the user: the explicit flag and the API keys, read
// from the environment (never from the command line):
//   TRADEWIRE_BINANCE_API_KEY, TRADEWIRE_BINANCE_API_SECRET
//   TRADEWIRE_OKX_API_KEY, TRADEWIRE_OKX_API_SECRET, TRADEWIRE_OKX_API_PASSPHRASE
//   TRADEWIRE_BYBIT_API_KEY, TRADEWIRE_BYBIT_API_SECRET
// (only those of the configured venues). A missing one is reported by name, never a
// value. The executor puts the risk engine in dry run when it is constructed and takes
// it out only once every venue's session has logged in, so nothing can be sent before.
// Nothing here prints a key, secret, passphrase or signature.
//
// Simulator mode (no --live) with --live-orders exercises the same path offline: the
// process sets the variables above to fixed, test-only simulator keys
// (use_simulator_credentials), and each venue's order entry is a sim::order_entry_venue on
// 127.0.0.1 that checks every signature and prices Binance orders against the simulator's
// book.
//
// What happens to an order (on_order_event): Binance answers with the execution (an IOC
// order is FILLED, partly filled and EXPIRED, or EXPIRED): the executed quantity is
// booked at the order's limit price (the answer's average price is not parsed; the limit
// is the worst price an IOC fill can have, so P&L is never overstated) on the paper
// account, which computes the taker fee, and reported to the risk engine with the leg's
// ticket; an unfilled remainder releases the ticket. OKX and Bybit answer with an
// acknowledgement only: their fills arrive on the private order stream, which this bot
// does not subscribe, so their reservations stay open (the per-venue open-order limit
// then stops new orders on them: the risk engine never under-counts). A venue reject
// releases the ticket (the session does it). A refused login stops live orders. An
// answer that never comes (connection lost, 5xx: unknown outcome) trips the kill switch,
// because the positions are no longer known.
#pragma once

#include "bot.hpp"

#include <tradewire/net/tls.hpp>
#include <tradewire/sim/order_entry.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/order_session.hpp>

#include <stdlib.h>  // setenv (POSIX)

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace arbitrage_bot {

// The environment variables of one venue's keys.
struct live_order_env {
    venue v;
    std::string_view prefix;  // <prefix>_API_KEY, <prefix>_API_SECRET[, <prefix>_API_PASSPHRASE]
    bool passphrase;
};

inline constexpr std::array<live_order_env, 3> live_order_envs{{
    {venue::binance, "TRADEWIRE_BINANCE", false},
    {venue::okx, "TRADEWIRE_OKX", true},
    {venue::bybit, "TRADEWIRE_BYBIT", false},
}};

inline const live_order_env* find_live_order_env(venue v) noexcept {
    for (const live_order_env& e : live_order_envs)
        if (e.v == v) return &e;
    return nullptr;
}

// One set of credentials per venue, loaded from the environment.
struct live_credentials {
    std::array<tw::trade::credentials, tw::market::venue_count> per_venue{};
};

// The names of the variables the venues need that are unset or empty (only their
// presence is looked at).
inline std::vector<std::string> missing_live_order_variables(const std::vector<venue>& venues) {
    std::vector<std::string> missing;
    for (venue v : venues) {
        const live_order_env* e = find_live_order_env(v);
        if (e == nullptr) continue;
        std::vector<std::string> names{std::string(e->prefix) + "_API_KEY", std::string(e->prefix) + "_API_SECRET"};
        if (e->passphrase) names.push_back(std::string(e->prefix) + "_API_PASSPHRASE");
        for (const std::string& n : names) {
            const char* value = std::getenv(n.c_str());
            if (value == nullptr || *value == '\0') missing.push_back(n);
        }
    }
    return missing;
}

// Loads the keys of every configured venue. False with one line in `error` (the missing
// variables by name, or the venue that has no order entry) when any is not there.
inline bool load_live_credentials(const std::vector<venue>& venues, live_credentials& out, std::string& error) {
    for (venue v : venues) {
        if (find_live_order_env(v) == nullptr || !tw::trade::has_order_session(v)) {
            error = "--live-orders: venue \"" + std::string(tw::market::to_string(v)) +
                    "\" has no order entry in this bot (binance, okx and bybit do)";
            return false;
        }
    }
    const std::vector<std::string> missing = missing_live_order_variables(venues);
    if (!missing.empty()) {
        error = "--live-orders needs API keys in the environment; not set: ";
        for (std::size_t i = 0; i < missing.size(); ++i) error += (i != 0 ? ", " : "") + missing[i];
        return false;
    }
    for (venue v : venues) {
        const live_order_env* e = find_live_order_env(v);
        std::error_code ec;
        tw::trade::credentials c = tw::trade::credentials::from_env_prefix(e->prefix, ec, e->passphrase);
        if (ec) {
            error = "--live-orders: cannot read the " + std::string(e->prefix) + "_API_* variables: " + ec.message();
            return false;
        }
        out.per_venue[static_cast<std::size_t>(v)] = std::move(c);
    }
    return true;
}

// Test-only keys the simulator's order entry accepts: worthless anywhere else.
inline constexpr std::string_view simulator_api_key = "tradewire-sim-only-key";
inline constexpr std::string_view simulator_api_secret = "tradewire-sim-only-secret";
inline constexpr std::string_view simulator_api_passphrase = "tradewire-sim-only-passphrase";

// Simulator mode: sets every venue's variables in this process to the simulator's keys
// (replacing whatever was there, so real keys never go to the simulator), so the keys
// are loaded the way live ones are.
inline void use_simulator_credentials() {
    for (const live_order_env& e : live_order_envs) {
        const std::string p(e.prefix);
        (void)::setenv((p + "_API_KEY").c_str(), std::string(simulator_api_key).c_str(), 1);
        (void)::setenv((p + "_API_SECRET").c_str(), std::string(simulator_api_secret).c_str(), 1);
        if (e.passphrase)
            (void)::setenv((p + "_API_PASSPHRASE").c_str(), std::string(simulator_api_passphrase).c_str(), 1);
    }
}

struct live_order_options {
    std::FILE* log = nullptr;  // notable events, one line each (never a secret); nullptr: quiet
    std::chrono::milliseconds login_timeout{10'000};
};

struct live_order_stats {
    std::uint64_t decisions = 0;      // live decisions handed over
    std::uint64_t orders_written = 0; // order frames written
    std::uint64_t not_sent = 0;       // legs not written (not logged in, stopped, refused)
    std::uint64_t accepted = 0;       // venue acknowledgements
    std::uint64_t rejected = 0;       // venue rejects
    std::uint64_t fills = 0;          // executions booked (Binance answers)
    std::uint64_t released = 0;       // unfilled remainders released
    std::uint64_t unknown_outcome = 0;
    std::uint64_t login_failures = 0;
    std::uint64_t errors = 0;  // fills the books could not take, other venue errors
};

// The executor (bot_executor): paper until armed and started, then live.
class live_execution {
public:
    explicit live_execution(execution_context& c)
        : ctx_(c), paper_(c.account, c.risk) {
        // Nothing goes out until start() has logged in with the user's keys.
        ctx_.risk.set_dry_run(true);
    }
    live_execution(const live_execution&) = delete;
    live_execution& operator=(const live_execution&) = delete;
    ~live_execution() { shutdown(); }

    // The keys to trade with (before the bot runs). Without arm() the executor only paper
    // trades (in dry run: fills are booked as untracked).
    void arm(live_credentials creds, live_order_options options = {}) {
        creds_ = std::move(creds);
        options_ = options;
        armed_ = true;
    }
    bool armed() const noexcept { return armed_; }
    // True once every venue logged in and the risk engine is live.
    bool live() const noexcept { return live_; }
    bool stopped() const noexcept { return stopped_; }

    // Called by the bot once its simulator (null in --live) is up and before its feeds
    // start: connects every venue's session, logs in, then takes the risk engine out of
    // dry run. False with one line in `error` when a venue refuses or does not answer.
    bool start(const bot_config& cfg, const tw::sim::simulator* sim, std::string& error) {
        if (!armed_) return true;
        asio::io_context& io = ctx_.session.io();
        std::error_code ec;
        if (cfg.live) {
            tls_.emplace(tw::net::make_tls_client_context({}, ec));
            if (ec) {
                error = "live orders: TLS: " + ec.message();
                return false;
            }
        } else if (sim == nullptr) {
            error = "live orders: the simulator is not running";
            return false;
        }
        symbols_ = cfg.symbols;
        for (venue v : cfg.venues) {
            auto vs = std::make_unique<venue_session>();
            vs->v = v;
            tw::trade::order_session_options so;
            so.venue = v;
            if (cfg.live) {
                so.connection.url = std::string(v == venue::binance ? tw::trade::binance_ws_api_url
                                                : v == venue::okx   ? tw::trade::okx_private_url
                                                                    : tw::trade::bybit_trade_url);
            } else {
                tw::sim::order_entry_options eo;
                eo.venue = to_sim(v);
                eo.api_key = std::string(simulator_api_key);
                eo.secret = std::string(simulator_api_secret);
                eo.passphrase = std::string(simulator_api_passphrase);
                vs->sim.emplace(io, sim->model(), std::move(eo));
                if (auto sec = vs->sim->start()) {
                    error = "live orders: cannot start the simulator's order entry: " + sec.message();
                    return false;
                }
                so.connection.url = vs->sim->url();
                so.connection.backoff.initial = std::chrono::milliseconds(50);
            }
            tw::trade::credentials& c = creds_.per_venue[static_cast<std::size_t>(v)];
            if (c.empty()) {
                error = "live orders: no keys for " + std::string(tw::market::to_string(v));
                return false;
            }
            const hooks h{this, v};
            if (cfg.live) {
                vs->tls.emplace(io, *tls_, std::move(c), std::move(so), ctx_.risk, h, ec);
            } else {
                vs->tcp.emplace(io, std::move(c), std::move(so), ctx_.risk, h, ec);
            }
            if (ec) return fail(error, v, "session", ec);
            for (std::size_t i = 0; i < symbols_.size(); ++i) {
                const tw::symbol& s = symbols_[i];
                // The venue's spelling: BTCUSDT (Binance, Bybit), BTC-USDT (OKX).
                vs->names.push_back(std::string(s.base()) + (v == venue::okx ? "-" : "") + std::string(s.quote()));
            }
            for (std::size_t i = 0; i < symbols_.size(); ++i) {
                for (tw::trade::order_side side : {tw::trade::order_side::buy, tw::trade::order_side::sell}) {
                    tw::trade::order_spec spec;
                    spec.symbol = vs->names[i];
                    spec.side = side;
                    spec.type = tw::trade::order_type::limit;
                    spec.tif = tw::trade::time_in_force::ioc;
                    spec.client_order_id = true;
                    const tw::trade::order_template_handle t =
                        vs->with([&](auto& s) { return s.add_template(spec, symbols_[i], ec); });
                    if (ec) return fail(error, v, "order template", ec);
                    vs->handles.push_back(t);
                    vs->legs.push_back({i, side});
                }
            }
            if (auto sec = vs->with([](auto& s) { return s.start(); })) return fail(error, v, "start", sec);
            venues_.push_back(std::move(vs));
        }
        // Log in everywhere before the first decision.
        const auto deadline = std::chrono::steady_clock::now() + options_.login_timeout;
        for (;;) {
            bool all = true;
            for (auto& vs : venues_) {
                if (vs->with([](auto& s) { return s.login_refused(); })) {
                    error = "live orders: " + std::string(tw::market::to_string(vs->v)) + " refused the login" +
                            vs->refusal + "; check the keys";
                    return false;
                }
                all = all && vs->with([](auto& s) { return s.logged_in(); });
            }
            if (all) break;
            if (std::chrono::steady_clock::now() > deadline) {
                error = "live orders: no login within " + std::to_string(options_.login_timeout.count()) + " ms (";
                for (std::size_t i = 0; i < venues_.size(); ++i) {
                    const bool in = venues_[i]->with([](auto& s) { return s.logged_in(); });
                    error += (i != 0 ? ", " : "") + std::string(tw::market::to_string(venues_[i]->v)) + ": " +
                             (in ? "logged in" : "no answer");
                }
                error += ")";
                return false;
            }
            if (io.stopped()) io.restart();
            io.run_one_for(std::chrono::milliseconds(20));
        }
        ctx_.risk.set_dry_run(false);
        live_ = true;
        if (options_.log != nullptr) {
            std::string names;
            for (auto& vs : venues_) names += (names.empty() ? "" : ", ") + std::string(tw::market::to_string(vs->v));
            std::fprintf(options_.log, "arbitrage_bot: live orders ON (%s): limit IOC orders to %s\n", names.c_str(),
                         cfg.live ? "the venues" : "the simulator's order entry, test-only keys");
            std::fflush(options_.log);
        }
        return true;
    }

    // End of the run: one summary line, then the connections close.
    void stop() {
        if (!venues_.empty() && options_.log != nullptr) {
            const live_order_stats& s = stats_;
            std::fprintf(options_.log,
                         "arbitrage_bot: live orders: %llu written, %llu not sent, %llu accepted, %llu rejected, "
                         "%llu fills, %llu unknown outcome, %llu login failures\n",
                         ull(s.orders_written), ull(s.not_sent), ull(s.accepted), ull(s.rejected), ull(s.fills),
                         ull(s.unknown_outcome), ull(s.login_failures));
            std::fflush(options_.log);
        }
        ctx_.risk.set_dry_run(true);
        live_ = false;
        closing_ = true;
        for (auto& vs : venues_) vs->with([](auto& s) { s.close(); });
        for (auto& vs : venues_)
            if (vs->sim) vs->sim->stop();
    }

    void operator()(const tw::trade::arbitrage_decision& d) noexcept {
        const std::int64_t handler_time = tw::feed::session::now();
        if (d.dry_run || !live_) {
            paper_(d);
            return;
        }
        ++stats_.decisions;
        venue_session* buy = find(d.buy.venue);
        venue_session* sell = find(d.sell.venue);
        const std::size_t si = symbol_index(d.symbol);
        if (stopped_ || buy == nullptr || sell == nullptr || si == symbols_.size()) {
            release(d.buy.ticket);
            release(d.sell.ticket);
            stats_.not_sent += 2;
            return;
        }
        // The buy leg first; without it the sell leg would be an unhedged short.
        if (!send(*buy, si, tw::trade::order_side::buy, d.buy, handler_time)) {
            release(d.sell.ticket);
            ++stats_.not_sent;
            return;
        }
        if (!send(*sell, si, tw::trade::order_side::sell, d.sell, handler_time)) {
            log_line("arbitrage_bot: live orders: the sell leg on %s was not sent; the buy leg on %s is out\n",
                     d.sell.venue, d.buy.venue);
        }
    }

    // The paper executor's counter (the bot's tests read it).
    std::uint64_t errors() const noexcept { return paper_.errors() + stats_.errors; }
    const live_order_stats& stats() const noexcept { return stats_; }
    // The simulator's order entry of a venue (simulator mode), null otherwise.
    const tw::sim::order_entry_venue* simulator_venue(venue v) const noexcept {
        for (const auto& vs : venues_)
            if (vs->v == v && vs->sim) return &*vs->sim;
        return nullptr;
    }

private:
    struct hooks {
        live_execution* x = nullptr;
        venue v{};
        void on_order_event(const tw::trade::order_event& e, const tw::trade::sent_order* o) {
            x->on_order_event(v, e, o);
        }
    };
    template <class NextLayer>
    using session_type = tw::trade::order_session<hooks, NextLayer, tw::wall_clock, event_clock>;

    struct leg_info {
        std::size_t symbol = 0;
        tw::trade::order_side side = tw::trade::order_side::buy;
    };

    struct venue_session {
        venue v{};
        std::optional<tw::sim::order_entry_venue> sim;  // before the sessions: goes after them
        std::optional<session_type<tw::net::tls_stream<tw::net::tcp_socket>>> tls;
        std::optional<session_type<tw::net::tcp_socket>> tcp;
        std::vector<std::string> names;                         // venue spellings, by symbol
        std::vector<tw::trade::order_template_handle> handles;  // by symbol x 2 + side
        std::vector<leg_info> legs;                             // by template index
        std::string refusal;                                    // " (code N: message)"

        template <class F>
        auto with(F&& f) -> decltype(f(std::declval<session_type<tw::net::tcp_socket>&>())) {
            if (tls) return f(*tls);
            return f(*tcp);
        }
    };

    static unsigned long long ull(std::uint64_t n) noexcept { return static_cast<unsigned long long>(n); }

    static tw::sim::venue_id to_sim(venue v) noexcept {
        return v == venue::okx     ? tw::sim::venue_id::okx
               : v == venue::bybit ? tw::sim::venue_id::bybit
                                   : tw::sim::venue_id::binance;
    }

    static bool fail(std::string& error, venue v, const char* what, std::error_code ec) {
        error = "live orders: " + std::string(tw::market::to_string(v)) + " " + what + ": " + ec.message();
        return false;
    }

    void log_line(const char* format, venue a, venue b) noexcept {
        if (options_.log == nullptr) return;
        std::fprintf(options_.log, format, std::string(tw::market::to_string(a)).c_str(),
                     std::string(tw::market::to_string(b)).c_str());
        std::fflush(options_.log);
    }

    venue_session* find(venue v) noexcept {
        for (auto& vs : venues_)
            if (vs->v == v) return vs.get();
        return nullptr;
    }

    std::size_t symbol_index(const tw::symbol& s) const noexcept {
        for (std::size_t i = 0; i < symbols_.size(); ++i)
            if (symbols_[i] == s) return i;
        return symbols_.size();
    }

    void release(tw::trade::order_ticket t) noexcept {
        if (t.valid()) (void)ctx_.risk.on_order_done(t);
    }

    bool send(venue_session& vs, std::size_t symbol, tw::trade::order_side side,
              const tw::trade::arbitrage_leg& leg, std::int64_t handler_time) noexcept {
        const std::size_t k = symbol * 2 + (side == tw::trade::order_side::buy ? 0 : 1);
        // The session owns the ticket from here: released when nothing is written.
        const tw::trade::send_result r =
            vs.with([&](auto& s) { return s.send_reserved(vs.handles[k], leg.price, leg.quantity, leg.ticket); });
        if (!r.written()) {
            ++stats_.not_sent;
            return false;
        }
        ++stats_.orders_written;
        ctx_.session.order_written(vs.v, handler_time);
        return true;
    }

    void on_order_event(venue v, const tw::trade::order_event& e, const tw::trade::sent_order* o) {
        using kind = tw::trade::order_event_kind;
        venue_session* vs = find(v);
        switch (e.kind) {
            case kind::login_failed: {
                ++stats_.login_failures;
                if (vs != nullptr) vs->refusal = " (code " + std::to_string(e.code) + ")";
                if (live_ && !stopped_) {
                    stopped_ = true;
                    if (options_.log != nullptr) {
                        std::fprintf(options_.log,
                                     "arbitrage_bot: live orders: %s refused the login (code %lld); live orders "
                                     "stopped\n",
                                     std::string(tw::market::to_string(v)).c_str(), static_cast<long long>(e.code));
                        std::fflush(options_.log);
                    }
                }
                return;
            }
            case kind::accepted:
                ++stats_.accepted;
                if (o != nullptr && vs != nullptr && v == venue::binance) on_binance_answer(*vs, e, *o);
                return;
            case kind::rejected:
                ++stats_.rejected;  // the session released the ticket
                return;
            case kind::error:
                if (o != nullptr && e.ec == tw::trade::order_entry_error::unknown_outcome) {
                    ++stats_.unknown_outcome;
                    if (closing_) return;  // unanswered when the run ended: counted, nothing to stop
                    // The order may exist: positions are no longer known, stop trading.
                    const bool first = ctx_.risk.kill().trip(tw::trade::kill_reason::manual);
                    if (first && options_.log != nullptr) {
                        std::fprintf(options_.log,
                                     "arbitrage_bot: live orders: no answer to an order on %s (outcome unknown); "
                                     "kill switch tripped\n",
                                     std::string(tw::market::to_string(v)).c_str());
                        std::fflush(options_.log);
                    }
                    return;
                }
                ++stats_.errors;
                return;
            case kind::malformed:
            case kind::unrecognized:
                ++stats_.errors;
                return;
            default:
                return;
        }
    }

    // Binance answers an IOC order with its outcome: book the executed part, release the rest.
    void on_binance_answer(venue_session& vs, const tw::trade::order_event& e, const tw::trade::sent_order& o) {
        using status = tw::trade::order_status;
        const tw::decimal_parse_result q = tw::decimal::parse(e.executed_quantity);
        if (q && q.value.sign() > 0 && o.tmpl.index < vs.legs.size()) {
            const leg_info& l = vs.legs[o.tmpl.index];
            tw::trade::order_request req;
            req.venue = vs.v;
            req.symbol = symbols_[l.symbol];
            req.side = l.side;
            req.type = tw::trade::order_type::limit;
            req.tif = tw::trade::time_in_force::ioc;
            req.price = o.price;
            req.quantity = q.value;
            const tw::market::book_level level{o.price, q.value};
            const tw::trade::paper_result r = ctx_.account.execute(
                req, tw::market::levels_view(&level, 1), tw::feed::session::now(), [&](const tw::trade::fill& f) {
                    ++stats_.fills;
                    const std::error_code ec = ctx_.risk.on_fill(o.ticket, f);
                    if (ec && ec != tw::trade::risk_error::overfill) ++stats_.errors;
                });
            if (r.ec) ++stats_.errors;
        }
        if (e.status == status::expired || e.status == status::canceled || e.status == status::rejected) {
            // The unfilled remainder (the ticket is gone already when all of it filled).
            if (!ctx_.risk.on_order_done(o.ticket)) ++stats_.released;
        }
    }

    execution_context& ctx_;
    tw::trade::paper_executor<event_clock> paper_;
    live_credentials creds_;
    live_order_options options_;
    std::optional<tw::net::tls_context> tls_;  // before the sessions: they use it until they go
    std::vector<tw::symbol> symbols_;
    std::vector<std::unique_ptr<venue_session>> venues_;
    live_order_stats stats_;
    bool armed_ = false;
    bool live_ = false;
    bool stopped_ = false;
    bool closing_ = false;

    void shutdown() noexcept {
        live_ = false;
        closing_ = true;
        for (auto& vs : venues_)
            if (vs->sim) vs->sim->stop();
    }
};

static_assert(bot_executor<live_execution>);

}  // namespace arbitrage_bot
