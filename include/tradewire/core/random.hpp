// Fast, non-cryptographic random numbers for protocol nonces: WebSocket mask keys (one
// per client frame) and the 16-byte Sec-WebSocket-Key. RFC 6455 only needs these to be
// unpredictable to scripts sharing the connection's path, not secret, so a seeded
// xoshiro256** is enough and costs about a nanosecond per key. Where a deployment wants a
// CSPRNG instead, anything modelling `random_source` can be plugged in as a policy.
#pragma once

#include <tradewire/core/bytes.hpp>

#include <array>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <type_traits>
#include <utility>

namespace tradewire {

// A source of uniformly distributed 32- or 64-bit words: `r.next()`.
template <class R>
concept random_source = requires(R& r) {
    { r.next() } -> std::unsigned_integral;
} && (sizeof(decltype(std::declval<R&>().next())) == 4 || sizeof(decltype(std::declval<R&>().next())) == 8);

// xoshiro256** (Blackman and Vigna, 2018): 256 bits of state, period 2^256 - 1, passes
// BigCrush. Not thread-safe; give each connection or thread its own instance.
class xoshiro256ss {
public:
    using result_type = std::uint64_t;

    // Seeded from std::random_device, so two instances never share a sequence.
    xoshiro256ss() {
        std::random_device device;
        std::uint64_t seed = 0;
        for (int i = 0; i < 2; ++i) seed = (seed << 32) | static_cast<std::uint64_t>(device());
        // Mix in an address so a broken random_device (constant output) still differs per instance.
        seed ^= static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(this));
        reseed(seed);
        std::uint64_t extra = 0;
        for (int i = 0; i < 2; ++i) extra = (extra << 32) | static_cast<std::uint64_t>(device());
        state_[3] ^= extra;
        if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_[0] = 1;
    }

    // Deterministic sequence for tests and reproducible simulations.
    explicit xoshiro256ss(std::uint64_t seed) noexcept { reseed(seed); }

    // The state is expanded with splitmix64, as the xoshiro authors recommend, so that
    // similar seeds give unrelated sequences and the state is never all zero in practice.
    void reseed(std::uint64_t seed) noexcept {
        for (auto& word : state_) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            word = z ^ (z >> 31);
        }
        if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_[0] = 1;
    }

    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Fills `out` with random bytes, eight per call to next().
    void fill(mutable_bytes out) noexcept {
        std::size_t i = 0;
        for (; i + 8 <= out.size(); i += 8) {
            const std::uint64_t word = next();
            std::memcpy(out.data() + i, &word, 8);
        }
        if (i < out.size()) {
            const std::uint64_t word = next();
            std::memcpy(out.data() + i, &word, out.size() - i);
        }
    }

    // UniformRandomBitGenerator, so it also works with <random> distributions.
    static constexpr result_type min() noexcept { return 0; }
    static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }
    result_type operator()() noexcept { return next(); }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

    std::array<std::uint64_t, 4> state_{};
};

// The generator tradewire uses when no other policy is given.
using default_random = xoshiro256ss;

// Fills `out` from any random_source (used where the source is a policy).
template <random_source R>
void fill_random(R& source, mutable_bytes out) noexcept(noexcept(source.next())) {
    using word_type = decltype(source.next());
    constexpr std::size_t width = sizeof(word_type);
    std::size_t i = 0;
    for (; i + width <= out.size(); i += width) {
        const word_type word = source.next();
        std::memcpy(out.data() + i, &word, width);
    }
    if (i < out.size()) {
        const word_type word = source.next();
        std::memcpy(out.data() + i, &word, out.size() - i);
    }
}

static_assert(random_source<xoshiro256ss>);

}  // namespace tradewire
