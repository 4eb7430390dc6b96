// Strategy hooks of a feed, detected at compile time. A handler is any class; it
// implements only the hooks it needs, as plain member functions (no base class, no
// virtual calls):
//
//   void on_trade(const market::trade&);
//   void on_bbo(const market::bbo&);
//   void on_book(const feed::book_view&);     after a book changed (in sync or not)
//   void on_kline(const market::kline&);
//   void on_status(const market::status&);    subscribed, venue_error, gap_detected,
//                                             checksum_mismatch, resync_started/finished,
//                                             connection_up/down
//
// A hook with a wrong signature is simply not detected; `static_assert(feed::has_on_trade<H>)`
// in user code catches a typo. Views inside events are valid during the call only.
#pragma once

#include <tradewire/core/symbol.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/order_book.hpp>

#include <optional>
#include <type_traits>

namespace tradewire::feed {

// What on_book receives: the book after the change, and whether it can be trusted.
struct book_view {
    market::venue venue{};
    const tradewire::symbol* symbol = nullptr;
    const market::order_book* book = nullptr;
    bool in_sync = false;                 // false: the last state before a resync; do not trade on it
    bool snapshot = false;                // the book was just rebuilt from a snapshot
    market::timestamp receive_time = 0;   // when the message that changed it was read
    std::optional<market::timestamp> exchange_time;

    std::optional<market::book_level> best_bid() const noexcept { return book->best_bid(); }
    std::optional<market::book_level> best_ask() const noexcept { return book->best_ask(); }
};

template <class H>
concept has_on_trade = requires(H& h, const market::trade& e) { h.on_trade(e); };
template <class H>
concept has_on_bbo = requires(H& h, const market::bbo& e) { h.on_bbo(e); };
template <class H>
concept has_on_book = requires(H& h, const book_view& e) { h.on_book(e); };
template <class H>
concept has_on_kline = requires(H& h, const market::kline& e) { h.on_kline(e); };
template <class H>
concept has_on_status = requires(H& h, const market::status& e) { h.on_status(e); };

// Any class type is a handler; hooks are optional.
template <class H>
concept handler = std::is_class_v<H>;

// Handler with no hooks: a feed that only maintains books and the price cache.
struct no_hooks {};

}  // namespace tradewire::feed

namespace tradewire::detail::feed_impl {

using tradewire::feed::book_view;

template <class H>
inline void call(H& h, const market::trade& e) {
    if constexpr (feed::has_on_trade<H>) h.on_trade(e);
}
template <class H>
inline void call(H& h, const market::bbo& e) {
    if constexpr (feed::has_on_bbo<H>) h.on_bbo(e);
}
template <class H>
inline void call(H& h, const book_view& e) {
    if constexpr (feed::has_on_book<H>) h.on_book(e);
}
template <class H>
inline void call(H& h, const market::kline& e) {
    if constexpr (feed::has_on_kline<H>) h.on_kline(e);
}
template <class H>
inline void call(H& h, const market::status& e) {
    if constexpr (feed::has_on_status<H>) h.on_status(e);
}

}  // namespace tradewire::detail::feed_impl
