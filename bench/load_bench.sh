#!/usr/bin/env bash
# Mixed load on the demo workspace (issue 13), loopback only, bounded in time:
#   bench/load_bench.sh [sqlite|postgres] [LEADS]      (defaults: sqlite, 100000 leads)
# Four users at different rights levels (the administrator; a Sales manager: leads view/edit A;
# a Sales rep: view G = team-wide, edit M = if responsible; a Support agent: view and edit M)
# send reads (list pages, single leads, the pipeline summary) and writes (PATCH of leads they may
# edit, POST of new leads), one wrk process per request kind, each spreading its requests over
# the four users' tokens. Phases, all in one run on one server:
#   1. warm-up (WARMUP_SECONDS, default 10), then the server's RSS;
#   2. the mixed load for LOAD_SECONDS (default 60): requests/s, p50/p99 per kind, 4xx/5xx, and
#      the server's RSS at the end; FAIL on any 5xx or transport error, or when the RSS at the
#      end is more than 10% above the RSS after warm-up;
#   3. the login burst: the same mixed load in BURST_SECONDS stretches (default 15), without,
#      with, without, with a concurrent burst of logins (LOGIN_CONNECTIONS connections, default
#      4, each logging in again as soon as answered: Argon2id every time); per kind the p99 with
#      the burst over the p99 without (means of the two stretches each); FAIL when any ratio is
#      above 2.
# The mixed load is paced: each connection waits THINK_MS (default 5) between requests, as users
# do, so the server is busy but not saturated (a saturated server's p99 is its queue, not its
# work). wrk comes from Debian (scripts/install-deps.sh with GATEHOUSE_BENCH_DEPS=1).
# GATEHOUSE_BENCH_BIN: measure that binary instead of building the Release one.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}
leads=${2:-100000}
warmup=${WARMUP_SECONDS:-10}
seconds=${LOAD_SECONDS:-60}
burst_seconds=${BURST_SECONDS:-15}
think_ms=${THINK_MS:-5}
login_conns=${LOGIN_CONNECTIONS:-4}
case "$engine" in sqlite | postgres) ;; *) echo "usage: $0 [sqlite|postgres] [LEADS]" >&2; exit 2 ;; esac
command -v wrk >/dev/null || GATEHOUSE_BENCH_DEPS=1 scripts/install-deps.sh
if [[ -n "${GATEHOUSE_BENCH_BIN:-}" ]]; then
  bin=$(realpath "$GATEHOUSE_BENCH_BIN")
else
  cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DGATEHOUSE_BENCH=ON \
    -DGATEHOUSE_CONSOLE=OFF >/dev/null
  cmake --build build/release -j2 --target gatehouse >/dev/null
  bin=$PWD/build/release/gatehouse
fi

work=$(mktemp -d /tmp/gh-load-bench.XXXXXX)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ "$engine" == postgres ]] && scripts/pg-test-cluster.sh stop "$work/pg" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
source bench/lib.sh

export GATEHOUSE_ADMIN_PASSWORD="bench-Gatehouse-2026"
if [[ "$engine" == postgres ]]; then
  db=$(scripts/pg-test-cluster.sh start "$work/pg")
else
  db="sqlite:$work/load.db"
fi
start=$(date +%s.%N)
"$bin" demo --db "$db" --leads "$leads" >"$work/demo.log" 2>&1
echo "binary: $bin"
echo "engine: $engine; demo workspace with $leads leads, loaded in $(python3 -c "print(round($(date +%s.%N)-$start,1))") s"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

port=$(free_port)
"$bin" serve --db "$db" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }

token_of() {  # EMAIL -> a personal token of that user
  local jar="$work/jar.$RANDOM" csrf
  csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$GATEHOUSE_ADMIN_PASSWORD\"}" "$base/auth/login" | json 'd["csrf_token"]')
  curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"name\":\"load\",\"expires_at\":$(($(date +%s) + 86400))}" \
    "$base/api/v4/security/tokens" | json 'd["token"]'
}
admin_email="admin@demo.gatehouse.local"
admin_token=$(token_of "$admin_email")
curl -sf -H "Authorization: Bearer $admin_token" "$base/api/v4/users?limit=250" >"$work/users.json"
pick() {  # VIEW EDIT -> "id email" of the first active paid non-admin user with those lead rights
  json "next(f\"{u['id']} {u['email']}\" for u in d['_embedded']['users'] if u['rights']['is_active'] and not u['rights']['is_admin'] and not u['rights']['is_free'] and u['rights']['leads']['view']=='$1' and u['rights']['leads']['edit']=='$2')" <"$work/users.json"
}
admin_id=$(json 'next(u["id"] for u in d["_embedded"]["users"] if u["email"]=="'"$admin_email"'")' <"$work/users.json")
read -r a_id a_email < <(pick A A)
read -r g_id g_email < <(pick G M)
read -r m_id m_email < <(pick M M)

# Per user: the leads it may view (first page of its list) and up to 40 it may edit (its own
# where edit is M), each checked with one PATCH; written as a Lua table for the wrk scripts.
user_lua() {  # LABEL ID EMAIL TOKEN
  local label=$1 id=$2 token=$4 filter="" view edit checked=()
  [[ "$label" == G || "$label" == M ]] && filter="&filter[responsible_user_id]=$id"
  view=$(curl -sf -H "Authorization: Bearer $token" "$base/api/v4/leads?limit=250" |
    json '",".join(str(l["id"]) for l in d["_embedded"]["leads"])')
  edit=$(curl -sfg -H "Authorization: Bearer $token" "$base/api/v4/leads?limit=100$filter" |
    json '" ".join(str(l["id"]) for l in d["_embedded"]["leads"] if l["status_id"] not in (142, 143))')
  for lead in $edit; do
    ((${#checked[@]} >= 40)) && break
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d '{"price":1}' "$base/api/v4/leads/$lead")
    [[ "$code" == 200 ]] && checked+=("$lead")
  done
  if [[ -z "$view" || ${#checked[@]} -eq 0 ]]; then
    echo "user $label ($3) has nothing to view or edit" >&2
    exit 1
  fi
  echo "  {label=\"$label\", token=\"$token\", view={$view}, edit={$(IFS=,; echo "${checked[*]}")}},"
}
{
  echo "users = {"
  user_lua admin "$admin_id" "$admin_email" "$admin_token"
  user_lua A "$a_id" "$a_email" "$(token_of "$a_email")"
  user_lua G "$g_id" "$g_email" "$(token_of "$g_email")"
  user_lua M "$m_id" "$m_email" "$(token_of "$m_email")"
  echo "}"
} >"$work/users.lua"
echo "users: admin; A = $a_email (leads view A, edit A); G = $g_email (view G, edit M);" \
  "M = $m_email (view M, edit M)"

# One script per kind. Counts 4xx and 5xx per thread (response()), sums them in done().
kind_script() {  # KIND -> path
  local path="$work/$1.lua"
  {
    cat "$work/users.lua"
    cat <<LUA
local kind = "$1"
local think = $think_ms
LUA
    cat <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
local n = 0
status4, status5 = 0, 0
function init(args) n = math.random(1, 1000) end
function delay() return think end
function request()
  n = n + 1
  local u = users[n % #users + 1]
  local h = {["Authorization"] = "Bearer " .. u.token}
  if kind == "list" then
    return wrk.format("GET", "/api/v4/leads?limit=50&page=" .. (n % 5 + 1), h)
  elseif kind == "get" then
    return wrk.format("GET", "/api/v4/leads/" .. u.view[n % #u.view + 1], h)
  elseif kind == "summary" then
    return wrk.format("GET", "/api/v4/leads/summary", h)
  elseif kind == "patch" then
    h["Content-Type"] = "application/json"
    return wrk.format("PATCH", "/api/v4/leads/" .. u.edit[n % #u.edit + 1], h,
                      '{"price":' .. (1000 + n % 5000) .. '}')
  elseif kind == "post" then
    h["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v4/leads", h,
                      '[{"name":"load ' .. n .. '","price":' .. (n % 9000) .. '}]')
  elseif kind == "login" then
    h = {["Content-Type"] = "application/json"}
    return wrk.format("POST", "/auth/login", h,
                      '{"email":"' .. logins[n % #logins + 1] .. '","password":"' .. password .. '"}')
  end
end
function response(status, headers, body)
  if status >= 500 then status5 = status5 + 1 elseif status >= 400 then status4 = status4 + 1 end
end
function done(summary, latency, requests)
  local s4, s5 = 0, 0
  for _, t in ipairs(threads) do s4 = s4 + t:get("status4"); s5 = s5 + t:get("status5") end
  local e = summary.errors
  io.write(string.format("RESULT %s %.1f %.2f %.2f %d %d %d %d\n", kind,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, s4, s5,
    e.connect + e.read + e.write + e.timeout))
end
LUA
  } >"$path"
  echo "$path"
}
for kind in list get summary patch post; do kind_script "$kind" >/dev/null; done
{
  echo "logins = {\"$admin_email\", \"$a_email\", \"$g_email\", \"$m_email\"}"
  echo "password = \"$GATEHOUSE_ADMIN_PASSWORD\""
  cat "$(kind_script login)"
} >"$work/login_burst.lua"
sed -i 's/^function delay() return think end$//' "$work/login_burst.lua"  # logins back to back

# mixed SECONDS OUT: the five kinds at once (connections per kind below), results in OUT.
declare -A conns=([list]=4 [get]=8 [summary]=2 [patch]=4 [post]=2)
mixed() {
  local pids=() kind
  for kind in list get summary patch post; do
    wrk -t1 -c"${conns[$kind]}" -d"$1s" --timeout 10s -s "$work/$kind.lua" "$base" \
      >"$2.$kind" 2>&1 &
    pids+=("$!")
  done
  wait "${pids[@]}"
  grep -h '^RESULT' "$2".* >"$2"
}
login_burst() {  # SECONDS OUT
  wrk -t1 -c"$login_conns" -d"$1s" --timeout 30s -s "$work/login_burst.lua" "$base" |
    grep '^RESULT' >"$2"
}

mixed "$warmup" "$work/warmup"
rss_warm=$(rss_mib)
mixed "$seconds" "$work/main"
rss_end=$(rss_mib)
for round in 1 2; do
  mixed "$burst_seconds" "$work/quiet$round"
  login_burst "$burst_seconds" "$work/logins$round" &
  burst_pid=$!
  mixed "$burst_seconds" "$work/burst$round"
  wait "$burst_pid"
done
sleep 2  # the last logins of the burst finish
rss_after_burst=$(rss_mib)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work" "$seconds" "$rss_warm" "$rss_end" "$rss_after_burst" "$think_ms" <<'PY'
import sys
work, seconds, rss_warm, rss_end, rss_burst, think = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:6]), sys.argv[6]
def load(name):
    out = {}
    for line in open(f"{work}/{name}"):
        f = line.split()
        out[f[1]] = dict(rps=float(f[2]), p50=float(f[3]), p99=float(f[4]), n=int(f[5]),
                         s4=int(f[6]), s5=int(f[7]), err=int(f[8]))
    return out
kinds = ["list", "get", "summary", "patch", "post"]
label = {"list": "GET /api/v4/leads?limit=50 (pages 1-5)", "get": "GET /api/v4/leads/{id}",
         "summary": "GET /api/v4/leads/summary", "patch": "PATCH /api/v4/leads/{id}",
         "post": "POST /api/v4/leads"}
ok = True
main = load("main")
print(f"\nmixed load, {seconds} s, each connection thinking {think} ms between requests:")
print("| request | connections | req/s | p50 | p99 | 4xx | 5xx | transport errors |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
conns = {"list": 4, "get": 8, "summary": 2, "patch": 4, "post": 2}
for k in kinds:
    r = main[k]
    print(f"| {label[k]} | {conns[k]} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['s4']} | {r['s5']} | {r['err']} |")
total = sum(main[k]["rps"] for k in kinds)
s5 = sum(r["s5"] for name in ("warmup", "main", "quiet1", "burst1", "quiet2", "burst2") for r in load(name).values())
s5 += sum(load(f"logins{i}")["login"]["s5"] for i in (1, 2))
err = sum(main[k]["err"] for k in kinds)
print(f"| all | {sum(conns.values())} | {total:,.0f} | | | {sum(main[k]['s4'] for k in kinds)} | {sum(main[k]['s5'] for k in kinds)} | {err} |")
print(f"\n5xx over the whole run (every phase): {s5} -> {'pass' if s5 == 0 else 'FAIL'}")
ok &= s5 == 0 and err == 0
growth = (rss_end - rss_warm) / rss_warm * 100
rss_ok = rss_end <= rss_warm * 1.10
ok &= rss_ok
print(f"server RSS: {rss_warm:.1f} MiB after warm-up, {rss_end:.1f} MiB after the {seconds} s load "
      f"({growth:+.1f}%, limit +10%) -> {'pass' if rss_ok else 'FAIL'}; {rss_burst:.1f} MiB after the login bursts")
print("\nlogin burst: p99 of the other requests without and with concurrent logins (two stretches each):")
print("| request | p99 without | p99 with | ratio |")
print("| --- | ---: | ---: | ---: |")
worst = 0
for k in kinds:
    q = [load(f"quiet{i}")[k]["p99"] for i in (1, 2)]
    b = [load(f"burst{i}")[k]["p99"] for i in (1, 2)]
    ratio = (sum(b) / 2) / (sum(q) / 2)
    worst = max(worst, ratio)
    print(f"| {label[k]} | {q[0]:.2f} / {q[1]:.2f} ms | {b[0]:.2f} / {b[1]:.2f} ms | {ratio:.2f}x |")
for i in (1, 2):
    l = load(f"logins{i}")["login"]
    print(f"logins, burst {i}: {l['n']} ({l['rps']:.1f}/s), p50 {l['p50']:.0f} ms, p99 {l['p99']:.0f} ms, "
          f"4xx {l['s4']}, 5xx {l['s5']}, transport errors {l['err']}")
burst_ok = worst <= 2.0
ok &= burst_ok
print(f"worst p99 ratio with the burst: {worst:.2f}x (limit 2x) -> {'pass' if burst_ok else 'FAIL'}")
print("\nRESULT: " + ("pass" if ok else "FAIL"))
sys.exit(0 if ok else 1)
PY
