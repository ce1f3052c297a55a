#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build/fuzz and runs each for a while
# (docs/fuzzing.md).
#
#   scripts/fuzz.sh [SECONDS] [NAME...]
#
# SECONDS per target (default 5); NAMEs pick targets (default: every tests/fuzz/*_fuzz.cc).
# Each target starts from its seed corpus (tests/fuzz/corpus/NAME) and its regression cases
# (tests/fuzz/regressions/NAME), which are read, never written: new inputs go to a temp dir, and
# so does a crash input (kept there and named in the output). Prints one line per target with
# libFuzzer's final figures, then `fuzz: N passed, N failed`; exits 1 when any target failed
# (a crash, a broken invariant, a sanitizer report, a leak or a timeout).
#
# Environment: GATEHOUSE_FUZZ_BUILD (build dir, default build/fuzz), GATEHOUSE_FUZZ_JOBS (build
# jobs, default 2), GATEHOUSE_FUZZ_ARGS (extra libFuzzer flags, e.g. "-jobs=2 -workers=2"),
# GATEHOUSE_FUZZ_KEEP=1 (keep the temp dirs with the inputs found), GATEHOUSE_FUZZ_SKIP_BUILD=1
# (run what build/fuzz holds, e.g. two runs side by side on disjoint targets).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

seconds=${1:-5}
shift || true
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "fuzz.sh: SECONDS must be a positive integer, not '$seconds'" >&2
  exit 2
fi
build=${GATEHOUSE_FUZZ_BUILD:-build/fuzz}
jobs=${GATEHOUSE_FUZZ_JOBS:-2}

cxx=$(command -v clang++ || true)
if [[ -z "$cxx" ]]; then
  echo "fuzz.sh: clang++ not found (scripts/install-deps.sh installs clang)" >&2
  exit 1
fi

names=("$@")
if ((${#names[@]} == 0)); then
  for f in tests/fuzz/*_fuzz.cc; do
    n=$(basename "$f" _fuzz.cc)
    names+=("$n")
  done
fi

# -O1 with asserts on (no NDEBUG): libFuzzer's recommended speed, and the project's own
# invariants still abort. Warnings are GCC's business (the main build has -Werror).
build_targets() {
  mkdir -p "$build"
  local log="$build/configure.log"
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DGATEHOUSE_FUZZ=ON -DGATEHOUSE_WERROR=OFF \
    >"$log" 2>&1 || { cat "$log" >&2; return 1; }
  local targets=()
  for n in "${names[@]}"; do targets+=(--target "${n}_fuzz"); done
  cmake --build "$build" -j"$jobs" "${targets[@]}"
}
if [[ "${GATEHOUSE_FUZZ_SKIP_BUILD:-0}" != 1 ]]; then
  build_targets
fi

# Leaks are failures (LeakSanitizer works here, see scripts/test.sh); a sanitizer report ends
# the run with libFuzzer's crash handling, which saves the input.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1:handle_abort=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=${LSAN_OPTIONS:-}

work=$(mktemp -d /tmp/gatehouse-fuzz.XXXXXX)
if [[ "${GATEHOUSE_FUZZ_KEEP:-0}" != 1 ]]; then
  trap 'rm -rf "$work"' EXIT
fi

passed=0
failed=0
for n in "${names[@]}"; do
  bin="$build/tests/fuzz/${n}_fuzz"
  if [[ ! -x "$bin" ]]; then
    echo "fuzz: $n: no binary $bin" >&2
    failed=$((failed + 1))
    continue
  fi
  mkdir -p "$work/$n/new" "$work/$n/artifacts"
  corpora=("$work/$n/new")
  for dir in "tests/fuzz/corpus/$n" "tests/fuzz/regressions/$n"; do
    [[ -d "$dir" ]] && corpora+=("$dir")
  done
  log="$work/$n/log"
  status=0
  # shellcheck disable=SC2086  # GATEHOUSE_FUZZ_ARGS is a list of flags
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$work/$n/artifacts/" ${GATEHOUSE_FUZZ_ARGS:-} \
    "${corpora[@]}" >"$log" 2>&1 || status=$?
  stats=$(grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' "$log" |
    sed 's/^stat:://; s/: */=/' | tr '\n' ' ' || true)
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n1 || true)
  if ((status == 0)) && ! grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$log"; then
    passed=$((passed + 1))
    echo "fuzz: $n: ok (${seconds}s; $cov; $stats)"
  else
    failed=$((failed + 1))
    echo "fuzz: $n: FAILED (exit $status); log follows" >&2
    tail -n 60 "$log" >&2
    for a in "$work/$n/artifacts/"*; do
      [[ -e "$a" ]] && echo "fuzz: $n: failing input kept in $a (base64: $(base64 -w0 "$a" | head -c 400))" >&2
    done
    GATEHOUSE_FUZZ_KEEP=1
    trap - EXIT
  fi
done

echo "fuzz: $passed passed, $failed failed"
((failed == 0))
