#!/usr/bin/env bash
# SQL statements per write request: runs `BIN serve` on a small demo database with an LD_PRELOAD
# shim (bench/sqlite_count.c) that counts SQLite statement runs, once with no writes and once
# with N sequential PATCH /api/v4/leads/{id} (a price change, one connection, a bearer token), and prints the
# difference per request. Loopback only; bounded (N requests, one client).
#   bench/statements_per_write.sh BIN [N]     (default N: 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "$1")
n=${2:-2000}
work=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
gcc -O2 -shared -fPIC -o "$work/count.so" bench/sqlite_count.c -ldl
export GATEHOUSE_ADMIN_PASSWORD="bench-Gatehouse-2026"
"$bin" demo --db "sqlite:$work/demo.db" --leads 1000 >/dev/null 2>&1
source bench/lib.sh

count() {  # REQUESTS -> "resets execs prepares" of one server run
  cp "$work/demo.db" "$work/run.db"
  local port
  port=$(free_port)
  SQLITE_COUNT_OUT="$work/count.txt" LD_PRELOAD="$work/count.so" \
    "$bin" serve --db "sqlite:$work/run.db" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  python3 - "$port" "$1" <<'PY'
import http.client, json, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("POST", "/auth/login", json.dumps({"email": "admin@demo.gatehouse.local",
          "password": "bench-Gatehouse-2026"}), {"Content-Type": "application/json"})
r = c.getresponse(); body = json.loads(r.read())
cookie = "; ".join(h.split(";")[0] for k, h in r.getheaders() if k.lower() == "set-cookie")
h = {"Cookie": cookie, "X-CSRF-Token": body["csrf_token"], "Content-Type": "application/json"}
# A bearer token, as bench/http_bench.sh uses (verified tokens are cached; sessions are not).
c.request("POST", "/api/v4/security/tokens", json.dumps({"name": "count", "expires_at": int(__import__("time").time()) + 86400}), h)
r = c.getresponse(); token = json.loads(r.read())["token"]
h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
c.request("GET", "/api/v4/leads?limit=1", headers=h); r = c.getresponse()
lead = json.loads(r.read())["_embedded"]["leads"][0]["id"]
for i in range(n):
    c.request("PATCH", f"/api/v4/leads/{lead}", json.dumps({"price": 1000 + i}), h)
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
PY
  kill -TERM "$server_pid" && wait "$server_pid" || true
  server_pid=""
  cat "$work/count.txt"
}
read -r r0 e0 p0 < <(count 0)
read -r r1 e1 p1 < <(count "$n")
python3 -c "
n=$n
print(f'per PATCH over {n}: {($r1-$r0)/n:.2f} prepared-statement runs, {($e1-$e0)/n:.2f} sqlite3_exec '
      f'(BEGIN/COMMIT/scripts), {($p1-$p0)/n:.3f} new preparations')"
