package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
)

// monthExtracts makes one police.uk-like extract per force for month m:
// what a month of data.police.uk downloads holds, already counted.
func monthExtracts(m datasets.Month) []*datasets.Extract {
	var out []*datasets.Extract
	for i, f := range datasets.Forces() {
		sum := sha256.Sum256([]byte(fmt.Sprint(f.Code, m)))
		e := &datasets.Extract{Source: datasets.SourcePoliceUK, Name: fmt.Sprintf("%s-%s-street.csv", m, f.Slug),
			SHA256:   hex.EncodeToString(sum[:]),
			Coverage: []datasets.Coverage{{Source: datasets.SourcePoliceUK, AreaCode: f.Code, Start: m, End: m}}}
		for j, c := range datasets.Categories() {
			n := int64(100 + i*7 + j*13 + int(m)%17)
			e.Counts = append(e.Counts, datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: f.Code, Offence: c.Name, Start: m, End: m, Count: n})
			e.Stats.Read += n
			e.Stats.Used += n
		}
		datasets.SortCounts(e.Counts)
		out = append(out, e)
	}
	return out
}

// benchmarkAddMonth measures adding one month of every force's data to a
// dataset that already holds years of monthly vintages: the cost should
// follow the month added, not the dataset's size.
func benchmarkAddMonth(b *testing.B, years int) {
	ctx := context.Background()
	dir := b.TempDir()
	st, err := store.Open(dir, store.Options{Clock: func() time.Time { return time.Unix(0, 0).UTC() }})
	if err != nil {
		b.Fatal(err)
	}
	first := datasets.MonthOf(2010, 1)
	for k := 0; k < 12*years; k++ {
		if _, err := st.Add(ctx, monthExtracts(first.Add(k))); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.Add(ctx, monthExtracts(first.Add(12*years+i))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddMonthTo1YearDataset(b *testing.B)  { benchmarkAddMonth(b, 1) }
func BenchmarkAddMonthTo10YearDataset(b *testing.B) { benchmarkAddMonth(b, 10) }

// BenchmarkTrendsTenYears measures the trends of ten years of monthly data
// for every force, category and aggregate area.
func BenchmarkTrendsTenYears(b *testing.B) {
	var counts []datasets.Count
	var coverage []datasets.Coverage
	first := datasets.MonthOf(2010, 1)
	for k := 0; k < 120; k++ {
		for _, e := range monthExtracts(first.Add(k)) {
			counts = append(counts, e.Counts...)
			coverage = append(coverage, e.Coverage...)
		}
	}
	datasets.SortCounts(counts)
	sels := datasets.DefaultSelectors(datasets.SourcePoliceUK)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Trends(context.Background(), counts, coverage, TrendsOptions{Selectors: sels}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnswer15Years measures the analysis behind a one-force report on
// fifteen years of data.police.uk counts for every force (180 months x 44
// forces x 14 categories, as `crimetrends ingest` stores them): every
// figure with its exact interval, the ranking, the comparisons, series and
// control charts. Memory and time must follow the counts, not the rows.
func BenchmarkAnswer15Years(b *testing.B) { benchmarkAnswer15Years(b, []string{"E23000038"}) }

// BenchmarkAnswer15YearsAllForces is the same for a report of every force.
func BenchmarkAnswer15YearsAllForces(b *testing.B) {
	var all []string
	for _, f := range datasets.Forces() {
		all = append(all, f.Code)
	}
	benchmarkAnswer15Years(b, all)
}

func benchmarkAnswer15Years(b *testing.B, forces []string) {
	var data Data
	first := datasets.MonthOf(2010, 12)
	for k := 0; k < 180; k++ {
		for _, e := range monthExtracts(first.Add(k)) {
			data.Counts = append(data.Counts, e.Counts...)
			data.Coverage = append(data.Coverage, e.Coverage...)
		}
	}
	req := Request{Forces: forces}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := Answer(context.Background(), data, req)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Figures) == 0 {
			b.Fatal("no figures")
		}
	}
}
