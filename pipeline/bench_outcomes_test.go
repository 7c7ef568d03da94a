package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
)

// benchCrimes is the number of crimes of one force and month in the
// outcomes benchmarks: about a fifth of a national month (44 forces,
// 88,000 crimes a month), so that 36 months stay quick to set up.
const benchCrimes = 2000

// benchCrimeID is the Crime ID of crime i of a force and month: 64 hex
// digits, as data.police.uk's are.
func benchCrimeID(slug string, m datasets.Month, i int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s %s %d", slug, m, i))
	return hex.EncodeToString(sum[:])
}

// writeBenchMonth writes the data.police.uk archive of month m under root
// (root/<m>/<m>/<m>-<force>-street.csv, as an unpacked download): every
// force's street file of benchCrimes crimes, and, for the forces in
// outcomes, an outcomes file of benchCrimes outcomes of month m, each of a
// crime of m or one of the 35 months before (a tenth of Crime IDs no
// street file has). It returns the archive's folder.
func writeBenchMonth(tb testing.TB, root string, m datasets.Month, outcomes map[string]bool) string {
	tb.Helper()
	dir := filepath.Join(root, m.String(), m.String())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	cats := datasets.Categories()
	types := datasets.OutcomeTypes()
	r := rand.New(rand.NewPCG(uint64(m), 7))
	var b strings.Builder
	for _, f := range datasets.Forces() {
		b.Reset()
		b.WriteString("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n")
		for i := range benchCrimes {
			fmt.Fprintf(&b, "%s,%s,%s,%s,,,No location,,,%s,,\n", benchCrimeID(f.Slug, m, i), m, f.Force, f.Force, cats[1+i%(len(cats)-1)].Name)
		}
		name := filepath.Join(dir, fmt.Sprintf("%s-%s-street.csv", m, f.Slug))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		if !outcomes[f.Code] {
			continue
		}
		b.Reset()
		b.WriteString("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\n")
		for i := range benchCrimes {
			id := benchCrimeID(f.Slug, m.Add(-r.IntN(36)), r.IntN(benchCrimes))
			if i%10 == 0 {
				id = benchCrimeID("nowhere", m, i)
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s,,,No location,,,%s\n", id, m, f.Force, f.Force, types[r.IntN(len(types))])
		}
		name = filepath.Join(dir, fmt.Sprintf("%s-%s-outcomes.csv", m, f.Slug))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return filepath.Dir(dir)
}

// copyTree copies the regular files under src to dst.
func copyTree(tb testing.TB, src, dst string) {
	tb.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkIngestMonthWithOutcomes measures ingesting one more monthly
// data.police.uk archive (every force's street file, and every force's
// outcomes, or one force's) into a dataset of 12 or 36 monthly vintages
// with Crime IDs (benchCrimes crimes a force and month): the outcomes are
// typed through this archive's street files and the dataset's Crime ID
// indexes. Each iteration ingests into a fresh copy of the dataset.
func BenchmarkIngestMonthWithOutcomes(b *testing.B) {
	ctx := context.Background()
	root := b.TempDir()
	clock := store.Options{Clock: func() time.Time { return time.Unix(0, 0).UTC() }}
	data := filepath.Join(root, "data")
	st, err := store.Open(data, clock)
	if err != nil {
		b.Fatal(err)
	}
	first := datasets.MonthOf(2021, 1)
	templates := map[int]string{}
	for k := range 36 {
		arch := writeBenchMonth(b, filepath.Join(root, "in"), first.Add(k), nil)
		if _, err := Ingest(ctx, st, []string{arch}, IngestOptions{}); err != nil {
			b.Fatal(err)
		}
		if err := os.RemoveAll(arch); err != nil {
			b.Fatal(err)
		}
		if n := k + 1; n == 12 || n == 36 {
			templates[n] = filepath.Join(root, fmt.Sprintf("template-%d", n))
			copyTree(b, data, templates[n])
		}
	}
	every := map[string]bool{}
	for _, f := range datasets.Forces() {
		every[f.Code] = true
	}
	for _, c := range []struct {
		name     string
		outcomes map[string]bool
	}{{"every-force", every}, {"one-force", map[string]bool{"E23000034": true}}} {
		for _, n := range []int{12, 36} {
			m := first.Add(n)
			arch := writeBenchMonth(b, filepath.Join(root, c.name), m, c.outcomes)
			b.Run(fmt.Sprintf("%s/%d-vintages", c.name, n), func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					b.StopTimer()
					dir := filepath.Join(root, fmt.Sprintf("run-%s-%d-%d", c.name, n, i))
					copyTree(b, templates[n], dir)
					st, err := store.Open(dir, clock)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					res, err := Ingest(ctx, st, []string{arch}, IngestOptions{})
					if err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					if res.Vintage == "" {
						b.Fatal("nothing added")
					}
					var untyped, outs int64
					for _, in := range res.Inputs {
						if in.Source == datasets.SourcePoliceUKOutcomes {
							untyped += in.Untyped
							outs += in.Stats.Used
						}
					}
					// A tenth of the outcomes name no crime; of the rest,
					// those of months before the dataset's are untyped too.
					if outs == 0 || untyped < outs/10 || untyped > outs/10+outs*9/10*(36-int64(min(n, 36)))/36+outs/50 {
						b.Fatalf("%d of %d outcomes untyped", untyped, outs)
					}
					if err := os.RemoveAll(dir); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
			})
		}
	}
}
