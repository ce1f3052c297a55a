#!/usr/bin/env bash
# Starts or stops a private PostgreSQL 15 cluster for the test suite.
#   scripts/pg-test-cluster.sh start DIR   -> prints the connection URL on stdout
#   scripts/pg-test-cluster.sh stop DIR
#   scripts/pg-test-cluster.sh resume DIR  -> starts a stopped cluster again on its port (outage
#                                             tests); prints the same URL
# initdb refuses to run as root, so the cluster runs as the `postgres` system user in DIR
# (owned by it), listening on 127.0.0.1 and a unix socket in DIR, on a free port.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data directory}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
as_pg() { if [[ $(id -un) == postgres ]]; then "$@"; elif [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
  start)
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres:postgres "$dir"
      # mktemp -d makes 0700 directories: the postgres user must be able to reach DIR.
      chmod a+x "$(dirname "$dir")"
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_pg "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1
    as_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
    as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres gatehouse_test
    echo "$port" >"$dir/port"
    echo "postgresql://postgres@127.0.0.1:$port/gatehouse_test"
    ;;
  resume)
    port=$(cat "$dir/port")
    as_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/gatehouse_test"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      pid=$(head -n1 "$dir/data/postmaster.pid")
      kill -INT "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    ;;
  *) echo "usage: $0 start|stop|resume DIR" >&2; exit 2 ;;
esac
