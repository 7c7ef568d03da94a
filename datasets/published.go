package datasets

// SourceONSPFA is the source name of figures read from the ONS Police Force
// Area data tables; each release is its own vintage (see Published.Release).
const SourceONSPFA = "ons-pfa"

// Published is one area x offence row of a statistical release as it was
// published: the count (Table P1), the percentage change on the previous
// year (P2) and the rate per 1,000 population (P3) for the 12 months ending
// PeriodEnd. Figures are kept exactly as published; a figure that was not
// published carries the marker the release printed instead.
type Published struct {
	Release   string // stable release key, e.g. "ons-pfa-2019-03" (a corrected or v2 file adds a suffix)
	File      string // the workbook it came from
	AreaCode  string // ONS code (forces, regions, England, Wales, England and Wales) or CodeBTP
	AreaName  string // as published, cleaned of footnote markers and spaces
	Offence   string // the Selector label the column resolves to, e.g. "Stalking and harassment"
	PeriodEnd Month
	Months    int // 12

	HasCount    bool
	Count       int64
	CountMarker string // when !HasCount: "..", "-", "+" or "" (cell empty)

	HasPct    bool
	PctChange float64 // as published, full precision
	PctMarker string  // when !HasPct: "-" (base under 50), ".." (not available), ...

	HasRate    bool
	Rate       float64 // per 1,000 population
	RateMarker string
	Population int64 // the release's population denominator, where P3 gives it; 0 otherwise
}
