package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

// TestIngestHomeOfficeWorkbook checks that an xlsx that is not an ONS
// release goes to the Home Office reader, and gives the counts the same
// table as CSV gives.
func TestIngestHomeOfficeWorkbook(t *testing.T) {
	rows := [][]any{
		{"Home Office police recorded crime open data"}, // a title row above the header
		{},
		{"Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group", "Offence Subgroup", "Offence Code", "Number of Offences"},
		{"2017/18", 1, "Wiltshire", "Harassment", "Violence against the person", "Stalking and harassment", "8L", 120},
		{"2017/18", 1, "London, City of", "Stalking", "Violence against the person", "Stalking and harassment", "8Q", 3},
	}
	dir := t.TempDir()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	xlsx := filepath.Join(dir, "prc.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "prc.csv")
	body := "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences\n" +
		"2017/18,1,Wiltshire,Harassment,Violence against the person,Stalking and harassment,8L, 120 \n" +
		"2017/18,1,\"London, City of\",Stalking,Violence against the person,Stalking and harassment,8Q, 3 \n"
	if err := os.WriteFile(csv, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fromXLSX, _ := openStore(t)
	res, err := Ingest(ctx, fromXLSX, []string{xlsx}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inputs[0].Format != "xlsx" || res.Inputs[0].Source != "homeoffice" {
		t.Errorf("xlsx input read as format %q, source %q; want xlsx, homeoffice", res.Inputs[0].Format, res.Inputs[0].Source)
	}
	fromCSV, _ := openStore(t)
	if _, err := Ingest(ctx, fromCSV, []string{csv}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	a, err := fromXLSX.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fromCSV.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Counts) != 2 || !reflect.DeepEqual(a.Counts, b.Counts) {
		t.Errorf("xlsx counts %+v\ncsv counts %+v", a.Counts, b.Counts)
	}
}

// TestIngestPasswordProtectedWorkbook: an encrypted workbook, found in a
// folder, stops the ingest with a message naming it and saying to save a
// copy without the password, never its bytes.
func TestIngestPasswordProtectedWorkbook(t *testing.T) {
	dir := t.TempDir()
	f := excelize.NewFile()
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"Financial Year", "Financial Quarter", "Force Name", "Offence Description",
		"Offence Group", "Offence Subgroup", "Offence Code", "Number of Offences"}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "in", "prc.xlsx")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(p, excelize.Options{Password: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	st, _ := openStore(t)
	_, err := Ingest(context.Background(), st, []string{filepath.Join(dir, "in")}, IngestOptions{})
	want := strconv.Quote(p) + " is password-protected: open it in Excel or LibreOffice and save a copy without a password, then ingest that copy"
	if err == nil || !errors.Is(err, datasets.ErrPasswordProtected) || !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("Ingest: %v\nwant an error ending %s", err, want)
	}
}

// TestIngestRenamedONSSheets: a real ONS release whose table sheets were
// renamed is still recognised as an ONS release by its content, and the
// ingest says which table is missing and which sheet looks like it,
// instead of calling it a Home Office table without its header.
func TestIngestRenamedONSSheets(t *testing.T) {
	src := testutil.Real(t, "ons-pfa-tables", "policeforceareatablesyearendingseptember2019.xlsx")
	tests := []struct {
		name    string
		renames [][2]string
		want    string
	}{
		{"P1 renamed", [][2]string{{"Table P1", "Counts"}},
			`: an ONS Police Force Area workbook, but it has no sheet "Table P1" (sheets: "Notes", "Counts", "Table P2", "Table P3", "Table P4 ", "Table P5", "Table P6"): ` +
				`sheet "Counts" has the title of Table P1: rename it "Table P1" in Excel or LibreOffice, or ingest the workbook as ONS published it`},
		// No sheet named like a table is left: the titles and column
		// names still say what it is.
		{"every table renamed", [][2]string{{"Table P1", "A"}, {"Table P2", "B"}, {"Table P3", "C"}, {"Table P4 ", "D"}, {"Table P5", "E"}, {"Table P6", "F"}},
			`no sheet "Table P1" (sheets: "Notes", "A", "B", "C", "D", "E", "F"): sheet "A" has the title of Table P1: rename it "Table P1"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := excelize.OpenFile(src)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tc.renames {
				if err := f.SetSheetName(r[0], r[1]); err != nil {
					t.Fatal(err)
				}
			}
			p := filepath.Join(t.TempDir(), "ons.xlsx")
			if err := f.SaveAs(p); err != nil {
				t.Fatal(err)
			}
			f.Close()
			st, _ := openStore(t)
			_, err = Ingest(context.Background(), st, []string{p}, IngestOptions{})
			if !errors.Is(err, datasets.ErrNoSuchSheet) || !strings.Contains(err.Error(), "ingest: "+strconv.Quote(p)+": an ONS") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Ingest: %v\nwant ErrNoSuchSheet and a message naming the file and containing %s", err, tc.want)
			}
		})
	}
}
