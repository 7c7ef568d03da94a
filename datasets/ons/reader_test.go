package ons

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// unlawfulDriving reports whether datasets resolves the ONS "Death or
// serious injury - unlawful driving" column; until it does, the reader
// skips that column.
func unlawfulDriving() bool {
	_, err := datasets.ResolveSelector("Death or serious injury - unlawful driving")
	return err == nil
}

func readBytes(t testing.TB, name string, data []byte) (*Release, error) {
	t.Helper()
	return ReadPFA(context.Background(), name, bytes.NewReader(data))
}

func TestReadSmall(t *testing.T) {
	data := buildXLSX(t, smallSheets())
	rel, err := readBytes(t, "dir/small.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if rel.ID != "ons-pfa-2019-03" || rel.File != "dir/small.xlsx" || rel.PeriodEnd != datasets.MonthOf(2019, 3) || rel.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("ID, File, PeriodEnd, SHA256 = %q, %q, %v, %s", rel.ID, rel.File, rel.PeriodEnd, rel.SHA256)
	}
	if want := "Table P1: Police recorded crime by offence group and police force area, English regions and Wales, number of offences, year ending March 2019"; rel.Title != want {
		t.Errorf("Title = %q, want %q", rel.Title, want)
	}
	// P1: 12 rows, P2: 11, P3: 12 (see smallSheets).
	wantStats := datasets.Stats{Read: 35, Used: 8, Skipped: map[string]int64{
		SkipHeading: 8, SkipBlank: 4, SkipHeader: 3, SkipUnits: 3, SkipFootnote: 9}}
	if !reflect.DeepEqual(rel.Stats, wantStats) || !rel.Stats.Balanced() {
		t.Errorf("Stats = %+v, want %+v", rel.Stats, wantStats)
	}

	const sh, total = "Stalking and harassment", "Total recorded crime (excluding fraud)"
	base := datasets.Published{Release: "ons-pfa-2019-03", File: "dir/small.xlsx", PeriodEnd: datasets.MonthOf(2019, 3), Months: 12}
	row := func(code, name, offence string, count int64, pct, rate float64, pop int64) datasets.Published {
		p := base
		p.AreaCode, p.AreaName, p.Offence = code, name, offence
		p.HasCount, p.Count = true, count
		p.HasPct, p.PctChange = true, pct
		p.HasRate, p.Rate, p.Population = true, rate, pop
		return p
	}
	// Hand-checked against smallSheets: P1's note 4 is on the stalking and
	// harassment header, P2's note 6 on England and Wales's name.
	noteSH := "Table P1: From the year ending June 2017 'Stalking and harassment' and 'Death or serious injury caused by illegal driving' " +
		"offences have been removed from the violence with and without injury sub-categories and now form separate sub categories " +
		"within the violence against the person category."
	noteEW := "Table P2: Total percentage change for England and Wales includes offences recorded by British Transport Police."
	btpSH := row(datasets.CodeBTP, "British Transport Police", sh, 273, 58.4507042253521, 0, 0)
	btpSH.HasRate = false
	btpSH.Footnotes = []string{noteSH}
	btpTotal := row(datasets.CodeBTP, "British Transport Police", total, 66613, 0, 0, 0)
	btpTotal.HasPct, btpTotal.PctMarker, btpTotal.HasRate = false, "..", false
	wiltsSH := row("E23000038", "Wiltshire", sh, 2697, 42.2468354430380, 3.76462508689207, 716400)
	wiltsSH.Footnotes = []string{noteSH}
	ewSH := row("K04000001", "ENGLAND AND WALES", sh, 444054, 50.0446024301567, 7.55906139109479, 58744600)
	ewSH.Footnotes = []string{noteSH, noteEW}
	ewTotal := row("K04000001", "ENGLAND AND WALES", total, 5257081, 7.70405013846426, 89.4904629098218, 58744600)
	ewTotal.Footnotes = []string{noteEW}
	want := []datasets.Published{
		btpSH,
		btpTotal,
		wiltsSH,
		row("E23000038", "Wiltshire", total, 43246, -1.5, 60.3657174762702, 716400),
		ewSH,
		ewTotal,
	}
	// The notes on every figure of their tables: P1's and P3's note 1 (on
	// P1's title and on nothing in P3), P3's note 3 (on the population
	// header). P3's note 4 is only on the household figures, not read.
	wantNotes := []string{
		"Tables P1 and P3: Police recorded crime data are not designated as National Statistics.",
		"Table P3: Based on mid-2017 population estimates for England and Wales.",
	}
	if !reflect.DeepEqual(rel.Notes, wantNotes) {
		t.Errorf("Notes = %q, want %q", rel.Notes, wantNotes)
	}
	got := rel.Rows
	if unlawfulDriving() {
		// Wiltshire's "-" in P2 carries P2's note 5, which is on the units
		// row: a note on a marker bears on the figures printed as it.
		for _, p := range got {
			if p.AreaCode == "E23000038" && p.Offence == "Death or serious injury - unlawful driving" {
				if w := []string{noteSH, "Table P2: '-' indicates that the base number is fewer than 50."}; !reflect.DeepEqual(p.Footnotes, w) {
					t.Errorf("Wiltshire unlawful driving footnotes %q, want %q", p.Footnotes, w)
				}
			}
		}
		if len(got) != 9 {
			t.Fatalf("%d rows, want 9", len(got))
		}
		var kept []datasets.Published
		for _, p := range got {
			if p.Offence == sh || p.Offence == total {
				kept = append(kept, p)
			}
		}
		got = kept
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestReadMissingSheet: a release without one of its tables (a sheet
// renamed) says which table is missing, the sheets it has, and which of them
// is the table renamed, when one has its title.
func TestReadMissingSheet(t *testing.T) {
	good := smallSheets()
	rename := func(from, to string) []sheetRows {
		out := edit(good, "", 0, 0, nil)
		for i := range out {
			if out[i].name == from {
				out[i].name = to
			}
		}
		return out
	}
	retitle := func(sheets []sheetRows, name, title string) []sheetRows {
		for i := range sheets {
			if sheets[i].name == name {
				sheets[i].rows[0] = []any{title}
			}
		}
		return sheets
	}
	tests := []struct {
		name   string
		sheets []sheetRows
		want   string
	}{
		{"P1 renamed", rename("Table P1 ", "Counts"),
			`"bad\nname.xlsx": an ONS Police Force Area workbook, but it has no sheet "Table P1" (sheets: "Notes", "Counts", "Table P2", "Table P3 "): ` +
				`sheet "Counts" has the title of Table P1: rename it "Table P1" in Excel or LibreOffice, or ingest the workbook as ONS published it`},
		{"P3 renamed P33", rename("Table P3 ", "Table P33"),
			`no sheet "Table P3" (sheets: "Notes", "Table P1 ", "Table P2", "Table P33"): sheet "Table P33" has the title of Table P3: rename it "Table P3"`},
		{"P2 gone", retitle(rename("Table P2", "Sheet2"), "Sheet2", "Something else"),
			`no sheet "Table P2" (sheets: "Notes", "Table P1 ", "Sheet2", "Table P3 "): ingest the workbook as ONS published it, with its Tables P1, P2 and P3 under those names`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readBytes(t, "bad\nname.xlsx", buildXLSX(t, tc.sheets))
			if !errors.Is(err, datasets.ErrNoSuchSheet) {
				t.Errorf("error %v does not wrap ErrNoSuchSheet", err)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant one containing\n%s", err, tc.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	good := smallSheets()
	dropRow := func(sheet string, row int) []sheetRows {
		out := edit(good, "", 0, 0, nil)
		for i := range out {
			if out[i].name == sheet {
				out[i].rows = append(out[i].rows[:row-1:row-1], out[i].rows[row:]...)
			}
		}
		return out
	}
	const p1, p2, p3 = "Table P1 ", "Table P2", "Table P3 "
	const totalP1 = "Total recorded crime (excluding fraud3)"
	tests := []struct {
		name   string
		sheets []sheetRows
		sheet  string
		row    int
		column string
		err    error
		want   string // in the message
	}{
		{"unknown offence header", edit(good, p1, 5, 4, "Stalking and harrassing4"), p1, 5, "E", datasets.ErrUnknownOffence, `"Stalking and harrassing4"`},
		{"unknown offence in group row", edit(good, p2, 4, 2, "Total crime of all sorts"), p2, 4, "C", datasets.ErrUnknownOffence, "Total crime of all sorts"},
		{"duplicate offence column", edit(good, p1, 5, 5, "Stalking and harassment"), p1, 5, "F", datasets.ErrBadHeader, "one column per offence"},
		{"non-numeric count", edit(good, p1, 8, 2, "43,246a"), p1, 8, totalP1, datasets.ErrBadCount, "whole number of offences"},
		{"fractional count", edit(good, p1, 8, 4, 2697.5), p1, 8, "Stalking and harassment4", datasets.ErrBadCount, "not a whole number"},
		{"negative count", edit(good, p1, 7, 2, -3), p1, 7, totalP1, datasets.ErrBadCount, "not negative"},
		{"unknown marker", edit(good, p2, 8, 4, "n/a"), p2, 8, "Stalking and harassment", datasets.ErrBadCount, `"n/a"`},
		{"negative rate", edit(good, p3, 7, 7, -0.5), p3, 7, "Stalking and harassment", datasets.ErrBadCount, "not negative"},
		{"bad population", edit(good, p3, 6, 2, 5874.5), p3, 6, "Population figures (mid-2017)3 rounded to 100", datasets.ErrBadCount, "population"},
		{"unknown area name", edit(good, p1, 9, 1, "Atlantis Constabulary"), p1, 9, "Area Name", datasets.ErrUnknownForce, "Atlantis"},
		{"unknown area code", edit(good, p1, 8, 0, "E23000099"), p1, 8, "Area Code", datasets.ErrUnknownForce, "E23000099"},
		{"not an area code", edit(good, p1, 8, 0, "X2300003"), p1, 8, "Area Code", datasets.ErrUnknownForce, "ONS area code"},
		{"code and name disagree", edit(good, p1, 8, 1, "Sussex"), p1, 8, "Area Name", datasets.ErrBadRow, "Wiltshire"},
		{"no area", edit(edit(good, p1, 9, 1, ""), p1, 9, 0, ""), p1, 9, "Area Name", datasets.ErrBadRow, "area code or an area name"},
		{"duplicate area", edit(edit(good, p1, 9, 0, "E23000038"), p1, 9, 1, "Wiltshire"), p1, 9, "Area Name", datasets.ErrBadRow, "already on row 8"},
		{"figure under no header", edit(good, p1, 7, 3, 12), p1, 7, "D", datasets.ErrBadRow, "no header"},
		{"area not in P1", edit(edit(good, p3, 7, 0, "E23000033"), p3, 7, 1, "Sussex"), p3, 7, "Area Name", datasets.ErrBadRow, "not in Table P1"},
		{"offence not in P1", edit(good, p3, 4, 7, "Robbery"), p3, 4, "H", datasets.ErrBadHeader, `"Robbery" is not in Table P1`},
		{"no period in title", edit(good, p1, 1, 0, "Table P1: Police recorded crime"), p1, 1, "A", datasets.ErrBadMonth, "year ending"},
		{"P2 compares other years", edit(good, p2, 1, 0, "Table P2: year ending March 2017 compared with year ending March 2018"), p2, 1, "A", datasets.ErrBadMonth, "March 2018 and March 2019"},
		{"P3 another period", edit(good, p3, 1, 0, "Table P3: rates, year ending June 2019"), p3, 1, "A", datasets.ErrBadMonth, "June 2019"},
		{"no units row", dropRow(p2, 6), p2, 6, "A", datasets.ErrBadHeader, `units row saying "Percentage change"`},
		{"no header row", edit(edit(good, p1, 5, 0, "Code"), p1, 5, 1, "Name"), p1, 0, "", datasets.ErrBadHeader, "Area Code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readBytes(t, "bad.xlsx", buildXLSX(t, tc.sheets))
			var re *datasets.RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T), want a *datasets.RowError", err, err)
			}
			if re.File != "bad.xlsx" || re.Sheet != tc.sheet || re.Row != tc.row || re.Column != tc.column {
				t.Errorf("file, sheet, row, column = %q, %q, %d, %q; want %q, %q, %d, %q (%v)",
					re.File, re.Sheet, re.Row, re.Column, "bad.xlsx", tc.sheet, tc.row, tc.column, err)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("error %v does not wrap %v", err, tc.err)
			}
			if re.Want == "" {
				t.Errorf("error %v says nothing of what was wanted", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestReadNotXLSX(t *testing.T) {
	_, err := readBytes(t, "x.xlsx", []byte("Area Code,Area Name\nK04000001,England and Wales\n"))
	if !errors.Is(err, datasets.ErrUnknownFormat) {
		t.Errorf("error %v, want one wrapping ErrUnknownFormat", err)
	}
}

// TestBombGuard checks the unzip limits: a zip whose parts claim more than
// unzipSizeLimit bytes is refused before anything is inflated, and an input
// larger than MaxBytes is refused before it is opened.
func TestBombGuard(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// A stored part that claims a terabyte: excelize adds up the claimed
	// sizes and stops at the limit.
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store,
		CompressedSize64: 3, UncompressedSize64: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("<a>")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = readBytes(t, "bomb.xlsx", buf.Bytes())
	if !errors.Is(err, datasets.ErrUnknownFormat) || !strings.Contains(err.Error(), "size") {
		t.Errorf("bomb: error %v, want an unzip size limit error wrapping ErrUnknownFormat", err)
	}

	_, err = ReadPFA(context.Background(), "huge.xlsx", io.LimitReader(zeros{}, MaxBytes+1))
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge input: error %v, want one saying it is too large", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadPFA(ctx, "small.xlsx", bytes.NewReader(buildXLSX(t, smallSheets()))); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestReleaseID(t *testing.T) {
	end := datasets.MonthOf(2018, 6)
	tests := []struct{ name, want string }{
		{"policeforceareatablesyearendingjune2018.xlsx", "ons-pfa-2018-06"},
		{"policeforceareadatatablesyearendingjune2018corrected.xlsx", "ons-pfa-2018-06-corrected"},
		{"/data/in/policeforceareatablesyearendingmarch2018v2.xlsx", "ons-pfa-2018-06-v2"},
		{"tables.zip!2018/PFA-Tables-V3.XLSX", "ons-pfa-2018-06-v3"},
		{"pfa_tables_v1.xlsx", "ons-pfa-2018-06"},
		{"pfatablesdec19.xlsx", "ons-pfa-2018-06"},
		{"review2.xlsx", "ons-pfa-2018-06"},
	}
	for _, tc := range tests {
		if got := releaseID(tc.name, end); got != tc.want {
			t.Errorf("releaseID(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestTitlePeriods(t *testing.T) {
	m := datasets.MonthOf
	tests := []struct {
		title string
		want  []datasets.Month
	}{
		{"Table P1: ..., number of offences, year ending March 20191,2", []datasets.Month{m(2019, 3)}},
		{"Table P1:  ..., number of offences, year ending March 181,2,3", []datasets.Month{m(2018, 3)}},
		{"Table P1:  ..., year ending June 18", []datasets.Month{m(2018, 6)}},
		{"Table P2: ..., year ending march 2017 compared with year ending March 20181,2,3", []datasets.Month{m(2017, 3), m(2018, 3)}},
		{"Table P2: year ending September 2018 compared with year ending September 20171,2", []datasets.Month{m(2018, 9), m(2017, 9)}},
		{"year ending Sept 2019", []datasets.Month{m(2019, 9)}},
		{"year ending Smarch 2019", nil},
		{"Police recorded crime", nil},
	}
	for _, tc := range tests {
		var got []datasets.Month
		for _, p := range titlePeriods(tc.title) {
			got = append(got, p.end)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("titlePeriods(%q) = %v, want %v", tc.title, got, tc.want)
		}
	}
}

func TestCleaning(t *testing.T) {
	names := map[string]string{
		"ENGLAND AND WALES6,7":                    "ENGLAND AND WALES",
		"Greater Manchester10,11":                 "Greater Manchester",
		"West Midlands ":                          "West Midlands",
		"British Transport Police(2006)":          "British Transport Police",
		"London, City of":                         "London, City of",
		"Stalking and harassment 4":               "Stalking and harassment",
		"Total recorded crime (excluding fraud3)": "Total recorded crime (excluding fraud)",
	}
	for in, want := range names {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
	codes := map[string]string{"E23000024": "E23000024", "E230000246": "E23000024", "K04000001": "K04000001",
		" w15000004 ": "W15000004", "E2300002": "", "X23000024": "", "E2300002A": "", "E23000024a": ""}
	for in, want := range codes {
		got, ok := splitAreaCode(in)
		if got != want || ok != (want != "") {
			t.Errorf("splitAreaCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// TestReadBlankCells: an offence cell of a data row with no value is a
// missing figure whose marker names the cell, and says whether it holds a
// formula saved without its result; ONS's own markers stay as they are.
func TestReadBlankCells(t *testing.T) {
	sheets := edit(edit(smallSheets(), "Table P1 ", 8, 4, ""), "Table P2", 8, 2, "")
	f, err := excelize.OpenReader(bytes.NewReader(buildXLSX(t, sheets)))
	if err != nil {
		t.Fatal(err)
	}
	// Wiltshire's total in P1 becomes a formula with no stored result.
	if err := f.SetCellValue("Table P1 ", "C8", nil); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellFormula("Table P1 ", "C8", "SUM(E8:F8)"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rel, err := readBytes(t, "blank.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range rel.Rows {
		if p.AreaCode == "E23000038" {
			got[p.Offence] = fmt.Sprintf("count %v %q, pct %v %q", p.HasCount, p.CountMarker, p.HasPct, p.PctMarker)
		}
	}
	want := map[string]string{
		"Total recorded crime (excluding fraud)": `count false "no value in 'Table P1 '!C8 (formula)", pct false "no value in 'Table P2'!C8"`,
		"Stalking and harassment":                `count false "no value in 'Table P1 '!E8", pct true ""`,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
}
