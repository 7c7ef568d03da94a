package datasets

// Comparator kinds: what a Comparator row stands for.
const (
	ComparatorForce        = "force"         // the force itself
	ComparatorEnglandWales = "england-wales" // England and Wales without the force
	ComparatorCountry      = "country"       // England, or Wales, without the force
	ComparatorRegion       = "region"        // the force's region without it (England only)
	ComparatorPeers        = "peers"         // the peer group from the config without the force
)

// PeerGroup is a group of similar forces named in the config. Its figures
// are weighted: summed counts over summed population.
type PeerGroup struct {
	Name    string   // e.g. "Most similar forces"
	Members []string // ONS codes of its forces, in config order
}

// Comparison is one force's figure for one source, offence and window
// beside comparators built without it (DOMAIN.md: comparisons). Ranks and
// how many forces rose are the pipeline's (one rule for every output).
type Comparison struct {
	Source    string
	Offence   string // the Selector's label
	Window    Window
	PeriodEnd Month
	Months    int
	// Force is the force's own figure (Kind ComparatorForce).
	Force Comparator
	// Comparators are England and Wales, the country, the region and the
	// peer groups, each excluding the force, in that order; one that
	// cannot be built is left out with a line in Notes saying why.
	Comparators []Comparator
	Notes       []string
}

// Comparator is the figure of a force or of a group of forces over a
// window and the same window a year earlier, like for like: a member with
// no complete figure in either window is left out of both and named in
// LeftOut, and Label says so ("England and Wales excluding Wiltshire and
// Greater Manchester").
type Comparator struct {
	Kind     string
	AreaCode string   // the ONS code of the force, region, country or England and Wales; "" for a peer group
	Label    string   // as shown: "Wiltshire", "England and Wales excluding Wiltshire", "Peer group excluding Wiltshire" (a group the force is not in: its name alone)
	Members  []string // the forces (and BTP) summed, sorted by code
	LeftOut  []string // names of members left out because a window is incomplete, sorted

	Count       int64
	HasPrevious bool
	Previous    int64
	Change      int64
	HasPct      bool    // false without a previous figure or on a base under MinBase
	PctChange   float64 // unrounded

	// HasRate is true when the members with a resident population have one
	// in PopulationVintage; Rate is their count per 1,000 of Population
	// (over the window, not annualised). BTP, which has no resident
	// population, counts in Count but not in the rate, and Note says so.
	HasRate           bool
	Rate              float64
	Population        int64
	PopulationVintage string // e.g. "mid-2018"
	Note              string
}

// Event is something that happened which a reader should see on a
// timeline: a recording-rule change from the register or an event from the
// user's config ("harassment information notices withdrawn").
type Event struct {
	Month    Month
	Label    string
	AreaCode string // "" for every area
	Offence  string // a Selector label, "" for every offence
	Source   string // where it comes from: "register" or "config"
}
