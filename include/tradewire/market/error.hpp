// Error codes of the market layer (category "tradewire.market"): why an order book was
// declared out of sync (a missed update, a checksum that disagrees, a crossed book, a
// snapshot older than the buffered updates, an overflowing buffer) and why an update was
// rejected (a negative size, a price the book cannot represent, a missing sequence field).
// A book that reports one of these stays unusable until a new snapshot is applied.
#pragma once

#include <tradewire/core/error.hpp>

#include <system_error>
#include <type_traits>

namespace tradewire::market {

enum class error {
    sequence_gap = 1,     // an update was missed (ids or sequence numbers do not chain)
    checksum_mismatch,    // the local book disagrees with the venue's checksum
    crossed_book,         // best bid >= best ask after a whole message was applied
    snapshot_too_old,     // the snapshot predates the buffered updates: fetch another one
    buffer_overflow,      // too many updates arrived while waiting for a snapshot
    missing_sequence,     // the message lacks a sequence field the sync policy needs
    invalid_quantity,     // a negative size
    price_out_of_range,   // a price the book cannot hold at its fixed-point scale
    resync_requested,     // the application asked for a new snapshot
    no_snapshot,          // no snapshot applied yet
    too_many_levels,      // a side would exceed the book's hard level limit
    unknown_book,         // no book is kept for the message's symbol
};

namespace detail {
struct error_traits {
    static constexpr const char* name = "tradewire.market";
    static const char* message(error e) noexcept {
        switch (e) {
            case error::sequence_gap: return "order book sequence gap";
            case error::checksum_mismatch: return "order book checksum mismatch";
            case error::crossed_book: return "order book crossed (best bid >= best ask)";
            case error::snapshot_too_old: return "snapshot older than the buffered updates";
            case error::buffer_overflow: return "update buffer overflow while waiting for a snapshot";
            case error::missing_sequence: return "update lacks the sequence fields the sync policy needs";
            case error::invalid_quantity: return "negative quantity in a book level";
            case error::price_out_of_range: return "price out of the book's fixed-point range";
            case error::resync_requested: return "resync requested";
            case error::no_snapshot: return "no snapshot applied yet";
            case error::too_many_levels: return "order book side exceeds its level limit";
            case error::unknown_book: return "no order book for this symbol";
        }
        return "unknown market error";
    }
};
}  // namespace detail

inline const std::error_category& market_category() noexcept {
    return tradewire::detail::enum_category<error, detail::error_traits>();
}

inline std::error_code make_error_code(error e) noexcept {
    return {static_cast<int>(e), market_category()};
}

}  // namespace tradewire::market

template <>
struct std::is_error_code_enum<tradewire::market::error> : std::true_type {};
