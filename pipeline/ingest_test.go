package pipeline

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

func openStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{Clock: func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return st, dir
}

// zipFolder writes every file of dir into a new archive under YYYY-MM/
// folders, the layout of a data.police.uk download.
func zipFolder(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "download.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range entries {
		name := e.Name()
		w, err := zw.Create(name[:7] + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, src); err != nil {
			t.Fatal(err)
		}
		src.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestIngestFolderAndZipAgree ingests the 20 real police.uk files once as a
// folder and once as a zip archive: the dataset must hold the same counts,
// and a second ingest of the same archive must add nothing.
func TestIngestFolderAndZipAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("real-data test skipped with -short")
	}
	dir := testutil.Real(t, "police-uk-street-geoinfo")
	ctx := context.Background()

	byFolder, _ := openStore(t)
	res, err := Ingest(ctx, byFolder, []string{dir}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Inputs) != 20 || res.Vintage != "v000001" {
		t.Fatalf("folder ingest: %d inputs, vintage %q; want 20, v000001", len(res.Inputs), res.Vintage)
	}
	var total datasets.Stats
	for _, in := range res.Inputs {
		total.Add(in.Stats)
	}
	if total.Read != 101225 || total.Used != 101204 || total.SkippedTotal() != 21 || !total.Balanced() {
		t.Errorf("folder ingest rows: read %d used %d skipped %d; want 101225, 101204, 21", total.Read, total.Used, total.SkippedTotal())
	}

	byZip, _ := openStore(t)
	archive := zipFolder(t, dir)
	if _, err := Ingest(ctx, byZip, []string{archive}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	a, err := byFolder.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := byZip.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Counts) == 0 || !reflect.DeepEqual(a.Counts, b.Counts) || !reflect.DeepEqual(a.Coverage, b.Coverage) {
		t.Errorf("folder and zip ingests differ: %d vs %d counts", len(a.Counts), len(b.Counts))
	}
	if len(a.Coverage) != 20 {
		t.Errorf("coverage: %d force-months, want 20 (4 forces x 5 months)", len(a.Coverage))
	}

	again, err := Ingest(ctx, byZip, []string{archive}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Vintage != "" || len(byZip.Vintages()) != 1 {
		t.Errorf("second ingest of the same archive made vintage %q (%d vintages); want none", again.Vintage, len(byZip.Vintages()))
	}
	for _, in := range again.Inputs {
		if in.Status != "already in the dataset" {
			t.Errorf("%s: status %q", in.Name, in.Status)
		}
	}
}

// TestIngestReplacesNewerExtract checks that a newer extract for the same
// force and month replaces the older figures while the older vintage stays.
func TestIngestReplacesNewerExtract(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	dir := t.TempDir()
	const header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
	row := func(id, crimeType string) string {
		return id + ",2019-01,Wiltshire Police,Wiltshire Police,,,No location,,," + crimeType + ",,\n"
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(header+body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := write("first/2019-01-wiltshire-street.csv", row("a", "Burglary")+row("b", "Burglary")+row("c", "Drugs"))
	second := write("second/2019-01-wiltshire-street.csv", row("a", "Burglary")+row("d", "Robbery"))
	if _, err := Ingest(ctx, st, []string{first}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Ingest(ctx, st, []string{second}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := st.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, c := range snap.Counts {
		got[c.Offence] = c.Count
	}
	want := map[string]int64{"Burglary": 1, "Robbery": 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("current counts %v, want %v (the newer extract only)", got, want)
	}
	if n := len(st.Vintages()); n != 2 {
		t.Errorf("%d vintages, want 2 (the older one kept)", n)
	}
	if len(snap.Superseded) != 1 {
		t.Errorf("superseded: %+v, want one key", snap.Superseded)
	}
}

// TestIngestBadInputLeavesDataset checks that one bad file among good ones
// stops the ingest and writes nothing.
func TestIngestBadInputLeavesDataset(t *testing.T) {
	ctx := context.Background()
	st, storeDir := openStore(t)
	dir := t.TempDir()
	const header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
	os.WriteFile(filepath.Join(dir, "2019-01-wiltshire-street.csv"), []byte(header+"a,2019-01,Wiltshire Police,,,,,,,Burglary,,\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "2019-02-wiltshire-street.csv"), []byte(header+"b,2019-02,Wiltshire Police,,,,,,,Burglary,,\nc,2019-02,Wiltshire Police,,,,,,,Piracy,,\n"), 0o644)
	_, err := Ingest(ctx, st, []string{dir}, IngestOptions{})
	var re *datasets.RowError
	if err == nil || !errors.As(err, &re) || re.Row != 3 || re.Column != "Crime type" {
		t.Fatalf("err = %v; want a RowError at row 3, column Crime type", err)
	}
	if n := len(st.Vintages()); n != 0 {
		t.Errorf("%d vintages after a failed ingest, want 0", n)
	}
	entries, _ := os.ReadDir(filepath.Join(storeDir, "counts"))
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if len(names) != 0 {
		t.Errorf("files left in counts/: %v", names)
	}
}
