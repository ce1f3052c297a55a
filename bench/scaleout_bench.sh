#!/usr/bin/env bash
# Scale-out benchmark (docs/scaling.md): Gatehouse on PostgreSQL, loopback only, bounded.
#   bench/scaleout_bench.sh [LEADS] [SECONDS]    (defaults: 100000 leads, 8 s per case)
# A private PostgreSQL cluster (scripts/pg-test-cluster.sh) with the demo workspace, Release
# servers on it; per case wrk's requests/s, p50/p99, errors, and the CPU time the Gatehouse
# server(s) and PostgreSQL (every process of the cluster) spent per request (from
# /proc/PID/stat, so what one PostgreSQL core carries can be read off next to one server core).
# Then: two servers on the one database at once; one server through pgbouncer in transaction
# mode; how long a change on one server takes to apply on another (NOTIFY vs the 1 s poll).
set -euo pipefail
cd "$(dirname "$0")/.."
leads=${1:-100000}
seconds=${2:-8}
# GATEHOUSE_BENCH_BIN: measure that binary instead of building the Release one (the PostgreSQL
# columns do not depend on how the server was built; the server's own do).
if [[ -n "${GATEHOUSE_BENCH_BIN:-}" ]]; then
  bin=$(realpath "$GATEHOUSE_BENCH_BIN")
else
  cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/release -j2 --target gatehouse >/dev/null
  bin=$PWD/build/release/gatehouse
fi
echo "binary: $bin"

work=$(mktemp -d /tmp/gh-scale-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  scripts/pgbouncer-test.sh stop "$work/pgb" >/dev/null 2>&1 || true
  scripts/pg-test-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
source bench/lib.sh

url=$(scripts/pg-test-cluster.sh start "$work/pg")
pg_port=$(cat "$work/pg/port")
postmaster=$(head -n1 "$work/pg/data/postmaster.pid")
export GATEHOUSE_ADMIN_PASSWORD="bench-Gatehouse-2026"
start=$(date +%s.%N)
"$bin" demo --db "$url" --leads "$leads" >"$work/demo.log" 2>&1
echo "demo load on PostgreSQL: $leads leads in $(python3 -c "print(round($(date +%s.%N)-$start,1))") s"

serve() {  # NAME DB [ARGS...] -> sets port_NAME, pid_NAME
  local name=$1 db=$2
  shift 2
  local port
  port=$(free_port)
  "$bin" serve --db "$db" --listen "127.0.0.1:$port" "$@" >"$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  printf -v "port_$name" '%s' "$port"
  printf -v "pid_$name" '%s' "$pid"
}
serve one "$url" --threads 2
base="http://127.0.0.1:$port_one"

token_of() {  # EMAIL [BASE] -> a personal token of that user
  local jar="$work/jar.$RANDOM" csrf b=${2:-$base}
  csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$GATEHOUSE_ADMIN_PASSWORD\"}" "$b/auth/login" | json 'd["csrf_token"]')
  curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"expires_at\":$(( $(date +%s) + 86400 ))}" \
    "$b/api/v4/security/tokens" | json 'd["token"]'
}
admin_token=$(token_of "admin@demo.gatehouse.local")
users=$(curl -sf -H "Authorization: Bearer $admin_token" "$base/api/v4/users?limit=250")
a_email=$(echo "$users" | json "next(u['email'] for u in d['_embedded']['users'] if u['rights']['is_active'] and not u['rights']['is_admin'] and not u['rights']['is_free'] and u['rights']['leads']['view']=='A')")
a_token=$(token_of "$a_email")
lead_id=$(curl -sf -H "Authorization: Bearer $admin_token" "$base/api/v4/leads?limit=1" | json 'd["_embedded"]["leads"][0]["id"]')

write_wrk_scripts "$work"

ticks() {  # PID... -> summed utime+stime (clock ticks) of those processes
  local sum=0 p
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] || continue
    sum=$((sum + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$sum"
}
pg_pids() { echo "$postmaster" $(ps -o pid= --ppid "$postmaster"); }
hz=$(getconf CLK_TCK)

# CASE NAME SERVER_PIDS EXTRA_PIDS -- wrk runs (URL TOKEN SCRIPT CONNECTIONS)...: all wrk runs at
# once; prints total req/s, the first run's p50/p99, errors, CPU µs per request of the servers,
# of PostgreSQL and of the extra processes (pgbouncer).
run_case() {
  local name=$1 servers=$2 extra=$3
  shift 4
  local s0 p0 e0 s1 p1 e1 i=0 outs=() runs=()
  s0=$(ticks $servers); p0=$(ticks $(pg_pids)); e0=$(ticks $extra)
  while (($#)); do
    local target=$1 token=$2 script=$3 conns=$4
    shift 4
    wrk -t1 -c"$conns" -d"${seconds}s" --timeout 5s -s "$script" \
      ${token:+-H "Authorization: Bearer $token"} "$target" >"$work/wrk.$i" 2>&1 &
    runs+=("$!")
    outs+=("$work/wrk.$i")
    i=$((i + 1))
  done
  wait "${runs[@]}" || true
  s1=$(ticks $servers); p1=$(ticks $(pg_pids)); e1=$(ticks $extra)
  python3 - "$name" "$hz" "$s0" "$s1" "$p0" "$p1" "$e0" "$e1" "${outs[@]}" <<'PY'
import sys
name, hz = sys.argv[1], int(sys.argv[2])
s0, s1, p0, p1, e0, e1 = map(int, sys.argv[3:9])
rps = reqs = errors = 0
p50 = p99 = None
for path in sys.argv[9:]:
    line = next(l for l in open(path) if l.startswith("RESULT"))
    r, a, b, n, e = (field.split("=")[1] for field in line.split()[1:])
    rps += float(r); reqs += int(n); errors += int(e)
    if p50 is None: p50, p99 = a, b
us = lambda t: (t * 1e6 / hz) / max(reqs, 1)
extra = f" | {us(e1 - e0):.0f}" if e1 != e0 else " | -"
print(f"| {name} | {rps:,.0f} | {p50} ms | {p99} ms | {errors} | {us(s1 - s0):.0f} | {us(p1 - p0):.0f}{extra} |")
PY
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); PostgreSQL $(ls /usr/lib/postgresql | sort -V | tail -n1) (fsync off, as the test cluster)"
echo "| case | req/s | p50 | p99 | errors | server CPU µs/req | PostgreSQL CPU µs/req | pgbouncer CPU µs/req |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
lead="$base/api/v4/leads/$lead_id"
run_case "one server: GET /api/v4/leads/{id}" "$pid_one" "" -- "$lead" "$admin_token" "$work/report.lua" 32
run_case "one server: GET /api/v4/leads?limit=250 (A)" "$pid_one" "" -- "$base/api/v4/leads?limit=250" "$a_token" "$work/report.lua" 32
run_case "one server: PATCH /api/v4/leads/{id}" "$pid_one" "" -- "$lead" "$admin_token" "$work/patch_report.lua" 32
run_case "one server: GET /api/v4/account" "$pid_one" "" -- "$base/api/v4/account" "$admin_token" "$work/report.lua" 32

serve two "$url" --threads 2
run_case "two servers: GET /api/v4/leads/{id}" "$pid_one $pid_two" "" -- \
  "$lead" "$admin_token" "$work/report.lua" 16 \
  "http://127.0.0.1:$port_two/api/v4/leads/$lead_id" "$admin_token" "$work/report.lua" 16
run_case "two servers: PATCH /api/v4/leads/{id}" "$pid_one $pid_two" "" -- \
  "$lead" "$admin_token" "$work/patch_report.lua" 16 \
  "http://127.0.0.1:$port_two/api/v4/leads/$lead_id" "$admin_token" "$work/patch_report.lua" 16

# pgbouncer in transaction mode, 8 server connections, the server with 16 of its own.
if pgb_port=$(scripts/pgbouncer-test.sh start "$work/pgb" "$pg_port" 8 2>/dev/null); then
  pgb_pid=$(cat "$work/pgb/pgbouncer.pid")
  pooled="postgresql://postgres@127.0.0.1:$pgb_port/gatehouse_test?gatehouse_pooler=transaction"
  serve pooled "$pooled" --threads 2 --db-pool-size 16 --notify-db "$url"
  pb="http://127.0.0.1:$port_pooled"
  run_case "via pgbouncer: GET /api/v4/leads/{id}" "$pid_pooled" "$pgb_pid" -- "$pb/api/v4/leads/$lead_id" "$admin_token" "$work/report.lua" 32
  run_case "via pgbouncer: GET /api/v4/leads?limit=250 (A)" "$pid_pooled" "$pgb_pid" -- "$pb/api/v4/leads?limit=250" "$a_token" "$work/report.lua" 32
  run_case "via pgbouncer: PATCH /api/v4/leads/{id}" "$pid_pooled" "$pgb_pid" -- "$pb/api/v4/leads/$lead_id" "$admin_token" "$work/patch_report.lua" 32
  # The same server without gatehouse_pooler: its prepared statements meet other sessions.
  serve unmarked "postgresql://postgres@127.0.0.1:$pgb_port/gatehouse_test" --threads 2 --db-pool-size 16 --notify-db "$url"
  run_case "via pgbouncer, prepared statements (no gatehouse_pooler)" "$pid_unmarked" "$pgb_pid" -- "http://127.0.0.1:$port_unmarked/api/v4/leads/$lead_id" "$admin_token" "$work/report.lua" 32
  echo "its log: $(grep -c 'prepared statement\|sqlstate 26000' "$work/unmarked.log" || true) lines naming a missing prepared statement; first cause: $(grep -m1 -o 'sqlstate [0-9A-Z]*' "$work/unmarked.log" || echo none)"
else
  echo "(pgbouncer not installed: skipped)"
fi

# Propagation: revoke a token through server one; time until server two refuses it (curl in a
# loop, ~2 ms per try). Five tries each: two listening servers, then two polling once a second.
propagation() {  # LABEL PORT_A PORT_B
  local label=$1 pa=$2 pb=$3 times=()
  for _ in 1 2 3 4 5; do
    local t id
    t=$(token_of "$a_email" "http://127.0.0.1:$pa")
    id=$(curl -sf -H "Authorization: Bearer $t" "http://127.0.0.1:$pa/api/v4/security/tokens" | json 'max(x["id"] for x in d["_embedded"]["tokens"])')
    curl -sf -o /dev/null -H "Authorization: Bearer $t" "http://127.0.0.1:$pb/api/v4/account"
    local t0 t1
    t0=$(date +%s%N)
    curl -sf -o /dev/null -X DELETE -H "Authorization: Bearer $t" "http://127.0.0.1:$pa/api/v4/security/tokens/$id"
    for _ in $(seq 1 2000); do
      [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $t" "http://127.0.0.1:$pb/api/v4/account") == 401 ]] && break
    done
    t1=$(date +%s%N)
    times+=("$(( (t1 - t0) / 1000000 ))")
    sleep 0.3
  done
  echo "$label: ${times[*]} ms (revoked on one server -> refused by the other)"
}
propagation "NOTIFY (two listening servers)" "$port_one" "$port_two"
serve pollA "$url" --threads 2 --notify-db off
serve pollB "$url" --threads 2 --notify-db off
propagation "poll only (notify_db=off, security_poll_ms=1000)" "$port_pollA" "$port_pollB"
echo "server peak RSS (one): $(grep VmHWM /proc/$pid_one/status | awk '{print $2/1024 " MiB"}')"
