// Zero-copy conversions between text and byte views.
#include "catch.hpp"

#include <tradewire/core/bytes.hpp>

TEST_CASE("as_bytes and as_text view the same memory") {
    const std::string_view text = "hello\xff";
    const tradewire::const_bytes bytes = tradewire::as_bytes(text);
    REQUIRE(bytes.size() == text.size());
    CHECK(static_cast<const void*>(bytes.data()) == static_cast<const void*>(text.data()));
    CHECK(bytes[5] == 0xff);
    CHECK(tradewire::as_text(bytes) == text);
}
