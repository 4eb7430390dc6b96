// price_cache: the latest best bid/offer per (venue, symbol), written by the io thread
// and read by any number of strategy threads without locks.
//
// Each slot is a seqlock: the writer makes the slot's version odd, stores the quote,
// and makes it even again; a reader copies the quote between two reads of the version
// and retries if they differ or are odd, so it never returns a bid from one update
// with an ask from another. The quote is stored and copied as relaxed atomic words
// (tradewire/core/detail/concurrency.hpp), so a read that overlaps a write is a retry,
// not a data race. The writer never waits for readers; a reader waits only while a
// write of about a dozen stores is in progress (try_read() does not wait at all).
//
// Slots are registered up front with add() (the only allocation is the constructor's),
// on one thread, before the cache is shared; after that the set of slots is fixed and
// find() is safe from any thread. update() must be called from one writer thread (or
// from threads that serialise among themselves); a slot is 128 bytes, two cache lines
// of its own, so writers of one slot never slow readers of another.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/detail/concurrency.hpp>
#include <tradewire/core/detail/symbol_index.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/venue.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace tradewire::feed {

// What a reader gets.
struct quote {
    decimal bid_price;
    decimal bid_quantity;
    decimal ask_price;
    decimal ask_quantity;
    market::timestamp exchange_time = 0;  // 0 when the venue sent none
    market::timestamp receive_time = 0;
    // Updates written to the slot so far (1 after the first). Set by the cache; a reader
    // that remembers it can tell a new quote from one it has seen.
    std::uint64_t version = 0;
};

class price_cache {
public:
    using slot_id = std::uint32_t;
    static constexpr slot_id no_slot = tradewire::detail::symbol_index::npos;

    explicit price_cache(std::size_t capacity) : index_(capacity), slots_(new slot[capacity == 0 ? 1 : capacity]) {}

    price_cache(const price_cache&) = delete;
    price_cache& operator=(const price_cache&) = delete;

    std::size_t capacity() const noexcept { return index_.capacity(); }
    std::size_t size() const noexcept { return index_.size(); }

    // ---- set-up (one thread, before readers and the writer start)

    // The pair's slot: a new one, or the existing one if the pair was added before;
    // no_slot when the cache is full.
    slot_id add(market::venue v, const symbol& s) noexcept { return index_.insert(static_cast<std::uint8_t>(v), s); }

    // ---- any thread

    slot_id find(market::venue v, const symbol& s) const noexcept {
        return index_.find(static_cast<std::uint8_t>(v), s);
    }
    market::venue venue_of(slot_id id) const noexcept { return static_cast<market::venue>(index_.tag_of(id)); }
    const symbol& symbol_of(slot_id id) const noexcept { return index_.symbol_of(id); }

    // ---- writer thread

    void update(slot_id id, const quote& q) noexcept {
        if (id >= size()) return;
        slot& s = slots_[id];
        const std::uint64_t seq = s.seq.load(std::memory_order_relaxed);
        s.seq.store(seq + 1, std::memory_order_relaxed);
        // Orders the odd version before the data stores (a reader that sees new data
        // then sees the version changed).
        std::atomic_thread_fence(std::memory_order_release);
        quote stored = q;
        stored.version = seq / 2 + 1;
        s.data.store(stored);
        s.seq.store(seq + 2, std::memory_order_release);
    }

    void update(slot_id id, const market::bbo& b) noexcept {
        update(id, quote{b.bid_price, b.bid_quantity, b.ask_price, b.ask_quantity, b.exchange_time.value_or(0),
                         b.receive_time, 0});
    }

    // Finds the slot of b.venue and b.symbol; false (nothing stored) when it has none.
    bool update(const market::bbo& b) noexcept {
        const slot_id id = find(b.venue, b.symbol);
        if (id == no_slot) return false;
        update(id, b);
        return true;
    }

    // ---- reader threads

    // The slot's latest quote, consistent. False when the slot was never written (or
    // the id is invalid). Spins while a write is in progress.
    bool read(slot_id id, quote& out) const noexcept {
        if (id >= size()) return false;
        for (;;) {
            const read_status r = attempt(slots_[id], out);
            if (r != read_status::busy) return r == read_status::ok;
            tradewire::detail::cpu_relax();
        }
    }

    // One attempt: false also when a write is in progress at this moment.
    bool try_read(slot_id id, quote& out) const noexcept {
        return id < size() && attempt(slots_[id], out) == read_status::ok;
    }

    // Number of updates written to the slot so far (a change check without a copy).
    std::uint64_t version(slot_id id) const noexcept {
        return id < size() ? slots_[id].seq.load(std::memory_order_acquire) / 2 : 0;
    }

private:
    enum class read_status { ok, empty, busy };

    struct alignas(tradewire::detail::cache_line) slot {
        std::atomic<std::uint64_t> seq{0};  // odd while a write is in progress
        tradewire::detail::atomic_words<quote> data;
    };

    static read_status attempt(const slot& s, quote& out) noexcept {
        const std::uint64_t before = s.seq.load(std::memory_order_acquire);
        if (before == 0) return read_status::empty;
        if ((before & 1) != 0) return read_status::busy;
        const quote copy = s.data.load();
        // Orders the data loads before the second version load.
        std::atomic_thread_fence(std::memory_order_acquire);
        if (s.seq.load(std::memory_order_relaxed) != before) return read_status::busy;
        out = copy;
        return read_status::ok;
    }

    tradewire::detail::symbol_index index_;
    std::unique_ptr<slot[]> slots_;
};

}  // namespace tradewire::feed
