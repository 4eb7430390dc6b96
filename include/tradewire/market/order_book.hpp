// order_book: a price-level book that applies venue snapshots and deltas exactly.
//
// Each side is a flat sorted array with the best level at the cheap end (see
// detail/level_array.hpp), so the updates that dominate real streams, a few levels near
// the top, move a handful of elements; capacity is reserved up front and steady-state
// updates do not allocate. Prices are compared as int64 fixed-point keys at one
// per-book scale (10^price_exponent()), learned from the data or fixed by the caller,
// while the stored levels keep the decimals exactly as received, scale included, so a
// venue checksum over the received text can be recomputed.
//
// Delta rules (every venue agrees): a size is absolute; zero removes the level; removing
// an unknown price is a no-op; a known price has its size (and its text) replaced; an
// unknown price is inserted. A message is applied level by level; if a level is
// rejected (negative size, price out of range) the earlier ones stay applied and the
// book must be rebuilt from a snapshot (the sync layer does exactly that).
//
// Depth window (order_book_options::max_depth = D > 0): after each message each side
// keeps its best D levels. Two venue behaviours need two rules:
//  - the venue maintains the same window and sends a level when it enters it (Kraken:
//    "truncate to the subscribed depth"): set venue_refills_window;
//  - the venue's book is deeper than D (OKX books sends 400 levels, you keep 50): a
//    level that was dropped is never re-sent, so when a top level goes the book cannot
//    know what moved into the window. The book then keeps only what it can vouch for:
//    it remembers the best price it dropped and ignores inserts at or below it, so the
//    side has no holes but can hold fewer than D levels until the next snapshot. A
//    checksum over the top N levels (OKX: 25) keeps matching while at least N levels
//    remain, and fails (and so triggers a resync) once fewer do. To always have N exact
//    levels, keep the venue's full depth (D = 0) and read top(N) views instead.
#pragma once

#include <tradewire/market/detail/level_array.hpp>
#include <tradewire/market/error.hpp>
#include <tradewire/market/events.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

namespace tradewire::market {

struct order_book_options {
    std::size_t max_depth = 0;            // levels kept per side after each message; 0 = all
    bool venue_refills_window = false;    // see the header comment
    std::size_t reserve_levels = 1024;    // per side, allocated up front
    std::size_t max_levels = 1'000'000;   // hard cap per side against runaway input
    // Fixed price scale, e.g. -2 for a 0.01 tick. Unset: learned from the data and
    // refined (one pass over the book) when a finer price arrives. Set: a finer price is
    // rejected with error::price_out_of_range.
    std::optional<std::int32_t> price_exponent;
};

// Levels of one side, best first. Random access; valid until the book next changes.
class levels_view {
public:
    using iterator = std::reverse_iterator<const book_level*>;
    using value_type = book_level;

    levels_view() noexcept = default;
    // `worst_first` points at the worst of `n` levels stored in ascending key order.
    levels_view(const book_level* worst_first, std::size_t n) noexcept : first_(worst_first), n_(n) {}

    iterator begin() const noexcept { return iterator(first_ + n_); }
    iterator end() const noexcept { return iterator(first_); }
    std::size_t size() const noexcept { return n_; }
    bool empty() const noexcept { return n_ == 0; }
    const book_level& operator[](std::size_t i) const noexcept { return first_[n_ - 1 - i]; }
    const book_level& front() const noexcept { return first_[n_ - 1]; }  // the best level
    const book_level& back() const noexcept { return first_[0]; }        // the worst level in view
    // The best `n` levels (all of them when fewer).
    levels_view top(std::size_t n) const noexcept {
        const std::size_t k = std::min(n, n_);
        return {first_ + (n_ - k), k};
    }

private:
    const book_level* first_ = nullptr;
    std::size_t n_ = 0;
};

namespace detail {

inline constexpr std::int64_t pow10_i64[19] = {1,
                                               10,
                                               100,
                                               1000,
                                               10000,
                                               100000,
                                               1000000,
                                               10000000,
                                               100000000,
                                               1000000000,
                                               10000000000,
                                               100000000000,
                                               1000000000000,
                                               10000000000000,
                                               100000000000000,
                                               1000000000000000,
                                               10000000000000000,
                                               100000000000000000,
                                               1000000000000000000};

// The only two things the book needs from a decimal: its integer mantissa and its
// base-10 exponent (value = mantissa * 10^exponent).
inline std::int64_t mantissa_of(const decimal& d) noexcept { return d.mantissa(); }
inline std::int32_t exponent_of(const decimal& d) noexcept { return static_cast<std::int32_t>(d.exponent()); }

struct keyed_level {
    std::int64_t key;
    book_level level;
};

}  // namespace detail

class order_book {
public:
    explicit order_book(const order_book_options& options = {}) : opt_(options) {
        bids_.reserve(opt_.reserve_levels);
        asks_.reserve(opt_.reserve_levels);
        scratch_.reserve(opt_.reserve_levels);
        if (opt_.price_exponent) {
            exp_ = *opt_.price_exponent;
            exp_known_ = true;
        }
    }

    const order_book_options& options() const noexcept { return opt_; }
    // The current key scale: keys are price / 10^price_exponent(). Meaningful once a
    // price has been seen (or when fixed by the options).
    std::int32_t price_exponent() const noexcept { return exp_; }

    // Replaces the whole book. Level order does not matter; a price listed twice keeps
    // its last size; zero sizes are skipped.
    std::error_code apply_snapshot(std::span<const book_level> bids, std::span<const book_level> asks) {
        clear();
        if (!opt_.price_exponent) {
            // The finest scale in the snapshot, so no level needs a rescale later.
            bool any = false;
            std::int32_t e = 0;
            for (const auto* side : {&bids, &asks}) {
                for (const book_level& l : *side) {
                    const std::int32_t le = detail::exponent_of(l.price);
                    if (!any || le < e) e = le;
                    any = true;
                }
            }
            exp_known_ = any;
            exp_ = any ? e : 0;
        }
        if (auto ec = load_side(bids, book_side::bid)) {
            clear();
            return ec;
        }
        if (auto ec = load_side(asks, book_side::ask)) {
            clear();
            return ec;
        }
        return {};
    }

    // Applies one message's changed levels, then enforces the depth window.
    std::error_code apply_delta(std::span<const book_level> bids, std::span<const book_level> asks) {
        error e{};
        for (const book_level& l : bids) {
            if ((e = set(book_side::bid, l)) != error{}) break;
        }
        if (e == error{}) {
            for (const book_level& l : asks) {
                if ((e = set(book_side::ask, l)) != error{}) break;
            }
        }
        enforce_depth();  // even after an error: the window is an invariant
        return e == error{} ? std::error_code{} : make_error_code(e);
    }

    // One level: insert, replace, or (zero size) remove. Does not enforce the depth
    // window; call end_message() after a batch of these (apply_delta does both).
    std::error_code set_level(book_side s, const book_level& level) {
        const error e = set(s, level);
        return e == error{} ? std::error_code{} : make_error_code(e);
    }

    // Enforces the depth window after a batch of set_level() calls.
    void end_message() noexcept { enforce_depth(); }

    void clear() noexcept {
        bids_.clear();
        asks_.clear();
        bid_state_ = {};
        ask_state_ = {};
        if (!opt_.price_exponent) exp_known_ = false;
    }

    levels_view bids() const noexcept { return {bids_.levels(), bids_.size()}; }
    levels_view asks() const noexcept { return {asks_.levels(), asks_.size()}; }
    levels_view side(book_side s) const noexcept { return s == book_side::bid ? bids() : asks(); }

    std::optional<book_level> best_bid() const noexcept {
        if (bids_.empty()) return std::nullopt;
        return bids().front();
    }
    std::optional<book_level> best_ask() const noexcept {
        if (asks_.empty()) return std::nullopt;
        return asks().front();
    }

    bool empty() const noexcept { return bids_.empty() && asks_.empty(); }
    // Best bid >= best ask (both sides present).
    bool crossed() const noexcept {
        return !bids_.empty() && !asks_.empty() && bids_.best_key() >= -asks_.best_key();
    }

    // Price key of a level on this book's current scale (for tests and diagnostics).
    std::optional<std::int64_t> price_key(const decimal& price) const noexcept {
        std::int64_t m = detail::mantissa_of(price);
        std::int32_t e = detail::exponent_of(price);
        if (!exp_known_) return std::nullopt;
        if (!normalize(m, e)) return std::nullopt;
        return m;
    }

private:
    struct side_state {
        bool has_boundary = false;
        std::int64_t boundary = 0;  // side key of the best level dropped by the window
    };

    // m * 10^e -> m' * 10^exp_ without rescaling the book; false if not representable.
    bool normalize(std::int64_t& m, std::int32_t e) const noexcept {
        if (e == exp_) return true;
        if (e > exp_) {
            const std::int64_t d = static_cast<std::int64_t>(e) - exp_;
            if (d > 18) return m == 0;
            std::int64_t r = 0;
            if (__builtin_mul_overflow(m, detail::pow10_i64[d], &r)) return false;
            m = r;
            return true;
        }
        // Finer than the book: representable only when the extra digits are zeros.
        while (e < exp_) {
            if (m % 10 != 0) return false;
            m /= 10;
            ++e;
        }
        return true;
    }

    // The hot path works on the bare enum (error{} = success): constructing a
    // std::error_code costs a call into the standard library per level.
    error set(book_side s, const book_level& level) {
        const std::int64_t q = detail::mantissa_of(level.quantity);
        if (q < 0) return error::invalid_quantity;
        std::int64_t pk = 0;
        if (const error e = key_of(level.price, pk); e != error{}) return e;
        side_state& st = s == book_side::bid ? bid_state_ : ask_state_;
        detail::level_array& arr = s == book_side::bid ? bids_ : asks_;
        const std::int64_t k = s == book_side::bid ? pk : -pk;
        const std::size_t off = arr.lower_bound(k);
        const bool found = off < arr.size() && arr.key_at(off) == k;
        if (q == 0) {
            if (found) arr.erase(off);
            return {};
        }
        if (found) {
            arr.level_at(off) = level;
            return {};
        }
        if (st.has_boundary && k <= st.boundary) return {};  // outside the window we can vouch for
        if (arr.size() >= opt_.max_levels) return error::too_many_levels;
        arr.insert(off, k, level);
        return {};
    }

    error key_of(const decimal& price, std::int64_t& key) {
        std::int64_t m = detail::mantissa_of(price);
        const std::int32_t e = detail::exponent_of(price);
        if (m == std::numeric_limits<std::int64_t>::min()) return error::price_out_of_range;  // cannot be negated
        if (!exp_known_) {
            exp_ = e;
            exp_known_ = true;
        }
        if (e == exp_) {  // the common case
            key = m;
            return {};
        }
        if (normalize(m, e)) {
            key = m;
            return {};
        }
        if (e > exp_ || opt_.price_exponent) return error::price_out_of_range;
        // A finer price than any so far: move the whole book to the finer scale.
        if (const error r = rescale(e); r != error{}) return r;
        key = detail::mantissa_of(price);
        return {};
    }

    error rescale(std::int32_t new_exp) {
        const std::int64_t d = static_cast<std::int64_t>(exp_) - new_exp;
        if (d <= 0 || d > 18) return error::price_out_of_range;
        const std::int64_t f = detail::pow10_i64[d];
        auto fits = [f](std::int64_t k) {
            std::int64_t r = 0;
            return !__builtin_mul_overflow(k, f, &r) && r != std::numeric_limits<std::int64_t>::min();
        };
        for (const detail::level_array* a : {&bids_, &asks_}) {
            if (!a->empty() && (!fits(a->worst_key()) || !fits(a->best_key()))) return error::price_out_of_range;
        }
        for (const side_state* s : {&bid_state_, &ask_state_}) {
            if (s->has_boundary && !fits(s->boundary)) return error::price_out_of_range;
        }
        bids_.scale_keys(f);
        asks_.scale_keys(f);
        if (bid_state_.has_boundary) bid_state_.boundary *= f;
        if (ask_state_.has_boundary) ask_state_.boundary *= f;
        exp_ = new_exp;
        return {};
    }

    std::error_code load_side(std::span<const book_level> levels, book_side s) {
        scratch_.clear();
        if (levels.size() > opt_.max_levels) return error::too_many_levels;
        // Venues list the best level first; walking backwards usually yields ascending keys.
        for (std::size_t i = levels.size(); i-- > 0;) {
            const book_level& l = levels[i];
            if (detail::mantissa_of(l.quantity) < 0) return error::invalid_quantity;
            std::int64_t m = detail::mantissa_of(l.price);
            if (m == std::numeric_limits<std::int64_t>::min() || !normalize(m, detail::exponent_of(l.price))) {
                return error::price_out_of_range;
            }
            scratch_.push_back({s == book_side::bid ? m : -m, l});
        }
        auto by_key = [](const detail::keyed_level& a, const detail::keyed_level& b) { return a.key < b.key; };
        if (!std::is_sorted(scratch_.begin(), scratch_.end(), by_key)) {
            std::stable_sort(scratch_.begin(), scratch_.end(), by_key);
        }
        // Duplicates: scratch holds them in reverse input order, so the first of each run
        // is the one listed last. Then drop zero sizes.
        std::size_t out = 0;
        for (std::size_t i = 0; i < scratch_.size(); ++i) {
            if (out > 0 && scratch_[i].key == scratch_[out - 1].key) continue;
            scratch_[out++] = scratch_[i];
        }
        scratch_.resize(out);
        out = 0;
        for (std::size_t i = 0; i < scratch_.size(); ++i) {
            if (detail::mantissa_of(scratch_[i].level.quantity) != 0) scratch_[out++] = scratch_[i];
        }
        scratch_.resize(out);
        std::size_t drop = 0;
        side_state& st = s == book_side::bid ? bid_state_ : ask_state_;
        if (opt_.max_depth != 0 && out > opt_.max_depth) {
            drop = out - opt_.max_depth;
            if (!opt_.venue_refills_window) {
                st.has_boundary = true;
                st.boundary = scratch_[drop - 1].key;
            }
        }
        (s == book_side::bid ? bids_ : asks_).assign_sorted(scratch_.data() + drop, out - drop);
        return {};
    }

    void enforce_depth() noexcept {
        if (opt_.max_depth == 0) return;
        trim(bids_, bid_state_);
        trim(asks_, ask_state_);
    }

    void trim(detail::level_array& arr, side_state& st) noexcept {
        if (arr.size() <= opt_.max_depth) return;
        const std::size_t n = arr.size() - opt_.max_depth;
        if (!opt_.venue_refills_window) {
            const std::int64_t dropped_best = arr.key_at(n - 1);
            if (!st.has_boundary || dropped_best > st.boundary) st.boundary = dropped_best;
            st.has_boundary = true;
        }
        arr.drop_worst(n);
    }

    order_book_options opt_;
    detail::level_array bids_;
    detail::level_array asks_;
    side_state bid_state_;
    side_state ask_state_;
    std::int32_t exp_ = 0;
    bool exp_known_ = false;
    std::vector<detail::keyed_level> scratch_;
};

}  // namespace tradewire::market
