// tradewire::decimal against the standard library's double conversions on the numbers
// venues actually send: parse (decimal::parse vs std::strtod vs std::from_chars),
// format (decimal::format / format_fixed vs std::to_chars vs snprintf("%.8f")),
// compare, add, multiply, tick rounding and to_double. Argument 0..2 selects the
// text: "16578.50" (Bybit price), "0.00100000" (Binance quantity), "25.35190000"
// (Binance bookTicker); the parse cases also take 3, "645.140000000000000000" (HTX
// market-by-price levels: 18 decimals, 21 digits, zeros dropped exactly).
#include <tradewire/core/decimal.hpp>

#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using tradewire::decimal;

constexpr std::string_view texts[] = {"16578.50", "0.00100000", "25.35190000", "645.140000000000000000"};

std::string_view text_of(const benchmark::State& state) { return texts[state.range(0)]; }

decimal decimal_of(const benchmark::State& state) { return decimal::parse(text_of(state)).value; }

double double_of(const benchmark::State& state) { return std::strtod(text_of(state).data(), nullptr); }

// ---- parse

void parse_decimal(benchmark::State& state) {
    const std::string_view text = text_of(state);
    for (auto _ : state) {
        std::string_view t = text;
        benchmark::DoNotOptimize(t);
        auto r = decimal::parse(t);
        benchmark::DoNotOptimize(r);
    }
    state.SetLabel(std::string(text));
}

void parse_strtod(benchmark::State& state) {
    const char* text = text_of(state).data();  // the literals are NUL-terminated
    for (auto _ : state) {
        const char* t = text;
        benchmark::DoNotOptimize(t);
        double v = std::strtod(t, nullptr);
        benchmark::DoNotOptimize(v);
    }
    state.SetLabel(std::string(text_of(state)));
}

void parse_from_chars_double(benchmark::State& state) {
    const std::string_view text = text_of(state);
    for (auto _ : state) {
        std::string_view t = text;
        benchmark::DoNotOptimize(t);
        double v = 0;
        auto r = std::from_chars(t.data(), t.data() + t.size(), v);
        benchmark::DoNotOptimize(r);
        benchmark::DoNotOptimize(v);
    }
    state.SetLabel(std::string(text));
}

// ---- format

void format_decimal_shortest(benchmark::State& state) {
    const decimal d = decimal_of(state);
    char buf[decimal::max_chars];
    for (auto _ : state) {
        decimal x = d;
        benchmark::DoNotOptimize(x);
        std::size_t n = x.format(buf, sizeof buf);
        benchmark::DoNotOptimize(n);
        benchmark::ClobberMemory();
    }
    state.SetLabel(d.to_string());
}

void format_decimal_scaled(benchmark::State& state) {
    const decimal d = decimal_of(state);
    char buf[decimal::max_chars];
    for (auto _ : state) {
        decimal x = d;
        benchmark::DoNotOptimize(x);
        std::size_t n = x.format_scaled(buf, sizeof buf);
        benchmark::DoNotOptimize(n);
        benchmark::ClobberMemory();
    }
    state.SetLabel(std::string(text_of(state)));
}

void format_decimal_fixed8(benchmark::State& state) {
    const decimal d = decimal_of(state);
    char buf[decimal::max_fixed_chars];
    for (auto _ : state) {
        decimal x = d;
        benchmark::DoNotOptimize(x);
        std::size_t n = x.format_fixed(buf, sizeof buf, 8);
        benchmark::DoNotOptimize(n);
        benchmark::ClobberMemory();
    }
    state.SetLabel(d.to_string_fixed(8));
}

void format_to_chars_double(benchmark::State& state) {
    const double d = double_of(state);
    char buf[64];
    for (auto _ : state) {
        double x = d;
        benchmark::DoNotOptimize(x);
        auto r = std::to_chars(buf, buf + sizeof buf, x);
        benchmark::DoNotOptimize(r);
        benchmark::ClobberMemory();
    }
}

void format_snprintf_8f(benchmark::State& state) {
    const double d = double_of(state);
    char buf[64];
    for (auto _ : state) {
        double x = d;
        benchmark::DoNotOptimize(x);
        int n = std::snprintf(buf, sizeof buf, "%.8f", x);
        benchmark::DoNotOptimize(n);
        benchmark::ClobberMemory();
    }
}

// ---- compare, add, multiply

// Order books compare prices of one venue (same exponent) and of different venues or
// precisions (different exponents).
void compare_decimal_same_exponent(benchmark::State& state) {
    decimal a = decimal::parse("16578.50").value;
    decimal b = decimal::parse("16578.49").value;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a);
        benchmark::DoNotOptimize(b);
        bool r = a < b;
        benchmark::DoNotOptimize(r);
    }
}

void compare_decimal_other_exponent(benchmark::State& state) {
    decimal a = decimal::parse("16578.5").value;
    decimal b = decimal::parse("16578.49000000").value;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a);
        benchmark::DoNotOptimize(b);
        bool r = a < b;
        benchmark::DoNotOptimize(r);
    }
}

void compare_double(benchmark::State& state) {
    double a = 16578.5;
    double b = 16578.49;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a);
        benchmark::DoNotOptimize(b);
        bool r = a < b;
        benchmark::DoNotOptimize(r);
    }
}

void add_decimal_same_exponent(benchmark::State& state) {
    decimal a = decimal::parse("0.00100000").value;
    decimal b = decimal::parse("31.21000000").value;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a);
        benchmark::DoNotOptimize(b);
        decimal r = a + b;
        benchmark::DoNotOptimize(r);
    }
}

void add_decimal_other_exponent(benchmark::State& state) {
    decimal a = decimal::parse("16578.5").value;
    decimal b = decimal::parse("0.01").value;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a);
        benchmark::DoNotOptimize(b);
        decimal r = a + b;
        benchmark::DoNotOptimize(r);
    }
}

void add_double(benchmark::State& state) {
    double a = 16578.5;
    double b = 0.01;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a);
        benchmark::DoNotOptimize(b);
        double r = a + b;
        benchmark::DoNotOptimize(r);
    }
}

void multiply_decimal(benchmark::State& state) {
    decimal a = decimal::parse("25.35190000").value;
    decimal b = decimal::parse("31.21000000").value;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a);
        benchmark::DoNotOptimize(b);
        decimal r = a * b;
        benchmark::DoNotOptimize(r);
    }
}

void multiply_decimal_rounded(benchmark::State& state) {
    decimal a = decimal::parse("25.35190000").value;
    decimal b = decimal::parse("31.21000000").value;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a);
        benchmark::DoNotOptimize(b);
        auto r = multiply(a, b, 8, tradewire::rounding::half_even);
        benchmark::DoNotOptimize(r);
    }
}

void round_to_tick_decimal(benchmark::State& state) {
    decimal v = decimal::parse("16578.537").value;
    decimal tick = decimal::parse("0.01").value;
    for (auto _ : state) {
        benchmark::DoNotOptimize(v);
        benchmark::DoNotOptimize(tick);
        auto r = round_to_increment(v, tick, tradewire::rounding::floor);
        benchmark::DoNotOptimize(r);
    }
}

void to_double_decimal(benchmark::State& state) {
    const decimal d = decimal_of(state);
    for (auto _ : state) {
        decimal x = d;
        benchmark::DoNotOptimize(x);
        double v = x.to_double();
        benchmark::DoNotOptimize(v);
    }
    state.SetLabel(std::string(text_of(state)));
}

}  // namespace

BENCHMARK(parse_decimal)->DenseRange(0, 3);
BENCHMARK(parse_strtod)->DenseRange(0, 3);
BENCHMARK(parse_from_chars_double)->DenseRange(0, 3);
BENCHMARK(format_decimal_shortest)->DenseRange(0, 2);
BENCHMARK(format_decimal_scaled)->DenseRange(0, 2);
BENCHMARK(format_decimal_fixed8)->DenseRange(0, 2);
BENCHMARK(format_to_chars_double)->DenseRange(0, 2);
BENCHMARK(format_snprintf_8f)->DenseRange(0, 2);
BENCHMARK(compare_decimal_same_exponent);
BENCHMARK(compare_decimal_other_exponent);
BENCHMARK(compare_double);
BENCHMARK(add_decimal_same_exponent);
BENCHMARK(add_decimal_other_exponent);
BENCHMARK(add_double);
BENCHMARK(multiply_decimal);
BENCHMARK(multiply_decimal_rounded);
BENCHMARK(round_to_tick_decimal);
BENCHMARK(to_double_decimal)->DenseRange(0, 2);

BENCHMARK_MAIN();
