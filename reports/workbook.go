package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// Number formats used in the workbook. Percentage changes are stored as
// fractions (0.146 for 14.6%).
const (
	NumFmtCount = "#,##0"
	NumFmtPct   = "0.0%"
	// NumFmtPctRise and NumFmtPctFall are the formats conditional
	// formatting gives a rise and a fall, so that direction is printed as
	// well as coloured: "▲ +14.6%", "▼ -3.0%". Either shows any value
	// correctly; they differ only so that each has its own number format ID.
	NumFmtPctRise = `"▲ "+0.0%;"▼ "-0.0%;0.0%`
	NumFmtPctFall = `"▲ "+0.0%;"▼ "-0.0%`
)

// SheetNames are the names Workbook gives a section's sheets.
type SheetNames struct {
	Series  string
	Ranking string
	Compare string // "" when the section has no comparisons
}

// Fixed sheet names of every workbook.
const (
	SheetCover  = "Cover"
	SheetNotes  = "Notes"
	SheetTrends = "Trends"
	// SheetReconciliation holds force extracts beside published figures,
	// when the report has any.
	SheetReconciliation = "Reconciliation"
)

// WorkbookSheets returns the sheet names of v's workbook in order: Cover,
// Notes, Trends, a Series and a Ranking sheet per section (and a Compare
// sheet when it has comparisons), a Reconciliation sheet when any section
// has reconciliations, then a Completeness sheet per source of
// v.Completeness. Names are unique, at
// most 31 characters and free of the characters Excel forbids.
func WorkbookSheets(v View) (names []string, sections []SheetNames) {
	defer func() { names = append(names, completenessSheets(v)...) }()
	names = []string{SheetCover, SheetNotes, SheetTrends}
	for i, s := range v.Sections {
		sn := SheetNames{
			Series:  sheetName("Series", i+1, s.Offence),
			Ranking: sheetName("Ranking", i+1, s.Offence),
		}
		names = append(names, sn.Series, sn.Ranking)
		if len(s.Comparisons) > 0 {
			sn.Compare = sheetName("Compare", i+1, s.Offence)
			names = append(names, sn.Compare)
		}
		sections = append(sections, sn)
	}
	if len(reconciliations(v)) > 0 {
		names = append(names, SheetReconciliation)
	}
	return names, sections
}

// completenessSheets returns the names of v's Completeness sheets, in
// order: "Completeness policeuk".
func completenessSheets(v View) []string {
	var names []string
	seen := map[string]bool{}
	for i, c := range v.Completeness {
		name := sheetName("Completeness", 0, c.Source)
		if seen[name] {
			name = sheetName("Completeness", i+1, c.Source)
		}
		seen[name] = true
		names = append(names, name)
	}
	return names
}

// sheetName gives "kind n offence" ("kind offence" when n is 0), cleaned
// and cut to 31 characters.
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
	if n == 0 {
		name = kind + " " + strings.Join(strings.Fields(clean), " ")
	}
	for utf8.RuneCountInString(name) > 31 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return strings.TrimSpace(name)
}

// Table and defined names. Table names share the workbook's name space
// with defined names, so the two differ: table "tbl_Trends" is also
// reachable as the defined name "Trends_Data".
const trendsTableName = "tbl_Trends"

func tableName(kind string, n int) string { return fmt.Sprintf("tbl_%s_%d", kind, n) }

func dataName(kind string, n int) string {
	if n == 0 {
		return kind + "_Data"
	}
	return fmt.Sprintf("%s_%d_Data", kind, n)
}

type workbookStyles struct {
	title, bold, header, count, pct, wrap, link int
	rate                                        int // rates per 1,000: "0.00"
	covered, missing                            int // Completeness cells
	rise, fall                                  int // conditional (dxf) styles
}

func newWorkbookStyles(f *excelize.File) (workbookStyles, error) {
	var st workbookStyles
	countFmt, pctFmt, riseFmt, fallFmt := NumFmtCount, NumFmtPct, NumFmtPctRise, NumFmtPctFall
	var unused int
	// excelize numbers the number formats of conditional (dxf) styles from
	// 165 on its own, so the workbook's own table must give those IDs the
	// same formats: "#,##0" is 164, the rise 165, the fall 166 (the dump in
	// the golden test shows the formats read back through the IDs).
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.count, excelize.Style{CustomNumFmt: &countFmt}},
		{&unused, excelize.Style{CustomNumFmt: &riseFmt}},
		{&unused, excelize.Style{CustomNumFmt: &fallFmt}},
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.bold, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}}},
		{&st.pct, excelize.Style{CustomNumFmt: &pctFmt}},
		{&st.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.link, excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}}},
		{&st.covered, excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.missing, excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C4A00"}, Alignment: &excelize.Alignment{Horizontal: "center"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FCE4D6"}}}},
		{&st.rate, excelize.Style{NumFmt: 2}}, // built-in "0.00"
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, fmt.Errorf("workbook style: %w", err)
		}
		*s.id = id
	}
	// Rises and falls: an arrow and sign in the number format, and a
	// colour (dark orange, dark blue: neither a red/green judgement).
	for _, s := range []struct {
		id     *int
		format *string
		color  string
	}{{&st.rise, &riseFmt, "9C4A00"}, {&st.fall, &fallFmt, "1F4E79"}} {
		id, err := f.NewConditionalStyle(&excelize.Style{CustomNumFmt: s.format, Font: &excelize.Font{Bold: true, Color: s.color}})
		if err != nil {
			return st, fmt.Errorf("workbook conditional style: %w", err)
		}
		*s.id = id
	}
	return st, nil
}

// Workbook writes v as an Excel workbook that opens without repair in
// Excel and LibreOffice:
//
//   - Cover: title, synthetic warning, source status, periods, headlines,
//     contents (with links to each sheet) and provenance.
//   - Notes: definitions, caveats, this report's notes, and sources with
//     their status and licence.
//   - Trends: every trend row with the columns of trends.csv.
//   - per section, a Series sheet (the 12-month totals of the chosen forces
//     and England and Wales, with a line chart beside them; England and
//     Wales on the secondary axis) and a Ranking sheet (every force, with a
//     bar chart of the percentage changes beside them, and each force's rate
//     per 1,000 with its population vintage) and, when the section has
//     comparisons, a Compare sheet: each chosen force beside England and
//     Wales, its country, region and peer groups, each built without it,
//     with rates, population vintages, the force's ranks and how many
//     forces rose.
//   - Reconciliation, when a force extract and a published figure cover
//     the same window: both and the difference.
//   - per source of v.Completeness, a Completeness sheet: a row per force
//     and BTP, a column per month of the source's span, each cell "✓"
//     (covered) or "missing" (also filled), table tbl_Completeness_N.
//
// Every data range is an Excel table (tbl_Trends, tbl_Series_N,
// tbl_Ranking_N) with header filters, a frozen header row and a defined
// name for its range, header included (Trends_Data, Series_N_Data,
// Ranking_N_Data). Counts use "#,##0"; percentage changes are stored as
// fractions formatted "0.0%", and conditional formatting prints rises
// "▲ +14.6%" and falls "▼ -3.0%" in distinct colours. Every text is a
// string value, never a formula. Document dates come from the report's
// period, not the clock, and the same View always gives the same bytes.
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
	if err := writeCover(f, SheetCover, v, sections, st); err != nil {
		return fmt.Errorf("workbook: sheet %q: %w", SheetCover, err)
	}
	if err := writeNotes(f, SheetNotes, v, st); err != nil {
		return fmt.Errorf("workbook: sheet %q: %w", SheetNotes, err)
	}
	if err := writeTrendsSheet(f, SheetTrends, v.Trends, st); err != nil {
		return fmt.Errorf("workbook: sheet %q: %w", SheetTrends, err)
	}
	for i, s := range v.Sections {
		if err := writeSeriesSheet(f, sections[i].Series, i+1, s, st); err != nil {
			return fmt.Errorf("workbook: sheet %q: %w", sections[i].Series, err)
		}
		if err := writeRankingSheet(f, sections[i].Ranking, i+1, s, st); err != nil {
			return fmt.Errorf("workbook: sheet %q: %w", sections[i].Ranking, err)
		}
		if sections[i].Compare != "" {
			if err := writeCompareSheet(f, sections[i].Compare, i+1, s, st); err != nil {
				return fmt.Errorf("workbook: sheet %q: %w", sections[i].Compare, err)
			}
		}
	}
	if rs := reconciliations(v); len(rs) > 0 {
		if err := writeReconciliationSheet(f, SheetReconciliation, rs, st); err != nil {
			return fmt.Errorf("workbook: sheet %q: %w", SheetReconciliation, err)
		}
	}
	for i, name := range completenessSheets(v) {
		if err := writeCompletenessSheet(f, name, i+1, v.Completeness[i], st); err != nil {
			return fmt.Errorf("workbook: sheet %q: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(docProps(v)); err != nil {
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

func docProps(v View) *excelize.DocProperties {
	var offences []string
	seen := map[string]bool{}
	for _, s := range v.Sections {
		if !seen[s.Offence] {
			seen[s.Offence] = true
			offences = append(offences, s.Offence)
		}
	}
	subject := "Offences recorded by the police in England and Wales: rolling 12-month totals and year-on-year change"
	if end, ok := latestPeriodEnd(v); ok {
		subject += ", 12 months to " + end.Label()
		if w := viewWindow(v); w != datasets.WindowRolling12 {
			subject = "Offences recorded by the police in England and Wales: totals and year-on-year change, " + lowerFirst(w.Title(end))
		}
	}
	props := &excelize.DocProperties{
		Title:       v.Title,
		Subject:     subject,
		Creator:     "crimetrends",
		Keywords:    strings.Join(append([]string{"police recorded crime", "England and Wales", "rolling 12 months", "year-on-year"}, offences...), "; "),
		Description: "Offences recorded by the police in England and Wales. Not a count of all crime. Sources and caveats are on the Notes sheet.",
		Category:    "Statistics",
		Version:     v.Version,
	}
	if v.Synthetic {
		props.Description = SyntheticBanner + ". " + props.Description
		props.Keywords += "; synthetic data"
	}
	end, ok := latestPeriodEnd(v)
	if !ok {
		for _, t := range v.Trends {
			if t.PeriodEnd > end {
				end, ok = t.PeriodEnd, true
			}
		}
	}
	if ok {
		// The day after the window closes: fixed by the data, not the clock.
		next := end.Add(1)
		stamp := fmt.Sprintf("%04d-%02d-01T00:00:00Z", next.Year(), next.MonthOfYear())
		props.Created, props.Modified = stamp, stamp
	}
	return props
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

// rezipSorted copies a zip archive with its entries in a fixed order
// ([Content_Types].xml first, then by name), no timestamps, and the
// elements of [Content_Types].xml sorted. excelize writes the parts of
// several stream-written sheets, and the content-type defaults once a chart
// is added, in map order (qax-os/excelize#1732); this makes the file's
// bytes depend only on its content.
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
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
		if zf.Name == "[Content_Types].xml" {
			body = sortContentTypes(body)
		}
		out, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate})
		if err == nil {
			_, err = out.Write(body)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", zf.Name, err)
		}
	}
	return zw.Close()
}

var contentTypeRE = regexp.MustCompile(`<(Default|Override)\s[^>]*?(/>|></(Default|Override)>)`)

// sortContentTypes puts the <Default> elements of [Content_Types].xml,
// then the <Override> elements, each sorted, where the first of them was.
// Their order carries no meaning. Anything unexpected is left unchanged.
func sortContentTypes(body []byte) []byte {
	locs := contentTypeRE.FindAllIndex(body, -1)
	if len(locs) == 0 {
		return body
	}
	var defaults, overrides []string
	for _, l := range locs {
		el := string(body[l[0]:l[1]])
		if strings.HasPrefix(el, "<Default") {
			defaults = append(defaults, el)
		} else {
			overrides = append(overrides, el)
		}
	}
	// Only rewrite when the elements are contiguous.
	for i := 1; i < len(locs); i++ {
		if locs[i][0] != locs[i-1][1] {
			return body
		}
	}
	sort.Strings(defaults)
	sort.Strings(overrides)
	var out bytes.Buffer
	out.Write(body[:locs[0][0]])
	out.WriteString(strings.Join(defaults, ""))
	out.WriteString(strings.Join(overrides, ""))
	out.Write(body[locs[len(locs)-1][1]:])
	return out.Bytes()
}
