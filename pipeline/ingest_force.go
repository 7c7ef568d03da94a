package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/force"
	"github.com/crimetrends/crimetrends/datasets/store"
)

// FormatForceExtract is the InputReport.Format of a merged series of force
// extracts.
const FormatForceExtract = "force-extract"

// Reasons, in the Stats of a merged force extract, for rows not counted
// besides those of force.SkipBlank and force.SkipDuplicate.
const (
	// SkipCancelled counts crime references whose latest version is
	// cancelled, transferred or no-crimed (force.Mapping.Cancelled).
	SkipCancelled = "cancelled"
	// SkipSuperseded counts versions of a crime reference replaced by its
	// version in a later extract.
	SkipSuperseded = "superseded by a later extract"
	// SkipIncomplete counts references recorded in a month no extract
	// holds complete: the month the latest extract was taken in.
	SkipIncomplete = "recorded in the month the extract was taken (month not yet complete)"
)

// ForceExtractSpec is one series of a force's own record-level extracts
// that merge into one input of the dataset.
type ForceExtractSpec struct {
	// Files are the extracts: CSV or xlsx files, or folders and .zip
	// archives of them (expanded as datasets.Expand does).
	Files []string
	// Mapping says which columns hold what; its Crosswalk, when set, is
	// the path of the crosswalk CSV as the process can open it.
	Mapping force.Mapping
}

// ForceFile is the accounting of one file of a force extract series.
type ForceFile struct {
	Name   string
	SHA256 string
	Taken  string // the extract date, YYYY-MM-DD
	Stats  datasets.Stats
}

// ForceRead is what ReadForceExtracts made of one ForceExtractSpec.
type ForceRead struct {
	// Extract is the merged series as one input: Source
	// datasets.SourceForce, Name the files joined by " + " in the order
	// merged (extract date, then name), SHA256 the digest described at
	// ReadForceExtracts, one Count per force, Home Office code and month,
	// one Coverage per force and month, and Stats accounting for every row
	// of every file: Read = Used + Skipped + Rejected, where Used is the
	// references counted and Skipped holds the files' blank and repeated
	// rows and SkipCancelled, SkipSuperseded and SkipIncomplete.
	Extract *datasets.Extract
	Files   []ForceFile // in the order merged
	// Crosswalk is the digest of the crosswalk file, "" without one.
	Crosswalk string
	Merge     force.MergeReport
}

// ReadForceExtracts reads every file of spec (CSV, or xlsx when the name
// ends .xlsx or the bytes are a zip archive) with spec.Mapping and the
// crosswalk it names, and merges them with force.Merge: the latest version
// of each crime reference wins and references whose latest version is
// cancelled are left out and counted.
//
// The extract's SHA256 is the hex SHA-256 of a text listing, one per line,
// the sorted digests of the files, the crosswalk's digest and the mapping
// (without the crosswalk's path): so the same files read the same way give
// the same digest whatever their order or location, and a changed file,
// crosswalk or mapping gives a new one. done, when not nil, is advanced
// by the bytes read.
//
// A bad row stops the read with the file's *datasets.RowError; no files
// found is an error. On cancellation it returns ctx.Err().
func ReadForceExtracts(ctx context.Context, spec ForceExtractSpec, done *atomic.Int64) (ForceRead, error) {
	inputs, _, err := datasets.Expand(spec.Files, datasets.ExpandOptions{})
	if err != nil {
		return ForceRead{}, fmt.Errorf("force extract: %w", err)
	}
	return readForceInputs(ctx, spec, inputs, done)
}

func readForceInputs(ctx context.Context, spec ForceExtractSpec, inputs []datasets.Input, done *atomic.Int64) (ForceRead, error) {
	if len(inputs) == 0 {
		return ForceRead{}, fmt.Errorf("force extract: no extract files found in %q: %s", spec.Files, noInputsHint)
	}
	if err := spec.Mapping.Validate(); err != nil {
		return ForceRead{}, err
	}
	if done == nil {
		done = new(atomic.Int64)
	}
	var res ForceRead
	var cw force.Crosswalk
	if p := strings.TrimSpace(spec.Mapping.Crosswalk); p != "" {
		var err error
		if cw, res.Crosswalk, err = readCrosswalkFile(p); err != nil {
			return ForceRead{}, err
		}
	}
	extracts := make([]*force.Extract, 0, len(inputs))
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return ForceRead{}, err
		}
		ext, err := readForceFile(ctx, in, spec.Mapping, cw, done)
		if err != nil {
			return ForceRead{}, err
		}
		extracts = append(extracts, ext)
	}
	counts, coverage, rep, err := force.Merge(extracts)
	if err != nil {
		return ForceRead{}, err
	}
	res.Merge = rep
	sort.SliceStable(extracts, func(i, j int) bool { // Merge's order
		a, b := extracts[i], extracts[j]
		if !a.Taken.Equal(b.Taken) {
			return a.Taken.Before(b.Taken)
		}
		return a.Name < b.Name
	})
	var stats datasets.Stats
	names := make([]string, 0, len(extracts))
	sums := make([]string, 0, len(extracts))
	for _, e := range extracts {
		res.Files = append(res.Files, ForceFile{Name: e.Name, SHA256: e.SHA256, Taken: e.Taken.Format("2006-01-02"), Stats: e.Stats})
		names = append(names, e.Name)
		sums = append(sums, e.SHA256)
		stats.Read += e.Stats.Read
		stats.Rejected += e.Stats.Rejected
		for k, v := range e.Stats.Skipped {
			stats.Skip(k, v)
		}
	}
	stats.Used = int64(rep.Records)
	for _, s := range []struct {
		reason string
		n      int
	}{{SkipCancelled, rep.Cancelled}, {SkipSuperseded, rep.Superseded}, {SkipIncomplete, rep.Incomplete}} {
		if s.n > 0 {
			stats.Skip(s.reason, int64(s.n))
		}
	}
	digest, err := forceDigest(sums, res.Crosswalk, spec.Mapping)
	if err != nil {
		return ForceRead{}, err
	}
	res.Extract = &datasets.Extract{
		Source: datasets.SourceForce, Name: strings.Join(names, " + "), SHA256: digest,
		Counts: counts, Coverage: coverage, Stats: stats,
	}
	if !stats.Balanced() {
		return ForceRead{}, fmt.Errorf("force extract %q: row accounting does not balance: read %d, used %d, skipped %d, rejected %d",
			res.Extract.Name, stats.Read, stats.Used, stats.SkippedTotal(), stats.Rejected)
	}
	return res, nil
}

// forceDigest is the SHA256 of a merged force extract (see
// ReadForceExtracts).
func forceDigest(fileSums []string, crosswalkSum string, m force.Mapping) (string, error) {
	sums := append([]string(nil), fileSums...)
	sort.Strings(sums)
	m.Crosswalk = ""
	mj, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("force extract: digest of the mapping: %w", err)
	}
	var b bytes.Buffer
	b.WriteString("crimetrends force extract\n")
	for _, s := range sums {
		fmt.Fprintf(&b, "file %s\n", s)
	}
	fmt.Fprintf(&b, "crosswalk %s\nmapping %s\n", crosswalkSum, mj)
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:]), nil
}

// readCrosswalkFile reads a crosswalk CSV and returns it with the hex
// SHA-256 of its bytes.
func readCrosswalkFile(path string) (force.Crosswalk, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("force extract crosswalk: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	cw, err := force.ReadCrosswalk(path, io.TeeReader(f, h))
	if err != nil {
		return nil, "", err
	}
	if _, err := io.Copy(h, f); err != nil {
		return nil, "", fmt.Errorf("force extract crosswalk %q: %w", path, err)
	}
	return cw, hex.EncodeToString(h.Sum(nil)), nil
}

// readForceFile reads one extract file: xlsx when its name ends .xlsx or
// it starts as a zip archive does, CSV otherwise.
func readForceFile(ctx context.Context, in datasets.Input, m force.Mapping, cw force.Crosswalk, done *atomic.Int64) (*force.Extract, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, fmt.Errorf("open %q: %w", in.Name, err)
	}
	defer rc.Close()
	br := bufio.NewReader(countingReader{rc, done})
	head, _ := br.Peek(4)
	if strings.HasSuffix(strings.ToLower(in.Name), ".xlsx") || bytes.Equal(head, []byte("PK\x03\x04")) {
		return force.ReadXLSX(ctx, in.Name, br, m, cw)
	}
	return force.ReadCSV(ctx, in.Name, br, m, cw)
}

// IngestForce is Ingest with force extracts: it reads every input under
// paths and every series of specs with ReadForceExtracts, and adds them all
// to the dataset as one new vintage, all or nothing. Each series is one
// input (Format FormatForceExtract) in the result.
//
// Of a data.police.uk archive (a .zip, an unpacked tree of YYYY-MM/
// folders, or a tree of such trees) every file is recognised: street files
// are counted; outcomes files become outcome counts (source
// datasets.SourcePoliceUKOutcomes), each outcome's crime type found through
// its Crime ID in the street files of this ingest, then in the Crime ID
// indexes of the dataset's vintages (an outcome of a crime in neither has
// its type unknown, and the input's report counts it in Untyped); stop and
// search files, and files of Northern Ireland (by name), are not ingested
// and come back in Ignored with the reason. Every street and outcomes row
// must be of the force and month its file's name and folder say
// (policeuk.ExpectFromName).
//
// Inputs that cover the same force and period (or carry the same
// published release) are decided by resolveConflicts, never by path order:
// one input of each set of identical figures is kept, the newest by its
// own dating (a data.police.uk archive's month, a force extract's date)
// wins over different figures, and different figures with no dating that
// tells them apart are an error wrapping ErrConflict naming both files. A
// superseded or repeated input keeps its accounting (its rows skipped with
// the reason), its catalog record says so, and its report's Status.
//
// The same files read the same way again change nothing; a later ingest
// of other figures for a force and period replaces the older figures in
// the store's current view (the older vintage is kept).
func IngestForce(ctx context.Context, st *store.Store, paths []string, specs []ForceExtractSpec, opts IngestOptions) (IngestResult, error) {
	var inputs []datasets.Input
	var ignored []datasets.SkippedPath
	if len(paths) > 0 {
		var err error
		if inputs, ignored, err = datasets.Expand(paths, datasets.ExpandOptions{}); err != nil {
			return IngestResult{}, fmt.Errorf("ingest: %w", err)
		}
		if len(inputs) == 0 {
			return IngestResult{}, fmt.Errorf("ingest: no input files found in %q: %s", paths, noInputsHint)
		}
	}
	series := make([][]datasets.Input, len(specs))
	for i, spec := range specs {
		ins, ign, err := datasets.Expand(spec.Files, datasets.ExpandOptions{})
		if err != nil {
			return IngestResult{}, fmt.Errorf("ingest: force extract %d: %w", i+1, err)
		}
		if len(ins) == 0 {
			return IngestResult{}, fmt.Errorf("ingest: force extract %d: no extract files found in %q: %s", i+1, spec.Files, noInputsHint)
		}
		series[i] = ins
		ignored = append(ignored, ign...)
	}
	if len(inputs) == 0 && len(specs) == 0 {
		return IngestResult{}, errors.New("ingest: nothing to ingest: name the files, folders or .zip archives to ingest")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	progress := opts.Progress
	if progress == nil {
		progress = &Progress{}
	}
	progress.Files.Store(int64(len(inputs) + len(specs)))
	for _, in := range inputs {
		progress.Bytes.Add(in.Size)
	}
	for _, ins := range series {
		for _, in := range ins {
			progress.Bytes.Add(in.Size)
		}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	months := datasets.ArchiveMonths(inputNames(inputs))
	spill := &lazySpill{st: st}
	defer spill.close(log)
	n := len(inputs) + len(specs)
	items := make([]*ingestItem, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range n {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			it := &ingestItem{}
			if i < len(inputs) {
				r, err := readInput(gctx, inputs[i], &progress.BytesDone, log, spill)
				if err != nil {
					return err
				}
				progress.FilesDone.Add(1)
				it.name, it.format = inputs[i].Name, string(r.format)
				if r.skip != "" {
					it.skip = r.skip
					items[i] = it
					return nil
				}
				it.ext, it.outcomes = r.ext, r.outcomes
				it.dating = archiveDating(inputs[i].Name, months)
			} else {
				r, err := readForceInputs(gctx, specs[i-len(inputs)], series[i-len(inputs)], &progress.BytesDone)
				if err != nil {
					return err
				}
				progress.FilesDone.Add(1)
				it.name, it.ext, it.format = r.Extract.Name, r.Extract, FormatForceExtract
				if len(r.Files) > 0 {
					it.dating = dating{kind: "extract", value: r.Files[len(r.Files)-1].Taken}
				}
				log.Debug("merged force extracts", "input", it.name, "extracts", r.Merge.Extracts, "records", r.Merge.Records,
					"reclassified", r.Merge.Reclassified, "cancelled", r.Merge.Cancelled, "superseded", r.Merge.Superseded)
			}
			if st := it.ext.Stats; !st.Balanced() {
				return fmt.Errorf("%q: row accounting does not balance: read %d, used %d, skipped %d, rejected %d",
					it.name, st.Read, st.Used, st.SkippedTotal(), st.Rejected)
			}
			items[i] = it
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return IngestResult{}, fmt.Errorf("ingest: %w", ctxErr)
		}
		return IngestResult{}, fmt.Errorf("ingest: %w", err)
	}
	var kept []*ingestItem
	for i, it := range items {
		if it.skip != "" {
			ignored = append(ignored, datasets.SkippedPath{Path: inputs[i].Name, Reason: it.skip})
			continue
		}
		kept = append(kept, it)
	}
	if err := typeOutcomes(ctx, st, kept); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return IngestResult{}, fmt.Errorf("ingest: %w", ctxErr)
		}
		return IngestResult{}, fmt.Errorf("ingest: %w", err)
	}
	if err := resolveConflicts(kept); err != nil {
		return IngestResult{}, fmt.Errorf("ingest: %w", err)
	}
	var extracts []*datasets.Extract
	for _, it := range kept {
		if !it.dropped {
			extracts = append(extracts, it.ext)
		}
	}
	added := store.AddResult{}
	if len(extracts) > 0 {
		var err error
		if added, err = st.Add(ctx, extracts); err != nil {
			return IngestResult{}, fmt.Errorf("ingest: %w", err)
		}
	}
	res := IngestResult{Ignored: ignored}
	if added.Vintage != nil {
		res.Vintage = added.Vintage.ID
	}
	for _, it := range kept {
		r := InputReport{Name: it.name, Format: it.format, Source: it.ext.Source, SHA256: it.ext.SHA256,
			Stats: it.ext.Stats, Vintage: res.Vintage, Status: StatusAdded, Dating: it.dating.String()}
		if it.outcomes != nil {
			unknown := map[string]int64{}
			for _, o := range it.ext.Outcomes {
				if o.CrimeType == datasets.CrimeTypeUnknown {
					r.Untyped += o.Count
				}
				if !datasets.KnownOutcomeType(o.Outcome) {
					unknown[o.Outcome] += o.Count
				}
			}
			r.UnknownOutcomes = sortTypeCounts(unknown)
		}
		switch v, ok := added.AlreadyPresent[it.name]; {
		case it.dropped:
			r.Vintage, r.Status = "", "skipped: same as "+it.sameAs
		case ok && v != res.Vintage:
			r.Vintage, r.Status = v, StatusAlreadyPresent
		case it.supersededBy != "":
			r.Status = fmt.Sprintf("superseded by %s (%s)", it.supersededBy, it.why)
		case it.sameAs != "":
			r.Status = "skipped: same as " + it.sameAs
		}
		res.Inputs = append(res.Inputs, r)
	}
	sort.SliceStable(res.Inputs, func(i, j int) bool { return res.Inputs[i].Name < res.Inputs[j].Name })
	return res, nil
}

// noInputsHint says what a folder must hold to give inputs.
const noInputsHint = "a folder gives its .csv, .xlsx, .ods and .zip files (not hidden ones), and a .zip archive its entries of those kinds"
