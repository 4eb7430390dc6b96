// The server's side of one WebSocket connection: net::ws_stream's server-role state and
// operations (ws_impl, accept, read, close from ws_ops.hpp), plus one operation the
// public stream does not offer: writing frames that are already encoded. Server frames
// are unmasked, so a broadcast frame is encoded once (frame_pool.hpp) and the same bytes
// go to every session; several queued frames go out in one gathered write.
//
// The frames write takes the stream's write side exactly like ws_stream's own writes
// (wr_busy, parking, release_write), so Pongs, Close replies and liveness Pings that the
// read operation sends are never interleaved with it.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/net/detail/transport.hpp>
#include <tradewire/net/detail/ws_impl.hpp>
#include <tradewire/net/detail/ws_ops.hpp>
#include <tradewire/net/error.hpp>
#include <tradewire/net/ws_options.hpp>
#include <tradewire/ws/close.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/handshake.hpp>
#include <tradewire/ws/role.hpp>

#include <asio/buffer.hpp>
#include <asio/compose.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

namespace tradewire::net::detail {

// A run of asio::const_buffer owned by the caller (a ConstBufferSequence).
struct frame_buffers {
    using value_type = asio::const_buffer;
    using const_iterator = const asio::const_buffer*;
    const asio::const_buffer* first = nullptr;
    std::size_t count = 0;
    const_iterator begin() const noexcept { return first; }
    const_iterator end() const noexcept { return first + count; }
};

template <class Impl>
struct ws_frames_write_op {
    std::shared_ptr<Impl> s;
    frame_buffers frames;
    enum class step : std::uint8_t { start, parked, writing, post_done } at = step::start;
    std::error_code result{};

    template <class Self>
    void operator()(Self& self) {
        Impl& i = *s;
        switch (at) {
            case step::start:
                if (i.st != ws_status::open) return post_complete(self, i.status_error());
                if (i.wr_busy) {
                    at = step::parked;
                    i.wr_parked.park(i.on_write_slot(std::move(self)));
                    return;
                }
                i.wr_busy = true;
                return write(self);
            case step::parked:
                if (i.st != ws_status::open) {
                    i.release_write();
                    self.complete(i.status_error());
                    return;
                }
                return write(self);
            case step::post_done: self.complete(result); return;
            default: return;
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
        i.release_write();
        self.complete(std::error_code{});
    }

    template <class Self>
    void write(Self& self) {
        Impl& i = *s;  // before `self` (which holds `s`) is moved from
        at = step::writing;
        const frame_buffers f = frames;
        asio::async_write(i.next, f, i.on_write_slot(std::move(self)));
    }

    template <class Self>
    void post_complete(Self& self, std::error_code ec) {
        Impl& i = *s;
        result = ec;
        at = step::post_done;
        asio::post(i.on_write_slot(std::move(self)));
    }
};

template <class NextLayer>
class server_stream {
    using impl_type = ws_impl<NextLayer, ws::server_role>;

public:
    template <class... Args>
    explicit server_stream(Args&&... args) : impl_(std::make_shared<impl_type>(std::forward<Args>(args)...)) {
        impl_->inline_buffered = true;  // basic_ws_server's read loop takes buffered messages inline
    }
    server_stream(const server_stream&) = delete;
    server_stream& operator=(const server_stream&) = delete;
    ~server_stream() { cut(); }

    NextLayer& next_layer() noexcept { return impl_->next; }
    void set_options(const ws_stream_options& options) { impl_->apply_options(options); }
    [[nodiscard]] const ws::server_handshake& handshake() const noexcept { return impl_->hs; }
    [[nodiscard]] bool close_received() const noexcept { return impl_->peer_closed; }
    [[nodiscard]] ws::close_reason close_reason() const noexcept {
        ws::close_reason r;
        r.code = impl_->peer_code;
        r.reason = std::string_view(impl_->peer_reason.data(), impl_->peer_reason_size);
        return r;
    }

    template <class Check, class Handler>
    void async_accept(Check check, Handler&& handler) {
        asio::async_compose<Handler, void(std::error_code)>(ws_accept_op<impl_type, Check>{impl_, std::move(check)},
                                                            handler, impl_->next);
    }

    // A message already buffered may complete inside this call (see ws_impl::inline_buffered):
    // the handler must not rely on running after async_read returns.
    template <class Handler>
    void async_read(Handler&& handler) {
        asio::async_compose<Handler, void(std::error_code, ws_message)>(ws_read_op<impl_type>{impl_}, handler,
                                                                        impl_->next);
    }

    // Writes complete, encoded, unmasked frames; the buffers and the bytes they view must
    // stay valid until the handler runs.
    template <class Handler>
    void async_write_frames(frame_buffers frames, Handler&& handler) {
        asio::async_compose<Handler, void(std::error_code)>(ws_frames_write_op<impl_type>{impl_, frames}, handler,
                                                            impl_->next);
    }

    // `reason` must already be valid (ws::check_close).
    template <class Handler>
    void async_close(ws::close_code code, std::string_view reason, Handler&& handler) {
        ws_close_op<impl_type> op{impl_, code};
        if (const ws::error e = ws::check_close(code, reason); e != ws::error{}) {
            op.invalid = e;
        } else if (!reason.empty()) {
            std::memcpy(op.reason.data(), reason.data(), reason.size());
            op.reason_size = reason.size();
        }
        asio::async_compose<Handler, void(std::error_code)>(std::move(op), handler, impl_->next);
    }

    // Closes the transport now: every pending operation completes with an error.
    void cut() noexcept {
        if (!impl_) return;
        impl_->stop_liveness();
        impl_->cancel_deadline();
        close_lowest_layer(impl_->next);
    }

private:
    std::shared_ptr<impl_type> impl_;
};

}  // namespace tradewire::net::detail
