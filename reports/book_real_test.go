package reports

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/ons"
	"github.com/crimetrends/crimetrends/internal/testutil"
	"github.com/crimetrends/crimetrends/pipeline"
)

var realSeed struct {
	once sync.Once
	rep  *pipeline.Report
	err  error
}

// realSeedReport answers the seed question on the eight real ONS
// workbooks alone: Wiltshire and Sussex, stalking and harassment, the 12
// months to September 2018. It skips without ../shared/data/real.
func realSeedReport(t *testing.T) *pipeline.Report {
	t.Helper()
	dir := testutil.Real(t, "ons-pfa-tables")
	realSeed.once.Do(func() {
		names, err := filepath.Glob(filepath.Join(dir, "*.xlsx"))
		if err != nil {
			realSeed.err = err
			return
		}
		sort.Strings(names)
		var rows []datasets.Published
		for _, n := range names {
			f, err := os.Open(n)
			if err != nil {
				realSeed.err = err
				return
			}
			rel, err := ons.ReadPFA(context.Background(), filepath.Base(n), f)
			f.Close()
			if err != nil {
				realSeed.err = err
				return
			}
			rows = append(rows, rel.Rows...)
		}
		sel, err := datasets.ResolveSelector("Stalking and harassment")
		if err != nil {
			realSeed.err = err
			return
		}
		realSeed.rep, realSeed.err = pipeline.Answer(context.Background(), pipeline.Data{Published: rows}, pipeline.Request{
			Forces: []string{"E23000038", "E23000033"}, Offences: []datasets.Selector{sel}, Period: datasets.MonthOf(2018, 9),
		})
	})
	if realSeed.err != nil {
		t.Fatal(realSeed.err)
	}
	return realSeed.rep
}

// rowsBy reads a sheet's rows keyed by the text in column key (0-based).
func rowsBy(t *testing.T, f *excelize.File, sheet string, key int) map[string][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		if len(r) > key && r[key] != "" {
			if _, dup := out[r[key]]; !dup {
				out[r[key]] = r
			}
		}
	}
	return out
}

func cellAt(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

// The seed question's answer, read back from the workbook's cells: on the
// Cover and on the ranking sheet, Wiltshire 2,182 (+14.6%), Sussex +23.1%,
// England and Wales +41.3%, as the ONS release for the year ending
// September 2018 (corrected) published them; and each force's ranks the
// same on the ranking sheet, the Comparisons sheet, ranking.csv and
// comparisons.csv.
func TestWorkbookRealSeed(t *testing.T) {
	rep := realSeedReport(t)
	f, err := excelize.OpenReader(bytes.NewReader(renderBook(t, rep, Meta{Version: "test"})))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cover := rowsBy(t, f, SheetCover, 0)
	for _, c := range []struct{ area, count, pct string }{
		{"Wiltshire", "2182", "14.6"}, {"Sussex", "6697", "23.1"}, {"England and Wales", "371953", "41.3"},
	} {
		r := cover[c.area]
		if cellAt(r, 1) != c.count || cellAt(r, 3) != c.pct {
			t.Errorf("Cover, %s: count %q, %% change %q; want %s and %s", c.area, cellAt(r, 1), cellAt(r, 3), c.count, c.pct)
		}
	}
	ranking := rowsBy(t, f, "Stalking and harassment", 2)
	for _, c := range []struct{ code, count, pct, chosen string }{
		{"E23000038", "2182", "14.6", "yes"}, {"E23000033", "6697", "23.1", "yes"}, {datasets.CodeEnglandWales, "371953", "41.3", ""},
	} {
		r := ranking[c.code]
		if cellAt(r, 0) != c.chosen || cellAt(r, 4) != c.count || cellAt(r, 7) != c.pct || cellAt(r, 15) != "ONS YE Sep 2018 corrected" {
			t.Errorf("ranking sheet, %s: %q", c.code, r)
		}
	}
	var rk, cmp bytes.Buffer
	if err := WriteRanking(&rk, rep, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteComparisons(&cmp, rep, false); err != nil {
		t.Fatal(err)
	}
	csvRanks := map[string]map[string]string{}
	for _, r := range readCSVRecords(t, rk.Bytes()) {
		csvRanks[r["area_code"]] = r
	}
	cmpRanks := map[string]map[string]string{}
	for _, r := range readCSVRecords(t, cmp.Bytes()) {
		if r["comparator"] == "force" {
			cmpRanks[r["force_code"]] = r
		}
	}
	comparisons, err := f.GetRows(SheetComparisons, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, fc := range rep.Forces {
		sheet := ranking[fc.Code]
		var own []string
		for _, r := range comparisons {
			if cellAt(r, 1) == fc.Name && cellAt(r, 2) == "The force" {
				own = r
			}
		}
		want := []string{cellAt(sheet, 13), cellAt(sheet, 14)}
		for name, got := range map[string][]string{
			"ranking.csv":       {csvRanks[fc.Code]["rank_change"], csvRanks[fc.Code]["rank_rate"]},
			"comparisons.csv":   {cmpRanks[fc.Code]["rank_change"], cmpRanks[fc.Code]["rank_rate"]},
			"Comparisons sheet": {cellAt(own, 13), cellAt(own, 14)},
		} {
			if got[0] != want[0] || got[1] != want[1] || want[0] == "" {
				t.Errorf("%s: ranks by change and rate %q in %s, %q on the ranking sheet", fc.Name, got, name, want)
			}
		}
	}
	// Wiltshire's rank, hand-checked against the release: 36 forces rose
	// by more than its 14.6%.
	if got := cellAt(ranking["E23000038"], 13); got != "37" {
		t.Errorf("Wiltshire ranked %s by change, want 37", got)
	}
}
