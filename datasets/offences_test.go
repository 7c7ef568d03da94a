package datasets

import (
	"errors"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestOffencesMatchHomeOffice checks every (code, description, subgroup,
// group) row of the Home Office 2017/18 open data against the table, and
// that the table holds no code the data lacks.
func TestOffencesMatchHomeOffice(t *testing.T) {
	rows := readCSV(t, filepath.Join(realDataDir(t), "mopd-crime-sim-toolkit", "prc-pfa-mar2013-onwards-tables201718.csv"))
	if len(rows) != 23068 {
		t.Errorf("%d rows, want 23068", len(rows))
	}
	seen := map[string]bool{}
	bad := 0
	for i, row := range rows {
		code := strings.TrimSpace(row["Offence Code"])
		want := [3]string{strings.TrimSpace(row["Offence Description"]), strings.TrimSpace(row["Offence Subgroup"]), strings.TrimSpace(row["Offence Group"])}
		seen[code] = true
		o, ok := OffenceByCode(code)
		if !ok {
			if bad++; bad <= 20 {
				t.Errorf("row %d: code %q is not in the table", i+2, code)
			}
			continue
		}
		if got := [3]string{o.Description, o.Subgroup, o.Group}; got != want {
			if bad++; bad <= 20 {
				t.Errorf("row %d: code %q = %q, want %q", i+2, code, got, want)
			}
		}
		if o.Fraud != (want[2] == "Fraud offences") {
			t.Errorf("row %d: code %q Fraud = %v, want %v", i+2, code, o.Fraud, !o.Fraud)
		}
	}
	for _, o := range Offences() {
		if !seen[o.Code] {
			t.Errorf("code %q is not in the 2017/18 data", o.Code)
		}
	}
	if len(seen) != 132 || len(Offences()) != 132 {
		t.Errorf("%d codes in the data, %d in the table; want 132", len(seen), len(Offences()))
	}
}

// TestOffencesStalkingHarassmentTotals recomputes the stalking and
// harassment totals of SOURCES.md (Wiltshire 1,896 and Sussex 6,242 in
// 2017/18) through a Selector.
func TestOffencesStalkingHarassmentTotals(t *testing.T) {
	rows := readCSV(t, filepath.Join(realDataDir(t), "mopd-crime-sim-toolkit", "prc-pfa-mar2013-onwards-tables201718.csv"))
	sel, err := ResolveSelector("Stalking and harassment")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, row := range rows {
		if !sel.Matches(SourceHomeOffice, row["Offence Code"]) {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(row["Number of Offences"]), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		a, err := ResolveForce(row["Force Name"])
		if err != nil {
			t.Fatalf("stalking and harassment recorded by %q: %v", row["Force Name"], err)
		}
		got[a.Code] += n
	}
	for code, want := range map[string]int64{"E23000038": 1896, "E23000033": 6242} {
		if got[code] != want {
			t.Errorf("2017/18 stalking and harassment for %s = %d, want %d", code, got[code], want)
		}
	}
}

// TestOffencesCategoriesAgreeWithMapping compares each non-fraud code's
// police.uk category with the crime_sim_toolkit author's mapping (whose
// capitalisation differs from police.uk's).
func TestOffencesCategoriesAgreeWithMapping(t *testing.T) {
	rows := readCSV(t, filepath.Join(realDataDir(t), "mopd-crime-sim-toolkit", "CrimeCatMappings.csv"))
	n := 0
	for _, row := range rows {
		o, ok := OffenceByCode(row["Offence_Code"])
		if !ok {
			t.Errorf("mapping code %q is not in the table", row["Offence_Code"])
			continue
		}
		if o.Fraud {
			continue // not on police.uk
		}
		n++
		if !strings.EqualFold(o.Category, row["Police.uk_Cat"]) {
			t.Errorf("code %s category %q, mapping says %q", o.Code, o.Category, row["Police.uk_Cat"])
		}
	}
	if n != 128 {
		t.Errorf("%d non-fraud codes compared, want 128", n)
	}
}

func TestOffencesTable(t *testing.T) {
	descriptions := map[string]string{}
	subgroupGroup := map[string]string{}
	var codes []string
	for _, o := range Offences() {
		codes = append(codes, o.Code)
		if prev, ok := descriptions[o.Description]; ok {
			t.Errorf("codes %s and %s share the description %q", prev, o.Code, o.Description)
		}
		descriptions[o.Description] = o.Code
		if g, ok := subgroupGroup[o.Subgroup]; ok && g != o.Group {
			t.Errorf("subgroup %q is in groups %q and %q", o.Subgroup, g, o.Group)
		}
		subgroupGroup[o.Subgroup] = o.Group
		if o.Fraud != (o.Group == "Fraud offences") {
			t.Errorf("code %s: Fraud %v in group %q", o.Code, o.Fraud, o.Group)
		}
		if o.Fraud {
			if o.Category != "" {
				t.Errorf("fraud code %s has police.uk category %q", o.Code, o.Category)
			}
			continue
		}
		c, ok := CategoryByName(o.Category)
		if !ok || c.Name != o.Category || !c.IsCrime {
			t.Errorf("code %s: category %q is not a police.uk crime category", o.Code, o.Category)
		}
	}
	wantStart := []string{"1/4.1/4.10/4.2", "2", "3A", "3B", "4.3", "4.4"}
	if !reflect.DeepEqual(codes[:6], wantStart) {
		t.Errorf("Offences() starts %q, want %q", codes[:6], wantStart)
	}
	wantEnd := []string{"814", "AF", "CIFAS", "FFA UK", "UK Finance"}
	if !reflect.DeepEqual(codes[len(codes)-5:], wantEnd) {
		t.Errorf("Offences() ends %q, want %q", codes[len(codes)-5:], wantEnd)
	}
	var sh []string
	for _, o := range Offences() {
		if o.Subgroup == "Stalking and harassment" {
			if o.Group != "Violence against the person" {
				t.Errorf("%s: stalking and harassment in group %q", o.Code, o.Group)
			}
			sh = append(sh, o.Code)
		}
	}
	sort.Strings(sh)
	if want := []string{"8L", "8M", "8Q", "8R"}; !reflect.DeepEqual(sh, want) {
		t.Errorf("stalking and harassment codes = %q, want %q", sh, want)
	}
	wantGroups := []string{"Violence against the person", "Sexual offences", "Robbery", "Theft offences",
		"Criminal damage and arson", "Drug offences", "Possession of weapons offences", "Public order offences",
		"Miscellaneous crimes", "Fraud offences"}
	if got := OffenceGroups(); !reflect.DeepEqual(got, wantGroups) {
		t.Errorf("OffenceGroups() = %q, want %q", got, wantGroups)
	}
}

func TestOffenceCategory(t *testing.T) {
	tests := []struct{ code, want string }{
		{"8Q", "Violence and sexual offences"},
		{"8R", "Violence and sexual offences"},
		{"19C", "Violence and sexual offences"},
		{"1/4.1/4.10/4.2", "Violence and sexual offences"},
		{"46", "Shoplifting"},
		{"44", "Bicycle theft"},
		{"39", "Theft from the person"},
		{"28E", "Burglary"},
		{"30C", "Burglary"},
		{"37.2", "Vehicle crime"},
		{"126", "Vehicle crime"},
		{"45", "Vehicle crime"},
		{"35", "Other theft"},
		{"49A", "Other theft"},
		{"54", "Other crime"},
		{"59", "Other crime"},
		{"9A", "Public order"},
		{"62A", "Public order"},
		{"10D", "Possession of weapons"},
		{"92A", "Drugs"},
		{"58J", "Criminal damage and arson"},
		{"56A", "Criminal damage and arson"},
		{"34A", "Robbery"},
		{"AF", ""},
	}
	for _, tt := range tests {
		o, ok := OffenceByCode(tt.code)
		if !ok || o.Category != tt.want {
			t.Errorf("OffenceByCode(%q).Category = %q, %v; want %q", tt.code, o.Category, ok, tt.want)
		}
	}
	for _, code := range []string{" 8Q ", "8Q"} {
		if o, ok := OffenceByCode(code); !ok || o.Code != "8Q" || o.Description != "Stalking" {
			t.Errorf("OffenceByCode(%q) = %+v, %v", code, o, ok)
		}
	}
	for _, code := range []string{"8q", "8", "", "4/6", "43986"} {
		if o, ok := OffenceByCode(code); ok {
			t.Errorf("OffenceByCode(%q) = %+v; want not found", code, o)
		}
	}
}

func TestCategories(t *testing.T) {
	want := []Category{
		{"Anti-social behaviour", "anti-social-behaviour", false},
		{"Bicycle theft", "bicycle-theft", true},
		{"Burglary", "burglary", true},
		{"Criminal damage and arson", "criminal-damage-arson", true},
		{"Drugs", "drugs", true},
		{"Other crime", "other-crime", true},
		{"Other theft", "other-theft", true},
		{"Possession of weapons", "possession-of-weapons", true},
		{"Public order", "public-order", true},
		{"Robbery", "robbery", true},
		{"Shoplifting", "shoplifting", true},
		{"Theft from the person", "theft-from-the-person", true},
		{"Vehicle crime", "vehicle-crime", true},
		{"Violence and sexual offences", "violent-crime", true},
	}
	if got := Categories(); !reflect.DeepEqual(got, want) {
		t.Errorf("Categories() = %+v\nwant %+v", got, want)
	}
	tests := []struct{ in, want string }{
		{"Violence and sexual offences", "Violence and sexual offences"},
		{"VIOLENCE AND SEXUAL OFFENCES", "Violence and sexual offences"},
		{"violent-crime", "Violence and sexual offences"},
		{" Drugs ", "Drugs"},
		{"Criminal Damage and Arson", "Criminal damage and arson"},
		{"criminal-damage-arson", "Criminal damage and arson"},
		{"anti-social-behaviour", "Anti-social behaviour"},
	}
	for _, tt := range tests {
		c, ok := CategoryByName(tt.in)
		if !ok || c.Name != tt.want {
			t.Errorf("CategoryByName(%q) = %q, %v; want %q", tt.in, c.Name, ok, tt.want)
		}
	}
	for _, in := range []string{"", "Violent crime x", "Stalking and harassment", "8Q"} {
		if c, ok := CategoryByName(in); ok {
			t.Errorf("CategoryByName(%q) = %+v; want not found", in, c)
		}
	}
}

// TestCategoriesPoliceUK checks that every "Crime type" in the street CSVs
// is a category spelt exactly as in the table.
func TestCategoriesPoliceUK(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(realDataDir(t), "police-uk-street-geoinfo", "2018-10-*-street.csv"))
	if len(files) == 0 {
		t.Skip("no street files")
	}
	seen := map[string]bool{}
	for _, path := range files {
		for _, row := range readCSV(t, path) {
			seen[row["Crime type"]] = true
		}
	}
	for name := range seen {
		if c, ok := CategoryByName(name); !ok || c.Name != name {
			t.Errorf("crime type %q: table has %q, %v", name, c.Name, ok)
		}
	}
	if len(seen) != 14 {
		t.Errorf("%d crime types in the October 2018 files, want 14", len(seen))
	}
}

func TestSelectorIndexHasNoConflicts(t *testing.T) {
	if _, _, conflicts := buildSelectorIndex(); len(conflicts) > 0 {
		t.Errorf("names meaning two selections: %v", conflicts)
	}
}

func TestResolveSelector(t *testing.T) {
	total := Selector{SelectTotal, "total", "Total recorded crime"}
	tests := []struct {
		in   string
		want Selector
	}{
		{"8Q", Selector{SelectCode, "8Q", "Stalking (8Q)"}},
		{"8q", Selector{SelectCode, "8Q", "Stalking (8Q)"}},
		{" 37.2 ", Selector{SelectCode, "37.2", "Aggravated vehicle taking (37.2)"}},
		{"104", Selector{SelectCode, "104", "Assault without injury on a constable (104)"}},
		{"1/4.1/4.10/4.2", Selector{SelectCode, "1/4.1/4.10/4.2", "Homicide (1/4.1/4.10/4.2)"}},
		{"uk finance", Selector{SelectCode, "UK Finance", "Fraud offences recorded by UK Finance (UK Finance)"}},
		{"Stalking and harassment", Selector{SelectSubgroup, "Stalking and harassment", "Stalking and harassment"}},
		{"stalking & harassment", Selector{SelectSubgroup, "Stalking and harassment", "Stalking and harassment"}},
		{"Stalking and harassment4", Selector{SelectSubgroup, "Stalking and harassment", "Stalking and harassment"}},
		{"Stalking\nand harassment 5", Selector{SelectSubgroup, "Stalking and harassment", "Stalking and harassment"}},
		{"Violence against the person", Selector{SelectGroup, "Violence against the person", "Violence against the person"}},
		{"VIOLENCE AGAINST THE PERSON6", Selector{SelectGroup, "Violence against the person", "Violence against the person"}},
		{"Violence with injury", Selector{SelectSubgroup, "Violence with injury", "Violence with injury"}},
		{"Homicide5,6", Selector{SelectSubgroup, "Homicide", "Homicide"}},
		{"Drug offences", Selector{SelectGroup, "Drug offences", "Drug offences"}},
		{"Public order offences", Selector{SelectGroup, "Public order offences", "Public order offences"}},
		{"Miscellaneous crimes against society", Selector{SelectGroup, "Miscellaneous crimes", "Miscellaneous crimes"}},
		// ONS's residential burglary is not the open data table's domestic
		// burglary (the break register keeps them apart): a published-only
		// grouping.
		{"Residential burglary6", Selector{SelectPublished, "Residential burglary", "Residential burglary"}},
		{"Non-residential  burglary6,7", Selector{SelectPublished, "Non-residential burglary", "Non-residential burglary"}},
		{"Death or serious injury - unlawful driving", Selector{SelectPublished, "Death or serious injury - unlawful driving", "Death or serious injury - unlawful driving"}},
		{"Violence and sexual offences", Selector{SelectCategory, "Violence and sexual offences", "Violence and sexual offences"}},
		{"violent-crime", Selector{SelectCategory, "Violence and sexual offences", "Violence and sexual offences"}},
		{"Drugs", Selector{SelectCategory, "Drugs", "Drugs"}},
		{"other theft", Selector{SelectCategory, "Other theft", "Other theft"}},
		{"Anti-social behaviour", Selector{SelectCategory, "Anti-social behaviour", "Anti-social behaviour"}},
		// Same codes as the Home Office group or subgroup: the category.
		{"Robbery", Selector{SelectCategory, "Robbery", "Robbery"}},
		{"Shoplifting", Selector{SelectCategory, "Shoplifting", "Shoplifting"}},
		{"Criminal damage and arson", Selector{SelectCategory, "Criminal damage and arson", "Criminal damage and arson"}},
		{"Theft from the person", Selector{SelectCategory, "Theft from the person", "Theft from the person"}},
		{"Stalking", Selector{SelectCode, "8Q", "Stalking (8Q)"}},
		{"Rape of a female child under 13", Selector{SelectCode, "19E", "Rape of a female child under 13 (19E)"}},
		{"Rape of a female child under 16", Selector{SelectCode, "19D", "Rape of a female child under 16 (19D)"}},
		{"total", total},
		{"All", total},
		{"TOTAL RECORDED CRIME", total},
		{"Total recorded crime (excluding fraud)", total},
		{"Total recorded crime (excluding fraud4)", total},
		{"All crime (excluding anti-social behaviour)", total},
	}
	for _, tt := range tests {
		got, err := ResolveSelector(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ResolveSelector(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestResolveSelectorErrors(t *testing.T) {
	tests := []struct{ in, wantMsg string }{
		{"Stalkng and harrassment", `unknown offence "Stalkng and harrassment": did you mean Stalking and harassment, `},
		{"burglry", "did you mean Burglary, "},
		{"8Z", "did you mean "},
		{"", "empty"},
	}
	for _, tt := range tests {
		s, err := ResolveSelector(tt.in)
		if !errors.Is(err, ErrUnknownOffence) {
			t.Errorf("ResolveSelector(%q) = %+v, %v; want ErrUnknownOffence", tt.in, s, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("ResolveSelector(%q) error %q; want it to contain %q", tt.in, err, tt.wantMsg)
		}
	}
}

// TestResolveSelectorRoundTrip resolves every group, subgroup, category and
// code and checks the Home Office codes selected against the table.
func TestResolveSelectorRoundTrip(t *testing.T) {
	matched := func(s Selector) []string {
		var out []string
		for _, o := range Offences() {
			if s.Matches(SourceHomeOffice, o.Code) {
				out = append(out, o.Code)
			}
		}
		return out
	}
	want := func(f func(Offence) bool) []string {
		var out []string
		for _, o := range Offences() {
			if f(o) {
				out = append(out, o.Code)
			}
		}
		return out
	}
	for _, o := range Offences() {
		for _, name := range []string{o.Group, o.Subgroup} {
			s, err := ResolveSelector(name)
			if err != nil {
				t.Errorf("ResolveSelector(%q): %v", name, err)
				continue
			}
			var w []string
			if name == o.Group {
				w = want(func(x Offence) bool { return x.Group == name })
			} else {
				w = want(func(x Offence) bool { return x.Subgroup == name })
			}
			if got := matched(s); !reflect.DeepEqual(got, w) {
				t.Errorf("ResolveSelector(%q) = %+v selects %q, want %q", name, s, got, w)
			}
		}
		s, err := ResolveSelector(o.Code)
		if err != nil || !reflect.DeepEqual(matched(s), []string{o.Code}) {
			t.Errorf("ResolveSelector(%q) = %+v, %v", o.Code, s, err)
		}
	}
	for _, c := range Categories() {
		s, err := ResolveSelector(c.Slug)
		if err != nil || s.Kind != SelectCategory || s.Key != c.Name {
			t.Errorf("ResolveSelector(%q) = %+v, %v", c.Slug, s, err)
		}
		w := want(func(x Offence) bool { return x.Category == c.Name })
		if got := matched(s); !reflect.DeepEqual(got, w) {
			t.Errorf("category %q selects %q, want %q", c.Name, got, w)
		}
	}
	tot, _ := ResolveSelector("total")
	if got, w := matched(tot), want(func(x Offence) bool { return !x.Fraud }); !reflect.DeepEqual(got, w) || len(w) != 128 {
		t.Errorf("total selects %d codes %q, want the 128 non-fraud codes", len(got), got)
	}
}

func TestSelectorMatches(t *testing.T) {
	mustResolve := func(s string) Selector {
		sel, err := ResolveSelector(s)
		if err != nil {
			t.Fatalf("ResolveSelector(%q): %v", s, err)
		}
		return sel
	}
	sh := mustResolve("Stalking and harassment")
	total := mustResolve("total")
	vso := mustResolve("Violence and sexual offences")
	theft := mustResolve("Theft offences")
	code := mustResolve("8Q")
	asb := mustResolve("Anti-social behaviour")
	ho, pu := SourceHomeOffice, SourcePoliceUK
	tests := []struct {
		sel     Selector
		source  string
		offence string
		want    bool
	}{
		{sh, ho, "8L", true},
		{sh, ho, "8M", true},
		{sh, ho, "8Q", true},
		{sh, ho, "8R", true},
		{sh, ho, " 8R ", true},
		{sh, ho, "8N", false},
		{sh, ho, "105A", false},
		{sh, pu, "Violence and sexual offences", false},
		{total, ho, "8Q", true},
		{total, ho, "33A", true}, // articles for use in fraud: a force-recorded miscellaneous crime
		{total, ho, "AF", false},
		{total, ho, "CIFAS", false},
		{total, ho, "UK Finance", false},
		{total, ho, "ZZZ", false},
		{total, ho, "", false},
		{total, pu, "Burglary", true},
		{total, pu, "Violence and sexual offences", true},
		{total, pu, "Anti-social behaviour", false},
		{total, pu, "Nonsense", false},
		{total, "other", "8Q", false},
		{vso, ho, "8Q", true},
		{vso, ho, "19C", true},
		{vso, ho, "46", false},
		{vso, pu, "Violence and sexual offences", true},
		{vso, pu, "Burglary", false},
		{theft, ho, "46", true},
		{theft, ho, "28E", true},
		{theft, ho, "34A", false},
		{theft, pu, "Shoplifting", false},
		{code, ho, "8Q", true},
		{code, ho, "8L", false},
		{code, pu, "Violence and sexual offences", false},
		{asb, pu, "Anti-social behaviour", true},
		{asb, ho, "8Q", false},
	}
	for _, tt := range tests {
		if got := tt.sel.Matches(tt.source, tt.offence); got != tt.want {
			t.Errorf("%+v.Matches(%q, %q) = %v, want %v", tt.sel, tt.source, tt.offence, got, tt.want)
		}
	}
}

func TestSelectorAppliesTo(t *testing.T) {
	tests := []struct {
		sel    string
		source string
		want   bool
	}{
		{"total", SourceHomeOffice, true},
		{"total", SourcePoliceUK, true},
		{"total", "other", false},
		{"Violence against the person", SourceHomeOffice, true},
		{"Violence against the person", SourcePoliceUK, false},
		{"Stalking and harassment", SourcePoliceUK, false},
		{"8Q", SourcePoliceUK, false},
		{"8Q", SourceHomeOffice, true},
		{"Violence and sexual offences", SourceHomeOffice, true},
		{"Violence and sexual offences", SourcePoliceUK, true},
		{"Robbery", SourcePoliceUK, true},
		{"Robbery", SourceHomeOffice, true},
		{"Anti-social behaviour", SourcePoliceUK, true},
		{"Anti-social behaviour", SourceHomeOffice, false},
	}
	for _, tt := range tests {
		s, err := ResolveSelector(tt.sel)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.AppliesTo(tt.source); got != tt.want {
			t.Errorf("%q.AppliesTo(%q) = %v, want %v", tt.sel, tt.source, got, tt.want)
		}
	}
}

func TestSelectorLabelFor(t *testing.T) {
	total, _ := ResolveSelector("total")
	sh, _ := ResolveSelector("stalking and harassment")
	tests := []struct {
		sel    Selector
		source string
		want   string
	}{
		{total, SourceHomeOffice, "Total recorded crime (excluding fraud)"},
		{total, SourcePoliceUK, "All crime (excluding anti-social behaviour)"},
		{total, "", "Total recorded crime"},
		{sh, SourceHomeOffice, "Stalking and harassment"},
		{sh, SourcePoliceUK, "Stalking and harassment"},
	}
	for _, tt := range tests {
		if got := tt.sel.LabelFor(tt.source); got != tt.want {
			t.Errorf("%+v.LabelFor(%q) = %q, want %q", tt.sel, tt.source, got, tt.want)
		}
	}
}

func TestDefaultSelectors(t *testing.T) {
	keys := func(ss []Selector) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Key)
			if !s.AppliesTo(SourceHomeOffice) && !s.AppliesTo(SourcePoliceUK) {
				t.Errorf("default selector %+v applies to no source", s)
			}
		}
		return out
	}
	ho := DefaultSelectors(SourceHomeOffice)
	wantHO := []string{"total", "Criminal damage and arson", "Drug offences", "Miscellaneous crimes",
		"Possession of weapons offences", "Public order offences", "Robbery", "Sexual offences",
		"Theft offences", "Violence against the person"}
	if got := keys(ho); !reflect.DeepEqual(got, wantHO) {
		t.Errorf("DefaultSelectors(homeoffice) = %q, want %q", got, wantHO)
	}
	for _, s := range ho[1:] {
		if s.Kind != SelectGroup || !s.AppliesTo(SourceHomeOffice) {
			t.Errorf("Home Office default %+v: want an applicable group", s)
		}
	}
	pu := DefaultSelectors(SourcePoliceUK)
	wantPU := []string{"total", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
		"Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting",
		"Theft from the person", "Vehicle crime", "Violence and sexual offences"}
	if got := keys(pu); !reflect.DeepEqual(got, wantPU) {
		t.Errorf("DefaultSelectors(policeuk) = %q, want %q", got, wantPU)
	}
	for _, s := range pu[1:] {
		if s.Kind != SelectCategory || !s.AppliesTo(SourcePoliceUK) {
			t.Errorf("police.uk default %+v: want an applicable category", s)
		}
	}
	if ho[0].Kind != SelectTotal || pu[0] != ho[0] {
		t.Errorf("totals %+v and %+v: want one SelectTotal", ho[0], pu[0])
	}
	if got := DefaultSelectors("nope"); got != nil {
		t.Errorf("DefaultSelectors(nope) = %+v, want nil", got)
	}
}

func FuzzResolveSelector(f *testing.F) {
	for _, s := range []string{"8Q", "Stalking and harassment4", "total", "violent-crime", "", "4/6", "43986", "(", "1,2", "Robbery"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sel, err := ResolveSelector(s)
		if err != nil {
			if !errors.Is(err, ErrUnknownOffence) {
				t.Errorf("ResolveSelector(%q) error %v does not wrap ErrUnknownOffence", s, err)
			}
			return
		}
		if !sel.AppliesTo(SourceHomeOffice) && !sel.AppliesTo(SourcePoliceUK) {
			t.Errorf("ResolveSelector(%q) = %+v applies to no source", s, sel)
		}
	})
}

func BenchmarkSelectorMatches(b *testing.B) {
	sel, _ := ResolveSelector("Stalking and harassment")
	codes := []string{"8L", "8N", "46", "AF", "105A", "28E"}
	for i := 0; b.Loop(); i++ {
		sel.Matches(SourceHomeOffice, codes[i%len(codes)])
	}
}

// TestForceSourceUsesCodes checks that a force extract's counts (Home Office
// codes) are selected as the Home Office source's are.
func TestForceSourceUsesCodes(t *testing.T) {
	sh, err := ResolveSelector("Stalking and harassment")
	if err != nil {
		t.Fatal(err)
	}
	if !sh.AppliesTo(SourceForce) || !sh.Matches(SourceForce, "8Q") || sh.Matches(SourceForce, "28E") {
		t.Errorf("stalking and harassment on force extracts: applies %v, 8Q %v, 28E %v",
			sh.AppliesTo(SourceForce), sh.Matches(SourceForce, "8Q"), sh.Matches(SourceForce, "28E"))
	}
	total := DefaultSelectors(SourceForce)[0]
	if got := total.LabelFor(SourceForce); got != total.LabelFor(SourceHomeOffice) {
		t.Errorf("force total label %q, want the Home Office one %q", got, total.LabelFor(SourceHomeOffice))
	}
	if total.Matches(SourceForce, "AF") {
		t.Error("the force total includes fraud")
	}
}
