package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

// update (-update) rewrites testdata/*.golden from the current output.
var update = testutil.Update

// Made-up force codes: absent from the reference data, so names come from
// the trend rows and the goldens do not move when reference data changes.
const (
	codeWilts  = "E23900001"
	codeGwent  = "E23900002"
	codeDyfed  = "E23900003"
	codeNWales = "E23900004"
)

func m(s string) datasets.Month {
	mm, err := datasets.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return mm
}

// trend builds a 12-month row; prev < 0 means no previous window. The
// percentage is computed as the pipeline does, and left out on a base under
// datasets.MinBase.
func trend(source, offence, code, name, end string, count, prev int64, note string) datasets.Trend {
	t := datasets.Trend{AreaCode: code, AreaName: name, Offence: offence, PeriodEnd: m(end), Months: 12,
		Count: count, Source: source, Note: note}
	if prev >= 0 {
		t.HasPrevious, t.Previous, t.Change = true, prev, count-prev
		if prev >= datasets.MinBase {
			t.HasPct, t.PctChange = true, 100*float64(count-prev)/float64(prev)
		}
	}
	return t
}

const sh = "Stalking and harassment"
const vso = "Violence and sexual offences"

// fixtureTrends is a small, hand-checked trend set:
//
//	Home Office, stalking and harassment, 12 months to September 2018:
//	  Wiltshire 3,438 vs 3,000 = +14.6%; Gwent 2,910 vs 3,000 = -3.0%;
//	  Dyfed-Powys 40 vs 30 (base under 50); North Wales 100, no previous year;
//	  England and Wales 565,000 vs 400,000 = +41.25% -> 41.3%.
//	  Wiltshire has no row for July 2018 (a gap), E&W has July-September.
//	police.uk, violence and sexual offences: Wiltshire only, 6,000 vs 5,000 = +20.0%;
//	  no England and Wales row.
//	One 3-month row (not a 12-month window) that only the Trends sheet shows.
func fixtureTrends() []datasets.Trend {
	ho := datasets.SourceHomeOffice
	pu := datasets.SourcePoliceUK
	q := trend(ho, sh, codeWilts, "Wiltshire Police", "2018-09", 900, 800, "")
	q.Months = 3
	return []datasets.Trend{
		trend(pu, vso, codeWilts, "Wiltshire Police", "2018-09", 6000, 5000, ""),
		trend(ho, sh, datasets.CodeEnglandWales, "England and Wales", "2018-09", 565000, 400000, ""),
		trend(ho, sh, datasets.CodeEnglandWales, "England and Wales", "2018-08", 540000, 390000, ""),
		trend(ho, sh, datasets.CodeEnglandWales, "England and Wales", "2018-07", 520000, 380000, ""),
		trend(ho, sh, codeWilts, "Wiltshire Police", "2018-09", 3438, 3000, ""),
		trend(ho, sh, codeWilts, "Wiltshire Police", "2018-08", 3300, 3000, ""),
		trend(ho, sh, codeGwent, "Gwent Police", "2018-09", 2910, 3000, ""),
		trend(ho, sh, codeDyfed, "Dyfed-Powys Police", "2018-09", 40, 30, "base under 50"),
		trend(ho, sh, codeNWales, "North Wales Police", "2018-09", 100, -1, "no previous year"),
		q,
	}
}

func fixtureOptions() Options {
	return Options{
		PeriodEnd: map[string]datasets.Month{datasets.SourceHomeOffice: m("2018-09"), datasets.SourcePoliceUK: m("2018-09")},
		Forces:    []string{codeWilts},
		Synthetic: true,
		Version:   "v0.0.0-test",
		Inputs: []InputSummary{
			{Name: "prc-pfa-mar2013-onwards-tables.ods", Source: datasets.SourceHomeOffice, SHA256: strings.Repeat("ab", 32), Rows: 123456},
			{Name: "2018-09-wiltshire-street.csv", Source: datasets.SourcePoliceUK, SHA256: strings.Repeat("cd", 32), Rows: 7890},
		},
	}
}

// stubEcharts replaces the echarts script for the duration of a test.
func stubEcharts(t *testing.T) {
	t.Helper()
	old := EchartsJS
	EchartsJS = func() ([]byte, error) { return []byte("/*echarts stub*/"), nil }
	t.Cleanup(func() { EchartsJS = old })
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs first at line %d:\n got: %q\nwant: %q\n(run go test ./reports -update and review the diff)", path, i+1, g, w)
		}
	}
}
