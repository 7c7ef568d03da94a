package reports

import (
	"html/template"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// chartBlock is one chart on a page: a container the page's script draws
// the option into (when it comes near the screen, or when printed), the
// chart's text alternative, a key, the numbered events it marks, and the
// table of exactly the numbers it draws. A chart that would have fewer than
// three points is never made: the page says what it would show in a
// sentence instead.
type chartBlock struct {
	ID      string // DOM id, unique on its page: [a-z0-9-]
	Heading string // the question it answers ("How has it moved?")
	Height  int    // pixels; 0 with Map set: the box keeps the tile map's shape
	Map     bool   // a tile map (square tiles whatever the width)
	Wide    int    // the smallest width it is drawn at (it scrolls inside its own box below it); 0: any
	Option  template.JS
	// GeoName and Geo register a boundary file before the chart is drawn.
	GeoName string
	Geo     template.JS
	Axis    string // what the value axis measures, above the chart: "Vertical axis: ..."
	Desc    string // what the chart shows, in a sentence: its aria-label
	Note    string // how to read it, under the chart
	Key     []keyItem
	Events  []eventItem
	Table   dataTable
}

// keyItem is one line of a chart's key: its name and how it is drawn
// (solid, dashed or dotted in a colour, or a filled swatch).
type keyItem struct {
	Name   string
	Style  string // "solid", "dashed", "dotted", "box"
	Colour string
	Mark   string // the marker's shape in words: "circle", "triangle"
}

// eventItem is a numbered marker on a chart, listed under it.
type eventItem struct {
	N     string // the number drawn at its month ("1", or "1, 2")
	Month string // "April 2017"
	Kind  string // "recording change" or "event"
	Text  string
}

// dataTable is a table of a page: the numbers behind a chart, a force's
// every offence, a ranking. The first cell of a row is its header.
type dataTable struct {
	ID       string // the table's id (a sortable table needs one)
	Caption  string
	Head     []string
	Rows     []tableRow
	Sortable bool // the reader can sort it by any column (inline script)
}

type tableRow struct {
	Cells  []tableCell
	Chosen bool // a chosen force: drawn bold and shaded
}

// tableCell is one cell: Sort is the value a sortable table sorts it by
// (a number), Href a link.
type tableCell struct {
	Text  string
	Href  string
	Sort  string
	Num   bool
	Class string // "up", "down" for a change
}

// Colours: the chosen force red, England and Wales dark blue, peers purple,
// other forces grey. Meaning is also carried by line style, marker shape,
// bold labels and the key, never by colour alone.
const (
	colourChosen = "#b21f1f"
	colourEW     = "#1d4f91"
	colourPeers  = "#6a3d9a"
	colourOther  = "#8a959e"
	colourBreak  = "#7f6000"
	colourEvent  = "#4a235a"
	colourNoData = "#d9d9d9"
	colourAxis   = "#383f43"
)

// forceColours draw second and later chosen forces on one chart.
var forceColours = []string{colourChosen, "#d35400", "#16a085", "#7f6000", "#2c3e50", "#8e44ad"}

// echartsChart is any go-echarts chart.
type echartsChart interface {
	Validate()
	JSONNotEscaped() template.HTML
}

// chartOption renders a go-echarts chart's option as JSON safe inside a
// <script> element: the option of go-echarts' RenderSnippet (the chart
// validated, its options encoded, the "__f__" markers of its JavaScript
// functions dropped), without the snippet's element and script, which
// RenderSnippet makes from templates parsed anew for each chart and the
// pages do not use (TestChartOptionIsSnippetOption).
func chartOption(c echartsChart) template.JS {
	c.Validate()
	return template.JS(safeJSON(strings.ReplaceAll(string(c.JSONNotEscaped()), "__f__", "")))
}

// chartBase is what every chart shares: a fixed ID (so two runs give the
// same bytes), no animation, the text alternative, axis labels kept inside
// the chart (so none is cut on a phone or in print).
func chartBase(id, desc string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%"}),
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: chartText(desc)}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithColorsOpts(opts.Colors{colourChosen, colourEW, colourPeers, colourOther}),
	}
}

// chartText keeps text that go-echarts would mangle out of chart options:
// its renderer deletes every "__f__".
func chartText(s string) string { return strings.ReplaceAll(s, "__f__", "__f\u200b__") }

// jsonEscaper makes option JSON safe inside <script>: outside strings JSON
// has no < > & or line separators, so escaping them changes only string
// contents, to the same values.
var jsonEscaper = strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "\u2028", `\u2028`, "\u2029", `\u2029`)

func safeJSON(s string) string { return jsonEscaper.Replace(strings.TrimSpace(s)) }

// safeScript lets a script sit inside <script>...</script>: "</script" and
// "<!--" cannot appear, and their escaped forms mean the same in JS strings
// and regular expressions.
func safeScript(js string) string {
	var b strings.Builder
	b.Grow(len(js))
	for i := 0; i < len(js); i++ {
		if js[i] == '<' && i+1 < len(js) {
			rest := js[i+1:]
			if len(rest) >= 7 && strings.EqualFold(rest[:7], "/script") {
				b.WriteString(`<\/`)
				i++ // skip '/'
				continue
			}
			if strings.HasPrefix(rest, "!--") {
				b.WriteString(`<\!`)
				i++
				continue
			}
		}
		b.WriteByte(js[i])
	}
	return b.String()
}

// itemLabel is a data item's label. Formatter holds literal text made here
// (numbers and fixed words) or "{b}", never raw input text.
type itemLabel struct {
	Show            bool    `json:"show"`
	Formatter       string  `json:"formatter,omitempty"`
	Position        string  `json:"position,omitempty"`
	FontSize        float64 `json:"fontSize,omitempty"`
	FontWeight      string  `json:"fontWeight,omitempty"`
	LineHeight      float64 `json:"lineHeight,omitempty"`
	Color           string  `json:"color,omitempty"`
	TextBorderColor string  `json:"textBorderColor,omitempty"`
	TextBorderWidth float64 `json:"textBorderWidth,omitempty"`
}

// categoryItem is one category of an axis with its own text style: a chosen
// force's name is bold.
type categoryItem struct {
	Value     string     `json:"value"`
	TextStyle *textStyle `json:"textStyle,omitempty"`
}

type textStyle struct {
	FontWeight string `json:"fontWeight,omitempty"`
	Color      string `json:"color,omitempty"`
}

// categories turns names into axis categories, the chosen ones bold.
func categories(names []string, chosen []bool) []categoryItem {
	out := make([]categoryItem, len(names))
	for i, n := range names {
		out[i] = categoryItem{Value: chartText(n)}
		if i < len(chosen) && chosen[i] {
			out[i].TextStyle = &textStyle{FontWeight: "bold", Color: "#0b0c0c"}
		}
	}
	return out
}

// markLineItem is one vertical line at a point of the x axis, with its own
// style and label.
type markLineItem struct {
	Name      string          `json:"name,omitempty"`
	XAxis     any             `json:"xAxis,omitempty"`
	LineStyle *opts.LineStyle `json:"lineStyle,omitempty"`
	Label     *itemLabel      `json:"label,omitempty"`
}

// withMarkLines adds vertical lines to a series.
func withMarkLines(items []markLineItem) charts.SeriesOpts {
	return charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		if len(items) == 0 {
			return
		}
		data := make([]any, len(items))
		for i, it := range items {
			data[i] = it
		}
		s.MarkLines = &opts.MarkLines{Data: data, MarkLineStyle: opts.MarkLineStyle{Symbol: []string{"none", "none"}}}
	})
}

// wrapName breaks a long axis name onto lines of about width characters
// at spaces, so that a label never takes the whole width of a phone.
func wrapName(s string, width int) string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for _, w := range words {
		if cur != "" && len(cur)+1+len(w) > width {
			lines = append(lines, cur)
			cur = w
			continue
		}
		if cur != "" {
			cur += " "
		}
		cur += w
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return strings.Join(lines, "\n")
}

// idPart makes text fit for an element id: lower case [a-z0-9-] only.
func idPart(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// monthValue is a month on a time axis: its first day.
func monthValue(m interface{ String() string }) string { return m.String() + "-01" }

// nullValue is echarts' "no value": the line breaks there.
const nullValue = "-"

// newTimeLine is a line chart over months first to last (a time axis), a
// tooltip on the axis, the y axis y with the chart's axis colour.
func newTimeLine(id, desc string, first, last datasets.Month, y opts.YAxis) *charts.Line {
	y.AxisLabel = &opts.AxisLabel{Color: colourAxis}
	line := charts.NewLine()
	line.SetGlobalOptions(append(chartBase(id, desc),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: "36", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "time", Min: monthValue(first), Max: monthValue(last),
			AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true), Color: colourAxis}}),
		charts.WithYAxisOpts(y),
	)...)
	return line
}

// addStyledLine adds a series drawn in style st, its symbols of size
// symbol, and returns its entry in the chart's key.
func addStyledLine(line *charts.Line, name string, data []opts.LineData, st lineStyle, symbol float32, extra []charts.SeriesOpts) keyItem {
	line.AddSeries(chartText(name), data, append(extra,
		charts.WithLineChartOpts(opts.LineChart{Symbol: st.symbol, SymbolSize: symbol, ShowSymbol: opts.Bool(true)}),
		charts.WithLineStyleOpts(opts.LineStyle{Type: st.style, Width: float32(st.width), Color: st.colour}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: st.colour}),
	)...)
	return keyItem{Name: name, Style: st.style, Colour: st.colour, Mark: st.symbol}
}
