package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/internal/config"
	"github.com/crimetrends/crimetrends/pipeline"
	"github.com/crimetrends/crimetrends/reports"
)

type reportParams struct {
	data, out string
	period    datasets.Month
	forces    []string
	offences  []string
	selectors []datasets.Selector // reported beside each source's defaults when offences is empty
	minBase   int
	synthetic bool
	config    *config.Config

	window      datasets.Window
	peerGroups  []datasets.PeerGroup
	events      []datasets.Event
	populations string // a population file the user named; "" means the built-in figures
	boundaries  string // a GeoJSON of police force areas; "" means the built-in tile map
	boundaryKey string // its feature property holding the ONS code
	generatedAt time.Time
}

// reportOutputs describes the files a report writes besides its pages, in
// the order the index page lists them.
var reportOutputs = []reports.OutputLink{
	{Name: "workbook.xlsx", Description: "Excel workbook: cover, notes, every figure in tables with charts, comparisons, completeness"},
	{Name: "trends.csv", Description: "every trend figure, one row per area, offence and window"},
	{Name: "comparisons.csv", Description: "the chosen forces beside England and Wales, their country, region and peers, each built without the force, with rates per 1,000"},
	{Name: "reconciliation.csv", Description: "force extracts beside the published figures for the same months"},
	{Name: "counts.csv", Description: "the counts behind the trends, at each source's finest grain"},
	{Name: "revisions.csv", Description: "figures that moved since the previous report in this folder"},
	{Name: "manifest.json", Description: "inputs with SHA-256 and row accounting, dataset vintages, completeness, settings and the files written"},
}

// report writes every output of one report into p.out, all switched in at
// once by publish, so a failed or killed run leaves the previous outputs
// whole.
func (e *env) report(ctx context.Context, p reportParams, ingested *pipeline.IngestResult) error {
	var forceCodes []string
	for _, f := range p.forces {
		if strings.EqualFold(strings.TrimSpace(f), "all") {
			for _, a := range datasets.Forces() {
				forceCodes = append(forceCodes, a.Code)
			}
			continue
		}
		a, err := datasets.ResolveForce(f)
		if err != nil {
			return fmt.Errorf("%w: --force: %v", ErrUsage, err)
		}
		forceCodes = append(forceCodes, a.Code)
	}
	var selectors []datasets.Selector
	for _, o := range p.offences {
		s, err := datasets.ResolveSelector(o)
		if err != nil {
			return fmt.Errorf("%w: --offence: %v", ErrUsage, err)
		}
		selectors = append(selectors, s)
	}
	if _, err := os.Stat(p.data); err != nil {
		return fmt.Errorf("report: dataset %s: %w (run crimetrends ingest first)", p.data, err)
	}
	st, err := store.Open(p.data, store.Options{Clock: e.now})
	if err != nil {
		return err
	}
	snap, err := st.Current(ctx)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	an, err := pipeline.Analyse(ctx, snap.Counts, snap.Coverage, pipeline.AnalyseOptions{
		Period: p.period, Offences: selectors, Extra: p.selectors, MinBase: p.minBase, Published: snap.Published, Window: p.window})
	if err != nil {
		return err
	}
	extra, err := e.reportExtras(ctx, p, snap, an, forceCodes)
	if err != nil {
		return err
	}
	for _, n := range an.Notes {
		e.log.Warn(n)
	}
	var labels []string
	for _, s := range selectors {
		for _, src := range []string{datasets.SourceHomeOffice, datasets.SourcePoliceUK, datasets.SourceForce} {
			if s.AppliesTo(src) {
				labels = append(labels, s.LabelFor(src))
			}
		}
	}
	inputs := manifestInputs(snap, ingested)
	var summaries []reports.InputSummary
	for _, in := range inputs {
		summaries = append(summaries, reports.InputSummary{Name: in.Name, Source: in.Source, SHA256: in.SHA256, Rows: in.Rows.Read})
	}
	var vintages []reports.VintageSummary
	for _, v := range snap.Vintages {
		vintages = append(vintages, reports.VintageSummary{ID: v.ID, IngestedAt: v.IngestedAt, Inputs: len(v.Inputs)})
	}
	view := reports.BuildView(an.Trends, reports.Options{
		PeriodEnd: an.PeriodEnd, Forces: forceCodes, Offences: labels,
		Synthetic: p.synthetic, Version: Version, Inputs: summaries,
		GeneratedAt: p.generatedAt, Window: an.Window, Vintages: vintages, Outputs: reportOutputs,
		Monthly: extra.monthly, Comparisons: extra.comparisons, Events: p.events, PeerGroups: p.peerGroups,
		Reconciliations: extra.reconciliations, Populations: extra.populations,
		Boundaries: extra.boundaries, BoundaryCodeProperty: p.boundaryKey,
	})
	view.Notes = append(view.Notes, an.Notes...)
	view.Trends = csvTrends(view.Trends, p.synthetic) // the workbook's rows say so too
	completeness, sheets := completenessOutputs(snap.Coverage)
	view.Completeness = sheets

	// Revisions: this run's trends.csv against the one it replaces, both
	// as written, so that rounding and synthetic labels compare alike.
	var trendsCSV bytes.Buffer
	if err := reports.WriteTrendsCSV(&trendsCSV, csvTrends(append(an.Trends[:len(an.Trends):len(an.Trends)], an.Published...), p.synthetic)); err != nil {
		return fmt.Errorf("report: trends.csv: %w", err)
	}
	currentTrends, err := readTrendsCSV(bytes.NewReader(trendsCSV.Bytes()), "trends.csv")
	if err != nil {
		return fmt.Errorf("report: trends.csv: %w", err)
	}
	previous, previousRun, hadPrevious, err := previousTrends(p.out)
	if err != nil {
		e.log.Warn("revisions: previous report not compared", "err", err)
		hadPrevious = false
	}
	var revs []pipeline.Revision
	if hadPrevious {
		revs = pipeline.Revisions(previous, currentTrends)
	}
	revSummary := summariseRevisions(revs, previousRun, hadPrevious)
	// Only when something moved: a rerun on the same data writes the same
	// dashboard and workbook.
	if hadPrevious && len(revs) > 0 {
		view.Notes = append(view.Notes, revisionsNote(revSummary))
	}

	type outputWriter struct {
		name  string
		write func(*bytes.Buffer) error
	}
	outputs := []outputWriter{
		{"workbook.xlsx", func(b *bytes.Buffer) error { return reports.Workbook(b, view) }},
		{"trends.csv", func(b *bytes.Buffer) error { _, err := b.Write(trendsCSV.Bytes()); return err }},
		{"comparisons.csv", func(b *bytes.Buffer) error {
			return reports.WriteComparisonsCSV(b, csvComparisons(extra.comparisons, p.synthetic))
		}},
		{"reconciliation.csv", func(b *bytes.Buffer) error { return reports.WriteReconciliationCSV(b, extra.reconciliations) }},
		{"counts.csv", func(b *bytes.Buffer) error { return reports.WriteCountsCSV(b, csvCounts(an.Counts, p.synthetic)) }},
		{"revisions.csv", func(b *bytes.Buffer) error { return writeRevisionsCSV(b, revs) }},
	}
	m := manifest{
		Software:  software{Name: "crimetrends", Version: Version},
		Synthetic: p.synthetic,
		Label:     dataLabel(p.synthetic),
		Dataset:   p.data,
		Config:    p.config,
		Request: request{Period: monthOrEmpty(p.period), Forces: p.forces, Offences: append(p.offences, labelsOf(p.selectors)...),
			MinBase: p.minBase, Window: an.Window.String(), PeerGroups: peerNames(p.peerGroups),
			Populations: p.populations, Boundaries: p.boundaries, GeneratedAt: timeOrEmpty(p.generatedAt)},
		Populations:  extra.vintagesUsed,
		PeriodEnd:    map[string]string{},
		Notes:        an.Notes,
		Inputs:       inputs,
		Completeness: completeness,
		Revisions:    revSummary,
	}
	if ingested != nil {
		for _, ig := range ingested.Ignored {
			m.Ignored = append(m.Ignored, ignoredPath{Path: ig.Path, Reason: ig.Reason})
		}
	}
	for src, end := range an.PeriodEnd {
		m.PeriodEnd[src] = end.String()
	}
	for _, v := range snap.Vintages {
		m.Vintages = append(m.Vintages, vintage{ID: v.ID, IngestedAt: v.IngestedAt.UTC().Format("2006-01-02T15:04:05Z"), Inputs: len(v.Inputs)})
	}
	for _, s := range snap.Superseded {
		m.Superseded = append(m.Superseded, fmt.Sprintf("%s %s %s..%s: %s replaced by %s",
			s.Key.Source, s.Key.AreaCode, s.Key.Start, s.Key.End, s.Old, s.New))
	}
	// Every file goes to disk as it is made (the pages one at a time), and
	// the report is switched in at once when all are there.
	if err := os.MkdirAll(p.out, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	stage, err := newStaging(p.out)
	if err != nil {
		return fmt.Errorf("report: write %s: %w", p.out, err)
	}
	defer stage.abort()
	add := func(name string, data []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		sum, err := stage.add(name, data)
		if err != nil {
			return fmt.Errorf("report: write %s: %w", name, err)
		}
		m.Outputs = append(m.Outputs, output{File: name, Bytes: int64(len(data)), SHA256: sum})
		return nil
	}
	if err := reports.SiteEach(view, func(pg reports.Page) error { return add(pg.Name, pg.HTML) }); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("report: %w", err)
	}
	for _, o := range outputs {
		var b bytes.Buffer
		if err := o.write(&b); err != nil {
			return fmt.Errorf("report: %s: %w", o.name, err)
		}
		if err := add(o.name, b.Bytes()); err != nil {
			return err
		}
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("report: manifest: %w", err)
	}
	if err := add("manifest.json", append(mb, '\n')); err != nil {
		return err
	}
	if err := stage.commit(); err != nil {
		return fmt.Errorf("report: write %s: %w", p.out, err)
	}
	fmt.Fprintf(e.stdout, "report: %d trend rows, %d published figures (%s) written to %s\n",
		len(an.Trends), len(an.Published), periodsText(an.PeriodEnd, an.Window), p.out)
	return nil
}

func periodsText(ends map[string]datasets.Month, w datasets.Window) string {
	srcs := make([]string, 0, len(ends))
	for s := range ends {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	var parts []string
	for _, s := range srcs {
		parts = append(parts, fmt.Sprintf("%s %s", s, strings.ToLower(w.Title(ends[s])[:1])+w.Title(ends[s])[1:]))
	}
	if len(parts) == 0 {
		return "no complete window"
	}
	return strings.Join(parts, ", ")
}

func writeFileSync(path string, b []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func monthOrEmpty(m datasets.Month) string {
	if m == 0 {
		return ""
	}
	return m.String()
}

func labelsOf(ss []datasets.Selector) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Label)
	}
	return out
}

func joinPath(dir, name string) string { return filepath.Join(dir, name) }

func dataLabel(synthetic bool) string {
	if synthetic {
		return "SYNTHETIC DATA generated by crimetrends demo: not real police figures"
	}
	return "Police recorded crime: official statistics (not accredited) and management information"
}

// syntheticSource is the source column of synthetic figures in the CSVs,
// so a file that travels without the dashboard still says what it is.
func syntheticSource(src string) string { return "synthetic-" + src }

// csvTrends marks every row of synthetic data in its source and note.
func csvTrends(ts []datasets.Trend, synthetic bool) []datasets.Trend {
	if !synthetic {
		return ts
	}
	out := make([]datasets.Trend, len(ts))
	for i, t := range ts {
		t.Source = syntheticSource(t.Source)
		if t.Note == "" {
			t.Note = "SYNTHETIC DATA: not a real police figure"
		} else {
			t.Note = "SYNTHETIC DATA: not a real police figure; " + t.Note
		}
		out[i] = t
	}
	return out
}

// csvCounts marks every row of synthetic data in its source.
func csvCounts(cs []datasets.Count, synthetic bool) []datasets.Count {
	if !synthetic {
		return cs
	}
	out := make([]datasets.Count, len(cs))
	for i, c := range cs {
		c.Source = syntheticSource(c.Source)
		out[i] = c
	}
	return out
}
