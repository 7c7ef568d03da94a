package pipeline

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// Codes of the forces the synthetic cases use.
const (
	cmpAvon      = "E23000036"
	cmpDevon     = "E23000035"
	cmpDorset    = "E23000039"
	cmpGlos      = "E23000037"
	cmpWilts     = "E23000038"
	cmpCleveland = "E23000013"
	cmpDurham    = "E23000008"
	cmpNorthumb  = "E23000007"
	cmpGwent     = "W15000002"
	cmpSource    = "test"
	cmpOffence   = "Stalking and harassment"
)

var cmpEnd = datasets.MonthOf(2019, 3) // rates use mid-2018 populations

// cmpRow is one force's trend row in the 12 months to March 2019; prev < 0
// means no previous window.
func cmpRow(code string, count, prev int64) datasets.Trend {
	a, _ := datasets.AreaByCode(code)
	t := datasets.Trend{AreaCode: code, AreaName: a.Name, Offence: cmpOffence, PeriodEnd: cmpEnd, Months: 12,
		Count: count, Source: cmpSource}
	if prev >= 0 {
		t.HasPrevious, t.Previous, t.Change = true, prev, count-prev
	}
	return t
}

// cmpNational is every force in the 12 months to March 2019. Two regions
// carry hand-picked figures (count, previous):
//
//	South West  Avon and Somerset 3000/2500 (+20.0%), Devon and Cornwall
//	            2000/none (a month missing a year earlier), Dorset 900/1000
//	            (-10.0%), Gloucestershire 550/500 (+10.0%), Wiltshire
//	            1200/1000 (+20.0%)
//	North East  Cleveland 500/500 (0%), Durham 11004/10000 (+10.04%),
//	            Northumbria 60/40 (base under 50: no percentage)
//
// The other 35 forces (31 English, the 4 Welsh) have 1000/1000 and BTP has
// 5000/4000. An England and Wales row is added to show aggregates are
// ignored.
func cmpNational() []datasets.Trend {
	special := map[string][2]int64{
		cmpAvon: {3000, 2500}, cmpDevon: {2000, -1}, cmpDorset: {900, 1000}, cmpGlos: {550, 500}, cmpWilts: {1200, 1000},
		cmpCleveland: {500, 500}, cmpDurham: {11004, 10000}, cmpNorthumb: {60, 40},
	}
	var out []datasets.Trend
	for _, f := range datasets.Forces() {
		if s, ok := special[f.Code]; ok {
			out = append(out, cmpRow(f.Code, s[0], s[1]))
			continue
		}
		switch f.Kind {
		case datasets.KindForce:
			out = append(out, cmpRow(f.Code, 1000, 1000))
		case datasets.KindBTP:
			out = append(out, cmpRow(f.Code, 5000, 4000))
		}
	}
	ew := cmpRow(datasets.CodeEnglandWales, 999999, 1)
	ew.AreaName = "England and Wales"
	return append(out, ew)
}

func TestCompareNational(t *testing.T) {
	peers := []datasets.PeerGroup{
		{Name: "Most similar forces", Members: []string{cmpWilts, cmpDorset, cmpDurham, cmpGlos}},
		{Name: "Solo", Members: []string{cmpWilts}},
	}
	got, err := Compare(cmpNational(), CompareOptions{Forces: []string{cmpWilts, cmpDevon, cmpGwent}, Peers: peers})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d comparisons, want 3 (Wiltshire, Devon and Cornwall, Gwent in that order)", len(got))
	}
	for i, code := range []string{cmpWilts, cmpDevon, cmpGwent} {
		if got[i].Force.AreaCode != code {
			t.Errorf("comparison %d is for %s, want %s", i, got[i].Force.AreaCode, code)
		}
	}

	// Window-wide figures, the same in every comparison (the ranks of this
	// fixture are TestRankFigures').
	for _, c := range got {
		if c.Source != cmpSource || c.Offence != cmpOffence || c.PeriodEnd != cmpEnd || c.Months != 12 || c.Window != "" {
			t.Errorf("%s: window %q %q %s %d %q, want test, %q, 2019-03, 12, \"\"", c.Force.Label, c.Source, c.Offence, c.PeriodEnd, c.Months, c.Window, cmpOffence)
		}
		// England and Wales excluding the force is the sum of every other
		// force and BTP with both windows.
		var count, prev int64
		for _, tr := range cmpNational() {
			if tr.AreaCode == c.Force.AreaCode || tr.AreaCode == datasets.CodeEnglandWales || !tr.HasPrevious {
				continue
			}
			count, prev = count+tr.Count, prev+tr.Previous
		}
		ew := c.Comparators[0]
		if ew.Kind != datasets.ComparatorEnglandWales || ew.Count != count || ew.Previous != prev {
			t.Errorf("%s: England and Wales comparator %s %d/%d, want %s %d/%d", c.Force.Label, ew.Kind, ew.Count, ew.Previous,
				datasets.ComparatorEnglandWales, count, prev)
		}
	}

	w := got[0]
	wantForce := datasets.Comparator{Kind: datasets.ComparatorForce, AreaCode: cmpWilts, Label: "Wiltshire",
		Members: []string{cmpWilts}, Count: 1200, HasPrevious: true, Previous: 1000, Change: 200, HasPct: true, PctChange: 20,
		HasRate: true, Rate: 1200.0 * 1000 / 720100, Population: 720100, PopulationVintage: "mid-2018"} // 1.6664 per 1,000
	checkCmp(t, "Wiltshire", w.Force, wantForce)

	if len(w.Comparators) != 4 {
		t.Fatalf("Wiltshire: %d comparators, want 4 (E&W, England, South West, Most similar forces): %+v", len(w.Comparators), w.Comparators)
	}
	devonOut := []string{"Devon and Cornwall"}
	var ewMembers, engMembers []string
	for _, f := range datasets.Forces() {
		if f.Code == cmpWilts || f.Code == cmpDevon {
			continue
		}
		ewMembers = append(ewMembers, f.Code)
		if f.Country == datasets.CodeEngland {
			engMembers = append(engMembers, f.Code)
		}
	}
	ewMembers = cmpSorted(ewMembers)
	engMembers = cmpSorted(engMembers)
	wants := []datasets.Comparator{
		{
			// Count: Avon 3000 + Dorset 900 + Glos 550 + Cleveland 500 +
			// Durham 11004 + Northumbria 60 + 35 x 1000 + BTP 5000 = 56,014.
			// Previous: 2500 + 1000 + 500 + 500 + 10000 + 40 + 35,000 + 4000
			// = 53,540. Change 2,474 = 4.62%. Rate: (56,014 - BTP 5,000) per
			// 1,000 of E&W 59,115,800 less Wiltshire 720,100 and Devon and
			// Cornwall 1,762,400 = 56,633,300: 0.9008.
			Kind: datasets.ComparatorEnglandWales, AreaCode: datasets.CodeEnglandWales,
			Label:   "England and Wales excluding Wiltshire and Devon and Cornwall",
			Members: ewMembers, LeftOut: devonOut,
			Count: 56014, HasPrevious: true, Previous: 53540, Change: 2474, HasPct: true, PctChange: 100 * 2474.0 / 53540,
			HasRate: true, Rate: 51014.0 * 1000 / 56633300, Population: 56633300, PopulationVintage: "mid-2018",
			Note: "the rate per 1,000 leaves out British Transport Police's 5,000 offences, as BTP has no resident population",
		},
		{
			// England: E&W less the 4 Welsh fillers and BTP: 56,014 - 4,000
			// - 5,000 = 47,014; 53,540 - 4,000 - 4,000 = 45,540. Population:
			// 55,977,200 - 720,100 - 1,762,400 = 53,494,700; rate 0.8789.
			Kind: datasets.ComparatorCountry, AreaCode: datasets.CodeEngland,
			Label:   "England excluding Wiltshire and Devon and Cornwall",
			Members: engMembers, LeftOut: devonOut,
			Count: 47014, HasPrevious: true, Previous: 45540, Change: 1474, HasPct: true, PctChange: 100 * 1474.0 / 45540,
			HasRate: true, Rate: 47014.0 * 1000 / 53494700, Population: 53494700, PopulationVintage: "mid-2018",
		},
		{
			// Avon 3000 + Dorset 900 + Glos 550 = 4,450 on 2500 + 1000 +
			// 500 = 4,000: +450, +11.25%. Population: South West 5,599,700
			// less 720,100 and 1,762,400 = 3,117,200; rate 1.4276.
			Kind: datasets.ComparatorRegion, AreaCode: "E12000009",
			Label:   "South West excluding Wiltshire and Devon and Cornwall",
			Members: []string{cmpAvon, cmpGlos, cmpDorset}, LeftOut: devonOut,
			Count: 4450, HasPrevious: true, Previous: 4000, Change: 450, HasPct: true, PctChange: 11.25,
			HasRate: true, Rate: 4450.0 * 1000 / 3117200, Population: 3117200, PopulationVintage: "mid-2018",
		},
		{
			// Dorset 900 + Durham 11,004 + Glos 550 = 12,454 on 1000 + 10000
			// + 500 = 11,500: +954, +8.30%. Population 772,300 + 633,500 +
			// 633,600 = 2,039,400: weighted rate 6.1067, where the mean of
			// the three rates (1.1654, 17.3702, 0.8681) would be 6.4679.
			Kind: datasets.ComparatorPeers, Label: "Most similar forces excluding Wiltshire",
			Members: []string{cmpDurham, cmpGlos, cmpDorset},
			Count:   12454, HasPrevious: true, Previous: 11500, Change: 954, HasPct: true, PctChange: 100 * 954.0 / 11500,
			HasRate: true, Rate: 12454.0 * 1000 / 2039400, Population: 2039400, PopulationVintage: "mid-2018",
		},
	}
	for i, want := range wants {
		checkCmp(t, want.Label, w.Comparators[i], want)
	}
	meanOfRates := (900.0*1000/772300 + 11004.0*1000/633500 + 550.0*1000/633600) / 3
	if math.Abs(w.Comparators[3].Rate-meanOfRates) < 0.1 {
		t.Errorf("peer rate %.4f is the mean of rates %.4f: want summed counts over summed population", w.Comparators[3].Rate, meanOfRates)
	}
	wantNotes := []string{
		"Devon and Cornwall left out of both years: no complete data for the 12 months to March 2018.",
		"Solo has no member but Wiltshire: no peer comparison.",
	}
	if !reflect.DeepEqual(w.Notes, wantNotes) {
		t.Errorf("Wiltshire notes:\n got %q\nwant %q", w.Notes, wantNotes)
	}

	// Devon and Cornwall: no previous of its own, so no rank; every other
	// member has both windows, so nothing is left out of its comparators.
	d := got[1]
	wantDevon := datasets.Comparator{Kind: datasets.ComparatorForce, AreaCode: cmpDevon, Label: "Devon and Cornwall",
		Members: []string{cmpDevon}, Count: 2000,
		HasRate: true, Rate: 2000.0 * 1000 / 1762400, Population: 1762400, PopulationVintage: "mid-2018", // 1.1348
		Note: "no complete data for the 12 months to March 2018: change not shown"}
	checkCmp(t, "Devon and Cornwall", d.Force, wantDevon)
	if len(d.Notes) != 0 {
		t.Errorf("Devon and Cornwall: notes %q; want none", d.Notes)
	}
	// South West excluding Devon and Cornwall: Avon 3000 + Dorset 900 +
	// Glos 550 + Wilts 1200 = 5,650 on 2500 + 1000 + 500 + 1000 = 5,000.
	sw := d.Comparators[2]
	if sw.Label != "South West excluding Devon and Cornwall" || sw.Count != 5650 || sw.Previous != 5000 || sw.LeftOut != nil {
		t.Errorf("Devon's region: %q %d/%d left out %q; want South West excluding Devon and Cornwall 5650/5000, none", sw.Label, sw.Count, sw.Previous, sw.LeftOut)
	}

	// Gwent: Wales excluding Gwent is the other three Welsh forces, 3,000
	// on 3,000, population 3,138,600 - 591,200 = 2,547,400; no region.
	g := got[2]
	if len(g.Comparators) != 4 {
		t.Fatalf("Gwent: %d comparators, want 4 (E&W, Wales and the two peer groups)", len(g.Comparators))
	}
	wantWales := datasets.Comparator{Kind: datasets.ComparatorCountry, AreaCode: datasets.CodeWales, Label: "Wales excluding Gwent",
		Members: []string{"W15000001", "W15000003", "W15000004"}, Count: 3000, HasPrevious: true, Previous: 3000, HasPct: true,
		HasRate: true, Rate: 3000.0 * 1000 / 2547400, Population: 2547400, PopulationVintage: "mid-2018"}
	checkCmp(t, "Gwent", g.Comparators[1], wantWales)
	// Peer groups compare every chosen force; Gwent is in neither, so
	// neither label excludes it. Most similar forces: Wiltshire 1200 +
	// Dorset 900 + Durham 11,004 + Glos 550 = 13,654 on 1000 + 1000 +
	// 10000 + 500 = 12,500; population 720,100 + 772,300 + 633,500 +
	// 633,600 = 2,759,500. Solo: Wiltshire alone.
	wantPeers := []datasets.Comparator{
		{Kind: datasets.ComparatorPeers, Label: "Most similar forces", Members: []string{cmpDurham, cmpGlos, cmpWilts, cmpDorset},
			Count: 13654, HasPrevious: true, Previous: 12500, Change: 1154, HasPct: true, PctChange: 100 * 1154.0 / 12500,
			HasRate: true, Rate: 13654.0 * 1000 / 2759500, Population: 2759500, PopulationVintage: "mid-2018"},
		{Kind: datasets.ComparatorPeers, Label: "Solo", Members: []string{cmpWilts},
			Count: 1200, HasPrevious: true, Previous: 1000, Change: 200, HasPct: true, PctChange: 20,
			HasRate: true, Rate: 1200.0 * 1000 / 720100, Population: 720100, PopulationVintage: "mid-2018"},
	}
	for i, want := range wantPeers {
		checkCmp(t, "Gwent "+want.Label, g.Comparators[2+i], want)
	}
}

func cmpSorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func checkCmp(t *testing.T, name string, got, want datasets.Comparator) {
	t.Helper()
	const eps = 1e-9
	if math.Abs(got.Rate-want.Rate) > eps || math.Abs(got.PctChange-want.PctChange) > eps {
		t.Errorf("%s: rate %.10f pct %.10f, want rate %.10f pct %.10f", name, got.Rate, got.PctChange, want.Rate, want.PctChange)
	}
	got.Rate, got.PctChange, want.Rate, want.PctChange = 0, 0, 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
	}
}

func TestCompareRanksAndSmallSets(t *testing.T) {
	// Four forces and City of London only. Rates per 1,000 (mid-2018):
	// Gloucestershire 2000/633,600 = 3.1566; Dorset 1287/772,300 = 1.66645
	// and Wiltshire 1200/720,100 = 1.66644, which share rank 2 at 1.7;
	// Avon and Somerset 1500/1,711,500 = 0.876, rank 4; City of London has
	// no rate. Percentages: Wiltshire 1200/1000 = +20.0, Dorset 1287/1000 =
	// +28.7, Gloucestershire, Avon and Somerset and City 0: Dorset 1,
	// Wiltshire 2, the other three 3.
	trends := []datasets.Trend{
		cmpRow(cmpWilts, 1200, 1000), cmpRow(cmpDorset, 1287, 1000), cmpRow(cmpGlos, 2000, 2000),
		cmpRow(cmpAvon, 1500, 1500), cmpRow(datasets.CodeCityOfLondon, 100, 100),
	}
	got, err := Compare(trends, CompareOptions{Forces: []string{cmpGlos, cmpWilts, cmpWilts, datasets.CodeCityOfLondon, cmpDorset}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		code                               string
		rank, rateRank                     int
		comparators                        []string
		notes                              []string
		rose, fell, same, compared, ranked int
		rateRanked                         int
	}{
		// South West without Gloucestershire is four forces, of which one
		// (Devon and Cornwall) has no data: under the like-for-like rule
		// (at most three, and fewer than half) it is given without it.
		{cmpGlos, 3, 1, []string{"South West excluding Gloucestershire and Devon and Cornwall"},
			[]string{
				"England and Wales excluding Gloucestershire not shown: 38 of 42 forces lack complete data for the 12 months to March 2019 or the 12 months to March 2018 (a total may leave out at most 3, and fewer than half).",
				"England excluding Gloucestershire not shown: 34 of 38 forces lack complete data for the 12 months to March 2019 or the 12 months to March 2018 (a total may leave out at most 3, and fewer than half).",
				"Devon and Cornwall left out of both years: no complete data for the 12 months to March 2019.",
			}, 2, 0, 3, 5, 5, 4},
		{cmpWilts, 2, 2, []string{"South West excluding Wiltshire and Devon and Cornwall"}, nil, 2, 0, 3, 5, 5, 4},
		// London excluding City of London is the Metropolitan Police,
		// which has no row: too few.
		{datasets.CodeCityOfLondon, 3, 0, nil, nil, 2, 0, 3, 5, 5, 4},
		{cmpDorset, 1, 2, []string{"South West excluding Dorset and Devon and Cornwall"}, nil, 2, 0, 3, 5, 5, 4},
	}
	if len(got) != len(tests) {
		t.Fatalf("got %d comparisons, want %d", len(got), len(tests))
	}
	for i, tc := range tests {
		c := got[i]
		if c.Force.AreaCode != tc.code {
			t.Fatalf("comparison %d for %s, want %s", i, c.Force.AreaCode, tc.code)
		}
		var labels []string
		for _, cmp := range c.Comparators {
			labels = append(labels, cmp.Label)
		}
		if !reflect.DeepEqual(labels, tc.comparators) {
			t.Errorf("%s: comparators %q; want %q", tc.code, labels, tc.comparators)
		}
		if tc.notes != nil && !reflect.DeepEqual(c.Notes, tc.notes) {
			t.Errorf("%s notes:\n got %q\nwant %q", tc.code, c.Notes, tc.notes)
		}
	}
	city := got[2].Force
	if city.HasRate || !strings.Contains(city.Note, "City of London's resident population is too small") {
		t.Errorf("City of London: HasRate %v note %q; want no rate and a note", city.HasRate, city.Note)
	}
	// South West excluding Wiltshire: Avon and Somerset 1500 + Dorset 1287
	// + Glos 2000 = 4,787 on 4,500; population 5,599,700 - 720,100 -
	// 1,762,400 = 3,117,200 (the region less Wiltshire and the one left
	// out).
	sw := got[1].Comparators[0]
	if sw.Count != 4787 || sw.Previous != 4500 || sw.Population != 3117200 ||
		!reflect.DeepEqual(sw.LeftOut, []string{"Devon and Cornwall"}) {
		t.Errorf("South West: %d/%d population %d left out %q; want 4787/4500 3117200 [Devon and Cornwall]",
			sw.Count, sw.Previous, sw.Population, sw.LeftOut)
	}
}

func TestCompareNoPrevious(t *testing.T) {
	// No force has the earlier window: comparators are built on the
	// current one and say why there is no change.
	var trends []datasets.Trend
	for _, f := range datasets.Forces() {
		if f.Kind == datasets.KindForce {
			trends = append(trends, cmpRow(f.Code, 100, -1))
		}
	}
	got, err := Compare(trends, CompareOptions{Forces: []string{cmpWilts}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Comparators) != 3 {
		t.Fatalf("got %+v, want one comparison with 3 comparators", got)
	}
	ew := got[0].Comparators[0]
	// 42 forces x 100; no BTP rows, so BTP is no member.
	if ew.Count != 4200 || ew.HasPrevious || ew.HasPct || len(ew.Members) != 42 ||
		!strings.HasPrefix(ew.Note, "change not shown: only 0 of 42 forces have complete data for the 12 months to March 2018") {
		t.Errorf("E&W: count %d previous %v pct %v members %d note %q", ew.Count, ew.HasPrevious, ew.HasPct, len(ew.Members), ew.Note)
	}
}

func TestCompareBTP(t *testing.T) {
	got, err := Compare(cmpNational(), CompareOptions{Forces: []string{datasets.CodeBTP}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Comparators) != 1 {
		t.Fatalf("got %+v, want one comparison with England and Wales only", got)
	}
	c := got[0]
	// E&W excluding BTP: the 42 forces with both windows (not Devon and
	// Cornwall): 56,014 - 5,000 BTP + 1,200 Wiltshire = 52,214.
	ew := c.Comparators[0]
	if ew.Label != "England and Wales excluding British Transport Police and Devon and Cornwall" || ew.Count != 52214 || c.Force.HasRate {
		t.Errorf("BTP: %q count %d, own rate %v", ew.Label, ew.Count, c.Force.HasRate)
	}
}

func TestCompareErrors(t *testing.T) {
	tests := []struct {
		name   string
		trends []datasets.Trend
		opts   CompareOptions
		want   string
	}{
		{"unknown force", nil, CompareOptions{Forces: []string{"E23999999"}}, "unknown force code"},
		{"region chosen", nil, CompareOptions{Forces: []string{"E12000009"}}, "not a police force area"},
		{"bad peer", nil, CompareOptions{Forces: []string{cmpWilts}, Peers: []datasets.PeerGroup{{Name: "P", Members: []string{"X"}}}}, "unknown force code"},
		{"negative base", nil, CompareOptions{MinBase: -1}, "minimum base"},
		{"unknown area", []datasets.Trend{{AreaCode: "nowhere", Months: 12}}, CompareOptions{}, "unknown area code"},
		{"duplicate", []datasets.Trend{cmpRow(cmpWilts, 1, 1), cmpRow(cmpWilts, 2, 2)}, CompareOptions{}, "a second row"},
		{"no months", []datasets.Trend{{AreaCode: cmpWilts}}, CompareOptions{}, "window of 0 months"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compare(tc.trends, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestCompareRateFor(t *testing.T) {
	tests := []struct {
		name    string
		code    string
		count   int64
		end     datasets.Month
		rate    float64
		people  int64
		vintage string
		ok      bool
	}{
		// 43,164 offences in Wiltshire (ONS YE Mar 2019 P1) per 1,000 of
		// 720,100 = 59.9417 (ONS prints 59.945 from unrounded figures).
		{"Wiltshire mid-2018", cmpWilts, 43164, datasets.MonthOf(2019, 3), 43164.0 * 1000 / 720100, 720100, "mid-2018", true},
		// March 2018 is before June 2018: mid-2017, 716,400 -> 60.2513.
		{"Wiltshire mid-2017", cmpWilts, 43164, datasets.MonthOf(2018, 3), 43164.0 * 1000 / 716400, 716400, "mid-2017", true},
		// June 2018 is the reference month of mid-2018 itself.
		{"Dorset mid-2018", cmpDorset, 1287, datasets.MonthOf(2018, 6), 1287.0 * 1000 / 772300, 772300, "mid-2018", true},
		{"before mid-2016", cmpWilts, 100, datasets.MonthOf(2016, 5), 0, 0, "", false},
		{"BTP", datasets.CodeBTP, 100, datasets.MonthOf(2019, 3), 0, 0, "", false},
		{"City of London", datasets.CodeCityOfLondon, 100, datasets.MonthOf(2019, 3), 0, 0, "", false},
		{"region", "E12000009", 5599700, datasets.MonthOf(2019, 3), 1000, 5599700, "mid-2018", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rate, people, vintage, ok := RateFor(nil, tc.code, tc.count, tc.end)
			if math.Abs(rate-tc.rate) > 1e-9 || people != tc.people || vintage != tc.vintage || ok != tc.ok {
				t.Errorf("got %.6f %d %q %v, want %.6f %d %q %v", rate, people, vintage, ok, tc.rate, tc.people, tc.vintage, tc.ok)
			}
		})
	}
}

func TestCompareGroupLabel(t *testing.T) {
	tests := []struct {
		name, force string
		excludes    bool
		leftOut     []string
		want        string
	}{
		{"England and Wales", "Wiltshire", true, nil, "England and Wales excluding Wiltshire"},
		{"England and Wales", "Wiltshire", true, []string{"Greater Manchester"}, "England and Wales excluding Wiltshire and Greater Manchester"},
		{"Peers", "Wiltshire", false, nil, "Peers"},
		{"Peers", "Wiltshire", false, []string{"Dorset", "Gwent"}, "Peers excluding Dorset and Gwent"},
		{"E", "W", true, []string{"A", "B", "C", "D"}, "E excluding W and 4 other forces"},
		{"P", "W", false, []string{"A", "B", "C", "D"}, "P excluding 4 forces"},
	}
	for _, tc := range tests {
		if got := compareLabel(tc.name, tc.force, tc.excludes, tc.leftOut); got != tc.want {
			t.Errorf("compareLabel(%q, %q, %v, %q) = %q, want %q", tc.name, tc.force, tc.excludes, tc.leftOut, got, tc.want)
		}
	}
}

func TestCompareMinBase(t *testing.T) {
	// With a base of 1,500, Wiltshire's and Dorset's 1,000 are too small;
	// only Gloucestershire (2000 on 2000) has a percentage, so it alone is
	// ranked. South West excluding Wiltshire (and Devon and Cornwall,
	// which has no row): 1287 + 2000 + 1000 = 4,287 on 4,000, a big enough
	// base.
	trends := []datasets.Trend{cmpRow(cmpWilts, 1200, 1000), cmpRow(cmpDorset, 1287, 1000), cmpRow(cmpGlos, 2000, 2000), cmpRow(cmpAvon, 1000, 1000)}
	got, err := Compare(trends, CompareOptions{Forces: []string{cmpWilts, cmpGlos}, MinBase: 1500})
	if err != nil {
		t.Fatal(err)
	}
	w, g := got[0], got[1]
	if w.Force.HasPct || !strings.HasPrefix(w.Force.Note, "base under 1500: percentage change not shown") {
		t.Errorf("Wiltshire: HasPct %v note %q; want no percentage and a base note", w.Force.HasPct, w.Force.Note)
	}
	if !g.Force.HasPct {
		t.Errorf("Gloucestershire HasPct %v, want true", g.Force.HasPct)
	}
	if sw := w.Comparators[0]; !sw.HasPct || math.Abs(sw.PctChange-100*287.0/4000) > 1e-9 {
		t.Errorf("South West: HasPct %v pct %v, want %v", sw.HasPct, sw.PctChange, 100*287.0/4000)
	}
}
