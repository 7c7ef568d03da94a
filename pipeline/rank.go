package pipeline

import (
	"math"
	"sort"

	"github.com/crimetrends/crimetrends/datasets"
)

// RankRule says in a sentence whom ranks are among; every output states it.
const RankRule = "Ranks are among the 43 police force areas with a figure (1 is the largest rise, or the highest rate); British Transport Police, which has no area and no resident population, is listed but not ranked, and forces whose figures round to the same one-decimal value share a rank."

// round1 rounds to the one decimal place every output shows.
func round1(p float64) float64 {
	r := math.Round(p*10) / 10
	if r == 0 {
		return 0 // no negative zero
	}
	return r
}

// rankBy gives ranks 1..n to the figures idx points at, highest value
// first, ties on the one-decimal value sharing a rank (1, 2, 2, 4). It
// returns how many were ranked.
func rankBy(figs []Figure, idx []int, value func(Figure) float64, set func(*Figure, int, int)) {
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := value(figs[idx[i]]), value(figs[idx[j]])
		if a != b {
			return a > b
		}
		return figs[idx[i]].AreaName < figs[idx[j]].AreaName
	})
	rank := 0
	for i, k := range idx {
		if i == 0 || round1(value(figs[idx[i-1]])) != round1(value(figs[k])) {
			rank = i + 1
		}
		set(&figs[k], rank, len(idx))
	}
}

// rankFigures ranks, in place, the forces among figs (one topic, one
// window) by percentage change and by rate, and the regions by percentage
// change (RankRule), and counts the forces that rose, fell or stayed the
// same among those with an earlier figure.
func rankFigures(figs []Figure) (rose, fell, same, compared int) {
	var byPct, byRate, regions []int
	for i := range figs {
		f := &figs[i]
		f.Rank, f.Ranked, f.RateRank, f.RateRanked, f.RegionRank, f.RegionsRanked = 0, 0, 0, 0, 0, 0
		switch f.AreaKind {
		case datasets.KindForce:
			if f.HasPct {
				byPct = append(byPct, i)
			}
			if f.HasRate && datasets.RateMeaningful(f.AreaCode) {
				byRate = append(byRate, i)
			}
			if f.HasPrevious {
				compared++
				switch {
				case f.Change > 0:
					rose++
				case f.Change < 0:
					fell++
				default:
					same++
				}
			}
		case datasets.KindRegion:
			if f.HasPct {
				regions = append(regions, i)
			}
		}
	}
	rankBy(figs, byPct, func(f Figure) float64 { return f.PctChange }, func(f *Figure, r, n int) { f.Rank, f.Ranked = r, n })
	rankBy(figs, byRate, func(f Figure) float64 { return f.Rate }, func(f *Figure, r, n int) { f.RateRank, f.RateRanked = r, n })
	rankBy(figs, regions, func(f Figure) float64 { return f.PctChange }, func(f *Figure, r, n int) { f.RegionRank, f.RegionsRanked = r, n })
	return rose, fell, same, compared
}

// areaOrder sorts a topic's figures for its table: forces and BTP by rank
// on change (unranked after, by name), then regions by rank, then
// countries, then England and Wales.
func areaOrder(figs []Figure) {
	group := func(f Figure) int {
		switch f.AreaKind {
		case datasets.KindForce, datasets.KindBTP:
			return 0
		case datasets.KindRegion:
			return 1
		case datasets.KindCountry:
			return 2
		}
		return 3
	}
	rank := func(f Figure) int {
		r := f.Rank
		if f.AreaKind == datasets.KindRegion {
			r = f.RegionRank
		}
		if r == 0 {
			return math.MaxInt
		}
		return r
	}
	sort.SliceStable(figs, func(i, j int) bool {
		a, b := figs[i], figs[j]
		if group(a) != group(b) {
			return group(a) < group(b)
		}
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		if a.AreaName != b.AreaName {
			return a.AreaName < b.AreaName
		}
		return a.AreaCode < b.AreaCode
	})
}
