// Latency accounting: nanosecond clocks as a policy, and a fixed-memory histogram.
//
// Clocks. Anything with `std::int64_t now() noexcept` returning nanoseconds satisfies
// tradewire::nanosecond_clock; components that read time (risk rate limits, feeds) take
// the clock as a template parameter so tests drive time by hand:
//   monotonic_clock  std::chrono::steady_clock: for durations and rate limits
//   wall_clock       std::chrono::system_clock since the Unix epoch, the scale of
//                    market::timestamp: for exchange-time -> receive-time differences
//   manual_clock     set and advanced by the caller (tests, replays, simulations)
//
// Histogram. basic_latency_histogram records int64 nanoseconds into log-linear buckets
// (HdrHistogram's layout): values below 2^SignificantBits are exact, and above that
// every power-of-two range is split into 2^(SignificantBits-1) equal buckets, so a
// bucket is at most 2^-(SignificantBits-1) of its value wide (latency_histogram: 8 bits,
// 1/128 = 0.8 %, values up to 2^40 ns = 18.3 minutes, 4352 buckets = 34 KiB inline).
// Recording is a bit_width, a shift and an increment: no allocation, no branch on the
// bucket layout. count/min/max/mean are exact; percentile() returns the highest value of
// the bucket holding the requested rank (never understates a latency by more than one
// bucket width, never overstates the true maximum), as HdrHistogram does.
//
// Negative samples (an exchange clock ahead of ours) are not valid latencies: they are
// counted in negative_count() and left out of everything else. Samples above the range
// land in the last bucket, count in saturated_count(), and still set max() exactly.
//
// A histogram is not thread-safe: record on one thread; to report from another, hand
// over a copy or merge() into the reporter's own.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace tradewire {

// ---------------------------------------------------------------------------- clocks

template <class C>
concept nanosecond_clock = requires(C& c) {
    { c.now() } noexcept -> std::same_as<std::int64_t>;
};

struct monotonic_clock {
    std::int64_t now() const noexcept {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
};

struct wall_clock {
    std::int64_t now() const noexcept {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

class manual_clock {
public:
    constexpr explicit manual_clock(std::int64_t start_ns = 0) noexcept : now_(start_ns) {}
    constexpr std::int64_t now() const noexcept { return now_; }
    constexpr void set(std::int64_t ns) noexcept { now_ = ns; }
    constexpr void advance(std::int64_t ns) noexcept { now_ += ns; }

private:
    std::int64_t now_;
};

static_assert(nanosecond_clock<monotonic_clock> && nanosecond_clock<wall_clock> && nanosecond_clock<manual_clock>);

// ---------------------------------------------------------------------------- histogram

template <int SignificantBits = 8, int MaxValueBits = 40>
class basic_latency_histogram {
    static_assert(SignificantBits >= 2 && SignificantBits <= 16, "2..16 significant bits");
    static_assert(MaxValueBits > SignificantBits && MaxValueBits <= 62, "range up to 2^62 ns");

    static constexpr int p = SignificantBits;
    static constexpr std::uint64_t half = std::uint64_t{1} << (p - 1);

public:
    static constexpr std::int64_t max_trackable = (std::int64_t{1} << MaxValueBits) - 1;
    static constexpr std::size_t bucket_count = static_cast<std::size_t>(MaxValueBits - p + 2) * half;

    // Bucket of a value in [0, max_trackable].
    static constexpr std::size_t bucket_index(std::int64_t value) noexcept {
        const auto v = static_cast<std::uint64_t>(value);
        const int width = static_cast<int>(std::bit_width(v));  // libstdc++ 12 returns T
        const int shift = width > p ? width - p : 0;
        return static_cast<std::size_t>((static_cast<std::uint64_t>(shift) << (p - 1)) + (v >> shift));
    }
    // Smallest and largest value that falls into bucket i.
    static constexpr std::int64_t bucket_lowest(std::size_t i) noexcept {
        if (i < 2 * half) return static_cast<std::int64_t>(i);
        const std::uint64_t shift = (i >> (p - 1)) - 1;
        return static_cast<std::int64_t>((i - (shift << (p - 1))) << shift);
    }
    static constexpr std::int64_t bucket_highest(std::size_t i) noexcept {
        if (i < 2 * half) return static_cast<std::int64_t>(i);
        const std::uint64_t shift = (i >> (p - 1)) - 1;
        return bucket_lowest(i) + static_cast<std::int64_t>((std::uint64_t{1} << shift) - 1);
    }

    void record(std::int64_t ns) noexcept { record(ns, 1); }

    // `times` samples of the same value (coordinated-omission correction, merging a
    // coarser source).
    void record(std::int64_t ns, std::uint64_t times) noexcept {
        if (times == 0) return;
        if (ns < 0) {
            negative_ += times;
            return;
        }
        if (count_ == 0) {
            min_ = ns;
            max_ = ns;
        } else {
            min_ = std::min(min_, ns);
            max_ = std::max(max_, ns);
        }
        std::int64_t v = ns;
        if (v > max_trackable) {
            v = max_trackable;
            saturated_ += times;
        }
        counts_[bucket_index(v)] += times;
        count_ += times;
        sum_ += static_cast<u128>(static_cast<std::uint64_t>(v)) * times;
    }

    std::uint64_t count() const noexcept { return count_; }
    bool empty() const noexcept { return count_ == 0; }
    std::int64_t min() const noexcept { return min_; }  // 0 when empty
    std::int64_t max() const noexcept { return max_; }  // 0 when empty
    // Saturated samples count as max_trackable.
    double mean() const noexcept {
        return count_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_);
    }
    std::uint64_t negative_count() const noexcept { return negative_; }
    std::uint64_t saturated_count() const noexcept { return saturated_; }
    std::uint64_t bucket_value_count(std::size_t i) const noexcept { return i < bucket_count ? counts_[i] : 0; }

    // The value at or below which `percent` (0..100) of the samples lie: the highest
    // value of the bucket holding rank ceil(percent / 100 * count), clamped to
    // [min(), max()]. 0 when empty.
    std::int64_t percentile(double percent) const noexcept {
        if (count_ == 0) return 0;
        if (!(percent > 0.0)) return min_;  // also NaN
        if (percent >= 100.0) return max_;
        const double exact = std::ceil(percent / 100.0 * static_cast<double>(count_));
        std::uint64_t rank = exact < 1.0 ? 1 : static_cast<std::uint64_t>(exact);
        if (rank > count_) rank = count_;
        std::uint64_t seen = 0;
        for (std::size_t i = 0; i < bucket_count; ++i) {
            seen += counts_[i];
            if (seen >= rank) return std::clamp(bucket_highest(i), min_, max_);
        }
        return max_;
    }
    std::int64_t p50() const noexcept { return percentile(50.0); }
    std::int64_t p90() const noexcept { return percentile(90.0); }
    std::int64_t p99() const noexcept { return percentile(99.0); }
    std::int64_t p999() const noexcept { return percentile(99.9); }

    void merge(const basic_latency_histogram& other) noexcept {
        negative_ += other.negative_;
        if (other.count_ == 0) return;
        if (count_ == 0) {
            min_ = other.min_;
            max_ = other.max_;
        } else {
            min_ = std::min(min_, other.min_);
            max_ = std::max(max_, other.max_);
        }
        for (std::size_t i = 0; i < bucket_count; ++i) counts_[i] += other.counts_[i];
        count_ += other.count_;
        sum_ += other.sum_;
        saturated_ += other.saturated_;
    }

    void reset() noexcept {
        counts_.fill(0);
        count_ = negative_ = saturated_ = 0;
        min_ = max_ = 0;
        sum_ = 0;
    }

private:
    __extension__ typedef unsigned __int128 u128;

    std::array<std::uint64_t, bucket_count> counts_{};
    std::uint64_t count_ = 0;
    std::uint64_t negative_ = 0;
    std::uint64_t saturated_ = 0;
    std::int64_t min_ = 0;
    std::int64_t max_ = 0;
    u128 sum_ = 0;
};

using latency_histogram = basic_latency_histogram<>;

}  // namespace tradewire
