package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/internal/config"
	"github.com/crimetrends/crimetrends/internal/demo"
	"github.com/crimetrends/crimetrends/pipeline"
)

const defaultData = "crimetrends-data"

// defaultWait is how long a writer waits for another run's lock on the
// dataset or on --out before it fails.
const defaultWait = 5 * time.Minute

// waitFlag adds --wait to a command that writes a dataset or a report.
func waitFlag(cmd *cobra.Command, e *env) {
	cmd.Flags().DurationVar(&e.wait, "wait", defaultWait,
		"how long to wait for another run writing the same dataset or --out (0: fail at once)")
}

// storeOptions are the dataset options of a command: its clock, and for a
// writer how long to wait for another writer's lock, saying so on stderr.
func (e *env) storeOptions(data string) store.Options {
	return store.Options{Clock: e.now, LockWait: e.wait, OnWait: func(path string) {
		e.log.Warn(fmt.Sprintf("another run is writing the dataset: waiting up to %s for it to finish (--wait)", e.wait), "data", data, "lock", path)
	}}
}

func ingestCmd(e *env) *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "ingest [--data DIR] PATH...",
		Short: "Add extracts (files, folders, .zip archives) to the dataset",
		Long: `ingest reads data.police.uk archives whole (the downloaded .zip, an unpacked tree of
YYYY-MM folders, or single files): street-level crime files are counted, outcomes files
become outcome counts typed through their Crime IDs, stop and search and Northern Ireland
files are listed as not ingested. It also reads Home Office open data tables (CSV, XLSX,
ODS) and ONS Police Force Area tables. It checks every row, and adds the counts to the
Parquet dataset in --data as one new dated vintage.
A bad row stops the ingest with a message naming the file, row and column, and the
dataset is left as it was. Two inputs for the same force and period are decided by their
own dating (the newer archive month or extract date wins; the same figures count once);
different figures with nothing to tell them apart stop the ingest, naming both files.
Ingesting the same file again changes nothing; a later ingest of other figures for the
same force and period replaces the older figures (the older vintage is kept).`,
		Args: usageArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := e.ingest(cmd.Context(), data, args)
			return err
		},
	}
	cmd.Flags().StringVar(&data, "data", defaultData, "dataset folder")
	waitFlag(cmd, e)
	return cmd
}

func reportCmd(e *env) *cobra.Command {
	var p reportParams
	var period, window, generated, history string
	var sourceOrder []string
	var peers []string
	cmd := &cobra.Command{
		Use:   "report [--data DIR] --out DIR [--period YYYY-MM] [--window KIND] [--force NAME|CODE]... [--offence NAME|CODE]... [--peer NAME|CODE]...",
		Short: "Write the dashboard pages, workbook and CSVs for the window ending at --period",
		Long: `report computes totals over a window and their change on the same window a year earlier
for every area (forces, BTP, regions, England, Wales, England and Wales) and writes into
--out: dashboard.html (the index page) with overview.html, a page per chosen force and per
offence, workbook.xlsx, trends.csv, comparisons.csv, reconciliation.csv, counts.csv,
revisions.csv and manifest.json.
--period defaults to the latest month the data covers completely. --window is rolling-12
(default), financial-year, fytd, quarter, calendar-year or month. --force picks the forces
the headlines are about (repeatable; "all" for every force and BTP). --offence takes a Home
Office offence code (8Q), a subgroup or group name ("Stalking and harassment") or a police.uk
category ("Violence and sexual offences"), repeatable; without it, every offence group and
the total. --peer names the forces of a peer group (repeatable): each chosen force is
compared with the group without it, its rate weighted (summed counts over summed population).`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if p.out == "" {
				return fmt.Errorf("%w: report needs --out DIR, the folder the reports are written to; see crimetrends report --help", ErrUsage)
			}
			if period != "" {
				m, err := datasets.ParseMonth(period)
				if err != nil {
					return fmt.Errorf("%w: --period: %v", ErrUsage, err)
				}
				p.period = m
			}
			w, err := datasets.ParseWindow(window)
			if err != nil {
				return fmt.Errorf("%w: --window: %v", ErrUsage, err)
			}
			p.window = w
			if p.history, err = pipeline.ParseHistory(history); err != nil {
				return fmt.Errorf("%w: --history: %v", ErrUsage, err)
			}
			if len(sourceOrder) > 0 {
				var names []string
				for _, s := range sourceOrder {
					names = append(names, strings.Split(s, ",")...)
				}
				if _, err := pipeline.ParseSourceOrder(names); err != nil {
					return fmt.Errorf("%w: --source-order: %v", ErrUsage, err)
				}
				p.sourceOrder = names
			}
			var droppedPeers []string
			if len(peers) > 0 {
				g := datasets.PeerGroup{Name: config.DefaultPeerGroupName}
				seen := map[string]bool{}
				for _, name := range peers {
					a, err := datasets.ResolveForce(name)
					if err != nil {
						return fmt.Errorf("%w: --peer: %v", ErrUsage, err)
					}
					if seen[a.Code] {
						droppedPeers = append(droppedPeers, name)
						continue
					}
					seen[a.Code] = true
					g.Members = append(g.Members, a.Code)
				}
				p.peerGroups = []datasets.PeerGroup{g}
			}
			e.dedupeRequest(&p, droppedPeers, "--force, --offence and --peer values")
			if generated != "" {
				t, err := time.Parse(time.RFC3339, generated)
				if err != nil {
					return fmt.Errorf("%w: --generated-at: %q: want a time like 2026-11-01T09:00:00Z", ErrUsage, generated)
				}
				p.generatedAt = t.UTC()
			} else {
				p.generatedAt = e.generatedAt()
			}
			return e.report(cmd.Context(), p, nil)
		},
	}
	cmd.Flags().StringVar(&p.data, "data", defaultData, "dataset folder")
	cmd.Flags().StringVar(&p.out, "out", "", "folder the reports are written to (required)")
	cmd.Flags().StringVar(&period, "period", "", "last month of the window, YYYY-MM")
	cmd.Flags().StringVar(&window, "window", "", "rolling-12 (default), financial-year, fytd, quarter, calendar-year or month")
	cmd.Flags().StringArrayVar(&p.forces, "force", nil, "force of interest: name or ONS code, or all (repeatable)")
	cmd.Flags().StringArrayVar(&p.offences, "offence", nil, "offence: Home Office code, subgroup, group or police.uk category (repeatable)")
	cmd.Flags().StringArrayVar(&peers, "peer", nil, "a force of the peer group the chosen forces are compared with (repeatable)")
	cmd.Flags().StringVar(&p.populations, "populations", "", "population CSV (code, population, vintage) to use before the built-in mid-year estimates")
	cmd.Flags().StringVar(&p.boundaries, "boundaries", "", "GeoJSON of police force areas for the map (default: a built-in tile map)")
	cmd.Flags().StringVar(&p.boundaryKey, "boundary-property", "", "the GeoJSON property holding each area's ONS code (default: found)")
	cmd.Flags().StringVar(&generated, "generated-at", "", "generation time shown in the footer, RFC 3339 (default: SOURCE_DATE_EPOCH or now)")
	cmd.Flags().StringArrayVar(&sourceOrder, "source-order", nil, "sources in the order they are quoted, e.g. homeoffice,ons (default: ons, homeoffice, force, policeuk)")
	cmd.Flags().StringVar(&history, "history", "", "years of windows up to the period the report holds (default 5), or all")
	cmd.Flags().BoolVar(&p.singleFile, "single-file", false, "put the chart script inside every page, for a page sent on its own")
	waitFlag(cmd, e)
	return cmd
}

func runCmd(e *env) *cobra.Command {
	var path string
	cmd := &cobra.Command{
		Use:   "run --config FILE",
		Short: "The monthly batch: ingest what the config lists, then report",
		Long: `run reads a YAML config (see README.md) and does the monthly batch: it ingests
every input the config lists into its dataset, then writes the reports.

  data: crimetrends-data        # dataset folder
  inputs: [downloads/]          # files, folders, .zip archives
  out: reports                  # report folder
  period: 2018-09               # optional; default the latest complete month
  forces: [Wiltshire]           # optional
  offences: [Stalking and harassment]   # optional
  min_base: 50                  # optional
  window: fytd                  # optional: rolling-12, financial-year, fytd, quarter, calendar-year, month
  peer_groups: [{name: Most similar forces, forces: [Dorset, Gloucestershire]}]
  events: [{month: 2019-04, label: "HINs withdrawn", force: Wiltshire}]
  populations: pop.csv          # optional: newer mid-year estimates
  boundaries: pfa.geojson       # optional: map boundaries (default: tile map)
  generated_at: 2026-11-01T09:00:00Z    # optional: footer time
  force_extracts:               # optional: the force's own record-level extracts
    - files: [extracts/]
      mapping: {force: Wiltshire, reference: Crime Ref, recorded: Recorded,
                date_format: DD/MM/YYYY, offence: HO Code}

See README.md for every key.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if path == "" {
				return fmt.Errorf("%w: run needs --config FILE, the monthly batch's YAML file; see crimetrends run --help", ErrUsage)
			}
			c, err := config.Load(path)
			if err != nil {
				return err
			}
			ingested, err := e.ingestConfig(cmd.Context(), c)
			if err != nil {
				return err
			}
			if ingested != nil && ingested.Vintage != "" {
				e.kept = fmt.Sprintf("vintage %s was added to the dataset %q", ingested.Vintage, c.Data)
			}
			p := reportParams{data: c.Data, out: c.Out, forces: c.Forces, offences: c.Offences, minBase: c.MinBase, config: &c,
				populations: c.Populations, boundaries: c.Boundaries, boundaryKey: c.BoundaryCodeProperty,
				sourceOrder: c.SourceOrder, singleFile: c.SingleFile}
			p.history, _ = pipeline.ParseHistory(c.History) // validated by Load
			e.dedupeRequest(&p, nil, "forces and offences of the config")
			if c.Period != "" {
				p.period, _ = datasets.ParseMonth(c.Period) // validated by Load
			}
			// Validated by Load: these cannot fail here.
			p.window, _ = c.WindowKind()
			p.peerGroups, _ = c.Peers()
			p.events, _ = c.EventList()
			if p.generatedAt, _ = c.Generated(); p.generatedAt.IsZero() {
				p.generatedAt = e.generatedAt()
			}
			return e.report(cmd.Context(), p, ingested)
		},
	}
	cmd.Flags().StringVar(&path, "config", "", "YAML config file (required)")
	waitFlag(cmd, e)
	return cmd
}

func demoCmd(e *env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "demo [--out DIR]",
		Short: "Run the whole pipeline on built-in synthetic data",
		Long: `demo generates deterministic SYNTHETIC extracts for every force and BTP (data.police.uk
street CSVs and a Home Office open data table, four financial years), ingests them into
DIR/synthetic-data and writes the reports into DIR, all marked as synthetic. The same
version always writes the same files.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.demo(cmd.Context(), out)
		},
	}
	cmd.Flags().StringVar(&out, "out", "demo-report", "folder the reports are written to")
	return cmd
}

// ingest opens the dataset and adds the inputs under paths.
func (e *env) ingest(ctx context.Context, data string, paths []string) (pipeline.IngestResult, error) {
	st, err := store.Open(data, e.storeOptions(data))
	if err != nil {
		return pipeline.IngestResult{}, err
	}
	var progress pipeline.Progress
	stop := watchProgress(e.stderr, e.log, &progress, e.quiet)
	res, err := pipeline.Ingest(ctx, st, paths, pipeline.IngestOptions{Logger: e.log, Progress: &progress})
	stop()
	if err != nil {
		return res, err
	}
	e.ingestSummary(res, data)
	return res, nil
}

// maxListed is how many superseded or repeated inputs the ingest summary
// names one by one.
const maxListed = 10

// ingestSummary prints what an ingest did: its vintage and rows; the
// police.uk outcomes typed and untyped; each input superseded by a newer
// one or repeating another (the first maxListed); and the files not
// ingested, by reason.
func (e *env) ingestSummary(res pipeline.IngestResult, data string) {
	var rows, used, skipped, outcomes, untyped int64
	var fresh, hasOutcomes int
	var decided []string
	for _, in := range res.Inputs {
		rows += in.Stats.Read
		used += in.Stats.Used
		skipped += in.Stats.SkippedTotal()
		if in.Status == pipeline.StatusAdded {
			fresh++
		}
		if in.Source == datasets.SourcePoliceUKOutcomes {
			hasOutcomes++
			outcomes += in.Stats.Used
			untyped += in.Untyped
		}
		if strings.HasPrefix(in.Status, "superseded by ") || strings.HasPrefix(in.Status, "skipped: same as ") {
			decided = append(decided, fmt.Sprintf("ingest: %s: %s", summaryName(in.Name), in.Status))
		}
	}
	reasons := map[string]int{}
	var order []string
	for _, ig := range res.Ignored {
		if ig.Reason == datasets.ReasonStopAndSearch || ig.Reason == datasets.ReasonNorthernIreland {
			e.log.Debug("not ingested", "file", ig.Path, "reason", ig.Reason)
		} else {
			e.log.Warn("not an input", "file", ig.Path, "reason", ig.Reason)
		}
		if reasons[ig.Reason] == 0 {
			order = append(order, ig.Reason)
		}
		reasons[ig.Reason]++
	}
	switch {
	case len(res.Inputs) == 0:
		fmt.Fprintf(e.stdout, "ingest: nothing to ingest (%q)\n", data)
	case res.Vintage == "":
		fmt.Fprintf(e.stdout, "ingest: %d input(s) already in the dataset, nothing new (%q)\n", len(res.Inputs), data)
	default:
		fmt.Fprintf(e.stdout, "ingest: vintage %s: %d new input(s) of %d, %d rows read, %d used, %d skipped (%q)\n",
			res.Vintage, fresh, len(res.Inputs), rows, used, skipped, data)
	}
	if hasOutcomes > 0 {
		fmt.Fprintf(e.stdout, "ingest: police.uk outcomes: %d used: %d typed through their Crime ID in the street files, "+
			"%d outcome(s) of a crime not in the street files: type unknown\n", outcomes, outcomes-untyped, untyped)
	}
	if n, types := pipeline.UnknownOutcomeTypes(res.Inputs); n > 0 {
		var named []string
		for i, t := range types {
			if i == maxListed {
				named = append(named, fmt.Sprintf("and %d more", len(types)-maxListed))
				break
			}
			named = append(named, fmt.Sprintf("%q (%d)", t.Type, t.Outcomes))
		}
		fmt.Fprintf(e.stdout, "ingest: police.uk outcomes: %d outcome(s) of %d type(s) crimetrends does not list, counted as \"Other outcome\": %s\n",
			n, len(types), strings.Join(named, ", "))
	}
	for i, line := range decided {
		if i == maxListed {
			fmt.Fprintf(e.stdout, "ingest: and %d more superseded or repeated input(s); the catalog records each, and a report's manifest.json lists them\n",
				len(decided)-maxListed)
			break
		}
		fmt.Fprintln(e.stdout, line)
	}
	if len(res.Ignored) > 0 {
		parts := make([]string, 0, len(order))
		for _, r := range order {
			parts = append(parts, fmt.Sprintf("%s (%d)", r, reasons[r]))
		}
		fmt.Fprintf(e.stdout, "ingest: %d file(s) not ingested: %s\n", len(res.Ignored), strings.Join(parts, "; "))
	}
}

// summaryName quotes a file name holding spaces, quotes or control
// characters, so that one line stays one line and reads unambiguously.
func summaryName(name string) string {
	if strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == '"' || r == '\'' || r == 0x7f }) {
		return strconv.Quote(name)
	}
	return name
}

func (e *env) demo(ctx context.Context, out string) error {
	inputs := joinPath(out, "synthetic-inputs")
	data := joinPath(out, "synthetic-data")
	paths, err := demo.Generate(ctx, inputs, demo.Options{})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	e.log.Info("generated synthetic extracts", "files", len(paths), "folder", inputs)
	// The demo's vintages are dated by a fixed clock so its outputs never change.
	fixed := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	d := *e
	d.now = func() time.Time { return fixed }
	res, err := d.ingest(ctx, data, []string{joinPath(inputs, demo.PoliceUKDir), joinPath(inputs, demo.HomeOfficeDir)})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if res.Vintage != "" {
		e.kept = fmt.Sprintf("vintage %s was added to the synthetic dataset %q", res.Vintage, data)
	}
	return d.report(ctx, reportParams{
		data: data, out: out, synthetic: true,
		forces:      []string{"Wiltshire"},
		selectors:   demoSelectors(),
		generatedAt: fixed,
		// An illustrative peer group and event, so the demo shows them.
		peerGroups: []datasets.PeerGroup{{Name: "Illustrative peer group", Members: []string{
			"E23000039", "E23000037", "E23000017", "E23000025", "E23000029", "E23000035"}}},
		events: []datasets.Event{{Month: datasets.MonthOf(2023, 10), Label: "Illustrative event: new crime recording system", AreaCode: "E23000038", Source: "config"}},
		notes: []string{fmt.Sprintf("The synthetic volumes are %s%% of real ones in every source alike, so the sources are in proportion but every count and rate is far below a real one.",
			strconv.FormatFloat(100*demo.DefaultScale, 'g', -1, 64))},
	}, &res)
}

// demoSelectors are reported beside each source's default selections:
// stalking and harassment, the subgroup of the headline example.
func demoSelectors() []datasets.Selector {
	s, err := datasets.ResolveSelector("Stalking and harassment")
	if err != nil {
		return nil
	}
	return []datasets.Selector{s}
}

func verifyCmd(e *env) *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "verify [--data DIR]",
		Short: "Check that the dataset is whole: every file listed, hashes and rows as recorded, nothing extra",
		Long: `verify checks the dataset in --data without changing it: every line of catalog.json, every
vintage record in catalog/ against it, every Parquet file a record names (present, with the
SHA-256 and size recorded when it was written, holding the rows recorded for each input),
and that catalog/, counts/, published/, outcomes/ and crimeids/ hold nothing else. It prints what it found and
exits 0 when the dataset is whole, 1 otherwise. Leftovers of an ingest that did not finish
(or is running) are listed as notes: the next ingest removes them. It works on a read-only
dataset and beside a running ingest.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.verify(cmd.Context(), data)
		},
	}
	cmd.Flags().StringVar(&data, "data", defaultData, "dataset folder")
	return cmd
}

func (e *env) verify(ctx context.Context, data string) error {
	rep, err := store.Verify(ctx, data, store.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "verify: %q: %d vintage(s), %d input(s), %d Parquet file(s) checked\n", data, rep.Vintages, rep.Inputs, rep.Files)
	for _, f := range rep.Problems {
		fmt.Fprintf(e.stdout, "problem: %q: %s\n", f.Path, f.What)
	}
	for _, f := range rep.Notes {
		fmt.Fprintf(e.stdout, "note: %q: %s\n", f.Path, f.What)
	}
	if !rep.Whole() {
		return fmt.Errorf("verify: %q is not whole: %d problem(s), listed above; crimetrends repair --data %s rebuilds catalog.json "+
			"from the vintage records (and with --delete-extra removes the files no record lists)", data, len(rep.Problems), store.ShellQuote(data))
	}
	fmt.Fprintf(e.stdout, "verify: %q is whole\n", data)
	return nil
}

func repairCmd(e *env) *cobra.Command {
	var data string
	var deleteExtra bool
	cmd := &cobra.Command{
		Use:   "repair [--data DIR] [--delete-extra]",
		Short: "Rebuild catalog.json from the vintage records; delete nothing unless asked",
		Long: `repair rebuilds catalog.json, the dataset's index, from the vintage records catalog/v000001.json,
v000002.json ... after checking every Parquet file they name as verify does; it refuses,
changing nothing, when a record is missing (a gap) or a file does not check out. Use it when
catalog.json is missing, empty, torn or older than the files (restored from a backup). An
index it replaces whose lines it cannot carry over is kept as catalog.json.before-repair.
It deletes nothing but what an interrupted ingest provably left, unless --delete-extra is
given: then it removes the files in catalog/, counts/, published/, outcomes/ and crimeids/
that no vintage record lists, and names each one. Like ingest it takes the dataset's lock.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.repair(cmd.Context(), data, deleteExtra)
		},
	}
	cmd.Flags().StringVar(&data, "data", defaultData, "dataset folder")
	cmd.Flags().BoolVar(&deleteExtra, "delete-extra", false, "delete the files no vintage record lists")
	waitFlag(cmd, e)
	return cmd
}

func (e *env) repair(ctx context.Context, data string, deleteExtra bool) error {
	res, err := store.Repair(ctx, data, store.RepairOptions{Options: e.storeOptions(data), DeleteExtra: deleteExtra})
	if err != nil {
		return err
	}
	if res.Rebuilt {
		fmt.Fprintf(e.stdout, "repair: %s rebuilt from %d vintage record(s) (%q)\n", store.CatalogFile, res.Vintages, data)
	} else {
		fmt.Fprintf(e.stdout, "repair: %s already lists the %d vintage record(s), left as it was (%q)\n", store.CatalogFile, res.Vintages, data)
	}
	if res.SavedAs != "" {
		fmt.Fprintf(e.stdout, "repair: the replaced %s is kept as %q\n", store.CatalogFile, res.SavedAs)
	}
	for _, f := range res.Deleted {
		fmt.Fprintf(e.stdout, "repair: deleted %q: no vintage record lists it\n", f)
	}
	for _, f := range res.Extra {
		fmt.Fprintf(e.stdout, "repair: kept %q: no vintage record lists it (--delete-extra deletes it)\n", f)
	}
	return nil
}
