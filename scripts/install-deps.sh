#!/usr/bin/env bash
# Installs the Debian packages Gatehouse needs to build, test and benchmark.
# Used by the README's two commands and by CI; does nothing when all are present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git
  libboost-dev libssl-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libpq-dev postgresql
  libsodium-dev libtomlplusplus-dev liboath-dev libqrencode-dev libmaxminddb-dev libgeoip-dev geoip-database
  libspdlog-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  curl
  clang-format  # scripts/format-check.sh (ctest format_check)
  clang libclang-rt-dev  # scripts/fuzz.sh: libFuzzer and the sanitizers' runtimes (recommended only)
  python3  # scripts/pg-test-cluster.sh picks a free port with it
  pgbouncer  # tests/api/pgbouncer_test.cc: the server behind a transaction-mode pooler
)
# Only for the test suite: Debian's Chromium for the console's browser tests (never a browser
# downloaded by npm), and nginx, which tests/api/proxy_test.cc runs with the shipped example.
if [[ "${GATEHOUSE_TEST_DEPS:-0}" == 1 ]]; then
  packages+=(chromium nginx)
fi
# Node 20 (>= 20.19, Vite's floor) comes with the machine image; Debian's own nodejs is older
# and only a fallback for a machine without any.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
# Only for benchmarks (bench/README.md): wrk and nginx.
if [[ "${GATEHOUSE_BENCH_DEPS:-0}" == 1 ]]; then
  packages+=(wrk nginx)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}" >&2
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The console's packages, exactly as locked (npm ci), when missing or older than the lock file.
web="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/web"
if [[ ! -f "$web/node_modules/.package-lock.json" || "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]]; then
  echo "installing the console's npm packages (npm ci)" >&2
  (cd "$web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
