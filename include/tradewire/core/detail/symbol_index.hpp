// A fixed-capacity map from (small tag, symbol) to a dense index 0..size()-1, used where
// per-instrument state must be found per message without allocating: the tag is a venue
// number (core does not know market::venue). Memory is reserved when it is constructed;
// insert() never allocates and reports a full index instead.
#pragma once

#include <tradewire/core/symbol.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tradewire::detail {

class symbol_index {
public:
    static constexpr std::uint32_t npos = UINT32_MAX;

    explicit symbol_index(std::size_t capacity)
        : table_(std::bit_ceil(capacity < 2 ? std::size_t{4} : capacity * 2), 0),
          mask_(table_.size() - 1),
          capacity_(capacity) {
        keys_.reserve(capacity);
    }

    std::size_t size() const noexcept { return keys_.size(); }
    std::size_t capacity() const noexcept { return capacity_; }
    std::uint8_t tag_of(std::uint32_t i) const noexcept { return keys_[i].tag; }
    const symbol& symbol_of(std::uint32_t i) const noexcept { return keys_[i].sym; }

    std::uint32_t find(std::uint8_t tag, const symbol& s) const noexcept {
        for (std::size_t pos = home(tag, s);; pos = (pos + 1) & mask_) {
            const std::uint32_t e = table_[pos];
            if (e == 0) return npos;
            const key& k = keys_[e - 1];
            if (k.tag == tag && k.sym == s) return e - 1;
        }
    }

    // The key's index, added if absent; npos when the index is full.
    std::uint32_t insert(std::uint8_t tag, const symbol& s) noexcept {
        std::size_t pos = home(tag, s);
        for (;; pos = (pos + 1) & mask_) {
            const std::uint32_t e = table_[pos];
            if (e == 0) break;
            const key& k = keys_[e - 1];
            if (k.tag == tag && k.sym == s) return e - 1;
        }
        if (keys_.size() >= capacity_) return npos;
        keys_.push_back(key{s, tag});  // within the reserved capacity
        table_[pos] = static_cast<std::uint32_t>(keys_.size());
        return static_cast<std::uint32_t>(keys_.size() - 1);
    }

private:
    struct key {
        symbol sym;
        std::uint8_t tag;
    };

    std::size_t home(std::uint8_t tag, const symbol& s) const noexcept {
        std::uint64_t h = static_cast<std::uint64_t>(s.hash()) ^ (std::uint64_t{tag} * 0x9e3779b97f4a7c15ULL);
        h ^= h >> 29;
        return static_cast<std::size_t>(h) & mask_;
    }

    std::vector<key> keys_;
    std::vector<std::uint32_t> table_;  // index + 1; 0 = empty. At most half full.
    std::size_t mask_;
    std::size_t capacity_;
};

}  // namespace tradewire::detail
