package homeoffice

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// FuzzReadCSV feeds arbitrary bytes to ReadCSV: it must not panic, a
// failure must be a *datasets.RowError (the input is in memory, so nothing
// else can fail), and a success must account for every row.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(goodCSV))
	f.Add([]byte(hdr))
	f.Add([]byte(""))
	f.Add([]byte("\ufeff" + hdr + "2017/18,Q1,Sussex,d,g,s,8Q,\" 1,234 \"\r\n"))
	f.Add([]byte(hdr + "2017/18,1,Wiltshire,d,g,s,8L, 12x \n"))
	f.Add([]byte(hdr + "2017/18,1,Wiltshire,d,g,s,8L,1\n2017/18,1,Wiltshire,d,g,s,8L,1\n"))
	f.Add([]byte(hdr + ",,,,,,,\n"))
	f.Add([]byte("Financial_Year,Financial_Quarter,Force_Name,Offence_Code,Number_of_Offences\n2017/18,4,UK Finance,UK Finance,5\n"))
	if dir := seedDir(); dir != "" {
		if fh, err := os.Open(filepath.Join(dir, realDirHO, realCSV)); err == nil {
			var b bytes.Buffer
			sc := bufio.NewScanner(fh)
			for i := 0; i < 30 && sc.Scan(); i++ {
				b.Write(sc.Bytes())
				b.WriteByte('\n')
			}
			fh.Close()
			f.Add(b.Bytes())
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		ext, err := ReadCSV(context.Background(), "fuzz.csv", bytes.NewReader(in))
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
		if !ext.Stats.Balanced() {
			t.Fatalf("stats not balanced: %+v", ext.Stats)
		}
		if int64(len(ext.Counts)) > ext.Stats.Used {
			t.Fatalf("%d counts from %d used rows", len(ext.Counts), ext.Stats.Used)
		}
	})
}

// seedDir finds the real data directory without skipping, for fuzz seeds.
func seedDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			real := filepath.Join(dir, "..", "shared", "data", "real")
			if _, err := os.Stat(real); err == nil {
				return real
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
