package force

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// FuzzReadCSV feeds arbitrary bytes to ReadCSV with the fake extract's
// mapping and crosswalk: it must not panic, a failure must be a
// *datasets.RowError, and a success must account for every row and merge
// without error into counts that add up to the records counted.
func FuzzReadCSV(f *testing.F) {
	f.Add(fakeCSV(f, genExtract(5, 20, date("2024-01-01"), date("2024-03-31"))))
	f.Add([]byte("Crime Ref,Date Recorded,Local Class,Status\n"))
	f.Add([]byte(""))
	f.Add([]byte("Crime Ref,Date Recorded,Local Class,Status\n1,01/01/2024,8L,No Crime\n1,01/01/2024,8L,No Crime\n,,,\n"))
	f.Add([]byte("Crime Ref,Date Recorded,Local Class,Status\n1,01/01/2024,HAR01,\n1,01/02/2024,HAR01,\n"))
	f.Add([]byte("Crime Ref,Date Recorded,Local Class,Status\n1,31/02/2024,XX,\n"))
	f.Add([]byte("Crime Ref,Date Recorded,Local Class,Status\n\"1\n2\",01/01/2024,8Q\n"))
	cw := mustCrosswalk(f)
	m := fakeMapping
	m.ExtractDate = "2024-06-30"
	f.Fuzz(func(t *testing.T, in []byte) {
		ext, err := ReadCSV(context.Background(), "fuzz.csv", bytes.NewReader(in), m, cw)
		if err != nil {
			var re *datasets.RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %q (%T) is not a *datasets.RowError", err, err)
			}
			if ext != nil {
				t.Fatalf("extract returned with error %v", err)
			}
			return
		}
		if !ext.Stats.Balanced() || ext.Stats.Used != int64(len(ext.Records)) || ext.Stats.Rejected != 0 {
			t.Fatalf("stats %+v with %d records", ext.Stats, len(ext.Records))
		}
		counts, _, rep, err := Merge([]*Extract{ext})
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, c := range counts {
			sum += c.Count
		}
		if sum != int64(rep.Records) || rep.Versions != len(ext.Records) ||
			rep.Versions != rep.Records+rep.Cancelled+rep.Incomplete+rep.Superseded {
			t.Fatalf("counts sum %d, report %+v, %d records", sum, rep, len(ext.Records))
		}
	})
}
