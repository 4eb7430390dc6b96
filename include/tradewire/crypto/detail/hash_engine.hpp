// The incremental-hash interface SHA-1, SHA-256 and SHA-512 share: update/finish/reset,
// one-shot hash(), and resuming from a chaining state (HMAC's precomputed key blocks).
// The algorithm class derives from hash_engine<Algorithm, ...> and supplies only what
// differs: its initial state, its compression function and how the state is stored.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/detail/block_buffer.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tradewire::crypto::detail {

// Algorithm provides: static constexpr state_type initial_state;
//   static void compress(state_type&, const std::uint8_t* blocks, std::size_t count) noexcept;
//   static void store(const state_type&, std::uint8_t* out) noexcept;
template <class Algorithm, class State, std::size_t DigestSize, std::size_t BlockSize, std::size_t LengthSize>
class hash_engine {
public:
    static constexpr std::size_t digest_size = DigestSize;
    static constexpr std::size_t block_size = BlockSize;
    static constexpr std::size_t length_size = LengthSize;  // bytes of the bit-length field in the padding
    using digest_type = std::array<std::uint8_t, digest_size>;
    using state_type = State;

    hash_engine() noexcept : state_(Algorithm::initial_state) {}

    // Continues from a chaining state reached after hashing `bytes_hashed` bytes (a
    // multiple of block_size), e.g. an HMAC key block.
    hash_engine(const state_type& state, std::uint64_t bytes_hashed) noexcept : state_(state) {
        buffer_.total = bytes_hashed;
    }

    void reset() noexcept {
        state_ = Algorithm::initial_state;
        buffer_.used = 0;
        buffer_.total = 0;
    }

    void update(const_bytes data) noexcept { buffer_.update(data.data(), data.size(), compressor{&state_}); }
    void update(std::string_view text) noexcept { update(as_bytes(text)); }

    // Writes the digest and resets the object, so it can hash the next message.
    void finish(std::uint8_t* out) noexcept {
        buffer_.finish(compressor{&state_});
        Algorithm::store(state_, out);
        reset();
    }
    digest_type finish() noexcept {
        digest_type out;
        finish(out.data());
        return out;
    }

    static digest_type hash(const_bytes data) noexcept {
        Algorithm h;
        h.update(data);
        return h.finish();
    }
    static digest_type hash(std::string_view text) noexcept { return hash(as_bytes(text)); }

private:
    struct compressor {
        state_type* state;
        void operator()(const std::uint8_t* p, std::size_t count) const noexcept {
            Algorithm::compress(*state, p, count);
        }
    };

    state_type state_;
    block_buffer<BlockSize, LengthSize> buffer_;
};

}  // namespace tradewire::crypto::detail
