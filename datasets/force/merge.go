package force

import (
	"fmt"
	"sort"

	"github.com/crimetrends/crimetrends/datasets"
)

// MergeReport says what Merge made of the records it was given. Versions
// is always Records + Cancelled + Incomplete + Superseded.
type MergeReport struct {
	Extracts int // extracts merged
	Versions int // records in all extracts: one per extract and crime reference
	// Superseded is the number of versions replaced by a version of the
	// same reference in a later extract, whether changed or not.
	Superseded int
	Records    int // references counted: the sum of the counts
	// Reclassified is the number of counted references whose latest
	// offence code differs from the code of their first version.
	Reclassified int
	// Moved is the number of counted references whose latest recorded
	// month differs from that of their first version.
	Moved int
	// Cancelled is the number of references whose latest version is
	// cancelled (see Mapping.Cancelled); they are not counted.
	Cancelled int
	// Incomplete is the number of references, not cancelled, whose latest
	// version falls in a month no extract holds complete (the month its
	// extract was taken in); they are not counted.
	Incomplete int
}

// Merge combines a series of extracts of one records system into monthly
// counts of recorded offences.
//
// Extracts are applied in order of Taken, then Name; two with the same
// Taken and Name but different SHA256 are an error, since neither can be
// told to be the later. A record is keyed by its force (AreaCode) and
// Reference. The latest version of each key wins: a record reclassified in
// a later extract counts once, under its latest offence code and recorded
// month, and a record whose latest version is cancelled is not counted. A
// record missing from a later extract keeps its latest version.
//
// Coverage: an extract covers, for its Force and for every force among its
// records, each month from its earliest to its latest recorded month that
// ended before the extract was taken. A force's coverage is the union over
// the extracts that cover it, returned as one datasets.Coverage per force
// and month (Source "force"), so a later run's month replaces an earlier
// run's month in the dataset store. A covered month with no count for an
// offence is a real zero. Records in months no extract covers (the month an
// extract was taken in) are left out and counted in MergeReport.Incomplete.
//
// Counts have Source "force", the force's area code, the Home Office code
// and Start == End == the month; they and the coverage are sorted. Merge
// changes none of its inputs. No extracts give no counts and no error.
func Merge(extracts []*Extract) ([]datasets.Count, []datasets.Coverage, MergeReport, error) {
	rep := MergeReport{Extracts: len(extracts)}
	order := make([]*Extract, 0, len(extracts))
	for i, e := range extracts {
		if e == nil {
			return nil, nil, rep, fmt.Errorf("merge force extracts: extract %d is nil", i)
		}
		if e.Taken.IsZero() {
			return nil, nil, rep, fmt.Errorf("merge force extracts: %q has no extract date: put the date in the file name (YYYY-MM-DD or YYYYMMDD) or set extract_date in the mapping", e.Name)
		}
		order = append(order, e)
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if !a.Taken.Equal(b.Taken) {
			return a.Taken.Before(b.Taken)
		}
		return a.Name < b.Name
	})
	type versions struct{ first, last *Record }
	latest := map[recordKey]*versions{}
	covered := map[string]map[datasets.Month]bool{}
	for i, e := range order {
		if i > 0 && e.Taken.Equal(order[i-1].Taken) && e.Name == order[i-1].Name && e.SHA256 != order[i-1].SHA256 {
			return nil, nil, rep, fmt.Errorf("merge force extracts: two different extracts named %q were both taken on %s: cannot tell which is later; keep the later one only, or give each its own date",
				e.Name, e.Taken.Format("2006-01-02"))
		}
		if len(e.Records) == 0 {
			continue
		}
		lo, hi := e.Records[0].Month, e.Records[0].Month
		areas := map[string]bool{}
		if e.Force != "" {
			areas[e.Force] = true
		}
		for j := range e.Records {
			r := &e.Records[j]
			if r.AreaCode == "" || r.Reference == "" {
				return nil, nil, rep, fmt.Errorf("merge force extracts: %q row %d: record without a force or reference", e.Name, r.Row)
			}
			rep.Versions++
			lo, hi, areas[r.AreaCode] = min(lo, r.Month), max(hi, r.Month), true
			k := recordKey{r.AreaCode, r.Reference}
			if v := latest[k]; v != nil {
				v.last = r
			} else {
				latest[k] = &versions{r, r}
			}
		}
		hi = min(hi, datasets.MonthOf(e.Taken.Year(), int(e.Taken.Month())).Add(-1))
		for a := range areas {
			if covered[a] == nil {
				covered[a] = map[datasets.Month]bool{}
			}
			for m := lo; m <= hi; m++ {
				covered[a][m] = true
			}
		}
	}
	type countKey struct {
		area, code string
		month      datasets.Month
	}
	tally := map[countKey]int64{}
	for k, v := range latest {
		r := v.last
		switch {
		case r.Cancelled:
			rep.Cancelled++
		case !covered[k.area][r.Month]:
			rep.Incomplete++
		default:
			rep.Records++
			tally[countKey{k.area, r.Code, r.Month}]++
			if r.Code != v.first.Code {
				rep.Reclassified++
			}
			if r.Month != v.first.Month {
				rep.Moved++
			}
		}
	}
	rep.Superseded = rep.Versions - len(latest)
	counts := make([]datasets.Count, 0, len(tally))
	for k, n := range tally {
		counts = append(counts, datasets.Count{Source: Source, AreaCode: k.area, Offence: k.code, Start: k.month, End: k.month, Count: n})
	}
	datasets.SortCounts(counts)
	var coverage []datasets.Coverage
	for a, months := range covered {
		for m := range months {
			coverage = append(coverage, datasets.Coverage{Source: Source, AreaCode: a, Start: m, End: m})
		}
	}
	sort.Slice(coverage, func(i, j int) bool {
		if coverage[i].AreaCode != coverage[j].AreaCode {
			return coverage[i].AreaCode < coverage[j].AreaCode
		}
		return coverage[i].Start < coverage[j].Start
	})
	return counts, coverage, rep, nil
}
