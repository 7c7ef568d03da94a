package pipeline

import (
	"sort"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

// ControlChart is the monthly (or quarterly) chart of one area's counts of
// one offence: an individuals (XmR) chart of the change on the same period a
// year earlier, built by BuildControlChart.
type ControlChart struct {
	Method  string          // one sentence for the page: what is plotted, how the limits are set, baseline, breaks; empty when Enough is false
	Grain   string          // GrainMonth or GrainQuarter
	Enough  bool            // false: too few points; Summary says so and no chart is drawn
	Points  []ControlPoint  // oldest first, one per period charted (see BuildControlChart); missing periods absent, never zero
	Signals []ControlSignal // merged episodes, oldest first
	Summary string          // one sentence, consistent with the verdict
	Source  string          // the source family of the counts (set by Answer)
}

// ControlPoint is one charted period.
type ControlPoint struct {
	Start, End           datasets.Month
	Count                int64
	Value                float64 // what is plotted: Count minus the count of the same period a year earlier
	Centre, Lower, Upper float64
	Segment              int  // 0 before the first break, 1 after it, ... (the number of breaks at or before End)
	Baseline             bool // the point is in its segment's baseline (the first stats.BaselinePoints points)
	Signal               bool // flagged by the rule of some signal
}

// ControlSignal is one episode of special-cause variation: the rules that
// fired on neighbouring points of one direction, merged.
type ControlSignal struct {
	Rule      string         // SignalOutside, SignalShift, SignalTrend or SignalTwoOfThree: the strongest rule of the episode
	Direction string         // "up" or "down"
	From, To  datasets.Month // the episode: the first month of its first point to the last month of its last
	Text      string         // one plain sentence
}

// ControlInput is what BuildControlChart needs.
type ControlInput struct {
	Periods                []Period         // oldest first, as Series returns them: all months or all quarters
	Breaks                 []datasets.Month // months a recording break took effect (limits reset there)
	Verdict                stats.Change     // the headline's verdict on the window, for the summary sentence
	WindowStart, WindowEnd datasets.Month   // the report window, for the summary; zero: the last 12 months of the periods
	AreaName, Offence      string           // for the sentences ("Wiltshire", "Stalking and harassment")
}

// Grains of a ControlChart.
const (
	GrainMonth   = "month"
	GrainQuarter = "quarter"
)

// Rules of a ControlSignal.
const (
	SignalOutside    = "outside"      // a point above the upper or below the lower limit
	SignalShift      = "shift"        // stats.ShiftLength or more points in a row on one side of the centre line
	SignalTrend      = "trend"        // stats.TrendRises or more rises (or falls) in a row
	SignalTwoOfThree = "two-of-three" // two of three points in a row near the same limit
)

// chartGrain is the length of a chart's periods.
type chartGrain struct {
	name      string // GrainMonth
	months    int    // months a period spans
	perYear   int    // periods a year: the lag of the year-on-year difference
	adjective string // "monthly"
}

var (
	monthGrain   = chartGrain{GrainMonth, 1, 12, "monthly"}
	quarterGrain = chartGrain{GrainQuarter, 3, 4, "quarterly"}
)

// minPeriods is the fewest periods of one segment that give a chart: a year
// to difference against and a baseline of differences.
func (g chartGrain) minPeriods() int { return g.perYear + stats.BaselinePoints }

// BuildControlChart charts one area's counts of one offence as an XmR chart
// of year-on-year differences:
//
//   - Each point is a period's count minus the count of the same period a
//     year earlier (12 months, or 4 quarters, before). This takes out the
//     seasonal pattern without estimating it, handles a steady trend, and
//     keeps the chart on the headline's question: the 12 points of a
//     12-month window add up to the change in its total. A period whose
//     year-earlier period is missing or lies across a recording break has
//     no point; a missing period is never taken as a count of zero. The
//     alternative, deviations from a seasonal index estimated on a two-year
//     baseline, rests each month's index on two values, so the baseline
//     fits itself too well (its deviations have a third of the variance of
//     later ones) and its limits would flag chance later.
//   - The periods are split into segments at the recording breaks in
//     in.Breaks (a break in the first period, or before it, or after the
//     last, splits nothing; a quarter holding a break month goes after it).
//     Each segment is charted on its own: its first stats.BaselinePoints
//     (12) points are the baseline, the centre line is their mean and the
//     limits lie stats.XmRFactor (2.66) average moving ranges either side
//     (stats.FitXmR: moving ranges only between consecutive periods of the
//     segment, freak ranges screened out). Where those limits are narrower
//     than Poisson chance would make them (stats.Dispersion of the baseline
//     below 1, the Poisson variance of a difference being the sum of its
//     two counts), they are widened to three Poisson standard deviations
//     (stats.AtLeastPoisson): counts of crimes vary at least that much, and
//     a baseline that happened to be quiet would otherwise set limits that
//     flag chance later. The limits hold for the whole segment.
//   - A segment with fewer than 12 points (fewer than 24 months, or 16
//     quarters) is not charted: its periods are left out of Points and the
//     Method says so. When no segment can be charted Enough is false,
//     Method is empty and Summary is "Too few months for a control chart: N
//     months (at least 24 are needed)." or a variant naming the breaks or
//     the missing year-earlier periods. Too short a series is not charted
//     as plain counts: with the seasons left in, the limits would flag
//     ordinary seasonal swings, as the c-chart this replaces did.
//   - The rules of stats.SpecialCauses (outside the limits; a shift of 7
//     on one side of the centre line; a trend of 7 each higher or lower;
//     two of three near a limit) run over the charted points, never across
//     a break, and stats.Episodes merges what fires on neighbouring points of
//     one direction into one ControlSignal.
//   - The Summary says what the chart shows in the window (the episodes
//     that overlap it, or that the counts stayed within their usual range)
//     and then the headline's verdict on the window's total in its own
//     words ("the total rose", "the total fell", "the total is about the
//     same as a year earlier"), joined by "but" when an episode points the
//     other way or the verdict is "about the same". The chart's own words
//     never say "rose" or "fell", so the two cannot be read as disagreeing
//     without the sentence saying so.
//
// A Poisson c-chart is not offered: counts of recorded crime usually vary
// more than Poisson chance allows (a month's count moves with reporting,
// recording and police activity), so c-chart limits are too narrow, and
// where a series does vary as Poisson counts do, the Poisson floor above
// gives the same limits the c-chart would (three Poisson standard
// deviations) on the deseasonalised values.
//
// Periods must be all months or all quarters, in time order without
// overlaps; otherwise Enough is false and Summary says why. The result
// depends on nothing but in.
func BuildControlChart(in ControlInput) ControlChart {
	b, why := newControlBuild(in)
	if why != "" {
		return ControlChart{Grain: b.g.name, Summary: why}
	}
	b.chart()
	out := ControlChart{Grain: b.g.name, Enough: len(b.points) > 0}
	if !out.Enough {
		out.Summary = b.tooFew()
		return out
	}
	out.Points = b.points
	out.Signals = b.signals
	out.Method = b.method()
	out.Summary = b.summary()
	return out
}

// controlBuild holds the working state of BuildControlChart.
type controlBuild struct {
	in      ControlInput
	g       chartGrain
	periods []Period
	breaks  []datasets.Month // breaks that split the periods, ascending
	segs    []controlSegment

	points   []ControlPoint
	episodes []stats.Episode
	signals  []ControlSignal
}

// controlSegment is the periods between two breaks.
type controlSegment struct {
	id          int   // breaks at or before its periods' ends
	first, last int   // period indexes
	yoy         []int // periods with their year-earlier period in the segment
	earlier     []int // that period, beside yoy
	charted     bool
	poisson     bool // the limits were widened to Poisson chance
}

func (s controlSegment) periods() int { return s.last - s.first + 1 }

// newControlBuild checks the periods, finds their grain and splits them at
// the breaks. why is the summary when there is nothing to chart for a
// reason other than length.
func newControlBuild(in ControlInput) (b *controlBuild, why string) {
	b = &controlBuild{in: in, g: monthGrain, periods: in.Periods}
	if len(b.periods) == 0 {
		return b, b.tooFew()
	}
	g, ok := grainOf(b.periods)
	if !ok {
		return b, "No control chart: the periods are not all months or all quarters."
	}
	b.g = g
	for i := 1; i < len(b.periods); i++ {
		if b.periods[i].Start <= b.periods[i-1].End {
			return b, "No control chart: the periods overlap or are out of order."
		}
	}
	first, last := b.periods[0].End, b.periods[len(b.periods)-1].End
	seen := map[datasets.Month]bool{}
	for _, m := range in.Breaks {
		if m > first && m <= last && !seen[m] {
			seen[m] = true
			b.breaks = append(b.breaks, m)
		}
	}
	sort.Slice(b.breaks, func(i, j int) bool { return b.breaks[i] < b.breaks[j] })
	for i, p := range b.periods {
		id := sort.Search(len(b.breaks), func(k int) bool { return b.breaks[k] > p.End })
		if i == 0 || id != b.segs[len(b.segs)-1].id {
			b.segs = append(b.segs, controlSegment{id: id, first: i})
		}
		b.segs[len(b.segs)-1].last = i
	}
	for k := range b.segs {
		s := &b.segs[k]
		byStart := map[datasets.Month]int{}
		for i := s.first; i <= s.last; i++ {
			byStart[b.periods[i].Start] = i
			if j, ok := byStart[b.periods[i].Start.Add(-12)]; ok {
				s.yoy = append(s.yoy, i)
				s.earlier = append(s.earlier, j)
			}
		}
	}
	return b, ""
}

// grainOf says whether every period is a month or every period a quarter.
func grainOf(ps []Period) (chartGrain, bool) {
	for _, g := range []chartGrain{monthGrain, quarterGrain} {
		all := true
		for _, p := range ps {
			all = all && p.End == p.Start.Add(g.months-1)
		}
		if all {
			return g, true
		}
	}
	return monthGrain, false
}

// chart fits each segment with enough points, applies the rules and words
// the signals.
func (b *controlBuild) chart() {
	var values []float64
	var limits []stats.Limits
	var segIDs []int
	for k := range b.segs {
		s := &b.segs[k]
		if len(s.yoy) < stats.BaselinePoints {
			continue
		}
		vals := make([]float64, len(s.yoy))
		follows := make([]bool, len(s.yoy))
		for n, i := range s.yoy {
			vals[n] = float64(b.periods[i].Count - b.periods[s.earlier[n]].Count)
			follows[n] = n > 0 && b.periods[s.yoy[n-1]].Start.Add(b.g.months) == b.periods[i].Start
		}
		fit, ok := stats.FitXmR(vals[:stats.BaselinePoints], follows[:stats.BaselinePoints])
		if !ok {
			continue
		}
		// The Poisson variance of a difference of two counts is their sum;
		// at least 1, so that a baseline of zero counts does not give
		// limits of no width.
		var sum float64
		for n, i := range s.yoy[:stats.BaselinePoints] {
			sum += float64(b.periods[i].Count + b.periods[s.earlier[n]].Count)
		}
		fit, s.poisson = stats.AtLeastPoisson(fit, max(1, sum/float64(stats.BaselinePoints)))
		s.charted = true
		for n, i := range s.yoy {
			p := b.periods[i]
			b.points = append(b.points, ControlPoint{
				Start: p.Start, End: p.End, Count: p.Count, Value: vals[n],
				Centre: fit.Centre, Lower: fit.Lower, Upper: fit.Upper,
				Segment: s.id, Baseline: n < stats.BaselinePoints,
			})
			values = append(values, vals[n])
			limits = append(limits, fit.Limits)
			segIDs = append(segIDs, s.id)
		}
	}
	b.episodes = stats.Episodes(stats.SpecialCauses(values, limits, segIDs), segIDs)
	for _, e := range b.episodes {
		for _, i := range e.Points {
			b.points[i].Signal = true
		}
		b.signals = append(b.signals, ControlSignal{
			Rule:      signalRule(e.Rule()),
			Direction: direction(e.Up),
			From:      b.points[e.First].Start,
			To:        b.points[e.Last].End,
			Text:      b.signalText(e),
		})
	}
}

func signalRule(r stats.Rule) string {
	switch r {
	case stats.RuleRun:
		return SignalShift
	case stats.RuleTrend:
		return SignalTrend
	case stats.RuleOutside:
		return SignalOutside
	}
	return SignalTwoOfThree
}

func direction(up bool) string {
	if up {
		return "up"
	}
	return "down"
}
