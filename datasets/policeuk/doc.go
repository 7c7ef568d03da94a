// Package policeuk reads data.police.uk street-level crime CSV files
// (YYYY-MM-<force>-street.csv, or many of them concatenated under one
// header) into a datasets.Extract: counts of crimes and anti-social
// behaviour incidents by reporting force, police.uk category and month,
// with the (force, month) coverage and the file's row accounting; and, with
// ReadOutcomes, the outcomes files of the same archives
// (YYYY-MM-<force>-outcomes.csv, see "Outcomes" below).
//
// # Rows as their file is named
//
// data.police.uk publishes one file per reporting force and month, in a
// YYYY-MM/ folder. ExpectFromName reads that from an input's name, and the
// readers, given it (ReadOptions.Expect), refuse a row whose "Reported by"
// force or Month is another, with a *datasets.RowError naming the file, row
// and column (wrapping datasets.ErrNotAsNamed): such a row would otherwise be
// filed under the force and month it says and replace that force's real
// month. The force is checked on "Reported by", the column counted, not on
// "Falls within", which data.police.uk documents as the force whose area
// the crime falls in and may fill differently (British Transport Police
// crimes fall within territorial forces); in the real files the two agree.
// A file whose name and folder give different months is an error too. A
// name that is not a data.police.uk monthly file's (a concatenation,
// national.csv) expects nothing.
//
// The reader is a purpose-built byte scanner, not encoding/csv, because
// national downloads run to tens of gigabytes. It cuts its input into
// blocks of BlockSize bytes, each ending at the last line end outside
// quotes (quote parity is tracked by counting '"' bytes, so a quoted field
// holding newlines never straddles two blocks). Blocks are parsed and
// aggregated by n workers (GOMAXPROCS, at most 4) into worker-local
// counts, hashed with SHA-256 in file order by a goroutine of their own,
// and sequenced in file order by the calling goroutine, which numbers rows, reports the first
// bad row in file order (at its exact row, however the blocks were
// scheduled) and removes repeated Crime IDs. The counts are merged at the
// end; the Extract is the same whatever the number of workers. An input
// that fits in one block, or ReadOptions.Workers = 1, is read in the
// calling goroutine alone. Memory is bounded: at most 2n+2 blocks are in
// flight for n workers, plus the Crime ID sets described below (and, with
// ReadOptions.CrimeIDs, the Crime IDs kept; see "Crime IDs").
//
// Most rows are split without looking at every byte: the columns before
// the first run of columns the reader does not need are found from the
// row's start, those after it from the row's end, and the run itself is
// only counted (bytes.Count of its commas, or an RFC 4180 count when it
// holds the row's quotes). In police.uk's column order the row's end
// (Crime type, Last outcome category, Context) and its Month and Reported
// by repeat from row to row, so each worker keeps small caches of them,
// keyed by a word of the row and checked byte for byte. A row that any of
// this does not fit (quotes in a needed column, a wrong field count) is
// split field by field, which gives the exact error; the result never
// depends on the path a row takes (the tests compare every path with the
// field-by-field split).
//
// Each row is counted against its "Reported by" force (so British Transport
// Police crimes count for BTP wherever they fall) and its "Crime type",
// stored under the category's canonical police.uk name. Anti-social
// behaviour rows, whose Crime ID is empty, are all kept. The first bad row
// stops the read with a *datasets.RowError.
//
// # Repeated Crime IDs
//
// A row whose non-empty Crime ID repeats that of an earlier row of the same
// "Reported by" force and month is skipped as a duplicate (ReasonDuplicate);
// the first row is the one counted. data.police.uk publishes one file per
// force and month, and its repeats are within a file, so the same ID in
// two forces or two months is not a repeat.
//
// The reader keeps one set per (force, month) of 128-bit hashes of the IDs
// (two lanes of a fixed-seed multiply-rotate hash: deterministic; a
// collision, which would skip a distinct row, has a probability of about
// n²/2¹²⁹ for n IDs in a set). The rule that bounds memory: between
// blocks, once every DedupWindow/8 rows, the reader frees the set of every
// (force, month) for which more than DedupWindow (524,288) rows have been
// read since the start of the last block holding one of its rows. Rows
// come grouped by force and month in the downloads (a file per force and
// month) and in concatenations of them, so a freed set is never
// needed again and the result is exact; memory holds at most the IDs of
// the last DedupWindow rows plus those of the (force, month) groups they
// touch (the largest real group, the Met's, is about 110,000 rows). If a
// row does arrive for a (force, month) whose set was freed, a new set is
// started for it, so repeats among the late rows are still found, but a
// repeat of a row from before the gap is not: the read then logs a warning
// through ReadOptions.Logger with the number of late rows and groups.
//
// # Crime IDs
//
// With ReadOptions.CrimeIDs the street reader also returns the Crime ID of
// every crime it counted (Extract.CrimeIDs), hashed with CrimeKey (the
// first lane of the hash above, its low four bits cleared: the category's
// index rides there, so 8 bytes a crime), once per force and month, in the
// order of the file, with the crime's category. The sequencer hands them,
// in file order, to a buffer of keepBuffer (32Ki) entries; a full buffer
// goes to its forces and months' datasets.CrimeIDs in memory, or, with
// ReadOptions.Spill, to that temporary file (an ingest's, shared by the
// inputs it reads at once), so that a national download's tens of
// millions of crimes cost disk, not memory: the read holds the buffer
// alone. A buffer is a few stretches of one force and month each, as rows
// come grouped so; one that is not (rows of many forces and months mixed)
// is first sorted by force and month, so that each gets one run of the
// file per buffer. A failed write to the spill stops the read with its
// error. The store keeps them per vintage, so that an outcomes file
// ingested later can find its crimes' types.
//
// # Outcomes
//
// ReadOutcomes reads an outcomes file (Crime ID, Month, Reported by, Falls
// within, location columns, Outcome type: one row per outcome recorded in
// the month) with the same scanner, sequentially: it checks every row (a
// month, a known force, an outcome type (datasets.CheckOutcomeType: one of
// datasets.OutcomeTypes, or a type it does not list kept as written, at most
// MaxUnknownOutcomeTypes of them a file), and the file's name), skips a row that repeats an
// earlier row of the same force and month byte for byte
// (ReasonExactDuplicate: the real files hold such copies, some three times),
// and keeps each outcome's hashed Crime ID. Rows with the same Crime ID and
// different outcomes are all counted: a crime can have several (a charge,
// then a sentence). Outcomes.Type then finds each crime's category through a
// lookup of its key (the pipeline's, over the street files of the ingest and
// the store's index) and sets Extract.Outcomes: counts by force, month,
// crime type (datasets.CrimeTypeUnknown when the crime is in no street file:
// typically one older than the street data) and outcome type.
package policeuk
