package cli

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/pipeline"
	"github.com/crimetrends/crimetrends/reports"
)

// reportExtra is what a report shows beyond the trend rows: the monthly
// series behind the SPC charts, the comparisons, the reconciliations and
// the populations and boundaries they need.
type reportExtra struct {
	monthly         []reports.MonthlySeries
	comparisons     []datasets.Comparison
	reconciliations []datasets.Reconciliation
	populations     *datasets.Populations
	vintagesUsed    []string
	boundaries      []byte
}

func (e *env) reportExtras(ctx context.Context, p reportParams, snap store.Snapshot, an pipeline.Analysis, forceCodes []string) (reportExtra, error) {
	var x reportExtra
	x.populations = datasets.BuiltinPopulations()
	if p.populations != "" {
		f, err := os.Open(p.populations)
		if err != nil {
			return x, fmt.Errorf("report: populations: %w", err)
		}
		user, err := datasets.ReadPopulations(p.populations, f)
		f.Close()
		if err != nil {
			return x, fmt.Errorf("report: populations: %w", err)
		}
		x.populations = x.populations.Merge(user)
	}
	if p.boundaries != "" {
		b, err := os.ReadFile(p.boundaries)
		if err != nil {
			return x, fmt.Errorf("report: boundaries: %w", err)
		}
		x.boundaries = b
	}

	// Comparisons at each source's report period only: the pages show no
	// other, and the all-forces report would otherwise compare every month.
	var atEnd []datasets.Trend
	for _, t := range an.Trends {
		if end, ok := an.PeriodEnd[t.Source]; ok && t.PeriodEnd == end {
			atEnd = append(atEnd, t)
		}
	}
	if len(forceCodes) > 0 {
		cs, err := pipeline.Compare(atEnd, pipeline.CompareOptions{Forces: forceCodes, Peers: p.peerGroups, Populations: x.populations,
			MinBase: p.minBase, Window: an.Window})
		if err != nil {
			return x, fmt.Errorf("report: %w", err)
		}
		x.comparisons = cs
	}
	x.reconciliations = pipeline.Reconcile(an.Trends, an.Published)

	// Monthly series of the chosen forces and England and Wales for every
	// source and offence the report shows.
	areas := append(append([]string(nil), forceCodes...), datasets.CodeEnglandWales)
	if len(forceCodes) > 8 {
		areas = []string{datasets.CodeEnglandWales} // "all": the force pages show rolling totals only
	}
	for _, src := range sortedSources(an.PeriodEnd) {
		for _, sel := range an.Selectors[src] {
			if err := ctx.Err(); err != nil {
				return x, err
			}
			for _, area := range areas {
				ps, err := pipeline.Series(snap.Counts, snap.Coverage, src, sel, area)
				if err != nil || len(ps) == 0 {
					continue
				}
				ms := reports.MonthlySeries{Source: src, Offence: sel.LabelFor(src), AreaCode: area}
				if a, ok := datasets.AreaByCode(area); ok {
					ms.AreaName = a.Name
				}
				for _, pp := range ps {
					ms.Periods = append(ms.Periods, reports.PeriodCount{Start: pp.Start, End: pp.End, Count: pp.Count})
				}
				x.monthly = append(x.monthly, ms)
			}
		}
	}

	seen := map[string]bool{}
	for _, c := range x.comparisons {
		for _, cm := range append([]datasets.Comparator{c.Force}, c.Comparators...) {
			if cm.PopulationVintage != "" && !seen[cm.PopulationVintage] {
				seen[cm.PopulationVintage] = true
				x.vintagesUsed = append(x.vintagesUsed, populationSource(x.populations, cm.PopulationVintage))
			}
		}
	}
	sort.Strings(x.vintagesUsed)
	return x, nil
}

// populationSource is "mid-2018: ONS mid-year population estimates ..."
// from the first population of that vintage.
func populationSource(pops *datasets.Populations, vintage string) string {
	for _, p := range pops.All() {
		if p.Vintage == vintage && p.Source != "" {
			return vintage + ": " + p.Source
		}
	}
	return vintage
}

func sortedSources(m map[string]datasets.Month) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func peerNames(gs []datasets.PeerGroup) []string {
	var out []string
	for _, g := range gs {
		var names []string
		for _, c := range g.Members {
			if a, ok := datasets.AreaByCode(c); ok {
				names = append(names, a.Name)
			}
		}
		out = append(out, g.Name+": "+strings.Join(names, ", "))
	}
	return out
}

func timeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// csvComparisons marks every comparison of synthetic data in its source.
func csvComparisons(cs []datasets.Comparison, synthetic bool) []datasets.Comparison {
	if !synthetic {
		return cs
	}
	out := make([]datasets.Comparison, len(cs))
	for i, c := range cs {
		c.Source = syntheticSource(c.Source)
		out[i] = c
	}
	return out
}

// generatedAt is the footer's generation time when neither the config nor
// --generated-at gives one: the run's clock (SOURCE_DATE_EPOCH fixes it).
func (e *env) generatedAt() time.Time { return e.now().UTC().Truncate(time.Second) }
