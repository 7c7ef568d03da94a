package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

const colourSignal = "#c0392b"

// spcPoint is one data item of the SPC chart: signal points get their own
// symbol, size and colour.
type spcPoint struct {
	Value      interface{}     `json:"value"`
	Symbol     string          `json:"symbol,omitempty"`
	SymbolSize int             `json:"symbolSize,omitempty"`
	ItemStyle  *opts.ItemStyle `json:"itemStyle,omitempty"`
}

// spcData is a c-chart of one area's period-by-period counts.
type spcData struct {
	Area      MonthlySeries
	Periods   []PeriodCount // sorted by end
	Quarterly bool          // some period is longer than a month
	Breaks    []int         // indexes where limits restart
	Limits    []stats.Limits
	Signals   []stats.Signal
	Described []string // one per signal
	Gaps      int      // periods missing between the first and the last
}

// newSPC computes the c-chart of ms with limits reset at the register
// breaks among events that concern its area. A break goes to the first
// period ending in or after its month; one at the first period resets
// nothing.
func newSPC(ms MonthlySeries, events []datasets.Event) spcData {
	d := spcData{Area: ms, Periods: append([]PeriodCount(nil), ms.Periods...)}
	sort.SliceStable(d.Periods, func(i, j int) bool { return d.Periods[i].End < d.Periods[j].End })
	counts := make([]int64, len(d.Periods))
	values := make([]float64, len(d.Periods))
	for i, p := range d.Periods {
		counts[i], values[i] = p.Count, float64(p.Count)
		if p.Start != p.End {
			d.Quarterly = true
		}
		if i > 0 && p.Start > d.Periods[i-1].End.Add(1) {
			d.Gaps += int(p.Start-d.Periods[i-1].End.Add(1)) / max(1, int(p.End-p.Start)+1)
		}
	}
	seen := map[int]bool{}
	for _, e := range events {
		if !isBreak(e) || !concerns(e, []string{ms.AreaCode}) || len(d.Periods) == 0 || e.Month < d.Periods[0].Start {
			continue
		}
		for i, p := range d.Periods {
			if p.End >= e.Month {
				if i > 0 && !seen[i] {
					seen[i] = true
					d.Breaks = append(d.Breaks, i)
				}
				break
			}
		}
	}
	sort.Ints(d.Breaks)
	d.Limits = stats.CChart(counts, d.Breaks)
	d.Signals = stats.Signals(values, d.Limits, nil)
	for _, sg := range d.Signals {
		d.Described = append(d.Described, d.describe(sg))
	}
	return d
}

func (d spcData) unit() string {
	if d.Quarterly {
		return "quarterly"
	}
	return "monthly"
}

// label names point i: "June 2018", or "quarter ending June 2018".
func (d spcData) label(i int) string {
	p := d.Periods[i]
	if p.Start == p.End {
		return p.End.Label()
	}
	return "quarter ending " + p.End.Label()
}

func (d spcData) span(i, j int) string {
	if d.Quarterly {
		return "quarters ending " + d.Periods[i].End.Label() + " to " + d.Periods[j].End.Label()
	}
	return d.label(i) + " to " + d.label(j)
}

// category is point i on the x axis ("2018-06", the period's last month).
func (d spcData) category(i int) string { return d.Periods[i].End.String() }

// describe names a signal: "Run of 8 above the centre line, June 2018 to
// January 2019".
func (d spcData) describe(sg stats.Signal) string {
	n := sg.Last - sg.First + 1
	switch sg.Rule {
	case stats.RuleOutside:
		if sg.Up {
			return "Above the upper limit, " + d.label(sg.First)
		}
		return "Below the lower limit, " + d.label(sg.First)
	case stats.RuleRun:
		return fmt.Sprintf("Run of %d %s the centre line, %s", n, pick(sg.Up, "above", "below"), d.span(sg.First, sg.Last))
	case stats.RuleTrend:
		return fmt.Sprintf("Trend of %d %s, %s", n, pick(sg.Up, "rising", "falling"), d.span(sg.First, sg.Last))
	}
	return sg.Description
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// inSignal lists the descriptions of the signals point i is part of.
func (d spcData) inSignal(i int) []string {
	var out []string
	for k, sg := range d.Signals {
		if sg.First <= i && i <= sg.Last {
			out = append(out, d.Described[k])
		}
	}
	return out
}

func spcChartID(s Section, k int, code string) string {
	if k == 0 {
		return "spc_" + s.ID
	}
	return "spc_" + s.ID + "_" + idPart(code)
}

// spcBlocks are the c-charts of the section's forces (not England and
// Wales), one per force with monthly data; none without.
func spcBlocks(s Section) []chartBlock {
	var out []chartBlock
	k := 0
	for _, ms := range s.Monthly {
		if ms.AreaCode == datasets.CodeEnglandWales || len(ms.Periods) == 0 {
			continue
		}
		out = append(out, spcBlock(s, ms, spcChartID(s, k, ms.AreaCode)))
		k++
	}
	return out
}

func spcBlock(s Section, ms MonthlySeries, id string) chartBlock {
	d := newSPC(ms, s.Events)
	name := displayName(ms.AreaCode, ms.AreaName)
	ends := make([]datasets.Month, len(d.Periods))
	for i, p := range d.Periods {
		ends[i] = p.End
	}
	marks := chartEvents(s.Events, []string{ms.AreaCode}, d.Periods[0].Start, ends, d.category)
	plural := phraseFor(s.Offence).plural

	x := make([]string, len(d.Periods))
	points := make([]spcPoint, len(d.Periods))
	centre := make([]opts.LineData, len(d.Periods))
	upper := make([]opts.LineData, len(d.Periods))
	lower := make([]opts.LineData, len(d.Periods))
	for i, p := range d.Periods {
		x[i] = d.category(i)
		points[i] = spcPoint{Value: p.Count, Symbol: "circle", SymbolSize: 6, ItemStyle: &opts.ItemStyle{Color: colourEW}}
		if len(d.inSignal(i)) > 0 {
			points[i] = spcPoint{Value: p.Count, Symbol: "diamond", SymbolSize: 14, ItemStyle: &opts.ItemStyle{Color: colourSignal, BorderColor: "#000000", BorderWidth: 1}}
		}
		l := d.Limits[i]
		centre[i] = opts.LineData{Value: round1(l.Centre)}
		upper[i] = opts.LineData{Value: round1(l.Upper)}
		lower[i] = opts.LineData{Value: round1(l.Lower)}
	}

	desc := fmt.Sprintf("Statistical process control chart (c-chart) of the %s counts of %s recorded by %s, %s to %s, with the centre line and control limits.",
		d.unit(), chartText(plural), chartText(name), d.label(0), d.label(len(d.Periods)-1))
	line := charts.NewLine()
	line.SetGlobalOptions(append(chartBase(id, "420px", desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: pick(d.Quarterly, "Quarter ending", "Month"), NameLocation: "middle", NameGap: 30}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "Recorded", Scale: opts.Bool(true)}),
	)...)
	line.SetXAxis(x)
	line.AddSeries(chartText(name), nil,
		charts.WithSeriesOpts(func(ss *charts.SingleSeries) { ss.Data = points }),
		charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", ShowSymbol: opts.Bool(true)}),
		charts.WithLineStyleOpts(opts.LineStyle{Type: "solid", Width: 2, Color: colourEW}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colourEW}),
		withEventLines(marks),
	)
	limit := func(name string, data []opts.LineData, style string) {
		line.AddSeries(name, data,
			charts.WithLineChartOpts(opts.LineChart{Symbol: "none", ShowSymbol: opts.Bool(false), Step: "middle"}),
			charts.WithLineStyleOpts(opts.LineStyle{Type: style, Width: 1.5, Color: colourOther}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colourOther}),
		)
	}
	limit("Centre line (mean)", centre, "solid")
	limit("Upper control limit", upper, "dashed")
	limit("Lower control limit", lower, "dotted")

	note := fmt.Sprintf("%s counts of %s recorded by %s, %s to %s, as a c-chart: the centre line is the mean count and the control limits are the mean plus or minus three times its square root (the lower limit no less than zero); counts outside the limits, or long runs or trends, are unlikely to be chance.",
		upperFirst(d.unit()), plural, name, d.label(0), d.label(len(d.Periods)-1))
	if len(d.Breaks) > 0 {
		var at []string
		for _, b := range d.Breaks {
			at = append(at, d.label(b))
		}
		note += " The limits restart at recording-rule breaks, from " + joinAnd(at) + "."
	}
	if len(d.Signals) == 0 {
		note += " No signals: every count lies within what chance alone would give."
	} else {
		note += " Points in a signal are drawn as large diamonds. Signals: " + strings.Join(d.Described, "; ") + "."
	}
	if d.Gaps > 0 {
		note += fmt.Sprintf(" %d %s missing and left out, not counted as zero.", d.Gaps, pick(d.Gaps == 1, "period is", "periods are"))
	}
	note += eventsSentence(marks)

	t := blockTable{
		Caption: fmt.Sprintf("%s counts of %s recorded by %s with c-chart limits", upperFirst(d.unit()), plural, name),
		Header:  []string{"Period", "Recorded", "Centre line", "Lower limit", "Upper limit", "Signal"},
	}
	for i, p := range d.Periods {
		l := d.Limits[i]
		sig := d.inSignal(i)
		row := []blockCell{{Text: d.label(i)}, {Text: formatCount(p.Count), Num: true},
			{Text: format1(l.Centre), Num: true}, {Text: format1(l.Lower), Num: true}, {Text: format1(l.Upper), Num: true},
			{Text: strings.Join(sig, "; ")}}
		if len(sig) > 0 {
			for k := range row {
				row[k].Strong = true
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return newChartBlock(id, fmt.Sprintf("Is the change real? %s control chart", upperFirst(d.unit())), line, note, t)
}
