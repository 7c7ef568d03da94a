package reports

import (
	"fmt"

	"github.com/crimetrends/crimetrends/pipeline"
)

// indexData is the index page: the brief.
type indexData struct {
	Cards   []card
	Tables  []titledTables
	Notes   []string
	Outputs []OutputLink
}

// titledTables are an area's tables under one heading.
type titledTables struct {
	ID, Heading string
	Tables      []dataTable
}

// indexPage is the first page a commissioner reads: within the first
// screen, a card for each chosen force and asked offence (England and
// Wales's when no force is chosen; the total when no offence is asked);
// then every offence of each force, the notes that bear on what is shown,
// and the other files of the run.
func (s *site) indexPage() (pageOut, error) {
	rep := s.rep
	d := indexData{Outputs: s.meta.Outputs}
	var shown []pipeline.Figure
	for k, t := range keyTopics(rep) {
		if len(s.forces) == 0 {
			d.Cards = append(d.Cards, nationalCard(rep, t, fmt.Sprintf("card-%d", k+1), offencePageName(t)))
			shown = append(shown, t.National)
			continue
		}
		for i, f := range s.forces {
			if i >= len(t.Answers) {
				continue
			}
			id := fmt.Sprintf("card-%d", len(d.Cards)+1)
			d.Cards = append(d.Cards, forceCard(rep, t, t.Answers[i], id, f.Page+"#"+t.ID))
			shown = append(shown, t.Answers[i].Figure)
		}
	}
	areas := map[string]bool{}
	if len(s.forces) == 0 {
		d.Tables = append(d.Tables, titledTables{ID: "every-offence", Heading: "England and Wales: " + offencesHeading(rep),
			Tables: offenceTables(rep, -1, "England and Wales", offencePageName)})
		for _, t := range rep.Topics {
			shown = append(shown, t.National)
		}
	}
	for i, f := range s.forces {
		areas[f.Code] = true
		page := f.Page
		d.Tables = append(d.Tables, titledTables{ID: "every-offence-" + idPart(f.Name), Heading: f.Name + ": " + offencesHeading(rep),
			Tables: offenceTables(rep, i, f.Name, func(t pipeline.Topic) string { return page + "#" + t.ID })})
		for _, t := range rep.Topics {
			if i < len(t.Answers) {
				shown = append(shown, t.Answers[i].Figure)
			}
		}
	}
	d.Notes = s.pageNotes(rep.Topics, areas)
	main, err := body("index", d)
	if err != nil {
		return pageOut{}, err
	}
	return pageOut{Name: IndexPage, Kind: "index", Title: reportTitle(rep), Main: main, Sources: sourcesOf(rep, shown...)}, nil
}

// offencesHeading names the offences of the index's tables: "every
// offence", or those asked for ("stalking and harassment", "the 3
// offences asked for") when the report was asked for some.
func offencesHeading(rep *pipeline.Report) string {
	switch {
	case len(rep.Request.Offences) == 0:
		return "every offence"
	case len(rep.Topics) == 1:
		return lowerFirst(sayTopicTitle(rep.Topics[0]))
	}
	return fmt.Sprintf("the %d offences asked for", len(rep.Topics))
}
