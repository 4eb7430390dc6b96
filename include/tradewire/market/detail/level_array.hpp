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

// Branch-free lower_bound over k[lo, hi), hi > lo: the halving step compiles to a
// conditional move, so a search deep in the book costs no branch mispredictions.
inline std::size_t branchless_lower_bound(const std::int64_t* k, std::size_t lo, std::size_t hi,
                                          std::int64_t key) noexcept {
    const std::int64_t* base = k + lo;
    std::size_t n = hi - lo;
    while (n > 1) {
        const std::size_t half = n / 2;
        base = base[half] < key ? base + half : base;
        n -= half;
    }
    return static_cast<std::size_t>(base - k) + (*base < key ? 1 : 0);
}

enum class search_tail : std::uint8_t { std_lower_bound, branchless, gallop };

// First index in [lo, hi) of the ascending `k` whose key is >= `key` (hi when none).
// `Steps` keys checked one by one from the top, then the rest searched by `Tail`:
// std::lower_bound, the branch-free search, or galloping down from the top (brackets of
// 2x growing size, then a branch-free search inside the bracket: cost grows with the
// distance from the top, not with the size of the book).
template <std::size_t Steps, search_tail Tail = search_tail::gallop>
inline std::size_t hybrid_lower_bound(const std::int64_t* k, std::size_t lo, std::size_t hi, std::int64_t key) noexcept {
    std::size_t i = hi;
    const std::size_t stop = hi - std::min(hi - lo, Steps);
    while (i > stop && k[i - 1] >= key) --i;
    if (i > stop || i == lo) return i;
    if constexpr (Tail == search_tail::branchless) {
        return branchless_lower_bound(k, lo, stop, key);
    } else if constexpr (Tail == search_tail::gallop) {
        // Invariant: the answer is in [lower, upper]; k[upper] >= key.
        std::size_t upper = stop;
        std::size_t step = Steps == 0 ? 1 : Steps;
        for (;;) {
            if (upper - lo <= step) return branchless_lower_bound(k, lo, upper, key);
            const std::size_t lower = upper - step;
            if (k[lower] < key) return branchless_lower_bound(k, lower, upper, key);
            upper = lower;
            step *= 2;
        }
    } else {
        return static_cast<std::size_t>(std::lower_bound(k + lo, k + stop, key) - k);
    }
}

class level_array {
public:
    // Search strategy, chosen by measurement (benchmarks/bench_order_book.cpp, BM_search):
    // updates cluster at the top of the book, and galloping down from the top with no
    // linear prefix beat a linear scan of 4-32 levels followed by a binary search.
    static constexpr std::size_t linear_steps = 0;
    static constexpr search_tail tail = search_tail::gallop;

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
        return hybrid_lower_bound<linear_steps, tail>(keys_.data(), lo_, hi_, key) - lo_;
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
