package policeuk

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// FuzzRead checks that no input panics the reader, that a success balances
// its row accounting and sums its counts to its used rows, and that a
// failure is a *datasets.RowError.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(""))
	f.Add([]byte(Header))
	f.Add([]byte(Header + "\n" + wilts("a", "2018-10", catVSO) + "\n\n" + wilts("a", "2018-10", catVSO)))
	f.Add([]byte("Crime type,Month,Crime ID,Reported by\r\n\"Burglary\",2018-10,,\"Wiltshire Police\"\r\n"))
	if dir := realDirOrEmpty(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "police-uk-street-geoinfo", "*-street.csv"))
		for _, file := range files {
			f.Add(firstLines(f, file, 50))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ext, err := Read(context.Background(), "fuzz.csv", bytes.NewReader(data))
		// The parallel path, with blocks far smaller than the input, must
		// agree exactly: same error at the same row, or the same Extract.
		pext, perr := read(context.Background(), "fuzz.csv", bytes.NewReader(data),
			config{workers: 3, blockSize: 16, window: DedupWindow})
		if (err == nil) != (perr == nil) || err != nil && err.Error() != perr.Error() {
			t.Fatalf("simple path: %v; parallel path: %v", err, perr)
		}
		if err == nil && !reflect.DeepEqual(ext, pext) {
			t.Fatalf("parallel path gives %+v, simple path %+v", pext, ext)
		}
		// So must the plain split, the reference for the fast paths.
		rext, rerr := read(context.Background(), "fuzz.csv", bytes.NewReader(data),
			config{workers: 1, blockSize: BlockSize, window: DedupWindow, plain: true})
		if (err == nil) != (rerr == nil) || err != nil && err.Error() != rerr.Error() {
			t.Fatalf("fast split: %v; plain split: %v", err, rerr)
		}
		if err == nil && !reflect.DeepEqual(ext, rext) {
			t.Fatalf("plain split gives %+v, fast split %+v", rext, ext)
		}
		if err != nil {
			var re *datasets.RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T) is not a *datasets.RowError", err, err)
			}
			return
		}
		if !ext.Stats.Balanced() || ext.Stats.Rejected != 0 {
			t.Fatalf("stats do not balance: %+v", ext.Stats)
		}
		var sum int64
		for i, c := range ext.Counts {
			if c.Count <= 0 {
				t.Fatalf("count %+v is not positive", c)
			}
			if i > 0 && !countLess(ext.Counts[i-1], c) {
				t.Fatalf("counts not sorted or repeated: %+v then %+v", ext.Counts[i-1], c)
			}
			sum += c.Count
		}
		if sum != ext.Stats.Used {
			t.Fatalf("counts sum to %d, Stats.Used is %d", sum, ext.Stats.Used)
		}
	})
}

func countLess(a, b datasets.Count) bool {
	if a.AreaCode != b.AreaCode {
		return a.AreaCode < b.AreaCode
	}
	if a.Offence != b.Offence {
		return a.Offence < b.Offence
	}
	return a.Start < b.Start
}

// realDirOrEmpty is realDir without skipping.
func realDirOrEmpty() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	real := filepath.Join(dir, "..", "shared", "data", "real")
	if _, err := os.Stat(real); err != nil {
		return ""
	}
	return real
}

func firstLines(f *testing.F, path string, n int) []byte {
	file, err := os.Open(path)
	if err != nil {
		f.Fatal(err)
	}
	defer file.Close()
	var b bytes.Buffer
	sc := bufio.NewScanner(file)
	for i := 0; i < n && sc.Scan(); i++ {
		b.Write(sc.Bytes())
		b.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}
