package force

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/workbook"
)

// Source is the source name of counts made from force extracts.
const Source = datasets.SourceForce

// Sentinel errors of this package, wrapped by RowError. Each wraps a
// datasets sentinel, so errors.Is matches either.
var (
	ErrBadDate            error = &sentinel{"not a date", datasets.ErrBadMonth}
	ErrAfterExtract       error = &sentinel{"recorded after the extract was taken", datasets.ErrBadMonth}
	ErrNoExtractDate      error = &sentinel{"no extract date", datasets.ErrBadMonth}
	ErrNoReference        error = &sentinel{"empty crime reference", datasets.ErrBadRow}
	ErrDuplicateReference error = &sentinel{"crime reference repeated with different values", datasets.ErrBadRow}
	ErrNoSuchSheet        error = &sentinel{"no such sheet", datasets.ErrBadHeader}
)

// sentinel is an error with its own message that matches a datasets one.
type sentinel struct {
	msg  string
	base error
}

func (e *sentinel) Error() string { return e.msg }
func (e *sentinel) Unwrap() error { return e.base }

// Reasons for skipped rows in Extract.Stats.
const (
	SkipBlank     = "blank row"
	SkipDuplicate = "repeated crime reference (identical row)"
)

// Limits on xlsx input. A workbook is read into memory before it is opened.
const (
	MaxXLSXBytes     = 256 << 20 // the compressed workbook
	headerSearchRows = 20        // rows of an xlsx sheet searched for the header
	ctxEvery         = 1024      // rows between checks of the context
)

// Record is one crime record of an extract as the extract holds it.
type Record struct {
	Reference string         // the crime reference, trimmed
	Recorded  time.Time      // the recorded date, at midnight UTC
	Month     datasets.Month // the month of Recorded
	Code      string         // Home Office offence code, after the crosswalk
	AreaCode  string         // ONS code of the record's force (or datasets.CodeBTP)
	Outcome   string         // the outcome cell, trimmed; "" when not mapped
	Cancelled bool           // Outcome is one of Mapping.Cancelled
	Row       int            // the row it was read from
}

// Extract is one force extract read by ReadCSV or ReadXLSX.
type Extract struct {
	Name   string    // the input's name as the user knows it
	SHA256 string    // hex digest of the input's bytes
	Taken  time.Time // the date the extract was taken, at midnight UTC
	// Force is the ONS code of the extract's force: Mapping.Force when set,
	// else the one force of all the records, else "" (several or none).
	Force string
	// Records holds one record per force and crime reference, in input
	// order. A reference repeated within the extract with identical mapped
	// values (recorded date, offence code, force, outcome) is skipped and
	// counted in Stats under SkipDuplicate; with any other difference it
	// is an ErrDuplicateReference error.
	Records []Record
	// Stats accounts for every data row: Used is len(Records); blank rows
	// and identical repeats are Skipped; Rejected is always 0, since a bad
	// row stops the read.
	Stats datasets.Stats
}

// ReadCSV reads a force extract from r as CSV, with the columns m names;
// name is how the user knows the input (it appears in errors and
// Extract.Name, and may give the extract date). cw maps local offence codes
// and may be nil. The first record is the header; a byte order mark is
// dropped. Dates are parsed with m.DateFormat only (Excel serials only when
// it is "excel"). The first bad row stops the read with a
// *datasets.RowError; an invalid mapping is a plain error. A header with no
// rows gives an empty Extract. On cancellation ReadCSV returns ctx.Err().
func ReadCSV(ctx context.Context, name string, r io.Reader, m Mapping, cw Crosswalk) (*Extract, error) {
	rd, err := newReader(ctx, name, "", m, cw)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	cr := csv.NewReader(io.TeeReader(r, h))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &datasets.RowError{File: name, Want: rd.headerWant(),
			Err: fmt.Errorf("%w: empty file", datasets.ErrBadHeader)}
	}
	if err != nil {
		return nil, csvErr(name, 1, err)
	}
	if _, col, err := rd.header(header); err != nil {
		return nil, &datasets.RowError{File: name, Row: 1, Column: col, Value: col, Want: rd.headerWant(), Err: err}
	}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(name, row, err)
		}
		if err := rd.consume(row, rec); err != nil {
			return nil, err
		}
	}
	if _, err := io.Copy(io.Discard, io.TeeReader(r, h)); err != nil {
		return nil, fmt.Errorf("read %q: %w", name, err)
	}
	return rd.finish(hex.EncodeToString(h.Sum(nil))), nil
}

// ReadXLSX reads a force extract from an xlsx workbook in r: the sheet
// m.Sheet, or the first sheet. The header is the first row, within the
// sheet's first 20, that names every mapped column (title rows above it are
// passed over and not counted). Cells are read raw, so a date cell is its
// serial number, which is accepted whatever m.DateFormat says; text dates
// follow m.DateFormat. Row numbers in errors are the sheet's own. The
// workbook may be at most MaxXLSXBytes. Otherwise it behaves as ReadCSV.
func ReadXLSX(ctx context.Context, name string, r io.Reader, m Mapping, cw Crosswalk) (*Extract, error) {
	rd, err := newReader(ctx, name, "", m, cw)
	if err != nil {
		return nil, err
	}
	f, sum, err := workbook.Open(name, r, workbook.Limits{MaxBytes: MaxXLSXBytes})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	sheet := strings.TrimSpace(m.Sheet)
	if sheet == "" && len(sheets) > 0 {
		sheet = sheets[0]
	}
	if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 || sheet == "" {
		return nil, &datasets.RowError{File: name, Sheet: sheet, Err: ErrNoSuchSheet,
			Want: fmt.Sprintf("one of the sheets %q", sheets)}
	}
	rd.sheet, rd.numeric = sheet, true
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		rd.date1904 = *props.Date1904
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("read %q sheet %q: %w", name, sheet, err)
	}
	defer rows.Close()
	raw := excelize.Options{RawCellValue: true}
	// Until the header is found, best is the row that names the most mapped
	// columns, and bestCol the first column it lacks.
	headerRow, best, bestFound, bestCol := 0, 1, -1, rd.columns[fieldReference]
	for row := 1; rows.Next(); row++ {
		cols, err := rows.Columns(raw)
		if err != nil {
			return nil, &datasets.RowError{File: name, Sheet: sheet, Row: row, Err: fmt.Errorf("%w: %v", datasets.ErrBadRow, err)}
		}
		if headerRow > 0 {
			if err := rd.consume(row, cols); err != nil {
				return nil, err
			}
			continue
		}
		found, col, err := rd.header(cols)
		switch {
		case err == nil:
			headerRow = row
		case errors.Is(err, datasets.ErrBadHeader):
			return nil, &datasets.RowError{File: name, Sheet: sheet, Row: row, Column: col, Value: col, Want: rd.headerWant(), Err: err}
		case found > bestFound:
			best, bestFound, bestCol = row, found, col
		}
		if headerRow == 0 && row >= headerSearchRows {
			break
		}
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("read %q sheet %q: %w", name, sheet, err)
	}
	if headerRow == 0 {
		return nil, &datasets.RowError{File: name, Sheet: sheet, Row: best, Column: bestCol, Value: bestCol,
			Want: rd.headerWant(), Err: datasets.ErrNoSuchColumn}
	}
	return rd.finish(hex.EncodeToString(sum[:])), nil
}

// reader turns data rows, from either tokeniser, into an Extract.
type reader struct {
	*compiled
	ctx               context.Context
	file, sheet       string
	cw                Crosswalk
	numeric, date1904 bool
	idx               [nFields]int    // column index per field; -1 when not mapped
	names             [nFields]string // header text as written, for RowError.Column
	forces            map[string]string
	byKey             map[recordKey]int // index into ext.Records
	ext               Extract
}

type recordKey struct{ area, ref string }

func newReader(ctx context.Context, name, sheet string, m Mapping, cw Crosswalk) (*reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := m.compile()
	if err != nil {
		return nil, err
	}
	rd := &reader{compiled: c, ctx: ctx, file: name, sheet: sheet, cw: cw,
		forces: map[string]string{}, byKey: map[recordKey]int{}}
	rd.ext.Name, rd.ext.Taken = name, c.taken
	if rd.ext.Taken.IsZero() {
		if rd.ext.Taken, err = dateFromName(name); err != nil {
			return nil, &datasets.RowError{File: name, Err: err,
				Want: "extract_date in the mapping, or one date written YYYY-MM-DD or YYYYMMDD in the file name"}
		}
	}
	return rd, nil
}

// digitRuns finds runs of digits joined by hyphens in a file name.
var digitRuns = regexp.MustCompile(`[0-9]+(?:-[0-9]+)*`)

// dateFromName finds the one date, YYYY-MM-DD or YYYYMMDD, in the last
// element of a file name.
func dateFromName(name string) (time.Time, error) {
	base := name[strings.LastIndexAny(name, `/\!`)+1:]
	var found time.Time
	for _, run := range digitRuns.FindAllString(base, -1) {
		parts := strings.Split(run, "-")
		for i, p := range parts {
			if len(p) == 4 && i+2 < len(parts) && len(parts[i+1]) == 2 && len(parts[i+2]) == 2 {
				p += parts[i+1] + parts[i+2]
			}
			t, err := time.Parse("20060102", p)
			if len(p) != 8 || err != nil || t.Year() < 1900 || t.Year() > 2999 {
				continue
			}
			if !found.IsZero() && !t.Equal(found) {
				return time.Time{}, &sentinel{"the file name holds two dates", ErrNoExtractDate}
			}
			found = t
		}
	}
	if found.IsZero() {
		return time.Time{}, ErrNoExtractDate
	}
	return found, nil
}

func (rd *reader) headerWant() string {
	var cols []string
	for _, c := range rd.columns {
		if c != "" {
			cols = append(cols, fmt.Sprintf("%q", c))
		}
	}
	return "a header naming " + strings.Join(cols, ", ")
}

// header finds the mapped columns in a header row. It returns how many were
// found and, on error, the column at fault: the first missing one
// (ErrNoSuchColumn) or one named twice (ErrBadHeader).
func (rd *reader) header(rec []string) (int, string, error) {
	found := 0
	for f, want := range rd.columns {
		rd.idx[f] = -1
		for j, h := range rec {
			if want == "" || normHeader(h) != normHeader(want) {
				continue
			}
			if rd.idx[f] >= 0 {
				return found, want, fmt.Errorf("%w: column named twice", datasets.ErrBadHeader)
			}
			rd.idx[f], rd.names[f] = j, strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
			found++
		}
	}
	for f, want := range rd.columns {
		if want != "" && rd.idx[f] < 0 {
			return found, want, datasets.ErrNoSuchColumn
		}
	}
	return found, "", nil
}

func (rd *reader) rowErr(row, field int, value, want string, err error) error {
	return &datasets.RowError{File: rd.file, Sheet: rd.sheet, Row: row, Column: rd.names[field], Value: value, Want: want, Err: err}
}

// consume handles one data row; row is its 1-based number in the input.
func (rd *reader) consume(row int, rec []string) error {
	if row%ctxEvery == 0 {
		if err := rd.ctx.Err(); err != nil {
			return err
		}
	}
	st := &rd.ext.Stats
	st.Read++
	if strings.TrimSpace(strings.Join(rec, "")) == "" {
		st.Skip(SkipBlank, 1)
		return nil
	}
	get := func(f int) string { return strings.TrimSpace(cell(rec, rd.idx[f])) }
	rc := Record{Reference: get(fieldReference), Outcome: get(fieldOutcome), Row: row}
	if rc.Reference == "" {
		return rd.rowErr(row, fieldReference, "", "a crime reference", ErrNoReference)
	}
	v := get(fieldRecorded)
	t, ok := rd.date.parse(v, rd.numeric, rd.date1904)
	if !ok {
		want := rd.date.want
		if rd.numeric && rd.date.layout != "" {
			want += ", or a date cell"
		}
		return rd.rowErr(row, fieldRecorded, v, want, ErrBadDate)
	}
	if t.After(rd.ext.Taken) {
		return rd.rowErr(row, fieldRecorded, v, fmt.Sprintf("a date on or before the extract date %s (set extract_date if that is wrong)",
			rd.ext.Taken.Format(time.DateOnly)), ErrAfterExtract)
	}
	rc.Recorded, rc.Month = t, datasets.MonthOf(t.Year(), int(t.Month()))
	if rc.Code, ok = rd.offence(get(fieldOffence)); !ok {
		return rd.offenceErr(row, get(fieldOffence))
	}
	if rc.AreaCode = rd.force; rd.idx[fieldForce] >= 0 && get(fieldForce) != "" {
		name := get(fieldForce)
		code, ok := rd.forces[name]
		if !ok {
			a, err := datasets.ResolveForce(name)
			if err != nil {
				return rd.rowErr(row, fieldForce, name, "a police force of England and Wales (name or ONS code)", err)
			}
			code, rd.forces[name] = a.Code, a.Code
		}
		rc.AreaCode = code
	}
	if rc.AreaCode == "" {
		return rd.rowErr(row, fieldForce, "", "a police force (or set force in the mapping)", datasets.ErrUnknownForce)
	}
	rc.Cancelled = rd.cancelled[foldValue(rc.Outcome)]
	k := recordKey{rc.AreaCode, rc.Reference}
	if i, ok := rd.byKey[k]; ok {
		p := rd.ext.Records[i]
		if p.Recorded.Equal(rc.Recorded) && p.Code == rc.Code && p.Outcome == rc.Outcome {
			st.Skip(SkipDuplicate, 1)
			return nil
		}
		return rd.rowErr(row, fieldReference, rc.Reference,
			fmt.Sprintf("each crime reference once per extract (also on row %d with other values)", p.Row), ErrDuplicateReference)
	}
	rd.byKey[k] = len(rd.ext.Records)
	rd.ext.Records = append(rd.ext.Records, rc)
	st.Used++
	return nil
}

// offence maps an offence cell to a Home Office code: the crosswalk first,
// then the Home Office codes themselves.
func (rd *reader) offence(v string) (string, bool) {
	if ho, ok := rd.cw.Lookup(v); ok {
		return homeOfficeCode(ho)
	}
	return homeOfficeCode(v)
}

func (rd *reader) offenceErr(row int, v string) error {
	want := "a Home Office offence code such as 8Q or 37.2"
	switch ho, ok := rd.cw.Lookup(v); {
	case ok:
		want = fmt.Sprintf("a crosswalk target that is a Home Office offence code, not %q", ho)
	case v == "":
		want = "an offence code"
	case len(rd.cw) > 0:
		want += ", or a local code listed in the crosswalk"
	case !hoShape.MatchString(v):
		want += fmt.Sprintf(" (%q looks like a local code: map local codes to Home Office codes with a crosswalk file, local_code,ho_code)", v)
	}
	return rd.rowErr(row, fieldOffence, v, want, datasets.ErrUnknownOffence)
}

func (rd *reader) finish(sum string) *Extract {
	ext := rd.ext
	ext.SHA256 = sum
	ext.Force = rd.force
	if ext.Force == "" && len(ext.Records) > 0 {
		ext.Force = ext.Records[0].AreaCode
		for _, r := range ext.Records {
			if r.AreaCode != ext.Force {
				ext.Force = ""
				break
			}
		}
	}
	return &ext
}
