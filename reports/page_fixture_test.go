package reports

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/ons"
	"github.com/crimetrends/crimetrends/internal/testutil"
	"github.com/crimetrends/crimetrends/pipeline"
)

const (
	pgWilts  = "E23000038"
	pgSussex = "E23000033"
)

func pgSelector(t testing.TB, s string) datasets.Selector {
	t.Helper()
	sel, err := datasets.ResolveSelector(s)
	if err != nil {
		t.Fatal(err)
	}
	return sel
}

// pgSynthetic is a small synthetic dataset built here: the Home Office
// table's stalking (8Q) and robbery of personal property (34B) for every
// force and BTP in financial quarters from April 2014 to March 2019, and
// data.police.uk burglary and vehicle crime for every force by month from
// January 2017 to March 2019. Counts follow a formula (a size per force,
// a trend, a season), Wiltshire's stalking rising faster than the rest.
func pgSynthetic() pipeline.Data {
	var d pipeline.Data
	areas := append(datasets.Forces(), datasets.Area{Code: datasets.CodeBTP})
	for i, a := range areas {
		size := int64(200 + 37*i%400)
		for q := 0; q < 20; q++ {
			first, last := datasets.FinancialQuarter(2014+q/4, q%4+1)
			d.Coverage = append(d.Coverage, datasets.Coverage{Source: datasets.SourceHomeOffice, AreaCode: a.Code, Start: first, End: last})
			season := int64([]int{0, 8, -5, -3}[q%4])
			stalk := size + int64(q)*size/40 + season
			if a.Code == pgWilts {
				stalk = size + int64(q)*size/15 + season
			}
			rob := size/3 + int64((i*7+q*3)%11) - 5
			d.Counts = append(d.Counts,
				datasets.Count{Source: datasets.SourceHomeOffice, AreaCode: a.Code, Offence: "8Q", Start: first, End: last, Count: stalk},
				datasets.Count{Source: datasets.SourceHomeOffice, AreaCode: a.Code, Offence: "34B", Start: first, End: last, Count: rob})
		}
		if a.Code == datasets.CodeBTP {
			continue
		}
		for k := 0; k < 27; k++ {
			mo := datasets.MonthOf(2017, 1).Add(k)
			d.Coverage = append(d.Coverage, datasets.Coverage{Source: datasets.SourcePoliceUK, AreaCode: a.Code, Start: mo, End: mo})
			season := int64([]int{3, -2, 0, 4, 1, -4, 2, 0, -1, 3, -3, 1}[k%12])
			d.Counts = append(d.Counts,
				datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: a.Code, Offence: "Burglary", Start: mo, End: mo, Count: size/4 + season + int64(k*(i%5-2))/4},
				datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: a.Code, Offence: "Vehicle crime", Start: mo, End: mo, Count: size/5 + season + int64((i+k)%7)})
		}
	}
	datasets.SortCounts(d.Counts)
	return d
}

// pgShort is data.police.uk burglary for four forces for five months: too
// short for a 12-month figure, so the report shows monthly counts.
func pgShort() pipeline.Data {
	var d pipeline.Data
	for i, code := range []string{pgWilts, pgSussex, "E23000034", "W15000004"} {
		for k := 0; k < 5; k++ {
			mo := datasets.MonthOf(2018, 10).Add(k)
			d.Coverage = append(d.Coverage, datasets.Coverage{Source: datasets.SourcePoliceUK, AreaCode: code, Start: mo, End: mo})
			d.Counts = append(d.Counts, datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: code, Offence: "Burglary", Start: mo, End: mo,
				Count: int64(100*(i+1) + 7*k)})
		}
	}
	datasets.SortCounts(d.Counts)
	return d
}

// pgMeta is the Meta of a test report: input names as the CLI gives them
// (no folders), a fixed generation time.
func pgMeta(synthetic bool) Meta {
	return Meta{
		Synthetic:   synthetic,
		Version:     "test",
		GeneratedAt: time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC),
		Inputs: []InputSummary{
			{Name: "prc-pfa-mar2013-onwards-tables.csv", Source: "homeoffice", SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", Rows: 1234},
			{Name: "2019-03.zip: 2019-03/2019-03-wiltshire-street.csv", Source: "policeuk", SHA256: "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", Rows: 567},
		},
		Vintages: []VintageSummary{{ID: "v000001", IngestedAt: time.Date(2025, 5, 31, 8, 0, 0, 0, time.UTC), Inputs: 2}},
		Outputs:  []OutputLink{{Name: "workbook.xlsx", Description: "the workbook"}, {Name: "trends.csv", Description: "every figure"}},
		Completeness: []CompletenessSheet{{Source: "policeuk", Months: []datasets.Month{datasets.MonthOf(2019, 1), datasets.MonthOf(2019, 2), datasets.MonthOf(2019, 3)},
			Areas: []CompletenessArea{{AreaCode: pgWilts, AreaName: "Wiltshire", Covered: []bool{true, true, true}}, {AreaCode: pgSussex, AreaName: "Sussex", Covered: []bool{true, false, false}}}}},
	}
}

// pgCase is one report of the page tests.
type pgCase struct {
	name string
	rep  *pipeline.Report
	meta Meta
}

func pgAnswer(t testing.TB, d pipeline.Data, req pipeline.Request) *pipeline.Report {
	t.Helper()
	rep, err := pipeline.Answer(context.Background(), d, req)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// pgCases are the reports the page tests render: the synthetic dataset for
// Wiltshire (with a peer group and an event) and for England and Wales
// alone, and the short data.police.uk months.
func pgCases(t testing.TB) []pgCase {
	t.Helper()
	syn := pgSynthetic()
	offences := []datasets.Selector{pgSelector(t, "Stalking and harassment"), pgSelector(t, "Robbery"), pgSelector(t, "Burglary"), pgSelector(t, "Vehicle crime")}
	wilts := pgAnswer(t, syn, pipeline.Request{
		Forces: []string{pgWilts}, Offences: offences, Period: datasets.MonthOf(2019, 3),
		PeerGroups: []datasets.PeerGroup{{Name: "Most similar forces", Members: []string{"E23000039", "E23000037", "E23000017"}}},
		Events:     []datasets.Event{{Month: datasets.MonthOf(2018, 7), Label: "New crime recording system", AreaCode: pgWilts, Source: "config"}},
	})
	national := pgAnswer(t, syn, pipeline.Request{Offences: offences[:2]})
	short := pgAnswer(t, pgShort(), pipeline.Request{Forces: []string{pgWilts}, Offences: []datasets.Selector{pgSelector(t, "Burglary")}})
	return []pgCase{
		{"synthetic", wilts, pgMeta(true)},
		{"national", national, pgMeta(true)},
		{"short", short, pgMeta(false)},
	}
}

var pgONS struct {
	once sync.Once
	rows []datasets.Published
	err  error
}

// pgRealONS reads the eight real ONS PFA workbooks once per test binary,
// skipping the test when the samples are not there.
func pgRealONS(t testing.TB) []datasets.Published {
	t.Helper()
	dir := testutil.Real(t, "ons-pfa-tables")
	pgONS.once.Do(func() {
		names, err := filepath.Glob(filepath.Join(dir, "*.xlsx"))
		if err != nil {
			pgONS.err = err
			return
		}
		sort.Strings(names)
		for _, n := range names {
			f, err := os.Open(n)
			if err != nil {
				pgONS.err = err
				return
			}
			rel, err := ons.ReadPFA(context.Background(), filepath.Base(n), f)
			f.Close()
			if err != nil {
				pgONS.err = err
				return
			}
			pgONS.rows = append(pgONS.rows, rel.Rows...)
		}
	})
	if pgONS.err != nil {
		t.Fatal(pgONS.err)
	}
	return pgONS.rows
}

// pgRealSeed is the seed question on the ONS workbooks alone: Wiltshire
// and Sussex, stalking and harassment, the 12 months to September 2018.
func pgRealSeed(t testing.TB) *pipeline.Report {
	t.Helper()
	return pgAnswer(t, pipeline.Data{Published: pgRealONS(t)}, pipeline.Request{
		Forces:   []string{pgWilts, pgSussex},
		Offences: []datasets.Selector{pgSelector(t, "Stalking and harassment")},
		Period:   datasets.MonthOf(2018, 9),
	})
}

// pgRender runs Pages with a stub script and returns the pages by name, in
// the order emitted.
func pgRender(t testing.TB, rep *pipeline.Report, meta Meta) ([]Page, map[string][]byte) {
	t.Helper()
	restore := pgStubEcharts()
	defer restore()
	var pages []Page
	byName := map[string][]byte{}
	err := Pages(rep, meta, func(p Page) error {
		if _, dup := byName[p.Name]; dup {
			t.Errorf("page %s emitted twice", p.Name)
		}
		pages = append(pages, p)
		byName[p.Name] = p.HTML
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages, byName
}

// pgStubScript stands in for echarts in the tests, so goldens stay small.
const pgStubScript = "/* echarts stub for tests */"

var pgStubMu sync.Mutex

func pgStubEcharts() func() {
	pgStubMu.Lock()
	old := EchartsJS
	EchartsJS = func() ([]byte, error) { return []byte(pgStubScript), nil }
	return func() {
		EchartsJS = old
		pgStubMu.Unlock()
	}
}
