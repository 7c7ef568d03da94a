package pipeline

import (
	"math"
	"reflect"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestReconcile(t *testing.T) {
	const (
		wilts  = "E23000038"
		dorset = "E23000039"
		sh     = "Stalking and harassment"
		total  = "Total recorded crime (excluding fraud)"
	)
	mar, jun := datasets.MonthOf(2019, 3), datasets.MonthOf(2019, 6)
	row := func(src, area, off string, end datasets.Month, months int, n int64) datasets.Trend {
		name := "Wiltshire"
		if area == dorset {
			name = "Dorset"
		}
		return datasets.Trend{AreaCode: area, AreaName: name, Offence: off, PeriodEnd: end, Months: months, Count: n, Source: src}
	}
	const (
		force = datasets.SourceForce
		ho    = datasets.SourceHomeOffice
		pu    = datasets.SourcePoliceUK
	)
	trends := []datasets.Trend{
		row(force, wilts, sh, mar, 12, 1950),
		row(force, wilts, sh, jun, 12, 2000),
		row(force, wilts, total, mar, 12, 40000),
		row(force, wilts, sh, mar, 3, 480),         // no quarter figure published
		row(force, dorset, sh, mar, 12, 3),         // published 0
		row(force, dorset, total, mar, 12, 100001), // a hair above
		row(ho, wilts, sh, mar, 12, 1896),
		row(ho, wilts, sh, mar, 12, 1896), // repeated: used once
		row(ho, wilts, total, mar, 12, 40000),
		row(ho, dorset, sh, mar, 12, 0),
		row(ho, dorset, total, mar, 12, 100000),
		row(ho, "E23000037", sh, mar, 12, 700), // no force row
		row(pu, wilts, sh, mar, 12, 9999),      // police.uk: not a published figure here
	}
	published := []datasets.Trend{
		row("ons-pfa-2019-03", wilts, sh, mar, 12, 1896),
		row("ons-pfa-2019-06", wilts, sh, jun, 12, 2050),
		row("ons-pfa-2019-06", wilts, sh, mar, 12, 1901), // the revised year to March
	}
	got := Reconcile(trends, published)
	rec := func(area, name, off string, end datasets.Month, months int, ext, pub int64, src string, hasPct bool, pct float64, note string) datasets.Reconciliation {
		return datasets.Reconciliation{AreaCode: area, AreaName: name, Offence: off, Start: end.Add(1 - months), End: end,
			Extract: ext, Published: pub, PublishedSource: src, Difference: ext - pub, HasPct: hasPct, PctDifference: pct, Note: note}
	}
	// Percentages by hand: 54/1896 = 2.8481%, 49/1901 = 2.5776%,
	// -50/2050 = -2.4390%, 1/100000 = 0.001%.
	want := []datasets.Reconciliation{
		rec(wilts, "Wiltshire", sh, mar, 12, 1950, 1896, ho, true, 2.848101265822785, "force extract 2.8% above the published figure (54 more)"),
		rec(wilts, "Wiltshire", sh, mar, 12, 1950, 1896, "ons-pfa-2019-03", true, 2.848101265822785, "force extract 2.8% above the published figure (54 more)"),
		rec(wilts, "Wiltshire", sh, mar, 12, 1950, 1901, "ons-pfa-2019-06", true, 2.577590741714887, "force extract 2.6% above the published figure (49 more)"),
		rec(wilts, "Wiltshire", sh, jun, 12, 2000, 2050, "ons-pfa-2019-06", true, -2.4390243902439024, "force extract 2.4% below the published figure (50 fewer)"),
		rec(wilts, "Wiltshire", total, mar, 12, 40000, 40000, ho, true, 0, "agrees"),
		rec(dorset, "Dorset", sh, mar, 12, 3, 0, ho, false, 0, "force extract 3 above a published figure of 0"),
		rec(dorset, "Dorset", total, mar, 12, 100001, 100000, ho, true, 0.001, "force extract under 0.1% above the published figure (1 more)"),
	}
	// Area codes sort E23000038 (Wiltshire) before E23000039 (Dorset).
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if math.Abs(g.PctDifference-w.PctDifference) > 1e-9 {
			t.Errorf("row %d: pct %v, want %v", i, g.PctDifference, w.PctDifference)
		}
		g.PctDifference, w.PctDifference = 0, 0
		if !reflect.DeepEqual(g, w) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	if r := Reconcile(nil, published); len(r) != 0 {
		t.Errorf("no force rows: got %+v, want none", r)
	}
}
