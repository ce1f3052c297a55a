#!/usr/bin/env bash
# The project's single test command (CI runs it through .ci/run):
#   1. installs missing Debian packages (scripts/install-deps.sh),
#   2. builds Debug with AddressSanitizer + UndefinedBehaviorSanitizer in build/debug,
#   3. starts a private PostgreSQL cluster in a temp dir and exports GATEHOUSE_TEST_PG_URL,
#   4. runs every test with ctest, once, and exits with ctest's status. That includes fuzz_smoke:
#      scripts/fuzz.sh 5 builds the fuzz targets with clang in build/fuzz and runs each 5 s.
# The cluster is stopped by PID in an EXIT trap whatever happens (failure, Ctrl-C, TERM).
# Works as root or as a normal user, with or without a terminal; with CI=true the PostgreSQL
# tests refuse to skip, so a missing cluster fails the run instead of hiding it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# A fixed locale: initdb fails on a LANG whose locale is not generated, and the C collation
# orders text bytewise in PostgreSQL exactly as SQLite's BINARY collation does.
export LC_ALL=C
export DEBIAN_FRONTEND=noninteractive

GATEHOUSE_TEST_DEPS=1 scripts/install-deps.sh

build=build/debug
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DGATEHOUSE_SANITIZE=ON
cmake --build "$build" -j2

# Under /tmp, not $TMPDIR: the postgres user must be able to reach the cluster directory.
work=$(mktemp -d /tmp/gatehouse-test.XXXXXX)
cluster="$work/pg"
stop_cluster() {
  local pid=""
  if [[ -f "$cluster/data/postmaster.pid" ]]; then
    pid=$(head -n1 "$cluster/data/postmaster.pid")
  fi
  scripts/pg-test-cluster.sh stop "$cluster" || true
  # pg-test-cluster.sh waits 10 s for a fast shutdown; past that, end the postmaster outright.
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! url=$(scripts/pg-test-cluster.sh start "$cluster"); then
  echo "test.sh: could not start PostgreSQL; logs follow" >&2
  cat "$cluster"/*.log >&2 2>/dev/null || true
  exit 1
fi
export GATEHOUSE_TEST_PG_URL="$url"
echo "test.sh: PostgreSQL test cluster at $GATEHOUSE_TEST_PG_URL" >&2

# LeakSanitizer stops the process's threads with ptrace. That works on this image, as root too
# (checked with a deliberate leak: reported, exit 1), so leaks fail the run. Where ptrace is
# forbidden (some container seccomp profiles) LSan aborts with "LeakSanitizer has encountered a
# fatal error"; only there would detect_leaks=0 be the honest setting.
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# ctest runs in the background so a TERM or INT sent to this script alone is handled at once
# (bash defers traps until a foreground child exits): ctest is ended, then the cluster.
ctest --test-dir "$build" --output-on-failure -j2 &
ctest_pid=$!
trap 'kill -TERM "$ctest_pid" 2>/dev/null; exit 130' INT
trap 'kill -TERM "$ctest_pid" 2>/dev/null; exit 143' TERM
status=0
wait "$ctest_pid" || status=$?
exit "$status"
