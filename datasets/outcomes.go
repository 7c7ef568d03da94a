package datasets

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SourcePoliceUKOutcomes is the source of data.police.uk outcomes files
// (YYYY-MM-<force>-outcomes.csv): outcome counts by force, month, crime type
// and outcome type (OutcomeCount). It has coverage keys (one per force and
// month, as the street files do) but no Counts.
const SourcePoliceUKOutcomes = "policeuk-outcomes"

// OutcomeCount is the number of outcomes one force recorded in one month
// for crimes of one police.uk category with one police.uk outcome type.
//
// Month is the month the outcome was recorded, not the month of the crime
// (an outcome of October can belong to a crime of March). CrimeType is the
// category of the crime as the street files give it, found through its
// Crime ID; it is "" (CrimeTypeUnknown) when the crime is in no street file
// the ingest or the dataset holds, typically a crime older than the street
// data.
type OutcomeCount struct {
	AreaCode  string
	Month     Month
	CrimeType string // police.uk category name, or CrimeTypeUnknown
	Outcome   string // police.uk outcome type, spelt as OutcomeTypes spells it
	Count     int64
}

// CrimeTypeUnknown is the CrimeType of outcomes of crimes not found in the
// street files.
const CrimeTypeUnknown = ""

// SortOutcomeCounts orders outcome counts by area, month, crime type and
// outcome.
func SortOutcomeCounts(cs []OutcomeCount) {
	sort.Slice(cs, func(i, j int) bool { return CompareOutcomeCounts(cs[i], cs[j]) < 0 })
}

// CompareOutcomeCounts orders outcome counts by area, month, crime type and
// outcome (not by count): 0 means the same key.
func CompareOutcomeCounts(a, b OutcomeCount) int {
	if c := strings.Compare(a.AreaCode, b.AreaCode); c != 0 {
		return c
	}
	if a.Month != b.Month {
		if a.Month < b.Month {
			return -1
		}
		return 1
	}
	if c := strings.Compare(a.CrimeType, b.CrimeType); c != 0 {
		return c
	}
	return strings.Compare(a.Outcome, b.Outcome)
}

// Outcome groups: the small set police.uk outcome types are grouped into
// (OutcomeGroups gives them in order, with labels).
const (
	OutcomeCharged             = "charged"                // charged or summonsed
	OutcomeOutOfCourt          = "out-of-court"           // caution, penalty notice, local resolution, drugs warning
	OutcomeNoSuspect           = "no-suspect"             // investigation complete; no suspect identified
	OutcomeUnableToProsecute   = "unable-to-prosecute"    // evidential difficulties
	OutcomeNotInPublicInterest = "not-in-public-interest" // further investigation or action not in the public interest
	OutcomeAnotherOrganisation = "another-organisation"   // action to be taken by another organisation
	OutcomeUnderInvestigation  = "under-investigation"    // under investigation or awaiting court
	OutcomeCourtResult         = "court-result"           // a court's result: sentence, discharge, acquittal, case unable to proceed
	OutcomeStatusUnavailable   = "status-unavailable"     // the force no longer supplies updates
	OutcomeOther               = "other"                  // a type this list does not hold (KnownOutcomeType)
)

// OutcomeGroup is one group of police.uk outcome types.
type OutcomeGroup struct {
	ID    string // OutcomeCharged ...
	Label string // as shown: "Charged or summonsed"
	Types []string
}

// outcomeGroups is the grouping of every outcome type data.police.uk
// publishes (data.police.uk/api/outcome-categories and the outcomes files),
// and last OutcomeOther, which holds no listed type: data.police.uk adds
// outcome types from time to time, and an outcome of a type this list
// does not know yet is counted there, under its type as written, rather
// than stopping an ingest.
var outcomeGroups = []OutcomeGroup{
	{OutcomeCharged, "Charged or summonsed", []string{
		"Suspect charged",
		"Suspect charged as part of another case",
	}},
	{OutcomeOutOfCourt, "Out of court (caution, penalty notice, community or local resolution, drugs warning)", []string{
		"Offender given a caution",
		"Offender given penalty notice",
		"Local resolution",
		"Offender given a drugs possession warning",
	}},
	{OutcomeNoSuspect, "No suspect identified", []string{
		"Investigation complete; no suspect identified",
	}},
	{OutcomeUnableToProsecute, "Unable to prosecute (evidential difficulties)", []string{
		"Unable to prosecute suspect",
	}},
	{OutcomeNotInPublicInterest, "Further investigation or action not in the public interest", []string{
		"Further investigation is not in the public interest",
		"Further action is not in the public interest",
		"Formal action is not in the public interest",
	}},
	{OutcomeAnotherOrganisation, "Action by another organisation", []string{
		"Action to be taken by another organisation",
	}},
	{OutcomeUnderInvestigation, "Under investigation or awaiting court", []string{
		"Under investigation",
		"Awaiting court outcome",
		"Defendant sent to Crown Court",
	}},
	{OutcomeCourtResult, "Court result", []string{
		"Offender sent to prison",
		"Offender given suspended prison sentence",
		"Offender fined",
		"Offender given community sentence",
		"Offender given conditional discharge",
		"Offender given absolute discharge",
		"Offender ordered to pay compensation",
		"Offender deprived of property",
		"Offender otherwise dealt with",
		"Defendant found not guilty",
		"Court case unable to proceed",
		"Court result unavailable",
	}},
	{OutcomeStatusUnavailable, "Status update unavailable", []string{
		"Status update unavailable",
	}},
	{OutcomeOther, "Other outcome", nil},
}

var (
	outcomeByKey  = map[string]string{} // lower-case type -> canonical type
	outcomeToGrp  = map[string]string{} // canonical type -> group ID
	outcomeLabels = map[string]string{} // group ID -> label
	outcomeList   []string              // every type, in group order
)

func init() {
	for _, g := range outcomeGroups {
		outcomeLabels[g.ID] = g.Label
		for _, t := range g.Types {
			outcomeByKey[strings.ToLower(t)] = t
			outcomeToGrp[t] = g.ID
			outcomeList = append(outcomeList, t)
		}
	}
}

// OutcomeGroups returns the outcome groups in their order, each with the
// outcome types it holds; the last, OutcomeOther ("Other outcome"), lists
// none: it holds every type the others do not (KnownOutcomeType).
func OutcomeGroups() []OutcomeGroup {
	out := make([]OutcomeGroup, len(outcomeGroups))
	for i, g := range outcomeGroups {
		out[i] = g
		out[i].Types = append([]string(nil), g.Types...)
	}
	return out
}

// OutcomeTypes returns every police.uk outcome type crimetrends knows, in
// group order.
func OutcomeTypes() []string { return append([]string(nil), outcomeList...) }

// OutcomeType finds a police.uk outcome type crimetrends knows by its name,
// in any case and with spaces around it, and returns its canonical
// spelling.
func OutcomeType(name string) (string, bool) {
	t, ok := outcomeByKey[strings.ToLower(strings.TrimSpace(name))]
	return t, ok
}

// KnownOutcomeType says whether outcome is one of OutcomeTypes, spelt as
// it spells it.
func KnownOutcomeType(outcome string) bool { return outcomeToGrp[outcome] != "" }

// MaxOutcomeTypeBytes is the longest outcome type CheckOutcomeType takes
// (the longest police.uk type is 51 bytes).
const MaxOutcomeTypeBytes = 200

// CheckOutcomeType checks an outcome type as a file gives it, with spaces
// around it trimmed: one crimetrends knows (OutcomeType, whose canonical
// spelling it returns, known), or a type it does not know, kept as
// written (trimmed), which counts in OutcomeOther. It is an error wrapping
// ErrBadOutcome, saying what is wrong, when the value is blank or cannot
// be an outcome type: not valid UTF-8, holding a control character (a
// tab, a line end), longer than MaxOutcomeTypeBytes, or without a letter
// ("0", "-").
func CheckOutcomeType(raw string) (typ string, known bool, err error) {
	if t, ok := OutcomeType(raw); ok {
		return t, true, nil
	}
	t := strings.TrimSpace(raw)
	var why string
	switch {
	case t == "":
		why = "blank"
	case !utf8.ValidString(t):
		why = "not valid UTF-8"
	case strings.ContainsFunc(t, unicode.IsControl):
		why = "it holds a control character"
	case len(t) > MaxOutcomeTypeBytes:
		why = fmt.Sprintf("longer than %d bytes", MaxOutcomeTypeBytes)
	case !strings.ContainsFunc(t, unicode.IsLetter):
		why = "it has no letter"
	default:
		return t, false, nil
	}
	return "", false, fmt.Errorf("%w: %s", ErrBadOutcome, why)
}

// OutcomeGroupOf returns the group ID of an outcome type: its group for
// one of OutcomeTypes, OutcomeOther for any other.
func OutcomeGroupOf(outcome string) string {
	if g := outcomeToGrp[outcome]; g != "" {
		return g
	}
	return OutcomeOther
}

// OutcomeGroupLabel returns the label of a group ID; "" for an unknown one.
func OutcomeGroupLabel(id string) string { return outcomeLabels[id] }

// OutcomesCaveat is the sentence that goes with every outcome figure.
const OutcomesCaveat = "Outcomes are counted in the month they are recorded, not the month of the crime, " +
	"and one crime can have several (a charge, then a court result)."

// OutcomeShares is what happened to the crimes one force recorded: the
// outcomes it recorded over a window, for one police.uk crime type or all
// crime, by outcome group, each with its share and a 95% interval, beside
// the same for England and Wales excluding the force.
type OutcomeShares struct {
	AreaCode  string // the force's ONS code (or CodeBTP)
	AreaName  string
	CrimeType string // the police.uk category; "" for all crime
	Label     string // "Violence and sexual offences" or "All crime"
	Start     Month  // first and last month of outcomes counted
	End       Month
	// Total is the force's outcomes over the window (the shares' base).
	// For all crime it includes Untyped.
	Total int64
	// Untyped counts the force's outcomes over the window whose crime was
	// not in the street files (type unknown): in Total for all crime, in
	// no crime type's figure.
	Untyped int64
	// Groups are the outcome groups in OutcomeGroups order, every group
	// listed (a zero count has a share of 0).
	Groups []OutcomeShare
	// HasNational is true when the dataset has outcomes of other forces
	// covering the whole window; National* describe England and Wales
	// excluding the force, like for like: only forces (and BTP) with
	// outcomes for every month of the window.
	HasNational     bool
	NationalLabel   string   // "England and Wales excluding City of London"
	NationalForces  []string // ONS codes summed, sorted
	NationalLeftOut []string // names of forces with outcomes for only part of the window, sorted
	NationalTotal   int64
	NationalUntyped int64
	// Caveat is OutcomesCaveat; Notes say what is left out and why.
	Caveat string
	Notes  []string
}

// OutcomeShare is one outcome group's count and share, for the force and
// for England and Wales excluding it. A share is Count / Total with its
// exact (Clopper-Pearson) 95% interval; HasShare is false on a zero base.
type OutcomeShare struct {
	Group string // OutcomeCharged ...
	Label string

	Count    int64
	HasShare bool
	Share    float64 // 0..1
	Lo, Hi   float64

	NationalCount    int64
	HasNationalShare bool
	NationalShare    float64
	NationalLo       float64
	NationalHi       float64
}
