// Helpers for the order template tests: take a client frame apart by hand (header
// fields, then the payload unmasked with a plain XOR loop, independent of ws/mask.hpp),
// and flatten JSON text into an ordered list of (path, value) pairs, so a produced
// request can be compared with a documented example key by key, value by value and in
// order. String values keep their quotes, so "1" (string) and 1 (number) differ.
#pragma once

#include <tradewire/core/json.hpp>
#include <tradewire/ws/frame.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tradewire::test {

struct client_frame {
    bool ok = false;
    bool fin = false;
    bool masked = false;
    std::uint8_t opcode = 0;
    std::size_t header_size = 0;
    std::uint32_t mask_key = 0;
    std::uint64_t payload_size = 0;
    std::string payload;  // unmasked
};

inline client_frame take_apart(std::span<const std::uint8_t> frame) {
    client_frame f;
    if (frame.size() < 2) return f;
    f.fin = (frame[0] & 0x80) != 0;
    f.opcode = frame[0] & 0x0F;
    f.masked = (frame[1] & 0x80) != 0;
    std::size_t i = 2;
    std::uint64_t len = frame[1] & 0x7F;
    if (len == 126) {
        if (frame.size() < 4) return f;
        len = (std::uint64_t{frame[2]} << 8) | frame[3];
        i = 4;
    } else if (len == 127) {
        if (frame.size() < 10) return f;
        len = 0;
        for (int k = 0; k < 8; ++k) len = (len << 8) | frame[2 + static_cast<std::size_t>(k)];
        i = 10;
    }
    std::uint8_t key[4] = {0, 0, 0, 0};
    if (f.masked) {
        if (frame.size() < i + 4) return f;
        for (int k = 0; k < 4; ++k) key[k] = frame[i + static_cast<std::size_t>(k)];
        f.mask_key = (std::uint32_t{key[0]} << 24) | (std::uint32_t{key[1]} << 16) | (std::uint32_t{key[2]} << 8) | key[3];
        i += 4;
    }
    f.header_size = i;
    f.payload_size = len;
    if (frame.size() != i + len) return f;  // exactly one frame, nothing after it
    f.payload.resize(len);
    for (std::size_t k = 0; k < len; ++k) f.payload[k] = static_cast<char>(frame[i + k] ^ key[k % 4]);
    f.ok = true;
    return f;
}

using flat_json = std::vector<std::pair<std::string, std::string>>;

namespace detail {
inline bool flatten_value(json_reader& r, const std::string& path, flat_json& out) {
    switch (r.peek()) {
        case json_type::object: {
            if (!r.begin_object()) return false;
            std::string_view key;
            while (r.next_key(key)) {
                if (!flatten_value(r, path.empty() ? std::string(key) : path + "." + std::string(key), out)) return false;
            }
            return r.ok();
        }
        case json_type::array: {
            if (!r.begin_array()) return false;
            std::size_t i = 0;
            while (r.next_element()) {
                if (!flatten_value(r, path + "[" + std::to_string(i++) + "]", out)) return false;
            }
            return r.ok();
        }
        case json_type::string: {
            std::string_view s;
            if (!r.read_string(s)) return false;
            out.emplace_back(path, "\"" + std::string(s) + "\"");
            return true;
        }
        case json_type::number: {
            std::string_view s;
            if (!r.read_number(s)) return false;
            out.emplace_back(path, std::string(s));
            return true;
        }
        case json_type::boolean: {
            bool b = false;
            if (!r.read_bool(b)) return false;
            out.emplace_back(path, b ? "true" : "false");
            return true;
        }
        case json_type::null:
            if (!r.read_null()) return false;
            out.emplace_back(path, "null");
            return true;
        default: return false;
    }
}
}  // namespace detail

// Flattens a whole JSON document; an empty result means it did not parse.
inline flat_json flatten(std::string text) {
    flat_json out;
    json_reader r(text.data(), text.size());
    if (!detail::flatten_value(r, "", out) || !r.finish()) return {};
    return out;
}

inline std::string value_of(const flat_json& j, std::string_view path) {
    for (const auto& [k, v] : j)
        if (k == path) return v;
    return "<absent>";
}

// j with the value at `path` replaced (to compare against an example whose request id
// or signature cannot be reproduced).
inline flat_json with_value(flat_json j, std::string_view path, std::string value) {
    for (auto& [k, v] : j)
        if (k == path) v = std::move(value);
    return j;
}

}  // namespace tradewire::test
