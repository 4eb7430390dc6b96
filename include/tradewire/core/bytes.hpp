// Byte views used across the sans-I/O layers. Frames and payloads are bytes
// (std::uint8_t); text is std::string_view. These helpers convert without copying.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace tradewire {

using const_bytes = std::span<const std::uint8_t>;
using mutable_bytes = std::span<std::uint8_t>;

inline const_bytes as_bytes(std::string_view text) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline std::string_view as_text(const_bytes bytes) noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace tradewire
