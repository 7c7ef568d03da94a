package reports

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// dumpWorkbook reopens a workbook and writes it out as text: document
// properties, defined names (autofilter ranges), then per sheet its panes
// and every non-empty cell with its type, raw value, shown value and
// number format. A formula anywhere is reported.
func dumpWorkbook(t *testing.T, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("reopen workbook: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "props: title=%q creator=%q created=%q modified=%q version=%q\n  description=%q\n",
		props.Title, props.Creator, props.Created, props.Modified, props.Version, props.Description)
	names := f.GetDefinedName()
	sort.Slice(names, func(i, j int) bool { return names[i].Scope+names[i].Name < names[j].Scope+names[j].Name })
	for _, n := range names {
		fmt.Fprintf(&b, "defined name %s scope=%q refers=%s\n", n.Name, n.Scope, n.RefersTo)
	}
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "\n== sheet %q\n", sheet)
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "panes: freeze=%v ysplit=%d xsplit=%d topleft=%q\n", panes.Freeze, panes.YSplit, panes.XSplit, panes.TopLeftCell)
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

func renderWorkbook(t *testing.T, v View) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Workbook(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWorkbookGolden(t *testing.T) {
	ts := fixtureTrends()
	// A text that a spreadsheet would run as a formula stays text.
	ts = append(ts, trend(datasets.SourceHomeOffice, "Robbery", codeGwent, "=1+1", "2018-09", 60, 50, "@risk"))
	v := BuildView(ts, fixtureOptions())
	data := renderWorkbook(t, v)
	dump := dumpWorkbook(t, data)
	checkGolden(t, "workbook.txt.golden", []byte(dump))

	if again := dumpWorkbook(t, renderWorkbook(t, BuildView(ts, fixtureOptions()))); again != dump {
		t.Error("second workbook differs in content")
	}
	if strings.Contains(dump, "FORMULA") {
		t.Error("workbook holds a formula")
	}
	for _, want := range []string{
		`A2 s "SYNTHETIC DATA — not real police figures" bold`,
		`created="2018-10-01T00:00:00Z" modified="2018-10-01T00:00:00Z"`,
		`refers='Trends'!$A$1:$K$12`,
		`C2 s "=1+1"`,
	} {
		if !strings.Contains(dump, want) {
			t.Errorf("workbook dump lacks %q", want)
		}
	}
}

func TestWorkbookBytesStable(t *testing.T) {
	v := BuildView(fixtureTrends(), fixtureOptions())
	a, b := renderWorkbook(t, v), renderWorkbook(t, v)
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same view give different bytes")
	}
}

func TestWorkbookEmptyView(t *testing.T) {
	dump := dumpWorkbook(t, renderWorkbook(t, BuildView(nil, Options{})))
	if !strings.Contains(dump, `== sheet "Trends"`) || !strings.Contains(dump, `A1 s "area_code"`) {
		t.Errorf("empty workbook lacks its Trends header:\n%s", dump)
	}
}
