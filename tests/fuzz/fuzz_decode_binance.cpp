// Fuzz target: binance::decoder on arbitrary bytes (stream payloads and REST depth bodies).
#include <tradewire/exchange/binance.hpp>

#include "fuzz_decode_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static tradewire::exchange::binance::decoder decoder;
    tradewire::fuzz::run(decoder, data, size, true);
    std::vector<char> body(data, data + size);
    tradewire::fuzz::invariant_handler h;
    std::error_code ec;
    const auto s = tradewire::symbol::parse("BNB-BTC", ec);
    const bool ok = decoder.decode_rest_depth(std::span<char>(body.data(), body.size()), s, h);
    tradewire::fuzz::check(ok == (h.errors == 0));
    tradewire::fuzz::check(ok ? h.events == 1 : h.events == 0);
    return 0;
}
