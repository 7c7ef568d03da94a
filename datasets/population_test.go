package datasets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/internal/testutil"
	"github.com/xuri/excelize/v2"
)

const codeGMP = "E23000005"

// TestBuiltinPopulationsMatchPopmCSV compares every mid-2018 figure with
// M-O-P-D/popm's population_data.csv.
func TestBuiltinPopulationsMatchPopmCSV(t *testing.T) {
	f, err := os.Open(testutil.Real(t, "mopd-popm", "population_data.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	pops := BuiltinPopulations()
	seen := 0
	for _, rec := range recs[1:] {
		people, _ := strconv.ParseInt(rec[2], 10, 64)
		households, _ := strconv.ParseInt(rec[3], 10, 64)
		if rec[0] == "" { // "Beds Cambs Herts", the three forces together
			if got, ok := pops.Sum([]string{"E23000026", "E23000023", "E23000027"}, "mid-2018"); !ok || got != people {
				t.Errorf("%s: Sum = %d, %v; want %d", rec[1], got, ok, people)
			}
			continue
		}
		seen++
		got, ok := pops.Get(rec[0], "mid-2018")
		if !ok || got.People != people || got.Households != households || got.HouseholdsVintage != "mid-2017" {
			t.Errorf("%s %s: got %+v, %v; want people %d, households %d (mid-2017)", rec[0], rec[1], got, ok, people, households)
		}
	}
	if n := len(builtinFigures); seen != n || n != 55 {
		t.Errorf("csv has %d coded rows, builtin %d; want 55 each", seen, n)
	}
}

// TestBuiltinPopulationsMatchONSTables re-reads the population and household
// cells of Table P3 of every ONS workbook and compares them with the builtin
// figures of the vintage its footnote names.
func TestBuiltinPopulationsMatchONSTables(t *testing.T) {
	for _, tc := range []struct {
		file               string
		vintage            string
		householdsFrom     string // builtin vintage whose Households the workbook prints; "" for none carried
		householdsVintage  string // as the workbook's header says
		excludesGMP        bool
		rateCheckCountFrom bool // also check P3 rates = P1 counts / population
	}{
		{"policeforceareatablesyearendingmarch2018v2.xlsx", "mid-2016", "mid-2016", "mid-2016", false, false},
		{"policeforceareadatatablesyearendingjune2018corrected.xlsx", "mid-2017", "mid-2016", "mid-2016", false, false},
		{"policeforceareatablesyearendingsep18corrected.xlsx", "mid-2017", "mid-2017", "mid-2017", false, false},
		{"policeforceareatablesyearendingdecember2018.xlsx", "mid-2017", "mid-2017", "mid-2017", false, false},
		{"policeforceareatablesyeendingmarch2019.xlsx", "mid-2017", "mid-2017", "mid-2017", false, false},
		{"policeforceareatablesyearendingjune2019.xlsx", "mid-2018", "mid-2018", "mid-2017", false, true},
		{"policeforceareatablesyearendingseptember2019.xlsx", "mid-2018", "", "mid-2018", true, false},
		{"pfatablesdec19.xlsx", "mid-2018", "", "mid-2018", true, false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			wb, err := excelize.OpenFile(testutil.Real(t, "ons-pfa-tables", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			p3 := popSheetRows(t, wb, "Table P3")
			text := strings.Join(popFlatten(p3), "\n")
			if !strings.Contains(text, "Based on "+tc.vintage+" population estimates") {
				t.Fatalf("footnotes do not say %s population estimates", tc.vintage)
			}
			hdr := regexp.MustCompile(`Population figures\s*\((mid-\d{4})\)[\s\S]*?Household figures\s*\((mid-\d{4})\)`).FindStringSubmatch(text)
			if hdr == nil || hdr[1] != tc.vintage || hdr[2] != tc.householdsVintage {
				t.Fatalf("headers give vintages %q; want population %s, households %s", hdr, tc.vintage, tc.householdsVintage)
			}
			if got := strings.Contains(text, "excluding Greater Manchester"); got != tc.excludesGMP {
				t.Fatalf("excludes GMP = %v; want %v", got, tc.excludesGMP)
			}
			pops := BuiltinPopulations()
			var counts map[string]int64
			if tc.rateCheckCountFrom {
				counts = map[string]int64{}
				for _, r := range popSheetRows(t, wb, "Table P1") {
					if len(r) > 2 && popCodePattern.MatchString(r[0]) {
						counts[r[0]], _ = strconv.ParseInt(r[2], 10, 64)
					}
				}
			}
			n := 0
			for _, r := range p3 {
				if len(r) < 6 || !popCodePattern.MatchString(r[0]) {
					continue
				}
				n++
				code := r[0]
				want, ok := pops.Get(code, tc.vintage)
				if !ok {
					t.Errorf("%s: no builtin %s figure", code, tc.vintage)
					continue
				}
				if tc.excludesGMP {
					switch code {
					case codeGMP:
						if r[2] != ".." {
							t.Errorf("%s: population %q; want ..", code, r[2])
						}
						continue
					case CodeEnglandWales, CodeEngland, regionNorthWest:
						want.People, _ = pops.Excluding(code, []string{codeGMP}, tc.vintage)
					}
				}
				if got, err := strconv.ParseInt(r[2], 10, 64); err != nil || got != want.People {
					t.Errorf("%s %s: population cell %q; builtin %d", code, r[1], r[2], want.People)
				}
				if tc.householdsFrom != "" {
					h, _ := pops.Get(code, tc.householdsFrom)
					if got, err := strconv.ParseInt(r[3], 10, 64); err != nil || got != h.Households {
						t.Errorf("%s %s: households cell %q; builtin %s %d", code, r[1], r[3], tc.householdsFrom, h.Households)
					}
				}
				if counts != nil && code != CodeCityOfLondon {
					rate, _ := strconv.ParseFloat(r[5], 64)
					// ONS divides by the unrounded estimate; the printed
					// one is within 50 of it.
					got, ok := Rate(counts[code], want.People)
					if !ok || math.Abs(got-rate) > rate*50.5/float64(want.People) {
						t.Errorf("%s: Rate(%d, %d) = %v, %v; P3 prints %v", code, counts[code], want.People, got, ok, rate)
					}
				}
			}
			if n != 55 {
				t.Errorf("%d coded rows in P3; want 55", n)
			}
		})
	}
}

var popCodePattern = regexp.MustCompile(`^[EWK][0-9]{8}$`)

func popSheetRows(t *testing.T, wb *excelize.File, sheet string) [][]string {
	t.Helper()
	for _, s := range wb.GetSheetList() {
		if strings.TrimSpace(s) == sheet {
			rows, err := wb.GetRows(s, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
	}
	t.Fatalf("no sheet %q", sheet)
	return nil
}

func popFlatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// TestPopulationSums adds areas up. ONS rounds each figure to 100, so sums
// of parts need not equal the published whole; the wants below were added
// up independently from the published cells.
func TestPopulationSums(t *testing.T) {
	var forces, english, welsh, regions []string
	for _, a := range Forces() {
		switch {
		case a.Kind != KindForce:
		case a.Country == CodeWales:
			forces, welsh = append(forces, a.Code), append(welsh, a.Code)
		default:
			forces, english = append(forces, a.Code), append(english, a.Code)
		}
	}
	for _, r := range regionTable {
		regions = append(regions, r.Code)
	}
	if len(forces) != 43 || len(english) != 39 || len(regions) != 9 {
		t.Fatalf("%d forces, %d English, %d regions", len(forces), len(english), len(regions))
	}
	pops := BuiltinPopulations()
	for _, tc := range []struct {
		vintage                                  string
		ew, forcesEW, eng, forcesEng, regionsEng int64
		wales, forcesWales, engPlusWales         int64
	}{
		{"mid-2016", 58381200, 58381300, 55268100, 55268200, 55268200, 3113200, 3113100, 58381300},
		{"mid-2017", 58744600, 58744800, 55619400, 55619600, 55619300, 3125200, 3125200, 58744600},
		{"mid-2018", 59115800, 59116100, 55977200, 55977400, 55977100, 3138600, 3138700, 59115800},
	} {
		sum := func(codes ...string) int64 {
			n, ok := pops.Sum(codes, tc.vintage)
			if !ok {
				t.Fatalf("%s: Sum(%v) not ok", tc.vintage, codes)
			}
			return n
		}
		for _, c := range []struct {
			what      string
			got, want int64
		}{
			{"England and Wales", sum(CodeEnglandWales), tc.ew},
			{"43 forces", sum(forces...), tc.forcesEW},
			{"England", sum(CodeEngland), tc.eng},
			{"39 English forces", sum(english...), tc.forcesEng},
			{"9 regions", sum(regions...), tc.regionsEng},
			{"Wales", sum(CodeWales), tc.wales},
			{"4 Welsh forces", sum(welsh...), tc.forcesWales},
			{"England + Wales", sum(CodeEngland, CodeWales), tc.engPlusWales},
		} {
			if c.got != c.want {
				t.Errorf("%s %s: got %d, want %d", tc.vintage, c.what, c.got, c.want)
			}
		}
		// Every region is its forces' sum, give or take rounding.
		for _, r := range regions {
			var members []string
			for _, c := range english {
				if a, _ := AreaByCode(c); a.Region == r {
					members = append(members, c)
				}
			}
			if d := sum(members...) - sum(r); d < -50*int64(len(members)) || d > 50*int64(len(members)) {
				t.Errorf("%s region %s: forces sum %d, region %d", tc.vintage, r, sum(members...), sum(r))
			}
		}
	}
	if got, ok := pops.Sum([]string{"E23000038", "E23000038"}, "mid-2018"); !ok || got != 720100 {
		t.Errorf("Sum with a repeated code = %d, %v; want 720100 (counted once)", got, ok)
	}
	for _, codes := range [][]string{nil, {"E23000038", CodeBTP}, {"E23000038", "nope"}} {
		if got, ok := pops.Sum(codes, "mid-2018"); ok {
			t.Errorf("Sum(%v) = %d, true; want false", codes, got)
		}
	}
	if got, ok := pops.Excluding(CodeEnglandWales, []string{codeGMP}, "mid-2018"); !ok || got != 56303200 {
		t.Errorf("E&W excluding GMP = %d, %v; want 56303200 (ONS YE Sep 2019 P3)", got, ok)
	}
	if got, ok := pops.Excluding(CodeEnglandWales, []string{CodeEnglandWales}, "mid-2018"); ok {
		t.Errorf("E&W excluding itself = %d, true; want false", got)
	}
}

func TestReadPopulations(t *testing.T) {
	type want struct {
		area, vintage  string
		people, hh     int64
		householdsVint string
	}
	for _, tc := range []struct {
		name string
		in   string
		want []want
	}{
		{"basic", "code,name,population,households,vintage\nE23000038,Wiltshire,725000,301000,mid-2019\n",
			[]want{{"E23000038", "mid-2019", 725000, 301000, ""}}},
		{"popm header, any order, BOM, separators", "\ufeffSNHP2018, Name ,MYE2019,CODE\r\n\"1,000\",Wilts,\"1,234,567\",e23000038\n",
			[]want{{"E23000038", "mid-2019", 1234567, 1000, "mid-2018"}}},
		{"name when no code; no households", "code,name,population,vintage\n,\"London, City of \",9000,Mid-2020\n,ENGLAND AND WALES9,60000000,mid-2020\n",
			[]want{{CodeCityOfLondon, "mid-2020", 9000, 0, ""}, {CodeEnglandWales, "mid-2020", 60000000, 0, ""}}},
		{"empty and .. households; blank line", "code,population,households,vintage\nW92000004,3100000,,mid-2019\n\nE12000007,9000000,..,mid-2019\n",
			[]want{{CodeWales, "mid-2019", 3100000, 0, ""}, {regionLondon, "mid-2019", 9000000, 0, ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ReadPopulations("pop.csv", strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			all := p.All()
			if len(all) != len(tc.want) {
				t.Fatalf("got %d populations %+v; want %d", len(all), all, len(tc.want))
			}
			for _, w := range tc.want {
				got, ok := p.Get(w.area, w.vintage)
				if !ok || got.People != w.people || got.Households != w.hh || got.HouseholdsVintage != w.householdsVint || got.Source != "pop.csv" {
					t.Errorf("Get(%s, %s) = %+v, %v; want %+v", w.area, w.vintage, got, ok, w)
				}
			}
		})
	}

	for _, tc := range []struct {
		name, in string
		err      error
		row      int
		column   string
	}{
		{"empty", "", ErrBadHeader, 0, ""},
		{"header only", "code,population,vintage\n", ErrBadRow, 0, ""},
		{"no population column", "code,name,vintage\nE23000038,x,mid-2019\n", ErrNoSuchColumn, 1, "population"},
		{"no code column", "name,population,vintage\nx,1,mid-2019\n", ErrNoSuchColumn, 1, "code"},
		{"no vintage", "code,population\nE23000038,1\n", ErrNoSuchColumn, 1, "vintage"},
		{"unknown column", "code,population,vintage,notes\n", ErrBadHeader, 1, "notes"},
		{"repeated column", "code,population,MYE2019\n", ErrBadHeader, 1, "MYE2019"},
		{"unknown code", "code,population,vintage\nE23000038,1,mid-2019\nE23000099,1,mid-2019\n", ErrUnknownForce, 3, "code"},
		{"unknown name", "code,name,population,vintage\n,Beds Cambs Herts,2706200,mid-2018\n", ErrUnknownForce, 2, "name"},
		{"long name", "code,name,population,vintage\n," + strings.Repeat("x", 300) + ",5,mid-2018\n", ErrUnknownForce, 2, "name"},
		{"no area", "code,name,population,vintage\n,,5,mid-2018\n", ErrBadRow, 2, "code"},
		{"BTP", "code,population,vintage\nBTP,5,mid-2018\n", ErrBadRow, 2, "code"},
		{"bad number", "code,population,vintage\nE23000038,7.2e5,mid-2018\n", ErrBadCount, 2, "population"},
		{"bad grouping", "code,population,vintage\nE23000038,\"72,01,00\",mid-2018\n", ErrBadCount, 2, "population"},
		{"zero people", "code,population,vintage\nE23000038,0,mid-2018\n", ErrBadCount, 2, "population"},
		{"negative households", "code,population,households,vintage\nE23000038,5,-1,mid-2018\n", ErrBadCount, 2, "households"},
		{"bad vintage", "code,population,vintage\nE23000038,5,2018\n", ErrBadRow, 2, "vintage"},
		{"vintages disagree", "code,MYE2018,vintage\nE23000038,5,mid-2019\n", ErrBadRow, 2, "vintage"},
		{"repeated area", "code,name,population,vintage\nE23000038,,5,mid-2018\n,Wiltshire,6,mid-2018\n", ErrBadRow, 3, "code"},
		{"short row", "code,population,vintage\nE23000038,5\n", ErrBadRow, 2, ""},
		{"bad quoting", "code,population,vintage\nE23000038,\"5,mid-2018\n", ErrBadRow, 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ReadPopulations("pop.csv", strings.NewReader(tc.in))
			var re *RowError
			if !errors.As(err, &re) || !errors.Is(err, tc.err) {
				t.Fatalf("got %v, %v; want a RowError wrapping %v", p, err, tc.err)
			}
			if re.File != "pop.csv" || re.Row != tc.row || re.Column != tc.column {
				t.Errorf("got file %q row %d column %q (%v); want pop.csv row %d column %q", re.File, re.Row, re.Column, err, tc.row, tc.column)
			}
		})
	}
}

// TestReadPopulationsPopmFile reads the real popm file: it fails on its
// "Beds Cambs Herts" row, and without that row gives the builtin mid-2018.
func TestReadPopulationsPopmFile(t *testing.T) {
	data, err := os.ReadFile(testutil.Real(t, "mopd-popm", "population_data.csv"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadPopulations("population_data.csv", bytes.NewReader(data))
	var re *RowError
	if !errors.As(err, &re) || re.Row != 35 || re.Column != "name" || !errors.Is(err, ErrUnknownForce) {
		t.Fatalf("got %v; want a RowError at row 35 column name", err)
	}
	fixed := strings.Replace(string(data), ",Beds Cambs Herts,2706200,1082800\n", "", 1)
	p, err := ReadPopulations("population_data.csv", strings.NewReader(fixed))
	if err != nil {
		t.Fatal(err)
	}
	builtin := BuiltinPopulations()
	if got := p.All(); len(got) != 55 {
		t.Fatalf("%d populations; want 55", len(got))
	}
	for _, got := range p.All() {
		want, _ := builtin.Get(got.AreaCode, "mid-2018")
		want.Source = "population_data.csv"
		if got != want {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
	}
}

func TestRate(t *testing.T) {
	for _, tc := range []struct {
		count, people int64
		want          float64
		ok            bool
	}{
		{10, 1000, 10, true},
		{0, 8700, 0, true},
		{1896, 720100, 2.6329676433828637, true},     // Wiltshire S&H 2017/18 per 1,000 at mid-2018
		{5279956, 59115800, 89.31547911049161, true}, // E&W total YE Jun 2019 (ONS prints 89.3154655..., from the unrounded estimate)
		{5, 0, 0, false},
		{5, -100, 0, false},
		{-1, 100, 0, false},
	} {
		got, ok := Rate(tc.count, tc.people)
		if ok != tc.ok || math.Abs(got-tc.want) > 1e-12*math.Max(1, tc.want) {
			t.Errorf("Rate(%d, %d) = %v, %v; want %v, %v", tc.count, tc.people, got, ok, tc.want, tc.ok)
		}
	}
	for code, want := range map[string]bool{CodeBTP: false, CodeCityOfLondon: false, "E23000038": true,
		regionLondon: true, CodeEnglandWales: true, "": false, "E23000099": false} {
		if got := RateMeaningful(code); got != want {
			t.Errorf("RateMeaningful(%q) = %v; want %v", code, got, want)
		}
	}
}

func TestLatestAndMerge(t *testing.T) {
	builtin := BuiltinPopulations()
	if got, want := builtin.Vintages(), []string{"mid-2016", "mid-2017", "mid-2018"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("Vintages() = %v; want %v", got, want)
	}
	user, err := ReadPopulations("user.csv", strings.NewReader(
		"code,population,vintage\nE23000038,1000,mid-2018\nE23000038,2000,mid-2019\nE23000033,3000,mid-2015\n"))
	if err != nil {
		t.Fatal(err)
	}
	merged := builtin.Merge(user)
	for _, tc := range []struct {
		pops        *Populations
		code, month string
		vintage     string // "" for none
		people      int64
	}{
		{builtin, "E23000038", "2018-06", "mid-2018", 720100},
		{builtin, "E23000038", "2018-05", "mid-2017", 716400},
		{builtin, "E23000038", "2030-01", "mid-2018", 720100},
		{builtin, "E23000038", "2016-06", "mid-2016", 710800},
		{builtin, "E23000038", "2016-05", "", 0},
		{builtin, CodeBTP, "2020-01", "", 0},
		{merged, "E23000038", "2019-06", "mid-2019", 2000},
		{merged, "E23000038", "2019-05", "mid-2018", 1000}, // the user's figure wins
		{merged, CodeEnglandWales, "2020-01", "mid-2018", 59115800},
		{merged, "E23000033", "2016-01", "mid-2015", 3000},
	} {
		m, _ := ParseMonth(tc.month)
		got, ok := tc.pops.Latest(tc.code, m)
		if ok != (tc.vintage != "") || got.Vintage != tc.vintage || got.People != tc.people {
			t.Errorf("Latest(%s, %s) = %+v, %v; want %s %d", tc.code, tc.month, got, ok, tc.vintage, tc.people)
		}
	}
	if got, ok := merged.LatestVintage([]string{"E23000038", CodeEnglandWales}, MonthOf(2020, 1)); !ok || got != "mid-2018" {
		t.Errorf("LatestVintage = %q, %v; want mid-2018", got, ok)
	}
	if got, ok := merged.LatestVintage([]string{"E23000033", "E23000038"}, MonthOf(2016, 1)); ok {
		t.Errorf("LatestVintage = %q, true; want false (no vintage has both)", got)
	}
	if got, _ := merged.Get("E23000038", "mid-2018"); got.Source != "user.csv" {
		t.Errorf("merged Wiltshire mid-2018 = %+v; want the user's", got)
	}
	if got, _ := builtin.Get("E23000038", "mid-2018"); got.People != 720100 {
		t.Errorf("Merge changed the builtin: %+v", got)
	}
	if got, want := len(merged.All()), 3*55+2; got != want {
		t.Errorf("merged holds %d; want %d", got, want)
	}
	if got := len(builtin.Merge(nil).All()); got != 3*55 {
		t.Errorf("Merge(nil) holds %d; want %d", got, 3*55)
	}
}

func FuzzReadPopulations(f *testing.F) {
	f.Add([]byte("code,name,population,households,vintage\nE23000038,Wiltshire,725000,301000,mid-2019\n"))
	f.Add([]byte("code,MYE2018\n,Wiltshire,1\n"))
	f.Add([]byte("code,population,vintage\nBTP,1,mid-2018\n\"x"))
	if data, err := os.ReadFile(filepath.Join(testutil.RealDataDir(f, false), "mopd-popm", "population_data.csv")); err == nil {
		f.Add(data)
		f.Add([]byte(strings.Replace(string(data), ",Beds Cambs Herts,2706200,1082800\n", "", 1)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPopulations("fuzz.csv", bytes.NewReader(data))
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("error is not a RowError: %v", err)
			}
			return
		}
		// Row accounting: one population per data record, each usable.
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("read succeeded on bad CSV: %v", err)
		}
		all := p.All()
		if len(all) != len(recs)-1 {
			t.Fatalf("%d populations from %d data rows", len(all), len(recs)-1)
		}
		for _, pop := range all {
			if _, ok := Rate(1, pop.People); !ok || pop.Households < 0 || !vintagePattern.MatchString(pop.Vintage) {
				t.Fatalf("unusable population %+v", pop)
			}
			if _, ok := AreaByCode(pop.AreaCode); !ok || pop.AreaCode == CodeBTP {
				t.Fatalf("bad area in %+v", pop)
			}
		}
	})
}
