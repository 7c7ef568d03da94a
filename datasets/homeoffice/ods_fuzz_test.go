package homeoffice

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// checkODSResult asserts what every ReadODS result over in-memory input
// must satisfy: an error is a *datasets.RowError and comes without an
// extract; an extract accounts for every row.
func checkODSResult(t *testing.T, ext *datasets.Extract, err error) {
	t.Helper()
	if err != nil {
		var re *datasets.RowError
		if !errors.As(err, &re) {
			t.Fatalf("error %q (%T) is not a *datasets.RowError", err, err)
		}
		if ext != nil {
			t.Fatalf("extract %+v returned with error %v", ext, err)
		}
		return
	}
	if ext == nil {
		t.Fatal("nil extract and nil error")
	}
	if !ext.Stats.Balanced() {
		t.Fatalf("stats not balanced: %+v", ext.Stats)
	}
	if int64(len(ext.Counts)) > ext.Stats.Used {
		t.Fatalf("%d counts from %d used rows", len(ext.Counts), ext.Stats.Used)
	}
}

// odsFuzzContents are content.xml seeds: the generated table, small
// quirky sheets and the first rows of the real CSV when present.
func odsFuzzContents(f *testing.F) []string {
	seeds := []string{
		recordsContent(csvRecords(f, goodCSV)),
		odsDoc(),
		odsDoc(odsSheetXML("Data", odsHeaderRow())),
		odsDoc(odsSheetXML("Data", odsHeaderRow()+odsEmptyRows(3)+
			odsDataRow(2, "2017/18", "1", "Wiltshire", "1/4.1/4.10/4.2", odsFloat("1", "1"))+
			odsDataRow(1, "2017/18", "2", "Wiltshire", "8L", `<table:table-cell office:value-type="string"><text:p>1,<text:s/>234</text:p><text:p>x</text:p></table:table-cell>`)+
			odsRowXML(1, `<table:covered-table-cell table:number-columns-repeated="3"/>`, odsStr("UK Finance"))+
			odsEmptyRows(1000))),
		odsDoc(odsSheetXML("Notes", odsRowXML(1, odsStr("Financial Year"))), odsSheetXML("Data", odsRowXML(1, odsStr("t"))+odsHeaderRow()+
			odsDataRow(1, "2017/18", "4", "London, City of", "8Q", odsFloat("-0", "0")))),
	}
	if dir := seedDir(); dir != "" {
		if fh, err := os.Open(filepath.Join(dir, realDirHO, realCSV)); err == nil {
			var b strings.Builder
			sc := bufio.NewScanner(fh)
			for i := 0; i < 30 && sc.Scan(); i++ {
				b.WriteString(sc.Text())
				b.WriteByte('\n')
			}
			fh.Close()
			seeds = append(seeds, recordsContent(csvRecords(f, b.String())))
		}
	}
	return seeds
}

// FuzzReadODS feeds arbitrary bytes to ReadODS, seeded with generated ODS
// files: it must not panic, a failure must be a *datasets.RowError (the
// input is in memory, so nothing else can fail), and a success must
// account for every row.
func FuzzReadODS(f *testing.F) {
	for _, c := range odsFuzzContents(f) {
		f.Add(zipODS(f, c))
	}
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte(goodCSV))
	f.Fuzz(func(t *testing.T, in []byte) {
		ext, err := ReadODS(context.Background(), "fuzz.ods", bytes.NewReader(in))
		checkODSResult(t, ext, err)
	})
}

// FuzzReadODSContent fuzzes content.xml inside a valid ODS archive, which
// reaches the sheet scanner far more often than fuzzing the zip bytes.
func FuzzReadODSContent(f *testing.F) {
	for _, c := range odsFuzzContents(f) {
		f.Add(c)
	}
	f.Add(`<a><table:table><table:table-row table:number-rows-repeated="99999999999999999999"><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table></a>`)
	f.Fuzz(func(t *testing.T, content string) {
		ext, err := ReadODS(context.Background(), "fuzz.ods", bytes.NewReader(zipODS(t, content)))
		checkODSResult(t, ext, err)
	})
}
