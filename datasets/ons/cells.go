package ons

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// Markers ONS prints in place of a figure.
var markers = map[string]bool{
	"..": true, // not available
	"-":  true, // base under 50 (percentage change)
	"+":  true, // suppressed: City of London rates
}

const markerWant = `a number or a marker ("..", "-" or "+")`

// cellValue is one parsed figure: a number, or the marker printed instead.
type cellValue struct {
	has    bool
	num    float64
	marker string
}

// parseFigure reads a cell as a finite number or a marker. An empty cell is
// no figure with an empty marker.
func parseFigure(s string) (cellValue, bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return cellValue{}, true
	}
	if markers[t] {
		return cellValue{marker: t}, true
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return cellValue{}, false
	}
	return cellValue{has: true, num: f}, true
}

// wholeNumber reports whether f is a whole number that a float64 and an
// int64 both hold exactly.
func wholeNumber(f float64) bool {
	return f == math.Trunc(f) && math.Abs(f) <= 1<<53
}

// cleanText collapses white space (newlines, repeated spaces) to single
// spaces and trims the ends.
func cleanText(s string) string { return strings.Join(strings.Fields(s), " ") }

// stripFootnote removes footnote markers glued to the end of a cleaned
// name or header: see datasets.StripFootnote.
func stripFootnote(s string) string { return datasets.StripFootnote(cleanText(s)) }

// yearNoteRE is a footnote number in parentheses glued to a name, as in
// "British Transport Police(2006)" (Table P2, year ending December 2018).
var yearNoteRE = regexp.MustCompile(`([\p{L}.])\s*\(\d+\)$`)

// cleanName cleans an area name as published: white space collapsed,
// footnote digits and a parenthesised footnote number removed.
func cleanName(s string) string {
	return stripFootnote(yearNoteRE.ReplaceAllString(cleanText(s), "$1"))
}

// headerKey is the form headers and names are compared in: footnotes
// stripped, white space collapsed, lower case.
func headerKey(s string) string { return strings.ToLower(stripFootnote(s)) }

// splitAreaCode reads an ONS area code (E, W or K and eight digits) with
// optional footnote digits glued on ("E230000246" is E23000024 and note 6).
func splitAreaCode(s string) (string, bool) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if len(t) < 9 || (t[0] != 'E' && t[0] != 'W' && t[0] != 'K') {
		return "", false
	}
	for i := 1; i < len(t); i++ {
		c := t[i]
		if c >= '0' && c <= '9' || i >= 9 && c == ',' {
			continue
		}
		return "", false
	}
	return t[:9], true
}

// colName is the spreadsheet letter of the 0-based column i.
func colName(i int) string {
	n, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return n
}

// cell returns the i-th cell of a row, or "" past its end.
func cell(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// yearEndingRE finds "year ending March 2019" in a title; footnote digits
// may be glued to the year ("March 20191,2", "March 181,2,3").
var yearEndingRE = regexp.MustCompile(`(?i)year\s+ending\s+([a-z]+)\.?\s+(\d+(?:,\d+)*)`)

var monthNumbers = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
	"sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// titlePeriod is one "year ending" phrase of a title: the month it names
// and where the phrase ends, footnote digits excluded.
type titlePeriod struct {
	end datasets.Month
	pos int
}

// titlePeriods returns every "year ending <month> <year>" phrase in a title.
// The year is four digits when the digits before the first comma start with
// "19" or "20" and number at least four, else two (2000-2099); the digits
// after it are footnote markers.
func titlePeriods(title string) []titlePeriod {
	var out []titlePeriod
	for _, m := range yearEndingRE.FindAllStringSubmatchIndex(title, -1) {
		month, ok := monthNumbers[strings.ToLower(title[m[2]:m[3]])]
		if !ok {
			continue
		}
		digits := title[m[4]:m[5]]
		if i := strings.IndexByte(digits, ','); i >= 0 {
			digits = digits[:i]
		}
		var year, n int
		switch {
		case len(digits) >= 4 && (strings.HasPrefix(digits, "19") || strings.HasPrefix(digits, "20")):
			year, _ = strconv.Atoi(digits[:4])
			n = 4
		case len(digits) >= 2:
			yy, _ := strconv.Atoi(digits[:2])
			year, n = 2000+yy, 2
		default:
			continue
		}
		out = append(out, titlePeriod{end: datasets.MonthOf(year, month), pos: m[4] + n})
	}
	return out
}
