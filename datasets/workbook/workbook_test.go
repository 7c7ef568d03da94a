package workbook

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// newWorkbook writes a one-sheet workbook, encrypted when password is not
// empty (excelize writes an ECMA-376 agile-encrypted OLE2 file, as Excel
// does).
func newWorkbook(t *testing.T, password string) []byte {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetCellValue("Sheet1", "A1", "Force Name"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b, excelize.Options{Password: password}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// utf16Name is a compound file directory entry's name as stored.
func utf16Name(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// renameStreams renames the streams of an encrypted workbook's compound
// file to "Workbook", the stream of an Excel 97-2003 .xls.
func renameStreams(t *testing.T, data []byte) []byte {
	t.Helper()
	out := bytes.Clone(data)
	for _, old := range []string{"EncryptionInfo", "EncryptedPackage"} {
		i := bytes.Index(out, utf16Name(old))
		if i < 0 {
			t.Fatalf("no directory entry %q in the encrypted workbook", old)
		}
		entry := out[i : i+66]
		clear(entry[:64])
		copy(entry, utf16Name("Workbook"))
		binary.LittleEndian.PutUint16(entry[64:], uint16(2*len("Workbook")+2))
	}
	return out
}

func TestOpenRefusals(t *testing.T) {
	encrypted := newWorkbook(t, "s3cret")
	if !bytes.HasPrefix(encrypted, oleMagic) {
		t.Fatalf("excelize did not write an OLE2 file for a password: % x", encrypted[:8])
	}
	tests := []struct {
		name, file string
		data       []byte
		is         error
		want       string
	}{
		{"encrypted", "in/table\n1.xlsx", encrypted, datasets.ErrPasswordProtected,
			`"in/table\n1.xlsx" is password-protected: open it in Excel or LibreOffice and save a copy without a password, then ingest that copy`},
		{"xls", "old.xlsx", renameStreams(t, encrypted), datasets.ErrUnknownFormat,
			`"old.xlsx": unrecognised input format: an Excel 97-2003 workbook (.xls): want an .xlsx workbook: open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook), then ingest that copy`},
		{"damaged OLE2", "x.xlsx", append(bytes.Clone(oleMagic), make([]byte, 100)...), datasets.ErrUnknownFormat,
			`"x.xlsx": unrecognised input format: a damaged OLE2 compound file`},
		{"not a zip", "notes.xlsx", []byte("just some text\n"), datasets.ErrUnknownFormat,
			`open "notes.xlsx": unrecognised input format: zip: not a valid zip file (want an .xlsx workbook as Excel or LibreOffice saves it)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, err := Open(tt.file, bytes.NewReader(tt.data), Limits{})
			if err == nil {
				f.Close()
				t.Fatal("opened")
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("%v does not wrap %v", err, tt.is)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
		})
	}
	// The same workbook without a password opens.
	f, _, err := Open("plain.xlsx", bytes.NewReader(newWorkbook(t, "")), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
}
