package reports

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// A report in financial-year-to-date windows uses only the rows whose
// length is that window's at their end month, and says so in its words.
func TestBuildViewWindow(t *testing.T) {
	ho := datasets.SourceHomeOffice
	fytd := func(code, name string, count, prev int64) datasets.Trend {
		r := trend(ho, sh, code, name, "2018-09", count, prev, "")
		r.Months = 6 // April to September
		return r
	}
	trends := []datasets.Trend{
		fytd(datasets.CodeEnglandWales, "England and Wales", 300000, 200000),    // +50.0%
		fytd(codeWilts, "Wiltshire Police", 1100, 1000),                         // +10.0%
		trend(ho, sh, codeWilts, "Wiltshire Police", "2018-09", 3438, 3000, ""), // a rolling year: not this window
	}
	opts := Options{Forces: []string{codeWilts}, Window: datasets.WindowFYTD}
	v := BuildView(trends, opts)
	if len(v.Sections) != 1 {
		t.Fatalf("got %d sections, want 1", len(v.Sections))
	}
	s := v.Sections[0]
	if s.Months != 6 || s.Window != datasets.WindowFYTD || s.WindowTitle != "Financial year to date, April to September 2018" {
		t.Errorf("window = %d, %q, %q", s.Months, s.Window, s.WindowTitle)
	}
	want := "Offences of stalking and harassment recorded by Wiltshire Police rose by 10.0% in the financial year to date (April to September 2018), against a rise of 50.0% in England and Wales."
	if want = strings.Replace(want, "against a rise of 50.0%", "against 50.0%", 1); !strings.HasPrefix(s.Headlines[0], want) {
		t.Errorf("headline:\n got %q\nwant prefix %q", s.Headlines[0], want)
	}
	if len(s.Ranking) != 1 || s.Ranking[0].Count != 1100 {
		t.Errorf("ranking = %+v, want Wiltshire's 1,100 only", s.Ranking)
	}
	if !strings.Contains(strings.Join(v.Notes, " "), "the financial year to date (April to the month shown)") {
		t.Errorf("notes %q do not name the window", v.Notes)
	}
}

func TestRisesHeadline(t *testing.T) {
	fig := func(code string, count, prev int64) RankRow {
		return RankRow{AreaCode: code, Figure: Figure{Present: true, Count: count, HasPrevious: prev >= 0, Previous: max(prev, 0), Change: count - max(prev, 0)}}
	}
	sep := m("2018-09")
	tests := []struct {
		name string
		rows []RankRow
		want string
	}{
		{"rise fall same", []RankRow{fig("E23000001", 10, 5), fig("E23000002", 5, 10), fig("E23000003", 7, 7), fig(datasets.CodeBTP, 9, 1), fig("E23000004", 9, -1)},
			"1 of 3 forces recorded a rise in offences of robbery in the 12 months to September 2018; 1 recorded a fall and 1 no change (3 of the 43 forces have figures for both years)."},
		{"all rose", []RankRow{fig("E23000001", 10, 5), fig("E23000002", 11, 10)},
			"2 of 2 forces recorded a rise in offences of robbery in the 12 months to September 2018 (2 of the 43 forces have figures for both years)."},
		{"one force is not enough", []RankRow{fig("E23000001", 10, 5)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := risesHeadline(phraseFor("Robbery"), tt.rows, datasets.WindowRolling12, sep); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
	// All 43 compared: no bracket.
	var all []RankRow
	for i, f := range datasets.Forces() {
		if f.Kind == datasets.KindForce {
			all = append(all, fig(f.Code, int64(100+i%2), 100))
		}
	}
	got := risesHeadline(phraseFor("Robbery"), all, datasets.WindowRolling12, sep)
	if want := "21 of 43 forces recorded a rise in offences of robbery in the 12 months to September 2018; 22 recorded no change."; got != want {
		t.Errorf("43 forces: got %q, want %q", got, want)
	}
}

// Rates in the ranking share one population vintage: Wiltshire's 1,896
// offences over its mid-2018 population of 720,100 (SOURCES.md) is 2.633
// per 1,000.
func TestRankingRates(t *testing.T) {
	const wilts, dorset = "E23000038", "E23000039"
	rs := []RankRow{
		{AreaCode: wilts, Figure: Figure{Present: true, Count: 1896}},
		{AreaCode: datasets.CodeBTP, Figure: Figure{Present: true, Count: 500}},
	}
	_ = dorset
	rankingRates(rs, datasets.BuiltinPopulations(), m("2019-03"))
	if !rs[0].HasRate || rs[0].PopulationVintage != "mid-2018" || math.Abs(rs[0].Rate-1896.0*1000/720100) > 1e-9 {
		t.Errorf("Wiltshire: %+v, want 2.633 per 1,000 on mid-2018", rs[0])
	}
	if rs[1].HasRate {
		t.Errorf("BTP has no resident population, got a rate %+v", rs[1])
	}
	rankingRates(rs[:1], nil, m("2019-03")) // no populations: left as is
}

// A like-for-like England and Wales total is never passed off as the whole.
func TestNationalName(t *testing.T) {
	h := "Offences recorded by Wiltshire Police rose by 1.0%, against 2.0% in England and Wales."
	ew := datasets.Trend{AreaName: "England and Wales excluding Greater Manchester"}
	if got, want := nationalName(h, ew), "Offences recorded by Wiltshire Police rose by 1.0%, against 2.0% in England and Wales excluding Greater Manchester."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := nationalName(h, datasets.Trend{AreaName: "England and Wales"}); got != h {
		t.Errorf("plain total changed the headline: %q", got)
	}
}

// Sections pick up the comparisons, monthly series, events and
// reconciliations that concern them, and the register's breaks as events.
func TestAttachSectionData(t *testing.T) {
	opts := fixtureOptions()
	ho := datasets.SourceHomeOffice
	sep := m("2018-09")
	opts.Comparisons = []datasets.Comparison{
		{Source: ho, Offence: sh, PeriodEnd: sep, Months: 12, Force: datasets.Comparator{AreaCode: codeWilts}},
		{Source: ho, Offence: sh, PeriodEnd: m("2018-06"), Months: 12}, // another window
		{Source: ho, Offence: "Robbery", PeriodEnd: sep, Months: 12},   // another offence
	}
	opts.Monthly = []MonthlySeries{
		{Source: ho, Offence: sh, AreaCode: codeWilts},
		{Source: ho, Offence: sh, AreaCode: codeGwent}, // not chosen
	}
	opts.Events = []datasets.Event{
		{Month: m("2018-04"), Label: "HIN withdrawn", Source: "config"},
		{Month: m("2018-04"), Label: "Robbery only", Offence: "Robbery", Source: "config"},
		{Month: m("2010-01"), Label: "too early", Source: "config"},
	}
	opts.Reconciliations = []datasets.Reconciliation{{Offence: sh, End: sep}, {Offence: sh, End: m("2018-12")}}
	v := BuildView(fixtureTrends(), opts)
	s := v.Sections[0]
	if len(s.Comparisons) != 1 || len(s.Monthly) != 1 || len(s.Reconciliations) != 1 {
		t.Errorf("comparisons %d, monthly %d, reconciliations %d; want 1 each", len(s.Comparisons), len(s.Monthly), len(s.Reconciliations))
	}
	var labels []string
	for _, e := range s.Events {
		labels = append(labels, e.Source+": "+e.Month.String())
	}
	// The timeline runs from August 2017 (the first month of the first
	// plotted window, the 12 months to July 2018) to September 2018: the
	// config event and the April 2018 break, not April 2017's, in month order.
	want := "config: 2018-04, register: 2018-04"
	if got := strings.Join(labels, ", "); got != want {
		t.Errorf("events = %s, want %s", got, want)
	}
}

// A peer group's line sums its members other than the chosen force, and
// only at periods where every one of them has a figure.
func TestPeerSeries(t *testing.T) {
	opts := fixtureOptions()
	// Gwent 2,910 and Dyfed-Powys 40 at September 2018; neither has August.
	opts.PeerGroups = []datasets.PeerGroup{
		{Name: "Peers", Members: []string{codeWilts, codeGwent, codeDyfed}},
		{Name: "Wiltshire alone", Members: []string{codeWilts}}, // nothing left without Wiltshire
	}
	v := BuildView(fixtureTrends(), opts)
	s := v.Sections[0]
	if len(s.Peers) != 1 {
		t.Fatalf("got %d peer series, want 1: %+v", len(s.Peers), s.Peers)
	}
	p := s.Peers[0]
	if p.AreaName != "Peers excluding Wiltshire Police" || !p.Peer || p.For != codeWilts {
		t.Errorf("series = %+v", p)
	}
	var got []int64
	for _, pt := range p.Points {
		if pt.Present {
			got = append(got, pt.Count)
		} else {
			got = append(got, -1)
		}
	}
	if want := []int64{-1, -1, 2950}; !reflect.DeepEqual(got, want) {
		t.Errorf("points = %v, want %v (July, August: a member missing; September 2,910 + 40)", got, want)
	}
	b, ok := indexBlock(s)
	if !ok {
		t.Fatal("no index chart")
	}
	if !strings.Contains(string(b.Option), `"Peers excluding Wiltshire Police"`) || !strings.Contains(string(b.Option), `"dotted"`) {
		t.Errorf("the index chart does not draw the peer group: %s", b.Option)
	}
	if last := b.Table.Rows[len(b.Table.Rows)-1]; last[len(last)-1].Text != "100.0" {
		t.Errorf("peer index at the base period = %q, want 100.0", last[len(last)-1].Text)
	}
}
