package policeuk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// streetRows are valid rows in police.uk's layout that warm recordStreet's
// caches (tails, Crime types, Month and Reported by) before a row under
// test: ASB without ID, the two commonest outcomes, a Context.
func streetRows() string {
	id := strings.Repeat("ab12", 16) // 64 hex digits, as police.uk's
	return wilts(id, "2019-01", catVSO) +
		row("", "2019-01", "Wiltshire Police", catASB) +
		strings.Replace(wilts(id[:63]+"c", "2019-01", "Other crime"), "Under investigation,", "Unable to prosecute suspect,", 1) +
		strings.Replace(wilts(id[:63]+"d", "2019-01", catBurg), "Under investigation,", "Under investigation,Context text", 1)
}

// readBoth reads data with the default (fast) split and with splitPlain
// alone, and fails the test unless both give the same Extract or the same
// error. It returns the default's.
func readBoth(t *testing.T, data []byte, cfg config) (*datasets.Extract, error) {
	t.Helper()
	if cfg.window == 0 {
		cfg.window = DedupWindow
	}
	if cfg.blockSize == 0 {
		cfg.blockSize = BlockSize
	}
	ext, err := read(context.Background(), "in.csv", bytes.NewReader(data), cfg)
	cfg.plain = true
	pext, perr := read(context.Background(), "in.csv", bytes.NewReader(data), cfg)
	if (err == nil) != (perr == nil) || err != nil && err.Error() != perr.Error() {
		t.Fatalf("%q:\nfast split: %v\nplain split: %v", data, err, perr)
	}
	if err == nil && !reflect.DeepEqual(ext, pext) {
		t.Fatalf("%q:\nfast split: %+v\nplain split: %+v", data, ext, pext)
	}
	return ext, err
}

// TestStreetMatchesPlain puts rows that the caches and the comma search
// from both ends could get wrong after rows that warm the caches, and
// checks the fast split against splitPlain and the exact result.
func TestStreetMatchesPlain(t *testing.T) {
	warm := streetRows()
	id := strings.Repeat("0f", 32)
	tests := []struct {
		name string
		row  string
		want int64  // crimes (not ASB) counted when the read succeeds: the warm rows' 3 and the row's
		err  error  // else the error
		col  string // and its column
	}{
		{"same as the warm rows", wilts(id, "2019-01", catVSO), 4, nil, ""},
		{"comma in the ID", wilts("ab,"+id[3:], "2019-01", catVSO), 0, datasets.ErrBadRow, ""},
		{"65-character ID", wilts(id+"x", "2019-01", catVSO), 4, nil, ""},
		{"Month,Reported by of the last row, then a field more", strings.Replace(wilts("x", "2019-01", catVSO), "Police,Wiltshire", "Police,extra,Wiltshire", 1), 0, datasets.ErrBadRow, ""},
		{"Month,Reported by of the last row, then no comma", "a,2019-01,Wiltshire Police\n", 0, datasets.ErrBadRow, ""},
		{"Reported by longer than the last row's", strings.Replace(wilts(id, "2019-01", catVSO), "Police,Wiltshire", "Policex,Wiltshire", 1), 0, datasets.ErrUnknownForce, ColReportedBy},
		{"new month", wilts(id, "2019-02", catVSO), 4, nil, ""},
		{"bad month", wilts(id, "2019-13", catVSO), 0, datasets.ErrBadMonth, ColMonth},
		{"type ending in a cached type", wilts(id, "2019-01", "Not Other crime"), 0, datasets.ErrUnknownOffence, ColCrimeType},
		{"type ending in a cached type, a field short", strings.Replace(wilts(id, "2019-01", "Not Other crime"), "Wiltshire 001A,", "", 1), 0, datasets.ErrBadRow, ""},
		{"type whose end is like a cached type", wilts(id, "2019-01", "Another crime"), 0, datasets.ErrUnknownOffence, ColCrimeType},
		{"type longer than the line's middle", "a,2019-01,Wiltshire Police,Other crime,Under investigation,\n", 0, datasets.ErrBadRow, ""},
		{"cached outcome after an extra field", strings.Replace(wilts(id, "2019-01", catVSO), catVSO+",", catVSO+",extra,", 1), 0, datasets.ErrBadRow, ""},
		{"cached outcome, one field short", strings.Replace(wilts(id, "2019-01", catVSO), "Wiltshire 001A,", "", 1), 0, datasets.ErrBadRow, ""},
		{"outcome with a Context", strings.Replace(wilts(id, "2019-01", catVSO), "Under investigation,", "Under investigation,x", 1), 4, nil, ""},
		{"Context with a comma", strings.Replace(wilts(id, "2019-01", catVSO), "Under investigation,", "Under investigation,x,y", 1), 0, datasets.ErrBadRow, ""},
		{"empty outcome and Context", strings.Replace(wilts(id, "2019-01", catVSO), "Under investigation,", ",", 1), 4, nil, ""},
		{"quotes in skipped fields", strings.Replace(wilts(id, "2019-01", catVSO), "On or near High Street", `"On or near ""The"" Green, Flats"`, 1), 4, nil, ""},
		{"quoted field with a line end", strings.Replace(wilts(id, "2019-01", catVSO), "On or near High Street", "\"On or near\r\nHigh Street,\"", 1), 4, nil, ""},
		{"quoted empty fields", strings.Replace(wilts(id, "2019-01", catVSO), "-1.8,51.1", `"",""`, 1), 4, nil, ""},
		{"quoted field with a comma, a field short", strings.Replace(wilts(id, "2019-01", catVSO), "-1.8,51.1", `"-1.8,51.1"`, 1), 0, datasets.ErrBadRow, ""},
		{"quoted fields, a field more", strings.Replace(wilts(id, "2019-01", catVSO), "-1.8,51.1", `"-1.8","5,1",""`, 1), 0, datasets.ErrBadRow, ""},
		{"quote inside an unquoted skipped field", strings.Replace(wilts(id, "2019-01", catVSO), "High Street", `High "Street"`, 1), 0, datasets.ErrBadRow, ""},
		{"text after a closing quote", strings.Replace(wilts(id, "2019-01", catVSO), "On or near High Street", `"On or near" High Street`, 1), 0, datasets.ErrBadRow, ""},
		{"quoted outcome", strings.Replace(wilts(id, "2019-01", catVSO), "Under investigation,", `"Under investigation",`, 1), 4, nil, ""},
		{"quoted Context with a comma", strings.Replace(wilts(id, "2019-01", catVSO), "Under investigation,", `Under investigation,"a,b"`, 1), 4, nil, ""},
		{"quoted ID", strings.Replace(wilts(id, "2019-01", catVSO), id, `"`+id+`"`, 1), 4, nil, ""},
		{"quoted ID with a comma", strings.Replace(wilts(id, "2019-01", catVSO), id, `"`+id+`,x"`, 1), 4, nil, ""},
		{"quoted Month and a quoted skipped field", strings.Replace(strings.Replace(wilts(id, "2019-01", catVSO), ",2019-01,", `,"2019-01",`, 1), "High Street", `"High, Street"`, 1), 0, datasets.ErrBadRow, ""},
		{"quoted Crime type", strings.Replace(wilts(id, "2019-01", catVSO), ","+catVSO+",", `,"`+catVSO+`",`, 1), 4, nil, ""},
		{"quoted Reported by", strings.Replace(wilts(id, "2019-01", catVSO), ",Wiltshire Police,W", `,"Wiltshire Police",W`, 1), 4, nil, ""},
		{"CRLF", strings.TrimSuffix(wilts(id, "2019-01", catVSO), "\n") + "\r\n", 4, nil, ""},
		{"short line", "a,b\n", 0, datasets.ErrBadRow, ""},
		{"commas only", strings.Repeat(",", 11) + "\n", 0, datasets.ErrBadMonth, ColMonth},
		{"spaces around the type", strings.Replace(wilts(id, "2019-01", catVSO), ","+catVSO+",", ", "+catVSO+" ,", 1), 4, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Header + "\n" + warm + tt.row + warm
			ext, err := readBoth(t, []byte(in), config{workers: 1})
			if tt.err != nil {
				var re *datasets.RowError
				if !errors.Is(err, tt.err) || !errors.As(err, &re) || re.Row != 6 || re.Column != tt.col {
					t.Fatalf("got %v, want %v at row 6, column %q", err, tt.err, tt.col)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// The second warm rows repeat the first's IDs: skipped.
			var n int64
			for _, c := range ext.Counts {
				if c.Offence != catASB {
					n += c.Count
				}
			}
			if n != tt.want || ext.Stats.Skipped[ReasonDuplicate] != 3 {
				t.Errorf("crimes counted = %d, want %d; stats %+v, want 3 repeats (counts %v)", n, tt.want, ext.Stats, ext.Counts)
			}
		})
	}
}

// TestStreetOtherLayouts checks the fast split of other column orders
// (splitFast) and of police.uk's (recordStreet) against splitPlain.
func TestStreetOtherLayouts(t *testing.T) {
	headers := []string{
		Header,
		"Crime type,Month,Crime ID,Reported by",
		"Crime ID,Month,Reported by,Crime type",
		"Longitude,Crime ID,Month,Reported by,Falls within,Crime type,Context",
		"Crime type,X,Y,Month,Reported by,Crime ID,Z",
		"Month,Reported by,Crime ID,A,B,C,D,Crime type,E,F",
	}
	values := map[string][]string{
		"Crime ID":    {"", "id1", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "id,2"},
		"Month":       {"2019-01", "2019-02", "2019-1"},
		"Reported by": {"Wiltshire Police", "Sussex Police", "Nowhere Police"},
		"Crime type":  {catVSO, catBurg, catASB, "Drugs", "Robbery", "Nothing"},
	}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(col string) string {
		if v, ok := values[col]; ok && r.IntN(20) > 0 {
			return v[r.IntN(len(v)-1)] // mostly valid values
		} else if ok {
			return v[len(v)-1]
		}
		return []string{"", "x", "On or near Park Road", "E01031000", `"a, ""b"""`, "a,b"}[r.IntN(6)]
	}
	for _, h := range headers {
		cols := strings.Split(h, ",")
		for trial := range 100 {
			var b strings.Builder
			b.WriteString(h + "\n")
			for range 1 + r.IntN(12) {
				for i, col := range cols {
					if i > 0 {
						b.WriteByte(',')
					}
					b.WriteString(pick(col))
				}
				b.WriteString([]string{"\n", "\r\n"}[r.IntN(2)])
			}
			in := []byte(b.String())
			t.Run(fmt.Sprintf("%s/%d", cols[0], trial), func(t *testing.T) {
				readBoth(t, in, config{workers: 1})
			})
		}
	}
}

// TestStreetRandomBytes mutates valid police.uk rows with commas, quotes,
// CR and LF at random places and checks the fast split against
// splitPlain.
func TestStreetRandomBytes(t *testing.T) {
	base := []byte(Header + "\n" + streetRows() + streetRows())
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 1500 {
		in := bytes.Clone(base)
		for range 1 + r.IntN(3) {
			i := len(Header) + 1 + r.IntN(len(in)-len(Header)-1)
			c := ",\"\r\nx"[r.IntN(5)]
			if r.IntN(2) == 0 {
				in[i] = c
			} else {
				in = append(in[:i], append([]byte{c}, in[i:]...)...)
			}
		}
		if _, err := readBoth(t, in, config{workers: 1}); err != nil && trial%300 == 0 {
			t.Logf("trial %d: %v", trial, err)
		}
	}
}

// TestBlockBoundaryEveryOffset cuts a file with quoted fields (commas,
// doubled quotes, LF and CRLF inside quotes), CRLF line ends and blank
// lines into blocks of every size from 1 byte to the whole file, so that
// a block boundary falls at every offset of every row, and checks each
// read against one block read with splitPlain.
func TestBlockBoundaryEveryOffset(t *testing.T) {
	id := strings.Repeat("9a", 32)
	in := Header + "\r\n" + streetRows() +
		strings.Replace(wilts(id, "2019-01", catVSO), "On or near High Street", `"On or near ""The"" Green,`+"\r\n"+`Flats"`, 1) +
		"\r\n" +
		strings.Replace(wilts("", "2019-01", catASB), "Wiltshire 001A", `"Car Park,`+"\n\n"+`Station Approach"`, 1) +
		strings.TrimSuffix(wilts(id, "2019-02", catBurg), "\n") + "\r\n" +
		wilts(`"q1"`, "2019-02", catBurg) + wilts(`"q,2"`, "2019-02", catBurg) + // rows that start with a quote
		streetRows() + "\n"
	want, err := readBoth(t, []byte(in), config{workers: 1, blockSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if want.Stats.Read != 14 || want.Stats.Used != 10 {
		t.Fatalf("stats %+v, want 14 rows read (one a blank line), 10 used (3 repeats)", want.Stats)
	}
	for size := 1; size <= len(in)+1; size++ {
		for _, workers := range []int{1, 2} {
			got, err := read(context.Background(), "in.csv", strings.NewReader(in),
				config{workers: workers, blockSize: size, window: DedupWindow})
			if err != nil {
				t.Fatalf("block size %d, %d workers: %v", size, workers, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("block size %d, %d workers: %+v, want %+v", size, workers, got, want)
			}
		}
	}
}

// TestLineQuote checks the first quote of each record that the scanner
// reports (recordStreet's test for quotes in the first fields) against
// the record's bytes, with blocks of every size.
func TestLineQuote(t *testing.T) {
	in := Header + "\n" + `"a",2019-01,"W ""x""",W,1,2,"L,` + "\n" + `M",E,N,"B",,` + "\n" +
		`"b",2019-01,W,W,1,2,L,E,N,B,,""` + "\r\n" + `c,2019-01,W,W,1,2,L,E,N,B,,` + "\n" +
		`"",2019-01,W,W,1,2,"",E,N,B,"",` + "\n" + `"d"` + "\n"
	for size := 1; size <= len(in)+1; size++ {
		br := &blockReader{ctx: context.Background(), name: "in.csv", r: strings.NewReader(in), size: size}
		for {
			blk, err := br.next()
			if err != nil {
				t.Fatal(err)
			}
			if blk == nil {
				break
			}
			s := newScanner(context.Background(), "in.csv")
			s.reset(blk.data)
			for {
				line, quoted, ok, err := s.next()
				if err != nil || !ok {
					break
				}
				q := bytes.IndexByte(line, '"')
				if quoted != (q >= 0) || quoted && s.lineQuote != q {
					t.Fatalf("block size %d: record %q: quoted %v at %d, want %v at %d",
						size, line, quoted, s.lineQuote, q >= 0, q)
				}
			}
		}
	}
}
