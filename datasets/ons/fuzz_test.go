package ons

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

// FuzzReadPFA feeds workbook bytes to ReadPFA: it must not panic, a failure
// must be an error (a *datasets.RowError for anything in a table), and a
// success must account for every row and give one row per area and offence.
func FuzzReadPFA(f *testing.F) {
	good := smallSheets()
	f.Add(buildXLSX(f, good))
	f.Add(buildXLSX(f, edit(good, "Table P1 ", 8, 2, "..")))
	f.Add(buildXLSX(f, edit(good, "Table P1 ", 8, 2, "1.5")))
	f.Add(buildXLSX(f, edit(good, "Table P2", 8, 0, "E2300003")))
	f.Add(buildXLSX(f, edit(good, "Table P3 ", 4, 7, "Residental burglary")))
	f.Add(buildXLSX(f, good[:2]))
	f.Add([]byte("PK\x03\x04"))
	if dir := testutil.RealDataDir(f, false); dir != "" {
		if data, err := os.ReadFile(filepath.Join(dir, realDir, "policeforceareatablesyeendingmarch2019.xlsx")); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rel, err := ReadPFA(context.Background(), "fuzz.xlsx", bytes.NewReader(data))
		if err != nil {
			var re *datasets.RowError
			if errors.As(err, &re) && re.Err == nil {
				t.Fatalf("RowError with no cause: %+v", re)
			}
			return
		}
		if !rel.Stats.Balanced() || rel.Stats.Used == 0 {
			t.Fatalf("stats %+v: not balanced or nothing used", rel.Stats)
		}
		seen := map[[2]string]bool{}
		for _, p := range rel.Rows {
			k := [2]string{p.AreaCode, p.Offence}
			if seen[k] || p.Release != rel.ID || p.Months != 12 || p.PeriodEnd != rel.PeriodEnd {
				t.Fatalf("bad or repeated row %+v", p)
			}
			seen[k] = true
			if p.HasCount && p.CountMarker != "" || p.HasPct && p.PctMarker != "" || p.HasRate && p.RateMarker != "" {
				t.Fatalf("figure and marker both set: %+v", p)
			}
		}
		checkNotes(t, rel)
	})
}

// checkNotes checks the footnotes of a release read: each names its tables,
// has text on one line, and is given once per row; release notes are not
// on rows.
func checkNotes(t *testing.T, rel *Release) {
	t.Helper()
	ok := func(s string) bool {
		_, text, found := strings.Cut(s, ": ")
		return found && (strings.HasPrefix(s, "Table P") || strings.HasPrefix(s, "Tables P")) && text != "" &&
			!strings.ContainsAny(s, "\n\r") && utf8.ValidString(s)
	}
	for _, n := range rel.Notes {
		if !ok(n) {
			t.Fatalf("release note %q", n)
		}
	}
	for _, p := range rel.Rows {
		for i, f := range p.Footnotes {
			if !ok(f) || slices.Contains(p.Footnotes[:i], f) || slices.Contains(rel.Notes, f) {
				t.Fatalf("%s %s: footnote %q of %q (release notes %q)", p.AreaCode, p.Offence, f, p.Footnotes, rel.Notes)
			}
		}
		if p.Footnotes != nil && len(p.Footnotes) == 0 {
			t.Fatalf("%s %s: empty footnotes, not nil", p.AreaCode, p.Offence)
		}
	}
}

// FuzzReadPFACells puts fuzzed text into the cells that matter (a title,
// a header, an area code and name, a figure, a footnote and the units row)
// of the small workbook, which byte-level fuzzing of a zip rarely reaches.
func FuzzReadPFACells(f *testing.F) {
	f.Add("Table P1: year ending March 20191,2", "Stalking and harassment4", "E23000038", "Wiltshire", "2697", "4. A note.", "Percentage change4,5")
	f.Add("year ending March 181,2,3", "Residental burglary", "E230000386", "British Transport Police(2006)", "..", "8 '..'  indicates", "Percentage change")
	f.Add("year ending June 2019", "Total recorded crime (excluding fraud3)", "", "East ", "-1e309", "", "Percentage change 6")
	f.Add("", "Area Code", "K04000001", "ENGLAND AND WALES6,7", "+", "6. '-' base\nunder 50", "")
	f.Add("year ending March 20196", "Stalking and harassment 6", "E23000038", "Wiltshire6", "-", "6.\t'+'  x ", "Percentage change6")
	f.Fuzz(func(t *testing.T, title, header, code, name, value, note, units string) {
		sheets := edit(smallSheets(), "Table P1 ", 1, 0, title)
		sheets = edit(sheets, "Table P1 ", 5, 4, header)
		sheets = edit(sheets, "Table P2", 8, 0, code)
		sheets = edit(sheets, "Table P2", 8, 1, name)
		sheets = edit(sheets, "Table P3 ", 7, 7, value)
		sheets = edit(sheets, "Table P2", 11, 0, note)
		sheets = edit(sheets, "Table P2", 6, 2, units)
		rel, err := ReadPFA(context.Background(), "fuzz.xlsx", bytes.NewReader(buildXLSX(t, sheets)))
		if err != nil {
			var re *datasets.RowError
			if !errors.As(err, &re) || re.Err == nil || re.Sheet == "" {
				t.Fatalf("error %v (%T): want a *datasets.RowError naming a sheet", err, err)
			}
			return
		}
		if !rel.Stats.Balanced() || len(rel.Rows) == 0 {
			t.Fatalf("stats %+v, %d rows", rel.Stats, len(rel.Rows))
		}
		checkNotes(t, rel)
	})
}
