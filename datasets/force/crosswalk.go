package force

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// Crosswalk maps a force's local offence classification codes to Home Office
// offence codes. ReadCrosswalk builds one with folded keys (upper case,
// spacing trimmed) and canonical Home Office codes as values; use Lookup,
// which also accepts a hand-built map keyed as written. A nil Crosswalk
// maps nothing.
type Crosswalk map[string]string

// Lookup returns the Home Office code a local code maps to.
func (c Crosswalk) Lookup(local string) (string, bool) {
	t := strings.TrimSpace(local)
	if ho, ok := c[t]; ok {
		return ho, true
	}
	ho, ok := c[foldCode(t)]
	return ho, ok
}

func foldCode(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }

// ReadCrosswalk reads a crosswalk CSV whose header names the columns
// local_code and ho_code (in any order, case and spacing ignored; other
// columns, such as a description, are ignored). Every ho_code must be a
// Home Office offence code (datasets.OffenceByCode; a component of a
// composite code such as "4.1" of "1/4.1/4.10/4.2" maps to the composite).
// A local code listed twice with the same target is accepted; with
// different targets it is an error. Blank lines are skipped. Errors are
// *datasets.RowError values naming the file, row and column.
func ReadCrosswalk(name string, r io.Reader) (Crosswalk, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &datasets.RowError{File: name, Want: "a header local_code,ho_code",
			Err: fmt.Errorf("%w: empty file", datasets.ErrBadHeader)}
	}
	if err != nil {
		return nil, csvErr(name, 1, err)
	}
	local, ho := -1, -1
	for i, h := range header {
		switch normHeader(h) {
		case "local code":
			local = i
		case "ho code":
			ho = i
		}
	}
	missing := ""
	if ho < 0 {
		missing = "ho_code"
	}
	if local < 0 {
		missing = "local_code"
	}
	if missing != "" {
		return nil, &datasets.RowError{File: name, Row: 1, Column: missing, Value: missing,
			Want: "a header naming local_code and ho_code", Err: datasets.ErrNoSuchColumn}
	}
	cw := Crosswalk{}
	firstRow := map[string]int{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return cw, nil
		}
		if err != nil {
			return nil, csvErr(name, row, err)
		}
		l, h := strings.TrimSpace(cell(rec, local)), strings.TrimSpace(cell(rec, ho))
		if l == "" && h == "" {
			continue
		}
		if l == "" {
			return nil, &datasets.RowError{File: name, Row: row, Column: header[local], Want: "a local offence code",
				Err: fmt.Errorf("%w: empty local code", datasets.ErrBadRow)}
		}
		code, ok := homeOfficeCode(h)
		if !ok {
			return nil, &datasets.RowError{File: name, Row: row, Column: header[ho], Value: h,
				Want: "a Home Office offence code such as 8Q or 37.2", Err: datasets.ErrUnknownOffence}
		}
		k := foldCode(l)
		if prev, ok := cw[k]; ok && prev != code {
			return nil, &datasets.RowError{File: name, Row: row, Column: header[local], Value: l,
				Want: fmt.Sprintf("one Home Office code per local code (row %d maps it to %s, this row to %s)", firstRow[k], prev, code),
				Err:  fmt.Errorf("%w: local code mapped twice", datasets.ErrBadRow)}
		}
		if _, ok := cw[k]; !ok {
			cw[k], firstRow[k] = code, row
		}
	}
}

// hoIndex maps each Home Office code, upper-cased, and each component of a
// composite code to the code as datasets spells it.
var hoIndex = func() map[string]string {
	idx := map[string]string{}
	for _, o := range datasets.Offences() {
		for _, part := range strings.Split(o.Code, "/") {
			if _, ok := idx[strings.ToUpper(part)]; !ok {
				idx[strings.ToUpper(part)] = o.Code
			}
		}
		idx[strings.ToUpper(o.Code)] = o.Code
	}
	return idx
}()

// homeOfficeCode finds a Home Office offence code in any case.
func homeOfficeCode(s string) (string, bool) {
	c, ok := hoIndex[strings.ToUpper(strings.TrimSpace(s))]
	return c, ok
}

// hoShape matches strings written like Home Office codes ("8Q", "37.2", "1/4.1").
var hoShape = regexp.MustCompile(`^[0-9]{1,3}[A-Za-z]?(\.[0-9]{1,2})?(/[0-9]{1,3}[A-Za-z]?(\.[0-9]{1,2})?)*$`)

// cell returns rec[i], or "" when the record is too short or i < 0.
func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
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
