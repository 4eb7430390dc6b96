// order_book: snapshot and delta rules, ordering, views, crossed detection, the price
// scale, both depth-window modes, a randomized differential test against a std::map
// book, and proof that steady-state updates do not allocate.
#include "catch.hpp"
#include "count_allocations.hpp"
#include "market_test_support.hpp"

#include <tradewire/market/order_book.hpp>

#include <random>

using namespace mt;

TEST_CASE("snapshot orders both sides best first whatever the input order") {
    order_book b;
    const auto bids = lv({{"99.5", "1"}, {"101", "2"}, {"100", "3"}});
    const auto asks = lv({{"103", "1"}, {"102.25", "2"}, {"104", "3"}});
    REQUIRE_FALSE(b.apply_snapshot(bids, asks));
    CHECK(dump(b) == "bids 101:2 100:3 99.5:1 | asks 102.25:2 103:1 104:3 ");
    REQUIRE(b.best_bid());
    CHECK(text(b.best_bid()->price) == "101");
    CHECK(text(b.best_ask()->price) == "102.25");
    CHECK(b.bids().size() == 3);
    CHECK(b.bids()[2].price == dec("99.5"));
    CHECK(b.bids().back().price == dec("99.5"));
    CHECK_FALSE(b.crossed());
}

TEST_CASE("snapshot skips zero sizes and keeps the last of a repeated price") {
    order_book b;
    const auto bids = lv({{"10", "1"}, {"9", "0"}, {"10.0", "5"}, {"8", "2"}, {"8", "0"}});
    REQUIRE_FALSE(b.apply_snapshot(bids, {}));
    CHECK(dump(b) == "bids 10.0:5 | asks ");
    // A new snapshot replaces everything.
    REQUIRE_FALSE(b.apply_snapshot(lv({{"1", "1"}}), lv({{"2", "2"}})));
    CHECK(dump(b) == "bids 1:1 | asks 2:2 ");
}

TEST_CASE("delta inserts, replaces, deletes, deleting an unknown level is a no-op") {
    order_book b;
    REQUIRE_FALSE(b.apply_snapshot(lv({{"100", "1"}, {"99", "2"}}), lv({{"101", "1"}, {"102", "2"}})));
    // Replace, insert at the top, insert in the middle, delete, delete unknown.
    REQUIRE_FALSE(b.apply_delta(lv({{"100", "7"}, {"100.5", "1"}, {"99.5", "3"}, {"99", "0"}, {"50", "0"}}),
                                lv({{"101", "0"}, {"103", "4"}, {"200", "0"}})));
    CHECK(dump(b) == "bids 100.5:1 100:7 99.5:3 | asks 102:2 103:4 ");
    // Same value with another spelling replaces the level and its text.
    REQUIRE_FALSE(b.apply_delta(lv({{"100.00", "8.50"}}), {}));
    CHECK(dump(b) == "bids 100.5:1 100.00:8.50 99.5:3 | asks 102:2 103:4 ");
    // Emptying a side.
    REQUIRE_FALSE(b.apply_delta({}, lv({{"102", "0"}, {"103", "0"}})));
    CHECK(b.asks().empty());
    CHECK_FALSE(b.best_ask());
    CHECK_FALSE(b.crossed());
}

TEST_CASE("crossed book detection") {
    order_book b;
    REQUIRE_FALSE(b.apply_snapshot(lv({{"100", "1"}}), lv({{"101", "1"}})));
    CHECK_FALSE(b.crossed());
    REQUIRE_FALSE(b.apply_delta(lv({{"101", "1"}}), {}));  // locked counts as crossed
    CHECK(b.crossed());
    REQUIRE_FALSE(b.apply_delta(lv({{"101", "0"}}), lv({{"99.5", "2"}})));
    CHECK(b.crossed());
    REQUIRE_FALSE(b.apply_delta({}, lv({{"99.5", "0"}})));
    CHECK_FALSE(b.crossed());
}

TEST_CASE("top-N views and random access") {
    order_book b;
    std::vector<book_level> bids;
    std::vector<book_level> asks;
    for (int i = 0; i < 50; ++i) {
        bids.push_back({dec(std::to_string(1000 - i)), dec("1")});
        asks.push_back({dec(std::to_string(1001 + i)), dec("2")});
    }
    REQUIRE_FALSE(b.apply_snapshot(bids, asks));
    const levels_view top = b.bids().top(5);
    REQUIRE(top.size() == 5);
    CHECK(top.front().price == dec("1000"));
    CHECK(top.back().price == dec("996"));
    int expected = 1000;
    for (const book_level& l : top) CHECK(l.price == dec(std::to_string(expected--)));
    CHECK(b.asks().top(3)[2].price == dec("1003"));
    CHECK(b.asks().top(500).size() == 50);
    CHECK(b.side(book_side::ask).size() == 50);
    CHECK(levels_view{}.empty());
}

TEST_CASE("mixed price scales share one key scale, finer prices rescale the book") {
    order_book b;
    REQUIRE_FALSE(b.apply_snapshot(lv({{"100", "1"}, {"99", "1"}}), lv({{"101", "1"}})));
    CHECK(b.price_exponent() == 0);
    REQUIRE_FALSE(b.apply_delta(lv({{"99.5", "1"}}), {}));
    CHECK(b.price_exponent() == -1);
    REQUIRE_FALSE(b.apply_delta(lv({{"99.25", "1"}, {"99.125", "2"}}), lv({{"100.999", "3"}})));
    CHECK(b.price_exponent() == -3);
    CHECK(dump(b) == "bids 100:1 99.5:1 99.25:1 99.125:2 99:1 | asks 100.999:3 101:1 ");
    // A finer spelling of a coarse value needs no rescale.
    REQUIRE_FALSE(b.apply_delta(lv({{"99.0000", "4"}}), {}));
    CHECK(b.price_exponent() == -3);
    CHECK(b.bids()[4].quantity == dec("4"));
    CHECK(b.price_key(dec("99.5")) == 99500);
}

TEST_CASE("a fixed price scale rejects finer prices, bad levels are errors, not crashes") {
    order_book_options o;
    o.price_exponent = -2;
    order_book b(o);
    REQUIRE_FALSE(b.apply_snapshot(lv({{"10.01", "1"}}), lv({{"10.02", "1"}})));
    CHECK(b.apply_delta(lv({{"10.005", "1"}}), {}) == error::price_out_of_range);
    CHECK(b.apply_delta(lv({{"10.010", "2"}}), {}) == std::error_code{});  // same value, finer text
    CHECK(b.apply_delta(lv({{"10", "-1"}}), {}) == error::invalid_quantity);
    CHECK(b.apply_snapshot(lv({{"10.001", "1"}}), {}) == error::price_out_of_range);
    CHECK(b.empty());
    // Keys that would overflow int64.
    order_book c;
    REQUIRE_FALSE(c.apply_snapshot(lv({{"990000000000000000", "1"}}), {}));
    CHECK(c.apply_delta(lv({{"0.1", "1"}}), {}) == error::price_out_of_range);
    CHECK(c.bids().size() == 1);
    CHECK(c.apply_snapshot(lv({{"1", "-5"}}), {}) == error::invalid_quantity);
    CHECK(std::string(make_error_code(error::price_out_of_range).category().name()) == "tradewire.market");
}

TEST_CASE("hard level limit") {
    order_book_options o;
    o.max_levels = 3;
    order_book b(o);
    REQUIRE_FALSE(b.apply_delta(lv({{"1", "1"}, {"2", "1"}, {"3", "1"}}), {}));
    CHECK(b.apply_delta(lv({{"4", "1"}}), {}) == error::too_many_levels);
    CHECK(b.apply_delta(lv({{"3", "0"}, {"4", "1"}}), {}) == std::error_code{});
    CHECK(b.apply_snapshot(lv({{"1", "1"}, {"2", "1"}, {"3", "1"}, {"4", "1"}}), {}) == error::too_many_levels);
}

TEST_CASE("depth window, venue refills it (Kraken): truncate after each message") {
    order_book_options o;
    o.max_depth = 3;
    o.venue_refills_window = true;
    order_book b(o);
    REQUIRE_FALSE(b.apply_snapshot(lv({{"10", "1"}, {"9", "1"}, {"8", "1"}, {"7", "1"}, {"6", "1"}}), {}));
    CHECK(dump(b.bids()) == "10:1 9:1 8:1 ");
    // Within one message the side may exceed the window: insert at the top and delete
    // another top level; 8 stays because the window is applied after the message.
    REQUIRE_FALSE(b.apply_delta(lv({{"11", "1"}, {"10", "0"}}), {}));
    CHECK(dump(b.bids()) == "11:1 9:1 8:1 ");
    // A top level goes; the venue sends the level that enters the window.
    REQUIRE_FALSE(b.apply_delta(lv({{"11", "0"}, {"7", "2"}}), {}));
    CHECK(dump(b.bids()) == "9:1 8:1 7:2 ");
}

TEST_CASE("depth window below the venue's depth keeps only levels it can vouch for") {
    // The venue holds 10..1; we keep 3. Dropped levels are never re-sent.
    order_book_options o;
    o.max_depth = 3;
    order_book b(o);
    std::vector<book_level> bids;
    for (int p = 10; p >= 1; --p) bids.push_back({dec(std::to_string(p)), dec("1")});
    REQUIRE_FALSE(b.apply_snapshot(bids, {}));
    CHECK(dump(b.bids()) == "10:1 9:1 8:1 ");
    // 10 goes: the venue's 4th level (7) is now 3rd, but we never had it.
    REQUIRE_FALSE(b.apply_delta(lv({{"10", "0"}}), {}));
    CHECK(dump(b.bids()) == "9:1 8:1 ");
    // An update to 5 (known to the venue, unknown here) must not create a hole 8 -> 5.
    REQUIRE_FALSE(b.apply_delta(lv({{"5", "3"}}), {}));
    CHECK(dump(b.bids()) == "9:1 8:1 ");
    // Better prices are exact and still enter.
    REQUIRE_FALSE(b.apply_delta(lv({{"8.5", "2"}, {"12", "1"}}), {}));
    CHECK(dump(b.bids()) == "12:1 9:1 8.5:2 ");
    // 8 was pushed out by the window: the boundary moves up to 8.
    REQUIRE_FALSE(b.apply_delta(lv({{"12", "0"}, {"8", "4"}}), {}));
    CHECK(dump(b.bids()) == "9:1 8.5:2 ");
    // A new snapshot starts a fresh window.
    REQUIRE_FALSE(b.apply_snapshot(bids, {}));
    CHECK(dump(b.bids()) == "10:1 9:1 8:1 ");
}

TEST_CASE("randomized differential test against a std::map book") {
    for (const std::size_t depth : {std::size_t{0}, std::size_t{25}}) {
        for (const std::uint64_t seed : {1ULL, 2ULL, 3ULL}) {
            CAPTURE(depth, seed);
            order_book_options o;
            o.max_depth = depth;
            o.venue_refills_window = true;  // the reference truncates after each message
            o.reserve_levels = 64;          // force growth and re-centring too
            order_book b(o);
            reference_book ref;
            std::mt19937_64 rng(seed);
            auto level = [&](bool bid) {
                // Wide spread with overlap so both sides see inserts everywhere; varied
                // spellings ("12.3", "12.30") and deletes of unknown levels.
                const auto cents = static_cast<std::int64_t>(rng() % 4000) + (bid ? 0 : 2000);
                std::string px = std::to_string(cents / 100) + "." + std::to_string(cents % 100 / 10) +
                                 std::to_string(cents % 10);
                if (rng() % 3 == 0 && px.back() == '0') px.pop_back();
                const std::string q = rng() % 3 == 0 ? "0" : std::to_string(1 + rng() % 99);
                return book_level{dec(px), dec(q)};
            };
            std::vector<book_level> bids;
            std::vector<book_level> asks;
            for (int i = 0; i < 300; ++i) {
                bids.push_back(level(true));
                asks.push_back(level(false));
            }
            REQUIRE_FALSE(b.apply_snapshot(bids, asks));
            ref.apply(bids, asks);
            if (depth) ref.truncate(depth);
            REQUIRE(same_book(b, ref));
            for (int msg = 0; msg < 3000; ++msg) {
                bids.clear();
                asks.clear();
                const std::size_t n = 1 + rng() % 12;
                for (std::size_t i = 0; i < n; ++i) (rng() % 2 ? bids : asks).push_back(level(rng() % 2 == 0));
                REQUIRE_FALSE(b.apply_delta(bids, asks));
                ref.apply(bids, asks);
                if (depth) ref.truncate(depth);
                if (!same_book(b, ref)) {
                    INFO("message " << msg << "\nbook " << dump(b) << "\nref  " << ref.dump());
                    REQUIRE(same_book(b, ref));
                }
                REQUIRE(b.crossed() == (!ref.bids.empty() && !ref.asks.empty() &&
                                        ref.bids.begin()->first >= ref.asks.begin()->first));
            }
        }
    }
}

TEST_CASE("steady-state deltas do not allocate") {
    order_book b;
    std::vector<book_level> bids;
    std::vector<book_level> asks;
    for (int i = 0; i < 500; ++i) {
        bids.push_back({dec(std::to_string(10000 - i) + ".5"), dec("1")});
        asks.push_back({dec(std::to_string(10001 + i) + ".5"), dec("1")});
    }
    REQUIRE_FALSE(b.apply_snapshot(bids, asks));
    // Pre-built deltas: inserts, replaces and deletes near the top.
    std::vector<std::vector<book_level>> deltas;
    for (int i = 0; i < 200; ++i) {
        deltas.push_back(lv({{std::to_string(10000 + i % 3) + ".25", i % 2 ? "0" : "3"},
                             {std::to_string(9998 - i % 5) + ".5", "2"}}));
    }
    std::size_t failures = 0;
    const std::size_t before = alloc_test::allocations();
    for (int round = 0; round < 50; ++round) {
        for (const auto& d : deltas) failures += b.apply_delta(d, d) ? 1 : 0;
    }
    const std::size_t after = alloc_test::allocations();
    CHECK(failures == 0);
    CHECK(after == before);
}

TEST_CASE("every side search strategy agrees with std::lower_bound") {
    using namespace tradewire::market::detail;
    std::mt19937_64 rng(99);
    for (int round = 0; round < 300; ++round) {
        const std::size_t n = 1 + rng() % 300;
        std::vector<std::int64_t> k(n + 10);
        std::int64_t v = static_cast<std::int64_t>(rng() % 100) - 50;
        for (auto& x : k) x = v += 1 + static_cast<std::int64_t>(rng() % 4);
        const std::size_t lo = rng() % 5;
        const std::size_t hi = lo + n;
        for (int q = 0; q < 50; ++q) {
            const std::int64_t key = k[lo] - 3 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(k[hi - 1] - k[lo] + 6));
            const auto want = static_cast<std::size_t>(std::lower_bound(k.begin() + lo, k.begin() + hi, key) - k.begin());
            CAPTURE(n, lo, key);
            REQUIRE(hybrid_lower_bound<0, search_tail::gallop>(k.data(), lo, hi, key) == want);
            REQUIRE(hybrid_lower_bound<5, search_tail::gallop>(k.data(), lo, hi, key) == want);
            REQUIRE(hybrid_lower_bound<8, search_tail::branchless>(k.data(), lo, hi, key) == want);
            REQUIRE(hybrid_lower_bound<0, search_tail::branchless>(k.data(), lo, hi, key) == want);
            REQUIRE(hybrid_lower_bound<3, search_tail::std_lower_bound>(k.data(), lo, hi, key) == want);
        }
    }
}
