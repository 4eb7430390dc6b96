// Zeroing that the optimiser may not remove, for secrets (keys, HMAC pad states) whose
// owner is about to die: a plain memset before destruction is a dead store to a compiler.
#pragma once

#include <cstddef>
#include <cstring>

namespace tradewire::crypto::detail {

inline void secure_wipe(void* p, std::size_t n) noexcept {
    if (n == 0) return;
#if defined(__GNUC__) || defined(__clang__)
    std::memset(p, 0, n);
    // The empty asm "reads" the memory, so the stores above are observable and kept.
    __asm__ __volatile__("" : : "r"(p) : "memory");
#else
    volatile unsigned char* q = static_cast<volatile unsigned char*>(p);
    while (n--) *q++ = 0;
#endif
}

}  // namespace tradewire::crypto::detail
