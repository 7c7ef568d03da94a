package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// dumpWorkbook reopens a workbook and writes it out as text: document
// properties, defined names, then per sheet its panes, tables, conditional
// formats, charts (read from the package XML: type, axes, series ranges,
// anchor cell) and every non-empty cell with its type, raw value, shown
// value, number format and link. A formula anywhere is reported.
func dumpWorkbook(t *testing.T, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("reopen workbook: %v", err)
	}
	defer f.Close()
	charts := chartsBySheet(t, data)
	var b strings.Builder
	p, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "props: title=%q\n  subject=%q\n  creator=%q keywords=%q\n  description=%q\n  category=%q created=%q modified=%q version=%q\n",
		p.Title, p.Subject, p.Creator, p.Keywords, p.Description, p.Category, p.Created, p.Modified, p.Version)
	names := f.GetDefinedName()
	sort.Slice(names, func(i, j int) bool { return names[i].Scope+names[i].Name < names[j].Scope+names[j].Name })
	for _, n := range names {
		fmt.Fprintf(&b, "defined name %s scope=%q refers=%s comment=%q\n", n.Name, n.Scope, n.RefersTo, n.Comment)
	}
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "\n== sheet %q\n", sheet)
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "panes: freeze=%v ysplit=%d xsplit=%d topleft=%q\n", panes.Freeze, panes.YSplit, panes.XSplit, panes.TopLeftCell)
		tables, err := f.GetTables(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			fmt.Fprintf(&b, "table %s range=%s style=%s\n", tb.Name, tb.Range, tb.StyleName)
		}
		cfs, err := f.GetConditionalFormats(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range sortedKeys(cfs) {
			for _, cf := range cfs[ref] {
				fmt.Fprintf(&b, "conditional %s: %s %s %s", ref, cf.Type, cf.Criteria, cf.Value)
				if cf.Format != nil {
					st, err := f.GetConditionalStyle(*cf.Format)
					if err != nil {
						t.Fatal(err)
					}
					if st.CustomNumFmt != nil {
						fmt.Fprintf(&b, " fmt=%q", *st.CustomNumFmt)
					}
					if st.Font != nil {
						fmt.Fprintf(&b, " color=%s bold=%v", st.Font.Color, st.Font.Bold)
					}
				}
				b.WriteByte('\n')
			}
		}
		for _, c := range charts[sheet] {
			b.WriteString(c)
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, raw := range row {
				if raw == "" {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				typ, _ := f.GetCellType(sheet, cell)
				shown, _ := f.GetCellValue(sheet, cell)
				formula, _ := f.GetCellFormula(sheet, cell)
				styleID, _ := f.GetCellStyle(sheet, cell)
				format := ""
				bold := false
				if st, err := f.GetStyle(styleID); err == nil && st != nil {
					if st.CustomNumFmt != nil {
						format = *st.CustomNumFmt
					} else if st.NumFmt != 0 {
						format = fmt.Sprintf("builtin:%d", st.NumFmt)
					}
					bold = st.Font != nil && st.Font.Bold
				}
				fmt.Fprintf(&b, "%s %s %q", cell, cellType(typ), raw)
				if shown != raw {
					fmt.Fprintf(&b, " shown=%q", shown)
				}
				if format != "" {
					fmt.Fprintf(&b, " fmt=%q", format)
				}
				if bold {
					b.WriteString(" bold")
				}
				if ok, target, _ := f.GetCellHyperLink(sheet, cell); ok {
					fmt.Fprintf(&b, " link=%q", target)
				}
				if formula != "" {
					fmt.Fprintf(&b, " FORMULA=%q", formula)
				}
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

func cellType(t excelize.CellType) string {
	switch t {
	case excelize.CellTypeNumber, excelize.CellTypeUnset:
		return "n"
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
		return "s"
	case excelize.CellTypeFormula:
		return "f"
	case excelize.CellTypeBool:
		return "b"
	}
	return fmt.Sprintf("type%d", t)
}

// Just enough of the package XML to follow sheet -> drawing -> chart.
type (
	xRels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	xWorkbook struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	xDrawing struct {
		Anchors []struct {
			Col   int `xml:"from>col"`
			Row   int `xml:"from>row"`
			Chart struct {
				RID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
			} `xml:"graphicFrame>graphic>graphicData>chart"`
		} `xml:"twoCellAnchor"`
	}
	xVal struct {
		Val string `xml:"val,attr"`
	}
	xPlotArea struct {
		Elements []xPlotElement `xml:",any"`
	}
	xPlotElement struct {
		XMLName xml.Name
		BarDir  xVal   `xml:"barDir"`
		AxIDs   []xVal `xml:"axId"`
		AxPos   xVal   `xml:"axPos"`
		Delete  xVal   `xml:"delete"`
		Orient  xVal   `xml:"scaling>orientation"`
		NumFmt  struct {
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmt"`
		Series []struct {
			Name   string `xml:"tx>strRef>f"`
			Cat    string `xml:"cat>strRef>f"`
			Val    string `xml:"val>numRef>f"`
			Points []xVal `xml:"dPt>idx"`
		} `xml:"ser"`
	}
	xChart struct {
		Title    []string  `xml:"chart>title>tx>rich>p>r>t"`
		Blanks   xVal      `xml:"chart>dispBlanksAs"`
		PlotArea xPlotArea `xml:"chart>plotArea"`
	}
)

// chartsBySheet describes every chart of the package, by sheet name.
func chartsBySheet(t *testing.T, data []byte) map[string][]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[zf.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	decode := func(name string, v any) bool {
		body, ok := parts[name]
		if !ok {
			return false
		}
		if err := xml.Unmarshal(body, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return true
	}
	rels := func(part string) map[string]string {
		var r xRels
		decode(path.Join(path.Dir(part), "_rels", path.Base(part)+".rels"), &r)
		out := map[string]string{}
		for _, rel := range r.Rels {
			if strings.HasPrefix(rel.Target, "/") {
				out[rel.ID] = strings.TrimPrefix(rel.Target, "/")
			} else {
				out[rel.ID] = path.Join(path.Dir(part), rel.Target)
			}
		}
		return out
	}
	var wb xWorkbook
	decode("xl/workbook.xml", &wb)
	wbRels := rels("xl/workbook.xml")
	out := map[string][]string{}
	for _, s := range wb.Sheets {
		sheetPart := wbRels[s.RID]
		for _, drawingPart := range rels(sheetPart) {
			if !strings.Contains(drawingPart, "drawings/drawing") {
				continue
			}
			var dr xDrawing
			decode(drawingPart, &dr)
			drRels := rels(drawingPart)
			for _, a := range dr.Anchors {
				var c xChart
				if !decode(drRels[a.Chart.RID], &c) {
					t.Fatalf("sheet %q: chart %s missing", s.Name, a.Chart.RID)
				}
				cell, _ := excelize.CoordinatesToCellName(a.Col+1, a.Row+1)
				var b strings.Builder
				fmt.Fprintf(&b, "chart at %s title=%q blanks=%s\n", cell, strings.Join(c.Title, ""), c.Blanks.Val)
				for _, el := range c.PlotArea.Elements {
					var ids []string
					for _, id := range el.AxIDs {
						ids = append(ids, id.Val)
					}
					switch {
					case strings.HasSuffix(el.XMLName.Local, "Chart"):
						fmt.Fprintf(&b, "  %s%s axes=%s\n", el.XMLName.Local, el.BarDir.Val, strings.Join(ids, ","))
						for _, ser := range el.Series {
							var pts []string
							for _, p := range ser.Points {
								pts = append(pts, p.Val)
							}
							fmt.Fprintf(&b, "    series name=%s cat=%s val=%s", ser.Name, ser.Cat, ser.Val)
							if len(pts) > 0 {
								fmt.Fprintf(&b, " points=%s", strings.Join(pts, ","))
							}
							b.WriteByte('\n')
						}
					case strings.HasSuffix(el.XMLName.Local, "Ax"):
						fmt.Fprintf(&b, "  %s id=%s pos=%s delete=%s orientation=%s numfmt=%q\n",
							el.XMLName.Local, strings.Join(ids, ","), el.AxPos.Val, el.Delete.Val, el.Orient.Val, el.NumFmt.Code)
					}
				}
				out[s.Name] = append(out[s.Name], b.String())
			}
		}
	}
	return out
}

func renderWorkbook(t *testing.T, v View) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Workbook(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// goldenWorkbookView is the view of the golden test (and the LibreOffice
// test): the fixture plus a Gwent row whose name and note a spreadsheet
// would run as formulas.
func goldenWorkbookView() View {
	ts := fixtureTrends()
	ts = append(ts, trend(datasets.SourceHomeOffice, "Robbery", codeGwent, "=1+1", "2018-09", 60, 50, "@risk"))
	v := BuildView(ts, fixtureOptions())
	v.Completeness = []CompletenessSheet{{Source: datasets.SourcePoliceUK,
		Months: []datasets.Month{m("2018-07"), m("2018-08"), m("2018-09")},
		Areas: []CompletenessArea{
			{AreaCode: codeWilts, AreaName: "Wiltshire", Covered: []bool{true, false, true}},
			{AreaCode: datasets.CodeBTP, AreaName: "British Transport Police", Covered: []bool{false, false, false}},
		}}}
	return v
}

func TestWorkbookCompleteness(t *testing.T) {
	v := goldenWorkbookView()
	names, _ := WorkbookSheets(v)
	if got, want := names[len(names)-1], "Completeness policeuk"; got != want {
		t.Fatalf("last sheet: got %q, want %q", got, want)
	}
	f, err := excelize.OpenReader(bytes.NewReader(renderWorkbook(t, v)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Completeness policeuk")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"area_name", "area_code", "months_missing", "2018-07", "2018-08", "2018-09"},
		{"Wiltshire", codeWilts, "1", "✓", "missing", "✓"},
		{"British Transport Police", "BTP", "3", "missing", "missing", "missing"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got rows\n%q\nwant\n%q", rows, want)
	}
	panes, err := f.GetPanes("Completeness policeuk")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.XSplit != 3 || panes.YSplit != 1 {
		t.Errorf("got panes %+v, want frozen header row and three columns", panes)
	}
	tables, err := f.GetTables("Completeness policeuk")
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 || tables[0].Name != "tbl_Completeness_1" || tables[0].Range != "A1:F3" {
		t.Errorf("got tables %+v, want tbl_Completeness_1 over A1:F3", tables)
	}
}

func TestWorkbookGolden(t *testing.T) {
	v := goldenWorkbookView()
	data := renderWorkbook(t, v)
	dump := dumpWorkbook(t, data)
	checkGolden(t, "workbook.txt.golden", []byte(dump))

	if strings.Contains(dump, "FORMULA") {
		t.Error("workbook holds a formula")
	}
	for _, want := range []string{
		`A2 s "SYNTHETIC DATA — not real police figures" bold`,
		`created="2018-10-01T00:00:00Z" modified="2018-10-01T00:00:00Z"`,
		`creator="crimetrends"`,
		`defined name Trends_Data scope="Workbook" refers='Trends'!$A$1:$K$12`,
		`table tbl_Trends range=A1:K12 style=TableStyleMedium2`,
		`table tbl_Series_2 range=A1:C4`,
		`table tbl_Ranking_2 range=A1:K5`,
		`conditional I2:I12: cell greater than 0 fmt="\"▲ \"+0.0%;\"▼ \"-0.0%;0.0%" color=9C4A00`,
		`conditional I2:I12: cell less than 0 fmt="\"▲ \"+0.0%;\"▼ \"-0.0%" color=1F4E79`,
		`conditional H2:H5: cell greater than 0`,
		// Stalking and harassment: Wiltshire (left axis) and E&W (right).
		"series name='Series 2 Stalking and harassmen'!$B$1 cat='Series 2 Stalking and harassmen'!$A$2:$A$4 val='Series 2 Stalking and harassmen'!$B$2:$B$4",
		"series name='Series 2 Stalking and harassmen'!$C$1 cat='Series 2 Stalking and harassmen'!$A$2:$A$4 val='Series 2 Stalking and harassmen'!$C$2:$C$4",
		"pos=r",
		// Ranking: Wiltshire 14.6% and Gwent -3.0% have a percentage.
		"barChartbar",
		"series name='Ranking 2 Stalking and harassme'!$H$1 cat='Ranking 2 Stalking and harassme'!$C$2:$C$3 val='Ranking 2 Stalking and harassme'!$H$2:$H$3\n",
		`C2 s "=1+1"`,
		`I2 n "0.2" shown="20.0%" fmt="0.0%"`,
	} {
		if !strings.Contains(dump, want) {
			t.Errorf("workbook dump lacks %q", want)
		}
	}
	sheets, _ := WorkbookSheets(v)
	if got := strings.Count(dump, "\n== sheet "); got != len(sheets) {
		t.Errorf("dump has %d sheets, want %d", got, len(sheets))
	}
	for _, s := range sheets[:3] {
		if !strings.Contains(dump, "\n== sheet \""+s+"\"") {
			t.Errorf("no sheet %q", s)
		}
	}
	if i, j := strings.Index(dump, `== sheet "Cover"`), strings.Index(dump, `== sheet "Notes"`); i < 0 || j < i {
		t.Error("Cover is not the first sheet, before Notes")
	}
}

// TestWorkbookTrendsTable reopens the workbook and checks that the Trends
// table holds exactly the trend rows, in trends.csv order, with the
// percentage stored as a fraction.
func TestWorkbookTrendsTable(t *testing.T) {
	v := goldenWorkbookView()
	f, err := excelize.OpenReader(bytes.NewReader(renderWorkbook(t, v)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tables, err := f.GetTables(SheetTrends)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("A1:K%d", len(v.Trends)+1)
	if len(tables) != 1 || tables[0].Range != want {
		t.Fatalf("Trends tables %+v, want one of range %s", tables, want)
	}
	rows, err := f.GetRows(SheetTrends, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if !equalStrings(rows[0], TrendsHeader) {
		t.Errorf("header %q, want %q", rows[0], TrendsHeader)
	}
	checkTrendRows(t, "excelize", rows[1:], v.Trends, 0)
}

// checkTrendRows compares rows read back from a Trends sheet with the trend
// rows: texts exactly, counts as trends.csv writes them, percentages as
// fractions (a trailing "%" divides by 100) within tol of the trend's
// fraction to Excel's 15 significant digits (tol 0: equal), and rounding to
// trends.csv's figure.
func checkTrendRows(t *testing.T, reader string, rows [][]string, trends []datasets.Trend, tol float64) {
	t.Helper()
	if len(rows) != len(trends) {
		t.Fatalf("%s: %d Trends rows, want %d", reader, len(rows), len(trends))
	}
	for i, tr := range trends {
		got := append(rows[i], make([]string, len(TrendsHeader))...)[:len(TrendsHeader)]
		csvRec := trendRecord(tr)
		want := []string{tr.AreaCode, tr.AreaName, tr.Offence, csvRec[3], csvRec[4], csvRec[5], csvRec[6], csvRec[7], "", tr.Source, tr.Note}
		gotPct := got[8]
		got[8] = ""
		if !equalStrings(got, want) {
			t.Errorf("%s: Trends row %d\n got %q\nwant %q", reader, i+2, got, want)
		}
		switch {
		case !tr.HasPct && gotPct != "":
			t.Errorf("%s: Trends row %d pct_change %q, want blank", reader, i+2, gotPct)
		case tr.HasPct:
			num, percent := strings.CutSuffix(gotPct, "%")
			p, err := strconv.ParseFloat(num, 64)
			if err != nil {
				t.Errorf("%s: Trends row %d pct_change %q: %v", reader, i+2, gotPct, err)
				continue
			}
			if percent {
				p /= 100
			}
			want, _ := strconv.ParseFloat(strconv.FormatFloat(tr.PctChange/100, 'g', 15, 64), 64)
			if math.Abs(p-want) > tol || FormatPct(p*100) != csvRec[8] {
				t.Errorf("%s: Trends row %d pct_change %v, want %v (%s%% in trends.csv)", reader, i+2, p, want, csvRec[8])
			}
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWorkbookBytesStable(t *testing.T) {
	v := goldenWorkbookView()
	a, b := renderWorkbook(t, v), renderWorkbook(t, goldenWorkbookView())
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same view give different bytes")
	}
	// The package holds charts and tables, and its content types are sorted.
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first entry %s, want [Content_Types].xml", zr.File[0].Name)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	ct, _ := io.ReadAll(rc)
	rc.Close()
	defaults := regexp.MustCompile(`<Default [^>]*>`).FindAllString(string(ct), -1)
	if !sort.StringsAreSorted(defaults) || len(defaults) < 2 {
		t.Errorf("content-type defaults not sorted: %q", defaults)
	}
	var charts, tables int
	for _, zf := range zr.File {
		charts += btoi(strings.HasPrefix(zf.Name, "xl/charts/chart"))
		tables += btoi(strings.HasPrefix(zf.Name, "xl/tables/table"))
	}
	// 3 sections: Series charts for 2 (Robbery has no series), Ranking
	// charts for 3; tables: Trends + 2 per section + 1 Completeness.
	if charts != 5 || tables != 8 {
		t.Errorf("%d charts and %d tables, want 5 and 8", charts, tables)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestSortContentTypes(t *testing.T) {
	in := `<?xml version="1.0"?><Types xmlns="x"><Default Extension="xml" ContentType="b"/><Override PartName="/z" ContentType="c"></Override><Default Extension="png" ContentType="a"/><Override PartName="/a" ContentType="d"/></Types>`
	want := `<?xml version="1.0"?><Types xmlns="x"><Default Extension="png" ContentType="a"/><Default Extension="xml" ContentType="b"/><Override PartName="/a" ContentType="d"/><Override PartName="/z" ContentType="c"></Override></Types>`
	if got := string(sortContentTypes([]byte(in))); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestWorkbookEmptyView(t *testing.T) {
	dump := dumpWorkbook(t, renderWorkbook(t, BuildView(nil, Options{})))
	for _, want := range []string{`== sheet "Trends"`, `A1 s "area_code"`, "table tbl_Trends range=A1:K2", `== sheet "Cover"`, `== sheet "Notes"`} {
		if !strings.Contains(dump, want) {
			t.Errorf("empty workbook lacks %q:\n%s", want, dump)
		}
	}
}

// TestWorkbookHostileText puts formula-like texts in a force name, an
// offence, a note and an input name: each must read back as a string, with
// no formula in any sheet's XML.
func TestWorkbookHostileText(t *testing.T) {
	hostile := []string{`=HYPERLINK("http://example.com","x")`, "@SUM(A1)", "+1+2", "-3+4", "=1+1"}
	const code = "E23900009"
	ho := datasets.SourceHomeOffice
	ts := []datasets.Trend{
		trend(ho, hostile[1], code, hostile[0], "2018-09", 100, 80, hostile[2]),
		trend(ho, hostile[1], datasets.CodeEnglandWales, "England and Wales", "2018-09", 1000, 900, ""),
		trend(ho, hostile[1], codeGwent, hostile[3], "2018-09", 70, 60, ""),
	}
	opts := Options{Forces: []string{code}, Inputs: []InputSummary{{Name: hostile[4], Source: ho, Rows: 1}}}
	data := renderWorkbook(t, BuildView(ts, opts))
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := map[string]bool{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, val := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("sheet %q %s: formula %q", sheet, cell, formula)
				}
				for _, h := range hostile {
					if val != h {
						continue
					}
					found[h] = true
					if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
						t.Errorf("sheet %q %s %q: type %v, want a string", sheet, cell, val, typ)
					}
				}
			}
		}
	}
	for _, h := range hostile {
		if !found[h] {
			t.Errorf("no cell holds %q as text: the test proves nothing", h)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	formulaRE := regexp.MustCompile(`<f[ >/]`)
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if formulaRE.Match(b) {
			t.Errorf("%s holds a formula element", zf.Name)
		}
	}
}

func TestTableHeader(t *testing.T) {
	got := tableHeader([]string{"period_end", "Gwent Police", "gwent  police", "", "a\nb"})
	want := []string{"period_end", "Gwent Police", "gwent police (2)", "column", "a b"}
	if !equalStrings(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzWorkbookNames feeds arbitrary force names, offence labels and notes
// through Workbook: it must not fail, and what it writes must reopen with
// no formula and the texts as strings.
func FuzzWorkbookNames(f *testing.F) {
	f.Add("Wiltshire Police", "Stalking and harassment", "")
	f.Add(`=HYPERLINK("http://example.com","x")`, "@SUM(A1)", "+1")
	f.Add("England and Wales", "[a]/b*c?:d\\e'f", "-2+3")
	f.Add("a\nb\tc", "", "\x00\x01")
	f.Add(strings.Repeat("x", 300), strings.Repeat("Offence ", 40), "note")
	f.Add("\xff\xfe", "\xff", "\x1b[0m")
	f.Add("GWENT POLICE", "'", "_x000a_")
	f.Add("tbl_Trends", "Trends_Data", "R1C1")
	f.Fuzz(func(t *testing.T, name, offence, note string) {
		ho := datasets.SourceHomeOffice
		ts := []datasets.Trend{
			trend(ho, offence, codeWilts, name, "2018-09", 100, 80, note),
			trend(ho, offence, codeGwent, name, "2018-09", 70, 60, ""),
			trend(ho, offence, datasets.CodeEnglandWales, "England and Wales", "2018-09", 1000, 900, ""),
		}
		v := BuildView(ts, Options{Forces: []string{codeWilts, codeGwent}})
		var buf bytes.Buffer
		if err := Workbook(&buf, v); err != nil {
			t.Fatalf("Workbook: %v", err)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer wb.Close()
		rows, err := wb.GetRows(SheetTrends, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(ts)+1 {
			t.Fatalf("%d Trends rows, want %d", len(rows), len(ts)+1)
		}
		for r := range rows {
			for c := range rows[r] {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := wb.GetCellFormula(SheetTrends, cell); formula != "" {
					t.Errorf("%s: formula %q", cell, formula)
				}
			}
		}
	})
}
