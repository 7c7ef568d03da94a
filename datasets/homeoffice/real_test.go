package homeoffice

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"math"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// stalkingCodes make up stalking and harassment (DOMAIN.md section 4).
var stalkingCodes = map[string]bool{"8L": true, "8M": true, "8Q": true, "8R": true}

const homicideCode = "1/4.1/4.10/4.2"

// readReal reads one of the real Home Office CSVs, failing the test on error.
func readReal(t *testing.T, file string) ([]byte, *datasets.Extract) {
	t.Helper()
	data, err := os.ReadFile(realFile(t, realDirHO, file))
	if err != nil {
		t.Fatal(err)
	}
	ext, err := ReadCSV(context.Background(), file, bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ReadCSV(%s): %v", file, err)
	}
	return data, ext
}

// sumBy totals counts of the given codes over the 2017/18 financial year, by area.
func sumBy(ext *datasets.Extract, codes map[string]bool) map[string]int64 {
	from, to := datasets.MonthOf(2017, 4), datasets.MonthOf(2018, 3)
	out := map[string]int64{}
	for _, c := range ext.Counts {
		if codes[c.Offence] && c.Start >= from && c.End <= to {
			out[c.AreaCode] += c.Count
		}
	}
	return out
}

func TestRealCSV(t *testing.T) {
	data, ext := readReal(t, realCSV)

	// wc -l gives 23069 lines: a header and 23,068 data rows, every line
	// ending in LF and none holding a quoted newline.
	const dataRows = 23068
	if n := bytes.Count(data, []byte("\n")) - 1; n != dataRows {
		t.Fatalf("file has %d data lines, want %d", n, dataRows)
	}
	// Fraud bodies: Action Fraud 4, CIFAS 4, Financial Fraud Action UK 1,
	// UK Finance 3. The rest are the 43 forces and BTP, 524 rows each.
	want := datasets.Stats{Read: dataRows, Used: 44 * 524, Skipped: map[string]int64{SkipFraudBody: 12}}
	if !reflect.DeepEqual(ext.Stats, want) {
		t.Errorf("stats = %+v, want %+v", ext.Stats, want)
	}
	if !ext.Stats.Balanced() {
		t.Errorf("stats not balanced: %+v", ext.Stats)
	}
	sum := sha256.Sum256(data)
	if ext.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s, want %x", ext.SHA256, sum)
	}
	if ext.Source != datasets.SourceHomeOffice || ext.Name != realCSV {
		t.Errorf("source, name = %q, %q", ext.Source, ext.Name)
	}
	// Homicide has four rows (one per component offence) per force and
	// quarter; every other code one. 44 areas x 4 quarters x 3 extra rows.
	if got, want := len(ext.Counts), 44*524-44*4*3; got != want {
		t.Errorf("%d counts, want %d", got, want)
	}
	if len(ext.Coverage) != 44*4 {
		t.Errorf("%d coverage entries, want %d", len(ext.Coverage), 44*4)
	}
	areas := map[string]int{}
	for _, cv := range ext.Coverage {
		areas[cv.AreaCode]++
		if cv.Source != datasets.SourceHomeOffice || cv.End != cv.Start.Add(2) ||
			cv.Start < datasets.MonthOf(2017, 4) || cv.Start > datasets.MonthOf(2018, 1) || cv.Start.MonthOfYear()%3 != 1 {
			t.Errorf("bad coverage %+v", cv)
		}
	}
	if len(areas) != 44 || areas[datasets.CodeBTP] != 4 || areas[codeCityLdn] != 4 {
		t.Errorf("coverage areas = %v, want 44 areas with 4 quarters each, BTP and City of London included", areas)
	}
	sorted := append([]datasets.Count(nil), ext.Counts...)
	datasets.SortCounts(sorted)
	if !reflect.DeepEqual(sorted, ext.Counts) {
		t.Error("counts are not sorted")
	}

	sh := sumBy(ext, stalkingCodes)
	// SOURCES.md section 3: Wiltshire 1,896 and Sussex 6,242.
	if sh[codeWiltshire] != 1896 || sh[codeSussex] != 6242 {
		t.Errorf("stalking and harassment 2017/18: Wiltshire %d, Sussex %d; want 1896, 6242", sh[codeWiltshire], sh[codeSussex])
	}
}

// TestRealNewCSV reads the derived copy of the same table (underscored
// headers, an unnamed index column, an extra column, no padding, "0" for
// "-00") and expects the same extract.
func TestRealNewCSV(t *testing.T) {
	_, a := readReal(t, realCSV)
	_, b := readReal(t, realNewCSV)
	if !reflect.DeepEqual(a.Counts, b.Counts) {
		t.Error("counts differ between the two copies of the table")
	}
	if !reflect.DeepEqual(a.Coverage, b.Coverage) {
		t.Error("coverage differs between the two copies of the table")
	}
	if !reflect.DeepEqual(a.Stats, b.Stats) {
		t.Errorf("stats: %+v and %+v", a.Stats, b.Stats)
	}
}

// onsRow is one area of an ONS PFA table.
type onsRow struct {
	code, name string
	cells      []string
}

var (
	footnoteRE = regexp.MustCompile(`[\d,]+$`)
	areaCodeRE = regexp.MustCompile(`^[EWK]\d{8}`)
)

// onsNorm folds an ONS header or name: white space collapsed, footnote
// digits stripped, lower case.
func onsNorm(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ToLower(strings.TrimSpace(footnoteRE.ReplaceAllString(s, "")))
}

// onsTable reads the sheet whose trimmed name is sheet and returns the
// index of each wanted column (by normalised header) and the force, BTP and
// England and Wales rows keyed by area code (BTP as datasets.CodeBTP).
// Area codes may carry glued footnote digits ("E230000246").
func onsTable(t *testing.T, f *excelize.File, sheet string, headers ...string) (map[string]int, map[string]onsRow) {
	t.Helper()
	name := ""
	for _, s := range f.GetSheetList() {
		if strings.TrimSpace(s) == sheet {
			name = s
		}
	}
	if name == "" {
		t.Fatalf("no sheet %q in %v", sheet, f.GetSheetList())
	}
	rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string]int{}
	out := map[string]onsRow{}
	for _, r := range rows {
		for j, c := range r {
			for _, h := range headers {
				if _, seen := cols[h]; !seen && onsNorm(c) == h {
					cols[h] = j
				}
			}
		}
		if len(r) < 2 {
			continue
		}
		code := strings.TrimSpace(r[0])
		switch {
		case areaCodeRE.MatchString(code):
			code = code[:9]
		case code == "" && onsNorm(r[1]) == "british transport police":
			code = datasets.CodeBTP
		default:
			continue
		}
		if strings.HasPrefix(code, "E23") || strings.HasPrefix(code, "W15") ||
			code == datasets.CodeEnglandWales || code == datasets.CodeBTP {
			if _, dup := out[code]; dup {
				t.Fatalf("%s: area %s twice", sheet, code)
			}
			out[code] = onsRow{code: code, name: onsNorm(r[1]), cells: r}
		}
	}
	for _, h := range headers {
		if _, ok := cols[h]; !ok {
			t.Fatalf("%s: no column %q", sheet, h)
		}
	}
	return cols, out
}

// previousYear derives the year ending March 2018 figure from the YE March
// 2019 count and its percentage change; ok is false where ONS suppressed the
// change ("-", base under 50).
func previousYear(t *testing.T, p1, p2 string) (int64, bool) {
	t.Helper()
	now, err := strconv.ParseInt(strings.TrimSpace(p1), 10, 64)
	if err != nil {
		t.Fatalf("P1 count %q: %v", p1, err)
	}
	pct, err := strconv.ParseFloat(strings.TrimSpace(p2), 64)
	if err != nil {
		return 0, false
	}
	return int64(math.Round(float64(now) / (1 + pct/100))), true
}

// TestRealAgainstONS checks the reader against published ONS figures: the
// 12 months to March 2018 of stalking and harassment for every force, BTP
// and England and Wales, as revised in the YE March 2019 release
// (round(P1 / (1 + P2/100))), must equal the 2017/18 sums read from the
// Home Office table, exactly. An independent sum of the CSV with
// encoding/csv (no reader, no force resolution) must agree too.
func TestRealAgainstONS(t *testing.T) {
	wb, err := excelize.OpenFile(realFile(t, "ons-pfa-tables", "policeforceareatablesyeendingmarch2019.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	const sh, hom = "stalking and harassment", "homicide"
	c1, p1 := onsTable(t, wb, "Table P1", sh, hom)
	c2, p2 := onsTable(t, wb, "Table P2", sh, hom)
	if len(p1) != 45 || len(p2) != 45 {
		t.Fatalf("ONS rows: P1 %d, P2 %d; want 45 (43 forces, BTP, England and Wales)", len(p1), len(p2))
	}

	data, ext := readReal(t, realCSV)
	got := sumBy(ext, stalkingCodes)
	if len(got) != 44 {
		t.Fatalf("reader has stalking and harassment for %d areas, want 44", len(got))
	}
	var ew int64
	for _, n := range got {
		ew += n
	}
	got[datasets.CodeEnglandWales] = ew

	// Independent cross-check: sum the raw CSV by force name.
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]int64{}
	for _, r := range recs[1:] {
		if stalkingCodes[r[6]] {
			n, err := strconv.ParseInt(strings.TrimSpace(r[7]), 10, 64)
			if err != nil {
				t.Fatalf("count %q: %v", r[7], err)
			}
			byName[onsNorm(r[2])] += n
			byName["england and wales"] += n
		}
	}

	matched := 0
	for code, r1 := range p1 {
		r2, ok := p2[code]
		if !ok {
			t.Errorf("%s %s: not in P2", code, r1.name)
			continue
		}
		want, ok := previousYear(t, r1.cells[c1[sh]], r2.cells[c2[sh]])
		if !ok {
			t.Errorf("%s %s: P2 stalking and harassment %q is not a number", code, r1.name, r2.cells[c2[sh]])
			continue
		}
		cross, ok := byName[r1.name]
		if !ok {
			t.Errorf("%s %s: no CSV rows with that force name", code, r1.name)
		}
		if got[code] != want || cross != want {
			t.Errorf("%s %s: reader %d, encoding/csv %d, ONS YE Mar 2018 (revised) %d", code, r1.name, got[code], cross, want)
			continue
		}
		matched++
	}
	t.Logf("stalking and harassment YE March 2018: %d of %d areas match ONS exactly", matched, len(p1))

	// Homicide is published as four rows per force and quarter under one
	// composite code; they must be summed. ONS gives a change only where the
	// base is at least 50: Greater Manchester, the Met and England and Wales.
	hs := sumBy(ext, map[string]bool{homicideCode: true})
	var hew int64
	for _, n := range hs {
		hew += n
	}
	hs[datasets.CodeEnglandWales] = hew
	checked := 0
	for code, r1 := range p1 {
		want, ok := previousYear(t, r1.cells[c1[hom]], p2[code].cells[c2[hom]])
		if !ok {
			continue
		}
		checked++
		if hs[code] != want {
			t.Errorf("%s %s homicide: reader %d, ONS YE Mar 2018 (revised) %d", code, r1.name, hs[code], want)
		}
	}
	if checked != 3 {
		t.Errorf("checked homicide for %d areas, want 3 (GMP, Met, England and Wales)", checked)
	}
}
