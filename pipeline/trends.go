package pipeline

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// TrendsOptions configures Trends.
type TrendsOptions struct {
	// Selectors are the offence selections to report. Each is applied to
	// every source it AppliesTo; a selector that applies to no source in
	// the input gives no rows.
	Selectors []datasets.Selector
	// Window is the number of months in a window: 12 for a rolling year.
	// Zero means 12. It is ignored when Kind is set.
	Window int
	// Kind is the kind of reporting window. Empty or
	// datasets.WindowRolling12 leaves the windows to Window; any other kind
	// overrides Window: for every month E in which Kind.Months(E) = L > 0
	// the window is the L months ending E, compared with the L months
	// ending E-12 (a financial year to date to September 2018 is compared
	// with April to September 2017).
	Kind datasets.Window
	// MinBase is the smallest previous-window count on which a percentage
	// change is shown. Zero means datasets.MinBase.
	MinBase int
}

// Trends computes, for every source, selection, area and window end month
// E for which the area's data are complete, the total of recorded offences
// over the window ending E and its change on the window of the same length
// a year earlier (ending E-12). The windows are the Window months ending
// each month or, when opts.Kind is set, the windows of that kind
// (Trend.Months is the window's length).
//
// Areas are the forces and BTP with data in the source, each from its own
// counts, and the geographies above them built from their forces: each
// English region, England, Wales and England and Wales (the 43 forces plus
// BTP when the source has any coverage of BTP at all).
//
// A window is complete for a force or BTP when its coverage covers every
// month of the window and no coverage or count span (a Home Office
// financial quarter, say) crosses either edge of the window: quarterly data
// therefore give windows only at quarter ends. A covered period with no
// matching count is a real zero, and a missing month is never read as
// zero. When the earlier window is not complete the row has HasPrevious
// false and a Note saying so; when its count is under MinBase the
// percentage change is left out and the Note says why.
//
// Aggregates are like for like. At a window end where every member is
// complete in both windows the row is the total of all members. Otherwise,
// when at least one member is complete in both windows and the members that
// are not number at most 3 and fewer than half of the members, the row is
// the total of the members complete in both windows, for Count and
// Previous alike; its AreaName says whom it leaves out the way ONS does
// ("England and Wales excluding Greater Manchester", several names sorted
// and joined "A, B and C"), its AreaCode is the aggregate's own, and its
// Note starts "like for like: Greater Manchester left out of both years
// (no complete data)", adding the total of all members ("all forces:
// 295,948") when every member is complete in the current window. Failing
// that, an aggregate every member of which is complete in the current
// window has a row without a previous window, and any other has no row.
//
// Rows are sorted by source, offence label (then the selector's position in
// opts.Selectors), area code and window end. Counts and coverage must be at
// the level of forces and BTP; any other area code is an error, as is a
// span that ends before it starts or an unknown opts.Kind. Negative counts
// are kept: the Home Office publishes adjustments ("-1") that its own
// totals include. Trends neither changes nor keeps its inputs. It checks
// ctx between (source, selector) pairs and returns ctx.Err() when it is
// cancelled.
func Trends(ctx context.Context, counts []datasets.Count, coverage []datasets.Coverage, opts TrendsOptions) ([]datasets.Trend, error) {
	var out []datasets.Trend
	err := eachTrend(ctx, counts, coverage, opts, func(n int) { out = slices.Grow(out, n) }, func(t *datasets.Trend) { out = append(out, *t) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// eachTrend gives the rows of Trends, in its order, to emit one at a time
// (t is reused: emit copies what it keeps), telling grow beforehand how
// many more rows are coming, so that a caller keeps them as it likes
// without holding them all twice.
func eachTrend(ctx context.Context, counts []datasets.Count, coverage []datasets.Coverage, opts TrendsOptions, grow func(n int), emit func(t *datasets.Trend)) error {
	window := opts.Window
	if window == 0 {
		window = 12
	}
	if window < 0 {
		return fmt.Errorf("trends: window of %d months: want a positive number", window)
	}
	spec := windowSpec{fixed: window}
	if opts.Kind != "" && opts.Kind != datasets.WindowRolling12 {
		if !knownWindow(opts.Kind) {
			return fmt.Errorf("trends: unknown window kind %q", string(opts.Kind))
		}
		spec.kind = opts.Kind
	}
	minBase := opts.MinBase
	if minBase == 0 {
		minBase = datasets.MinBase
	}
	if minBase < 0 {
		return fmt.Errorf("trends: minimum base %d: want zero (the default, %d) or more", minBase, datasets.MinBase)
	}
	indexes, err := buildTrendIndexes(counts, coverage, "")
	if err != nil {
		return fmt.Errorf("trends: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	for _, ix := range indexes {
		// Which rows each area has, and from which members, does not
		// depend on the selection: plan them once.
		// Forces and BTP are numbered in code order; an area is made of
		// the numbers of its members (-1: no data in the source).
		codes := make([]string, 0, len(ix.areas))
		for code := range ix.areas {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		pos := make(map[string]int, len(codes))
		for i, code := range codes {
			pos[code] = i
		}
		memberCodes := ix.aggregateMembers()
		for _, code := range codes {
			memberCodes[code] = []string{code}
		}
		members := make(map[string][]int, len(memberCodes))
		for code, ms := range memberCodes {
			for _, m := range ms {
				i, ok := pos[m]
				if !ok {
					i = -1
				}
				members[code] = append(members[code], i)
			}
		}
		areas := make([]string, 0, len(members))
		plans := make(map[string][]plannedRow, len(members))
		for code, ms := range members {
			if p := ix.plan(codes, memberCodes[code], ms, spec); len(p) > 0 {
				areas = append(areas, code)
				plans[code] = p
			}
		}
		sort.Strings(areas)

		type labelled struct {
			sel   datasets.Selector
			label string
		}
		var sels []labelled // in output order: by label, then by position
		for _, sel := range opts.Selectors {
			if sel.AppliesTo(ix.source) {
				sels = append(sels, labelled{sel, sel.LabelFor(ix.source)})
			}
		}
		sort.SliceStable(sels, func(i, j int) bool { return sels[i].label < sels[j].label })
		rows := 0
		for _, code := range areas {
			rows += len(plans[code])
		}
		grow(rows * len(sels))

		for _, ls := range sels {
			if err := ctx.Err(); err != nil {
				return err
			}
			sums := newWindowSums(ix.forceSeries(ls.sel), codes)
			for _, code := range areas {
				area, _ := datasets.AreaByCode(code)
				r := trendRow{source: ix.source, label: ls.label, area: area, first: ix.first, spec: spec, minBase: minBase}
				emitTrends(r, plans[code], members[code], sums, emit)
			}
		}
	}
	return nil
}

// knownWindow reports whether w is one of datasets.Windows.
func knownWindow(w datasets.Window) bool {
	for _, k := range datasets.Windows() {
		if w == k {
			return true
		}
	}
	return false
}

// windowSpec says which windows Trends reports: those of kind, or when kind
// is empty the fixed months ending every month.
type windowSpec struct {
	kind  datasets.Window
	fixed int
}

// months is the length of the window ending end, 0 when none does.
func (w windowSpec) months(end datasets.Month) int {
	if w.kind != "" {
		return w.kind.Months(end)
	}
	return w.fixed
}

// describe names the window ending end: "the 12 months to September 2018".
func (w windowSpec) describe(end datasets.Month) string {
	if w.kind != "" {
		return w.kind.Describe(end)
	}
	return fmt.Sprintf("the %d months to %s", w.fixed, end.Label())
}

// Period is the total of one selection in one area over the covered months
// Start..End inclusive: a month for police.uk, a financial quarter for the
// Home Office.
type Period struct {
	Start datasets.Month
	End   datasets.Month
	Count int64
}

// Series returns the totals of one selection in one area of one source for
// every covered period, in time order: what counts tables and charts show.
// A covered period with no matching count has Count zero; months without
// coverage have no Period, so gaps stay gaps. The area may be a force, BTP
// or an aggregate (a region, England, Wales or England and Wales), whose
// periods are those every constituent covers with the same span.
// An unknown area, a selection that does not apply to the source, or a
// source without data is an error.
func Series(counts []datasets.Count, coverage []datasets.Coverage, source string, sel datasets.Selector, areaCode string) ([]Period, error) {
	ix, err := NewSeriesIndex(counts, coverage, source)
	if err != nil {
		return nil, err
	}
	return ix.Series(sel, areaCode)
}

// SeriesIndex is one source's counts indexed once, for many calls of
// Series: what a report of many forces and offences needs.
type SeriesIndex struct {
	ix *trendIndex
}

// NewSeriesIndex indexes the counts and coverage of one source. A source
// without data is an error.
func NewSeriesIndex(counts []datasets.Count, coverage []datasets.Coverage, source string) (*SeriesIndex, error) {
	indexes, err := buildTrendIndexes(counts, coverage, source)
	if err != nil {
		return nil, fmt.Errorf("series: %w", err)
	}
	if len(indexes) == 0 {
		return nil, fmt.Errorf("series: source %s has no data", source)
	}
	return &SeriesIndex{ix: indexes[0]}, nil
}

// Series is as the function Series, on the indexed source.
func (si *SeriesIndex) Series(sel datasets.Selector, areaCode string) ([]Period, error) {
	ix := si.ix
	if !sel.AppliesTo(ix.source) {
		return nil, fmt.Errorf("series: %q does not apply to source %s", sel.LabelFor(ix.source), ix.source)
	}
	series := ix.forceSeries(sel)
	var g trendGrid
	var s []int64
	if a, ok := ix.areas[areaCode]; ok {
		g, s = a.grid, series[areaCode]
	} else if agg, ok := ix.aggregates()[areaCode]; ok {
		g, s = agg.grid, sumSeries(series, agg.members, ix.n)
	} else if _, known := datasets.AreaByCode(areaCode); known {
		return nil, nil // a known area without complete data in this source
	} else {
		return nil, fmt.Errorf("series: unknown area code %q", areaCode)
	}
	var out []Period
	start := -1
	for i := 0; i < ix.n; i++ {
		if !g.blocked[i] {
			start = i
		}
		if !g.covered[i] {
			start = -1
			continue
		}
		if start >= 0 && !g.blocked[i+1] {
			var sum int64
			for j := start; j <= i; j++ {
				sum += s[j]
			}
			out = append(out, Period{Start: ix.first.Add(start), End: ix.first.Add(i), Count: sum})
			start = -1
		}
	}
	return out, nil
}

// Areas lists the forces and BTP the indexed source has coverage for,
// sorted by code.
func (si *SeriesIndex) Areas() []string {
	var out []string
	for code, a := range si.ix.areas {
		if a.hasCoverage {
			out = append(out, code)
		}
	}
	sort.Strings(out)
	return out
}

// trendGrid is an area's completeness on a source's month axis (index i is
// month first+i).
type trendGrid struct {
	covered []bool // covered[i]: month i is in a coverage span
	// blocked[i]: a coverage or count span holds both month i-1 and month
	// i, so no window may start at i (or end at i-1). Length n+1.
	blocked []bool
	// covPrefix[i] is the number of covered months before month i.
	covPrefix []int
}

func newTrendGrid(n int) trendGrid {
	return trendGrid{covered: make([]bool, n), blocked: make([]bool, n+1)}
}

func (g *trendGrid) finish() {
	g.covPrefix = make([]int, len(g.covered)+1)
	for i, c := range g.covered {
		g.covPrefix[i+1] = g.covPrefix[i]
		if c {
			g.covPrefix[i+1]++
		}
	}
}

// complete reports whether the window of w months ending at index e is
// covered without a span crossing its edges.
func (g trendGrid) complete(e, w int) bool {
	s := e - w + 1
	if s < 0 || e >= len(g.covered) {
		return false
	}
	return g.covPrefix[e+1]-g.covPrefix[s] == w && !g.blocked[s] && !g.blocked[e+1]
}

// trendArea is one force's or BTP's data in one source.
type trendArea struct {
	grid        trendGrid
	hasCoverage bool
	byOffence   map[string][]int64 // offence -> counts by their End month
}

// trendAggregate is an area built from forces (and BTP).
type trendAggregate struct {
	grid    trendGrid
	members []string
}

// trendIndex is one source's counts and coverage on a dense month axis.
type trendIndex struct {
	source   string
	first    datasets.Month
	n        int
	areas    map[string]*trendArea
	offences []string // sorted
}

// buildTrendIndexes checks the inputs and indexes them by source (sorted).
// A non-empty only keeps that source.
func buildTrendIndexes(counts []datasets.Count, coverage []datasets.Coverage, only string) ([]*trendIndex, error) {
	type span struct{ lo, hi datasets.Month }
	bounds := map[string]*span{}
	widen := func(src string, lo, hi datasets.Month) {
		b := bounds[src]
		if b == nil {
			bounds[src] = &span{lo, hi}
			return
		}
		b.lo, b.hi = min(b.lo, lo), max(b.hi, hi)
	}
	checked := map[string]error{}
	checkArea := func(code string) error {
		err, seen := checked[code]
		if !seen {
			err = checkTrendArea(code)
			checked[code] = err
		}
		return err
	}
	for i, c := range counts {
		if only != "" && c.Source != only {
			continue
		}
		if c.End < c.Start || c.Start <= 0 {
			return nil, fmt.Errorf("count %d (%s %s %q): span %s..%s is not a valid period", i+1, c.Source, c.AreaCode, c.Offence, c.Start, c.End)
		}
		if err := checkArea(c.AreaCode); err != nil {
			return nil, fmt.Errorf("count %d (%s %q %s..%s): %w", i+1, c.Source, c.Offence, c.Start, c.End, err)
		}
		widen(c.Source, c.Start, c.End)
	}
	for i, c := range coverage {
		if only != "" && c.Source != only {
			continue
		}
		if c.End < c.Start || c.Start <= 0 {
			return nil, fmt.Errorf("coverage %d (%s %s): span %s..%s is not a valid period", i+1, c.Source, c.AreaCode, c.Start, c.End)
		}
		if err := checkArea(c.AreaCode); err != nil {
			return nil, fmt.Errorf("coverage %d (%s %s..%s): %w", i+1, c.Source, c.Start, c.End, err)
		}
		widen(c.Source, c.Start, c.End)
	}

	indexes := make(map[string]*trendIndex, len(bounds))
	for src, b := range bounds {
		indexes[src] = &trendIndex{source: src, first: b.lo, n: int(b.hi-b.lo) + 1, areas: map[string]*trendArea{}}
	}
	area := func(ix *trendIndex, code string) *trendArea {
		a := ix.areas[code]
		if a == nil {
			a = &trendArea{grid: newTrendGrid(ix.n), byOffence: map[string][]int64{}}
			ix.areas[code] = a
		}
		return a
	}
	block := func(g trendGrid, lo, hi int) {
		for i := lo + 1; i <= hi; i++ {
			g.blocked[i] = true
		}
	}
	for _, c := range coverage {
		if only != "" && c.Source != only {
			continue
		}
		ix := indexes[c.Source]
		a := area(ix, c.AreaCode)
		a.hasCoverage = true
		lo, hi := int(c.Start-ix.first), int(c.End-ix.first)
		for i := lo; i <= hi; i++ {
			a.grid.covered[i] = true
		}
		block(a.grid, lo, hi)
	}
	offences := map[string]map[string]bool{}
	for _, c := range counts {
		if only != "" && c.Source != only {
			continue
		}
		ix := indexes[c.Source]
		a := area(ix, c.AreaCode)
		lo, hi := int(c.Start-ix.first), int(c.End-ix.first)
		block(a.grid, lo, hi)
		s := a.byOffence[c.Offence]
		if s == nil {
			s = make([]int64, ix.n)
			a.byOffence[c.Offence] = s
		}
		s[hi] += c.Count
		if offences[c.Source] == nil {
			offences[c.Source] = map[string]bool{}
		}
		offences[c.Source][c.Offence] = true
	}
	out := make([]*trendIndex, 0, len(indexes))
	for src, ix := range indexes {
		for _, a := range ix.areas {
			a.grid.finish()
		}
		for o := range offences[src] {
			ix.offences = append(ix.offences, o)
		}
		sort.Strings(ix.offences)
		out = append(out, ix)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].source < out[j].source })
	return out, nil
}

// aggregateMembers returns the regions, countries and England and Wales
// with the forces (and BTP, when the source has any coverage of it) they are
// built from, whether or not those have data in the source.
func (ix *trendIndex) aggregateMembers() map[string][]string {
	members := map[string][]string{}
	btp := ix.areas[datasets.CodeBTP]
	for _, f := range datasets.Forces() {
		switch f.Kind {
		case datasets.KindForce:
			members[datasets.CodeEnglandWales] = append(members[datasets.CodeEnglandWales], f.Code)
			if f.Country != "" {
				members[f.Country] = append(members[f.Country], f.Code)
			}
			if f.Region != "" {
				members[f.Region] = append(members[f.Region], f.Code)
			}
		case datasets.KindBTP:
			if btp != nil && btp.hasCoverage {
				members[datasets.CodeEnglandWales] = append(members[datasets.CodeEnglandWales], f.Code)
			}
		}
	}
	out := map[string][]string{}
	for _, a := range datasets.Areas() {
		switch a.Kind {
		case datasets.KindRegion, datasets.KindCountry, datasets.KindNation:
			if ms := members[a.Code]; len(ms) > 0 {
				out[a.Code] = ms
			}
		}
	}
	return out
}

// aggregates returns the aggregates of aggregateMembers whose members all
// have data in the source, each with the grid on which it is complete only
// where every member is (what Series shows).
func (ix *trendIndex) aggregates() map[string]trendAggregate {
	out := map[string]trendAggregate{}
	for code, ms := range ix.aggregateMembers() {
		g := newTrendGrid(ix.n)
		for i := range g.covered {
			g.covered[i] = true
		}
		present := true
		for _, m := range ms {
			fa := ix.areas[m]
			if fa == nil || !fa.hasCoverage {
				present = false
				break
			}
			for i := range g.covered {
				g.covered[i] = g.covered[i] && fa.grid.covered[i]
			}
			for i := range g.blocked {
				g.blocked[i] = g.blocked[i] || fa.grid.blocked[i]
			}
		}
		if !present {
			continue
		}
		g.finish()
		out[code] = trendAggregate{grid: g, members: ms}
	}
	return out
}

// plannedRow is one row an area will have: the window of months months
// ending at index e, and the members whose counts make it.
type plannedRow struct {
	e, months int
	members   []int // counted in the window (and, with hasPrevious, the earlier one)
	hasPrev   bool
	leftOut   []string // codes of the members left out of both windows: a like-for-like row
	allNow    bool     // with leftOut: every member is complete in the current window
}

// plan lists the rows of the area made of the members with memberCodes
// (one force, or an aggregate's members), numbered in codes (-1: no data),
// under the rules of Trends.
func (ix *trendIndex) plan(codes, memberCodes []string, members []int, spec windowSpec) []plannedRow {
	grids := make([]*trendGrid, len(members))
	for i, m := range members {
		if m >= 0 {
			grids[i] = &ix.areas[codes[m]].grid
		}
	}
	var out []plannedRow
	for e := 0; e < ix.n; e++ {
		l := spec.months(ix.first.Add(e))
		if l <= 0 || e-l+1 < 0 {
			continue
		}
		now, both := 0, 0
		for _, g := range grids {
			if g != nil && g.complete(e, l) {
				now++
				if g.complete(e-12, l) {
					both++
				}
			}
		}
		left := len(members) - both
		switch {
		case both == len(members):
			out = append(out, plannedRow{e: e, months: l, members: members, hasPrev: true})
		case both > 0 && LikeForLike(len(members), left):
			r := plannedRow{e: e, months: l, hasPrev: true, allNow: now == len(members)}
			for i, g := range grids {
				if g != nil && g.complete(e, l) && g.complete(e-12, l) {
					r.members = append(r.members, members[i])
				} else {
					r.leftOut = append(r.leftOut, memberCodes[i])
				}
			}
			out = append(out, r)
		case now == len(members):
			out = append(out, plannedRow{e: e, months: l, members: members})
		}
	}
	return out
}

// forceSeries returns, for each force and BTP, the monthly totals of the
// offences sel matches (each count at its End month).
func (ix *trendIndex) forceSeries(sel datasets.Selector) map[string][]int64 {
	var matched []string
	for _, o := range ix.offences {
		if sel.Matches(ix.source, o) {
			matched = append(matched, o)
		}
	}
	out := make(map[string][]int64, len(ix.areas))
	for code, a := range ix.areas {
		s := make([]int64, ix.n)
		for _, o := range matched {
			if vals := a.byOffence[o]; vals != nil {
				for i, v := range vals {
					s[i] += v
				}
			}
		}
		out[code] = s
	}
	return out
}

func sumSeries(series map[string][]int64, members []string, n int) []int64 {
	s := make([]int64, n)
	for _, m := range members {
		for i, v := range series[m] {
			s[i] += v
		}
	}
	return s
}

// windowSums gives window totals of each force's and BTP's series: the
// prefix sums of the series of codes[i] are at i.
type windowSums [][]int64

func newWindowSums(series map[string][]int64, codes []string) windowSums {
	out := make(windowSums, len(codes))
	for i, code := range codes {
		s := series[code]
		p := make([]int64, len(s)+1)
		for j, v := range s {
			p[j+1] = p[j] + v
		}
		out[i] = p
	}
	return out
}

// sum is the total of members over the l months ending at index e.
func (ws windowSums) sum(members []int, e, l int) int64 {
	var n int64
	for _, m := range members {
		if m >= 0 {
			n += ws[m][e+1] - ws[m][e+1-l]
		}
	}
	return n
}

// trendRow holds what every row of one area and selection shares.
type trendRow struct {
	source, label string
	area          datasets.Area
	first         datasets.Month
	spec          windowSpec
	minBase       int
}

// emitTrends gives emit the Trend of every planned row of one area; all
// are the area's members.
func emitTrends(r trendRow, plan []plannedRow, all []int, sums windowSums, emit func(*datasets.Trend)) {
	t := new(datasets.Trend) // one for every row: emit copies it
	for _, p := range plan {
		end := r.first.Add(p.e)
		*t = datasets.Trend{
			AreaCode:  r.area.Code,
			AreaName:  r.area.Name,
			Offence:   r.label,
			PeriodEnd: end,
			Months:    p.months,
			Count:     sums.sum(p.members, p.e, p.months),
			Source:    r.source,
		}
		var notes []string
		if len(p.leftOut) > 0 {
			names := areaNames(p.leftOut)
			t.LeftOut = sortedNames(p.leftOut)
			t.AreaName += " excluding " + names
			note := fmt.Sprintf("like for like: %s left out of both years (no complete data)", names)
			if p.allNow {
				note += "; all forces: " + groupDigits(sums.sum(all, p.e, p.months))
			}
			notes = append(notes, note)
		}
		if !p.hasPrev {
			notes = append(notes, fmt.Sprintf("no complete data for %s: change not shown", r.spec.describe(end.Add(-12))))
		} else {
			t.HasPrevious = true
			t.Previous = sums.sum(p.members, p.e-12, p.months)
			t.Change = t.Count - t.Previous
			if t.Previous >= int64(r.minBase) && t.Previous > 0 {
				t.HasPct = true
				t.PctChange = 100 * float64(t.Change) / float64(t.Previous)
			} else {
				notes = append(notes, fmt.Sprintf("base under %d: percentage change not shown", max(r.minBase, 1)))
			}
		}
		t.Note = strings.Join(notes, "; ")
		emit(t)
	}
}

// sortedNames gives areas' ONS names, sorted.
func sortedNames(codes []string) []string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c
		if a, ok := datasets.AreaByCode(c); ok {
			names[i] = a.Name
		}
	}
	sort.Strings(names)
	return names
}

// areaNames lists areas by their ONS names, sorted: "A", "A and B", "A, B
// and C".
func areaNames(codes []string) string {
	names := sortedNames(codes)
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// groupDigits writes n with commas between groups of three digits.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// checkTrendArea reports whether code is a force or BTP, the only areas
// counts and coverage may name.
func checkTrendArea(code string) error {
	a, ok := datasets.AreaByCode(code)
	if !ok {
		return fmt.Errorf("unknown area code %q", code)
	}
	if a.Kind != datasets.KindForce && a.Kind != datasets.KindBTP {
		return fmt.Errorf("area %s (%s) is not a police force area or BTP: counts and coverage must be by force", code, a.Name)
	}
	return nil
}
