package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// rankingColumns are the columns of an offence's ranking sheet: every
// area's quoted figure, ranked by change and by rate.
var rankingColumns = []column{
	{"Chosen", 7, kindText},
	{"Area", 24, kindWrap},
	{"Area code", 12, kindText},
	{"Kind", 8, kindText},
	{"Count", 10, kindCount},
	{"Previous year", 10, kindCount},
	{"Change", 10, kindChange},
	{"% change", 8, kindPct},
	{"95% interval low", 8, kindPct},
	{"95% interval high", 8, kindPct},
	{"Verdict", 16, kindText},
	{"Rate per 1,000", 8, kindRate},
	{"Population vintage", 11, kindText},
	{"Rank by change", 7, kindRank},
	{"Rank by rate", 7, kindRank},
	{"Source", 19, kindText},
	{"Note", 26, kindWrap},
}

// Columns of rankingColumns the chart reads (1-based).
const (
	rankingAreaCol = 2
	rankingPctCol  = 8
)

// rankingHeaderRow is the header row of a ranking sheet: a title and two
// lines of text come first.
const rankingHeaderRow = 4

// Printed page: A4 landscape inside the margins setupPrint sets, in
// character units of width and points of height.
const (
	pageWidthUnits = 140.0
	pageHeightPt   = 500.0
)

// chart is a ranking chart whose bars for the chosen forces are drawn in
// another colour: excelize draws one colour per bar series, so bookZip adds
// the points' colours to the chart part that plots values.
type chart struct {
	values string // the series' values reference, which finds its part
	points []int  // 0-based indexes of the highlighted bars
}

// areaKindLabel names an area's kind in a table.
func areaKindLabel(k datasets.AreaKind) string {
	switch k {
	case datasets.KindForce:
		return "Force"
	case datasets.KindBTP:
		return "BTP"
	case datasets.KindRegion:
		return "Region"
	case datasets.KindCountry:
		return "Country"
	case datasets.KindNation:
		return "Nation"
	}
	return ""
}

// sourceCell names a figure's source in a table cell: "ONS YE Sep 2018",
// "ONS YE Sep 2018 corrected", "Home Office".
func sourceCell(f pipeline.Figure) string {
	if f.Release == "" {
		return shortSource(f)
	}
	rest, ok := strings.CutPrefix(f.Release, datasets.SourceONSPFA+"-")
	if !ok || len(rest) < 7 {
		return f.Release
	}
	m, err := datasets.ParseMonth(rest[:7])
	if err != nil {
		return f.Release
	}
	s := fmt.Sprintf("ONS YE %s %d", m.Label()[:3], m.Year())
	if suffix := strings.TrimPrefix(rest[7:], "-"); suffix != "" {
		s += " " + suffix
	}
	return s
}

// footerSource names a topic's quoted source in a printed footer:
// "Source: ONS PFA tables, year ending September 2018".
func footerSource(t pipeline.Topic) string {
	f := t.National
	if !f.Present && len(t.Areas) > 0 {
		f = t.Areas[0]
	}
	switch {
	case !f.Present:
		return ""
	case f.Release != "":
		return "Source: " + releaseTitleOf(f.Release)
	}
	return "Source: " + pipeline.SourceName(f.Source)
}

// figureNote is what a table says about one figure: why it has no
// percentage, whom a total leaves out, and ONS's footnotes to it.
func figureNote(f pipeline.Figure) string {
	var parts []string
	if f.HasPrevious && !f.HasPct && f.PctNote != "" {
		parts = append(parts, upperFirst(f.PctNote)+": no percentage")
	}
	if f.Note != "" {
		parts = append(parts, upperFirst(f.Note))
	}
	s := strings.Join(parts, ". ")
	if len(f.Footnotes) > 0 {
		s = strings.TrimSpace(strings.TrimSuffix(s, ".") + ". ONS's footnotes: " + strings.Join(f.Footnotes, " "))
		s = strings.TrimPrefix(s, ". ")
	}
	return s
}

// rankOrNil is a rank as a cell: blank when not ranked.
func rankOrNil(r int) any {
	if r == 0 {
		return nil
	}
	return r
}

// bookFigureCells are the cells of rankingColumns for one figure.
func bookFigureCells(st bookStyles, f pipeline.Figure, chosen bool) []any {
	c := func(k cellKind, v any) any { return st.cell(k, chosen, v) }
	var prev, change, pct, lo, hi, rate, vintage, verdict any
	if f.HasPrevious {
		prev, change = f.Previous, f.Change
	}
	if f.HasPct {
		pct = round1(f.PctChange)
	}
	if f.HasInterval {
		lo, hi = round1(f.Lo), round1(f.Hi)
	}
	if f.Verdict != "" {
		verdict = f.Verdict
	}
	if f.HasRate {
		rate, vintage = round2(f.Rate), textOrNil(f.PopulationVintage)
	}
	rank := f.Rank
	if f.AreaKind == datasets.KindRegion {
		rank = f.RegionRank
	}
	marker := any(nil)
	if chosen {
		marker = "yes"
	}
	return []any{
		c(kindText, marker), c(kindWrap, f.AreaName), c(kindText, f.AreaCode), c(kindText, areaKindLabel(f.AreaKind)),
		c(kindCount, f.Count), c(kindCount, prev), c(kindChange, change), c(kindPct, pct), c(kindPct, lo), c(kindPct, hi),
		c(kindText, verdict), c(kindRate, rate), c(kindText, vintage), c(kindRank, rankOrNil(rank)), c(kindRank, rankOrNil(f.RateRank)),
		c(kindText, sourceCell(f)), c(kindWrap, textOrNil(figureNote(f))),
	}
}

// commonFootnotes are the footnotes every figure of figs carries.
func commonFootnotes(figs []pipeline.Figure) []string {
	if len(figs) == 0 {
		return nil
	}
	var out []string
	for _, n := range figs[0].Footnotes {
		all := true
		for _, f := range figs[1:] {
			if !slices.Contains(f.Footnotes, n) {
				all = false
				break
			}
		}
		if all {
			out = append(out, n)
		}
	}
	return out
}

// withoutNotes is notes less those in drop.
func withoutNotes(notes, drop []string) []string {
	var out []string
	for _, n := range notes {
		if !slices.Contains(drop, n) {
			out = append(out, n)
		}
	}
	return out
}

func textOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// rankingTitle is a ranking sheet's title: "Stalking and harassment: every
// force and region ranked, 12 months to September 2018".
func rankingTitle(rep *pipeline.Report, t pipeline.Topic) string {
	return sayTopicTitle(t) + ": every force and region ranked, " + lowerFirst(sayWindowTitle(rep))
}

// rankingMethod says what the sheet ranks and how, with the numbers of
// this topic.
func rankingMethod(t pipeline.Topic, names []string) string {
	var ranked, rateRanked, regions int
	for _, f := range t.Areas {
		ranked = max(ranked, f.Ranked)
		rateRanked = max(rateRanked, f.RateRanked)
		regions = max(regions, f.RegionsRanked)
	}
	if len(t.Areas) == 0 {
		return ""
	}
	s := "The figures quoted for each area (see Notes for the rule)."
	if ranked >= 2 {
		s += fmt.Sprintf(" Forces are ranked by %% change among the %s with one (1 is the largest rise)", sayNumber(ranked))
		if rateRanked >= 2 {
			s += fmt.Sprintf(" and by rate among the %s with a rate", sayNumber(rateRanked))
		}
		if regions >= 2 {
			s += fmt.Sprintf("; regions by %% change among the %s regions", sayNumber(regions))
		}
		s += "; British Transport Police is listed but not ranked."
	}
	if len(names) > 0 {
		s += fmt.Sprintf(" %s %s marked \"yes\" in the Chosen column and shaded.", joinAnd(names), isAre(len(names)))
	}
	switch {
	case ranked >= minChartBars:
		s += " The chart below the table draws every ranked force's % change."
	case ranked == 0:
		s += " No force has a percentage change, so there is no chart."
	default:
		s += fmt.Sprintf(" Only %s %s a percentage change: too few to chart.", sayNumber(ranked), pluralVerb(ranked, "force has", "forces have"))
	}
	return s
}

// minChartBars is the fewest forces a ranking chart draws: fewer say more
// as a sentence.
const minChartBars = 3

func pluralVerb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// writeRankingSheet writes one offence's ranking: a title, the national
// headline, the method, a table of every area's quoted figure with the
// chosen forces marked and shaded, and a bar chart of the forces' changes
// with the chosen ones in another colour. It returns the chart to colour.
func writeRankingSheet(f *excelize.File, sheet, table string, rep *pipeline.Report, t pipeline.Topic, st bookStyles, synthetic bool) (*chart, error) {
	chosen := map[string]bool{}
	for _, fc := range rep.Forces {
		chosen[fc.Code] = true
	}
	width := totalWidth(rankingColumns)
	var src string
	switch {
	case t.National.Present:
		src = sourceLine(rep, t.National)
	case len(t.Areas) > 0:
		src = sourceLine(rep, t.Areas[0])
	}
	widths := make([]float64, len(rankingColumns))
	for i, c := range rankingColumns {
		widths[i] = c.width
	}
	g := newGrid(f, sheet, st, gridLayout{widths: widths, panes: frozenAt(3, rankingHeaderRow+1),
		print: printSetup{titleRow: rankingHeaderRow, footer: sayTopicTitle(t) + ", " + lowerFirst(sayWindowTitle(rep)) + ". " + footerSource(t), synthetic: synthetic}})
	g.line(0, excelize.Cell{StyleID: st.title, Value: rankingTitle(rep, t)})
	var lead []string
	if t.National.Present {
		lead = append(lead, sayHeadline(t, t.National, rep))
	}
	if s := sayRises(t, rep); s != "" {
		lead = append(lead, s)
	}
	if len(t.Areas) == 0 {
		lead = append(lead, t.Empty)
	}
	if src != "" {
		lead = append(lead, "Source: "+src)
	}
	g.text(st.subtitle, strings.Join(lead, " "), len(rankingColumns), width)
	var names []string
	for _, a := range t.Answers {
		if a.Figure.Present {
			names = append(names, a.Force.Name)
		}
	}
	// ONS's footnotes every row carries are said once, on the Notes sheet;
	// a row keeps only its own.
	common := commonFootnotes(t.Areas)
	m := rankingMethod(t, names)
	if len(common) > 0 {
		m = strings.TrimSpace(m + " ONS's footnotes to every figure here are on the Notes sheet.")
	}
	if m != "" {
		g.text(st.subtitle, m, len(rankingColumns), width)
	} else {
		g.line(0)
	}
	if len(t.Areas) == 0 {
		return nil, g.close()
	}
	head := make([]any, len(rankingColumns))
	for i, h := range tableHeader(headers(rankingColumns)) {
		head[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	g.line(headerHeight(rankingColumns), head...)
	ranked := 0
	var points []int
	firstRegion := 0
	for _, a := range t.Areas {
		if a.AreaKind != datasets.KindForce && a.AreaKind != datasets.KindBTP && firstRegion == 0 {
			firstRegion = g.row + 1
		}
		own := a
		own.Footnotes = withoutNotes(a.Footnotes, common)
		g.line(0, bookFigureCells(st, own, chosen[a.AreaCode])...)
		if a.AreaKind == datasets.KindForce && a.Rank > 0 && a.HasPct {
			if chosen[a.AreaCode] {
				points = append(points, ranked)
			}
			ranked++
		}
	}
	last := g.row
	g.table(table, rankingHeaderRow, last, len(rankingColumns))
	// Printed, the forces keep to one page where they fit: the regions and
	// totals start the next page when the whole table does not fit one.
	scale := math.Min(1, pageWidthUnits/width)
	rowsPt := func(n int) float64 { return float64(n) * 15 * scale }
	headPt := (headerHeight(rankingColumns) + 60) * scale
	onPage := headPt + rowsPt(last-rankingHeaderRow)
	if firstRegion > 0 && onPage > pageHeightPt && g.err == nil {
		g.err = f.InsertPageBreak(sheet, cellName(1, firstRegion))
		onPage = headerHeight(rankingColumns)*scale + rowsPt(last-firstRegion+1)
	}
	if ranked < minChartBars {
		return nil, g.close()
	}
	// The chart goes below the table, on a page of its own when it would
	// not fit under the table's last page.
	px := width*7 + 5*float64(len(rankingColumns))
	height := math.Min(math.Max(260, float64(14*ranked+110)), 0.6*px)
	at := last + 2
	if onPage+rowsPt(1)+height*0.75*scale > pageHeightPt && g.err == nil {
		g.err = f.InsertPageBreak(sheet, cellName(1, at))
	}
	first := rankingHeaderRow + 1
	values := absRange(sheet, rankingPctCol, first, rankingPctCol, first+ranked-1)
	title := fmt.Sprintf("%s: %% change on a year earlier by force, %s", sayTopicTitle(t), lowerFirst(sayWindowTitle(rep)))
	if len(points) > 0 {
		var hl []string
		for _, a := range t.Areas[:ranked] {
			if chosen[a.AreaCode] {
				hl = append(hl, a.AreaName)
			}
		}
		title += ". " + joinAnd(hl) + " in orange"
	}
	dark := excelize.Font{Color: colourText, Size: 9}
	noVary := false
	gap := uint(40)
	if g.err == nil {
		g.err = f.AddChart(sheet, cellName(1, at), &excelize.Chart{
			Type:       excelize.Bar,
			VaryColors: &noVary,
			GapWidth:   &gap,
			Series: []excelize.ChartSeries{{
				Name:       quoteSheet(sheet) + "!" + absCell(rankingPctCol, rankingHeaderRow),
				Categories: absRange(sheet, rankingAreaCol, first, rankingAreaCol, first+ranked-1),
				Values:     values,
				Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourBar}},
			}},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title, Font: &excelize.Font{Bold: true, Size: 11, Color: colourText}}}},
			Legend:    excelize.ChartLegend{Position: "none"},
			Dimension: excelize.ChartDimension{Width: uint(px), Height: uint(height)},
			XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: dark, TickLabelPosition: excelize.ChartTickLabelLow},
			YAxis: excelize.ChartAxis{MajorGridLines: true, Font: dark, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "+0;-0;0"},
				Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "% change on a year earlier", Font: &excelize.Font{Size: 9, Color: colourText}}}}},
		})
	}
	return &chart{values: values, points: points}, g.close()
}
