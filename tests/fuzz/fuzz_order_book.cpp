// Fuzzes order books with random snapshot / delta / resync operations through every
// sync policy (and a plain book checked against a std::map reference), asserting the
// invariants after each step: each side strictly ordered best first, no zero or negative
// sizes, the depth window respected, and no crash, leak or undefined behaviour.
#include <tradewire/market.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <vector>

namespace {

using namespace tradewire;
using namespace tradewire::market;

class input {
public:
    input(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
    bool done() const { return p_ == end_; }
    std::uint8_t byte() { return p_ == end_ ? 0 : *p_++; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }

private:
    const std::uint8_t* p_;
    const std::uint8_t* end_;
};

[[noreturn]] void fail() { std::abort(); }

decimal make(std::int64_t m, int e) {
    const decimal_result r = decimal::from_parts(m, e);
    return r ? r.value : decimal{};
}

book_level random_level(input& in) {
    const std::uint8_t mode = in.byte();
    std::int64_t pm = 9000 + static_cast<std::int64_t>(in.byte() % 64);  // prices cluster: frequent hits
    int pe = -static_cast<int>(mode % 4);                                  // 90.00 .. 9000 with 0-3 decimals
    if (mode == 0xff) {
        pm = decimal::max_mantissa;  // overflow paths
        pe = static_cast<int>(in.byte() % 129) - 64;
    } else if (mode == 0xfe) {
        pm = -pm;  // negative prices are legal values
    }
    std::int64_t qm = static_cast<std::int64_t>(in.byte() % 8);  // 0 deletes
    if (mode == 0xfd) qm = -1;                                    // invalid size
    return {make(pm, pe), make(qm, -static_cast<int>(mode % 3))};
}

struct message {
    std::vector<book_level> bids;
    std::vector<book_level> asks;
    book_sequence seq;
    std::optional<std::int64_t> checksum;
};

message random_message(input& in, std::int64_t& clock) {
    message m;
    const std::size_t nb = in.byte() % 12;
    const std::size_t na = in.byte() % 12;
    for (std::size_t i = 0; i < nb; ++i) m.bids.push_back(random_level(in));
    for (std::size_t i = 0; i < na; ++i) m.asks.push_back(random_level(in));
    const std::uint8_t s = in.byte();
    // Mostly chained ids, sometimes gaps, repeats, resets or missing fields.
    const std::int64_t step = (s & 0x3) == 0 ? -static_cast<std::int64_t>(s >> 2) : static_cast<std::int64_t>(s & 0x3);
    const std::int64_t prev = clock;
    clock += step;
    if ((s & 0x40) == 0) {
        m.seq.first_update_id = prev + 1;
        m.seq.last_update_id = clock;
        m.seq.prev_seq = prev;
        m.seq.seq = clock;
    } else if ((s & 0x80) == 0) {
        m.seq.last_update_id = clock;
    }
    if (s == 0xff) m.seq.last_update_id = INT64_MAX;
    if (in.byte() & 1) m.checksum = static_cast<std::int32_t>(in.u16() * 65537u);
    return m;
}

void check_side(levels_view v, bool bids, std::size_t max_depth) {
    if (max_depth != 0 && v.size() > max_depth) fail();
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i].quantity.sign() <= 0) fail();
        if (i > 0) {
            const bool ordered = bids ? v[i - 1].price > v[i].price : v[i - 1].price < v[i].price;
            if (!ordered) fail();
        }
    }
}

void check_book(const order_book& b) {
    check_side(b.bids(), true, b.options().max_depth);
    check_side(b.asks(), false, b.options().max_depth);
    if (b.crossed() != (!b.bids().empty() && !b.asks().empty() && b.bids().front().price >= b.asks().front().price)) {
        fail();
    }
}

template <class Book>
sync_result drive(Book& book, const message& m, bool snapshot) {
    book_snapshot s;
    book_delta d;
    s.bids = d.bids = m.bids;
    s.asks = d.asks = m.asks;
    s.sequence = d.sequence = m.seq;
    s.checksum = d.checksum = m.checksum;
    const sync_result r = snapshot ? book.on_snapshot(s) : book.on_delta(d);
    if (r.status == sync_status::resync_needed && !r.reason) fail();
    if (r.status == sync_status::applied && !book.in_sync() && !r.reason) fail();
    check_book(book.book());
    return r;
}

// The plain book against two ordered maps (no depth limit).
struct reference {
    std::map<decimal, decimal, std::greater<>> bids;
    std::map<decimal, decimal, std::less<>> asks;
};

void apply_ref(reference& ref, const message& m) {
    for (const auto& l : m.bids) {
        if (l.quantity.is_zero()) {
            ref.bids.erase(l.price);
        } else {
            ref.bids.insert_or_assign(l.price, l.quantity);
        }
    }
    for (const auto& l : m.asks) {
        if (l.quantity.is_zero()) {
            ref.asks.erase(l.price);
        } else {
            ref.asks.insert_or_assign(l.price, l.quantity);
        }
    }
}

template <class Map>
void compare(levels_view v, const Map& m) {
    if (v.size() != m.size()) fail();
    std::size_t i = 0;
    for (const auto& [p, q] : m) {
        if (!(v[i].price == p) || !v[i].quantity.same_representation(q)) fail();
        ++i;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    input in(data, size);
    const std::uint8_t config = in.byte();

    book_sync_options o;
    o.book.max_depth = (config & 1) ? 1 + (config >> 4) : 0;
    o.book.venue_refills_window = (config & 2) != 0;
    o.book.reserve_levels = 4;  // exercise growth and re-centring
    o.verify_sequence = (config & 4) == 0;
    o.resync_on_crossed = (config & 8) != 0;
    o.max_buffered_updates = 16;
    o.max_buffered_levels = 64;

    synced_book<update_id_range_sync> binance(o);
    synced_book<prev_seq_chain_sync, okx_checksum> okx(o);
    synced_book<prev_seq_chain_sync> htx(o, prev_seq_chain_sync(false));
    synced_book<snapshot_delta_sync, kraken_checksum> kraken(o);
    synced_book<snapshot_delta_sync> bybit(o, snapshot_delta_sync(true));

    order_book_options plain_options;
    plain_options.reserve_levels = 2;
    order_book plain(plain_options);
    reference ref;

    std::int64_t clock = 1000;
    while (!in.done()) {
        const std::uint8_t op = in.byte();
        const message m = random_message(in, clock);
        const bool snapshot = (op & 0x7) == 0;
        if ((op & 0x38) == 0x38) {
            binance.request_resync();
            okx.reset();
        }
        drive(binance, m, snapshot);
        const sync_result ro = drive(okx, m, snapshot);
        drive(htx, m, snapshot);
        drive(kraken, m, snapshot);
        drive(bybit, m, snapshot);
        // A message applied with a checksum must have matched it.
        if (ro.status == sync_status::applied && okx.in_sync() && m.checksum &&
            okx_checksum::compute(okx.book()) != *m.checksum) {
            fail();
        }

        std::error_code ec;
        if (snapshot) {
            ec = plain.apply_snapshot(m.bids, m.asks);
            ref = {};
            if (!ec) apply_ref(ref, m);
        } else {
            ec = plain.apply_delta(m.bids, m.asks);
            if (!ec) apply_ref(ref, m);
        }
        if (ec) {
            plain.clear();
            ref = {};
        }
        check_book(plain);
        compare(plain.bids(), ref.bids);
        compare(plain.asks(), ref.asks);
    }
    return 0;
}
