package reports

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

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

// Dashboard writes the index page of v (dashboard.html, as Site renders
// it): the report's notes and headlines, and links to every page Site
// writes and to v.Outputs. It fails with ErrEchartsMissing when the echarts
// script is absent, as Site does.
func Dashboard(w io.Writer, v View) error {
	pages, err := Site(v)
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	if _, err := w.Write(pages[0].HTML); err != nil {
		return fmt.Errorf("dashboard: write: %w", err)
	}
	return nil
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

// siteHTML holds the templates of every page: "page" is the whole page,
// "block" one chart with its note and table, "table" the table behind a
// chart. A chart container gets role="img", its note as aria-label and
// tabindex="0" before echarts starts (echarts may label it too, which a
// div may only carry with a role).
const siteHTML = `{{define "page" -}}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .View.Synthetic}}{{banner}}: {{end}}{{.Title}}{{if ne .Kind "index"}} | {{.View.Title}}{{end}}</title>
<style>
body { font-family: Arial, Helvetica, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 1em 2em; color: #0b0c0c; line-height: 1.4; }
a { color: #1d4f91; }
a:visited { color: #4c2c92; }
:focus-visible { outline: 3px solid #0b0c0c; outline-offset: 2px; box-shadow: 0 0 0 6px #ffdd00; }
.skip-link { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
.skip-link:focus { position: static; display: inline-block; width: auto; height: auto; margin: 0.5em 0; padding: 0.3em 0.6em; background: #ffdd00; color: #0b0c0c; }
.banner { background: #ffdd00; border: 4px solid #0b0c0c; font-weight: bold; font-size: 1.2em; padding: 0.5em 1em; margin: 1em 0; }
.report-title { font-size: 1.1em; font-weight: bold; margin: 0.8em 0 0.3em; }
.status { font-weight: bold; }
nav { border-top: 2px solid #0b0c0c; border-bottom: 2px solid #0b0c0c; margin: 0.8em 0; padding: 0.3em 0; }
.nav-group { margin: 0.2em 0; font-size: 0.95em; line-height: 1.7; }
.nav-label { font-weight: bold; margin-right: 0.6em; }
.visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important; padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important; border: 0 !important; white-space: nowrap !important; }
nav ul { display: inline; list-style: none; margin: 0; padding: 0; }
nav li { display: inline; margin-right: 1em; white-space: nowrap; }
nav a[aria-current="page"] { font-weight: bold; color: #0b0c0c; text-decoration: none; border-bottom: 3px solid #0b0c0c; }
.keys { font-size: 0.9em; color: #383f43; }
kbd { border: 1px solid #6f777b; border-radius: 3px; padding: 0 0.3em; font-family: inherit; }
main:focus { outline: none; }
main:focus-visible { outline: 3px solid #0b0c0c; }
section { border-top: 2px solid #b1b4b6; margin-top: 2em; }
.headlines li { margin-bottom: 0.5em; font-size: 1.05em; }
.pages li, .files li { margin-bottom: 0.3em; }
.chart-note { font-size: 0.95em; color: #383f43; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #b1b4b6; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.strong { font-weight: bold; }
tr.chosen { font-weight: bold; background: #fbe9e7; }
footer { border-top: 2px solid #0b0c0c; margin-top: 2em; font-size: 0.9em; }
code { word-break: break-all; }
@page { size: A4 portrait; margin: 15mm 15mm 18mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav, .skip-link, .keys { display: none !important; }
  a { color: #0b0c0c; }
  .banner, tr.chosen { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .chart-block, table, .chart-note { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; }
  section { break-before: auto; }
  body.index main a[href]:not([href^="#"]):not(.file)::after { content: " (" attr(href) ")"; font-size: 0.9em; }
}
</style>
{{- if .HasCharts}}
<script>{{.Echarts}}</script>
<script>window.crimetrendsCharts = [];</script>
{{- end}}
</head>
<body class="{{.Kind}}">
<a class="skip-link" href="#main">Skip to main content</a>
{{- if .View.Synthetic}}
<p class="banner" role="note">{{banner}}</p>
{{- end}}
<header>
<p class="report-title">{{.View.Title}}</p>
{{- range .Sources}}
<p class="status">{{.}}</p>
{{- end}}
</header>
<nav aria-label="Report pages">
{{- range .Nav}}
<div class="nav-group">{{with .Label}}<span class="nav-label">{{.}}:</span>{{end}}
<ul>
{{- range .Links}}
<li><a href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>{{.Text}}{{with .Hidden}}<span class="visually-hidden">{{.}}</span>{{end}}</a></li>
{{- end}}
</ul>
</div>
{{- end}}
</nav>
<p class="keys">Keyboard: <kbd>Tab</kbd> moves through links, charts and tables; <kbd>n</kbd> and <kbd>p</kbd> jump to the next and previous section heading (not while typing in a form field).</p>
<main id="main" tabindex="-1">
<h1>{{.Title}}</h1>
{{- if eq .Kind "index"}}{{template "index" .}}
{{- else if eq .Kind "overview"}}{{template "overview" .}}
{{- else}}{{template "sections" .}}
{{- end}}
</main>
<footer>
{{- if .View.Synthetic}}
<p class="banner" role="note">{{banner}}</p>
{{- end}}
<h2>Provenance</h2>
<p>Produced by crimetrends{{with .View.Version}} {{.}}{{end}}.{{if not .View.GeneratedAt.IsZero}} Generated at {{utc .View.GeneratedAt}}.{{end}}</p>
{{- with .View.Inputs}}
<div class="table-wrap" tabindex="0" role="region" aria-label="Inputs">
<table>
<caption>Inputs</caption>
<thead><tr><th scope="col">Input</th><th scope="col">Source</th><th scope="col">Rows</th><th scope="col">SHA-256</th></tr></thead>
<tbody>
{{- range .}}
<tr><td>{{.Name}}</td><td>{{.Source}}</td><td class="num">{{count .Rows}}</td><td><code>{{.SHA256}}</code></td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
{{- with .View.Vintages}}
<div class="table-wrap" tabindex="0" role="region" aria-label="Dataset vintages">
<table>
<caption>Dataset vintages</caption>
<thead><tr><th scope="col">Vintage</th><th scope="col">Ingested at</th><th scope="col">Inputs</th></tr></thead>
<tbody>
{{- range .}}
<tr><td>{{.ID}}</td><td>{{if not .IngestedAt.IsZero}}{{utc .IngestedAt}}{{end}}</td><td class="num">{{.Inputs}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
</footer>
<script>
(function () {
  "use strict";
  // n / p: next / previous section heading.
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || (e.key !== "n" && e.key !== "p")) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var hs = Array.prototype.slice.call(document.querySelectorAll("main h2"));
    var next = null, i;
    if (e.key === "n") {
      for (i = 0; i < hs.length && !next; i++) if (hs[i].getBoundingClientRect().top > 1) next = hs[i];
    } else {
      for (i = hs.length - 1; i >= 0 && !next; i--) if (hs[i].getBoundingClientRect().top < -1) next = hs[i];
    }
    if (!next) return;
    e.preventDefault();
    next.setAttribute("tabindex", "-1");
    next.focus();
    next.scrollIntoView();
  });
  // Printing: draw every chart at the printable width of A4, then back.
  function charts() { return window.crimetrendsCharts || []; }
  window.addEventListener("beforeprint", function () {
    var probe = document.createElement("div");
    probe.style.cssText = "position:absolute;visibility:hidden;width:180mm";
    document.body.appendChild(probe);
    var w = probe.getBoundingClientRect().width;
    document.body.removeChild(probe);
    charts().forEach(function (c) { c.resize({width: w}); });
  });
  window.addEventListener("afterprint", function () {
    charts().forEach(function (c) { c.resize({width: "auto"}); });
  });
})();
</script>
</body>
</html>
{{end}}

{{- define "index"}}
{{- with .View.Notes}}
<ul class="notes">
{{- range .}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
<h2 id="pages">Pages in this report</h2>
<ul class="pages">
{{- range .Links}}
<li><a href="{{.Href}}">{{.Text}}</a>: {{.Description}}</li>
{{- end}}
</ul>
{{- with .Outputs}}
<h2 id="files">Other files of this run</h2>
<ul class="files">
{{- range .}}
<li><a class="file" href="{{.Name}}">{{.Name}}</a>{{with .Description}}: {{.}}{{end}}</li>
{{- end}}
</ul>
{{- end}}
<h2 id="headlines">Headlines</h2>
{{- if not .Sections}}
<p>There are no figures to show.</p>
{{- end}}
{{- range .Sections}}
<h3>{{.Heading}}</h3>
<p class="status">{{.SourceLabel}}. {{.Status}}.</p>
{{- template "headlines" .Headlines}}
{{- end}}
{{- end}}

{{- define "overview"}}
{{- if not .Sections}}
<p>There are no figures to show.</p>
{{- end}}
{{- with .Sections}}
<h2 id="headlines">Headlines for England and Wales</h2>
{{- range .}}
<h3>{{.Heading}}</h3>
<p class="status">{{.SourceLabel}}. {{.Status}}.</p>
{{- template "headlines" .Headlines}}
{{- end}}
{{- end}}
{{- with .Blocks}}
<section id="charts">
<h2>National charts</h2>
{{- range .}}{{template "block" .}}{{end}}
</section>
{{- end}}
{{- end}}

{{- define "sections"}}
{{- if not .Sections}}
<p>There are no figures to show.</p>
{{- end}}
{{- range .Sections}}
<section id="{{.ID}}">
<h2>{{.Heading}}</h2>
<p class="status">{{.SourceLabel}}. {{.Status}}.</p>
{{- template "headlines" .Headlines}}
{{- range .Blocks}}{{template "block" .}}{{end}}
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
{{- end}}

{{- define "headlines"}}
{{- with .}}
<ul class="headlines">
{{- range .}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- end}}

{{- define "block"}}
<div class="chart-block">
<h3>{{.Heading}}</h3>
{{.Element}}
</div>
<script>
(function () {
  "use strict";
  var el = document.getElementById({{.ID}});
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", {{.Note}});
  el.setAttribute("tabindex", "0");
{{- if .Setup}}
  {{.Setup}}
{{- end}}
  var chart = echarts.init(el, null, {renderer: "canvas"});
  chart.setOption({{.Option}});
  window.crimetrendsCharts.push(chart);
  window.addEventListener("resize", function () { chart.resize(); });
})();
</script>
<p class="chart-note">{{.Note}}</p>
{{- if or .Table.Header .Table.Rows}}{{template "table" .Table}}{{end}}
{{- end}}

{{- define "table"}}
<div class="table-wrap" tabindex="0" role="region" aria-label="Table: {{.Caption}}">
<table>
<caption>{{.Caption}}</caption>
<thead><tr>{{range .Header}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr{{if allStrong .}} class="chosen"{{end}}>{{range .}}<td{{with cellClass .}} class="{{.}}"{{end}}>{{cell .Text}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
`
