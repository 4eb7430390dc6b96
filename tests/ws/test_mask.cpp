// Payload masking: every kernel against a byte-by-byte reference, at every alignment,
// length and starting offset, plus split payloads and the RFC 6455 §5.7 example.
#include "catch.hpp"

#include <tradewire/ws/mask.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

using tradewire::mutable_bytes;

namespace {

std::vector<std::uint8_t> pattern_bytes(std::size_t n, std::uint32_t seed) {
    std::vector<std::uint8_t> v(n);
    std::uint32_t x = seed | 1;
    for (auto& byte : v) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        byte = static_cast<std::uint8_t>(x);
    }
    return v;
}

// RFC 6455 §5.3: transformed-octet-i = original-octet-i XOR masking-key-octet-(j MOD 4).
void reference_mask(std::uint8_t* p, std::size_t n, std::uint32_t key, std::uint64_t offset) {
    const std::uint8_t k[4] = {static_cast<std::uint8_t>(key >> 24), static_cast<std::uint8_t>(key >> 16),
                               static_cast<std::uint8_t>(key >> 8), static_cast<std::uint8_t>(key)};
    for (std::size_t i = 0; i < n; ++i) p[i] ^= k[(offset + i) % 4];
}

using kernel = std::function<void(std::uint8_t*, std::size_t, std::uint32_t)>;

struct named_kernel {
    std::string name;
    kernel run;
};

std::vector<named_kernel> kernels() {
    namespace d = tradewire::ws::detail;
    std::vector<named_kernel> out;
    out.push_back({"bytes", d::mask_bytes});
    out.push_back({"words", d::mask_words});
    out.push_back({"dispatch", d::mask_dispatch});
#if defined(TRADEWIRE_WS_MASK_X86)
    out.push_back({"sse2", d::mask_sse2});
    if (d::cpu_has_avx2()) out.push_back({"avx2", d::mask_avx2});
#endif
    return out;
}

}  // namespace

TEST_CASE("RFC 6455 5.7: masking Hello with 37 fa 21 3d") {
    std::vector<std::uint8_t> data{'H', 'e', 'l', 'l', 'o'};
    tradewire::ws::apply_mask(data, 0x37fa213d);
    CHECK(data == std::vector<std::uint8_t>{0x7f, 0x9f, 0x4d, 0x51, 0x58});
    tradewire::ws::apply_mask(data, 0x37fa213d);  // unmasking is the same operation
    CHECK(data == std::vector<std::uint8_t>{'H', 'e', 'l', 'l', 'o'});
}

TEST_CASE("every mask kernel matches the reference at every alignment, length and offset") {
    const std::uint32_t key = 0x9A3C5EF1;
    const auto source = pattern_bytes(600, 7);
    for (const auto& k : kernels()) {
        INFO("kernel " << k.name);
        for (std::size_t align = 0; align < 32; ++align) {
            for (std::size_t n = 0; n <= 300; n += (n < 140 ? 1 : 7)) {
                for (std::uint64_t offset = 0; offset < 4; ++offset) {
                    // Guard bytes on both sides catch writes outside the span.
                    std::vector<std::uint8_t> got(align + n + 64, 0xEE), want(align + n + 64, 0xEE);
                    std::copy(source.begin(), source.begin() + static_cast<std::ptrdiff_t>(n), got.begin() + static_cast<std::ptrdiff_t>(align));
                    std::copy(source.begin(), source.begin() + static_cast<std::ptrdiff_t>(n), want.begin() + static_cast<std::ptrdiff_t>(align));
                    reference_mask(want.data() + align, n, key, offset);
                    k.run(got.data() + align, n, tradewire::ws::detail::mask_pattern(key, offset));
                    if (got != want) {
                        CAPTURE(align, n, offset);
                        CHECK(got == want);
                    }
                }
            }
        }
    }
}

TEST_CASE("a payload unmasked in pieces equals the payload unmasked at once") {
    const std::uint32_t key = 0x01020304;
    const auto source = pattern_bytes(1000, 3);
    std::vector<std::uint8_t> whole = source;
    tradewire::ws::apply_mask(whole, key);
    for (std::size_t split = 0; split <= source.size(); split += 1 + split / 16) {
        for (std::size_t split2 = split; split2 <= source.size(); split2 += 97) {
            CAPTURE(split, split2);
            std::vector<std::uint8_t> pieces = source;
            mutable_bytes all(pieces);
            tradewire::ws::apply_mask(all.subspan(0, split), key, 0);
            tradewire::ws::apply_mask(all.subspan(split, split2 - split), key, split);
            tradewire::ws::apply_mask(all.subspan(split2), key, split2);
            REQUIRE(pieces == whole);
        }
    }
}

TEST_CASE("large buffers mask correctly and masking twice restores them") {
    for (std::size_t n : {std::size_t{65536}, std::size_t{65536 + 13}, std::size_t{1} << 20}) {
        CAPTURE(n);
        const auto source = pattern_bytes(n + 1, 11);
        std::vector<std::uint8_t> got(source.begin() + 1, source.end());  // odd start offset in the source
        std::vector<std::uint8_t> want = got;
        reference_mask(want.data(), want.size(), 0xDEADBEEF, 5);
        tradewire::ws::apply_mask(got, 0xDEADBEEF, 5);
        CHECK(got == want);
        tradewire::ws::apply_mask(got, 0xDEADBEEF, 5);
        CHECK(std::equal(got.begin(), got.end(), source.begin() + 1));
    }
}

TEST_CASE("offsets beyond 32 bits keep the phase") {
    std::vector<std::uint8_t> a(50, 0), b(50, 0);
    tradewire::ws::apply_mask(a, 0x11223344, (std::uint64_t{1} << 40) + 2);
    tradewire::ws::apply_mask(b, 0x11223344, 2);
    CHECK(a == b);
    CHECK(a[0] == 0x33);
    CHECK(a[1] == 0x44);
    CHECK(a[2] == 0x11);
}

TEST_CASE("an empty span is left alone") {
    tradewire::ws::apply_mask({}, 0xFFFFFFFF, 3);
    CHECK(true);
}
