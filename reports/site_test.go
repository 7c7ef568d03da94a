package reports

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

func siteOptions() Options {
	o := fixtureOptions()
	o.Outputs = []OutputLink{
		{Name: "workbook.xlsx", Description: "the Excel workbook"},
		{Name: "trends.csv", Description: "every trend row"},
		{Name: "manifest.json", Description: "what this run read and wrote"},
	}
	o.Vintages = []VintageSummary{{ID: "20181102T093000Z", IngestedAt: time.Date(2018, 11, 2, 9, 30, 0, 0, time.UTC), Inputs: 2}}
	return o
}

func renderSite(t *testing.T, v View) []Page {
	t.Helper()
	pages, err := Site(v)
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func pageNamed(t *testing.T, pages []Page, name string) Page {
	t.Helper()
	for _, p := range pages {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no page %s", name)
	return Page{}
}

func TestSiteGolden(t *testing.T) {
	stubEcharts(t)
	v := BuildView(fixtureTrends(), siteOptions())
	pages := renderSite(t, v)

	var names []string
	for _, p := range pages {
		names = append(names, p.Name)
	}
	wantNames := []string{"dashboard.html", "force-wiltshire-police.html", "offence-homeoffice_stalking_and_harassment.html",
		"offence-policeuk_violence_and_sexual_offences.html", "overview.html"}
	if !reflect.DeepEqual(names, wantNames) {
		t.Fatalf("pages %q, want %q", names, wantNames)
	}
	checkGolden(t, "site-force.html.golden", pageNamed(t, pages, "force-wiltshire-police.html").HTML)
	checkGolden(t, "site-offence.html.golden", pageNamed(t, pages, "offence-homeoffice_stalking_and_harassment.html").HTML)
	checkGolden(t, "site-overview.html.golden", pageNamed(t, pages, "overview.html").HTML)

	// Deterministic: the same view, and a rebuilt one, give the same bytes.
	for i, again := range [][]Page{renderSite(t, v), renderSite(t, BuildView(fixtureTrends(), siteOptions()))} {
		if !reflect.DeepEqual(pages, again) {
			t.Errorf("render %d differs from the first", i+2)
		}
	}

	titles := map[string]string{
		"dashboard.html":                                  v.Title,
		"force-wiltshire-police.html":                     "Wiltshire Police: offences recorded by the police",
		"offence-homeoffice_stalking_and_harassment.html": "Stalking and harassment: every force, 12 months to September 2018",
		"overview.html":                                   "England and Wales overview",
	}
	for name, want := range titles {
		if got := pageNamed(t, pages, name).Title; got != want {
			t.Errorf("%s: title %q, want %q", name, got, want)
		}
	}
}

// Every page has the skip link first, the navigation with the current page
// marked, main, the shortcuts, the print stylesheet and the provenance.
func TestSitePageFrame(t *testing.T) {
	stubEcharts(t)
	pages := renderSite(t, BuildView(fixtureTrends(), siteOptions()))
	focusable := regexp.MustCompile(`<a\b|<button\b|<input\b|<select\b|<textarea\b|tabindex="0"`)
	for _, p := range pages {
		html := string(p.HTML)
		body := html[strings.Index(html, "<body"):]
		if loc := focusable.FindStringIndex(body); loc == nil || !strings.HasPrefix(body[loc[0]:], `<a class="skip-link" href="#main">Skip to main content</a>`) {
			t.Errorf("%s: the first focusable element is not the skip link", p.Name)
		}
		if n := strings.Count(html, `" aria-current="page">`); n != 1 {
			t.Errorf("%s: %d links marked current, want 1", p.Name, n)
		}
		if !strings.Contains(html, `<li><a href="`+p.Name+`" aria-current="page">`+navText(p)) {
			t.Errorf("%s: its own navigation link is not marked current", p.Name)
		}
		for _, want := range []string{
			`<nav aria-label="Report pages">`,
			`<main id="main" tabindex="-1">`,
			`<kbd>n</kbd> and <kbd>p</kbd> jump to the next and previous section heading`,
			`@page { size: A4 portrait;`,
			`nav, .skip-link, .keys { display: none !important; }`,
			`window.addEventListener("beforeprint"`,
			`:focus-visible {`,
			`<p class="report-title">Offences recorded by the police: rolling 12-month trends for Wiltshire Police</p>`,
			`<p class="status">Home Office police recorded crime open data: Official statistics (not accredited).</p>`,
			"<h2>Provenance</h2>",
			"<p>Produced by crimetrends v0.0.0-test.</p>",
			`<tr><td>prc-pfa-mar2013-onwards-tables.ods</td><td>homeoffice</td><td class="num">123,456</td><td><code>` + strings.Repeat("ab", 32) + `</code></td></tr>`,
			`<tr><td>20181102T093000Z</td><td>2018-11-02T09:30:00Z</td><td class="num">2</td></tr>`,
			`<p class="banner" role="note">SYNTHETIC DATA — not real police figures</p>`,
		} {
			if !strings.Contains(html, want) {
				t.Errorf("%s lacks %q", p.Name, want)
			}
		}
		for _, bad := range []string{"Generated at", `src="http`, `href="http`, "__f__", "&#43;"} {
			if strings.Contains(html, bad) {
				t.Errorf("%s contains %q", p.Name, bad)
			}
		}
		// Only pages with charts carry echarts, and every chart is drawn once.
		charts := strings.Count(html, "echarts.init(")
		if got, want := strings.Contains(html, "/*echarts stub*/"), charts > 0; got != want {
			t.Errorf("%s: inlines echarts %v with %d charts", p.Name, got, charts)
		}
		if n := strings.Count(html, `class="item"`); n != charts {
			t.Errorf("%s: %d chart containers, %d echarts.init", p.Name, n, charts)
		}
	}
}

// navText is the start of a page's navigation link text.
func navText(p Page) string {
	switch {
	case p.Name == "dashboard.html":
		return "Index</a>"
	case p.Name == "overview.html":
		return "England and Wales overview</a>"
	case strings.HasPrefix(p.Name, "force-"):
		return "Wiltshire Police</a>"
	case strings.Contains(p.Name, "homeoffice"):
		return `Stalking and harassment<span class="visually-hidden"> (Home Office)</span></a>`
	}
	return `Violence and sexual offences<span class="visually-hidden"> (data.police.uk)</span></a>`
}

func TestSiteIndex(t *testing.T) {
	stubEcharts(t)
	v := BuildView(fixtureTrends(), siteOptions())
	v.GeneratedAt = time.Date(2018, 11, 2, 9, 30, 0, 0, time.UTC)
	html := string(renderSite(t, v)[0].HTML)
	// The pages in order: forces, offences, overview; then the files.
	order := []string{
		`<li><a href="force-wiltshire-police.html">Wiltshire Police</a>: every offence in this report for Wiltshire Police, against England and Wales</li>`,
		`<li><a href="offence-homeoffice_stalking_and_harassment.html">Stalking and harassment (Home Office)</a>: every force, 12 months to September 2018</li>`,
		`<li><a href="offence-policeuk_violence_and_sexual_offences.html">Violence and sexual offences (data.police.uk)</a>`,
		`<li><a href="overview.html">England and Wales overview</a>: the national headline`,
		`<li><a class="file" href="workbook.xlsx">workbook.xlsx</a>: the Excel workbook</li>`,
		`<li><a class="file" href="trends.csv">trends.csv</a>: every trend row</li>`,
		`<li><a class="file" href="manifest.json">manifest.json</a>: what this run read and wrote</li>`,
		"Offences of stalking and harassment recorded by Wiltshire Police rose by 14.6% in the 12 months to September 2018, against 41.3% in England and Wales.",
		"Violence and sexual offences recorded by Wiltshire Police rose by 20.0%",
		"Generated at 2018-11-02T09:30:00Z.",
	}
	at := 0
	for _, want := range order {
		i := strings.Index(html[at:], want)
		if i < 0 {
			t.Fatalf("index lacks %q after byte %d", want, at)
		}
		at += i + len(want)
	}
	if !strings.Contains(html, `body.index main a[href]:not([href^="#"]):not(.file)::after { content: " (" attr(href) ")";`) {
		t.Error("the index does not print link addresses")
	}
	if !strings.Contains(html, `<body class="index">`) {
		t.Error("the index body lacks its class")
	}
}

func TestSiteNoForces(t *testing.T) {
	stubEcharts(t)
	opts := siteOptions()
	opts.Forces = nil
	opts.Synthetic = false
	v := BuildView(fixtureTrends(), opts)
	pages := renderSite(t, v)
	for _, p := range pages {
		if strings.Contains(string(p.HTML), "SYNTHETIC") {
			t.Errorf("%s: a report on real data mentions SYNTHETIC", p.Name)
		}
		if strings.HasPrefix(p.Name, "force-") {
			t.Errorf("force page %s with no force chosen", p.Name)
		}
		if strings.Contains(string(p.HTML), "★ chosen") {
			t.Errorf("%s marks a force chosen with none chosen", p.Name)
		}
	}
	index := string(pages[0].HTML)
	if !strings.Contains(index, "Offences of stalking and harassment recorded by the police in England and Wales rose by 41.3% in the 12 months to September 2018.") {
		t.Error("index lacks the national headline")
	}
}

// The overview's national headline, worded when forces are chosen, is the
// one BuildView gives when none is.
func TestNationalHeadlinesMatchBuildView(t *testing.T) {
	with := BuildView(fixtureTrends(), siteOptions())
	opts := siteOptions()
	opts.Forces = nil
	without := BuildView(fixtureTrends(), opts)
	if len(with.Sections) != len(without.Sections) {
		t.Fatalf("%d sections with a force, %d without", len(with.Sections), len(without.Sections))
	}
	for i, s := range with.Sections {
		got := s.NationalHeadlines
		want := without.Sections[i].Headlines
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %q, want %q", s.ID, got, want)
		}
	}
}

// Every link of every page leads to a page Site returns, a file of
// v.Outputs or an element of the same page.
func TestSiteLinks(t *testing.T) {
	stubEcharts(t)
	for _, forces := range [][]string{nil, {codeWilts}, {codeWilts, codeGwent, codeDyfed}} {
		opts := siteOptions()
		opts.Forces = forces
		pages := renderSite(t, BuildView(fixtureTrends(), opts))
		targets := map[string]bool{}
		for _, p := range pages {
			targets[p.Name] = true
		}
		for _, o := range opts.Outputs {
			targets[o.Name] = true
		}
		if want := 1 + 1 + len(forces) + 2; len(pages) != want {
			t.Errorf("forces %v: %d pages, want %d", forces, len(pages), want)
		}
		href := regexp.MustCompile(`href="([^"]*)"`)
		id := regexp.MustCompile(`\bid="([^"]*)"`)
		for _, p := range pages {
			ids := map[string]bool{}
			for _, m := range id.FindAllStringSubmatch(string(p.HTML), -1) {
				if ids[m[1]] {
					t.Errorf("forces %v: %s: id %q twice", forces, p.Name, m[1])
				}
				ids[m[1]] = true
			}
			links := href.FindAllStringSubmatch(string(p.HTML), -1)
			linked := map[string]bool{}
			for _, m := range links {
				l := m[1]
				switch {
				case strings.HasPrefix(l, "#"):
					if !ids[l[1:]] {
						t.Errorf("forces %v: %s: link %q to no element", forces, p.Name, l)
					}
				case !targets[l]:
					t.Errorf("forces %v: %s: link %q to nothing Site writes", forces, p.Name, l)
				}
				linked[l] = true
			}
			for _, q := range pages {
				if !linked[q.Name] {
					t.Errorf("forces %v: %s does not link to %s", forces, p.Name, q.Name)
				}
			}
		}
	}
}

func TestSiteEmpty(t *testing.T) {
	stubEcharts(t)
	pages := renderSite(t, BuildView(nil, Options{}))
	if len(pages) != 2 || pages[0].Name != "dashboard.html" || pages[1].Name != "overview.html" {
		t.Fatalf("got %d pages, want the index and the overview", len(pages))
	}
	for _, p := range pages {
		html := string(p.HTML)
		if !strings.Contains(html, "<p>There are no figures to show.</p>") || strings.Contains(html, "echarts") && strings.Contains(html, "/*echarts stub*/") {
			t.Errorf("%s: no 'no figures' line, or echarts inlined without a chart", p.Name)
		}
	}
}

func TestForceSection(t *testing.T) {
	opts := siteOptions()
	opts.Forces = []string{codeWilts, codeGwent}
	v := BuildView(fixtureTrends(), opts)
	s := v.Sections[0] // Home Office stalking and harassment
	if s.ID != "homeoffice_stalking_and_harassment" {
		t.Fatalf("first section %s", s.ID)
	}
	cmp := func(code string) datasets.Comparison {
		return datasets.Comparison{Force: datasets.Comparator{AreaCode: code, Label: code}}
	}
	s.Comparisons = []datasets.Comparison{cmp(codeWilts), cmp(codeGwent)}
	s.Monthly = []MonthlySeries{{AreaCode: codeWilts}, {AreaCode: codeGwent}, {AreaCode: datasets.CodeEnglandWales}}
	s.Reconciliations = []datasets.Reconciliation{{AreaCode: codeGwent}, {AreaCode: codeWilts}}
	s.Events = []datasets.Event{{Label: "all"}, {Label: "gwent", AreaCode: codeGwent}, {Label: "wilts", AreaCode: codeWilts}}

	got, ok := forceSection(s, codeGwent)
	if !ok {
		t.Fatal("Gwent not found")
	}
	var series []string
	for _, sr := range got.Series {
		series = append(series, sr.AreaCode)
	}
	if want := []string{codeGwent, datasets.CodeEnglandWales}; !reflect.DeepEqual(series, want) {
		t.Errorf("series %q, want %q", series, want)
	}
	var chosen []string
	for _, r := range got.Ranking {
		if r.Chosen {
			chosen = append(chosen, r.AreaCode)
		}
	}
	if len(got.Ranking) != 4 || !reflect.DeepEqual(chosen, []string{codeGwent}) {
		t.Errorf("ranking of %d with %q chosen, want 4 with Gwent only", len(got.Ranking), chosen)
	}
	if s.Ranking[0].AreaCode != codeWilts || !s.Ranking[0].Chosen {
		t.Error("forceSection changed the section's own ranking")
	}
	wantHead := []string{
		"SYNTHETIC DATA: Offences of stalking and harassment recorded by Gwent Police fell by 3.0% in the 12 months to September 2018, against a rise of 41.3% in England and Wales.",
		s.Headlines[2], // the rises headline, about every force
	}
	if len(got.Headlines) != 2 || !strings.HasPrefix(got.Headlines[0], wantHead[0]) || got.Headlines[1] != wantHead[1] {
		t.Errorf("headlines %q, want %q (and caveats)", got.Headlines, wantHead)
	}
	if len(got.Comparisons) != 1 || got.Comparisons[0].Force.AreaCode != codeGwent {
		t.Errorf("comparisons %+v, want Gwent's", got.Comparisons)
	}
	if len(got.Monthly) != 2 || got.Monthly[0].AreaCode != codeGwent || got.Monthly[1].AreaCode != datasets.CodeEnglandWales {
		t.Errorf("monthly %+v, want Gwent and England and Wales", got.Monthly)
	}
	if len(got.Reconciliations) != 1 || got.Reconciliations[0].AreaCode != codeGwent {
		t.Errorf("reconciliations %+v, want Gwent's", got.Reconciliations)
	}
	if len(got.Events) != 2 || got.Events[0].Label != "all" || got.Events[1].Label != "gwent" {
		t.Errorf("events %+v, want all and gwent", got.Events)
	}
	for _, n := range got.Notes {
		if strings.Contains(n, "Wiltshire") {
			t.Errorf("Gwent's notes mention Wiltshire: %q", n)
		}
	}
	if _, ok := forceSection(s, codeDyfed); ok {
		t.Error("a section without Dyfed-Powys in focus gave a Dyfed-Powys section")
	}
}

func TestSlugs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Avon and Somerset", "avon-and-somerset"},
		{"Dyfed-Powys Police", "dyfed-powys-police"},
		{"  City of London  ", "city-of-london"},
		{"<script>alert(1)</script>", "script-alert-1-script"},
		{"Gwasanaeth Heddlu Dyfed-Powys ‘Ŵ’", "gwasanaeth-heddlu-dyfed-powys"},
		{"=cmd|' /C calc'!A0", "cmd-c-calc-a0"},
		{"★", "force"},
		{"", "force"},
	} {
		if got := slugify(c.in); got != c.want {
			t.Errorf("slugify(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	used := map[string]bool{}
	var got []string
	for _, s := range []string{"a", "a", "a-2", "a"} {
		got = append(got, uniqueSlug(s, used))
	}
	if want := []string{"a", "a-2", "a-2-2", "a-3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("unique slugs %q, want %q", got, want)
	}
	// Known forces take their slug from the ONS name.
	ts := []datasets.Trend{
		trend(datasets.SourceHomeOffice, sh, "E23000036", "Avon and Somerset Constabulary", "2018-09", 100, 90, ""),
		trend(datasets.SourceHomeOffice, sh, datasets.CodeEnglandWales, "England and Wales", "2018-09", 1000, 900, ""),
	}
	fs := chosenForces(BuildView(ts, Options{Forces: []string{"E23000036"}}))
	if len(fs) != 1 || fs[0].Page != "force-avon-and-somerset.html" {
		t.Errorf("forces %+v, want force-avon-and-somerset.html", fs)
	}
}

// Every text from an input is escaped; chart options carry it as JSON
// escapes; slugs are plain ASCII.
func TestSiteEscapesHostileNames(t *testing.T) {
	stubEcharts(t)
	evil := `</script><script>alert(1)</script>`
	offence := `=cmd|' /C calc'!A0 <b>Bold & __f__</b>`
	ts := []datasets.Trend{
		trend(datasets.SourceHomeOffice, offence, codeWilts, evil, "2018-09", 100, 90, `<img src=x onerror=alert(2)>`),
		trend(datasets.SourceHomeOffice, offence, datasets.CodeEnglandWales, "England and Wales", "2018-09", 1000, 900, ""),
	}
	opts := Options{
		Forces:   []string{codeWilts},
		Inputs:   []InputSummary{{Name: `<script>alert(3)</script>.csv`, Source: `"><svg onload=alert(4)>`}},
		Outputs:  []OutputLink{{Name: `javascript:alert(5)`, Description: `<i>x</i>`}},
		Vintages: []VintageSummary{{ID: `<script>alert(6)</script>`}},
		Version:  `<script>alert(7)</script>`,
	}
	pages := renderSite(t, BuildView(ts, opts))
	if pages[1].Name != "force-script-script-alert-1-script.html" {
		t.Errorf("force page %q", pages[1].Name)
	}
	for _, p := range pages {
		html := string(p.HTML)
		for _, bad := range []string{"<script>alert", "<img src=x", "<b>Bold", "<svg", "<i>x", `href="javascript:`} {
			if strings.Contains(html, bad) {
				t.Errorf("%s: unescaped input %q", p.Name, bad)
			}
		}
		if strings.Count(html, "<script") != strings.Count(html, "</script>") {
			t.Errorf("%s: unbalanced script tags", p.Name)
		}
		if !strings.Contains(html, "=cmd|&#39; /C calc&#39;!A0 &lt;b&gt;Bold &amp; __f__&lt;/b&gt;") {
			t.Errorf("%s: the offence name is not written as escaped text", p.Name)
		}
		if strings.Contains(html, "echarts.init(") && !strings.Contains(html, `\u003c/script\u003e\u003cscript\u003ealert(1)`) {
			t.Errorf("%s: chart option does not carry the escaped name", p.Name)
		}
	}
}

// One template draws every chart block: heading, container labelled by
// the note, setup before init, the note and the table.
func TestBlockTemplate(t *testing.T) {
	b := chartBlock{
		ID:      "demo_1",
		Heading: "A <chart>",
		Element: `<div class="container"><div class="item" id="demo_1"></div></div>`,
		Option:  `{"a":1}`,
		Setup:   `echarts.registerMap("x", {});`,
		Note:    `Note "quoted" <b>`,
		Table: blockTable{
			Caption: "Cap",
			Header:  []string{"Force", "Count"},
			Rows: [][]blockCell{
				{{Text: "Chosen & co", Strong: true}, {Text: "+1,000", Num: true, Strong: true}},
				{{Text: "Other"}, {Text: "-5", Num: true}},
				{{Text: "Half", Strong: true}, {Text: "7", Num: true}},
			},
		},
	}
	var buf bytes.Buffer
	if err := siteTemplate.ExecuteTemplate(&buf, "block", b); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	order := []string{
		`<div class="chart-block">`,
		"<h3>A &lt;chart&gt;</h3>",
		`<div class="item" id="demo_1"></div>`,
		`var el = document.getElementById("demo_1");`,
		`el.setAttribute("role", "img");`,
		`el.setAttribute("aria-label", "Note \"quoted\" \u003cb\u003e");`,
		`el.setAttribute("tabindex", "0");`,
		`echarts.registerMap("x", {});`,
		`var chart = echarts.init(el, null, {renderer: "canvas"});`,
		`chart.setOption({"a":1});`,
		`window.crimetrendsCharts.push(chart);`,
		`window.addEventListener("resize", function () { chart.resize(); });`,
		`<p class="chart-note">Note &#34;quoted&#34; &lt;b&gt;</p>`,
		`<div class="table-wrap" tabindex="0" role="region" aria-label="Table: Cap">`,
		"<caption>Cap</caption>",
		`<thead><tr><th scope="col">Force</th><th scope="col">Count</th></tr></thead>`,
		`<tr class="chosen"><td class="strong">Chosen &amp; co</td><td class="num strong">+1,000</td></tr>`,
		`<tr><td>Other</td><td class="num">-5</td></tr>`,
		`<tr><td class="strong">Half</td><td class="num">7</td></tr>`,
	}
	at := 0
	for _, want := range order {
		i := strings.Index(html[at:], want)
		if i < 0 {
			t.Fatalf("block lacks %q after byte %d:\n%s", want, at, html)
		}
		at += i + len(want)
	}

	// Without setup or table: neither is written.
	b.Setup, b.Table = "", blockTable{}
	buf.Reset()
	if err := siteTemplate.ExecuteTemplate(&buf, "block", b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "registerMap") || strings.Contains(buf.String(), "<table") {
		t.Errorf("empty setup or table written:\n%s", buf.String())
	}
}

func TestCheckBlocks(t *testing.T) {
	ok := chartBlock{ID: "a", Element: `<div class="item" id="a" style="width:100%"></div>`}
	for _, c := range []struct {
		name   string
		blocks []chartBlock
		want   string
	}{
		{"fine", []chartBlock{ok}, ""},
		{"twice", []chartBlock{ok, ok}, `chart id "a" used twice`},
		{"script", []chartBlock{{ID: "b", Element: `<script src="https://cdn/x.js"></script>`}}, "cannot load"},
		{"image", []chartBlock{{ID: "c", Element: `<div style="background:url(x.png)"></div>`}}, "cannot load"},
	} {
		err := checkBlocks(sitePage{Blocks: c.blocks})
		if got := fmt.Sprint(err); (c.want == "") != (err == nil) || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

func TestSiteMissingEcharts(t *testing.T) {
	old := EchartsJS
	t.Cleanup(func() { EchartsJS = old })
	EchartsJS = func() ([]byte, error) { return nil, nil }
	pages, err := Site(BuildView(fixtureTrends(), fixtureOptions()))
	if !errors.Is(err, ErrEchartsMissing) || pages != nil {
		t.Errorf("got %d pages and %v, want ErrEchartsMissing", len(pages), err)
	}
}
