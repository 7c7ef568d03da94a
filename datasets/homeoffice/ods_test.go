package homeoffice

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

// The ODS fixtures are written from scratch: a zip whose first entry is the
// uncompressed mimetype, then META-INF/manifest.xml and content.xml.

const odsManifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`

const odsHead = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:body><office:spreadsheet>`

const odsTail = `<table:named-expressions/></office:spreadsheet></office:body></office:document-content>`

// odsSheetXML wraps rows (table:table-row elements) in a sheet.
func odsSheetXML(name, rows string) string {
	return `<table:table table:name="` + xmlEsc(name) + `"><table:table-column table:number-columns-repeated="8"/>` +
		rows + `</table:table>`
}

// odsDoc is a whole content.xml holding the sheets.
func odsDoc(sheets ...string) string { return odsHead + strings.Join(sheets, "") + odsTail }

var xmlReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func xmlEsc(s string) string { return xmlReplacer.Replace(s) }

// odsText writes s as paragraph content the way LibreOffice does: a space
// at the start or after another space becomes text:s (with text:c for a run).
func odsText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != ' ' {
			j := strings.IndexByte(s[i:], ' ')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(xmlEsc(s[i : i+j]))
			i += j
			continue
		}
		n := 0
		for i+n < len(s) && s[i+n] == ' ' {
			n++
		}
		if i > 0 {
			b.WriteByte(' ')
			n--
		}
		switch {
		case n == 1:
			b.WriteString(`<text:s/>`)
		case n > 1:
			fmt.Fprintf(&b, `<text:s text:c="%d"/>`, n)
		}
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	return b.String()
}

func odsStr(s string) string {
	return `<table:table-cell office:value-type="string"><text:p>` + odsText(s) + `</text:p></table:table-cell>`
}

func odsFloat(value, shown string) string {
	return `<table:table-cell office:value-type="float" office:value="` + value + `"><text:p>` + odsText(shown) + `</text:p></table:table-cell>`
}

// odsRowXML is a row of cells (table:table-cell elements), repeated when
// repeat > 1.
func odsRowXML(repeat int, cells ...string) string {
	rep := ""
	if repeat > 1 {
		rep = fmt.Sprintf(` table:number-rows-repeated="%d"`, repeat)
	}
	return `<table:table-row` + rep + `>` + strings.Join(cells, "") + `</table:table-row>`
}

// odsEmptyRows is a run of n empty rows the width of a whole sheet.
func odsEmptyRows(n int) string {
	return odsRowXML(n, `<table:table-cell table:number-columns-repeated="16384"/>`)
}

// zipODS packs a content.xml into an ODS file.
func zipODS(t testing.TB, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	writeODSEntries(t, zw, func(w io.Writer) error { _, err := io.WriteString(w, content); return err })
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeODSEntries(t testing.TB, zw *zip.Writer, content func(io.Writer) error) {
	t.Helper()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, odsMimeType); err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		name string
		fill func(io.Writer) error
	}{
		{"META-INF/manifest.xml", func(w io.Writer) error { _, err := io.WriteString(w, odsManifest); return err }},
		{"content.xml", content},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.fill(w); err != nil {
			t.Fatal(err)
		}
	}
}

// recordsODS writes CSV records as LibreOffice would save them: a "Notes"
// sheet first (with a partial header), then sheet "Data" with a two-paragraph
// title in row 1, blank rows 2 and 3, the header in row 4 and the records
// below. Whole numbers in the quarter and count columns are float cells;
// identical neighbouring cells and rows are merged with
// number-columns-repeated and number-rows-repeated; every row ends in a run
// of empty cells and the sheet in a run of empty rows to row 1048576.
func recordsODS(t testing.TB, records [][]string) []byte {
	t.Helper()
	return zipODS(t, recordsContent(records))
}

func recordsContent(records [][]string) string {
	notes := odsRowXML(1, `<table:table-cell office:value-type="string"><text:p>Police recorded crime</text:p><text:p>Notes</text:p></table:table-cell>`) +
		odsRowXML(1, odsStr("Financial Year"), odsStr("Force Name")) +
		odsEmptyRows(1048574)
	var rows []string
	for i, rec := range records {
		var cells []string
		for j, v := range rec {
			c := odsStr(v)
			if i > 0 && (j == 1 || j == 7) {
				if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
					value := strconv.FormatInt(n, 10)
					if n == 0 && strings.HasPrefix(strings.TrimSpace(v), "-") {
						value = "-0"
					}
					c = odsFloat(value, strconv.FormatInt(n, 10))
				}
			}
			if v == "" {
				c = `<table:table-cell/>`
			}
			cells = append(cells, c)
		}
		rows = append(rows, mergeCells(cells)+`<table:table-cell table:number-columns-repeated="1016"/>`)
	}
	var data strings.Builder
	data.WriteString(odsRowXML(1, `<table:table-cell office:value-type="string"><text:p>Police recorded crime by offence,<text:s/>force and quarter</text:p>`+
		`<text:p>England and Wales</text:p></table:table-cell>`))
	data.WriteString(odsEmptyRows(2))
	for i := 0; i < len(rows); {
		n := 1
		for i+n < len(rows) && rows[i+n] == rows[i] {
			n++
		}
		data.WriteString(odsRowXML(n, rows[i]))
		i += n
	}
	data.WriteString(odsEmptyRows(1048576 - 3 - len(rows)))
	return odsDoc(odsSheetXML("Notes", notes), odsSheetXML("Data", data.String()))
}

// mergeCells merges identical neighbouring cells with number-columns-repeated.
func mergeCells(cells []string) string {
	var b strings.Builder
	for i := 0; i < len(cells); {
		n := 1
		for i+n < len(cells) && cells[i+n] == cells[i] {
			n++
		}
		c := cells[i]
		if n > 1 {
			c = strings.Replace(c, "<table:table-cell", fmt.Sprintf(`<table:table-cell table:number-columns-repeated="%d"`, n), 1)
		}
		b.WriteString(c)
		i += n
	}
	return b.String()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// plainReader hides the io.ReaderAt of its reader, so ReadODS spills to a
// temporary file.
type plainReader struct{ r io.Reader }

func (p plainReader) Read(b []byte) (int, error) { return p.r.Read(b) }

func TestReadODSMatchesCSV(t *testing.T) {
	ctx := context.Background()
	data := recordsODS(t, csvRecords(t, goodCSV))
	want, err := ReadCSV(ctx, "good.ods", strings.NewReader(goodCSV))
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	want.SHA256 = sha(data)
	exp := goodWant()
	exp.Name, exp.SHA256 = "good.ods", want.SHA256
	for name, r := range map[string]func() io.Reader{
		"in memory": func() io.Reader { return bytes.NewReader(data) },
		"spilled":   func() io.Reader { return plainReader{bytes.NewReader(data)} },
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ReadODS(ctx, "good.ods", r())
			if err != nil {
				t.Fatalf("ReadODS: %v", err)
			}
			checkExtract(t, got, want)
			checkExtract(t, got, exp) // the hand-written expectation, independently of ReadCSV
		})
	}
}

// rowDump records what odsScanner reports, one line per call.
type rowDump struct {
	lines []string
}

func (d *rowDump) startSheet(name string) { d.lines = append(d.lines, "sheet "+name) }
func (d *rowDump) endSheet() bool         { d.lines = append(d.lines, "end"); return false }
func (d *rowDump) rows(cells []string, first, repeat int64) error {
	d.lines = append(d.lines, fmt.Sprintf("%d x%d %q", first, repeat, cells))
	return nil
}

func scanContent(t *testing.T, content string) ([]string, error) {
	t.Helper()
	d := &rowDump{}
	err := newODSScanner(context.Background(), "t.ods", strings.NewReader(content), d).run()
	return d.lines, err
}

func TestODSScanner(t *testing.T) {
	cell := func(inner string) string {
		return `<table:table-cell office:value-type="string">` + inner + `</table:table-cell>`
	}
	tests := []struct {
		name    string
		content string
		want    []string
	}{
		{"paragraphs, spans, spaces, tabs, line breaks",
			odsDoc(odsSheetXML("S", odsRowXML(1,
				cell(`<text:p>a</text:p><text:p>b <text:span text:style-name="T1">c</text:span></text:p>`),
				cell(`<text:p>x<text:s text:c="3"/>y<text:s/>z</text:p>`),
				cell(`<text:p>t<text:tab/>u<text:line-break/>v</text:p>`),
				cell(`<text:p><text:a xlink:href="x">Wilt</text:a>shire &amp; <text:span>Swindon</text:span></text:p>`),
				cell(`<text:p/>`), // empty paragraph: an empty cell
				cell(`<text:p/><text:p/>`),
			))),
			[]string{"sheet S", `1 x1 ["a\nb c" "x   y z" "t\tu\nv" "Wiltshire & Swindon" "" "\n"]`, "end"}},
		{"values, annotations, covered cells",
			odsDoc(odsSheetXML("S", odsRowXML(1,
				odsFloat("1234", "1,234"),
				`<table:table-cell office:value-type="percentage" office:value="0.125"><text:p>12.5%</text:p></table:table-cell>`,
				`<table:table-cell office:value-type="float"><text:p>7</text:p></table:table-cell>`,
				`<table:table-cell office:value-type="date" office:date-value="2018-03-31"><text:p>31/03/18</text:p></table:table-cell>`,
				`<table:table-cell office:value-type="string" office:string-value="sv"><text:p>shown</text:p></table:table-cell>`,
				cell(`<office:annotation><dc:creator>me</dc:creator><text:p>a note</text:p></office:annotation><text:p>v</text:p>`),
				`<table:covered-table-cell office:value-type="string"><text:p>hidden</text:p></table:covered-table-cell>`,
				`<table:covered-table-cell/>`,
				odsStr("last"),
			))),
			[]string{"sheet S", `1 x1 ["1234" "0.125" "7" "31/03/18" "sv" "v" "" "" "last"]`, "end"}},
		{"repeated cells and rows",
			odsDoc(odsSheetXML("S",
				odsEmptyRows(3)+
					odsRowXML(2, `<table:table-cell table:number-columns-repeated="3" office:value-type="string"><text:p>r</text:p></table:table-cell>`,
						`<table:table-cell table:number-columns-repeated="2"/>`, odsStr("after gap"),
						`<table:table-cell table:number-columns-repeated="16378"/>`)+
					odsEmptyRows(1048571))),
			[]string{"sheet S", `1 x3 []`, `4 x2 ["r" "r" "r" "" "" "after gap"]`, `6 x1048571 []`, "end"}},
		{"several sheets, grouped rows, nested table skipped",
			odsDoc(odsSheetXML("One", `<table:table-header-rows>`+odsRowXML(1, odsStr("h"))+`</table:table-header-rows>`+
				`<table:table-row-group>`+odsRowXML(1, `<table:table-cell><table:table table:name="inner">`+odsRowXML(1, odsStr("no"))+
				`</table:table><text:p>yes</text:p></table:table-cell>`)+`</table:table-row-group>`),
				odsSheetXML("Two & more", odsRowXML(1, odsStr("x")))),
			[]string{"sheet One", `1 x1 ["h"]`, `2 x1 ["yes"]`, "end", "sheet Two & more", `1 x1 ["x"]`, "end"}},
		{"other prefixes",
			`<?xml version="1.0"?><o:document-content xmlns:o="` + nsOffice + `" xmlns:t="` + nsTable + `" xmlns="` + nsText + `">` +
				`<o:body><o:spreadsheet><t:table t:name="P"><t:table-row t:number-rows-repeated="2"><t:table-cell o:value-type="float" o:value="3"><p>3.0</p></t:table-cell>` +
				`<t:table-cell t:number-columns-repeated="2" o:value-type="string"><p>a<s c="2"/>b</p></t:table-cell></t:table-row></t:table></o:spreadsheet></o:body></o:document-content>`,
			[]string{"sheet P", `1 x2 ["3" "a  b" "a  b"]`, "end"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := scanContent(t, tc.content)
			if err != nil {
				t.Fatalf("scan: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestODSScannerBad(t *testing.T) {
	tests := []struct {
		name    string
		content string
		row     int
		msg     string
	}{
		{"bad row repeat", odsDoc(odsSheetXML("S", odsRowXML(1, odsStr("a"))+`<table:table-row table:number-rows-repeated="x"/>`)), 2, `table:number-rows-repeated="x"`},
		{"zero column repeat", odsDoc(odsSheetXML("S", odsRowXML(1, `<table:table-cell table:number-columns-repeated="0"/>`))), 1, "number-columns-repeated"},
		{"too many columns", odsDoc(odsSheetXML("S", odsRowXML(1, `<table:table-cell table:number-columns-repeated="16384"/>`, odsStr("x")))), 1, "too many columns"},
		{"malformed XML", odsDoc(odsSheetXML("S", odsRowXML(1, `<table:table-cell><text:p>a & b</text:p></table:table-cell>`))), 1, "content.xml"},
		{"truncated", odsHead + `<table:table table:name="S">` + odsRowXML(1, odsStr("a")), 2, "ends inside sheet"},
		{"huge cell", odsDoc(odsSheetXML("S", odsRowXML(1, `<table:table-cell><text:p>`+
			strings.Repeat(`<text:s text:c="2000000"/>`, 1025)+`</text:p></table:table-cell>`))), 1, "too long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scanContent(t, tc.content)
			var re *datasets.RowError
			if !errors.As(err, &re) || !errors.Is(err, datasets.ErrBadRow) {
				t.Fatalf("err = %v, want a *datasets.RowError wrapping ErrBadRow", err)
			}
			if re.Sheet != "S" || re.Row != tc.row || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %q (sheet %q row %d), want sheet S row %d mentioning %q", err, re.Sheet, re.Row, tc.row, tc.msg)
			}
		})
	}
}

// odsHeaderRow is the Home Office header as ODS cells.
func odsHeaderRow() string {
	var cells []string
	for _, h := range strings.Split(strings.TrimSuffix(hdr, "\n"), ",") {
		cells = append(cells, odsStr(h))
	}
	return odsRowXML(1, cells...)
}

// odsDataRow is a data row of the Home Office table; count is raw cell XML.
func odsDataRow(repeat int, year, quarter, force, code, count string) string {
	return odsRowXML(repeat, odsStr(year), odsFloat(quarter, quarter), odsStr(force), odsStr("d"), odsStr("g"), odsStr("s"), odsStr(code), count)
}

func TestReadODSRepeatsAndText(t *testing.T) {
	homicide := "1/4.1/4.10/4.2"
	content := odsDoc(odsSheetXML("Data",
		odsHeaderRow()+ // row 1
			odsDataRow(3, "2017/18", "1", "Wiltshire", homicide, odsFloat("2", "2"))+ // rows 2-4, summed
			odsEmptyRows(5)+ // rows 5-9: blank, skipped
			// row 10: the force name in spans with a text:s, the count
			// shown with a thousands separator, trailing empty cells.
			odsRowXML(1, odsStr("2017/18"), odsStr("Q2"),
				`<table:table-cell office:value-type="string"><text:p><text:span>London,</text:span><text:s/>City of</text:p></table:table-cell>`,
				`<table:table-cell table:number-columns-repeated="3" office:value-type="string"><text:p>x</text:p></table:table-cell>`,
				odsStr("8L"), odsFloat("1234", "1,234"), `<table:table-cell table:number-columns-repeated="1016"/>`)+
			// row 11: a count written as text with padding and separators.
			odsDataRow(1, "2017/18", "3", "Sussex", "8Q", odsStr(" 12,345 "))+
			odsEmptyRows(1048565))) // trailing padding: not counted
	data := zipODS(t, content)
	got, err := ReadODS(context.Background(), "r.ods", bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ReadODS: %v", err)
	}
	want := &datasets.Extract{
		Source: datasets.SourceHomeOffice, Name: "r.ods", SHA256: sha(data),
		Counts: []datasets.Count{
			hoCount(codeSussex, "8Q", 2017, 3, 12345),
			hoCount(codeCityLdn, "8L", 2017, 2, 1234),
			hoCount(codeWiltshire, homicide, 2017, 1, 6),
		},
		Coverage: []datasets.Coverage{hoCover(codeSussex, 2017, 3), hoCover(codeCityLdn, 2017, 2), hoCover(codeWiltshire, 2017, 1)},
		Stats:    datasets.Stats{Read: 10, Used: 5, Skipped: map[string]int64{SkipBlankRow: 5}},
	}
	datasets.SortCounts(want.Counts)
	checkExtract(t, got, want)
}

func TestReadODSBad(t *testing.T) {
	ok := odsDataRow(1, "2017/18", "1", "Wiltshire", "8L", odsFloat("110", "110"))
	dataSheet := func(rows string) string {
		return odsSheetXML("Data", odsRowXML(1, odsStr("Title"))+odsEmptyRows(2)+odsHeaderRow()+rows)
	}
	notes := odsSheetXML("Notes", odsRowXML(1, odsStr("About these figures")))
	noCode := strings.Replace(odsHeaderRow(), "Offence Code", "Offence", 1)
	zipWith := func(files map[string]string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range []string{"mimetype", "content.xml"} {
			if v, ok := files[n]; ok {
				w, err := zw.Create(n)
				if err != nil {
					t.Fatal(err)
				}
				io.WriteString(w, v)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tests := []struct {
		name     string
		data     []byte
		sentinel error
		sheet    string
		row      int
		column   string
		contains string
	}{
		// The header is row 4 of sheet Data, so the first data row is 5.
		{"bad count", zipODS(t, odsDoc(notes, dataSheet(ok+odsDataRow(1, "2017/18", "2", "Wiltshire", "8L", odsStr(" 12x "))))),
			datasets.ErrBadCount, "Data", 6, ColCount, `" 12x "`},
		{"fractional count", zipODS(t, odsDoc(dataSheet(odsDataRow(1, "2017/18", "2", "Wiltshire", "8L", odsFloat("12.5", "12.5"))))),
			datasets.ErrBadCount, "Data", 5, ColCount, "12.5"},
		{"blank count at the end of the row", zipODS(t, odsDoc(dataSheet(odsEmptyRows(1000)+
			odsDataRow(1, "2017/18", "2", "Wiltshire", "8L", `<table:table-cell table:number-columns-repeated="1017"/>`)))),
			datasets.ErrBadCount, "Data", 1005, ColCount, ""},
		{"duplicate in a repeated row", zipODS(t, odsDoc(dataSheet(odsEmptyRows(3)+odsDataRow(2, "2017/18", "1", "Wiltshire", "8L", odsFloat("1", "1"))))),
			datasets.ErrBadRow, "Data", 9, "", "first at row 8"},
		{"data row repeated too often", zipODS(t, odsDoc(dataSheet(ok+odsDataRow(70000, "2017/18", "1", "Wiltshire", "1/4.1/4.10/4.2", odsFloat("1", "1"))))),
			datasets.ErrBadRow, "Data", 6, "", "repeated 70000 times"},
		{"bad quarter", zipODS(t, odsDoc(dataSheet(odsDataRow(1, "2017/18", "5", "Wiltshire", "8L", odsFloat("1", "1"))))),
			datasets.ErrBadMonth, "Data", 5, ColQuarter, ""},
		{"missing column", zipODS(t, odsDoc(notes, odsSheetXML("Data", odsRowXML(1, odsStr("Title"))+noCode+ok))),
			datasets.ErrNoSuchColumn, "Data", 2, ColCode, ""},
		{"header below row 20", zipODS(t, odsDoc(odsSheetXML("Data", odsEmptyRows(20)+odsHeaderRow()+ok))),
			datasets.ErrBadHeader, "", 0, "", "first 20 rows"},
		{"no sheets", zipODS(t, odsDoc()), datasets.ErrBadHeader, "", 0, "", ""},
		{"empty file", nil, datasets.ErrUnknownFormat, "", 0, "", "not a zip"},
		{"bad XML in a sheet", zipODS(t, odsDoc(dataSheet(ok+`<table:table-row><text:p>&bogus;</text:p></table:table-row>`))),
			datasets.ErrBadRow, "Data", 6, "", "content.xml"},
		{"CSV bytes", []byte(goodCSV), datasets.ErrUnknownFormat, "", 0, "", "not a zip"},
		{"xlsx", buildXLSX(t, csvRecords(t, goodCSV), true), datasets.ErrUnknownFormat, "", 0, "", "no content.xml"},
		{"text document", zipWith(map[string]string{"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": odsDoc()}),
			datasets.ErrUnknownFormat, "", 0, "", "opendocument.text"},
		{"no mimetype", zipWith(map[string]string{"content.xml": odsDoc(dataSheet(ok))[:200]}),
			datasets.ErrBadRow, "", 0, "", "content.xml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadODS(context.Background(), "bad.ods", bytes.NewReader(tc.data))
			if got != nil {
				t.Errorf("extract = %+v, want nil with an error", got)
			}
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("err = %v, want one wrapping %v", err, tc.sentinel)
			}
			var re *datasets.RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %q (%T) is not a *datasets.RowError", err, err)
			}
			if re.File != "bad.ods" || re.Sheet != tc.sheet || re.Row != tc.row || re.Column != tc.column {
				t.Errorf("RowError at %q sheet %q row %d column %q, want %q sheet %q row %d column %q",
					re.File, re.Sheet, re.Row, re.Column, "bad.ods", tc.sheet, tc.row, tc.column)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("error %q does not mention %q", err, tc.contains)
			}
		})
	}
}

// rawZip writes one stored entry with the sizes given in its header,
// whatever the data.
func rawZip(t *testing.T, name string, data []byte, compressed, uncompressed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: compressed, UncompressedSize64: uncompressed})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadODSZipBomb(t *testing.T) {
	ctx := context.Background()
	content := []byte(odsDoc(odsSheetXML("Data", odsHeaderRow())))
	n := uint64(len(content))
	t.Run("declared too large", func(t *testing.T) {
		data := rawZip(t, "content.xml", content, n, 3<<30)
		_, err := ReadODS(ctx, "bomb.ods", bytes.NewReader(data))
		if !errors.Is(err, datasets.ErrUnknownFormat) || !strings.Contains(err.Error(), "over the limit of 2147483648") {
			t.Errorf("err = %v, want ErrUnknownFormat for content.xml over the 2 GiB limit", err)
		}
	})
	t.Run("declared ratio", func(t *testing.T) {
		data := rawZip(t, "content.xml", content, n, 200<<20)
		_, err := ReadODS(ctx, "bomb.ods", bytes.NewReader(data))
		if !errors.Is(err, datasets.ErrUnknownFormat) || !strings.Contains(err.Error(), "likely zip bomb") {
			t.Errorf("err = %v, want ErrUnknownFormat for a likely zip bomb", err)
		}
	})
	t.Run("declared smaller than it is", func(t *testing.T) {
		data := rawZip(t, "content.xml", content, n, n-10)
		_, err := ReadODS(ctx, "bomb.ods", bytes.NewReader(data))
		var re *datasets.RowError
		if !errors.As(err, &re) || !errors.Is(err, datasets.ErrBadRow) {
			t.Errorf("err = %v, want a RowError wrapping ErrBadRow", err)
		}
	})
	t.Run("real deflate bomb, lowered limits", func(t *testing.T) {
		// 8 MiB of blank rows deflate about 1000:1; with the ratio guard
		// applying from 1 MiB at 100:1 it must be refused before reading.
		big := odsDoc(odsSheetXML("Data", strings.Repeat("<table:table-row/>", 8<<20/18)))
		data := zipODS(t, big)
		lim := odsLimits{maxBytes: MaxODSBytes, maxContent: MaxODSContentBytes, ratioMinSize: 1 << 20, maxRatio: 100}
		_, err := readODS(ctx, "bomb.ods", bytes.NewReader(data), lim)
		if !errors.Is(err, datasets.ErrUnknownFormat) || !strings.Contains(err.Error(), "likely zip bomb") {
			t.Errorf("err = %v, want ErrUnknownFormat for a likely zip bomb", err)
		}
		lim.maxRatio, lim.maxContent = 1<<40, 4<<20
		_, err = readODS(ctx, "bomb.ods", bytes.NewReader(data), lim)
		if !errors.Is(err, datasets.ErrUnknownFormat) || !strings.Contains(err.Error(), "over the limit") {
			t.Errorf("err = %v, want ErrUnknownFormat for content.xml over the limit", err)
		}
		lim.maxBytes = int64(len(data) - 1)
		for _, r := range []io.Reader{bytes.NewReader(data), plainReader{bytes.NewReader(data)}} {
			if _, err = readODS(ctx, "bomb.ods", r, lim); !errors.Is(err, datasets.ErrUnknownFormat) || !strings.Contains(err.Error(), "larger than") {
				t.Errorf("err = %v, want ErrUnknownFormat for a spreadsheet over the size limit", err)
			}
		}
	})
}

// cancelReaderAt cancels a context once more than after bytes have been read.
type cancelReaderAt struct {
	*bytes.Reader
	mu     sync.Mutex
	n      int64
	after  int64
	cancel func()
}

func (c *cancelReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.Reader.ReadAt(p, off)
	c.mu.Lock()
	c.n += int64(n)
	if c.n > c.after {
		c.cancel()
	}
	c.mu.Unlock()
	return n, err
}

func TestReadODSCancelled(t *testing.T) {
	data := recordsODS(t, csvRecords(t, goodCSV))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadODS(ctx, "c.ods", bytes.NewReader(data)); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// A long sheet is abandoned part way: the context is cancelled once the
	// whole file has been hashed and the first bytes of content.xml read.
	var rows strings.Builder
	rows.WriteString(odsHeaderRow())
	for i := 0; i < 3*ctxEvery; i++ {
		y := 1950 + i/4
		rows.WriteString(odsDataRow(1, fmt.Sprintf("%d/%02d", y, (y+1)%100), strconv.Itoa(i%4+1), "Wiltshire", "8L", odsFloat("1", "1")))
	}
	data = zipODS(t, odsDoc(odsSheetXML("Data", rows.String())))
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	r := &cancelReaderAt{Reader: bytes.NewReader(data), after: int64(len(data)) + 2000, cancel: cancel2}
	if _, err := ReadODS(ctx2, "c.ods", r); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if r.n >= 2*int64(len(data)) {
		t.Errorf("read %d bytes of a %d-byte file before stopping: want it to stop early", r.n, len(data))
	}
}

// TestReadODSLibreOffice converts the real Home Office CSV to ODS with
// LibreOffice and expects the same extract from ReadODS as from ReadCSV.
// It is skipped when soffice is not installed. It takes the first 6,000
// rows to stay quick under -race (the whole file, 23,068 rows, has been
// checked the same way); set CRIMETRENDS_ODS_FULL=1 to convert all of it.
func TestReadODSLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: skipped with -short")
	}
	csvPath := realFile(t, realDirHO, realCSV)
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		soffice, err = exec.LookPath("libreoffice")
	}
	if err != nil {
		t.Skip("soffice (LibreOffice) not installed: skipping the real ODS conversion (apt-get install libreoffice-calc-nogui)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "prc.csv")
	csvData, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("CRIMETRENDS_ODS_FULL") == "" {
		lines := bytes.SplitAfter(csvData, []byte("\n"))
		csvData = bytes.Join(lines[:6001], nil)
	}
	if err := os.WriteFile(in, csvData, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "ods", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "prc.ods"))
	if err != nil {
		t.Fatalf("soffice wrote no ODS: %v", err)
	}
	ctx := context.Background()
	want, err := ReadCSV(ctx, "prc", bytes.NewReader(csvData))
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	f, err := os.Open(filepath.Join(dir, "prc.ods"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ReadODS(ctx, "prc", f)
	if err != nil {
		t.Fatalf("ReadODS: %v", err)
	}
	want.SHA256 = sha(data)
	checkExtract(t, got, want)
	if n := int64(bytes.Count(csvData, []byte("\n")) - 1); got.Stats.Read != n || n < 6000 {
		t.Errorf("read %d rows, want %d (at least 6000)", got.Stats.Read, n)
	}
}

// writeBenchODS writes an ODS of n data rows to w and returns the size of
// its content.xml. Rows are homicide rows (a composite code, so repeats are
// summed) for 44 areas, 4 quarters and 10 years, with varying counts: the
// extract stays small, and the heap measures the reader alone.
func writeBenchODS(b *testing.B, w io.Writer, n int) int64 {
	b.Helper()
	var forces []string
	for _, a := range datasets.Forces() { // the 43 forces and BTP
		forces = append(forces, a.Name)
	}
	var size int64
	zw := zip.NewWriter(w)
	writeODSEntries(b, zw, func(w io.Writer) error {
		cw := &countWriter{w: w}
		bw := bufio.NewWriterSize(cw, 64<<10)
		io.WriteString(bw, odsHead)
		io.WriteString(bw, odsSheetXML("Notes", odsRowXML(1, odsStr("Notes"))))
		io.WriteString(bw, `<table:table table:name="Data">`+odsRowXML(1, odsStr("Title"))+odsHeaderRow())
		for i := 0; i < n; i++ {
			y := 2013 + i/(len(forces)*4)%10
			io.WriteString(bw, odsRowXML(1, odsStr(fmt.Sprintf("%d/%02d", y, (y+1)%100)), odsFloat(strconv.Itoa(i%4+1), strconv.Itoa(i%4+1)),
				odsStr(forces[i/4%len(forces)]), odsStr("Homicide"),
				`<table:table-cell table:number-columns-repeated="2" office:value-type="string"><text:p>Violence against the person</text:p></table:table-cell>`,
				odsStr("1/4.1/4.10/4.2"), odsFloat(strconv.Itoa(i%7), strconv.Itoa(i%7)), `<table:table-cell table:number-columns-repeated="1016"/>`))
		}
		io.WriteString(bw, odsEmptyRows(1048576-n-2)+`</table:table>`+odsTail)
		err := bw.Flush()
		size = cw.n
		return err
	})
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return size
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// BenchmarkReadODS reads generated spreadsheets of 50,000 and 200,000 rows
// from a file. MB/s is of the uncompressed content.xml; peak-heap-MB is the
// largest live heap seen while reading (sampled every millisecond), which
// must not grow with the rows.
func BenchmarkReadODS(b *testing.B) {
	for _, n := range []int{50_000, 200_000} {
		b.Run("rows="+strconv.Itoa(n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "bench.ods")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			size := writeBenchODS(b, f, n)
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(size)
			b.ReportAllocs()
			runtime.GC()
			var peak uint64
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				stop := sampleHeap(&peak)
				ext, err := ReadODS(context.Background(), "bench.ods", f)
				stop()
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
				if ext.Stats.Read != int64(n) || ext.Stats.Used != int64(n) {
					b.Fatalf("stats %+v, want %d rows used", ext.Stats, n)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// sampleHeap records the largest live heap in *peak until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// TestReadODSPasswordProtected: a spreadsheet saved with a password (its
// manifest lists the encryption of each part) is refused with a message
// saying to save a copy without the password.
func TestReadODSPasswordProtected(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct{ name, body string }{
		{"mimetype", odsMimeType},
		{"META-INF/manifest.xml", `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="2187">
  <manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="x"/>
 </manifest:file-entry>
</manifest:manifest>`},
		{"content.xml", "\x8f\x02\xa7 not XML: encrypted bytes"},
	} {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := ReadODS(context.Background(), "tables.ods", bytes.NewReader(buf.Bytes()))
	const want = `"tables.ods" is password-protected: open it in Excel or LibreOffice and save a copy without a password, then ingest that copy`
	if err == nil || err.Error() != want || !errors.Is(err, datasets.ErrPasswordProtected) {
		t.Errorf("ReadODS: %v\nwant %s", err, want)
	}
}
