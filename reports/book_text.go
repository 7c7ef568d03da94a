package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// Licence is the licence of every source the reports use.
const Licence = "Open Government Licence v3.0"

// LicenceURL is where Licence is published.
const LicenceURL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

// The text sheets (Cover, Notes, Sources) are written with the ordinary
// cell API: they are short, and the Cover links to every sheet.

// coverColumns: the Cover's key-figure table, whose last column holds the
// figures in words.
var coverColumns = []column{
	{"Area", 30, kindWrap},
	{"Count", 11, kindCount},
	{"Previous year", 11, kindCount},
	{"% change", 10, kindPct},
	{"In words", 76, kindWrap},
}

// keyFigureRows are the key figures of a topic: each chosen force's
// quoted figure, then England and Wales's.
func keyFigureRows(rep *pipeline.Report, t pipeline.Topic) []struct {
	f     pipeline.Figure
	words string
} {
	type row = struct {
		f     pipeline.Figure
		words string
	}
	var out []row
	join := func(parts ...string) string {
		var keep []string
		for _, p := range parts {
			if p != "" {
				keep = append(keep, p)
			}
		}
		return strings.Join(keep, " ")
	}
	for _, a := range t.Answers {
		if !a.Figure.Present {
			text := fmt.Sprintf("There is no figure for %s for %s.", a.Force.Name, sayWindow(rep))
			for _, n := range t.Notes {
				if n.Area == a.Force.Code {
					text = n.Text
				}
			}
			out = append(out, row{pipeline.Figure{AreaName: a.Force.Name}, text})
			continue
		}
		out = append(out, row{a.Figure, join(sayHeadline(t, a.Figure, rep), sayInterval(a.Figure), sayAgainst(a), rankSentence(a.Figure))})
	}
	if t.National.Present {
		out = append(out, row{t.National, join(sayHeadline(t, t.National, rep), sayInterval(t.National), sayRises(t, rep))})
	}
	return out
}

// rankSentence is "Ranked 3rd of the 41 forces with a percentage change
// (1 is the largest rise) and 7th of 41 by rate per 1,000 residents (3.0;
// mid-2018 population)." Empty when fewer than two forces are ranked.
func rankSentence(f pipeline.Figure) string {
	var parts []string
	if f.Rank > 0 && f.Ranked > 1 {
		parts = append(parts, fmt.Sprintf("%s of the %s forces with a percentage change (1 is the largest rise)", ordinal(f.Rank), sayNumber(f.Ranked)))
	}
	if f.RateRank > 0 && f.RateRanked > 1 {
		parts = append(parts, fmt.Sprintf("%s of %s by rate per 1,000 residents (%s; %s population)", ordinal(f.RateRank), sayNumber(f.RateRanked), sayRate(f.Rate), f.PopulationVintage))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Ranked " + strings.Join(parts, " and ") + "."
}

// sentence starts a sentence with s: its first letter in capitals, except
// for a name that is always written in lower case ("data.police.uk").
func sentence(s string) string {
	if strings.HasPrefix(s, "data.police.uk") {
		return s
	}
	return upperFirst(s)
}

// sourceLine is saySource with data.police.uk written as it always is,
// in lower case.
func sourceLine(rep *pipeline.Report, f pipeline.Figure) string {
	s := saySource(rep, f)
	if rest, ok := strings.CutPrefix(s, "Data.police.uk"); ok {
		return "data.police.uk" + rest
	}
	return s
}

// fullStop ends a non-empty sentence with a full stop.
func fullStop(s string) string {
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// contentsLine is one sheet of the Cover's contents.
type contentsLine struct{ sheet, what string }

func writeCover(f *excelize.File, sheet string, rep *pipeline.Report, meta Meta, contents []contentsLine, st bookStyles) error {
	width := totalWidth(coverColumns)
	g := newGrid(f, sheet, st, gridLayout{widths: widthsOf(coverColumns),
		print: printSetup{footer: reportTitle(rep) + ". crimetrends " + meta.Version, synthetic: meta.Synthetic}})
	g.line(0, excelize.Cell{StyleID: st.title, Value: reportTitle(rep)})
	g.line(0, "Offences recorded by the police in England and Wales: not a count of all crime.")
	if meta.Synthetic {
		g.line(0, excelize.Cell{StyleID: st.banner, Value: SyntheticBanner})
	}
	g.text(st.subtitle, sayPeriodLine(rep), len(coverColumns), width)
	for _, t := range keyTopics(rep) {
		g.skip(1)
		g.line(0, excelize.Cell{StyleID: st.heading, Value: sayTopicTitle(t) + ": " + lowerFirst(sayWindowTitle(rep))})
		rows := keyFigureRows(rep, t)
		if len(rows) == 0 {
			g.text(st.subtitle, t.Empty, len(coverColumns), width)
			continue
		}
		head := make([]any, len(coverColumns))
		for i, c := range coverColumns {
			head[i] = excelize.Cell{StyleID: st.header, Value: c.head}
		}
		g.line(30, head...)
		for _, r := range rows {
			var count, prev, pct any
			if r.f.Present && r.f.HasCount {
				count = r.f.Count
			}
			if r.f.HasPrevious {
				prev = r.f.Previous
			}
			if r.f.HasPct {
				pct = round1(r.f.PctChange)
			}
			g.line(textHeight(r.words, coverColumns[4].width, 11), st.cell(kindWrap, false, r.f.AreaName), st.cell(kindCount, false, count),
				st.cell(kindCount, false, prev), st.cell(kindPct, false, pct), st.cell(kindWrap, false, r.words))
		}
		src := t.National
		if !src.Present && len(t.Areas) > 0 {
			src = t.Areas[0]
		}
		if src.Present {
			g.text(st.subtitle, "Source: "+sourceLine(rep, src), len(coverColumns), width)
		}
	}
	g.skip(1)
	g.line(0, excelize.Cell{StyleID: st.heading, Value: "Contents"})
	g.line(0, excelize.Cell{StyleID: st.header, Value: "Sheet"}, excelize.Cell{StyleID: st.header, Value: "What it holds"})
	g.merge(2, len(coverColumns))
	for _, c := range contents {
		g.line(textHeight(c.what, width-coverColumns[0].width, 11), c.sheet, st.cell(kindWrap, false, c.what))
		g.merge(2, len(coverColumns))
		g.link(1, c.sheet)
	}
	g.skip(1)
	g.line(0, excelize.Cell{StyleID: st.heading, Value: "About this workbook"})
	about := "Made by crimetrends " + meta.Version
	if !meta.GeneratedAt.IsZero() {
		about += " on " + meta.GeneratedAt.UTC().Format("2 January 2006 at 15:04 UTC")
	}
	g.text(st.subtitle, about+". The same data and request give the same workbook, byte for byte.", len(coverColumns), width)
	g.text(st.subtitle, "Contains public sector information licensed under the "+Licence+" ("+LicenceURL+"). Police recorded crime is official statistics (not accredited); force extracts and data.police.uk are management information.", len(coverColumns), width)
	g.onePage(width)
	return g.close()
}

// notesColumns: a term and what it means.
var notesColumns = []column{{"Term", 30, kindWrap}, {"Meaning", 110, kindWrap}}

// noteLine is one term of the Notes sheet and its text.
type noteLine struct{ term, text string }

// definitions are the Notes sheet's definitions, worded with this report's
// window, minimum base and sources.
func definitions(rep *pipeline.Report) []noteLine {
	win := sayWindow(rep)
	before := rep.Window.Describe(rep.PeriodEnd.Add(-12))
	out := []noteLine{
		{"Recorded offences", "Notifiable offences recorded by the police (the 43 territorial forces and British Transport Police) under the Home Office Counting Rules. They are not a count of all crime that happened: they move with reporting, recording practice and police activity."},
		{"Window", fmt.Sprintf("Every figure on the ranking and comparison sheets is for %s, compared with %s. The Figures sheet gives the %s for every period the data covers; its Months column is each window's length, and a series compares windows of one length.", win, before, sayWindowTotals(rep.Window))},
		{"Change and % change", fmt.Sprintf("Change is the count minus the count a year earlier; %% change is it as a percentage of the earlier count, to one decimal place. No percentage is given when the earlier count is under %d: on a small base it swings wildly (ONS prints \"-\" in the same case). ONS publishes the percentage change, not the earlier count: for its figures the earlier count is derived from the percentage.", rep.MinBase)},
		{"95% interval and verdict", "The exact 95% interval of the change, treating the two counts as Poisson, written as percentage changes. The verdict is \"rise\" or \"fall\" when the whole interval lies above or below no change, and \"about the same\" when it includes no change: the change is then within what chance alone would give."},
		{"Against the rest of England and Wales", "The force's ratio of this year's count to last year's, divided by the same ratio for England and Wales without the force, with its 95% interval: \"higher\" or \"lower\" when the interval lies wholly above or below 1, \"about the same\" when it includes 1."},
		{"Rate per 1,000", "Offences per 1,000 residents over the window, from ONS mid-year population estimates; the population's vintage (\"mid-2018\") is given beside each rate. Published figures keep the rate their release printed. British Transport Police and City of London have no meaningful resident population and no rate rank."},
		{"Ranks", pipeline.RankRule},
		{"Like for like", fmt.Sprintf("Every total built from forces (England and Wales, a country, a region, a peer group) leaves a force without complete figures for both years out of both, and is given only when at most %d of its forces, and fewer than half of them, are left out; its name says whom it leaves out (\"England and Wales excluding Greater Manchester\"). A comparison with a chosen force leaves that force out of the group.", pipeline.MaxLeftOut)},
		{"Chosen forces", "The forces the report was asked about. Their rows are marked \"yes\" in the Chosen column and shaded; on the charts their bars are orange and named in the title."},
		{"Blank cells", "A blank is a figure that is missing or not given, never a zero."},
	}
	return out
}

// quoteRule says which figure is quoted, with the sources of this dataset
// in their order.
func quoteRule(rep *pipeline.Report) []noteLine {
	out := []noteLine{{"Which figure is quoted", "Where several sources give a figure for the same area, offence and window, the report quotes the first of these that has one, and sets the others beside it on the Reconciliation sheet:"}}
	for _, s := range rep.Sources {
		out = append(out, noteLine{fmt.Sprintf("%d. %s", s.Rank, s.Name), fmt.Sprintf("%s: %s.", s.Status, s.Why)})
	}
	return out
}

// caveats are the caveats that bear on this report's figures: recording
// breaks inside the windows compared, gaps in the sources, the report's
// and each offence's notes, the run's own notes.
func caveats(rep *pipeline.Report, meta Meta) []noteLine {
	var out []noteLine
	seen := map[string]bool{}
	add := func(term, text string) {
		if text == "" || seen[term+"\x00"+text] {
			return
		}
		seen[term+"\x00"+text] = true
		out = append(out, noteLine{term, text})
	}
	if meta.Synthetic {
		add("Synthetic data", "Every figure in this workbook is made up for testing and demonstration; none is a real police figure.")
	}
	for _, n := range meta.Notes {
		add("Since the previous report", n)
	}
	breaks := map[string][]string{}
	var order []datasets.Break
	for _, t := range rep.Topics {
		for _, b := range t.Breaks {
			if _, ok := breaks[b.ID]; !ok {
				order = append(order, b)
			}
			breaks[b.ID] = append(breaks[b.ID], sayTopicTitle(t))
		}
	}
	for _, b := range order {
		var names []string
		for _, n := range breaks[b.ID] {
			names = append(names, lowerFirst(n))
		}
		add("Recording change, "+b.Month.Label(), fmt.Sprintf("%s It falls inside the two years compared for %s, so their change is not like for like (source: %s).", b.Effect, joinAnd(names), b.Source))
	}
	for _, c := range meta.Completeness {
		var gaps []string
		for _, a := range c.Areas {
			if r := missingRanges(c.Months, a.Covered); r != "" {
				gaps = append(gaps, a.AreaName+" ("+r+")")
			}
		}
		if len(gaps) > 0 {
			add("Gaps in "+completenessSourceName(c.Source), fmt.Sprintf("%s has no data for %s. A missing month is not a fall: a window with one has no figure, and totals leave the area out like for like.",
				sentence(completenessSourceName(c.Source)), joinAnd(gaps)))
		}
	}
	for _, n := range rep.Notes {
		add("This report", n.Text)
	}
	for _, t := range rep.Topics {
		for _, n := range t.Notes {
			add(sayTopicTitle(t), n.Text)
		}
	}
	return out
}

func writeNotes(f *excelize.File, sheet string, rep *pipeline.Report, meta Meta, st bookStyles) error {
	width := notesColumns[1].width
	g := newGrid(f, sheet, st, gridLayout{widths: widthsOf(notesColumns), print: printSetup{footer: "Notes. " + reportTitle(rep), synthetic: meta.Synthetic}})
	g.line(0, excelize.Cell{StyleID: st.title, Value: "Notes: " + reportTitle(rep)})
	if meta.Synthetic {
		g.line(0, excelize.Cell{StyleID: st.banner, Value: SyntheticBanner})
	}
	section := func(title string, lines []noteLine) {
		if len(lines) == 0 {
			return
		}
		g.skip(1)
		g.line(0, excelize.Cell{StyleID: st.heading, Value: title})
		for _, l := range lines {
			g.line(max(textHeight(l.text, width, 11), textHeight(l.term, notesColumns[0].width, 11)),
				st.cell(kindWrap, false, l.term), st.cell(kindWrap, false, l.text))
		}
	}
	section("Definitions", definitions(rep))
	section("The rules behind the figures", quoteRule(rep))
	always := []noteLine{
		{"Not all crime", "Police recorded crime is not a count of all crime. The Crime Survey for England and Wales is the better guide to long-run trends; recorded crime is most reliable for short-term change in well-reported offences. Say \"offences recorded by the police rose by ...\", never \"crime rose by ...\"."},
		{"Small numbers", fmt.Sprintf("Small numbers swing widely: read every percentage beside its counts. No percentage is given on an earlier count under %d.", rep.MinBase)},
	}
	section("Caveats that bear on these figures", append(caveats(rep, meta), always...))
	var foot []noteLine
	for _, t := range rep.Topics {
		for i, n := range commonFootnotes(t.Areas) {
			term := ""
			if i == 0 {
				term = sayTopicTitle(t)
			}
			foot = append(foot, noteLine{term, n})
		}
	}
	section("ONS's footnotes to every figure of an offence", foot)
	section("Licence", []noteLine{{"Licence", "Crown copyright. Contains public sector information licensed under the " + Licence + ": " + LicenceURL}})
	g.onePage(totalWidth(notesColumns))
	return g.close()
}

// sourcesColumns serve the Sources sheet's four tables.
var sourcesColumns = []column{{"", 40, kindWrap}, {"", 16, kindWrap}, {"", 14, kindWrap}, {"", 70, kindWrap}}

func writeSources(f *excelize.File, sheet string, rep *pipeline.Report, meta Meta, st bookStyles) error {
	g := newGrid(f, sheet, st, gridLayout{widths: widthsOf(sourcesColumns), print: printSetup{footer: "Sources. " + reportTitle(rep), synthetic: meta.Synthetic}})
	g.line(0, excelize.Cell{StyleID: st.title, Value: "Sources and provenance: " + reportTitle(rep)})
	table := func(title, name string, head []string, rows [][]any) {
		g.skip(1)
		g.line(0, excelize.Cell{StyleID: st.heading, Value: title})
		cells := make([]any, len(head))
		for i, h := range tableHeader(head) {
			cells[i] = excelize.Cell{StyleID: st.header, Value: h}
		}
		g.line(0, cells...)
		top := g.row
		for _, r := range rows {
			h := 0.0
			for i, v := range r {
				if c, ok := v.(excelize.Cell); ok {
					if s, ok := c.Value.(string); ok {
						h = max(h, textHeight(s, sourcesColumns[i].width, 11))
					}
				}
			}
			if h <= 15 {
				h = 0
			}
			g.line(h, r...)
		}
		g.table(name, top, g.row, len(head))
	}
	w := func(v any) any { return st.cell(kindWrap, false, v) }
	var rows [][]any
	for _, s := range rep.Sources {
		at := "no figure for " + sayWindow(rep)
		if s.AtPeriod {
			at = "figures for " + sayWindow(rep)
		}
		rows = append(rows, []any{w(s.Name), st.cell(kindRank, false, s.Rank), w(s.First.Label() + " to " + s.Last.Label()),
			w(fmt.Sprintf("%s. %s; %s. Quoted %s: %s.", s.Status, upperFirst(s.Grain), at, ordinal(s.Rank), s.Why))})
	}
	table("Every source in the dataset, in the order its figures are quoted", "Sources", []string{"Source", "Quote order", "Covers", "Status, grain and why it is quoted where it is"}, rows)
	rows = nil
	for _, s := range rep.Sources {
		for _, r := range s.Releases {
			rows = append(rows, []any{w(r.Name), w(r.PeriodEnd.Label()), w(r.ID), w(r.File)})
		}
	}
	if len(rows) > 0 {
		table("Statistical releases", "Releases", []string{"Release", "Year ending", "Release ID", "File"}, rows)
	}
	rows = nil
	for _, in := range meta.Inputs {
		rows = append(rows, []any{w(in.Name), w(in.Source), st.cell(kindCount, false, in.Rows), w(in.SHA256)})
	}
	if len(rows) > 0 {
		table("Input files (named without the folders they were read from)", "Inputs", []string{"File", "Source", "Rows read", "SHA-256"}, rows)
	}
	rows = nil
	for _, v := range meta.Vintages {
		rows = append(rows, []any{w(v.ID), w(v.IngestedAt.UTC().Format("2006-01-02 15:04")), st.cell(kindCount, false, int64(v.Inputs))})
	}
	if len(rows) > 0 {
		table("Dataset vintages read", "Vintages", []string{"Vintage", "Ingested", "Input files"}, rows)
	}
	g.skip(1)
	g.text(st.subtitle, "Crown copyright. Contains public sector information licensed under the "+Licence+" ("+LicenceURL+").", len(sourcesColumns), totalWidth(sourcesColumns))
	g.onePage(totalWidth(sourcesColumns))
	return g.close()
}
