// The error-category helper every layer builds its codes on.
#include "catch.hpp"

#include <tradewire/core/error.hpp>

namespace {
enum class sample_error { first = 1, second = 2 };
struct sample_traits {
    static constexpr const char* name = "tradewire.sample";
    static const char* message(sample_error e) noexcept {
        switch (e) {
            case sample_error::first: return "first failure";
            case sample_error::second: return "second failure";
        }
        return "unknown sample error";
    }
};
std::error_code make_error_code(sample_error e) noexcept {
    return {static_cast<int>(e), tradewire::detail::enum_category<sample_error, sample_traits>()};
}
}  // namespace

TEST_CASE("enum categories name their layer and describe each value") {
    const std::error_code ec = make_error_code(sample_error::second);
    CHECK(std::string(ec.category().name()) == "tradewire.sample");
    CHECK(ec.message() == "second failure");
    CHECK(ec.value() == 2);
    CHECK(make_error_code(sample_error::first) != ec);
    CHECK(&make_error_code(sample_error::first).category() == &ec.category());
}
