// Package cli is the crimetrends command line: the ingest, report, run,
// demo, verify and repair subcommands and their wiring of the datasets,
// pipeline and reports packages. Run is callable from tests without a
// subprocess; only main exits.
//
// Commands that only read a dataset (report, verify) open it read-only
// and take no lock. Writers (ingest, run, repair) take the dataset's lock
// through datasets/store, and a report takes the lock of its --out folder
// (publish.go) from reading the previous report to switching in its own;
// both wait up to --wait, saying so on stderr, then fail with exit 1.
//
// A report writes every file straight into its run folder as it is made
// (staging.create streams it, hashing as it goes), never holding a whole
// file: trends.csv first (its keys give the revisions against the previous
// report), then the pages one at a time while the workbook is written on
// another goroutine, then the other CSVs and the manifest; the run is
// named by the digest of its files in the order of the manifest's outputs.
// BenchmarkReport profiles the whole command on a dataset named by
// CRIMETRENDS_BENCH_DATA.
package cli
