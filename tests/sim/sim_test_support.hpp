// Helpers shared by the simulator tests.
#pragma once

#include "../exchange/decode_support.hpp"

#include <tradewire/market/events.hpp>
#include <tradewire/market/synced_book.hpp>

namespace sim_test {

// Replays every book event a decoder recorded into a synced book (snapshots and deltas in
// the order they were decoded); returns the result of the last one.
template <class Book>
tradewire::market::sync_result replay(Book& book, const tradewire::test::recorder& r) {
    tradewire::market::sync_result last;
    for (const auto& b : r.books) {
        if (b.snapshot) {
            tradewire::market::book_snapshot s;
            s.bids = b.bids;
            s.asks = b.asks;
            s.sequence = b.sequence;
            s.checksum = b.checksum;
            last = book.on_snapshot(s);
        } else {
            tradewire::market::book_delta d;
            d.bids = b.bids;
            d.asks = b.asks;
            d.sequence = b.sequence;
            d.checksum = b.checksum;
            last = book.on_delta(d);
        }
    }
    return last;
}

}  // namespace sim_test
