package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

// wiltsStreet is a Wiltshire street file of month m with one burglary per
// ID.
func wiltsStreet(m string, ids ...string) string {
	b := streetHeader
	for _, id := range ids {
		b += streetRow(id, m, "Wiltshire Police", "Burglary")
	}
	return b
}

// burglaries gives the stored police.uk burglary count of each Wiltshire
// month.
func burglaries(t *testing.T, ctx context.Context, st *store.Store) map[string]int64 {
	t.Helper()
	snap, err := st.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, c := range snap.Counts {
		if c.AreaCode == codeWiltshire && c.Offence == "Burglary" {
			out[c.Start.String()] = c.Count
		}
	}
	return out
}

// TestIngestConflictUndated: the same force and month twice with different
// figures and no dating that tells them apart is an error naming both
// files, in either order, and nothing is written.
func TestIngestConflictUndated(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"a/2018-10-wiltshire-street.csv":            wiltsStreet("2018-10", "w1", "w2"),
		"b/2018-10-wiltshire-street.csv":            wiltsStreet("2018-10", "w1"),
		"tree/2018-10/2018-10-wiltshire-street.csv": wiltsStreet("2018-10", "w1", "w2", "w3"),
	})
	a, b := filepath.Join(dir, "a", "2018-10-wiltshire-street.csv"), filepath.Join(dir, "b", "2018-10-wiltshire-street.csv")
	tree := filepath.Join(dir, "tree")
	for _, paths := range [][]string{{a, b}, {b, a}, {a, tree}} {
		st, _ := openStore(t)
		_, err := Ingest(context.Background(), st, paths, IngestOptions{})
		if !errors.Is(err, ErrConflict) {
			t.Fatalf("%v: error %v, want a conflict", paths, err)
		}
		for _, p := range paths {
			want := p
			if p == tree {
				want = filepath.Join(tree, "2018-10", "2018-10-wiltshire-street.csv")
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%v: error %v does not name %s", paths, err, want)
			}
		}
		if !strings.Contains(err.Error(), "Wiltshire 2018-10 (policeuk)") || !strings.Contains(err.Error(), "ingest each in a run of its own") {
			t.Errorf("error %v: want the force, month and what to do", err)
		}
		if len(st.Vintages()) != 0 {
			t.Errorf("%v: a vintage was written", paths)
		}
	}
}

// TestIngestNewerArchiveWins: two downloaded archives with overlapping
// months, ingested together in either order: the newer archive's figures
// win, the older's file says it was superseded, its rows are skipped with
// that reason, and its months the newer lacks stay.
func TestIngestNewerArchiveWins(t *testing.T) {
	dir := t.TempDir()
	older := zipTree(t, filepath.Join(dir, "2019-01.zip"), map[string]string{
		"2018-09/2018-09-wiltshire-street.csv": wiltsStreet("2018-09", "s1"),
		"2018-10/2018-10-wiltshire-street.csv": wiltsStreet("2018-10", "w1", "w2", "w3"),
		"2018-11/2018-11-wiltshire-street.csv": wiltsStreet("2018-11", "n1"),
	})
	newer := zipTree(t, filepath.Join(dir, "2019-03.zip"), map[string]string{
		"2018-10/2018-10-wiltshire-street.csv": wiltsStreet("2018-10", "w1", "w2"), // resubmitted: one crime fewer
		"2018-11/2018-11-wiltshire-street.csv": wiltsStreet("2018-11", "n1"),       // unchanged: the same bytes
	})
	oldOct, newOct := older+"!2018-10/2018-10-wiltshire-street.csv", newer+"!2018-10/2018-10-wiltshire-street.csv"
	oldNov, newNov := older+"!2018-11/2018-11-wiltshire-street.csv", newer+"!2018-11/2018-11-wiltshire-street.csv"
	var first map[string]InputReport
	for _, paths := range [][]string{{older, newer}, {newer, older}} {
		ctx := context.Background()
		st, _ := openStore(t)
		res, err := Ingest(ctx, st, paths, IngestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := burglaries(t, ctx, st), map[string]int64{"2018-09": 1, "2018-10": 2, "2018-11": 1}; !reflect.DeepEqual(got, want) {
			t.Errorf("%v: burglaries %v, want %v (the newer archive's October)", paths, got, want)
		}
		byName := map[string]InputReport{}
		for _, in := range res.Inputs {
			byName[in.Name] = in
			if !in.Stats.Balanced() {
				t.Errorf("%s: %+v does not balance", in.Name, in.Stats)
			}
		}
		reason := "superseded by " + newOct + " (archive 2019-03, newer than archive 2019-01)"
		if in := byName[oldOct]; in.Status != reason || in.Stats.Used != 0 || in.Stats.Skipped[reason] != 3 || in.Stats.Read != 3 {
			t.Errorf("older October: %+v, want status and skip reason %q for its 3 rows", in, reason)
		}
		if in := byName[oldNov]; in.Status != "skipped: same as "+newNov || in.Stats.Used != 0 || in.Stats.Skipped["same as "+newNov] != 1 || in.Vintage != "" {
			t.Errorf("older November (same bytes): %+v", in)
		}
		for _, n := range []string{newOct, newNov, older + "!2018-09/2018-09-wiltshire-street.csv"} {
			if in := byName[n]; in.Status != StatusAdded || in.Stats.Used != in.Stats.Read {
				t.Errorf("%s: %+v, want added with every row used", n, in)
			}
		}
		// The catalog record of the superseded input says so.
		snap, err := st.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, in := range snap.Vintages[0].Inputs {
			if in.Name == oldOct {
				found = in.SupersededBy == newOct && in.Rows == 0 && len(in.Coverage) == 0 && in.Stats.Skipped[reason] == 3
			}
		}
		if !found {
			t.Errorf("catalog record of %s does not say it was superseded: %+v", oldOct, snap.Vintages[0].Inputs)
		}
		if first == nil {
			first = byName
		} else if !reflect.DeepEqual(first, byName) {
			t.Errorf("the order of the paths changed the result:\n%+v\n%+v", first, byName)
		}
	}
}

// TestIngestIdenticalInputsCountedOnce: the real Wiltshire file twice (the
// same bytes) and once more with CRLF line ends (other bytes, the same
// figures): its 5,058 rows are used once and skipped as the same twice.
func TestIngestIdenticalInputsCountedOnce(t *testing.T) {
	src := testutil.Real(t, "police-uk-street-geoinfo", "2018-10-wiltshire-street.csv")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"one/2018-10-wiltshire-street.csv":   string(data),
		"two/2018-10-wiltshire-street.csv":   string(data),
		"three/2018-10-wiltshire-street.csv": strings.ReplaceAll(string(data), "\n", "\r\n"),
	})
	one, two, three := filepath.Join(dir, "one", "2018-10-wiltshire-street.csv"), filepath.Join(dir, "two", "2018-10-wiltshire-street.csv"),
		filepath.Join(dir, "three", "2018-10-wiltshire-street.csv")
	ctx := context.Background()
	st, _ := openStore(t)
	res, err := Ingest(ctx, st, []string{two, three, one}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var total datasets.Stats
	status := map[string]string{}
	for _, in := range res.Inputs {
		total.Add(in.Stats)
		status[in.Name] = in.Status
		if !in.Stats.Balanced() {
			t.Errorf("%s: %+v does not balance", in.Name, in.Stats)
		}
	}
	if total.Read != 3*5058 || total.Used != 5058 || total.Skipped["same as "+one] != 2*5058 {
		t.Errorf("rows: read %d, used %d, skipped %v; want %d read, 5058 used, %d same as %s", total.Read, total.Used, total.Skipped, 3*5058, 2*5058, one)
	}
	// "one" sorts first among the files of the same figures.
	want := map[string]string{one: StatusAdded, two: "skipped: same as " + one, three: "skipped: same as " + one}
	if !reflect.DeepEqual(status, want) {
		t.Errorf("statuses %v, want %v", status, want)
	}
	if got := burglaries(t, ctx, st); got["2018-10"] == 0 {
		t.Errorf("burglaries %v", got)
	}
	snap, err := st.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var stored int64
	for _, c := range snap.Counts {
		stored += c.Count
	}
	if stored != 5058 {
		t.Errorf("stored %d rows' counts, want 5058", stored)
	}
	// The CRLF copy is in the catalog (so it is "already in the dataset"
	// next time), with its rows skipped; the byte-identical copy is not.
	names := map[string]string{}
	for _, in := range snap.Vintages[0].Inputs {
		names[in.Name] = in.SameAs
	}
	if !reflect.DeepEqual(names, map[string]string{one: "", three: one}) {
		t.Errorf("catalog inputs %v", names)
	}
}

// TestIngestPartlySame: a file holding two months, one of them the same as
// another input's: that month's rows are skipped as the same, the other's
// are used.
func TestIngestPartlySame(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"2018-10-wiltshire-street.csv": wiltsStreet("2018-10", "w1", "w2"),
		"both.csv":                     wiltsStreet("2018-10", "w1", "w2") + strings.TrimPrefix(wiltsStreet("2018-11", "n1"), streetHeader),
	})
	ctx := context.Background()
	st, _ := openStore(t)
	res, err := Ingest(ctx, st, []string{dir}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "2018-10-wiltshire-street.csv")
	for _, in := range res.Inputs {
		if filepath.Base(in.Name) == "both.csv" {
			if in.Status != StatusAdded || in.Stats.Used != 1 || in.Stats.Skipped["same as "+single] != 2 || in.Stats.Read != 3 {
				t.Errorf("both.csv: %+v", in)
			}
		}
	}
	if got, want := burglaries(t, ctx, st), map[string]int64{"2018-10": 2, "2018-11": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("burglaries %v, want %v", got, want)
	}
}

// TestIngestNewerForceExtractWins: two series of force extracts covering
// the same months with different figures: the one taken later wins.
func TestIngestNewerForceExtractWins(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeForceFiles(t, dir, forceFixture)
	older, newer := forceSpec(dir, "wilts-2019-03-05.csv"), forceSpec(dir, "wilts-2019-04-02.csv")
	for _, specs := range [][]ForceExtractSpec{{older, newer}, {newer, older}} {
		st, _ := openStore(t)
		res, err := IngestForce(ctx, st, nil, specs, IngestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range res.Inputs {
			switch {
			case strings.HasSuffix(in.Name, "wilts-2019-03-05.csv"):
				if !strings.HasPrefix(in.Status, "superseded by ") || !strings.Contains(in.Status, "extract of 2019-04-02, newer than extract of 2019-03-05") ||
					in.Stats.Used != 0 || !in.Stats.Balanced() {
					t.Errorf("older extract: %+v", in)
				}
			case in.Status != StatusAdded:
				t.Errorf("newer extract: %+v", in)
			}
		}
		snap, err := st.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The newer extract alone: R1 as stalking in January, R3 in
		// February (R4 is not in it), R5 and R6 in March.
		want := []datasets.Count{forceCount("8L", 2019, 2, 1), forceCount("8L", 2019, 3, 1), forceCount("8Q", 2019, 1, 1), forceCount("8R", 2019, 3, 1)}
		if got := countsOfSource(snap.Counts, datasets.SourceForce); !reflect.DeepEqual(got, want) {
			t.Errorf("counts %+v, want the newer extract's %+v", got, want)
		}
	}
}

// TestIngestHomeOfficeTwice: the real Home Office table and a copy with
// CRLF line ends (other bytes, the same figures): the copy's 23,056 used
// rows are skipped as the same, per force and quarter (KeyRows), and the
// dataset holds the table's figures once.
func TestIngestHomeOfficeTwice(t *testing.T) {
	src := testutil.Real(t, "mopd-crime-sim-toolkit", "prc-pfa-mar2013-onwards-tables201718.csv")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a/prc.csv": string(data), "b/prc.csv": strings.ReplaceAll(string(data), "\n", "\r\n")})
	ctx := context.Background()
	st, _ := openStore(t)
	res, err := Ingest(ctx, st, []string{filepath.Join(dir, "b"), filepath.Join(dir, "a")}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "a", "prc.csv"), filepath.Join(dir, "b", "prc.csv")
	for _, in := range res.Inputs {
		switch in.Name {
		case a:
			if in.Status != StatusAdded || in.Stats.Used != 23056 {
				t.Errorf("a: %+v", in)
			}
		case b:
			if in.Status != "skipped: same as "+a || in.Stats.Used != 0 || in.Stats.Skipped["same as "+a] != 23056 || !in.Stats.Balanced() {
				t.Errorf("b: %+v", in)
			}
		}
	}
	snap, err := st.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, c := range snap.Counts {
		if c.Source == datasets.SourceHomeOffice {
			n++
		}
	}
	if n == 0 || len(snap.Vintages[0].Inputs) != 2 {
		t.Errorf("%d Home Office counts, %d inputs in the catalog", n, len(snap.Vintages[0].Inputs))
	}
}
