package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

const po = datasets.SourcePoliceUKOutcomes

func catIdx(t testing.TB, name string) uint8 {
	t.Helper()
	for i, c := range datasets.Categories() {
		if c.Name == name {
			return uint8(i)
		}
	}
	t.Fatalf("no category %q", name)
	return 0
}

func outcome(area string, m datasets.Month, crimeType, out string, n int64) datasets.OutcomeCount {
	return datasets.OutcomeCount{AreaCode: area, Month: m, CrimeType: crimeType, Outcome: out, Count: n}
}

// streetWithIDs is a police.uk street extract of Wiltshire for m holding
// crime IDs keys (burglaries).
func streetWithIDs(t testing.TB, name string, m datasets.Month, keys ...uint64) *datasets.Extract {
	e := extract(name, pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", m, m, int64(len(keys)))}, cov(pu, wiltshire, m, m))
	var ids []uint64
	for _, k := range keys {
		ids = append(ids, k|uint64(catIdx(t, "Burglary")))
	}
	g := datasets.CrimeIDs{AreaCode: wiltshire, Month: m}
	g.Add(ids[:1])
	g.Add(ids[1:])
	e.CrimeIDs = []datasets.CrimeIDs{g}
	return e
}

func outcomesExtract(name string, outs ...datasets.OutcomeCount) *datasets.Extract {
	e := &datasets.Extract{Source: po, Name: name, SHA256: sha(name), Outcomes: outs}
	seen := map[datasets.Coverage]bool{}
	for _, o := range outs {
		k := cov(po, o.AreaCode, o.Month, o.Month)
		if !seen[k] {
			seen[k] = true
			e.Coverage = append(e.Coverage, k)
		}
	}
	return e
}

func TestOutcomesAndCrimeIDs(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	ctx := context.Background()
	oct, nov := month(2018, 10), month(2018, 11)
	street := streetWithIDs(t, "2018-10-wiltshire-street.csv", oct, 16, 32, 48)
	o1 := outcomesExtract("2018-10-wiltshire-outcomes.csv",
		outcome(wiltshire, oct, "", "Suspect charged", 2),
		outcome(wiltshire, oct, "Burglary", "Suspect charged", 3),
		outcome(wiltshire, oct, "Burglary", "Under investigation", 1))
	o1.Stats = datasets.Stats{Read: 7, Used: 6, Skipped: map[string]int64{"exact duplicate row": 1}}
	mustAdd(t, s, street, o1)

	// The counts and their coverage are as before: outcomes are apart.
	snap := mustCurrent(t, s)
	if want := []datasets.Coverage{cov(pu, wiltshire, oct, oct)}; !reflect.DeepEqual(snap.Coverage, want) {
		t.Errorf("coverage %+v, want %+v", snap.Coverage, want)
	}
	if len(snap.Counts) != 1 || snap.Counts[0].Count != 3 {
		t.Errorf("counts %+v", snap.Counts)
	}
	got, err := s.Outcomes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Counts, o1.Outcomes) || !reflect.DeepEqual(got.Coverage, o1.Coverage) {
		t.Errorf("outcomes %+v\ncoverage %+v\nwant %+v", got.Counts, got.Coverage, o1.Outcomes)
	}
	for _, f := range []string{"outcomes/v000001-policeuk-outcomes.parquet", "crimeids/v000001.parquet", "counts/v000001-policeuk.parquet"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	types, err := s.CrimeTypes(ctx, []uint64{16, 48, 64})
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint8{catIdx(t, "Burglary"), catIdx(t, "Burglary"), NoCrimeType}; !reflect.DeepEqual(types, want) {
		t.Errorf("crime types %v, want %v", types, want)
	}

	// A later vintage: a newer outcomes file for October replaces it, one
	// for November adds to it, and the same Crime ID typed again as a
	// robbery wins over the earlier burglary.
	o2 := outcomesExtract("2019-01.zip!2018-10/2018-10-wiltshire-outcomes.csv", outcome(wiltshire, oct, "Robbery", "Local resolution", 1))
	o3 := outcomesExtract("2018-11-wiltshire-outcomes.csv", outcome(wiltshire, nov, "", "Suspect charged", 4))
	st2 := streetWithIDs(t, "2018-11-wiltshire-street.csv", nov, 48)
	st2.CrimeIDs[0] = datasets.NewCrimeIDs(wiltshire, nov, []uint64{48 | uint64(catIdx(t, "Robbery"))})
	s2 := openStore(t, dir) // another process
	mustAdd(t, s2, o2, o3, st2)
	got, err = s2.Outcomes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]datasets.OutcomeCount(nil), o2.Outcomes...), o3.Outcomes...)
	if !reflect.DeepEqual(got.Counts, want) {
		t.Errorf("outcomes after the second vintage %+v, want %+v", got.Counts, want)
	}
	snap = mustCurrent(t, s2)
	var superseded []string
	for _, k := range snap.Superseded {
		superseded = append(superseded, k.Key.Source+" "+k.OldInput+" -> "+k.NewInput)
	}
	if want := []string{po + " 2018-10-wiltshire-outcomes.csv -> 2019-01.zip!2018-10/2018-10-wiltshire-outcomes.csv"}; !reflect.DeepEqual(superseded, want) {
		t.Errorf("superseded %q, want %q", superseded, want)
	}
	types, err = s2.CrimeTypes(ctx, []uint64{16, 48})
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint8{catIdx(t, "Burglary"), catIdx(t, "Robbery")}; !reflect.DeepEqual(types, want) {
		t.Errorf("crime types %v, want %v", types, want)
	}
	// The full records keep the Crime ID counts and the accounting.
	v1 := snap.Vintages[0]
	if v1.Inputs[0].CrimeIDs != 3 || v1.Inputs[1].File != "outcomes/v000001-policeuk-outcomes.parquet" || v1.Inputs[1].Rows != 3 ||
		!reflect.DeepEqual(v1.Inputs[1].Stats, o1.Stats) {
		t.Errorf("vintage 1 records %+v", v1.Inputs)
	}
}

func TestSupersededAndSameAsRecorded(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	oct := month(2018, 10)
	winner := extract("2019-03.zip!2018-10/2018-10-wiltshire-street.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 5)}, cov(pu, wiltshire, oct, oct))
	loser := extract("2019-01.zip!2018-10/2018-10-wiltshire-street.csv", pu, nil)
	loser.SupersededBy = winner.Name
	loser.Stats = datasets.Stats{Read: 4, Skipped: map[string]int64{"superseded by x": 4}}
	same := extract("copy/2018-10-wiltshire-street.csv", pu, nil)
	same.SameAs = winner.Name
	mustAdd(t, s, loser, winner, same)
	snap := mustCurrent(t, openStore(t, dir))
	ins := snap.Vintages[0].Inputs
	if ins[0].SupersededBy != winner.Name || ins[0].SameAs != "" || ins[2].SameAs != winner.Name || ins[1].SupersededBy != "" ||
		!reflect.DeepEqual(ins[0].Stats, loser.Stats) {
		t.Errorf("records %+v", ins)
	}
	data, err := os.ReadFile(filepath.Join(dir, "catalog", "v000001.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"superseded_by": "2019-03.zip!2018-10/2018-10-wiltshire-street.csv"`, `"same_as": "2019-03.zip!`} {
		if !strings.Contains(string(data), w) {
			t.Errorf("vintage file lacks %s:\n%s", w, data)
		}
	}
}

func TestOutcomesContract(t *testing.T) {
	oct, nov := month(2018, 10), month(2018, 11)
	good := func() *datasets.Extract {
		return outcomesExtract("o.csv", outcome(wiltshire, oct, "Burglary", "Suspect charged", 1))
	}
	tests := []struct {
		name   string
		change func(e *datasets.Extract)
		want   string
	}{
		{"outside coverage", func(e *datasets.Extract) { e.Outcomes[0].Month = nov }, "outside the extract's coverage"},
		{"blank outcome", func(e *datasets.Extract) { e.Outcomes[0].Outcome = "" }, "not an outcome type: blank"},
		{"malformed outcome", func(e *datasets.Extract) { e.Outcomes[0].Outcome = "42" }, "not an outcome type: it has no letter"},
		{"known outcome misspelt", func(e *datasets.Extract) { e.Outcomes[0].Outcome = "suspect charged" }, `want the police.uk outcome type spelt "Suspect charged"`},
		{"outcome with spaces", func(e *datasets.Extract) { e.Outcomes[0].Outcome = "Let off " }, `want the outcome type without spaces around it, "Let off"`},
		{"unknown crime type", func(e *datasets.Extract) { e.Outcomes[0].CrimeType = "Fraud" }, "not a police.uk crime type"},
		{"zero count", func(e *datasets.Extract) { e.Outcomes[0].Count = 0 }, "want more than 0"},
		{"twice", func(e *datasets.Extract) { e.Outcomes = append(e.Outcomes, e.Outcomes[0]) }, "given twice"},
		{"counts in an outcomes extract", func(e *datasets.Extract) {
			e.Counts = []datasets.Count{cnt(po, wiltshire, "Burglary", oct, oct, 1)}
		}, "want outcome counts only"},
		{"outcomes in a street extract", func(e *datasets.Extract) {
			e.Source = pu
			e.Coverage[0].Source = pu
		}, "want \"policeuk-outcomes\""},
		{"crime IDs of an unknown category", func(e *datasets.Extract) {
			e.CrimeIDs = []datasets.CrimeIDs{datasets.NewCrimeIDs(wiltshire, oct, []uint64{32 | 14})}
		}, "category index 14 out of range"},
		{"crime IDs outside coverage", func(e *datasets.Extract) {
			e.CrimeIDs = []datasets.CrimeIDs{datasets.NewCrimeIDs(dorset, oct, []uint64{16 | 1})}
		}, "outside the extract's coverage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, t.TempDir())
			e := good()
			tt.change(e)
			_, err := s.Add(context.Background(), []*datasets.Extract{e})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Add: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestOutcomesUnknownType: an outcome of a type crimetrends does not know
// is kept under its type as written and read back so.
func TestOutcomesUnknownType(t *testing.T) {
	dir := t.TempDir()
	oct := month(2018, 10)
	o := outcomesExtract("o.csv", outcome(wiltshire, oct, "", "Community protection notice", 2), outcome(wiltshire, oct, "", "Suspect charged", 1))
	mustAdd(t, openStore(t, dir), o)
	got, err := openStore(t, dir).Outcomes(context.Background())
	if err != nil || !reflect.DeepEqual(got.Counts, o.Outcomes) {
		t.Errorf("Outcomes: %+v, %v; want %+v", got.Counts, err, o.Outcomes)
	}
}

// TestOutcomesOlderStore: a store written before outcomes existed has no
// outcomes/ or crimeids/ folder; it opens, reads and takes outcomes.
func TestOutcomesOlderStore(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	oct := month(2018, 10)
	mustAdd(t, s, extract("a.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 1)}, cov(pu, wiltshire, oct, oct)))
	for _, d := range []string{OutcomesDir, CrimeIDsDir} {
		if err := os.RemoveAll(filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
	}
	s = openStore(t, dir)
	if got, err := s.Outcomes(context.Background()); err != nil || len(got.Counts) != 0 {
		t.Fatalf("Outcomes: %+v, %v", got, err)
	}
	mustAdd(t, s, outcomesExtract("o.csv", outcome(wiltshire, oct, "", "Suspect charged", 1)))
	if got, err := openStore(t, dir).Outcomes(context.Background()); err != nil || len(got.Counts) != 1 {
		t.Fatalf("Outcomes: %+v, %v", got, err)
	}
}

// TestOutcomesLeftovers: outcomes/ and crimeids/ follow the rule of the
// other data folders. A killed Add's outcome and Crime ID files are noted:
// Open ignores them, writing nothing, and the next Add removes them.
// Such files without a note are not provably anyone's leftovers: Open and
// Add fail with ErrStaleIndex and remove nothing, and Verify names them.
func TestOutcomesLeftovers(t *testing.T) {
	oct, nov := month(2018, 10), month(2018, 11)
	first := []*datasets.Extract{streetWithIDs(t, "s.csv", oct, 16), outcomesExtract("o.csv", outcome(wiltshire, oct, "", "Suspect charged", 1))}
	second := []*datasets.Extract{streetWithIDs(t, "s2.csv", nov, 32), outcomesExtract("o2.csv", outcome(wiltshire, nov, "", "Suspect charged", 2))}
	leftovers := []string{"crimeids/v000002.parquet", "outcomes/v000002-policeuk-outcomes.parquet"}
	there := func(t *testing.T, dir string, wantThere bool) {
		t.Helper()
		for _, f := range append([]string{"outcomes/v000001-policeuk-outcomes.parquet", "crimeids/v000001.parquet"}, leftovers...) {
			_, err := os.Stat(filepath.Join(dir, f))
			if want := wantThere || strings.Contains(f, "v000001"); (err == nil) != want {
				t.Errorf("%s: %v, want there %v", f, err, want)
			}
		}
	}

	t.Run("killed", func(t *testing.T) {
		dir := t.TempDir()
		s := openStore(t, dir)
		mustAdd(t, s, first...)
		setHook(t, func(st string) bool { return st == "renamed "+vintageFile("v000002") })
		if _, err := s.Add(context.Background(), second); !errors.Is(err, errKilled) {
			t.Fatalf("Add: %v, want it killed", err)
		}
		addHook = noHook
		before := listing(t, dir)
		got, err := openStore(t, dir).Outcomes(context.Background())
		if err != nil || len(got.Counts) != 1 || got.Counts[0].Month != oct {
			t.Fatalf("Outcomes after the kill: %+v, %v; want October's only", got, err)
		}
		sameListing(t, "after Open and Outcomes", listing(t, dir), before)
		there(t, dir, true)
		// The next Add is another ingest: it removes the killed run's files
		// and writes its own vintage 2.
		mustAdd(t, openStore(t, dir), extract("a.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", nov, nov, 1)}, cov(pu, wiltshire, nov, nov)))
		there(t, dir, false)
		if _, err := os.Stat(filepath.Join(dir, PendingFile)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s after the next Add: %v", PendingFile, err)
		}
		rep, err := Verify(context.Background(), dir, Options{})
		if err != nil || !rep.Whole() || len(rep.Notes) != 0 {
			t.Errorf("Verify: %+v, %v; want whole, no notes", rep, err)
		}
	})

	t.Run("not noted", func(t *testing.T) {
		dir := t.TempDir()
		s := openStore(t, dir) // opened before the files appeared
		mustAdd(t, s, first...)
		for _, f := range leftovers {
			must(t, os.WriteFile(filepath.Join(dir, f), []byte("PAR1"), 0o644))
		}
		before := listing(t, dir)
		if _, err := Open(dir, Options{}); !errors.Is(err, ErrStaleIndex) || !strings.Contains(err.Error(), leftovers[0]) {
			t.Errorf("Open: %v, want ErrStaleIndex naming %s", err, leftovers[0])
		}
		if _, err := s.Add(context.Background(), second); !errors.Is(err, ErrStaleIndex) {
			t.Errorf("Add: %v, want ErrStaleIndex", err)
		}
		sameListing(t, "after Open and Add", listing(t, dir), before)
		rep, err := Verify(context.Background(), dir, Options{})
		must(t, err)
		var named []string
		for _, p := range rep.Problems {
			named = append(named, p.Path)
		}
		slices.Sort(named)
		if !reflect.DeepEqual(named, leftovers) {
			t.Errorf("Verify's problems %+v, want one for each of %q", rep.Problems, leftovers)
		}
	})
}
