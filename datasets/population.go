package datasets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// CodeCityOfLondon is the City of London police force area, whose resident
// population is too small for rates to mean anything (see RateMeaningful).
const CodeCityOfLondon = "E23000034"

// Population is the resident population (and, where known, the number of
// households) of one area at one ONS mid-year estimate.
type Population struct {
	AreaCode string // ONS area code: a force, region, country or England and Wales
	// Vintage is the mid-year estimate, "mid-2018": people resident on 30
	// June of that year. Rates must name it.
	Vintage string
	People  int64
	// Households is the number of households, 0 if unknown. ONS pairs each
	// population with the newest household figures it had, which can be of
	// another year: HouseholdsVintage says which ("mid-2017"), and is empty
	// when the file did not say.
	Households        int64
	HouseholdsVintage string
	Source            string // where the figures come from, in words (a file name for a user's file)
}

// Populations holds populations by area and vintage. It is never changed
// after it is made (Merge returns a new one), so one value may be shared
// between goroutines.
type Populations struct {
	byKey map[popKey]Population
}

type popKey struct{ area, vintage string }

// Get returns the population of an area at a vintage ("mid-2018").
func (p *Populations) Get(areaCode, vintage string) (Population, bool) {
	if p == nil {
		return Population{}, false
	}
	pop, ok := p.byKey[popKey{areaCode, vintage}]
	return pop, ok
}

// Vintages returns the vintages held, oldest first.
func (p *Populations) Vintages() []string {
	if p == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for k := range p.byKey {
		if !seen[k.vintage] {
			seen[k.vintage] = true
			out = append(out, k.vintage)
		}
	}
	sort.Strings(out) // every vintage is "mid-YYYY", so text order is time order
	return out
}

// All returns every population held, sorted by vintage then area code.
func (p *Populations) All() []Population {
	if p == nil {
		return nil
	}
	out := make([]Population, 0, len(p.byKey))
	for _, pop := range p.byKey {
		out = append(out, pop)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Vintage != out[j].Vintage {
			return out[i].Vintage < out[j].Vintage
		}
		return out[i].AreaCode < out[j].AreaCode
	})
	return out
}

// Latest returns the newest population of an area whose reference date
// (30 June of the vintage's year) falls in or before the month onOrBefore.
// Vintages without a figure for the area are passed over, so two areas can
// get different vintages: use LatestVintage to keep one comparison on one
// vintage. ONS publishes a mid-year estimate about a year after its
// reference date and its releases keep using it for a year or more (the
// year ending March 2018 tables use mid-2016), so pass the month the
// figures must have been available by, not the end of the period, when
// reproducing a published rate.
func (p *Populations) Latest(areaCode string, onOrBefore Month) (Population, bool) {
	vs := p.Vintages()
	for i := len(vs) - 1; i >= 0; i-- {
		if vintageMonth(vs[i]) > onOrBefore {
			continue
		}
		if pop, ok := p.Get(areaCode, vs[i]); ok {
			return pop, true
		}
	}
	return Population{}, false
}

// LatestVintage returns the newest vintage whose reference date falls in or
// before onOrBefore and that has a population for every one of codes (a
// force and its peers, say), so that their rates share one denominator
// vintage. It is false when no vintage covers them all, or codes is empty.
func (p *Populations) LatestVintage(codes []string, onOrBefore Month) (string, bool) {
	if len(codes) == 0 {
		return "", false
	}
	vs := p.Vintages()
	for i := len(vs) - 1; i >= 0; i-- {
		if vintageMonth(vs[i]) > onOrBefore {
			continue
		}
		if _, ok := p.Sum(codes, vs[i]); ok {
			return vs[i], true
		}
	}
	return "", false
}

// Sum returns the total population of a set of areas at one vintage, for
// peer groups and totals built like-for-like; each code counts once. It is
// false if any area has no population at that vintage, or codes is empty.
//
// ONS rounds every figure to the nearest 100, so a sum of n areas can miss
// the published figure of the area they make up by up to 50n: the 43 forces
// at mid-2018 sum to 59,116,100 against a published England and Wales of
// 59,115,800. Excluding reproduces ONS's own "excluding" totals exactly.
func (p *Populations) Sum(codes []string, vintage string) (int64, bool) {
	if len(codes) == 0 {
		return 0, false
	}
	seen := make(map[string]bool, len(codes))
	var total int64
	for _, c := range codes {
		if seen[c] {
			continue
		}
		seen[c] = true
		pop, ok := p.Get(c, vintage)
		if !ok {
			return 0, false
		}
		total += pop.People
	}
	return total, true
}

// Excluding returns the population of areaCode less that of the excluded
// areas (each counted once), as ONS computes "England and Wales excluding
// Greater Manchester Police": K04000001 less E23000005 at mid-2018 gives the
// published 56,303,200. It is false if any figure is missing or an excluded
// area is areaCode itself.
func (p *Populations) Excluding(areaCode string, excluded []string, vintage string) (int64, bool) {
	whole, ok := p.Get(areaCode, vintage)
	if !ok {
		return 0, false
	}
	for _, c := range excluded {
		if c == areaCode {
			return 0, false
		}
	}
	if len(excluded) == 0 {
		return whole.People, true
	}
	part, ok := p.Sum(excluded, vintage)
	if !ok {
		return 0, false
	}
	return whole.People - part, true
}

// Merge returns the populations of p and other together; where both have a
// figure for the same area and vintage, other's wins (a user's file over
// the builtin figures). Neither p nor other changes.
func (p *Populations) Merge(other *Populations) *Populations {
	out := &Populations{byKey: map[popKey]Population{}}
	for _, src := range []*Populations{p, other} {
		if src == nil {
			continue
		}
		for k, v := range src.byKey {
			out.byKey[k] = v
		}
	}
	return out
}

// Rate is a rate per 1,000 residents: 1000*count/people. It is false when
// there is no population (people <= 0) or count is negative, and never
// divides by zero. For residential burglary per 1,000 households pass
// Population.Households as people. Check RateMeaningful first.
//
// ONS computes its published rates from unrounded estimates, so a rate from
// the rounded figures here can differ from an ONS table's in the fourth or
// fifth significant figure (at most 50/people relatively): 43,164 offences
// in Wiltshire give 59.942 per 1,000 here and 59.945 in ONS Table P3.
func Rate(count int64, people int64) (float64, bool) {
	if people <= 0 || count < 0 {
		return 0, false
	}
	return 1000 * float64(count) / float64(people), true
}

// RateMeaningful reports whether a rate per 1,000 residents means anything
// for an area. It is false for:
//
//   - British Transport Police, which has no resident population: its
//     offences happen on the railways of every force (ONS gives no BTP
//     rates);
//   - City of London, whose 8,700 residents (mid-2018) are a sliver of the
//     people who work in or visit it, so its rate would be enormous and
//     misleading (ONS prints "+" for it and folds it into London's rate);
//   - codes that are not areas.
//
// Its offences still count in London's and the national totals.
func RateMeaningful(areaCode string) bool {
	if areaCode == CodeBTP || areaCode == CodeCityOfLondon {
		return false
	}
	_, ok := AreaByCode(areaCode)
	return ok
}

var vintagePattern = regexp.MustCompile(`^mid-([12][0-9]{3})$`)

// vintageYear reads "mid-2018". The text must be lower case.
func vintageYear(v string) (int, bool) {
	m := vintagePattern.FindStringSubmatch(v)
	if m == nil {
		return 0, false
	}
	y, _ := strconv.Atoi(m[1])
	return y, y >= 1900 && y <= 2999
}

// vintageMonth is June of the vintage's year, its reference month.
func vintageMonth(v string) Month {
	y, _ := vintageYear(v)
	return MonthOf(y, 6)
}

// BuiltinPopulations returns the ONS mid-year population estimates that
// crimetrends carries for every force, region, country and England and
// Wales: mid-2016, mid-2017 and mid-2018, exactly as ONS printed them
// (rounded to 100) in Table P3 of its police force area data tables. The
// same value is returned on every call; it must not be changed.
func BuiltinPopulations() *Populations { return builtinPopulations() }

var builtinPopulations = sync.OnceValue(func() *Populations {
	p := &Populations{byKey: make(map[popKey]Population, 3*len(builtinFigures))}
	for _, f := range builtinFigures {
		for _, v := range []struct {
			vintage, hhVintage, source string
			people, households         int64
		}{
			{"mid-2016", "mid-2016", sourceMid2016, f.mid2016, f.households2016},
			{"mid-2017", "mid-2017", sourceMid2017, f.mid2017, f.households2017},
			{"mid-2018", "mid-2017", sourceMid2018, f.mid2018, f.households2017},
		} {
			p.byKey[popKey{f.code, v.vintage}] = Population{AreaCode: f.code, Vintage: v.vintage,
				People: v.people, Households: v.households, HouseholdsVintage: v.hhVintage, Source: v.source}
		}
	}
	return p
})

// Sources of the builtin figures, from the footnotes of each Table P3.
const (
	sourceMid2016 = "ONS mid-2016 population estimates; households: 2014-based 2016 household projections " +
		"for England and 2016 household estimates for Wales; as printed in Table P3 of ONS, Crime in " +
		"England and Wales: Police Force Area data tables, year ending March 2018"
	sourceMid2017 = "ONS mid-2017 population estimates; households: 2016-based 2017 household projections " +
		"for England and 2016 household estimates for Wales; as printed in Table P3 of ONS, Crime in " +
		"England and Wales: Police Force Area data tables, year ending December 2018"
	sourceMid2018 = "ONS mid-2018 population estimates; households: 2016-based 2017 household projections " +
		"for England and 2017 household estimates for Wales; as printed in Table P3 of ONS, Crime in " +
		"England and Wales: Police Force Area data tables, year ending June 2019"
)

// builtinFigures are the populations and households of Table P3 of the ONS
// "Crime in England and Wales: Police Force Area data tables" (Crown
// copyright, Open Government Licence v3.0), rounded to 100 as published:
//
//   - mid2016, households2016: year ending March 2018 (v2), whose footnotes
//     say mid-2016 population and 2016 households.
//   - mid2017: year ending December 2018; the year ending June 2018,
//     September 2018 and March 2019 tables print the same figures.
//   - households2017: year ending December 2018 (also September 2018 and
//     March 2019), "2017" households. The year ending June 2019 tables
//     print the same figures beside mid-2018 people, though their footnote
//     calls the Welsh part 2017 estimates where the earlier ones say 2016.
//   - mid2018: year ending June 2019; the same as MYE2018 (and SNHP2017 the
//     same as households2017) in M-O-P-D/popm data/population_data.csv.
//     The September and December 2019 tables print these too, except for
//     their totals excluding Greater Manchester (see Excluding).
//
// Rows follow the tables: England and Wales, England, each region then its
// forces, Wales then its forces.
var builtinFigures = []struct {
	code                           string
	mid2016, mid2017, mid2018      int64
	households2016, households2017 int64
}{
	{"K04000001", 58381200, 58744600, 59115800, 24570500, 24403600}, // ENGLAND AND WALES
	{"E92000001", 55268100, 55619400, 55977200, 23228900, 23053700}, // ENGLAND
	{"E12000001", 2636600, 2644700, 2657900, 1161200, 1156600},      // North East
	{"E23000013", 564600, 566200, 567700, 242400, 241400},           // Cleveland
	{"E23000008", 628100, 630000, 633500, 277000, 278200},           // Durham
	{"E23000007", 1443900, 1448600, 1456600, 641800, 637000},        // Northumbria
	{"E12000002", 7224000, 7258600, 7292100, 3110800, 3101300},      // North West
	{"E23000006", 1049300, 1054100, 1059300, 453500, 455500},        // Cheshire
	{"E23000002", 498800, 498400, 498900, 224400, 224200},           // Cumbria
	{"E23000005", 2780800, 2798800, 2812600, 1178300, 1169100},      // Greater Manchester
	{"E23000003", 1483900, 1490500, 1498300, 632600, 630600},        // Lancashire
	{"E23000004", 1411200, 1416800, 1423100, 622000, 621900},        // Merseyside
	{"E12000003", 5425400, 5450100, 5479600, 2299900, 2290200},      // Yorkshire and The Humber
	{"E23000012", 928500, 929900, 932100, 405500, 402900},           // Humberside
	{"E23000009", 816500, 819800, 824400, 352000, 353200},           // North Yorkshire
	{"E23000011", 1385400, 1393400, 1402900, 585800, 586100},        // South Yorkshire
	{"E23000010", 2295000, 2307000, 2320200, 956600, 948000},        // West Yorkshire
	{"E12000004", 4725400, 4771700, 4804100, 1983800, 1982400},      // East Midlands
	{"E23000018", 1042900, 1049000, 1053300, 450400, 450700},        // Derbyshire
	{"E23000021", 1068900, 1083200, 1093200, 426700, 424700},        // Leicestershire
	{"E23000020", 744800, 751200, 755800, 321100, 323100},           // Lincolnshire
	{"E23000022", 732500, 741200, 747600, 305300, 306600},           // Northamptonshire
	{"E23000019", 1136300, 1147100, 1154200, 480300, 477300},        // Nottinghamshire
	{"E12000005", 5810800, 5860700, 5900800, 2389600, 2382300},      // West Midlands
	{"E23000015", 1120100, 1126200, 1131100, 477600, 478200},        // Staffordshire
	{"E23000017", 559000, 564600, 571000, 239100, 238900},           // Warwickshire
	{"E23000016", 1261100, 1272600, 1282200, 534700, 537500},        // West Mercia
	{"E23000014", 2870600, 2897300, 2916500, 1138200, 1127700},      // West Midlands
	{"E12000006", 6129000, 6168400, 6201200, 2563200, 2549900},      // East
	{"E23000026", 661500, 664600, 669300, 264700, 262900},           // Bedfordshire
	{"E23000023", 841300, 847200, 852500, 346600, 339200},           // Cambridgeshire
	{"E23000028", 1806900, 1820400, 1832800, 756400, 753900},        // Essex
	{"E23000027", 1176400, 1180900, 1184400, 483400, 480700},        // Hertfordshire
	{"E23000024", 891700, 898400, 903700, 389500, 388600},           // Norfolk
	{"E23000025", 751200, 757000, 758600, 322600, 324500},           // Suffolk
	{"E12000007", 8769700, 8825000, 8908100, 3589300, 3480700},      // London
	{"E23000034", 7200, 7700, 8700, 5000, 3700},                     // City of London
	{"E23000001", 8762400, 8817300, 8899400, 3584300, 3477000},      // Metropolitan Police
	{"E12000008", 9030300, 9080800, 9133600, 3751700, 3734800},      // South East
	{"E23000030", 1969100, 1978800, 1985800, 826100, 824800},        // Hampshire
	{"E23000032", 1817400, 1832300, 1846500, 758600, 757400},        // Kent
	{"E23000031", 1181000, 1185300, 1189900, 477900, 471900},        // Surrey
	{"E23000033", 1683600, 1692800, 1703800, 736900, 735700},        // Sussex
	{"E23000029", 2379300, 2391700, 2407600, 952200, 945100},        // Thames Valley
	{"E12000009", 5517000, 5559300, 5599700, 2379500, 2375500},      // South West
	{"E23000036", 1682800, 1695000, 1711500, 715200, 716600},        // Avon and Somerset
	{"E23000035", 1733000, 1749100, 1762400, 755400, 753200},        // Devon and Cornwall
	{"E23000039", 767300, 770700, 772300, 341500, 338900},           // Dorset
	{"E23000037", 623100, 628100, 633600, 267800, 267200},           // Gloucestershire
	{"E23000038", 710800, 716400, 720100, 299800, 299600},           // Wiltshire
	{"W92000004", 3113200, 3125200, 3138600, 1341600, 1349900},      // WALES
	{"W15000004", 516000, 516800, 518100, 225700, 226800},           // Dyfed-Powys
	{"W15000002", 584800, 587700, 591200, 249100, 251100},           // Gwent
	{"W15000001", 694800, 696300, 698400, 302400, 303300},           // North Wales
	{"W15000003", 1317500, 1324400, 1331000, 564400, 568800},        // South Wales
}

// ReadPopulations reads a user's population file, typically newer ONS
// mid-year estimates. It is a CSV file whose header names these columns,
// in any order and any case:
//
//	code        ONS area code (a force, region, country or K04000001); when
//	            empty, name is resolved instead (ResolveArea)
//	name        optional: the area's name
//	population  the resident population, a whole number (thousands
//	            separators allowed); the header "MYE2019" also names it and
//	            gives the vintage mid-2019
//	households  optional: the number of households, empty if unknown;
//	            the header "SNHP2018" also names it and says its figures
//	            are mid-2018 households
//	vintage     "mid-2019"; required unless the population header gives it
//
// M-O-P-D/popm's population_data.csv (code,name,MYE2018,SNHP2017) reads
// as it is, but for its row "Beds Cambs Herts", which is not an area.
// A bad row stops reading with a *RowError naming the file, row (header =
// row 1), column and what was expected; it wraps ErrBadHeader or
// ErrNoSuchColumn for header problems, ErrUnknownForce for an unknown area,
// ErrBadCount for a bad number and ErrBadRow otherwise (a bad vintage, a
// repeated area and vintage, BTP, no rows). Every data row becomes one
// Population, whose Source is name.
func ReadPopulations(name string, r io.Reader) (*Populations, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &RowError{File: name, Err: fmt.Errorf("%w: empty file", ErrBadHeader), Want: popHeaderWant}
	}
	if err != nil {
		return nil, popCSVError(name, err)
	}
	cols, headerVintage, hhVintage, err := popColumns(name, header)
	if err != nil {
		return nil, err
	}
	p := &Populations{byKey: map[popKey]Population{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, popCSVError(name, err)
		}
		row, _ := cr.FieldPos(0)
		pop, err := popRow(name, row, header, rec, cols, headerVintage, hhVintage)
		if err != nil {
			return nil, err
		}
		k := popKey{pop.AreaCode, pop.Vintage}
		if _, dup := p.byKey[k]; dup {
			return nil, &RowError{File: name, Row: row, Column: header[cols.code], Value: pop.AreaCode,
				Err: fmt.Errorf("%w: a second %s figure for %s", ErrBadRow, pop.Vintage, pop.AreaCode), Want: "one row per area and vintage"}
		}
		p.byKey[k] = pop
	}
	if len(p.byKey) == 0 {
		return nil, &RowError{File: name, Err: fmt.Errorf("%w: no populations", ErrBadRow), Want: "a row per area"}
	}
	return p, nil
}

const popHeaderWant = "a header code,name,population[,households][,vintage]"

// popCols holds column indexes, -1 when absent.
type popCols struct{ code, name, population, households, vintage int }

var (
	myeHeader  = regexp.MustCompile(`^mye([12][0-9]{3})$`)
	snhpHeader = regexp.MustCompile(`^snhp([12][0-9]{3})$`)
)

func popColumns(file string, header []string) (popCols, string, string, error) {
	cols := popCols{-1, -1, -1, -1, -1}
	var vintage, hhVintage string
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		var slot *int
		switch {
		case key == "code":
			slot = &cols.code
		case key == "name":
			slot = &cols.name
		case key == "population":
			slot = &cols.population
		case key == "households":
			slot = &cols.households
		case key == "vintage":
			slot = &cols.vintage
		case myeHeader.MatchString(key):
			slot, vintage = &cols.population, "mid-"+key[3:]
		case snhpHeader.MatchString(key):
			slot, hhVintage = &cols.households, "mid-"+key[4:]
		default:
			return cols, "", "", &RowError{File: file, Row: 1, Column: h, Value: h,
				Err: fmt.Errorf("%w: unknown column", ErrBadHeader), Want: popHeaderWant}
		}
		if *slot >= 0 {
			return cols, "", "", &RowError{File: file, Row: 1, Column: h, Value: h,
				Err: fmt.Errorf("%w: a second %s column", ErrBadHeader, key), Want: popHeaderWant}
		}
		*slot = i
	}
	for _, need := range []struct {
		name string
		idx  int
	}{{"code", cols.code}, {"population", cols.population}} {
		if need.idx < 0 {
			return cols, "", "", &RowError{File: file, Row: 1, Column: need.name, Value: need.name,
				Err: ErrNoSuchColumn, Want: popHeaderWant}
		}
	}
	if cols.vintage < 0 && vintage == "" {
		return cols, "", "", &RowError{File: file, Row: 1, Column: "vintage", Value: "vintage", Err: ErrNoSuchColumn,
			Want: "a vintage column, or a population column named for its year (MYE2019)"}
	}
	return cols, vintage, hhVintage, nil
}

func popRow(file string, row int, header, rec []string, cols popCols, headerVintage, hhVintage string) (Population, error) {
	cell := func(i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	bad := func(col int, sentinel error, msg, want string) error {
		err := sentinel
		if msg != "" {
			err = fmt.Errorf("%w: %s", sentinel, msg)
		}
		return &RowError{File: file, Row: row, Column: header[col], Value: cell(col), Err: err, Want: want}
	}
	if len(rec) != len(header) {
		return Population{}, &RowError{File: file, Row: row, Value: strings.Join(rec, ","),
			Err: fmt.Errorf("%w: %d fields", ErrBadRow, len(rec)), Want: fmt.Sprintf("%d fields, as in the header", len(header))}
	}
	var area Area
	switch code := cell(cols.code); {
	case code != "":
		a, ok := AreaByCode(strings.ToUpper(code))
		if !ok {
			return Population{}, bad(cols.code, ErrUnknownForce, "unknown area code",
				"an ONS code of a police force area (E23..., W15...), region (E12...), E92000001, W92000004 or K04000001")
		}
		area = a
	case cols.name >= 0 && cell(cols.name) != "":
		var a Area
		err := fmt.Errorf("%w: name too long", ErrUnknownForce)
		if len(cell(cols.name)) <= maxAreaNameLen { // ResolveArea's suggestions cost time in proportion to the name
			a, err = ResolveArea(cell(cols.name))
		}
		if err != nil {
			return Population{}, &RowError{File: file, Row: row, Column: header[cols.name], Value: cell(cols.name),
				Err: err, Want: "the name of a police force area, region or country, or a code"}
		}
		area = a
	default:
		return Population{}, bad(cols.code, ErrBadRow, "no area", "an area code or name")
	}
	if area.Kind == KindBTP {
		return Population{}, bad(cols.code, ErrBadRow, "British Transport Police has no resident population",
			"a police force area, region or country")
	}
	people, ok := parsePopNumber(cell(cols.population))
	if !ok || people <= 0 {
		return Population{}, bad(cols.population, ErrBadCount, "", "a whole number of people above 0")
	}
	pop := Population{AreaCode: area.Code, Vintage: headerVintage, People: people, Source: file}
	if cols.vintage >= 0 {
		v := strings.ToLower(cell(cols.vintage))
		if _, ok := vintageYear(v); !ok {
			return Population{}, bad(cols.vintage, ErrBadRow, "not a vintage", `a mid-year estimate such as "mid-2019"`)
		}
		if headerVintage != "" && v != headerVintage {
			return Population{}, bad(cols.vintage, ErrBadRow, "disagrees with the population column "+header[cols.population],
				headerVintage)
		}
		pop.Vintage = v
	}
	if cols.households >= 0 {
		if s := cell(cols.households); s != "" && s != ".." {
			n, ok := parsePopNumber(s)
			if !ok {
				return Population{}, bad(cols.households, ErrBadCount, "", `a whole number of households, or empty`)
			}
			pop.Households, pop.HouseholdsVintage = n, hhVintage
		}
	}
	return pop, nil
}

// maxAreaNameLen bounds the area names ReadPopulations tries to resolve.
const maxAreaNameLen = 200

var popNumberPattern = regexp.MustCompile(`^(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)$`)

// parsePopNumber reads a whole number, "720100" or "720,100".
func parsePopNumber(s string) (int64, bool) {
	if !popNumberPattern.MatchString(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	return n, err == nil
}

func popCSVError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &RowError{File: file, Row: pe.Line, Err: fmt.Errorf("%w: %v", ErrBadRow, pe.Err), Want: "well-formed CSV"}
	}
	return fmt.Errorf("read %q: %w", file, err)
}
