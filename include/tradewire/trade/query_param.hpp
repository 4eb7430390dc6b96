// A request parameter as text (name and value), the input of the signers that build
// their string to sign from parameters: Binance (sorted for the WebSocket API, in order
// for REST) and HTX (sorted, percent-encoded).
#pragma once

#include <string_view>

namespace tradewire::trade {

struct query_param {
    std::string_view name;
    std::string_view value;
};

}  // namespace tradewire::trade
