package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReport runs `crimetrends report` in the test binary, so that a
// CPU or memory profile covers the whole command (reading the dataset, the
// analysis, every output):
//
//	CRIMETRENDS_BENCH_DATA=/tmp/bench15/data go test -run '^$' -bench Report \
//	    -benchtime 1x -cpuprofile cpu.out -memprofile mem.out ./internal/cli/
//
// CRIMETRENDS_BENCH_FORCE picks the forces (default Wiltshire; "all" for
// every force). It skips without a dataset.
func BenchmarkReport(b *testing.B) {
	data := os.Getenv("CRIMETRENDS_BENCH_DATA")
	if data == "" {
		b.Skip("CRIMETRENDS_BENCH_DATA names no dataset")
	}
	force := os.Getenv("CRIMETRENDS_BENCH_FORCE")
	if force == "" {
		force = "Wiltshire"
	}
	out := filepath.Join(b.TempDir(), "report")
	args := []string{"report", "--quiet", "--data", data, "--out", out, "--force", force, "--generated-at", "2025-12-01T00:00:00Z"}
	b.ReportAllocs()
	for b.Loop() {
		if code := Main(context.Background(), args, io.Discard, os.Stderr); code != 0 {
			b.Fatalf("report: exit status %d", code)
		}
	}
}
