package pipeline

import (
	"math"
	"sort"
	"strconv"

	"github.com/crimetrends/crimetrends/datasets"
)

// Revision fields: what a Revision says changed.
const (
	RevisionCount   = "count"      // the window's total moved
	RevisionPct     = "pct_change" // the percentage change moved, appeared or went blank
	RevisionAdded   = "added"      // the figure is new in this run
	RevisionRemoved = "removed"    // the figure was in the previous run only
)

// Revision is one figure that changed between two runs' trends: a trend
// row's key (Source, AreaCode, Offence, PeriodEnd, Months) and, for Field
// RevisionCount or RevisionPct, the value before and after and the
// difference (current minus previous; blank when either side is blank).
// For RevisionAdded Current is the new count; for RevisionRemoved Previous
// is the old count. Percentages are compared and written with one decimal
// place, as in trends.csv.
type Revision struct {
	Source     string
	AreaCode   string
	AreaName   string
	Offence    string
	PeriodEnd  datasets.Month
	Months     int
	Field      string
	Previous   string
	Current    string
	Difference string
}

type trendKey struct {
	source, area, offence string
	end                   datasets.Month
	months                int
}

func keyOf(t datasets.Trend) trendKey {
	return trendKey{t.Source, t.AreaCode, t.Offence, t.PeriodEnd, t.Months}
}

// Revisions compares the trends of a previous run with the current ones,
// row by row on (source, area code, offence, period end, months): figures
// whose count or percentage change differ, and keys found on one side only.
// Source names are compared as they are (a synthetic-prefixed source is
// its own source). Where a key repeats on one side, its last row counts.
// The result is sorted by source, area code, offence, period end, months,
// then field (count, pct_change, added, removed). Previous rows of a window
// ending before from (the current report's Report.HistoryStart: windows it
// no longer holds as the months move on) are not compared.
func Revisions(previous, current []datasets.Trend, from datasets.Month) []Revision {
	// Each side's rows by key, the last row of a repeated key kept: an
	// index, not a copy of the row.
	index := func(ts []datasets.Trend) map[trendKey]int {
		m := make(map[trendKey]int, len(ts))
		for i := range ts {
			if ts[i].PeriodEnd >= from {
				m[keyOf(ts[i])] = i
			}
		}
		return m
	}
	prev, cur := index(previous), index(current)
	var out []Revision
	rev := func(t *datasets.Trend, field, from, to, diff string) {
		out = append(out, Revision{Source: t.Source, AreaCode: t.AreaCode, AreaName: t.AreaName, Offence: t.Offence,
			PeriodEnd: t.PeriodEnd, Months: t.Months, Field: field, Previous: from, Current: to, Difference: diff})
	}
	for k, ci := range cur {
		c := &current[ci]
		pi, ok := prev[k]
		if !ok {
			rev(c, RevisionAdded, "", strconv.FormatInt(c.Count, 10), "")
			continue
		}
		p := &previous[pi]
		if p.Count != c.Count {
			rev(c, RevisionCount, strconv.FormatInt(p.Count, 10), strconv.FormatInt(c.Count, 10), strconv.FormatInt(c.Count-p.Count, 10))
		}
		pt, ct := tenths(*p), tenths(*c)
		if p.HasPct != c.HasPct || pt != ct {
			diff := ""
			if p.HasPct && c.HasPct {
				diff = formatTenths(ct - pt)
			}
			rev(c, RevisionPct, pctText(*p), pctText(*c), diff)
		}
	}
	for k, pi := range prev {
		if _, ok := cur[k]; !ok {
			rev(&previous[pi], RevisionRemoved, strconv.FormatInt(previous[pi].Count, 10), "", "")
		}
	}
	order := map[string]int{RevisionCount: 0, RevisionPct: 1, RevisionAdded: 2, RevisionRemoved: 3}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Source != b.Source:
			return a.Source < b.Source
		case a.AreaCode != b.AreaCode:
			return a.AreaCode < b.AreaCode
		case a.Offence != b.Offence:
			return a.Offence < b.Offence
		case a.PeriodEnd != b.PeriodEnd:
			return a.PeriodEnd < b.PeriodEnd
		case a.Months != b.Months:
			return a.Months < b.Months
		}
		return order[a.Field] < order[b.Field]
	})
	return out
}

// tenths is a trend's percentage change in tenths of a point, rounded as
// trends.csv writes it; 0 without one.
func tenths(t datasets.Trend) int64 {
	if !t.HasPct {
		return 0
	}
	return int64(math.Round(t.PctChange * 10))
}

func pctText(t datasets.Trend) string {
	if !t.HasPct {
		return ""
	}
	return formatTenths(tenths(t))
}

// formatTenths writes n tenths with one decimal place: 146 -> "14.6", -30 -> "-3.0".
func formatTenths(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return sign + strconv.FormatInt(n/10, 10) + "." + strconv.FormatInt(n%10, 10)
}
