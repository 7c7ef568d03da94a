#!/usr/bin/env bash
# fuzz.sh [DURATION]: run every fuzz target in the module for DURATION each (default 20s).
#
# Targets are discovered, not listed: every `func FuzzXxx(f *testing.F)` in a _test.go file
# tracked by git (or, outside a git checkout, found under the module). Each runs with
# `go test -run '^$' -fuzz '^FuzzXxx$' -fuzztime DURATION` in its package, after its seed
# corpus (which includes the real samples when ../shared/data/real is there). A failing
# input is written to the package's testdata/fuzz/FuzzXxx/ by go test: commit it as a
# regression case. The script stops at the first failure, with go test's exit status.
#
# One failure is not a finding: Go 1.26's fuzz coordinator can report a bare "context deadline
# exceeded" when -fuzztime ends while a worker is mid-call on a loaded machine (go.dev/issue/75804,
# fixed in Go 1.27). Such a run, with no failing input written and no panic, is retried once, and
# counts as passed only if the retry passes and the corpus replays clean.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-20s}

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files --cached --others --exclude-standard '*_test.go')
else
  files=$(find . -name '*_test.go' -not -path './.git/*' | sed 's|^\./||')
fi

targets=()
for f in $files; do
  [ -f "$f" ] || continue
  for fn in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*\*testing\.F).*/\1/p' "$f"); do
    targets+=("./$(dirname "$f") $fn")
  done
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz.sh: no fuzz targets found" >&2
  exit 1
fi
mapfile -t targets < <(printf '%s\n' "${targets[@]}" | sort)

echo "fuzz.sh: ${#targets[@]} targets, $dur each"
start=$SECONDS
for t in "${targets[@]}"; do
  read -r pkg fn <<<"$t"
  echo "# $pkg $fn ($dur)"
  log=$(mktemp)
  if go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$dur" "$pkg" 2>&1 | tee "$log"; then
    rm -f "$log"
    continue
  fi
  if grep -q 'context deadline exceeded' "$log" && ! grep -q -e 'Failing input written' -e 'panic:' -e '_test.go:[0-9]*:' "$log"; then
    echo "fuzz.sh: $fn ended on the fuzztime deadline with nothing found (go.dev/issue/75804): running it again" >&2
    rm -f "$log"
    go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$dur" "$pkg"
    go test -count=1 -run "^${fn}\$" "$pkg"
    continue
  fi
  rm -f "$log"
  exit 1
done
echo "fuzz.sh: ${#targets[@]} targets passed in $((SECONDS - start))s"
