// Fuzz target: okx::decoder on arbitrary bytes.
#include <tradewire/exchange/okx.hpp>

#include "fuzz_decode_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static tradewire::exchange::okx::decoder decoder;
    tradewire::fuzz::run(decoder, data, size, true);  // derivatives carry no BASE-QUOTE symbol
    return 0;
}
