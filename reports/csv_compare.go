package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// ComparisonsHeader is the header of comparisons.csv.
var ComparisonsHeader = []string{"force_code", "force_name", "source", "offence", "window", "period_start", "period_end", "months",
	"comparator", "label", "count", "previous_count", "change", "pct_change", "rate_per_1000", "population", "population_vintage",
	"left_out", "rank", "ranked", "rate_rank", "rate_ranked", "forces_rose", "forces_compared", "note"}

// ReconciliationCSVHeader is the header of reconciliation.csv.
var ReconciliationCSVHeader = []string{"area_code", "area_name", "offence", "period_start", "period_end", "force_extract",
	"published", "published_source", "difference", "pct_difference", "note"}

// WriteComparisonsCSV writes comparisons.csv: for every comparison, in the
// order given, the force's own row (with its ranks and how many forces
// rose) and then a row per comparator. Rates have three decimal places;
// percentages one; text that a spreadsheet would run is defused.
func WriteComparisonsCSV(w io.Writer, cs []datasets.Comparison) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ComparisonsHeader); err != nil {
		return fmt.Errorf("write comparisons.csv header: %w", err)
	}
	itoa := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	for _, c := range cs {
		win := c.Window
		if win == "" {
			win = datasets.WindowRolling12
		}
		lead := []string{safeText(c.Force.AreaCode), safeText(c.Force.Label), safeText(c.Source), safeText(c.Offence), win.String(),
			c.PeriodEnd.Add(1 - c.Months).String(), c.PeriodEnd.String(), strconv.Itoa(c.Months)}
		notes := strings.TrimSpace(strings.Join(append([]string{c.Force.Note}, c.Notes...), " "))
		rec := append(append(lead[:len(lead):len(lead)], comparatorRecord(c.Force)...),
			itoa(c.Rank), itoa(c.Ranked), itoa(c.RateRank), itoa(c.RateRanked), strconv.Itoa(c.Rose), strconv.Itoa(c.Compared), safeText(notes))
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write comparisons.csv: %w", err)
		}
		for _, cm := range c.Comparators {
			rec := append(append(lead[:len(lead):len(lead)], comparatorRecord(cm)...), "", "", "", "", "", "", safeText(cm.Note))
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("write comparisons.csv: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write comparisons.csv: %w", err)
	}
	return nil
}

func comparatorRecord(c datasets.Comparator) []string {
	prev, change, pct, rate, pop := "", "", "", "", ""
	if c.HasPrevious {
		prev, change = strconv.FormatInt(c.Previous, 10), strconv.FormatInt(c.Change, 10)
	}
	if c.HasPct {
		pct = FormatPct(c.PctChange)
	}
	if c.HasRate {
		rate, pop = strconv.FormatFloat(c.Rate, 'f', 3, 64), strconv.FormatInt(c.Population, 10)
	}
	return []string{c.Kind, safeText(c.Label), strconv.FormatInt(c.Count, 10), prev, change, pct, rate, pop,
		safeText(c.PopulationVintage), safeText(strings.Join(c.LeftOut, "; "))}
}

// WriteReconciliationCSV writes reconciliation.csv, one row per
// reconciliation in the order given (only the header when there are none).
func WriteReconciliationCSV(w io.Writer, rs []datasets.Reconciliation) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ReconciliationCSVHeader); err != nil {
		return fmt.Errorf("write reconciliation.csv header: %w", err)
	}
	for _, r := range rs {
		pct := ""
		if r.HasPct {
			pct = FormatPct(r.PctDifference)
		}
		if err := cw.Write([]string{safeText(r.AreaCode), safeText(r.AreaName), safeText(r.Offence), r.Start.String(), r.End.String(),
			strconv.FormatInt(r.Extract, 10), strconv.FormatInt(r.Published, 10), safeText(r.PublishedSource),
			strconv.FormatInt(r.Difference, 10), pct, safeText(r.Note)}); err != nil {
			return fmt.Errorf("write reconciliation.csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write reconciliation.csv: %w", err)
	}
	return nil
}
