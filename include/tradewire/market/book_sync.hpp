// Book sequencing policies: how a venue proves that a delta follows the book it is
// applied to. A synced_book (synced_book.hpp) asks its policy, for each delta, whether
// to apply it, skip it (stale or duplicate) or declare a gap; the policy only reads the
// book_sequence fields and keeps the last accepted id. Three mechanisms cover the venues:
//
//  update_id_range_sync  Binance spot diff depth, Gate, MEXC. A delta carries the id
//                        range [first_update_id, last_update_id] (U,u; fromVersion,
//                        toVersion); the snapshot (REST) carries last_update_id. Skip
//                        u <= book id; a delta with U > book id + 1 means a gap. The
//                        first delta after a snapshot L therefore has U <= L+1 <= u,
//                        and later ones chain U == previous u + 1 (an overlap is harmless:
//                        sizes are absolute).
//  prev_seq_chain_sync   OKX seqId/prevSeqId, HTX seqNum/prevSeqNum. A delta's prev_seq
//                        must equal the last applied seq. Empty heartbeats (prev == seq)
//                        chain the same way; a maintenance reset (seq < prev) is accepted.
//                        Right after a snapshot, deltas with seq <= the snapshot's are
//                        older (HTX REQ alignment) and skipped; later only an exact
//                        duplicate of the last delta is skipped, anything else is a gap.
//  snapshot_delta_sync   Bybit (and Coinbase, Kraken, which send no per-book ids): the
//                        venue pushes a snapshot, then deltas; any snapshot resets the
//                        book (Bybit u == 1 after a service restart). Deltas with
//                        last_update_id <= the book's are skipped; optionally ids must be
//                        consecutive. Deltas without ids are applied in arrival order.
//
// snapshot_in_stream() tells the synced_book where snapshots come from. A snapshot
// fetched out of band (REST, HTX REQ) races the stream, so deltas received meanwhile are
// buffered and replayed after it; a snapshot pushed in the stream supersedes everything
// received before it, so those deltas are dropped.
#pragma once

#include <tradewire/market/error.hpp>
#include <tradewire/market/events.hpp>

#include <concepts>
#include <cstdint>
#include <optional>
#include <system_error>

namespace tradewire::market {

enum class sequence_verdict : std::uint8_t {
    apply,    // follows the book: apply it
    skip,     // stale or duplicate: ignore it
    gap,      // something was missed: the book needs a new snapshot
    invalid,  // the fields the policy needs are missing or inconsistent
};

// What a gap report shows: the id the book expected and the one that arrived.
struct sequence_gap_info {
    std::optional<std::int64_t> expected;
    std::optional<std::int64_t> received;
};

namespace detail {
// id + 1 without overflow on hostile input (saturates).
constexpr std::int64_t next_id(std::int64_t id) noexcept { return id == INT64_MAX ? id : id + 1; }
}  // namespace detail

template <class P>
concept book_sync_policy = requires(P& p, const P& cp, const book_sequence& s) {
    { cp.snapshot_in_stream() } -> std::same_as<bool>;
    // Adopts a snapshot's sequence; an error when a field the policy needs is missing.
    { p.start(s) } -> std::same_as<std::error_code>;
    { cp.check(s) } -> std::same_as<sequence_verdict>;
    // Records a delta that check() accepted and the book applied.
    { p.advance(s) } -> std::same_as<void>;
    { cp.gap_info(s) } -> std::same_as<sequence_gap_info>;
};

class update_id_range_sync {
public:
    bool snapshot_in_stream() const noexcept { return false; }

    std::error_code start(const book_sequence& s) noexcept {
        if (!s.last_update_id) return error::missing_sequence;
        id_ = *s.last_update_id;
        return {};
    }

    sequence_verdict check(const book_sequence& s) const noexcept {
        if (!s.first_update_id || !s.last_update_id || *s.first_update_id > *s.last_update_id) {
            return sequence_verdict::invalid;
        }
        if (*s.last_update_id <= id_) return sequence_verdict::skip;
        if (*s.first_update_id > detail::next_id(id_)) return sequence_verdict::gap;
        return sequence_verdict::apply;
    }

    void advance(const book_sequence& s) noexcept { id_ = *s.last_update_id; }

    sequence_gap_info gap_info(const book_sequence& s) const noexcept { return {detail::next_id(id_), s.first_update_id}; }

    // The book's update id: the last id applied.
    std::int64_t last_update_id() const noexcept { return id_; }

private:
    std::int64_t id_ = 0;
};

class prev_seq_chain_sync {
public:
    // OKX pushes its snapshot in the stream (true); HTX answers a REQ (false).
    explicit prev_seq_chain_sync(bool snapshot_in_stream = true) noexcept : in_stream_(snapshot_in_stream) {}

    bool snapshot_in_stream() const noexcept { return in_stream_; }

    std::error_code start(const book_sequence& s) noexcept {
        if (!s.seq) return error::missing_sequence;
        last_ = *s.seq;
        has_prev_ = false;
        aligning_ = true;
        return {};
    }

    sequence_verdict check(const book_sequence& s) const noexcept {
        if (!s.seq || !s.prev_seq) return sequence_verdict::invalid;
        if (*s.prev_seq == last_) return sequence_verdict::apply;
        if (aligning_) {
            // Right after a snapshot: deltas it already contains are skipped.
            return *s.seq <= last_ ? sequence_verdict::skip : sequence_verdict::gap;
        }
        // Sequences may go backwards on a reset, so "older" cannot be judged by value:
        // only a repeat of the last delta is harmless.
        if (has_prev_ && *s.prev_seq == last_prev_ && *s.seq == last_) return sequence_verdict::skip;
        return sequence_verdict::gap;
    }

    void advance(const book_sequence& s) noexcept {
        last_prev_ = *s.prev_seq;
        last_ = *s.seq;
        has_prev_ = true;
        aligning_ = false;
    }

    sequence_gap_info gap_info(const book_sequence& s) const noexcept { return {last_, s.prev_seq}; }

    std::int64_t last_seq() const noexcept { return last_; }

private:
    std::int64_t last_ = 0;
    std::int64_t last_prev_ = 0;
    bool has_prev_ = false;
    bool aligning_ = true;
    bool in_stream_;
};

class snapshot_delta_sync {
public:
    // With `require_consecutive`, last_update_id must grow by exactly one per delta.
    explicit snapshot_delta_sync(bool require_consecutive = false) noexcept : consecutive_(require_consecutive) {}

    bool snapshot_in_stream() const noexcept { return true; }

    std::error_code start(const book_sequence& s) noexcept {
        has_id_ = s.last_update_id.has_value();
        id_ = s.last_update_id.value_or(0);
        return {};
    }

    sequence_verdict check(const book_sequence& s) const noexcept {
        if (!s.last_update_id || !has_id_) return sequence_verdict::apply;
        if (*s.last_update_id <= id_) return sequence_verdict::skip;
        if (consecutive_ && *s.last_update_id != detail::next_id(id_)) return sequence_verdict::gap;
        return sequence_verdict::apply;
    }

    void advance(const book_sequence& s) noexcept {
        if (s.last_update_id) {
            id_ = *s.last_update_id;
            has_id_ = true;
        }
    }

    sequence_gap_info gap_info(const book_sequence& s) const noexcept { return {detail::next_id(id_), s.last_update_id}; }

    std::optional<std::int64_t> last_update_id() const noexcept {
        return has_id_ ? std::optional<std::int64_t>(id_) : std::nullopt;
    }

private:
    std::int64_t id_ = 0;
    bool has_id_ = false;
    bool consecutive_;
};

static_assert(book_sync_policy<update_id_range_sync>);
static_assert(book_sync_policy<prev_seq_chain_sync>);
static_assert(book_sync_policy<snapshot_delta_sync>);

}  // namespace tradewire::market
