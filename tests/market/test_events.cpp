// Event structs: trade ids of every venue shape, time conversions, kline intervals,
// status names, and that events are cheap plain values.
#include "catch.hpp"

#include <tradewire/market/events.hpp>

#include <string>
#include <type_traits>

using namespace tradewire::market;

TEST_CASE("trade_id holds numeric, big numeric and UUID ids inline") {
    trade_id id;
    CHECK(id.empty());
    id.assign(std::uint64_t{12345});
    CHECK(id.view() == "12345");
    CHECK(id.to_uint64() == 12345u);
    id.assign(std::uint64_t{0});
    CHECK(id.view() == "0");
    id.assign(UINT64_MAX);
    CHECK(id.view() == "18446744073709551615");
    CHECK(id.to_uint64() == UINT64_MAX);
    // HTX's deprecated `id` exceeds 2^64: kept as text, not a number.
    REQUIRE(id.assign("146507451359183894799"));
    CHECK(id == "146507451359183894799");
    CHECK_FALSE(id.to_uint64());
    // Bybit UUID.
    REQUIRE(id.assign("20f43950-d8dd-5b31-9112-a178eb6023af"));
    CHECK(id.size() == 36);
    CHECK_FALSE(id.to_uint64());
    trade_id same;
    same.assign("20f43950-d8dd-5b31-9112-a178eb6023af");
    CHECK(id == same);
    // Too long: refused and left empty.
    CHECK_FALSE(id.assign(std::string(48, '7')));
    CHECK(id.empty());
    CHECK(id.assign(std::string(47, '7')));
    CHECK(std::is_trivially_copyable_v<trade_id>);
}

TEST_CASE("timestamps are nanoseconds since the epoch") {
    CHECK(from_unix_ms(1672515782136) == 1672515782136000000);
    CHECK(from_unix_us(1695190491421339) == 1695190491421339000);
    CHECK(from_unix_seconds(1606292218) == 1606292218000000000);
    CHECK(to_unix_ms(from_unix_ms(1672304484978)) == 1672304484978);
}

TEST_CASE("kline intervals") {
    CHECK(kline_interval{1, interval_unit::minute}.seconds() == 60);
    CHECK(kline_interval{4, interval_unit::hour}.seconds() == 14400);
    CHECK(kline_interval{1, interval_unit::week}.seconds() == 604800);
    CHECK(kline_interval{1, interval_unit::month}.seconds() == 0);
    CHECK(kline_interval{5, interval_unit::minute} == kline_interval{5, interval_unit::minute});
    CHECK_FALSE(kline_interval{5, interval_unit::minute} == kline_interval{5, interval_unit::second});
}

TEST_CASE("names and plain-value events") {
    CHECK(to_string(side::buy) == "buy");
    CHECK(to_string(side::sell) == "sell");
    CHECK(to_string(side::unknown) == "unknown");
    CHECK(to_string(status_kind::gap_detected) == "gap_detected");
    CHECK(to_string(status_kind::connection_down) == "connection_down");
    CHECK(std::is_trivially_copyable_v<trade>);
    CHECK(std::is_trivially_copyable_v<bbo>);
    CHECK(std::is_trivially_copyable_v<book_level>);
    CHECK(std::is_trivially_copyable_v<book_delta>);
    CHECK(std::is_trivially_copyable_v<kline>);
    trade t;
    t.venue = venue::bybit;
    t.taker_side = side::buy;
    t.price = tradewire::decimal::parse("16578.50").value;
    char buf[32];
    CHECK(std::string(buf, t.price.format_scaled(buf, sizeof buf)) == "16578.50");
    status s;
    s.kind = status_kind::gap_detected;
    s.error = error::sequence_gap;
    s.expected = 161;
    s.received = 163;
    CHECK(s.error.message() == "order book sequence gap");
    CHECK(s.symbol.empty());
}
