// Building blocks for tradewire's error codes. Every layer reports failures as
// std::error_code values (no exceptions on the hot path); each layer owns an
// `enum class error` and a category built from the template below, so codes from
// different layers never collide and print as "tradewire.<layer>: <message>".
#pragma once

#include <string>
#include <system_error>

namespace tradewire::detail {

// Traits must provide `static constexpr const char* name` and
// `static const char* message(Enum) noexcept`.
template <class Enum, class Traits>
class enum_error_category final : public std::error_category {
public:
    const char* name() const noexcept override { return Traits::name; }
    std::string message(int value) const override { return Traits::message(static_cast<Enum>(value)); }
};

template <class Enum, class Traits>
const std::error_category& enum_category() noexcept {
    // A function-local static is constructed once, thread-safely, and compared by address.
    static const enum_error_category<Enum, Traits> instance;
    return instance;
}

}  // namespace tradewire::detail
