package pipeline

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// figKey identifies one question: an area's figure for a topic over the
// window ending at a month.
type figKey struct {
	topic string
	area  string
	end   datasets.Month
}

// figureSet holds every source's figures for every question, and the
// later releases' revisions of published figures. Figures are added to
// all, then put in report order once (freeze): by holds each question's
// run of all, so that the figures are held once and are, as they stand,
// the report's Figures.
type figureSet struct {
	all       []Figure            // every figure; after freeze, in report order
	by        map[figKey][]Figure // after freeze, each question's figures in quote order (a run of all); before, the questions seen
	revisions map[figKey][]Figure // previous-year figures implied by later releases
	// keys indexes by: a topic's keys by window end, in the order first
	// seen.
	keys map[string]map[datasets.Month][]figKey
	// order is every question in report order (after freeze).
	order []figKey
}

func newFigureSet() *figureSet {
	return &figureSet{by: map[figKey][]Figure{}, revisions: map[figKey][]Figure{}, keys: map[string]map[datasets.Month][]figKey{}}
}

// grow makes room for n more figures.
func (fs *figureSet) grow(n int) { fs.all = slices.Grow(fs.all, n) }

func (fs *figureSet) add(f Figure) {
	k := figKey{f.Topic, f.AreaCode, f.PeriodEnd}
	if _, ok := fs.by[k]; !ok {
		fs.by[k] = nil
		ends := fs.keys[k.topic]
		if ends == nil {
			ends = map[datasets.Month][]figKey{}
			fs.keys[k.topic] = ends
		}
		ends[k.end] = append(ends[k.end], k)
	}
	fs.all = append(fs.all, f)
}

// freeze puts every figure in report order: by topic (in the order of
// topics, an unknown one first), area code and window end, and each
// question's figures in quote order: by the position of their source in
// order, then, within ONS, the release for the window's own year, later
// revisions (a "-corrected" or "-v2" file) first, then as added. by then
// holds each question's run of all.
func (fs *figureSet) freeze(topics []topicDef, order []string) {
	topicPos := map[string]int{}
	for i, d := range topics {
		topicPos[d.id] = i
	}
	srcPos := map[string]int{}
	for i, s := range order {
		srcPos[s] = i
	}
	type sortKey struct {
		topic, src int
		id, area   string
		end        datasets.Month
		release    string
		at         int // position in all as added
	}
	sks := make([]sortKey, len(fs.all))
	for i := range fs.all {
		f := &fs.all[i]
		sks[i] = sortKey{topicPos[f.Topic], srcPos[f.Source], f.Topic, f.AreaCode, f.PeriodEnd, f.Release, i}
	}
	sort.Slice(sks, func(i, j int) bool {
		a, b := &sks[i], &sks[j]
		switch {
		case a.topic != b.topic:
			return a.topic < b.topic
		case a.id != b.id: // an unknown topic's figures stay together
			return a.id < b.id
		case a.area != b.area:
			return a.area < b.area
		case a.end != b.end:
			return a.end < b.end
		case a.src != b.src:
			return a.src < b.src
		case a.release != b.release:
			return a.release > b.release
		}
		return a.at < b.at
	})
	// Move every figure to its place, following each cycle of the
	// permutation: no second copy of the figures.
	from := make([]int32, len(sks))
	for i := range sks {
		from[i] = int32(sks[i].at)
	}
	sks = nil
	for i := range from {
		if from[i] < 0 || int(from[i]) == i {
			continue
		}
		tmp := fs.all[i]
		j := i
		for {
			k := int(from[j])
			from[j] = -1
			if k == i {
				fs.all[j] = tmp
				break
			}
			fs.all[j] = fs.all[k]
			j = k
		}
	}
	fs.runs()
}

// runs sets by and order from all, in report order: each question's
// figures are a run of all.
func (fs *figureSet) runs() {
	fs.order = fs.order[:0]
	for i := 0; i < len(fs.all); {
		f := &fs.all[i]
		k := figKey{f.Topic, f.AreaCode, f.PeriodEnd}
		j := i + 1
		for j < len(fs.all) && fs.all[j].Topic == k.topic && fs.all[j].AreaCode == k.area && fs.all[j].PeriodEnd == k.end {
			j++
		}
		fs.by[k] = fs.all[i:j:j]
		fs.order = append(fs.order, k)
		i = j
	}
}

// keepFrom drops, after freeze, every figure and revision of a window
// ending before start, keeping the report order; it says whether it
// dropped any.
func (fs *figureSet) keepFrom(start datasets.Month) bool {
	kept := fs.all[:0]
	for i := range fs.all {
		if fs.all[i].PeriodEnd >= start {
			kept = append(kept, fs.all[i])
		}
	}
	if len(kept) == len(fs.all) {
		return false
	}
	// A slice of the kept figures' size: the larger one goes.
	fs.all = slices.Clone(kept)
	for k := range fs.by {
		if k.end < start {
			delete(fs.by, k)
		}
	}
	for k := range fs.revisions {
		if k.end < start {
			delete(fs.revisions, k)
		}
	}
	for _, ends := range fs.keys {
		for end := range ends {
			if end < start {
				delete(ends, end)
			}
		}
	}
	fs.runs()
	return true
}

// first is the end of the earliest window of a figure.
func (fs *figureSet) first() datasets.Month {
	m := fs.all[0].PeriodEnd
	for i := range fs.all {
		m = min(m, fs.all[i].PeriodEnd)
	}
	return m
}

// at lists the keys of a topic at a window end.
func (fs *figureSet) at(topic string, end datasets.Month) []figKey { return fs.keys[topic][end] }

// computedFigures runs Trends for one computed source over the topics it
// can answer and turns its rows into figures.
func computedFigures(ctx context.Context, fs *figureSet, source string, counts []datasets.Count, coverage []datasets.Coverage, defs []topicDef, req Request) error {
	var sels []datasets.Selector
	byLabel := map[string]topicDef{}
	for _, d := range defs {
		if (source == datasets.SourcePoliceUK) != (d.taxonomy == TaxonomyPoliceUK) {
			continue
		}
		if !d.sel.AppliesTo(source) {
			continue
		}
		l := d.sel.LabelFor(source)
		if _, dup := byLabel[l]; dup {
			continue
		}
		byLabel[l] = d
		sels = append(sels, d.sel)
	}
	if len(sels) == 0 {
		return nil
	}
	// Each row becomes a figure as Trends makes it: the rows are never
	// held beside the figures.
	return eachTrend(ctx, counts, coverage, TrendsOptions{Selectors: sels, Kind: req.Window, Window: 12, MinBase: req.MinBase}, fs.grow, func(t *datasets.Trend) {
		d := byLabel[t.Offence]
		f := Figure{
			Present: true, AreaCode: t.AreaCode, AreaName: t.AreaName, Topic: d.id, Offence: t.Offence,
			Source: source, PeriodEnd: t.PeriodEnd, Months: t.Months,
			HasCount: true, Count: t.Count,
			HasPrevious: t.HasPrevious, Previous: t.Previous, Change: t.Change,
			HasPct: t.HasPct, PctChange: t.PctChange,
			LeftOut: t.LeftOut, Note: t.Note,
		}
		if a, ok := datasets.AreaByCode(t.AreaCode); ok {
			f.AreaKind = a.Kind
		}
		if t.HasPrevious && !t.HasPct {
			f.PctNote = fmt.Sprintf("base under %d", req.MinBase)
		}
		fs.add(f)
	})
}

// publishedFigures turns the rows of ONS releases into figures for the
// windows of the report's kind they answer: a release's 12 months ending E
// is the rolling 12 months to E, and the financial year (E in March) or
// calendar year (E in December). Each release also revises the year before
// its own: the count implied by its percentage change is kept as a
// revision of the earlier year's figure, for reconciliation.
func publishedFigures(fs *figureSet, rows []datasets.Published, defs []topicDef, req Request) {
	byLabel := map[string]topicDef{}
	for _, d := range defs {
		if d.taxonomy == TaxonomyOfficial {
			byLabel[d.sel.LabelFor(datasets.SourceHomeOffice)] = d
		}
	}
	// ONS prints ".." for a force whose figures it does not have and
	// publishes totals without it ("England and Wales excluding Greater
	// Manchester", in its footnotes): those totals say so. A cell left
	// empty is a missing figure, not an exclusion.
	absent := map[string][]datasets.Area{}
	for _, p := range rows {
		if a, ok := datasets.AreaByCode(p.AreaCode); ok && !p.HasCount && p.CountMarker == ".." && (a.Kind == datasets.KindForce || a.Kind == datasets.KindBTP) {
			absent[p.Release+"|"+p.Offence] = append(absent[p.Release+"|"+p.Offence], a)
		}
	}
	n := 0
	for _, p := range rows {
		if _, ok := byLabel[p.Offence]; ok && p.Months == 12 && req.Window.Months(p.PeriodEnd) == 12 {
			n++
		}
	}
	fs.grow(n)
	for _, p := range rows {
		d, ok := byLabel[p.Offence]
		if !ok || p.Months != 12 {
			continue
		}
		f := Figure{
			Present: true, AreaCode: p.AreaCode, AreaName: p.AreaName, Topic: d.id, Offence: datasets.ONSName(p.Offence),
			Source: datasets.SourceONSPFA, Release: p.Release, Published: true,
			PeriodEnd: p.PeriodEnd, Months: p.Months,
			HasCount: p.HasCount, Count: p.Count, CountMarker: p.CountMarker,
			HasPct: p.HasPct, PctChange: p.PctChange, PctMarker: p.PctMarker,
			HasRate: p.HasRate, Rate: p.Rate, RatePublished: p.HasRate, RateMarker: p.RateMarker, Population: p.Population,
			Footnotes: p.Footnotes,
		}
		if a, ok := datasets.AreaByCode(p.AreaCode); ok {
			f.AreaKind = a.Kind
			if a.Kind != datasets.KindBTP {
				f.AreaName = a.Name
			}
		}
		if ex := excludedNames(p.AreaCode, absent[p.Release+"|"+p.Offence]); len(ex) > 0 && p.HasCount {
			f.LeftOut = ex
			f.AreaName += " excluding " + joinAnd(ex)
			f.Note = "ONS's total leaves out " + joinAnd(ex) + ", whose figures it does not have"
		}
		if ref, _, ok := datasets.ParseNoValue(p.CountMarker); ok {
			f.CountMarker = ""
			f.Note = fmt.Sprintf("missing (not zero): no value in the workbook's cell %s", ref)
		}
		if !p.HasPct {
			f.PctNote = pctMarkerMeaning(p.PctMarker)
			if ref, _, ok := datasets.ParseNoValue(p.PctMarker); ok {
				f.PctMarker, f.PctNote = "", fmt.Sprintf("missing: no value in the workbook's cell %s", ref)
			}
		}
		if ref, _, ok := datasets.ParseNoValue(p.RateMarker); ok {
			f.RateMarker = ""
			f.Note = strings.TrimPrefix(f.Note+"; rate missing: no value in the workbook's cell "+ref, "; ")
		}
		if p.HasCount && p.HasPct && p.PctChange > -100 {
			// ONS publishes the change, not the earlier count: the count
			// it was computed from is count / (1 + change/100), exact to
			// the unit since the change is published unrounded.
			prev := int64(math.Round(float64(p.Count) * 100 / (100 + p.PctChange)))
			f.HasPrevious, f.Previous, f.PreviousDerived, f.Change = true, prev, true, p.Count-prev
			if prev < int64(req.MinBase) {
				f.HasPct, f.PctNote = false, fmt.Sprintf("base under %d", req.MinBase)
			}
			// The earlier year as this release revised it.
			rev := Figure{
				Present: true, AreaCode: f.AreaCode, AreaName: f.AreaName, AreaKind: f.AreaKind, Topic: f.Topic, Offence: f.Offence,
				Source: datasets.SourceONSPFA, Release: p.Release, Published: true,
				PeriodEnd: p.PeriodEnd.Add(-12), Months: 12, HasCount: true, Count: prev, CountDerived: true,
				Note:      fmt.Sprintf("as revised in %s: derived from its published percentage change", releaseName(p.Release)),
				Footnotes: p.Footnotes,
			}
			if req.Window.Months(rev.PeriodEnd) == 12 {
				k := figKey{rev.Topic, rev.AreaCode, rev.PeriodEnd}
				fs.revisions[k] = append(fs.revisions[k], rev)
			}
		}
		if req.Window.Months(p.PeriodEnd) != 12 {
			continue
		}
		fs.add(f)
	}
}

// excludedNames names, sorted, the forces among absent that an area's
// total contains.
func excludedNames(areaCode string, absent []datasets.Area) []string {
	var names []string
	for _, f := range absent {
		if areaCode == datasets.CodeEnglandWales || f.Kind == datasets.KindForce && (areaCode == f.Country || areaCode == f.Region) {
			names = append(names, f.Name)
		}
	}
	sort.Strings(names)
	return names
}

// pctMarkerMeaning says in words what an ONS table prints in place of a
// percentage change.
func pctMarkerMeaning(m string) string {
	switch m {
	case "-":
		return "ONS printed \"-\": the base is under 50 or there is no comparable earlier figure"
	case "..":
		return "ONS printed \"..\": not available"
	case "+":
		return "ONS printed \"+\": not meaningful"
	case "":
		return "not published"
	}
	return "ONS printed " + fmt.Sprintf("%q", m)
}

// releaseName names an ONS release for people: "the ONS PFA tables for the
// year ending September 2018 (corrected)".
func releaseName(id string) string {
	rest, ok := strings.CutPrefix(id, datasets.SourceONSPFA+"-")
	if !ok || len(rest) < 7 {
		return id
	}
	m, err := datasets.ParseMonth(rest[:7])
	if err != nil {
		return id
	}
	s := "the ONS PFA tables for the year ending " + m.Label()
	switch suffix := strings.TrimPrefix(rest[7:], "-"); suffix {
	case "":
	case "v2":
		s += " (second version)"
	default:
		s += " (" + suffix + ")"
	}
	return s
}

// quoted returns the quoted figure of a question: the first in quote order
// with a count. ok is false when no source has a count.
func (fs *figureSet) quoted(k figKey) (Figure, bool) {
	for _, f := range fs.by[k] {
		if f.HasCount {
			return f, true
		}
	}
	return Figure{}, false
}

// others returns the figures of a question other than the quoted one, in
// quote order, and the later releases' revisions of it.
func (fs *figureSet) others(k figKey, q Figure) []Figure {
	var out []Figure
	for _, f := range fs.by[k] {
		if f.HasCount && !(f.Source == q.Source && f.Release == q.Release) {
			out = append(out, f)
		}
	}
	revs := append([]Figure(nil), fs.revisions[k]...)
	sort.Slice(revs, func(i, j int) bool { return revs[i].Release < revs[j].Release })
	return append(out, revs...)
}
