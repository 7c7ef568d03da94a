package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/crimetrends/crimetrends/datasets"
)

// The catalog has two parts (see the package documentation):
//
//   - catalog.json, the index and commit point: one JSON line per committed
//     vintage, appended by each Add, holding the vintage's ID, Seq and time
//     and each input's name, SHA-256, source and row count;
//   - catalog/<vintage ID>.json, one immutable file per vintage holding every
//     input's full record (coverage keys and stats too), written and synced
//     before the vintage's line is appended.
//
// Open reads only the index (and lists the data folders); Add reads only what other processes appended
// to it since this Store last read it; Current reads the vintage files, each
// once per Store (they never change).

// indexRecordJSON is one line of catalog.json.
type indexRecordJSON struct {
	Format     int              `json:"format"`
	ID         string           `json:"id"`
	Seq        int              `json:"seq"`
	IngestedAt time.Time        `json:"ingested_at"`
	Inputs     []indexInputJSON `json:"inputs"`
}

type indexInputJSON struct {
	Name          string `json:"name"`
	SHA256        string `json:"sha256"`
	Source        string `json:"source"`
	Rows          int64  `json:"rows"`
	PublishedRows int64  `json:"published_rows,omitempty"`
}

// vintageJSON is the content of catalog/<vintage ID>.json.
type vintageJSON struct {
	Format     int         `json:"format"`
	ID         string      `json:"id"`
	Seq        int         `json:"seq"`
	IngestedAt time.Time   `json:"ingested_at"`
	Inputs     []inputJSON `json:"inputs"`
	Files      []fileJSON  `json:"files,omitempty"`
}

type inputJSON struct {
	Name          string         `json:"name"`
	SHA256        string         `json:"sha256"`
	Source        string         `json:"source"`
	Rows          int64          `json:"rows"`
	File          string         `json:"file"`
	PublishedRows int64          `json:"published_rows,omitempty"`
	PublishedFile string         `json:"published_file,omitempty"`
	Releases      []string       `json:"releases,omitempty"`
	ReleaseNotes  []noteJSON     `json:"release_notes,omitempty"`
	Stats         statsJSON      `json:"stats"`
	Coverage      []coverageJSON `json:"coverage"`
	CrimeIDs      int64          `json:"crime_ids,omitempty"`
	SupersededBy  string         `json:"superseded_by,omitempty"`
	SameAs        string         `json:"same_as,omitempty"`
}

// noteJSON is one release note of an input (datasets.ReleaseNote).
type noteJSON struct {
	Release string `json:"release"`
	Text    string `json:"text"`
}

type statsJSON struct {
	Read     int64            `json:"read"`
	Used     int64            `json:"used"`
	Skipped  map[string]int64 `json:"skipped,omitempty"`
	Rejected int64            `json:"rejected"`
}

type coverageJSON struct {
	Source   string `json:"source"`
	AreaCode string `json:"area_code"`
	Start    string `json:"start"`
	End      string `json:"end"`
}

// index is what a Store knows of catalog.json: the committed vintages (as
// summaries: no coverage, no stats) and where in the file their lines end,
// so that the next read can start there.
type index struct {
	vintages []Vintage         // summaries, in Seq order
	held     map[string]string // input SHA-256 -> vintage ID

	fi        os.FileInfo // catalog.json as last read; nil when it did not exist
	size      int64       // its size then: more than end means a torn last line
	end       int64       // offset just past the last record (and its newline, if written)
	lastStart int64       // offset of the last record
	last      []byte      // bytes lastStart..end
	needNL    bool        // the last record is whole but its newline was never written
	heldAll   bool        // from parseIndex to apply: held is complete, from an index read in full
}

func (ix *index) reset() {
	*ix = index{held: map[string]string{}}
}

// oldFormat says whether data starts with a catalog of an older format
// (one JSON document with "format": 1 or 2) and, if so, what to do about it.
func oldFormat(data []byte) error {
	var head struct {
		Format int `json:"format"`
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&head); err != nil {
		return nil
	}
	switch head.Format {
	case 1:
		return errors.New("format 1 (one Parquet file per input) was written by an earlier crimetrends " +
			"and is no longer read: ingest the source files again into a new data directory")
	case 2:
		return errors.New("format 2 (one catalog.json holding every vintage) was written by an earlier crimetrends " +
			"and is no longer read: ingest the source files again into a new data directory")
	}
	return nil
}

// parseIndex parses data, the bytes of catalog.json from offset base on
// (base is 0 or ix.end), as records following those of ix, and returns
// them with the index as it would be after them; ix itself is unchanged.
// A last line without a newline that is not valid JSON is a torn write and
// is ignored; a last line without a newline that is a whole record counts.
func parseIndex(ix *index, data []byte, base int64) (recs []Vintage, next index, err error) {
	next = *ix
	next.size = base + int64(len(data))
	pos := 0
	if base == 0 {
		if err := oldFormat(data); err != nil {
			return nil, index{}, err
		}
	}
	if next.needNL && len(data) > 0 && data[0] == '\n' {
		pos = 1
		next.needNL = false
		next.end++
		next.last = append(slices.Clip(next.last), '\n')
	}
	// The SHA-256s of the new records' inputs; on a first read, the index's held.
	seen := make(map[string]string, len(data)/160)
	seq := len(ix.vintages)
	for pos < len(data) {
		if next.needNL {
			return nil, index{}, fmt.Errorf("line %d: follows a record not ended by a newline", seq+1)
		}
		line := data[pos:]
		nl := bytes.IndexByte(line, '\n')
		if nl >= 0 {
			line = line[:nl]
		} else if !json.Valid(line) {
			break // torn: the write of this line never finished
		}
		seq++
		v, err := decodeIndexRecord(line, seq, ix.held, seen)
		if err != nil {
			return nil, index{}, fmt.Errorf("line %d: %w", seq, err)
		}
		recs = append(recs, v)
		next.lastStart = base + int64(pos)
		if nl >= 0 {
			pos += nl + 1
		} else {
			pos = len(data)
			next.needNL = true
		}
		next.end = base + int64(pos)
		next.last = data[next.lastStart-base : pos]
	}
	next.last = bytes.Clone(next.last)
	next.heldAll = len(ix.held) == 0
	if next.heldAll {
		next.held = seen
	}
	return recs, next, nil
}

// apply adds recs, parsed by parseIndex into next, to the index.
func (ix *index) apply(recs []Vintage, next index) {
	held := ix.held
	if next.heldAll {
		held = next.held
	}
	*ix = next
	ix.held = held
	ix.vintages = append(ix.vintages, recs...)
	for _, v := range recs {
		for _, in := range v.Inputs {
			if !next.heldAll {
				held[in.SHA256] = v.ID
			}
		}
	}
	ix.heldAll = false
}

// decodeIndexRecord decodes and checks one line of catalog.json, the
// record of vintage seq. held and seen hold the SHA-256s of earlier inputs;
// the record's are added to seen, with its ID.
func decodeIndexRecord(line []byte, seq int, held, seen map[string]string) (Vintage, error) {
	rj, ok := decodeIndexFast(line)
	if !ok {
		if err := decodeStrict(line, &rj); err != nil {
			return Vintage{}, err
		}
	}
	if rj.Format != catalogFormat {
		return Vintage{}, fmt.Errorf("format %d: want %d", rj.Format, catalogFormat)
	}
	if rj.Seq != seq || rj.ID != vintageID(seq) {
		return Vintage{}, fmt.Errorf("vintage %q seq %d: want %q seq %d", rj.ID, rj.Seq, vintageID(seq), seq)
	}
	v := Vintage{ID: rj.ID, Seq: rj.Seq, IngestedAt: rj.IngestedAt, Inputs: make([]InputRecord, 0, len(rj.Inputs))}
	var source, file, pubFile string // the last input's, shared by the next of the same source
	for _, ij := range rj.Inputs {
		_, dup := held[ij.SHA256]
		_, again := seen[ij.SHA256]
		if !validSource(ij.Source) || !validSHA256(ij.SHA256) || ij.Rows < 0 || ij.PublishedRows < 0 || dup || again {
			return Vintage{}, fmt.Errorf("vintage %s: input %q: bad or repeated source, sha256, rows or published_rows", rj.ID, ij.Name)
		}
		seen[ij.SHA256] = rj.ID
		if source == "" || ij.Source != source {
			source = ij.Source
			file = countsDir(ij.Source) + "/" + fileName(rj.ID, ij.Source)
			pubFile = PublishedDir + "/" + fileName(rj.ID, ij.Source)
		}
		in := InputRecord{Name: ij.Name, SHA256: ij.SHA256, Source: ij.Source, Rows: ij.Rows, PublishedRows: ij.PublishedRows}
		if in.Rows > 0 || in.PublishedRows == 0 {
			in.File = file // countsFile, sharing the string
		}
		if in.PublishedRows > 0 {
			in.PublishedFile = pubFile // publishedFile
		}
		v.Inputs = append(v.Inputs, in)
	}
	return v, nil
}

// decodeIndexFast decodes a line of catalog.json written as
// encodeIndexRecord writes it (json.Marshal: fields in order, no spaces)
// whose strings have no escapes, several times faster than encoding/json.
// It reports false for any other line, which decodeStrict then decodes: the
// two agree on every line decodeIndexFast accepts (FuzzIndexFastPath).
func decodeIndexFast(line []byte) (indexRecordJSON, bool) {
	c := cursor{b: line, ok: true}
	var rj indexRecordJSON
	c.lit(`{"format":`)
	rj.Format = int(c.int())
	c.lit(`,"id":`)
	rj.ID = c.str()
	c.lit(`,"seq":`)
	rj.Seq = int(c.int())
	c.lit(`,"ingested_at":`)
	if at := c.raw(); c.ok && rj.IngestedAt.UnmarshalJSON(at) != nil {
		c.ok = false
	}
	c.lit(`,"inputs":[`)
	rj.Inputs = []indexInputJSON{}
	for c.ok && len(c.b) > 0 && c.b[0] != ']' {
		if len(rj.Inputs) > 0 {
			c.lit(",")
		}
		var ij indexInputJSON
		c.lit(`{"name":`)
		ij.Name = c.str()
		c.lit(`,"sha256":`)
		ij.SHA256 = c.str()
		c.lit(`,"source":`)
		ij.Source = c.str()
		c.lit(`,"rows":`)
		ij.Rows = c.int()
		if len(c.b) > 0 && c.b[0] == ',' {
			c.lit(`,"published_rows":`)
			ij.PublishedRows = c.int()
		}
		c.lit("}")
		rj.Inputs = append(rj.Inputs, ij)
	}
	c.lit("]}")
	return rj, c.ok && len(c.b) == 0
}

// cursor reads the canonical JSON of decodeIndexFast; ok turns false at the
// first thing it does not expect, and every read after that is a no-op.
type cursor struct {
	b  []byte
	ok bool
}

func (c *cursor) lit(s string) {
	if c.ok && len(c.b) >= len(s) && string(c.b[:len(s)]) == s {
		c.b = c.b[len(s):]
		return
	}
	c.ok = false
}

// raw reads a string without escapes, quotes included.
func (c *cursor) raw() []byte {
	if !c.ok || len(c.b) == 0 || c.b[0] != '"' {
		c.ok = false
		return nil
	}
	for i := 1; i < len(c.b); i++ {
		b := c.b[i]
		if b == '\\' || b < 0x20 {
			break
		}
		if b == '"' {
			out := c.b[:i+1]
			if !utf8.Valid(out) {
				break
			}
			c.b = c.b[i+1:]
			return out
		}
	}
	c.ok = false
	return nil
}

func (c *cursor) str() string {
	r := c.raw()
	if !c.ok {
		return ""
	}
	return string(r[1 : len(r)-1])
}

// int reads a non-negative integer of at most 18 digits without leading
// zeros.
func (c *cursor) int() int64 {
	if !c.ok {
		return 0
	}
	n, i := int64(0), 0
	for i < len(c.b) && i < 19 && c.b[i] >= '0' && c.b[i] <= '9' {
		n = n*10 + int64(c.b[i]-'0')
		i++
	}
	if i == 0 || i > 18 || i > 1 && c.b[0] == '0' {
		c.ok = false
		return 0
	}
	c.b = c.b[i:]
	return n
}

// decodeStrict decodes one JSON value, refusing unknown fields and
// anything after the value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// encodeIndexRecord gives the line of catalog.json, newline included, that
// commits v.
func encodeIndexRecord(v Vintage) ([]byte, error) {
	rj := indexRecordJSON{Format: catalogFormat, ID: v.ID, Seq: v.Seq, IngestedAt: v.IngestedAt, Inputs: []indexInputJSON{}}
	for _, in := range v.Inputs {
		rj.Inputs = append(rj.Inputs, indexInputJSON{Name: in.Name, SHA256: in.SHA256, Source: in.Source, Rows: in.Rows, PublishedRows: in.PublishedRows})
	}
	data, err := json.Marshal(rj)
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// refresh brings s.idx up to date with catalog.json, reading only what was
// appended since the last read when the file is still the one last read
// and its last record is unchanged, and all of it otherwise. The caller
// holds s.mu.
func (s *Store) refresh() error {
	p := filepath.Join(s.dir, CatalogFile)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		s.idx.reset()
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", CatalogFile, datasets.WithoutPath(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("read %s: %w", CatalogFile, datasets.WithoutPath(err))
	}
	ix := &s.idx
	base := int64(0)
	if ix.fi != nil && os.SameFile(fi, ix.fi) && fi.Size() >= ix.end {
		last := make([]byte, len(ix.last))
		if _, err := f.ReadAt(last, ix.lastStart); err == nil && bytes.Equal(last, ix.last) {
			base = ix.end
		}
	}
	if base == 0 {
		ix.reset()
	}
	data := make([]byte, fi.Size()-base)
	if _, err := f.ReadAt(data, base); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: %w", CatalogFile, datasets.WithoutPath(err))
	}
	recs, next, err := parseIndex(ix, data, base)
	if err != nil {
		ix.reset() // read it all again next time
		return fmt.Errorf("read %s: %w", CatalogFile, datasets.WithoutPath(err))
	}
	next.fi = fi
	ix.apply(recs, next)
	return nil
}

// repairIndex removes a torn last line from catalog.json, or writes the
// newline a whole last record lacks, so that the next record can be
// appended. The caller holds the lock and s.mu.
func (s *Store) repairIndex() error {
	ix := &s.idx
	if ix.fi == nil || (ix.size == ix.end && !ix.needNL) {
		return nil
	}
	f, err := os.OpenFile(filepath.Join(s.dir, CatalogFile), os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("repair %s: %w", CatalogFile, err)
	}
	defer f.Close()
	if err := f.Truncate(ix.end); err != nil {
		return fmt.Errorf("repair %s: %w", CatalogFile, err)
	}
	if ix.needNL {
		if _, err := f.WriteAt([]byte{'\n'}, ix.end); err != nil {
			return fmt.Errorf("repair %s: %w", CatalogFile, err)
		}
		ix.end++
		ix.last = append(slices.Clip(ix.last), '\n')
		ix.needNL = false
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("repair %s: %w", CatalogFile, err)
	}
	ix.size = ix.end
	return nil
}

// ensureIndex creates an empty catalog.json, synced, when there is none,
// so that every commit is an append to a file that was there before the
// writer's note was written (see noteProves). The caller holds the lock and
// s.mu and has refreshed the index.
func (s *Store) ensureIndex() error {
	if s.idx.fi != nil {
		return nil
	}
	p := filepath.Join(s.dir, CatalogFile)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("create %s: %w", CatalogFile, datasets.WithoutPath(err))
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", CatalogFile, datasets.WithoutPath(err))
	}
	syncDir(s.dir)
	return s.refresh()
}

// errMaybeCommitted is wrapped by commit's error when the vintage's line
// may be in the index after all.
var errMaybeCommitted = errors.New("the vintage may be committed")

// commit appends line, v's record, to catalog.json and syncs it: the
// moment the record is whole in the file, v is part of the dataset. The
// caller holds the lock and s.mu, has repaired the index and made sure it
// exists (ensureIndex).
func (s *Store) commit(v Vintage, line []byte) (err error) {
	ix := &s.idx
	p := filepath.Join(s.dir, CatalogFile)
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", CatalogFile, datasets.WithoutPath(err))
	}
	_, werr := f.WriteAt(line, ix.end)
	if werr == nil {
		werr = f.Sync()
	}
	if werr != nil {
		// Take the line back. If that fails too, the line may be whole
		// in the file: the vintage may be committed, and its files must
		// stay (the note lets the next writer settle it).
		if terr := f.Truncate(ix.end); terr != nil {
			werr = fmt.Errorf("%w (%w, and taking the line back failed: %w)", errMaybeCommitted, werr, terr)
		}
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("write %s: %w", CatalogFile, datasets.WithoutPath(werr))
	}
	sum := summary(v)
	next := *ix
	next.lastStart, next.end = ix.end, ix.end+int64(len(line))
	next.size, next.last, next.needNL = next.end, line, false
	ix.apply([]Vintage{sum}, next)
	return nil
}

// summary is v as the index records it: inputs without releases, coverage
// or stats.
func summary(v Vintage) Vintage {
	out := v
	out.Files = nil
	out.Inputs = make([]InputRecord, len(v.Inputs))
	for i, in := range v.Inputs {
		out.Inputs[i] = InputRecord{Name: in.Name, SHA256: in.SHA256, Source: in.Source, Rows: in.Rows, File: in.File,
			PublishedRows: in.PublishedRows, PublishedFile: in.PublishedFile}
	}
	return out
}

// vintageFile is the slash path, relative to the store, of the file
// holding vintage vid's full record.
func vintageFile(vid string) string { return VintagesDir + "/" + vid + ".json" }

func encodeVintage(v Vintage) ([]byte, error) {
	vj := vintageJSON{Format: catalogFormat, ID: v.ID, Seq: v.Seq, IngestedAt: v.IngestedAt, Inputs: []inputJSON{}}
	for _, in := range v.Inputs {
		ij := inputJSON{Name: in.Name, SHA256: in.SHA256, Source: in.Source, Rows: in.Rows, File: in.File,
			PublishedRows: in.PublishedRows, PublishedFile: in.PublishedFile, Releases: in.Releases, Coverage: []coverageJSON{},
			Stats:    statsJSON{Read: in.Stats.Read, Used: in.Stats.Used, Skipped: in.Stats.Skipped, Rejected: in.Stats.Rejected},
			CrimeIDs: in.CrimeIDs, SupersededBy: in.SupersededBy, SameAs: in.SameAs}
		for _, k := range in.Coverage {
			ij.Coverage = append(ij.Coverage, coverageJSON{Source: k.Source, AreaCode: k.AreaCode, Start: k.Start.String(), End: k.End.String()})
		}
		for _, n := range in.ReleaseNotes {
			ij.ReleaseNotes = append(ij.ReleaseNotes, noteJSON{Release: n.Release, Text: n.Text})
		}
		vj.Inputs = append(vj.Inputs, ij)
	}
	for _, f := range v.Files {
		vj.Files = append(vj.Files, fileJSON(f))
	}
	data, err := json.MarshalIndent(vj, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// decodeVintage decodes a vintage file and checks it against sum, the
// vintage's record in the index.
func decodeVintage(data []byte, sum Vintage) (Vintage, error) {
	var vj vintageJSON
	if err := decodeStrict(data, &vj); err != nil {
		return Vintage{}, err
	}
	if vj.Format != catalogFormat {
		return Vintage{}, fmt.Errorf("format %d: want %d", vj.Format, catalogFormat)
	}
	if vj.ID != sum.ID || vj.Seq != sum.Seq || !vj.IngestedAt.Equal(sum.IngestedAt) || len(vj.Inputs) != len(sum.Inputs) {
		return Vintage{}, fmt.Errorf("vintage %q seq %d at %s with %d inputs: want %q seq %d at %s with %d inputs as in %s",
			vj.ID, vj.Seq, vj.IngestedAt.Format(time.RFC3339Nano), len(vj.Inputs),
			sum.ID, sum.Seq, sum.IngestedAt.Format(time.RFC3339Nano), len(sum.Inputs), CatalogFile)
	}
	v := Vintage{ID: sum.ID, Seq: sum.Seq, IngestedAt: sum.IngestedAt, Inputs: make([]InputRecord, 0, len(vj.Inputs))}
	for i, ij := range vj.Inputs {
		want := sum.Inputs[i]
		if ij.Name != want.Name || ij.SHA256 != want.SHA256 || ij.Source != want.Source || ij.Rows != want.Rows || ij.File != want.File ||
			ij.PublishedRows != want.PublishedRows || ij.PublishedFile != want.PublishedFile {
			return Vintage{}, fmt.Errorf("input %d is %q (%s, %s, %d rows, %q, %d published rows, %q): want %q (%s, %s, %d rows, %q, %d published rows, %q) as in %s",
				i+1, ij.Name, ij.SHA256, ij.Source, ij.Rows, ij.File, ij.PublishedRows, ij.PublishedFile,
				want.Name, want.SHA256, want.Source, want.Rows, want.File, want.PublishedRows, want.PublishedFile, CatalogFile)
		}
		if (len(ij.Releases) > 0) != (ij.PublishedRows > 0) || !strictlySorted(ij.Releases) {
			return Vintage{}, fmt.Errorf("input %q: releases %q: want distinct non-empty release IDs, sorted, when and only when published_rows > 0", ij.Name, ij.Releases)
		}
		in := want
		if len(ij.Releases) > 0 {
			in.Releases = ij.Releases
		}
		for _, nj := range ij.ReleaseNotes {
			in.ReleaseNotes = append(in.ReleaseNotes, datasets.ReleaseNote{Release: nj.Release, Text: nj.Text})
		}
		if _, err := checkReleaseNotes(in.ReleaseNotes, ij.Releases); err != nil {
			return Vintage{}, fmt.Errorf("input %q: %w", ij.Name, err)
		}
		in.Stats = datasets.Stats{Read: ij.Stats.Read, Used: ij.Stats.Used, Skipped: ij.Stats.Skipped, Rejected: ij.Stats.Rejected}
		if ij.CrimeIDs < 0 {
			return Vintage{}, fmt.Errorf("input %q: crime_ids %d: want 0 or more", ij.Name, ij.CrimeIDs)
		}
		in.CrimeIDs, in.SupersededBy, in.SameAs = ij.CrimeIDs, ij.SupersededBy, ij.SameAs
		in.Coverage = nil // as Add records an extract without coverage
		if len(ij.Coverage) > 0 {
			in.Coverage = make([]datasets.Coverage, 0, len(ij.Coverage))
		}
		for _, cj := range ij.Coverage {
			start, err1 := datasets.ParseMonth(cj.Start)
			end, err2 := datasets.ParseMonth(cj.End)
			if err := errors.Join(err1, err2); err != nil || cj.Source != ij.Source || cj.AreaCode == "" || start > end {
				return Vintage{}, fmt.Errorf("input %q: bad coverage %+v", ij.Name, cj)
			}
			in.Coverage = append(in.Coverage, datasets.Coverage{Source: cj.Source, AreaCode: cj.AreaCode, Start: start, End: end})
		}
		v.Inputs = append(v.Inputs, in)
	}
	files, err := decodeFiles(vj.Files, v)
	if err != nil {
		return Vintage{}, err
	}
	v.Files = files
	return v, nil
}

// decodeFiles checks the "files" of a vintage file against the vintage v:
// when present, exactly the Parquet files of the vintage (vintageFiles),
// sorted by path, each with a SHA-256 and a size. A vintage file written
// before they were recorded has none (nil).
func decodeFiles(fjs []fileJSON, v Vintage) ([]FileRecord, error) {
	if len(fjs) == 0 {
		return nil, nil
	}
	want := vintageFiles(v)
	out := make([]FileRecord, 0, len(fjs))
	for i, fj := range fjs {
		if i >= len(want) || fj.Path != want[i] || !validSHA256(fj.SHA256) || fj.Bytes < 0 {
			return nil, fmt.Errorf("files: entry %d (%q): want the vintage's files %q, sorted, each with a sha256 and bytes", i+1, fj.Path, want)
		}
		out = append(out, FileRecord(fj))
	}
	if len(fjs) != len(want) {
		return nil, fmt.Errorf("files: %d entries: want the vintage's files %q", len(fjs), want)
	}
	return out, nil
}

// vintageFiles lists, sorted, the Parquet files of the vintage v: those
// its inputs name (counts, outcomes and published files) and its Crime ID
// index when an input has Crime IDs.
func vintageFiles(v Vintage) []string {
	var want []string
	for _, in := range v.Inputs {
		rels := []string{in.File, in.PublishedFile}
		if in.CrimeIDs > 0 {
			rels = append(rels, crimeIDsFile(v.ID))
		}
		for _, rel := range rels {
			if rel != "" && !slices.Contains(want, rel) {
				want = append(want, rel)
			}
		}
	}
	slices.Sort(want)
	return want
}

// loadVintage reads and checks the full record of the committed vintage
// whose index record is sum.
func (s *Store) loadVintage(sum Vintage) (Vintage, error) {
	rel := vintageFile(sum.ID)
	data, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(rel)))
	if err != nil {
		return Vintage{}, fmt.Errorf("%s: %w", rel, err)
	}
	v, err := decodeVintage(data, sum)
	if err != nil {
		return Vintage{}, fmt.Errorf("%s: %w", rel, err)
	}
	return v, nil
}

// writeSynced writes data to the file p and syncs it.
func writeSynced(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeFileAtomic writes data to p under a temporary name, syncs it and
// renames it to p. The caller syncs p's directory.
func writeFileAtomic(p string, data []byte) error {
	dir, name := filepath.Split(p)
	tmp := filepath.Join(dir, "."+name+tempSuffix)
	if err := writeSynced(tmp, data); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, p); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// strictlySorted says whether ss are non-empty strings in strictly
// increasing order.
func strictlySorted(ss []string) bool {
	for i, v := range ss {
		if v == "" || i > 0 && ss[i-1] >= v {
			return false
		}
	}
	return true
}

// parseVintageID gives the Seq of a vintage ID ("v000001": 1).
func parseVintageID(id string) (int, bool) {
	if len(id) != 7 || id[0] != 'v' {
		return 0, false
	}
	seq := 0
	for _, r := range id[1:] {
		if r < '0' || r > '9' {
			return 0, false
		}
		seq = seq*10 + int(r-'0')
	}
	return seq, seq > 0
}

// syncDir makes renames in dir durable where the platform allows; it is
// best effort (some systems cannot sync a directory).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

func cloneVintages(vs []Vintage) []Vintage {
	if vs == nil {
		return nil
	}
	out := make([]Vintage, len(vs))
	for i, v := range vs {
		out[i] = v
		out[i].Inputs = make([]InputRecord, len(v.Inputs))
		for j, in := range v.Inputs {
			out[i].Inputs[j] = in
			out[i].Inputs[j].Coverage = slices.Clone(in.Coverage)
			out[i].Inputs[j].Releases = slices.Clone(in.Releases)
			out[i].Inputs[j].ReleaseNotes = slices.Clone(in.ReleaseNotes)
		}
		out[i].Files = slices.Clone(v.Files)
	}
	return out
}
