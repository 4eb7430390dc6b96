// Book checksums: the OKX and Kraken documented examples (REFERENCE.md 3.5 and 5.5),
// exact received text, the covered depth, and the no-op policy.
#include "catch.hpp"
#include "market_test_support.hpp"

#include <tradewire/market/checksum.hpp>

#include <zlib.h>

#include <string>

using namespace mt;

namespace {
std::uint32_t crc(const std::string& s) {
    return static_cast<std::uint32_t>(
        ::crc32(::crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

order_book book_of(const std::vector<book_level>& bids, const std::vector<book_level>& asks) {
    order_book b;
    REQUIRE_FALSE(b.apply_snapshot(bids, asks));
    return b;
}
}  // namespace

TEST_CASE("OKX checksum: documented examples") {
    // 3366.1:7:3366.8:9:3366:6:3368:8
    const order_book a = book_of(lv({{"3366.1", "7"}, {"3366", "6"}}), lv({{"3366.8", "9"}, {"3368", "8"}}));
    CHECK(okx_checksum::compute(a) == -1881014294);
    CHECK(okx_checksum{}.matches(a, -1881014294));
    CHECK_FALSE(okx_checksum{}.matches(a, 1881014294));
    // One side runs out: 3366.1:7:3366.8:9:3368:8:3372:8
    const order_book b = book_of(lv({{"3366.1", "7"}}), lv({{"3366.8", "9"}, {"3368", "8"}, {"3372", "8"}}));
    CHECK(okx_checksum::compute(b) == 831078360);
    CHECK(static_cast<std::int32_t>(crc("3366.1:7:3366.8:9:3368:8:3372:8")) == 831078360);
}

TEST_CASE("OKX checksum: the docs' 8x8 snapshot gives -2102840145, not the -855196043 printed [X]") {
    const auto asks = lv({{"8476.98", "415"},
                          {"8477", "7"},
                          {"8477.34", "85"},
                          {"8477.56", "1"},
                          {"8505.84", "8"},
                          {"8506.37", "85"},
                          {"8506.49", "2"},
                          {"8506.96", "100"}});
    const auto bids = lv({{"8476.97", "256"},
                          {"8475.55", "101"},
                          {"8475.54", "100"},
                          {"8475.3", "1"},
                          {"8447.32", "6"},
                          {"8447.02", "246"},
                          {"8446.83", "24"},
                          {"8446", "95"}});
    const order_book b = book_of(bids, asks);
    CHECK(okx_checksum::compute(b) == -2102840145);
    CHECK_FALSE(okx_checksum{}.matches(b, -855196043));
}

TEST_CASE("OKX checksum hashes the received text and only the top 25 levels") {
    // "3366.10" is the same price as "3366.1" but other text, so another checksum.
    const order_book a = book_of(lv({{"3366.10", "7"}, {"3366", "6"}}), lv({{"3366.8", "9"}, {"3368", "8"}}));
    CHECK(okx_checksum::compute(a) != -1881014294);
    CHECK(okx_checksum::compute(a) == static_cast<std::int32_t>(crc("3366.10:7:3366.8:9:3366:6:3368:8")));

    std::vector<book_level> bids;
    std::vector<book_level> asks;
    std::string expected;
    for (int i = 0; i < 30; ++i) {
        bids.push_back({dec(std::to_string(1000 - i) + ".5"), dec("0.00" + std::to_string(i + 1))});
        asks.push_back({dec(std::to_string(1001 + i)), dec(std::to_string(i + 1) + ".0")});
    }
    for (int i = 0; i < 25; ++i) {
        if (i) expected += ':';
        expected += std::to_string(1000 - i) + ".5:0.00" + std::to_string(i + 1) + ":" + std::to_string(1001 + i) +
                    ":" + std::to_string(i + 1) + ".0";
    }
    const order_book b = book_of(bids, asks);
    CHECK(okx_checksum::compute(b) == static_cast<std::int32_t>(crc(expected)));
    // An empty book hashes the empty string.
    CHECK(okx_checksum::compute(order_book{}) == 0);
}

TEST_CASE("Kraken checksum: documented v2 snapshot gives 3310070434") {
    // JSON numbers as sent; 0.10000000 keeps its eight decimals.
    const auto bids = lv({{"45283.5", "0.10000000"},
                          {"45283.4", "1.54582015"},
                          {"45282.1", "0.10000000"},
                          {"45281.0", "0.10000000"},
                          {"45280.3", "1.54592586"},
                          {"45279.0", "0.07990000"},
                          {"45277.6", "0.03310103"},
                          {"45277.5", "0.30000000"},
                          {"45277.3", "1.54602737"},
                          {"45276.6", "0.15445238"}});
    const auto asks = lv({{"45285.2", "0.00100000"},
                          {"45286.4", "1.54571953"},
                          {"45286.6", "1.54571109"},
                          {"45289.6", "1.54560911"},
                          {"45290.2", "0.15890660"},
                          {"45291.8", "1.54553491"},
                          {"45294.7", "0.04454749"},
                          {"45296.1", "0.35380000"},
                          {"45297.5", "0.09945542"},
                          {"45299.5", "0.18772827"}});
    const order_book b = book_of(bids, asks);
    CHECK(kraken_checksum::compute(b) == 3310070434u);
    CHECK(kraken_checksum{}.matches(b, 3310070434));
    CHECK_FALSE(kraken_checksum{}.matches(b, -984896862));  // the same bits read as signed do not match
    CHECK(crc("45285210000045286415457195345286615457110945289615456091145290215890660452918154553491452947445474945"
              "296135380000452975994554245299518772827452835100000004528341545820154528211000000045281010000000452803"
              "154592586452790799000045277633101034527753000000045277315460273745276615445238") == 3310070434u);
}

TEST_CASE("Kraken checksum covers the top 10 per side, asks first, digits only") {
    std::vector<book_level> bids;
    std::vector<book_level> asks;
    for (int i = 0; i < 15; ++i) {
        bids.push_back({dec("0.0" + std::to_string(50 - i)), dec("0.00000500")});
        asks.push_back({dec("0.0" + std::to_string(60 + i)), dec("12.5")});
    }
    std::string expected;
    for (int i = 0; i < 10; ++i) expected += std::to_string(60 + i) + "125";
    for (int i = 0; i < 10; ++i) expected += std::to_string(50 - i) + "500";
    const order_book b = book_of(bids, asks);
    CHECK(kraken_checksum::compute(b) == crc(expected));
}

TEST_CASE("no_checksum always matches") {
    CHECK(no_checksum{}.matches(order_book{}, 12345));
    static_assert(book_checksum<no_checksum>);
    static_assert(book_checksum<okx_checksum>);
    static_assert(book_checksum<kraken_checksum>);
    static_assert(okx_checksum::depth == 25 && kraken_checksum::depth == 10);
}
