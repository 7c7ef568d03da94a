package reports

import (
	"fmt"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// forceData is a chosen force's page.
type forceData struct {
	Name     string
	Tables   []dataTable // every offence, when the report has more than one
	Sections []forceSection
	Notes    []string
}

// forceSection is one offence on a force page: the card, the one chart
// answering "how has it moved?", the comparators, the other sources'
// figures for the same question; the control chart and the interval chart
// one step away.
type forceSection struct {
	ID, Title string
	Card      card
	// Footnotes are ONS's footnotes to the quoted figure, as printed.
	Footnotes   []string
	Trend       *chartBlock
	TrendText   string
	Monthly     *chartBlock
	Comparators *dataTable
	Quoted      string
	Others      *dataTable
	Control     *chartBlock
	ControlText string
	Signals     []string
	Interval    *chartBlock
	// Outcomes is what happened to the crimes recorded (data.police.uk
	// outcomes), with its caveat and notes; OutcomesText says why there is
	// no table.
	Outcomes      *dataTable
	OutcomesNotes []string
	OutcomesText  string
}

// HasMore reports whether the section has anything behind "More".
func (f forceSection) HasMore() bool {
	return f.Control != nil || f.ControlText != "" || f.Interval != nil
}

func (s *site) forcePage(i int) (pageOut, error) {
	rep := s.rep
	ref := s.forces[i]
	d := forceData{Name: ref.Name}
	charts := false
	var shown []pipeline.Figure
	if len(rep.Topics) > 1 {
		d.Tables = offenceTables(rep, i, ref.Name, func(t pipeline.Topic) string { return "#" + t.ID })
	}
	for _, t := range rep.Topics {
		if i >= len(t.Answers) {
			continue
		}
		a := t.Answers[i]
		shown = append(shown, a.Figure)
		sec := forceSection{ID: t.ID, Title: sayTopicTitle(t)}
		sec.Card = forceCard(rep, t, a, "card-"+t.ID, offencePageName(t))
		sec.Card.Title, sec.Card.More = "", "Every force: "+lowerFirst(sayTopicTitle(t))
		sec.Footnotes = a.Figure.Footnotes
		events := eventsFor(t.Events, ref.Code, datasets.CodeEnglandWales)
		lines := append([]pipeline.Line{a.Series, a.National}, a.Peers...)
		if a.Figure.Present {
			if b, text, ok := trendBlock(rep, t, "trend-"+t.ID, lines, events); ok {
				sec.Trend = &b
			} else {
				sec.TrendText = text
			}
		} else if ms, ok := monthlyOf(t, ref.Code); ok {
			if b, ok := monthlyBlock(t, "monthly-"+t.ID, []pipeline.MonthlySeries{ms}, events); ok {
				sec.Monthly = &b
			}
		}
		if len(a.Comparators) > 0 {
			tbl := comparatorsTable(rep, t, a)
			sec.Comparators = &tbl
		}
		if a.Figure.Present && len(a.Others) > 0 {
			sec.Quoted = sayQuoted(rep, a.Figure)
			tbl := othersTable(rep, t, a)
			sec.Others = &tbl
		}
		if b, ok := controlBlock("control-"+t.ID, ref.Name, t, a.Control, events); ok {
			sec.Control = &b
			for _, sg := range a.Control.Signals {
				sec.Signals = append(sec.Signals, sg.Text)
			}
		}
		sec.ControlText = a.Control.Summary
		if a.Figure.Present {
			if b, ok := intervalBlock(rep, t, a, "interval-"+t.ID); ok {
				sec.Interval = &b
			}
		}
		if a.Outcomes != nil {
			tbl := outcomesTable(*a.Outcomes)
			sec.Outcomes = &tbl
			sec.OutcomesNotes = append([]string{a.Outcomes.Caveat}, a.Outcomes.Notes...)
		} else {
			sec.OutcomesText = a.OutcomesNote
		}
		charts = charts || sec.Trend != nil || sec.Monthly != nil || sec.Control != nil || sec.Interval != nil
		d.Sections = append(d.Sections, sec)
	}
	d.Notes = s.pageNotes(rep.Topics, map[string]bool{ref.Code: true})
	main, err := body("force", d)
	if err != nil {
		return pageOut{}, err
	}
	return pageOut{Name: ref.Page, Kind: "force", Title: ref.Name + ": offences recorded by the police", Main: main, Charts: charts,
		Sources: sourcesOf(rep, shown...)}, nil
}

// outcomesTable sets out what happened to the crimes a force recorded: each
// outcome group's count and share with its 95% interval, beside England and
// Wales excluding the force.
func outcomesTable(o pipeline.OutcomeShares) dataTable {
	window := o.Start.Label()
	if o.End != o.Start {
		window = o.Start.Label() + " to " + o.End.Label()
	}
	tbl := dataTable{
		Caption: fmt.Sprintf("%s, %s: outcomes recorded in %s, by what happened (%s outcomes)", o.AreaName, lowerFirst(o.Label), window, sayCount(o.Total)),
		Head:    []string{"Outcome", "Outcomes", "Share (95% interval)"},
	}
	if o.HasNational {
		tbl.Head = append(tbl.Head, o.NationalLabel+": share (95% interval)")
	}
	share := func(has bool, v, lo, hi float64) string {
		if !has {
			return ""
		}
		return fmt.Sprintf("%s (%s to %s)", sayPct(100*v), sayPct(100*lo), sayPct(100*hi))
	}
	for _, g := range o.Groups {
		cells := []tableCell{{Text: g.Label}, {Text: sayCount(g.Count), Num: true}, {Text: share(g.HasShare, g.Share, g.Lo, g.Hi), Num: true}}
		if o.HasNational {
			cells = append(cells, tableCell{Text: share(g.HasNationalShare, g.NationalShare, g.NationalLo, g.NationalHi), Num: true})
		}
		tbl.Rows = append(tbl.Rows, tableRow{Cells: cells})
	}
	return tbl
}

// othersTable sets the quoted figure beside every other source's figure
// for the same force, offence and window, with the difference and why the
// two differ.
func othersTable(rep *pipeline.Report, t pipeline.Topic, a pipeline.ForceAnswer) dataTable {
	q := a.Figure
	tbl := dataTable{
		Caption: fmt.Sprintf("%s, %s: the figure quoted and the other figures for the same months", a.Force.Name, lowerFirst(sayWindowTitle(rep))),
		Head:    []string{"Source", "Recorded", "% change", "Difference from the figure quoted", "Why they differ"},
	}
	row := func(f pipeline.Figure) []tableCell {
		cells := []tableCell{{Text: sayFigureSource(f)}, countCell(f.HasCount, f.Count), {Num: true}}
		if f.HasPct {
			cells[2].Text = saySignedPct(f.PctChange)
		}
		return cells
	}
	quoted := row(q)
	quoted = append(quoted, tableCell{Text: "quoted"}, tableCell{})
	tbl.Rows = append(tbl.Rows, tableRow{Chosen: true, Cells: quoted})
	for _, o := range a.Others {
		cells := row(o)
		diff, why := "", o.Note
		for _, r := range rep.Reconciliation {
			if r.AreaCode == a.Force.Code && r.Topic == t.ID && r.End == q.PeriodEnd && r.Other.Source == o.Source && r.Other.Release == o.Release {
				if r.HasPct {
					diff = fmt.Sprintf("%s (%s)", saySignedCount(r.Difference), saySignedPct(r.PctDifference))
				} else {
					diff = saySignedCount(r.Difference)
				}
				why = r.Reason
				break
			}
		}
		cells = append(cells, tableCell{Text: diff, Num: true}, tableCell{Text: why})
		tbl.Rows = append(tbl.Rows, tableRow{Cells: cells})
	}
	return tbl
}
