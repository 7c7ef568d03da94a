package homeoffice

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// buildXLSX writes a workbook: a notes sheet without the table, then sheet
// "Data" with a title row, a blank row, the header and the rows. Cells that
// hold whole numbers in the Number of Offences and Financial Quarter columns
// are written as numbers when asNumbers is set.
func buildXLSX(t testing.TB, records [][]string, asNumbers bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Notes"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("Notes", "A1", "Police recorded crime: notes"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Data"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Data")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"Police recorded crime by offence, force and quarter"}); err != nil {
		t.Fatal(err)
	}
	for i, rec := range records {
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
			if asNumbers && i > 0 && (j == 1 || j == 7) {
				if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
					if i%2 == 0 {
						row[j] = n
					} else {
						row[j] = float64(n)
					}
				}
			}
		}
		cellRef, _ := excelize.CoordinatesToCellName(1, i+3) // row 2 is left blank
		if err := sw.SetRow(cellRef, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func csvRecords(t testing.TB, in string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(in)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestReadXLSXMatchesCSV(t *testing.T) {
	ctx := context.Background()
	for _, asNumbers := range []bool{false, true} {
		t.Run("numbers="+strconv.FormatBool(asNumbers), func(t *testing.T) {
			data := buildXLSX(t, csvRecords(t, goodCSV), asNumbers)
			got, err := ReadXLSX(ctx, "good.xlsx", bytes.NewReader(data))
			if err != nil {
				t.Fatalf("ReadXLSX: %v", err)
			}
			want, err := ReadCSV(ctx, "good.xlsx", strings.NewReader(goodCSV))
			if err != nil {
				t.Fatalf("ReadCSV: %v", err)
			}
			sum := sha256.Sum256(data)
			want.SHA256 = hex.EncodeToString(sum[:])
			checkExtract(t, got, want)
			// And the hand-written expectation, independently of ReadCSV.
			exp := goodWant()
			exp.Name, exp.SHA256 = "good.xlsx", want.SHA256
			checkExtract(t, got, exp)
		})
	}
}

func TestReadXLSXBad(t *testing.T) {
	ctx := context.Background()
	recs := csvRecords(t, goodCSV)
	badCount := append([][]string(nil), recs...)
	badCount[2] = append([]string(nil), recs[2]...)
	badCount[2][7] = " 12x "
	noCode := make([][]string, len(recs))
	for i, r := range recs {
		noCode[i] = append(append([]string(nil), r[:6]...), r[7])
	}
	tests := []struct {
		name     string
		data     []byte
		sentinel error
		sheet    string
		row      int
		column   string
	}{
		// Data starts at spreadsheet row 3 (header), so record 2 is row 5.
		{"bad count", buildXLSX(t, badCount, true), datasets.ErrBadCount, "Data", 5, ColCount},
		{"missing column", buildXLSX(t, noCode, false), datasets.ErrNoSuchColumn, "Data", 3, ColCode},
		{"no header at all", buildXLSX(t, nil, false), datasets.ErrBadHeader, "", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadXLSX(ctx, "bad.xlsx", bytes.NewReader(tc.data))
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("err = %v, want one wrapping %v", err, tc.sentinel)
			}
			var re *datasets.RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %q is not a *datasets.RowError", err)
			}
			if re.File != "bad.xlsx" || re.Sheet != tc.sheet || re.Row != tc.row || re.Column != tc.column {
				t.Errorf("RowError at %q sheet %q row %d column %q, want %q sheet %q row %d column %q",
					re.File, re.Sheet, re.Row, re.Column, "bad.xlsx", tc.sheet, tc.row, tc.column)
			}
		})
	}

	if _, err := ReadXLSX(ctx, "x.csv", strings.NewReader(goodCSV)); !errors.Is(err, datasets.ErrUnknownFormat) {
		t.Errorf("CSV bytes as xlsx: err = %v, want ErrUnknownFormat", err)
	}
}

// TestReadXLSXReal writes the first 3,000 rows of the real CSV into a
// workbook (counts and quarters as numbers) and expects the same extract
// from ReadXLSX as from ReadCSV. It is cut short to stay quick under -race.
func TestReadXLSXReal(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: skipped with -short")
	}
	data, err := os.ReadFile(realFile(t, realDirHO, realCSV))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	data = bytes.Join(lines[:3001], nil)
	ctx := context.Background()
	want, err := ReadCSV(ctx, "real", bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	if want.Stats.Read != 3000 || len(want.Counts) == 0 {
		t.Fatalf("CSV extract: %+v rows, %d counts", want.Stats, len(want.Counts))
	}
	x := buildXLSX(t, csvRecords(t, string(data)), true)
	got, err := ReadXLSX(ctx, "real", bytes.NewReader(x))
	if err != nil {
		t.Fatalf("ReadXLSX: %v", err)
	}
	sum := sha256.Sum256(x)
	want.SHA256 = hex.EncodeToString(sum[:])
	checkExtract(t, got, want)
}
