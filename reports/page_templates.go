package reports

import (
	"html/template"
	"strings"
)

// pagesTmpl holds every template of the pages: "shell" (the page around
// its content), the partials "card", "table", "figure", "figure-body" and
// "notes", and one body per page kind ("index", "force", "offence",
// "overview", "sources"). "css" and "js" are the style sheet and the one
// script every page carries (lazy charts, printing, n/p, sortable tables).
var pagesTmpl = template.Must(template.New("pages").Funcs(template.FuncMap{
	"t":         plainText,
	"cellAttrs": cellAttrs,
	"cell":      cellHTML,
}).Parse(shellHTML + partialsHTML + bodiesHTML + cssHTML + jsHTML))

// plainText escapes text for HTML as html/template would, but leaves "+"
// as it is (html/template writes "&#43;"), so that the source reads well.
func plainText(s string) template.HTML { return template.HTML(template.HTMLEscapeString(s)) }

// cellAttrs are a table cell's class and sort key.
func cellAttrs(c tableCell) template.HTMLAttr {
	var classes []string
	if c.Num {
		classes = append(classes, "num")
	}
	if c.Class != "" {
		classes = append(classes, c.Class)
	}
	var b strings.Builder
	if len(classes) > 0 {
		b.WriteString(` class="` + template.HTMLEscapeString(strings.Join(classes, " ")) + `"`)
	}
	if c.Sort != "" {
		b.WriteString(` data-v="` + template.HTMLEscapeString(c.Sort) + `"`)
	}
	return template.HTMLAttr(b.String())
}

// cellHTML is a cell's text, as a link when it has one.
func cellHTML(c tableCell) template.HTML {
	if c.Href != "" {
		return template.HTML(`<a href="` + template.HTMLEscapeString(c.Href) + `">` + template.HTMLEscapeString(c.Text) + `</a>`)
	}
	return plainText(c.Text)
}

const shellHTML = `{{define "shell" -}}
<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Synthetic}}Synthetic data: {{end}}{{.Title}}</title>
<style>{{template "css"}}</style>
{{- if .ScriptSrc}}
<script src="{{.ScriptSrc}}"></script>
{{- end}}
{{- if .Script}}
<script>{{.Script}}</script>
{{- end}}
</head>
<body class="{{.Kind}}">
<a class="skip-link" href="#main">Skip to main content</a>
{{- if .Synthetic}}
<p class="banner">{{.Banner}}</p>
{{- end}}
<header class="top">
<nav aria-label="Report pages"><ul>
{{- range .Nav.Links}}
<li><a href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>{{.Text}}</a></li>
{{- end}}
{{- with .Nav.Forces}}
<li><details class="menu"><summary>Forces</summary><ul>
{{- range .}}
<li><a href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>{{.Text}}</a></li>
{{- end}}
</ul></details></li>
{{- end}}
{{- with .Nav.Offences}}
<li><details class="menu"><summary>Offences</summary><ul>
{{- range .}}
<li><a href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>{{.Text}}</a></li>
{{- end}}
</ul></details></li>
{{- end}}
<li><a href="sources.html"{{if eq .Name "sources.html"}} aria-current="page"{{end}}>Sources</a></li>
</ul></nav>
</header>
<main id="main" tabindex="-1">
<h1>{{.Title}}</h1>
{{- with .Lead}}
<p class="lead">{{.}}</p>
{{- end}}
{{.Main}}
</main>
<footer>
{{- range .Status}}
<p class="status">{{.}}</p>
{{- end}}
<p>{{.Footer}} <a href="sources.html">Sources and provenance</a>: where each figure comes from, the inputs with their SHA-256, the dataset vintages.</p>
<details class="keys"><summary>Keyboard</summary><p><kbd>Tab</kbd> moves through links, charts and tables; <kbd>n</kbd> and <kbd>p</kbd> jump to the next and the previous section.</p></details>
{{- if .Synthetic}}
<p class="banner">{{.Banner}}</p>
{{- end}}
</footer>
<script>{{template "js"}}</script>
</body>
</html>
{{end}}`

const partialsHTML = `
{{- define "card"}}
<article class="card" id="{{.ID}}"{{if .Title}} aria-labelledby="{{.ID}}-h"{{end}}>
{{- if .Title}}
<h3 id="{{.ID}}-h">{{.Title}}</h3>
{{- end}}
{{- if .Empty}}
<p>{{t .Empty}}</p>
{{- else}}
<p class="big">{{.Count}}</p>
<p class="unit">{{.Unit}}</p>
<p class="move">{{if eq .Dir "up"}}<span aria-hidden="true">▲ </span>{{else if eq .Dir "down"}}<span aria-hidden="true">▼ </span>{{end}}{{t .Move}}</p>
{{- with .National}}
<p class="nat">{{t .}}</p>
{{- end}}
{{- with .Verdict}}
<p class="verdict">{{t .}}</p>
{{- end}}
{{- with .Small}}
<p class="small">{{t .}}</p>
{{- end}}
{{- end}}
{{- if .Href}}
<p class="small"><a href="{{.Href}}">{{.More}}</a></p>
{{- end}}
</article>
{{- end}}

{{- define "table"}}
<div class="table-wrap" tabindex="0" role="region" aria-label="{{.Caption}}">
<table{{with .ID}} id="{{.}}"{{end}}{{if .Sortable}} class="sortable"{{end}}>
<caption>{{t .Caption}}{{if .Sortable}} <span class="hint">Select a column heading to sort by it.</span>{{end}}</caption>
<thead><tr>{{range .Head}}<th scope="col">{{if $.Sortable}}<button type="button">{{.}}</button>{{else}}{{.}}{{end}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr{{if .Chosen}} class="chosen"{{end}}>{{range $i, $c := .Cells}}{{if eq $i 0}}<th scope="row">{{cell $c}}</th>{{else}}<td{{cellAttrs $c}}>{{cell $c}}</td>{{end}}{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}

{{- define "figure"}}
<figure class="chart"{{if .Heading}} aria-labelledby="{{.ID}}-h"{{end}}>
{{- if .Heading}}
<h3 id="{{.ID}}-h">{{.Heading}}</h3>
{{- end}}
{{- template "figure-body" .}}
</figure>
{{- end}}

{{- define "figure-body"}}
{{- with .Key}}
<ul class="key">{{range .}}<li><span class="sw sw-{{.Style}}" style="--c:{{.Colour}}"></span>{{t .Name}}</li>{{end}}</ul>
{{- end}}
{{- with .Axis}}
<p class="axis">{{.}}</p>
{{- end}}
{{- if .Wide}}
<div class="chart-scroll" tabindex="0" role="region" aria-label="{{.Heading}} (scrolls sideways)">
<div class="chart-box" id="{{.ID}}" role="img" aria-label="{{.Desc}}" tabindex="0" style="height:{{.Height}}px;min-width:{{.Wide}}px"></div>
</div>
{{- else}}
<div class="chart-box{{if .Map}} map{{end}}" id="{{.ID}}" role="img" aria-label="{{.Desc}}" tabindex="0"{{if not .Map}} style="height:{{.Height}}px"{{end}}{{with .GeoName}} data-geo="{{.}}"{{end}}></div>
{{- end}}
<script type="application/json" id="{{.ID}}-option">{{.Option}}</script>
{{- if .Geo}}
<script type="application/json" id="{{.ID}}-geo">{{.Geo}}</script>
{{- end}}
<p class="chart-note">{{t .Note}}</p>
{{- with .Events}}
<ol class="events">{{range .}}<li value="{{.N}}"><strong>{{.Month}}</strong> ({{.Kind}}): {{t .Text}}</li>{{end}}</ol>
{{- end}}
{{- if .Table.Rows}}
<details class="numbers"><summary>The numbers in this chart</summary>{{template "table" .Table}}</details>
{{- end}}
{{- end}}

{{- define "notes"}}
{{- with .}}
<section id="notes" aria-labelledby="notes-h">
<h2 id="notes-h">Notes</h2>
<ul class="notes">{{range .}}
<li>{{t .}}</li>{{end}}
</ul>
</section>
{{- end}}
{{- end}}
`

const bodiesHTML = `
{{- define "index"}}
<section class="cards" aria-label="Key figures">
{{- range .Cards}}{{template "card" .}}{{end}}
</section>
{{- range .Tables}}
<section id="{{.ID}}" aria-labelledby="{{.ID}}-h">
<h2 id="{{.ID}}-h">{{.Heading}}</h2>
{{- range .Tables}}{{template "table" .}}{{end}}
</section>
{{- end}}
{{- template "notes" .Notes}}
<section id="files" aria-labelledby="files-h">
<h2 id="files-h">Files of this report</h2>
<ul class="files">
{{- range .Outputs}}
<li><a href="{{.Name}}">{{.Name}}</a>: {{.Description}}</li>
{{- end}}
<li><a href="sources.html">sources.html</a>: the sources in the order their figures are quoted, the inputs with their SHA-256, completeness and vintages</li>
</ul>
</section>
{{- end}}

{{- define "force"}}
{{- with .Tables}}
<section id="every-offence" aria-labelledby="every-offence-h">
<h2 id="every-offence-h">Every offence</h2>
{{- range .}}{{template "table" .}}{{end}}
</section>
{{- end}}
{{- range $s := .Sections}}
<section class="offence" id="{{$s.ID}}" aria-labelledby="{{$s.ID}}-h">
<h2 id="{{$s.ID}}-h">{{$s.Title}}</h2>
{{- template "card" $s.Card}}
{{- with $s.Footnotes}}
<details class="footnotes"><summary>ONS's footnotes to this figure</summary>
<ul>{{range .}}<li>{{t .}}</li>{{end}}</ul>
</details>
{{- end}}
{{- with $s.Trend}}{{template "figure" .}}{{end}}
{{- with $s.TrendText}}
<p class="few">{{t .}}</p>
{{- end}}
{{- with $s.Monthly}}{{template "figure" .}}{{end}}
{{- with $s.Comparators}}
<h3>Against the rest of England and Wales, its country, region and peers</h3>
{{- template "table" .}}
{{- end}}
{{- with $s.Others}}
<h3>Other figures for the same months</h3>
<p>{{t $s.Quoted}}</p>
{{- template "table" .}}
{{- end}}
{{- with $s.Outcomes}}
<h3>What happened to the crimes recorded</h3>
{{- template "table" .}}
<ul class="notes">{{range $s.OutcomesNotes}}<li>{{t .}}</li>{{end}}</ul>
{{- end}}
{{- with $s.OutcomesText}}
<p class="few">{{t .}}</p>
{{- end}}
{{- if $s.HasMore}}
<details class="more"><summary>More: the monthly pattern, and the change against chance</summary>
{{- with $s.ControlText}}
<p>{{t .}}</p>
{{- end}}
{{- with $s.Control}}{{template "figure" .}}{{end}}
{{- with $s.Signals}}
<ul class="signals">{{range .}}<li>{{t .}}</li>{{end}}</ul>
{{- end}}
{{- with $s.Interval}}{{template "figure" .}}{{end}}
</details>
{{- end}}
</section>
{{- end}}
{{- template "notes" .Notes}}
{{- end}}

{{- define "offence"}}
<section class="cards" aria-label="Key figures">
{{- template "card" .Card}}
</section>
{{- with .Forces}}
<ul class="chosen-lines">{{range .}}<li><a href="{{.Href}}">{{.Name}}</a>: {{t .Text}}</li>{{end}}</ul>
{{- end}}
{{- with .Short}}
<p class="short">{{t .}}</p>
{{- end}}
{{- with .Rank}}
<section id="ranked" aria-labelledby="{{.ID}}-h"><h2 id="{{.ID}}-h">{{.Heading}}</h2>{{template "figure-body" .}}</section>
{{- end}}
{{- with .Map}}
<section id="map" aria-labelledby="{{.ID}}-h"><h2 id="{{.ID}}-h">{{.Heading}}</h2>{{template "figure-body" .}}</section>
{{- end}}
{{- with .Table}}
<section id="every-area" aria-labelledby="every-area-h"><h2 id="every-area-h">Every force and region</h2>{{template "table" .}}</section>
{{- end}}
{{- with .Trend}}
<section id="trend" aria-labelledby="{{.ID}}-h"><h2 id="{{.ID}}-h">{{.Heading}}</h2>{{template "figure-body" .}}</section>
{{- end}}
{{- with .TrendText}}
<p class="few">{{t .}}</p>
{{- end}}
{{- with .Monthly}}
<section id="months" aria-labelledby="{{.ID}}-h"><h2 id="{{.ID}}-h">{{.Heading}}</h2>{{template "figure-body" .}}</section>
{{- end}}
{{- with .MonthlyMap}}
<section id="month-map" aria-labelledby="{{.ID}}-h"><h2 id="{{.ID}}-h">{{.Heading}}</h2>{{template "figure-body" .}}</section>
{{- end}}
{{- with .MonthTable}}
<section id="every-month" aria-labelledby="every-month-h"><h2 id="every-month-h">Every area, month by month</h2>{{template "table" .}}</section>
{{- end}}
{{- template "notes" .Notes}}
{{- end}}

{{- define "overview"}}
{{- with .Tables}}
<section id="every-offence" aria-labelledby="every-offence-h">
<h2 id="every-offence-h">Every offence in England and Wales</h2>
{{- range .}}{{template "table" .}}{{end}}
</section>
{{- end}}
{{- with .Map}}
<section id="map" aria-labelledby="{{.ID}}-h"><h2 id="{{.ID}}-h">{{.Heading}}</h2>{{template "figure-body" .}}
<p>Each offence's own page has its map and every number: choose it in the table above or under Offences at the top.</p></section>
{{- end}}
{{- with .Heats}}
<section id="by-force" aria-labelledby="by-force-h">
<h2 id="by-force-h">Every offence by force</h2>
<details class="more"><summary>Show the heat maps of every offence by force</summary>
{{- range .}}{{template "figure" .}}{{end}}
</details>
</section>
{{- end}}
{{- template "notes" .Notes}}
{{- end}}

{{- define "sources"}}
<section id="order" aria-labelledby="order-h">
<h2 id="order-h">Which figure is quoted</h2>
<p>Where two sources give a figure for the same force, offence and months, the report quotes the first of these that has one, and shows the others beside it on the force pages.</p>
<ol class="sources">
{{- range .Sources}}
<li><strong>{{.Name}}</strong> ({{.Status}}). {{.Why}} {{.Span}}{{if not .AtPeriod}} It has no figure for the months of this report.{{end}}</li>
{{- end}}
</ol>
{{- with .Releases}}{{template "table" .}}{{end}}
</section>
{{- with .Completeness}}
<section id="completeness" aria-labelledby="completeness-h">
<h2 id="completeness-h">Completeness</h2>
{{- range .}}
<h3>{{.Source}}</h3>
<p>{{.Summary}}</p>
{{- with .Gaps}}{{template "table" .}}{{end}}
{{- end}}
</section>
{{- end}}
<section id="inputs" aria-labelledby="inputs-h">
<h2 id="inputs-h">Inputs</h2>
{{- if .InputsOpen}}{{template "table" .Inputs}}{{else}}
<details><summary>All {{.InputCount}} inputs with their SHA-256</summary>{{template "table" .Inputs}}</details>
{{- end}}
<p>The manifest (manifest.json) lists the same inputs with the rows each had read, used, skipped and rejected.</p>
</section>
<section id="vintages" aria-labelledby="vintages-h">
<h2 id="vintages-h">Dataset vintages</h2>
{{- template "table" .Vintages}}
</section>
{{- end}}
`
