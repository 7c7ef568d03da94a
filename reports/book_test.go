package reports

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/testutil"
	"github.com/crimetrends/crimetrends/pipeline"
)

// checkBookGolden compares got with testdata/name, or rewrites it with
// -update.
func checkBookGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *testutil.Update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs first at line %d:\n got: %q\nwant: %q\n(run go test ./reports -update and review the diff)", p, i+1, g, w)
		}
	}
}

func renderBook(t *testing.T, rep *pipeline.Report, meta Meta) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, rep, meta); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWorkbookGolden(t *testing.T) {
	data := renderBook(t, bookReport(t), bookMeta())
	dump := dumpWorkbook(t, data)
	checkBookGolden(t, "workbook.txt.golden", []byte(dump))
	if strings.Contains(dump, "FORMULA") {
		t.Error("the workbook holds a formula")
	}
	for _, want := range []string{
		// The sheets, in order, named in whole words.
		`== sheet "Cover"`, `== sheet "Stalking and harassment"`, `== sheet "Violence and sexual offences"`,
		`== sheet "police.uk Violence and sexual"`, `== sheet "Comparisons"`, `== sheet "Reconciliation"`, `== sheet "Figures"`,
		`== sheet "Completeness Home Office"`, `== sheet "Completeness police.uk"`, `== sheet "Notes"`, `== sheet "Sources"`,
		// Dates from the period, not the clock.
		`created="2018-10-01T00:00:00Z" modified="2018-10-01T00:00:00Z"`,
		// Print setup: the header row repeated.
		`defined name _xlnm.Print_Titles scope="Stalking and harassment" refers='Stalking and harassment'!$4:$4`,
		`defined name _xlnm.Print_Titles scope="Figures" refers='Figures'!$3:$3`,
		// The completeness sheets print their summary only.
		`defined name _xlnm.Print_Area scope="Completeness police.uk" refers='Completeness police.uk'!$A$1:$E$5`,
		// The ranking: Wiltshire's quoted figure, marked and shaded.
		`table Ranking_stalking_and_harassment range=A4:Q59`,
		`7 (h15): A="yes"{b,FFE699} B="Wiltshire"{b,FFE699} C="E23000038"{b,FFE699} D="Force"{b,FFE699} E=2182[#,##0]{b,FFE699} F=1904[#,##0]{b,FFE699} G=278[+#,##0;-#,##0;0]{b,FFE699} H=14.6[+0.0;-0.0;0.0]{b,FFE699} I=7.7[+0.0;-0.0;0.0]{b,FFE699} J=21.9[+0.0;-0.0;0.0]{b,FFE699} K="rise"{b,FFE699} L=3[0.0]{b,FFE699} M="mid-2018"{b,FFE699} N=3{b,FFE699} O=7{b,FFE699}`,
		// The chart: Wiltshire's and Sussex's bars orange, dark axis text.
		`fill=1F4E79 point2=C55A11 point23=C55A11`,
		`catAx id=100000000 pos=t orientation=maxMin text=0B0C0C`,
		`valAx id=100000001 pos=l orientation=minMax text=0B0C0C`,
	} {
		if !strings.Contains(dump, want) {
			t.Errorf("workbook dump lacks %q", want)
		}
	}
}

// Every sheet prints landscape on A4, one page wide, with a footer naming
// its source and the page; every sheet's dimension is its used range;
// every table sheet repeats its header row and freezes it.
func TestWorkbookPrintSetup(t *testing.T) {
	rep, meta := bookReport(t), bookMeta()
	meta.Synthetic = true
	f, err := excelize.OpenReader(bytes.NewReader(renderBook(t, rep, meta)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	titles := map[string]bool{}
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm.Print_Titles" {
			titles[n.Scope] = true
		}
	}
	sheets := f.GetSheetList()
	if want := WorkbookSheets(rep, meta); strings.Join(sheets, "|") != strings.Join(want, "|") {
		t.Errorf("sheets %q, want %q", sheets, want)
	}
	for _, s := range sheets {
		pl, _ := f.GetPageLayout(s)
		sp, _ := f.GetSheetProps(s)
		if deref(pl.Orientation) != "landscape" || deref(pl.Size) != 9 || deref(pl.FitToWidth) != 1 || !deref(sp.FitToPage) {
			t.Errorf("sheet %q: orientation %q paper %d fit width %d fit to page %v", s, deref(pl.Orientation), deref(pl.Size), deref(pl.FitToWidth), deref(sp.FitToPage))
		}
		hf, _ := f.GetHeaderFooter(s)
		if hf == nil || !strings.Contains(hf.OddFooter, "Page &P of &N") || !strings.Contains(hf.OddHeader, "SYNTHETIC DATA") {
			t.Errorf("sheet %q: header and footer %+v", s, hf)
		}
		dim, _ := f.GetSheetDimension(s)
		rows, _ := f.GetRows(s)
		cols := 0
		for _, r := range rows {
			for c, v := range r {
				if v != "" {
					cols = max(cols, c+1)
				}
			}
		}
		want := "A1:" + cellName(cols, len(rows))
		if dim != want {
			t.Errorf("sheet %q: dimension %s, want the used range %s", s, dim, want)
		}
		tables, _ := f.GetTables(s)
		if len(tables) == 0 {
			continue
		}
		panes, _ := f.GetPanes(s)
		if !titles[s] && !strings.HasPrefix(s, SheetSources) || !panes.Freeze && s != SheetSources {
			t.Errorf("sheet %q: print titles %v, panes %+v", s, titles[s], panes)
		}
	}
}

// The same report and meta give the same bytes, whatever the order of
// map iteration inside excelize; the package's parts are sorted and dated
// by the report's period.
func TestWorkbookBytesStable(t *testing.T) {
	a := renderBook(t, bookReport(t), bookMeta())
	for i := 0; i < 3; i++ {
		if b := renderBook(t, bookReport(t), bookMeta()); !bytes.Equal(a, b) {
			t.Fatal("two renders of the same report give different bytes")
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		if !zf.Modified.Equal(time.Date(2018, 10, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s dated %s, want 2018-10-01", zf.Name, zf.Modified)
		}
	}
	if names[0] != "[Content_Types].xml" || !sort.StringsAreSorted(names[1:]) {
		t.Errorf("entries not in order: %q", names)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	ct, _ := io.ReadAll(rc)
	rc.Close()
	defaults := regexp.MustCompile(`<Default [^>]*>`).FindAllString(string(ct), -1)
	if len(defaults) < 2 || !sort.StringsAreSorted(defaults) {
		t.Errorf("content-type defaults not sorted: %q", defaults)
	}
}

func TestSortContentTypes(t *testing.T) {
	in := `<?xml version="1.0"?><Types xmlns="x"><Default Extension="xml" ContentType="b"/><Override PartName="/z" ContentType="c"></Override><Default Extension="png" ContentType="a"/><Override PartName="/a" ContentType="d"/></Types>`
	want := `<?xml version="1.0"?><Types xmlns="x"><Default Extension="png" ContentType="a"/><Default Extension="xml" ContentType="b"/><Override PartName="/a" ContentType="d"/><Override PartName="/z" ContentType="c"></Override></Types>`
	if got := string(sortContentTypes([]byte(in))); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestColourPoints(t *testing.T) {
	c := &chart{values: "'A & B'!$H$5:$H$9", points: []int{0, 3}}
	for _, ns := range []string{"", "c:"} {
		in := `<` + ns + `chartSpace><` + ns + `ser><` + ns + `idx val="0"/><` + ns + `invertIfNegative val="0"/><` + ns + `dLbls/><` + ns + `cat/><` + ns + `val><` + ns + `numRef><` + ns + `f>&#39;A &amp; B&#39;!$H$5:$H$9</` + ns + `f></` + ns + `numRef></` + ns + `val></` + ns + `ser></` + ns + `chartSpace>`
		got := string(colourPoints([]byte(in), c))
		want := `<` + ns + `dPt><` + ns + `idx val="3"/>`
		if !strings.Contains(got, want) || strings.Index(got, "dPt") > strings.Index(got, "dLbls") {
			t.Errorf("ns %q: %s", ns, got)
		}
		if other := string(colourPoints([]byte(in), &chart{values: "'X'!$H$5:$H$9", points: []int{1}})); other != in {
			t.Errorf("ns %q: a chart of another series changed: %s", ns, other)
		}
	}
}

// Sheet names: whole words, at most 31 characters, unique, saying
// data.police.uk where its categories could be taken for official
// offences.
func TestTopicSheetNames(t *testing.T) {
	var topics []pipeline.Topic
	for _, o := range datasets.ONSOffences() {
		topics = append(topics, pipeline.Topic{Name: o.Name, Taxonomy: pipeline.TaxonomyOfficial})
	}
	for _, s := range datasets.DefaultSelectors(datasets.SourceHomeOffice) {
		topics = append(topics, pipeline.Topic{Name: s.LabelFor(datasets.SourceHomeOffice), Taxonomy: pipeline.TaxonomyOfficial})
	}
	for _, s := range append(datasets.DefaultSelectors(datasets.SourcePoliceUK), bookSelector(t, "Anti-social behaviour")) {
		topics = append(topics, pipeline.Topic{Name: s.LabelFor(datasets.SourcePoliceUK), Taxonomy: pipeline.TaxonomyPoliceUK})
	}
	names := newSheetNamer()
	for _, n := range []string{SheetCover, SheetComparisons, SheetReconciliation, SheetFigures, SheetNotes, SheetSources} {
		names.name(n)
	}
	seen := map[string]bool{}
	for _, tp := range topics {
		want := topicSheetName(tp)
		got := names.name(want)
		if seen[strings.ToLower(want)] {
			continue // the same offence from two lists
		}
		seen[strings.ToLower(want)] = true
		if got != want {
			t.Errorf("%q: sheet %q made unique as %q", tp.Name, want, got)
		}
		if utf8.RuneCountInString(got) > maxSheetName {
			t.Errorf("%q: sheet name %q is longer than 31", tp.Name, got)
		}
		words := strings.Fields(strings.ToLower(tp.Name + " " + sheetShortNames[tp.Name] + " police.uk"))
		for _, w := range strings.Fields(strings.ToLower(got)) {
			found := false
			for _, x := range words {
				if strings.Trim(x, "(),") == strings.Trim(w, "(),") {
					found = true
				}
			}
			if !found {
				t.Errorf("%q: sheet name %q has %q, not a whole word of the name", tp.Name, got, w)
			}
		}
		if police := strings.HasPrefix(got, "police.uk "); police != (tp.Taxonomy == pipeline.TaxonomyPoliceUK) {
			t.Errorf("%q (%s): sheet name %q", tp.Name, tp.Taxonomy, got)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"Stalking and harassment", "Stalking and harassment"},
		{"Arson and criminal damage to a dwelling with intent", "Arson and criminal damage"},
		{strings.Repeat("x", 40), strings.Repeat("x", 31)},
	} {
		if got := fitWords(tc.in, maxSheetName); got != tc.want {
			t.Errorf("fitWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	n := newSheetNamer()
	if a, b := n.name("Notes"), n.name("notes"); a != "Notes" || b != "notes 2" {
		t.Errorf("unique names: %q, %q", a, b)
	}
	if got := cleanSheetText("a[b]:c*d?e/f\\g'h\x01i"); got != "a b c d e f g h i" {
		t.Errorf("cleanSheetText: %q", got)
	}
}

// Titles and headings name the window asked for, never "rolling 12
// months" for another kind.
func TestWorkbookWindowTitles(t *testing.T) {
	rep := &pipeline.Report{Window: datasets.WindowFYTD, PeriodEnd: datasets.MonthOf(2018, 9), Months: 6, PeriodAsked: true, MinBase: 30,
		Topics: []pipeline.Topic{{ID: "burglary", Name: "Burglary", Taxonomy: pipeline.TaxonomyOfficial, Empty: "No source gives a figure."}}}
	dump := dumpWorkbook(t, renderBook(t, rep, Meta{}))
	for _, want := range []string{
		"Burglary: every force and region ranked, financial year to date, April to September 2018",
		"Figures for the financial year to date (April to September 2018), as asked.",
		"Every figure of every source: financial year to date totals",
		"No percentage is given when the earlier count is under 30",
	} {
		if !strings.Contains(dump, want) {
			t.Errorf("dump lacks %q", want)
		}
	}
	for _, bad := range []string{"rolling", "under 50", "Rolling"} {
		if strings.Contains(dump, bad) {
			t.Errorf("an FYTD report with min_base 30 says %q", bad)
		}
	}
}

// Input names that a spreadsheet would run as formulas are text.
func TestWorkbookHostileText(t *testing.T) {
	hostile := []string{`=HYPERLINK("http://example.com","x")`, "@SUM(A1)", "+1+2", "-3+4"}
	meta := bookMeta()
	for i, h := range hostile {
		meta.Inputs = append(meta.Inputs, InputSummary{Name: h, Source: datasets.SourceHomeOffice, SHA256: "ab", Rows: int64(i)})
	}
	f, err := excelize.OpenReader(bytes.NewReader(renderBook(t, bookReport(t), meta)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := map[string]bool{}
	for _, s := range f.GetSheetList() {
		rows, _ := f.GetRows(s, excelize.Options{RawCellValue: true})
		for r, row := range rows {
			for c, v := range row {
				cell := cellName(c+1, r+1)
				if fm, _ := f.GetCellFormula(s, cell); fm != "" {
					t.Errorf("sheet %q %s: formula %q", s, cell, fm)
				}
				for _, h := range hostile {
					if v == h {
						found[h] = true
					}
				}
			}
		}
	}
	if len(found) != len(hostile) {
		t.Errorf("found %v of %q as text", found, hostile)
	}
}

func TestMissingRanges(t *testing.T) {
	ms := []datasets.Month{datasets.MonthOf(2018, 11), datasets.MonthOf(2018, 12), datasets.MonthOf(2019, 1), datasets.MonthOf(2019, 2), datasets.MonthOf(2019, 3)}
	for _, tc := range []struct {
		covered []bool
		want    string
	}{
		{[]bool{true, true, true, true, true}, ""},
		{[]bool{true, false, false, true, false}, "December 2018 to January 2019; March 2019"},
		{[]bool{false, false, true}, "November to December 2018; February to March 2019"},
	} {
		if got := missingRanges(ms, tc.covered); got != tc.want {
			t.Errorf("missingRanges(%v) = %q, want %q", tc.covered, got, tc.want)
		}
	}
}

// A report with nothing in it still gives a workbook that opens.
func TestWorkbookEmptyReport(t *testing.T) {
	dump := dumpWorkbook(t, renderBook(t, &pipeline.Report{}, Meta{}))
	for _, want := range []string{`== sheet "Cover"`, `== sheet "Figures"`, `table Figures range=A3:W4`, `== sheet "Notes"`, `== sheet "Sources"`} {
		if !strings.Contains(dump, want) {
			t.Errorf("empty workbook lacks %q:\n%s", want, dump)
		}
	}
}
