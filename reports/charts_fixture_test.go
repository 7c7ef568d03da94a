package reports

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// Real force codes, for charts that place forces on the tile map.
const (
	codeWiltshire = "E23000038"
	codeGwentReal = "W15000002"
	codeDyfedReal = "W15000004"
)

// hostile is a name that would break out of a <script> or a template.
const hostile = `Evil </script><b>"x"__f__`

// chartSection is a hand-made force-page section: Wiltshire and England
// and Wales over three period ends (Wiltshire missing October 2018), a
// comparison, a ranking, twelve monthly counts and events.
//
//	Wiltshire:          -, 3,300, 3,630  (index at November 2018: 100, 110)
//	England and Wales:  400,000, 500,000, 525,000 (index 80, 100, 105)
func chartSection() Section {
	pt := func(end string, count int64) Point {
		return Point{PeriodEnd: m(end), Figure: Figure{Present: true, Count: count}}
	}
	s := Section{
		ID: "homeoffice_stalking", Source: datasets.SourceHomeOffice, Offence: sh,
		PeriodEnd: m("2018-12"), Months: 12, Window: datasets.WindowRolling12,
		Periods: []datasets.Month{m("2018-10"), m("2018-11"), m("2018-12")},
		Series: []Series{
			{AreaCode: codeWiltshire, AreaName: "Wiltshire Police", Points: []Point{{PeriodEnd: m("2018-10")}, pt("2018-11", 3300), pt("2018-12", 3630)}},
			{AreaCode: datasets.CodeEnglandWales, AreaName: "England and Wales", National: true, Points: []Point{pt("2018-10", 400000), pt("2018-11", 500000), pt("2018-12", 525000)}},
		},
		Ranking: []RankRow{
			{Rank: 1, AreaCode: codeWiltshire, AreaName: "Wiltshire Police", Chosen: true, Figure: Figure{Present: true, Count: 3438, HasPrevious: true, Previous: 3000, Change: 438, HasPct: true, PctChange: 14.6}, HasRate: true, Rate: 4.81, PopulationVintage: "mid-2018"},
			{Rank: 2, AreaCode: codeGwentReal, AreaName: "Gwent Police", Figure: Figure{Present: true, Count: 2910, HasPrevious: true, Previous: 3000, Change: -90, HasPct: true, PctChange: -3}, HasRate: true, Rate: 4.94, PopulationVintage: "mid-2018"},
			{AreaCode: codeDyfedReal, AreaName: "Dyfed-Powys Police", Figure: Figure{Present: true, Count: 40, HasPrevious: true, Previous: 30, Change: 10, Note: "base under 50"}},
		},
		Comparisons: []datasets.Comparison{{
			Source: datasets.SourceHomeOffice, Offence: sh, Window: datasets.WindowRolling12, PeriodEnd: m("2018-12"), Months: 12,
			Force: datasets.Comparator{Kind: datasets.ComparatorForce, AreaCode: codeWiltshire, Label: "Wiltshire",
				Count: 3438, HasPrevious: true, Previous: 3000, Change: 438, HasPct: true, PctChange: 14.6,
				HasRate: true, Rate: 4.81, Population: 714800, PopulationVintage: "mid-2018"},
			Comparators: []datasets.Comparator{
				{Kind: datasets.ComparatorEnglandWales, AreaCode: datasets.CodeEnglandWales, Label: "England and Wales excluding Wiltshire",
					Count: 561562, HasPrevious: true, Previous: 397000, Change: 164562, HasPct: true, PctChange: 41.45,
					HasRate: true, Rate: 9.55, Population: 58800000, PopulationVintage: "mid-2018"},
				{Kind: datasets.ComparatorPeers, Label: "Peer group excluding Wiltshire", Count: 45, HasPrevious: true, Previous: 40, Change: 5,
					Note: "base under 50", LeftOut: []string{"Gloucestershire"}},
			},
		}},
		Monthly: []MonthlySeries{
			{Source: datasets.SourceHomeOffice, Offence: sh, AreaCode: datasets.CodeEnglandWales, AreaName: "England and Wales",
				Periods: monthlyCounts("2018-01", 4000, 4100, 4200, 4300, 4400, 4500, 4600, 4700, 4800, 4900, 5000, 5100)},
			{Source: datasets.SourceHomeOffice, Offence: sh, AreaCode: codeWiltshire, AreaName: "Wiltshire Police",
				Periods: monthlyCounts("2018-01", 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 36)},
		},
		Events: []datasets.Event{
			{Month: m("2018-07"), Label: "New counting rule", Offence: sh, Source: "register"},
			{Month: m("2018-11"), Label: "Harassment notices withdrawn", AreaCode: codeWiltshire, Source: "config"},
			{Month: m("2018-12"), Label: "Elsewhere only", AreaCode: "E23000001", Source: "config"},
			{Month: m("2016-01"), Label: "Long ago", Source: "config"},
		},
	}
	return s
}

// monthlyCounts gives one PeriodCount per month from start.
func monthlyCounts(start string, counts ...int64) []PeriodCount {
	out := make([]PeriodCount, len(counts))
	for i, c := range counts {
		mm := m(start).Add(i)
		out[i] = PeriodCount{Start: mm, End: mm, Count: c}
	}
	return out
}

// option decodes a block's option JSON.
func option(t *testing.T, b chartBlock) map[string]any {
	t.Helper()
	var o map[string]any
	if err := json.Unmarshal([]byte(b.Option), &o); err != nil {
		t.Fatalf("%s: option is not JSON: %v\n%s", b.ID, err, b.Option)
	}
	return o
}

func seriesList(t *testing.T, o map[string]any) []map[string]any {
	t.Helper()
	raw, _ := o["series"].([]any)
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i], _ = r.(map[string]any)
	}
	return out
}

func seriesNamed(t *testing.T, o map[string]any, name string) map[string]any {
	t.Helper()
	for _, s := range seriesList(t, o) {
		if s["name"] == name {
			return s
		}
	}
	t.Fatalf("no series %q in %v", name, o["series"])
	return nil
}

// tableText gives a table's rows as text, cells joined by " | ".
func tableText(tb blockTable) []string {
	out := make([]string, len(tb.Rows))
	for i, r := range tb.Rows {
		cells := make([]string, len(r))
		for j, c := range r {
			cells[j] = c.Text
		}
		out[i] = strings.Join(cells, " | ")
	}
	return out
}

func checkRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d:\n got: %q\nwant: %q", what, len(got), len(want), got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s row %d:\n got: %q\nwant: %q", what, i, got[i], want[i])
		}
	}
}

var chartIDPattern = regexp.MustCompile(`^[a-z0-9_]+$`)

// checkSafe checks that a block's script parts cannot end the <script>
// and that its ID is well formed.
func checkSafe(t *testing.T, b chartBlock) {
	t.Helper()
	if !chartIDPattern.MatchString(b.ID) {
		t.Errorf("chart ID %q is not [a-z0-9_]", b.ID)
	}
	if !strings.Contains(string(b.Element), `id="`+b.ID+`"`) {
		t.Errorf("%s: element does not carry the ID: %s", b.ID, b.Element)
	}
	for what, s := range map[string]string{"option": string(b.Option), "setup": string(b.Setup)} {
		for _, bad := range []string{"<", ">", "__f__"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s: %s holds %q", b.ID, what, bad)
			}
		}
	}
}
