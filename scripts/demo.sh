#!/usr/bin/env bash
# The README's first command: installs what is missing (scripts/install-deps.sh --build),
# builds the example arbitrage bot (Release, in build/demo, no tests) and runs it against
# the in-process exchange simulator. Arguments go to the bot, e.g.
#   bash scripts/demo.sh --seed 7 --duration 10
#   bash scripts/demo.sh --live          (real public feeds, paper trading)
# Runs as root on a fresh Debian 12 machine, or as a user with sudo for the packages.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --build

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=Release \
  -DTRADEWIRE_BUILD_TESTS=OFF -DTRADEWIRE_BUILD_BENCHMARKS=OFF -DTRADEWIRE_BUILD_TOOLS=OFF \
  -DTRADEWIRE_BUILD_EXAMPLES=ON -DTRADEWIRE_INSTALL=OFF >/dev/null
echo "demo: building arbitrage_bot (build/demo) ..."
cmake --build build/demo --target arbitrage_bot -j "$jobs"
echo
exec build/demo/examples/arbitrage_bot/arbitrage_bot "$@"
