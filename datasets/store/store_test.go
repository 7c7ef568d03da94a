package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/crimetrends/crimetrends/datasets"
)

const (
	wiltshire = "E23000038"
	dorset    = "E23000039"
	pu        = datasets.SourcePoliceUK
	ho        = datasets.SourceHomeOffice
)

var fixedTime = time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC)

func month(y, m int) datasets.Month { return datasets.MonthOf(y, m) }

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func cnt(source, area, offence string, start, end datasets.Month, n int64) datasets.Count {
	return datasets.Count{Source: source, AreaCode: area, Offence: offence, Start: start, End: end, Count: n}
}

func cov(source, area string, start, end datasets.Month) datasets.Coverage {
	return datasets.Coverage{Source: source, AreaCode: area, Start: start, End: end}
}

// extract builds an extract whose SHA-256 is that of its name.
func extract(name, source string, counts []datasets.Count, coverage ...datasets.Coverage) *datasets.Extract {
	return &datasets.Extract{Source: source, Name: name, SHA256: sha(name), Counts: counts, Coverage: coverage}
}

// fileOf names the file holding a vintage's inputs of one source.
func fileOf(vid, source string) string {
	return "counts/" + vid + "-" + source + ".parquet"
}

// openStore opens dir with a fixed clock and a checked allocator that must
// end at zero when the test ends.
func openStore(t testing.TB, dir string) *Store {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	s, err := Open(dir, Options{Clock: func() time.Time { return fixedTime }, Alloc: mem})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return s
}

func mustAdd(t testing.TB, s *Store, es ...*datasets.Extract) AddResult {
	t.Helper()
	res, err := s.Add(context.Background(), es)
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	return res
}

func mustCurrent(t testing.TB, s *Store) Snapshot {
	t.Helper()
	snap, err := s.Current(context.Background())
	if err != nil {
		t.Fatalf("Current: %v", err)
	}
	return snap
}

// listing maps every file under dir (slash path) to the SHA-256 of its bytes.
func listing(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = sha(string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// filesOnDisk gives the records of the files rels (slash paths, in path
// order) as they are on disk: SHA-256 and size of their bytes.
func filesOnDisk(t *testing.T, dir string, rels ...string) []FileRecord {
	t.Helper()
	var out []FileRecord
	for _, rel := range rels {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, FileRecord{Path: rel, SHA256: sha(string(data)), Bytes: int64(len(data))})
	}
	return out
}

func sameListing(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: directory changed:\n got %v\nwant %v", what, keys(got), keys(want))
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k, v := range m {
		ks = append(ks, k+"@"+v[:8])
	}
	sort.Strings(ks)
	return ks
}

func diffCounts(t *testing.T, what string, got, want []datasets.Count) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	t.Errorf("%s: got %d counts, want %d", what, len(got), len(want))
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w any = "-", "-"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("  [%d] got %+v want %+v", i, g, w)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	oct, nov := month(2018, 10), month(2018, 11)
	q1Start, q1End := datasets.FinancialQuarter(2018, 1)
	// Given out of order: the store sorts.
	puExtract := extract("2018-wiltshire-street.csv", pu, []datasets.Count{
		cnt(pu, wiltshire, "Violence and sexual offences", oct, oct, 512),
		cnt(pu, dorset, "Burglary", oct, oct, 7),
		cnt(pu, wiltshire, "Anti-social behaviour", oct, oct, 0),
		cnt(pu, wiltshire, "Café ünïcode, \"quoted\"", nov, nov, 9223372036854775807),
		cnt(pu, wiltshire, "Other crime", nov, nov, -3),
	}, cov(pu, wiltshire, nov, nov), cov(pu, dorset, oct, oct), cov(pu, wiltshire, oct, oct))
	hoExtract := extract("prc-2018.ods", ho, []datasets.Count{
		cnt(ho, datasets.CodeBTP, "37.2", q1Start, q1End, 11),
		cnt(ho, wiltshire, "8Q", q1Start, q1End, 42),
	}, cov(ho, wiltshire, q1Start, q1End), cov(ho, datasets.CodeBTP, q1Start, q1End))

	res := mustAdd(t, s, puExtract, hoExtract)

	wantVintage := Vintage{ID: "v000001", Seq: 1, IngestedAt: fixedTime, Inputs: []InputRecord{
		{Name: "2018-wiltshire-street.csv", SHA256: sha("2018-wiltshire-street.csv"), Source: pu, Rows: 5,
			File:     fileOf("v000001", pu),
			Coverage: []datasets.Coverage{cov(pu, wiltshire, oct, oct), cov(pu, wiltshire, nov, nov), cov(pu, dorset, oct, oct)}},
		{Name: "prc-2018.ods", SHA256: sha("prc-2018.ods"), Source: ho, Rows: 2,
			File:     fileOf("v000001", ho),
			Coverage: []datasets.Coverage{cov(ho, datasets.CodeBTP, q1Start, q1End), cov(ho, wiltshire, q1Start, q1End)}},
	}, Files: filesOnDisk(t, dir, fileOf("v000001", ho), fileOf("v000001", pu))}
	if res.Vintage == nil || !reflect.DeepEqual(*res.Vintage, wantVintage) {
		t.Fatalf("Add vintage:\n got %+v\nwant %+v", res.Vintage, wantVintage)
	}
	if want := []string{"2018-wiltshire-street.csv", "prc-2018.ods"}; !reflect.DeepEqual(res.Added, want) {
		t.Errorf("Added = %q, want %q", res.Added, want)
	}
	if res.AlreadyPresent != nil {
		t.Errorf("AlreadyPresent = %v, want nil", res.AlreadyPresent)
	}

	wantCounts := []datasets.Count{
		cnt(ho, datasets.CodeBTP, "37.2", q1Start, q1End, 11),
		cnt(ho, wiltshire, "8Q", q1Start, q1End, 42),
		cnt(pu, wiltshire, "Anti-social behaviour", oct, oct, 0),
		cnt(pu, wiltshire, "Café ünïcode, \"quoted\"", nov, nov, 9223372036854775807),
		cnt(pu, wiltshire, "Other crime", nov, nov, -3),
		cnt(pu, wiltshire, "Violence and sexual offences", oct, oct, 512),
		cnt(pu, dorset, "Burglary", oct, oct, 7),
	}
	wantCoverage := []datasets.Coverage{
		cov(ho, datasets.CodeBTP, q1Start, q1End),
		cov(ho, wiltshire, q1Start, q1End),
		cov(pu, wiltshire, oct, oct),
		cov(pu, wiltshire, nov, nov),
		cov(pu, dorset, oct, oct),
	}
	// Read back from this Store and from a freshly opened one.
	for _, st := range []*Store{s, openStore(t, dir)} {
		snap := mustCurrent(t, st)
		diffCounts(t, "Current", snap.Counts, wantCounts)
		if !reflect.DeepEqual(snap.Coverage, wantCoverage) {
			t.Errorf("Coverage:\n got %v\nwant %v", snap.Coverage, wantCoverage)
		}
		if want := []Vintage{wantVintage}; !reflect.DeepEqual(snap.Vintages, want) {
			t.Errorf("Snapshot.Vintages:\n got %+v\nwant %+v", snap.Vintages, want)
		}
		// Vintages gives the index's summary: no coverage, no stats, no files.
		sum := wantVintage
		sum.Files = nil
		sum.Inputs = slices.Clone(sum.Inputs)
		for i := range sum.Inputs {
			sum.Inputs[i].Coverage = nil
		}
		if got, want := st.Vintages(), []Vintage{sum}; !reflect.DeepEqual(got, want) {
			t.Errorf("Vintages():\n got %+v\nwant %+v", got, want)
		}
		if snap.Superseded != nil {
			t.Errorf("Superseded = %v, want none", snap.Superseded)
		}
	}

	// The file itself: columns, codec, values as DuckDB would see them.
	rdr, err := file.OpenParquetFile(filepath.Join(dir, wantVintage.Inputs[1].File), false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	cc, err := rdr.MetaData().RowGroup(0).ColumnChunk(0)
	if err != nil {
		t.Fatal(err)
	}
	if cc.Compression() != compress.Codecs.Zstd {
		t.Errorf("codec = %v, want zstd", cc.Compression())
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	var rows []string
	for r := range int(tbl.NumRows()) {
		var cells []string
		for c := range int(tbl.NumCols()) {
			cells = append(cells, tbl.Schema().Field(c).Name+"="+tbl.Column(c).Data().Chunk(0).ValueStr(r))
		}
		rows = append(rows, strings.Join(cells, " "))
	}
	h := sha("prc-2018.ods")
	wantRows := []string{
		"source=homeoffice area_code=BTP offence=37.2 period_start=2018-04 period_end=2018-06 count=11 vintage=v000001 input_sha256=" + h,
		"source=homeoffice area_code=E23000038 offence=8Q period_start=2018-04 period_end=2018-06 count=42 vintage=v000001 input_sha256=" + h,
	}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("parquet rows:\n got %q\nwant %q", rows, wantRows)
	}
}

// bigExtract makes areas x offences x months monthly police.uk counts with
// Count = a*1e6 + o*1e3 + month index, one coverage key per area and month.
func bigExtract(name string, areas, offences, months int) *datasets.Extract {
	e := &datasets.Extract{Source: pu, Name: name, SHA256: sha(name)}
	first := month(2010, 1)
	for a := range areas {
		area := fmt.Sprintf("E23%06d", a+1)
		for m := range months {
			e.Coverage = append(e.Coverage, cov(pu, area, first.Add(m), first.Add(m)))
		}
		for o := range offences {
			for m := range months {
				e.Counts = append(e.Counts, cnt(pu, area, fmt.Sprintf("offence %03d", o), first.Add(m), first.Add(m), int64(a*1e6+o*1e3+m)))
			}
		}
	}
	datasets.SortCounts(e.Counts)
	return e
}

func TestRoundTripManyBatches(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	e := bigExtract("big.csv", 3, 200, 120) // 72,000 rows: two record batches
	mustAdd(t, s, e)
	snap := mustCurrent(t, openStore(t, dir))
	diffCounts(t, "Current", snap.Counts, e.Counts)
	if got, want := len(snap.Coverage), 3*120; got != want {
		t.Errorf("coverage keys = %d, want %d", got, want)
	}
}

func TestAddIdempotent(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	a := extract("a.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", month(2018, 10), month(2018, 10), 5)},
		cov(pu, wiltshire, month(2018, 10), month(2018, 10)))
	mustAdd(t, s, a)
	before := listing(t, dir)
	snapBefore := mustCurrent(t, s)

	// Same bytes, under the same name and under another name, in this Store and a new one.
	renamed := *a
	renamed.Name = "copy-of-a.csv"
	for _, st := range []*Store{s, openStore(t, dir)} {
		res := mustAdd(t, st, a, &renamed)
		want := AddResult{AlreadyPresent: map[string]string{"a.csv": "v000001", "copy-of-a.csv": "v000001"}}
		if !reflect.DeepEqual(res, want) {
			t.Errorf("re-Add = %+v, want %+v", res, want)
		}
		sameListing(t, "re-Add", listing(t, dir), before)
		if got := st.Vintages(); len(got) != 1 {
			t.Errorf("%d vintages, want 1", len(got))
		}
		if snap := mustCurrent(t, st); !reflect.DeepEqual(snap, snapBefore) {
			t.Errorf("snapshot changed:\n got %+v\nwant %+v", snap, snapBefore)
		}
	}
	// The same bytes twice in one call are written once.
	dir2 := t.TempDir()
	b := extract("b.csv", pu, nil, cov(pu, dorset, month(2018, 10), month(2018, 10)))
	bCopy := *b
	bCopy.Name = "copy-of-b.csv"
	res := mustAdd(t, openStore(t, dir2), b, &bCopy, b)
	if res.Vintage == nil || len(res.Vintage.Inputs) != 1 || !reflect.DeepEqual(res.Added, []string{"b.csv"}) ||
		!reflect.DeepEqual(res.AlreadyPresent, map[string]string{"copy-of-b.csv": "v000001"}) {
		t.Errorf("Add(b, copy of b, b) = %+v, want b added once and its copy already present in v000001", res)
	}
	if got := len(listing(t, dir2)); got != 4 {
		t.Errorf("%d files after Add(b, copy of b, b), want 4 (lock, index, vintage file and one parquet)", got)
	}

	// An empty Add changes nothing either.
	if res := mustAdd(t, s); !reflect.DeepEqual(res, AddResult{}) {
		t.Errorf("empty Add = %+v, want zero", res)
	}
	sameListing(t, "empty Add", listing(t, dir), before)
}

func TestReplacement(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	sep, oct := month(2018, 9), month(2018, 10)
	a := extract("a.zip", pu, []datasets.Count{
		cnt(pu, wiltshire, "Burglary", sep, sep, 30),
		cnt(pu, wiltshire, "Burglary", oct, oct, 31),
		cnt(pu, wiltshire, "Drugs", oct, oct, 4), // B drops it: it must go
		cnt(pu, dorset, "Burglary", oct, oct, 50),
	}, cov(pu, wiltshire, sep, sep), cov(pu, wiltshire, oct, oct), cov(pu, dorset, oct, oct))
	b := extract("b.zip", pu, []datasets.Count{
		cnt(pu, wiltshire, "Burglary", oct, oct, 35),
		cnt(pu, wiltshire, "Shoplifting", oct, oct, 12),
	}, cov(pu, wiltshire, oct, oct))
	mustAdd(t, s, a)
	res := mustAdd(t, s, b)
	if res.Vintage == nil || res.Vintage.ID != "v000002" || res.Vintage.Seq != 2 {
		t.Fatalf("second Add vintage = %+v, want v000002", res.Vintage)
	}

	snap := mustCurrent(t, s)
	want := []datasets.Count{
		cnt(pu, wiltshire, "Burglary", sep, sep, 30),
		cnt(pu, wiltshire, "Burglary", oct, oct, 35),
		cnt(pu, wiltshire, "Shoplifting", oct, oct, 12),
		cnt(pu, dorset, "Burglary", oct, oct, 50),
	}
	diffCounts(t, "Current", snap.Counts, want)
	wantCov := []datasets.Coverage{cov(pu, wiltshire, sep, sep), cov(pu, wiltshire, oct, oct), cov(pu, dorset, oct, oct)}
	if !reflect.DeepEqual(snap.Coverage, wantCov) {
		t.Errorf("Coverage = %v, want %v", snap.Coverage, wantCov)
	}
	wantSup := []SupersededKey{{Key: cov(pu, wiltshire, oct, oct), Old: "v000001", OldInput: "a.zip", New: "v000002", NewInput: "b.zip"}}
	if !reflect.DeepEqual(snap.Superseded, wantSup) {
		t.Errorf("Superseded = %+v, want %+v", snap.Superseded, wantSup)
	}
	files := listing(t, dir)
	for _, f := range []string{fileOf("v000001", pu), fileOf("v000002", pu), "catalog.json"} {
		if _, ok := files[f]; !ok {
			t.Errorf("%s missing; have %v", f, keys(files))
		}
	}
	if got := s.Vintages(); len(got) != 2 || got[0].Inputs[0].Name != "a.zip" || got[1].Inputs[0].Name != "b.zip" {
		t.Errorf("Vintages = %+v, want a.zip in v000001 and b.zip in v000002", got)
	}
}

func TestReplacementOrder(t *testing.T) {
	oct := month(2018, 10)
	key := cov(pu, wiltshire, oct, oct)
	ext := func(name string, n int64) *datasets.Extract {
		return extract(name, pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, n)}, key)
	}
	tests := []struct {
		name    string
		adds    [][]*datasets.Extract
		want    int64
		wantSup []SupersededKey
	}{
		{"later input of one vintage wins, nothing superseded",
			[][]*datasets.Extract{{ext("x", 1), ext("y", 2)}}, 2, nil},
		{"chain of three vintages",
			[][]*datasets.Extract{{ext("x", 1)}, {ext("y", 2)}, {ext("z", 3)}}, 3, []SupersededKey{
				{Key: key, Old: "v000001", OldInput: "x", New: "v000002", NewInput: "y"},
				{Key: key, Old: "v000002", OldInput: "y", New: "v000003", NewInput: "z"},
			}},
		{"newer vintage with two inputs: the later one is named",
			[][]*datasets.Extract{{ext("x", 1)}, {ext("y", 2), ext("z", 3)}}, 3, []SupersededKey{
				{Key: key, Old: "v000001", OldInput: "x", New: "v000002", NewInput: "z"},
			}},
		{"re-adding old bytes does not bring them back",
			[][]*datasets.Extract{{ext("x", 1)}, {ext("y", 2)}, {ext("x", 1)}}, 2, []SupersededKey{
				{Key: key, Old: "v000001", OldInput: "x", New: "v000002", NewInput: "y"},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t, t.TempDir())
			for _, es := range tc.adds {
				mustAdd(t, s, es...)
			}
			snap := mustCurrent(t, s)
			diffCounts(t, "Current", snap.Counts, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, tc.want)})
			if !reflect.DeepEqual(snap.Superseded, tc.wantSup) {
				t.Errorf("Superseded = %+v, want %+v", snap.Superseded, tc.wantSup)
			}
		})
	}
}

// noHook is addHook's default.
var noHook = addHook

// setHook sets addHook for the test.
func setHook(t *testing.T, h func(stage string) bool) {
	t.Helper()
	addHook = h
	t.Cleanup(func() { addHook = noHook })
}

// addStages runs an Add of es after one of base in a scratch directory and
// returns the steps addHook sees, in order.
func addStages(t *testing.T, base []*datasets.Extract, es []*datasets.Extract) []string {
	t.Helper()
	s := openStore(t, t.TempDir())
	mustAdd(t, s, base...)
	var stages []string
	setHook(t, func(stage string) bool { stages = append(stages, stage); return false })
	mustAdd(t, s, es...)
	addHook = noHook
	return stages
}

// userFiles are files of the user's in a dataset folder: no store
// operation may remove or change them.
var userFiles = map[string]string{"notes.txt": "mine", "counts/README.txt": "notes", "counts/mine.parquet": "not ours", "catalog/notes.json": "{}"}

func writeUserFiles(t *testing.T, dir string) {
	t.Helper()
	for name, body := range userFiles {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
}

// TestLeftoversOfAKilledAdd stops an Add at each of its steps as a kill
// would, leaving its files and its note, and checks that Open then writes
// nothing and reads the state before the Add (after it, once committed),
// and that the next Add removes exactly what the killed run left: the
// user's files and every file of committed vintages stay, and adding the
// same inputs again gives the tree of an Add never interrupted. The Add
// writes a file in each of the four data folders besides its record.
func TestLeftoversOfAKilledAdd(t *testing.T) {
	oct, nov := month(2018, 10), month(2018, 11)
	a := extract("a.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1)}, cov(pu, wiltshire, oct, oct))
	b := streetWithIDs(t, "b.csv", nov, 16, 32)
	c := onsExtract("c.xlsx", tricky("ons-pfa-2019-03")...)
	o := outcomesExtract("o.csv", outcome(wiltshire, nov, "Burglary", "Suspect charged", 1))
	second := []*datasets.Extract{b, c, o}

	whole := t.TempDir()
	ws := openStore(t, whole)
	mustAdd(t, ws, a)
	writeUserFiles(t, whole)
	mustAdd(t, ws, second...)
	want := listing(t, whole)

	stages := addStages(t, []*datasets.Extract{a}, second)
	wantStages := []string{"written", "noted", "renamed " + fileOf("v000002", pu), "renamed crimeids/v000002.parquet",
		"renamed outcomes/v000002-policeuk-outcomes.parquet", "renamed " + pubFileOf("v000002", onsSrc),
		"renamed catalog/v000002.json", "committed"}
	if !reflect.DeepEqual(stages, wantStages) {
		t.Fatalf("Add's steps = %q, want %q", stages, wantStages)
	}
	for _, stage := range stages {
		t.Run(stage, func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, dir)
			mustAdd(t, s, a)
			writeUserFiles(t, dir)
			snapBefore := mustCurrent(t, openStore(t, dir))
			setHook(t, func(st string) bool { return st == stage })
			if _, err := s.Add(context.Background(), second); !errors.Is(err, errKilled) {
				t.Fatalf("Add: %v, want it killed at %q", err, stage)
			}
			addHook = noHook
			killed := listing(t, dir)
			snap := mustCurrent(t, openStore(t, dir))
			sameListing(t, "after Open and Current", listing(t, dir), killed)
			if stage == "committed" {
				if len(snap.Vintages) != 2 || len(snap.Published) != 7 {
					t.Errorf("after a kill once committed: %d vintages, %d published rows; want 2 and 7", len(snap.Vintages), len(snap.Published))
				}
			} else if !reflect.DeepEqual(snap, snapBefore) {
				t.Errorf("after a kill before the commit: %d vintages, want the state before", len(snap.Vintages))
			}
			mustAdd(t, openStore(t, dir), second...)
			sameListing(t, "after the next Add", listing(t, dir), want)
		})
	}
}

// TestLeftoversNotProven checks that a writer removes no file it cannot
// prove its own: files the note names whose bytes have changed since, and
// files of an uncommitted vintage when the index changed after the note
// was written (restored from a backup). Add then fails naming the problem.
func TestLeftoversNotProven(t *testing.T) {
	oct, nov := month(2018, 10), month(2018, 11)
	a := extract("a.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1)}, cov(pu, wiltshire, oct, oct))
	b := extract("b.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", nov, nov, 2)}, cov(pu, wiltshire, nov, nov))
	for name, spoil := range map[string]func(t *testing.T, dir string){
		"a noted file changed since": func(t *testing.T, dir string) {
			appendFile(t, filepath.Join(dir, fileOf("v000002", pu)), "x")
		},
		"the index copied over": func(t *testing.T, dir string) {
			p := filepath.Join(dir, CatalogFile)
			data, err := os.ReadFile(p)
			must(t, err)
			must(t, os.Remove(p))
			must(t, os.WriteFile(p, data, 0o644))
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, dir)
			mustAdd(t, s, a)
			setHook(t, func(st string) bool { return st == "renamed catalog/v000002.json" })
			if _, err := s.Add(context.Background(), []*datasets.Extract{b}); !errors.Is(err, errKilled) {
				t.Fatalf("Add: %v, want it killed", err)
			}
			addHook = noHook
			spoil(t, dir)
			before := listing(t, dir)
			_, err := s.Add(context.Background(), []*datasets.Extract{b})
			if !errors.Is(err, ErrStaleIndex) || !strings.Contains(err.Error(), "crimetrends repair") {
				t.Errorf("Add: %v, want ErrStaleIndex saying what to do", err)
			}
			sameListing(t, "after the Add", listing(t, dir), before)
		})
	}
}

// deadPID is larger than any Linux pid_max, so no process has it.
const deadPID = 1<<31 - 2

// TestLock holds the dataset's lock (standing in for another run) and
// checks that Add fails at once with ErrLocked when it may not wait,
// changing nothing; that Open reads meanwhile, writing nothing; and that an
// Add allowed to wait says so and goes on once the lock is released. A
// lock file left by an earlier crimetrends (a pid, even a live one) holds
// nothing.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	oct, nov := month(2018, 10), month(2018, 11)
	a := extract("a.csv", pu, nil, cov(pu, wiltshire, oct, oct))
	b := extract("b.csv", pu, nil, cov(pu, wiltshire, nov, nov))
	mustAdd(t, s, a)

	lockPath := filepath.Join(dir, LockFile)
	held, err := AcquireLock(context.Background(), lockPath, 0, nil)
	must(t, err)
	before := listing(t, dir)
	_, err = s.Add(context.Background(), []*datasets.Extract{b})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("Add under a held lock: err = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), lockPath) || !strings.Contains(err.Error(), "another run is writing this dataset") {
		t.Errorf("error %q does not name %s and say why", err, lockPath)
	}
	sameListing(t, "locked Add", listing(t, dir), before)
	// Open reads while another run holds the lock, and writes nothing.
	if got := openStore(t, dir).Vintages(); len(got) != 1 {
		t.Errorf("Vintages = %v, want one", got)
	}
	sameListing(t, "Open beside a writer", listing(t, dir), before)

	// Allowed to wait, Add says so; the other run then finishes.
	var waited []string
	w, err := Open(dir, Options{Clock: func() time.Time { return fixedTime }, LockWait: time.Hour, OnWait: func(p string) {
		waited = append(waited, p)
		held.Release()
	}})
	must(t, err)
	if res := mustAdd(t, w, b); res.Vintage == nil || res.Vintage.ID != "v000002" {
		t.Errorf("Add after waiting = %+v, want v000002", res.Vintage)
	}
	if !reflect.DeepEqual(waited, []string{lockPath}) {
		t.Errorf("OnWait called with %q, want once with %s", waited, lockPath)
	}
	if data, err := os.ReadFile(lockPath); err != nil || len(data) != 0 {
		t.Errorf("lock file after Add: %q, %v; want it kept, empty", data, err)
	}

	// A pid lock file of an earlier crimetrends, naming a live process
	// (this one) or a dead one, holds nothing.
	for _, pid := range []int{os.Getpid(), deadPID} {
		must(t, os.WriteFile(lockPath, []byte(strconv.Itoa(pid)+"\n"), 0o644))
		m := datasets.MonthOf(2019, pid%12+1)
		if res := mustAdd(t, s, extract("c"+strconv.Itoa(pid), pu, nil, cov(pu, dorset, m, m))); res.Vintage == nil {
			t.Errorf("Add beside an old pid lock file (%d) wrote no vintage", pid)
		}
	}
}

// countdownCtx reports cancellation from its n+1st Err call on, so a test can
// cancel Add at each of its checkpoints in turn.
type countdownCtx struct {
	context.Context
	n int
}

func (c *countdownCtx) Err() error {
	if c.n <= 0 {
		return context.Canceled
	}
	c.n--
	return nil
}

func TestCancel(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	oct, nov := month(2018, 10), month(2018, 11)
	mustAdd(t, s, extract("a.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1)}, cov(pu, wiltshire, oct, oct)))
	before := listing(t, dir)
	snapBefore := mustCurrent(t, s)
	defer func(n int) { batchRows = n }(batchRows)
	batchRows = 100
	big := bigExtract("big.csv", 1, 5, 100) // 500 rows: five batches, a checkpoint before each
	b := extract("b.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", nov, nov, 2)}, cov(pu, wiltshire, nov, nov))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Add(ctx, []*datasets.Extract{b}); err != context.Canceled {
		t.Errorf("Add with a cancelled context: err = %v, want context.Canceled", err)
	}
	if _, err := s.Current(ctx); err != context.Canceled {
		t.Errorf("Current with a cancelled context: err = %v, want context.Canceled", err)
	}
	sameListing(t, "cancelled Add", listing(t, dir), before)

	// Cancel at the 1st, 2nd ... checkpoint until Add gets through.
	for n := 0; ; n++ {
		if n > 30 {
			t.Fatalf("Add still cancelled after %d checkpoints", n)
		}
		_, err := s.Add(&countdownCtx{Context: context.Background(), n: n}, []*datasets.Extract{b, big})
		if err == nil {
			if n < 4 {
				t.Errorf("Add passed only %d checkpoints, want at least 4", n)
			}
			break
		}
		if err != context.Canceled {
			t.Fatalf("checkpoint %d: err = %v, want context.Canceled", n, err)
		}
		sameListing(t, fmt.Sprintf("Add cancelled at checkpoint %d", n), listing(t, dir), before)
		if snap := mustCurrent(t, openStore(t, dir)); !reflect.DeepEqual(snap, snapBefore) {
			t.Fatalf("checkpoint %d: snapshot changed", n)
		}
	}
	if got := len(mustCurrent(t, s).Counts); got != 2+len(big.Counts) {
		t.Errorf("after the Add that got through: %d counts, want %d", got, 2+len(big.Counts))
	}
}

func TestCurrentBadFile(t *testing.T) {
	oct := month(2018, 10)
	a := extract("a.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1)}, cov(pu, wiltshire, oct, oct))
	other := extract("other.csv", pu, []datasets.Count{cnt(pu, dorset, "Burglary", oct, oct, 1)}, cov(pu, dorset, oct, oct))
	name := fileOf("v000001", pu)
	// rewrite replaces the file with one holding ins' rows as vintage vid.
	rewrite := func(vid string, ins ...prepared) func(t *testing.T, s *Store, p string) {
		return func(t *testing.T, s *Store, p string) { must(t, s.writeParquet(context.Background(), p, vid, ins)) }
	}
	x := extract("x.csv", pu, a.Counts, a.Coverage...)
	tests := []struct {
		name  string
		spoil func(t *testing.T, s *Store, p string)
		want  string
	}{
		{"missing", func(t *testing.T, _ *Store, p string) { must(t, os.Remove(p)) }, "no such file"},
		{"truncated", func(t *testing.T, _ *Store, p string) {
			data, err := os.ReadFile(p)
			must(t, err)
			must(t, os.WriteFile(p, data[:len(data)/2], 0o644))
		}, ""},
		{"garbage", func(t *testing.T, _ *Store, p string) {
			must(t, os.WriteFile(p, []byte("not parquet at all"), 0o644))
		}, ""},
		{"fewer rows", rewrite("v000001", prepared{e: a, counts: a.Counts}), "1 rows, but catalog/v000001.json says 2 for its 2 inputs"},
		{"an input the catalog does not list", rewrite("v000001", prepared{e: a, counts: a.Counts}, prepared{e: x, counts: x.Counts}),
			`row 2: input_sha256 "` + x.SHA256 + `" names no input`},
		{"rows of one input under another", rewrite("v000001", prepared{e: a, counts: append(slices.Clone(a.Counts), other.Counts...)}),
			`2 rows of input "a.csv"`},
		{"another vintage's rows", rewrite("v000002", prepared{e: a, counts: a.Counts}, prepared{e: other, counts: other.Counts}),
			`source and vintage "policeuk", "v000002"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, dir)
			mustAdd(t, s, a, other)
			tc.spoil(t, s, filepath.Join(dir, name))
			_, err := s.Current(context.Background())
			if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Current: err = %v, want an error naming %s and saying %q", err, name, tc.want)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenBadCatalog(t *testing.T) {
	line := func(seq int, sha256 string) string {
		id := fmt.Sprintf("v%06d", seq)
		return `{"format":3,"id":"` + id + `","seq":` + strconv.Itoa(seq) + `,"ingested_at":"2024-03-01T12:30:00Z","inputs":[` +
			`{"name":"a","sha256":"` + sha256 + `","source":"policeuk","rows":0}]}` + "\n"
	}
	good := line(1, sha("a"))
	for name, tc := range map[string]struct{ body, want string }{
		"bad line":     {"{\n" + good, "line 1"},
		"wrong format": {strings.Replace(good, `"format":3`, `"format":4`, 1), "line 1: format 4: want 3"},
		"format 2": {`{"format": 2, "vintages": []}`,
			"format 2 (one catalog.json holding every vintage) was written by an earlier crimetrends and is no longer read: ingest the source files again"},
		"format 2 indented": {"{\n  \"format\": 2,\n  \"vintages\": []\n}\n", "format 2 (one catalog.json"},
		"format 1": {`{"format": 1, "vintages": []}`,
			"format 1 (one Parquet file per input) was written by an earlier crimetrends and is no longer read: ingest the source files again"},
		"bad seq":              {line(2, sha("a")), `line 1: vintage "v000002" seq 2: want "v000001" seq 1`},
		"gap":                  {good + line(3, sha("b")), "line 2"},
		"repeated sha256":      {good + line(2, sha("a")), `line 2: vintage v000002: input "a": bad or repeated`},
		"bad sha256":           {line(1, "abc"), "bad or repeated"},
		"unknown field":        {strings.Replace(good, `"rows":0`, `"rows":0,"file":"x"`, 1), `unknown field "file"`},
		"two values":           {strings.Replace(good, "\n", " {}\n", 1), "data after"},
		"blank line":           {good + "\n" + line(2, sha("b")), "line 2"},
		"torn line is skipped": {good + line(2, sha("b"))[:40], ""},
		"the right records":    {good + line(2, sha("b")), ""},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			must(t, os.WriteFile(filepath.Join(dir, CatalogFile), []byte(tc.body), 0o644))
			_, err := Open(dir, Options{})
			if tc.want == "" {
				if err != nil {
					t.Errorf("Open: %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), CatalogFile) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open: err = %v, want an error naming %s and saying %q", err, CatalogFile, tc.want)
			}
		})
	}
}

func appendFile(t *testing.T, p, data string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	must(t, err)
	_, err = f.WriteString(data)
	must(t, err)
	must(t, f.Close())
}

// TestTornIndex checks the index's last line after a kill during the
// commit's append: half written it is ignored by Open, which leaves it as
// it is, and cut off by the next Add, which also removes the killed run's
// files; whole but without its newline it counts, and the next Add writes
// the newline.
func TestTornIndex(t *testing.T) {
	oct, nov := month(2018, 10), month(2018, 11)
	a := extract("a.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1)}, cov(pu, wiltshire, oct, oct))
	b := extract("b.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", nov, nov, 2)}, cov(pu, wiltshire, nov, nov))

	// The state after adding a, then b.
	two := t.TempDir()
	s2 := openStore(t, two)
	mustAdd(t, s2, a)
	mustAdd(t, s2, b)
	wantTwo := listing(t, two)

	for _, cut := range []int{1, 2, 3, 40} { // bytes of b's line left out
		t.Run(fmt.Sprintf("cut %d", cut), func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, dir)
			mustAdd(t, s, a)
			snapOne := mustCurrent(t, s)
			// Killed while appending b's line: cut bytes short of it.
			setHook(t, func(stage string) bool {
				if stage != "renamed catalog/v000002.json" {
					return false
				}
				n, err := readNote(dir)
				must(t, err)
				appendFile(t, filepath.Join(dir, CatalogFile), n.Line[:len(n.Line)-cut])
				return true
			})
			if _, err := s.Add(context.Background(), []*datasets.Extract{b}); !errors.Is(err, errKilled) {
				t.Fatalf("Add: %v, want it killed", err)
			}
			addHook = noHook
			killed := listing(t, dir)
			r := openStore(t, dir)
			sameListing(t, "after Open", listing(t, dir), killed)
			if cut == 1 { // only the newline is missing: b is committed
				if got := len(r.Vintages()); got != 2 {
					t.Errorf("%d vintages, want 2", got)
				}
			} else if snap := mustCurrent(t, r); !reflect.DeepEqual(snap, snapOne) {
				t.Errorf("snapshot with a torn line: got %d vintages, want the state before b", len(snap.Vintages))
			}
			// Adding b (again) gives exactly the state after a then b.
			mustAdd(t, r, b)
			sameListing(t, "after adding b", listing(t, dir), wantTwo)
		})
	}
}

// TestTwoStores adds through two Stores on one directory in turn: each Add
// reads what the other appended, and re-adding the other's input is a no-op.
func TestTwoStores(t *testing.T) {
	dir := t.TempDir()
	oct, nov, dec := month(2018, 10), month(2018, 11), month(2018, 12)
	one := func(name string, m datasets.Month, n int64) *datasets.Extract {
		return extract(name, pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", m, m, n)}, cov(pu, wiltshire, m, m))
	}
	s1, s2 := openStore(t, dir), openStore(t, dir)
	a, b, c := one("a", oct, 1), one("b", nov, 2), one("c", dec, 3)
	mustAdd(t, s1, a)
	if res := mustAdd(t, s2, a, b); res.Vintage == nil || res.Vintage.ID != "v000002" ||
		!reflect.DeepEqual(res.AlreadyPresent, map[string]string{"a": "v000001"}) {
		t.Errorf("second Store's Add = %+v, want b in v000002 and a already in v000001", res)
	}
	if res := mustAdd(t, s1, b, c); res.Vintage == nil || res.Vintage.ID != "v000003" ||
		!reflect.DeepEqual(res.AlreadyPresent, map[string]string{"b": "v000002"}) {
		t.Errorf("first Store's Add = %+v, want c in v000003 and b already in v000002", res)
	}
	want := []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1), cnt(pu, wiltshire, "Burglary", nov, nov, 2),
		cnt(pu, wiltshire, "Burglary", dec, dec, 3)}
	diffCounts(t, "Current of the first Store", mustCurrent(t, s1).Counts, want)
	diffCounts(t, "Current of a new Store", mustCurrent(t, openStore(t, dir)).Counts, want)

	// The index replaced by another one (a dataset copied over this one):
	// the next Add reads it all again.
	other := t.TempDir()
	mustAdd(t, openStore(t, other), one("x", oct, 9))
	for _, name := range []string{CatalogFile, "catalog/v000001.json", fileOf("v000001", pu)} {
		data, err := os.ReadFile(filepath.Join(other, name))
		must(t, err)
		must(t, os.Remove(filepath.Join(dir, name)))
		must(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	for _, name := range []string{"catalog/v000002.json", "catalog/v000003.json", fileOf("v000002", pu), fileOf("v000003", pu)} {
		must(t, os.Remove(filepath.Join(dir, name)))
	}
	if res := mustAdd(t, s1, a); res.Vintage == nil || res.Vintage.ID != "v000002" {
		t.Errorf("Add after the index was replaced = %+v, want a in v000002", res.Vintage)
	}
	diffCounts(t, "Current after the index was replaced", mustCurrent(t, openStore(t, dir)).Counts,
		[]datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1)})
}

func TestCurrentBadVintageFile(t *testing.T) {
	oct := month(2018, 10)
	a := extract("a.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1)}, cov(pu, wiltshire, oct, oct))
	name := "catalog/v000001.json"
	edit := func(old, new string) func(t *testing.T, p string) {
		return func(t *testing.T, p string) {
			data, err := os.ReadFile(p)
			must(t, err)
			if !strings.Contains(string(data), old) {
				t.Fatalf("%s does not contain %q:\n%s", p, old, data)
			}
			must(t, os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644))
		}
	}
	tests := []struct {
		name  string
		spoil func(t *testing.T, p string)
		want  string
	}{
		{"missing", func(t *testing.T, p string) { must(t, os.Remove(p)) }, "no such file"},
		{"garbage", func(t *testing.T, p string) { must(t, os.WriteFile(p, []byte("{"), 0o644)) }, "unexpected EOF"},
		{"another name", edit(`"name": "a.csv"`, `"name": "b.csv"`), `input 1 is "b.csv"`},
		{"more rows", edit(`"rows": 1`, `"rows": 2`), `want "a.csv"`},
		{"another time", edit(`"ingested_at": "2024-03-01T12:30:00Z"`, `"ingested_at": "2024-03-02T12:30:00Z"`), "as in catalog.json"},
		{"bad coverage", edit(`"start": "2018-10"`, `"start": "2018-13"`), "bad coverage"},
		{"unknown field", edit(`"rows": 1`, `"rows": 1, "extra": 0`), `unknown field "extra"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			mustAdd(t, openStore(t, dir), a)
			tc.spoil(t, filepath.Join(dir, name))
			_, err := openStore(t, dir).Current(context.Background())
			if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Current: err = %v, want an error naming %s and saying %q", err, name, tc.want)
			}
		})
	}
}

func TestAddRejects(t *testing.T) {
	oct, nov := month(2018, 10), month(2018, 11)
	good := func() *datasets.Extract {
		return extract("in.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1)}, cov(pu, wiltshire, oct, oct))
	}
	tests := []struct {
		name   string
		mutate func(e *datasets.Extract) []*datasets.Extract
		want   string
	}{
		{"nil extract", func(e *datasets.Extract) []*datasets.Extract { return []*datasets.Extract{e, nil} }, "extract 1 is nil"},
		{"empty name", func(e *datasets.Extract) []*datasets.Extract { e.Name = ""; return nil }, "empty input name"},
		{"bad source", func(e *datasets.Extract) []*datasets.Extract { e.Source = "../x"; return nil }, `source "../x"`},
		{"upper-case sha", func(e *datasets.Extract) []*datasets.Extract { e.SHA256 = strings.ToUpper(e.SHA256); return nil }, "64 lowercase hex"},
		{"short sha", func(e *datasets.Extract) []*datasets.Extract { e.SHA256 = "abc"; return nil }, "64 lowercase hex"},
		{"count of another source", func(e *datasets.Extract) []*datasets.Extract { e.Counts[0].Source = ho; return nil }, "want source"},
		{"count outside coverage", func(e *datasets.Extract) []*datasets.Extract {
			e.Counts = append(e.Counts, cnt(pu, wiltshire, "Drugs", nov, nov, 1))
			return nil
		}, "outside the extract's coverage"},
		{"count of an uncovered area", func(e *datasets.Extract) []*datasets.Extract {
			e.Counts = append(e.Counts, cnt(pu, dorset, "Drugs", oct, oct, 1))
			return nil
		}, "outside the extract's coverage"},
		{"duplicate count", func(e *datasets.Extract) []*datasets.Extract { e.Counts = append(e.Counts, e.Counts[0]); return nil }, "given twice"},
		{"start after end", func(e *datasets.Extract) []*datasets.Extract { e.Counts[0].End = month(2018, 9); return nil }, "start <= end"},
		{"zero month", func(e *datasets.Extract) []*datasets.Extract { e.Coverage[0].Start = 0; return nil }, "1900-01..2999-12"},
		{"overlapping coverage", func(e *datasets.Extract) []*datasets.Extract {
			e.Coverage = append(e.Coverage, cov(pu, wiltshire, month(2018, 4), month(2019, 3)))
			return nil
		}, "overlaps"},
		{"same name, other bytes", func(e *datasets.Extract) []*datasets.Extract {
			o := good()
			o.SHA256 = sha("other")
			return []*datasets.Extract{e, o}
		}, "different SHA-256"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, dir)
			e := good()
			es := tc.mutate(e)
			if es == nil {
				es = []*datasets.Extract{e}
			}
			before := listing(t, dir)
			_, err := s.Add(context.Background(), es)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Add: err = %v, want an error containing %q", err, tc.want)
			}
			sameListing(t, "rejected Add", listing(t, dir), before)
		})
	}
}

func TestEmptyExtractReplacesFigures(t *testing.T) {
	// An extract that covers a key but has no counts says "none recorded":
	// the older figures for the key go.
	s := openStore(t, t.TempDir())
	oct := month(2018, 10)
	key := cov(pu, wiltshire, oct, oct)
	mustAdd(t, s, extract("a", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 3)}, key))
	mustAdd(t, s, extract("b", pu, nil, key))
	snap := mustCurrent(t, s)
	diffCounts(t, "Current", snap.Counts, nil)
	if !reflect.DeepEqual(snap.Coverage, []datasets.Coverage{key}) {
		t.Errorf("Coverage = %v, want [%v]", snap.Coverage, key)
	}
}

// TestArrowSchemaReadBack checks the file's Arrow schema as other readers see it.
func TestArrowSchemaReadBack(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	oct := month(2018, 10)
	mustAdd(t, s, extract("a", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 3)}, cov(pu, wiltshire, oct, oct)))
	rdr, err := file.OpenParquetFile(filepath.Join(dir, fileOf("v000001", pu)), false)
	must(t, err)
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	must(t, err)
	sc, err := fr.Schema()
	must(t, err)
	var got []string
	for _, f := range sc.Fields() {
		got = append(got, fmt.Sprintf("%s:%s:null=%v", f.Name, f.Type, f.Nullable))
	}
	want := []string{"source:utf8:null=false", "area_code:utf8:null=false", "offence:utf8:null=false",
		"period_start:utf8:null=false", "period_end:utf8:null=false", "count:int64:null=false",
		"vintage:utf8:null=false", "input_sha256:utf8:null=false"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("schema:\n got %q\nwant %q", got, want)
	}
}

func BenchmarkAdd(b *testing.B) {
	dir := b.TempDir()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	s, err := Open(dir, Options{Clock: func() time.Time { return fixedTime }, Alloc: mem})
	if err != nil {
		b.Fatal(err)
	}
	e := bigExtract("bench", 43, 20, 117) // 100,620 counts
	e.Counts = e.Counts[:100000]
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		e.Name = "bench-" + strconv.Itoa(i)
		e.SHA256 = sha(e.Name)
		if _, err := s.Add(context.Background(), []*datasets.Extract{e}); err != nil {
			b.Fatal(err)
		}
	}
	mem.AssertSize(b, 0)
}

// TestAddReadsOnlyNewLines shows that an Add reads only the index lines
// appended since its Store last read the index: an earlier line spoiled in
// place goes unseen by it, while a fresh Open, which reads every line, names
// that line.
func TestAddReadsOnlyNewLines(t *testing.T) {
	dir := t.TempDir()
	oct, nov, dec := month(2018, 10), month(2018, 11), month(2018, 12)
	one := func(name string, m datasets.Month) *datasets.Extract {
		return extract(name, pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", m, m, 1)}, cov(pu, wiltshire, m, m))
	}
	s1, s2 := openStore(t, dir), openStore(t, dir)
	mustAdd(t, s1, one("a", oct))
	mustAdd(t, s2, one("b", nov)) // s2 reads a's line, appends b's
	mustAdd(t, s1, one("c", dec)) // s1 reads b's line, appends c's
	p := filepath.Join(dir, CatalogFile)
	data, err := os.ReadFile(p)
	must(t, err)
	first := bytes.IndexByte(data, '\n')
	must(t, os.WriteFile(p, append(bytes.Repeat([]byte("x"), first), data[first:]...), 0o644))

	res := mustAdd(t, s2, one("d", month(2019, 1))) // reads c's line only
	if res.Vintage == nil || res.Vintage.ID != "v000004" {
		t.Errorf("Add = %+v, want vintage v000004", res.Vintage)
	}
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "catalog.json: line 1") {
		t.Errorf("Open of the spoiled index: err = %v, want one naming catalog.json: line 1", err)
	}
}
