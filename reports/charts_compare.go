package reports

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

// suffixID is base for the first of a kind on a section and base_<code>
// for the others, so that IDs stay unique and stable.
func suffixID(base string, k int, code string) string {
	if k == 0 {
		return base
	}
	return base + "_" + idPart(code)
}

// intervalRow is one area of the change-with-interval chart.
type intervalRow struct {
	Comparator  datasets.Comparator
	Force       bool
	HasInterval bool
	Lo, Hi      float64 // the 95% interval of the % change
}

func intervalRows(c datasets.Comparison) []intervalRow {
	all := append([]datasets.Comparator{c.Force}, c.Comparators...)
	out := make([]intervalRow, len(all))
	for i, cm := range all {
		r := intervalRow{Comparator: cm, Force: i == 0}
		if cm.HasPct && cm.HasPrevious {
			if lo, hi, ok := stats.PoissonRatioCI(cm.Previous, cm.Count, stats.Level95); ok {
				r.HasInterval, r.Lo, r.Hi = true, 100*(lo-1), 100*(hi-1)
			}
		}
		out[i] = r
	}
	return out
}

// differsSentence says whether the force's change differs from that of
// England and Wales excluding the force (stats.CompareRatios): "differs"
// only when the 95% interval of the ratio of the two changes excludes 1.
func differsSentence(c datasets.Comparison) string {
	var ew *datasets.Comparator
	for i := range c.Comparators {
		if c.Comparators[i].Kind == datasets.ComparatorEnglandWales {
			ew = &c.Comparators[i]
			break
		}
	}
	f := c.Force
	if ew == nil {
		return fmt.Sprintf("There is no England and Wales figure without %s, so whether its change differs from the rest of England and Wales cannot be tested.", f.Label)
	}
	if !f.HasPrevious || !ew.HasPrevious {
		return fmt.Sprintf("Whether the change in %s differs from that in %s cannot be tested: a figure a year earlier is missing.", f.Label, ew.Label)
	}
	rr, lo, hi, ok := stats.CompareRatios(f.Previous, f.Count, ew.Previous, ew.Count)
	if !ok {
		return fmt.Sprintf("Whether the change in %s differs from that in %s cannot be tested: a count is zero.", f.Label, ew.Label)
	}
	ci := fmt.Sprintf("(ratio of the two changes %s, 95%% interval %s to %s)", format2(rr), format2(lo), format2(hi))
	switch {
	case lo > 1:
		return fmt.Sprintf("The change in %s differs from that in %s: it rose more, or fell less %s.", f.Label, ew.Label, ci)
	case hi < 1:
		return fmt.Sprintf("The change in %s differs from that in %s: it rose less, or fell more %s.", f.Label, ew.Label, ci)
	}
	return fmt.Sprintf("The change in %s is not clearly different from that in %s %s, as the interval includes 1.", f.Label, ew.Label, ci)
}

func format2(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// scatterPoint is one point of the interval chart.
type scatterPoint struct {
	Value      []interface{}   `json:"value"`
	Name       string          `json:"name,omitempty"`
	Symbol     string          `json:"symbol,omitempty"`
	SymbolSize int             `json:"symbolSize,omitempty"`
	ItemStyle  *opts.ItemStyle `json:"itemStyle,omitempty"`
	Label      *itemLabel      `json:"label,omitempty"`
}

// itemLabel is a data item's label; Formatter holds literal text made
// here (numbers and fixed words), never input text.
type itemLabel struct {
	Show            bool    `json:"show"`
	Formatter       string  `json:"formatter,omitempty"`
	Position        string  `json:"position,omitempty"`
	FontSize        float64 `json:"fontSize,omitempty"`
	FontWeight      string  `json:"fontWeight,omitempty"`
	LineHeight      float64 `json:"lineHeight,omitempty"`
	Color           string  `json:"color,omitempty"`
	TextBorderColor string  `json:"textBorderColor,omitempty"`
	TextBorderWidth float64 `json:"textBorderWidth,omitempty"`
}

// whiskerEnd is one end of an interval line; the first end carries the
// line's style.
type whiskerEnd struct {
	Coord     []interface{}   `json:"coord"`
	LineStyle *opts.LineStyle `json:"lineStyle,omitempty"`
	Label     *markLineLabel  `json:"label,omitempty"`
}

// whiskerItem is the vertical "No change" line of the interval chart.
type whiskerItem struct {
	Name      string          `json:"name,omitempty"`
	XAxis     *float64        `json:"xAxis,omitempty"`
	LineStyle *opts.LineStyle `json:"lineStyle,omitempty"`
	Label     *markLineLabel  `json:"label,omitempty"`
}

func changeBlocks(s Section) []chartBlock {
	var out []chartBlock
	for k, c := range s.Comparisons {
		out = append(out, changeBlock(s, c, suffixID("change_"+s.ID, k, c.Force.AreaCode)))
	}
	return out
}

func changeBlock(s Section, c datasets.Comparison, id string) chartBlock {
	rows := intervalRows(c)
	names := make([]string, len(rows))
	var points []scatterPoint
	var whiskers []interface{}
	zero := 0.0
	whiskers = append(whiskers, whiskerItem{Name: "No change", XAxis: &zero,
		LineStyle: &opts.LineStyle{Type: "dashed", Width: 1, Color: "#555555"},
		Label:     &markLineLabel{Show: false}})
	for i, r := range rows {
		names[i] = chartText(r.Comparator.Label)
		if !r.HasInterval {
			continue
		}
		pct := round1(r.Comparator.PctChange)
		p := scatterPoint{Value: []interface{}{pct, names[i]}, Symbol: "circle", SymbolSize: 11,
			ItemStyle: &opts.ItemStyle{Color: colourEW},
			Label:     &itemLabel{Show: true, Formatter: signedPct(r.Comparator.PctChange), Position: "top", FontSize: 11}}
		if r.Force {
			p.Symbol, p.SymbolSize = "diamond", 16
			p.ItemStyle = &opts.ItemStyle{Color: colourChosen, BorderColor: "#000000", BorderWidth: 1}
			p.Label.Formatter, p.Label.FontWeight = "chosen: "+signedPct(r.Comparator.PctChange), "bold"
		}
		points = append(points, p)
		colour := colourEW
		if r.Force {
			colour = colourChosen
		}
		whiskers = append(whiskers, [2]whiskerEnd{
			{Coord: []interface{}{round1(r.Lo), names[i]}, LineStyle: &opts.LineStyle{Type: "solid", Width: 3, Color: colour}, Label: &markLineLabel{Show: false}},
			{Coord: []interface{}{round1(r.Hi), names[i]}},
		})
	}

	// The axis holds zero and every interval: echarts leaves mark lines
	// out of its extent and drops any that run past it.
	axisMin, axisMax := 0.0, 0.0
	for _, r := range rows {
		if r.HasInterval {
			axisMin, axisMax = math.Min(axisMin, r.Lo), math.Max(axisMax, r.Hi)
		}
	}
	axisMin, axisMax = math.Floor(axisMin/5)*5, math.Ceil(axisMax/5)*5
	if axisMin == axisMax {
		axisMax = 5
	}
	desc := fmt.Sprintf("Dot chart of the percentage change in %s, %s, for %s and its comparators, each with a line across its 95%% interval.",
		chartText(phraseFor(c.Offence).plural), chartText(comparisonWindow(c)), chartText(c.Force.Label))
	sc := charts.NewScatter()
	sc.SetGlobalOptions(append(chartBase(id, fmt.Sprintf("%dpx", 60*len(rows)+110), desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "260", Right: "90"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "% change", Min: axisMin, Max: axisMax}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), Data: names}),
	)...)
	sc.AddSeries("% change with 95% interval", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
		ss.Data = points
		ss.MarkLines = &opts.MarkLines{Data: whiskers, MarkLineStyle: opts.MarkLineStyle{Symbol: []string{"none", "none"}, Label: &opts.Label{Show: opts.Bool(false)}}}
	}))

	note := fmt.Sprintf("Percentage change in recorded %s, %s, against the same months a year earlier: %s (red diamond) and its comparators (blue dots), each built without %s. The line through each point is its 95%% interval, treating the counts as Poisson; where it crosses the dashed zero line the change could be chance. ",
		phraseFor(c.Offence).plural, comparisonWindow(c), c.Force.Label, c.Force.Label)
	note += differsSentence(c)
	if missing := noIntervalNames(rows); len(missing) > 0 {
		note += fmt.Sprintf(" No percentage is shown for %s (no figure a year earlier, or a base under %d).", joinAnd(missing), datasets.MinBase)
	}
	note += vintageSentence(rows)

	t := blockTable{
		Caption: fmt.Sprintf("Change in recorded %s with 95%% intervals, %s", phraseFor(c.Offence).plural, comparisonWindow(c)),
		Header:  []string{"Area", "Recorded", "A year earlier", "% change", "95% interval low", "95% interval high", "Rate per 1,000", "Population vintage", "Note"},
	}
	for _, r := range rows {
		cm := r.Comparator
		prev, pct, lo, hi, rate := "", "", "", "", ""
		if cm.HasPrevious {
			prev = formatCount(cm.Previous)
		}
		if cm.HasPct {
			pct = signedPct(cm.PctChange)
		}
		if r.HasInterval {
			lo, hi = signedPct(r.Lo), signedPct(r.Hi)
		}
		vintage := ""
		if cm.HasRate {
			rate, vintage = format1(cm.Rate), cm.PopulationVintage
		}
		row := []blockCell{{Text: cm.Label}, {Text: formatCount(cm.Count), Num: true}, {Text: prev, Num: true}, {Text: pct, Num: true},
			{Text: lo, Num: true}, {Text: hi, Num: true}, {Text: rate, Num: true}, {Text: vintage}, {Text: comparatorNote(cm)}}
		if r.Force {
			for k := range row {
				row[k].Strong = true
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return newChartBlock(id, "Is the change real? Change with its 95% interval", sc, note, t)
}

func comparisonWindow(c datasets.Comparison) string {
	if c.Window != "" {
		return lowerFirst(c.Window.Title(c.PeriodEnd))
	}
	return lowerFirst(comparisonWindowTitle(c))
}

func comparatorNote(cm datasets.Comparator) string {
	var parts []string
	if cm.Note != "" {
		parts = append(parts, strings.TrimRight(cm.Note, "."))
	}
	if len(cm.LeftOut) > 0 {
		parts = append(parts, "left out for an incomplete year: "+joinAnd(cm.LeftOut))
	}
	return strings.Join(parts, "; ")
}

func noIntervalNames(rows []intervalRow) []string {
	var out []string
	for _, r := range rows {
		if !r.Comparator.HasPct {
			out = append(out, r.Comparator.Label)
		}
	}
	return out
}

// vintageSentence names the population estimates behind the rates.
func vintageSentence(rows []intervalRow) string {
	vs := map[string]bool{}
	for _, r := range rows {
		if r.Comparator.HasRate && r.Comparator.PopulationVintage != "" {
			vs[r.Comparator.PopulationVintage] = true
		}
	}
	if len(vs) == 0 {
		return ""
	}
	return " Rates per 1,000 people use the " + joinAnd(sortedKeys(vs)) + " population estimates."
}

// rateBar is one bar with its own style and label.
type rateBar struct {
	Value     interface{}     `json:"value"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Label     *itemLabel      `json:"label,omitempty"`
}

func rateBlocks(s Section) []chartBlock {
	var out []chartBlock
	k := 0
	for _, c := range s.Comparisons {
		if b, ok := rateBlock(s, c, suffixID("rate_"+s.ID, k, c.Force.AreaCode)); ok {
			out = append(out, b)
			k++
		}
	}
	return out
}

// rateBlock is a bar chart of the rate per 1,000 of the force and its
// comparators; ok is false when none has a rate.
func rateBlock(s Section, c datasets.Comparison, id string) (chartBlock, bool) {
	rows := intervalRows(c)
	var names []string
	var bars []rateBar
	for _, r := range rows {
		cm := r.Comparator
		if !cm.HasRate {
			continue
		}
		name := chartText(cm.Label)
		b := rateBar{Value: round1(cm.Rate), ItemStyle: &opts.ItemStyle{Color: colourEW},
			Label: &itemLabel{Show: true, Formatter: format1(cm.Rate), Position: "right"}}
		if r.Force {
			name = "★ " + name
			b.ItemStyle = &opts.ItemStyle{Color: colourChosen, BorderColor: "#000000", BorderWidth: 2}
			b.Label.Formatter, b.Label.FontWeight = "chosen: "+format1(cm.Rate), "bold"
		}
		names = append(names, name)
		bars = append(bars, b)
	}
	if len(bars) == 0 {
		return chartBlock{}, false
	}
	plural := phraseFor(c.Offence).plural
	desc := fmt.Sprintf("Bar chart of recorded %s per 1,000 people, %s, for %s and its comparators.", chartText(plural), chartText(comparisonWindow(c)), chartText(c.Force.Label))
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(chartBase(id, fmt.Sprintf("%dpx", 50*len(bars)+110), desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "260", Right: "120"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "per 1,000"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
	)...)
	bar.SetXAxis(names)
	bar.AddSeries("Rate per 1,000", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) { ss.Data = bars }))
	bar.XYReversal()

	note := fmt.Sprintf("Recorded %s per 1,000 people, %s: %s (red bar, ★) beside its comparators, each built without it. A rate allows for the size of the population; it covers the window shown and is not annualised.",
		plural, comparisonWindow(c), c.Force.Label)
	note += vintageSentence(rows)
	var none []string
	for _, r := range rows {
		if !r.Comparator.HasRate {
			none = append(none, r.Comparator.Label)
		}
	}
	if len(none) > 0 {
		note += " No rate for " + joinAnd(none) + " (no population estimate)."
	}
	t := blockTable{
		Caption: fmt.Sprintf("Recorded %s per 1,000 people, %s", plural, comparisonWindow(c)),
		Header:  []string{"Area", "Recorded", "Population", "Rate per 1,000", "Population vintage"},
	}
	for _, r := range rows {
		cm := r.Comparator
		pop, rate, vintage := "", "", ""
		if cm.HasRate {
			pop, rate, vintage = formatCount(cm.Population), format1(cm.Rate), cm.PopulationVintage
		}
		row := []blockCell{{Text: cm.Label}, {Text: formatCount(cm.Count), Num: true}, {Text: pop, Num: true}, {Text: rate, Num: true}, {Text: vintage}}
		if r.Force {
			for k := range row {
				row[k].Strong = true
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return newChartBlock(id, "Rates per 1,000 people", bar, note, t), true
}

// forceRatesBlock is a bar chart of every force's rate per 1,000 (the
// ranking's rates), highest first; ok is false when no force has a rate.
func forceRatesBlock(s Section) (chartBlock, bool) {
	var rs []RankRow
	for _, r := range s.Ranking {
		if r.HasRate {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return chartBlock{}, false
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Rate != rs[j].Rate {
			return rs[i].Rate > rs[j].Rate
		}
		if rs[i].AreaName != rs[j].AreaName {
			return rs[i].AreaName < rs[j].AreaName
		}
		return rs[i].AreaCode < rs[j].AreaCode
	})
	id := "rates_" + s.ID
	names := make([]string, len(rs))
	bars := make([]rateBar, len(rs))
	vintages := map[string]bool{}
	chosen := false
	for i, r := range rs {
		names[i] = chartText(r.AreaName)
		bars[i] = rateBar{Value: round1(r.Rate), ItemStyle: &opts.ItemStyle{Color: colourOther}}
		if r.Chosen {
			chosen = true
			names[i] = "★ " + names[i]
			bars[i].ItemStyle = &opts.ItemStyle{Color: colourChosen, BorderColor: "#000000", BorderWidth: 2}
			bars[i].Label = &itemLabel{Show: true, Formatter: "chosen: " + format1(r.Rate), Position: "right", FontWeight: "bold"}
		}
		if r.PopulationVintage != "" {
			vintages[r.PopulationVintage] = true
		}
	}
	plural := phraseFor(s.Offence).plural
	desc := fmt.Sprintf("Bar chart of recorded %s per 1,000 people by force, %s, highest rate first.", chartText(plural), lowerFirst(sectionWindowTitle(s)))
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(chartBase(id, fmt.Sprintf("%dpx", max(200, 22*len(rs)+90)), desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "200", Right: "120"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "per 1,000"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
	)...)
	bar.SetXAxis(names)
	bar.AddSeries("Rate per 1,000", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) { ss.Data = bars }))
	bar.XYReversal()

	note := fmt.Sprintf("Recorded %s per 1,000 people by force, %s, highest rate first.", plural, lowerFirst(sectionWindowTitle(s)))
	if chosen {
		note += " Chosen forces are marked ★ in the axis label, labelled “chosen” on the bar and drawn in red."
	}
	if len(vintages) > 0 {
		note += " Rates use the " + joinAnd(sortedKeys(vintages)) + " population estimates."
	}
	if n := len(s.Ranking) - len(rs); n > 0 {
		note += fmt.Sprintf(" %d %s no rate (no population estimate) and %s left out.", n, pick(n == 1, "force has", "forces have"), pick(n == 1, "is", "are"))
	}
	t := blockTable{
		Caption: fmt.Sprintf("Recorded %s per 1,000 people by force, %s", plural, lowerFirst(sectionWindowTitle(s))),
		Header:  []string{"Rank by rate", "Force", "Chosen", "Recorded", "Rate per 1,000", "Population vintage"},
	}
	for i, r := range rs {
		rank := i + 1
		if i > 0 && round1(rs[i-1].Rate) == round1(r.Rate) {
			rank, _ = strconv.Atoi(t.Rows[i-1][0].Text)
		}
		ch := ""
		if r.Chosen {
			ch = "★ chosen"
		}
		row := []blockCell{{Text: strconv.Itoa(rank), Num: true}, {Text: r.AreaName}, {Text: ch}, {Text: formatCount(r.Count), Num: true},
			{Text: format1(r.Rate), Num: true}, {Text: r.PopulationVintage}}
		if r.Chosen {
			for k := range row {
				row[k].Strong = true
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return newChartBlock(id, "Rates per 1,000 people by force", bar, note, t), true
}

// indexBlock draws the section's series (forces and England and Wales)
// indexed to 100 at the first period where all are present, on one axis;
// ok is false without a force series, an England and Wales series or a
// common period with counts above zero.
func indexBlock(s Section) (chartBlock, bool) {
	if len(s.Series) < 2 || !hasForces(s) {
		return chartBlock{}, false
	}
	national := false
	for _, sr := range s.Series {
		national = national || sr.National
	}
	if !national {
		return chartBlock{}, false
	}
	lines := append(append([]Series(nil), s.Series...), s.Peers...)
	base := -1
	for i := range s.Periods {
		all := true
		for _, sr := range lines {
			if i >= len(sr.Points) || !sr.Points[i].Present || sr.Points[i].Count <= 0 {
				all = false
				break
			}
		}
		if all {
			base = i
			break
		}
	}
	if base < 0 {
		return chartBlock{}, false
	}
	id := "index_" + s.ID
	x := make([]string, len(s.Periods))
	for i, m := range s.Periods {
		x[i] = m.String()
	}
	index := func(sr Series, i int) (float64, bool) {
		if i >= len(sr.Points) || !sr.Points[i].Present {
			return 0, false
		}
		return 100 * float64(sr.Points[i].Count) / float64(sr.Points[base].Count), true
	}
	var areas []string
	for _, sr := range s.Series {
		areas = append(areas, sr.AreaCode)
	}
	marks := chartEvents(s.Events, areas, s.Periods[0].Add(1-max(s.Months, 1)), s.Periods, func(i int) string { return x[i] })

	desc := fmt.Sprintf("Line chart of %s of %s indexed to 100 at %s, %s to %s.",
		strings.ToLower(totalsName(s)), chartText(phraseFor(s.Offence).plural), periodPhrase(s, s.Periods[base]), periodString(s.Periods, 0), periodString(s.Periods, -1))
	line := charts.NewLine()
	line.SetGlobalOptions(append(chartBase(id, "420px", desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Name: periodAxis(s), NameLocation: "middle", NameGap: 30}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: fmt.Sprintf("Index (%s = 100)", s.Periods[base].String()), Scale: opts.Bool(true)}),
	)...)
	line.SetXAxis(x)
	fi := 0
	for k, sr := range lines {
		data := make([]opts.LineData, len(s.Periods))
		for i := range s.Periods {
			if v, ok := index(sr, i); ok {
				data[i] = opts.LineData{Value: round1(v)}
			} else {
				data[i] = opts.LineData{Value: "-"}
			}
		}
		var ev []charts.SeriesOpts
		if k == 0 {
			ev = append(ev, withEventLines(marks))
		}
		if sr.Peer {
			line.AddSeries(chartText(sr.AreaName), data, append(ev,
				charts.WithLineChartOpts(opts.LineChart{Symbol: "diamond", SymbolSize: 9, ShowSymbol: opts.Bool(true)}),
				charts.WithLineStyleOpts(opts.LineStyle{Type: "dotted", Width: 2, Color: colourPeers}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: colourPeers}))...)
			continue
		}
		if sr.National {
			line.AddSeries(chartText(sr.AreaName), data, append(ev,
				charts.WithLineChartOpts(opts.LineChart{Symbol: "triangle", SymbolSize: 9, ShowSymbol: opts.Bool(true)}),
				charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Width: 2, Color: colourEW}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: colourEW}))...)
			continue
		}
		colour := forceLineColours[fi%len(forceLineColours)]
		fi++
		line.AddSeries(chartText(sr.AreaName), data, append(ev,
			charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 7, ShowSymbol: opts.Bool(true)}),
			charts.WithLineStyleOpts(opts.LineStyle{Type: "solid", Width: 3, Color: colour}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}))...)
	}

	note := fmt.Sprintf("%s indexed to 100 at %s, the first period with every line present: 110 means 10%% more than then. All lines share one axis, so their shapes compare directly; forces are solid lines with round markers, England and Wales a dashed line with triangles%s. A gap is a missing period, not zero.",
		totalsName(s), periodPhrase(s, s.Periods[base]), peersPhrase(s))
	note += eventsSentence(marks)
	t := blockTable{
		Caption: fmt.Sprintf("%s of %s and their index (%s = 100)", totalsName(s), phraseFor(s.Offence).plural, s.Periods[base].Label()),
		Header:  []string{periodAxis(s)},
	}
	for _, sr := range lines {
		t.Header = append(t.Header, sr.AreaName+" recorded", sr.AreaName+" index")
	}
	for i, m := range s.Periods {
		row := []blockCell{{Text: m.Label()}}
		for _, sr := range lines {
			if v, ok := index(sr, i); ok {
				row = append(row, blockCell{Text: formatCount(sr.Points[i].Count), Num: true}, blockCell{Text: format1(v), Num: true})
			} else {
				row = append(row, blockCell{Num: true}, blockCell{Num: true})
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return newChartBlock(id, "Index: shapes compared on one axis", line, note, t), true
}

// colourPeers draws peer-group lines (dotted, diamond markers).
const colourPeers = "#6a3d9a"

// peersPhrase describes the peer-group lines of an index chart, if any.
func peersPhrase(s Section) string {
	if len(s.Peers) == 0 {
		return ""
	}
	return ", and peer groups (each without the force; summed totals of the forces with a figure at every period) dotted lines with diamonds"
}
