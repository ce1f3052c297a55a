#!/usr/bin/env bash
# Builds Gatehouse (Release), fills a demo workspace into ./gatehouse.db on first run, and serves
# it on http://127.0.0.1:8080. Installs missing Debian packages first.
#   GATEHOUSE_DEMO_LEADS   leads in the demo workspace (default 20000)
#   GATEHOUSE_LISTEN       HOST:PORT to listen on (default 127.0.0.1:8080)
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
echo "API at http://$listen/api/v4/ (contract: docs/api.md). Log in with POST /auth/login as"
echo "admin@demo.gatehouse.local, password $GATEHOUSE_ADMIN_PASSWORD; for example:"
echo "  curl -c jar -d '{\"email\":\"admin@demo.gatehouse.local\",\"password\":\"$GATEHOUSE_ADMIN_PASSWORD\"}' http://$listen/auth/login"
echo "  curl -b jar http://$listen/api/v4/leads?limit=5"
exec build/release/gatehouse serve --db "$db" --listen "$listen"
