// `tradewire-cli echo-server --port P [--bind 127.0.0.1] [--tls CERT KEY] [--max-message-size BYTES]`:
// a WebSocket echo server on net::ws_server. Every text or binary message comes back
// unchanged with its opcode; Pings are answered and the close handshake followed by the
// stream. SIGINT or SIGTERM shut it down gracefully (close 1001 to every client, exit 0).
// One line on stderr says where it listens, for scripts that wait for it.
#include <tradewire/net/tls.hpp>  // first: it decides how Asio's SSL headers are found

#include <tradewire/net/server.hpp>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "commands.hpp"

namespace tradewire::cli {

namespace {

struct echo_handler {
    template <class Server>
    void on_message(Server& server, net::session_id id, const net::ws_message& m) {
        // A full queue closes the session as too slow; nothing else to do here.
        (void)server.send(id, m.op, m.payload);
    }
};

template <class Number>
Number parse_number(const std::string& text, const char* what, Number min, Number max) {
    Number value{};
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || p != end || value < min || value > max) {
        throw usage_error{std::string(what) + " must be a number from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", not '" + text + "'"};
    }
    return value;
}

template <class NextLayer, class... TlsArg>
int serve(const net::ws_server_options& options, TlsArg&... tls) {
    asio::io_context io(1);
    net::ws_server<echo_handler, NextLayer> server(io, tls..., options);
    // Installed before the "listening" line, so a signal sent as soon as it is read is ours.
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](std::error_code ec, int) {
        if (ec) return;
        server->async_shutdown(std::chrono::seconds(5), [](std::error_code) {});
    });
    if (const std::error_code ec = server->listen()) {
        std::fprintf(stderr, "tradewire-cli echo-server: cannot listen on %s port %u: %s\n",
                     options.bind_address.c_str(), static_cast<unsigned>(options.port), ec.message().c_str());
        signals.cancel();
        return exit_failure;
    }
    const auto endpoint = server->local_endpoint();
    const std::string host = endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]"
                                                        : endpoint.address().to_string();
    std::fprintf(stderr, "tradewire-cli echo-server: listening on %s://%s:%u\n", sizeof...(TlsArg) ? "wss" : "ws",
                 host.c_str(), static_cast<unsigned>(endpoint.port()));
    std::fflush(stderr);

    io.run();
    return exit_ok;
}

}  // namespace

int run_echo_server(arguments& args) {
    net::ws_server_options options;
    options.bind_address = "127.0.0.1";
    options.stream.max_message_size = std::size_t{64} << 20;

    const auto port = args.take_option("--port");
    if (!port) throw usage_error{"--port is required (0 picks a free port)"};
    options.port = parse_number<std::uint16_t>(*port, "--port", 0, 65535);
    if (auto bind = args.take_option("--bind")) {
        std::error_code ec;
        if (*bind != "localhost") (void)asio::ip::make_address(*bind, ec);
        if (bind->empty() || ec) throw usage_error{"--bind needs an IP address, not '" + *bind + "'"};
        options.bind_address = *bind;
    }
    if (auto size = args.take_option("--max-message-size")) {
        options.stream.max_message_size =
            parse_number<std::size_t>(*size, "--max-message-size", 1, std::size_t{1} << 40);
    }
    // --tls takes two values; the key is the one argument left once every option is taken.
    const auto cert = args.take_option("--tls");
    const auto rest = args.take_positionals();
    std::string key;
    if (cert) {
        if (rest.size() != 1) throw usage_error{"--tls needs a certificate file and a key file"};
        key = rest[0];
    } else if (!rest.empty()) {
        throw usage_error{"unexpected argument '" + rest[0] + "'"};
    }

    // Echoed messages wait in the session's queue until written: allow a few maximal ones.
    options.send_queue_limit = 4096;
    options.send_queue_max_bytes = std::max<std::size_t>(std::size_t{64} << 20, 2 * options.stream.max_message_size);

    if (!cert) return serve<net::tcp_socket>(options);

    for (const std::string* file : {&*cert, static_cast<const std::string*>(&key)}) {
        std::error_code fec;
        if (!std::filesystem::is_regular_file(*file, fec)) throw usage_error{"no such file: " + *file};
    }
    net::tls_server_options tls_options;
    tls_options.certificate_chain_file = *cert;
    tls_options.private_key_file = key;
    std::error_code ec;
    net::tls_context ctx = net::make_tls_server_context(tls_options, ec);
    if (ec) {
        std::fprintf(stderr, "tradewire-cli echo-server: cannot load the TLS certificate or key: %s\n",
                     ec.message().c_str());
        return exit_failure;
    }
    return serve<net::tls_stream<net::tcp_socket>>(options, ctx);
}

}  // namespace tradewire::cli
