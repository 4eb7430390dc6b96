// (In tradewire::detail::feed_impl, like venue_books.hpp.)
// Drops trades (and Binance book tickers) a feed has already delivered. Around a
// rotation both connections deliver the same messages for a while, and after a
// reconnect a venue may replay its latest trades, so the feed sees some twice
// (net/reconnecting_client.hpp leaves de-duplication to this layer).
//
// Per venue (dedup_rule_for):
//   Binance  `t` (trade) and `a` (aggTrade) ids increase per symbol (Binance docs). Two
//            connections interleave, though: the new one may deliver id 36 before the
//            old one delivers 34 and 35, which it had already received. So "id <= last"
//            would lose those; instead a window of the last 4096 ids (a bit per id, as
//            in IPsec anti-replay) drops exact repeats, lets late ids through once, and
//            treats ids older than the window as repeats. Around a switch a trade may
//            thus arrive after one with a higher id, never twice. A symbol
//            with both @trade and @aggTrade streams has two id spaces in one event type,
//            so it gets no check (slot disabled). bookTicker `u` increases per symbol
//            too: a book ticker with u <= the last one is dropped.
//   OKX      tradeId: treated as increasing per instrument. The reference does not state
//            it (unverified), so the check is the exact-repeat window below, which is
//            safe either way.
//   Bybit    `i` is documented only as an id (UUID-like on some products): exact repeats
//            within the last `window` (128) ids are dropped.
// The ids are compared as text hashed to 64 bits (exact-repeat window) or as unsigned
// integers (increasing rule); an id that is not a plain integer is never dropped by the
// increasing rule. Memory is fixed after configure(): no allocation per trade.
#pragma once

#include <tradewire/core/symbol.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/venue.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tradewire::detail::feed_impl {

enum class dedup_rule : unsigned char {
    off,
    increasing,    // drop ids <= the last seen (ids increase per symbol)
    recent_exact,  // drop an id equal to one of the last `window` ids of the symbol
};

constexpr dedup_rule dedup_rule_for(market::venue v) noexcept {
    switch (v) {
        case market::venue::binance:
            return dedup_rule::increasing;
        case market::venue::okx:
        case market::venue::bybit:
            return dedup_rule::recent_exact;
        default:
            return dedup_rule::recent_exact;
    }
}

class trade_dedup {
public:
    static constexpr std::size_t window = 128;        // ids remembered per symbol (exact rule)
    static constexpr std::uint64_t id_window = 4096;  // ids tracked per symbol (increasing rule)

    trade_dedup() = default;
    explicit trade_dedup(dedup_rule rule) : rule_(rule) {}

    dedup_rule rule() const noexcept { return rule_; }

    // A symbol whose trades are checked. `enabled` false keeps a slot that lets every
    // trade through (Binance symbols with two id spaces). Call before the first trade.
    void add(const tradewire::symbol& s, bool enabled = true) {
        for (auto& sl : slots_) {
            if (sl.instrument == s) {
                sl.enabled = sl.enabled && enabled;
                return;
            }
        }
        slot sl;
        sl.instrument = s;
        sl.enabled = enabled;
        slots_.push_back(sl);
    }

    enum class verdict : unsigned char {
        fresh,    // deliver it
        repeat,   // delivered before
        too_old,  // increasing rule: older than the window; dropped as a presumed repeat
    };

    // True when `t` was not seen before (deliver it); records it.
    bool fresh(const market::trade& t) noexcept { return check(t) == verdict::fresh; }

    verdict check(const market::trade& t) noexcept {
        if (rule_ == dedup_rule::off) return verdict::fresh;
        slot* sl = find(t.symbol);
        if (sl == nullptr || !sl->enabled) return verdict::fresh;
        if (rule_ == dedup_rule::increasing) {
            const auto id = t.id.to_uint64();
            if (!id) return verdict::fresh;
            return check_in_window(*sl, *id);
        }
        const std::uint64_t h = hash(t.id.view());
        for (std::size_t i = 0; i < sl->count; ++i) {
            if (sl->recent[i] == h) {
                ++dropped_;
                return verdict::repeat;
            }
        }
        sl->recent[sl->next] = h;
        sl->next = (sl->next + 1) % window;
        if (sl->count < window) ++sl->count;
        return verdict::fresh;
    }

    // Book tickers with an update id (Binance `u`): true when newer than the last one.
    bool fresh(const market::bbo& b) noexcept {
        if (rule_ != dedup_rule::increasing || !b.update_id) return true;
        slot* sl = find(b.symbol);
        if (sl == nullptr) return true;
        if (sl->has_bbo && *b.update_id <= sl->last_bbo) {
            ++dropped_;
            return false;
        }
        sl->last_bbo = *b.update_id;
        sl->has_bbo = true;
        return true;
    }

    // Events dropped so far.
    std::uint64_t dropped() const noexcept { return dropped_; }
    std::size_t size() const noexcept { return slots_.size(); }

private:
    struct slot {
        tradewire::symbol instrument;
        bool enabled = true;
        bool has_last = false;
        bool has_bbo = false;
        std::uint64_t last = 0;                            // highest id seen
        std::array<std::uint64_t, id_window / 64> seen{};  // increasing rule: ring of delivered ids
        std::int64_t last_bbo = 0;
        std::array<std::uint64_t, window> recent{};
        std::size_t next = 0;
        std::size_t count = 0;
    };

    // A ring of id_window bits indexed by id modulo the window: bit set = id delivered.
    // Advancing the highest id clears the bits of the ids skipped over, so each trade
    // costs O(1) (O(gap) once after a jump, bounded by the window).
    static void set_bit(slot& sl, std::uint64_t id, bool on) noexcept {
        const std::uint64_t k = id % id_window;
        const std::uint64_t mask = std::uint64_t{1} << (k % 64);
        std::uint64_t& w = sl.seen[static_cast<std::size_t>(k / 64)];
        w = on ? (w | mask) : (w & ~mask);
    }
    static bool bit(const slot& sl, std::uint64_t id) noexcept {
        const std::uint64_t k = id % id_window;
        return (sl.seen[static_cast<std::size_t>(k / 64)] >> (k % 64)) & 1u;
    }

    verdict check_in_window(slot& sl, std::uint64_t id) noexcept {
        if (!sl.has_last || id > sl.last) {
            if (!sl.has_last || id - sl.last >= id_window) {
                sl.seen = {};
            } else {
                for (std::uint64_t k = sl.last + 1; k < id; ++k) set_bit(sl, k, false);
            }
            set_bit(sl, id, true);
            sl.last = id;
            sl.has_last = true;
            return verdict::fresh;
        }
        if (sl.last - id >= id_window) {
            ++dropped_;
            return verdict::too_old;
        }
        if (bit(sl, id)) {
            ++dropped_;
            return verdict::repeat;
        }
        set_bit(sl, id, true);
        return verdict::fresh;
    }

    // FNV-1a, 64 bits: ids are short; a collision only drops a trade whose id hashes
    // like one of the last 128 of its symbol (odds about 2^-57).
    static std::uint64_t hash(std::string_view s) noexcept {
        std::uint64_t h = 14695981039346656037ull;
        for (const char c : s) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ull;
        }
        return h;
    }

    slot* find(const tradewire::symbol& s) noexcept {
        if (last_ < slots_.size() && slots_[last_].instrument == s) return &slots_[last_];
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (slots_[i].instrument == s) {
                last_ = i;
                return &slots_[i];
            }
        }
        return nullptr;
    }

    dedup_rule rule_ = dedup_rule::off;
    std::vector<slot> slots_;
    std::size_t last_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace tradewire::detail::feed_impl
