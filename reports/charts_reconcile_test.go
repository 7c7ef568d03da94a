package reports

import (
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestReconcileBlock(t *testing.T) {
	s := Section{ID: "homeoffice_stalking_and_harassment", Offence: sh}
	if _, ok := reconcileBlock(s); ok {
		t.Fatal("a block without reconciliations")
	}
	s.Reconciliations = []datasets.Reconciliation{
		{AreaCode: codeWilts, AreaName: "Wiltshire", Offence: sh, Start: m("2017-04"), End: m("2018-03"), Extract: 1850, Published: 1800,
			PublishedSource: "homeoffice", Difference: 50, HasPct: true, PctDifference: 100 * 50.0 / 1800, Note: "force extract 2.8% above the published figure (50 more)"},
		{AreaCode: codeWilts, AreaName: "<b>Wilts</b>", Offence: sh, Start: m("2017-04"), End: m("2018-03"), Extract: 1850, Published: 1900,
			PublishedSource: "ons-pfa-2018-03", Difference: -50, HasPct: true, PctDifference: -100 * 50.0 / 1900},
	}
	b, ok := reconcileBlock(s)
	if !ok {
		t.Fatal("no block")
	}
	want := [][]string{
		{"Wiltshire", "April 2017 to March 2018", "homeoffice", "1,850", "1,800", "+50", "+2.8%", "force extract 2.8% above the published figure (50 more)"},
		{"<b>Wilts</b>", "April 2017 to March 2018", "ons-pfa-2018-03", "1,850", "1,900", "-50", "-2.6%", ""},
	}
	for i, row := range b.Table.Rows {
		var got []string
		for _, c := range row {
			got = append(got, c.Text)
		}
		if strings.Join(got, "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d:\n got %q\nwant %q", i, got, want[i])
		}
	}
	if len(b.Table.Rows[0]) != len(b.Table.Header) {
		t.Errorf("rows have %d cells, header %d", len(b.Table.Rows[0]), len(b.Table.Header))
	}
	opt := string(b.Option)
	if strings.Contains(opt, "<b>") || !strings.Contains(opt, `"Force extract"`) || !strings.Contains(opt, "1850") || !strings.Contains(opt, "1900") {
		t.Errorf("option does not carry the figures safely: %s", opt)
	}
	if b.ID != "reconcile_homeoffice_stalking_and_harassment" {
		t.Errorf("id %q", b.ID)
	}
}
