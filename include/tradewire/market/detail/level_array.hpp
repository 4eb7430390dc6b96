// One side of an order book: price keys (int64, ascending) and their levels in parallel
// arrays, the best level at the high end. The live range [lo, hi) floats inside a
// pre-reserved buffer with free room at both ends, so an insert or erase moves whichever
// part is shorter (usually the few levels above it, near the top), and dropping the
// worst levels to honour a depth limit only moves `lo`. Nothing allocates until the side
// outgrows its reservation.
#pragma once

#include <tradewire/market/events.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tradewire::market::detail {

class level_array {
public:
    // Levels inspected one by one from the top before switching to a binary search.
    // Updates cluster at the top of the book; see benchmarks/bench_order_book.cpp.
    static constexpr std::size_t linear_steps = 8;

    level_array() = default;

    // Room for `n` levels with the same room again spread over both ends.
    void reserve(std::size_t n) {
        const std::size_t want = std::max<std::size_t>(16, 2 * n);
        if (want > keys_.size()) relocate(want);
    }

    std::size_t size() const noexcept { return hi_ - lo_; }
    bool empty() const noexcept { return hi_ == lo_; }
    std::size_t capacity() const noexcept { return keys_.size(); }

    // Views of the live range, ascending keys (worst first).
    const std::int64_t* keys() const noexcept { return keys_.data() + lo_; }
    const book_level* levels() const noexcept { return levels_.data() + lo_; }
    book_level* levels() noexcept { return levels_.data() + lo_; }

    std::int64_t best_key() const noexcept { return keys_[hi_ - 1]; }
    std::int64_t worst_key() const noexcept { return keys_[lo_]; }

    // Offset (from the worst end) of the first key >= `key`; size() when none.
    std::size_t lower_bound(std::int64_t key) const noexcept {
        const std::int64_t* k = keys_.data();
        std::size_t i = hi_;
        const std::size_t stop = hi_ - std::min(hi_ - lo_, linear_steps);
        while (i > stop && k[i - 1] >= key) --i;
        if (i > stop || i == lo_) return i - lo_;
        return static_cast<std::size_t>(std::lower_bound(k + lo_, k + stop, key) - k) - lo_;
    }

    std::int64_t key_at(std::size_t off) const noexcept { return keys_[lo_ + off]; }
    book_level& level_at(std::size_t off) noexcept { return levels_[lo_ + off]; }

    // Inserts before offset `off` (the result of lower_bound for `key`).
    void insert(std::size_t off, std::int64_t key, const book_level& level) {
        std::size_t p = lo_ + off;
        const std::size_t back_cost = hi_ - p;
        const std::size_t front_cost = p - lo_;
        const bool use_back = back_cost <= front_cost;
        if ((use_back && hi_ == keys_.size()) || (!use_back && lo_ == 0)) {
            // The cheap side is out of room: re-centre (or grow) once; amortised over
            // the many inserts the new room absorbs.
            relocate(2 * (size() + 1) > keys_.size() ? std::max<std::size_t>(16, 2 * keys_.size()) : keys_.size());
            p = lo_ + off;
        }
        if (use_back) {
            std::copy_backward(keys_.data() + p, keys_.data() + hi_, keys_.data() + hi_ + 1);
            std::copy_backward(levels_.data() + p, levels_.data() + hi_, levels_.data() + hi_ + 1);
            ++hi_;
        } else {
            std::copy(keys_.data() + lo_, keys_.data() + p, keys_.data() + lo_ - 1);
            std::copy(levels_.data() + lo_, levels_.data() + p, levels_.data() + lo_ - 1);
            --lo_;
            --p;
        }
        keys_[p] = key;
        levels_[p] = level;
    }

    void erase(std::size_t off) noexcept {
        const std::size_t p = lo_ + off;
        if (hi_ - p - 1 <= p - lo_) {
            std::copy(keys_.data() + p + 1, keys_.data() + hi_, keys_.data() + p);
            std::copy(levels_.data() + p + 1, levels_.data() + hi_, levels_.data() + p);
            --hi_;
        } else {
            std::copy_backward(keys_.data() + lo_, keys_.data() + p, keys_.data() + p + 1);
            std::copy_backward(levels_.data() + lo_, levels_.data() + p, levels_.data() + p + 1);
            ++lo_;
        }
    }

    // Forgets the `n` worst levels: O(1).
    void drop_worst(std::size_t n) noexcept { lo_ += std::min(n, size()); }

    void clear() noexcept { lo_ = hi_ = keys_.size() / 2; }

    // Replaces the content with `n` entries already sorted by ascending key.
    template <class Entry>
    void assign_sorted(const Entry* entries, std::size_t n) {
        if (2 * n > keys_.size()) {
            keys_.assign(2 * n, 0);
            levels_.assign(2 * n, book_level{});
        }
        lo_ = (keys_.size() - n) / 2;
        hi_ = lo_ + n;
        for (std::size_t i = 0; i < n; ++i) {
            keys_[lo_ + i] = entries[i].key;
            levels_[lo_ + i] = entries[i].level;
        }
    }

    // Multiplies every key by `factor` (> 0; the caller checked for overflow).
    void scale_keys(std::int64_t factor) noexcept {
        for (std::size_t i = lo_; i < hi_; ++i) keys_[i] *= factor;
    }

private:
    // Moves the live range to the middle of a buffer of `cap` slots.
    void relocate(std::size_t cap) {
        const std::size_t n = size();
        const std::size_t new_lo = (cap - n) / 2;
        if (cap == keys_.size()) {
            if (new_lo < lo_) {
                std::copy(keys_.data() + lo_, keys_.data() + hi_, keys_.data() + new_lo);
                std::copy(levels_.data() + lo_, levels_.data() + hi_, levels_.data() + new_lo);
            } else if (new_lo > lo_) {
                std::copy_backward(keys_.data() + lo_, keys_.data() + hi_, keys_.data() + new_lo + n);
                std::copy_backward(levels_.data() + lo_, levels_.data() + hi_, levels_.data() + new_lo + n);
            }
        } else {
            std::vector<std::int64_t> k(cap, 0);
            std::vector<book_level> l(cap, book_level{});
            std::copy(keys_.data() + lo_, keys_.data() + hi_, k.data() + new_lo);
            std::copy(levels_.data() + lo_, levels_.data() + hi_, l.data() + new_lo);
            keys_.swap(k);
            levels_.swap(l);
        }
        lo_ = new_lo;
        hi_ = new_lo + n;
    }

    std::vector<std::int64_t> keys_;
    std::vector<book_level> levels_;
    std::size_t lo_ = 0;
    std::size_t hi_ = 0;
};

}  // namespace tradewire::market::detail
