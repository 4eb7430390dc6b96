#!/usr/bin/env bash
# The README's test command: installs what is missing, configures, builds and runs the
# whole CTest suite. Usage: scripts/test.sh [preset]
# The default preset, ci, is one build with clang of the tests, tools, examples and the
# header self-containment check, all under ASan and UBSan: one build instead of a plain one
# and a sanitized one, and clang (about twice as fast as g++ on this code at -O0), keep CI
# on two cores well inside its time. `scripts/test.sh asan` builds the suite with g++. Benchmarks (Boost.Beast baselines
# are slow to compile) build in the dev preset, with a smoke run each: scripts/test.sh dev.
# Also: asan (tests only, sanitized).
set -euo pipefail
cd "$(dirname "$0")/.."

preset=${1:-ci}
bash scripts/install-deps.sh --test
if [ -f tests/interop/package.json ]; then
  bash scripts/install-test-peers.sh
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$jobs"
ctest --preset "$preset" -j "$jobs"
