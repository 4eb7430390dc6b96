// tradewire-cli: signing, decoding, order books and WebSocket utilities from the shell.
// The command table below is the whole dispatch; each command is one file.
#include <cstdio>
#include <cstring>
#include <exception>
#include <span>
#include <string_view>

#include "cli.hpp"
#include "commands.hpp"

namespace {

struct command {
    std::string_view name;
    std::string_view summary;
    int (*run)(tradewire::cli::arguments&);
};

constexpr command commands[] = {
#define TRADEWIRE_CLI_COMMAND(name, summary, function) {name, summary, &tradewire::cli::function},
#include "command_list.inc"
#undef TRADEWIRE_CLI_COMMAND
};

void print_usage(std::FILE* out) {
    std::fputs("usage: tradewire-cli <command> [arguments]\n\ncommands:\n", out);
    for (const command& c : commands)
        std::fprintf(out, "  %-12.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                     static_cast<int>(c.summary.size()), c.summary.data());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        print_usage(stderr);
        return tradewire::cli::exit_usage;
    }
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_usage(stdout);
        return tradewire::cli::exit_ok;
    }
    for (const command& c : commands) {
        if (c.name != name) continue;
        tradewire::cli::arguments args(std::span<char* const>(argv + 2, static_cast<std::size_t>(argc - 2)));
        try {
            return c.run(args);
        } catch (const tradewire::cli::usage_error& e) {
            std::fprintf(stderr, "tradewire-cli %s: %s\n", argv[1], e.message.c_str());
            return tradewire::cli::exit_usage;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "tradewire-cli %s: %s\n", argv[1], e.what());
            return tradewire::cli::exit_failure;
        }
    }
    std::fprintf(stderr, "tradewire-cli: unknown command '%s'\n\n", argv[1]);
    print_usage(stderr);
    return tradewire::cli::exit_usage;
}
