package datasets

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/internal/testutil"
)

// realDataDir returns ../shared/data/real relative to the repository root
// (the nearest directory above the test holding go.mod), or skips the test.
func realDataDir(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("real data tests are slow: skipping in -short mode")
	}
	return testutil.RealDataDir(t, true)
}

// readCSV reads a whole CSV file with its header as a slice of maps.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		m := map[string]string{}
		for i, h := range header {
			m[h] = rec[i]
		}
		rows = append(rows, m)
	}
	return rows
}

func TestForcesTable(t *testing.T) {
	fs := Forces()
	if len(fs) != 44 {
		t.Fatalf("len(Forces()) = %d, want 44", len(fs))
	}
	var want []string
	for i := 1; i <= 39; i++ {
		want = append(want, fmt.Sprintf("E23%06d", i))
	}
	for i := 1; i <= 4; i++ {
		want = append(want, fmt.Sprintf("W15%06d", i))
	}
	want = append(want, CodeBTP)
	slugs := map[string]bool{}
	for i, a := range fs {
		if a.Code != want[i] {
			t.Errorf("Forces()[%d].Code = %q, want %q", i, a.Code, want[i])
		}
		if a.Name == "" || a.Force == "" || a.Slug == "" {
			t.Errorf("%s: empty Name, Force or Slug: %+v", a.Code, a)
		}
		if slugs[a.Slug] {
			t.Errorf("%s: duplicate slug %q", a.Code, a.Slug)
		}
		slugs[a.Slug] = true
		switch {
		case a.Code == CodeBTP:
			if a.Kind != KindBTP || a.Region != "" || a.Country != "" || a.Slug != "btp" || a.Name != "British Transport Police" {
				t.Errorf("BTP = %+v", a)
			}
		case strings.HasPrefix(a.Code, "E23"):
			if a.Kind != KindForce || a.Country != CodeEngland || !strings.HasPrefix(a.Region, "E12") {
				t.Errorf("English force %+v: want KindForce, Country %s, an E12 region", a, CodeEngland)
			}
			if r, ok := AreaByCode(a.Region); !ok || r.Kind != KindRegion {
				t.Errorf("%s: region %q is not a region area", a.Code, a.Region)
			}
		default:
			if a.Kind != KindForce || a.Country != CodeWales || a.Region != "" {
				t.Errorf("Welsh force %+v: want KindForce, Country %s, no region", a, CodeWales)
			}
		}
	}
	// Forces returns a copy.
	fs[0].Name = "changed"
	if Forces()[0].Name != "Metropolitan Police" {
		t.Errorf("Forces() shares its backing array with the table")
	}
}

func TestForceFacts(t *testing.T) {
	tests := []struct {
		code, name, force, slug, region string
	}{
		{"E23000001", "Metropolitan Police", "Metropolitan Police Service", "metropolitan", "E12000007"},
		{"E23000034", "City of London", "City of London Police", "city-of-london", "E12000007"},
		{"E23000038", "Wiltshire", "Wiltshire Police", "wiltshire", "E12000009"},
		{"E23000033", "Sussex", "Sussex Police", "sussex", "E12000008"},
		{"E23000036", "Avon and Somerset", "Avon and Somerset Constabulary", "avon-and-somerset", "E12000009"},
		{"E23000035", "Devon and Cornwall", "Devon & Cornwall Police", "devon-and-cornwall", "E12000009"},
		{"E23000005", "Greater Manchester", "Greater Manchester Police", "greater-manchester", "E12000002"},
		{"E23000014", "West Midlands", "West Midlands Police", "west-midlands", "E12000005"},
		{"W15000004", "Dyfed-Powys", "Dyfed-Powys Police", "dyfed-powys", ""},
		{"BTP", "British Transport Police", "British Transport Police", "btp", ""},
	}
	for _, tt := range tests {
		a, ok := AreaByCode(tt.code)
		if !ok {
			t.Errorf("AreaByCode(%q) not found", tt.code)
			continue
		}
		got := [4]string{a.Name, a.Force, a.Slug, a.Region}
		want := [4]string{tt.name, tt.force, tt.slug, tt.region}
		if got != want {
			t.Errorf("AreaByCode(%q) = %q, want %q", tt.code, got, want)
		}
	}
}

func TestAreas(t *testing.T) {
	as := Areas()
	if len(as) != 56 {
		t.Fatalf("len(Areas()) = %d, want 56 (43 forces, BTP, 9 regions, England, Wales, England and Wales)", len(as))
	}
	kinds := map[AreaKind]int{}
	codes := map[string]bool{}
	for _, a := range as {
		kinds[a.Kind]++
		if codes[a.Code] {
			t.Errorf("duplicate code %q", a.Code)
		}
		codes[a.Code] = true
		if got, ok := AreaByCode(a.Code); !ok || got != a {
			t.Errorf("AreaByCode(%q) = %+v, %v; want %+v", a.Code, got, ok, a)
		}
	}
	wantKinds := map[AreaKind]int{KindForce: 43, KindBTP: 1, KindRegion: 9, KindCountry: 2, KindNation: 1}
	for k, n := range wantKinds {
		if kinds[k] != n {
			t.Errorf("%d areas of kind %d, want %d", kinds[k], k, n)
		}
	}
	regions := map[string]string{
		"E12000001": "North East", "E12000002": "North West", "E12000003": "Yorkshire and The Humber",
		"E12000004": "East Midlands", "E12000005": "West Midlands", "E12000006": "East",
		"E12000007": "London", "E12000008": "South East", "E12000009": "South West",
		CodeEngland: "England", CodeWales: "Wales", CodeEnglandWales: "England and Wales",
	}
	for code, name := range regions {
		a, ok := AreaByCode(code)
		if !ok || a.Name != name {
			t.Errorf("AreaByCode(%q) = %q, %v; want %q", code, a.Name, ok, name)
		}
		if strings.HasPrefix(code, "E12") && a.Country != CodeEngland {
			t.Errorf("region %s: Country = %q, want %s", code, a.Country, CodeEngland)
		}
	}
	if _, ok := AreaByCode("E23000040"); ok {
		t.Errorf("AreaByCode(E23000040) found a force that does not exist")
	}
}

func TestForceIndexHasNoConflicts(t *testing.T) {
	if _, conflicts := buildForceIndex(); len(conflicts) > 0 {
		t.Errorf("spellings claimed by two forces: %v", conflicts)
	}
	if _, conflicts := buildAreaIndex(); len(conflicts) > 0 {
		t.Errorf("spellings claimed by two areas: %v", conflicts)
	}
}

func TestResolveForce(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Wiltshire", "E23000038"},
		{"  wiltshire  ", "E23000038"},
		{"WILTSHIRE", "E23000038"},
		{"Wiltshire Police", "E23000038"},
		{"wiltshire", "E23000038"},
		{"E23000038", "E23000038"},
		{"e23000038", "E23000038"},
		{"Avon and Somerset8", "E23000036"},
		{"Avon & Somerset Constabulary", "E23000036"},
		{"avon-and-somerset", "E23000036"},
		{"Greater Manchester7,8", "E23000005"},
		{"Greater Manchester Police", "E23000005"},
		{"City of London11", "E23000034"},
		{"London, City of", "E23000034"},
		{"City of London Police", "E23000034"},
		{"city-of-london", "E23000034"},
		{"Metropolitan Police", "E23000001"},
		{"Metropolitan Police Service", "E23000001"},
		{"metropolitan", "E23000001"},
		{"Devon & Cornwall Police", "E23000035"},
		{"Devon and Cornwall", "E23000035"},
		{"Dyfed-Powys", "W15000004"},
		{"Dyfed-Powys4", "W15000004"},
		{"Dyfed Powys Police", "W15000004"},
		{"dyfed-powys", "W15000004"},
		{"W15000004", "W15000004"},
		{"Sussex Police", "E23000033"},
		{"Sussex8,9", "E23000033"},
		{"North Wales Police", "W15000001"},
		{"Hampshire & Isle of Wight Constabulary", "E23000030"},
		{"West Midlands", "E23000014"},
		{"West Midlands Police", "E23000014"},
		{"Lancashire ", "E23000003"},
		{"British Transport Police", CodeBTP},
		{"British Transport Police7", CodeBTP},
		{"BTP", CodeBTP},
		{"btp", CodeBTP},
	}
	for _, tt := range tests {
		a, err := ResolveForce(tt.in)
		if err != nil || a.Code != tt.want {
			t.Errorf("ResolveForce(%q) = %q, %v; want %q", tt.in, a.Code, err, tt.want)
		}
	}
}

func TestResolveForceErrors(t *testing.T) {
	tests := []struct {
		in      string
		wantMsg string // substring
	}{
		{"Wilts Police", `unknown police force "Wilts Police": did you mean Wiltshire, `},
		{"Police Service of Northern Ireland", "not a police force of England and Wales"},
		{"northern-ireland", "not a police force of England and Wales"},
		{"Action Fraud", "fraud reporting body"},
		{"CIFAS", "fraud reporting body"},
		{"Financial Fraud Action UK", "fraud reporting body"},
		{"UK Finance", "fraud reporting body"},
		{"North East", "North East is a region, not a police force"},
		{"E12000001", "is a region"},
		{"ENGLAND AND WALES7", "nation"},
		{"", "empty"},
		{"Police", "did you mean"},
		{"Gotham City Police", "did you mean"},
		{"Beds Cambs Herts", "did you mean"},
	}
	for _, tt := range tests {
		a, err := ResolveForce(tt.in)
		if !errors.Is(err, ErrUnknownForce) {
			t.Errorf("ResolveForce(%q) = %+v, %v; want an error wrapping ErrUnknownForce", tt.in, a, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("ResolveForce(%q) error %q; want it to contain %q", tt.in, err, tt.wantMsg)
		}
	}
}

func TestResolveForceSuggestions(t *testing.T) {
	tests := []struct {
		in, first string
	}{
		{"Wilts Police", "Wiltshire"},
		{"Manchester", "Greater Manchester"},
		{"Dyfed", "Dyfed-Powys"},
		{"Nottingham Police", "Nottinghamshire"},
		{"Northumberland", "Northumbria"},
		{"Glocestershire", "Gloucestershire"},
	}
	for _, tt := range tests {
		_, err := ResolveForce(tt.in)
		if err == nil {
			t.Errorf("ResolveForce(%q) resolved; want an error", tt.in)
			continue
		}
		msg := err.Error()
		i := strings.Index(msg, "did you mean ")
		if i < 0 {
			t.Errorf("ResolveForce(%q) error %q has no suggestion", tt.in, msg)
			continue
		}
		names := strings.Split(strings.TrimSuffix(msg[i+len("did you mean "):], "?"), ", ")
		if len(names) != 3 || names[0] != tt.first {
			t.Errorf("ResolveForce(%q) suggests %q; want 3 names starting with %q", tt.in, names, tt.first)
		}
	}
}

func TestResolveArea(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ENGLAND AND WALES", CodeEnglandWales},
		{"ENGLAND AND WALES4,5,6,7,8", CodeEnglandWales},
		{"England & Wales", CodeEnglandWales},
		{"ENGLAND8", CodeEngland},
		{"WALES", CodeWales},
		{"West Midlands (region)", "E12000005"},
		{"West Midlands", "E23000014"}, // the force wins
		{"West Midlands Police", "E23000014"},
		{"East ", "E12000006"},
		{"East of England", "E12000006"},
		{"Yorkshire and the Humber", "E12000003"},
		{"North West12", "E12000002"},
		{"London13", "E12000007"},
		{"E12000007", "E12000007"},
		{"K04000001", CodeEnglandWales},
		{"Wiltshire Police", "E23000038"},
		{"btp", CodeBTP},
	}
	for _, tt := range tests {
		a, err := ResolveArea(tt.in)
		if err != nil || a.Code != tt.want {
			t.Errorf("ResolveArea(%q) = %q, %v; want %q", tt.in, a.Code, err, tt.want)
		}
	}
	for _, in := range []string{"Beds Cambs Herts", "Action Fraud", "Scotland", "Atlantis"} {
		if a, err := ResolveArea(in); !errors.Is(err, ErrUnknownForce) {
			t.Errorf("ResolveArea(%q) = %+v, %v; want ErrUnknownForce", in, a, err)
		}
	}
}

func TestIsFraudBody(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Action Fraud", true},
		{"action fraud ", true},
		{"CIFAS", true},
		{"Financial Fraud Action UK", true},
		{"UK Finance", true},
		{"Wiltshire", false},
		{"British Transport Police", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsFraudBody(tt.in); got != tt.want {
			t.Errorf("IsFraudBody(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestStripFootnote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Greater Manchester7,8", "Greater Manchester"},
		{"ENGLAND AND WALES4,5,6,7,8", "ENGLAND AND WALES"},
		{"Stalking and harassment 5", "Stalking and harassment"},
		{"Residential burglary (households) 7,8,10", "Residential burglary (households)"},
		{"Total recorded crime (excluding fraud4)", "Total recorded crime (excluding fraud)"},
		{"British Transport Police7", "British Transport Police"},
		{"West Midlands ", "West Midlands"},
		{"E23000001", "E23000001"},
		{"104", "104"},
		{"37.2", "37.2"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := StripFootnote(tt.in); got != tt.want {
			t.Errorf("StripFootnote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestForcesPopulationData checks codes, ONS names and regions against the
// ONS mid-2018 population file: rows are a region (or country) followed by
// its forces.
func TestForcesPopulationData(t *testing.T) {
	rows := readCSV(t, filepath.Join(realDataDir(t), "mopd-popm", "population_data.csv"))
	if len(rows) != 56 {
		t.Fatalf("population_data.csv: %d rows, want 56", len(rows))
	}
	seen := map[string]bool{}
	var region, country string
	for i, row := range rows {
		code, name := row["code"], row["name"]
		if code == "" { // "Beds Cambs Herts": a collaboration, not an area
			if a, err := ResolveArea(name); err == nil {
				t.Errorf("row %d: ResolveArea(%q) = %s; want an error", i+2, name, a.Code)
			}
			continue
		}
		seen[code] = true
		a, err := ResolveArea(name)
		if err != nil || a.Code != code {
			t.Errorf("row %d: ResolveArea(%q) = %q, %v; want %q", i+2, name, a.Code, err, code)
		}
		switch {
		case strings.HasPrefix(code, "E12"):
			region, country = code, CodeEngland
		case code == CodeWales:
			region, country = "", CodeWales
		case strings.HasPrefix(code, "E23"), strings.HasPrefix(code, "W15"):
			f, err := ResolveForce(name)
			if err != nil || f.Code != code {
				t.Errorf("row %d: ResolveForce(%q) = %q, %v; want %q", i+2, name, f.Code, err, code)
			}
			if f.Name != name {
				t.Errorf("row %d: %s Name = %q, want the ONS name %q", i+2, code, f.Name, name)
			}
			if f.Region != region || f.Country != country {
				t.Errorf("row %d: %s region, country = %q, %q; want %q, %q", i+2, code, f.Region, f.Country, region, country)
			}
		}
	}
	for _, a := range Areas() {
		if a.Kind != KindBTP && !seen[a.Code] {
			t.Errorf("area %s %q is not in population_data.csv", a.Code, a.Name)
		}
	}
}

// TestForcesBoundaries checks codes and ONS names against the PFA16CD and
// PFA16NM properties of the ONS December 2016 boundaries.
func TestForcesBoundaries(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(realDataDir(t), "mopd-popm", "force_boundaries_ugc.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties struct {
				Code string `json:"PFA16CD"`
				Name string `json:"PFA16NM"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, f := range fc.Features {
		p := f.Properties
		got = append(got, p.Code)
		a, err := ResolveForce(p.Name)
		if err != nil || a.Code != p.Code {
			t.Errorf("ResolveForce(%q) = %q, %v; want %q", p.Name, a.Code, err, p.Code)
		}
		if c, ok := AreaByCode(p.Code); !ok || c.Name != p.Name {
			t.Errorf("AreaByCode(%q).Name = %q, want %q", p.Code, c.Name, p.Name)
		}
	}
	for _, a := range Forces() {
		if a.Kind == KindForce {
			want = append(want, a.Code)
		}
	}
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("boundary codes = %v, want %v", got, want)
	}
}

// TestForcesHomeOffice resolves every "Force Name" of the Home Office
// 2017/18 open data, where the fraud bodies must not resolve.
func TestForcesHomeOffice(t *testing.T) {
	rows := readCSV(t, filepath.Join(realDataDir(t), "mopd-crime-sim-toolkit", "prc-pfa-mar2013-onwards-tables201718.csv"))
	names := map[string]bool{}
	for _, row := range rows {
		names[row["Force Name"]] = true
	}
	resolved := map[string]bool{}
	fraud := 0
	for name := range names {
		a, err := ResolveForce(name)
		if IsFraudBody(name) {
			fraud++
			if !errors.Is(err, ErrUnknownForce) {
				t.Errorf("ResolveForce(%q) = %q, %v; want ErrUnknownForce for a fraud body", name, a.Code, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ResolveForce(%q): %v", name, err)
			continue
		}
		resolved[a.Code] = true
	}
	if fraud != 4 || len(resolved) != 44 {
		t.Errorf("%d fraud bodies and %d forces resolved; want 4 and 44 (43 forces and BTP)", fraud, len(resolved))
	}
	for in, want := range map[string]string{"London, City of": "E23000034", "Metropolitan Police": "E23000001", "British Transport Police": CodeBTP} {
		if a, err := ResolveForce(in); err != nil || a.Code != want {
			t.Errorf("ResolveForce(%q) = %q, %v; want %q", in, a.Code, err, want)
		}
	}
}

// TestForcesPoliceUK resolves the "Reported by" and "Falls within" names of
// the street-level CSVs to the force of the file's slug.
func TestForcesPoliceUK(t *testing.T) {
	dir := filepath.Join(realDataDir(t), "police-uk-street-geoinfo")
	files, err := filepath.Glob(filepath.Join(dir, "*-street.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no street files in %s: %v", dir, err)
	}
	for _, path := range files {
		base := filepath.Base(path)
		slug := strings.TrimSuffix(base[len("2018-10-"):], "-street.csv")
		want, err := ResolveForce(slug)
		if err != nil || want.Slug != slug {
			t.Errorf("%s: slug %q resolves to %+v, %v", base, slug, want, err)
			continue
		}
		names := map[string]bool{}
		for _, row := range readCSV(t, path) {
			names[row["Reported by"]] = true
			names[row["Falls within"]] = true
		}
		for name := range names {
			a, err := ResolveForce(name)
			if err != nil || a.Code != want.Code {
				t.Errorf("%s: ResolveForce(%q) = %q, %v; want %q", base, name, a.Code, err, want.Code)
			}
			if name != want.Force {
				t.Errorf("%s: police.uk name %q, but %s Force = %q", base, name, want.Code, want.Force)
			}
		}
	}
}

func FuzzResolveForce(f *testing.F) {
	for _, s := range []string{"Wiltshire", "Greater Manchester7,8", "London, City of", "E23000001", "btp", "", "7", ",", "&", " ( ) ", "Wilts Police", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ResolveForce(s)
		if err == nil {
			if a.Kind != KindForce && a.Kind != KindBTP {
				t.Errorf("ResolveForce(%q) = %+v: not a force", s, a)
			}
			if _, ok := AreaByCode(a.Code); !ok {
				t.Errorf("ResolveForce(%q) = %+v: unknown code", s, a)
			}
		} else if !errors.Is(err, ErrUnknownForce) {
			t.Errorf("ResolveForce(%q) error %v does not wrap ErrUnknownForce", s, err)
		}
		if _, err := ResolveArea(s); err != nil && !errors.Is(err, ErrUnknownForce) {
			t.Errorf("ResolveArea(%q) error %v does not wrap ErrUnknownForce", s, err)
		}
	})
}

// TestResolveForceLongName checks that a huge cell is refused (the
// suggestions compare at most its first 100 bytes, so this stays fast).
func TestResolveForceLongName(t *testing.T) {
	long := strings.Repeat("Wiltshire ", 5000)
	if _, err := ResolveForce(long); !errors.Is(err, ErrUnknownForce) {
		t.Fatalf("err = %v, want ErrUnknownForce", err)
	}
}
