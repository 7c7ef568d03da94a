package datasets

import (
	"strings"
	"testing"
)

func TestParseWindow(t *testing.T) {
	tests := []struct {
		in   string
		want Window
	}{
		{"", WindowRolling12},
		{"   ", WindowRolling12},
		{"rolling-12", WindowRolling12},
		{"Rolling 12", WindowRolling12},
		{"rolling_12", WindowRolling12},
		{"rolling12", WindowRolling12},
		{"rolling", WindowRolling12},
		{"12m", WindowRolling12},
		{"12M", WindowRolling12},
		{"12 months", WindowRolling12},
		{"rolling-12-months", WindowRolling12},
		{"Rolling year", WindowRolling12},
		{"financial-year", WindowFinancialYear},
		{" FY ", WindowFinancialYear},
		{"Financial Year", WindowFinancialYear},
		{"financial", WindowFinancialYear},
		{"fytd", WindowFYTD},
		{"FYTD", WindowFYTD},
		{"financial_year_to_date", WindowFYTD},
		{"Year to date", WindowFYTD},
		{"ytd", WindowFYTD},
		{"quarter", WindowQuarter},
		{"Q", WindowQuarter},
		{"3m", WindowQuarter},
		{"calendar-year", WindowCalendarYear},
		{"Calendar", WindowCalendarYear},
		{"year", WindowCalendarYear},
		{"CY", WindowCalendarYear},
		{"calendar year", WindowCalendarYear},
		{"month", WindowMonth},
		{"1m", WindowMonth},
		{"Single month", WindowMonth},
	}
	for _, tt := range tests {
		got, err := ParseWindow(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseWindow(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
	}
	// Every window's own name reads back as itself.
	for _, w := range Windows() {
		got, err := ParseWindow(w.String())
		if err != nil || got != w {
			t.Errorf("ParseWindow(%q) = %q, %v; want %q, nil", w.String(), got, err, w)
		}
	}
}

func TestParseWindowErrors(t *testing.T) {
	const list = "want one of rolling-12, financial-year, fytd, quarter, calendar-year, month"
	for _, in := range []string{"weekly", "12", "rolling-6", "fy-to-date-ish", "financial-years", "q1", "-", "month-1"} {
		got, err := ParseWindow(in)
		if err == nil {
			t.Errorf("ParseWindow(%q) = %q, nil; want an error", in, got)
			continue
		}
		if got != "" {
			t.Errorf("ParseWindow(%q) = %q with an error; want \"\"", in, got)
		}
		want := `unknown window "` + in + `": ` + list
		if err.Error() != want {
			t.Errorf("ParseWindow(%q) error\n got %q\nwant %q", in, err.Error(), want)
		}
	}
}

func TestWindowsAndString(t *testing.T) {
	want := []string{"rolling-12", "financial-year", "fytd", "quarter", "calendar-year", "month"}
	ws := Windows()
	if len(ws) != len(want) {
		t.Fatalf("Windows() has %d kinds, want %d", len(ws), len(want))
	}
	for i, w := range ws {
		if w.String() != want[i] {
			t.Errorf("Windows()[%d] = %q, want %q", i, w, want[i])
		}
	}
	if got := Window("").String(); got != "rolling-12" {
		t.Errorf(`Window("").String() = %q, want "rolling-12"`, got)
	}
}

// TestWindowMonths checks the length of the window ending in every month of
// the year, for every kind, in two different years.
func TestWindowMonths(t *testing.T) {
	tests := []struct {
		w    Window
		want [12]int // January ... December
	}{
		{"", [12]int{12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12}},
		{WindowRolling12, [12]int{12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12}},
		{WindowFinancialYear, [12]int{0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		{WindowFYTD, [12]int{10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{WindowQuarter, [12]int{0, 0, 3, 0, 0, 3, 0, 0, 3, 0, 0, 3}},
		{WindowCalendarYear, [12]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12}},
		{WindowMonth, [12]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
		{"weekly", [12]int{}},
	}
	for _, tt := range tests {
		for _, year := range []int{2018, 2019} {
			for m := 1; m <= 12; m++ {
				end := MonthOf(year, m)
				if got := tt.w.Months(end); got != tt.want[m-1] {
					t.Errorf("Window(%q).Months(%s) = %d, want %d", tt.w, end, got, tt.want[m-1])
				}
			}
		}
	}
}

func TestWindowStart(t *testing.T) {
	m := func(y, mo int) Month { return MonthOf(y, mo) }
	tests := []struct {
		w         Window
		end, want Month
	}{
		{"", m(2018, 9), m(2017, 10)},
		{WindowRolling12, m(2018, 9), m(2017, 10)},
		{WindowRolling12, m(2018, 12), m(2018, 1)},
		{WindowFinancialYear, m(2019, 3), m(2018, 4)},
		{WindowFYTD, m(2018, 4), m(2018, 4)},
		{WindowFYTD, m(2018, 9), m(2018, 4)},
		{WindowFYTD, m(2018, 12), m(2018, 4)},
		{WindowFYTD, m(2019, 1), m(2018, 4)},
		{WindowFYTD, m(2019, 2), m(2018, 4)},
		{WindowFYTD, m(2019, 3), m(2018, 4)},
		{WindowQuarter, m(2018, 3), m(2018, 1)},
		{WindowQuarter, m(2018, 9), m(2018, 7)},
		{WindowQuarter, m(2018, 12), m(2018, 10)},
		{WindowCalendarYear, m(2018, 12), m(2018, 1)},
		{WindowMonth, m(2018, 2), m(2018, 2)},
	}
	for _, tt := range tests {
		if got := tt.w.Start(tt.end); got != tt.want {
			t.Errorf("Window(%q).Start(%s) = %s, want %s", tt.w, tt.end, got, tt.want)
		}
	}
	// Every window of every kind that ends in 2018 or 2019 is Months long
	// from Start to its end, and a financial year to date starts in April.
	for _, w := range Windows() {
		for end := m(2018, 1); end <= m(2019, 12); end++ {
			n := w.Months(end)
			if n == 0 {
				continue
			}
			if s := w.Start(end); int(end-s)+1 != n {
				t.Errorf("Window(%q) ending %s starts %s: %d months, want %d", w, end, s, int(end-s)+1, n)
			}
			if w == WindowFYTD && w.Start(end).MonthOfYear() != 4 {
				t.Errorf("financial year to date ending %s starts %s, want an April", end, w.Start(end))
			}
		}
	}
}

func TestWindowLatestEnd(t *testing.T) {
	m := func(y, mo int) Month { return MonthOf(y, mo) }
	tests := []struct {
		w        Window
		m, want  Month
		describe string
	}{
		{"", m(2018, 9), m(2018, 9), "rolling: any month"},
		{WindowRolling12, m(2018, 2), m(2018, 2), "rolling: any month"},
		{WindowFinancialYear, m(2018, 9), m(2018, 3), "the latest March"},
		{WindowFinancialYear, m(2018, 3), m(2018, 3), "March itself"},
		{WindowFinancialYear, m(2018, 2), m(2017, 3), "the March before"},
		{WindowFYTD, m(2019, 2), m(2019, 2), "any month"},
		{WindowQuarter, m(2018, 5), m(2018, 3), "the latest quarter end"},
		{WindowQuarter, m(2018, 6), m(2018, 6), "a quarter end itself"},
		{WindowQuarter, m(2019, 2), m(2018, 12), "across a year"},
		{WindowCalendarYear, m(2018, 11), m(2017, 12), "the December before"},
		{WindowCalendarYear, m(2018, 12), m(2018, 12), "December itself"},
		{WindowMonth, m(2018, 7), m(2018, 7), "any month"},
	}
	for _, tt := range tests {
		if got := tt.w.LatestEnd(tt.m); got != tt.want {
			t.Errorf("Window(%q).LatestEnd(%s) = %s, want %s (%s)", tt.w, tt.m, got, tt.want, tt.describe)
		}
	}
}

func TestWindowDescribeAndTitle(t *testing.T) {
	m := func(y, mo int) Month { return MonthOf(y, mo) }
	tests := []struct {
		w               Window
		end             Month
		describe, title string
	}{
		{"", m(2018, 9), "the 12 months to September 2018", "12 months to September 2018"},
		{WindowRolling12, m(2018, 12), "the 12 months to December 2018", "12 months to December 2018"},
		{WindowFinancialYear, m(2018, 3), "the financial year ending March 2018", "Financial year ending March 2018"},
		{WindowFinancialYear, m(2018, 9), "the financial-year window to September 2018", "financial-year window to September 2018"},
		{WindowFYTD, m(2018, 4), "the financial year to date (April 2018)", "Financial year to date, April 2018"},
		{WindowFYTD, m(2018, 9), "the financial year to date (April to September 2018)", "Financial year to date, April to September 2018"},
		{WindowFYTD, m(2018, 12), "the financial year to date (April to December 2018)", "Financial year to date, April to December 2018"},
		// Ending February: the year began the April before, in the previous calendar year.
		{WindowFYTD, m(2019, 2), "the financial year to date (April 2018 to February 2019)", "Financial year to date, April 2018 to February 2019"},
		{WindowFYTD, m(2019, 1), "the financial year to date (April 2018 to January 2019)", "Financial year to date, April 2018 to January 2019"},
		{WindowFYTD, m(2019, 3), "the financial year to date (the whole year ending March 2019)", "Financial year to date, April 2018 to March 2019"},
		{WindowQuarter, m(2018, 3), "the quarter January to March 2018", "Quarter, January to March 2018"},
		{WindowQuarter, m(2018, 9), "the quarter July to September 2018", "Quarter, July to September 2018"},
		{WindowQuarter, m(2018, 8), "the quarter window to August 2018", "quarter window to August 2018"},
		{WindowCalendarYear, m(2018, 12), "calendar year 2018", "Calendar year 2018"},
		{WindowCalendarYear, m(2018, 6), "the calendar-year window to June 2018", "calendar-year window to June 2018"},
		{WindowMonth, m(2018, 9), "September 2018", "September 2018"},
		{WindowMonth, m(2019, 1), "January 2019", "January 2019"},
	}
	for _, tt := range tests {
		if got := tt.w.Describe(tt.end); got != tt.describe {
			t.Errorf("Window(%q).Describe(%s) = %q, want %q", tt.w, tt.end, got, tt.describe)
		}
		if got := tt.w.Title(tt.end); got != tt.title {
			t.Errorf("Window(%q).Title(%s) = %q, want %q", tt.w, tt.end, got, tt.title)
		}
	}
	// Every window that ends names its end month's year.
	for _, w := range Windows() {
		for end := m(2018, 1); end <= m(2018, 12); end++ {
			if w.Months(end) > 0 && !strings.Contains(w.Describe(end), "2018") {
				t.Errorf("Window(%q).Describe(%s) = %q: no year", w, end, w.Describe(end))
			}
		}
	}
}
