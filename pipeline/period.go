package pipeline

import (
	"fmt"
	"sort"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// sourceSpans describes what each source family of the dataset covers.
func sourceSpans(data Data, order []string) []SourceInfo {
	type span struct{ first, last datasets.Month }
	spans := map[string]*span{}
	grow := func(src string, first, last datasets.Month) {
		s := spans[src]
		if s == nil {
			spans[src] = &span{first, last}
			return
		}
		s.first, s.last = min(s.first, first), max(s.last, last)
	}
	for _, c := range data.Coverage {
		switch c.Source {
		case datasets.SourceHomeOffice, datasets.SourceForce, datasets.SourcePoliceUK:
			grow(c.Source, c.Start, c.End)
		}
	}
	releases := map[string]Release{}
	for _, p := range data.Published {
		if p.Months <= 0 {
			continue
		}
		grow(datasets.SourceONSPFA, p.PeriodEnd.Add(1-p.Months), p.PeriodEnd)
		if _, ok := releases[p.Release]; !ok {
			releases[p.Release] = Release{ID: p.Release, Name: releaseTitle(p.Release), PeriodEnd: p.PeriodEnd, File: baseName(p.File)}
		}
	}
	for _, n := range data.ReleaseNotes {
		if r, ok := releases[n.Release]; ok {
			r.Notes = append(r.Notes, n.Text)
			releases[n.Release] = r
		}
	}
	var out []SourceInfo
	for i, src := range order {
		s := spans[src]
		if s == nil {
			continue
		}
		info := SourceInfo{Source: src, Name: SourceName(src), Status: SourceStatus(src), Rank: i + 1, Why: sourceWhy(src), First: s.first, Last: s.last, Grain: sourceGrain(src)}
		if src == datasets.SourceONSPFA {
			for _, r := range releases {
				info.Releases = append(info.Releases, r)
			}
			sort.Slice(info.Releases, func(a, b int) bool { return info.Releases[a].ID < info.Releases[b].ID })
		}
		out = append(out, info)
	}
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// SourceName names a source family for people.
func SourceName(src string) string {
	switch src {
	case datasets.SourceONSPFA:
		return "ONS Police Force Area data tables"
	case datasets.SourceHomeOffice:
		return "Home Office police recorded crime open data table"
	case datasets.SourceForce:
		return "the force's own crime records (extracts)"
	case datasets.SourcePoliceUK:
		return "data.police.uk street-level crime"
	}
	return src
}

// SourceStatus is the statistical status of a source family.
func SourceStatus(src string) string {
	switch src {
	case datasets.SourceONSPFA, datasets.SourceHomeOffice:
		return "Official statistics (not accredited)"
	case datasets.SourceForce:
		return "Management information (provisional: records are reclassified and cancelled after the fact)"
	case datasets.SourcePoliceUK:
		return "Management information (data.police.uk open data; not official statistics)"
	}
	return "Management information"
}

func sourceWhy(src string) string {
	switch src {
	case datasets.SourceONSPFA:
		return "the figures the quarterly Crime in England and Wales bulletin publishes for each force, as printed in the release for the year; later releases' revisions are shown beside them"
	case datasets.SourceHomeOffice:
		return "the same official statistics quarter by quarter, revised with each release: quoted for windows the ONS tables do not print"
	case datasets.SourceForce:
		return "provisional management information from the force's own records: quoted only for months no official figure covers yet"
	case datasets.SourcePoliceUK:
		return "open data in 14 broad categories of its own: quoted for those categories only, never in place of an official offence"
	}
	return ""
}

func sourceGrain(src string) string {
	switch src {
	case datasets.SourceONSPFA:
		return "12-month totals, one release a quarter"
	case datasets.SourceHomeOffice:
		return "financial quarters"
	}
	return "months"
}

// releaseTitle names a release in a heading: "ONS PFA tables, year ending
// September 2018 (corrected)".
func releaseTitle(id string) string {
	s := releaseName(id)
	if t, ok := strings.CutPrefix(s, "the ONS PFA tables for the "); ok {
		return "ONS PFA tables, " + t
	}
	return s
}

// baseName is the last element of a slash- or backslash-separated path.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// coverageSentence says what the dataset's sources cover, for errors.
func coverageSentence(sources []SourceInfo, w datasets.Window) string {
	var parts []string
	for _, s := range sources {
		switch s.Source {
		case datasets.SourceONSPFA:
			var ends []string
			for _, r := range s.Releases {
				ends = append(ends, r.PeriodEnd.Label())
			}
			ends = uniqueStrings(ends)
			if len(ends) > 2 {
				parts = append(parts, fmt.Sprintf("%s: 12 months ending %s to %s (%d releases)", s.Name, ends[0], ends[len(ends)-1], len(ends)))
			} else {
				parts = append(parts, fmt.Sprintf("%s: 12 months ending %s", s.Name, joinAnd(ends)))
			}
		default:
			parts = append(parts, fmt.Sprintf("%s: %s, %s to %s", s.Name, s.Grain, s.First.Label(), s.Last.Label()))
		}
	}
	if len(parts) == 0 {
		return "the dataset is empty"
	}
	return "the dataset covers " + strings.Join(parts, "; ")
}

func uniqueStrings(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// windowEndRule says in which months a window of kind w ends.
func windowEndRule(w datasets.Window) string {
	switch w {
	case datasets.WindowFinancialYear:
		return "a financial year ends in March"
	case datasets.WindowQuarter:
		return "a quarter ends in March, June, September or December"
	case datasets.WindowCalendarYear:
		return "a calendar year ends in December"
	}
	return ""
}

// resolvePeriod picks the report's period end. An asked period must be one
// in which a window of the kind ends and which some source covers: with a
// figure for the window, or, for a monthly source too short to give any
// window (a few months of data.police.uk files), with a count for the
// month. Without one it is the latest period end with a figure for England
// and Wales or a chosen force, failing that for any area, failing that the
// latest month of a monthly source too short for a window (short is true).
func resolvePeriod(fs *figureSet, data Data, req Request, sources []SourceInfo) (end datasets.Month, short bool, err error) {
	covers := coverageSentence(sources, req.Window)
	withWindow := map[string]bool{} // sources with any window figure
	var latestFocus, latestAny datasets.Month
	focus := map[string]bool{datasets.CodeEnglandWales: true}
	for _, f := range req.Forces {
		focus[f] = true
	}
	atEnd := map[datasets.Month]bool{}
	for k, fsl := range fs.by {
		for _, f := range fsl {
			if !f.HasCount {
				continue
			}
			withWindow[f.Source] = true
			atEnd[k.end] = true
			latestAny = max(latestAny, k.end)
			if focus[k.area] {
				latestFocus = max(latestFocus, k.end)
			}
		}
	}
	// Months of monthly sources that give no window at all.
	shortLast := datasets.Month(0)
	shortCovers := map[datasets.Month]bool{}
	for _, c := range data.Coverage {
		if (c.Source == datasets.SourcePoliceUK || c.Source == datasets.SourceForce) && !withWindow[c.Source] {
			for m := c.Start; m <= c.End; m++ {
				shortCovers[m] = true
			}
			shortLast = max(shortLast, c.End)
		}
	}
	if req.Period != 0 {
		if req.Window.Months(req.Period) == 0 {
			return 0, false, fmt.Errorf("%w: no %s ends in %s: %s (%s)", ErrNotCovered, windowNoun(req.Window), req.Period.Label(), windowEndRule(req.Window), covers)
		}
		switch {
		case atEnd[req.Period]:
			return req.Period, false, nil
		case shortCovers[req.Period]:
			return req.Period, true, nil
		}
		return 0, false, fmt.Errorf("%w: no source gives %s: %s", ErrNotCovered, req.Window.Describe(req.Period), covers)
	}
	switch {
	case latestFocus != 0:
		return latestFocus, false, nil
	case latestAny != 0:
		return latestAny, false, nil
	case shortLast != 0:
		return shortLast, true, nil
	}
	return 0, false, fmt.Errorf("%w: no %s is complete in the data: %s", ErrNotCovered, windowNoun(req.Window), covers)
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
