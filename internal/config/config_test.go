package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{name: "defaults", yaml: "", check: func(t *testing.T, c Config) {
			if c.Data != "crimetrends-data" || c.Out != "reports" || c.MinBase != 50 {
				t.Errorf("defaults: got %+v", c)
			}
		}},
		{name: "full", yaml: "data: d\ninputs: [a, b.zip]\nout: o\nperiod: 2018-09\nforces: [Wiltshire]\noffences: [8Q]\nmin_base: 30\n",
			check: func(t *testing.T, c Config) {
				if c.Period != "2018-09" || len(c.Inputs) != 2 || c.MinBase != 30 || c.Forces[0] != "Wiltshire" {
					t.Errorf("got %+v", c)
				}
			}},
		{name: "unknown key", yaml: "dta: x\n", wantErr: "field dta not found"},
		{name: "bad period", yaml: "period: 2018-13\n", wantErr: "period"},
		{name: "bad min base", yaml: "min_base: -1\n", wantErr: "min_base"},
		{name: "unknown force", yaml: "forces: [Atlantis Constabulary]\n", wantErr: "forces"},
		{name: "unknown offence", yaml: "offences: [Piracy on the high seas]\n", wantErr: "offences"},
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

func TestLoadResolvesPaths(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(p, []byte("inputs: [in, /abs/x.zip]\n"), 0o644); err != nil {
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
}
