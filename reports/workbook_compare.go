package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// CompareHeader is the header of a Compare sheet.
var CompareHeader = []string{"force_code", "force_name", "comparator", "label", "count", "previous_count", "change", "pct_change",
	"rate_per_1000", "population", "population_vintage", "left_out", "rank", "ranked", "rate_rank", "rate_ranked", "forces_rose", "forces_compared", "note"}

// ReconciliationHeader is the header of the Reconciliation sheet.
var ReconciliationHeader = []string{"area_code", "area_name", "offence", "period_start", "period_end", "force_extract", "published",
	"published_source", "difference", "pct_difference", "note"}

// sectionWindow is "the 12 months to September 2018", or the section's
// own window in those words.
func sectionWindow(s Section) string {
	w := s.Window
	if w == "" {
		w = datasets.WindowRolling12
	}
	return w.Describe(s.PeriodEnd)
}

// sectionWindowTitle is "12 months to September 2018", or the section's
// own window's title.
func sectionWindowTitle(s Section) string {
	if s.WindowTitle != "" {
		return s.WindowTitle
	}
	return datasets.WindowRolling12.Title(s.PeriodEnd)
}

// windowAdjective is "rolling 12-month" for the rolling year, else the
// window's name: "financial year to date".
func windowAdjective(s Section) string {
	switch s.Window {
	case "", datasets.WindowRolling12:
		return "rolling 12-month"
	case datasets.WindowFinancialYear:
		return "financial-year"
	case datasets.WindowFYTD:
		return "financial-year-to-date"
	case datasets.WindowQuarter:
		return "quarterly"
	case datasets.WindowCalendarYear:
		return "calendar-year"
	case datasets.WindowMonth:
		return "monthly"
	}
	return string(s.Window)
}

// viewWindow is the window of v's sections (they share one).
func viewWindow(v View) datasets.Window {
	for _, s := range v.Sections {
		if s.Window != "" {
			return s.Window
		}
	}
	return datasets.WindowRolling12
}

// reconciliations are every section's reconciliation rows, in section order.
func reconciliations(v View) []datasets.Reconciliation {
	var out []datasets.Reconciliation
	for _, s := range v.Sections {
		out = append(out, s.Reconciliations...)
	}
	return out
}

func rateValue(r float64, st workbookStyles) any {
	return excelize.Cell{StyleID: st.rate, Value: excelDigits(r)}
}

func comparatorValues(c datasets.Comparator, st workbookStyles) []any {
	out := []any{c.Kind, c.Label}
	out = append(out, figureValues(Figure{Present: true, Count: c.Count, HasPrevious: c.HasPrevious, Previous: c.Previous,
		Change: c.Change, HasPct: c.HasPct, PctChange: c.PctChange}, st)...)
	if c.HasRate {
		out = append(out, rateValue(c.Rate, st), countValue(c.Population, st), c.PopulationVintage)
	} else {
		out = append(out, nil, nil, nil)
	}
	return append(out, textOrNil(strings.Join(c.LeftOut, "; ")))
}

// writeCompareSheet writes a section's comparisons: per chosen force, its
// own row (with its ranks and how many forces rose) and a row per
// comparator.
func writeCompareSheet(f *excelize.File, sheet string, n int, s Section, st workbookStyles) error {
	var rows [][]any
	intOrNil := func(v int) any {
		if v == 0 {
			return nil
		}
		return v
	}
	for _, c := range s.Comparisons {
		lead := []any{c.Force.AreaCode, c.Force.Label}
		r := append(append([]any(nil), lead...), comparatorValues(c.Force, st)...)
		r = append(r, intOrNil(c.Rank), intOrNil(c.Ranked), intOrNil(c.RateRank), intOrNil(c.RateRanked), c.Rose, c.Compared,
			textOrNil(strings.Join(append([]string{c.Force.Note}, c.Notes...), " ")))
		rows = append(rows, r)
		for _, cm := range c.Comparators {
			r := append(append([]any(nil), lead...), comparatorValues(cm, st)...)
			r = append(r, nil, nil, nil, nil, nil, nil, textOrNil(cm.Note))
			rows = append(rows, r)
		}
	}
	d := dataTable{sheet: sheet, table: tableName("Compare", n), name: dataName("Compare", n),
		header: CompareHeader, widths: []float64{12, 22, 14, 44, 11, 14, 10, 11, 13, 12, 18, 24, 6, 7, 9, 11, 11, 15, 50},
		rows: rows, pctCol: 8}
	return d.write(f, st)
}

// writeReconciliationSheet writes force extracts beside published figures.
func writeReconciliationSheet(f *excelize.File, sheet string, rs []datasets.Reconciliation, st workbookStyles) error {
	rows := make([][]any, 0, len(rs))
	for _, r := range rs {
		var pct any
		if r.HasPct {
			pct = pctValue(r.PctDifference, st)
		}
		rows = append(rows, []any{r.AreaCode, r.AreaName, r.Offence, r.Start.String(), r.End.String(),
			countValue(r.Extract, st), countValue(r.Published, st), r.PublishedSource, countValue(r.Difference, st), pct, textOrNil(r.Note)})
	}
	d := dataTable{sheet: sheet, table: tableName("Reconciliation", 0), name: dataName("Reconciliation", 0),
		header: ReconciliationHeader, widths: []float64{12, 24, 28, 12, 12, 13, 11, 20, 11, 13, 50},
		rows: rows, pctCol: 10}
	return d.write(f, st)
}

// totalsName is "Rolling 12-month totals", "Financial-year-to-date
// totals", ...: what a section's series are.
func totalsName(s Section) string { return upperFirst(windowAdjective(s)) + " totals" }

// periodAxis names a section's period axis: "12 months to", "Financial
// year ending", "Year to date, to", "Quarter ending", "Year ending",
// "Month".
func periodAxis(s Section) string {
	switch s.Window {
	case datasets.WindowFinancialYear:
		return "Financial year ending"
	case datasets.WindowFYTD:
		return "Year to date, to"
	case datasets.WindowQuarter:
		return "Quarter ending"
	case datasets.WindowCalendarYear:
		return "Year ending"
	case datasets.WindowMonth:
		return "Month"
	}
	return fmt.Sprintf("%d months to", max(s.Months, 1))
}

// periodPhrase is how the window ending m reads in a sentence ("the 12
// months to March 2019", "the financial year ending March 2019").
func periodPhrase(s Section, m datasets.Month) string {
	w := s.Window
	if w == "" {
		w = datasets.WindowRolling12
	}
	return w.Describe(m)
}

// comparisonWindowTitle is the title of a comparison's window ("12 months
// to March 2019").
func comparisonWindowTitle(c datasets.Comparison) string {
	w := c.Window
	if w == "" {
		w = datasets.WindowRolling12
	}
	return w.Title(c.PeriodEnd)
}
