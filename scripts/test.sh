#!/usr/bin/env bash
# The README's test command: installs what is missing, configures, builds and runs the
# whole CTest suite. Usage: scripts/test.sh [preset]
# The default preset, ci, is one build of everything (tests, tools, examples, benchmark
# smoke runs, the header self-containment check) under ASan and UBSan: one build instead of
# a plain one and a sanitized one keeps CI on two cores well inside its time. Also: dev
# (plain debug, quicker to iterate), asan (tests only, sanitized).
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
