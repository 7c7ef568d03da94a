package pipeline

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

// OutcomeShares is what Outcomes returns: a force's outcomes over a window
// by outcome group, with shares, 95% intervals and England and Wales
// excluding the force (see datasets.OutcomeShares).
type OutcomeShares = datasets.OutcomeShares

// ErrNoOutcomes is wrapped by the error of Outcomes when the force has no
// police.uk outcomes for some month of the window.
var ErrNoOutcomes = errors.New("no police.uk outcomes")

// OutcomesOptions says whose outcomes Outcomes gives.
type OutcomesOptions struct {
	// Force is the force: a name, a data.police.uk name or an ONS code
	// (datasets.ResolveForce); BTP too.
	Force string
	// CrimeType is a police.uk crime type (any case), or "" (or "all",
	// "all crime") for every crime. Anti-social behaviour, not a crime,
	// has no outcomes and is an error.
	CrimeType string
	// Start and End are the first and last month of outcomes counted.
	// A zero End is the latest month of the force's outcomes; a zero Start
	// is eleven months before End (twelve months in all).
	Start, End datasets.Month
}

// Outcomes sets out what happened to the crimes a force recorded: its
// police.uk outcomes over a window (counts as Store.Outcomes returns them,
// with their coverage), grouped by datasets.OutcomeGroups (Other outcome
// only when an outcome has a type datasets.OutcomeTypes does not list,
// named in a note), each group's
// share of all the force's outcomes of the crime type with its exact
// (Clopper-Pearson) 95% interval, and the same for England and Wales
// excluding the force: every other force (and BTP) with outcomes for every
// month of the window, summed; a force with outcomes for only part of it is
// left out and named. The shares are of outcomes recorded in the window, not
// of crimes: outcomes are counted in the month they are recorded, and a crime
// can have more than one (datasets.OutcomesCaveat).
//
// For one crime type only outcomes whose crime the street files typed are
// counted; for all crime, outcomes of crimes of unknown type too (Untyped
// says how many). It is an error wrapping ErrNoOutcomes when the force has
// no outcomes for a month of the window, naming the months.
func Outcomes(counts []datasets.OutcomeCount, coverage []datasets.Coverage, opts OutcomesOptions) (OutcomeShares, error) {
	force, err := datasets.ResolveForce(opts.Force)
	if err != nil {
		return OutcomeShares{}, fmt.Errorf("outcomes: %w", err)
	}
	crimeType, label, err := outcomeCrimeType(opts.CrimeType)
	if err != nil {
		return OutcomeShares{}, fmt.Errorf("outcomes: %w", err)
	}
	months := map[string]map[datasets.Month]bool{} // area -> months covered
	for _, c := range coverage {
		if c.Source != datasets.SourcePoliceUKOutcomes {
			continue
		}
		if months[c.AreaCode] == nil {
			months[c.AreaCode] = map[datasets.Month]bool{}
		}
		for m := c.Start; m <= c.End; m++ {
			months[c.AreaCode][m] = true
		}
	}
	start, end := opts.Start, opts.End
	if end == 0 {
		for m := range months[force.Code] {
			end = max(end, m)
		}
		if end == 0 {
			return OutcomeShares{}, fmt.Errorf("outcomes: %w for %s in the dataset: ingest its data.police.uk outcomes files (YYYY-MM-%s-outcomes.csv)",
				ErrNoOutcomes, force.Name, force.Slug)
		}
	}
	if start == 0 {
		start = end.Add(-11)
	}
	if start > end {
		return OutcomeShares{}, fmt.Errorf("outcomes: window %s..%s: the first month is after the last", start, end)
	}
	if missing := missingMonths(months[force.Code], start, end); len(missing) > 0 {
		return OutcomeShares{}, fmt.Errorf("outcomes: %w for %s in %s (window %s..%s): ingest the outcomes files of those months, or choose a window they cover",
			ErrNoOutcomes, force.Name, strings.Join(missing, ", "), start, end)
	}

	res := OutcomeShares{AreaCode: force.Code, AreaName: force.Name, CrimeType: crimeType, Label: label,
		Start: start, End: end, Caveat: datasets.OutcomesCaveat}
	// The forces of England and Wales excluding the force: whole windows
	// only, under the one like-for-like rule (LikeForLike): a force without
	// outcomes for every month is left out, and the total is given only
	// when few enough are. BTP counts when the dataset has its outcomes.
	national := map[string]bool{}
	members := 0
	for _, a := range datasets.Forces() {
		if a.Code == force.Code || (a.Kind == datasets.KindBTP && months[a.Code] == nil) {
			continue
		}
		members++
		switch cov := months[a.Code]; {
		case cov != nil && len(missingMonths(cov, start, end)) == 0:
			national[a.Code] = true
			res.NationalForces = append(res.NationalForces, a.Code)
		default:
			res.NationalLeftOut = append(res.NationalLeftOut, a.Name)
		}
	}
	sort.Strings(res.NationalForces)
	sort.Strings(res.NationalLeftOut)
	if !LikeForLike(members, len(res.NationalLeftOut)) {
		for k := range national {
			delete(national, k)
		}
		res.NationalForces = nil
	}

	byGroup, nationalByGroup, otherTypes := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, c := range counts {
		if c.Month < start || c.Month > end {
			continue
		}
		own, nat := c.AreaCode == force.Code, national[c.AreaCode]
		if !own && !nat {
			continue
		}
		if c.CrimeType == datasets.CrimeTypeUnknown {
			if own {
				res.Untyped += c.Count
			} else {
				res.NationalUntyped += c.Count
			}
		}
		if crimeType != "" && c.CrimeType != crimeType {
			continue
		}
		g := datasets.OutcomeGroupOf(c.Outcome)
		if own && g == datasets.OutcomeOther {
			otherTypes[c.Outcome] += c.Count
		}
		if own {
			byGroup[g] += c.Count
			res.Total += c.Count
		} else {
			nationalByGroup[g] += c.Count
			res.NationalTotal += c.Count
		}
	}
	res.HasNational = len(res.NationalForces) > 0
	if res.HasNational {
		res.NationalLabel = "England and Wales excluding " + joinAnd(append([]string{force.Name}, res.NationalLeftOut...))
	}
	for _, g := range datasets.OutcomeGroups() {
		if g.ID == datasets.OutcomeOther && byGroup[g.ID] == 0 && nationalByGroup[g.ID] == 0 {
			continue // no outcome of a type crimetrends does not know: no row
		}
		s := datasets.OutcomeShare{Group: g.ID, Label: g.Label, Count: byGroup[g.ID]}
		if lo, hi, ok := stats.ClopperPearson(s.Count, res.Total, stats.Level95); ok {
			s.HasShare, s.Share, s.Lo, s.Hi = true, float64(s.Count)/float64(res.Total), lo, hi
		}
		if res.HasNational {
			s.NationalCount = nationalByGroup[g.ID]
			if lo, hi, ok := stats.ClopperPearson(s.NationalCount, res.NationalTotal, stats.Level95); ok {
				s.HasNationalShare, s.NationalShare, s.NationalLo, s.NationalHi = true, float64(s.NationalCount)/float64(res.NationalTotal), lo, hi
			}
		}
		res.Groups = append(res.Groups, s)
	}

	window := fmt.Sprintf("%s to %s", start.Label(), end.Label())
	if start == end {
		window = start.Label()
	}
	if res.Total == 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%s recorded no outcomes of %s in %s: no shares.", force.Name, strings.ToLower(label), window))
	}
	if res.Untyped > 0 {
		if crimeType == "" {
			res.Notes = append(res.Notes, fmt.Sprintf("%d of %s's %d outcomes in %s are of crimes not in the street files the dataset holds (type unknown); "+
				"they count in all crime only.", res.Untyped, force.Name, res.Total, window))
		} else {
			res.Notes = append(res.Notes, fmt.Sprintf("%d of %s's outcomes in %s are of crimes not in the street files the dataset holds (type unknown) "+
				"and are not counted here.", res.Untyped, force.Name, window))
		}
	}
	if len(otherTypes) > 0 {
		var types []string
		for _, t := range sortTypeCounts(otherTypes) {
			types = append(types, fmt.Sprintf("%q (%d)", t.Type, t.Outcomes))
		}
		res.Notes = append(res.Notes, fmt.Sprintf("Other outcome counts %s's outcomes of a type crimetrends does not list (data.police.uk adds types now and then): %s.",
			force.Name, strings.Join(types, ", ")))
	}
	switch {
	case !res.HasNational && members == len(res.NationalLeftOut):
		res.Notes = append(res.Notes, fmt.Sprintf("The dataset has no other force's outcomes for every month of %s: no England and Wales figure.", window))
	case !res.HasNational:
		res.Notes = append(res.Notes, fmt.Sprintf("The dataset has outcomes for every month of %s from %d of the other %d forces: too few for an England and Wales figure (a total may leave out at most %d).",
			window, members-len(res.NationalLeftOut), members, MaxLeftOut))
	case len(res.NationalLeftOut) > 0:
		res.Notes = append(res.Notes, fmt.Sprintf("%s leaves out %s, without outcomes for every month of %s.",
			res.NationalLabel, joinAnd(res.NationalLeftOut), window))
	}
	return res, nil
}

// outcomeCrimeType resolves OutcomesOptions.CrimeType: the category's name
// ("" for all crime) and its label.
func outcomeCrimeType(s string) (name, label string, err error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "all", "all crime", "total":
		return "", "All crime", nil
	}
	c, ok := datasets.CategoryByName(strings.TrimSpace(s))
	if !ok {
		var names []string
		for _, c := range datasets.Categories() {
			if c.IsCrime {
				names = append(names, c.Name)
			}
		}
		return "", "", fmt.Errorf("crime type %q: want a police.uk crime type (%s) or all crime", s, strings.Join(names, ", "))
	}
	if !c.IsCrime {
		return "", "", fmt.Errorf("crime type %q: anti-social behaviour is not crime and has no outcomes", s)
	}
	return c.Name, c.Name, nil
}

// missingMonths lists the months of start..end not in covered.
func missingMonths(covered map[datasets.Month]bool, start, end datasets.Month) []string {
	var out []string
	for m := start; m <= end; m++ {
		if !covered[m] {
			out = append(out, m.String())
		}
	}
	return out
}

// outcomes are a chosen force's police.uk outcomes for a data.police.uk
// topic over the report's window or, when the dataset's outcomes of the
// force cover only its latest months (a few months of archives), over
// those; note says why there are none.
func (b *builder) outcomes(d topicDef, force Force) (*OutcomeShares, string) {
	rep := b.rep
	covered := map[datasets.Month]bool{}
	for _, c := range b.data.OutcomeCoverage {
		if c.Source == datasets.SourcePoliceUKOutcomes && c.AreaCode == force.Code {
			for m := c.Start; m <= c.End; m++ {
				covered[m] = true
			}
		}
	}
	end := rep.PeriodEnd
	for end >= rep.Start && !covered[end] {
		end--
	}
	if end < rep.Start {
		return nil, fmt.Sprintf("The dataset has no data.police.uk outcomes of %s for %s.", force.Name, rep.Window.Describe(rep.PeriodEnd))
	}
	start := end
	for start > rep.Start && covered[start-1] {
		start--
	}
	crimeType := ""
	if d.sel.Kind == datasets.SelectCategory {
		crimeType = d.sel.Key
	}
	if strings.EqualFold(crimeType, "Anti-social behaviour") {
		return nil, ""
	}
	sh, err := Outcomes(b.data.Outcomes, b.data.OutcomeCoverage, OutcomesOptions{Force: force.Code, CrimeType: crimeType, Start: start, End: end})
	if err != nil {
		return nil, "No outcomes: " + strings.TrimPrefix(err.Error(), "outcomes: ") + "."
	}
	return &sh, ""
}
