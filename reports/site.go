package reports

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

// Page is one HTML file of a report.
type Page struct {
	Name  string // file name, e.g. "dashboard.html"
	Title string // the page's own title, without the report's
	HTML  []byte
}

// OutputLink is a file a run writes besides the pages, listed and linked
// on the index page.
type OutputLink struct {
	Name        string // file name relative to the pages, e.g. "workbook.xlsx"
	Description string // one line saying what it holds
}

// VintageSummary describes one dataset vintage for the provenance footer.
type VintageSummary struct {
	ID         string
	IngestedAt time.Time
	Inputs     int // how many input files it holds
}

// Page file names that do not depend on the data.
const (
	IndexPage    = "dashboard.html"
	OverviewPage = "overview.html"
)

// Site renders every page of v: the index (dashboard.html, first), the
// national overview (overview.html), one page per chosen force
// (force-<slug>.html, every section filtered to that force) and one per
// section (offence-<section ID>.html, the national picture with every
// force). Every page is self-contained (pages with charts inline echarts),
// carries the same header, navigation and provenance footer, and links
// only to pages Site returns and to v.Outputs. The output depends on v
// alone.
func Site(v View) ([]Page, error) {
	var pages []Page
	err := SiteEach(v, func(p Page) error {
		pages = append(pages, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return pages, nil
}

// SiteEach renders the pages Site returns, in the same order, handing
// each to emit as soon as it is made, so that a caller writing them to
// disk holds one page in memory at a time (a report for every force has
// some seventy pages of a megabyte or more). It stops at emit's first
// error and returns it.
func SiteEach(v View, emit func(Page) error) error {
	js, err := EchartsJS()
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	if len(js) == 0 {
		return fmt.Errorf("site: %w", ErrEchartsMissing)
	}
	base := siteBase{
		View:    v,
		Echarts: template.JS(safeScript(string(js))),
		Sources: sourceStatuses(v),
	}

	// The pages, in the order the index lists them: forces, offences,
	// overview. The index comes first in the result.
	forces := chosenForces(v)
	type plan struct {
		page    sitePage
		force   *forceRef
		section *Section
	}
	var plans []plan
	for i := range forces {
		f := &forces[i]
		plans = append(plans, plan{force: f, page: sitePage{
			Kind: "force", Name: f.Page, Title: f.Name + ": offences recorded by the police",
			Label:       f.Name,
			Description: fmt.Sprintf("every offence in this report for %s, against England and Wales", f.Name),
		}})
	}
	for i := range v.Sections {
		s := &v.Sections[i]
		plans = append(plans, plan{section: s, page: sitePage{
			Kind: "offence", Name: offencePage(*s),
			Title:       fmt.Sprintf("%s: every force, %s", s.Offence, windowTitle(*s)),
			Label:       offenceLabel(*s),
			Description: "every force, " + lowerFirstWord(windowTitle(*s)),
		}})
	}
	plans = append(plans, plan{page: sitePage{
		Kind: "overview", Name: OverviewPage, Title: "England and Wales overview",
		Label:       "England and Wales overview",
		Description: "the national headline of every offence, with the national charts",
	}})
	index := sitePage{Kind: "index", Name: IndexPage, Title: v.Title, Label: "Index"}

	// The navigation: index and overview, the forces, then the offences
	// of each source.
	nav := []navGroup{{Links: []navLink{{Href: index.Name, Text: index.Label}, {Href: OverviewPage, Text: "England and Wales overview"}}}}
	for _, p := range plans {
		var label string
		link := navLink{Href: p.page.Name, Text: p.page.Label}
		switch {
		case p.force != nil:
			label = "Forces"
		case p.section != nil:
			// The group names the source; screen readers, which may list
			// links out of their group, hear it after the offence too.
			label = "Offences, " + sourceShort(p.section.Source)
			link.Text, link.Hidden = p.section.Offence, " ("+sourceShort(p.section.Source)+")"
		default:
			continue
		}
		if last := &nav[len(nav)-1]; last.Label == label {
			last.Links = append(last.Links, link)
		} else {
			nav = append(nav, navGroup{Label: label, Links: []navLink{link}})
		}
	}

	render := func(p sitePage) error {
		p.siteBase = base
		p.Nav = make([]navGroup, len(nav))
		for i, g := range nav {
			g.Links = append([]navLink(nil), g.Links...)
			for j := range g.Links {
				g.Links[j].Current = g.Links[j].Href == p.Name
			}
			p.Nav[i] = g
		}
		if err := checkBlocks(p); err != nil {
			return fmt.Errorf("site: %s: %w", p.Name, err)
		}
		var buf bytes.Buffer
		if err := siteTemplate.ExecuteTemplate(&buf, "page", p); err != nil {
			return fmt.Errorf("site: render %s: %w", p.Name, err)
		}
		return emit(Page{Name: p.Name, Title: p.Title, HTML: buf.Bytes()})
	}

	// Index.
	for _, p := range plans {
		index.Links = append(index.Links, pageLink{Href: p.page.Name, Text: p.page.Label, Description: p.page.Description})
	}
	for _, s := range v.Sections {
		index.Sections = append(index.Sections, pageSection{Section: s, Heading: sectionHeading(s), Headlines: s.Headlines})
	}
	index.Outputs = v.Outputs
	if err := render(index); err != nil {
		return err
	}

	for _, p := range plans {
		switch p.page.Kind {
		case "force":
			for _, s := range v.Sections {
				fs, ok := forceSection(s, p.force.Code)
				if !ok {
					continue
				}
				p.page.Sections = append(p.page.Sections, pageSection{Section: fs, Heading: sectionHeading(fs), Headlines: fs.Headlines,
					Blocks: sectionBlocks(v, fs), Notes: fs.Notes})
			}
		case "offence":
			s := *p.section
			p.page.Sections = []pageSection{{Section: s, Heading: sectionHeading(s), Headlines: s.NationalHeadlines,
				Blocks: offenceBlocks(v, s), Notes: s.Notes}}
		case "overview":
			for _, s := range v.Sections {
				p.page.Sections = append(p.page.Sections, pageSection{Section: s, Heading: sectionHeading(s), Headlines: s.NationalHeadlines})
			}
			p.page.Blocks = overviewBlocks(v)
		}
		if err := render(p.page); err != nil {
			return err
		}
	}
	return nil
}

// siteBase is what every page shares.
type siteBase struct {
	View    View
	Echarts template.JS
	Sources []string
}

// sitePage is one page as the template sees it.
type sitePage struct {
	siteBase
	Kind        string // "index", "overview", "force" or "offence"
	Name        string
	Title       string
	Label       string // the page's name in the navigation and the index
	Description string // what the index says the page holds
	Nav         []navGroup
	Links       []pageLink   // index: every other page
	Outputs     []OutputLink // index: the run's other files
	Sections    []pageSection
	Blocks      []chartBlock // overview: the national charts
}

// navGroup is one line of the navigation: a label ("Forces") and its links.
type navGroup struct {
	Label string
	Links []navLink
}

type navLink struct {
	Href, Text string
	Hidden     string // said after Text by screen readers, not shown
	Current    bool
}

type pageLink struct {
	Href, Text, Description string
}

// pageSection is one section as a page shows it.
type pageSection struct {
	Section
	Heading   string
	Headlines []string
	Blocks    []chartBlock
	Notes     []string
}

// HasCharts reports whether the page draws any chart (and so needs echarts).
func (p sitePage) HasCharts() bool {
	if len(p.Blocks) > 0 {
		return true
	}
	for _, s := range p.Sections {
		if len(s.Blocks) > 0 {
			return true
		}
	}
	return false
}

// checkBlocks refuses chart blocks whose container would load anything:
// a page must work with the network off.
func checkBlocks(p sitePage) error {
	all := append([]chartBlock(nil), p.Blocks...)
	for _, s := range p.Sections {
		all = append(all, s.Blocks...)
	}
	ids := map[string]bool{}
	for _, b := range all {
		if ids[b.ID] {
			return fmt.Errorf("chart id %q used twice", b.ID)
		}
		ids[b.ID] = true
		el := strings.ToLower(string(b.Element))
		for _, bad := range []string{"<script", "<link", "src=", "href=", "url("} {
			if strings.Contains(el, bad) {
				return fmt.Errorf("chart %q: its container holds %q, which a self-contained page cannot load", b.ID, bad)
			}
		}
	}
	return nil
}

// forceRef is a chosen force and its page.
type forceRef struct {
	Code, Name, Page string
}

// chosenForces are the forces of the sections' focus series, in the order
// BuildView gives them (the Options order), each with a unique page name.
func chosenForces(v View) []forceRef {
	var out []forceRef
	seen := map[string]bool{}
	used := map[string]bool{}
	for _, s := range v.Sections {
		for _, sr := range s.Series {
			if sr.National || seen[sr.AreaCode] {
				continue
			}
			seen[sr.AreaCode] = true
			name := sr.AreaName
			if name == "" {
				name = sr.AreaCode
			}
			slugFrom := name
			if a, ok := datasets.AreaByCode(sr.AreaCode); ok && a.Name != "" {
				slugFrom = a.Name
			}
			slug := uniqueSlug(slugify(slugFrom), used)
			out = append(out, forceRef{Code: sr.AreaCode, Name: name, Page: "force-" + slug + ".html"})
		}
	}
	return out
}

// slugify lower-cases the ASCII letters and digits of s and joins the runs
// between them with "-": "Avon and Somerset" -> "avon-and-somerset".
// Anything else (accents included) separates words; "force" when nothing
// is left.
func slugify(s string) string {
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
	if b.Len() == 0 {
		return "force"
	}
	return b.String()
}

func uniqueSlug(slug string, used map[string]bool) string {
	out := slug
	for n := 2; used[out]; n++ {
		out = fmt.Sprintf("%s-%d", slug, n)
	}
	used[out] = true
	return out
}

func offencePage(s Section) string { return "offence-" + s.ID + ".html" }

func windowTitle(s Section) string {
	if s.WindowTitle != "" {
		return s.WindowTitle
	}
	return sectionWindowTitle(s)
}

// lowerFirstWord lower-cases a title's first letter when its first word is
// an ordinary word ("Financial year ..."), not a number.
func lowerFirstWord(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func sectionHeading(s Section) string { return s.Offence + ": " + windowTitle(s) }

// offenceLabel names a section's page: the offence and its source, as
// the same offence label can come from two sources.
func offenceLabel(s Section) string { return s.Offence + " (" + sourceShort(s.Source) + ")" }

func sourceShort(source string) string {
	switch source {
	case datasets.SourceHomeOffice:
		return "Home Office"
	case datasets.SourcePoliceUK:
		return "data.police.uk"
	}
	return source
}

// forceSection is s as force code's page shows it: the force and England
// and Wales only, the ranking with only that force chosen, and the
// force's headline, comparisons, monthly series, events and
// reconciliations. ok is false when s does not hold the force.
func forceSection(s Section, code string) (Section, bool) {
	out := s
	pos, forces := -1, 0
	out.Series = nil
	for _, sr := range s.Series {
		if !sr.National {
			if sr.AreaCode == code {
				pos = forces
			}
			forces++
		}
		if sr.National || sr.AreaCode == code {
			out.Series = append(out.Series, sr)
		}
	}
	if pos < 0 {
		return Section{}, false
	}
	// BuildView gives one headline per chosen force, in the order of the
	// focus series, then the headlines about the whole section.
	out.Headlines = nil
	if len(s.Headlines) >= forces {
		out.Headlines = append([]string{s.Headlines[pos]}, s.Headlines[forces:]...)
	}
	out.Ranking = make([]RankRow, len(s.Ranking))
	for i, r := range s.Ranking {
		r.Chosen = r.AreaCode == code
		out.Ranking[i] = r
	}
	out.Peers = nil
	for _, sr := range s.Peers {
		if sr.For == code {
			out.Peers = append(out.Peers, sr)
		}
	}
	out.Monthly = nil
	for _, ms := range s.Monthly {
		if ms.AreaCode == code || ms.AreaCode == datasets.CodeEnglandWales {
			out.Monthly = append(out.Monthly, ms)
		}
	}
	out.Comparisons = nil
	for _, c := range s.Comparisons {
		if c.Force.AreaCode == code {
			out.Comparisons = append(out.Comparisons, c)
		}
	}
	out.Events = nil
	for _, e := range s.Events {
		if e.AreaCode == "" || e.AreaCode == code || e.AreaCode == datasets.CodeEnglandWales {
			out.Events = append(out.Events, e)
		}
	}
	out.Reconciliations = nil
	for _, r := range s.Reconciliations {
		if r.AreaCode == code {
			out.Reconciliations = append(out.Reconciliations, r)
		}
	}
	out.Notes = sectionNotes(out, nationalFigure(s))
	return out, true
}

// nationalFigure is England and Wales's figure at the section's period end.
func nationalFigure(s Section) Figure {
	for _, sr := range s.Series {
		if !sr.National {
			continue
		}
		for _, p := range sr.Points {
			if p.PeriodEnd == s.PeriodEnd {
				return p.Figure
			}
		}
	}
	return Figure{}
}

// cellText escapes a table cell as html/template would, but leaves "+"
// as it is (html/template writes "&#43;"), so that the source reads well.
func cellText(s string) template.HTML { return template.HTML(template.HTMLEscapeString(s)) }

func cellClass(c blockCell) string {
	switch {
	case c.Num && c.Strong:
		return "num strong"
	case c.Num:
		return "num"
	case c.Strong:
		return "strong"
	}
	return ""
}

// allStrong reports whether every cell of a row is Strong: a chosen row.
func allStrong(row []blockCell) bool {
	for _, c := range row {
		if !c.Strong {
			return false
		}
	}
	return len(row) > 0
}

var siteFuncs = template.FuncMap{
	"count":     formatCount,
	"utc":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"banner":    func() string { return SyntheticBanner },
	"cell":      cellText,
	"cellClass": cellClass,
	"allStrong": allStrong,
}

var siteTemplate = template.Must(template.New("site").Funcs(siteFuncs).Parse(siteHTML))
