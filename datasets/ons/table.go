package ons

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// Reasons for skipping a row of a table, as counted in Stats.Skipped.
const (
	SkipHeading  = "heading"  // the title and other rows above the column names (subtitle, group row)
	SkipHeader   = "header"   // the row of column names
	SkipUnits    = "units"    // the units row below it ("Numbers", "Percentage change", ...)
	SkipBlank    = "blank"    // an empty row
	SkipFootnote = "footnote" // the source line and numbered notes after the data
)

// tableKind is one of the three tables read.
type tableKind int

const (
	tableP1 tableKind = iota // counts
	tableP2                  // percentage change
	tableP3                  // rates per 1,000 population
)

// tableSpec says how to find and check one table.
type tableSpec struct {
	sheet   string // the sheet name, as compared: trimmed, any case
	unit    string // the units row names it (lower case)
	unitsAs string // the unit as published, for messages
	periods int    // "year ending" phrases in the title
}

var specs = [...]tableSpec{
	tableP1: {"Table P1", "numbers", "Numbers", 1},
	tableP2: {"Table P2", "percentage change", "Percentage change", 2},
	tableP3: {"Table P3", "rate per 1,000 population", "Rate per 1,000 population", 1},
}

// Columns that are not offences, by the start of their header key
// (footnotes stripped, lower case).
var (
	// Skipped: the rate per 1,000 households is not a rate per 1,000
	// population and household figures are not figures of crime; group
	// columns label groups of columns in the row above the column names.
	skipColumns = []string{
		"residential burglary (households)",
		"household figures",
	}
	groupColumns = []string{
		"victim-based crime",
		"other crimes against society",
	}
	// Offence groupings datasets does not know yet: read when
	// ResolveSelector resolves them, skipped otherwise.
	unmappedColumns = []string{
		"death or serious injury - unlawful driving",
		"death or serious injury caused by unlawful driving",
	}
	// Misspellings in published headers, corrected before resolving.
	spellings = strings.NewReplacer("Residental", "Residential", "residental", "residential")
)

const (
	headerSearchRows = 20   // rows of a sheet searched for the column names
	maxTableRows     = 5000 // rows of a table sheet (the published ones have under 80)
	maxTableCols     = 200  // columns of a table (the published ones have 31)
	ctxEvery         = 64   // rows between checks of the context
	headerWant       = `a row of column names holding "Area Code" and "Area Name"`
	codeWant         = "an ONS area code (E, W or K and eight digits, footnote digits allowed)"
	dataWant         = "an area code or an area name"
	emptyWant        = "an empty cell or a marker: the column has no header"
	titleWant        = `a title naming the period, e.g. "year ending March 2019"`
	maxErrorValueLen = 120
)

// column is one offence column of a table.
type column struct {
	idx    int    // 0-based
	row    int    // the row its header is on
	header string // as published, white space collapsed
	label  string // Published.Offence
	marks  []int  // footnote numbers glued to the header
}

// dataRow is one area of a table, its figures aligned with table.cols.
type dataRow struct {
	row  int
	area datasets.Area
	name string // as published, cleaned
	pop  cellValue
	vals []cellValue
	// marks are the footnote numbers glued to the area code and name.
	marks []int
}

// table is one table sheet, parsed.
type table struct {
	kind      tableKind
	sheet     string // the sheet's name as in the workbook
	title     string
	titleRow  int
	periods   []titlePeriod
	headerRow int
	codeCol   int
	nameCol   int
	popCol    int // -1: none
	popHeader string
	cols      []column
	known     map[int]bool // columns with a header that are not offence columns
	rows      []dataRow
	stats     datasets.Stats
	// notes are the numbered footnotes below the data (number -> text,
	// white space collapsed). wideMarks are the footnote numbers on the
	// table as a whole (the title, the units row, the population and
	// column-group headers); unreadMarks those on columns not read
	// (household figures and rates per household).
	notes       map[int]string
	wideMarks   []int
	unreadMarks []int
}

// tableReader reads one table sheet row by row.
type tableReader struct {
	file   string
	t      *table
	seen   map[string]int // area code -> row
	blanks []blankCell    // offence cells of data rows that hold no value
}

// blankCell is an offence cell of a data row that holds no value: the
// figure t.rows[row].vals[col], at ref.
type blankCell struct {
	row, col int
	ref      string // "E12"
}

func (r *tableReader) err(row int, column, value, want string, err error) *datasets.RowError {
	if len(value) > maxErrorValueLen {
		value = value[:maxErrorValueLen]
	}
	return &datasets.RowError{File: r.file, Sheet: r.t.sheet, Row: row, Column: column, Value: value, Want: want, Err: err}
}

// readTable reads the sheet of one table: title, column names, units row,
// one row per area, then footnotes. Every row the sheet has, up to the last
// one holding anything, is counted in the table's Stats.
func readTable(ctx context.Context, f *excelize.File, file, sheet string, kind tableKind) (*table, error) {
	t := &table{kind: kind, sheet: sheet, codeCol: -1, nameCol: -1, popCol: -1, known: map[int]bool{}}
	r := &tableReader{file: file, t: t, seen: map[string]int{}}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("read %q sheet %q: %w", file, sheet, err)
	}
	defer rows.Close()
	const (
		beforeHeader = iota
		beforeUnits
		body
		footnotes
	)
	state := beforeHeader
	var above []string // the row just above the current one, when not blank
	raw := excelize.Options{RawCellValue: true}
	row := 0
	for rows.Next() {
		row++
		if row%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if row > maxTableRows {
			return nil, r.err(row, "", "", fmt.Sprintf("at most %d rows in a table", maxTableRows), datasets.ErrBadRow)
		}
		cells, err := rows.Columns(raw)
		if err != nil {
			return nil, r.err(row, "", "", "", fmt.Errorf("%w: %v", datasets.ErrBadRow, err))
		}
		if len(cells) > maxTableCols {
			return nil, r.err(row, colName(maxTableCols), "", fmt.Sprintf("at most %d columns", maxTableCols), datasets.ErrBadRow)
		}
		t.stats.Read++
		if blankRow(cells) {
			t.stats.Skip(SkipBlank, 1)
			above = nil
			continue
		}
		switch state {
		case beforeHeader:
			switch {
			case t.title == "":
				if err := r.title(row, cells); err != nil {
					return nil, err
				}
				t.stats.Skip(SkipHeading, 1)
				above = nil
				continue
			case isHeader(cells):
				if err := r.header(row, cells, above); err != nil {
					return nil, err
				}
				t.stats.Skip(SkipHeader, 1)
				state = beforeUnits
			case row >= headerSearchRows:
				return nil, r.err(row, "", "", headerWant,
					fmt.Errorf("%w: no column names in the first %d rows", datasets.ErrBadHeader, headerSearchRows))
			default:
				t.stats.Skip(SkipHeading, 1)
			}
		case beforeUnits:
			if err := r.units(row, cells); err != nil {
				return nil, err
			}
			t.stats.Skip(SkipUnits, 1)
			state = body
		case body:
			if r.isFootnote(cells) {
				t.stats.Skip(SkipFootnote, 1)
				t.footnote(cells)
				state = footnotes
				break
			}
			if err := r.data(row, cells); err != nil {
				return nil, err
			}
			t.stats.Used++
		case footnotes:
			t.stats.Skip(SkipFootnote, 1)
			t.footnote(cells)
		}
		above = cells
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("read %q sheet %q: %w", file, sheet, err)
	}
	// A cell with no value is a missing figure; its marker says where, and
	// whether it holds a formula saved without its result.
	for _, b := range r.blanks {
		formula, err := f.GetCellFormula(sheet, b.ref)
		t.rows[b.row].vals[b.col].marker = datasets.NoValueMarker(datasets.CellRef(sheet, b.ref), err == nil && formula != "")
	}
	switch {
	case t.title == "":
		return nil, r.err(0, "", "", titleWant, fmt.Errorf("%w: the sheet is empty", datasets.ErrBadHeader))
	case state == beforeHeader:
		return nil, r.err(0, "", "", headerWant, fmt.Errorf("%w: no column names", datasets.ErrBadHeader))
	case state == beforeUnits:
		return nil, r.err(t.headerRow, "", "", fmt.Sprintf("a units row saying %q below the column names", specs[kind].unitsAs),
			fmt.Errorf("%w: no units row", datasets.ErrBadHeader))
	case len(t.rows) == 0:
		return nil, r.err(0, "", "", "one row per area below the units row", fmt.Errorf("%w: no data rows", datasets.ErrBadRow))
	}
	return t, nil
}

// title takes the first non-blank row as the table's title, which must name
// the period.
func (r *tableReader) title(row int, cells []string) error {
	t := r.t
	for _, c := range cells {
		if c = cleanText(c); c != "" {
			t.title = c
			break
		}
	}
	t.titleRow = row
	t.periods = titlePeriods(t.title)
	if n := len(t.periods); n > 0 {
		t.wideMarks = append(t.wideMarks, leadingMarks(t.title[t.periods[n-1].pos:])...)
	}
	if want := specs[t.kind].periods; len(t.periods) != want {
		w := titleWant
		if want == 2 {
			w = `a title naming two periods, e.g. "year ending March 2018 compared with year ending March 2019"`
		}
		return r.err(row, "A", t.title, w, fmt.Errorf("%w: %d periods in the title", datasets.ErrBadMonth, len(t.periods)))
	}
	return nil
}

// isHeader reports whether a row holds the "Area Code" and "Area Name"
// column names.
func isHeader(cells []string) bool {
	var code, name bool
	for _, c := range cells {
		switch headerKey(c) {
		case "area code":
			code = true
		case "area name":
			name = true
		}
	}
	return code && name
}

// header classifies the columns. A column with no name in the header row
// takes the text of the group row above it, where Tables P1 and P2 put
// "Total recorded crime (excluding fraud)".
func (r *tableReader) header(row int, cells, group []string) error {
	t := r.t
	t.headerRow = row
	byLabel := map[string]int{}
	for j := range max(len(cells), len(group)) {
		text := cleanText(cell(cells, j))
		hrow := row
		if text == "" {
			text, hrow = cleanText(cell(group, j)), row-1
		}
		if text == "" {
			continue
		}
		key := headerKey(text)
		switch {
		case key == "area code":
			t.codeCol = j
			continue
		case key == "area name":
			t.nameCol = j
			continue
		case strings.HasPrefix(key, "population"):
			t.popCol, t.popHeader = j, text
			t.wideMarks = append(t.wideMarks, gluedMarks(text)...)
			continue
		case hasPrefix(key, groupColumns):
			t.known[j] = true
			t.wideMarks = append(t.wideMarks, nameMarks(text)...)
			continue
		case hasPrefix(key, skipColumns):
			t.known[j] = true
			if strings.HasPrefix(key, "household figures") {
				t.unreadMarks = append(t.unreadMarks, gluedMarks(text)...)
			} else {
				t.unreadMarks = append(t.unreadMarks, nameMarks(text)...)
			}
			continue
		}
		sel, err := datasets.ResolveSelector(spellings.Replace(text))
		if err != nil {
			if hasPrefix(key, unmappedColumns) {
				t.known[j] = true
				t.unreadMarks = append(t.unreadMarks, nameMarks(text)...)
				continue
			}
			return r.err(hrow, colName(j), text, "an offence group, a known column (area code, area name, population, households) or nothing", err)
		}
		label := sel.LabelFor(datasets.SourceHomeOffice)
		if prev, dup := byLabel[label]; dup {
			return r.err(hrow, colName(j), text, "one column per offence",
				fmt.Errorf("%w: %q again (column %s is %q too)", datasets.ErrBadHeader, label, colName(prev), label))
		}
		byLabel[label] = j
		t.cols = append(t.cols, column{idx: j, row: hrow, header: text, label: label, marks: nameMarks(text)})
	}
	if len(t.cols) == 0 {
		return r.err(row, "", "", "at least one offence column", fmt.Errorf("%w: no offence columns", datasets.ErrNoSuchColumn))
	}
	return nil
}

func hasPrefix(key string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// units checks the first non-blank row below the column names: empty in the
// area code and name columns, with the table's unit in some cell.
func (r *tableReader) units(row int, cells []string) error {
	t := r.t
	spec := specs[t.kind]
	if strings.TrimSpace(cell(cells, t.codeCol)) == "" && strings.TrimSpace(cell(cells, t.nameCol)) == "" {
		for _, c := range cells {
			if strings.HasPrefix(headerKey(c), spec.unit) {
				t.wideMarks = append(t.wideMarks, nameMarks(c)...)
				return nil
			}
		}
	}
	first := 0
	for first < len(cells) && strings.TrimSpace(cells[first]) == "" {
		first++
	}
	return r.err(row, colName(first), cleanText(cell(cells, first)), fmt.Sprintf("a units row saying %q", spec.unitsAs),
		fmt.Errorf("%w: no units row below the column names", datasets.ErrBadHeader))
}

// isFootnote reports whether a row below the data is a note: text in the
// area code column that is not a code, and nothing under the area name.
func (r *tableReader) isFootnote(cells []string) bool {
	code := strings.TrimSpace(cell(cells, r.t.codeCol))
	if code == "" || strings.TrimSpace(cell(cells, r.t.nameCol)) != "" {
		return false
	}
	_, ok := splitAreaCode(code)
	return !ok
}

// data reads the row of one area.
func (r *tableReader) data(row int, cells []string) error {
	t := r.t
	codeText := strings.TrimSpace(cell(cells, t.codeCol))
	nameText := cell(cells, t.nameCol)
	name := cleanName(nameText)
	var area datasets.Area
	switch {
	case codeText != "":
		code, ok := splitAreaCode(codeText)
		if !ok {
			return r.err(row, r.colHeader(t.codeCol), codeText, codeWant, fmt.Errorf("%w: not an area code", datasets.ErrUnknownForce))
		}
		if area, ok = datasets.AreaByCode(code); !ok {
			return r.err(row, r.colHeader(t.codeCol), codeText, "the code of England and Wales, a country, an English region or a police force area",
				fmt.Errorf("%w: unknown area code %s", datasets.ErrUnknownForce, code))
		}
		// The name must not name another area: a shifted row would.
		if other, err := datasets.ResolveArea(name); name != "" && err == nil && other.Code != area.Code &&
			!strings.EqualFold(name, area.Name) {
			return r.err(row, r.colHeader(t.nameCol), nameText, fmt.Sprintf("the name of %s (%s)", code, area.Name),
				fmt.Errorf("%w: the area name is %s's (%s)", datasets.ErrBadRow, other.Name, other.Code))
		}
	case name != "":
		var err error
		if area, err = datasets.ResolveArea(name); err != nil {
			return r.err(row, r.colHeader(t.nameCol), nameText, "the name of a police force area, region or country", err)
		}
	default:
		return r.err(row, r.colHeader(t.nameCol), "", dataWant, fmt.Errorf("%w: figures with no area", datasets.ErrBadRow))
	}
	if prev, dup := r.seen[area.Code]; dup {
		return r.err(row, r.colHeader(t.nameCol), nameText, "one row per area",
			fmt.Errorf("%w: %s already on row %d", datasets.ErrBadRow, area.Name, prev))
	}
	r.seen[area.Code] = row
	if name == "" {
		name = area.Name
	}
	d := dataRow{row: row, area: area, name: name, vals: make([]cellValue, len(t.cols)), marks: nameMarks(nameText)}
	for i, c := range t.cols {
		v, err := r.figure(row, c.header, cell(cells, c.idx))
		if err != nil {
			return err
		}
		if !v.has && v.marker == "" {
			r.blanks = append(r.blanks, blankCell{row: len(t.rows), col: i, ref: colName(c.idx) + strconv.Itoa(row)})
		}
		d.vals[i] = v
	}
	if t.popCol >= 0 {
		v, err := r.population(row, cell(cells, t.popCol))
		if err != nil {
			return err
		}
		d.pop = v
	}
	// Nothing may stand under a column with no header.
	offence := make(map[int]bool, len(t.cols))
	for _, c := range t.cols {
		offence[c.idx] = true
	}
	for j, c := range cells {
		if j == t.codeCol || j == t.nameCol || j == t.popCol || offence[j] || t.known[j] {
			continue
		}
		// Greater Manchester's row of ".." runs through them.
		if t := strings.TrimSpace(c); t != "" && !markers[t] {
			return r.err(row, colName(j), c, emptyWant, fmt.Errorf("%w: a figure under no header", datasets.ErrBadRow))
		}
	}
	t.rows = append(t.rows, d)
	return nil
}

// colHeader names a column in errors: its header text, or its letter.
func (r *tableReader) colHeader(j int) string {
	for _, c := range r.t.cols {
		if c.idx == j {
			return c.header
		}
	}
	switch j {
	case r.t.codeCol:
		return "Area Code"
	case r.t.nameCol:
		return "Area Name"
	case r.t.popCol:
		return r.t.popHeader
	}
	return colName(j)
}

// figure reads one offence cell: a count (P1: a whole number, not
// negative), a percentage change (P2) or a rate (P3: not negative).
func (r *tableReader) figure(row int, header, s string) (cellValue, error) {
	v, ok := parseFigure(s)
	kind := r.t.kind
	switch {
	case !ok:
		want := markerWant
		if kind == tableP1 {
			want = `a whole number of offences or a marker ("..", "-" or "+")`
		}
		return v, r.err(row, header, s, want, datasets.ErrBadCount)
	case !v.has:
		return v, nil
	case kind == tableP1 && (!wholeNumber(v.num) || v.num < 0):
		return v, r.err(row, header, s, "a whole number of offences, not negative",
			fmt.Errorf("%w: %s is not a whole number of offences", datasets.ErrBadCount, s))
	case kind == tableP3 && v.num < 0:
		return v, r.err(row, header, s, "a rate per 1,000 population, not negative",
			fmt.Errorf("%w: negative rate", datasets.ErrBadCount))
	}
	return v, nil
}

// population reads the population column of Table P3.
func (r *tableReader) population(row int, s string) (cellValue, error) {
	v, ok := parseFigure(s)
	if !ok || v.has && (!wholeNumber(v.num) || v.num < 0) {
		return v, r.err(row, r.colHeader(r.t.popCol), s, `a population (a whole number) or a marker ("..")`, datasets.ErrBadCount)
	}
	return v, nil
}
