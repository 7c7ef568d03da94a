package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"
)

// A package written through bookZip is byte for byte the one archive/zip's
// writer gives when every part is written whole, in the order bookZip
// sorts them, with the same rewriting: deflating as the parts arrive, in
// pieces, changes nothing.
func TestBookZipMatchesArchiveZip(t *testing.T) {
	stamp := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	charts := []*chart{{values: "'R'!$H$5:$H$9", points: []int{1}}}
	var big strings.Builder
	for i := range 200000 {
		fmt.Fprintf(&big, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Area %d</t></is></c><c r="B%d"><v>%d</v></c></row>`, i, i, i%44, i, i*7919%100003)
	}
	parts := []struct{ name, body string }{
		{"xl/worksheets/sheet2.xml", big.String()},
		{"docProps/app.xml", `<Properties><Application>crimetrends</Application></Properties>`},
		{"xl/charts/chart1.xml", `<chartSpace><ser><idx val="0"/><dLbls/><cat/><val><numRef><f>&#39;R&#39;!$H$5:$H$9</f></numRef></val></ser></chartSpace>`},
		{"[Content_Types].xml", `<Types><Default Extension="xml" ContentType="b"/><Default Extension="png" ContentType="a"/><Override PartName="/z" ContentType="c"/></Types>`},
		{"xl/empty.xml", ""},
		{"xl/worksheets/sheet1.xml", `<worksheet>ü</worksheet>`},
	}
	z := newBookZip(stamp, charts)
	for _, p := range parts {
		w, err := z.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		// In pieces, as excelize copies a streamed sheet.
		for b := []byte(p.body); len(b) > 0; {
			n := min(len(b), 32*1024+7)
			if _, err := w.Write(b[:n]); err != nil {
				t.Fatal(err)
			}
			b = b[n:]
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := z.writeTo(&got); err != nil {
		t.Fatal(err)
	}

	sorted := append(parts[:0:0], parts...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].name, sorted[j].name
		if (a == "[Content_Types].xml") != (b == "[Content_Types].xml") {
			return a == "[Content_Types].xml"
		}
		return a < b
	})
	var want bytes.Buffer
	zw := zip.NewWriter(&want)
	for _, p := range sorted {
		body := []byte(p.body)
		switch {
		case p.name == "[Content_Types].xml":
			body = sortContentTypes(body)
		case strings.HasPrefix(p.name, "xl/charts/chart"):
			body = colourPoints(body, charts[0])
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("bookZip wrote %d bytes, archive/zip %d; they differ", got.Len(), want.Len())
	}
	// And it reads back whole.
	zr, err := zip.NewReader(bytes.NewReader(got.Bytes()), int64(got.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, rc); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		rc.Close()
	}
}
