package reports

import (
	"github.com/crimetrends/crimetrends/pipeline"
)

// overviewData is the national page.
type overviewData struct {
	Tables []dataTable
	Map    *chartBlock
	Heats  []chartBlock
	Notes  []string
}

// overviewPage is England and Wales's figure for every offence, the map
// opening on total recorded crime, and (one step away) heat maps of every
// offence by force.
func (s *site) overviewPage() (pageOut, error) {
	rep := s.rep
	d := overviewData{Tables: offenceTables(rep, -1, "England and Wales", offencePageName)}
	var shown []pipeline.Figure
	for _, t := range rep.Topics {
		shown = append(shown, t.National)
	}
	if t, ok := totalTopic(rep); ok {
		spec := changeMapSpec(rep, t, "map-overview", s.chosen)
		spec.Heading = "Every force on the map: " + lowerFirst(sayTopicTitle(t))
		if b, ok := mapBlock(spec, s.meta.Boundaries, s.meta.BoundaryCodeProperty); ok {
			d.Map = &b
		}
	}
	for _, tax := range []struct{ id, name string }{
		{pipeline.TaxonomyOfficial, "Every offence by force"},
		{pipeline.TaxonomyPoliceUK, "Every data.police.uk category by force"},
	} {
		var ts []pipeline.Topic
		for _, t := range rep.Topics {
			if t.Taxonomy == tax.id && len(t.Areas) > 0 {
				ts = append(ts, t)
			}
		}
		if b, ok := heatBlock(rep, "heat-"+tax.id, tax.name, ts, s.chosen); ok {
			d.Heats = append(d.Heats, b)
		}
	}
	d.Notes = s.pageNotes(rep.Topics, s.chosen)
	main, err := body("overview", d)
	if err != nil {
		return pageOut{}, err
	}
	return pageOut{Name: OverviewPage, Kind: "overview", Title: "England and Wales: every offence", Main: main,
		Charts: d.Map != nil || len(d.Heats) > 0, Sources: sourcesOf(rep, shown...)}, nil
}
