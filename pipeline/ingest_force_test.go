package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/force"
)

const forceTestArea = "E23000038"

// Two extracts of one records system. Hand-worked merge (see
// TestReadForceExtracts): R1 reclassified HAR1 (8L) -> STK1 (8Q), R2
// cancelled, R3 unchanged (and repeated identically in the second
// extract), R4 only in the first, R5 recorded in March (incomplete in the
// first extract, taken 5 March; complete in the second, taken 2 April),
// R6 new in March, R7 in April (incomplete: the month the second extract
// was taken in).
var forceFixture = map[string]string{
	"crosswalk.csv": "local_code,ho_code,description\nHAR1,8L,Harassment\nSTK1,8Q,Stalking\nMAL,8R,Malicious communications\n",
	"wilts-2019-03-05.csv": "Crime Ref,Recorded,Offence,Outcome\n" +
		"R1,15/01/2019,HAR1,\n" +
		"R2,20/01/2019,STK1,\n" +
		",,,\n" +
		"R3,03/02/2019,HAR1,\n" +
		"R4,10/02/2019,8L,\n" +
		"R5,01/03/2019,HAR1,\n",
	"wilts-2019-04-02.csv": "Crime Ref,Recorded,Offence,Outcome\n" +
		"R1,15/01/2019,STK1,\n" +
		"R2,20/01/2019,STK1,Cancelled\n" +
		"R3,03/02/2019,HAR1,\n" +
		"R3,03/02/2019,HAR1,\n" +
		"R6,12/03/2019,MAL,\n" +
		"R5,01/03/2019,HAR1,\n" +
		"R7,01/04/2019,8L,\n",
}

var forceMapping = force.Mapping{
	Force: "Wiltshire", Reference: "Crime Ref", Recorded: "Recorded", DateFormat: "DD/MM/YYYY",
	Offence: "Offence", Outcome: "Outcome", Cancelled: []string{"Cancelled", "No crime"},
}

func writeForceFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func forceSpec(dir string, files ...string) ForceExtractSpec {
	m := forceMapping
	m.Crosswalk = filepath.Join(dir, "crosswalk.csv")
	spec := ForceExtractSpec{Mapping: m}
	for _, f := range files {
		spec.Files = append(spec.Files, filepath.Join(dir, f))
	}
	return spec
}

func forceCount(code string, y, m int, n int64) datasets.Count {
	mo := datasets.MonthOf(y, m)
	return datasets.Count{Source: datasets.SourceForce, AreaCode: forceTestArea, Offence: code, Start: mo, End: mo, Count: n}
}

func forceCov(y, m int) datasets.Coverage {
	mo := datasets.MonthOf(y, m)
	return datasets.Coverage{Source: datasets.SourceForce, AreaCode: forceTestArea, Start: mo, End: mo}
}

func TestReadForceExtracts(t *testing.T) {
	dir := t.TempDir()
	writeForceFiles(t, dir, forceFixture)
	// Listed latest first: the merge orders extracts by extract date.
	got, err := ReadForceExtracts(context.Background(), forceSpec(dir, "wilts-2019-04-02.csv", "wilts-2019-03-05.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := got.Extract
	wantCounts := []datasets.Count{forceCount("8Q", 2019, 1, 1), forceCount("8L", 2019, 2, 2), forceCount("8L", 2019, 3, 1), forceCount("8R", 2019, 3, 1)}
	datasets.SortCounts(wantCounts)
	if !reflect.DeepEqual(e.Counts, wantCounts) {
		t.Errorf("counts:\n got %+v\nwant %+v", e.Counts, wantCounts)
	}
	// First extract covers January..February (March was not over on 5
	// March), the second January..March.
	if want := []datasets.Coverage{forceCov(2019, 1), forceCov(2019, 2), forceCov(2019, 3)}; !reflect.DeepEqual(e.Coverage, want) {
		t.Errorf("coverage:\n got %+v\nwant %+v", e.Coverage, want)
	}
	// Rows: 6 + 7 = 13 read; 5 references counted (R1, R3, R4, R5, R6);
	// skipped: 1 blank, 1 identical repeat (R3), 1 cancelled (R2), 4
	// superseded (R1, R2, R3, R5 of the first extract), 1 incomplete (R7).
	wantStats := datasets.Stats{Read: 13, Used: 5, Skipped: map[string]int64{
		force.SkipBlank: 1, force.SkipDuplicate: 1, SkipCancelled: 1, SkipSuperseded: 4, SkipIncomplete: 1}}
	if !reflect.DeepEqual(e.Stats, wantStats) {
		t.Errorf("stats:\n got %+v\nwant %+v", e.Stats, wantStats)
	}
	if !e.Stats.Balanced() {
		t.Errorf("stats do not balance: %+v", e.Stats)
	}
	if e.Source != datasets.SourceForce {
		t.Errorf("source = %q, want %q", e.Source, datasets.SourceForce)
	}
	wantName := filepath.Join(dir, "wilts-2019-03-05.csv") + " + " + filepath.Join(dir, "wilts-2019-04-02.csv")
	if e.Name != wantName {
		t.Errorf("name = %q, want %q", e.Name, wantName)
	}
	if got.Merge.Reclassified != 1 || got.Merge.Cancelled != 1 || got.Merge.Records != 5 {
		t.Errorf("merge report = %+v, want 1 reclassified, 1 cancelled, 5 records", got.Merge)
	}
	if len(got.Files) != 2 || got.Files[0].Taken != "2019-03-05" || got.Files[1].Taken != "2019-04-02" ||
		got.Files[0].Stats.Read != 6 || got.Files[1].Stats.Read != 7 {
		t.Errorf("files = %+v", got.Files)
	}

	// The digest does not depend on the order of the files or the folder
	// they are in, and does depend on the crosswalk and the mapping.
	other := t.TempDir()
	writeForceFiles(t, other, forceFixture)
	again, err := ReadForceExtracts(context.Background(), forceSpec(other, "wilts-2019-03-05.csv", "wilts-2019-04-02.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Extract.SHA256 != e.SHA256 {
		t.Errorf("digest of the same files elsewhere: %s, want %s", again.Extract.SHA256, e.SHA256)
	}
	writeForceFiles(t, other, map[string]string{"crosswalk.csv": forceFixture["crosswalk.csv"] + "XX1,8L,Other\n"})
	cw, err := ReadForceExtracts(context.Background(), forceSpec(other, "wilts-2019-03-05.csv", "wilts-2019-04-02.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	spec := forceSpec(dir, "wilts-2019-03-05.csv", "wilts-2019-04-02.csv")
	spec.Mapping.Cancelled = []string{"Cancelled"}
	mp, err := ReadForceExtracts(context.Background(), spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cw.Extract.SHA256 == e.SHA256 || mp.Extract.SHA256 == e.SHA256 || len(e.SHA256) != 64 {
		t.Errorf("digests: %s, changed crosswalk %s, changed mapping %s: want three different", e.SHA256, cw.Extract.SHA256, mp.Extract.SHA256)
	}
}

// TestReadForceExtractsXLSX reads the first extract as an xlsx workbook
// with date cells: the same counts as the CSV.
func TestReadForceExtractsXLSX(t *testing.T) {
	dir := t.TempDir()
	writeForceFiles(t, dir, forceFixture)
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Crime Ref", "Recorded", "Offence", "Outcome"},
		{"R1", 43480, "HAR1", ""}, // 2019-01-15
		{"R2", 43485, "STK1", ""}, // 2019-01-20
		{"R3", 43499, "HAR1", ""}, // 2019-02-03
		{"R4", 43506, "8L", ""},   // 2019-02-10
		{"R5", 43525, "HAR1", ""}, // 2019-03-01
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(filepath.Join(dir, "wilts-2019-03-05.xlsx")); err != nil {
		t.Fatal(err)
	}
	fromCSV, err := ReadForceExtracts(context.Background(), forceSpec(dir, "wilts-2019-03-05.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	fromXLSX, err := ReadForceExtracts(context.Background(), forceSpec(dir, "wilts-2019-03-05.xlsx"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// 8L: R1 January; R3, R4 February; 8Q: R2 January; R5 in March is
	// incomplete (taken 5 March).
	want := []datasets.Count{forceCount("8L", 2019, 1, 1), forceCount("8Q", 2019, 1, 1), forceCount("8L", 2019, 2, 2)}
	datasets.SortCounts(want)
	if !reflect.DeepEqual(fromXLSX.Extract.Counts, want) || !reflect.DeepEqual(fromCSV.Extract.Counts, want) {
		t.Errorf("counts:\n xlsx %+v\n  csv %+v\nwant %+v", fromXLSX.Extract.Counts, fromCSV.Extract.Counts, want)
	}
}

func TestIngestForce(t *testing.T) {
	ctx := context.Background()
	st, dataDir := openStore(t)
	dir := t.TempDir()
	writeForceFiles(t, dir, forceFixture)
	writeForceFiles(t, dir, map[string]string{"pu/2019-01-forceTestArea-street.csv": "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n" +
		"abc1,2019-01,Wiltshire Police,Wiltshire Police,-1.8,51.5,On or near Park Road,E01031000,Swindon 001A,Burglary,Under investigation,\n"})
	spec := forceSpec(dir, "wilts-2019-03-05.csv", "wilts-2019-04-02.csv")
	res, err := IngestForce(ctx, st, []string{filepath.Join(dir, "pu")}, []ForceExtractSpec{spec}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Vintage != "v000001" || len(res.Inputs) != 2 {
		t.Fatalf("result = %+v, want one vintage v000001 of 2 inputs", res)
	}
	var forceIn InputReport
	for _, in := range res.Inputs {
		if in.Source == datasets.SourceForce {
			forceIn = in
		}
	}
	if forceIn.Format != FormatForceExtract || forceIn.Stats.Read != 13 || forceIn.Stats.Used != 5 || forceIn.Status != "added" {
		t.Errorf("force input = %+v", forceIn)
	}
	snap, err := st.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := countsOfSource(snap.Counts, datasets.SourceForce)
	want := []datasets.Count{forceCount("8Q", 2019, 1, 1), forceCount("8L", 2019, 2, 2), forceCount("8L", 2019, 3, 1), forceCount("8R", 2019, 3, 1)}
	datasets.SortCounts(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored counts:\n got %+v\nwant %+v", got, want)
	}
	if len(countsOfSource(snap.Counts, datasets.SourcePoliceUK)) != 1 {
		t.Errorf("police.uk counts: got %+v, want 1", countsOfSource(snap.Counts, datasets.SourcePoliceUK))
	}

	// The same files again change nothing.
	catalog := readForceTestFile(t, filepath.Join(dataDir, "catalog.json"))
	res, err = IngestForce(ctx, st, nil, []ForceExtractSpec{spec}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Vintage != "" || res.Inputs[0].Status != "already in the dataset" || res.Inputs[0].Vintage != "v000001" {
		t.Errorf("second ingest = %+v, want nothing new", res)
	}
	if !bytes.Equal(readForceTestFile(t, filepath.Join(dataDir, "catalog.json")), catalog) {
		t.Error("second ingest of the same files changed catalog.json")
	}

	// A third extract, taken 2 May: R6 reclassified to 8L, R7 now in a
	// complete month. The series now covers January..April and replaces
	// the older figures: March 8L 2 (R5, R6), no 8R; April 8L 1 (R7).
	writeForceFiles(t, dir, map[string]string{"wilts-2019-05-02.csv": "Crime Ref,Recorded,Offence,Outcome\n" +
		"R6,12/03/2019,HAR1,\nR7,01/04/2019,8L,\n"})
	spec3 := forceSpec(dir, "wilts-2019-03-05.csv", "wilts-2019-04-02.csv", "wilts-2019-05-02.csv")
	res, err = IngestForce(ctx, st, nil, []ForceExtractSpec{spec3}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Vintage != "v000002" {
		t.Fatalf("third ingest vintage = %q, want v000002", res.Vintage)
	}
	if snap, err = st.Current(ctx); err != nil {
		t.Fatal(err)
	}
	got = countsOfSource(snap.Counts, datasets.SourceForce)
	want = []datasets.Count{forceCount("8Q", 2019, 1, 1), forceCount("8L", 2019, 2, 2), forceCount("8L", 2019, 3, 2), forceCount("8L", 2019, 4, 1)}
	datasets.SortCounts(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("counts after a newer extract:\n got %+v\nwant %+v", got, want)
	}
}

// TestIngestForceBadExtract: a bad row in a force extract stops the whole
// ingest, the other inputs included, with a RowError naming file, row and
// column, and the dataset is left as it was.
func TestIngestForceBadExtract(t *testing.T) {
	ctx := context.Background()
	st, dataDir := openStore(t)
	dir := t.TempDir()
	writeForceFiles(t, dir, forceFixture)
	if _, err := IngestForce(ctx, st, nil, []ForceExtractSpec{forceSpec(dir, "wilts-2019-03-05.csv")}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	catalog := readForceTestFile(t, filepath.Join(dataDir, "catalog.json"))
	writeForceFiles(t, dir, map[string]string{
		"bad-2019-04-02.csv": "Crime Ref,Recorded,Offence,Outcome\nR1,15/01/2019,HAR1,\nR2,2019-01-20,STK1,\n",
		"pu/2019-01-forceTestArea-street.csv": "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n" +
			"abc1,2019-01,Wiltshire Police,Wiltshire Police,-1.8,51.5,On or near Park Road,E01031000,Swindon 001A,Burglary,Under investigation,\n",
	})
	_, err := IngestForce(ctx, st, []string{filepath.Join(dir, "pu")},
		[]ForceExtractSpec{forceSpec(dir, "wilts-2019-03-05.csv", "bad-2019-04-02.csv")}, IngestOptions{})
	var re *datasets.RowError
	if !errors.As(err, &re) || re.File != filepath.Join(dir, "bad-2019-04-02.csv") || re.Row != 3 || re.Column != "Recorded" ||
		!errors.Is(err, force.ErrBadDate) {
		t.Fatalf("err = %v, want a bad-date RowError for bad-2019-04-02.csv row 3 column Recorded", err)
	}
	if !strings.Contains(err.Error(), "DD/MM/YYYY") {
		t.Errorf("err = %v, want it to say the date format expected", err)
	}
	if !bytes.Equal(readForceTestFile(t, filepath.Join(dataDir, "catalog.json")), catalog) {
		t.Error("a failed ingest changed catalog.json")
	}
	if _, err := IngestForce(ctx, st, nil, nil, IngestOptions{}); err == nil {
		t.Error("IngestForce with nothing to ingest: no error")
	}
	if _, err := IngestForce(ctx, st, nil, []ForceExtractSpec{forceSpec(dir, "missing.csv")}, IngestOptions{}); err == nil ||
		!strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: err = %v, want one naming it", err)
	}
}

func countsOfSource(cs []datasets.Count, src string) []datasets.Count {
	var out []datasets.Count
	for _, c := range cs {
		if c.Source == src {
			out = append(out, c)
		}
	}
	return out
}

func readForceTestFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzReadForceExtracts reads a fuzzed second extract merged with the
// fixture's first: no panic, and when it reads, every row is accounted for.
func FuzzReadForceExtracts(f *testing.F) {
	f.Add([]byte(forceFixture["wilts-2019-04-02.csv"]))
	f.Add([]byte("Crime Ref,Recorded,Offence,Outcome\n"))
	f.Add([]byte("Crime Ref,Recorded,Offence,Outcome\nR9,31/03/2019,HAR1,No crime\n\n"))
	f.Add([]byte("Crime Ref,Recorded,Offence\nR1,\"15/01/2019\",8q\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		dir := t.TempDir()
		writeForceFiles(t, dir, forceFixture)
		writeForceFiles(t, dir, map[string]string{"wilts-2019-04-02.csv": string(body)})
		r, err := ReadForceExtracts(context.Background(), forceSpec(dir, "wilts-2019-03-05.csv", "wilts-2019-04-02.csv"), nil)
		if err != nil {
			return
		}
		if !r.Extract.Stats.Balanced() {
			t.Fatalf("stats do not balance: %+v", r.Extract.Stats)
		}
		var sum int64
		for _, c := range r.Extract.Counts {
			sum += c.Count
		}
		if sum != r.Extract.Stats.Used {
			t.Fatalf("counts sum to %d, want Used %d", sum, r.Extract.Stats.Used)
		}
	})
}
