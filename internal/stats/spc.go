package stats

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// Limits are the centre line and control limits of one point of a chart.
type Limits struct {
	Centre, Lower, Upper float64
}

// Signal rule lengths, after NHS England "Making Data Count".
const (
	RunLength   = 7 // points in a row on one side of the centre line
	TrendLength = 6 // points in a row each higher (or each lower) than the one before
)

// segments splits 0..n into half-open ranges starting at 0 and at each break
// index; breaks outside 1..n-1 and repeats are ignored.
func segments(n int, breaks []int) [][2]int {
	starts := []int{0}
	bs := append([]int(nil), breaks...)
	sort.Ints(bs)
	for _, b := range bs {
		if b > starts[len(starts)-1] && b < n {
			starts = append(starts, b)
		}
	}
	out := make([][2]int, len(starts))
	for i, s := range starts {
		end := n
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		out[i] = [2]int{s, end}
	}
	return out
}

// CChart returns the limits of a c-chart for counts, one per count: centre
// the mean count of the segment, limits the mean ± 3 sqrt(mean), the lower
// limit no less than 0. Limits are computed separately for each segment: a
// break index i (a register break, see datasets.BreaksAffecting) starts a new
// segment at counts[i]. An empty input gives nil.
func CChart(counts []int64, breaks []int) []Limits {
	if len(counts) == 0 {
		return nil
	}
	out := make([]Limits, len(counts))
	for _, seg := range segments(len(counts), breaks) {
		var sum float64
		for _, c := range counts[seg[0]:seg[1]] {
			sum += float64(c)
		}
		mean := sum / float64(seg[1]-seg[0])
		spread := 3 * math.Sqrt(mean)
		l := Limits{mean, math.Max(0, mean-spread), mean + spread}
		for i := seg[0]; i < seg[1]; i++ {
			out[i] = l
		}
	}
	return out
}

// XmR returns the limits of an XmR (individuals) chart, one per value:
// centre the mean of the segment, limits the mean ± 2.66 times the mean
// moving range (the mean absolute difference between consecutive values of
// the segment). Segments start at 0 and at each break index, as in CChart;
// moving ranges do not cross a break. Limits are not clipped at zero. A
// segment of one value has both limits on its centre. An empty input gives
// nil.
func XmR(values []float64, breaks []int) []Limits {
	if len(values) == 0 {
		return nil
	}
	out := make([]Limits, len(values))
	for _, seg := range segments(len(values), breaks) {
		vs := values[seg[0]:seg[1]]
		var sum, ranges float64
		for i, v := range vs {
			sum += v
			if i > 0 {
				ranges += math.Abs(v - vs[i-1])
			}
		}
		mean, mr := sum/float64(len(vs)), 0.0
		if len(vs) > 1 {
			mr = ranges / float64(len(vs)-1)
		}
		l := Limits{mean, mean - 2.66*mr, mean + 2.66*mr}
		for i := seg[0]; i < seg[1]; i++ {
			out[i] = l
		}
	}
	return out
}

// Rule is a "Making Data Count" special-cause rule.
type Rule int

// Rules, in the order Signals reports signals that start at the same point.
const (
	RuleOutside Rule = iota + 1 // one point above the upper or below the lower limit
	RuleRun                     // RunLength or more points in a row above, or below, the centre line
	RuleTrend                   // TrendLength or more points in a row each higher, or each lower, than the one before
)

// String names the rule: "outside the limits", "run", "trend" or "two of
// three near a limit".
func (r Rule) String() string {
	switch r {
	case RuleOutside:
		return "outside the limits"
	case RuleRun:
		return "run"
	case RuleTrend:
		return "trend"
	case RuleTwoOfThree:
		return "two of three near a limit"
	}
	return "unknown"
}

// Signal is one special-cause signal on a chart: the points First..Last
// (indexes, inclusive) break Rule. Up is true for a point above the upper
// limit, a run above the centre line or a rising trend. Description is a
// plain-English sentence fragment such as "7 months in a row above the
// average, March to September 2019".
type Signal struct {
	Rule        Rule
	First, Last int
	Up          bool
	Description string
}

// Signals applies the NHS "Making Data Count" rules to values charted with
// limits (one Limits per value, from CChart or XmR): a point outside the
// limits; a run of RunLength (7) or more points in a row above, or below,
// the centre line; a trend of TrendLength (6) or more points in a row each
// higher, or each lower, than the one before. A point on the centre line
// ends a run, and two equal points end a trend. Runs and trends do not cross
// a change of limits (a break), since the points either side are on
// different charts. A run or trend is one signal however long it is.
//
// months labels the points ("March 2019"); when it is not as long as
// values the points are called "points 1 to 7" instead. Signals are sorted
// by First, then Rule. Values and limits of different lengths are read to
// the shorter.
func Signals(values []float64, limits []Limits, months []datasets.Month) []Signal {
	n := min(len(values), len(limits))
	lab := labeller{months: months, n: len(values)}
	var out []Signal
	for i := range n {
		if v, l := values[i], limits[i]; v > l.Upper || v < l.Lower {
			up := v > l.Upper
			out = append(out, Signal{RuleOutside, i, i, up,
				fmt.Sprintf("%s %s the %s limit", lab.one(i), pick(up, "above", "below"), pick(up, "upper", "lower"))})
		}
	}
	// side: +1 above the centre, -1 below, 0 on it; slope: +1 rising, -1 falling.
	side := func(i int) int { return sign(values[i] - limits[i].Centre) }
	slope := func(i int) int {
		if i == 0 || limits[i] != limits[i-1] {
			return 0
		}
		return sign(values[i] - values[i-1])
	}
	// A run is a maximal stretch of points with the same non-zero side under
	// the same limits; a trend, of points with the same non-zero slope (the
	// first point of a trend has no slope of its own).
	for i := 0; i < n; {
		j := i + 1
		for j < n && side(j) == side(i) && limits[j] == limits[i] {
			j++
		}
		if s := side(i); s != 0 && j-i >= RunLength {
			out = append(out, Signal{RuleRun, i, j - 1, s > 0,
				fmt.Sprintf("%d %s in a row %s the average, %s", j-i, lab.unit(), pick(s > 0, "above", "below"), lab.span(i, j-1))})
		}
		i = j
	}
	for i := 1; i < n; {
		j := i + 1
		for j < n && slope(j) == slope(i) {
			j++
		}
		if s := slope(i); s != 0 && j-i+1 >= TrendLength {
			out = append(out, Signal{RuleTrend, i - 1, j - 1, s > 0,
				fmt.Sprintf("%d %s in a row each %s than the one before, %s", j-i+1, lab.unit(), pick(s > 0, "higher", "lower"), lab.span(i-1, j-1))})
		}
		i = j
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].First != out[b].First {
			return out[a].First < out[b].First
		}
		return out[a].Rule < out[b].Rule
	})
	return out
}

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// labeller names points by month when every value has a month.
type labeller struct {
	months []datasets.Month
	n      int
}

func (l labeller) ok() bool { return len(l.months) == l.n }

func (l labeller) unit() string { return pick(l.ok(), "months", "points") }

func (l labeller) one(i int) string {
	if l.ok() {
		return l.months[i].Label()
	}
	return fmt.Sprintf("point %d", i+1)
}

// span gives "March to September 2019", "November 2018 to May 2019" or
// "points 3 to 9".
func (l labeller) span(i, j int) string {
	if !l.ok() {
		return fmt.Sprintf("points %d to %d", i+1, j+1)
	}
	a, b := l.months[i], l.months[j]
	if a.Year() == b.Year() {
		return strings.TrimSuffix(a.Label(), fmt.Sprintf(" %d", a.Year())) + " to " + b.Label()
	}
	return a.Label() + " to " + b.Label()
}
