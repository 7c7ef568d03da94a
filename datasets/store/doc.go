// Package store keeps ingested counts (datasets.Count) as a dataset of
// Parquet files, one per input, with a JSON catalog of vintages, so that
// every run can say which input each figure came from, keep older figures
// when sources revise them, and be read by DuckDB or Spark as one table.
//
// # Layout
//
//	DIR/catalog.json                                 the commit point: vintages, inputs, coverage keys, files
//	DIR/counts/<vintage>-<source>-<sha12>.parquet    one file per ingested input
//	DIR/.lock                                        present while a run writes; holds its pid
//
// Each Parquet file is zstd-compressed, with row groups of at most 512Ki
// rows, and has these non-null columns:
//
//	source        string  datasets.Count.Source ("policeuk", "homeoffice")
//	area_code     string  ONS code of the police force area, or "BTP"
//	offence       string  Home Office offence code or police.uk category
//	period_start  string  first month, "YYYY-MM"
//	period_end    string  last month, "YYYY-MM" (inclusive)
//	count         int64   recorded offences
//	vintage       string  vintage ID, "v000001"; IDs sort lexically in Seq order
//	input_sha256  string  hex SHA-256 of the input the row came from
//
// Rows are sorted as datasets.SortCounts sorts them.
//
// # Vintages and replacement
//
// Store.Add writes one vintage per call holding every input whose SHA-256 is
// new; the same bytes ingested again change nothing. Nothing is ever
// deleted: a newer input that covers the same key (source, area, Start, End)
// as an older one replaces it in Store.Current, but the older file stays on
// disk and in the catalog. See Store.Current for the exact rule.
//
// # Crash safety and locking
//
// Parquet files are written under temporary names (".<name>.tmp"), synced
// and renamed, and only then is catalog.json replaced by a rename. A failure
// or a kill at any point leaves the previous catalog, and so the previous
// dataset. Files the catalog does not name are ignored by Current and
// removed by the next Open or Add. Add takes DIR/.lock (created with
// O_EXCL, holding the pid) and fails with ErrLocked if a live process holds
// it; a lock left by a dead process is removed. If another process reused a
// dead run's pid, remove the lock file by hand.
//
// # Reading it with DuckDB
//
// Every file, superseded vintages included, reads as one table:
//
//	SELECT * FROM read_parquet('DIR/counts/*.parquet');
//
// Because superseded figures are in there too, sum nothing from that table
// directly. This query keeps, for each (source, area_code, period_start,
// period_end), the rows of the latest vintage, which is what Store.Current
// returns when each count's period is its coverage key's period (one month
// for police.uk, one financial quarter for the Home Office):
//
//	SELECT *
//	FROM read_parquet('DIR/counts/*.parquet')
//	QUALIFY vintage = max(vintage) OVER (PARTITION BY source, area_code, period_start, period_end);
//
// It differs from Store.Current in three rare cases, which only the catalog
// can settle: a newer input that covers a key but has no rows for it (the
// query keeps the older rows; Current returns none), two inputs of one
// vintage covering the same key (Current keeps the later in Add order; the
// query keeps both), and a Parquet file of a killed run that the catalog
// does not name (the next Open or Add removes it). The catalog is plain
// JSON that DuckDB reads too, for example to list the inputs:
//
//	SELECT v.id, v.ingested_at, i.name, i.sha256, i.rows, i.file
//	FROM read_json('DIR/catalog.json') AS c, unnest(c.vintages) AS t(v), unnest(v.inputs) AS u(i);
package store
