package reports

import (
	"fmt"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// card is one key figure: a force's (or England and Wales's) quoted figure
// for one offence, its change in plain words, England and Wales beside it,
// the verdict, and its source and window in small type.
type card struct {
	ID       string
	Title    string // "Wiltshire: stalking and harassment"
	Count    string // "2,182"
	Unit     string // "offences recorded"
	Move     string // "up 14.6% on a year earlier (1,904)"
	Dir      string // "up", "down" or ""
	National string // "England and Wales: up 41.3%"
	Verdict  string // the force against the rest of England and Wales, or how many forces rose
	Small    string // window, source, status, interval
	Empty    string // instead of a figure
	Href     string // where the offence is told in full
	More     string // the link's text
}

// forceCard is a chosen force's card for one topic.
func forceCard(rep *pipeline.Report, t pipeline.Topic, a pipeline.ForceAnswer, id, href string) card {
	c := card{ID: id, Title: a.Force.Name + ": " + lowerFirst(sayTopicTitle(t)), Href: href, More: "More on " + a.Force.Name}
	f := a.Figure
	if !f.Present || !f.HasCount {
		if ms, ok := monthlyOf(t, a.Force.Code); ok {
			monthlyCard(&c, rep, t, ms)
			return c
		}
		c.Empty = fmt.Sprintf("There is no figure for %s for %s.", a.Force.Name, sayWindow(rep))
		for _, n := range t.Notes {
			if n.Area == a.Force.Code {
				c.Empty = n.Text
			}
		}
		if t.Empty != "" {
			c.Empty = t.Empty
		}
		return c
	}
	fillCard(&c, rep, t, f)
	c.Verdict = sayAgainst(a)
	return c
}

// nationalCard is England and Wales's card for one topic, with how many
// forces rose.
func nationalCard(rep *pipeline.Report, t pipeline.Topic, id, href string) card {
	name := "England and Wales"
	if t.National.Present {
		name = sayAreaName(t.National)
	}
	c := card{ID: id, Title: name + ": " + lowerFirst(sayTopicTitle(t)), Href: href, More: "Every force"}
	if !t.National.Present || !t.National.HasCount {
		c.Empty = t.Empty
		if c.Empty == "" {
			c.Empty = fmt.Sprintf("There is no England and Wales figure for %s.", sayWindow(rep))
		}
		if len(t.Monthly) > 0 {
			c.Empty = sayShortData(rep, t)
		}
		return c
	}
	fillCard(&c, rep, t, t.National)
	c.Verdict = sayRises(t, rep)
	return c
}

func fillCard(c *card, rep *pipeline.Report, t pipeline.Topic, f pipeline.Figure) {
	c.Count = sayCount(f.Count)
	c.Unit = sayRecorded(t, f.Count)
	if mv := sayMove(f); mv != "" {
		c.Move = fmt.Sprintf("%s on a year earlier (%s)", mv, sayCount(f.Previous))
		c.Dir = sayDirection(f.Change)
	} else {
		c.Move = "No figure for a year earlier to compare with."
	}
	if f.AreaKind != datasets.KindNation && t.National.Present && t.National.HasPrevious {
		c.National = sayAreaName(t.National) + ": " + sayMove(t.National)
	}
	small := []string{sayWindowTitle(rep) + ".", saySource(rep, f)}
	if iv := sayInterval(f); iv != "" {
		small = append(small, iv)
	}
	c.Small = strings.Join(small, " ")
}

// monthlyOf is an area's monthly counts of a topic, if it has any.
func monthlyOf(t pipeline.Topic, code string) (pipeline.MonthlySeries, bool) {
	for _, ms := range t.Monthly {
		if ms.AreaCode == code && len(ms.Periods) > 0 {
			return ms, true
		}
	}
	return pipeline.MonthlySeries{}, false
}

// monthlyCard is a card for short data: the latest month's count, clearly
// without a change on a year earlier.
func monthlyCard(c *card, rep *pipeline.Report, t pipeline.Topic, ms pipeline.MonthlySeries) {
	last := ms.Periods[len(ms.Periods)-1]
	c.Count = sayCount(last.Count)
	c.Unit = sayRecorded(t, last.Count) + " in " + lowerFirst(sayMonthPeriod(last))
	c.Move = "No change on a year earlier yet."
	c.Verdict = sayShortData(rep, t)
	c.Small = upperFirst(pipeline.SourceName(ms.Source)) + ". " + sayStatusOf(rep, ms.Source) + "."
}

// offenceTables are one table of every offence for an area: the official
// offences, then the data.police.uk categories (another source, with
// categories of its own), each row as an ONS table row reads. force is the
// chosen force's index in rep.Forces, or -1 for England and Wales.
func offenceTables(rep *pipeline.Report, force int, name string, href func(pipeline.Topic) string) []dataTable {
	var out []dataTable
	for _, tax := range []string{pipeline.TaxonomyOfficial, pipeline.TaxonomyPoliceUK} {
		tbl := dataTable{}
		switch {
		case tax == pipeline.TaxonomyOfficial:
			tbl.Caption = fmt.Sprintf("%s: offences, %s", name, lowerFirst(sayWindowTitle(rep)))
		default:
			tbl.Caption = fmt.Sprintf("%s: data.police.uk categories, %s (management information in categories of its own, not comparable with the official offences)", name, lowerFirst(sayWindowTitle(rep)))
		}
		if force >= 0 {
			tbl.Head = []string{"Offence", "Recorded", "Change", "% change", "Rate per 1,000", "England and Wales % change", "Rank by rise"}
		} else {
			tbl.Head = []string{"Offence", "Recorded", "Change", "% change", "Rate per 1,000", "Forces with a rise"}
		}
		for _, t := range rep.Topics {
			if t.Taxonomy != tax {
				continue
			}
			f := t.National
			if force >= 0 {
				if force >= len(t.Answers) {
					continue
				}
				f = t.Answers[force].Figure
			}
			// The caption says which source; the rows give the names alone.
			row := tableRow{Cells: []tableCell{{Text: t.Name, Href: href(t)}}}
			row.Cells = append(row.Cells, figureCells(f)...)
			if !f.Present && len(t.Monthly) > 0 {
				row.Cells[1].Text = "monthly counts only"
			}
			if force >= 0 {
				nat := tableCell{Num: true}
				if t.National.HasPct {
					nat.Text, nat.Class = saySignedPct(t.National.PctChange), sayDirection(t.National.Change)
				}
				row.Cells = append(row.Cells, nat, tableCell{Text: sayRankOf(f.Rank, f.Ranked), Num: true})
			} else {
				rose := ""
				if t.Compared > 0 {
					rose = fmt.Sprintf("%d of %d", t.Rose, t.Compared)
				}
				row.Cells = append(row.Cells, tableCell{Text: rose, Num: true})
			}
			tbl.Rows = append(tbl.Rows, row)
		}
		if len(tbl.Rows) > 0 {
			out = append(out, tbl)
		}
	}
	return out
}

// figureCells are a figure's count, change, % change and rate cells.
func figureCells(f pipeline.Figure) []tableCell {
	cells := []tableCell{{Num: true}, {Num: true}, {Num: true}, {Num: true}}
	if !f.Present {
		return cells
	}
	if f.HasCount {
		cells[0].Text = sayCount(f.Count)
	} else if f.CountMarker != "" {
		cells[0].Text = "not available"
	}
	if f.HasPrevious {
		cells[1].Text, cells[1].Class = saySignedCount(f.Change), sayDirection(f.Change)
	}
	if f.HasPct {
		cells[2].Text, cells[2].Class = saySignedPct(f.PctChange), sayDirection(f.Change)
	}
	if f.HasRate {
		cells[3].Text = sayRate(f.Rate)
	}
	return cells
}
