package cli

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// reportInputs reads the populations (the built-in ones, with the user's
// file merged over them) and the boundary file a report uses.
func (e *env) reportInputs(p reportParams) (*datasets.Populations, []byte, error) {
	pops := datasets.BuiltinPopulations()
	if p.populations != "" {
		f, err := os.Open(p.populations)
		if err != nil {
			return nil, nil, fmt.Errorf("report: populations: %w", err)
		}
		user, err := datasets.ReadPopulations(p.populations, f)
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("report: populations: %w", err)
		}
		pops = pops.Merge(user)
	}
	var boundaries []byte
	if p.boundaries != "" {
		b, err := os.ReadFile(p.boundaries)
		if err != nil {
			return nil, nil, fmt.Errorf("report: boundaries: %w", err)
		}
		boundaries = b
	}
	return pops, boundaries, nil
}

// populationsUsed lists the population vintages the report's rates use,
// with where each came from.
func populationsUsed(rep *pipeline.Report, pops *datasets.Populations) []string {
	seen := map[string]bool{}
	var out []string
	note := func(v string) {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, populationSource(pops, v))
		}
	}
	for _, t := range rep.Topics {
		for _, f := range t.Areas {
			note(f.PopulationVintage)
		}
		for _, a := range t.Answers {
			for _, c := range a.Comparators {
				note(c.PopulationVintage)
			}
		}
	}
	sort.Strings(out)
	return out
}

// manifestSources is the manifest's account of the sources and the order
// in which they are quoted.
func manifestSources(rep *pipeline.Report) []manifestSource {
	var out []manifestSource
	for _, s := range rep.Sources {
		ms := manifestSource{Source: s.Source, Name: s.Name, Status: s.Status, Rank: s.Rank, Why: s.Why,
			First: s.First.String(), Last: s.Last.String(), AtPeriod: s.AtPeriod}
		for _, r := range s.Releases {
			ms.Releases = append(ms.Releases, r.ID)
		}
		out = append(out, ms)
	}
	return out
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

// generatedAt is the footer's generation time when neither the config nor
// --generated-at gives one: the run's clock (SOURCE_DATE_EPOCH fixes it).
func (e *env) generatedAt() time.Time { return e.now().UTC().Truncate(time.Second) }
