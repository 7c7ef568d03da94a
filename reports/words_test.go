package reports

import (
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

func wordsReport() *pipeline.Report {
	return &pipeline.Report{Window: datasets.WindowRolling12, PeriodEnd: datasets.MonthOf(2018, 9), Months: 12}
}

func TestSayHeadline(t *testing.T) {
	rep := wordsReport()
	sh := pipeline.Topic{Name: "Stalking and harassment"}
	wilts := pipeline.Figure{Present: true, HasCount: true, AreaName: "Wiltshire", AreaKind: datasets.KindForce,
		Count: 2182, HasPrevious: true, Previous: 1904, Change: 278, HasPct: true, PctChange: 14.600840336134455}
	tests := []struct {
		name string
		t    pipeline.Topic
		f    pipeline.Figure
		want string
	}{
		{"rise", sh, wilts, "Offences of stalking and harassment recorded by the police in Wiltshire rose by 14.6% in the 12 months to September 2018, to 2,182."},
		{"fall", sh, pipeline.Figure{Present: true, HasCount: true, AreaName: "Dorset", Count: 900, HasPrevious: true, Previous: 1000, Change: -100, HasPct: true, PctChange: -10},
			"Offences of stalking and harassment recorded by the police in Dorset fell by 10.0% in the 12 months to September 2018, to 900."},
		{"small base", pipeline.Topic{Name: "Homicide"}, pipeline.Figure{Present: true, HasCount: true, AreaName: "Wiltshire", Count: 5, HasPrevious: true, Previous: 2, Change: 3, PctNote: "base under 50"},
			"Offences of homicide recorded by the police in Wiltshire rose from 2 to 5 in the 12 months to September 2018 (base under 50: no percentage is given)."},
		{"total", pipeline.Topic{Name: "Total recorded crime (excluding fraud)"}, pipeline.Figure{Present: true, HasCount: true, AreaName: "England and Wales", Count: 5000000, HasPrevious: true, Previous: 4000000, Change: 1000000, HasPct: true, PctChange: 25},
			"Offences recorded by the police in England and Wales (excluding fraud) rose by 25.0% in the 12 months to September 2018, to 5,000,000."},
		{"no earlier year", sh, pipeline.Figure{Present: true, HasCount: true, AreaName: "Wiltshire", Count: 10},
			"Offences of stalking and harassment recorded by the police in Wiltshire numbered 10 in the 12 months to September 2018; there is no figure for a year earlier to compare with."},
	}
	for _, tc := range tests {
		if got := sayHeadline(tc.t, tc.f, rep); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestSayAgainst(t *testing.T) {
	mk := func(prev, now int64) pipeline.Figure {
		return pipeline.Figure{Present: true, HasCount: true, Count: now, HasPrevious: true, Previous: prev, Change: now - prev,
			HasPct: true, PctChange: 100 * float64(now-prev) / float64(prev)}
	}
	nat := func(prev, now int64, leftOut ...string) pipeline.Comparator {
		f := mk(prev, now)
		return pipeline.Comparator{Comparator: datasets.Comparator{Count: f.Count, HasPrevious: true, Previous: f.Previous, Change: f.Change,
			HasPct: true, PctChange: f.PctChange, LeftOut: leftOut}}
	}
	wilts := pipeline.Force{Code: "E23000038", Name: "Wiltshire"}
	tests := []struct {
		name    string
		f       pipeline.Figure
		n       pipeline.Comparator
		verdict string
		want    string
	}{
		{"smaller rise", mk(1000, 1022), nat(100000, 111600), pipeline.AgainstLower,
			"Wiltshire rose 2.2%, the rest of England and Wales rose 11.6%: Wiltshire's rise was smaller, and the gap is larger than chance alone would give."},
		{"same", mk(1000, 1100), nat(100000, 111000), pipeline.AgainstSame,
			"Wiltshire rose 10.0%, the rest of England and Wales rose 11.0%: the gap between the two is within what chance alone would give."},
		{"fell while rose", mk(1000, 964), nat(100000, 111600, "Greater Manchester"), pipeline.AgainstLower,
			"Wiltshire fell 3.6%, the rest of England and Wales (without Greater Manchester) rose 11.6%: Wiltshire fell while the rest rose, and the gap is larger than chance alone would give."},
		{"larger fall", mk(1000, 800), nat(100000, 95000), pipeline.AgainstLower,
			"Wiltshire fell 20.0%, the rest of England and Wales fell 5.0%: Wiltshire's fall was larger, and the gap is larger than chance alone would give."},
	}
	for _, tc := range tests {
		a := pipeline.ForceAnswer{Force: wilts, Against: pipeline.Against{OK: true, Force: tc.f, National: tc.n, Verdict: tc.verdict}}
		if got := sayAgainst(a); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

func TestSayRisesAndNumbers(t *testing.T) {
	rep := wordsReport()
	tp := pipeline.Topic{Name: "Robbery", Rose: 0, Fell: 40, Same: 3, Compared: 43}
	if got, want := sayRises(tp, rep), "None of the 43 forces recorded a rise in offences of robbery in the 12 months to September 2018; 40 recorded a fall and three no change."; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	tp = pipeline.Topic{Name: "Stalking and harassment", Rose: 43, Compared: 43}
	if got, want := sayRises(tp, rep), "All 43 forces recorded a rise in offences of stalking and harassment in the 12 months to September 2018."; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	tp = pipeline.Topic{Name: "Robbery", Rose: 30, Fell: 10, Compared: 40}
	if got, want := sayRises(tp, rep), "30 of the 40 forces with figures for both years recorded a rise in offences of robbery in the 12 months to September 2018; 10 recorded a fall."; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	for _, tc := range []struct {
		p    float64
		want string
	}{{14.6008, "+14.6%"}, {-3.64, "\u22123.6%"}, {-0.04, "0.0%"}, {0, "0.0%"}} {
		if got := saySignedPct(tc.p); got != tc.want {
			t.Errorf("saySignedPct(%v) = %q, want %q", tc.p, got, tc.want)
		}
	}
	for _, tc := range []struct{ name, root, want string }{
		{"/home/user/Downloads/2024-03.zip!2024-03/2024-03-wiltshire-street.csv", "/work/project", "2024-03.zip: 2024-03/2024-03-wiltshire-street.csv"},
		{"/work/project/downloads/ho.csv", "/work/project", "downloads/ho.csv"},
		{"downloads/police-uk/2019-01/x.csv", "/work/project", "downloads/police-uk/2019-01/x.csv"},
		{"../../Downloads/x.csv", "/work/project", "Downloads/x.csv"},
	} {
		if got := sayInputName(tc.name, tc.root); got != tc.want {
			t.Errorf("sayInputName(%q, %q) = %q, want %q", tc.name, tc.root, got, tc.want)
		}
	}
	if got := sayRank(21, 43); got != "21st of 43" {
		t.Errorf("sayRank: %q", got)
	}
}

func TestSayWindowTotals(t *testing.T) {
	for w, want := range map[datasets.Window]string{
		"": "rolling 12-month totals", datasets.WindowRolling12: "rolling 12-month totals",
		datasets.WindowFinancialYear: "financial year totals", datasets.WindowFYTD: "financial year to date totals",
		datasets.WindowQuarter: "quarterly totals", datasets.WindowCalendarYear: "calendar year totals", datasets.WindowMonth: "monthly counts",
	} {
		if got := sayWindowTotals(w); got != want {
			t.Errorf("sayWindowTotals(%q) = %q, want %q", w, got, want)
		}
	}
}
