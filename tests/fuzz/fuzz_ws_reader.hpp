// Shared body of the message_reader fuzz targets (one per role). Input layout:
//   byte 0      options: bits 0-1 pick max_message_size (64 MiB, 0, 100, 70000),
//               bit 2 allows RSV1, bit 3 allows all RSV bits
//   byte 1      k = number of chunk-size bytes (mod 8)
//   k bytes     chunk sizes, used in turn (n -> n + 1 bytes; 255 -> everything left)
//   the rest    the byte stream from the peer
// The stream is fed in those chunks and every event is checked against the reader's
// invariants; then it is fed again all at once and must give the same events.
#pragma once

#include <tradewire/ws/close_code.hpp>
#include <tradewire/ws/error.hpp>
#include <tradewire/ws/reader.hpp>
#include <tradewire/ws/utf8.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace fuzz_ws {

inline void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

struct owned_event {
    tradewire::ws::event_type type;
    std::vector<std::uint8_t> payload;
    tradewire::ws::close_code code;
    std::error_code ec;
    std::uint8_t rsv;
    bool operator==(const owned_event&) const = default;
};

template <class Role>
std::vector<owned_event> run(const tradewire::ws::reader_options& options, const std::uint8_t* data, std::size_t size,
                             const std::uint8_t* chunks, std::size_t chunk_count) {
    using tradewire::ws::event_type;
    tradewire::ws::message_reader<Role> reader(options);
    std::vector<owned_event> out;
    const std::size_t limit = options.max_message_size + tradewire::ws::max_header_size +
                              tradewire::ws::max_control_payload_size;
    bool finished = false;
    std::size_t pos = 0;
    std::size_t turn = 0;
    while (!finished) {
        // Drain.
        for (;;) {
            const auto ev = reader.next();
            if (ev.type == event_type::need_more) {
                require(ev.need >= 1, "need_more asks for at least one byte");
                require(!reader.closed(), "need_more after close");
                break;
            }
            const auto storage = reader.storage();
            if (!ev.payload.empty()) {
                require(ev.payload.data() >= storage.data() &&
                            ev.payload.data() + ev.payload.size() <= storage.data() + storage.size(),
                        "event view inside the reader's buffer");
            }
            switch (ev.type) {
                case event_type::text:
                    if ((ev.rsv & tradewire::ws::rsv1_bit) == 0) {
                        require(tradewire::ws::is_valid_utf8(ev.payload), "text is valid UTF-8");
                    }
                    [[fallthrough]];
                case event_type::binary:
                    require(ev.payload.size() <= options.max_message_size, "message within the size limit");
                    require((ev.rsv & ~options.allowed_rsv) == 0, "only allowed RSV bits");
                    break;
                case event_type::ping:
                case event_type::pong:
                    require(ev.payload.size() <= 125, "control payload <= 125");
                    break;
                case event_type::close:
                    require(reader.closed(), "closed after close");
                    require(ev.code == tradewire::ws::close_code::no_status ||
                                tradewire::ws::is_valid_close_code(ev.code),
                            "received close code valid");
                    require(ev.payload.size() <= 123, "close reason <= 123");
                    require(tradewire::ws::is_valid_utf8(ev.payload), "close reason UTF-8");
                    break;
                case event_type::error:
                    require(reader.closed(), "closed after error");
                    require(ev.ec.category() == tradewire::ws::ws_category(), "error in the ws category");
                    require(ev.code == tradewire::ws::close_code_for(static_cast<tradewire::ws::error>(ev.ec.value())),
                            "error carries its close code");
                    break;
                case event_type::closed:
                    require(reader.closed(), "closed is sticky");
                    break;
                case event_type::need_more: break;
            }
            if (ev.type == event_type::closed) {
                require(reader.next().type == event_type::closed, "nothing after closed");
                finished = true;
                break;
            }
            out.push_back({ev.type, std::vector<std::uint8_t>(ev.payload.begin(), ev.payload.end()), ev.code, ev.ec, ev.rsv});
        }
        if (finished || pos == size) break;
        // Next chunk.
        std::size_t want = size - pos;
        if (chunk_count != 0) {
            const std::uint8_t c = chunks[turn++ % chunk_count];
            if (c != 255) want = std::min<std::size_t>(want, std::size_t{c} + 1);
        }
        auto space = reader.prepare(want);
        require(!space.empty(), "prepare gives space when the reader needs bytes");
        require(reader.storage().size() <= limit, "buffer within max message size + overhead");
        const std::size_t n = std::min(want, space.size());
        std::memcpy(space.data(), data + pos, n);
        reader.commit(n);
        pos += n;
    }
    return out;
}

inline int fuzz_one(const std::uint8_t* data, std::size_t size, bool server) {
    if (size < 2) return 0;
    tradewire::ws::reader_options options;
    static constexpr std::size_t max_sizes[] = {std::size_t{64} << 20, 0, 100, 70000};
    options.max_message_size = max_sizes[data[0] & 3];
    if ((data[0] & 4) != 0) options.allowed_rsv = tradewire::ws::rsv1_bit;
    if ((data[0] & 8) != 0) options.allowed_rsv = tradewire::ws::rsv_bits;
    const std::size_t k = std::min<std::size_t>(data[1] % 8, size - 2);
    const std::uint8_t* chunks = data + 2;
    const std::uint8_t* stream = data + 2 + k;
    const std::size_t stream_size = size - 2 - k;
    using client = tradewire::ws::client_role;
    using server_role = tradewire::ws::server_role;
    const auto chunked = server ? run<server_role>(options, stream, stream_size, chunks, k)
                                : run<client>(options, stream, stream_size, chunks, k);
    const auto whole = server ? run<server_role>(options, stream, stream_size, nullptr, 0)
                              : run<client>(options, stream, stream_size, nullptr, 0);
    require(chunked == whole, "events do not depend on how the bytes were split");
    return 0;
}

}  // namespace fuzz_ws
