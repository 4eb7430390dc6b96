// `tradewire-cli version`: the library version and the TLS backend compiled in.
#include <cstdio>

#include <tradewire/core/version.hpp>

#include "commands.hpp"

namespace tradewire::cli {

int run_version(arguments& args) {
    if (!args.take_positionals().empty()) throw usage_error{"takes no arguments"};
#if defined(TRADEWIRE_TLS_OPENSSL)
    const char* tls = "openssl";
#else
    const char* tls = "wolfssl";
#endif
    std::printf("tradewire %s (tls: %s)\n", tradewire::version_string, tls);
    return exit_ok;
}

}  // namespace tradewire::cli
