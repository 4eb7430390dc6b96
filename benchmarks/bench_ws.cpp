// The WebSocket protocol core: frame header parsing, the message reader on small text
// frames (a market-data feed) and on 64 KiB masked binary frames (server role), masking
// against memcpy, and UTF-8 validation against a plain byte loop. With Boost available,
// Boost.Beast reads the very same pre-built frames in the same binary as a baseline:
// websocket::stream over beast::test::stream, opened by an in-memory handshake, the
// frames appended to its input (the "socket" copy, as our benchmark memcpy's them into
// prepare()) and read message by message into a reused flat_buffer.
//
// Ratios to look at: BM_mask_64k vs BM_memcpy_64k, BM_reader_* vs BM_beast_*,
// BM_utf8_validate_64k vs BM_plain_byte_loop_64k (all bytes/s).
#include <tradewire/ws.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#if defined(TRADEWIRE_HAVE_BOOST_BEAST)
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#endif

namespace {

namespace ws = tradewire::ws;
using bytes = std::vector<std::uint8_t>;

// ~200 bytes of trade JSON, as a venue would stream it.
std::string trade_json(int i) {
    std::string s = R"({"e":"trade","E":17171717)" + std::to_string(10000 + i) +
                    R"(,"s":"BTCUSDT","t":4012345678,"p":"67321.50000000","q":"0.01300000","b":88888888,"a":99999999,"T":1717171717171,"m":true,"M":true,"x":"pad"})";
    s.resize(200, ' ');
    return s;
}

// Frames as the peer would send them: unmasked from a server, masked from a client.
template <class Sender>
bytes build_frames(std::size_t count, ws::opcode op, const std::vector<std::string>& payloads) {
    ws::frame_writer<Sender> writer;
    bytes wire;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string& p = payloads[i % payloads.size()];
        bytes out(ws::frame_writer<Sender>::frame_size(p.size()));
        const auto r = writer.write(out, op, tradewire::as_bytes(p));
        wire.insert(wire.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(r.size));
    }
    return wire;
}

std::vector<std::string> text_payloads() {
    std::vector<std::string> v;
    for (int i = 0; i < 16; ++i) v.push_back(trade_json(i));
    return v;
}

std::vector<std::string> binary_payloads() {
    std::string p(65536, '\0');
    for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<char>(i * 131 + 7);
    return {p};
}

constexpr std::size_t text_batch = 320;   // ~65 KiB of frames per iteration
constexpr std::size_t binary_batch = 4;   // 256 KiB per iteration

// ---------------------------------------------------------------------------------------

void BM_parse_header(benchmark::State& state) {
    // A mix of the three length forms, masked and not.
    const bytes headers[] = {
        {0x81, 0x7D},
        {0x82, 0xFE, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44},
        {0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00},
        {0x89, 0x85, 0x37, 0xfa, 0x21, 0x3d},
    };
    ws::frame_header h;
    std::uint64_t sum = 0;
    for (auto _ : state) {
        for (const auto& hb : headers) {
            const auto r = ws::parse_frame_header(hb, h);
            sum += r.header_size + h.payload_size;
        }
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 4);
}
BENCHMARK(BM_parse_header);

template <class Role>
void run_reader(benchmark::State& state, const bytes& wire, std::size_t messages_per_batch) {
    ws::message_reader<Role> reader;
    std::size_t seen = 0;
    for (auto _ : state) {
        auto space = reader.prepare(wire.size());
        std::memcpy(space.data(), wire.data(), wire.size());  // what the socket read would do
        reader.commit(wire.size());
        for (auto ev = reader.next(); ev.type != ws::event_type::need_more; ev = reader.next()) {
            benchmark::DoNotOptimize(ev.payload.data());
            ++seen;
        }
    }
    if (seen != messages_per_batch * state.iterations()) state.SkipWithError("unexpected event count");
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * messages_per_batch));
}

void BM_reader_text200_client(benchmark::State& state) {
    static const bytes wire = build_frames<ws::server_role>(text_batch, ws::opcode::text, text_payloads());
    run_reader<ws::client_role>(state, wire, text_batch);
}
BENCHMARK(BM_reader_text200_client);

void BM_reader_text200_server(benchmark::State& state) {
    static const bytes wire = build_frames<ws::client_role>(text_batch, ws::opcode::text, text_payloads());
    run_reader<ws::server_role>(state, wire, text_batch);
}
BENCHMARK(BM_reader_text200_server);

void BM_reader_binary64k_server(benchmark::State& state) {
    static const bytes wire = build_frames<ws::client_role>(binary_batch, ws::opcode::binary, binary_payloads());
    run_reader<ws::server_role>(state, wire, binary_batch);
}
BENCHMARK(BM_reader_binary64k_server);

void BM_writer_text200_client(benchmark::State& state) {
    const auto payloads = text_payloads();
    ws::frame_writer<ws::client_role> writer;
    bytes out(ws::frame_writer<ws::client_role>::frame_size(200));
    std::size_t i = 0;
    for (auto _ : state) {
        const auto r = writer.text(out, payloads[i++ & 15]);
        benchmark::DoNotOptimize(r.size);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_writer_text200_client);

// ---------------------------------------------------------------------------------------

#if defined(TRADEWIRE_HAVE_BOOST_BEAST)

namespace beast = boost::beast;

// A Beast stream pair opened by a real (in-memory) handshake; the benchmark then appends
// pre-built frames to one side's input and reads them there.
struct beast_pair {
    boost::asio::io_context ioc;
    beast::websocket::stream<beast::test::stream> client{ioc};
    beast::websocket::stream<beast::test::stream> server{ioc};

    beast_pair() {
        client.next_layer().connect(server.next_layer());
        beast::error_code accept_ec, handshake_ec;
        server.async_accept([&](beast::error_code ec) { accept_ec = ec; });
        client.async_handshake("localhost", "/", [&](beast::error_code ec) { handshake_ec = ec; });
        ioc.run();
        ok = !accept_ec && !handshake_ec;
        client.read_message_max(std::size_t{64} << 20);
        server.read_message_max(std::size_t{64} << 20);
    }
    bool ok = false;
};

void run_beast(benchmark::State& state, beast::websocket::stream<beast::test::stream>& side, const bytes& wire,
               std::size_t messages_per_batch) {
    const beast::string_view view(reinterpret_cast<const char*>(wire.data()), wire.size());
    beast::flat_buffer buffer;
    std::size_t seen = 0;
    beast::error_code ec;
    for (auto _ : state) {
        side.next_layer().append(view);
        for (std::size_t m = 0; m < messages_per_batch; ++m) {
            side.read(buffer, ec);
            if (ec) break;
            benchmark::DoNotOptimize(buffer.data().data());
            buffer.consume(buffer.size());
            ++seen;
        }
        if (ec) break;
    }
    if (ec || seen != messages_per_batch * state.iterations()) {
        state.SkipWithError("beast read failed");
        return;
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * messages_per_batch));
}

void BM_beast_text200_client(benchmark::State& state) {
    static const bytes wire = build_frames<ws::server_role>(text_batch, ws::opcode::text, text_payloads());
    beast_pair pair;
    if (!pair.ok) return state.SkipWithError("beast handshake failed");
    run_beast(state, pair.client, wire, text_batch);
}
BENCHMARK(BM_beast_text200_client);

void BM_beast_text200_server(benchmark::State& state) {
    static const bytes wire = build_frames<ws::client_role>(text_batch, ws::opcode::text, text_payloads());
    beast_pair pair;
    if (!pair.ok) return state.SkipWithError("beast handshake failed");
    run_beast(state, pair.server, wire, text_batch);
}
BENCHMARK(BM_beast_text200_server);

void BM_beast_binary64k_server(benchmark::State& state) {
    static const bytes wire = build_frames<ws::client_role>(binary_batch, ws::opcode::binary, binary_payloads());
    beast_pair pair;
    if (!pair.ok) return state.SkipWithError("beast handshake failed");
    run_beast(state, pair.server, wire, binary_batch);
}
BENCHMARK(BM_beast_binary64k_server);

#endif

// ---------------------------------------------------------------------------------------

constexpr std::size_t block = 65536;

void BM_memcpy_64k(benchmark::State& state) {
    bytes src(block, 0x5A), dst(block);
    for (auto _ : state) {
        std::memcpy(dst.data(), src.data(), block);
        benchmark::DoNotOptimize(dst.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * block));
}
BENCHMARK(BM_memcpy_64k);

void BM_mask_64k(benchmark::State& state) {
    bytes data(block, 0x5A);
    std::uint64_t offset = 0;
    for (auto _ : state) {
        ws::apply_mask(data, 0x37fa213d, offset++);
        benchmark::DoNotOptimize(data.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * block));
}
BENCHMARK(BM_mask_64k);

// The individual kernels, to see what the dispatch picked and what the fallbacks cost.
void BM_mask_64k_portable(benchmark::State& state) {
    bytes data(block, 0x5A);
    for (auto _ : state) {
        ws::detail::mask_words(data.data(), data.size(), 0x3d21fa37);
        benchmark::DoNotOptimize(data.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * block));
}
BENCHMARK(BM_mask_64k_portable);

#if defined(TRADEWIRE_WS_MASK_X86)
void BM_mask_64k_sse2(benchmark::State& state) {
    bytes data(block, 0x5A);
    for (auto _ : state) {
        ws::detail::mask_sse2(data.data(), data.size(), 0x3d21fa37);
        benchmark::DoNotOptimize(data.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * block));
}
BENCHMARK(BM_mask_64k_sse2);

void BM_mask_64k_avx2(benchmark::State& state) {
    if (!ws::detail::cpu_has_avx2()) return state.SkipWithError("no AVX2");
    bytes data(block, 0x5A);
    for (auto _ : state) {
        ws::detail::mask_avx2(data.data(), data.size(), 0x3d21fa37);
        benchmark::DoNotOptimize(data.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * block));
}
BENCHMARK(BM_mask_64k_avx2);
#endif

// ---------------------------------------------------------------------------------------

// 64 KiB of venue-style JSON, mostly ASCII with a sprinkling of 2-, 3- and 4-byte UTF-8.
const std::string& json_64k() {
    static const std::string text = [] {
        std::string s;
        int i = 0;
        while (s.size() < block) {
            s += trade_json(i);
            if (i % 4 == 0) s += "{\"note\":\"caf\xc3\xa9 \xe2\x82\xac" "5 \xf0\x9f\x9a\x80\"}";
            s += ',';
            ++i;
        }
        // Cut on a code point boundary.
        s.resize(block);
        while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
        if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
        return s;
    }();
    return text;
}

void BM_utf8_validate_64k(benchmark::State& state) {
    const std::string& text = json_64k();
    bool ok = true;
    for (auto _ : state) {
        ok &= ws::is_valid_utf8(text);
        benchmark::DoNotOptimize(ok);
    }
    if (!ok) state.SkipWithError("text should be valid");
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_utf8_validate_64k);

// The baseline: one pass over the same bytes doing the least useful work (count ASCII).
void BM_plain_byte_loop_64k(benchmark::State& state) {
    const std::string& text = json_64k();
    for (auto _ : state) {
        std::size_t ascii = 0;
        for (const char c : text) ascii += static_cast<unsigned char>(c) < 0x80;
        benchmark::DoNotOptimize(ascii);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_plain_byte_loop_64k);

}  // namespace

BENCHMARK_MAIN();
