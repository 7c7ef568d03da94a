package pipeline

import (
	"context"
	"fmt"
	"sort"

	"github.com/crimetrends/crimetrends/datasets"
)

// AnalyseOptions chooses what a report covers.
type AnalyseOptions struct {
	// Period is the last month of the report's window; zero means, for each
	// source, the latest month its data covers completely. The window ends
	// at the latest month not after it in which a complete window of the
	// kind asked for ends: for a quarterly source the latest quarter end,
	// for a financial year the latest March.
	Period datasets.Month
	// Window is the kind of reporting window; empty means the rolling 12
	// months.
	Window datasets.Window
	// Offences are the selections to report, applied to every source they
	// can be; empty means each source's own DefaultSelectors and Extra.
	Offences []datasets.Selector
	// Extra are selections reported beside each source's defaults when
	// Offences is empty (the demo adds stalking and harassment).
	Extra   []datasets.Selector
	MinBase int
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
	Window    datasets.Window           // the kind of window used (never empty)
	Notes     []string                  // plain-English reasons for anything left out
	// Selectors are, per source, the selections its trends were computed
	// for, one per offence label, in the order asked for.
	Selectors map[string][]datasets.Selector
}

// Analyse computes the trends of the current dataset: the totals over every
// window of the kind opts.Window asks for (rolling 12 months by default)
// and their year-on-year change for every area and selection, and the
// report period of each source. An unknown opts.Window is an error.
func Analyse(ctx context.Context, counts []datasets.Count, coverage []datasets.Coverage, opts AnalyseOptions) (Analysis, error) {
	var a Analysis
	kind := opts.Window
	if kind == "" {
		kind = datasets.WindowRolling12
	}
	if !knownWindow(kind) {
		return a, fmt.Errorf("analyse: unknown window kind %q", string(kind))
	}
	a.Window = kind
	a.Published, a.Notes = PublishedTrends(opts.Published)
	sources := sourcesOf(coverage)
	if len(sources) == 0 {
		if len(a.Published) > 0 {
			a.PeriodEnd = map[string]datasets.Month{}
			return a, nil
		}
		return a, fmt.Errorf("analyse: the dataset is empty: ingest some extracts first")
	}
	// With no offences asked for, each source reports its own default
	// selections (plus opts.Extra): a police.uk category is not also read
	// from Home Office codes unless someone asks for it by name.
	selectorsFor := func(src string) []datasets.Selector {
		if len(opts.Offences) > 0 {
			return opts.Offences
		}
		return append(datasets.DefaultSelectors(src), opts.Extra...)
	}
	// A selection applies to every source it can, but a source reports
	// each label once (the first selection's): the Home Office group
	// "Criminal damage and arson" and the police.uk category of that name
	// would otherwise give Home Office data two rows of one offence.
	var trends []datasets.Trend
	countsBy := map[string][]datasets.Count{}
	for _, c := range counts {
		countsBy[c.Source] = append(countsBy[c.Source], c)
	}
	coverageBy := map[string][]datasets.Coverage{}
	for _, c := range coverage {
		coverageBy[c.Source] = append(coverageBy[c.Source], c)
	}
	for _, src := range sources { // sorted, as Trends sorts its rows
		var sels []datasets.Selector
		labels := map[string]bool{}
		for _, s := range selectorsFor(src) {
			if l := s.LabelFor(src); s.AppliesTo(src) && !labels[l] {
				labels[l] = true
				sels = append(sels, s)
			}
		}
		t, err := Trends(ctx, countsBy[src], coverageBy[src], TrendsOptions{Selectors: sels, Window: 12, Kind: kind, MinBase: opts.MinBase})
		if err != nil {
			return a, fmt.Errorf("analyse: %w", err)
		}
		trends = append(trends, t...)
		if a.Selectors == nil {
			a.Selectors = map[string][]datasets.Selector{}
		}
		a.Selectors[src] = sels
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
			a.Notes = append(a.Notes, fmt.Sprintf("%s: no complete %s ends by %s; the data covers %s",
				sourceLabel(src), windowNoun(kind), limit, coverageSpan(coverage, src)))
			continue
		case opts.Period != 0 && best != opts.Period:
			a.Notes = append(a.Notes, fmt.Sprintf("%s: no complete %s ends in %s; the report uses %s",
				sourceLabel(src), windowNoun(kind), opts.Period.Label(), kind.Describe(best)))
		}
		a.PeriodEnd[src] = best
	}
	return a, nil
}

// windowNoun names a kind of window in a sentence: "12-month window",
// "financial year".
func windowNoun(w datasets.Window) string {
	switch w {
	case datasets.WindowFinancialYear:
		return "financial year"
	case datasets.WindowFYTD:
		return "financial year to date"
	case datasets.WindowQuarter:
		return "quarter"
	case datasets.WindowCalendarYear:
		return "calendar year"
	case datasets.WindowMonth:
		return "month"
	}
	return "12-month window"
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
