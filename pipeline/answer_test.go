package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// quarterlyHO makes Home Office counts of one code for one force, n a
// quarter, over the financial quarters from April of startYear.
func quarterlyHO(area, code string, startYear, quarters int, n int64) ([]datasets.Count, []datasets.Coverage) {
	var counts []datasets.Count
	var cov []datasets.Coverage
	for q := 0; q < quarters; q++ {
		first, last := datasets.FinancialQuarter(startYear+q/4, q%4+1)
		cov = append(cov, datasets.Coverage{Source: datasets.SourceHomeOffice, AreaCode: area, Start: first, End: last})
		counts = append(counts, datasets.Count{Source: datasets.SourceHomeOffice, AreaCode: area, Offence: code, Start: first, End: last, Count: n})
	}
	return counts, cov
}

// TestAnswerPeriod checks how the period of every kind of window is
// resolved: police.uk burglary for Wiltshire monthly from January 2017 to
// September 2018, Home Office stalking (8Q) for Dorset in financial quarters
// from April 2016 to June 2018.
func TestAnswerPeriod(t *testing.T) {
	m := func(s string) datasets.Month { return mustMonth(t, s) }
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", m("2017-01"), repeat(10, 21)...)
	c2, v2 := quarterlyHO("E23000039", "8Q", 2016, 9, 30)
	data := Data{Counts: append(counts, c2...), Coverage: append(cov, v2...)}
	stalking := mustSelector(t, "8Q")
	tests := []struct {
		name   string
		window datasets.Window
		period string
		want   string // period end, or "" for an error
		errHas string
	}{
		{name: "rolling 12 by default: the latest any source covers", want: "2018-09"},
		{name: "an asked month the monthly source covers", period: "2018-08", want: "2018-08"},
		{name: "after the data", period: "2018-10", errHas: "no source gives the 12 months to October 2018"},
		{name: "financial year: the latest March", window: datasets.WindowFinancialYear, want: "2018-03"},
		{name: "financial year asked for September", window: datasets.WindowFinancialYear, period: "2018-09",
			errHas: "no financial year ends in September 2018: a financial year ends in March"},
		{name: "quarter: the latest quarter end", window: datasets.WindowQuarter, want: "2018-09"},
		{name: "year to date", window: datasets.WindowFYTD, period: "2018-06", want: "2018-06"},
		{name: "calendar year", window: datasets.WindowCalendarYear, want: "2017-12", errHas: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := Request{Offences: []datasets.Selector{burglary, stalking}, Window: tc.window}
			if tc.period != "" {
				req.Period = m(tc.period)
			}
			rep, err := Answer(context.Background(), data, req)
			if tc.errHas != "" {
				if !errors.Is(err, ErrNotCovered) || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("got %v, want an ErrNotCovered saying %q", err, tc.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rep.PeriodEnd != m(tc.want) || rep.PeriodAsked != (tc.period != "") {
				t.Errorf("period %s asked %v, want %s", rep.PeriodEnd, rep.PeriodAsked, tc.want)
			}
		})
	}
}

// TestAnswerFinancialYearFigures: Wiltshire, 10 burglaries a month in
// 2017/18 and 12 in 2018/19, has 144 in the year ending March 2019 on 120.
func TestAnswerFinancialYearFigures(t *testing.T) {
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", mustMonth(t, "2017-04"),
		append(repeat(10, 12), repeat(12, 14)...)...)
	rep, err := Answer(context.Background(), Data{Counts: counts, Coverage: cov}, Request{
		Forces: []string{"E23000038"}, Offences: []datasets.Selector{burglary}, Window: datasets.WindowFinancialYear})
	if err != nil {
		t.Fatal(err)
	}
	if rep.PeriodEnd != mustMonth(t, "2019-03") {
		t.Errorf("period end %s, want 2019-03 (the data run to May 2019)", rep.PeriodEnd)
	}
	tp := topicByName(t, rep, "Burglary", TaxonomyPoliceUK)
	f := tp.Answers[0].Figure
	if f.Count != 144 || !f.HasPrevious || f.Previous != 120 || f.Change != 24 || !f.HasPct || f.PctChange != 20 || f.Quoted != true {
		t.Errorf("year ending March 2019: got %+v, want 144 on 120, +24, +20%%", f)
	}
	// The series holds only financial years: March 2018 (no earlier year) and March 2019.
	if len(tp.Periods) != 2 || tp.Periods[0] != mustMonth(t, "2018-03") {
		t.Errorf("periods %v, want March 2018 and March 2019", tp.Periods)
	}
}

// TestAnswerTaxonomies: the Home Office group "Criminal damage and
// arson" and the police.uk category of that name are two topics, the
// official one quoted from the Home Office, the police.uk one from
// police.uk, each with one figure per area and window.
func TestAnswerTaxonomies(t *testing.T) {
	var code string
	for _, o := range datasets.Offences() {
		if o.Group == "Criminal damage and arson" {
			code = o.Code
			break
		}
	}
	counts, cov := quarterlyHO("E23000039", code, 2017, 8, 70)
	c, v := monthlyData(datasets.SourcePoliceUK, "E23000039", "Criminal damage and arson", mustMonth(t, "2017-04"), repeat(9, 24)...)
	rep, err := Answer(context.Background(), Data{Counts: append(counts, c...), Coverage: append(cov, v...)}, Request{Forces: []string{"E23000039"}})
	if err != nil {
		t.Fatal(err)
	}
	off := topicByName(t, rep, "Criminal damage and arson", TaxonomyOfficial)
	pu := topicByName(t, rep, "Criminal damage and arson", TaxonomyPoliceUK)
	if off.ID == pu.ID || !strings.HasPrefix(pu.ID, "policeuk-") {
		t.Errorf("topic IDs %q and %q", off.ID, pu.ID)
	}
	// Year ending March 2019: Home Office 4*70 = 280 on 280; police.uk 108 on 108.
	if f := off.Answers[0].Figure; f.Source != datasets.SourceHomeOffice || f.Count != 280 || f.Previous != 280 {
		t.Errorf("official: %+v", f)
	}
	if f := pu.Answers[0].Figure; f.Source != datasets.SourcePoliceUK || f.Count != 108 || f.Previous != 108 {
		t.Errorf("police.uk: %+v", f)
	}
	seen := map[string]int{}
	for _, f := range rep.Figures {
		seen[f.Topic+"|"+f.Source+"|"+f.AreaCode+"|"+f.PeriodEnd.String()]++
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("%d figures for %s", n, k)
		}
	}
}

// TestAnswerSourceOrder: a force's extract and the Home Office table give
// the financial year 2017/18 of stalking and harassment in Wiltshire as 15
// and 14. By default the Home Office figure is quoted and the extract set
// beside it; with the force first, the other way round.
func TestAnswerSourceOrder(t *testing.T) {
	var counts []datasets.Count
	var cov []datasets.Coverage
	q := 0
	for _, n := range []int64{4, 2, 5, 3} {
		first, last := datasets.FinancialQuarter(2017, q+1)
		cov = append(cov, datasets.Coverage{Source: datasets.SourceHomeOffice, AreaCode: "E23000038", Start: first, End: last})
		counts = append(counts, datasets.Count{Source: datasets.SourceHomeOffice, AreaCode: "E23000038", Offence: "8L", Start: first, End: last, Count: n})
		q++
	}
	fc, fv := monthlyData(datasets.SourceForce, "E23000038", "8L", mustMonth(t, "2017-04"), 1, 1, 2, 1, 0, 1, 1, 1, 3, 1, 1, 2)
	counts, cov = append(counts, fc...), append(cov, fv...)
	sh := mustSelector(t, "Stalking and harassment")
	for _, tc := range []struct {
		order         []string
		quoted, other string
		diff          int64
	}{
		{nil, datasets.SourceHomeOffice, datasets.SourceForce, 1},
		{[]string{"force"}, datasets.SourceForce, datasets.SourceHomeOffice, -1},
	} {
		rep, err := Answer(context.Background(), Data{Counts: counts, Coverage: cov}, Request{
			Forces: []string{"E23000038"}, Offences: []datasets.Selector{sh}, Window: datasets.WindowFinancialYear, SourceOrder: tc.order})
		if err != nil {
			t.Fatal(err)
		}
		a := topicByName(t, rep, "Stalking and harassment", TaxonomyOfficial).Answers[0]
		if a.Figure.Source != tc.quoted || len(a.Others) != 1 || a.Others[0].Source != tc.other {
			t.Errorf("order %v: quoted %s (%d), others %+v", tc.order, a.Figure.Source, a.Figure.Count, a.Others)
		}
		if len(rep.Reconciliation) != 1 || rep.Reconciliation[0].Difference != tc.diff || !strings.HasPrefix(rep.Reconciliation[0].Reason, "Timing and status") {
			t.Errorf("order %v: reconciliation %+v", tc.order, rep.Reconciliation)
		}
		n := 0
		for _, f := range rep.Figures {
			if f.Quoted {
				n++
			}
		}
		if n != 1 {
			t.Errorf("order %v: %d quoted figures, want 1", tc.order, n)
		}
	}
	if _, err := Answer(context.Background(), Data{Counts: counts, Coverage: cov}, Request{SourceOrder: []string{"guesswork"}}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("unknown source: %v", err)
	}
}

// TestAnswerRanks: one rule for every rank. Every force and BTP records
// burglary; Wiltshire and Dorset rise by the same one-decimal percentage
// and share a rank; BTP, whatever its change, is not ranked.
func TestAnswerRanks(t *testing.T) {
	var data Data
	start := mustMonth(t, "2017-01")
	for i, f := range datasets.Forces() {
		now := int64(100 + i)
		switch f.Code {
		case "E23000038", "E23000039":
			now = 200 // +100% on 100 a month, the largest rise
		case datasets.CodeBTP:
			now = 1000
		}
		vals := append(repeat(100, 12), repeat(now, 12)...)
		c, v := monthlyData(datasets.SourcePoliceUK, f.Code, "Burglary", start, vals...)
		data.Counts, data.Coverage = append(data.Counts, c...), append(data.Coverage, v...)
	}
	rep, err := Answer(context.Background(), data, Request{Forces: []string{"E23000038", "E23000039"}, Offences: []datasets.Selector{burglary}})
	if err != nil {
		t.Fatal(err)
	}
	tp := topicByName(t, rep, "Burglary", TaxonomyPoliceUK)
	for _, f := range tp.Areas {
		switch f.AreaCode {
		case "E23000038", "E23000039":
			if f.Rank != 1 || f.Ranked != 43 {
				t.Errorf("%s: rank %d of %d, want 1 of 43 (shared)", f.AreaName, f.Rank, f.Ranked)
			}
		case datasets.CodeBTP:
			if f.Rank != 0 {
				t.Errorf("BTP ranked %d", f.Rank)
			}
		}
	}
	if tp.Compared != 43 || tp.Rose != 42 {
		t.Errorf("rose %d of %d, want 42 of 43 (one force has 100 on 100: the first force's i is 0)", tp.Rose, tp.Compared)
	}
	if a := tp.Answers[0]; a.Figure.Rank != 1 || a.Against.Verdict != AgainstHigher {
		t.Errorf("Wiltshire's answer: rank %d, against %+v", a.Figure.Rank, a.Against)
	}
}

// TestAnswerShort: five months of police.uk data give no 12-month figure;
// the report shows each month's counts and says why.
func TestAnswerShort(t *testing.T) {
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", mustMonth(t, "2018-10"), 5, 6, 7, 8, 9)
	rep, err := Answer(context.Background(), Data{Counts: counts, Coverage: cov}, Request{Forces: []string{"E23000038"}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Short || rep.PeriodEnd != mustMonth(t, "2019-02") || len(rep.Notes) == 0 ||
		!strings.Contains(rep.Notes[0].Text, "October 2018 to February 2019 (5 months)") {
		t.Fatalf("short %v period %s notes %+v", rep.Short, rep.PeriodEnd, rep.Notes)
	}
	tp := topicByName(t, rep, "Burglary", TaxonomyPoliceUK)
	if len(tp.Monthly) != 1 || len(tp.Monthly[0].Periods) != 5 || tp.Monthly[0].Periods[4].Count != 9 || tp.Empty == "" {
		t.Errorf("monthly %+v empty %q", tp.Monthly, tp.Empty)
	}
	if _, err := Answer(context.Background(), Data{Counts: counts, Coverage: cov}, Request{Offences: []datasets.Selector{mustSelector(t, "Stalking and harassment")}}); !errors.Is(err, ErrNoSource) ||
		!strings.Contains(err.Error(), `inside "Violence and sexual offences"`) {
		t.Errorf("stalking on police.uk data: %v", err)
	}
}

// TestAnswerCategoryOnHomeOfficeCodes: a data.police.uk category asked of
// Home Office data is an official topic whose name says it is made of Home
// Office codes, beside the police.uk topic of the category.
func TestAnswerCategoryOnHomeOfficeCodes(t *testing.T) {
	counts, cov := quarterlyHO("E23000039", "8Q", 2017, 8, 70)
	c, v := monthlyData(datasets.SourcePoliceUK, "E23000039", "Violence and sexual offences", mustMonth(t, "2017-04"), repeat(90, 24)...)
	rep, err := Answer(context.Background(), Data{Counts: append(counts, c...), Coverage: append(cov, v...)}, Request{
		Offences: []datasets.Selector{mustSelector(t, "Violence and sexual offences")}})
	if err != nil {
		t.Fatal(err)
	}
	topicByName(t, rep, "Violence and sexual offences (Home Office codes)", TaxonomyOfficial)
	topicByName(t, rep, "Violence and sexual offences", TaxonomyPoliceUK)
	// Robbery, the same codes in both, is named plainly.
	counts2, cov2 := quarterlyHO("E23000039", "34A", 2017, 8, 70)
	rep, err = Answer(context.Background(), Data{Counts: counts2, Coverage: cov2}, Request{Offences: []datasets.Selector{mustSelector(t, "Robbery")}})
	if err != nil {
		t.Fatal(err)
	}
	topicByName(t, rep, "Robbery", TaxonomyOfficial)
}

// TestAnswerFootnotes: a published figure carries its row's footnotes, a
// computed one none, and each release in Sources carries its notes (a note
// naming a release the data lacks is not shown).
func TestAnswerFootnotes(t *testing.T) {
	m := func(s string) datasets.Month { return mustMonth(t, s) }
	const rel = "ons-pfa-2018-09-corrected"
	sh := "Stalking and harassment"
	notes := []string{"Table P1: on the header", "Tables P1 and P3: on the row"}
	pub := []datasets.Published{
		{Release: rel, File: "dir/sep18.xlsx", AreaCode: "E23000038", AreaName: "Wiltshire", Offence: sh, PeriodEnd: m("2018-09"), Months: 12,
			HasCount: true, Count: 2182, HasPct: true, PctChange: 14.6, Footnotes: notes},
		{Release: rel, File: "dir/sep18.xlsx", AreaCode: datasets.CodeEnglandWales, AreaName: "ENGLAND AND WALES", Offence: sh,
			PeriodEnd: m("2018-09"), Months: 12, HasCount: true, Count: 371953, HasPct: true, PctChange: 41.3},
	}
	c, v := quarterlyHO("E23000038", "8Q", 2016, 10, 500)
	rep, err := Answer(context.Background(), Data{Counts: c, Coverage: v, Published: pub, ReleaseNotes: []datasets.ReleaseNote{
		{Release: rel, Text: "Tables P1, P2 and P3: on every figure"}, {Release: "ons-pfa-2019-03", Text: "not in the data"},
	}}, Request{Forces: []string{"E23000038"}, Offences: []datasets.Selector{mustSelector(t, sh)}, Period: m("2018-09")})
	if err != nil {
		t.Fatal(err)
	}
	tp := topicByName(t, rep, sh, TaxonomyOfficial)
	a := tp.Answers[0]
	if f := a.Figure; f.Release != rel || strings.Join(f.Footnotes, "|") != strings.Join(notes, "|") {
		t.Errorf("quoted figure %s with footnotes %q, want %s's with %q", f.Release, f.Footnotes, rel, notes)
	}
	if tp.National.Footnotes != nil {
		t.Errorf("England and Wales footnotes %q, want none", tp.National.Footnotes)
	}
	computed := 0
	for _, o := range a.Others {
		if o.Source == datasets.SourceHomeOffice {
			computed++
			if o.Footnotes != nil {
				t.Errorf("computed figure with footnotes %q", o.Footnotes)
			}
		}
	}
	if computed != 1 {
		t.Errorf("%d Home Office figures beside the quoted one, want 1: %+v", computed, a.Others)
	}
	var got []string
	for _, src := range rep.Sources {
		for _, r := range src.Releases {
			got = append(got, r.ID+": "+strings.Join(r.Notes, "|"))
		}
	}
	if want := rel + ": Tables P1, P2 and P3: on every figure"; len(got) != 1 || got[0] != want {
		t.Errorf("releases %q, want [%q]", got, want)
	}
}

// TestAnswerHistory: Wiltshire burglary monthly for eight years, January
// 2011 to December 2018, has rolling 12-month figures ending December 2011
// to December 2018 (85 windows). The default history holds the 60 ending
// January 2014 to December 2018, says so, and the figure at the period is
// the same as with every window; History 2 holds 24; AllHistory all 85.
func TestAnswerHistory(t *testing.T) {
	m := func(s string) datasets.Month { return mustMonth(t, s) }
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", m("2011-01"), repeat(10, 96)...)
	data := Data{Counts: counts, Coverage: cov}
	ends := func(rep *Report) (n int, first, last datasets.Month) {
		for _, f := range rep.Figures {
			if f.AreaCode != "E23000038" {
				continue
			}
			if n == 0 || f.PeriodEnd < first {
				first = f.PeriodEnd
			}
			last = max(last, f.PeriodEnd)
			n++
		}
		return n, first, last
	}
	for _, tc := range []struct {
		history     int
		n           int
		first       string
		cut         bool
		noteContain string
	}{
		{0, 60, "2014-01", true, "The report holds the windows ending from January 2014 to December 2018, five years"},
		{2, 24, "2017-01", true, "from January 2017 to December 2018, two years"},
		{AllHistory, 85, "2011-12", false, ""},
	} {
		rep, err := Answer(context.Background(), data, Request{Forces: []string{"E23000038"}, Offences: []datasets.Selector{burglary}, History: tc.history})
		if err != nil {
			t.Fatal(err)
		}
		n, first, last := ends(rep)
		if n != tc.n || first != m(tc.first) || last != m("2018-12") || rep.HistoryStart != m(tc.first) || rep.HistoryCut != tc.cut {
			t.Errorf("history %d: %d figures %s..%s, start %s, cut %v; want %d from %s, cut %v", tc.history, n, first, last, rep.HistoryStart, rep.HistoryCut, tc.n, tc.first, tc.cut)
		}
		var notes []string
		for _, note := range rep.Notes {
			notes = append(notes, note.Text)
		}
		if got := strings.Join(notes, "\n"); (tc.noteContain == "") != !strings.Contains(got, "The report holds the windows") || !strings.Contains(got, tc.noteContain) {
			t.Errorf("history %d: notes %q, want one saying %q", tc.history, got, tc.noteContain)
		}
		w := rep.Topics[0].Answers[0].Figure
		if w.Count != 120 || !w.HasPrevious || w.Previous != 120 || w.PeriodEnd != m("2018-12") {
			t.Errorf("history %d: the quoted figure %+v, want 120 on 120 at 2018-12", tc.history, w)
		}
	}
	for _, s := range []string{"0", "-2", "five", "1.5"} {
		if _, err := ParseHistory(s); err == nil {
			t.Errorf("ParseHistory(%q): no error", s)
		}
	}
	for s, want := range map[string]int{"": 0, "5": 5, " all ": AllHistory, "ALL": AllHistory, "15": 15} {
		if got, err := ParseHistory(s); err != nil || got != want {
			t.Errorf("ParseHistory(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
}
