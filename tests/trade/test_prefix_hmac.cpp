// The prefix-absorbing HMAC behind signed order templates: for every split of a message
// into a constant prefix and a changing tail (lengths across several block boundaries),
// sign() and sign_in_place() must equal the one-shot HMAC of the whole message, for
// SHA-256 and SHA-512, including keys longer than a block.
#include "catch.hpp"

#include <tradewire/crypto/hmac.hpp>
#include <tradewire/trade/detail/prefix_hmac.hpp>

#include <string>
#include <vector>

namespace cr = tradewire::crypto;
using tradewire::as_bytes;
using tradewire::const_bytes;

namespace {
template <class Hash>
void check_all_splits(const std::string& key) {
    std::string message;
    for (int i = 0; i < 300; ++i) message.push_back(static_cast<char>('a' + (i * 7) % 26));
    tradewire::trade::detail::prefix_hmac<Hash> mac;
    std::size_t failures = 0;
    for (std::size_t prefix = 0; prefix <= 2 * Hash::block_size + 3; prefix += 1) {
        const std::size_t carry = mac.init(as_bytes(key), as_bytes(std::string_view(message).substr(0, prefix)));
        REQUIRE(carry == prefix % Hash::block_size);
        for (std::size_t tail = 0; prefix + tail <= message.size(); tail += 3) {
            const std::string whole = message.substr(0, prefix + tail);
            const auto expected = cr::hmac_signer<Hash>(as_bytes(key)).sign(as_bytes(whole));
            // The message handed over starts with the carry.
            std::vector<std::uint8_t> buf(carry + tail + decltype(mac)::in_place_room, 0xEE);
            std::memcpy(buf.data(), whole.data() + prefix - carry, carry + tail);
            typename Hash::digest_type a{}, b{};
            mac.sign(buf.data(), carry + tail, a.data());
            mac.sign_in_place(buf.data(), carry + tail, b.data());
            if (a != expected || b != expected) ++failures;
            // sign_in_place leaves the message bytes alone.
            if (std::memcmp(buf.data(), whole.data() + prefix - carry, carry + tail) != 0) ++failures;
        }
    }
    CHECK(failures == 0);
}
}  // namespace

TEST_CASE("prefix_hmac<sha256> equals one-shot HMAC for every prefix/tail split") {
    check_all_splits<cr::sha256>("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j");
    check_all_splits<cr::sha256>(std::string(100, 'k'));  // longer than the block: hashed first
    check_all_splits<cr::sha256>("");
}

TEST_CASE("prefix_hmac<sha512> equals one-shot HMAC for every prefix/tail split") {
    check_all_splits<cr::sha512>("YOUR_API_SECRET");
    check_all_splits<cr::sha512>(std::string(200, 'k'));
}

TEST_CASE("prefix_hmac reproduces Binance B1 from its constant prefix") {
    const std::string prefix = "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=";
    const std::string rest =
        "52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT";
    tradewire::trade::detail::prefix_hmac<cr::sha256> mac;
    const std::size_t carry =
        mac.init(as_bytes(std::string_view("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")),
                 as_bytes(prefix));
    CHECK(carry == prefix.size() - 64);
    std::string tail = prefix.substr(64) + rest;
    tail.resize(tail.size() + 80);
    cr::sha256::digest_type d{};
    mac.sign_in_place(reinterpret_cast<std::uint8_t*>(tail.data()), prefix.size() - 64 + rest.size(), d.data());
    CHECK(cr::hex_encode(d) == "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24");
}
