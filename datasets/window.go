package datasets

import (
	"fmt"
	"strings"
)

// Window is a kind of reporting period: every figure crimetrends gives is
// the total over one window, compared with the same window a year earlier.
// The zero value is the rolling 12 months.
type Window string

// The windows an analyst can ask for (DOMAIN.md: periods).
const (
	WindowRolling12     Window = "rolling-12"     // the 12 months ending in any month
	WindowFinancialYear Window = "financial-year" // April to March, ending in March
	WindowFYTD          Window = "fytd"           // April to the month asked for
	WindowQuarter       Window = "quarter"        // three months ending March, June, September or December
	WindowCalendarYear  Window = "calendar-year"  // January to December
	WindowMonth         Window = "month"          // one month, against the same month a year earlier
)

// Windows lists every window in the order help text shows them.
func Windows() []Window {
	return []Window{WindowRolling12, WindowFinancialYear, WindowFYTD, WindowQuarter, WindowCalendarYear, WindowMonth}
}

// ParseWindow reads a window name as a user writes it in the config or
// after --window: the names of Windows, or a common spelling ("12m",
// "rolling12", "fy", "year-to-date", "q", "year", "calendar"). Case and
// spaces or underscores in place of hyphens do not matter; "" is the
// rolling 12 months.
func ParseWindow(s string) (Window, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer("_", "-", " ", "-").Replace(k)
	switch k {
	case "", "rolling-12", "rolling12", "rolling", "12m", "12-months", "rolling-12-months", "rolling-year":
		return WindowRolling12, nil
	case "financial-year", "fy", "financial":
		return WindowFinancialYear, nil
	case "fytd", "financial-year-to-date", "year-to-date", "ytd":
		return WindowFYTD, nil
	case "quarter", "q", "3m":
		return WindowQuarter, nil
	case "calendar-year", "calendar", "year", "cy":
		return WindowCalendarYear, nil
	case "month", "1m", "single-month":
		return WindowMonth, nil
	}
	names := make([]string, 0, 6)
	for _, w := range Windows() {
		names = append(names, string(w))
	}
	return "", fmt.Errorf("unknown window %q: want one of %s", s, strings.Join(names, ", "))
}

// String is the window's name as ParseWindow reads it.
func (w Window) String() string {
	if w == "" {
		return string(WindowRolling12)
	}
	return string(w)
}

// Months is the length of the window of this kind that ends with the month
// end, or 0 when no such window ends then (a financial year ends only in
// March, a quarter only in March, June, September or December, a calendar
// year only in December). A financial year to date ending in June is 3
// months long; one ending in March is the whole year.
func (w Window) Months(end Month) int {
	m := end.MonthOfYear()
	switch w {
	case "", WindowRolling12:
		return 12
	case WindowFinancialYear:
		if m == 3 {
			return 12
		}
	case WindowFYTD:
		return (m+8)%12 + 1 // April 1 ... March 12
	case WindowQuarter:
		if m%3 == 0 {
			return 3
		}
	case WindowCalendarYear:
		if m == 12 {
			return 12
		}
	case WindowMonth:
		return 1
	}
	return 0
}

// Start is the first month of the window ending with end; it is only
// meaningful when Months(end) > 0.
func (w Window) Start(end Month) Month { return end.Add(1 - w.Months(end)) }

// LatestEnd is the latest month not after m in which a window of this kind
// ends; m itself for a kind ParseWindow does not know.
func (w Window) LatestEnd(m Month) Month {
	for e := m; e > m.Add(-12); e = e.Add(-1) {
		if w.Months(e) > 0 {
			return e
		}
	}
	return m
}

// Describe names the window ending with end in the words of a headline:
// "the 12 months to September 2018", "the financial year ending March 2018",
// "the financial year to date (April to September 2018)", "the quarter July
// to September 2018", "calendar year 2018", "September 2018". A month in
// which no window of this kind ends is described as the months it spans.
func (w Window) Describe(end Month) string {
	n := w.Months(end)
	start := end.Add(1 - n)
	switch {
	case n == 0:
		return fmt.Sprintf("the %s window to %s", w, end.Label())
	case w == WindowFinancialYear:
		return fmt.Sprintf("the financial year ending %s", end.Label())
	case w == WindowFYTD && n == 12:
		return fmt.Sprintf("the financial year to date (the whole year ending %s)", end.Label())
	case w == WindowFYTD && n == 1:
		return fmt.Sprintf("the financial year to date (%s)", end.Label())
	case w == WindowFYTD:
		return fmt.Sprintf("the financial year to date (%s to %s)", startName(start, end), end.Label())
	case w == WindowQuarter:
		return fmt.Sprintf("the quarter %s to %s", startName(start, end), end.Label())
	case w == WindowCalendarYear:
		return fmt.Sprintf("calendar year %d", end.Year())
	case w == WindowMonth:
		return end.Label()
	}
	return fmt.Sprintf("the %d months to %s", n, end.Label())
}

// Title is a short heading for the window ending with end: "12 months to
// September 2018", "Financial year ending March 2018", "Financial year to
// date, April to September 2018", "Quarter, July to September 2018",
// "Calendar year 2018", "September 2018".
func (w Window) Title(end Month) string {
	n := w.Months(end)
	start := end.Add(1 - n)
	switch {
	case n == 0:
		return fmt.Sprintf("%s window to %s", w, end.Label())
	case w == WindowFinancialYear:
		return fmt.Sprintf("Financial year ending %s", end.Label())
	case w == WindowFYTD && n > 1:
		return fmt.Sprintf("Financial year to date, %s to %s", startName(start, end), end.Label())
	case w == WindowFYTD:
		return fmt.Sprintf("Financial year to date, %s", end.Label())
	case w == WindowQuarter:
		return fmt.Sprintf("Quarter, %s to %s", startName(start, end), end.Label())
	case w == WindowCalendarYear:
		return fmt.Sprintf("Calendar year %d", end.Year())
	case w == WindowMonth:
		return end.Label()
	}
	return fmt.Sprintf("%d months to %s", n, end.Label())
}

// startName is the first month of a window as its span is written: the
// month's name alone ("April") when it is in the end month's year, with its
// year otherwise ("April 2018", for a window ending February 2019).
func startName(start, end Month) string {
	if start.Year() != end.Year() {
		return start.Label()
	}
	return monthNames[start.MonthOfYear()-1]
}
