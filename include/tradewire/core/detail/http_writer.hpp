// A bounded writer for HTTP heads into a caller's buffer. It keeps counting past the end
// of the buffer without writing, so one pass both fills a big-enough buffer and tells a
// caller with a small one how many bytes the head needs.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace tradewire::detail {

class http_writer {
public:
    http_writer() noexcept = default;  // counting only
    explicit http_writer(std::span<char> out) noexcept : out_(out) {}

    void put(std::string_view s) noexcept {
        if (fits(s.size())) std::memcpy(out_.data() + size_, s.data(), s.size());
        size_ += s.size();
    }

    void put(std::uint64_t n) noexcept {
        char digits[20];
        const auto r = std::to_chars(digits, digits + sizeof digits, n);
        put(std::string_view(digits, static_cast<std::size_t>(r.ptr - digits)));
    }

    // "name: value\r\n"
    void field(std::string_view name, std::string_view value) noexcept {
        put(name);
        put(": ");
        put(value);
        put("\r\n");
    }

    std::size_t size() const noexcept { return size_; }
    bool overflowed() const noexcept { return size_ > out_.size(); }

private:
    bool fits(std::size_t n) const noexcept { return size_ <= out_.size() && n <= out_.size() - size_; }

    std::span<char> out_{};
    std::size_t size_ = 0;
};

}  // namespace tradewire::detail
