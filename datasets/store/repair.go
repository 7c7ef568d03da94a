package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/crimetrends/crimetrends/datasets"
)

// RepairOptions configures Repair.
type RepairOptions struct {
	Options
	// DeleteExtra removes the files in catalog/, counts/, published/,
	// outcomes/ and crimeids/ that no vintage record lists (RepairResult.Deleted names them).
	// Without it they are kept (RepairResult.Extra).
	DeleteExtra bool
}

// RepairResult says what Repair did.
type RepairResult struct {
	Vintages int  // the vintages catalog.json lists now
	Rebuilt  bool // catalog.json was written; false when it already listed exactly the vintage records
	// SavedAs is the path the replaced catalog.json was kept under when
	// the rebuilt index does not hold all of it (it could not be read, or
	// its lines differ from the records); "" otherwise.
	SavedAs string
	// Deleted lists the files removed with DeleteExtra; Extra those kept
	// without it (slash paths relative to the dataset; folders end in "/"
	// and are never removed). Files an interrupted ingest provably left
	// are removed either way, as the next ingest would, and are not listed.
	Deleted, Extra []string
}

// Repair rebuilds catalog.json, the index, from the vintage records
// catalog/v000001.json, v000002.json ... (which must run from v000001
// without a gap), after checking every Parquet file they name as Verify
// does (present, of the recorded SHA-256, holding the recorded rows). It
// is a writer: it takes the dataset's lock as Add does (Options.LockWait),
// and first removes what an interrupted ingest provably left, as Add does
// when catalog.json can be read. It deletes nothing else unless
// DeleteExtra is set. Any problem with the records or their files is an
// error, and then nothing is changed. So is an index that lists more
// vintages than there are records (restore the missing records instead).
//
// The new index is written under a temporary name and renamed, so a kill
// leaves the old one or the new one. When catalog.json already lists
// exactly the records, it is left as it is. When the old index holds lines
// the new one does not (a line that cannot be read, or one that differs
// from its record), it is kept as catalog.json.before-repair (or
// .before-repair-2, ...).
func Repair(ctx context.Context, dir string, opts RepairOptions) (res RepairResult, err error) {
	fail := func(err error) (RepairResult, error) {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return RepairResult{}, ctxErr
		}
		return RepairResult{}, fmt.Errorf("repair dataset %q: %w", dir, err)
	}
	if fi, err := os.Stat(dir); err != nil {
		return fail(datasets.WithoutPath(err))
	} else if !fi.IsDir() {
		return fail(errors.New("not a folder"))
	}
	s := &Store{dir: dir, alloc: opts.Alloc, details: map[string]Vintage{}, lockWait: opts.LockWait, onWait: opts.OnWait}
	if s.alloc == nil {
		s.alloc = memory.DefaultAllocator
	}
	s.idx.reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	lock, err := s.lockForWrite(ctx)
	if err != nil {
		return fail(err)
	}
	defer lock.Release()

	p := filepath.Join(dir, CatalogFile)
	old, err := os.ReadFile(p)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fail(fmt.Errorf("read %s: %w", CatalogFile, datasets.WithoutPath(err)))
	}
	oldErr := s.refresh()
	var leftover []string // what an interrupted ingest provably left: removed once the rest checks out
	if oldErr == nil {
		if leftover, _, err = s.leftovers(); err != nil {
			return fail(err)
		}
	}
	oldCount, oldEnd := len(s.idx.vintages), s.idx.end

	vs, index, err := readRecords(dir, leftover)
	if err != nil {
		return fail(err)
	}
	if oldErr == nil && oldCount > len(vs) {
		return fail(fmt.Errorf("%s lists %d vintages, but %s holds records of %d: %s is missing; restore it from a backup (nothing was changed)",
			CatalogFile, oldCount, VintagesDir, len(vs), vintageFile(vintageID(len(vs)+1))))
	}
	var problems []string
	for _, v := range vs {
		_, found, err := s.checkFiles(ctx, v)
		if err != nil {
			return fail(err)
		}
		for _, f := range found {
			problems = append(problems, f.String())
		}
	}
	if len(problems) > 0 {
		return fail(fmt.Errorf("the files of the vintage records do not check out, so %s cannot be rebuilt from them (nothing was changed): %s; "+
			"restore those files from a backup, or ingest the source files again into a new data directory", CatalogFile, strings.Join(problems, "; ")))
	}

	if err := removeAll(dir, leftover); err != nil {
		return fail(err)
	}
	removeSpills(dir)
	res.Vintages = len(vs)
	if !bytes.Equal(old, index) {
		keep := len(old) > 0 && (oldErr != nil || !bytes.HasPrefix(index, old[:oldEnd]))
		if keep {
			saved, err := saveAside(p, old)
			if err != nil {
				return fail(err)
			}
			res.SavedAs = saved
		}
		if err := writeFileAtomic(p, index); err != nil {
			return fail(fmt.Errorf("write %s: %w", CatalogFile, datasets.WithoutPath(err)))
		}
		syncDir(dir)
		res.Rebuilt = true
	}
	s.idx.reset()
	if err := s.refresh(); err != nil {
		return fail(err)
	}

	// What no record lists.
	named := map[string]bool{}
	for _, v := range vs {
		named[vintageFile(v.ID)] = true
		for _, rel := range vintageFiles(v) {
			named[rel] = true
		}
	}
	sc, err := scanDirs(dir)
	if err != nil {
		return fail(err)
	}
	var extra []string
	for _, f := range sc.finals {
		if !named[f.rel] {
			extra = append(extra, f.rel)
		}
	}
	extra = append(append(extra, sc.temps...), sc.others...)
	sort.Strings(extra)
	for _, rel := range extra {
		if !opts.DeleteExtra || strings.HasSuffix(rel, "/") {
			res.Extra = append(res.Extra, rel)
			continue
		}
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return res, fmt.Errorf("repair dataset %q: %s was rebuilt; removing %q: %w", dir, CatalogFile, rel, datasets.WithoutPath(err))
		}
		res.Deleted = append(res.Deleted, rel)
	}
	if err := s.dropSpentNote(); err != nil {
		return res, fmt.Errorf("repair dataset %q: %w", dir, err)
	}
	return res, nil
}

// readRecords reads every vintage record in dir/catalog but those skip
// names (slash paths), which must run from v000001 without a gap, checks each and all of them together as an
// index (SHA-256s not repeated, files named as Add names them), and returns
// them with the index that lists them.
func readRecords(dir string, skip []string) ([]Vintage, []byte, error) {
	sc, err := scanDirs(dir)
	if err != nil {
		return nil, nil, err
	}
	var seqs []int
	for _, f := range sc.finals {
		if strings.HasPrefix(f.rel, VintagesDir+"/") && !slices.Contains(skip, f.rel) {
			seqs = append(seqs, f.seq)
		}
	}
	sort.Ints(seqs)
	if len(seqs) == 0 {
		return nil, nil, fmt.Errorf("%q holds no vintage record (v000001.json ...): there is nothing to rebuild %s from",
			filepath.Join(dir, VintagesDir), CatalogFile)
	}
	for i, seq := range seqs {
		if seq != i+1 {
			return nil, nil, fmt.Errorf("%s is missing (records run to %s): an index cannot be rebuilt past a gap; restore it from a backup (nothing was changed)",
				vintageFile(vintageID(i+1)), vintageID(seqs[len(seqs)-1]))
		}
	}
	var lines []byte
	datas := make([][]byte, len(seqs))
	for i, seq := range seqs {
		rel := vintageFile(vintageID(seq))
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", rel, datasets.WithoutPath(err))
		}
		var vj vintageJSON
		if err := decodeStrict(data, &vj); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", rel, err)
		}
		sum := Vintage{ID: vj.ID, Seq: vj.Seq, IngestedAt: vj.IngestedAt}
		for _, ij := range vj.Inputs {
			sum.Inputs = append(sum.Inputs, InputRecord{Name: ij.Name, SHA256: ij.SHA256, Source: ij.Source, Rows: ij.Rows, PublishedRows: ij.PublishedRows})
		}
		line, err := encodeIndexRecord(sum)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", rel, err)
		}
		lines = append(lines, line...)
		datas[i] = data
	}
	var empty index
	empty.reset()
	sums, _, err := parseIndex(&empty, lines, 0)
	if err != nil {
		// Line k of the rebuilt index is record k.
		var seq int
		if _, scanErr := fmt.Sscanf(err.Error(), "line %d:", &seq); scanErr == nil && seq >= 1 {
			return nil, nil, fmt.Errorf("%s: %w", vintageFile(vintageID(seq)), err)
		}
		return nil, nil, err
	}
	vs := make([]Vintage, len(sums))
	for i, sum := range sums {
		v, err := decodeVintage(datas[i], sum)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", vintageFile(sum.ID), err)
		}
		vs[i] = v
	}
	return vs, lines, nil
}

// saveAside writes data, the old content of the file at p, to a new file
// beside it, p+".before-repair" or p+".before-repair-N", synced, and
// returns its name.
func saveAside(p string, data []byte) (string, error) {
	for i := 1; ; i++ {
		name := p + ".before-repair"
		if i > 1 {
			name += fmt.Sprintf("-%d", i)
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("keep the old %s: %w", filepath.Base(p), datasets.WithoutPath(err))
		}
		_, err = f.Write(data)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(name)
			return "", fmt.Errorf("keep the old %s: %w", filepath.Base(p), datasets.WithoutPath(err))
		}
		return name, nil
	}
}
