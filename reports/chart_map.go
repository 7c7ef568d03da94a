package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/crimetrends/crimetrends/datasets"
)

// boundaryLicence is the attribution the ONS boundary files require.
const boundaryLicence = "Boundaries: Office for National Statistics, licensed under the Open Government Licence v.3.0. Contains OS data © Crown copyright."

// divergingColours run from a fall (blue) through no change (near white)
// to a rise (red): ColorBrewer RdBu without its darkest ends, so black
// labels stay legible, and safe for the common colour deficiencies.
var divergingColours = []any{"#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d"}

// sequentialColours run from few (pale) to many (blue), for counts.
var sequentialColours = []any{"#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6"}

// mapValue is one force's value on a map.
type mapValue struct {
	Code  string
	Name  string
	Has   bool
	Value float64
	Label string // the value as drawn on its tile: "+15%", "3,669"
}

// mapSpec is what a map draws: a value per force, its colour scale and the
// words around it.
type mapSpec struct {
	ID, Heading, Desc, Note string
	Values                  []mapValue
	Diverging               bool   // a % change: blue for a fall, red for a rise, white at zero
	Legend                  string // what the colour means: "% change", "offences in February 2019"
	Chosen                  map[string]bool
	Table                   dataTable
}

// visualMapJSON is the colour scale of a map: go-echarts' own type cannot
// limit it to one series or write a zero bound.
type visualMapJSON struct {
	Type        string           `json:"type"`
	Min         float64          `json:"min"`
	Max         float64          `json:"max"`
	SeriesIndex []int            `json:"seriesIndex"`
	Dimension   *int             `json:"dimension,omitempty"`
	Text        []string         `json:"text"`
	InRange     map[string][]any `json:"inRange"`
	Orient      string           `json:"orient"`
	Left        string           `json:"left"`
	Bottom      string           `json:"bottom"`
	ItemHeight  int              `json:"itemHeight,omitempty"`
	TextStyle   *textStyle       `json:"textStyle,omitempty"`
}

// visualVisitor swaps go-echarts' visualMap for visualMapJSON and, for a
// map series, turns off the dot echarts draws on each area.
type visualVisitor struct {
	charts.BaseConfigurationVisitor
	vm        visualMapJSON
	noMapDots bool
}

func (v visualVisitor) VisitVisualMaps([]opts.VisualMap) interface{} { return []visualMapJSON{v.vm} }

// mapSeries is a map series with the setting go-echarts lacks.
type mapSeries struct {
	charts.SingleSeries
	ShowLegendSymbol bool `json:"showLegendSymbol"`
}

func (v visualVisitor) VisitSeriesOpt(series charts.MultiSeries) interface{} {
	if !v.noMapDots {
		return series
	}
	out := make([]mapSeries, len(series))
	for i, s := range series {
		out[i] = mapSeries{SingleSeries: s}
	}
	return out
}

// withScale gives a chart its colour scale over the values drawn.
func withScale(bc *charts.BaseConfiguration, spec mapSpec, dimension *int, isMap bool) {
	lo, hi := 0.0, 0.0
	first := true
	for _, v := range spec.Values {
		if !v.Has {
			continue
		}
		if first {
			lo, hi, first = v.Value, v.Value, false
		}
		lo, hi = math.Min(lo, v.Value), math.Max(hi, v.Value)
	}
	vm := visualMapJSON{Type: "continuous", SeriesIndex: []int{0}, Dimension: dimension, Orient: "horizontal", Left: "center", Bottom: "0",
		ItemHeight: 120, TextStyle: &textStyle{Color: colourAxis}}
	if spec.Diverging {
		b := divergingBound(spec.Values)
		vm.Min, vm.Max = -b, b
		colours := divergingColours
		switch {
		case lo >= 0: // every value a rise (or none): white at no change, red above
			vm.Min, colours = 0, divergingColours[3:]
		case hi <= 0:
			vm.Max, colours = 0, divergingColours[:4]
		}
		vm.Text = []string{fmt.Sprintf("+%g%% or more", b), fmt.Sprintf("−%g%% or less", b)}
		if vm.Min == 0 {
			vm.Text[1] = "no change"
		}
		if vm.Max == 0 {
			vm.Text[0] = "no change"
		}
		vm.InRange = map[string][]any{"color": colours}
	} else {
		vm.Min, vm.Max = math.Floor(lo), math.Ceil(hi)
		if vm.Max <= vm.Min {
			vm.Max = vm.Min + 1
		}
		vm.Text = []string{sayCount(int64(vm.Max)), sayCount(int64(vm.Min))}
		vm.InRange = map[string][]any{"color": sequentialColours}
	}
	bc.VisualMapList = []opts.VisualMap{{}}
	bc.Accept(visualVisitor{vm: vm, noMapDots: isMap})
}

// tileItem is one square of a tile map or heat map.
type tileItem struct {
	Name      string          `json:"name"`
	Value     []any           `json:"value"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Label     *itemLabel      `json:"label,omitempty"`
}

func tileLabel(text string, bold bool, size float64) *itemLabel {
	l := &itemLabel{Show: true, Formatter: text, FontSize: size, LineHeight: size + 2, Color: "#000000", TextBorderColor: "#ffffff", TextBorderWidth: 2}
	if bold {
		l.FontWeight = "bold"
	}
	return l
}

// mapBlock draws spec on the user's boundary file when there is one (the
// tile map, with a sentence saying why, when it cannot be used), else on
// the built-in tile map. ok is false when fewer than minPoints forces have
// a value: a map of grey tiles says nothing.
func mapBlock(spec mapSpec, boundaries []byte, codeProperty string) (chartBlock, bool) {
	n := 0
	for _, v := range spec.Values {
		if v.Has {
			n++
		}
	}
	if n < minPoints {
		return chartBlock{}, false
	}
	if len(boundaries) == 0 {
		return tileMapBlock(spec), true
	}
	b, err := geoMapBlock(spec, boundaries, codeProperty)
	if err != nil {
		spec.Note += fmt.Sprintf(" The boundary file could not be drawn (%v), so the tile map is shown instead.", err)
		return tileMapBlock(spec), true
	}
	return b, true
}

// tileMapBlock draws one square per force in rough geographic position,
// each labelled with its short name and value, the chosen ones with a thick
// black border and a bold label. Labels are short enough for a tile at the
// narrowest width the page is read at.
func tileMapBlock(spec mapSpec) chartBlock {
	vals := map[string]mapValue{}
	for _, v := range spec.Values {
		vals[v.Code] = v
	}
	var coloured, grey []tileItem
	for _, ft := range forceTiles {
		v, ok := vals[ft.Code]
		name := sayCodeName(ft.Code)
		chosen := spec.Chosen[ft.Code]
		it := tileItem{Name: chartText(name), ItemStyle: &opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 1}}
		if chosen {
			it.ItemStyle = &opts.ItemStyle{BorderColor: "#000000", BorderWidth: 3}
		}
		if ok && v.Has {
			it.Value = []any{ft.Col, ft.Row, round1(v.Value)}
			it.Label = tileLabel(ft.Short+"\n"+v.Label, chosen, 10)
			coloured = append(coloured, it)
			continue
		}
		it.Value = []any{ft.Col, ft.Row, 0} // the second series, which the colour scale leaves alone
		it.ItemStyle.Color = colourNoData
		it.Label = tileLabel(ft.Short+"\nn/a", chosen, 10)
		grey = append(grey, it)
	}
	cols, rows := make([]string, tileCols), make([]string, tileRows)
	for i := range cols {
		cols[i] = fmt.Sprint(i)
	}
	for i := range rows {
		rows[i] = fmt.Sprint(i)
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(append(chartBase(spec.ID, spec.Desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithGridOpts(opts.Grid{Left: "0", Right: "0", Top: "0", Bottom: "56"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: cols, Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rows, Inverse: opts.Bool(true), Show: opts.Bool(false)}),
	)...)
	two := 2
	withScale(&hm.BaseConfiguration, spec, &two, false)
	hm.AddSeries(spec.Legend, nil, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Data = coloured }))
	hm.AddSeries("No figure", nil, charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.Data = grey }),
		charts.WithSeriesTooltipOpts(opts.SeriesTooltip{Formatter: "{b}: no figure"}))
	note := spec.Note + " One square per force, in rough geographic position (not to scale); grey squares (n/a) have no figure."
	return chartBlock{ID: spec.ID, Heading: spec.Heading, Map: true, Option: chartOption(hm), Desc: spec.Desc, Note: note,
		Key: mapKey(spec), Table: spec.Table}
}

func mapKey(spec mapSpec) []keyItem {
	var picked []string
	for _, v := range spec.Values {
		if spec.Chosen[v.Code] {
			picked = append(picked, v.Name)
		}
	}
	if len(picked) == 0 {
		return nil
	}
	return []keyItem{{Name: joinAnd(picked) + " (thick black border, bold label)", Style: "outline", Colour: "#000000"}}
}

// geoCollection is the part of a GeoJSON FeatureCollection the map reads.
type geoCollection struct {
	Type     string       `json:"type"`
	Features []geoFeature `json:"features"`
}

type geoFeature struct {
	Type       string                     `json:"type"`
	Properties map[string]json.RawMessage `json:"properties"`
	Geometry   json.RawMessage            `json:"geometry"`
}

// geoOut is the GeoJSON the page registers: each feature named by the
// force it draws, nothing else kept.
type geoOut struct {
	Type     string       `json:"type"`
	Features []geoOutFeat `json:"features"`
}

type geoOutFeat struct {
	Type       string            `json:"type"`
	Properties map[string]string `json:"properties"`
	Geometry   json.RawMessage   `json:"geometry"`
}

func propString(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return strings.TrimSpace(s), true
}

func isTerritorialForce(code string) bool {
	a, ok := datasets.AreaByCode(code)
	return ok && a.Kind == datasets.KindForce
}

// boundaryCodeProperty is the property holding the force codes: the one
// given, else the property whose value is a force code in the most
// features (ties to the first name in order).
func boundaryCodeProperty(fc geoCollection, given string) (string, error) {
	if given != "" {
		return given, nil
	}
	hits := map[string]int{}
	for _, f := range fc.Features {
		for k, raw := range f.Properties {
			if s, ok := propString(raw); ok && isTerritorialForce(s) {
				hits[k]++
			}
		}
	}
	keys := make([]string, 0, len(hits))
	for k := range hits {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best := ""
	for _, k := range keys {
		if best == "" || hits[k] > hits[best] {
			best = k
		}
	}
	if best == "" {
		return "", errors.New("no feature property holds a police force area code")
	}
	return best, nil
}

// boundaryGeoJSON rewrites the user's boundary file for the page: only the
// features whose property is a force code, each named as ONS names the
// force. The result is compact JSON, valid by construction.
func boundaryGeoJSON(raw []byte, given string) ([]byte, string, error) {
	var fc geoCollection
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, "", fmt.Errorf("read GeoJSON: %w", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, "", fmt.Errorf("GeoJSON type %q: want FeatureCollection", fc.Type)
	}
	prop, err := boundaryCodeProperty(fc, given)
	if err != nil {
		return nil, "", err
	}
	out := geoOut{Type: "FeatureCollection"}
	for _, f := range fc.Features {
		code, ok := propString(f.Properties[prop])
		if !ok || !isTerritorialForce(code) || len(f.Geometry) == 0 || string(f.Geometry) == "null" {
			continue
		}
		out.Features = append(out.Features, geoOutFeat{Type: "Feature", Properties: map[string]string{"name": chartText(sayCodeName(code))}, Geometry: f.Geometry})
	}
	if len(out.Features) == 0 {
		return nil, "", fmt.Errorf("no feature has a police force area code in property %q", prop)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, "", fmt.Errorf("write GeoJSON: %w", err)
	}
	return b, prop, nil
}

// mapItem is one area of the boundary map.
type mapItem struct {
	Name      string          `json:"name"`
	Value     any             `json:"value"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Label     *itemLabel      `json:"label,omitempty"`
}

// geoMapBlock draws spec on the user's boundary file. Only the chosen
// forces are labelled (on real boundaries there is no room for 43 labels);
// the tooltip and the table give every value.
func geoMapBlock(spec mapSpec, boundaries []byte, codeProperty string) (chartBlock, error) {
	geo, prop, err := boundaryGeoJSON(boundaries, codeProperty)
	if err != nil {
		return chartBlock{}, err
	}
	vals := map[string]mapValue{}
	for _, v := range spec.Values {
		vals[v.Code] = v
	}
	mapName := "pfa-" + spec.ID
	var items []mapItem
	for _, ft := range forceTiles { // every force once, in a fixed order
		v := vals[ft.Code]
		it := mapItem{Name: chartText(sayCodeName(ft.Code)), Value: nullValue}
		if v.Has {
			it.Value = round1(v.Value)
		}
		if spec.Chosen[ft.Code] {
			it.ItemStyle = &opts.ItemStyle{BorderColor: "#000000", BorderWidth: 2}
			label := "n/a"
			if v.Has {
				label = v.Label
			}
			it.Label = tileLabel(sayCodeName(ft.Code)+"\n"+label, true, 11)
		}
		items = append(items, it)
	}
	mp := charts.NewMap()
	mp.RegisterMapType(mapName)
	mp.SetGlobalOptions(append(chartBase(spec.ID, spec.Desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	)...)
	withScale(&mp.BaseConfiguration, spec, nil, true)
	mp.AddSeries(spec.Legend, nil, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		s.Data = items
		s.ItemStyle = &opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 0.5}
	}))
	note := spec.Note + fmt.Sprintf(" Boundaries from the file given, matched to forces by its %s property; only the chosen forces are labelled. %s", prop, boundaryLicence)
	return chartBlock{ID: spec.ID, Heading: spec.Heading, Map: true, Option: chartOption(mp), GeoName: mapName,
		Geo: template.JS(safeJSON(string(geo))), Desc: spec.Desc, Note: note, Key: mapKey(spec), Table: spec.Table}, nil
}

// divergingBound is the largest change the colour scale tells apart: nine
// in ten of the changes drawn are within it (rounded up to a multiple of
// 5, at least 5), so one extreme force does not wash out the rest; larger
// changes take the end colour, and every tile is labelled with its value.
func divergingBound(vs []mapValue) float64 {
	var abs []float64
	for _, v := range vs {
		if v.Has {
			abs = append(abs, math.Abs(v.Value))
		}
	}
	if len(abs) == 0 {
		return 5
	}
	sort.Float64s(abs)
	b := math.Ceil(abs[(len(abs)-1)*9/10]/5) * 5
	return math.Max(b, 5)
}
