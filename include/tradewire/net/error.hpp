// Error codes of the network layer (category "tradewire.net"): timeouts of each phase of
// a connection, how a WebSocket connection ended, and why a TLS peer was refused. Errors
// of the layers underneath pass through unchanged (tradewire.ws for protocol violations,
// tradewire.ws.handshake and tradewire.http for a bad opening handshake, Asio's system
// and netdb categories for sockets and name resolution), so a caller can tell a peer
// that broke RFC 6455 from a network that broke.
#pragma once

#include <tradewire/core/error.hpp>

#include <system_error>
#include <type_traits>

namespace tradewire::net {

enum class error {
    // Deadlines.
    connect_timeout = 1,  // no resolved endpoint accepted the TCP connection in time
    handshake_timeout,    // the TLS or WebSocket opening handshake did not finish in time
    close_timeout,        // the peer did not answer our Close frame in time
    liveness_timeout,     // nothing received for the idle deadline plus the ping deadline

    // How a connection ended.
    closed,              // the close handshake has completed (the peer's code: close_reason())
    connection_lost,     // the transport ended without a Close frame (close code 1006)
    not_open,            // the operation needs an open WebSocket (no handshake yet, or closing)
    already_open,        // a second handshake or accept on the same stream
    handshake_rejected,  // server: the accept check refused the upgrade with an HTTP error
    no_endpoints,        // the host name resolved to no address
    out_of_memory,       // a receive buffer could not grow

    // TLS peer verification (client side).
    tls_certificate_untrusted,  // the chain does not lead to a trusted CA, or a certificate is invalid or
                                // expired
    tls_host_name_mismatch,     // the certificate is valid but names another host
    tls_no_trust_store,         // verification is on but no CA certificate could be loaded
    tls_bad_file,               // a certificate, key or CA file could not be read or parsed
};

namespace detail {

struct error_traits {
    static constexpr const char* name = "tradewire.net";
    static const char* message(error e) noexcept {
        switch (e) {
            case error::connect_timeout:
                return "TCP connect timed out";
            case error::handshake_timeout:
                return "opening handshake timed out";
            case error::close_timeout:
                return "peer did not answer the close frame in time";
            case error::liveness_timeout:
                return "peer silent: no data and no pong before the liveness deadline";
            case error::closed:
                return "WebSocket connection closed";
            case error::connection_lost:
                return "connection lost without a WebSocket close frame";
            case error::not_open:
                return "WebSocket stream is not open";
            case error::already_open:
                return "WebSocket handshake already done on this stream";
            case error::handshake_rejected:
                return "WebSocket upgrade refused by the accept check";
            case error::no_endpoints:
                return "host name resolved to no address";
            case error::out_of_memory:
                return "receive buffer could not grow";
            case error::tls_certificate_untrusted:
                return "TLS peer certificate not trusted";
            case error::tls_host_name_mismatch:
                return "TLS peer certificate does not match the host name";
            case error::tls_no_trust_store:
                return "no trusted CA certificates could be loaded";
            case error::tls_bad_file:
                return "TLS certificate, key or CA file could not be loaded";
        }
        return "unknown tradewire.net error";
    }
};

}  // namespace detail

inline const std::error_category& net_category() noexcept {
    return tradewire::detail::enum_category<error, detail::error_traits>();
}

inline std::error_code make_error_code(error e) noexcept {
    return {static_cast<int>(e), net_category()};
}

}  // namespace tradewire::net

template <>
struct std::is_error_code_enum<tradewire::net::error> : std::true_type {};
