package reports

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// A section with comparisons gets a Compare sheet, a view with
// reconciliations a Reconciliation sheet, and both read back as written.
func TestWorkbookCompareAndReconciliation(t *testing.T) {
	opts := fixtureOptions()
	ho := datasets.SourceHomeOffice
	sep := m("2018-09")
	opts.Comparisons = []datasets.Comparison{{
		Source: ho, Offence: sh, PeriodEnd: sep, Months: 12,
		Force: datasets.Comparator{Kind: datasets.ComparatorForce, AreaCode: codeWilts, Label: "Wiltshire",
			Count: 1100, HasPrevious: true, Previous: 1000, Change: 100, HasPct: true, PctChange: 10,
			HasRate: true, Rate: 1.5275, Population: 720100, PopulationVintage: "mid-2018"},
		Comparators: []datasets.Comparator{{Kind: datasets.ComparatorEnglandWales, AreaCode: datasets.CodeEnglandWales,
			Label: "England and Wales excluding Wiltshire and Greater Manchester", LeftOut: []string{"Greater Manchester"},
			Count: 300000, HasPrevious: true, Previous: 200000, Change: 100000, HasPct: true, PctChange: 50}},
		Rank: 3, Ranked: 41, Rose: 30, Compared: 41,
	}}
	opts.Reconciliations = []datasets.Reconciliation{{AreaCode: codeWilts, AreaName: "Wiltshire", Offence: sh, Start: m("2017-10"), End: sep,
		Extract: 1110, Published: 1100, PublishedSource: "homeoffice", Difference: 10, HasPct: true, PctDifference: 100 * 10.0 / 1100, Note: "force extract 0.9% above the published figure"}}
	v := BuildView(fixtureTrends(), opts)
	names, sections := WorkbookSheets(v)
	if sections[0].Compare != "Compare 1 Stalking and harassme" || sections[1].Compare != "" {
		t.Fatalf("compare sheets = %q, %q", sections[0].Compare, sections[1].Compare)
	}
	found := false
	for _, n := range names {
		found = found || n == SheetReconciliation
	}
	if !found {
		t.Fatalf("no %s sheet in %q", SheetReconciliation, names)
	}
	f, err := excelize.OpenReader(bytes.NewReader(renderWorkbook(t, v)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sections[0].Compare, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		CompareHeader,
		{codeWilts, "Wiltshire", "force", "Wiltshire", "1100", "1000", "100", "0.1", "1.5275", "720100", "mid-2018", "", "3", "41", "", "", "30", "41"},
		{codeWilts, "Wiltshire", "england-wales", "England and Wales excluding Wiltshire and Greater Manchester", "300000", "200000", "100000", "0.5", "", "", "", "Greater Manchester"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("Compare rows:\n got %q\nwant %q", rows, want)
	}
	rows, err = f.GetRows(SheetReconciliation, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][5] != "1110" || rows[1][6] != "1100" || rows[1][8] != "10" || rows[1][10] != "force extract 0.9% above the published figure" {
		t.Errorf("Reconciliation rows = %q", rows)
	}
}
