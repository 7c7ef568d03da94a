package reports

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// Real ONS codes: the fixture is synthetic, but its areas are the real ones
// so that regions, countries, populations and ranks work as they do on
// real data.
const (
	bookWilts  = "E23000038"
	bookSussex = "E23000033"
	bookGMP    = "E23000005"
	bookCity   = "E23000034"
)

// bookPublished makes two synthetic ONS releases of stalking and
// harassment for every force, BTP, region, country and England and Wales:
// the year ending September 2017 and the year ending September 2018, whose
// percentage changes imply slightly revised counts for 2017. Greater
// Manchester is ".." in 2018 (so ONS's totals leave it out) and City of
// London's base is under 50 ("-").
func bookPublished() []datasets.Published {
	const offence = "Stalking and harassment"
	pops := datasets.BuiltinPopulations()
	type fig struct{ now, before int64 }
	var rows []datasets.Published
	for _, rel := range []struct {
		id  string
		end datasets.Month
	}{{"ons-pfa-2017-09", datasets.MonthOf(2017, 9)}, {"ons-pfa-2018-09", datasets.MonthOf(2018, 9)}} {
		late := rel.end == datasets.MonthOf(2018, 9)
		sums := map[string]*fig{}
		add := func(code string, f fig) {
			if sums[code] == nil {
				sums[code] = &fig{}
			}
			sums[code].now += f.now
			sums[code].before += f.before
		}
		row := func(a datasets.Area, f fig) datasets.Published {
			p := datasets.Published{Release: rel.id, File: rel.id + ".xlsx", AreaCode: a.Code, AreaName: a.Name, Offence: offence,
				PeriodEnd: rel.end, Months: 12, HasCount: true, Count: f.now}
			if f.before >= 50 {
				p.HasPct, p.PctChange = true, 100*float64(f.now-f.before)/float64(f.before)
			} else {
				p.PctMarker = "-"
			}
			if pop, ok := pops.Latest(a.Code, rel.end); ok && a.Kind != datasets.KindBTP {
				p.HasRate, p.Rate, p.Population = true, math.Round(10000*float64(f.now)/float64(pop.People))/10, pop.People
			}
			return p
		}
		for i, a := range datasets.Forces() {
			before := int64(700 + 61*i)
			now := before + int64((i*37)%260) - 60
			if !late {
				now, before = before+int64(i%5), before-40
			}
			if a.Code == bookCity {
				now, before = 44, 31
			}
			if a.Code == bookWilts && late {
				now, before = 2182, 1904
			}
			if a.Code == bookGMP && late {
				rows = append(rows, datasets.Published{Release: rel.id, File: rel.id + ".xlsx", AreaCode: a.Code, AreaName: a.Name,
					Offence: offence, PeriodEnd: rel.end, Months: 12, CountMarker: "..", PctMarker: "..", RateMarker: ".."})
				continue
			}
			f := fig{now, before}
			rows = append(rows, row(a, f))
			add(datasets.CodeEnglandWales, f)
			if a.Region != "" {
				add(a.Region, f)
			}
			if a.Country != "" {
				add(a.Country, f)
			}
		}
		for _, a := range datasets.Areas() {
			if a.Kind == datasets.KindRegion || a.Kind == datasets.KindCountry || a.Kind == datasets.KindNation {
				rows = append(rows, row(a, *sums[a.Code]))
			}
		}
	}
	return rows
}

// bookCounts adds a Home Office table's quarterly counts of stalking (8Q)
// for Wiltshire and Dorset, a little off the published figures (a revision
// to reconcile), and data.police.uk's monthly violence and sexual offences
// for Wiltshire alone.
func bookCounts() ([]datasets.Count, []datasets.Coverage) {
	var counts []datasets.Count
	var cov []datasets.Coverage
	for _, f := range []struct {
		code string
		q    int64
	}{{bookWilts, 548}, {"E23000039", 301}} {
		for q := 0; q < 8; q++ {
			start := datasets.MonthOf(2016, 10).Add(3 * q)
			counts = append(counts, datasets.Count{Source: datasets.SourceHomeOffice, AreaCode: f.code, Offence: "8Q",
				Start: start, End: start.Add(2), Count: f.q + int64(q*3)})
			cov = append(cov, datasets.Coverage{Source: datasets.SourceHomeOffice, AreaCode: f.code, Start: start, End: start.Add(2)})
		}
	}
	for m := datasets.MonthOf(2016, 10); m <= datasets.MonthOf(2018, 9); m = m.Add(1) {
		counts = append(counts, datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: bookWilts, Offence: "Violence and sexual offences",
			Start: m, End: m, Count: 1500 + int64(m.MonthOfYear()*11)})
		cov = append(cov, datasets.Coverage{Source: datasets.SourcePoliceUK, AreaCode: bookWilts, Start: m, End: m})
	}
	return counts, cov
}

func bookSelector(t testing.TB, s string) datasets.Selector {
	t.Helper()
	sel, err := datasets.ResolveSelector(s)
	if err != nil {
		t.Fatal(err)
	}
	return sel
}

// bookReport is the report of the workbook and CSV goldens: Wiltshire and
// Sussex, stalking and harassment and data.police.uk's violence and sexual
// offences, the 12 months to September 2018, with a peer group.
func bookReport(t testing.TB) *pipeline.Report {
	t.Helper()
	counts, cov := bookCounts()
	rep, err := pipeline.Answer(context.Background(), pipeline.Data{Counts: counts, Coverage: cov, Published: bookPublished()}, pipeline.Request{
		Forces:   []string{bookWilts, bookSussex},
		Offences: []datasets.Selector{bookSelector(t, "Stalking and harassment"), bookSelector(t, "Violence and sexual offences")},
		Period:   datasets.MonthOf(2018, 9),
		PeerGroups: []datasets.PeerGroup{{Name: "Most similar forces",
			Members: []string{"E23000039", "E23000037", bookWilts, "E23000023", "E23000010", "E23000017"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// bookMeta is the golden workbook's provenance: fixed, with no machine's
// folders in it.
func bookMeta() Meta {
	months := func(from, to datasets.Month) []datasets.Month {
		var out []datasets.Month
		for m := from; m <= to; m = m.Add(1) {
			out = append(out, m)
		}
		return out
	}
	ms := months(datasets.MonthOf(2018, 4), datasets.MonthOf(2018, 9))
	return Meta{
		Version:     "v0.0.0-test",
		GeneratedAt: time.Date(2018, 12, 3, 9, 0, 0, 0, time.UTC),
		Inputs: []InputSummary{
			{Name: "ons-pfa-2017-09.xlsx", Source: datasets.SourceONSPFA, SHA256: "1111111111111111111111111111111111111111111111111111111111111111", Rows: 1288},
			{Name: "ons-pfa-2018-09.xlsx", Source: datasets.SourceONSPFA, SHA256: "2222222222222222222222222222222222222222222222222222222222222222", Rows: 1288},
			{Name: "prc-pfa-tables.csv", Source: datasets.SourceHomeOffice, SHA256: "3333333333333333333333333333333333333333333333333333333333333333", Rows: 16},
			{Name: "2018-09.zip: 2018-09/2018-09-wiltshire-street.csv", Source: datasets.SourcePoliceUK, SHA256: "4444444444444444444444444444444444444444444444444444444444444444", Rows: 1700},
		},
		Vintages: []VintageSummary{{ID: "20181203T090000Z", IngestedAt: time.Date(2018, 12, 3, 9, 0, 0, 0, time.UTC), Inputs: 4}},
		Completeness: []CompletenessSheet{
			{Source: datasets.SourceHomeOffice, Months: ms, Areas: []CompletenessArea{
				{AreaCode: bookWilts, AreaName: "Wiltshire", Covered: []bool{true, true, true, true, true, true}},
				{AreaCode: "E23000039", AreaName: "Dorset", Covered: []bool{true, true, true, false, false, false}},
			}},
			{Source: datasets.SourcePoliceUK, Months: ms, Areas: []CompletenessArea{
				{AreaCode: bookWilts, AreaName: "Wiltshire", Covered: []bool{true, false, true, true, true, true}},
				{AreaCode: datasets.CodeBTP, AreaName: "British Transport Police", Covered: []bool{false, false, false, false, false, false}},
			}},
		},
	}
}
