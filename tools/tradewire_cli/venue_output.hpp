// Shared plumbing of the `decode` and `book` commands: venue selection, the input line
// format (a text frame as is, a binary frame as "b64:<base64>"), and JSON output of
// events with exact, shortest-form decimals and properly escaped strings.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/detail/json_chars.hpp>
#include <tradewire/crypto/base64.hpp>
#include <tradewire/exchange.hpp>
#include <tradewire/market/events.hpp>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "cli.hpp"

namespace tradewire::cli {

// The venues whose decoders the CLI offers.
inline std::optional<market::venue> decodable_venue(std::string_view name) {
    const auto v = market::parse_venue(name);
    if (!v) return std::nullopt;
    switch (*v) {
        case market::venue::binance:
        case market::venue::okx:
        case market::venue::bybit: return v;
        default: return std::nullopt;
    }
}

inline market::venue venue_argument(std::string_view name) {
    const auto v = decodable_venue(name);
    if (!v) throw usage_error{"unknown venue '" + std::string(name) + "' (expected binance, okx or bybit)"};
    return *v;
}

// Calls f(decoder) with a fresh decoder of the venue's type.
template <class F>
void with_decoder(market::venue v, F&& f) {
    switch (v) {
        case market::venue::binance: {
            exchange::binance::decoder d;
            f(d);
            return;
        }
        case market::venue::okx: {
            exchange::okx::decoder d;
            f(d);
            return;
        }
        case market::venue::bybit: {
            exchange::bybit::decoder d;
            f(d);
            return;
        }
        default: return;
    }
}

// One input line -> the payload bytes to decode (in `payload`), or an error message.
// "b64:" introduces a binary frame; anything else is a text frame as is.
inline bool line_payload(std::string& line, std::string& payload, std::string& error) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    constexpr std::string_view prefix = "b64:";
    if (std::string_view(line).substr(0, prefix.size()) != prefix) {
        payload.swap(line);
        return true;
    }
    const std::string_view text = std::string_view(line).substr(prefix.size());
    payload.assign(crypto::base64_decoded_max_size(text.size()), '\0');
    std::error_code ec;
    const std::size_t n = crypto::base64_decode(text, reinterpret_cast<std::uint8_t*>(payload.data()), ec);
    if (ec) {
        error = "invalid base64 payload: " + ec.message();
        return false;
    }
    payload.resize(n);
    return true;
}

// ---------------------------------------------------------------------------- JSON output

inline void put_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
            ++i;
        } else if (c < 0x20) {
            switch (c) {
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                case '\b': out += "\\b"; break;
                case '\f': out += "\\f"; break;
                default:
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
            }
            ++i;
        } else if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
        } else {
            // Valid UTF-8 passes through; a stray byte becomes U+FFFD so the line stays JSON.
            const std::size_t n = tradewire::detail::utf8_sequence_length(s.data() + i, s.data() + s.size());
            if (n == 0) {
                out += "\\ufffd";
                ++i;
            } else {
                out.append(s.data() + i, n);
                i += n;
            }
        }
    }
    out += '"';
}

inline void put_decimal(std::string& out, const decimal& d) {
    char buf[decimal::max_chars];
    out += '"';
    out.append(buf, d.format(buf, sizeof buf));
    out += '"';
}

inline void put_int(std::string& out, std::int64_t v) { out += std::to_string(v); }

inline void put_ms(std::string& out, std::optional<market::timestamp> t) {
    if (t) put_int(out, market::to_unix_ms(*t));
    else out += "null";
}

inline void put_levels(std::string& out, std::span<const market::book_level> levels) {
    out += '[';
    for (std::size_t i = 0; i < levels.size(); ++i) {
        if (i) out += ',';
        out += '[';
        put_decimal(out, levels[i].price);
        out += ',';
        put_decimal(out, levels[i].quantity);
        out += ']';
    }
    out += ']';
}

// `"type":"<type>","exchange":"<venue>"` after the opening brace.
inline void put_head(std::string& out, std::string_view type, market::venue v) {
    out += R"({"type":")";
    out += type;
    out += R"(","exchange":")";
    out += market::to_string(v);
    out += '"';
}

// The symbol as canonical text; a venue instrument without a BASE-QUOTE form (an OKX
// derivative) prints as the venue's own text; no symbol at all prints null.
inline void put_symbol(std::string& out, const symbol& s, std::string_view native) {
    out += R"(,"symbol":)";
    if (!s.empty()) put_json_string(out, s.str());
    else if (!native.empty()) put_json_string(out, native);
    else out += "null";
}

// The book sequence shown as "seq": the venue's last update id where it has one
// (Binance u / lastUpdateId, Bybit u), else its sequence number (OKX seqId).
inline std::optional<std::int64_t> shown_seq(const market::book_sequence& s) {
    if (s.last_update_id) return s.last_update_id;
    return s.seq;
}

inline void put_optional_int(std::string& out, std::optional<std::int64_t> v) {
    if (v) put_int(out, *v);
    else out += "null";
}

// The interval in venue-neutral text ("1m", "4h", "1d", "1w", "1M").
inline void put_interval(std::string& out, market::kline_interval iv) {
    char buf[16];
    const std::size_t n = exchange::detail::interval_text(iv, buf);
    out += '"';
    out.append(buf, n);
    out += '"';
}

inline void write_line(std::string& line) {
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    line.clear();
}

}  // namespace tradewire::cli
