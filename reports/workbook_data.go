package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// RankingHeader is the header of a Ranking sheet.
var RankingHeader = []string{"rank", "area_code", "area_name", "chosen", "count", "previous_count", "change", "pct_change", "note", "rate_per_1000", "population_vintage"}

// tableStyle is the built-in style of every data table.
const tableStyle = "TableStyleMedium2"

// dataTable is one sheet's table: header, rows of cell values (nil: empty),
// column widths, the 1-based percentage-change column (0: none), and its
// table and defined names.
type dataTable struct {
	sheet, table, name string
	header             []string
	widths             []float64
	rows               [][]any
	pctCol             int
	panes              *excelize.Panes // nil: frozenHeader
}

// ref returns the table's range ("A1:K12"); a table has at least one data
// row, empty when there are no rows.
func (d dataTable) ref() (string, error) {
	last, err := excelize.CoordinatesToCellName(len(d.header), max(len(d.rows), 1)+1)
	if err != nil {
		return "", err
	}
	return "A1:" + last, nil
}

// absRef returns 'sheet'!$A$1:$K$12 for columns c1..c2 and rows r1..r2.
func absRef(sheet string, c1, r1, c2, r2 int) (string, error) {
	a, err := excelize.CoordinatesToCellName(c1, r1, true)
	if err != nil {
		return "", err
	}
	b, err := excelize.CoordinatesToCellName(c2, r2, true)
	if err != nil {
		return "", err
	}
	return quoteSheet(sheet) + "!" + a + ":" + b, nil
}

var frozenHeader = &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}

// beforeRows sets up what must exist before the rows are written: for a
// streamed sheet, anything made after NewStreamWriter is lost. It adds the
// conditional formats of the percentage column and the defined name.
func (d dataTable) beforeRows(f *excelize.File, st workbookStyles) error {
	n := max(len(d.rows), 1) + 1
	if d.pctCol > 0 {
		ref, err := absRef(d.sheet, d.pctCol, 2, d.pctCol, n)
		if err != nil {
			return err
		}
		ref = strings.ReplaceAll(ref[strings.Index(ref, "!")+1:], "$", "")
		rise, fall := st.rise, st.fall
		if err := f.SetConditionalFormat(d.sheet, ref, []excelize.ConditionalFormatOptions{
			{Type: "cell", Criteria: ">", Value: "0", Format: &rise},
			{Type: "cell", Criteria: "<", Value: "0", Format: &fall},
		}); err != nil {
			return fmt.Errorf("conditional format: %w", err)
		}
	}
	refersTo, err := absRef(d.sheet, 1, 1, len(d.header), n)
	if err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: d.name, RefersTo: refersTo,
		Comment: "Table " + d.table + " on sheet " + d.sheet}); err != nil {
		return fmt.Errorf("defined name %s: %w", d.name, err)
	}
	return nil
}

func (d dataTable) tableOptions() (*excelize.Table, error) {
	ref, err := d.ref()
	if err != nil {
		return nil, err
	}
	return &excelize.Table{Range: ref, Name: d.table, StyleName: tableStyle}, nil
}

// headerCells styles the header row.
func headerCells(header []string, st workbookStyles) []any {
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	return head
}

// stream writes d with a StreamWriter: for sheets of any length.
func (d dataTable) stream(f *excelize.File, st workbookStyles) error {
	if err := d.beforeRows(f, st); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(d.sheet)
	if err != nil {
		return err
	}
	for i, wd := range d.widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	panes := frozenHeader
	if d.panes != nil {
		panes = d.panes
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	if err := sw.SetRow("A1", headerCells(d.header, st)); err != nil {
		return err
	}
	for i, r := range d.rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	opts, err := d.tableOptions()
	if err != nil {
		return err
	}
	if err := sw.AddTable(opts); err != nil {
		return fmt.Errorf("table %s: %w", d.table, err)
	}
	return sw.Flush()
}

// write writes d with the ordinary cell API, so that charts can sit beside
// it on the same sheet: for the short Series and Ranking sheets only.
func (d dataTable) write(f *excelize.File, st workbookStyles) error {
	if err := d.beforeRows(f, st); err != nil {
		return err
	}
	for i, wd := range d.widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(d.sheet, col, col, wd); err != nil {
			return err
		}
	}
	if err := f.SetPanes(d.sheet, frozenHeader); err != nil {
		return err
	}
	rows := append([][]any{headerCells(d.header, st)}, d.rows...)
	for r, row := range rows {
		for c, val := range row {
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return err
			}
			if err := setCell(f, d.sheet, cell, val); err != nil {
				return fmt.Errorf("cell %s: %w", cell, err)
			}
		}
	}
	opts, err := d.tableOptions()
	if err != nil {
		return err
	}
	if err := f.AddTable(d.sheet, opts); err != nil {
		return fmt.Errorf("table %s: %w", d.table, err)
	}
	return nil
}

// setCell writes one value of a dataTable row with the ordinary API:
// strings with SetCellStr (never a formula), numbers as numbers.
func setCell(f *excelize.File, sheet, cell string, val any) error {
	style := 0
	if c, ok := val.(excelize.Cell); ok {
		style, val = c.StyleID, c.Value
	}
	var err error
	switch x := val.(type) {
	case nil:
		return nil
	case string:
		err = f.SetCellStr(sheet, cell, x)
	case int:
		err = f.SetCellInt(sheet, cell, int64(x))
	case int64:
		err = f.SetCellInt(sheet, cell, x)
	case float64:
		err = f.SetCellFloat(sheet, cell, x, -1, 64)
	default:
		return fmt.Errorf("unexpected value %T", val)
	}
	if err == nil && style != 0 {
		err = f.SetCellStyle(sheet, cell, cell, style)
	}
	return err
}

func countValue(n int64, st workbookStyles) any { return excelize.Cell{StyleID: st.count, Value: n} }

// pctValue stores a percentage change as a fraction rounded to the 15
// significant digits a spreadsheet keeps (excelize would cut the 16th and
// 17th off instead of rounding).
func pctValue(p float64, st workbookStyles) any {
	return excelize.Cell{StyleID: st.pct, Value: excelDigits(p / 100)}
}

func excelDigits(x float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
	if err != nil {
		return x
	}
	return r
}

func figureValues(fg Figure, st workbookStyles) []any {
	var prev, change, pct any
	if fg.HasPrevious {
		prev, change = countValue(fg.Previous, st), countValue(fg.Change, st)
	}
	if fg.HasPct {
		pct = pctValue(fg.PctChange, st)
	}
	return []any{countValue(fg.Count, st), prev, change, pct}
}

func textOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func writeTrendsSheet(f *excelize.File, sheet string, trends []datasets.Trend, st workbookStyles) error {
	rows := make([][]any, 0, len(trends))
	for _, t := range trends {
		r := []any{t.AreaCode, textOrNil(t.AreaName), t.Offence, t.PeriodEnd.String(), t.Months}
		r = append(r, figureValues(figureOf(t), st)...)
		r = append(r, t.Source, textOrNil(t.Note))
		rows = append(rows, r)
	}
	d := dataTable{sheet: sheet, table: trendsTableName, name: dataName("Trends", 0),
		header: TrendsHeader, widths: []float64{12, 28, 36, 11, 8, 11, 14, 10, 11, 12, 50},
		rows: rows, pctCol: 9}
	return d.stream(f, st)
}

// CompletenessHeader is the start of a Completeness sheet's header; one
// column per month (YYYY-MM) follows.
var CompletenessHeader = []string{"area_name", "area_code", "months_missing"}

// Cell texts of a Completeness sheet: the text says it, the fill only
// helps.
const (
	CompletenessCovered = "✓"
	CompletenessMissing = "missing"
)

// completenessTableName and the defined name of the n-th completeness sheet.
func completenessTableName(n int) string { return tableName("Completeness", n) }

// writeCompletenessSheet writes one source's force x month matrix: a row
// per force and BTP, a column per month, "✓" or "missing" in each cell,
// with the header row and the first three columns frozen.
func writeCompletenessSheet(f *excelize.File, sheet string, n int, c CompletenessSheet, st workbookStyles) error {
	header := append([]string(nil), CompletenessHeader...)
	widths := []float64{28, 12, 15}
	for _, m := range c.Months {
		header = append(header, m.String())
		widths = append(widths, 9)
	}
	rows := make([][]any, 0, len(c.Areas))
	for _, a := range c.Areas {
		missing := 0
		cells := make([]any, 0, len(c.Months))
		for i := range c.Months {
			if i < len(a.Covered) && a.Covered[i] {
				cells = append(cells, excelize.Cell{StyleID: st.covered, Value: CompletenessCovered})
			} else {
				missing++
				cells = append(cells, excelize.Cell{StyleID: st.missing, Value: CompletenessMissing})
			}
		}
		rows = append(rows, append([]any{textOrNil(a.AreaName), a.AreaCode, missing}, cells...))
	}
	d := dataTable{sheet: sheet, table: completenessTableName(n), name: dataName("Completeness", n),
		header: header, widths: widths, rows: rows,
		panes: &excelize.Panes{Freeze: true, XSplit: 3, YSplit: 1, TopLeftCell: "D2", ActivePane: "bottomRight",
			Selection: []excelize.Selection{{SQRef: "D2", ActiveCell: "D2", Pane: "bottomRight"}}}}
	return d.stream(f, st)
}

// tableHeader makes header texts usable as table column names: one line,
// not blank, and unique ignoring case (Excel's rule).
func tableHeader(names []string) []string {
	out := make([]string, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		n = strings.Join(strings.Fields(n), " ")
		if n == "" {
			n = "column"
		}
		base := n
		for k := 2; seen[strings.ToLower(n)]; k++ {
			n = fmt.Sprintf("%s (%d)", base, k)
		}
		seen[strings.ToLower(n)] = true
		out[i] = n
	}
	return out
}

// chartCell is where a chart goes: two columns right of a table, row 2.
func chartCell(columns int) (string, error) { return excelize.CoordinatesToCellName(columns+2, 2) }

func writeSeriesSheet(f *excelize.File, sheet string, n int, s Section, st workbookStyles) error {
	names := []string{"period_end"}
	widths := []float64{12}
	for _, sr := range s.Series {
		names = append(names, sr.AreaName)
		widths = append(widths, 22)
	}
	rows := make([][]any, 0, len(s.Periods))
	for i, m := range s.Periods {
		r := []any{m.String()}
		for _, sr := range s.Series {
			if p := sr.Points[i]; p.Present {
				r = append(r, countValue(p.Count, st))
			} else {
				r = append(r, nil)
			}
		}
		rows = append(rows, r)
	}
	d := dataTable{sheet: sheet, table: tableName("Series", n), name: dataName("Series", n),
		header: tableHeader(names), widths: widths, rows: rows}
	if err := d.write(f, st); err != nil {
		return err
	}
	at, err := chartCell(len(d.header))
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return f.SetCellStr(sheet, at, "No 12-month figures for the chosen forces or England and Wales: no chart.")
	}
	return addSeriesChart(f, sheet, at, s, len(rows))
}

// addSeriesChart adds a line chart of the Series sheet's columns: chosen
// forces on the left axis, England and Wales on the right one (on the left
// when it is the only line).
func addSeriesChart(f *excelize.File, sheet, at string, s Section, nRows int) error {
	cats, err := absRef(sheet, 1, 2, 1, nRows+1)
	if err != nil {
		return err
	}
	var forces, national []excelize.ChartSeries
	for i, sr := range s.Series {
		if !anyPresent(sr.Points) {
			continue // an empty line would only add an empty axis
		}
		name, err := excelize.CoordinatesToCellName(i+2, 1, true)
		if err != nil {
			return err
		}
		vals, err := absRef(sheet, i+2, 2, i+2, nRows+1)
		if err != nil {
			return err
		}
		cs := excelize.ChartSeries{Name: quoteSheet(sheet) + "!" + name, Categories: cats, Values: vals,
			Marker: excelize.ChartMarker{Symbol: "circle", Size: 5}}
		if sr.National {
			cs.Line = excelize.LineOptions{Width: 2.25}
			cs.Marker.Symbol = "square"
			national = append(national, cs)
		} else {
			forces = append(forces, cs)
		}
	}
	countAxis := excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: NumFmtCount}}
	title := fmt.Sprintf("Offences recorded by the police, %s: rolling 12-month totals to %s", s.Offence, s.PeriodEnd.Label())
	main := &excelize.Chart{
		Type:         excelize.Line,
		Series:       forces,
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		Dimension:    excelize.ChartDimension{Width: 720, Height: 360},
		ShowBlanksAs: "gap",
		XAxis:        excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "12 months ending"}}}},
		YAxis:        countAxis,
	}
	if len(forces)+len(national) == 0 {
		return f.SetCellStr(sheet, at, "No 12-month figures for the chosen forces or England and Wales: no chart.")
	}
	if len(forces) == 0 {
		main.Series = national
		main.YAxis.Title = excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "England and Wales"}}}
		return f.AddChart(sheet, at, main)
	}
	main.YAxis.Title = excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Chosen forces"}}}
	if len(national) == 0 {
		return f.AddChart(sheet, at, main)
	}
	ew := &excelize.Chart{
		Type:   excelize.Line,
		Series: national,
		YAxis: excelize.ChartAxis{Secondary: true, NumFmt: countAxis.NumFmt,
			Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "England and Wales (right-hand axis)"}}}},
	}
	return f.AddChart(sheet, at, main, ew)
}

func writeRankingSheet(f *excelize.File, sheet string, n int, s Section, st workbookStyles) error {
	rows := make([][]any, 0, len(s.Ranking))
	withPct := 0
	for _, rr := range s.Ranking {
		var rank, isChosen any
		if rr.Rank > 0 {
			rank = rr.Rank
		}
		if rr.Chosen {
			isChosen = "yes"
		}
		if rr.HasPct {
			withPct++
		}
		r := []any{rank, rr.AreaCode, rr.AreaName, isChosen}
		r = append(r, figureValues(rr.Figure, st)...)
		r = append(r, textOrNil(rr.Note))
		if rr.HasRate {
			r = append(r, rateValue(rr.Rate, st), rr.PopulationVintage)
		} else {
			r = append(r, nil, nil)
		}
		rows = append(rows, r)
	}
	d := dataTable{sheet: sheet, table: tableName("Ranking", n), name: dataName("Ranking", n),
		header: RankingHeader, widths: []float64{6, 12, 28, 8, 11, 14, 10, 11, 50, 13, 18},
		rows: rows, pctCol: 8}
	if err := d.write(f, st); err != nil {
		return err
	}
	at, err := chartCell(len(d.header))
	if err != nil {
		return err
	}
	if withPct == 0 {
		return f.SetCellStr(sheet, at, "No force has a percentage change for this period: no chart.")
	}
	// Forces with a percentage change come first in the ranking.
	cats, err := absRef(sheet, 3, 2, 3, withPct+1)
	if err != nil {
		return err
	}
	vals, err := absRef(sheet, 8, 2, 8, withPct+1)
	if err != nil {
		return err
	}
	name, err := excelize.CoordinatesToCellName(8, 1, true)
	if err != nil {
		return err
	}
	series := excelize.ChartSeries{Name: quoteSheet(sheet) + "!" + name, Categories: cats, Values: vals,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}}}
	title := fmt.Sprintf("%s: percentage change, %s on a year earlier", s.Offence, lowerFirst(sectionWindowTitle(s)))
	noVary := false
	return f.AddChart(sheet, at, &excelize.Chart{
		Type:       excelize.Bar,
		VaryColors: &noVary,
		Series:     []excelize.ChartSeries{series},
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:     excelize.ChartLegend{Position: "none"},
		Dimension:  excelize.ChartDimension{Width: 720, Height: uint(max(300, 60+22*withPct))},
		XAxis:      excelize.ChartAxis{ReverseOrder: true},
		YAxis:      excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
	})
}

// seriesChartNote says what the Series sheet's chart shows, as
// addSeriesChart draws it.
func seriesChartNote(s Section) string {
	var forces, national bool
	for _, sr := range s.Series {
		if anyPresent(sr.Points) {
			forces = forces || !sr.National
			national = national || sr.National
		}
	}
	switch {
	case forces && national:
		return "with a line chart (England and Wales on the right-hand axis)"
	case forces || national:
		return "with a line chart"
	}
	return "no chart (no figures)"
}

func anyPresent(ps []Point) bool {
	for _, p := range ps {
		if p.Present {
			return true
		}
	}
	return false
}

// rankingChartNote says whether the Ranking sheet has a chart.
func rankingChartNote(s Section) string {
	for _, rr := range s.Ranking {
		if rr.HasPct {
			return "with a bar chart of the forces with a percentage change"
		}
	}
	return "no chart (no force has a percentage change)"
}
