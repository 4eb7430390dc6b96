// `tradewire-cli echo-client URL [--max-message-size BYTES]`: connects to a WebSocket
// server (ws:// or wss://) and sends every text or binary message back unchanged, with
// its opcode. Pings are answered by the stream; when the server closes, its close code
// is echoed (RFC 6455 section 5.5.1) and the command exits 0. Any failure (refused
// connection, bad handshake, TLS verification, protocol error, lost connection) exits 1
// with a message on stderr. This is the client half of interoperability test suites.
//
// Also: --ca-file FILE trusts a private CA besides the system's (or set SSL_CERT_FILE),
// --insecure turns TLS verification off (and says so on stderr).
#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include <tradewire/core/url.hpp>
#include <tradewire/net/connect.hpp>
#include <tradewire/net/error.hpp>
#include <tradewire/net/ws_stream.hpp>
#include <tradewire/ws/handshake.hpp>

#include <asio/io_context.hpp>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <system_error>

#include "commands.hpp"

namespace tradewire::cli {

namespace {

constexpr const char* command_name = "tradewire-cli echo-client";

// Why a connection attempt failed, with what the server or the TLS backend said.
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

template <class Stream>
struct echo_session {
    Stream& ws;
    const std::string& url;
    int status = exit_failure;

    void start(const ws::client_request& request) {
        net::async_connect(ws, request, {}, [this](std::error_code ec) {
            if (ec) {
                std::fprintf(stderr, "%s: cannot connect to %s: %s\n", command_name, url.c_str(),
                             describe_failure(ws, ec).c_str());
                return;
            }
            read();
        });
    }

    void read() {
        ws.async_read([this](std::error_code ec, net::ws_message m) {
            if (ec) return finish(ec);
            // The payload views the receive buffer, which stays untouched until the next
            // read: it is written back from there.
            ws.async_write(m.op, m.payload, [this](std::error_code wec) {
                if (wec) return finish(wec);
                read();
            });
        });
    }

    void finish(std::error_code ec) {
        if (ec == net::error::closed) {
            status = exit_ok;  // the close handshake completed; the server's code was echoed
            return;
        }
        std::fprintf(stderr, "%s: connection to %s failed: %s\n", command_name, url.c_str(),
                     ec.message().c_str());
    }
};

template <class Stream, class... Args>
int run(const ws::client_request& request, const std::string& url, std::size_t max_message_size,
        Args&... args) {
    asio::io_context io(1);
    Stream ws(io, args...);
    net::ws_stream_options options;
    options.max_message_size = max_message_size;
    ws.set_options(options);
    echo_session<Stream> session{ws, url};
    session.start(request);
    io.run();
    return session.status;
}

}  // namespace

int run_echo_client(arguments& args) {
    std::size_t max_message_size = std::size_t{64} << 20;
    if (auto text = args.take_option("--max-message-size")) {
        std::size_t value = 0;
        const char* end = text->data() + text->size();
        const auto [p, ec] = std::from_chars(text->data(), end, value);
        if (ec != std::errc{} || p != end || value == 0) {
            throw usage_error{"--max-message-size must be a positive number of bytes, not '" + *text + "'"};
        }
        max_message_size = value;
    }
    const auto ca_file = args.take_option("--ca-file");
    const bool insecure = args.take_flag("--insecure");
    const auto positionals = args.take_positionals();
    if (positionals.size() != 1) throw usage_error{"usage: echo-client URL [--max-message-size BYTES]"};
    const std::string& url = positionals[0];

    std::error_code ec;
    ws::client_request request;
    request.endpoint = parse_url(url, ec);
    if (ec) throw usage_error{"bad URL '" + url + "': " + ec.message()};
    if (request.endpoint.scheme != url_scheme::ws && request.endpoint.scheme != url_scheme::wss) {
        throw usage_error{"the URL must start with ws:// or wss://"};
    }

    if (!request.endpoint.secure()) {
        return run<net::ws_stream<net::tcp_socket>>(request, url, max_message_size);
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
    return run<net::ws_stream<net::tls_stream<net::tcp_socket>>>(request, url, max_message_size, ctx);
}

}  // namespace tradewire::cli
