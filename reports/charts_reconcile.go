package reports

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Colours of the reconciliation bars; each bar is also labelled.
const (
	colourExtract   = "#7f3b08"
	colourPublished = "#1f4e79"
)

// reconcileBlock sets the force's own extract beside each published figure
// for the same months (DOMAIN.md: force extracts against the published
// series): a pair of bars per published figure, and a table with the
// difference. ok is false when the section has no reconciliation.
func reconcileBlock(s Section) (chartBlock, bool) {
	if len(s.Reconciliations) == 0 {
		return chartBlock{}, false
	}
	id := "reconcile_" + s.ID
	var cats []string
	var extract, published []opts.BarData
	t := blockTable{
		Caption: fmt.Sprintf("Recorded %s: the force's own extract against the published figures for the same months", phraseFor(s.Offence).plural),
		Header:  []string{"Force", "Months", "Published by", "Force extract", "Published", "Difference", "% difference", "Note"},
	}
	for _, r := range s.Reconciliations {
		months := r.Start.Label() + " to " + r.End.Label()
		cat := chartText(r.AreaName + ", " + months + " (" + r.PublishedSource + ")")
		cats = append(cats, cat)
		extract = append(extract, opts.BarData{Value: r.Extract, Label: &opts.Label{Show: opts.Bool(true), Position: "right", Formatter: formatCount(r.Extract)}})
		published = append(published, opts.BarData{Value: r.Published, Label: &opts.Label{Show: opts.Bool(true), Position: "right", Formatter: formatCount(r.Published)}})
		diff, pct := signedCount(r.Difference), ""
		if r.HasPct {
			pct = tablePct(r.PctDifference)
		}
		t.Rows = append(t.Rows, []blockCell{{Text: r.AreaName}, {Text: months}, {Text: r.PublishedSource},
			{Text: formatCount(r.Extract), Num: true}, {Text: formatCount(r.Published), Num: true},
			{Text: diff, Num: true}, {Text: pct, Num: true}, {Text: r.Note}})
	}
	desc := fmt.Sprintf("Bar chart of recorded %s: the force's own extract beside each published figure for the same months.", chartText(phraseFor(s.Offence).plural))
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(chartBase(id, fmt.Sprintf("%dpx", 70*len(cats)+120), desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "320", Right: "90", Top: "40"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "recorded"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
	)...)
	bar.SetXAxis(cats)
	bar.AddSeries("Force extract", extract, charts.WithItemStyleOpts(opts.ItemStyle{Color: colourExtract}))
	bar.AddSeries("Published", published, charts.WithItemStyleOpts(opts.ItemStyle{Color: colourPublished}))
	bar.XYReversal()
	note := "The force's own record-level extract (management information) beside the figure the Home Office or ONS published for the same force, offence and months; each pair of bars is labelled with its count, and the table gives the difference. Records are cancelled, reclassified and transferred after an extract is taken, and the published figures are revised, so small differences are expected; a large one is worth a question to the force's crime registrar."
	return newChartBlock(id, "The force's own figures against the published ones", bar, note, t), true
}
