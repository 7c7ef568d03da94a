package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/crimetrends/crimetrends/datasets"
)

// Finding is one thing Verify found: a path, relative to the dataset with
// forward slashes, and what about it.
type Finding struct {
	Path string
	What string
}

func (f Finding) String() string { return f.Path + ": " + f.What }

// VerifyReport is what Verify found in a dataset.
type VerifyReport struct {
	Vintages int // vintages the index lists
	Inputs   int // their inputs
	Files    int // Parquet files checked
	// Problems make the dataset not whole: a file missing, changed or
	// extra, an index that cannot be read, is torn, or does not list
	// every vintage. In the order found.
	Problems []Finding
	// Notes are worth saying but leave it whole: leftovers of an ingest
	// that did not finish (or is running), vintages without recorded
	// hashes (written by an earlier crimetrends).
	Notes []Finding
}

// Whole says whether Verify found no problem.
func (r VerifyReport) Whole() bool { return len(r.Problems) == 0 }

// Verify checks the dataset in dir and reports what it found. It reads
// catalog.json (every line must parse; a torn last line is a problem) and,
// for each vintage it lists, the vintage record catalog/<vintage>.json
// (which must agree with the index), and each Parquet file the record
// names (counts/, published/ and outcomes/ files, the Crime ID index in
// crimeids/): present, of the SHA-256 and size the record gives (vintages
// written before hashes were recorded are checked without them, and a
// note says so), and holding the rows of its inputs as the record counts
// them (input_sha256, source and vintage of every row; as many Crime IDs
// as the record's crime_ids, each of a police.uk category). Then every
// file in catalog/, counts/, published/, outcomes/ and crimeids/ that no
// record of a committed vintage names is a problem, except the leftovers of an ingest that did not
// finish (its temporary files, and the files its note in PendingFile shows
// to be uncommitted): those are notes, and the next ingest removes them.
//
// Verify writes nothing and takes no lock: it works on a read-only
// dataset and beside a running ingest. Its error is for a dir it cannot
// read at all, or cancellation (ctx.Err(), unwrapped); everything else is
// in the report.
func Verify(ctx context.Context, dir string, opts Options) (VerifyReport, error) {
	var rep VerifyReport
	if fi, err := os.Stat(dir); err != nil {
		return rep, fmt.Errorf("verify dataset %q: %w", dir, datasets.WithoutPath(err))
	} else if !fi.IsDir() {
		return rep, fmt.Errorf("verify dataset %q: not a folder", dir)
	}
	s := &Store{dir: dir, alloc: opts.Alloc, details: map[string]Vintage{}}
	if s.alloc == nil {
		s.alloc = memory.DefaultAllocator
	}
	s.idx.reset()
	problem := func(path, format string, args ...any) {
		rep.Problems = append(rep.Problems, Finding{path, fmt.Sprintf(format, args...)})
	}
	note := func(path, format string, args ...any) {
		rep.Notes = append(rep.Notes, Finding{path, fmt.Sprintf(format, args...)})
	}
	sc, err := scanDirs(dir)
	if err != nil {
		return rep, fmt.Errorf("verify dataset %q: %w", dir, err)
	}
	idxErr := s.refresh()
	ix := &s.idx
	named := map[string]bool{} // files the records of committed vintages name, and those records
	switch {
	case idxErr != nil:
		problem(CatalogFile, "%s; nothing can be checked against it: run crimetrends repair to rebuild it from the vintage records",
			strings.TrimPrefix(idxErr.Error(), "read "+CatalogFile+": "))
	case ix.fi == nil && len(sc.finals)+len(sc.temps)+len(sc.others) == 0:
		problem(CatalogFile, "missing, and there are no vintage files either: %q holds no dataset (run crimetrends ingest first)", dir)
	case ix.fi == nil:
		problem(CatalogFile, "missing: nothing lists the vintages whose files are there; run crimetrends repair to rebuild it from the vintage records")
	}
	if idxErr == nil && ix.fi != nil {
		if ix.size > ix.end {
			problem(CatalogFile, "the last line is torn: %d bytes of a write a kill or a crash cut short (the next ingest, or crimetrends repair, removes them)", ix.size-ix.end)
		} else if ix.needNL {
			note(CatalogFile, "the last line has no newline (the next ingest writes it)")
		}
	}
	for _, sum := range ix.vintages {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Vintages++
		rep.Inputs += len(sum.Inputs)
		vrel := vintageFile(sum.ID)
		named[vrel] = true
		for _, in := range sum.Inputs {
			named[in.File], named[in.PublishedFile] = true, true
		}
		v, err := s.loadVintage(sum)
		if err != nil {
			problem(vrel, "%s", strings.TrimPrefix(err.Error(), vrel+": "))
			// Only the record says whether the vintage has a Crime ID
			// index: one there is not called extra on top of this.
			named[crimeIDsFile(sum.ID)] = true
			continue
		}
		for _, rel := range vintageFiles(v) {
			named[rel] = true
		}
		if len(v.Files) == 0 && hasFiles(v) {
			note(vrel, "no SHA-256 of the vintage's files recorded (written by an earlier crimetrends): their rows were checked, not their bytes")
		}
		n, fs, err := s.checkFiles(ctx, v)
		if err != nil {
			return rep, err
		}
		rep.Files += n
		rep.Problems = append(rep.Problems, fs...)
	}

	// Files no committed vintage names.
	pending, noteErr := readNote(dir)
	proves := idxErr == nil && pending != nil && noteProves(dir, ix, pending)
	noted := map[string]bool{}
	if proves {
		for _, f := range pending.Files {
			noted[f.Path] = true
		}
	}
	if noteErr != nil {
		note(PendingFile, "unreadable (%v): it proves nothing", noteErr)
	}
	for _, f := range sc.finals {
		switch {
		case idxErr != nil: // nothing to judge them by
		case named[f.rel]:
		case noted[f.rel]:
			note(f.rel, "left by an ingest that did not finish, or is running now: not part of the dataset (the next ingest removes it)")
		case f.seq > len(ix.vintages) && idxErr == nil:
			problem(f.rel, "a file of vintage %s, which %s does not list: %s is missing, empty or older than the files (restored from a backup?)",
				vintageID(f.seq), CatalogFile, CatalogFile)
		default:
			problem(f.rel, "no vintage record of %s lists it", CatalogFile)
		}
	}
	for _, rel := range sc.temps {
		note(rel, "a temporary file of an ingest that did not finish, or is running now (the next ingest removes it)")
	}
	spills, err := spillFiles(dir)
	if err != nil {
		return rep, fmt.Errorf("verify dataset %q: %w", dir, err)
	}
	for _, rel := range spills {
		note(rel, "a temporary file of Crime IDs of an ingest that was killed, or is running now: not part of the dataset (the next ingest removes it)")
	}
	for _, rel := range sc.others {
		if strings.HasSuffix(rel, "/") {
			problem(rel, "a folder: not part of the dataset")
		} else {
			problem(rel, "not a file of the dataset: no vintage record lists it")
		}
	}
	return rep, nil
}

// hasFiles says whether v has any Parquet file.
func hasFiles(v Vintage) bool { return len(vintageFiles(v)) > 0 }

// checkFiles checks every Parquet file vintage v names: present, of the
// SHA-256 and size v.Files gives (when it gives them), and holding the rows
// of its inputs as v counts them. It returns how many files it checked and
// the problems found; its error is cancellation only.
func (s *Store) checkFiles(ctx context.Context, v Vintage) (n int, problems []Finding, err error) {
	recorded := map[string]FileRecord{}
	for _, f := range v.Files {
		recorded[f.Path] = f
	}
	vrel := vintageFile(v.ID)
	type reader func(ctx context.Context, rel, vid string, ins []InputRecord, want []bool) error
	kinds := []struct {
		fileOf func(InputRecord) string
		read   reader
	}{
		{func(in InputRecord) string { return in.File }, func(ctx context.Context, rel, vid string, ins []InputRecord, want []bool) error {
			var err error
			if isOutcomes(ins[0].Source) { // a file holds the inputs of one source
				_, _, err = s.readOutcomes(ctx, rel, vid, ins, want)
			} else {
				_, _, err = s.readFile(ctx, rel, vid, ins, want)
			}
			return err
		}},
		{func(in InputRecord) string { return in.PublishedFile }, func(ctx context.Context, rel, vid string, ins []InputRecord, want []bool) error {
			_, _, err := s.readPublished(ctx, rel, vid, ins, want)
			return err
		}},
		{func(in InputRecord) string {
			if in.CrimeIDs > 0 {
				return crimeIDsFile(v.ID)
			}
			return ""
		}, func(ctx context.Context, _, _ string, _ []InputRecord, _ []bool) error {
			return s.scanCrimeIDs(ctx, v, func(_ uint64, cat string) error {
				if !knownCategory(cat) {
					return fmt.Errorf("crime type %q is not a police.uk category", cat)
				}
				return nil
			})
		}},
	}
	for _, k := range kinds {
		files, members := groupByFile(v.Inputs, k.fileOf)
		for _, rel := range files {
			if err := ctx.Err(); err != nil {
				return n, problems, err
			}
			n++
			p := filepath.Join(s.dir, filepath.FromSlash(rel))
			sum, size, err := hashFile(p)
			if errors.Is(err, os.ErrNotExist) {
				problems = append(problems, Finding{rel, fmt.Sprintf("missing (named by %s)", vrel)})
				continue
			}
			if err != nil {
				problems = append(problems, Finding{rel, datasets.WithoutPath(err).Error()})
				continue
			}
			if want, ok := recorded[rel]; ok && (want.SHA256 != sum || want.Bytes != size) {
				problems = append(problems, Finding{rel, fmt.Sprintf("SHA-256 %s, %d bytes: %s records %s, %d bytes: the file was changed or replaced",
					sum, size, vrel, want.SHA256, want.Bytes)})
				continue
			}
			idx := members[rel]
			ins := make([]InputRecord, len(idx))
			for j, i := range idx {
				ins[j] = v.Inputs[i]
			}
			if err := k.read(ctx, rel, v.ID, ins, make([]bool, len(ins))); err != nil {
				if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
					return n, problems, ctxErr
				}
				problems = append(problems, Finding{rel, strings.TrimPrefix(err.Error(), rel+": ")})
			}
		}
	}
	return n, problems, nil
}
