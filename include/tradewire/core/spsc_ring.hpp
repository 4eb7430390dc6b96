// spsc_ring: a bounded lock-free queue between exactly one producer thread and one
// consumer thread, e.g. the io thread handing decoded events to a strategy thread.
//
// Capacity is a power of two fixed at construction (the only allocation). Indices are
// 64-bit counters that never wrap in practice; the producer's and the consumer's index
// live 128 bytes apart, and each side keeps a private copy of the other's index so that
// it touches the shared line only when its copy says the ring looks full (producer) or
// empty (consumer). An item costs one release store on the fast path.
//
// What happens when the ring is full is a policy, chosen at compile time:
//   full_policy::fail         push() returns ring_error::full ([[nodiscard]]) and counts
//                             it in rejected(); nothing is lost silently.
//   full_policy::block        push() waits (spin with a pause hint, then yield) until the
//                             consumer makes room. Back-pressure for lossless pipelines.
//   full_policy::drop_oldest  push() always succeeds; when full it discards the oldest
//                             unread item and counts it in dropped(). For "latest data
//                             wins" consumers. The consumer claims each item with a CAS
//                             (the producer may claim the same item to drop it), and
//                             items are copied through relaxed atomic words, so payloads
//                             must be trivially copyable; there is no in-place front().
// fail and block accept move-only payloads (nothrow move construction required).
//
// try_push() exists under every policy: it never waits and never drops, and returns
// false when full without counting. Every member is noexcept; none allocates after the
// constructor.
//
// Threads: push/try_push/emplace from the producer only; try_pop/front/pop from the
// consumer only; capacity/size/empty/dropped/rejected from anywhere (approximate while
// both sides run).
#pragma once

#include <tradewire/core/detail/concurrency.hpp>
#include <tradewire/core/error.hpp>

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>

namespace tradewire {

enum class ring_error {
    full = 1,  // push() under full_policy::fail found no free slot
};

namespace detail {
struct ring_error_traits {
    static constexpr const char* name = "tradewire.ring";
    static const char* message(ring_error e) noexcept {
        switch (e) {
            case ring_error::full: return "ring is full";
        }
        return "unknown ring error";
    }
};
}  // namespace detail

inline const std::error_category& ring_category() noexcept {
    return detail::enum_category<ring_error, detail::ring_error_traits>();
}

inline std::error_code make_error_code(ring_error e) noexcept { return {static_cast<int>(e), ring_category()}; }

}  // namespace tradewire

template <>
struct std::is_error_code_enum<tradewire::ring_error> : std::true_type {};

namespace tradewire {

enum class full_policy : std::uint8_t { fail, block, drop_oldest };

// What a payload needs under a policy (see the header comment).
template <class T, full_policy Policy>
concept ring_payload = std::is_object_v<T> && !std::is_const_v<T> &&
                       ((Policy != full_policy::drop_oldest && std::is_nothrow_move_constructible_v<T> &&
                         std::is_nothrow_destructible_v<T>) ||
                        (Policy == full_policy::drop_oldest && std::is_trivially_copyable_v<T>));

template <class T, full_policy Policy = full_policy::fail>
    requires ring_payload<T, Policy>
class spsc_ring {
    static constexpr bool drop_mode = Policy == full_policy::drop_oldest;

public:
    using value_type = T;
    static constexpr full_policy policy = Policy;

    // Capacity is `min_capacity` rounded up to a power of two, at least 2.
    explicit spsc_ring(std::size_t min_capacity)
        : capacity_(std::bit_ceil(min_capacity < 2 ? std::size_t{2} : min_capacity)), storage_(new slot[capacity_]) {
        prod_.slots = cons_.slots = storage_.get();
        prod_.mask = cons_.mask = capacity_ - 1;
    }

    spsc_ring(const spsc_ring&) = delete;
    spsc_ring& operator=(const spsc_ring&) = delete;

    ~spsc_ring() {
        if constexpr (!drop_mode && !std::is_trivially_destructible_v<T>) {
            const std::uint64_t t = prod_.tail.load(std::memory_order_relaxed);
            for (std::uint64_t h = cons_.head.load(std::memory_order_relaxed); h != t; ++h) item(h)->~T();
        }
    }

    std::size_t capacity() const noexcept { return capacity_; }

    // ------------------------------------------------------------------ producer

    // Never waits, never drops: false when full (not counted in rejected()).
    [[nodiscard]] bool try_push(const T& value) noexcept
        requires std::is_nothrow_copy_constructible_v<T>
    {
        return try_emplace(value);
    }
    [[nodiscard]] bool try_push(T&& value) noexcept { return try_emplace(std::move(value)); }

    template <class... Args>
        requires std::is_nothrow_constructible_v<T, Args...>
    [[nodiscard]] bool try_emplace(Args&&... args) noexcept {
        const std::uint64_t t = prod_.next;
        if (t - prod_.cached_head > prod_.mask) {  // looks full
            prod_.cached_head = cons_.head.load(std::memory_order_acquire);
            if (t - prod_.cached_head > prod_.mask) return false;
        }
        write(t, std::forward<Args>(args)...);
        prod_.next = t + 1;
        prod_.tail.store(t + 1, std::memory_order_release);
        return true;
    }

    // full_policy::fail: ring_error::full when there is no room (counted in rejected()).
    [[nodiscard]] std::error_code push(T&& value) noexcept
        requires(Policy == full_policy::fail)
    {
        if (try_emplace(std::move(value))) return {};
        prod_.counter.store(prod_.counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        return ring_error::full;
    }
    [[nodiscard]] std::error_code push(const T& value) noexcept
        requires(Policy == full_policy::fail && std::is_nothrow_copy_constructible_v<T>)
    {
        T copy(value);
        return push(std::move(copy));
    }

    // full_policy::block: waits until the consumer makes room.
    void push(T&& value) noexcept
        requires(Policy == full_policy::block)
    {
        for (unsigned spins = 0; !try_emplace(std::move(value)); ++spins) {
            if (spins < spin_limit) {
                detail::cpu_relax();
            } else {
                std::this_thread::yield();
            }
        }
    }
    void push(const T& value) noexcept
        requires(Policy == full_policy::block && std::is_nothrow_copy_constructible_v<T>)
    {
        T copy(value);
        push(std::move(copy));
    }

    // full_policy::drop_oldest: always stores `value`; true when the oldest unread item
    // was discarded to make room (counted in dropped()).
    bool push(const T& value) noexcept
        requires(Policy == full_policy::drop_oldest)
    {
        const std::uint64_t t = prod_.next;
        bool dropped_one = false;
        if (t - prod_.cached_head > prod_.mask) {  // looks full
            std::uint64_t h = cons_.head.load(std::memory_order_acquire);
            // The consumer may claim items meanwhile; a failed CAS reloads h and the loop
            // re-checks whether room appeared on its own.
            while (t - h > prod_.mask) {
                if (cons_.head.compare_exchange_weak(h, h + 1, std::memory_order_acq_rel,
                                                     std::memory_order_acquire)) {
                    ++h;
                    dropped_one = true;
                    prod_.counter.store(prod_.counter.load(std::memory_order_relaxed) + 1,
                                        std::memory_order_relaxed);
                }
            }
            prod_.cached_head = h;
        }
        prod_.slots[t & prod_.mask].store(value);
        prod_.next = t + 1;
        prod_.tail.store(t + 1, std::memory_order_release);
        return dropped_one;
    }

    // ------------------------------------------------------------------ consumer

    // Moves the oldest item into `out`; false when empty.
    [[nodiscard]] bool try_pop(T& out) noexcept
        requires(drop_mode ? std::is_copy_assignable_v<T> : std::is_nothrow_move_assignable_v<T>)
    {
        if constexpr (drop_mode) {
            std::optional<T> v = try_pop();
            if (!v) return false;
            out = *v;
            return true;
        } else {
            const std::uint64_t h = cons_.next;
            if (h == cons_.cached_tail) {
                cons_.cached_tail = prod_.tail.load(std::memory_order_acquire);
                if (h == cons_.cached_tail) return false;
            }
            T* p = item(h);
            out = std::move(*p);
            p->~T();
            cons_.next = h + 1;
            cons_.head.store(h + 1, std::memory_order_release);
            return true;
        }
    }

    [[nodiscard]] std::optional<T> try_pop() noexcept {
        if constexpr (drop_mode) {
            std::uint64_t h = cons_.head.load(std::memory_order_acquire);
            for (;;) {
                if (h >= cons_.cached_tail) {
                    cons_.cached_tail = prod_.tail.load(std::memory_order_acquire);
                    if (h >= cons_.cached_tail) return std::nullopt;
                }
                const T copy = cons_.slots[h & cons_.mask].load();
                // Success proves the producer did not claim (and so did not overwrite) this
                // item while it was copied; failure reloads h past the dropped items.
                if (cons_.head.compare_exchange_strong(h, h + 1, std::memory_order_acq_rel,
                                                       std::memory_order_acquire)) {
                    return copy;
                }
            }
        } else {
            T* p = front();
            if (p == nullptr) return std::nullopt;
            std::optional<T> out(std::move(*p));
            pop();
            return out;
        }
    }

    // The oldest item, in place (valid until pop()); nullptr when empty. Not under
    // drop_oldest, where the producer may overwrite it at any time.
    [[nodiscard]] T* front() noexcept
        requires(!drop_mode)
    {
        const std::uint64_t h = cons_.next;
        if (h == cons_.cached_tail) {
            cons_.cached_tail = prod_.tail.load(std::memory_order_acquire);
            if (h == cons_.cached_tail) return nullptr;
        }
        return item(h);
    }

    // Removes the item front() returned. Only after front() returned non-null.
    void pop() noexcept
        requires(!drop_mode)
    {
        const std::uint64_t h = cons_.next;
        item(h)->~T();
        cons_.next = h + 1;
        cons_.head.store(h + 1, std::memory_order_release);
    }

    // Calls f(T&&) on up to `max` available items, oldest first, and frees their slots
    // with one index store at the end (the producer sees the room after drain returns).
    // Returns how many items were consumed. Not under drop_oldest. f must not throw
    // (drain is noexcept, like the rest of the ring).
    template <class F>
        requires(!drop_mode && std::is_invocable_v<F&, T &&>)
    std::size_t drain(F&& f, std::size_t max = SIZE_MAX) noexcept {
        const std::uint64_t h = cons_.next;
        std::uint64_t available = cons_.cached_tail - h;
        if (available < max) {
            cons_.cached_tail = prod_.tail.load(std::memory_order_acquire);
            available = cons_.cached_tail - h;
        }
        const std::uint64_t n = available < max ? available : max;
        for (std::uint64_t i = h; i != h + n; ++i) {
            T* p = item(i);
            f(std::move(*p));
            p->~T();
        }
        if (n != 0) {
            cons_.next = h + n;
            cons_.head.store(h + n, std::memory_order_release);
        }
        return static_cast<std::size_t>(n);
    }

    // ------------------------------------------------------------------ any thread

    std::size_t size() const noexcept {
        // head first: tail only grows, so the difference is never negative.
        const std::uint64_t h = cons_.head.load(std::memory_order_acquire);
        const std::uint64_t t = prod_.tail.load(std::memory_order_acquire);
        const std::uint64_t n = t - h;
        return n > capacity_ ? capacity_ : static_cast<std::size_t>(n);
    }
    bool empty() const noexcept { return size() == 0; }

    // Items discarded by push() under drop_oldest.
    std::uint64_t dropped() const noexcept
        requires(Policy == full_policy::drop_oldest)
    {
        return prod_.counter.load(std::memory_order_relaxed);
    }
    // push() calls refused under fail.
    std::uint64_t rejected() const noexcept
        requires(Policy == full_policy::fail)
    {
        return prod_.counter.load(std::memory_order_relaxed);
    }

private:
    static constexpr unsigned spin_limit = 128;

    struct storage_slot {
        alignas(T) unsigned char bytes[sizeof(T)];
    };
    // Lazy: atomic_words<T> must not be named for payloads that are not trivially copyable.
    template <bool Drop, class = void>
    struct slot_for {
        using type = storage_slot;
    };
    template <class Unused>
    struct slot_for<true, Unused> {
        using type = detail::atomic_words<T>;
    };
    using slot = typename slot_for<drop_mode>::type;

    T* item(std::uint64_t index) noexcept
        requires(!drop_mode)
    {
        return std::launder(reinterpret_cast<T*>(cons_.slots[index & cons_.mask].bytes));
    }

    template <class... Args>
    void write(std::uint64_t index, Args&&... args) noexcept {
        if constexpr (drop_mode) {
            prod_.slots[index & prod_.mask].store(T(std::forward<Args>(args)...));
        } else {
            ::new (static_cast<void*>(prod_.slots[index & prod_.mask].bytes)) T(std::forward<Args>(args)...);
        }
    }

    // Each side's line holds everything its operations read besides the other side's
    // index: its own copy of the slot pointer and mask.
    // `next` is the side's own index as a plain copy: reading it back from the atomic
    // would chain every operation to the previous store through store forwarding.
    struct alignas(detail::false_sharing_range) producer_side {
        std::atomic<std::uint64_t> tail{0};
        std::uint64_t next = 0;
        std::uint64_t cached_head = 0;
        slot* slots = nullptr;
        std::size_t mask = 0;
        std::atomic<std::uint64_t> counter{0};  // dropped or rejected
    };
    struct alignas(detail::false_sharing_range) consumer_side {
        std::atomic<std::uint64_t> head{0};
        std::uint64_t next = 0;  // unused under drop_oldest, where the producer moves head too
        std::uint64_t cached_tail = 0;
        slot* slots = nullptr;
        std::size_t mask = 0;
    };

    const std::size_t capacity_;
    const std::unique_ptr<slot[]> storage_;
    producer_side prod_;
    consumer_side cons_;
};

}  // namespace tradewire
