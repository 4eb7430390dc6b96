// The simulator's market process, sans-I/O: one seeded "true" mid price per symbol (a
// Gaussian random walk with occasional jumps) advanced in fixed steps of simulated time,
// and per venue a delayed, noisy view of it: its own latency, spread, quote noise, depth
// profile and trade flow, kept as a real order book (integer ticks and lots) that changes
// by deltas with update ids. Because each venue sees the true price late by a different
// amount, cross-venue spreads open after a jump and close again as the slower venues
// catch up, which is what an arbitrage strategy needs to be exercised against.
//
// Everything is integer or IEEE arithmetic from one xoshiro256** stream per seed, so the
// same seed gives the same books, trades and exchange times on every run (no
// std::normal_distribution: its output differs between standard libraries).
//
//   sim::model_config cfg;                       // BTCUSDT and ETHUSDT on three venues
//   sim::market_model m(cfg);
//   m.step();                                     // + cfg.step_ms of simulated time
//   const sim::venue_book& b = m.book(sim::venue_id::okx, 0);
//   b.trades, b.bid_changes, b.ask_changes, b.update_id ...   // what changed in this step
//
// The model allocates (std::map books); it is a test and demo tool, not a hot path.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tradewire::sim {

enum class venue_id : std::uint8_t { binance, okx, bybit };
inline constexpr std::size_t venue_count = 3;
inline constexpr std::array<venue_id, venue_count> all_venues{venue_id::binance, venue_id::okx, venue_id::bybit};

constexpr std::string_view to_string(venue_id v) noexcept {
    return v == venue_id::binance ? "binance" : v == venue_id::okx ? "okx" : "bybit";
}

// xoshiro256** seeded through splitmix64, with the few distributions the model needs,
// built only from integer operations and IEEE +,-,*,/ (identical on every platform).
class prng {
public:
    explicit prng(std::uint64_t seed) noexcept {
        for (auto& w : s_) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            w = z ^ (z >> 31);
        }
    }
    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform integer in [0, n) (n > 0); the tiny modulo bias does not matter here.
    std::uint64_t below(std::uint64_t n) noexcept { return n == 0 ? 0 : next() % n; }
    bool chance(double p) noexcept { return uniform() < p; }
    // Standard normal approximated by the Irwin-Hall sum of 12 uniforms (mean 0, variance
    // 1, tails cut at +-6): no log/sqrt/cos, so bit-identical everywhere.
    double gaussian() noexcept {
        double sum = 0.0;
        for (int i = 0; i < 12; ++i) sum += uniform();
        return sum - 6.0;
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> s_{};
};

// One instrument. Prices are integer ticks of 10^-price_decimals, sizes integer lots of
// 10^-size_decimals.
struct symbol_config {
    std::string base = "BTC";
    std::string quote = "USDT";
    std::int64_t initial_price_ticks = 6'500'000;  // 65000.0 with price_decimals 2 -> "65000.00"
    int price_decimals = 2;
    int size_decimals = 4;
    double volatility = 0.0004;      // relative standard deviation of the true mid per second
    double jumps_per_minute = 2.0;   // expected jumps of the true mid per simulated minute
    double jump_size = 0.006;        // relative size of a jump (sign random, size +-50%)
};

struct venue_config {
    bool enabled = true;
    std::int64_t latency_ms = 0;    // how late this venue sees the true mid
    double half_spread = 0.00005;   // relative half spread around the venue's mid
    double noise = 0.00008;         // relative standard deviation of the venue's quote noise
    std::size_t depth_levels = 50;  // levels per side (contiguous ticks from the best)
    std::int64_t mean_level_lots = 5000;  // average level size in lots (0.5 BTC with 4 decimals)
    double level_changes_per_step = 3.0;  // random resizes per side per step
    double trades_per_second = 8.0;
};

struct model_config {
    std::uint64_t seed = 1;
    std::vector<symbol_config> symbols{symbol_config{}, symbol_config{"ETH", "USDT", 350'000, 2, 4, 0.0005, 2.0, 0.007}};
    std::array<venue_config, venue_count> venues{
        venue_config{true, 0, 0.00005, 0.00008, 50, 5000, 3.0, 8.0},     // binance: sees moves first
        venue_config{true, 150, 0.00006, 0.00010, 50, 4000, 3.0, 6.0},   // okx
        venue_config{true, 400, 0.00008, 0.00012, 50, 3000, 3.0, 5.0},   // bybit: the slow one
    };
    std::int64_t start_time_ms = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
    std::int64_t step_ms = 100;                      // simulated time per step
};

struct sim_trade {
    std::int64_t id = 0;            // per venue and symbol, from 1
    std::int64_t price_ticks = 0;
    std::int64_t lots = 0;
    bool taker_buy = false;
    std::int64_t time_ms = 0;       // trade (match) time
};

struct level_change {
    std::int64_t price_ticks = 0;
    std::int64_t lots = 0;  // new absolute size; 0 removes the level
};

// One-minute candle built from the venue's trades.
struct sim_candle {
    std::int64_t open_time_ms = 0;
    std::int64_t open = 0, high = 0, low = 0, close = 0;  // ticks
    std::int64_t volume_lots = 0;
    std::int64_t quote_volume = 0;  // sum of ticks * lots (scale: price + size decimals)
    std::int64_t trade_count = 0;
    std::int64_t first_trade_id = -1, last_trade_id = -1;
};

using bid_map = std::map<std::int64_t, std::int64_t, std::greater<>>;
using ask_map = std::map<std::int64_t, std::int64_t, std::less<>>;

// A venue's book for one symbol, and what changed in the last step.
struct venue_book {
    bid_map bids;
    ask_map asks;
    // Binance/OKX style id: grows by the number of level changes (each change one id).
    std::int64_t update_id = 1000;
    std::int64_t first_update_id = 0;  // the first id of the last step's changes (U)
    std::int64_t message_seq = 0;      // Bybit style `u`: +1 per delta message
    std::vector<level_change> bid_changes, ask_changes;  // last step
    std::vector<sim_trade> trades;                       // last step
    bool bbo_changed = false;
    std::int64_t next_trade_id = 1;
    sim_candle candle;
    bool candle_closed = false;       // the last step closed the previous candle (see closed_candle)
    sim_candle closed_candle;
    double noise_state = 0.0;

    [[nodiscard]] bool changed() const noexcept { return !bid_changes.empty() || !ask_changes.empty(); }
    [[nodiscard]] std::int64_t best_bid() const noexcept { return bids.empty() ? 0 : bids.begin()->first; }
    [[nodiscard]] std::int64_t best_ask() const noexcept { return asks.empty() ? 0 : asks.begin()->first; }
};

class market_model {
public:
    explicit market_model(model_config cfg) : cfg_(std::move(cfg)), rng_(cfg_.seed) {
        if (cfg_.step_ms <= 0) cfg_.step_ms = 100;
        now_ms_ = cfg_.start_time_ms;
        const std::size_t n = cfg_.symbols.size();
        true_mid_.resize(n);
        history_.assign(n, {});
        for (std::size_t s = 0; s < n; ++s) {
            true_mid_[s] = static_cast<double>(cfg_.symbols[s].initial_price_ticks);
            history_[s].assign(history_size(), true_mid_[s]);
        }
        for (auto& per_venue : books_) per_venue.resize(n);
        // Build the initial books without reporting changes as a delta.
        step();
        for (auto& per_venue : books_) {
            for (venue_book& b : per_venue) {
                b.bid_changes.clear();
                b.ask_changes.clear();
                b.trades.clear();
                b.first_update_id = b.update_id;
            }
        }
    }

    [[nodiscard]] const model_config& config() const noexcept { return cfg_; }
    [[nodiscard]] std::size_t symbol_count() const noexcept { return cfg_.symbols.size(); }
    // Simulated exchange time of the last step, ms since the Unix epoch.
    [[nodiscard]] std::int64_t now_ms() const noexcept { return now_ms_; }
    [[nodiscard]] std::uint64_t steps() const noexcept { return steps_; }
    [[nodiscard]] double true_mid_ticks(std::size_t symbol) const noexcept { return true_mid_[symbol]; }
    [[nodiscard]] const venue_book& book(venue_id v, std::size_t symbol) const noexcept {
        return books_[static_cast<std::size_t>(v)][symbol];
    }
    venue_book& book(venue_id v, std::size_t symbol) noexcept { return books_[static_cast<std::size_t>(v)][symbol]; }

    // Advances simulated time by one step: moves every true mid, then every venue's book,
    // trades and candle.
    void step() {
        now_ms_ += cfg_.step_ms;
        ++steps_;
        const double dt = static_cast<double>(cfg_.step_ms) / 1000.0;
        for (std::size_t s = 0; s < cfg_.symbols.size(); ++s) {
            const symbol_config& sc = cfg_.symbols[s];
            // IEEE sqrt is correctly rounded, so this is the same everywhere.
            const double sigma = sc.volatility * std::sqrt(dt);
            double mid = true_mid_[s] * (1.0 + sigma * rng_.gaussian());
            if (rng_.chance(sc.jumps_per_minute * dt / 60.0)) {
                const double size = sc.jump_size * (0.5 + rng_.uniform());
                mid *= rng_.chance(0.5) ? 1.0 + size : 1.0 - size;
            }
            if (mid < 100.0) mid = 100.0;
            true_mid_[s] = mid;
            history_[s][steps_ % history_[s].size()] = mid;
        }
        for (venue_id v : all_venues) {
            const venue_config& vc = cfg_.venues[static_cast<std::size_t>(v)];
            for (std::size_t s = 0; s < cfg_.symbols.size(); ++s) update_venue(v, vc, s);
        }
    }

private:
    [[nodiscard]] std::size_t history_size() const noexcept {
        std::int64_t most = 0;
        for (const venue_config& v : cfg_.venues) most = std::max(most, v.latency_ms);
        return static_cast<std::size_t>(most / cfg_.step_ms) + 2;
    }

    // The true mid as the venue sees it: `latency` late.
    [[nodiscard]] double delayed_mid(std::size_t s, std::int64_t latency_ms) const noexcept {
        const auto& h = history_[s];
        const std::uint64_t lag = static_cast<std::uint64_t>(std::max<std::int64_t>(0, latency_ms) / cfg_.step_ms);
        const std::uint64_t at = steps_ >= lag ? steps_ - lag : 0;
        return h[at % h.size()];
    }

    std::int64_t level_size(const venue_config& vc, std::size_t distance) {
        const double mean = static_cast<double>(vc.mean_level_lots) * (1.0 + static_cast<double>(distance) / 10.0);
        const auto lots = static_cast<std::int64_t>(mean * (0.2 + 1.6 * rng_.uniform()));
        return std::max<std::int64_t>(1, lots);
    }

    void update_venue(venue_id v, const venue_config& vc, std::size_t s) {
        venue_book& b = books_[static_cast<std::size_t>(v)][s];
        b.bid_changes.clear();
        b.ask_changes.clear();
        b.trades.clear();
        b.bbo_changed = false;
        b.candle_closed = false;
        if (!vc.enabled) return;
        b.noise_state = 0.7 * b.noise_state + vc.noise * rng_.gaussian();
        const double mid = delayed_mid(s, vc.latency_ms) * (1.0 + b.noise_state);
        const double half = std::max(0.5, mid * vc.half_spread);
        auto best_bid = static_cast<std::int64_t>(std::floor(mid - half));
        auto best_ask = static_cast<std::int64_t>(std::ceil(mid + half));
        if (best_bid < 1) best_bid = 1;
        if (best_ask <= best_bid) best_ask = best_bid + 1;
        const std::size_t depth = std::max<std::size_t>(1, vc.depth_levels);

        const std::int64_t old_bid = b.best_bid(), old_ask = b.best_ask();
        const std::int64_t old_bid_size = b.bids.empty() ? 0 : b.bids.begin()->second;
        const std::int64_t old_ask_size = b.asks.empty() ? 0 : b.asks.begin()->second;

        bid_map new_bids;
        ask_map new_asks;
        for (std::size_t k = 0; k < depth; ++k) {
            const std::int64_t pb = best_bid - static_cast<std::int64_t>(k);
            if (pb >= 1) {
                auto it = b.bids.find(pb);
                new_bids[pb] = it != b.bids.end() ? it->second : level_size(vc, k);
            }
            const std::int64_t pa = best_ask + static_cast<std::int64_t>(k);
            auto it = b.asks.find(pa);
            new_asks[pa] = it != b.asks.end() ? it->second : level_size(vc, k);
        }
        // Random resizes: orders arriving and leaving inside the book.
        const auto resizes = static_cast<std::size_t>(vc.level_changes_per_step * (0.5 + rng_.uniform()));
        for (std::size_t i = 0; i < resizes && !new_bids.empty(); ++i) {
            const std::size_t k = rng_.below(depth);
            auto it = new_bids.find(best_bid - static_cast<std::int64_t>(k));
            if (it != new_bids.end()) it->second = level_size(vc, k);
            auto jt = new_asks.find(best_ask + static_cast<std::int64_t>(rng_.below(depth)));
            if (jt != new_asks.end()) jt->second = level_size(vc, k);
        }
        diff(b.bids, new_bids, b.bid_changes);
        diff(b.asks, new_asks, b.ask_changes);
        b.bids.swap(new_bids);
        b.asks.swap(new_asks);
        const std::size_t changes = b.bid_changes.size() + b.ask_changes.size();
        if (changes > 0) {
            b.first_update_id = b.update_id + 1;
            b.update_id += static_cast<std::int64_t>(changes);
            ++b.message_seq;
        }
        b.bbo_changed = old_bid != b.best_bid() || old_ask != b.best_ask() ||
                        old_bid_size != b.bids.begin()->second || old_ask_size != b.asks.begin()->second;

        // Trades at the touch (Poisson-ish: up to four chances per step).
        const double p = vc.trades_per_second * static_cast<double>(cfg_.step_ms) / 4000.0;
        std::vector<std::int64_t> offsets;
        for (int i = 0; i < 4; ++i) {
            if (!rng_.chance(p)) continue;
            sim_trade t;
            t.id = b.next_trade_id++;
            t.taker_buy = rng_.chance(0.5);
            t.price_ticks = t.taker_buy ? b.best_ask() : b.best_bid();
            t.lots = 1 + static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(std::max<std::int64_t>(1, vc.mean_level_lots / 4))));
            t.time_ms = now_ms_ - cfg_.step_ms + 1 + static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(cfg_.step_ms)));
            b.trades.push_back(t);
        }
        std::stable_sort(b.trades.begin(), b.trades.end(), [](const sim_trade& x, const sim_trade& y) { return x.time_ms < y.time_ms; });
        for (std::size_t i = 0; i < b.trades.size(); ++i) {
            // Ids follow time order.
            b.trades[i].id = b.next_trade_id - static_cast<std::int64_t>(b.trades.size()) + static_cast<std::int64_t>(i);
        }
        update_candle(b, mid);
    }

    void update_candle(venue_book& b, double mid) {
        const std::int64_t minute = now_ms_ - (now_ms_ % 60'000);
        if (b.candle.open_time_ms != minute) {
            if (b.candle.open_time_ms != 0) {
                b.closed_candle = b.candle;
                b.candle_closed = true;
            }
            const std::int64_t open = b.candle.open_time_ms != 0 ? b.candle.close : static_cast<std::int64_t>(mid);
            b.candle = sim_candle{};
            b.candle.open_time_ms = minute;
            b.candle.open = b.candle.high = b.candle.low = b.candle.close = open;
        }
        for (const sim_trade& t : b.trades) {
            sim_candle& c = b.candle;
            c.high = std::max(c.high, t.price_ticks);
            c.low = std::min(c.low, t.price_ticks);
            c.close = t.price_ticks;
            c.volume_lots += t.lots;
            c.quote_volume += t.price_ticks * t.lots;
            ++c.trade_count;
            if (c.first_trade_id < 0) c.first_trade_id = t.id;
            c.last_trade_id = t.id;
        }
    }

    template <class Old, class New>
    static void diff(const Old& before, const New& after, std::vector<level_change>& out) {
        for (const auto& [price, lots] : before) {
            if (!after.contains(price)) out.push_back({price, 0});
        }
        for (const auto& [price, lots] : after) {
            auto it = before.find(price);
            if (it == before.end() || it->second != lots) out.push_back({price, lots});
        }
    }

    model_config cfg_;
    prng rng_;
    std::int64_t now_ms_ = 0;
    std::uint64_t steps_ = 0;
    std::vector<double> true_mid_;
    std::vector<std::vector<double>> history_;
    std::array<std::vector<venue_book>, venue_count> books_;
};

}  // namespace tradewire::sim
