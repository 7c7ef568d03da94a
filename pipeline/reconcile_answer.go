package pipeline

import (
	"fmt"

	"github.com/crimetrends/crimetrends/datasets"
)

// reconciliation sets every figure that was not quoted beside the quoted
// one of the same question, for every question with more than one figure,
// sorted by topic (report order), area code, window end and the other
// figure's quote order.
func (b *builder) reconciliation(keys []figKey, defs []topicDef) []Reconciliation {
	names := map[string]string{}
	for _, d := range defs {
		names[d.id] = d.name
	}
	var out []Reconciliation
	for _, k := range keys {
		if len(b.fs.by[k]) < 2 && len(b.fs.revisions[k]) == 0 {
			continue // one figure: nothing beside it
		}
		q, ok := b.fs.quoted(k)
		if !ok {
			continue
		}
		q.Quoted = true
		for _, o := range b.fs.others(k, q) {
			out = append(out, reconcileFigures(names[k.topic], q, o))
		}
	}
	return out
}

// reconcileFigures sets one other figure beside the quoted one.
func reconcileFigures(offence string, q, o Figure) Reconciliation {
	r := Reconciliation{
		AreaCode: q.AreaCode, AreaName: q.AreaName, Topic: q.Topic, Offence: offence,
		Start: q.PeriodEnd.Add(1 - q.Months), End: q.PeriodEnd, Quoted: q, Other: o,
		Difference: o.Count - q.Count,
	}
	if q.Count != 0 {
		r.HasPct, r.PctDifference = true, 100*float64(r.Difference)/float64(q.Count)
	}
	r.Reason = reconcileReason(q, o, r.Difference)
	return r
}

// reconcileReason gives the likely reason two figures for one question
// differ.
func reconcileReason(q, o Figure, diff int64) string {
	if diff == 0 {
		return "The figures agree."
	}
	qName, oName := figureSource(q), figureSource(o)
	switch {
	case o.Source == datasets.SourceONSPFA && q.Source == datasets.SourceONSPFA && o.CountDerived:
		return fmt.Sprintf("A revision: ONS revises earlier years with every release. The quoted figure is as first published, in %s; the other is as revised in %s, derived from its published percentage change.", qName, oName)
	case o.Source == datasets.SourceONSPFA && q.Source == datasets.SourceONSPFA:
		return fmt.Sprintf("A correction: %s and %s print different figures for the same year.", qName, oName)
	case q.Source == datasets.SourceForce || o.Source == datasets.SourceForce:
		return "Timing and status: the force's extract is provisional management information from its live records, in which crimes are reclassified and cancelled after the fact, while published figures are fixed at the time of the release."
	case q.Source == datasets.SourcePoliceUK || o.Source == datasets.SourcePoliceUK:
		return "Coverage: data.police.uk counts crimes it could place on a street map, in its own categories, and is not revised the way official statistics are."
	case (q.Source == datasets.SourceONSPFA && o.Source == datasets.SourceHomeOffice || q.Source == datasets.SourceHomeOffice && o.Source == datasets.SourceONSPFA) &&
		q.Topic == topicID("", "Violence with injury"):
		return "Offence coverage: the Home Office table counts death or serious injury caused by unlawful driving in violence with injury, while ONS publishes it apart; the rest of the gap is revisions."
	case q.Source == datasets.SourceONSPFA && o.Source == datasets.SourceHomeOffice || q.Source == datasets.SourceHomeOffice && o.Source == datasets.SourceONSPFA:
		return "A revision: the Home Office open data table is revised with every release, while an ONS release keeps the figure as first published."
	}
	return "Different sources: see each source's notes."
}

// figureSource names where a figure comes from, for sentences.
func figureSource(f Figure) string {
	if f.Release != "" {
		return releaseName(f.Release)
	}
	return "the " + SourceName(f.Source)
}

// topicNotes are the sentences that bear on a topic's figures.
func (b *builder) topicNotes(d topicDef, t Topic) []Note {
	rep := b.rep
	var out []Note
	add := func(area, format string, args ...any) {
		out = append(out, Note{Text: fmt.Sprintf(format, args...), Topic: d.id, Area: area})
	}
	if d.taxonomy == TaxonomyPoliceUK {
		add("", "data.police.uk figures are management information in 14 broad categories of its own: they are not official statistics and are not comparable with official offence groups.")
	}
	for _, a := range t.Answers {
		switch {
		case !a.Figure.Present && len(t.Areas) > 0:
			add(a.Force.Code, "There is no figure for %s for %s%s.", a.Force.Name, rep.Window.Describe(rep.PeriodEnd), b.markerReason(d.id, a.Force.Code))
		case a.Figure.Present && t.National.Present && a.Figure.Source != t.National.Source:
			add(a.Force.Code, "%s's figure is from %s and England and Wales's from %s: the two are not strictly comparable.",
				a.Force.Name, SourceName(a.Figure.Source), SourceName(t.National.Source))
		}
	}
	if t.National.Present && len(t.National.LeftOut) > 0 && !t.National.Published {
		add(datasets.CodeEnglandWales, "England and Wales's total leaves %s out of both years, like for like, as none of their figures is complete.", joinAnd(t.National.LeftOut))
	}
	if t.National.Present && t.National.Published && t.National.AreaName != "England and Wales" {
		add(datasets.CodeEnglandWales, "The England and Wales total ONS published is %q.", t.National.AreaName)
	}
	return out
}

// markerReason says why a release printed no count for an area, or "".
func (b *builder) markerReason(topic, area string) string {
	for _, f := range b.fs.by[figKey{topic, area, b.rep.PeriodEnd}] {
		if f.Published && !f.HasCount && f.CountMarker != "" {
			return fmt.Sprintf(": %s printed %q (%s)", releaseName(f.Release), f.CountMarker, countMarkerMeaning(f.CountMarker))
		}
	}
	return ""
}

func countMarkerMeaning(m string) string {
	switch m {
	case "..":
		return "not available"
	case "-":
		return "too small a base"
	case "+":
		return "not meaningful"
	}
	return "no figure"
}
