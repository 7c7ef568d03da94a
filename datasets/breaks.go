package datasets

import "sort"

// Break is one entry of the break register: a change in the counting rules
// or in how a force records or supplies crimes, after which figures are not
// comparable with those before. A comparison whose windows straddle a break
// must be annotated or refused.
type Break struct {
	// ID is stable and readable, e.g. "2018-04-course-of-conduct".
	ID string
	// Month is the first month recorded under the new rule (or the first
	// month a force's supply was affected).
	Month Month
	// Offences names what the break affects: "all", a Home Office code
	// ("8Q"), a subgroup ("Stalking and harassment"), a group, a police.uk
	// category, or a series that is not a set of codes ("knife crime", a
	// flag on offences that a selection can only name).
	Offences []string
	// Comparable, when set, names codes or groupings whose combined count is
	// comparable across the break, because the break only moved offences
	// among them: a selection containing all their codes is not affected.
	Comparable []string
	// Forces lists the ONS codes of the forces affected; empty means all.
	Forces []string
	// Effect is one plain-English sentence, fit for a headline caveat.
	Effect string
	// Source says where the break is documented.
	Source string
}

// Sources of the break register.
const (
	breakSourceONS          = "ONS police force area data tables, footnotes"
	breakSourceHOCR         = "Home Office Counting Rules for recorded crime"
	breakSourceStalking     = "GSS note on stalking and harassment statistics"
	breakAll                = "all"
	breakKnifeCrime         = "knife crime"
	breakForceGMP           = "E23000005"
	breakForceDevonCornwall = "E23000035"
)

// breakTable is the register (DOMAIN.md section 6), sorted by Month then ID.
var breakTable = []Break{
	{ID: "1998-04-counting-rules", Month: MonthOf(1998, 4), Offences: []string{breakAll},
		Effect: "Wider counting rules from April 1998 raised the number of offences recorded, so earlier figures are not comparable.",
		Source: breakSourceHOCR},
	{ID: "2002-04-ncrs", Month: MonthOf(2002, 4), Offences: []string{breakAll},
		Effect: "The National Crime Recording Standard from April 2002 raised the number of offences recorded, especially violence, so earlier figures are not comparable.",
		Source: breakSourceHOCR},
	{ID: "2014-recording-compliance", Month: MonthOf(2014, 1), Offences: []string{breakAll},
		Effect: "From 2014 forces recorded more of the crimes reported to them after HMIC data-integrity inspections, each at its own time, so rises since partly reflect better recording, especially of violence and sexual offences.",
		Source: breakSourceONS},
	{ID: "2014-04-stalking-split", Month: MonthOf(2014, 4), Offences: []string{"8L", "8Q"}, Comparable: []string{"8L", "8Q"},
		Effect: "From April 2014 stalking (8Q) was recorded apart from harassment (8L), so only the two together are comparable across the date.",
		Source: breakSourceStalking},
	{ID: "2015-04-newly-notifiable", Month: MonthOf(2015, 4), Offences: []string{"8R"},
		Effect: "Malicious communications and disclosing private sexual images became notifiable offences in April 2015 and have no earlier figures.",
		Source: breakSourceHOCR},
	{ID: "2017-04-burglary", Month: MonthOf(2017, 4), Offences: []string{"Domestic burglary", "Non-domestic burglary", "Residential burglary", "Non-residential burglary"},
		Comparable: []string{"Domestic burglary", "Non-domestic burglary"},
		Effect:     "From April 2017 burglary was split into residential and business and community burglary, so domestic and non-domestic burglary are not comparable with earlier figures, though all burglary is.",
		Source:     breakSourceONS},
	{ID: "2017-04-malicious-communications", Month: MonthOf(2017, 4), Offences: []string{"8R"},
		Effect: "From April 2017 malicious communications (8R) are counted in stalking and harassment, so figures including them are not comparable with earlier ones.",
		Source: breakSourceStalking},
	{ID: "2018-01-gmp-knife-crime", Month: MonthOf(2018, 1), Offences: []string{breakKnifeCrime}, Forces: []string{breakForceGMP},
		Effect: "Greater Manchester Police found in December 2017 that it had under-counted knife crime; its figures step up from January 2018 and earlier ones were not revised.",
		Source: breakSourceONS},
	{ID: "2018-04-course-of-conduct", Month: MonthOf(2018, 4), Offences: []string{"Stalking and harassment", "Violence without injury"},
		Effect: "From April 2018 a course of conduct of stalking or harassment is counted as well as the most serious other offence against the same victim, which raised stalking and harassment and violence without injury.",
		Source: breakSourceStalking},
	{ID: "2019-07-gmp-iops", Month: MonthOf(2019, 7), Offences: []string{breakAll}, Forces: []string{breakForceGMP},
		Effect: "Greater Manchester Police moved to a new recording system (iOPS) in July 2019 and did not supply complete figures after it, so its figures, and totals including it, are not comparable across the date.",
		Source: breakSourceONS},
	{ID: "2020-04-stalking-ex-partner", Month: MonthOf(2020, 4), Offences: []string{"8L", "8Q"}, Comparable: []string{"8L", "8Q"},
		Effect: "From April 2020 a course of conduct against an ex-partner is recorded as stalking rather than harassment, so stalking is not comparable before the year ending March 2021.",
		Source: breakSourceStalking},
	{ID: "2022-11-devon-cornwall-niche", Month: MonthOf(2022, 11), Offences: []string{breakAll}, Forces: []string{breakForceDevonCornwall},
		Effect: "Devon and Cornwall Police moved to a new recording system (Niche) in November 2022 and supplied no figures for October to December 2022, so its figures, and totals including it, are not comparable across the date.",
		Source: breakSourceONS},
}

func init() {
	sort.SliceStable(breakTable, func(i, j int) bool {
		if breakTable[i].Month != breakTable[j].Month {
			return breakTable[i].Month < breakTable[j].Month
		}
		return breakTable[i].ID < breakTable[j].ID
	})
}

// Breaks returns the break register sorted by Month, then ID. The caller may
// modify the result.
func Breaks() []Break {
	out := make([]Break, len(breakTable))
	for i, b := range breakTable {
		b.Offences = append([]string(nil), b.Offences...)
		b.Comparable = append([]string(nil), b.Comparable...)
		b.Forces = append([]string(nil), b.Forces...)
		out[i] = b
	}
	return out
}

// BreaksAffecting returns the breaks, sorted as Breaks, that a comparison of
// the selection in the area over the months from..to must mention: those
// whose Month falls in (from, to], so that some month of the comparison was
// recorded before the break and some after. For a year-on-year comparison,
// from is the first month of the earlier window and to the last month of the
// later one.
//
// A break of "all" offences affects every selection. Otherwise it affects a
// selection named like one of its Offences, or containing any Home Office
// code of its Offences (Selector.Matches with SourceHomeOffice), unless the
// selection contains every code of its Comparable groupings. A break for
// named forces affects those forces and the areas that include them: their
// region, their country and England and Wales. An empty areaCode means any
// area.
func BreaksAffecting(sel Selector, areaCode string, from, to Month) []Break {
	var out []Break
	for _, b := range Breaks() {
		if b.Month > from && b.Month <= to && breakCoversArea(b, areaCode) && breakCoversSelection(b, sel) {
			out = append(out, b)
		}
	}
	return out
}

func breakCoversArea(b Break, areaCode string) bool {
	if len(b.Forces) == 0 || areaCode == "" || areaCode == CodeEnglandWales {
		return true
	}
	for _, f := range b.Forces {
		if f == areaCode {
			return true
		}
		if a, ok := AreaByCode(f); ok && (a.Region == areaCode || a.Country == areaCode) {
			return true
		}
	}
	return false
}

func breakCoversSelection(b Break, sel Selector) bool {
	hit := false
	for _, name := range b.Offences {
		if name == breakAll {
			return true
		}
		k := normaliseText(name)
		if k == normaliseText(sel.Key) || k == normaliseText(sel.Label) {
			return true
		}
		for _, code := range breakCodes(name) {
			hit = hit || sel.Matches(SourceHomeOffice, code)
		}
	}
	if !hit || len(b.Comparable) == 0 {
		return hit
	}
	for _, name := range b.Comparable {
		for _, code := range breakCodes(name) {
			if !sel.Matches(SourceHomeOffice, code) {
				return true
			}
		}
	}
	return false
}

// breakCodes returns the Home Office codes a register name stands for: a
// code, or the codes of a group, subgroup or police.uk category; none for
// "all" and for named series such as knife crime.
func breakCodes(name string) []string {
	if o, ok := offenceByCode[name]; ok {
		return []string{o.Code}
	}
	for _, m := range []map[string]map[string]bool{groupCodes, subgroupCodes, categoryCodes} {
		if set, ok := m[name]; ok {
			codes := make([]string, 0, len(set))
			for c := range set {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			return codes
		}
	}
	return nil
}
