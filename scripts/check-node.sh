#!/usr/bin/env bash
# CI check: the README's demo command works on the machine's own Node, whatever its version.
# `npx monitor` must run on the Node 24 that npm installed with the project (optional dependency
# node-<os>-<cpu>), `node bin/monitor.js` on an old Node must hand over to it, and without it an old
# Node must get one line naming the Node needed (exit 1), never a V8 flag error.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine node: $(command -v node) $(node --version)"

for cmd in 'npx monitor --help' 'node bin/monitor.js --help'; do
  out=$($cmd 2>/dev/null) || { echo "check-node: $cmd failed"; exit 1; }
  [[ "$out" == *"Usage: monitor"* ]] || { printf 'check-node: %s printed:\n%s\n' "$cmd" "$out"; exit 1; }
done
mkdir -p test-artifacts
npx monitor demo --exit >test-artifacts/demo.log 2>&1 || { tail -20 test-artifacts/demo.log; exit 1; }
grep -q 'notices in #fn-registry-news' test-artifacts/demo.log || { tail -20 test-artifacts/demo.log; exit 1; }

old=$(node -e 'import("./bin/node-check.js").then((m) => console.log(m.atLeast(process.versions.node, m.minimumOf(m.packageFacts().range)) ? "" : "old"))')
if [ -z "$old" ]; then
  echo "check-node: $(node --version) is new enough; the old-Node line is covered by test/bin/node-check.test.ts"
else
  # The CLI as it would be without its runtime: bin/ and package.json only.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir "$tmp/bin" && cp bin/*.js "$tmp/bin/" && cp package.json "$tmp/"
  set +e
  out=$(node "$tmp/bin/monitor.js" --help 2>&1)
  code=$?
  set -e
  if [ "$code" -eq 0 ] || [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] || [[ "$out" != *"needs Node.js"* ]]; then
    printf 'check-node: bin/monitor.js on node %s without its runtime exited %s and printed:\n%s\n' "$(node --version)" "$code" "$out"
    exit 1
  fi
fi
echo "check-node: ok (npx monitor, node bin/monitor.js and demo --exit on $(node --version))"
