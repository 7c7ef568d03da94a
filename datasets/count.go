package datasets

import "sort"

// Source names, as stored in the dataset and shown in the `source` column.
const (
	SourcePoliceUK   = "policeuk"   // data.police.uk street-level crime, monthly
	SourceHomeOffice = "homeoffice" // Home Office police recorded crime open data, financial quarters
	SourceForce      = "force"      // a force's own record-level extracts, merged; offences are Home Office codes
)

// Count is one figure at its source's finest grain: the number of recorded
// offences (or, for police.uk, crimes and incidents) of one offence in one
// area over the months Start..End inclusive.
//
// Offence is a Home Office offence code ("8Q", "37.2") for the Home Office
// source and the police.uk category name as police.uk spells it
// ("Violence and sexual offences", "Anti-social behaviour") for police.uk.
type Count struct {
	Source   string
	AreaCode string // ONS code of a police force area, or CodeBTP
	Offence  string
	Start    Month
	End      Month
	Count    int64
}

// SortCounts orders counts by source, area, offence and start month.
func SortCounts(cs []Count) {
	sort.Slice(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.AreaCode != b.AreaCode {
			return a.AreaCode < b.AreaCode
		}
		if a.Offence != b.Offence {
			return a.Offence < b.Offence
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.End < b.End
	})
}

// Coverage says that an extract holds the complete figures of one area over
// Start..End for its source: a later extract with the same key replaces them.
type Coverage struct {
	Source   string
	AreaCode string
	Start    Month
	End      Month
}

// Stats accounts for every row of one input: Read == Used + sum(Skipped) + Rejected.
type Stats struct {
	Read     int64
	Used     int64
	Skipped  map[string]int64 // reason -> rows
	Rejected int64
}

// Skip counts n rows skipped for reason.
func (s *Stats) Skip(reason string, n int64) {
	if s.Skipped == nil {
		s.Skipped = map[string]int64{}
	}
	s.Skipped[reason] += n
}

// SkippedTotal is the number of rows skipped for any reason.
func (s Stats) SkippedTotal() int64 {
	var n int64
	for _, v := range s.Skipped {
		n += v
	}
	return n
}

// Balanced reports whether every row read is used, skipped or rejected.
func (s Stats) Balanced() bool { return s.Read == s.Used+s.SkippedTotal()+s.Rejected }

// Add adds o's figures to s.
func (s *Stats) Add(o Stats) {
	s.Read += o.Read
	s.Used += o.Used
	s.Rejected += o.Rejected
	for k, v := range o.Skipped {
		s.Skip(k, v)
	}
}

// Extract is what a reader makes of one input: its counts aggregated to the
// source's finest grain, the area x period keys it covers, and its row
// accounting. Counts are sorted with SortCounts and have no duplicate keys.
type Extract struct {
	Source   string
	Name     string // the input's name as the user knows it, e.g. "x.zip!2018-10/2018-10-wiltshire-street.csv"
	SHA256   string // hex digest of the input's bytes
	Counts   []Count
	Coverage []Coverage
	Stats    Stats
	// Published holds figures as a release published them (ONS PFA
	// tables); it is empty for other sources.
	Published []Published
	// Outcomes holds the outcome counts of a police.uk outcomes extract
	// (Source SourcePoliceUKOutcomes), sorted with SortOutcomeCounts, each
	// inside one of the extract's coverage keys; empty for other sources.
	Outcomes []OutcomeCount
	// CrimeIDs holds a police.uk street extract's hashed Crime IDs, one
	// entry per force and month of its coverage that has any, sorted by
	// area and month; empty for other sources (and for a reader that was
	// not asked for them).
	CrimeIDs []CrimeIDs
	// KeyRows, when not nil, gives the number of used rows behind each
	// coverage key; they add up to Stats.Used. Readers whose rows are not
	// one unit of a count each (the Home Office table: a row holds a
	// number of offences) set it, so that an ingest can account for the
	// rows of a key another input supersedes. Nil means every used row is
	// one unit of a count (or outcome count) of its key.
	KeyRows map[Coverage]int64
	// SupersededBy names the input of the same ingest whose newer figures
	// (by the inputs' own dating: an archive's month, an extract's date)
	// replaced all of this input's, and SameAs the input whose figures it
	// repeats; "" when its figures are in the dataset. Such an input has
	// no counts or coverage left, and its Stats say where its rows went.
	SupersededBy string
	SameAs       string
	// ReleaseNotes are the footnotes of the releases of Published that bear
	// on all their figures, in the order printed; each names one of the
	// releases of Published.
	ReleaseNotes []ReleaseNote
}
