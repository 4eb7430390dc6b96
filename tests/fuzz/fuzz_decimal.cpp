// Fuzz target for tradewire::decimal. Any input: the parsers never crash and report a
// position inside the input. A parsed value formats and parses back to an equal value.
// With "a|b" the two values go through every arithmetic, rounding and formatting
// function; results must keep the invariants (|mantissa| <= 10^18 - 1, exponent in
// [-64, 64]) and agree with each other. Built with -fsanitize=fuzzer,address,undefined,
// so any undefined behaviour in the arithmetic is a crash too.
#include <tradewire/core/decimal.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string_view>

using tradewire::decimal;
using tradewire::rounding;

namespace {

void require(bool ok) {
    if (!ok) std::abort();
}

void check_invariants(decimal d) {
    require(d.mantissa() >= -decimal::max_mantissa && d.mantissa() <= decimal::max_mantissa);
    require(d.exponent() >= decimal::min_exponent && d.exponent() <= decimal::max_exponent);
}

void check_result(const tradewire::decimal_result& r) {
    if (r) check_invariants(r.value);
}

decimal reparse(const char* text, std::size_t n) {
    const auto r = decimal::parse(std::string_view(text, n));
    require(static_cast<bool>(r));
    require(r.position == n);
    return r.value;
}

void round_trip(decimal x) {
    check_invariants(x);
    char buf[decimal::max_fixed_chars];
    std::size_t n = x.format(buf, sizeof buf);
    require(n != 0 && n == x.format_size() && n <= decimal::max_chars);
    require(reparse(buf, n) == x);
    n = x.format_scaled(buf, sizeof buf);
    require(n != 0 && n == x.format_scaled_size());
    const decimal scaled = reparse(buf, n);
    require(scaled == x);
    if (x.exponent() <= 0) require(scaled.same_representation(x));
    for (int d : {0, 2, 8, 18, 64}) {
        n = x.format_fixed(buf, sizeof buf, d, rounding::half_even);
        require(n != 0 && n == x.format_fixed_size(d) && n <= decimal::max_fixed_chars);
        require(reparse(buf, n) == tradewire::round(x, d, rounding::half_even).value);
    }
    require(std::hash<decimal>{}(x) == std::hash<decimal>{}(x.normalized()));
    require(x.normalized() == x);
    const double v = x.to_double();
    require(v == v);
    (void)x.to_units(8);
}

void arithmetic(decimal a, decimal b, unsigned selector) {
    const auto mode = static_cast<rounding>(selector % 6);
    const int decimals = static_cast<int>(selector % 23) - 3;

    const auto c = a <=> b;
    const auto c2 = b <=> a;
    require((c < 0) == (c2 > 0) && (c == 0) == (c2 == 0) && (c == 0) == (a == b));
    if (a == b) require(std::hash<decimal>{}(a) == std::hash<decimal>{}(b));

    const auto sum = checked_add(a, b);
    check_result(sum);
    const decimal op_sum = a + b;
    check_invariants(op_sum);
    if (sum) {
        require(op_sum.same_representation(sum.value));
        const auto back = checked_sub(sum.value, b);
        if (back) require(back.value == a);
    }
    const auto diff = checked_sub(a, b);
    check_result(diff);
    check_invariants(a - b);
    if (diff) require((a - b).same_representation(diff.value));

    const auto prod = checked_mul(a, b);
    check_result(prod);
    const decimal op_prod = a * b;
    check_invariants(op_prod);
    if (prod) require(op_prod.same_representation(prod.value));

    for (int d : {decimals, 0, 8, -64, 64}) {
        check_result(tradewire::round(a, d, mode));
        check_result(multiply(a, b, d, mode));
        const auto q = divide(a, b, d, mode);
        check_result(q);
        require(b.is_zero() ? q.ec == tradewire::decimal_error::division_by_zero : true);
    }
    const auto floor = tradewire::round(a, decimals, rounding::floor);
    const auto ceil = tradewire::round(a, decimals, rounding::ceiling);
    require(static_cast<bool>(floor) && static_cast<bool>(ceil));
    require(floor.value <= a && a <= ceil.value);

    const decimal inc = tradewire::abs(b);
    const auto r = round_to_increment(a, inc, mode);
    check_result(r);
    if (inc.is_zero()) require(r.ec == tradewire::decimal_error::invalid_increment);
    const auto down = round_to_increment(a, inc, rounding::floor);
    if (down) require(down.value <= a);
    const auto up = round_to_increment(a, inc, rounding::ceiling);
    if (up) require(a <= up.value);

    char slot[24];
    for (auto fill : {tradewire::slot_fill::trailing_zeros, tradewire::slot_fill::trailing_spaces,
                      tradewire::slot_fill::leading_spaces, tradewire::slot_fill::leading_zeros})
        (void)a.format_slot(slot, sizeof slot, decimals < 0 ? 0 : decimals, mode, fill);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const auto strict = decimal::parse(text);
    require(strict.position <= size);
    if (strict) round_trip(strict.value);
    const auto rounded = decimal::parse(text, {.round_excess_digits = true});
    require(rounded.position <= size);
    if (rounded) round_trip(rounded.value);
    if (strict) require(static_cast<bool>(rounded) && rounded.value.same_representation(strict.value));
    const auto plain = decimal::parse(text, {.plain_only = true});
    if (plain) {
        require(static_cast<bool>(strict) && plain.value.same_representation(strict.value));
        char buf[decimal::max_chars];
        const std::size_t n = plain.value.format_scaled(buf, sizeof buf);
        // Plain text is written back byte for byte, except that a negative zero loses its
        // sign and zeros beyond 18 digits are dropped: both only ever shorten it.
        require(n == size ? std::string_view(buf, n) == text : n < size);
    }
    const auto prefix = decimal::from_chars(text.data(), text.data() + size);
    require(prefix.position <= size);
    if (prefix) {
        round_trip(prefix.value);
        require(reparse(text.data(), prefix.position).same_representation(prefix.value));
    }

    const std::size_t bar = text.find('|');
    if (bar == std::string_view::npos) return 0;
    const auto a = decimal::parse(text.substr(0, bar), {.round_excess_digits = true});
    const auto b = decimal::parse(text.substr(bar + 1), {.round_excess_digits = true});
    if (!a || !b) return 0;
    unsigned selector = 0;
    for (std::uint8_t byte : text) selector = selector * 31 + byte;
    arithmetic(a.value, b.value, selector);
    arithmetic(b.value, a.value, selector / 7);
    return 0;
}
