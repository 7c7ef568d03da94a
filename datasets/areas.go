package datasets

// This file is a stub of the reference-data API: the bodies and the full
// tables are being written. Signatures are the contract.

// Area codes that are not police force areas.
const (
	CodeEnglandWales = "K04000001"
	CodeEngland      = "E92000001"
	CodeWales        = "W92000004"
	CodeBTP          = "BTP" // British Transport Police: no ONS area code
)

// AreaKind says what an Area is.
type AreaKind int

const (
	KindForce   AreaKind = iota + 1 // one of the 43 territorial police force areas
	KindBTP                         // British Transport Police
	KindRegion                      // an English region (E12...)
	KindCountry                     // England or Wales
	KindNation                      // England and Wales
)

// Area is a police force area, BTP, or a geography above them.
type Area struct {
	Code    string // ONS code (E23..., W15..., E12..., E92000001, W92000004, K04000001) or CodeBTP
	Name    string // ONS style: "Wiltshire", "London, City of"? no: "City of London", "Metropolitan Police"
	Kind    AreaKind
	Force   string // the force's own name, e.g. "Wiltshire Police" (forces and BTP only)
	Slug    string // data.police.uk slug, e.g. "wiltshire", "city-of-london" (forces and BTP only)
	Region  string // region code for English forces; empty otherwise
	Country string // CodeEngland or CodeWales for forces and regions; empty for BTP and above
}

// Forces returns the 43 territorial forces then BTP, sorted by code (BTP last).
func Forces() []Area { return nil }

// Areas returns every area: forces, BTP, regions, countries and England and Wales.
func Areas() []Area { return nil }

// AreaByCode finds an area by its code.
func AreaByCode(code string) (Area, bool) { return Area{}, false }

// ResolveForce maps any spelling found in the sources (ONS, Home Office,
// police.uk, slugs, codes; any case, footnote digits stripped) to a force or
// BTP. An unknown name gives an error wrapping ErrUnknownForce that suggests
// the closest known names.
func ResolveForce(name string) (Area, error) { return Area{}, ErrUnknownForce }
