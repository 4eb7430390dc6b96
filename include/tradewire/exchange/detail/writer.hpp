// A bounded text writer over a caller's buffer, used by the subscribe/unsubscribe/ping
// builders. It never writes past the end: once something does not fit it stops and
// remembers, so a builder writes unconditionally and checks once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace tradewire::exchange::detail {

class text_writer {
public:
    explicit text_writer(std::span<char> out) noexcept : data_(out.data()), capacity_(out.size()) {}

    void put(std::string_view s) noexcept {
        if (overflow_ || capacity_ - size_ < s.size()) {
            overflow_ = true;
            return;
        }
        if (!s.empty()) std::memcpy(data_ + size_, s.data(), s.size());
        size_ += s.size();
    }
    void put(char c) noexcept { put(std::string_view(&c, 1)); }

    void put_uint(std::uint64_t v) noexcept {
        char buf[20];
        std::size_t i = sizeof buf;
        do {
            buf[--i] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v != 0);
        put(std::string_view(buf + i, sizeof buf - i));
    }

    void put_int(std::int64_t v) noexcept {
        if (v < 0) {
            put('-');
            put_uint(0 - static_cast<std::uint64_t>(v));
        } else {
            put_uint(static_cast<std::uint64_t>(v));
        }
    }

    bool overflowed() const noexcept { return overflow_; }
    std::size_t size() const noexcept { return size_; }

private:
    char* data_;
    std::size_t capacity_;
    std::size_t size_ = 0;
    bool overflow_ = false;
};

// Counts what a text_writer would write, for sizing requests without a buffer.
class text_counter {
public:
    void put(std::string_view s) noexcept { size_ += s.size(); }
    void put(char) noexcept { ++size_; }
    std::size_t size() const noexcept { return size_; }

private:
    std::size_t size_ = 0;
};

}  // namespace tradewire::exchange::detail
