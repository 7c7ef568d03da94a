package stats

import (
	"math"
	"sort"
)

// Individuals (XmR) charts fitted on a baseline, after NHS England "Making
// Data Count" and the NHS-R "plot the dots" implementation of it
// (NHSRplotthedots): the limits come from the first points of a segment,
// moving ranges that are freaks are screened out before the limits are set,
// and the special-cause rules are applied to every point and then merged
// into episodes, so that one change is reported once.

// Constants of FitXmR and SpecialCauses.
const (
	// BaselinePoints is how many points of a segment FitXmR's caller
	// computes the limits on: a year of monthly points, inside the 12 to 20
	// that "Making Data Count" recommends. Fewer points give limits too
	// unsteady to judge by; more would delay a chart after a break by more
	// than a year and make it likelier that a real change falls inside the
	// baseline and widens the limits that should reveal it.
	BaselinePoints = 12
	// XmRFactor is the distance from the centre line to each limit in
	// average moving ranges: 3 / 1.128, so that the limits are three
	// standard deviations of the individual values either side.
	XmRFactor = 2.66
	// RangeScreen is the upper range limit (3.267 average moving ranges,
	// D4 for ranges of two): a moving range at or above it is a freak (a
	// jump caused by a special cause) and is left out of the average, as
	// NHSRplotthedots does by default.
	RangeScreen = 3.267
	// ShiftLength is the shortest shift: points in a row on one side of the
	// centre line.
	ShiftLength = 7
	// TrendRises is the shortest trend in rises (or falls): points each
	// higher (or lower) than the one before, so a trend has TrendRises+1
	// points (seven, as in NHSRplotthedots).
	TrendRises = 6
	// NearFraction places the "near a limit" band of the two-of-three
	// rule: beyond two thirds of the way from the centre line to a limit
	// (two standard deviations).
	NearFraction = 2.0 / 3
)

// RuleTwoOfThree is the "Making Data Count" rule that two of three points in
// a row lie near (or beyond) the same limit, the three on one side of the
// centre line. It is applied by SpecialCauses only.
const RuleTwoOfThree Rule = RuleTrend + 1

// XmRFit is the centre line and limits of an individuals chart fitted on a
// baseline, with what went into them.
type XmRFit struct {
	Limits
	MeanRange float64 // the average moving range the limits use, after screening
	Ranges    int     // moving ranges averaged
	Screened  int     // moving ranges left out as freaks (at or above RangeScreen times the first average)
}

// FitXmR fits an individuals (XmR) chart on baseline values: the centre line
// is their mean, and the limits lie XmRFactor (2.66) average moving ranges
// either side of it. A moving range is |v[i] - v[i-1]|, taken only where
// follows[i] is true (value i comes straight after value i-1: no missing
// period and no recording break between them; follows[0] is ignored).
// Moving ranges at or above RangeScreen (3.267) times their average are left
// out and the average is taken again over the rest. Limits are not clipped
// at zero. ok is false when there are no values or no moving range.
func FitXmR(values []float64, follows []bool) (fit XmRFit, ok bool) {
	if len(values) == 0 {
		return XmRFit{}, false
	}
	var sum float64
	for _, v := range values {
		sum += v
	}
	var ranges []float64
	for i := 1; i < len(values) && i < len(follows); i++ {
		if follows[i] {
			ranges = append(ranges, math.Abs(values[i]-values[i-1]))
		}
	}
	if len(ranges) == 0 {
		return XmRFit{}, false
	}
	first := mean(ranges)
	kept := ranges[:0:0]
	for _, r := range ranges {
		if first == 0 || r < RangeScreen*first {
			kept = append(kept, r)
		}
	}
	fit.MeanRange = mean(kept)
	fit.Ranges, fit.Screened = len(kept), len(ranges)-len(kept)
	fit.Centre = sum / float64(len(values))
	fit.Lower = fit.Centre - XmRFactor*fit.MeanRange
	fit.Upper = fit.Centre + XmRFactor*fit.MeanRange
	return fit, true
}

func mean(vs []float64) float64 {
	var s float64
	for _, v := range vs {
		s += v
	}
	return s / float64(len(vs))
}

// Cause is one special cause found by SpecialCauses: points First..Last
// (indexes, inclusive) break Rule; Points are the ones the rule flags (every
// point of a shift or a trend; the point outside; the points near the limit
// of a two-of-three). Up is true above the centre line or rising.
type Cause struct {
	Rule        Rule
	Up          bool
	First, Last int
	Points      []int
}

// SpecialCauses applies the "Making Data Count" rules to values charted with
// limits (one per value) in segments (one id per value; nil: one segment):
//
//   - RuleOutside: a point above the upper or below the lower limit;
//   - RuleRun (a shift): ShiftLength (7) or more points in a row on the same
//     side of the centre line; a point on the line ends it;
//   - RuleTrend: TrendRises (6) or more rises in a row, or falls, so 7 or
//     more points each higher (lower) than the one before; a tie ends it;
//   - RuleTwoOfThree: of three points in a row, all on one side of the
//     centre line, at least two beyond NearFraction of the way to the limit
//     on that side (beyond it counts too).
//
// Runs, trends and windows of three never cross a change of segment (a
// recording break): the points either side are on different charts. A run
// or trend is one cause however long it is; each window of three is one
// cause (Episodes merges them). Causes are sorted by First, then Rule, then
// Up. Values, limits and segments of different lengths are read to the
// shortest (segments nil aside).
func SpecialCauses(values []float64, limits []Limits, segments []int) []Cause {
	n := min(len(values), len(limits))
	if segments != nil {
		n = min(n, len(segments))
	}
	same := func(i, j int) bool { return segments == nil || segments[i] == segments[j] }
	side := func(i int) int { return sign(values[i] - limits[i].Centre) }
	var out []Cause
	for i := range n {
		if v, l := values[i], limits[i]; v > l.Upper || v < l.Lower {
			out = append(out, Cause{RuleOutside, v > l.Upper, i, i, []int{i}})
		}
	}
	for i := 0; i < n; {
		j := i + 1
		for j < n && same(i, j) && side(j) == side(i) {
			j++
		}
		if s := side(i); s != 0 && j-i >= ShiftLength {
			out = append(out, Cause{RuleRun, s > 0, i, j - 1, span(i, j-1)})
		}
		i = j
	}
	// slope(i) compares point i with point i-1 of the same segment.
	slope := func(i int) int {
		if i == 0 || !same(i, i-1) {
			return 0
		}
		return sign(values[i] - values[i-1])
	}
	for i := 1; i < n; {
		j := i + 1
		for j < n && slope(j) == slope(i) {
			j++
		}
		// Points i-1..j-1 rise (or fall) j-i times in a row.
		if s := slope(i); s != 0 && j-i >= TrendRises {
			out = append(out, Cause{RuleTrend, s > 0, i - 1, j - 1, span(i-1, j-1)})
		}
		i = j
	}
	near := func(i, s int) bool {
		l := limits[i]
		if s > 0 {
			return values[i] > l.Centre+NearFraction*(l.Upper-l.Centre)
		}
		return values[i] < l.Centre-NearFraction*(l.Centre-l.Lower)
	}
	for i := 0; i+2 < n; i++ {
		s := side(i)
		if s == 0 || side(i+1) != s || side(i+2) != s || !same(i, i+2) {
			continue
		}
		var pts []int
		for k := i; k <= i+2; k++ {
			if near(k, s) {
				pts = append(pts, k)
			}
		}
		if len(pts) >= 2 {
			out = append(out, Cause{RuleTwoOfThree, s > 0, pts[0], pts[len(pts)-1], pts})
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if x.First != y.First {
			return x.First < y.First
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		return !x.Up && y.Up
	})
	return out
}

func span(i, j int) []int {
	out := make([]int, 0, j-i+1)
	for k := i; k <= j; k++ {
		out = append(out, k)
	}
	return out
}

// Episode is one or more causes of one direction that overlap or touch in
// one segment, reported as one signal: a steadily rising series is one
// episode, not a signal at every point.
type Episode struct {
	Up          bool
	First, Last int   // the first and last point of its causes
	Points      []int // the points some cause flags, ascending
	Outside     int   // points beyond the limit
	Shift       int   // points of its longest shift, 0 if none
	Trend       int   // points of its longest trend, 0 if none
	Near        int   // points of its two-of-three causes that are not beyond the limit
}

// Rule names the episode by its strongest evidence of a lasting change: a
// shift, else a trend, else a point outside the limits, else two of three
// near a limit.
func (e Episode) Rule() Rule {
	switch {
	case e.Shift > 0:
		return RuleRun
	case e.Trend > 0:
		return RuleTrend
	case e.Outside > 0:
		return RuleOutside
	}
	return RuleTwoOfThree
}

// Episodes merges causes (from SpecialCauses, with the same segments) into
// episodes: causes of the same direction in the same segment whose points
// overlap or touch (one starts at most one point after another ends) are
// one episode. Causes of opposite directions are never merged: a fall
// inside a higher level is a second story. Episodes are sorted by First,
// then Last, then down before up.
func Episodes(causes []Cause, segments []int) []Episode {
	seg := func(i int) int {
		if i < len(segments) {
			return segments[i]
		}
		return 0
	}
	cs := append([]Cause(nil), causes...)
	sort.SliceStable(cs, func(a, b int) bool {
		x, y := cs[a], cs[b]
		if x.Up != y.Up {
			return !x.Up
		}
		if seg(x.First) != seg(y.First) {
			return seg(x.First) < seg(y.First)
		}
		return x.First < y.First
	})
	var out []Episode
	var points map[int]bool
	var near map[int]bool
	var outside map[int]bool
	flush := func() {
		if len(out) == 0 {
			return
		}
		e := &out[len(out)-1]
		e.Points = sortedKeys(points)
		e.Outside = len(outside)
		for p := range near {
			if !outside[p] {
				e.Near++
			}
		}
	}
	for k, c := range cs {
		if k == 0 || c.Up != cs[k-1].Up || seg(c.First) != seg(out[len(out)-1].First) || c.First > out[len(out)-1].Last+1 {
			flush()
			out = append(out, Episode{Up: c.Up, First: c.First, Last: c.Last})
			points, near, outside = map[int]bool{}, map[int]bool{}, map[int]bool{}
		}
		e := &out[len(out)-1]
		e.Last = max(e.Last, c.Last)
		for _, p := range c.Points {
			points[p] = true
		}
		switch c.Rule {
		case RuleOutside:
			outside[c.First] = true
		case RuleRun:
			e.Shift = max(e.Shift, c.Last-c.First+1)
		case RuleTrend:
			e.Trend = max(e.Trend, c.Last-c.First+1)
		case RuleTwoOfThree:
			for _, p := range c.Points {
				near[p] = true
			}
		}
	}
	flush()
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if x.First != y.First {
			return x.First < y.First
		}
		if x.Last != y.Last {
			return x.Last < y.Last
		}
		return !x.Up && y.Up
	})
	return out
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// d2 is the mean moving range of independent normal values with unit
// standard deviation (2/sqrt(pi)): MeanRange / d2 estimates their standard
// deviation, and XmRFactor is 3 / d2.
const d2 = 1.128

// Dispersion is the ratio of the variance the fit's moving ranges imply,
// (MeanRange / 1.128)^2, to poissonVariance, the variance Poisson chance
// alone would give the charted values (for a count, its mean; for the
// difference of two counts, the mean of their sum). About 1: the values vary
// as Poisson counts do; well above 1: overdispersed, as recorded crime
// usually is. Zero when poissonVariance is not positive.
func Dispersion(fit XmRFit, poissonVariance float64) float64 {
	if poissonVariance <= 0 {
		return 0
	}
	sd := fit.MeanRange / d2
	return sd * sd / poissonVariance
}

// AtLeastPoisson returns fit with its limits widened to 3 Poisson standard
// deviations, 3 sqrt(poissonVariance), either side of the centre line when
// the fit's own limits are narrower (Dispersion below 1), with widened true;
// otherwise fit unchanged. Counts of events vary at least as much as Poisson
// chance makes them, so moving ranges smaller than that come from a
// baseline that was quiet by luck, and limits set from them would flag
// ordinary chance later. MeanRange is raised with the limits.
func AtLeastPoisson(fit XmRFit, poissonVariance float64) (out XmRFit, widened bool) {
	if Dispersion(fit, poissonVariance) >= 1 || poissonVariance <= 0 {
		return fit, false
	}
	fit.MeanRange = d2 * math.Sqrt(poissonVariance)
	fit.Lower = fit.Centre - XmRFactor*fit.MeanRange
	fit.Upper = fit.Centre + XmRFactor*fit.MeanRange
	return fit, true
}
