package reports

import (
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestBuildViewSections(t *testing.T) {
	v := BuildView(fixtureTrends(), fixtureOptions())
	if len(v.Sections) != 2 {
		t.Fatalf("got %d sections, want 2", len(v.Sections))
	}
	ho, pu := v.Sections[0], v.Sections[1]
	if ho.ID != "homeoffice_stalking_and_harassment" || pu.ID != "policeuk_violence_and_sexual_offences" {
		t.Errorf("section IDs = %q, %q", ho.ID, pu.ID)
	}
	if ho.Status != "Official statistics (not accredited)" || !strings.HasPrefix(pu.Status, "Management information") {
		t.Errorf("statuses = %q, %q", ho.Status, pu.Status)
	}
	wantHead := []string{"SYNTHETIC DATA: Offences of stalking and harassment recorded by Wiltshire Police rose by 14.6% in the 12 months to September 2018, against 41.3% in England and Wales." + breaks2017And2018,
		"2 of 3 forces recorded a rise in offences of stalking and harassment in the 12 months to September 2018; 1 recorded a fall (3 of the 43 forces have figures for both years)."}
	if !reflect.DeepEqual(ho.Headlines, wantHead) {
		t.Errorf("headlines:\n got %q\nwant %q", ho.Headlines, wantHead)
	}
	wantPU := []string{"SYNTHETIC DATA: Violence and sexual offences recorded by Wiltshire Police rose by 20.0% in the 12 months to September 2018; the England and Wales comparison is not available." + breaks2017And2018}
	if !reflect.DeepEqual(pu.Headlines, wantPU) {
		t.Errorf("police.uk headlines:\n got %q\nwant %q", pu.Headlines, wantPU)
	}

	// Focus series: Wiltshire then E&W over July-September, with a gap for
	// Wiltshire in July.
	wantPeriods := []datasets.Month{m("2018-07"), m("2018-08"), m("2018-09")}
	if !reflect.DeepEqual(ho.Periods, wantPeriods) {
		t.Errorf("periods = %v, want %v", ho.Periods, wantPeriods)
	}
	type pt struct {
		present bool
		count   int64
	}
	var got [][]pt
	for _, sr := range ho.Series {
		var row []pt
		for _, p := range sr.Points {
			row = append(row, pt{p.Present, p.Count})
		}
		got = append(got, row)
	}
	want := [][]pt{
		{{false, 0}, {true, 3300}, {true, 3438}},
		{{true, 520000}, {true, 540000}, {true, 565000}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("series = %v, want %v", got, want)
	}
	if ho.Series[0].AreaName != "Wiltshire Police" || ho.Series[1].AreaName != "England and Wales" || !ho.Series[1].National {
		t.Errorf("series names = %q, %q", ho.Series[0].AreaName, ho.Series[1].AreaName)
	}

	// Ranking: by % change, then the rows without one by name; E&W excluded.
	type rk struct {
		rank   int
		name   string
		chosen bool
		pct    string
	}
	var gotR []rk
	for _, r := range ho.Ranking {
		p := ""
		if r.HasPct {
			p = FormatPct(r.PctChange)
		}
		gotR = append(gotR, rk{r.Rank, r.AreaName, r.Chosen, p})
	}
	wantR := []rk{
		{1, "Wiltshire Police", true, "14.6"},
		{2, "Gwent Police", false, "-3.0"},
		{0, "Dyfed-Powys Police", false, ""},
		{0, "North Wales Police", false, ""},
	}
	if !reflect.DeepEqual(gotR, wantR) {
		t.Errorf("ranking:\n got %v\nwant %v", gotR, wantR)
	}
	if len(v.Trends) != len(fixtureTrends()) {
		t.Errorf("view keeps %d trend rows, want %d", len(v.Trends), len(fixtureTrends()))
	}
}

func TestBuildViewNoForces(t *testing.T) {
	opts := fixtureOptions()
	opts.Forces = nil
	opts.Synthetic = false
	opts.Offences = []string{sh, "Burglary"} // Burglary has no rows: no section
	v := BuildView(fixtureTrends(), opts)
	if len(v.Sections) != 1 {
		t.Fatalf("got %d sections, want 1", len(v.Sections))
	}
	s := v.Sections[0]
	want := []string{"Offences of stalking and harassment recorded by the police in England and Wales rose by 41.3% in the 12 months to September 2018." + breaks2017And2018,
		"2 of 3 forces recorded a rise in offences of stalking and harassment in the 12 months to September 2018; 1 recorded a fall (3 of the 43 forces have figures for both years)."}
	if !reflect.DeepEqual(s.Headlines, want) {
		t.Errorf("got %q, want %q", s.Headlines, want)
	}
	if len(s.Series) != 1 || !s.Series[0].National {
		t.Errorf("series = %+v, want England and Wales only", s.Series)
	}
	for _, r := range s.Ranking {
		if r.Chosen {
			t.Errorf("%s chosen with no forces chosen", r.AreaName)
		}
	}
}

func TestBuildViewPeriodEndDefaultsAndCaps(t *testing.T) {
	opts := fixtureOptions()
	opts.PeriodEnd = map[string]datasets.Month{datasets.SourceHomeOffice: m("2018-08")}
	v := BuildView(fixtureTrends(), opts)
	ho, pu := v.Sections[0], v.Sections[1]
	if ho.PeriodEnd != m("2018-08") || pu.PeriodEnd != m("2018-09") {
		t.Errorf("period ends = %v, %v; want 2018-08 (given) and 2018-09 (latest)", ho.PeriodEnd, pu.PeriodEnd)
	}
	if last := ho.Periods[len(ho.Periods)-1]; last != m("2018-08") {
		t.Errorf("series run to %v, want 2018-08", last)
	}
	want := "SYNTHETIC DATA: Offences of stalking and harassment recorded by Wiltshire Police rose by 10.0% in the 12 months to August 2018, against 38.5% in England and Wales." + breaks2017And2018
	if ho.Headlines[0] != want {
		t.Errorf("got  %s\nwant %s", ho.Headlines[0], want)
	}
	// Only Wiltshire has a row in August.
	if len(ho.Ranking) != 1 || ho.Ranking[0].AreaCode != codeWilts {
		t.Errorf("ranking = %+v", ho.Ranking)
	}
}

func TestBuildViewDeterministic(t *testing.T) {
	ts := fixtureTrends()
	a := BuildView(ts, fixtureOptions())
	// Reverse the input: same view.
	rev := make([]datasets.Trend, len(ts))
	for i, t := range ts {
		rev[len(ts)-1-i] = t
	}
	b := BuildView(rev, fixtureOptions())
	if !reflect.DeepEqual(a, b) {
		t.Error("BuildView depends on input order")
	}
	if !reflect.DeepEqual(ts, fixtureTrends()) {
		t.Error("BuildView changed its input")
	}
}

func TestRankTies(t *testing.T) {
	rs := []RankRow{
		{AreaCode: "C", AreaName: "C", Figure: Figure{Present: true, HasPct: true, PctChange: 5.04}},
		{AreaCode: "A", AreaName: "A", Figure: Figure{Present: true, HasPct: true, PctChange: 5.01}},
		{AreaCode: "B", AreaName: "B", Figure: Figure{Present: true, HasPct: true, PctChange: 7}},
		{AreaCode: "D", AreaName: "D", Figure: Figure{Present: true}},
	}
	sortRanking(rs)
	var got []string
	for _, r := range rs {
		got = append(got, r.AreaCode+":"+string(rune('0'+r.Rank)))
	}
	want := []string{"B:1", "C:2", "A:2", "D:0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSheetNames(t *testing.T) {
	v := View{Sections: []Section{
		{Offence: "Total recorded crime (excluding fraud)"},
		{Offence: "Theft: [all]/other*?"},
		{Offence: "Total recorded crime (excluding fraud)"},
	}}
	names, _ := WorkbookSheets(v)
	want := []string{"Cover", "Notes", "Trends",
		"Series 1 Total recorded crime (e", "Ranking 1 Total recorded crime",
		"Series 2 Theft allother", "Ranking 2 Theft allother",
		"Series 3 Total recorded crime (e", "Ranking 3 Total recorded crime"}
	for i := range want {
		if len([]rune(want[i])) > 31 {
			want[i] = string([]rune(want[i])[:31])
		}
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("got %q\nwant %q", names, want)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] || len([]rune(n)) > 31 {
			t.Errorf("bad sheet name %q", n)
		}
		seen[n] = true
	}
}
