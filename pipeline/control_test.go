package pipeline

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/policeuk"
	"github.com/crimetrends/crimetrends/internal/stats"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

// poissonDraw draws a Poisson count of mean lambda: by multiplying uniforms
// (Knuth) below 30; above, by the normal approximation, rounded, whose
// error at a mean of 450,000 is far below one standard deviation (671).
func poissonDraw(r *rand.Rand, lambda float64) int64 {
	if lambda < 30 {
		limit, k, p := math.Exp(-lambda), int64(0), 1.0
		for {
			p *= r.Float64()
			if p <= limit {
				return k
			}
			k++
		}
	}
	return int64(math.Round(lambda + math.Sqrt(lambda)*r.NormFloat64()))
}

// monthlyPoisson draws n monthly counts from start with means mean(t).
func monthlyPoisson(seed uint64, start datasets.Month, n int, mean func(t int) float64) []Period {
	r := rand.New(rand.NewPCG(seed, 2024))
	out := make([]Period, n)
	for t := range out {
		m := start.Add(t)
		out[t] = Period{Start: m, End: m, Count: poissonDraw(r, mean(t))}
	}
	return out
}

// seasonal is 450,000 a month with a +/- 5% seasonal swing (a sine wave
// over the year), England and Wales scale.
func seasonal(t int) float64 { return 450000 * (1 + 0.05*math.Sin(2*math.Pi*float64(t)/12)) }

func stepUp(at int, by float64) func(int) float64 {
	return func(t int) float64 {
		if t >= at {
			return seasonal(t) * (1 + by)
		}
		return seasonal(t)
	}
}

func rising(t int) float64 { return seasonal(t) * math.Pow(1.01, float64(t)) }

var jan2015 = datasets.MonthOf(2015, 1)

func flagged(c ControlChart) int {
	n := 0
	for _, p := range c.Points {
		if p.Signal {
			n++
		}
	}
	return n
}

// cChartOutside counts the periods outside the limits of the c-chart the
// reports drew before (mean +/- 3 sqrt(mean) over the whole series).
func cChartOutside(ps []Period) int {
	counts := make([]int64, len(ps))
	for i, p := range ps {
		counts[i] = p.Count
	}
	var sum float64
	for _, c := range counts {
		sum += float64(c)
	}
	mean := sum / float64(len(counts))
	lo, hi := math.Max(0, mean-3*math.Sqrt(mean)), mean+3*math.Sqrt(mean)
	n := 0
	for _, c := range counts {
		if v := float64(c); v > hi || v < lo {
			n++
		}
	}
	return n
}

// fromDiffs builds monthly periods from January 2016 whose first 12 counts
// are base and whose later counts are the count a year earlier plus the next
// of diffs, so that the chart's values are exactly diffs.
func fromDiffs(base int64, diffs []int64) []Period {
	start := datasets.MonthOf(2016, 1)
	out := make([]Period, 12+len(diffs))
	for t := range out {
		m := start.Add(t)
		c := base
		if t >= 12 {
			c = out[t-12].Count + diffs[t-12]
		}
		out[t] = Period{Start: m, End: m, Count: c}
	}
	return out
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestControlChartHandChecked checks every number of a small chart by hand.
func TestControlChartHandChecked(t *testing.T) {
	// 26 months from January 2016, 100 a month in 2016; the differences on a
	// year earlier are the baseline 20 -10 30 0 10 -20 20 10 -10 0 20 10,
	// then 70 and 0.
	diffs := []int64{20, -10, 30, 0, 10, -20, 20, 10, -10, 0, 20, 10, 70, 0}
	c := BuildControlChart(ControlInput{Periods: fromDiffs(100, diffs), Verdict: stats.Rise,
		WindowStart: datasets.MonthOf(2017, 3), WindowEnd: datasets.MonthOf(2018, 2),
		AreaName: "Wiltshire", Offence: "Stalking and harassment"})
	// Centre: 80 / 12 = 6.666667. Moving ranges 30 40 30 10 30 40 10 20 10
	// 20 10 = 250 / 11 = 22.727273 (none at or above 3.267 times that, 74.25).
	// Limits 6.666667 -/+ 2.66 * 22.727273 = 60.454545: -53.787879, 67.121212.
	// Poisson: the counts a year apart sum to 200 + 6.67 on average, a
	// standard deviation of 14.4, well under the 20.1 of the moving ranges
	// (22.727 / 1.128), so the XmR limits stand.
	centre, half := 80.0/12, 2.66*250.0/11
	if !c.Enough || c.Grain != GrainMonth || len(c.Points) != 14 {
		t.Fatalf("Enough %v, grain %q, %d points; want true, month, 14", c.Enough, c.Grain, len(c.Points))
	}
	for i, p := range c.Points {
		m := datasets.MonthOf(2017, 1).Add(i)
		count := 100 + diffs[i] // 2017: 100 a month in 2016 plus the difference
		if i >= 12 {
			count += diffs[i-12] // 2018: the 2017 count plus the difference
		}
		if p.Start != m || p.End != m || p.Value != float64(diffs[i]) || p.Count != count ||
			!near(p.Centre, centre, 1e-9) || !near(p.Lower, centre-half, 1e-9) || !near(p.Upper, centre+half, 1e-9) ||
			p.Segment != 0 || p.Baseline != (i < 12) || p.Signal != (i == 12) {
			t.Errorf("point %d = %+v", i, p)
		}
	}
	if !near(centre+half, 67.121212, 1e-6) {
		t.Fatalf("hand arithmetic: upper %g", centre+half)
	}
	want := []ControlSignal{{Rule: SignalOutside, Direction: "up", From: datasets.MonthOf(2018, 1), To: datasets.MonthOf(2018, 1),
		Text: "Compared with the same month a year earlier, monthly counts were higher than usual in January 2018 (above the upper limit)."}}
	if !reflect.DeepEqual(c.Signals, want) {
		t.Errorf("signals = %+v, want %+v", c.Signals, want)
	}
	wantMethod := "Each point is the month's count of stalking and harassment recorded in Wiltshire minus the count for the same month a year earlier, " +
		"which takes out the usual seasonal pattern; the centre line is the average of the first 12 of these differences and the limits lie " +
		"2.66 times their average moving range either side of it (an XmR chart, as in NHS \"Making Data Count\")."
	if c.Method != wantMethod {
		t.Errorf("method:\n got %s\nwant %s", c.Method, wantMethod)
	}
	wantSummary := "Compared with the same month a year earlier, monthly counts of stalking and harassment in Wiltshire were higher than usual in January 2018, " +
		"and over the 12 months to February 2018 the total rose."
	if c.Summary != wantSummary {
		t.Errorf("summary:\n got %s\nwant %s", c.Summary, wantSummary)
	}
}

// TestControlChartSeasonalEnglandWales: 48 months of England and Wales scale
// counts with a +/- 5% seasonal swing and Poisson noise, no change. The
// c-chart flagged most months; this chart flags none.
func TestControlChartSeasonalEnglandWales(t *testing.T) {
	ps := monthlyPoisson(1, jan2015, 48, seasonal)
	before := cChartOutside(ps)
	c := BuildControlChart(ControlInput{Periods: ps, Verdict: stats.AboutTheSame, AreaName: "England and Wales", Offence: "Total recorded crime"})
	t.Logf("c-chart: %d of 48 months outside its limits; XmR of year-on-year differences: %d of %d points in %d signals, limits %.0f to %.0f",
		before, flagged(c), len(c.Points), len(c.Signals), c.Points[0].Lower, c.Points[0].Upper)
	if before < 36 {
		t.Errorf("the c-chart flagged %d of 48 months; the swing should put most outside (40 in the issue)", before)
	}
	if !c.Enough || len(c.Points) != 36 || len(c.Signals) != 0 || flagged(c) != 0 {
		t.Errorf("Enough %v, %d points, signals %+v; want 36 points and none", c.Enough, len(c.Points), c.Signals)
	}
	// A difference of two counts of about 450,000 has a Poisson standard
	// deviation of sqrt(900,000) = 949, so the limits should lie about 3 *
	// 949 = 2,846 either side of a centre near 0: within 2,000..4,000.
	p := c.Points[0]
	if half := p.Upper - p.Centre; half < 2000 || half > 4000 || math.Abs(p.Centre) > 1000 {
		t.Errorf("centre %.0f, half-width %.0f; want a centre near 0 and a half-width near 2,846", p.Centre, half)
	}
	if c.Summary != "Compared with the same month a year earlier, monthly counts of total recorded crime in England and Wales stayed within their usual range "+
		"in the 12 months to December 2018, and over those 12 months the total is about the same as a year earlier." {
		t.Errorf("summary: %s", c.Summary)
	}
}

// TestControlChartFalseAlarms measures the chart over 400 draws of the
// seasonal series and of a force's 20 a month: the share of charts with any
// signal is the rules' false-alarm rate on 36 points of chance, which the
// "Making Data Count" rules put near a third even with known limits (a run
// of 7 on one side of the centre line happens by chance in about one chart
// in five); a chart with two or more signals should be rare.
func TestControlChartFalseAlarms(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation skipped with -short")
	}
	for _, tc := range []struct {
		name string
		mean func(int) float64
	}{
		{"England and Wales", seasonal},
		{"small force", func(t int) float64 { return 20 * (1 + 0.1*math.Sin(2*math.Pi*float64(t)/12)) }},
	} {
		const draws = 400
		none, several, points, before := 0, 0, 0, 0
		for seed := range uint64(draws) {
			ps := monthlyPoisson(1000+seed, jan2015, 48, tc.mean)
			c := BuildControlChart(ControlInput{Periods: ps})
			switch {
			case len(c.Signals) == 0:
				none++
			case len(c.Signals) >= 2:
				several++
			}
			points += flagged(c)
			before += cChartOutside(ps)
		}
		t.Logf("%s: %d of %d charts without a signal, %d with two or more; %.2f of 36 points flagged on average (the c-chart: %.1f of 48)",
			tc.name, none, draws, several, float64(points)/draws, float64(before)/draws)
		if none < draws/2 || several > draws/8 {
			t.Errorf("%s: %d charts of %d without a signal (want at least half), %d with two or more (want at most an eighth)", tc.name, none, draws, several)
		}
	}
}

// TestControlChartStep: a 10% step up from month 30 (July 2017) shows as one
// shift: the 12 months from July 2017 are each about 45,000 above the same
// month a year earlier, and from July 2018 both months of a difference are
// after the step.
func TestControlChartStep(t *testing.T) {
	ps := monthlyPoisson(1, jan2015, 48, stepUp(30, 0.10))
	c := BuildControlChart(ControlInput{Periods: ps, Verdict: stats.Rise,
		WindowStart: datasets.MonthOf(2017, 7), WindowEnd: datasets.MonthOf(2018, 6), AreaName: "England and Wales", Offence: "Total recorded crime"})
	for _, s := range c.Signals {
		t.Logf("%s %s %s..%s: %s", s.Rule, s.Direction, s.From, s.To, s.Text)
	}
	if len(c.Signals) != 1 {
		t.Fatalf("%d signals, want 1", len(c.Signals))
	}
	s := c.Signals[0]
	if s.Rule != SignalShift || s.Direction != "up" || s.From < datasets.MonthOf(2017, 6) || s.From > datasets.MonthOf(2017, 8) ||
		s.To < datasets.MonthOf(2018, 6) || s.To > datasets.MonthOf(2018, 7) {
		t.Errorf("signal %+v; want a shift up from about July 2017 to about June 2018", s)
	}
	if !strings.HasPrefix(c.Summary, "Compared with the same month a year earlier, monthly counts of total recorded crime in England and Wales were higher than usual from") ||
		!strings.HasSuffix(c.Summary, ", and over the 12 months to June 2018 the total rose.") {
		t.Errorf("summary: %s", c.Summary)
	}

	// Over 200 draws the step is always found, and its episode starts at
	// the step or a month or two before (a run on one side of the centre
	// line takes in the chance points before it).
	found, atStep := 0, 0
	for seed := range uint64(200) {
		c := BuildControlChart(ControlInput{Periods: monthlyPoisson(2000+seed, jan2015, 48, stepUp(30, 0.10))})
		for _, s := range c.Signals {
			if s.Direction == "up" && s.From <= datasets.MonthOf(2017, 7) && s.To >= datasets.MonthOf(2018, 6) {
				found++
				if s.From >= datasets.MonthOf(2017, 5) {
					atStep++
				}
			}
		}
	}
	t.Logf("step found in %d of 200 draws, starting at most two months early in %d", found, atStep)
	if found != 200 || atStep < 150 {
		t.Errorf("step found in %d of 200 draws (want all), at most two months early in %d (want 150 or more)", found, atStep)
	}
}

// TestControlChartRising: counts rising 1% a month (12.7% a year) are one
// episode, not a signal at every point.
func TestControlChartRising(t *testing.T) {
	c := BuildControlChart(ControlInput{Periods: monthlyPoisson(1, jan2015, 48, rising), Verdict: stats.Rise})
	for _, s := range c.Signals {
		t.Logf("%s %s %s..%s: %s", s.Rule, s.Direction, s.From, s.To, s.Text)
	}
	if n := len(c.Signals); n < 1 || n > 2 {
		t.Fatalf("%d signals, want one or two", n)
	}
	last := c.Signals[len(c.Signals)-1]
	if last.Direction != "up" || last.To != datasets.MonthOf(2018, 12) {
		t.Errorf("last signal %+v; want up, to December 2018", last)
	}
	most := 0
	for seed := range uint64(200) {
		c := BuildControlChart(ControlInput{Periods: monthlyPoisson(3000+seed, jan2015, 48, rising)})
		most = max(most, len(c.Signals))
	}
	if most > 4 {
		t.Errorf("a rising series gave %d signals in some draw; want at most 4", most)
	}
}

// TestControlChartBreak: stalking and harassment with a 30% step at the
// April 2018 recording break. Passed the break, the chart starts again
// after it and shows no signal; without it, the recording change would be
// flagged as a real rise.
func TestControlChartBreak(t *testing.T) {
	start := datasets.MonthOf(2014, 4)
	mean := func(t int) float64 {
		m := 10000 * (1 + 0.05*math.Sin(2*math.Pi*float64(t)/12))
		if start.Add(t) >= datasets.MonthOf(2018, 4) {
			m *= 1.3
		}
		return m
	}
	ps := monthlyPoisson(7, start, 84, mean) // April 2014 to March 2021
	april2018 := datasets.MonthOf(2018, 4)
	in := ControlInput{Periods: ps, Breaks: []datasets.Month{april2018, datasets.MonthOf(2010, 1)}, Verdict: stats.AboutTheSame,
		WindowStart: datasets.MonthOf(2020, 4), WindowEnd: datasets.MonthOf(2021, 3), AreaName: "England and Wales", Offence: "Stalking and harassment"}
	c := BuildControlChart(in)
	if len(c.Points) != 36+24 {
		t.Fatalf("%d points, want 60 (36 before the break, 24 after)", len(c.Points))
	}
	for i, p := range c.Points {
		seg := 0
		if p.Start >= april2018 {
			seg = 1
		}
		if p.Segment != seg {
			t.Errorf("point %s in segment %d, want %d", p.Start, p.Segment, seg)
		}
		// The first point after the break is April 2019, a year into the segment.
		if seg == 1 && p.Start < datasets.MonthOf(2019, 4) {
			t.Errorf("point %s differences across the break", p.Start)
		}
		if want := i < 12 || (i >= 36 && i < 48); p.Baseline != want {
			t.Errorf("point %s baseline %v", p.Start, p.Baseline)
		}
	}
	before, after := c.Points[0], c.Points[36]
	if before.Centre == after.Centre || before.Upper == after.Upper {
		t.Errorf("limits did not reset: %+v and %+v", before, after)
	}
	if len(c.Signals) != 0 {
		t.Errorf("signals %+v; want none", c.Signals)
	}
	if !strings.HasSuffix(c.Method, "; the chart starts afresh after the recording break of April 2018, and no difference spans a break.") {
		t.Errorf("method: %s", c.Method)
	}

	in.Breaks = nil
	c = BuildControlChart(in)
	var rise *ControlSignal
	for k, s := range c.Signals {
		if s.Direction == "up" && s.From <= april2018 && s.To >= datasets.MonthOf(2019, 3) {
			rise = &c.Signals[k]
		}
	}
	// The shift takes in the months before April 2018 that lie above the
	// centre line by chance (four, December 2017 to March 2018, in this draw).
	if rise == nil || rise.From < datasets.MonthOf(2017, 10) {
		t.Errorf("without the break: signals %+v; want a shift up from about April 2018", c.Signals)
	}

	// Only 18 months after the break (to September 2019): too few to chart
	// after it, and the window falls there.
	in = ControlInput{Periods: ps[:66], Breaks: []datasets.Month{april2018}, Verdict: stats.Rise,
		WindowStart: datasets.MonthOf(2018, 10), WindowEnd: datasets.MonthOf(2019, 9), AreaName: "England and Wales", Offence: "Stalking and harassment"}
	c = BuildControlChart(in)
	if !c.Enough || len(c.Points) != 36 {
		t.Fatalf("Enough %v, %d points; want the 36 before the break", c.Enough, len(c.Points))
	}
	if !strings.HasSuffix(c.Method, "; the 18 months from April 2018 to September 2019 are too few to chart on their own (at least 24 are needed).") {
		t.Errorf("method: %s", c.Method)
	}
	if want := "The control chart has no points in the 12 months to September 2019, which come too soon after the recording break of April 2018 to chart, " +
		"and over those 12 months the total rose."; c.Summary != want {
		t.Errorf("summary:\n got %s\nwant %s", c.Summary, want)
	}
}

// TestControlChartSmallForce: 20 a month, where Poisson chance dominates.
func TestControlChartSmallForce(t *testing.T) {
	ps := monthlyPoisson(1, jan2015, 48, func(t int) float64 { return 20 * (1 + 0.1*math.Sin(2*math.Pi*float64(t)/12)) })
	c := BuildControlChart(ControlInput{Periods: ps, Verdict: stats.AboutTheSame, AreaName: "City of London", Offence: "Robbery"})
	p := c.Points[0]
	t.Logf("limits %.1f to %.1f around %.1f; signals %+v", p.Lower, p.Upper, p.Centre, c.Signals)
	// Differences of two counts of about 20: Poisson standard deviation
	// sqrt(40) = 6.3, so limits about 19 either side; never narrower than
	// Poisson chance (3 * 6.3 = 19).
	if !c.Enough || len(c.Points) != 36 || p.Upper-p.Centre < 17 || p.Upper-p.Centre > 35 {
		t.Errorf("Enough %v, %d points, half-width %.1f; want 36 points and about 19", c.Enough, len(c.Points), p.Upper-p.Centre)
	}
	if len(c.Signals) > 1 {
		t.Errorf("signals %+v; want at most one", c.Signals)
	}
}

// TestControlChartQuarterly: Home Office financial quarters, 2012/13 Q1 to
// 2017/18 Q4, about 1,400 a quarter with a seasonal swing and a 20% rise
// from 2016/17 Q1.
func TestControlChartQuarterly(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	var ps []Period
	for y := 2012; y <= 2017; y++ {
		for q := 1; q <= 4; q++ {
			first, last := datasets.FinancialQuarter(y, q)
			mean := 1400 * (1 + 0.08*math.Sin(math.Pi*float64(q)/2))
			if y >= 2016 {
				mean *= 1.2
			}
			ps = append(ps, Period{Start: first, End: last, Count: poissonDraw(r, mean)})
		}
	}
	c := BuildControlChart(ControlInput{Periods: ps, Verdict: stats.Rise,
		WindowStart: datasets.MonthOf(2017, 4), WindowEnd: datasets.MonthOf(2018, 3), AreaName: "Wiltshire", Offence: "Stalking and harassment"})
	for _, s := range c.Signals {
		t.Logf("%s %s %s..%s: %s", s.Rule, s.Direction, s.From, s.To, s.Text)
	}
	t.Log(c.Summary)
	if !c.Enough || c.Grain != GrainQuarter || len(c.Points) != 20 {
		t.Fatalf("Enough %v, grain %q, %d points; want a quarterly chart of 20", c.Enough, c.Grain, len(c.Points))
	}
	if c.Points[0].Start != datasets.MonthOf(2013, 4) || c.Points[0].End != datasets.MonthOf(2013, 6) {
		t.Errorf("first point %+v; want 2013/14 Q1", c.Points[0])
	}
	if len(c.Signals) != 1 || c.Signals[0].Direction != "up" || c.Signals[0].From != datasets.MonthOf(2016, 4) {
		t.Fatalf("signals %+v; want one up from April 2016", c.Signals)
	}
	if !strings.HasPrefix(c.Signals[0].Text, "Compared with the same quarter a year earlier, quarterly counts were higher than usual from the quarter ending June 2016 to the quarter ending March 2017 (") {
		t.Errorf("text: %s", c.Signals[0].Text)
	}
	if !strings.HasPrefix(c.Method, "Each point is the quarter's count of stalking and harassment recorded in Wiltshire minus the count for the same quarter a year earlier") {
		t.Errorf("method: %s", c.Method)
	}

	// A break in November 2016 puts the quarter October to December 2016,
	// which holds it, after the break; the six quarters from there are too
	// few to chart.
	c = BuildControlChart(ControlInput{Periods: ps, Breaks: []datasets.Month{datasets.MonthOf(2016, 11)}, Verdict: stats.Rise, AreaName: "Wiltshire", Offence: "Stalking and harassment"})
	if len(c.Points) != 14 || c.Points[13].End != datasets.MonthOf(2016, 9) {
		t.Errorf("%d points, the last %+v; want 14, to the quarter ending September 2016", len(c.Points), c.Points[len(c.Points)-1])
	}
	if !strings.HasSuffix(c.Method, "; the 6 quarters from the quarter ending December 2016 to the quarter ending March 2018 are too few to chart on their own (at least 16 are needed).") {
		t.Errorf("method: %s", c.Method)
	}
}

// TestControlChartRealStreetFiles: the real data.police.uk sample holds five
// months (October 2018 to February 2019), too few for a chart. The counts
// of violence and sexual offences in Wiltshire were taken with awk
// ($10 == "Violence and sexual offences", no quoted fields in these files)
// and are checked against the reader when the samples are there.
func TestControlChartRealStreetFiles(t *testing.T) {
	counts := []int64{1336, 1293, 1399, 1390, 1215}
	var ps []Period
	for i, n := range counts {
		m := datasets.MonthOf(2018, 10).Add(i)
		ps = append(ps, Period{Start: m, End: m, Count: n})
	}
	c := BuildControlChart(ControlInput{Periods: ps, Verdict: stats.Unknown, AreaName: "Wiltshire", Offence: "Violence and sexual offences"})
	want := ControlChart{Grain: GrainMonth, Summary: "Too few months for a control chart: 5 months (at least 24 are needed)."}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("chart = %+v, want %+v", c, want)
	}

	if testing.Short() {
		return
	}
	dir := testutil.Real(t, "police-uk-street-geoinfo")
	for i, n := range counts {
		name := datasets.MonthOf(2018, 10).Add(i).String() + "-wiltshire-street.csv"
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		ex, err := policeuk.Read(context.Background(), name, f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got int64
		for _, c := range ex.Counts {
			if c.Offence == "Violence and sexual offences" {
				got += c.Count
			}
		}
		if got != n {
			t.Errorf("%s: %d violence and sexual offences, the awk count is %d", name, got, n)
		}
	}
}

// TestControlChartRealHomeOfficeQuarters: the real Home Office sample holds
// the four quarters of 2017/18; Wiltshire's stalking and harassment (8L,
// 8M, 8Q, 8R) was 453, 499, 468 and 476 (awk over the CSV, 1,896 in all).
func TestControlChartRealHomeOfficeQuarters(t *testing.T) {
	var ps []Period
	for q, n := range []int64{453, 499, 468, 476} {
		first, last := datasets.FinancialQuarter(2017, q+1)
		ps = append(ps, Period{Start: first, End: last, Count: n})
	}
	c := BuildControlChart(ControlInput{Periods: ps, Verdict: stats.Unknown, AreaName: "Wiltshire", Offence: "Stalking and harassment"})
	want := ControlChart{Grain: GrainQuarter, Summary: "Too few quarters for a control chart: 4 quarters (at least 16 are needed)."}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("chart = %+v, want %+v", c, want)
	}
}

func TestControlChartDeterministic(t *testing.T) {
	in := ControlInput{Periods: monthlyPoisson(9, jan2015, 48, rising), Breaks: []datasets.Month{datasets.MonthOf(2016, 4)}, Verdict: stats.Rise}
	a, b := BuildControlChart(in), BuildControlChart(in)
	if !reflect.DeepEqual(a, b) {
		t.Error("two builds of the same input differ")
	}
}

// TestControlSummaryNeverContradictsVerdict crosses every verdict with
// charts whose window (2018) holds no signal, a point above or below the
// limits, both, a steady upward trend or a shift downward: the summary
// states the verdict in its own clause, never another one, and says "but"
// exactly when the chart points another way than the verdict.
// TestControlSummaryOutsideWindow: a signal before the window is in
// Signals but not in the summary of the window.
// TestControlMethodBreaks: two breaks leave two stretches too short to
// chart after the first one; the window falls in the last.
// TestControlChartZeroBaseline: a rare offence with no counts for two years
// gets limits of 3 either side of 0 (a Poisson variance of at least 1), so
// one offence is not a signal but five are.
func TestControlChartZeroBaseline(t *testing.T) {
	ps := make([]Period, 30)
	for i := range ps {
		m := datasets.MonthOf(2016, 1).Add(i)
		ps[i] = Period{Start: m, End: m}
	}
	ps[25].Count, ps[28].Count = 1, 5
	c := BuildControlChart(ControlInput{Periods: ps})
	p := c.Points[0]
	if !near(p.Lower, -3.00048, 1e-9) || !near(p.Upper, 3.00048, 1e-9) {
		t.Errorf("limits %g..%g; want -/+3.00048 (2.66 * 1.128)", p.Lower, p.Upper)
	}
	if len(c.Signals) != 1 || c.Signals[0].From != datasets.MonthOf(2018, 5) {
		t.Errorf("signals %+v; want one, in May 2018", c.Signals)
	}
}

// FuzzBuildControlChart builds charts from arbitrary monthly series (a byte a
// month: its count, or a gap), breaks and verdicts, and checks what every
// chart must hold: points in order inside the periods, limits ordered,
// signals inside the charted months, and a summary that is one sentence
// stating the verdict and no other.
func FuzzBuildControlChart(f *testing.F) {
	f.Add([]byte("abcdefghijklmnopqrstuvwxyzabcdefghij"), uint8(20), uint8(1))
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05"), uint8(0), uint8(3))
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xff\xff\xff\xffzzzzzzzzzzzz"), uint8(30), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, breakAt, verdict uint8) {
		start := datasets.MonthOf(2015, 1)
		var ps []Period
		for i, b := range data {
			if b == 0xff {
				continue // a missing month
			}
			m := start.Add(i)
			ps = append(ps, Period{Start: m, End: m, Count: int64(b) * 37})
		}
		v := stats.Change(verdict % 4)
		c := BuildControlChart(ControlInput{Periods: ps, Breaks: []datasets.Month{start.Add(int(breakAt))}, Verdict: v,
			WindowStart: start.Add(len(data) - 12), WindowEnd: start.Add(len(data) - 1), AreaName: "Kent", Offence: "Burglary"})
		if c.Enough != (len(c.Points) > 0) || (c.Method == "") == c.Enough || !strings.HasSuffix(c.Summary, ".") || strings.Contains(c.Summary, ". ") {
			t.Fatalf("chart %+v", c)
		}
		for i, p := range c.Points {
			if (i > 0 && p.Start <= c.Points[i-1].End) || p.Lower > p.Centre || p.Centre > p.Upper || math.IsNaN(p.Value) {
				t.Fatalf("point %d: %+v", i, p)
			}
		}
		for _, s := range c.Signals {
			if s.From > s.To || s.From < c.Points[0].Start || s.To > c.Points[len(c.Points)-1].End || s.Text == "" {
				t.Fatalf("signal %+v", s)
			}
		}
		clause, ok := verdictClause(v)
		if c.Enough && ok && !strings.HasSuffix(c.Summary, clause+".") {
			t.Fatalf("summary %q lacks %q", c.Summary, clause)
		}
		for _, other := range []stats.Change{stats.Rise, stats.Fall, stats.AboutTheSame} {
			if o, _ := verdictClause(other); other != v && strings.Contains(c.Summary, o) {
				t.Fatalf("summary %q says %q for verdict %v", c.Summary, o, v)
			}
		}
	})
}
