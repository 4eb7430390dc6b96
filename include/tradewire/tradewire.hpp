// Everything tradewire offers, in one include. Code that only parses frames or decodes
// venue messages should include a layer umbrella (tradewire/ws.hpp, ...) or single
// headers instead, which keeps Asio out of the translation unit and compiles faster.
#pragma once

#include <tradewire/core.hpp>
#include <tradewire/crypto.hpp>
#include <tradewire/exchange.hpp>
#include <tradewire/feed.hpp>
#include <tradewire/market.hpp>
#include <tradewire/net.hpp>
#include <tradewire/sim.hpp>
#include <tradewire/trade.hpp>
#include <tradewire/ws.hpp>
