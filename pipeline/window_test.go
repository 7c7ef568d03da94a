package pipeline

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// want is a hand-checked trend row: previous < 0 means none.
type wantTrend struct {
	area     string
	end      string
	months   int
	count    int64
	previous int64
	pct      float64 // when the row has a percentage change
	name     string  // "" for the area's own name
	note     string
}

// trendOf expands w into the full Trend Trends must give.
func trendOf(t *testing.T, source, offence string, w wantTrend) datasets.Trend {
	t.Helper()
	a, ok := datasets.AreaByCode(w.area)
	if !ok {
		t.Fatalf("unknown area %s", w.area)
	}
	tr := datasets.Trend{AreaCode: w.area, AreaName: a.Name, Offence: offence, PeriodEnd: mustMonth(t, w.end),
		Months: w.months, Count: w.count, Source: source, Note: w.note}
	if w.name != "" {
		tr.AreaName = w.name
		// "England and Wales excluding A, B and C": the names left out.
		if _, ex, ok := strings.Cut(w.name, " excluding "); ok {
			ex = strings.ReplaceAll(ex, " and ", ", ")
			tr.LeftOut = strings.Split(ex, ", ")
		}
	}
	if w.previous >= 0 {
		tr.HasPrevious, tr.Previous, tr.Change = true, w.previous, w.count-w.previous
		if w.previous >= datasets.MinBase {
			tr.HasPct, tr.PctChange = true, w.pct
		}
	}
	return tr
}

// checkTrends checks that got has exactly the rows ends lists for each
// area (and no other area), and that the rows in want are exactly right.
func checkTrends(t *testing.T, got []datasets.Trend, source, offence string, ends map[string][]string, want []wantTrend) {
	t.Helper()
	gotEnds := map[string][]string{}
	byKey := map[string]datasets.Trend{}
	for _, tr := range got {
		gotEnds[tr.AreaCode] = append(gotEnds[tr.AreaCode], tr.PeriodEnd.String())
		byKey[tr.AreaCode+" "+tr.PeriodEnd.String()] = tr
	}
	for area, es := range ends {
		if g, w := strings.Join(gotEnds[area], " "), strings.Join(es, " "); g != w {
			t.Errorf("%s: window ends\n got %s\nwant %s", area, g, w)
		}
	}
	for area := range gotEnds {
		if _, ok := ends[area]; !ok {
			t.Errorf("%s: unexpected rows ending %s", area, strings.Join(gotEnds[area], " "))
		}
	}
	for _, w := range want {
		wt := trendOf(t, source, offence, w)
		g, ok := byKey[w.area+" "+w.end]
		if !ok {
			t.Errorf("%s %s: no row, want %+v", w.area, w.end, wt)
			continue
		}
		if !reflect.DeepEqual(g, wt) {
			t.Errorf("%s %s:\n got %+v\nwant %+v", w.area, w.end, g, wt)
		}
	}
}

// monthsFrom lists n months from s as YYYY-MM, skipping those in skip.
func monthsFrom(t *testing.T, s string, n int, skip ...string) []string {
	t.Helper()
	var out []string
	m := mustMonth(t, s)
	for i := 0; i < n; i++ {
		ms := m.Add(i).String()
		skipped := false
		for _, k := range skip {
			skipped = skipped || k == ms
		}
		if !skipped {
			out = append(out, ms)
		}
	}
	return out
}

// TestTrendsWindowKinds checks every kind of window on monthly police.uk
// burglary for Wiltshire and Dorset, April 2017 to March 2019. In the k-th
// month of the financial year (April = 1) each records 100+k in 2017/18 and
// 120+k in 2018/19; Dorset has no data for August 2017 (k = 5 of 2017/18).
// Sums: 1+...+n = n(n+1)/2.
func TestTrendsWindowKinds(t *testing.T) {
	start := mustMonth(t, "2017-04")
	var values []int64
	for k := int64(1); k <= 12; k++ {
		values = append(values, 100+k)
	}
	for k := int64(1); k <= 12; k++ {
		values = append(values, 120+k)
	}
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", start, values...)
	gappy := append([]int64(nil), values...)
	gappy[4] = -1 // August 2017
	c2, v2 := monthlyData(datasets.SourcePoliceUK, "E23000039", "Burglary", start, gappy...)
	counts, cov = append(counts, c2...), append(cov, v2...)

	const wilts, dorset = "E23000038", "E23000039"
	tests := []struct {
		kind datasets.Window
		ends map[string][]string
		want []wantTrend
	}{
		{
			kind: datasets.WindowFinancialYear,
			ends: map[string][]string{wilts: {"2018-03", "2019-03"}, dorset: {"2019-03"}},
			want: []wantTrend{
				// 1200 + 78 = 1278, no earlier year.
				{wilts, "2018-03", 12, 1278, -1, 0, "", "no complete data for the financial year ending March 2017: change not shown"},
				// 1440 + 78 = 1518 on 1278.
				{wilts, "2019-03", 12, 1518, 1278, 100 * 240.0 / 1278, "", ""},
				// 2017/18 misses August 2017.
				{dorset, "2019-03", 12, 1518, -1, 0, "", "no complete data for the financial year ending March 2018: change not shown"},
			},
		},
		{
			kind: datasets.WindowFYTD,
			ends: map[string][]string{
				wilts:  monthsFrom(t, "2017-04", 24),
				dorset: monthsFrom(t, "2017-04", 24, "2017-08", "2017-09", "2017-10", "2017-11", "2017-12", "2018-01", "2018-02", "2018-03"),
			},
			want: []wantTrend{
				{wilts, "2017-04", 1, 101, -1, 0, "", "no complete data for the financial year to date (April 2016): change not shown"},
				// April 2018: 121 on 101.
				{wilts, "2018-04", 1, 121, 101, 100 * 20.0 / 101, "", ""},
				// April-September: 720 + 21 = 741 on 600 + 21 = 621.
				{wilts, "2018-09", 6, 741, 621, 100 * 120.0 / 621, "", ""},
				// April 2018 to February 2019: 1320 + 66 = 1386 on 1100 + 66 = 1166.
				{wilts, "2019-02", 11, 1386, 1166, 100 * 220.0 / 1166, "", ""},
				{wilts, "2019-03", 12, 1518, 1278, 100 * 240.0 / 1278, "", ""},
				// April-July 2018: 480 + 10 = 490 on 400 + 10 = 410: the gap is later.
				{dorset, "2018-07", 4, 490, 410, 100 * 80.0 / 410, "", ""},
				// April-August 2018: 600 + 15 = 615; April-August 2017 misses August.
				{dorset, "2018-08", 5, 615, -1, 0, "", "no complete data for the financial year to date (April to August 2017): change not shown"},
				{dorset, "2019-02", 11, 1386, -1, 0, "", "no complete data for the financial year to date (April 2017 to February 2018): change not shown"},
			},
		},
		{
			kind: datasets.WindowQuarter,
			ends: map[string][]string{
				wilts:  {"2017-06", "2017-09", "2017-12", "2018-03", "2018-06", "2018-09", "2018-12", "2019-03"},
				dorset: {"2017-06", "2017-12", "2018-03", "2018-06", "2018-09", "2018-12", "2019-03"},
			},
			want: []wantTrend{
				// July-September: 360 + 15 = 375 on 300 + 15 = 315.
				{wilts, "2018-09", 3, 375, 315, 100 * 60.0 / 315, "", ""},
				// January-March 2019: 360 + 33 = 393 on 300 + 33 = 333.
				{wilts, "2019-03", 3, 393, 333, 100 * 60.0 / 333, "", ""},
				{dorset, "2018-09", 3, 375, -1, 0, "", "no complete data for the quarter July to September 2017: change not shown"},
				{dorset, "2018-12", 3, 384, 324, 100 * 60.0 / 324, "", ""}, // 360 + 24 on 300 + 24
			},
		},
		{
			kind: datasets.WindowCalendarYear,
			ends: map[string][]string{wilts: {"2018-12"}, dorset: {"2018-12"}},
			want: []wantTrend{
				// January-March 2018: 300 + 33; April-December 2018: 1080 + 45.
				{wilts, "2018-12", 12, 1458, -1, 0, "", "no complete data for calendar year 2017: change not shown"},
				{dorset, "2018-12", 12, 1458, -1, 0, "", "no complete data for calendar year 2017: change not shown"},
			},
		},
		{
			kind: datasets.WindowMonth,
			ends: map[string][]string{wilts: monthsFrom(t, "2017-04", 24), dorset: monthsFrom(t, "2017-04", 24, "2017-08")},
			want: []wantTrend{
				{wilts, "2018-09", 1, 126, 106, 100 * 20.0 / 106, "", ""},
				{wilts, "2019-02", 1, 131, 111, 100 * 20.0 / 111, "", ""},
				{dorset, "2018-08", 1, 125, -1, 0, "", "no complete data for August 2017: change not shown"},
				{dorset, "2018-09", 1, 126, 106, 100 * 20.0 / 106, "", ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			got, err := Trends(context.Background(), counts, cov, TrendsOptions{Selectors: []datasets.Selector{burglary}, Kind: tt.kind})
			if err != nil {
				t.Fatal(err)
			}
			// Two forces of five in the South West: no aggregate.
			checkTrends(t, got, datasets.SourcePoliceUK, "Burglary", tt.ends, tt.want)
		})
	}

	// The rolling 12 months, asked for by kind or by Window, are the
	// windows of Window 12 (or 0).
	base, err := Trends(context.Background(), counts, cov, TrendsOptions{Selectors: []datasets.Selector{burglary}})
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []TrendsOptions{
		{Kind: datasets.WindowRolling12},
		{Kind: datasets.WindowRolling12, Window: 12},
		{Window: 12},
	} {
		opts.Selectors = []datasets.Selector{burglary}
		got, err := Trends(context.Background(), counts, cov, opts)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := formatTrends(got), formatTrends(base); g != w {
			t.Errorf("Kind %q Window %d differs from the default:\n%s", opts.Kind, opts.Window, lineDiff(w, g))
		}
	}
	// A kind overrides Window.
	fy, err := Trends(context.Background(), counts, cov, TrendsOptions{Selectors: []datasets.Selector{burglary}, Kind: datasets.WindowFinancialYear, Window: 3})
	if err != nil {
		t.Fatal(err)
	}
	checkTrends(t, fy, datasets.SourcePoliceUK, "Burglary", tests[0].ends, tests[0].want)
}

// TestTrendsWindowKindsHomeOffice checks kinds on Home Office financial
// quarters for Dorset, 2017/18 (Q1-Q4: 100, 110, 120, 130) and 2018/19
// (150, 160, 170, 180): a quarter span is never split, so financial year to
// date windows end only at quarter ends and single months never.
func TestTrendsWindowKindsHomeOffice(t *testing.T) {
	ho := datasets.SourceHomeOffice
	values := []int64{100, 110, 120, 130, 150, 160, 170, 180}
	var counts []datasets.Count
	var cov []datasets.Coverage
	for q, v := range values {
		first, last := datasets.FinancialQuarter(2017+q/4, q%4+1)
		cov = append(cov, datasets.Coverage{Source: ho, AreaCode: "E23000039", Start: first, End: last})
		counts = append(counts, datasets.Count{Source: ho, AreaCode: "E23000039", Offence: "8Q", Start: first, End: last, Count: v})
	}
	stalking := datasets.Selector{Kind: datasets.SelectCode, Key: "8Q", Label: "Stalking"}
	const dorset = "E23000039"
	quarterEnds := []string{"2017-06", "2017-09", "2017-12", "2018-03", "2018-06", "2018-09", "2018-12", "2019-03"}
	tests := []struct {
		kind datasets.Window
		ends []string
		want []wantTrend
	}{
		{datasets.WindowFYTD, quarterEnds, []wantTrend{
			{dorset, "2017-09", 6, 210, -1, 0, "", "no complete data for the financial year to date (April to September 2016): change not shown"},
			{dorset, "2018-06", 3, 150, 100, 50, "", ""},
			{dorset, "2018-09", 6, 310, 210, 100 * 100.0 / 210, "", ""},
			{dorset, "2018-12", 9, 480, 330, 100 * 150.0 / 330, "", ""},
			{dorset, "2019-03", 12, 660, 460, 100 * 200.0 / 460, "", ""},
		}},
		{datasets.WindowQuarter, quarterEnds, []wantTrend{
			{dorset, "2018-09", 3, 160, 110, 100 * 50.0 / 110, "", ""},
		}},
		{datasets.WindowFinancialYear, []string{"2018-03", "2019-03"}, []wantTrend{
			{dorset, "2019-03", 12, 660, 460, 100 * 200.0 / 460, "", ""},
		}},
		{datasets.WindowCalendarYear, []string{"2018-12"}, []wantTrend{
			{dorset, "2018-12", 12, 130 + 150 + 160 + 170, -1, 0, "", "no complete data for calendar year 2017: change not shown"},
		}},
		{datasets.WindowMonth, nil, nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			got, err := Trends(context.Background(), counts, cov, TrendsOptions{Selectors: []datasets.Selector{stalking}, Kind: tt.kind})
			if err != nil {
				t.Fatal(err)
			}
			ends := map[string][]string{}
			if tt.ends != nil {
				ends[dorset] = tt.ends
			}
			checkTrends(t, got, ho, "Stalking", ends, tt.want)
		})
	}
}

func TestTrendsUnknownKind(t *testing.T) {
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", mustMonth(t, "2017-01"), repeat(10, 24)...)
	_, err := Trends(context.Background(), counts, cov, TrendsOptions{Selectors: []datasets.Selector{burglary}, Kind: "weekly"})
	if err == nil || err.Error() != `trends: unknown window kind "weekly"` {
		t.Errorf("got error %v, want trends: unknown window kind \"weekly\"", err)
	}
}

// TestTrendsLikeForLike checks aggregates that leave out forces missing
// from either window, on monthly police.uk burglary for 2017 and 2018.
func TestTrendsLikeForLike(t *testing.T) {
	start := mustMonth(t, "2017-01")
	const (
		northumbria, durham, cleveland = "E23000007", "E23000008", "E23000013"
		gmp, cheshire, dorset, gwent   = "E23000005", "E23000006", "E23000039", "W15000002"
		cityOfLondon                   = "E23000034"
		northEast, northWest, london   = "E12000001", "E12000002", "E12000007"
	)
	// gaps: area -> index of the month (0 = January 2017) not covered.
	build := func(perMonth func(code string) (y1, y2 int64), gaps map[string]int, areas ...string) ([]datasets.Count, []datasets.Coverage) {
		var counts []datasets.Count
		var cov []datasets.Coverage
		for _, code := range areas {
			y1, y2 := perMonth(code)
			values := append(repeat(y1, 12), repeat(y2, 12)...)
			if i, ok := gaps[code]; ok {
				values[i] = -1
			}
			c, v := monthlyData(datasets.SourcePoliceUK, code, "Burglary", start, values...)
			counts, cov = append(counts, c...), append(cov, v...)
		}
		return counts, cov
	}
	var all []string
	for _, f := range datasets.Forces() {
		all = append(all, f.Code)
	}
	// National data: English forces 10 a month in 2017 and 11 in 2018,
	// Welsh forces 20 and 20, BTP 5 and 5 (as TestTrendsAggregates).
	national := func(code string) (int64, int64) {
		switch {
		case code == datasets.CodeBTP:
			return 5, 5
		case strings.HasPrefix(code, "W15"):
			return 20, 20
		}
		return 10, 11
	}
	run := func(t *testing.T, counts []datasets.Count, cov []datasets.Coverage) map[string]datasets.Trend {
		t.Helper()
		got, err := Trends(context.Background(), counts, cov, TrendsOptions{Selectors: []datasets.Selector{burglary}})
		if err != nil {
			t.Fatal(err)
		}
		dec := map[string]datasets.Trend{}
		for _, tr := range got {
			if tr.PeriodEnd == mustMonth(t, "2018-12") {
				dec[tr.AreaCode] = tr
			}
		}
		return dec
	}
	check := func(t *testing.T, dec map[string]datasets.Trend, want []wantTrend, absent ...string) {
		t.Helper()
		for _, w := range want {
			wt := trendOf(t, datasets.SourcePoliceUK, "Burglary", w)
			if g := dec[w.area]; !reflect.DeepEqual(g, wt) {
				t.Errorf("%s December 2018:\n got %+v\nwant %+v", w.area, g, wt)
			}
		}
		for _, area := range absent {
			if g, ok := dec[area]; ok {
				t.Errorf("%s December 2018: got %+v, want no row", area, g)
			}
		}
	}

	t.Run("3-force region, one force missing a month of the previous year", func(t *testing.T) {
		// Northumbria 1000 a month in 2017, 1100 in 2018; Durham 500 and
		// 600; Cleveland 400 and 440 with no data for March 2017.
		per := map[string][2]int64{northumbria: {1000, 1100}, durham: {500, 600}, cleveland: {400, 440}}
		counts, cov := build(func(c string) (int64, int64) { return per[c][0], per[c][1] },
			map[string]int{cleveland: 2}, northumbria, durham, cleveland)
		got, err := Trends(context.Background(), counts, cov, TrendsOptions{Selectors: []datasets.Selector{burglary}})
		if err != nil {
			t.Fatal(err)
		}
		// Windows ending December 2017 to February 2018 hold March 2017:
		// Cleveland is missing and no year-earlier window exists, so no
		// North East row. March to November 2018: all three, no previous.
		// December 2018: Cleveland's 2017 misses March, so like for like.
		ends := map[string][]string{
			northumbria: monthsFrom(t, "2017-12", 13),
			durham:      monthsFrom(t, "2017-12", 13),
			cleveland:   monthsFrom(t, "2018-03", 10),
			northEast:   monthsFrom(t, "2018-03", 10),
		}
		checkTrends(t, got, datasets.SourcePoliceUK, "Burglary", ends, []wantTrend{
			// December 2017 to November 2018: (1000 + 11*1100) + (500 + 11*600) + (400 + 11*440)
			{northEast, "2018-11", 12, 13100 + 7100 + 5240, -1, 0, "", "no complete data for the 12 months to November 2017: change not shown"},
			// 13200 + 7200 = 20400 on 12000 + 6000 = 18000; all three: 25,680.
			{northEast, "2018-12", 12, 20400, 18000, 100 * 2400.0 / 18000, "North East excluding Cleveland",
				"like for like: Cleveland left out of both years (no complete data); all forces: 25,680"},
			{cleveland, "2018-12", 12, 5280, -1, 0, "", "no complete data for the 12 months to December 2017: change not shown"},
		})
	})

	t.Run("England and Wales with Greater Manchester missing", func(t *testing.T) {
		counts, cov := build(national, map[string]int{gmp: 20}, all...) // September 2018
		check(t, run(t, counts, cov), []wantTrend{
			// 38*132 + 4*240 + 60 = 6036 on 38*120 + 960 + 60 = 5580.
			{datasets.CodeEnglandWales, "2018-12", 12, 6036, 5580, 100 * 456.0 / 5580, "England and Wales excluding Greater Manchester",
				"like for like: Greater Manchester left out of both years (no complete data)"},
			{datasets.CodeEngland, "2018-12", 12, 5016, 4560, 10, "England excluding Greater Manchester",
				"like for like: Greater Manchester left out of both years (no complete data)"},
			// Cumbria, Lancashire, Merseyside, Cheshire: 4*132 on 4*120.
			{northWest, "2018-12", 12, 528, 480, 10, "North West excluding Greater Manchester",
				"like for like: Greater Manchester left out of both years (no complete data)"},
			{datasets.CodeWales, "2018-12", 12, 960, 960, 0, "", ""},
		}, gmp)
	})

	t.Run("British Transport Police missing", func(t *testing.T) {
		counts, cov := build(national, map[string]int{datasets.CodeBTP: 18}, all...) // July 2018
		check(t, run(t, counts, cov), []wantTrend{
			// 39*132 + 960 = 6108 on 4680 + 960 = 5640.
			{datasets.CodeEnglandWales, "2018-12", 12, 6108, 5640, 100 * 468.0 / 5640, "England and Wales excluding British Transport Police",
				"like for like: British Transport Police left out of both years (no complete data)"},
			{datasets.CodeEngland, "2018-12", 12, 5148, 4680, 10, "", ""},
		}, datasets.CodeBTP)
	})

	t.Run("too many missing", func(t *testing.T) {
		// Four forces missing: more than 3 for England and Wales; three of
		// 39 for England; two of five for the North West; one of four for
		// Wales.
		gaps := map[string]int{gmp: 13, cheshire: 20, dorset: 23, gwent: 15}
		counts, cov := build(national, gaps, all...)
		check(t, run(t, counts, cov), []wantTrend{
			// 36*132 = 4752 on 36*120 = 4320.
			{datasets.CodeEngland, "2018-12", 12, 4752, 4320, 10, "England excluding Cheshire, Dorset and Greater Manchester",
				"like for like: Cheshire, Dorset and Greater Manchester left out of both years (no complete data)"},
			{northWest, "2018-12", 12, 396, 360, 10, "North West excluding Cheshire and Greater Manchester",
				"like for like: Cheshire and Greater Manchester left out of both years (no complete data)"},
			{datasets.CodeWales, "2018-12", 12, 720, 720, 0, "Wales excluding Gwent",
				"like for like: Gwent left out of both years (no complete data)"},
		}, datasets.CodeEnglandWales, gmp, cheshire, dorset, gwent)
	})

	t.Run("half of a region is too many", func(t *testing.T) {
		counts, cov := build(national, map[string]int{cityOfLondon: 22}, all...)
		check(t, run(t, counts, cov), []wantTrend{
			// 38*132 + 960 + 60 = 6036 on 4560 + 960 + 60 = 5580.
			{datasets.CodeEnglandWales, "2018-12", 12, 6036, 5580, 100 * 456.0 / 5580, "England and Wales excluding City of London",
				"like for like: City of London left out of both years (no complete data)"},
		}, london, cityOfLondon)
	})

	t.Run("2 of a 3-force region missing", func(t *testing.T) {
		counts, cov := build(national, map[string]int{durham: 14, cleveland: 3}, all...)
		check(t, run(t, counts, cov), nil, northEast, durham)
		// Cleveland misses April 2017: its December 2018 row has no previous.
		if tr := run(t, counts, cov)[cleveland]; tr.HasPrevious || tr.Count != 132 {
			t.Errorf("Cleveland December 2018: got %+v, want 132 without previous", tr)
		}
	})
}
