// Replaces the global allocation functions of the test program that includes it (in
// exactly one source file) to count heap allocations, so a test can prove that a hot path
// allocates nothing. Every non-aligned form is replaced, so allocations and releases always
// pair up (sanitizers check that).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace mt {
inline std::atomic<std::size_t> g_allocations{0};

inline void* counted_alloc(std::size_t n) noexcept {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n == 0 ? 1 : n);
}
}  // namespace mt

void* operator new(std::size_t n) {
    if (void* p = mt::counted_alloc(n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
    if (void* p = mt::counted_alloc(n)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return mt::counted_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return mt::counted_alloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
