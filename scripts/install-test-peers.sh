#!/usr/bin/env bash
# Installs the Node.js test peers (the `ws` package, pinned by package-lock.json) into the
# build tree with `npm ci`, so interoperability tests can run a real non-tradewire peer.
# Usage: scripts/install-test-peers.sh [dest]   (default: build/test-peers)
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-build/test-peers}
mkdir -p "$dest"
cp tests/interop/package.json tests/interop/package-lock.json "$dest"/
if [ -d "$dest/node_modules/ws" ] && cmp -s tests/interop/package-lock.json "$dest/node_modules/.package-lock.json.copy" 2>/dev/null; then
  echo "install-test-peers: up to date in $dest"
  exit 0
fi
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
cp tests/interop/package-lock.json "$dest/node_modules/.package-lock.json.copy"
echo "install-test-peers: node ws $(node -p "require('./$dest/node_modules/ws/package.json').version") in $dest"
