// The simulator end to end over real WebSocket (and HTTP) connections on 127.0.0.1: each
// venue's subscribe and ack, trades, BBO and depth decoded by tradewire's decoders, books
// kept in sync (Binance from the REST snapshot, OKX with checksums, Bybit snapshot and
// deltas), heartbeats, and the faults: dropped connections, sequence gaps, bad messages,
// corrupted checksums, idle disconnects.
#include "catch.hpp"

#include "../exchange/decode_support.hpp"
#include "sim_test_support.hpp"
#include "../net/net_test_support.hpp"

#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/bybit.hpp>
#include <tradewire/exchange/okx.hpp>
#include <tradewire/market/synced_book.hpp>
#include <tradewire/net/connect.hpp>
#include <tradewire/sim/simulator.hpp>

#include <asio/connect.hpp>
#include <asio/read.hpp>

#include <string>

using namespace net_test;
using namespace tradewire;
using tradewire::test::recorder;
using sim_test::replay;

namespace {

sim::simulator_options fast_options() {
    sim::simulator_options o;
    o.speed = 20.0;  // a 100 ms step every 5 ms
    o.model.seed = 77;
    return o;
}

asio::awaitable<std::string> read_text(client_stream& ws) {
    auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
    if (ec) {
        const auto why = ws.close_reason();
        FAIL("read failed: " << ec.message() << " (peer's Close " << static_cast<int>(why.code) << " "
                             << std::string(why.reason) << ")");
    }
    co_return std::string(m.text());
}

asio::awaitable<std::string> http_get(asio::io_context& io, std::uint16_t port, std::string target) {
    tcp::socket sock(io);
    co_await sock.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), use_awaitable);
    const std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    co_await asio::async_write(sock, asio::buffer(req), use_awaitable);
    std::string all;
    auto [ec, n] = co_await asio::async_read(sock, asio::dynamic_buffer(all), as_tuple_awaitable);
    (void)ec;
    (void)n;
    co_return all;
}

}  // namespace

TEST_CASE("simulator binance: combined streams, SUBSCRIBE ack, REST snapshot sync, ping frames") {
    asio::io_context io;
    auto o = fast_options();
    // A 100 ms step every 20 ms: an unoptimised sanitizer build keeps up with that while it
    // checks every message (at 20x its server queue overflows and the client is cut as
    // too slow before the second Ping).
    o.speed = 5.0;
    o.binance_ping_interval = std::chrono::milliseconds(400);
    sim::simulator s(io, o);
    REQUIRE_FALSE(s.start());
    CHECK(s.binance_ws_url().starts_with("ws://127.0.0.1:"));
    int pings = 0, trades = 0, applied = 0, tickers = 0;
    bool acked = false, listed = false, synced = false;
    std::string rest_head;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        ws.set_control_callback([&](ws::opcode op, const_bytes) {
            if (op == ws::opcode::ping) ++pings;
        });
        request_holder req(s.port(sim::venue_id::binance), "/stream?streams=btcusdt@trade/btcusdt@depth@100ms");
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        co_await ws.async_write_text(R"({"method":"SUBSCRIBE","params":["btcusdt@bookTicker"],"id":1})", use_awaitable);
        co_await ws.async_write_text(R"({"method":"LIST_SUBSCRIPTIONS","id":"two"})", use_awaitable);
        exchange::binance::decoder dec;
        market::synced_book<market::update_id_range_sync> book;
        bool have_snapshot = false;
        // Pings come every 400 ms: well inside 8000 messages.
        for (int i = 0; i < 8000 && (applied < 40 || pings < 2 || trades < 5); ++i) {
            const std::string text = co_await read_text(ws);
            const recorder r = test::decode(dec, text);
            CHECK(r.errors.empty());
            for (const auto& c : r.controls) {
                if (c.event.kind == exchange::control_kind::ack && c.request_id == "1") acked = true;
                if (c.event.kind == exchange::control_kind::subscriptions && c.topics.size() == 3) listed = true;
            }
            trades += static_cast<int>(r.trades.size());
            tickers += static_cast<int>(r.bbos.size());
            if (!r.books.empty()) {
                const auto res = replay(book, r);
                if (res.status == market::sync_status::applied) ++applied;
                CHECK(res.status != market::sync_status::resync_needed);
                if (!have_snapshot) {
                    // Fetch the snapshot after the first buffered event, as Binance documents.
                    have_snapshot = true;
                    const std::string resp = co_await http_get(io, s.binance_rest_port(), "/api/v3/depth?symbol=BTCUSDT&limit=1000");
                    rest_head = resp.substr(0, resp.find("\r\n"));
                    std::string body = resp.substr(resp.find("\r\n\r\n") + 4);
                    recorder snap;
                    dec.decode_rest_depth(std::span<char>(body.data(), body.size()), test::sym("BTC-USDT"), snap);
                    REQUIRE(snap.books.size() == 1);
                    const auto sr = replay(book, snap);
                    CHECK(sr.status == market::sync_status::applied);
                    synced = sr.status == market::sync_status::applied;
                }
            }
        }
        const std::string bad = co_await http_get(io, s.binance_rest_port(), "/api/v3/depth?symbol=NOPE&limit=5");
        CHECK(bad.starts_with("HTTP/1.1 400"));
        co_await ws.async_close(ws::close_code::normal, "", use_awaitable);
        s.stop();
    });
    const bool finished = run_io(io);
    CAPTURE(pings, applied, trades, tickers, acked, synced);
    REQUIRE(finished);
    CHECK(rest_head == "HTTP/1.1 200 OK");
    CHECK(acked);
    CHECK(listed);
    CHECK(synced);
    CHECK(applied >= 40);
    CHECK(trades >= 5);
    CHECK(tickers > 0);
    CHECK(pings >= 2);
}

TEST_CASE("simulator okx: subscribe acks, checksummed books, ping/pong, errors, idle disconnect") {
    asio::io_context io;
    auto o = fast_options();
    o.okx_idle_timeout = std::chrono::milliseconds(500);
    sim::simulator s(io, o);
    REQUIRE_FALSE(s.start());
    int acks = 0, applied = 0, trades = 0, pongs = 0, errors = 0;
    bool idle_closed = false;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(s.port(sim::venue_id::okx), "/ws/v5/public");
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        co_await ws.async_write_text(
            R"({"id":"7","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},{"channel":"trades","instId":"BTC-USDT"},{"channel":"bbo-tbt","instId":"ETH-USDT"}]})",
            use_awaitable);
        co_await ws.async_write_text(R"({"op":"subscribe","args":[{"channel":"nope","instId":"BTC-USDT"}]})", use_awaitable);
        co_await ws.async_write_text(R"({"op":"subscribe","args":)", use_awaitable);
        exchange::okx::decoder dec;
        market::synced_book<market::prev_seq_chain_sync, market::okx_checksum> book;
        for (int i = 0; i < 3000 && (applied < 40 || trades < 5 || pongs < 1); ++i) {
            if (i % 50 == 20) co_await ws.async_write_text("ping", use_awaitable);  // stay within the idle timeout
            const std::string text = co_await read_text(ws);
            if (text == "pong") {
                ++pongs;
                continue;
            }
            const recorder r = test::decode(dec, text);
            CHECK(r.errors.empty());
            for (const auto& c : r.controls) {
                if (c.event.kind == exchange::control_kind::subscribed) ++acks;
                if (c.event.kind == exchange::control_kind::error) ++errors;
            }
            trades += static_cast<int>(r.trades.size());
            if (!r.books.empty()) {
                const auto res = replay(book, r);
                CHECK(res.status == market::sync_status::applied);
                if (res.status == market::sync_status::applied) ++applied;
            }
        }
        // A second client that never speaks is closed after the idle timeout.
        client_stream quiet(io);
        request_holder req2(s.port(sim::venue_id::okx), "/ws/v5/business");
        co_await net::async_connect(quiet, req2.request, {}, use_awaitable);
        auto [ec, m] = co_await quiet.async_read(as_tuple_awaitable);
        (void)m;
        idle_closed = static_cast<bool>(ec);
        co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
        s.stop();
    });
    REQUIRE(run_io(io));
    CHECK(acks == 3);
    CHECK(errors == 2);
    CHECK(applied >= 40);
    CHECK(trades >= 5);
    CHECK(pongs >= 1);
    CHECK(idle_closed);
}

TEST_CASE("simulator bybit: acks, 10-arg limit, snapshot and deltas, op ping") {
    asio::io_context io;
    sim::simulator s(io, fast_options());
    REQUIRE_FALSE(s.start());
    int acks = 0, refused = 0, pongs = 0, applied = 0, bbos = 0, trades = 0;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(s.port(sim::venue_id::bybit), "/v5/public/spot");
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        co_await ws.async_write_text(
            R"({"req_id":"a","op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.BTCUSDT","orderbook.1.ETHUSDT"]})",
            use_awaitable);
        co_await ws.async_write_text(
            R"({"req_id":"b","op":"subscribe","args":["kline.1.BTCUSDT","kline.1.BTCUSDT","kline.1.BTCUSDT","kline.1.BTCUSDT","kline.1.BTCUSDT","kline.1.BTCUSDT","kline.1.BTCUSDT","kline.1.BTCUSDT","kline.1.BTCUSDT","kline.1.BTCUSDT","kline.1.BTCUSDT"]})",
            use_awaitable);
        co_await ws.async_write_text(R"({"req_id":"p","op":"ping"})", use_awaitable);
        exchange::bybit::decoder dec;
        market::synced_book<market::snapshot_delta_sync> book(market::book_sync_options{}, market::snapshot_delta_sync(true));
        for (int i = 0; i < 3000 && (applied < 40 || trades < 5 || bbos < 5); ++i) {
            const std::string text = co_await read_text(ws);
            const recorder r = test::decode(dec, text);
            CHECK(r.errors.empty());
            for (const auto& c : r.controls) {
                if (c.event.kind == exchange::control_kind::subscribed && c.event.success) ++acks;
                if (c.event.kind == exchange::control_kind::pong) ++pongs;
                if (!c.event.success) ++refused;
            }
            trades += static_cast<int>(r.trades.size());
            bbos += static_cast<int>(r.bbos.size());
            if (!r.books.empty()) {
                const auto res = replay(book, r);
                CHECK(res.status == market::sync_status::applied);
                if (res.status == market::sync_status::applied) ++applied;
            }
        }
        co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
        s.stop();
    });
    REQUIRE(run_io(io));
    CHECK(acks == 1);
    CHECK(refused == 1);
    CHECK(pongs == 1);
    CHECK(applied >= 40);
    CHECK(trades >= 5);
    CHECK(bbos >= 5);
}

TEST_CASE("simulator faults: gaps detected by the book, bad messages give decode errors, drops disconnect") {
    asio::io_context io;
    auto o = fast_options();
    o.model.symbols.resize(1);  // every gap hits BTCUSDT
    o.faults.gap_every_steps = 25;
    o.faults.bad_message_every_steps = 10;
    o.faults.drop_every_ms = 6000;
    sim::simulator s(io, o);
    REQUIRE_FALSE(s.start());
    int gaps = 0, decode_errors = 0, events = 0;
    bool dropped = false;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(s.port(sim::venue_id::binance), "/ws/btcusdt@depth@100ms");
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        exchange::binance::decoder dec;
        market::synced_book<market::update_id_range_sync> book;
        bool have_snapshot = false;
        for (int i = 0; i < 5000; ++i) {
            auto [ec, m] = co_await ws.async_read(as_tuple_awaitable);
            if (ec) {
                dropped = true;
                break;
            }
            const recorder r = test::decode(dec, std::string(m.text()));
            decode_errors += static_cast<int>(r.errors.size());
            events += static_cast<int>(r.events());
            if (r.books.empty()) continue;
            const auto res = replay(book, r);
            if (res.status == market::sync_status::resync_needed) {
                CHECK(res.reason == market::error::sequence_gap);
                ++gaps;
            }
            if (!have_snapshot || res.needs_snapshot()) {
                have_snapshot = true;
                const std::string resp = co_await http_get(io, s.binance_rest_port(), "/api/v3/depth?symbol=BTCUSDT&limit=100");
                std::string body = resp.substr(resp.find("\r\n\r\n") + 4);
                recorder snap;
                dec.decode_rest_depth(std::span<char>(body.data(), body.size()), test::sym("BTC-USDT"), snap);
                replay(book, snap);
            }
        }
        s.stop();
    });
    REQUIRE(run_io(io));
    CHECK(dropped);
    CHECK(gaps >= 1);
    CHECK(decode_errors >= 3);
    CHECK(events > 20);
    CHECK(s.stats().drops >= 1);
}

TEST_CASE("simulator faults: OKX checksum corruption is caught by the book") {
    asio::io_context io;
    auto o = fast_options();
    o.faults.checksum_corruption_every_steps = 15;
    sim::simulator s(io, o);
    REQUIRE_FALSE(s.start());
    int mismatches = 0;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(s.port(sim::venue_id::okx), "/ws/v5/public");
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        co_await ws.async_write_text(R"({"op":"subscribe","args":[{"channel":"books","instId":"ETH-USDT"}]})", use_awaitable);
        exchange::okx::decoder dec;
        market::synced_book<market::prev_seq_chain_sync, market::okx_checksum> book;
        for (int i = 0; i < 400 && mismatches == 0; ++i) {
            const std::string text = co_await read_text(ws);
            const auto res = replay(book, test::decode(dec, text));
            if (res.status == market::sync_status::resync_needed && res.reason == market::error::checksum_mismatch) ++mismatches;
        }
        co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
        s.stop();
    });
    REQUIRE(run_io(io));
    CHECK(mismatches == 1);
}

namespace {

// Connects to Bybit, subscribes, then steps the simulator by hand and returns the first
// `count` data messages.
std::vector<std::string> bybit_session(std::uint64_t seed, std::size_t count) {
    asio::io_context io;
    auto o = fast_options();
    o.speed = 0.0;  // manual: advance() steps
    o.model.seed = seed;
    sim::simulator s(io, o);
    REQUIRE_FALSE(s.start());
    std::vector<std::string> got;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(s.port(sim::venue_id::bybit), "/v5/public/spot");
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        co_await ws.async_write_text(R"({"op":"subscribe","args":["orderbook.50.BTCUSDT","publicTrade.ETHUSDT"]})", use_awaitable);
        const std::string ack = co_await read_text(ws);
        CHECK(ack.find(R"("success":true)") != std::string::npos);
        s.advance(200);
        while (got.size() < count) got.push_back(co_await read_text(ws));
        co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
        s.stop();
    });
    REQUIRE(run_io(io));
    return got;
}

}  // namespace

TEST_CASE("simulator: a seed gives the same messages with the same exchange times on every run") {
    const auto a = bybit_session(5, 150);
    const auto b = bybit_session(5, 150);
    const auto c = bybit_session(6, 150);
    REQUIRE(a.size() == 150);
    CHECK(a == b);
    CHECK(a != c);
    CHECK(a[0].find(R"("type":"snapshot")") != std::string::npos);
}

TEST_CASE("simulator faults: a stall stops the data, then book channels restart with a snapshot") {
    asio::io_context io;
    auto o = fast_options();
    o.faults.stall_every_ms = 3000;
    o.faults.stall_ms = 2000;
    sim::simulator s(io, o);
    REQUIRE_FALSE(s.start());
    int snapshots = 0;
    std::int64_t longest_silence_ms = 0;
    spawn(io, [&]() -> asio::awaitable<void> {
        client_stream ws(io);
        request_holder req(s.port(sim::venue_id::bybit), "/v5/public/spot");
        co_await net::async_connect(ws, req.request, {}, use_awaitable);
        co_await ws.async_write_text(R"({"op":"subscribe","args":["orderbook.50.BTCUSDT"]})", use_awaitable);
        exchange::bybit::decoder dec;
        std::optional<market::timestamp> last;
        for (int i = 0; i < 3000 && snapshots < 2; ++i) {
            const recorder r = test::decode(dec, co_await read_text(ws));
            for (const auto& b : r.books) {
                if (b.snapshot) ++snapshots;
                if (last && b.exchange_time) longest_silence_ms = std::max(longest_silence_ms, (*b.exchange_time - *last) / 1'000'000);
                last = b.exchange_time;
            }
        }
        co_await ws.async_close(ws::close_code::normal, "", as_tuple_awaitable);
        s.stop();
    });
    REQUIRE(run_io(io));
    CHECK(snapshots == 2);
    CHECK(longest_silence_ms >= 1900);
    CHECK(s.stats().stalls >= 1);
}
