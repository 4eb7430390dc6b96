// The exchange layer: the `exchange` concept, subscription planning, and the public
// market-data adapters (builders and sans-I/O decoders) of every venue. No Asio.
#pragma once

#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/bybit.hpp>
#include <tradewire/exchange/error.hpp>
#include <tradewire/exchange/exchange.hpp>
#include <tradewire/exchange/okx.hpp>
