package homeoffice

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/workbook"
)

// Limits on xlsx input. A workbook is read into memory before it is opened.
const (
	MaxXLSXBytes     = 256 << 20 // the compressed workbook
	headerSearchRows = 20        // rows of each sheet searched for the header
)

// ReadCSV reads the Home Office open data table as CSV from r; name is how
// the user knows the input and appears in errors and in Extract.Name.
// The first record is the header; columns are found by name, so extra or
// reordered columns are fine. A byte order mark and CRLF line ends are
// accepted. A malformed row stops the read with a *datasets.RowError; a
// header with no data rows gives an empty Extract. ReadCSV stops soon after
// ctx is cancelled and returns ctx.Err().
func ReadCSV(ctx context.Context, name string, r io.Reader) (*datasets.Extract, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h := sha256.New()
	cr := csv.NewReader(io.TeeReader(r, h))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &datasets.RowError{File: name, Want: headerWant,
			Err: fmt.Errorf("%w: empty file", datasets.ErrBadHeader)}
	}
	if err != nil {
		return nil, csvErr(name, 1, err)
	}
	header = append([]string(nil), header...)
	idx, _, missing := matchHeader(header)
	if missing != "" {
		return nil, &datasets.RowError{File: name, Row: 1, Column: missing, Value: missing, Want: headerWant,
			Err: datasets.ErrNoSuchColumn}
	}
	if err := headerError(name, "", 1, header); err != nil {
		return nil, err
	}
	c := newConsumer(name, "", header, idx, false)
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvErr(name, row, err)
		}
		if row%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if err := c.consume(row, rec); err != nil {
			return nil, err
		}
	}
	if _, err := io.Copy(io.Discard, io.TeeReader(r, h)); err != nil {
		return nil, fmt.Errorf("read %q: %w", name, err)
	}
	return c.extract(name, hex.EncodeToString(h.Sum(nil))), nil
}

// csvErr turns a failure of encoding/csv into a RowError for record row.
func csvErr(name string, row int, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &datasets.RowError{File: name, Row: row, Want: "well-formed CSV",
			Err: fmt.Errorf("%w: %v", datasets.ErrBadRow, pe)}
	}
	return fmt.Errorf("read %q: %w", name, err)
}

// ReadXLSX reads the Home Office open data table from an xlsx workbook in r:
// the first sheet, in workbook order, that has the header row within its
// first 20 rows (title and blank rows above it are common). Rows below the
// header are read with excelize's streaming iterator; cells may be text or
// numbers. Row numbers in errors are the spreadsheet's own, and errors name
// the sheet. The workbook may be at most MaxXLSXBytes. Otherwise ReadXLSX
// behaves as ReadCSV.
func ReadXLSX(ctx context.Context, name string, r io.Reader) (*datasets.Extract, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, sum, err := workbook.Open(name, r, workbook.Limits{MaxBytes: MaxXLSXBytes})
	if err != nil {
		return nil, err
	}
	defer f.Close()

	// best remembers the closest miss, to report when no sheet has the header.
	var best struct {
		sheet   string
		row     int
		found   int
		missing string
	}
	best.found = -1
	for _, sheet := range f.GetSheetList() {
		ext, found, err := readSheet(ctx, f, name, sheet, hex.EncodeToString(sum[:]), func(row, n int, missing string) {
			if n > best.found {
				best.sheet, best.row, best.found, best.missing = sheet, row, n, missing
			}
		})
		if err != nil {
			return nil, err
		}
		if found {
			return ext, nil
		}
	}
	if best.found <= 0 {
		return nil, &datasets.RowError{File: name, Want: headerWant,
			Err: fmt.Errorf("%w: no sheet has the header in its first %d rows", datasets.ErrBadHeader, headerSearchRows)}
	}
	return nil, &datasets.RowError{File: name, Sheet: best.sheet, Row: best.row, Column: best.missing, Value: best.missing,
		Want: headerWant, Err: datasets.ErrNoSuchColumn}
}

// readSheet looks for the header in the first rows of sheet and, when it is
// there, reads the table below it. miss is told of each header candidate
// that lacks a column.
func readSheet(ctx context.Context, f *excelize.File, name, sheet, sum string,
	miss func(row, found int, missing string)) (*datasets.Extract, bool, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, false, fmt.Errorf("read %q sheet %q: %w", name, sheet, err)
	}
	defer rows.Close()
	raw := excelize.Options{RawCellValue: true}
	var c *consumer
	for row := 1; rows.Next(); row++ {
		cols, err := rows.Columns(raw)
		if err != nil {
			return nil, false, &datasets.RowError{File: name, Sheet: sheet, Row: row,
				Err: fmt.Errorf("%w: %v", datasets.ErrBadRow, err)}
		}
		if c == nil {
			if row > headerSearchRows {
				return nil, false, nil
			}
			idx, n, missing := matchHeader(cols)
			if missing != "" {
				miss(row, n, missing)
				continue
			}
			if err := headerError(name, sheet, row, cols); err != nil {
				return nil, false, err
			}
			c = newConsumer(name, sheet, cols, idx, true)
			continue
		}
		if row%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, false, err
			}
		}
		if err := c.consume(row, cols); err != nil {
			return nil, false, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, false, fmt.Errorf("read %q sheet %q: %w", name, sheet, err)
	}
	if c == nil {
		return nil, false, nil
	}
	return c.extract(name, sum), true, nil
}
