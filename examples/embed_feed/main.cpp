// The README's embedding example, compiled here so it cannot rot: one Binance feed over
// TLS with a strategy hook, on the caller's io_context. Keep it in sync with README.md.
#include <tradewire/exchange/binance.hpp>
#include <tradewire/feed/feed.hpp>

#include <chrono>
#include <cstdio>

namespace tw = tradewire;

// Hooks are plain member functions, found at compile time: no base class, no virtuals.
struct strategy {
    void on_bbo(const tw::market::bbo& b) {
        std::printf("%s bid %s ask %s\n", std::string(tw::market::to_string(b.venue)).c_str(),
                    b.bid_price.to_string().c_str(), b.ask_price.to_string().c_str());
    }
    void on_status(const tw::market::status& s) {
        std::printf("status: %s\n", std::string(tw::market::to_string(s.kind)).c_str());
    }
};

int main() {
    asio::io_context io;
    std::error_code ec;
    auto tls = tw::net::make_tls_client_context({}, ec);  // system CAs, peer verified
    if (ec) return 1;
    tw::feed::feed<tw::exchange::binance::spot, tw::feed::tls, strategy> f(io, tls, {});
    f.subscribe(tw::exchange::bbo_of(tw::symbol::parse("BTC-USDT", ec)));
    if (auto err = f.start()) return 1;
    io.run_for(std::chrono::seconds(10));  // or io.run() until you stop the feed
}
