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

// boundaryLicence is the attribution the ONS boundary files require
// (SOURCES.md).
const boundaryLicence = "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. Contains OS data © Crown copyright"

// divergingColours run from a fall (blue) through no change (near white)
// to a rise (red): ColorBrewer RdBu without its darkest ends, so that
// black labels stay legible, and safe for the common colour deficiencies.
// Values are also written on every tile.
var divergingColours = []string{"#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d"}

const colourNoData = "#d9d9d9"

// visualMapJSON is the legend and colour scale of the maps: go-echarts'
// own type cannot limit a visualMap to one series or write a zero bound.
type visualMapJSON struct {
	Type        string           `json:"type"`
	Min         float64          `json:"min"`
	Max         float64          `json:"max"`
	Calculable  bool             `json:"calculable"`
	SeriesIndex []int            `json:"seriesIndex"`
	Dimension   *int             `json:"dimension,omitempty"`
	Text        []string         `json:"text"`
	InRange     map[string][]any `json:"inRange"`
	Orient      string           `json:"orient"`
	Left        string           `json:"left"`
	Bottom      string           `json:"bottom"`
}

// divergingVisitor swaps go-echarts' visualMap for visualMapJSON and, for
// a map, turns off the dot echarts draws on each area with a value.
type divergingVisitor struct {
	charts.BaseConfigurationVisitor
	vm        visualMapJSON
	noMapDots bool
}

func (d divergingVisitor) VisitVisualMaps([]opts.VisualMap) interface{} {
	return []visualMapJSON{d.vm}
}

// mapSeries is a map series with the setting go-echarts lacks.
type mapSeries struct {
	charts.SingleSeries
	ShowLegendSymbol bool `json:"showLegendSymbol"`
}

func (d divergingVisitor) VisitSeriesOpt(series charts.MultiSeries) interface{} {
	if !d.noMapDots {
		return series
	}
	out := make([]mapSeries, len(series))
	for i, s := range series {
		out[i] = mapSeries{SingleSeries: s}
	}
	return out
}

// withDiverging gives a chart a diverging colour scale over ±bound of
// percentage change, applied to its first series only.
func withDiverging(bc *charts.BaseConfiguration, bound float64, dimension *int, isMap bool) {
	bc.VisualMapList = []opts.VisualMap{{}}
	colours := make([]any, len(divergingColours))
	for i, c := range divergingColours {
		colours[i] = c
	}
	bc.Accept(divergingVisitor{vm: visualMapJSON{
		Type: "continuous", Min: -bound, Max: bound, SeriesIndex: []int{0}, Dimension: dimension,
		Text:    []string{fmt.Sprintf("Rise (+%g%% or more)", bound), fmt.Sprintf("Fall (-%g%% or more)", bound)},
		InRange: map[string][]any{"color": colours}, Orient: "vertical", Left: "0", Bottom: "10",
	}, noMapDots: isMap})
}

// pctBound is the colour scale's half-width: the largest rounded
// percentage change in size, up to a multiple of 5, at least 5.
func pctBound(pcts []float64) float64 {
	b := 5.0
	for _, p := range pcts {
		if a := math.Ceil(math.Abs(round1(p))/5) * 5; a > b {
			b = a
		}
	}
	return b
}

// tileItem is one square of a tile map or heat map.
type tileItem struct {
	Name      string          `json:"name"`
	Value     []interface{}   `json:"value"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Label     *itemLabel      `json:"label,omitempty"`
}

func tileLabel(text string, bold bool) *itemLabel {
	l := &itemLabel{Show: true, Formatter: text, FontSize: 11, LineHeight: 14, Color: "#000000", TextBorderColor: "#ffffff", TextBorderWidth: 2}
	if bold {
		l.FontWeight = "bold"
	}
	return l
}

func mapChartID(s Section) string { return "map_" + s.ID }

// mapBlock draws every force coloured by its percentage change: the user's
// boundary file when the View has one (falling back to the tile map, with
// a note, when it cannot be used), else the built-in tile map. ok is false
// when the section ranks no force.
func mapBlock(v View, s Section) (b chartBlock, ok bool) {
	if len(s.Ranking) == 0 {
		return chartBlock{}, false
	}
	if len(v.Boundaries) == 0 {
		return tileMapBlock(s, ""), true
	}
	b, err := geoMapBlock(v, s)
	if err != nil {
		return tileMapBlock(s, fmt.Sprintf(" The boundary file could not be drawn (%v), so the tile map is shown instead.", err)), true
	}
	return b, true
}

func mapNote(s Section, kind string) string {
	note := fmt.Sprintf("%s of the percentage change in recorded %s by force, %s against the same months a year earlier. Colour runs from blue (fall) through white to red (rise), and every force is labelled with its change; grey means no percentage (a base under %d or no figure a year earlier). The table gives every number.",
		kind, phraseFor(s.Offence).plural, lowerFirst(sectionWindowTitle(s)), datasets.MinBase)
	for _, r := range s.Ranking {
		if r.Chosen {
			note += " Chosen forces have a thick black border and a ★."
			break
		}
	}
	return note
}

func mapTable(s Section, tiles bool) blockTable {
	t := blockTable{
		Caption: fmt.Sprintf("Percentage change in recorded %s by force, %s", phraseFor(s.Offence).plural, lowerFirst(sectionWindowTitle(s))),
		Header:  []string{"Force"},
	}
	if tiles {
		t.Header = append(t.Header, "Tile")
	}
	t.Header = append(t.Header, "Recorded", "A year earlier", "Change", "% change", "Note")
	short := map[string]string{}
	for _, ft := range forceTiles {
		short[ft.Code] = ft.Short
	}
	seen := map[string]bool{}
	add := func(code, name string, chosen bool, f Figure) {
		seen[code] = true
		lead := []blockCell{{Text: name}}
		if tiles {
			lead = append(lead, blockCell{Text: short[code]})
		}
		row := figureCells(lead, f)
		if chosen {
			for k := range row {
				row[k].Strong = true
			}
		}
		t.Rows = append(t.Rows, row)
	}
	for _, r := range s.Ranking {
		add(r.AreaCode, r.AreaName, r.Chosen, r.Figure)
	}
	for _, ft := range forceTiles {
		if !seen[ft.Code] {
			add(ft.Code, displayName(ft.Code, ""), false, Figure{})
		}
	}
	return t
}

func tileMapBlock(s Section, extra string) chartBlock {
	id := mapChartID(s)
	rows := map[string]RankRow{}
	var pcts []float64
	for _, r := range s.Ranking {
		rows[r.AreaCode] = r
		if r.HasPct {
			pcts = append(pcts, r.PctChange)
		}
	}
	var coloured, grey []tileItem
	onMap := map[string]bool{}
	for _, ft := range forceTiles {
		onMap[ft.Code] = true
		r, ok := rows[ft.Code]
		name := displayName(ft.Code, "")
		if ok {
			name = r.AreaName
		}
		star := ""
		if r.Chosen {
			star = "★ "
		}
		it := tileItem{Name: chartText(name)}
		if r.Chosen {
			it.ItemStyle = &opts.ItemStyle{BorderColor: "#000000", BorderWidth: 3}
		} else {
			it.ItemStyle = &opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 1}
		}
		if ok && r.HasPct {
			it.Value = []interface{}{ft.Col, ft.Row, round1(r.PctChange)}
			it.Label = tileLabel(star+ft.Short+"\n"+signedPct(r.PctChange), r.Chosen)
			coloured = append(coloured, it)
			continue
		}
		it.Value = []interface{}{ft.Col, ft.Row, 0}
		it.ItemStyle.Color = colourNoData
		it.Label = tileLabel(star+ft.Short+"\nn/a", r.Chosen)
		grey = append(grey, it)
	}
	var off []string
	for _, r := range s.Ranking {
		if !onMap[r.AreaCode] {
			off = append(off, r.AreaName)
		}
	}
	cols, rws := make([]string, tileCols), make([]string, tileRows)
	for i := range cols {
		cols[i] = fmt.Sprint(i)
	}
	for i := range rws {
		rws[i] = fmt.Sprint(i)
	}
	desc := fmt.Sprintf("Tile map of the 43 police forces of England and Wales, one square each in rough geographic position, coloured by the percentage change in recorded %s, %s.",
		chartText(phraseFor(s.Offence).plural), lowerFirst(sectionWindowTitle(s)))
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(append(chartBase(id, "620px", desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "170", Right: "10", Top: "10", Bottom: "10"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: cols, Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rws, Inverse: opts.Bool(true), Show: opts.Bool(false)}),
	)...)
	two := 2
	withDiverging(&hm.BaseConfiguration, pctBound(pcts), &two, false)
	hm.AddSeries("% change", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) { ss.Data = coloured }))
	hm.AddSeries("No percentage", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) { ss.Data = grey }))

	note := mapNote(s, "Tile map (one square per force, in rough geographic position, not to scale)")
	if len(off) > 0 {
		note += " Not on the map: " + joinAnd(off) + "."
	}
	note += extra
	return newChartBlock(id, "Percentage change by force: map", hm, note, mapTable(s, true))
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
	best := ""
	for _, k := range sortedKeys(hits) {
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
// features whose property prop is a force code, each named by names (the
// force's name as the map's data calls it). The result is compact JSON,
// valid by construction.
func boundaryGeoJSON(raw []byte, given string, names func(code string) string) ([]byte, string, error) {
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
		out.Features = append(out.Features, geoOutFeat{Type: "Feature", Properties: map[string]string{"name": chartText(names(code))}, Geometry: f.Geometry})
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
	Value     interface{}     `json:"value"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Label     *itemLabel      `json:"label,omitempty"`
}

func geoMapBlock(v View, s Section) (chartBlock, error) {
	id := mapChartID(s)
	rows := map[string]RankRow{}
	var pcts []float64
	for _, r := range s.Ranking {
		rows[r.AreaCode] = r
		if r.HasPct {
			pcts = append(pcts, r.PctChange)
		}
	}
	nameOf := func(code string) string {
		if r, ok := rows[code]; ok {
			return r.AreaName
		}
		return displayName(code, "")
	}
	geo, prop, err := boundaryGeoJSON(v.Boundaries, v.BoundaryCodeProperty, nameOf)
	if err != nil {
		return chartBlock{}, err
	}
	mapName := "pfa_" + s.ID
	var items []mapItem
	for _, ft := range forceTiles { // every force once, in a fixed order
		r, ok := rows[ft.Code]
		it := mapItem{Name: chartText(nameOf(ft.Code)), Value: "-"}
		label := "n/a"
		if ok && r.HasPct {
			it.Value, label = round1(r.PctChange), signedPct(r.PctChange)
		}
		if r.Chosen {
			it.ItemStyle = &opts.ItemStyle{BorderColor: "#000000", BorderWidth: 3}
			label = "★ " + label
		}
		it.Label = tileLabel(label, r.Chosen)
		it.Label.FontSize = 9
		items = append(items, it)
	}
	desc := fmt.Sprintf("Map of the police force areas of England and Wales coloured by the percentage change in recorded %s, %s.",
		chartText(phraseFor(s.Offence).plural), lowerFirst(sectionWindowTitle(s)))
	mp := charts.NewMap()
	mp.RegisterMapType(mapName)
	mp.SetGlobalOptions(append(chartBase(id, "720px", desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
	)...)
	withDiverging(&mp.BaseConfiguration, pctBound(pcts), nil, true)
	mp.AddSeries("% change", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
		ss.Data = items
		ss.ItemStyle = &opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 0.5}
	}))
	note := mapNote(s, "Map") + fmt.Sprintf(" Boundaries from the file given, matched to forces by its %s property.", prop) + " " + boundaryLicence + "."
	b := newChartBlock(id, "Percentage change by force: map", mp, note, mapTable(s, false))
	b.Setup = template.JS(fmt.Sprintf("echarts.registerMap(%q, %s);", mapName, safeJSON(string(geo))))
	return b, nil
}

// overviewSources groups the sections by source, sources in order of
// first appearance.
func overviewSources(v View) [][]Section {
	var out [][]Section
	at := map[string]int{}
	for _, s := range v.Sections {
		i, ok := at[s.Source]
		if !ok {
			i = len(out)
			at[s.Source] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], s)
	}
	return out
}

// heatBlock is a heat map of the percentage change of every force (rows)
// in every offence of one source (columns), each at its section's period
// end; ok is false with fewer than two sections or no force.
func heatBlock(secs []Section) (chartBlock, bool) {
	if len(secs) < 2 {
		return chartBlock{}, false
	}
	source := secs[0].Source
	id := "heat_" + idPart(source)
	type key struct {
		code string
		col  int
	}
	cells := map[key]RankRow{}
	names := map[string]string{}
	for c, s := range secs {
		for _, r := range s.Ranking {
			cells[key{r.AreaCode, c}] = r
			if _, ok := names[r.AreaCode]; !ok {
				names[r.AreaCode] = r.AreaName
			}
		}
	}
	if len(names) == 0 {
		return chartBlock{}, false
	}
	codes := sortedKeys(names)
	sort.SliceStable(codes, func(i, j int) bool {
		if names[codes[i]] != names[codes[j]] {
			return names[codes[i]] < names[codes[j]]
		}
		return codes[i] < codes[j]
	})
	cols := make([]string, len(secs))
	for c, s := range secs {
		cols[c] = chartText(s.Offence)
	}
	rowNames := make([]string, len(codes))
	var coloured, grey []tileItem
	var pcts []float64
	for y, code := range codes {
		rowNames[y] = chartText(names[code])
		for c := range secs {
			r, ok := cells[key{code, c}]
			it := tileItem{Name: chartText(names[code]), ItemStyle: &opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 1}}
			if ok && r.HasPct {
				pcts = append(pcts, r.PctChange)
				it.Value = []interface{}{c, y, round1(r.PctChange)}
				it.Label = tileLabel(signedPct(r.PctChange), false)
				coloured = append(coloured, it)
				continue
			}
			it.Value = []interface{}{c, y, 0}
			it.ItemStyle.Color = colourNoData
			it.Label = tileLabel("n/a", false)
			grey = append(grey, it)
		}
	}
	ends := map[string]bool{}
	for _, s := range secs {
		ends[sectionWindowTitle(s)] = true
	}
	window := joinAnd(sortedKeys(ends))
	desc := fmt.Sprintf("Heat map of the percentage change in recorded offences by force (rows) and offence (columns), %s, %s.", chartText(sourceLabel(source)), window)
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(append(chartBase(id, fmt.Sprintf("%dpx", 24*len(codes)+160), desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "360", Right: "10", Top: "80", Bottom: "10"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: cols, Position: "top", AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 20}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rowNames, Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)...)
	two := 2
	withDiverging(&hm.BaseConfiguration, pctBound(pcts), &two, false)
	hm.AddSeries("% change", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) { ss.Data = coloured }))
	hm.AddSeries("No percentage", nil, charts.WithSeriesOpts(func(ss *charts.SingleSeries) { ss.Data = grey }))

	note := fmt.Sprintf("Percentage change in recorded offences by force and offence, %s (%s), against the same months a year earlier. Colour runs from blue (fall) through white to red (rise) and every cell is labelled with its change; grey cells (n/a) have no percentage (a base under %d, no figure a year earlier, or no figure at all).",
		sourceLabel(source), window, datasets.MinBase)
	t := blockTable{
		Caption: fmt.Sprintf("Percentage change by force and offence, %s, %s", sourceLabel(source), window),
		Header:  []string{"Force"},
	}
	for _, s := range secs {
		t.Header = append(t.Header, s.Offence+" % change")
	}
	for _, code := range codes {
		row := []blockCell{{Text: names[code]}}
		for c := range secs {
			r, ok := cells[key{code, c}]
			cell := blockCell{Text: "n/a", Num: true}
			if ok && r.HasPct {
				cell.Text = signedPct(r.PctChange)
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return newChartBlock(id, "Offences by force: percentage change", hm, note, t), true
}
