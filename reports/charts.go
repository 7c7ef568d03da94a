package reports

import (
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/crimetrends/crimetrends/datasets"
)

// Colours for the charts; meaning is also carried by markers and labels.
const (
	colourChosen = "#c0392b"
	colourOther  = "#7f8c9d"
	colourEW     = "#1f4e79"
)

var forceLineColours = []string{"#c0392b", "#d35400", "#8e44ad", "#16a085", "#2c3e50", "#7f6000"}

func trendChartID(s Section) string { return "trend_" + s.ID }
func rankChartID(s Section) string  { return "rank_" + s.ID }

func hasForces(s Section) bool {
	for _, sr := range s.Series {
		if !sr.National {
			return true
		}
	}
	return false
}

func trendNote(s Section) string {
	if hasForces(s) {
		return totalsName(s) + ". Chosen forces (solid lines, round markers) are read against the left axis; England and Wales (dashed line, triangle markers) against the right axis. The scales differ, so compare the shapes of the lines, not their heights. A gap is a missing period, not zero."
	}
	return totalsName(s) + " for England and Wales. A gap is a missing period, not zero."
}

func rankNote(s Section) string {
	note := fmt.Sprintf("Percentage change in recorded offences, %s against the same months a year earlier, largest rise first.", lowerFirst(sectionWindowTitle(s)))
	for _, r := range s.Ranking {
		if r.Chosen {
			note += " Chosen forces are marked ★ in the axis label, labelled “chosen” on the bar and drawn in red."
			break
		}
	}
	for _, r := range s.Ranking {
		if !r.HasPct {
			note += " Forces with no percentage (a base under 50 or no figure a year earlier) have no bar; the table gives their counts."
			break
		}
	}
	return note
}

// chartText keeps text that go-echarts would mangle out of chart options:
// its renderer deletes every "__f__".
func chartText(s string) string { return strings.ReplaceAll(s, "__f__", "__f\u200b__") }

func trendChart(s Section) *charts.Line {
	forces := hasForces(s)
	line := charts.NewLine()
	desc := fmt.Sprintf("Line chart of %s of %s, %s to %s.", strings.ToLower(totalsName(s)), chartText(phraseFor(s.Offence).plural), periodString(s.Periods, 0), periodString(s.Periods, -1))
	line.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: trendChartID(s), Width: "100%", Height: "420px"}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: desc}}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: periodAxis(s), NameLocation: "middle", NameGap: 30}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: axisName(forces), Scale: opts.Bool(true)}),
	)
	if forces {
		line.ExtendYAxis(opts.YAxis{Type: "value", Name: "England and Wales", Position: "right", Scale: opts.Bool(true)})
	}
	x := make([]string, len(s.Periods))
	for i, m := range s.Periods {
		x[i] = m.String()
	}
	line.SetXAxis(x)
	marks := trendEvents(s)
	fi := 0
	for k, sr := range s.Series {
		var ev []charts.SeriesOpts
		if k == 0 && len(marks) > 0 {
			ev = append(ev, withEventLines(marks))
		}
		data := make([]opts.LineData, len(sr.Points))
		for i, p := range sr.Points {
			if p.Present {
				data[i] = opts.LineData{Value: p.Count}
			} else {
				data[i] = opts.LineData{Value: "-"}
			}
		}
		if sr.National {
			axis := 0
			if forces {
				axis = 1
			}
			line.AddSeries(chartText(sr.AreaName), data, append(ev,
				charts.WithLineChartOpts(opts.LineChart{YAxisIndex: axis, Symbol: "triangle", SymbolSize: 9, ShowSymbol: opts.Bool(true)}),
				charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Width: 2, Color: colourEW}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: colourEW}),
			)...)
			continue
		}
		colour := forceLineColours[fi%len(forceLineColours)]
		fi++
		line.AddSeries(chartText(sr.AreaName), data, append(ev,
			charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 7, ShowSymbol: opts.Bool(true)}),
			charts.WithLineStyleOpts(opts.LineStyle{Type: "solid", Width: 3, Color: colour}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
		)...)
	}
	return line
}

// trendEvents places the section's events on the trend chart's period
// ends (the first window that contains each event).
func trendEvents(s Section) []eventMark {
	if len(s.Periods) == 0 {
		return nil
	}
	areas := make([]string, len(s.Series))
	for i, sr := range s.Series {
		areas[i] = sr.AreaCode
	}
	return chartEvents(s.Events, areas, s.Periods[0].Add(1-max(s.Months, 1)), s.Periods, func(i int) string { return s.Periods[i].String() })
}

func axisName(forces bool) string {
	if forces {
		return "Chosen forces"
	}
	return "England and Wales"
}

func periodString(ms []datasets.Month, i int) string {
	if len(ms) == 0 {
		return "none"
	}
	if i < 0 {
		i = len(ms) + i
	}
	return ms[i].Label()
}

func rankChart(s Section) *charts.Bar {
	bar := charts.NewBar()
	height := 22*len(s.Ranking) + 90
	if height < 200 {
		height = 200
	}
	names := make([]string, len(s.Ranking))
	data := make([]opts.BarData, len(s.Ranking))
	for i, r := range s.Ranking {
		names[i] = chartText(r.AreaName)
		d := opts.BarData{Value: "-", ItemStyle: &opts.ItemStyle{Color: colourOther}}
		if r.HasPct {
			d.Value = roundPct(r.PctChange)
		}
		if r.Chosen {
			names[i] = "★ " + names[i]
			d.ItemStyle = &opts.ItemStyle{Color: colourChosen, BorderColor: "#000000", BorderWidth: 2}
			d.Label = &opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "chosen: {c}%", FontWeight: "bold"}
		}
		data[i] = d
	}
	desc := fmt.Sprintf("Bar chart of the percentage change in %s by force, %s, largest rise first.", chartText(phraseFor(s.Offence).plural), lowerFirst(sectionWindowTitle(s)))
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: rankChartID(s), Width: "100%", Height: fmt.Sprintf("%dpx", height)}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: desc}}),
		charts.WithGridOpts(opts.Grid{Left: "200", Right: "120"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "% change"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
	)
	bar.SetXAxis(names)
	bar.AddSeries("% change", data)
	bar.XYReversal()
	return bar
}
