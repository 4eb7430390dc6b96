// Character classes and small text helpers for the HTTP/1.1 head parser and writers
// (RFC 9110 section 5.6, RFC 9112 section 2). ASCII only: HTTP names are ASCII and
// case folding must not depend on the C locale.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace tradewire::detail {

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
//       / DIGIT / ALPHA
inline constexpr std::array<bool, 256> http_tchar_table = [] {
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = true;
    for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
    return t;
}();

constexpr bool http_is_tchar(char c) noexcept {
    return http_tchar_table[static_cast<unsigned char>(c)];
}

constexpr bool http_is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

constexpr bool http_is_ows(char c) noexcept {
    return c == ' ' || c == '\t';
}

// field-vchar / SP / HTAB, with obs-text (0x80-0xFF) allowed because real servers send
// UTF-8 in values. Rejects NUL, the other controls and DEL.
constexpr bool http_is_field_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
}

// request-target characters: visible ASCII only (no spaces, controls or raw UTF-8).
constexpr bool http_is_target_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
}

constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

constexpr std::string_view http_trim_ows(std::string_view s) noexcept {
    while (!s.empty() && http_is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && http_is_ows(s.back())) s.remove_suffix(1);
    return s;
}

constexpr bool http_is_token(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s) {
        if (!http_is_tchar(c)) return false;
    }
    return true;
}

// Calls f(element) for each non-empty element of a comma-separated list (RFC 9110
// section 5.6.1), OWS-trimmed. Commas inside quoted strings do not split, so extension
// parameters such as `x; y="a,b"` stay whole. f returns false to stop early; the
// function returns false when f stopped it.
template <class F>
constexpr bool http_for_each_list_element(std::string_view list, F&& f) {
    std::size_t start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i <= list.size(); ++i) {
        if (i < list.size()) {
            const char c = list[i];
            if (quoted) {
                if (c == '\\') {
                    if (i + 1 < list.size()) ++i;  // quoted-pair: the next byte is literal
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
                continue;
            }
            if (c != ',') continue;
        }
        const std::string_view element = http_trim_ows(list.substr(start, i - start));
        if (!element.empty() && !f(element)) return false;
        start = i + 1;
    }
    return true;
}

// The part of a list element before its first ';' (an extension or transfer-coding name).
constexpr std::string_view http_element_name(std::string_view element) noexcept {
    const std::size_t semi = element.find(';');
    return http_trim_ows(semi == std::string_view::npos ? element : element.substr(0, semi));
}

}  // namespace tradewire::detail
