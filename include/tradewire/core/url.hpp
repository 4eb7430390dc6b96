// Splits ws://, wss://, http:// and https:// URLs (RFC 3986 syntax, the subset a client
// dials) into scheme, host, port and request target, without copying: the parts are
// string_views into the caller's text. The WebSocket handshake writes its request line
// and Host header from it; the net layer resolves and dials host:port and uses the host
// for SNI and certificate checks.
//
// Refused rather than guessed: userinfo (credentials in URLs end up in logs), fragments
// (never sent on the wire), empty, zero or out-of-range ports, whitespace, raw non-ASCII,
// malformed percent escapes, IPv6 zone identifiers and anything but the four schemes.
#pragma once

#include <tradewire/core/detail/http_chars.hpp>
#include <tradewire/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace tradewire {

enum class url_error {
    bad_scheme = 1,        // no "scheme://" prefix
    unsupported_scheme,    // a scheme other than ws, wss, http, https
    userinfo_not_allowed,  // "user@host"
    bad_host,              // empty or malformed host or IPv6 literal
    bad_port,              // empty, zero, non-numeric or above 65535
    bad_path,              // a byte not allowed in a path, or a bad percent escape
    bad_query,             // a byte not allowed in a query, or a bad percent escape
    fragment_not_allowed,  // "#..."
};

struct url_error_traits {
    static constexpr const char* name = "tradewire.url";
    static const char* message(url_error e) noexcept {
        switch (e) {
            case url_error::bad_scheme:
                return "URL does not start with scheme://";
            case url_error::unsupported_scheme:
                return "unsupported URL scheme (ws, wss, http, https)";
            case url_error::userinfo_not_allowed:
                return "credentials in URLs are not accepted";
            case url_error::bad_host:
                return "bad host in URL";
            case url_error::bad_port:
                return "bad port in URL";
            case url_error::bad_path:
                return "bad path in URL";
            case url_error::bad_query:
                return "bad query in URL";
            case url_error::fragment_not_allowed:
                return "URL fragments are not accepted";
        }
        return "unknown URL error";
    }
};

inline std::error_code make_error_code(url_error e) noexcept {
    return {static_cast<int>(e), detail::enum_category<url_error, url_error_traits>()};
}

}  // namespace tradewire

template <>
struct std::is_error_code_enum<tradewire::url_error> : std::true_type {};

namespace tradewire {

enum class url_scheme { ws, wss, http, https };

constexpr bool url_scheme_secure(url_scheme s) noexcept {
    return s == url_scheme::wss || s == url_scheme::https;
}

constexpr std::uint16_t url_default_port(url_scheme s) noexcept {
    return url_scheme_secure(s) ? 443 : 80;
}

constexpr std::string_view url_scheme_name(url_scheme s) noexcept {
    switch (s) {
        case url_scheme::ws:
            return "ws";
        case url_scheme::wss:
            return "wss";
        case url_scheme::http:
            return "http";
        case url_scheme::https:
            return "https";
    }
    return "ws";
}

struct url {
    url_scheme scheme = url_scheme::ws;
    std::string_view host;        // IPv6 literals without their brackets (as resolvers want them)
    bool ipv6 = false;            // host is an IPv6 literal: bracket it in a Host header
    std::uint16_t port = 80;      // the explicit port, or the scheme's default
    std::string_view path = "/";  // never empty; "/" when the URL has none
    std::string_view query;       // after the '?', without it; empty when absent (or empty)

    bool secure() const noexcept { return url_scheme_secure(scheme); }
    bool default_port() const noexcept { return port == url_default_port(scheme); }
};

namespace detail {

constexpr bool url_is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool url_is_hex(char c) noexcept {
    return http_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool url_is_unreserved(char c) noexcept {
    return url_is_alpha(c) || http_is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
constexpr bool url_is_sub_delim(char c) noexcept {
    return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos;
}
// pchar without pct-encoded (handled by the caller)
constexpr bool url_is_pchar(char c) noexcept {
    return url_is_unreserved(c) || url_is_sub_delim(c) || c == ':' || c == '@';
}

// path-abempty or query characters, percent escapes checked.
constexpr bool url_check_chars(std::string_view s, bool query) noexcept {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size() || !url_is_hex(s[i + 1]) || !url_is_hex(s[i + 2])) return false;
            i += 2;
        } else if (!(url_is_pchar(c) || c == '/' || (query && c == '?'))) {
            return false;
        }
    }
    return true;
}

// A plain host name or IPv4 address: unreserved characters only (no percent escapes or
// sub-delims, which have no place in DNS names, SNI or certificates).
constexpr bool url_check_reg_name(std::string_view s) noexcept {
    if (s.empty() || s.size() > 253) return false;
    for (char c : s) {
        if (!url_is_unreserved(c)) return false;
    }
    return true;
}

constexpr bool url_check_ipv4(std::string_view s) noexcept {
    int parts = 0;
    std::size_t i = 0;
    while (true) {
        std::size_t digits = 0;
        unsigned v = 0;
        while (i < s.size() && http_is_digit(s[i]) && digits < 4) {
            v = v * 10 + static_cast<unsigned>(s[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s[i - digits] == '0')) return false;
        ++parts;
        if (i == s.size()) return parts == 4;
        if (s[i] != '.' || parts == 4) return false;
        ++i;
    }
}

// RFC 3986 IPv6address: up to eight 16-bit groups, at most one "::", optionally ending
// in a dotted IPv4 address that counts as two groups.
constexpr bool url_check_ipv6(std::string_view s) noexcept {
    if (s.size() < 2 || s.size() > 45) return false;
    int groups = 0;
    bool compressed = false;
    std::size_t i = 0;
    if (s.substr(0, 2) == "::") {
        compressed = true;
        i = 2;
        if (i == s.size()) return true;
    } else if (s[0] == ':') {
        return false;
    }
    while (i < s.size()) {
        std::size_t j = i;
        while (j < s.size() && url_is_hex(s[j]) && j - i < 5) ++j;
        if (j < s.size() && s[j] == '.') {  // trailing IPv4
            if (!url_check_ipv4(s.substr(i))) return false;
            groups += 2;
            i = s.size();
            break;
        }
        if (j == i || j - i > 4) return false;
        ++groups;
        i = j;
        if (i == s.size()) break;
        if (s[i] != ':') return false;
        ++i;
        if (i < s.size() && s[i] == ':') {
            if (compressed) return false;
            compressed = true;
            ++i;
            if (i == s.size()) break;
        } else if (i == s.size()) {
            return false;  // a single trailing ':'
        }
    }
    return compressed ? groups <= 7 : groups == 8;
}

}  // namespace detail

// Splits text into a url. On error returns a default url and sets ec.
inline url parse_url(std::string_view text, std::error_code& ec) noexcept {
    ec.clear();
    auto fail = [&](url_error e) {
        ec = e;
        return url{};
    };
    url u;
    const std::size_t sep = text.find("://");
    if (sep == std::string_view::npos || sep == 0) return fail(url_error::bad_scheme);
    const std::string_view scheme = text.substr(0, sep);
    if (detail::ascii_iequals(scheme, "ws")) {
        u.scheme = url_scheme::ws;
    } else if (detail::ascii_iequals(scheme, "wss")) {
        u.scheme = url_scheme::wss;
    } else if (detail::ascii_iequals(scheme, "http")) {
        u.scheme = url_scheme::http;
    } else if (detail::ascii_iequals(scheme, "https")) {
        u.scheme = url_scheme::https;
    } else {
        for (char c : scheme) {
            if (!(detail::url_is_alpha(c) || detail::http_is_digit(c) || c == '+' || c == '-' || c == '.')) {
                return fail(url_error::bad_scheme);
            }
        }
        return fail(url_error::unsupported_scheme);
    }
    std::string_view rest = text.substr(sep + 3);

    // authority = [ userinfo "@" ] host [ ":" port ], ended by '/', '?' or '#'
    const std::size_t auth_end = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, auth_end);
    rest = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
    if (authority.find('@') != std::string_view::npos) return fail(url_error::userinfo_not_allowed);

    std::string_view port_text;
    bool has_port = false;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return fail(url_error::bad_host);
        u.host = authority.substr(1, close - 1);
        u.ipv6 = true;
        if (!detail::url_check_ipv6(u.host)) return fail(url_error::bad_host);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail(url_error::bad_host);
            has_port = true;
            port_text = after.substr(1);
        }
    } else {
        const std::size_t colon = authority.find(':');
        u.host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            has_port = true;
            port_text = authority.substr(colon + 1);
        }
        if (!detail::url_check_reg_name(u.host)) return fail(url_error::bad_host);
    }
    u.port = url_default_port(u.scheme);
    if (has_port) {
        if (port_text.empty() || port_text.size() > 5) return fail(url_error::bad_port);
        unsigned v = 0;
        for (char c : port_text) {
            if (!detail::http_is_digit(c)) return fail(url_error::bad_port);
            v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (v == 0 || v > 65535) return fail(url_error::bad_port);
        u.port = static_cast<std::uint16_t>(v);
    }

    if (rest.find('#') != std::string_view::npos) return fail(url_error::fragment_not_allowed);
    const std::size_t q = rest.find('?');
    const std::string_view path = rest.substr(0, q);
    if (q != std::string_view::npos) u.query = rest.substr(q + 1);
    if (!detail::url_check_chars(path, false)) return fail(url_error::bad_path);
    if (!detail::url_check_chars(u.query, true)) return fail(url_error::bad_query);
    if (!path.empty()) u.path = path;
    return u;
}

}  // namespace tradewire
