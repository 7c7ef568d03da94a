package force

import (
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// mergeMapping reads the small hand-written extracts below.
var mergeMapping = Mapping{Force: "Wiltshire", Reference: "URN", Recorded: "Recorded Date", DateFormat: "DD/MM/YYYY",
	Offence: "HO Code", Outcome: "Status", Cancelled: []string{"No Crime", "Cancelled"}}

const mergeHeader = "URN,Recorded Date,HO Code,Status\n"

// Taken 1 March 2024, so January and February are complete.
const earlyCSV = mergeHeader +
	"R1,05/01/2024,8L,Open\n" + // reclassified to 8Q later
	"R2,10/01/2024,8N,Open\n" + // cancelled later
	"R3,03/02/2024,8L,Closed\n" // only in this extract: stays

// Taken 1 April 2024 (its name sorts before the early one's).
const lateCSV = mergeHeader +
	"R1,05/01/2024,8Q,Open\n" +
	"R2,10/01/2024,8N,no crime\n" +
	"R4,20/03/2024,8L,Open\n"

func mkCounts(specs ...string) []datasets.Count {
	var out []datasets.Count
	for _, s := range specs { // "area code month count"
		f := strings.Fields(s)
		m, err := datasets.ParseMonth(f[2])
		if err != nil {
			panic(err)
		}
		n := int64(0)
		for _, c := range f[3] {
			n = n*10 + int64(c-'0')
		}
		out = append(out, datasets.Count{Source: Source, AreaCode: f[0], Offence: f[1], Start: m, End: m, Count: n})
	}
	return out
}

func mkCoverage(area, from, to string) []datasets.Coverage {
	a, _ := datasets.ParseMonth(from)
	b, _ := datasets.ParseMonth(to)
	var out []datasets.Coverage
	for m := a; m <= b; m++ {
		out = append(out, datasets.Coverage{Source: Source, AreaCode: area, Start: m, End: m})
	}
	return out
}

func TestMergeReclassifiedCancelled(t *testing.T) {
	early := readCSVString(t, "z-extract-2024-03-01.csv", earlyCSV, mergeMapping, nil)
	late := readCSVString(t, "a-extract-2024-04-01.csv", lateCSV, mergeMapping, nil)
	wantCounts := mkCounts(
		wilts+" 8L 2024-02 1", // R3
		wilts+" 8L 2024-03 1", // R4
		wilts+" 8Q 2024-01 1", // R1 as reclassified; R2 cancelled
	)
	wantRep := MergeReport{Extracts: 2, Versions: 6, Superseded: 2, Records: 3, Reclassified: 1, Cancelled: 1}
	for _, order := range [][]*Extract{{early, late}, {late, early}} {
		counts, cov, rep, err := Merge(order)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(counts, wantCounts) {
			t.Errorf("counts\n got %v\nwant %v", counts, wantCounts)
		}
		if want := mkCoverage(wilts, "2024-01", "2024-03"); !reflect.DeepEqual(cov, want) {
			t.Errorf("coverage\n got %v\nwant %v", cov, want)
		}
		if rep != wantRep {
			t.Errorf("report %+v, want %+v", rep, wantRep)
		}
	}
	// The early extract alone: R1 as 8L, R2 counted, R3; nothing cancelled.
	counts, cov, rep, err := Merge([]*Extract{early})
	if want := mkCounts(wilts+" 8L 2024-01 1", wilts+" 8L 2024-02 1", wilts+" 8N 2024-01 1"); err != nil || !reflect.DeepEqual(counts, want) {
		t.Errorf("early alone: %v %v, want %v", counts, err, want)
	}
	if want := mkCoverage(wilts, "2024-01", "2024-02"); !reflect.DeepEqual(cov, want) || rep.Records != 3 || rep.Versions != 3 {
		t.Errorf("early alone: coverage %v report %+v", cov, rep)
	}
}

func TestMergeCancelledThenReinstated(t *testing.T) {
	a := readCSVString(t, "a-2024-03-01.csv", mergeHeader+"R1,05/01/2024,8L,Cancelled\n", mergeMapping, nil)
	b := readCSVString(t, "b-2024-03-15.csv", mergeHeader+"R1,05/01/2024,8L,Open\n", mergeMapping, nil)
	counts, _, rep, err := Merge([]*Extract{b, a})
	if want := mkCounts(wilts + " 8L 2024-01 1"); err != nil || !reflect.DeepEqual(counts, want) {
		t.Errorf("got %v %v, want %v", counts, err, want)
	}
	if want := (MergeReport{Extracts: 2, Versions: 2, Superseded: 1, Records: 1}); rep != want {
		t.Errorf("report %+v, want %+v", rep, want)
	}
}

func TestMergeIncompleteMonthAndRealZero(t *testing.T) {
	// Taken 15 April: April is incomplete. February has no records but lies
	// inside the span, so it is covered (a real zero).
	e := readCSVString(t, "w-2024-04-15.csv", mergeHeader+
		"R1,31/01/2024,8L,Open\n"+
		"R2,01/03/2024,8R,Open\n"+
		"R3,14/04/2024,8L,Open\n"+
		"R4,15/04/2024,8L,Cancelled\n", mergeMapping, nil)
	counts, cov, rep, err := Merge([]*Extract{e})
	if want := mkCounts(wilts+" 8L 2024-01 1", wilts+" 8R 2024-03 1"); err != nil || !reflect.DeepEqual(counts, want) {
		t.Errorf("got %v %v, want %v", counts, err, want)
	}
	if want := mkCoverage(wilts, "2024-01", "2024-03"); !reflect.DeepEqual(cov, want) {
		t.Errorf("coverage %v, want %v", cov, want)
	}
	if want := (MergeReport{Extracts: 1, Versions: 4, Records: 2, Cancelled: 1, Incomplete: 1}); rep != want {
		t.Errorf("report %+v, want %+v", rep, want)
	}
	// A later extract completes April and moves R3 into March.
	later := readCSVString(t, "w-2024-05-01.csv", mergeHeader+"R3,30/03/2024,8L,Open\nR5,02/04/2024,8Q,Open\n", mergeMapping, nil)
	counts, cov, rep, err = Merge([]*Extract{e, later})
	if want := mkCounts(wilts+" 8L 2024-01 1", wilts+" 8L 2024-03 1", wilts+" 8Q 2024-04 1", wilts+" 8R 2024-03 1"); err != nil || !reflect.DeepEqual(counts, want) {
		t.Errorf("got %v %v, want %v", counts, err, want)
	}
	if want := mkCoverage(wilts, "2024-01", "2024-04"); !reflect.DeepEqual(cov, want) {
		t.Errorf("coverage %v, want %v", cov, want)
	}
	if want := (MergeReport{Extracts: 2, Versions: 6, Superseded: 1, Records: 4, Moved: 1, Cancelled: 1}); rep != want {
		t.Errorf("report %+v, want %+v", rep, want)
	}
}

func TestMergeSameDateOrderedByName(t *testing.T) {
	m := mergeMapping
	m.ExtractDate = "2024-03-01"
	x := readCSVString(t, "x.csv", mergeHeader+"R1,05/01/2024,8L,Open\n", m, nil)
	y := readCSVString(t, "y.csv", mergeHeader+"R1,05/01/2024,8M,Open\n", m, nil)
	counts, _, _, err := Merge([]*Extract{y, x})
	if want := mkCounts(wilts + " 8M 2024-01 1"); err != nil || !reflect.DeepEqual(counts, want) {
		t.Errorf("got %v %v, want %v (y.csv sorts last)", counts, err, want)
	}
	y2 := readCSVString(t, "y.csv", mergeHeader+"R1,05/01/2024,8Q,Open\n", m, nil)
	if _, _, _, err := Merge([]*Extract{y, x, y2}); err == nil || !strings.Contains(err.Error(), "cannot tell which is later") {
		t.Errorf("same name and date, different content: got %v", err)
	}
	if _, _, _, err := Merge([]*Extract{y, y}); err != nil {
		t.Errorf("the same extract twice: %v", err)
	}
	if _, _, _, err := Merge([]*Extract{nil}); err == nil {
		t.Errorf("nil extract accepted")
	}
	if _, _, _, err := Merge([]*Extract{{Name: "n"}}); err == nil {
		t.Errorf("extract without a date accepted")
	}
	counts, cov, rep, err := Merge(nil)
	if err != nil || len(counts) != 0 || len(cov) != 0 || rep != (MergeReport{}) {
		t.Errorf("no extracts: %v %v %+v %v", counts, cov, rep, err)
	}
}

func TestMergeCrosswalkAndForces(t *testing.T) {
	m := Mapping{Reference: "ref", Recorded: "date", Offence: "class", ForceColumn: "force", ExtractDate: "2024-03-01"}
	in := "ref,date,class,force\n" +
		"1,2024-01-02,STK01,Wiltshire Police\n" +
		"2,2024-01-03,stk01,Wiltshire\n" +
		"1,2024-02-04,HAR01,Sussex Police\n" + // same reference, other force: another record
		"3,2024-02-05,8R,Sussex\n" // a Home Office code needs no crosswalk
	e := readCSVString(t, "regional.csv", in, m, mustCrosswalk(t))
	counts, cov, rep, err := Merge([]*Extract{e})
	want := mkCounts("E23000033 8L 2024-02 1", "E23000033 8R 2024-02 1", wilts+" 8Q 2024-01 2")
	if err != nil || !reflect.DeepEqual(counts, want) {
		t.Errorf("got %v %v, want %v", counts, err, want)
	}
	wantCov := append(mkCoverage("E23000033", "2024-01", "2024-02"), mkCoverage(wilts, "2024-01", "2024-02")...)
	if !reflect.DeepEqual(cov, wantCov) || rep.Records != 4 {
		t.Errorf("coverage %v report %+v, want %v", cov, rep, wantCov)
	}
}

func TestIdenticalRepeatSkipped(t *testing.T) {
	e := readCSVString(t, "w-2024-03-01.csv", mergeHeader+
		"R1,05/01/2024,8L,Open\n"+
		"R1, 05/01/2024 ,8L,Open\n"+
		"R2,05/01/2024,8L,Open\n", mergeMapping, nil)
	want := datasets.Stats{Read: 3, Used: 2, Skipped: map[string]int64{SkipDuplicate: 1}}
	if !reflect.DeepEqual(e.Stats, want) || len(e.Records) != 2 {
		t.Errorf("stats %+v, want %+v", e.Stats, want)
	}
}
