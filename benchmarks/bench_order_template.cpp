// Order templates: trigger to frame ready (format price/quantity/id/timestamp, write the
// request, sign, frame header, mask) for each venue, against a naive baseline that
// builds the same Binance order.place with std::string, snprintf and a one-shot HMAC,
// then frames it with ws::frame_writer into a fresh vector.
//
// BM_binance_ed25519_fire: the same template with an Ed25519 key, for scale.
//
// Binance is measured in two shapes: the documented order.place (REFERENCE.md 1.6) and
// "_cid", which adds a generated newClientOrderId and recvWindow (one more SHA-256
// block to sign). Each has its naive twin.
//
// Two kinds of case:
//  - BM_<venue>_fire / BM_binance_naive[_cid]: Google Benchmark's mean time per fire.
//  - BM_<venue>_fire_distribution/N: N fires, each timed on its own (rdtsc with fences
//    on x86, calibrated against steady_clock; steady_clock elsewhere), sorted; counters
//    p50/p90/p99/p99.9/max in nanoseconds, and timer_ns = the cost of an empty timed
//    region (included in every sample, not subtracted).
// Inputs rotate over prices of different widths (0.1, 52000.00, 0.00001234), the
// timestamp moves every fire, client order ids are generated, and mask keys come from
// ws::client_role, as on a live connection.
#include "bench_timing.hpp"

#include <benchmark/benchmark.h>

#include <tradewire/core/decimal.hpp>
#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/hex.hpp>
#include <tradewire/crypto/hmac.hpp>
#include <tradewire/trade/order_template.hpp>
#include <tradewire/ws/role.hpp>
#include <tradewire/ws/writer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>


namespace {

using namespace tradewire;
using namespace tradewire::trade;

constexpr std::string_view api_key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
constexpr std::string_view secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

decimal dec(std::string_view s) { return decimal::parse(s).value; }

struct inputs {
    decimal prices[3] = {dec("0.1"), dec("52000.00"), dec("0.00001234")};
    decimal quantity = dec("0.01");
};

// Runs `fire(i)` n times, each timed alone; reports the distribution as counters.
template <class Fire>
void distribution(benchmark::State& state, Fire&& fire) {
    bench_timing::timed_distribution(state, [](std::size_t) {}, fire, [](std::size_t) {});
}

// ---- templates under test

// full = false: the documented order.place shape (REFERENCE.md 1.6: symbol, side, type,
// price, quantity, timeInForce, timestamp, apiKey, signature). full = true adds a
// generated newClientOrderId and recvWindow, which lengthens the signed tail by a block.
struct binance_case {
    credentials creds{api_key, secret};
    order_template t;
    std::vector<std::uint8_t> buf;
    ws::client_role keys{xoshiro256ss(7)};
    inputs in;
    explicit binance_case(bool full) {
        std::error_code ec;
        t = make_binance_order_place(creds, {.symbol = "BTCUSDT", .client_order_id = full},
                                     {.recv_window = full ? "5000" : ""}, ec);
        if (ec) std::abort();
        buf.resize(t.max_frame_size());
    }
    void fire(std::size_t i) {
        const fire_result r = t.fire({.price = in.prices[i % 3], .quantity = in.quantity,
                                      .timestamp_ms = 1700000000000u + i},
                                     keys, mutable_bytes(buf.data(), buf.size()));
        benchmark::DoNotOptimize(r.frame.data());
        benchmark::ClobberMemory();
    }
};

// The Binance template with an Ed25519 key: a PKCS#8 PEM (RFC 8410 layout) made here
// from a fixed seed, so no key file is needed. Ed25519 signs the whole string per fire.
std::string ed25519_pem_from_seed(std::uint8_t fill) {
    std::vector<std::uint8_t> der = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b,
                                     0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    der.insert(der.end(), 32, fill);
    return "-----BEGIN PRIVATE KEY-----\n" + crypto::base64_encode(const_bytes(der.data(), der.size())) +
           "\n-----END PRIVATE KEY-----\n";
}

struct binance_ed25519_case {
    credentials creds{api_key, ed25519_pem_from_seed(0x42)};
    order_template t;
    std::vector<std::uint8_t> buf;
    ws::client_role keys{xoshiro256ss(13)};
    inputs in;
    binance_ed25519_case() {
        std::error_code ec;
        t = make_binance_order_place(creds, {.symbol = "BTCUSDT"}, {}, ec);
        if (ec) std::abort();
        buf.resize(t.max_frame_size());
    }
    void fire(std::size_t i) {
        const fire_result r = t.fire({.price = in.prices[i % 3], .quantity = in.quantity,
                                      .timestamp_ms = 1700000000000u + i},
                                     keys, mutable_bytes(buf.data(), buf.size()));
        if (!r.ok()) std::abort();
        benchmark::DoNotOptimize(r.frame.data());
        benchmark::ClobberMemory();
    }
};

struct unsigned_case {
    order_template t;
    std::vector<std::uint8_t> buf;
    ws::client_role keys{xoshiro256ss(9)};
    inputs in;
    explicit unsigned_case(order_template&& tpl) : t(std::move(tpl)) { buf.resize(t.max_frame_size()); }
    void fire(std::size_t i) {
        const fire_result r = t.fire({.price = in.prices[i % 3], .quantity = in.quantity,
                                      .timestamp_ms = 1700000000000u + i},
                                     keys, mutable_bytes(buf.data(), buf.size()));
        benchmark::DoNotOptimize(r.frame.data());
        benchmark::ClobberMemory();
    }
};

order_template okx_template() {
    std::error_code ec;
    return make_okx_order({.symbol = "BTC-USDT", .price_decimals = 8, .client_order_id = true}, {}, ec);
}
order_template bybit_template() {
    std::error_code ec;
    return make_bybit_order_create({.symbol = "BTCUSDT", .price_decimals = 8, .client_order_id = true}, {}, ec);
}
order_template gate_template() {
    std::error_code ec;
    return make_gate_order_place({.symbol = "BTC_USDT", .price_decimals = 8, .client_order_id = true}, {}, ec);
}
order_template kraken_template() {
    std::error_code ec;
    return make_kraken_add_order({.symbol = "BTC/USD", .price_decimals = 8, .client_order_id = true},
                                 {.token = "G38a1tGFzqGiUCmnegBcm8d4nfP3tytiNQz6tkCBYXY"}, ec);
}

// ---- the naive baseline: the same Binance order.place, built the obvious way.

struct naive_case {
    bool full;
    std::string key{api_key};
    std::string sec{secret};
    ws::frame_writer<ws::client_role> writer{ws::client_role(xoshiro256ss(11))};
    inputs in;
    std::uint64_t counter = 0;

    explicit naive_case(bool f) : full(f) {}

    void fire(std::size_t i) {
        ++counter;
        const std::string price = in.prices[i % 3].to_string();
        const std::string quantity = in.quantity.to_string();
        const std::string client_id = full ? "tw" + std::to_string(counter) : std::string();
        const std::uint64_t ts = 1700000000000u + i;
        std::map<std::string, std::string> params;  // sorted by name
        params["symbol"] = "BTCUSDT";
        params["side"] = "BUY";
        params["type"] = "LIMIT";
        params["timeInForce"] = "GTC";
        params["price"] = price;
        params["quantity"] = quantity;
        if (full) {
            params["newClientOrderId"] = client_id;
            params["recvWindow"] = "5000";
        }
        params["timestamp"] = std::to_string(ts);
        params["apiKey"] = key;
        std::string payload;
        for (const auto& [k, v] : params) {
            if (!payload.empty()) payload += '&';
            payload += k;
            payload += '=';
            payload += v;
        }
        const std::string signature = crypto::hex_encode(crypto::hmac_sha256(sec, payload));
        char buf[1024];
        const std::string extra =
            full ? ",\"newClientOrderId\":\"" + client_id + "\",\"recvWindow\":5000" : std::string();
        const int n = std::snprintf(
            buf, sizeof buf,
            "{\"id\":\"%llu\",\"method\":\"order.place\",\"params\":{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":"
            "\"LIMIT\",\"price\":\"%s\",\"quantity\":\"%s\",\"timeInForce\":\"GTC\"%s,\"timestamp\":%llu,"
            "\"apiKey\":\"%s\",\"signature\":\"%s\"}}",
            static_cast<unsigned long long>(counter), price.c_str(), quantity.c_str(), extra.c_str(),
            static_cast<unsigned long long>(ts), key.c_str(), signature.c_str());
        const std::string json(buf, static_cast<std::size_t>(n));
        std::vector<std::uint8_t> frame(ws::frame_writer<ws::client_role>::frame_size(json.size()));
        const ws::write_result r = writer.text(frame, json);
        benchmark::DoNotOptimize(r.size);
        benchmark::DoNotOptimize(frame.data());
        benchmark::ClobberMemory();
    }
};

// ---- cases

template <class Case>
void run_mean(benchmark::State& state, Case& c) {
    std::size_t i = 0;
    for (auto _ : state) c.fire(i++);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_binance_fire(benchmark::State& state) {
    binance_case c(false);
    run_mean(state, c);
}
void BM_binance_naive(benchmark::State& state) {
    naive_case c(false);
    run_mean(state, c);
}
void BM_binance_fire_cid(benchmark::State& state) {
    binance_case c(true);
    run_mean(state, c);
}
void BM_binance_naive_cid(benchmark::State& state) {
    naive_case c(true);
    run_mean(state, c);
}
void BM_binance_ed25519_fire(benchmark::State& state) {
    binance_ed25519_case c;
    run_mean(state, c);
}
void BM_okx_fire(benchmark::State& state) {
    unsigned_case c(okx_template());
    run_mean(state, c);
}
void BM_bybit_fire(benchmark::State& state) {
    unsigned_case c(bybit_template());
    run_mean(state, c);
}
void BM_gate_fire(benchmark::State& state) {
    unsigned_case c(gate_template());
    run_mean(state, c);
}
void BM_kraken_fire(benchmark::State& state) {
    unsigned_case c(kraken_template());
    run_mean(state, c);
}

void BM_binance_fire_distribution(benchmark::State& state) {
    binance_case c(false);
    distribution(state, [&](std::size_t i) { c.fire(i); });
}
void BM_binance_naive_distribution(benchmark::State& state) {
    naive_case c(false);
    distribution(state, [&](std::size_t i) { c.fire(i); });
}
void BM_binance_fire_cid_distribution(benchmark::State& state) {
    binance_case c(true);
    distribution(state, [&](std::size_t i) { c.fire(i); });
}
void BM_binance_naive_cid_distribution(benchmark::State& state) {
    naive_case c(true);
    distribution(state, [&](std::size_t i) { c.fire(i); });
}
void BM_okx_fire_distribution(benchmark::State& state) {
    unsigned_case c(okx_template());
    distribution(state, [&](std::size_t i) { c.fire(i); });
}
void BM_bybit_fire_distribution(benchmark::State& state) {
    unsigned_case c(bybit_template());
    distribution(state, [&](std::size_t i) { c.fire(i); });
}
void BM_gate_fire_distribution(benchmark::State& state) {
    unsigned_case c(gate_template());
    distribution(state, [&](std::size_t i) { c.fire(i); });
}
void BM_kraken_fire_distribution(benchmark::State& state) {
    unsigned_case c(kraken_template());
    distribution(state, [&](std::size_t i) { c.fire(i); });
}

}  // namespace

BENCHMARK(BM_binance_fire);
BENCHMARK(BM_binance_naive);
BENCHMARK(BM_binance_fire_cid);
BENCHMARK(BM_binance_naive_cid);
BENCHMARK(BM_binance_ed25519_fire);
BENCHMARK(BM_okx_fire);
BENCHMARK(BM_bybit_fire);
BENCHMARK(BM_gate_fire);
BENCHMARK(BM_kraken_fire);
BENCHMARK(BM_binance_fire_distribution)->Arg(1000000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_binance_naive_distribution)->Arg(200000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_binance_fire_cid_distribution)->Arg(1000000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_binance_naive_cid_distribution)->Arg(200000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_okx_fire_distribution)->Arg(200000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_bybit_fire_distribution)->Arg(200000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_gate_fire_distribution)->Arg(200000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_kraken_fire_distribution)->Arg(200000)->Iterations(1)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
