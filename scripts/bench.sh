#!/usr/bin/env bash
# bench.sh: the Go benchmarks, then crimetrends' ingest against DuckDB on generated police.uk files of
# BENCH_ROWS rows (default "1000000 10000000"), printed as one table. Figures vary by about 20% run to run;
# run on a quiet machine. Usage: scripts/bench.sh   (make bench builds bin/crimetrends first)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
rows_list=${BENCH_ROWS:-"1000000 10000000"}
out=${BENCH_OUT:-.bench}
mkdir -p "$out"

echo "# machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(go version | cut -d' ' -f3)"
echo "# go test -run '^\$' -bench . -benchmem ./datasets/... ./pipeline/... ./reports/..."
go test -run '^$' -bench . -benchmem -benchtime 3x ./datasets/... ./pipeline/... ./reports/... > "$out/go.txt" 2>&1 || { cat "$out/go.txt"; exit 1; }
printf '\n| Go benchmark | time/op | MB/s | B/op | allocs/op |\n|---|---:|---:|---:|---:|\n'
awk '/^Benchmark/ {
  name=$1; t=""; mb=""; bo=""; al="";
  for (i=2;i<=NF;i++) { if ($(i+1)=="ns/op") t=$i; if ($(i+1)=="MB/s") mb=$i; if ($(i+1)=="B/op") bo=$i; if ($(i+1)=="allocs/op") al=$i }
  if (t!="") { s=t/1e9; unit="s"; if (s<1) { s=t/1e6; unit="ms" } ; t=sprintf("%.1f %s", s, unit) }
  printf "| %s | %s | %s | %s | %s |\n", name, t, mb, bo, al }' "$out/go.txt"

printf '\n| ingest of a generated police.uk CSV | rows | MB | DuckDB s | DuckDB peak MiB | crimetrends s | crimetrends peak MiB | crimetrends MB/s | ratio DuckDB/crimetrends |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for rows in $rows_list; do
  "$shared/bench/vs-duckdb.sh" -rows "$rows" -- ./bin/crimetrends ingest --quiet --data {dir} {csv} > "$out/duckdb-$rows.txt" 2>&1 || { cat "$out/duckdb-$rows.txt"; exit 1; }
  python3 - "$out/duckdb-$rows.txt" "$rows" <<'PY'
import re, statistics, sys
text = open(sys.argv[1]).read()
runs = re.findall(r"run \d+: duckdb ([\d.]+) s (\d+) KiB \| ours ([\d.]+) s (\d+) KiB", text)
mb = int(re.search(r"(\d+) MB; median ratio", text).group(1))
ratio = re.search(r"ratio duckdb/ours = ([\d.]+)", text).group(1)
d = statistics.median(float(r[0]) for r in runs); dm = max(int(r[1]) for r in runs) / 1024
o = statistics.median(float(r[2]) for r in runs); om = max(int(r[3]) for r in runs) / 1024
print(f"| street CSV, median of {len(runs)} | {int(sys.argv[2]):,} | {mb:,} | {d:.2f} | {dm:.0f} | {o:.2f} | {om:.0f} | {mb/o:,.0f} | {ratio} |")
PY
done

# Reports for one force and for every force, on the synthetic demo dataset (44 forces and BTP, 4 years
# of police.uk months and Home Office quarters).
demo=$out/demo
# time_reports DATA OUT: a table row per report (one force, every force), the median time of three runs
# into OUT and the largest peak.
time_reports() {
  for forces in "Wiltshire" "all"; do
    times=() peak=0
    for i in 1 2 3; do
      /usr/bin/time -f '%e %M' -o "$out/time.out" ./bin/crimetrends report --quiet --data "$1" --out "$2" --force "$forces" > /dev/null
      read -r s kib < "$out/time.out"
      times+=("$s"); [ "$kib" -gt "$peak" ] && peak=$kib
    done
    med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
    echo "| \`crimetrends report --force $forces\` | $med | $((peak / 1024)) |"
  done
}

rm -rf "$demo"
./bin/crimetrends demo --quiet --out "$demo" > /dev/null
printf '\n| report on the demo dataset (%s trend rows) | median s of 3 | peak MiB |\n|---|---:|---:|\n' \
  "$(($(wc -l < "$demo/trends.csv") - 1))"
time_reports "$demo/synthetic-data" "$out/demo-report"

# Reports on fifteen years of data.police.uk for every force: a generated file of 180 months (December 2010
# to November 2025). A report reads the dataset's counts (force x month x category, about 106,000 of them
# however many rows made them), so BENCH_LONG_ROWS rows (default 4M, every count non-zero) give the same
# report as the 80M rows of the real fifteen years; the ingest of 80M rows is in the table above's terms.
long=$out/long
long_rows=${BENCH_LONG_ROWS:-4000000}
if [ ! -s "$long/street.csv" ] || [ "$(cat "$long/rows" 2>/dev/null)" != "$long_rows" ]; then
  mkdir -p "$long"
  go run "$shared/bench/gen_street.go" -rows "$long_rows" -seed 1 -from 2010-12 -months 180 -o "$long/street.csv"
  echo "$long_rows" > "$long/rows"
fi
rm -rf "$long/data"
./bin/crimetrends ingest --quiet --data "$long/data" "$long/street.csv" > /dev/null
printf '\n| report on fifteen years of every force (%s generated rows, 180 months) | median s of 3 | peak MiB |\n|---|---:|---:|\n' "$long_rows"
time_reports "$long/data" "$out/long-report"
