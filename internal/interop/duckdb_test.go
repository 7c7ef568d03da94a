package interop

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/internal/testutil"
	"github.com/crimetrends/crimetrends/pipeline"
)

// duckdb runs one query with DuckDB's Node.js package (installed into
// .cache/duckdb by scripts/duckdb-tools.sh) and returns its rows. Without
// node or the package the test is skipped, except in CI, where it fails.
func duckdb(t *testing.T, sql string) []map[string]any {
	t.Helper()
	root := testutil.RepoRoot(t)
	tools := filepath.Join(root, ".cache", "duckdb")
	missing := func(why string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: CI must run scripts/duckdb-tools.sh first", why)
		}
		t.Skipf("%s: run scripts/duckdb-tools.sh to enable this test", why)
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("node not found")
	}
	if _, err := os.Stat(filepath.Join(tools, "node_modules", "@duckdb", "node-api")); err != nil {
		missing("DuckDB's Node.js package not installed in " + tools)
	}
	script, err := os.ReadFile(filepath.Join("testdata", "query.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	// Node resolves packages from the script's folder, so the script runs from there.
	if err := os.WriteFile(filepath.Join(tools, "query.mjs"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", filepath.Join(tools, "query.mjs"), sql).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("duckdb: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatalf("duckdb output: %v: %s", err, out)
	}
	return rows
}

func key(parts ...any) string { return fmt.Sprint(parts...) }

func asInt(t *testing.T, v any) int64 {
	t.Helper()
	switch x := v.(type) {
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			t.Fatalf("not a number: %q", x)
		}
		return n
	case float64:
		return int64(x)
	}
	t.Fatalf("not a number: %#v", v)
	return 0
}

// TestDuckDBReadsDatasetAsOneTable ingests the real police.uk and Home
// Office samples, then checks with DuckDB that (1) the Parquet dataset reads
// as one table whose current vintage holds exactly the counts crimetrends
// reports, and (2) DuckDB's own count of the police.uk CSV rows (one per
// Crime ID; every anti-social behaviour row) equals crimetrends' counts.
func TestDuckDBReadsDatasetAsOneTable(t *testing.T) {
	if testing.Short() {
		t.Skip("interop test skipped with -short")
	}
	street := testutil.Real(t, "police-uk-street-geoinfo")
	prc := testutil.Real(t, "mopd-crime-sim-toolkit", "prc-pfa-mar2013-onwards-tables201718.csv")
	dir := t.TempDir()
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	st, err := store.Open(dir, store.Options{Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := pipeline.Ingest(ctx, st, []string{street, prc}, pipeline.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	// A second vintage: a resubmitted Wiltshire October 2018 without its last
	// row, so the table also holds a superseded copy that the current-vintage
	// query must leave out.
	orig, err := os.ReadFile(filepath.Join(street, "2018-10-wiltshire-street.csv"))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.TrimRight(string(orig), "\n")
	resub := filepath.Join(t.TempDir(), "2018-10-wiltshire-street.csv")
	if err := os.WriteFile(resub, []byte(body[:strings.LastIndexByte(body, '\n')+1]), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Ingest(ctx, st, []string{resub}, pipeline.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := st.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for _, c := range snap.Counts {
		want[key(c.Source, "|", c.AreaCode, "|", c.Offence, "|", c.Start, "|", c.End)] = c.Count
	}

	if len(snap.Superseded) != 1 {
		t.Fatalf("superseded keys: %+v, want Wiltshire 2018-10 only", snap.Superseded)
	}
	rows := duckdb(t, fmt.Sprintf(`SELECT source, area_code, offence, period_start, period_end, sum("count") AS n
		FROM (SELECT * FROM read_parquet('%s/counts/*.parquet')
		      QUALIFY vintage = max(vintage) OVER (PARTITION BY source, area_code, period_start, period_end))
		GROUP BY ALL`, dir))
	got := map[string]int64{}
	for _, r := range rows {
		got[key(r["source"], "|", r["area_code"], "|", r["offence"], "|", r["period_start"], "|", r["period_end"])] = asInt(t, r["n"])
	}
	if len(got) != len(want) {
		t.Errorf("DuckDB sees %d current counts, crimetrends %d", len(got), len(want))
	}
	var diffs []string
	for k, v := range want {
		if got[k] != v {
			diffs = append(diffs, fmt.Sprintf("%s: duckdb %d, crimetrends %d", k, got[k], v))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("%d counts differ, first: %v", len(diffs), diffs[:min(5, len(diffs))])
	}

	// DuckDB counts the raw CSVs itself (the original files: the
	// resubmission changed only Wiltshire 2018-10, checked above).: every ASB row, one per distinct Crime ID otherwise.
	raw := duckdb(t, fmt.Sprintf(`SELECT "Reported by" AS force, "Month" AS month, "Crime type" AS category,
		count(DISTINCT "Crime ID") + count(*) FILTER (WHERE "Crime ID" IS NULL) AS n
		FROM read_csv('%s/*.csv', header=true, all_varchar=true)
		GROUP BY ALL`, street))
	if len(raw) == 0 {
		t.Fatal("DuckDB read no police.uk rows")
	}
	checked, resubmitted := 0, 0
	for _, r := range raw {
		area, err := datasets.ResolveForce(r["force"].(string))
		if err != nil {
			t.Fatal(err)
		}
		m := r["month"].(string)
		if area.Code == "E23000038" && m == "2018-10" {
			resubmitted++
			continue
		}
		k := key(datasets.SourcePoliceUK, "|", area.Code, "|", r["category"], "|", m, "|", m)
		if n := asInt(t, r["n"]); want[k] != n {
			t.Errorf("%s: DuckDB counts %d rows, crimetrends %d", k, n, want[k])
		}
		checked++
	}
	if checked+resubmitted != 280 || resubmitted == 0 {
		t.Errorf("DuckDB found %d+%d police.uk force x month x category counts, want 280", checked, resubmitted)
	}
}
