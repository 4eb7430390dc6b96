// SHA-256: FIPS 180 examples, block-boundary splitting, the resume constructor, and the
// SHA-NI compression checked against the portable one on random inputs.
#include "catch.hpp"
#include "test_support.hpp"

#include <tradewire/crypto/sha256.hpp>

#include <fstream>
#include <string>

using tradewire::const_bytes;
using tradewire::crypto::sha256;
using tw_test::to_hex;

namespace {
const char* const msg448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const char* const msg896 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrst"
    "nopqrstu";

// A full hash through a chosen compression function, to compare the two paths.
template <class Compress>
sha256::digest_type hash_with(const_bytes msg, Compress compress) {
    sha256::state_type st = sha256::initial_state;
    tradewire::crypto::detail::block_buffer<64, 8> buf;
    auto c = [&](const std::uint8_t* p, std::size_t n) { compress(st.data(), p, n); };
    buf.update(msg.data(), msg.size(), c);
    buf.finish(c);
    sha256::digest_type d;
    sha256::store(st, d.data());
    return d;
}
}  // namespace

TEST_CASE("sha256 FIPS 180 examples") {
    CHECK(to_hex(sha256::hash(std::string_view("abc"))) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(to_hex(sha256::hash(std::string_view(""))) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(to_hex(sha256::hash(std::string_view(msg448))) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(to_hex(sha256::hash(std::string_view(msg896))) ==
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST_CASE("sha256 one million 'a'") {
    const std::string chunk(1000, 'a');
    sha256 h;
    for (int i = 0; i < 1000; ++i) h.update(chunk);
    CHECK(to_hex(h.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // The same in one call (exercises the multi-block path of compress()).
    const std::string all(1000000, 'a');
    CHECK(to_hex(sha256::hash(all)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 split at every offset equals one-shot") {
    tw_test::rng r{0x256};
    for (std::size_t len : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 127u, 128u, 129u, 200u, 300u}) {
        const auto msg = r.bytes(len);
        const auto expect = sha256::hash(msg);
        for (std::size_t cut = 0; cut <= len; ++cut) {
            sha256 h;
            h.update(const_bytes(msg).first(cut));
            h.update(const_bytes(msg).subspan(cut));
            INFO("len " << len << " cut " << cut);
            REQUIRE(h.finish() == expect);
        }
        // Three pieces, byte by byte in the middle.
        sha256 h;
        for (std::size_t i = 0; i < len; ++i) h.update(const_bytes(msg).subspan(i, 1));
        REQUIRE(h.finish() == expect);
    }
}

TEST_CASE("sha256 resumes from a chaining state") {
    tw_test::rng r{7};
    const auto msg = r.bytes(64 * 3 + 17);
    sha256::state_type st = sha256::initial_state;
    sha256::compress(st, msg.data(), 2);
    sha256 h(st, 128);
    h.update(const_bytes(msg).subspan(128));
    CHECK(h.finish() == sha256::hash(msg));
}

TEST_CASE("sha256 SHA-NI and portable paths agree") {
#if defined(TRADEWIRE_CRYPTO_X86)
    if (!tradewire::crypto::detail::cpu_has_sha_ni()) {
        WARN("CPU has no SHA-NI; only the portable path is tested");
        return;
    }
    CHECK(sha256::accelerated());
    tw_test::rng r{0xabcdef};
    for (int i = 0; i < 300; ++i) {
        const std::size_t len = static_cast<std::size_t>(r.next() % 1001);
        const auto msg = r.bytes(len);
        INFO("len " << len);
        REQUIRE(hash_with(msg, tradewire::crypto::detail::sha256_compress_shani) ==
                hash_with(msg, tradewire::crypto::detail::sha256_compress_portable));
    }
    for (std::size_t len = 0; len <= 1000; len += 1) {
        const auto msg = r.bytes(len);
        REQUIRE(hash_with(msg, tradewire::crypto::detail::sha256_compress_shani) ==
                hash_with(msg, tradewire::crypto::detail::sha256_compress_portable));
    }
    CHECK(
        to_hex(hash_with(tradewire::as_bytes("abc"), tradewire::crypto::detail::sha256_compress_portable)) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
#else
    WARN("not an x86 build; only the portable path exists");
#endif
}

TEST_CASE("sha256 run-time detection agrees with /proc/cpuinfo") {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    bool listed = false, found_flags = false;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("flags", 0) == 0) {
            found_flags = true;
            listed = (line + " ").find(" sha_ni ") != std::string::npos;
            break;
        }
    }
    if (!found_flags) {
        WARN("no /proc/cpuinfo flags line; nothing to compare");
        return;
    }
#if defined(TRADEWIRE_CRYPTO_X86)
    CHECK(tradewire::crypto::detail::detect_x86_sha_ni() == listed);
    CHECK(sha256::accelerated() == listed);
#else
    CHECK_FALSE(sha256::accelerated());
#endif
}
