// HMAC (RFC 2104) over any of the block hashes here (sha1, sha256, sha512).
//
//  - hmac<Hash>: incremental MAC, for messages assembled from parts (Kraken signs
//    path || SHA-256(nonce || body)).
//  - hmac_signer<Hash>: the hot-path signer. Keyed once, it keeps the chaining states
//    after the key^ipad and key^opad blocks, so a signature costs only the message's
//    blocks plus one outer block, with no allocation and no copy of the message.
//  - hmac_sha256(key, msg) / hmac_sha512(key, msg): one-shot helpers for cold paths.
//
// Key material (the padded key and both precomputed states) is wiped when an object
// holding it is destroyed. Nothing here prints or formats a key: there is no operator<<,
// and error codes never carry key bytes.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/detail/endian.hpp>
#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/crypto/hex.hpp>
#include <tradewire/crypto/sha256.hpp>
#include <tradewire/crypto/sha512.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tradewire::crypto {

// What HMAC needs from a hash: the sizes, its chaining state and whole-block compression.
template <class H>
concept block_hash = requires(typename H::state_type& state, const std::uint8_t* in, std::uint8_t* out) {
    requires std::same_as<std::remove_cv_t<decltype(H::digest_size)>, std::size_t>;
    requires std::same_as<std::remove_cv_t<decltype(H::block_size)>, std::size_t>;
    requires std::same_as<std::remove_cv_t<decltype(H::length_size)>, std::size_t>;
    requires std::same_as < std::remove_cv_t<decltype(H::initial_state)>,
    typename H::state_type > ;
    typename H::digest_type;
    H::compress(state, in, std::size_t{1});
    H::store(state, out);
    { H::hash(const_bytes{}) } -> std::same_as<typename H::digest_type>;
    requires std::constructible_from<H, const typename H::state_type&, std::uint64_t>;
};

namespace detail {

// Chaining states after compressing (key ^ ipad) and (key ^ opad).
template <block_hash Hash>
void hmac_key_states(const_bytes key, typename Hash::state_type& inner,
                     typename Hash::state_type& outer) noexcept {
    std::uint8_t block[Hash::block_size] = {};
    if (key.size() > Hash::block_size) {
        auto digest = Hash::hash(key);  // RFC 2104: long keys are hashed first
        std::memcpy(block, digest.data(), digest.size());
        secure_wipe(digest.data(), digest.size());
    } else if (!key.empty()) {
        std::memcpy(block, key.data(), key.size());
    }
    for (auto& b : block) b ^= 0x36;
    inner = Hash::initial_state;
    Hash::compress(inner, block, 1);
    for (auto& b : block) b ^= 0x36 ^ 0x5c;
    outer = Hash::initial_state;
    Hash::compress(outer, block, 1);
    secure_wipe(block, sizeof block);
}

// Finishes HMAC from the inner chaining state after a message of `inner_bytes` bytes
// (key block included) whose last partial block is tail[0 .. tail_size).
template <block_hash Hash>
void hmac_finish(typename Hash::state_type inner, const std::uint8_t* tail, std::size_t tail_size,
                 std::uint64_t inner_bytes, const typename Hash::state_type& outer_key,
                 std::uint8_t* out) noexcept {
    constexpr std::size_t B = Hash::block_size, D = Hash::digest_size, L = Hash::length_size;
    std::uint8_t buf[2 * B];
    if (tail_size != 0) std::memcpy(buf, tail, tail_size);
    buf[tail_size] = 0x80;
    const std::size_t blocks = tail_size + 1 + L <= B ? 1 : 2;
    std::memset(buf + tail_size + 1, 0, blocks * B - tail_size - 1 - 8);
    store_be64(buf + blocks * B - 8, inner_bytes << 3);
    Hash::compress(inner, buf, blocks);

    // The outer message is one block: the inner digest, then constant padding.
    Hash::store(inner, buf);
    buf[D] = 0x80;
    std::memset(buf + D + 1, 0, B - D - 1 - 8);
    store_be64(buf + B - 8, std::uint64_t{B + D} << 3);
    typename Hash::state_type outer = outer_key;
    Hash::compress(outer, buf, 1);
    Hash::store(outer, out);
}

}  // namespace detail

// Incremental HMAC. finish() returns the MAC and re-arms the object with the same key.
template <block_hash Hash>
class hmac {
public:
    using hash_type = Hash;
    using state_type = typename Hash::state_type;
    using digest_type = typename Hash::digest_type;
    static constexpr std::size_t digest_size = Hash::digest_size;

    explicit hmac(const_bytes key) noexcept {
        detail::hmac_key_states<Hash>(key, inner_key_, outer_key_);
        inner_ = Hash(inner_key_, Hash::block_size);
    }
    explicit hmac(std::string_view key) noexcept : hmac(as_bytes(key)) {}

    // From precomputed key states (see hmac_signer::begin()).
    hmac(const state_type& inner_key, const state_type& outer_key) noexcept
        : inner_key_(inner_key), outer_key_(outer_key), inner_(inner_key, Hash::block_size) {}

    hmac(const hmac&) noexcept = default;
    hmac& operator=(const hmac&) noexcept = default;
    ~hmac() { wipe(); }

    void update(const_bytes data) noexcept { inner_.update(data); }
    void update(std::string_view text) noexcept { inner_.update(text); }

    void finish(std::uint8_t* out) noexcept {
        std::uint8_t inner_digest[digest_size];
        inner_.finish(inner_digest);
        Hash outer(outer_key_, Hash::block_size);
        outer.update(const_bytes(inner_digest, digest_size));
        outer.finish(out);
        inner_ = Hash(inner_key_, Hash::block_size);
    }
    digest_type finish() noexcept {
        digest_type out;
        finish(out.data());
        return out;
    }

    static digest_type mac(const_bytes key, const_bytes message) noexcept {
        hmac h(key);
        h.update(message);
        return h.finish();
    }

private:
    void wipe() noexcept {
        detail::secure_wipe(&inner_key_, sizeof inner_key_);
        detail::secure_wipe(&outer_key_, sizeof outer_key_);
        detail::secure_wipe(static_cast<void*>(&inner_), sizeof inner_);
    }

    state_type inner_key_;
    state_type outer_key_;
    Hash inner_;
};

// Reusable signer: key once, sign many messages. Each sign call is const, touches no heap
// and is safe to call concurrently from several threads on the same signer.
template <block_hash Hash>
class hmac_signer {
public:
    using hash_type = Hash;
    using state_type = typename Hash::state_type;
    using digest_type = typename Hash::digest_type;
    static constexpr std::size_t digest_size = Hash::digest_size;
    static constexpr std::size_t hex_size = hex_encoded_size(digest_size);
    static constexpr std::size_t base64_size = base64_encoded_size(digest_size);

    // An empty key is a valid HMAC key; rekey() before use if the key arrives later.
    hmac_signer() noexcept { rekey(const_bytes{}); }
    explicit hmac_signer(const_bytes key) noexcept { rekey(key); }
    explicit hmac_signer(std::string_view key) noexcept { rekey(as_bytes(key)); }

    hmac_signer(const hmac_signer&) noexcept = default;
    hmac_signer& operator=(const hmac_signer&) noexcept = default;
    ~hmac_signer() {
        detail::secure_wipe(&inner_key_, sizeof inner_key_);
        detail::secure_wipe(&outer_key_, sizeof outer_key_);
    }

    void rekey(const_bytes key) noexcept { detail::hmac_key_states<Hash>(key, inner_key_, outer_key_); }
    void rekey(std::string_view key) noexcept { rekey(as_bytes(key)); }

    // Raw MAC into out[0 .. digest_size).
    void sign(const_bytes message, std::uint8_t* out) const noexcept {
        if constexpr (requires { Hash::hmac_accelerated(inner_key_, outer_key_, message, out); }) {
            if (Hash::hmac_accelerated(inner_key_, outer_key_, message, out)) return;
        }
        constexpr std::size_t B = Hash::block_size;
        state_type inner = inner_key_;
        const std::size_t whole = message.size() / B;
        if (whole != 0) Hash::compress(inner, message.data(), whole);
        const std::size_t done = whole * B;
        detail::hmac_finish<Hash>(inner, message.data() + done, message.size() - done,
                                  std::uint64_t{B} + message.size(), outer_key_, out);
    }
    digest_type sign(const_bytes message) const noexcept {
        digest_type out;
        sign(message, out.data());
        return out;
    }
    digest_type sign(std::string_view message) const noexcept { return sign(as_bytes(message)); }

    // Hex MAC: writes hex_size characters (no terminator) and returns hex_size.
    std::size_t sign_hex(const_bytes message, char* out, hex_case c = hex_case::lower) const noexcept {
        const digest_type d = sign(message);
        return hex_encode(d, out, c);
    }
    std::size_t sign_hex(std::string_view message, char* out, hex_case c = hex_case::lower) const noexcept {
        return sign_hex(as_bytes(message), out, c);
    }
    std::string sign_hex(std::string_view message, hex_case c = hex_case::lower) const {
        std::string s(hex_size, '\0');
        sign_hex(as_bytes(message), s.data(), c);
        return s;
    }

    // Base64 MAC (standard alphabet, padded): writes base64_size characters, returns it.
    std::size_t sign_base64(const_bytes message, char* out) const noexcept {
        const digest_type d = sign(message);
        return base64_encode(d, out);
    }
    std::size_t sign_base64(std::string_view message, char* out) const noexcept {
        return sign_base64(as_bytes(message), out);
    }
    std::string sign_base64(std::string_view message) const {
        std::string s(base64_size, '\0');
        sign_base64(as_bytes(message), s.data());
        return s;
    }

    // An incremental HMAC with this key, for messages built from several parts.
    hmac<Hash> begin() const noexcept { return hmac<Hash>(inner_key_, outer_key_); }

private:
    state_type inner_key_;
    state_type outer_key_;
};

using hmac_sha256_signer = hmac_signer<sha256>;
using hmac_sha512_signer = hmac_signer<sha512>;

inline sha256::digest_type hmac_sha256(const_bytes key, const_bytes message) noexcept {
    return hmac_signer<sha256>(key).sign(message);
}
inline sha256::digest_type hmac_sha256(std::string_view key, std::string_view message) noexcept {
    return hmac_sha256(as_bytes(key), as_bytes(message));
}
inline sha512::digest_type hmac_sha512(const_bytes key, const_bytes message) noexcept {
    return hmac_signer<sha512>(key).sign(message);
}
inline sha512::digest_type hmac_sha512(std::string_view key, std::string_view message) noexcept {
    return hmac_sha512(as_bytes(key), as_bytes(message));
}

}  // namespace tradewire::crypto
