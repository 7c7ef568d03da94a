package policeuk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// codeWiltshire is Wiltshire's ONS police force area code (as in
// ../shared/data/real/mopd-popm/population_data.csv).
const codeWiltshire = "E23000038"

const (
	catVSO  = "Violence and sexual offences"
	catASB  = "Anti-social behaviour"
	catBurg = "Burglary"
)

func month(t testing.TB, s string) datasets.Month {
	t.Helper()
	m, err := datasets.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func count(t testing.TB, area, offence, m string, n int64) datasets.Count {
	mm := month(t, m)
	return datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: area, Offence: offence, Start: mm, End: mm, Count: n}
}

func cover(t testing.TB, area, m string) datasets.Coverage {
	mm := month(t, m)
	return datasets.Coverage{Source: datasets.SourcePoliceUK, AreaCode: area, Start: mm, End: mm}
}

func row(id, m, force, crimeType string) string {
	return id + "," + m + "," + force + "," + force + ",-1.8,51.1,On or near High Street,E01031000,Wiltshire 001A," + crimeType + ",Under investigation,\n"
}

func wilts(id, m, crimeType string) string { return row(id, m, "Wiltshire Police", crimeType) }

func TestReadGood(t *testing.T) {
	hdr := Header + "\n"
	tests := []struct {
		name     string
		in       string
		counts   []datasets.Count
		coverage []datasets.Coverage
		stats    datasets.Stats
	}{
		{
			name:  "header only",
			in:    hdr,
			stats: datasets.Stats{},
		},
		{
			name:  "header only without newline",
			in:    Header,
			stats: datasets.Stats{},
		},
		{
			name: "crimes, ASB, duplicate ID and BTP",
			in: hdr + wilts("a1", "2018-10", catVSO) + wilts("", "2018-10", catASB) + wilts("", "2018-10", catASB) +
				wilts("a1", "2018-10", catVSO) + wilts("a2", "2018-10", catVSO) +
				row("b1", "2018-10", "British Transport Police", "Other theft"),
			counts: []datasets.Count{
				count(t, datasets.CodeBTP, "Other theft", "2018-10", 1),
				count(t, codeWiltshire, catASB, "2018-10", 2),
				count(t, codeWiltshire, catVSO, "2018-10", 2),
			},
			coverage: []datasets.Coverage{cover(t, datasets.CodeBTP, "2018-10"), cover(t, codeWiltshire, "2018-10")},
			stats:    datasets.Stats{Read: 6, Used: 5, Skipped: map[string]int64{ReasonDuplicate: 1}},
		},
		{
			name: "BOM, CRLF and two months",
			in: "\xEF\xBB\xBF" + strings.ReplaceAll(hdr+wilts("a1", "2018-10", catBurg)+wilts("a2", "2018-11", catBurg)+
				wilts("a3", "2018-11", catBurg), "\n", "\r\n"),
			counts: []datasets.Count{
				count(t, codeWiltshire, catBurg, "2018-10", 1),
				count(t, codeWiltshire, catBurg, "2018-11", 2),
			},
			coverage: []datasets.Coverage{cover(t, codeWiltshire, "2018-10"), cover(t, codeWiltshire, "2018-11")},
			stats:    datasets.Stats{Read: 3, Used: 3},
		},
		{
			name: "quoted comma, quoted newline and doubled quotes",
			in: hdr + `a1,2018-10,Wiltshire Police,Wiltshire Police,-1.8,51.1,"On or near Park, Lane",E01,W 001A,"Burglary",,` + "\n" +
				`a2,2018-10,"Wiltshire Police",Wiltshire Police,-1.8,51.1,"On or near ""The""` + "\r\n" + `Green",E01,W 001A,Burglary,"x, y",` + "\n" +
				wilts("a3", "2018-10", catVSO),
			counts: []datasets.Count{
				count(t, codeWiltshire, catBurg, "2018-10", 2),
				count(t, codeWiltshire, catVSO, "2018-10", 1),
			},
			coverage: []datasets.Coverage{cover(t, codeWiltshire, "2018-10")},
			stats:    datasets.Stats{Read: 3, Used: 3},
		},
		{
			name: "last line without newline and trailing blank lines",
			in:   hdr + wilts("a1", "2018-10", catVSO) + strings.TrimSuffix(wilts("a2", "2018-10", catVSO), "\n"),
			counts: []datasets.Count{
				count(t, codeWiltshire, catVSO, "2018-10", 2),
			},
			coverage: []datasets.Coverage{cover(t, codeWiltshire, "2018-10")},
			stats:    datasets.Stats{Read: 2, Used: 2},
		},
		{
			name:     "trailing blank lines are not rows",
			in:       hdr + wilts("a1", "2018-10", catVSO) + "\n\r\n\n",
			counts:   []datasets.Count{count(t, codeWiltshire, catVSO, "2018-10", 1)},
			coverage: []datasets.Coverage{cover(t, codeWiltshire, "2018-10")},
			stats:    datasets.Stats{Read: 1, Used: 1},
		},
		{
			name:     "blank line between rows is skipped",
			in:       hdr + wilts("a1", "2018-10", catVSO) + "\n" + wilts("a2", "2018-10", catVSO),
			counts:   []datasets.Count{count(t, codeWiltshire, catVSO, "2018-10", 2)},
			coverage: []datasets.Coverage{cover(t, codeWiltshire, "2018-10")},
			stats:    datasets.Stats{Read: 3, Used: 2, Skipped: map[string]int64{ReasonBlankLine: 1}},
		},
		{
			name: "columns in another order, other spellings",
			in: "Crime type,Month,Crime ID,Reported by\n" +
				"Violence and sexual offences,2018-10,a1,Wiltshire Police\n" +
				"Burglary,2018-10,a2,Wiltshire Police\n" +
				"Violence and sexual offences,2018-10,a3,Wiltshire Police\n",
			counts: []datasets.Count{
				count(t, codeWiltshire, catBurg, "2018-10", 1),
				count(t, codeWiltshire, catVSO, "2018-10", 2),
			},
			coverage: []datasets.Coverage{cover(t, codeWiltshire, "2018-10")},
			stats:    datasets.Stats{Read: 3, Used: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ext, err := Read(context.Background(), "in.csv", strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if !reflect.DeepEqual(ext.Counts, tt.counts) {
				t.Errorf("counts:\n got %v\nwant %v", ext.Counts, tt.counts)
			}
			if !reflect.DeepEqual(ext.Coverage, tt.coverage) {
				t.Errorf("coverage:\n got %v\nwant %v", ext.Coverage, tt.coverage)
			}
			if !reflect.DeepEqual(ext.Stats, tt.stats) {
				t.Errorf("stats: got %+v, want %+v", ext.Stats, tt.stats)
			}
			sum := sha256.Sum256([]byte(tt.in))
			if want := hex.EncodeToString(sum[:]); ext.SHA256 != want {
				t.Errorf("SHA256 = %s, want %s", ext.SHA256, want)
			}
			if ext.Source != datasets.SourcePoliceUK || ext.Name != "in.csv" {
				t.Errorf("Source, Name = %q, %q; want %q, %q", ext.Source, ext.Name, datasets.SourcePoliceUK, "in.csv")
			}
		})
	}
}

func TestReadBad(t *testing.T) {
	hdr := Header + "\n"
	_, forceErr := datasets.ResolveForce("Wiltshire Polce")
	if forceErr == nil {
		t.Fatal(`ResolveForce("Wiltshire Polce") succeeded; the test needs an unknown force`)
	}
	tests := []struct {
		name    string
		in      string
		row     int
		column  string
		err     error
		contain string // in the message
	}{
		{name: "empty file", in: "", row: 0, err: datasets.ErrBadHeader},
		{name: "BOM only", in: "\xEF\xBB\xBF", row: 0, err: datasets.ErrBadHeader},
		{name: "missing column", in: "Crime ID,Month,Reported by,Falls within\n", row: 1, column: ColCrimeType,
			err: datasets.ErrNoSuchColumn, contain: `missing column "Crime type"`},
		{name: "duplicate column", in: "Crime ID,Month,Reported by,Crime type,month\n", row: 1, column: "month",
			err: datasets.ErrBadHeader},
		{name: "bad month", in: hdr + wilts("a1", "2018-10", catVSO) + wilts("a2", "2018-13", catVSO), row: 3,
			column: ColMonth, err: datasets.ErrBadMonth, contain: `"2018-13"`},
		{name: "month as a date", in: hdr + wilts("a1", "2018-10-01", catVSO), row: 2, column: ColMonth,
			err: datasets.ErrBadMonth},
		{name: "unknown force", in: hdr + wilts("a1", "2018-10", catVSO) + row("a2", "2018-10", "Wiltshire Polce", catVSO),
			row: 3, column: ColReportedBy, err: datasets.ErrUnknownForce, contain: forceErr.Error()},
		{name: "unknown crime type", in: hdr + wilts("a1", "2018-10", "Stalking and harassment"), row: 2,
			column: ColCrimeType, err: datasets.ErrUnknownOffence, contain: `"Stalking and harassment"`},
		{name: "too few fields", in: hdr + wilts("a1", "2018-10", catVSO) + "a2,2018-10,Wiltshire Police,Wiltshire Police\n",
			row: 3, err: datasets.ErrBadRow, contain: "12 fields as in the header, not 4"},
		{name: "too many fields", in: hdr + strings.TrimSuffix(wilts("a1", "2018-10", catVSO), "\n") + ",extra\n",
			row: 2, err: datasets.ErrBadRow, contain: "not 13"},
		{name: "error row counts records, not lines",
			in:  hdr + `a1,2018-10,Wiltshire Police,W,-1.8,51.1,"A` + "\n" + `B",E01,W 001A,Burglary,,` + "\n" + wilts("a2", "2018-1", catVSO),
			row: 3, column: ColMonth, err: datasets.ErrBadMonth},
		{name: "unterminated quote", in: hdr + `a1,2018-10,Wiltshire Police,W,-1.8,51.1,"A,E01,W 001A,Burglary,,` + "\n",
			row: 2, err: datasets.ErrBadRow, contain: "closing"},
		{name: "bare quote", in: hdr + `a1,2018-10,Wiltshire Police,W,-1.8,51.1,A "B" C,E01,W 001A,Burglary,,` + "\n",
			row: 2, err: datasets.ErrBadRow},
		{name: "text after closing quote", in: hdr + `a1,2018-10,Wiltshire Police,W,-1.8,51.1,"A"B,E01,W 001A,Burglary,,` + "\n",
			row: 2, err: datasets.ErrBadRow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ext, err := Read(context.Background(), "bad.csv", strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Read succeeded with %+v; want an error wrapping %v", ext, tt.err)
			}
			var re *datasets.RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T) is not a *datasets.RowError", err, err)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("error %v does not wrap %v", err, tt.err)
			}
			if re.File != "bad.csv" || re.Row != tt.row || re.Column != tt.column {
				t.Errorf("error at file %q row %d column %q; want %q row %d column %q (%v)",
					re.File, re.Row, re.Column, "bad.csv", tt.row, tt.column, err)
			}
			if re.Want == "" {
				t.Errorf("error %v does not say what was expected", err)
			}
			if !strings.Contains(err.Error(), tt.contain) {
				t.Errorf("error %q does not contain %q", err, tt.contain)
			}
		})
	}
}

func TestReadCancelled(t *testing.T) {
	var b strings.Builder
	b.WriteString(Header + "\n")
	for i := range ctxEvery + 10 {
		b.WriteString(wilts(fmt.Sprint(i), "2018-10", catVSO))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Read(ctx, "big.csv", strings.NewReader(b.String()))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Read with a cancelled context: got %v, want context.Canceled", err)
	}

	// Cancelled once reading has started.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	_, err = Read(ctx, "big.csv", &cancellingReader{r: strings.NewReader(b.String()), cancel: cancel})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Read cancelled while reading: got %v, want context.Canceled", err)
	}
}

// cancellingReader calls cancel after its first Read.
type cancellingReader struct {
	r      io.Reader
	cancel func()
}

func (c *cancellingReader) Read(b []byte) (int, error) {
	defer c.cancel()
	return c.r.Read(b)
}

func TestReadLongRecord(t *testing.T) {
	long := strings.Repeat("x", 1<<20+100) // longer than a block in testConfig, shorter than MaxRecordSize
	in := Header + "\n" + "a1,2018-10,Wiltshire Police,W,-1.8,51.1," + long + ",E01,W 001A,Burglary,,\n" +
		`a2,2018-10,Wiltshire Police,W,-1.8,51.1,"` + long + "\n" + long + `",E01,W 001A,Burglary,,` + "\n"
	ext, err := Read(context.Background(), "long.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []datasets.Count{count(t, codeWiltshire, catBurg, "2018-10", 2)}
	if !reflect.DeepEqual(ext.Counts, want) {
		t.Errorf("counts: got %v, want %v", ext.Counts, want)
	}
	tooLong := Header + "\n" + `a1,2018-10,Wiltshire Police,W,-1.8,51.1,"` + strings.Repeat(long+"\n", MaxRecordSize/len(long)+1) + "\n"
	_, err = Read(context.Background(), "long.csv", strings.NewReader(tooLong))
	var re *datasets.RowError
	if !errors.As(err, &re) || !errors.Is(err, datasets.ErrBadRow) || re.Row != 2 {
		t.Errorf("record over MaxRecordSize: got %v, want ErrBadRow at row 2", err)
	}
	tooLong = Header + "\n" + strings.Repeat("x", MaxRecordSize+1<<20) + "\n"
	_, err = Read(context.Background(), "long.csv", strings.NewReader(tooLong))
	if !errors.As(err, &re) || !errors.Is(err, datasets.ErrBadRow) || re.Row != 2 {
		t.Errorf("line over MaxRecordSize: got %v, want ErrBadRow at row 2", err)
	}
}

func TestReadTestdata(t *testing.T) {
	tests := []struct {
		file   string
		counts []datasets.Count
		stats  datasets.Stats
	}{
		{
			file: "basic.csv",
			counts: []datasets.Count{
				count(t, datasets.CodeBTP, "Other theft", "2018-10", 1),
				count(t, codeWiltshire, catASB, "2018-10", 1),
				count(t, codeWiltshire, catBurg, "2018-10", 1),
				count(t, codeWiltshire, catVSO, "2018-10", 1),
			},
			stats: datasets.Stats{Read: 5, Used: 4, Skipped: map[string]int64{ReasonDuplicate: 1}},
		},
		{
			file: "quoted-crlf-bom.csv",
			counts: []datasets.Count{
				count(t, codeWiltshire, catASB, "2018-12", 1),
				count(t, codeWiltshire, "Criminal damage and arson", "2018-11", 1),
				count(t, codeWiltshire, "Shoplifting", "2018-11", 1),
			},
			stats: datasets.Stats{Read: 3, Used: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ext, err := Read(context.Background(), tt.file, f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ext.Counts, tt.counts) {
				t.Errorf("counts:\n got %v\nwant %v", ext.Counts, tt.counts)
			}
			if !reflect.DeepEqual(ext.Stats, tt.stats) {
				t.Errorf("stats: got %+v, want %+v", ext.Stats, tt.stats)
			}
		})
	}
}

func benchInput(rows int) []byte {
	types := []string{catVSO, catASB, "Shoplifting", catBurg, "Criminal damage and arson", "Other theft", "Vehicle crime"}
	var b bytes.Buffer
	b.WriteString(Header + "\n")
	for i := range rows {
		id := ""
		typ := types[i%len(types)]
		if typ != catASB {
			sum := sha256.Sum256([]byte(fmt.Sprint(i)))
			id = hex.EncodeToString(sum[:])
		}
		fmt.Fprintf(&b, "%s,2018-%02d,Wiltshire Police,Wiltshire Police,-1.%06d,51.%06d,On or near Street %d,E0103%04d,Wiltshire %03dA,%s,Investigation complete; no suspect identified,\n",
			id, 1+i/(rows/12+1), i%1000000, (i*7)%1000000, i%997, i%9999, i%100, typ)
	}
	return b.Bytes()
}

// BenchmarkRead reads a small file (one force and month, as police.uk
// publishes them), a medium one, and with CRIMETRENDS_BENCH_CSV set, that
// file (e.g. the output of ../shared/bench/gen_street.go), each with one
// worker and with the default.
func BenchmarkRead(b *testing.B) {
	inputs := []struct {
		name string
		data []byte
	}{
		{"small-5k", benchInput(5_000)},
		{"medium-100k", benchInput(100_000)},
	}
	if path := os.Getenv("CRIMETRENDS_BENCH_CSV"); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, struct {
			name string
			data []byte
		}{"large-" + filepath.Base(path), data})
	}
	for _, in := range inputs {
		for _, workers := range []int{1, 0} {
			b.Run(fmt.Sprintf("%s/workers=%d", in.name, workers), func(b *testing.B) {
				b.SetBytes(int64(len(in.data)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := ReadWith(context.Background(), "bench.csv", bytes.NewReader(in.data), ReadOptions{Workers: workers}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
