// synced_book scenarios from synthetic venue streams, per sync mechanism: in order,
// gap, duplicate, stale, new snapshot mid-stream, checksum mismatch, crossed book,
// resync while deltas keep arriving (compared with the venue's true book, so a lost
// delta shows), buffer overflow, checks switched off, depth window with a checksum.
#include "catch.hpp"
#include "count_allocations.hpp"
#include "market_test_support.hpp"

#include <tradewire/market/book_manager.hpp>
#include <tradewire/market/synced_book.hpp>

using namespace mt;

namespace {

using binance_book = synced_book<update_id_range_sync>;
using okx_book = synced_book<prev_seq_chain_sync, okx_checksum>;
using bybit_book = synced_book<snapshot_delta_sync>;
using kraken_book = synced_book<snapshot_delta_sync, kraken_checksum>;

std::int32_t okx_sum(const reference_book& r) {
    order_book b;
    const auto bids = r.bid_levels();
    const auto asks = r.ask_levels();
    REQUIRE_FALSE(b.apply_snapshot(bids, asks));
    return okx_checksum::compute(b);
}

// Feeds `n` fresh deltas that must all apply, then checks the book against the venue.
template <class Book>
void feed_applied(Book& book, simulated_venue& v, int n, bool okx = false) {
    for (int i = 0; i < n; ++i) {
        owned_message m = v.next_delta();
        if (okx) m.checksum = okx_sum(v.truth);
        const sync_result r = book.on_delta(m.delta());
        INFO("delta " << i << " reason " << r.reason.message());
        REQUIRE(r.status == sync_status::applied);
    }
    REQUIRE(book.in_sync());
    INFO("book " << dump(book.book()) << "\ntruth " << v.truth.dump());
    REQUIRE(same_book(book.book(), v.truth));
}

void warm_up(simulated_venue& v, int n = 200) {
    for (int i = 0; i < n; ++i) v.next_delta();
}

}  // namespace

// ---------------------------------------------------------------------------- Binance-style

TEST_CASE("update-id sync: initial snapshot races the stream, buffered deltas replay") {
    simulated_venue v(sequencing::update_id_range, 11);
    warm_up(v);
    binance_book book;
    CHECK_FALSE(book.in_sync());
    CHECK(book.reason() == error::no_snapshot);
    // The stream starts before the REST snapshot is taken...
    for (int i = 0; i < 10; ++i) CHECK(book.on_delta(v.next_delta().delta()).status == sync_status::buffered);
    const owned_message snap = v.snapshot();
    // ... and keeps going while it is in flight.
    for (int i = 0; i < 7; ++i) CHECK(book.on_delta(v.next_delta().delta()).status == sync_status::buffered);
    CHECK(book.buffered() == 17);
    const sync_result r = book.on_snapshot(snap.snapshot());
    CHECK(r.status == sync_status::applied);
    CHECK(r.snapshot_applied);
    CHECK(r.replayed == 7);
    CHECK(book.buffered() == 0);
    CHECK(book.in_sync());
    CHECK(same_book(book.book(), v.truth));
    CHECK(book.sync_policy().last_update_id() == v.last_id());
    feed_applied(book, v, 200);
}

TEST_CASE("update-id sync: a snapshot older than the buffered stream is refused") {
    simulated_venue v(sequencing::update_id_range, 12);
    warm_up(v);
    binance_book book;
    const owned_message old = v.snapshot();
    v.next_delta();  // missed: the stream connected later
    for (int i = 0; i < 5; ++i) book.on_delta(v.next_delta().delta());
    sync_result r = book.on_snapshot(old.snapshot());
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::snapshot_too_old);
    CHECK_FALSE(r.snapshot_applied);
    CHECK(r.gap.expected == old.sequence.last_update_id.value() + 1);
    CHECK_FALSE(book.in_sync());
    CHECK(book.buffered() == 5);  // kept for the next snapshot
    book.on_delta(v.next_delta().delta());
    const owned_message fresh = v.snapshot();
    book.on_delta(v.next_delta().delta());
    r = book.on_snapshot(fresh.snapshot());
    CHECK(r.status == sync_status::applied);
    CHECK(r.replayed == 1);
    CHECK(same_book(book.book(), v.truth));

    // With an empty buffer the first live delta tells: still snapshot_too_old.
    binance_book late;
    const owned_message snap = v.snapshot();
    v.next_delta();
    r = late.on_snapshot(snap.snapshot());
    CHECK(r.status == sync_status::applied);
    r = late.on_delta(v.next_delta().delta());
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::snapshot_too_old);
}

TEST_CASE("update-id sync: gap, then resync while deltas keep arriving, none is lost") {
    simulated_venue v(sequencing::update_id_range, 13);
    warm_up(v);
    binance_book book;
    REQUIRE(book.on_snapshot(v.snapshot().snapshot()).status == sync_status::applied);
    feed_applied(book, v, 50);

    const std::int64_t before_gap = v.last_id();
    v.next_delta();  // lost on the wire
    owned_message next = v.next_delta();
    sync_result r = book.on_delta(next.delta());
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::sequence_gap);
    CHECK(r.gap.expected == before_gap + 1);
    CHECK(r.gap.received > before_gap + 1);
    CHECK_FALSE(book.in_sync());
    CHECK(book.reason() == error::sequence_gap);
    // The adapter fetches a snapshot; deltas keep arriving before and after it is taken.
    for (int i = 0; i < 20; ++i) {
        r = book.on_delta(v.next_delta().delta());
        CHECK(r.status == sync_status::buffered);
        CHECK(r.reason == error::sequence_gap);
    }
    const owned_message snap = v.snapshot();
    for (int i = 0; i < 15; ++i) book.on_delta(v.next_delta().delta());
    r = book.on_snapshot(snap.snapshot());
    CHECK(r.status == sync_status::applied);
    CHECK(r.snapshot_applied);
    CHECK(r.replayed == 15);
    CHECK(same_book(book.book(), v.truth));
    feed_applied(book, v, 100);
}

TEST_CASE("update-id sync: duplicate and stale deltas are ignored") {
    simulated_venue v(sequencing::update_id_range, 14);
    warm_up(v);
    binance_book book;
    REQUIRE(book.on_snapshot(v.snapshot().snapshot()).status == sync_status::applied);
    const owned_message a = v.next_delta();
    REQUIRE(book.on_delta(a.delta()).status == sync_status::applied);
    feed_applied(book, v, 5);
    // A repeat of an old message (u < book id), and of the last one.
    CHECK(book.on_delta(a.delta()).status == sync_status::ignored);
    const owned_message b = v.next_delta();
    REQUIRE(book.on_delta(b.delta()).status == sync_status::applied);
    CHECK(book.on_delta(b.delta()).status == sync_status::ignored);
    CHECK(same_book(book.book(), v.truth));
    CHECK(book.in_sync());
}

TEST_CASE("update-id sync: a new snapshot mid-stream resets the book") {
    simulated_venue v(sequencing::update_id_range, 15);
    warm_up(v);
    binance_book book;
    REQUIRE(book.on_snapshot(v.snapshot().snapshot()).status == sync_status::applied);
    feed_applied(book, v, 20);
    for (int i = 0; i < 5; ++i) v.next_delta();  // not seen by the book
    const sync_result r = book.on_snapshot(v.snapshot().snapshot());
    CHECK(r.status == sync_status::applied);
    CHECK(r.snapshot_applied);
    CHECK(same_book(book.book(), v.truth));
    feed_applied(book, v, 20);
}

TEST_CASE("update-id sync: bounded buffer overflows with a clear error, then restarts") {
    simulated_venue v(sequencing::update_id_range, 16);
    warm_up(v);
    book_sync_options o;
    o.max_buffered_updates = 8;
    binance_book book(o);
    const owned_message early = v.snapshot();
    sync_result r;
    for (int i = 0; i < 8; ++i) CHECK(book.on_delta(v.next_delta().delta()).status == sync_status::buffered);
    r = book.on_delta(v.next_delta().delta());
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::buffer_overflow);
    CHECK(book.buffered() == 1);  // restarted from the overflowing delta
    CHECK(book.reason() == error::buffer_overflow);
    // The early snapshot predates what is kept now.
    r = book.on_snapshot(early.snapshot());
    CHECK(r.reason == error::snapshot_too_old);
    const owned_message snap = v.snapshot();
    book.on_delta(v.next_delta().delta());
    r = book.on_snapshot(snap.snapshot());
    CHECK(r.status == sync_status::applied);
    CHECK(same_book(book.book(), v.truth));

    // A level budget applies too.
    book_sync_options few;
    few.max_buffered_levels = 3;
    binance_book small(few);
    owned_message big = v.next_delta();
    big.bids = lv({{"1", "1"}, {"2", "1"}, {"3", "1"}, {"4", "1"}});
    r = small.on_delta(big.delta());
    CHECK(r.reason == error::buffer_overflow);
    CHECK(small.buffered() == 0);  // a single message over budget is not kept
}

TEST_CASE("update-id sync: sequence checks can be switched off") {
    simulated_venue v(sequencing::update_id_range, 17);
    warm_up(v);
    book_sync_options o;
    o.verify_sequence = false;
    binance_book book(o);
    REQUIRE(book.on_snapshot(v.snapshot().snapshot()).status == sync_status::applied);
    v.next_delta();  // lost
    const owned_message m = v.next_delta();
    CHECK(book.on_delta(m.delta()).status == sync_status::applied);  // applied despite the gap
    CHECK(book.in_sync());
    CHECK(book.on_delta(m.delta()).status == sync_status::ignored);  // stale is still skipped
}

TEST_CASE("update-id sync: a delta without ids asks for a resync") {
    binance_book book;
    REQUIRE(book.on_snapshot(owned_message{lv({{"1", "1"}}), {}, {std::nullopt, 5, {}, {}}, {}}.snapshot()).status ==
            sync_status::applied);
    owned_message m{lv({{"1", "2"}}), {}, {}, {}};
    const sync_result r = book.on_delta(m.delta());
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::missing_sequence);
    // A snapshot without its id is refused.
    CHECK(book.on_snapshot(owned_message{}.snapshot()).reason == error::missing_sequence);
}

TEST_CASE("crossed book is reported, and resyncs only when configured") {
    const auto bids = lv({{"100", "1"}});
    const auto asks = lv({{"101", "1"}});
    owned_message snap{bids, asks, {std::nullopt, 10, {}, {}}, {}};
    owned_message cross{lv({{"101.5", "1"}}), {}, {11, 11, {}, {}}, {}};

    binance_book relaxed;
    REQUIRE(relaxed.on_snapshot(snap.snapshot()).status == sync_status::applied);
    sync_result r = relaxed.on_delta(cross.delta());
    CHECK(r.status == sync_status::applied);
    CHECK(r.crossed);
    CHECK(relaxed.in_sync());

    book_sync_options o;
    o.resync_on_crossed = true;
    binance_book strict(o);
    REQUIRE(strict.on_snapshot(snap.snapshot()).status == sync_status::applied);
    r = strict.on_delta(cross.delta());
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::crossed_book);
    CHECK(r.crossed);
    CHECK_FALSE(strict.in_sync());
    // The crossing delta is kept: a snapshot taken before it replays it.
    r = strict.on_snapshot(snap.snapshot());
    CHECK(r.replayed == 1);
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::crossed_book);
}

// ---------------------------------------------------------------------------- OKX-style

TEST_CASE("prev-seq sync with OKX checksums: in order, heartbeats, reset sequences") {
    simulated_venue v(sequencing::prev_seq_chain, 21);
    warm_up(v);
    okx_book book;
    owned_message snap = v.snapshot();
    snap.checksum = okx_sum(v.truth);
    REQUIRE(book.on_snapshot(snap.snapshot()).status == sync_status::applied);
    feed_applied(book, v, 100, true);
    owned_message hb = v.heartbeat();
    hb.checksum = okx_sum(v.truth);
    CHECK(book.on_delta(hb.delta()).status == sync_status::applied);
    // Maintenance reset: seqId < prevSeqId is accepted.
    owned_message reset{lv({{"99.99", "1"}}), {}, {}, {}};
    v.truth.set(book_side::bid, reset.bids[0]);
    reset.sequence.prev_seq = v.last_id();
    reset.sequence.seq = 3;
    reset.checksum = okx_sum(v.truth);
    CHECK(book.on_delta(reset.delta()).status == sync_status::applied);
    owned_message after{lv({{"99.98", "2"}}), {}, {}, {}};
    v.truth.set(book_side::bid, after.bids[0]);
    after.sequence.prev_seq = 3;
    after.sequence.seq = 5;
    after.checksum = okx_sum(v.truth);
    CHECK(book.on_delta(after.delta()).status == sync_status::applied);
    CHECK(same_book(book.book(), v.truth));
    CHECK(book.on_delta(after.delta()).status == sync_status::ignored);  // duplicate
}

TEST_CASE("prev-seq sync: checksum mismatch resyncs this book, the new snapshot restores it") {
    simulated_venue v(sequencing::prev_seq_chain, 22);
    warm_up(v);
    okx_book book;
    REQUIRE(book.on_snapshot(v.snapshot().snapshot()).status == sync_status::applied);
    feed_applied(book, v, 30, true);
    owned_message bad = v.next_delta();
    bad.checksum = okx_sum(v.truth) ^ 1;
    sync_result r = book.on_delta(bad.delta());
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::checksum_mismatch);
    // Until the venue's new snapshot, deltas are superseded and ignored.
    for (int i = 0; i < 5; ++i) {
        r = book.on_delta(v.next_delta().delta());
        CHECK(r.status == sync_status::ignored);
        CHECK(r.reason == error::checksum_mismatch);
    }
    CHECK(book.buffered() == 0);
    owned_message snap = v.snapshot();
    snap.checksum = okx_sum(v.truth);
    r = book.on_snapshot(snap.snapshot());
    CHECK(r.status == sync_status::applied);
    CHECK(r.snapshot_applied);
    feed_applied(book, v, 30, true);

    // A snapshot can fail its own checksum too.
    snap = v.snapshot();
    snap.checksum = okx_sum(v.truth) + 1;
    CHECK(book.on_snapshot(snap.snapshot()).reason == error::checksum_mismatch);
}

TEST_CASE("prev-seq sync: gap, duplicate, and checksums switched off") {
    simulated_venue v(sequencing::prev_seq_chain, 23);
    warm_up(v);
    book_sync_options o;
    o.verify_checksum = false;
    okx_book book(o);
    REQUIRE(book.on_snapshot(v.snapshot().snapshot()).status == sync_status::applied);
    owned_message m = v.next_delta();
    m.checksum = 12345;  // wrong, but not verified
    CHECK(book.on_delta(m.delta()).status == sync_status::applied);
    CHECK(book.on_delta(m.delta()).status == sync_status::ignored);
    v.next_delta();  // lost
    const sync_result r = book.on_delta(v.next_delta().delta());
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::sequence_gap);
    REQUIRE(r.gap.expected);
    CHECK(*r.gap.expected == *m.sequence.seq);
    REQUIRE(book.on_snapshot(v.snapshot().snapshot()).status == sync_status::applied);
    feed_applied(book, v, 20);
}

TEST_CASE("prev-seq sync with a requested snapshot (HTX): buffer, align, replay") {
    simulated_venue v(sequencing::prev_seq_chain, 24);
    warm_up(v);
    synced_book<prev_seq_chain_sync> book({}, prev_seq_chain_sync(false));
    for (int i = 0; i < 6; ++i) CHECK(book.on_delta(v.next_delta().delta()).status == sync_status::buffered);
    owned_message snap = v.snapshot();
    snap.sequence.prev_seq.reset();  // a REQ answer carries seqNum only
    for (int i = 0; i < 4; ++i) book.on_delta(v.next_delta().delta());
    const sync_result r = book.on_snapshot(snap.snapshot());
    CHECK(r.status == sync_status::applied);
    CHECK(r.replayed == 4);
    CHECK(same_book(book.book(), v.truth));
    feed_applied(book, v, 50);
}

TEST_CASE("checksum depth: a window narrower than the checksum is widened to it") {
    book_sync_options o;
    o.book.max_depth = 5;
    okx_book book(o);
    CHECK(book.options().book.max_depth == 25);
    book_sync_options off = o;
    off.verify_checksum = false;
    okx_book unchecked(off);
    CHECK(unchecked.options().book.max_depth == 5);
}

TEST_CASE("prev-seq sync: 400-level venue book kept at depth 50 with checksums") {
    // The venue's true book is deep; the local book keeps 50 levels per side. Each
    // message's checksum covers the venue's top 25, which stays verifiable while the
    // local window holds at least 25 exact levels; when it no longer does, the checksum
    // fails and a fresh snapshot restores the window.
    simulated_venue v(sequencing::prev_seq_chain, 25);
    warm_up(v, 400);
    book_sync_options o;
    o.book.max_depth = 50;
    okx_book book(o);
    owned_message snap = v.snapshot();
    snap.checksum = okx_sum(v.truth);
    REQUIRE(book.on_snapshot(snap.snapshot()).status == sync_status::applied);
    REQUIRE(v.truth.bids.size() > 50);
    int applied = 0;
    int resyncs = 0;
    for (int i = 0; i < 2000; ++i) {
        owned_message m = v.next_delta();
        m.checksum = okx_sum(v.truth);
        const sync_result r = book.on_delta(m.delta());
        if (r.status == sync_status::applied) {
            ++applied;
            REQUIRE(book.book().bids().size() <= 50);
            REQUIRE(book.book().asks().size() <= 50);
            // Every level kept is exact, and the top 25 are the venue's.
            reference_book top = v.truth;
            top.truncate(25);
            REQUIRE(same_side(book.book().bids().top(25), top.bid_levels()));
            REQUIRE(same_side(book.book().asks().top(25), top.ask_levels()));
        } else if (r.status == sync_status::resync_needed) {
            REQUIRE(r.reason == error::checksum_mismatch);
            ++resyncs;
            owned_message s = v.snapshot();
            s.checksum = okx_sum(v.truth);
            REQUIRE(book.on_snapshot(s.snapshot()).status == sync_status::applied);
        }
    }
    CHECK(applied > 1000);
    INFO("resyncs " << resyncs);
    CHECK(resyncs < 200);
}

// ---------------------------------------------------------------------------- Bybit-style

TEST_CASE("snapshot+delta sync (Bybit): in order, stale, u == 1 restart snapshot") {
    simulated_venue v(sequencing::snapshot_delta, 31);
    warm_up(v);
    bybit_book book;
    // Deltas before the first snapshot are superseded by it.
    CHECK(book.on_delta(v.next_delta().delta()).status == sync_status::ignored);
    REQUIRE(book.on_snapshot(v.snapshot().snapshot()).status == sync_status::applied);
    const owned_message first = v.next_delta();
    REQUIRE(book.on_delta(first.delta()).status == sync_status::applied);
    feed_applied(book, v, 50);
    CHECK(book.on_delta(first.delta()).status == sync_status::ignored);  // stale
    // Service restart: a snapshot with u == 1, then deltas from 2.
    owned_message restart{lv({{"50", "1"}}), lv({{"60", "1"}}), {}, {}};
    restart.sequence.last_update_id = 1;
    REQUIRE(book.on_snapshot(restart.snapshot()).status == sync_status::applied);
    CHECK(dump(book.book()) == "bids 50:1 | asks 60:1 ");
    owned_message d{lv({{"51", "2"}}), {}, {}, {}};
    d.sequence.last_update_id = 2;
    CHECK(book.on_delta(d.delta()).status == sync_status::applied);
    CHECK(dump(book.book()) == "bids 51:2 50:1 | asks 60:1 ");
}

TEST_CASE("snapshot+delta sync: consecutive ids, gap, resubscribe") {
    simulated_venue v(sequencing::snapshot_delta, 32);
    warm_up(v);
    bybit_book book({}, snapshot_delta_sync(true));
    REQUIRE(book.on_snapshot(v.snapshot().snapshot()).status == sync_status::applied);
    feed_applied(book, v, 10);
    v.next_delta();
    sync_result r = book.on_delta(v.next_delta().delta());
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::sequence_gap);
    CHECK(book.on_delta(v.next_delta().delta()).status == sync_status::ignored);
    r = book.on_snapshot(v.snapshot().snapshot());
    CHECK(r.status == sync_status::applied);
    feed_applied(book, v, 10);
    // The application can declare the book stale itself (e.g. after a reconnect).
    r = book.request_resync();
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::resync_requested);
    CHECK_FALSE(book.in_sync());
    book.reset();
    CHECK(book.reason() == error::no_snapshot);
    CHECK(book.book().empty());
}

// ---------------------------------------------------------------------------- Kraken-style

TEST_CASE("snapshot+delta sync with Kraken checksums and a venue-maintained depth window") {
    book_sync_options o;
    o.book.max_depth = 10;
    o.book.venue_refills_window = true;
    kraken_book book(o);
    // The venue's book is deeper; it sends the top 10 and refills the window.
    reference_book venue;
    for (int i = 0; i < 15; ++i) {
        venue.set(book_side::bid, {dec("0.05" + std::to_string(10 + i)), dec("0.00000500")});
        venue.set(book_side::ask, {dec("0.06" + std::to_string(10 + i)), dec("1.0")});
    }
    auto window = [&] {
        reference_book w = venue;
        w.truncate(10);
        return w;
    };
    auto sum = [&] {
        order_book b;
        const reference_book w = window();
        const auto bids = w.bid_levels();
        const auto asks = w.ask_levels();
        REQUIRE_FALSE(b.apply_snapshot(bids, asks));
        return static_cast<std::int64_t>(kraken_checksum::compute(b));
    };
    const reference_book w = window();
    owned_message snap{w.bid_levels(), w.ask_levels(), {}, sum()};
    REQUIRE(book.on_snapshot(snap.snapshot()).status == sync_status::applied);
    CHECK(book.book().bids().size() == 10);
    // Best bid goes; the level entering the window comes with it.
    venue.set(book_side::bid, {dec("0.0524"), dec("0")});
    owned_message d{lv({{"0.0524", "0"}, {"0.0514", "0.00000500"}}), {}, {}, sum()};
    sync_result r = book.on_delta(d.delta());
    CHECK(r.status == sync_status::applied);
    CHECK(same_book(book.book(), window()));
    // A new best ask pushes the 10th ask out; the venue sends no delete for it.
    venue.set(book_side::ask, {dec("0.0605"), dec("2.5")});
    owned_message e{{}, lv({{"0.0605", "2.5"}}), {}, sum()};
    r = book.on_delta(e.delta());
    CHECK(r.status == sync_status::applied);
    CHECK(same_book(book.book(), window()));
    // A wrong checksum: resubscribe.
    owned_message f{{}, lv({{"0.0606", "1"}}), {}, sum() + 1};
    r = book.on_delta(f.delta());
    CHECK(r.status == sync_status::resync_needed);
    CHECK(r.reason == error::checksum_mismatch);
}

TEST_CASE("steady state: routing and applying deltas with checksums does not allocate") {
    simulated_venue v(sequencing::prev_seq_chain, 51);
    warm_up(v);
    std::vector<owned_message> stream;
    for (int i = 0; i < 300; ++i) {
        stream.push_back(v.next_delta());
        stream.back().checksum = okx_sum(v.truth);
    }
    book_manager<prev_seq_chain_sync, okx_checksum> books;
    std::error_code ec;
    const tradewire::symbol btc = tradewire::symbol::parse("BTC-USDT", ec);
    books.add(btc);
    books.add(tradewire::symbol::parse("ETH-USDT", ec));
    // The snapshot the stream starts from: the same venue replayed up to the first delta.
    simulated_venue replay(sequencing::prev_seq_chain, 51);
    warm_up(replay);
    owned_message start = replay.snapshot();
    start.checksum = okx_sum(replay.truth);
    book_snapshot s = start.snapshot();
    s.symbol = btc;
    REQUIRE(books.on_snapshot(s).status == sync_status::applied);
    std::vector<book_delta> events;
    for (const auto& m : stream) {
        events.push_back(m.delta());
        events.back().symbol = btc;
    }
    std::size_t not_applied = 0;
    const std::size_t before = alloc_test::allocations();
    for (const book_delta& d : events) not_applied += books.on_delta(d).status == sync_status::applied ? 0 : 1;
    const std::size_t after = alloc_test::allocations();
    CHECK(not_applied == 0);
    CHECK(after == before);
    CHECK(same_book(books.find(btc)->book(), v.truth));
}
