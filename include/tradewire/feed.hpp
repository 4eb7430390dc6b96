// The feed layer: what sits between venue connections and strategy code: feeds, the
// price cache (latest best bid/offer per venue and symbol, lock-free for readers on
// other threads); the feed and session types join it here.
#pragma once

#include <tradewire/feed/feed.hpp>
#include <tradewire/feed/handler.hpp>
#include <tradewire/feed/price_cache.hpp>
#include <tradewire/feed/session.hpp>
