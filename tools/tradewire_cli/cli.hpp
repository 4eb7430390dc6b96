// Shared plumbing for tradewire-cli's commands: argument access, usage errors and exit
// codes. Each command lives in its own <command>.cpp and is listed in main.cpp.
#pragma once

#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tradewire::cli {

// Exit statuses shared by every command: 0 success, 1 the work failed (bad data, network),
// 2 the command line was wrong.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

// Thrown only by argument parsing, before any work starts, and turned into exit status 2
// with the message on stderr by main(); never used on a data path.
struct usage_error {
    std::string message;
};

// A cursor over a command's arguments (argv after the command name) with the small set of
// operations every command needs. Options may appear in any order before `--`; everything
// after `--` is positional even when it starts with a dash.
class arguments {
public:
    explicit arguments(std::span<char* const> argv) {
        for (char* a : argv) items_.emplace_back(a);
    }

    // Removes and returns the value of `--name VALUE` (or `--name=VALUE`); nullopt if absent.
    std::optional<std::string> take_option(std::string_view name) {
        const std::size_t end = options_end();
        for (std::size_t i = 0; i < end; ++i) {
            std::string_view item = items_[i];
            if (item == name) {
                if (i + 1 >= end) throw usage_error{std::string(name) + " needs a value"};
                std::string value = items_[i + 1];
                items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i), items_.begin() + static_cast<std::ptrdiff_t>(i) + 2);
                return value;
            }
            if (item.size() > name.size() && item.substr(0, name.size()) == name && item[name.size()] == '=') {
                std::string value(item.substr(name.size() + 1));
                items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
                return value;
            }
        }
        return std::nullopt;
    }

    // Removes every occurrence of `--name VALUE` and returns the values in order.
    std::vector<std::string> take_repeated_option(std::string_view name) {
        std::vector<std::string> values;
        while (auto v = take_option(name)) values.push_back(std::move(*v));
        return values;
    }

    // Removes `--name` and reports whether it was present.
    bool take_flag(std::string_view name) {
        const std::size_t end = options_end();
        for (std::size_t i = 0; i < end; ++i) {
            if (items_[i] == name) {
                items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
                return true;
            }
        }
        return false;
    }

    // Returns the remaining positional arguments; any leftover `--option` is an error.
    std::vector<std::string> take_positionals() {
        std::vector<std::string> out;
        bool after_separator = false;
        for (auto& item : items_) {
            if (!after_separator && item == "--") {
                after_separator = true;
                continue;
            }
            if (!after_separator && item.size() > 1 && item[0] == '-' && item != "-") {
                // Name only: `--secret=...` must never be echoed back.
                throw usage_error{"unknown option " + item.substr(0, item.find('='))};
            }
            out.push_back(std::move(item));
        }
        items_.clear();
        return out;
    }

private:
    std::size_t options_end() const {
        for (std::size_t i = 0; i < items_.size(); ++i)
            if (items_[i] == "--") return i;
        return items_.size();
    }

    std::vector<std::string> items_;
};

}  // namespace tradewire::cli
