// Fuzzes the strict base64 decoder (and the hex decoder, its sibling): decoding arbitrary
// text never crashes or writes past the advertised bound; whatever decodes re-encodes to
// the same text (modulo optional padding); and encode -> decode is the identity.
#include <tradewire/crypto/base64.hpp>
#include <tradewire/crypto/hex.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace cr = tradewire::crypto;

namespace {
void check(bool ok) {
    if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    // Decode into a buffer of exactly the advertised size, so ASan catches any overrun.
    {
        std::vector<std::uint8_t> out(cr::base64_decoded_max_size(size));
        std::error_code ec;
        const std::size_t n = cr::base64_decode(text, out.data(), ec);
        if (!ec) {
            check(n <= out.size());
            std::string again(cr::base64_encoded_size(n), '\0');
            cr::base64_encode(tradewire::const_bytes(out.data(), n), again.data());
            // Canonical text: the input, padded if it was not.
            std::string padded(text);
            while (padded.size() % 4 != 0) padded += '=';
            check(again == padded);
            // The bounds-checked form agrees and rejects a buffer one byte short.
            std::vector<std::uint8_t> exact(n);
            check(cr::base64_decode(text, tradewire::mutable_bytes(exact), ec) == n && !ec);
            check(n == 0 || std::memcmp(exact.data(), out.data(), n) == 0);
            if (n != 0) {
                std::vector<std::uint8_t> short_buf(n - 1);
                check(cr::base64_decode(text, tradewire::mutable_bytes(short_buf), ec) == 0 &&
                      ec == cr::error::buffer_too_small);
            }
        } else {
            check(n == 0);
        }
    }

    // Encode the raw bytes and decode them back.
    {
        const std::string enc = cr::base64_encode(tradewire::const_bytes(data, size));
        check(enc.size() == cr::base64_encoded_size(size));
        std::error_code ec;
        const std::vector<std::uint8_t> dec = cr::base64_decode(enc, ec);
        check(!ec && dec.size() == size && (size == 0 || std::memcmp(dec.data(), data, size) == 0));
    }

    // Hex: the same properties.
    {
        std::vector<std::uint8_t> out(cr::hex_decoded_size(size));
        std::error_code ec;
        const std::size_t n = cr::hex_decode(text, out.data(), ec);
        if (!ec) {
            check(n * 2 == size);
            std::string lower = cr::hex_encode(tradewire::const_bytes(out.data(), n));
            std::string folded(text);
            for (char& c : folded) {
                if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
            }
            check(lower == folded);
        } else {
            check(n == 0);
        }
    }
    return 0;
}
