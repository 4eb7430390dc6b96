#!/usr/bin/env bash
# Builds every libFuzzer target in tests/fuzz/ with clang and runs each for a bounded
# time (default 60 s; FUZZ_SECONDS or the first argument overrides). Fails on any crash,
# leak, timeout or sanitizer report. Usage: scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-${FUZZ_SECONDS:-60}}
bash scripts/install-deps.sh --test
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc 2>/dev/null || echo 2)"

status=0
for src in tests/fuzz/fuzz_*.cpp; do
  [ -e "$src" ] || continue
  name=$(basename "$src" .cpp)
  exe=build/fuzz/tests/fuzz/$name
  seeds=tests/fuzz/corpus/${name#fuzz_}
  work=build/fuzz/corpus/$name
  mkdir -p "$work" build/fuzz/artifacts
  seed_args=()
  [ -d "$seeds" ] && seed_args+=("$seeds")
  echo "fuzz: $name for ${seconds}s"
  if ! "$exe" "$work" "${seed_args[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix=build/fuzz/artifacts/"$name"- -print_final_stats=1 >build/fuzz/"$name".log 2>&1; then
    echo "fuzz: $name FAILED; log tail:"
    tail -n 60 build/fuzz/"$name".log
    status=1
  else
    grep -E 'stat::number_of_executed_units|cov:' build/fuzz/"$name".log | tail -n 2 || true
  fi
done
[ $status -eq 0 ] && echo "fuzz: all targets clean"
exit $status
