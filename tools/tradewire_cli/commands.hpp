// Entry points of tradewire-cli's commands, one per <command>.cpp file; main.cpp dispatches
// through command_list.inc.
#pragma once

#include "cli.hpp"

namespace tradewire::cli {
#define TRADEWIRE_CLI_COMMAND(name, summary, function) int function(arguments& args);
#include "command_list.inc"
#undef TRADEWIRE_CLI_COMMAND
}  // namespace tradewire::cli
