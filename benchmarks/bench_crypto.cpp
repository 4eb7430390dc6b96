// Crypto layer benchmarks, with OpenSSL and wolfCrypt side by side where available:
//  - SHA-256 throughput: own (dispatch), own SHA-NI, own portable, OpenSSL, wolfCrypt;
//  - HMAC-SHA256 over a 200-byte payload (a typical signed order): own reusable signer
//    (raw and hex), own one-shot, OpenSSL reused HMAC_CTX, OpenSSL 3 EVP_MAC reuse,
//    OpenSSL one-shot HMAC(), wolfCrypt;
//  - HMAC-SHA512 over 200 bytes: own signer vs OpenSSL reused context;
//  - SHA-1 of a handshake-sized input; base64 and hex encoding of 32/64 bytes;
//  - Ed25519 signing of the 200-byte payload through the configured backend.
#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/ed25519.hpp>
#include <tradewire/crypto/hex.hpp>
#include <tradewire/crypto/hmac.hpp>
#include <tradewire/crypto/sha1.hpp>
#include <tradewire/crypto/sha256.hpp>
#include <tradewire/crypto/sha512.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#if defined(TRADEWIRE_HAVE_OPENSSL_BASELINE)
#define OPENSSL_SUPPRESS_DEPRECATED 1  // HMAC_CTX is deprecated in 3.0 but still the fastest reuse path
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/sha.h>
#endif

#if defined(TRADEWIRE_TLS_WOLFSSL)
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/sha256.h>
#endif

namespace cr = tradewire::crypto;

namespace {

// The machine these run on is shared, so besides mean/median each benchmark reports the
// minimum over repetitions (--benchmark_repetitions=N), the least disturbed measurement.
double min_of(const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
}
#define TW_BENCHMARK(fn) BENCHMARK(fn)->ComputeStatistics("min", min_of)

const std::string_view secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

// A 200-byte signed-order payload, Binance style.
const std::string& payload200() {
    static const std::string p = [] {
        std::string s =
            "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity="
            "0.01000000"
            "&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT";
        s.resize(200, 'x');
        return s;
    }();
    return p;
}

std::vector<std::uint8_t> data_of(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 131 + 7);
    return v;
}

const std::uint8_t* key_ptr() {
    return reinterpret_cast<const std::uint8_t*>(secret.data());
}
const std::uint8_t* payload_ptr() {
    return reinterpret_cast<const std::uint8_t*>(payload200().data());
}

template <class Compress>
cr::sha256::digest_type sha256_with(tradewire::const_bytes msg, Compress compress) {
    cr::sha256::state_type st = cr::sha256::initial_state;
    cr::detail::block_buffer<64, 8> buf;
    auto c = [&](const std::uint8_t* p, std::size_t n) { compress(st.data(), p, n); };
    buf.update(msg.data(), msg.size(), c);
    buf.finish(c);
    cr::sha256::digest_type d;
    cr::sha256::store(st, d.data());
    return d;
}

// ---------------------------------------------------------------- SHA-256 throughput

void sha256_own(benchmark::State& state) {
    const auto data = data_of(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(cr::sha256::hash(data));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
    state.SetLabel(cr::sha256::accelerated() ? "dispatch: SHA-NI" : "dispatch: portable");
}
TW_BENCHMARK(sha256_own)->Arg(64)->Arg(1024)->Arg(16384);

#if defined(TRADEWIRE_CRYPTO_X86)
void sha256_own_shani(benchmark::State& state) {
    if (!cr::detail::cpu_has_sha_ni()) {
        state.SkipWithError("no SHA-NI on this CPU");
        return;
    }
    const auto data = data_of(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(sha256_with(data, cr::detail::sha256_compress_shani));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
TW_BENCHMARK(sha256_own_shani)->Arg(64)->Arg(1024)->Arg(16384);
#endif

void sha256_own_portable(benchmark::State& state) {
    const auto data = data_of(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(sha256_with(data, cr::detail::sha256_compress_portable));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
TW_BENCHMARK(sha256_own_portable)->Arg(64)->Arg(1024)->Arg(16384);

#if defined(TRADEWIRE_HAVE_OPENSSL_BASELINE)
void sha256_openssl(benchmark::State& state) {
    const auto data = data_of(static_cast<std::size_t>(state.range(0)));
    std::array<unsigned char, 32> out{};
    for (auto _ : state) {
        SHA256(data.data(), data.size(), out.data());
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
TW_BENCHMARK(sha256_openssl)->Arg(64)->Arg(1024)->Arg(16384);
#endif

#if defined(TRADEWIRE_TLS_WOLFSSL)
void sha256_wolfcrypt(benchmark::State& state) {
    const auto data = data_of(static_cast<std::size_t>(state.range(0)));
    std::array<unsigned char, 32> out{};
    wc_Sha256 sha;
    for (auto _ : state) {
        wc_InitSha256(&sha);
        wc_Sha256Update(&sha, data.data(), static_cast<word32>(data.size()));
        wc_Sha256Final(&sha, out.data());
        benchmark::DoNotOptimize(out);
    }
    wc_Sha256Free(&sha);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
TW_BENCHMARK(sha256_wolfcrypt)->Arg(64)->Arg(1024)->Arg(16384);
#endif

void sha512_own(benchmark::State& state) {
    const auto data = data_of(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(cr::sha512::hash(data));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
TW_BENCHMARK(sha512_own)->Arg(1024)->Arg(16384);

#if defined(TRADEWIRE_HAVE_OPENSSL_BASELINE)
void sha512_openssl(benchmark::State& state) {
    const auto data = data_of(static_cast<std::size_t>(state.range(0)));
    std::array<unsigned char, 64> out{};
    for (auto _ : state) {
        SHA512(data.data(), data.size(), out.data());
        benchmark::DoNotOptimize(out);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
TW_BENCHMARK(sha512_openssl)->Arg(1024)->Arg(16384);
#endif

// ---------------------------------------------------------------- SHA-1 (handshake)

void sha1_own_handshake(benchmark::State& state) {
    const std::string_view key = "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11";  // 60 bytes
    for (auto _ : state) benchmark::DoNotOptimize(cr::sha1::hash(key));
}
TW_BENCHMARK(sha1_own_handshake);

#if defined(TRADEWIRE_HAVE_OPENSSL_BASELINE)
void sha1_openssl_handshake(benchmark::State& state) {
    const std::string_view key = "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    std::array<unsigned char, 20> out{};
    for (auto _ : state) {
        SHA1(reinterpret_cast<const unsigned char*>(key.data()), key.size(), out.data());
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(sha1_openssl_handshake);
#endif

// ---------------------------------------------------------------- HMAC-SHA256, 200 B

void hmac256_own_signer(benchmark::State& state) {
    const cr::hmac_sha256_signer signer(secret);
    const auto msg = tradewire::as_bytes(payload200());
    std::array<std::uint8_t, 32> out{};
    for (auto _ : state) {
        signer.sign(msg, out.data());
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(hmac256_own_signer);

void hmac256_own_signer_hex(benchmark::State& state) {
    const cr::hmac_sha256_signer signer(secret);
    const auto msg = tradewire::as_bytes(payload200());
    std::array<char, cr::hmac_sha256_signer::hex_size> out{};
    for (auto _ : state) {
        signer.sign_hex(msg, out.data());
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(hmac256_own_signer_hex);

void hmac256_own_signer_base64(benchmark::State& state) {
    const cr::hmac_sha256_signer signer(secret);
    const auto msg = tradewire::as_bytes(payload200());
    std::array<char, cr::hmac_sha256_signer::base64_size> out{};
    for (auto _ : state) {
        signer.sign_base64(msg, out.data());
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(hmac256_own_signer_base64);

void hmac256_own_oneshot(benchmark::State& state) {
    const auto key = tradewire::as_bytes(secret);
    const auto msg = tradewire::as_bytes(payload200());
    for (auto _ : state) benchmark::DoNotOptimize(cr::hmac_sha256(key, msg));
}
TW_BENCHMARK(hmac256_own_oneshot);

#if defined(TRADEWIRE_HAVE_OPENSSL_BASELINE)
void hmac256_openssl_reused_hmac_ctx(benchmark::State& state) {
    HMAC_CTX* ctx = HMAC_CTX_new();
    HMAC_Init_ex(ctx, secret.data(), static_cast<int>(secret.size()), EVP_sha256(), nullptr);
    std::array<unsigned char, 32> out{};
    unsigned len = 0;
    for (auto _ : state) {
        HMAC_Init_ex(ctx, nullptr, 0, nullptr, nullptr);  // reuse the key
        HMAC_Update(ctx, payload_ptr(), payload200().size());
        HMAC_Final(ctx, out.data(), &len);
        benchmark::DoNotOptimize(out);
    }
    HMAC_CTX_free(ctx);
}
TW_BENCHMARK(hmac256_openssl_reused_hmac_ctx);

EVP_MAC_CTX* openssl_mac_ctx(const char* digest) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context keeps its own reference
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
        OSSL_PARAM_construct_end()};
    EVP_MAC_init(ctx, key_ptr(), secret.size(), params);
    return ctx;
}

void hmac256_openssl_evp_mac_reinit(benchmark::State& state) {
    EVP_MAC_CTX* ctx = openssl_mac_ctx("SHA256");
    std::array<unsigned char, 32> out{};
    std::size_t len = 0;
    for (auto _ : state) {
        EVP_MAC_init(ctx, nullptr, 0, nullptr);  // reuse the key
        EVP_MAC_update(ctx, payload_ptr(), payload200().size());
        EVP_MAC_final(ctx, out.data(), &len, out.size());
        benchmark::DoNotOptimize(out);
    }
    EVP_MAC_CTX_free(ctx);
}
TW_BENCHMARK(hmac256_openssl_evp_mac_reinit);

void hmac256_openssl_evp_mac_dup(benchmark::State& state) {
    EVP_MAC_CTX* keyed = openssl_mac_ctx("SHA256");
    std::array<unsigned char, 32> out{};
    std::size_t len = 0;
    for (auto _ : state) {
        EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(keyed);
        EVP_MAC_update(ctx, payload_ptr(), payload200().size());
        EVP_MAC_final(ctx, out.data(), &len, out.size());
        EVP_MAC_CTX_free(ctx);
        benchmark::DoNotOptimize(out);
    }
    EVP_MAC_CTX_free(keyed);
}
TW_BENCHMARK(hmac256_openssl_evp_mac_dup);

void hmac256_openssl_oneshot(benchmark::State& state) {
    std::array<unsigned char, 32> out{};
    unsigned len = 0;
    for (auto _ : state) {
        HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), payload_ptr(), payload200().size(),
             out.data(), &len);
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(hmac256_openssl_oneshot);
#endif

#if defined(TRADEWIRE_TLS_WOLFSSL)
void hmac256_wolfcrypt_setkey_each(benchmark::State& state) {
    Hmac h;
    wc_HmacInit(&h, nullptr, INVALID_DEVID);
    std::array<unsigned char, 32> out{};
    for (auto _ : state) {
        wc_HmacSetKey(&h, WC_SHA256, key_ptr(), static_cast<word32>(secret.size()));
        wc_HmacUpdate(&h, payload_ptr(), static_cast<word32>(payload200().size()));
        wc_HmacFinal(&h, out.data());
        benchmark::DoNotOptimize(out);
    }
    wc_HmacFree(&h);
}
TW_BENCHMARK(hmac256_wolfcrypt_setkey_each);

void hmac256_wolfcrypt_reused(benchmark::State& state) {
    // wolfCrypt re-hashes its stored ipad block after each final, so the key is set once.
    Hmac h;
    wc_HmacInit(&h, nullptr, INVALID_DEVID);
    wc_HmacSetKey(&h, WC_SHA256, key_ptr(), static_cast<word32>(secret.size()));
    std::array<unsigned char, 32> out{};
    for (auto _ : state) {
        wc_HmacUpdate(&h, payload_ptr(), static_cast<word32>(payload200().size()));
        wc_HmacFinal(&h, out.data());
        benchmark::DoNotOptimize(out);
    }
    wc_HmacFree(&h);
}
TW_BENCHMARK(hmac256_wolfcrypt_reused);
#endif

// ---------------------------------------------------------------- HMAC-SHA512, 200 B

void hmac512_own_signer(benchmark::State& state) {
    const cr::hmac_sha512_signer signer(secret);
    const auto msg = tradewire::as_bytes(payload200());
    std::array<std::uint8_t, 64> out{};
    for (auto _ : state) {
        signer.sign(msg, out.data());
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(hmac512_own_signer);

void hmac512_own_signer_hex(benchmark::State& state) {
    const cr::hmac_sha512_signer signer(secret);
    const auto msg = tradewire::as_bytes(payload200());
    std::array<char, cr::hmac_sha512_signer::hex_size> out{};
    for (auto _ : state) {
        signer.sign_hex(msg, out.data());
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(hmac512_own_signer_hex);

#if defined(TRADEWIRE_HAVE_OPENSSL_BASELINE)
void hmac512_openssl_reused_hmac_ctx(benchmark::State& state) {
    HMAC_CTX* ctx = HMAC_CTX_new();
    HMAC_Init_ex(ctx, secret.data(), static_cast<int>(secret.size()), EVP_sha512(), nullptr);
    std::array<unsigned char, 64> out{};
    unsigned len = 0;
    for (auto _ : state) {
        HMAC_Init_ex(ctx, nullptr, 0, nullptr, nullptr);
        HMAC_Update(ctx, payload_ptr(), payload200().size());
        HMAC_Final(ctx, out.data(), &len);
        benchmark::DoNotOptimize(out);
    }
    HMAC_CTX_free(ctx);
}
TW_BENCHMARK(hmac512_openssl_reused_hmac_ctx);

void hmac512_openssl_evp_mac_reinit(benchmark::State& state) {
    EVP_MAC_CTX* ctx = openssl_mac_ctx("SHA512");
    std::array<unsigned char, 64> out{};
    std::size_t len = 0;
    for (auto _ : state) {
        EVP_MAC_init(ctx, nullptr, 0, nullptr);
        EVP_MAC_update(ctx, payload_ptr(), payload200().size());
        EVP_MAC_final(ctx, out.data(), &len, out.size());
        benchmark::DoNotOptimize(out);
    }
    EVP_MAC_CTX_free(ctx);
}
TW_BENCHMARK(hmac512_openssl_evp_mac_reinit);
#endif

// ---------------------------------------------------------------- Ed25519, 200 B

void ed25519_sign_200(benchmark::State& state) {
    cr::ed25519_signer signer;
    const std::uint8_t seed[32] = {0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a,
                                   0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32,
                                   0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};
    if (signer.load_seed(seed)) {
        state.SkipWithError("key load failed");
        return;
    }
    std::array<char, cr::ed25519_signature_base64_size> out{};
    for (auto _ : state) {
        benchmark::DoNotOptimize(signer.sign_base64(tradewire::as_bytes(payload200()), out));
        benchmark::DoNotOptimize(out);
    }
    state.SetLabel(cr::ed25519_backend_name);
}
TW_BENCHMARK(ed25519_sign_200);

// ---------------------------------------------------------------- base64 / hex

void base64_encode_own(benchmark::State& state) {
    const auto data = data_of(static_cast<std::size_t>(state.range(0)));
    std::array<char, 128> out{};
    for (auto _ : state) {
        benchmark::DoNotOptimize(cr::base64_encode(data, out.data()));
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(base64_encode_own)->Arg(32)->Arg(64);

void base64_decode_own(benchmark::State& state) {
    const std::string text = cr::base64_encode(data_of(static_cast<std::size_t>(state.range(0))));
    std::array<std::uint8_t, 128> out{};
    std::error_code ec;
    for (auto _ : state) {
        benchmark::DoNotOptimize(cr::base64_decode(text, out.data(), ec));
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(base64_decode_own)->Arg(32)->Arg(64);

#if defined(TRADEWIRE_HAVE_OPENSSL_BASELINE)
void base64_encode_openssl(benchmark::State& state) {
    const auto data = data_of(static_cast<std::size_t>(state.range(0)));
    std::array<unsigned char, 129> out{};
    for (auto _ : state) {
        benchmark::DoNotOptimize(EVP_EncodeBlock(out.data(), data.data(), static_cast<int>(data.size())));
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(base64_encode_openssl)->Arg(32)->Arg(64);
#endif

void hex_encode_own(benchmark::State& state) {
    const auto data = data_of(static_cast<std::size_t>(state.range(0)));
    std::array<char, 128> out{};
    for (auto _ : state) {
        benchmark::DoNotOptimize(cr::hex_encode(data, out.data()));
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(hex_encode_own)->Arg(32)->Arg(64);

void hex_decode_own(benchmark::State& state) {
    const std::string text = cr::hex_encode(data_of(static_cast<std::size_t>(state.range(0))));
    std::array<std::uint8_t, 64> out{};
    std::error_code ec;
    for (auto _ : state) {
        benchmark::DoNotOptimize(cr::hex_decode(text, out.data(), ec));
        benchmark::DoNotOptimize(out);
    }
}
TW_BENCHMARK(hex_decode_own)->Arg(32)->Arg(64);

}  // namespace

BENCHMARK_MAIN();
