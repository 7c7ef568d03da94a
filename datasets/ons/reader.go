package ons

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/workbook"
)

// Limits on input. A workbook is read into memory before it is opened; the
// published ones are about 200 KB and unzip to a few MB.
const (
	MaxBytes          = 32 << 20  // the compressed workbook
	unzipSizeLimit    = 256 << 20 // all parts, unzipped (as declared in the zip directory)
	unzipXMLSizeLimit = 32 << 20  // one worksheet or the shared strings in memory; larger ones spill to disk
)

// Release is one ONS PFA data tables workbook, read: one Published row per
// area and offence group, sorted by area code and offence.
type Release struct {
	ID        string         // e.g. "ons-pfa-2019-03", "ons-pfa-2018-06-corrected", "ons-pfa-2018-03-v2"
	File      string         // the name the workbook was read under
	PeriodEnd datasets.Month // the last month of the 12 the release covers, from the title of Table P1
	Title     string         // the title of Table P1, white space collapsed, footnote digits removed
	Rows      []datasets.Published
	// Notes are the footnotes that bear on every figure of the release,
	// prefixed with their tables as Published.Footnotes are ("Tables P1, P2
	// and P3: Police recorded crime data are not designated as National
	// Statistics."), in table then number order.
	Notes  []string
	Stats  datasets.Stats // every row of Tables P1, P2 and P3: Used counts the area rows of all three
	SHA256 string         // hex digest of the workbook's bytes
}

// ReleaseNotes are the release's Notes as the store keeps them.
func (rel *Release) ReleaseNotes() []datasets.ReleaseNote {
	if len(rel.Notes) == 0 {
		return nil
	}
	out := make([]datasets.ReleaseNote, len(rel.Notes))
	for i, n := range rel.Notes {
		out[i] = datasets.ReleaseNote{Release: rel.ID, Text: n}
	}
	return out
}

// ReadPFA reads one ONS PFA data tables workbook (xlsx) from r: Tables P1
// (counts), P2 (percentage change on the previous year) and P3 (rates per
// 1,000, with population) for every row (forces, regions, countries,
// England and Wales, BTP) and every offence group column, merged into one
// Published per area x offence. name is how the user knows the input; it
// appears in errors and in Release.File and decides the release ID's suffix
// (see the package comment).
//
// Every area and offence column of Tables P2 and P3 must be in Table P1; an
// area of P1 that P2 or P3 lacks has no figure there. Malformed input stops
// the read with a *datasets.RowError. The workbook may be at most MaxBytes.
// ReadPFA stops soon after ctx is cancelled and returns ctx.Err().
func ReadPFA(ctx context.Context, name string, r io.Reader) (*Release, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, sum, err := workbook.Open(name, r, workbook.Limits{MaxBytes: MaxBytes, MaxUnzip: unzipSizeLimit, MaxXMLMem: unzipXMLSizeLimit})
	if err != nil {
		return nil, err
	}
	defer f.Close()

	sheets := f.GetSheetList()
	var tabs [len(specs)]*table
	for kind, spec := range specs {
		sheet, ok := findSheet(sheets, spec.sheet)
		if !ok {
			return nil, missingSheet(ctx, f, name, spec.sheet, sheets)
		}
		if tabs[kind], err = readTable(ctx, f, name, sheet, tableKind(kind)); err != nil {
			return nil, err
		}
	}
	p1, p2, p3 := tabs[tableP1], tabs[tableP2], tabs[tableP3]

	// The title of P1 names the period; P2 must compare it with the year
	// before and P3 must name it too.
	end := p1.periods[0].end
	if a, b := p2.periods[0].end, p2.periods[1].end; !(a == end && b == end.Add(-12) || b == end && a == end.Add(-12)) {
		return nil, &datasets.RowError{File: name, Sheet: p2.sheet, Row: p2.titleRow, Column: "A", Value: p2.title,
			Want: fmt.Sprintf("the years ending %s and %s (Table P1's period and the year before)", end.Add(-12).Label(), end.Label()),
			Err:  fmt.Errorf("%w: the title compares %s with %s", datasets.ErrBadMonth, a.Label(), b.Label())}
	}
	if got := p3.periods[0].end; got != end {
		return nil, &datasets.RowError{File: name, Sheet: p3.sheet, Row: p3.titleRow, Column: "A", Value: p3.title,
			Want: fmt.Sprintf("the year ending %s (Table P1's period)", end.Label()),
			Err:  fmt.Errorf("%w: the title names the year ending %s", datasets.ErrBadMonth, got.Label())}
	}

	rel := &Release{
		ID:        releaseID(name, end),
		File:      name,
		PeriodEnd: end,
		Title:     cleanText(p1.title[:p1.periods[0].pos]),
		SHA256:    hex.EncodeToString(sum[:]),
	}
	if err := rel.merge(p1, p2, p3); err != nil {
		return nil, err
	}
	for _, t := range tabs {
		rel.Stats.Add(t.stats)
	}
	return rel, nil
}

// MissingSheetError is ReadPFA's error for a workbook that is an ONS
// release by its content but lacks one of the tables it reads, typically
// because a sheet was renamed.
type MissingSheetError struct {
	File    string
	Sheet   string   // the table's sheet name, "Table P1"
	Sheets  []string // the sheets the workbook has
	Renamed string   // a sheet whose title is the missing table's ("Table P1: Police recorded crime ..."), or ""
}

func (e *MissingSheetError) Error() string {
	fix := "ingest the workbook as ONS published it, with its Tables P1, P2 and P3 under those names"
	if e.Renamed != "" {
		fix = fmt.Sprintf("sheet %q has the title of %s: rename it %q in Excel or LibreOffice, or ingest the workbook as ONS published it",
			e.Renamed, e.Sheet, e.Sheet)
	}
	quoted := make([]string, len(e.Sheets))
	for i, s := range e.Sheets {
		quoted[i] = strconv.Quote(s)
	}
	return fmt.Sprintf("%q: an ONS Police Force Area workbook, but it has no sheet %q (sheets: %s): %s",
		e.File, e.Sheet, strings.Join(quoted, ", "), fix)
}

// Unwrap makes the error match datasets.ErrNoSuchSheet.
func (e *MissingSheetError) Unwrap() error { return datasets.ErrNoSuchSheet }

// missingSheet is the error for a missing table: it looks for the sheet
// whose title names the table (the first non-blank cell of its first rows
// starting "Table P1"), which is the table renamed.
func missingSheet(ctx context.Context, f *excelize.File, name, want string, sheets []string) error {
	e := &MissingSheetError{File: name, Sheet: want, Sheets: sheets}
	prefix := strings.ToLower(want)
	for _, s := range sheets {
		if ctx.Err() != nil {
			break
		}
		if t := sheetTitle(f, s); strings.HasPrefix(strings.ToLower(t), prefix) &&
			(len(t) == len(prefix) || !unicode.IsDigit(rune(t[len(prefix)]))) {
			e.Renamed = s
			break
		}
	}
	return e
}

// sheetTitle is the first non-blank cell of a sheet's first rows, white
// space collapsed, or "".
func sheetTitle(f *excelize.File, sheet string) string {
	rows, err := f.Rows(sheet)
	if err != nil {
		return ""
	}
	defer rows.Close()
	for i := 0; i < headerSearchRows && rows.Next(); i++ {
		cells, err := rows.Columns()
		if err != nil {
			return ""
		}
		for _, c := range cells {
			if c = cleanText(c); c != "" {
				return c
			}
		}
	}
	return ""
}

// findSheet finds a sheet by name, ignoring case and surrounding spaces
// ("Table P1 " is "Table P1").
func findSheet(sheets []string, want string) (string, bool) {
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), want) {
			return s, true
		}
	}
	return "", false
}

// merge builds one Published per area and offence of P1 and fills in the
// figures of P2 and P3.
func (rel *Release) merge(p1, p2, p3 *table) error {
	type key struct{ code, offence string }
	at := make(map[key]int, len(p1.rows)*len(p1.cols))
	inP1 := make(map[string]bool, len(p1.cols))
	for _, c := range p1.cols {
		inP1[c.label] = true
	}
	rows := make([]datasets.Published, 0, len(p1.rows)*len(p1.cols))
	for _, d := range p1.rows {
		for i, c := range p1.cols {
			v := d.vals[i]
			p := datasets.Published{
				Release: rel.ID, File: rel.File, AreaCode: d.area.Code, AreaName: d.name, Offence: c.label,
				PeriodEnd: rel.PeriodEnd, Months: 12,
				HasCount: v.has, CountMarker: v.marker,
			}
			if v.has {
				p.Count = int64(v.num)
			}
			at[key{d.area.Code, c.label}] = len(rows)
			rows = append(rows, p)
		}
	}
	areas := make(map[string]bool, len(p1.rows))
	for _, d := range p1.rows {
		areas[d.area.Code] = true
	}
	for _, t := range []*table{p2, p3} {
		for _, c := range t.cols {
			if !inP1[c.label] {
				return &datasets.RowError{File: rel.File, Sheet: t.sheet, Row: c.row, Column: colName(c.idx), Value: c.header,
					Want: "an offence column of Table P1", Err: fmt.Errorf("%w: %q is not in Table P1", datasets.ErrBadHeader, c.label)}
			}
		}
		for _, d := range t.rows {
			if !areas[d.area.Code] {
				return &datasets.RowError{File: rel.File, Sheet: t.sheet, Row: d.row, Column: "Area Name", Value: d.name,
					Want: "an area of Table P1", Err: fmt.Errorf("%w: %s (%s) is not in Table P1", datasets.ErrBadRow, d.area.Name, d.area.Code)}
			}
			for i, c := range t.cols {
				p := &rows[at[key{d.area.Code, c.label}]]
				v := d.vals[i]
				if t.kind == tableP2 {
					p.HasPct, p.PctChange, p.PctMarker = v.has, v.num, v.marker
				} else {
					p.HasRate, p.Rate, p.RateMarker = v.has, v.num, v.marker
				}
			}
			if t.kind == tableP3 && d.pop.has {
				for _, c := range p1.cols {
					rows[at[key{d.area.Code, c.label}]].Population = int64(d.pop.num)
				}
			}
		}
	}
	rel.notes(rows, func(code, label string) int { return at[key{code, label}] }, p1, p2, p3)
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].AreaCode != rows[j].AreaCode {
			return rows[i].AreaCode < rows[j].AreaCode
		}
		return rows[i].Offence < rows[j].Offence
	})
	rel.Rows = rows
	return nil
}

// notes sets the Footnotes of rows (the row of an area and offence is
// rows[at(code, label)]) from the notes of the tables, in table then number
// order, and the release's Notes from those that bear on every figure of
// their table.
func (rel *Release) notes(rows []datasets.Published, at func(code, label string) int, tabs ...*table) {
	pending := make([][]tableNote, len(rows))
	var wide []tableNote
	for _, t := range tabs {
		rules, all := t.noteRules()
		for _, n := range all {
			wide = append(wide, tableNote{t.kind, t.notes[n]})
		}
		for ri, d := range t.rows {
			for ci, c := range t.cols {
				i := at(d.area.Code, c.label)
				for k := range rules {
					if rules[k].applies(t, ri, ci) {
						pending[i] = append(pending[i], tableNote{t.kind, rules[k].text})
					}
				}
			}
		}
	}
	rel.Notes = mergeNotes(wide)
	// Rows with the same notes share one slice.
	shared := map[string][]string{}
	for i, p := range pending {
		if len(p) == 0 {
			continue
		}
		notes := mergeNotes(p)
		k := strings.Join(notes, "\n")
		if s, ok := shared[k]; ok {
			notes = s
		} else {
			shared[k] = notes
		}
		rows[i].Footnotes = notes
	}
}

// versionRE finds a version number at the end of a file name's stem
// ("...march2018v2").
var versionRE = regexp.MustCompile(`(?:^|[^a-z])v(\d+)$`)

// releaseID is "ons-pfa-" and the period end, with "-corrected" when the
// file name says "corrected" and "-vN" when it ends in a version N >= 2.
func releaseID(name string, end datasets.Month) string {
	base := name
	if i := strings.LastIndexAny(base, `/\!`); i >= 0 {
		base = base[i+1:]
	}
	base = strings.ToLower(base)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	base = strings.TrimSpace(base)
	id := "ons-pfa-" + end.String()
	if strings.Contains(base, "corrected") {
		id += "-corrected"
	}
	if m := versionRE.FindStringSubmatch(base); m != nil && strings.TrimLeft(m[1], "0") != "" && strings.TrimLeft(m[1], "0") != "1" {
		id += "-v" + strings.TrimLeft(m[1], "0")
	}
	return id
}
