// order_session::send() allocates nothing once warm: after a warm-up that grows every
// send-queue slot to the requests' length, each further send (risk check, template render, queueing
// the request on the connection, starting its write) makes no call to the global
// operator new. Only the send() calls are counted: the local venue in this process
// allocates freely while it answers.
//
// This program replaces the global operator new to count; not under sanitizers (they
// own the allocator), where the orders still run but nothing is counted.
#include "catch.hpp"

#include "order_venue_server.hpp"

#include <tradewire/trade/order_session.hpp>

#include <asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TW_COUNT_NEW 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define TW_COUNT_NEW 0
#endif
#endif
#if !defined(TW_COUNT_NEW)
#define TW_COUNT_NEW 1
#endif

namespace {
std::atomic<long> new_calls{0};
}

#if TW_COUNT_NEW
void* operator new(std::size_t n) {
    new_calls.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
    return operator new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    new_calls.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& tag) noexcept {
    return operator new(n, tag);
}
void* operator new(std::size_t n, std::align_val_t a) {
    new_calls.fetch_add(1, std::memory_order_relaxed);
    const std::size_t al = static_cast<std::size_t>(a);
    if (void* p = std::aligned_alloc(al, (n + al - 1) / al * al)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
    return operator new(n, a);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    std::free(p);
}
#endif

using namespace tradewire;
using namespace tradewire::trade;
using namespace std::chrono_literals;

namespace {

struct counting_handler {
    std::size_t* accepted = nullptr;
    void on_order_event(const order_event& e, const sent_order*) {
        if (e.kind == order_event_kind::accepted) ++*accepted;
    }
};

}  // namespace

TEST_CASE("order session send allocates nothing once warm") {
    const auto v = GENERATE(values({market::venue::binance, market::venue::okx, market::venue::bybit}));
    CAPTURE(to_string(v));
    asio::io_context io;
    auto st = std::make_shared<order_venue::venue_state>();
    st->v = v;
    st->api_key = "alloc-test-key-01";
    st->secret = "alloc-test-secret";
    st->passphrase = "pass";
    net::ws_server<order_venue::venue_server> server(io, net::ws_server_options{},
                                                     order_venue::venue_server{st});
    REQUIRE_FALSE(server->listen());

    risk_config rc;
    rc.dry_run = false;
    rc.max_open_orders_total = 2000;
    risk_engine<> risk(rc);
    std::error_code ec;
    const symbol sym = symbol::parse("BTC-USDT", ec);
    REQUIRE_FALSE(
        risk.add_instrument({v, sym, decimal::parse("1000000").value, decimal::parse("100000000").value}));
    venue_limits vl = default_venue_limits(v);
    vl.max_open_orders = 2000;
    vl.rates = rate_limits{};
    vl.rates.add(token_bucket(1'000'000, 1));
    REQUIRE_FALSE(risk.set_venue_limits(vl));

    std::size_t accepted = 0;
    order_session_options o;
    o.venue = v;
    o.connection.url = "ws://127.0.0.1:" + std::to_string(server->port()) + "/";
    o.heartbeat_interval = std::chrono::milliseconds(0);
    order_session<counting_handler, net::tcp_socket> s(io,
                                                       credentials(st->api_key, st->secret, st->passphrase),
                                                       std::move(o), risk, counting_handler{&accepted}, ec);
    REQUIRE_FALSE(ec);
    order_spec spec;
    spec.symbol = v == market::venue::okx ? "BTC-USDT" : "BTCUSDT";
    spec.client_order_id = true;
    const order_template_handle h = s.add_template(spec, sym, ec);
    REQUIRE_FALSE(ec);
    REQUIRE_FALSE(s.start());

    auto run_until = [&](auto pred) {
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (!pred() && std::chrono::steady_clock::now() < deadline) {
            if (io.stopped()) io.restart();
            io.run_one_for(20ms);
        }
        return pred();
    };
    REQUIRE(run_until([&] { return s.logged_in(); }));

    const decimal price = decimal::parse("25000.5").value;
    const decimal qty = decimal::parse("0.01").value;
    std::size_t sent = 0;
    // Rounds of 32 sends, each round answered before the next. The connection's send
    // queue (64 slots) keeps each slot's capacity, so a slot allocates when it first holds
    // a request longer than any before (here while the request ids and generated client
    // ids grow from 1 to 3 digits, by doubling); six warm-up rounds cover that.
    long counted = 0;
    for (int round = 0; round < 12; ++round) {
        const long before = new_calls.load();
        for (int i = 0; i < 32; ++i) {
            const send_result r = s.send(h, price, qty);
            REQUIRE(r.written());
            ++sent;
        }
        if (round >= 6) counted += new_calls.load() - before;
        REQUIRE(run_until([&] { return accepted == sent; }));
    }
    CHECK(st->orders_ok == static_cast<int>(sent));
#if TW_COUNT_NEW
    CHECK(counted == 0);
#else
    CHECK(counted >= 0);
#endif
}
