package pipeline

import (
	"context"
	"fmt"
	"sort"

	"github.com/crimetrends/crimetrends/datasets"
)

// AnalyseOptions chooses what a report covers.
type AnalyseOptions struct {
	// Period is the last month of the report's 12-month window; zero means,
	// for each source, the latest month its data covers completely. For a
	// quarterly source the window ends at the latest quarter end not after it.
	Period datasets.Month
	// Offences are the selections to report; empty means each source's
	// DefaultSelectors.
	Offences []datasets.Selector
	MinBase  int
	// Published are figures as releases published them (ONS PFA tables);
	// they become Analysis.Published as published, never recomputed.
	Published []datasets.Published
}

// Analysis is the computed content of a report.
type Analysis struct {
	Trends    []datasets.Trend // computed from counts
	Published []datasets.Trend // as the releases published them, source = release
	Counts    []datasets.Count
	PeriodEnd map[string]datasets.Month // per source with a window ending at or before Period
	Notes     []string                  // plain-English reasons for anything left out
}

// Analyse computes the trends of the current dataset: rolling 12-month
// totals and year-on-year change for every area and selection, and the
// report period of each source.
func Analyse(ctx context.Context, counts []datasets.Count, coverage []datasets.Coverage, opts AnalyseOptions) (Analysis, error) {
	var a Analysis
	a.Published, a.Notes = PublishedTrends(opts.Published)
	sources := sourcesOf(coverage)
	if len(sources) == 0 {
		if len(a.Published) > 0 {
			a.PeriodEnd = map[string]datasets.Month{}
			return a, nil
		}
		return a, fmt.Errorf("analyse: the dataset is empty: ingest some extracts first")
	}
	selectors := opts.Offences
	if len(selectors) == 0 {
		seen := map[string]bool{}
		for _, src := range sources {
			for _, s := range datasets.DefaultSelectors(src) {
				k := fmt.Sprint(s.Kind, s.Key)
				if !seen[k] {
					seen[k] = true
					selectors = append(selectors, s)
				}
			}
		}
	}
	trends, err := Trends(ctx, counts, coverage, TrendsOptions{Selectors: selectors, Window: 12, MinBase: opts.MinBase})
	if err != nil {
		return a, fmt.Errorf("analyse: %w", err)
	}
	a.Trends = trends
	a.Counts = counts
	a.PeriodEnd = map[string]datasets.Month{}
	latest := LatestComplete(coverage)
	for _, src := range sources {
		// The report window ends at the latest window end with a total for
		// England and Wales or, failing that, for any area, not after the
		// period asked for.
		limit := latest[src]
		if opts.Period != 0 {
			limit = opts.Period
		}
		var best, bestEW datasets.Month
		for _, t := range trends {
			if t.Source != src || t.PeriodEnd > limit {
				continue
			}
			if t.PeriodEnd > best {
				best = t.PeriodEnd
			}
			if t.AreaCode == datasets.CodeEnglandWales && t.PeriodEnd > bestEW {
				bestEW = t.PeriodEnd
			}
		}
		switch {
		case best == 0:
			a.Notes = append(a.Notes, fmt.Sprintf("%s: no complete 12-month window ends by %s; the data covers %s",
				sourceLabel(src), limit, coverageSpan(coverage, src)))
			continue
		case opts.Period != 0 && best != opts.Period:
			a.Notes = append(a.Notes, fmt.Sprintf("%s: no complete 12-month window ends in %s; the report uses the 12 months to %s",
				sourceLabel(src), opts.Period.Label(), best.Label()))
		}
		a.PeriodEnd[src] = best
	}
	return a, nil
}

func sourcesOf(coverage []datasets.Coverage) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range coverage {
		if !seen[c.Source] {
			seen[c.Source] = true
			out = append(out, c.Source)
		}
	}
	sort.Strings(out)
	return out
}

func coverageSpan(coverage []datasets.Coverage, src string) string {
	var lo, hi datasets.Month
	for _, c := range coverage {
		if c.Source != src {
			continue
		}
		if lo == 0 || c.Start < lo {
			lo = c.Start
		}
		if c.End > hi {
			hi = c.End
		}
	}
	return fmt.Sprintf("%s to %s (%d months)", lo, hi, int(hi-lo)+1)
}

// sourceLabel names a source for people.
func sourceLabel(src string) string {
	switch src {
	case datasets.SourcePoliceUK:
		return "data.police.uk street-level crime"
	case datasets.SourceHomeOffice:
		return "Home Office police recorded crime"
	}
	return src
}
