// (In tradewire::detail::feed_impl: a feed::detail namespace would hide tradewire::detail
// from code in namespace feed that names it unqualified.)
// Which synced_book a venue's order books use, and how a book that fell out of sync
// is rebuilt: from a REST snapshot (Binance diff depth) or by resubscribing the
// symbol's book channel, whose first message is a snapshot (OKX, Bybit).
#pragma once

#include <tradewire/market/book_sync.hpp>
#include <tradewire/market/checksum.hpp>
#include <tradewire/market/synced_book.hpp>
#include <tradewire/market/venue.hpp>

namespace tradewire::detail::feed_impl {

enum class resync_method : unsigned char { rest_snapshot, resubscribe };

template <market::venue V>
struct venue_books {
    using book_type = market::synced_book<market::snapshot_delta_sync>;
    static constexpr resync_method method = resync_method::resubscribe;
    // Bybit's reference text does not promise consecutive `u` on spot deltas (unverified),
    // so the check is opt-in (feed_options::consecutive_update_ids).
    static market::snapshot_delta_sync sync(bool consecutive) { return market::snapshot_delta_sync(consecutive); }
};

template <>
struct venue_books<market::venue::binance> {
    using book_type = market::synced_book<market::update_id_range_sync>;
    static constexpr resync_method method = resync_method::rest_snapshot;
    static market::update_id_range_sync sync(bool) { return {}; }
};

template <>
struct venue_books<market::venue::okx> {
    using book_type = market::synced_book<market::prev_seq_chain_sync, market::okx_checksum>;
    static constexpr resync_method method = resync_method::resubscribe;
    static market::prev_seq_chain_sync sync(bool) { return market::prev_seq_chain_sync(true); }
};

}  // namespace tradewire::detail::feed_impl
