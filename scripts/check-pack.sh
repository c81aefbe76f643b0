#!/usr/bin/env bash
# CI check: the package as published. Packs it (prepack compiles src/ to dist/), installs the tarball
# globally into a temporary prefix with the machine's own npm and Node, as a user would, and runs
# `monitor --version`, `monitor validate` on the shipped example and `monitor demo --exit` from there,
# then `npx --package <tarball> monitor --version` (what `npx gitea-releases-monitor` does once published).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tarball=$(npm pack --silent --pack-destination "$tmp" | tail -1)
echo "check-pack: packed $tarball ($(du -k "$tmp/$tarball" | cut -f1) KiB)"
if tar -tzf "$tmp/$tarball" | grep -E '^package/(src|test)/'; then
  echo "check-pack: the tarball ships TypeScript sources or tests (files in package.json)"
  exit 1
fi

prefix="$tmp/prefix"
npm install -g --prefix "$prefix" --no-audit --no-fund --loglevel=error "$tmp/$tarball"
monitor="$prefix/bin/monitor"
pkgdir="$prefix/lib/node_modules/gitea-releases-monitor"
want=$(node -p 'require("./package.json").version')

cd "$tmp" # nothing of the repository is reachable from here
got=$("$monitor" --version)
[ "$got" = "$want" ] || { echo "check-pack: monitor --version printed '$got', expected '$want'"; exit 1; }
"$monitor" validate "$pkgdir/monitor.yaml"
"$monitor" demo --exit >"$tmp/demo.log" 2>&1 || { tail -20 "$tmp/demo.log"; exit 1; }
grep -q 'notices in #fn-registry-news' "$tmp/demo.log" || { tail -20 "$tmp/demo.log"; exit 1; }
got=$(npx --yes --loglevel=error --package "$tmp/$tarball" monitor --version)
[ "$got" = "$want" ] || { echo "check-pack: npx --package <tarball> monitor --version printed '$got', expected '$want'"; exit 1; }
echo "check-pack: ok (npm install -g and npx of $tarball on the machine's node $(node --version))"
