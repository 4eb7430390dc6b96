// Deltas held while a book waits for its snapshot. The event's level spans only live
// during the callback, so levels are copied into one flat array and each message keeps
// an offset into it. Both arrays are bounded by the caller's limits; they grow (and so
// allocate) only during a resync, never in steady state.
#pragma once

#include <tradewire/market/events.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tradewire::market::detail {

class delta_buffer {
public:
    struct message {
        book_sequence sequence;
        std::optional<std::int64_t> checksum;
        std::size_t first_level = 0;
        std::size_t bid_count = 0;
        std::size_t ask_count = 0;
    };

    void reserve(std::size_t messages, std::size_t levels) {
        messages_.reserve(messages);
        levels_.reserve(levels);
    }

    // False when the limits would be exceeded (nothing is stored then).
    bool push(const book_delta& d, std::size_t max_messages, std::size_t max_levels) {
        if (size() + 1 > max_messages || live_levels() + d.bids.size() + d.asks.size() > max_levels) return false;
        message m;
        m.sequence = d.sequence;
        m.checksum = d.checksum;
        m.first_level = levels_.size();
        m.bid_count = d.bids.size();
        m.ask_count = d.asks.size();
        levels_.insert(levels_.end(), d.bids.begin(), d.bids.end());
        levels_.insert(levels_.end(), d.asks.begin(), d.asks.end());
        messages_.push_back(m);
        return true;
    }

    std::size_t size() const noexcept { return messages_.size() - head_; }
    bool empty() const noexcept { return size() == 0; }

    const message& front() const noexcept { return messages_[head_]; }
    std::span<const book_level> bids(const message& m) const noexcept {
        return {levels_.data() + m.first_level, m.bid_count};
    }
    std::span<const book_level> asks(const message& m) const noexcept {
        return {levels_.data() + m.first_level + m.bid_count, m.ask_count};
    }

    void pop_front() noexcept {
        ++head_;
        if (head_ == messages_.size()) clear();
    }

    // Moves the unconsumed messages to the front so the limits apply to them alone.
    void compact() noexcept {
        if (head_ == 0) return;
        const std::size_t base = messages_[head_].first_level;
        std::size_t out = 0;
        for (std::size_t i = head_; i < messages_.size(); ++i) {
            message m = messages_[i];
            m.first_level -= base;
            messages_[out++] = m;
        }
        messages_.resize(out);
        for (std::size_t i = base; i < levels_.size(); ++i) levels_[i - base] = levels_[i];
        levels_.resize(levels_.size() - base);
        head_ = 0;
    }

    void clear() noexcept {
        messages_.clear();
        levels_.clear();
        head_ = 0;
    }

private:
    std::size_t live_levels() const noexcept {
        return empty() ? 0 : levels_.size() - messages_[head_].first_level;
    }

    std::vector<message> messages_;
    std::vector<book_level> levels_;
    std::size_t head_ = 0;
};

}  // namespace tradewire::market::detail
