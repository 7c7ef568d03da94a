package store

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// spilledCopy returns e with its Crime IDs moved to the spill sp, in runs
// of at most run entries.
func spilledCopy(t *testing.T, e *datasets.Extract, sp *datasets.CrimeIDSpill, run int) *datasets.Extract {
	t.Helper()
	c := *e
	c.CrimeIDs = nil
	for _, g := range e.CrimeIDs {
		entries, err := g.Entries()
		must(t, err)
		out := datasets.CrimeIDs{AreaCode: g.AreaCode, Month: g.Month}
		for len(entries) > 0 {
			n := min(run, len(entries))
			off, err := sp.Write(entries[:n])
			must(t, err)
			out.AddSpilled(sp, off, entries[:n])
			entries = entries[n:]
		}
		c.CrimeIDs = append(c.CrimeIDs, out)
	}
	return &c
}

// TestCrimeIDsFromSpill checks that Crime IDs an ingest spilled to a
// temporary file make the very Crime ID index (the same bytes) that the
// same Crime IDs in memory make, across row groups.
func TestCrimeIDsFromSpill(t *testing.T) {
	ctx := context.Background()
	oct, nov := month(2018, 10), month(2018, 11)
	var keys []uint64
	for i := range crimeIDsRowGroupKeys + 5000 {
		keys = append(keys, uint64(i+1)<<4)
	}
	street := func(name string, m datasets.Month, keys []uint64) *datasets.Extract {
		e := extract(name, pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", m, m, int64(len(keys)))}, cov(pu, wiltshire, m, m))
		var ids []uint64
		for i, k := range keys {
			ids = append(ids, k|uint64(i%len(categories)))
		}
		e.CrimeIDs = []datasets.CrimeIDs{datasets.NewCrimeIDs(wiltshire, m, ids)}
		return e
	}
	a, b := street("a.csv", oct, keys[:300000]), street("b.csv", nov, keys[300000:])

	memDir := t.TempDir()
	mustAdd(t, openStore(t, memDir), a, b)
	spillDir := t.TempDir()
	s := openStore(t, spillDir)
	sp, err := s.NewCrimeIDSpill()
	must(t, err)
	mustAdd(t, s, spilledCopy(t, a, sp, 70000), spilledCopy(t, b, sp, 1<<20))
	must(t, sp.Close())

	want, err := os.ReadFile(filepath.Join(memDir, crimeIDsFile("v000001")))
	must(t, err)
	got, err := os.ReadFile(filepath.Join(spillDir, crimeIDsFile("v000001")))
	must(t, err)
	if !bytes.Equal(got, want) {
		t.Errorf("the index from spilled Crime IDs differs from the one from memory (%d and %d bytes)", len(got), len(want))
	}
	types, err := openStore(t, spillDir).CrimeTypes(ctx, []uint64{keys[0], keys[299999], keys[300000], keys[len(keys)-1]})
	must(t, err)
	last := len(keys) - 1
	if wantTypes := []uint8{0, uint8(299999 % len(categories)), 0, uint8((last - 300000) % len(categories))}; !bytes.Equal(types, wantTypes) {
		t.Errorf("crime types %v, want %v", types, wantTypes)
	}
}

// TestCrimeIDSpillFile checks where an ingest's spill file lives and that
// nothing of it outlives the ingest: it has no name in the dataset's
// folder (where the system allows), a folder created for it is removed
// with it when still empty, and a spill file a killed ingest left (on a
// system that keeps the name of an open file) is noted by Verify as not
// part of the dataset and removed by the next Add and by Repair, while a
// user's file of a like name is kept.
func TestCrimeIDSpillFile(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	dir := filepath.Join(parent, "data")
	s := openStore(t, dir)
	sp, err := s.NewCrimeIDSpill()
	must(t, err)
	if runtime.GOOS != "windows" {
		names, err := spillFiles(dir)
		must(t, err)
		if len(names) != 0 {
			t.Errorf("spill files %q in the folder while in use, want none (unlinked at once)", names)
		}
	}
	off, err := sp.Write([]uint64{16, 32 | 1})
	must(t, err)
	g := datasets.CrimeIDs{AreaCode: wiltshire, Month: month(2018, 10)}
	g.AddSpilled(sp, off, []uint64{16, 32 | 1})
	if got, err := g.Entries(); err != nil || len(got) != 2 || got[1] != 32|1 || g.PerCategory[1] != 1 {
		t.Errorf("entries %v, %v; counts %v", got, err, g.PerCategory)
	}
	must(t, sp.Close())
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the folder made for the spill: %v, want it removed with the spill", err)
	}

	// A dataset holding a killed ingest's spill file, and a user's file.
	oct := month(2018, 10)
	mustAdd(t, openStore(t, dir), extract("a.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1)}, cov(pu, wiltshire, oct, oct)))
	left := func() { must(t, os.WriteFile(filepath.Join(dir, ".crimeids-12345.tmp"), []byte("ids"), 0o644)) }
	mine := filepath.Join(dir, ".crimeids-mine.tmp")
	must(t, os.WriteFile(mine, []byte("mine"), 0o644))
	left()
	sp, err = openStore(t, dir).NewCrimeIDSpill() // the folder is there: kept on Close
	must(t, err)
	must(t, sp.Close())
	rep, err := Verify(ctx, dir, Options{})
	must(t, err)
	if !rep.Whole() || len(rep.Notes) != 1 || rep.Notes[0].Path != ".crimeids-12345.tmp" {
		t.Errorf("Verify: %+v, want whole with a note of the spill file", rep)
	}
	nov := month(2018, 11)
	mustAdd(t, openStore(t, dir), extract("b.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", nov, nov, 1)}, cov(pu, wiltshire, nov, nov)))
	if names, _ := spillFiles(dir); len(names) != 0 {
		t.Errorf("spill files after Add: %q", names)
	}
	left()
	if _, err := Repair(ctx, dir, RepairOptions{}); err != nil {
		t.Fatal(err)
	}
	if names, _ := spillFiles(dir); len(names) != 0 {
		t.Errorf("spill files after Repair: %q", names)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("the user's file: %v", err)
	}
}
