package pipeline

import (
	"fmt"
	"sort"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// CompareOptions says which forces to compare, and with what.
type CompareOptions struct {
	// Forces are the ONS codes of the chosen forces (datasets.CodeBTP is
	// allowed too). Comparisons come out in this order; a code given twice
	// counts once.
	Forces []string
	// Peers are the peer groups from the config; may be empty. Members
	// must be police force areas.
	Peers []datasets.PeerGroup
	// Populations give the rates per 1,000; nil means
	// datasets.BuiltinPopulations().
	Populations *datasets.Populations
	// MinBase is the smallest previous count on which a percentage change
	// is shown; 0 means datasets.MinBase.
	MinBase int
	// Window is the kind of window the trends were computed for; it is
	// copied into every Comparison and words its notes ("the financial
	// year ending March 2017"). Empty words them by their length.
	Window datasets.Window
	// Vintage, when set, is the population vintage of every rate (a
	// release's own, to reproduce its published rates); empty means the
	// newest every force has on or before the window's end.
	Vintage string
}

// Compare builds, for every chosen force and every (source, offence, period
// end, months) window in trends at which that force has a row, one
// datasets.Comparison: the force's own figure and the comparators built
// without it. (Ranks and how many forces rose are Answer's, by RankRule.)
//
// Only the rows of forces and BTP are read; rows of regions, countries and
// England and Wales are ignored, since every comparator is rebuilt from the
// forces so that it can leave the chosen force out. Comparators, in order:
//
//   - England and Wales excluding the force: the 43 forces, plus BTP when
//     BTP has any row in the source;
//   - the force's country (England or Wales) excluding it;
//   - its region excluding it (English forces only);
//   - each peer group, excluding the force when it is a member ("<Name>
//     excluding Wiltshire"); a group with no member but the force is left
//     out.
//
// Comparators are like for like under the one rule of LikeForLike: a
// member with no row for the window, or no previous figure, is left out of
// both the count and the previous count, named in LeftOut and in the label
// ("England and Wales excluding Wiltshire and Greater Manchester"), and a
// line in Notes says why; the comparator is built only when at most
// MaxLeftOut of its members (other than the force), and fewer than half,
// are left out. Failing that, when every member has the current window it
// is built on them all with HasPrevious false; failing that it is left
// out, with a Note.
//
// Rates per 1,000 use one population vintage per window: the newest on or
// before the window's PeriodEnd that has a figure for every force with a row
// in the window (Populations.LatestVintage), so a force, its comparators and
// the rate ranking share one denominator. A comparator's population is its
// area's less the forces it leaves out (Populations.Excluding, which gives
// ONS's own "excluding" totals), or, for a peer group or when the area has
// no figure, the sum of its members; a peer group's rate is therefore
// weighted, summed counts over summed population, not a mean of rates. BTP
// has no resident population: its offences count in England and Wales's
// Count but are left out of the rate's numerator, and the comparator's Note
// says so. City of London has no rate of its own (datasets.RateMeaningful)
// but counts in London's and the wider rates.
//
// Window is left "": the trends do not say which kind of window made them
// (12 months ending in March may be a rolling or a financial year), so the
// caller sets it. Output is sorted by force (in opts.Forces order), source,
// offence, PeriodEnd and Months. An unknown area code in trends or options,
// a row given twice, a window of no months or a negative MinBase is an
// error. Compare neither changes nor keeps its inputs.
func Compare(trends []datasets.Trend, opts CompareOptions) ([]datasets.Comparison, error) {
	minBase := opts.MinBase
	if minBase == 0 {
		minBase = datasets.MinBase
	}
	if minBase < 0 {
		return nil, fmt.Errorf("compare: minimum base %d: want zero (the default, %d) or more", minBase, datasets.MinBase)
	}
	pops := opts.Populations
	if pops == nil {
		pops = datasets.BuiltinPopulations()
	}
	chosen, err := compareForces(opts.Forces)
	if err != nil {
		return nil, err
	}
	peers, err := comparePeers(opts.Peers)
	if err != nil {
		return nil, err
	}

	windows := map[compareKey]map[string]datasets.Trend{}
	btpSources := map[string]bool{}
	for i, t := range trends {
		a, ok := datasets.AreaByCode(t.AreaCode)
		if !ok {
			return nil, fmt.Errorf("compare: trend %d (%s %q %s): unknown area code %q", i+1, t.Source, t.Offence, t.PeriodEnd, t.AreaCode)
		}
		if a.Kind != datasets.KindForce && a.Kind != datasets.KindBTP {
			continue
		}
		if t.Months <= 0 {
			return nil, fmt.Errorf("compare: trend %d (%s %q %s %s): window of %d months: want a positive number", i+1, t.Source, t.Offence, t.AreaCode, t.PeriodEnd, t.Months)
		}
		k := compareKey{t.Source, t.Offence, t.PeriodEnd, t.Months}
		rows := windows[k]
		if rows == nil {
			rows = map[string]datasets.Trend{}
			windows[k] = rows
		}
		if _, dup := rows[t.AreaCode]; dup {
			return nil, fmt.Errorf("compare: trend %d: a second row for %s %q %s, %d months to %s", i+1, t.Source, t.Offence, t.AreaCode, t.Months, t.PeriodEnd)
		}
		rows[t.AreaCode] = t
		if a.Kind == datasets.KindBTP {
			btpSources[t.Source] = true
		}
	}
	keys := make([]compareKey, 0, len(windows))
	for k := range windows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })

	byForce := make([][]datasets.Comparison, len(chosen))
	for _, k := range keys {
		rows := windows[k]
		var w *compareWindow // built only when a chosen force has a row
		for fi, f := range chosen {
			if _, ok := rows[f.Code]; !ok {
				continue
			}
			if w == nil {
				w = newCompareWindow(k, rows, pops, minBase, btpSources[k.source], opts.Vintage)
				w.window = opts.Window
			}
			byForce[fi] = append(byForce[fi], w.comparison(f, peers))
		}
	}
	var out []datasets.Comparison
	for _, cs := range byForce {
		out = append(out, cs...)
	}
	return out, nil
}

// RateFor is the rate per 1,000 residents of one area's count, with the
// population and the population vintage used: the newest vintage in pops
// (nil means datasets.BuiltinPopulations()) dated on or before end that has
// a figure for the area. It is false for an area without a meaningful rate
// (BTP, City of London; see datasets.RateMeaningful), without a population
// on or before end, or for a negative count; people and vintage are still
// given when a population was found.
func RateFor(pops *datasets.Populations, areaCode string, count int64, end datasets.Month) (rate float64, people int64, vintage string, ok bool) {
	if pops == nil {
		pops = datasets.BuiltinPopulations()
	}
	if !datasets.RateMeaningful(areaCode) {
		return 0, 0, "", false
	}
	v, ok := pops.LatestVintage([]string{areaCode}, end)
	if !ok {
		return 0, 0, "", false
	}
	p, ok := pops.Get(areaCode, v)
	if !ok {
		return 0, 0, "", false
	}
	rate, ok = datasets.Rate(count, p.People)
	return rate, p.People, v, ok
}

// compareKey identifies one window of one offence in one source.
type compareKey struct {
	source, offence string
	end             datasets.Month
	months          int
}

func (a compareKey) less(b compareKey) bool {
	if a.source != b.source {
		return a.source < b.source
	}
	if a.offence != b.offence {
		return a.offence < b.offence
	}
	if a.end != b.end {
		return a.end < b.end
	}
	return a.months < b.months
}

// compareForces checks and de-duplicates the chosen forces.
func compareForces(codes []string) ([]datasets.Area, error) {
	var out []datasets.Area
	seen := map[string]bool{}
	for _, c := range codes {
		a, ok := datasets.AreaByCode(c)
		if !ok {
			return nil, fmt.Errorf("compare: unknown force code %q", c)
		}
		if a.Kind != datasets.KindForce && a.Kind != datasets.KindBTP {
			return nil, fmt.Errorf("compare: %s (%s) is not a police force area or BTP", c, a.Name)
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// comparePeers checks the peer groups and de-duplicates their members.
func comparePeers(groups []datasets.PeerGroup) ([]datasets.PeerGroup, error) {
	out := make([]datasets.PeerGroup, 0, len(groups))
	for _, g := range groups {
		name := strings.TrimSpace(g.Name)
		if name == "" {
			name = "Peer group"
		}
		pg := datasets.PeerGroup{Name: name}
		seen := map[string]bool{}
		for _, m := range g.Members {
			a, ok := datasets.AreaByCode(m)
			if !ok {
				return nil, fmt.Errorf("compare: peer group %q: unknown force code %q", name, m)
			}
			if a.Kind != datasets.KindForce {
				return nil, fmt.Errorf("compare: peer group %q: %s (%s) is not a police force area", name, m, a.Name)
			}
			if !seen[m] {
				seen[m] = true
				pg.Members = append(pg.Members, m)
			}
		}
		out = append(out, pg)
	}
	return out, nil
}

// compareRate is one force's rate in a window.
type compareRate struct {
	ok     bool
	rate   float64
	people int64
}

// compareWindow holds what every comparison of one window shares.
type compareWindow struct {
	window  datasets.Window
	key     compareKey
	rows    map[string]datasets.Trend
	pops    *datasets.Populations
	minBase int
	btp     bool // BTP is a member of England and Wales in this source

	vintage string
	hasVint bool
	rates   map[string]compareRate
}

func newCompareWindow(k compareKey, rows map[string]datasets.Trend, pops *datasets.Populations, minBase int, btp bool, vintage string) *compareWindow {
	w := &compareWindow{key: k, rows: rows, pops: pops, minBase: minBase, btp: btp, rates: map[string]compareRate{}}
	var forces []string
	for code := range rows {
		if a, _ := datasets.AreaByCode(code); a.Kind == datasets.KindForce {
			forces = append(forces, code)
		}
	}
	sort.Strings(forces)
	w.vintage, w.hasVint = pops.LatestVintage(forces, k.end)
	if vintage != "" {
		_, ok := pops.Sum(forces, vintage)
		w.vintage, w.hasVint = vintage, ok
	}
	for _, code := range forces {
		if !w.hasVint || !datasets.RateMeaningful(code) {
			continue
		}
		if p, ok := pops.Get(code, w.vintage); ok {
			if r, ok := datasets.Rate(rows[code].Count, p.People); ok {
				w.rates[code] = compareRate{ok: true, rate: r, people: p.People}
			}
		}
	}
	return w
}

// pct is the percentage change on previous, when its base is big enough.
func (w *compareWindow) pct(count, previous int64) (float64, bool) {
	if previous < int64(w.minBase) || previous <= 0 {
		return 0, false
	}
	return 100 * float64(count-previous) / float64(previous), true
}

// phrase names the window ending end.
func (w *compareWindow) phrase(end datasets.Month, months int) string {
	if w.window != "" && w.window.Months(end) == months {
		return w.window.Describe(end)
	}
	return compareWindowPhrase(end, months)
}

func compareWindowPhrase(end datasets.Month, months int) string {
	if months == 1 {
		return end.Label()
	}
	return fmt.Sprintf("the %d months to %s", months, end.Label())
}

// comparison builds force f's comparison in this window; f has a row.
func (w *compareWindow) comparison(f datasets.Area, peers []datasets.PeerGroup) datasets.Comparison {
	k := w.key
	c := datasets.Comparison{Source: k.source, Offence: k.offence, PeriodEnd: k.end, Months: k.months, Window: w.window}
	seen := map[string]bool{}
	note := func(s string) {
		if !seen[s] {
			seen[s] = true
			c.Notes = append(c.Notes, s)
		}
	}
	c.Force = w.own(f)

	// England and Wales, then the country, then the region.
	type area struct{ code, name string }
	areas := []area{{datasets.CodeEnglandWales, "England and Wales"}}
	if f.Country != "" {
		ca, _ := datasets.AreaByCode(f.Country)
		areas = append(areas, area{ca.Code, ca.Name})
	}
	if f.Region != "" {
		ra, _ := datasets.AreaByCode(f.Region)
		areas = append(areas, area{ra.Code, ra.Name})
	}
	if f.Kind == datasets.KindBTP {
		note("British Transport Police is in no country or region: it is compared with England and Wales only.")
	}
	for i, a := range areas {
		kind := datasets.ComparatorEnglandWales
		switch i {
		case 1:
			kind = datasets.ComparatorCountry
		case 2:
			kind = datasets.ComparatorRegion
		}
		parent := compareAreaForces(a.code)
		var members []string
		for _, m := range parent {
			if m != f.Code {
				members = append(members, m)
			}
		}
		if a.code == datasets.CodeEnglandWales && w.btp && f.Code != datasets.CodeBTP {
			members = append(members, datasets.CodeBTP)
		}
		if cmp, ok := w.group(kind, a.code, a.name, f, true, members, parent, note); ok {
			c.Comparators = append(c.Comparators, cmp)
		}
	}
	for _, g := range peers {
		var members []string
		isMember := false
		for _, m := range g.Members {
			if m == f.Code {
				isMember = true
				continue
			}
			members = append(members, m)
		}
		if len(members) == 0 {
			note(fmt.Sprintf("%s has no member but %s: no peer comparison.", g.Name, f.Name))
			continue
		}
		if cmp, ok := w.group(datasets.ComparatorPeers, "", g.Name, f, isMember, members, nil, note); ok {
			c.Comparators = append(c.Comparators, cmp)
		}
	}
	return c
}

// own is the chosen force's own figure.
func (w *compareWindow) own(f datasets.Area) datasets.Comparator {
	t := w.rows[f.Code]
	cmp := datasets.Comparator{Kind: datasets.ComparatorForce, AreaCode: f.Code, Label: f.Name,
		Members: []string{f.Code}, Count: t.Count}
	var notes []string
	if t.HasPrevious {
		cmp.HasPrevious, cmp.Previous, cmp.Change = true, t.Previous, t.Count-t.Previous
		if pct, ok := w.pct(t.Count, t.Previous); ok {
			cmp.HasPct, cmp.PctChange = true, pct
		} else {
			notes = append(notes, fmt.Sprintf("base under %d: percentage change not shown", max(w.minBase, 1)))
		}
	} else {
		notes = append(notes, fmt.Sprintf("no complete data for %s: change not shown", w.phrase(w.key.end.Add(-12), w.key.months)))
	}
	switch r := w.rates[f.Code]; {
	case r.ok:
		cmp.HasRate, cmp.Rate, cmp.Population, cmp.PopulationVintage = true, r.rate, r.people, w.vintage
	case f.Kind == datasets.KindBTP:
		notes = append(notes, "no rate: British Transport Police has no resident population")
	case f.Code == datasets.CodeCityOfLondon:
		notes = append(notes, "no rate: City of London's resident population is too small for a rate per 1,000 to mean anything")
	default:
		notes = append(notes, w.noPopulation())
	}
	cmp.Note = strings.Join(notes, "; ")
	return cmp
}

func (w *compareWindow) noPopulation() string {
	return fmt.Sprintf("no rate: no population estimate dated on or before %s for every force", w.key.end.Label())
}

// group builds one comparator from members (the force already taken out).
// parent lists the forces of the area areaCode, nil for a peer group.
// excludesForce says whether the label names the force. It reports false,
// with a note, when too few members have data.
func (w *compareWindow) group(kind, areaCode, name string, f datasets.Area, excludesForce bool, members, parent []string, note func(string)) (datasets.Comparator, bool) {
	k := w.key
	current := w.phrase(k.end, k.months)
	previous := w.phrase(k.end.Add(-12), k.months)
	var present, withPrev []string
	for _, m := range members {
		if t, ok := w.rows[m]; ok {
			present = append(present, m)
			if t.HasPrevious {
				withPrev = append(withPrev, m)
			}
		}
	}
	n := len(members)
	title := name
	if excludesForce {
		title = name + " excluding " + f.Name
	}
	var used []string
	hasPrev := false
	var cmpNote []string
	switch {
	case LikeForLike(n, n-len(withPrev)):
		used, hasPrev = withPrev, true
	case len(present) == n:
		used = present
		cmpNote = append(cmpNote, fmt.Sprintf("change not shown: only %d of %d forces have complete data for %s", len(withPrev), n, previous))
	default:
		note(fmt.Sprintf("%s not shown: %d of %d forces lack complete data for %s or %s (a total may leave out at most %d, and fewer than half).", title, n-len(withPrev), n, current, previous, MaxLeftOut))
		return datasets.Comparator{}, false
	}

	inUse := make(map[string]bool, len(used))
	for _, m := range used {
		inUse[m] = true
	}
	var leftOut, why []string
	for _, m := range members {
		if inUse[m] {
			continue
		}
		a, _ := datasets.AreaByCode(m)
		leftOut = append(leftOut, a.Name)
		switch _, ok := w.rows[m]; {
		case !ok && hasPrev:
			why = append(why, fmt.Sprintf("%s left out of both years: no complete data for %s.", a.Name, current))
		case !ok:
			why = append(why, fmt.Sprintf("%s left out: no complete data for %s.", a.Name, current))
		default:
			why = append(why, fmt.Sprintf("%s left out of both years: no complete data for %s.", a.Name, previous))
		}
	}
	sort.Strings(leftOut)
	sort.Strings(why) // each starts with the name
	for _, s := range why {
		note(s)
	}

	cmp := datasets.Comparator{Kind: kind, AreaCode: areaCode, Label: compareLabel(name, f.Name, excludesForce, leftOut),
		Members: append([]string(nil), used...), LeftOut: leftOut, HasPrevious: hasPrev}
	sort.Strings(cmp.Members)
	var btpCount int64
	var popMembers []string
	for _, m := range cmp.Members {
		t := w.rows[m]
		cmp.Count += t.Count
		if hasPrev {
			cmp.Previous += t.Previous
		}
		if m == datasets.CodeBTP {
			btpCount = t.Count
			continue
		}
		popMembers = append(popMembers, m)
	}
	if hasPrev {
		cmp.Change = cmp.Count - cmp.Previous
		if pct, ok := w.pct(cmp.Count, cmp.Previous); ok {
			cmp.HasPct, cmp.PctChange = true, pct
		} else {
			cmpNote = append(cmpNote, fmt.Sprintf("base under %d: percentage change not shown", max(w.minBase, 1)))
		}
	}

	if people, ok := w.population(areaCode, parent, popMembers); ok {
		if rate, ok := datasets.Rate(cmp.Count-btpCount, people); ok {
			cmp.HasRate, cmp.Rate, cmp.Population, cmp.PopulationVintage = true, rate, people, w.vintage
			if inUse[datasets.CodeBTP] {
				cmpNote = append(cmpNote, fmt.Sprintf("the rate per 1,000 leaves out British Transport Police's %s offences, as BTP has no resident population", compareThousands(btpCount)))
			}
		}
	}
	if !cmp.HasRate {
		cmpNote = append(cmpNote, w.noPopulation())
	}
	cmp.Note = strings.Join(cmpNote, "; ")
	return cmp, true
}

// population is the resident population of the members at the window's
// vintage: the area's less the forces of parent not in members when the
// area has a figure, else the members' sum.
func (w *compareWindow) population(areaCode string, parent, members []string) (int64, bool) {
	if !w.hasVint || len(members) == 0 {
		return 0, false
	}
	if areaCode != "" {
		in := make(map[string]bool, len(members))
		for _, m := range members {
			in[m] = true
		}
		var excluded []string
		for _, p := range parent {
			if !in[p] {
				excluded = append(excluded, p)
			}
		}
		if people, ok := w.pops.Excluding(areaCode, excluded, w.vintage); ok {
			return people, true
		}
	}
	return w.pops.Sum(members, w.vintage)
}

// compareAreaForces lists the forces (not BTP) of England and Wales, a country or
// a region, by code.
func compareAreaForces(code string) []string {
	var out []string
	for _, f := range datasets.Forces() {
		if f.Kind != datasets.KindForce {
			continue
		}
		if code == datasets.CodeEnglandWales || f.Country == code || f.Region == code {
			out = append(out, f.Code)
		}
	}
	sort.Strings(out)
	return out
}

// compareLabel is "South West excluding Wiltshire and Dorset": the force
// first, then the forces left out; past three of those, "and 5 other
// forces".
func compareLabel(name, force string, excludesForce bool, leftOut []string) string {
	var names []string
	if excludesForce {
		names = append(names, force)
	}
	switch {
	case len(leftOut) > 3 && excludesForce:
		names = append(names, fmt.Sprintf("%d other forces", len(leftOut)))
	case len(leftOut) > 3:
		names = append(names, fmt.Sprintf("%d forces", len(leftOut)))
	default:
		names = append(names, leftOut...)
	}
	switch len(names) {
	case 0:
		return name
	case 1:
		return name + " excluding " + names[0]
	}
	return name + " excluding " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// compareThousands writes n with commas: 12,345.
func compareThousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
