package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// OutcomesHeader is the header of outcomes.csv.
var OutcomesHeader = []string{"area_code", "area_name", "crime_type", "period_start", "period_end", "comparator", "label",
	"outcome_group", "outcome_group_label", "count", "total", "share_pct", "share_pct_low", "share_pct_high", "untyped", "note"}

// WriteOutcomesCSV writes outcomes.csv: for each set of outcome shares, in
// the order given, a row per outcome group (datasets.OutcomeGroups order)
// for the force (comparator "force") and, when there is one, for England
// and Wales excluding it ("england-wales"). count is the group's outcomes
// over the window and total all the outcomes of the crime type (the share's
// base); share_pct and its exact 95% interval are percentages with one
// decimal place, blank on a zero base; untyped counts the outcomes of crimes
// not in the street files (type unknown: in the all-crime total only). Every
// row's note carries datasets.OutcomesCaveat, and the first row of each set
// also its notes. Text a spreadsheet would run is defused.
func WriteOutcomesCSV(w io.Writer, sets []datasets.OutcomeShares) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(OutcomesHeader); err != nil {
		return fmt.Errorf("write outcomes.csv header: %w", err)
	}
	pct := func(has bool, v float64) string {
		if !has {
			return ""
		}
		return strconv.FormatFloat(100*v, 'f', 1, 64)
	}
	for _, s := range sets {
		crimeType := s.CrimeType
		if crimeType == "" {
			crimeType = s.Label
		}
		lead := []string{safeText(s.AreaCode), safeText(s.AreaName), safeText(crimeType), s.Start.String(), s.End.String()}
		for i, g := range s.Groups {
			note := s.Caveat
			if i == 0 && len(s.Notes) > 0 {
				note = strings.TrimSpace(note + " " + strings.Join(s.Notes, " "))
			}
			rec := append(lead[:len(lead):len(lead)], datasets.ComparatorForce, safeText(s.AreaName), g.Group, safeText(g.Label),
				strconv.FormatInt(g.Count, 10), strconv.FormatInt(s.Total, 10),
				pct(g.HasShare, g.Share), pct(g.HasShare, g.Lo), pct(g.HasShare, g.Hi), strconv.FormatInt(s.Untyped, 10), safeText(note))
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("write outcomes.csv: %w", err)
			}
			if !s.HasNational {
				continue
			}
			rec = append(lead[:len(lead):len(lead)], datasets.ComparatorEnglandWales, safeText(s.NationalLabel), g.Group, safeText(g.Label),
				strconv.FormatInt(g.NationalCount, 10), strconv.FormatInt(s.NationalTotal, 10),
				pct(g.HasNationalShare, g.NationalShare), pct(g.HasNationalShare, g.NationalLo), pct(g.HasNationalShare, g.NationalHi),
				strconv.FormatInt(s.NationalUntyped, 10), safeText(s.Caveat))
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("write outcomes.csv: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write outcomes.csv: %w", err)
	}
	return nil
}

// WriteOutcomes writes outcomes.csv for a report: the outcomes of every
// chosen force for every data.police.uk topic that has them, in the
// report's order (the header alone when there are none).
func WriteOutcomes(w io.Writer, rep *pipeline.Report) error {
	var sets []datasets.OutcomeShares
	for _, t := range rep.Topics {
		for _, a := range t.Answers {
			if a.Outcomes != nil {
				sets = append(sets, *a.Outcomes)
			}
		}
	}
	return WriteOutcomesCSV(w, sets)
}
