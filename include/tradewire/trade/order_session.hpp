// Live order entry: one authenticated WebSocket connection to a venue's order endpoint,
// kept up by net::reconnecting_client, that sends orders fired from order templates and
// turns the venue's answers into typed events for a handler.
//
//   Binance  WebSocket API (wss://ws-api.binance.com:443/ws-api/v3). Every order.place is
//            signed by its template [REFERENCE.md 1.6, 1.7]. With an Ed25519 key the
//            connection first sends session.logon and waits for its answer; with an HMAC
//            key there is no login (the session is ready once connected).
//   OKX      /ws/v5/private: op "login" (timestamp in seconds, base64 HMAC), then op
//            "order" once the login ack came [3.6]. Text "ping" keeps it alive [3.3].
//   Bybit    /v5/trade: op "auth" (expires in ms, hex HMAC), then "order.create" [2.6].
//            {"op":"ping"} keeps it alive [2.3].
// After a reconnect the login is sent again before any order can go.
//
// Sending (send()): the template must exist, the connection must be logged in and a
// request slot free; then risk_engine::check() runs (kill switch, limits, the venue's
// order-rate rules). Nothing is written unless the check passes live: in dry-run mode
// (the risk engine's default) the decision comes back and nothing is sent, so live
// orders need both credentials and an explicit risk.set_dry_run(false). The template
// renders the signed request into the session's buffer, which is queued on the
// connection (its slot keeps its capacity) and framed and masked by the WebSocket stream
// into its own write buffer: no allocation per order once warm.
//
// Answers (trade/order_response.hpp) are matched to the request by id. A rejection
// releases the order's risk reservation (risk.on_order_done); an acknowledgement keeps
// it open: report fills and the end of the order to the risk engine with the ticket
// (sent_order::ticket), from the venue's private order stream. When the connection
// drops, requests still waiting are reported as `error` with unknown_outcome and keep
// their reservation (the order may exist). A refused login is reported and stops the
// session (no retry loop with bad keys). Malformed and unknown messages are reported
// and skipped.
//
// Handler hooks, optional, detected with requires:
//   on_order_event(const order_event&, const sent_order*)   every answer (sent_order:
//       the request it answers, or nullptr)
//   on_connection(const net::connection_event&)            up, down, reconnecting, ...
//
// Credentials: the session keeps its own copy (wiped when destroyed); nothing in it is
// ever logged or put into an event. Construction without an API key and secret (and an
// OKX passphrase) fails with trade::error::missing_credential and start() refuses.
//
// Threading: one thread runs the io_context, the session and its hooks; call send()
// from that thread (the kill switch may be tripped from anywhere).
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/latency.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/market/venue.hpp>
#include <tradewire/net/reconnecting_client.hpp>
#include <tradewire/trade/credentials.hpp>
#include <tradewire/trade/order.hpp>
#include <tradewire/trade/order_response.hpp>
#include <tradewire/trade/order_template.hpp>
#include <tradewire/trade/risk.hpp>
#include <tradewire/trade/sign_binance.hpp>
#include <tradewire/trade/sign_bybit.hpp>
#include <tradewire/trade/sign_okx.hpp>

#include <asio/error.hpp>
#include <asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace tradewire::trade {

// The venues' documented order-entry endpoints (REFERENCE.md 1.1, 3.1, 2.1).
inline constexpr std::string_view binance_ws_api_url = "wss://ws-api.binance.com:443/ws-api/v3";
inline constexpr std::string_view binance_ws_api_testnet_url =
    "wss://ws-api.testnet.binance.vision/ws-api/v3";
inline constexpr std::string_view okx_private_url = "wss://ws.okx.com:8443/ws/v5/private";
inline constexpr std::string_view okx_private_demo_url = "wss://wspap.okx.com:8443/ws/v5/private";
inline constexpr std::string_view bybit_trade_url = "wss://stream.bybit.com/v5/trade";
inline constexpr std::string_view bybit_trade_testnet_url = "wss://stream-testnet.bybit.com/v5/trade";

// True for the venues this session speaks.
constexpr bool has_order_session(market::venue v) noexcept {
    return v == market::venue::binance || v == market::venue::okx || v == market::venue::bybit;
}

struct order_session_options {
    market::venue venue = market::venue::binance;
    net::reconnect_options connection{};  // url (e.g. binance_ws_api_url), backoff, timeouts
    binance_order_options binance{};
    okx_order_options okx{};
    bybit_order_options bybit{};
    std::chrono::milliseconds auth_expiry{10'000};         // Bybit auth: expires = now + this
    std::chrono::milliseconds heartbeat_interval{20'000};  // OKX "ping" / Bybit {"op":"ping"}; 0: off
    std::size_t max_templates = 16;
    std::size_t max_pending = 256;              // requests waiting for their answer
    std::size_t max_response_size = 64 * 1024;  // larger answers are reported and skipped
};

// A template added to a session.
struct order_template_handle {
    std::uint32_t index = UINT32_MAX;
    constexpr bool valid() const noexcept { return index != UINT32_MAX; }
};

template <class Handler, class NextLayer, class Clock, class RiskClock>
class order_session;

// What the session remembers of a request until its answer.
struct sent_order {
    std::uint64_t request_id = 0;
    order_template_handle tmpl{};
    order_ticket ticket{};
    decimal price;
    decimal quantity;
    [[nodiscard]] std::string_view client_order_id() const noexcept {
        return {client_id_.data(), client_id_size_};
    }

private:
    template <class, class, class, class>
    friend class order_session;
    std::array<char, 40> client_id_{};
    std::size_t client_id_size_ = 0;
    bool busy_ = false;
};

struct send_result {
    std::error_code ec;        // why nothing was written (risk refusal, not logged in, ...)
    risk_decision decision{};  // the risk check's answer (dry_run: passed, nothing written)
    std::uint64_t request_id = 0;
    const sent_order* order = nullptr;  // written: the request's record until its answer
    [[nodiscard]] bool written() const noexcept { return order != nullptr; }
};

namespace detail {
template <class H>
concept has_on_order_event = requires(H& h, const order_event& e, const sent_order* o) {
    h.on_order_event(e, o);
};
template <class H>
concept has_on_connection = requires(H& h, const net::connection_event& e) {
    h.on_connection(e);
};
}  // namespace detail

// A handler that ignores everything (events can still be polled through counters).
struct null_order_handler {};

// Clock: the wall clock the venue timestamps are read from (ns since the Unix epoch).
// RiskClock: the clock type of the risk_engine the session checks orders with.
template <class Handler = null_order_handler, class NextLayer = net::tls_stream<net::tcp_socket>,
          class Clock = wall_clock, class RiskClock = monotonic_clock>
class order_session;

template <class Handler, class NextLayer, class Clock, class RiskClock>
class order_session {
    static_assert(nanosecond_clock<Clock>, "Clock: now() -> nanoseconds since the Unix epoch");
    using risk_type = risk_engine<RiskClock>;

    struct core;
    // The reconnecting client's hooks, forwarded to the core. The client stops calling
    // them once cancelled, which the core does before it goes away.
    struct link {
        core* c = nullptr;
        template <class C>
        net::subscribe_status on_subscribe(C&, std::uint64_t generation) {
            return c->on_subscribe(generation);
        }
        template <class C>
        void on_message(C&, const net::ws_message& m, std::uint64_t generation) {
            c->on_message(m, generation);
        }
        template <class C>
        void on_event(C&, const net::connection_event& e) {
            c->on_connection(e);
        }
    };
    using client_type = net::reconnecting_client<link, NextLayer>;

public:
    using handler_type = Handler;
    static constexpr bool is_tls = client_type::client_type::is_tls;

    // ws:// (tests, local simulators). `risk` must outlive the session.
    template <class ExecutionContext>
    requires(!is_tls)
        order_session(ExecutionContext& ctx, credentials creds, order_session_options options,
                      risk_type& risk, Handler handler, std::error_code& ec, Clock clock = Clock{})
        : c_(std::make_shared<core>(std::move(creds), std::move(options), risk, std::move(handler),
                                    std::move(clock), ec)) {
        if (!ec) c_->client.emplace(ctx, c_->options.connection, link{c_.get()});
        c_->bind(ctx);
    }

    // wss:// (the venues). `tls` (net::make_tls_client_context) must outlive the session.
    template <class ExecutionContext>
    requires(is_tls) order_session(ExecutionContext& ctx, net::tls_context& tls, credentials creds,
                                   order_session_options options, risk_type& risk, Handler handler,
                                   std::error_code& ec, Clock clock = Clock{})
        : c_(std::make_shared<core>(std::move(creds), std::move(options), risk, std::move(handler),
                                    std::move(clock), ec)) {
        if (!ec) c_->client.emplace(ctx, tls, c_->options.connection, link{c_.get()});
        c_->bind(ctx);
    }

    order_session(const order_session&) = delete;
    order_session& operator=(const order_session&) = delete;
    ~order_session() {
        if (c_) c_->shutdown();
    }

    // Builds the template for one (symbol, side, type, time in force). `risk_symbol` is
    // the canonical symbol the risk engine's limits are registered under; spec.symbol is
    // the venue's spelling. Set-up only (allocates).
    order_template_handle add_template(const order_spec& spec, const tradewire::symbol& risk_symbol,
                                       std::error_code& ec) {
        return c_->add_template(spec, risk_symbol, ec);
    }

    // Connects and logs in; keeps reconnecting (and logging in again) until close().
    // Refuses (returns the error) without credentials or on a second call.
    std::error_code start() { return c_->start(); }

    // Risk check, then render and write one order (see the top). `client_order_id`
    // empty: generated by the template when its spec asks for one.
    send_result send(order_template_handle t, decimal price, decimal quantity,
                     std::string_view client_order_id = {}) noexcept {
        return c_->send(t, price, quantity, client_order_id, nullptr);
    }

    // For orders whose risk check already ran (arbitrage_detector checks both legs and
    // hands over their tickets): no second check, but the kill switch is read again, and a
    // ticket that is not valid (a dry-run decision has none) is refused with
    // risk_error::unknown_ticket. The session owns `ticket` from the call on: it is
    // released (risk.on_order_done) when nothing is written or the venue rejects the
    // order, and stays open on an acknowledgement, like a ticket send() made itself.
    send_result send_reserved(order_template_handle t, decimal price, decimal quantity, order_ticket ticket,
                              std::string_view client_order_id = {}) noexcept {
        return c_->send(t, price, quantity, client_order_id, &ticket);
    }

    // Closes the connection (close handshake) and stops reconnecting.
    void close() { c_->close(); }

    [[nodiscard]] bool logged_in() const noexcept { return c_->logged_in; }
    [[nodiscard]] bool login_refused() const noexcept { return c_->login_refused; }
    [[nodiscard]] std::uint64_t logins() const noexcept { return c_->logins; }
    [[nodiscard]] std::size_t pending() const noexcept { return c_->pending_count; }
    [[nodiscard]] market::venue venue() const noexcept { return c_->options.venue; }
    [[nodiscard]] const order_session_options& options() const noexcept { return c_->options; }
    Handler& handler() noexcept { return c_->handler; }
    // The connection (for connected(), connections(), rotate_now(), ...); null after a
    // failed construction.
    typename client_type::client_type* connection() noexcept {
        return c_->client ? &c_->client->get() : nullptr;
    }

private:
    struct template_entry {
        order_template tmpl;
        order_request request;  // venue, symbol, side, type, tif of every order it fires
    };

    struct core : std::enable_shared_from_this<core> {
        core(credentials&& cr, order_session_options&& o, risk_type& r, Handler&& h, Clock&& cl,
             std::error_code& ec)
            : creds(std::move(cr)),
              options(std::move(o)),
              risk(r),
              handler(std::move(h)),
              clock(std::move(cl)) {
            ec.clear();
            if (!has_order_session(options.venue)) {
                ec = order_entry_error::unsupported_venue;
            } else if (creds.api_key().empty() || creds.reveal_secret().empty() ||
                       (options.venue == market::venue::okx && !creds.has_passphrase())) {
                ec = error::missing_credential;
            } else if (options.venue == market::venue::binance) {
                binance.emplace(creds, ec);
            } else if (options.venue == market::venue::okx) {
                okx.emplace(creds);
            } else {
                bybit.emplace(creds);
            }
            setup_error = ec;
            if (options.max_pending == 0) options.max_pending = 1;
            pending.resize(options.max_pending);
            templates.reserve(options.max_templates);
            response.resize(options.max_response_size);
        }

        void bind(auto& ctx) {
            if constexpr (requires { ctx.get_executor(); }) {
                timer.emplace(ctx.get_executor());
            } else {
                timer.emplace(ctx);
            }
        }

        // ----- set-up ----------------------------------------------------------------
        order_template_handle add_template(const order_spec& spec, const tradewire::symbol& risk_symbol,
                                           std::error_code& ec) {
            ec.clear();
            if (setup_error) {
                ec = setup_error;
                return {};
            }
            if (templates.size() >= options.max_templates) {
                ec = order_entry_error::unknown_template;
                return {};
            }
            order_template t;
            switch (options.venue) {
                case market::venue::binance:
                    t = make_binance_order_place(creds, spec, options.binance, ec);
                    break;
                case market::venue::okx:
                    t = make_okx_order(spec, options.okx, ec);
                    break;
                default:
                    t = make_bybit_order_create(spec, options.bybit, ec);
                    break;
            }
            if (ec) return {};
            if (t.max_payload_size() > render_buffer.size()) render_buffer.resize(t.max_payload_size());
            template_entry& e = templates.emplace_back();
            e.tmpl = std::move(t);
            e.request.venue = options.venue;
            e.request.symbol = risk_symbol;
            e.request.side = spec.side;
            e.request.type = spec.type;
            e.request.tif = spec.tif;
            return order_template_handle{static_cast<std::uint32_t>(templates.size() - 1)};
        }

        std::error_code start() {
            if (setup_error) return setup_error;
            if (started) return net::reconnect_error::already_running;
            started = true;
            std::weak_ptr<core> weak = this->shared_from_this();
            (*client)->async_run([weak](std::error_code) {
                if (auto self = weak.lock()) self->stopped = true;
            });
            arm_heartbeat();
            return {};
        }

        void close() {
            closing = true;
            if (timer) timer->cancel();
            if (client) (*client)->close();
        }

        void shutdown() {
            closing = true;
            if (timer) timer->cancel();
            if (client) (*client)->cancel();
        }

        // ----- sending -----------------------------------------------------------------
        send_result send(order_template_handle h, decimal price, decimal quantity,
                         std::string_view client_order_id, const order_ticket* reserved) noexcept {
            send_result r;
            // A reserved ticket belongs to the session from here on: released if nothing is written.
            const auto refuse = [&](std::error_code ec) {
                if (reserved != nullptr && reserved->valid()) (void)risk.on_order_done(*reserved);
                r.ec = ec;
                return r;
            };
            if (!h.valid() || h.index >= templates.size()) return refuse(order_entry_error::unknown_template);
            if (!logged_in || closing || !client || !(*client)->connected())
                return refuse(order_entry_error::not_logged_in);
            const std::uint64_t id = next_request_id;
            sent_order& slot = pending[id % pending.size()];
            if (slot.busy_) return refuse(order_entry_error::too_many_pending);
            template_entry& te = templates[h.index];
            order_request req = te.request;
            req.price = price;
            req.quantity = quantity;
            if (reserved != nullptr) {
                if (!reserved->valid()) {
                    r.decision.ec = risk_error::unknown_ticket;
                    return refuse(r.decision.ec);
                }
                if (risk.kill().tripped()) {
                    r.decision.ec = risk_error::kill_switch_tripped;
                    return refuse(r.decision.ec);
                }
                r.decision.ticket = *reserved;
            } else {
                r.decision = risk.check(req);
                if (!r.decision.may_send()) {
                    r.ec = r.decision.ec;  // empty in a dry run: passed, nothing written
                    return r;
                }
            }
            order_fields f;
            f.price = price;
            f.quantity = quantity;
            f.timestamp_ms = unix_ms();
            f.client_order_id = client_order_id;
            f.request_id = id;
            const fire_result fr = te.tmpl.render(f, std::span<char>(render_buffer));
            if (!fr.ok()) {
                (void)risk.on_order_done(r.decision.ticket);
                r.ec = fr.ec;
                return r;
            }
            if (const std::error_code wec = (*client)->send_text(fr.payload)) {
                (void)risk.on_order_done(r.decision.ticket);
                r.ec = wec;
                return r;
            }
            ++next_request_id;
            slot.busy_ = true;
            slot.request_id = id;
            slot.tmpl = h;
            slot.ticket = r.decision.ticket;
            slot.price = price;
            slot.quantity = quantity;
            const std::string_view cid = fr.client_order_id();
            slot.client_id_size_ = cid.size() < slot.client_id_.size() ? cid.size() : slot.client_id_.size();
            if (slot.client_id_size_ != 0)
                std::memcpy(slot.client_id_.data(), cid.data(), slot.client_id_size_);
            ++pending_count;
            r.request_id = id;
            r.order = &slot;
            return r;
        }

        // ----- the connection ----------------------------------------------------------
        net::subscribe_status on_subscribe(std::uint64_t generation) {
            logged_in = false;
            login_generation = generation;
            std::error_code ec;
            std::size_t n = 0;
            const std::uint64_t now_ms = unix_ms();
            switch (options.venue) {
                case market::venue::binance:
                    if (binance->key_type() == binance_key_type::hmac) {
                        // Every order is signed on its own: nothing to log in.
                        ready(generation, false);
                        return net::subscribe_status::done;
                    }
                    n = binance->session_logon(now_ms, binance_logon_id, login_buffer, ec);
                    break;
                case market::venue::okx:
                    n = okx->login_message(now_ms / 1000, login_buffer, ec);
                    break;
                default: {
                    const auto ttl = static_cast<std::uint64_t>(options.auth_expiry.count());
                    n = bybit->auth_message(now_ms + ttl, "auth", login_buffer, ec);
                    break;
                }
            }
            if (!ec) ec = (*client)->send_text(std::string_view(login_buffer.data(), n), generation);
            // The message holds a signature (no secret); wipe it anyway, it is no longer needed.
            crypto::detail::secure_wipe(login_buffer.data(), login_buffer.size());
            if (ec) {
                order_event e;
                e.venue = options.venue;
                e.kind = order_event_kind::login_failed;
                e.ec = ec;
                emit(e, nullptr);
            }
            return net::subscribe_status::pending;
        }

        void ready(std::uint64_t generation, bool from_venue) {
            logged_in = true;
            ++logins;
            if (from_venue) (*client)->subscribed(generation);
            order_event e;
            e.venue = options.venue;
            e.kind = order_event_kind::logged_in;
            emit(e, nullptr);
        }

        void on_message(const net::ws_message& m, std::uint64_t generation) {
            if (m.size() > response.size()) {
                order_event e;
                e.venue = options.venue;
                e.kind = order_event_kind::malformed;
                e.ec = order_entry_error::response_too_large;
                emit(e, nullptr);
                return;
            }
            if (m.size() != 0) std::memcpy(response.data(), m.payload.data(), m.size());
            const std::span<char> text(response.data(), m.size());
            order_event e = options.venue == market::venue::binance
                                ? parse_binance_response(text, binance_logon_id)
                                : parse_order_response(options.venue, text);
            const bool awaiting_login = !logged_in && generation == login_generation;
            switch (e.kind) {
                case order_event_kind::heartbeat:
                    return;
                case order_event_kind::logged_in:
                    if (awaiting_login) return ready(generation, true);
                    return emit(e, nullptr);
                case order_event_kind::login_failed:
                    return refused(e);
                case order_event_kind::error:
                    if (sent_order* o = find(e.request_id)) {
                        if (e.venue == market::venue::okx) {  // the request was refused
                            e.kind = order_event_kind::rejected;
                            e.status = order_status::rejected;
                            e.ec = {};
                            return finish(e, *o, true);
                        }
                        return finish(e, *o, false);  // 5xx: the outcome is unknown
                    }
                    if (awaiting_login) {
                        e.kind = order_event_kind::login_failed;
                        e.ec = order_entry_error::login_failed;
                        return refused(e);
                    }
                    return emit(e, nullptr);
                case order_event_kind::accepted:
                case order_event_kind::rejected:
                    if (sent_order* o = find(e.request_id))
                        return finish(e, *o, e.kind == order_event_kind::rejected);
                    return emit(e, nullptr);
                default:
                    return emit(e, nullptr);
            }
        }

        void on_connection(const net::connection_event& ev) {
            if (ev.kind == net::connection_event_kind::down) {
                logged_in = false;
                // Answers to these will not come: their outcome is unknown.
                for (sent_order& o : pending) {
                    if (!o.busy_) continue;
                    order_event e;
                    e.venue = options.venue;
                    e.kind = order_event_kind::error;
                    e.request_id = o.request_id;
                    e.ec = order_entry_error::unknown_outcome;
                    finish(e, o, false);
                }
            }
            if constexpr (detail::has_on_connection<Handler>) handler.on_connection(ev);
        }

        // ----- helpers -------------------------------------------------------------------
        sent_order* find(std::uint64_t id) noexcept {
            if (id == 0) return nullptr;
            sent_order& s = pending[id % pending.size()];
            return s.busy_ && s.request_id == id ? &s : nullptr;
        }

        void finish(const order_event& e, sent_order& o, bool release) {
            if (release) (void)risk.on_order_done(o.ticket);
            emit(e, &o);
            o.busy_ = false;
            --pending_count;
        }

        void refused(const order_event& e) {
            logged_in = false;
            login_refused = true;
            emit(e, nullptr);
            close();  // no reconnect loop with keys the venue refuses
        }

        void emit(const order_event& e, const sent_order* o) {
            if constexpr (detail::has_on_order_event<Handler>) handler.on_order_event(e, o);
        }

        std::uint64_t unix_ms() noexcept { return static_cast<std::uint64_t>(clock.now() / 1'000'000); }

        void arm_heartbeat() {
            if (options.heartbeat_interval.count() <= 0 || options.venue == market::venue::binance || !timer)
                return;
            timer->expires_after(options.heartbeat_interval);
            timer->async_wait([weak = std::weak_ptr<core>(this->shared_from_this())](std::error_code ec) {
                auto self = weak.lock();
                if (!self || ec || self->closing || self->stopped) return;
                if (self->client && (*self->client)->connected()) {
                    const std::string_view ping = self->options.venue == market::venue::okx
                                                      ? std::string_view("ping")
                                                      : std::string_view(R"({"op":"ping"})");
                    (void)(*self->client)->send_text(ping);
                }
                self->arm_heartbeat();
            });
        }

        static constexpr std::string_view binance_logon_id = "logon";

        credentials creds;
        order_session_options options;
        risk_type& risk;
        Handler handler;
        Clock clock;
        std::error_code setup_error;
        std::optional<binance_signer> binance;
        std::optional<okx_signer> okx;
        std::optional<bybit_signer> bybit;
        std::vector<template_entry> templates;
        std::vector<sent_order> pending;
        std::vector<char> render_buffer;
        std::vector<char> response;
        std::array<char, 1024> login_buffer{};
        std::uint64_t next_request_id = 1;
        std::uint64_t login_generation = 0;
        std::uint64_t logins = 0;
        std::size_t pending_count = 0;
        bool logged_in = false;
        bool login_refused = false;
        bool started = false;
        bool closing = false;
        bool stopped = false;
        std::optional<asio::steady_timer> timer;
        // Last: destroyed first, which cancels the client before anything it calls into.
        std::optional<client_type> client;
    };

    std::shared_ptr<core> c_;
};

}  // namespace tradewire::trade
