// The WebSocket opening handshake (RFC 6455 section 4), sans-I/O: builds the client's
// upgrade request and the server's 101 (or error) response into caller buffers, and
// parses and strictly validates the other side's head with the HTTP/1.1 parser from
// core/http.hpp. Nothing here touches a socket; the net layer moves the bytes:
//
//   client: url -> write_request -> send ... receive -> read_response (need_more?) ->
//           result(): status, subprotocol, extensions; received.substr(n) = first frames
//   server: receive -> read_request (need_more?) -> path/query/fields, auth check ->
//           write_accept (101) or write_reject (400/405/426/431) -> send
//
// Both sides also exist as free functions over heads, for callers that parse themselves.
// Errors found here are ws::handshake_error ("tradewire.ws.handshake"); malformed HTTP
// and "need more bytes" come through as tradewire::http_error ("tradewire.http").
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/detail/http_chars.hpp>
#include <tradewire/core/detail/http_writer.hpp>
#include <tradewire/core/error.hpp>
#include <tradewire/core/http.hpp>
#include <tradewire/core/random.hpp>
#include <tradewire/core/url.hpp>
#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/sha1.hpp>
#include <tradewire/ws/detail/handshake_extensions.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace tradewire::ws {

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

enum class handshake_error {
    // The server's response (client side).
    unexpected_status = 1,   // not 101 Switching Protocols; the result carries the status
    bad_http_version,        // not HTTP/1.1 or later
    missing_upgrade,         // no "websocket" token in Upgrade
    missing_connection,      // no "upgrade" token in Connection
    missing_accept,          // no Sec-WebSocket-Accept
    bad_accept,              // Sec-WebSocket-Accept does not match the key
    duplicate_field,         // a field the handshake allows once appears again
    unexpected_subprotocol,  // a subprotocol the client did not offer, or not a single token
    unexpected_extension,    // an extension the client did not offer, repeated, or malformed

    // The client's request (server side).
    bad_method,           // not GET (answered with 405)
    bad_target,           // not an origin-form target ("/path?query")
    missing_host,         // no Host, or an empty one
    missing_version,      // no Sec-WebSocket-Version
    unsupported_version,  // Sec-WebSocket-Version is not 13 (answered with 426)
    missing_key,          // no Sec-WebSocket-Key
    bad_key,              // Sec-WebSocket-Key is not base64 of exactly 16 bytes
    unexpected_body,      // Content-Length (non-zero) or Transfer-Encoding on the upgrade
    bad_subprotocol,      // a subprotocol that is not a token, or offered twice
    bad_extensions,       // malformed Sec-WebSocket-Extensions

    // Local misuse of the builders; nothing usable is written.
    buffer_too_small,         // the output buffer cannot hold the head
    bad_field_name,           // an extra field name that is not a token
    bad_field_value,          // an extra field value with CR, LF or another control byte
    reserved_field,           // an extra field the handshake writes itself
    subprotocol_not_offered,  // the server chose a subprotocol the client did not offer
    extension_not_offered,    // the server accepted an extension the client did not offer
    bad_status,               // an error response status outside 400-599
};

struct handshake_error_traits {
    static constexpr const char* name = "tradewire.ws.handshake";
    static const char* message(handshake_error e) noexcept {
        switch (e) {
            case handshake_error::unexpected_status:
                return "server did not answer 101 Switching Protocols";
            case handshake_error::bad_http_version:
                return "handshake needs HTTP/1.1 or later";
            case handshake_error::missing_upgrade:
                return "missing or wrong Upgrade: websocket";
            case handshake_error::missing_connection:
                return "missing or wrong Connection: Upgrade";
            case handshake_error::missing_accept:
                return "missing Sec-WebSocket-Accept";
            case handshake_error::bad_accept:
                return "Sec-WebSocket-Accept does not match the key";
            case handshake_error::duplicate_field:
                return "handshake header field repeated";
            case handshake_error::unexpected_subprotocol:
                return "server chose a subprotocol that was not offered";
            case handshake_error::unexpected_extension:
                return "server chose an extension that was not offered";
            case handshake_error::bad_method:
                return "WebSocket upgrade must use GET";
            case handshake_error::bad_target:
                return "bad request target for a WebSocket upgrade";
            case handshake_error::missing_host:
                return "missing Host";
            case handshake_error::missing_version:
                return "missing Sec-WebSocket-Version";
            case handshake_error::unsupported_version:
                return "unsupported Sec-WebSocket-Version (13 required)";
            case handshake_error::missing_key:
                return "missing Sec-WebSocket-Key";
            case handshake_error::bad_key:
                return "Sec-WebSocket-Key is not base64 of 16 bytes";
            case handshake_error::unexpected_body:
                return "WebSocket upgrade request with a body";
            case handshake_error::bad_subprotocol:
                return "bad Sec-WebSocket-Protocol";
            case handshake_error::bad_extensions:
                return "bad Sec-WebSocket-Extensions";
            case handshake_error::buffer_too_small:
                return "buffer too small for the handshake head";
            case handshake_error::bad_field_name:
                return "extra header field name is not a token";
            case handshake_error::bad_field_value:
                return "extra header field value has a control character";
            case handshake_error::reserved_field:
                return "extra header field is one the handshake sets itself";
            case handshake_error::subprotocol_not_offered:
                return "chosen subprotocol was not offered by the client";
            case handshake_error::extension_not_offered:
                return "accepted extension was not offered by the client";
            case handshake_error::bad_status:
                return "error response status must be 400-599";
        }
        return "unknown WebSocket handshake error";
    }
};

inline const std::error_category& handshake_category() noexcept {
    return tradewire::detail::enum_category<handshake_error, handshake_error_traits>();
}

inline std::error_code make_error_code(handshake_error e) noexcept {
    return {static_cast<int>(e), handshake_category()};
}

}  // namespace tradewire::ws

template <>
struct std::is_error_code_enum<tradewire::ws::handshake_error> : std::true_type {};

namespace tradewire::ws {

// ---------------------------------------------------------------------------------------
// Key and accept value
// ---------------------------------------------------------------------------------------

// RFC 6455 section 1.3: appended to the key before hashing.
inline constexpr std::string_view handshake_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// Sec-WebSocket-Key: base64 of a 16-byte nonce, 24 characters. Held by value, so it has
// no lifetime to manage.
class handshake_key {
public:
    static constexpr std::size_t nonce_size = 16;
    static constexpr std::size_t size = 24;

    explicit handshake_key(std::span<const std::uint8_t, nonce_size> nonce) noexcept {
        crypto::base64_encode(const_bytes(nonce.data(), nonce.size()), chars_.data());
    }

    // A fresh key from any random_source (RFC 6455 asks for a new random nonce per
    // connection).
    template <random_source Random>
    static handshake_key generate(Random& random) noexcept(noexcept(random.next())) {
        std::array<std::uint8_t, nonce_size> nonce{};
        fill_random(random, nonce);
        return handshake_key(nonce);
    }

    std::string_view view() const noexcept { return {chars_.data(), chars_.size()}; }

private:
    std::array<char, size> chars_{};
};

// Sec-WebSocket-Accept: base64(SHA-1(key + GUID)), 28 characters.
class handshake_accept {
public:
    static constexpr std::size_t size = 28;

    explicit handshake_accept(std::string_view key) noexcept {
        crypto::sha1 h;
        h.update(key);
        h.update(handshake_guid);
        const auto digest = h.finish();
        crypto::base64_encode(const_bytes(digest.data(), digest.size()), chars_.data());
    }

    std::string_view view() const noexcept { return {chars_.data(), chars_.size()}; }

private:
    std::array<char, size> chars_{};
};

// True when key is what RFC 6455 section 4.2.1 asks for: padded base64 of exactly 16 bytes.
inline bool handshake_key_valid(std::string_view key) noexcept {
    if (key.size() != handshake_key::size) return false;
    std::array<std::uint8_t, crypto::base64_decoded_max_size(handshake_key::size)> raw{};
    std::error_code ec;
    const std::size_t n = crypto::base64_decode(key, raw.data(), ec);
    return !ec && n == handshake_key::nonce_size;
}

// ---------------------------------------------------------------------------------------
// Shared details
// ---------------------------------------------------------------------------------------

namespace detail {

// Fields the handshake writes itself or that would change how the bytes after the head
// are framed; an extra field may not repeat them.
inline bool handshake_reserved_field(std::string_view name) noexcept {
    constexpr std::string_view reserved[] = {
        "host",
        "upgrade",
        "connection",
        "sec-websocket-key",
        "sec-websocket-version",
        "sec-websocket-protocol",
        "sec-websocket-extensions",
        "sec-websocket-accept",
        "content-length",
        "content-type",
        "transfer-encoding",
    };
    for (std::string_view r : reserved) {
        if (http_iequals(name, r)) return true;
    }
    return false;
}

inline handshake_error check_extra_fields(std::span<const http_field> fields) noexcept {
    for (const http_field& f : fields) {
        if (!http_is_token(f.name)) return handshake_error::bad_field_name;
        if (!http_is_field_value(f.value)) return handshake_error::bad_field_value;
        if (handshake_reserved_field(f.name)) return handshake_error::reserved_field;
    }
    return {};
}

inline void write_extra_fields(tradewire::detail::http_writer& w,
                               std::span<const http_field> fields) noexcept {
    for (const http_field& f : fields) w.field(f.name, f.value);
}

// Ends a write: buffer_too_small when the writer ran past the end of the buffer.
inline std::size_t finish_write(const tradewire::detail::http_writer& w, std::error_code& ec) noexcept {
    if (w.overflowed()) {
        ec = handshake_error::buffer_too_small;
        return 0;
    }
    ec.clear();
    return w.size();
}

// The single value of a field that may appear at most once: nullptr when absent,
// `duplicate` set when repeated.
template <std::size_t N>
const http_field* single_field(const basic_http_fields<N>& fields, std::string_view name,
                               bool& duplicate) noexcept {
    const http_field* found = nullptr;
    for (const http_field& f : fields) {
        if (!http_iequals(f.name, name)) continue;
        if (found) {
            duplicate = true;
            return found;
        }
        found = &f;
    }
    return found;
}

}  // namespace detail

// ---------------------------------------------------------------------------------------
// Client side
// ---------------------------------------------------------------------------------------

// What the client asks for. Views: the strings must outlive any use of the request.
struct client_request {
    url endpoint;                                      // scheme (default port), host, port, path, query
    std::span<const std::string_view> subprotocols{};  // offered, in preference order; tokens
    std::string_view extensions{};                     // Sec-WebSocket-Extensions offer, e.g.
                                                       // "permessage-deflate; client_max_window_bits"
    std::span<const http_field> extra_fields{};        // e.g. Origin, User-Agent, Authorization
};

// What the server answered. Views into the response head's buffer.
struct client_handshake_result {
    unsigned status = 0;           // the response status, set even when it is not 101
    std::string_view subprotocol;  // chosen by the server; empty when none
    std::string_view extensions;   // accepted by the server (raw field value); empty when none
};

namespace detail {

inline handshake_error check_client_request(const client_request& req, std::string_view key) noexcept {
    if (!handshake_key_valid(key)) return handshake_error::bad_key;
    for (std::size_t i = 0; i < req.subprotocols.size(); ++i) {
        if (!http_is_token(req.subprotocols[i])) return handshake_error::bad_subprotocol;
        for (std::size_t j = 0; j < i; ++j) {
            if (req.subprotocols[j] == req.subprotocols[i]) return handshake_error::bad_subprotocol;
        }
    }
    if (!req.extensions.empty() &&
        (!http_is_field_value(req.extensions) ||
         !ws_for_each_extension(req.extensions, [](auto, auto) { return true; }))) {
        return handshake_error::bad_extensions;
    }
    // The url parser guarantees these; a hand-built url is checked here because it is
    // written straight into the request line and the Host field.
    const url& u = req.endpoint;
    if (u.host.empty() || !http_is_field_value(u.host) ||
        u.host.find_first_of(" []/?#@") != std::string_view::npos) {
        return handshake_error::bad_target;
    }
    if (u.port == 0 || u.path.empty() || u.path.front() != '/') return handshake_error::bad_target;
    for (char c : u.path) {
        if (!tradewire::detail::http_is_target_char(c) || c == '?' || c == '#')
            return handshake_error::bad_target;
    }
    for (char c : u.query) {
        if (!tradewire::detail::http_is_target_char(c) || c == '#') return handshake_error::bad_target;
    }
    return check_extra_fields(req.extra_fields);
}

inline void write_client_request(tradewire::detail::http_writer& w, const client_request& req,
                                 std::string_view key) noexcept {
    const url& u = req.endpoint;
    w.put("GET ");
    w.put(u.path);
    if (!u.query.empty()) {
        w.put("?");
        w.put(u.query);
    }
    w.put(" HTTP/1.1\r\nHost: ");
    if (u.ipv6) w.put("[");
    w.put(u.host);
    if (u.ipv6) w.put("]");
    if (!u.default_port()) {
        w.put(":");
        w.put(std::uint64_t{u.port});
    }
    w.put("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ");
    w.put(key);
    w.put("\r\nSec-WebSocket-Version: 13\r\n");
    if (!req.subprotocols.empty()) {
        w.put("Sec-WebSocket-Protocol: ");
        for (std::size_t i = 0; i < req.subprotocols.size(); ++i) {
            if (i) w.put(", ");
            w.put(req.subprotocols[i]);
        }
        w.put("\r\n");
    }
    if (!req.extensions.empty()) w.field("Sec-WebSocket-Extensions", req.extensions);
    write_extra_fields(w, req.extra_fields);
    w.put("\r\n");
}

}  // namespace detail

// Writes the upgrade request into out and returns its size. Fails (returning 0) with
// bad_key, bad_subprotocol, bad_extensions, bad_target (a hand-built url with bytes that
// would break the request line), bad_field_name, bad_field_value, reserved_field or
// buffer_too_small.
inline std::size_t write_request(const client_request& req, std::string_view key, std::span<char> out,
                                 std::error_code& ec) noexcept {
    if (const handshake_error e = detail::check_client_request(req, key); e != handshake_error{}) {
        ec = e;
        return 0;
    }
    tradewire::detail::http_writer w(out);
    detail::write_client_request(w, req, key);
    return detail::finish_write(w, ec);
}

// The size write_request needs for this request (0 with ec set when it is invalid).
inline std::size_t request_size(const client_request& req, std::string_view key,
                                std::error_code& ec) noexcept {
    if (const handshake_error e = detail::check_client_request(req, key); e != handshake_error{}) {
        ec = e;
        return 0;
    }
    tradewire::detail::http_writer w;
    detail::write_client_request(w, req, key);
    ec.clear();
    return w.size();
}

// Checks the server's response head against the request (RFC 6455 section 4.1, steps
// 1-6 of the client's validation). On a status other than 101 the result still carries
// the status (and ec is unexpected_status), so the caller can report "HTTP 403".
template <std::size_t N>
client_handshake_result validate_response(const basic_http_response_head<N>& head, const client_request& req,
                                          std::string_view key, std::error_code& ec) noexcept {
    client_handshake_result result;
    result.status = head.status;
    auto fail = [&](handshake_error e) {
        ec = e;
        result.subprotocol = {};
        result.extensions = {};
        return result;
    };
    if (head.status != 101) return fail(handshake_error::unexpected_status);
    if (head.version < http_version{1, 1}) return fail(handshake_error::bad_http_version);
    const auto& fields = head.fields;
    if (!fields.has_token("upgrade", "websocket")) return fail(handshake_error::missing_upgrade);
    if (!fields.has_token("connection", "upgrade")) return fail(handshake_error::missing_connection);

    bool duplicate = false;
    const http_field* accept = detail::single_field(fields, "sec-websocket-accept", duplicate);
    if (duplicate) return fail(handshake_error::duplicate_field);
    if (!accept) return fail(handshake_error::missing_accept);
    if (accept->value != handshake_accept(key).view()) return fail(handshake_error::bad_accept);

    const http_field* ext = detail::single_field(fields, "sec-websocket-extensions", duplicate);
    if (duplicate) return fail(handshake_error::duplicate_field);
    if (ext) {
        // Every accepted extension must have been offered, and none may be accepted twice.
        // Loops run over the client's own (short) offer, so a hostile answer costs linear time.
        bool ok = detail::ws_for_each_extension(ext->value, [&](std::string_view name, std::string_view) {
            return detail::ws_extension_count(req.extensions, name) != 0;
        });
        if (ok) {
            detail::ws_for_each_extension(req.extensions, [&](std::string_view name, std::string_view) {
                ok = detail::ws_extension_count(ext->value, name) <= 1;
                return ok;
            });
        }
        if (!ok) return fail(handshake_error::unexpected_extension);
        result.extensions = ext->value;
    }

    const http_field* proto = detail::single_field(fields, "sec-websocket-protocol", duplicate);
    if (duplicate) return fail(handshake_error::duplicate_field);
    if (proto) {
        bool offered = false;
        for (std::string_view p : req.subprotocols) offered = offered || p == proto->value;
        if (!offered) return fail(handshake_error::unexpected_subprotocol);
        result.subprotocol = proto->value;
    }
    ec.clear();
    return result;
}

// The client's half as one object: owns the key and the response parser. The request's
// strings are views and must outlive the object.
//
//   client_handshake hs(req, handshake_key::generate(rng));
//   n = hs.write_request(buffer, ec);                 // send buffer[0, n)
//   n = hs.read_response(received, ec);               // repeat while ec == http_error::need_more
//   hs.result().subprotocol; received.substr(n) holds the first frames, if any
template <std::size_t MaxFields = http_default_max_fields>
class basic_client_handshake {
public:
    using response_head = basic_http_response_head<MaxFields>;

    basic_client_handshake(const client_request& req, const handshake_key& key,
                           const http_limits& limits = {}) noexcept
        : request_(req), key_(key), parser_(limits) {}

    std::size_t write_request(std::span<char> out, std::error_code& ec) const noexcept {
        return ws::write_request(request_, key_.view(), out, ec);
    }
    std::size_t request_size(std::error_code& ec) const noexcept {
        return ws::request_size(request_, key_.view(), ec);
    }

    // Feed every byte received so far (see http_head_parser). Returns the size of the
    // response head once it is complete and valid; the bytes after it are WebSocket
    // frames. Errors: http_error (need_more, malformed head) or handshake_error.
    std::size_t read_response(std::string_view received, std::error_code& ec) noexcept {
        result_ = {};
        const std::size_t n = parser_.parse(received, ec);
        if (ec) return 0;
        result_ = validate_response(parser_.head(), request_, key_.view(), ec);
        return ec ? 0 : n;
    }

    const client_handshake_result& result() const noexcept { return result_; }
    const response_head& response() const noexcept { return parser_.head(); }  // e.g. headers of a 401
    const client_request& request() const noexcept { return request_; }
    std::string_view key() const noexcept { return key_.view(); }

private:
    client_request request_;
    handshake_key key_;
    http_head_parser<response_head> parser_;
    client_handshake_result result_{};
};

using client_handshake = basic_client_handshake<>;

// ---------------------------------------------------------------------------------------
// Server side
// ---------------------------------------------------------------------------------------

// The validated parts of an upgrade request. Views into the request buffer.
struct server_request {
    std::string_view target;  // as received: path plus "?query"
    std::string_view path;    // before the '?'
    std::string_view query;   // after the '?', without it; empty when none
    std::string_view host;    // the Host field
    std::string_view key;     // Sec-WebSocket-Key
};

// Checks an upgrade request (RFC 6455 section 4.2.1). The server layer adds its own
// checks (path, Origin, Authorization) on the head afterwards.
template <std::size_t N>
server_request validate_request(const basic_http_request_head<N>& head, std::error_code& ec) noexcept {
    auto fail = [&](handshake_error e) {
        ec = e;
        return server_request{};
    };
    if (head.method != "GET") return fail(handshake_error::bad_method);
    if (head.version < http_version{1, 1}) return fail(handshake_error::bad_http_version);
    if (head.target.empty() || head.target.front() != '/' ||
        head.target.find('#') != std::string_view::npos) {
        return fail(handshake_error::bad_target);
    }
    const auto& fields = head.fields;
    bool duplicate = false;
    const http_field* host = detail::single_field(fields, "host", duplicate);
    if (duplicate) return fail(handshake_error::duplicate_field);
    if (!host || host->value.empty()) return fail(handshake_error::missing_host);
    if (!fields.has_token("upgrade", "websocket")) return fail(handshake_error::missing_upgrade);
    if (!fields.has_token("connection", "upgrade")) return fail(handshake_error::missing_connection);

    const http_field* version = detail::single_field(fields, "sec-websocket-version", duplicate);
    if (duplicate) return fail(handshake_error::duplicate_field);
    if (!version) return fail(handshake_error::missing_version);
    if (version->value != "13") return fail(handshake_error::unsupported_version);

    const http_field* key = detail::single_field(fields, "sec-websocket-key", duplicate);
    if (duplicate) return fail(handshake_error::duplicate_field);
    if (!key) return fail(handshake_error::missing_key);
    if (!handshake_key_valid(key->value)) return fail(handshake_error::bad_key);

    // Bytes after the head are frames; a body would be read as garbage frames.
    std::error_code framing_ec;
    const http_body_framing body = http_request_body(head, framing_ec);
    if (framing_ec ||
        !(body.kind == http_body_kind::none || (body.kind == http_body_kind::length && body.length == 0))) {
        return fail(handshake_error::unexpected_body);
    }

    // Offered subprotocols are tokens; offered extensions are well-formed. (Uniqueness of
    // the offer is the client's duty, RFC 6455 section 4.1; checking it would cost
    // quadratic time on hostile input.)
    const bool protocols_ok = fields.for_each_element("sec-websocket-protocol",
                                                      [](std::string_view p) { return http_is_token(p); });
    if (!protocols_ok) return fail(handshake_error::bad_subprotocol);
    for (const http_field& f : fields) {
        if (http_iequals(f.name, "sec-websocket-extensions") &&
            !detail::ws_for_each_extension(f.value, [](auto, auto) { return true; })) {
            return fail(handshake_error::bad_extensions);
        }
    }

    server_request r;
    r.target = head.target;
    const std::size_t q = head.target.find('?');
    r.path = head.target.substr(0, q);
    if (q != std::string_view::npos) r.query = head.target.substr(q + 1);
    r.host = host->value;
    r.key = key->value;
    ec.clear();
    return r;
}

// True when the request offers this subprotocol (exact, case-sensitive comparison).
template <std::size_t N>
bool offers_subprotocol(const basic_http_request_head<N>& head, std::string_view protocol) noexcept {
    return !head.fields.for_each_element("sec-websocket-protocol",
                                         [&](std::string_view p) { return p != protocol; });
}

// The first of the server's supported subprotocols (in its preference order) that the
// client offers; empty when none. The view points into `supported`.
template <std::size_t N>
std::string_view select_subprotocol(const basic_http_request_head<N>& head,
                                    std::span<const std::string_view> supported) noexcept {
    for (std::string_view s : supported) {
        if (!s.empty() && offers_subprotocol(head, s)) return s;
    }
    return {};
}

// Calls f(name, element) for each offered extension, element being the whole offer with
// its parameters (e.g. name "permessage-deflate", element
// "permessage-deflate; client_max_window_bits"). f returns false to stop.
template <std::size_t N, class F>
void for_each_offered_extension(const basic_http_request_head<N>& head, F&& f) {
    bool go_on = true;
    for (const http_field& field : head.fields) {
        if (!go_on) return;
        if (!http_iequals(field.name, "sec-websocket-extensions")) continue;
        detail::ws_for_each_extension(field.value, [&](std::string_view name, std::string_view element) {
            go_on = static_cast<bool>(f(name, element));
            return go_on;
        });
    }
}

// What the server answers with when it accepts.
struct accept_options {
    std::string_view subprotocol{};              // one of the offered ones, or empty
    std::string_view extensions{};               // accepted extensions with their parameters
    std::span<const http_field> extra_fields{};  // e.g. Set-Cookie, Server
};

namespace detail {

template <std::size_t N>
handshake_error check_accept(const basic_http_request_head<N>& request, const accept_options& opt) noexcept {
    if (!opt.subprotocol.empty()) {
        if (!http_is_token(opt.subprotocol)) return handshake_error::bad_subprotocol;
        if (!offers_subprotocol(request, opt.subprotocol)) return handshake_error::subprotocol_not_offered;
    }
    if (!opt.extensions.empty()) {
        if (!http_is_field_value(opt.extensions)) return handshake_error::bad_extensions;
        if (!ws_for_each_extension(opt.extensions, [](auto, auto) { return true; })) {
            return handshake_error::bad_extensions;
        }
        bool offered_all = true;
        ws_for_each_extension(opt.extensions, [&](std::string_view name, std::string_view) {
            bool offered = false;
            for_each_offered_extension(request, [&](std::string_view n, std::string_view) {
                offered = http_iequals(n, name);
                return !offered;
            });
            offered_all = offered;
            return offered;
        });
        if (!offered_all) return handshake_error::extension_not_offered;
    }
    return check_extra_fields(opt.extra_fields);
}

}  // namespace detail

// Writes "101 Switching Protocols" for a request that passed validate_request. Fails
// with bad_key (request not validated), bad_subprotocol, subprotocol_not_offered,
// bad_extensions, extension_not_offered, bad_field_name, bad_field_value, reserved_field
// or buffer_too_small.
template <std::size_t N>
std::size_t write_accept(const basic_http_request_head<N>& request, const accept_options& opt,
                         std::span<char> out, std::error_code& ec) noexcept {
    bool duplicate = false;
    const http_field* key = detail::single_field(request.fields, "sec-websocket-key", duplicate);
    if (!key || duplicate || !handshake_key_valid(key->value)) {
        ec = handshake_error::bad_key;
        return 0;
    }
    if (const handshake_error e = detail::check_accept(request, opt); e != handshake_error{}) {
        ec = e;
        return 0;
    }
    tradewire::detail::http_writer w(out);
    w.put("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
    w.field("Sec-WebSocket-Accept", handshake_accept(key->value).view());
    if (!opt.subprotocol.empty()) w.field("Sec-WebSocket-Protocol", opt.subprotocol);
    if (!opt.extensions.empty()) w.field("Sec-WebSocket-Extensions", opt.extensions);
    detail::write_extra_fields(w, opt.extra_fields);
    w.put("\r\n");
    return detail::finish_write(w, ec);
}

// Reason phrase for the statuses a handshake answers with (empty for others, which
// HTTP/1.1 allows).
constexpr std::string_view http_reason_phrase(unsigned status) noexcept {
    switch (status) {
        case 101:
            return "Switching Protocols";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 426:
            return "Upgrade Required";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "";
    }
}

// Writes an error response with a plain-text body and Content-Length, closing the
// connection: for a server layer's own refusals (401 for a bad bearer token, 404 for an
// unknown path, ...). 426 adds Sec-WebSocket-Version: 13 and 405 adds Allow: GET.
inline std::size_t write_error_response(unsigned status, std::string_view body,
                                        std::span<const http_field> extra_fields, std::span<char> out,
                                        std::error_code& ec) noexcept {
    if (status < 400 || status > 599) {
        ec = handshake_error::bad_status;
        return 0;
    }
    if (const handshake_error e = detail::check_extra_fields(extra_fields); e != handshake_error{}) {
        ec = e;
        return 0;
    }
    tradewire::detail::http_writer w(out);
    w.put("HTTP/1.1 ");
    w.put(std::uint64_t{status});
    w.put(" ");
    w.put(http_reason_phrase(status));
    w.put("\r\n");
    if (status == 426) w.put("Sec-WebSocket-Version: 13\r\n");
    if (status == 405) w.put("Allow: GET\r\n");
    w.put("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ");
    w.put(std::uint64_t{body.size()});
    w.put("\r\nConnection: close\r\n");
    detail::write_extra_fields(w, extra_fields);
    w.put("\r\n");
    w.put(body);
    return detail::finish_write(w, ec);
}

// The status a server answers a failed upgrade with: 426 for an unsupported version, 405
// for a method other than GET, 431 for a head over the limits, 400 for the rest.
inline unsigned reject_status(std::error_code reason) noexcept {
    if (reason == handshake_error::unsupported_version) return 426;
    if (reason == handshake_error::bad_method) return 405;
    if (reason == http_error::head_too_large || reason == http_error::too_many_fields) return 431;
    return 400;
}

// Writes the answer to a request that failed read_request/validate_request with reason;
// the body names the problem ("missing Sec-WebSocket-Key\n"). No allocation: the text
// comes from tradewire's own categories, and other categories get a generic body.
inline std::size_t write_reject(std::error_code reason, std::span<char> out, std::error_code& ec) noexcept {
    const char* text = "bad WebSocket upgrade request";
    if (reason.category() == handshake_category()) {
        text = handshake_error_traits::message(static_cast<handshake_error>(reason.value()));
    } else if (reason.category() == make_error_code(http_error::need_more).category()) {
        text = http_error_traits::message(static_cast<http_error>(reason.value()));
    }
    std::array<char, 128> body{};
    const std::string_view t(text);
    const std::size_t n = t.size() < body.size() - 1 ? t.size() : body.size() - 1;
    t.copy(body.data(), n);
    body[n] = '\n';
    return write_error_response(reject_status(reason), std::string_view(body.data(), n + 1), {}, out, ec);
}

// The server's half as one object: owns the request parser.
//
//   server_handshake hs;
//   n = hs.read_request(received, ec);           // repeat while ec == http_error::need_more
//   if (ec) { m = hs.write_reject(ec, out, ec2); send; close; }
//   check hs.request().path, hs.field("authorization"), ...
//   m = hs.write_accept({.subprotocol = hs.select_subprotocol(mine)}, out, ec); send
//   received.substr(n) holds the client's first frames, if any
template <std::size_t MaxFields = http_default_max_fields>
class basic_server_handshake {
public:
    using request_head = basic_http_request_head<MaxFields>;

    basic_server_handshake() noexcept = default;
    explicit basic_server_handshake(const http_limits& limits) noexcept : parser_(limits) {}

    // Feed every byte received so far (see http_head_parser). Returns the size of the
    // request head once complete and valid. Errors: http_error (need_more, malformed
    // head) or handshake_error; either can be passed to write_reject.
    std::size_t read_request(std::string_view received, std::error_code& ec) noexcept {
        request_ = {};
        const std::size_t n = parser_.parse(received, ec);
        if (ec) return 0;
        request_ = validate_request(parser_.head(), ec);
        return ec ? 0 : n;
    }

    const server_request& request() const noexcept { return request_; }
    const request_head& head() const noexcept { return parser_.head(); }
    // The first value of any field, e.g. "authorization"; empty when absent.
    std::string_view field(std::string_view name) const noexcept { return parser_.head().fields.value(name); }

    bool offers_subprotocol(std::string_view protocol) const noexcept {
        return ws::offers_subprotocol(parser_.head(), protocol);
    }
    std::string_view select_subprotocol(std::span<const std::string_view> supported) const noexcept {
        return ws::select_subprotocol(parser_.head(), supported);
    }
    template <class F>
    void for_each_subprotocol(F&& f) const {
        parser_.head().fields.for_each_element("sec-websocket-protocol", f);
    }
    template <class F>
    void for_each_extension(F&& f) const {
        for_each_offered_extension(parser_.head(), f);
    }

    std::size_t write_accept(const accept_options& opt, std::span<char> out,
                             std::error_code& ec) const noexcept {
        return ws::write_accept(parser_.head(), opt, out, ec);
    }
    static std::size_t write_reject(std::error_code reason, std::span<char> out,
                                    std::error_code& ec) noexcept {
        return ws::write_reject(reason, out, ec);
    }

    void reset() noexcept {
        parser_.reset();
        request_ = {};
    }

private:
    http_head_parser<request_head> parser_{};
    server_request request_{};
};

using server_handshake = basic_server_handshake<>;

}  // namespace tradewire::ws
