// What the WebSocket stream needs to know about the layers below it, found at compile
// time: the lowest layer (the socket, reached through next_layer() or lowest_layer()),
// how to close it, and whether the next layer is a TLS stream (which gets a TLS
// close_notify before the socket closes). Knowing asio::ssl::stream only by a forward
// declaration keeps the TLS headers out of code that uses plain TCP.
#pragma once

#include <system_error>
#include <type_traits>

namespace asio::ssl {
template <typename Stream>
class stream;
}  // namespace asio::ssl

namespace tradewire::net::detail {

template <class T>
struct is_ssl_stream : std::false_type {};

template <class S>
struct is_ssl_stream<asio::ssl::stream<S>> : std::true_type {};

template <class T>
inline constexpr bool is_ssl_stream_v = is_ssl_stream<std::remove_cvref_t<T>>::value;

// The socket under any number of layers.
template <class Stream>
decltype(auto) lowest_layer(Stream& s) noexcept {
    if constexpr (requires { s.lowest_layer(); }) {
        return (s.lowest_layer());
    } else if constexpr (requires { s.next_layer(); }) {
        return detail::lowest_layer(s.next_layer());
    } else {
        return (s);
    }
}

// Closes the lowest layer, which makes every pending operation on every layer complete
// (with operation_aborted). Errors are of no interest here: the transport is going away.
template <class Stream>
void close_lowest_layer(Stream& s) noexcept {
    auto& sock = detail::lowest_layer(s);
    std::error_code ignored;
    if constexpr (requires { sock.shutdown(sock.shutdown_both, ignored); }) {
        if (sock.is_open()) sock.shutdown(sock.shutdown_both, ignored);
    }
    if constexpr (requires { sock.close(ignored); }) {
        sock.close(ignored);
    } else if constexpr (requires { sock.close(); }) {
        sock.close();
    }
}

}  // namespace tradewire::net::detail
