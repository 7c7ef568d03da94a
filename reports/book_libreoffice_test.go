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
	"strconv"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/pipeline"
)

// sofficeCSVFilter exports every sheet (the last token, -1; LibreOffice 7.2
// or later) as UTF-8 CSV with the values stored, not as shown.
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

// convert runs LibreOffice headless on dir/workbook.xlsx with a profile of
// its own under profile.
func convert(t *testing.T, soffice, profile, dir, to string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.ToSlash(profile),
		"--convert-to", to, "--outdir", dir, filepath.Join(dir, "workbook.xlsx"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+profile, "LC_ALL=C.UTF-8")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to %s: %v\n%s", to, err, out)
	}
}

// pdfPages counts the pages of a PDF LibreOffice wrote (its page objects
// are not compressed).
func pdfPages(t *testing.T, path string) int {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(body, -1))
}

func readCSVFile(t *testing.T, path string) [][]string {
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

// TestWorkbookLibreOffice opens the golden workbook and the real seed
// report's in LibreOffice: each must convert without repair, print on few
// pages (A4 landscape, one page wide), and every sheet must export, with
// the numbers of the ranking and Figures sheets reading back as the
// model's. -short skips it unless CI is set (each conversion takes seconds).
func TestWorkbookLibreOffice(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("-short: skipping the LibreOffice round trip")
	}
	soffice := findSoffice(t)
	profile := filepath.Join(t.TempDir(), "profile")
	cases := []struct {
		name     string
		rep      func(*testing.T) *pipeline.Report
		meta     Meta
		maxPages int
	}{
		// 17 pages when written: Cover 2, the three offences 5, Comparisons
		// 1, Reconciliation 2, Figures 2, Completeness 2, Notes 2, Sources
		// 1.
		{"golden", func(t *testing.T) *pipeline.Report { return bookReport(t) }, bookMeta(), 20},
		// 16 pages when written (the old workbook printed on 53): Cover 1,
		// Stalking and harassment 3, Comparisons 1, Reconciliation 4 (222
		// revisions), Figures 5 (448 figures), Notes 1, Sources 1.
		{"real seed", realSeedReport, Meta{Version: "test"}, 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := tc.rep(t)
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "workbook.xlsx"), renderBook(t, rep, tc.meta), 0o644); err != nil {
				t.Fatal(err)
			}
			convert(t, soffice, profile, dir, "pdf")
			if n := pdfPages(t, filepath.Join(dir, "workbook.pdf")); n == 0 || n > tc.maxPages {
				t.Errorf("the workbook prints on %d pages, want 1 to %d", n, tc.maxPages)
			}
			convert(t, soffice, profile, dir, sofficeCSVFilter)
			for _, s := range WorkbookSheets(rep, tc.meta) {
				if _, err := os.Stat(filepath.Join(dir, "workbook-"+s+".csv")); err != nil {
					t.Errorf("sheet %q was not exported: %v", s, err)
				}
			}
			checkRankingReadBack(t, dir, rep)
			checkFiguresReadBack(t, dir, rep)
		})
	}
}

// checkRankingReadBack compares each ranking sheet's rows, as LibreOffice
// reads them, with the topic's quoted figures.
func checkRankingReadBack(t *testing.T, dir string, rep *pipeline.Report) {
	t.Helper()
	names := newSheetNamer()
	for _, n := range []string{SheetCover, SheetComparisons, SheetReconciliation, SheetFigures, SheetNotes, SheetSources} {
		names.name(n)
	}
	checked := 0
	for _, tp := range rep.Topics {
		sheet := names.name(topicSheetName(tp))
		if len(tp.Areas) == 0 {
			continue
		}
		recs := readCSVFile(t, filepath.Join(dir, "workbook-"+sheet+".csv"))
		if len(recs) < rankingHeaderRow+len(tp.Areas) {
			t.Fatalf("sheet %q: %d rows read back, want %d", sheet, len(recs), rankingHeaderRow+len(tp.Areas))
		}
		for i, f := range tp.Areas {
			r := recs[rankingHeaderRow+i]
			pct := ""
			if f.HasPct {
				pct = strconv.FormatFloat(round1(f.PctChange), 'f', -1, 64)
			}
			if cellAt(r, 1) != f.AreaName || cellAt(r, 4) != strconv.FormatInt(f.Count, 10) || cellAt(r, 7) != pct {
				t.Errorf("sheet %q row %d: %q, want %s %d %s", sheet, rankingHeaderRow+1+i, r, f.AreaName, f.Count, pct)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Error("no ranking rows read back: the test proves nothing")
	}
}

// checkFiguresReadBack compares the Figures sheet's counts and percentage
// changes with the report's figures, row by row.
func checkFiguresReadBack(t *testing.T, dir string, rep *pipeline.Report) {
	t.Helper()
	recs := readCSVFile(t, filepath.Join(dir, "workbook-"+SheetFigures+".csv"))
	const header = 3
	if len(recs) != header+len(rep.Figures) {
		t.Fatalf("Figures: %d rows read back, want %d", len(recs), header+len(rep.Figures))
	}
	for i, f := range rep.Figures {
		r := recs[header+i]
		count, pct := "", ""
		if f.HasCount {
			count = strconv.FormatInt(f.Count, 10)
		}
		if f.HasPct {
			pct = strconv.FormatFloat(round1(f.PctChange), 'f', -1, 64)
		}
		if cellAt(r, 0) != yes(f.Quoted) || cellAt(r, 3) != f.AreaCode || cellAt(r, 5) != f.PeriodEnd.String() || cellAt(r, 7) != count || cellAt(r, 12) != pct {
			t.Errorf("Figures row %d: %q, want %s %s %s count %s pct %s", header+1+i, r, yes(f.Quoted), f.AreaCode, f.PeriodEnd, count, pct)
		}
	}
}
