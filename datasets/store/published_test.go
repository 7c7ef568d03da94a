package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/ons"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

const onsSrc = datasets.SourceONSPFA

// pubRow builds a published row of release rel with a count, change and
// rate all published.
func pubRow(rel, area, offence string, end datasets.Month, count int64, pct, rate float64, pop int64) datasets.Published {
	return datasets.Published{Release: rel, File: rel + ".xlsx", AreaCode: area, AreaName: "name of " + area, Offence: offence,
		PeriodEnd: end, Months: 12, HasCount: true, Count: count, HasPct: true, PctChange: pct, HasRate: true, Rate: rate, Population: pop}
}

// onsExtract wraps published rows as the pipeline does: no counts, no
// coverage. Its SHA-256 is that of its name.
func onsExtract(name string, rows ...datasets.Published) *datasets.Extract {
	return &datasets.Extract{Source: onsSrc, Name: name, SHA256: sha(name), Published: rows,
		Stats: datasets.Stats{Read: int64(len(rows)), Used: int64(len(rows))}}
}

func pubFileOf(vid, source string) string { return "published/" + vid + "-" + source + ".parquet" }

func sortedPublished(rows []datasets.Published) []datasets.Published {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b datasets.Published) int {
		return strings.Compare(fmt.Sprint(a.Release, "\x00", a.AreaCode, "\x00", a.Offence, "\x00", a.PeriodEnd.String()),
			fmt.Sprint(b.Release, "\x00", b.AreaCode, "\x00", b.Offence, "\x00", b.PeriodEnd.String()))
	})
	return out
}

func diffPublished(t *testing.T, what string, got, want []datasets.Published) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	t.Errorf("%s: got %d published rows, want %d", what, len(got), len(want))
	shown := 0
	for i := 0; (i < len(got) || i < len(want)) && shown < 10; i++ {
		var g, w any = "-", "-"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("  [%d] got %+v\n       want %+v", i, g, w)
			shown++
		}
	}
}

// tricky is a release's rows with every kind of figure: markers, unpublished
// figures (null), a population of 0 (null), floats at full precision.
func tricky(rel string) []datasets.Published {
	end := month(2019, 3)
	withMarkers := datasets.Published{Release: rel, File: "dir/pfa tables.xlsx", AreaCode: "E23000005", AreaName: "Greater Manchester",
		Offence: "Stalking and harassment", PeriodEnd: end, Months: 12, CountMarker: "..", PctMarker: "..", RateMarker: ".."}
	city := pubRow(rel, "E23000034", "Total recorded crime (excluding fraud)", end, 7040, -3.3, 0, 0)
	city.HasRate, city.RateMarker = false, "+"
	city.Footnotes = []string{"Table P3: '+' Rates for London include 'City of London'."}
	btp := pubRow(rel, datasets.CodeBTP, "Theft offences", end, 30129, 41.295907978909305, 0, 0)
	btp.HasRate = false // BTP has no P3 row: no rate, no marker, no population
	smallBase := pubRow(rel, wiltshire, "Homicide", end, 4, 0, 0.00556233, 719316)
	smallBase.HasPct, smallBase.PctMarker = false, "-"
	smallBase.Footnotes = []string{"Tables P1 and P3: Café, \"quoted\", 2%", "Table P2: '-' indicates that the base number is fewer than 50."}
	return []datasets.Published{
		pubRow(rel, datasets.CodeEnglandWales, "Total recorded crime (excluding fraud)", end, 5255087, 7.398273657391893, 88.74567316239, 59115809),
		withMarkers,
		city,
		btp,
		smallBase,
		pubRow(rel, wiltshire, "Café ünïcode, \"quoted\"", end, 0, -100, 1e-300, 1),
		pubRow(rel, dorset, "Violence against the person", end, 9223372036854775807, math.MaxFloat64, math.SmallestNonzeroFloat64, 1<<62),
	}
}

func TestPublishedRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	rows := tricky("ons-pfa-2019-03")
	// Given out of order: the store sorts.
	slices.Reverse(rows)
	e := onsExtract("pfa-2019-03.xlsx", rows...)
	notes := []datasets.ReleaseNote{
		{Release: "ons-pfa-2019-03", Text: "Tables P1, P2 and P3: Police recorded crime data are not designated as National Statistics."},
		{Release: "ons-pfa-2019-03", Text: "Table P3: Based on mid-2017 population estimates for England and Wales."},
	}
	e.ReleaseNotes = notes
	res := mustAdd(t, s, e)

	wantVintage := Vintage{ID: "v000001", Seq: 1, IngestedAt: fixedTime, Inputs: []InputRecord{{
		Name: "pfa-2019-03.xlsx", SHA256: sha("pfa-2019-03.xlsx"), Source: onsSrc,
		PublishedRows: 7, PublishedFile: pubFileOf("v000001", onsSrc), Releases: []string{"ons-pfa-2019-03"},
		ReleaseNotes: notes, Stats: datasets.Stats{Read: 7, Used: 7},
	}}, Files: filesOnDisk(t, dir, pubFileOf("v000001", onsSrc))}
	if res.Vintage == nil || !reflect.DeepEqual(*res.Vintage, wantVintage) {
		t.Fatalf("Add vintage:\n got %+v\nwant %+v", res.Vintage, wantVintage)
	}
	want := sortedPublished(rows)
	// By hand: BTP sorts after the E/K codes only by byte order ("BTP" < "E...").
	if want[0].AreaCode != datasets.CodeBTP || want[len(want)-1].AreaCode != datasets.CodeEnglandWales {
		t.Fatalf("test's own sort: first %s, last %s", want[0].AreaCode, want[len(want)-1].AreaCode)
	}
	for _, st := range []*Store{s, openStore(t, dir)} {
		snap := mustCurrent(t, st)
		diffPublished(t, "Current", snap.Published, want)
		if snap.Counts != nil || snap.Coverage != nil || snap.Superseded != nil || snap.SupersededReleases != nil {
			t.Errorf("Counts, Coverage, Superseded, SupersededReleases = %v, %v, %v, %v; want none",
				snap.Counts, snap.Coverage, snap.Superseded, snap.SupersededReleases)
		}
		if want := []Vintage{wantVintage}; !reflect.DeepEqual(snap.Vintages, want) {
			t.Errorf("Snapshot.Vintages:\n got %+v\nwant %+v", snap.Vintages, want)
		}
		if !reflect.DeepEqual(snap.ReleaseNotes, notes) {
			t.Errorf("Snapshot.ReleaseNotes = %q, want %q", snap.ReleaseNotes, notes)
		}
		sum := wantVintage
		sum.Files = nil
		sum.Inputs = []InputRecord{wantVintage.Inputs[0]}
		sum.Inputs[0].Releases, sum.Inputs[0].ReleaseNotes, sum.Inputs[0].Stats = nil, nil, datasets.Stats{}
		if got := st.Vintages(); !reflect.DeepEqual(got, []Vintage{sum}) {
			t.Errorf("Vintages():\n got %+v\nwant %+v", got, []Vintage{sum})
		}
	}

	// No counts file: only the published file and the catalog.
	var files []string
	for name := range listing(t, dir) {
		files = append(files, name)
	}
	slices.Sort(files)
	if want := []string{LockFile, "catalog.json", "catalog/v000001.json", pubFileOf("v000001", onsSrc)}; !reflect.DeepEqual(files, want) {
		t.Errorf("files = %q, want %q", files, want)
	}
	index, err := os.ReadFile(filepath.Join(dir, CatalogFile))
	must(t, err)
	if want := `"source":"ons-pfa","rows":0,"published_rows":7}]}` + "\n"; !bytes.HasSuffix(index, []byte(want)) {
		t.Errorf("index line %s: want it to end %s", index, want)
	}
	vfile, err := os.ReadFile(filepath.Join(dir, "catalog/v000001.json"))
	must(t, err)
	for _, want := range []string{`"file": "",`, `"published_rows": 7,`, `"published_file": "published/v000001-ons-pfa.parquet",`,
		`"releases": [
        "ons-pfa-2019-03"
      ],
      "release_notes": [
        {
          "release": "ons-pfa-2019-03",
          "text": "Tables P1, P2 and P3: Police recorded crime data are not designated as National Statistics."
        },`} {
		if !bytes.Contains(vfile, []byte(want)) {
			t.Errorf("catalog/v000001.json lacks %s:\n%s", want, vfile)
		}
	}

	// The file as DuckDB would see it: zstd, nulls where nothing was published.
	rdr, err := file.OpenParquetFile(filepath.Join(dir, pubFileOf("v000001", onsSrc)), false)
	must(t, err)
	defer rdr.Close()
	cc, err := rdr.MetaData().RowGroup(0).ColumnChunk(0)
	must(t, err)
	if cc.Compression() != compress.Codecs.Zstd {
		t.Errorf("codec = %v, want zstd", cc.Compression())
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	must(t, err)
	tbl, err := fr.ReadTable(context.Background())
	must(t, err)
	defer tbl.Release()
	var got []string
	for r := range int(tbl.NumRows()) {
		var cells []string
		for c := range int(tbl.NumCols()) {
			if name := tbl.Schema().Field(c).Name; name != ColInputSHA256 && name != ColFile && name != ColAreaName {
				cells = append(cells, name+"="+tbl.Column(c).Data().Chunk(0).ValueStr(r))
			}
		}
		got = append(got, strings.Join(cells, " "))
	}
	wantRows := []string{
		"release=ons-pfa-2019-03 area_code=BTP offence=Theft offences period_end=2019-03 months=12 count=30129 count_marker= pct_change=41.295907978909305 pct_marker= rate=(null) rate_marker= population=(null) vintage=v000001 footnotes=(null)",
		"release=ons-pfa-2019-03 area_code=E23000005 offence=Stalking and harassment period_end=2019-03 months=12 count=(null) count_marker=.. pct_change=(null) pct_marker=.. rate=(null) rate_marker=.. population=(null) vintage=v000001 footnotes=(null)",
		"release=ons-pfa-2019-03 area_code=E23000034 offence=Total recorded crime (excluding fraud) period_end=2019-03 months=12 count=7040 count_marker= pct_change=-3.3 pct_marker= rate=(null) rate_marker=+ population=(null) vintage=v000001 footnotes=Table P3: '+' Rates for London include 'City of London'.",
		"release=ons-pfa-2019-03 area_code=E23000038 offence=Café ünïcode, \"quoted\" period_end=2019-03 months=12 count=0 count_marker= pct_change=-100 pct_marker= rate=1e-300 rate_marker= population=1 vintage=v000001 footnotes=(null)",
		"release=ons-pfa-2019-03 area_code=E23000038 offence=Homicide period_end=2019-03 months=12 count=4 count_marker= pct_change=(null) pct_marker=- rate=0.00556233 rate_marker= population=719316 vintage=v000001 " +
			"footnotes=Tables P1 and P3: Café, \"quoted\", 2%\nTable P2: '-' indicates that the base number is fewer than 50.",
		"release=ons-pfa-2019-03 area_code=E23000039 offence=Violence against the person period_end=2019-03 months=12 count=9223372036854775807 count_marker= pct_change=1.7976931348623157e+308 pct_marker= rate=5e-324 rate_marker= population=4611686018427387904 vintage=v000001 footnotes=(null)",
		"release=ons-pfa-2019-03 area_code=K04000001 offence=Total recorded crime (excluding fraud) period_end=2019-03 months=12 count=5255087 count_marker= pct_change=7.398273657391893 pct_marker= rate=88.74567316239 rate_marker= population=59115809 vintage=v000001 footnotes=(null)",
	}
	if !reflect.DeepEqual(got, wantRows) {
		t.Errorf("parquet rows:\n got %q\nwant %q", got, wantRows)
	}
	files2 := tbl.Column(int(pubFile)).Data().Chunk(0).(*array.String)
	if files2.Value(1) != "dir/pfa tables.xlsx" || files2.Value(0) != "ons-pfa-2019-03.xlsx" {
		t.Errorf("file column = %q, %q", files2.Value(0), files2.Value(1))
	}
}

func TestPublishedIdempotent(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	e := onsExtract("pfa-2019-03.xlsx", tricky("ons-pfa-2019-03")...)
	mustAdd(t, s, e)
	before := listing(t, dir)
	snapBefore := mustCurrent(t, s)
	// The same bytes under another name, in a new Store.
	again := onsExtract("copy.xlsx", tricky("ons-pfa-2019-03")...)
	again.SHA256 = e.SHA256
	res := mustAdd(t, openStore(t, dir), e, again)
	if res.Vintage != nil || !reflect.DeepEqual(res.AlreadyPresent, map[string]string{"pfa-2019-03.xlsx": "v000001", "copy.xlsx": "v000001"}) {
		t.Errorf("Add again = %+v, want no vintage and both names already present in v000001", res)
	}
	sameListing(t, "Add again", listing(t, dir), before)
	if snap := mustCurrent(t, openStore(t, dir)); !reflect.DeepEqual(snap, snapBefore) {
		t.Errorf("snapshot after adding again:\n got %+v\nwant %+v", snap, snapBefore)
	}
}

func TestPublishedReplacement(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	mar, jun := month(2019, 3), month(2019, 6)
	const relMar, relJun = "ons-pfa-2019-03", "ons-pfa-2019-06"
	const total, sh = "Total recorded crime (excluding fraud)", "Stalking and harassment"
	first := []datasets.Published{
		pubRow(relMar, wiltshire, total, mar, 100, 1.5, 2.5, 1000),
		pubRow(relMar, wiltshire, sh, mar, 10, 0.5, 0.25, 1000),
		pubRow(relMar, dorset, total, mar, 200, 2.5, 3.5, 2000),
	}
	june := []datasets.Published{pubRow(relJun, wiltshire, total, jun, 110, 1.25, 2.75, 1001)}
	mustAdd(t, s, onsExtract("mar.xlsx", first...), onsExtract("jun.xlsx", june...))
	// Two releases: both kept.
	diffPublished(t, "two releases", mustCurrent(t, s).Published, sortedPublished(slices.Concat(first, june)))

	// March again, re-issued under the same ID with other figures and one
	// row fewer: it replaces all of March's rows; June stays.
	fixed := []datasets.Published{
		pubRow(relMar, wiltshire, total, mar, 101, 1.75, 2.625, 1000),
		pubRow(relMar, dorset, total, mar, 201, 2.75, 3.625, 2000),
	}
	mustAdd(t, s, onsExtract("mar-reissued.xlsx", fixed...))
	snap := mustCurrent(t, openStore(t, dir))
	diffPublished(t, "after the re-issue", snap.Published, sortedPublished(slices.Concat(fixed, june)))
	if want := []SupersededRelease{{Release: relMar, Old: "v000001", New: "v000002"}}; !reflect.DeepEqual(snap.SupersededReleases, want) {
		t.Errorf("SupersededReleases = %+v, want %+v", snap.SupersededReleases, want)
	}

	// Within one vintage the later input wins and nothing is superseded
	// between them; the vintage still supersedes v000002.
	a := []datasets.Published{pubRow(relMar, wiltshire, total, mar, 102, 0, 0, 1000)}
	b := []datasets.Published{pubRow(relMar, dorset, total, mar, 203, 0, 0, 2000)}
	mustAdd(t, s, onsExtract("mar-a.xlsx", a...), onsExtract("mar-b.xlsx", b...))
	snap = mustCurrent(t, s)
	diffPublished(t, "two inputs of one vintage", snap.Published, sortedPublished(slices.Concat(b, june)))
	want := []SupersededRelease{{Release: relMar, Old: "v000001", New: "v000002"}, {Release: relMar, Old: "v000002", New: "v000003"}}
	if !reflect.DeepEqual(snap.SupersededReleases, want) {
		t.Errorf("SupersededReleases = %+v, want %+v", snap.SupersededReleases, want)
	}
	// One input carrying two releases loses one and keeps the other.
	both := slices.Concat(first, june)
	mustAdd(t, s, onsExtract("both.xlsx", both...))
	newJun := []datasets.Published{pubRow(relJun, wiltshire, total, jun, 111, 0, 0, 1001)}
	mustAdd(t, s, onsExtract("jun-reissued.xlsx", newJun...))
	snap = mustCurrent(t, openStore(t, dir))
	diffPublished(t, "one input, two releases", snap.Published, sortedPublished(slices.Concat(first, newJun)))
	want = append(want,
		SupersededRelease{Release: relMar, Old: "v000003", New: "v000004"},
		SupersededRelease{Release: relJun, Old: "v000001", New: "v000004"},
		SupersededRelease{Release: relJun, Old: "v000004", New: "v000005"})
	if !reflect.DeepEqual(snap.SupersededReleases, want) {
		t.Errorf("SupersededReleases = %+v, want %+v", snap.SupersededReleases, want)
	}
}

func TestMixedAdd(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	oct := month(2018, 10)
	police := extract("2018-10-wiltshire-street.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 31)}, cov(pu, wiltshire, oct, oct))
	rel := tricky("ons-pfa-2019-03")
	release := onsExtract("pfa-2019-03.xlsx", rel...)
	// An extract with both counts and published rows, of a third source.
	both := &datasets.Extract{Source: "mixed", Name: "both.csv", SHA256: sha("both.csv"),
		Counts:    []datasets.Count{cnt("mixed", dorset, "8Q", oct, oct, 5)},
		Coverage:  []datasets.Coverage{cov("mixed", dorset, oct, oct)},
		Published: []datasets.Published{pubRow("mixed-2018-10", dorset, "Homicide", oct, 1, 0, 0, 0)},
	}
	res := mustAdd(t, s, police, release, both)
	var got []string
	for _, in := range res.Vintage.Inputs {
		got = append(got, fmt.Sprintf("%s %d %q %d %q %q", in.Name, in.Rows, in.File, in.PublishedRows, in.PublishedFile, in.Releases))
	}
	wantInputs := []string{
		`2018-10-wiltshire-street.csv 1 "counts/v000001-policeuk.parquet" 0 "" []`,
		`pfa-2019-03.xlsx 0 "" 7 "published/v000001-ons-pfa.parquet" ["ons-pfa-2019-03"]`,
		`both.csv 1 "counts/v000001-mixed.parquet" 1 "published/v000001-mixed.parquet" ["mixed-2018-10"]`,
	}
	if !reflect.DeepEqual(got, wantInputs) {
		t.Errorf("inputs:\n got %q\nwant %q", got, wantInputs)
	}
	var files []string
	for name := range listing(t, dir) {
		files = append(files, name)
	}
	slices.Sort(files)
	wantFiles := []string{LockFile, "catalog.json", "catalog/v000001.json", "counts/v000001-mixed.parquet", "counts/v000001-policeuk.parquet",
		"published/v000001-mixed.parquet", "published/v000001-ons-pfa.parquet"}
	if !reflect.DeepEqual(files, wantFiles) {
		t.Errorf("files = %q, want %q", files, wantFiles)
	}
	for _, st := range []*Store{s, openStore(t, dir)} {
		snap := mustCurrent(t, st)
		diffCounts(t, "Current", snap.Counts, []datasets.Count{cnt("mixed", dorset, "8Q", oct, oct, 5), cnt(pu, wiltshire, "Burglary", oct, oct, 31)})
		diffPublished(t, "Current", snap.Published, sortedPublished(append(slices.Clone(rel), both.Published...)))
		if want := []datasets.Coverage{cov("mixed", dorset, oct, oct), cov(pu, wiltshire, oct, oct)}; !reflect.DeepEqual(snap.Coverage, want) {
			t.Errorf("Coverage = %v, want %v", snap.Coverage, want)
		}
	}
	// A later police.uk month and nothing else: the published rows stay.
	nov := month(2018, 11)
	mustAdd(t, s, extract("2018-11.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", nov, nov, 3)}, cov(pu, wiltshire, nov, nov)))
	if snap := mustCurrent(t, openStore(t, dir)); len(snap.Published) != 8 || len(snap.Counts) != 3 {
		t.Errorf("after a later month: %d published rows and %d counts, want 8 and 3", len(snap.Published), len(snap.Counts))
	}
}

func TestAddRejectsPublished(t *testing.T) {
	end := month(2019, 3)
	good := pubRow("ons-pfa-2019-03", wiltshire, "Homicide", end, 4, 1, 2, 3)
	with := func(f func(p *datasets.Published)) datasets.Published {
		p := good
		f(&p)
		return p
	}
	tests := []struct {
		name string
		rows []datasets.Published
		want string
	}{
		{"no release", []datasets.Published{with(func(p *datasets.Published) { p.Release = "" })}, "want a release ID"},
		{"bad UTF-8 release", []datasets.Published{with(func(p *datasets.Published) { p.Release = "ons-\xff" })}, "want a release ID"},
		{"unknown area", []datasets.Published{with(func(p *datasets.Published) { p.AreaCode = "E23999999" })}, `area code "E23999999": want a known area`},
		{"no area", []datasets.Published{with(func(p *datasets.Published) { p.AreaCode = "" })}, `area code "": want a known area`},
		{"no period end", []datasets.Published{with(func(p *datasets.Published) { p.PeriodEnd = 0 })}, "period end: want a month 1900-01..2999-12"},
		{"period end after 2999", []datasets.Published{with(func(p *datasets.Published) { p.PeriodEnd = datasets.MonthOf(3000, 1) })}, "period end"},
		{"no months", []datasets.Published{with(func(p *datasets.Published) { p.Months = 0 })}, "months 0: want more than 0"},
		{"negative months", []datasets.Published{with(func(p *datasets.Published) { p.Months = -12 })}, "months -12"},
		{"too many months", []datasets.Published{with(func(p *datasets.Published) { p.Months = math.MaxInt32 + 1 })}, "months 2147483648"},
		{"count not flagged", []datasets.Published{with(func(p *datasets.Published) { p.HasCount = false })}, "is not flagged as published"},
		{"change not flagged", []datasets.Published{with(func(p *datasets.Published) { p.HasPct = false })}, "is not flagged as published"},
		{"rate not flagged", []datasets.Published{with(func(p *datasets.Published) { p.HasRate = false })}, "is not flagged as published"},
		{"NaN change", []datasets.Published{with(func(p *datasets.Published) { p.PctChange = math.NaN() })}, "want finite numbers"},
		{"infinite rate", []datasets.Published{with(func(p *datasets.Published) { p.Rate = math.Inf(-1) })}, "want finite numbers"},
		{"duplicate", []datasets.Published{good, with(func(p *datasets.Published) { p.Count = 5 })},
			`published row "ons-pfa-2019-03" E23000038 "Homicide" 2019-03 given twice`},
		{"footnote on two lines", []datasets.Published{with(func(p *datasets.Published) { p.Footnotes = []string{"Table P1: a\nb"} })},
			`footnote "Table P1: a\nb": want valid UTF-8 on one line, not empty`},
		{"empty footnote", []datasets.Published{with(func(p *datasets.Published) { p.Footnotes = []string{""} })}, `footnote ""`},
		{"bad UTF-8 footnote", []datasets.Published{with(func(p *datasets.Published) { p.Footnotes = []string{"\xff"} })}, `footnote "\xff"`},
	}
	notes := []struct {
		name  string
		notes []datasets.ReleaseNote
		want  string
	}{
		{"note of another release", []datasets.ReleaseNote{{Release: "ons-pfa-2019-06", Text: "x"}},
			`release note "x" of "ons-pfa-2019-06": want one of the extract's releases ["ons-pfa-2019-03"]`},
		{"empty note", []datasets.ReleaseNote{{Release: "ons-pfa-2019-03"}}, `release note "" of "ons-pfa-2019-03": want valid UTF-8 on one line`},
		{"note on two lines", []datasets.ReleaseNote{{Release: "ons-pfa-2019-03", Text: "a\r\nb"}}, `want valid UTF-8 on one line`},
	}
	for _, tc := range notes {
		tests = append(tests, struct {
			name string
			rows []datasets.Published
			want string
		}{tc.name, []datasets.Published{good}, tc.want})
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, dir)
			before := listing(t, dir)
			e := onsExtract("bad.xlsx", tc.rows...)
			if j := i - (len(tests) - len(notes)); j >= 0 {
				e.ReleaseNotes = notes[j].notes
			}
			_, err := s.Add(context.Background(), []*datasets.Extract{e})
			if err == nil || !strings.Contains(err.Error(), `input "bad.xlsx"`) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Add: err = %v, want one naming bad.xlsx and saying %q", err, tc.want)
			}
			sameListing(t, "rejected Add", listing(t, dir), before)
		})
	}
	// The same rows in different releases, or of different periods or
	// offences, are not duplicates; an extract with nothing at all is valid.
	ok := []datasets.Published{good, with(func(p *datasets.Published) { p.Release = "ons-pfa-2019-03-v2" }),
		with(func(p *datasets.Published) { p.PeriodEnd = end.Add(3) }), with(func(p *datasets.Published) { p.Offence = "Robbery" })}
	s := openStore(t, t.TempDir())
	mustAdd(t, s, onsExtract("ok.xlsx", ok...), onsExtract("empty.xlsx"))
	diffPublished(t, "Current", mustCurrent(t, s).Published, sortedPublished(ok))
}

// TestPublishedCleanup checks what becomes of files in published/ that
// no committed vintage names: Open ignores them and changes nothing; a file
// of a later vintage that no writer's note accounts for makes Open and Add
// fail (the index may be stale) and is kept; Add removes the temporary
// files of its own naming and keeps everything else.
func TestPublishedCleanup(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	mustAdd(t, s, onsExtract("a.xlsx", tricky("ons-pfa-2019-03")...))
	snapBefore := mustCurrent(t, s)
	must(t, os.WriteFile(filepath.Join(dir, "published/.v000002-ons-pfa.parquet.tmp"), []byte("partial"), 0o644)) // being written
	must(t, os.WriteFile(filepath.Join(dir, "published/v000001-policeuk.parquet"), []byte("partial"), 0o644))     // no committed input names it
	must(t, os.WriteFile(filepath.Join(dir, "published/README.txt"), []byte("mine"), 0o644))
	unproven := filepath.Join(dir, "published/v000002-ons-pfa.parquet") // renamed, never committed, no note
	must(t, os.WriteFile(unproven, []byte("partial"), 0o644))

	before := listing(t, dir)
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrStaleIndex) || !strings.Contains(err.Error(), "published/v000002-ons-pfa.parquet") {
		t.Errorf("Open: %v, want ErrStaleIndex naming published/v000002-ons-pfa.parquet", err)
	}
	if _, err := s.Add(context.Background(), []*datasets.Extract{onsExtract("b.xlsx", tricky("ons-pfa-2019-06")...)}); !errors.Is(err, ErrStaleIndex) {
		t.Errorf("Add: %v, want ErrStaleIndex", err)
	}
	sameListing(t, "after Open and Add", listing(t, dir), before)

	must(t, os.Remove(unproven))
	want := listing(t, dir)
	delete(want, "published/.v000002-ons-pfa.parquet.tmp")
	s2 := openStore(t, dir)
	if snap := mustCurrent(t, s2); !reflect.DeepEqual(snap, snapBefore) {
		t.Errorf("snapshot beside the extra files changed")
	}
	mustAdd(t, s2) // nothing new: it only cleans up
	sameListing(t, "after Add", listing(t, dir), want)
}

func TestPublishedCancel(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	mustAdd(t, s, onsExtract("a.xlsx", tricky("ons-pfa-2019-03")...))
	before := listing(t, dir)
	snapBefore := mustCurrent(t, s)
	defer func(n int) { batchRows = n }(batchRows)
	batchRows = 3
	oct := month(2018, 10)
	police := extract("b.csv", pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", oct, oct, 2)}, cov(pu, wiltshire, oct, oct))
	release := onsExtract("c.xlsx", tricky("ons-pfa-2019-06")...) // 7 rows: three batches

	for n := 0; ; n++ {
		if n > 30 {
			t.Fatalf("Add still cancelled after %d checkpoints", n)
		}
		_, err := s.Add(&countdownCtx{Context: context.Background(), n: n}, []*datasets.Extract{police, release})
		if err == nil {
			if n < 6 {
				t.Errorf("Add passed only %d checkpoints, want at least 6", n)
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
	snap := mustCurrent(t, openStore(t, dir))
	if len(snap.Published) != 14 || len(snap.Counts) != 1 {
		t.Errorf("after the Add that got through: %d published rows, %d counts; want 14 and 1", len(snap.Published), len(snap.Counts))
	}
	// Current stops when cancelled while reading published files.
	for n := 0; ; n++ {
		if n > 30 {
			t.Fatalf("Current still cancelled after %d checkpoints", n)
		}
		if _, err := openStore(t, dir).Current(&countdownCtx{Context: context.Background(), n: n}); err == nil {
			break
		} else if err != context.Canceled {
			t.Fatalf("Current at checkpoint %d: err = %v, want context.Canceled", n, err)
		}
	}
}

func TestPublishedBadFile(t *testing.T) {
	a := onsExtract("a.xlsx", tricky("ons-pfa-2019-03")...)
	other := onsExtract("other.xlsx", tricky("ons-pfa-2019-06")...)
	name := pubFileOf("v000001", onsSrc)
	prep := func(e *datasets.Extract) prepared {
		p, err := check(e)
		if err != nil {
			panic(err)
		}
		return p
	}
	rewrite := func(vid string, ins ...prepared) func(t *testing.T, s *Store, p string) {
		return func(t *testing.T, s *Store, p string) { must(t, s.writePublished(context.Background(), p, vid, ins)) }
	}
	renamed := onsExtract("a.xlsx", tricky("ons-pfa-2019-09")...)
	tests := []struct {
		name  string
		spoil func(t *testing.T, s *Store, p string)
		want  string
	}{
		{"missing", func(t *testing.T, _ *Store, p string) { must(t, os.Remove(p)) }, "no such file"},
		{"garbage", func(t *testing.T, _ *Store, p string) { must(t, os.WriteFile(p, []byte("not parquet"), 0o644)) }, ""},
		{"a counts file", func(t *testing.T, s *Store, p string) {
			must(t, s.writeParquet(context.Background(), p, "v000001", []prepared{prep(bigExtract("x", 1, 14, 1))}))
		}, "8 columns (source utf8, area_code utf8, offence utf8, period_start utf8, period_end utf8, count int64, vintage utf8, input_sha256 utf8): want 17 (release utf8, area_code utf8"},
		{"fewer rows", rewrite("v000001", prep(a)), "7 rows, but catalog/v000001.json says 14 for its 2 inputs"},
		{"a release the catalog does not list", rewrite("v000001", prep(renamed), prep(other)), `release "ons-pfa-2019-09"`},
		{"another vintage's rows", rewrite("v000002", prep(a), prep(other)), `vintage "v000002"`},
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
	// A vintage file whose releases disagree with its published rows.
	dir := t.TempDir()
	mustAdd(t, openStore(t, dir), a)
	vpath := filepath.Join(dir, "catalog/v000001.json")
	data, err := os.ReadFile(vpath)
	must(t, err)
	must(t, os.WriteFile(vpath, bytes.Replace(data, []byte(`"ons-pfa-2019-03"`), []byte(`""`), 1), 0o644))
	if _, err := openStore(t, dir).Current(context.Background()); err == nil || !strings.Contains(err.Error(), "catalog/v000001.json") ||
		!strings.Contains(err.Error(), "releases") {
		t.Errorf("Current with bad releases: err = %v, want one naming catalog/v000001.json and its releases", err)
	}
}

// TestPublishedRealReleases stores the eight sample ONS PFA workbooks and
// reads back every row the reader gave.
func TestPublishedRealReleases(t *testing.T) {
	dir := testutil.Real(t, "ons-pfa-tables")
	entries, err := os.ReadDir(dir)
	must(t, err)
	var extracts []*datasets.Extract
	var want []datasets.Published
	var wantNotes []datasets.ReleaseNote
	releases := map[string]bool{}
	for _, de := range entries {
		if !strings.HasSuffix(de.Name(), ".xlsx") {
			continue
		}
		f, err := os.Open(filepath.Join(dir, de.Name()))
		must(t, err)
		rel, err := ons.ReadPFA(context.Background(), de.Name(), f)
		f.Close()
		if err != nil {
			t.Fatalf("ReadPFA(%s): %v", de.Name(), err)
		}
		// 56 areas x 23 offence columns of Table P1 (unlawful driving included).
		if len(rel.Rows) != 1288 {
			t.Errorf("%s: %d rows, want 1288", de.Name(), len(rel.Rows))
		}
		releases[rel.ID] = true
		want = append(want, rel.Rows...)
		wantNotes = append(wantNotes, rel.ReleaseNotes()...)
		extracts = append(extracts, &datasets.Extract{Source: datasets.SourceONSPFA, Name: rel.File, SHA256: rel.SHA256,
			Published: rel.Rows, ReleaseNotes: rel.ReleaseNotes(), Stats: rel.Stats})
	}
	if len(extracts) != 8 || len(releases) != 8 {
		t.Fatalf("%d workbooks of %d releases, want 8 of 8", len(extracts), len(releases))
	}
	storeDir := t.TempDir()
	s := openStore(t, storeDir)
	res := mustAdd(t, s, extracts...)
	if len(res.Added) != 8 {
		t.Errorf("Added %d inputs, want 8", len(res.Added))
	}
	want = sortedPublished(want)
	slices.SortStableFunc(wantNotes, func(a, b datasets.ReleaseNote) int { return strings.Compare(a.Release, b.Release) })
	footnoted := 0
	for _, p := range want {
		if len(p.Footnotes) > 0 {
			footnoted++
		}
	}
	if footnoted < 8*300 || len(wantNotes) < 8*3 {
		t.Fatalf("%d rows with footnotes and %d release notes: the reader gave too few to test", footnoted, len(wantNotes))
	}
	for _, st := range []*Store{s, openStore(t, storeDir)} {
		snap := mustCurrent(t, st)
		if !reflect.DeepEqual(snap.ReleaseNotes, wantNotes) {
			t.Errorf("ReleaseNotes:\n got %q\nwant %q", snap.ReleaseNotes, wantNotes)
		}
		if len(snap.Published) != 8*1288 {
			t.Errorf("Current: %d published rows, want %d", len(snap.Published), 8*1288)
		}
		diffPublished(t, "Current", snap.Published, want)
		got := map[string]int{}
		for _, p := range snap.Published {
			got[p.Release]++
		}
		for r := range releases {
			if got[r] != 1288 {
				t.Errorf("release %s: %d rows, want 1288", r, got[r])
			}
		}
	}
	// Adding them again changes nothing.
	if res := mustAdd(t, s, extracts...); res.Vintage != nil || len(res.AlreadyPresent) != 8 {
		t.Errorf("Add again: vintage %v, %d already present; want none and 8", res.Vintage, len(res.AlreadyPresent))
	}
}

// TestPublishedWithoutFootnotes reads a dataset written before footnotes
// were kept: a published file without the footnotes column and vintage
// files without release notes read back as rows without footnotes and
// releases without notes, beside newer files that have them.
func TestPublishedWithoutFootnotes(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	old := tricky("ons-pfa-2019-03")
	mustAdd(t, s, onsExtract("old.xlsx", old...))
	// Rewrite the file as the store wrote it before: every column but the last.
	p := filepath.Join(dir, pubFileOf("v000001", onsSrc))
	rdr, err := file.OpenParquetFile(p, false)
	must(t, err)
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	must(t, err)
	tbl, err := fr.ReadTable(context.Background())
	must(t, err)
	rdr.Close()
	if got := tbl.Schema().Field(int(tbl.NumCols()) - 1).Name; got != ColFootnotes {
		t.Fatalf("last column %s, want %s", got, ColFootnotes)
	}
	cols := make([]arrow.Column, tbl.NumCols()-1)
	for i := range cols {
		cols[i] = *tbl.Column(i)
	}
	legacy := array.NewTable(arrow.NewSchema(tbl.Schema().Fields()[:len(cols)], nil), cols, tbl.NumRows())
	var buf bytes.Buffer
	must(t, pqarrow.WriteTable(legacy, &buf, 1024, parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd)), pqarrow.DefaultWriterProps()))
	legacy.Release()
	tbl.Release()
	must(t, os.WriteFile(p, buf.Bytes(), 0o644))
	vfile, err := os.ReadFile(filepath.Join(dir, "catalog/v000001.json"))
	must(t, err)
	if bytes.Contains(vfile, []byte("release_notes")) {
		t.Fatalf("catalog/v000001.json has release notes:\n%s", vfile)
	}

	// A newer release with footnotes and notes, in a file with the column.
	newer := tricky("ons-pfa-2019-06")
	e := onsExtract("new.xlsx", newer...)
	e.ReleaseNotes = []datasets.ReleaseNote{{Release: "ons-pfa-2019-06", Text: "Table P1: a note"}}
	mustAdd(t, openStore(t, dir), e)

	snap := mustCurrent(t, openStore(t, dir))
	for i := range old {
		old[i].Footnotes = nil
	}
	diffPublished(t, "old and new", snap.Published, sortedPublished(slices.Concat(old, newer)))
	if !reflect.DeepEqual(snap.ReleaseNotes, e.ReleaseNotes) {
		t.Errorf("ReleaseNotes = %q, want %q", snap.ReleaseNotes, e.ReleaseNotes)
	}
}

// TestReleaseNotesFollowWinner: a release's notes are those of the input
// that won it; a re-issue without notes has none.
func TestReleaseNotesFollowWinner(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	mar, jun := month(2019, 3), month(2019, 6)
	const relMar, relJun = "ons-pfa-2019-03", "ons-pfa-2019-06"
	both := onsExtract("both.xlsx", pubRow(relMar, wiltshire, "Robbery", mar, 1, 0, 0, 0), pubRow(relJun, wiltshire, "Robbery", jun, 2, 0, 0, 0))
	// Given June's first: kept in the order given within a release, sorted by release.
	both.ReleaseNotes = []datasets.ReleaseNote{{Release: relJun, Text: "June b"}, {Release: relMar, Text: "March"}, {Release: relJun, Text: "June a"}}
	mustAdd(t, s, both)
	want := []datasets.ReleaseNote{{Release: relMar, Text: "March"}, {Release: relJun, Text: "June b"}, {Release: relJun, Text: "June a"}}
	if got := mustCurrent(t, openStore(t, dir)).ReleaseNotes; !reflect.DeepEqual(got, want) {
		t.Errorf("ReleaseNotes = %q, want %q", got, want)
	}
	// March re-issued without notes: March has none, June keeps its own.
	mustAdd(t, s, onsExtract("mar.xlsx", pubRow(relMar, wiltshire, "Robbery", mar, 3, 0, 0, 0)))
	want = want[1:]
	if got := mustCurrent(t, openStore(t, dir)).ReleaseNotes; !reflect.DeepEqual(got, want) {
		t.Errorf("after March's re-issue: ReleaseNotes = %q, want %q", got, want)
	}
	// A vintage file whose release note names a release its input lacks.
	vpath := filepath.Join(dir, "catalog/v000001.json")
	data, err := os.ReadFile(vpath)
	must(t, err)
	must(t, os.WriteFile(vpath, bytes.Replace(data, []byte(`"release": "ons-pfa-2019-03"`), []byte(`"release": "ons-pfa-2019-09"`), 1), 0o644))
	if _, err := openStore(t, dir).Current(context.Background()); err == nil || !strings.Contains(err.Error(), "catalog/v000001.json") ||
		!strings.Contains(err.Error(), `release note "March" of "ons-pfa-2019-09"`) {
		t.Errorf("Current with a bad release note: err = %v, want one naming catalog/v000001.json and the note", err)
	}
}
