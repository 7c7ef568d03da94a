// Package workbook opens spreadsheet inputs (xlsx) for the readers, with the
// limits that keep a hostile file from exhausting memory or disk: a cap on
// the compressed size and on what excelize may unzip. It says what a file
// that is not an xlsx workbook is where it can: a password-protected
// (encrypted) workbook or an Excel 97-2003 .xls, both OLE2 compound files
// (read with github.com/richardlehane/mscfb, excelize's own), each with
// what to do.
package workbook

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// Limits bound what Open reads. A zero field takes the default.
type Limits struct {
	MaxBytes  int64 // the compressed workbook; default 256 MiB
	MaxUnzip  int64 // all parts, unzipped (as declared in the zip directory); default 1 GiB
	MaxXMLMem int64 // one worksheet or the shared strings held in memory; larger ones spill to disk; default 256 MiB
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes == 0 {
		l.MaxBytes = 256 << 20
	}
	if l.MaxUnzip == 0 {
		l.MaxUnzip = 1 << 30
	}
	if l.MaxXMLMem == 0 {
		l.MaxXMLMem = 256 << 20
	}
	return l
}

// Open reads the workbook named name from r, within lim, and returns it
// with the SHA-256 of its bytes. The caller must Close the file. A file that
// is not a workbook is an error wrapping datasets.ErrUnknownFormat; a
// password-protected (encrypted) workbook, an OLE2 compound file holding
// "EncryptionInfo" and "EncryptedPackage" where a zip was expected, is
// datasets.PasswordProtected's error, which says to save a copy without the
// password; an Excel 97-2003 .xls says to save it as .xlsx.
func Open(name string, r io.Reader, lim Limits) (*excelize.File, [32]byte, error) {
	lim = lim.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, [32]byte{}, fmt.Errorf("read %q: %w", name, err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, [32]byte{}, fmt.Errorf("read %q: the workbook is larger than %d bytes, the limit for a workbook: save the sheet with the figures as CSV and ingest that", name, lim.MaxBytes)
	}
	sum := sha256.Sum256(data)
	if bytes.HasPrefix(data, oleMagic) {
		return nil, sum, oleError(name, data)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: lim.MaxUnzip, UnzipXMLSizeLimit: lim.MaxXMLMem})
	switch {
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return nil, sum, datasets.PasswordProtected(name)
	case err != nil:
		return nil, sum, fmt.Errorf("open %q: %w: %w (want an .xlsx workbook as Excel or LibreOffice saves it)", name, datasets.ErrUnknownFormat, err)
	}
	return f, sum, nil
}

// oleMagic starts an OLE2 compound file (CFB): the container of an
// encrypted .xlsx and of the Excel 97-2003 .xls format.
var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// oleError says what an OLE2 compound file given as a workbook is, by the
// streams it holds: an encrypted workbook ("EncryptionInfo" and
// "EncryptedPackage", ECMA-376 part 2), an Excel 97-2003 workbook
// ("Workbook" or "Book"), or another Office document.
func oleError(name string, data []byte) error {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return &datasets.RowError{File: name, Err: fmt.Errorf("%w: a damaged OLE2 compound file (%v)", datasets.ErrUnknownFormat, err),
			Want: "an .xlsx workbook; open the file in Excel or LibreOffice and save it as .xlsx"}
	}
	var xls bool
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		switch entry.Name {
		case "EncryptionInfo", "EncryptedPackage":
			return datasets.PasswordProtected(name)
		case "Workbook", "Book":
			xls = true
		}
	}
	if xls {
		return &datasets.RowError{File: name, Err: fmt.Errorf("%w: an Excel 97-2003 workbook (.xls)", datasets.ErrUnknownFormat),
			Want: "an .xlsx workbook: open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook), then ingest that copy"}
	}
	return &datasets.RowError{File: name, Err: fmt.Errorf("%w: an OLE2 compound file (an Office 97-2003 document?), not a workbook", datasets.ErrUnknownFormat),
		Want: "an .xlsx workbook"}
}
