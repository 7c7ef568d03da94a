package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/crimetrends/crimetrends/datasets"
)

// Names inside a store directory.
const (
	// CatalogFile is the name, in the store directory, of the catalog's
	// index and commit point: one JSON line per committed vintage.
	CatalogFile = "catalog.json"
	// VintagesDir is the directory, relative to the store directory, that
	// holds one JSON file per vintage with its inputs' full records.
	VintagesDir = "catalog"
	// CountsDir is the directory, relative to the store directory, that
	// holds the Parquet files of counts: one per vintage and source.
	CountsDir = "counts"
	// PublishedDir is the directory, relative to the store directory, that
	// holds the Parquet files of published figures (datasets.Published):
	// one per vintage and source whose inputs of that vintage have any.
	PublishedDir = "published"
	// LockFile is the lock file's name in the store directory.
	LockFile = ".lock"

	catalogTemp = "." + CatalogFile + tempSuffix
	tempSuffix  = ".tmp"
	// catalogFormat is the catalog's "format": 3 since the catalog is an
	// index of one line per vintage plus one file per vintage; format 2 was
	// one catalog.json holding every vintage, format 1 had one Parquet file
	// per input.
	catalogFormat = 3
	maxSeq        = 999999
	maxRowGroup   = 512 << 10
	// staleUnreadable is how old a lock file with no readable pid must be
	// before it is taken to be left by a run killed while creating it.
	staleUnreadable = time.Minute
)

// batchRows is the number of rows per Arrow record batch written and read;
// a variable so that tests can make many batches from few rows.
var batchRows = 64 << 10

// ErrLocked is wrapped by the error Add returns when another live process
// holds the store's lock file. Match it with errors.Is.
var ErrLocked = errors.New("dataset store is locked by another run")

// Parquet column names, in file order.
const (
	ColSource      = "source"
	ColAreaCode    = "area_code"
	ColOffence     = "offence"
	ColPeriodStart = "period_start"
	ColPeriodEnd   = "period_end"
	ColCount       = "count"
	ColVintage     = "vintage"
	ColInputSHA256 = "input_sha256"
)

var countsSchema = arrow.NewSchema([]arrow.Field{
	{Name: ColSource, Type: arrow.BinaryTypes.String},
	{Name: ColAreaCode, Type: arrow.BinaryTypes.String},
	{Name: ColOffence, Type: arrow.BinaryTypes.String},
	{Name: ColPeriodStart, Type: arrow.BinaryTypes.String},
	{Name: ColPeriodEnd, Type: arrow.BinaryTypes.String},
	{Name: ColCount, Type: arrow.PrimitiveTypes.Int64},
	{Name: ColVintage, Type: arrow.BinaryTypes.String},
	{Name: ColInputSHA256, Type: arrow.BinaryTypes.String},
}, nil)

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// Clock gives the time recorded as a vintage's IngestedAt (stored in
	// UTC). Nil means time.Now; tests inject a fixed clock.
	Clock func() time.Time
	// Alloc allocates every Arrow buffer the store makes, and the store
	// releases all of them before each call returns. Nil means
	// memory.DefaultAllocator; tests pass a checked allocator.
	Alloc memory.Allocator
}

// Store is a directory of ingested counts: one Parquet file per vintage and
// source under CountsDir, holding the rows of that vintage's inputs of that
// source, and a catalog: an index (CatalogFile) with one line per vintage
// and one file per vintage under VintagesDir with its inputs' full records.
// The index is the commit point: files of vintages it does not list do not
// exist as far as the Store is concerned.
//
// A Store's methods may be called from several goroutines. Within one
// process, Adds to one Store run one at a time; across processes (or Stores
// opened twice on one directory) the lock file makes a concurrent Add fail
// with ErrLocked.
type Store struct {
	dir   string
	clock func() time.Time
	alloc memory.Allocator

	mu      sync.Mutex
	idx     index              // catalog.json as last read or written
	details map[string]Vintage // full vintage records read by Current, by ID
}

// Vintage is the set of inputs added by one successful Add.
type Vintage struct {
	ID         string    // "v000001": "v" and Seq in six digits, so IDs sort lexically in Seq order
	Seq        int       // 1 for the first vintage, then 2, 3 ...
	IngestedAt time.Time // from Options.Clock, in UTC
	Inputs     []InputRecord
}

// InputRecord describes one ingested input (one datasets.Extract).
type InputRecord struct {
	Name   string // Extract.Name
	SHA256 string // Extract.SHA256: lowercase hex of the input's bytes
	Source string // Extract.Source
	Rows   int64  // number of counts, and so of rows in File whose input_sha256 is SHA256
	// File is the path, relative to the store directory and with forward
	// slashes, of the Parquet file holding the input's rows:
	// "counts/<vintage ID>-<source>.parquet". Every input of one source in
	// one vintage names the same file, which holds their rows input after
	// input in Add order, each input's rows sorted as datasets.SortCounts
	// sorts them. It is "" for an input with no counts and some published
	// rows (an ONS release), which has no counts file. For a police.uk
	// outcomes input (datasets.SourcePoliceUKOutcomes) Rows counts its
	// outcome counts and File is "outcomes/<vintage ID>-<source>.parquet".
	File string
	// PublishedRows is the number of Extract.Published rows, and so of rows
	// in PublishedFile whose input_sha256 is SHA256.
	PublishedRows int64
	// PublishedFile is the path, relative to the store directory and with
	// forward slashes, of the Parquet file holding the input's published
	// rows, "published/<vintage ID>-<source>.parquet", shared as File is;
	// "" when PublishedRows is 0. Each input's rows are sorted by release,
	// area code, offence and period end.
	PublishedFile string
	// Releases are the distinct release IDs of the input's published rows,
	// sorted.
	Releases []string
	// ReleaseNotes are Extract.ReleaseNotes, in the order given.
	ReleaseNotes []datasets.ReleaseNote
	// Coverage is Extract.Coverage, sorted by source, area, start and end.
	Coverage []datasets.Coverage
	// Stats is Extract.Stats: the input's row accounting when it was read.
	Stats datasets.Stats
	// CrimeIDs is the number of the input's hashed Crime IDs
	// (Extract.CrimeIDs), the rows of "crimeids/<vintage ID>.parquet"
	// whose input_sha256 is SHA256.
	CrimeIDs int64
	// SupersededBy and SameAs are Extract.SupersededBy and
	// Extract.SameAs: the input of the same vintage whose newer figures
	// replaced this one's, or whose figures this one repeats.
	SupersededBy string
	SameAs       string
}

// AddResult says what an Add did.
type AddResult struct {
	// Vintage is the new vintage, or nil when every extract was already
	// in the store (then nothing on disk changed).
	Vintage *Vintage
	// Added names the inputs written to the new vintage, in call order.
	Added []string
	// AlreadyPresent maps the name of each input whose SHA-256 the store
	// already held to the ID of the vintage holding it. It is nil when empty.
	AlreadyPresent map[string]string
}

// Snapshot is the current dataset: the latest figures for every coverage key.
type Snapshot struct {
	// Counts are the counts of the winning input of each key, sorted with
	// datasets.SortCounts.
	Counts []datasets.Count
	// Coverage lists every key, sorted by source, area, start and end.
	Coverage []datasets.Coverage
	// Vintages is the whole catalog the snapshot was taken from, in Seq order.
	Vintages []Vintage
	// Superseded lists every time a key's figures passed from one vintage to
	// a newer one, sorted by key and then by New. A key covered by vintages
	// 1, 2 and 3 gives two entries (1 -> 2 and 2 -> 3); an input replacing
	// another within the same vintage gives none.
	Superseded []SupersededKey
	// Published holds, for every release ID, the published rows of the
	// latest input carrying that release (see Store.Current), sorted by
	// release, area code, offence and period end.
	Published []datasets.Published
	// SupersededReleases lists every time a release's published rows
	// passed from one vintage to a newer one, sorted by release and then by
	// New, as Superseded does for coverage keys.
	SupersededReleases []SupersededRelease
	// ReleaseNotes are the release notes of the input that won each
	// release, sorted by release and then in the order given.
	ReleaseNotes []datasets.ReleaseNote
}

// SupersededKey records that a newer vintage replaced an older one's figures
// for one coverage key.
type SupersededKey struct {
	Key      datasets.Coverage
	Old      string // ID of the vintage replaced
	OldInput string // name of the input replaced
	New      string // ID of the replacing vintage
	NewInput string // name of the replacing input
}

// Open opens the store in dir, creating dir, dir/counts, dir/published and
// dir/catalog if missing, and reads the catalog's index, CatalogFile (a
// missing index is an empty store; an unreadable one is an error naming it
// and the line). It reads no vintage file: its cost follows the number of
// inputs ingested, not their coverage or rows.
//
// When no other live process holds the lock, Open also removes what a failed
// or killed Add left behind: temporary files (".*.tmp"), Parquet files in
// dir/counts and dir/published and vintage files in dir/catalog of vintages
// the index does not list, and a torn last line of the index. Other files
// are left alone.
// When another process holds the lock, Open skips the clean-up and still
// succeeds, so reading is never blocked by a writer.
func Open(dir string, opts Options) (*Store, error) {
	if dir == "" {
		return nil, errors.New("open dataset store: empty directory name")
	}
	for _, sub := range []string{CountsDir, PublishedDir, VintagesDir} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("open dataset store: %w", err)
		}
	}
	s := &Store{dir: dir, clock: opts.Clock, alloc: opts.Alloc, details: map[string]Vintage{}}
	s.idx.reset()
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.alloc == nil {
		s.alloc = memory.DefaultAllocator
	}
	unlock, err := s.lock()
	switch {
	case err == nil:
		defer unlock()
	case errors.Is(err, ErrLocked):
		unlock = nil
	default:
		return nil, fmt.Errorf("open dataset store %s: %w", dir, err)
	}
	if err := s.refresh(); err != nil {
		return nil, fmt.Errorf("open dataset store %s: %w", dir, err)
	}
	if unlock != nil {
		if err := s.clean(); err != nil {
			return nil, fmt.Errorf("open dataset store %s: %w", dir, err)
		}
	}
	return s, nil
}

// Vintages returns the vintages of the catalog's index (CatalogFile) as
// last read or written by this Store, in Seq order. It reads no file: each
// InputRecord has its Name, SHA256, Source, Rows, File, PublishedRows and
// PublishedFile, but no Releases, no Coverage and zero Stats, which only
// the vintage files hold; Snapshot.Vintages has them.
func (s *Store) Vintages() []Vintage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneVintages(s.idx.vintages)
}

// Add writes one new vintage holding every extract whose SHA-256 the store
// does not already hold, and commits it by appending one line to the
// catalog's index (CatalogFile). Extracts
// already held are listed in AlreadyPresent; when none is new, Add changes
// nothing on disk and returns a nil Vintage. An extract repeated in one call
// (same name and SHA-256) is taken once; the same SHA-256 under another name
// in one call is written once and the other name is listed in AlreadyPresent
// with the new vintage's ID.
//
// Add takes the lock file first and fails with an error wrapping ErrLocked
// when another live process holds it. Under the lock it reads what other
// processes appended to the index since this Store last read it, and removes
// leftovers of killed runs, as Open does. Its cost follows the inputs it is
// given, not the size of the dataset.
//
// Each extract must satisfy the Extract contract, and Add checks it before
// writing anything: Name not empty; Source of lowercase letters, digits, '-'
// or '_'; SHA256 64 lowercase hex digits; every Coverage and Count of the
// extract's Source, with an area code and months 1900-01..2999-12, Start <=
// End; coverage keys of one area not overlapping; every count inside one of
// its extract's coverage keys (same area, Start..End within the key); no two
// counts with the same source, area, offence, start and end; every
// Published row with a release ID (valid UTF-8), an area code known to
// datasets.AreaByCode, a period end in 1900-01..2999-12, Months > 0, a zero
// Count, PctChange or Rate where HasCount, HasPct or HasRate is false (the
// store keeps an unpublished figure as null), finite PctChange and Rate,
// footnotes that are valid UTF-8, not empty and without a newline, and no
// two rows with the same release, area, offence and period end; every
// release note naming a release of the extract's published rows, its text
// a valid footnote. Two
// extracts of one call with the same name and different SHA-256 are an
// error. An extract may carry counts, published rows, both or neither.
//
// Add writes one Parquet file of counts per source of the new inputs,
// "counts/<vintage ID>-<source>.parquet", holding their rows input after
// input in call order (an input with no counts but some published rows has
// none), one Parquet file of published rows per source that has any,
// "published/<vintage ID>-<source>.parquet", likewise, and the vintage's
// full record, "catalog/<vintage ID>.json". These are written under temporary names,
// synced and renamed, and only then is the vintage's line appended to the
// index and synced, so an error, a cancellation or a kill leaves the
// previous index, and so the dataset, as it was. On cancellation Add
// returns ctx.Err() unwrapped.
func (s *Store) Add(ctx context.Context, extracts []*datasets.Extract) (AddResult, error) {
	if err := ctx.Err(); err != nil {
		return AddResult{}, err
	}
	inputs, err := prepare(extracts)
	if err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %s: %w", s.dir, err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	unlock, err := s.lock()
	if err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %s: %w", s.dir, err)
	}
	defer unlock()
	if err := s.refresh(); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %s: %w", s.dir, err)
	}
	if err := s.clean(); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %s: %w", s.dir, err)
	}

	seq := len(s.idx.vintages) + 1
	vid := vintageID(seq)
	var res AddResult
	var fresh []prepared
	inCall := map[string]bool{} // SHA-256s new in this call
	for _, in := range inputs {
		id, ok := s.idx.held[in.e.SHA256]
		if inCall[in.e.SHA256] {
			id, ok = vid, true // the same bytes again in this call
		}
		if ok {
			if res.AlreadyPresent == nil {
				res.AlreadyPresent = map[string]string{}
			}
			res.AlreadyPresent[in.e.Name] = id
			continue
		}
		inCall[in.e.SHA256] = true
		fresh = append(fresh, in)
	}
	if len(fresh) == 0 {
		return res, nil
	}
	if seq > maxSeq {
		return AddResult{}, fmt.Errorf("add to dataset store %s: more than %d vintages", s.dir, maxSeq)
	}

	v := Vintage{ID: vid, Seq: seq, IngestedAt: s.clock().UTC().Round(0)}
	// One counts file and one published file per source, each holding that
	// source's inputs that name it, in call order.
	type group struct {
		rel   string // slash path of the file
		write func(ctx context.Context, p, vid string, ins []prepared) error
		ins   []prepared
	}
	groups := map[string]*group{}
	var rels []string
	member := func(rel string, write func(context.Context, string, string, []prepared) error, in prepared) {
		if rel == "" {
			return
		}
		g, ok := groups[rel]
		if !ok {
			g = &group{rel: rel, write: write}
			groups[rel] = g
			rels = append(rels, rel)
		}
		g.ins = append(g.ins, in)
	}
	for _, in := range fresh {
		rows, pub := int64(len(in.counts)), int64(len(in.published))
		write := s.writeParquet
		if isOutcomes(in.e.Source) {
			rows, write = int64(len(in.outcomes)), s.writeOutcomes
		}
		rec := InputRecord{
			Name:          in.e.Name,
			SHA256:        in.e.SHA256,
			Source:        in.e.Source,
			Rows:          rows,
			File:          countsFile(vid, in.e.Source, rows, pub),
			PublishedRows: pub,
			PublishedFile: publishedFile(vid, in.e.Source, pub),
			Releases:      in.releases,
			ReleaseNotes:  in.notes,
			Coverage:      in.coverage,
			Stats:         in.e.Stats,
			CrimeIDs:      crimeIDRows(in.e),
			SupersededBy:  in.e.SupersededBy,
			SameAs:        in.e.SameAs,
		}
		member(rec.File, write, in)
		member(rec.PublishedFile, s.writePublished, in)
		if rec.CrimeIDs > 0 {
			member(crimeIDsFile(vid), s.writeCrimeIDs, in)
		}
		v.Inputs = append(v.Inputs, rec)
		res.Added = append(res.Added, in.e.Name)
	}
	sort.Strings(rels)
	for _, d := range []string{OutcomesDir, CrimeIDsDir} {
		if err := s.ensureDir(d); err != nil {
			return AddResult{}, fmt.Errorf("add to dataset store %s: %w", s.dir, err)
		}
	}

	var temps, finals []string // absolute paths to remove if the commit fails
	committed := false
	defer func() {
		if !committed {
			for _, p := range append(temps, finals...) {
				_ = os.Remove(p)
			}
		}
	}()
	for _, rel := range rels {
		if err := ctx.Err(); err != nil {
			return AddResult{}, err
		}
		g := groups[rel]
		tmp := s.tempPath(rel)
		temps = append(temps, tmp)
		if err := g.write(ctx, tmp, vid, g.ins); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
				return AddResult{}, ctxErr
			}
			return AddResult{}, fmt.Errorf("add to dataset store %s: write %s: %w", s.dir, rel, err)
		}
	}
	vrel := vintageFile(vid)
	vdata, err := encodeVintage(v)
	if err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %s: encode %s: %w", s.dir, vrel, err)
	}
	vtmp := s.tempPath(vrel)
	temps = append(temps, vtmp)
	if err := writeSynced(vtmp, vdata); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %s: write %s: %w", s.dir, vrel, err)
	}
	if err := ctx.Err(); err != nil {
		return AddResult{}, err
	}
	for i, rel := range rels {
		final := filepath.Join(s.dir, filepath.FromSlash(rel))
		if err := os.Rename(temps[i], final); err != nil {
			return AddResult{}, fmt.Errorf("add to dataset store %s: %w", s.dir, err)
		}
		finals = append(finals, final)
	}
	vfinal := filepath.Join(s.dir, filepath.FromSlash(vrel))
	if err := os.Rename(vtmp, vfinal); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %s: %w", s.dir, err)
	}
	finals = append(finals, vfinal)
	for _, d := range []string{CountsDir, PublishedDir, OutcomesDir, CrimeIDsDir, VintagesDir} {
		syncDir(filepath.Join(s.dir, d))
	}
	if err := s.commit(v); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %s: %w", s.dir, err)
	}
	committed = true
	out := cloneVintages([]Vintage{v})[0]
	s.details[vid] = cloneVintages([]Vintage{v})[0]
	res.Vintage = &out
	return res, nil
}

// Current returns the current dataset from the catalog as last read or
// written by this Store (Open, then each Add). It reads the file of every
// vintage (catalog/<vintage ID>.json) not read before by this Store and
// checks it against the index; a missing or bad one is an error naming it.
//
// Each coverage key (source, area, Start, End) is won by the latest input
// that covers it: the one in the highest Seq vintage, and within a vintage
// the later in Add order. A count belongs to the key of its own input with
// its source and area and Start <= count.Start, count.End <= End; it is
// returned only if that input won the key. So a newer extract for a force
// and period replaces every older figure for that key, including offences it
// no longer lists, and keys it does not cover keep their older figures.
// Keys are compared exactly: keys that merely overlap (a quarter and one of
// its months) are different keys and both are kept.
//
// Published rows follow the same rule with the release ID as the key: each
// release is won by the latest input carrying it (highest Seq vintage, then
// later in Add order), and Snapshot.Published holds the winner's rows of
// that release. So a release ingested again from other bytes (a corrected
// file under the same ID) replaces the earlier rows, and different releases
// are all kept, each its own vintage of the published figures.
//
// Current reads only the files holding a winning input, each once, routing
// its rows to inputs by input_sha256 and keeping the rows of winning inputs.
// A missing or unreadable file, or one that does not match the catalog
// (schema, nulls, a row's source or release, vintage or input_sha256, the
// row count of each input it holds), is an error naming it. On cancellation
// Current returns ctx.Err().
func (s *Store) Current(ctx context.Context) (Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return Snapshot{}, err
	}
	vs, err := s.catalog(ctx)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return Snapshot{}, ctxErr
		}
		return Snapshot{}, fmt.Errorf("read dataset store %s: %w", s.dir, err)
	}

	history := latestByKey(vs, func(in InputRecord) []datasets.Coverage { return in.Coverage })
	snap := Snapshot{Vintages: vs}
	winner := make(map[datasets.Coverage]inputRef, len(history))
	for k, h := range history {
		winner[k] = h[len(h)-1]
		if !isOutcomes(k.Source) { // outcome keys: Store.Outcomes
			snap.Coverage = append(snap.Coverage, k)
		}
		for j := 1; j < len(h); j++ {
			o, n := h[j-1], h[j]
			snap.Superseded = append(snap.Superseded, SupersededKey{
				Key: k,
				Old: vs[o.v].ID, OldInput: vs[o.v].Inputs[o.i].Name,
				New: vs[n.v].ID, NewInput: vs[n.v].Inputs[n.i].Name,
			})
		}
	}
	sortCoverage(snap.Coverage)
	sort.Slice(snap.Superseded, func(i, j int) bool {
		a, b := snap.Superseded[i], snap.Superseded[j]
		if a.Key != b.Key {
			return coverageLess(a.Key, b.Key)
		}
		return a.New < b.New
	})

	for vi, v := range vs {
		// The inputs of each file of this vintage, in Add order, and which won a key.
		files, members := groupByFile(v.Inputs, func(in InputRecord) string {
			if isOutcomes(in.Source) {
				return "" // read by Store.Outcomes
			}
			return in.File
		})
		for _, rel := range files {
			idx := members[rel]
			ins, want, anyWon := wonInputs(v, vi, idx, func(in InputRecord) []datasets.Coverage { return in.Coverage }, winner)
			if !anyWon {
				continue
			}
			counts, owner, err := s.readFile(ctx, rel, v.ID, ins, want)
			if err != nil {
				if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
					return Snapshot{}, ctxErr
				}
				return Snapshot{}, fmt.Errorf("read dataset store %s: %w", s.dir, err)
			}
			keys := make([]map[string][]datasets.Coverage, len(ins)) // per input: area code -> keys
			for n, c := range counts {
				j := owner[n]
				if keys[j] == nil {
					keys[j] = map[string][]datasets.Coverage{}
					for _, k := range ins[j].Coverage {
						keys[j][k.AreaCode] = append(keys[j][k.AreaCode], k)
					}
				}
				k, ok := ownerKey(keys[j][c.AreaCode], c)
				if !ok {
					return Snapshot{}, fmt.Errorf("read dataset store %s: %s: input %q: count %s %s %s..%s lies outside the input's coverage in %s",
						s.dir, rel, ins[j].Name, c.AreaCode, c.Offence, c.Start, c.End, vintageFile(v.ID))
				}
				if winner[k] == (inputRef{vi, idx[j]}) {
					snap.Counts = append(snap.Counts, c)
				}
			}
		}
	}
	datasets.SortCounts(snap.Counts)
	if err := s.currentPublished(ctx, vs, &snap); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return Snapshot{}, ctxErr
		}
		return Snapshot{}, fmt.Errorf("read dataset store %s: %w", s.dir, err)
	}
	return snap, nil
}

// currentPublished sets snap.Published and snap.SupersededReleases from
// the vintages vs, reading the published files that hold a winning input.
func (s *Store) currentPublished(ctx context.Context, vs []Vintage, snap *Snapshot) error {
	history := latestByKey(vs, func(in InputRecord) []string { return in.Releases })
	if len(history) == 0 {
		return nil
	}
	winner := make(map[string]inputRef, len(history))
	for r, h := range history {
		winner[r] = h[len(h)-1]
		for j := 1; j < len(h); j++ {
			snap.SupersededReleases = append(snap.SupersededReleases,
				SupersededRelease{Release: r, Old: vs[h[j-1].v].ID, New: vs[h[j].v].ID})
		}
	}
	sort.Slice(snap.SupersededReleases, func(i, j int) bool {
		a, b := snap.SupersededReleases[i], snap.SupersededReleases[j]
		if a.Release != b.Release {
			return a.Release < b.Release
		}
		return a.New < b.New
	})
	snap.ReleaseNotes = currentReleaseNotes(vs, winner)

	for vi, v := range vs {
		files, members := groupByFile(v.Inputs, func(in InputRecord) string { return in.PublishedFile })
		for _, rel := range files {
			idx := members[rel]
			ins, want, anyWon := wonInputs(v, vi, idx, func(in InputRecord) []string { return in.Releases }, winner)
			if !anyWon {
				continue
			}
			rows, owner, err := s.readPublished(ctx, rel, v.ID, ins, want)
			if err != nil {
				return err
			}
			for n, p := range rows {
				if winner[p.Release] == (inputRef{vi, idx[owner[n]]}) {
					snap.Published = append(snap.Published, p)
				}
			}
		}
	}
	slices.SortFunc(snap.Published, comparePublished)
	return nil
}

// catalog returns the full records of the vintages of the index as last
// read or written, reading the vintage files this Store has not read yet.
func (s *Store) catalog(ctx context.Context) ([]Vintage, error) {
	s.mu.Lock()
	sums := slices.Clone(s.idx.vintages)
	vs := make([]Vintage, len(sums))
	var missing []int
	for i, sum := range sums {
		if d, ok := s.details[sum.ID]; ok && d.Seq == sum.Seq && d.IngestedAt.Equal(sum.IngestedAt) && sameInputs(d, sum) {
			vs[i] = d
		} else {
			missing = append(missing, i)
		}
	}
	s.mu.Unlock()
	loaded := make([]Vintage, 0, len(missing))
	for _, i := range missing {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v, err := s.loadVintage(sums[i])
		if err != nil {
			return nil, err
		}
		vs[i] = v
		loaded = append(loaded, v)
	}
	s.mu.Lock()
	for _, v := range loaded {
		s.details[v.ID] = v
	}
	s.mu.Unlock()
	return cloneVintages(vs), nil
}

// sameInputs says whether the full record d has the inputs of the index
// record sum.
func sameInputs(d, sum Vintage) bool {
	if len(d.Inputs) != len(sum.Inputs) {
		return false
	}
	for i, in := range d.Inputs {
		want := sum.Inputs[i]
		if in.Name != want.Name || in.SHA256 != want.SHA256 || in.Source != want.Source || in.Rows != want.Rows || in.File != want.File ||
			in.PublishedRows != want.PublishedRows || in.PublishedFile != want.PublishedFile {
			return false
		}
	}
	return true
}

// ownerKey finds the key among keys (all of one area) that contains c.
func ownerKey(keys []datasets.Coverage, c datasets.Count) (datasets.Coverage, bool) {
	for _, k := range keys {
		if k.Source == c.Source && k.Start <= c.Start && c.End <= k.End {
			return k, true
		}
	}
	return datasets.Coverage{}, false
}

// prepared is a checked extract with its counts, coverage and published
// rows sorted, and its releases.
type prepared struct {
	e         *datasets.Extract
	counts    []datasets.Count
	coverage  []datasets.Coverage
	published []datasets.Published
	releases  []string
	outcomes  []datasets.OutcomeCount
	notes     []datasets.ReleaseNote
}

func prepare(extracts []*datasets.Extract) ([]prepared, error) {
	var out []prepared
	byName := map[string]string{} // name -> SHA-256
	for i, e := range extracts {
		if e == nil {
			return nil, fmt.Errorf("extract %d is nil", i)
		}
		if sha, ok := byName[e.Name]; ok {
			if sha == e.SHA256 {
				continue
			}
			return nil, fmt.Errorf("input %q: given twice with different SHA-256", e.Name)
		}
		byName[e.Name] = e.SHA256
		p, err := check(e)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", e.Name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

var (
	firstMonth = datasets.MonthOf(1900, 1)
	lastMonth  = datasets.MonthOf(2999, 12)
)

func validPeriod(start, end datasets.Month) bool {
	return firstMonth <= start && start <= end && end <= lastMonth
}

// check enforces Add's contract on one extract.
func check(e *datasets.Extract) (prepared, error) {
	if e.Name == "" {
		return prepared{}, errors.New("empty input name")
	}
	if !validSource(e.Source) {
		return prepared{}, fmt.Errorf("source %q: want lowercase letters, digits, '-' or '_'", e.Source)
	}
	if !validSHA256(e.SHA256) {
		return prepared{}, fmt.Errorf("SHA-256 %q: want 64 lowercase hex digits", e.SHA256)
	}
	cov := slices.Clone(e.Coverage)
	for _, k := range cov {
		if k.Source != e.Source || k.AreaCode == "" || !validPeriod(k.Start, k.End) {
			return prepared{}, fmt.Errorf("coverage %s %q %s..%s: want source %q, an area code and months 1900-01..2999-12 with start <= end",
				k.Source, k.AreaCode, k.Start, k.End, e.Source)
		}
	}
	sortCoverage(cov)
	keys := map[string][]datasets.Coverage{}
	for i, k := range cov {
		if i > 0 && cov[i-1].AreaCode == k.AreaCode && cov[i-1].End >= k.Start {
			p := cov[i-1]
			return prepared{}, fmt.Errorf("coverage %s %s..%s overlaps %s..%s", k.AreaCode, p.Start, p.End, k.Start, k.End)
		}
		keys[k.AreaCode] = append(keys[k.AreaCode], k)
	}
	counts := e.Counts
	if !slices.IsSortedFunc(counts, compareCounts) {
		counts = slices.Clone(counts)
		slices.SortFunc(counts, compareCounts)
	}
	for i, c := range counts {
		if c.Source != e.Source || c.AreaCode == "" || !validPeriod(c.Start, c.End) {
			return prepared{}, fmt.Errorf("count %s %q %q %s..%s: want source %q, an area code and months 1900-01..2999-12 with start <= end",
				c.Source, c.AreaCode, c.Offence, c.Start, c.End, e.Source)
		}
		if _, ok := ownerKey(keys[c.AreaCode], c); !ok {
			return prepared{}, fmt.Errorf("count %s %q %s..%s lies outside the extract's coverage", c.AreaCode, c.Offence, c.Start, c.End)
		}
		if i > 0 && compareCounts(counts[i-1], c) == 0 {
			return prepared{}, fmt.Errorf("count %s %q %s..%s given twice", c.AreaCode, c.Offence, c.Start, c.End)
		}
	}
	published, releases, err := checkPublished(e.Published)
	if err != nil {
		return prepared{}, err
	}
	outcomes, err := checkOutcomes(e, keys)
	if err != nil {
		return prepared{}, err
	}
	notes, err := checkReleaseNotes(e.ReleaseNotes, releases)
	if err != nil {
		return prepared{}, err
	}
	return prepared{e: e, counts: counts, coverage: cov, published: published, releases: releases, outcomes: outcomes, notes: notes}, nil
}

func validSource(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := range len(s) {
		if r := s[i]; !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if r := s[i]; !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// compareCounts orders counts as datasets.SortCounts does.
func compareCounts(a, b datasets.Count) int {
	if c := strings.Compare(a.Source, b.Source); c != 0 {
		return c
	}
	if c := strings.Compare(a.AreaCode, b.AreaCode); c != 0 {
		return c
	}
	if c := strings.Compare(a.Offence, b.Offence); c != 0 {
		return c
	}
	if a.Start != b.Start {
		return int(a.Start - b.Start)
	}
	return int(a.End - b.End)
}

func coverageLess(a, b datasets.Coverage) bool {
	if a.Source != b.Source {
		return a.Source < b.Source
	}
	if a.AreaCode != b.AreaCode {
		return a.AreaCode < b.AreaCode
	}
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	return a.End < b.End
}

func sortCoverage(cs []datasets.Coverage) {
	sort.Slice(cs, func(i, j int) bool { return coverageLess(cs[i], cs[j]) })
}

func vintageID(seq int) string { return fmt.Sprintf("v%06d", seq) }

// fileName is the name, in CountsDir or PublishedDir, of the file holding
// the rows of every input of one source in vintage vid.
func fileName(vid, source string) string {
	return vid + "-" + source + ".parquet"
}

// countsFile is the slash path of the counts file of an input of vintage
// vid with rows counts and published published rows: none ("") when it has
// no counts and some published rows.
func countsFile(vid, source string, rows, published int64) string {
	if rows == 0 && published > 0 {
		return ""
	}
	return countsDir(source) + "/" + fileName(vid, source)
}

// publishedFile is the slash path of the published file of an input of
// vintage vid with published published rows: none ("") when it has none.
func publishedFile(vid, source string, published int64) string {
	if published == 0 {
		return ""
	}
	return PublishedDir + "/" + fileName(vid, source)
}

// tempPath gives the temporary name of rel (a slash path relative to the
// store): a dot file in the same directory ending in .tmp, which a
// "*.parquet" glob does not match.
func (s *Store) tempPath(rel string) string {
	dir, name := path.Split(rel)
	return filepath.Join(s.dir, filepath.FromSlash(dir), "."+name+tempSuffix)
}

// writeParquet writes the counts of ins, input after input, to the file at
// p and syncs it. Rows go to record batches of at most batchRows rows that
// may span inputs; buffers are sized to the rows written, so a file of a few
// rows allocates little.
func (s *Store) writeParquet(ctx context.Context, p, vid string, ins []prepared) (err error) {
	total := 0
	for _, in := range ins {
		total += len(in.counts)
	}
	w, err := s.newBatchWriter(ctx, p, countsSchema, total)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			w.abort()
		}
	}()
	b := w.b
	var (
		source  = b.Field(0).(*array.StringBuilder)
		area    = b.Field(1).(*array.StringBuilder)
		offence = b.Field(2).(*array.StringBuilder)
		start   = b.Field(3).(*array.StringBuilder)
		end     = b.Field(4).(*array.StringBuilder)
		count   = b.Field(5).(*array.Int64Builder)
		vintage = b.Field(6).(*array.StringBuilder)
		input   = b.Field(7).(*array.StringBuilder)
	)
	for _, in := range ins {
		sha := in.e.SHA256
		for _, c := range in.counts {
			if err := w.begin(); err != nil {
				return err
			}
			source.Append(c.Source)
			area.Append(c.AreaCode)
			offence.Append(c.Offence)
			start.Append(w.month(c.Start))
			end.Append(w.month(c.End))
			count.Append(c.Count)
			vintage.Append(vid)
			input.Append(sha)
			if err := w.end(); err != nil {
				return err
			}
		}
	}
	return w.finish()
}

// batchWriter writes rows of one schema to a zstd Parquet file in record
// batches of at most batchRows rows. For each row the caller calls begin,
// appends a value to every field of b, and calls end; then finish, or abort
// on an error.
type batchWriter struct {
	ctx     context.Context
	f       *os.File
	bw      *bufio.Writer
	fw      *pqarrow.FileWriter
	b       *array.RecordBuilder
	inBatch int
	left    int
	months  map[datasets.Month]string
	done    bool
}

func (s *Store) newBatchWriter(ctx context.Context, p string, schema *arrow.Schema, total int, extra ...parquet.WriterProperty) (*batchWriter, error) {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	// About 8 compressed bytes a row is plenty; between 16 KiB and 1 MiB.
	bw := bufio.NewWriterSize(f, min(max(total*8, 16<<10), 1<<20))
	props := parquet.NewWriterProperties(append([]parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithMaxRowGroupLength(maxRowGroup),
		parquet.WithAllocator(s.alloc),
	}, extra...)...)
	fw, err := pqarrow.NewFileWriter(schema, bw, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(s.alloc)))
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return &batchWriter{ctx: ctx, f: f, bw: bw, fw: fw, b: array.NewRecordBuilder(s.alloc, schema), left: total,
		months: map[datasets.Month]string{}}, nil
}

// month formats m as "YYYY-MM", once per month.
func (w *batchWriter) month(m datasets.Month) string {
	s, ok := w.months[m]
	if !ok {
		s = m.String()
		w.months[m] = s
	}
	return s
}

// begin starts a row: at the start of a batch it checks for cancellation
// and reserves the batch's rows.
func (w *batchWriter) begin() error {
	if w.inBatch == 0 {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		w.b.Reserve(min(batchRows, w.left))
	}
	return nil
}

// end ends a row, writing the batch when it is full.
func (w *batchWriter) end() error {
	w.inBatch++
	w.left--
	if w.inBatch == batchRows {
		w.inBatch = 0
		return w.flush()
	}
	return nil
}

func (w *batchWriter) flush() error {
	rec := w.b.NewRecordBatch()
	defer rec.Release()
	return w.fw.WriteBuffered(rec)
}

// finish writes the last batch, closes the Parquet writer and syncs and
// closes the file. After an error the caller still calls abort.
func (w *batchWriter) finish() error {
	if w.inBatch > 0 {
		w.inBatch = 0
		if err := w.flush(); err != nil {
			return err
		}
	}
	w.done = true
	w.b.Release()
	if err := w.fw.Close(); err != nil {
		return err
	}
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	return w.f.Close()
}

// abort releases what a failed write holds; the caller removes the file.
func (w *batchWriter) abort() {
	if !w.done {
		w.b.Release()
		_ = w.fw.Close()
	}
	_ = w.f.Close()
}

// readFile reads the Parquet file rel, which holds the rows of the inputs
// ins (all of one vintage, vid, and all naming rel), and returns the counts
// of the inputs whose index in ins is in want, in file order, with each
// count's input index. It routes every row to its input by input_sha256 and
// checks the file against the catalog: schema, no nulls, each row's source,
// vintage and input, and each input's row count. Errors name the file.
func (s *Store) readFile(ctx context.Context, rel, vid string, ins []InputRecord, want []bool) (counts []datasets.Count, owner []int, err error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", rel, fmt.Sprintf(format, args...))
	}
	bySHA, total, wanted := tallyInputs(ins, want, func(in InputRecord) int64 { return in.Rows })
	rdr, fr, sc, err := s.openParquet(rel, vid, total, len(ins))
	if err != nil {
		return nil, nil, err
	}
	defer rdr.Close()
	if len(sc.Fields()) != len(countsSchema.Fields()) {
		return nil, nil, fail("schema %s: want %s", sc, countsSchema)
	}
	for i, f := range sc.Fields() {
		want := countsSchema.Field(i)
		if f.Name != want.Name || !arrow.TypeEqual(f.Type, want.Type) {
			return nil, nil, fail("column %d is %s %s: want %s %s", i+1, f.Name, f.Type, want.Name, want.Type)
		}
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	defer rr.Release()

	counts = make([]datasets.Count, 0, wanted)
	owner = make([]int, 0, wanted)
	strs := map[string]string{} // interned copies: arrow strings alias buffers we release
	intern := func(v string) string {
		s, ok := strs[v]
		if !ok {
			s = strings.Clone(v)
			strs[v] = s
		}
		return s
	}
	months := map[string]datasets.Month{}
	month := func(v string) (datasets.Month, error) {
		m, ok := months[v]
		if !ok {
			var err error
			if m, err = datasets.ParseMonth(v); err != nil {
				return 0, err
			}
			months[strings.Clone(v)] = m
		}
		return m, nil
	}
	got := make([]int64, len(ins))
	row := int64(0)
	last, lastSHA := -1, "" // the input of the previous row: rows come grouped by input
	for rr.Next() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		rec := rr.RecordBatch()
		var strCols [8]*array.String
		for i := range rec.NumCols() {
			col := rec.Column(int(i))
			if col.NullN() > 0 {
				return nil, nil, fail("column %s has nulls", countsSchema.Field(int(i)).Name)
			}
			if i != 5 {
				strCols[i] = col.(*array.String)
			}
		}
		cnt := rec.Column(5).(*array.Int64)
		for j := range int(rec.NumRows()) {
			row++
			sha := strCols[7].Value(j)
			i := last
			if last < 0 || sha != lastSHA {
				var ok bool
				if i, ok = bySHA[sha]; !ok {
					return nil, nil, fail("row %d: %s %q names no input of vintage %s in this file in %s", row, ColInputSHA256, sha, vid, vintageFile(vid))
				}
				last, lastSHA = i, ins[i].SHA256
			}
			got[i]++
			if strCols[0].Value(j) != ins[i].Source || strCols[6].Value(j) != vid {
				return nil, nil, fail("row %d: source and vintage %q, %q: want %q, %q as in %s",
					row, strCols[0].Value(j), strCols[6].Value(j), ins[i].Source, vid, vintageFile(vid))
			}
			if !want[i] {
				continue
			}
			c := datasets.Count{
				Source:   ins[i].Source,
				AreaCode: intern(strCols[1].Value(j)),
				Offence:  intern(strCols[2].Value(j)),
				Count:    cnt.Value(j),
			}
			if c.Start, err = month(strCols[3].Value(j)); err != nil {
				return nil, nil, fail("row %d: %s: %v", row, ColPeriodStart, err)
			}
			if c.End, err = month(strCols[4].Value(j)); err != nil {
				return nil, nil, fail("row %d: %s: %v", row, ColPeriodEnd, err)
			}
			counts = append(counts, c)
			owner = append(owner, i)
		}
	}
	if err := endOfRows(ctx, rr.Err(), rel, vid, ins, got, func(in InputRecord) int64 { return in.Rows }); err != nil {
		return nil, nil, err
	}
	return counts, owner, nil
}

// inputRef names one input: input i of vintage v (indexes into the
// vintages read).
type inputRef struct{ v, i int }

// latestByKey returns, for every key the inputs of vs hold (a coverage
// key, a release), the latest input holding it in each vintage, in Seq
// order: the last is the key's winner, the others it superseded.
func latestByKey[K comparable](vs []Vintage, keys func(InputRecord) []K) map[K][]inputRef {
	history := map[K][]inputRef{}
	for vi, v := range vs {
		for ii, in := range v.Inputs {
			for _, k := range keys(in) {
				h := history[k]
				if n := len(h); n > 0 && h[n-1].v == vi {
					h[n-1] = inputRef{vi, ii}
				} else {
					h = append(h, inputRef{vi, ii})
				}
				history[k] = h
			}
		}
	}
	return history
}

// wonInputs returns the inputs idx of vintage v (index vi), the inputs of
// one of its files, and for each whether it won at least one of its keys;
// anyWon is false when none did and the file need not be read.
func wonInputs[K comparable](v Vintage, vi int, idx []int, keys func(InputRecord) []K, winner map[K]inputRef) (ins []InputRecord, want []bool, anyWon bool) {
	ins = make([]InputRecord, len(idx))
	want = make([]bool, len(idx))
	for j, ii := range idx {
		ins[j] = v.Inputs[ii]
		for _, k := range keys(ins[j]) {
			if winner[k] == (inputRef{vi, ii}) {
				want[j], anyWon = true, true
				break
			}
		}
	}
	return ins, want, anyWon
}

// endOfRows checks the end of a Parquet file's rows: the reader's error
// (cancellation reported as such), and each input's row count (got)
// against the count its catalog record gives (rowsOf).
func endOfRows(ctx context.Context, err error, rel, vid string, ins []InputRecord, got []int64, rowsOf func(InputRecord) int64) error {
	if err != nil && !errors.Is(err, io.EOF) {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("%s: %w", rel, err)
	}
	for i, in := range ins {
		if want := rowsOf(in); got[i] != want {
			return fmt.Errorf("%s: %d rows of input %q (%s %s): want %d as in %s", rel, got[i], in.Name, ColInputSHA256, in.SHA256, want, vintageFile(vid))
		}
	}
	return nil
}

// lock takes the lock file, removing it first if the process that made it
// is gone. The returned function releases it.
func (s *Store) lock() (func(), error) {
	p := filepath.Join(s.dir, LockFile)
	// The lock file appears whole, with its process id, by a hard link of a
	// file written first: a run killed at any moment never leaves an empty
	// lock that looks held.
	tmp := filepath.Join(s.dir, fmt.Sprintf(".%s.%d.tmp", LockFile, os.Getpid()))
	defer os.Remove(tmp)
	for range 3 {
		// (Re)written each time: another run's clean-up may remove it.
		if err := os.WriteFile(tmp, fmt.Appendf(nil, "%d\n", os.Getpid()), 0o644); err != nil {
			return nil, fmt.Errorf("write lock file: %w", err)
		}
		err := os.Link(tmp, p)
		if err == nil {
			removeLockTemps(s.dir, tmp)
			return func() { _ = os.Remove(p) }, nil
		}
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create lock file: %w", err)
		}
		pid, stale, err := inspectLock(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // released meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("read lock file: %w", err)
		}
		if !stale {
			return nil, fmt.Errorf("%w: %s is held by process %d; if no crimetrends run is active, remove it", ErrLocked, p, pid)
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove stale lock file: %w", err)
		}
	}
	return nil, fmt.Errorf("%w: %s keeps coming back", ErrLocked, p)
}

// removeLockTemps deletes the lock's temporary files that runs killed while
// taking the lock left in dir, all but keep. Only the holder of the lock
// calls it.
func removeLockTemps(dir, keep string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+LockFile+".*"+tempSuffix))
	for _, m := range matches {
		if m != keep {
			_ = os.Remove(m)
		}
	}
}

// inspectLock reads the pid in a lock file and says whether the lock is
// stale: its process is gone, or it holds no pid and is old enough that its
// writer must have died between creating and writing it.
func inspectLock(p string) (pid int, stale bool, err error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return 0, false, err
	}
	pid, perr := strconv.Atoi(strings.TrimSpace(string(data)))
	if perr != nil || pid <= 0 {
		fi, err := os.Stat(p)
		if err != nil {
			return 0, false, err
		}
		return 0, time.Since(fi.ModTime()) > staleUnreadable, nil
	}
	return pid, !processAlive(pid), nil
}

// openParquet opens the Parquet file rel of vintage vid, which the catalog
// says holds total rows for its n inputs, and returns it with an Arrow
// reader and its schema. The caller closes rdr. Errors name the file.
func (s *Store) openParquet(rel, vid string, total int64, n int) (rdr *file.Reader, fr *pqarrow.FileReader, sc *arrow.Schema, err error) {
	rdr, err = file.OpenParquetFile(filepath.Join(s.dir, filepath.FromSlash(rel)), false,
		file.WithReadProps(parquet.NewReaderProperties(s.alloc)))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	if got := rdr.NumRows(); got != total {
		rdr.Close()
		return nil, nil, nil, fmt.Errorf("%s: %d rows, but %s says %d for its %d inputs", rel, got, vintageFile(vid), total, n)
	}
	batch := int64(min(max(total, 1), int64(batchRows)))
	fr, err = pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: batch}, s.alloc)
	if err == nil {
		sc, err = fr.Schema()
	}
	if err != nil {
		rdr.Close()
		return nil, nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	return rdr, fr, sc, nil
}

// groupByFile lists the files that fileOf names for inputs (in the order
// they first appear; "" is no file) and, for each, the indexes of its inputs.
func groupByFile(inputs []InputRecord, fileOf func(InputRecord) string) (files []string, members map[string][]int) {
	members = map[string][]int{}
	for i, in := range inputs {
		f := fileOf(in)
		if f == "" {
			continue
		}
		if _, ok := members[f]; !ok {
			files = append(files, f)
		}
		members[f] = append(members[f], i)
	}
	return files, members
}

// tallyInputs indexes the inputs of one file by SHA-256 and adds up their
// rows (as rowsOf counts them): all of them, and those of the wanted ones.
func tallyInputs(ins []InputRecord, want []bool, rowsOf func(InputRecord) int64) (bySHA map[string]int, total, wanted int64) {
	bySHA = make(map[string]int, len(ins))
	for i, in := range ins {
		bySHA[in.SHA256] = i
		total += rowsOf(in)
		if want[i] {
			wanted += rowsOf(in)
		}
	}
	return bySHA, total, wanted
}
