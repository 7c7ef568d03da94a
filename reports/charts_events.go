package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/crimetrends/crimetrends/datasets"
)

// Event line styles: a register break is dashed, any other event dotted, so
// that the two differ without colour.
const (
	colourBreak = "#7f6000"
	colourEvent = "#4a235a"
)

// eventMark is an event placed on a chart's category axis.
type eventMark struct {
	datasets.Event
	Category string // the x-axis category the line is drawn at
}

// isBreak reports whether e comes from the break register.
func isBreak(e datasets.Event) bool { return e.Source == "register" }

// chartEvents places the events that concern areas (every area when areas
// is empty) on a chart whose x categories end at ends (oldest first): each
// event goes to the first period ending in or after its month, and only
// events from firstStart to the last end are kept. Order follows events.
func chartEvents(events []datasets.Event, areas []string, firstStart datasets.Month, ends []datasets.Month, category func(int) string) []eventMark {
	if len(ends) == 0 {
		return nil
	}
	var out []eventMark
	for _, e := range events {
		if e.Month < firstStart || e.Month > ends[len(ends)-1] || !concerns(e, areas) {
			continue
		}
		for i, end := range ends {
			if end >= e.Month {
				out = append(out, eventMark{Event: e, Category: category(i)})
				break
			}
		}
	}
	return out
}

func concerns(e datasets.Event, areas []string) bool {
	if e.AreaCode == "" || len(areas) == 0 {
		return true
	}
	for _, a := range areas {
		if a == e.AreaCode {
			return true
		}
	}
	return false
}

// markLineItem is one vertical event line with its own style and label;
// go-echarts' own item type has neither.
type markLineItem struct {
	Name      string          `json:"name"`
	XAxis     string          `json:"xAxis"`
	LineStyle *opts.LineStyle `json:"lineStyle,omitempty"`
	Label     *markLineLabel  `json:"label,omitempty"`
}

type markLineLabel struct {
	Show      bool   `json:"show"`
	Formatter string `json:"formatter,omitempty"`
	Position  string `json:"position,omitempty"`
	FontSize  int    `json:"fontSize,omitempty"`
	Color     string `json:"color,omitempty"`
}

// withEventLines adds the events as labelled vertical lines to a series:
// register breaks dashed, other events dotted. The label is the event's
// name, drawn with the "{b}" template so the text is never read as one.
func withEventLines(marks []eventMark) charts.SeriesOpts {
	return charts.WithSeriesOpts(func(s *charts.SingleSeries) {
		if len(marks) == 0 {
			return
		}
		data := make([]interface{}, len(marks))
		for i, mk := range marks {
			style, colour := "dotted", colourEvent
			if isBreak(mk.Event) {
				style, colour = "dashed", colourBreak
			}
			data[i] = markLineItem{
				Name:      chartText(mk.Label),
				XAxis:     mk.Category,
				LineStyle: &opts.LineStyle{Type: style, Width: 2, Color: colour},
				Label:     &markLineLabel{Show: true, Formatter: "{b}", Position: "insideEndTop", FontSize: 11, Color: colour},
			}
		}
		s.MarkLines = &opts.MarkLines{Data: data, MarkLineStyle: opts.MarkLineStyle{Symbol: []string{"none", "none"}}}
	})
}

// eventsSentence lists the events drawn on a chart, for its note.
func eventsSentence(marks []eventMark) string {
	if len(marks) == 0 {
		return ""
	}
	parts := make([]string, len(marks))
	for i, mk := range marks {
		kind := "event (dotted line)"
		if isBreak(mk.Event) {
			kind = "recording-rule break (dashed line)"
		}
		parts[i] = fmt.Sprintf("%s, %s: %s", mk.Month.Label(), kind, strings.TrimRight(mk.Label, "."))
	}
	return " Marked on the chart: " + strings.Join(parts, "; ") + "."
}

// idPart makes text fit for a chart ID: lower case [a-z0-9_] only.
func idPart(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// round1 rounds to one decimal place, without negative zero.
func round1(x float64) float64 {
	r := math.Round(x*10) / 10
	if r == 0 {
		return 0
	}
	return r
}

// format1 gives x to one decimal place with thousands separators.
func format1(x float64) string {
	x = round1(x)
	neg := x < 0
	if neg {
		x = -x
	}
	whole := int64(x)
	frac := int64(math.Round((x - float64(whole)) * 10))
	if frac == 10 {
		whole, frac = whole+1, 0
	}
	s := fmt.Sprintf("%s.%d", formatCount(whole), frac)
	if neg {
		s = "-" + s
	}
	return s
}

// signedPct gives "+14.6%" or "-3.0%" (rounded to one decimal).
func signedPct(p float64) string {
	s := format1(p) + "%"
	if round1(p) > 0 {
		s = "+" + s
	}
	return s
}

// chartBase is the options every chart here shares: fixed ID, no
// animation, aria with a description.
func chartBase(id, height, desc string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: height}),
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: desc}}),
	}
}
