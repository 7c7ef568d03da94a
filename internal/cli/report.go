package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
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
	sourceOrder []string // the config's source_order; nil is pipeline.DefaultSourceOrder
	history     int      // years of windows held (pipeline.Request.History); 0 is the default
	notes       []string // the run's own notes for the report (the demo's)
	singleFile  bool     // inline the echarts script into every page
}

// reportOutputs describes the files a report writes besides its pages, in
// the order the index page lists them.
var reportOutputs = []reports.OutputLink{
	{Name: "workbook.xlsx", Description: "Excel workbook: the key figures, every offence ranked, comparisons, reconciliation, sources"},
	{Name: "trends.csv", Description: "every figure of every source, one row per offence, area and window; quoted = yes marks the one quoted"},
	{Name: "ranking.csv", Description: "every force and region ranked by change and by rate, for every offence"},
	{Name: "comparisons.csv", Description: "the chosen forces beside England and Wales, their country, region and peers, each built without the force"},
	{Name: "reconciliation.csv", Description: "every figure not quoted beside the one quoted, with the difference and its likely reason"},
	{Name: "outcomes.csv", Description: "what happened to the crimes the chosen forces recorded (data.police.uk outcomes), each outcome's share with its 95% interval beside England and Wales"},
	{Name: "counts.csv", Description: "the counts behind the figures, at each source's finest grain"},
	{Name: "revisions.csv", Description: "figures that moved since the previous report in this folder"},
	{Name: "manifest.json", Description: "inputs with SHA-256 and row accounting, dataset vintages, completeness, settings and the files written"},
}

// report writes every output of one report into p.out, all switched in at
// once by publish, so a failed or killed run leaves the previous outputs
// whole. Everything that can fail on the question itself (a period or an
// offence no source covers) fails before anything is written.
func (e *env) report(ctx context.Context, p reportParams, ingested *pipeline.IngestResult) error {
	var forceCodes []string
	seen := map[string]bool{}
	for _, f := range p.forces {
		var codes []string
		if strings.EqualFold(strings.TrimSpace(f), "all") {
			for _, a := range datasets.Forces() {
				codes = append(codes, a.Code)
			}
		} else {
			a, err := datasets.ResolveForce(f)
			if err != nil {
				return fmt.Errorf("%w: --force: %v", ErrUsage, err)
			}
			codes = []string{a.Code}
		}
		for _, c := range codes {
			if !seen[c] {
				seen[c] = true
				forceCodes = append(forceCodes, c)
			}
		}
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
		return fmt.Errorf("report: dataset %q: %w (run crimetrends ingest first)", p.data, datasets.WithoutPath(err))
	}
	// Read-only: no lock, no write; a report can run beside an ingest and
	// on a dataset it may not write.
	st, err := store.Open(p.data, store.Options{})
	if err != nil {
		return err
	}
	snap, err := st.Current(ctx)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	outs, err := st.Outcomes(ctx)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	pops, boundaries, err := e.reportInputs(p)
	if err != nil {
		return err
	}
	rep, err := pipeline.Answer(ctx, pipeline.Data{Counts: snap.Counts, Coverage: snap.Coverage, Published: snap.Published,
		ReleaseNotes: snap.ReleaseNotes, Outcomes: outs.Counts, OutcomeCoverage: outs.Coverage}, pipeline.Request{
		Forces: forceCodes, Offences: selectors, Extra: p.selectors, Window: p.window, Period: p.period, MinBase: p.minBase,
		PeerGroups: p.peerGroups, Populations: pops, Events: p.events, SourceOrder: p.sourceOrder, History: p.history,
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("report: %w", err)
	}

	rep.Synthetic = p.synthetic
	inputs := manifestInputs(snap, ingested)
	var summaries []reports.InputSummary
	root, _ := filepath.Abs(filepath.Dir(filepath.Clean(p.data)))
	for i := range inputs {
		inputs[i].Name = reports.InputName(inputs[i].Name, root)
		in := inputs[i]
		summaries = append(summaries, reports.InputSummary{Name: in.Name, Source: in.Source, SHA256: in.SHA256, Rows: in.Rows.Read})
	}
	var vintages []reports.VintageSummary
	for _, v := range snap.Vintages {
		vintages = append(vintages, reports.VintageSummary{ID: v.ID, IngestedAt: v.IngestedAt, Inputs: len(v.Inputs)})
	}
	completeness, sheets := completenessOutputs(snap.Coverage)
	meta := reports.Meta{
		Synthetic: p.synthetic, Version: Version, GeneratedAt: p.generatedAt, Inputs: summaries, Vintages: vintages,
		Outputs: reportOutputs, Boundaries: boundaries, BoundaryCodeProperty: p.boundaryKey, Completeness: sheets,
		SingleFile: p.singleFile, Notes: append([]string(nil), p.notes...),
	}

	// From here to the switch this run holds --out's lock: another report
	// on the same folder waits, and this one compares with, and replaces,
	// the report that is there.
	outLock, err := lockOut(ctx, p.out, e.wait, func(path string) {
		e.log.Warn(fmt.Sprintf("another report is being written to --out: waiting up to %s for it to finish (--wait)", e.wait), "out", p.out, "lock", path)
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return ctxErr
		}
		return fmt.Errorf("report: %w", err)
	}
	defer outLock.Release()
	// Every file goes to disk as it is made (the pages one at a time), and
	// the report is switched in at once when all are there.
	if err := os.MkdirAll(p.out, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	stage, err := newStaging(p.out)
	if err != nil {
		return fmt.Errorf("report: write %q: %w", p.out, datasets.WithoutPath(err))
	}
	defer stage.abort()

	// Revisions: this run's trends.csv against the one it replaces, both
	// as written, so that rounding and synthetic labels compare alike.
	// trends.csv is written first, for its keys; it joins the report in
	// its place among the outputs below.
	var currentTrends []datasets.Trend
	trendsSum, trendsSize, err := stage.create("trends.csv", func(w io.Writer) error {
		var err error
		currentTrends, err = reports.WriteFiguresKeys(w, rep, p.synthetic)
		return err
	})
	if err != nil {
		return fmt.Errorf("report: trends.csv: %w", datasets.WithoutPath(err))
	}
	previous, previousRun, hadPrevious, err := previousTrends(p.out)
	switch {
	case errors.Is(err, datasets.ErrBadHeader):
		e.log.Info("revisions: the report in --out has a trends.csv of other columns (written by another version of crimetrends): no revisions compared this time", "out", p.out)
		hadPrevious = false
	case err != nil:
		e.log.Warn("revisions: previous report not compared", "err", err)
		hadPrevious = false
	}
	var revs []pipeline.Revision
	if hadPrevious {
		revs = pipeline.Revisions(previous, currentTrends, rep.HistoryStart)
	}
	revSummary := summariseRevisions(revs, previousRun, hadPrevious)
	// Only when something moved: a rerun on the same data writes the same
	// pages and workbook.
	if hadPrevious && len(revs) > 0 {
		meta.Notes = append(meta.Notes, revisionsNote(revSummary))
	}

	// The workbook (its Figures sheet is every figure, deflated) is
	// written beside the pages and the CSVs, on another core; it joins the
	// report in its place among the outputs.
	type written struct {
		sum  string
		size int64
		err  error
	}
	workbook := make(chan written, 1)
	go func() {
		var w written
		w.sum, w.size, w.err = stage.create("workbook.xlsx", func(w io.Writer) error { return reports.WriteWorkbook(w, rep, meta) })
		workbook <- w
	}()
	book, booked := written{}, false
	waitBook := func() written {
		if !booked {
			book, booked = <-workbook, true
		}
		return book
	}
	defer waitBook() // never leave it writing into a run folder being removed

	type outputWriter struct {
		name  string
		write func(io.Writer) error // nil: trends.csv, written already, and workbook.xlsx, being written
	}
	outputs := []outputWriter{
		{"workbook.xlsx", nil},
		{"trends.csv", nil},
		{"ranking.csv", func(w io.Writer) error { return reports.WriteRanking(w, rep, p.synthetic) }},
		{"comparisons.csv", func(w io.Writer) error { return reports.WriteComparisons(w, rep, p.synthetic) }},
		{"reconciliation.csv", func(w io.Writer) error { return reports.WriteReconciliation(w, rep, p.synthetic) }},
		{"outcomes.csv", func(w io.Writer) error { return reports.WriteOutcomes(w, rep) }},
		{"counts.csv", func(w io.Writer) error { return reports.WriteCountsCSV(w, csvCounts(snap.Counts, p.synthetic)) }},
		{"revisions.csv", func(w io.Writer) error { return writeRevisionsCSV(w, revs) }},
	}
	m := manifest{
		Software:  software{Name: "crimetrends", Version: Version},
		Synthetic: p.synthetic,
		Label:     dataLabel(p.synthetic),
		Dataset:   filepath.Base(filepath.Clean(p.data)),
		Config:    writtenConfig(p.config),
		Request: request{Period: monthOrEmpty(p.period), Forces: p.forces, Offences: append(p.offences, labelsOf(p.selectors)...),
			MinBase: p.minBase, Window: rep.Window.String(), History: historyName(rep.Request.History), HistoryFrom: monthOrEmpty(rep.HistoryStart),
			PeerGroups:  peerNames(p.peerGroups),
			Populations: baseOrEmpty(p.populations), Boundaries: baseOrEmpty(p.boundaries), GeneratedAt: timeOrEmpty(p.generatedAt)},
		Period:       rep.PeriodEnd.String(),
		PeriodAsked:  rep.PeriodAsked,
		Sources:      manifestSources(rep),
		Populations:  populationsUsed(rep, pops),
		Notes:        meta.Notes,
		Inputs:       inputs,
		Completeness: completeness,
		Revisions:    revSummary,
	}
	if ingested != nil {
		for _, ig := range ingested.Ignored {
			m.Ignored = append(m.Ignored, ignoredPath{Path: reports.InputName(ig.Path, root), Reason: ig.Reason})
		}
	}
	for _, v := range snap.Vintages {
		m.Vintages = append(m.Vintages, vintage{ID: v.ID, IngestedAt: v.IngestedAt.UTC().Format("2006-01-02T15:04:05Z"), Inputs: len(v.Inputs)})
	}
	for _, s := range snap.Superseded {
		m.Superseded = append(m.Superseded, fmt.Sprintf("%s %s %s..%s: %s replaced by %s",
			s.Key.Source, s.Key.AreaCode, s.Key.Start, s.Key.End, s.Old, s.New))
	}
	add := func(name string, data []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		sum, err := stage.add(name, data)
		if err != nil {
			return fmt.Errorf("report: write %q: %w", name, datasets.WithoutPath(err))
		}
		m.Outputs = append(m.Outputs, output{File: name, Bytes: int64(len(data)), SHA256: sum})
		return nil
	}
	if err := reports.Pages(rep, meta, func(pg reports.Page) error { return add(pg.Name, pg.HTML) }); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("report: %w", err)
	}
	for _, o := range outputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		var sum string
		var size int64
		switch {
		case o.name == "trends.csv":
			sum, size = trendsSum, trendsSize
		case o.name == "workbook.xlsx":
			w := waitBook()
			if w.err != nil {
				return fmt.Errorf("report: %s: %w", o.name, datasets.WithoutPath(w.err))
			}
			sum, size = w.sum, w.size
		default:
			var err error
			if sum, size, err = stage.create(o.name, o.write); err != nil {
				return fmt.Errorf("report: %s: %w", o.name, datasets.WithoutPath(err))
			}
		}
		stage.record(o.name, sum)
		m.Outputs = append(m.Outputs, output{File: o.name, Bytes: size, SHA256: sum})
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("report: manifest: %w", err)
	}
	if err := add("manifest.json", append(mb, '\n')); err != nil {
		return err
	}
	if err := stage.commit(); err != nil {
		return fmt.Errorf("report: write %q: %w", p.out, datasets.WithoutPath(err))
	}
	if rep.Short {
		fmt.Fprintf(e.stdout, "report: %s; %d offences, monthly counts only, written to %s\n", strings.TrimSuffix(rep.Notes[0].Text, "."), len(rep.Topics), p.out)
		return nil
	}
	fmt.Fprintf(e.stdout, "report: %s; %d offences, %d figures (%d quoted) written to %s\n",
		rep.Window.Describe(rep.PeriodEnd), len(rep.Topics), len(rep.Figures), quotedCount(rep), p.out)
	return nil
}

// writtenConfig is the config as its file wrote it, paths relative to it.
func writtenConfig(c *config.Config) *config.Config {
	if c == nil {
		return nil
	}
	w := c.AsWritten()
	return &w
}

func quotedCount(rep *pipeline.Report) int {
	n := 0
	for _, f := range rep.Figures {
		if f.Quoted {
			n++
		}
	}
	return n
}

func baseOrEmpty(p string) string {
	if p == "" {
		return ""
	}
	return filepath.Base(p)
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

// historyName is a report's history as a user writes it: "5", "all".
func historyName(years int) string {
	if years == pipeline.AllHistory {
		return "all"
	}
	return strconv.Itoa(years)
}
