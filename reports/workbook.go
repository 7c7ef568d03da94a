package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// Number formats used in the workbook.
const (
	NumFmtCount = "#,##0"
	NumFmtPct   = "0.0%"
)

// SheetNames are the names Workbook gives a section's sheets.
type SheetNames struct {
	Series  string
	Ranking string
}

// WorkbookSheets returns the sheet names of v's workbook in order: Summary,
// Trends, then a Series and a Ranking sheet per section. Names are unique,
// at most 31 characters and free of the characters Excel forbids.
func WorkbookSheets(v View) (names []string, sections []SheetNames) {
	names = []string{"Summary", "Trends"}
	for i, s := range v.Sections {
		sn := SheetNames{
			Series:  sheetName("Series", i+1, s.Offence),
			Ranking: sheetName("Ranking", i+1, s.Offence),
		}
		sections = append(sections, sn)
		names = append(names, sn.Series, sn.Ranking)
	}
	return names, sections
}

func sheetName(kind string, n int, offence string) string {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\', '\'':
			return -1
		}
		if r < ' ' {
			return -1
		}
		return r
	}, offence)
	name := fmt.Sprintf("%s %d %s", kind, n, strings.Join(strings.Fields(clean), " "))
	for utf8.RuneCountInString(name) > 31 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return strings.TrimSpace(name)
}

type workbookStyles struct {
	title, bold, header, count, pct, wrap int
}

func newWorkbookStyles(f *excelize.File) (workbookStyles, error) {
	var st workbookStyles
	countFmt, pctFmt := NumFmtCount, NumFmtPct
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}}},
		{&st.count, excelize.Style{CustomNumFmt: &countFmt}},
		{&st.pct, excelize.Style{CustomNumFmt: &pctFmt}},
		{&st.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, fmt.Errorf("workbook style: %w", err)
		}
		*s.id = id
	}
	return st, nil
}

// Workbook writes v as an Excel workbook: a Summary sheet (title, synthetic
// warning, status, periods, headlines, notes, provenance), a Trends sheet
// with every trend row (the columns of trends.csv), and for each section a
// Series sheet (the trend chart's numbers) and a Ranking sheet (the
// ranking's). Counts use "#,##0", percentage changes are stored as
// fractions formatted "0.0%", data sheets have a frozen header row and an
// autofilter, and every text is a value, never a formula. Document dates
// come from the report's period, not the clock.
func Workbook(w io.Writer, v View) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newWorkbookStyles(f)
	if err != nil {
		return err
	}
	names, sections := WorkbookSheets(v)
	if err := f.SetSheetName("Sheet1", names[0]); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	for _, n := range names[1:] {
		if _, err := f.NewSheet(n); err != nil {
			return fmt.Errorf("workbook: add sheet %q: %w", n, err)
		}
	}
	if err := writeSummary(f, names[0], v, sections, st); err != nil {
		return fmt.Errorf("workbook: sheet %q: %w", names[0], err)
	}
	if err := writeTrendsSheet(f, names[1], v.Trends, st); err != nil {
		return fmt.Errorf("workbook: sheet %q: %w", names[1], err)
	}
	for i, s := range v.Sections {
		if err := writeSeriesSheet(f, sections[i].Series, s, st); err != nil {
			return fmt.Errorf("workbook: sheet %q: %w", sections[i].Series, err)
		}
		if err := writeRankingSheet(f, sections[i].Ranking, s, st); err != nil {
			return fmt.Errorf("workbook: sheet %q: %w", sections[i].Ranking, err)
		}
	}
	f.SetActiveSheet(0)

	props := &excelize.DocProperties{
		Title:       v.Title,
		Creator:     "crimetrends",
		Description: "Offences recorded by the police in England and Wales.",
		Version:     v.Version,
	}
	if v.Synthetic {
		props.Description = SyntheticBanner + ". " + props.Description
	}
	if end, ok := latestPeriodEnd(v); ok {
		// The day after the window closes: fixed by the data, not the clock.
		next := end.Add(1)
		stamp := fmt.Sprintf("%04d-%02d-01T00:00:00Z", next.Year(), next.MonthOfYear())
		props.Created, props.Modified = stamp, stamp
	}
	if err := f.SetDocProps(props); err != nil {
		return fmt.Errorf("workbook: document properties: %w", err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return fmt.Errorf("workbook: write: %w", err)
	}
	if err := rezipSorted(w, buf.Bytes()); err != nil {
		return fmt.Errorf("workbook: write: %w", err)
	}
	return nil
}

// rezipSorted copies a zip archive with its entries in a fixed order
// ([Content_Types].xml first, then by name) and no timestamps. excelize
// writes the parts of several stream-written sheets in map order
// (qax-os/excelize#1732); this makes the file's bytes depend only on its
// content.
func rezipSorted(w io.Writer, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i].Name, files[j].Name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return a < b
	})
	zw := zip.NewWriter(w)
	for _, zf := range files {
		rc, err := zf.Open()
		if err != nil {
			return err
		}
		out, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate})
		if err == nil {
			_, err = io.Copy(out, rc)
		}
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
	}
	return zw.Close()
}

func latestPeriodEnd(v View) (datasets.Month, bool) {
	var end datasets.Month
	for _, s := range v.Sections {
		if s.PeriodEnd > end {
			end = s.PeriodEnd
		}
	}
	return end, end > 0
}

func writeSummary(f *excelize.File, sheet string, v View, sections []SheetNames, st workbookStyles) error {
	row := 0
	put := func(style int, values ...any) error {
		row++
		for i, val := range values {
			cell, err := excelize.CoordinatesToCellName(i+1, row)
			if err != nil {
				return err
			}
			if val == nil {
				continue
			}
			if err := f.SetCellValue(sheet, cell, val); err != nil {
				return err
			}
			if style != 0 {
				if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var err error
	step := func(style int, values ...any) {
		if err == nil {
			err = put(style, values...)
		}
	}
	step(st.title, v.Title)
	if v.Synthetic {
		step(st.bold, SyntheticBanner)
	}
	for _, s := range sourceStatuses(v) {
		step(0, s)
	}
	step(0)
	step(st.bold, "Period")
	for _, s := range v.Sections {
		step(0, s.Offence+" ("+s.Source+")", fmt.Sprintf("%d months to %s", s.Months, s.PeriodEnd.Label()))
	}
	step(0)
	step(st.bold, "Headlines")
	for _, s := range v.Sections {
		for _, h := range s.Headlines {
			step(0, s.Offence+" ("+s.Source+")", h)
		}
	}
	step(0)
	step(st.bold, "Notes")
	for _, n := range v.Notes {
		step(0, n)
	}
	for _, s := range v.Sections {
		for _, n := range s.Notes {
			step(0, s.Offence+" ("+s.Source+")", n)
		}
	}
	step(0)
	step(st.header, "Section", "Source", "Offence", "12 months to", "Series sheet", "Ranking sheet")
	for i, s := range v.Sections {
		step(0, s.ID, s.Source, s.Offence, s.PeriodEnd.String(), sections[i].Series, sections[i].Ranking)
	}
	step(0)
	step(st.bold, "Provenance")
	step(0, "Produced by", strings.TrimSpace("crimetrends "+v.Version))
	if !v.GeneratedAt.IsZero() {
		step(0, "Generated at", v.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z07:00"))
	}
	if len(v.Inputs) > 0 {
		step(st.header, "Input", "Source", "Rows", "SHA-256")
		for _, in := range v.Inputs {
			step(0, in.Name, in.Source, nil, in.SHA256)
			if err == nil {
				err = setCountCell(f, sheet, 3, row, in.Rows, st)
			}
		}
	}
	if err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 40); err != nil {
		return err
	}
	return f.SetColWidth(sheet, "B", "B", 110)
}

func setCountCell(f *excelize.File, sheet string, col, row int, n int64, st workbookStyles) error {
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	if err := f.SetCellValue(sheet, cell, n); err != nil {
		return err
	}
	return f.SetCellStyle(sheet, cell, cell, st.count)
}

// dataSheet streams a header row and rows into sheet, with a frozen header
// and an autofilter over the whole table.
func dataSheet(f *excelize.File, sheet string, header []string, widths []float64, rows [][]any, st workbookStyles) error {
	last, err := excelize.CoordinatesToCellName(len(header), len(rows)+1)
	if err != nil {
		return err
	}
	// The autofilter is part of the worksheet the stream writer starts from,
	// so it must be set before NewStreamWriter.
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("autofilter: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func countValue(n int64, st workbookStyles) any { return excelize.Cell{StyleID: st.count, Value: n} }

func pctValue(p float64, st workbookStyles) any {
	return excelize.Cell{StyleID: st.pct, Value: p / 100}
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
	return dataSheet(f, sheet, TrendsHeader, []float64{12, 28, 36, 11, 8, 11, 14, 10, 11, 12, 50}, rows, st)
}

func writeSeriesSheet(f *excelize.File, sheet string, s Section, st workbookStyles) error {
	header := []string{"period_end"}
	widths := []float64{12}
	for _, sr := range s.Series {
		header = append(header, sr.AreaName)
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
	return dataSheet(f, sheet, header, widths, rows, st)
}

// RankingHeader is the header of a Ranking sheet.
var RankingHeader = []string{"rank", "area_code", "area_name", "chosen", "count", "previous_count", "change", "pct_change", "note"}

func writeRankingSheet(f *excelize.File, sheet string, s Section, st workbookStyles) error {
	rows := make([][]any, 0, len(s.Ranking))
	for _, rr := range s.Ranking {
		var rank, chosen any
		if rr.Rank > 0 {
			rank = rr.Rank
		}
		if rr.Chosen {
			chosen = "yes"
		}
		r := []any{rank, rr.AreaCode, rr.AreaName, chosen}
		r = append(r, figureValues(rr.Figure, st)...)
		r = append(r, textOrNil(rr.Note))
		rows = append(rows, r)
	}
	return dataSheet(f, sheet, RankingHeader, []float64{6, 12, 28, 8, 11, 14, 10, 11, 50}, rows, st)
}
