// Helpers shared by the market tests: decimals and levels from text, a std::map reference
// book, and a simulated venue that produces a random but consistent stream of snapshots
// and deltas with each venue family's sequence fields.
#pragma once

#include "catch.hpp"

#include <tradewire/core/decimal.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/order_book.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mt {

using tradewire::decimal;
using namespace tradewire::market;

inline decimal dec(std::string_view text) {
    const auto r = decimal::parse(text);
    INFO(text);
    REQUIRE(r);
    return r.value;
}

inline std::vector<book_level> lv(std::initializer_list<std::pair<std::string_view, std::string_view>> levels) {
    std::vector<book_level> out;
    for (const auto& [p, q] : levels) out.push_back({dec(p), dec(q)});
    return out;
}

inline std::string text(const decimal& d) {
    char buf[decimal::max_chars];
    return std::string(buf, d.format_scaled(buf, sizeof buf));
}

inline std::string dump(levels_view v) {
    std::ostringstream os;
    for (const book_level& l : v) os << text(l.price) << ':' << text(l.quantity) << ' ';
    return os.str();
}

inline std::string dump(const order_book& b) { return "bids " + dump(b.bids()) + "| asks " + dump(b.asks()); }

// The obvious book: two ordered maps keyed by price value.
struct reference_book {
    std::map<decimal, decimal, std::greater<>> bids;
    std::map<decimal, decimal, std::less<>> asks;

    void set(book_side s, const book_level& l) {
        if (s == book_side::bid) {
            set_in(bids, l);
        } else {
            set_in(asks, l);
        }
    }
    void apply(const std::vector<book_level>& b, const std::vector<book_level>& a) {
        for (const auto& l : b) set(book_side::bid, l);
        for (const auto& l : a) set(book_side::ask, l);
    }
    void clear() {
        bids.clear();
        asks.clear();
    }
    // Keeps the best `depth` levels of each side.
    void truncate(std::size_t depth) {
        while (bids.size() > depth) bids.erase(std::prev(bids.end()));
        while (asks.size() > depth) asks.erase(std::prev(asks.end()));
    }
    std::vector<book_level> bid_levels() const { return to_levels(bids); }
    std::vector<book_level> ask_levels() const { return to_levels(asks); }

    std::string dump() const {
        std::ostringstream os;
        os << "bids ";
        for (const auto& [p, q] : bids) os << text(p) << ':' << text(q) << ' ';
        os << "| asks ";
        for (const auto& [p, q] : asks) os << text(p) << ':' << text(q) << ' ';
        return os.str();
    }

private:
    template <class Map>
    static void set_in(Map& m, const book_level& l) {
        if (l.quantity.is_zero()) {
            m.erase(l.price);
            return;
        }
        // Keep the latest spelling of the price, as the book does.
        m.erase(l.price);
        m.emplace(l.price, l.quantity);
    }
    template <class Map>
    static std::vector<book_level> to_levels(const Map& m) {
        std::vector<book_level> out;
        for (const auto& [p, q] : m) out.push_back({p, q});
        return out;
    }
};

// Same levels, same order, same sizes; prices equal in value and spelling.
inline bool same_side(levels_view got, const std::vector<book_level>& want) {
    if (got.size() != want.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (!got[i].price.same_representation(want[i].price)) return false;
        if (!got[i].quantity.same_representation(want[i].quantity)) return false;
    }
    return true;
}

inline bool same_book(const order_book& b, const reference_book& r) {
    return same_side(b.bids(), r.bid_levels()) && same_side(b.asks(), r.ask_levels());
}

// A message with owned levels, viewable as an event.
struct owned_message {
    std::vector<book_level> bids;
    std::vector<book_level> asks;
    book_sequence sequence;
    std::optional<std::int64_t> checksum;

    book_delta delta() const {
        book_delta d;
        d.bids = bids;
        d.asks = asks;
        d.sequence = sequence;
        d.checksum = checksum;
        return d;
    }
    book_snapshot snapshot() const {
        book_snapshot s;
        s.bids = bids;
        s.asks = asks;
        s.sequence = sequence;
        s.checksum = checksum;
        return s;
    }
};

enum class sequencing { update_id_range, prev_seq_chain, snapshot_delta };

// A venue with a true book that emits deltas (and snapshots on demand) carrying the
// sequence fields of one venue family. Bids stay below 100, asks at or above it, so the
// book never crosses. Prices are written with 1 or 2 decimals at random ("99.5" or
// "99.50") to exercise the book's scale handling.
class simulated_venue {
public:
    simulated_venue(sequencing s, std::uint64_t seed) : seq_(s), rng_(seed) {}

    reference_book truth;

    owned_message next_delta(std::size_t max_levels = 6) {
        owned_message m;
        const std::size_t n = 1 + pick(max_levels);
        for (std::size_t i = 0; i < n; ++i) {
            const bool bid = pick(2) == 0;
            const book_level l = random_level(bid);
            (bid ? m.bids : m.asks).push_back(l);
            truth.set(bid ? book_side::bid : book_side::ask, l);
        }
        stamp(m);
        return m;
    }

    // An update with no level (OKX heartbeat: prev == seq).
    owned_message heartbeat() {
        owned_message m;
        m.sequence.seq = last_;
        m.sequence.prev_seq = last_;
        return m;
    }

    owned_message snapshot() const {
        owned_message m;
        m.bids = truth.bid_levels();
        m.asks = truth.ask_levels();
        switch (seq_) {
            case sequencing::update_id_range: m.sequence.last_update_id = last_; break;
            case sequencing::prev_seq_chain:
                m.sequence.seq = last_;
                m.sequence.prev_seq = -1;
                break;
            case sequencing::snapshot_delta: m.sequence.last_update_id = last_; break;
        }
        return m;
    }

    std::int64_t last_id() const { return last_; }

    std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }

private:
    book_level random_level(bool bid) {
        // Cluster near the top: mostly within 2.00 of the mid, sometimes deeper.
        const std::int64_t spread = pick(4) == 0 ? 1000 : 200;
        const std::int64_t ticks = 1 + static_cast<std::int64_t>(pick(static_cast<std::size_t>(spread)));
        const std::int64_t cents = bid ? 10000 - ticks : 10000 + ticks - 1;
        const bool remove = pick(4) == 0;
        std::string px = std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100);
        if (px.back() == '0' && pick(2) == 0) px.pop_back();  // "99.5" as well as "99.50"
        const std::string qty = remove ? "0" : std::to_string(1 + pick(500)) + "." + std::to_string(pick(1000));
        return {dec(px), dec(qty)};
    }

    void stamp(owned_message& m) {
        const std::int64_t step = 1 + static_cast<std::int64_t>(pick(3));
        switch (seq_) {
            case sequencing::update_id_range:
                m.sequence.first_update_id = last_ + 1;
                m.sequence.last_update_id = last_ + step;
                last_ += step;
                break;
            case sequencing::prev_seq_chain:
                m.sequence.prev_seq = last_;
                m.sequence.seq = last_ + step;
                last_ += step;
                break;
            case sequencing::snapshot_delta:
                m.sequence.last_update_id = last_ + 1;
                last_ += 1;
                break;
        }
    }

    sequencing seq_;
    std::mt19937_64 rng_;
    std::int64_t last_ = 1000;
};

}  // namespace mt
