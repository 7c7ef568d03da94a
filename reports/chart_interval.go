package reports

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/crimetrends/crimetrends/pipeline"
)

// intervalRow is one row of the interval chart and the comparators table:
// the force itself or a comparator built without it.
type intervalRow struct {
	Name        string
	Force       bool
	Count       int64
	HasPrevious bool
	Previous    int64
	HasPct      bool
	Pct         float64
	HasInterval bool
	Lo, Hi      float64
	Verdict     string
	HasRate     bool
	Rate        float64
	Note        string
}

// intervalRows are the force's quoted figure and its comparators (England
// and Wales, its country, region and peers, each without it), as the
// pipeline computed them.
func intervalRows(a pipeline.ForceAnswer) []intervalRow {
	f := a.Figure
	out := []intervalRow{{Name: a.Force.Name, Force: true, Count: f.Count, HasPrevious: f.HasPrevious, Previous: f.Previous,
		HasPct: f.HasPct, Pct: f.PctChange, HasInterval: f.HasInterval, Lo: f.Lo, Hi: f.Hi, Verdict: f.Verdict,
		HasRate: f.HasRate, Rate: f.Rate}}
	for _, c := range a.Comparators {
		r := intervalRow{Name: c.Label, Count: c.Count, HasPrevious: c.HasPrevious, Previous: c.Previous,
			HasPct: c.HasPct, Pct: c.PctChange, HasInterval: c.HasInterval && c.HasPct, Lo: c.Lo, Hi: c.Hi, Verdict: c.Verdict,
			HasRate: c.HasRate, Rate: c.Rate, Note: c.Note}
		out = append(out, r)
	}
	return out
}

// comparatorsTable is the force beside each comparator: counts, change,
// its 95% interval and verdict, the rate per 1,000.
func comparatorsTable(rep *pipeline.Report, t pipeline.Topic, a pipeline.ForceAnswer) dataTable {
	tbl := dataTable{
		Caption: fmt.Sprintf("%s and the forces around it, %s", a.Force.Name, lowerFirst(sayWindowTitle(rep))),
		Head:    []string{"Area", "Recorded", "A year earlier", "% change", "95% interval", "Verdict", "Rate per 1,000"},
	}
	for _, r := range intervalRows(a) {
		row := tableRow{Chosen: r.Force, Cells: []tableCell{{Text: r.Name}, {Text: sayCount(r.Count), Num: true}}}
		prev, pct, iv, rate := "", "", "", ""
		if r.HasPrevious {
			prev = sayCount(r.Previous)
		}
		if r.HasPct {
			pct = saySignedPct(r.Pct)
		}
		if r.HasInterval {
			iv = sayIntervalRange(r.Lo, r.Hi)
		}
		if r.HasRate {
			rate = sayRate(r.Rate)
		}
		row.Cells = append(row.Cells, tableCell{Text: prev, Num: true}, tableCell{Text: pct, Num: true},
			tableCell{Text: iv, Num: true}, tableCell{Text: sayVerdict(r.Verdict)}, tableCell{Text: rate, Num: true})
		tbl.Rows = append(tbl.Rows, row)
	}
	return tbl
}

// scatterPoint is one dot of the interval chart.
type scatterPoint struct {
	Value      []any           `json:"value"`
	Symbol     string          `json:"symbol,omitempty"`
	SymbolSize int             `json:"symbolSize,omitempty"`
	ItemStyle  *opts.ItemStyle `json:"itemStyle,omitempty"`
	Label      *itemLabel      `json:"label,omitempty"`
}

// whiskerEnd is one end of an interval line; the first end carries its
// style.
type whiskerEnd struct {
	Coord     []any           `json:"coord"`
	LineStyle *opts.LineStyle `json:"lineStyle,omitempty"`
	Label     *itemLabel      `json:"label,omitempty"`
}

// intervalBlock draws each row's % change as a dot on a line across its
// 95% interval, with the no-change line: where a line crosses it the change
// could be chance. ok is false with fewer than two rows with an interval.
func intervalBlock(rep *pipeline.Report, t pipeline.Topic, a pipeline.ForceAnswer, id string) (chartBlock, bool) {
	rows := intervalRows(a)
	var names []string
	var chosen []bool
	var points []scatterPoint
	zero := 0.0
	whiskers := []any{markLineItem{Name: "No change", XAxis: &zero, LineStyle: &opts.LineStyle{Type: "dashed", Width: 1, Color: "#505a5f"}, Label: &itemLabel{Show: false}}}
	lo, hi := 0.0, 0.0
	n := 0
	for _, r := range rows {
		if !r.HasInterval {
			continue
		}
		n++
		name := wrapName(r.Name, 22)
		names = append(names, name)
		chosen = append(chosen, r.Force)
		colour := colourEW
		p := scatterPoint{Value: []any{round1(r.Pct), chartText(name)}, Symbol: "circle", SymbolSize: 10, ItemStyle: &opts.ItemStyle{Color: colourEW},
			Label: &itemLabel{Show: true, Formatter: saySignedPct(r.Pct), Position: "top", FontSize: 11, Color: colourAxis}}
		if r.Force {
			colour = colourChosen
			p.Symbol, p.SymbolSize = "diamond", 15
			p.ItemStyle = &opts.ItemStyle{Color: colourChosen, BorderColor: "#000000", BorderWidth: 1}
			p.Label.FontWeight = "bold"
		}
		points = append(points, p)
		whiskers = append(whiskers, [2]whiskerEnd{
			{Coord: []any{round1(r.Lo), chartText(name)}, LineStyle: &opts.LineStyle{Type: "solid", Width: 3, Color: colour}, Label: &itemLabel{Show: false}},
			{Coord: []any{round1(r.Hi), chartText(name)}},
		})
		lo, hi = math.Min(lo, r.Lo), math.Max(hi, r.Hi)
	}
	if n < 2 {
		return chartBlock{}, false
	}
	lo, hi = math.Floor(lo/5)*5, math.Ceil(hi/5)*5
	if lo == hi {
		hi = lo + 5
	}
	plural := phraseFor(t.Name).plural
	desc := fmt.Sprintf("Dot chart of the percentage change in %s, %s, for %s and the areas around it, each with a line across its 95%% interval.", plural, sayWindow(rep), a.Force.Name)
	sc := charts.NewScatter()
	sc.SetGlobalOptions(append(chartBase(id, desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: "24", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: lo, Max: hi, AxisLabel: &opts.AxisLabel{Color: colourAxis}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), Data: categories(names, chosen), AxisLabel: &opts.AxisLabel{Interval: "0", Color: colourAxis}}),
	)...)
	sc.AddSeries("% change with its 95% interval", nil, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.Data = points
		s.MarkLines = &opts.MarkLines{Data: whiskers, MarkLineStyle: opts.MarkLineStyle{Symbol: []string{"none", "none"}, Label: &opts.Label{Show: opts.Bool(false)}}}
	}))
	note := fmt.Sprintf("Each dot is a percentage change on a year earlier; the line through it is its 95%% interval (the counts treated as Poisson). %s is the red diamond; each area around it is built without it. Where a line crosses the dashed no-change line, the change could be chance.", a.Force.Name)
	note += " The table above gives every number."
	return chartBlock{ID: id, Heading: "Is the change larger than chance?", Axis: "Horizontal axis: % change on a year earlier.", Height: 60*n + 50, Option: chartOption(sc), Desc: desc, Note: note,
		Key: []keyItem{{Name: a.Force.Name, Style: "box", Colour: colourChosen, Mark: "diamond"}, {Name: "Areas around it", Style: "box", Colour: colourEW, Mark: "circle"}},
	}, true
}
