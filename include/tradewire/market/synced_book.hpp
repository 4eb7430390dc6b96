// synced_book: an order_book kept in step with a venue by a sequencing policy
// (book_sync.hpp) and a checksum policy (checksum.hpp), chosen at compile time:
//
//   synced_book<update_id_range_sync>                    Binance, Gate, MEXC
//   synced_book<prev_seq_chain_sync, okx_checksum>       OKX (HTX: prev_seq_chain_sync{false})
//   synced_book<snapshot_delta_sync>                     Bybit, Coinbase
//   synced_book<snapshot_delta_sync, kraken_checksum>    Kraken (max_depth = subscribed
//                                                        depth, venue_refills_window)
//
// The venue adapter feeds it snapshots and deltas and acts on the result:
//   applied        the book changed and is in sync (snapshot_applied: it was rebuilt,
//                  i.e. a resync finished);
//   buffered       held until the snapshot arrives (out-of-band snapshot venues);
//   ignored        stale or duplicate, or not in sync on a venue whose next snapshot
//                  will supersede it;
//   resync_needed  the book is out of sync for `reason` (sequence_gap, checksum_mismatch,
//                  crossed_book, snapshot_too_old, buffer_overflow, ...): fetch a snapshot
//                  (Binance, Gate, MEXC, HTX) or resubscribe the symbol (OKX, Bybit,
//                  Kraken, Coinbase). Reported once per incident; later deltas are
//                  buffered or ignored until then.
// Only this book stops; other books keep flowing. Deltas that arrive while waiting are
// buffered (bounded; on overflow the buffer restarts with error::buffer_overflow) and
// replayed after the snapshot, so none is lost. While out of sync, book() still shows
// the last state, which must not be trusted.
#pragma once

#include <tradewire/market/book_sync.hpp>
#include <tradewire/market/checksum.hpp>
#include <tradewire/market/detail/delta_buffer.hpp>
#include <tradewire/market/error.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/order_book.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <system_error>
#include <utility>

namespace tradewire::market {

struct book_sync_options {
    order_book_options book;
    bool verify_sequence = true;     // false: gaps are not detected (stale deltas are still skipped)
    bool verify_checksum = true;     // false: received checksums are not compared
    bool resync_on_crossed = false;  // true: a crossed book after a message triggers a resync
    std::size_t max_buffered_updates = 4096;   // deltas held while waiting for a snapshot
    std::size_t max_buffered_levels = 262144;  // levels held in those deltas
    std::size_t reserve_buffered_updates = 64;
    std::size_t reserve_buffered_levels = 4096;
};

enum class sync_status : std::uint8_t { applied, buffered, ignored, resync_needed };

constexpr std::string_view to_string(sync_status s) noexcept {
    switch (s) {
        case sync_status::applied: return "applied";
        case sync_status::buffered: return "buffered";
        case sync_status::ignored: return "ignored";
        case sync_status::resync_needed: return "resync_needed";
    }
    return "unknown";
}

struct sync_result {
    sync_status status = sync_status::ignored;
    std::error_code reason;         // resync_needed: why; buffered/ignored: why not in sync
    bool snapshot_applied = false;  // the book was rebuilt from a snapshot (resync finished)
    bool crossed = false;           // best bid >= best ask after this call
    std::size_t replayed = 0;       // buffered deltas applied after the snapshot
    sequence_gap_info gap;          // reason == sequence_gap or snapshot_too_old

    bool needs_snapshot() const noexcept { return status == sync_status::resync_needed; }
};

template <book_sync_policy Sync, book_checksum Checksum = no_checksum>
class synced_book {
public:
    using sync_type = Sync;
    using checksum_type = Checksum;

    explicit synced_book(const book_sync_options& options = {}, Sync sync = Sync{}, Checksum checksum = Checksum{})
        : opt_(adjusted(options)), book_(opt_.book), sync_(std::move(sync)), checksum_(std::move(checksum)) {
        buffer_.reserve(opt_.reserve_buffered_updates, opt_.reserve_buffered_levels);
    }

    sync_result on_snapshot(const book_snapshot& s) { return apply_snapshot(s.bids, s.asks, s.sequence, s.checksum); }
    sync_result on_delta(const book_delta& d) { return apply_delta(d); }

    sync_result apply_snapshot(std::span<const book_level> bids, std::span<const book_level> asks,
                               const book_sequence& sequence, std::optional<std::int64_t> checksum = std::nullopt) {
        if (auto ec = book_.apply_snapshot(bids, asks)) {
            book_.clear();
            return fail(ec, nullptr);
        }
        if (auto ec = sync_.start(sequence)) {
            book_.clear();
            return fail(ec, nullptr);
        }
        if (checksum && !verify(*checksum)) return fail(error::checksum_mismatch, nullptr);
        in_sync_ = true;
        fresh_ = true;
        reason_ = {};
        sync_result r;
        r.status = sync_status::applied;
        r.snapshot_applied = true;
        if (sync_.snapshot_in_stream()) {
            buffer_.clear();
        } else {
            replay(r);
            if (r.status != sync_status::applied) return r;
        }
        return after_message(r, nullptr);
    }

    sync_result apply_delta(const book_delta& d) {
        if (!in_sync_) return hold(d);
        const sequence_verdict v = sync_.check(d.sequence);
        if (v == sequence_verdict::skip) return {};
        if (v == sequence_verdict::invalid) return fail(error::missing_sequence, nullptr);
        if (v == sequence_verdict::gap && opt_.verify_sequence) {
            // Right after an out-of-band snapshot, a gap means the snapshot predates the stream.
            const bool stale_snapshot = fresh_ && !sync_.snapshot_in_stream();
            sync_result r = fail(stale_snapshot ? error::snapshot_too_old : error::sequence_gap, &d);
            r.gap = sync_.gap_info(d.sequence);
            return r;
        }
        if (auto ec = book_.apply_delta(d.bids, d.asks)) return fail(ec, nullptr);
        sync_.advance(d.sequence);
        fresh_ = false;
        if (d.checksum && !verify(*d.checksum)) return fail(error::checksum_mismatch, nullptr);
        sync_result r;
        r.status = sync_status::applied;
        return after_message(r, &d);
    }

    // Declares the book out of sync (e.g. after a reconnect, or on the application's own
    // evidence). Buffered deltas are dropped.
    sync_result request_resync(std::error_code reason = error::resync_requested) {
        buffer_.clear();
        return fail(reason, nullptr);
    }

    // Back to the initial state: empty, waiting for a first snapshot.
    void reset() {
        book_.clear();
        buffer_.clear();
        in_sync_ = false;
        fresh_ = false;
        reason_ = error::no_snapshot;
    }

    bool in_sync() const noexcept { return in_sync_; }
    // Why the book is not in sync (error::no_snapshot before the first snapshot).
    std::error_code reason() const noexcept { return reason_; }
    const order_book& book() const noexcept { return book_; }
    const Sync& sync_policy() const noexcept { return sync_; }
    const Checksum& checksum_policy() const noexcept { return checksum_; }
    const book_sync_options& options() const noexcept { return opt_; }
    std::size_t buffered() const noexcept { return buffer_.size(); }

private:
    // A book must keep every level its checksum covers.
    static book_sync_options adjusted(book_sync_options o) noexcept {
        if (o.verify_checksum && Checksum::depth != 0 && o.book.max_depth != 0 && o.book.max_depth < Checksum::depth) {
            o.book.max_depth = Checksum::depth;
        }
        return o;
    }

    bool verify(std::int64_t received) const noexcept {
        return !opt_.verify_checksum || checksum_.matches(book_, received);
    }

    // Marks the book out of sync. `keep` is a valid delta newer than anything applied:
    // venues with out-of-band snapshots still need it after the next snapshot.
    sync_result fail(std::error_code ec, const book_delta* keep) {
        in_sync_ = false;
        fresh_ = false;
        reason_ = ec;
        if (keep != nullptr && !sync_.snapshot_in_stream()) {
            if (!buffer_.push(*keep, opt_.max_buffered_updates, opt_.max_buffered_levels)) buffer_.clear();
        }
        sync_result r;
        r.status = sync_status::resync_needed;
        r.reason = ec;
        r.crossed = book_.crossed();
        return r;
    }

    sync_result hold(const book_delta& d) {
        sync_result r;
        r.reason = reason_;
        if (sync_.snapshot_in_stream()) return r;  // the coming snapshot supersedes it
        if (buffer_.push(d, opt_.max_buffered_updates, opt_.max_buffered_levels)) {
            r.status = sync_status::buffered;
            return r;
        }
        // Overflow: start over from this delta and ask for a snapshot again.
        buffer_.clear();
        buffer_.push(d, opt_.max_buffered_updates, opt_.max_buffered_levels);
        reason_ = error::buffer_overflow;
        r.status = sync_status::resync_needed;
        r.reason = reason_;
        return r;
    }

    // Applies the buffered deltas that follow the snapshot just applied.
    void replay(sync_result& r) {
        while (!buffer_.empty()) {
            const detail::delta_buffer::message m = buffer_.front();
            const sequence_verdict v = sync_.check(m.sequence);
            if (v == sequence_verdict::skip) {
                buffer_.pop_front();
                continue;
            }
            if (v == sequence_verdict::invalid) {
                buffer_.pop_front();
                r = fail(error::missing_sequence, nullptr);
                return;
            }
            if (v == sequence_verdict::gap && opt_.verify_sequence) {
                // Nothing applied yet: the snapshot predates the buffered stream. Else the
                // buffered stream itself has a hole. Either way keep the newer deltas.
                const sequence_gap_info info = sync_.gap_info(m.sequence);
                buffer_.compact();
                r = fail(r.replayed == 0 ? error::snapshot_too_old : error::sequence_gap, nullptr);
                r.gap = info;
                return;
            }
            if (auto ec = book_.apply_delta(buffer_.bids(m), buffer_.asks(m))) {
                buffer_.pop_front();
                r = fail(ec, nullptr);
                return;
            }
            sync_.advance(m.sequence);
            fresh_ = false;
            buffer_.pop_front();
            ++r.replayed;
            if (m.checksum && !verify(*m.checksum)) {
                const std::size_t n = r.replayed;
                r = fail(error::checksum_mismatch, nullptr);
                r.replayed = n;
                return;
            }
        }
    }

    sync_result after_message(sync_result r, const book_delta* d) {
        r.crossed = book_.crossed();
        if (r.crossed && opt_.resync_on_crossed) {
            const bool rebuilt = r.snapshot_applied;
            const std::size_t n = r.replayed;
            r = fail(error::crossed_book, d);
            r.snapshot_applied = rebuilt;
            r.replayed = n;
        }
        return r;
    }

    book_sync_options opt_;
    order_book book_;
    Sync sync_;
    Checksum checksum_;
    detail::delta_buffer buffer_;
    std::error_code reason_ = error::no_snapshot;
    bool in_sync_ = false;
    bool fresh_ = false;  // a snapshot was applied and no delta since
};

}  // namespace tradewire::market
