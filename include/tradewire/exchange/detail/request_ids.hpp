// Request-id checks and writers shared by the venue builders. Ids end up inside JSON
// strings, so only characters that need no escaping are accepted.
#pragma once

#include <tradewire/exchange/detail/writer.hpp>
#include <tradewire/exchange/exchange.hpp>

#include <cstddef>
#include <string_view>

namespace tradewire::exchange::detail {

constexpr bool is_alnum(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// 1..max_size characters, letters and digits, plus '-' and '_' when `dash_underscore`.
constexpr bool id_text_ok(std::string_view t, std::size_t max_size, bool dash_underscore) noexcept {
    if (t.empty() || t.size() > max_size) return false;
    for (const char c : t) {
        if (is_alnum(c)) continue;
        if (dash_underscore && (c == '-' || c == '_')) continue;
        return false;
    }
    return true;
}

// Writes the id as a JSON string: numbers as their decimal digits.
inline void put_id_string(text_writer& w, const request_id& id) noexcept {
    w.put('"');
    if (id.is_number()) w.put_int(id.number());
    else w.put(id.text());
    w.put('"');
}

// Checks an id that a venue wants as a string of [A-Za-z0-9] (plus -_ when allowed);
// an empty id is fine (the field is left out).
inline bool string_id_ok(const request_id& id, std::size_t max_size, bool dash_underscore) noexcept {
    if (id.empty()) return true;
    if (id.is_number()) {
        if (id.number() < 0) return dash_underscore && max_size >= 20;
        return true;  // at most 19 digits
    }
    return !id.too_long() && id_text_ok(id.text(), max_size, dash_underscore);
}

// Lower-cases ASCII letters in place.
inline void ascii_lower(char* p, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
        if (p[i] >= 'A' && p[i] <= 'Z') p[i] = static_cast<char>(p[i] - 'A' + 'a');
}

// Finishes a builder: the size, or 0 with ec set when the message did not fit.
inline std::size_t finish(const text_writer& w, std::error_code& ec) noexcept {
    if (w.overflowed()) {
        ec = error::buffer_too_small;
        return 0;
    }
    ec.clear();
    return w.size();
}

}  // namespace tradewire::exchange::detail
