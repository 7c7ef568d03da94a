package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/pipeline"
)

// bookSheet is one sheet of the workbook: its name, what the Cover says it
// holds, and how it is written.
type bookSheet struct {
	name  string
	what  string
	write func(f *excelize.File, st bookStyles) error
}

// WorkbookSheets returns the sheet names of the report's workbook in
// order.
func WorkbookSheets(rep *pipeline.Report, meta Meta) []string {
	var names []string
	for _, s := range planBook(rep, meta, nil) {
		names = append(names, s.name)
	}
	return names
}

// planBook lays out the workbook: Cover; a ranking sheet per offence;
// Comparisons when a chosen force has a figure; Reconciliation when any
// figure was not quoted; Figures; a Completeness sheet per source; Notes;
// Sources. Names are whole words, unique and at most 31 characters, and a
// data.police.uk category's sheet says so ("police.uk Vehicle crime").
// charts collects the ranking charts whose chosen bars bookZip colours.
func planBook(rep *pipeline.Report, meta Meta, charts *[]*chart) []bookSheet {
	names := newSheetNamer()
	for _, n := range []string{SheetCover, SheetComparisons, SheetReconciliation, SheetFigures, SheetNotes, SheetSources} {
		names.name(n)
	}
	addChart := func(c *chart) {
		if c != nil && charts != nil {
			*charts = append(*charts, c)
		}
	}
	out := []bookSheet{{name: SheetCover, what: "This page: the key figures in words, and these contents."}}
	for _, t := range rep.Topics {
		t := t
		name := names.name(topicSheetName(t))
		what := "Every force and region ranked by change and by rate, with a chart of the forces' changes."
		switch {
		case len(t.Areas) == 0:
			what = t.Empty
		case rankedCount(t) < minChartBars:
			what = "Every force and region ranked by change and by rate (too few forces have a percentage change for a chart)."
		}
		table := "Ranking_" + strings.ReplaceAll(t.ID, "-", "_")
		out = append(out, bookSheet{name: name, what: what, write: func(f *excelize.File, st bookStyles) error {
			c, err := writeRankingSheet(f, name, table, rep, t, st, meta.Synthetic)
			addChart(c)
			return err
		}})
	}
	if hasComparisons(rep) {
		out = append(out, bookSheet{name: SheetComparisons,
			what: "Each chosen force against England and Wales, its country, its region and its peer groups, each without it, with 95% intervals, verdicts, rates and ranks, and the test against the rest of England and Wales.",
			write: func(f *excelize.File, st bookStyles) error {
				return writeComparisonsSheet(f, SheetComparisons, rep, st, meta.Synthetic)
			}})
	}
	if len(rep.Reconciliation) > 0 {
		out = append(out, bookSheet{name: SheetReconciliation,
			what: fmt.Sprintf("%s not quoted, each beside the figure quoted for the same area, offence and window, with the difference and its likely reason.", countNoun(len(rep.Reconciliation), "figure", "figures")),
			write: func(f *excelize.File, st bookStyles) error {
				return writeReconciliationSheet(f, SheetReconciliation, rep, st, meta.Synthetic)
			}})
	}
	out = append(out, bookSheet{name: SheetFigures,
		what: fmt.Sprintf("Every figure of every source (%s): %s for every period the data covers, the quoted one marked. Filter Quoted = yes before summing.", countNoun(len(rep.Figures), "figure", "figures"), sayWindowTotals(rep.Window)),
		write: func(f *excelize.File, st bookStyles) error {
			return writeFiguresSheet(f, SheetFigures, rep, st, meta.Synthetic)
		}})
	for i, c := range meta.Completeness {
		c := c
		name := names.name(completenessSheetName(c.Source))
		table := fmt.Sprintf("Completeness_%d", i+1)
		out = append(out, bookSheet{name: name,
			what: fmt.Sprintf("Which months of %s each force and BTP has, and which it lacks (printed as a summary; a grid of months on screen).", completenessSourceName(c.Source)),
			write: func(f *excelize.File, st bookStyles) error {
				return writeCompletenessSheet(f, name, table, c, st, meta.Synthetic)
			}})
	}
	out = append(out,
		bookSheet{name: SheetNotes, what: "Definitions, the rules behind the figures (which is quoted, ranks, like for like, the minimum base) and the caveats that bear on them.",
			write: func(f *excelize.File, st bookStyles) error { return writeNotes(f, SheetNotes, rep, meta, st) }},
		bookSheet{name: SheetSources, what: "Every source in the dataset with its status and why it is quoted where it is; the releases; the input files with their SHA-256.",
			write: func(f *excelize.File, st bookStyles) error { return writeSources(f, SheetSources, rep, meta, st) }},
	)
	return out
}

// rankedCount is how many forces a topic ranks by change.
func rankedCount(t pipeline.Topic) int {
	n := 0
	for _, f := range t.Areas {
		n = max(n, f.Ranked)
	}
	return n
}

// countNoun is "1 figure", "1,204 figures".
func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%s %s", sayCount(int64(n)), many)
}

// WriteWorkbook writes the report's Excel workbook (see planBook for its
// sheets). Every sheet prints landscape on A4, one page wide, its header
// row repeated, with a footer naming its source and "Page 1 of 3"; its
// dimension is its used range; tables have filters and frozen headers;
// counts are formatted "#,##0" and percentages "+0.0". Every text is a
// string, never a formula. The document's dates come from the report's
// period, not the clock, and the file is re-zipped with its parts in a
// fixed order and fixed times, so the same report and meta give the same
// bytes.
func WriteWorkbook(w io.Writer, rep *pipeline.Report, meta Meta) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newBookStyles(f)
	if err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	var charts []*chart
	plan := planBook(rep, meta, &charts)
	if err := f.SetSheetName("Sheet1", plan[0].name); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	for _, s := range plan[1:] {
		if _, err := f.NewSheet(s.name); err != nil {
			return fmt.Errorf("workbook: add sheet %q: %w", s.name, err)
		}
	}
	var contents []contentsLine
	for _, s := range plan[1:] {
		contents = append(contents, contentsLine{s.name, s.what})
	}
	if err := writeCover(f, plan[0].name, rep, meta, contents, st); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	for _, s := range plan[1:] {
		if err := s.write(f, st); err != nil {
			return fmt.Errorf("workbook: %w", err)
		}
	}
	f.SetActiveSheet(0)
	stamp := bookTime(rep)
	if err := f.SetDocProps(bookProps(rep, meta, stamp)); err != nil {
		return fmt.Errorf("workbook: document properties: %w", err)
	}
	z := newBookZip(stamp, charts)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return z })
	if _, err := f.WriteTo(io.Discard); err != nil {
		return fmt.Errorf("workbook: write: %w", err)
	}
	if err := z.writeTo(w); err != nil {
		return fmt.Errorf("workbook: write: %w", err)
	}
	return nil
}

// bookTime is the workbook's date: the first day after the report's
// window, fixed by the data, not the clock.
func bookTime(rep *pipeline.Report) time.Time {
	next := rep.PeriodEnd.Add(1)
	if rep.PeriodEnd == 0 {
		return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(next.Year(), time.Month(next.MonthOfYear()), 1, 0, 0, 0, 0, time.UTC)
}

func bookProps(rep *pipeline.Report, meta Meta, stamp time.Time) *excelize.DocProperties {
	var offences []string
	for _, t := range rep.Topics {
		offences = append(offences, sayTopicTitle(t))
	}
	p := &excelize.DocProperties{
		Title:       reportTitle(rep),
		Subject:     "Offences recorded by the police in England and Wales, " + sayWindow(rep) + ", and the change on a year earlier",
		Creator:     "crimetrends",
		Keywords:    strings.Join(append([]string{"police recorded crime", "England and Wales", sayWindowTotals(rep.Window)}, offences...), "; "),
		Description: "Offences recorded by the police: not a count of all crime. The rules and caveats are on the Notes sheet; the sources on the Sources sheet.",
		Category:    "Statistics",
		Version:     meta.Version,
		Created:     stamp.Format(time.RFC3339),
		Modified:    stamp.Format(time.RFC3339),
	}
	if meta.Synthetic {
		p.Description = SyntheticBanner + ". " + p.Description
		p.Keywords += "; synthetic data"
	}
	return p
}
