package force

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

const wilts = "E23000038"

func TestReadCSVGenerated(t *testing.T) {
	recs := genExtract(1, 3000, date("2023-04-01"), date("2024-04-09"))
	taken := date("2024-04-10")
	in := fakeCSV(t, recs)
	ext, err := ReadCSV(context.Background(), "extracts/wilts-crime-2024-04-10.csv", bytes.NewReader(in), fakeMapping, mustCrosswalk(t))
	if err != nil {
		t.Fatal(err)
	}
	dups := int64(0)
	for _, r := range recs {
		if r.duplicate {
			dups++
		}
	}
	if !ext.Taken.Equal(taken) || ext.Force != wilts || len(ext.Records) != len(recs) {
		t.Fatalf("got taken %s force %q %d records, want %s %q %d", ext.Taken, ext.Force, len(ext.Records), taken, wilts, len(recs))
	}
	wantStats := datasets.Stats{Read: int64(len(recs)) + dups, Used: int64(len(recs))}
	if dups > 0 {
		wantStats.Skipped = map[string]int64{SkipDuplicate: dups}
	}
	if !reflect.DeepEqual(ext.Stats, wantStats) || !ext.Stats.Balanced() {
		t.Errorf("stats %+v, want %+v", ext.Stats, wantStats)
	}
	if len(ext.SHA256) != 64 {
		t.Errorf("SHA256 %q", ext.SHA256)
	}
	r0, f0 := ext.Records[0], recs[0]
	if r0.Reference != f0.ref || !r0.Recorded.Equal(f0.recorded) || r0.Code != hoOf[f0.local] || r0.Row != 2 ||
		r0.Month != datasets.MonthOf(f0.recorded.Year(), int(f0.recorded.Month())) {
		t.Errorf("first record %+v, want %+v", r0, f0)
	}
	counts, cov, rep, err := Merge([]*Extract{ext})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := countMap(counts), wantCounts(recs, wilts, taken); !reflect.DeepEqual(got, want) {
		t.Errorf("counts differ from the generator's:\n got %v\nwant %v", got, want)
	}
	// April 2024 is incomplete: coverage is April 2023..March 2024.
	if len(cov) != 12 || cov[0].Start != datasets.MonthOf(2023, 4) || cov[11].End != datasets.MonthOf(2024, 3) {
		t.Errorf("coverage %v, want 2023-04..2024-03 by month", cov)
	}
	if rep.Versions != rep.Records+rep.Cancelled+rep.Incomplete+rep.Superseded || rep.Superseded != 0 {
		t.Errorf("report %+v does not add up", rep)
	}
}

func TestReadXLSXEqualsCSV(t *testing.T) {
	recs := genExtract(2, 400, date("2024-01-01"), date("2024-03-31"))
	m := fakeMapping
	m.ExtractDate = "2024-04-02"
	cw := mustCrosswalk(t)
	fromCSV := readCSVString(t, "wilts.csv", string(fakeCSV(t, recs)), m, cw)
	fromXLSX, err := ReadXLSX(context.Background(), "wilts.xlsx", bytes.NewReader(fakeXLSX(t, recs)), m, cw)
	if err != nil {
		t.Fatal(err)
	}
	// The xlsx has a title row and a blank row above the header (row 3).
	for i := range fromXLSX.Records {
		if fromXLSX.Records[i].Row != fromCSV.Records[i].Row+2 {
			t.Fatalf("record %d row %d, want %d", i, fromXLSX.Records[i].Row, fromCSV.Records[i].Row+2)
		}
		fromXLSX.Records[i].Row -= 2
	}
	if !reflect.DeepEqual(fromXLSX.Records, fromCSV.Records) {
		t.Errorf("xlsx records differ from csv")
	}
	if !reflect.DeepEqual(fromXLSX.Stats, fromCSV.Stats) || fromXLSX.Force != wilts || !fromXLSX.Taken.Equal(date("2024-04-02")) {
		t.Errorf("xlsx stats %+v force %q taken %s; csv stats %+v", fromXLSX.Stats, fromXLSX.Force, fromXLSX.Taken, fromCSV.Stats)
	}
	c1, _, _, err1 := Merge([]*Extract{fromCSV})
	c2, _, _, err2 := Merge([]*Extract{fromXLSX})
	if err1 != nil || err2 != nil || !reflect.DeepEqual(c1, c2) || len(c1) == 0 {
		t.Errorf("merged counts differ: %v %v\n%v\n%v", err1, err2, c1, c2)
	}
}

func TestDateFormats(t *testing.T) {
	for _, tc := range []struct {
		format, value, want string // want "" means rejected
	}{
		{"", "2018-11-01", "2018-11-01"},
		{"DD/MM/YYYY", "01/11/2018", "2018-11-01"},
		{"DD/MM/YYYY", "1/11/2018", ""},
		{"D/M/YYYY", "1/11/2018", "2018-11-01"},
		{"D/M/YYYY", "01/11/2018", "2018-11-01"},
		{"DD/MM/YYYY", "11/31/2018", ""},
		{"DD/MM/YYYY HH:mm", "01/11/2018 23:59", "2018-11-01"},
		{"DD/MM/YYYY HH:mm", "01/11/2018", ""},
		{"YYYYMMDD", "20181101", "2018-11-01"},
		{"02-Jan-2006", "01-Nov-2018", "2018-11-01"},
		{"excel", "43405", "2018-11-01"},
		{"excel", "43405.75", "2018-11-01"},
		{"excel", "01/11/2018", ""},
		{"excel", "-3", ""},
		{"YYYY-MM-DD", "1850-01-01", ""},
	} {
		d, err := compileDateFormat(tc.format)
		if err != nil {
			t.Errorf("compileDateFormat(%q): %v", tc.format, err)
			continue
		}
		got, ok := d.parse(tc.value, false, false)
		if tc.want == "" {
			if ok {
				t.Errorf("%q with %q: got %s, want rejection", tc.value, tc.format, got)
			}
			continue
		}
		if !ok || !got.Equal(date(tc.want)) {
			t.Errorf("%q with %q: got %s %v, want %s", tc.value, tc.format, got, ok, tc.want)
		}
	}
	// In an xlsx a serial is accepted whatever the format.
	d, _ := compileDateFormat("DD/MM/YYYY")
	if got, ok := d.parse("43405", true, false); !ok || !got.Equal(date("2018-11-01")) {
		t.Errorf("serial in xlsx: got %s %v", got, ok)
	}
	if got, ok := d.parse("41943", true, true); !ok || !got.Equal(date("2018-11-01")) { // 1904 date system
		t.Errorf("1904 serial: got %s %v", got, ok)
	}
	for _, bad := range []string{"YYYY", "MM/YYYY", "2006-01", "hello"} {
		if _, err := compileDateFormat(bad); err == nil {
			t.Errorf("compileDateFormat(%q) accepted", bad)
		}
	}
}

func TestDateFromName(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"wilts-2024-04-01.csv", "2024-04-01"},
		{"x.zip!dir/extract_20240401.xlsx", "2024-04-01"},
		{"2024-04-01 and again 2024-04-01.csv", "2024-04-01"},
		{"2024-04-01/extract.csv", ""},
		{"a-2024-04-01-b-2024-05-01.csv", ""},
		{"crimes-v3.csv", ""},
		{"2024-04-01_2024-05-01.csv", ""},
		{"export-20240501-1200.csv", "2024-05-01"},
		{"v2-2024-05-01.csv", "2024-05-01"},
		{"ref123456789.csv", ""},
		{"2024-13-01.csv", ""},
	} {
		got, err := dateFromName(tc.name)
		if tc.want == "" {
			if !errors.Is(err, ErrNoExtractDate) {
				t.Errorf("%s: got %s, %v; want ErrNoExtractDate", tc.name, got, err)
			}
		} else if err != nil || !got.Equal(date(tc.want)) {
			t.Errorf("%s: got %s, %v; want %s", tc.name, got, err, tc.want)
		}
	}
}

func TestForceColumn(t *testing.T) {
	m := Mapping{Reference: "ref", Recorded: "recorded", Offence: "ho", ForceColumn: "force", ExtractDate: "2024-03-01"}
	in := "ref,recorded,ho,force\n1,2024-01-05,8q,Wiltshire Police\n2,2024-01-06,8L,E23000033\n1,2024-01-06,8L,Sussex\n3,2024-02-01,4.1,  wiltshire \n"
	ext := readCSVString(t, "x.csv", in, m, nil)
	var got []string
	for _, r := range ext.Records {
		got = append(got, r.AreaCode+" "+r.Reference+" "+r.Code)
	}
	want := []string{wilts + " 1 8Q", "E23000033 2 8L", "E23000033 1 8L", wilts + " 3 1/4.1/4.10/4.2"}
	if !reflect.DeepEqual(got, want) || ext.Force != "" {
		t.Errorf("got %q force %q, want %q and no single force", got, ext.Force, want)
	}
	m.Force = "Wiltshire"
	ext = readCSVString(t, "x.csv", "ref,recorded,ho,force\n1,2024-01-05,8Q,\n", m, nil)
	if ext.Records[0].AreaCode != wilts || ext.Force != wilts {
		t.Errorf("empty force cell: got %+v force %q, want %s", ext.Records[0], ext.Force, wilts)
	}
}

func TestBlankAndEmpty(t *testing.T) {
	m := Mapping{Force: "Sussex", Reference: "ref", Recorded: "recorded", Offence: "ho", ExtractDate: "2024-03-01"}
	ext := readCSVString(t, "x.csv", "ref,recorded,ho\n", m, nil)
	if len(ext.Records) != 0 || ext.Stats.Read != 0 || ext.Force != "E23000033" {
		t.Errorf("header only: %+v", ext)
	}
	ext = readCSVString(t, "x.csv", "ref,recorded,ho\n,,\n1,2024-01-01,8L\n , ,\n", m, nil)
	if ext.Stats.Read != 3 || ext.Stats.Used != 1 || ext.Stats.Skipped[SkipBlank] != 2 || !ext.Stats.Balanced() {
		t.Errorf("blank rows: stats %+v", ext.Stats)
	}
}

func TestReadErrors(t *testing.T) {
	m := Mapping{Force: "Wiltshire", Reference: "Crime Ref", Recorded: "Recorded", DateFormat: "DD/MM/YYYY",
		Offence: "Offence", Outcome: "Outcome", Cancelled: []string{"Cancelled"}, ExtractDate: "2024-04-01"}
	const hdr = "Crime Ref,Recorded,Offence,Outcome\n"
	fc := m
	fc.ForceColumn = "Force"
	noDate := m
	noDate.ExtractDate = ""
	cw := Crosswalk{"VIOL1": "8N"}
	for _, tc := range []struct {
		name    string
		file    string
		in      string
		m       Mapping
		cw      Crosswalk
		is      []error
		row     int
		column  string
		wantSub string
	}{
		{"missing column", "x.csv", "Crime Ref,Recorded,Outcome\n1,01/01/2024,\n", m, nil,
			[]error{datasets.ErrNoSuchColumn}, 1, "Offence", `"Offence"`},
		{"column twice", "x.csv", "Crime Ref,Recorded,Offence,OFFENCE,Outcome\n", m, nil,
			[]error{datasets.ErrBadHeader}, 1, "Offence", "named twice"},
		{"empty file", "x.csv", "", m, nil, []error{datasets.ErrBadHeader}, 0, "", "empty file"},
		{"bad date", "x.csv", hdr + "1,01/01/2024,8L,\n2,2024-01-02,8L,\n", m, nil,
			[]error{ErrBadDate, datasets.ErrBadMonth}, 3, "Recorded", "DD/MM/YYYY"},
		{"date after extract", "x.csv", hdr + "1,02/04/2024,8L,\n", m, nil,
			[]error{ErrAfterExtract, datasets.ErrBadMonth}, 2, "Recorded", "2024-04-01"},
		{"local code, no crosswalk", "x.csv", hdr + "1,01/01/2024,HARASS,\n", m, nil,
			[]error{datasets.ErrUnknownOffence}, 2, "Offence", "crosswalk"},
		{"code not in crosswalk", "x.csv", hdr + "1,01/01/2024,VIOL1,\n2,01/01/2024,VIOL2,\n", m, cw,
			[]error{datasets.ErrUnknownOffence}, 3, "Offence", "listed in the crosswalk"},
		{"crosswalk target unknown", "x.csv", hdr + "1,01/01/2024,X,\n", m, Crosswalk{"X": "99Z"},
			[]error{datasets.ErrUnknownOffence}, 2, "Offence", `"99Z"`},
		{"unknown HO-like code", "x.csv", hdr + "1,01/01/2024,8Z,\n", m, nil,
			[]error{datasets.ErrUnknownOffence}, 2, "Offence", "Home Office offence code"},
		{"empty reference", "x.csv", hdr + "1,01/01/2024,8L,\n ,01/01/2024,8L,\n", m, nil,
			[]error{ErrNoReference, datasets.ErrBadRow}, 3, "Crime Ref", "crime reference"},
		{"repeated reference", "x.csv", hdr + "7,01/01/2024,8L,\n7,01/01/2024,8Q,\n", m, nil,
			[]error{ErrDuplicateReference, datasets.ErrBadRow}, 3, "Crime Ref", "row 2"},
		{"unknown force", "x.csv", "Crime Ref,Recorded,Offence,Outcome,Force\n1,01/01/2024,8L,,Police Scotland\n", fc, nil,
			[]error{datasets.ErrUnknownForce}, 2, "Force", "Police Scotland"},
		{"no extract date", "crimes.csv", hdr, noDate, nil, []error{ErrNoExtractDate, datasets.ErrBadMonth}, 0, "", "file name"},
		{"bad CSV", "x.csv", hdr + "1,\"01/01/2024,8L,\n", m, nil, []error{datasets.ErrBadRow}, 2, "", "well-formed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ext, err := ReadCSV(context.Background(), tc.file, strings.NewReader(tc.in), tc.m, tc.cw)
			checkRowError(t, ext != nil, err, tc.file, tc.row, tc.column, tc.wantSub, tc.is...)
		})
	}
}

func checkRowError(t *testing.T, gotExtract bool, err error, file string, row int, column, sub string, is ...error) {
	t.Helper()
	var re *datasets.RowError
	if !errors.As(err, &re) {
		t.Fatalf("got %v (%T), want a *datasets.RowError", err, err)
	}
	if gotExtract {
		t.Errorf("an extract came back with the error")
	}
	for _, target := range is {
		if !errors.Is(err, target) {
			t.Errorf("error %q is not %v", err, target)
		}
	}
	if re.File != file || re.Row != row || re.Column != column {
		t.Errorf("got file %q row %d column %q, want %q %d %q", re.File, re.Row, re.Column, file, row, column)
	}
	if !strings.Contains(err.Error(), sub) {
		t.Errorf("error %q does not mention %q", err, sub)
	}
}

func TestReadXLSXErrors(t *testing.T) {
	recs := genExtract(3, 3, date("2024-01-01"), date("2024-01-31"))
	wb := fakeXLSX(t, recs)
	m := fakeMapping
	m.ExtractDate = "2024-04-01"
	cw := mustCrosswalk(t)

	noSheet := m
	noSheet.Sheet = "Data"
	_, err := ReadXLSX(context.Background(), "w.xlsx", bytes.NewReader(wb), noSheet, cw)
	checkRowError(t, false, err, "w.xlsx", 0, "", `"Crimes"`, ErrNoSuchSheet)

	noCol := m
	noCol.Outcome = "Result"
	_, err = ReadXLSX(context.Background(), "w.xlsx", bytes.NewReader(wb), noCol, cw)
	checkRowError(t, false, err, "w.xlsx", 3, "Result", "Result", datasets.ErrNoSuchColumn)

	_, err = ReadXLSX(context.Background(), "w.xlsx", bytes.NewReader(wb), m, nil)
	checkRowError(t, false, err, "w.xlsx", 4, "LOCAL CLASS", "crosswalk", datasets.ErrUnknownOffence)
	if re := (*datasets.RowError)(nil); errors.As(err, &re) && re.Sheet != "Crimes" {
		t.Errorf("sheet %q, want Crimes", re.Sheet)
	}

	empty := excelize.NewFile()
	var b bytes.Buffer
	if err := empty.Write(&b); err != nil {
		t.Fatal(err)
	}
	_, err = ReadXLSX(context.Background(), "e.xlsx", &b, m, cw)
	checkRowError(t, false, err, "e.xlsx", 1, "Crime Ref", "Crime Ref", datasets.ErrNoSuchColumn)

	_, err = ReadXLSX(context.Background(), "w.xlsx", strings.NewReader("not a zip"), m, cw)
	if !errors.Is(err, datasets.ErrUnknownFormat) {
		t.Errorf("not a workbook: got %v", err)
	}
}

func TestMappingValidate(t *testing.T) {
	good := Mapping{Force: "Wiltshire", Reference: "r", Recorded: "d", Offence: "o"}
	if err := good.Validate(); err != nil {
		t.Fatalf("good mapping: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*Mapping)
		sub  string
	}{
		{"no reference", func(m *Mapping) { m.Reference = " " }, "reference: a column name is required"},
		{"no force", func(m *Mapping) { m.Force = "" }, "force: name the force"},
		{"unknown force", func(m *Mapping) { m.Force = "Atlantis" }, "unknown police force"},
		{"bad date format", func(m *Mapping) { m.DateFormat = "MM/YYYY" }, "date_format"},
		{"bad extract date", func(m *Mapping) { m.ExtractDate = "01/04/2024" }, "extract_date"},
		{"cancelled without outcome", func(m *Mapping) { m.Cancelled = []string{"x"} }, "cancelled: needs an outcome"},
		{"same column twice", func(m *Mapping) { m.Outcome = " R " }, `outcome: column "R" is already mapped to reference`},
	} {
		m := good
		tc.edit(&m)
		err := m.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.sub) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.sub)
		}
		if tc.name == "unknown force" && !errors.Is(err, datasets.ErrUnknownForce) {
			t.Errorf("%s: %v does not wrap ErrUnknownForce", tc.name, err)
		}
		if _, rerr := ReadCSV(context.Background(), "x-2024-01-01.csv", strings.NewReader("r,d,o\n"), m, nil); rerr == nil {
			t.Errorf("%s: ReadCSV accepted the mapping", tc.name)
		}
	}
}

func TestReadCrosswalk(t *testing.T) {
	cw := mustCrosswalk(t)
	if len(cw) != 7 || cw["BUR-RES"] != "28E" {
		t.Errorf("crosswalk %v", cw)
	}
	if ho, ok := cw.Lookup(" stk01 "); !ok || ho != "8Q" {
		t.Errorf("Lookup(stk01) = %q %v", ho, ok)
	}
	cw, err := ReadCrosswalk("c.csv", strings.NewReader("HO_Code,Local Code\n1,MURDER\n8l,H1\n\n8L,h1\n"))
	if err != nil || !reflect.DeepEqual(cw, Crosswalk{"MURDER": "1/4.1/4.10/4.2", "H1": "8L"}) {
		t.Errorf("got %v, %v", cw, err)
	}
	for _, tc := range []struct {
		name, in string
		row      int
		column   string
		is       error
	}{
		{"no ho_code", "local_code,code\nA,8L\n", 1, "ho_code", datasets.ErrNoSuchColumn},
		{"unknown ho code", "local_code,ho_code\nA,8L\nB,8Z\n", 3, "ho_code", datasets.ErrUnknownOffence},
		{"conflict", "local_code,ho_code\nA,8L\na,8Q\n", 3, "local_code", datasets.ErrBadRow},
		{"empty local", "local_code,ho_code\n,8L\n", 2, "local_code", datasets.ErrBadRow},
		{"empty", "", 0, "", datasets.ErrBadHeader},
	} {
		_, err := ReadCrosswalk("c.csv", strings.NewReader(tc.in))
		var re *datasets.RowError
		if !errors.As(err, &re) || !errors.Is(err, tc.is) || re.Row != tc.row || re.Column != tc.column || re.File != "c.csv" {
			t.Errorf("%s: got %v, want %v at row %d column %q", tc.name, err, tc.is, tc.row, tc.column)
		}
	}
}

// cancelOnRead cancels a context on its first Read.
type cancelOnRead struct {
	r      *bytes.Reader
	cancel context.CancelFunc
}

func (c cancelOnRead) Read(p []byte) (int, error) {
	c.cancel()
	return c.r.Read(p)
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadCSV(ctx, "x-2024-01-01.csv", strings.NewReader("r\n"), fakeMapping, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: got %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	in := cancelOnRead{bytes.NewReader(fakeCSV(t, genExtract(4, 2000, date("2024-01-01"), date("2024-01-31")))), cancel}
	if _, err := ReadCSV(ctx, "x-2024-02-01.csv", in, fakeMapping, mustCrosswalk(t)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during: got %v, want context.Canceled", err)
	}
}
