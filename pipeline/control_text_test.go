package pipeline

import (
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

func TestControlChartTooFewAndOdd(t *testing.T) {
	m := func(y, mo int) datasets.Month { return datasets.MonthOf(y, mo) }
	months := func(from datasets.Month, n int) []Period {
		out := make([]Period, n)
		for i := range out {
			out[i] = Period{Start: from.Add(i), End: from.Add(i), Count: 100 + int64(i%3)}
		}
		return out
	}
	// 2016 to 2018 with only January to March of 2017: 27 months, of which
	// January to March 2017 and 2018 have their year-earlier month.
	// With every other month of 2017 instead, 12 months have theirs, but
	// no two of them are in a row.
	var gappy, alternate []Period
	for _, p := range months(m(2016, 1), 36) {
		if p.Start.Year() != 2017 || p.Start.MonthOfYear() <= 3 {
			gappy = append(gappy, p)
		}
		if p.Start.Year() != 2017 || p.Start.MonthOfYear()%2 == 0 {
			alternate = append(alternate, p)
		}
	}
	tests := []struct {
		name    string
		periods []Period
		breaks  []datasets.Month
		want    string
	}{
		{"none", nil, nil, "Too few months for a control chart: 0 months (at least 24 are needed)."},
		{"23 months", months(m(2016, 1), 23), nil, "Too few months for a control chart: 23 months (at least 24 are needed)."},
		{"split by a break", months(m(2016, 1), 36), []datasets.Month{m(2017, 7)},
			"Too few months for a control chart: 36 months, but the recording break of July 2017 leaves no more than 18 in one stretch (at least 24 are needed)."},
		{"two breaks", months(m(2016, 1), 40), []datasets.Month{m(2017, 7), m(2018, 7)},
			"Too few months for a control chart: 40 months, but the recording breaks of July 2017 and July 2018 leave no more than 18 in one stretch (at least 24 are needed)."},
		{"gaps", gappy, nil, "Too few months for a control chart: 27 months, but only 6 have a count for the same month a year earlier (at least 12 are needed)."},
		{"no two in a row", alternate, nil, "Too few months for a control chart: 30 months, but the first 12 year-on-year differences include no two months in a row, so there is no moving range to set limits from."},
		{"mixed grain", []Period{{Start: m(2016, 1), End: m(2016, 1)}, {Start: m(2016, 4), End: m(2016, 6)}}, nil,
			"No control chart: the periods are not all months or all quarters."},
		{"out of order", []Period{{Start: m(2016, 2), End: m(2016, 2)}, {Start: m(2016, 1), End: m(2016, 1)}}, nil,
			"No control chart: the periods overlap or are out of order."},
	}
	for _, tc := range tests {
		c := BuildControlChart(ControlInput{Periods: tc.periods, Breaks: tc.breaks, Verdict: stats.Rise})
		if c.Enough || c.Summary != tc.want || c.Method != "" || len(c.Points) != 0 || len(c.Signals) != 0 {
			t.Errorf("%s: %+v\nwant summary %s", tc.name, c, tc.want)
		}
	}

	// 24 months exactly chart; a missing month leaves its point (and the
	// point a year later) out, never a zero.
	c := BuildControlChart(ControlInput{Periods: months(m(2016, 1), 24)})
	if !c.Enough || len(c.Points) != 12 {
		t.Errorf("24 months: Enough %v, %d points; want 12", c.Enough, len(c.Points))
	}
	ps := months(m(2016, 1), 40)     // January 2016 to April 2019
	ps = append(ps[:19], ps[20:]...) // no August 2017
	c = BuildControlChart(ControlInput{Periods: ps})
	for _, p := range c.Points {
		if p.Start == m(2017, 8) || p.Start == m(2018, 8) {
			t.Errorf("point %s charted without its month or its year-earlier month", p.Start)
		}
	}
	// January 2017 to April 2019 is 28 months, less August 2017 (missing)
	// and August 2018 (its year-earlier month missing).
	if len(c.Points) != 26 {
		t.Errorf("%d points, want 26", len(c.Points))
	}
}

func TestControlSummaryNeverContradictsVerdict(t *testing.T) {
	// Baseline (2017): differences with a centre of 33.3 and an average
	// moving range of 113.6, limits -269 and 336 (wider than Poisson
	// chance, 3 * sqrt(2,033) = 135).
	baseline := []int64{100, -50, 150, 0, 50, -100, 100, 50, -50, 0, 100, 50}
	quiet := []int64{100, -30, 100, -30, 100, -30, 100, -30, 100, -30, 100, -30}
	with := func(changes map[int]int64) []int64 {
		w := append([]int64(nil), quiet...)
		for i, v := range changes {
			w[i] = v
		}
		return w
	}
	windows := []struct {
		name   string
		window []int64
		up     bool // the chart has an upward episode in the window
		down   bool
		words  []string
	}{
		{"no signal", quiet, false, false, []string{"stayed within their usual range in the 12 months to December 2018"}},
		{"above", with(map[int]int64{2: 500, 3: 450}), true, false, []string{"were higher than usual in March and April 2018"}},
		{"below", with(map[int]int64{5: -500}), false, true, []string{"were lower than usual in June 2018"}},
		{"both", with(map[int]int64{2: 500, 8: -500}), true, true, []string{"were higher than usual in March 2018 and lower than usual in September 2018"}},
		{"trend up", with(map[int]int64{0: -150, 1: -100, 2: -50, 3: 0, 4: 50, 5: 100, 6: 150}), true, false,
			[]string{"moved steadily higher from January to July 2018"}},
		{"shift down", with(map[int]int64{0: -40, 1: -60, 2: -40, 3: -60, 4: -40, 5: -60, 6: -40, 7: -60}), false, true,
			[]string{"were lower than usual from January to August 2018"}},
	}
	verdicts := []struct {
		c        stats.Change
		clause   string
		forbid   []string
		agreesUp bool
		agreesDn bool
	}{
		{stats.Rise, "the total rose.", []string{"fell", "about the same"}, true, false},
		{stats.Fall, "the total fell.", []string{"rose", "about the same"}, false, true},
		{stats.AboutTheSame, "the total is about the same as a year earlier.", []string{"rose", "fell"}, false, false},
		{stats.Unknown, "", []string{"rose", "fell", "about the same", "the total"}, false, false},
	}
	for _, w := range windows {
		for _, v := range verdicts {
			c := BuildControlChart(ControlInput{Periods: fromDiffs(1000, append(append([]int64(nil), baseline...), w.window...)), Verdict: v.c,
				WindowStart: datasets.MonthOf(2018, 1), WindowEnd: datasets.MonthOf(2018, 12), AreaName: "Sussex", Offence: "Robbery"})
			s := c.Summary
			t.Logf("%s / %s: %s", w.name, v.c, s)
			var up, down bool
			for _, sg := range c.Signals {
				up = up || sg.Direction == "up"
				down = down || sg.Direction == "down"
			}
			if up != w.up || down != w.down {
				t.Errorf("%s: signals %+v; want up %v, down %v", w.name, c.Signals, w.up, w.down)
			}
			for _, words := range w.words {
				if !strings.Contains(s, words) {
					t.Errorf("%s / %s: %q lacks %q", w.name, v.c, s, words)
				}
			}
			if !strings.HasPrefix(s, "Compared with the same month a year earlier, monthly counts of robbery in Sussex ") || strings.Count(s, ". ") != 0 || !strings.HasSuffix(s, ".") {
				t.Errorf("%s / %s: not one sentence of the expected form: %q", w.name, v.c, s)
			}
			if v.clause != "" && (!strings.HasSuffix(s, v.clause) || strings.Count(s, "the total") != 1) {
				t.Errorf("%s / %s: %q does not end with the verdict %q", w.name, v.c, s, v.clause)
			}
			for _, f := range v.forbid {
				if strings.Contains(s, f) {
					t.Errorf("%s / %s: %q says %q", w.name, v.c, s, f)
				}
			}
			disagree := (w.up && !v.agreesUp) || (w.down && !v.agreesDn)
			if v.c == stats.Unknown {
				disagree = false
			}
			if strings.Contains(s, ", but over") != disagree || (v.c != stats.Unknown && strings.Contains(s, ", and over") == disagree) {
				t.Errorf("%s / %s: %q; want \"but\" = %v", w.name, v.c, s, disagree)
			}
		}
	}
}

func TestControlSummaryOutsideWindow(t *testing.T) {
	baseline := []int64{100, -50, 150, 0, 50, -100, 100, 50, -50, 0, 100, 50}
	quiet := []int64{100, -30, 100, -30, 100, -30, 100, -30, 100, -30, 100, -30}
	diffs := append(append(append([]int64(nil), baseline...), quiet...), quiet...)
	diffs[12+2] = 500 // March 2018
	c := BuildControlChart(ControlInput{Periods: fromDiffs(1000, diffs), Verdict: stats.AboutTheSame,
		WindowStart: datasets.MonthOf(2019, 1), WindowEnd: datasets.MonthOf(2019, 12), AreaName: "Sussex", Offence: "Robbery"})
	if len(c.Signals) != 1 || c.Signals[0].From != datasets.MonthOf(2018, 3) {
		t.Fatalf("signals %+v; want one in March 2018", c.Signals)
	}
	want := "Compared with the same month a year earlier, monthly counts of robbery in Sussex stayed within their usual range in the 12 months to December 2019, " +
		"and over those 12 months the total is about the same as a year earlier."
	if c.Summary != want {
		t.Errorf("summary:\n got %s\nwant %s", c.Summary, want)
	}
}

func TestControlMethodBreaks(t *testing.T) {
	ps := monthlyPoisson(1, jan2015, 60, seasonal)
	c := BuildControlChart(ControlInput{Periods: ps, Breaks: []datasets.Month{datasets.MonthOf(2017, 1), datasets.MonthOf(2018, 6)},
		Verdict: stats.AboutTheSame, AreaName: "England and Wales"})
	want := "Each point is the month's count of offences recorded in England and Wales minus the count for the same month a year earlier, " +
		"which takes out the usual seasonal pattern; the centre line is the average of the first 12 of these differences and the limits lie " +
		"2.66 times their average moving range either side of it, or three Poisson standard deviations where that is wider " +
		"(an XmR chart, as in NHS \"Making Data Count\"); the chart starts afresh after the recording breaks of January 2017 and June 2018, " +
		"and no difference spans a break; the 17 months from January 2017 to May 2018 and the 19 months from June 2018 to December 2019 " +
		"are too few to chart on their own (at least 24 are needed)."
	if c.Method != want {
		t.Errorf("method:\n got %s\nwant %s", c.Method, want)
	}
	if len(c.Points) != 12 || c.Points[11].Start != datasets.MonthOf(2016, 12) {
		t.Errorf("%d points; want the 12 of 2016", len(c.Points))
	}
	if want := "The control chart has no points in the 12 months to December 2019, which come too soon after the recording break of June 2018 to chart, " +
		"and over those 12 months the total is about the same as a year earlier."; c.Summary != want {
		t.Errorf("summary:\n got %s\nwant %s", c.Summary, want)
	}
}
