// Control-message pacing (feed/detail/control_pacer.hpp) with simulated times: a burst
// of 30 requests after a reconnect leaves a Binance connection at 4 per second (the
// fifth message of each second is kept for pongs), OKX's 480 per hour is a budget, and a
// venue without limits is not paced. Then the feed itself against a local server (on its
// own thread) that cuts clients over 5 messages per second, as Binance does.
#include "catch.hpp"

#include <tradewire/exchange/binance.hpp>
#include <tradewire/exchange/bybit.hpp>
#include <tradewire/exchange/okx.hpp>
#include <tradewire/feed/detail/control_pacer.hpp>
#include <tradewire/feed/feed.hpp>
#include <tradewire/net/server.hpp>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <cstdint>
#include <vector>

using tradewire::detail::feed_impl::control_pacer;
namespace trade = tradewire::trade;
namespace exchange = tradewire::exchange;

namespace {

constexpr std::int64_t sec = trade::ns_per_second;

// Send times of n messages queued at t = 0, each as early as the pacer allows.
std::vector<std::int64_t> schedule(control_pacer& p, std::size_t n, std::int64_t start = 0) {
    std::vector<std::int64_t> at;
    std::int64_t t = start;
    for (std::size_t i = 0; i < n; ++i) {
        t = p.next_available(t);
        REQUIRE(t != trade::rate_limiter::never);
        p.spend(t);
        at.push_back(t);
    }
    return at;
}

// The most messages inside any window of `w` ns.
std::size_t max_in_window(const std::vector<std::int64_t>& at, std::int64_t w) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < at.size(); ++i) {
        std::size_t n = 0;
        for (std::size_t j = i; j < at.size() && at[j] < at[i] + w; ++j) ++n;
        best = std::max(best, n);
    }
    return best;
}

}  // namespace

TEST_CASE("binance: a burst of 30 requests is spread at 4 per second") {
    control_pacer p = control_pacer::for_limits(exchange::binance::spot::limits);
    REQUIRE(p.enabled());
    const auto at = schedule(p, 30);
    CHECK(max_in_window(at, sec) == 4);
    // 4 at once, then 4 more each second: the 30th leaves after 7 s.
    CHECK(at[3] == 0);
    CHECK(at[4] == sec);
    CHECK(at[29] == 7 * sec);
    // A new connection starts afresh.
    p.reset();
    CHECK(p.next_available(at[29]) == at[29]);
}

TEST_CASE("okx: 480 requests per hour per connection") {
    control_pacer p = control_pacer::for_limits(exchange::okx::spot::limits);
    REQUIRE(p.enabled());
    const auto at = schedule(p, 481);
    CHECK(at[479] == 0);           // the budget allows a burst
    CHECK(at[480] == 3600 * sec);  // the 481st waits for the hour
    CHECK(max_in_window(at, 3600 * sec) == 480);
}

TEST_CASE("bybit: no documented message rate, no pacing") {
    control_pacer p = control_pacer::for_limits(exchange::bybit::spot::limits);
    CHECK_FALSE(p.enabled());
    const auto at = schedule(p, 30, 5);
    CHECK(at.back() == 5);
}

TEST_CASE("pacer with both rules takes the later time") {
    control_pacer p(2, 3);
    const auto at = schedule(p, 4);
    CHECK(at[0] == 0);
    CHECK(at[1] == 0);
    CHECK(at[2] == sec);
    CHECK(at[3] == 3600 * sec);
}

// ---- the feed's requests against a local Binance-like server --------------------------

namespace {

// binance::spot with one stream per request, so a plan of 12 subscriptions makes 12
// SUBSCRIBE messages: the case of many requests replayed after a reconnect.
struct one_stream_per_request : exchange::binance::spot {
    static constexpr exchange::connection_limits limits{1024, 1, 0, 0, 0, 5, 0, std::chrono::seconds(0)};
};

// Written on the server's thread, read on the test's.
struct request_log {
    std::mutex m;
    std::vector<std::chrono::steady_clock::time_point> at;
    std::size_t connections = 0;

    std::size_t count() {
        const std::lock_guard<std::mutex> lock(m);
        return at.size();
    }
};

struct binance_like {
    std::shared_ptr<request_log> log;
    template <class Server>
    void on_open(Server&, tradewire::net::session_id) {
        const std::lock_guard<std::mutex> lock(log->m);
        ++log->connections;
    }
    template <class Server>
    void on_message(Server& s, tradewire::net::session_id id, const tradewire::net::ws_message& m) {
        const std::string_view text = m.text();
        {
            const std::lock_guard<std::mutex> lock(log->m);
            log->at.push_back(std::chrono::steady_clock::now());
        }
        const std::size_t p = text.find(R"("id":)");
        if (p == std::string_view::npos) return;
        const std::string_view rest = text.substr(p + 5);
        s.send_text(id, R"({"result":null,"id":)" + std::string(rest.substr(0, rest.find('}'))) + "}");
    }
};

// How late a thread runs its handlers: a timer every 5 ms notes how long after its expiry
// its handler ran. The server stamps a request when its handler runs, and the feed's
// writes complete on the test's thread, so a thread that the (loaded, two-core) CI
// machine did not schedule for a while moves stamps together: requests the feed spaced
// a second apart were once stamped 7 within 990 ms. The worst lateness of both threads
// bounds how far a stamp can be from the moment its request was paced.
struct lateness_probe {
    static constexpr std::chrono::milliseconds period{5};
    asio::steady_timer timer;
    std::atomic<std::int64_t> worst_ns{0};

    explicit lateness_probe(asio::io_context& io) : timer(io) {}
    void start() {
        timer.expires_after(period);
        timer.async_wait([this](std::error_code ec) {
            if (ec) return;
            const std::int64_t late = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now() - timer.expiry())
                                          .count();
            if (late > worst_ns.load(std::memory_order_relaxed))
                worst_ns.store(late, std::memory_order_relaxed);
            start();
        });
    }
    std::chrono::nanoseconds worst() const {
        return std::chrono::nanoseconds(worst_ns.load(std::memory_order_relaxed)) + period;
    }
};

// The server runs on a thread of its own and stamps each request as it arrives.
struct binance_like_server {
    asio::io_context io;
    lateness_probe probe{io};
    tradewire::net::ws_server<binance_like> server;
    std::thread thread;

    binance_like_server(const tradewire::net::ws_server_options& so, std::shared_ptr<request_log> log)
        : server(io, so, binance_like{std::move(log)}) {}
    std::error_code start() {
        if (const std::error_code ec = server->listen()) return ec;
        probe.start();
        thread = std::thread([this] {
            auto work = asio::make_work_guard(io);
            io.run();
        });
        return {};
    }
    std::uint16_t port() const { return server->port(); }
    ~binance_like_server() {
        if (!thread.joinable()) return;
        // Runs in order on the server's thread: the sessions are cut, then run() returns.
        asio::post(io, [this] {
            server->stop();
            probe.timer.cancel();
            io.stop();
        });
        thread.join();
    }
};

struct nothing {};

}  // namespace

TEST_CASE("binance feed paces 12 subscribe requests at 4 per second, without pacing they burst") {
    for (const bool pace : {true, false}) {
        auto log = std::make_shared<request_log>();
        // The server also enforces Binance's limit: over 5 per second closes the session.
        tradewire::net::ws_server_options so;
        so.rate_limit = 5.0;
        binance_like_server server(so, log);
        REQUIRE_FALSE(server.start());
        asio::io_context io;
        lateness_probe feed_probe(io);
        feed_probe.start();
        tradewire::feed::feed_options o;
        o.market_url = "ws://127.0.0.1:" + std::to_string(server.port()) + "/ws";
        o.pace_requests = pace;
        o.backoff.initial = std::chrono::milliseconds(50);
        tradewire::feed::feed<one_stream_per_request, tradewire::feed::tcp, nothing> f(io, o);
        std::error_code ec;
        for (const char* name : {"BTC-USDT", "ETH-USDT", "BNB-USDT"}) {
            const tradewire::symbol s = tradewire::symbol::parse(name, ec);
            REQUIRE_FALSE(f.subscribe(exchange::trades_of(s)));
            REQUIRE_FALSE(f.subscribe(exchange::agg_trades_of(s)));
            REQUIRE_FALSE(f.subscribe(exchange::bbo_of(s)));
            REQUIRE_FALSE(f.subscribe(exchange::kline_of(s, {1, tradewire::market::interval_unit::minute})));
        }
        REQUIRE_FALSE(f.start());
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(pace ? 6 : 2);
        while (std::chrono::steady_clock::now() < end && (log->count() < 12 || !pace))
            io.run_for(std::chrono::milliseconds(20));
        io.run_for(std::chrono::milliseconds(200));
        const std::lock_guard<std::mutex> lock(log->m);
        // A stamp lies at most `slack` after the moment its request was paced.
        const auto slack =
            std::chrono::duration_cast<std::chrono::milliseconds>(server.probe.worst() + feed_probe.worst());
        std::string stamps_ms;
        for (const auto& t : log->at)
            stamps_ms += std::to_string(
                             std::chrono::duration_cast<std::chrono::milliseconds>(t - log->at[0]).count()) +
                         " ";
        CAPTURE(pace, log->at.size(), log->connections, f.reconnects(), f.requests_sent(),
                f.requests_queued(), slack.count(), stamps_ms);
        if (pace) {
            REQUIRE(log->at.size() >= 12);
            // Never more than 4 in any second (in any window of a second less the slack, so
            // that late stamps do not count as a burst); the 12th about 2 s after the first.
            const auto window = std::chrono::milliseconds(990) - slack;
            if (slack > std::chrono::milliseconds(300))
                WARN("threads ran up to " << slack.count() << " ms late: the per-second check covers "
                                          << window.count() << " ms windows");
            std::size_t most = 0;
            for (std::size_t i = 0; i < log->at.size(); ++i) {
                std::size_t n = 0;
                for (std::size_t j = i; j < log->at.size() && log->at[j] - log->at[i] < window; ++j) ++n;
                most = std::max(most, n);
            }
            CHECK(most <= 4);
            CHECK(log->at[11] - log->at[0] >= std::chrono::milliseconds(1900) - slack);
            CHECK(log->connections == 1);
            CHECK(f.reconnects() == 0);
        } else {
            // All at once: the server cuts the connection for going over 5 per second.
            CHECK(f.reconnects() >= 1);
        }
        f.stop();
        io.run_for(std::chrono::milliseconds(50));
    }
}
