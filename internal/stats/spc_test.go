package stats

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func limitsNear(got, want []Limits) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !near(got[i].Centre, want[i].Centre, 1e-9) || !near(got[i].Lower, want[i].Lower, 1e-9) || !near(got[i].Upper, want[i].Upper, 1e-9) {
			return false
		}
	}
	return true
}

func repeat(l Limits, n int) []Limits {
	out := make([]Limits, n)
	for i := range out {
		out[i] = l
	}
	return out
}

func TestCChart(t *testing.T) {
	// Segment 1: 3+5+4+4 = 16, mean 4, 3 sqrt(4) = 6: 4-6 = -2 clipped to 0, 4+6 = 10.
	// Segment 2: 90+110+100 = 300, mean 100, 3 sqrt(100) = 30: 70 and 130.
	seg1, seg2 := Limits{4, 0, 10}, Limits{100, 70, 130}
	split := append(repeat(seg1, 4), repeat(seg2, 3)...)
	// One segment: 316/7 = 45.142857, 3 sqrt(45.142857) = 20.156530.
	whole := repeat(Limits{45.142857142857146, 24.986326829191693, 65.2993874565226}, 7)
	counts := []int64{3, 5, 4, 4, 90, 110, 100}
	tests := []struct {
		name   string
		counts []int64
		breaks []int
		want   []Limits
	}{
		{"reset at a break", counts, []int{4}, split},
		{"no break", counts, nil, whole},
		{"out-of-range and repeated breaks ignored", counts, []int{4, 0, -1, 7, 99, 4}, split},
		{"empty", nil, []int{1}, nil},
		// A zero mean gives zero limits.
		{"all zero", []int64{0, 0}, nil, repeat(Limits{}, 2)},
	}
	for _, tc := range tests {
		if got := CChart(tc.counts, tc.breaks); !limitsNear(got, tc.want) {
			t.Errorf("%s: CChart(%v, %v) = %v, want %v", tc.name, tc.counts, tc.breaks, got, tc.want)
		}
	}
}

func TestXmR(t *testing.T) {
	// Segment 1: mean 46/4 = 11.5; moving ranges 2, 1, 2, mean 5/3;
	// 2.66 * 5/3 = 4.433333: 7.066667 and 15.933333.
	// Segment 2: mean 23; moving range 6 (not 13, the jump across the break);
	// 2.66 * 6 = 15.96: 7.04 and 38.96.
	seg1 := Limits{11.5, 11.5 - 2.66*5.0/3, 11.5 + 2.66*5.0/3}
	seg2 := Limits{23, 7.04, 38.96}
	values := []float64{10, 12, 11, 13, 20, 26}
	// One segment: mean 92/6 = 15.333333; ranges 2, 1, 2, 7, 6, mean 18/5 = 3.6;
	// 2.66 * 3.6 = 9.576: 5.757333 and 24.909333.
	whole := Limits{92.0 / 6, 92.0/6 - 9.576, 92.0/6 + 9.576}
	tests := []struct {
		name   string
		values []float64
		breaks []int
		want   []Limits
	}{
		{"reset at a break", values, []int{4}, append(repeat(seg1, 4), repeat(seg2, 2)...)},
		{"no break", values, nil, repeat(whole, 6)},
		// A segment of one value has no moving range.
		{"single-value segment", []float64{10, 12, 5}, []int{2}, append(repeat(Limits{11, 11 - 2.66*2, 11 + 2.66*2}, 2), Limits{5, 5, 5})},
		// Not clipped at zero: mean 1, moving range 2, 1 -/+ 5.32.
		{"negative lower limit kept", []float64{0, 2}, nil, repeat(Limits{1, -4.32, 6.32}, 2)},
		{"empty", nil, nil, nil},
	}
	for _, tc := range tests {
		if got := XmR(tc.values, tc.breaks); !limitsNear(got, tc.want) {
			t.Errorf("%s: XmR(%v, %v) = %v, want %v", tc.name, tc.values, tc.breaks, got, tc.want)
		}
	}
}

// monthsFrom returns n consecutive months starting at year-month.
func monthsFrom(year, month, n int) []datasets.Month {
	out := make([]datasets.Month, n)
	for i := range out {
		out[i] = datasets.MonthOf(year, month).Add(i)
	}
	return out
}

func TestSignals(t *testing.T) {
	flat := Limits{10, 0, 20}
	tests := []struct {
		name   string
		values []float64
		limits []Limits
		months []datasets.Month
		want   []Signal
	}{
		{"outside both limits", []float64{10, 10, 10, 25, 10, -1}, repeat(flat, 6), monthsFrom(2019, 1, 6), []Signal{
			{RuleOutside, 3, 3, true, "April 2019 above the upper limit"},
			{RuleOutside, 5, 5, false, "June 2019 below the lower limit"},
		}},
		// Points 1..7 are above 10; the slopes alternate, so no trend.
		{"run of 7 above", []float64{9, 11, 12, 11, 12, 11, 12, 11, 9}, repeat(flat, 9), monthsFrom(2019, 2, 9), []Signal{
			{RuleRun, 1, 7, true, "7 months in a row above the average, March to September 2019"},
		}},
		{"run of 6 is not a signal", []float64{9, 11, 12, 11, 12, 11, 12, 9}, repeat(flat, 8), monthsFrom(2019, 2, 8), nil},
		{"run of 8 below across a year", []float64{8, 9, 8, 9, 8, 9, 8, 9}, repeat(flat, 8), monthsFrom(2018, 10, 8), []Signal{
			{RuleRun, 0, 7, false, "8 months in a row below the average, October 2018 to May 2019"},
		}},
		// Sides + + + 0 + + + +: runs of 3 and 4.
		{"a point on the centre ends a run", []float64{11, 11, 11, 10, 11, 11, 11, 11}, repeat(flat, 8), monthsFrom(2019, 1, 8), nil},
		// Sides - - - + + + about 3.5; five rises make six points.
		{"trend of 6 rising", []float64{1, 2, 3, 4, 5, 6}, repeat(Limits{3.5, -10, 20}, 6), monthsFrom(2019, 1, 6), []Signal{
			{RuleTrend, 0, 5, true, "6 months in a row each higher than the one before, January to June 2019"},
		}},
		{"trend of 5 is not a signal", []float64{1, 2, 3, 4, 5, 4}, repeat(Limits{3.5, -10, 20}, 6), monthsFrom(2019, 1, 6), nil},
		// 10 9 8 | 8 7 6 5 4 3: the tie ends the first fall after 3 points;
		// the second runs from index 3 to 8. Sides about 7: + + + + 0 - - - -.
		{"a tie ends a trend", []float64{10, 9, 8, 8, 7, 6, 5, 4, 3}, repeat(Limits{7, 0, 20}, 9), monthsFrom(2019, 1, 9), []Signal{
			{RuleTrend, 3, 8, false, "6 months in a row each lower than the one before, April to September 2019"},
		}},
		// Without months (or with the wrong number) points are numbered from 1.
		{"no months", []float64{9, 11, 12, 11, 12, 11, 12, 11, 9}, repeat(flat, 9), nil, []Signal{
			{RuleRun, 1, 7, true, "7 points in a row above the average, points 2 to 8"},
		}},
		// A run that starts with a point outside: sorted by First, then Rule.
		{"outside and run start together", []float64{9, 25, 11, 11, 11, 11, 11, 11}, repeat(flat, 8), monthsFrom(2019, 1, 8), []Signal{
			{RuleOutside, 1, 1, true, "February 2019 above the upper limit"},
			{RuleRun, 1, 7, true, "7 months in a row above the average, February to August 2019"},
		}},
		// Eight points above the same centre, but the limits change after four
		// (a break): two runs of 4, no signal.
		{"run does not cross a break", []float64{12, 12, 12, 12, 12, 12, 12, 12},
			append(repeat(flat, 4), repeat(Limits{10, 0, 30}, 4)...), monthsFrom(2019, 1, 8), nil},
		{"run without the break", []float64{12, 12, 12, 12, 12, 12, 12, 12}, repeat(flat, 8), monthsFrom(2019, 1, 8), []Signal{
			{RuleRun, 0, 7, true, "8 months in a row above the average, January to August 2019"},
		}},
		// Rising 1..8 with a break after four: 4 + 4 points, no trend.
		{"trend does not cross a break", []float64{1, 2, 3, 4, 5, 6, 7, 8},
			append(repeat(Limits{2.5, -10, 20}, 4), repeat(Limits{6.5, -10, 20}, 4)...), monthsFrom(2019, 1, 8), nil},
		{"empty", nil, nil, nil, nil},
	}
	for _, tc := range tests {
		got := Signals(tc.values, tc.limits, tc.months)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Signals(%v) =\n%s\nwant\n%s", tc.name, tc.values, dump(got), dump(tc.want))
		}
	}
}

// TestChartSignals runs a c-chart into Signals: a level shift that is a
// register break is no signal when the limits reset there, but is seven
// points outside the limits of one chart.
func TestChartSignals(t *testing.T) {
	counts := []int64{3, 5, 4, 4, 90, 110, 100}
	values := make([]float64, len(counts))
	for i, c := range counts {
		values[i] = float64(c)
	}
	months := monthsFrom(2019, 4, 7)
	if got := Signals(values, CChart(counts, []int{4}), months); got != nil {
		t.Errorf("with the break: got %s, want no signals", dump(got))
	}
	// Limits 24.99..65.30: the first four are below, the last three above.
	got := Signals(values, CChart(counts, nil), months)
	var rules []string
	for _, s := range got {
		rules = append(rules, fmt.Sprintf("%v %d %v", s.Rule, s.First, s.Up))
	}
	want := []string{"outside the limits 0 false", "outside the limits 1 false", "outside the limits 2 false",
		"outside the limits 3 false", "outside the limits 4 true", "outside the limits 5 true", "outside the limits 6 true"}
	if !reflect.DeepEqual(rules, want) {
		t.Errorf("without the break: got %q, want %q", rules, want)
	}
	for r, want := range map[Rule]string{RuleOutside: "outside the limits", RuleRun: "run", RuleTrend: "trend", 0: "unknown"} {
		if r.String() != want {
			t.Errorf("Rule(%d).String() = %q, want %q", r, r.String(), want)
		}
	}
}

func dump(ss []Signal) string {
	out := ""
	for _, s := range ss {
		out += fmt.Sprintf("  %+v\n", s)
	}
	return out
}
