package pipeline

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

// Request is the question a report answers: forces x offences x a window
// ending at a period, and what to compare them with.
type Request struct {
	// Forces are the ONS codes of the chosen forces, in the order asked; a
	// code given twice counts once. May be empty (England and Wales only).
	Forces []string
	// Offences are the offences asked for; empty means every offence the
	// sources in the dataset publish (see Answer).
	Offences []datasets.Selector
	// Extra are offences reported beside the defaults when Offences is
	// empty (the demo adds stalking and harassment).
	Extra []datasets.Selector
	// Window is the kind of window; "" is the rolling 12 months.
	Window datasets.Window
	// Period is the last month of the window; 0 means the latest period
	// the data covers.
	Period datasets.Month
	// MinBase is the smallest earlier count given a percentage change; 0
	// means datasets.MinBase.
	MinBase int
	// PeerGroups are compared with each chosen force, without it.
	PeerGroups []datasets.PeerGroup
	// Populations give the rates of computed figures; nil means
	// datasets.BuiltinPopulations(). Published figures keep the rates and
	// populations their release printed.
	Populations *datasets.Populations
	// Events are the user's own events, marked on the timelines.
	Events []datasets.Event
	// SourceOrder is the order in which sources are preferred for the
	// quoted figure; nil means DefaultSourceOrder. Names are the Source*
	// family names: "ons-pfa", "homeoffice", "force", "policeuk".
	SourceOrder []string
	// History is how many years of windows, up to the period, the report
	// holds: figures of windows ending earlier are not computed further,
	// shown or written, so that a report's time and memory follow the
	// question, not the years the dataset holds. 0 means
	// DefaultHistoryYears; AllHistory (-1) keeps every window.
	History int
}

// DefaultHistoryYears is the years of windows a report holds by default
// (Request.History): five, sixty monthly windows, enough for the series,
// their control charts and a year-on-year change at every point.
const DefaultHistoryYears = 5

// AllHistory in Request.History keeps every window the data has.
const AllHistory = -1

// ParseHistory reads a history as a user writes it: a whole number of
// years ("5") or "all" (AllHistory); "" is 0, the default.
func ParseHistory(s string) (int, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, nil
	case strings.EqualFold(s, "all"):
		return AllHistory, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%q: want a whole number of years (default %d) or all", s, DefaultHistoryYears)
	}
	return n, nil
}

// Data is what a report reads from the dataset's current vintage.
type Data struct {
	Counts    []datasets.Count
	Coverage  []datasets.Coverage
	Published []datasets.Published
	// ReleaseNotes are the notes of the releases of Published that bear on
	// all their figures (store.Snapshot.ReleaseNotes).
	ReleaseNotes []datasets.ReleaseNote
	// Outcomes are the police.uk outcome counts and their coverage
	// (store.Store.Outcomes); empty when the dataset has none.
	Outcomes        []datasets.OutcomeCount
	OutcomeCoverage []datasets.Coverage
}

// Taxonomies: which family of offence names a Topic belongs to. Official
// topics are Home Office offence groupings (as ONS and the Home Office
// publish them); police.uk topics are the 14 data.police.uk categories,
// which are coarser and never stand in for an official offence.
const (
	TaxonomyOfficial = "official"
	TaxonomyPoliceUK = "policeuk"
)

// Verdicts on a change, from the exact 95% interval of the ratio of the two
// counts (internal/stats.ChangeVerdict).
const (
	VerdictRise    = "rise"           // the whole interval is above no change
	VerdictFall    = "fall"           // the whole interval is below no change
	VerdictSame    = "about the same" // the interval includes no change
	VerdictUnknown = ""               // no earlier count to compare with
)

// Verdicts of a force against England and Wales excluding it (the ratio of
// the two ratios and its 95% interval, internal/stats.CompareRatios).
const (
	AgainstHigher = "higher"         // the force's ratio is higher than chance would give
	AgainstLower  = "lower"          // lower than chance would give
	AgainstSame   = "about the same" // the interval includes 1
)

// Report is the analysis behind one report: the question resolved, one
// quoted figure per area, offence and window, and everything every output
// shows about it. The reports package renders it and computes nothing a
// CSV would need.
type Report struct {
	// Request is the question as resolved: duplicates dropped, MinBase and
	// SourceOrder filled in, Window never empty, Period the resolved one.
	Request Request
	// Window, PeriodEnd and Months are the report's window: Months months
	// ending PeriodEnd (Start is its first month).
	Window    datasets.Window
	PeriodEnd datasets.Month
	Start     datasets.Month
	Months    int
	// HistoryStart is the end of the earliest window the report holds
	// (Request.History): no figure ends earlier. HistoryCut is true when
	// the data had earlier windows, left out.
	HistoryStart datasets.Month
	HistoryCut   bool
	// PeriodAsked is true when the user gave the period; otherwise it is
	// the latest period the data covers, and the report says so first.
	PeriodAsked bool
	// Short is true when no source gives a figure for a window of the
	// kind asked (a few months of data.police.uk files): the report shows
	// the months there are (Topic.Monthly), without a change on a year
	// earlier, and Notes says why.
	Short bool
	// MinBase is the smallest earlier count given a percentage change.
	MinBase int
	// Synthetic marks a report of made-up data (the demo): every output
	// says so instead of a source's statistical status. The caller sets
	// it; Answer leaves it false.
	Synthetic bool
	// Forces are the chosen forces, in the order asked.
	Forces []Force
	// Sources are the sources in the dataset in quote order, with what
	// each covers and why it is where it is in the order.
	Sources []SourceInfo
	// Topics are the offences, official ones first (in ONS's order where
	// ONS publishes them), then data.police.uk categories.
	Topics []Topic
	// Figures are every figure of every source for windows of the
	// report's kind at every period end the data covers: trends.csv and
	// the workbook's figures sheet. Quoted marks the one quoted for its
	// area, topic and window.
	Figures []Figure
	// Reconciliation sets every figure not quoted beside the quoted one
	// for the same area, topic and window, with the difference and its
	// likely reason.
	Reconciliation []Reconciliation
	// Notes bear on the report as a whole (a topic's own are in Topic).
	Notes []Note
}

// Force is a chosen force.
type Force struct {
	Code string // ONS code
	Name string // as ONS names it: "Wiltshire", "London, City of" is "City of London"
}

// SourceInfo is one source of the dataset: what it covers and where it
// stands in the order in which figures are quoted.
type SourceInfo struct {
	Source string // family name: datasets.SourceONSPFA, SourceHomeOffice, SourceForce, SourcePoliceUK
	Name   string // "ONS Police Force Area data tables"
	Status string // "Official statistics (not accredited)" or "Management information ..."
	Rank   int    // 1 is quoted first
	Why    string // one sentence: why it is quoted at this place in the order
	// First and Last are the months its figures span; Grain says what a
	// figure of it is ("12-month totals to March, June, September and
	// December", "financial quarters", "months").
	First, Last datasets.Month
	Grain       string
	// Releases are the ONS releases in the dataset, oldest first.
	Releases []Release
	// AtPeriod is true when it has a figure for the report's window.
	AtPeriod bool
}

// Release is one statistical release in the dataset.
type Release struct {
	ID        string         // "ons-pfa-2018-09-corrected"
	Name      string         // "ONS PFA data tables, year ending September 2018 (corrected)"
	PeriodEnd datasets.Month // the year it covers ends then
	File      string         // the workbook's base name
	// Notes are the release's footnotes that bear on all its figures, as
	// printed and prefixed with their tables ("Tables P1, P2 and P3:
	// Police recorded crime data are not designated as National
	// Statistics."): shown once per release, not with each figure.
	Notes []string
}

// Topic is one offence of the report: every area's quoted figure for the
// window, the chosen forces' answers and what explains them.
type Topic struct {
	// ID is stable and made of [a-z0-9-]: "stalking-and-harassment",
	// "policeuk-vehicle-crime".
	ID string
	// Name is the offence as the quoted source names it ("Vehicle
	// offences" from ONS; "Vehicle crime" from data.police.uk). Names of
	// police.uk topics are shown with their source (TaxonomyPoliceUK).
	Name     string
	Taxonomy string
	Selector datasets.Selector
	// Sources are the source families with a figure for this topic at the
	// period end, in quote order; Quoted is the one England and Wales's
	// figure (or failing that most areas') comes from.
	Sources []string
	Quoted  string
	// National is England and Wales's quoted figure at the period end
	// (Present false when there is none).
	National Figure
	// Areas are every force, BTP, region, country and England and Wales
	// with a quoted figure at the period end: forces and BTP first by rank
	// on change (unranked last), then regions by rank, then countries and
	// England and Wales.
	Areas []Figure
	// Rose, Fell, Same and Compared count the 43 forces (never BTP) whose
	// quoted figure has an earlier one.
	Rose, Fell, Same, Compared int
	// Answers are the chosen forces, in the order asked.
	Answers []ForceAnswer
	// Periods are the period ends of the series, oldest first, up to the
	// report's period end, all of the report's window kind and length.
	Periods []datasets.Month
	// NationalSeries is England and Wales's quoted figure at each Period.
	NationalSeries Line
	// NationalControl is England and Wales's monthly chart (Enough false
	// when the sources give no monthly or quarterly counts).
	NationalControl ControlChart
	// Monthly are the counts by month (or financial quarter) of every area
	// a monthly source has for this topic, for short data that gives no
	// window yet: what data.police.uk shows from one month.
	Monthly []MonthlySeries
	// Events are the register's breaks and the user's events inside the
	// span of Periods (and of Monthly), oldest first.
	Events []datasets.Event
	// Breaks are the register's breaks that fall inside the two windows
	// compared: the change across them is not like for like.
	Breaks []datasets.Break
	// Empty says in one sentence why the topic has no figure at the
	// period end ("" when it has one).
	Empty string
	Notes []Note
}

// Figure is one area's figure for one topic over one window, from one
// source, with everything said about it.
type Figure struct {
	Present  bool // false: no figure (the zero Figure)
	AreaCode string
	// AreaName is as ONS names the area; a like-for-like total says whom
	// it leaves out ("England and Wales excluding Greater Manchester").
	AreaName string
	AreaKind datasets.AreaKind
	Topic    string // the Topic's ID
	Offence  string // the offence as this figure's source names it
	// Source is the family ("ons-pfa", "homeoffice", "force", "policeuk");
	// Release the ONS release ID ("ons-pfa-2018-09-corrected"), "" for
	// computed figures. Published is true for figures as a release printed
	// them, false for figures crimetrends computed from counts.
	Source    string
	Release   string
	Published bool
	PeriodEnd datasets.Month
	Months    int

	HasCount    bool
	Count       int64
	CountMarker string // what a release printed instead of a count ("..")
	// CountDerived marks a later release's revision of this window: the
	// count implied by that release's percentage change for its previous
	// year. Such figures are never quoted, only set beside the quoted one.
	CountDerived bool

	// Previous is the same window a year earlier. For a published figure
	// it is derived from the published percentage change (PreviousDerived):
	// ONS publishes the change, not the earlier count.
	HasPrevious     bool
	Previous        int64
	PreviousDerived bool
	Change          int64

	// PctChange is the percentage change, unrounded; absent on a base under
	// MinBase (PctNote says why) or where a release printed a marker.
	HasPct    bool
	PctChange float64
	PctMarker string
	PctNote   string

	// The exact 95% interval of the change, as percentage changes (Lo, Hi),
	// and the verdict on it; absent without an earlier count.
	HasInterval bool
	Lo, Hi      float64
	Verdict     string

	// Rate per 1,000 residents over the window with its population and the
	// population's vintage ("mid-2017"); RatePublished when a release
	// printed it.
	HasRate           bool
	Rate              float64
	Population        int64
	PopulationVintage string
	RatePublished     bool
	RateMarker        string

	// Ranks among the 43 forces (BTP and areas above forces are not
	// ranked: Rank 0), 1 for the largest rise and for the highest rate;
	// ties on the one-decimal figure share a rank.
	Rank, Ranked         int
	RateRank, RateRanked int
	// RegionRank ranks a region among the regions by change.
	RegionRank, RegionsRanked int

	// LeftOut names the forces a like-for-like total leaves out of both
	// years.
	LeftOut []string
	Quoted  bool
	Note    string
	// Footnotes are, for a published figure, the release's footnotes that
	// bear on it, as printed and prefixed with their tables ("Table P1:
	// From the year ending June 2017 'Stalking and harassment' ..."); the
	// release's notes on all its figures are in Release.Notes. Nil for
	// computed figures.
	Footnotes []string
}

// ForceAnswer is one chosen force's answer to one topic.
type ForceAnswer struct {
	Force  Force
	Figure Figure // quoted
	// Others are the figures other sources give for the same question,
	// in quote order (each also in Report.Reconciliation).
	Others []Figure
	// Against compares the force's change with England and Wales
	// excluding it.
	Against Against
	// Comparators are England and Wales, the country, the region and each
	// peer group, each without the force, like for like, from the quoted
	// figure's source.
	Comparators []Comparator
	// Series is the force's quoted figure at each Topic.Periods, National
	// England and Wales's, and Peers the peer groups' without the force;
	// their Index shares one base (the first period every line has).
	Series   Line
	National Line
	Peers    []Line
	// Control is the force's monthly chart.
	Control ControlChart
	// Outcomes are what happened to the crimes of a data.police.uk topic
	// the force recorded (its police.uk outcomes over the report's window,
	// or the latest months of it the dataset has), when the dataset has
	// outcomes; OutcomesNote says why there are none when it has some.
	Outcomes     *OutcomeShares
	OutcomesNote string
	// Breaks are the register's breaks that touch the force and fall
	// inside the two windows compared.
	Breaks []datasets.Break
	Notes  []Note
}

// Against is a force's change set against England and Wales excluding
// it: the ratio of the two year-on-year ratios with its 95% interval.
type Against struct {
	OK       bool   // false: a count is missing or zero
	Label    string // "England and Wales excluding Wiltshire"
	Force    Figure
	National Comparator
	Ratio    float64 // (force now / force before) / (national now / national before)
	Lo, Hi   float64
	Verdict  string // AgainstHigher, AgainstLower, AgainstSame
}

// Comparator is a group of forces without the chosen one (England and
// Wales, its country, region or a peer group), with the interval and
// verdict of its change.
type Comparator struct {
	datasets.Comparator
	HasInterval bool
	Lo, Hi      float64
	Verdict     string
}

// Line is one line of a chart: an area's (or a peer group's) figure at
// each of its topic's Periods.
type Line struct {
	AreaCode string // "" for a peer group
	Name     string
	Kind     string // "force", "national", "peers"
	Source   string // the family of every point
	Points   []Point
}

// Point is one period end of a Line. Index is the count as a percentage
// of the series' count at the first period every line of the chart has
// (100 there), so lines of different sizes share one axis.
type Point struct {
	PeriodEnd         datasets.Month
	Present           bool
	Count             int64
	HasPct            bool
	PctChange         float64
	HasIndex          bool
	Index             float64
	HasRate           bool
	Rate              float64
	PopulationVintage string
}

// MonthlySeries is one area's counts by period (a month, or a financial
// quarter for the Home Office table) from one source; missing periods are
// absent, never zero.
type MonthlySeries struct {
	AreaCode string
	AreaName string
	Source   string
	Periods  []Period
}

// Reconciliation sets a figure that was not quoted beside the quoted one
// for the same area, topic and window.
type Reconciliation struct {
	AreaCode   string
	AreaName   string
	Topic      string // Topic ID
	Offence    string // the topic's name
	Start, End datasets.Month
	Quoted     Figure
	Other      Figure
	// Difference is Other.Count - Quoted.Count; PctDifference is it as a
	// percentage of the quoted count.
	Difference    int64
	HasPct        bool
	PctDifference float64
	// Reason is the likely reason in a sentence: a revision, offence
	// coverage, timing, or provisional management information.
	Reason string
}

// Note is a sentence that bears on figures shown.
type Note struct {
	Text  string
	Topic string // "" for the whole report
	Area  string // "" for every area
}

// verdictOf words a stats.Change as a Verdict* constant.
func verdictOf(c stats.Change) string {
	switch c {
	case stats.Rise:
		return VerdictRise
	case stats.Fall:
		return VerdictFall
	case stats.AboutTheSame:
		return VerdictSame
	}
	return VerdictUnknown
}
