// Writer to reader round trips for both directions (client -> server, masked; server ->
// client, unmasked) over the sizes where the length encoding changes, whole and
// fragmented, complete frames and scatter headers, fed in different chunk sizes.
#include "catch.hpp"
#include "ws_test_support.hpp"

#include <tradewire/ws/reader.hpp>
#include <tradewire/ws/writer.hpp>

#include <string>
#include <vector>

using namespace ws_test;
using tradewire::ws::close_code;
using tradewire::ws::event_type;
using tradewire::ws::frame_writer;
using tradewire::ws::message_reader;
using tradewire::ws::opcode;

namespace {

const std::size_t sizes[] = {0, 1, 125, 126, 127, 65535, 65536, 65537, std::size_t{1} << 20};

bytes payload_of(std::size_t n, bool text) {
    bytes out(n);
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = text ? static_cast<std::uint8_t>('a' + i % 26) : static_cast<std::uint8_t>(i * 131 + 7);
    }
    return out;
}

// Appends a frame written by `w` to `wire`.
template <class Role>
void append(bytes& wire, frame_writer<Role>& w, opcode op, const bytes& payload, bool fin) {
    bytes out(frame_writer<Role>::frame_size(payload.size()));
    const auto r = w.write(out, op, payload, fin);
    REQUIRE(r.ok());
    REQUIRE(r.size == out.size());
    wire.insert(wire.end(), out.begin(), out.end());
}

// Same frame through the scatter path: header, then the (in-place masked) payload.
template <class Role>
void append_scatter(bytes& wire, frame_writer<Role>& w, opcode op, bytes payload, bool fin) {
    std::uint8_t header[tradewire::ws::max_header_size];
    const auto r = w.write_header(header, op, payload, fin);
    REQUIRE(r.ok());
    wire.insert(wire.end(), header, header + r.size);
    wire.insert(wire.end(), payload.begin(), payload.end());
}

template <class Sender, class Receiver>
void round_trip(bool scatter) {
    for (const std::size_t size : sizes) {
        for (const bool text : {false, true}) {
            for (const std::size_t parts : {std::size_t{1}, std::size_t{3}}) {
                CAPTURE(size, text, parts, scatter);
                frame_writer<Sender> w;
                const bytes payload = payload_of(size, text);
                bytes wire;
                const opcode first = text ? opcode::text : opcode::binary;
                // Split into `parts` fragments with a ping between each.
                std::size_t off = 0;
                for (std::size_t p = 0; p < parts; ++p) {
                    const std::size_t end = p + 1 == parts ? size : off + size / parts;
                    const bytes part(payload.begin() + static_cast<std::ptrdiff_t>(off), payload.begin() + static_cast<std::ptrdiff_t>(end));
                    const opcode op = p == 0 ? first : opcode::continuation;
                    if (scatter) {
                        append_scatter(wire, w, op, part, p + 1 == parts);
                    } else {
                        append(wire, w, op, part, p + 1 == parts);
                    }
                    if (p + 1 < parts) append(wire, w, opcode::ping, bytes_of("between"), true);
                    off = end;
                }
                bytes close_frame(64);
                const auto c = w.close(close_frame, close_code::normal, "done");
                REQUIRE(c.ok());
                wire.insert(wire.end(), close_frame.begin(), close_frame.begin() + static_cast<std::ptrdiff_t>(c.size));

                std::vector<recorded> expected;
                for (std::size_t p = 1; p < parts; ++p) expected.push_back(message(event_type::ping, "between"));
                expected.push_back(message(text ? event_type::text : event_type::binary, payload));
                expected.push_back(closing(close_code::normal, "done"));

                for (const std::size_t chunk : {std::size_t{0}, std::size_t{4096}, std::size_t{1000}, std::size_t{13}}) {
                    if (chunk == 13 && size > 70000) continue;  // keeps the suite fast; 1 MiB is covered above
                    CAPTURE(chunk);
                    message_reader<Receiver> reader;
                    CHECK(drive(reader, wire, chunk) == expected);
                    CHECK(reader.closed());
                }
            }
        }
    }
}

}  // namespace

TEST_CASE("client to server round trips at every length boundary") {
    round_trip<tradewire::ws::client_role, tradewire::ws::server_role>(false);
}

TEST_CASE("server to client round trips at every length boundary") {
    round_trip<tradewire::ws::server_role, tradewire::ws::client_role>(false);
}

TEST_CASE("scatter-written frames read back the same, both directions") {
    round_trip<tradewire::ws::client_role, tradewire::ws::server_role>(true);
    round_trip<tradewire::ws::server_role, tradewire::ws::client_role>(true);
}

TEST_CASE("a client reader rejects what a client writer sends, and vice versa") {
    frame_writer<tradewire::ws::client_role> cw;
    frame_writer<tradewire::ws::server_role> sw;
    bytes out(32);
    auto r = cw.text(out, "x");
    CHECK(read_all<tradewire::ws::client_role>(bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.size))) ==
          std::vector<recorded>{failure(tradewire::ws::error::masked_frame)});
    r = sw.text(out, "x");
    CHECK(read_all<tradewire::ws::server_role>(bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.size))) ==
          std::vector<recorded>{failure(tradewire::ws::error::unmasked_frame)});
}
