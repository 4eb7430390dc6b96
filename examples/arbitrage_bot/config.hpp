// The arbitrage bot's configuration file: a strict JSON loader. Every key is optional
// (missing keys keep the defaults below); unknown keys, duplicate keys, wrong types and
// out-of-range values are errors naming the offending key ("limits.max_position",
// "venues[2]"), so a typo never silently runs the bot with a default.
//
//   {
//     "venues": ["binance", "okx", "bybit"],    2..8 distinct venue names
//     "symbols": ["BTC-USDT"],                  1..16 distinct canonical symbols
//     "threshold_bps": 2,                       edge beyond fees, 0..10000 bps
//     "taker_fee_bps": {"binance": 10},         per venue, 0..1000 bps (others: paper defaults)
//     "lot_size": "0.00001",                    > 0, base quantity increment
//     "staleness_ms": 500,                      0..3600000 (0: no staleness guard)
//     "cooldown_ms": 100,                       0..3600000
//     "limits": {
//       "max_position": "1",                    > 0, base, per venue and symbol
//       "max_order_notional": "100000",         > 0, quote, per order
//       "max_order_quantity": "0",              >= 0, base (0: none of its own)
//       "max_open_orders": 10,                  1..1000, per venue
//       "max_loss": "1000"                      > 0, quote: the kill switch trips at this loss
//     },
//     "duration_s": 30,                         1..86400
//     "seed": 1,                                simulator seed, 0..2^64-1
//     "live": false                             true: real feeds instead of the simulator
//   }
// Decimal values may be JSON numbers or strings ("0.1" keeps its exact text either way:
// the reader hands numbers over as text, never through double).
#pragma once

#include <tradewire/core/decimal.hpp>
#include <tradewire/core/json.hpp>
#include <tradewire/core/symbol.hpp>
#include <tradewire/market/venue.hpp>
#include <tradewire/trade/paper.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arbitrage_bot {

struct bot_limits {
    tradewire::decimal max_position = tradewire::decimal(1);
    tradewire::decimal max_order_notional = tradewire::decimal(100000);
    tradewire::decimal max_order_quantity;  // zero: none of its own
    std::uint32_t max_open_orders = 10;
    tradewire::decimal max_loss = tradewire::decimal(1000);
};

struct bot_config {
    std::vector<tradewire::market::venue> venues{tradewire::market::venue::binance, tradewire::market::venue::okx,
                                                 tradewire::market::venue::bybit};
    std::vector<tradewire::symbol> symbols;  // default: BTC-USDT (set by the constructor)
    tradewire::decimal threshold_bps = tradewire::decimal(2);
    std::array<tradewire::decimal, tradewire::market::venue_count> taker_fee_rate =
        tradewire::trade::default_taker_fee_rates();
    tradewire::decimal lot_size = tradewire::decimal::from_parts(1, -5).value;
    std::int64_t staleness_ms = 500;
    std::int64_t cooldown_ms = 100;
    bot_limits limits;
    std::int64_t duration_s = 30;
    std::uint64_t seed = 1;
    bool live = false;

    bot_config() {
        std::error_code ec;
        symbols.push_back(tradewire::symbol::parse("BTC-USDT", ec));
    }
};

struct config_error {
    std::string key;      // the offending key path; empty for a JSON syntax error
    std::string message;  // what is wrong with it

    std::string to_string() const { return key.empty() ? message : key + ": " + message; }
};

namespace detail {

class config_parser {
public:
    config_parser(std::string& text, bot_config& out, config_error& err) noexcept
        : json_(text.data(), text.size()), text_begin_(text.data()), out_(out), err_(err) {}

    bool run() {
        if (json_.peek() != tradewire::json_type::object) return syntax_or("", "the configuration must be a JSON object");
        json_.begin_object();
        std::vector<std::string> seen;
        std::string_view key;
        while (json_.next_key(key)) {
            const std::string k(key);
            if (!unique(seen, k, k)) return false;
            if (k == "venues") {
                if (!venues()) return false;
            } else if (k == "symbols") {
                if (!symbols()) return false;
            } else if (k == "threshold_bps") {
                if (!decimal_in(k, out_.threshold_bps, 0, 10000)) return false;
            } else if (k == "taker_fee_bps") {
                if (!fees()) return false;
            } else if (k == "lot_size") {
                if (!positive(k, out_.lot_size)) return false;
            } else if (k == "staleness_ms") {
                if (!integer_in(k, out_.staleness_ms, 0, 3'600'000)) return false;
            } else if (k == "cooldown_ms") {
                if (!integer_in(k, out_.cooldown_ms, 0, 3'600'000)) return false;
            } else if (k == "limits") {
                if (!limits()) return false;
            } else if (k == "duration_s") {
                if (!integer_in(k, out_.duration_s, 1, 86'400)) return false;
            } else if (k == "seed") {
                if (json_.peek() != tradewire::json_type::number) return type_error(k, "a non-negative integer");
                std::string_view t;
                if (!json_.read_number(t)) return syntax_or(k, "");
                if (!tradewire::parse_uint64(t, out_.seed)) return error(k, "must be an integer from 0 to 18446744073709551615");
            } else if (k == "live") {
                if (json_.peek() != tradewire::json_type::boolean) return type_error(k, "true or false");
                if (!json_.read_bool(out_.live)) return syntax_or(k, "");
            } else {
                return error(k, "unknown key");
            }
        }
        if (!json_.ok()) return syntax_or("", "");
        if (!json_.finish()) return syntax_or("", "");
        return true;
    }

private:
    bool error(const std::string& key, std::string message) {
        err_.key = key;
        err_.message = std::move(message);
        return false;
    }
    bool type_error(const std::string& key, const char* expected) {
        if (!json_.ok()) return syntax_or(key, "");
        return error(key, std::string("expected ") + expected);
    }
    // A JSON syntax error (with its byte offset) wins over the caller's message.
    bool syntax_or(const std::string& key, const char* message) {
        if (!json_.ok()) {
            return error("", "invalid JSON at byte " + std::to_string(json_.position() - text_begin_) + ": " +
                                 json_.error_code().message());
        }
        return error(key, message);
    }
    bool unique(std::vector<std::string>& seen, const std::string& name, const std::string& path) {
        for (const std::string& s : seen) {
            if (s == name) return error(path, "duplicate key");
        }
        seen.push_back(name);
        return true;
    }

    bool read_decimal(const std::string& key, tradewire::decimal& out) {
        std::string_view t;
        const tradewire::json_type type = json_.peek();
        if (type == tradewire::json_type::number) {
            if (!json_.read_number(t)) return syntax_or(key, "");
        } else if (type == tradewire::json_type::string) {
            if (!json_.read_string(t)) return syntax_or(key, "");
        } else {
            return type_error(key, "a decimal number (JSON number or string)");
        }
        const tradewire::decimal_parse_result r = tradewire::decimal::parse(t);
        if (!r) return error(key, "not a decimal number: \"" + std::string(t) + "\"");
        out = r.value;
        return true;
    }
    bool positive(const std::string& key, tradewire::decimal& out) {
        tradewire::decimal v;
        if (!read_decimal(key, v)) return false;
        if (v.sign() <= 0) return error(key, "must be greater than 0");
        out = v;
        return true;
    }
    bool decimal_in(const std::string& key, tradewire::decimal& out, std::int64_t lo, std::int64_t hi) {
        tradewire::decimal v;
        if (!read_decimal(key, v)) return false;
        if (v < tradewire::decimal::from_integer(lo).value || v > tradewire::decimal::from_integer(hi).value)
            return error(key, "must be from " + std::to_string(lo) + " to " + std::to_string(hi));
        out = v;
        return true;
    }
    bool integer_in(const std::string& key, std::int64_t& out, std::int64_t lo, std::int64_t hi) {
        if (json_.peek() != tradewire::json_type::number) return type_error(key, "an integer");
        std::string_view t;
        if (!json_.read_number(t)) return syntax_or(key, "");
        std::int64_t v = 0;
        if (!tradewire::parse_int64(t, v) || v < lo || v > hi)
            return error(key, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
        out = v;
        return true;
    }

    bool venues() {
        const std::string k = "venues";
        if (json_.peek() != tradewire::json_type::array) return type_error(k, "an array of venue names");
        json_.begin_array();
        std::vector<tradewire::market::venue> list;
        for (std::size_t i = 0; json_.next_element(); ++i) {
            const std::string path = k + "[" + std::to_string(i) + "]";
            if (json_.peek() != tradewire::json_type::string) return type_error(path, "a venue name");
            std::string_view name;
            if (!json_.read_string(name)) return syntax_or(path, "");
            const auto v = tradewire::market::parse_venue(name);
            if (!v) return error(path, "unknown venue \"" + std::string(name) + "\"");
            for (tradewire::market::venue have : list) {
                if (have == *v) return error(path, "venue \"" + std::string(name) + "\" listed twice");
            }
            list.push_back(*v);
        }
        if (!json_.ok()) return syntax_or(k, "");
        if (list.size() < 2) return error(k, "needs at least 2 venues");
        out_.venues = std::move(list);
        return true;
    }

    bool symbols() {
        const std::string k = "symbols";
        if (json_.peek() != tradewire::json_type::array) return type_error(k, "an array of symbols");
        json_.begin_array();
        std::vector<tradewire::symbol> list;
        for (std::size_t i = 0; json_.next_element(); ++i) {
            const std::string path = k + "[" + std::to_string(i) + "]";
            if (json_.peek() != tradewire::json_type::string) return type_error(path, "a symbol such as \"BTC-USDT\"");
            std::string_view text;
            if (!json_.read_string(text)) return syntax_or(path, "");
            std::error_code ec;
            const tradewire::symbol s = tradewire::symbol::parse(text, ec);
            if (ec) return error(path, "invalid symbol \"" + std::string(text) + "\": " + ec.message());
            for (const tradewire::symbol& have : list) {
                if (have == s) return error(path, "symbol \"" + std::string(text) + "\" listed twice");
            }
            if (list.size() >= 16) return error(k, "at most 16 symbols");
            list.push_back(s);
        }
        if (!json_.ok()) return syntax_or(k, "");
        if (list.empty()) return error(k, "needs at least 1 symbol");
        out_.symbols = std::move(list);
        return true;
    }

    bool fees() {
        const std::string k = "taker_fee_bps";
        if (json_.peek() != tradewire::json_type::object) return type_error(k, "an object of venue: basis points");
        json_.begin_object();
        std::vector<std::string> seen;
        std::string_view name;
        while (json_.next_key(name)) {
            const std::string path = k + "." + std::string(name);
            if (!unique(seen, std::string(name), path)) return false;
            const auto v = tradewire::market::parse_venue(name);
            if (!v) return error(path, "unknown venue");
            tradewire::decimal bps;
            if (!decimal_in(path, bps, 0, 1000)) return false;
            const tradewire::decimal_result rate = tradewire::checked_mul(bps, tradewire::decimal::from_parts(1, -4).value);
            if (!rate) return error(path, "too many digits");
            out_.taker_fee_rate[static_cast<std::size_t>(*v)] = rate.value;
        }
        if (!json_.ok()) return syntax_or(k, "");
        return true;
    }

    bool limits() {
        const std::string k = "limits";
        if (json_.peek() != tradewire::json_type::object) return type_error(k, "an object");
        json_.begin_object();
        std::vector<std::string> seen;
        std::string_view name;
        while (json_.next_key(name)) {
            const std::string path = k + "." + std::string(name);
            if (!unique(seen, std::string(name), path)) return false;
            bot_limits& l = out_.limits;
            if (name == "max_position") {
                if (!positive(path, l.max_position)) return false;
            } else if (name == "max_order_notional") {
                if (!positive(path, l.max_order_notional)) return false;
            } else if (name == "max_order_quantity") {
                tradewire::decimal v;
                if (!read_decimal(path, v)) return false;
                if (v.sign() < 0) return error(path, "must not be negative");
                l.max_order_quantity = v;
            } else if (name == "max_open_orders") {
                std::int64_t v = 0;
                if (!integer_in(path, v, 1, 1000)) return false;
                l.max_open_orders = static_cast<std::uint32_t>(v);
            } else if (name == "max_loss") {
                if (!positive(path, l.max_loss)) return false;
            } else {
                return error(path, "unknown key");
            }
        }
        if (!json_.ok()) return syntax_or(k, "");
        return true;
    }

    tradewire::json_reader json_;
    const char* text_begin_;
    bot_config& out_;
    config_error& err_;
};

}  // namespace detail

// Parses `text` into `out` (which starts from the defaults). On failure returns false,
// fills `err`, and `out` may be partly updated: discard it.
inline bool load_config(std::string_view text, bot_config& out, config_error& err) {
    std::string buffer(text);  // the reader unescapes strings in place
    detail::config_parser p(buffer, out, err);
    return p.run();
}

}  // namespace arbitrage_bot
