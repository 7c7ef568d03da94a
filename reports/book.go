package reports

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/pipeline"
)

// WriteWorkbook writes the report's Excel workbook: a Cover sheet with
// the key figures and a Ranking sheet of every area's quoted figure for
// every offence.
func WriteWorkbook(w io.Writer, rep *pipeline.Report, meta Meta) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Cover"); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	row := 1
	set := func(v ...any) {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		_ = f.SetSheetRow("Cover", cell, &v)
		row++
	}
	if meta.Synthetic {
		set(SyntheticBanner)
	}
	set(reportTitle(rep))
	set(sayPeriodLine(rep))
	for _, t := range keyTopics(rep) {
		if len(t.Answers) == 0 && t.National.Present {
			set(sayHeadline(t, t.National, rep))
		}
		for _, a := range t.Answers {
			if a.Figure.Present {
				set(sayHeadline(t, a.Figure, rep))
			}
		}
	}
	if _, err := f.NewSheet("Ranking"); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	sw, err := f.NewStreamWriter("Ranking")
	if err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	header := []any{"Offence", "Area code", "Area", "Count", "Previous", "% change", "95% low", "95% high", "Verdict", "Rate per 1,000", "Rank by change", "Source"}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	r := 2
	for _, t := range rep.Topics {
		for _, a := range t.Areas {
			vals := []any{sayTopicTitle(t), a.AreaCode, a.AreaName, a.Count, nil, nil, nil, nil, a.Verdict, nil, nil, shortSource(a)}
			if a.HasPrevious {
				vals[4] = a.Previous
			}
			if a.HasPct {
				vals[5] = round1(a.PctChange)
			}
			if a.HasInterval {
				vals[6], vals[7] = round1(a.Lo), round1(a.Hi)
			}
			if a.HasRate {
				vals[9] = round1(a.Rate)
			}
			if a.Rank > 0 {
				vals[10] = a.Rank
			}
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(cell, vals); err != nil {
				return fmt.Errorf("workbook: %w", err)
			}
			r++
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	return nil
}
