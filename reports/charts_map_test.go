package reports

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

func TestForceTilesCoverEveryForceOnce(t *testing.T) {
	want := map[string]bool{}
	for _, a := range datasets.Forces() {
		if a.Kind == datasets.KindForce {
			want[a.Code] = true
		}
	}
	if len(want) != 43 {
		t.Fatalf("reference data has %d forces, want 43", len(want))
	}
	seen := map[string]bool{}
	at := map[[2]int]string{}
	shorts := map[string]bool{}
	for _, ft := range forceTiles {
		if !want[ft.Code] {
			t.Errorf("tile %s: %s is not a territorial force", ft.Short, ft.Code)
		}
		if seen[ft.Code] {
			t.Errorf("force %s has two tiles", ft.Code)
		}
		seen[ft.Code] = true
		pos := [2]int{ft.Col, ft.Row}
		if other, ok := at[pos]; ok {
			t.Errorf("%s and %s share tile %v", other, ft.Code, pos)
		}
		at[pos] = ft.Code
		if ft.Col < 0 || ft.Col >= tileCols || ft.Row < 0 || ft.Row >= tileRows {
			t.Errorf("%s at %v is off the %dx%d grid", ft.Code, pos, tileCols, tileRows)
		}
		if ft.Short == "" || shorts[ft.Short] || !chartIDPattern.MatchString(strings.ToLower(ft.Short)) {
			t.Errorf("short label %q is empty, repeated or not plain", ft.Short)
		}
		shorts[ft.Short] = true
	}
	for code := range want {
		if !seen[code] {
			t.Errorf("force %s has no tile", code)
		}
	}
}

func TestTileMapBlock(t *testing.T) {
	s := chartSection()
	b, _ := mapBlock(View{}, s)
	if b.ID != "map_homeoffice_stalking" || b.Setup != "" {
		t.Errorf("ID %q, setup %q", b.ID, b.Setup)
	}
	o := option(t, b)
	ss := seriesList(t, o)
	if len(ss) != 2 || ss[0]["type"] != "heatmap" {
		t.Fatalf("series %v", ss)
	}
	coloured, grey := ss[0]["data"].([]any), ss[1]["data"].([]any)
	if len(coloured) != 2 || len(coloured)+len(grey) != 43 {
		t.Fatalf("%d coloured and %d grey tiles, want 2 and 41", len(coloured), len(grey))
	}
	// forceTiles order: Gwent (2,6) comes before Wiltshire (3,7).
	w := coloured[1].(map[string]any)
	if w["name"] != "Wiltshire Police" || !reflect.DeepEqual(w["value"], []any{3.0, 7.0, 14.6}) ||
		w["label"].(map[string]any)["formatter"] != "★ WILTS\n+14.6%" || w["itemStyle"].(map[string]any)["borderWidth"] != 3.0 {
		t.Errorf("Wiltshire tile %v", w)
	}
	g := coloured[0].(map[string]any)
	if g["label"].(map[string]any)["formatter"] != "GWENT\n-3.0%" {
		t.Errorf("Gwent tile %v", g)
	}
	var dyfed map[string]any
	for _, it := range grey {
		if m := it.(map[string]any); m["name"] == "Dyfed-Powys Police" {
			dyfed = m
		}
	}
	if dyfed == nil || dyfed["label"].(map[string]any)["formatter"] != "DYFED\nn/a" {
		t.Errorf("Dyfed-Powys tile %v", dyfed)
	}
	vm := o["visualMap"].([]any)[0].(map[string]any)
	if vm["min"] != -15.0 || vm["max"] != 15.0 || !reflect.DeepEqual(vm["seriesIndex"], []any{0.0}) || vm["dimension"] != 2.0 {
		t.Errorf("visualMap %v", vm)
	}
	rows := tableText(b.Table)
	if len(rows) != 43 {
		t.Fatalf("%d table rows, want 43", len(rows))
	}
	if rows[0] != "Wiltshire Police | WILTS | 3,438 | 3,000 | +438 | +14.6% | " || rows[2] != "Dyfed-Powys Police | DYFED | 40 | 30 | +10 |  | base under 50" {
		t.Errorf("rows %q", rows[:3])
	}
	if !strings.Contains(b.Note, "Tile map") {
		t.Errorf("note %s", b.Note)
	}
	checkSafe(t, b)
}

func TestMapBlockAbsent(t *testing.T) {
	s := chartSection()
	s.Ranking = nil
	if _, ok := mapBlock(View{}, s); ok {
		t.Error("map without any force")
	}
	if bs := overviewBlocks(View{Sections: []Section{s}}); len(bs) != 0 {
		t.Errorf("overview blocks without rankings: %d", len(bs))
	}
}

func TestTileMapHostileAndOffMap(t *testing.T) {
	s := chartSection()
	s.Ranking[1].AreaName = hostile
	s.Ranking = append(s.Ranking, RankRow{AreaCode: datasets.CodeBTP, AreaName: "British Transport Police", Figure: Figure{Present: true, Count: 10}})
	b, _ := mapBlock(View{}, s)
	checkSafe(t, b)
	if !strings.Contains(b.Note, "Not on the map: British Transport Police.") {
		t.Errorf("note %s", b.Note)
	}
	if !strings.Contains(string(b.Option), `Evil \u003c/script\u003e\u003cb\u003e\"x\"__f`+"\u200b"+`__`) {
		t.Errorf("hostile name not escaped as expected in %s", b.Option)
	}
}

// smallGeoJSON has Wiltshire, Gwent and a feature with no force code.
const smallGeoJSON = `{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"OBJECTID":1,"PFA23CD":"E23000038","PFA23NM":"Wiltshire"},"geometry":{"type":"Polygon","coordinates":[[[-2,51],[-1.5,51],[-1.5,51.5],[-2,51]]]}},
 {"type":"Feature","properties":{"OBJECTID":2,"PFA23CD":"W15000002","PFA23NM":"Gwent"},"geometry":{"type":"Polygon","coordinates":[[[-3,51.5],[-2.7,51.5],[-2.7,51.8],[-3,51.5]]]}},
 {"type":"Feature","properties":{"OBJECTID":3,"PFA23CD":"X99","PFA23NM":"Sea"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}
]}`

func TestGeoMapBlock(t *testing.T) {
	s := chartSection()
	s.Ranking[0].AreaName = hostile
	b, _ := mapBlock(View{Boundaries: []byte(smallGeoJSON)}, s)
	checkSafe(t, b)
	setup := string(b.Setup)
	if !strings.HasPrefix(setup, `echarts.registerMap("pfa_homeoffice_stalking", {"type":"FeatureCollection","features":[`) || !strings.HasSuffix(setup, "]});") {
		t.Errorf("setup %s", setup)
	}
	if strings.Count(setup, `"type":"Feature",`) != 2 || !strings.Contains(setup, `"name":"Gwent Police"`) ||
		!strings.Contains(setup, `"name":"Evil \u003c/script\u003e`) || strings.Contains(setup, "OBJECTID") {
		t.Errorf("setup does not hold the two forces, named, and nothing else: %s", setup)
	}
	o := option(t, b)
	sr := seriesList(t, o)[0]
	if sr["type"] != "map" || sr["map"] != "pfa_homeoffice_stalking" {
		t.Errorf("series %v", sr)
	}
	data := sr["data"].([]any)
	if len(data) != 43 {
		t.Fatalf("%d map items, want 43", len(data))
	}
	found := 0
	for _, it := range data {
		m := it.(map[string]any)
		switch m["name"] {
		case "Gwent Police":
			found++
			if m["value"] != -3.0 || m["label"].(map[string]any)["formatter"] != "-3.0%" {
				t.Errorf("Gwent %v", m)
			}
		case "Dyfed-Powys Police":
			found++
			if m["value"] != "-" {
				t.Errorf("Dyfed-Powys %v", m)
			}
		}
	}
	if found != 2 {
		t.Errorf("found %d of Gwent and Dyfed-Powys", found)
	}
	if !strings.Contains(b.Note, boundaryLicence) || !strings.Contains(b.Note, "PFA23CD property") {
		t.Errorf("note %s", b.Note)
	}
	if len(b.Table.Rows) != 43 || len(b.Table.Header) != 6 {
		t.Errorf("table %d rows, header %q", len(b.Table.Rows), b.Table.Header)
	}
}

func TestGeoMapFallsBack(t *testing.T) {
	s := chartSection()
	for name, geo := range map[string]string{
		"not json":  `{"type":`,
		"no codes":  `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":"x"},"geometry":null}]}`,
		"not a fc":  `{"type":"Feature"}`,
		"bad named": smallGeoJSON,
	} {
		v := View{Boundaries: []byte(geo)}
		if name == "bad named" {
			v.BoundaryCodeProperty = "NOPE"
		}
		b, _ := mapBlock(v, s)
		if b.Setup != "" || !strings.Contains(b.Note, "The boundary file could not be drawn") || !strings.Contains(b.Note, "Tile map") {
			t.Errorf("%s: setup %q, note %s", name, b.Setup, b.Note)
		}
		checkSafe(t, b)
	}
}

func TestGeoMapRealBoundaries(t *testing.T) {
	path := testutil.Real(t, "mopd-popm", "force_boundaries_ugc.geojson")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	geo, prop, err := boundaryGeoJSON(raw, "", func(code string) string { return code })
	if err != nil {
		t.Fatal(err)
	}
	if prop != "PFA16CD" {
		t.Errorf("detected property %q, want PFA16CD", prop)
	}
	for _, ft := range forceTiles {
		if !strings.Contains(string(geo), `"name":"`+ft.Code+`"`) {
			t.Errorf("force %s missing from the boundaries", ft.Code)
		}
	}
	b, _ := mapBlock(View{Boundaries: raw}, chartSection())
	if b.Setup == "" || !strings.Contains(b.Note, boundaryLicence) {
		t.Errorf("real boundaries not drawn: %s", b.Note)
	}
	checkSafe(t, b)
}

func TestHeatBlock(t *testing.T) {
	a := chartSection()
	c := chartSection()
	c.ID, c.Offence, c.PeriodEnd = "homeoffice_hostile", hostile, m("2018-09")
	c.Ranking = []RankRow{
		{AreaCode: codeGwentReal, AreaName: "Gwent Police", Figure: Figure{Present: true, Count: 120, HasPrevious: true, Previous: 100, HasPct: true, PctChange: 20}},
		{AreaCode: "E23000001", AreaName: "Metropolitan Police Service", Figure: Figure{Present: true, Count: 80, HasPrevious: true, Previous: 100, HasPct: true, PctChange: -20}},
	}
	b, ok := heatBlock([]Section{a, c})
	if !ok {
		t.Fatal("no heat block")
	}
	if b.ID != "heat_homeoffice" {
		t.Errorf("ID %q", b.ID)
	}
	checkSafe(t, b)
	checkRows(t, "heat", tableText(b.Table), []string{
		"Dyfed-Powys Police | n/a | n/a",
		"Gwent Police | -3.0% | +20.0%",
		"Metropolitan Police Service | n/a | -20.0%",
		"Wiltshire Police | +14.6% | n/a",
	})
	if b.Table.Header[2] != hostile+" % change" {
		t.Errorf("header %q", b.Table.Header)
	}
	o := option(t, b)
	ss := seriesList(t, o)
	coloured, grey := ss[0]["data"].([]any), ss[1]["data"].([]any)
	if len(coloured) != 4 || len(grey) != 4 {
		t.Errorf("%d coloured, %d grey cells; want 4 and 4", len(coloured), len(grey))
	}
	if it := coloured[1].(map[string]any); !reflect.DeepEqual(it["value"], []any{1.0, 1.0, 20.0}) || it["label"].(map[string]any)["formatter"] != "+20.0%" {
		t.Errorf("Gwent cell %v", it)
	}
	vm := o["visualMap"].([]any)[0].(map[string]any)
	if vm["max"] != 20.0 || vm["min"] != -20.0 {
		t.Errorf("visualMap %v", vm)
	}
	if !strings.Contains(b.Note, "12 months to December 2018 and 12 months to September 2018") {
		t.Errorf("note %s", b.Note)
	}
	if _, ok := heatBlock([]Section{a}); ok {
		t.Error("heat block for one section")
	}
}

func TestPctBound(t *testing.T) {
	for _, tt := range []struct {
		in   []float64
		want float64
	}{{nil, 5}, {[]float64{1, -2}, 5}, {[]float64{14.6}, 15}, {[]float64{-15.04}, 15}, {[]float64{15.06, 3}, 20}} {
		if got := pctBound(tt.in); got != tt.want {
			t.Errorf("pctBound(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzBoundaryGeoJSON: any boundary file gives either an error or compact
// JSON that safeJSON makes safe inside <script>, and never a panic.
func FuzzBoundaryGeoJSON(f *testing.F) {
	f.Add([]byte(smallGeoJSON), "")
	f.Add([]byte(smallGeoJSON), "PFA23NM")
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"properties":{"c":"E23000001"},"geometry":{"x":"</script>"}}]}`), "c")
	f.Add([]byte(`{"type":"FeatureCollection","features":null}`), "")
	f.Add([]byte(`[]`), "")
	f.Fuzz(func(t *testing.T, raw []byte, prop string) {
		out, _, err := boundaryGeoJSON(raw, prop, func(code string) string { return "<" + code + ">" })
		if err != nil {
			return
		}
		var v any
		if json.Unmarshal(out, &v) != nil {
			t.Fatalf("not JSON: %s", out)
		}
		if safe := safeJSON(string(out)); strings.ContainsAny(safe, "<>") {
			t.Fatalf("unsafe after safeJSON: %s", safe)
		}
	})
}
