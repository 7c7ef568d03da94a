package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

// update (-update) rewrites the expected output of text cases in testdata.
var update = testutil.Update

// A trends text case is input lines, a line "----", then the expected
// trends as CSV. Input lines are CSV records whose first field says what
// they are (blank lines and lines starting with # are ignored):
//
//	option,window,12                      TrendsOptions.Window (also minbase)
//	selector,<kind>,<key>,<label>         kind: total, group, subgroup, code, category
//	count,<source>,<area>,<offence>,<start>,<end>,<n>
//	monthly,<source>,<area>,<offence>,<start>,<n> <n> ...  one count a month; "-" for none
//	coverage,<source>,<area>,<start>,<end>                 one span
//	monthly-coverage,<source>,<area>,<start>,<end>         one span a month
//	quarterly-coverage,<source>,<area>,<start>,<end>       one span every 3 months from start
type trendsCase struct {
	counts   []datasets.Count
	coverage []datasets.Coverage
	opts     TrendsOptions
}

func TestTrendsGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "trends", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no cases in testdata/trends")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			input, want, ok := strings.Cut(string(data), "\n----\n")
			if !ok {
				t.Fatalf("%s: no line ---- between input and expected output", file)
			}
			tc, err := parseTrendsCase(input)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			trends, err := Trends(context.Background(), tc.counts, tc.coverage, tc.opts)
			if err != nil {
				t.Fatalf("Trends: %v", err)
			}
			got := formatTrends(trends)
			if *update {
				if err := os.WriteFile(file, []byte(input+"\n----\n"+got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != want {
				t.Errorf("%s: trends differ (run with -update and review the diff)\n%s", file, lineDiff(want, got))
			}
		})
	}
}

func parseTrendsCase(input string) (trendsCase, error) {
	var tc trendsCase
	month := func(s string) datasets.Month {
		m, err := datasets.ParseMonth(s)
		if err != nil {
			panic(err)
		}
		return m
	}
	kinds := map[string]datasets.SelectorKind{"total": datasets.SelectTotal, "group": datasets.SelectGroup,
		"subgroup": datasets.SelectSubgroup, "code": datasets.SelectCode, "category": datasets.SelectCategory}
	for n, line := range strings.Split(input, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			return tc, fmt.Errorf("line %d: %v", n+1, err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("%v", r)
				}
			}()
			switch {
			case rec[0] == "option" && len(rec) == 3 && rec[1] == "window":
				tc.opts.Window, err = strconv.Atoi(rec[2])
			case rec[0] == "option" && len(rec) == 3 && rec[1] == "minbase":
				tc.opts.MinBase, err = strconv.Atoi(rec[2])
			case rec[0] == "selector" && len(rec) == 4 && kinds[rec[1]] != 0:
				tc.opts.Selectors = append(tc.opts.Selectors, datasets.Selector{Kind: kinds[rec[1]], Key: rec[2], Label: rec[3]})
			case rec[0] == "count" && len(rec) == 7:
				var c int64
				c, err = strconv.ParseInt(rec[6], 10, 64)
				tc.counts = append(tc.counts, datasets.Count{Source: rec[1], AreaCode: rec[2], Offence: rec[3],
					Start: month(rec[4]), End: month(rec[5]), Count: c})
			case rec[0] == "monthly" && len(rec) == 6:
				m := month(rec[4])
				for i, f := range strings.Fields(rec[5]) {
					if f == "-" {
						continue
					}
					var c int64
					if c, err = strconv.ParseInt(f, 10, 64); err != nil {
						return
					}
					tc.counts = append(tc.counts, datasets.Count{Source: rec[1], AreaCode: rec[2], Offence: rec[3],
						Start: m.Add(i), End: m.Add(i), Count: c})
				}
			case rec[0] == "coverage" && len(rec) == 5:
				tc.coverage = append(tc.coverage, datasets.Coverage{Source: rec[1], AreaCode: rec[2], Start: month(rec[3]), End: month(rec[4])})
			case (rec[0] == "monthly-coverage" || rec[0] == "quarterly-coverage") && len(rec) == 5:
				step := 1
				if rec[0] == "quarterly-coverage" {
					step = 3
				}
				for m := month(rec[3]); m <= month(rec[4]); m = m.Add(step) {
					tc.coverage = append(tc.coverage, datasets.Coverage{Source: rec[1], AreaCode: rec[2], Start: m, End: m.Add(step - 1)})
				}
			default:
				err = errors.New("unknown line")
			}
		}()
		if err != nil {
			return tc, fmt.Errorf("line %d: %q: %v", n+1, line, err)
		}
	}
	return tc, nil
}

// formatTrends writes every field of every trend as CSV.
func formatTrends(trends []datasets.Trend) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"source", "offence", "area_code", "area_name", "period_end", "months", "count",
		"has_previous", "previous", "change", "has_pct", "pct_change", "note"})
	for _, t := range trends {
		w.Write([]string{t.Source, t.Offence, t.AreaCode, t.AreaName, t.PeriodEnd.String(), strconv.Itoa(t.Months),
			strconv.FormatInt(t.Count, 10), strconv.FormatBool(t.HasPrevious), strconv.FormatInt(t.Previous, 10),
			strconv.FormatInt(t.Change, 10), strconv.FormatBool(t.HasPct), strconv.FormatFloat(t.PctChange, 'f', -1, 64), t.Note})
	}
	w.Flush()
	return b.String()
}

// lineDiff lists the lines that differ between want and got.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, w, g)
		}
	}
	return b.String()
}

func mustMonth(t testing.TB, s string) datasets.Month {
	t.Helper()
	m, err := datasets.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// monthlyData gives area one count of offence per month from start, with
// coverage for each month; a negative value means the month is not
// covered and has no count.
func monthlyData(source, area, offence string, start datasets.Month, values ...int64) ([]datasets.Count, []datasets.Coverage) {
	var counts []datasets.Count
	var cov []datasets.Coverage
	for i, v := range values {
		m := start.Add(i)
		if v < 0 {
			continue
		}
		cov = append(cov, datasets.Coverage{Source: source, AreaCode: area, Start: m, End: m})
		counts = append(counts, datasets.Count{Source: source, AreaCode: area, Offence: offence, Start: m, End: m, Count: v})
	}
	return counts, cov
}

func repeat(v int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

var burglary = datasets.Selector{Kind: datasets.SelectCategory, Key: "Burglary", Label: "Burglary"}

// TestTrendsAggregates builds all 43 forces and BTP from datasets.Forces()
// and checks the regional, country and national totals by hand-computed
// figures: English forces record 10 burglaries a month in 2017 and 11 in
// 2018, Welsh forces 20 and 20, BTP 5 and 5.
func TestTrendsAggregates(t *testing.T) {
	forces := datasets.Forces()
	if len(forces) != 44 {
		t.Fatalf("datasets.Forces() has %d areas, want 43 forces and BTP", len(forces))
	}
	start := mustMonth(t, "2017-01")
	build := func(withBTP bool, gap string) ([]datasets.Count, []datasets.Coverage) {
		var counts []datasets.Count
		var cov []datasets.Coverage
		for _, f := range forces {
			var y1, y2 int64
			switch {
			case f.Code == datasets.CodeBTP:
				if !withBTP {
					continue
				}
				y1, y2 = 5, 5
			case strings.HasPrefix(f.Code, "W15"):
				y1, y2 = 20, 20
			default:
				y1, y2 = 10, 11
			}
			values := append(repeat(y1, 12), repeat(y2, 12)...)
			if f.Code == gap {
				values[14] = -1 // March 2018 not covered
			}
			c, v := monthlyData(datasets.SourcePoliceUK, f.Code, "Burglary", start, values...)
			counts, cov = append(counts, c...), append(cov, v...)
		}
		return counts, cov
	}
	type row struct {
		count, previous, change int64
		pct                     float64
		name, note              string // for a like-for-like row
	}
	const lfl = "like for like: Wiltshire left out of both years (no complete data)"
	tests := []struct {
		name  string
		btp   bool
		gap   string
		want  map[string]row // area -> the row for the year ending December 2018
		rows  map[string]int // area -> number of rows (window ends)
		names map[string]string
	}{
		{
			name: "all forces and BTP",
			btp:  true,
			want: map[string]row{
				// 39*120 + 4*240 + 60 = 5700; 39*132 + 4*240 + 60 = 6168
				datasets.CodeEnglandWales: {6168, 5700, 468, 100 * 468.0 / 5700, "", ""},
				datasets.CodeEngland:      {5148, 4680, 468, 10, "", ""},
				datasets.CodeWales:        {960, 960, 0, 0, "", ""},
				"E12000009":               {660, 600, 60, 10, "", ""}, // South West: 5 forces
				"E12000007":               {264, 240, 24, 10, "", ""}, // London: Met and City
				datasets.CodeBTP:          {60, 60, 0, 0, "", ""},
				"E23000038":               {132, 120, 12, 10, "", ""},
			},
			rows: map[string]int{datasets.CodeEnglandWales: 13, datasets.CodeEngland: 13, datasets.CodeWales: 13,
				"E12000009": 13, datasets.CodeBTP: 13},
			names: map[string]string{datasets.CodeEnglandWales: "England and Wales", datasets.CodeEngland: "England",
				datasets.CodeWales: "Wales"},
		},
		{
			name: "no BTP coverage: England and Wales is the 43 forces",
			want: map[string]row{
				datasets.CodeEnglandWales: {6108, 5640, 468, 100 * 468.0 / 5640, "", ""},
				datasets.CodeEngland:      {5148, 4680, 468, 10, "", ""},
			},
			rows: map[string]int{datasets.CodeEnglandWales: 13, datasets.CodeBTP: 0},
		},
		{
			name: "Wiltshire missing March 2018: South West, England, England and Wales like for like in December 2018",
			btp:  true,
			gap:  "E23000038",
			want: map[string]row{
				datasets.CodeWales: {960, 960, 0, 0, "", ""},
				"E12000007":        {264, 240, 24, 10, "", ""},
				"E12000008":        {5 * 132, 5 * 120, 60, 10, "", ""}, // South East: 5 forces, unaffected
				// The other 4 South West forces: 4*132 on 4*120.
				"E12000009": {528, 480, 48, 10, "South West excluding Wiltshire", lfl},
				// 38 English forces: 38*132 = 5016 on 38*120 = 4560.
				datasets.CodeEngland: {5016, 4560, 456, 10, "England excluding Wiltshire", lfl},
				// 5016 + 4*240 + 60 = 6036 on 4560 + 960 + 60 = 5580.
				datasets.CodeEnglandWales: {6036, 5580, 456, 100 * 456.0 / 5580, "England and Wales excluding Wiltshire", lfl},
			},
			// Windows ending December 2017 to February 2018 do not reach
			// March 2018; of those that do, only December 2018's
			// year-earlier window is covered.
			rows: map[string]int{datasets.CodeEnglandWales: 4, datasets.CodeEngland: 4, "E12000009": 4,
				"E23000038": 3, datasets.CodeWales: 13, "E12000008": 13, "E23000037": 13},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counts, cov := build(tt.btp, tt.gap)
			trends, err := Trends(context.Background(), counts, cov, TrendsOptions{Selectors: []datasets.Selector{burglary}})
			if err != nil {
				t.Fatal(err)
			}
			dec18 := mustMonth(t, "2018-12")
			rows := map[string]int{}
			last := map[string]datasets.Trend{}
			for _, tr := range trends {
				rows[tr.AreaCode]++
				if tr.PeriodEnd == dec18 {
					last[tr.AreaCode] = tr
				}
			}
			for area, n := range tt.rows {
				if rows[area] != n {
					t.Errorf("%s: %d rows, want %d", area, rows[area], n)
				}
			}
			for area, w := range tt.want {
				got, ok := last[area]
				if !ok {
					t.Errorf("%s: no row for the year ending December 2018", area)
					continue
				}
				name := w.name
				if name == "" {
					a, _ := datasets.AreaByCode(area)
					name = a.Name
				}
				if !got.HasPrevious || !got.HasPct || got.Count != w.count || got.Previous != w.previous ||
					got.Change != w.change || got.PctChange != w.pct || got.Months != 12 || got.Note != w.note || got.AreaName != name {
					t.Errorf("%s: got %+v, want %q count %d previous %d change %d pct %v note %q", area, got, name, w.count, w.previous, w.change, w.pct, w.note)
				}
			}
			if tt.gap != "" {
				if tr, ok := last[tt.gap]; ok {
					t.Errorf("%s: got a row for December 2018 over a missing month: %+v", tt.gap, tr)
				}
			}
			for area, name := range tt.names {
				if got := last[area].AreaName; got != name {
					t.Errorf("%s: AreaName %q, want %q", area, got, name)
				}
			}
			// No area appears that is not a force, BTP or one of the
			// 13 aggregates.
			for area := range rows {
				a, ok := datasets.AreaByCode(area)
				if !ok {
					t.Errorf("unknown area %s in output", area)
				} else if a.Kind == 0 {
					t.Errorf("area %s has no kind", area)
				}
			}
		})
	}
}

// TestTrendsZeroMonth checks that a covered month without a count is a
// zero, while a month without coverage breaks every window across it.
func TestTrendsZeroMonth(t *testing.T) {
	start := mustMonth(t, "2017-01")
	values := repeat(10, 24)
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", start, values...)
	// Drop the count for June 2018 but keep its coverage.
	jun18 := mustMonth(t, "2018-06")
	var kept []datasets.Count
	for _, c := range counts {
		if c.Start != jun18 {
			kept = append(kept, c)
		}
	}
	trends, err := Trends(context.Background(), kept, cov, TrendsOptions{Selectors: []datasets.Selector{burglary}})
	if err != nil {
		t.Fatal(err)
	}
	if len(trends) != 13 {
		t.Fatalf("got %d rows, want 13 (windows ending December 2017 to December 2018)", len(trends))
	}
	for _, tr := range trends {
		want := int64(120)
		if tr.PeriodEnd >= jun18 {
			want = 110
		}
		if tr.Count != want {
			t.Errorf("%s: count %d, want %d", tr.PeriodEnd, tr.Count, want)
		}
	}
	last := trends[12]
	if last.Count != 110 || last.Previous != 120 || last.Change != -10 || !last.HasPct || last.PctChange != 100*-10.0/120 {
		t.Errorf("December 2018: got %+v, want 110 on 120, -10, %v%%", last, 100*-10.0/120)
	}
}

func TestTrendsCancelled(t *testing.T) {
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", mustMonth(t, "2017-01"), repeat(10, 24)...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	trends, err := Trends(ctx, counts, cov, TrendsOptions{Selectors: []datasets.Selector{burglary}})
	if !errors.Is(err, context.Canceled) || trends != nil {
		t.Errorf("got %d rows and error %v, want nil and context.Canceled", len(trends), err)
	}
}

func TestTrendsBadInput(t *testing.T) {
	m := mustMonth(t, "2018-01")
	ok := datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: "E23000038", Offence: "Burglary", Start: m, End: m, Count: 1}
	tests := []struct {
		name     string
		count    datasets.Count
		coverage datasets.Coverage
		opts     TrendsOptions
		want     string
	}{
		{name: "unknown area", count: func() datasets.Count { c := ok; c.AreaCode = "E23009999"; return c }(), want: `unknown area code "E23009999"`},
		{name: "region in counts", count: func() datasets.Count { c := ok; c.AreaCode = "E12000009"; return c }(), want: "not a police force area or BTP"},
		{name: "end before start", count: func() datasets.Count { c := ok; c.End = m.Add(-1); return c }(), want: "not a valid period"},
		{name: "coverage of England", count: ok, coverage: datasets.Coverage{Source: datasets.SourcePoliceUK, AreaCode: datasets.CodeEngland, Start: m, End: m}, want: "coverage 1"},
		{name: "negative window", count: ok, opts: TrendsOptions{Window: -1}, want: "window of -1 months"},
		{name: "negative minimum base", count: ok, opts: TrendsOptions{MinBase: -1}, want: "minimum base -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cov []datasets.Coverage
			if tt.coverage.Source != "" {
				cov = append(cov, tt.coverage)
			}
			_, err := Trends(context.Background(), []datasets.Count{tt.count}, cov, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestSeries(t *testing.T) {
	m := func(s string) datasets.Month { return mustMonth(t, s) }
	ho := datasets.SourceHomeOffice
	stalking := datasets.Selector{Kind: datasets.SelectCode, Key: "8Q", Label: "Stalking"}
	// Wiltshire: Jan-Apr 2018 covered, no count in Feb, March not covered.
	cov := []datasets.Coverage{
		{Source: datasets.SourcePoliceUK, AreaCode: "E23000038", Start: m("2018-01"), End: m("2018-01")},
		{Source: datasets.SourcePoliceUK, AreaCode: "E23000038", Start: m("2018-02"), End: m("2018-02")},
		{Source: datasets.SourcePoliceUK, AreaCode: "E23000038", Start: m("2018-04"), End: m("2018-04")},
	}
	counts := []datasets.Count{
		{Source: datasets.SourcePoliceUK, AreaCode: "E23000038", Offence: "Burglary", Start: m("2018-01"), End: m("2018-01"), Count: 7},
		{Source: datasets.SourcePoliceUK, AreaCode: "E23000038", Offence: "Burglary", Start: m("2018-04"), End: m("2018-04"), Count: 9},
	}
	counts = append(counts, datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: "E23000038", Offence: "Drugs", Start: m("2018-01"), End: m("2018-01"), Count: 100})
	// Dorset, Home Office quarters: Q4 2017/18 and Q1 2018/19.
	counts = append(counts,
		datasets.Count{Source: ho, AreaCode: "E23000039", Offence: "8Q", Start: m("2018-01"), End: m("2018-03"), Count: 40},
		datasets.Count{Source: ho, AreaCode: "E23000039", Offence: "8L", Start: m("2018-01"), End: m("2018-03"), Count: 400},
		datasets.Count{Source: ho, AreaCode: "E23000039", Offence: "8L", Start: m("2018-04"), End: m("2018-06"), Count: 300})
	cov = append(cov,
		datasets.Coverage{Source: ho, AreaCode: "E23000039", Start: m("2018-01"), End: m("2018-03")},
		datasets.Coverage{Source: ho, AreaCode: "E23000039", Start: m("2018-04"), End: m("2018-06")})
	tests := []struct {
		name   string
		source string
		sel    datasets.Selector
		area   string
		want   []Period
	}{
		{"monthly with a zero and a gap", datasets.SourcePoliceUK, burglary, "E23000038", []Period{
			{m("2018-01"), m("2018-01"), 7}, {m("2018-02"), m("2018-02"), 0}, {m("2018-04"), m("2018-04"), 9}}},
		{"quarterly", ho, stalking, "E23000039", []Period{
			{m("2018-01"), m("2018-03"), 40}, {m("2018-04"), m("2018-06"), 0}}},
		{"aggregate with missing forces", ho, stalking, datasets.CodeEnglandWales, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Series(counts, cov, tt.source, tt.sel, tt.area)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := Series(counts, cov, ho, stalking, "nowhere"); err == nil {
		t.Error("Series of an unknown area: no error")
	}
}

// TestSeriesAggregate checks Wales = the sum of its 4 forces month by month.
func TestSeriesAggregate(t *testing.T) {
	start := mustMonth(t, "2018-01")
	var counts []datasets.Count
	var cov []datasets.Coverage
	for i, code := range []string{"W15000001", "W15000002", "W15000003", "W15000004"} {
		c, v := monthlyData(datasets.SourcePoliceUK, code, "Burglary", start, int64(i+1), int64(10*(i+1)), -1)
		counts, cov = append(counts, c...), append(cov, v...)
	}
	// Gwent alone covers March.
	cov = append(cov, datasets.Coverage{Source: datasets.SourcePoliceUK, AreaCode: "W15000002", Start: start.Add(2), End: start.Add(2)})
	got, err := Series(counts, cov, datasets.SourcePoliceUK, burglary, datasets.CodeWales)
	if err != nil {
		t.Fatal(err)
	}
	want := []Period{{start, start, 1 + 2 + 3 + 4}, {start.Add(1), start.Add(1), 10 + 20 + 30 + 40}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// BenchmarkTrends runs the size of a full Home Office history: 44 areas x
// 60 quarters x every offence code, with the default selectors.
func BenchmarkTrends(b *testing.B) {
	start := datasets.MonthOf(2004, 4)
	var counts []datasets.Count
	var cov []datasets.Coverage
	for _, f := range datasets.Forces() {
		for q := 0; q < 60; q++ {
			s := start.Add(3 * q)
			cov = append(cov, datasets.Coverage{Source: datasets.SourceHomeOffice, AreaCode: f.Code, Start: s, End: s.Add(2)})
			for k, o := range datasets.Offences() {
				counts = append(counts, datasets.Count{Source: datasets.SourceHomeOffice, AreaCode: f.Code,
					Offence: o.Code, Start: s, End: s.Add(2), Count: int64(q + k)})
			}
		}
	}
	opts := TrendsOptions{Selectors: datasets.DefaultSelectors(datasets.SourceHomeOffice)}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Trends(context.Background(), counts, cov, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTrendsMatchesNaive compares Trends with a direct, month-by-month
// reading of the rules on pseudo-random data (fixed seed): monthly police.uk
// and quarterly Home Office data with missing periods, zero and absent
// counts, and some coverage spans of an odd length, for the four Welsh
// forces and Wales (like for like), with every kind of window.
func TestTrendsMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	wales := []string{"W15000001", "W15000002", "W15000003", "W15000004"}
	start := mustMonth(t, "2015-04")
	const months = 48
	var rows, withPct, walesRows int
	likeForLike := map[datasets.Window]int{}
	for round := 0; round < 20; round++ {
		var counts []datasets.Count
		var cov []datasets.Coverage
		for _, area := range wales {
			for m := 0; m < months; m++ {
				if rng.IntN(30) == 0 {
					continue // not covered
				}
				mo := start.Add(m)
				cov = append(cov, datasets.Coverage{Source: datasets.SourcePoliceUK, AreaCode: area, Start: mo, End: mo})
				for _, cat := range []string{"Burglary", "Drugs", "Anti-social behaviour"} {
					if rng.IntN(4) != 0 {
						counts = append(counts, datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: area, Offence: cat,
							Start: mo, End: mo, Count: rng.Int64N(40)})
					}
				}
			}
			for m := 0; m < months; {
				span := 3
				if rng.IntN(15) == 0 {
					span = 1 + rng.IntN(5) // an odd span
				}
				if m+span > months {
					break
				}
				lo, hi := start.Add(m), start.Add(m+span-1)
				m += span
				if rng.IntN(12) == 0 {
					continue
				}
				cov = append(cov, datasets.Coverage{Source: datasets.SourceHomeOffice, AreaCode: area, Start: lo, End: hi})
				for _, code := range []string{"8Q", "8L", "AF"} {
					if rng.IntN(4) != 0 {
						counts = append(counts, datasets.Count{Source: datasets.SourceHomeOffice, AreaCode: area, Offence: code,
							Start: lo, End: hi, Count: rng.Int64N(60)})
					}
				}
			}
		}
		sels := []datasets.Selector{burglary, {Kind: datasets.SelectTotal, Key: "total", Label: "Total"},
			{Kind: datasets.SelectCode, Key: "8Q", Label: "Stalking"}}
		kinds := []datasets.Window{""}
		if round < 8 { // every other kind on fewer rounds, to keep the test fast
			kinds = append(kinds, datasets.WindowFinancialYear, datasets.WindowFYTD, datasets.WindowQuarter,
				datasets.WindowCalendarYear, datasets.WindowMonth)
		}
		for _, kind := range kinds {
			got, err := Trends(context.Background(), counts, cov, TrendsOptions{Selectors: sels, Kind: kind})
			if err != nil {
				t.Fatal(err)
			}
			want := naiveTrendsKind(counts, cov, sels, append(wales, datasets.CodeWales), start, start.Add(months-1), kind)
			if g, w := formatTrends(got), formatTrends(want); g != w {
				t.Fatalf("round %d, window %q: Trends and the naive reading differ\n%s", round, kind, lineDiff(w, g))
			}
			n := countIf(got, func(t datasets.Trend) bool { return strings.Contains(t.Note, "like for like") })
			likeForLike[kind] += n
			if kind != "" {
				continue
			}
			rows += len(got)
			withPct += countIf(got, func(t datasets.Trend) bool { return t.HasPct })
			walesRows += countIf(got, func(t datasets.Trend) bool { return t.AreaCode == datasets.CodeWales })
		}
	}
	// The data must exercise the rules, not just agree on nothing.
	if rows < 1000 || withPct < 100 || walesRows < 50 {
		t.Errorf("weak test data: %d rows, %d with a percentage, %d for Wales", rows, withPct, walesRows)
	}
	t.Logf("like-for-like rows by window: %v", likeForLike)
	for _, kind := range []datasets.Window{"", datasets.WindowFYTD, datasets.WindowQuarter, datasets.WindowMonth} {
		if likeForLike[kind] < 10 {
			t.Errorf("weak test data: window %q: %d like-for-like rows for Wales", kind, likeForLike[kind])
		}
	}
}

// naiveTrendsKind applies the rules directly, one window at a time, with
// the windows of kind ("" for the rolling 12 months). Wales is built from
// the Welsh forces like for like.
func naiveTrendsKind(counts []datasets.Count, cov []datasets.Coverage, sels []datasets.Selector, areas []string, first, last datasets.Month, kind datasets.Window) []datasets.Trend {
	members := func(area string) []string {
		if area == datasets.CodeWales {
			return []string{"W15000001", "W15000002", "W15000003", "W15000004"}
		}
		return []string{area}
	}
	names := map[string]string{"W15000001": "North Wales", "W15000002": "Gwent", "W15000003": "South Wales", "W15000004": "Dyfed-Powys"}
	covBy := map[[2]string][]datasets.Coverage{}
	for _, c := range cov {
		covBy[[2]string{c.Source, c.AreaCode}] = append(covBy[[2]string{c.Source, c.AreaCode}], c)
	}
	countsBy := map[[2]string][]datasets.Count{}
	for _, c := range counts {
		countsBy[[2]string{c.Source, c.AreaCode}] = append(countsBy[[2]string{c.Source, c.AreaCode}], c)
	}
	// complete: force a's data cover the n months ending end, and no span
	// crosses the window's edges.
	complete := func(source, a string, end datasets.Month, n int) bool {
		lo := end.Add(1 - n)
		if lo < first {
			return false
		}
		for m := lo; m <= end; m++ {
			covered := false
			for _, c := range covBy[[2]string{source, a}] {
				if c.Start <= m && m <= c.End {
					covered = true
				}
			}
			if !covered {
				return false
			}
		}
		for _, c := range covBy[[2]string{source, a}] {
			if c.Start < lo && c.End >= lo || c.Start <= end && c.End > end {
				return false
			}
		}
		for _, c := range countsBy[[2]string{source, a}] {
			if c.Start < lo && c.End >= lo || c.Start <= end && c.End > end {
				return false
			}
		}
		return true
	}
	total := func(source string, forces []string, sel datasets.Selector, end datasets.Month, n int) int64 {
		var t int64
		for _, a := range forces {
			for _, c := range countsBy[[2]string{source, a}] {
				if sel.Matches(source, c.Offence) && c.Start >= end.Add(1-n) && c.End <= end {
					t += c.Count
				}
			}
		}
		return t
	}
	var out []datasets.Trend
	for _, source := range []string{datasets.SourceHomeOffice, datasets.SourcePoliceUK} {
		var ss []datasets.Selector
		for _, s := range sels {
			if s.AppliesTo(source) {
				ss = append(ss, s)
			}
		}
		sort.SliceStable(ss, func(i, j int) bool { return ss[i].LabelFor(source) < ss[j].LabelFor(source) })
		sortedAreas := append([]string(nil), areas...)
		sort.Strings(sortedAreas)
		for _, sel := range ss {
			for _, area := range sortedAreas {
				a, _ := datasets.AreaByCode(area)
				for end := first; end <= last; end++ {
					n := kind.Months(end)
					if n == 0 {
						continue
					}
					all := members(area)
					var now, both, left []string
					for _, f := range all {
						if complete(source, f, end, n) {
							now = append(now, f)
							if complete(source, f, end.Add(-12), n) {
								both = append(both, f)
								continue
							}
						}
						left = append(left, names[f])
					}
					tr := datasets.Trend{AreaCode: area, AreaName: a.Name, Offence: sel.LabelFor(source), PeriodEnd: end,
						Months: n, Source: source}
					var notes []string
					used := all
					switch {
					case len(both) == len(all):
					case len(both) > 0 && len(left) <= 3 && len(left) < len(all)-len(left):
						used = both
						sort.Strings(left)
						ex := strings.Join(left, " and ")
						if len(left) == 3 {
							ex = left[0] + ", " + left[1] + " and " + left[2]
						}
						tr.AreaName += " excluding " + ex
						note := "like for like: " + ex + " left out of both years (no complete data)"
						if len(now) == len(all) {
							note += "; all forces: " + commas(total(source, all, sel, end, n))
						}
						notes = append(notes, note)
					case len(now) == len(all):
						both = nil
					default:
						continue
					}
					tr.Count = total(source, used, sel, end, n)
					if len(both) > 0 {
						tr.HasPrevious = true
						tr.Previous = total(source, used, sel, end.Add(-12), n)
						tr.Change = tr.Count - tr.Previous
						if tr.Previous >= 50 {
							tr.HasPct = true
							tr.PctChange = 100 * float64(tr.Change) / float64(tr.Previous)
						} else {
							notes = append(notes, "base under 50: percentage change not shown")
						}
					} else {
						notes = append(notes, "no complete data for "+kind.Describe(end.Add(-12))+": change not shown")
					}
					tr.Note = strings.Join(notes, "; ")
					out = append(out, tr)
				}
			}
		}
	}
	return out
}

// commas writes a non-negative n as 1,234,567.
func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func countIf(ts []datasets.Trend, f func(datasets.Trend) bool) int {
	n := 0
	for _, t := range ts {
		if f(t) {
			n++
		}
	}
	return n
}
