// The Merkle-Damgard bookkeeping shared by SHA-1, SHA-256 and SHA-512: collect input
// into whole blocks, hand runs of whole blocks straight from the caller's memory to the
// compression function, and apply the final 0x80 / zeros / bit-length padding.
#pragma once

#include <tradewire/crypto/detail/endian.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tradewire::crypto::detail {

// BlockSize 64 with a 64-bit length field (SHA-1, SHA-256) or 128 with a 128-bit field
// (SHA-512). Messages are limited to 2^64 - 1 bytes, more than any process can feed.
template <std::size_t BlockSize, std::size_t LengthSize>
struct block_buffer {
    std::array<std::uint8_t, BlockSize> data{};
    std::size_t used = 0;     // bytes waiting in data
    std::uint64_t total = 0;  // bytes hashed so far, including those in data

    // compress(const std::uint8_t* blocks, std::size_t count)
    template <class Compress>
    void update(const std::uint8_t* p, std::size_t n, Compress&& compress) noexcept {
        if (n == 0) return;  // p may be null for an empty span
        total += n;
        if (used != 0) {
            const std::size_t take = n < BlockSize - used ? n : BlockSize - used;
            std::memcpy(data.data() + used, p, take);
            used += take;
            p += take;
            n -= take;
            if (used < BlockSize) return;
            compress(data.data(), std::size_t{1});
            used = 0;
        }
        if (n >= BlockSize) {
            const std::size_t blocks = n / BlockSize;
            compress(p, blocks);
            p += blocks * BlockSize;
            n -= blocks * BlockSize;
        }
        if (n != 0) {
            std::memcpy(data.data(), p, n);
            used = n;
        }
    }

    template <class Compress>
    void finish(Compress&& compress) noexcept {
        const std::uint64_t bits_low = total << 3;
        const std::uint64_t bits_high = total >> 61;
        data[used++] = 0x80;
        if (used > BlockSize - LengthSize) {
            std::memset(data.data() + used, 0, BlockSize - used);
            compress(data.data(), std::size_t{1});
            used = 0;
        }
        std::memset(data.data() + used, 0, BlockSize - used);
        if constexpr (LengthSize == 16) store_be64(data.data() + BlockSize - 16, bits_high);
        store_be64(data.data() + BlockSize - 8, bits_low);
        compress(data.data(), std::size_t{1});
        used = 0;
        total = 0;
    }
};

}  // namespace tradewire::crypto::detail
