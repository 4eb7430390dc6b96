// The local exchange simulator: the seeded market model, the venue-native emitters
// (Binance spot, OKX v5, Bybit v5 spot) and the simulator serving them over WebSocket
// and REST on 127.0.0.1, and the order-entry venue (Binance WS API, OKX private, Bybit
// trade) that checks signatures and answers orders. Pulls in Asio (through simulator.hpp).
#pragma once

#include <tradewire/sim/market_model.hpp>
#include <tradewire/sim/order_entry.hpp>
#include <tradewire/sim/simulator.hpp>
#include <tradewire/sim/venue_text.hpp>
