package reports

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestChangeBlock(t *testing.T) {
	s := chartSection()
	bs := changeBlocks(s)
	if len(bs) != 1 {
		t.Fatalf("got %d change blocks, want 1", len(bs))
	}
	b := bs[0]
	if b.ID != "change_homeoffice_stalking" {
		t.Errorf("ID %q", b.ID)
	}
	rows := tableText(b.Table)
	if len(rows) != 3 {
		t.Fatalf("rows %q", rows)
	}
	// The interval cells, against the normal approximation
	// exp(ln r ± 1.96 sqrt(1/c1 + 1/c2)), which agrees closely at these counts.
	for i, c := range []struct{ c1, c2 int64 }{{3000, 3438}, {397000, 561562}} {
		cells := strings.Split(rows[i], " | ")
		r := float64(c.c2) / float64(c.c1)
		h := 1.959964 * math.Sqrt(1/float64(c.c1)+1/float64(c.c2))
		for k, want := range []float64{100 * (r*math.Exp(-h) - 1), 100 * (r*math.Exp(h) - 1)} {
			got, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(strings.ReplaceAll(cells[4+k], ",", ""), "+"), "%"), 64)
			if err != nil || math.Abs(got-want) > 0.15 {
				t.Errorf("row %d interval end %d = %q, want about %.2f", i, k, cells[4+k], want)
			}
		}
	}
	if !strings.HasPrefix(rows[0], "Wiltshire | 3,438 | 3,000 | +14.6% | ") || !strings.HasSuffix(rows[0], " | 4.8 | mid-2018 | ") {
		t.Errorf("force row %q", rows[0])
	}
	if !b.Table.Rows[0][0].Strong || b.Table.Rows[1][0].Strong {
		t.Errorf("only the force row should be strong")
	}
	if rows[2] != "Peer group excluding Wiltshire | 45 | 40 |  |  |  |  |  | base under 50; left out for an incomplete year: Gloucestershire" {
		t.Errorf("peer row %q", rows[2])
	}
	// Ratio of ratios (3438/3000)/(561562/397000) = 0.810, interval 0.771 to 0.851.
	want := "The change in Wiltshire differs from that in England and Wales excluding Wiltshire: it rose less, or fell more (ratio of the two changes 0.81, 95% interval 0.77 to 0.85)."
	if !strings.Contains(b.Note, want) {
		t.Errorf("note lacks %q:\n%s", want, b.Note)
	}
	if !strings.Contains(b.Note, "No percentage is shown for Peer group excluding Wiltshire") || !strings.Contains(b.Note, "mid-2018 population estimates") {
		t.Errorf("note %s", b.Note)
	}
	o := option(t, b)
	sr := seriesList(t, o)[0]
	pts := sr["data"].([]any)
	if len(pts) != 2 {
		t.Fatalf("points %v, want 2 (no point on a base under 50)", pts)
	}
	p0 := pts[0].(map[string]any)
	if v := p0["value"].([]any); v[0] != 14.6 || v[1] != "Wiltshire" || p0["symbol"] != "diamond" {
		t.Errorf("force point %v", p0)
	}
	ml := sr["markLine"].(map[string]any)["data"].([]any)
	if len(ml) != 3 {
		t.Fatalf("markLines %v, want zero line and 2 intervals", ml)
	}
	if z := ml[0].(map[string]any); z["xAxis"] != 0.0 || z["name"] != "No change" {
		t.Errorf("zero line %v", z)
	}
	seg := ml[1].([]any)
	lo := seg[0].(map[string]any)["coord"].([]any)
	hi := seg[1].(map[string]any)["coord"].([]any)
	if lo[1] != "Wiltshire" || hi[1] != "Wiltshire" || !(lo[0].(float64) < 14.6 && hi[0].(float64) > 14.6) {
		t.Errorf("whisker %v to %v", lo, hi)
	}
	checkSafe(t, b)
}

func TestDiffersSentence(t *testing.T) {
	cmp := func(f1, f2, n1, n2 int64) datasets.Comparison {
		return datasets.Comparison{
			Force:       datasets.Comparator{Label: "Gwent", Count: f2, HasPrevious: true, Previous: f1},
			Comparators: []datasets.Comparator{{Kind: datasets.ComparatorEnglandWales, Label: "England and Wales excluding Gwent", Count: n2, HasPrevious: true, Previous: n1}},
		}
	}
	tests := []struct {
		name string
		c    datasets.Comparison
		want string
	}{
		// (110/100)/(1100/1000) = 1, interval 0.75 to 1.33.
		{"same", cmp(100, 110, 1000, 1100), "The change in Gwent is not clearly different from that in England and Wales excluding Gwent (ratio of the two changes 1.00, 95% interval 0.75 to 1.33), as the interval includes 1."},
		// (2000/1000)/(1000/1000) = 2, half-width 1.96*sqrt(1/1000+1/2000+1/1000+1/1000) = 0.1160.
		{"rose more", cmp(1000, 2000, 1000, 1000), "The change in Gwent differs from that in England and Wales excluding Gwent: it rose more, or fell less (ratio of the two changes 2.00, 95% interval 1.78 to 2.25)."},
		{"zero", cmp(0, 10, 1000, 1000), "Whether the change in Gwent differs from that in England and Wales excluding Gwent cannot be tested: a count is zero."},
		{"no national", datasets.Comparison{Force: datasets.Comparator{Label: "Gwent"}}, "There is no England and Wales figure without Gwent, so whether its change differs from the rest of England and Wales cannot be tested."},
	}
	for _, tt := range tests {
		if got := differsSentence(tt.c); got != tt.want {
			t.Errorf("%s:\n got: %s\nwant: %s", tt.name, got, tt.want)
		}
	}
}

func TestRateBlock(t *testing.T) {
	s := chartSection()
	bs := rateBlocks(s)
	if len(bs) != 1 {
		t.Fatalf("got %d rate blocks", len(bs))
	}
	b := bs[0]
	checkRows(t, "rates", tableText(b.Table), []string{
		"Wiltshire | 3,438 | 714,800 | 4.8 | mid-2018",
		"England and Wales excluding Wiltshire | 561,562 | 58,800,000 | 9.6 | mid-2018",
		"Peer group excluding Wiltshire | 45 |  |  | ",
	})
	o := option(t, b)
	bars := seriesList(t, o)[0]["data"].([]any)
	if len(bars) != 2 || bars[0].(map[string]any)["value"] != 4.8 || bars[1].(map[string]any)["value"] != 9.6 {
		t.Errorf("bars %v", bars)
	}
	if !strings.Contains(b.Note, "mid-2018 population estimates") || !strings.Contains(b.Note, "No rate for Peer group excluding Wiltshire") {
		t.Errorf("note %s", b.Note)
	}
	checkSafe(t, b)

	for i := range s.Comparisons[0].Comparators {
		s.Comparisons[0].Comparators[i].HasRate = false
	}
	s.Comparisons[0].Force.HasRate = false
	if bs := rateBlocks(s); len(bs) != 0 {
		t.Errorf("rate block without rates")
	}
	s.Comparisons = nil
	if bs := changeBlocks(s); len(bs) != 0 {
		t.Errorf("change block without comparisons")
	}
}

func TestForceRatesBlock(t *testing.T) {
	s := chartSection()
	s.Ranking = append(s.Ranking, RankRow{AreaCode: "E23000037", AreaName: "Gloucestershire Constabulary", Figure: Figure{Present: true, Count: 3000}, HasRate: true, Rate: 4.8449, PopulationVintage: "mid-2018"})
	b, ok := forceRatesBlock(s)
	if !ok {
		t.Fatal("no block")
	}
	if b.ID != "rates_homeoffice_stalking" {
		t.Errorf("ID %q", b.ID)
	}
	// Highest first; Gloucestershire 4.84 rounds as Wiltshire's 4.81 does not: 4.8 both, so they share rank 2.
	checkRows(t, "force rates", tableText(b.Table), []string{
		"1 | Gwent Police |  | 2,910 | 4.9 | mid-2018",
		"2 | Gloucestershire Constabulary |  | 3,000 | 4.8 | mid-2018",
		"2 | Wiltshire Police | ★ chosen | 3,438 | 4.8 | mid-2018",
	})
	names := option(t, b)["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
	if names[2] != "★ Wiltshire Police" {
		t.Errorf("axis %v", names)
	}
	if !strings.Contains(b.Note, " 1 force has no rate (no population estimate) and is left out.") {
		t.Errorf("note %s", b.Note)
	}
	for i := range s.Ranking {
		s.Ranking[i].HasRate = false
	}
	if _, ok := forceRatesBlock(s); ok {
		t.Error("block without rates")
	}
}

func TestIndexBlock(t *testing.T) {
	s := chartSection()
	b, ok := indexBlock(s)
	if !ok {
		t.Fatal("no index block")
	}
	if b.ID != "index_homeoffice_stalking" {
		t.Errorf("ID %q", b.ID)
	}
	// Base: November 2018, the first period with both present.
	checkRows(t, "index", tableText(b.Table), []string{
		"October 2018 |  |  | 400,000 | 80.0",
		"November 2018 | 3,300 | 100.0 | 500,000 | 100.0",
		"December 2018 | 3,630 | 110.0 | 525,000 | 105.0",
	})
	o := option(t, b)
	w := seriesNamed(t, o, "Wiltshire Police")["data"].([]any)
	if w[0].(map[string]any)["value"] != "-" || w[2].(map[string]any)["value"] != 110.0 {
		t.Errorf("Wiltshire index %v", w)
	}
	// Events in the span of the windows (January 2018 to December 2018)
	// that concern Wiltshire or every area; the break goes to the first
	// period end after it.
	ml := seriesNamed(t, o, "Wiltshire Police")["markLine"].(map[string]any)["data"].([]any)
	if len(ml) != 2 || ml[0].(map[string]any)["xAxis"] != "2018-10" || ml[1].(map[string]any)["xAxis"] != "2018-11" {
		t.Errorf("markLines %v", ml)
	}
	if !strings.Contains(b.Note, "indexed to 100 at the 12 months to November 2018") {
		t.Errorf("note %s", b.Note)
	}

	s.Series = s.Series[1:] // England and Wales only
	if _, ok := indexBlock(s); ok {
		t.Error("index block without a force")
	}
}
