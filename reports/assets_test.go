package reports

import (
	"regexp"
	"testing"
)

// The embedded echarts is the custom build of tools/echarts-build/entry.js
// (make assets), not echarts' full 1 MB dist build: it registers every
// series type, component and renderer the pages draw with, and none of the
// chart types they do not use. The markers are the type names echarts'
// classes declare (LineSeriesModel.type = 'series.line', which minifying
// keeps as X.type="series.line"). When entry.js gains a chart type or a
// component, add it to want.
func TestEmbeddedEchartsIsCustomBuild(t *testing.T) {
	js, err := embeddedEcharts()
	if err != nil {
		t.Skipf("reports/assets/echarts.min.js absent (run make assets): skipping: %v", err)
	}
	// The full build of echarts 5.4.3 is 1,024,740 bytes; the custom one
	// about 750,000.
	const maxBytes = 900_000
	if len(js) > maxBytes {
		t.Errorf("echarts.min.js is %d bytes, more than %d: is it the full build? run make assets", len(js), maxBytes)
	}
	typeDecl := func(name string) *regexp.Regexp {
		return regexp.MustCompile(`\.type\s*=\s*["']` + regexp.QuoteMeta(name) + `["']`)
	}
	want := []string{
		// series
		"series.line", "series.bar", "series.scatter", "series.heatmap", "series.map", "series.custom",
		// components
		"title", "legend.plain", "legend.scroll", "tooltip", "axisPointer", "grid", "xAxis", "yAxis",
		"visualMap.continuous", "visualMap.piecewise", "markLine", "markArea", "markPoint",
		"dataZoom.inside", "dataZoom.slider", "dataset", "graphic", "toolbox", "geo",
		// renderers (zrender's painters)
		"canvas", "svg",
	}
	for _, name := range want {
		if !typeDecl(name).Match(js) {
			t.Errorf("echarts.min.js does not register %q: add it to tools/echarts-build/entry.js and run make assets", name)
		}
	}
	for _, s := range []string{
		`registerMap`,      // the boundary map's setup script
		`getInstanceByDom`, // the browser test
		`"aria"`,           // the aria component (its options are read by name; echarts/core alone has none)
		`window.echarts=`,  // the global the pages' scripts use
	} {
		if !regexp.MustCompile(regexp.QuoteMeta(s)).Match(js) {
			t.Errorf("echarts.min.js lacks %s", s)
		}
	}
	for _, name := range []string{
		"series.pie", "series.radar", "series.tree", "series.treemap", "series.graph", "series.gauge",
		"series.funnel", "series.parallel", "series.sankey", "series.boxplot", "series.candlestick",
		"series.effectScatter", "series.lines", "series.pictorialBar", "series.themeRiver", "series.sunburst",
	} {
		if typeDecl(name).Match(js) {
			t.Errorf("echarts.min.js registers %q, which no page draws: is it the full build? run make assets", name)
		}
	}
}
