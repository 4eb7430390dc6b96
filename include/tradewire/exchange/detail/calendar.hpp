// Civil-calendar arithmetic for candle boundaries of variable length (months): the
// days-from-civil algorithm for the proleptic Gregorian calendar, in int64 days.
#pragma once

#include <cstdint>

namespace tradewire::exchange::detail {

// Days since 1970-01-01 of y-m-d (m 1..12, d 1..31).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil_date {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

constexpr civil_date civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2 ? 1 : 0), m, d};
}

// The start of the month `months` after the month containing `ms` (a Unix time in ms),
// with the calendar shifted by `offset_ms` (e.g. +8 h for candles aligned to UTC+8).
constexpr std::int64_t add_months_ms(std::int64_t ms, unsigned months, std::int64_t offset_ms) noexcept {
    constexpr std::int64_t day_ms = 86'400'000;
    const std::int64_t local = ms + offset_ms;
    std::int64_t days = local / day_ms;
    if (local % day_ms < 0) --days;
    const civil_date c = civil_from_days(days);
    const std::int64_t total = c.year * 12 + static_cast<std::int64_t>(c.month - 1) + months;
    std::int64_t y = total / 12;
    std::int64_t mi = total % 12;
    if (mi < 0) {
        mi += 12;
        --y;
    }
    return days_from_civil(y, static_cast<unsigned>(mi + 1), 1) * day_ms - offset_ms;
}

}  // namespace tradewire::exchange::detail
