package datasets

// Names of offence groupings that only statistical releases publish (see
// SelectPublished).
const (
	nameResidential     = "Residential burglary"
	nameNonResidential  = "Non-residential burglary"
	nameUnlawfulDriving = "Death or serious injury - unlawful driving"
)

func publishedSelector(name string) Selector { return Selector{SelectPublished, name, name} }

// PublishedOffence is one offence column of the ONS Police Force Area data
// tables: the name ONS prints and the selection it is in crimetrends'
// taxonomy (the same Home Office codes, or SelectPublished where no set of
// codes in the open data table reproduces it).
type PublishedOffence struct {
	Name     string // as ONS prints it, footnote markers removed: "Vehicle offences"
	Selector Selector
}

// onsOffences are the offence columns of Table P1 of the ONS PFA data
// tables of the years ending March 2018 to December 2019, in the order ONS
// prints them (the total first, then each group followed by its parts).
var onsOffences = []struct{ name, query string }{
	{"Total recorded crime (excluding fraud)", "total"},
	{"Violence against the person", "Violence against the person"},
	{"Homicide", "Homicide"},
	{nameUnlawfulDriving, nameUnlawfulDriving},
	{"Violence with injury", "Violence with injury"},
	{"Violence without injury", "Violence without injury"},
	{"Stalking and harassment", "Stalking and harassment"},
	{"Sexual offences", "Sexual offences"},
	{"Robbery", "Robbery"},
	{"Theft offences", "Theft offences"},
	{"Burglary", "Burglary"},
	{nameResidential, nameResidential},
	{nameNonResidential, nameNonResidential},
	{"Vehicle offences", "Vehicle crime"},
	{"Theft from the person", "Theft from the person"},
	{"Bicycle theft", "Bicycle theft"},
	{"Shoplifting", "Shoplifting"},
	{"All other theft offences", "Other theft offences"},
	{"Criminal damage and arson", "Criminal damage and arson"},
	{"Drug offences", "Drug offences"},
	{"Possession of weapons offences", "Possession of weapons offences"},
	{"Public order offences", "Public order offences"},
	{"Miscellaneous crimes against society", "Miscellaneous crimes"},
}

// ONSOffences returns the offence columns of the ONS PFA data tables in
// publication order, each with its selection. The names are those of the
// releases for the years ending March 2018 to December 2019.
func ONSOffences() []PublishedOffence { return append([]PublishedOffence(nil), onsResolved...) }

var onsResolved []PublishedOffence

// init runs after offences.go's, which builds the selector index (files
// initialise in name order).
func init() {
	for _, o := range onsOffences {
		sel, err := ResolveSelector(o.query)
		if err != nil {
			panic("datasets: ONS offence " + o.name + ": " + err.Error())
		}
		onsResolved = append(onsResolved, PublishedOffence{Name: o.name, Selector: sel})
	}
}

// ONSName is the name ONS prints for the offence selection whose label
// (Selector.LabelFor(SourceHomeOffice)) is label, or label itself when ONS
// publishes no such column: "Vehicle crime" is "Vehicle offences",
// "Miscellaneous crimes" is "Miscellaneous crimes against society".
func ONSName(label string) string {
	for _, o := range onsResolved {
		if o.Selector.LabelFor(SourceHomeOffice) == label {
			return o.Name
		}
	}
	return label
}

// ONSOrder is the position of an offence label in ONS's publication order
// (ONSOffences), or -1 when ONS publishes no such column.
func ONSOrder(label string) int {
	for i, o := range onsResolved {
		if o.Selector.LabelFor(SourceHomeOffice) == label || o.Name == label {
			return i
		}
	}
	return -1
}
