#!/usr/bin/env bash
# Builds every libFuzzer target in tests/fuzz/ with clang and runs each for a bounded
# time (default 60 s; FUZZ_SECONDS or the first argument overrides), as many at once as
# there are cores. Fails on any crash, leak, timeout or sanitizer report, printing the
# failing target's log tail. Usage: scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-${FUZZ_SECONDS:-60}}
jobs=$(nproc 2>/dev/null || echo 2)
bash scripts/install-deps.sh --test
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"
mkdir -p build/fuzz/artifacts

# Runs one target; its result lands in build/fuzz/<name>.status (0 clean, else failed).
run_target() {
  local src=$1 name exe seeds work
  name=$(basename "$src" .cpp)
  exe=build/fuzz/tests/fuzz/$name
  seeds=tests/fuzz/corpus/${name#fuzz_}
  work=build/fuzz/corpus/$name
  mkdir -p "$work"
  local seed_args=()
  [ -d "$seeds" ] && seed_args+=("$seeds")
  local rc=0
  "$exe" "$work" "${seed_args[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=build/fuzz/artifacts/"$name"- -print_final_stats=1 >build/fuzz/"$name".log 2>&1 || rc=$?
  echo "$rc" >build/fuzz/"$name".status
}

targets=()
for src in tests/fuzz/fuzz_*.cpp; do
  [ -e "$src" ] && targets+=("$src")
done
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $jobs at a time"
running=0
for src in "${targets[@]}"; do
  run_target "$src" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

status=0
for src in "${targets[@]}"; do
  name=$(basename "$src" .cpp)
  if [ "$(cat build/fuzz/"$name".status 2>/dev/null || echo 1)" != 0 ]; then
    echo "fuzz: $name FAILED; log tail:"
    tail -n 60 build/fuzz/"$name".log
    status=1
  else
    echo "fuzz: $name clean: $(grep -E 'stat::number_of_executed_units' build/fuzz/"$name".log | tail -n 1)"
  fi
done
[ $status -eq 0 ] && echo "fuzz: all targets clean"
exit $status
