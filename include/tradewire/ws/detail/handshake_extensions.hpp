// Syntax of Sec-WebSocket-Extensions (RFC 6455 section 9.1), enough to validate offers
// and answers and to compare extension names; the meaning of the parameters belongs to
// each extension (permessage-deflate reads its own).
//
//   extension-list = 1#extension
//   extension      = extension-token *( ";" extension-param )
//   extension-param = token [ "=" ( token / quoted-string ) ]
//
// with optional whitespace around ";" and "=".
#pragma once

#include <tradewire/core/detail/http_chars.hpp>

#include <cstddef>
#include <string_view>

namespace tradewire::ws::detail {

// A quoted-string (RFC 9110 section 5.6.4) starting at s[i] == '"'. Advances i past the
// closing quote; false when unterminated or holding a control byte.
constexpr bool ws_skip_quoted_string(std::string_view s, std::size_t& i) noexcept {
    for (++i; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"') {
            ++i;
            return true;
        }
        if (c == '\\') {
            if (++i == s.size()) return false;
        }
        if (!tradewire::detail::http_is_field_char(s[i])) return false;
    }
    return false;
}

// Validates one list element (already trimmed, non-empty) and returns its name.
constexpr bool ws_parse_extension(std::string_view element, std::string_view& name) noexcept {
    using tradewire::detail::http_is_ows;
    using tradewire::detail::http_is_tchar;
    std::size_t i = 0;
    auto skip_ows = [&] {
        while (i < element.size() && http_is_ows(element[i])) ++i;
    };
    auto token = [&] {
        const std::size_t start = i;
        while (i < element.size() && http_is_tchar(element[i])) ++i;
        return element.substr(start, i - start);
    };
    name = token();
    if (name.empty()) return false;
    skip_ows();
    while (i < element.size()) {
        if (element[i] != ';') return false;
        ++i;
        skip_ows();
        if (token().empty()) return false;
        skip_ows();
        if (i < element.size() && element[i] == '=') {
            ++i;
            skip_ows();
            if (i < element.size() && element[i] == '"') {
                if (!ws_skip_quoted_string(element, i)) return false;
            } else if (token().empty()) {
                return false;
            }
            skip_ows();
        }
    }
    return true;
}

// Calls f(name, element) for every extension of a list; false when the list is empty or
// malformed (f is not called past the first bad element) or when f returns false.
template <class F>
constexpr bool ws_for_each_extension(std::string_view list, F&& f) {
    bool any = false;
    bool ok = true;
    const bool completed = tradewire::detail::http_for_each_list_element(list, [&](std::string_view element) {
        std::string_view name;
        if (!ws_parse_extension(element, name)) {
            ok = false;
            return false;
        }
        any = true;
        return static_cast<bool>(f(name, element));
    });
    return completed && ok && any;
}

// How many extensions of a list have this name (ASCII case-insensitive); 0 for a
// malformed list.
constexpr std::size_t ws_extension_count(std::string_view list, std::string_view name) noexcept {
    std::size_t n = 0;
    ws_for_each_extension(list, [&](std::string_view e, std::string_view) {
        n += tradewire::detail::ascii_iequals(e, name) ? 1 : 0;
        return true;
    });
    return n;
}

}  // namespace tradewire::ws::detail
