package datasets

// Offence is one Home Office notifiable offence code with its place in the
// taxonomy (code -> subgroup -> group) and its police.uk category.
type Offence struct {
	Code        string // "8Q", "37.2": a string, never a number
	Description string
	Subgroup    string // e.g. "Stalking and harassment"
	Group       string // e.g. "Violence against the person"
	Category    string // police.uk category name, e.g. "Violence and sexual offences"
	Fraud       bool   // fraud offences (recorded by Action Fraud and industry bodies)
}

// Category is one of the 14 police.uk categories.
type Category struct {
	Name    string // as in the CSV "Crime type" column, e.g. "Violence and sexual offences"
	Slug    string // police.uk API slug, e.g. "violent-crime"
	IsCrime bool   // false for anti-social behaviour
}

// Offences returns the Home Office taxonomy sorted by code.
func Offences() []Offence { return nil }

// OffenceByCode finds a Home Office offence code (exact, trimmed).
func OffenceByCode(code string) (Offence, bool) { return Offence{}, false }

// Categories returns the 14 police.uk categories sorted by name.
func Categories() []Category { return nil }

// CategoryByName finds a police.uk category by its name or slug, ignoring case.
func CategoryByName(name string) (Category, bool) { return Category{}, false }

// SelectorKind says how a Selector picks offences.
type SelectorKind int

const (
	SelectTotal    SelectorKind = iota + 1 // all recorded crime: excluding fraud (HO) or excluding ASB (police.uk)
	SelectGroup                            // a Home Office offence group
	SelectSubgroup                         // a Home Office offence subgroup
	SelectCode                             // one Home Office offence code
	SelectCategory                         // one police.uk category
)

// Selector is an offence of interest in a report: a total, a group, a
// subgroup, a code or a police.uk category.
type Selector struct {
	Kind  SelectorKind
	Key   string // the group/subgroup/category name or the code
	Label string // for headlines and tables, e.g. "Stalking and harassment", "Total recorded crime (excluding fraud)"
}

// Matches reports whether a stored Count's offence (for its source) belongs
// to the selection. A Home Office code can match a police.uk category through
// its Category; a police.uk category never matches a Home Office group.
func (s Selector) Matches(source, offence string) bool { return false }

// AppliesTo reports whether the selection can be computed from source at all.
func (s Selector) AppliesTo(source string) bool { return false }

// ResolveSelector maps what a user typed for --offence (a code, a subgroup
// or group name, or a police.uk category, any case) to a Selector; an unknown
// one is an error wrapping ErrUnknownOffence with suggestions.
func ResolveSelector(s string) (Selector, error) { return Selector{}, ErrUnknownOffence }

// DefaultSelectors returns the selections reported when --offence is not
// given, for one source: its total, then each of its groups (Home Office
// offence groups except fraud; police.uk crime categories), sorted by label.
func DefaultSelectors(source string) []Selector { return nil }
