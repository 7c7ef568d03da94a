package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/crimetrends/crimetrends/datasets"
)

// TrendsHeader is the header of trends.csv.
var TrendsHeader = []string{"area_code", "area_name", "offence", "period_end", "months", "count", "previous_count", "change", "pct_change", "source", "note"}

// CountsHeader is the header of counts.csv.
var CountsHeader = []string{"area_code", "area_name", "offence", "period_start", "period_end", "count", "source"}

// WriteTrendsCSV writes trends.csv: one row per trend, sorted by source,
// offence, area code, period end and window length (trends itself is not
// changed). Months are YYYY-MM; previous_count and change are blank without
// a previous window; pct_change has one decimal place ("14.6", "-3.0") or is
// blank. Text cells that a spreadsheet would read as a formula get a
// leading apostrophe.
func WriteTrendsCSV(w io.Writer, trends []datasets.Trend) error {
	rows := append([]datasets.Trend(nil), trends...)
	sortTrends(rows)
	cw := csv.NewWriter(w)
	if err := cw.Write(TrendsHeader); err != nil {
		return fmt.Errorf("write trends.csv header: %w", err)
	}
	for i, t := range rows {
		if err := cw.Write(trendRecord(t)); err != nil {
			return fmt.Errorf("write trends.csv row %d: %w", i+2, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write trends.csv: %w", err)
	}
	return nil
}

// WriteCountsCSV writes counts.csv: one row per count, sorted with
// datasets.SortCounts (counts itself is not changed). area_name is the
// area's ONS name from the reference data, blank when the code is unknown.
func WriteCountsCSV(w io.Writer, counts []datasets.Count) error {
	rows := append([]datasets.Count(nil), counts...)
	datasets.SortCounts(rows)
	cw := csv.NewWriter(w)
	if err := cw.Write(CountsHeader); err != nil {
		return fmt.Errorf("write counts.csv header: %w", err)
	}
	for i, c := range rows {
		name := ""
		if c.AreaCode == datasets.CodeEnglandWales {
			name = "England and Wales"
		} else if a, ok := datasets.AreaByCode(c.AreaCode); ok {
			name = a.Name
		}
		rec := []string{
			safeText(c.AreaCode), safeText(name), safeText(c.Offence),
			c.Start.String(), c.End.String(),
			strconv.FormatInt(c.Count, 10), safeText(c.Source),
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write counts.csv row %d: %w", i+2, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write counts.csv: %w", err)
	}
	return nil
}

func trendRecord(t datasets.Trend) []string {
	prev, change, pct := "", "", ""
	if t.HasPrevious {
		prev = strconv.FormatInt(t.Previous, 10)
		change = strconv.FormatInt(t.Change, 10)
	}
	if t.HasPct {
		pct = FormatPct(t.PctChange)
	}
	return []string{
		safeText(t.AreaCode), safeText(t.AreaName), safeText(t.Offence),
		t.PeriodEnd.String(), strconv.Itoa(t.Months), strconv.FormatInt(t.Count, 10),
		prev, change, pct, safeText(t.Source), safeText(t.Note),
	}
}

// FormatPct writes a percentage change with one decimal place and its sign
// ("14.6", "-3.0", "0.0"; never "-0.0").
func FormatPct(p float64) string {
	return strconv.FormatFloat(roundPct(p), 'f', 1, 64)
}

// safeText defuses CSV injection: a text cell starting with = + - @ (or a
// tab or carriage return) gets a leading apostrophe so that spreadsheets
// show it as text instead of running it as a formula. Only text columns
// go through here; numbers such as -3.0 are written as they are.
func safeText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func sortTrends(ts []datasets.Trend) {
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i], ts[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Offence != b.Offence {
			return a.Offence < b.Offence
		}
		if a.AreaCode != b.AreaCode {
			return a.AreaCode < b.AreaCode
		}
		if a.PeriodEnd != b.PeriodEnd {
			return a.PeriodEnd < b.PeriodEnd
		}
		return a.Months < b.Months
	})
}
