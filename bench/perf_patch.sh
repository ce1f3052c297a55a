#!/usr/bin/env bash
# Where a PATCH's time goes: for each BIN, `BIN serve` on a copy of one small demo database
# (20,000 leads), wrk -t1 -c32 PATCHing one lead for SECONDS while `perf record -g` samples the
# server; prints the requests/s and perf's top entries (self time, by shared object and symbol).
# Loopback only, bounded (SECONDS per binary).
#   bench/perf_patch.sh SECONDS BIN...        (needs perf: apt-get install linux-perf; and wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=$1
shift
work=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
source bench/lib.sh
write_wrk_scripts "$work"
export GATEHOUSE_ADMIN_PASSWORD="bench-Gatehouse-2026"
"$(realpath "$1")" demo --db "sqlite:$work/demo.db" --leads 20000 >/dev/null 2>&1
for bin in "$@"; do
  bin=$(realpath "$bin")
  cp "$work/demo.db" "$work/run.db"
  rm -f "$work/run.db-wal" "$work/run.db-shm"
  port=$(free_port)
  "$bin" serve --db "sqlite:$work/run.db" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  server_pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
  jar="$work/jar"
  csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"email\":\"admin@demo.gatehouse.local\",\"password\":\"$GATEHOUSE_ADMIN_PASSWORD\"}" \
    "$base/auth/login" | json 'd["csrf_token"]')
  token=$(curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"name\":\"perf\",\"expires_at\":$(($(date +%s) + 86400))}" \
    "$base/api/v4/security/tokens" | json 'd["token"]')
  lead=$(curl -sf -H "Authorization: Bearer $token" "$base/api/v4/leads?limit=1" |
    json 'd["_embedded"]["leads"][0]["id"]')
  perf record -F 499 -g -o "$work/perf.data" -p "$server_pid" -- sleep "$seconds" \
    >/dev/null 2>&1 &
  perf_pid=$!
  echo "== $bin"
  wrk -t1 -c32 -d"${seconds}s" --timeout 5s -s "$work/patch.lua" \
    -H "Authorization: Bearer $token" "$base/api/v4/leads/$lead" | grep -E 'Requests/sec|Latency'
  wait "$perf_pid" || true
  kill -TERM "$server_pid" && wait "$server_pid" || true
  server_pid=""
  perf report -i "$work/perf.data" --no-children --sort dso,sym --percent-limit 1.5 --stdio \
    2>/dev/null | grep -E '^ +[0-9]' | head -30
done
