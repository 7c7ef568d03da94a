package pipeline

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

// The sentences of a ControlChart. A chart's words never say "rose" or
// "fell": those belong to the verdict clause of the summary, which repeats
// the headline's verdict, so that the chart can never be read as claiming
// the opposite of the headline.

// unit is "month" or "quarter", plural for n other than 1.
func (g chartGrain) unit(n int) string {
	if n == 1 {
		return g.name
	}
	return g.name + "s"
}

// one names a period: "March 2019", "the quarter ending June 2018".
func (g chartGrain) one(p Period) string {
	if g.months == 1 {
		return p.Start.Label()
	}
	return "the quarter ending " + p.End.Label()
}

// when names the points from a to z (a before or equal to z): "in March
// 2019", "in March and April 2019", "from March to November 2018", "from
// November 2018 to May 2019"; for quarters "in the quarter ending June
// 2018", "in the quarters ending June and September 2018", "from the
// quarter ending June 2018 to the quarter ending March 2019".
func (g chartGrain) when(a, z Period) string {
	if a.Start == z.Start {
		return "in " + g.one(a)
	}
	ma, mz := a.Start, z.Start
	if g.months != 1 {
		ma, mz = a.End, z.End
	}
	if z.Start == a.Start.Add(g.months) {
		lead := "in "
		if g.months != 1 {
			lead = "in the quarters ending "
		}
		if ma.Year() == mz.Year() {
			return lead + monthName(ma) + " and " + mz.Label()
		}
		return lead + ma.Label() + " and " + mz.Label()
	}
	if g.months != 1 {
		return "from " + g.one(a) + " to " + g.one(z)
	}
	if ma.Year() == mz.Year() {
		return "from " + monthName(ma) + " to " + mz.Label()
	}
	return "from " + ma.Label() + " to " + mz.Label()
}

func monthName(m datasets.Month) string {
	return strings.TrimSuffix(m.Label(), fmt.Sprintf(" %d", m.Year()))
}

// lowerFirst lowers the first letter of a name used inside a sentence
// ("Stalking and harassment"), unless it starts an acronym or a code.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(r) && unicode.IsLower(next) {
		return string(unicode.ToLower(r)) + s[n:]
	}
	return s
}

func joinWords(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// offence is the offence for use inside a sentence: "stalking and
// harassment", or "offences" when the input names none.
func (b *controlBuild) offence() string {
	if b.in.Offence == "" {
		return "offences"
	}
	return lowerFirst(b.in.Offence)
}

// what is "counts of stalking and harassment in Wiltshire".
func (b *controlBuild) what() string {
	s := "counts of " + b.offence()
	if b.in.AreaName != "" {
		s += " in " + b.in.AreaName
	}
	return s
}

// compared opens a chart clause: "Compared with the same month a year
// earlier, monthly counts".
func (b *controlBuild) compared() string {
	return fmt.Sprintf("Compared with the same %s a year earlier, %s", b.g.name, b.g.adjective)
}

// breakLabels is "the recording break of April 2018" or "the recording
// breaks of April 2014 and April 2018".
func (b *controlBuild) breakLabels() string {
	var ls []string
	for _, m := range b.breaks {
		ls = append(ls, m.Label())
	}
	if len(ls) == 1 {
		return "the recording break of " + ls[0]
	}
	return "the recording breaks of " + joinWords(ls)
}

// method is the Method sentence of a chart with points.
func (b *controlBuild) method() string {
	g := b.g
	recorded := ""
	if b.in.AreaName != "" {
		recorded = " recorded in " + b.in.AreaName
	}
	poisson := ""
	for _, seg := range b.segs {
		if seg.poisson {
			poisson = ", or three Poisson standard deviations where that is wider"
		}
	}
	s := fmt.Sprintf("Each point is the %s's count of %s%s minus the count for the same %s a year earlier, which takes out the usual seasonal pattern; "+
		"the centre line is the average of the first %d of these differences and the limits lie %.2f times their average moving range either side of it%s "+
		"(an XmR chart, as in NHS \"Making Data Count\")",
		g.name, b.offence(), recorded, g.name, stats.BaselinePoints, stats.XmRFactor, poisson)
	if len(b.breaks) > 0 {
		s += "; the chart starts afresh after " + b.breakLabels() + ", and no difference spans a break"
	}
	var short, gappy []string
	for _, seg := range b.segs {
		if seg.charted {
			continue
		}
		n := seg.periods()
		span := fmt.Sprintf("the %d %s %s", n, g.unit(n), g.when(b.periods[seg.first], b.periods[seg.last]))
		if n == 1 {
			span = g.one(b.periods[seg.first])
		}
		if n < g.minPeriods() {
			short = append(short, span)
		} else {
			gappy = append(gappy, span)
		}
	}
	if len(short) > 0 {
		s += fmt.Sprintf("; %s %s too few to chart on their own (at least %d are needed)", joinWords(short),
			pickWord(len(short) == 1 && !strings.HasPrefix(short[0], "the "), "is", "are"), g.minPeriods())
	}
	if len(gappy) > 0 {
		s += fmt.Sprintf("; %s %s not charted, for want of %d %s in a row with a count for the same %s a year earlier",
			joinWords(gappy), pickWord(len(gappy) == 1 && !strings.HasPrefix(gappy[0], "the "), "is", "are"), stats.BaselinePoints, g.unit(2), g.name)
	}
	return s + "."
}

func pickWord(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// tooFew is the Summary of a chart without points.
func (b *controlBuild) tooFew() string {
	g := b.g
	n := len(b.periods)
	head := fmt.Sprintf("Too few %s for a control chart: %d %s", g.unit(2), n, g.unit(n))
	// The segment with most year-on-year points, and the longest.
	var best, longest controlSegment
	for _, s := range b.segs {
		if len(s.yoy) > len(best.yoy) {
			best = s
		}
		if s.periods() > longest.periods() {
			longest = s
		}
	}
	switch {
	case len(b.breaks) > 0 && longest.periods() < g.minPeriods():
		return fmt.Sprintf("%s, but %s %s no more than %d in one stretch (at least %d are needed).", head, b.breakLabels(), pickWord(len(b.breaks) == 1, "leaves", "leave"), longest.periods(), g.minPeriods())
	case n < g.minPeriods():
		return fmt.Sprintf("%s (at least %d are needed).", head, g.minPeriods())
	case len(best.yoy) < stats.BaselinePoints:
		return fmt.Sprintf("%s, but only %d have a count for the same %s a year earlier (at least %d are needed).", head, len(best.yoy), g.name, stats.BaselinePoints)
	}
	return fmt.Sprintf("%s, but the first %d year-on-year differences include no two %s in a row, so there is no moving range to set limits from.", head, stats.BaselinePoints, g.unit(2))
}

// phrase is what an episode says of the counts: "were higher than usual",
// or for a trend alone "moved steadily higher".
func phrase(e stats.Episode) string {
	dir := pickWord(e.Up, "higher", "lower")
	if e.Rule() == stats.RuleTrend && e.Outside == 0 && e.Near == 0 {
		return "moved steadily " + dir
	}
	return "were " + dir + " than usual"
}

// evidence lists the rules behind an episode: "12 months in a row above the
// centre line and 10 above the upper limit".
func (b *controlBuild) evidence(e stats.Episode) string {
	g := b.g
	side, limit := pickWord(e.Up, "above", "below"), pickWord(e.Up, "upper", "lower")
	if e.First == e.Last && e.Outside == 1 {
		return fmt.Sprintf("%s the %s limit", side, limit)
	}
	var parts []string
	if e.Shift > 0 {
		parts = append(parts, fmt.Sprintf("%d %s in a row %s the centre line", e.Shift, g.unit(e.Shift), side))
	}
	if e.Trend > 0 {
		parts = append(parts, fmt.Sprintf("%d %s in a row each %s than the one before", e.Trend, g.unit(e.Trend), pickWord(e.Up, "higher", "lower")))
	}
	if e.Outside > 0 {
		if len(parts) > 0 {
			parts = append(parts, fmt.Sprintf("%d %s the %s limit", e.Outside, side, limit))
		} else {
			parts = append(parts, fmt.Sprintf("%d %s %s the %s limit", e.Outside, g.unit(e.Outside), side, limit))
		}
	}
	if e.Near > 0 {
		parts = append(parts, fmt.Sprintf("%d %s close to the %s limit", e.Near, g.unit(e.Near), limit))
	}
	return joinWords(parts)
}

// signalText is the Text of an episode's ControlSignal.
func (b *controlBuild) signalText(e stats.Episode) string {
	return fmt.Sprintf("%s counts %s %s (%s).", b.compared(), phrase(e), b.episodeWhen(e), b.evidence(e))
}

func (b *controlBuild) episodeWhen(e stats.Episode) string {
	return b.g.when(b.period(b.points[e.First]), b.period(b.points[e.Last]))
}

func (b *controlBuild) period(p ControlPoint) Period {
	return Period{Start: p.Start, End: p.End, Count: p.Count}
}

// window returns the report window, or the last 12 months of the periods
// when the input has none.
func (b *controlBuild) window() (start, end datasets.Month) {
	start, end = b.in.WindowStart, b.in.WindowEnd
	if end == 0 || start > end {
		end = b.periods[len(b.periods)-1].End
		start = end.Add(-11)
	}
	return start, end
}

// windowName is "the 12 months to September 2019", or "September 2019" for
// a window of one month.
func (b *controlBuild) windowName() string {
	start, end := b.window()
	if start == end {
		return end.Label()
	}
	return fmt.Sprintf("the %d months to %s", int(end-start)+1, end.Label())
}

// verdictClause says the headline's verdict on the window's total; ok is
// false when there is no verdict.
func verdictClause(c stats.Change) (string, bool) {
	switch c {
	case stats.Rise:
		return "the total rose", true
	case stats.Fall:
		return "the total fell", true
	case stats.AboutTheSame:
		return "the total is about the same as a year earlier", true
	}
	return "", false
}

// agrees says whether an episode points the way of the verdict: up with a
// rise, down with a fall. Nothing agrees with "about the same".
func agrees(e stats.Episode, c stats.Change) bool {
	return (e.Up && c == stats.Rise) || (!e.Up && c == stats.Fall)
}

// summary is the Summary sentence of a chart with points: what the chart
// shows in the window, then the verdict on the window's total, joined by
// "but" when the chart points another way than the verdict (or the verdict
// is "about the same" and the chart has a signal).
func (b *controlBuild) summary() string {
	start, end := b.window()
	inWindow := false
	for _, p := range b.points {
		inWindow = inWindow || (p.Start >= start && p.End <= end)
	}
	var chart string
	named := false // the chart clause names the window
	var eps []stats.Episode
	for _, e := range b.episodes {
		if b.points[e.First].Start <= end && b.points[e.Last].End >= start {
			eps = append(eps, e)
		}
	}
	but := false
	switch {
	case !inWindow && len(eps) == 0:
		chart = "The control chart has no points in " + b.windowName() + b.noPointsReason(start, end)
		named = true
	case len(eps) == 0:
		chart = fmt.Sprintf("%s %s stayed within their usual range in %s", b.compared(), b.what(), b.windowName())
		named = true
	default:
		var clauses []string
		for k := 0; k < len(eps); {
			ph := phrase(eps[k])
			var whens []string
			for ; k < len(eps) && phrase(eps[k]) == ph; k++ {
				whens = append(whens, b.episodeWhen(eps[k]))
				but = but || !agrees(eps[k], b.in.Verdict)
			}
			if len(clauses) > 0 && strings.HasPrefix(clauses[len(clauses)-1], "were ") {
				ph = strings.TrimPrefix(ph, "were ") // "were higher ... and lower ..."
			}
			clauses = append(clauses, ph+" "+joinWords(whens))
		}
		chart = fmt.Sprintf("%s %s %s", b.compared(), b.what(), joinWords(clauses))
	}
	v, ok := verdictClause(b.in.Verdict)
	if !ok {
		return chart + "."
	}
	over := "over " + b.windowName()
	if named {
		start, end := b.window()
		over = pickWord(start == end, "in that month", fmt.Sprintf("over those %d months", int(end-start)+1))
	}
	return fmt.Sprintf("%s, %s %s %s.", chart, pickWord(but, "but", "and"), over, v)
}

// noPointsReason explains a window without points when it lies in a
// segment too short to chart: ", which come too soon after the recording
// break of April 2018 to chart".
func (b *controlBuild) noPointsReason(start, end datasets.Month) string {
	for _, s := range b.segs {
		if s.charted || s.id == 0 || b.periods[s.first].Start > end || b.periods[s.last].End < start {
			continue
		}
		return fmt.Sprintf(", which come too soon after the recording break of %s to chart", b.breaks[s.id-1].Label())
	}
	return ""
}
