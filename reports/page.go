package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"sort"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// OverviewPage is the national page's file name.
const OverviewPage = "overview.html"

// Pages renders every page of a report, handing each to emit as soon as it
// is made (a report for every force has many pages), in this order: the
// index (IndexPage: a key-figure card per chosen force and asked offence,
// then every offence of each force, the notes that bear on them and the
// files), the overview (OverviewPage), one page per chosen force
// (force-<name>.html), one per offence (offence-<topic id>.html), the
// sources page (SourcesPage) and, last, the shared echarts script
// (ScriptFile) when any page draws a chart and meta.SingleFile is false
// (with SingleFile each page with charts carries the script itself).
// Pages without charts load no script. Every link on a page points to a
// page Pages emits, to meta.Outputs or to an anchor on a page.
//
// Output depends on rep and meta alone: chart IDs are fixed, the
// generation time is meta.GeneratedAt (left out when zero) and no path of
// the machine appears, so the same inputs give the same bytes. Pages stops
// at emit's first error and returns it.
func Pages(rep *pipeline.Report, meta Meta, emit func(Page) error) error {
	s := newSite(rep, meta)
	builders := []func() (pageOut, error){s.indexPage, s.overviewPage}
	for i := range s.forces {
		i := i
		builders = append(builders, func() (pageOut, error) { return s.forcePage(i) })
	}
	for i := range rep.Topics {
		i := i
		builders = append(builders, func() (pageOut, error) { return s.offencePage(i) })
	}
	builders = append(builders, s.sourcesPage)
	for _, build := range builders {
		out, err := build()
		if err != nil {
			return err
		}
		p, err := s.render(out)
		if err != nil {
			return err
		}
		if err := emit(p); err != nil {
			return err
		}
	}
	if s.charts && !meta.SingleFile {
		js, err := EchartsJS()
		if err != nil {
			return fmt.Errorf("pages: %w", err)
		}
		return emit(Page{Name: ScriptFile, Title: "echarts", HTML: js})
	}
	return nil
}

// site is what every page of one report shares.
type site struct {
	rep    *pipeline.Report
	meta   Meta
	forces []forceRef
	chosen map[string]bool // chosen forces' codes
	charts bool            // some page drew a chart
	inline template.JS     // the echarts script, when SingleFile
	loaded bool
}

// forceRef is a chosen force and its page.
type forceRef struct {
	pipeline.Force
	Page string
}

func newSite(rep *pipeline.Report, meta Meta) *site {
	s := &site{rep: rep, meta: meta, chosen: map[string]bool{}}
	used := map[string]bool{}
	for _, f := range rep.Forces {
		slug := idPart(f.Name)
		if slug == "" {
			slug = "force"
		}
		name := slug
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s-%d", slug, n)
		}
		used[name] = true
		s.forces = append(s.forces, forceRef{Force: f, Page: "force-" + name + ".html"})
		s.chosen[f.Code] = true
	}
	return s
}

func offencePageName(t pipeline.Topic) string { return "offence-" + t.ID + ".html" }

// pageOut is one page's content before the shell wraps it.
type pageOut struct {
	Name, Kind string
	Title      string        // <title> and the page's h1
	Main       template.HTML // everything inside <main> after the h1 and the period line
	Charts     bool
	Sortable   bool
	Sources    []string // the source families of the figures shown: the status line, once
}

// shellData is what the page shell template reads.
type shellData struct {
	pageOut
	Lead      string
	Synthetic bool
	Banner    string
	Nav       navData
	ScriptSrc string
	Script    template.JS
	Status    []string
	Footer    string
}

type navData struct {
	Links    []navLink
	Forces   []navLink // a menu when there are two or more
	Offences []navLink
}

type navLink struct {
	Href, Text string
	Current    bool
}

func (s *site) nav(current string) navData {
	var n navData
	link := func(href, text string) navLink { return navLink{Href: href, Text: text, Current: href == current} }
	n.Links = append(n.Links, link(IndexPage, "Key figures"), link(OverviewPage, "England and Wales"))
	if len(s.forces) == 1 {
		n.Links = append(n.Links, link(s.forces[0].Page, s.forces[0].Name))
	} else {
		for _, f := range s.forces {
			n.Forces = append(n.Forces, link(f.Page, f.Name))
		}
	}
	for _, t := range s.rep.Topics {
		n.Offences = append(n.Offences, link(offencePageName(t), sayTopicTitle(t)))
	}
	return n
}

// render wraps a page's content in the shell: the banner, the top bar, the
// h1 and period line, the footer with the status line and the scripts.
func (s *site) render(out pageOut) (Page, error) {
	d := shellData{
		pageOut:   out,
		Lead:      sayPeriodLine(s.rep),
		Synthetic: s.meta.Synthetic,
		Banner:    SyntheticBanner,
		Nav:       s.nav(out.Name),
		Footer:    footer(s.meta),
	}
	if out.Kind == "sources" {
		d.Lead = ""
	}
	seen := map[string]bool{}
	for _, src := range out.Sources {
		if !seen[src] && src != "" {
			seen[src] = true
			d.Status = append(d.Status, sayStatus(s.rep, src))
		}
	}
	if out.Charts {
		s.charts = true
		if s.meta.SingleFile {
			if !s.loaded {
				js, err := EchartsJS()
				if err != nil {
					return Page{}, fmt.Errorf("pages: %w", err)
				}
				s.inline, s.loaded = template.JS(safeScript(string(js))), true
			}
			d.Script = s.inline
		} else {
			d.ScriptSrc = ScriptFile
		}
	}
	var b bytes.Buffer
	if err := pagesTmpl.ExecuteTemplate(&b, "shell", d); err != nil {
		return Page{}, fmt.Errorf("pages: %s: %w", out.Name, err)
	}
	return Page{Name: out.Name, Title: out.Title, HTML: b.Bytes()}, nil
}

// body renders a page kind's main content.
func body(name string, data any) (template.HTML, error) {
	var b bytes.Buffer
	if err := pagesTmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("pages: %s: %w", name, err)
	}
	return template.HTML(b.String()), nil
}

func footer(meta Meta) string {
	s := "Made by crimetrends"
	if meta.Version != "" {
		s += " " + meta.Version
	}
	if !meta.GeneratedAt.IsZero() {
		s += " on " + meta.GeneratedAt.UTC().Format("2 January 2006 at 15:04 UTC")
	}
	return s + "."
}

// reportTitle is the index's short title: the chosen forces (or England
// and Wales) and the offence asked for, if one was.
func reportTitle(rep *pipeline.Report) string {
	var names []string
	for _, f := range rep.Forces {
		names = append(names, f.Name)
	}
	switch {
	case len(names) == 0:
		names = []string{"England and Wales"}
	case len(names) > 3:
		names = []string{fmt.Sprintf("%d forces", len(names))}
	}
	what := "offences recorded by the police"
	if asked := askedTopics(rep); len(asked) == 1 {
		what = lowerFirst(sayTopicTitle(asked[0]))
	}
	return joinAnd(names) + ": " + what
}

// askedTopics are the topics of the offences the user asked for, in report
// order.
func askedTopics(rep *pipeline.Report) []pipeline.Topic {
	var out []pipeline.Topic
	for _, t := range rep.Topics {
		for _, s := range rep.Request.Offences {
			if s == t.Selector {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// keyTopics are the topics that get a key-figure card: those asked for,
// or, when none was, the total (the official one first).
func keyTopics(rep *pipeline.Report) []pipeline.Topic {
	if asked := askedTopics(rep); len(asked) > 0 {
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

// totalTopic is the topic the overview's map opens on: total recorded
// crime (the official total first), else the first topic.
func totalTopic(rep *pipeline.Report) (pipeline.Topic, bool) {
	for _, t := range rep.Topics {
		if t.Selector.Kind == datasets.SelectTotal && len(t.Areas) > 0 {
			return t, true
		}
	}
	for _, t := range rep.Topics {
		if len(t.Areas) > 0 {
			return t, true
		}
	}
	return pipeline.Topic{}, false
}

// sourcesOf lists the source families of the figures given, in the
// report's quote order.
func sourcesOf(rep *pipeline.Report, fs ...pipeline.Figure) []string {
	has := map[string]bool{}
	for _, f := range fs {
		if f.Present {
			has[f.Source] = true
		}
	}
	var out []string
	for _, s := range rep.Sources {
		if has[s.Source] {
			out = append(out, s.Source)
			delete(has, s.Source)
		}
	}
	rest := make([]string, 0, len(has))
	for s := range has {
		rest = append(rest, s)
	}
	sort.Strings(rest)
	return append(out, rest...)
}
