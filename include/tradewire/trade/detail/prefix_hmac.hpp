// HMAC with a constant message prefix absorbed in advance. A signed request whose
// string to sign starts with the same bytes every time (Binance's
// "apiKey=<64 characters>&..." fills a whole SHA-256 block) keeps the chaining state
// after the key block and the prefix's whole blocks, so signing hashes only the part
// that changes. The prefix's last partial block (the "carry") cannot be absorbed; the
// caller keeps those bytes in front of the variable text and passes both to sign().
//
// Key states and the generic finish come from crypto/hmac.hpp. sign_in_place() pads in
// the caller's buffer instead of a copy (the order template's scratch has the room), so
// a signature costs two compression calls: inner blocks with padding, outer block.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/detail/endian.hpp>
#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/crypto/hmac.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tradewire::trade::detail {

template <crypto::block_hash Hash>
class prefix_hmac {
public:
    using state_type = typename Hash::state_type;
    static constexpr std::size_t block_size = Hash::block_size;
    static constexpr std::size_t digest_size = Hash::digest_size;

    prefix_hmac() noexcept { init({}, {}); }
    prefix_hmac(const prefix_hmac&) noexcept = default;
    prefix_hmac& operator=(const prefix_hmac&) noexcept = default;
    ~prefix_hmac() {
        crypto::detail::secure_wipe(&inner_, sizeof inner_);
        crypto::detail::secure_wipe(&outer_, sizeof outer_);
    }

    // Keys the MAC and absorbs the whole blocks of `prefix`. Returns the carry size:
    // the last prefix.size() % block_size bytes, which every message given to sign()
    // must begin with.
    std::size_t init(const_bytes key, const_bytes prefix) noexcept {
        crypto::detail::hmac_key_states<Hash>(key, inner_, outer_);
        const std::size_t whole = prefix.size() / block_size;
        if (whole != 0) Hash::compress(inner_, prefix.data(), whole);
        absorbed_ = block_size * (1 + whole);
        return prefix.size() - whole * block_size;
    }

    // MAC of prefix || message, where message[0 .. n) starts with the carry.
    void sign(const std::uint8_t* message, std::size_t n, std::uint8_t* out) const noexcept {
        state_type s = inner_;
        const std::size_t whole = n / block_size;
        if (whole != 0) Hash::compress(s, message, whole);
        const std::size_t done = whole * block_size;
        crypto::detail::hmac_finish<Hash>(s, message + done, n - done, absorbed_ + n, outer_, out);
    }

    // Bytes sign_in_place() may write past the message: the padding (0x80, zeros and
    // the length field) fills at most one block and a length field.
    static constexpr std::size_t in_place_room = block_size + Hash::length_size;

    // Same MAC as sign(), for a message in a buffer that has in_place_room writable
    // bytes after it: the padding is written there, so the inner hash is one compression
    // call over the message and its padding, and the outer hash a second one. Those
    // bytes are overwritten; the message itself is not.
    void sign_in_place(std::uint8_t* message, std::size_t n, std::uint8_t* out) const noexcept {
        constexpr std::size_t B = block_size, L = Hash::length_size, D = digest_size;
        const std::size_t blocks = (n + 1 + L + B - 1) / B;
        std::uint8_t* pad = message + n;
        pad[0] = 0x80;
        std::memset(pad + 1, 0, blocks * B - n - 1 - 8);
        crypto::detail::store_be64(message + blocks * B - 8, (absorbed_ + n) << 3);
        state_type s = inner_;
        Hash::compress(s, message, blocks);

        // Outer: one block holding the inner digest and constant padding.
        std::uint8_t block[B];
        Hash::store(s, block);
        block[D] = 0x80;
        std::memset(block + D + 1, 0, B - D - 1 - 8);
        crypto::detail::store_be64(block + B - 8, std::uint64_t{B + D} << 3);
        s = outer_;
        Hash::compress(s, block, 1);
        Hash::store(s, out);
    }

private:
    state_type inner_{};
    state_type outer_{};
    std::uint64_t absorbed_ = 0;  // bytes in inner_: the key block and the whole prefix blocks
};

}  // namespace tradewire::trade::detail
