package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// Pages renders every page of a report, handing each to emit as soon as it
// is made (a report for every force has many pages). The index
// (dashboard.html) comes first: the key figures a commissioner asks for,
// then one table of every offence for each chosen force, then the notes
// that bear on them. sources.html lists the sources, the rule that chose
// each quoted figure, the inputs with their SHA-256 and the vintages.
// Output depends on rep and meta alone.
func Pages(rep *pipeline.Report, meta Meta, emit func(Page) error) error {
	idx, err := indexPage(rep, meta)
	if err != nil {
		return err
	}
	if err := emit(idx); err != nil {
		return err
	}
	src, err := sourcesPage(rep, meta)
	if err != nil {
		return err
	}
	return emit(src)
}

// card is one key figure: a force's (or England and Wales's) quoted figure
// for one offence.
type card struct {
	Title    string // "Wiltshire: stalking and harassment"
	Count    string // "2,182"
	Unit     string // "offences recorded, 12 months to September 2018"
	Move     string // "up 14.6% on a year earlier (1,904)"
	National string // "England and Wales: up 41.3%"
	Verdict  string // the test against the rest of England and Wales
	Interval string
	Source   string
	Empty    string
}

// offenceRow is one line of a force's table of every offence.
type offenceRow struct {
	Offence, Href        string
	Count, Change, Pct   string
	Rate, National, Rank string
	Source               string
	Direction            string // "up", "down" or ""
}

type forceTable struct {
	Name string
	Rows []offenceRow
}

type indexData struct {
	Title, Subtitle, PeriodLine string
	Synthetic                   bool
	Banner                      string
	Cards                       []card
	Tables                      []forceTable
	Notes                       []string
	Outputs                     []OutputLink
	Footer                      string
}

func indexPage(rep *pipeline.Report, meta Meta) (Page, error) {
	d := indexData{
		Title:      reportTitle(rep),
		Subtitle:   "Offences recorded by the police: " + sayWindowKind(rep.Window) + " figures",
		PeriodLine: sayPeriodLine(rep),
		Synthetic:  meta.Synthetic,
		Banner:     SyntheticBanner,
		Outputs:    meta.Outputs,
		Footer:     footer(meta),
	}
	for _, t := range keyTopics(rep) {
		if len(t.Answers) == 0 {
			d.Cards = append(d.Cards, nationalCard(rep, t))
		}
		for _, a := range t.Answers {
			d.Cards = append(d.Cards, forceCard(rep, t, a))
		}
	}
	for i, f := range rep.Forces {
		ft := forceTable{Name: f.Name}
		for _, t := range rep.Topics {
			if i >= len(t.Answers) {
				continue
			}
			fig := t.Answers[i].Figure
			row := offenceRow{Offence: sayTopicTitle(t)}
			if fig.Present {
				row.Count = sayCount(fig.Count)
				if fig.HasPrevious {
					row.Change = saySignedCount(fig.Change)
					if fig.Change > 0 {
						row.Direction = "up"
					} else if fig.Change < 0 {
						row.Direction = "down"
					}
				}
				if fig.HasPct {
					row.Pct = saySignedPct(fig.PctChange)
				}
				if fig.HasRate {
					row.Rate = sayRate(fig.Rate)
				}
				row.Rank = sayRank(fig.Rank, fig.Ranked)
				row.Source = shortSource(fig)
			}
			if t.National.HasPct {
				row.National = saySignedPct(t.National.PctChange)
			}
			ft.Rows = append(ft.Rows, row)
		}
		d.Tables = append(d.Tables, ft)
	}
	d.Notes = reportNotes(rep, meta)
	var b bytes.Buffer
	if err := indexTmpl.Execute(&b, d); err != nil {
		return Page{}, fmt.Errorf("index page: %w", err)
	}
	return Page{Name: IndexPage, Title: d.Title, HTML: b.Bytes()}, nil
}

// keyTopics are the topics that get a key-figure card: those asked for,
// or, when none was, the total (official first).
func keyTopics(rep *pipeline.Report) []pipeline.Topic {
	var asked []pipeline.Topic
	for _, t := range rep.Topics {
		for _, s := range rep.Request.Offences {
			if s == t.Selector {
				asked = append(asked, t)
				break
			}
		}
	}
	if len(asked) > 0 {
		return asked
	}
	for _, t := range rep.Topics {
		if t.Selector.Kind == datasets.SelectTotal {
			return []pipeline.Topic{t}
		}
	}
	if len(rep.Topics) > 0 {
		return rep.Topics[:1]
	}
	return nil
}

func reportTitle(rep *pipeline.Report) string {
	var names []string
	for _, f := range rep.Forces {
		names = append(names, f.Name)
	}
	if len(names) == 0 {
		names = []string{"England and Wales"}
	}
	if len(names) > 3 {
		names = []string{fmt.Sprintf("%d forces", len(names))}
	}
	return fmt.Sprintf("%s: %s", joinAnd(names), sayWindowTitle(rep))
}

func forceCard(rep *pipeline.Report, t pipeline.Topic, a pipeline.ForceAnswer) card {
	c := card{Title: a.Force.Name + ": " + lowerFirst(sayTopicTitle(t))}
	f := a.Figure
	if !f.Present {
		c.Empty = fmt.Sprintf("There is no figure for %s for %s.", a.Force.Name, sayWindow(rep))
		for _, n := range t.Notes {
			if n.Area == a.Force.Code {
				c.Empty = n.Text
			}
		}
		return c
	}
	fillCard(&c, rep, t, f)
	c.Verdict = sayAgainst(a)
	return c
}

func nationalCard(rep *pipeline.Report, t pipeline.Topic) card {
	c := card{Title: "England and Wales: " + lowerFirst(sayTopicTitle(t))}
	if !t.National.Present {
		c.Empty = t.Empty
		if c.Empty == "" {
			c.Empty = fmt.Sprintf("There is no England and Wales figure for %s.", sayWindow(rep))
		}
		return c
	}
	fillCard(&c, rep, t, t.National)
	c.National = sayRises(t, rep)
	return c
}

func fillCard(c *card, rep *pipeline.Report, t pipeline.Topic, f pipeline.Figure) {
	c.Count = sayCount(f.Count)
	c.Unit = fmt.Sprintf("%s recorded, %s", phraseFor(t.Name).plural, lowerFirst(sayWindowTitle(rep)))
	if mv := sayMove(f); mv != "" {
		c.Move = fmt.Sprintf("%s on a year earlier (%s)", mv, sayCount(f.Previous))
	} else {
		c.Move = "no figure for a year earlier"
	}
	if f.AreaKind != datasets.KindNation && t.National.Present && t.National.HasPct {
		c.National = "England and Wales: " + sayMove(t.National)
	}
	c.Interval = sayInterval(f)
	c.Source = saySource(f)
}

func shortSource(f pipeline.Figure) string {
	switch f.Source {
	case datasets.SourceONSPFA:
		return "ONS"
	case datasets.SourceHomeOffice:
		return "Home Office"
	case datasets.SourceForce:
		return "Force extract"
	case datasets.SourcePoliceUK:
		return "data.police.uk"
	}
	return f.Source
}

// reportNotes are the notes that bear on the figures shown: the rule for
// the quoted figure, recording breaks inside the windows compared, missing
// figures, the run's own notes.
func reportNotes(rep *pipeline.Report, meta Meta) []string {
	var out []string
	if meta.Synthetic {
		out = append(out, "Every figure in this report is made up for testing and demonstration; none is a real police figure.")
	}
	out = append(out, meta.Notes...)
	for _, n := range rep.Notes {
		out = append(out, n.Text)
	}
	shown := map[string]bool{}
	for _, t := range keyTopics(rep) {
		shown[t.ID] = true
	}
	seen := map[string]bool{}
	for _, t := range rep.Topics {
		if !shown[t.ID] {
			continue
		}
		for _, b := range t.Breaks {
			if !seen[b.ID] {
				seen[b.ID] = true
				out = append(out, b.Effect)
			}
		}
		for _, n := range t.Notes {
			if !seen[n.Text] {
				seen[n.Text] = true
				out = append(out, n.Text)
			}
		}
	}
	out = append(out, fmt.Sprintf("Percentage changes on an earlier count under %d are not given (the ONS convention).", rep.MinBase),
		"These are offences recorded by the police, not a count of all crime: they move with reporting, recording practice and police activity.")
	return out
}

func footer(meta Meta) string {
	s := "crimetrends " + meta.Version
	if !meta.GeneratedAt.IsZero() {
		s += ", generated " + meta.GeneratedAt.UTC().Format("2 January 2006 15:04 UTC")
	}
	return s
}

type sourcesData struct {
	Title    string
	Sources  []pipeline.SourceInfo
	Inputs   []InputSummary
	Vintages []VintageSummary
	Footer   string
}

func sourcesPage(rep *pipeline.Report, meta Meta) (Page, error) {
	d := sourcesData{Title: "Sources and provenance", Sources: rep.Sources, Inputs: meta.Inputs, Vintages: meta.Vintages, Footer: footer(meta)}
	var b bytes.Buffer
	if err := sourcesTmpl.Execute(&b, d); err != nil {
		return Page{}, fmt.Errorf("sources page: %w", err)
	}
	return Page{Name: SourcesPage, Title: d.Title, HTML: b.Bytes()}, nil
}

var funcs = template.FuncMap{
	"lower": strings.ToLower,
	"month": func(m datasets.Month) string { return m.Label() },
}

const pageHead = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#0b0c0c;line-height:1.4}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}
.banner{background:#d4351c;color:#fff;padding:8px 16px;font-weight:bold}
h1{font-size:1.6rem;margin:12px 0 4px}
.sub{color:#505a5f;margin:0 0 8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}
.card{border:1px solid #b1b4b6;border-left:6px solid #1d70b8;padding:10px 12px}
.card h2{font-size:1rem;margin:0 0 4px}
.big{font-size:2.2rem;font-weight:bold;margin:0}
.small{font-size:.85rem;color:#505a5f}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}
th,td{border-bottom:1px solid #b1b4b6;padding:4px 6px;text-align:right}
th:first-child,td:first-child{text-align:left}
.tablewrap{overflow-x:auto}
@media print{.banner{border:2px solid #000;color:#000;background:none}}
</style>
</head>
<body>
`

var indexTmpl = template.Must(template.New("index").Funcs(funcs).Parse(pageHead + `{{if .Synthetic}}<div class="banner" role="alert">{{.Banner}}</div>{{end}}
<header><h1>{{.Title}}</h1><p class="sub">{{.Subtitle}}</p></header>
<main id="main">
<p>{{.PeriodLine}}</p>
<section class="cards" aria-label="Key figures">
{{range .Cards}}<article class="card"><h2>{{.Title}}</h2>
{{if .Empty}}<p>{{.Empty}}</p>{{else}}<p class="big">{{.Count}}</p><p>{{.Unit}}</p><p><strong>{{.Move}}</strong></p>
{{if .National}}<p>{{.National}}</p>{{end}}{{if .Verdict}}<p>{{.Verdict}}</p>{{end}}{{if .Interval}}<p class="small">{{.Interval}}</p>{{end}}
<p class="small">Source: {{.Source}}</p>{{end}}</article>
{{end}}</section>
{{range .Tables}}<h2>{{.Name}}: every offence</h2>
<div class="tablewrap"><table><thead><tr><th scope="col">Offence</th><th scope="col">Count</th><th scope="col">Change</th><th scope="col">% change</th><th scope="col">Rate per 1,000</th><th scope="col">England and Wales % change</th><th scope="col">Rank by change</th><th scope="col">Source</th></tr></thead><tbody>
{{range .Rows}}<tr><th scope="row">{{.Offence}}</th><td>{{.Count}}</td><td>{{.Change}}</td><td>{{.Pct}}</td><td>{{.Rate}}</td><td>{{.National}}</td><td>{{.Rank}}</td><td>{{.Source}}</td></tr>
{{end}}</tbody></table></div>
{{end}}
<h2>Notes</h2><ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>
<h2>Files</h2><ul>{{range .Outputs}}<li><a href="{{.Name}}">{{.Name}}</a>: {{.Description}}</li>{{end}}<li><a href="sources.html">Sources and provenance</a></li></ul>
</main>
<footer><p class="small">{{.Footer}}. <a href="sources.html">Sources and provenance</a>.</p></footer>
</body></html>
`))

var sourcesTmpl = template.Must(template.New("sources").Funcs(funcs).Parse(pageHead + `<header><h1>{{.Title}}</h1></header>
<main id="main">
<h2>Which figure is quoted</h2>
<p>Where two sources give a figure for the same force, offence and period, the report quotes the first of these that has one, and shows the others beside it:</p>
<ol>{{range .Sources}}<li><strong>{{.Name}}</strong> ({{.Status}}): {{.Why}}. It covers {{month .First}} to {{month .Last}} ({{.Grain}}).</li>{{end}}</ol>
<h2>Inputs</h2>
<div class="tablewrap"><table><thead><tr><th scope="col">File</th><th scope="col">Source</th><th scope="col">Rows</th><th scope="col">SHA-256</th></tr></thead><tbody>
{{range .Inputs}}<tr><th scope="row">{{.Name}}</th><td>{{.Source}}</td><td>{{.Rows}}</td><td><code>{{.SHA256}}</code></td></tr>
{{end}}</tbody></table></div>
<h2>Dataset vintages</h2><ul>{{range .Vintages}}<li>{{.ID}}: {{.Inputs}} input(s)</li>{{end}}</ul>
</main>
<footer><p class="small">{{.Footer}}. <a href="dashboard.html">Back to the index</a>.</p></footer>
</body></html>
`))
