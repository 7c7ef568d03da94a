package pipeline

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// TestAnalyseWindow checks the report period and notes of every kind of
// window on police.uk burglary for Wiltshire, monthly from January 2017 to
// September 2018, and Home Office stalking for Dorset in financial quarters
// from April 2016 to June 2018.
func TestAnalyseWindow(t *testing.T) {
	m := func(s string) datasets.Month { return mustMonth(t, s) }
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", m("2017-01"), repeat(10, 21)...)
	ho := datasets.SourceHomeOffice
	for q := 0; q < 9; q++ {
		first, last := datasets.FinancialQuarter(2016+q/4, q%4+1)
		cov = append(cov, datasets.Coverage{Source: ho, AreaCode: "E23000039", Start: first, End: last})
		counts = append(counts, datasets.Count{Source: ho, AreaCode: "E23000039", Offence: "8Q", Start: first, End: last, Count: 30})
	}
	stalking := datasets.Selector{Kind: datasets.SelectCode, Key: "8Q", Label: "Stalking"}
	sels := []datasets.Selector{burglary, stalking}
	const puk = "data.police.uk street-level crime"
	const hoName = "Home Office police recorded crime"
	tests := []struct {
		name   string
		window datasets.Window
		period string
		want   map[string]string // source -> period end
		notes  []string
		used   datasets.Window
	}{
		{
			name: "rolling 12 by default",
			want: map[string]string{datasets.SourcePoliceUK: "2018-09", ho: "2018-06"},
			used: datasets.WindowRolling12,
		},
		{
			name:   "rolling 12 after the data",
			window: datasets.WindowRolling12, period: "2018-10",
			want: map[string]string{datasets.SourcePoliceUK: "2018-09", ho: "2018-06"},
			notes: []string{
				hoName + ": no complete 12-month window ends in October 2018; the report uses the 12 months to June 2018",
				puk + ": no complete 12-month window ends in October 2018; the report uses the 12 months to September 2018",
			},
			used: datasets.WindowRolling12,
		},
		{
			name:   "financial year: the latest March",
			window: datasets.WindowFinancialYear,
			want:   map[string]string{datasets.SourcePoliceUK: "2018-03", ho: "2018-03"},
			used:   datasets.WindowFinancialYear,
		},
		{
			name:   "financial year asked for September",
			window: datasets.WindowFinancialYear, period: "2018-09",
			want: map[string]string{datasets.SourcePoliceUK: "2018-03", ho: "2018-03"},
			notes: []string{
				hoName + ": no complete financial year ends in September 2018; the report uses the financial year ending March 2018",
				puk + ": no complete financial year ends in September 2018; the report uses the financial year ending March 2018",
			},
			used: datasets.WindowFinancialYear,
		},
		{
			name:   "financial year ending March 2017: police.uk starts in January 2017",
			window: datasets.WindowFinancialYear, period: "2017-03",
			want: map[string]string{ho: "2017-03"},
			notes: []string{
				puk + ": no complete financial year ends by 2017-03; the data covers 2017-01 to 2018-09 (21 months)",
			},
			used: datasets.WindowFinancialYear,
		},
		{
			name:   "financial year to date",
			window: datasets.WindowFYTD,
			want:   map[string]string{datasets.SourcePoliceUK: "2018-09", ho: "2018-06"},
			used:   datasets.WindowFYTD,
		},
		{
			name:   "financial year to date in August: quarterly data end in June",
			window: datasets.WindowFYTD, period: "2018-08",
			want: map[string]string{datasets.SourcePoliceUK: "2018-08", ho: "2018-06"},
			notes: []string{
				hoName + ": no complete financial year to date ends in August 2018; the report uses the financial year to date (April to June 2018)",
			},
			used: datasets.WindowFYTD,
		},
		{
			name:   "quarter in August",
			window: datasets.WindowQuarter, period: "2018-08",
			want: map[string]string{datasets.SourcePoliceUK: "2018-06", ho: "2018-06"},
			notes: []string{
				hoName + ": no complete quarter ends in August 2018; the report uses the quarter April to June 2018",
				puk + ": no complete quarter ends in August 2018; the report uses the quarter April to June 2018",
			},
			used: datasets.WindowQuarter,
		},
		{
			name:   "calendar year",
			window: datasets.WindowCalendarYear,
			want:   map[string]string{datasets.SourcePoliceUK: "2017-12", ho: "2017-12"},
			used:   datasets.WindowCalendarYear,
		},
		{
			name:   "month: police.uk only",
			window: datasets.WindowMonth,
			want:   map[string]string{datasets.SourcePoliceUK: "2018-09"},
			notes: []string{
				hoName + ": no complete month ends by 2018-06; the data covers 2016-04 to 2018-06 (27 months)",
			},
			used: datasets.WindowMonth,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := AnalyseOptions{Offences: sels, Window: tt.window}
			if tt.period != "" {
				opts.Period = m(tt.period)
			}
			a, err := Analyse(context.Background(), counts, cov, opts)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for src, end := range a.PeriodEnd {
				got[src] = end.String()
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PeriodEnd = %v, want %v", got, tt.want)
			}
			if !reflect.DeepEqual(a.Notes, tt.notes) {
				t.Errorf("Notes:\n got %q\nwant %q", a.Notes, tt.notes)
			}
			if a.Window != tt.used {
				t.Errorf("Window = %q, want %q", a.Window, tt.used)
			}
			// Every row is a window of the kind used.
			for _, tr := range a.Trends {
				if n := tt.used.Months(tr.PeriodEnd); tr.Months != n || n == 0 {
					t.Errorf("row %s %s ending %s: %d months, want %d", tr.Source, tr.AreaCode, tr.PeriodEnd, tr.Months, n)
					break
				}
			}
		})
	}
}

// TestAnalyseFinancialYearFigures checks the figures behind a financial
// year report: Wiltshire, 10 burglaries a month in 2017/18 and 12 in
// 2018/19, has 144 in the year ending March 2019 on 120.
func TestAnalyseFinancialYearFigures(t *testing.T) {
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", mustMonth(t, "2017-04"),
		append(repeat(10, 12), repeat(12, 14)...)...)
	a, err := Analyse(context.Background(), counts, cov, AnalyseOptions{Offences: []datasets.Selector{burglary}, Window: datasets.WindowFinancialYear})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.PeriodEnd[datasets.SourcePoliceUK]; got != mustMonth(t, "2019-03") {
		t.Errorf("period end %s, want 2019-03 (the data run to May 2019)", got)
	}
	if len(a.Trends) != 2 {
		t.Fatalf("got %d rows, want the years ending March 2018 and March 2019", len(a.Trends))
	}
	last := a.Trends[1]
	if last.PeriodEnd != mustMonth(t, "2019-03") || last.Months != 12 || last.Count != 144 || !last.HasPrevious ||
		last.Previous != 120 || last.Change != 24 || !last.HasPct || last.PctChange != 20 {
		t.Errorf("year ending March 2019: got %+v, want 144 on 120, +24, +20%%", last)
	}
}

func TestAnalyseUnknownWindow(t *testing.T) {
	counts, cov := monthlyData(datasets.SourcePoliceUK, "E23000038", "Burglary", mustMonth(t, "2017-01"), repeat(10, 24)...)
	_, err := Analyse(context.Background(), counts, cov, AnalyseOptions{Window: "weekly"})
	if err == nil || !strings.Contains(err.Error(), `unknown window kind "weekly"`) {
		t.Errorf("got error %v, want an unknown window kind", err)
	}
}

// TestAnalyseDefaultSelectorsOnceALabel checks that with the default
// selections each source reports each offence label once: the Home Office
// group "Criminal damage and arson" and the police.uk category of that name
// both apply to Home Office data.
func TestAnalyseDefaultSelectorsOnceALabel(t *testing.T) {
	ho := datasets.SourceHomeOffice
	var code string
	for _, o := range datasets.Offences() {
		if o.Group == "Criminal damage and arson" {
			code = o.Code
			break
		}
	}
	if code == "" {
		t.Fatal("no offence in the group Criminal damage and arson")
	}
	var counts []datasets.Count
	var cov []datasets.Coverage
	for q := 0; q < 8; q++ {
		first, last := datasets.FinancialQuarter(2017+q/4, q%4+1)
		cov = append(cov, datasets.Coverage{Source: ho, AreaCode: "E23000039", Start: first, End: last})
		counts = append(counts, datasets.Count{Source: ho, AreaCode: "E23000039", Offence: code, Start: first, End: last, Count: 70})
	}
	c, v := monthlyData(datasets.SourcePoliceUK, "E23000039", "Criminal damage and arson", mustMonth(t, "2017-04"), repeat(9, 24)...)
	counts, cov = append(counts, c...), append(cov, v...)
	a, err := Analyse(context.Background(), counts, cov, AnalyseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, tr := range a.Trends {
		seen[tr.Source+"|"+tr.Offence+"|"+tr.AreaCode+"|"+tr.PeriodEnd.String()]++
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("%d rows for %s", n, k)
		}
	}
	// Home Office, year ending March 2019: 4*70 = 280 on 280; police.uk 108 on 108.
	want := map[string]int64{ho: 280, datasets.SourcePoliceUK: 108}
	for src, n := range want {
		k := src + "|Criminal damage and arson|E23000039|2019-03"
		if seen[k] != 1 {
			t.Errorf("%s: %d rows, want 1", k, seen[k])
		}
		for _, tr := range a.Trends {
			if tr.Source == src && tr.Offence == "Criminal damage and arson" && tr.PeriodEnd == mustMonth(t, "2019-03") &&
				(tr.Count != n || tr.Previous != n || !tr.HasPrevious) {
				t.Errorf("%s: got %+v, want %d on %d", k, tr, n, n)
			}
		}
	}
}
