package store

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// Add's contract on the extracts it is given, checked before it writes
// anything, and the orders it sorts them in.

// prepared is a checked extract with its counts, coverage and published
// rows and outcome counts sorted, its releases and its release notes.
type prepared struct {
	e         *datasets.Extract
	counts    []datasets.Count
	coverage  []datasets.Coverage
	published []datasets.Published
	releases  []string
	outcomes  []datasets.OutcomeCount
	notes     []datasets.ReleaseNote
}

func prepare(extracts []*datasets.Extract) ([]prepared, error) {
	var out []prepared
	byName := map[string]string{} // name -> SHA-256
	for i, e := range extracts {
		if e == nil {
			return nil, fmt.Errorf("extract %d is nil", i)
		}
		if sha, ok := byName[e.Name]; ok {
			if sha == e.SHA256 {
				continue
			}
			return nil, fmt.Errorf("input %q: given twice with different SHA-256", e.Name)
		}
		byName[e.Name] = e.SHA256
		p, err := check(e)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", e.Name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

var (
	firstMonth = datasets.MonthOf(1900, 1)
	lastMonth  = datasets.MonthOf(2999, 12)
)

func validPeriod(start, end datasets.Month) bool {
	return firstMonth <= start && start <= end && end <= lastMonth
}

// check enforces Add's contract on one extract.
func check(e *datasets.Extract) (prepared, error) {
	if e.Name == "" {
		return prepared{}, errors.New("empty input name")
	}
	if !validSource(e.Source) {
		return prepared{}, fmt.Errorf("source %q: want lowercase letters, digits, '-' or '_'", e.Source)
	}
	if !validSHA256(e.SHA256) {
		return prepared{}, fmt.Errorf("SHA-256 %q: want 64 lowercase hex digits", e.SHA256)
	}
	cov := slices.Clone(e.Coverage)
	for _, k := range cov {
		if k.Source != e.Source || k.AreaCode == "" || !validPeriod(k.Start, k.End) {
			return prepared{}, fmt.Errorf("coverage %s %q %s..%s: want source %q, an area code and months 1900-01..2999-12 with start <= end",
				k.Source, k.AreaCode, k.Start, k.End, e.Source)
		}
	}
	sortCoverage(cov)
	keys := map[string][]datasets.Coverage{}
	for i, k := range cov {
		if i > 0 && cov[i-1].AreaCode == k.AreaCode && cov[i-1].End >= k.Start {
			p := cov[i-1]
			return prepared{}, fmt.Errorf("coverage %s %s..%s overlaps %s..%s", k.AreaCode, p.Start, p.End, k.Start, k.End)
		}
		keys[k.AreaCode] = append(keys[k.AreaCode], k)
	}
	counts := e.Counts
	if !slices.IsSortedFunc(counts, compareCounts) {
		counts = slices.Clone(counts)
		slices.SortFunc(counts, compareCounts)
	}
	for i, c := range counts {
		if c.Source != e.Source || c.AreaCode == "" || !validPeriod(c.Start, c.End) {
			return prepared{}, fmt.Errorf("count %s %q %q %s..%s: want source %q, an area code and months 1900-01..2999-12 with start <= end",
				c.Source, c.AreaCode, c.Offence, c.Start, c.End, e.Source)
		}
		if _, ok := ownerKey(keys[c.AreaCode], c); !ok {
			return prepared{}, fmt.Errorf("count %s %q %s..%s lies outside the extract's coverage", c.AreaCode, c.Offence, c.Start, c.End)
		}
		if i > 0 && compareCounts(counts[i-1], c) == 0 {
			return prepared{}, fmt.Errorf("count %s %q %s..%s given twice", c.AreaCode, c.Offence, c.Start, c.End)
		}
	}
	published, releases, err := checkPublished(e.Published)
	if err != nil {
		return prepared{}, err
	}
	outcomes, err := checkOutcomes(e, keys)
	if err != nil {
		return prepared{}, err
	}
	notes, err := checkReleaseNotes(e.ReleaseNotes, releases)
	if err != nil {
		return prepared{}, err
	}
	return prepared{e: e, counts: counts, coverage: cov, published: published, releases: releases, outcomes: outcomes, notes: notes}, nil
}

func validSource(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := range len(s) {
		if r := s[i]; !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if r := s[i]; !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// compareCounts orders counts as datasets.SortCounts does.
func compareCounts(a, b datasets.Count) int {
	if c := strings.Compare(a.Source, b.Source); c != 0 {
		return c
	}
	if c := strings.Compare(a.AreaCode, b.AreaCode); c != 0 {
		return c
	}
	if c := strings.Compare(a.Offence, b.Offence); c != 0 {
		return c
	}
	if a.Start != b.Start {
		return int(a.Start - b.Start)
	}
	return int(a.End - b.End)
}

func coverageLess(a, b datasets.Coverage) bool {
	if a.Source != b.Source {
		return a.Source < b.Source
	}
	if a.AreaCode != b.AreaCode {
		return a.AreaCode < b.AreaCode
	}
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	return a.End < b.End
}

func sortCoverage(cs []datasets.Coverage) {
	sort.Slice(cs, func(i, j int) bool { return coverageLess(cs[i], cs[j]) })
}
