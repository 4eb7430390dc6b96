// libFuzzer target: message_reader<server_role> on arbitrary (masked) client bytes, fed
// in fuzzer-chosen chunks (layout and invariants in fuzz_ws_reader.hpp).
#include "fuzz_ws_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return fuzz_ws::fuzz_one(data, size, true);
}
