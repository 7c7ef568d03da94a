package reports

import (
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
)

// chartOption gives the option go-echarts' RenderSnippet gives, made safe
// for a <script> element, for every kind of chart the pages draw, with
// texts that HTML escaping, JSON escaping or the function markers could
// change.
func TestChartOptionIsSnippetOption(t *testing.T) {
	texts := []string{`Wiltshire & "Swindon" <b>'s</b>`, "a &amp; b", "line\u2028sep", "__f__x__f__", "+0.1%", "ünï"}
	fn := opts.FuncOpts(`function (p) { return p.value + "&<" }`)
	makers := map[string]func() echartsChart{
		"line": func() echartsChart {
			c := charts.NewLine()
			c.SetGlobalOptions(append(chartBase("c1", texts[0]), charts.WithTooltipOpts(opts.Tooltip{Formatter: fn}))...)
			c.SetXAxis(texts).AddSeries(texts[1], []opts.LineData{{Value: 1.5, Name: texts[2]}, {Value: -3}})
			return c
		},
		"bar": func() echartsChart {
			c := charts.NewBar()
			c.SetGlobalOptions(chartBase("c2", texts[3])...)
			c.SetXAxis(texts).AddSeries(texts[4], []opts.BarData{{Value: 2, Name: texts[5]}}).XYReversal()
			return c
		},
		"scatter": func() echartsChart {
			c := charts.NewScatter()
			c.SetGlobalOptions(chartBase("c3", texts[2])...)
			c.SetXAxis(texts[:2]).AddSeries(texts[0], []opts.ScatterData{{Value: []any{1, 2}, Name: texts[1]}})
			return c
		},
		"heatmap": func() echartsChart {
			c := charts.NewHeatMap()
			c.SetGlobalOptions(chartBase("c4", texts[1])...)
			c.AddSeries(texts[3], []opts.HeatMapData{{Value: [3]any{0, 1, 2.5}, Name: texts[0]}})
			return c
		},
		"map": func() echartsChart {
			c := charts.NewMap()
			c.RegisterMapType("x")
			c.SetGlobalOptions(chartBase("c5", texts[5])...)
			c.AddSeries(texts[4], []opts.MapData{{Name: texts[0], Value: 3}})
			return c
		},
	}
	for name, mk := range makers {
		want := safeJSON(mk().(interface{ RenderSnippet() render.ChartSnippet }).RenderSnippet().Option)
		if got := string(chartOption(mk())); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", name, got, want)
		}
	}
}
