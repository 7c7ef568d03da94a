package pipeline

import (
	"fmt"
	"math"
	"sort"

	"github.com/crimetrends/crimetrends/datasets"
)

// Reconcile sets every figure computed from a force's own extracts beside
// the published figures for the same area, offence label, window end and
// window length, so an analyst sees whether the extract agrees with what
// was published.
//
// trends are rows as Trends makes them, of any sources: those of source
// datasets.SourceForce are reconciled, against those of
// datasets.SourceHomeOffice; published are rows as PublishedTrends makes
// them (Source the release, "ons-pfa-2019-03"). Rows of other sources
// (police.uk, whose categories are coarser) are not used, and a force row
// with no published counterpart gives nothing. A counterpart found twice
// (the same source and key) is used once.
//
// Each pair gives one datasets.Reconciliation: Difference = Extract -
// Published and, when Published is not zero, PctDifference = 100 *
// Difference / Published, unrounded; Note says "agrees" or, for example,
// "force extract 3.2% above the published figure (12 more)". Rows are
// sorted by area code, offence, window end, window start and published
// source. Reconcile changes none of its inputs.
func Reconcile(trends []datasets.Trend, published []datasets.Trend) []datasets.Reconciliation {
	type key struct {
		area, offence string
		end           datasets.Month
		months        int
	}
	type sourced struct {
		key
		source string
	}
	candidates := map[key][]datasets.Trend{}
	seen := map[sourced]bool{}
	add := func(t datasets.Trend) {
		k := key{t.AreaCode, t.Offence, t.PeriodEnd, t.Months}
		if seen[sourced{k, t.Source}] {
			return
		}
		seen[sourced{k, t.Source}] = true
		candidates[k] = append(candidates[k], t)
	}
	for _, t := range trends {
		if t.Source == datasets.SourceHomeOffice {
			add(t)
		}
	}
	for _, t := range published {
		if t.Source != datasets.SourceForce && t.Source != datasets.SourcePoliceUK && t.Source != "" {
			add(t)
		}
	}
	var out []datasets.Reconciliation
	done := map[key]bool{}
	for _, f := range trends {
		k := key{f.AreaCode, f.Offence, f.PeriodEnd, f.Months}
		if f.Source != datasets.SourceForce || f.Months <= 0 || done[k] {
			continue
		}
		done[k] = true
		for _, p := range candidates[k] {
			out = append(out, reconcile(f, p))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.AreaCode != b.AreaCode:
			return a.AreaCode < b.AreaCode
		case a.Offence != b.Offence:
			return a.Offence < b.Offence
		case a.End != b.End:
			return a.End < b.End
		case a.Start != b.Start:
			return a.Start < b.Start
		}
		return a.PublishedSource < b.PublishedSource
	})
	return out
}

// reconcile compares one force-extract row with one published row of the
// same key.
func reconcile(f, p datasets.Trend) datasets.Reconciliation {
	r := datasets.Reconciliation{
		AreaCode: f.AreaCode, AreaName: f.AreaName, Offence: f.Offence,
		Start: f.PeriodEnd.Add(1 - f.Months), End: f.PeriodEnd,
		Extract: f.Count, Published: p.Count, PublishedSource: p.Source,
		Difference: f.Count - p.Count,
	}
	if r.AreaName == "" {
		r.AreaName = p.AreaName
	}
	if p.Count != 0 {
		r.HasPct = true
		r.PctDifference = 100 * float64(r.Difference) / float64(p.Count)
	}
	r.Note = reconcileNote(r)
	return r
}

// reconcileNote says in words how the extract stands against the published
// figure.
func reconcileNote(r datasets.Reconciliation) string {
	d := r.Difference
	if d == 0 {
		return "agrees"
	}
	dir, more, n := "above", "more", d
	if d < 0 {
		dir, more, n = "below", "fewer", -d
	}
	if !r.HasPct {
		return fmt.Sprintf("force extract %d %s a published figure of 0", n, dir)
	}
	pct := math.Abs(r.PctDifference)
	if math.Round(pct*10) == 0 {
		return fmt.Sprintf("force extract under 0.1%% %s the published figure (%d %s)", dir, n, more)
	}
	return fmt.Sprintf("force extract %.1f%% %s the published figure (%d %s)", pct, dir, n, more)
}
