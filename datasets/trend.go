package datasets

// MinBase is the ONS convention: a percentage change on a base below 50 is
// not shown.
const MinBase = 50

// Trend is one row of trends.csv: the total of an offence selection in an
// area over the Months months ending PeriodEnd, and its change on the same
// window a year earlier.
type Trend struct {
	AreaCode    string
	AreaName    string
	Offence     string // the Selector's Label
	PeriodEnd   Month  // the window's last month
	Months      int    // window length: 12 for a rolling year
	Count       int64
	HasPrevious bool // false when the earlier window is not covered
	Previous    int64
	Change      int64   // Count - Previous, when HasPrevious
	HasPct      bool    // false when there is no previous window or its base is under MinBase
	PctChange   float64 // 100*(Count-Previous)/Previous, unrounded
	Source      string
	Note        string // why a figure is blank, or a caveat
	// LeftOut names the forces a like-for-like total leaves out of both
	// windows, sorted (its AreaName says "excluding" them too).
	LeftOut []string
}
