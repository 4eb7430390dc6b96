// The feed layer: what sits between venue connections and strategy code: feed<> (one
// venue's connections, books and hooks), the multi-venue session with its hand-off to a
// strategy thread, and the price cache (latest best bid/offer per venue and symbol,
// lock-free for readers on other threads).
#pragma once

#include <tradewire/feed/feed.hpp>
#include <tradewire/feed/handler.hpp>
#include <tradewire/feed/price_cache.hpp>
#include <tradewire/feed/session.hpp>
