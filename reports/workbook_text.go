package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// Licence is the licence of every source the reports use.
const Licence = "Open Government Licence v3.0"

// LicenceURL is where Licence is published.
const LicenceURL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

// textSheet writes a text sheet (Cover, Notes) row by row with the ordinary
// cell API. Strings go through SetCellStr, so no text ever becomes a
// formula. The first error stops every later write and is kept in err.
type textSheet struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

// line writes one row: a string per column, nil leaving a cell empty, an
// int64 as a count. style applies to every written cell (0: none).
func (ts *textSheet) line(style int, values ...any) {
	if ts.err != nil {
		return
	}
	ts.row++
	for i, val := range values {
		if val == nil {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(i+1, ts.row)
		if err != nil {
			ts.err = err
			return
		}
		switch x := val.(type) {
		case string:
			ts.err = ts.f.SetCellStr(ts.sheet, cell, x)
		case int64:
			ts.err = ts.f.SetCellInt(ts.sheet, cell, x)
		default:
			ts.err = fmt.Errorf("cell %s: unexpected value %T", cell, val)
		}
		if ts.err == nil && style != 0 {
			ts.err = ts.f.SetCellStyle(ts.sheet, cell, cell, style)
		}
		if ts.err != nil {
			return
		}
	}
}

// style sets the style of column col in the current row.
func (ts *textSheet) style(col, style int) {
	if ts.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, ts.row)
	if err == nil {
		err = ts.f.SetCellStyle(ts.sheet, cell, cell, style)
	}
	ts.err = err
}

// link makes column col of the current row a link to sheet's cell A1.
func (ts *textSheet) link(col int, sheet string, style int) {
	if ts.err != nil {
		return
	}
	cell, err := excelize.CoordinatesToCellName(col, ts.row)
	if err == nil {
		err = ts.f.SetCellHyperLink(ts.sheet, cell, quoteSheet(sheet)+"!A1", "Location")
	}
	if err == nil {
		err = ts.f.SetCellStyle(ts.sheet, cell, cell, style)
	}
	ts.err = err
}

func (ts *textSheet) widths(widths ...float64) {
	for i, wd := range widths {
		if ts.err != nil {
			return
		}
		col, err := excelize.ColumnNumberToName(i + 1)
		if err == nil {
			err = ts.f.SetColWidth(ts.sheet, col, col, wd)
		}
		ts.err = err
	}
}

// quoteSheet quotes a sheet name for a reference. Sheet names never hold an
// apostrophe (sheetName drops it), so none needs doubling.
func quoteSheet(sheet string) string { return "'" + sheet + "'" }

func sectionLabel(s Section) string { return s.Offence + " (" + s.SourceLabel + ")" }

// workbookSources lists each source of v's sections once, in order.
func workbookSources(v View) []Section {
	var out []Section
	seen := map[string]bool{}
	for _, s := range v.Sections {
		if !seen[s.Source] {
			seen[s.Source] = true
			out = append(out, s)
		}
	}
	return out
}

func writeCover(f *excelize.File, sheet string, v View, sections []SheetNames, st workbookStyles) error {
	ts := &textSheet{f: f, sheet: sheet}
	ts.line(st.title, v.Title)
	if v.Synthetic {
		ts.line(st.bold, SyntheticBanner)
	}
	for _, s := range workbookSources(v) {
		ts.line(0, s.SourceLabel+": "+s.Status+".")
	}
	ts.line(0, "Offences recorded by the police: not a count of all crime that happened. Definitions and caveats are on the Notes sheet.")

	ts.line(0)
	ts.line(st.bold, "Period")
	if len(v.Sections) == 0 {
		ts.line(0, "No 12-month figures to show.")
	}
	for _, s := range v.Sections {
		ts.line(0, sectionLabel(s), fmt.Sprintf("%d months to %s, compared with the %d months to %s",
			s.Months, s.PeriodEnd.Label(), s.Months, s.PeriodEnd.Add(-12).Label()))
	}

	ts.line(0)
	ts.line(st.bold, "Headlines")
	for _, s := range v.Sections {
		for _, h := range s.Headlines {
			ts.line(0, sectionLabel(s), h)
		}
	}

	ts.line(0)
	ts.line(st.bold, "Contents")
	ts.line(st.header, "Sheet", "What it holds")
	ts.line(0, SheetNotes, "Definitions, caveats, notes on these figures, and sources with their status and licence.")
	ts.link(1, SheetNotes, st.link)
	ts.line(0, SheetTrends, "Every trend row (the columns of trends.csv): table "+trendsTableName+", range name "+dataName("Trends", 0)+".")
	ts.link(1, SheetTrends, st.link)
	for i, s := range v.Sections {
		ts.line(0, sections[i].Series, fmt.Sprintf("%s: %s totals of the chosen forces and England and Wales, %s. Table %s, range name %s.",
			sectionLabel(s), windowAdjective(s), seriesChartNote(s), tableName("Series", i+1), dataName("Series", i+1)))
		ts.link(1, sections[i].Series, st.link)
		ts.line(0, sections[i].Ranking, fmt.Sprintf("%s: every force ranked by percentage change in %s, %s. Table %s, range name %s.",
			sectionLabel(s), sectionWindow(s), rankingChartNote(s), tableName("Ranking", i+1), dataName("Ranking", i+1)))
		ts.link(1, sections[i].Ranking, st.link)
		if c := sections[i].Compare; c != "" {
			ts.line(0, c, fmt.Sprintf("%s: each chosen force beside England and Wales, its country, its region and its peer groups, each built without the force, in %s, with rates per 1,000 and the population vintage. Table %s, range name %s.",
				sectionLabel(s), sectionWindow(s), tableName("Compare", i+1), dataName("Compare", i+1)))
			ts.link(1, c, st.link)
		}
	}
	if rs := reconciliations(v); len(rs) > 0 {
		ts.line(0, SheetReconciliation, fmt.Sprintf("The force's own extract beside the published figure for the same months: %d rows. Table %s, range name %s.",
			len(rs), tableName("Reconciliation", 0), dataName("Reconciliation", 0)))
		ts.link(1, SheetReconciliation, st.link)
	}
	for i, name := range completenessSheets(v) {
		c := v.Completeness[i]
		span := "no months"
		if len(c.Months) > 0 {
			span = c.Months[0].String() + " to " + c.Months[len(c.Months)-1].String()
		}
		ts.line(0, name, fmt.Sprintf("%s completeness, %s: for every force and BTP, each month covered (%s) or missing. A missing month is not a zero. Table %s, range name %s.",
			c.Source, span, CompletenessCovered, completenessTableName(i+1), dataName("Completeness", i+1)))
		ts.link(1, name, st.link)
	}

	ts.line(0)
	ts.line(st.bold, "Provenance")
	ts.line(0, "Produced by", strings.TrimSpace("crimetrends "+v.Version))
	if !v.GeneratedAt.IsZero() {
		ts.line(0, "Generated at", v.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z07:00"))
	}
	ts.line(0, "Licence", "Contains public sector information licensed under the "+Licence+": "+LicenceURL)
	if len(v.Inputs) > 0 {
		ts.line(0)
		ts.line(st.header, "Input", "Source", "Rows", "SHA-256")
		for _, in := range v.Inputs {
			ts.line(0, in.Name, in.Source, in.Rows, in.SHA256)
			ts.style(3, st.count)
		}
	}
	ts.widths(40, 110, 12, 66)
	return ts.err
}

// Definitions and caveats shown on the Notes sheet (DOMAIN.md sections 1, 5,
// 7 and 9).
var (
	workbookDefinitions = [][2]string{
		{"Recorded offences", "Notifiable offences recorded by the police (the 43 territorial forces and British Transport Police) under the Home Office Counting Rules and the National Crime Recording Standard. They are not a count of all crime that happened."},
		{"Rolling 12 months", "Each figure is the total for the 12 months ending with the month in period_end (YYYY-MM); months gives the window's length. The Trends sheet can hold other window lengths; the Series and Ranking sheets show 12-month windows only."},
		{"Year-on-year change", "change is count minus previous_count, the same window a year earlier; pct_change is change as a share of previous_count, stored as a fraction and shown as a percentage (0.146 is shown as 14.6%). Rises are marked ▲ and falls ▼."},
		{"Base under 50", fmt.Sprintf("No percentage change is given when previous_count is under %d: on a small base it swings wildly (1 to 9 is +800%%). ONS prints \"-\" in the same case. The counts are still shown.", datasets.MinBase)},
		{"England and Wales", "The 43 territorial police forces (39 in England, 4 in Wales) plus British Transport Police, which counts only in this total, in no force, region or country. Fraud is recorded by Action Fraud and industry bodies, not by forces."},
		{"Blank cells", "A blank is a figure that is missing or not given, never a zero."},
	}
	workbookCaveats = []string{
		"Police recorded crime is not a count of all crime. It moves with reporting, recording practice and police activity. The Crime Survey for England and Wales is the better guide to long-run trends; recorded crime is most reliable for short-term change in well-reported offences.",
		"Say \"offences recorded by the police rose by ...\", never \"crime rose by ...\".",
		"Police recorded crime lost its National Statistics status in January 2014 and is still not accredited: it is official statistics (not accredited). data.police.uk street-level data and force extracts are management information.",
		"Anti-social behaviour incidents are not crimes and are left out of every crime total; at force level, so is fraud.",
		"A missing month is not a fall: one missing month takes a twelfth out of a rolling year and reads as an 8% fall. Known gaps include Greater Manchester Police from July 2019, Devon and Cornwall in October-December 2022, and data.police.uk gaps for British Transport Police, City of London, Sussex and Gwent. Having a file for a month does not prove the month is whole.",
		"Small numbers swing widely: read every percentage beside its counts. This workbook gives counts, not rates; a rate needs a population estimate with the same coverage.",
	}
)

func writeNotes(f *excelize.File, sheet string, v View, st workbookStyles) error {
	ts := &textSheet{f: f, sheet: sheet}
	ts.line(st.title, "Notes")
	if v.Synthetic {
		ts.line(st.bold, SyntheticBanner)
	}

	ts.line(0)
	ts.line(st.bold, "Definitions")
	for _, d := range workbookDefinitions {
		ts.line(0, d[0], d[1])
		ts.style(2, st.wrap)
	}

	ts.line(0)
	ts.line(st.bold, "Caveats")
	for _, c := range workbookCaveats {
		ts.line(0, c)
	}

	ts.line(0)
	ts.line(st.bold, "Notes on these figures")
	for _, n := range v.Notes {
		ts.line(0, n)
	}
	for _, s := range v.Sections {
		for _, n := range s.Notes {
			ts.line(0, sectionLabel(s), n)
		}
	}

	ts.line(0)
	ts.line(st.bold, "Sources")
	ts.line(st.header, "Source", "Description", "Status", "Licence")
	for _, s := range workbookSources(v) {
		ts.line(0, s.Source, s.SourceLabel, s.Status, Licence)
	}
	ts.line(0, "Licence", "Crown copyright. Contains public sector information licensed under the "+Licence+": "+LicenceURL)
	ts.widths(40, 110, 40, 30)
	return ts.err
}
