// The local exchange simulator: the market model (market_model.hpp) served over real
// WebSocket connections on 127.0.0.1 in each venue's native protocol (venue_text.hpp),
// paced at real time (or faster), with faults to exercise a client's recovery paths.
//
//   asio::io_context io;
//   sim::simulator_options o;
//   o.model.seed = 42;
//   o.speed = 10.0;                      // 10 simulated seconds per real second
//   sim::simulator s(io, o);
//   if (auto ec = s.start()) ...;
//   s.binance_ws_url();    // ws://127.0.0.1:P   (/ws/<stream>, /ws, /stream?streams=a/b)
//   s.binance_rest_url();  // http://127.0.0.1:Q (GET /api/v3/depth?symbol=BTCUSDT&limit=N)
//   s.okx_url();           // ws://127.0.0.1:R/ws/v5/public   (candles: okx_business_url())
//   s.bybit_url();         // ws://127.0.0.1:S/v5/public/spot
//   io.run();              // until s.stop()
//
// Venues:
//   Binance: raw (/ws, /ws/<stream>) and combined (/stream?streams=a/b) streams;
//     SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS (acks {"result":null,"id":N}; errors
//     {"code":2|3,"msg":...}); <sym>@trade, @aggTrade, @bookTicker, @depth (1000 ms),
//     @depth@100ms, @depth5/10/20[@100ms], @kline_1m (every 2 s); Ping frames about every
//     binance_ping_interval (see simulator_options).
//     The REST depth snapshot is served on its own port (plain HTTP/1.1, one request per
//     connection, "Connection: close"); its lastUpdateId is the same id space as U/u.
//   OKX: /ws/v5/public and /ws/v5/business (every channel is served on both paths);
//     subscribe/unsubscribe with one ack per arg, error events 60012 (bad request) and
//     60018 (unknown channel); trades, bbo-tbt, books5, books (snapshot prevSeqId -1, then
//     updates chained by prevSeqId == previous seqId, signed CRC-32 checksum of the exact
//     strings sent), candle1m; text "ping" -> "pong"; a session that sends nothing for
//     okx_idle_timeout is closed.
//   Bybit: /v5/public/spot; subscribe/unsubscribe acks, more than 10 args refused like
//     Bybit spot does; publicTrade, orderbook.1 (BBO snapshots), orderbook.50 (snapshot,
//     then deltas with u + 1 each; a new snapshot after a stall resets), kline.1;
//     {"op":"ping"} -> pong ack.
//
// Determinism: the model advances in steps of model.step_ms simulated milliseconds and
// every exchange time field comes from that clock, so for a given seed every venue's
// message sequence per symbol and channel is the same on every run (what a subscriber
// receives from the moment it subscribes). Only delivery timing varies. Faults draw from
// their own generator (faults.seed), so turning them on does not change the market.
// With speed <= 0 nothing is paced: call advance(n) to step (tests).
//
// Threading: everything runs on the io_context's executor; call start/stop/advance from
// it (or before run()). The message rate is set by the model: model.step_ms,
// venue_config::trades_per_second and level_changes_per_step.
#pragma once

#include <tradewire/net/server.hpp>
#include <tradewire/sim/detail/request_json.hpp>
#include <tradewire/sim/market_model.hpp>
#include <tradewire/sim/venue_text.hpp>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace tradewire::sim {

struct fault_options {
    std::uint64_t seed = 7;
    // Connections cut without a close handshake: every `drop_every_ms` of simulated time
    // (all sessions of every venue), and/or each session with this probability per step.
    std::int64_t drop_every_ms = 0;
    double drop_probability = 0.0;
    // A depth update of one random symbol is not sent (its ids are still used), every
    // this many steps, on every venue.
    std::uint64_t gap_every_steps = 0;
    // A malformed or wrongly typed message is sent to every session, every this many steps.
    std::uint64_t bad_message_every_steps = 0;
    // OKX books updates carry a wrong checksum every this many steps.
    std::uint64_t checksum_corruption_every_steps = 0;
    // Nothing is sent for `stall_ms` of simulated time, every `stall_every_ms`. Book
    // channels resume with new snapshots (OKX, Bybit) or a diff depth whose ids jump
    // (Binance: the client resyncs from REST).
    std::int64_t stall_every_ms = 0;
    std::int64_t stall_ms = 0;
};

struct simulator_options {
    model_config model{};
    double speed = 1.0;                  // simulated seconds per real second; <= 0: manual advance()
    std::string bind_address = "127.0.0.1";
    std::uint16_t binance_port = 0, binance_rest_port = 0, okx_port = 0, bybit_port = 0;  // 0: ephemeral
    // Binance Ping frames about this often (zero: none), and how long an unanswered Ping
    // may wait for its Pong before the connection is cut (Binance: a Ping every 20 s, cut
    // after a minute without a Pong). The server layer sends Pings through its liveness
    // check (net::liveness_options: a Ping after idle_timeout without receiving, fail after
    // ping_timeout more), so a client that answers sees a Ping every interval. The deadline
    // is its own setting: a client busy elsewhere (a REST snapshot, a loaded machine)
    // answers late, and Binance does not cut it for that.
    std::chrono::milliseconds binance_ping_interval{20'000};
    std::chrono::milliseconds binance_pong_timeout{60'000};
    std::chrono::milliseconds okx_idle_timeout{30'000};  // zero: never
    double client_rate_limit = 0.0;      // requests/s a client may send (Binance: 5); 0: unlimited
    fault_options faults{};
};

struct simulator_stats {
    std::uint64_t messages_sent = 0;
    std::uint64_t drops = 0;
    std::uint64_t gaps = 0;
    std::uint64_t bad_messages = 0;
    std::uint64_t checksum_corruptions = 0;
    std::uint64_t stalls = 0;
    std::uint64_t rest_requests = 0;
};

class simulator;

namespace detail {

enum class chan : std::uint8_t {
    trade, agg_trade, book_ticker, diff_depth, diff_depth_100, partial, partial_100, kline,  // Binance
    okx_trades, okx_bbo, okx_books5, okx_books, okx_candle,                                  // OKX
    bybit_trade, bybit_bbo, bybit_book, bybit_kline,                                          // Bybit
};

struct sub {
    std::string name;   // as the client named it (Binance stream, Bybit topic, OKX channel)
    std::string inst;   // OKX instId
    chan kind{};
    std::size_t symbol = 0;
    std::size_t depth = 0;
    bool snapshot_due = true;  // OKX books / Bybit orderbook.50: next message is a snapshot
    std::int64_t last_seq = 0; // OKX books: the seqId last sent to this session
};

struct session_data {
    std::vector<sub> subs;
    bool combined = false;
    std::chrono::steady_clock::time_point last_receive{};
};

struct venue_handler {
    simulator* sim = nullptr;
    venue_id venue{};
    using session_state = session_data;

    template <class Server>
    void on_open(Server& s, net::session_id id);
    template <class Server>
    void on_message(Server& s, net::session_id id, const net::ws_message& m);
    net::ws_accept_decision on_upgrade(const ws::server_handshake& hs) const;
};

// Binance depth accumulated over one second for @depth and @depthN (1000 ms) streams.
struct second_window {
    std::map<std::int64_t, std::int64_t, std::greater<>> bids;
    std::map<std::int64_t, std::int64_t> asks;
    std::int64_t first = 0;
    std::int64_t last = 0;
};

}  // namespace detail

class simulator {
public:
    using server_type = net::ws_server<detail::venue_handler>;
    using clock = std::chrono::steady_clock;

    simulator(asio::io_context& io, simulator_options options)
        : io_(io), opt_(clamped(std::move(options))), model_(opt_.model), fault_rng_(opt_.faults.seed), timer_(io),
          rest_acceptor_(io) {
        windows_.resize(model_.symbol_count());
    }
    simulator(const simulator&) = delete;
    simulator& operator=(const simulator&) = delete;
    ~simulator() { stop(); }

    // Listens on every venue's port and starts pacing (unless speed <= 0).
    std::error_code start() {
        for (venue_id v : all_venues) {
            net::ws_server_options so;
            so.bind_address = opt_.bind_address;
            so.port = v == venue_id::binance ? opt_.binance_port : v == venue_id::okx ? opt_.okx_port : opt_.bybit_port;
            so.rate_limit = opt_.client_rate_limit;
            so.stream.max_message_size = 1 << 20;
            if (v == venue_id::binance && opt_.binance_ping_interval.count() > 0) {
                so.stream.liveness.idle_timeout = opt_.binance_ping_interval;
                so.stream.liveness.ping_timeout = opt_.binance_pong_timeout.count() > 0 ? opt_.binance_pong_timeout
                                                                                        : opt_.binance_ping_interval;
            }
            auto& srv = servers_[static_cast<std::size_t>(v)];
            srv = std::make_unique<server_type>(io_, so, detail::venue_handler{this, v});
            if (auto ec = (*srv)->listen()) return ec;
        }
        std::error_code ec;
        const asio::ip::tcp::endpoint ep(asio::ip::make_address(opt_.bind_address == "localhost" ? "127.0.0.1" : opt_.bind_address, ec),
                                         opt_.binance_rest_port);
        if (ec) return ec;
        rest_acceptor_.open(ep.protocol(), ec);
        if (!ec) rest_acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) rest_acceptor_.bind(ep, ec);
        if (!ec) rest_acceptor_.listen(64, ec);
        if (ec) return ec;
        running_ = true;
        accept_rest();
        if (opt_.speed > 0.0) {
            next_tick_ = clock::now();
            schedule();
        }
        return {};
    }

    // Stops pacing and listening and cuts every connection.
    void stop() {
        if (!running_) return;
        running_ = false;
        timer_.cancel();
        std::error_code ignored;
        rest_acceptor_.close(ignored);
        for (auto& s : servers_)
            if (s) (*s)->stop();
    }

    // Runs `steps` model steps now and sends what they produced.
    void advance(std::size_t steps = 1) {
        for (std::size_t i = 0; i < steps; ++i) tick();
    }

    [[nodiscard]] std::uint16_t port(venue_id v) const { return (*servers_[static_cast<std::size_t>(v)])->port(); }
    [[nodiscard]] std::uint16_t binance_rest_port() const {
        std::error_code ec;
        return rest_acceptor_.local_endpoint(ec).port();
    }
    [[nodiscard]] std::string binance_ws_url() const { return url("ws", port(venue_id::binance), ""); }
    [[nodiscard]] std::string binance_rest_url() const { return url("http", binance_rest_port(), ""); }
    [[nodiscard]] std::string okx_url() const { return url("ws", port(venue_id::okx), "/ws/v5/public"); }
    [[nodiscard]] std::string okx_business_url() const { return url("ws", port(venue_id::okx), "/ws/v5/business"); }
    [[nodiscard]] std::string bybit_url() const { return url("ws", port(venue_id::bybit), "/v5/public/spot"); }

    [[nodiscard]] const market_model& model() const noexcept { return model_; }
    [[nodiscard]] const simulator_stats& stats() const noexcept { return stats_; }
    [[nodiscard]] const simulator_options& options() const noexcept { return opt_; }
    [[nodiscard]] std::int64_t now_ms() const noexcept { return model_.now_ms(); }
    [[nodiscard]] std::size_t session_count(venue_id v) const { return (*servers_[static_cast<std::size_t>(v)])->session_count(); }
    [[nodiscard]] bool stalled() const noexcept { return model_.now_ms() < stall_until_; }

    // Cuts every open session of `v` now (the drop fault, on demand).
    void drop_all(venue_id v) {
        auto& srv = *servers_[static_cast<std::size_t>(v)];
        for (net::session_id id : sessions_[static_cast<std::size_t>(v)]) {
            if (srv->is_open(id)) {
                srv->abort(id);
                ++stats_.drops;
            }
        }
    }

private:
    friend struct detail::venue_handler;

    // Bybit's orderbook.50 deltas are the venue book's changes: keep that book at most
    // 50 levels deep so they describe exactly the top 50.
    static simulator_options clamped(simulator_options o) {
        auto& bybit = o.model.venues[static_cast<std::size_t>(venue_id::bybit)];
        if (bybit.depth_levels > 50) bybit.depth_levels = 50;
        return o;
    }

    static std::string url(std::string_view scheme, std::uint16_t p, std::string_view path) {
        return std::string(scheme) + "://127.0.0.1:" + std::to_string(p) + std::string(path);
    }

    // ----- pacing ---------------------------------------------------------------------

    void schedule() {
        const auto real_step = std::chrono::duration<double, std::milli>(static_cast<double>(model_.config().step_ms) / opt_.speed);
        next_tick_ += std::chrono::duration_cast<clock::duration>(real_step);
        timer_.expires_at(next_tick_);
        timer_.async_wait([this](std::error_code ec) {
            if (ec || !running_) return;
            tick();
            // Behind by more than a second of real time (a debugger, a loaded box): do not
            // burst to catch up.
            if (clock::now() - next_tick_ > std::chrono::seconds(1)) next_tick_ = clock::now();
            schedule();
        });
    }

    void tick() {
        model_.step();
        const std::int64_t now = model_.now_ms();
        const fault_options& f = opt_.faults;
        const std::uint64_t step = model_.steps();
        update_windows();

        if (f.stall_every_ms > 0 && f.stall_ms > 0 && now >= next_stall_at_) {
            if (next_stall_at_ != 0) {
                stall_until_ = now + f.stall_ms;
                ++stats_.stalls;
            }
            next_stall_at_ = now + f.stall_every_ms;
        }
        const bool stalled_now = now < stall_until_;
        if (stalled_now) was_stalled_ = true;
        if (!stalled_now && was_stalled_) {
            was_stalled_ = false;
            resnapshot_all();
        }

        std::size_t gap_symbol = model_.symbol_count();
        if (f.gap_every_steps > 0 && step % f.gap_every_steps == 0 && model_.symbol_count() > 0) {
            gap_symbol = static_cast<std::size_t>(fault_rng_.below(model_.symbol_count()));
        }
        const bool bad = f.bad_message_every_steps > 0 && step % f.bad_message_every_steps == 0;
        const bool corrupt = f.checksum_corruption_every_steps > 0 && step % f.checksum_corruption_every_steps == 0;

        for (venue_id v : all_venues) {
            auto& srv = *servers_[static_cast<std::size_t>(v)];
            auto& ids = sessions_[static_cast<std::size_t>(v)];
            for (std::size_t i = 0; i < ids.size();) {
                if (!srv->is_open(ids[i])) {
                    ids[i] = ids.back();
                    ids.pop_back();
                    continue;
                }
                ++i;
            }
            for (net::session_id id : std::vector<net::session_id>(ids)) {
                if (!srv->is_open(id)) continue;
                detail::session_data* st = srv->state(id);
                if (v == venue_id::okx && opt_.okx_idle_timeout.count() > 0 &&
                    clock::now() - st->last_receive > opt_.okx_idle_timeout) {
                    srv->close(id, ws::close_code::normal, "no ping or data for 30 s");
                    continue;
                }
                if (opt_.faults.drop_probability > 0.0 && fault_rng_.chance(opt_.faults.drop_probability)) {
                    srv->abort(id);
                    ++stats_.drops;
                    continue;
                }
                if (stalled_now) continue;
                if (bad) send_bad(v, id);
                for (detail::sub& s : st->subs) emit(v, id, *st, s, gap_symbol, corrupt);
            }
        }
        if (bad) ++stats_.bad_messages;
        if (gap_symbol < model_.symbol_count() && !stalled_now) ++stats_.gaps;
        if (corrupt && !stalled_now) ++stats_.checksum_corruptions;
        if (f.drop_every_ms > 0 && now >= next_drop_at_) {
            if (next_drop_at_ != 0)
                for (venue_id v : all_venues) drop_all(v);
            next_drop_at_ = now + f.drop_every_ms;
        }
    }

    void resnapshot_all() {
        for (venue_id v : all_venues) {
            auto& srv = *servers_[static_cast<std::size_t>(v)];
            for (net::session_id id : sessions_[static_cast<std::size_t>(v)]) {
                if (detail::session_data* st = srv->state(id))
                    for (detail::sub& s : st->subs) s.snapshot_due = true;
            }
        }
    }

    // Binance one-second windows: fold each step's changes in; reset after a second.
    void update_windows() {
        const bool new_second = (model_.now_ms() - model_.config().step_ms) % 1000 == 0;
        for (std::size_t s = 0; s < model_.symbol_count(); ++s) {
            detail::second_window& w = windows_[s];
            if (new_second) w = {};
            const venue_book& b = model_.book(venue_id::binance, s);
            if (!b.changed()) continue;
            if (w.first == 0) w.first = b.first_update_id;
            w.last = b.update_id;
            for (const level_change& c : b.bid_changes) w.bids[c.price_ticks] = c.lots;
            for (const level_change& c : b.ask_changes) w.asks[c.price_ticks] = c.lots;
        }
    }

    // ----- sending --------------------------------------------------------------------

    void send(venue_id v, net::session_id id, std::string_view text) {
        if (!(*servers_[static_cast<std::size_t>(v)])->send_text(id, text)) ++stats_.messages_sent;
    }

    void send_binance(net::session_id id, const detail::session_data& st, const detail::sub& s, const std::string& payload) {
        if (!st.combined) return send(venue_id::binance, id, payload);
        scratch2_.clear();
        binance_text::wrap_combined(scratch2_, s.name, payload);
        send(venue_id::binance, id, scratch2_);
    }

    void emit(venue_id v, net::session_id id, detail::session_data& st, detail::sub& s, std::size_t gap_symbol, bool corrupt) {
        const venue_book& b = model_.book(v, s.symbol);
        const text_source src{model_.config().symbols[s.symbol], b, model_.now_ms()};
        const bool gap = s.symbol == gap_symbol;
        const bool second = model_.now_ms() % 1000 == 0;
        const bool two_seconds = model_.now_ms() % 2000 == 0;
        std::string& out = scratch_;
        out.clear();
        using detail::chan;
        switch (s.kind) {
            case chan::trade:
            case chan::agg_trade:
                for (const sim_trade& t : b.trades) {
                    out.clear();
                    if (s.kind == chan::trade) binance_text::trade(out, src, t);
                    else binance_text::agg_trade(out, src, t);
                    send_binance(id, st, s, out);
                }
                return;
            case chan::book_ticker:
                if (!b.bbo_changed) return;
                binance_text::book_ticker(out, src);
                return send_binance(id, st, s, out);
            case chan::diff_depth_100:
                if (!b.changed() || gap) return;
                binance_text::depth_update(out, src, b.first_update_id, b.update_id, b.bid_changes, b.ask_changes);
                return send_binance(id, st, s, out);
            case chan::diff_depth: {
                const detail::second_window& w = windows_[s.symbol];
                if (!second || w.first == 0 || gap) return;
                std::vector<level_change> bids, asks;
                for (const auto& [p, q] : w.bids) bids.push_back({p, q});
                for (const auto& [p, q] : w.asks) asks.push_back({p, q});
                binance_text::depth_update(out, src, w.first, w.last, bids, asks);
                return send_binance(id, st, s, out);
            }
            case chan::partial:
            case chan::partial_100:
                if (s.kind == chan::partial && !second) return;
                binance_text::depth_snapshot(out, src, s.depth);
                return send_binance(id, st, s, out);
            case chan::kline:
                if (b.candle_closed) {
                    binance_text::kline(out, src, b.closed_candle, true);
                    send_binance(id, st, s, out);
                    out.clear();
                }
                if (!two_seconds) return;
                binance_text::kline(out, src, b.candle, false);
                return send_binance(id, st, s, out);
            case chan::okx_trades:
                if (b.trades.empty()) return;
                okx_text::trades(out, src);
                return send(v, id, out);
            case chan::okx_bbo:
                if (!b.bbo_changed) return;
                okx_text::bbo_tbt(out, src);
                return send(v, id, out);
            case chan::okx_books5:
                if (!b.changed()) return;
                okx_text::books5(out, src);
                return send(v, id, out);
            case chan::okx_books:
                if (s.snapshot_due) {
                    s.snapshot_due = false;
                    okx_text::books(out, src, true, -1);
                } else {
                    if (!b.changed()) return;
                    if (gap) {
                        s.last_seq = b.update_id;  // skipped: the next update's prevSeqId does not chain
                        return;
                    }
                    okx_text::books(out, src, false, s.last_seq, corrupt ? 1 : 0);
                }
                s.last_seq = b.update_id;
                return send(v, id, out);
            case chan::okx_candle:
                if (b.candle_closed) {
                    okx_text::candle(out, src, b.closed_candle, true);
                    send(v, id, out);
                    out.clear();
                }
                if (!second) return;
                okx_text::candle(out, src, b.candle, false);
                return send(v, id, out);
            case chan::bybit_trade:
                if (b.trades.empty()) return;
                bybit_text::public_trade(out, src);
                return send(v, id, out);
            case chan::bybit_bbo:
                if (!b.bbo_changed) return;
                bybit_text::orderbook(out, src, 1, true);
                return send(v, id, out);
            case chan::bybit_book:
                if (s.snapshot_due) {
                    s.snapshot_due = false;
                    bybit_text::orderbook(out, src, s.depth, true);
                } else {
                    if (!b.changed() || gap) return;
                    bybit_text::orderbook(out, src, s.depth, false);
                }
                return send(v, id, out);
            case chan::bybit_kline:
                if (b.candle_closed) {
                    bybit_text::kline(out, src, b.closed_candle, true);
                    send(v, id, out);
                    out.clear();
                }
                if (!second) return;
                bybit_text::kline(out, src, b.candle, false);
                return send(v, id, out);
        }
    }

    void send_bad(venue_id v, net::session_id id) {
        const bool malformed = fault_rng_.chance(0.5);
        std::string_view text;
        if (malformed) {
            text = v == venue_id::binance ? R"({"e":"trade","E":17672256,"s":"BTCUSDT","t":)"
                 : v == venue_id::okx     ? R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{)"
                                          : R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":)";
        } else {
            text = v == venue_id::binance
                       ? R"({"e":"trade","E":"soon","s":"BTCUSDT","t":"x","p":1,"q":2,"T":"y","m":"no","M":true})"
                   : v == venue_id::okx
                       ? R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":1,"px":2,"sz":3,"side":4,"ts":5}]})"
                       : R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":"x","data":[{"T":"a","s":1,"S":2,"v":3,"p":4,"i":5,"BT":"no"}]})";
        }
        send(v, id, text);
    }

    // ----- requests -------------------------------------------------------------------

    std::string conn_id(net::session_id id) const {
        static constexpr char hex[] = "0123456789abcdef";
        std::string r;
        for (int shift = 28; shift >= 0; shift -= 4) r += hex[(id >> shift) & 0xf];
        return r;
    }

    // Finds a symbol by its venue name; false when unknown.
    bool find_symbol(venue_id v, std::string_view name, std::size_t& out) const {
        for (std::size_t i = 0; i < model_.symbol_count(); ++i) {
            const symbol_config& s = model_.config().symbols[i];
            const std::string n = v == venue_id::okx ? dashed(s) : v == venue_id::binance ? concat_lower(s) : concat_upper(s);
            if (n == name) {
                out = i;
                return true;
            }
        }
        return false;
    }

    // Binance stream name -> sub; false when not served.
    bool parse_binance_stream(std::string_view name, detail::sub& s) const {
        const std::size_t at = name.find('@');
        if (at == std::string_view::npos || !find_symbol(venue_id::binance, name.substr(0, at), s.symbol)) return false;
        const std::string_view kind = name.substr(at + 1);
        using detail::chan;
        s.name = std::string(name);
        if (kind == "trade") s.kind = chan::trade;
        else if (kind == "aggTrade") s.kind = chan::agg_trade;
        else if (kind == "bookTicker") s.kind = chan::book_ticker;
        else if (kind == "depth") s.kind = chan::diff_depth;
        else if (kind == "depth@100ms") s.kind = chan::diff_depth_100;
        else if (kind == "kline_1m") s.kind = chan::kline;
        else {
            for (std::size_t n : {5u, 10u, 20u}) {
                const std::string base = "depth" + std::to_string(n);
                if (kind == base || kind == base + "@100ms" || kind == base + "@1000ms") {
                    s.kind = kind == base + "@100ms" ? chan::partial_100 : chan::partial;
                    s.depth = n;
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    void add_sub(detail::session_data& st, detail::sub s) {
        for (const detail::sub& have : st.subs)
            if (have.name == s.name && have.inst == s.inst) return;
        st.subs.push_back(std::move(s));
    }

    static void remove_sub(detail::session_data& st, std::string_view name, std::string_view inst) {
        for (std::size_t i = 0; i < st.subs.size(); ++i) {
            if (st.subs[i].name == name && st.subs[i].inst == inst) {
                st.subs.erase(st.subs.begin() + static_cast<std::ptrdiff_t>(i));
                return;
            }
        }
    }

    void on_open(venue_id v, net::session_id id) {
        auto& srv = *servers_[static_cast<std::size_t>(v)];
        sessions_[static_cast<std::size_t>(v)].push_back(id);
        detail::session_data* st = srv->state(id);
        st->last_receive = clock::now();
        if (v != venue_id::binance) return;
        const ws::server_handshake* hs = srv->handshake(id);
        const std::string_view path = hs->request().path;
        const std::string_view query = hs->request().query;
        if (path.starts_with("/ws/")) {
            detail::sub s;
            if (parse_binance_stream(path.substr(4), s)) add_sub(*st, std::move(s));
        } else if (path == "/stream") {
            st->combined = true;
            std::string_view q = query;
            const std::size_t at = q.find("streams=");
            if (at != std::string_view::npos) {
                q = q.substr(at + 8);
                q = q.substr(0, q.find('&'));
                while (!q.empty()) {
                    const std::size_t slash = q.find('/');
                    detail::sub s;
                    if (parse_binance_stream(q.substr(0, slash), s)) add_sub(*st, std::move(s));
                    if (slash == std::string_view::npos) break;
                    q = q.substr(slash + 1);
                }
            }
        }
    }

    void on_message(venue_id v, net::session_id id, std::string_view text) {
        auto& srv = *servers_[static_cast<std::size_t>(v)];
        detail::session_data* st = srv->state(id);
        if (st == nullptr) return;
        st->last_receive = clock::now();
        if (v == venue_id::okx && text == "ping") return send(v, id, "pong");
        detail::json_value req;
        const bool ok = detail::parse_json(text, req) && req.type == detail::json_value::kind::object;
        if (v == venue_id::binance) return binance_request(id, *st, ok, req);
        if (v == venue_id::okx) return okx_request(id, *st, ok, req);
        return bybit_request(id, *st, ok, req);
    }

    void binance_request(net::session_id id, detail::session_data& st, bool ok, const detail::json_value& req) {
        if (!ok) return send(venue_id::binance, id, R"({"code":3,"msg":"Invalid JSON: expected an object"})");
        const detail::json_value* method = req.find("method");
        const detail::json_value* idv = req.find("id");
        const detail::json_value* params = req.find("params");
        const std::string id_text = idv ? idv->raw() : "null";
        if (!method || !method->is_string() || !idv) {
            return send(venue_id::binance, id, R"({"code":2,"msg":"Invalid request: method and id are required"})");
        }
        std::string out;
        if (method->text == "SUBSCRIBE" || method->text == "UNSUBSCRIBE") {
            if (!params || params->type != detail::json_value::kind::array) {
                return send(venue_id::binance, id, R"({"code":2,"msg":"Invalid request: params must be an array"})");
            }
            std::vector<detail::sub> parsed;
            for (const detail::json_value& p : params->items) {
                detail::sub s;
                if (!p.is_string() || !parse_binance_stream(p.text, s)) {
                    return send(venue_id::binance, id, R"({"code":2,"msg":"Invalid request: unknown stream name","id":)" + id_text + "}");
                }
                parsed.push_back(std::move(s));
            }
            for (detail::sub& s : parsed) {
                if (method->text == "SUBSCRIBE") add_sub(st, std::move(s));
                else remove_sub(st, s.name, {});
            }
            return send(venue_id::binance, id, R"({"result":null,"id":)" + id_text + "}");
        }
        if (method->text == "LIST_SUBSCRIPTIONS") {
            out = R"({"result":[)";
            for (std::size_t i = 0; i < st.subs.size(); ++i) out += (i ? ",\"" : "\"") + st.subs[i].name + "\"";
            out += R"(],"id":)" + id_text + "}";
            return send(venue_id::binance, id, out);
        }
        send(venue_id::binance, id, R"({"code":2,"msg":"Invalid request: unknown method","id":)" + id_text + "}");
    }

    void okx_request(net::session_id id, detail::session_data& st, bool ok, const detail::json_value& req) {
        const std::string cid = conn_id(id);
        const detail::json_value* idv = req.find("id");
        const std::string id_field = idv && idv->is_string() ? R"("id":")" + idv->text + R"(",)" : std::string();
        const detail::json_value* op = req.find("op");
        const detail::json_value* args = req.find("args");
        if (!ok || !op || !op->is_string() || (op->text != "subscribe" && op->text != "unsubscribe") || !args ||
            args->type != detail::json_value::kind::array || args->items.empty()) {
            return send(venue_id::okx, id, "{" + id_field + R"("event":"error","code":"60012","msg":"Invalid request","connId":")" + cid + "\"}");
        }
        for (const detail::json_value& a : args->items) {
            const detail::json_value* ch = a.find("channel");
            const detail::json_value* inst = a.find("instId");
            detail::sub s;
            bool valid = ch && ch->is_string() && inst && inst->is_string() && find_symbol(venue_id::okx, inst->text, s.symbol);
            if (valid) {
                using detail::chan;
                s.name = ch->text;
                s.inst = inst->text;
                if (ch->text == "trades") s.kind = chan::okx_trades;
                else if (ch->text == "bbo-tbt") s.kind = chan::okx_bbo;
                else if (ch->text == "books5") s.kind = chan::okx_books5;
                else if (ch->text == "books") s.kind = chan::okx_books;
                else if (ch->text == "candle1m") s.kind = chan::okx_candle;
                else valid = false;
            }
            if (!valid) {
                send(venue_id::okx, id, "{" + id_field + R"("event":"error","code":"60018","msg":"Wrong URL or channel:)" +
                                            (ch && ch->is_string() ? ch->text : std::string()) + R"( doesn't exist","connId":")" + cid + "\"}");
                continue;
            }
            std::string ack = "{" + id_field + R"("event":")" + op->text + R"(","arg":)";
            okx_text::arg(ack, s.name, s.inst);
            ack += R"(,"connId":")" + cid + "\"}";
            if (op->text == "subscribe") add_sub(st, s);
            else remove_sub(st, s.name, s.inst);
            send(venue_id::okx, id, ack);
        }
    }

    void bybit_request(net::session_id id, detail::session_data& st, bool ok, const detail::json_value& req) {
        const std::string cid = conn_id(id);
        const detail::json_value* op = req.find("op");
        const detail::json_value* rid = req.find("req_id");
        const std::string req_field = rid && rid->is_string() ? R"("req_id":")" + rid->text + R"(",)" : std::string();
        auto reply = [&](bool success, std::string_view msg, std::string_view opname) {
            send(venue_id::bybit, id, std::string(R"({"success":)") + (success ? "true" : "false") + R"(,"ret_msg":")" +
                                          std::string(msg) + R"(","conn_id":")" + cid + "\"," + req_field + R"("op":")" +
                                          std::string(opname) + "\"}");
        };
        if (!ok || !op || !op->is_string()) return reply(false, "Invalid request: not a JSON object with op", "");
        if (op->text == "ping") return reply(true, "pong", "ping");
        if (op->text != "subscribe" && op->text != "unsubscribe") return reply(false, "Invalid op", op->text);
        const detail::json_value* args = req.find("args");
        if (!args || args->type != detail::json_value::kind::array || args->items.empty()) {
            return reply(false, "Invalid request: args", op->text);
        }
        if (args->items.size() > 10) return reply(false, "args size >10", op->text);
        std::vector<detail::sub> parsed;
        for (const detail::json_value& a : args->items) {
            detail::sub s;
            if (!a.is_string()) return reply(false, "Invalid topic", op->text);
            const std::string_view t = a.text;
            const std::size_t dot = t.rfind('.');
            if (dot == std::string_view::npos || !find_symbol(venue_id::bybit, t.substr(dot + 1), s.symbol)) {
                return reply(false, "Invalid symbol :[" + a.text + "]", op->text);
            }
            const std::string_view head = t.substr(0, dot);
            using detail::chan;
            s.name = a.text;
            if (head == "publicTrade") s.kind = chan::bybit_trade;
            else if (head == "orderbook.1") s.kind = chan::bybit_bbo, s.depth = 1;
            else if (head == "orderbook.50") s.kind = chan::bybit_book, s.depth = 50;
            else if (head == "kline.1") s.kind = chan::bybit_kline;
            else return reply(false, "Invalid topic :[" + a.text + "]", op->text);
            parsed.push_back(std::move(s));
        }
        for (detail::sub& s : parsed) {
            if (op->text == "subscribe") add_sub(st, std::move(s));
            else remove_sub(st, s.name, {});
        }
        reply(true, op->text, op->text);
    }

    // ----- REST -----------------------------------------------------------------------

    struct rest_conn {
        asio::ip::tcp::socket socket;
        std::string in, out;
        explicit rest_conn(asio::io_context& io) : socket(io) {}
    };

    void accept_rest() {
        auto conn = std::make_shared<rest_conn>(io_);
        rest_acceptor_.async_accept(conn->socket, [this, conn](std::error_code ec) {
            if (ec || !running_) return;
            read_rest(conn);
            accept_rest();
        });
    }

    void read_rest(const std::shared_ptr<rest_conn>& conn) {
        asio::async_read_until(conn->socket, asio::dynamic_buffer(conn->in, 16 * 1024), "\r\n\r\n",
                               [this, conn](std::error_code ec, std::size_t) {
                                   if (ec || !running_) return;
                                   respond_rest(conn);
                               });
    }

    void respond_rest(const std::shared_ptr<rest_conn>& conn) {
        ++stats_.rest_requests;
        std::string_view line(conn->in);
        line = line.substr(0, line.find("\r\n"));
        unsigned status = 200;
        std::string body;
        std::string_view target;
        if (line.starts_with("GET ")) {
            target = line.substr(4);
            target = target.substr(0, target.find(' '));
        }
        const std::string_view path = target.substr(0, target.find('?'));
        const std::string_view query = target.find('?') == std::string_view::npos ? std::string_view{} : target.substr(target.find('?') + 1);
        auto param = [&](std::string_view key) -> std::string_view {
            std::string_view q = query;
            while (!q.empty()) {
                const std::string_view pair = q.substr(0, q.find('&'));
                if (pair.starts_with(key) && pair.size() > key.size() && pair[key.size()] == '=') return pair.substr(key.size() + 1);
                if (q.find('&') == std::string_view::npos) break;
                q = q.substr(q.find('&') + 1);
            }
            return {};
        };
        std::size_t sym = 0;
        if (path != "/api/v3/depth") {
            status = 404;
            body = R"({"code":-1000,"msg":"Unknown path."})";
        } else if (!find_symbol(venue_id::bybit, param("symbol"), sym)) {
            status = 400;
            body = R"({"code":-1121,"msg":"Invalid symbol."})";
        } else {
            std::size_t limit = 100;
            const std::string_view l = param("limit");
            if (!l.empty()) {
                limit = 0;
                for (char c : l) limit = (c >= '0' && c <= '9' && limit < 100000) ? limit * 10 + static_cast<std::size_t>(c - '0') : 100001;
            }
            if (limit == 0 || limit > 5000) {
                status = 400;
                body = R"({"code":-1100,"msg":"Illegal characters found in parameter 'limit'."})";
            } else {
                const text_source src{model_.config().symbols[sym], model_.book(venue_id::binance, sym), model_.now_ms()};
                binance_text::depth_snapshot(body, src, limit);
            }
        }
        conn->out = "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : status == 404 ? " Not Found" : " Bad Request") +
                    "\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n\r\n" + body;
        asio::async_write(conn->socket, asio::buffer(conn->out), [conn](std::error_code, std::size_t) {
            std::error_code ignored;
            conn->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
            conn->socket.close(ignored);
        });
    }

    asio::io_context& io_;
    simulator_options opt_;
    market_model model_;
    prng fault_rng_;
    asio::steady_timer timer_;
    asio::ip::tcp::acceptor rest_acceptor_;
    std::array<std::unique_ptr<server_type>, venue_count> servers_;
    std::array<std::vector<net::session_id>, venue_count> sessions_;
    std::vector<detail::second_window> windows_;
    clock::time_point next_tick_{};
    std::int64_t stall_until_ = 0, next_stall_at_ = 0, next_drop_at_ = 0;
    bool was_stalled_ = false;
    bool running_ = false;
    std::string scratch_, scratch2_;
    simulator_stats stats_{};
};

namespace detail {

template <class Server>
void venue_handler::on_open(Server&, net::session_id id) {
    sim->on_open(venue, id);
}

template <class Server>
void venue_handler::on_message(Server&, net::session_id id, const net::ws_message& m) {
    sim->on_message(venue, id, m.text());
}

inline net::ws_accept_decision venue_handler::on_upgrade(const ws::server_handshake& hs) const {
    const std::string_view path = hs.request().path;
    bool ok = false;
    switch (venue) {
        case venue_id::binance: ok = path == "/ws" || path.starts_with("/ws/") || path == "/stream"; break;
        case venue_id::okx: ok = path == "/ws/v5/public" || path == "/ws/v5/business"; break;
        case venue_id::bybit: ok = path == "/v5/public/spot"; break;
    }
    return ok ? net::ws_accept_decision::allow() : net::ws_accept_decision::reject(404, "no such stream path\n");
}

}  // namespace detail

}  // namespace tradewire::sim
