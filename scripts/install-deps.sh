#!/usr/bin/env bash
# Installs the Debian packages tradewire needs, only those that are missing, and says
# which. Usage: scripts/install-deps.sh [--build|--test]
#   --build (default): compiler, CMake and the libraries the headers use
#   --test:            also Catch2, Google Benchmark, clang/libFuzzer, test peers
#                      (python3-websockets, Node.js + npm, openssl), and baselines (Boost, OpenSSL)
# Runs as root (as on CI), or through sudo when available.
set -euo pipefail

mode=${1:---build}
build_pkgs=(g++ cmake make ninja-build pkg-config libasio-dev libwolfssl-dev rapidjson-dev zlib1g-dev)
test_pkgs=(catch2 libbenchmark-dev clang libclang-rt-14-dev libboost-dev libssl-dev openssl
           python3 python3-websockets valgrind)
# Node.js may come from elsewhere (e.g. a NodeSource build that bundles npm and conflicts
# with Debian's npm package): ask for Debian's packages only when the commands are missing.
node_pkgs=()
command -v node >/dev/null 2>&1 || node_pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || node_pkgs+=(npm)

case "$mode" in
  --build) pkgs=("${build_pkgs[@]}") ;;
  --test)  pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}" "${node_pkgs[@]}") ;;
  *) echo "usage: $0 [--build|--test]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
