package datasets

import (
	"fmt"
	"strconv"
)

// Month is a calendar month counted from year 0: year*12 + (month-1).
// The zero Month is January of year 0 and is never a valid data month.
type Month int32

// ParseMonth reads "YYYY-MM". It accepts nothing else.
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || m < 1 || m > 12 || y < 1900 || y > 2999 {
		return 0, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return MonthOf(y, m), nil
}

// MonthOf returns the Month for a year and a month of the year (1-12).
func MonthOf(year, month int) Month { return Month(year*12 + month - 1) }

// Year returns the calendar year.
func (m Month) Year() int { return int(m) / 12 }

// MonthOfYear returns 1 for January ... 12 for December.
func (m Month) MonthOfYear() int { return int(m)%12 + 1 }

// Add returns the month n months later (earlier when n < 0).
func (m Month) Add(n int) Month { return m + Month(n) }

// String gives "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), m.MonthOfYear()) }

// Label gives "September 2018", the form used in headlines.
func (m Month) Label() string {
	return fmt.Sprintf("%s %d", monthNames[m.MonthOfYear()-1], m.Year())
}

var monthNames = [12]string{"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"}

// FinancialQuarter returns the first and last month of Home Office financial
// quarter q (1 = April-June ... 4 = January-March) of the financial year that
// starts in April of startYear ("2017/18" has startYear 2017).
func FinancialQuarter(startYear, q int) (first, last Month) {
	first = MonthOf(startYear, 4).Add(3 * (q - 1))
	return first, first.Add(2)
}

// ParseFinancialYear reads "2017/18" (also "2017-18") and returns 2017.
func ParseFinancialYear(s string) (int, error) {
	if len(s) != 7 || (s[4] != '/' && s[4] != '-') {
		return 0, fmt.Errorf("financial year %q: want YYYY/YY", s)
	}
	y, err1 := strconv.Atoi(s[:4])
	yy, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || (y+1)%100 != yy {
		return 0, fmt.Errorf("financial year %q: want YYYY/YY with consecutive years", s)
	}
	return y, nil
}
