package reports

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/components"

	"github.com/crimetrends/crimetrends/datasets"
)

// SyntheticBanner is shown at the top of every dashboard and on the Cover
// sheet of every workbook built from synthetic data.
const SyntheticBanner = "SYNTHETIC DATA — not real police figures"

// ErrEchartsMissing is returned by Dashboard when the echarts script has
// not been fetched into reports/assets.
var ErrEchartsMissing = errors.New("echarts script missing: run make assets")

//go:embed assets
var assetFS embed.FS

// EchartsJS returns the echarts script that Dashboard inlines. By default it
// reads the embedded reports/assets/echarts.min.js and fails with
// ErrEchartsMissing when that file was absent at build time. Tests replace
// it with a stub so that goldens stay small; nothing else should.
var EchartsJS = embeddedEcharts

func embeddedEcharts() ([]byte, error) {
	b, err := assetFS.ReadFile("assets/echarts.min.js")
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%w (reports/assets/echarts.min.js was not embedded)", ErrEchartsMissing)
	}
	return b, nil
}

// Dashboard writes v as one self-contained HTML page: echarts is inlined,
// so the page needs no network. Each section has its headlines, a trend
// chart and a ranking chart, each followed by a table of the same numbers.
// Output is deterministic: chart IDs derive from section IDs and the
// generation time appears only when v.GeneratedAt is set.
func Dashboard(w io.Writer, v View) error {
	js, err := EchartsJS()
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	if len(js) == 0 {
		return fmt.Errorf("dashboard: %w", ErrEchartsMissing)
	}

	data := pageData{
		View:    v,
		Echarts: template.JS(safeScript(string(js))),
		Sources: sourceStatuses(v),
	}
	var all []components.Charter
	for _, s := range v.Sections {
		trend := trendChart(s)
		rank := rankChart(s)
		all = append(all, trend, rank)
		ts, rs := trend.RenderSnippet(), rank.RenderSnippet()
		data.Sections = append(data.Sections, sectionData{
			Section:      s,
			TrendID:      trendChartID(s),
			TrendElement: template.HTML(ts.Element),
			TrendOption:  template.JS(safeJSON(ts.Option)),
			TrendNote:    trendNote(s),
			TrendRows:    trendRows(s),
			RankID:       rankChartID(s),
			RankElement:  template.HTML(rs.Element),
			RankOption:   template.JS(safeJSON(rs.Option)),
			RankNote:     rankNote(s),
		})
	}
	// The page gathers the charts' assets; clearing the preset ones drops
	// go-echarts' CDN link. Anything left would need the network.
	page := components.NewPage()
	page.AddCharts(all...)
	page.ClearPresetJSAssets()
	page.ClearPresetCSSAssets()
	if n := len(page.JSAssets.Values) + len(page.CustomizedJSAssets.Values) + len(page.CSSAssets.Values) + len(page.CustomizedCSSAssets.Values); n > 0 {
		return fmt.Errorf("dashboard: charts need %d external assets, which a self-contained page cannot load", n)
	}

	if err := pageTemplate.Execute(w, data); err != nil {
		return fmt.Errorf("dashboard: render page: %w", err)
	}
	return nil
}

type pageData struct {
	View     View
	Echarts  template.JS
	Sources  []string
	Sections []sectionData
}

type sectionData struct {
	Section
	TrendID      string
	TrendElement template.HTML
	TrendOption  template.JS
	TrendNote    string
	TrendRows    []trendRow
	RankID       string
	RankElement  template.HTML
	RankOption   template.JS
	RankNote     string
}

type trendRow struct {
	Area      string
	PeriodEnd datasets.Month
	Figure
}

func sourceStatuses(v View) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range v.Sections {
		if !seen[s.Source] {
			seen[s.Source] = true
			out = append(out, s.SourceLabel+": "+s.Status+".")
		}
	}
	return out
}

func trendRows(s Section) []trendRow {
	var out []trendRow
	for _, sr := range s.Series {
		for _, p := range sr.Points {
			out = append(out, trendRow{Area: sr.AreaName, PeriodEnd: p.PeriodEnd, Figure: p.Figure})
		}
	}
	return out
}

var scriptClose = regexp.MustCompile(`(?i)</(script)`)

// safeScript lets a script sit inside <script>...</script>: "</script" and
// "<!--" cannot appear, and their escaped forms mean the same in JS strings
// and regular expressions.
func safeScript(js string) string {
	js = scriptClose.ReplaceAllString(js, `<\/$1`)
	return strings.ReplaceAll(js, "<!--", `<\!--`)
}

// safeJSON makes chart-option JSON safe inside <script>: outside strings
// JSON has no < > & or line separators, so escaping them only changes
// string contents, to the same values.
var jsonEscaper = strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "\u2028", `\u2028`, "\u2029", `\u2029`)

func safeJSON(s string) string { return jsonEscaper.Replace(strings.TrimSpace(s)) }

var pageFuncs = template.FuncMap{
	"count": formatCount,
	// change and pct return template.HTML so that "+" is not written as
	// "&#43;": their output is only digits, signs, commas, "." and "%".
	"change": func(f Figure) template.HTML {
		if !f.Present || !f.HasPrevious {
			return ""
		}
		if f.Change > 0 {
			return template.HTML("+" + formatCount(f.Change))
		}
		return template.HTML(formatCount(f.Change))
	},
	"previous": func(f Figure) string {
		if !f.Present || !f.HasPrevious {
			return ""
		}
		return formatCount(f.Previous)
	},
	"pct": func(f Figure) template.HTML {
		if !f.Present || !f.HasPct {
			return ""
		}
		p := FormatPct(f.PctChange)
		if roundPct(f.PctChange) > 0 {
			p = "+" + p
		}
		return template.HTML(p + "%")
	},
	"utc":    func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"banner": func() string { return SyntheticBanner },
	"noun":   func(offence string) string { return phraseFor(offence).plural },
}

var pageTemplate = template.Must(template.New("dashboard").Funcs(pageFuncs).Parse(pageHTML))

// pageHTML is the page. Each chart container gets role="img" before echarts
// starts: echarts puts an aria-label on it, which a div may only carry with a role.
const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .View.Synthetic}}{{banner}}: {{end}}{{.View.Title}}</title>
<style>
body { font-family: Arial, Helvetica, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 1em 2em; color: #0b0c0c; line-height: 1.4; }
.banner { background: #ffdd00; border: 4px solid #0b0c0c; font-weight: bold; font-size: 1.2em; padding: 0.5em 1em; margin: 1em 0; }
.status { font-weight: bold; }
section { border-top: 2px solid #b1b4b6; margin-top: 2em; }
.headlines li { margin-bottom: 0.5em; font-size: 1.05em; }
.chart-note { font-size: 0.95em; color: #383f43; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #b1b4b6; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.chosen { font-weight: bold; background: #fbe9e7; }
footer { border-top: 2px solid #0b0c0c; margin-top: 2em; font-size: 0.9em; }
code { word-break: break-all; }
</style>
<script>{{.Echarts}}</script>
</head>
<body>
{{- if .View.Synthetic}}
<p class="banner" role="note">{{banner}}</p>
{{- end}}
<header>
<h1>{{.View.Title}}</h1>
{{- range .Sources}}
<p class="status">{{.}}</p>
{{- end}}
{{- with .View.Notes}}
<ul class="notes">
{{- range .}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
</header>
{{- if not .Sections}}
<p>There are no figures to show.</p>
{{- end}}
{{- range .Sections}}
<section id="{{.ID}}">
<h2>{{.Offence}}: 12 months to {{.PeriodEnd.Label}}</h2>
<p class="status">{{.SourceLabel}}. {{.Status}}.</p>
<ul class="headlines">
{{- range .Headlines}}
<li>{{.}}</li>
{{- end}}
</ul>
<h3>Rolling {{.Months}}-month totals</h3>
{{.TrendElement}}
<script>
(function () {
  "use strict";
  var el = document.getElementById({{.TrendID}});
  el.setAttribute("role", "img");
  var chart = echarts.init(el, null, {renderer: "canvas"});
  chart.setOption({{.TrendOption}});
  window.addEventListener("resize", function () { chart.resize(); });
})();
</script>
<p class="chart-note">{{.TrendNote}}</p>
<table>
<caption>Rolling {{.Months}}-month totals of {{noun .Offence}}</caption>
<thead><tr><th scope="col">Area</th><th scope="col">{{.Months}} months to</th><th scope="col">Recorded</th><th scope="col">A year earlier</th><th scope="col">Change</th><th scope="col">% change</th><th scope="col">Note</th></tr></thead>
<tbody>
{{- range .TrendRows}}
<tr><td>{{.Area}}</td><td>{{.PeriodEnd.Label}}</td>{{if .Present}}<td class="num">{{count .Count}}</td><td class="num">{{previous .Figure}}</td><td class="num">{{change .Figure}}</td><td class="num">{{pct .Figure}}</td><td>{{.Note}}</td>{{else}}<td class="num"></td><td class="num"></td><td class="num"></td><td class="num"></td><td>no figure for this period</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
<h3>Percentage change by force</h3>
{{.RankElement}}
<script>
(function () {
  "use strict";
  var el = document.getElementById({{.RankID}});
  el.setAttribute("role", "img");
  var chart = echarts.init(el, null, {renderer: "canvas"});
  chart.setOption({{.RankOption}});
  window.addEventListener("resize", function () { chart.resize(); });
})();
</script>
<p class="chart-note">{{.RankNote}}</p>
<table>
<caption>Recorded {{noun .Offence}} by force, {{.Months}} months to {{.PeriodEnd.Label}}</caption>
<thead><tr><th scope="col">Rank</th><th scope="col">Force</th><th scope="col">Chosen</th><th scope="col">Recorded</th><th scope="col">A year earlier</th><th scope="col">Change</th><th scope="col">% change</th><th scope="col">Note</th></tr></thead>
<tbody>
{{- range .Ranking}}
<tr{{if .Chosen}} class="chosen"{{end}}><td class="num">{{if .Rank}}{{.Rank}}{{end}}</td><td>{{.AreaName}}</td><td>{{if .Chosen}}★ chosen{{end}}</td><td class="num">{{count .Count}}</td><td class="num">{{previous .Figure}}</td><td class="num">{{change .Figure}}</td><td class="num">{{pct .Figure}}</td><td>{{.Note}}</td></tr>
{{- end}}
</tbody>
</table>
{{- with .Notes}}
<h3>Notes</h3>
<ul class="notes">
{{- range .}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
</section>
{{- end}}
<footer>
{{- if .View.Synthetic}}
<p class="banner" role="note">{{banner}}</p>
{{- end}}
<h2>Provenance</h2>
<p>Produced by crimetrends{{with .View.Version}} {{.}}{{end}}.{{if not .View.GeneratedAt.IsZero}} Generated at {{utc .View.GeneratedAt}}.{{end}}</p>
{{- with .View.Inputs}}
<table>
<caption>Inputs</caption>
<thead><tr><th scope="col">Input</th><th scope="col">Source</th><th scope="col">Rows</th><th scope="col">SHA-256</th></tr></thead>
<tbody>
{{- range .}}
<tr><td>{{.Name}}</td><td>{{.Source}}</td><td class="num">{{count .Rows}}</td><td><code>{{.SHA256}}</code></td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
</footer>
</body>
</html>
`
