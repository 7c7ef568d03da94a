package interop

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
)

// releaseNotesSQL is the query of datasets/store's documentation that
// gives the release notes of the current vintage of each release.
const releaseNotesSQL = `WITH committed AS (
  SELECT id FROM read_json('DIR/catalog.json', format = 'newline_delimited', ignore_errors = true,
                           columns = {id: 'VARCHAR'})
),
inputs AS (
  SELECT v.id AS vintage, u.n AS pos, u.i AS i
  FROM read_json('DIR/catalog/*.json', columns = {id: 'VARCHAR',
         inputs: 'STRUCT(sha256 VARCHAR, releases VARCHAR[], release_notes STRUCT(release VARCHAR, text VARCHAR)[])[]'}) AS v
       SEMI JOIN committed USING (id),
       unnest(v.inputs) WITH ORDINALITY AS u(i, n)
),
winners AS (
  SELECT vintage, pos, r.release
  FROM inputs, unnest(i.releases) AS r(release)
  QUALIFY row_number() OVER (PARTITION BY release ORDER BY vintage DESC, pos DESC) = 1
)
SELECT w.release, n.note.text AS note
FROM winners AS w JOIN inputs AS x USING (vintage, pos),
     unnest(x.i.release_notes) WITH ORDINALITY AS n(note, k)
WHERE n.note.release = w.release
ORDER BY w.release, n.k;`

// TestDuckDBReadsFootnotes stores published rows with footnotes and
// release notes in two vintages (the second re-issues one release with
// other notes, and one input has none) and checks that DuckDB reads the
// footnotes column and, with the documented query, the release notes
// Store.Current returns.
func TestDuckDBReadsFootnotes(t *testing.T) {
	dir := t.TempDir()
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	st, err := store.Open(dir, store.Options{Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	mar, jun := datasets.MonthOf(2019, 3), datasets.MonthOf(2019, 6)
	row := func(rel string, end datasets.Month, notes ...string) datasets.Published {
		return datasets.Published{Release: rel, File: rel + ".xlsx", AreaCode: "E23000038", AreaName: "Wiltshire",
			Offence: "Stalking and harassment", PeriodEnd: end, Months: 12, HasCount: true, Count: 2697, Footnotes: notes}
	}
	sha := func(c byte) string { return strings.Repeat(string(c), 64) }
	first := &datasets.Extract{Source: datasets.SourceONSPFA, Name: "both.xlsx", SHA256: sha('a'),
		Published: []datasets.Published{row("ons-pfa-2019-03", mar, "Table P1: a note", "Tables P2 and P3: it's \"quoted\""),
			row("ons-pfa-2019-06", jun)},
		ReleaseNotes: []datasets.ReleaseNote{{Release: "ons-pfa-2019-06", Text: "June's"}, {Release: "ons-pfa-2019-03", Text: "March's first"}},
	}
	other := &datasets.Extract{Source: datasets.SourceONSPFA, Name: "none.xlsx", SHA256: sha('b'),
		Published: []datasets.Published{row("ons-pfa-2019-09", datasets.MonthOf(2019, 9))}}
	reissue := &datasets.Extract{Source: datasets.SourceONSPFA, Name: "mar.xlsx", SHA256: sha('c'),
		Published:    []datasets.Published{row("ons-pfa-2019-03", mar, "Table P1: the corrected note")},
		ReleaseNotes: []datasets.ReleaseNote{{Release: "ons-pfa-2019-03", Text: "March's, b"}, {Release: "ons-pfa-2019-03", Text: "March's, a"}},
	}
	ctx := context.Background()
	for _, batch := range [][]*datasets.Extract{{first, other}, {reissue}} {
		if _, err := st.Add(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := st.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.ReleaseNotes) != 3 {
		t.Fatalf("store: release notes %q, want June's and the re-issued March's", snap.ReleaseNotes)
	}
	var want []string
	for _, n := range snap.ReleaseNotes {
		want = append(want, n.Release+": "+n.Text)
	}
	var got []string
	for _, r := range duckdb(t, strings.ReplaceAll(releaseNotesSQL, "DIR", dir)) {
		got = append(got, fmt.Sprint(r["release"], ": ", r["note"]))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DuckDB release notes %q, want %q", got, want)
	}

	// The footnotes column, split back into footnotes, for the latest
	// vintage of each release.
	want = nil
	for _, p := range snap.Published {
		want = append(want, fmt.Sprintf("%s %q", p.Release, p.Footnotes))
	}
	got = nil
	for _, r := range duckdb(t, strings.ReplaceAll(`SELECT release, coalesce(string_split(footnotes, chr(10)), []) AS notes
		FROM read_parquet('DIR/published/*.parquet', union_by_name = true)
		QUALIFY vintage = max(vintage) OVER (PARTITION BY release)
		ORDER BY release`, "DIR", dir)) {
		var notes []string
		for _, n := range r["notes"].([]any) {
			notes = append(notes, n.(string))
		}
		got = append(got, fmt.Sprintf("%s %q", r["release"], notes))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DuckDB footnotes:\n got %q\nwant %q", got, want)
	}
}
