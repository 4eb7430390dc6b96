// Helpers shared by the ws tests: byte literals, a fixed mask-key source, and a driver
// that pushes bytes through a message_reader in chunks of a chosen size and records the
// events as owned values, so runs with different chunkings can be compared.
#pragma once

#include <tradewire/ws/reader.hpp>
#include <tradewire/ws/role.hpp>
#include <tradewire/ws/writer.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ws_test {

using bytes = std::vector<std::uint8_t>;

inline bytes bytes_of(std::initializer_list<int> values) {
    bytes out;
    for (int v : values) out.push_back(static_cast<std::uint8_t>(v));
    return out;
}

inline bytes bytes_of(std::string_view text) { return bytes(text.begin(), text.end()); }

inline bytes concat(std::initializer_list<bytes> parts) {
    bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

// Always returns the same key: makes client frames reproducible (RFC 6455 §5.7 uses 37 fa 21 3d).
struct fixed_key {
    std::uint32_t key = 0x37fa213d;
    std::uint32_t next() noexcept { return key; }
};

using fixed_client = tradewire::ws::basic_client_role<fixed_key>;

struct recorded {
    tradewire::ws::event_type type{};
    bytes payload;
    tradewire::ws::close_code code{};
    std::error_code ec;
    std::uint8_t rsv = 0;

    friend bool operator==(const recorded& a, const recorded& b) {
        return a.type == b.type && a.payload == b.payload && a.code == b.code && a.ec == b.ec && a.rsv == b.rsv;
    }
    friend std::ostream& operator<<(std::ostream& os, const recorded& r) {
        os << "{type " << static_cast<int>(r.type) << ", " << r.payload.size() << " bytes, code "
           << static_cast<int>(r.code) << ", ec " << r.ec.message() << "}";
        return os;
    }
};

inline recorded record(const tradewire::ws::read_event& ev) {
    return {ev.type, bytes(ev.payload.begin(), ev.payload.end()), ev.code, ev.ec, ev.rsv};
}

// Feeds `input` `chunk` bytes at a time (0: as much as prepare() offers), draining events
// after every commit. Stops at the first close or error (recorded) and records nothing
// after it. Checks on the way that every view points into the reader's storage.
template <class Role>
std::vector<recorded> drive(tradewire::ws::message_reader<Role>& reader, tradewire::const_bytes input,
                            std::size_t chunk = 0, std::size_t prepare_size = 4096) {
    std::vector<recorded> events;
    std::size_t pos = 0;
    bool done = false;
    const auto drain = [&] {
        for (;;) {
            const auto ev = reader.next();
            if (ev.type == tradewire::ws::event_type::need_more) return;
            if (!ev.payload.empty()) {
                const auto storage = reader.storage();
                if (ev.payload.data() < storage.data() ||
                    ev.payload.data() + ev.payload.size() > storage.data() + storage.size()) {
                    events.push_back({tradewire::ws::event_type::closed, bytes_of("view outside storage"), {}, {}, 0});
                }
            }
            if (ev.type == tradewire::ws::event_type::closed) {
                done = true;
                return;
            }
            events.push_back(record(ev));
            if (ev.type == tradewire::ws::event_type::close || ev.type == tradewire::ws::event_type::error) {
                done = true;
                return;
            }
        }
    };
    drain();
    while (!done && pos < input.size()) {
        const std::size_t want = chunk == 0 ? std::max(prepare_size, input.size() - pos) : chunk;
        auto space = reader.prepare(want);
        const std::size_t n = std::min({want, space.size(), input.size() - pos});
        if (n == 0) {
            events.push_back({tradewire::ws::event_type::closed, bytes_of("prepare returned no space"), {}, {}, 0});
            break;
        }
        std::memcpy(space.data(), input.data() + pos, n);
        reader.commit(n);
        pos += n;
        drain();
    }
    return events;
}

template <class Role>
std::vector<recorded> read_all(tradewire::const_bytes input, std::size_t chunk = 0,
                               tradewire::ws::reader_options options = {}) {
    tradewire::ws::message_reader<Role> reader(options);
    return drive(reader, input, chunk);
}

inline recorded message(tradewire::ws::event_type type, std::string_view payload, std::uint8_t rsv = 0) {
    return {type, bytes_of(payload), tradewire::ws::close_code::no_status, {}, rsv};
}

inline recorded message(tradewire::ws::event_type type, const bytes& payload) {
    return {type, payload, tradewire::ws::close_code::no_status, {}, 0};
}

inline recorded failure(tradewire::ws::error e) {
    return {tradewire::ws::event_type::error, {}, tradewire::ws::close_code_for(e), make_error_code(e), 0};
}

inline recorded closing(tradewire::ws::close_code code, std::string_view reason = {}) {
    return {tradewire::ws::event_type::close, bytes_of(reason), code, {}, 0};
}

// A frame as a sender would put it on the wire (raw: no checks, so tests can build
// invalid frames too).
inline bytes frame(tradewire::ws::opcode op, const bytes& payload, bool fin = true, bool masked = false,
                   std::uint32_t key = 0x37fa213d, std::uint8_t rsv = 0) {
    tradewire::ws::frame_header h;
    h.fin = fin;
    h.rsv = rsv;
    h.op = op;
    h.masked = masked;
    h.mask_key = key;
    h.payload_size = payload.size();
    bytes out(tradewire::ws::max_header_size + payload.size());
    const std::size_t n = tradewire::ws::write_frame_header(out, h);
    if (!payload.empty()) std::memcpy(out.data() + n, payload.data(), payload.size());
    if (masked) tradewire::ws::apply_mask(tradewire::mutable_bytes(out.data() + n, payload.size()), key);
    out.resize(n + payload.size());
    return out;
}

inline bytes frame(tradewire::ws::opcode op, std::string_view payload, bool fin = true, bool masked = false,
                   std::uint32_t key = 0x37fa213d, std::uint8_t rsv = 0) {
    return frame(op, bytes_of(payload), fin, masked, key, rsv);
}

}  // namespace ws_test
