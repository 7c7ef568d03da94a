package force

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// A fake force extract, shaped like a records-system export: a local
// classification code (mapped to Home Office codes by crosswalkCSV), a
// recorded date written DD/MM/YYYY, a status that may say the record was
// cancelled or transferred, free text, and identical duplicate rows as left
// by a join in the export.

const crosswalkCSV = `local_code,ho_code,description
HAR01,8L,Harassment
HAR02,8M,Racially or religiously aggravated harassment
STK01,8Q,Stalking
MAL01,8R,Malicious communications
ABH01,8N,Assault with injury
BUR-RES,28E,Burglary - residential
SHOP,46,Shoplifting
`

var localCodes = []string{"HAR01", "HAR02", "STK01", "MAL01", "ABH01", "BUR-RES", "SHOP"}

var hoOf = map[string]string{"HAR01": "8L", "HAR02": "8M", "STK01": "8Q", "MAL01": "8R", "ABH01": "8N", "BUR-RES": "28E", "SHOP": "46"}

var statuses = []string{"Investigation complete", "Under investigation", "Charged", "No Crime", "Transferred"}

// fakeMapping maps the columns genExtract writes.
var fakeMapping = Mapping{
	Force:      "Wiltshire Police",
	Reference:  "Crime Ref",
	Recorded:   "date recorded", // case differs from the header on purpose
	DateFormat: "DD/MM/YYYY",
	Offence:    "Local_Class",
	Outcome:    "Status",
	Cancelled:  []string{"no crime", "TRANSFERRED"},
}

// fakeRecord is one record as the generator knows it.
type fakeRecord struct {
	ref       string
	recorded  time.Time
	local     string
	status    string
	duplicate bool // written twice
}

// genExtract makes n records recorded between from and to (inclusive dates).
func genExtract(seed uint64, n int, from, to time.Time) []fakeRecord {
	rng := rand.New(rand.NewPCG(seed, 7))
	days := int(to.Sub(from).Hours()/24) + 1
	out := make([]fakeRecord, n)
	for i := range out {
		out[i] = fakeRecord{
			ref:       fmt.Sprintf("54%02d%06d", from.Year()%100, 100000+i),
			recorded:  from.AddDate(0, 0, rng.IntN(days)),
			local:     localCodes[rng.IntN(len(localCodes))],
			status:    statuses[rng.IntN(len(statuses))],
			duplicate: rng.IntN(20) == 0,
		}
	}
	return out
}

// fakeCSV writes records as the force's CSV export.
func fakeCSV(t testing.TB, recs []fakeRecord) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	b.WriteString("\ufeff")
	w.Write([]string{"Crime Ref", "Date Recorded", "LOCAL CLASS", "Beat", "Status", "Notes"})
	for _, r := range recs {
		row := []string{r.ref, r.recorded.Format("02/01/2006"), r.local, "B12", r.status, "free text, with \"quotes\""}
		w.Write(row)
		if r.duplicate {
			w.Write(row)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fakeXLSX writes records as a workbook whose dates are numeric serials,
// under a title row and a blank row.
func fakeXLSX(t testing.TB, recs []fakeRecord) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Crimes"
	f.SetSheetName("Sheet1", sheet)
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellValue(sheet, "A1", "Crime extract - OFFICIAL SENSITIVE")
	f.SetSheetRow(sheet, "A3", &[]any{"Crime Ref", "Date Recorded", "LOCAL CLASS", "Beat", "Status", "Notes"})
	row := 4
	for _, r := range recs {
		n := 1
		if r.duplicate {
			n = 2
		}
		for range n {
			cell := fmt.Sprintf("A%d", row)
			f.SetSheetRow(sheet, cell, &[]any{r.ref, r.recorded, r.local, "B12", r.status, "free text"})
			f.SetCellStyle(sheet, fmt.Sprintf("B%d", row), fmt.Sprintf("B%d", row), style)
			row++
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wantCounts counts the generator's records independently of the reader:
// cancelled statuses out, months before taken's month only.
func wantCounts(recs []fakeRecord, area string, taken time.Time) map[string]int64 {
	out := map[string]int64{}
	limit := time.Date(taken.Year(), taken.Month(), 1, 0, 0, 0, 0, time.UTC)
	for _, r := range recs {
		if r.status == "No Crime" || r.status == "Transferred" || !r.recorded.Before(limit) {
			continue
		}
		out[fmt.Sprintf("%s %s %s", area, hoOf[r.local], r.recorded.Format("2006-01"))]++
	}
	return out
}

func countMap(cs []datasets.Count) map[string]int64 {
	out := map[string]int64{}
	for _, c := range cs {
		if c.Start != c.End || c.Source != Source {
			panic(fmt.Sprintf("unexpected count %+v", c))
		}
		out[fmt.Sprintf("%s %s %s", c.AreaCode, c.Offence, c.Start)] += c.Count
	}
	return out
}

func mustCrosswalk(t testing.TB) Crosswalk {
	t.Helper()
	cw, err := ReadCrosswalk("crosswalk.csv", bytes.NewReader([]byte(crosswalkCSV)))
	if err != nil {
		t.Fatal(err)
	}
	return cw
}

func readCSVString(t testing.TB, name, in string, m Mapping, cw Crosswalk) *Extract {
	t.Helper()
	ext, err := ReadCSV(context.Background(), name, bytes.NewReader([]byte(in)), m, cw)
	if err != nil {
		t.Fatalf("ReadCSV(%s): %v", name, err)
	}
	return ext
}

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}
