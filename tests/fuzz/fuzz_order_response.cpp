// Fuzzes the order-entry answer parsers (trade/order_response.hpp) of Binance, OKX and
// Bybit: any input yields one event without crashing; every view in it lies inside the
// parsed buffer; a malformed or unrecognized event carries an error, an accepted one none.
#include <tradewire/trade/order_response.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace tt = tradewire::trade;

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

void inside(std::string_view v, const std::vector<char>& buf) {
    if (v.empty()) return;
    const char* b = buf.data();
    check(v.data() >= b && v.data() + v.size() <= b + buf.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    for (const auto v : {tradewire::market::venue::binance, tradewire::market::venue::okx,
                         tradewire::market::venue::bybit}) {
        std::vector<char> buf(data, data + size);  // exact size: ASan sees any overread
        const tt::order_event e = tt::parse_order_response(v, std::span<char>(buf.data(), buf.size()));
        check(e.venue == v);
        for (const std::string_view s : {e.id_text, e.client_order_id, e.venue_order_id, e.status_text,
                                         e.message, e.executed_quantity, e.cumulative_quote})
            inside(s, buf);
        if (e.kind == tt::order_event_kind::malformed || e.kind == tt::order_event_kind::unrecognized) check(!!e.ec);
        if (e.kind == tt::order_event_kind::accepted) check(!e.ec);
    }
    return 0;
}
