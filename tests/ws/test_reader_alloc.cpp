// Steady state allocates nothing: after a warm-up, thousands of messages (small text,
// large binary, fragmented with control frames in between) go through the reader, and
// frames through the writer, without a single call to the global operator new. This
// program replaces the global allocation functions to count them.
#include "catch.hpp"
#include "count_allocations.hpp"
#include "ws_test_support.hpp"

#include <tradewire/ws/reader.hpp>
#include <tradewire/ws/writer.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

using namespace ws_test;
using tradewire::ws::event_type;
using tradewire::ws::opcode;

namespace {

// One "round" of traffic as the peer would send it.
template <class Sender>
bytes traffic() {
    tradewire::ws::frame_writer<Sender> w;
    bytes wire;
    const auto add = [&](opcode op, const bytes& payload, bool fin) {
        bytes out(tradewire::ws::frame_writer<Sender>::frame_size(payload.size()));
        const auto r = w.write(out, op, payload, fin);
        REQUIRE(r.ok());
        wire.insert(wire.end(), out.begin(), out.end());
    };
    const bytes json = bytes_of(R"({"e":"trade","s":"BTCUSDT","p":"67321.50","q":"0.013","T":1717171717171,"m":true,"pad":"caf\xc3\xa9"})");
    for (int i = 0; i < 20; ++i) add(opcode::text, json, true);
    add(opcode::binary, bytes(65536, 0x5A), true);
    add(opcode::text, bytes_of(R"({"part":)"), false);
    add(opcode::ping, bytes_of("hb"), true);
    add(opcode::continuation, bytes(3000, ' '), false);
    add(opcode::pong, bytes{}, true);
    add(opcode::continuation, bytes_of("1}"), true);
    return wire;
}

template <class Receiver>
long count_steady_state_allocations(const bytes& wire, int rounds, long& messages) {
    tradewire::ws::message_reader<Receiver> reader;
    long seen = 0;
    const auto run = [&](int n) {
        for (int round = 0; round < n; ++round) {
            std::size_t pos = 0;
            while (pos < wire.size()) {
                auto space = reader.prepare(16384);
                const std::size_t k = std::min(space.size(), std::min<std::size_t>(16384, wire.size() - pos));
                std::memcpy(space.data(), wire.data() + pos, k);
                reader.commit(k);
                pos += k;
                for (auto ev = reader.next(); ev.type != event_type::need_more; ev = reader.next()) {
                    if (ev.type == event_type::error || ev.type == event_type::closed) return;
                    ++seen;
                }
            }
        }
    };
    run(3);  // warm-up: the buffer reaches its working size
    seen = 0;
    const long before = static_cast<long>(alloc_test::allocations());
    run(rounds);
    messages = seen;
    return static_cast<long>(alloc_test::allocations()) - before;
}

}  // namespace

TEST_CASE("the client reader allocates nothing per message in steady state") {
    const bytes wire = traffic<tradewire::ws::server_role>();
    long messages = 0;
    const long allocs = count_steady_state_allocations<tradewire::ws::client_role>(wire, 200, messages);
    CHECK(messages == 200 * 24);
    CHECK(allocs == 0);
}

TEST_CASE("the server reader allocates nothing per message in steady state (masked input)") {
    const bytes wire = traffic<tradewire::ws::client_role>();
    long messages = 0;
    const long allocs = count_steady_state_allocations<tradewire::ws::server_role>(wire, 200, messages);
    CHECK(messages == 200 * 24);
    CHECK(allocs == 0);
}

TEST_CASE("the writer never allocates") {
    tradewire::ws::frame_writer<tradewire::ws::client_role> w;
    std::vector<std::uint8_t> out(70000);
    const bytes big(65536, 1);
    long failures = 0;
    const long before = static_cast<long>(alloc_test::allocations());
    for (int i = 0; i < 5000; ++i) {
        failures += !w.text(out, R"({"op":"ping"})").ok();
        failures += !w.binary(out, big).ok();
        failures += !w.ping(out).ok();
    }
    failures += !w.close(out, tradewire::ws::close_code::normal, "bye").ok();
    const long allocs = static_cast<long>(alloc_test::allocations()) - before;
    CHECK(failures == 0);
    CHECK(allocs == 0);
}

TEST_CASE("the counter does count (the test can fail)") {
    const long before = static_cast<long>(alloc_test::allocations());
    void* p = ::operator new(16);  // a direct call: compilers may not elide it
    const long after = static_cast<long>(alloc_test::allocations());
    ::operator delete(p);
    CHECK(after - before == 1);
}
