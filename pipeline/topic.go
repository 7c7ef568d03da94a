package pipeline

import (
	"fmt"
	"sort"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

// topic builds one offence of the report.
func (b *builder) topic(d topicDef) (Topic, error) {
	rep := b.rep
	end := rep.PeriodEnd
	t := Topic{ID: d.id, Name: d.name, Taxonomy: d.taxonomy, Selector: d.sel}

	// Every area's quoted figure at the period end, ranked.
	t.Areas = b.quotedAt(d.id, end)
	t.Rose, t.Fell, t.Same, t.Compared = rankFigures(t.Areas)
	areaOrder(t.Areas)
	seenSrc := map[string]bool{}
	count := map[string]int{}
	for _, f := range t.Areas {
		count[f.Source]++
		if f.AreaKind == datasets.KindNation {
			t.National = f
		}
	}
	for _, s := range rep.Request.SourceOrder {
		for _, k := range b.fs.at(d.id, end) {
			if seenSrc[s] {
				break
			}
			for _, f := range b.fs.by[k] {
				if f.Source == s && f.HasCount {
					seenSrc[s] = true
					t.Sources = append(t.Sources, s)
					break
				}
			}
		}
	}
	switch {
	case t.National.Present:
		t.Quoted = t.National.Source
	default:
		best := 0
		for _, s := range rep.Request.SourceOrder {
			if count[s] > best {
				t.Quoted, best = s, count[s]
			}
		}
	}
	if d.taxonomy == TaxonomyOfficial && len(t.Areas) > 0 && rep.PeriodEnd.Add(1-rep.Months) <= rep.PeriodEnd {
		t.Breaks = datasets.BreaksAffecting(d.sel, "", rep.Start.Add(-12), end)
	}

	// The series: the quoted source's figure at every earlier window of
	// the same kind and length.
	t.Periods = b.periods(d.id, t.Quoted)
	t.NationalSeries = b.line(d.id, datasets.CodeEnglandWales, "England and Wales", "national", t.National, t.Periods)
	t.NationalControl = b.control(d, datasets.CodeEnglandWales, "England and Wales", t.National)

	// The chosen forces.
	for _, force := range rep.Forces {
		t.Answers = append(t.Answers, b.answer(d, t, force))
	}

	if len(t.Areas) == 0 {
		t.Empty = b.emptySentence(d)
	}
	if len(t.Areas) == 0 || d.taxonomy == TaxonomyPoliceUK && !t.National.Present {
		t.Monthly = b.monthly(d)
	}
	t.Events = b.events(d, t)
	t.Notes = b.topicNotes(d, t)
	return t, nil
}

// periods lists the window ends of a topic's series: every end up to the
// report's at which a window of the report's kind and length ends, the
// quoted source has a figure for England and Wales or a chosen force, and
// (for a financial year to date) the same month of the year as the report.
func (b *builder) periods(topic, source string) []datasets.Month {
	rep := b.rep
	focus := map[string]bool{datasets.CodeEnglandWales: true}
	for _, f := range rep.Forces {
		focus[f.Code] = true
	}
	seen := map[datasets.Month]bool{}
	for end, keys := range b.fs.keys[topic] {
		if end > rep.PeriodEnd || rep.Window.Months(end) != rep.Months {
			continue
		}
		if rep.Window == datasets.WindowFYTD && end.MonthOfYear() != rep.PeriodEnd.MonthOfYear() {
			continue
		}
	keys:
		for _, k := range keys {
			if !focus[k.area] {
				continue
			}
			for _, f := range b.fs.by[k] {
				if f.Source == source && f.HasCount {
					seen[end] = true
					break keys
				}
			}
		}
	}
	out := make([]datasets.Month, 0, len(seen))
	for m := range seen {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// figureFrom is an area's figure for a topic at a window end from the same
// source as like (and, for ONS, the quoted release of that period).
func (b *builder) figureFrom(topic, area string, end datasets.Month, source string) (Figure, bool) {
	for _, f := range b.fs.by[figKey{topic, area, end}] {
		if f.Source == source && f.HasCount {
			return f, true
		}
	}
	return Figure{}, false
}

// line is an area's figure at each period from the source of its figure at
// the report's period end (or the topic's quoted source when it has none).
func (b *builder) line(topic, area, name, kind string, at Figure, periods []datasets.Month) Line {
	src := at.Source
	if src == "" {
		for _, f := range b.fs.by[figKey{topic, area, b.rep.PeriodEnd}] {
			src = f.Source
			break
		}
	}
	l := Line{AreaCode: area, Name: name, Kind: kind, Source: src}
	for _, m := range periods {
		p := Point{PeriodEnd: m}
		if f, ok := b.figureFrom(topic, area, m, src); ok {
			p.Present, p.Count = true, f.Count
			p.HasPct, p.PctChange = f.HasPct, f.PctChange
			p.HasRate, p.Rate, p.PopulationVintage = f.HasRate, f.Rate, f.PopulationVintage
			if at.AreaName != "" && m == b.rep.PeriodEnd {
				l.Name = at.AreaName
			}
		}
		l.Points = append(l.Points, p)
	}
	return l
}

// indexLines sets every line's Index on one base: the first period every
// line has a count at (100 there).
func indexLines(lines ...*Line) {
	if len(lines) == 0 || len(lines[0].Points) == 0 {
		return
	}
	base := -1
	for i := range lines[0].Points {
		all := true
		for _, l := range lines {
			if i >= len(l.Points) || !l.Points[i].Present || l.Points[i].Count <= 0 {
				all = false
				break
			}
		}
		if all {
			base = i
			break
		}
	}
	if base < 0 {
		return
	}
	for _, l := range lines {
		b := float64(l.Points[base].Count)
		for i := range l.Points {
			if l.Points[i].Present {
				l.Points[i].HasIndex, l.Points[i].Index = true, 100*float64(l.Points[i].Count)/b
			}
		}
	}
}

// peerLine is a peer group's summed figure without the force at each
// period, under the one like-for-like rule: members without a figure in
// either window are left out of both, and the point is given only when
// LikeForLike allows it. Members are summed from the source of the force's
// figure.
func (b *builder) peerLine(topic string, g datasets.PeerGroup, force Force, src string, periods []datasets.Month) (Line, bool) {
	var members []string
	inGroup := false
	for _, m := range g.Members {
		if m == force.Code {
			inGroup = true
			continue
		}
		members = append(members, m)
	}
	if len(members) == 0 {
		return Line{}, false
	}
	name := g.Name
	if inGroup {
		name += " excluding " + force.Name
	}
	l := Line{Name: name, Kind: "peers", Source: src}
	found := false
	for _, m := range periods {
		var sum int64
		left := 0
		for _, a := range members {
			f, ok := b.figureFrom(topic, a, m, src)
			if !ok {
				left++
				continue
			}
			sum += f.Count
		}
		p := Point{PeriodEnd: m}
		if left == 0 || LikeForLike(len(members), left) {
			p.Present, p.Count = true, sum
			found = true
		}
		l.Points = append(l.Points, p)
	}
	return l, found
}

// answer builds one chosen force's answer.
func (b *builder) answer(d topicDef, t Topic, force Force) ForceAnswer {
	rep := b.rep
	end := rep.PeriodEnd
	a := ForceAnswer{Force: force}
	for _, f := range t.Areas {
		if f.AreaCode == force.Code {
			a.Figure = f
		}
	}
	k := figKey{d.id, force.Code, end}
	if a.Figure.Present {
		a.Others = b.fs.others(k, a.Figure)
	}
	src := a.Figure.Source
	if src == "" {
		src = t.Quoted
	}
	a.Series = b.line(d.id, force.Code, force.Name, "force", a.Figure, t.Periods)
	a.National = b.line(d.id, datasets.CodeEnglandWales, "England and Wales", "national", t.National, t.Periods)
	lines := []*Line{&a.Series, &a.National}
	for _, g := range rep.Request.PeerGroups {
		if l, ok := b.peerLine(d.id, g, force, src, t.Periods); ok {
			a.Peers = append(a.Peers, l)
		}
	}
	for i := range a.Peers {
		lines = append(lines, &a.Peers[i])
	}
	indexLines(lines...)

	if a.Figure.Present {
		a.Comparators, a.Against = b.comparators(d, a.Figure, force)
	}
	a.Control = b.control(d, force.Code, force.Name, a.Figure)
	if d.taxonomy == TaxonomyPoliceUK && len(b.data.Outcomes) > 0 {
		a.Outcomes, a.OutcomesNote = b.outcomes(d, force)
	}
	if d.taxonomy == TaxonomyOfficial {
		a.Breaks = datasets.BreaksAffecting(d.sel, force.Code, rep.Start.Add(-12), end)
	}
	return a
}

// comparators sets a force's quoted figure beside England and Wales, its
// country, region and peer groups, each without it, from the same source
// (and release), and tests its change against England and Wales.
func (b *builder) comparators(d topicDef, q Figure, force Force) ([]Comparator, Against) {
	rep := b.rep
	var rows []datasets.Trend
	for _, a := range datasets.Forces() {
		f, ok := b.figureFrom(d.id, a.Code, rep.PeriodEnd, q.Source)
		if !ok || (q.Release != "" && f.Release != q.Release) {
			continue
		}
		rows = append(rows, datasets.Trend{AreaCode: f.AreaCode, AreaName: f.AreaName, Offence: d.id, PeriodEnd: f.PeriodEnd,
			Months: f.Months, Count: f.Count, HasPrevious: f.HasPrevious, Previous: f.Previous, Change: f.Change,
			HasPct: f.HasPct, PctChange: f.PctChange, Source: q.Source})
	}
	opts := CompareOptions{Forces: []string{force.Code}, Peers: rep.Request.PeerGroups, Populations: rep.Request.Populations,
		MinBase: rep.MinBase, Window: rep.Window}
	if q.Published {
		opts.Vintage = b.vintages[q.Release]
	}
	cs, err := Compare(rows, opts)
	if err != nil || len(cs) == 0 {
		return nil, Against{}
	}
	var out []Comparator
	for _, c := range cs[0].Comparators {
		cm := Comparator{Comparator: c}
		if c.HasPrevious {
			cm.Lo, cm.Hi, cm.Verdict, cm.HasInterval = IntervalOf(c.Previous, c.Count)
		}
		out = append(out, cm)
	}
	var ag Against
	for _, cm := range out {
		if cm.Kind != datasets.ComparatorEnglandWales {
			continue
		}
		ag = Against{Label: cm.Label, Force: q, National: cm}
		if q.HasPrevious && cm.HasPrevious {
			if rr, lo, hi, ok := stats.CompareRatios(q.Previous, q.Count, cm.Previous, cm.Count); ok {
				ag.OK, ag.Ratio, ag.Lo, ag.Hi = true, rr, lo, hi
				switch {
				case lo > 1:
					ag.Verdict = AgainstHigher
				case hi < 1:
					ag.Verdict = AgainstLower
				default:
					ag.Verdict = AgainstSame
				}
			}
		}
	}
	return out, ag
}

// control is an area's monthly (or quarterly) chart of a topic, from the
// first source in quote order that has counts by month or quarter for it.
func (b *builder) control(d topicDef, area, name string, at Figure) ControlChart {
	rep := b.rep
	for _, src := range rep.Request.SourceOrder {
		if !isComputedFamily(src) || (src == datasets.SourcePoliceUK) != (d.taxonomy == TaxonomyPoliceUK) || !d.sel.AppliesTo(src) {
			continue
		}
		si := b.seriesIndex(src)
		if si == nil {
			continue
		}
		ps, err := si.Series(d.sel, area)
		if err != nil || len(ps) == 0 {
			continue
		}
		var upto []Period
		for _, p := range ps {
			if p.End <= rep.PeriodEnd {
				upto = append(upto, p)
			}
		}
		if len(upto) == 0 {
			continue
		}
		var breaks []datasets.Month
		if d.taxonomy == TaxonomyOfficial {
			for _, br := range datasets.BreaksAffecting(d.sel, area, upto[0].Start, upto[len(upto)-1].End) {
				breaks = append(breaks, br.Month)
			}
		}
		verdict := stats.Unknown
		switch at.Verdict {
		case VerdictRise:
			verdict = stats.Rise
		case VerdictFall:
			verdict = stats.Fall
		case VerdictSame:
			verdict = stats.AboutTheSame
		}
		cc := BuildControlChart(ControlInput{Periods: upto, Breaks: breaks, Verdict: verdict,
			WindowStart: rep.Start, WindowEnd: rep.PeriodEnd, AreaName: name, Offence: d.name})
		cc.Source = src
		return cc
	}
	return ControlChart{Summary: "No source in the dataset has monthly or quarterly counts of this offence for " + name + ": the ONS tables give 12-month totals only."}
}

// monthly lists every area's counts by period from the monthly sources of
// a topic, for a topic with no window figure at the period end: what
// data.police.uk shows from a single month. Only periods up to the report's
// period end, and at most the last 24 months, are listed.
func (b *builder) monthly(d topicDef) []MonthlySeries {
	rep := b.rep
	var out []MonthlySeries
	for _, src := range rep.Request.SourceOrder {
		if !isComputedFamily(src) || (src == datasets.SourcePoliceUK) != (d.taxonomy == TaxonomyPoliceUK) || !d.sel.AppliesTo(src) {
			continue
		}
		si := b.seriesIndex(src)
		if si == nil {
			continue
		}
		for _, area := range si.Areas() {
			ps, err := si.Series(d.sel, area)
			if err != nil {
				continue
			}
			var keep []Period
			for _, p := range ps {
				if p.End <= rep.PeriodEnd && p.End > rep.PeriodEnd.Add(-24) {
					keep = append(keep, p)
				}
			}
			if len(keep) == 0 {
				continue
			}
			a, _ := datasets.AreaByCode(area)
			out = append(out, MonthlySeries{AreaCode: area, AreaName: a.Name, Source: src, Periods: keep})
		}
		if len(out) > 0 {
			return out
		}
	}
	return out
}

// emptySentence says in one sentence why a topic has no figure for the
// report's window.
func (b *builder) emptySentence(d topicDef) string {
	rep := b.rep
	win := rep.Window.Describe(rep.PeriodEnd)
	var has []string
	for _, s := range rep.Sources {
		if (s.Source == datasets.SourcePoliceUK) != (d.taxonomy == TaxonomyPoliceUK) {
			continue
		}
		has = append(has, fmt.Sprintf("%s covers %s to %s", s.Name, s.First.Label(), s.Last.Label()))
	}
	if len(has) == 0 {
		return fmt.Sprintf("No source in the dataset has %s for %s.", d.name, win)
	}
	return fmt.Sprintf("No source gives a figure for %s: %s.", win, joinAnd(has))
}

// events are the register's breaks and the user's events inside the span
// a topic's series and monthly counts show.
func (b *builder) events(d topicDef, t Topic) []datasets.Event {
	rep := b.rep
	var first datasets.Month
	if len(t.Periods) > 0 {
		first = t.Periods[0].Add(1 - rep.Months)
	}
	for _, m := range t.Monthly {
		if len(m.Periods) > 0 && (first == 0 || m.Periods[0].Start < first) {
			first = m.Periods[0].Start
		}
	}
	for _, a := range t.Answers {
		if n := len(a.Control.Points); n > 0 && (first == 0 || a.Control.Points[0].Start < first) {
			first = a.Control.Points[0].Start
		}
	}
	if first == 0 {
		first = rep.Start.Add(-12)
	}
	focus := map[string]bool{"": true, datasets.CodeEnglandWales: true}
	for _, f := range rep.Forces {
		focus[f.Code] = true
	}
	var out []datasets.Event
	for _, e := range rep.Request.Events {
		if e.Month < first || e.Month > rep.PeriodEnd || !focus[e.AreaCode] {
			continue
		}
		if e.Offence != "" && e.Offence != d.name && e.Offence != d.sel.Label && e.Offence != d.sel.LabelFor(datasets.SourceHomeOffice) {
			continue
		}
		out = append(out, e)
	}
	if d.taxonomy == TaxonomyOfficial {
		seen := map[string]bool{}
		for area := range focus {
			for _, br := range datasets.BreaksAffecting(d.sel, area, first-1, rep.PeriodEnd) {
				if seen[br.ID] {
					continue
				}
				seen[br.ID] = true
				code := ""
				if len(br.Forces) == 1 {
					code = br.Forces[0]
				}
				out = append(out, datasets.Event{Month: br.Month, Label: br.Effect, AreaCode: code, Offence: d.name, Source: "register"})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Month != out[j].Month {
			return out[i].Month < out[j].Month
		}
		return out[i].Label < out[j].Label
	})
	return out
}
