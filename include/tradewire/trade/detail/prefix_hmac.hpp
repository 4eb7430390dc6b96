// HMAC with a constant message prefix absorbed in advance. A signed request whose
// string to sign starts with the same bytes every time (Binance's
// "apiKey=<64 characters>&..." fills a whole SHA-256 block) keeps the chaining state
// after the key block and the prefix's whole blocks, so signing hashes only the part
// that changes. The prefix's last partial block (the "carry") cannot be absorbed; the
// caller keeps those bytes in front of the variable text and passes both to sign().
//
// Key states and the final padding come from crypto/hmac.hpp, so HMAC itself stays
// implemented in one place.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/crypto/detail/wipe.hpp>
#include <tradewire/crypto/hmac.hpp>

#include <cstddef>
#include <cstdint>

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

private:
    state_type inner_{};
    state_type outer_{};
    std::uint64_t absorbed_ = 0;  // bytes in inner_: the key block and the whole prefix blocks
};

}  // namespace tradewire::trade::detail
