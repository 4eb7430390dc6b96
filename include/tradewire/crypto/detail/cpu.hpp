// Run-time CPU feature detection for the accelerated hash paths. The answer is computed
// once per process (CPUID is slow and serialising) and cached in a function-local static.
// When the compiler already targets the feature (-msha / -march=native on a CPU with it),
// the check folds to a constant and the portable path is never reached.
#pragma once

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define TRADEWIRE_CRYPTO_X86 1
#include <cpuid.h>
#endif

namespace tradewire::crypto::detail {

#if defined(TRADEWIRE_CRYPTO_X86)
inline bool detect_x86_sha_ni() noexcept {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
    const bool ssse3 = (c & (1u << 9)) != 0;
    const bool sse41 = (c & (1u << 19)) != 0;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
    const bool sha = (b & (1u << 29)) != 0;
    return ssse3 && sse41 && sha;
}
#endif

// True when the SHA extensions (SHA-NI) plus SSSE3/SSE4.1 can be used.
inline bool cpu_has_sha_ni() noexcept {
#if defined(TRADEWIRE_CRYPTO_X86) && defined(__SHA__) && defined(__SSE4_1__)
    return true;
#elif defined(TRADEWIRE_CRYPTO_X86)
    static const bool has = detect_x86_sha_ni();
    return has;
#else
    return false;
#endif
}

}  // namespace tradewire::crypto::detail
