package homeoffice

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

const hdr = "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences\n"

// Area codes known independently of the reference data (ONS PFA tables).
const (
	codeWiltshire = "E23000038"
	codeCityLdn   = "E23000034"
	codeSussex    = "E23000033"
)

func q(year, quarter int) (datasets.Month, datasets.Month) {
	first := datasets.MonthOf(year, 4).Add(3 * (quarter - 1))
	return first, first.Add(2)
}

func hoCount(area, code string, year, quarter int, n int64) datasets.Count {
	s, e := q(year, quarter)
	return datasets.Count{Source: datasets.SourceHomeOffice, AreaCode: area, Offence: code, Start: s, End: e, Count: n}
}

func hoCover(area string, year, quarter int) datasets.Coverage {
	s, e := q(year, quarter)
	return datasets.Coverage{Source: datasets.SourceHomeOffice, AreaCode: area, Start: s, End: e}
}

// goodCSV exercises every accepted quirk: padded counts, Q-prefixed
// quarters, thousands separators, "-00", a negative adjustment, a fraud
// body, City of London's Home Office spelling, BTP and a composite code.
const goodCSV = hdr +
	`2017/18,1,Action Fraud,Fraud offences recorded by Action Fraud,Fraud offences,Fraud: action fraud,AF, 66776 ` + "\n" +
	`2017/18,1,Wiltshire,Harassment,Violence against the person,Stalking and harassment,8L, 110 ` + "\n" +
	`2017/18,Q2,Wiltshire,Harassment,Violence against the person,Stalking and harassment,8L," 1,234 "` + "\n" +
	`2017/18,1,Wiltshire,Racially or religiously aggravated harassment,Violence against the person,Stalking and harassment,8M,-00 ` + "\n" +
	`2017/18,1,"London, City of",Stalking,Violence against the person,Stalking and harassment,8Q, 3 ` + "\n" +
	`2017/18,4,British Transport Police,Malicious communications,Violence against the person,Stalking and harassment,8R,-1 ` + "\n" +
	`2017/18,1,Wiltshire,Homicide,Violence against the person,Homicide,1/4.1/4.10/4.2,-00 ` + "\n" +
	`2017/18,1,Wiltshire,Homicide,Violence against the person,Homicide,1/4.1/4.10/4.2, 1 ` + "\n" +
	`2017/18,1,Wiltshire,Homicide,Violence against the person,Homicide,1/4.1/4.10/4.2, 1 ` + "\n" +
	`2017/18,1,CIFAS,Fraud offences recorded by CIFAS,Fraud offences,Fraud: CIFAS,CIFAS, 73063 ` + "\n"

func goodWant() *datasets.Extract {
	sum := sha256.Sum256([]byte(goodCSV))
	return &datasets.Extract{
		Source: datasets.SourceHomeOffice,
		Name:   "good.csv",
		SHA256: hex.EncodeToString(sum[:]),
		Counts: []datasets.Count{
			hoCount(datasets.CodeBTP, "8R", 2017, 4, -1),
			hoCount(codeCityLdn, "8Q", 2017, 1, 3),
			hoCount(codeWiltshire, "1/4.1/4.10/4.2", 2017, 1, 2),
			hoCount(codeWiltshire, "8L", 2017, 1, 110),
			hoCount(codeWiltshire, "8L", 2017, 2, 1234),
			hoCount(codeWiltshire, "8M", 2017, 1, 0),
		},
		Coverage: []datasets.Coverage{
			hoCover(datasets.CodeBTP, 2017, 4),
			hoCover(codeCityLdn, 2017, 1),
			hoCover(codeWiltshire, 2017, 1),
			hoCover(codeWiltshire, 2017, 2),
		},
		Stats: datasets.Stats{Read: 10, Used: 8, Skipped: map[string]int64{SkipFraudBody: 2}},
	}
}

func checkExtract(t *testing.T, got, want *datasets.Extract) {
	t.Helper()
	if got.Source != want.Source || got.Name != want.Name || got.SHA256 != want.SHA256 {
		t.Errorf("header: got %q %q %q, want %q %q %q", got.Source, got.Name, got.SHA256, want.Source, want.Name, want.SHA256)
	}
	if !reflect.DeepEqual(got.Counts, want.Counts) {
		t.Errorf("counts:\n got %+v\nwant %+v", got.Counts, want.Counts)
	}
	if !reflect.DeepEqual(got.Coverage, want.Coverage) {
		t.Errorf("coverage:\n got %+v\nwant %+v", got.Coverage, want.Coverage)
	}
	if !reflect.DeepEqual(got.Stats, want.Stats) {
		t.Errorf("stats: got %+v, want %+v", got.Stats, want.Stats)
	}
	if !got.Stats.Balanced() {
		t.Errorf("stats not balanced: %+v", got.Stats)
	}
}

func TestReadCSVGood(t *testing.T) {
	ctx := context.Background()
	want := goodWant()
	got, err := ReadCSV(ctx, "good.csv", strings.NewReader(goodCSV))
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	checkExtract(t, got, want)

	// The same table with a byte order mark, CRLF line ends, underscored
	// headers in another order and case, and an extra column.
	var b strings.Builder
	b.WriteString("\ufeff")
	for i, line := range strings.Split(strings.TrimSuffix(goodCSV, "\n"), "\n") {
		if i == 0 {
			b.WriteString("idx,NUMBER_OF_OFFENCES,offence_code,Force_Name,  financial   quarter ,Financial_Year\r\n")
			continue
		}
		f := splitCSVLine(t, line)
		b.WriteString(strings.Join([]string{"x", quote(f[7]), quote(f[6]), quote(f[2]), f[1], f[0]}, ",") + "\r\n")
	}
	in := b.String()
	got, err = ReadCSV(ctx, "good.csv", strings.NewReader(in))
	if err != nil {
		t.Fatalf("ReadCSV (BOM, CRLF, underscores): %v", err)
	}
	sum := sha256.Sum256([]byte(in))
	want.SHA256 = hex.EncodeToString(sum[:])
	checkExtract(t, got, want)
}

func TestReadCSVHeaderOnly(t *testing.T) {
	for name, in := range map[string]string{
		"plain":    hdr,
		"BOM CRLF": "\ufeff" + strings.ReplaceAll(hdr, "\n", "\r\n"),
		"no EOL":   strings.TrimSuffix(hdr, "\n"),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ReadCSV(context.Background(), "h.csv", strings.NewReader(in))
			if err != nil {
				t.Fatalf("ReadCSV: %v", err)
			}
			if len(got.Counts) != 0 || len(got.Coverage) != 0 || got.Stats.Read != 0 || !got.Stats.Balanced() {
				t.Errorf("got %+v, want an empty extract", got)
			}
			sum := sha256.Sum256([]byte(in))
			if got.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("SHA256 = %s, want %x", got.SHA256, sum)
			}
		})
	}
}

func TestReadCSVBad(t *testing.T) {
	const ok = `2017/18,1,Wiltshire,Harassment,VAP,S&H,8L, 110 ` + "\n"
	row := func(year, quarter, force, code, count string) string {
		return strings.Join([]string{year, quarter, quote(force), "d", "g", "s", quote(code), quote(count)}, ",") + "\n"
	}
	tests := []struct {
		name     string
		in       string
		sentinel error
		row      int
		column   string
		contains []string // in err.Error()
	}{
		{"missing column", strings.Replace(hdr, "Offence Code", "Offence", 1) + ok,
			datasets.ErrNoSuchColumn, 1, ColCode, []string{"Offence Code", "want a header naming"}},
		{"missing count column", "Financial Year,Financial Quarter,Force Name,Offence Code\n",
			datasets.ErrNoSuchColumn, 1, ColCount, nil},
		{"empty file", "", datasets.ErrBadHeader, 0, "", []string{"empty"}},
		{"column named twice", strings.TrimSuffix(hdr, "\n") + ",Number of Offences\n" + strings.TrimSuffix(ok, "\n") + ",7\n",
			datasets.ErrBadHeader, 1, ColCount, []string{"column named twice", "each column named once"}},
		{"bad year", hdr + ok + row("2017/19", "1", "Wiltshire", "8L", "1"),
			datasets.ErrBadMonth, 3, ColYear, []string{"2017/19"}},
		{"year as month", hdr + row("2017-04", "1", "Wiltshire", "8L", "1"),
			datasets.ErrBadMonth, 2, ColYear, nil},
		{"bad quarter", hdr + ok + row("2017/18", "5", "Wiltshire", "8L", "1"),
			datasets.ErrBadMonth, 3, ColQuarter, []string{`"5"`}},
		{"bad quarter Q0", hdr + row("2017/18", "Q0", "Wiltshire", "8L", "1"),
			datasets.ErrBadMonth, 2, ColQuarter, nil},
		{"bad count", hdr + ok + row("2017/18", "2", "Wiltshire", "8L", " 12x "),
			datasets.ErrBadCount, 3, ColCount, []string{`" 12x "`}},
		{"blank count", hdr + row("2017/18", "2", "Wiltshire", "8L", "  "),
			datasets.ErrBadCount, 2, ColCount, nil},
		{"fractional count", hdr + row("2017/18", "2", "Wiltshire", "8L", "12.5"),
			datasets.ErrBadCount, 2, ColCount, nil},
		{"bad thousands", hdr + row("2017/18", "2", "Wiltshire", "8L", "1,23"),
			datasets.ErrBadCount, 2, ColCount, nil},
		{"bare minus", hdr + row("2017/18", "2", "Wiltshire", "8L", "-"),
			datasets.ErrBadCount, 2, ColCount, nil},
		{"unknown force", hdr + ok + ok[:0] + row("2017/18", "2", "Wiltshre", "8L", "1"),
			datasets.ErrUnknownForce, 3, ColForce, []string{"Wiltshre", "Wiltshire"}},
		{"unknown code", hdr + row("2017/18", "2", "Wiltshire", "8Z", "1"),
			datasets.ErrUnknownOffence, 2, ColCode, []string{"8Z"}},
		{"duplicate row", hdr + ok + row("2017/18", "2", "Sussex", "8L", "1") + ok,
			datasets.ErrBadRow, 4, "", []string{"duplicate row for force Wiltshire, offence 8L, quarter 2017/18 Q1", "first at row 2"}},
		{"duplicate via other spelling", hdr + row("2017/18", "1", "London, City of", "8L", "1") + row("2017/18", "Q1", "City of London", "8L", "1"),
			datasets.ErrBadRow, 3, "", []string{"duplicate row"}},
		{"short row", hdr + "2017/18,1,Wiltshire\n",
			datasets.ErrBadRow, 2, "Offence Code", []string{"fields"}},
		{"bad quoting", hdr + ok + "2017/18,1,\"Wilt\"shire,d,g,s,8L,1\n",
			datasets.ErrBadRow, 3, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadCSV(context.Background(), "bad.csv", strings.NewReader(tc.in))
			if err == nil {
				t.Fatalf("ReadCSV = %+v, nil; want an error wrapping %v", got, tc.sentinel)
			}
			if got != nil {
				t.Errorf("extract = %+v, want nil with an error", got)
			}
			if !errors.Is(err, tc.sentinel) {
				t.Errorf("error %q does not wrap %q", err, tc.sentinel)
			}
			var re *datasets.RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %q (%T) is not a *datasets.RowError", err, err)
			}
			if re.File != "bad.csv" || re.Row != tc.row || re.Column != tc.column {
				t.Errorf("RowError at %q row %d column %q, want %q row %d column %q",
					re.File, re.Row, re.Column, "bad.csv", tc.row, tc.column)
			}
			for _, s := range tc.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

func TestReadCSVCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadCSV(ctx, "c.csv", strings.NewReader(goodCSV)); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// A long input is abandoned part way through: the context is cancelled
	// once the reader has consumed the first 1000 bytes.
	var b strings.Builder
	b.WriteString(hdr)
	for i := 0; i < 3*ctxEvery; i++ {
		y := 1950 + i/4
		fmt.Fprintf(&b, "%d/%02d,%d,Wiltshire,d,g,s,8L,1\n", y, (y+1)%100, i%4+1)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	r := &cancelReader{r: strings.NewReader(b.String()), after: 1000, cancel: cancel2}
	if _, err := ReadCSV(ctx2, "c.csv", r); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// cancelReader calls cancel once more than after bytes have been read.
type cancelReader struct {
	r      io.Reader
	n      int
	after  int
	cancel func()
}

func (c *cancelReader) Read(p []byte) (int, error) {
	if len(p) > 512 {
		p = p[:512]
	}
	n, err := c.r.Read(p)
	c.n += n
	if c.n > c.after {
		c.cancel()
	}
	return n, err
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		in      string
		numeric bool
		want    int64
		ok      bool
	}{
		{" 66776 ", false, 66776, true},
		{"-00 ", false, 0, true},
		{"-45 ", false, -45, true},
		{"1,234,567", false, 1234567, true},
		{"12,34", false, 0, false},
		{",123", false, 0, false},
		{"1234,", false, 0, false},
		{"12x", false, 0, false},
		{"", false, 0, false},
		{"+5", false, 0, false},
		{"12.0", false, 0, false},
		{"12.0", true, 12, true},
		{"6.6776E4", true, 66776, true},
		{"12.5", true, 0, false},
		{"NaN", true, 0, false},
		{"99999999999999999999", false, 0, false},
	}
	for _, tc := range tests {
		got, ok := parseCount(tc.in, tc.numeric)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseCount(%q, %v) = %d, %v; want %d, %v", tc.in, tc.numeric, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseQuarter(t *testing.T) {
	tests := []struct {
		in      string
		numeric bool
		want    int
		ok      bool
	}{
		{"1", false, 1, true}, {" 4 ", false, 4, true}, {"Q2", false, 2, true}, {"q3", false, 3, true},
		{"0", false, 0, false}, {"5", false, 0, false}, {"Q", false, 0, false}, {"", false, 0, false},
		{"1.0", false, 0, false}, {"1.0", true, 1, true}, {"4.5", true, 0, false}, {"Q12", false, 0, false},
	}
	for _, tc := range tests {
		got, ok := parseQuarter(tc.in, tc.numeric)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseQuarter(%q, %v) = %d, %v; want %d, %v", tc.in, tc.numeric, got, ok, tc.want, tc.ok)
		}
	}
}

// quote writes a CSV field, quoting it when needed.
func quote(s string) string {
	if strings.ContainsAny(s, ",\"\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// splitCSVLine splits one CSV line with encoding/csv.
func splitCSVLine(t *testing.T, line string) []string {
	t.Helper()
	rec, err := csv.NewReader(strings.NewReader(line)).ReadAll()
	if err != nil || len(rec) != 1 {
		t.Fatalf("split %q: %v", line, err)
	}
	return rec[0]
}
