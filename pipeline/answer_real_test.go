package pipeline

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/homeoffice"
	"github.com/crimetrends/crimetrends/datasets/ons"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

const (
	codeWilts  = "E23000038"
	codeSussex = "E23000033"
)

var realONS struct {
	once  sync.Once
	rows  []datasets.Published
	notes []datasets.ReleaseNote
	err   error
}

// onsRows reads the eight real ONS PFA workbooks once per test binary.
func onsRows(t *testing.T) []datasets.Published {
	t.Helper()
	dir := testutil.Real(t, "ons-pfa-tables")
	realONS.once.Do(func() {
		names, err := filepath.Glob(filepath.Join(dir, "*.xlsx"))
		if err != nil {
			realONS.err = err
			return
		}
		sort.Strings(names)
		for _, n := range names {
			f, err := os.Open(n)
			if err != nil {
				realONS.err = err
				return
			}
			rel, err := ons.ReadPFA(context.Background(), filepath.Base(n), f)
			f.Close()
			if err != nil {
				realONS.err = err
				return
			}
			realONS.rows = append(realONS.rows, rel.Rows...)
			realONS.notes = append(realONS.notes, rel.ReleaseNotes()...)
		}
	})
	if realONS.err != nil {
		t.Fatal(realONS.err)
	}
	return realONS.rows
}

func homeOfficeExtract(t *testing.T) *datasets.Extract {
	t.Helper()
	p := testutil.Real(t, "mopd-crime-sim-toolkit", "prc-pfa-mar2013-onwards-tables201718.csv")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := homeoffice.ReadCSV(context.Background(), filepath.Base(p), f)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mustSelector(t *testing.T, s string) datasets.Selector {
	t.Helper()
	sel, err := datasets.ResolveSelector(s)
	if err != nil {
		t.Fatal(err)
	}
	return sel
}

func topicByName(t *testing.T, r *Report, name, taxonomy string) Topic {
	t.Helper()
	for _, tp := range r.Topics {
		if tp.Name == name && tp.Taxonomy == taxonomy {
			return tp
		}
	}
	var names []string
	for _, tp := range r.Topics {
		names = append(names, tp.Name)
	}
	t.Fatalf("no topic %q (%s) in %q", name, taxonomy, names)
	return Topic{}
}

func nearPct(a, b float64) bool { return math.Abs(a-b) < 0.05 }

// The seed question on the ONS workbooks alone: stalking and harassment in
// the 12 months to September 2018, published in the YE September 2018
// release (corrected): England and Wales 371,953, +41.3%; Wiltshire 2,182,
// +14.6%; Sussex +23.1%.
func TestAnswerONSOnly(t *testing.T) {
	rows := onsRows(t)
	rep, err := Answer(context.Background(), Data{Published: rows, ReleaseNotes: realONS.notes}, Request{
		Forces:   []string{codeWilts, codeSussex},
		Offences: []datasets.Selector{mustSelector(t, "Stalking and harassment")},
		Period:   datasets.MonthOf(2018, 9),
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.PeriodEnd != datasets.MonthOf(2018, 9) || rep.Months != 12 || !rep.PeriodAsked {
		t.Fatalf("period %s months %d asked %v", rep.PeriodEnd, rep.Months, rep.PeriodAsked)
	}
	sh := topicByName(t, rep, "Stalking and harassment", TaxonomyOfficial)
	ew := sh.National
	if !ew.Present || ew.Count != 371953 || !nearPct(ew.PctChange, 41.3) || ew.Release != "ons-pfa-2018-09-corrected" || !ew.Quoted {
		t.Errorf("England and Wales: %+v", ew)
	}
	if len(sh.Answers) != 2 {
		t.Fatalf("answers: %d", len(sh.Answers))
	}
	w, s := sh.Answers[0].Figure, sh.Answers[1].Figure
	if w.Count != 2182 || !nearPct(w.PctChange, 14.6) || !w.Published || !w.PreviousDerived {
		t.Errorf("Wiltshire: %+v", w)
	}
	if !nearPct(s.PctChange, 23.1) {
		t.Errorf("Sussex: %+v", s)
	}
	// The release's footnotes stay with its figures: Table P1's note 4 is on
	// the stalking and harassment header; England and Wales's name carries
	// a note in each table.
	noteSH := "Table P1: From the year ending June 2017 'Stalking and harassment' and 'Death or serious injury caused by illegal driving' " +
		"offences have been removed from the violence with and without injury sub-categories and now form separate sub categories " +
		"within the violence against the person category."
	if want := []string{noteSH}; !slices.Equal(w.Footnotes, want) || !slices.Equal(s.Footnotes, want) {
		t.Errorf("Wiltshire footnotes %q, Sussex %q: want %q", w.Footnotes, s.Footnotes, want)
	}
	if len(ew.Footnotes) != 4 || ew.Footnotes[0] != noteSH || ew.Footnotes[1] != "Table P1: Includes British Transport Police." {
		t.Errorf("England and Wales footnotes %q", ew.Footnotes)
	}
	// The notes on all the release's figures are the release's, once.
	var sep18 *Release
	for _, src := range rep.Sources {
		for i, r := range src.Releases {
			if r.ID == "ons-pfa-2018-09-corrected" {
				sep18 = &src.Releases[i]
			}
		}
	}
	wantNotes := []string{
		"Tables P1, P2 and P3: Police recorded crime data are not designated as National Statistics.",
		"Tables P1, P2 and P3: When interpreting data for police force areas, users should be aware of recent changes to recording " +
			"practices. For further information see section 3.3 of the User guide.",
		"Table P3: Based on mid-2017 population estimates for England and Wales.",
	}
	if sep18 == nil || !slices.Equal(sep18.Notes, wantNotes) {
		t.Errorf("YE Sep 2018 release in Sources: %+v, want notes %q", sep18, wantNotes)
	}
	// The derived previous year: 2182 / 1.146 = 1904 (ONS's own base).
	if w.Previous != 1904 {
		t.Errorf("Wiltshire previous %d, want 1904", w.Previous)
	}
	if w.Verdict != VerdictRise || !w.HasInterval || w.Lo <= 0 {
		t.Errorf("Wiltshire verdict %q interval %v %.1f..%.1f", w.Verdict, w.HasInterval, w.Lo, w.Hi)
	}
	if w.Rank == 0 || w.Ranked != 43 || w.RateRank == 0 {
		t.Errorf("Wiltshire rank %d of %d, rate rank %d of %d", w.Rank, w.Ranked, w.RateRank, w.RateRanked)
	}
	// Every force of the ranking has the rank the same rule gives it.
	for _, f := range sh.Areas {
		if f.AreaKind == datasets.KindBTP && f.Rank != 0 {
			t.Errorf("BTP ranked %d", f.Rank)
		}
	}
	if sh.Compared != 43 || sh.Rose+sh.Fell+sh.Same != 43 {
		t.Errorf("rose %d fell %d same %d of %d", sh.Rose, sh.Fell, sh.Same, sh.Compared)
	}
	ag := sh.Answers[0].Against
	if !ag.OK || ag.Verdict != AgainstLower {
		t.Errorf("Wiltshire against England and Wales: %+v", ag)
	}
	// The series: the eight releases' years ending up to September 2018.
	if len(sh.Periods) != 3 {
		t.Errorf("periods %v, want March, June and September 2018", sh.Periods)
	}
	t.Logf("Wiltshire %+v", w)
	t.Logf("comparators %+v", sh.Answers[0].Comparators)
	t.Logf("others %+v", sh.Answers[0].Others)
}

// With the Home Office table added, the 12 months to March 2018 have two
// answers: the ONS release (quoted: 1,913) and the Home Office table
// (1,896), set beside it with the reason.
func TestAnswerONSAndHomeOffice(t *testing.T) {
	rows := onsRows(t)
	ho := homeOfficeExtract(t)
	rep, err := Answer(context.Background(), Data{Published: rows, Counts: ho.Counts, Coverage: ho.Coverage}, Request{
		Forces:   []string{codeWilts},
		Offences: []datasets.Selector{mustSelector(t, "Stalking and harassment")},
		Period:   datasets.MonthOf(2018, 3),
	})
	if err != nil {
		t.Fatal(err)
	}
	sh := topicByName(t, rep, "Stalking and harassment", TaxonomyOfficial)
	a := sh.Answers[0]
	if a.Figure.Count != 1913 || a.Figure.Source != datasets.SourceONSPFA {
		t.Errorf("quoted %+v", a.Figure)
	}
	var ho1896 bool
	for _, o := range a.Others {
		if o.Source == datasets.SourceHomeOffice && o.Count == 1896 {
			ho1896 = true
		}
	}
	if !ho1896 {
		t.Errorf("others %+v: want the Home Office table's 1,896", a.Others)
	}
	found := false
	for _, r := range rep.Reconciliation {
		if r.AreaCode == codeWilts && r.Topic == sh.ID && r.End == datasets.MonthOf(2018, 3) && r.Other.Source == datasets.SourceHomeOffice {
			found = r.Difference == -17
		}
	}
	if !found {
		t.Errorf("no reconciliation row of -17 for Wiltshire")
	}
	// Without a period, the latest the data covers: December 2019.
	rep2, err := Answer(context.Background(), Data{Published: rows, Counts: ho.Counts, Coverage: ho.Coverage}, Request{Forces: []string{codeWilts}})
	if err != nil {
		t.Fatal(err)
	}
	if rep2.PeriodEnd != datasets.MonthOf(2019, 12) || rep2.PeriodAsked {
		t.Errorf("default period %s asked %v, want 2019-12", rep2.PeriodEnd, rep2.PeriodAsked)
	}
}

func TestAnswerPeriodNotCovered(t *testing.T) {
	rows := onsRows(t)
	for _, tc := range []struct {
		period datasets.Month
		window datasets.Window
	}{
		{datasets.MonthOf(2031, 5), ""},
		{datasets.MonthOf(2015, 3), ""},
		{datasets.MonthOf(2017, 9), datasets.WindowFinancialYear},
		{datasets.MonthOf(2018, 9), datasets.WindowQuarter},
		{datasets.MonthOf(2018, 8), ""},
	} {
		_, err := Answer(context.Background(), Data{Published: rows}, Request{Period: tc.period, Window: tc.window})
		if !errors.Is(err, ErrNotCovered) {
			t.Errorf("%s %s: err %v, want ErrNotCovered", tc.period, tc.window, err)
		} else {
			t.Logf("%s %s: %v", tc.period, tc.window, err)
		}
	}
}
