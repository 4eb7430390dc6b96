// message_reader: the RFC 6455 §5.7 examples, fragmentation with interleaved control
// frames, every framing violation with its close code, close frame parsing, maximum
// message size, incremental UTF-8, buffer management and chunking independence.
#include "catch.hpp"
#include "ws_test_support.hpp"

#include <tradewire/ws/reader.hpp>

#include <string>
#include <vector>

using namespace ws_test;
using tradewire::const_bytes;
using tradewire::ws::close_code;
using tradewire::ws::error;
using tradewire::ws::event_type;
using tradewire::ws::message_reader;
using tradewire::ws::opcode;
using tradewire::ws::reader_options;
using client = tradewire::ws::client_role;
using server = tradewire::ws::server_role;

namespace {

using events = std::vector<recorded>;

// Runs `input` through a fresh reader with several chunkings and requires identical events.
template <class Role>
events read_every_way(const bytes& input, reader_options options = {}) {
    const events all = read_all<Role>(input, 0, options);
    for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{64}, std::size_t{1000}}) {
        CAPTURE(chunk);
        CHECK(read_all<Role>(input, chunk, options) == all);
    }
    return all;
}

bytes repeat(std::size_t n, std::uint8_t seed = 1) {
    bytes out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(seed + i * 7);
    return out;
}

}  // namespace

TEST_CASE("RFC 6455 5.7: a client reads the single-frame unmasked text Hello") {
    const auto ev = read_every_way<client>(bytes_of({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
    CHECK(ev == events{message(event_type::text, "Hello")});
}

TEST_CASE("RFC 6455 5.7: a server reads and unmasks the masked text Hello") {
    const auto ev = read_every_way<server>(bytes_of({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
    CHECK(ev == events{message(event_type::text, "Hello")});
}

TEST_CASE("RFC 6455 5.7: fragmented unmasked text Hel + lo is one message") {
    const auto ev = read_every_way<client>(bytes_of({0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}));
    CHECK(ev == events{message(event_type::text, "Hello")});
}

TEST_CASE("RFC 6455 5.7: unmasked ping and masked pong carry Hello") {
    CHECK(read_every_way<client>(bytes_of({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f})) ==
          events{message(event_type::ping, "Hello")});
    CHECK(read_every_way<server>(bytes_of({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58})) ==
          events{message(event_type::pong, "Hello")});
}

TEST_CASE("RFC 6455 5.7: 256-byte and 64 KiB binary messages in one unmasked frame") {
    const bytes small = repeat(256);
    const bytes big = repeat(65536, 9);
    const bytes input = concat({bytes_of({0x82, 0x7E, 0x01, 0x00}), small,
                                bytes_of({0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}), big});
    const auto ev = read_every_way<client>(input);
    CHECK(ev == events{message(event_type::binary, small), message(event_type::binary, big)});
}

TEST_CASE("control frames interleave with fragments without disturbing the message") {
    const bytes input = concat({frame(opcode::text, "The ", false), frame(opcode::ping, "p1"),
                                frame(opcode::continuation, "quick ", false), frame(opcode::pong, ""),
                                frame(opcode::ping, std::string(125, 'x')), frame(opcode::continuation, "", false),
                                frame(opcode::continuation, "fox", true), frame(opcode::binary, "next")});
    const auto ev = read_every_way<client>(input);
    CHECK(ev == events{message(event_type::ping, "p1"), message(event_type::pong, ""),
                       message(event_type::ping, std::string(125, 'x')), message(event_type::text, "The quick fox"),
                       message(event_type::binary, "next")});
}

TEST_CASE("the server unmasks fragments and interleaved control frames, each with its own key") {
    const bytes input = concat({frame(opcode::binary, repeat(300), false, true, 0x01020304),
                                frame(opcode::ping, "ping!", true, true, 0xA0B0C0D0),
                                frame(opcode::continuation, repeat(70000, 3), true, true, 0xFFEEDDCC)});
    const auto ev = read_every_way<server>(input);
    bytes whole = repeat(300);
    const bytes tail = repeat(70000, 3);
    whole.insert(whole.end(), tail.begin(), tail.end());
    CHECK(ev == events{message(event_type::ping, "ping!"), message(event_type::binary, whole)});
}

TEST_CASE("a continuation with nothing to continue fails with 1002") {
    CHECK(read_every_way<client>(frame(opcode::continuation, "x")) == events{failure(error::unexpected_continuation)});
    // Also right after a complete fragmented message.
    const bytes input = concat({frame(opcode::text, "a", false), frame(opcode::continuation, "b"),
                                frame(opcode::continuation, "c")});
    CHECK(read_every_way<client>(input) ==
          events{message(event_type::text, "ab"), failure(error::unexpected_continuation)});
}

TEST_CASE("a new data frame inside a fragmented message fails with 1002") {
    for (const opcode op : {opcode::text, opcode::binary}) {
        const bytes input = concat({frame(opcode::binary, "a", false), frame(opcode::ping, ""), frame(op, "b")});
        CHECK(read_every_way<client>(input) ==
              events{message(event_type::ping, ""), failure(error::expected_continuation)});
    }
}

TEST_CASE("frames masked the wrong way for the role fail with 1002") {
    CHECK(read_every_way<client>(frame(opcode::text, "hi", true, true)) == events{failure(error::masked_frame)});
    CHECK(read_every_way<server>(frame(opcode::text, "hi", true, false)) == events{failure(error::unmasked_frame)});
    CHECK(read_every_way<server>(frame(opcode::ping, "", true, false)) == events{failure(error::unmasked_frame)});
}

TEST_CASE("header violations surface as error events with the close code to send") {
    const std::pair<bytes, error> cases[] = {
        {bytes_of({0x83, 0x00}), error::reserved_opcode},
        {bytes_of({0x8B, 0x00}), error::reserved_opcode},
        {bytes_of({0xC1, 0x00}), error::reserved_bits},
        {bytes_of({0x09, 0x00}), error::fragmented_control_frame},
        {bytes_of({0x89, 0x7E, 0x00, 0x7E}), error::control_frame_too_long},
        {bytes_of({0x82, 0x7E, 0x00, 0x05}), error::non_minimal_length},
        {bytes_of({0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0x01, 0x00}), error::non_minimal_length},
        {bytes_of({0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0}), error::length_too_large},
    };
    for (const auto& [input, e] : cases) {
        CAPTURE(static_cast<int>(e));
        const auto ev = read_every_way<client>(input);
        REQUIRE(ev.size() == 1);
        CHECK(ev[0] == failure(e));
        CHECK(ev[0].code == close_code::protocol_error);
    }
}

TEST_CASE("after an error or a close the reader reports closed and nothing else") {
    for (const bytes& input : {concat({frame(opcode::close, bytes_of({0x03, 0xE8})), frame(opcode::text, "late")}),
                               concat({bytes_of({0x83, 0x00}), frame(opcode::text, "late")})}) {
        message_reader<client> reader;
        auto space = reader.prepare(input.size());
        std::copy(input.begin(), input.end(), space.begin());
        reader.commit(input.size());
        const auto first = reader.next();
        CHECK((first.type == event_type::close || first.type == event_type::error));
        CHECK(reader.closed());
        for (int i = 0; i < 3; ++i) CHECK(reader.next().type == event_type::closed);
        // More bytes change nothing.
        space = reader.prepare(16);
        reader.commit(std::min<std::size_t>(16, space.size()));
        CHECK(reader.next().type == event_type::closed);
    }
}

TEST_CASE("close frames: status, reason, empty payload") {
    CHECK(read_every_way<client>(frame(opcode::close, bytes{})) == events{closing(close_code::no_status)});
    CHECK(read_every_way<client>(frame(opcode::close, bytes_of({0x03, 0xE8}))) == events{closing(close_code::normal)});
    const bytes with_reason = concat({bytes_of({0x0F, 0xA0}), bytes_of("maintenance \xe2\x9c\x93")});  // 4000
    CHECK(read_every_way<server>(frame(opcode::close, with_reason, true, true)) ==
          events{closing(static_cast<close_code>(4000), "maintenance \xe2\x9c\x93")});
    // A close in the middle of a fragmented message is still a close.
    CHECK(read_every_way<client>(concat({frame(opcode::text, "part", false), frame(opcode::close, bytes_of({0x03, 0xE9}))})) ==
          events{closing(close_code::going_away)});
}

TEST_CASE("every invalid close payload class fails the connection with the right code") {
    CHECK(read_every_way<client>(frame(opcode::close, bytes_of({0x03}))) == events{failure(error::invalid_close_payload)});
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
        CAPTURE(code);
        const bytes payload = bytes_of({code >> 8, code & 0xFF});
        CHECK(read_every_way<client>(frame(opcode::close, payload)) == events{failure(error::invalid_close_code)});
    }
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999}) {
        CAPTURE(code);
        const bytes payload = bytes_of({code >> 8, code & 0xFF});
        CHECK(read_every_way<client>(frame(opcode::close, payload)) == events{closing(static_cast<close_code>(code))});
    }
    const auto bad_reason = read_every_way<client>(frame(opcode::close, bytes_of({0x03, 0xE8, 0xC3, 0x28})));
    CHECK(bad_reason == events{failure(error::invalid_close_reason)});
    CHECK(bad_reason[0].code == close_code::invalid_payload);  // 1007
}

TEST_CASE("the maximum message size is enforced from the header, before the payload arrives") {
    reader_options options;
    options.max_message_size = 1000;
    // Exactly at the limit: fine, single or fragmented.
    CHECK(read_every_way<client>(frame(opcode::binary, repeat(1000)), options) ==
          events{message(event_type::binary, repeat(1000))});
    const bytes halves = concat({frame(opcode::binary, repeat(500), false), frame(opcode::ping, std::string(125, 'p')),
                                 frame(opcode::continuation, repeat(500, 2))});
    bytes joined = repeat(500);
    const bytes second = repeat(500, 2);
    joined.insert(joined.end(), second.begin(), second.end());
    CHECK(read_every_way<client>(halves, options) ==
          events{message(event_type::ping, std::string(125, 'p')), message(event_type::binary, joined)});

    // One byte over, announced by a header alone: the error comes without any payload.
    message_reader<client> reader(options);
    const bytes header = bytes_of({0x82, 0x7E, 0x03, 0xE9});  // 1001 bytes
    auto space = reader.prepare(4);
    std::copy(header.begin(), header.end(), space.begin());
    reader.commit(4);
    const auto ev = reader.next();
    REQUIRE(ev.type == event_type::error);
    CHECK(ev.ec == error::message_too_big);
    CHECK(ev.code == close_code::message_too_big);  // 1009

    // Fragments that add up to more than the limit fail at the fragment that crosses it.
    const bytes over = concat({frame(opcode::text, std::string(600, 'a'), false), frame(opcode::continuation, std::string(401, 'b'))});
    CHECK(read_every_way<client>(over, options) == events{failure(error::message_too_big)});
    // A huge 64-bit length fails at once too.
    CHECK(read_every_way<client>(bytes_of({0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}), options) ==
          events{failure(error::message_too_big)});
}

TEST_CASE("the buffer never grows beyond the maximum message size plus one header and one control frame") {
    reader_options options;
    options.max_message_size = 1000;
    message_reader<client> reader(options);
    const bytes input = concat({frame(opcode::binary, repeat(600), false), frame(opcode::ping, std::string(125, 'p')),
                                frame(opcode::continuation, repeat(400))});
    // Ask for far more than the limit each time.
    std::size_t pos = 0;
    std::vector<event_type> seen;
    while (pos < input.size()) {
        auto space = reader.prepare(1 << 20);
        REQUIRE_FALSE(space.empty());
        CHECK(reader.storage().size() <= 1000 + tradewire::ws::max_header_size + tradewire::ws::max_control_payload_size);
        const std::size_t n = std::min<std::size_t>(space.size(), std::min<std::size_t>(97, input.size() - pos));
        std::copy_n(input.begin() + static_cast<std::ptrdiff_t>(pos), n, space.begin());
        reader.commit(n);
        pos += n;
        for (auto ev = reader.next(); ev.type != event_type::need_more; ev = reader.next()) seen.push_back(ev.type);
    }
    CHECK(seen == std::vector<event_type>{event_type::ping, event_type::binary});
}

TEST_CASE("text is validated as it arrives: an invalid byte fails before the frame is complete") {
    message_reader<client> reader;
    // Header announces 1000 bytes of text; only 10 arrive, the 6th invalid.
    const bytes start = concat({bytes_of({0x81, 0x7E, 0x03, 0xE8}), bytes_of("hello\xff""abcd")});
    auto space = reader.prepare(start.size());
    std::copy(start.begin(), start.end(), space.begin());
    reader.commit(start.size());
    const auto ev = reader.next();
    REQUIRE(ev.type == event_type::error);
    CHECK(ev.ec == error::invalid_utf8);
    CHECK(ev.code == close_code::invalid_payload);

    // In a fragmented message the first fragment fails on its own.
    CHECK(read_every_way<client>(concat({frame(opcode::text, "ok\xc0", false)})) == events{failure(error::invalid_utf8)});
}

TEST_CASE("a code point split across fragments is valid, one truncated by the message end is not") {
    const bytes euro_split = concat({frame(opcode::text, "1 \xe2", false), frame(opcode::ping, "x"),
                                     frame(opcode::continuation, "\x82", false), frame(opcode::continuation, "\xac")});
    CHECK(read_every_way<client>(euro_split) == events{message(event_type::ping, "x"), message(event_type::text, "1 \xe2\x82\xac")});
    CHECK(read_every_way<client>(frame(opcode::text, "abc\xe2\x82")) == events{failure(error::invalid_utf8)});
    CHECK(read_every_way<client>(concat({frame(opcode::text, "abc\xe2", false), frame(opcode::continuation, "\x82")})) ==
          events{failure(error::invalid_utf8)});
    // Binary messages are not validated.
    CHECK(read_every_way<client>(frame(opcode::binary, "\xff\xfe")) == events{message(event_type::binary, "\xff\xfe")});
    // Ping payloads are not text either.
    CHECK(read_every_way<client>(frame(opcode::ping, "\xff")) == events{message(event_type::ping, "\xff")});
}

TEST_CASE("RSV1 under permessage-deflate: reported, not validated, only on a message's first frame") {
    reader_options options;
    options.allowed_rsv = tradewire::ws::rsv1_bit;
    const bytes compressed = frame(opcode::text, bytes_of({0xF2, 0x48, 0xCD}), true, false, 0, tradewire::ws::rsv1_bit);
    CHECK(read_every_way<client>(compressed, options) ==
          events{recorded{event_type::text, bytes_of({0xF2, 0x48, 0xCD}), close_code::no_status, {}, tradewire::ws::rsv1_bit}});
    // Without the option RSV1 is a protocol error.
    CHECK(read_every_way<client>(compressed) == events{failure(error::reserved_bits)});
    // On a continuation or a control frame it is an error even with the option.
    const bytes on_continuation = concat({frame(opcode::text, "a", false, false, 0, tradewire::ws::rsv1_bit),
                                          frame(opcode::continuation, "b", true, false, 0, tradewire::ws::rsv1_bit)});
    CHECK(read_every_way<client>(on_continuation, options) == events{failure(error::reserved_bits)});
    CHECK(read_every_way<client>(frame(opcode::ping, bytes{}, true, false, 0, tradewire::ws::rsv1_bit), options) ==
          events{failure(error::reserved_bits)});
    // Uncompressed text in the same session is still validated.
    CHECK(read_every_way<client>(frame(opcode::text, "\xff"), options) == events{failure(error::invalid_utf8)});
}

TEST_CASE("byte-at-a-time and all-at-once give identical events over a long mixed stream") {
    for (const bool masked : {false, true}) {
        bytes input;
        std::uint32_t key = 0x1234567;
        for (int i = 0; i < 60; ++i) {
            key = key * 2654435761u + 1;
            const std::size_t size = static_cast<std::size_t>((i * 37) % 300);
            switch (i % 5) {
                case 0: input = concat({input, frame(opcode::text, bytes(size, 'a'), true, masked, key)}); break;
                case 1: input = concat({input, frame(opcode::binary, repeat(size), true, masked, key)}); break;
                case 2:
                    input = concat({input, frame(opcode::text, bytes_of("caf\xc3"), false, masked, key),
                                    frame(opcode::ping, bytes(size % 126, 'p'), true, masked, key ^ 1),
                                    frame(opcode::continuation, bytes_of("\xa9!"), true, masked, key ^ 2)});
                    break;
                case 3: input = concat({input, frame(opcode::pong, repeat(size % 126), true, masked, key)}); break;
                default: input = concat({input, frame(opcode::binary, repeat(size + 70000), true, masked, key)}); break;
            }
        }
        input = concat({input, frame(opcode::close, bytes_of({0x03, 0xE8, 'o', 'k'}), true, masked, key)});
        const auto all = masked ? read_all<server>(input, 0) : read_all<client>(input, 0);
        const auto one = masked ? read_all<server>(input, 1) : read_all<client>(input, 1);
        CHECK(all.size() == 60 + 12 + 1);
        CHECK(one == all);
        CHECK(all.back() == closing(close_code::normal, "ok"));
    }
}

TEST_CASE("a single-frame message is delivered in place, where the bytes were committed") {
    message_reader<client> reader;
    const bytes input = concat({frame(opcode::binary, repeat(5000)), frame(opcode::text, "second")});
    auto space = reader.prepare(input.size());
    REQUIRE(space.size() >= input.size());
    std::uint8_t* const base = space.data();
    std::copy(input.begin(), input.end(), space.begin());
    reader.commit(input.size());
    const auto first = reader.next();
    REQUIRE(first.type == event_type::binary);
    CHECK(first.payload.data() == base + 4);  // zero copies: right behind the 4-byte header
    const auto second = reader.next();
    REQUIRE(second.type == event_type::text);
    CHECK(second.payload.data() == base + 4 + 5000 + 2);
    CHECK(second.text() == "second");
    CHECK(reader.next().type == event_type::need_more);
}

TEST_CASE("a fragmented message ends up contiguous at the start of the buffer") {
    message_reader<client> reader;
    const bytes input = concat({frame(opcode::binary, repeat(200), false), frame(opcode::ping, "p"),
                                frame(opcode::continuation, repeat(300, 5))});
    auto space = reader.prepare(input.size());
    std::copy(input.begin(), input.end(), space.begin());
    reader.commit(input.size());
    CHECK(reader.next().type == event_type::ping);
    const auto msg = reader.next();
    REQUIRE(msg.type == event_type::binary);
    CHECK(msg.payload.data() == reader.storage().data());
    CHECK(msg.payload.size() == 500);
}

TEST_CASE("need_more says how many bytes are missing") {
    message_reader<client> reader;
    auto ev = reader.next();
    CHECK(ev.type == event_type::need_more);
    CHECK(ev.need == 2);
    const bytes header = bytes_of({0x82, 0x7E, 0x01, 0x00});
    auto space = reader.prepare(3);
    std::copy_n(header.begin(), 3, space.begin());
    reader.commit(3);
    CHECK(reader.next().need == 1);
    space = reader.prepare(1);
    space[0] = header[3];
    reader.commit(1);
    CHECK(reader.next().need == 256);
    space = reader.prepare(56);
    reader.commit(56);
    CHECK(reader.next().need == 200);
}

TEST_CASE("prepare returns at least the asked size and commit never passes the buffer end") {
    message_reader<server> reader;
    auto space = reader.prepare(10000);
    CHECK(space.size() >= 10000);
    reader.commit(space.size() + 1000);  // clamped
    const auto storage = reader.storage();
    CHECK(storage.size() >= 10000);
    // The garbage committed above fails the connection rather than reading out of bounds.
    const auto ev = reader.next();
    CHECK((ev.type == event_type::error || ev.type == event_type::need_more));
}

TEST_CASE("large messages arrive intact through 64 KiB reads, whole or in fragments") {
    const bytes big = repeat(std::size_t{1} << 20, 17);
    bytes fragmented;
    for (std::size_t off = 0; off < big.size(); off += 65536) {
        const bytes part(big.begin() + static_cast<std::ptrdiff_t>(off), big.begin() + static_cast<std::ptrdiff_t>(off + 65536));
        fragmented = concat({fragmented, frame(off == 0 ? opcode::binary : opcode::continuation, part,
                                               off + 65536 == big.size(), true, static_cast<std::uint32_t>(off + 1)),
                             frame(opcode::ping, bytes_of("hb"), true, true)});
    }
    const bytes whole = frame(opcode::binary, big, true, true, 0xCAFEBABE);
    for (std::size_t chunk : {std::size_t{65536}, std::size_t{1500}, std::size_t{0}}) {
        CAPTURE(chunk);
        message_reader<server> reader;
        const auto ev = drive(reader, whole, chunk, 65536);
        REQUIRE(ev.size() == 1);
        CHECK(ev[0] == message(event_type::binary, big));
        const auto frag = read_all<server>(fragmented, chunk);
        REQUIRE(frag.size() == 17);
        CHECK(frag[15] == message(event_type::binary, big));  // the last ping follows the final fragment
        CHECK(frag[16] == message(event_type::ping, "hb"));
    }
}

TEST_CASE("reset starts a new connection on the same buffer") {
    message_reader<client> reader;
    CHECK(drive(reader, frame(opcode::close, bytes{})) == events{closing(close_code::no_status)});
    CHECK(reader.closed());
    const auto* before = reader.storage().data();
    reader.reset();
    CHECK_FALSE(reader.closed());
    CHECK(drive(reader, frame(opcode::text, "again")) == events{message(event_type::text, "again")});
    CHECK(reader.storage().data() == before);
    // reset in the middle of a fragmented message forgets it.
    reader.reset();
    drive(reader, frame(opcode::text, "half", false));
    reader.reset();
    CHECK(drive(reader, frame(opcode::continuation, "x")) == events{failure(error::unexpected_continuation)});
}

TEST_CASE("empty messages and empty fragments") {
    CHECK(read_every_way<client>(concat({frame(opcode::text, ""), frame(opcode::binary, "")})) ==
          events{message(event_type::text, ""), message(event_type::binary, "")});
    CHECK(read_every_way<client>(concat({frame(opcode::text, "", false), frame(opcode::continuation, "", false),
                                         frame(opcode::continuation, "")})) == events{message(event_type::text, "")});
}

TEST_CASE("reset with new options applies them and keeps a buffer that still fits") {
    message_reader<client> reader;
    CHECK(drive(reader, frame(opcode::text, std::string(3000, 'a'))) == events{message(event_type::text, std::string(3000, 'a'))});
    const auto* before = reader.storage().data();
    reader_options deflate;
    deflate.allowed_rsv = tradewire::ws::rsv1_bit;
    reader.reset(deflate);
    CHECK(reader.options().allowed_rsv == tradewire::ws::rsv1_bit);
    CHECK(reader.storage().data() == before);
    CHECK(drive(reader, frame(opcode::text, "z", true, false, 0, tradewire::ws::rsv1_bit)) ==
          events{message(event_type::text, "z", tradewire::ws::rsv1_bit)});
    reader_options tiny;
    tiny.max_message_size = 10;
    reader.reset(tiny);
    CHECK(reader.storage().size() <= 10 + tradewire::ws::max_header_size + tradewire::ws::max_control_payload_size);
    CHECK(drive(reader, frame(opcode::text, std::string(11, 'b'))) == events{failure(error::message_too_big)});
}
