// Sequencing policies on their own: the verdict each gives for in-order, stale,
// duplicate, gapped and malformed sequence fields, per the venues' documented rules.
#include "catch.hpp"

#include <tradewire/market/book_sync.hpp>

#include <climits>

using namespace tradewire::market;

namespace {
book_sequence range(std::int64_t first, std::int64_t last) {
    book_sequence s;
    s.first_update_id = first;
    s.last_update_id = last;
    return s;
}
book_sequence chain(std::int64_t prev, std::int64_t seq) {
    book_sequence s;
    s.prev_seq = prev;
    s.seq = seq;
    return s;
}
book_sequence upto(std::int64_t u) {
    book_sequence s;
    s.last_update_id = u;
    return s;
}
}  // namespace

TEST_CASE("update_id_range_sync follows Binance's local book rules") {
    update_id_range_sync p;
    CHECK_FALSE(p.snapshot_in_stream());
    CHECK(p.start(book_sequence{}) == error::missing_sequence);
    REQUIRE_FALSE(p.start(upto(160)));
    CHECK(p.last_update_id() == 160);
    // Entirely covered by the snapshot (u <= lastUpdateId): stale.
    CHECK(p.check(range(150, 155)) == sequence_verdict::skip);
    CHECK(p.check(range(157, 160)) == sequence_verdict::skip);
    // The first delta must straddle lastUpdateId + 1.
    CHECK(p.check(range(157, 165)) == sequence_verdict::apply);
    CHECK(p.check(range(161, 161)) == sequence_verdict::apply);
    CHECK(p.check(range(162, 170)) == sequence_verdict::gap);
    p.advance(range(157, 165));
    CHECK(p.last_update_id() == 165);
    CHECK(p.check(range(166, 170)) == sequence_verdict::apply);
    CHECK(p.check(range(167, 170)) == sequence_verdict::gap);
    CHECK(p.check(range(160, 165)) == sequence_verdict::skip);  // duplicate
    // Malformed: missing fields or an inverted range.
    CHECK(p.check(upto(170)) == sequence_verdict::invalid);
    CHECK(p.check(range(170, 166)) == sequence_verdict::invalid);
    const sequence_gap_info g = p.gap_info(range(167, 170));
    CHECK(g.expected == 166);
    CHECK(g.received == 167);
    // No overflow on hostile ids.
    REQUIRE_FALSE(p.start(upto(LLONG_MAX)));
    CHECK(p.check(range(LLONG_MAX, LLONG_MAX)) == sequence_verdict::skip);
}

TEST_CASE("prev_seq_chain_sync follows OKX's documented sequence (-1,10) (10,15) (15,15) (15,3) (3,5)") {
    prev_seq_chain_sync p;
    CHECK(p.snapshot_in_stream());
    CHECK(p.start(book_sequence{}) == error::missing_sequence);
    REQUIRE_FALSE(p.start(chain(-1, 10)));
    const book_sequence steps[] = {chain(10, 15), chain(15, 15), chain(15, 3), chain(3, 5)};
    for (const auto& s : steps) {
        CAPTURE(*s.prev_seq, *s.seq);
        REQUIRE(p.check(s) == sequence_verdict::apply);
        p.advance(s);
    }
    CHECK(p.last_seq() == 5);
    // A repeat of the last message is harmless; anything else off the chain is a gap,
    // even a lower seq (after a reset, lower does not mean older).
    CHECK(p.check(chain(3, 5)) == sequence_verdict::skip);
    CHECK(p.check(chain(4, 5)) == sequence_verdict::gap);
    CHECK(p.check(chain(1, 2)) == sequence_verdict::gap);
    CHECK(p.check(chain(6, 9)) == sequence_verdict::gap);
    CHECK(p.check(chain(5, 9)) == sequence_verdict::apply);
    CHECK(p.check(upto(6)) == sequence_verdict::invalid);
    const sequence_gap_info g = p.gap_info(chain(6, 9));
    CHECK(g.expected == 5);
    CHECK(g.received == 6);
}

TEST_CASE("prev_seq_chain_sync aligns a requested snapshot with buffered increments (HTX)") {
    prev_seq_chain_sync p(false);
    CHECK_FALSE(p.snapshot_in_stream());
    book_sequence snap;
    snap.seq = 100;
    REQUIRE_FALSE(p.start(snap));
    CHECK(p.check(chain(98, 99)) == sequence_verdict::skip);   // older than the snapshot
    CHECK(p.check(chain(99, 100)) == sequence_verdict::skip);  // contained in it
    CHECK(p.check(chain(101, 102)) == sequence_verdict::gap);  // the snapshot is too old
    CHECK(p.check(chain(100, 101)) == sequence_verdict::apply);
    p.advance(chain(100, 101));
    // Aligned: now only the chain counts.
    CHECK(p.check(chain(99, 100)) == sequence_verdict::gap);
}

TEST_CASE("snapshot_delta_sync orders Bybit deltas by u, optional consecutive check") {
    snapshot_delta_sync p;
    CHECK(p.snapshot_in_stream());
    REQUIRE_FALSE(p.start(upto(18521288)));
    CHECK(p.last_update_id() == 18521288);
    CHECK(p.check(upto(18521289)) == sequence_verdict::apply);
    CHECK(p.check(upto(18521300)) == sequence_verdict::apply);  // ids may jump
    CHECK(p.check(upto(18521288)) == sequence_verdict::skip);
    CHECK(p.check(upto(5)) == sequence_verdict::skip);
    p.advance(upto(18521300));
    // A service restart arrives as a snapshot with u == 1; start() accepts it.
    REQUIRE_FALSE(p.start(upto(1)));
    CHECK(p.check(upto(2)) == sequence_verdict::apply);

    snapshot_delta_sync strict(true);
    REQUIRE_FALSE(strict.start(upto(10)));
    CHECK(strict.check(upto(11)) == sequence_verdict::apply);
    CHECK(strict.check(upto(12)) == sequence_verdict::gap);
    const sequence_gap_info g = strict.gap_info(upto(12));
    CHECK(g.expected == 11);
    CHECK(g.received == 12);

    // Venues without per-book ids (Coinbase, Kraken): everything applies in order.
    snapshot_delta_sync none;
    REQUIRE_FALSE(none.start(book_sequence{}));
    CHECK_FALSE(none.last_update_id());
    CHECK(none.check(book_sequence{}) == sequence_verdict::apply);
    CHECK(none.check(upto(3)) == sequence_verdict::apply);
    none.advance(upto(3));
    CHECK(none.check(upto(3)) == sequence_verdict::skip);
}
