package reports

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// rankBar is one bar with its own style and label.
type rankBar struct {
	Value     any             `json:"value"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Label     *itemLabel      `json:"label,omitempty"`
}

// rankedForces are a topic's forces with a percentage change, in the
// pipeline's order (by rank on change, the largest rise first).
func rankedForces(t pipeline.Topic) []pipeline.Figure {
	var out []pipeline.Figure
	for _, f := range t.Areas {
		if f.AreaKind == datasets.KindForce && f.HasPct && f.Rank > 0 {
			out = append(out, f)
		}
	}
	return out
}

// rankBlock draws every force's percentage change as horizontal bars,
// largest rise first, the chosen forces red with their value and a bold
// name, England and Wales as a vertical line. ok is false with fewer than
// minPoints forces ranked.
func rankBlock(rep *pipeline.Report, t pipeline.Topic, id string, chosen map[string]bool) (chartBlock, bool) {
	fs := rankedForces(t)
	if len(fs) < minPoints {
		return chartBlock{}, false
	}
	names := make([]string, len(fs))
	marks := make([]bool, len(fs))
	bars := make([]rankBar, len(fs))
	for i, f := range fs {
		names[i] = sayAreaName(f)
		bars[i] = rankBar{Value: round1(f.PctChange), ItemStyle: &opts.ItemStyle{Color: colourOther}}
		if chosen[f.AreaCode] {
			marks[i] = true
			bars[i].ItemStyle = &opts.ItemStyle{Color: colourChosen, BorderColor: "#000000", BorderWidth: 1}
			bars[i].Label = &itemLabel{Show: true, Formatter: saySignedPct(f.PctChange), Position: "right", FontWeight: "bold", Color: "#0b0c0c"}
			if f.PctChange < 0 {
				bars[i].Label.Position = "left"
			}
		}
	}
	plural := phraseFor(t.Name).plural
	desc := fmt.Sprintf("Bar chart of the percentage change in %s by force, %s, largest rise first.", plural, sayWindow(rep))
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(chartBase(id, desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "56", Top: "28", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Position: "top", AxisLabel: &opts.AxisLabel{Color: colourAxis}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0", Color: colourAxis}}),
	)...)
	bar.SetXAxis(categories(names, marks))
	var picked []string
	for _, f := range rep.Forces {
		for _, r := range fs {
			if r.AreaCode == f.Code && chosen[f.Code] {
				picked = append(picked, f.Name)
			}
		}
	}
	var lines []markLineItem
	key := []keyItem{{Name: "Other forces", Style: "box", Colour: colourOther}}
	if len(picked) > 0 {
		key = append([]keyItem{{Name: joinAnd(picked), Style: "box", Colour: colourChosen}}, key...)
	}
	if t.National.HasPct {
		v := round1(t.National.PctChange)
		lines = append(lines, markLineItem{Name: "England and Wales", XAxis: &v, LineStyle: &opts.LineStyle{Type: "dashed", Width: 2, Color: colourEW},
			Label: &itemLabel{Show: false}})
		key = append(key, keyItem{Name: sayAreaName(t.National) + " (" + saySignedPct(t.National.PctChange) + ")", Style: "dashed", Colour: colourEW})
	}
	bar.AddSeries("% change", nil, withMarkLines(lines), charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.Data = bars
		s.BarWidth = "70%"
	}))
	bar.XYReversal()
	note := "Forces are in order of their change, the largest rise at the top; the table below sorts them by any column."
	if len(picked) > 0 {
		note += " " + joinAnd(picked) + " in red, named in bold."
	}
	missing := 0
	for _, f := range t.Areas {
		if f.AreaKind == datasets.KindForce && (!f.HasPct || f.Rank == 0) {
			missing++
		}
	}
	if missing > 0 {
		note += " Forces with no percentage change (none a year earlier, or a base too small) have no bar."
	}
	return chartBlock{ID: id, Heading: "Every force ranked by its change", Axis: "Horizontal axis: % change on a year earlier.", Height: 17*len(fs) + 50, Option: chartOption(bar), Desc: desc,
		Note: note, Key: key}, true
}

// rankingTable is every force, BTP, region and country of a topic with its
// figure, change, rate and ranks, sortable by any column, the chosen forces
// shaded.
func rankingTable(rep *pipeline.Report, t pipeline.Topic, chosen map[string]bool) dataTable {
	tbl := dataTable{
		ID:       "ranking-" + t.ID,
		Caption:  fmt.Sprintf("%s by area, %s", sayTopicTitle(t), lowerFirst(sayWindowTitle(rep))),
		Head:     []string{"Area", "Rank by change", "Recorded", "A year earlier", "Change", "% change", "95% interval", "Rate per 1,000", "Rank by rate"},
		Sortable: true,
	}
	for _, f := range t.Areas {
		row := tableRow{Chosen: chosen[f.AreaCode]}
		name := sayAreaName(f)
		rank, rankSort := "", "9999"
		switch {
		case f.Rank > 0:
			rank, rankSort = sayRankOf(f.Rank, f.Ranked), fmt.Sprint(f.Rank)
		case f.RegionRank > 0:
			rank, rankSort = sayRankOf(f.RegionRank, f.RegionsRanked)+" regions", fmt.Sprint(1000+f.RegionRank)
		}
		rateRank, rateSort := "", "9999"
		if f.RateRank > 0 {
			rateRank, rateSort = sayRankOf(f.RateRank, f.RateRanked), fmt.Sprint(f.RateRank)
		}
		cells := []tableCell{{Text: name}, {Text: rank, Sort: rankSort, Num: true}}
		cells = append(cells, countCell(f.HasCount, f.Count))
		cells = append(cells, countCell(f.HasPrevious, f.Previous))
		ch := tableCell{Num: true, Sort: ""}
		if f.HasPrevious {
			ch.Text, ch.Sort, ch.Class = saySignedCount(f.Change), fmt.Sprint(f.Change), sayDirection(f.Change)
		}
		pct := tableCell{Num: true}
		if f.HasPct {
			pct.Text, pct.Sort, pct.Class = saySignedPct(f.PctChange), fmt.Sprintf("%.3f", f.PctChange), sayDirection(f.Change)
		} else if f.PctMarker != "" || f.PctNote != "" {
			pct.Text = "no %"
		}
		iv := tableCell{Num: true}
		if f.HasInterval {
			iv.Text, iv.Sort = sayIntervalRange(f.Lo, f.Hi), fmt.Sprintf("%.3f", f.Lo)
		}
		rate := tableCell{Num: true}
		if f.HasRate {
			rate.Text, rate.Sort = sayRate(f.Rate), fmt.Sprintf("%.4f", f.Rate)
		}
		cells = append(cells, ch, pct, iv, rate, tableCell{Text: rateRank, Sort: rateSort, Num: true})
		row.Cells = cells
		tbl.Rows = append(tbl.Rows, row)
	}
	return tbl
}

// countCell is a count, sortable, blank when absent.
func countCell(ok bool, n int64) tableCell {
	if !ok {
		return tableCell{Num: true}
	}
	return tableCell{Text: sayCount(n), Sort: fmt.Sprint(n), Num: true}
}
