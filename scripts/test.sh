#!/usr/bin/env bash
# The README's test command: installs what is missing, configures, builds and runs the
# whole CTest suite. Usage: scripts/test.sh [preset]   (default preset: dev; also: asan)
set -euo pipefail
cd "$(dirname "$0")/.."

preset=${1:-dev}
bash scripts/install-deps.sh --test
if [ -f tests/interop/package.json ]; then
  bash scripts/install-test-peers.sh
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset "$preset"
cmake --build --preset "$preset" -j "$jobs"
ctest --preset "$preset" -j "$jobs"
