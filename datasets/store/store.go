package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

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
	// LockFile is the name, in the store directory, of the file a writer
	// (Add, Repair) holds an operating-system lock on (see AcquireLock).
	// It is created empty by the first writer and never removed.
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
)

// batchRows is the number of rows per Arrow record batch written and read;
// a variable so that tests can make many batches from few rows.
var batchRows = 64 << 10

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
	// LockWait is how long a writer (Add, Repair) waits for another run
	// to release the dataset's lock before it fails with ErrLocked; 0
	// fails at once.
	LockWait time.Duration
	// OnWait, when not nil, is called with the lock file's path when a
	// writer finds the lock held and starts to wait (LockWait > 0).
	OnWait func(lockPath string)
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
// opened twice on one directory) the lock on LockFile makes them take turns,
// or fail with ErrLocked after Options.LockWait. Readers (Open, Current,
// Vintages) take no lock and write nothing.
type Store struct {
	dir   string
	clock func() time.Time
	alloc memory.Allocator

	lockWait time.Duration
	onWait   func(string)

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
	// Files lists, sorted by path, every Parquet file of the vintage with
	// its SHA-256 and size, as Add wrote it. Only the vintage file holds
	// it: it is nil in Store.Vintages and for vintages written before it
	// was recorded.
	Files []FileRecord
}

// FileRecord is one Parquet file of a vintage as Add wrote it.
type FileRecord struct {
	Path   string // slash path relative to the store directory
	SHA256 string // lowercase hex of the file's bytes
	Bytes  int64
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

// Open opens the store in dir for reading, and for Add. It reads the
// catalog's index, CatalogFile, and lists the data folders, and writes
// nothing: it creates no file or folder, takes no lock and removes
// nothing, so it works on a read-only dataset, or one owned by someone
// else. A missing dir, or one with no index and no vintage files, is an
// empty store; an index that cannot be read is an error naming it and the
// line; a torn last line (a write a kill or a crash cut short) is ignored.
//
// Files of vintages the index does not list are an error wrapping
// ErrStaleIndex (a missing, empty or stale index: see the package
// documentation), unless the note of a writer (PendingFile) shows they are
// the vintage it is writing, or was writing when it was killed: those are
// ignored, as Current ignores them. Open reads no vintage file: its cost
// follows the number of inputs ingested, not their coverage or rows.
func Open(dir string, opts Options) (*Store, error) {
	if dir == "" {
		return nil, errors.New("open dataset store: empty directory name")
	}
	s := &Store{dir: dir, clock: opts.Clock, alloc: opts.Alloc, details: map[string]Vintage{},
		lockWait: opts.LockWait, onWait: opts.OnWait}
	s.idx.reset()
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.alloc == nil {
		s.alloc = memory.DefaultAllocator
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(); err != nil {
		return nil, fmt.Errorf("open dataset store %q: %w", dir, err)
	}
	if err := s.checkListed(); err != nil {
		return nil, fmt.Errorf("open dataset store %q: %w", dir, err)
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
// Add creates dir and its folders if missing and takes the lock on
// LockFile, waiting up to Options.LockWait for another writer, and fails
// with an error wrapping ErrLocked after that. Under the lock it reads what
// other processes appended to the index since this Store last read it and
// removes what a killed writer provably left (see the package
// documentation); files of vintages the index does not list that no
// writer's note accounts for are an error wrapping ErrStaleIndex, and Add
// then changes nothing. Its cost follows the inputs it is given, not the
// size of the dataset.
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
// none; police.uk outcome counts go to
// "outcomes/<vintage ID>-policeuk-outcomes.parquet"), one Parquet file of
// published rows per source that has any,
// "published/<vintage ID>-<source>.parquet", likewise, the Crime ID index
// "crimeids/<vintage ID>.parquet" when an input has Crime IDs, and the
// vintage's full record, "catalog/<vintage ID>.json", which lists the
// Parquet files with their SHA-256 and size. These are written under
// temporary names and synced; the writer's note (PendingFile) naming every
// one of them is written; they are renamed into place; and only then is
// the vintage's line appended to the index and synced, so an error, a
// cancellation or a kill leaves the previous index, and so the dataset, as
// it was. On cancellation Add returns ctx.Err() unwrapped.
func (s *Store) Add(ctx context.Context, extracts []*datasets.Extract) (AddResult, error) {
	if err := ctx.Err(); err != nil {
		return AddResult{}, err
	}
	inputs, err := prepare(extracts)
	if err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %q: %w", s.dir, err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	lock, err := s.lockForWrite(ctx)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return AddResult{}, ctxErr
		}
		return AddResult{}, fmt.Errorf("add to dataset store %q: %w", s.dir, err)
	}
	defer lock.Release()
	if err := s.refresh(); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %q: %w", s.dir, err)
	}
	if err := s.cleanLeftovers(); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %q: %w", s.dir, err)
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
		return AddResult{}, fmt.Errorf("add to dataset store %q: more than %d vintages", s.dir, maxSeq)
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
	for _, d := range []string{CountsDir, PublishedDir, OutcomesDir, CrimeIDsDir, VintagesDir} {
		if err := s.ensureDir(d); err != nil {
			return AddResult{}, fmt.Errorf("add to dataset store %q: create %s: %w", s.dir, d, datasets.WithoutPath(err))
		}
	}
	if err := s.ensureIndex(); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %q: %w", s.dir, err)
	}

	var temps, finals []string // absolute paths to remove if the commit fails
	committed, noted, keepFiles := false, false, false
	defer func() {
		if committed || keepFiles {
			return
		}
		clean := true
		for _, p := range append(temps, finals...) {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				clean = false
			}
		}
		if noted && clean { // else the note stays, for the next writer to prove them leftovers
			_ = os.Remove(filepath.Join(s.dir, PendingFile))
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
			return AddResult{}, fmt.Errorf("add to dataset store %q: write %s: %w", s.dir, rel, datasets.WithoutPath(err))
		}
		sum, size, err := hashFile(tmp)
		if err != nil {
			return AddResult{}, fmt.Errorf("add to dataset store %q: write %s: %w", s.dir, rel, datasets.WithoutPath(err))
		}
		v.Files = append(v.Files, FileRecord{Path: rel, SHA256: sum, Bytes: size})
	}
	vrel := vintageFile(vid)
	vdata, err := encodeVintage(v)
	if err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %q: encode %s: %w", s.dir, vrel, err)
	}
	vtmp := s.tempPath(vrel)
	temps = append(temps, vtmp)
	if err := writeSynced(vtmp, vdata); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %q: write %s: %w", s.dir, vrel, datasets.WithoutPath(err))
	}
	if keepFiles = addHook("written"); keepFiles {
		return AddResult{}, errKilled
	}
	if err := ctx.Err(); err != nil {
		return AddResult{}, err
	}
	// The note goes to disk before any file it names takes its final name.
	line, err := encodeIndexRecord(v)
	if err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %q: encode %s: %w", s.dir, CatalogFile, err)
	}
	stamp, err := stampIndex(s.dir)
	if err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %q: %s: %w", s.dir, CatalogFile, datasets.WithoutPath(err))
	}
	note := pendingJSON{Format: catalogFormat, Vintage: vid, Index: stamp, Line: string(line)}
	for _, f := range v.Files {
		note.Files = append(note.Files, fileJSON(f))
	}
	vsum := sha256.Sum256(vdata)
	note.Files = append(note.Files, fileJSON{Path: vrel, SHA256: hex.EncodeToString(vsum[:]), Bytes: int64(len(vdata))})
	noted = true
	if err := writeNote(s.dir, note); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %q: write %s: %w", s.dir, PendingFile, datasets.WithoutPath(err))
	}
	if keepFiles = addHook("noted"); keepFiles {
		return AddResult{}, errKilled
	}
	for i, rel := range rels {
		final := filepath.Join(s.dir, filepath.FromSlash(rel))
		if err := os.Rename(temps[i], final); err != nil {
			return AddResult{}, fmt.Errorf("add to dataset store %q: put %s in place: %w", s.dir, rel, datasets.WithoutPath(err))
		}
		finals = append(finals, final)
		if keepFiles = addHook("renamed " + rel); keepFiles {
			return AddResult{}, errKilled
		}
	}
	vfinal := filepath.Join(s.dir, filepath.FromSlash(vrel))
	if err := os.Rename(vtmp, vfinal); err != nil {
		return AddResult{}, fmt.Errorf("add to dataset store %q: put %s in place: %w", s.dir, vrel, datasets.WithoutPath(err))
	}
	finals = append(finals, vfinal)
	if keepFiles = addHook("renamed " + vrel); keepFiles {
		return AddResult{}, errKilled
	}
	for _, d := range []string{CountsDir, PublishedDir, OutcomesDir, CrimeIDsDir, VintagesDir} {
		syncDir(filepath.Join(s.dir, d))
	}
	if err := s.commit(v, line); err != nil {
		keepFiles = errors.Is(err, errMaybeCommitted) // keep the files: the next writer settles it
		return AddResult{}, fmt.Errorf("add to dataset store %q: %w", s.dir, err)
	}
	committed = true
	if addHook("committed") {
		return AddResult{}, errKilled
	}
	// Best effort: a note left behind names a committed vintage, which
	// the next writer sees and removes.
	_ = os.Remove(filepath.Join(s.dir, PendingFile))
	out := cloneVintages([]Vintage{v})[0]
	s.details[vid] = cloneVintages([]Vintage{v})[0]
	res.Vintage = &out
	return res, nil
}

// addHook is called by Add at each step between writing its files and
// removing its note ("written", "noted", "renamed <path>", "committed").
// Tests set it to see the directory at that moment, or return true to
// stop Add there as a kill would: without cleaning up (errKilled).
var addHook = func(stage string) (kill bool) { return false }

var errKilled = errors.New("stopped by a test as a kill would")

// lockForWrite creates the store directory if missing and takes the lock
// on LockFile, waiting as the Options say.
func (s *Store) lockForWrite(ctx context.Context) (*Lock, error) {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return nil, fmt.Errorf("create the folder: %w", datasets.WithoutPath(err))
	}
	p := filepath.Join(s.dir, LockFile)
	var onWait func()
	if s.onWait != nil {
		onWait = func() { s.onWait(p) }
	}
	l, err := AcquireLock(ctx, p, s.lockWait, onWait)
	if err != nil && errors.Is(err, ErrLocked) {
		waited := ""
		if s.lockWait > 0 {
			waited = fmt.Sprintf(", and still did after %s of waiting", s.lockWait)
		}
		return nil, fmt.Errorf("%w: another run is writing this dataset (it holds the lock on %q)%s; try again once it has finished",
			ErrLocked, p, waited)
	}
	return l, err
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
		return Snapshot{}, fmt.Errorf("read dataset store %q: %w", s.dir, err)
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
				return Snapshot{}, fmt.Errorf("read dataset store %q: %w", s.dir, err)
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
					return Snapshot{}, fmt.Errorf("read dataset store %q: %s: input %q: count %s %s %s..%s lies outside the input's coverage in %s",
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
		return Snapshot{}, fmt.Errorf("read dataset store %q: %w", s.dir, err)
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
