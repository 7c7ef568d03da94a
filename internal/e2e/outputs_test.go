package e2e

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// hostileNames are input names that reach the outputs (the provenance
// lists of the dashboard, the workbook and the manifest): spreadsheet
// formulas and HTML. "<script>alert(1)<" is a folder, so the input is
// "<script>alert(1)</script>.csv".
var hostileNames = []string{
	"=1+2.csv",
	"+SUM(1,1).csv",
	"-2+3.csv",
	"@SUM(A1).csv",
	"=HYPERLINK(\"http---example.com\",\"x\").csv",
	"<script>alert(1)</script>.csv",
	"\"><img src=x onerror=alert(2)>.csv",
}

// TestHostileNames ingests inputs whose names are formulas or HTML, writes a
// report and checks that the workbook holds them as text (no cell of any
// sheet has a formula), that the CSVs defuse text starting with = + - @,
// and that the dashboard escapes the HTML.
func TestHostileNames(t *testing.T) {
	needAssets(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	var args []string
	for i, name := range hostileNames {
		// Each input a different month, so each is its own input.
		row := strings.Replace(streetRow, "2019-01", fmt.Sprintf("2019-%02d", i+1), 1)
		writeFile(t, filepath.Join(in, name), []byte(streetHeader+"\n"+row+"\n"))
		if first, _, ok := strings.Cut(name, "/"); ok {
			args = append(args, first) // the folder
		} else {
			args = append(args, name)
		}
	}
	// filler.csv covers 2018-08..2018-12, so that with the seven months of
	// the hostile inputs Wiltshire has a whole 12 months and the CSVs rows.
	var filler strings.Builder
	filler.WriteString(streetHeader + "\n")
	for m := 8; m <= 12; m++ {
		row := strings.Replace(streetRow, "2019-01", fmt.Sprintf("2018-%02d", m), 1)
		filler.WriteString(strings.Replace(row, "c001", fmt.Sprintf("f%03d", m), 1) + "\n") // one Crime ID per row
	}
	writeFile(t, filepath.Join(in, "filler.csv"), []byte(filler.String()))
	args = append(args, "filler.csv")
	mustRun(t, in, append([]string{"ingest", "--quiet", "--data", "../data", "--"}, args...)...)
	out := filepath.Join(dir, "out")
	mustRun(t, in, "report", "--quiet", "--data", "../data", "--out", out, "--force", "Wiltshire")

	m := readManifest(t, filepath.Join(out, "manifest.json"))
	listed := map[string]bool{}
	for _, in := range m.Inputs {
		listed[in.Name] = true
	}
	for _, name := range hostileNames {
		if !listed[name] {
			t.Errorf("manifest.json does not list input %q: the test would prove nothing", name)
		}
	}

	t.Run("workbook", func(t *testing.T) { checkWorkbook(t, filepath.Join(out, "workbook.xlsx")) })
	t.Run("sources page", func(t *testing.T) { checkDashboard(t, filepath.Join(out, "sources.html")) })
	t.Run("csv", func(t *testing.T) {
		for _, name := range []string{"trends.csv", "counts.csv"} {
			checkCSV(t, filepath.Join(out, name))
		}
	})
}

// checkWorkbook checks that no cell of any sheet is a formula, both through
// excelize and in the sheets' XML, and that the hostile names are there as
// text.
func checkWorkbook(t *testing.T, path string) {
	f, err := excelize.OpenFile(path)
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
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("sheet %q cell %s holds the formula %q (value %q)", sheet, cell, formula, v)
				}
				for _, name := range hostileNames {
					if v == name {
						found[name] = true
						typ, err := f.GetCellType(sheet, cell)
						if err != nil {
							t.Fatal(err)
						}
						if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
							t.Errorf("sheet %q cell %s %q: type %v, want a string", sheet, cell, v, typ)
						}
					}
				}
			}
		}
	}
	for _, name := range hostileNames {
		if !found[name] {
			t.Errorf("no cell holds the input name %q as text", name)
		}
	}
	// The XML itself: a formula is an <f> element, with or without a value.
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	formulaRE := regexp.MustCompile(`<f[ >/]`)
	sheets := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		sheets++
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if loc := formulaRE.FindIndex(b); loc != nil {
			t.Errorf("%s holds a formula element: %.200s", zf.Name, b[loc[0]:])
		}
	}
	if sheets == 0 {
		t.Errorf("%s has no worksheet XML", path)
	}
}

// checkDashboard checks that the HTML from the names is escaped, and that
// the names are there (escaped), so that the check is not vacuous. The
// page listing the inputs is sources.html.
func checkDashboard(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, raw := range []string{"<script>alert", "<img src=x", "</script>.csv"} {
		if i := strings.Index(page, raw); i >= 0 {
			t.Errorf("%s holds raw %q: ...%s...", filepath.Base(path), raw, page[max(0, i-80):min(len(page), i+80)])
		}
	}
	for _, escaped := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;.csv", "&lt;img src=x onerror=alert(2)&gt;.csv"} {
		if !strings.Contains(page, escaped) {
			t.Errorf("%s does not list the input as %q", filepath.Base(path), escaped)
		}
	}
}

// checkCSV checks that no cell of a CSV output starts with = + @ (or a tab
// or carriage return), and that one starting with - is a number.
func checkCSV(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s has %d records, want a header and rows", path, len(recs))
	}
	for i, rec := range recs {
		for j, v := range rec {
			if v == "" {
				continue
			}
			bad := false
			switch v[0] {
			case '=', '+', '@', '\t', '\r':
				bad = true
			case '-':
				_, err := strconv.ParseFloat(v, 64)
				bad = err != nil
			}
			if bad {
				t.Errorf("%s row %d column %q: %q would run as a formula in a spreadsheet", filepath.Base(path), i+1, recs[0][j], v)
			}
		}
	}
}
