// Package policeuk reads data.police.uk street-level crime CSV files
// (YYYY-MM-<force>-street.csv) into a datasets.Extract: counts of crimes and
// anti-social behaviour incidents by reporting force, police.uk category and
// month, with the (force, month) coverage and the file's row accounting.
//
// The reader is a purpose-built byte scanner, not encoding/csv: it streams
// the file once, aggregating as it goes, and allocates nothing per row on
// its hot path beyond the amortised growth of its set of Crime IDs, because
// national downloads run to tens of gigabytes.
//
// Each row is counted against its "Reported by" force (so British Transport
// Police crimes count for BTP wherever they fall) and its "Crime type",
// stored under the category's canonical police.uk name. A row repeating an
// earlier row's non-empty Crime ID is skipped as a duplicate; anti-social
// behaviour rows, whose Crime ID is empty, are all kept. The first bad row
// stops the read with a *datasets.RowError.
package policeuk
