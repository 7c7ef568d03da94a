package pipeline

import (
	"fmt"
	"sort"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// PublishedTrends turns figures as a release published them into trend
// rows whose source is the release: the count and the percentage change
// kept as published (not recomputed), with what the release printed in
// place of a missing percentage in the note. A figure with no published
// count is not a row; notes list those, one per release and area.
func PublishedTrends(rows []datasets.Published) (trends []datasets.Trend, notes []string) {
	missing := map[string][]string{} // release|area name|meaning -> offences
	// A force with no published count is left out of that release's totals
	// above it, which ONS labels "England and Wales excluding ...".
	absent := map[string][]datasets.Area{} // release|offence -> forces
	for _, p := range rows {
		if a, ok := datasets.AreaByCode(p.AreaCode); ok && !p.HasCount && (a.Kind == datasets.KindForce || a.Kind == datasets.KindBTP) {
			absent[p.Release+"|"+p.Offence] = append(absent[p.Release+"|"+p.Offence], a)
		}
	}
	for _, p := range rows {
		if !p.HasCount {
			k := p.Release + "|" + p.AreaName + "|" + markerMeaning(p.CountMarker)
			missing[k] = append(missing[k], p.Offence)
			continue
		}
		t := datasets.Trend{
			AreaCode: p.AreaCode, AreaName: p.AreaName, Offence: p.Offence,
			PeriodEnd: p.PeriodEnd, Months: p.Months, Count: p.Count,
			HasPct: p.HasPct, PctChange: p.PctChange, Source: p.Release,
		}
		if a, ok := datasets.AreaByCode(p.AreaCode); ok {
			t.AreaName = a.Name
		}
		switch {
		case p.HasPct:
			t.Note = "as published by ONS; previous-year figure not published"
		case p.PctMarker != "":
			t.Note = fmt.Sprintf("as published by ONS: percentage change %s (%q)", markerMeaning(p.PctMarker), p.PctMarker)
		default:
			t.Note = "as published by ONS: no percentage change published"
		}
		if ex := excluded(t.AreaCode, absent[p.Release+"|"+p.Offence]); ex != "" {
			t.AreaName += " excluding " + ex
			t.Note += "; the published total leaves out " + ex + ", whose figures the release does not have"
		}
		trends = append(trends, t)
	}
	sort.SliceStable(trends, func(i, j int) bool {
		a, b := trends[i], trends[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Offence != b.Offence {
			return a.Offence < b.Offence
		}
		if a.AreaCode != b.AreaCode {
			return a.AreaCode < b.AreaCode
		}
		return a.PeriodEnd < b.PeriodEnd
	})
	keys := make([]string, 0, len(missing))
	for k := range missing {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts := strings.SplitN(k, "|", 3)
		notes = append(notes, fmt.Sprintf("%s: %s: no count published (%s) for %d offence(s): %s",
			parts[0], parts[1], parts[2], len(missing[k]), strings.Join(missing[k], ", ")))
	}
	return trends, notes
}

// markerMeaning says in words what an ONS table prints in place of a figure.
func markerMeaning(m string) string {
	switch m {
	case "-":
		return "not shown: base under 50 or no comparable earlier figure"
	case "..":
		return "not available"
	case "+":
		return "not meaningful: see the release's footnote (City of London rates are folded into London)"
	case "":
		return "left blank"
	}
	return "marked " + m
}

// excluded names the forces among absent that an aggregate area contains.
func excluded(areaCode string, absent []datasets.Area) string {
	var names []string
	for _, f := range absent {
		in := areaCode == datasets.CodeEnglandWales ||
			(f.Kind == datasets.KindForce && (areaCode == f.Country || areaCode == f.Region))
		if in {
			names = append(names, f.Name)
		}
	}
	sort.Strings(names)
	if len(names) > 1 {
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return strings.Join(names, "")
}
