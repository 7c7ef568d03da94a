package ons

import (
	"bytes"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestNoteMarks(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) []int
		in   string
		want []int
	}{
		{"glued", nameMarks, "Avon and Somerset8", []int{8}},
		{"two", nameMarks, "ENGLAND AND WALES6,7", []int{6, 7}},
		{"spaced", nameMarks, "North West 7,8", []int{7, 8}},
		{"space before", nameMarks, "Stalking and harassment 5", []int{5}},
		{"inside parentheses", nameMarks, "Total recorded crime (excluding fraud3)", []int{3}},
		{"after parentheses", nameMarks, "Residential burglary (households) 6,7,9", []int{6, 7, 9}},
		{"newline", nameMarks, "Residential burglary\n(households)6,8", []int{6, 8}},
		{"year in parentheses", nameMarks, "British Transport Police(2006)", nil}, // beyond maxNote
		{"trailing space", nameMarks, "Lancashire ", nil},
		{"none", nameMarks, "Wiltshire", nil},
		{"double space", nameMarks, "Non-residential  burglary5,6", []int{5, 6}},
		{"city", nameMarks, "City of London11", []int{11}},
		{"units", nameMarks, "Percentage change4,5", []int{4, 5}},
		{"units without", nameMarks, "Rate per 1,000 population", nil},
		{"population", gluedMarks, "Population figures\n (mid-2017)3  rounded to 100", []int{3}},
		{"title", leadingMarks, "1,2", []int{1, 2}},
		{"title three", leadingMarks, "1,2,3", []int{1, 2, 3}},
		{"title none", leadingMarks, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fn(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%q: %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestFootnoteRows(t *testing.T) {
	tab := &table{}
	for _, row := range [][]string{
		{"Source: Home Office - Police recorded crime "},
		{"1. Police recorded crime data are not designated as National Statistics."},
		{"5. '-'  indicates that the base number is fewer than 50."},
		{"8 '..'  indicates data not available."}, // no dot (YE Dec 2019, P2)
		{"", "  10.  Rates\nfor London include 'City of London'.  "},
		{"2019 figures are provisional."}, // not a number ONS gives a note
		{"0. not a note"},
		{"3. caf\xe9 "}, // not UTF-8
	} {
		tab.footnote(row)
	}
	want := map[int]string{
		1:  "Police recorded crime data are not designated as National Statistics.",
		5:  "'-' indicates that the base number is fewer than 50.",
		8:  "'..' indicates data not available.",
		10: "Rates for London include 'City of London'.",
		3:  "caf\uFFFD",
	}
	if !reflect.DeepEqual(tab.notes, want) {
		t.Errorf("notes %v, want %v", tab.notes, want)
	}
	for text, m := range map[string]string{want[5]: "-", want[8]: "..", "'+' Rates for London include 'City of London'.": "+", want[10]: ""} {
		if got := noteMarker(text); got != m {
			t.Errorf("noteMarker(%q) = %q, want %q", text, got, m)
		}
	}
}

func TestMergeNotes(t *testing.T) {
	got := mergeNotes([]tableNote{
		{tableP1, "a"}, {tableP1, "b"}, {tableP2, "a"}, {tableP3, "c"}, {tableP3, "a"}, {tableP3, "b"}, {tableP3, "b"},
	})
	want := []string{"Tables P1, P2 and P3: a", "Tables P1 and P3: b", "Table P3: c"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
	if got := mergeNotes(nil); got != nil {
		t.Errorf("no notes: %q", got)
	}
}

// Real footnotes, as printed below the tables of the YE September 2018
// release (checked by hand against the workbook's shared strings).
const (
	realNoteSH = "From the year ending June 2017 'Stalking and harassment' and 'Death or serious injury caused by illegal driving' " +
		"offences have been removed from the violence with and without injury sub-categories and now form separate sub categories " +
		"within the violence against the person category."
	realNoteAvonSep18 = "For years ending March 2016 onwards figures include additional crimes recorded by Avon & Somerset previously " +
		"unaccounted for due to an administrative error. This accounts for approximately 2% of offences recorded by Avon and Somerset over this period."
	realNoteBase = "'-' indicates that the base number is fewer than 50."
	codeAvon     = "E23000036"
)

func TestRealFootnotes(t *testing.T) {
	_, sep18 := readReal(t, "policeforceareatablesyearendingsep18corrected.xlsx")
	check := func(rel *Release, code, offence string, want []string) {
		t.Helper()
		if got := find(t, rel, code, offence).Footnotes; !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s %s footnotes:\n got %q\nwant %q", rel.ID, code, offence, got, want)
		}
	}
	// Table P1's note 4 is on "Stalking and harassment4"; note 8 on
	// "Avon and Somerset8". Nothing in P2 or P3 marks these figures.
	check(sep18, codeWilts, labelSH, []string{"Table P1: " + realNoteSH})
	check(sep18, codeAvon, labelSH, []string{"Table P1: " + realNoteSH, "Table P1: " + realNoteAvonSep18})
	check(sep18, codeWilts, "Robbery", nil)
	check(sep18, codeAvon, "Robbery", []string{"Table P1: " + realNoteAvonSep18})
	// P2's note 5 is on the units row ("Percentage change4,5"): it bears on
	// the changes printed "-" (Wiltshire's homicide), not on the others.
	// Note 4 is on the units row too, but also on the two burglary headers,
	// which are what it is about.
	if p := find(t, sep18, codeWilts, "Homicide"); p.PctMarker != "-" || !slices.Contains(p.Footnotes, "Table P2: "+realNoteBase) {
		t.Errorf("Wiltshire homicide YE Sep 2018: change %q, footnotes %q: want \"-\" with P2's note 5", p.PctMarker, p.Footnotes)
	}
	check(sep18, codeWilts, "Burglary", nil)
	if p := find(t, sep18, codeWilts, "Residential burglary"); !slices.ContainsFunc(p.Footnotes, func(s string) bool {
		return strings.HasPrefix(s, "Table P2: Figures for Residential burglary and Non-residential burglary are not shown")
	}) {
		t.Errorf("Wiltshire residential burglary: footnotes %q lack P2's note 4", p.Footnotes)
	}
	// P3's note 11 is on "City of London11", whose rates are all "+".
	for _, off := range []string{labelTotal, labelSH, "Homicide"} {
		if p := find(t, sep18, codeCity, off); p.RateMarker != "+" || !slices.Contains(p.Footnotes, "Table P3: '+' Rates for London include 'City of London'.") {
			t.Errorf("City of London %s YE Sep 2018: rate marker %q, footnotes %q", off, p.RateMarker, p.Footnotes)
		}
	}
	// England and Wales carries a note from each table.
	check(sep18, datasets.CodeEnglandWales, "Robbery", []string{
		"Table P1: Includes British Transport Police.",
		"Table P2: Total percentage change for England and Wales includes offences recorded by British Transport Police.",
		"Table P3: Total rate for England and Wales includes offences recorded by British Transport Police. However, no rates are given " +
			"for British Transport Police as their data are not provided for specified geographical areas.",
	})
	wantNotes := []string{
		"Tables P1, P2 and P3: Police recorded crime data are not designated as National Statistics.",
		"Tables P1, P2 and P3: When interpreting data for police force areas, users should be aware of recent changes to recording " +
			"practices. For further information see section 3.3 of the User guide.",
		"Table P3: Based on mid-2017 population estimates for England and Wales.",
	}
	if !reflect.DeepEqual(sep18.Notes, wantNotes) {
		t.Errorf("YE Sep 2018 release notes:\n got %q\nwant %q", sep18.Notes, wantNotes)
	}

	// YE March 2019: P1's note 8 spells "Avon and Somerset"; P3's note 10
	// is on London and note 11 on City of London.
	_, mar19 := readReal(t, "policeforceareatablesyeendingmarch2019.xlsx")
	check(mar19, codeAvon, "Robbery", []string{"Table P1: For years ending March 2016 onwards figures include additional crimes recorded by " +
		"Avon and Somerset previously unaccounted for due to an administrative error. This accounts for approximately 2% of offences " +
		"recorded by Avon and Somerset over this period."})
	check(mar19, codeCity, "Robbery", []string{"Table P3: '+' indicates that rate per 1,000 population data for City of London have been " +
		"suppressed due to the small population size of the police force area."})
	check(mar19, "E12000007", "Robbery", []string{"Table P3: Rates for London include 'City of London'."})
	// Digits glued to area codes in P2 ("E230000246" for Norfolk) are not
	// notes: P2 has no note 6.
	check(mar19, "E23000024", "Robbery", nil)

	// YE June 2018: Norfolk's code in P2 is "E230000246" and P2's note 6 is
	// about England and Wales: not Norfolk's.
	_, jun18 := readReal(t, "policeforceareadatatablesyearendingjune2018corrected.xlsx")
	check(jun18, "E23000024", "Robbery", nil)

	// YE December 2019: Greater Manchester's ".." carries "'..' indicates
	// data not available." from all three tables (P2's is numbered "8 "
	// without a dot) and the note on its missing data.
	_, dec19 := readReal(t, "pfatablesdec19.xlsx")
	check(dec19, codeGMP, "Robbery", []string{
		"Tables P1, P2 and P3: Following the implementation of a new IT system in July 2019, Greater Manchester Police have been unable " +
			"to supply data for the period July to December 2019. Figures for Greater Manchester are not included in the National and Regional totals.",
		"Tables P1, P2 and P3: '..' indicates data not available.",
	})
}

// TestRealFootnotesEverywhere checks every release: stalking and harassment
// carries the note on its header, Avon and Somerset the note on its name
// where the release has one, every footnote names its tables, and every
// note below a table is on some figure, in the release's notes, or only on
// columns not read.
func TestRealFootnotesEverywhere(t *testing.T) {
	avon := map[string]bool{ // releases whose P1 marks Avon and Somerset with the note on its additional crimes
		"ons-pfa-2018-06-corrected": true, "ons-pfa-2018-09-corrected": true, "ons-pfa-2018-12": true,
		"ons-pfa-2019-03": true, "ons-pfa-2019-06": true,
	}
	for _, rf := range realFiles {
		t.Run(rf.id, func(t *testing.T) {
			_, rel := readReal(t, rf.file)
			sh := find(t, rel, codeWilts, labelSH)
			if !slices.ContainsFunc(sh.Footnotes, func(s string) bool {
				return strings.HasPrefix(s, "Table P1: From the year ending June 2017 'Stalking and harassment' and")
			}) {
				t.Errorf("Wiltshire stalking and harassment footnotes %q lack P1's note on the header", sh.Footnotes)
			}
			a := find(t, rel, codeAvon, "Robbery")
			hasAvon := slices.ContainsFunc(a.Footnotes, func(s string) bool {
				return strings.Contains(s, "additional crimes recorded by Avon")
			})
			if hasAvon != avon[rf.id] {
				t.Errorf("Avon and Somerset footnotes %q: the note on additional crimes present %v, want %v", a.Footnotes, hasAvon, avon[rf.id])
			}
			if len(rel.Notes) == 0 || !strings.HasPrefix(rel.Notes[0], "Tables P1, P2 and P3: Police recorded crime data are not designated as National Statistics") {
				t.Errorf("release notes %q", rel.Notes)
			}
			prefix := func(s string) bool { return strings.HasPrefix(s, "Table P") || strings.HasPrefix(s, "Tables P") }
			shown := map[string]bool{}
			for _, n := range rel.Notes {
				if !prefix(n) || strings.ContainsAny(n, "\n\r\t") || strings.Contains(n, "  ") {
					t.Errorf("release note %q", n)
				}
				shown[n[strings.Index(n, ": ")+2:]] = true
			}
			for _, p := range rel.Rows {
				for i, f := range p.Footnotes {
					if !prefix(f) || strings.ContainsAny(f, "\n\r\t") || strings.Contains(f, "  ") || slices.Contains(p.Footnotes[:i], f) {
						t.Fatalf("%s %s: footnote %q", p.AreaCode, p.Offence, f)
					}
					if slices.Contains(rel.Notes, f) {
						t.Fatalf("%s %s: release note %q on a row", p.AreaCode, p.Offence, f)
					}
					shown[f[strings.Index(f, ": ")+2:]] = true
				}
			}
			// Every note of the workbook's tables is shown somewhere,
			// except the ones only on household columns.
			for _, text := range sharedNotes(t, rf.file) {
				household := strings.HasPrefix(text, "Based on") && strings.Contains(text, "household")
				if !shown[text] && !household && !strings.HasPrefix(text, "Numbers will be affected by the size of the resident population") {
					t.Errorf("note %q is shown nowhere", text)
				}
			}
		})
	}
}

// testNoteRowRE is the test's own reading of a numbered note row.
var testNoteRowRE = regexp.MustCompile(`^\d+\.? +(.*)$`)

// sharedNotes are the texts, white space collapsed, of the numbered notes
// in column A of Tables P1, P2 and P3 of a sample workbook.
func sharedNotes(t *testing.T, file string) []string {
	t.Helper()
	data, _ := readReal(t, file)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	for _, s := range f.GetSheetList() {
		if n := strings.TrimSpace(s); n != "Table P1" && n != "Table P2" && n != "Table P3" {
			continue
		}
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if i < 60 || len(r) == 0 {
				continue
			}
			if m := testNoteRowRE.FindStringSubmatch(strings.Join(strings.Fields(r[0]), " ")); m != nil {
				out = append(out, m[1])
			}
		}
	}
	if len(out) < 20 {
		t.Fatalf("%s: %d notes found by the test", file, len(out))
	}
	return out
}
