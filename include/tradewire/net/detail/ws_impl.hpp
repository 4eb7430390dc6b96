// State shared by a net::ws_stream and its pending operations. The stream object is a
// handle; the state lives in a shared block that every pending operation and internal
// timer holds, so frames the stream sends on its own (Pongs, Close replies, liveness
// Pings) and deadlines can never outlive the socket they use.
//
// The write side has one owner at a time (wr_busy): the caller's write, ping or close,
// the read operation sending a Pong or a Close reply, or the liveness Ping. Whoever
// finds it busy parks (see parked_op.hpp) or, for the liveness Ping, leaves a flag; the
// owner hands the write side over on release_write(). This is what makes a write safe
// while a read is pending, and a Pong safe while a write is pending.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/http.hpp>
#include <tradewire/net/detail/handler_memory.hpp>
#include <tradewire/net/detail/parked_op.hpp>
#include <tradewire/net/detail/transport.hpp>
#include <tradewire/net/error.hpp>
#include <tradewire/net/liveness.hpp>
#include <tradewire/net/ws_options.hpp>
#include <tradewire/ws/close.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/frame.hpp>
#include <tradewire/ws/handshake.hpp>
#include <tradewire/ws/opcode.hpp>
#include <tradewire/ws/reader.hpp>
#include <tradewire/ws/role.hpp>
#include <tradewire/ws/writer.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/associated_executor.hpp>
#include <asio/bind_allocator.hpp>
#include <asio/bind_executor.hpp>
#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace tradewire::net::detail {

enum class ws_status : std::uint8_t {
    fresh,        // no handshake yet
    handshaking,  // opening handshake in progress
    open,         // messages flow
    closing,      // a Close frame was sent or is being answered
    closed,       // the close handshake completed; the transport is closed
    failed,       // the connection failed; `failure` says why; the transport is closed
};

// Asio's TLS stream reports a peer that closed TCP without close_notify as
// "stream truncated"; recognised by category name so this header needs no TLS headers.
inline bool is_tls_truncation(const std::error_code& ec) noexcept {
    return ec.value() == 1 && std::string_view(ec.category().name()) == "asio.ssl.stream";
}

template <class NextLayer, ws::role Role>
class ws_impl : public std::enable_shared_from_this<ws_impl<NextLayer, Role>> {
public:
    using clock = std::chrono::steady_clock;
    static constexpr bool is_client = Role::sends_masked;
    using handshake_type =
        std::conditional_t<is_client, std::optional<ws::client_handshake>, ws::server_handshake>;
    using control_frame = std::array<std::uint8_t, ws::max_header_size + ws::max_control_payload_size>;
    enum class control_kind : std::uint8_t { pong, close_reply };

    template <class... Args>
    explicit ws_impl(Args&&... args)
        : next(std::forward<Args>(args)...),
          reader(reader_options()),
          wr_parked(next.get_executor()),
          rd_parked(next.get_executor()),
          close_parked(next.get_executor()),
          deadline(next.get_executor()),
          idle(next.get_executor()) {}

    ws_impl(const ws_impl&) = delete;
    ws_impl& operator=(const ws_impl&) = delete;

    NextLayer next;
    ws_stream_options opts{};
    ws::message_reader<Role> reader;
    ws::frame_writer<Role> writer{};
    handshake_type hs{};

    ws_status st = ws_status::fresh;
    std::error_code failure{};
    error timeout_kind{};  // set by a deadline that fired

    // Write side.
    bool wr_busy = false;
    bool ping_pending = false;  // a liveness Ping waits for the write side
    bool close_sent = false;
    parked_op wr_parked;     // the caller's write, ping or close
    parked_op rd_parked;     // the read operation, to send a Pong or Close reply
    parked_op close_parked;  // async_close, waiting for the caller's read to see the peer's Close
    std::error_code close_result{};
    bool rd_active = false;     // the caller's async_read is pending
    bool drain_active = false;  // async_close reads by itself
    // A read that finds its message already buffered completes inside the call that
    // started it (up to max_inline_depth nested calls) instead of through a post. Only
    // for callers written for it (the server's read loop): Asio's rule is otherwise that a
    // handler never runs inside its initiating call.
    bool inline_buffered = false;
    unsigned inline_depth = 0;
    static constexpr unsigned max_inline_depth = 16;

    // Buffers: all allocated once and reused.
    std::unique_ptr<std::uint8_t[]> wbuf;
    std::size_t wcap = 0;
    control_frame ctrl{};  // the read operation's Pong / Close reply
    std::size_t ctrl_size = 0;
    control_kind ctrl_what = control_kind::pong;
    control_frame user_ctrl{};   // the caller's Ping, Pong or Close
    control_frame ping_frame{};  // the liveness Ping
    std::unique_ptr<char[]> hsbuf;
    std::size_t hs_cap = 0;
    std::size_t hs_used = 0;
    std::size_t leftover_pos = 0;  // bytes after the handshake head: the first frames
    std::size_t leftover_end = 0;

    // The peer's Close.
    bool peer_closed = false;
    ws::close_code peer_code = ws::close_code::abnormal;
    std::array<char, ws::max_close_reason_size> peer_reason{};
    std::size_t peer_reason_size = 0;

    // Deadlines.
    asio::steady_timer deadline;
    asio::steady_timer idle;
    std::uint64_t deadline_gen = 0;
    std::uint64_t idle_gen = 0;
    liveness_monitor monitor{};

    std::function<void(ws::opcode, const_bytes)> control_callback;

    // Memory for the operations each side has pending (see handler_memory.hpp).
    handler_slot read_slot;
    handler_slot write_slot;

    // `handler` for an operation the stream starts: its memory comes from the read or
    // write slot, and it runs directly where it completes when the caller's handler asked
    // for no executor of its own (see direct()).
    template <class Handler>
    auto on_read_slot(Handler&& handler) {
        return direct(asio::bind_allocator(slot_allocator<void>(read_slot), std::forward<Handler>(handler)));
    }
    template <class Handler>
    auto on_write_slot(Handler&& handler) {
        return direct(asio::bind_allocator(slot_allocator<void>(write_slot), std::forward<Handler>(handler)));
    }

    // Posts `handler` (an operation completing without I/O) from the read or write slot.
    template <class Handler>
    void post_on_read_slot(Handler&& handler) {
        post_on(read_slot, std::forward<Handler>(handler));
    }
    template <class Handler>
    void post_on_write_slot(Handler&& handler) {
        post_on(write_slot, std::forward<Handler>(handler));
    }

    // Through the type-erased any_io_executor a post allocates twice from Asio's
    // per-thread cache (a function wrapper and the queued operation); posted straight to
    // the io_context underneath, with the slot as its allocator, it allocates nothing.
    template <class Handler>
    void post_on(handler_slot& slot, Handler&& handler) {
        using executor_type = typename NextLayer::executor_type;
        using associated_type = asio::associated_executor_t<std::decay_t<Handler>, executor_type>;
        if constexpr (std::is_same_v<executor_type, asio::any_io_executor> &&
                      std::is_same_v<associated_type, asio::any_io_executor>) {
            const executor_type io = next.get_executor();
            const executor_type ex = asio::get_associated_executor(handler, io);
            if (const auto* context = io.template target<asio::io_context::executor_type>();
                context && (ex == io || ex == asio::prefer(io, asio::execution::outstanding_work.tracked))) {
                asio::post(*context,
                           asio::bind_allocator(slot_allocator<void>(slot), std::forward<Handler>(handler)));
                return;
            }
        }
        asio::post(direct(asio::bind_allocator(slot_allocator<void>(slot), std::forward<Handler>(handler))));
    }

    // A composed operation's handler defaults to the socket's executor with outstanding
    // work tracked, which compares unequal to the socket's own; Asio then hands every
    // intermediate completion to the type-erased any_io_executor, which wraps it in a
    // heap-allocated function object (and its two-block per-thread cache does not keep
    // up with a full-duplex stream). When the caller's handler named no executor, the
    // socket's own executor is the same thread and the same rules without the tracking
    // (the composed operation tracks the work already), and Asio invokes directly. A
    // handler with an executor of its own (a strand, a coroutine's, use_future's) keeps it.
    template <class Handler>
    auto direct(Handler&& handler) {
        using executor_type = typename NextLayer::executor_type;
        using associated_type = asio::associated_executor_t<std::decay_t<Handler>, executor_type>;
        if constexpr (std::is_same_v<executor_type, asio::any_io_executor> &&
                      std::is_same_v<associated_type, asio::any_io_executor>) {
            const executor_type io = next.get_executor();
            executor_type ex = asio::get_associated_executor(handler, io);
            if (ex == asio::prefer(io, asio::execution::outstanding_work.tracked)) ex = io;
            return asio::bind_executor(std::move(ex), std::forward<Handler>(handler));
        } else {
            return std::decay_t<Handler>(std::forward<Handler>(handler));
        }
    }

    ws::reader_options reader_options() const noexcept {
        ws::reader_options ro;
        ro.max_message_size = opts.max_message_size;
        return ro;
    }

    void apply_options(const ws_stream_options& o) {
        opts = o;
        reader = ws::message_reader<Role>(reader_options());
        if constexpr (!is_client) hs = ws::server_handshake(opts.http);
    }

    // What an operation on a stream that is not open reports.
    std::error_code status_error() const noexcept {
        switch (st) {
            case ws_status::fresh:
            case ws_status::handshaking:
                return error::not_open;
            case ws_status::open:
                return {};
            case ws_status::closing:
            case ws_status::closed:
                return error::closed;
            case ws_status::failed:
                return failure;
        }
        return error::not_open;
    }

    // A transport error as the caller should see it: the deadline or failure that caused
    // it, or "lost" for a peer that went away without a Close frame.
    std::error_code map_io_error(std::error_code ec) const noexcept {
        if (timeout_kind != error{}) return timeout_kind;
        if (st == ws_status::failed && failure) return failure;
        if (ec == asio::error::eof || is_tls_truncation(ec) || ec == asio::error::connection_aborted) {
            return error::connection_lost;
        }
        return ec;
    }

    void fail(std::error_code e) {
        if (st == ws_status::failed || st == ws_status::closed) return;
        st = ws_status::failed;
        failure = e;
        stop_liveness();
        cancel_deadline();
        close_lowest_layer(next);
        if (close_parked) {
            close_result = e;
            close_parked.resume();
        }
    }

    void finish_closed() {
        if (st == ws_status::failed || st == ws_status::closed) return;
        st = ws_status::closed;
        stop_liveness();
        cancel_deadline();
        close_lowest_layer(next);
        if (close_parked) {
            close_result = {};
            close_parked.resume();
        }
    }

    // Hands the write side to whoever waits for it, or frees it.
    void release_write() {
        if (rd_parked) {
            rd_parked.resume();
            return;
        }
        if (ping_pending) {
            ping_pending = false;
            if (st == ws_status::open && write_ping_now()) return;
        }
        if (wr_parked) {
            wr_parked.resume();
            return;
        }
        wr_busy = false;
    }

    bool ensure_write_buffer(std::size_t at_least) noexcept {
        const std::size_t want = std::max({at_least, opts.write_buffer_size, std::size_t{256}});
        if (wcap >= want && wbuf) return true;
        std::unique_ptr<std::uint8_t[]> fresh(new (std::nothrow) std::uint8_t[want]);
        if (!fresh) return false;
        wbuf = std::move(fresh);
        wcap = want;
        return true;
    }

    bool ensure_handshake_buffer() noexcept {
        const std::size_t want = std::max<std::size_t>(opts.http.max_head_size, 256);
        hs_used = 0;
        leftover_pos = leftover_end = 0;
        if (hsbuf && hs_cap >= want) return true;
        hsbuf.reset(new (std::nothrow) char[want]);
        hs_cap = hsbuf ? want : 0;
        return hsbuf != nullptr;
    }

    void record_peer_close(ws::close_code code, std::string_view reason) noexcept {
        peer_closed = true;
        peer_code = code;
        peer_reason_size = std::min(reason.size(), peer_reason.size());
        if (peer_reason_size != 0) std::memcpy(peer_reason.data(), reason.data(), peer_reason_size);
    }

    void notify_control(ws::opcode op, const_bytes payload) {
        if (control_callback) control_callback(op, payload);
    }

    // Deadline for the handshake or the close: when it fires, the transport is closed,
    // which ends whatever operation waits on it, and that operation reports `kind`.
    // kind == error{} only closes the transport (a TLS shutdown that takes too long).
    void arm_deadline(clock::duration d, error kind) {
        if (d.count() <= 0) return;
        const std::uint64_t gen = ++deadline_gen;
        deadline.expires_after(d);
        deadline.async_wait([self = this->shared_from_this(), gen, kind](std::error_code ec) {
            if (ec || gen != self->deadline_gen) return;
            if (kind == error{}) {
                close_lowest_layer(self->next);
                return;
            }
            self->timeout_kind = kind;
            self->fail(kind);
        });
    }

    void cancel_deadline() noexcept {
        ++deadline_gen;
        deadline.cancel();
    }

    // Liveness: one timer, re-armed at most once per idle period while data flows.
    void start_liveness() {
        if (!opts.liveness.enabled()) return;
        monitor = liveness_monitor(opts.liveness);
        monitor.start(clock::now());
        arm_idle();
    }

    void stop_liveness() noexcept {
        ++idle_gen;
        idle.cancel();
    }

    void note_receive() noexcept {
        if (monitor.enabled()) monitor.on_receive(clock::now());
    }

    void arm_idle() {
        const std::uint64_t gen = idle_gen;
        idle.expires_at(monitor.deadline());
        idle.async_wait([self = this->shared_from_this(), gen](std::error_code ec) {
            if (ec || gen != self->idle_gen) return;
            self->on_idle();
        });
    }

    void on_idle() {
        if (st != ws_status::open) return;
        switch (monitor.on_deadline(clock::now())) {
            case liveness_monitor::action::none:
                break;
            case liveness_monitor::action::send_ping:
                if (wr_busy) {
                    ping_pending = true;
                } else {
                    wr_busy = true;
                    if (!write_ping_now()) release_write();
                }
                break;
            case liveness_monitor::action::fail:
                timeout_kind = error::liveness_timeout;
                fail(error::liveness_timeout);
                return;
        }
        arm_idle();
    }

    // Sends the liveness Ping; the caller owns the write side. False when nothing was sent.
    bool write_ping_now() {
        const ws::write_result r = writer.ping(ping_frame);
        if (!r.ok()) return false;
        asio::async_write(next, asio::buffer(ping_frame.data(), r.size),
                          on_write_slot([self = this->shared_from_this()](std::error_code ec, std::size_t) {
                              if (ec) self->fail(self->map_io_error(ec));
                              self->release_write();
                          }));
        return true;
    }

    // Header of a data frame into `out`; returns its size. Clients draw a fresh mask key.
    std::size_t data_header(mutable_bytes out, ws::opcode op, std::size_t size, std::uint32_t& key) {
        ws::frame_header h;
        h.fin = true;
        h.op = op;
        h.masked = Role::sends_masked;
        if constexpr (Role::sends_masked) {
            key = writer.role().next_mask_key();
        } else {
            key = 0;
        }
        h.mask_key = key;
        h.payload_size = size;
        return ws::write_frame_header(out, h);
    }

    ws::handshake_key make_key() {
        if constexpr (requires(Role & r) { ws::handshake_key::generate(r.random()); }) {
            return ws::handshake_key::generate(writer.role().random());
        } else {
            default_random random;
            return ws::handshake_key::generate(random);
        }
    }
};

}  // namespace tradewire::net::detail
