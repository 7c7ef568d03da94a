package homeoffice

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// Canonical names of the columns the readers need. Headers are matched after
// normalising case, spaces and underscores (see normHeader).
const (
	ColYear    = "Financial Year"
	ColQuarter = "Financial Quarter"
	ColForce   = "Force Name"
	ColCode    = "Offence Code"
	ColCount   = "Number of Offences"
)

// SkipFraudBody is the Stats.Skipped reason for rows of fraud reporting bodies.
const SkipFraudBody = "fraud reporting body, not a police force area"

// SkipBlankRow is the Stats.Skipped reason for rows whose cells are all blank.
const SkipBlankRow = "blank row"

const (
	iYear = iota
	iQuarter
	iForce
	iCode
	iCount
	nCols
)

var wantCols = [nCols]string{ColYear, ColQuarter, ColForce, ColCode, ColCount}

// headerWant describes the header in RowError.Want.
var headerWant = "a header naming " + strings.Join(wantCols[:], ", ")

// ctxEvery is how many rows pass between checks of the context.
const ctxEvery = 1024

// normHeader folds a header cell for matching: byte order mark dropped,
// underscores as spaces, runs of white space as one space, lower case.
func normHeader(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.ReplaceAll(s, "_", " ")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// matchHeader finds the needed columns in a header row. It returns their
// indices, how many were found, and the first missing one ("" when none).
func matchHeader(rec []string) (idx [nCols]int, found int, missing string) {
	for i := range idx {
		idx[i] = -1
	}
	for j, cell := range rec {
		h := normHeader(cell)
		for i, w := range wantCols {
			if idx[i] < 0 && h == normHeader(w) {
				idx[i] = j
				found++
			}
		}
	}
	for i, w := range wantCols {
		if idx[i] < 0 {
			return idx, found, w
		}
	}
	return idx, found, ""
}

// repeatedColumn returns the first wanted column that the header names more
// than once ("" when none does): which of the two holds the figures would be
// a guess.
func repeatedColumn(rec []string) string {
	for _, w := range wantCols {
		n := 0
		for _, cell := range rec {
			if normHeader(cell) == normHeader(w) {
				n++
			}
		}
		if n > 1 {
			return w
		}
	}
	return ""
}

// headerError is the error for a header that names a column twice, or nil.
func headerError(file, sheet string, row int, rec []string) error {
	if col := repeatedColumn(rec); col != "" {
		return &datasets.RowError{File: file, Sheet: sheet, Row: row, Column: col, Value: col,
			Want: "each column named once", Err: fmt.Errorf("%w: column named twice", datasets.ErrBadHeader)}
	}
	return nil
}

type countKey struct {
	area, code string
	start      datasets.Month
}

type coverKey struct {
	area  string
	start datasets.Month
}

type cell struct {
	end   datasets.Month
	count int64
	row   int // first row seen, for duplicate messages
}

// consumer turns data rows, from either tokeniser, into an Extract.
type consumer struct {
	file, sheet string
	idx         [nCols]int
	names       [nCols]string // the header text as written, for RowError.Column
	numeric     bool          // cells may be spreadsheet numbers ("1.0", "6.6776E4")
	width       int           // fields needed: 1 + the largest column index

	stats  datasets.Stats
	counts map[countKey]*cell
	cover  map[coverKey]datasets.Month
	rows   map[coverKey]int64 // used rows per coverage key
}

func newConsumer(file, sheet string, header []string, idx [nCols]int, numeric bool) *consumer {
	c := &consumer{file: file, sheet: sheet, idx: idx, numeric: numeric,
		counts: map[countKey]*cell{}, cover: map[coverKey]datasets.Month{}, rows: map[coverKey]int64{}}
	for i, j := range idx {
		c.names[i] = strings.TrimSpace(strings.TrimPrefix(header[j], "\ufeff"))
		c.width = max(c.width, j+1)
	}
	return c
}

func (c *consumer) rowErr(row, col int, value, want string, err error) *datasets.RowError {
	e := &datasets.RowError{File: c.file, Sheet: c.sheet, Row: row, Value: value, Want: want, Err: err}
	if col >= 0 {
		e.Column = c.names[col]
	}
	return e
}

// consume handles one data row; row is its 1-based number in the input.
func (c *consumer) consume(row int, rec []string) error {
	c.stats.Read++
	blank := true
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			blank = false
			break
		}
	}
	if blank {
		c.stats.Skip(SkipBlankRow, 1)
		return nil
	}
	if len(rec) < c.width {
		missing := -1
		for i, j := range c.idx {
			if j >= len(rec) && (missing < 0 || j < c.idx[missing]) {
				missing = i
			}
		}
		return c.rowErr(row, missing, "", fmt.Sprintf("at least %d fields, as in the header", c.width),
			fmt.Errorf("%w: %d fields", datasets.ErrBadRow, len(rec)))
	}
	get := func(i int) string { return rec[c.idx[i]] }

	yearText := strings.TrimSpace(get(iYear))
	year, err := datasets.ParseFinancialYear(yearText)
	if err != nil {
		return c.rowErr(row, iYear, get(iYear), "a financial year such as 2017/18",
			fmt.Errorf("%w: %v", datasets.ErrBadMonth, err))
	}
	q, ok := parseQuarter(get(iQuarter), c.numeric)
	if !ok {
		return c.rowErr(row, iQuarter, get(iQuarter), "a financial quarter 1 to 4 (or Q1 to Q4)",
			fmt.Errorf("%w: bad financial quarter", datasets.ErrBadMonth))
	}
	start, end := datasets.FinancialQuarter(year, q)

	forceName := strings.TrimSpace(get(iForce))
	if datasets.IsFraudBody(forceName) {
		c.stats.Skip(SkipFraudBody, 1)
		return nil
	}
	area, err := datasets.ResolveForce(forceName)
	if err != nil {
		if !errors.Is(err, datasets.ErrUnknownForce) {
			err = fmt.Errorf("%w: %v", datasets.ErrUnknownForce, err)
		}
		return c.rowErr(row, iForce, get(iForce), "a police force area, BTP or a fraud reporting body", err)
	}

	code := strings.TrimSpace(get(iCode))
	if _, ok := datasets.OffenceByCode(code); !ok {
		return c.rowErr(row, iCode, code, "a Home Office offence code such as 8L or 37.2",
			datasets.ErrUnknownOffence)
	}

	n, ok := parseCount(get(iCount), c.numeric)
	if !ok {
		return c.rowErr(row, iCount, get(iCount), "a whole number of offences, such as 66776 or 1,234",
			datasets.ErrBadCount)
	}

	key := countKey{area: area.Code, code: code, start: start}
	if prev, seen := c.counts[key]; seen {
		if !strings.Contains(code, "/") {
			return c.rowErr(row, -1, "", "one row per force, offence and quarter",
				fmt.Errorf("%w: duplicate row for force %s, offence %s, quarter %s Q%d (first at row %d)",
					datasets.ErrBadRow, forceName, code, yearText, q, prev.row))
		}
		prev.count += n // a component of a composite code such as 1/4.1/4.10/4.2
	} else {
		c.counts[key] = &cell{end: end, count: n, row: row}
	}
	c.cover[coverKey{area: area.Code, start: start}] = end
	c.rows[coverKey{area: area.Code, start: start}]++
	c.stats.Used++
	return nil
}

// extract returns the sorted result.
func (c *consumer) extract(name, sum string) *datasets.Extract {
	ext := &datasets.Extract{Source: datasets.SourceHomeOffice, Name: name, SHA256: sum, Stats: c.stats}
	ext.Counts = make([]datasets.Count, 0, len(c.counts))
	for k, v := range c.counts {
		ext.Counts = append(ext.Counts, datasets.Count{Source: datasets.SourceHomeOffice, AreaCode: k.area,
			Offence: k.code, Start: k.start, End: v.end, Count: v.count})
	}
	datasets.SortCounts(ext.Counts)
	ext.Coverage = make([]datasets.Coverage, 0, len(c.cover))
	ext.KeyRows = make(map[datasets.Coverage]int64, len(c.cover))
	for k, end := range c.cover {
		cov := datasets.Coverage{Source: datasets.SourceHomeOffice, AreaCode: k.area, Start: k.start, End: end}
		ext.Coverage = append(ext.Coverage, cov)
		ext.KeyRows[cov] = c.rows[k]
	}
	sort.Slice(ext.Coverage, func(i, j int) bool {
		a, b := ext.Coverage[i], ext.Coverage[j]
		if a.AreaCode != b.AreaCode {
			return a.AreaCode < b.AreaCode
		}
		return a.Start < b.Start
	})
	return ext
}

// parseQuarter reads 1..4, optionally written Q1..Q4.
func parseQuarter(s string, numeric bool) (int, bool) {
	t := strings.TrimSpace(s)
	if len(t) == 2 && (t[0] == 'Q' || t[0] == 'q') {
		t = t[1:]
	}
	if len(t) == 1 && t[0] >= '1' && t[0] <= '4' {
		return int(t[0] - '0'), true
	}
	if numeric {
		if v, ok := integralFloat(t); ok && v >= 1 && v <= 4 {
			return int(v), true
		}
	}
	return 0, false
}

// parseCount reads a whole number padded with spaces, with an optional minus
// sign (an adjustment) and optional thousands separators ("1,234"). "-00"
// reads as 0.
func parseCount(s string, numeric bool) (int64, bool) {
	t := strings.TrimSpace(s)
	neg := strings.HasPrefix(t, "-")
	digits := strings.TrimPrefix(t, "-")
	if strings.Contains(digits, ",") {
		groups := strings.Split(digits, ",")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, false
			}
		}
		digits = strings.Join(groups, "")
	}
	if digits != "" && len(digits) <= 18 && allDigits(digits) {
		v, err := strconv.ParseInt(digits, 10, 64)
		if err == nil {
			if neg {
				v = -v
			}
			return v, true
		}
	}
	if numeric {
		return integralFloat(t)
	}
	return 0, false
}

// integralFloat reads a spreadsheet number such as "12.0" or "6.6776E4"
// that holds a whole number.
func integralFloat(t string) (int64, bool) {
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
