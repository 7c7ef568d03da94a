package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/crimetrends/crimetrends/datasets"
)

// CountsHeader is the header of counts.csv.
var CountsHeader = []string{"area_code", "area_name", "offence", "period_start", "period_end", "count", "source"}

// WriteCountsCSV writes counts.csv: one row per count, sorted with
// datasets.SortCounts (counts itself is not changed). area_name is the
// area's ONS name from the reference data, blank when the code is unknown.
func WriteCountsCSV(w io.Writer, counts []datasets.Count) error {
	rows := append([]datasets.Count(nil), counts...)
	datasets.SortCounts(rows)
	cw := csv.NewWriter(w)
	if err := cw.Write(CountsHeader); err != nil {
		return fmt.Errorf("write counts.csv header: %w", err)
	}
	for i, c := range rows {
		name := ""
		if c.AreaCode == datasets.CodeEnglandWales {
			name = "England and Wales"
		} else if a, ok := datasets.AreaByCode(c.AreaCode); ok {
			name = a.Name
		}
		rec := []string{
			safeText(c.AreaCode), safeText(name), safeText(c.Offence),
			c.Start.String(), c.End.String(),
			strconv.FormatInt(c.Count, 10), safeText(c.Source),
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write counts.csv row %d: %w", i+2, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write counts.csv: %w", err)
	}
	return nil
}

func safeText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
