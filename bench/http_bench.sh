#!/usr/bin/env bash
# HTTP benchmark (wrk on loopback, bounded): the 1,000,000-lead demo workspace served by a
# Release build, next to nginx serving a static JSON file of the same size as the floor.
#   bench/http_bench.sh [LEADS] [SECONDS]    (defaults: 1000000 leads, 10 s per case)
#   bench/http_bench.sh --before BIN [LEADS] [SECONDS]
#       writes only: GET /api/v4/leads/{id} and the PATCH cases, served by BIN (another build,
#       e.g. a Release build of main) and by this tree's build, each on its own copy of the same
#       demo database, in two rounds (before, after, before, after). The demo is loaded by BIN,
#       so that both builds can open it when this tree's schema is newer (it migrates its copy).
#   bench/http_bench.sh --before BIN --pg URL [LEADS] [SECONDS]
#       the same on PostgreSQL: URL is a cluster (e.g. from scripts/pg-test-cluster.sh); the demo
#       goes into its database gh_http_bench, each server gets a copy made with CREATE DATABASE
#       ... TEMPLATE (dropped after).
# Prints one line per case: requests/s, p50, p99, errors; and the server's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
before_bin=""
pg_url=""
while [[ "${1:-}" == --* ]]; do
  case "$1" in
    --before) before_bin=$(realpath "$2") ;;
    --pg) pg_url="$2" ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
if [[ -n "$pg_url" && -z "$before_bin" ]]; then
  echo "--pg needs --before" >&2
  exit 2
fi
# The URL of database $1 in the cluster of $pg_url.
pg_db() { python3 -c "import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path='/'+sys.argv[2])))" "$pg_url" "$1"; }
leads=${1:-1000000}
seconds=${2:-10}
# wrk and nginx (and the rest of the build's packages) when missing.
command -v wrk >/dev/null && command -v nginx >/dev/null || GATEHOUSE_BENCH_DEPS=1 scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j2 --target gatehouse >/dev/null
bin=build/release/gatehouse

work=$(mktemp -d)
chmod 755 "$work"  # nginx's workers (www-data) must read the static file in it
server_pid=""
nginx_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n "$nginx_pid" ]] && kill -QUIT "$nginx_pid" 2>/dev/null
  rm -rf "$work"
  if [[ -n "$pg_url" ]]; then
    for name in gh_http_bench gh_http_before gh_http_after; do
      psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true
    done
  fi
}
trap cleanup EXIT
source bench/lib.sh

export GATEHOUSE_ADMIN_PASSWORD="bench-Gatehouse-2026"
db="sqlite:$work/bench.db"
if [[ -n "$pg_url" ]]; then
  psql -q "$pg_url" -c "DROP DATABASE IF EXISTS gh_http_bench" -c "CREATE DATABASE gh_http_bench"
  db=$(pg_db gh_http_bench)
fi
start=$(date +%s.%N)
"${before_bin:-$bin}" demo --db "$db" --leads "$leads" >"$work/demo.log" 2>&1
echo "demo load: $leads leads in $(python3 -c "print(round($(date +%s.%N)-$start,1))") s"

start_server() {  # BIN DB_URL
  port=$(free_port)
  "$1" serve --db "$2" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  server_pid=$!
  base="http://127.0.0.1:$port"
  # Up to 10 minutes: a newer build first migrates its copy (on 1,000,000 leads, minutes).
  for _ in $(seq 1 6000); do
    curl -sf "$base/healthz" >/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "the server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
}
stop_server() {
  kill -TERM "$server_pid" && wait "$server_pid" || true
  server_pid=""
}

# login EMAIL -> prints a personal token of that user
token_of() {
  local jar="$work/jar.$RANDOM"
  local csrf
  csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$GATEHOUSE_ADMIN_PASSWORD\"}" "$base/auth/login" | json 'd["csrf_token"]')
  curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"expires_at\":$(( $(date +%s) + 86400 ))}" \
    "$base/api/v4/security/tokens" | json 'd["token"]'
}
write_wrk_scripts "$work"

run() {  # NAME URL TOKEN [SCRIPT]
  local script=${4:-$work/report.lua}
  local line
  line=$(wrk -t1 -c32 -d"${seconds}s" --timeout 5s -s "$script" \
    ${3:+-H "Authorization: Bearer $3"} "$2" | grep '^RESULT')
  printf '%-38s %s\n' "$1" "${line#RESULT }"
}

# PATCH spread over 250 leads (one after another), next to PATCH of one lead by every connection.
patch_many_script() {  # IDS... -> the script's path
  {
    echo "local ids = {$(IFS=,; echo "$*")}"
    cat <<'LUA'
wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/api/v4/leads/" .. ids[n % #ids + 1], nil,
                    '{"price":' .. (1000 + n % 5000) .. '}')
end
LUA
    cat "$work/report.lua"
  } >"$work/patch_many.lua"
  echo "$work/patch_many.lua"
}
write_cases() {  # LABEL: GET and PATCH on the running server, as its administrator
  local token lead ids
  token=$(token_of "admin@demo.gatehouse.local")
  ids=$(curl -sf -H "Authorization: Bearer $token" "$base/api/v4/leads?limit=250" |
    json '" ".join(str(l["id"]) for l in d["_embedded"]["leads"])')
  lead=${ids%% *}
  run "$1 GET /api/v4/leads/{id}" "$base/api/v4/leads/$lead" "$token"
  run "$1 PATCH /api/v4/leads/{id}" "$base/api/v4/leads/$lead" "$token" "$work/patch_report.lua"
  # shellcheck disable=SC2086
  run "$1 PATCH, 250 leads" "$base/" "$token" "$(patch_many_script $ids)"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -n "$before_bin" ]]; then
  # Each server gets a copy of the same demo database (the demo process has checkpointed it).
  if [[ -n "$pg_url" ]]; then echo "engine: postgresql"; else echo "engine: sqlite"; fi
  for round in 1 2; do
    for side in before after; do
      if [[ -n "$pg_url" ]]; then
        psql -q "$pg_url" -c "DROP DATABASE IF EXISTS gh_http_$side" \
          -c "CREATE DATABASE gh_http_$side TEMPLATE gh_http_bench"
        side_db=$(pg_db "gh_http_$side")
      else
        cp "$work/bench.db" "$work/$side.db"
        side_db="sqlite:$work/$side.db"
      fi
      if [[ "$side" == before ]]; then start_server "$before_bin" "$side_db"
      else start_server "$bin" "$side_db"; fi
      write_cases "$side/$round"
      stop_server
      if [[ -n "$pg_url" ]]; then psql -q "$pg_url" -c "DROP DATABASE gh_http_$side"
      else rm -f "$work/$side.db" "$work/$side.db-wal" "$work/$side.db-shm"; fi
    done
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

start_server "$bin" "$db"
admin_token=$(token_of "admin@demo.gatehouse.local")
users=$(curl -sf -H "Authorization: Bearer $admin_token" "$base/api/v4/users?limit=250")
pick() {  # first active, non-admin user whose leads.view is $1
  echo "$users" | json "next(u['email'] for u in d['_embedded']['users'] if u['rights']['is_active'] and not u['rights']['is_admin'] and not u['rights']['is_free'] and u['rights']['leads']['view']=='$1')"
}
a_token=$(token_of "$(pick A)")
g_token=$(token_of "$(pick G)")
lead_id=$(curl -sf -H "Authorization: Bearer $admin_token" "$base/api/v4/leads?limit=1" | json 'd["_embedded"]["leads"][0]["id"]')

run "GET /api/v4/account" "$base/api/v4/account" "$a_token"
run "GET /api/v4/leads?limit=250 (A)" "$base/api/v4/leads?limit=250" "$a_token"
run "GET /api/v4/leads?limit=250 (G)" "$base/api/v4/leads?limit=250" "$g_token"
run "GET /api/v4/leads/{id}" "$base/api/v4/leads/$lead_id" "$admin_token"
run "PATCH /api/v4/leads/{id}" "$base/api/v4/leads/$lead_id" "$admin_token" "$work/patch_report.lua"
echo "server peak RSS: $(grep VmHWM /proc/$server_pid/status | awk '{print $2/1024 " MiB"}')"

# The floor: nginx serving a static file the size of GET /api/v4/leads/{id}'s body.
curl -sf -H "Authorization: Bearer $admin_token" "$base/api/v4/leads/$lead_id" >"$work/lead.json"
nginx_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; }
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; root $work; location / { } }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$nginx_port/lead.json" >/dev/null && break; sleep 0.1; done
run "nginx static ($(stat -c %s "$work/lead.json") B)" "http://127.0.0.1:$nginx_port/lead.json" ""
