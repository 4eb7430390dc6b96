// Sans-I/O reading of an HTTP/1.1 response body for the REST client: Content-Length
// bodies, the chunked transfer coding (RFC 9112 section 7.1) and bodies that end when the
// server closes. Bytes go in as they arrive (any split), the body comes out appended to a
// caller's buffer, bounded by a size limit. No I/O, no clock: the fuzz target and the
// unit tests drive it byte by byte.
//
// Chunked decoding is strict, like the head parser: chunk sizes are 1*HEXDIG (no leading
// or trailing whitespace, at most 15 digits), every line ends in CRLF, chunk extensions
// and trailer fields may not hold control bytes, and the trailer section is bounded.
#pragma once

#include <tradewire/core/error.hpp>
#include <tradewire/core/http.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace tradewire::net {

enum class http_client_error {
    bad_chunk_size = 1,  // a chunk-size line that is not 1*HEXDIG, or too large
    bad_chunk_line,      // a missing CRLF after a chunk size, chunk data or trailer line
    bad_chunk_extension, // a control byte in a chunk extension
    bad_trailer,         // a malformed or over-long trailer section
    body_too_large,      // the body exceeds http_client_options::max_body_size
    truncated_body,      // the connection ended before the body did
    timeout,             // the request did not complete within its deadline
    unexpected_data,     // bytes after a complete response that was not pipelined
    scheme_mismatch,     // an https URL on a plain client, or http on a TLS client
    busy,                // a request is already in progress on this client
};

namespace detail {
struct http_client_error_traits {
    static constexpr const char* name = "tradewire.net.http";
    static const char* message(http_client_error e) noexcept {
        switch (e) {
            case http_client_error::bad_chunk_size: return "bad chunk size line";
            case http_client_error::bad_chunk_line: return "missing CRLF in chunked body";
            case http_client_error::bad_chunk_extension: return "bad chunk extension";
            case http_client_error::bad_trailer: return "bad trailer section";
            case http_client_error::body_too_large: return "response body exceeds the size limit";
            case http_client_error::truncated_body: return "connection ended inside the response body";
            case http_client_error::timeout: return "HTTP request timed out";
            case http_client_error::unexpected_data: return "unexpected bytes after the response";
            case http_client_error::scheme_mismatch: return "URL scheme does not match the client's transport";
            case http_client_error::busy: return "a request is already in progress";
        }
        return "unknown tradewire.net.http error";
    }
};
}  // namespace detail

inline std::error_code make_error_code(http_client_error e) noexcept {
    return {static_cast<int>(e), tradewire::detail::enum_category<http_client_error, detail::http_client_error_traits>()};
}

}  // namespace tradewire::net

template <>
struct std::is_error_code_enum<tradewire::net::http_client_error> : std::true_type {};

namespace tradewire::net::detail {

// Reads one body. start() with the framing from the head, then feed() bytes until done();
// feed() returns how many bytes it consumed (the rest belongs to the next response).
class http_body_reader {
public:
    static constexpr std::size_t max_trailer_size = 4096;

    void start(http_body_framing framing, std::size_t max_body) noexcept {
        framing_ = framing;
        max_body_ = max_body;
        remaining_ = framing.length;
        state_ = state::size_first;
        size_digits_ = 0;
        trailer_bytes_ = 0;
        done_ = framing.kind == http_body_kind::none || (framing.kind == http_body_kind::length && framing.length == 0);
    }

    bool done() const noexcept { return done_; }

    // Appends body bytes to `body`; sets ec on a framing error or when the body would
    // exceed the limit.
    std::size_t feed(std::string_view in, std::string& body, std::error_code& ec) {
        ec.clear();
        if (done_) return 0;
        switch (framing_.kind) {
            case http_body_kind::none: done_ = true; return 0;
            case http_body_kind::length: {
                if (framing_.length > max_body_) {
                    ec = http_client_error::body_too_large;
                    return 0;
                }
                const std::size_t n = in.size() < remaining_ ? in.size() : static_cast<std::size_t>(remaining_);
                body.append(in.data(), n);
                remaining_ -= n;
                if (remaining_ == 0) done_ = true;
                return n;
            }
            case http_body_kind::until_close:
                if (body.size() + in.size() > max_body_) {
                    ec = http_client_error::body_too_large;
                    return 0;
                }
                body.append(in.data(), in.size());
                return in.size();
            case http_body_kind::chunked: return chunked(in, body, ec);
        }
        return 0;
    }

    // The connection ended: completes an until-close body, fails any other unfinished one.
    std::error_code finish_on_eof() noexcept {
        if (done_) return {};
        if (framing_.kind == http_body_kind::until_close) {
            done_ = true;
            return {};
        }
        return http_client_error::truncated_body;
    }

private:
    enum class state : std::uint8_t {
        size_first,  // the first hex digit of a chunk size
        size,        // more hex digits, ';' or CR
        ext,         // inside a chunk extension, up to CR
        size_lf,     // LF after the size line
        data,        // chunk data
        data_cr,     // CR after chunk data
        data_lf,     // LF after chunk data
        trailer_start,  // a trailer line or the final CRLF
        trailer,     // inside a trailer field line
        trailer_lf,  // LF after a trailer field line
        final_lf,    // LF of the final empty line
    };

    static int hex(char c) noexcept {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
    static bool ctl(char c) noexcept {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\t') || u == 0x7f;
    }

    std::size_t chunked(std::string_view in, std::string& body, std::error_code& ec) {
        std::size_t i = 0;
        while (i < in.size() && !done_) {
            const char c = in[i];
            switch (state_) {
                case state::size_first:
                case state::size: {
                    const int h = hex(c);
                    if (h >= 0) {
                        if (++size_digits_ > 15) return fail(ec, http_client_error::bad_chunk_size);
                        remaining_ = remaining_ * 16 + static_cast<std::uint64_t>(h);
                        state_ = state::size;
                        ++i;
                        break;
                    }
                    if (state_ == state::size_first) return fail(ec, http_client_error::bad_chunk_size);
                    if (c == ';') {
                        state_ = state::ext;
                    } else if (c == '\r') {
                        state_ = state::size_lf;
                    } else {
                        return fail(ec, http_client_error::bad_chunk_size);
                    }
                    ++i;
                    break;
                }
                case state::ext:
                    if (c == '\r') {
                        state_ = state::size_lf;
                    } else if (ctl(c)) {
                        return fail(ec, http_client_error::bad_chunk_extension);
                    }
                    ++i;
                    break;
                case state::size_lf:
                    if (c != '\n') return fail(ec, http_client_error::bad_chunk_line);
                    ++i;
                    if (remaining_ == 0) {
                        state_ = state::trailer_start;
                    } else {
                        if (body.size() + remaining_ > max_body_) return fail(ec, http_client_error::body_too_large);
                        state_ = state::data;
                    }
                    break;
                case state::data: {
                    const std::size_t avail = in.size() - i;
                    const std::size_t n = avail < remaining_ ? avail : static_cast<std::size_t>(remaining_);
                    body.append(in.data() + i, n);
                    i += n;
                    remaining_ -= n;
                    if (remaining_ == 0) state_ = state::data_cr;
                    break;
                }
                case state::data_cr:
                    if (c != '\r') return fail(ec, http_client_error::bad_chunk_line);
                    state_ = state::data_lf;
                    ++i;
                    break;
                case state::data_lf:
                    if (c != '\n') return fail(ec, http_client_error::bad_chunk_line);
                    state_ = state::size_first;
                    size_digits_ = 0;
                    ++i;
                    break;
                case state::trailer_start:
                    if (c == '\r') {
                        state_ = state::final_lf;
                        ++i;
                        break;
                    }
                    if (c == ' ' || c == '\t' || c == ':') return fail(ec, http_client_error::bad_trailer);
                    state_ = state::trailer;
                    [[fallthrough]];
                case state::trailer:
                    if (++trailer_bytes_ > max_trailer_size) return fail(ec, http_client_error::bad_trailer);
                    if (c == '\r') {
                        state_ = state::trailer_lf;
                    } else if (ctl(c)) {
                        return fail(ec, http_client_error::bad_trailer);
                    }
                    ++i;
                    break;
                case state::trailer_lf:
                    if (c != '\n') return fail(ec, http_client_error::bad_chunk_line);
                    state_ = state::trailer_start;
                    ++i;
                    break;
                case state::final_lf:
                    if (c != '\n') return fail(ec, http_client_error::bad_chunk_line);
                    done_ = true;
                    ++i;
                    break;
            }
        }
        return i;
    }

    std::size_t fail(std::error_code& ec, http_client_error e) noexcept {
        ec = e;
        return 0;
    }

    http_body_framing framing_{};
    std::size_t max_body_ = 0;
    std::uint64_t remaining_ = 0;
    std::size_t trailer_bytes_ = 0;
    unsigned size_digits_ = 0;
    state state_ = state::size_first;
    bool done_ = true;
};

}  // namespace tradewire::net::detail
