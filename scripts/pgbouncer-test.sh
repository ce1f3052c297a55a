#!/usr/bin/env bash
# Starts or stops a private pgbouncer in transaction mode in front of a PostgreSQL on loopback
# (the test cluster of scripts/pg-test-cluster.sh), for tests and benchmarks (docs/scaling.md).
#   scripts/pgbouncer-test.sh start DIR PG_PORT [POOL_SIZE]  -> prints the pooler's port
#   scripts/pgbouncer-test.sh stop DIR
# pgbouncer refuses to run as root, so it runs as the `postgres` system user with its files in
# DIR (owned by it). Any database name is passed through; trust authentication, as the cluster.
# Needs Debian's `pgbouncer` package (exit 3 when it is missing).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}
bin=/usr/sbin/pgbouncer
as_pg() { if [[ $(id -un) == postgres ]]; then "$@"; elif [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
  start)
    pg_port=${3:?PostgreSQL port}
    pool_size=${4:-8}
    [[ -x $bin ]] || { echo "pgbouncer is not installed (apt-get install pgbouncer)" >&2; exit 3; }
    mkdir -p "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    echo '"postgres" ""' >"$dir/users.txt"
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$pg_port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
pool_mode = transaction
default_pool_size = $pool_size
max_client_conn = 500
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    if [[ $(id -u) -eq 0 ]]; then
      chown -R postgres:postgres "$dir"
      chmod a+x "$(dirname "$dir")"
    fi
    as_pg "$bin" -d "$dir/pgbouncer.ini" >/dev/null
    for _ in $(seq 1 50); do
      python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
      sleep 0.1
    done
    echo "$port"
    ;;
  stop)
    if [[ -f "$dir/pgbouncer.pid" ]]; then
      pid=$(cat "$dir/pgbouncer.pid")
      kill -INT "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    ;;
  *) echo "usage: $0 start DIR PG_PORT [POOL_SIZE] | stop DIR" >&2; exit 2 ;;
esac
