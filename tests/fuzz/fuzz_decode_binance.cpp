// Fuzz target: binance::decoder on arbitrary bytes (stream payloads and REST depth
// bodies), checking the invariants, and that the trade and bookTicker fast paths and the
// general parser agree on every input (same events, or both an error).
#include <tradewire/exchange/binance.hpp>

#include <string>

#include "fuzz_decode_checks.hpp"

namespace {

// Everything a trade event carries, as text, for comparing the two paths.
struct trade_log : tradewire::fuzz::invariant_handler {
    std::string log;
    void on_trade(const tradewire::market::trade& t) {
        invariant_handler::on_trade(t);
        log += std::string(t.symbol.str()) + '|' + std::to_string(t.price.mantissa()) + 'e' +
               std::to_string(t.price.exponent()) + '|' + std::to_string(t.quantity.mantissa()) + 'e' +
               std::to_string(t.quantity.exponent()) + '|' + std::string(t.id.view()) + '|' +
               std::to_string(static_cast<int>(t.taker_side)) + '|' + std::to_string(t.exchange_time) + ';';
    }
    void on_bbo(const tradewire::market::bbo& b) {
        invariant_handler::on_bbo(b);
        for (const auto* d : {&b.bid_price, &b.bid_quantity, &b.ask_price, &b.ask_quantity})
            log += std::to_string(d->mantissa()) + 'e' + std::to_string(d->exponent()) + '|';
        log += std::string(b.symbol.str()) + '|' + std::to_string(b.update_id.value_or(-1)) + ';';
    }
    void on_decode_error(const tradewire::exchange::decode_error& e) {
        invariant_handler::on_decode_error(e);
        log += "error;";
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static tradewire::exchange::binance::decoder decoder;
    tradewire::fuzz::run(decoder, data, size, true);

    static tradewire::exchange::binance::decoder general([] {
        tradewire::exchange::binance::decoder::options o;
        o.fast_paths = false;
        return o;
    }());
    std::vector<char> a(data, data + size), b(data, data + size);
    trade_log fast_log, general_log;
    decoder.decode(std::span<char>(a.data(), a.size()), fast_log);
    general.decode(std::span<char>(b.data(), b.size()), general_log);
    tradewire::fuzz::check(fast_log.log == general_log.log);

    std::vector<char> body(data, data + size);
    tradewire::fuzz::invariant_handler h;
    std::error_code ec;
    const auto s = tradewire::symbol::parse("BNB-BTC", ec);
    const bool ok = decoder.decode_rest_depth(std::span<char>(body.data(), body.size()), s, h);
    tradewire::fuzz::check(ok == (h.errors == 0));
    tradewire::fuzz::check(ok ? h.events == 1 : h.events == 0);
    return 0;
}
