package e2e

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Lines of a police.uk street-level file used by the generated cases.
const (
	streetHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"
	streetRow    = "c001,2019-01,Wiltshire Police,Wiltshire Police,-1.8,51.5,On or near Park Road,E01031000,Swindon 001A,Burglary,Under investigation,"
)

const (
	bigField  = 10 << 20 // the "10 MB field"
	bombSize  = 2 << 30  // what a bomb's entry inflates to
	bombChunk = 16 << 20 // a bomb is built from one compressed chunk of this many filler bytes, repeated
)

// generators make the cases of EXPECTED.txt that are not committed, at
// path (a file, or for symlink-out a folder).
var generators = map[string]func(t *testing.T, path string){
	"big-field.csv":        genBigField,
	"big-quoted-field.csv": genBigQuotedField,
	"zip-bomb.zip":         genZipBomb,
	"xlsx-bomb.xlsx":       genXLSXBomb,
	"symlink-out":          genSymlinkOut,
}

// genBigField writes a street file whose second row has a 10 MB Location.
func genBigField(t *testing.T, path string) {
	var b bytes.Buffer
	b.WriteString(streetHeader + "\n")
	b.WriteString("c001,2019-01,Wiltshire Police,Wiltshire Police,-1.8,51.5,")
	b.Write(bytes.Repeat([]byte("x"), bigField))
	b.WriteString(",E01031000,Swindon 001A,Burglary,Under investigation,\n")
	writeFile(t, path, b.Bytes())
}

// genBigQuotedField writes a street file whose second row has a 10 MB
// quoted Location holding commas and newlines, so that the reader has to
// keep reading lines to find the closing quote.
func genBigQuotedField(t *testing.T, path string) {
	var b bytes.Buffer
	b.WriteString(streetHeader + "\n")
	b.WriteString(`c001,2019-01,Wiltshire Police,Wiltshire Police,-1.8,51.5,"`)
	line := "On or near Park Road, Swindon, \"quoted\"\n"
	b.WriteString(strings.Repeat(line, bigField/len(line)))
	b.WriteString(`",E01031000,Swindon 001A,Burglary,Under investigation,` + "\n")
	writeFile(t, path, b.Bytes())
}

// bombEntry is a real deflate stream of prefix, size bytes of filler and
// suffix, with its CRC-32: the filler is compressed once (about 1000:1)
// and the chunk repeated, so a 2 GiB entry costs two megabytes and a CRC
// pass to make.
type bombEntry struct {
	data       []byte
	crc        uint32
	compressed uint64
	size       uint64
}

func makeBomb(t *testing.T, prefix []byte, filler byte, size int, suffix []byte) bombEntry {
	t.Helper()
	if testing.Short() {
		t.Skip("making a 2 GiB bomb takes seconds: skipping in -short mode")
	}
	if size%bombChunk != 0 {
		t.Fatalf("bomb size %d is not a multiple of %d", size, bombChunk)
	}
	flush := func(b []byte, final bool) []byte {
		var out bytes.Buffer
		w, err := flate.NewWriter(&out, flate.DefaultCompression)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
		if final {
			err = w.Close()
		} else {
			err = w.Flush() // ends on a byte boundary: chunks can be concatenated
		}
		if err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	fill := bytes.Repeat([]byte{filler}, bombChunk)
	chunk := flush(fill, false)
	var data bytes.Buffer
	data.Write(flush(prefix, false))
	crc := crc32.Update(0, crc32.IEEETable, prefix)
	for range size / bombChunk {
		data.Write(chunk)
		crc = crc32.Update(crc, crc32.IEEETable, fill)
	}
	data.Write(flush(suffix, true))
	crc = crc32.Update(crc, crc32.IEEETable, suffix)
	return bombEntry{data: data.Bytes(), crc: crc, compressed: uint64(data.Len()),
		size: uint64(len(prefix) + size + len(suffix))}
}

// addRaw adds a precompressed entry to w.
func (e bombEntry) addRaw(t *testing.T, w *zip.Writer, name string) {
	t.Helper()
	fw, err := w.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: e.crc,
		CompressedSize64: e.compressed, UncompressedSize64: e.size})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(e.data); err != nil {
		t.Fatal(err)
	}
}

// checkInflates reads the first n bytes of entry name of the zip archive at
// path and checks they start with want: the bomb is real, not just a
// header that lies about its size (archive/zip would stop a lie anyway).
func checkInflates(t *testing.T, path, name string, want []byte, n int64) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		got, err := io.ReadAll(io.LimitReader(rc, n))
		if err != nil {
			t.Fatalf("inflate %s!%s: %v", path, name, err)
		}
		if int64(len(got)) != n || !bytes.HasPrefix(got, want) {
			t.Fatalf("%s!%s inflates to %d bytes starting %.60q, want %d starting %.60q", path, name, len(got), got, n, want)
		}
		if ratio := f.UncompressedSize64 / f.CompressedSize64; ratio <= 1000 {
			t.Fatalf("%s!%s: ratio %d, want over 1000 (a bomb)", path, name, ratio)
		}
		return
	}
	t.Fatalf("%s has no entry %s", path, name)
}

// genZipBomb writes a zip archive whose one street CSV inflates to a header,
// a row and 2 GiB of newlines.
func genZipBomb(t *testing.T, path string) {
	const name = "2019-01/2019-01-wiltshire-street.csv"
	prefix := []byte(streetHeader + "\n" + streetRow + "\n")
	e := makeBomb(t, prefix, '\n', bombSize, nil)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	e.addRaw(t, w, name)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	checkInflates(t, path, name, prefix, 64<<20)
}

// genXLSXBomb writes a Home Office table as xlsx (made with excelize) whose
// first sheet's XML has 2 GiB of blanks inserted after <sheetData>.
func genXLSXBomb(t *testing.T, path string) {
	x := excelize.NewFile()
	sheet := x.GetSheetName(0)
	rows := [][]any{
		{"Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group", "Offence Subgroup", "Offence Code", "Number of Offences"},
		{"2017/18", 1, "Wiltshire", "Harassment", "Violence against the person", "Stalking and harassment", "8L", 12},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var small bytes.Buffer
	if _, err := x.WriteTo(&small); err != nil {
		t.Fatal(err)
	}
	x.Close()

	zr, err := zip.NewReader(bytes.NewReader(small.Bytes()), int64(small.Len()))
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(out)
	const sheetXML = "xl/worksheets/sheet1.xml"
	var prefix []byte
	for _, f := range zr.File {
		if f.Name != sheetXML {
			if err := w.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		xml, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(xml, []byte("<sheetData>"))
		if i < 0 {
			t.Fatalf("%s has no <sheetData>: %.200s", sheetXML, xml)
		}
		i += len("<sheetData>")
		prefix = xml[:i]
		makeBomb(t, prefix, ' ', bombSize, xml[i:]).addRaw(t, w, sheetXML)
	}
	if prefix == nil {
		t.Fatalf("the workbook excelize wrote has no %s", sheetXML)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	checkInflates(t, path, sheetXML, prefix, 64<<20)
}

// genSymlinkOut makes a folder holding a good file and a symbolic link to
// a file beside the folder.
func genSymlinkOut(t *testing.T, path string) {
	outside := filepath.Join(filepath.Dir(path), "outside.csv")
	writeFile(t, outside, []byte(streetHeader+"\n"+streetRow+"\n"))
	writeFile(t, filepath.Join(path, "good.csv"), []byte(streetHeader+"\n"+streetRow+"\n"))
	if err := os.Symlink(filepath.Join("..", "outside.csv"), filepath.Join(path, "evil.csv")); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
}
