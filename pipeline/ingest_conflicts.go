package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/policeuk"
)

// ErrConflict is wrapped by the error of an ingest holding two inputs that
// give different figures for the same force and period (or the same
// published release) when neither is dated newer. Match it with errors.Is.
var ErrConflict = errors.New("two inputs give different figures for the same force and period")

// ingestItem is one input of an ingest on its way to the store.
type ingestItem struct {
	name     string
	ext      *datasets.Extract
	format   string
	dating   dating
	outcomes *policeuk.Outcomes
	untyped  int64
	skip     string // not ingested (stop and search, Northern Ireland): why
	// dropped: the same bytes as the input sameAs; not given to the store.
	dropped bool
	sameAs  string // every figure repeats this input's
	// supersededBy names the input(s) whose newer figures replace all of
	// this one's; why says how they are newer.
	supersededBy string
	why          string
}

// conflictKey is what two inputs can both give figures for: a coverage key
// (source, area, period) or a published release.
type conflictKey struct {
	cov     datasets.Coverage
	release string
}

func (k conflictKey) String() string {
	if k.release != "" {
		return "the release " + k.release
	}
	name := k.cov.AreaCode
	if a, ok := datasets.AreaByCode(k.cov.AreaCode); ok {
		name = a.Name
	}
	period := k.cov.Start.String()
	if k.cov.End != k.cov.Start {
		period += ".." + k.cov.End.String()
	}
	return fmt.Sprintf("%s %s (%s)", name, period, k.cov.Source)
}

// keysOf lists the conflict keys of an extract: its coverage and its
// published releases.
func keysOf(e *datasets.Extract) []conflictKey {
	keys := make([]conflictKey, 0, len(e.Coverage))
	for _, c := range e.Coverage {
		keys = append(keys, conflictKey{cov: c})
	}
	var last string
	for _, p := range e.Published {
		if p.Release != last && !slices.Contains(keys, conflictKey{release: p.Release}) {
			keys = append(keys, conflictKey{release: p.Release})
		}
		last = p.Release
	}
	return keys
}

// inKey says whether a count or outcome of area over start..end lies in the
// coverage key k.
func inKey(k datasets.Coverage, area string, start, end datasets.Month) bool {
	return area == k.AreaCode && k.Start <= start && end <= k.End
}

// figures is an extract's figures for one key, as comparable text, and the
// rows behind them.
type figures struct {
	lines []string
	units int64 // sum of the counts (police.uk rows, outcome rows)
}

// areaIndex lists, by area code, the indexes of an extract's counts and
// outcome counts, so that figuresOf does not scan a national table once
// per key.
type areaIndex struct {
	counts, outcomes map[string][]int
}

func indexByArea(e *datasets.Extract) *areaIndex {
	ix := &areaIndex{counts: map[string][]int{}, outcomes: map[string][]int{}}
	for i, c := range e.Counts {
		ix.counts[c.AreaCode] = append(ix.counts[c.AreaCode], i)
	}
	for i, o := range e.Outcomes {
		ix.outcomes[o.AreaCode] = append(ix.outcomes[o.AreaCode], i)
	}
	return ix
}

// figuresOf gives e's figures for k; ix, when not nil, is indexByArea(e).
func figuresOf(e *datasets.Extract, k conflictKey, ix *areaIndex) figures {
	if ix == nil && k.release == "" {
		ix = indexByArea(e)
	}
	var f figures
	switch {
	case k.release != "":
		for _, p := range e.Published {
			if p.Release == k.release {
				f.lines = append(f.lines, fmt.Sprintf("%s %s %s %d: count %v %d %q, change %v %v %q, rate %v %v %q, population %d",
					p.AreaCode, p.Offence, p.PeriodEnd, p.Months, p.HasCount, p.Count, p.CountMarker,
					p.HasPct, p.PctChange, p.PctMarker, p.HasRate, p.Rate, p.RateMarker, p.Population))
			}
		}
	default:
		for _, i := range ix.counts[k.cov.AreaCode] {
			if c := e.Counts[i]; c.Source == k.cov.Source && inKey(k.cov, c.AreaCode, c.Start, c.End) {
				f.lines = append(f.lines, fmt.Sprintf("%s %s..%s: %d", c.Offence, c.Start, c.End, c.Count))
				f.units += c.Count
			}
		}
		for _, i := range ix.outcomes[k.cov.AreaCode] {
			if o := e.Outcomes[i]; inKey(k.cov, o.AreaCode, o.Month, o.Month) {
				t := o.CrimeType
				if t == datasets.CrimeTypeUnknown {
					t = "type unknown"
				}
				f.lines = append(f.lines, fmt.Sprintf("%s, %s %s: %d", t, o.Outcome, o.Month, o.Count))
				f.units += o.Count
			}
		}
	}
	sort.Strings(f.lines)
	return f
}

func (f figures) same(o figures) bool { return slices.Equal(f.lines, o.lines) }

// firstDifference describes the first figure two sets disagree on.
func firstDifference(a, b figures) string {
	for i := 0; i < len(a.lines) || i < len(b.lines); i++ {
		switch {
		case i >= len(a.lines):
			return fmt.Sprintf("only the second has %q", b.lines[i])
		case i >= len(b.lines):
			return fmt.Sprintf("only the first has %q", a.lines[i])
		case a.lines[i] != b.lines[i]:
			return fmt.Sprintf("%q against %q", a.lines[i], b.lines[i])
		}
	}
	return ""
}

// best picks, among items, the one dated newest (a dating only beats one
// of its kind; a dated input beats an undated one), then the first by name.
func best(items []*ingestItem) *ingestItem {
	sorted := sortedByName(items)
	top := sorted[0]
	for _, it := range sorted[1:] {
		if it.dating.newer(top.dating) || top.dating.kind == "" && it.dating.kind != "" {
			top = it
		}
	}
	return top
}

// resolveConflicts decides, for every force and period (or release) that
// two or more inputs of one ingest cover, whose figures go to the dataset,
// never by the order of the paths:
//
//   - inputs of the same bytes are one input: the newest dated (then the
//     first by name) is kept and the others are dropped, their rows
//     "skipped: same as <kept>";
//   - inputs with the same figures for a key: the newest dated (then the
//     first by name) keeps the key, the others' rows for it are skipped as
//     "same as <it>";
//   - inputs with different figures: the newest by its own dating (a
//     data.police.uk archive's month, a force extract's date) keeps the key
//     if it is strictly newer than every input that differs; the others'
//     rows for it are skipped as "superseded by <it> (<dating>, newer than
//     <their dating>)". Otherwise the ingest stops with an error wrapping
//     ErrConflict that names both files.
//
// A key decided against an input leaves that input (its counts, outcomes,
// Crime IDs, published rows and coverage for the key go), and its used rows
// for the key move to the skipped reason, so read = used + skipped +
// rejected still holds. An input all of whose keys went says so in
// Extract.SameAs or Extract.SupersededBy.
func resolveConflicts(items []*ingestItem) error {
	// The same bytes twice.
	bySHA := map[string][]*ingestItem{}
	var shas []string
	for _, it := range items {
		if it.ext == nil {
			continue
		}
		if _, ok := bySHA[it.ext.SHA256]; !ok {
			shas = append(shas, it.ext.SHA256)
		}
		bySHA[it.ext.SHA256] = append(bySHA[it.ext.SHA256], it)
	}
	for _, sha := range shas {
		group := bySHA[sha]
		if len(group) < 2 {
			continue
		}
		keep := best(group)
		for _, it := range group {
			if it != keep {
				it.dropped, it.sameAs = true, keep.name
				moveAll(it.ext, "same as "+keep.name)
			}
		}
	}

	// Keys covered twice.
	byKey := map[conflictKey][]*ingestItem{}
	var keys []conflictKey
	for _, it := range items {
		if it.ext == nil || it.dropped {
			continue
		}
		for _, k := range keysOf(it.ext) {
			if _, ok := byKey[k]; !ok {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], it)
		}
	}
	type verdict struct {
		reason     string
		winner     *ingestItem
		superseded bool
	}
	decided := map[*ingestItem]map[conflictKey]verdict{}
	index := map[*ingestItem]*areaIndex{}
	for _, k := range keys {
		group := byKey[k]
		if len(group) < 2 {
			continue
		}
		figs := make(map[*ingestItem]figures, len(group))
		for _, it := range group {
			if index[it] == nil {
				index[it] = indexByArea(it.ext)
			}
			figs[it] = figuresOf(it.ext, k, index[it])
		}
		// The newest dated among those with the winner's figures wins;
		// first find the newest of all.
		top := best(group)
		var same []*ingestItem
		for _, it := range group {
			if figs[it].same(figs[top]) {
				same = append(same, it)
			}
		}
		top = best(same)
		for _, it := range sortedByName(group) {
			if it == top {
				continue
			}
			if decided[it] == nil {
				decided[it] = map[conflictKey]verdict{}
			}
			if figs[it].same(figs[top]) {
				decided[it][k] = verdict{reason: "same as " + top.name, winner: top}
				continue
			}
			if !top.dating.newer(it.dating) {
				return conflictError(k, top, it, figs[top], figs[it])
			}
			decided[it][k] = verdict{winner: top, superseded: true,
				reason: fmt.Sprintf("superseded by %s (%s, newer than %s)", top.name, top.dating, it.dating)}
		}
	}

	for _, it := range items {
		d := decided[it]
		if len(d) == 0 {
			continue
		}
		itKeys := keysOf(it.ext)
		all := len(d) == len(itKeys)
		rows := map[conflictKey]int64{}
		var total int64
		for _, k := range itKeys {
			if index[it] == nil {
				index[it] = indexByArea(it.ext)
			}
			rows[k] = usedRows(it.ext, k, index[it])
			total += rows[k]
		}
		if total != it.ext.Stats.Used && !all {
			return fmt.Errorf("%s: its %d used rows cannot be told apart by force and period (%d found), so its figures for %d of them cannot be left out: ingest it in a run of its own",
				it.name, it.ext.Stats.Used, total, len(d))
		}
		var winners, sameAs []string
		if all && total != it.ext.Stats.Used {
			// Every key goes: all the rows go, under the first reason.
			first := d[itKeys[0]]
			moveAll(it.ext, first.reason)
			for _, k := range itKeys {
				d[k] = verdict{reason: first.reason, winner: d[k].winner, superseded: d[k].superseded}
			}
		} else {
			for _, k := range itKeys {
				if v, ok := d[k]; ok {
					move(it.ext, v.reason, rows[k])
				}
			}
		}
		for _, k := range itKeys {
			v, ok := d[k]
			if !ok {
				continue
			}
			if v.superseded {
				winners = appendOnce(winners, v.winner.name)
				if it.why == "" {
					it.why = fmt.Sprintf("%s, newer than %s", v.winner.dating, it.dating)
				}
			} else {
				sameAs = appendOnce(sameAs, v.winner.name)
			}
		}
		drop(it.ext, d)
		if all {
			if len(winners) > 0 {
				it.supersededBy = strings.Join(winners, ", ")
			} else {
				it.sameAs = strings.Join(sameAs, ", ")
			}
			it.ext.SupersededBy, it.ext.SameAs = it.supersededBy, it.sameAs
		}
	}
	return nil
}

func sortedByName(items []*ingestItem) []*ingestItem {
	out := slices.Clone(items)
	slices.SortFunc(out, func(a, b *ingestItem) int { return strings.Compare(a.name, b.name) })
	return out
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func conflictError(k conflictKey, a, b *ingestItem, fa, fb figures) error {
	datings := ""
	if a.dating.kind != "" || b.dating.kind != "" {
		datings = fmt.Sprintf(" (%s; %s)", orUndated(a.dating), orUndated(b.dating))
	}
	return fmt.Errorf("%w: %s and %s give different figures for %s (%s), and neither is dated newer%s by its own dating "+
		"(a data.police.uk archive's month, a force extract's date): keep one of the two, or ingest each in a run of its own, "+
		"the one whose figures should stand last",
		ErrConflict, conflictName(a.name), conflictName(b.name), k, firstDifference(fa, fb), datings)
}

func orUndated(d dating) string {
	if d.kind == "" {
		return "undated"
	}
	return d.String()
}

// conflictName quotes a file name when it holds spaces or other characters
// that would make a sentence ambiguous.
func conflictName(name string) string {
	if strings.ContainsAny(name, " \t\n\r\"'") {
		return fmt.Sprintf("%q", name)
	}
	return name
}

// usedRows is the number of an extract's used rows behind key k (ix is
// indexByArea(e)).
func usedRows(e *datasets.Extract, k conflictKey, ix *areaIndex) int64 {
	if k.release != "" {
		return 0 // a release's rows are not told apart: see resolveConflicts
	}
	if e.KeyRows != nil {
		return e.KeyRows[k.cov]
	}
	return figuresOf(e, k, ix).units
}

// move moves n used rows of e to the skipped reason.
func move(e *datasets.Extract, reason string, n int64) {
	if n == 0 {
		return
	}
	e.Stats.Used -= n
	e.Stats.Skip(reason, n)
}

// moveAll moves every used row of e to the skipped reason.
func moveAll(e *datasets.Extract, reason string) { move(e, reason, e.Stats.Used) }

// drop removes from e its figures for the keys decided against it.
func drop[V any](e *datasets.Extract, decided map[conflictKey]V) {
	gone := func(k conflictKey) bool { _, ok := decided[k]; return ok }
	covGone := func(source, area string, start, end datasets.Month) bool {
		for k := range decided {
			if k.release == "" && k.cov.Source == source && inKey(k.cov, area, start, end) {
				return true
			}
		}
		return false
	}
	e.Coverage = slices.DeleteFunc(slices.Clone(e.Coverage), func(c datasets.Coverage) bool { return gone(conflictKey{cov: c}) })
	e.Counts = slices.DeleteFunc(slices.Clone(e.Counts), func(c datasets.Count) bool { return covGone(c.Source, c.AreaCode, c.Start, c.End) })
	e.Outcomes = slices.DeleteFunc(slices.Clone(e.Outcomes), func(o datasets.OutcomeCount) bool {
		return covGone(e.Source, o.AreaCode, o.Month, o.Month)
	})
	e.CrimeIDs = slices.DeleteFunc(slices.Clone(e.CrimeIDs), func(g datasets.CrimeIDs) bool {
		return covGone(e.Source, g.AreaCode, g.Month, g.Month)
	})
	e.Published = slices.DeleteFunc(slices.Clone(e.Published), func(p datasets.Published) bool { return gone(conflictKey{release: p.Release}) })
	for k := range decided {
		delete(e.KeyRows, k.cov)
	}
}
