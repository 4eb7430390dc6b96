// net::http_client<NextLayer>: a minimal HTTP/1.1 client for venue REST endpoints (book
// snapshots now, signed private requests later), over the same transports as the
// WebSocket streams:
//
//   net::http_client<net::tcp_socket> http(io, "http://127.0.0.1:8080");
//   net::http_client<net::tls_stream<net::tcp_socket>> https(io, tls_ctx, "https://api.binance.com");
//   https.async_get("/api/v3/depth?symbol=BTCUSDT&limit=1000",
//                   [](std::error_code ec, const net::http_response& r) { ... r.status, r.body ... });
//
// One request at a time per client (a second one fails with http_client_error::busy);
// the connection is kept alive and reused, and a request that finds a reused connection
// closed by the server before any response byte arrived is retried once on a new
// connection. Each request has one deadline covering connect, TLS, write and the whole
// response (http_client_error::timeout). Heads are parsed strictly by core/http.hpp;
// bodies are framed by Content-Length, chunked coding or the connection's end, and
// bounded by max_body_size. Any Asio completion token works; the completion signature
// is void(std::error_code, http_response), and the response's views (head fields, body)
// stay valid until the next request on the client. A non-2xx status is not an error:
// the caller reads r.status.
//
// Memory: the receive buffer is allocated once (head limit + read size) and the body
// and request strings keep their capacity, so steady-state requests of similar size do
// not allocate. The client must outlive its pending request; close() ends the
// connection (a pending request completes with an error).
#pragma once

#include <tradewire/core/http.hpp>
#include <tradewire/core/url.hpp>
#include <tradewire/net/detail/http_client_body.hpp>
#include <tradewire/net/detail/transport.hpp>
#include <tradewire/net/error.hpp>
#include <tradewire/net/tcp.hpp>
#include <tradewire/net/tls.hpp>

#include <asio/any_io_executor.hpp>
#include <asio/buffer.hpp>
#include <asio/compose.hpp>
#include <asio/error.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace tradewire::net {

struct http_client_options {
    std::chrono::steady_clock::duration timeout = std::chrono::seconds(10);  // per request, all phases
    std::size_t max_body_size = 16 * 1024 * 1024;  // a Binance 5000-level snapshot is about 0.5 MB
    http_limits head_limits{};
    std::size_t read_size = 16 * 1024;  // bytes per read
    tcp_options tcp{};
    std::string user_agent = "tradewire";
};

// A request. Views must stay valid until the request completes. `body` with a method
// other than GET/HEAD is sent with Content-Length (and `content_type` when not empty).
struct http_request {
    std::string_view method = "GET";
    std::string_view target = "/";
    std::span<const http_field> fields{};
    std::string_view body{};
    std::string_view content_type{};
};

struct http_response {
    unsigned status = 0;
    std::string_view reason{};
    const http_response_head* head = nullptr;  // fields; valid until the next request
    std::string_view body{};
};

template <class NextLayer = tcp_socket>
class http_client {
public:
    static constexpr bool is_tls = detail::is_ssl_stream_v<NextLayer>;
    using executor_type = asio::any_io_executor;

    template <class ExecutionContext>
        requires(!is_tls)
    http_client(ExecutionContext&& ctx, std::string_view base_url, http_client_options options = {})
        : http_client(executor_of(ctx), nullptr, base_url, std::move(options)) {}

    template <class ExecutionContext>
        requires(is_tls)
    http_client(ExecutionContext&& ctx, tls_context& tls, std::string_view base_url, http_client_options options = {})
        : http_client(executor_of(ctx), &tls, base_url, std::move(options)) {}

    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    executor_type get_executor() const noexcept { return ex_; }
    const http_client_options& options() const noexcept { return opt_; }
    // The base URL's problem (bad URL, scheme mismatch); every request fails with it.
    std::error_code setup_error() const noexcept { return setup_error_; }
    bool connected() const noexcept { return stream_.has_value() && lowest().is_open(); }
    // Connections opened so far (tells reuse from reconnection).
    std::uint64_t connections() const noexcept { return connections_; }
    bool busy() const noexcept { return busy_; }

    template <class Token>
    auto async_request(const http_request& request, Token&& token) {
        return asio::async_compose<Token, void(std::error_code, http_response)>(request_op{this, request}, token, timer_);
    }

    template <class Token>
    auto async_get(std::string_view target, Token&& token) {
        http_request r;
        r.target = target;
        return async_request(r, std::forward<Token>(token));
    }

    // Closes the connection now; a pending request fails.
    void close() noexcept {
        if (!stream_) return;
        std::error_code ignored;
        lowest().close(ignored);
    }

private:
    static constexpr std::size_t head_room(const http_client_options& o) noexcept {
        return o.head_limits.max_head_size + o.read_size;
    }

    http_client(executor_type ex, tls_context* tls, std::string_view base_url, http_client_options options)
        : ex_(std::move(ex)), tls_(tls), opt_(std::move(options)), base_text_(base_url), timer_(ex_), parser_(opt_.head_limits) {
        if (opt_.read_size == 0) opt_.read_size = 1;
        rx_.reset(new char[head_room(opt_)]);
        std::error_code ec;
        base_ = parse_url(base_text_, ec);
        if (ec) {
            setup_error_ = ec;
        } else if ((base_.scheme != url_scheme::http && base_.scheme != url_scheme::https) ||
                   base_.secure() != is_tls) {
            setup_error_ = http_client_error::scheme_mismatch;
        }
    }

    template <class T>
    static executor_type executor_of(T& ctx) {
        if constexpr (requires { ctx.get_executor(); }) {
            return executor_type(ctx.get_executor());
        } else {
            return executor_type(ctx);
        }
    }

    tcp_socket& lowest() noexcept {
        if constexpr (is_tls) {
            return stream_->next_layer();
        } else {
            return *stream_;
        }
    }
    const tcp_socket& lowest() const noexcept {
        if constexpr (is_tls) {
            return stream_->next_layer();
        } else {
            return *stream_;
        }
    }

    void new_stream() {
        if constexpr (is_tls) {
            stream_.emplace(ex_, *tls_);
        } else {
            stream_.emplace(ex_);
        }
    }

    static bool clean_text(std::string_view s) noexcept {
        for (const char c : s)
            if (c == '\r' || c == '\n' || c == '\0') return false;
        return true;
    }

    std::error_code build(const http_request& r) {
        if (r.method.empty() || r.target.empty() || r.target[0] != '/' || !clean_text(r.method) ||
            !clean_text(r.target) || r.target.find(' ') != std::string_view::npos || !clean_text(r.content_type)) {
            return http_error::bad_target;
        }
        tx_.clear();
        tx_.append(r.method).append(" ").append(r.target).append(" HTTP/1.1\r\nHost: ");
        if (base_.ipv6) tx_.append("[");
        tx_.append(base_.host);
        if (base_.ipv6) tx_.append("]");
        if (!base_.default_port()) tx_.append(":").append(std::to_string(base_.port));
        tx_.append("\r\nUser-Agent: ").append(opt_.user_agent).append("\r\nAccept: */*\r\n");
        for (const http_field& f : r.fields) {
            if (f.name.empty() || !clean_text(f.name) || !clean_text(f.value) ||
                f.name.find(':') != std::string_view::npos) {
                return http_error::bad_field_value;
            }
            tx_.append(f.name).append(": ").append(f.value).append("\r\n");
        }
        const bool bodyless = r.method == "GET" || r.method == "HEAD";
        if (!bodyless || !r.body.empty()) {
            if (!r.content_type.empty()) tx_.append("Content-Type: ").append(r.content_type).append("\r\n");
            tx_.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
        }
        tx_.append("\r\n").append(r.body);
        head_request_ = r.method == "HEAD";
        return {};
    }

    struct request_op {
        http_client* self_;
        http_request request;
        enum class step : std::uint8_t { start, connect, tls, write, read, done } at = step::start;
        bool reused = false;
        bool retried = false;

        template <class Self>
        void operator()(Self& self) {
            http_client& c = *self_;
            if (c.setup_error_) return post_complete(self, c.setup_error_);
            if (c.busy_) return post_complete(self, http_client_error::busy);
            if (auto ec = c.build(request)) return post_complete(self, ec);
            c.busy_ = true;
            c.timed_out_ = false;
            ++c.deadline_gen_;
            if (c.opt_.timeout.count() > 0) {
                c.timer_.expires_after(c.opt_.timeout);
                c.timer_.async_wait([cp = self_, gen = c.deadline_gen_](std::error_code ec) {
                    if (ec || gen != cp->deadline_gen_ || !cp->busy_) return;
                    cp->timed_out_ = true;
                    cp->close();
                });
            }
            begin(self);
        }

        template <class Self>
        void begin(Self& self) {
            http_client& c = *self_;
            c.used_ = 0;
            c.parser_.reset();
            c.body_.clear();
            c.head_done_ = false;
            if (c.connected()) {
                reused = true;
                return write(self);
            }
            reused = false;
            c.new_stream();
            at = step::connect;
            net::async_connect(c.lowest(), c.base_.host, c.base_.port, c.opt_.tcp, std::move(self));
        }

        template <class Self>
        void write(Self& self) {
            at = step::write;
            asio::async_write(*self_->stream_, asio::buffer(self_->tx_), std::move(self));
        }

        template <class Self>
        void read(Self& self) {
            http_client& c = *self_;
            at = step::read;
            // The head accumulates at the front; body bytes are read behind it and
            // consumed at once, so head views stay valid.
            const std::size_t from = c.head_done_ ? c.head_size_ : c.used_;
            const std::size_t room = head_room(c.opt_) - from;
            c.stream_->async_read_some(asio::buffer(c.rx_.get() + from, room), std::move(self));
        }

        // connect
        template <class Self>
        void operator()(Self& self, std::error_code ec, const asio::ip::tcp::endpoint&) {
            if (ec) return fail(self, ec);
            ++self_->connections_;
            if constexpr (is_tls) {
                at = step::tls;
                net::async_tls_handshake(*self_->stream_, self_->base_.host, std::move(self));
            } else {
                write(self);
            }
        }

        // tls handshake
        template <class Self>
        void operator()(Self& self, std::error_code ec) {
            if (ec) return fail(self, ec);
            write(self);
        }

        // write and read
        template <class Self>
        void operator()(Self& self, std::error_code ec, std::size_t n) {
            http_client& c = *self_;
            if (at == step::write) {
                if (ec) return retry_or_fail(self, ec);
                return read(self);
            }
            if (ec) {
                if (ec == asio::error::eof && c.head_done_) {
                    const std::error_code e = c.reader_.finish_on_eof();
                    c.close();
                    if (!e) return succeed(self, false);
                    return fail(self, e);
                }
                if (!c.head_done_ && c.used_ == 0) return retry_or_fail(self, ec);
                return fail(self, ec == asio::error::eof ? std::error_code(http_client_error::truncated_body) : ec);
            }
            std::string_view fresh;
            if (!c.head_done_) {
                c.used_ += n;
                std::error_code pec;
                const std::size_t h = c.parser_.parse(std::string_view(c.rx_.get(), c.used_), pec);
                if (pec == http_error::need_more) return read(self);
                if (pec) return fail(self, pec);
                const http_response_head& head = c.parser_.head();
                if (head.status < 200) {  // interim 1xx: skip it and read the real head
                    std::memmove(c.rx_.get(), c.rx_.get() + h, c.used_ - h);
                    c.used_ -= h;
                    c.parser_.reset();
                    if (c.used_ == 0) return read(self);
                    return (*this)(self, std::error_code{}, std::size_t{0});
                }
                std::error_code fec;
                const http_body_framing framing = http_response_body(head, fec, c.head_request_);
                if (fec) return fail(self, fec);
                c.head_done_ = true;
                c.head_size_ = h;
                c.reader_.start(framing, c.opt_.max_body_size);
                fresh = std::string_view(c.rx_.get() + h, c.used_ - h);
            } else {
                fresh = std::string_view(c.rx_.get() + c.head_size_, n);
            }
            std::error_code bec;
            const std::size_t used = c.reader_.feed(fresh, c.body_, bec);
            if (bec) return fail(self, bec);
            if (!c.reader_.done()) {
                if (used != fresh.size()) return fail(self, http_client_error::unexpected_data);
                return read(self);
            }
            // Nothing was pipelined: stray bytes mean the connection cannot be trusted.
            succeed(self, used == fresh.size());
        }

        template <class Self>
        void retry_or_fail(Self& self, std::error_code ec) {
            // A kept-alive connection the server closed meanwhile: try once on a new one.
            if (reused && !retried && !self_->timed_out_) {
                retried = true;
                self_->close();
                self_->stream_.reset();
                return begin(self);
            }
            fail(self, ec);
        }

        template <class Self>
        void succeed(Self& self, bool reusable) {
            http_client& c = *self_;
            const http_response_head& head = c.parser_.head();
            const bool keep = reusable && head.version >= http_version{1, 1} &&
                              !head.fields.has_token("connection", "close");
            if (!keep) c.close();
            http_response r;
            r.status = head.status;
            r.reason = head.reason;
            r.head = &head;
            r.body = c.body_;
            end(self, {}, r);
        }

        template <class Self>
        void fail(Self& self, std::error_code ec) {
            http_client& c = *self_;
            if (c.timed_out_) ec = http_client_error::timeout;
            c.close();
            end(self, ec, http_response{});
        }

        template <class Self>
        void end(Self& self, std::error_code ec, const http_response& r) {
            http_client& c = *self_;
            c.busy_ = false;
            ++c.deadline_gen_;
            c.timer_.cancel();
            at = step::done;
            self.complete(ec, r);
        }

        template <class Self>
        void post_complete(Self& self, std::error_code ec) {
            asio::post(self_->ex_, [s = std::move(self), ec]() mutable { s.complete(ec, http_response{}); });
        }
    };

    executor_type ex_;
    tls_context* tls_ = nullptr;
    http_client_options opt_;
    std::string base_text_;
    url base_{};
    std::error_code setup_error_{};
    asio::steady_timer timer_;
    std::optional<NextLayer> stream_;
    std::unique_ptr<char[]> rx_;
    std::size_t used_ = 0;
    std::size_t head_size_ = 0;
    bool head_done_ = false;
    bool head_request_ = false;
    bool busy_ = false;
    bool timed_out_ = false;
    std::uint64_t deadline_gen_ = 0;
    std::uint64_t connections_ = 0;
    http_response_parser parser_{};
    detail::http_body_reader reader_{};
    std::string tx_;
    std::string body_;
};

}  // namespace tradewire::net
