// A WebSocket client that stays connected: on any failure (connect, TLS or WebSocket
// handshake, read error, liveness timeout, a Close from the server) it reconnects after a
// backoff delay (backoff.hpp: exponential, jittered, capped, optionally limited, reset
// after a healthy connection), then lets the handler replay its subscriptions. Venues cut
// connections after some hours (24 h at most exchanges), so it can also rotate on a
// schedule without a gap:
//
//   1. after rotation_interval, a new connection (the next generation) is opened;
//   2. the handler subscribes on it (on_subscribe) and says when that is done;
//   3. the new connection becomes the active one; the old one is closed (1000).
//
// During the overlap both connections deliver their messages, each tagged with its
// generation, so nothing published between "old stops" and "new starts" is lost.
// CONTRACT: the consumer may therefore see a message twice around a rotation or a
// reconnect and must deduplicate by the venue's sequence number or trade id (the feed
// layer does). Generations increase by one per connection attempt and never repeat.
//
//   struct feed_handler {
//       template <class C> net::subscribe_status on_subscribe(C& c, std::uint64_t gen) {
//           c.send_text(R"({"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1})", gen);
//           return net::subscribe_status::pending;          // c.subscribed(gen) on the ack
//       }
//       template <class C> void on_message(C& c, const net::ws_message& m, std::uint64_t gen) {...}
//       template <class C> void on_event(C& c, const net::connection_event& e) {...}
//   };
//   net::reconnecting_client<feed_handler> client(io, options);            // ws://
//   net::reconnecting_client<feed_handler, net::tls_stream<net::tcp_socket>> tls_client(io, ctx, options);
//   client->async_run([](std::error_code final) { ... });   // exactly once
//
// Hooks (all optional, detected with requires):
//   on_message(Client&, const ws_message&, std::uint64_t generation)
//   on_subscribe(Client&, std::uint64_t generation) -> subscribe_status (or void: done)
//   on_event(Client&, const connection_event&)     up, down, reconnecting, rotation_*
//
// Ending: async_run completes exactly once: with asio::error::operation_aborted after
// cancel(), with success after close() finished the close handshakes, or with the last
// connection error once the backoff gave up (max_attempts). No hook runs after that
// completion is posted; cancel() and close() may be called from inside any hook, and
// the client handle may be destroyed at any time (it cancels), with no use after free:
// pending operations keep the internal state alive until they finish.
//
// Threading: like the streams, one thread (or strand) runs the client and its hooks.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/error.hpp>
#include <tradewire/core/http.hpp>
#include <tradewire/core/url.hpp>
#include <tradewire/net/backoff.hpp>
#include <tradewire/net/connect.hpp>
#include <tradewire/net/detail/transport.hpp>
#include <tradewire/net/error.hpp>
#include <tradewire/net/tcp.hpp>
#include <tradewire/net/ws_options.hpp>
#include <tradewire/net/ws_stream.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/handshake.hpp>
#include <tradewire/ws/role.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/compose.hpp>
#include <asio/error.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace tradewire::net {

enum class reconnect_error {
    scheme_mismatch = 1,  // a wss:// URL on a plain client, or ws:// on a TLS client
    bad_url,              // the URL did not parse
    subscribe_timeout,    // a rotation's new connection was not subscribed in time
    send_queue_full,      // too many outgoing messages waiting on the connection
    already_running,      // async_run called twice
    reconnect_requested,  // reconnect_now() dropped the connection
};

namespace detail {
struct reconnect_error_traits {
    static constexpr const char* name = "tradewire.net.reconnect";
    static const char* message(reconnect_error e) noexcept {
        switch (e) {
            case reconnect_error::scheme_mismatch: return "URL scheme does not match the client's transport (ws/wss)";
            case reconnect_error::bad_url: return "bad WebSocket URL";
            case reconnect_error::subscribe_timeout: return "new connection not subscribed in time";
            case reconnect_error::send_queue_full: return "outgoing message queue full";
            case reconnect_error::already_running: return "reconnecting client already running";
            case reconnect_error::reconnect_requested: return "connection dropped on request to reconnect";
        }
        return "unknown tradewire.net.reconnect error";
    }
};
}  // namespace detail

inline std::error_code make_error_code(reconnect_error e) noexcept {
    return {static_cast<int>(e), tradewire::detail::enum_category<reconnect_error, detail::reconnect_error_traits>()};
}

}  // namespace tradewire::net

template <>
struct std::is_error_code_enum<tradewire::net::reconnect_error> : std::true_type {};

namespace tradewire::net {

struct reconnect_options {
    std::string url;  // ws://host[:port]/path or wss://...
    // Extra upgrade request fields (Authorization, Origin, User-Agent, ...).
    std::vector<std::pair<std::string, std::string>> headers;
    backoff_options backoff{};
    tcp_options tcp{};
    ws_stream_options stream{};  // liveness (half-open detection), deadlines, size limit
    // 0: never rotate. Otherwise open a replacement connection this long after each one
    // became active.
    std::chrono::steady_clock::duration rotation_interval{0};
    // A rotation's new connection must be subscribed within this (else it is dropped and
    // the rotation retried after the backoff's initial delay).
    std::chrono::steady_clock::duration subscribe_timeout = std::chrono::seconds(10);
    // Outgoing messages waiting per connection (each slot keeps its string's capacity).
    std::size_t send_queue_limit = 64;
};

enum class subscribe_status : std::uint8_t {
    done,     // subscribed: the connection may become active now
    pending,  // the handler calls client.subscribed(generation) when the venue confirmed
};

enum class connection_event_kind : std::uint8_t {
    up,                // generation connected (handshakes done); subscriptions are replayed next
    down,              // the active generation ended (error, text say why)
    reconnecting,      // next attempt after `delay`; attempt = consecutive failures so far
    rotation_started,  // generation is being opened to replace `previous`
    rotation_done,     // generation is now active; `previous` is being closed
    rotation_failed,   // generation could not replace `previous` (error, text); retried later
};

struct connection_event {
    connection_event_kind kind = connection_event_kind::up;
    std::uint64_t generation = 0;
    std::uint64_t previous = 0;
    std::error_code error{};
    std::string_view text{};  // error.message() plus details (HTTP status, close code); valid in the hook
    std::uint32_t attempt = 0;
    std::chrono::steady_clock::duration delay{0};
};

inline const char* to_string(connection_event_kind k) noexcept {
    switch (k) {
        case connection_event_kind::up: return "up";
        case connection_event_kind::down: return "down";
        case connection_event_kind::reconnecting: return "reconnecting";
        case connection_event_kind::rotation_started: return "rotation_started";
        case connection_event_kind::rotation_done: return "rotation_done";
        case connection_event_kind::rotation_failed: return "rotation_failed";
    }
    return "?";
}

namespace detail {

template <class H, class C>
concept client_has_on_message = requires(H& h, C& c, const ws_message& m, std::uint64_t g) { h.on_message(c, m, g); };
template <class H, class C>
concept client_has_on_subscribe = requires(H& h, C& c, std::uint64_t g) { h.on_subscribe(c, g); };
template <class H, class C>
concept client_has_on_event = requires(H& h, C& c, const connection_event& e) { h.on_event(c, e); };

}  // namespace detail

template <class H>
concept reconnect_handler = std::move_constructible<H> && std::is_class_v<H>;

template <class T>
concept reconnect_transport =
    std::same_as<T, tcp_socket> ||
    (detail::is_ssl_stream_v<T> && requires(T& t) { { t.next_layer() } -> std::same_as<tcp_socket&>; });

template <reconnect_handler Handler, reconnect_transport NextLayer = tcp_socket, backoff_policy Backoff = exponential_backoff>
class basic_reconnecting_client
    : public std::enable_shared_from_this<basic_reconnecting_client<Handler, NextLayer, Backoff>> {
public:
    using handler_type = Handler;
    using stream_type = ws_stream<NextLayer, ws::client_role>;
    using executor_type = asio::any_io_executor;
    using clock = std::chrono::steady_clock;
    static constexpr bool is_tls = detail::is_ssl_stream_v<NextLayer>;

    // Use reconnecting_client<...> (below), which owns one of these.
    basic_reconnecting_client(const executor_type& ex, tls_context* tls, reconnect_options options, Handler handler,
                              Backoff backoff)
        : ex_(ex),
          tls_(tls),
          options_(std::move(options)),
          handler_(std::move(handler)),
          backoff_(std::move(backoff)),
          retry_timer_(ex),
          rotation_timer_(ex),
          final_timer_(ex) {
        if (options_.send_queue_limit == 0) options_.send_queue_limit = 1;
        retiring_.reserve(4);
        fields_.reserve(options_.headers.size());
        for (const auto& [name, value] : options_.headers) fields_.push_back(http_field{name, value});
        request_.extra_fields = fields_;
        std::error_code ec;
        request_.endpoint = parse_url(options_.url, ec);
        if (ec) {
            setup_error_ = reconnect_error::bad_url;
        } else if (request_.endpoint.secure() != is_tls) {
            setup_error_ = reconnect_error::scheme_mismatch;
        }
    }

    basic_reconnecting_client(const basic_reconnecting_client&) = delete;
    basic_reconnecting_client& operator=(const basic_reconnecting_client&) = delete;

    executor_type get_executor() const noexcept { return ex_; }
    Handler& handler() noexcept { return handler_; }
    [[nodiscard]] const reconnect_options& options() const noexcept { return options_; }
    Backoff& backoff() noexcept { return backoff_; }

    // Starts connecting; completes exactly once (see the top). Completion signature
    // void(std::error_code).
    template <class Token>
    auto async_run(Token&& token) {
        return asio::async_compose<Token, void(std::error_code)>(run_op{this->shared_from_this()}, token,
                                                                 final_timer_);
    }

    // The generation messages are sent to by default (0 before the first connection).
    [[nodiscard]] std::uint64_t active_generation() const noexcept { return active_ ? active_->generation : 0; }
    // True while an active connection is open.
    [[nodiscard]] bool connected() const noexcept { return active_ && active_->open; }
    [[nodiscard]] bool finished() const noexcept { return finished_; }
    // Connections opened successfully so far (the initial one included).
    [[nodiscard]] std::uint64_t connections() const noexcept { return connections_; }

    // Queues a text message for `generation` (0: the active connection). The text is
    // copied. Errors: net::error::not_open (no such open connection), send_queue_full.
    std::error_code send_text(std::string_view text, std::uint64_t generation = 0) {
        return send(ws::opcode::text, as_bytes(text), generation);
    }
    std::error_code send_binary(const_bytes data, std::uint64_t generation = 0) {
        return send(ws::opcode::binary, data, generation);
    }
    std::error_code send(ws::opcode op, const_bytes payload, std::uint64_t generation = 0) {
        connection* c = find(generation);
        if (c == nullptr || !c->open || c->closing) return error::not_open;
        if (c->queued == c->queue.size()) return reconnect_error::send_queue_full;
        auto& slot = c->queue[(c->head + c->queued) % c->queue.size()];
        slot.op = op;
        slot.bytes.assign(reinterpret_cast<const char*>(payload.data()), payload.size());
        ++c->queued;
        pump(c->shared_from_this());
        return {};
    }

    // The handler finished subscribing on `generation` (after returning pending).
    void subscribed(std::uint64_t generation) {
        connection* c = find(generation);
        if (c == nullptr || !c->open || c->subscribed) return;
        mark_subscribed(c->shared_from_this());
    }

    // Stops everything now: connections are cut, timers cancelled; async_run completes
    // with asio::error::operation_aborted. Idempotent.
    void cancel() { finish(asio::error::operation_aborted); }

    // Stops reconnecting and closes the connections with a close handshake (`code`);
    // async_run completes with success when they have ended (bounded by the stream's
    // close_timeout).
    void close(ws::close_code code = ws::close_code::normal) {
        if (finished_ || closing_) return;
        closing_ = true;
        retry_timer_.cancel();
        rotation_timer_.cancel();
        bool any = false;
        for (const auto& c : {active_, candidate_}) {
            if (!c) continue;
            any = true;
            if (c->open && !c->closing) {
                start_close(c, code);
            } else {
                cut(*c);
            }
        }
        if (!any) finish({});
    }

    // Drops the active connection now and reconnects through the normal path: a down event
    // carrying `reason`, the backoff delay, a new connection, on_subscribe. For a caller
    // that knows the connection is dead before the stream does (a missed application-level
    // heartbeat, a venue that stopped sending), where rotate_now() would keep the dead one
    // until a replacement is subscribed. A rotation under way takes over instead (as soon
    // as its connection is up).
    // While a retry is waiting for its backoff delay, starts it now. Does nothing once
    // closing or finished.
    void reconnect_now(std::error_code reason = reconnect_error::reconnect_requested) {
        if (finished_ || closing_) return;
        if (!active_) {
            // Nothing to drop. A connection attempt in flight is left alone; a retry that
            // waits for its delay starts now.
            if (!candidate_ && retry_timer_.cancel() > 0) start_attempt(false);
            return;
        }
        if (active_->ended || active_->drop_reason) return;
        active_->drop_reason = reason;
        cut(*active_);
    }

    // Opens the replacement connection now instead of waiting for rotation_interval.
    void rotate_now() {
        if (finished_ || closing_ || candidate_ || !active_ || !active_->open) return;
        rotation_timer_.cancel();
        start_rotation();
    }

private:
    struct out_message {
        ws::opcode op = ws::opcode::text;
        std::string bytes;
    };

    struct connection : std::enable_shared_from_this<connection> {
        connection(std::uint64_t g, std::size_t queue_size, const executor_type& ex)
            : generation(g), queue(queue_size), timer(ex) {}
        std::uint64_t generation;
        std::optional<stream_type> ws;
        bool open = false;        // handshakes done, not ended
        bool subscribed = false;
        bool closing = false;     // our Close was started
        bool ended = false;
        bool reading = false;
        bool writing = false;
        bool rotation = false;    // opened to replace the active connection
        std::error_code drop_reason{};  // reconnect_now(): reported instead of the read's error
        clock::time_point up_time{};
        std::vector<out_message> queue;
        std::size_t head = 0;
        std::size_t queued = 0;
        asio::steady_timer timer;  // a rotation candidate's subscribe deadline
    };
    using connection_ptr = std::shared_ptr<connection>;

    connection* find(std::uint64_t generation) const noexcept {
        if (generation == 0) return active_.get();
        if (active_ && active_->generation == generation) return active_.get();
        if (candidate_ && candidate_->generation == generation) return candidate_.get();
        return nullptr;
    }

    // ----- Final completion ----------------------------------------------------------------

    struct run_op {
        std::shared_ptr<basic_reconnecting_client> client;
        enum class step : std::uint8_t { start, waiting, done } at = step::start;
        std::error_code result{};

        template <class Self>
        void operator()(Self& self) {
            basic_reconnecting_client& c = *client;
            if (at == step::done) {  // re-entered through asio::post
                self.complete(result);
                return;
            }
            if (c.running_) {  // a second async_run: it completes alone
                result = reconnect_error::already_running;
                return post_done(self);
            }
            c.running_ = true;
            c.final_timer_.expires_at(clock::time_point::max());
            if (!c.finished_) {
                if (c.setup_error_) {
                    c.finish(c.setup_error_);
                } else {
                    c.start_attempt(false);
                }
            }
            if (c.finished_) {
                result = c.final_error_;
                return post_done(self);
            }
            at = step::waiting;
            c.final_timer_.async_wait(std::move(self));
        }

        template <class Self>
        void operator()(Self& self, std::error_code) {
            basic_reconnecting_client& c = *client;
            if (!c.finished_) {  // the timer is only cancelled by finish(); keep waiting
                c.final_timer_.async_wait(std::move(self));
                return;
            }
            self.complete(c.final_error_);
        }

        template <class Self>
        void post_done(Self& self) {
            at = step::done;
            asio::post(std::move(self));
        }
    };

    void finish(std::error_code ec) {
        if (finished_) return;
        finished_ = true;
        final_error_ = ec;
        retry_timer_.cancel();
        rotation_timer_.cancel();
        for (const auto& c : {active_, candidate_}) {
            if (c) {
                c->timer.cancel();
                cut(*c);
            }
        }
        for (const auto& c : retiring_) cut(*c);
        active_.reset();
        candidate_.reset();
        retiring_.clear();
        final_timer_.cancel();
    }

    // ----- Connecting ----------------------------------------------------------------------

    void start_attempt(bool rotation) {
        if (finished_ || closing_) return;
        auto c = std::make_shared<connection>(++generation_, options_.send_queue_limit, ex_);
        c->rotation = rotation;
        if constexpr (is_tls) {
            c->ws.emplace(ex_, *tls_);
        } else {
            c->ws.emplace(ex_);
        }
        c->ws->set_options(options_.stream);
        candidate_ = c;
        net::async_connect(*c->ws, request_, options_.tcp, [self = this->shared_from_this(), c](std::error_code ec) {
            self->on_connected(c, ec);
        });
    }

    void on_connected(const connection_ptr& c, std::error_code ec) {
        if (finished_ || closing_ || candidate_ != c) {
            cut(*c);
            c->ended = true;
            if (closing_ && !finished_) maybe_closed();
            return;
        }
        if (ec) {
            describe(ec, *c, "connect");
            candidate_.reset();
            c->ended = true;
            if (c->rotation && active_) return rotation_failed(c->generation, ec);
            return schedule_retry(ec);
        }
        c->open = true;
        c->up_time = clock::now();
        ++connections_;
        if (!c->rotation || !active_) {
            // Nothing else serves the stream: this one is active at once.
            candidate_.reset();
            active_ = c;
        }
        describe({}, *c, nullptr);
        emit(connection_event_kind::up, c->generation, 0, {}, 0, {});
        if (!alive(c)) return;
        start_read(c);
        if (candidate_ == c && options_.subscribe_timeout.count() > 0) {
            c->timer.expires_after(options_.subscribe_timeout);
            c->timer.async_wait([self = this->shared_from_this(), c](std::error_code wec) {
                if (wec || !self->alive(c) || c->subscribed || self->candidate_ != c) return;
                self->candidate_failed(c, reconnect_error::subscribe_timeout);
            });
        }
        subscribe_status status = subscribe_status::done;
        if constexpr (detail::client_has_on_subscribe<Handler, basic_reconnecting_client>) {
            using result = decltype(handler_.on_subscribe(*this, c->generation));
            if constexpr (std::is_void_v<result>) {
                handler_.on_subscribe(*this, c->generation);
            } else {
                status = handler_.on_subscribe(*this, c->generation);
            }
            if (!alive(c)) return;
        }
        if (status == subscribe_status::done && !c->subscribed) mark_subscribed(c);
    }

    void mark_subscribed(const connection_ptr& c) {
        c->subscribed = true;
        if (candidate_ == c && active_ && c->rotation) {
            // Rotation: switch, then retire the old connection.
            c->timer.cancel();
            connection_ptr old = std::move(active_);
            active_ = c;
            candidate_.reset();
            rotation_backoff_reset();
            describe({}, *c, nullptr);
            emit(connection_event_kind::rotation_done, c->generation, old->generation, {}, 0, {});
            // The old connection still delivers what it had received or still receives
            // until the close handshake ends: those messages may exist nowhere else.
            if (old->open && !old->closing) {
                retiring_.push_back(old);
                start_close(old, ws::close_code::normal);
            } else {
                cut(*old);
            }
            if (finished_ || closing_) return;
        }
        if (active_ == c) arm_rotation();
    }

    void arm_rotation() {
        if (options_.rotation_interval.count() <= 0 || finished_ || closing_) return;
        rotation_timer_.expires_after(options_.rotation_interval);
        rotation_timer_.async_wait([self = this->shared_from_this()](std::error_code ec) {
            if (ec || self->finished_ || self->closing_) return;
            self->start_rotation();
        });
    }

    void start_rotation() {
        if (candidate_ || !active_ || !active_->open) return;
        const std::uint64_t previous = active_->generation;
        start_attempt(true);
        if (!candidate_) return;
        describe({}, *candidate_, nullptr);
        emit(connection_event_kind::rotation_started, candidate_->generation, previous, {}, 0, {});
    }

    void candidate_failed(const connection_ptr& c, std::error_code ec) {
        describe(ec, *c, "rotation");
        candidate_.reset();
        cut(*c);
        rotation_failed(c->generation, ec);
    }

    void rotation_failed(std::uint64_t generation, std::error_code ec) {
        emit(connection_event_kind::rotation_failed, generation, active_ ? active_->generation : 0, ec, 0, {});
        if (finished_ || closing_ || !active_) return;
        // Retry the rotation after the backoff's first delay; the active one keeps serving.
        rotation_timer_.expires_after(rotation_retry_delay());
        rotation_timer_.async_wait([self = this->shared_from_this()](std::error_code wec) {
            if (wec || self->finished_ || self->closing_) return;
            self->start_rotation();
        });
    }

    clock::duration rotation_retry_delay() {
        ++rotation_failures_;
        clock::duration d = options_.backoff.initial;
        for (std::uint32_t i = 1; i < rotation_failures_ && d < options_.backoff.cap; ++i) d *= 2;
        return d < options_.backoff.cap ? d : options_.backoff.cap;
    }
    void rotation_backoff_reset() noexcept { rotation_failures_ = 0; }

    void schedule_retry(std::error_code ec) {
        if (finished_ || closing_) return;
        const std::optional<clock::duration> delay = backoff_.next_delay();
        if (!delay) return finish(ec);
        emit(connection_event_kind::reconnecting, generation_ + 1, 0, ec, backoff_.attempts(), *delay);
        if (finished_ || closing_) return;
        retry_timer_.expires_after(*delay);
        retry_timer_.async_wait([self = this->shared_from_this()](std::error_code wec) {
            if (wec || self->finished_ || self->closing_) return;
            self->start_attempt(false);
        });
    }

    // ----- Reading and writing -------------------------------------------------------------

    void start_read(const connection_ptr& c) {
        c->reading = true;
        c->ws->async_read([self = this->shared_from_this(), c](std::error_code ec, ws_message msg) {
            c->reading = false;
            self->on_read(c, ec, msg);
        });
    }

    void on_read(const connection_ptr& c, std::error_code ec, const ws_message& msg) {
        if (ec) return connection_ended(c, ec);
        if constexpr (detail::client_has_on_message<Handler, basic_reconnecting_client>) {
            if (alive(c) || retiring(c)) handler_.on_message(*this, msg, c->generation);
        }
        // A connection whose close was started is read until it ends even when it serves
        // no one any more (cancel() cut it): the stream's close operation waits for this
        // read to see the end, and it holds the connection, so without the read both
        // would stay parked in each other forever.
        if (alive(c) || retiring(c) || c->closing) start_read(c);
    }

    void pump(const connection_ptr& c) {
        if (c->writing || c->queued == 0 || !c->open || c->closing) return;
        c->writing = true;
        const out_message& m = c->queue[c->head];
        c->ws->async_write(m.op, as_bytes(std::string_view(m.bytes)),
                           [self = this->shared_from_this(), c](std::error_code ec) {
                               c->writing = false;
                               c->head = (c->head + 1) % c->queue.size();
                               --c->queued;
                               if (ec) return;  // the read reports the failure
                               self->pump(c);
                           });
    }

    void start_close(const connection_ptr& c, ws::close_code code) {
        c->closing = true;
        // "" rather than {}: ws_stream copies the reason with memcpy, which must not get a null pointer.
        c->ws->async_close(code, std::string_view(""), [self = this->shared_from_this(), c](std::error_code) {
            // The pending read ends the connection; cut in case it is stuck.
            self->cut(*c);
        });
    }

    // ----- Ending --------------------------------------------------------------------------

    void connection_ended(const connection_ptr& c, std::error_code ec) {
        if (c->drop_reason) ec = c->drop_reason;
        const bool was_open = c->open;
        c->open = false;
        c->ended = true;
        c->timer.cancel();
        for (std::size_t i = 0; i < retiring_.size(); ++i) {
            if (retiring_[i] == c) {
                retiring_.erase(retiring_.begin() + static_cast<std::ptrdiff_t>(i));
                break;
            }
        }
        if (finished_) return;
        if (closing_) return maybe_closed();
        if (candidate_ == c) {
            candidate_.reset();
            if (active_) {  // a rotation candidate died: the active connection keeps serving
                describe(ec, *c, "rotation");
                return rotation_failed(c->generation, ec);
            }
        }
        if (active_ != c) return;  // a retired connection finished closing
        active_.reset();
        describe(ec, *c, was_open ? nullptr : "connect");
        if (was_open && clock::now() - c->up_time >= backoff_.healthy_after()) backoff_.reset();
        emit(connection_event_kind::down, c->generation, 0, ec, 0, {});
        if (finished_ || closing_) return maybe_closed();
        if (candidate_) {
            // A rotation is under way: its connection takes over as soon as it is up.
            candidate_->rotation = false;
            if (candidate_->open) {
                active_ = std::move(candidate_);
                candidate_.reset();
                if (active_->subscribed) arm_rotation();
            }
            return;
        }
        rotation_timer_.cancel();
        schedule_retry(ec);
    }

    void maybe_closed() {
        if (finished_) return;
        const auto gone = [](const connection_ptr& c) { return !c || c->ended; };
        if (gone(active_) && gone(candidate_) && retiring_.empty()) finish({});
    }

    bool retiring(const connection_ptr& c) const noexcept {
        if (finished_ || c->ended) return false;
        for (const auto& r : retiring_) {
            if (r == c) return true;
        }
        return false;
    }

    bool alive(const connection_ptr& c) const noexcept {
        return !finished_ && !c->ended && (active_ == c || candidate_ == c);
    }

    void cut(connection& c) {
        if (c.ws) detail::close_lowest_layer(c.ws->next_layer());
    }

    // ----- Events --------------------------------------------------------------------------

    // Fills text_ for the next event: the error's message and what the stream knows.
    void describe(std::error_code ec, connection& c, const char* phase) {
        text_.clear();
        if (!ec) return;
        if (phase != nullptr) {
            text_ += phase;
            text_ += ": ";
        }
        text_ += ec.message();
        if (c.ws) {
            const ws::client_handshake* hs = c.ws->handshake();
            if (hs != nullptr && hs->result().status != 0 && hs->result().status != 101) {
                text_ += " (HTTP ";
                text_ += std::to_string(hs->result().status);
                text_ += ")";
            }
            if (c.ws->close_received()) {
                const ws::close_reason r = c.ws->close_reason();
                text_ += " (close ";
                text_ += std::to_string(static_cast<unsigned>(r.code));
                if (!r.reason.empty()) {
                    text_ += " ";
                    text_.append(r.reason.data(), r.reason.size());
                }
                text_ += ")";
            }
        }
    }

    void emit(connection_event_kind kind, std::uint64_t generation, std::uint64_t previous, std::error_code ec,
              std::uint32_t attempt, clock::duration delay) {
        if (finished_) return;
        if constexpr (detail::client_has_on_event<Handler, basic_reconnecting_client>) {
            connection_event e;
            e.kind = kind;
            e.generation = generation;
            e.previous = previous;
            e.error = ec;
            e.text = text_;
            e.attempt = attempt;
            e.delay = delay;
            handler_.on_event(*this, e);
        }
    }

    executor_type ex_;
    tls_context* tls_;
    reconnect_options options_;
    std::vector<http_field> fields_;
    ws::client_request request_{};
    Handler handler_;
    Backoff backoff_;
    asio::steady_timer retry_timer_;
    asio::steady_timer rotation_timer_;
    asio::steady_timer final_timer_;
    connection_ptr active_;
    connection_ptr candidate_;  // connecting: the first, a reconnect, or a rotation
    std::vector<connection_ptr> retiring_;  // replaced by a rotation, closing
    std::uint64_t generation_ = 0;
    std::uint64_t connections_ = 0;
    std::uint32_t rotation_failures_ = 0;
    std::error_code setup_error_{};
    std::error_code final_error_{};
    std::string text_;
    bool running_ = false;
    bool finished_ = false;
    bool closing_ = false;
};

// Owns a reconnecting client; destroying it cancels the client. Reach the client's
// functions through -> (the hooks get the same object by reference).
template <reconnect_handler Handler, reconnect_transport NextLayer = tcp_socket, backoff_policy Backoff = exponential_backoff>
class reconnecting_client {
public:
    using client_type = basic_reconnecting_client<Handler, NextLayer, Backoff>;

    // ws:// endpoints. `ctx` is an io_context or an executor.
    template <class ExecutionContext>
        requires(!client_type::is_tls)
    reconnecting_client(ExecutionContext&& ctx, reconnect_options options, Handler handler = Handler())
        : impl_(std::make_shared<client_type>(executor_of(ctx), nullptr, options, std::move(handler),
                                              Backoff(options.backoff))) {}

    // wss:// endpoints: `tls` (make_tls_client_context) must outlive the client.
    template <class ExecutionContext>
        requires(client_type::is_tls)
    reconnecting_client(ExecutionContext&& ctx, tls_context& tls, reconnect_options options, Handler handler = Handler())
        : impl_(std::make_shared<client_type>(executor_of(ctx), &tls, options, std::move(handler),
                                              Backoff(options.backoff))) {}

    reconnecting_client(reconnecting_client&&) noexcept = default;
    reconnecting_client& operator=(reconnecting_client&& other) noexcept {
        if (this != &other) {
            if (impl_) impl_->cancel();
            impl_ = std::move(other.impl_);
        }
        return *this;
    }
    reconnecting_client(const reconnecting_client&) = delete;
    reconnecting_client& operator=(const reconnecting_client&) = delete;
    ~reconnecting_client() {
        if (impl_) impl_->cancel();
    }

    client_type* operator->() const noexcept { return impl_.get(); }
    client_type& operator*() const noexcept { return *impl_; }
    client_type& get() const noexcept { return *impl_; }

private:
    template <class T>
    static asio::any_io_executor executor_of(T& ctx) {
        if constexpr (requires { ctx.get_executor(); }) {
            return asio::any_io_executor(ctx.get_executor());
        } else {
            return asio::any_io_executor(ctx);
        }
    }

    std::shared_ptr<client_type> impl_;
};

}  // namespace tradewire::net
