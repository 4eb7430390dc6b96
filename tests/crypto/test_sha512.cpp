// SHA-512: FIPS 180 examples, block-boundary splitting and the resume constructor.
#include "catch.hpp"
#include "test_support.hpp"

#include <tradewire/crypto/sha512.hpp>

#include <string>

using tradewire::const_bytes;
using tradewire::crypto::sha512;
using tw_test::to_hex;

TEST_CASE("sha512 FIPS 180 examples") {
    CHECK(to_hex(sha512::hash(std::string_view("abc"))) ==
          "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
          "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    CHECK(to_hex(sha512::hash(std::string_view(""))) ==
          "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
          "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    CHECK(
        to_hex(sha512::hash(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
        "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
        "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
    CHECK(to_hex(sha512::hash(std::string_view("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijkl"
                                               "mnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))) ==
          "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
          "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

TEST_CASE("sha512 one million 'a'") {
    const std::string chunk(1000, 'a');
    sha512 h;
    for (int i = 0; i < 1000; ++i) h.update(chunk);
    CHECK(to_hex(h.finish()) ==
          "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
          "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

TEST_CASE("sha512 split at every offset equals one-shot") {
    tw_test::rng r{0x512};
    for (std::size_t len : {0u, 1u, 111u, 112u, 113u, 127u, 128u, 129u, 239u, 240u, 256u, 300u}) {
        const auto msg = r.bytes(len);
        const auto expect = sha512::hash(msg);
        for (std::size_t cut = 0; cut <= len; ++cut) {
            sha512 h;
            h.update(const_bytes(msg).first(cut));
            h.update(const_bytes(msg).subspan(cut));
            INFO("len " << len << " cut " << cut);
            REQUIRE(h.finish() == expect);
        }
    }
}

TEST_CASE("sha512 resumes from a chaining state") {
    tw_test::rng r{9};
    const auto msg = r.bytes(128 * 2 + 5);
    sha512::state_type st = sha512::initial_state;
    sha512::compress(st, msg.data(), 1);
    sha512 h(st, 128);
    h.update(const_bytes(msg).subspan(128));
    CHECK(h.finish() == sha512::hash(msg));
}
