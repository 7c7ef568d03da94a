package policeuk

import (
	"bytes"
	"context"
	"io"
	"os"
	"syscall"
	"testing"
	"time"
)

// benchData is the first 64 MB of CRIMETRENDS_BENCH_CSV (e.g. the output
// of ../shared/bench/gen_street.go) cut at a line end, or a generated
// file of 200,000 rows.
func benchData(b *testing.B) []byte {
	b.Helper()
	path := os.Getenv("CRIMETRENDS_BENCH_CSV")
	if path == "" {
		return benchInput(200_000)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 64<<20))
	if err != nil {
		b.Fatal(err)
	}
	return data[:bytes.LastIndexByte(data, '\n')+1]
}

// BenchmarkScan measures the parse and aggregation of the workers alone
// (no SHA-256, reading or sequencing), on the blocks the reader cuts: with
// recordStreet (the default for police.uk's column order), with splitFast
// alone, and with splitPlain alone.
func BenchmarkScan(b *testing.B) {
	data := benchData(b)
	rd := &reading{ctx: context.Background(), name: "bench.csv"}
	br := &blockReader{ctx: rd.ctx, name: rd.name, r: bytes.NewReader(data), size: BlockSize}
	var blocks []*block
	for {
		blk, err := br.next()
		if err != nil {
			b.Fatal(err)
		}
		if blk == nil {
			break
		}
		blocks = append(blocks, blk)
	}
	if err := rd.header(blocks[0]); err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"street", "fast", "plain"} {
		b.Run(path, func(b *testing.B) {
			cols := *rd.cols
			cols.street = cols.street && path == "street"
			cols.fast = cols.fast && path != "plain"
			s := newScanner(rd.ctx, rd.name)
			s.cols = &cols
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			defer cpuMetric(b)()
			for b.Loop() {
				for _, blk := range blocks {
					res := &result{}
					s.scan(blk.data[blk.skip:], res)
					if res.err != nil {
						b.Fatal(res.err)
					}
				}
			}
		})
	}
}

// cpuMetric reports the process's CPU time (user+sys) per op, which a
// loaded machine disturbs less than the wall time of ns/op. Call as
// defer cpuMetric(b)().
func cpuMetric(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
