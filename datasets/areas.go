package datasets

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

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
	Name    string // ONS style: "Wiltshire", "City of London", "Metropolitan Police", "Devon and Cornwall"
	Kind    AreaKind
	Force   string // the force's own name, e.g. "Wiltshire Police" (forces and BTP only)
	Slug    string // data.police.uk slug, e.g. "wiltshire", "city-of-london" (forces and BTP only)
	Region  string // region code for English forces; empty otherwise
	Country string // CodeEngland or CodeWales for forces and regions; empty for BTP and above
}

// English region codes.
const (
	regionNorthEast     = "E12000001"
	regionNorthWest     = "E12000002"
	regionYorkshire     = "E12000003"
	regionEastMidlands  = "E12000004"
	regionWestMidlands  = "E12000005"
	regionEast          = "E12000006"
	regionLondon        = "E12000007"
	regionSouthEast     = "E12000008"
	regionSouthWest     = "E12000009"
	englishForcePrefix  = "E23"
	welshForcePrefix    = "W15"
	englishRegionPrefix = "E12"
)

// forceTable lists the 43 territorial forces by ONS code, then BTP. Names
// follow ONS (the PFA16NM of the December 2016 boundaries); Force is the
// name the force publishes under on data.police.uk ("Falls within").
var forceTable = []Area{
	{"E23000001", "Metropolitan Police", KindForce, "Metropolitan Police Service", "metropolitan", regionLondon, CodeEngland},
	{"E23000002", "Cumbria", KindForce, "Cumbria Constabulary", "cumbria", regionNorthWest, CodeEngland},
	{"E23000003", "Lancashire", KindForce, "Lancashire Constabulary", "lancashire", regionNorthWest, CodeEngland},
	{"E23000004", "Merseyside", KindForce, "Merseyside Police", "merseyside", regionNorthWest, CodeEngland},
	{"E23000005", "Greater Manchester", KindForce, "Greater Manchester Police", "greater-manchester", regionNorthWest, CodeEngland},
	{"E23000006", "Cheshire", KindForce, "Cheshire Constabulary", "cheshire", regionNorthWest, CodeEngland},
	{"E23000007", "Northumbria", KindForce, "Northumbria Police", "northumbria", regionNorthEast, CodeEngland},
	{"E23000008", "Durham", KindForce, "Durham Constabulary", "durham", regionNorthEast, CodeEngland},
	{"E23000009", "North Yorkshire", KindForce, "North Yorkshire Police", "north-yorkshire", regionYorkshire, CodeEngland},
	{"E23000010", "West Yorkshire", KindForce, "West Yorkshire Police", "west-yorkshire", regionYorkshire, CodeEngland},
	{"E23000011", "South Yorkshire", KindForce, "South Yorkshire Police", "south-yorkshire", regionYorkshire, CodeEngland},
	{"E23000012", "Humberside", KindForce, "Humberside Police", "humberside", regionYorkshire, CodeEngland},
	{"E23000013", "Cleveland", KindForce, "Cleveland Police", "cleveland", regionNorthEast, CodeEngland},
	{"E23000014", "West Midlands", KindForce, "West Midlands Police", "west-midlands", regionWestMidlands, CodeEngland},
	{"E23000015", "Staffordshire", KindForce, "Staffordshire Police", "staffordshire", regionWestMidlands, CodeEngland},
	{"E23000016", "West Mercia", KindForce, "West Mercia Police", "west-mercia", regionWestMidlands, CodeEngland},
	{"E23000017", "Warwickshire", KindForce, "Warwickshire Police", "warwickshire", regionWestMidlands, CodeEngland},
	{"E23000018", "Derbyshire", KindForce, "Derbyshire Constabulary", "derbyshire", regionEastMidlands, CodeEngland},
	{"E23000019", "Nottinghamshire", KindForce, "Nottinghamshire Police", "nottinghamshire", regionEastMidlands, CodeEngland},
	{"E23000020", "Lincolnshire", KindForce, "Lincolnshire Police", "lincolnshire", regionEastMidlands, CodeEngland},
	{"E23000021", "Leicestershire", KindForce, "Leicestershire Police", "leicestershire", regionEastMidlands, CodeEngland},
	{"E23000022", "Northamptonshire", KindForce, "Northamptonshire Police", "northamptonshire", regionEastMidlands, CodeEngland},
	{"E23000023", "Cambridgeshire", KindForce, "Cambridgeshire Constabulary", "cambridgeshire", regionEast, CodeEngland},
	{"E23000024", "Norfolk", KindForce, "Norfolk Constabulary", "norfolk", regionEast, CodeEngland},
	{"E23000025", "Suffolk", KindForce, "Suffolk Constabulary", "suffolk", regionEast, CodeEngland},
	{"E23000026", "Bedfordshire", KindForce, "Bedfordshire Police", "bedfordshire", regionEast, CodeEngland},
	{"E23000027", "Hertfordshire", KindForce, "Hertfordshire Constabulary", "hertfordshire", regionEast, CodeEngland},
	{"E23000028", "Essex", KindForce, "Essex Police", "essex", regionEast, CodeEngland},
	{"E23000029", "Thames Valley", KindForce, "Thames Valley Police", "thames-valley", regionSouthEast, CodeEngland},
	{"E23000030", "Hampshire", KindForce, "Hampshire Constabulary", "hampshire", regionSouthEast, CodeEngland},
	{"E23000031", "Surrey", KindForce, "Surrey Police", "surrey", regionSouthEast, CodeEngland},
	{"E23000032", "Kent", KindForce, "Kent Police", "kent", regionSouthEast, CodeEngland},
	{"E23000033", "Sussex", KindForce, "Sussex Police", "sussex", regionSouthEast, CodeEngland},
	{"E23000034", "City of London", KindForce, "City of London Police", "city-of-london", regionLondon, CodeEngland},
	{"E23000035", "Devon and Cornwall", KindForce, "Devon & Cornwall Police", "devon-and-cornwall", regionSouthWest, CodeEngland},
	{"E23000036", "Avon and Somerset", KindForce, "Avon and Somerset Constabulary", "avon-and-somerset", regionSouthWest, CodeEngland},
	{"E23000037", "Gloucestershire", KindForce, "Gloucestershire Constabulary", "gloucestershire", regionSouthWest, CodeEngland},
	{"E23000038", "Wiltshire", KindForce, "Wiltshire Police", "wiltshire", regionSouthWest, CodeEngland},
	{"E23000039", "Dorset", KindForce, "Dorset Police", "dorset", regionSouthWest, CodeEngland},
	{"W15000001", "North Wales", KindForce, "North Wales Police", "north-wales", "", CodeWales},
	{"W15000002", "Gwent", KindForce, "Gwent Police", "gwent", "", CodeWales},
	{"W15000003", "South Wales", KindForce, "South Wales Police", "south-wales", "", CodeWales},
	{"W15000004", "Dyfed-Powys", KindForce, "Dyfed-Powys Police", "dyfed-powys", "", CodeWales},
	{CodeBTP, "British Transport Police", KindBTP, "British Transport Police", "btp", "", ""},
}

// forceAliases are further spellings of a force seen in the sources, beyond
// its Code, Name, Force and Slug.
var forceAliases = map[string][]string{
	"E23000001": {"Met Police", "Metropolitan Police Service"},
	"E23000005": {"GMP"},
	"E23000030": {"Hampshire and Isle of Wight Constabulary"},
	"E23000034": {"London, City of"},
}

// regionTable and countryTable are the geographies above the forces.
var regionTable = []Area{
	{Code: regionNorthEast, Name: "North East", Kind: KindRegion, Country: CodeEngland},
	{Code: regionNorthWest, Name: "North West", Kind: KindRegion, Country: CodeEngland},
	{Code: regionYorkshire, Name: "Yorkshire and The Humber", Kind: KindRegion, Country: CodeEngland},
	{Code: regionEastMidlands, Name: "East Midlands", Kind: KindRegion, Country: CodeEngland},
	{Code: regionWestMidlands, Name: "West Midlands", Kind: KindRegion, Country: CodeEngland},
	{Code: regionEast, Name: "East", Kind: KindRegion, Country: CodeEngland},
	{Code: regionLondon, Name: "London", Kind: KindRegion, Country: CodeEngland},
	{Code: regionSouthEast, Name: "South East", Kind: KindRegion, Country: CodeEngland},
	{Code: regionSouthWest, Name: "South West", Kind: KindRegion, Country: CodeEngland},
}

var countryTable = []Area{
	{Code: CodeEngland, Name: "England", Kind: KindCountry},
	{Code: CodeWales, Name: "Wales", Kind: KindCountry},
	{Code: CodeEnglandWales, Name: "England and Wales", Kind: KindNation},
}

// areaAliases are further names of regions and countries (ONS tables and
// population files).
var areaAliases = map[string][]string{
	regionWestMidlands: {"West Midlands (region)", "West Midlands region"},
	regionEast:         {"East of England"},
}

// fraudBodies are the national fraud reporting bodies that appear as
// "forces" in Home Office data (normalised).
var fraudBodies = map[string]bool{
	"action fraud":                       true,
	"cifas":                              true,
	"financial fraud action uk":          true,
	"ffa uk":                             true,
	"uk finance":                         true,
	"nfib":                               true,
	"national fraud intelligence bureau": true,
}

// notEnglandWales are forces outside England and Wales (normalised), which
// must not resolve.
var notEnglandWales = map[string]bool{
	"police service of northern ireland": true,
	"psni":                               true,
	"northern ireland":                   true,
	"police scotland":                    true,
	"scotland":                           true,
}

var (
	areaByCode map[string]Area
	forceIndex map[string]string // normalised spelling -> code (forces and BTP)
	areaIndex  map[string]string // normalised spelling -> code (regions and countries)
)

func init() {
	areaByCode = map[string]Area{}
	for _, a := range Areas() {
		areaByCode[a.Code] = a
	}
	forceIndex, _ = buildForceIndex()
	areaIndex, _ = buildAreaIndex()
}

// buildForceIndex maps every normalised spelling of a force to its code and
// reports spellings claimed by two forces (a defect in the tables).
func buildForceIndex() (map[string]string, []string) {
	idx := map[string]string{}
	var conflicts []string
	add := func(spelling, code string) {
		k := forceKey(spelling)
		if k == "" {
			return
		}
		if prev, ok := idx[k]; ok && prev != code {
			conflicts = append(conflicts, fmt.Sprintf("%q: %s and %s", spelling, prev, code))
			return
		}
		idx[k] = code
	}
	for _, a := range forceTable {
		add(a.Name, a.Code)
		add(a.Force, a.Code)
		add(a.Slug, a.Code)
		for _, s := range forceAliases[a.Code] {
			add(s, a.Code)
		}
	}
	return idx, conflicts
}

func buildAreaIndex() (map[string]string, []string) {
	idx := map[string]string{}
	var conflicts []string
	for _, a := range append(append([]Area{}, regionTable...), countryTable...) {
		for _, s := range append([]string{a.Name}, areaAliases[a.Code]...) {
			k := normaliseName(s)
			if prev, ok := idx[k]; ok && prev != a.Code {
				conflicts = append(conflicts, fmt.Sprintf("%q: %s and %s", s, prev, a.Code))
				continue
			}
			idx[k] = a.Code
		}
	}
	return idx, conflicts
}

// Forces returns the 43 territorial forces then BTP, sorted by code (BTP last).
func Forces() []Area { return append([]Area(nil), forceTable...) }

// Areas returns every area: forces, BTP, regions, countries and England and Wales.
func Areas() []Area {
	out := make([]Area, 0, len(forceTable)+len(regionTable)+len(countryTable))
	out = append(out, forceTable...)
	out = append(out, regionTable...)
	return append(out, countryTable...)
}

// AreaByCode finds an area by its code.
func AreaByCode(code string) (Area, bool) {
	a, ok := areaByCode[code]
	return a, ok
}

// ResolveForce maps any spelling found in the sources (ONS, Home Office,
// police.uk, slugs, codes; any case, footnote digits stripped) to a force or
// BTP. An unknown name gives an error wrapping ErrUnknownForce that suggests
// the closest known names.
//
// Matching ignores case, surrounding and repeated white space, footnote
// digits glued to the end ("Greater Manchester7,8"), punctuation ("London,
// City of", "Dyfed Powys"), "&" for "and", and a trailing "Police",
// "Constabulary" or "Police Service". Fraud reporting bodies (see
// IsFraudBody) and forces outside England and Wales do not resolve.
func ResolveForce(name string) (Area, error) {
	t := strings.TrimSpace(name)
	if t == "" {
		return Area{}, fmt.Errorf("%w: empty name", ErrUnknownForce)
	}
	if a, ok := areaByCode[strings.ToUpper(t)]; ok {
		if a.Kind == KindForce || a.Kind == KindBTP {
			return a, nil
		}
		return Area{}, fmt.Errorf("%w %q: %s is a %s, not a police force", ErrUnknownForce, name, a.Name, kindWord(a.Kind))
	}
	k := forceKey(t)
	if code, ok := forceIndex[k]; ok {
		return areaByCode[code], nil
	}
	n := normaliseName(t)
	if fraudBodies[n] {
		return Area{}, fmt.Errorf("%w %q: a national fraud reporting body, not a police force", ErrUnknownForce, name)
	}
	if notEnglandWales[n] || notEnglandWales[k] {
		return Area{}, fmt.Errorf("%w %q: not a police force of England and Wales", ErrUnknownForce, name)
	}
	if code, ok := areaIndex[n]; ok {
		return Area{}, fmt.Errorf("%w %q: %s is a %s, not a police force", ErrUnknownForce, name, areaByCode[code].Name, kindWord(areaByCode[code].Kind))
	}
	return Area{}, fmt.Errorf("%w %q: did you mean %s?", ErrUnknownForce, name, strings.Join(suggestForces(k, 3), ", "))
}

// ResolveArea is ResolveForce extended to regions, countries and England and
// Wales: it accepts their codes and ONS names ("North East", "ENGLAND AND
// WALES", "West Midlands (region)"). A name shared by a force and a region
// ("West Midlands") is the force. Unknown names give an error wrapping
// ErrUnknownForce.
func ResolveArea(name string) (Area, error) {
	t := strings.TrimSpace(name)
	if a, ok := areaByCode[strings.ToUpper(t)]; ok {
		return a, nil
	}
	a, err := ResolveForce(name)
	if err == nil {
		return a, nil
	}
	if code, ok := areaIndex[normaliseName(t)]; ok {
		return areaByCode[code], nil
	}
	return Area{}, err
}

// IsFraudBody reports whether name is one of the national fraud reporting
// bodies that Home Office data lists beside the forces (Action Fraud, CIFAS,
// Financial Fraud Action UK, UK Finance). They record fraud for England and
// Wales as a whole and are not police force areas.
func IsFraudBody(name string) bool { return fraudBodies[normaliseName(name)] }

func kindWord(k AreaKind) string {
	switch k {
	case KindRegion:
		return "region"
	case KindCountry:
		return "country"
	case KindNation:
		return "nation"
	}
	return "area"
}

// forceKey normalises a force spelling and drops a trailing "police",
// "constabulary" or "police service".
func forceKey(s string) string {
	k := normaliseName(s)
	for _, suffix := range []string{" police service", " police force", " constabulary", " police"} {
		if strings.HasSuffix(k, suffix) && len(k) > len(suffix) {
			k = k[:len(k)-len(suffix)]
			break
		}
	}
	return k
}

// normaliseName strips footnote digits from s and normalises the rest with
// normaliseText.
func normaliseName(s string) string { return normaliseText(StripFootnote(s)) }

// normaliseText lower-cases s, reads "&" as "and", turns punctuation into
// spaces and collapses white space.
func normaliseText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	space := true // drop leading space
	for _, r := range s {
		switch {
		case r == '&':
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString("and ")
			space = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default: // white space and punctuation
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// StripFootnote removes footnote markers that ONS glues to names and
// headers: "Greater Manchester7,8" -> "Greater Manchester",
// "Stalking and harassment 5" -> "Stalking and harassment",
// "Total recorded crime (excluding fraud4)" -> "Total recorded crime (excluding fraud)".
// Digits are stripped only after a letter or a closing parenthesis.
func StripFootnote(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if inner, ok := trimFootnoteDigits(s[:len(s)-1]); ok {
			s = inner + ")"
		}
	}
	if t, ok := trimFootnoteDigits(s); ok {
		return t
	}
	return s
}

func trimFootnoteDigits(s string) (string, bool) {
	i := len(s)
	digits := false
	for i > 0 {
		c := s[i-1]
		if c >= '0' && c <= '9' {
			digits = true
		} else if c != ',' && c != ' ' {
			break
		}
		i--
	}
	if !digits || i < 2 {
		return s, false // nothing to strip, or a code such as "E23000001"
	}
	prev := rune(s[i-1])
	if !(unicode.IsLetter(prev) || prev == ')') {
		return s, false
	}
	return strings.TrimRight(s[:i], " "), true
}

// suggestForces returns the ONS names of the n forces whose spellings are
// closest to the normalised key k.
func suggestForces(k string, n int) []string {
	type cand struct {
		name  string
		score int
	}
	var cands []cand
	for _, a := range forceTable {
		best := similarity(k, forceKey(a.Name))
		for _, s := range append([]string{a.Force, a.Slug}, forceAliases[a.Code]...) {
			best = min(best, similarity(k, forceKey(s)))
		}
		cands = append(cands, cand{a.Name, best})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score < cands[j].score
		}
		return cands[i].name < cands[j].name
	})
	out := make([]string, 0, n)
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.name)
	}
	return out
}

// similarity is an edit distance (Levenshtein, on runes) less the length of
// the longer of the common prefix and the common suffix, so that
// abbreviations ("wilts") and partial names ("manchester") rank their full
// name first. Lower is closer.
func similarity(a, b string) int {
	// A name far longer than any force's is no misspelling of one: cap the
	// work so a huge cell cannot make the suggestion slow.
	const longest = 100
	if len(a) > longest {
		a = a[:longest]
	}
	ra, rb := []rune(a), []rune(b)
	prefix := 0
	for prefix < len(ra) && prefix < len(rb) && ra[prefix] == rb[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(ra) && suffix < len(rb) && ra[len(ra)-1-suffix] == rb[len(rb)-1-suffix] {
		suffix++
	}
	return levenshtein(ra, rb) - max(prefix, suffix)
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
