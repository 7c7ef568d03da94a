package homeoffice

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

// BenchmarkReadCSVReal reads the real 2017/18 open data table (23,068 rows).
func BenchmarkReadCSVReal(b *testing.B) {
	data, err := os.ReadFile(testutil.Real(b, "mopd-crime-sim-toolkit", "prc-pfa-mar2013-onwards-tables201718.csv"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadCSV(context.Background(), "prc.csv", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadCSVTenYears reads a generated table the size of the whole
// published series: 44 areas x 40 quarters x every non-fraud code.
func BenchmarkReadCSVTenYears(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences\n")
	for y := 2013; y < 2023; y++ {
		for q := 1; q <= 4; q++ {
			for _, f := range datasets.Forces() {
				for _, o := range datasets.Offences() {
					if o.Fraud {
						continue
					}
					fmt.Fprintf(&buf, "%d/%02d,%d,%s,%q,%s,%s,%s, %d \n", y, (y+1)%100, q, f.Name, o.Description, o.Group, o.Subgroup, o.Code, (y*7+q*13)%500)
				}
			}
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := ReadCSV(context.Background(), "prc.csv", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
