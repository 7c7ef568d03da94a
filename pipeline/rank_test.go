package pipeline

import (
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// cmpFigures turns the national fixture of the comparison tests into the
// figures Answer ranks: percentages on a base of at least 50, rates on the
// mid-2018 populations.
func cmpFigures() []Figure {
	var figs []Figure
	for _, t := range cmpNational() {
		a, _ := datasets.AreaByCode(t.AreaCode)
		f := Figure{Present: true, AreaCode: t.AreaCode, AreaName: t.AreaName, AreaKind: a.Kind, HasCount: true, Count: t.Count,
			HasPrevious: t.HasPrevious, Previous: t.Previous, Change: t.Change, PeriodEnd: t.PeriodEnd, Months: 12}
		if t.HasPrevious && t.Previous >= datasets.MinBase {
			f.HasPct, f.PctChange = true, 100*float64(t.Change)/float64(t.Previous)
		}
		figs = append(figs, f)
	}
	ptrs := make([]*Figure, len(figs))
	for i := range figs {
		ptrs[i] = &figs[i]
	}
	computedRates(ptrs, datasets.BuiltinPopulations(), cmpEnd)
	return figs
}

// TestRankFigures checks the one ranking rule on the national fixture, by
// hand. Forces with a percentage: 41 (43 less Devon and Cornwall, no
// previous year, and Northumbria, base 40). Sorted: Avon and Somerset 20.0
// and Wiltshire 20.0 (both 1), Durham 10.04 and Gloucestershire 10.0 (both
// 10.0 to one decimal: 3), Cleveland and the 35 others 0 (5), Dorset -10.0
// (41). Rose: Avon, Wiltshire, Durham, Gloucestershire, Northumbria = 5;
// fell: Dorset = 1; same: 36; compared 42 (not Devon and Cornwall, not
// BTP). Rates above Wiltshire's 1.666 (1200/720,100): Durham 17.370,
// Cumbria 2.004, Dyfed-Powys 1.930, Avon and Somerset 1.753 and
// Warwickshire 1.751 (both 1.8: 4); Gwent 1.691 and Wiltshire (both 1.7: 6).
// 42 rates: every force but City of London. BTP is never ranked.
func TestRankFigures(t *testing.T) {
	figs := cmpFigures()
	rose, fell, same, compared := rankFigures(figs)
	if rose != 5 || fell != 1 || same != 36 || compared != 42 {
		t.Errorf("rose/fell/same/compared = %d/%d/%d/%d, want 5/1/36/42", rose, fell, same, compared)
	}
	by := map[string]Figure{}
	for _, f := range figs {
		by[f.AreaCode] = f
	}
	for _, tc := range []struct {
		code                               string
		rank, ranked, rateRank, rateRanked int
	}{
		{cmpWilts, 1, 41, 6, 42},
		{cmpAvon, 1, 41, 4, 42},
		{cmpDurham, 3, 41, 1, 42},
		{cmpGlos, 3, 41, 0, 0},
		{cmpCleveland, 5, 41, 0, 0},
		{cmpGwent, 5, 41, 6, 42},
		{cmpDorset, 41, 41, 0, 0},
		{cmpDevon, 0, 0, 0, 0},
		{cmpNorthumb, 0, 0, 0, 0},
		{datasets.CodeBTP, 0, 0, 0, 0},
		{datasets.CodeCityOfLondon, 5, 41, 0, 0},
	} {
		f := by[tc.code]
		if f.Rank != tc.rank || (tc.ranked != 0 && f.Ranked != tc.ranked) || (tc.rateRank != 0 && (f.RateRank != tc.rateRank || f.RateRanked != tc.rateRanked)) {
			t.Errorf("%s: rank %d of %d, rate rank %d of %d; want %d of %d, rate %d of %d", f.AreaName, f.Rank, f.Ranked, f.RateRank, f.RateRanked,
				tc.rank, tc.ranked, tc.rateRank, tc.rateRanked)
		}
	}
	if f := by[datasets.CodeCityOfLondon]; f.RateRank != 0 || f.HasRate {
		t.Errorf("City of London has a rate rank %d (rate %v)", f.RateRank, f.HasRate)
	}
	if f := by[datasets.CodeBTP]; f.RateRank != 0 {
		t.Errorf("BTP rate rank %d", f.RateRank)
	}
}
