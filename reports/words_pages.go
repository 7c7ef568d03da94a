package reports

import (
	"fmt"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// The words of the pages: labels of cards, tables and charts, and the
// sentences that stand in for a chart with too little to draw. They build on
// words.go and follow the same rules.

// sayAreaName is an area as every page names it: as ONS names it
// (datasets.Area.Name), whatever the source printed; a like-for-like total
// says whom it leaves out ("England and Wales excluding Greater
// Manchester").
func sayAreaName(f pipeline.Figure) string {
	if len(f.LeftOut) > 0 && f.AreaName != "" {
		return f.AreaName
	}
	if a, ok := datasets.AreaByCode(f.AreaCode); ok && a.Name != "" {
		return a.Name
	}
	return f.AreaName
}

// sayCodeName is the ONS name of an area code; the code itself when it is
// not one.
func sayCodeName(code string) string {
	if a, ok := datasets.AreaByCode(code); ok && a.Name != "" {
		return a.Name
	}
	return code
}

// saySignedCount writes a change with its sign: "+278", "−12", "0".
func saySignedCount(n int64) string {
	switch {
	case n > 0:
		return "+" + sayCount(n)
	case n < 0:
		return "\u2212" + sayCount(-n)
	}
	return "0"
}

// sayRankOf is "37 of 43", "" when not ranked.
func sayRankOf(rank, of int) string {
	if rank == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d", rank, of)
}

// sayIntervalRange is a 95% interval as a range: "+7.7% to +21.9%".
func sayIntervalRange(lo, hi float64) string {
	return saySignedPct(lo) + " to " + saySignedPct(hi)
}

// sayVerdict words a change's verdict for a table cell.
func sayVerdict(v string) string {
	switch v {
	case pipeline.VerdictRise:
		return "rise beyond chance"
	case pipeline.VerdictFall:
		return "fall beyond chance"
	case pipeline.VerdictSame:
		return "about the same"
	}
	return ""
}

// sayDirection is "up", "down" or "" for a change, for a cell's class.
func sayDirection(change int64) string {
	switch {
	case change > 0:
		return "up"
	case change < 0:
		return "down"
	}
	return ""
}

// sayPeriod names one window of the report's kind ending at m, as a chart
// point or a table row: "12 months to March 2018".
func sayPeriod(rep *pipeline.Report, m datasets.Month) string { return rep.Window.Title(m) }

// sayMonthPeriod names a period of a monthly or quarterly series: "October
// 2018", "quarter to June 2023".
func sayMonthPeriod(p pipeline.Period) string {
	if p.Start == p.End {
		return p.End.Label()
	}
	return "quarter to " + p.End.Label()
}

// sayEventKind is what a marker on a chart stands for.
func sayEventKind(e datasets.Event) string {
	if e.Source == "register" {
		return "recording change"
	}
	return "event"
}

// sayFewPoints stands in for a line chart with fewer than three points: it
// gives each point of the force's (or England and Wales's) line in words.
func sayFewPoints(rep *pipeline.Report, l pipeline.Line) string {
	var parts []string
	for _, p := range l.Points {
		if p.Present {
			parts = append(parts, fmt.Sprintf("%s in the %s", sayCount(p.Count), lowerFirst(sayPeriod(rep, p.PeriodEnd))))
		}
	}
	switch len(parts) {
	case 0:
		return fmt.Sprintf("There are no earlier figures of the same kind for %s, so there is no line to draw.", l.Name)
	case 1:
		return fmt.Sprintf("%s: %s. There are no earlier figures of the same kind, so there is no line to draw.", l.Name, parts[0])
	}
	return fmt.Sprintf("%s: %s. Too few periods for a chart.", l.Name, joinAnd(parts))
}

// sayShortData says what a topic shows when its data is too short for a
// figure over the report's window: the months there are and that no change
// on a year earlier can be given yet.
func sayShortData(rep *pipeline.Report, t pipeline.Topic) string {
	first, last := monthlySpan(t)
	if first == 0 {
		return t.Empty
	}
	n := int(last-first) + 1
	src := "data.police.uk"
	if len(t.Monthly) > 0 && t.Monthly[0].Source != datasets.SourcePoliceUK {
		src = pipeline.SourceName(t.Monthly[0].Source)
	}
	span := fmt.Sprintf("%s to %s", first.Label(), last.Label())
	if n == 1 {
		span = first.Label()
	}
	return fmt.Sprintf("The %s files in this dataset cover %s (%s). These are monthly counts as %s publishes them; a change on a year earlier needs %d months, so none is given yet.",
		src, span, sayMonths(n), src, rep.Months+12)
}

// sayMonths is "1 month", "5 months".
func sayMonths(n int) string {
	if n == 1 {
		return "1 month"
	}
	return fmt.Sprintf("%d months", n)
}

// monthlySpan is the first and last month of a topic's monthly counts.
func monthlySpan(t pipeline.Topic) (first, last datasets.Month) {
	for _, ms := range t.Monthly {
		for _, p := range ms.Periods {
			if first == 0 || p.Start < first {
				first = p.Start
			}
			if p.End > last {
				last = p.End
			}
		}
	}
	return first, last
}

// sayStatus is the status line of a source, said once on a page: "ONS
// Police Force Area data tables: official statistics (not accredited)."
func sayStatus(rep *pipeline.Report, src string) string {
	return upperFirst(pipeline.SourceName(src)) + ": " + lowerFirst(sayStatusOf(rep, src)) + "."
}

// sayQuoted says which figure is quoted and why, above a force's other
// figures for the same question.
func sayQuoted(rep *pipeline.Report, f pipeline.Figure) string {
	name := upperFirst(pipeline.SourceName(f.Source))
	if f.Release != "" {
		name = releaseTitleOf(f.Release)
	}
	for _, s := range rep.Sources {
		if s.Source == f.Source && s.Why != "" {
			return fmt.Sprintf("The figure quoted is from the %s: %s.", strings.TrimPrefix(name, "the "), strings.TrimSuffix(s.Why, "."))
		}
	}
	return fmt.Sprintf("The figure quoted is from the %s.", name)
}

// sayFigureSource names a figure's source in a table cell: the release for
// a published figure ("ONS PFA tables, year ending September 2019"), else
// the source.
func sayFigureSource(f pipeline.Figure) string {
	if f.Release != "" {
		return releaseTitleOf(f.Release)
	}
	return upperFirst(pipeline.SourceName(f.Source))
}

// sayMinBaseNote explains a blank percentage.
func sayMinBaseNote(minBase int) string {
	return fmt.Sprintf("No percentage change is given where there were fewer than %d offences a year earlier (the ONS convention): the counts are shown instead.", minBase)
}

// Notes every report carries once.
const (
	noteDerived = "ONS publishes the percentage change, not the count a year earlier: that count is worked out from the published percentage."
	noteNotAll  = "These are offences recorded by the police, not a count of all crime: they move with reporting, recording practice and police activity."
	noteSynth   = "Every figure in this report is made up for testing and demonstration; none is a real police figure."
)

// sayIndexAxis names the y axis of an index chart: "Index (12 months to
// March 2018 = 100)".
func sayIndexAxis(rep *pipeline.Report, base datasets.Month) string {
	return fmt.Sprintf("Index (%s = 100)", lowerFirst(sayPeriod(rep, base)))
}

// sayPointMeaning says what one point of a series chart is.
func sayPointMeaning(rep *pipeline.Report) string {
	if rep.Months == 1 {
		return "Each point is the count of one month."
	}
	return fmt.Sprintf("Each point is the total of the %d months ending that month.", rep.Months)
}

// shortSource names a figure's source in a narrow cell: "ONS", "Home
// Office", "Force extract", "data.police.uk".
func shortSource(f pipeline.Figure) string {
	switch f.Source {
	case datasets.SourceONSPFA:
		return "ONS"
	case datasets.SourceHomeOffice:
		return "Home Office"
	case datasets.SourceForce:
		return "Force extract"
	case datasets.SourcePoliceUK:
		return "data.police.uk"
	}
	return f.Source
}

// sayRecorded is the unit under a count: "offences of stalking and
// harassment recorded", "offences recorded (excluding fraud)", "offence of
// robbery recorded".
func sayRecorded(t pipeline.Topic, n int64) string {
	p := phraseFor(t.Name)
	if n == 1 {
		return strings.TrimSuffix(p.single, p.after) + " recorded" + p.after
	}
	return lowerFirst(p.subject) + " recorded" + p.after
}
