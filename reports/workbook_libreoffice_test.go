package reports

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// sofficeCSVFilter exports every sheet (the last token, -1; LibreOffice 7.2
// or later) as UTF-8 CSV with raw values, not as shown, and no formulas.
const sofficeCSVFilter = `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`

// findSoffice returns the LibreOffice binary, or skips the test when there
// is none; with CI set a missing LibreOffice fails the test instead.
func findSoffice(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("soffice not found and CI is set: install the Debian package libreoffice-calc-nogui")
	}
	t.Skip("soffice not found: install libreoffice-calc-nogui (apt-get) to run the LibreOffice round trip")
	return ""
}

// convert runs LibreOffice headless on dir/workbook.xlsx with its own
// profile under dir.
func convert(t *testing.T, soffice, dir, to string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", to, "--outdir", dir, filepath.Join(dir, "workbook.xlsx"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "LC_ALL=C.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice --convert-to %s: %v\n%s", to, err, out)
	}
}

// TestWorkbookLibreOffice opens the golden-test workbook in LibreOffice:
// it must convert (no repair needed), every sheet must export, the Trends
// sheet must read back as the trend rows, and the tables, defined names,
// charts (one on a secondary axis) and conditional formats must survive
// into LibreOffice's own format.
//
// It takes a few seconds, so -short skips it unless CI is set.
func TestWorkbookLibreOffice(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("-short: skipping the LibreOffice round trip")
	}
	soffice := findSoffice(t)
	dir := t.TempDir()
	v := goldenWorkbookView()
	if err := os.WriteFile(filepath.Join(dir, "workbook.xlsx"), renderWorkbook(t, v), 0o644); err != nil {
		t.Fatal(err)
	}

	convert(t, soffice, dir, sofficeCSVFilter)
	sheets, _ := WorkbookSheets(v)
	for _, s := range sheets {
		if _, err := os.Stat(filepath.Join(dir, "workbook-"+s+".csv")); err != nil {
			if _, one := os.Stat(filepath.Join(dir, "workbook.csv")); one == nil {
				t.Fatal("LibreOffice exported only the first sheet: version 7.2 or later is needed")
			}
			t.Errorf("sheet %q was not exported: %v", s, err)
		}
	}
	trends := readCSV(t, filepath.Join(dir, "workbook-"+SheetTrends+".csv"))
	if len(trends) == 0 || !equalStrings(trends[0], TrendsHeader) {
		t.Fatalf("LibreOffice Trends header %q, want %q", trends, TrendsHeader)
	}
	checkTrendRows(t, "LibreOffice", trends[1:], v.Trends, 1e-12)
	cover := readCSV(t, filepath.Join(dir, "workbook-"+SheetCover+".csv"))
	if len(cover) < 2 || cover[0][0] != v.Title || cover[1][0] != SyntheticBanner {
		t.Errorf("LibreOffice Cover starts %q, want the title and the synthetic warning", cover[:min(2, len(cover))])
	}

	convert(t, soffice, dir, "fods")
	body, err := os.ReadFile(filepath.Join(dir, "workbook.fods"))
	if err != nil {
		t.Fatal(err)
	}
	fods := string(body)
	want := map[string]int{
		`<table:database-range table:name="tbl_`:                     8,
		`<table:named-range table:name="`:                            8,
		`<chart:chart `:                                              5,
		`chart:attached-axis="secondary-y"`:                          1,
		`<calcext:conditional-format calcext:target-range-address="`: 4,
	}
	for s, n := range want {
		if got := strings.Count(fods, s); got != n {
			t.Errorf("LibreOffice's copy has %d of %s, want %d", got, s, n)
		}
	}
	for _, s := range []string{
		`<table:database-range table:name="tbl_Trends" table:target-range-address="Trends.A1:Trends.K12" table:display-filter-buttons="true"/>`,
		`<table:named-range table:name="Trends_Data" table:base-cell-address="$Cover.$A$1" table:cell-range-address="$Trends.$A$1:.$K$12"/>`,
		`<calcext:conditional-format calcext:target-range-address="Trends.I2:Trends.I12">`,
		`<number:text>▲ +</number:text>`,
		`<number:text>▼ -</number:text>`,
	} {
		if !strings.Contains(fods, s) {
			t.Errorf("LibreOffice's copy lacks %s", s)
		}
	}
	if m := regexp.MustCompile(`table:formula="[^"]*"`).FindString(fods); m != "" {
		t.Errorf("LibreOffice's copy holds a formula: %s", m)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil && !errors.Is(err, csv.ErrFieldCount) {
		t.Fatal(fmt.Errorf("%s: %w", path, err))
	}
	return recs
}
