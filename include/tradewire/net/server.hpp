// A WebSocket server on net::ws_stream's server-role machinery: an acceptor on one
// address and port, the opening handshake (optionally behind a bearer token),
// per-session reads and queued writes, topic broadcast of pooled frames that are encoded
// once and shared by every subscriber (several queued frames leave in one system call),
// per-session limits, and graceful shutdown.
//
//   struct echo {
//       template <class Server>
//       void on_message(Server& s, net::session_id id, const net::ws_message& m) {
//           s.send(id, m.op, m.payload);
//       }
//   };
//   net::ws_server<echo> server(io.get_executor(), options);    // ws://
//   if (auto ec = server->listen()) ...;                        // server->port(): the bound port
//   ...
//   server->async_shutdown(std::chrono::seconds(5), [](std::error_code) {});
//
// TLS: net::ws_server<H, net::tls_stream<net::tcp_socket>> takes a tls_context (made with
// make_tls_server_context) in its constructor; include <tradewire/net/tls.hpp> (or
// <tradewire/net.hpp>) first. This header itself needs no TLS headers.
//
// Handler hooks are optional member functions, detected with `requires`:
//   on_open(Server&, session_id)                          the upgrade succeeded
//   on_message(Server&, session_id, const ws_message&)    a message arrived (views valid in the call)
//   on_close(Server&, session_id, const session_close_info&)  the session ended (once per on_open)
//   on_upgrade(const ws::server_handshake&) -> ws_accept_decision   extra check (path, origin, ...)
// and `using session_state = T;` gives every session a T, reset for each connection,
// reached with server.state(id).
//
// Sending: send(id, frame) queues a shared_frame; send_text / send(id, op, bytes) copy
// the bytes into a pooled frame first. broadcast(frame) and broadcast(topic, frame)
// queue the same frame to many sessions (one reference each, no copy). Each session's
// queue is bounded (send_queue_limit frames, send_queue_max_bytes bytes): a session whose
// queue overflows is too slow for the stream, its queue is dropped and it is closed with
// slow_close_code ("too slow"); if even the Close cannot be written in slow_close_timeout
// the transport is cut. Memory per session therefore never grows without bound.
//
// Limits: max message size (stream.max_message_size, close 1009), messages per second
// per session (token bucket; over the limit: close 1008 "rate limit exceeded"), number
// of sessions (more connections are accepted and closed at once).
//
// Threading: the server, its sessions and its frames belong to one thread (or strand):
// call its functions from its executor (from the hooks, or through asio::post). Hooks
// run on that executor. No thread is started. The ws_server handle may be destroyed at
// any time: that cuts every connection; pending operations keep the internal state
// alive until they complete, so nothing is used after it is freed.
//
// Steady state: sending, broadcasting, reading and writing allocate nothing once the
// session slots, frame pool blocks and stream buffers exist (tests/net prove it).
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/error.hpp>
#include <tradewire/net/detail/server_limits.hpp>
#include <tradewire/net/detail/server_stream.hpp>
#include <tradewire/net/detail/transport.hpp>
#include <tradewire/net/error.hpp>
#include <tradewire/net/frame_pool.hpp>
#include <tradewire/net/tcp.hpp>
#include <tradewire/net/ws_options.hpp>
#include <tradewire/ws/close.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/handshake.hpp>
#include <tradewire/ws/opcode.hpp>
#include <tradewire/ws/role.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/compose.hpp>
#include <asio/ip/address.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace asio::ssl {
class context;
}  // namespace asio::ssl

namespace tradewire::net {

// ---------------------------------------------------------------------------------------
// Errors of the server's own API (category "tradewire.net.server").
// ---------------------------------------------------------------------------------------

enum class server_error {
    no_such_session = 1,  // the id is unknown, or its session has ended
    session_closing,      // the session is closing: nothing more is sent to it
    send_queue_full,      // the session's send queue overflowed: it is being closed as too slow
    out_of_memory,        // no pooled frame could be allocated
    shutting_down,        // the server is stopping (listen, or a second shutdown)
    bad_bind_address,     // bind_address is not an IP literal or "localhost"
    shutdown_timeout,     // shutdown: some sessions did not finish their close in time and were cut
};

namespace detail {
struct server_error_traits {
    static constexpr const char* name = "tradewire.net.server";
    static const char* message(server_error e) noexcept {
        switch (e) {
            case server_error::no_such_session: return "no such WebSocket session";
            case server_error::session_closing: return "WebSocket session is closing";
            case server_error::send_queue_full: return "send queue full: session closed as too slow";
            case server_error::out_of_memory: return "no frame buffer could be allocated";
            case server_error::shutting_down: return "server is shutting down";
            case server_error::bad_bind_address: return "bind address is not an IP address";
            case server_error::shutdown_timeout: return "sessions still open at the shutdown deadline were cut";
        }
        return "unknown tradewire.net.server error";
    }
};
}  // namespace detail

inline std::error_code make_error_code(server_error e) noexcept {
    return {static_cast<int>(e), tradewire::detail::enum_category<server_error, detail::server_error_traits>()};
}

}  // namespace tradewire::net

template <>
struct std::is_error_code_enum<tradewire::net::server_error> : std::true_type {};

namespace tradewire::net {

// ---------------------------------------------------------------------------------------
// Options and value types
// ---------------------------------------------------------------------------------------

// A session: slot index (low 32 bits) and the slot's generation (high 32 bits), so an
// id of an ended session never reaches a later session in the same slot. 0 is no session.
using session_id = std::uint64_t;
// A broadcast topic, from server.topic("name").
using topic_id = std::uint32_t;

struct ws_server_options {
    std::string bind_address = "127.0.0.1";  // IP literal, or "localhost"
    std::uint16_t port = 0;                  // 0: the kernel picks one (see port())
    int backlog = 1024;
    bool reuse_address = true;

    // Every session's stream: max_message_size (close 1009 above it), handshake and close
    // deadlines, liveness, HTTP limits. The handshake deadline also covers TLS.
    ws_stream_options stream{};

    std::size_t max_sessions = 4096;          // more connections are closed at once
    std::size_t send_queue_limit = 1024;      // frames queued per session
    std::size_t send_queue_max_bytes = std::size_t{64} << 20;  // bytes queued per session (one frame always fits)
    // Queued frames written with one system call (gathered; over TLS copied into one
    // record of at most tls_write_batch_bytes). 1 writes frame by frame; at most 64.
    std::size_t max_write_batch = 64;
    std::size_t tls_write_batch_bytes = 16 * 1024;
    ws::close_code slow_close_code = ws::close_code::policy_violation;  // or try_again_later (1013)
    std::chrono::steady_clock::duration slow_close_timeout = std::chrono::seconds(2);

    // Non-empty: the upgrade needs "Authorization: Bearer <token>", else 401.
    std::string bearer_token;

    // Messages per second a session may send (token bucket); 0 disables. Burst defaults
    // to one second's worth.
    double rate_limit = 0.0;
    double rate_burst = 0.0;

    frame_pool_options frames{};
};

// How a session ended, for on_close.
struct session_close_info {
    std::error_code error;                            // net::error::closed after a close handshake
    ws::close_code peer_code = ws::close_code::abnormal;  // the peer's Close code (1006: none)
    std::string_view peer_reason;                     // valid during the hook
};

struct ws_server_stats {
    std::uint64_t accepted = 0;            // TCP connections accepted
    std::uint64_t opened = 0;              // upgrades completed (on_open calls)
    std::uint64_t rejected = 0;            // handshakes refused or failed (401, 400, TLS, timeout)
    std::uint64_t refused_full = 0;        // connections closed because max_sessions were open
    std::uint64_t slow_disconnects = 0;    // sessions closed because their queue overflowed
    std::uint64_t rate_limited = 0;        // sessions closed for sending too fast
};

// ---------------------------------------------------------------------------------------
// Handler detection
// ---------------------------------------------------------------------------------------

namespace detail {

struct no_session_state {};

template <class H>
struct session_state_of {
    using type = no_session_state;
};
template <class H>
    requires requires { typename H::session_state; }
struct session_state_of<H> {
    using type = typename H::session_state;
};

template <class H, class S>
concept server_has_on_open = requires(H& h, S& s, session_id id) { h.on_open(s, id); };
template <class H, class S>
concept server_has_on_message = requires(H& h, S& s, session_id id, const ws_message& m) { h.on_message(s, id, m); };
template <class H, class S>
concept server_has_on_close = requires(H& h, S& s, session_id id, const session_close_info& i) {
    h.on_close(s, id, i);
};
template <class H>
concept server_has_on_upgrade = requires(H& h, const ws::server_handshake& hs) {
    { h.on_upgrade(hs) } -> std::convertible_to<ws_accept_decision>;
};

}  // namespace detail

// A server handler: any movable class; its hooks are all optional (see the top).
template <class H>
concept ws_server_handler = std::move_constructible<H> && std::is_class_v<H>;

namespace detail {

template <class T>
inline constexpr bool is_tcp_stream_socket_v = false;
template <class Executor>
inline constexpr bool is_tcp_stream_socket_v<asio::basic_stream_socket<asio::ip::tcp, Executor>> = true;

// The TCP socket under a server transport (the transport itself, or the TLS stream's).
template <class T>
struct server_socket_of {
    using type = T;
};
template <class T>
    requires is_ssl_stream_v<T>
struct server_socket_of<T> {
    using type = typename T::next_layer_type;
};

}  // namespace detail

// The transports a server runs on: a TCP socket (net::tcp_socket, or net::io_tcp_socket
// for an io_context without the type-erased executor), or a TLS stream over one.
template <class T>
concept ws_server_transport =
    detail::is_tcp_stream_socket_v<T> ||
    (detail::is_ssl_stream_v<T> && detail::is_tcp_stream_socket_v<typename detail::server_socket_of<T>::type>);

struct empty_server_handler {};

// ---------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------

template <ws_server_handler Handler, ws_server_transport NextLayer = tcp_socket>
class basic_ws_server : public std::enable_shared_from_this<basic_ws_server<Handler, NextLayer>> {
public:
    using handler_type = Handler;
    using next_layer_type = NextLayer;
    using stream_type = detail::server_stream<NextLayer>;
    using executor_type = asio::any_io_executor;
    using socket_type = typename detail::server_socket_of<NextLayer>::type;
    // The executor the acceptor and the accepted sockets are bound to.
    using socket_executor_type = typename socket_type::executor_type;
    using session_state = typename detail::session_state_of<Handler>::type;
    using clock = std::chrono::steady_clock;
    static constexpr bool is_tls = detail::is_ssl_stream_v<NextLayer>;

    // Use ws_server<...> (below), which owns one of these.
    basic_ws_server(const socket_executor_type& ex, asio::ssl::context* tls, const ws_server_options& options,
                    Handler handler)
        : ex_(ex),
          tls_(tls),
          options_(options),
          handler_(std::move(handler)),
          acceptor_(ex),
          drain_timer_(ex),
          pool_(options.frames) {
        if (options_.send_queue_limit == 0) options_.send_queue_limit = 1;
        if (options_.max_sessions == 0) options_.max_sessions = 1;
        options_.max_write_batch = std::clamp<std::size_t>(options_.max_write_batch, 1, max_batch);
        if (options_.rate_burst <= 0.0) options_.rate_burst = options_.rate_limit;
    }

    basic_ws_server(const basic_ws_server&) = delete;
    basic_ws_server& operator=(const basic_ws_server&) = delete;

    // ----- Listening ---------------------------------------------------------------------

    // Binds, listens and starts accepting. The bound port is port() (useful with port 0).
    std::error_code listen() {
        if (stopping_) return server_error::shutting_down;
        std::error_code ec;
        // Both branches must be views: a std::string result would be a temporary that dies here.
        const std::string_view host = options_.bind_address == "localhost" ? std::string_view("127.0.0.1")
                                                                          : std::string_view(options_.bind_address);
        const asio::ip::address address = asio::ip::make_address(host, ec);
        if (ec) return server_error::bad_bind_address;
        const asio::ip::tcp::endpoint endpoint(address, options_.port);
        acceptor_.open(endpoint.protocol(), ec);
        if (!ec && options_.reuse_address) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor_.bind(endpoint, ec);
        if (!ec) acceptor_.listen(options_.backlog, ec);
        if (ec) {
            std::error_code ignored;
            acceptor_.close(ignored);
            return ec;
        }
        do_accept();
        return {};
    }

    [[nodiscard]] asio::ip::tcp::endpoint local_endpoint() const {
        std::error_code ec;
        return acceptor_.local_endpoint(ec);
    }
    [[nodiscard]] std::uint16_t port() const { return local_endpoint().port(); }
    [[nodiscard]] bool listening() const noexcept { return acceptor_.is_open(); }

    executor_type get_executor() const noexcept { return ex_; }
    [[nodiscard]] const ws_server_options& options() const noexcept { return options_; }
    Handler& handler() noexcept { return handler_; }
    frame_pool& frames() noexcept { return pool_; }
    [[nodiscard]] const ws_server_stats& stats() const noexcept { return stats_; }

    // ----- Sessions ----------------------------------------------------------------------

    // Sessions whose upgrade completed and that have not ended.
    [[nodiscard]] std::size_t session_count() const noexcept { return open_count_; }

    [[nodiscard]] bool is_open(session_id id) const noexcept {
        const session* s = find(id);
        return s != nullptr && s->phase == session_phase::open && !s->close_wanted;
    }

    // The upgrade request of a session (path, query, fields); valid while the session
    // exists (also during on_close). nullptr for an unknown id.
    [[nodiscard]] const ws::server_handshake* handshake(session_id id) const noexcept {
        const session* s = find(id);
        return s != nullptr && s->ws ? &s->ws->handshake() : nullptr;
    }

    [[nodiscard]] asio::ip::tcp::endpoint remote_endpoint(session_id id) const noexcept {
        const session* s = find(id);
        return s != nullptr ? s->remote : asio::ip::tcp::endpoint{};
    }

    // The handler's per-session state (Handler::session_state); nullptr for an unknown id.
    [[nodiscard]] session_state* state(session_id id) noexcept {
        session* s = find(id);
        return s != nullptr ? &s->user : nullptr;
    }

    // Frames waiting in a session's queue (the one being written included).
    [[nodiscard]] std::size_t queued(session_id id) const noexcept {
        const session* s = find(id);
        return s != nullptr ? s->queue.size() : 0;
    }

    // ----- Sending -----------------------------------------------------------------------

    // Queues `frame` for one session. Errors: no_such_session, session_closing,
    // send_queue_full (the session is now being closed as too slow).
    std::error_code send(session_id id, const shared_frame& frame) {
        session* s = find(id);
        if (s == nullptr || s->phase == session_phase::done) return server_error::no_such_session;
        return enqueue(*s, frame);
    }

    // Copies `payload` into a pooled frame and queues it.
    std::error_code send(session_id id, ws::opcode op, const_bytes payload) {
        session* s = find(id);
        if (s == nullptr || s->phase == session_phase::done) return server_error::no_such_session;
        if (s->phase != session_phase::open || s->close_wanted) return server_error::session_closing;
        shared_frame f = pool_.make(op, payload);
        if (!f) return server_error::out_of_memory;
        return enqueue(*s, f);
    }
    std::error_code send_text(session_id id, std::string_view text) { return send(id, ws::opcode::text, as_bytes(text)); }
    std::error_code send_binary(session_id id, const_bytes data) { return send(id, ws::opcode::binary, data); }

    // Queues `frame` to every open session; returns how many took it.
    std::size_t broadcast(const shared_frame& frame) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            session& s = *slots_[i];
            if (s.phase == session_phase::open && !s.close_wanted && !enqueue(s, frame)) ++n;
        }
        return n;
    }

    // Queues `frame` to every open subscriber of `topic`; returns how many took it.
    std::size_t broadcast(topic_id topic, const shared_frame& frame) {
        if (topic >= topics_.size()) return 0;
        std::size_t n = 0;
        // Members leave a topic only when their session ends (never inside this loop).
        for (const std::uint32_t index : topics_[topic].members) {
            session& s = *slots_[index];
            if (s.phase == session_phase::open && !s.close_wanted && !enqueue(s, frame)) ++n;
        }
        return n;
    }

    // ----- Topics ------------------------------------------------------------------------

    // The id of a topic by name, registering it on first use (allocates once per topic).
    topic_id topic(std::string_view name) {
        for (std::size_t i = 0; i < topics_.size(); ++i) {
            if (topics_[i].name == name) return static_cast<topic_id>(i);
        }
        topics_.push_back(topic_entry{std::string(name), {}});
        return static_cast<topic_id>(topics_.size() - 1);
    }
    [[nodiscard]] std::string_view topic_name(topic_id t) const noexcept {
        return t < topics_.size() ? std::string_view(topics_[t].name) : std::string_view{};
    }

    // False when the session is unknown or already subscribed (or the topic unknown).
    bool subscribe(session_id id, topic_id t) {
        session* s = find(id);
        if (s == nullptr || s->phase == session_phase::done || t >= topics_.size()) return false;
        if (std::find(s->topics.begin(), s->topics.end(), t) != s->topics.end()) return false;
        s->topics.push_back(t);
        topics_[t].members.push_back(s->index);
        return true;
    }

    bool unsubscribe(session_id id, topic_id t) {
        session* s = find(id);
        if (s == nullptr || t >= topics_.size()) return false;
        const auto it = std::find(s->topics.begin(), s->topics.end(), t);
        if (it == s->topics.end()) return false;
        *it = s->topics.back();
        s->topics.pop_back();
        remove_member(t, s->index);
        return true;
    }

    [[nodiscard]] std::size_t subscriber_count(topic_id t) const noexcept {
        return t < topics_.size() ? topics_[t].members.size() : 0;
    }

    // ----- Closing -----------------------------------------------------------------------

    // Starts the close handshake with one session (after the frames already queued).
    // `reason` is copied (at most 123 bytes of UTF-8; longer is cut).
    void close(session_id id, ws::close_code code = ws::close_code::normal, std::string_view reason = {}) {
        session* s = find(id);
        if (s != nullptr) request_close(*s, code, reason, false);
    }

    // Drops one session's connection now, without a close handshake (the peer sees the
    // transport end: a fault to inject in tests and simulators).
    void abort(session_id id) {
        session* s = find(id);
        if (s != nullptr) cut(*s);
    }

    // Stops accepting, closes every session with 1001 "server shutting down", waits for
    // the close handshakes until `timeout`, then cuts what is left. Completion:
    // void(std::error_code): success when every session closed in time, otherwise
    // server_error::shutdown_timeout. Every on_close has run when it completes.
    template <class Token>
    auto async_shutdown(clock::duration timeout, Token&& token) {
        return asio::async_compose<Token, void(std::error_code)>(shutdown_op{this->shared_from_this(), timeout}, token,
                                                                 drain_timer_);
    }

    // Stops accepting and cuts every connection now, without close handshakes.
    void stop() {
        stopping_ = true;
        std::error_code ignored;
        acceptor_.close(ignored);
        for (auto& slot : slots_) {
            if (slot->phase != session_phase::idle) cut(*slot);
        }
    }

private:
    enum class session_phase : std::uint8_t { idle, handshaking, open, done };
    static constexpr std::size_t max_batch = 64;

    struct session {
        session(const executor_type& ex, std::uint32_t i, std::size_t queue_limit, std::size_t linear_size)
            : index(i), queue(queue_limit), timer(ex) {
            if (linear_size != 0) {
                linear.reset(new std::uint8_t[linear_size]);
                linear_capacity = linear_size;
            }
        }

        std::uint32_t index;
        std::uint32_t generation = 0;
        session_phase phase = session_phase::idle;
        std::optional<stream_type> ws;
        asio::ip::tcp::endpoint remote{};
        detail::frame_queue queue;
        std::size_t queued_bytes = 0;
        bool writing = false;        // a data write is in flight
        std::size_t in_flight = 0;   // frames at the front of the queue being written
        std::array<asio::const_buffer, max_batch> gather{};
        std::unique_ptr<std::uint8_t[]> linear;  // TLS: the batch as one record
        std::size_t linear_capacity = 0;
        bool close_wanted = false;   // close after the write in flight
        bool close_started = false;  // async_close issued
        ws::close_code close_code = ws::close_code::normal;
        std::array<char, ws::max_close_reason_size> close_reason{};
        std::size_t close_reason_size = 0;
        std::uint32_t pending = 0;   // our operations on the stream still outstanding
        asio::steady_timer timer;    // TLS handshake deadline, then the slow-close deadline
        detail::token_bucket bucket{};
        std::vector<topic_id> topics;
        session_state user{};

        [[nodiscard]] session_id id() const noexcept { return (std::uint64_t{generation} << 32) | index; }
    };

    struct topic_entry {
        std::string name;
        std::vector<std::uint32_t> members;  // slot indices
    };

    session* find(session_id id) noexcept {
        const auto index = static_cast<std::uint32_t>(id & 0xffffffffu);
        const auto generation = static_cast<std::uint32_t>(id >> 32);
        if (index >= slots_.size()) return nullptr;
        session* s = slots_[index].get();
        if (s->generation != generation || s->phase == session_phase::idle) return nullptr;
        return s;
    }
    const session* find(session_id id) const noexcept { return const_cast<basic_ws_server*>(this)->find(id); }

    // ----- Accepting ---------------------------------------------------------------------

    void do_accept() {
        acceptor_.async_accept([self = this->shared_from_this()](std::error_code ec, socket_type sock) {
            self->on_accept(ec, std::move(sock));
        });
    }

    void on_accept(std::error_code ec, socket_type sock) {
        if (stopping_ || !acceptor_.is_open()) return;
        if (ec) {
            // Out of descriptors and similar: keep listening (the error is the client's loss).
            do_accept();
            return;
        }
        ++stats_.accepted;
        session* s = take_slot();
        if (s == nullptr) {
            ++stats_.refused_full;
            std::error_code ignored;
            sock.close(ignored);
            do_accept();
            return;
        }
        std::error_code ignored;
        sock.set_option(asio::ip::tcp::no_delay(true), ignored);
        s->remote = sock.remote_endpoint(ignored);
        if constexpr (is_tls) {
            s->ws.emplace(std::move(sock), *tls_);
        } else {
            s->ws.emplace(std::move(sock));
        }
        s->ws->set_options(options_.stream);
        start_handshake(*s);
        do_accept();
    }

    session* take_slot() {
        session* s = nullptr;
        if (!free_.empty()) {
            s = slots_[free_.back()].get();
            free_.pop_back();
        } else if (slots_.size() < options_.max_sessions) {
            slots_.push_back(std::make_unique<session>(ex_, static_cast<std::uint32_t>(slots_.size()),
                                                       options_.send_queue_limit,
                                                       is_tls && options_.max_write_batch > 1
                                                           ? std::max<std::size_t>(options_.tls_write_batch_bytes, 256)
                                                           : 0));
            s = slots_.back().get();
            s->topics.reserve(4);
        } else {
            return nullptr;
        }
        ++s->generation;
        if (s->generation == 0) s->generation = 1;
        s->phase = session_phase::handshaking;
        s->writing = s->close_wanted = s->close_started = false;
        s->in_flight = 0;
        s->queued_bytes = 0;
        s->pending = 0;
        s->user = session_state{};
        ++live_;
        return s;
    }

    // The accept check: bearer token, then the handler's own.
    struct accept_check {
        basic_ws_server* server;
        ws_accept_decision operator()(const ws::server_handshake& hs) const {
            const std::string& token = server->options_.bearer_token;
            if (!token.empty()) {
                // RFC 6750 section 3: a 401 names the scheme in WWW-Authenticate, with
                // error="invalid_token" when a token was presented but is not the right one.
                static constexpr http_field missing[] = {{"WWW-Authenticate", "Bearer"}};
                static constexpr http_field invalid[] = {{"WWW-Authenticate", "Bearer error=\"invalid_token\""}};
                const std::string_view presented = detail::bearer_token_of(hs.field("authorization"));
                if (presented.empty()) return ws_accept_decision::reject(401, "missing bearer token\n", missing);
                if (!detail::constant_time_equal(presented, token)) {
                    return ws_accept_decision::reject(401, "invalid bearer token\n", invalid);
                }
            }
            if constexpr (detail::server_has_on_upgrade<Handler>) {
                return server->handler_.on_upgrade(hs);
            } else {
                return ws_accept_decision::allow();
            }
        }
    };

    void start_handshake(session& s) {
        if constexpr (is_tls) {
            const auto limit = options_.stream.handshake_timeout;
            if (limit.count() > 0) arm_cut_timer(s, limit);
            ++s.pending;
            s.ws->next_layer().async_handshake(NextLayer::server,
                                               [self = this->shared_from_this(), &s](std::error_code ec) {
                                                   --s.pending;
                                                   s.timer.cancel();
                                                   if (ec || s.phase != session_phase::handshaking) {
                                                       return self->handshake_failed(s, ec);
                                                   }
                                                   self->start_ws_accept(s);
                                               });
        } else {
            start_ws_accept(s);
        }
    }

    void start_ws_accept(session& s) {
        ++s.pending;
        s.ws->async_accept(accept_check{this}, [self = this->shared_from_this(), &s](std::error_code ec) {
            --s.pending;
            if (ec || s.phase != session_phase::handshaking) return self->handshake_failed(s, ec);
            self->opened(s);
        });
    }

    void handshake_failed(session& s, std::error_code) {
        ++stats_.rejected;
        if (s.phase == session_phase::handshaking) s.phase = session_phase::done;
        cut(s);
        maybe_recycle(s);
    }

    void opened(session& s) {
        s.phase = session_phase::open;
        ++open_count_;
        ++stats_.opened;
        if (options_.rate_limit > 0.0) {
            s.bucket = detail::token_bucket(options_.rate_limit, options_.rate_burst);
            s.bucket.start(clock::now());
        } else {
            s.bucket = detail::token_bucket();
        }
        const session_id id = s.id();
        if constexpr (detail::server_has_on_open<Handler, basic_ws_server>) {
            handler_.on_open(*this, id);
        }
        do_read(s);  // also when the hook closed or cut the session: the read sees the end
        pump(s);
    }

    // ----- Reading -----------------------------------------------------------------------

    void do_read(session& s) {
        ++s.pending;
        s.ws->async_read([self = this->shared_from_this(), &s](std::error_code ec, ws_message msg) {
            --s.pending;
            self->on_read(s, ec, msg);
        });
    }

    void on_read(session& s, std::error_code ec, const ws_message& msg) {
        if (ec) {
            end_session(s, ec);
            return maybe_recycle(s);
        }
        if (s.phase != session_phase::open) return maybe_recycle(s);
        if (!s.close_wanted) {
            if (s.bucket.enabled() && !s.bucket.take(clock::now())) {
                ++stats_.rate_limited;
                request_close(s, ws::close_code::policy_violation, "rate limit exceeded", true);
            } else if constexpr (detail::server_has_on_message<Handler, basic_ws_server>) {
                const std::uint32_t generation = s.generation;
                handler_.on_message(*this, s.id(), msg);
                if (s.generation != generation || s.phase != session_phase::open) return maybe_recycle(s);
            }
        }
        // Keep reading while closing: the peer's Close arrives through the read.
        do_read(s);
    }

    // ----- Writing -----------------------------------------------------------------------

    std::error_code enqueue(session& s, const shared_frame& frame) {
        if (s.phase != session_phase::open || s.close_wanted) return server_error::session_closing;
        const bool over_bytes = !s.queue.empty() && s.queued_bytes + frame.size() > options_.send_queue_max_bytes;
        if (over_bytes || !s.queue.push(frame)) {
            ++stats_.slow_disconnects;
            request_close(s, options_.slow_close_code, "too slow", true);
            return server_error::send_queue_full;
        }
        s.queued_bytes += frame.size();
        pump(s);
        return {};
    }

    void pump(session& s) {
        if (s.writing || s.close_started || s.phase != session_phase::open) return;
        if (s.close_wanted) return start_close(s);
        if (s.queue.empty()) return;
        const std::size_t n = std::min(s.queue.size(), options_.max_write_batch);
        detail::frame_buffers frames{s.gather.data(), 0};
        if constexpr (is_tls) {
            // One TLS record per write: copy the batch together (a large frame goes alone).
            std::size_t used = 0;
            std::size_t k = 0;
            for (; k < n && s.linear; ++k) {
                const const_bytes wire = s.queue.at(k).wire();
                if (used + wire.size() > s.linear_capacity) break;
                std::memcpy(s.linear.get() + used, wire.data(), wire.size());
                used += wire.size();
            }
            if (k == 0) {
                const const_bytes wire = s.queue.front().wire();
                s.gather[0] = asio::buffer(wire.data(), wire.size());
                k = 1;
            } else {
                s.gather[0] = asio::buffer(s.linear.get(), used);
            }
            frames.count = 1;
            s.in_flight = k;
        } else {
            for (std::size_t k = 0; k < n; ++k) {
                const const_bytes wire = s.queue.at(k).wire();
                s.gather[k] = asio::buffer(wire.data(), wire.size());
            }
            frames.count = n;
            s.in_flight = n;
        }
        s.writing = true;
        ++s.pending;
        s.ws->async_write_frames(frames, [self = this->shared_from_this(), &s](std::error_code ec) {
            --s.pending;
            self->on_written(s, ec);
        });
    }

    void on_written(session& s, std::error_code ec) {
        s.writing = false;
        for (; s.in_flight != 0 && !s.queue.empty(); --s.in_flight) {
            s.queued_bytes -= s.queue.front().size();
            s.queue.pop();
        }
        s.in_flight = 0;
        if (ec) {
            // The stream has failed; the pending read reports it and ends the session.
            drop_queue(s);
            return maybe_recycle(s);
        }
        pump(s);
        maybe_recycle(s);
    }

    // Everything queued except the frames being written (their bytes are in use).
    void drop_queue(session& s) {
        const std::size_t keep = s.writing ? s.in_flight : 0;
        s.queue.truncate(keep);
        s.queued_bytes = 0;
        for (std::size_t k = 0; k < s.queue.size(); ++k) s.queued_bytes += s.queue.at(k).size();
    }

    // ----- Closing -----------------------------------------------------------------------

    void request_close(session& s, ws::close_code code, std::string_view reason, bool drop_pending) {
        if (s.phase == session_phase::handshaking) {
            s.phase = session_phase::done;
            cut(s);
            return;
        }
        if (s.phase != session_phase::open || s.close_wanted) return;
        s.close_wanted = true;
        s.close_code = code;
        const std::string_view r = reason.substr(0, std::min(reason.size(), s.close_reason.size()));
        std::memcpy(s.close_reason.data(), r.data(), r.size());
        s.close_reason_size = r.size();
        if (drop_pending) drop_queue(s);
        // A peer that reads nothing keeps our write (and so the Close behind it) pending
        // for ever: cut it if the close has not finished in time.
        if (options_.slow_close_timeout.count() > 0 && (s.writing || drop_pending)) {
            arm_cut_timer(s, options_.slow_close_timeout + options_.stream.close_timeout);
        }
        pump(s);
    }

    void start_close(session& s) {
        s.close_started = true;
        ++s.pending;
        s.ws->async_close(s.close_code, std::string_view(s.close_reason.data(), s.close_reason_size),
                          [self = this->shared_from_this(), &s](std::error_code) {
                              --s.pending;
                              self->maybe_recycle(s);
                          });
    }

    void arm_cut_timer(session& s, clock::duration d) {
        s.timer.expires_after(d);
        s.timer.async_wait([self = this->shared_from_this(), &s, generation = s.generation](std::error_code ec) {
            if (ec || s.generation != generation || s.phase == session_phase::idle) return;
            self->cut(s);
        });
    }

    void cut(session& s) {
        if (s.ws) s.ws->cut();
    }

    void end_session(session& s, std::error_code ec) {
        if (s.phase == session_phase::done || s.phase == session_phase::idle) return;
        const bool was_open = s.phase == session_phase::open;
        s.phase = session_phase::done;
        drop_queue(s);
        for (topic_id t : s.topics) remove_member(t, s.index);
        s.topics.clear();
        if (!was_open) return;
        --open_count_;
        if constexpr (detail::server_has_on_close<Handler, basic_ws_server>) {
            session_close_info info;
            info.error = ec;
            if (s.ws && s.ws->close_received()) {
                const ws::close_reason r = s.ws->close_reason();
                info.peer_code = r.code;
                info.peer_reason = r.reason;
            }
            handler_.on_close(*this, s.id(), info);
        }
    }

    void maybe_recycle(session& s) {
        if (s.phase != session_phase::done || s.pending != 0) return;
        s.timer.cancel();
        s.queue.clear();
        s.queued_bytes = 0;
        s.writing = false;
        s.in_flight = 0;
        s.ws.reset();
        s.phase = session_phase::idle;
        free_.push_back(s.index);
        --live_;
        if (stopping_ && live_ == 0) {
            drained_ = true;
            drain_timer_.cancel();
        }
    }

    void remove_member(topic_id t, std::uint32_t index) {
        auto& members = topics_[t].members;
        for (std::size_t k = 0; k < members.size(); ++k) {
            if (members[k] == index) {
                members[k] = members.back();
                members.pop_back();
                return;
            }
        }
    }

    void begin_shutdown() {
        stopping_ = true;
        std::error_code ignored;
        acceptor_.close(ignored);
        for (auto& slot : slots_) {
            session& s = *slot;
            if (s.phase == session_phase::handshaking) {
                cut(s);
            } else if (s.phase == session_phase::open) {
                request_close(s, ws::close_code::going_away, "server shutting down", false);
            }
        }
    }

    struct shutdown_op {
        std::shared_ptr<basic_ws_server> server;
        clock::duration timeout;
        enum class step : std::uint8_t { start, waiting, cut, done } at = step::start;
        std::error_code result{};

        template <class Self>
        void operator()(Self& self) {
            basic_ws_server& sv = *server;
            if (at == step::done) {
                self.complete(result);
                return;
            }
            if (sv.shutting_down_) {
                result = server_error::shutting_down;
                at = step::done;
                asio::post(std::move(self));
                return;
            }
            sv.shutting_down_ = true;
            sv.begin_shutdown();
            if (sv.live_ == 0) {
                at = step::done;
                asio::post(std::move(self));
                return;
            }
            at = step::waiting;
            sv.drain_timer_.expires_after(timeout);
            sv.drain_timer_.async_wait(std::move(self));
        }

        template <class Self>
        void operator()(Self& self, std::error_code) {
            basic_ws_server& sv = *server;
            if (sv.drained_ || sv.live_ == 0) {
                self.complete(result);
                return;
            }
            if (at == step::waiting) {
                // Deadline: cut the rest, then wait for their operations to finish.
                result = server_error::shutdown_timeout;
                at = step::cut;
                sv.stop();
                sv.drain_timer_.expires_after(std::chrono::seconds(5));
                sv.drain_timer_.async_wait(std::move(self));
                return;
            }
            self.complete(result);
        }
    };

    executor_type ex_;
    asio::ssl::context* tls_;
    ws_server_options options_;
    Handler handler_;
    asio::basic_socket_acceptor<asio::ip::tcp, socket_executor_type> acceptor_;
    asio::steady_timer drain_timer_;
    frame_pool pool_;
    std::vector<std::unique_ptr<session>> slots_;
    std::vector<std::uint32_t> free_;
    std::vector<topic_entry> topics_;
    std::size_t live_ = 0;        // slots in use (handshaking, open or finishing)
    std::size_t open_count_ = 0;  // sessions between on_open and on_close
    bool stopping_ = false;
    bool shutting_down_ = false;
    bool drained_ = false;
    ws_server_stats stats_{};
};

// Owns a server; destroying it cuts every connection (see stop()). Reach the server's
// functions through -> (the hooks get the same object by reference).
template <ws_server_handler Handler, ws_server_transport NextLayer = tcp_socket>
class ws_server {
public:
    using server_type = basic_ws_server<Handler, NextLayer>;

    // Plain WebSocket (ws://). `ctx` is an executor or an io_context (an io_context or its
    // executor when the transport is net::io_tcp_socket).
    template <class ExecutionContext>
        requires(!server_type::is_tls)
    ws_server(ExecutionContext&& ctx, const ws_server_options& options, Handler handler = Handler())
        : impl_(std::make_shared<server_type>(executor_of(ctx), nullptr, options, std::move(handler))) {}

    // TLS (wss://): `tls` (from make_tls_server_context) must outlive the server.
    template <class ExecutionContext, class Context>
        requires(server_type::is_tls && std::same_as<Context, asio::ssl::context>)
    ws_server(ExecutionContext&& ctx, Context& tls, const ws_server_options& options, Handler handler = Handler())
        : impl_(std::make_shared<server_type>(executor_of(ctx), &tls, options, std::move(handler))) {}

    ws_server(ws_server&&) noexcept = default;
    ws_server& operator=(ws_server&& other) noexcept {
        if (this != &other) {
            if (impl_) impl_->stop();
            impl_ = std::move(other.impl_);
        }
        return *this;
    }
    ws_server(const ws_server&) = delete;
    ws_server& operator=(const ws_server&) = delete;
    ~ws_server() {
        if (impl_) impl_->stop();
    }

    server_type* operator->() const noexcept { return impl_.get(); }
    server_type& operator*() const noexcept { return *impl_; }
    server_type& get() const noexcept { return *impl_; }

private:
    using socket_executor = typename server_type::socket_executor_type;

    template <class T>
    static socket_executor executor_of(T& ctx) {
        if constexpr (requires { ctx.get_executor(); }) {
            return socket_executor(ctx.get_executor());
        } else {
            return socket_executor(ctx);
        }
    }

    std::shared_ptr<server_type> impl_;
};

}  // namespace tradewire::net
