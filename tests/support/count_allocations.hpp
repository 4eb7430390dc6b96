// Replaces the global allocation functions of the test program that includes it (in
// exactly one source file) so a test can prove that a hot path allocates nothing:
// read alloc_test::allocations() before and after the loop. Every form is replaced
// (plain, array, nothrow, aligned), so each allocation and its release go through the
// same malloc/free pair, also under the sanitizers (they check the pairing).
//
// Only operator new is counted. Asio's operation memory comes from malloc directly; the
// net tests that need malloc counted too keep their own, glibc-specific counters.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace alloc_test {

inline std::atomic<std::size_t> allocation_count{0};

inline std::size_t allocations() noexcept { return allocation_count.load(std::memory_order_relaxed); }

inline void* counted_alloc(std::size_t n, std::size_t align = 0) noexcept {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    if (n == 0) n = 1;
    if (align > alignof(std::max_align_t)) return std::aligned_alloc(align, (n + align - 1) / align * align);
    return std::malloc(n);
}

inline void* counted_or_throw(std::size_t n, std::size_t align = 0) {
    if (void* p = counted_alloc(n, align)) return p;
    throw std::bad_alloc();
}

}  // namespace alloc_test

void* operator new(std::size_t n) { return alloc_test::counted_or_throw(n); }
void* operator new[](std::size_t n) { return alloc_test::counted_or_throw(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return alloc_test::counted_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return alloc_test::counted_alloc(n); }
void* operator new(std::size_t n, std::align_val_t a) {
    return alloc_test::counted_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
    return alloc_test::counted_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return alloc_test::counted_alloc(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return alloc_test::counted_alloc(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
