package policeuk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// realDir finds ../shared/data/real next to the repository, or skips.
func realDir(t testing.TB) string {
	t.Helper()
	dir := realDirOrEmpty()
	if dir == "" {
		t.Skip("real data not found at ../shared/data/real from the repository root: skipping")
	}
	return dir
}

func streetFiles(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join(realDir(t), "police-uk-street-geoinfo", "*-street.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no police.uk street samples found: skipping")
	}
	return files
}

// sourcesTable is the table of ../shared/data/real/SOURCES.md: data rows,
// Violence and sexual offences rows and ASB rows per file, as published
// (before removing repeated Crime IDs).
var sourcesTable = map[string][3]int64{
	"2018-10-wiltshire-street.csv":      {5058, 1336, 1389},
	"2018-11-wiltshire-street.csv":      {4740, 1293, 1280},
	"2018-12-wiltshire-street.csv":      {4809, 1399, 1283},
	"2019-01-wiltshire-street.csv":      {4868, 1390, 1165},
	"2019-02-wiltshire-street.csv":      {4493, 1215, 1193},
	"2018-10-sussex-street.csv":         {12326, 3528, 2687},
	"2018-11-sussex-street.csv":         {12121, 3537, 2389},
	"2018-12-sussex-street.csv":         {11151, 3391, 2167},
	"2019-01-sussex-street.csv":         {11404, 3452, 2137},
	"2019-02-sussex-street.csv":         {10489, 3141, 2084},
	"2018-10-city-of-london-street.csv": {782, 125, 126},
	"2018-11-city-of-london-street.csv": {799, 118, 108},
	"2018-12-city-of-london-street.csv": {760, 112, 108},
	"2019-01-city-of-london-street.csv": {617, 76, 93},
	"2019-02-city-of-london-street.csv": {688, 98, 93},
	"2018-10-dyfed-powys-street.csv":    {3415, 1021, 982},
	"2018-11-dyfed-powys-street.csv":    {3137, 979, 796},
	"2018-12-dyfed-powys-street.csv":    {3163, 1137, 726},
	"2019-01-dyfed-powys-street.csv":    {3276, 1134, 762},
	"2019-02-dyfed-powys-street.csv":    {3129, 1094, 727},
}

type refKey struct{ area, offence, month string }

// reference counts a street file independently with encoding/csv: raw
// counts, counts without repeated Crime IDs, and the data rows.
func reference(t *testing.T, data []byte) (raw, dedup map[refKey]int64, rows int64) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	raw, dedup = map[refKey]int64{}, map[refKey]int64{}
	seen := map[string]bool{}
	for _, rec := range recs[1:] {
		rows++
		a, err := datasets.ResolveForce(rec[col["Reported by"]])
		if err != nil {
			t.Fatal(err)
		}
		c, ok := datasets.CategoryByName(rec[col["Crime type"]])
		if !ok {
			t.Fatalf("unknown category %q", rec[col["Crime type"]])
		}
		k := refKey{a.Code, c.Name, rec[col["Month"]]}
		raw[k]++
		if id := rec[col["Crime ID"]]; id != "" {
			if seen[id] {
				continue
			}
			seen[id] = true
		}
		dedup[k]++
	}
	return raw, dedup, rows
}

func TestReadRealSamples(t *testing.T) {
	files := streetFiles(t)
	if len(files) != len(sourcesTable) {
		t.Errorf("found %d street files, SOURCES.md lists %d", len(files), len(sourcesTable))
	}
	for _, path := range files {
		base := filepath.Base(path)
		t.Run(base, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ext, err := Read(context.Background(), base, bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			raw, dedup, rows := reference(t, data)

			got := map[refKey]int64{}
			var used int64
			for _, c := range ext.Counts {
				if c.Start != c.End || c.Source != datasets.SourcePoliceUK {
					t.Errorf("count %+v: want a police.uk month", c)
				}
				got[refKey{c.AreaCode, c.Offence, c.Start.String()}] += c.Count
				used += c.Count
			}
			if len(got) != len(ext.Counts) {
				t.Errorf("%d counts have %d distinct keys", len(ext.Counts), len(got))
			}
			for k, want := range dedup {
				if got[k] != want {
					t.Errorf("%v: got %d, want %d (encoding/csv)", k, got[k], want)
				}
			}
			for k, n := range got {
				if _, ok := dedup[k]; !ok {
					t.Errorf("%v: got %d, want no count", k, n)
				}
			}
			var skipped int64
			for k, n := range raw {
				skipped += n - dedup[k]
			}
			wantStats := datasets.Stats{Read: rows, Used: used}
			if skipped > 0 {
				wantStats.Skipped = map[string]int64{ReasonDuplicate: skipped}
			}
			if ext.Stats.Read != wantStats.Read || ext.Stats.Used != wantStats.Used ||
				ext.Stats.SkippedTotal() != skipped || ext.Stats.Skipped[ReasonDuplicate] != skipped || !ext.Stats.Balanced() {
				t.Errorf("stats: got %+v, want %+v", ext.Stats, wantStats)
			}

			// SOURCES.md's table, checked against the independent count.
			row, ok := sourcesTable[base]
			if !ok {
				t.Fatalf("%s is not in SOURCES.md's table", base)
			}
			var rawVSO, rawASB int64
			for k, n := range raw {
				switch k.offence {
				case catVSO:
					rawVSO += n
				case catASB:
					rawASB += n
				}
			}
			if rows != row[0] || rawVSO != row[1] || rawASB != row[2] {
				t.Errorf("rows, VSO, ASB = %d, %d, %d; SOURCES.md has %d, %d, %d", rows, rawVSO, rawASB, row[0], row[1], row[2])
			}

			m := strings.Join(strings.SplitN(base, "-", 3)[:2], "-")
			if len(ext.Coverage) != 1 || ext.Coverage[0].Start.String() != m || ext.Coverage[0].End.String() != m ||
				ext.Coverage[0].Source != datasets.SourcePoliceUK {
				t.Errorf("coverage: got %+v, want one entry for %s", ext.Coverage, m)
			}
			sum := sha256.Sum256(data)
			if ext.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("SHA256 = %s, want %x", ext.SHA256, sum)
			}
		})
	}
}

// TestReadRealFigures checks figures literally, from SOURCES.md and from
// reading the files by eye.
func TestReadRealFigures(t *testing.T) {
	dir := filepath.Join(realDir(t), "police-uk-street-geoinfo")
	tests := []struct {
		file               string
		area               string
		read, skipped      int64
		vso, asb, shoplift int64
	}{
		// SOURCES.md: 5058 rows, 1336 VSO, 1389 ASB; no repeated IDs.
		{file: "2018-10-wiltshire-street.csv", area: codeWiltshire, read: 5058, vso: 1336, asb: 1389, shoplift: 355},
		// SOURCES.md: 760 rows, 13 repeated Crime IDs, 112 VSO rows and
		// 108 ASB. Five of the 13 repeats are VSO and three shoplifting (75
		// rows), so 107 VSO and 72 shoplifting are counted.
		{file: "2018-12-city-of-london-street.csv", area: "E23000034", read: 760, skipped: 13, vso: 107, asb: 108, shoplift: 72},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ext, err := Read(context.Background(), tt.file, f)
			if err != nil {
				t.Fatal(err)
			}
			if ext.Stats.Read != tt.read || ext.Stats.Skipped[ReasonDuplicate] != tt.skipped ||
				ext.Stats.Used != tt.read-tt.skipped || ext.Stats.Rejected != 0 {
				t.Errorf("stats %+v: want read %d, %d skipped as repeated", ext.Stats, tt.read, tt.skipped)
			}
			got := map[string]int64{}
			for _, c := range ext.Counts {
				if c.AreaCode != tt.area {
					t.Errorf("count %+v: want area %s", c, tt.area)
				}
				got[c.Offence] += c.Count
			}
			if got[catVSO] != tt.vso || got[catASB] != tt.asb || got["Shoplifting"] != tt.shoplift {
				t.Errorf("VSO, ASB, shoplifting = %d, %d, %d; want %d, %d, %d",
					got[catVSO], got[catASB], got["Shoplifting"], tt.vso, tt.asb, tt.shoplift)
			}
		})
	}
}
