// The simulator's market model and venue emitters, without sockets: determinism per
// seed, realistic cross-venue spreads, and every emitted message decoded by tradewire's
// own venue decoders into the expected events, with the books kept in sync by the
// market layer's sync policies (and checksums, for OKX).
#include "catch.hpp"

#include "../exchange/decode_support.hpp"
#include "sim_test_support.hpp"

#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/bybit.hpp>
#include <tradewire/exchange/okx.hpp>
#include <tradewire/market/synced_book.hpp>
#include <tradewire/sim/market_model.hpp>
#include <tradewire/sim/venue_text.hpp>

#include <cstdint>
#include <string>
#include <vector>

using namespace tradewire;
using tradewire::test::recorder;
using sim_test::replay;
using tradewire::test::same;

namespace {

// Every message every venue would send in `steps` steps, concatenated.
std::string transcript(std::uint64_t seed, int steps) {
    sim::model_config cfg;
    cfg.seed = seed;
    sim::market_model m(cfg);
    std::string all;
    for (int i = 0; i < steps; ++i) {
        m.step();
        for (sim::venue_id v : sim::all_venues) {
            for (std::size_t s = 0; s < m.symbol_count(); ++s) {
                const sim::text_source src{m.config().symbols[s], m.book(v, s), m.now_ms()};
                for (const auto& t : src.book.trades) sim::binance_text::trade(all, src, t);
                sim::okx_text::books(all, src, false, 0);
                sim::bybit_text::orderbook(all, src, 50, false);
                all += '\n';
            }
        }
    }
    return all;
}

std::string text_of(std::int64_t v, int decimals) {
    std::string s;
    sim::put_fixed(s, v, decimals);
    return s;
}

// The decoded book equals the model's venue book level for level (same text).
template <class Book>
bool same_book(const Book& book, const sim::venue_book& vb, const sim::symbol_config& sc) {
    const auto bids = book.bids().top(1000);
    const auto asks = book.asks().top(1000);
    if (bids.size() != vb.bids.size() || asks.size() != vb.asks.size()) return false;
    std::size_t i = 0;
    for (const auto& [p, q] : vb.bids) {
        if (!same(bids[i].price, text_of(p, sc.price_decimals)) || !same(bids[i].quantity, text_of(q, sc.size_decimals))) return false;
        ++i;
    }
    i = 0;
    for (const auto& [p, q] : vb.asks) {
        if (!same(asks[i].price, text_of(p, sc.price_decimals)) || !same(asks[i].quantity, text_of(q, sc.size_decimals))) return false;
        ++i;
    }
    return true;
}

}  // namespace

TEST_CASE("sim model: the same seed gives the same messages, another seed others") {
    const std::string a = transcript(11, 200);
    const std::string b = transcript(11, 200);
    const std::string c = transcript(12, 200);
    CHECK(a.size() > 10000);
    CHECK(a == b);
    CHECK(a != c);
}

TEST_CASE("sim model: prng distributions are sane") {
    sim::prng r(5);
    double sum = 0, sq = 0;
    constexpr int n = 20000;
    for (int i = 0; i < n; ++i) {
        const double g = r.gaussian();
        sum += g;
        sq += g * g;
    }
    CHECK(sum / n < 0.05);
    CHECK(sum / n > -0.05);
    CHECK(sq / n > 0.9);
    CHECK(sq / n < 1.1);
}

TEST_CASE("sim model: books are valid and cross-venue spreads open now and then") {
    sim::model_config cfg;
    cfg.seed = 3;
    sim::market_model m(cfg);
    int opportunities = 0, crossed_inside = 0;
    constexpr int steps = 9000;  // a quarter of a simulated hour (the model is deterministic per seed)
    for (int i = 0; i < steps; ++i) {
        m.step();
        for (std::size_t s = 0; s < m.symbol_count(); ++s) {
            bool opened = false;
            for (sim::venue_id x : sim::all_venues) {
                const auto& bx = m.book(x, s);
                if (bx.best_bid() >= bx.best_ask()) ++crossed_inside;
                for (sim::venue_id y : sim::all_venues) {
                    const auto& by = m.book(y, s);
                    // x's bid above y's ask by more than two taker fees of 0.1%.
                    if (static_cast<double>(bx.best_bid()) > static_cast<double>(by.best_ask()) * 1.002) opened = true;
                }
            }
            if (opened) ++opportunities;
        }
    }
    CAPTURE(opportunities);
    CHECK(crossed_inside == 0);
    CHECK(opportunities > 0);
    CHECK(opportunities < steps / 10);  // rare, not the normal state
}

TEST_CASE("sim binance: messages decode, diff depth syncs with the REST snapshot") {
    sim::model_config cfg;
    cfg.seed = 21;
    sim::market_model m(cfg);
    const sim::symbol_config& sc = m.config().symbols[0];
    exchange::binance::decoder dec;
    market::synced_book<market::update_id_range_sync> book;
    {
        std::string body;
        sim::binance_text::depth_snapshot(body, {sc, m.book(sim::venue_id::binance, 0), m.now_ms()}, 5000);
        recorder r;
        REQUIRE(dec.decode_rest_depth(std::span<char>(body.data(), body.size()), test::sym("BTC-USDT"), r));
        REQUIRE(r.books.size() == 1);
        // The snapshot arrives before any delta: buffered-ready.
        replay(book, r);
    }
    std::size_t trades = 0, applied = 0, tickers = 0;
    for (int i = 0; i < 300; ++i) {
        m.step();
        const sim::venue_book& vb = m.book(sim::venue_id::binance, 0);
        const sim::text_source src{sc, vb, m.now_ms()};
        for (const auto& t : vb.trades) {
            std::string text;
            sim::binance_text::trade(text, src, t);
            const recorder r = test::decode(dec, text);
            REQUIRE(r.trades.size() == 1);
            CHECK(r.trades[0].exchange_time == market::from_unix_ms(t.time_ms));
            CHECK(same(r.trades[0].price, text_of(t.price_ticks, 2)));
            CHECK(r.trades[0].taker_side == (t.taker_buy ? market::side::buy : market::side::sell));
            CHECK(r.trades[0].id == std::to_string(t.id));
            std::string agg;
            sim::binance_text::agg_trade(agg, src, t);
            CHECK(test::decode(dec, agg).trades.size() == 1);
            ++trades;
        }
        if (vb.bbo_changed) {
            std::string text;
            sim::binance_text::book_ticker(text, src);
            std::string combined;
            sim::binance_text::wrap_combined(combined, "btcusdt@bookTicker", text);
            const recorder r = test::decode(dec, combined);
            REQUIRE(r.bbos.size() == 1);
            CHECK(same(r.bbos[0].bid_price, text_of(vb.best_bid(), 2)));
            CHECK(r.bbos[0].update_id == vb.update_id);
            ++tickers;
        }
        if (vb.changed()) {
            std::string text;
            sim::binance_text::depth_update(text, src, vb.first_update_id, vb.update_id, vb.bid_changes, vb.ask_changes);
            const recorder r = test::decode(dec, text);
            REQUIRE(r.books.size() == 1);
            const auto res = replay(book, r);
            CHECK(res.status == market::sync_status::applied);
            if (res.status == market::sync_status::applied) ++applied;
        }
        if (i % 20 == 0) {
            std::string text;
            sim::binance_text::kline(text, src, vb.candle, false);
            const recorder r = test::decode(dec, text);
            REQUIRE(r.klines.size() == 1);
            CHECK(r.klines[0].open_time == market::from_unix_ms(vb.candle.open_time_ms));
            std::string partial, wrapped;
            sim::binance_text::depth_snapshot(partial, src, 5);
            sim::binance_text::wrap_combined(wrapped, "btcusdt@depth5@100ms", partial);
            const recorder p = test::decode(dec, wrapped);
            REQUIRE(p.books.size() == 1);
            CHECK(p.books[0].bids.size() == 5);
        }
    }
    CHECK(trades > 50);
    CHECK(tickers > 50);
    CHECK(applied > 250);
    CHECK(same_book(book.book(), m.book(sim::venue_id::binance, 0), sc));
}

TEST_CASE("sim okx: books chain and verify their checksums, trades, bbo and candles decode") {
    sim::model_config cfg;
    cfg.seed = 8;
    sim::market_model m(cfg);
    const sim::symbol_config& sc = m.config().symbols[1];
    exchange::okx::decoder dec;
    market::synced_book<market::prev_seq_chain_sync, market::okx_checksum> book;
    std::int64_t prev = -1;
    std::size_t applied = 0, trades = 0;
    for (int i = 0; i < 300; ++i) {
        m.step();
        const sim::venue_book& vb = m.book(sim::venue_id::okx, 1);
        const sim::text_source src{sc, vb, m.now_ms()};
        if (i == 0 || vb.changed()) {
            std::string text;
            sim::okx_text::books(text, src, i == 0, prev);
            prev = vb.update_id;
            const recorder r = test::decode(dec, text);
            REQUIRE(r.books.size() == 1);
            const auto res = replay(book, r);
            CHECK(res.status == market::sync_status::applied);
            if (res.status == market::sync_status::applied) ++applied;
        }
        if (!vb.trades.empty()) {
            std::string text;
            sim::okx_text::trades(text, src);
            const recorder r = test::decode(dec, text);
            REQUIRE(r.trades.size() == vb.trades.size());
            CHECK(r.trades[0].exchange_time == market::from_unix_ms(vb.trades[0].time_ms));
            trades += r.trades.size();
        }
        if (vb.bbo_changed) {
            std::string text;
            sim::okx_text::bbo_tbt(text, src);
            const recorder r = test::decode(dec, text);
            REQUIRE(r.bbos.size() == 1);
            CHECK(same(r.bbos[0].ask_price, text_of(vb.best_ask(), 2)));
        }
        if (i % 50 == 0) {
            std::string text;
            sim::okx_text::candle(text, src, vb.candle, false);
            const recorder r = test::decode(dec, text);
            REQUIRE(r.klines.size() == 1);
            std::string five;
            sim::okx_text::books5(five, src);
            const recorder f = test::decode(dec, five);
            REQUIRE(f.books.size() == 1);
            CHECK(f.books[0].asks.size() == 5);
        }
    }
    CHECK(applied > 250);
    CHECK(trades > 20);
    CHECK(same_book(book.book(), m.book(sim::venue_id::okx, 1), sc));
    CHECK(market::okx_checksum::compute(book.book()) == sim::okx_text::checksum({sc, m.book(sim::venue_id::okx, 1), 0}));

    // A corrupted checksum is caught.
    m.step();
    while (!m.book(sim::venue_id::okx, 1).changed()) m.step();
    std::string text;
    sim::okx_text::books(text, {sc, m.book(sim::venue_id::okx, 1), m.now_ms()}, false, prev, 1);
    const auto res = replay(book, test::decode(dec, text));
    CHECK(res.status == market::sync_status::resync_needed);
    CHECK(res.reason == market::error::checksum_mismatch);
}

TEST_CASE("sim bybit: orderbook.50 snapshot then consecutive deltas, trades, BBO and klines decode") {
    sim::model_config cfg;
    cfg.seed = 9;
    sim::market_model m(cfg);
    const sim::symbol_config& sc = m.config().symbols[0];
    exchange::bybit::decoder dec;
    market::synced_book<market::snapshot_delta_sync> book(market::book_sync_options{}, market::snapshot_delta_sync(true));
    std::size_t applied = 0;
    for (int i = 0; i < 300; ++i) {
        m.step();
        const sim::venue_book& vb = m.book(sim::venue_id::bybit, 0);
        const sim::text_source src{sc, vb, m.now_ms()};
        if (i == 0 || vb.changed()) {
            std::string text;
            sim::bybit_text::orderbook(text, src, 50, i == 0);
            const recorder r = test::decode(dec, text);
            REQUIRE(r.books.size() == 1);
            CHECK(r.books[0].exchange_time == market::from_unix_ms(m.now_ms()));
            const auto res = replay(book, r);
            CHECK(res.status == market::sync_status::applied);
            if (res.status == market::sync_status::applied) ++applied;
        }
        if (!vb.trades.empty()) {
            std::string text;
            sim::bybit_text::public_trade(text, src);
            const recorder r = test::decode(dec, text);
            REQUIRE(r.trades.size() == vb.trades.size());
            CHECK(r.trades[0].id == std::to_string(vb.trades[0].id));
        }
        if (vb.bbo_changed) {
            std::string text;
            sim::bybit_text::orderbook(text, src, 1, true);
            const recorder r = test::decode(dec, text);
            REQUIRE(r.bbos.size() == 1);
            CHECK(same(r.bbos[0].bid_quantity, text_of(vb.bids.begin()->second, 4)));
        }
        if (i % 50 == 0) {
            std::string text;
            sim::bybit_text::kline(text, src, vb.candle, false);
            REQUIRE(test::decode(dec, text).klines.size() == 1);
        }
    }
    CHECK(applied > 250);
    CHECK(same_book(book.book(), m.book(sim::venue_id::bybit, 0), sc));
}
