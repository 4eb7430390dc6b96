// Roles: the concept, masking directions, and the client's fresh key per frame.
#include "catch.hpp"

#include <tradewire/ws/role.hpp>

#include <cstdint>
#include <set>

namespace {

struct fixed32 {
    std::uint32_t next() noexcept { return 0x12345678; }
};
struct fixed64 {
    std::uint64_t next() noexcept { return 0xAABBCCDD11223344ull; }
};
struct both_ways {
    static constexpr bool receives_masked = true;
    static constexpr bool sends_masked = true;
    std::uint32_t next_mask_key() { return 1; }
};
struct masking_without_keys {
    static constexpr bool receives_masked = false;
    static constexpr bool sends_masked = true;
};
struct not_a_role {};

}  // namespace

TEST_CASE("client_role and server_role model the role concept, malformed roles do not") {
    CHECK(tradewire::ws::role<tradewire::ws::client_role>);
    CHECK(tradewire::ws::role<tradewire::ws::server_role>);
    CHECK(tradewire::ws::role<tradewire::ws::basic_client_role<fixed32>>);
    CHECK_FALSE(tradewire::ws::role<both_ways>);             // masking must go one way
    CHECK_FALSE(tradewire::ws::role<masking_without_keys>);  // a masking role needs keys
    CHECK_FALSE(tradewire::ws::role<not_a_role>);
}

TEST_CASE("the client masks what it sends and expects unmasked frames, the server the reverse") {
    CHECK(tradewire::ws::client_role::sends_masked);
    CHECK_FALSE(tradewire::ws::client_role::receives_masked);
    CHECK_FALSE(tradewire::ws::server_role::sends_masked);
    CHECK(tradewire::ws::server_role::receives_masked);
}

TEST_CASE("the client draws a fresh key per frame from its random source") {
    tradewire::ws::client_role client;
    std::set<std::uint32_t> keys;
    for (int i = 0; i < 1000; ++i) keys.insert(client.next_mask_key());
    CHECK(keys.size() >= 999);  // a repeat among 1000 draws of 32 bits is ~1e-4 likely

    tradewire::ws::basic_client_role<fixed32> c32;
    CHECK(c32.next_mask_key() == 0x12345678u);
    tradewire::ws::basic_client_role<fixed64> c64;
    CHECK(c64.next_mask_key() == 0xAABBCCDDu);  // the high half of a 64-bit word

    // Seeded sources make key sequences reproducible.
    tradewire::ws::client_role a(tradewire::xoshiro256ss(5)), b(tradewire::xoshiro256ss(5));
    for (int i = 0; i < 10; ++i) CHECK(a.next_mask_key() == b.next_mask_key());
}
