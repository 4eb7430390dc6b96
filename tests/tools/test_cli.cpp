// tradewire-cli's dispatch: usage errors exit 2 with a message, help lists commands.
#include "catch.hpp"

#include <tradewire/core/version.hpp>

#include "cli_runner.hpp"

using tradewire::test::run_cli;

TEST_CASE("tradewire-cli without a command prints usage and exits 2") {
    const auto r = run_cli({});
    CHECK(r.status == 2);
    CHECK(r.err.find("usage: tradewire-cli") != std::string::npos);
    CHECK(r.out.empty());
}

TEST_CASE("tradewire-cli rejects an unknown command with exit 2") {
    const auto r = run_cli({"no-such-command"});
    CHECK(r.status == 2);
    CHECK(r.err.find("unknown command 'no-such-command'") != std::string::npos);
}

TEST_CASE("tradewire-cli version prints the library version") {
    const auto r = run_cli({"version"});
    CHECK(r.status == 0);
    CHECK(r.out.find(std::string("tradewire ") + tradewire::version_string) == 0);
    CHECK(run_cli({"version", "extra"}).status == 2);
}

TEST_CASE("tradewire-cli help lists every command on stdout") {
    const auto r = run_cli({"--help"});
    CHECK(r.status == 0);
    CHECK(r.out.find("version") != std::string::npos);
}
