package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// heatMinWidth is the narrowest a heat map is drawn: on a phone it scrolls
// sideways inside its own box, the page does not.
const heatMinWidth = 720

// heatBlock is a heat map of every force's percentage change (rows, by
// name) in every topic given (columns), the chosen forces' names bold and
// their cells outlined. Cells are labelled only when a cell is wide enough
// for its label at the narrowest width; the table gives every number. ok
// is false with fewer than two topics or no force with a figure.
func heatBlock(rep *pipeline.Report, id, heading string, topics []pipeline.Topic, chosen map[string]bool) (chartBlock, bool) {
	if len(topics) < 2 {
		return chartBlock{}, false
	}
	type key struct {
		code string
		col  int
	}
	cells := map[key]pipeline.Figure{}
	for c, t := range topics {
		for _, f := range t.Areas {
			if f.AreaKind == datasets.KindForce {
				cells[key{f.AreaCode, c}] = f
			}
		}
	}
	var forces []datasets.Area
	for _, a := range datasets.Forces() {
		for c := range topics {
			if _, ok := cells[key{a.Code, c}]; ok {
				forces = append(forces, a)
				break
			}
		}
	}
	if len(forces) == 0 {
		return chartBlock{}, false
	}
	sort.SliceStable(forces, func(i, j int) bool { return forces[i].Name < forces[j].Name })
	cellWidth := (heatMinWidth - 170) / len(topics)
	labelled := cellWidth >= 38
	cols := make([]string, len(topics))
	for c, t := range topics {
		cols[c] = chartText(shortName(t.Name, 26))
	}
	names := make([]string, len(forces))
	marks := make([]bool, len(forces))
	var coloured, grey []tileItem
	var values []mapValue
	for y, a := range forces {
		names[y], marks[y] = a.Name, chosen[a.Code]
		for c := range topics {
			f, ok := cells[key{a.Code, c}]
			it := tileItem{Name: chartText(a.Name), ItemStyle: &opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 1}}
			if marks[y] {
				it.ItemStyle = &opts.ItemStyle{BorderColor: "#000000", BorderWidth: 2}
			}
			if ok && f.HasPct {
				values = append(values, mapValue{Has: true, Value: f.PctChange})
				it.Value = []any{c, y, round1(f.PctChange)}
				if labelled {
					it.Label = tileLabel(wholePct(f.PctChange), marks[y], 10)
				}
				coloured = append(coloured, it)
				continue
			}
			it.Value = []any{c, y, 0}
			it.ItemStyle.Color = colourNoData
			grey = append(grey, it)
		}
	}
	desc := fmt.Sprintf("Heat map of the percentage change by force (rows) and offence (columns), %s.", sayWindow(rep))
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(append(chartBase(id, desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "8", Top: "8", Bottom: "60", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: cols, Position: "top", AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 60, Color: colourAxis}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: categories(names, marks), Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0", Color: colourAxis}}),
	)...)
	two := 2
	withScale(&hm.BaseConfiguration, mapSpec{Values: values, Diverging: true}, &two, false)
	hm.AddSeries("% change", nil, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Data = coloured }))
	hm.AddSeries("No percentage", nil, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Data = grey }),
		charts.WithSeriesTooltipOpts(opts.SeriesTooltip{Formatter: "{b}: no percentage"}))

	note := "Colour runs from blue (a fall) through white to red (a rise); grey cells have no percentage."
	if labelled {
		note += " Each cell is labelled with its change to the nearest whole per cent."
	} else {
		note += " With this many offences the cells are too small to label: the table gives every number."
	}
	var picked []string
	for y, a := range forces {
		if marks[y] {
			picked = append(picked, a.Name)
		}
	}
	var legend []keyItem
	if len(picked) > 0 {
		legend = []keyItem{{Name: joinAnd(picked) + " (bold name, outlined cells)", Style: "outline", Colour: "#000000"}}
	}
	tbl := dataTable{Caption: heading + ": percentage change by force", Head: []string{"Force"}}
	for _, t := range topics {
		tbl.Head = append(tbl.Head, t.Name)
	}
	for y, a := range forces {
		row := tableRow{Chosen: marks[y], Cells: []tableCell{{Text: a.Name}}}
		for c := range topics {
			cell := tableCell{Num: true}
			if f, ok := cells[key{a.Code, c}]; ok && f.HasPct {
				cell.Text = saySignedPct(f.PctChange)
			}
			row.Cells = append(row.Cells, cell)
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	height := 20*len(forces) + 240
	return chartBlock{ID: id, Heading: heading, Height: height, Wide: heatMinWidth, Option: chartOption(hm), Desc: desc, Note: note,
		Key: legend, Table: tbl}, true
}

// wholePct writes a percentage to the nearest whole number with its sign:
// "+15%", "−4%", "0%".
func wholePct(p float64) string {
	r := math.Round(p)
	switch {
	case r > 0:
		return fmt.Sprintf("+%.0f%%", r)
	case r < 0:
		return fmt.Sprintf("\u2212%.0f%%", -r)
	}
	return "0%"
}

// shortName cuts a long offence name at a word to at most n characters,
// with an ellipsis; the table beside it has the whole name.
func shortName(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndex(s[:n-1], " ")
	if cut <= 0 {
		cut = n - 1
	}
	return strings.TrimRight(s[:cut], " ,(") + "…"
}
