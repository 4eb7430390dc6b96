// Normalized market-data events: what every venue adapter produces and every handler
// consumes (on_trade, on_bbo, on_book_snapshot, on_book_delta, on_kline, on_status).
//
// Events are plain structs; nothing in them allocates. Prices and sizes are
// tradewire::decimal, parsed exactly from the venue's text and keeping its scale, so a
// checksum can reproduce the text ("16578.50" stays "16578.50"). Views inside an event
// (book level spans, status text) point into the adapter's receive buffers and are valid
// only during the callback: copy what you keep.
//
// Times: `timestamp` is std::int64_t NANOSECONDS since the Unix epoch (UTC). Venues send
// s, ms, us (Binance timeUnit=MICROSECOND, OKX inTime) or ns (Coinbase RFC 3339); ns holds
// them all exactly and lasts until the year 2262. Use from_unix_ms() & co. to convert.
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/market/error.hpp>
#include <tradewire/market/venue.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>

namespace tradewire::market {

// ---------------------------------------------------------------------------- time

using timestamp = std::int64_t;  // nanoseconds since the Unix epoch, UTC

constexpr timestamp from_unix_seconds(std::int64_t s) noexcept { return s * 1'000'000'000; }
constexpr timestamp from_unix_ms(std::int64_t ms) noexcept { return ms * 1'000'000; }
constexpr timestamp from_unix_us(std::int64_t us) noexcept { return us * 1'000; }
constexpr std::int64_t to_unix_ms(timestamp t) noexcept { return t / 1'000'000; }  // truncates toward zero

// ---------------------------------------------------------------------------- trades

// Side of the taker (the aggressor). Venues that state the maker's side (Coinbase
// market_trades) or "buyer is maker" (Binance `m`) are inverted by the adapter.
enum class side : std::uint8_t { unknown, buy, sell };

constexpr std::string_view to_string(side s) noexcept {
    return s == side::buy ? "buy" : s == side::sell ? "sell" : "unknown";
}

// A venue trade id held inline (no heap). Venues use integers (Binance, OKX, Kraken),
// integers beyond 64 bits (HTX `id`), or UUIDs (Bybit): all are kept as text.
class trade_id {
public:
    static constexpr std::size_t capacity = 47;

    constexpr trade_id() noexcept = default;

    // False (and the id left empty) when `text` is longer than `capacity`.
    bool assign(std::string_view text) noexcept {
        size_ = 0;
        if (text.size() > capacity) return false;
        std::memcpy(data_, text.data(), text.size());
        size_ = static_cast<std::uint8_t>(text.size());
        return true;
    }

    // Decimal digits of `n`.
    void assign(std::uint64_t n) noexcept {
        char buf[20];
        std::size_t i = sizeof buf;
        do {
            buf[--i] = static_cast<char>('0' + n % 10);
            n /= 10;
        } while (n != 0);
        assign(std::string_view(buf + i, sizeof buf - i));
    }

    std::string_view view() const noexcept { return {data_, size_}; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }

    // The id as an unsigned integer when it is one that fits in 64 bits.
    std::optional<std::uint64_t> to_uint64() const noexcept {
        if (size_ == 0) return std::nullopt;
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < size_; ++i) {
            const char c = data_[i];
            if (c < '0' || c > '9') return std::nullopt;
            const auto d = static_cast<std::uint64_t>(c - '0');
            if (v > (UINT64_MAX - d) / 10) return std::nullopt;
            v = v * 10 + d;
        }
        return v;
    }

    friend bool operator==(const trade_id& a, const trade_id& b) noexcept { return a.view() == b.view(); }
    friend bool operator==(const trade_id& a, std::string_view b) noexcept { return a.view() == b; }

private:
    char data_[capacity] = {};
    std::uint8_t size_ = 0;
};

struct trade {
    market::venue venue{};
    tradewire::symbol symbol;
    decimal price;
    decimal quantity;  // base asset
    side taker_side = side::unknown;
    trade_id id;
    timestamp exchange_time = 0;  // the venue's trade (match) time
    timestamp receive_time = 0;   // local time the message was read
};

// ---------------------------------------------------------------------------- best bid/offer

struct bbo {
    market::venue venue{};
    tradewire::symbol symbol;
    decimal bid_price;
    decimal bid_quantity;
    decimal ask_price;
    decimal ask_quantity;
    std::optional<std::int64_t> update_id;       // Binance `u`, OKX seqId, Gate `u`, when sent
    std::optional<timestamp> exchange_time;      // absent e.g. on Binance bookTicker
    timestamp receive_time = 0;
};

// ---------------------------------------------------------------------------- order books

enum class book_side : std::uint8_t { bid, ask };

// One price level. In a delta, quantity is the new absolute size and zero removes the level.
struct book_level {
    decimal price;
    decimal quantity;
};

// The sequence fields venues attach to book messages; an adapter fills the ones its venue
// sends and the book's sync policy reads the ones it needs.
//   Binance/Gate U,u; MEXC fromVersion,toVersion  -> first_update_id, last_update_id
//   Binance REST/Gate snapshot lastUpdateId, id   -> last_update_id
//   Bybit u (+ cross sequence `seq`)              -> last_update_id (+ seq)
//   OKX seqId,prevSeqId; HTX seqNum,prevSeqNum    -> seq, prev_seq
//   Coinbase envelope sequence_num                -> seq (it counts per connection)
struct book_sequence {
    std::optional<std::int64_t> first_update_id;
    std::optional<std::int64_t> last_update_id;
    std::optional<std::int64_t> seq;
    std::optional<std::int64_t> prev_seq;
};

// A full book. Level order does not matter (venues send best first); a price listed
// twice keeps its last size; zero sizes are skipped.
struct book_snapshot {
    market::venue venue{};
    tradewire::symbol symbol;
    std::span<const book_level> bids;  // valid during the callback only
    std::span<const book_level> asks;
    book_sequence sequence;
    std::optional<std::int64_t> checksum;  // as the venue sent it (OKX signed, Kraken unsigned)
    std::optional<timestamp> exchange_time;
    timestamp receive_time = 0;
};

// Changed levels, applied together as one message.
struct book_delta {
    market::venue venue{};
    tradewire::symbol symbol;
    std::span<const book_level> bids;  // valid during the callback only
    std::span<const book_level> asks;
    book_sequence sequence;
    std::optional<std::int64_t> checksum;
    std::optional<timestamp> exchange_time;
    timestamp receive_time = 0;
};

// ---------------------------------------------------------------------------- candles

enum class interval_unit : std::uint8_t { second, minute, hour, day, week, month };

struct kline_interval {
    std::uint32_t count = 1;
    interval_unit unit = interval_unit::minute;

    // Length in seconds; 0 for months, whose length varies.
    constexpr std::int64_t seconds() const noexcept {
        constexpr std::int64_t per[] = {1, 60, 3600, 86400, 604800, 0};
        return static_cast<std::int64_t>(count) * per[static_cast<std::size_t>(unit)];
    }
    friend constexpr bool operator==(const kline_interval&, const kline_interval&) noexcept = default;
};

struct kline {
    market::venue venue{};
    tradewire::symbol symbol;
    kline_interval interval;
    timestamp open_time = 0;   // start of the interval
    timestamp close_time = 0;  // as the venue states it (Binance: last ms of the interval), else open + length
    decimal open;
    decimal high;
    decimal low;
    decimal close;
    decimal volume;                        // base asset
    std::optional<decimal> quote_volume;   // quote asset turnover, when sent
    std::optional<std::int64_t> trade_count;
    bool closed = false;                   // the interval is final
    std::optional<timestamp> exchange_time;
    timestamp receive_time = 0;
};

// ---------------------------------------------------------------------------- status

enum class status_kind : std::uint8_t {
    subscribed = 1,
    unsubscribed,
    venue_error,        // the venue rejected a request or reported a failure (text)
    gap_detected,       // a book missed updates (expected / received)
    checksum_mismatch,  // a book failed the venue's checksum
    crossed_book,       // a book's best bid >= best ask
    resync_started,     // a book was declared out of sync; a snapshot is on its way
    resync_finished,    // the book was rebuilt from a snapshot and is in sync again
    connection_up,
    connection_down,
};

constexpr std::string_view to_string(status_kind k) noexcept {
    switch (k) {
        case status_kind::subscribed: return "subscribed";
        case status_kind::unsubscribed: return "unsubscribed";
        case status_kind::venue_error: return "venue_error";
        case status_kind::gap_detected: return "gap_detected";
        case status_kind::checksum_mismatch: return "checksum_mismatch";
        case status_kind::crossed_book: return "crossed_book";
        case status_kind::resync_started: return "resync_started";
        case status_kind::resync_finished: return "resync_finished";
        case status_kind::connection_up: return "connection_up";
        case status_kind::connection_down: return "connection_down";
    }
    return "unknown";
}

enum class channel : std::uint8_t { none, trades, bbo, book, kline };

struct status {
    market::venue venue{};
    tradewire::symbol symbol;  // empty for connection-level events
    status_kind kind = status_kind::connection_up;
    market::channel channel = channel::none;
    std::error_code error;      // e.g. market::error::sequence_gap; empty when not an error
    std::string_view text;      // venue message or detail; valid during the callback only
    std::optional<std::int64_t> expected;  // gap_detected: the id/sequence the book expected
    std::optional<std::int64_t> received;  // gap_detected: what arrived
    timestamp receive_time = 0;
};

}  // namespace tradewire::market
