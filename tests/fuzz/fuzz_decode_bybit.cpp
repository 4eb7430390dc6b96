// Fuzz target: bybit::decoder on arbitrary bytes.
#include <tradewire/exchange/bybit.hpp>

#include "fuzz_decode_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static tradewire::exchange::bybit::decoder decoder;
    tradewire::fuzz::run(decoder, data, size, false);
    return 0;
}
