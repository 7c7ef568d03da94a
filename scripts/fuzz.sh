#!/usr/bin/env bash
# fuzz.sh DURATION: run every fuzz target in the module for DURATION each (go test -fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-20s}
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
  pkg=./$(dirname "${f#./}")
  for fn in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
    echo "# $pkg $fn ($dur)"
    go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$dur" "$pkg"
  done
done
