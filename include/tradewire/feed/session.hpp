// feed::session: several feeds (different venues) on one io_context, plus what a
// strategy around them needs:
//   - prices(): a price_cache with the latest BBO per venue and symbol (a slot per bbo
//     subscription, added by start()), written by the
//     feeds' thread and readable lock-free from any other thread;
//   - per-venue latency histograms (core/latency.hpp): exchange time -> receive time,
//     receive -> handler call, and handler -> order on the wire (order_written(), called
//     by the execution layer when it has written an order frame);
//   - handoff<Policy>: an optional handler that copies trades and BBOs into a bounded
//     SPSC ring (core/spsc_ring.hpp) for a strategy thread. What happens when the ring is
//     full is the policy: full_policy::block (the feed thread waits), drop_oldest (the
//     oldest event is overwritten and counted), fail (the event is refused, counted, and
//     failed() turns true: fail loudly, never silently).
//
//   feed::session s(1024);                                   // price-cache slots
//   auto& bin = s.add<exchange::binance::spot, feed::tls>(tls_ctx, binance_options, my_strategy);
//   auto& okx = s.add<exchange::okx::spot, feed::tls>(tls_ctx, okx_options, my_strategy);
//   bin.subscribe(exchange::bbo_of(btc)); okx.subscribe(exchange::bbo_of(btc));
//   s.start();
//   s.io().run();                         // the caller's thread; no thread is started
//
// The user's handler is held by reference (it must outlive the session) and is shared by
// all feeds: one thread calls it. Calls are direct (templates); the only type erasure is
// in start/stop.
#pragma once

#include <tradewire/core/latency.hpp>
#include <tradewire/core/spsc_ring.hpp>
#include <tradewire/feed/feed.hpp>
#include <tradewire/feed/handler.hpp>
#include <tradewire/feed/price_cache.hpp>
#include <tradewire/market/events.hpp>
#include <tradewire/market/venue.hpp>

#include <asio/io_context.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

namespace tradewire::feed {

// Latency of one venue, in nanoseconds.
struct venue_latency {
    latency_histogram exchange_to_receive;  // receive_time - exchange_time (clock skew included)
    latency_histogram receive_to_handler;   // handler call - receive_time
    latency_histogram handler_to_wire;      // order frame written - handler call
};

// A trade or BBO as handed to another thread: trivially copyable, fixed size.
struct market_event {
    enum class kind_type : std::uint8_t { trade, bbo } kind = kind_type::bbo;
    market::venue venue{};
    market::side taker_side = market::side::unknown;
    tradewire::symbol symbol;
    decimal price;          // trade price, or best bid price
    decimal quantity;       // trade quantity, or best bid quantity
    decimal ask_price;      // bbo only
    decimal ask_quantity;   // bbo only
    market::timestamp exchange_time = 0;
    market::timestamp receive_time = 0;
};

// A handler that hands trades and BBOs to a consumer thread through a bounded ring.
template <full_policy Policy>
class handoff {
public:
    explicit handoff(std::size_t capacity) : ring_(std::make_unique<spsc_ring<market_event, Policy>>(capacity)) {}

    void on_trade(const market::trade& t) {
        market_event e;
        e.kind = market_event::kind_type::trade;
        e.venue = t.venue;
        e.taker_side = t.taker_side;
        e.symbol = t.symbol;
        e.price = t.price;
        e.quantity = t.quantity;
        e.exchange_time = t.exchange_time;
        e.receive_time = t.receive_time;
        push(e);
    }
    void on_bbo(const market::bbo& b) {
        market_event e;
        e.kind = market_event::kind_type::bbo;
        e.venue = b.venue;
        e.symbol = b.symbol;
        e.price = b.bid_price;
        e.quantity = b.bid_quantity;
        e.ask_price = b.ask_price;
        e.ask_quantity = b.ask_quantity;
        e.exchange_time = b.exchange_time.value_or(0);
        e.receive_time = b.receive_time;
        push(e);
    }

    // Consumer thread.
    bool try_pop(market_event& out) noexcept { return ring_->try_pop(out); }

    std::uint64_t pushed() const noexcept { return pushed_.load(std::memory_order_relaxed); }
    // drop_oldest: events overwritten; fail: events refused.
    std::uint64_t lost() const noexcept { return lost_.load(std::memory_order_relaxed); }
    bool failed() const noexcept { return lost() != 0 && Policy == full_policy::fail; }
    spsc_ring<market_event, Policy>& ring() noexcept { return *ring_; }

private:
    void push(const market_event& e) noexcept {
        if constexpr (Policy == full_policy::block) {
            ring_->push(e);
        } else if constexpr (Policy == full_policy::drop_oldest) {
            if (ring_->push(e)) lost_.fetch_add(1, std::memory_order_relaxed);
        } else {
            if (ring_->push(e)) {
                lost_.fetch_add(1, std::memory_order_relaxed);
                return;
            }
        }
        pushed_.fetch_add(1, std::memory_order_relaxed);
    }

    std::unique_ptr<spsc_ring<market_event, Policy>> ring_;
    std::atomic<std::uint64_t> pushed_{0};
    std::atomic<std::uint64_t> lost_{0};
};

class session;

// The handler each feed of a session gets: updates the price cache and the latency
// histograms, then calls the user's handler.
template <class H>
struct session_hooks {
    session* s = nullptr;
    H* user = nullptr;

    void on_trade(const market::trade& e);
    void on_bbo(const market::bbo& e);
    void on_book(const book_view& e) { tradewire::detail::feed_impl::call(*user, e); }
    void on_kline(const market::kline& e) { tradewire::detail::feed_impl::call(*user, e); }
    void on_status(const market::status& e) { tradewire::detail::feed_impl::call(*user, e); }
};

class session {
public:
    // `price_slots`: how many venue/symbol pairs the price cache can hold.
    explicit session(std::size_t price_slots = 1024) : prices_(price_slots) {}
    session(const session&) = delete;
    session& operator=(const session&) = delete;
    ~session() { stop(); }

    asio::io_context& io() noexcept { return io_; }
    price_cache& prices() noexcept { return prices_; }
    const price_cache& prices() const noexcept { return prices_; }
    venue_latency& latency(market::venue v) noexcept { return latency_[static_cast<std::size_t>(v)]; }

    // A feed on this session's io_context (ws:// / http://).
    template <exchange::exchange E, class Transport, class H>
        requires(!net::detail::is_ssl_stream_v<Transport>)
    feed<E, Transport, session_hooks<H>>& add(feed_options options, H& user) {
        auto f = std::make_unique<feed<E, Transport, session_hooks<H>>>(io_, std::move(options),
                                                                         session_hooks<H>{this, &user});
        return keep(std::move(f));
    }
    // A feed over TLS (wss:// / https://); `tls` must outlive the session.
    template <exchange::exchange E, class Transport, class H>
        requires(net::detail::is_ssl_stream_v<Transport>)
    feed<E, Transport, session_hooks<H>>& add(net::tls_context& tls_ctx, feed_options options, H& user) {
        auto f = std::make_unique<feed<E, Transport, session_hooks<H>>>(io_, tls_ctx, std::move(options),
                                                                         session_hooks<H>{this, &user});
        return keep(std::move(f));
    }

    // Registers price-cache slots for the feeds' BBO subscriptions and starts every feed.
    std::error_code start() {
        // Slots are added before any reader can look: the cache's set-up is single-threaded.
        for (auto& f : feeds_) f.add_prices();
        for (auto& f : feeds_)
            if (auto ec = f.start()) return ec;
        return {};
    }
    void stop() {
        for (auto& f : feeds_) f.stop();
    }

    // The execution layer calls this when it has written an order frame; `handler_time`
    // is now() taken when the strategy's hook started (the decision it acted on).
    void order_written(market::venue v, std::int64_t handler_time) noexcept {
        latency(v).handler_to_wire.record(now() - handler_time, 1);
    }

    static std::int64_t now() noexcept { return wall_clock{}.now(); }

    // Called by session_hooks on the feeds' thread.
    void record_receive(market::venue v, market::timestamp exchange_time, market::timestamp receive_time,
                        std::int64_t handler_time) noexcept {
        venue_latency& l = latency(v);
        if (exchange_time != 0) l.exchange_to_receive.record(receive_time - exchange_time, 1);
        l.receive_to_handler.record(handler_time - receive_time, 1);
    }
    void record_bbo(const market::bbo& b) noexcept {
        prices_.update(b);  // pairs without a slot (no bbo subscription) are skipped
    }

private:
    struct erased_feed {
        std::shared_ptr<void> object;
        std::function<std::error_code()> start;
        std::function<void()> stop;
        std::function<void()> add_prices;
    };

    template <class F>
    F& keep(std::unique_ptr<F> f) {
        F& ref = *f;
        std::shared_ptr<F> shared(std::move(f));
        feeds_.push_back(erased_feed{shared, [&ref] { return ref.start(); }, [&ref] { ref.stop(); },
                                     [this, &ref] {
                                         for (const exchange::subscription& sub : ref.subscriptions())
                                             if (sub.kind == exchange::stream_kind::bbo)
                                                 prices_.add(F::exchange_type::id, sub.instrument);
                                     }});
        return ref;
    }

    asio::io_context io_;
    price_cache prices_;
    std::array<venue_latency, market::venue_count> latency_{};
    std::vector<erased_feed> feeds_;
};

template <class H>
void session_hooks<H>::on_trade(const market::trade& e) {
    s->record_receive(e.venue, e.exchange_time, e.receive_time, session::now());
    tradewire::detail::feed_impl::call(*user, e);
}

template <class H>
void session_hooks<H>::on_bbo(const market::bbo& e) {
    s->record_bbo(e);
    s->record_receive(e.venue, e.exchange_time.value_or(0), e.receive_time, session::now());
    tradewire::detail::feed_impl::call(*user, e);
}

}  // namespace tradewire::feed
