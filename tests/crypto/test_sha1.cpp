// SHA-1 known answers (FIPS 180 examples), incremental splitting, and the RFC 6455 accept value.
#include "catch.hpp"
#include "test_support.hpp"

#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/sha1.hpp>

#include <string>

using tradewire::crypto::sha1;
using tw_test::to_hex;

TEST_CASE("sha1 FIPS 180 examples") {
    CHECK(to_hex(sha1::hash(std::string_view("abc"))) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(to_hex(sha1::hash(std::string_view(""))) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK(to_hex(sha1::hash(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
          "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    CHECK(to_hex(sha1::hash(std::string_view("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmn"
                                             "oijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))) ==
          "a49b2446a02c645bf419f995b67091253a04a259");
}

TEST_CASE("sha1 one million 'a'") {
    const std::string chunk(1000, 'a');
    sha1 h;
    for (int i = 0; i < 1000; ++i) h.update(chunk);
    CHECK(to_hex(h.finish()) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_CASE("sha1 split at every offset equals one-shot") {
    tw_test::rng r{0x5eed1};
    for (std::size_t len : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 128u, 200u}) {
        const auto msg = r.bytes(len);
        const auto expect = sha1::hash(msg);
        for (std::size_t cut = 0; cut <= len; ++cut) {
            sha1 h;
            h.update(tradewire::const_bytes(msg).first(cut));
            h.update(tradewire::const_bytes(msg).subspan(cut));
            INFO("len " << len << " cut " << cut);
            REQUIRE(h.finish() == expect);
        }
    }
}

TEST_CASE("sha1 finish resets for reuse") {
    sha1 h;
    h.update(std::string_view("garbage"));
    (void)h.finish();
    h.update(std::string_view("abc"));
    CHECK(to_hex(h.finish()) == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST_CASE("sha1 + base64 give the RFC 6455 accept value") {
    const auto d =
        sha1::hash(std::string_view("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    CHECK(tradewire::crypto::base64_encode(d) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}
