package pipeline

import (
	"archive/zip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/policeuk"
	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

const (
	streetHeader   = policeuk.Header + "\n"
	outcomesHeader = policeuk.OutcomesHeader + "\n"
	stopHeader     = "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,Outcome linked to object of search,Removal of more secure clothing\n"
)

func streetRow(id, m, force, crimeType string) string {
	return id + "," + m + "," + force + "," + force + ",-1.8,51.1,On or near High Street,E01031000,Wiltshire 001A," + crimeType + ",,\n"
}

func outcomeRow(id, m, force, outcome string) string {
	return id + "," + m + "," + force + "," + force + ",-1.8,51.1,On or near High Street,E01031000,Wiltshire 001A," + outcome + "\n"
}

// writeTree writes files (slash paths relative to root) and returns root.
func writeTree(t *testing.T, root string, files map[string]string) string {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// zipTree writes files into the zip archive at p, entries sorted.
func zipTree(t *testing.T, p string, files map[string]string) string {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// archiveFiles is a small data.police.uk archive: two months, two forces,
// street, outcomes and stop and search files, and a Northern Ireland file.
//
// Wiltshire: 2018-10 crimes w1 (burglary), w2 (burglary), w3 (robbery) and
// an ASB incident; 2018-11 crime w4 (drugs). Its outcomes of 2018-11: w1
// charged, w1 sent to prison, w3 no suspect, w4 charged, an exact duplicate
// of that row, and x9 charged (a crime of a month before the archive:
// type unknown). Dorset: 2018-11 crime d1 (vehicle crime), its outcome
// "Local resolution".
func archiveFiles() map[string]string {
	w, d := "Wiltshire Police", "Dorset Police"
	return map[string]string{
		"2018-10/2018-10-wiltshire-street.csv": streetHeader + streetRow("w1", "2018-10", w, "Burglary") + streetRow("w2", "2018-10", w, "Burglary") +
			streetRow("w3", "2018-10", w, "Robbery") + streetRow("", "2018-10", w, "Anti-social behaviour"),
		"2018-10/2018-10-wiltshire-stop-and-search.csv": stopHeader + "Person search,2018-10-03T10:00:00+00:00,False,,51.1,-1.8,Male,18-24,,,,,A no further action disposal,,\n",
		"2018-11/2018-11-wiltshire-street.csv":          streetHeader + streetRow("w4", "2018-11", w, "Drugs"),
		"2018-11/2018-11-wiltshire-outcomes.csv": outcomesHeader + outcomeRow("w1", "2018-11", w, "Suspect charged") +
			outcomeRow("w1", "2018-11", w, "Offender sent to prison") + outcomeRow("w3", "2018-11", w, "Investigation complete; no suspect identified") +
			outcomeRow("w4", "2018-11", w, "Suspect charged") + outcomeRow("w4", "2018-11", w, "Suspect charged") +
			outcomeRow("x9", "2018-11", w, "Suspect charged"),
		"2018-11/2018-11-dorset-street.csv":           streetHeader + streetRow("d1", "2018-11", d, "Vehicle crime"),
		"2018-11/2018-11-dorset-outcomes.csv":         outcomesHeader + outcomeRow("d1", "2018-11", d, "Local resolution"),
		"2018-11/2018-11-dorset-stop-and-search.csv":  stopHeader,
		"2018-11/2018-11-northern-ireland-street.csv": streetHeader + streetRow("n1", "2018-11", "Police Service of Northern Ireland", "Burglary"),
	}
}

func TestIngestWholeArchive(t *testing.T) {
	ctx := context.Background()
	files := archiveFiles()
	tree := writeTree(t, filepath.Join(t.TempDir(), "police-uk"), files)
	archive := zipTree(t, filepath.Join(t.TempDir(), "2018-11.zip"), files)
	for _, tc := range []struct {
		name, path, prefix, dating string
	}{
		{"unpacked tree", tree, tree + string(filepath.Separator), "archive 2018-11"},
		{"zip", archive, archive + "!", "archive 2018-11"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := openStore(t)
			res, err := Ingest(ctx, st, []string{tc.path}, IngestOptions{})
			if err != nil {
				t.Fatal(err)
			}
			name := func(rel string) string {
				if strings.HasSuffix(tc.prefix, "!") {
					return tc.prefix + rel
				}
				return tc.prefix + filepath.FromSlash(rel)
			}
			var ignored []string
			for _, ig := range res.Ignored {
				ignored = append(ignored, ig.Path+": "+ig.Reason)
			}
			wantIgnored := []string{
				name("2018-10/2018-10-wiltshire-stop-and-search.csv") + ": " + datasets.ReasonStopAndSearch,
				name("2018-11/2018-11-dorset-stop-and-search.csv") + ": " + datasets.ReasonStopAndSearch,
				name("2018-11/2018-11-northern-ireland-street.csv") + ": " + datasets.ReasonNorthernIreland,
			}
			sort.Strings(ignored)
			if !reflect.DeepEqual(ignored, wantIgnored) {
				t.Errorf("ignored\n%q\nwant\n%q", ignored, wantIgnored)
			}
			type acc struct {
				source              string
				read, used, skipped int64
				untyped             int64
				status, dating      string
			}
			got := map[string]acc{}
			for _, in := range res.Inputs {
				if !in.Stats.Balanced() {
					t.Errorf("%s: read %d != used %d + skipped %d + rejected %d", in.Name, in.Stats.Read, in.Stats.Used, in.Stats.SkippedTotal(), in.Stats.Rejected)
				}
				got[in.Name] = acc{in.Source, in.Stats.Read, in.Stats.Used, in.Stats.SkippedTotal(), in.Untyped, in.Status, in.Dating}
			}
			want := map[string]acc{
				name("2018-10/2018-10-wiltshire-street.csv"):   {datasets.SourcePoliceUK, 4, 4, 0, 0, StatusAdded, tc.dating},
				name("2018-11/2018-11-wiltshire-street.csv"):   {datasets.SourcePoliceUK, 1, 1, 0, 0, StatusAdded, tc.dating},
				name("2018-11/2018-11-dorset-street.csv"):      {datasets.SourcePoliceUK, 1, 1, 0, 0, StatusAdded, tc.dating},
				name("2018-11/2018-11-wiltshire-outcomes.csv"): {datasets.SourcePoliceUKOutcomes, 6, 5, 1, 1, StatusAdded, tc.dating},
				name("2018-11/2018-11-dorset-outcomes.csv"):    {datasets.SourcePoliceUKOutcomes, 1, 1, 0, 0, StatusAdded, tc.dating},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("inputs\n%+v\nwant\n%+v", got, want)
			}
			out, err := st.Outcomes(ctx)
			if err != nil {
				t.Fatal(err)
			}
			nov := datasets.MonthOf(2018, 11)
			wantOut := []datasets.OutcomeCount{
				{AreaCode: codeWiltshire, Month: nov, CrimeType: "", Outcome: "Suspect charged", Count: 1},
				{AreaCode: codeWiltshire, Month: nov, CrimeType: "Burglary", Outcome: "Offender sent to prison", Count: 1},
				{AreaCode: codeWiltshire, Month: nov, CrimeType: "Burglary", Outcome: "Suspect charged", Count: 1},
				{AreaCode: codeWiltshire, Month: nov, CrimeType: "Drugs", Outcome: "Suspect charged", Count: 1},
				{AreaCode: codeWiltshire, Month: nov, CrimeType: "Robbery", Outcome: "Investigation complete; no suspect identified", Count: 1},
				{AreaCode: codeDorset, Month: nov, CrimeType: "Vehicle crime", Outcome: "Local resolution", Count: 1},
			}
			datasets.SortOutcomeCounts(wantOut)
			if !reflect.DeepEqual(out.Counts, wantOut) {
				t.Errorf("outcomes\n%+v\nwant\n%+v", out.Counts, wantOut)
			}
			snap, err := st.Current(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Coverage) != 3 { // Wiltshire 2018-10, 2018-11, Dorset 2018-11: no outcome keys
				t.Errorf("coverage %+v", snap.Coverage)
			}
		})
	}
}

// TestIngestOutcomesTypedByEarlierVintage: outcomes ingested after their
// street files, in a later run, find their crimes' types in the dataset.
func TestIngestOutcomesTypedByEarlierVintage(t *testing.T) {
	ctx := context.Background()
	files := archiveFiles()
	dir := t.TempDir()
	street := writeTree(t, filepath.Join(dir, "street"), map[string]string{"2018-10/2018-10-wiltshire-street.csv": files["2018-10/2018-10-wiltshire-street.csv"]})
	outcomes := writeTree(t, filepath.Join(dir, "outcomes"), map[string]string{"2018-11/2018-11-wiltshire-outcomes.csv": files["2018-11/2018-11-wiltshire-outcomes.csv"]})
	st, _ := openStore(t)
	if _, err := Ingest(ctx, st, []string{street}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := Ingest(ctx, st, []string{outcomes}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// w1 twice and w3 from the first vintage; w4 and x9 nowhere.
	if len(res.Inputs) != 1 || res.Inputs[0].Untyped != 2 || res.Inputs[0].Stats.Used != 5 {
		t.Fatalf("inputs %+v: want 5 used, 2 untyped", res.Inputs)
	}
}

// TestIngestRealOutcomes ingests the real City of London outcomes files
// with the real street files of the same force: every outcome row read is
// used, an exact duplicate or typed as the hand count says.
func TestIngestRealOutcomes(t *testing.T) {
	archive := testutil.Real(t, "police-uk-archive")
	streetDir := testutil.Real(t, "police-uk-street-geoinfo")
	streets, err := filepath.Glob(filepath.Join(streetDir, "*-city-of-london-street.csv"))
	if err != nil || len(streets) != 5 {
		t.Skipf("City of London street files: %v, %v", streets, err)
	}
	ctx := context.Background()
	st, _ := openStore(t)
	res, err := Ingest(ctx, st, append([]string{archive}, streets...), IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: sort -u of each outcomes file against every street file
	// (awk), see policeuk.TestOutcomesRealJoin.
	typed := map[string]int64{"2018-10": 247, "2018-11": 439, "2018-12": 329, "2019-01": 581, "2019-02": 516}
	dups := map[string]int64{"2018-10": 15, "2018-11": 6, "2018-12": 6, "2019-01": 8, "2019-02": 8}
	read := map[string]int64{"2018-10": 585, "2018-11": 693, "2018-12": 391, "2019-01": 692, "2019-02": 601}
	n := 0
	for _, in := range res.Inputs {
		if !in.Stats.Balanced() {
			t.Errorf("%s does not balance: %+v", in.Name, in.Stats)
		}
		if in.Source != datasets.SourcePoliceUKOutcomes {
			continue
		}
		n++
		m := filepath.Base(filepath.Dir(in.Name))
		if in.Stats.Read != read[m] || in.Stats.Skipped[policeuk.ReasonExactDuplicate] != dups[m] || in.Stats.Used-in.Untyped != typed[m] ||
			in.Dating != "archive 2019-02" || in.Status != StatusAdded {
			t.Errorf("%s: %+v, untyped %d, dating %q, status %q: want read %d, %d duplicates, %d typed",
				in.Name, in.Stats, in.Untyped, in.Dating, in.Status, read[m], dups[m], typed[m])
		}
	}
	if n != 5 {
		t.Errorf("%d outcomes inputs, want 5", n)
	}
	out, err := st.Outcomes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, c := range out.Counts {
		total += c.Count
	}
	// 585+693+391+692+601 rows less 43 exact duplicates.
	if total != 2962-43 || len(out.Coverage) != 5 {
		t.Errorf("stored outcomes total %d over %d keys; want %d over 5", total, len(out.Coverage), 2962-43)
	}
}

// TestIngestRowNotAsNamed: a street row of another force than its file's
// name is an error naming the file, row and column, and nothing is written.
func TestIngestRowNotAsNamed(t *testing.T) {
	ctx := context.Background()
	files := archiveFiles()
	files["2018-11/2018-11-dorset-street.csv"] += streetRow("s1", "2018-11", "Sussex Police", "Burglary")
	tree := writeTree(t, t.TempDir(), files)
	st, _ := openStore(t)
	_, err := Ingest(ctx, st, []string{tree}, IngestOptions{})
	var re *datasets.RowError
	if !errors.As(err, &re) || !errors.Is(err, datasets.ErrNotAsNamed) || re.Row != 3 || re.Column != policeuk.ColReportedBy ||
		re.File != filepath.Join(tree, "2018-11", "2018-11-dorset-street.csv") {
		t.Fatalf("error %v: want the Dorset file, row 3, column Reported by", err)
	}
	if !strings.Contains(err.Error(), `"Sussex Police"`) || !strings.Contains(err.Error(), "want Dorset Police") {
		t.Errorf("error %v: want the row's force and the name's", err)
	}
	if len(st.Vintages()) != 0 {
		t.Error("a vintage was written")
	}
}

// TestIngestLeavesNoSpill: the street files' Crime IDs wait in a temporary
// file of the dataset's folder while the inputs are read; nothing of it is
// left after an ingest, whether it adds a vintage or fails, and a failed
// first ingest leaves no dataset folder behind.
func TestIngestLeavesNoSpill(t *testing.T) {
	ctx := context.Background()
	files := archiveFiles()
	tree := writeTree(t, filepath.Join(t.TempDir(), "police-uk"), files)
	root := t.TempDir()
	data := filepath.Join(root, "data")
	st, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bad := writeTree(t, filepath.Join(t.TempDir(), "bad"), map[string]string{
		"2018-10/2018-10-wiltshire-street.csv": files["2018-10/2018-10-wiltshire-street.csv"],
		"2018-10/2018-10-dorset-street.csv":    streetHeader + streetRow("d1", "2018-10", "Dorset Police", "Piracy"),
	})
	if _, err := Ingest(ctx, st, []string{bad}, IngestOptions{}); err == nil {
		t.Fatal("a bad row was ingested")
	}
	if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after a failed first ingest the dataset folder is there: %v", err)
	}
	if _, err := Ingest(ctx, st, []string{tree}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bad, tree} {
		if _, err := Ingest(ctx, st, []string{p}, IngestOptions{}); (err == nil) != (p == tree) {
			t.Fatalf("ingest of %s again: %v", p, err)
		}
	}
	entries, err := os.ReadDir(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".crimeids-") {
			t.Errorf("%s left in the dataset's folder", e.Name())
		}
	}
	rep, err := store.Verify(ctx, data, store.Options{})
	if err != nil || !rep.Whole() || len(rep.Notes) != 0 {
		t.Errorf("Verify: %+v, %v", rep, err)
	}
}
