// Decimal text for checksums that hash the levels as the venue wrote them. A decimal
// keeps the scale it was parsed with, so decimal::format_scaled() gives back plain
// received text ("16578.50", "0.0024") byte for byte; Kraken's form (the point removed,
// leading zeros stripped) is derived from the mantissa and exponent here.
#pragma once

#include <tradewire/core/decimal.hpp>

#include <cstddef>
#include <cstdint>

namespace tradewire::market::detail {

// Longest text either function writes.
inline constexpr std::size_t max_decimal_text = decimal::max_chars;

// The received text: "16578.50", "0.0024", "8477".
inline std::size_t format_decimal_text(const decimal& d, char* out) noexcept {
    return d.format_scaled(out, max_decimal_text);
}

// The received text with the '.' removed and leading zeros stripped (Kraken's checksum
// form): "0.05120" -> "5120", "45281.0" -> "452810". The sign is not part of it (sizes
// and prices in a book are not negative). Zero prints as nothing.
inline std::size_t format_decimal_digits(const decimal& d, char* out) noexcept {
    const std::int64_t m = d.mantissa();
    std::uint64_t v = m < 0 ? 0 - static_cast<std::uint64_t>(m) : static_cast<std::uint64_t>(m);
    char tmp[20];
    std::size_t n = 0;
    while (v != 0) {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    for (std::size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
    if (n != 0) {
        for (int i = 0; i < d.exponent(); ++i) out[n++] = '0';
    }
    return n;
}

}  // namespace tradewire::market::detail
