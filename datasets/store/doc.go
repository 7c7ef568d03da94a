// Package store keeps ingested counts (datasets.Count) and published
// figures (datasets.Published: the ONS PFA tables as each release printed
// them) as a dataset of Parquet files, one per vintage, source and kind,
// with a JSON catalog of vintages, so that every run can say which input
// each figure came from, keep older figures when sources revise them, and
// be read by DuckDB or Spark as one table per kind.
//
// # Layout
//
//	DIR/catalog.json                          the index and commit point: one JSON line per vintage
//	DIR/catalog/<vintage>.json                the vintage's inputs in full: coverage keys, stats, files
//	DIR/counts/<vintage>-<source>.parquet     the counts of every input of that source in that vintage
//	DIR/published/<vintage>-<source>.parquet  their published figures, for sources that have any
//	DIR/outcomes/<vintage>-policeuk-outcomes.parquet  police.uk outcome counts of that vintage's outcomes inputs
//	DIR/crimeids/<vintage>.parquet            the hashed Crime IDs of that vintage's police.uk street inputs
//	DIR/.lock                                 the writers' lock file (flock); empty, never removed
//	DIR/.pending.json                         present while a writer puts a vintage in place
//	DIR/.crimeids-<digits>.tmp                an ingest's Crime IDs while it reads its inputs (NewCrimeIDSpill):
//	                                          nameless from its creation where the system allows; never part of the dataset
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
// rows (a small file is one small row group). A counts file has these
// non-null columns:
//
//	source        string  datasets.Count.Source ("policeuk", "homeoffice", "force")
//	area_code     string  ONS code of the police force area, or "BTP"
//	offence       string  Home Office offence code or police.uk category
//	period_start  string  first month, "YYYY-MM"
//	period_end    string  last month, "YYYY-MM" (inclusive)
//	count         int64   recorded offences
//	vintage       string  vintage ID, "v000001"; IDs sort lexically in Seq order
//	input_sha256  string  hex SHA-256 of the input the row came from
//
// # Published figures
//
// An extract may carry published rows (datasets.Extract.Published) instead
// of, or as well as, counts: an ONS PFA data tables workbook read by
// datasets/ons comes as an extract of source "ons-pfa" with published rows
// and no counts or coverage. They go to
// published/<vintage>-<source>.parquet, laid out as the counts files are:
// the rows of every input of that source in that vintage, input after input
// in Add order, each input's rows sorted by release, area_code, offence and
// period_end. An input with published rows and no counts has no counts file
// (its "file" in the catalog is ""). Each published file is zstd-compressed
// with these columns, non-null unless marked nullable:
//
//	release       string  release ID, "ons-pfa-2019-03" ("-corrected", "-v2" for revisions)
//	area_code     string  ONS code (force, region, country, England and Wales) or "BTP"
//	area_name     string  the area's name as published
//	offence       string  offence group label, "Stalking and harassment"
//	period_end    string  last month of the period, "YYYY-MM"
//	months        int32   the period's length in months (12)
//	count         int64   nullable: recorded offences; null where none was published
//	count_marker  string  what was printed instead of a count ("..", "-", "+"), or ""
//	pct_change    double  nullable: percentage change on the year before, as published
//	pct_marker    string  what was printed instead of the change, or ""
//	rate          double  nullable: offences per 1,000 population, as published
//	rate_marker   string  what was printed instead of the rate, or ""
//	population    int64   nullable: the rate's population; null where not given
//	file          string  datasets.Published.File: the workbook's name as read
//	vintage       string  vintage ID
//	input_sha256  string  hex SHA-256 of the input the row came from
//	footnotes     string  nullable: the release's footnotes on the row's figures
//	                      (datasets.Published.Footnotes) joined with "\n"; null for none
//
// Floats are stored as the reader parsed them, so they read back bit for
// bit; a population of 0 (unknown) is stored as null and reads back as 0.
// A footnote holds no newline (Add refuses one that does), so splitting the
// footnotes column on "\n" gives the footnotes back. Files written before
// the footnotes column have the other fifteen columns only and read back as
// rows without footnotes.
//
// The notes of a release that bear on all its figures
// (datasets.Extract.ReleaseNotes: "Tables P1, P2 and P3: Police recorded
// crime data are not designated as National Statistics.") are not on every
// row but in the input's record in catalog/<vintage ID>.json, as
// "release_notes", a list of {"release": ..., "text": ...} in the order the
// input gave them (absent when it has none, as in vintages written before
// they were kept). Snapshot.ReleaseNotes holds those of the input that won
// each release.
// Each release is its own vintage of the published figures: Store.Current
// returns, for every release ID, the rows of the latest input carrying it,
// so that a release ingested again from other bytes replaces the earlier
// rows (Snapshot.SupersededReleases says so) and different releases are
// all kept.
//
// # Police.uk outcomes
//
// A data.police.uk outcomes file becomes an input of source
// "policeuk-outcomes" (datasets.SourcePoliceUKOutcomes) with coverage keys
// (one per force and month, as the street files have) and outcome counts
// (datasets.Extract.Outcomes) instead of counts. Its rows go to
// outcomes/<vintage>-policeuk-outcomes.parquet, laid out as a counts file
// is (input after input in Add order, each sorted by area, month, crime type
// and outcome); its catalog record's rows count them and its file names
// that file. Each outcomes file is zstd-compressed with these non-null
// columns:
//
//	source        string  "policeuk-outcomes"
//	area_code     string  ONS code of the police force area, or "BTP"
//	month         string  "YYYY-MM": the month the outcome was recorded (not the month of the crime)
//	crime_type    string  the crime's police.uk category, found through its Crime ID in the street
//	                      files; "" when no street file held the crime (type unknown)
//	outcome       string  the police.uk outcome type, "Suspect charged"
//	count         int64   outcomes
//	vintage       string  vintage ID
//	input_sha256  string  hex SHA-256 of the input the row came from
//
// Outcome keys follow the rule of counts keys (the latest input covering a
// force and month wins) but are kept apart: Store.Current leaves them out
// of Snapshot.Coverage (Snapshot.Superseded has them) and reads no outcomes
// file; Store.Outcomes returns the current outcome counts and their keys.
//
// The store keeps counts, not Crime IDs, so an outcomes file ingested after
// the street files of its crimes finds their types through an index: the
// Crime IDs of every police.uk street input of a vintage, hashed
// (policeuk.CrimeKey: 64 bits of a fixed, non-cryptographic hash, never
// changed since it is on disk), in crimeids/<vintage>.parquet: a row per
// force, month and crime type of each input, its keys in a list (in the
// order of the street file), the rows sorted by area, month and crime type
// (and by input, in Add order, where two inputs have the same), with a row
// group per force, cut after about 512Ki keys. (Files written before this
// order have their inputs one after the other, each sorted so, in row
// groups of about 512Ki keys; they read the same.) The catalog record's
// "crime_ids" counts an input's keys, so the file needs no vintage or
// input column. Columns, non-null (the keys plain-encoded and
// uncompressed: they are random):
//
//	area_code     string        the force that recorded the crimes
//	month         string        "YYYY-MM": the month of the crimes (the street file's)
//	crime_type    string        the crimes' police.uk category
//	crime_keys    list<int64>   the hashed Crime IDs (the unsigned keys' bits)
//
// In DuckDB, one row per crime:
//
//	SELECT area_code, month, crime_type, unnest(crime_keys) AS crime_key
//	FROM read_parquet('DIR/crimeids/*.parquet');
//
// Store.CrimeTypes looks keys up in every vintage's index, the latest
// vintage winning; about 8 bytes a crime on disk (the keys are random, so
// they do not compress).
//
// A store written before outcomes existed has no outcomes/ or crimeids/:
// readers and Verify take a missing one as empty, and Add creates them.
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
// An input with published rows also has "published_rows" (absent means 0),
// after "rows":
//
//	{"name":"pfa-2019-03.xlsx","sha256":"…","source":"ons-pfa","rows":0,"published_rows":1232}
//
// catalog/<vintage ID>.json is written once, before the vintage's line, and
// never changed. It holds the vintage's id, seq and ingested_at again, and
// each input's name, sha256, source, rows, file, stats (read, used, skipped,
// rejected) and coverage keys (source, area_code, start, end), and, for an
// input with published rows, published_rows, published_file
// ("published/<vintage>-<source>.parquet"), releases (its distinct release
// IDs, sorted) and release_notes (when it has any: each naming one of
// releases), and must agree with the index. Three more fields are there
// only when not empty: crime_ids (the input's rows in the Crime ID index),
// and superseded_by or same_as, naming the input of the same vintage whose
// newer figures replaced all of this input's or whose figures it repeats
// (an ingest decides that by the inputs' own dating; the input then has no
// coverage left, and its stats say where its rows went). The published
// fields are absent for inputs without published rows, so a catalog written
// before they existed reads as one without published figures and keeps
// format 3. It also holds "files": each Parquet file of the vintage (its
// counts, published and outcomes files and its Crime ID index), sorted by
// path, with the SHA-256 and size of its bytes as written, which Verify
// checks:
//
//	"files": [{"path": "counts/v000001-policeuk.parquet", "sha256": "…", "bytes": 5120}]
//
// A vintage file written before "files" existed has none and still reads;
// Verify then checks its files' rows, not their bytes, and says so.
//
// Open reads the index only (about 1 MB for ten years of monthly police.uk
// downloads, 44 inputs a month), and lists the data folders (a few files
// per vintage) to check them against it. Add reads only the lines other
// processes appended since this Store last read the index (it checks that
// the file and its last line it read are unchanged, and reads it all again
// otherwise), writes its files and appends one line. Store.Current,
// Store.Outcomes and Store.CrimeTypes read every vintage file, each once
// per Store.
//
// Every line and vintage file has "format": 3. A catalog.json of format 1
// (one Parquet file per input) or 2 (one JSON document holding every
// vintage) is refused with an error saying to ingest the source files again
// into a new directory.
//
// # Crash safety
//
// Parquet files (counts, published, outcomes and Crime IDs) and the
// vintage file are written under temporary names (".<name>.tmp"), synced,
// and hashed. Then the writer's note, PendingFile, is written (under a
// temporary name, synced, renamed, the folder synced): the vintage, the index as it is then (its
// size and modification time, and on Linux its device, inode and inode
// change time, which no copy or restore keeps), the exact line that will
// commit the vintage, and every file about to be renamed in with its
// SHA-256 and size. Only then are the files renamed to their final names,
// and then the vintage's line is appended to catalog.json (in one write)
// and synced, and the note removed. The first Add creates an empty
// catalog.json before it writes its note, so every commit is an append.
//
// The vintage is committed when its line is whole in the file: a last line
// that is not valid JSON is a write a kill or a crash tore, and is ignored;
// a last line that is a whole record without its newline counts. So a
// failure or a kill at any point leaves the previous index, and so the
// previous dataset; a failed Add removes its own files before it returns
// (unless its append failed and could not be taken back, so that the
// vintage may be committed after all: then its files and note stay, and
// the next writer settles it).
//
// # Readers, writers and leftovers
//
// A reader (Open, Vintages, Current, Outcomes, CrimeTypes, Verify) never
// writes: it creates no file or folder, takes no lock and removes nothing,
// so a dataset on a read-only share, or owned by a colleague, can be
// reported from, and a reader beside a running Add sees the dataset before
// that Add until its line is in the index, and after it from then on.
// Files of vintages the index does not list are ignored by the readers;
// Open accepts them only when they are accounted for:
//
//   - files the note names, when the note is for the vintage after the
//     last one the index lists and catalog.json is exactly as the writer
//     stamped it (or differs only by a torn start of the note's own line):
//     an Add running now, or one killed before its commit;
//   - otherwise Open reads the index again: a writer may have committed
//     them meanwhile.
//
// Any other file of a later vintage (one named "vNNNNNN-<source>.parquet"
// in counts/, published/ or outcomes/, "vNNNNNN.parquet" in crimeids/, or
// "vNNNNNN.json" in catalog/, with NNNNNN past the index's last vintage)
// means the index does not describe the files: catalog.json is missing,
// empty, or older than the files (restored from a backup). Open and Add
// then return an error wrapping ErrStaleIndex that names the files and
// says to run "crimetrends verify" and "crimetrends repair", and nothing is
// changed.
// Files of other names (a user's notes, a .parquet file of theirs) are
// never read, never removed and never an error for Open; Verify lists them
// as not part of the dataset.
//
// Only a writer cleans up, under the lock, and only what it can prove it
// left (Add does this first, every time; Repair too):
//
//   - the files the note names, when the note proves them uncommitted as
//     above and each still has the SHA-256 and size the note gives; a file
//     changed since is not the writer's any more and is kept;
//   - temporary files of its own naming: ".<name>.tmp" where <name> is a
//     vintage file's name as above, ".catalog.json.tmp" and
//     ".pending.json.tmp", which no other writer can be writing while it
//     holds the lock;
//   - the note, once its vintage is committed or its files are gone;
//   - a torn last line of catalog.json (cut off), or the newline a whole
//     last record lacks (written);
//   - Crime ID spill files, ".crimeids-<digits>.tmp" in DIR: an ingest
//     makes one while it reads its inputs, before it takes the lock, and
//     removes its name at once where the system allows (Linux, macOS: the
//     file lives while open, and goes with its process however that
//     ends), or else when it is done. So one with a name is a killed
//     ingest's, or a running ingest's on a system that keeps the names of
//     open files (Windows), which refuses to remove it: the writer
//     removes those it can and ignores the rest.
//
// It checks first that nothing else would be left unlisted: if any file
// of a later vintage is not proven, it removes nothing at all and fails
// with ErrStaleIndex. A folder that merely holds such data folders
// therefore never loses a file: without a note written by a writer over
// its own index, nothing in it is provably a leftover.
//
// # Verify and Repair
//
// Verify (crimetrends verify) checks a dataset without writing: every line
// of the index, every vintage record against it, every Parquet file a
// record names (present, of the recorded SHA-256 and size, holding the
// recorded rows of each input, and the recorded number of Crime IDs), and
// that nothing else is in catalog/, counts/, published/, outcomes/ and
// crimeids/. Leftovers of an unfinished Add, and Crime ID spill files, are
// notes, not problems.
// Repair (crimetrends repair) rebuilds catalog.json from the vintage
// records, which must run from v000001 without a gap and whose files must
// all check out, writing it under a temporary name and renaming it; it keeps a replaced index whose lines it could not carry over as
// catalog.json.before-repair, and deletes nothing beyond a writer's proven
// leftovers unless asked to delete the files no record lists (DeleteExtra).
//
// # Locking
//
// Writers (Add, Repair) take an operating-system lock on DIR/.lock
// (AcquireLock: flock(2) through golang.org/x/sys/unix; LockFileEx on
// Windows). The kernel holds it for the open file: it is released when its
// holder exits or is killed, it is never "stale", and it holds across PID
// namespaces (containers sharing a volume on one host). A second writer
// waits up to Options.LockWait (saying so through Options.OnWait) and then
// fails with ErrLocked; it never breaks the first. Readers take no lock.
// On network file systems a lock holds between machines only as far as
// the file system carries it: Linux NFS clients emulate flock with POSIX
// locks sent to the server (NFSv4, or NFSv3 with the lock service), but
// with the mount option local_lock=flock or local_lock=all, or nolock, the
// lock is local to one machine; SMB/CIFS mounts likewise depend on their
// options. Run one writer at a time there. On AIX, Plan 9 and WebAssembly
// there is no lock at all.
//
// # Reading it with DuckDB
//
// Every counts file, superseded vintages included, reads as one table:
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
// later in Add order; the query keeps both; crimetrends' ingest gives a key
// to one input of an ingest since it decides conflicts, but a dataset
// written before may hold such pairs), and a Parquet file of a killed
// run that the index does not list (the next Add removes it).
//
// The police.uk outcomes read the same way; the latest vintage of each
// force and month (the same rule as the counts' short query, exact here
// since an outcomes key is one force and one month):
//
//	SELECT *
//	FROM read_parquet('DIR/outcomes/*.parquet')
//	QUALIFY vintage = max(vintage) OVER (PARTITION BY source, area_code, month);
//
// Published figures, every release and every vintage of it, read as one
// table the same way; union_by_name lets files written before the footnotes
// column (null footnotes) sit beside newer ones:
//
//	SELECT * FROM read_parquet('DIR/published/*.parquet', union_by_name = true);
//
// (DuckDB fails on a glob that matches no file: a store without published
// figures has none. Without union_by_name it takes the columns of one file
// and fails on files that lack them.) string_split(footnotes, chr(10))
// gives a row's footnotes as a list. This query returns exactly what
// Store.Current returns
// as Snapshot.Published: each release is won by the latest input carrying
// it, by the releases listed in the vintage files:
//
//	WITH committed AS (
//	  SELECT id FROM read_json('DIR/catalog.json', format = 'newline_delimited', ignore_errors = true,
//	                           columns = {id: 'VARCHAR'})
//	),
//	releases AS (
//	  SELECT v.id AS vintage, u.n AS pos, i.sha256 AS input_sha256, w.release
//	  FROM read_json('DIR/catalog/*.json', columns = {id: 'VARCHAR',
//	         inputs: 'STRUCT(sha256 VARCHAR, releases VARCHAR[])[]'}) AS v
//	       SEMI JOIN committed USING (id),
//	       unnest(v.inputs) WITH ORDINALITY AS u(i, n), unnest(i.releases) AS w(release)
//	),
//	winners AS (
//	  SELECT * FROM releases
//	  QUALIFY row_number() OVER (PARTITION BY release ORDER BY vintage DESC, pos DESC) = 1
//	)
//	SELECT p.*
//	FROM read_parquet('DIR/published/*.parquet', union_by_name = true) AS p
//	JOIN winners AS w ON p.vintage = w.vintage AND p.input_sha256 = w.input_sha256 AND p.release = w.release
//	ORDER BY p.release, p.area_code, p.offence, p.period_end;
//
// Without the catalog, the latest vintage of each release:
//
//	SELECT *
//	FROM read_parquet('DIR/published/*.parquet', union_by_name = true)
//	QUALIFY vintage = max(vintage) OVER (PARTITION BY release);
//
// which differs from Store.Current only when two inputs of one vintage carry
// the same release (Current keeps the later in Add order; the query keeps
// both) and for a file of a killed run. Nulls in count, pct_change and rate
// are figures not published: the marker columns say what was printed.
//
// The release notes of the current vintage of each release, as
// Snapshot.ReleaseNotes gives them (internal/interop runs this query):
//
//	WITH committed AS (
//	  SELECT id FROM read_json('DIR/catalog.json', format = 'newline_delimited', ignore_errors = true,
//	                           columns = {id: 'VARCHAR'})
//	),
//	inputs AS (
//	  SELECT v.id AS vintage, u.n AS pos, u.i AS i
//	  FROM read_json('DIR/catalog/*.json', columns = {id: 'VARCHAR',
//	         inputs: 'STRUCT(sha256 VARCHAR, releases VARCHAR[], release_notes STRUCT(release VARCHAR, text VARCHAR)[])[]'}) AS v
//	       SEMI JOIN committed USING (id),
//	       unnest(v.inputs) WITH ORDINALITY AS u(i, n)
//	),
//	winners AS (
//	  SELECT vintage, pos, r.release
//	  FROM inputs, unnest(i.releases) AS r(release)
//	  QUALIFY row_number() OVER (PARTITION BY release ORDER BY vintage DESC, pos DESC) = 1
//	)
//	SELECT w.release, n.note.text AS note
//	FROM winners AS w JOIN inputs AS x USING (vintage, pos),
//	     unnest(x.i.release_notes) WITH ORDINALITY AS n(note, k)
//	WHERE n.note.release = w.release
//	ORDER BY w.release, n.k;
//
// The catalog is plain JSON, as the first query shows; to list the inputs:
//
//	SELECT r.id, r.ingested_at, i.name, i.sha256, i.source, i.rows, i.published_rows
//	FROM read_json('DIR/catalog.json', format = 'newline_delimited', ignore_errors = true,
//	               columns = {id: 'VARCHAR', ingested_at: 'VARCHAR',
//	                 inputs: 'STRUCT(name VARCHAR, sha256 VARCHAR, source VARCHAR, rows BIGINT, published_rows BIGINT)[]'}) AS r,
//	     unnest(r.inputs) AS u(i);
package store
