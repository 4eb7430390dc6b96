// feed<Exchange, Transport, Handler>: one venue's market data, end to end. It plans the
// subscriptions over connections and requests at the venue's limits
// (exchange::plan_connections), keeps each connection up with net::reconnecting_client
// (backoff, resubscription after every reconnect), decodes messages with the venue's
// decoder, keeps a synced order book per subscribed book symbol, runs the venue's
// heartbeat and calls the handler's hooks (feed/handler.hpp), all on one executor with
// no virtual calls:
//
//   struct strategy {
//       void on_bbo(const market::bbo& b) { ... }
//       void on_book(const feed::book_view& v) { if (v.in_sync) ... v.best_bid() ... }
//       void on_status(const market::status& s) { ... }
//   };
//   asio::io_context io;
//   auto tls = net::make_tls_client_context({}, ec);
//   feed::feed<exchange::binance::spot, feed::tls, strategy> f(io, tls, {});
//   f.subscribe(exchange::bbo_of(symbol("BTC-USDT")));
//   f.subscribe(exchange::book_of(symbol("BTC-USDT")));
//   f.start();
//   io.run();
//
// Transport: feed::tcp (ws:// and http://) or feed::tls (wss:// and https://), by type.
// Endpoints come from Exchange::urls unless feed_options overrides them (tests and the
// simulator point feeds at 127.0.0.1; a Binance override names the raw /ws path).
//
// Books: Binance diff depth is merged with a REST snapshot fetched through net/http.hpp
// (deltas are buffered meanwhile; REQUEST_WEIGHT is spent by the depth limit's weight
// and requests wait when the minute's budget is used). OKX and Bybit push their
// snapshot in the stream; a gap or checksum mismatch resubscribes that one symbol's book
// channel. Either way only the broken book stops; the others keep flowing, and on_status
// reports gap_detected / checksum_mismatch, resync_started and resync_finished.
//
// Heartbeats: Binance pings with control frames (the stream answers them with a copy of
// the payload); when no liveness check is configured the feed turns one on (a Ping of
// its own after two missed server pings, the connection fails without an answer). OKX
// gets a text "ping" and Bybit {"op":"ping"} every heartbeat.client_ping_interval (25 s
// / 20 s; overridable); no pong within heartbeat.pong_timeout (overridable) reports a
// venue_error status (exchange::error::heartbeat_timeout) and replaces the connection
// (a new one is opened and subscribed before the silent one is closed).
//
// Rotation: connections are replaced before the venue's lifetime runs out (Binance
// 24 h: after 23 h by default; feed_options::rotation_interval). The new connection is
// subscribed and confirmed by the venue's acks, then both deliver until a trade arrives
// on both (a loaded client may read the old socket's backlog well after the new one
// started: that backlog exists nowhere else), and only then is the old one closed.
// Repeats are dropped (trades by trade id, Binance book tickers by update id:
// feed/detail/trade_dedup.hpp; book deltas by sequence). Around a switch a trade may
// arrive after one with a higher id (it was in flight on the old connection).
//
// Pacing: subscribe and unsubscribe requests (initial, after a reconnect, book
// resubscriptions) leave each connection within the venue's limits (Binance 5 messages
// per second including pongs, so 4 requests; OKX 480 requests per hour):
// feed/detail/control_pacer.hpp.
//
// Threading: one thread runs the io_context and every hook. Not movable (the clients
// point back at it). stop() before destruction is not required.
#pragma once

#include <tradewire/core/latency.hpp>
#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/exchange.hpp>
#include <tradewire/feed/detail/control_pacer.hpp>
#include <tradewire/feed/detail/trade_dedup.hpp>
#include <tradewire/feed/detail/venue_books.hpp>
#include <tradewire/feed/handler.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/net/http.hpp>
#include <tradewire/net/reconnecting_client.hpp>
#include <tradewire/net/tcp.hpp>
#include <tradewire/net/tls.hpp>
#include <tradewire/trade/rate_limiter.hpp>

#include <asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace tradewire::feed {

using tcp = net::tcp_socket;
using tls = net::tls_stream<net::tcp_socket>;

// REQUEST_WEIGHT of Binance GET /api/v3/depth by `limit` (Binance REST docs; the
// reference lists the 6000/min budget, not this table).
constexpr std::uint32_t binance_depth_weight(unsigned limit) noexcept {
    if (limit <= 100) return 5;
    if (limit <= 500) return 25;
    if (limit <= 1000) return 50;
    return 250;
}

struct feed_options {
    std::string market_url;    // "" = Exchange::urls.market_ws (Binance: a raw "/ws" URL)
    std::string business_url;  // "" = Exchange::urls.business_ws
    std::string rest_url;      // "" = Exchange::urls.rest_base (Binance book snapshots)
    bool testnet = false;
    net::backoff_options backoff{};
    net::tcp_options tcp{};
    net::ws_stream_options stream{};
    market::book_sync_options books{};
    unsigned snapshot_limit = 1000;             // Binance REST depth levels (weight 50)
    std::uint32_t request_weight_per_minute = 6000;  // Binance REQUEST_WEIGHT budget of this feed
    net::http_client_options http{};
    std::chrono::steady_clock::duration ping_interval{0};  // 0: the venue's client ping interval
    // Bybit: treat a delta whose `u` is not the previous one + 1 as a gap (opt-in: the
    // reference does not say spot ids are consecutive).
    bool consecutive_update_ids = false;
    // Replace each connection this long after it became active, without a gap.
    // nullopt: before the venue's lifetime ends (Binance 24 h -> 23 h; none elsewhere);
    // zero: never.
    std::optional<std::chrono::steady_clock::duration> rotation_interval{};
    // A rotation's new connection must be confirmed (acks) within this, else it is
    // dropped and the rotation retried; the old one keeps serving meanwhile.
    std::chrono::steady_clock::duration rotation_subscribe_timeout = std::chrono::seconds(10);
    // After the new connection's acks both connections deliver until one trade has
    // come on both (the old one's backlog, received before the new one started, is
    // read by then; the repeats are dropped). At most this long (for streams without
    // trades); keep it below rotation_subscribe_timeout.
    std::chrono::steady_clock::duration rotation_overlap = std::chrono::seconds(2);
    // Drop trades and Binance book tickers already delivered (rotation overlap, replays).
    bool deduplicate = true;
    // OKX, Bybit: no pong this long after a ping replaces the connection. 0: the venue's
    // heartbeat.pong_timeout.
    std::chrono::steady_clock::duration pong_timeout{0};
    // Keep subscribe/unsubscribe requests within the venue's per-connection limits.
    bool pace_requests = true;
};

template <exchange::exchange E, class Transport, handler Handler>
    requires net::reconnect_transport<Transport>
class feed {
    using books_policy = tradewire::detail::feed_impl::venue_books<E::id>;

public:
    using exchange_type = E;
    using transport_type = Transport;
    using handler_type = Handler;
    using book_type = typename books_policy::book_type;
    static constexpr bool is_tls = net::detail::is_ssl_stream_v<Transport>;

    template <class ExecutionContext>
        requires(!is_tls)
    feed(ExecutionContext& ctx, feed_options options, Handler h = Handler())
        : ex_(ctx.get_executor()), opt_(std::move(options)), handler_(std::move(h)), rest_timer_(ex_) {
        init();
    }

    template <class ExecutionContext>
        requires(is_tls)
    feed(ExecutionContext& ctx, net::tls_context& tls_ctx, feed_options options, Handler h = Handler())
        : ex_(ctx.get_executor()), tls_(&tls_ctx), opt_(std::move(options)), handler_(std::move(h)), rest_timer_(ex_) {
        init();
    }

    feed(const feed&) = delete;
    feed& operator=(const feed&) = delete;
    ~feed() {
        stop();
        *alive_ = false;
    }

    Handler& handler() noexcept { return handler_; }
    const feed_options& options() const noexcept { return opt_; }

    // Adds a stream before start(); error::unsupported_stream when the venue has none.
    std::error_code subscribe(const exchange::subscription& s) {
        char arg[512];
        std::error_code ec;
        E::request_arg(s, arg, ec);
        if (ec) return ec;
        if (started_) return net::error::already_open;
        for (const auto& o : subs_)
            if (o == s) return {};
        subs_.push_back(s);
        return {};
    }

    const std::vector<exchange::subscription>& subscriptions() const noexcept { return subs_; }

    // Plans the connections and starts them. Fails on a bad plan or URL.
    std::error_code start() {
        if (started_) return net::error::already_open;
        std::error_code ec;
        plans_ = exchange::plan_connections<E>(subs_, ec);
        if (ec) return ec;
        started_ = true;
        for (std::size_t i = 0; i < plans_.size(); ++i) {
            auto c = std::make_unique<connection>();
            c->plan = &plans_[i];
            c->ping_timer.emplace(ex_);
            c->pong_timer.emplace(ex_);
            c->pace_timer.emplace(ex_);
            c->switch_timer.emplace(ex_);
            c->pacer = tradewire::detail::feed_impl::control_pacer::for_limits(E::limits);
            // OKX: derivative instIds decode to derivative symbols, so their books route.
            if constexpr (requires { c->decoder.set_derivative_symbols(true); }) c->decoder.set_derivative_symbols(true);
            net::reconnect_options ro;
            ro.url = url_for(plans_[i].endpoint);
            ro.backoff = opt_.backoff;
            ro.tcp = opt_.tcp;
            ro.stream = opt_.stream;
            if constexpr (E::heartbeat.style == exchange::ping_style::server_ping_frames) {
                // Server pings stopped for two periods: ask ourselves, fail without an answer.
                if (!ro.stream.liveness.enabled() && E::heartbeat.server_ping_interval.count() > 0) {
                    ro.stream.liveness.idle_timeout = 2 * E::heartbeat.server_ping_interval;
                    ro.stream.liveness.ping_timeout = pong_timeout() > std::chrono::steady_clock::duration::zero()
                                                          ? pong_timeout()
                                                          : std::chrono::steady_clock::duration(std::chrono::seconds(10));
                }
            }
            ro.rotation_interval = rotation_interval();
            ro.subscribe_timeout = opt_.rotation_subscribe_timeout;
            if constexpr (is_tls) {
                c->client.emplace(ex_, *tls_, ro, conn_handler{this, i});
            } else {
                c->client.emplace(ex_, ro, conn_handler{this, i});
            }
            for (const auto& s : plans_[i].subscriptions) {
                if (s.kind != exchange::stream_kind::book) continue;
                auto b = std::make_unique<book_slot>();
                b->instrument = s.instrument;
                b->sub = s;
                b->conn = i;
                b->book = std::make_unique<book_type>(opt_.books, books_policy::sync(opt_.consecutive_update_ids));
                books_.push_back(std::move(b));
            }
            conns_.push_back(std::move(c));
        }
        configure_dedup();
        for (auto& c : conns_) {
            (*c->client)->async_run([](std::error_code) {});
            arm_ping(*c);
        }
        return {};
    }

    // The rotation interval start() gives each connection (zero: none).
    std::chrono::steady_clock::duration rotation_interval() const noexcept {
        if (opt_.rotation_interval) return *opt_.rotation_interval;
        const std::chrono::steady_clock::duration life = E::limits.max_connection_lifetime;
        if (life <= std::chrono::steady_clock::duration::zero()) return life.zero();
        if (life > std::chrono::hours(2)) return life - std::chrono::hours(1);
        return life * 9 / 10;
    }

    // The pong deadline after a client ping (zero: none).
    std::chrono::steady_clock::duration pong_timeout() const noexcept {
        if (opt_.pong_timeout.count() > 0) return opt_.pong_timeout;
        return E::heartbeat.pong_timeout;
    }

    // Stops every connection and timer now.
    void stop() {
        for (auto& c : conns_) {
            if (c->client) (*c->client)->cancel();
            if (c->ping_timer) c->ping_timer->cancel();
            if (c->pong_timer) c->pong_timer->cancel();
            if (c->pace_timer) c->pace_timer->cancel();
            if (c->switch_timer) c->switch_timer->cancel();
            c->outbox.clear();
        }
        rest_timer_.cancel();
        if (http_) http_->close();
        stopped_ = true;
    }

    // The book of `s`, or nullptr when it is not subscribed.
    const book_type* book(const symbol& s) const noexcept {
        for (const auto& b : books_)
            if (b->instrument == s) return b->book.get();
        return nullptr;
    }

    std::size_t connection_count() const noexcept { return conns_.size(); }
    bool connected() const noexcept {
        for (const auto& c : conns_)
            if (!c->client || !(*c->client)->connected()) return false;
        return !conns_.empty();
    }
    std::uint64_t reconnects() const noexcept { return reconnects_; }
    std::uint64_t snapshots_fetched() const noexcept { return snapshots_; }
    std::uint64_t resubscriptions() const noexcept { return resubscriptions_; }
    std::uint64_t pings_sent() const noexcept { return pings_; }
    std::uint64_t messages() const noexcept { return messages_; }
    // Connections replaced by a completed rotation (scheduled or after a missed pong).
    std::uint64_t rotations() const noexcept { return rotations_; }
    // Trades and book tickers dropped as repeats.
    std::uint64_t duplicates_dropped() const noexcept { return dedup_.dropped(); }
    // Pongs that did not arrive in time.
    std::uint64_t heartbeat_failures() const noexcept { return heartbeat_failures_; }
    std::uint64_t pongs_received() const noexcept { return pongs_; }
    // Subscribe/unsubscribe requests handed to the connections, and the ones waiting
    // for the pacer now.
    std::uint64_t requests_sent() const noexcept { return requests_sent_; }
    std::size_t requests_queued() const noexcept {
        std::size_t n = 0;
        for (const auto& c : conns_) n += c->outbox.size();
        return n;
    }

private:
    struct conn_handler {
        feed* f;
        std::size_t index;

        template <class C>
        net::subscribe_status on_subscribe(C& c, std::uint64_t gen) {
            return f->send_subscriptions(c, index, gen);
        }
        template <class C>
        void on_message(C&, const net::ws_message& m, std::uint64_t gen) {
            f->on_message(index, m, gen);
        }
        template <class C>
        void on_event(C&, const net::connection_event& e) {
            f->on_connection_event(index, e);
        }
    };

    using client_type = net::reconnecting_client<conn_handler, Transport>;

    struct outgoing {
        std::uint64_t generation = 0;
        std::string text;
    };

    struct connection {
        const exchange::connection_plan* plan = nullptr;
        std::optional<client_type> client;
        typename E::decoder decoder{};
        std::optional<asio::steady_timer> ping_timer;
        std::optional<asio::steady_timer> pong_timer;
        std::optional<asio::steady_timer> pace_timer;
        std::optional<asio::steady_timer> switch_timer;  // rotation overlap
        tradewire::detail::feed_impl::control_pacer pacer;
        std::deque<outgoing> outbox;  // requests waiting for the pacer
        bool pacing = false;          // pace_timer armed
        bool pong_due = false;        // a ping is unanswered
        // A rotation's new connection: the acks it still needs before it takes over.
        std::uint64_t ack_generation = 0;
        std::size_t acks_expected = 0;
        std::size_t acks_seen = 0;
        std::uint64_t switch_generation = 0;  // acked, overlapping until the old one catches up
        bool up = false;
    };

    struct book_slot {
        symbol instrument;
        exchange::subscription sub;
        std::size_t conn = 0;
        std::unique_ptr<book_type> book;
        bool resyncing = true;      // waiting for a snapshot (initially, and after a problem)
        bool fetch_queued = false;  // Binance: a REST snapshot is queued or in flight
    };

    // The decoder's handler: routes events to books and hooks.
    struct sink {
        feed* f;
        std::size_t conn;
        std::uint64_t generation;
        void on_trade(const market::trade& e) {
            using verdict = tradewire::detail::feed_impl::trade_dedup::verdict;
            const verdict v = f->dedup_.check(e);
            if (v == verdict::fresh) {
                tradewire::detail::feed_impl::call(f->handler_, e);
            } else if (v == verdict::repeat) {
                f->on_repeat(conn, generation);
            }
        }
        void on_bbo(const market::bbo& e) {
            // A stale ticker (u below the last) proves nothing about catching up: it may
            // be from the old connection's backlog. Only exact trade repeats end an overlap.
            if (f->dedup_.fresh(e)) tradewire::detail::feed_impl::call(f->handler_, e);
        }
        void on_kline(const market::kline& e) { tradewire::detail::feed_impl::call(f->handler_, e); }
        void on_book_snapshot(const market::book_snapshot& e) {
            if (book_slot* b = f->find_book(e.symbol)) f->apply(*b, b->book->on_snapshot(e), e.receive_time, e.exchange_time);
        }
        void on_book_delta(const market::book_delta& e) {
            if (book_slot* b = f->find_book(e.symbol)) f->apply(*b, b->book->on_delta(e), e.receive_time, e.exchange_time);
        }
        void on_control(const exchange::control_event& e) {
            f->on_control(conn, generation, e);
            if (auto s = exchange::to_status(e)) tradewire::detail::feed_impl::call(f->handler_, *s);
        }
        void on_decode_error(const exchange::decode_error& e) {
            market::status s;
            s.venue = E::id;
            s.kind = market::status_kind::venue_error;
            s.error = e.error;
            s.text = e.reason;
            s.receive_time = e.receive_time;
            tradewire::detail::feed_impl::call(f->handler_, s);
        }
    };

    void init() {
        weights_.assign(trade::sliding_window(opt_.request_weight_per_minute == 0 ? 1 : opt_.request_weight_per_minute,
                                              60 * trade::ns_per_second));
    }

    std::string url_for(exchange::endpoint_kind k) const {
        if (k == exchange::endpoint_kind::business && !opt_.business_url.empty()) return opt_.business_url;
        if (k == exchange::endpoint_kind::business && !opt_.market_url.empty()) return opt_.market_url;
        if (k == exchange::endpoint_kind::market && !opt_.market_url.empty()) return opt_.market_url;
        return std::string(E::urls.ws(k, opt_.testnet));
    }

    static market::timestamp now() noexcept { return wall_clock{}.now(); }

    book_slot* find_book(const symbol& s) noexcept {
        if (last_book_ < books_.size() && books_[last_book_]->instrument == s) return books_[last_book_].get();
        for (std::size_t i = 0; i < books_.size(); ++i) {
            if (books_[i]->instrument == s) {
                last_book_ = i;
                return books_[i].get();
            }
        }
        return nullptr;
    }

    // Trades of a Binance symbol subscribed both as @trade and @aggTrade come from two
    // id spaces: that symbol is not de-duplicated.
    void configure_dedup() {
        using namespace tradewire::detail::feed_impl;
        dedup_ = trade_dedup(opt_.deduplicate ? dedup_rule_for(E::id) : dedup_rule::off);
        for (const auto& s : subs_) {
            if (s.kind == exchange::stream_kind::bbo) dedup_.add(s.instrument);
            if (s.kind != exchange::stream_kind::trades && s.kind != exchange::stream_kind::agg_trades) continue;
            const auto other = s.kind == exchange::stream_kind::trades ? exchange::stream_kind::agg_trades
                                                                       : exchange::stream_kind::trades;
            bool both = false;
            for (const auto& o : subs_)
                if (o.kind == other && o.instrument == s.instrument) both = true;
            dedup_.add(s.instrument, !both);
        }
    }

    // Acks a subscribe plan gets back: OKX answers each arg, Binance and Bybit each request.
    static std::size_t expected_acks(const exchange::connection_plan& p) noexcept {
        if constexpr (E::id == market::venue::okx) {
            return p.subscriptions.size();
        } else {
            return p.requests.size();
        }
    }

    // Queues the plan's subscribe requests for generation `gen` (paced). A rotation's new
    // connection takes over when every request is acknowledged; any other connection
    // serves at once.
    template <class C>
    net::subscribe_status send_subscriptions(C& c, std::size_t index, std::uint64_t gen) {
        connection& cn = *conns_[index];
        const exchange::connection_plan& p = *cn.plan;
        cn.pacer.reset();  // the venues count per connection: a new one starts afresh
        for (std::size_t r = 0; r < p.requests.size(); ++r) {
            std::error_code ec;
            const std::size_t n = E::build_subscribe(p.request(r), exchange::request_id(next_id_++), out_, ec);
            if (!ec) enqueue(cn, gen, std::string_view(out_.data(), n));
        }
        if (c.active_generation() == gen || p.requests.empty()) return net::subscribe_status::done;
        cn.ack_generation = gen;
        cn.acks_expected = expected_acks(p);
        cn.acks_seen = 0;
        return net::subscribe_status::pending;
    }

    void enqueue(connection& c, std::uint64_t gen, std::string_view text) {
        c.outbox.push_back(outgoing{gen, std::string(text)});
        pump_outbox(c);
    }

    static std::int64_t steady_ns() noexcept {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }

    void pump_outbox(connection& c) {
        if (c.pacing || stopped_ || !c.client) return;
        while (!c.outbox.empty()) {
            const std::int64_t t = steady_ns();
            std::int64_t at = t;
            if (opt_.pace_requests && c.pacer.enabled()) at = c.pacer.next_available(t);
            if (at == trade::rate_limiter::never) {
                c.outbox.clear();
                return;
            }
            const outgoing& m = c.outbox.front();
            std::error_code ec;
            if (at <= t) ec = (*c.client)->send_text(m.text, m.generation);
            if (at > t || ec == net::reconnect_error::send_queue_full) {
                // Wait for the pacer (or for room in the connection's queue).
                const std::int64_t wait = at > t ? at - t : 20'000'000;
                c.pacing = true;
                c.pace_timer->expires_after(std::chrono::nanoseconds(wait));
                c.pace_timer->async_wait([this, &c, alive = alive_](std::error_code wec) {
                    if (!*alive) return;
                    c.pacing = false;
                    if (!wec) pump_outbox(c);
                });
                return;
            }
            if (!ec) {
                if (opt_.pace_requests) c.pacer.spend(t);
                ++requests_sent_;
            }
            // A generation that is gone drops its requests (its replacement has its own).
            c.outbox.pop_front();
        }
    }

    void on_control(std::size_t index, std::uint64_t gen, const exchange::control_event& e) {
        connection& c = *conns_[index];
        if (e.kind == exchange::control_kind::pong) {
            ++pongs_;
            c.pong_due = false;
            c.pong_timer->cancel();
            return;
        }
        if (c.ack_generation == 0 || gen != c.ack_generation) return;
        if (e.kind == exchange::control_kind::subscribed || e.kind == exchange::control_kind::ack ||
            e.kind == exchange::control_kind::error) {
            if (++c.acks_seen < c.acks_expected) return;
            c.ack_generation = 0;
            if (opt_.rotation_overlap <= std::chrono::steady_clock::duration::zero()) {
                (*c.client)->subscribed(gen);
                return;
            }
            c.switch_generation = gen;
            c.switch_timer->expires_after(opt_.rotation_overlap);
            c.switch_timer->async_wait([this, &c, gen, alive = alive_](std::error_code ec) {
                if (ec || !*alive || stopped_ || !c.client || c.switch_generation != gen) return;
                finish_switch(c);
            });
        }
    }

    // A trade arrived twice while both connections deliver: the two streams overlap.
    // If the old one repeated the new one's trade X, it has read everything it received
    // before X; if the new one repeated the old one's X, the old one read past the point
    // where the new one started. Either way everything after X is on the new one.
    void on_repeat(std::size_t index, std::uint64_t) {
        connection& c = *conns_[index];
        if (c.switch_generation != 0) finish_switch(c);
    }

    void finish_switch(connection& c) {
        const std::uint64_t gen = c.switch_generation;
        c.switch_generation = 0;
        c.switch_timer->cancel();
        (*c.client)->subscribed(gen);  // a no-op when that connection is gone
    }

    void on_message(std::size_t index, const net::ws_message& m, std::uint64_t gen) {
        ++messages_;
        const market::timestamp t = now();
        // The payload is the stream's own receive buffer, valid until the next read; the
        // decoders parse in place, so it is handed over as mutable.
        auto* p = const_cast<std::uint8_t*>(m.payload.data());
        sink s{this, index, gen};
        conns_[index]->decoder.decode(mutable_bytes(p, m.payload.size()), s, t);
    }

    void on_connection_event(std::size_t index, const net::connection_event& e) {
        connection& c = *conns_[index];
        market::status s;
        s.venue = E::id;
        s.receive_time = now();
        s.error = e.error;
        s.text = e.text;
        if (e.kind == net::connection_event_kind::rotation_done) {
            ++rotations_;
            c.pong_due = false;  // the silent connection, if any, is being closed
            c.pong_timer->cancel();
            return;
        }
        if (e.kind == net::connection_event_kind::rotation_failed) {
            if (c.ack_generation == e.generation) c.ack_generation = 0;
            if (c.switch_generation == e.generation) c.switch_generation = 0;
            return;
        }
        if (e.kind == net::connection_event_kind::up) {
            if (c.up) return;
            c.up = true;
            s.kind = market::status_kind::connection_up;
            tradewire::detail::feed_impl::call(handler_, s);
        } else if (e.kind == net::connection_event_kind::down) {
            if (!c.up) return;
            c.up = false;
            c.pong_due = false;
            c.pong_timer->cancel();
            ++reconnects_;
            s.kind = market::status_kind::connection_down;
            tradewire::detail::feed_impl::call(handler_, s);
            // Every book of the connection starts over from the next snapshot.
            for (auto& b : books_) {
                if (b->conn != index) continue;
                b->book->reset();
                start_resync(*b, market::error::resync_requested, false);
            }
        }
    }

    void apply(book_slot& b, const market::sync_result& r, market::timestamp rt,
               std::optional<market::timestamp> et) {
        switch (r.status) {
            case market::sync_status::applied: {
                if (r.snapshot_applied && b.resyncing) {
                    b.resyncing = false;
                    b.fetch_queued = false;
                    market::status s;
                    s.venue = E::id;
                    s.symbol = b.instrument;
                    s.kind = market::status_kind::resync_finished;
                    s.channel = market::channel::book;
                    s.receive_time = rt;
                    tradewire::detail::feed_impl::call(handler_, s);
                }
                book_view v;
                v.venue = E::id;
                v.symbol = &b.instrument;
                v.book = &b.book->book();
                v.in_sync = b.book->in_sync();
                v.snapshot = r.snapshot_applied;
                v.receive_time = rt;
                v.exchange_time = et;
                tradewire::detail::feed_impl::call(handler_, v);
                return;
            }
            case market::sync_status::buffered:
                if constexpr (books_policy::method == tradewire::detail::feed_impl::resync_method::rest_snapshot) queue_snapshot(b);
                return;
            case market::sync_status::ignored: return;
            case market::sync_status::resync_needed: {
                market::status s;
                s.venue = E::id;
                s.symbol = b.instrument;
                s.channel = market::channel::book;
                s.error = r.reason;
                s.receive_time = rt;
                if (r.reason == market::error::checksum_mismatch) {
                    s.kind = market::status_kind::checksum_mismatch;
                    tradewire::detail::feed_impl::call(handler_, s);
                } else if (r.reason == market::error::sequence_gap || r.reason == market::error::snapshot_too_old) {
                    s.kind = market::status_kind::gap_detected;
                    tradewire::detail::feed_impl::call(handler_, s);
                }
                start_resync(b, r.reason, true);
                return;
            }
        }
    }

    void start_resync(book_slot& b, std::error_code reason, bool act) {
        const bool was = b.resyncing;
        b.resyncing = true;
        if (!was) {
            market::status s;
            s.venue = E::id;
            s.symbol = b.instrument;
            s.kind = market::status_kind::resync_started;
            s.channel = market::channel::book;
            s.error = reason;
            s.receive_time = now();
            tradewire::detail::feed_impl::call(handler_, s);
        }
        if (!act) return;
        if constexpr (books_policy::method == tradewire::detail::feed_impl::resync_method::rest_snapshot) {
            b.fetch_queued = false;  // a snapshot in flight may be too old now: fetch again
            queue_snapshot(b);
        } else {
            resubscribe(b);
        }
    }

    // OKX, Bybit: unsubscribe and subscribe the symbol's book channel; the venue answers
    // with a fresh snapshot.
    void resubscribe(book_slot& b) {
        connection& c = *conns_[b.conn];
        if (!c.client || !(*c.client)->connected()) return;  // the reconnect resubscribes
        const std::uint64_t gen = (*c.client)->active_generation();
        const exchange::subscription one[] = {b.sub};
        std::error_code ec;
        std::size_t n = E::build_unsubscribe(one, exchange::request_id(next_id_++), out_, ec);
        if (!ec) enqueue(c, gen, std::string_view(out_.data(), n));
        n = E::build_subscribe(one, exchange::request_id(next_id_++), out_, ec);
        if (!ec) enqueue(c, gen, std::string_view(out_.data(), n));
        ++resubscriptions_;
    }

    // ---- Binance REST snapshots: one request at a time, within the weight budget.

    void queue_snapshot(book_slot& b) {
        if (b.fetch_queued || stopped_) return;
        b.fetch_queued = true;
        pending_.push_back(&b);
        pump_rest();
    }

    void pump_rest() {
        if (rest_busy_ || pending_.empty() || stopped_) return;
        if (!http_) {
            const std::string base = opt_.rest_url.empty() ? std::string(E::urls.rest_base) : opt_.rest_url;
            if constexpr (is_tls) {
                http_.emplace(ex_, *tls_, base, opt_.http);
            } else {
                http_.emplace(ex_, base, opt_.http);
            }
        }
        const unsigned limit = opt_.snapshot_limit == 0 ? 1000 : opt_.snapshot_limit;
        const std::uint32_t weight = binance_depth_weight(limit);
        const std::int64_t t = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count();
        const std::int64_t at = weights_.next_available(t, weight);
        if (at == trade::rate_limiter::never) {
            pending_.clear();  // a weight above the whole budget can never be spent
            return;
        }
        if (at > t) {
            rest_busy_ = true;
            rest_timer_.expires_after(std::chrono::nanoseconds(at - t));
            rest_timer_.async_wait([this, alive = alive_](std::error_code ec) {
                if (!*alive) return;
                rest_busy_ = false;
                if (!ec) pump_rest();
            });
            return;
        }
        weights_.spend(t, weight);
        book_slot* b = pending_.front();
        pending_.pop_front();
        std::error_code ec;
        const std::size_t n = exchange::binance::rest_depth_target(b->instrument, limit, target_, ec);
        if (ec) return pump_rest();
        rest_busy_ = true;
        http_->async_get(std::string_view(target_.data(), n), [this, b, alive = alive_](std::error_code hec, const net::http_response& r) {
            if (!*alive) return;
            rest_busy_ = false;
            if (stopped_) return;
            on_snapshot_response(*b, hec, r);
            pump_rest();
        });
    }

    void on_snapshot_response(book_slot& b, std::error_code ec, const net::http_response& r) {
        b.fetch_queued = false;
        if (ec || r.status != 200) {
            market::status s;
            s.venue = E::id;
            s.symbol = b.instrument;
            s.kind = market::status_kind::venue_error;
            s.channel = market::channel::book;
            s.error = ec;
            s.text = ec ? std::string_view("book snapshot request failed") : r.body;
            s.receive_time = now();
            tradewire::detail::feed_impl::call(handler_, s);
            // Try again after the backoff's first delay (429/418 included: the weight
            // limiter spaces the retries).
            retry_snapshot(b);
            return;
        }
        ++snapshots_;
        rest_body_.assign(r.body.data(), r.body.size());
        sink s{this, b.conn, 0};
        conns_[b.conn]->decoder.decode_rest_depth(std::span<char>(rest_body_.data(), rest_body_.size()), b.instrument,
                                                  s, now());
        // A snapshot older than the buffered deltas leaves the book waiting: fetch again.
        if (!b.book->in_sync() && !b.fetch_queued) queue_snapshot(b);
    }

    void retry_snapshot(book_slot& b) {
        auto t = std::make_shared<asio::steady_timer>(ex_, opt_.backoff.initial);
        t->async_wait([this, t, &b, alive = alive_](std::error_code ec) {
            if (!ec && *alive && !stopped_) queue_snapshot(b);
        });
    }

    // ---- client pings (OKX text "ping", Bybit {"op":"ping"})

    void arm_ping(connection& c) {
        if constexpr (E::heartbeat.style == exchange::ping_style::server_ping_frames) {
            return;
        } else {
            auto interval = opt_.ping_interval.count() > 0
                                ? opt_.ping_interval
                                : std::chrono::steady_clock::duration(E::heartbeat.client_ping_interval);
            if (interval.count() <= 0) return;
            c.ping_timer->expires_after(interval);
            c.ping_timer->async_wait([this, &c, alive = alive_](std::error_code ec) {
                if (ec || !*alive || stopped_) return;
                if (c.client && (*c.client)->connected()) {
                    const std::size_t n = E::build_ping(out_);
                    if (n > 0 && !(*c.client)->send_text(std::string_view(out_.data(), n))) {
                        ++pings_;
                        arm_pong_deadline(c);
                    }
                }
                arm_ping(c);
            });
        }
    }

    // The first unanswered ping starts the deadline; later pings do not move it.
    void arm_pong_deadline(connection& c) {
        const auto limit = pong_timeout();
        if (c.pong_due || limit <= std::chrono::steady_clock::duration::zero()) return;
        c.pong_due = true;
        c.pong_timer->expires_after(limit);
        c.pong_timer->async_wait([this, &c, alive = alive_](std::error_code ec) {
            if (ec || !*alive || stopped_ || !c.pong_due) return;
            c.pong_due = false;
            ++heartbeat_failures_;
            market::status s;
            s.venue = E::id;
            s.kind = market::status_kind::venue_error;
            s.error = exchange::error::heartbeat_timeout;
            s.text = "no pong within the heartbeat deadline: replacing the connection";
            s.receive_time = now();
            tradewire::detail::feed_impl::call(handler_, s);
            // A new connection is opened and subscribed; then the silent one is closed
            // (its close handshake is bounded by the stream's close_timeout).
            if (c.client) (*c.client)->rotate_now();
        });
    }

    asio::any_io_executor ex_;
    // Timer and request callbacks may run after the feed is gone (their io_context keeps
    // running): they check this first.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    net::tls_context* tls_ = nullptr;
    feed_options opt_;
    Handler handler_;
    std::vector<exchange::subscription> subs_;
    std::vector<exchange::connection_plan> plans_;
    std::vector<std::unique_ptr<connection>> conns_;
    std::vector<std::unique_ptr<book_slot>> books_;
    std::size_t last_book_ = 0;
    std::array<char, 64 * 1024> out_{};
    std::array<char, 256> target_{};
    std::int64_t next_id_ = 1;
    bool started_ = false;
    bool stopped_ = false;
    // REST snapshots
    std::optional<net::http_client<Transport>> http_;
    asio::steady_timer rest_timer_;
    trade::rate_limiter weights_;
    std::deque<book_slot*> pending_;
    bool rest_busy_ = false;
    std::string rest_body_;
    // counters
    std::uint64_t reconnects_ = 0, snapshots_ = 0, resubscriptions_ = 0, pings_ = 0, messages_ = 0;
    std::uint64_t rotations_ = 0, heartbeat_failures_ = 0, pongs_ = 0, requests_sent_ = 0;
    tradewire::detail::feed_impl::trade_dedup dedup_;
};

}  // namespace tradewire::feed
