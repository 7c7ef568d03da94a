package reports

import (
	"fmt"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// offenceData is one offence's page: every force and region.
type offenceData struct {
	Card       card
	Forces     []forceLine
	Rank       *chartBlock
	Map        *chartBlock
	Table      *dataTable
	Trend      *chartBlock
	TrendText  string
	Short      string
	Monthly    *chartBlock
	MonthlyMap *chartBlock
	MonthTable *dataTable
	Notes      []string
}

// forceLine is a chosen force's figure in one line, linking to its page.
type forceLine struct {
	Href, Name, Text string
}

func (s *site) offencePage(k int) (pageOut, error) {
	rep := s.rep
	t := rep.Topics[k]
	d := offenceData{Card: nationalCard(rep, t, "card-"+t.ID, "")}
	if len(t.Areas) > 0 {
		d.Card.Href, d.Card.More = "#ranking-"+t.ID, "Every force in a table"
	}
	var shown []pipeline.Figure
	shown = append(shown, t.National)
	for i, f := range s.forces {
		if i >= len(t.Answers) {
			continue
		}
		shown = append(shown, t.Answers[i].Figure)
		d.Forces = append(d.Forces, forceLine{Href: f.Page + "#" + t.ID, Name: f.Name, Text: sayForceLine(rep, t, t.Answers[i])})
	}
	if len(t.Areas) > 0 {
		if b, ok := rankBlock(rep, t, "rank-"+t.ID, s.chosen); ok {
			d.Rank = &b
		}
		spec := changeMapSpec(rep, t, "map-"+t.ID, s.chosen)
		spec.Note += " The table below gives every number."
		if b, ok := mapBlock(spec, s.meta.Boundaries, s.meta.BoundaryCodeProperty); ok {
			d.Map = &b
		}
		tbl := rankingTable(rep, t, s.chosen)
		d.Table = &tbl
		if t.NationalSeries.Points != nil && t.National.Present {
			if b, text, ok := trendBlock(rep, t, "trend-"+t.ID, []pipeline.Line{t.NationalSeries}, eventsFor(t.Events, datasets.CodeEnglandWales)); ok {
				b.Heading = "How has England and Wales moved?"
				d.Trend = &b
			} else {
				d.TrendText = text
			}
		}
	}
	if len(t.Monthly) > 0 {
		s.shortData(&d, t)
		if d.Card.Empty == d.Short {
			d.Short = ""
		}
	}
	d.Notes = s.pageNotes([]pipeline.Topic{t}, s.chosen)
	main, err := body("offence", d)
	if err != nil {
		return pageOut{}, err
	}
	charts := d.Rank != nil || d.Map != nil || d.Trend != nil || d.Monthly != nil || d.MonthlyMap != nil
	src := sourcesOf(rep, shown...)
	if len(t.Monthly) > 0 {
		src = append(src, t.Monthly[0].Source)
	}
	return pageOut{Name: offencePageName(t), Kind: "offence", Title: sayTopicTitle(t) + ": every force", Main: main,
		Charts: charts, Sortable: d.Table != nil || d.MonthTable != nil, Sources: src}, nil
}

// sayForceLine is a chosen force's figure on an offence page: "2,182, up
// 14.6% on a year earlier; 37 of 43 by rise; 3.0 per 1,000, 37 of 42 by
// rate."
func sayForceLine(rep *pipeline.Report, t pipeline.Topic, a pipeline.ForceAnswer) string {
	f := a.Figure
	if !f.Present || !f.HasCount {
		if ms, ok := monthlyOf(t, a.Force.Code); ok {
			last := ms.Periods[len(ms.Periods)-1]
			return fmt.Sprintf("%s in %s (monthly counts only).", sayCount(last.Count), sayMonthPeriod(last))
		}
		return "no figure for " + sayWindow(rep) + "."
	}
	parts := []string{sayCount(f.Count)}
	if mv := sayMove(f); mv != "" {
		parts[0] += ", " + mv + " on a year earlier"
	}
	if f.Rank > 0 {
		parts = append(parts, sayRankOf(f.Rank, f.Ranked)+" by rise")
	}
	if f.HasRate {
		r := sayRate(f.Rate) + " per 1,000"
		if f.RateRank > 0 {
			r += ", " + sayRankOf(f.RateRank, f.RateRanked) + " by rate"
		}
		parts = append(parts, r)
	}
	return strings.Join(parts, "; ") + "."
}

// changeMapSpec is every force's percentage change on the map.
func changeMapSpec(rep *pipeline.Report, t pipeline.Topic, id string, chosen map[string]bool) mapSpec {
	spec := mapSpec{
		ID: id, Heading: "Every force on the map", Diverging: true, Legend: "% change", Chosen: chosen,
		Desc: fmt.Sprintf("Map of the police forces of England and Wales coloured by the percentage change in %s, %s.", phraseFor(t.Name).plural, sayWindow(rep)),
		Note: "Colour runs from blue (a fall) through white to red (a rise); each force is labelled with its change to the nearest whole per cent.",
	}
	for _, f := range t.Areas {
		if f.AreaKind != datasets.KindForce {
			continue
		}
		v := mapValue{Code: f.AreaCode, Name: sayAreaName(f)}
		if f.HasPct {
			v.Has, v.Value, v.Label = true, f.PctChange, wholePct(f.PctChange)
		}
		spec.Values = append(spec.Values, v)
	}
	return spec
}

// shortData fills an offence page for data too short for a change on a
// year earlier: the months there are, a line of the chosen forces' months,
// a map of the latest month and every area's months in a table.
func (s *site) shortData(d *offenceData, t pipeline.Topic) {
	rep := s.rep
	d.Short = sayShortData(rep, t)
	var mine []pipeline.MonthlySeries
	for _, f := range s.forces {
		if ms, ok := monthlyOf(t, f.Code); ok {
			mine = append(mine, ms)
		}
	}
	if len(mine) == 0 && len(t.Monthly) <= len(forceColours) {
		mine = t.Monthly
	}
	if b, ok := monthlyBlock(t, "monthly-"+t.ID, mine, eventsFor(t.Events, datasets.CodeEnglandWales)); ok {
		d.Monthly = &b
	}
	_, last := monthlySpan(t)
	spec := mapSpec{ID: "monthmap-" + t.ID, Heading: "The latest month on the map", Legend: "offences in " + last.Label(), Chosen: s.chosen,
		Desc: fmt.Sprintf("Map of the police forces of England and Wales coloured by the number of %s recorded in %s.", phraseFor(t.Name).plural, last.Label()),
		Note: fmt.Sprintf("Colour runs from pale (few) to blue (many offences recorded in %s); each force is labelled with its count. Counts are not rates: a large force records more. The table below gives every month.", last.Label())}
	var months []datasets.Month
	seen := map[datasets.Month]bool{}
	for _, ms := range t.Monthly {
		for _, p := range ms.Periods {
			if !seen[p.End] {
				seen[p.End] = true
				months = append(months, p.End)
			}
		}
		if a, ok := datasets.AreaByCode(ms.AreaCode); !ok || a.Kind != datasets.KindForce {
			continue
		}
		v := mapValue{Code: ms.AreaCode, Name: sayCodeName(ms.AreaCode)}
		if p := ms.Periods[len(ms.Periods)-1]; p.End == last {
			v.Has, v.Value, v.Label = true, float64(p.Count), sayCount(p.Count)
		}
		spec.Values = append(spec.Values, v)
	}
	if b, ok := mapBlock(spec, s.meta.Boundaries, s.meta.BoundaryCodeProperty); ok {
		d.MonthlyMap = &b
	}
	sortMonths(months)
	tbl := dataTable{ID: "months-" + t.ID, Caption: fmt.Sprintf("%s recorded each month, by area", sayTopicTitle(t)), Head: []string{"Area"}, Sortable: true}
	for _, m := range months {
		tbl.Head = append(tbl.Head, m.Label())
	}
	for _, ms := range t.Monthly {
		row := tableRow{Chosen: s.chosen[ms.AreaCode], Cells: []tableCell{{Text: sayCodeName(ms.AreaCode)}}}
		for _, m := range months {
			c := tableCell{Num: true}
			for _, p := range ms.Periods {
				if p.End == m {
					c.Text, c.Sort = sayCount(p.Count), fmt.Sprint(p.Count)
				}
			}
			row.Cells = append(row.Cells, c)
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	d.MonthTable = &tbl
}

func sortMonths(ms []datasets.Month) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j] < ms[j-1]; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}
