package ons

import (
	"bytes"
	"context"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

const realDir = "ons-pfa-tables"

// realFiles are the eight sample workbooks (SOURCES.md section 2) with the
// release each one is.
var realFiles = []struct {
	file string
	id   string
	end  datasets.Month
}{
	{"policeforceareatablesyearendingmarch2018v2.xlsx", "ons-pfa-2018-03-v2", datasets.MonthOf(2018, 3)},
	{"policeforceareadatatablesyearendingjune2018corrected.xlsx", "ons-pfa-2018-06-corrected", datasets.MonthOf(2018, 6)},
	{"policeforceareatablesyearendingsep18corrected.xlsx", "ons-pfa-2018-09-corrected", datasets.MonthOf(2018, 9)},
	{"policeforceareatablesyearendingdecember2018.xlsx", "ons-pfa-2018-12", datasets.MonthOf(2018, 12)},
	{"policeforceareatablesyeendingmarch2019.xlsx", "ons-pfa-2019-03", datasets.MonthOf(2019, 3)},
	{"policeforceareatablesyearendingjune2019.xlsx", "ons-pfa-2019-06", datasets.MonthOf(2019, 6)},
	{"policeforceareatablesyearendingseptember2019.xlsx", "ons-pfa-2019-09", datasets.MonthOf(2019, 9)},
	{"pfatablesdec19.xlsx", "ons-pfa-2019-12", datasets.MonthOf(2019, 12)},
}

const (
	labelTotal = "Total recorded crime (excluding fraud)"
	labelSH    = "Stalking and harassment"
	codeWilts  = "E23000038"
	codeCity   = "E23000034"
	codeGMP    = "E23000005"
)

// realCache keeps each sample workbook read once per test binary: the
// tests only look at the releases, and reading is slow under -race.
var realCache sync.Map // file -> *realRead

type realRead struct {
	once sync.Once
	data []byte
	rel  *Release
	err  error
}

// readReal reads a sample workbook with ReadPFA (once), skipping the test
// when the samples are absent or with -short.
func readReal(t testing.TB, file string) ([]byte, *Release) {
	t.Helper()
	if testing.Short() {
		t.Skip("real sample workbooks: skipped with -short")
	}
	path := testutil.Real(t, realDir, file)
	v, _ := realCache.LoadOrStore(file, &realRead{})
	rr := v.(*realRead)
	rr.once.Do(func() {
		if rr.data, rr.err = os.ReadFile(path); rr.err == nil {
			rr.rel, rr.err = ReadPFA(context.Background(), file, bytes.NewReader(rr.data))
		}
	})
	if rr.err != nil {
		t.Fatalf("ReadPFA(%s): %v", file, rr.err)
	}
	return rr.data, rr.rel
}

// find returns the Published row of an area and offence.
func find(t *testing.T, rel *Release, code, offence string) datasets.Published {
	t.Helper()
	for _, p := range rel.Rows {
		if p.AreaCode == code && p.Offence == offence {
			return p
		}
	}
	t.Fatalf("%s: no row for %s %q", rel.ID, code, offence)
	return datasets.Published{}
}

// The test's own reading of an ONS table, independent of the reader: plain
// GetRows, regular expressions, and a literal map of the headers checked.
var (
	testCodeRE = regexp.MustCompile(`^[EWK]\d{8}`)
	testNoteRE = regexp.MustCompile(`[\d,\s]+$`)
	testFraud  = regexp.MustCompile(`fraud\d+\)`)
	// Published headers (lower case, no footnotes) -> Published.Offence.
	testLabels = map[string]string{
		"total recorded crime (excluding fraud)": labelTotal,
		"stalking and harassment":                labelSH,
		"homicide":                               "Homicide",
		"robbery":                                "Robbery",
		"vehicle offences":                       "Vehicle crime",
		"residential burglary":                   "Residential burglary",
		"residental burglary":                    "Residential burglary",
		"miscellaneous crimes":                   "Miscellaneous crimes",
		"miscellaneous crimes against society":   "Miscellaneous crimes",
	}
)

func testNorm(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return testFraud.ReplaceAllString(testNoteRE.ReplaceAllString(s, ""), "fraud)")
}

// testTable returns, for the sheet whose trimmed name is sheet, the column
// of each checked offence label (and "population"), and each area's cells
// keyed by code (BTP as datasets.CodeBTP).
func testTable(t *testing.T, f *excelize.File, sheet string) (map[string]int, map[string][]string) {
	t.Helper()
	name := ""
	for _, s := range f.GetSheetList() {
		if strings.TrimSpace(s) == sheet {
			name = s
		}
	}
	rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s: %v", sheet, err)
	}
	cols := map[string]int{}
	areas := map[string][]string{}
	for i, r := range rows {
		if i < 6 {
			for j, c := range r {
				k := testNorm(c)
				if l, ok := testLabels[k]; ok {
					cols[l] = j
				} else if strings.HasPrefix(k, "population") {
					cols["population"] = j
				}
			}
			continue
		}
		if len(r) < 3 {
			continue
		}
		switch code := strings.TrimSpace(r[0]); {
		case testCodeRE.MatchString(code):
			areas[code[:9]] = r
		case code == "" && strings.HasPrefix(r[1], "British Transport Police"):
			areas[datasets.CodeBTP] = r
		}
	}
	return cols, areas
}

func TestRealWorkbooks(t *testing.T) {
	offences := 22
	if unlawfulDriving() {
		offences++
	}
	for _, rf := range realFiles {
		t.Run(rf.id, func(t *testing.T) {
			data, rel := readReal(t, rf.file)
			if rel.ID != rf.id || rel.PeriodEnd != rf.end || rel.File != rf.file {
				t.Errorf("ID, PeriodEnd, File = %q, %v, %q; want %q, %v, %q", rel.ID, rel.PeriodEnd, rel.File, rf.id, rf.end, rf.file)
			}
			if !strings.HasSuffix(rel.Title, "year ending "+rf.end.Label()) && !strings.HasSuffix(rel.Title, "year ending "+
				strings.Fields(rf.end.Label())[0]+" "+strconv.Itoa(rf.end.Year()%100)) {
				t.Errorf("Title = %q, want it to end in the period", rel.Title)
			}
			areas, offs := map[string]bool{}, map[string]bool{}
			for _, p := range rel.Rows {
				areas[p.AreaCode], offs[p.Offence] = true, true
				if p.Release != rf.id || p.File != rf.file || p.PeriodEnd != rf.end || p.Months != 12 {
					t.Fatalf("row %+v: release, file, period or months wrong", p)
				}
			}
			// E&W, England, 9 regions, 43 forces, Wales, BTP.
			if len(areas) != 56 || len(offs) != offences || len(rel.Rows) != 56*offences {
				t.Errorf("%d areas, %d offences, %d rows; want 56, %d, %d", len(areas), len(offs), len(rel.Rows), offences, 56*offences)
			}
			for _, a := range datasets.Areas() {
				if !areas[a.Code] {
					t.Errorf("no rows for %s %s", a.Code, a.Name)
				}
			}

			f, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// Every row of the three sheets is counted; the area rows of
			// P1 and P2 (56 each) and P3 (55: no BTP) are used. GetRows
			// drops empty rows at the end of a sheet that the sheet still
			// holds (formatted but empty): the reader counts them as blank.
			var rows int64
			for _, s := range f.GetSheetList() {
				if n := strings.TrimSpace(s); n == "Table P1" || n == "Table P2" || n == "Table P3" {
					r, _ := f.GetRows(s)
					rows += int64(len(r))
				}
			}
			if st := rel.Stats; st.Read < rows || st.Read-rows > st.Skipped[SkipBlank] || st.Used != 56+56+55 ||
				st.Rejected != 0 || !st.Balanced() || st.Skipped[SkipHeader] != 3 || st.Skipped[SkipUnits] != 3 {
				t.Errorf("Stats = %+v; want %d rows read (more only by blank rows), %d used, balanced", st, rows, 56+56+55)
			}

			checked := 0
			for ti, sheet := range []string{"Table P1", "Table P2", "Table P3"} {
				cols, cells := testTable(t, f, sheet)
				if len(cols) != 7+ti/2 || len(cells) != 56-ti/2 {
					t.Fatalf("%s: test found %d columns and %d areas", sheet, len(cols), len(cells))
				}
				for code, r := range cells {
					for label, j := range cols {
						if label == "population" {
							continue
						}
						p := find(t, rel, code, label)
						c := strings.TrimSpace(r[j])
						var has bool
						var v float64
						var marker string
						switch ti {
						case 0:
							has, marker = p.HasCount, p.CountMarker
							v = float64(p.Count)
						case 1:
							has, v, marker = p.HasPct, p.PctChange, p.PctMarker
						case 2:
							has, v, marker = p.HasRate, p.Rate, p.RateMarker
						}
						want, err := strconv.ParseFloat(c, 64)
						if err == nil && (!has || v != want) || err != nil && (has || marker != c) {
							t.Errorf("%s %s %q: cell %q, read has=%v %v marker %q", sheet, code, label, c, has, v, marker)
						}
						checked++
					}
					if j, ok := cols["population"]; ok {
						pop, err := strconv.ParseInt(r[j], 10, 64)
						if got := find(t, rel, code, labelTotal).Population; err == nil && got != pop || err != nil && got != 0 {
							t.Errorf("%s population: cell %q, read %d", code, r[j], got)
						}
						checked++
					}
				}
				if ti == 2 { // BTP has no row in P3: no rates.
					p := find(t, rel, datasets.CodeBTP, labelTotal)
					if p.HasRate || p.RateMarker != "" || p.Population != 0 {
						t.Errorf("BTP in P3: %+v", p)
					}
				}
			}
			if checked != 56*7+56*7+55*7+55 {
				t.Errorf("checked %d cells", checked)
			}
		})
	}
}

func TestRealFigures(t *testing.T) {
	releases := map[string]*Release{}
	for _, rf := range realFiles {
		_, releases[rf.id] = readReal(t, rf.file)
	}
	count := func(id, code, offence string) int64 {
		p := find(t, releases[id], code, offence)
		if !p.HasCount {
			t.Errorf("%s %s %s: no count (marker %q)", id, code, offence, p.CountMarker)
		}
		return p.Count
	}
	// YE Mar 2019 Table P1, stalking and harassment: Wiltshire I56 and
	// England and Wales I7.
	if got := count("ons-pfa-2019-03", codeWilts, labelSH); got != 2697 {
		t.Errorf("Wiltshire S&H YE Mar 2019 = %d, want 2697", got)
	}
	if got := count("ons-pfa-2019-03", datasets.CodeEnglandWales, labelSH); got != 444054 {
		t.Errorf("E&W S&H YE Mar 2019 = %d, want 444054", got)
	}
	// SOURCES.md section 2: YE Sep 2018 P2, England and Wales.
	if p := find(t, releases["ons-pfa-2018-09-corrected"], datasets.CodeEnglandWales, labelSH); !p.HasPct || p.PctChange != 41.295907978909305 {
		t.Errorf("E&W S&H change YE Sep 2018 = %v %v, want 41.295907978909305", p.HasPct, p.PctChange)
	}
	// Greater Manchester could not supply data: ".." in all three tables.
	for _, id := range []string{"ons-pfa-2019-09", "ons-pfa-2019-12"} {
		p := find(t, releases[id], codeGMP, labelTotal)
		if p.HasCount || p.CountMarker != ".." || p.HasPct || p.PctMarker != ".." || p.HasRate || p.RateMarker != ".." || p.Population != 0 {
			t.Errorf("%s GMP: %+v, want \"..\" everywhere", id, p)
		}
	}
	// City of London rates are "+" in P3, counts kept; P2 "-" where the base is under 50.
	p := find(t, releases["ons-pfa-2019-03"], codeCity, "Homicide")
	if !p.HasCount || p.Count != 1 || p.HasRate || p.RateMarker != "+" || p.HasPct || p.PctMarker != "-" || p.Population != 7700 {
		t.Errorf("City of London homicide YE Mar 2019: %+v, want count 1, change \"-\", rate \"+\", population 7700 (P3 C43)", p)
	}
	// SOURCES.md section 4: mid-2018 populations in YE Jun 2019 P3; GMP
	// left out of England and Wales in YE Sep 2019.
	pops := []struct {
		id, code string
		want     int64
	}{
		{"ons-pfa-2019-06", datasets.CodeEnglandWales, 59115800},
		{"ons-pfa-2019-06", codeWilts, 720100},
		{"ons-pfa-2019-09", datasets.CodeEnglandWales, 56303200},
	}
	for _, tc := range pops {
		for _, off := range []string{labelTotal, labelSH} {
			if got := find(t, releases[tc.id], tc.code, off).Population; got != tc.want {
				t.Errorf("%s %s %s population = %d, want %d", tc.id, tc.code, off, got, tc.want)
			}
		}
	}
	// Region names keep ONS spelling, cleaned of trailing spaces and notes.
	if p := find(t, releases["ons-pfa-2018-03-v2"], "E12000005", labelTotal); p.AreaName != "West Midlands" {
		t.Errorf("West Midlands region name %q", p.AreaName)
	}
	if p := find(t, releases["ons-pfa-2019-12"], datasets.CodeEnglandWales, labelTotal); p.AreaName != "ENGLAND AND WALES" {
		t.Errorf("England and Wales name %q", p.AreaName)
	}
}

// TestRealConsistency derives the year ending March 2018 from the YE March
// 2019 release (count / (1 + change/100)), which must give the Home Office
// 2017/18 stalking and harassment figures (see
// datasets/homeoffice/real_test.go): Wiltshire 1,896 and England and Wales
// 295,948.
func TestRealConsistency(t *testing.T) {
	_, rel := readReal(t, "policeforceareatablesyeendingmarch2019.xlsx")
	for code, want := range map[string]int64{codeWilts: 1896, datasets.CodeEnglandWales: 295948} {
		p := find(t, rel, code, labelSH)
		if !p.HasCount || !p.HasPct {
			t.Fatalf("%s: %+v", code, p)
		}
		if got := int64(math.Round(float64(p.Count) / (1 + p.PctChange/100))); got != want {
			t.Errorf("%s: YE Mar 2018 S&H derived %d, want %d", code, got, want)
		}
	}
}

func BenchmarkReadPFA(b *testing.B) {
	data, err := os.ReadFile(testutil.Real(b, realDir, "policeforceareatablesyeendingmarch2019.xlsx"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadPFA(context.Background(), "policeforceareatablesyeendingmarch2019.xlsx", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
