package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// The data sheets (Comparisons, Reconciliation, Figures, Completeness) are
// streamed: a title, a line or two saying how to read them, then one
// Excel table whose header row repeats on every printed page.

func widthsOf(cols []column) []float64 {
	out := make([]float64, len(cols))
	for i, c := range cols {
		out[i] = c.width
	}
	return out
}

// startDataSheet writes a data sheet's title, its lines of text and its
// header row, and returns the grid positioned for the first data row and
// the header's row. rows is the number of data rows, for the sheet's
// dimension.
//
// The title and lines span the printed columns: p.lastCol when it is set,
// else every column.
func startDataSheet(f *excelize.File, sheet string, st bookStyles, cols []column, freezeCol int, title string, lines []string, rows int, p printSetup) (*grid, int) {
	header := 2 + len(lines)
	p.titleRow = header
	g := newGrid(f, sheet, st, gridLayout{widths: widthsOf(cols), panes: frozenAt(freezeCol, header+1), stream: true,
		rows: header + max(rows, 1), cols: len(cols), print: p})
	g.line(0, excelize.Cell{StyleID: st.title, Value: title})
	printed := cols
	if p.lastCol > 0 {
		printed = cols[:p.lastCol]
	}
	for _, l := range lines {
		g.text(st.subtitle, l, len(printed), totalWidth(printed))
	}
	head := make([]any, len(cols))
	for i, h := range tableHeader(headers(cols)) {
		head[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	g.line(headerHeight(cols), head...)
	return g, header
}

var comparisonColumns = []column{
	{"Offence", 16, kindWrap},
	{"Force", 12, kindWrap},
	{"Compared with", 11, kindWrap},
	{"Area or group", 24, kindWrap},
	{"Count", 10, kindCount},
	{"Previous year", 10, kindCount},
	{"Change", 10, kindChange},
	{"% change", 8, kindPct},
	{"95% interval low", 8, kindPct},
	{"95% interval high", 8, kindPct},
	{"Verdict", 10, kindWrap},
	{"Rate per 1,000", 7, kindRate},
	{"Population vintage", 11, kindText},
	{"Rank by change", 7, kindRank},
	{"Rank by rate", 7, kindRank},
	{"Ratio of changes, force to the rest", 9, kindRatio},
	{"Ratio 95% low", 7, kindRatio},
	{"Ratio 95% high", 7, kindRatio},
	{"Force against the rest", 10, kindWrap},
	{"Source", 15, kindWrap},
	{"Note", 34, kindWrap},
}

// comparatorKindLabel names what a comparison row is.
func comparatorKindLabel(kind string) string {
	switch kind {
	case datasets.ComparatorForce:
		return "The force"
	case datasets.ComparatorEnglandWales:
		return "England and Wales"
	case datasets.ComparatorCountry:
		return "Country"
	case datasets.ComparatorRegion:
		return "Region"
	case datasets.ComparatorPeers:
		return "Peer group"
	}
	return kind
}

// hasComparisons reports whether any chosen force has a figure to compare.
func hasComparisons(rep *pipeline.Report) bool {
	for _, t := range rep.Topics {
		for _, a := range t.Answers {
			if a.Figure.Present {
				return true
			}
		}
	}
	return false
}

func writeComparisonsSheet(f *excelize.File, sheet string, rep *pipeline.Report, st bookStyles, synthetic bool) error {
	rows := 0
	for _, t := range rep.Topics {
		for _, a := range t.Answers {
			if a.Figure.Present {
				rows += 1 + len(a.Comparators)
			}
		}
	}
	title := "Each chosen force against England and Wales, its country, region and peers, each without it: " + lowerFirst(sayWindowTitle(rep))
	lines := []string{"Every group is built without the chosen force and like for like (see Notes). The test against the rest of England and Wales " +
		"compares the force's ratio of this year's count to last year's with the same ratio for England and Wales without it: \"higher\" or \"lower\" " +
		"when the 95% interval of the ratio of the two ratios lies wholly above or below 1, \"about the same\" when it includes 1."}
	g, header := startDataSheet(f, sheet, st, comparisonColumns, 1, title, lines, rows, printSetup{footer: "Comparisons. " + reportTitle(rep), synthetic: synthetic})
	for _, t := range rep.Topics {
		for _, a := range t.Answers {
			q := a.Figure
			if !q.Present {
				continue
			}
			// The force's own row, shaded: figureCells gives Count to Rank by
			// rate as its cells 4 to 14.
			own := bookFigureCells(st, q, true)
			row := []any{st.cell(kindWrap, true, sayTopicTitle(t)), st.cell(kindWrap, true, a.Force.Name),
				st.cell(kindWrap, true, comparatorKindLabel(datasets.ComparatorForce)), st.cell(kindWrap, true, a.Force.Name)}
			row = append(row, own[4:15]...)
			row = append(row, st.cell(kindRatio, true, nil), st.cell(kindRatio, true, nil), st.cell(kindRatio, true, nil),
				st.cell(kindWrap, true, nil), st.cell(kindWrap, true, sourceCell(q)), st.cell(kindWrap, true, textOrNil(figureNote(q))))
			g.line(0, row...)
			for _, c := range a.Comparators {
				var prev, change, pct, lo, hi, verdict, rate, vintage any
				if c.HasPrevious {
					prev, change = c.Previous, c.Change
				}
				if c.HasPct {
					pct = round1(c.PctChange)
				}
				if c.HasInterval {
					lo, hi = round1(c.Lo), round1(c.Hi)
				}
				if c.Verdict != "" {
					verdict = c.Verdict
				}
				if c.HasRate {
					rate, vintage = round2(c.Rate), textOrNil(c.PopulationVintage)
				}
				var ratio, rlo, rhi, against any
				note := c.Note
				if c.Kind == datasets.ComparatorEnglandWales && a.Against.OK {
					ratio, rlo, rhi, against = round3(a.Against.Ratio), round3(a.Against.Lo), round3(a.Against.Hi), a.Against.Verdict
					note = strings.TrimSpace(sayAgainst(a) + " " + fullStop(sentence(note)))
				} else {
					note = fullStop(sentence(note))
				}
				cell := func(k cellKind, v any) any { return st.cell(k, false, v) }
				g.line(0, cell(kindWrap, sayTopicTitle(t)), cell(kindWrap, a.Force.Name), cell(kindWrap, comparatorKindLabel(c.Kind)), cell(kindWrap, c.Label),
					cell(kindCount, c.Count), cell(kindCount, prev), cell(kindChange, change), cell(kindPct, pct), cell(kindPct, lo), cell(kindPct, hi),
					cell(kindWrap, verdict), cell(kindRate, rate), cell(kindText, vintage), nil, nil,
					cell(kindRatio, ratio), cell(kindRatio, rlo), cell(kindRatio, rhi), cell(kindWrap, against),
					cell(kindWrap, sourceCell(q)), cell(kindWrap, textOrNil(note)))
			}
		}
	}
	g.table("Comparisons", header, g.row, len(comparisonColumns))
	return g.close()
}

var reconciliationColumns = []column{
	{"Offence", 24, kindWrap},
	{"Area", 24, kindWrap},
	{"Area code", 11, kindText},
	{"Period end", 9, kindText},
	{"Months", 8, kindRank},
	{"Quoted source", 25, kindText},
	{"Quoted count", 10, kindCount},
	{"Other source", 25, kindText},
	{"Other count", 10, kindCount},
	{"Other derived from a % change", 10, kindRank},
	{"Difference", 11, kindChange},
	{"% difference", 10, kindPct},
	{"Why", 20, kindWrap},
}

// reasonLabel is the first clause of a reconciliation's reason ("A
// revision"), which the sheet's rows show with the number of the sentence
// in full, listed once above the table.
func reasonLabel(reason string) string {
	if l, _, ok := strings.Cut(reason, ": "); ok {
		return l
	}
	return strings.TrimSuffix(reason, ".")
}

func writeReconciliationSheet(f *excelize.File, sheet string, rep *pipeline.Report, st bookStyles, synthetic bool) error {
	title := "Reconciliation: every figure not quoted beside the one quoted for the same area, offence and window"
	lines := []string{"Where two sources (or two releases) give a figure for the same question, the report quotes one (see Notes) and sets each other beside it here, with the difference and its likely reason:"}
	reasons := map[string]string{}
	for _, r := range rep.Reconciliation {
		if _, ok := reasons[r.Reason]; !ok {
			n := len(reasons) + 1
			reasons[r.Reason] = fmt.Sprintf("%s (%d)", reasonLabel(r.Reason), n)
			lines = append(lines, fmt.Sprintf("(%d) %s", n, r.Reason))
		}
	}
	g, header := startDataSheet(f, sheet, st, reconciliationColumns, 1, title, lines, len(rep.Reconciliation),
		printSetup{footer: "Reconciliation. " + reportTitle(rep), synthetic: synthetic})
	cell := func(k cellKind, v any) any { return st.cell(k, false, v) }
	for _, r := range rep.Reconciliation {
		var pct any
		if r.HasPct {
			pct = round1(r.PctDifference)
		}
		g.line(0, cell(kindWrap, r.Offence), cell(kindWrap, r.AreaName), cell(kindText, r.AreaCode), cell(kindText, r.End.String()),
			cell(kindRank, r.Quoted.Months), cell(kindText, sourceCell(r.Quoted)), cell(kindCount, r.Quoted.Count),
			cell(kindText, sourceCell(r.Other)), cell(kindCount, r.Other.Count), cell(kindRank, yes(r.Other.CountDerived)),
			cell(kindChange, r.Difference), cell(kindPct, pct), cell(kindWrap, reasons[r.Reason]))
	}
	g.table("Reconciliation", header, g.row, len(reconciliationColumns))
	return g.close()
}

var figureColumns = []column{
	{"Quoted", 7, kindRank},
	{"Offence", 22, kindText},
	{"Area", 22, kindText},
	{"Area code", 11, kindText},
	{"Kind", 8, kindText},
	{"Period end", 9, kindText},
	{"Months", 7, kindRank},
	{"Count", 10, kindCount},
	{"Count marker", 7, kindText},
	{"Previous year", 10, kindCount},
	{"Previous derived from % change", 9, kindText},
	{"Change", 10, kindChange},
	{"% change", 8, kindPct},
	{"% change note", 14, kindText},
	{"95% interval low", 8, kindPct},
	{"95% interval high", 8, kindPct},
	{"Verdict", 10, kindText},
	{"Rate per 1,000", 8, kindRate},
	{"Population", 11, kindCount},
	{"Population vintage", 10, kindText},
	{"Source", 11, kindText},
	{"Release", 20, kindText},
	{"Note", 30, kindText},
}

func writeFiguresSheet(f *excelize.File, sheet string, rep *pipeline.Report, st bookStyles, synthetic bool) error {
	title := "Every figure of every source: " + sayWindowTotals(rep.Window)
	lines := []string{fmt.Sprintf("Each source's %s for every area, offence and period the data covers. Quoted is \"yes\" on the one figure quoted for its area, offence and window: "+
		"filter Quoted = yes before summing, so that no figure counts twice. Months is the window's length; a series compares windows of one length. "+
		"A blank is a figure not given, never a zero; Count marker is what a release printed instead of a count.", sayWindowTotals(rep.Window))}
	g, header := startDataSheet(f, sheet, st, figureColumns, 1, title, lines, len(rep.Figures), printSetup{footer: "Figures. " + reportTitle(rep), synthetic: synthetic})
	cell := func(k cellKind, v any) any { return st.cell(k, false, v) }
	for _, fg := range rep.Figures {
		var count, prev, change, pct, lo, hi, rate, pop, derived any
		if fg.HasCount {
			count = fg.Count
		}
		if fg.HasPrevious {
			prev, derived = fg.Previous, yes(fg.PreviousDerived)
			if fg.HasCount {
				change = fg.Change
			}
		}
		if fg.HasPct {
			pct = round1(fg.PctChange)
		}
		if fg.HasInterval {
			lo, hi = round1(fg.Lo), round1(fg.Hi)
		}
		if fg.HasRate {
			rate = round2(fg.Rate)
			if fg.Population > 0 {
				pop = fg.Population
			}
		}
		g.line(0, cell(kindRank, yes(fg.Quoted)), cell(kindText, fg.Offence), cell(kindText, fg.AreaName), cell(kindText, fg.AreaCode),
			cell(kindText, areaKindLabel(fg.AreaKind)), cell(kindText, fg.PeriodEnd.String()), cell(kindRank, fg.Months),
			cell(kindCount, count), cell(kindText, textOrNil(fg.CountMarker)), cell(kindCount, prev), cell(kindText, derived),
			cell(kindChange, change), cell(kindPct, pct), cell(kindText, textOrNil(fg.PctNote)), cell(kindPct, lo), cell(kindPct, hi),
			cell(kindText, textOrNil(fg.Verdict)), cell(kindRate, rate), cell(kindCount, pop), cell(kindText, textOrNil(fg.PopulationVintage)),
			cell(kindText, shortSource(fg)), cell(kindText, textOrNil(fg.Release)), cell(kindText, textOrNil(fg.Note)))
	}
	g.table("Figures", header, g.row, len(figureColumns))
	return g.close()
}

// Cell texts of a Completeness sheet: the text says it, the fill only
// helps.
const (
	CompletenessCovered = "✓"
	CompletenessMissing = "✗"
)

var completenessColumns = []column{
	{"Area", 26, kindText},
	{"Area code", 11, kindText},
	{"Months covered", 9, kindText},
	{"Months missing", 9, kindText},
	{"Missing months", 60, kindWrap},
}

// missingRanges writes the months an area lacks as ranges: "May 2018",
// "July to September 2019", "December 2018 to February 2019".
func missingRanges(months []datasets.Month, covered []bool) string {
	var parts []string
	for i := 0; i < len(months); i++ {
		if i < len(covered) && covered[i] {
			continue
		}
		j := i
		for j+1 < len(months) && !(j+1 < len(covered) && covered[j+1]) {
			j++
		}
		switch {
		case i == j:
			parts = append(parts, months[i].Label())
		case months[i].Year() == months[j].Year():
			parts = append(parts, months[i].Label()[:strings.IndexByte(months[i].Label(), ' ')]+" to "+months[j].Label())
		default:
			parts = append(parts, months[i].Label()+" to "+months[j].Label())
		}
		i = j
	}
	return strings.Join(parts, "; ")
}

// writeCompletenessSheet writes one source's completeness: per force and
// BTP, how many months of the source's span it has and which it lacks,
// then a column per month marked ✓ or ✗ (filled). The page prints the
// summary; the grid of months is for the screen.
func writeCompletenessSheet(f *excelize.File, sheet, table string, c CompletenessSheet, st bookStyles, synthetic bool) error {
	cols := append([]column(nil), completenessColumns...)
	for _, m := range c.Months {
		cols = append(cols, column{m.String(), 4, kindText})
	}
	name := completenessSourceName(c.Source)
	span := "no months"
	if n := len(c.Months); n > 0 {
		span = c.Months[0].Label() + " to " + c.Months[n-1].Label()
	}
	title := "Completeness of " + name
	lines := []string{fmt.Sprintf("Every force and BTP the source has, and the months from %s it has and lacks. In the grid of months to the right (for the screen; the printed pages give the summary), "+
		"%s means the source has the month for the area and %s that it has not. A missing month is not a zero: a window with one has no figure, and totals leave the area out like for like.",
		span, CompletenessCovered, CompletenessMissing)}
	p := printSetup{footer: "Completeness of " + name + ". " + span, synthetic: synthetic, lastCol: len(completenessColumns), lastRow: 2 + len(lines) + max(len(c.Areas), 1)}
	g, header := startDataSheet(f, sheet, st, cols, 2, title, lines, len(c.Areas), p)
	for _, a := range c.Areas {
		missing := 0
		grid := make([]any, 0, len(c.Months))
		for i := range c.Months {
			if i < len(a.Covered) && a.Covered[i] {
				grid = append(grid, excelize.Cell{StyleID: st.covered, Value: CompletenessCovered})
			} else {
				missing++
				grid = append(grid, excelize.Cell{StyleID: st.missing, Value: CompletenessMissing})
			}
		}
		row := []any{a.AreaName, a.AreaCode, st.cell(kindRank, false, len(c.Months)-missing), st.cell(kindRank, false, missing),
			st.cell(kindWrap, false, textOrNil(missingRanges(c.Months, a.Covered)))}
		g.line(0, append(row, grid...)...)
	}
	g.table(table, header, g.row, len(cols))
	return g.close()
}

// completenessSourceName names a source in a completeness title.
func completenessSourceName(src string) string {
	switch src {
	case datasets.SourcePoliceUK:
		return "data.police.uk"
	case datasets.SourceHomeOffice:
		return "the Home Office open data table"
	case datasets.SourceForce:
		return "the force extracts"
	case datasets.SourceONSPFA:
		return "the ONS PFA tables"
	}
	return src
}
