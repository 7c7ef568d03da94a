package datasets

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Offence is one Home Office notifiable offence code with its place in the
// taxonomy (code -> subgroup -> group) and its police.uk category.
type Offence struct {
	Code        string // "8Q", "37.2": a string, never a number
	Description string
	Subgroup    string // e.g. "Stalking and harassment"
	Group       string // e.g. "Violence against the person"
	Category    string // police.uk category name, e.g. "Violence and sexual offences"; empty for fraud
	Fraud       bool   // fraud offences (recorded by Action Fraud and industry bodies)
}

// Category is one of the 14 police.uk categories.
type Category struct {
	Name    string // as in the CSV "Crime type" column, e.g. "Violence and sexual offences"
	Slug    string // police.uk API slug, e.g. "violent-crime"
	IsCrime bool   // false for anti-social behaviour
}

// Home Office offence groups, spelt as in the police recorded crime open
// data tables, in their publication order.
const (
	groupViolence    = "Violence against the person"
	groupSexual      = "Sexual offences"
	groupRobbery     = "Robbery"
	groupTheft       = "Theft offences"
	groupDamage      = "Criminal damage and arson"
	groupDrugs       = "Drug offences"
	groupWeapons     = "Possession of weapons offences"
	groupPublicOrder = "Public order offences"
	groupMisc        = "Miscellaneous crimes"
	groupFraud       = "Fraud offences"
)

var groupOrder = []string{groupViolence, groupSexual, groupRobbery, groupTheft, groupDamage,
	groupDrugs, groupWeapons, groupPublicOrder, groupMisc, groupFraud}

// police.uk crime types, spelt as in the street-level CSV "Crime type" column.
const (
	catASB         = "Anti-social behaviour"
	catBicycle     = "Bicycle theft"
	catBurglary    = "Burglary"
	catDamage      = "Criminal damage and arson"
	catDrugs       = "Drugs"
	catOther       = "Other crime"
	catOtherTheft  = "Other theft"
	catWeapons     = "Possession of weapons"
	catPublicOrder = "Public order"
	catRobbery     = "Robbery"
	catShoplifting = "Shoplifting"
	catTheftPerson = "Theft from the person"
	catVehicle     = "Vehicle crime"
	catViolence    = "Violence and sexual offences"
)

// categoryTable lists the 14 police.uk categories sorted by name.
var categoryTable = []Category{
	{catASB, "anti-social-behaviour", false},
	{catBicycle, "bicycle-theft", true},
	{catBurglary, "burglary", true},
	{catDamage, "criminal-damage-arson", true},
	{catDrugs, "drugs", true},
	{catOther, "other-crime", true},
	{catOtherTheft, "other-theft", true},
	{catWeapons, "possession-of-weapons", true},
	{catPublicOrder, "public-order", true},
	{catRobbery, "robbery", true},
	{catShoplifting, "shoplifting", true},
	{catTheftPerson, "theft-from-the-person", true},
	{catVehicle, "vehicle-crime", true},
	{catViolence, "violent-crime", true},
}

// offenceTable is the Home Office offence taxonomy of the 2017/18 police
// recorded crime open data (code, description, subgroup and group exactly as
// the Home Office spells them), with each code's police.uk category. The
// category of harassment, stalking and malicious communications is
// "Violence and sexual offences": police.uk has no stalking and harassment
// category. Fraud is recorded by national bodies, not forces, and has no
// police.uk category.
var offenceTable = []Offence{
	// Violence against the person
	{"1/4.1/4.10/4.2", "Homicide", "Homicide", groupViolence, catViolence, false},
	{"2", "Attempted murder", "Violence with injury", groupViolence, catViolence, false},
	{"3A", "Conspiracy to murder", "Violence without injury", groupViolence, catViolence, false},
	{"3B", "Threats to kill", "Violence without injury", groupViolence, catViolence, false},
	{"4.3", "Intentional destruction of a viable unborn child", "Violence with injury", groupViolence, catViolence, false},
	{"4.4", "Causing death or serious injury by dangerous driving", "Violence with injury", groupViolence, catViolence, false},
	{"4.6", "Causing death by careless driving under influence of drink or drugs", "Violence with injury", groupViolence, catViolence, false},
	{"4.7", "Causing or allowing death of child or vulnerable person", "Violence with injury", groupViolence, catViolence, false},
	{"4.8", "Causing death by careless or inconsiderate driving", "Violence with injury", groupViolence, catViolence, false},
	{"4.9", "Causing death by driving: unlicensed or disqualified or uninsured drivers", "Violence with injury", groupViolence, catViolence, false},
	{"5D", "Assault with intent to cause serious harm", "Violence with injury", groupViolence, catViolence, false},
	{"5E", "Endangering life", "Violence with injury", groupViolence, catViolence, false},
	{"8L", "Harassment", "Stalking and harassment", groupViolence, catViolence, false},
	{"8M", "Racially or religiously aggravated harassment", "Stalking and harassment", groupViolence, catViolence, false},
	{"8N", "Assault with injury", "Violence with injury", groupViolence, catViolence, false},
	{"8P", "Racially or religiously aggravated assault with injury", "Violence with injury", groupViolence, catViolence, false},
	{"8Q", "Stalking", "Stalking and harassment", groupViolence, catViolence, false},
	{"8R", "Malicious Communications", "Stalking and harassment", groupViolence, catViolence, false},
	{"8S", "Assault with injury on a constable", "Violence with injury", groupViolence, catViolence, false},
	{"11A", "Cruelty to children/young persons", "Violence without injury", groupViolence, catViolence, false},
	{"13", "Child abduction", "Violence without injury", groupViolence, catViolence, false},
	{"14", "Procuring illegal abortion", "Violence without injury", groupViolence, catViolence, false},
	{"36", "Kidnapping", "Violence without injury", groupViolence, catViolence, false},
	{"37.1", "Causing death by aggravated vehicle taking", "Violence with injury", groupViolence, catViolence, false},
	{"104", "Assault without injury on a constable", "Violence without injury", groupViolence, catViolence, false},
	{"105A", "Assault without injury", "Violence without injury", groupViolence, catViolence, false},
	{"105B", "Racially or religiously aggravated assault without injury", "Violence without injury", groupViolence, catViolence, false},
	{"106", "Modern slavery", "Violence without injury", groupViolence, catViolence, false},
	// Sexual offences
	{"17A", "Sexual assault on a male aged 13 and over", "Other sexual offences", groupSexual, catViolence, false},
	{"17B", "Sexual assault on a male child under 13", "Other sexual offences", groupSexual, catViolence, false},
	{"19C", "Rape of a female aged 16 and over", "Rape offences", groupSexual, catViolence, false},
	{"19D", "Rape of a female child under 16", "Rape offences", groupSexual, catViolence, false},
	{"19E", "Rape of a female child under 13", "Rape offences", groupSexual, catViolence, false},
	{"19F", "Rape of a male aged 16 and over", "Rape offences", groupSexual, catViolence, false},
	{"19G", "Rape of a male child under 16", "Rape offences", groupSexual, catViolence, false},
	{"19H", "Rape of a male child under 13", "Rape offences", groupSexual, catViolence, false},
	{"20A", "Sexual assault on a female aged 13 and over", "Other sexual offences", groupSexual, catViolence, false},
	{"20B", "Sexual assault on a female child under 13", "Other sexual offences", groupSexual, catViolence, false},
	{"21", "Sexual activity involving a child under 13", "Other sexual offences", groupSexual, catViolence, false},
	{"22A", "Causing sexual activity without consent", "Other sexual offences", groupSexual, catViolence, false},
	{"22B", "Sexual activity involving child under 16", "Other sexual offences", groupSexual, catViolence, false},
	{"23", "Incest or familial sexual offences", "Other sexual offences", groupSexual, catViolence, false},
	{"70", "Sexual activity etc with a person with a mental disorder", "Other sexual offences", groupSexual, catViolence, false},
	{"71", "Abuse of children through sexual exploitation", "Other sexual offences", groupSexual, catViolence, false},
	{"72", "Trafficking for sexual exploitation", "Other sexual offences", groupSexual, catViolence, false},
	{"73", "Abuse of position of trust of a sexual nature", "Other sexual offences", groupSexual, catViolence, false},
	{"88A", "Sexual grooming", "Other sexual offences", groupSexual, catViolence, false},
	{"88C", "Other miscellaneous sexual offences", "Other sexual offences", groupSexual, catViolence, false},
	{"88D", "Unnatural sexual offences", "Other sexual offences", groupSexual, catViolence, false},
	{"88E", "Exposure and voyeurism", "Other sexual offences", groupSexual, catViolence, false},
	// Robbery
	{"34A", "Robbery of business property", "Robbery of business property", groupRobbery, catRobbery, false},
	{"34B", "Robbery of personal property", "Robbery of personal property", groupRobbery, catRobbery, false},
	// Theft offences
	{"28A", "Burglary in a dwelling(outcome only)", "Domestic burglary", groupTheft, catBurglary, false},
	{"28B", "Attempted burglary in a dwelling (outcome only)", "Domestic burglary", groupTheft, catBurglary, false},
	{"28C", "Distraction burglary in a dwelling (outcome only)", "Domestic burglary", groupTheft, catBurglary, false},
	{"28D", "Attempted distraction burglary in a dwelling (outcome only)", "Domestic burglary", groupTheft, catBurglary, false},
	{"28E", "Burglary Residential", "Domestic burglary", groupTheft, catBurglary, false},
	{"28F", "Attempted Burglary Residential", "Domestic burglary", groupTheft, catBurglary, false},
	{"28G", "Distraction Burglary Residential", "Domestic burglary", groupTheft, catBurglary, false},
	{"28H", "Attempted Distraction Burglary Residential", "Domestic burglary", groupTheft, catBurglary, false},
	{"29", "Aggravated burglary in a dwelling (outcome only)", "Domestic burglary", groupTheft, catBurglary, false},
	{"29A", "Aggravated Burglary Residential", "Domestic burglary", groupTheft, catBurglary, false},
	{"30A", "Burglary in a building other than a dwelling (outcome only)", "Non-domestic burglary", groupTheft, catBurglary, false},
	{"30B", "Attempted burglary in a building other than a dwelling (outcome only)", "Non-domestic burglary", groupTheft, catBurglary, false},
	{"30C", "Burglary Business and Community", "Non-domestic burglary", groupTheft, catBurglary, false},
	{"30D", "Attempted Burglary Business and Community", "Non-domestic burglary", groupTheft, catBurglary, false},
	{"31", "Aggravated burglary in a building other than a dwelling(outcome only)", "Non-domestic burglary", groupTheft, catBurglary, false},
	{"31A", "Aggravated Burglary Business and Community", "Non-domestic burglary", groupTheft, catBurglary, false},
	{"35", "Blackmail", "Other theft offences", groupTheft, catOtherTheft, false},
	{"37.2", "Aggravated vehicle taking", "Theft of a motor vehicle", groupTheft, catVehicle, false},
	{"39", "Theft from the person", "Theft from the person", groupTheft, catTheftPerson, false},
	{"40", "Theft in a dwelling other than from an automatic machine or meter", "Other theft offences", groupTheft, catOtherTheft, false},
	{"41", "Theft by an employee", "Other theft offences", groupTheft, catOtherTheft, false},
	{"42", "Theft of mail", "Other theft offences", groupTheft, catOtherTheft, false},
	{"43", "Dishonest use of electricity", "Other theft offences", groupTheft, catOtherTheft, false},
	{"44", "Theft or unauthorised taking of a pedal cycle", "Bicycle theft", groupTheft, catBicycle, false},
	{"45", "Theft from vehicle", "Theft from a vehicle", groupTheft, catVehicle, false},
	{"46", "Shoplifting", "Shoplifting", groupTheft, catShoplifting, false},
	{"47", "Theft from automatic machine or meter", "Other theft offences", groupTheft, catOtherTheft, false},
	{"48", "Theft or unauthorised taking of motor vehicle", "Theft of a motor vehicle", groupTheft, catVehicle, false},
	{"49", "Other theft", "Other theft offences", groupTheft, catOtherTheft, false},
	{"49A", "Making off without payment", "Other theft offences", groupTheft, catOtherTheft, false},
	{"126", "Interfering with a motor vehicle", "Vehicle interference", groupTheft, catVehicle, false},
	// Criminal damage and arson
	{"56A", "Arson endangering life", "Arson", groupDamage, catDamage, false},
	{"56B", "Arson not endangering life", "Arson", groupDamage, catDamage, false},
	{"58A", "Criminal damage to a dwelling", "Criminal damage", groupDamage, catDamage, false},
	{"58B", "Criminal damage to a building other than a dwelling", "Criminal damage", groupDamage, catDamage, false},
	{"58C", "Criminal damage to a vehicle", "Criminal damage", groupDamage, catDamage, false},
	{"58D", "Other criminal damage", "Criminal damage", groupDamage, catDamage, false},
	{"58J", "Racially or religiously aggravated criminal damage", "Criminal damage", groupDamage, catDamage, false},
	// Drug offences
	{"92A", "Trafficking in controlled drugs", "Trafficking of drugs", groupDrugs, catDrugs, false},
	{"92C", "Other drug offences", "Possession of drugs", groupDrugs, catDrugs, false},
	{"92D", "Possession of controlled drugs (excl. Cannabis)", "Possession of drugs", groupDrugs, catDrugs, false},
	{"92E", "Possession of controlled drugs (Cannabis)", "Possession of drugs", groupDrugs, catDrugs, false},
	// Possession of weapons offences
	{"10A", "Possession of firearms with intent", "Possession of weapons offences", groupWeapons, catWeapons, false},
	{"10B", "Possession of firearms offences", "Possession of weapons offences", groupWeapons, catWeapons, false},
	{"10C", "Possession of other weapons", "Possession of weapons offences", groupWeapons, catWeapons, false},
	{"10D", "Possession of article with blade or point", "Possession of weapons offences", groupWeapons, catWeapons, false},
	{"81", "Other firearms offences", "Possession of weapons offences", groupWeapons, catWeapons, false},
	{"90", "Other knives offences", "Possession of weapons offences", groupWeapons, catWeapons, false},
	// Public order offences
	{"9A", "Public fear, alarm or distress", "Public order offences", groupPublicOrder, catPublicOrder, false},
	{"9B", "Racially or religiously aggravated public fear, alarm or distress", "Public order offences", groupPublicOrder, catPublicOrder, false},
	{"62A", "Violent disorder", "Public order offences", groupPublicOrder, catPublicOrder, false},
	{"66", "Other offences against the State or public order", "Public order offences", groupPublicOrder, catPublicOrder, false},
	// Miscellaneous crimes
	{"15", "Concealing an infant death close to birth", "Miscellaneous crimes", groupMisc, catOther, false},
	{"24", "Exploitation of prostitution", "Miscellaneous crimes", groupMisc, catOther, false},
	{"26", "Bigamy", "Miscellaneous crimes", groupMisc, catOther, false},
	{"27", "Soliciting for the purposes of prostitution", "Miscellaneous crimes", groupMisc, catOther, false},
	{"33", "Going equipped for stealing, etc", "Miscellaneous crimes", groupMisc, catOther, false},
	{"33A", "Making, supplying or possessing articles for use in fraud", "Miscellaneous crimes", groupMisc, catOther, false},
	{"38", "Profiting from or concealing knowledge of the proceeds of crime", "Miscellaneous crimes", groupMisc, catOther, false},
	{"54", "Handling stolen goods", "Miscellaneous crimes", groupMisc, catOther, false},
	{"59", "Threat or possession with intent to commit criminal damage", "Miscellaneous crimes", groupMisc, catOther, false},
	{"60", "Forgery or use of false drug prescription", "Miscellaneous crimes", groupMisc, catOther, false},
	{"61", "Other forgery", "Miscellaneous crimes", groupMisc, catOther, false},
	{"61A", "Possession of false documents", "Miscellaneous crimes", groupMisc, catOther, false},
	{"67", "Perjury", "Miscellaneous crimes", groupMisc, catOther, false},
	{"69", "Offender Management Act offences", "Miscellaneous crimes", groupMisc, catOther, false},
	{"76", "Aiding suicide", "Miscellaneous crimes", groupMisc, catOther, false},
	{"79", "Perverting the course of justice", "Miscellaneous crimes", groupMisc, catOther, false},
	{"80", "Absconding from lawful custody", "Miscellaneous crimes", groupMisc, catOther, false},
	{"83", "Bail offences", "Miscellaneous crimes", groupMisc, catOther, false},
	{"86", "Obscene publications etc", "Miscellaneous crimes", groupMisc, catOther, false},
	{"95", "Disclosure, obstruction, false or misleading statements etc", "Miscellaneous crimes", groupMisc, catOther, false},
	{"96", "Wildlife", "Miscellaneous crimes", groupMisc, catOther, false},
	{"99", "Other notifiable offences", "Miscellaneous crimes", groupMisc, catOther, false},
	{"802", "Dangerous driving", "Miscellaneous crimes", groupMisc, catOther, false},
	{"814", "Fraud, forgery etc associated with vehicle or driver records", "Miscellaneous crimes", groupMisc, catOther, false},
	// Fraud offences
	{"AF", "Fraud offences recorded by Action Fraud", "Fraud: action fraud", groupFraud, "", true},
	{"CIFAS", "Fraud offences recorded by CIFAS", "Fraud: CIFAS", groupFraud, "", true},
	{"FFA UK", "Fraud offences recorded by Financial Fraud Action UK", "Fraud: Financial Fraud Action UK", groupFraud, "", true},
	{"UK Finance", "Fraud offences recorded by UK Finance", "Fraud: UK Finance", groupFraud, "", true},
}

// Labels of the total, one per source.
const (
	totalKey           = "total"
	totalLabel         = "Total recorded crime"
	totalLabelHO       = "Total recorded crime (excluding fraud)"
	totalLabelPoliceUK = "All crime (excluding anti-social behaviour)"
)

var (
	offenceByCode   map[string]*Offence // exact code
	offenceByUpper  map[string]*Offence // upper-case code
	categoryByKey   map[string]Category // lower-case name and slug
	categoryByExact map[string]Category // exact name
	categoryCodes   map[string]map[string]bool
	groupCodes      map[string]map[string]bool
	subgroupCodes   map[string]map[string]bool
	selectorIndex   map[string]Selector // normalised name -> selector
	selectorNames   []selectorName      // candidates for suggestions
)

type selectorName struct {
	key    string // normalised
	label  string // shown in suggestions
	isCode bool   // an offence code: suggested only for input with a digit
}

func init() {
	offenceByCode = map[string]*Offence{}
	offenceByUpper = map[string]*Offence{}
	categoryCodes = map[string]map[string]bool{}
	groupCodes = map[string]map[string]bool{}
	subgroupCodes = map[string]map[string]bool{}
	addTo := func(m map[string]map[string]bool, k, code string) {
		if k == "" {
			return
		}
		if m[k] == nil {
			m[k] = map[string]bool{}
		}
		m[k][code] = true
	}
	for i := range offenceTable {
		o := &offenceTable[i]
		offenceByCode[o.Code] = o
		offenceByUpper[strings.ToUpper(o.Code)] = o
		addTo(categoryCodes, o.Category, o.Code)
		addTo(groupCodes, o.Group, o.Code)
		addTo(subgroupCodes, o.Subgroup, o.Code)
	}
	categoryByKey = map[string]Category{}
	categoryByExact = map[string]Category{}
	for _, c := range categoryTable {
		categoryByExact[c.Name] = c
		categoryByKey[strings.ToLower(c.Name)] = c
		categoryByKey[c.Slug] = c
	}
	selectorIndex, selectorNames, _ = buildSelectorIndex()
}

// selectorAliases are names used by ONS tables for Home Office groupings
// that the open data spells differently, and everyday words for the total.
var selectorAliases = map[string]Selector{
	"residential burglary":                               publishedSelector(nameResidential),
	"non residential burglary":                           publishedSelector(nameNonResidential),
	"death or serious injury unlawful driving":           publishedSelector(nameUnlawfulDriving),
	"death or serious injury caused by unlawful driving": publishedSelector(nameUnlawfulDriving),
	"miscellaneous crimes against society":               {SelectGroup, groupMisc, groupMisc},
	"all other theft offences":                           {SelectSubgroup, "Other theft offences", "Other theft offences"},
	"vehicle offences":                                   {SelectCategory, catVehicle, catVehicle},
	"rape":                                               {SelectSubgroup, "Rape offences", "Rape offences"},
}

var totalSpellings = []string{"total", "all", "all crime", "total crime", "total recorded crime",
	"total recorded crime excluding fraud", "all crime excluding anti social behaviour"}

// buildSelectorIndex maps normalised names to selectors, in precedence
// order, and reports names that mean two different selections.
func buildSelectorIndex() (map[string]Selector, []selectorName, []string) {
	idx := map[string]Selector{}
	var names []selectorName
	var conflicts []string
	add := func(name string, s Selector, strong bool) {
		k := normaliseText(name)
		if prev, ok := idx[k]; ok {
			if prev != s && strong && (len(hoCodes(prev)) == 0 || !sameSet(hoCodes(prev), hoCodes(s))) {
				conflicts = append(conflicts, fmt.Sprintf("%q: %v and %v", name, prev, s))
			}
			return
		}
		idx[k] = s
		names = append(names, selectorName{k, s.Label, false})
	}
	total := Selector{SelectTotal, totalKey, totalLabel}
	for _, t := range totalSpellings {
		add(t, total, true)
	}
	// A police.uk category that selects exactly the codes of a Home Office
	// group or subgroup of the same name ("Robbery", "Shoplifting") resolves
	// to the category, which works for both sources.
	for _, c := range categoryTable {
		for _, m := range []map[string]map[string]bool{groupCodes, subgroupCodes} {
			if set, ok := m[c.Name]; ok && sameSet(set, categoryCodes[c.Name]) {
				add(c.Name, categorySelector(c), true)
			}
		}
	}
	for _, g := range groupOrder {
		add(g, Selector{SelectGroup, g, g}, true)
	}
	var subgroups []string
	for sg := range subgroupCodes {
		subgroups = append(subgroups, sg)
	}
	sort.Strings(subgroups)
	for _, sg := range subgroups {
		// A subgroup named as its group ("Public order offences") is the group.
		add(sg, Selector{SelectSubgroup, sg, sg}, false)
	}
	for _, c := range categoryTable {
		add(c.Name, categorySelector(c), true)
		add(c.Slug, categorySelector(c), true)
	}
	aliases := make([]string, 0, len(selectorAliases))
	for a := range selectorAliases {
		aliases = append(aliases, a)
	}
	sort.Strings(aliases)
	for _, a := range aliases {
		add(a, selectorAliases[a], true)
	}
	// Descriptions last: "Stalking" is code 8Q, but "Homicide" stays the subgroup.
	for _, o := range offenceTable {
		add(o.Description, codeSelector(o), false)
	}
	// Codes resolve before any name; they are listed only for suggestions.
	for _, o := range offenceTable {
		names = append(names, selectorName{normaliseText(o.Code), codeSelector(o).Label, true})
	}
	return idx, names, conflicts
}

// hoCodes returns the Home Office codes a group, subgroup or category
// selects (nil for the others).
func hoCodes(s Selector) map[string]bool {
	switch s.Kind {
	case SelectGroup:
		return groupCodes[s.Key]
	case SelectSubgroup:
		return subgroupCodes[s.Key]
	case SelectCategory:
		return categoryCodes[s.Key]
	}
	return nil
}

func categorySelector(c Category) Selector { return Selector{SelectCategory, c.Name, c.Name} }

func codeSelector(o Offence) Selector {
	return Selector{SelectCode, o.Code, o.Description + " (" + o.Code + ")"}
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// Offences returns the Home Office taxonomy sorted by code: numerically by
// the code's leading number ("2" < "3A" < "10A" < "104"), then codes without
// one ("AF", "CIFAS").
func Offences() []Offence {
	out := append([]Offence(nil), offenceTable...)
	sort.SliceStable(out, func(i, j int) bool { return offenceCodeLess(out[i].Code, out[j].Code) })
	return out
}

// offenceCodeLess orders codes by leading number, then by the rest.
func offenceCodeLess(a, b string) bool {
	na, ra, oka := leadingNumber(a)
	nb, rb, okb := leadingNumber(b)
	if oka != okb {
		return oka
	}
	if na != nb {
		return na < nb
	}
	if ra != rb {
		return ra < rb
	}
	return a < b
}

func leadingNumber(s string) (int, string, bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, s, false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		return 0, s, false
	}
	return n, s[i:], true
}

// OffenceGroups returns the Home Office offence groups in publication order
// (violence against the person first, fraud last).
func OffenceGroups() []string { return append([]string(nil), groupOrder...) }

// OffenceByCode finds a Home Office offence code (exact, trimmed).
func OffenceByCode(code string) (Offence, bool) {
	o, ok := offenceByCode[strings.TrimSpace(code)]
	if !ok {
		return Offence{}, false
	}
	return *o, true
}

// Categories returns the 14 police.uk categories sorted by name.
func Categories() []Category { return append([]Category(nil), categoryTable...) }

// CategoryByName finds a police.uk category by its name or slug, ignoring case.
func CategoryByName(name string) (Category, bool) {
	c, ok := categoryByKey[strings.ToLower(strings.TrimSpace(name))]
	return c, ok
}

// SelectorKind says how a Selector picks offences.
type SelectorKind int

const (
	SelectTotal    SelectorKind = iota + 1 // all recorded crime: excluding fraud (HO) or excluding ASB (police.uk)
	SelectGroup                            // a Home Office offence group
	SelectSubgroup                         // a Home Office offence subgroup
	SelectCode                             // one Home Office offence code
	SelectCategory                         // one police.uk category
	// SelectPublished is an offence grouping a statistical release
	// publishes that no set of Home Office codes in the open data table
	// reproduces (ONS "Residential burglary", which the break register
	// keeps apart from the table's "Domestic burglary"; "Death or serious
	// injury - unlawful driving"): it selects published figures only.
	SelectPublished
)

// Selector is an offence of interest in a report: a total, a group, a
// subgroup, a code or a police.uk category.
//
// Key is the canonical spelling, as ResolveSelector returns it: "total" for
// the total, the group, subgroup or category name as spelt in Offences and
// Categories, or the code.
type Selector struct {
	Kind  SelectorKind
	Key   string // the group/subgroup/category name or the code
	Label string // for headlines and tables, e.g. "Stalking and harassment", "Total recorded crime (excluding fraud)"
}

// Matches reports whether a stored Count's offence (for its source) belongs
// to the selection. A Home Office code can match a police.uk category through
// its Category; a police.uk category never matches a Home Office group.
//
// For SourceHomeOffice the offence is a code: the total is every known code
// that is not fraud. For SourcePoliceUK it is a category name as police.uk
// spells it: the total is every category but anti-social behaviour. Unknown
// offences and sources match nothing. Matches costs one map lookup.
func (s Selector) Matches(source, offence string) bool {
	switch source {
	case SourceHomeOffice, SourceForce:
		o, ok := offenceByCode[offence]
		if !ok {
			if o, ok = offenceByCode[strings.TrimSpace(offence)]; !ok {
				return false
			}
		}
		switch s.Kind {
		case SelectTotal:
			return !o.Fraud
		case SelectGroup:
			return o.Group == s.Key
		case SelectSubgroup:
			return o.Subgroup == s.Key
		case SelectCode:
			return o.Code == s.Key
		case SelectCategory:
			return o.Category == s.Key
		}
	case SourcePoliceUK:
		switch s.Kind {
		case SelectTotal:
			c, ok := categoryByExact[offence]
			return ok && c.IsCrime
		case SelectCategory:
			return offence == s.Key
		}
	}
	return false
}

// AppliesTo reports whether the selection can be computed from source at all.
// Every selection applies to the Home Office source except a police.uk
// category no offence code maps to (anti-social behaviour); only the total
// and the categories apply to police.uk.
func (s Selector) AppliesTo(source string) bool {
	switch source {
	case SourceHomeOffice, SourceForce:
		switch s.Kind {
		case SelectTotal:
			return true
		case SelectGroup:
			return len(groupCodes[s.Key]) > 0
		case SelectSubgroup:
			return len(subgroupCodes[s.Key]) > 0
		case SelectCode:
			_, ok := offenceByCode[s.Key]
			return ok
		case SelectCategory:
			return len(categoryCodes[s.Key]) > 0
		}
	case SourcePoliceUK:
		switch s.Kind {
		case SelectTotal:
			return true
		case SelectCategory:
			_, ok := categoryByExact[s.Key]
			return ok
		}
	}
	return false
}

// LabelFor returns the label of the selection for one source: the total is
// "Total recorded crime (excluding fraud)" for the Home Office and "All crime
// (excluding anti-social behaviour)" for police.uk; other selections keep
// their Label.
func (s Selector) LabelFor(source string) string {
	if s.Kind == SelectTotal {
		switch source {
		case SourceHomeOffice, SourceForce:
			return totalLabelHO
		case SourcePoliceUK:
			return totalLabelPoliceUK
		}
	}
	return s.Label
}

// ResolveSelector maps what a user typed for --offence (a code, a subgroup
// or group name, or a police.uk category, any case) to a Selector; an unknown
// one is an error wrapping ErrUnknownOffence with suggestions.
//
// It accepts a code ("8Q", "8q", "37.2"); "total", "all" or "Total recorded
// crime" (with or without "(excluding fraud)"); a group, subgroup or police.uk
// category name or slug in any case, with ONS footnote digits and extra
// white space; ONS names of Home Office groupings ("Residential burglary",
// "Miscellaneous crimes against society"); and an offence description
// ("Stalking" is 8Q). When a name is both a police.uk category and a Home
// Office group or subgroup covering the same codes ("Robbery", "Shoplifting",
// "Criminal damage and arson") the result is the category, which applies to
// both sources. Otherwise groups come before subgroups, subgroups before
// categories and categories before descriptions.
func ResolveSelector(s string) (Selector, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Selector{}, fmt.Errorf("%w: empty offence", ErrUnknownOffence)
	}
	if o, ok := offenceByUpper[strings.ToUpper(t)]; ok {
		return codeSelector(*o), nil
	}
	// Descriptions may end in a number ("under 13"): try the text as it is
	// before stripping footnote digits.
	if sel, ok := selectorIndex[normaliseText(t)]; ok {
		return sel, nil
	}
	k := normaliseName(t)
	if sel, ok := selectorIndex[k]; ok {
		return sel, nil
	}
	return Selector{}, fmt.Errorf("%w %q: did you mean %s?", ErrUnknownOffence, s, strings.Join(suggestSelectors(k, 3), ", "))
}

// suggestSelectors returns the labels of the n selections whose names are
// closest to the normalised key k.
func suggestSelectors(k string, n int) []string {
	best := map[string]int{}
	digit := strings.ContainsAny(k, "0123456789")
	for _, c := range selectorNames {
		if c.isCode && !digit {
			continue
		}
		d := similarity(k, c.key)
		if prev, ok := best[c.label]; !ok || d < prev {
			best[c.label] = d
		}
	}
	labels := make([]string, 0, len(best))
	for l := range best {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool {
		if best[labels[i]] != best[labels[j]] {
			return best[labels[i]] < best[labels[j]]
		}
		return labels[i] < labels[j]
	})
	return labels[:min(n, len(labels))]
}

// DefaultSelectors returns the selections reported when --offence is not
// given, for one source: its total, then each of its groups (Home Office
// offence groups except fraud; police.uk crime categories), sorted by label.
// An unknown source has none.
func DefaultSelectors(source string) []Selector {
	var rest []Selector
	switch source {
	case SourceHomeOffice, SourceForce:
		for _, g := range groupOrder {
			if g != groupFraud {
				rest = append(rest, Selector{SelectGroup, g, g})
			}
		}
	case SourcePoliceUK:
		for _, c := range categoryTable {
			if c.IsCrime {
				rest = append(rest, categorySelector(c))
			}
		}
	default:
		return nil
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].Label < rest[j].Label })
	return append([]Selector{{SelectTotal, totalKey, totalLabel}}, rest...)
}
