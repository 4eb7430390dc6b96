// The WebSocket server's per-session bookkeeping, kept free of Asio and clocks so it is
// tested on its own: the bounded send queue (a ring of shared frames whose capacity is
// fixed when the session slot is first used), the message rate limiter (a token
// bucket fed with explicit times), and a constant-time comparison for bearer tokens.
#pragma once

#include <tradewire/net/frame_pool.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

namespace tradewire::net::detail {

// A fixed-capacity FIFO of frames. push() refuses when full (the caller then treats the
// session as too slow); nothing here ever grows.
class frame_queue {
public:
    frame_queue() = default;
    explicit frame_queue(std::size_t capacity)
        : slots_(capacity == 0 ? nullptr : new shared_frame[capacity]), capacity_(capacity) {}

    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] bool full() const noexcept { return size_ == capacity_; }

    bool push(const shared_frame& f) noexcept {
        if (full()) return false;
        slots_[(head_ + size_) % capacity_] = f;
        ++size_;
        return true;
    }
    bool push(shared_frame&& f) noexcept {
        if (full()) return false;
        slots_[(head_ + size_) % capacity_] = std::move(f);
        ++size_;
        return true;
    }

    [[nodiscard]] const shared_frame& front() const noexcept { return slots_[head_]; }
    // The i-th frame from the front (i < size()).
    [[nodiscard]] const shared_frame& at(std::size_t i) const noexcept { return slots_[(head_ + i) % capacity_]; }

    // Drops frames from the back until `keep` are left.
    void truncate(std::size_t keep) noexcept {
        while (size_ > keep) {
            slots_[(head_ + size_ - 1) % capacity_].reset();
            --size_;
        }
    }

    void pop() noexcept {
        slots_[head_].reset();
        head_ = (head_ + 1) % capacity_;
        --size_;
    }

    void clear() noexcept {
        while (size_ != 0) pop();
        head_ = 0;
    }

private:
    std::unique_ptr<shared_frame[]> slots_;
    std::size_t capacity_ = 0;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

// Token bucket: `rate` tokens per second, at most `burst` banked. Each message takes one;
// a message that finds the bucket empty is over the limit.
class token_bucket {
public:
    using clock = std::chrono::steady_clock;

    token_bucket() noexcept = default;
    token_bucket(double rate_per_second, double burst) noexcept
        : rate_(rate_per_second), burst_(burst < 1.0 ? 1.0 : burst), tokens_(burst_) {}

    [[nodiscard]] bool enabled() const noexcept { return rate_ > 0.0; }

    void start(clock::time_point now) noexcept {
        tokens_ = burst_;
        last_ = now;
    }

    // Takes one token at `now`; false when none is left.
    bool take(clock::time_point now) noexcept {
        if (!enabled()) return true;
        if (now > last_) {
            const double elapsed = std::chrono::duration<double>(now - last_).count();
            tokens_ += elapsed * rate_;
            if (tokens_ > burst_) tokens_ = burst_;
            last_ = now;
        }
        if (tokens_ < 1.0) return false;
        tokens_ -= 1.0;
        return true;
    }

private:
    double rate_ = 0.0;
    double burst_ = 1.0;
    double tokens_ = 1.0;
    clock::time_point last_{};
};

// Equality whose time depends only on the lengths, so a bearer token cannot be guessed
// byte by byte from response times.
inline bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff = static_cast<unsigned char>(diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
    }
    return diff == 0;
}

// "Bearer <token>" (scheme case-insensitive, RFC 6750 section 2.1): the token, or empty.
inline std::string_view bearer_token_of(std::string_view authorization) noexcept {
    constexpr std::string_view scheme = "bearer";
    if (authorization.size() <= scheme.size() + 1) return {};
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = authorization[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != scheme[i]) return {};
    }
    std::size_t pos = scheme.size();
    if (authorization[pos] != ' ') return {};
    while (pos < authorization.size() && authorization[pos] == ' ') ++pos;
    return authorization.substr(pos);
}

}  // namespace tradewire::net::detail
