package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/crimetrends/crimetrends/datasets"
)

// parquetRows reads the file rel of the store in dir as
// "input_sha256 source area offence start..end count vintage" lines.
func parquetRows(t *testing.T, dir, rel string) []string {
	t.Helper()
	rdr, err := file.OpenParquetFile(filepath.Join(dir, filepath.FromSlash(rel)), false)
	must(t, err)
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	must(t, err)
	tbl, err := fr.ReadTable(context.Background())
	must(t, err)
	defer tbl.Release()
	var rows []string
	if tbl.NumRows() == 0 {
		return rows
	}
	col := func(c int) *array.String { return tbl.Column(c).Data().Chunk(0).(*array.String) }
	n := tbl.Column(5).Data().Chunk(0).(*array.Int64)
	for r := range int(tbl.NumRows()) {
		rows = append(rows, fmt.Sprintf("%s %s %s %s %s..%s %d %s", col(7).Value(r)[:8], col(0).Value(r), col(1).Value(r),
			col(2).Value(r), col(3).Value(r), col(4).Value(r), n.Value(r), col(6).Value(r)))
	}
	return rows
}

func row(e *datasets.Extract, c datasets.Count, vid string) string {
	return fmt.Sprintf("%s %s %s %s %s..%s %d %s", e.SHA256[:8], c.Source, c.AreaCode, c.Offence, c.Start, c.End, c.Count, vid)
}

func countsFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for name := range listing(t, dir) {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// TestManyInputsOneFilePerSource adds many monthly police.uk inputs and a
// few Home Office ones, interleaved, in one call: each source gets one file
// holding its inputs' rows input after input in call order, each input's
// rows sorted.
func TestManyInputsOneFilePerSource(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	puIns := manyInputs("pu", 3, 12, 5) // 36 inputs of 5 counts
	q1s, q1e := datasets.FinancialQuarter(2020, 1)
	q2s, q2e := datasets.FinancialQuarter(2020, 2)
	hoIns := []*datasets.Extract{
		extract("prc-q2.ods", ho, []datasets.Count{cnt(ho, wiltshire, "8Q", q2s, q2e, 4), cnt(ho, dorset, "8Q", q2s, q2e, 5)},
			cov(ho, wiltshire, q2s, q2e), cov(ho, dorset, q2s, q2e)),
		extract("prc-q1.ods", ho, []datasets.Count{cnt(ho, wiltshire, "8Q", q1s, q1e, 2)}, cov(ho, wiltshire, q1s, q1e)),
		extract("prc-empty.ods", ho, nil, cov(ho, datasets.CodeBTP, q1s, q1e)),
	}
	// Reverse each police.uk input's counts: the store sorts within an input.
	var all []*datasets.Extract
	for i, e := range puIns {
		given := *e
		given.Counts = nil
		for j := len(e.Counts) - 1; j >= 0; j-- {
			given.Counts = append(given.Counts, e.Counts[j])
		}
		all = append(all, &given)
		if i%12 == 5 && i/12 < len(hoIns) {
			all = append(all, hoIns[i/12])
		}
	}
	res := mustAdd(t, s, all...)
	if got := len(res.Vintage.Inputs); got != len(puIns)+len(hoIns) {
		t.Fatalf("%d inputs in the vintage, want %d", got, len(puIns)+len(hoIns))
	}
	for i, in := range res.Vintage.Inputs {
		if want := fileOf("v000001", in.Source); in.File != want || in.Name != all[i].Name || in.Rows != int64(len(all[i].Counts)) {
			t.Errorf("input %d = %s, %d rows, file %s; want %s, %d rows, file %s", i, in.Name, in.Rows, in.File, all[i].Name, len(all[i].Counts), want)
		}
	}
	wantFiles := []string{LockFile, "catalog.json", "catalog/v000001.json", fileOf("v000001", ho), fileOf("v000001", pu)}
	if got := countsFiles(t, dir); !reflect.DeepEqual(got, wantFiles) {
		t.Errorf("files = %q, want %q", got, wantFiles)
	}

	var wantPU, wantHO []string
	for _, e := range puIns { // already sorted within each input
		for _, c := range e.Counts {
			wantPU = append(wantPU, row(e, c, "v000001"))
		}
	}
	for _, e := range hoIns {
		for _, c := range e.Counts {
			wantHO = append(wantHO, row(e, c, "v000001"))
		}
	}
	if got := parquetRows(t, dir, fileOf("v000001", pu)); !reflect.DeepEqual(got, wantPU) {
		t.Errorf("police.uk file rows:\n got %q\nwant %q", got, wantPU)
	}
	if got := parquetRows(t, dir, fileOf("v000001", ho)); !reflect.DeepEqual(got, wantHO) {
		t.Errorf("Home Office file rows:\n got %q\nwant %q", got, wantHO)
	}

	var want []datasets.Count
	for _, e := range append(puIns, hoIns...) {
		want = append(want, e.Counts...)
	}
	datasets.SortCounts(want)
	diffCounts(t, "Current", mustCurrent(t, openStore(t, dir)).Counts, want)
}

// TestReplacementSharedFile replaces some inputs of a vintage whose file
// also holds inputs that stay current, then the rest of them.
func TestReplacementSharedFile(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	sep, oct := month(2018, 9), month(2018, 10)
	one := func(name, area string, m datasets.Month, offence string, n int64) *datasets.Extract {
		return extract(name, pu, []datasets.Count{cnt(pu, area, offence, m, m, n)}, cov(pu, area, m, m))
	}
	wSep := one("wilts-sep", wiltshire, sep, "Burglary", 1)
	wOct := one("wilts-oct", wiltshire, oct, "Burglary", 2)
	dOct := one("dorset-oct", dorset, oct, "Drugs", 3)
	mustAdd(t, s, wSep, wOct, dOct)
	// v2 revises Wiltshire October only.
	wOct2 := one("wilts-oct-revised", wiltshire, oct, "Shoplifting", 20)
	mustAdd(t, s, wOct2)

	snap := mustCurrent(t, openStore(t, dir))
	diffCounts(t, "Current after v2", snap.Counts, []datasets.Count{
		cnt(pu, wiltshire, "Burglary", sep, sep, 1),
		cnt(pu, wiltshire, "Shoplifting", oct, oct, 20),
		cnt(pu, dorset, "Drugs", oct, oct, 3),
	})
	wantSup := []SupersededKey{{Key: cov(pu, wiltshire, oct, oct), Old: "v000001", OldInput: "wilts-oct", New: "v000002", NewInput: "wilts-oct-revised"}}
	if !reflect.DeepEqual(snap.Superseded, wantSup) {
		t.Errorf("Superseded = %+v, want %+v", snap.Superseded, wantSup)
	}

	// v3 revises the other two keys: v1's file holds no winner any more, so
	// Current does not read it (it may even be gone).
	wSep3 := one("wilts-sep-3", wiltshire, sep, "Robbery", 30)
	dOct3 := one("dorset-oct-3", dorset, oct, "Robbery", 31)
	mustAdd(t, s, wSep3, dOct3)
	wantFiles := []string{LockFile, "catalog.json", "catalog/v000001.json", "catalog/v000002.json", "catalog/v000003.json",
		fileOf("v000001", pu), fileOf("v000002", pu), fileOf("v000003", pu)}
	if got := countsFiles(t, dir); !reflect.DeepEqual(got, wantFiles) {
		t.Errorf("files = %q, want %q", got, wantFiles)
	}
	must(t, os.Remove(filepath.Join(dir, fileOf("v000001", pu))))
	snap = mustCurrent(t, s)
	diffCounts(t, "Current after v3", snap.Counts, []datasets.Count{
		cnt(pu, wiltshire, "Robbery", sep, sep, 30),
		cnt(pu, wiltshire, "Shoplifting", oct, oct, 20),
		cnt(pu, dorset, "Robbery", oct, oct, 31),
	})
	wantSup = []SupersededKey{
		{Key: cov(pu, wiltshire, sep, sep), Old: "v000001", OldInput: "wilts-sep", New: "v000003", NewInput: "wilts-sep-3"},
		{Key: cov(pu, wiltshire, oct, oct), Old: "v000001", OldInput: "wilts-oct", New: "v000002", NewInput: "wilts-oct-revised"},
		{Key: cov(pu, dorset, oct, oct), Old: "v000001", OldInput: "dorset-oct", New: "v000003", NewInput: "dorset-oct-3"},
	}
	if !reflect.DeepEqual(snap.Superseded, wantSup) {
		t.Errorf("Superseded = %+v, want %+v", snap.Superseded, wantSup)
	}
}
