// HMAC-SHA256/512: RFC 4231 test cases 1-7, and the three ways to compute a MAC
// (one-shot, incremental, reusable signer) agreeing across key and message lengths.
#include "catch.hpp"
#include "test_support.hpp"

#include <tradewire/crypto/hmac.hpp>
#include <tradewire/crypto/sha1.hpp>

#include <new>
#include <string>
#include <vector>

namespace cr = tradewire::crypto;
using tradewire::const_bytes;
using tw_test::from_hex;
using tw_test::to_hex;

namespace {
struct rfc4231_case {
    std::vector<std::uint8_t> key;
    std::vector<std::uint8_t> data;
    const char* sha256;
    const char* sha512;
};

std::vector<std::uint8_t> bytes_of(std::string_view s) {
    return {s.begin(), s.end()};
}
std::vector<std::uint8_t> repeat(std::uint8_t b, std::size_t n) {
    return std::vector<std::uint8_t>(n, b);
}

std::vector<rfc4231_case> rfc4231() {
    std::vector<std::uint8_t> key4;
    for (std::uint8_t i = 1; i <= 25; ++i) key4.push_back(i);
    return {
        {repeat(0x0b, 20), bytes_of("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
         "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
        {bytes_of("Jefe"), bytes_of("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
         "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
        {repeat(0xaa, 20), repeat(0xdd, 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
         "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
         "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
        {key4, repeat(0xcd, 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
         "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
         "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
        // Case 5: the RFC gives only the first 128 bits (truncated output).
        {repeat(0x0c, 20), bytes_of("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b",
         "415fad6271580a531d4179bc891d87a6"},
        {repeat(0xaa, 131), bytes_of("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
         "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
        {repeat(0xaa, 131),
         bytes_of(
             "This is a test using a larger than block-size key and a larger than block-size data. The key "
             "needs to be hashed before being used by the HMAC algorithm."),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
         "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
         "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
    };
}

// Compares a full-length MAC with an expected prefix (full, or truncated as in case 5).
template <class Digest>
std::string prefix_hex(const Digest& d, std::size_t hex_chars) {
    return to_hex(d).substr(0, hex_chars);
}
}  // namespace

TEST_CASE("hmac RFC 4231 test cases 1-7") {
    int number = 0;
    for (const auto& c : rfc4231()) {
        ++number;
        INFO("test case " << number);
        const std::string e256 = c.sha256, e512 = c.sha512;
        CHECK(prefix_hex(cr::hmac_sha256(c.key, c.data), e256.size()) == e256);
        CHECK(prefix_hex(cr::hmac_sha512(c.key, c.data), e512.size()) == e512);
        CHECK(prefix_hex(cr::hmac_sha256_signer(c.key).sign(c.data), e256.size()) == e256);
        CHECK(prefix_hex(cr::hmac_sha512_signer(c.key).sign(c.data), e512.size()) == e512);
        CHECK(prefix_hex(cr::hmac<cr::sha256>::mac(c.key, c.data), e256.size()) == e256);
        CHECK(prefix_hex(cr::hmac<cr::sha512>::mac(c.key, c.data), e512.size()) == e512);
    }
}

TEST_CASE("hmac-sha1 RFC 2202 case 2 (the template works for sha1 too)") {
    CHECK(to_hex(cr::hmac<cr::sha1>::mac(tradewire::as_bytes("Jefe"),
                                         tradewire::as_bytes("what do ya want for nothing?"))) ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

template <class Hash>
void check_paths_agree(std::uint64_t seed) {
    tw_test::rng r{seed};
    for (std::size_t key_len : {0u, 1u, 31u, 32u, 63u, 64u, 65u, 127u, 128u, 129u, 200u}) {
        const auto key = r.bytes(key_len);
        const cr::hmac_signer<Hash> signer(key);
        cr::hmac<Hash> inc(key);
        for (std::size_t len = 0; len <= 300; len += (len < 140 ? 1 : 7)) {
            const auto msg = r.bytes(len);
            const auto expect = cr::hmac<Hash>::mac(key, msg);
            INFO("key " << key_len << " msg " << len);
            REQUIRE(signer.sign(msg) == expect);
            // The incremental object is re-armed by finish(); split the message in three.
            const std::size_t a = len / 3, b = 2 * len / 3;
            inc.update(const_bytes(msg).first(a));
            inc.update(const_bytes(msg).subspan(a, b - a));
            inc.update(const_bytes(msg).subspan(b));
            REQUIRE(inc.finish() == expect);
            auto from_signer = signer.begin();
            from_signer.update(msg);
            REQUIRE(from_signer.finish() == expect);
        }
    }
}

TEST_CASE("hmac one-shot, incremental and signer agree (sha256)") {
    check_paths_agree<cr::sha256>(11);
}
TEST_CASE("hmac one-shot, incremental and signer agree (sha512)") {
    check_paths_agree<cr::sha512>(12);
}

TEST_CASE("hmac incremental split at every offset") {
    tw_test::rng r{13};
    const auto key = r.bytes(40);
    const auto msg = r.bytes(300);
    const auto e256 = cr::hmac_sha256(key, msg);
    const auto e512 = cr::hmac_sha512(key, msg);
    for (std::size_t cut = 0; cut <= msg.size(); ++cut) {
        cr::hmac<cr::sha256> h256(key);
        h256.update(const_bytes(msg).first(cut));
        h256.update(const_bytes(msg).subspan(cut));
        REQUIRE(h256.finish() == e256);
        cr::hmac<cr::sha512> h512(key);
        h512.update(const_bytes(msg).first(cut));
        h512.update(const_bytes(msg).subspan(cut));
        REQUIRE(h512.finish() == e512);
    }
}

TEST_CASE("hmac signer hex and base64 outputs") {
    const cr::hmac_sha256_signer s("Jefe");
    const std::string_view msg = "what do ya want for nothing?";
    CHECK(s.sign_hex(msg) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(s.sign_hex(msg, cr::hex_case::upper) ==
          "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843");
    char buf[cr::hmac_sha256_signer::hex_size];
    CHECK(s.sign_hex(msg, buf) == 64);
    CHECK(std::string_view(buf, 64) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    char b64[cr::hmac_sha256_signer::base64_size];
    CHECK(s.sign_base64(msg, b64) == 44);
    CHECK(std::string_view(b64, 44) ==
          cr::base64_encode(from_hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")));
    CHECK(s.sign_base64(msg) == std::string_view(b64, 44));
    CHECK(cr::hmac_sha512_signer::hex_size == 128);
    CHECK(cr::hmac_sha512_signer::base64_size == 88);
}

TEST_CASE("hmac signer copies, rekeys and defaults to the empty key") {
    cr::hmac_sha256_signer a("Jefe");
    const cr::hmac_sha256_signer b = a;
    CHECK(b.sign_hex("what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    a.rekey(std::string_view("other"));
    CHECK(a.sign("x") == cr::hmac_sha256("other", "x"));
    CHECK(b.sign("x") == cr::hmac_sha256("Jefe", "x"));
    const cr::hmac_sha256_signer empty;
    // HMAC-SHA256 with an empty key and empty message (computed with python3 hmac).
    CHECK(to_hex(empty.sign(std::string_view(""))) ==
          "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

namespace {
// Reference HMAC-SHA256 built only from the portable compression function.
cr::sha256::digest_type portable_sha256(tradewire::const_bytes a, tradewire::const_bytes b) {
    cr::sha256::state_type st = cr::sha256::initial_state;
    cr::detail::block_buffer<64, 8> buf;
    auto c = [&](const std::uint8_t* p, std::size_t n) {
        cr::detail::sha256_compress_portable(st.data(), p, n);
    };
    buf.update(a.data(), a.size(), c);
    buf.update(b.data(), b.size(), c);
    buf.finish(c);
    cr::sha256::digest_type d;
    cr::sha256::store(st, d.data());
    return d;
}

cr::sha256::digest_type portable_hmac_sha256(const std::vector<std::uint8_t>& key,
                                             const std::vector<std::uint8_t>& msg) {
    std::vector<std::uint8_t> k(64, 0);
    if (key.size() > 64) {
        const auto d = portable_sha256(key, {});
        std::copy(d.begin(), d.end(), k.begin());
    } else {
        std::copy(key.begin(), key.end(), k.begin());
    }
    std::vector<std::uint8_t> ipad(64), opad(64);
    for (std::size_t i = 0; i < 64; ++i) {
        ipad[i] = static_cast<std::uint8_t>(k[i] ^ 0x36);
        opad[i] = static_cast<std::uint8_t>(k[i] ^ 0x5c);
    }
    const auto inner = portable_sha256(ipad, msg);
    return portable_sha256(opad, inner);
}
}  // namespace

TEST_CASE("hmac-sha256 signer (SHA-NI kernel when present) matches a portable HMAC at every length 0..1000") {
    INFO("sha-ni: " << cr::sha256::accelerated());
    tw_test::rng r{0x5a5a};
    for (std::size_t key_len : {0u, 20u, 64u, 65u, 131u}) {
        const auto key = r.bytes(key_len);
        const cr::hmac_sha256_signer signer(key);
        for (std::size_t len = 0; len <= 1000; ++len) {
            const auto msg = r.bytes(len);
            INFO("key " << key_len << " len " << len);
            REQUIRE(signer.sign(msg) == portable_hmac_sha256(key, msg));
        }
    }
}

TEST_CASE("hmac signer handles a message at the very end of its buffer") {
    // The SHA-NI kernel copies the last 64 bytes ending at the message end: make sure no
    // byte past the end is touched (ASan builds check this) and offsets inside a larger
    // buffer give the same MAC.
    tw_test::rng r{77};
    const auto big = r.bytes(400);
    const cr::hmac_sha256_signer signer("k");
    for (std::size_t off = 0; off < 70; ++off) {
        for (std::size_t len : {0u, 1u, 63u, 64u, 65u, 200u}) {
            std::vector<std::uint8_t> exact(big.begin() + static_cast<std::ptrdiff_t>(off),
                                            big.begin() + static_cast<std::ptrdiff_t>(off + len));
            REQUIRE(signer.sign(tradewire::const_bytes(big).subspan(off, len)) == signer.sign(exact));
        }
    }
}

TEST_CASE("hmac signer and incremental hmac wipe their key states on destruction") {
    // Build in raw storage, destroy explicitly, then look at the storage: no byte of the
    // precomputed key states may survive.
    alignas(cr::hmac_sha512_signer) unsigned char storage[sizeof(cr::hmac_sha512_signer)];
    auto* s = new (storage) cr::hmac_sha512_signer(std::string_view("a key that must not linger in memory"));
    CHECK(s->sign("x") == cr::hmac_sha512("a key that must not linger in memory", "x"));
    bool any_set = false;
    for (unsigned char b : storage) any_set = any_set || b != 0;
    CHECK(any_set);
    s->~hmac_signer();
    for (unsigned char b : storage) REQUIRE(b == 0);

    alignas(cr::hmac<cr::sha256>) unsigned char storage2[sizeof(cr::hmac<cr::sha256>)];
    auto* h = new (storage2) cr::hmac<cr::sha256>(std::string_view("another key"));
    h->update(std::string_view("partial message"));
    h->~hmac();
    for (unsigned char b : storage2) REQUIRE(b == 0);
}
