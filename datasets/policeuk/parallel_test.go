package policeuk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// readCfg reads data with an explicit configuration.
func readCfg(t testing.TB, data []byte, cfg config) (*datasets.Extract, error) {
	t.Helper()
	if cfg.window == 0 {
		cfg.window = DedupWindow
	}
	return read(context.Background(), "in.csv", bytes.NewReader(data), cfg)
}

// configs are the ways of reading that must agree: the simple path in one
// block, and the parallel path with blocks far smaller than the input.
var configs = []struct {
	name string
	cfg  config
}{
	{"simple, one block", config{workers: 1, blockSize: 1 << 30}},
	{"simple, 1 KiB blocks", config{workers: 1, blockSize: 1 << 10}},
	{"parallel 2, 4 KiB blocks", config{workers: 2, blockSize: 4 << 10}},
	{"parallel 4, 1 KiB blocks", config{workers: 4, blockSize: 1 << 10}},
	{"parallel 3, 333 B blocks", config{workers: 3, blockSize: 333}},
	{"parallel 2, 4 KiB blocks, plain split", config{workers: 2, blockSize: 4 << 10, plain: true}},
}

// genInput builds a street file of rows rows over several forces and
// months, with quoted fields holding commas, doubled quotes and CRLF or LF
// newlines, blank lines between rows, and Crime IDs repeated within and
// across blocks. It returns the file and the counts it must give.
func genInput(t testing.TB, rows int) ([]byte, map[refKey]int64, datasets.Stats) {
	forces := []struct{ name, code string }{
		{"Wiltshire Police", codeWiltshire}, {"Sussex Police", "E23000033"},
		{"British Transport Police", datasets.CodeBTP}, {"Dyfed-Powys Police", "W15000004"},
	}
	types := []string{catVSO, catASB, "Shoplifting", catBurg, "Criminal damage and arson", "Other theft"}
	var b bytes.Buffer
	b.WriteString(Header + "\r\n")
	want := map[refKey]int64{}
	stats := datasets.Stats{}
	seen := map[string]bool{}
	i := 0
	for m := 1; m <= 3; m++ {
		mon := fmt.Sprintf("2019-%02d", m)
		for _, f := range forces {
			for k := 0; k < rows/12; k++ {
				i++
				typ := types[i%len(types)]
				id := ""
				if typ != catASB {
					id = fmt.Sprintf("%s-%d", f.code, i)
					if i%17 == 0 { // repeat an ID of this force and month from up to 40 rows back
						id = fmt.Sprintf("%s-%d", f.code, max(i-40, i-k))
					}
				}
				loc := "On or near High Street"
				switch i % 7 {
				case 1:
					loc = `"On or near ""The"" Green,` + "\r\n" + `Flats, Queen Street"`
				case 2:
					loc = `"Car Park,` + "\n\n" + `Station Approach"`
				}
				reportedBy := f.name
				if i%5 == 0 {
					reportedBy = `"` + f.name + `"`
				}
				fmt.Fprintf(&b, "%s,%s,%s,%s,-1.%06d,51.%06d,%s,E0103%04d,X %03dA,%s,,\n",
					id, mon, reportedBy, f.name, i, i*7%1000000, loc, i%9999, i%100, typ)
				stats.Read++
				if i%23 == 0 {
					b.WriteString("\r\n\n") // blank lines between rows
					stats.Read += 2
					stats.Skip(ReasonBlankLine, 2)
				}
				key := id + "|" + mon + "|" + f.code
				if id != "" && seen[key] {
					stats.Skip(ReasonDuplicate, 1)
					continue
				}
				seen[key] = true
				want[refKey{f.code, typ, mon}]++
				stats.Used++
			}
		}
	}
	b.WriteString("\n\r\n") // trailing blank lines are not rows
	if stats.Skipped[ReasonDuplicate] == 0 {
		t.Fatal("genInput made no repeated IDs")
	}
	return b.Bytes(), want, stats
}

// realConcat concatenates the real samples' data rows under one header,
// and counts them file by file with the independent reference: each file
// is one force and month, the scope of repeated Crime IDs.
func realConcat(t *testing.T) ([]byte, map[refKey]int64, datasets.Stats) {
	var b bytes.Buffer
	want := map[refKey]int64{}
	var stats datasets.Stats
	for i, path := range streetFiles(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		raw, dedup, rows := reference(t, data)
		stats.Read += rows
		for k, n := range raw {
			want[k] += dedup[k]
			stats.Used += dedup[k]
			if n > dedup[k] {
				stats.Skip(ReasonDuplicate, n-dedup[k])
			}
		}
		data = bytes.TrimPrefix(data, bom)
		if i > 0 {
			nl := bytes.IndexByte(data, '\n')
			data = data[nl+1:]
		}
		b.Write(data)
		if !bytes.HasSuffix(data, []byte("\n")) {
			b.WriteByte('\n')
		}
	}
	return b.Bytes(), want, stats
}

func countsByKey(ext *datasets.Extract) map[refKey]int64 {
	got := map[refKey]int64{}
	for _, c := range ext.Counts {
		got[refKey{c.AreaCode, c.Offence, c.Start.String()}] += c.Count
	}
	return got
}

func TestParallelMatchesSimple(t *testing.T) {
	gen, want, wantStats := genInput(t, 3000)
	inputs := []struct {
		name  string
		data  []byte
		want  map[refKey]int64
		stats datasets.Stats
	}{
		{name: "generated", data: gen, want: want, stats: wantStats},
	}
	if realDirOrEmpty() != "" {
		data, want, stats := realConcat(t)
		inputs = append(inputs, struct {
			name  string
			data  []byte
			want  map[refKey]int64
			stats datasets.Stats
		}{name: "real samples concatenated", data: data, want: want, stats: stats})
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			var first *datasets.Extract
			for _, c := range configs {
				if len(in.data) > 1<<20 && c.cfg.blockSize < 4<<10 {
					continue // tens of thousands of blocks: slow under -race
				}
				ext, err := readCfg(t, in.data, c.cfg)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				if sum := sha256.Sum256(in.data); ext.SHA256 != hex.EncodeToString(sum[:]) {
					t.Errorf("%s: SHA256 = %s, want %x", c.name, ext.SHA256, sum)
				}
				if first == nil {
					first = ext
					got := countsByKey(ext)
					for k, n := range in.want {
						if got[k] != n {
							t.Errorf("%s: %v = %d, want %d", c.name, k, got[k], n)
						}
					}
					if len(got) != len(in.want) {
						t.Errorf("%s: %d keys, want %d", c.name, len(got), len(in.want))
					}
					if !reflect.DeepEqual(ext.Stats, in.stats) {
						t.Errorf("%s: stats %+v, want %+v", c.name, ext.Stats, in.stats)
					}
					continue
				}
				if !reflect.DeepEqual(ext, first) {
					t.Errorf("%s: extract differs from %s: stats %+v vs %+v, SHA-256 %s vs %s, %d vs %d counts, %d vs %d coverage",
						c.name, configs[0].name, ext.Stats, first.Stats, ext.SHA256, first.SHA256,
						len(ext.Counts), len(first.Counts), len(ext.Coverage), len(first.Coverage))
				}
			}
		})
	}
}

// TestErrorInLaterBlock checks that the error reported is the first bad row
// in file order, at its exact row, however the input is cut.
func TestErrorInLaterBlock(t *testing.T) {
	gen, _, _ := genInput(t, 1200)
	// Row numbers of the records: header = 1; a blank line is a row.
	recs := bytes.SplitAfter(gen, []byte("\n"))
	var rowStart []int // byte offset of each row, by row number - 1
	off, quotes := 0, 0
	for _, line := range recs {
		if quotes%2 == 0 {
			rowStart = append(rowStart, off)
		}
		quotes += bytes.Count(line, quoteSep)
		off += len(line)
	}
	// badAt puts a bad month into the data row that starts at row.
	badAt := func(data []byte, row int) []byte {
		start := rowStart[row-1]
		i := bytes.Index(data[start:], []byte(",2019-0"))
		out := append([]byte{}, data[:start+i]...)
		out = append(out, ",2019-13"...)
		return append(out, data[start+i+len(",2019-01"):]...)
	}
	isData := func(row int) bool {
		return rowStart[row-1] < len(gen) && gen[rowStart[row-1]] != '\n' && gen[rowStart[row-1]] != '\r'
	}
	late := len(rowStart) - 5
	for !isData(late) {
		late--
	}
	early := len(rowStart) / 3
	for !isData(early) {
		early++
	}
	tests := []struct {
		name string
		data []byte
		row  int
	}{
		{"one bad row near the end", badAt(gen, late), late},
		{"two bad rows: the first wins", badAt(badAt(gen, late), early), early},
	}
	for _, tt := range tests {
		for _, c := range configs {
			t.Run(tt.name+"/"+c.name, func(t *testing.T) {
				_, err := readCfg(t, tt.data, c.cfg)
				var re *datasets.RowError
				if !errors.As(err, &re) || !errors.Is(err, datasets.ErrBadMonth) || re.Row != tt.row || re.Value != "2019-13" {
					t.Errorf("got %v, want ErrBadMonth at row %d", err, tt.row)
				}
			})
		}
	}
}

func TestBlockEdges(t *testing.T) {
	long := strings.Repeat("y", 5000) // several blocks long
	in := Header + "\n" + wilts("a1", "2018-10", catVSO) +
		`a2,2018-10,Wiltshire Police,W,-1.8,51.1,"` + long + "\n" + long + `",E01,W 001A,Burglary,,` + "\n" +
		"a3,2018-10,Wiltshire Police,W,-1.8,51.1," + long + ",E01,W 001A,Burglary,,\n"
	want := []datasets.Count{count(t, codeWiltshire, catBurg, "2018-10", 2), count(t, codeWiltshire, catVSO, "2018-10", 1)}
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			ext, err := readCfg(t, []byte(in), c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ext.Counts, want) || ext.Stats.Read != 3 {
				t.Errorf("counts %v, stats %+v; want %v and 3 rows", ext.Counts, ext.Stats, want)
			}
			// An unterminated quote in a later block.
			bad := in + wilts("a4", "2018-10", catVSO) + `a5,2018-10,Wiltshire Police,W,-1.8,51.1,"` + long + "\n"
			_, err = readCfg(t, []byte(bad), c.cfg)
			var re *datasets.RowError
			if !errors.As(err, &re) || !errors.Is(err, datasets.ErrBadRow) || re.Row != 6 {
				t.Errorf("unterminated quote: got %v, want ErrBadRow at row 6", err)
			}
		})
	}
}

// TestDedupWindow checks the rule of the package documentation: repeats
// are found within an (area, month), and a set freed after the window is
// restarted, with a warning, when its key comes back.
func TestDedupWindow(t *testing.T) {
	var b strings.Builder
	b.WriteString(Header + "\n")
	b.WriteString(wilts("x1", "2018-10", catVSO) + wilts("x1", "2018-11", catVSO)) // other month: not a repeat
	b.WriteString(wilts("x1", "2018-10", catVSO))                                  // a repeat
	for i := range 50 {
		b.WriteString(row(fmt.Sprint("s", i), "2018-10", "Sussex Police", catVSO))
	}
	b.WriteString(wilts("x1", "2018-10", catBurg) + wilts("x2", "2018-10", catBurg) + wilts("x2", "2018-10", catBurg))
	in := []byte(b.String())
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			var log bytes.Buffer
			cfg := c.cfg
			cfg.logger = slog.New(slog.NewTextHandler(&log, nil))
			ext, err := readCfg(t, in, cfg) // the default window holds everything
			if err != nil {
				t.Fatal(err)
			}
			want := []datasets.Count{count(t, "E23000033", catVSO, "2018-10", 50),
				count(t, codeWiltshire, catBurg, "2018-10", 1),
				count(t, codeWiltshire, catVSO, "2018-10", 1), count(t, codeWiltshire, catVSO, "2018-11", 1)}
			if !reflect.DeepEqual(ext.Counts, want) || ext.Stats.Skipped[ReasonDuplicate] != 3 || log.Len() != 0 {
				t.Errorf("whole-file window: counts %v, stats %+v, log %q; want %v, 3 repeats, no log", ext.Counts, ext.Stats, log.String(), want)
			}
			if c.cfg.blockSize > 1<<10 {
				return // the window is counted in blocks
			}
			cfg.window = 8
			ext, err = readCfg(t, in, cfg)
			if err != nil {
				t.Fatal(err)
			}
			// x1 in Wiltshire 2018-10 comes back after its set was freed: it
			// is counted again; x2 repeats within the restarted set.
			want[1].Count = 2
			if !reflect.DeepEqual(ext.Counts, want) || ext.Stats.Skipped[ReasonDuplicate] != 2 ||
				!strings.Contains(log.String(), "late_rows=3 groups=1") {
				t.Errorf("window of 8 rows: counts %v, stats %+v, log %q; want %v, 2 repeats, a warning of 3 late rows",
					ext.Counts, ext.Stats, log.String(), want)
			}
		})
	}
}

func TestHash128(t *testing.T) {
	seen := map[[2]uint64]string{}
	for _, s := range []string{"", "a", "b", "ab", "ba", "aa", "\x00", "\x00\x00", strings.Repeat("0", 64), strings.Repeat("0", 63) + "1",
		"1" + strings.Repeat("0", 63), strings.Repeat("0", 65)} {
		h1, h2 := hash128([]byte(s))
		if prev, ok := seen[[2]uint64{h1, h2}]; ok {
			t.Errorf("hash128(%q) == hash128(%q)", s, prev)
		}
		seen[[2]uint64{h1, h2}] = s
		if g1, g2 := hash128([]byte(s)); g1 != h1 || g2 != h2 {
			t.Errorf("hash128(%q) is not deterministic", s)
		}
	}
	// Fixed seeds: the same value in every process.
	if h1, h2 := hash128([]byte("abc")); h1 != wantABC[0] || h2 != wantABC[1] {
		t.Errorf("hash128(abc) = %#x, %#x; want %#x, %#x", h1, h2, wantABC[0], wantABC[1])
	}
}

var wantABC = [2]uint64{0x01e0d8bc17b776dc, 0xdfaeb9e1e37057bd}

// TestHash128Unrolled checks that the 64-byte fast path hashes as the loop
// does.
func TestHash128Unrolled(t *testing.T) {
	id := []byte("8de7fe61b917e2e639272bb8140d17e3e73a7b56469609b4b6a73f2da055f15a")
	h1, h2 := hash128(id)
	n := uint64(len(id))
	a, c := uint64(seed1)^n, uint64(seed2)^(n*mul1)
	for i := 0; i < len(id); i += 8 {
		var w uint64
		for k := 7; k >= 0; k-- {
			w = w<<8 | uint64(id[i+k])
		}
		a, c = step(a, c, w)
	}
	if w1, w2 := fmix(a, fin1), fmix(c, fin2); h1 != w1 || h2 != w2 {
		t.Errorf("hash128 of 64 bytes = %#x, %#x; the word loop gives %#x, %#x", h1, h2, w1, w2)
	}
}

// TestSplitPlain checks the 64-byte comma masks against strings.Split on
// lines whose commas fall at every offset of the words and chunks.
func TestSplitPlain(t *testing.T) {
	cols := &columns{ncols: 6, role: []int8{roleID, -1, roleMonth, -1, roleForce, roleType}, maxCol: 5}
	s := newScanner(context.Background(), "x")
	s.cols = cols
	for _, in := range []string{"", ",", ",,,,,", "a,b,c,d,e,f", "a,b,c,d,e,f,g,h", "a,b"} {
		lines := []string{in}
		for pad := 1; pad < 140; pad += 7 { // move the commas across word and chunk boundaries
			lines = append(lines, strings.Repeat("x", pad)+in, strings.ReplaceAll(in, ",", strings.Repeat("y", pad)+","))
		}
		for _, line := range lines {
			want := strings.Split(line, ",")
			var f fields
			n := s.splitPlain([]byte(line), &f)
			if n != len(want) {
				t.Errorf("splitPlain(%q) = %d fields, want %d", line, n, len(want))
				continue
			}
			for col, r := range cols.role {
				if r >= 0 && col < len(want) && string(f[r]) != want[col] {
					t.Errorf("splitPlain(%q): column %d = %q, want %q", line, col, f[r], want[col])
				}
			}
		}
	}
}
