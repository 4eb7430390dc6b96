// `tradewire-cli connect URL [--header 'K: V']... [--insecure]`: the wscat of tradewire.
// Prints every message received on its own line on stdout (flushed per line) and sends
// every line of standard input as a text message (a line that is not valid UTF-8 goes
// as binary, with a note on stderr). At the end of standard input it waits for the
// replies to the last lines (until nothing arrived for 250 ms, 2 s at most), closes with
// 1000 and exits 0 once the close handshake is done. When the server closes: exit 0 for code
// 1000, otherwise exit 1 with the code and reason on stderr. Failures to connect (TLS
// verification included) exit 1 with the reason on stderr.
//
// Also: --ca-file FILE trusts a private CA besides the system's (or set SSL_CERT_FILE).
// --insecure turns TLS verification off and says so on stderr.
#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include <tradewire/core/http.hpp>
#include <tradewire/core/url.hpp>
#include <tradewire/net/connect.hpp>
#include <tradewire/net/error.hpp>
#include <tradewire/net/ws_stream.hpp>
#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/handshake.hpp>
#include <tradewire/ws/utf8.hpp>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <iostream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "commands.hpp"

namespace tradewire::cli {

namespace {

constexpr const char* command_name = "tradewire-cli connect";

template <class Stream>
std::string describe_failure(Stream& ws, std::error_code ec) {
    std::string text = ec.message();
    if (ec == ws::handshake_error::unexpected_status && ws.handshake()) {
        text += " (HTTP " + std::to_string(ws.handshake()->result().status) + ")";
    }
    if constexpr (net::detail::is_ssl_stream_v<typename Stream::next_layer_type>) {
        if (ec == net::error::tls_certificate_untrusted || ec == net::error::tls_host_name_mismatch) {
            const std::string detail = net::tls_error_detail(ws.next_layer());
            if (!detail.empty()) text += " (" + detail + ")";
        }
    }
    return text;
}

// Lines from standard input arrive through post() from a reader thread (a blocking read
// works for pipes, terminals and regular files alike); messages are written one at a
// time, in order.
template <class Stream>
class session {
public:
    session(asio::io_context& io, Stream& ws, const std::string& url, std::function<void()> done)
        : io_(io), ws_(ws), url_(url), done_(std::move(done)), timer_(io) {}

    static constexpr std::chrono::milliseconds quiet_time{250};
    static constexpr std::chrono::milliseconds max_linger{2000};

    void start(const ws::client_request& request) {
        net::async_connect(ws_, request, {}, [this](std::error_code ec) {
            if (ec) {
                std::fprintf(stderr, "%s: cannot connect to %s: %s\n", command_name, url_.c_str(),
                             describe_failure(ws_, ec).c_str());
                status_ = exit_failure;
                done_();
                return;
            }
            open_ = true;
            start_stdin();
            read();
            write_next();
        });
    }

    int status() const { return status_; }
    bool stdin_running() const { return stdin_started_; }

private:
    void start_stdin() {
        stdin_started_ = true;
        std::thread([this] {
            std::string line;
            while (std::getline(std::cin, line)) {
                if (!line.empty() && line.back() == '\r') line.pop_back();
                asio::post(io_, [this, l = std::move(line)]() mutable { on_line(std::move(l)); });
                line.clear();
            }
            asio::post(io_, [this] { on_stdin_end(); });
        }).detach();
    }

    void on_line(std::string line) {
        if (!open_) return;
        pending_.push_back(std::move(line));
        write_next();
    }

    void on_stdin_end() {
        stdin_done_ = true;
        write_next();
    }

    void write_next() {
        if (writing_ || !open_) return;
        if (pending_.empty()) {
            if (stdin_done_ && !closing_ && !lingering_) {
                lingering_ = true;
                linger_started_ = std::chrono::steady_clock::now();
                linger();
            }
            return;
        }
        writing_ = true;
        const std::string& line = pending_.front();
        ws::opcode op = ws::opcode::text;
        if (!ws::is_valid_utf8(as_bytes(line))) {
            std::fprintf(stderr, "%s: input line is not valid UTF-8: sent as a binary message\n",
                         command_name);
            op = ws::opcode::binary;
        }
        ws_.async_write(op, as_bytes(line), [this](std::error_code ec) {
            writing_ = false;
            pending_.pop_front();
            last_activity_ = std::chrono::steady_clock::now();
            if (ec) return;  // the read side reports what happened to the connection
            write_next();
        });
    }

    // Input is over and sent: give the replies to the last lines a moment to arrive
    // (until nothing came for quiet_time, at most max_linger), then close.
    void linger() {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_activity_ >= quiet_time || now - linger_started_ >= max_linger) return close();
        timer_.expires_after(
            std::min(quiet_time - (now - last_activity_), max_linger - (now - linger_started_)));
        timer_.async_wait([this](std::error_code ec) {
            if (!ec && open_) linger();
        });
    }

    void close() {
        closing_ = true;
        writing_ = true;
        ws_.async_close(ws::close_code::normal, "", [this](std::error_code ec) {
            writing_ = false;
            if (ec && ec != net::error::closed) {
                std::fprintf(stderr, "%s: close failed: %s\n", command_name, ec.message().c_str());
                close_failed_ = true;
            }
        });
    }

    void read() {
        ws_.async_read([this](std::error_code ec, net::ws_message m) {
            if (ec) return finish(ec);
            last_activity_ = std::chrono::steady_clock::now();
            std::fwrite(m.payload.data(), 1, m.payload.size(), stdout);
            std::fputc('\n', stdout);
            std::fflush(stdout);
            read();
        });
    }

    void finish(std::error_code ec) {
        open_ = false;
        timer_.cancel();
        status_ = outcome(ec);
        done_();
    }

    int outcome(std::error_code ec) const {
        if (ec == net::error::closed) {
            if (closing_) return close_failed_ ? exit_failure : exit_ok;  // our close, answered
            const ws::close_reason why = ws_.close_reason();
            if (why.code == ws::close_code::normal) return exit_ok;
            std::fprintf(stderr, "%s: server closed the connection with code %u%s%.*s\n", command_name,
                         static_cast<unsigned>(why.code), why.reason.empty() ? "" : ": ",
                         static_cast<int>(why.reason.size()), why.reason.data());
            return exit_failure;
        }
        std::fprintf(stderr, "%s: connection to %s failed: %s\n", command_name, url_.c_str(),
                     ec.message().c_str());
        return exit_failure;
    }

    asio::io_context& io_;
    Stream& ws_;
    const std::string& url_;
    std::function<void()> done_;
    std::deque<std::string> pending_;
    bool open_ = false;
    bool writing_ = false;
    bool stdin_done_ = false;
    bool lingering_ = false;
    asio::steady_timer timer_;
    std::chrono::steady_clock::time_point last_activity_{};  // last message received or written
    std::chrono::steady_clock::time_point linger_started_{};
    bool stdin_started_ = false;
    bool closing_ = false;
    bool close_failed_ = false;
    int status_ = exit_failure;
};

template <class Stream, class... Args>
int run(const ws::client_request& request, const std::string& url, Args&... args) {
    asio::io_context io(1);
    // The stdin thread posts lines into the context at any time: keep run() going until
    // the connection is over.
    auto guard = asio::make_work_guard(io);
    Stream ws(io, args...);
    session<Stream> s(io, ws, url, [&] {
        guard.reset();
        io.stop();
    });
    s.start(request);
    io.run();
    const int status = s.status();
    std::fflush(stdout);
    std::fflush(stderr);
    // The stdin thread may still be blocked reading, and would post into a context that
    // no longer exists: leave without unwinding.
    if (s.stdin_running()) std::_Exit(status);
    return status;
}

}  // namespace

int run_connect(arguments& args) {
    const std::vector<std::string> headers = args.take_repeated_option("--header");
    const auto ca_file = args.take_option("--ca-file");
    const bool insecure = args.take_flag("--insecure");
    const auto positionals = args.take_positionals();
    if (positionals.size() != 1) throw usage_error{"usage: connect URL [--header 'K: V']... [--insecure]"};
    const std::string& url = positionals[0];

    std::error_code ec;
    ws::client_request request;
    request.endpoint = parse_url(url, ec);
    if (ec) throw usage_error{"bad URL '" + url + "': " + ec.message()};
    if (request.endpoint.scheme != url_scheme::ws && request.endpoint.scheme != url_scheme::wss) {
        throw usage_error{"the URL must start with ws:// or wss://"};
    }

    std::vector<http_field> fields;
    for (const std::string& h : headers) {
        const std::size_t colon = h.find(':');
        if (colon == std::string::npos || colon == 0)
            throw usage_error{"--header needs 'Name: value', not '" + h + "'"};
        std::string_view name(h.data(), colon);
        std::string_view value(h.data() + colon + 1, h.size() - colon - 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
        if (!http_is_token(name))
            throw usage_error{"--header name '" + std::string(name) + "' is not a valid field name"};
        if (!http_is_field_value(value))
            throw usage_error{"--header value for '" + std::string(name) + "' is not valid"};
        if (ws::detail::handshake_reserved_field(name)) {
            throw usage_error{"--header cannot set '" + std::string(name) +
                              "': the WebSocket handshake sets it"};
        }
        fields.push_back({name, value});
    }
    request.extra_fields = fields;

    if (!request.endpoint.secure()) {
        if (insecure) std::fprintf(stderr, "%s: --insecure has no effect on ws:// URLs\n", command_name);
        return run<net::ws_stream<net::tcp_socket>>(request, url);
    }
    net::tls_client_options tls;
    if (ca_file) tls.ca_file = *ca_file;
    if (insecure) {
        tls.verify = net::tls_verify::insecure_no_verification;
        std::fprintf(stderr, "%s: --insecure: TLS certificate verification is OFF\n", command_name);
    }
    net::tls_context ctx = net::make_tls_client_context(tls, ec);
    if (ec) {
        std::fprintf(stderr, "%s: cannot set up TLS: %s\n", command_name, ec.message().c_str());
        return exit_failure;
    }
    return run<net::ws_stream<net::tls_stream<net::tcp_socket>>>(request, url, ctx);
}

}  // namespace tradewire::cli
