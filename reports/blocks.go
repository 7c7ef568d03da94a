package reports

import "fmt"

// sectionBlocks are the charts of one section on a force's page, in order,
// each with the table behind it. s is the section as the force page shows
// it: its Series hold that force (and England and Wales), its Comparisons
// that force's. The order: trend, change with its 95% interval, rates per
// 1,000 beside the comparators, index, SPC chart, and the force's own
// extract against the published figures. A chart whose data are
// absent (no comparisons, no rates, no monthly series...) is left out.
func sectionBlocks(v View, s Section) []chartBlock {
	out := []chartBlock{trendBlock(s)}
	out = append(out, changeBlocks(s)...)
	out = append(out, rateBlocks(s)...)
	if b, ok := indexBlock(s); ok {
		out = append(out, b)
	}
	out = append(out, spcBlocks(s)...)
	if b, ok := reconcileBlock(s); ok {
		out = append(out, b)
	}
	return out
}

// offenceBlocks are the charts of one section on its national page:
// trend, ranking by percentage change, every force's rate per 1,000 (when
// the ranking has rates) and the map of change by force.
func offenceBlocks(v View, s Section) []chartBlock {
	out := []chartBlock{trendBlock(s), rankBlock(s)}
	if b, ok := forceRatesBlock(s); ok {
		out = append(out, b)
	}
	if b, ok := mapBlock(v, s); ok {
		out = append(out, b)
	}
	return out
}

// overviewBlocks are the charts of the national overview page. For each
// source, in the order its sections first appear: the map of change by
// force for its first section (its first offence), then, when the source
// has two or more sections, the heat map of change by force and offence.
func overviewBlocks(v View) []chartBlock {
	var out []chartBlock
	for _, secs := range overviewSources(v) {
		if b, ok := mapBlock(v, secs[0]); ok {
			out = append(out, b)
		}
		if b, ok := heatBlock(secs); ok {
			out = append(out, b)
		}
	}
	return out
}

func trendBlock(s Section) chartBlock {
	t := blockTable{
		Caption: fmt.Sprintf("%s of %s", totalsName(s), phraseFor(s.Offence).plural),
		Header:  []string{"Area", periodAxis(s), "Recorded", "A year earlier", "Change", "% change", "Note"},
	}
	for _, r := range trendRows(s) {
		t.Rows = append(t.Rows, figureCells([]blockCell{{Text: r.Area}, {Text: r.PeriodEnd.Label()}}, r.Figure))
	}
	return newChartBlock(trendChartID(s), totalsName(s), trendChart(s), trendNote(s)+eventsSentence(trendEvents(s)), t)
}

func rankBlock(s Section) chartBlock {
	t := blockTable{
		Caption: fmt.Sprintf("Recorded %s by force, %d months to %s", phraseFor(s.Offence).plural, s.Months, s.PeriodEnd.Label()),
		Header:  []string{"Rank", "Force", "Chosen", "Recorded", "A year earlier", "Change", "% change", "Note"},
	}
	for _, r := range s.Ranking {
		rank, chosen := "", ""
		if r.Rank > 0 {
			rank = fmt.Sprint(r.Rank)
		}
		if r.Chosen {
			chosen = "★ chosen"
		}
		row := figureCells([]blockCell{{Text: rank, Num: true}, {Text: r.AreaName}, {Text: chosen}}, r.Figure)
		if r.Chosen {
			for i := range row {
				row[i].Strong = true
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return newChartBlock(rankChartID(s), "Percentage change by force", rankChart(s), rankNote(s), t)
}

// figureCells appends a Figure's count, previous, change, % change and note
// cells to lead.
func figureCells(lead []blockCell, f Figure) []blockCell {
	if !f.Present {
		return append(lead, blockCell{Num: true}, blockCell{Num: true}, blockCell{Num: true}, blockCell{Num: true}, blockCell{Text: "no figure for this period"})
	}
	prev, change, pct := "", "", ""
	if f.HasPrevious {
		prev, change = formatCount(f.Previous), signedCount(f.Change)
	}
	if f.HasPct {
		pct = tablePct(f.PctChange)
	}
	return append(lead,
		blockCell{Text: formatCount(f.Count), Num: true},
		blockCell{Text: prev, Num: true},
		blockCell{Text: change, Num: true},
		blockCell{Text: pct, Num: true},
		blockCell{Text: f.Note})
}

// signedCount is a change in a table: "+1,234", "-56", "0".
func signedCount(n int64) string {
	if n > 0 {
		return "+" + formatCount(n)
	}
	return formatCount(n)
}

// tablePct is a percentage change in a table, as trends.csv rounds it:
// "+14.6%", "-3.0%", "0.0%".
func tablePct(p float64) string {
	s := FormatPct(p) + "%"
	if roundPct(p) > 0 {
		s = "+" + s
	}
	return s
}
