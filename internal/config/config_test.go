package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{name: "defaults", yaml: "", check: func(t *testing.T, c Config) {
			if c.Data != "crimetrends-data" || c.Out != "reports" || c.MinBase != 50 || c.Window != "rolling-12" {
				t.Errorf("defaults: got %+v", c)
			}
			if g, err := c.Generated(); err != nil || !g.IsZero() {
				t.Errorf("Generated() = %v, %v; want the zero time", g, err)
			}
		}},
		{name: "full", yaml: "data: d\ninputs: [a, b.zip]\nout: o\nperiod: 2018-09\nforces: [Wiltshire]\noffences: [8Q]\nmin_base: 30\n",
			check: func(t *testing.T, c Config) {
				if c.Period != "2018-09" || len(c.Inputs) != 2 || c.MinBase != 30 || c.Forces[0] != "Wiltshire" {
					t.Errorf("got %+v", c)
				}
			}},
		{name: "window spelling", yaml: "window: FY\n", check: func(t *testing.T, c Config) {
			if c.Window != "financial-year" {
				t.Errorf("window = %q, want financial-year", c.Window)
			}
			if w, err := c.WindowKind(); err != nil || w != datasets.WindowFinancialYear {
				t.Errorf("WindowKind() = %q, %v", w, err)
			}
		}},
		{name: "generated at", yaml: "generated_at: 2026-11-01T10:00:00+01:00\n", check: func(t *testing.T, c Config) {
			g, err := c.Generated()
			if want := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC); err != nil || !g.Equal(want) || g.Location() != time.UTC {
				t.Errorf("Generated() = %v, %v; want %v", g, err, want)
			}
		}},
		{name: "boundaries", yaml: "boundaries: pfa.geojson\nboundary_code_property: PFA16CD\npopulations: pop.csv\n",
			check: func(t *testing.T, c Config) {
				if c.Boundaries != "pfa.geojson" || c.BoundaryCodeProperty != "PFA16CD" || c.Populations != "pop.csv" {
					t.Errorf("got %+v", c)
				}
			}},
		{name: "force extract", yaml: `force_extracts:
  - files: [a.csv, b.xlsx]
    mapping:
      force: Wiltshire
      reference: Crime Ref
      recorded: Recorded
      date_format: DD/MM/YYYY
      offence: Offence
      crosswalk: cw.csv
      outcome: Outcome
      cancelled: [Cancelled, No crime]
`, check: func(t *testing.T, c Config) {
			if len(c.ForceExtracts) != 1 {
				t.Fatalf("force_extracts: got %d, want 1", len(c.ForceExtracts))
			}
			fe := c.ForceExtracts[0]
			if !reflect.DeepEqual(fe.Files, []string{"a.csv", "b.xlsx"}) || fe.Mapping.Reference != "Crime Ref" ||
				fe.Mapping.DateFormat != "DD/MM/YYYY" || fe.Mapping.Crosswalk != "cw.csv" ||
				!reflect.DeepEqual(fe.Mapping.Cancelled, []string{"Cancelled", "No crime"}) {
				t.Errorf("got %+v", fe)
			}
		}},
		{name: "unknown key", yaml: "dta: x\n", wantErr: `line 1: unknown key "dta": did you mean "data"?`},
		{name: "bad period", yaml: "period: 2018-13\n", wantErr: "period"},
		{name: "bad min base", yaml: "min_base: -1\n", wantErr: "min_base"},
		{name: "unknown force", yaml: "forces: [Atlantis Constabulary]\n", wantErr: "forces"},
		{name: "unknown offence", yaml: "offences: [Piracy on the high seas]\n", wantErr: "offences"},
		{name: "bad window", yaml: "window: fortnight\n", wantErr: `window: unknown window "fortnight"`},
		{name: "peer group unknown force", yaml: "peer_groups: [{name: MSG, forces: [Dorset, Atlantis]}]\n",
			wantErr: "peer_groups[0].forces[1]: unknown police force \"Atlantis\""},
		{name: "peer group empty", yaml: "peer_groups: [{name: MSG, forces: [Dorset]}, {name: B}]\n",
			wantErr: "peer_groups[1].forces: want at least one force"},
		{name: "peer group repeated force", yaml: "peer_groups: [{forces: [Dorset, dorset police]}]\n",
			wantErr: "peer_groups[0].forces[1]: Dorset is listed twice"},
		{name: "peer group region", yaml: "peer_groups: [{forces: [South West]}]\n", wantErr: "peer_groups[0].forces[0]"},
		{name: "peer group unknown key", yaml: "peer_groups: [{forcs: [Dorset]}]\n", wantErr: `line 1: unknown key "forcs" in peer_groups[0]: did you mean "forces"?`},
		{name: "event bad month", yaml: "events: [{month: April 2019, label: x}]\n", wantErr: "events[0].month"},
		{name: "event no label", yaml: "events: [{month: 2019-04}]\n", wantErr: "events[0].label: want a label"},
		{name: "event bad force", yaml: "events: [{month: 2019-04, label: x, force: Wiltshre}]\n", wantErr: "events[0].force: unknown police force"},
		{name: "event bad offence", yaml: "events: [{month: 2019-04, label: x, offence: Piracy}]\n", wantErr: "events[0].offence"},
		{name: "generated at not RFC 3339", yaml: "generated_at: 2026-11-01 09:00\n", wantErr: `generated_at: "2026-11-01 09:00": want an RFC 3339 time`},
		{name: "boundary property alone", yaml: "boundary_code_property: PFA16CD\n", wantErr: "boundary_code_property: needs boundaries"},
		{name: "force extract no files", yaml: "force_extracts: [{mapping: {force: Wiltshire, reference: r, recorded: d, offence: o}}]\n",
			wantErr: "force_extracts[0].files: want at least one extract file"},
		{name: "force extract bad mapping", yaml: "force_extracts: [{files: [a.csv], mapping: {force: Wiltshire, reference: r, offence: o}}]\n",
			wantErr: "force_extracts[0].mapping: force extract mapping: recorded: a column name is required"},
		{name: "force extract bad date format", yaml: "force_extracts: [{files: [a.csv], mapping: {force: Wiltshire, reference: r, recorded: d, offence: o, date_format: nonsense}}]\n",
			wantErr: "force_extracts[0].mapping: force extract mapping: date_format"},
		{name: "force extract mapping unknown key", yaml: "force_extracts: [{files: [a.csv], mapping: {forse: Wiltshire}}]\n",
			wantErr: `line 1: unknown key "forse" in force_extracts[0].mapping: did you mean "force"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestPeers(t *testing.T) {
	c, err := Parse([]byte("peer_groups:\n  - name: Most similar forces\n    forces: [Dorset, E23000030, gloucestershire constabulary]\n  - forces: [Wiltshire]\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Peers()
	if err != nil {
		t.Fatal(err)
	}
	// Dorset E23000039, Gloucestershire E23000037, Wiltshire E23000038;
	// E23000030 is Hampshire.
	want := []datasets.PeerGroup{
		{Name: "Most similar forces", Members: []string{"E23000039", "E23000030", "E23000037"}},
		{Name: "Peer group", Members: []string{"E23000038"}},
	}
	for _, g := range want {
		for _, code := range g.Members {
			if _, ok := datasets.AreaByCode(code); !ok {
				t.Fatalf("test data: %s is not an area code", code)
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Peers() = %+v\nwant %+v", got, want)
	}
}

func TestEventList(t *testing.T) {
	c, err := Parse([]byte(`events:
  - month: 2019-04
    label: Harassment information notices withdrawn
    force: Wiltshire
    offence: Stalking and harassment
  - {month: 2020-03, label: " Lockdown "}
  - {month: 2018-04, label: Code change, offence: 8q}
`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.EventList()
	if err != nil {
		t.Fatal(err)
	}
	want := []datasets.Event{
		{Month: datasets.MonthOf(2019, 4), Label: "Harassment information notices withdrawn", AreaCode: "E23000038",
			Offence: "Stalking and harassment", Source: "config"},
		{Month: datasets.MonthOf(2020, 3), Label: "Lockdown", Source: "config"},
		{Month: datasets.MonthOf(2018, 4), Label: "Code change", Offence: "Stalking (8Q)", Source: "config"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EventList() = %+v\nwant %+v", got, want)
	}
}

func TestLoadResolvesPaths(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"x/a.csv", "x/cw.csv", "pop.csv", "pfa.geojson"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "c.yaml")
	yml := "inputs: [in, /abs/x.zip]\npopulations: pop.csv\nboundaries: pfa.geojson\n" +
		"force_extracts: [{files: [x/a.csv], mapping: {force: Wiltshire, reference: r, recorded: d, offence: o, crosswalk: x/cw.csv}}]\n"
	if err := os.WriteFile(p, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "in"), "/abs/x.zip"}
	if c.Inputs[0] != want[0] || c.Inputs[1] != want[1] || c.Data != filepath.Join(dir, "crimetrends-data") {
		t.Errorf("got inputs %v data %s, want %v", c.Inputs, c.Data, want)
	}
	for _, g := range [][2]string{
		{c.Populations, filepath.Join(dir, "pop.csv")},
		{c.Boundaries, filepath.Join(dir, "pfa.geojson")},
		{c.ForceExtracts[0].Files[0], filepath.Join(dir, "x", "a.csv")},
		{c.ForceExtracts[0].Mapping.Crosswalk, filepath.Join(dir, "x", "cw.csv")},
	} {
		if g[0] != g[1] {
			t.Errorf("path = %s, want %s", g[0], g[1])
		}
	}
}

func TestLoadMissingFiles(t *testing.T) {
	tests := []struct{ yaml, wantErr string }{
		{"populations: nope.csv\n", `line 1: populations: "nope.csv": no such file or directory (a relative path is taken from the config file's folder, "`},
		{"boundaries: nope.geojson\n", `line 1: boundaries: "nope.geojson": no such file`},
		{"force_extracts: [{files: [nope.csv], mapping: {force: Wiltshire, reference: r, recorded: d, offence: o}}]\n",
			`line 1: force_extracts[0].files[0]: "nope.csv": no such file`},
		{"force_extracts: [{files: [c.yaml], mapping: {force: Wiltshire, reference: r, recorded: d, offence: o, crosswalk: cw.csv}}]\n",
			`line 1: force_extracts[0].mapping.crosswalk: "cw.csv": no such file`},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, []byte(tt.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Load(%q): err = %v, want one containing %q", tt.yaml, err, tt.wantErr)
		}
	}
}

// TestLoadErrors: every mistake in a config file is one line naming the
// file, the line and the key, and saying what to do; a mistyped key
// suggests the nearest one, at every level.
func TestLoadErrors(t *testing.T) {
	const head = "# monthly batch\ndata: data\ninputs:\n  - downloads\nout: reports\nforces: [Wiltshire]\n"
	tests := []struct{ name, yaml, want string }{
		{"typo at the top", head + "minbase: 50\n",
			`config "monthly.yaml" line 7: unknown key "minbase": did you mean "min_base"?`},
		{"typo with a dash", head + "peer-groups: []\n",
			`config "monthly.yaml" line 7: unknown key "peer-groups": did you mean "peer_groups"?`},
		{"typo in a mapping", head + "force_extracts:\n  - files: [x.csv]\n    mapping:\n      force: Wiltshire\n      date_fromat: DD/MM/YYYY\n",
			`config "monthly.yaml" line 11: unknown key "date_fromat" in force_extracts[0].mapping: did you mean "date_format"?`},
		{"typo in an event", head + "events:\n  - {month: 2019-04, label: x}\n  - month: 2019-05\n    lable: y\n",
			`config "monthly.yaml" line 10: unknown key "lable" in events[1]: did you mean "label"?`},
		{"nothing near", head + "colour: blue\n",
			`config "monthly.yaml" line 7: unknown key "colour": the keys there are boundaries, boundary_code_property, data, events, force_extracts, forces, generated_at, history, inputs, min_base, offences, out, peer_groups, period, populations, single_file, source_order, window (see README.md)`},
		{"not a number", head + "min_base: fifty\n",
			`config "monthly.yaml" line 7: min_base: "fifty": want a whole number`},
		{"not a list", "forces: Wiltshire\noffences:\n  bad: x\n",
			`config "monthly.yaml" line 1: forces: want a list ([a, b] or lines starting "- "), not the value "Wiltshire"`},
		{"not a mapping", head + "force_extracts:\n  - x.csv\n",
			`config "monthly.yaml" line 8: force_extracts[0]: want keys and values (key: value on lines of their own), not the value "x.csv"`},
		{"bad YAML", head + "offences: [Burglary\n",
			`config "monthly.yaml" line 7: not valid YAML: did not find expected ',' or ']' (check the indentation, the colons and the quotes)`},
		{"unknown force", "data: d\nforces:\n  - Wiltshire\n  - Atlantis\n",
			`config "monthly.yaml" line 4: forces[1]: unknown police force "Atlantis": did you mean`},
		{"bad month", head + "period: March 2019\n",
			`config "monthly.yaml" line 7: period: month "March 2019": want YYYY-MM`},
		{"missing file", head + "populations: pop/mid-2023.csv\n",
			`config "monthly.yaml" line 7: populations: "pop/mid-2023.csv": no such file or directory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "monthly.yaml"), []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			_, err := Load("monthly.yaml")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Load:\n got %v\nwant %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the message is more than one line: %q", err)
			}
		})
	}
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), `nope.yaml": no such file or directory (give the path of the YAML file with --config)`) {
		t.Errorf("Load(missing file): %v", err)
	}
}
