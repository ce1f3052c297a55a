#!/usr/bin/env bash
# Fails when a tracked C or C++ file differs from what clang-format makes of it with the
# checked-in .clang-format; prints the files. Registered with ctest as format_check.
# Fix: scripts/format-check.sh --fix (formats those files in place).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

formatter=$(command -v clang-format-14 || command -v clang-format || true)
if [[ -z "$formatter" ]]; then
  echo "format-check: clang-format is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

mapfile -t files < <(git ls-files '*.cc' '*.h' '*.c' | grep -v '^web/')
if [[ "${1:-}" == "--fix" ]]; then
  "$formatter" -i "${files[@]}"
  exit 0
fi

# One clang-format run for all files; --dry-run names each differing file in its warnings.
mapfile -t unformatted < <("$formatter" --dry-run "${files[@]}" 2>&1 |
  sed -n 's/^\(.*\):[0-9]*:[0-9]*: warning: code should be clang-formatted.*/\1/p' | sort -u)
if ((${#unformatted[@]} > 0)); then
  echo "format-check: ${#unformatted[@]} file(s) differ from .clang-format (scripts/format-check.sh --fix):"
  printf '  %s\n' "${unformatted[@]}"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "format-check: ${#files[@]} files formatted"
