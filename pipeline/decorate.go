package pipeline

import (
	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

// setInterval gives a figure the exact 95% interval of its change (as
// percentage changes) and the verdict on it, when it has an earlier count.
func setInterval(f *Figure) {
	if !f.HasCount || !f.HasPrevious {
		applyVerdict(f, stats.Verdict{})
		return
	}
	applyVerdict(f, stats.ChangeVerdict(f.Previous, f.Count))
}

// applyVerdict gives a figure the interval and verdict v of its change
// (stats.ChangeVerdict(f.Previous, f.Count), or the zero Verdict when it
// has no earlier count).
func applyVerdict(f *Figure, v stats.Verdict) {
	f.HasInterval, f.Lo, f.Hi, f.Verdict = false, 0, 0, VerdictUnknown
	if !f.HasCount || !f.HasPrevious || v.Change == stats.Unknown {
		return
	}
	f.HasInterval, f.Lo, f.Hi = true, 100*(v.Lo-1), 100*(v.Hi-1)
	f.Verdict = verdictOf(v.Change)
}

// IntervalOf is the exact 95% interval of the change from previous to
// count, as percentage changes, and its verdict; ok is false without a
// positive earlier count.
func IntervalOf(previous, count int64) (lo, hi float64, verdict string, ok bool) {
	v := stats.ChangeVerdict(previous, count)
	if v.Change == stats.Unknown {
		return 0, 0, VerdictUnknown, false
	}
	return 100 * (v.Lo - 1), 100 * (v.Hi - 1), verdictOf(v.Change), true
}

// computedRates gives the figures of one source, topic and window end
// their rates per 1,000 residents, all on one population vintage: the
// newest on or before the window's end that every force has. BTP has no
// resident population and no rate, and its offences are taken out of
// England and Wales's count for the rate; City of London has no rate of its
// own (datasets.RateMeaningful); a like-for-like total's population leaves
// out the forces it leaves out.
func computedRates(figs []*Figure, pops *datasets.Populations, end datasets.Month) {
	var codes []string
	var btp *Figure
	for _, f := range figs {
		if f.AreaKind == datasets.KindBTP {
			btp = f
		}
	}
	for _, a := range datasets.Forces() {
		if a.Kind == datasets.KindForce && datasets.RateMeaningful(a.Code) {
			codes = append(codes, a.Code)
		}
	}
	vintage, ok := pops.LatestVintage(codes, end)
	if !ok {
		return
	}
	for _, f := range figs {
		if f.Published || !f.HasCount || !datasets.RateMeaningful(f.AreaCode) {
			continue
		}
		var people int64
		var found bool
		if len(f.LeftOut) > 0 {
			var out []string
			for _, name := range f.LeftOut {
				if a, err := datasets.ResolveArea(name); err == nil {
					out = append(out, a.Code)
				}
			}
			people, found = pops.Excluding(f.AreaCode, out, vintage)
		} else if p, ok := pops.Get(f.AreaCode, vintage); ok {
			people, found = p.People, true
		}
		if !found {
			continue
		}
		count := f.Count
		if f.AreaCode == datasets.CodeEnglandWales && btp != nil && btp.HasCount {
			count -= btp.Count
		}
		if rate, ok := datasets.Rate(count, people); ok {
			f.HasRate, f.Rate, f.Population, f.PopulationVintage = true, rate, people, vintage
		}
	}
}

// releaseVintages finds, for each ONS release, the mid-year population
// vintage its Table P3 used: the vintage in pops whose figures equal the
// release's populations for every force both have. A release matching none
// is absent.
func releaseVintages(rows []datasets.Published, pops *datasets.Populations) map[string]string {
	type key struct{ release, area string }
	people := map[key]int64{}
	var releases []string
	seen := map[string]bool{}
	for _, p := range rows {
		if a, ok := datasets.AreaByCode(p.AreaCode); !ok || a.Kind != datasets.KindForce || p.Population <= 0 {
			continue // totals may leave forces out ("excluding Greater Manchester")
		}
		people[key{p.Release, p.AreaCode}] = p.Population
		if !seen[p.Release] {
			seen[p.Release] = true
			releases = append(releases, p.Release)
		}
	}
	out := map[string]string{}
	for _, r := range releases {
		for _, v := range pops.Vintages() {
			match, any := true, false
			for k, n := range people {
				if k.release != r {
					continue
				}
				p, ok := pops.Get(k.area, v)
				if !ok {
					continue
				}
				any = true
				if p.People != n {
					match = false
					break
				}
			}
			if match && any {
				out[r] = v
			}
		}
	}
	return out
}
