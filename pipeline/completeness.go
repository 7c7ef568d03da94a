package pipeline

import (
	"sort"

	"github.com/crimetrends/crimetrends/datasets"
)

// CompletenessRow is one cell of the force x month x source completeness
// matrix: whether Source holds complete figures for AreaCode in Month.
type CompletenessRow struct {
	Source   string
	AreaCode string
	AreaName string
	Month    datasets.Month
	Covered  bool
}

// Completeness returns the completeness matrix of coverage: for each
// source (sorted), each force and BTP in datasets.Forces order, and each
// month from the source's first to its last covered month (over forces and
// BTP), whether the month is covered. A coverage span of several months (a
// financial quarter) covers each of its months. Coverage of other areas
// (regions, England and Wales) is left out.
func Completeness(coverage []datasets.Coverage) []CompletenessRow {
	forces := datasets.Forces()
	isForce := map[string]bool{}
	for _, a := range forces {
		isForce[a.Code] = true
	}
	type span struct{ first, last datasets.Month }
	spans := map[string]*span{}
	covered := map[string]map[string]map[datasets.Month]bool{} // source -> area -> month
	for _, c := range coverage {
		if !isForce[c.AreaCode] || c.End < c.Start {
			continue
		}
		s := spans[c.Source]
		if s == nil {
			s = &span{c.Start, c.End}
			spans[c.Source] = s
			covered[c.Source] = map[string]map[datasets.Month]bool{}
		}
		s.first, s.last = min(s.first, c.Start), max(s.last, c.End)
		byMonth := covered[c.Source][c.AreaCode]
		if byMonth == nil {
			byMonth = map[datasets.Month]bool{}
			covered[c.Source][c.AreaCode] = byMonth
		}
		for mo := c.Start; mo <= c.End; mo++ {
			byMonth[mo] = true
		}
	}
	sources := make([]string, 0, len(spans))
	for s := range spans {
		sources = append(sources, s)
	}
	sort.Strings(sources)
	var out []CompletenessRow
	for _, src := range sources {
		sp := spans[src]
		for _, a := range forces {
			for mo := sp.first; mo <= sp.last; mo++ {
				out = append(out, CompletenessRow{Source: src, AreaCode: a.Code, AreaName: a.Name, Month: mo,
					Covered: covered[src][a.Code][mo]})
			}
		}
	}
	return out
}

// MonthRange is the months First..Last inclusive.
type MonthRange struct {
	First, Last datasets.Month
}

// String gives "2019-07..2019-09" (also for a single month: "2022-06..2022-06").
func (r MonthRange) String() string { return r.First.String() + ".." + r.Last.String() }

// CompletenessSummary is one source and area of the completeness matrix in
// brief. SpanFirst..SpanLast is the source's span; First and Last are the
// area's first and last covered months (zero when Absent).
type CompletenessSummary struct {
	Source    string
	AreaCode  string
	AreaName  string
	SpanFirst datasets.Month
	SpanLast  datasets.Month
	First     datasets.Month
	Last      datasets.Month
	Covered   int          // months covered
	Missing   int          // months of the span not covered
	Gaps      []MonthRange // the missing months as ranges, oldest first
	Absent    bool         // no month of the span covered
}

// Complete reports whether every month of the source's span is covered.
func (s CompletenessSummary) Complete() bool { return s.Missing == 0 }

// SummariseCompleteness condenses the rows of Completeness to one summary
// per source and area, in the rows' order (which must be Completeness's:
// grouped by source and area, months in order).
func SummariseCompleteness(rows []CompletenessRow) []CompletenessSummary {
	var out []CompletenessSummary
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].Source == rows[i].Source && rows[j].AreaCode == rows[i].AreaCode {
			j++
		}
		s := CompletenessSummary{Source: rows[i].Source, AreaCode: rows[i].AreaCode, AreaName: rows[i].AreaName,
			SpanFirst: rows[i].Month, SpanLast: rows[j-1].Month}
		for k := i; k < j; k++ {
			r := rows[k]
			if r.Covered {
				if s.Covered == 0 {
					s.First = r.Month
				}
				s.Last = r.Month
				s.Covered++
				continue
			}
			s.Missing++
			if n := len(s.Gaps); n > 0 && s.Gaps[n-1].Last == r.Month.Add(-1) {
				s.Gaps[n-1].Last = r.Month
			} else {
				s.Gaps = append(s.Gaps, MonthRange{r.Month, r.Month})
			}
		}
		s.Absent = s.Covered == 0
		out = append(out, s)
		i = j
	}
	return out
}
