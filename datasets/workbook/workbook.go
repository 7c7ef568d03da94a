// Package workbook opens spreadsheet inputs (xlsx) for the readers, with the
// limits that keep a hostile file from exhausting memory or disk: a cap on
// the compressed size and on what excelize may unzip.
package workbook

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"

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
// is not a workbook is an error wrapping datasets.ErrUnknownFormat.
func Open(name string, r io.Reader, lim Limits) (*excelize.File, [32]byte, error) {
	lim = lim.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, [32]byte{}, fmt.Errorf("read %q: %w", name, err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, [32]byte{}, fmt.Errorf("read %q: workbook larger than %d bytes", name, lim.MaxBytes)
	}
	sum := sha256.Sum256(data)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: lim.MaxUnzip, UnzipXMLSizeLimit: lim.MaxXMLMem})
	if err != nil {
		return nil, sum, fmt.Errorf("open %q: %w: %w", name, datasets.ErrUnknownFormat, err)
	}
	return f, sum, nil
}
