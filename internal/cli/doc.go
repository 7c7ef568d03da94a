// Package cli is the crimetrends command line: the ingest, report, run and
// demo subcommands and their wiring of the datasets, pipeline and reports
// packages. Run is callable from tests without a subprocess; only main exits.
package cli
