// Venue order-book checksums, as policies a synced_book plugs in (book_checksum concept).
//
// A checksum policy recomputes the venue's number from the local book and says whether
// it matches the one received. Both venues that checksum their books hash the levels'
// text as the venue sent it, so the book keeps each level's decimal with its scale and
// the policies print it back (detail/decimal_text.hpp); a price received as "45281.0"
// hashes as "45281.0", never "45281".
//   okx_checksum:    CRC-32 of the top 25 bids and asks interleaved
//                    "bidPx:bidSz:askPx:askSz:...", a side that runs out is skipped;
//                    compared as a signed 32-bit integer.
//   kraken_checksum: CRC-32 of the top 10 asks (lowest first) then the top 10 bids
//                    (highest first), each price and size with the '.' removed and
//                    leading zeros stripped; compared unsigned (WS v2 and v1).
//   no_checksum:     always matches (venues without one).
// CRC-32 is zlib's (IEEE 802.3 polynomial).
#pragma once

#include <tradewire/market/detail/decimal_text.hpp>
#include <tradewire/market/order_book.hpp>

#include <zlib.h>

#include <concepts>
#include <cstddef>
#include <cstdint>

namespace tradewire::market {

template <class C>
concept book_checksum = requires(const C& c, const order_book& book, std::int64_t received) {
    // Levels per side the checksum covers; a book must keep at least that many.
    { C::depth } -> std::convertible_to<std::size_t>;
    { c.matches(book, received) } -> std::same_as<bool>;
};

struct no_checksum {
    static constexpr std::size_t depth = 0;
    bool matches(const order_book&, std::int64_t) const noexcept { return true; }
};

namespace detail {

// Accumulates text into a stack buffer and feeds zlib's crc32 in large blocks.
class crc32_writer {
public:
    void put(const char* p, std::size_t n) noexcept {
        if (n > sizeof buf_ - used_) flush();
        if (n > sizeof buf_) {
            crc_ = ::crc32(crc_, reinterpret_cast<const Bytef*>(p), static_cast<uInt>(n));
            return;
        }
        for (std::size_t i = 0; i < n; ++i) buf_[used_ + i] = p[i];
        used_ += n;
    }
    void put(char c) noexcept { put(&c, 1); }
    // Room for one formatted number without a flush in between.
    char* reserve(std::size_t n) noexcept {
        if (n > sizeof buf_ - used_) flush();
        return buf_ + used_;
    }
    void commit(std::size_t n) noexcept { used_ += n; }
    std::uint32_t finish() noexcept {
        flush();
        return static_cast<std::uint32_t>(crc_);
    }

private:
    void flush() noexcept {
        if (used_ != 0) crc_ = ::crc32(crc_, reinterpret_cast<const Bytef*>(buf_), static_cast<uInt>(used_));
        used_ = 0;
    }
    uLong crc_ = ::crc32(0L, Z_NULL, 0);
    std::size_t used_ = 0;
    char buf_[2048];
};

inline void put_decimal(crc32_writer& w, const decimal& d) noexcept {
    char* out = w.reserve(max_decimal_text);
    w.commit(format_decimal_text(d, out));
}

inline void put_digits(crc32_writer& w, const decimal& d) noexcept {
    char* out = w.reserve(max_decimal_text);
    w.commit(format_decimal_digits(d, out));
}

}  // namespace detail

struct okx_checksum {
    static constexpr std::size_t depth = 25;

    static std::int32_t compute(const order_book& book) noexcept {
        const levels_view bids = book.bids().top(depth);
        const levels_view asks = book.asks().top(depth);
        detail::crc32_writer w;
        bool first = true;
        auto level = [&](const book_level& l) {
            if (!first) w.put(':');
            first = false;
            detail::put_decimal(w, l.price);
            w.put(':');
            detail::put_decimal(w, l.quantity);
        };
        for (std::size_t i = 0; i < depth; ++i) {
            if (i < bids.size()) level(bids[i]);
            if (i < asks.size()) level(asks[i]);
        }
        return static_cast<std::int32_t>(w.finish());
    }

    bool matches(const order_book& book, std::int64_t received) const noexcept {
        return compute(book) == received;
    }
};

struct kraken_checksum {
    static constexpr std::size_t depth = 10;

    static std::uint32_t compute(const order_book& book) noexcept {
        detail::crc32_writer w;
        for (const book_level& l : book.asks().top(depth)) {
            detail::put_digits(w, l.price);
            detail::put_digits(w, l.quantity);
        }
        for (const book_level& l : book.bids().top(depth)) {
            detail::put_digits(w, l.price);
            detail::put_digits(w, l.quantity);
        }
        return w.finish();
    }

    bool matches(const order_book& book, std::int64_t received) const noexcept {
        return received >= 0 && static_cast<std::int64_t>(compute(book)) == received;
    }
};

}  // namespace tradewire::market
