package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// dumpWorkbook reopens a workbook and writes it out as text: document
// properties and defined names, then per sheet its dimension, panes,
// print setup, header and footer, page breaks, tables, charts (type, axes
// with their text colour, series ranges, coloured points, anchor) and
// every row's non-empty cells with their type, value, number format, bold
// and fill, and link. A formula anywhere is reported as FORMULA.
func dumpWorkbook(t *testing.T, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("reopen workbook: %v", err)
	}
	defer f.Close()
	parts := zipParts(t, data)
	charts := chartsBySheet(t, parts)
	breaks := rowBreaksBySheet(t, parts)
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
		fmt.Fprintf(&b, "defined name %s scope=%q refers=%s\n", n.Name, n.Scope, n.RefersTo)
	}
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "\n== sheet %q\n", sheet)
		dim, err := f.GetSheetDimension(sheet)
		if err != nil {
			t.Fatal(err)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "dimension=%s panes: freeze=%v xsplit=%d ysplit=%d topleft=%q\n", dim, panes.Freeze, panes.XSplit, panes.YSplit, panes.TopLeftCell)
		pl, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		sp, err := f.GetSheetProps(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "print: paper=%d orientation=%s fit_to_page=%v fit_width=%d fit_height=%d breaks=%v\n",
			deref(pl.Size), deref(pl.Orientation), deref(sp.FitToPage), deref(pl.FitToWidth), deref(pl.FitToHeight), breaks[sheet])
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if hf != nil {
			fmt.Fprintf(&b, "header=%q footer=%q\n", hf.OddHeader, hf.OddFooter)
		}
		var widths []string
		for c := 1; c <= 30; c++ {
			w, _ := f.GetColWidth(sheet, colName(c))
			widths = append(widths, fmt.Sprint(w))
		}
		fmt.Fprintf(&b, "widths=%s\n", strings.Join(widths, ","))
		tables, err := f.GetTables(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			fmt.Fprintf(&b, "table %s range=%s style=%s\n", tb.Name, tb.Range, tb.StyleName)
		}
		for _, c := range charts[sheet] {
			b.WriteString(c)
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			var cells []string
			for c, raw := range row {
				cell := cellName(c+1, r+1)
				formula, _ := f.GetCellFormula(sheet, cell)
				if raw == "" && formula == "" {
					continue
				}
				cells = append(cells, dumpCell(t, f, sheet, cell, raw, formula))
			}
			if len(cells) > 0 {
				h, _ := f.GetRowHeight(sheet, r+1)
				fmt.Fprintf(&b, "%d (h%g): %s\n", r+1, h, strings.Join(cells, " "))
			}
		}
	}
	return b.String()
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// dumpCell is one cell: B5="Wiltshire"{b,FFE699} or E5=2182[#,##0].
func dumpCell(t *testing.T, f *excelize.File, sheet, cell, raw, formula string) string {
	t.Helper()
	col := strings.TrimRight(cell, "0123456789")
	typ, _ := f.GetCellType(sheet, cell)
	var s string
	switch typ {
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
		s = fmt.Sprintf("%s=%q", col, raw)
	default:
		s = col + "=" + raw
	}
	styleID, _ := f.GetCellStyle(sheet, cell)
	if st, err := f.GetStyle(styleID); err == nil && st != nil {
		if st.CustomNumFmt != nil {
			s += "[" + *st.CustomNumFmt + "]"
		}
		var marks []string
		if st.Font != nil && st.Font.Bold {
			marks = append(marks, "b")
		}
		if len(st.Fill.Color) > 0 {
			marks = append(marks, st.Fill.Color[0])
		}
		if len(marks) > 0 {
			s += "{" + strings.Join(marks, ",") + "}"
		}
	}
	if ok, target, _ := f.GetCellHyperLink(sheet, cell); ok {
		s += "->" + target
	}
	if formula != "" {
		s += " FORMULA=" + formula
	}
	return s
}

func zipParts(t *testing.T, data []byte) map[string][]byte {
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
	return parts
}

// Just enough of the package XML to follow sheet -> drawing -> chart.
type (
	xRels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
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
	xPlotElement struct {
		XMLName   xml.Name
		BarDir    xVal   `xml:"barDir"`
		AxIDs     []xVal `xml:"axId"`
		AxPos     xVal   `xml:"axPos"`
		Orient    xVal   `xml:"scaling>orientation"`
		TextColor xVal   `xml:"txPr>p>pPr>defRPr>solidFill>srgbClr"`
		Series    []struct {
			Name   string `xml:"tx>strRef>f"`
			Cat    string `xml:"cat>strRef>f"`
			Val    string `xml:"val>numRef>f"`
			Fill   xVal   `xml:"spPr>solidFill>srgbClr"`
			Points []struct {
				Idx  xVal `xml:"idx"`
				Fill xVal `xml:"spPr>solidFill>srgbClr"`
			} `xml:"dPt"`
		} `xml:"ser"`
	}
	xChart struct {
		Title    []string `xml:"chart>title>tx>rich>p>r>t"`
		PlotArea struct {
			Elements []xPlotElement `xml:",any"`
		} `xml:"chart>plotArea"`
	}
	xSheetBreaks struct {
		Breaks []struct {
			ID int `xml:"id,attr"`
		} `xml:"rowBreaks>brk"`
	}
)

func rels(t *testing.T, parts map[string][]byte, part string) map[string]string {
	t.Helper()
	var r xRels
	if body, ok := parts[path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")]; ok {
		if err := xml.Unmarshal(body, &r); err != nil {
			t.Fatal(err)
		}
	}
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

// sheetParts maps sheet names to their parts.
func sheetParts(t *testing.T, parts map[string][]byte) map[string]string {
	t.Helper()
	var wb xWorkbook
	if err := xml.Unmarshal(parts["xl/workbook.xml"], &wb); err != nil {
		t.Fatal(err)
	}
	wbRels := rels(t, parts, "xl/workbook.xml")
	out := map[string]string{}
	for _, s := range wb.Sheets {
		out[s.Name] = wbRels[s.RID]
	}
	return out
}

func rowBreaksBySheet(t *testing.T, parts map[string][]byte) map[string][]int {
	t.Helper()
	out := map[string][]int{}
	for name, part := range sheetParts(t, parts) {
		var sb xSheetBreaks
		if err := xml.Unmarshal(parts[part], &sb); err != nil {
			t.Fatalf("%s: %v", part, err)
		}
		for _, br := range sb.Breaks {
			out[name] = append(out[name], br.ID)
		}
	}
	return out
}

// chartsBySheet describes every chart of the package, by sheet name.
func chartsBySheet(t *testing.T, parts map[string][]byte) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, sheetPart := range sheetParts(t, parts) {
		for _, drawingPart := range rels(t, parts, sheetPart) {
			if !strings.Contains(drawingPart, "drawings/drawing") {
				continue
			}
			var dr xDrawing
			if err := xml.Unmarshal(parts[drawingPart], &dr); err != nil {
				t.Fatal(err)
			}
			drRels := rels(t, parts, drawingPart)
			for _, a := range dr.Anchors {
				var c xChart
				body, ok := parts[drRels[a.Chart.RID]]
				if !ok {
					t.Fatalf("sheet %q: chart %s missing", name, a.Chart.RID)
				}
				if err := xml.Unmarshal(body, &c); err != nil {
					t.Fatal(err)
				}
				var b strings.Builder
				fmt.Fprintf(&b, "chart at %s title=%q\n", cellName(a.Col+1, a.Row+1), strings.Join(c.Title, ""))
				for _, el := range c.PlotArea.Elements {
					var ids []string
					for _, id := range el.AxIDs {
						ids = append(ids, id.Val)
					}
					switch {
					case strings.HasSuffix(el.XMLName.Local, "Chart"):
						fmt.Fprintf(&b, "  %s%s axes=%s\n", el.XMLName.Local, el.BarDir.Val, strings.Join(ids, ","))
						for _, ser := range el.Series {
							fmt.Fprintf(&b, "    series name=%s cat=%s val=%s fill=%s", ser.Name, ser.Cat, ser.Val, ser.Fill.Val)
							for _, p := range ser.Points {
								fmt.Fprintf(&b, " point%s=%s", p.Idx.Val, p.Fill.Val)
							}
							b.WriteByte('\n')
						}
					case strings.HasSuffix(el.XMLName.Local, "Ax"):
						fmt.Fprintf(&b, "  %s id=%s pos=%s orientation=%s text=%s\n",
							el.XMLName.Local, strings.Join(ids, ","), el.AxPos.Val, el.Orient.Val, el.TextColor.Val)
					}
				}
				out[name] = append(out[name], b.String())
			}
		}
	}
	return out
}
