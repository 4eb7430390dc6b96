// The composed operations of net::ws_stream, written for asio::async_compose so that
// every one of them works with any completion token. Each is a small state machine over
// the shared ws_impl; none allocates in steady state (Asio recycles the memory of the
// socket operations they start, and the operations themselves live inside those).
//
// An operation that finishes before starting any I/O (a read that finds a message
// already buffered, a write on a closed stream) completes through asio::post, so a
// handler never runs inside the call that started it.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/http.hpp>
#include <tradewire/net/detail/transport.hpp>
#include <tradewire/net/detail/ws_impl.hpp>
#include <tradewire/net/error.hpp>
#include <tradewire/net/ws_options.hpp>
#include <tradewire/ws/close.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/error.hpp>
#include <tradewire/ws/handshake.hpp>
#include <tradewire/ws/mask.hpp>
#include <tradewire/ws/opcode.hpp>
#include <tradewire/ws/reader.hpp>

#include <asio/buffer.hpp>
#include <asio/compose.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <system_error>
#include <utility>

namespace tradewire::net::detail {

// ---------------------------------------------------------------------------------------
// Read: one whole message, answering Pings and the peer's Close on the way.
// ---------------------------------------------------------------------------------------

template <class Impl>
struct ws_read_op {
    std::shared_ptr<Impl> s;
    bool drain = false;  // async_close's own read: discard messages until the peer's Close
    enum class step : std::uint8_t {
        start,
        read,
        control,
        control_parked,
        linger,
        shutdown,
        post_done
    } at = step::start;
    bool io_started = false;
    bool holding_write = false;  // a Close reply went out: keep the write side until the end
    std::error_code result{};
    ws_message message{};

    template <class Self>
    void operator()(Self& self) {
        Impl& i = *s;
        switch (at) {
            case step::start:
                if (drain) {
                    i.drain_active = true;
                } else {
                    // While async_close drains by itself, the stream is as good as closed.
                    if (i.drain_active) return done(self, error::closed);
                    if (i.st != ws_status::open && i.st != ws_status::closing)
                        return done(self, i.status_error());
                    i.rd_active = true;
                }
                return process(self);
            case step::control_parked:  // the write side is ours now
                return write_control(self);
            case step::post_done:
                // Only now is the message handed over: until this point the read was
                // still pending (see done()).
                return complete_to_caller(self, result);
            default:
                return;
        }
    }

    // Hands the message over. Our Close may be waiting for the caller's reads to see the
    // peer's Close (close_parked); a caller that does not read again from its handler has
    // stopped reading (a reader told to stop before it closed gets one more message in
    // flight), so async_close takes over and drains by itself rather than waiting for
    // its deadline. Only then is the stream kept alive across the handler.
    template <class Self>
    void complete_to_caller(Self& self, std::error_code ec) {
        release();
        if (drain || !s->close_parked) {
            self.complete(ec, message);
            return;
        }
        const std::shared_ptr<Impl> keep = s;  // `self` (and `s`) are gone after complete()
        self.complete(ec, message);
        if (!keep->rd_active && keep->st == ws_status::closing && keep->close_parked) keep->close_parked.resume();
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec, std::size_t n) {
        Impl& i = *s;
        if (at == step::read) {
            if (ec) return transport_failed(self, ec);
            i.reader.commit(n);
            i.note_receive();
            return process(self);
        }
        if (at == step::control) {
            if (i.ctrl_what == Impl::control_kind::pong) {
                i.release_write();
                if (ec) return transport_failed(self, ec);
                return process(self);
            }
            // A Close reply: nothing else may be written, so the write side stays ours
            // until the transport is down. A peer that closed TCP right after its own
            // Close makes the write fail; the close handshake is still complete.
            holding_write = true;
            if (ec) return finish_close(self);
            if (result == error::closed) return shutdown(self);
            return linger(self);
        }
        if (at == step::linger) {
            if (!ec) return linger_read(self);
            return finish_close(self);
        }
    }

    // The TLS shutdown finished; its outcome does not matter any more.
    template <class Self>
    void operator()(Self& self, std::error_code) {
        finish_close(self);
    }

    template <class Self>
    void process(Self& self) {
        Impl& i = *s;
        for (;;) {
            const ws::read_event ev = i.reader.next();
            switch (ev.type) {
                case ws::event_type::need_more: {
                    if (i.leftover_pos < i.leftover_end) {  // frames that arrived with the handshake
                        const mutable_bytes space = i.reader.prepare(i.leftover_end - i.leftover_pos);
                        const std::size_t n = std::min(space.size(), i.leftover_end - i.leftover_pos);
                        if (n == 0) return fail_now(self, error::out_of_memory);
                        std::memcpy(space.data(), i.hsbuf.get() + i.leftover_pos, n);
                        i.leftover_pos += n;
                        i.reader.commit(n);
                        continue;
                    }
                    const mutable_bytes space = i.reader.prepare(i.opts.read_size);
                    if (space.empty()) return fail_now(self, error::out_of_memory);
                    at = step::read;
                    io_started = true;
                    i.next.async_read_some(asio::buffer(space.data(), space.size()),
                                           i.on_read_slot(std::move(self)));
                    return;
                }
                case ws::event_type::text:
                case ws::event_type::binary:
                    if (drain) continue;
                    message.op = ev.type == ws::event_type::text ? ws::opcode::text : ws::opcode::binary;
                    message.payload = ev.payload;
                    return done(self, {});
                case ws::event_type::ping: {
                    i.notify_control(ws::opcode::ping, ev.payload);
                    if (!i.opts.auto_pong || i.st != ws_status::open) continue;
                    const ws::write_result r = i.writer.pong(i.ctrl, ev.payload);
                    if (!r.ok()) continue;
                    i.ctrl_size = r.size;
                    i.ctrl_what = Impl::control_kind::pong;
                    return acquire_for_control(self);
                }
                case ws::event_type::pong:
                    i.notify_control(ws::opcode::pong, ev.payload);
                    continue;
                case ws::event_type::close:
                    i.record_peer_close(ev.code, ev.reason());
                    result = error::closed;
                    if (i.st == ws_status::open) return reply_close(self, ev.code, true);
                    return shutdown(self);  // we closed first: the handshake is complete
                case ws::event_type::error:
                    result = ev.ec;
                    if (i.st == ws_status::open) return reply_close(self, ev.code, false);
                    return shutdown(self);
                case ws::event_type::closed:
                    return done(self, i.status_error());
            }
        }
    }

    // The peer's Close (echo its code, RFC 6455 section 5.5.1) or a protocol violation
    // (send the code the violation calls for).
    template <class Self>
    void reply_close(Self& self, ws::close_code code, bool echo) {
        Impl& i = *s;
        i.st = ws_status::closing;
        i.stop_liveness();
        const bool with_code = !(echo && code == ws::close_code::no_status);
        const ws::write_result r = with_code ? i.writer.close(i.ctrl, code) : i.writer.close(i.ctrl);
        if (!r.ok()) return shutdown(self);
        i.ctrl_size = r.size;
        i.ctrl_what = Impl::control_kind::close_reply;
        if (!i.close_sent) i.arm_deadline(i.opts.close_timeout, error{});
        acquire_for_control(self);
    }

    template <class Self>
    void acquire_for_control(Self& self) {
        Impl& i = *s;
        if (i.wr_busy) {
            at = step::control_parked;
            io_started = true;
            i.rd_parked.park(i.on_read_slot(std::move(self)));
            return;
        }
        i.wr_busy = true;
        write_control(self);
    }

    template <class Self>
    void write_control(Self& self) {
        Impl& i = *s;
        if (i.st == ws_status::failed) {
            i.release_write();
            return done(self, i.failure);
        }
        if (i.ctrl_what == Impl::control_kind::pong) {
            if (i.st != ws_status::open) {  // a Close went out meanwhile: no more Pongs
                i.release_write();
                return process(self);
            }
        } else if (i.close_sent) {  // the caller's Close went out meanwhile
            i.release_write();
            return shutdown(self);
        } else {
            i.close_sent = true;
        }
        at = step::control;
        io_started = true;
        asio::async_write(i.next, asio::buffer(i.ctrl.data(), i.ctrl_size), i.on_read_slot(std::move(self)));
    }

    // After failing the connection with a Close: a plain TCP peer gets our FIN and its
    // remaining bytes are read and dropped until it closes too (or the close deadline),
    // so the kernel never answers unread data with a reset that could destroy our
    // Close frame before the peer reads it.
    template <class Self>
    void linger(Self& self) {
        Impl& i = *s;
        if constexpr (is_ssl_stream_v<decltype(i.next)>) {
            return shutdown(self);
        } else {
            auto& sock = lowest_layer(i.next);
            std::error_code ignored;
            if constexpr (requires { sock.shutdown(sock.shutdown_send, ignored); }) {
                sock.shutdown(sock.shutdown_send, ignored);
            }
            if (!i.ensure_write_buffer(0)) return finish_close(self);
            i.arm_deadline(i.opts.close_timeout, error{});
            linger_read(self);
        }
    }

    template <class Self>
    void linger_read(Self& self) {
        Impl& i = *s;
        at = step::linger;
        io_started = true;
        i.next.async_read_some(asio::buffer(i.wbuf.get(), i.wcap), i.on_read_slot(std::move(self)));
    }

    template <class Self>
    void shutdown(Self& self) {
        Impl& i = *s;
        i.stop_liveness();
        if constexpr (is_ssl_stream_v<decltype(i.next)>) {
            if (i.st != ws_status::failed && i.st != ws_status::closed) {
                at = step::shutdown;
                io_started = true;
                i.arm_deadline(i.opts.close_timeout, error{});
                i.next.async_shutdown(i.on_read_slot(std::move(self)));
                return;
            }
        }
        finish_close(self);
    }

    template <class Self>
    void finish_close(Self& self) {
        Impl& i = *s;
        if (result == error::closed) {
            i.finish_closed();
        } else {
            i.fail(result);
        }
        if (holding_write) {
            holding_write = false;
            i.release_write();
        }
        done(self, result == error::closed ? result : i.status_error());
    }

    template <class Self>
    void transport_failed(Self& self, std::error_code ec) {
        Impl& i = *s;
        const std::error_code e = i.map_io_error(ec);
        i.fail(e);
        done(self, i.status_error() ? i.status_error() : e);
    }

    template <class Self>
    void fail_now(Self& self, error e) {
        s->fail(e);
        done(self, e);
    }

    // The read is no longer pending: its caller (or async_close) owns the message.
    void release() noexcept {
        if (drain) {
            s->drain_active = false;
        } else {
            s->rd_active = false;
        }
    }

    template <class Self>
    void done(Self& self, std::error_code ec) {
        if (ec) message = {};
        if (!io_started) {
            Impl& i = *s;
            if (!ec && i.inline_buffered && i.inline_depth < Impl::max_inline_depth) {
                // A message that was already buffered goes to a handler that allows it (the
                // server's read loop) at once: no trip through the scheduler per message.
                const std::shared_ptr<Impl> keep = s;  // `self` (and `s`) are gone after complete()
                ++keep->inline_depth;
                complete_to_caller(self, ec);
                --keep->inline_depth;
                return;
            }
            // The read stays pending (rd_active) until the posted completion runs: its
            // message views the receive buffer, so nothing else may read from the stream
            // meanwhile. An async_close whose Close frame goes out in between would
            // otherwise see no read pending and start its own draining read, which
            // consumes the frames behind this message and compacts or regrows the buffer
            // (reader.prepare) under the view the caller is about to get.
            result = ec;
            at = step::post_done;
            s->post_on_read_slot(std::move(self));
            return;
        }
        complete_to_caller(self, ec);
    }
};

// ---------------------------------------------------------------------------------------
// Write: one whole text or binary message, or a Ping or Pong.
// ---------------------------------------------------------------------------------------

template <class Impl>
struct ws_write_op {
    std::shared_ptr<Impl> s;
    ws::opcode op;
    const std::uint8_t* data;
    std::size_t size;
    std::size_t sent = 0;  // payload bytes handed to the transport
    std::uint32_t key = 0;
    enum class step : std::uint8_t { start, parked, chunks, last, post_done } at = step::start;
    std::error_code result{};

    template <class Self>
    void operator()(Self& self) {
        Impl& i = *s;
        switch (at) {
            case step::start: {
                if (i.st != ws_status::open) return post_complete(self, i.status_error());
                if (op != ws::opcode::text && op != ws::opcode::binary && op != ws::opcode::ping &&
                    op != ws::opcode::pong) {
                    return post_complete(self, ws::error::invalid_opcode);
                }
                if (ws::is_control(op) && size > ws::max_control_payload_size) {
                    return post_complete(self, ws::error::control_frame_too_long);
                }
                if (i.wr_busy) {
                    at = step::parked;
                    i.wr_parked.park(i.on_write_slot(std::move(self)));
                    return;
                }
                i.wr_busy = true;
                return begin(self, true);
            }
            case step::parked:
                if (i.st != ws_status::open) {
                    i.release_write();
                    self.complete(i.status_error());
                    return;
                }
                return begin(self, false);
            case step::post_done:
                self.complete(result);
                return;
            default:
                return;
        }
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec, std::size_t) {
        Impl& i = *s;
        if (ec) {
            const std::error_code e = i.map_io_error(ec);
            i.fail(e);
            i.release_write();
            self.complete(i.status_error() ? i.status_error() : e);
            return;
        }
        if (at == step::chunks) return next_chunk(self);
        i.release_write();
        self.complete(std::error_code{});
    }

    template <class Self>
    void begin(Self& self, bool initiating) {
        Impl& i = *s;
        const const_bytes payload(data, size);
        if (ws::is_control(op)) {
            const ws::write_result r = i.writer.write(i.user_ctrl, op, payload);
            if (!r.ok()) return give_up(self, r.error_code(), initiating);
            at = step::last;
            asio::async_write(i.next, asio::buffer(i.user_ctrl.data(), r.size),
                              i.on_write_slot(std::move(self)));
            return;
        }
        if (!i.ensure_write_buffer(ws::max_header_size))
            return give_up(self, error::out_of_memory, initiating);
        const std::size_t header = i.data_header(mutable_bytes(i.wbuf.get(), i.wcap), op, size, key);
        const std::size_t room = i.wcap - header;
        if (!Impl::is_client && size > room) {
            // Server: a large payload goes out from the caller's buffer, unmasked and uncopied.
            const std::array<asio::const_buffer, 2> buffers{asio::buffer(i.wbuf.get(), header),
                                                            asio::buffer(data, size)};
            at = step::last;
            asio::async_write(i.next, buffers, i.on_write_slot(std::move(self)));
            return;
        }
        const std::size_t n = std::min(size, room);
        copy_chunk(i.wbuf.get() + header, n);
        at = sent == size ? step::last : step::chunks;
        asio::async_write(i.next, asio::buffer(i.wbuf.get(), header + n), i.on_write_slot(std::move(self)));
    }

    template <class Self>
    void next_chunk(Self& self) {
        Impl& i = *s;
        const std::size_t n = std::min(size - sent, i.wcap);
        copy_chunk(i.wbuf.get(), n);
        at = sent == size ? step::last : step::chunks;
        asio::async_write(i.next, asio::buffer(i.wbuf.get(), n), i.on_write_slot(std::move(self)));
    }

    // Copies the next n payload bytes into the write buffer, masking them for a client.
    void copy_chunk(std::uint8_t* to, std::size_t n) noexcept {
        if (n != 0) {
            std::memcpy(to, data + sent, n);
            if constexpr (Impl::is_client) ws::apply_mask(mutable_bytes(to, n), key, sent);
        }
        sent += n;
    }

    template <class Self>
    void give_up(Self& self, std::error_code ec, bool initiating) {
        s->release_write();
        if (initiating) return post_complete(self, ec);
        self.complete(ec);
    }

    template <class Self>
    void post_complete(Self& self, std::error_code ec) {
        result = ec;
        at = step::post_done;
        s->post_on_write_slot(std::move(self));
    }
};

// ---------------------------------------------------------------------------------------
// Write many: several whole messages, packed back to back into the write buffer, so that
// a buffer-full of small messages leaves in one transport write.
// ---------------------------------------------------------------------------------------

template <class Impl>
struct ws_write_many_op {
    std::shared_ptr<Impl> s;
    ws::opcode op;
    const const_bytes* payloads;
    std::size_t count;
    std::size_t index = 0;  // the message being packed
    std::size_t sent = 0;   // its payload bytes packed so far
    std::uint32_t key = 0;  // its mask key (client)
    bool header_written = false;  // its header is packed
    enum class step : std::uint8_t { start, parked, writing, post_done } at = step::start;
    std::error_code result{};

    template <class Self>
    void operator()(Self& self) {
        Impl& i = *s;
        switch (at) {
            case step::start:
                if (i.st != ws_status::open) return post_complete(self, i.status_error());
                if (op != ws::opcode::text && op != ws::opcode::binary) {
                    return post_complete(self, ws::error::invalid_opcode);
                }
                if (count == 0) return post_complete(self, {});
                if (i.wr_busy) {
                    at = step::parked;
                    i.wr_parked.park(i.on_write_slot(std::move(self)));
                    return;
                }
                i.wr_busy = true;
                if (!i.ensure_write_buffer(ws::max_header_size + 1)) {
                    i.release_write();
                    return post_complete(self, error::out_of_memory);
                }
                return write_next(self);
            case step::parked:
                if (i.st != ws_status::open) {
                    i.release_write();
                    self.complete(i.status_error());
                    return;
                }
                if (!i.ensure_write_buffer(ws::max_header_size + 1)) {
                    i.release_write();
                    self.complete(error::out_of_memory);
                    return;
                }
                return write_next(self);
            case step::post_done:
                self.complete(result);
                return;
            default:
                return;
        }
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec, std::size_t) {
        Impl& i = *s;
        if (ec) {
            const std::error_code e = i.map_io_error(ec);
            i.fail(e);
            i.release_write();
            self.complete(i.status_error() ? i.status_error() : e);
            return;
        }
        if (index < count) return write_next(self);
        i.release_write();
        self.complete(std::error_code{});
    }

    // Packs frames (a large one in pieces) until the buffer is full or all are in, then
    // writes the buffer.
    template <class Self>
    void write_next(Self& self) {
        Impl& i = *s;
        std::uint8_t* const buf = i.wbuf.get();
        const std::size_t cap = i.wcap;
        std::size_t pos = 0;
        while (index < count) {
            const const_bytes payload = payloads[index];
            if (sent == 0 && !header_written) {
                // A header goes in only with at least one payload byte behind it (or none needed).
                if (cap - pos < ws::max_header_size + std::min<std::size_t>(payload.size(), 1)) break;
                pos += i.data_header(mutable_bytes(buf + pos, cap - pos), op, payload.size(), key);
                header_written = true;
            }
            const std::size_t n = std::min(payload.size() - sent, cap - pos);
            if (n != 0) {
                std::memcpy(buf + pos, payload.data() + sent, n);
                if constexpr (Impl::is_client) ws::apply_mask(mutable_bytes(buf + pos, n), key, sent);
                pos += n;
                sent += n;
            }
            if (sent < payload.size()) break;  // the buffer is full mid-payload
            ++index;
            sent = 0;
            header_written = false;
        }
        at = step::writing;
        asio::async_write(i.next, asio::buffer(buf, pos), i.on_write_slot(std::move(self)));
    }

    template <class Self>
    void post_complete(Self& self, std::error_code ec) {
        result = ec;
        at = step::post_done;
        s->post_on_write_slot(std::move(self));
    }
};

// ---------------------------------------------------------------------------------------
// Close: send our Close, wait for the peer's, shut the transport down.
// ---------------------------------------------------------------------------------------

template <class Impl>
struct ws_close_op {
    std::shared_ptr<Impl> s;
    ws::close_code code;
    bool with_code = true;
    std::array<char, ws::max_close_reason_size> reason{};
    std::size_t reason_size = 0;
    std::error_code invalid{};  // found when the operation was started
    enum class step : std::uint8_t { start, parked, sent, waiting, draining, post_done } at = step::start;
    std::error_code result{};

    template <class Self>
    void operator()(Self& self) {
        Impl& i = *s;
        switch (at) {
            case step::start:
                if (invalid) return post_complete(self, invalid);
                if (i.st != ws_status::open) return post_complete(self, i.status_error());
                i.arm_deadline(i.opts.close_timeout, error::close_timeout);
                if (i.wr_busy) {
                    at = step::parked;
                    i.wr_parked.park(i.on_write_slot(std::move(self)));
                    return;
                }
                i.wr_busy = true;
                return send(self);
            case step::parked:
                if (i.st != ws_status::open) {
                    i.release_write();
                    self.complete(i.status_error());
                    return;
                }
                return send(self);
            case step::waiting:  // resumed by the read operation or the deadline
                if (i.st == ws_status::closing) {
                    // The caller stopped reading before the peer's Close came (see
                    // ws_read_op::complete_to_caller): read it ourselves, unless a read of
                    // the caller's started meanwhile after all.
                    if (i.rd_active) {
                        i.close_parked.park(i.on_write_slot(std::move(self)));
                        return;
                    }
                    return start_draining(self);
                }
                self.complete(s->close_result == error::closed ? std::error_code{} : s->close_result);
                return;
            case step::post_done:
                self.complete(result);
                return;
            default:
                return;
        }
    }

    template <class Self>
    void send(Self& self) {
        Impl& i = *s;
        i.st = ws_status::closing;
        i.close_sent = true;
        i.stop_liveness();
        const std::string_view why(reason.data(), reason_size);
        const ws::write_result r =
            with_code ? i.writer.close(i.user_ctrl, code, why) : i.writer.close(i.user_ctrl);
        if (!r.ok()) {  // validated when the operation started; only a broken invariant lands here
            i.release_write();
            i.fail(r.error_code());
            self.complete(r.error_code());
            return;
        }
        at = step::sent;
        asio::async_write(i.next, asio::buffer(i.user_ctrl.data(), r.size), i.on_write_slot(std::move(self)));
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec, std::size_t) {
        Impl& i = *s;
        i.release_write();
        if (ec) {
            const std::error_code e = i.map_io_error(ec);
            i.fail(e);
            self.complete(i.status_error() ? i.status_error() : e);
            return;
        }
        if (i.st == ws_status::closed) return self.complete(std::error_code{});
        if (i.st == ws_status::failed) return self.complete(i.failure);
        if (i.rd_active) {  // the caller's read will see the peer's Close and wake us
            at = step::waiting;
            i.close_parked.park(i.on_write_slot(std::move(self)));
            return;
        }
        start_draining(self);
    }

    template <class Self>
    void start_draining(Self& self) {
        at = step::draining;
        // async_compose moves the (lvalue) token it is given: `self` ends up inside the read.
        asio::async_compose<Self, void(std::error_code, ws_message)>(ws_read_op<Impl>{s, true}, self, s->next);
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec, ws_message) {
        self.complete(ec == error::closed ? std::error_code{} : ec);
    }

    template <class Self>
    void post_complete(Self& self, std::error_code ec) {
        result = ec;
        at = step::post_done;
        s->post_on_write_slot(std::move(self));
    }
};

// ---------------------------------------------------------------------------------------
// Client handshake: send the upgrade request, read and validate the 101.
// ---------------------------------------------------------------------------------------

template <class Impl>
struct ws_handshake_op {
    std::shared_ptr<Impl> s;
    ws::client_request request;
    enum class step : std::uint8_t { start, wrote, reading, post_done } at = step::start;
    std::error_code result{};

    template <class Self>
    void operator()(Self& self) {
        Impl& i = *s;
        if (at == step::post_done) {
            self.complete(result);
            return;
        }
        if (i.st != ws_status::fresh) return post_complete(self, error::already_open);
        i.st = ws_status::handshaking;
        i.hs.emplace(request, i.make_key(), i.opts.http);
        std::error_code ec;
        const std::size_t size = i.hs->request_size(ec);
        if (!ec && (!i.ensure_write_buffer(size) || !i.ensure_handshake_buffer())) ec = error::out_of_memory;
        if (ec) {
            i.fail(ec);
            return post_complete(self, ec);
        }
        const std::size_t n =
            i.hs->write_request(std::span<char>(reinterpret_cast<char*>(i.wbuf.get()), i.wcap), ec);
        if (ec) {
            i.fail(ec);
            return post_complete(self, ec);
        }
        i.arm_deadline(i.opts.handshake_timeout, error::handshake_timeout);
        at = step::wrote;
        asio::async_write(i.next, asio::buffer(i.wbuf.get(), n), i.on_write_slot(std::move(self)));
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec, std::size_t n) {
        Impl& i = *s;
        if (ec) return failed(self, i.map_io_error(ec));
        if (at == step::reading) {
            i.hs_used += n;
            std::error_code pec;
            const std::size_t head = i.hs->read_response(std::string_view(i.hsbuf.get(), i.hs_used), pec);
            if (!pec) {
                i.leftover_pos = head;
                i.leftover_end = i.hs_used;
                i.cancel_deadline();
                i.st = ws_status::open;
                i.start_liveness();
                self.complete(std::error_code{});
                return;
            }
            if (pec != http_error::need_more) return failed(self, pec);
            if (i.hs_used == i.hs_cap) return failed(self, http_error::head_too_large);
        }
        at = step::reading;
        i.next.async_read_some(asio::buffer(i.hsbuf.get() + i.hs_used, i.hs_cap - i.hs_used),
                               i.on_write_slot(std::move(self)));
    }

    template <class Self>
    void failed(Self& self, std::error_code ec) {
        s->fail(ec);
        self.complete(s->status_error());
    }

    template <class Self>
    void post_complete(Self& self, std::error_code ec) {
        result = ec;
        at = step::post_done;
        s->post_on_write_slot(std::move(self));
    }
};

// ---------------------------------------------------------------------------------------
// Server accept: read and validate the upgrade request, ask the check, answer.
// ---------------------------------------------------------------------------------------

template <class Impl, class Check>
struct ws_accept_op {
    std::shared_ptr<Impl> s;
    Check check;
    enum class step : std::uint8_t { start, reading, answering, post_done } at = step::start;
    bool accepted = false;
    std::error_code result{};

    template <class Self>
    void operator()(Self& self) {
        Impl& i = *s;
        if (at == step::post_done) {
            self.complete(result);
            return;
        }
        if (i.st != ws_status::fresh) {
            result = error::already_open;
            at = step::post_done;
            i.post_on_write_slot(std::move(self));
            return;
        }
        i.st = ws_status::handshaking;
        i.hs = ws::server_handshake(i.opts.http);
        if (!i.ensure_handshake_buffer() || !i.ensure_write_buffer(1024)) {
            i.fail(error::out_of_memory);
            result = error::out_of_memory;
            at = step::post_done;
            i.post_on_write_slot(std::move(self));
            return;
        }
        i.arm_deadline(i.opts.handshake_timeout, error::handshake_timeout);
        read_more(self);
    }

    template <class Self>
    void operator()(Self& self, std::error_code ec, std::size_t n) {
        Impl& i = *s;
        if (at == step::answering) {
            if (ec) return failed(self, i.map_io_error(ec));
            if (!accepted) return failed(self, result);
            i.cancel_deadline();
            i.st = ws_status::open;
            i.start_liveness();
            self.complete(std::error_code{});
            return;
        }
        if (ec) return failed(self, i.map_io_error(ec));
        i.hs_used += n;
        std::error_code rec;
        const std::size_t head = i.hs.read_request(std::string_view(i.hsbuf.get(), i.hs_used), rec);
        if (rec == http_error::need_more) {
            if (i.hs_used < i.hs_cap) return read_more(self);
            rec = http_error::head_too_large;
        }
        const std::span<char> out(reinterpret_cast<char*>(i.wbuf.get()), i.wcap);
        std::error_code wec;
        std::size_t size = 0;
        if (rec) {
            result = rec;
            size = ws::write_reject(rec, out, wec);
        } else {
            const ws_accept_decision decision = check(static_cast<const ws::server_handshake&>(i.hs));
            if (!decision.accepted()) {
                result = error::handshake_rejected;
                size = ws::write_error_response(decision.status, decision.body, decision.error_fields, out, wec);
            } else {
                size = i.hs.write_accept(decision.accept, out, wec);
                if (!wec) {
                    accepted = true;
                    i.leftover_pos = head;
                    i.leftover_end = i.hs_used;
                } else {
                    result = wec;  // the server's own options are wrong: answer 500
                }
            }
            if (wec) {
                if (!result) result = wec;
                accepted = false;
                size = ws::write_error_response(500, "", {}, out, wec);
            }
        }
        if (wec) return failed(self, result);
        at = step::answering;
        asio::async_write(i.next, asio::buffer(i.wbuf.get(), size), i.on_write_slot(std::move(self)));
    }

    template <class Self>
    void read_more(Self& self) {
        Impl& i = *s;
        at = step::reading;
        i.next.async_read_some(asio::buffer(i.hsbuf.get() + i.hs_used, i.hs_cap - i.hs_used),
                               i.on_write_slot(std::move(self)));
    }

    template <class Self>
    void failed(Self& self, std::error_code ec) {
        s->fail(ec);
        self.complete(s->status_error());
    }
};

}  // namespace tradewire::net::detail
