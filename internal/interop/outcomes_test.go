package interop

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/internal/testutil"
	"github.com/crimetrends/crimetrends/pipeline"
)

// TestDuckDBReadsOutcomes ingests the real City of London outcomes and
// street files in two vintages (the second with a resubmitted 2018-12
// outcomes file), then checks with DuckDB that (1) the outcomes files read
// as one table whose latest vintage per force and month is what
// Store.Outcomes returns, and (2) DuckDB's own join of the CSVs (distinct
// outcome rows, each crime's type through its Crime ID in the street
// files) gives the same counts.
func TestDuckDBReadsOutcomes(t *testing.T) {
	if testing.Short() {
		t.Skip("interop test skipped with -short")
	}
	archive := testutil.Real(t, "police-uk-archive")
	street := testutil.Real(t, "police-uk-street-geoinfo")
	dir := t.TempDir()
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	st, err := store.Open(dir, store.Options{Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var streets []string
	for _, m := range []string{"2018-10", "2018-11", "2018-12", "2019-01", "2019-02"} {
		streets = append(streets, filepath.Join(street, m+"-city-of-london-street.csv"))
	}
	if _, err := pipeline.Ingest(ctx, st, append([]string{archive}, streets...), pipeline.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	// A resubmitted December without its last row, in a vintage of its own.
	orig, err := os.ReadFile(filepath.Join(archive, "2018-12", "2018-12-city-of-london-outcomes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.TrimRight(string(orig), "\n")
	resub := filepath.Join(t.TempDir(), "2018-12", "2018-12-city-of-london-outcomes.csv")
	if err := os.MkdirAll(filepath.Dir(resub), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(resub, []byte(body[:strings.LastIndexByte(body, '\n')+1]), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Ingest(ctx, st, []string{resub}, pipeline.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	out, err := st.Outcomes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for _, o := range out.Counts {
		want[key(o.AreaCode, "|", o.Month, "|", o.CrimeType, "|", o.Outcome)] = o.Count
	}

	rows := duckdb(t, fmt.Sprintf(`SELECT area_code, month, crime_type, outcome, sum("count") AS n
		FROM (SELECT * FROM read_parquet('%s/outcomes/*.parquet')
		      QUALIFY vintage = max(vintage) OVER (PARTITION BY source, area_code, month))
		GROUP BY ALL`, dir))
	got := map[string]int64{}
	for _, r := range rows {
		got[key(r["area_code"], "|", r["month"], "|", r["crime_type"], "|", r["outcome"])] = asInt(t, r["n"])
	}
	compare(t, "the outcomes table", got, want)

	// DuckDB's own join of the CSVs, December from the resubmission.
	raw := duckdb(t, fmt.Sprintf(`WITH o AS (
		  SELECT DISTINCT * FROM read_csv(['%s/2018-1[01]/*-outcomes.csv', '%s/2019-*/*-outcomes.csv', '%s'], header = true, all_varchar = true)
		), s AS (
		  SELECT DISTINCT "Crime ID" AS id, "Crime type" AS crime_type
		  FROM read_csv('%s/*-city-of-london-street.csv', header = true, all_varchar = true) WHERE "Crime ID" IS NOT NULL
		)
		SELECT 'E23000034' AS area_code, o."Month" AS month, coalesce(s.crime_type, '') AS crime_type, o."Outcome type" AS outcome, count(*) AS n
		FROM o LEFT JOIN s ON o."Crime ID" = s.id
		GROUP BY ALL`, archive, archive, resub, street))
	got = map[string]int64{}
	for _, r := range raw {
		got[key(r["area_code"], "|", r["month"], "|", r["crime_type"], "|", r["outcome"])] = asInt(t, r["n"])
	}
	compare(t, "DuckDB's join of the CSVs", got, want)
}

func compare(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	var diffs []string
	for k, v := range want {
		if got[k] != v {
			diffs = append(diffs, fmt.Sprintf("%s: duckdb %d, crimetrends %d", k, got[k], v))
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: duckdb %d, crimetrends none", k, v))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 || len(want) == 0 {
		t.Errorf("%s: %d of %d outcome counts differ, first: %v", what, len(diffs), len(want), diffs[:min(5, len(diffs))])
	}
}
