#!/usr/bin/env bash
# Builds Gatehouse (Release), fills a demo workspace into ./gatehouse.db on first run, serves it
# on http://127.0.0.1:8080 and, once the server answers, prints the console's address and the
# demo login. Installs missing Debian packages first. Ctrl-C stops the server.
#   GATEHOUSE_DEMO_LEADS      leads in the demo workspace (default 20000)
#   GATEHOUSE_LISTEN          HOST:PORT to listen on (default 127.0.0.1:8080)
#   GATEHOUSE_ADMIN_PASSWORD  every demo user's password, set when ./gatehouse.db is created
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j2 --target gatehouse
db="sqlite:./gatehouse.db"
export GATEHOUSE_ADMIN_PASSWORD="${GATEHOUSE_ADMIN_PASSWORD:-demo-Gatehouse-2026}"
if [[ ! -f gatehouse.db ]]; then
  build/release/gatehouse demo --db "$db" --leads "${GATEHOUSE_DEMO_LEADS:-20000}"
fi
listen="${GATEHOUSE_LISTEN:-127.0.0.1:8080}"
url="http://$listen"
admin="admin@demo.gatehouse.local"

build/release/gatehouse serve --db "$db" --listen "$listen" &
server=$!
# A background job of a script ignores Ctrl-C (SIGINT): pass it on as SIGTERM.
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; exit 130' INT TERM
for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null "$url/api/v4/openapi.json" 2>/dev/null; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then wait "$server"; exit $?; fi
  sleep 0.1
done

cat <<INFO

Gatehouse is running. Press Ctrl-C to stop it.

  API        $url/api/v4/  (contract: docs/api.md), for example:
    curl -c jar -H 'Content-Type: application/json' \\
      -d '{"email":"$admin","password":"$GATEHOUSE_ADMIN_PASSWORD"}' $url/auth/login
    curl -b jar '$url/api/v4/leads?limit=5'

  Console    $url/
  Sign in as $admin
  Password   $GATEHOUSE_ADMIN_PASSWORD  (every demo user has it, e.g. the salespeople under Settings → Users)
INFO
wait "$server"
