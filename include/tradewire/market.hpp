// The market layer: normalized market-data events, venue and symbol names, order books
// with sequence and checksum validation, and a per-symbol book container. No Asio, no
// I/O: venue adapters feed it decoded messages.
#pragma once

#include <tradewire/core/symbol.hpp>
#include <tradewire/market/book_manager.hpp>
#include <tradewire/market/book_sync.hpp>
#include <tradewire/market/checksum.hpp>
#include <tradewire/market/error.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/order_book.hpp>
#include <tradewire/market/synced_book.hpp>
#include <tradewire/market/venue.hpp>
