package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/testutil"
	"github.com/crimetrends/crimetrends/pipeline"
)

// goldenPages are the pages kept as golden files: one of each kind for the
// synthetic report, the index of the national one, the short data's index
// and offence page, and the real seed question's index, force and offence
// pages.
var goldenPages = map[string][]string{
	"synthetic": {IndexPage, OverviewPage, "force-wiltshire.html", "offence-stalking-and-harassment.html", SourcesPage},
	"national":  {IndexPage},
	"short":     {IndexPage, "force-wiltshire.html", "offence-policeuk-burglary.html"},
	"real":      {IndexPage, "force-wiltshire.html", "offence-stalking-and-harassment.html"},
}

// Pages of each test report against their golden files (go test ./reports
// -run TestPagesGolden -update rewrites them; review with git diff). The
// echarts script is stubbed.
func TestPagesGolden(t *testing.T) {
	cases := pgCases(t)
	if _, err := os.Stat(testutil.RealDataDir(t, false)); err == nil {
		cases = append(cases, pgCase{"real", pgRealSeed(t), pgMeta(false)})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, byName := pgRender(t, c.rep, c.meta)
			var pages []Page
			for _, name := range goldenPages[c.name] {
				if byName[name] == nil {
					t.Fatalf("no page %s", name)
				}
				pages = append(pages, Page{Name: name, HTML: byName[name]})
			}
			dir := filepath.Join("testdata", "pages", c.name)
			if *testutil.Update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for _, p := range pages {
				path := filepath.Join(dir, p.Name)
				if *testutil.Update {
					if err := os.WriteFile(path, p.HTML, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("%s: %v (run go test ./reports -update)", p.Name, err)
					continue
				}
				if !bytes.Equal(p.HTML, want) {
					t.Errorf("%s differs from %s (run go test ./reports -update and review the diff):\n%s", p.Name, path, firstDiff(string(p.HTML), string(want)))
				}
			}
			if !*testutil.Update {
				files, _ := filepath.Glob(filepath.Join(dir, "*"))
				if len(files) != len(pages) {
					t.Errorf("%d golden files in %s, %d pages", len(files), dir, len(pages))
				}
			}
		})
	}
}

// firstDiff shows the first line where got and want part.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + clip(a) + "\nwant: " + clip(b)
		}
	}
	return "(same lines)"
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

var (
	hrefRe = regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	idRe   = regexp.MustCompile(`\sid="([^"]+)"`)
)

// Every link and script on every page points to a page Pages emitted, to
// one of the run's other files, or to an element of the page it names; no
// page links anywhere else.
func TestPagesLinksResolve(t *testing.T) {
	cases := pgCases(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, pages := pgRender(t, c.rep, c.meta)
			files := map[string]bool{}
			for _, o := range c.meta.Outputs {
				files[o.Name] = true
			}
			ids := map[string]map[string]bool{}
			for name, html := range pages {
				ids[name] = map[string]bool{}
				for _, m := range idRe.FindAllSubmatch(html, -1) {
					if ids[name][string(m[1])] {
						t.Errorf("%s: id %q used twice", name, m[1])
					}
					ids[name][string(m[1])] = true
				}
			}
			for name, html := range pages {
				if !strings.HasSuffix(name, ".html") {
					continue
				}
				for _, m := range hrefRe.FindAllSubmatch(html, -1) {
					link := string(m[1])
					file, frag, _ := strings.Cut(link, "#")
					switch {
					case strings.Contains(link, "://") || strings.HasPrefix(link, "/") || strings.Contains(link, ".."):
						t.Errorf("%s: %q leaves the report", name, link)
					case file == "" && frag != "":
						if !ids[name][frag] {
							t.Errorf("%s: %q: no such element", name, link)
						}
					case files[file]:
					case pages[file] == nil:
						t.Errorf("%s: %q: no such page", name, link)
					case frag != "" && !ids[file][frag]:
						t.Errorf("%s: %q: no element %q on %s", name, link, frag, file)
					}
				}
			}
		})
	}
}

// The same report gives the same bytes; the shared script is emitted once,
// last, and only pages with charts load it; with SingleFile no script file
// is written and each page with charts carries it.
func TestPagesScriptAndBytes(t *testing.T) {
	c := pgCases(t)[0]
	pages, first := pgRender(t, c.rep, c.meta)
	_, again := pgRender(t, c.rep, c.meta)
	for name, b := range first {
		if !bytes.Equal(b, again[name]) {
			t.Errorf("%s: two runs give different bytes", name)
		}
	}
	if last := pages[len(pages)-1]; last.Name != ScriptFile || string(last.HTML) != pgStubScript {
		t.Errorf("last page %s, want the shared %s", last.Name, ScriptFile)
	}
	for name, b := range first {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		charts := bytes.Contains(b, []byte(`class="chart-box`))
		loads := bytes.Contains(b, []byte(`<script src="echarts.min.js"></script>`))
		if charts != loads {
			t.Errorf("%s: draws charts %v, loads the script %v", name, charts, loads)
		}
		if bytes.Contains(b, []byte(pgStubScript)) {
			t.Errorf("%s: inlines the script without SingleFile", name)
		}
	}
	if bytes.Contains(first[SourcesPage], []byte("<script src")) || bytes.Contains(first[IndexPage], []byte("<script src")) {
		t.Error("the index or sources page loads echarts; neither draws a chart")
	}
	meta := c.meta
	meta.SingleFile = true
	single, byName := pgRender(t, c.rep, meta)
	if _, ok := byName[ScriptFile]; ok {
		t.Errorf("SingleFile wrote %s", ScriptFile)
	}
	for _, p := range single {
		charts := bytes.Contains(p.HTML, []byte(`class="chart-box`))
		if charts != bytes.Contains(p.HTML, []byte(pgStubScript)) || bytes.Contains(p.HTML, []byte(`<script src`)) {
			t.Errorf("SingleFile %s: charts %v, but the script is not inlined (or is loaded)", p.Name, charts)
		}
	}
}

// The force page of one offence stays light (the issue: under 300 KB
// without the shared script), and nothing of the machine is in any page.
func TestPagesWeightAndNoPaths(t *testing.T) {
	one := pgAnswer(t, pgSynthetic(), pipeline.Request{Forces: []string{pgWilts}, Offences: []datasets.Selector{pgSelector(t, "Stalking and harassment")}})
	_, light := pgRender(t, one, pgMeta(false))
	if n := len(light["force-wiltshire.html"]); n == 0 || n > 300_000 {
		t.Errorf("force page of one offence: %d bytes, want 1 to 300,000", n)
	}
	for _, c := range pgCases(t) {
		_, pages := pgRender(t, c.rep, c.meta)
		root := testutil.RepoRoot(t)
		for name, b := range pages {
			for _, bad := range []string{root, os.TempDir(), "/home/", `C:\`} {
				if bytes.Contains(b, []byte(bad)) {
					t.Errorf("%s/%s holds %q", c.name, name, bad)
				}
			}
		}
	}
}

// card returns the HTML of the card with the given id on a page.
func pgCard(t *testing.T, page []byte, id string) string {
	t.Helper()
	s := string(page)
	i := strings.Index(s, `<article class="card" id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no card %s", id)
	}
	j := strings.Index(s[i:], "</article>")
	return s[i : i+j]
}

// The seed question on the real ONS workbooks alone: the index opens on
// Wiltshire's 2,182 offences of stalking and harassment, up 14.6%, and
// Sussex's rise of 23.1%, each beside England and Wales's 41.3%, as the
// release for the year ending September 2018 printed them.
func TestPagesRealSeed(t *testing.T) {
	rep := pgRealSeed(t)
	_, pages := pgRender(t, rep, pgMeta(false))
	idx := pages[IndexPage]
	wilts, sussex := pgCard(t, idx, "card-1"), pgCard(t, idx, "card-2")
	for _, want := range []string{"Wiltshire: stalking and harassment", `<p class="big">2,182</p>`, "up 14.6% on a year earlier (1,904)",
		"England and Wales: up 41.3%", "Wiltshire rose 14.6%, the rest of England and Wales rose 41.5%: Wiltshire&#39;s rise was smaller",
		"12 months to September 2018.", "ONS PFA tables, year ending September 2018 (corrected)"} {
		if !strings.Contains(wilts, want) {
			t.Errorf("Wiltshire's card lacks %q:\n%s", want, wilts)
		}
	}
	for _, want := range []string{"Sussex: stalking and harassment", "up 23.1% on a year earlier", "England and Wales: up 41.3%"} {
		if !strings.Contains(sussex, want) {
			t.Errorf("Sussex's card lacks %q:\n%s", want, sussex)
		}
	}
	if i, j := bytes.Index(idx, []byte(`id="card-1"`)), bytes.Index(idx, []byte(`<table`)); i < 0 || j < i {
		t.Error("the first card does not come before the tables")
	}
	if !bytes.Contains(idx, []byte(`<td class="num up">+41.3%</td>`)) {
		t.Error("the index's table lacks England and Wales's +41.3%")
	}
	for name, b := range pages {
		if bytes.Contains(b, []byte("ons-pfa-")) {
			t.Errorf("%s shows a raw release id", name)
		}
	}
	off := string(pages["offence-stalking-and-harassment.html"])
	for _, want := range []string{`<tr class="chosen"><th scope="row">Wiltshire</th><td class="num" data-v="37">37 of 43</td><td class="num" data-v="2182">2,182</td>`,
		`<tr class="chosen"><th scope="row">Sussex</th>`, "All 43 forces recorded a rise"} {
		if !strings.Contains(off, want) {
			t.Errorf("the offence page lacks %q", want)
		}
	}
}

// A boundary file the user names is drawn instead of the tile map: only
// features holding a force code are kept, each named as ONS names the
// force, and only the chosen force is labelled; a file that cannot be used
// falls back to the tile map and says why.
func TestPagesBoundaries(t *testing.T) {
	square := func(code string, x float64) string {
		return `{"type":"Feature","properties":{"PFA23CD":"` + code + `","name":"ignored"},"geometry":{"type":"Polygon","coordinates":[[[` +
			strconv.FormatFloat(x, 'f', 1, 64) + `,50],[` + strconv.FormatFloat(x+1, 'f', 1, 64) + `,50],[` + strconv.FormatFloat(x+1, 'f', 1, 64) + `,51],[` + strconv.FormatFloat(x, 'f', 1, 64) + `,50]]]}}`
	}
	geo := `{"type":"FeatureCollection","features":[` + square(pgWilts, 0) + `,` + square(pgSussex, 2) + `,` + square("E23000034", 4) + `,` +
		`{"type":"Feature","properties":{"PFA23CD":"S00000001"},"geometry":null}]}`
	c := pgCases(t)[0]
	meta := c.meta
	meta.Boundaries = []byte(geo)
	_, pages := pgRender(t, c.rep, meta)
	off := string(pages["offence-stalking-and-harassment.html"])
	for _, want := range []string{`data-geo="pfa-map-stalking-and-harassment"`, `"name":"City of London"`, "matched to forces by its PFA23CD property", "Open Government Licence"} {
		if !strings.Contains(off, want) {
			t.Errorf("the offence page lacks %q", want)
		}
	}
	if strings.Contains(off, "S00000001") || strings.Contains(off, "ignored") {
		t.Error("the page keeps a feature or property that is not a force's")
	}
	meta.Boundaries = []byte(`{"type":"Topology"}`)
	_, pages = pgRender(t, c.rep, meta)
	if off := string(pages["offence-stalking-and-harassment.html"]); !strings.Contains(off, "The boundary file could not be drawn") || strings.Contains(off, "data-geo=") {
		t.Error("a boundary file that cannot be used does not fall back to the tile map with a sentence")
	}
}
