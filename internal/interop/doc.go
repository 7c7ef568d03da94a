// Package interop holds tests that read crimetrends' Parquet dataset with
// other tools (DuckDB) to prove it is a standard table that gives the same
// counts. It has no non-test code.
package interop
