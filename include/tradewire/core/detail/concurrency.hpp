// Small pieces shared by tradewire's lock-free structures (spsc_ring, feed::price_cache):
// the cache-line size used to keep independently written data apart, a spin-wait hint,
// and a copy of a trivially copyable value through relaxed atomic 64-bit words, which
// is how a seqlock or an overwriting ring reads data that a writer may be changing at
// the same time without a data race in the C++ memory model (a racy plain memcpy would
// be undefined behaviour and is what ThreadSanitizer reports).
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tradewire::detail {

// 64-byte lines, but Intel's adjacent-line prefetcher pulls lines in pairs, so data
// written by different threads is kept 128 bytes apart (as folly and crossbeam do).
inline constexpr std::size_t cache_line = 64;
inline constexpr std::size_t false_sharing_range = 128;

// Tells the CPU this is a spin-wait loop (saves power, yields the core to a sibling
// hyper-thread, and avoids the memory-order mis-speculation penalty on loop exit).
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#else
    std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
}

template <class T>
inline constexpr std::size_t word_count = (sizeof(T) + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t);

// A trivially copyable T stored as relaxed atomic words. store() and load() may run
// concurrently: a load then returns a mix of old and new words, which the caller must
// detect (seqlock version, ring index CAS) and discard; it is never undefined behaviour.
template <class T>
    requires std::is_trivially_copyable_v<T>
struct atomic_words {
    static constexpr std::size_t n = word_count<T>;
    std::atomic<std::uint64_t> w[n] = {};

    void store(const T& value) noexcept {
        std::uint64_t tmp[n] = {};
        std::memcpy(tmp, &value, sizeof(T));
        for (std::size_t i = 0; i < n; ++i) w[i].store(tmp[i], std::memory_order_relaxed);
    }
    // Needs no default constructor: the bytes become a T through bit_cast.
    T load() const noexcept {
        std::uint64_t tmp[n];
        for (std::size_t i = 0; i < n; ++i) tmp[i] = w[i].load(std::memory_order_relaxed);
        std::array<unsigned char, sizeof(T)> bytes;
        std::memcpy(bytes.data(), tmp, sizeof(T));
        return std::bit_cast<T>(bytes);
    }
};

}  // namespace tradewire::detail
