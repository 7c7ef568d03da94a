package stats

import (
	"math"
	"reflect"
	"testing"
)

func trues(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = true
	}
	return out
}

func TestFitXmR(t *testing.T) {
	tests := []struct {
		name    string
		values  []float64
		follows []bool
		want    XmRFit
		ok      bool
	}{
		// Mean 46/4 = 11.5; ranges 2, 1, 2, average 5/3; 2.66 * 5/3 = 4.433333.
		{"plain", []float64{10, 12, 11, 13}, trues(4),
			XmRFit{Limits{11.5, 11.5 - 2.66*5.0/3, 11.5 + 2.66*5.0/3}, 5.0 / 3, 3, 0}, true},
		// Ranges 2, 1, 2, 1, 48: average 54/5 = 10.8, upper range limit
		// 3.267 * 10.8 = 35.2836, so 48 is a freak; the rest average 6/4 = 1.5.
		// Mean 118/6 = 19.666667; 2.66 * 1.5 = 3.99.
		{"freak range screened", []float64{10, 12, 11, 13, 12, 60}, trues(6),
			XmRFit{Limits{118.0 / 6, 118.0/6 - 3.99, 118.0/6 + 3.99}, 1.5, 4, 1}, true},
		// No range between 12 and 20 (a gap): ranges 2 and 2; mean 16;
		// 2.66 * 2 = 5.32.
		{"no range across a gap", []float64{10, 12, 20, 22}, []bool{false, true, false, true},
			XmRFit{Limits{16, 10.68, 21.32}, 2, 2, 0}, true},
		// Equal values: every range is 0 and nothing is screened.
		{"flat", []float64{5, 5, 5}, trues(3), XmRFit{Limits{5, 5, 5}, 0, 2, 0}, true},
		{"one value", []float64{5}, trues(1), XmRFit{}, false},
		{"no adjacent pair", []float64{5, 7, 9}, []bool{false, false, false}, XmRFit{}, false},
		{"empty", nil, nil, XmRFit{}, false},
	}
	for _, tc := range tests {
		got, ok := FitXmR(tc.values, tc.follows)
		if ok != tc.ok || got.Ranges != tc.want.Ranges || got.Screened != tc.want.Screened ||
			!near(got.MeanRange, tc.want.MeanRange, 1e-9) || !limitsNear([]Limits{got.Limits}, []Limits{tc.want.Limits}) {
			t.Errorf("%s: FitXmR = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestDispersionAndPoisson(t *testing.T) {
	// MeanRange 2.256 = 1.128 * 2: standard deviation 2, variance 4.
	fit := XmRFit{Limits: Limits{10, 10 - 2.66*2.256, 10 + 2.66*2.256}, MeanRange: 2.256}
	tests := []struct {
		name      string
		variance  float64
		disp      float64
		widened   bool
		wantLimit Limits
	}{
		{"as Poisson", 4, 1, false, fit.Limits},
		{"overdispersed: the XmR limits stand", 1, 4, false, fit.Limits},
		// Poisson variance 16: standard deviation 4, limits 10 -/+ 12
		// (2.66 * 1.128 * 4 = 12.00192).
		{"quieter than Poisson: widened", 16, 0.25, true, Limits{10, 10 - 2.66*1.128*4, 10 + 2.66*1.128*4}},
		{"no variance", 0, 0, false, fit.Limits},
	}
	for _, tc := range tests {
		if d := Dispersion(fit, tc.variance); !near(d, tc.disp, 1e-9) {
			t.Errorf("%s: Dispersion = %g, want %g", tc.name, d, tc.disp)
		}
		got, widened := AtLeastPoisson(fit, tc.variance)
		if widened != tc.widened || !limitsNear([]Limits{got.Limits}, []Limits{tc.wantLimit}) {
			t.Errorf("%s: AtLeastPoisson = %+v, %v; want %+v, %v", tc.name, got.Limits, widened, tc.wantLimit, tc.widened)
		}
	}
	// Three Poisson standard deviations: 2.66 * 1.128 = 3.00048.
	if got, _ := AtLeastPoisson(XmRFit{}, 100); !near(got.Upper, 30.0048, 1e-9) {
		t.Errorf("AtLeastPoisson upper = %g, want 30.0048", got.Upper)
	}
}

func TestSpecialCauses(t *testing.T) {
	// Centre 0, near band beyond 2 (two thirds of 3), limits -3 and 3.
	flat := Limits{0, -3, 3}
	tests := []struct {
		name     string
		values   []float64
		segments []int
		want     []Cause
	}{
		{"quiet", []float64{1, -1, 1, -1, 1, -1, 1, -1}, nil, nil},
		{"outside both limits", []float64{1, -1, 4, -1, -5, 1}, nil, []Cause{
			{RuleOutside, true, 2, 2, []int{2}},
			{RuleOutside, false, 4, 4, []int{4}},
		}},
		// Seven above the centre line, alternating so no trend.
		{"shift of 7", []float64{-1, 1, 2, 1, 2, 1, 2, 1, -1}, nil, []Cause{
			{RuleRun, true, 1, 7, []int{1, 2, 3, 4, 5, 6, 7}},
		}},
		{"six is not a shift", []float64{-1, 1, 2, 1, 2, 1, 2, -1}, nil, nil},
		// A point on the centre line ends a run: 4 + 4.
		{"a point on the line ends a shift", []float64{1, 1.5, 1, 1.5, 0, 1, 1.5, 1, 1.5}, nil, nil},
		// Six rises, seven points, crossing the centre line (so no shift).
		{"trend of 7", []float64{-1.5, -1, -0.5, 0.2, 0.4, 0.6, 0.8, 0.5}, nil, []Cause{
			{RuleTrend, true, 0, 6, []int{0, 1, 2, 3, 4, 5, 6}},
		}},
		{"five rises are not a trend", []float64{-1.5, -1, -0.5, 0.2, 0.4, 0.6, 0.5}, nil, nil},
		{"a tie ends a trend", []float64{1.6, 1.2, 0.8, 0.8, 0.4, -0.4, -0.8, -1.2, -1.6, -1.7, -1.6}, nil, []Cause{
			{RuleTrend, false, 3, 9, []int{3, 4, 5, 6, 7, 8, 9}},
		}},
		// 2.5 and 2.8 beyond 2, with 1 between, all above the line.
		{"two of three", []float64{-1, 2.5, 1, 2.8, -1}, nil, []Cause{
			{RuleTwoOfThree, true, 1, 3, []int{1, 3}},
		}},
		// The middle point is below the line: not two of three.
		{"two of three needs one side", []float64{-1, 2.5, -1, 2.8, -1}, nil, nil},
		// A run of 7 split 4 + 3 by a break is no shift; nor a trend across it.
		{"no shift across a segment", []float64{1, 1.5, 1, 1.5, 1, 1.5, 1}, []int{0, 0, 0, 0, 1, 1, 1}, nil},
		{"no trend across a segment", []float64{-1.5, -1, -0.5, 0.2, 0.4, 0.6, 0.8}, []int{0, 0, 0, 1, 1, 1, 1}, nil},
		{"no two of three across a segment", []float64{-1, 2.5, 1, 2.8, -1}, []int{0, 0, 1, 1, 1}, nil},
	}
	for _, tc := range tests {
		limits := repeat(flat, len(tc.values))
		if got := SpecialCauses(tc.values, limits, tc.segments); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: SpecialCauses = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestEpisodes(t *testing.T) {
	tests := []struct {
		name     string
		causes   []Cause
		segments []int
		want     []Episode
		rules    []Rule
	}{
		// A step up: a shift of 9 with 6 of its points outside, one episode.
		{"shift with points outside", []Cause{
			{RuleOutside, true, 3, 3, []int{3}},
			{RuleRun, true, 2, 10, span(2, 10)},
			{RuleOutside, true, 4, 4, []int{4}},
			{RuleTwoOfThree, true, 2, 3, []int{2, 3}},
		}, nil, []Episode{{Up: true, First: 2, Last: 10, Points: span(2, 10), Outside: 2, Shift: 9, Near: 1}}, []Rule{RuleRun}},
		// Touching causes merge; a gap of one point does not.
		{"touching and apart", []Cause{
			{RuleOutside, true, 5, 5, []int{5}},
			{RuleOutside, true, 6, 6, []int{6}},
			{RuleOutside, true, 8, 8, []int{8}},
		}, nil, []Episode{
			{Up: true, First: 5, Last: 6, Points: []int{5, 6}, Outside: 2},
			{Up: true, First: 8, Last: 8, Points: []int{8}, Outside: 1},
		}, []Rule{RuleOutside, RuleOutside}},
		// Opposite directions never merge.
		{"up and down", []Cause{
			{RuleTrend, true, 0, 6, span(0, 6)},
			{RuleOutside, false, 2, 2, []int{2}},
		}, nil, []Episode{
			{Up: true, First: 0, Last: 6, Points: span(0, 6), Trend: 7},
			{Up: false, First: 2, Last: 2, Points: []int{2}, Outside: 1},
		}, []Rule{RuleTrend, RuleOutside}},
		// Neighbours either side of a break are two episodes.
		{"not across a break", []Cause{
			{RuleOutside, true, 3, 3, []int{3}},
			{RuleOutside, true, 4, 4, []int{4}},
		}, []int{0, 0, 0, 0, 1, 1}, []Episode{
			{Up: true, First: 3, Last: 3, Points: []int{3}, Outside: 1},
			{Up: true, First: 4, Last: 4, Points: []int{4}, Outside: 1},
		}, []Rule{RuleOutside, RuleOutside}},
		{"two of three alone", []Cause{{RuleTwoOfThree, false, 1, 3, []int{1, 3}}}, nil,
			[]Episode{{Up: false, First: 1, Last: 3, Points: []int{1, 3}, Near: 2}}, []Rule{RuleTwoOfThree}},
		{"none", nil, nil, nil, nil},
	}
	for _, tc := range tests {
		got := Episodes(tc.causes, tc.segments)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Episodes = %+v, want %+v", tc.name, got, tc.want)
			continue
		}
		for k, e := range got {
			if e.Rule() != tc.rules[k] {
				t.Errorf("%s: episode %d rule %v, want %v", tc.name, k, e.Rule(), tc.rules[k])
			}
		}
	}
}

// TestRulesOnNoise measures the false-alarm rate of the rules on charts of
// pure chance: 36 independent normal values with the limits fitted on the
// first 12, as BuildControlChart fits a 48-month series. With known limits
// the "Making Data Count" rules flag about a third of such charts (mostly
// a run of 7 by chance); limits estimated from 12 points flag more.
func TestRulesOnNoise(t *testing.T) {
	const charts = 2000
	withSignal := 0
	// A deterministic generator (xorshift) and Box-Muller normals.
	state := uint64(88172645463325252)
	uniform := func() float64 {
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		return (float64(state>>11) + 0.5) / (1 << 53)
	}
	for range charts {
		values := make([]float64, 36)
		for i := range values {
			values[i] = math.Sqrt(-2*math.Log(uniform())) * math.Cos(2*math.Pi*uniform())
		}
		fit, ok := FitXmR(values[:BaselinePoints], trues(BaselinePoints))
		if !ok {
			t.Fatal("FitXmR not ok")
		}
		if len(Episodes(SpecialCauses(values, repeat(fit.Limits, 36), nil), nil)) > 0 {
			withSignal++
		}
	}
	rate := float64(withSignal) / charts
	t.Logf("charts of pure chance with a signal: %d of %d (%.1f%%)", withSignal, charts, 100*rate)
	if rate < 0.3 || rate > 0.6 {
		t.Errorf("false-alarm rate %.3f, want between 0.3 and 0.6 (about 0.49 measured when written)", rate)
	}
}

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
