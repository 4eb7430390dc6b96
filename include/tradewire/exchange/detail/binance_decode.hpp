// The field bag binance::decoder fills in one pass over a payload, before it knows the
// message type (Binance's `e` usually comes first, but bookTicker and partial depth have
// none, and key order is not promised), plus the static reasons naming each field.
#pragma once

#include <tradewire/core/json.hpp>

#include <cstdint>
#include <string_view>

namespace tradewire::exchange::binance::detail {

// Presence bits of the top-level fields.
inline constexpr std::uint32_t has_e = 1u << 0;
inline constexpr std::uint32_t has_E = 1u << 1;
inline constexpr std::uint32_t has_s = 1u << 2;
inline constexpr std::uint32_t has_t = 1u << 3;
inline constexpr std::uint32_t has_p = 1u << 4;
inline constexpr std::uint32_t has_q = 1u << 5;
inline constexpr std::uint32_t has_T = 1u << 6;
inline constexpr std::uint32_t has_m = 1u << 7;
inline constexpr std::uint32_t has_a_id = 1u << 8;      // aggTrade id (number)
inline constexpr std::uint32_t has_a_px = 1u << 9;      // bookTicker ask price (string)
inline constexpr std::uint32_t has_a_levels = 1u << 10; // depthUpdate asks (array)
inline constexpr std::uint32_t has_b_px = 1u << 11;
inline constexpr std::uint32_t has_b_levels = 1u << 12;
inline constexpr std::uint32_t has_A = 1u << 13;
inline constexpr std::uint32_t has_B = 1u << 14;
inline constexpr std::uint32_t has_u = 1u << 15;
inline constexpr std::uint32_t has_U = 1u << 16;
inline constexpr std::uint32_t has_k = 1u << 17;
inline constexpr std::uint32_t has_last_update_id = 1u << 18;
inline constexpr std::uint32_t has_bids = 1u << 19;
inline constexpr std::uint32_t has_asks = 1u << 20;
inline constexpr std::uint32_t has_result = 1u << 21;
inline constexpr std::uint32_t has_id = 1u << 22;
inline constexpr std::uint32_t has_code = 1u << 23;
inline constexpr std::uint32_t has_msg = 1u << 24;
inline constexpr std::uint32_t has_stream = 1u << 25;
inline constexpr std::uint32_t has_data = 1u << 26;

inline constexpr std::uint32_t snapshot_fields = has_last_update_id | has_bids | has_asks;

// Presence bits of the kline object `k`.
inline constexpr std::uint32_t k_t = 1u << 0;
inline constexpr std::uint32_t k_T = 1u << 1;
inline constexpr std::uint32_t k_s = 1u << 2;
inline constexpr std::uint32_t k_i = 1u << 3;
inline constexpr std::uint32_t k_o = 1u << 4;
inline constexpr std::uint32_t k_c = 1u << 5;
inline constexpr std::uint32_t k_h = 1u << 6;
inline constexpr std::uint32_t k_l = 1u << 7;
inline constexpr std::uint32_t k_v = 1u << 8;
inline constexpr std::uint32_t k_q = 1u << 9;
inline constexpr std::uint32_t k_n = 1u << 10;
inline constexpr std::uint32_t k_x = 1u << 11;

struct kline_fields {
    std::uint32_t present = 0;
    std::int64_t t = 0, T = 0, n = 0;
    std::string_view s, i, o, c, h, l, v, q;
    bool x = false;
};

struct fields {
    std::uint32_t present = 0;
    std::string_view e, s, p, q, b_px, a_px, A, B, msg, code_text, id_text, result_text, stream;
    std::int64_t E = 0, T = 0, t = 0, a_id = 0, u = 0, U = 0, last_update_id = 0;
    bool m = false;
    json_type result_type = json_type::none;
    kline_fields k;
};

// What a failure while reading a top-level field is blamed on.
constexpr std::string_view field_reason(std::string_view key) noexcept {
    if (key.size() == 1) {
        switch (key[0]) {
            case 'e': return "binance: event type (e)";
            case 'E': return "binance: event time (E)";
            case 's': return "binance: symbol (s)";
            case 't': return "binance: trade id (t)";
            case 'p': return "binance: price (p)";
            case 'q': return "binance: quantity (q)";
            case 'T': return "binance: trade time (T)";
            case 'm': return "binance: buyer is maker (m)";
            case 'u': return "binance: update id (u)";
            case 'U': return "binance: first update id (U)";
            case 'A': return "binance: ask quantity (A)";
            case 'B': return "binance: bid quantity (B)";
            case 'a': return "binance: field a";
            case 'b': return "binance: field b";
            default: return "binance: message";
        }
    }
    if (key == "lastUpdateId") return "binance: lastUpdateId";
    if (key == "stream") return "binance: stream name";
    if (key == "data") return "binance: stream data";
    if (key == "id") return "binance: request id";
    if (key == "code") return "binance: error code";
    if (key == "msg") return "binance: error message";
    return "binance: message";
}

constexpr std::string_view kline_field_reason(std::string_view key) noexcept {
    if (key.size() == 1) {
        switch (key[0]) {
            case 't': return "binance kline: open time (t)";
            case 'T': return "binance kline: close time (T)";
            case 's': return "binance kline: symbol (s)";
            case 'i': return "binance kline: interval (i)";
            case 'o': return "binance kline: open (o)";
            case 'c': return "binance kline: close (c)";
            case 'h': return "binance kline: high (h)";
            case 'l': return "binance kline: low (l)";
            case 'v': return "binance kline: volume (v)";
            case 'q': return "binance kline: quote volume (q)";
            case 'n': return "binance kline: trade count (n)";
            case 'x': return "binance kline: closed (x)";
            default: break;
        }
    }
    return "binance kline: k";
}

}  // namespace tradewire::exchange::binance::detail
