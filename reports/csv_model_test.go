package reports

import (
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"testing"

	"github.com/crimetrends/crimetrends/pipeline"
)

// The four CSVs of the golden report, each compared with its golden file.
func TestCSVGoldens(t *testing.T) {
	rep := bookReport(t)
	for _, tc := range []struct {
		name  string
		write func(io.Writer, *pipeline.Report, bool) error
	}{
		{"trends.csv", WriteFigures},
		{"ranking.csv", WriteRanking},
		{"comparisons.csv", WriteComparisons},
		{"reconciliation.csv", WriteReconciliation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.write(&buf, rep, false); err != nil {
				t.Fatal(err)
			}
			checkBookGolden(t, tc.name+".golden", buf.Bytes())
		})
	}
}

// readCSVRecords reads a CSV with its header into maps by column name.
func readCSVRecords(t *testing.T, data []byte) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// Every CSV carries the interval and the verdict, and a force's rank is
// the same in ranking.csv and comparisons.csv (and, TestRankSameInWorkbook,
// the workbook).
func TestCSVIntervalsAndRanks(t *testing.T) {
	rep := bookReport(t)
	var rk, cmp bytes.Buffer
	if err := WriteRanking(&rk, rep, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteComparisons(&cmp, rep, false); err != nil {
		t.Fatal(err)
	}
	for _, h := range [][]string{FiguresHeader, RankingHeader, ComparisonsHeader} {
		for _, col := range []string{"ci_low", "ci_high", "verdict"} {
			if !slices.Contains(h, col) {
				t.Errorf("header %q lacks %s", h, col)
			}
		}
	}
	ranks := map[string]map[string]string{}
	for _, r := range readCSVRecords(t, rk.Bytes()) {
		ranks[r["topic"]+"|"+r["area_code"]] = r
	}
	n := 0
	for _, c := range readCSVRecords(t, cmp.Bytes()) {
		if c["comparator"] != "force" {
			continue
		}
		r := ranks[c["topic"]+"|"+c["force_code"]]
		for _, col := range []string{"rank_change", "ranked", "rank_rate", "rate_ranked", "pct_change", "ci_low", "ci_high", "verdict"} {
			if r[col] != c[col] {
				t.Errorf("%s %s: %s is %q in ranking.csv and %q in comparisons.csv", c["topic"], c["force"], col, r[col], c[col])
			}
		}
		n++
	}
	if n == 0 {
		t.Fatal("no force rows in comparisons.csv: the test proves nothing")
	}
	// Wiltshire, hand-checked: 2,182 against 1,904 is +14.6%, third of
	// the 41 forces with a percentage change in the fixture.
	w := ranks["stalking-and-harassment|"+bookWilts]
	if w["count"] != "2182" || w["pct_change"] != "14.6" || w["rank_change"] != "3" || w["ranked"] != "41" || w["chosen"] != "yes" || w["verdict"] != "rise" {
		t.Errorf("Wiltshire in ranking.csv: %v", w)
	}
	city := ranks["stalking-and-harassment|"+bookCity]
	if city["pct_change"] != "" || city["pct_note"] == "" || city["rank_change"] != "" {
		t.Errorf("City of London (base under 50) in ranking.csv: %v", city)
	}
}
