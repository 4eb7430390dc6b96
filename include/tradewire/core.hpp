// The core layer: byte views, error categories, exact decimals and small utilities
// shared by every other layer. No Asio, no I/O.
#pragma once

#include <tradewire/core/bytes.hpp>
#include <tradewire/core/decimal.hpp>
#include <tradewire/core/error.hpp>
#include <tradewire/core/http.hpp>
#include <tradewire/core/json.hpp>
#include <tradewire/core/latency.hpp>
#include <tradewire/core/random.hpp>
#include <tradewire/core/spsc_ring.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/core/url.hpp>
#include <tradewire/core/version.hpp>
