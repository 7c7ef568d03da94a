package pipeline

import (
	"reflect"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestRevisions(t *testing.T) {
	end := datasets.MonthOf(2019, 3)
	row := func(src, area, off string, count int64, pct float64, hasPct bool) datasets.Trend {
		return datasets.Trend{Source: src, AreaCode: area, AreaName: "name " + area, Offence: off, PeriodEnd: end, Months: 12,
			Count: count, HasPct: hasPct, PctChange: pct}
	}
	pu := datasets.SourcePoliceUK
	base := []datasets.Trend{
		row(pu, "A", "Robbery", 100, 25, true),
		row(pu, "B", "Robbery", 200, -3.04, true),
	}
	key := func(area, field, from, to, diff string) Revision {
		return Revision{Source: pu, AreaCode: area, AreaName: "name " + area, Offence: "Robbery", PeriodEnd: end, Months: 12,
			Field: field, Previous: from, Current: to, Difference: diff}
	}
	for _, c := range []struct {
		name              string
		previous, current []datasets.Trend
		want              []Revision
	}{
		{"unchanged", base, base, nil},
		{"no previous run", nil, base[:1], []Revision{key("A", RevisionAdded, "", "100", "")}},
		{"count and pct moved", base, []datasets.Trend{row(pu, "A", "Robbery", 104, 30, true), base[1]},
			[]Revision{key("A", RevisionCount, "100", "104", "4"), key("A", RevisionPct, "25.0", "30.0", "5.0")}},
		{"count fell, pct unchanged", base, []datasets.Trend{base[0], row(pu, "B", "Robbery", 195, -3.01, true)},
			[]Revision{key("B", RevisionCount, "200", "195", "-5")}},
		{"pct change below rounding is no revision", base, []datasets.Trend{row(pu, "A", "Robbery", 100, 25.04, true), base[1]}, nil},
		{"pct went blank", base, []datasets.Trend{row(pu, "A", "Robbery", 100, 0, false), base[1]},
			[]Revision{key("A", RevisionPct, "25.0", "", "")}},
		{"pct fell across zero", base, []datasets.Trend{base[0], row(pu, "B", "Robbery", 200, 0.46, true)},
			[]Revision{key("B", RevisionPct, "-3.0", "0.5", "3.5")}},
		{"added and removed, sorted", []datasets.Trend{base[1]}, []datasets.Trend{base[0]},
			[]Revision{key("A", RevisionAdded, "", "100", ""), key("B", RevisionRemoved, "200", "", "")}},
		{"other source is another key", base, []datasets.Trend{row("synthetic-policeuk", "A", "Robbery", 100, 25, true), base[1]},
			[]Revision{key("A", RevisionRemoved, "100", "", ""),
				{Source: "synthetic-policeuk", AreaCode: "A", AreaName: "name A", Offence: "Robbery", PeriodEnd: end, Months: 12,
					Field: RevisionAdded, Current: "100"}}},
		{"a window before the history is not removed", append([]datasets.Trend{{Source: pu, AreaCode: "A", Offence: "Robbery", PeriodEnd: end.Add(-12), Months: 12, Count: 9}}, base...), base, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Revisions(c.previous, c.current, end.Add(-11))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}
