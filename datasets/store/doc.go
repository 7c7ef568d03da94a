// Package store keeps ingested counts (datasets.Count) as a dataset of
// Parquet files, one per vintage and source, with a JSON catalog of vintages, so that
// every run can say which input each figure came from, keep older figures
// when sources revise them, and be read by DuckDB or Spark as one table.
//
// # Layout
//
//	DIR/catalog.json                        the index and commit point: one JSON line per vintage
//	DIR/catalog/<vintage>.json              the vintage's inputs in full: coverage keys, stats, files
//	DIR/counts/<vintage>-<source>.parquet   the rows of every input of that source in that vintage
//	DIR/.lock                               present while a run writes; holds its pid
//
// One Add writes one file per source however many inputs it is given (a
// year of data.police.uk downloads is 528 CSV files, one per force and
// month), so a dataset has a few files, not thousands. A file holds its
// inputs' rows input after input, in the order Add was given them, each
// input's rows sorted as datasets.SortCounts sorts them; the input_sha256
// column says which input a row came from, and the catalog gives each
// input's row count (rows) and file (file, shared by the inputs in it).
//
// Each Parquet file is zstd-compressed, with row groups of at most 512Ki
// rows (a small file is one small row group), and has these non-null
// columns:
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
// # Vintages and replacement
//
// Store.Add writes one vintage per call holding every input whose SHA-256 is
// new; the same bytes ingested again change nothing. Nothing is ever
// deleted: a newer input that covers the same key (source, area, Start, End)
// as an older one replaces it in Store.Current, but the older rows stay on
// disk and in the catalog, in a file that may also hold inputs that are
// still current. See Store.Current for the exact rule. Store.Current reads
// each Parquet file that holds a winning input once, and no other.
//
// # The catalog
//
// The catalog is split so that adding a month to a ten-year dataset costs
// time in proportion to the month, not to the dataset.
//
// catalog.json, the index, is JSON Lines: one line per committed vintage, in
// Seq order, appended by each Add and never rewritten. A line holds only what
// Add and Open need, each input's name, SHA-256 (for the exact idempotence
// check), source and row count:
//
//	{"format":3,"id":"v000001","seq":1,"ingested_at":"2024-03-01T12:30:00Z","inputs":[{"name":"a.csv","sha256":"…","source":"policeuk","rows":5}]}
//
// catalog/<vintage ID>.json is written once, before the vintage's line, and
// never changed. It holds the vintage's id, seq and ingested_at again, and
// each input's name, sha256, source, rows, file, stats (read, used, skipped,
// rejected) and coverage keys (source, area_code, start, end), and must
// agree with the index.
//
// Open reads the index only (about 1 MB for ten years of monthly police.uk
// downloads, 44 inputs a month). Add reads only the lines other processes
// appended since this Store last read the index (it checks that the file
// and its last line it read are unchanged, and reads it all again
// otherwise), writes its files and appends one line. Store.Current reads
// every vintage file, each once per Store.
//
// Every line and vintage file has "format": 3. A catalog.json of format 1
// (one Parquet file per input) or 2 (one JSON document holding every
// vintage) is refused with an error saying to ingest the source files again
// into a new directory.
//
// # Crash safety and locking
//
// Parquet files and the vintage file are written under temporary names
// (".<name>.tmp"), synced and renamed; only then is the vintage's line
// appended to catalog.json (in one write) and synced. The vintage is
// committed when its line is whole in the file: a last line that is not
// valid JSON is a write a kill or a crash tore, and is ignored; a last line
// that is a whole record without its newline counts. (The first Add writes
// catalog.json under a temporary name and renames it.) So a failure or a
// kill at any point leaves the previous index, and so the previous dataset.
// Files of vintages the index does not list are ignored by Current and
// removed by the next Open or Add, which also cut a torn last line off the
// index (or write the missing newline). Add takes DIR/.lock (created with
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
// directly. This query returns exactly what Store.Current returns: it takes
// the committed vintages from the index (ignore_errors skips a torn last
// line, as the store does), their coverage keys from the vintage files, lets
// the latest input win each key (highest vintage, then last in Add order, as
// WITH ORDINALITY numbers a vintage's inputs), and keeps each Parquet row
// whose own input won the key that contains it. Joining on the index also
// drops the files of a killed run, which it does not list:
//
//	WITH committed AS (
//	  SELECT id FROM read_json('DIR/catalog.json', format = 'newline_delimited', ignore_errors = true,
//	                           columns = {id: 'VARCHAR'})
//	),
//	keys AS (
//	  SELECT v.id AS vintage, u.n AS pos, i.sha256 AS input_sha256, k.source, k.area_code, k.start, k."end"
//	  FROM read_json('DIR/catalog/*.json', columns = {id: 'VARCHAR',
//	         inputs: 'STRUCT(sha256 VARCHAR, coverage STRUCT(source VARCHAR, area_code VARCHAR, start VARCHAR, "end" VARCHAR)[])[]'}) AS v
//	       SEMI JOIN committed USING (id),
//	       unnest(v.inputs) WITH ORDINALITY AS u(i, n), unnest(i.coverage) AS w(k)
//	),
//	winners AS (
//	  SELECT * FROM keys
//	  QUALIFY row_number() OVER (PARTITION BY source, area_code, start, "end" ORDER BY vintage DESC, pos DESC) = 1
//	)
//	SELECT p.*
//	FROM read_parquet('DIR/counts/*.parquet') AS p
//	JOIN winners AS w ON p.vintage = w.vintage AND p.input_sha256 = w.input_sha256
//	  AND p.area_code = w.area_code AND w.start <= p.period_start AND p.period_end <= w."end";
//
// Without the catalog, this shorter query keeps, for each (source,
// area_code, period_start, period_end), the rows of the latest vintage:
//
//	SELECT *
//	FROM read_parquet('DIR/counts/*.parquet')
//	QUALIFY vintage = max(vintage) OVER (PARTITION BY source, area_code, period_start, period_end);
//
// It matches Store.Current only when each count's period is its coverage
// key's period (one month for police.uk, one financial quarter for the Home
// Office) and differs in three rare cases: a newer input that covers a key
// but has no rows for it (the query keeps the older rows; Current returns
// none), two inputs of one vintage covering the same key (Current keeps the
// later in Add order; the query keeps both), and a Parquet file of a killed
// run that the index does not list (the next Open or Add removes it).
//
// The catalog is plain JSON, as the first query shows; to list the inputs:
//
//	SELECT r.id, r.ingested_at, i.name, i.sha256, i.source, i.rows
//	FROM read_json('DIR/catalog.json', format = 'newline_delimited', ignore_errors = true) AS r,
//	     unnest(r.inputs) AS u(i);
package store
