// book_manager: routing by symbol, one book's resync leaving the others flowing,
// unknown symbols, removal, and resync of every book at once.
#include "catch.hpp"
#include "market_test_support.hpp"

#include <tradewire/market/book_manager.hpp>

using namespace mt;
using tradewire::symbol;

namespace {
symbol sym(std::string_view s) {
    std::error_code ec;
    const symbol out = symbol::parse(s, ec);
    REQUIRE_FALSE(ec);
    return out;
}
}  // namespace

TEST_CASE("book_manager routes events by symbol and isolates a resync") {
    book_manager<update_id_range_sync> books;
    CHECK(books.empty());
    const symbol btc = sym("BTC-USDT");
    const symbol eth = sym("ETH-USDT");
    books.add(eth);
    books.add(btc);
    CHECK(&books.add(btc) == books.find(btc));  // add is idempotent
    REQUIRE(books.size() == 2);
    CHECK(books.symbol_at(0) == btc);  // kept in symbol order

    simulated_venue vb(sequencing::update_id_range, 41);
    simulated_venue ve(sequencing::update_id_range, 42);
    for (int i = 0; i < 100; ++i) {
        vb.next_delta();
        ve.next_delta();
    }
    auto snap = [](const owned_message& m, const symbol& s) {
        book_snapshot e = m.snapshot();
        e.symbol = s;
        return e;
    };
    auto delta = [](const owned_message& m, const symbol& s) {
        book_delta e = m.delta();
        e.symbol = s;
        return e;
    };
    REQUIRE(books.on_snapshot(snap(vb.snapshot(), btc)).status == sync_status::applied);
    REQUIRE(books.on_snapshot(snap(ve.snapshot(), eth)).status == sync_status::applied);
    for (int i = 0; i < 20; ++i) {
        REQUIRE(books.on_delta(delta(vb.next_delta(), btc)).status == sync_status::applied);
        REQUIRE(books.on_delta(delta(ve.next_delta(), eth)).status == sync_status::applied);
    }
    // BTC loses a message: only BTC resyncs; ETH keeps applying.
    vb.next_delta();
    CHECK(books.on_delta(delta(vb.next_delta(), btc)).reason == error::sequence_gap);
    for (int i = 0; i < 10; ++i) {
        CHECK(books.on_delta(delta(vb.next_delta(), btc)).status == sync_status::buffered);
        CHECK(books.on_delta(delta(ve.next_delta(), eth)).status == sync_status::applied);
    }
    CHECK_FALSE(books.find(btc)->in_sync());
    CHECK(books.find(eth)->in_sync());
    REQUIRE(books.on_snapshot(snap(vb.snapshot(), btc)).status == sync_status::applied);
    CHECK(same_book(books.find(btc)->book(), vb.truth));
    CHECK(same_book(books.find(eth)->book(), ve.truth));

    // Unknown symbol.
    const sync_result r = books.on_delta(delta(vb.next_delta(), sym("DOGE-USDT")));
    CHECK(r.status == sync_status::ignored);
    CHECK(r.reason == error::unknown_book);
    CHECK(books.find(sym("DOGE-USDT")) == nullptr);

    int seen = 0;
    books.for_each([&](const symbol& s, auto& b) {
        CHECK((s == btc || s == eth));
        CHECK(b.in_sync());
        ++seen;
    });
    CHECK(seen == 2);

    books.request_resync_all();
    CHECK_FALSE(books.book_at(0).in_sync());
    CHECK_FALSE(books.book_at(1).in_sync());
    CHECK(books.book_at(1).reason() == error::resync_requested);

    CHECK(books.remove(btc));
    CHECK_FALSE(books.remove(btc));
    CHECK(books.size() == 1);
    CHECK(books.find(btc) == nullptr);
    CHECK(books.find(eth) != nullptr);
}

TEST_CASE("book_manager gives new books its defaults and policy prototype") {
    book_sync_options o;
    o.book.max_depth = 30;
    book_manager<prev_seq_chain_sync, okx_checksum> okx(o, prev_seq_chain_sync(true));
    auto& b = okx.add(sym("BTC-USDT"));
    CHECK(b.options().book.max_depth == 30);
    CHECK(b.sync_policy().snapshot_in_stream());
    book_sync_options deep;
    auto& c = okx.add(sym("ETH-USDT"), deep);
    CHECK(c.options().book.max_depth == 0);
    book_manager<prev_seq_chain_sync> htx({}, prev_seq_chain_sync(false));
    CHECK_FALSE(htx.add(sym("BTC-USDT")).sync_policy().snapshot_in_stream());
}
