package reports

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// The CSV files of a report, each a plain table of the pipeline's model:
// every number is as the model holds it (percentages, rates and intervals
// to one decimal place; counts whole), so a CSV and a page give the same
// figure. Text cells a spreadsheet would read as a formula get a leading
// apostrophe. Synthetic reports prefix every source with "synthetic-".

// FiguresHeader is the header of trends.csv: every figure of every source
// for windows of the report's kind. quoted is "yes" on the one figure
// quoted for its topic, area and window, so summing the quoted rows never
// counts a figure twice.
var FiguresHeader = []string{"topic", "offence", "area_code", "area_name", "area_kind", "period_end", "months",
	"count", "count_marker", "previous_count", "previous_derived", "change", "pct_change", "pct_note",
	"ci_low", "ci_high", "verdict", "rate_per_1000", "population", "population_vintage",
	"source", "release", "status", "quoted", "note"}

// RankingHeader is the header of ranking.csv: every area's quoted figure
// for every topic at the report's period end, with its ranks (the same
// numbers as the workbook's ranking sheets and comparisons.csv): forces by
// change among the ranked forces and by rate among the rate_ranked ones,
// regions by change among the regions_ranked regions.
var RankingHeader = []string{"topic", "offence", "area_code", "area_name", "area_kind", "period_end", "months",
	"count", "previous_count", "change", "pct_change", "pct_note", "ci_low", "ci_high", "verdict",
	"rate_per_1000", "population_vintage", "rank_change", "ranked", "rank_rate", "rate_ranked", "region_rank", "regions_ranked",
	"source", "release", "chosen", "note"}

// ComparisonsHeader is the header of comparisons.csv.
var ComparisonsHeader = []string{"topic", "offence", "force_code", "force", "window", "period_end", "months",
	"comparator", "label", "count", "previous_count", "change", "pct_change", "ci_low", "ci_high", "verdict",
	"rate_per_1000", "population", "population_vintage", "left_out", "source", "release",
	"rank_change", "ranked", "rank_rate", "rate_ranked", "forces_rose", "forces_compared",
	"vs_rest_ratio", "vs_rest_low", "vs_rest_high", "vs_rest_verdict", "note"}

// ReconciliationHeader is the header of reconciliation.csv.
var ReconciliationHeader = []string{"topic", "offence", "area_code", "area_name", "period_start", "period_end",
	"quoted_source", "quoted_release", "quoted_count", "other_source", "other_release", "other_count", "other_derived",
	"difference", "pct_difference", "reason"}

func csvSource(src string, synthetic bool) string {
	if synthetic {
		return "synthetic-" + src
	}
	return src
}

func fmt1(v float64) string { return strconv.FormatFloat(round1(v), 'f', 1, 64) }

func intOr(ok bool, v int64) string {
	if !ok {
		return ""
	}
	return strconv.FormatInt(v, 10)
}

func floatOr(ok bool, v float64) string {
	if !ok {
		return ""
	}
	return fmt1(v)
}

func rankOr(r int) string {
	if r == 0 {
		return ""
	}
	return strconv.Itoa(r)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// writeTable writes a header and records, naming the file in errors.
func writeTable(w io.Writer, name string, header []string, recs [][]string) error {
	if b, ok := w.(*bytes.Buffer); ok {
		b.Grow(len(recs) * 16 * len(header))
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write %s header: %w", name, err)
	}
	for i, r := range recs {
		for j := range r {
			r[j] = safeCell(r[j])
		}
		if err := cw.Write(r); err != nil {
			return fmt.Errorf("write %s row %d: %w", name, i+2, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// safeCell defuses a text cell a spreadsheet would read as a formula;
// numbers (a leading minus followed by a digit) are left alone.
func safeCell(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '-' && len(s) > 1 && s[1] >= '0' && s[1] <= '9' {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// WriteFigures writes trends.csv: one row per figure of rep.Figures, each
// written as it is formatted, so that the file is never held whole.
func WriteFigures(w io.Writer, rep *pipeline.Report, synthetic bool) error {
	return writeFigures(w, rep, synthetic, nil)
}

// WriteFiguresKeys writes trends.csv as WriteFigures does and returns the
// keys ReadFigureKeys would read back from what it wrote, without reading
// it: for comparing this run with the previous one.
func WriteFiguresKeys(w io.Writer, rep *pipeline.Report, synthetic bool) ([]datasets.Trend, error) {
	keys := make([]datasets.Trend, 0, len(rep.Figures))
	err := writeFigures(w, rep, synthetic, func(rec []string) error {
		// encoding/csv reads a quoted "\r\n" back as "\n".
		for i, c := range rec {
			if strings.Contains(c, "\r\n") {
				rec[i] = strings.ReplaceAll(c, "\r\n", "\n")
			}
		}
		t, col, want, err := figureKey(rec)
		if err != nil {
			return &datasets.RowError{File: "trends.csv", Row: len(keys) + 2, Column: FiguresHeader[col], Value: rec[col], Want: want, Err: err}
		}
		keys = append(keys, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return keys, nil
}

// writeFigures writes trends.csv, giving each row as written (its cells
// defused) to row when it is not nil.
func writeFigures(w io.Writer, rep *pipeline.Report, synthetic bool, row func([]string) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(FiguresHeader); err != nil {
		return fmt.Errorf("write trends.csv header: %w", err)
	}
	rec := make([]string, len(FiguresHeader))
	status := map[string]string{}
	for i := range rep.Figures {
		f := &rep.Figures[i]
		note, st := f.Note, status[f.Source]
		if st == "" {
			st = pipeline.SourceStatus(f.Source)
			status[f.Source] = st
		}
		if synthetic {
			note = strings.TrimSuffix("SYNTHETIC DATA: not a real police figure; "+note, "; ")
			st = "Synthetic data: not a real police figure"
		}
		rec = append(rec[:0],
			f.Topic, f.Offence, f.AreaCode, f.AreaName, areaKindName(f.AreaKind), f.PeriodEnd.String(), strconv.Itoa(f.Months),
			intOr(f.HasCount, f.Count), f.CountMarker, intOr(f.HasPrevious, f.Previous), yesIf(f.HasPrevious, f.PreviousDerived),
			intOr(f.HasPrevious && f.HasCount, f.Change), floatOr(f.HasPct, f.PctChange), f.PctNote,
			floatOr(f.HasInterval, f.Lo), floatOr(f.HasInterval, f.Hi), f.Verdict,
			rateOr(*f), intOr(f.HasRate && f.Population > 0, f.Population), f.PopulationVintage,
			csvSource(f.Source, synthetic), f.Release, st, yes(f.Quoted), note,
		)
		for j := range rec {
			rec[j] = safeCell(rec[j])
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write trends.csv row %d: %w", i+2, err)
		}
		if row != nil {
			if err := row(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write trends.csv: %w", err)
	}
	return nil
}

// pctNote says why a figure with an earlier count has no percentage.
func pctNote(f pipeline.Figure) string {
	if f.HasPct {
		return ""
	}
	return f.PctNote
}

func yesIf(ok, v bool) string {
	if !ok {
		return ""
	}
	return yes(v)
}

func rateOr(f pipeline.Figure) string {
	if !f.HasRate {
		return ""
	}
	return fmt1(f.Rate)
}

// WriteRanking writes ranking.csv.
func WriteRanking(w io.Writer, rep *pipeline.Report, synthetic bool) error {
	chosen := map[string]bool{}
	for _, f := range rep.Forces {
		chosen[f.Code] = true
	}
	var recs [][]string
	for _, t := range rep.Topics {
		for _, f := range t.Areas {
			recs = append(recs, []string{
				t.ID, f.Offence, f.AreaCode, f.AreaName, areaKindName(f.AreaKind), f.PeriodEnd.String(), strconv.Itoa(f.Months),
				intOr(f.HasCount, f.Count), intOr(f.HasPrevious, f.Previous), intOr(f.HasPrevious, f.Change), floatOr(f.HasPct, f.PctChange), pctNote(f),
				floatOr(f.HasInterval, f.Lo), floatOr(f.HasInterval, f.Hi), f.Verdict,
				rateOr(f), f.PopulationVintage, rankOr(f.Rank), rankOr(f.Ranked), rankOr(f.RateRank), rankOr(f.RateRanked),
				rankOr(f.RegionRank), rankOr(f.RegionsRanked),
				csvSource(f.Source, synthetic), f.Release, yes(chosen[f.AreaCode]), f.Note,
			})
		}
	}
	return writeTable(w, "ranking.csv", RankingHeader, recs)
}

func areaKindName(k datasets.AreaKind) string {
	switch k {
	case datasets.KindForce:
		return "force"
	case datasets.KindBTP:
		return "btp"
	case datasets.KindRegion:
		return "region"
	case datasets.KindCountry:
		return "country"
	case datasets.KindNation:
		return "england-wales"
	}
	return ""
}

// WriteComparisons writes comparisons.csv: per topic and chosen force, the
// force's own row (comparator "force", with its ranks, how many forces rose
// and its test against the rest of England and Wales) and one row per
// comparator built without it.
func WriteComparisons(w io.Writer, rep *pipeline.Report, synthetic bool) error {
	var recs [][]string
	for _, t := range rep.Topics {
		for _, a := range t.Answers {
			f := a.Figure
			if !f.Present {
				continue
			}
			base := func(kind, label string) []string {
				return []string{t.ID, f.Offence, a.Force.Code, a.Force.Name, rep.Window.String(), f.PeriodEnd.String(), strconv.Itoa(f.Months), kind, label}
			}
			ag := a.Against
			own := append(base(datasets.ComparatorForce, a.Force.Name),
				intOr(f.HasCount, f.Count), intOr(f.HasPrevious, f.Previous), intOr(f.HasPrevious, f.Change), floatOr(f.HasPct, f.PctChange),
				floatOr(f.HasInterval, f.Lo), floatOr(f.HasInterval, f.Hi), f.Verdict,
				rateOr(f), intOr(f.HasRate && f.Population > 0, f.Population), f.PopulationVintage, "",
				csvSource(f.Source, synthetic), f.Release,
				rankOr(f.Rank), rankOr(f.Ranked), rankOr(f.RateRank), rankOr(f.RateRanked), strconv.Itoa(t.Rose), strconv.Itoa(t.Compared),
				floatOr3(ag.OK, ag.Ratio), floatOr3(ag.OK, ag.Lo), floatOr3(ag.OK, ag.Hi), ag.Verdict, f.Note)
			recs = append(recs, own)
			for _, c := range a.Comparators {
				rate := ""
				if c.HasRate {
					rate = fmt1(c.Rate)
				}
				recs = append(recs, append(base(c.Kind, c.Label),
					strconv.FormatInt(c.Count, 10), intOr(c.HasPrevious, c.Previous), intOr(c.HasPrevious, c.Change), floatOr(c.HasPct, c.PctChange),
					floatOr(c.HasInterval, c.Lo), floatOr(c.HasInterval, c.Hi), c.Verdict,
					rate, intOr(c.HasRate, c.Population), c.PopulationVintage, strings.Join(c.LeftOut, "; "),
					csvSource(f.Source, synthetic), f.Release, "", "", "", "", "", "", "", "", "", "", c.Note))
			}
		}
	}
	return writeTable(w, "comparisons.csv", ComparisonsHeader, recs)
}

func floatOr3(ok bool, v float64) string {
	if !ok {
		return ""
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// WriteReconciliation writes reconciliation.csv: every figure not quoted
// beside the quoted one for the same area, topic and window.
func WriteReconciliation(w io.Writer, rep *pipeline.Report, synthetic bool) error {
	var recs [][]string
	for _, r := range rep.Reconciliation {
		recs = append(recs, []string{
			r.Topic, r.Offence, r.AreaCode, r.AreaName, r.Start.String(), r.End.String(),
			csvSource(r.Quoted.Source, synthetic), r.Quoted.Release, strconv.FormatInt(r.Quoted.Count, 10),
			csvSource(r.Other.Source, synthetic), r.Other.Release, strconv.FormatInt(r.Other.Count, 10), yes(r.Other.CountDerived),
			strconv.FormatInt(r.Difference, 10), floatOr(r.HasPct, r.PctDifference), r.Reason,
		})
	}
	return writeTable(w, "reconciliation.csv", ReconciliationHeader, recs)
}

// ReadFigureKeys reads a trends.csv as WriteFigures writes it, for
// comparing two runs: one datasets.Trend per row, keyed by source (the
// release where there is one), area, topic, period end and months. name is
// used in errors.
func ReadFigureKeys(r io.Reader, name string) ([]datasets.Trend, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // a header of other columns is ErrBadHeader, not a CSV error
	head, err := cr.Read()
	if err != nil && err != io.EOF {
		return nil, &datasets.RowError{File: name, Row: 1, Column: "header", Want: "the trends.csv header", Err: err}
	}
	if !slices.Equal(head, FiguresHeader) {
		return nil, &datasets.RowError{File: name, Row: 1, Column: "header", Value: strings.Join(head, ","),
			Want: "the trends.csv header of this version of crimetrends", Err: datasets.ErrBadHeader}
	}
	cr.FieldsPerRecord = len(FiguresHeader)
	in := interner{}
	var out []datasets.Trend
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, &datasets.RowError{File: name, Row: row, Err: err}
		}
		t, c, want, err := figureKey(rec)
		if err != nil {
			return nil, &datasets.RowError{File: name, Row: row, Column: FiguresHeader[c], Value: rec[c], Want: want, Err: err}
		}
		// A record's cells share one string: copies of the few distinct
		// texts let it go.
		t.AreaCode, t.AreaName, t.Offence, t.Source, t.Note = in.of(t.AreaCode), in.of(t.AreaName), in.of(t.Offence), in.of(t.Source), in.of(t.Note)
		out = append(out, t)
	}
}

// The columns of trends.csv that ReadFigureKeys reads.
var (
	figColAreaCode = slices.Index(FiguresHeader, "area_code")
	figColAreaName = slices.Index(FiguresHeader, "area_name")
	figColTopic    = slices.Index(FiguresHeader, "topic")
	figColSource   = slices.Index(FiguresHeader, "source")
	figColRelease  = slices.Index(FiguresHeader, "release")
	figColNote     = slices.Index(FiguresHeader, "note")
	figColEnd      = slices.Index(FiguresHeader, "period_end")
	figColMonths   = slices.Index(FiguresHeader, "months")
	figColCount    = slices.Index(FiguresHeader, "count")
	figColPrevious = slices.Index(FiguresHeader, "previous_count")
	figColPct      = slices.Index(FiguresHeader, "pct_change")
)

// figureKey is the key of one trends.csv record; on a bad cell, its column
// and what it should hold.
func figureKey(rec []string) (t datasets.Trend, col int, want string, err error) {
	t = datasets.Trend{AreaCode: rec[figColAreaCode], AreaName: rec[figColAreaName], Offence: rec[figColTopic],
		Source: rec[figColSource], Note: rec[figColNote]}
	if rel := rec[figColRelease]; rel != "" {
		t.Source = rel
	}
	if t.PeriodEnd, err = datasets.ParseMonth(rec[figColEnd]); err != nil {
		return t, figColEnd, "YYYY-MM", err
	}
	if t.Months, err = strconv.Atoi(rec[figColMonths]); err != nil {
		return t, figColMonths, "a whole number of months", err
	}
	if s := rec[figColCount]; s != "" {
		if t.Count, err = strconv.ParseInt(s, 10, 64); err != nil {
			return t, figColCount, "a whole number or blank", err
		}
	}
	if s := rec[figColPrevious]; s != "" {
		t.HasPrevious = true
		if t.Previous, err = strconv.ParseInt(s, 10, 64); err != nil {
			return t, figColPrevious, "a whole number or blank", err
		}
		t.Change = t.Count - t.Previous
	}
	if s := rec[figColPct]; s != "" {
		t.HasPct = true
		if t.PctChange, err = strconv.ParseFloat(s, 64); err != nil {
			return t, figColPct, "a percentage such as 14.6, or blank", err
		}
	}
	return t, 0, "", nil
}

// interner gives one copy of each distinct text.
type interner map[string]string

func (in interner) of(s string) string {
	if c, ok := in[s]; ok {
		return c
	}
	c := strings.Clone(s)
	in[c] = c
	return c
}
