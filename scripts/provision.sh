#!/usr/bin/env bash
# What the tests need, provisioned where this machine allows it; run by `npm test` (pretest) and by
# .ci/run. Debian's chromium, pass and gnupg are installed with apt-get when running as root;
# PostgreSQL (TEST_PG_URL, default 127.0.0.1:5432) and Redis (127.0.0.1:6379) are started when
# installed but down. Whatever is still missing stops it at once: one line on stderr naming it and
# the command that provides it, exit 1. Silent and quick when everything is there.
set -uo pipefail
cd "${BASH_SOURCE[0]%/*}/.."

# The Node that npm scripts run on (node_modules/.bin/node after `npm ci`): linked there if npm
# did not, one line if there is none new enough.
node scripts/test-node.js || exit 1

root=false
[ "$EUID" -eq 0 ] && root=true
sudo=sudo
$root && sudo=''

# host:port of the PostgreSQL the tests use (test/helpers/pg.ts reads the same variable).
pg=${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}
pg=${pg#*://}; pg=${pg##*@}; pg=${pg%%/*}
pg_host=${pg%:*}; pg_port=${pg##*:}
[ "$pg_host" = "$pg" ] && pg_port=5432
redis_host=127.0.0.1 redis_port=6379

answers() { timeout 2 "$BASH" -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
wait_for() { # host port: up to 10 s for a server that was just started
  for _ in {1..50}; do answers "$1" "$2" && return 0; sleep 0.2; done
  return 1
}
missing_packages() {
  local m=()
  command -v chromium >/dev/null || m+=(chromium)
  command -v pass >/dev/null || m+=(pass)
  command -v gpg >/dev/null || m+=(gnupg)
  echo "${m[*]}"
}

packages=$(missing_packages)
if [ -n "$packages" ] && $root && command -v apt-get >/dev/null; then
  echo "provision: apt-get install -y $packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086 # one word per package
  { apt-get update -qq && apt-get install -y -qq $packages; } >/dev/null 2>&1
  packages=$(missing_packages)
fi

needs=() installs=() starts=()
[ -n "$packages" ] && needs+=("${packages// /, }") && installs+=($packages)

if ! answers "$pg_host" "$pg_port"; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    start="pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | tail -1) main start"
    $root && $start >/dev/null 2>&1 && wait_for "$pg_host" "$pg_port" ||
      { needs+=("PostgreSQL on $pg_host:$pg_port (installed, not running)"); starts+=("${sudo:+$sudo }$start"); }
  else
    needs+=("PostgreSQL on $pg_host:$pg_port (trust auth, database test; or set TEST_PG_URL)")
    installs+=(postgresql)
  fi
fi

if ! answers "$redis_host" "$redis_port"; then
  if command -v redis-server >/dev/null; then
    start="redis-server --daemonize yes --bind 127.0.0.1 -::1 --port $redis_port --save \"\" --appendonly no"
    $root && redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 && wait_for "$redis_host" "$redis_port" ||
      { needs+=("Redis on $redis_host:$redis_port (installed, not running)"); starts+=("${sudo:+$sudo }$start"); }
  else
    needs+=("Redis on $redis_host:$redis_port")
    installs+=(redis-server)
  fi
fi

[ ${#needs[@]} -eq 0 ] && exit 0
[ ${#installs[@]} -gt 0 ] && starts=("${sudo:+$sudo }apt-get install -y ${installs[*]}" "${starts[@]}")
what=$(printf '; %s' "${needs[@]}")
how=$(printf ' && %s' "${starts[@]}")
echo "provision: the tests need ${what#; }, missing here; provide with: ${how# && }" >&2
exit 1
