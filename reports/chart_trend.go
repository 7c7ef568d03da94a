package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// minPoints is the fewest points a chart is drawn with; with fewer the page
// says what it would show in a sentence.
const minPoints = 3

// lineStyle is how one line of a chart is drawn.
type lineStyle struct {
	style, colour, symbol string
	width                 float64
}

var (
	styleForce    = lineStyle{"solid", colourChosen, "circle", 3}
	styleNational = lineStyle{"dashed", colourEW, "triangle", 2}
	stylePeers    = lineStyle{"dotted", colourPeers, "diamond", 2}
)

func styleOf(l pipeline.Line, i int) lineStyle {
	switch l.Kind {
	case "national":
		return styleNational
	case "peers":
		return stylePeers
	}
	s := styleForce
	s.colour = forceColours[i%len(forceColours)]
	return s
}

func presentPoints(l pipeline.Line) int {
	n := 0
	for _, p := range l.Points {
		if p.Present {
			n++
		}
	}
	return n
}

// trendBlock answers "how has it moved?": the lines of a force, England and
// Wales and its peers at every window end of the series, on one axis: the
// index (each line 100 at the first period every line has) when there are
// two lines or more, counts for a line on its own. Events are marked at
// their month. ok is false when the first line has fewer than minPoints
// points: then sentence says what there is.
func trendBlock(rep *pipeline.Report, t pipeline.Topic, id string, lines []pipeline.Line, events []datasets.Event) (b chartBlock, sentence string, ok bool) {
	if len(lines) == 0 {
		return chartBlock{}, "", false
	}
	if presentPoints(lines[0]) < minPoints {
		return chartBlock{}, sayFewPoints(rep, lines[0]), false
	}
	indexed := len(lines) > 1
	base := datasets.Month(0)
	if indexed {
		for _, p := range lines[0].Points {
			if p.HasIndex && p.Index == 100 {
				base = p.PeriodEnd
				break
			}
		}
		if base == 0 {
			indexed, lines = false, lines[:1]
		}
	}
	periods := t.Periods
	first, last := periods[0], periods[len(periods)-1]
	for _, e := range events {
		if e.Month < first {
			first = e.Month
		}
	}
	value := func(p pipeline.Point) any {
		switch {
		case !p.Present:
			return nullValue
		case indexed && p.HasIndex:
			return round1(p.Index)
		case indexed:
			return nullValue
		}
		return p.Count
	}
	axis := "Offences recorded"
	if indexed {
		axis = sayIndexAxis(rep, base)
	}
	plural := phraseFor(t.Name).plural
	desc := fmt.Sprintf("Line chart of %s, %s, %s to %s.", plural, joinAnd(lineNames(lines)), sayPeriod(rep, periods[0]), lowerFirst(sayPeriod(rep, periods[len(periods)-1])))
	line := newTimeLine(id, desc, first, last, opts.YAxis{Type: "value", Scale: opts.Bool(true)})
	marks, items := eventMarks(events)
	var key []keyItem
	for i, l := range lines {
		st := styleOf(l, i)
		data := make([]opts.LineData, len(l.Points))
		for k, p := range l.Points {
			data[k] = opts.LineData{Value: []any{monthValue(p.PeriodEnd), value(p)}}
		}
		var extra []charts.SeriesOpts
		if i == 0 {
			extra = append(extra, withMarkLines(marks))
		}
		key = append(key, addStyledLine(line, l.Name, data, st, 8, extra))
	}

	note := sayPointMeaning(rep) + " "
	if indexed {
		note += fmt.Sprintf("Every line is 100 at the %s, so 110 means 10%% more offences than then; the lines share one axis and their shapes compare directly. ", lowerFirst(sayPeriod(rep, base)))
	}
	note += "A gap is a missing period, not zero."
	if len(items) > 0 {
		note += " Numbered lines mark the changes and events listed below, at their month."
	}

	tbl := dataTable{Caption: fmt.Sprintf("%s: %s", upperFirst(plural), joinAnd(lineNames(lines))), Head: []string{"Window"}}
	for _, l := range lines {
		tbl.Head = append(tbl.Head, l.Name+": recorded")
		if indexed {
			tbl.Head = append(tbl.Head, l.Name+": index")
		}
	}
	for k, m := range periods {
		row := tableRow{Cells: []tableCell{{Text: sayPeriod(rep, m)}}}
		for _, l := range lines {
			p := l.Points[k]
			c := tableCell{Num: true}
			if p.Present {
				c.Text = sayCount(p.Count)
			}
			row.Cells = append(row.Cells, c)
			if indexed {
				ic := tableCell{Num: true}
				if p.HasIndex {
					ic.Text = sayRate(p.Index)
				}
				row.Cells = append(row.Cells, ic)
			}
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	return chartBlock{ID: id, Heading: "How has it moved?", Axis: "Vertical axis: " + lowerFirst(axis) + ".", Height: 300, Option: chartOption(line), Desc: desc, Note: note,
		Key: key, Events: items, Table: tbl}, "", true
}

func lineNames(lines []pipeline.Line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Name
	}
	return out
}

// eventMarks groups events by month into numbered vertical lines, each at
// its own month: a dashed line for a recording change, dotted for any other
// event, the number at its top; the list under the chart says what each
// number is.
func eventMarks(events []datasets.Event) ([]markLineItem, []eventItem) {
	type group struct {
		month datasets.Month
		nums  []string
		brk   bool
	}
	var groups []*group
	at := map[datasets.Month]*group{}
	var items []eventItem
	sorted := append([]datasets.Event(nil), events...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Month < sorted[j].Month })
	for i, e := range sorted {
		n := fmt.Sprint(i + 1)
		items = append(items, eventItem{N: n, Month: e.Month.Label(), Kind: sayEventKind(e), Text: e.Label})
		g, ok := at[e.Month]
		if !ok {
			g = &group{month: e.Month}
			at[e.Month] = g
			groups = append(groups, g)
		}
		g.nums = append(g.nums, n)
		g.brk = g.brk || e.Source == "register"
	}
	var marks []markLineItem
	for _, g := range groups {
		style, colour := "dotted", colourEvent
		if g.brk {
			style, colour = "dashed", colourBreak
		}
		marks = append(marks, markLineItem{
			Name:      strings.Join(g.nums, ", "),
			XAxis:     monthValue(g.month),
			LineStyle: &opts.LineStyle{Type: style, Width: 2, Color: colour},
			Label:     &itemLabel{Show: true, Formatter: strings.Join(g.nums, ", "), Position: "end", FontSize: 12, FontWeight: "bold", Color: colour},
		})
	}
	return marks, items
}

// eventsFor keeps the events that concern the areas given (an event with
// no area concerns every area).
func eventsFor(events []datasets.Event, areas ...string) []datasets.Event {
	var out []datasets.Event
	for _, e := range events {
		if e.AreaCode == "" {
			out = append(out, e)
			continue
		}
		for _, a := range areas {
			if e.AreaCode == a {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// monthlyBlock draws the counts by month of the areas given (for short data
// that gives no figure over the report's window yet) on one axis of counts.
// ok is false when no area has minPoints months.
func monthlyBlock(t pipeline.Topic, id string, series []pipeline.MonthlySeries, events []datasets.Event) (chartBlock, bool) {
	var keep []pipeline.MonthlySeries
	for _, ms := range series {
		if len(ms.Periods) >= minPoints {
			keep = append(keep, ms)
		}
	}
	if len(keep) == 0 {
		return chartBlock{}, false
	}
	first, last := monthlySpan(t)
	for _, e := range events {
		if e.Month < first {
			first = e.Month
		}
	}
	var names []string
	for _, ms := range keep {
		names = append(names, ms.AreaName)
	}
	plural := phraseFor(t.Name).plural
	desc := fmt.Sprintf("Line chart of %s recorded each month, %s, %s to %s.", plural, joinAnd(names), first.Label(), last.Label())
	line := newTimeLine(id, desc, first, last, opts.YAxis{Type: "value", Min: 0})
	marks, items := eventMarks(events)
	var key []keyItem
	months := map[datasets.Month]bool{}
	for i, ms := range keep {
		st := styleForce
		st.colour = forceColours[i%len(forceColours)]
		data := make([]opts.LineData, 0, len(ms.Periods))
		for k, p := range ms.Periods {
			if k > 0 && p.Start > ms.Periods[k-1].End.Add(1) {
				data = append(data, opts.LineData{Value: []any{monthValue(p.Start.Add(-1)), nullValue}})
			}
			data = append(data, opts.LineData{Value: []any{monthValue(p.End), p.Count}})
			months[p.End] = true
		}
		var extra []charts.SeriesOpts
		if i == 0 {
			extra = append(extra, withMarkLines(marks))
		}
		key = append(key, addStyledLine(line, ms.AreaName, data, st, 7, extra))
	}
	ms := make([]datasets.Month, 0, len(months))
	for m := range months {
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i] < ms[j] })
	tbl := dataTable{Caption: upperFirst(plural) + " recorded each month", Head: []string{"Month"}}
	for _, s := range keep {
		tbl.Head = append(tbl.Head, s.AreaName)
	}
	for _, m := range ms {
		row := tableRow{Cells: []tableCell{{Text: m.Label()}}}
		for _, s := range keep {
			c := tableCell{Num: true}
			for _, p := range s.Periods {
				if p.End == m {
					c.Text = sayCount(p.Count)
				}
			}
			row.Cells = append(row.Cells, c)
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	note := "Counts in each month as published, with no change on a year earlier. A gap is a missing month, not zero."
	return chartBlock{ID: id, Heading: "Offences recorded each month", Axis: "Vertical axis: offences recorded in the month.", Height: 280, Option: chartOption(line), Desc: desc, Note: note,
		Key: key, Events: items, Table: tbl}, true
}
