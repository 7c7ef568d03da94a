package reports

import (
	"fmt"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// controlPoint is one data item of the control chart: signal points get
// their own symbol, size and colour (a red diamond, not colour alone).
type controlPoint struct {
	Value      []any           `json:"value"`
	Symbol     string          `json:"symbol,omitempty"`
	SymbolSize int             `json:"symbolSize,omitempty"`
	ItemStyle  *opts.ItemStyle `json:"itemStyle,omitempty"`
}

// controlBlock draws an area's control chart as the pipeline built it
// (pipeline.ControlChart: what is plotted, its centre line and limits, one
// set per segment between recording breaks, the points flagged by its
// rules), with the breaks marked at their month. ok is false when the
// chart has too few points; the chart's Summary then says why.
func controlBlock(id, area string, t pipeline.Topic, cc pipeline.ControlChart, events []datasets.Event) (chartBlock, bool) {
	if !cc.Enough || len(cc.Points) < minPoints {
		return chartBlock{}, false
	}
	grain := 1
	if cc.Grain == "quarter" { // pipeline.GrainQuarter
		grain = 3
	}
	first, last := cc.Points[0].End, cc.Points[len(cc.Points)-1].End
	var breaks []datasets.Event
	for _, e := range events {
		if e.Source == "register" && e.Month > cc.Points[0].Start && e.Month <= last {
			breaks = append(breaks, e)
		}
	}
	var values []controlPoint
	for i, p := range cc.Points {
		if i > 0 && p.End != cc.Points[i-1].End.Add(grain) {
			values = append(values, controlPoint{Value: []any{monthValue(p.End.Add(-1)), nullValue}})
		}
		pt := controlPoint{Value: []any{monthValue(p.End), round1(p.Value)}}
		if p.Signal {
			pt.Symbol, pt.SymbolSize = "diamond", 13
			pt.ItemStyle = &opts.ItemStyle{Color: colourChosen, BorderColor: "#000000", BorderWidth: 1}
		}
		values = append(values, pt)
	}
	desc := fmt.Sprintf("Control chart of %s in %s, %s to %s: %s", phraseFor(t.Name).plural, area, first.Label(), last.Label(), cc.Method)
	line := newTimeLine(id, desc, first, last, opts.YAxis{Type: "value", Scale: opts.Bool(true)})
	marks, items := eventMarks(breaks)
	line.AddSeries("Change on a year earlier", nil, withMarkLines(marks),
		charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Data = values }),
		charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 6, ShowSymbol: opts.Bool(true)}),
		charts.WithLineStyleOpts(opts.LineStyle{Type: "solid", Width: 2, Color: colourEW}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colourEW}))
	// One centre line and one pair of limits per segment.
	seg := -1
	var centre, lower, upper []opts.LineData
	flush := func() {
		if len(centre) == 0 {
			return
		}
		for _, s := range []struct {
			name string
			data []opts.LineData
			st   string
		}{{"Centre line", centre, "dashed"}, {"Lower limit", lower, "dotted"}, {"Upper limit", upper, "dotted"}} {
			line.AddSeries(s.name, s.data,
				charts.WithLineChartOpts(opts.LineChart{Symbol: "none", ShowSymbol: opts.Bool(false), Step: "middle"}),
				charts.WithLineStyleOpts(opts.LineStyle{Type: s.st, Width: 1.5, Color: "#505a5f"}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: "#505a5f"}))
		}
		centre, lower, upper = nil, nil, nil
	}
	for _, p := range cc.Points {
		if p.Segment != seg {
			flush()
			seg = p.Segment
		}
		x := monthValue(p.End)
		centre = append(centre, opts.LineData{Value: []any{x, round1(p.Centre)}})
		lower = append(lower, opts.LineData{Value: []any{x, round1(p.Lower)}})
		upper = append(upper, opts.LineData{Value: []any{x, round1(p.Upper)}})
	}
	flush()

	key := []keyItem{
		{Name: "Change on a year earlier", Style: "solid", Colour: colourEW, Mark: "circle"},
		{Name: "Centre line", Style: "dashed", Colour: "#505a5f"},
		{Name: "Limits", Style: "dotted", Colour: "#505a5f"},
	}
	for _, p := range cc.Points {
		if p.Signal {
			key = append(key, keyItem{Name: "A point a rule flags", Style: "box", Colour: colourChosen, Mark: "diamond"})
			break
		}
	}
	tbl := dataTable{Caption: "Control chart of " + phraseFor(t.Name).plural + " in " + area,
		Head: []string{"Period", "Recorded", "Change on a year earlier", "Centre line", "Lower limit", "Upper limit", "Flagged"}}
	for _, p := range cc.Points {
		flag := ""
		if p.Signal {
			flag = "yes"
		}
		tbl.Rows = append(tbl.Rows, tableRow{Cells: []tableCell{
			{Text: sayMonthPeriod(pipeline.Period{Start: p.Start, End: p.End})}, {Text: sayCount(p.Count), Num: true},
			{Text: signedNumber(p.Value), Num: true}, {Text: signedNumber(p.Centre), Num: true},
			{Text: signedNumber(p.Lower), Num: true}, {Text: signedNumber(p.Upper), Num: true}, {Text: flag},
		}})
	}
	return chartBlock{ID: id, Heading: "Is the pattern out of the ordinary?", Axis: "Vertical axis: offences recorded, less the same period a year earlier.", Height: 300, Option: chartOption(line), Desc: desc,
		Note: cc.Method, Key: key, Events: items, Table: tbl}, true
}

// signedNumber writes a value of the control chart to one decimal place
// where it has one, with its sign: "+1,204", "−35.5".
func signedNumber(v float64) string {
	r := round1(v)
	if r == math.Trunc(r) {
		return saySignedCount(int64(r))
	}
	s := strconv.FormatFloat(math.Abs(r), 'f', 1, 64)
	n, _ := strconv.ParseInt(s[:len(s)-2], 10, 64)
	out := sayCount(n) + s[len(s)-2:]
	if r > 0 {
		return "+" + out
	}
	return "\u2212" + out
}
