package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/crimetrends/crimetrends/datasets"
)

// manyInputs makes forces x months police.uk extracts, one per force and
// month as data.police.uk publishes them, each with offences counts.
func manyInputs(tag string, forces, months, offences int) []*datasets.Extract {
	var es []*datasets.Extract
	first := month(2020, 1)
	for f := range forces {
		area := fmt.Sprintf("E23%06d", f+1)
		for m := range months {
			mo := first.Add(m)
			e := extract(fmt.Sprintf("%s/%s-force%02d-street.csv", tag, mo, f), pu, nil, cov(pu, area, mo, mo))
			for o := range offences {
				e.Counts = append(e.Counts, cnt(pu, area, fmt.Sprintf("offence %02d", o), mo, mo, int64(f*1e4+m*100+o)))
			}
			es = append(es, e)
		}
	}
	return es
}

// BenchmarkAddManyInputs adds 2,112 inputs of 30 counts each (44 forces x 48
// months, as four years of data.police.uk downloads) to an empty store.
func BenchmarkAddManyInputs(b *testing.B) {
	es := manyInputs("bench", 44, 48, 30)
	root := b.TempDir()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		s, err := Open(filepath.Join(root, strconv.Itoa(i)), Options{Clock: func() time.Time { return fixedTime }, Alloc: mem})
		if err != nil {
			b.Fatal(err)
		}
		res, err := s.Add(context.Background(), es)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Added) != len(es) {
			b.Fatalf("added %d inputs, want %d", len(res.Added), len(es))
		}
	}
	mem.AssertSize(b, 0)
}

// BenchmarkCurrentManyInputs reads back the store BenchmarkAddManyInputs
// writes.
func BenchmarkCurrentManyInputs(b *testing.B) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	s, err := Open(b.TempDir(), Options{Clock: func() time.Time { return fixedTime }, Alloc: mem})
	if err != nil {
		b.Fatal(err)
	}
	es := manyInputs("bench", 44, 48, 30)
	if _, err := s.Add(context.Background(), es); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		snap, err := s.Current(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(snap.Counts) != 44*48*30 {
			b.Fatalf("%d counts, want %d", len(snap.Counts), 44*48*30)
		}
	}
	mem.AssertSize(b, 0)
}

// tenYears writes a store of 120 monthly vintages, each of 44 inputs (one
// per force) of 14 counts, as ten years of data.police.uk downloads added a
// month at a time, and returns its directory.
func tenYears(b *testing.B) string {
	dir := b.TempDir()
	s, err := Open(dir, Options{Clock: func() time.Time { return fixedTime }})
	if err != nil {
		b.Fatal(err)
	}
	first := month(2010, 1)
	for m := range 120 {
		var es []*datasets.Extract
		mo := first.Add(m)
		for f := range 44 {
			area := fmt.Sprintf("E23%06d", f+1)
			e := extract(fmt.Sprintf("%s-force%02d-street.csv", mo, f), pu, nil, cov(pu, area, mo, mo))
			for o := range 14 {
				e.Counts = append(e.Counts, cnt(pu, area, fmt.Sprintf("offence %02d", o), mo, mo, int64(f*100+o)))
			}
			es = append(es, e)
		}
		if _, err := s.Add(context.Background(), es); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkOpenTenYears opens a store of ten years of monthly vintages:
// what each ingest run does before its Add.
func BenchmarkOpenTenYears(b *testing.B) {
	dir := tenYears(b)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if n := len(s.Vintages()); n != 120 {
			b.Fatalf("%d vintages, want 120", n)
		}
	}
}

// BenchmarkCurrentTenYears opens a store of ten years of monthly vintages
// and reads the current dataset: every vintage file and Parquet file.
func BenchmarkCurrentTenYears(b *testing.B) {
	dir := tenYears(b)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		snap, err := s.Current(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if n := len(snap.Counts); n != 120*44*14 {
			b.Fatalf("%d counts, want %d", n, 120*44*14)
		}
	}
}
