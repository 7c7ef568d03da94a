// Package homeoffice reads the Home Office police recorded crime open data
// table ("prc-pfa-mar2013-onwards-tables"): one row per force, Home Office
// offence code and financial quarter, with the number of offences recorded.
//
// The table is published as ODS and often converted to CSV or xlsx. ReadCSV,
// ReadXLSX and ReadODS turn any of them into a datasets.Extract of quarterly
// counts keyed on the force's ONS area code (or datasets.CodeBTP) and the
// offence code, with one Coverage per area and quarter present. ReadODS
// streams the sheet from content.xml, one row at a time, so a large
// published file is read in flat memory. A spreadsheet saved with a
// password (an encrypted xlsx, an ODS whose manifest lists encryption
// data) is datasets.PasswordProtected's error: save a copy without it.
//
// The readers survive the quirks of the published files: counts padded with
// spaces (" 66776 ") or written with thousands separators, "-00" for zero,
// quarters written 1..4 or Q1..Q4, header names in any case with spaces or
// underscores, the Home Office spelling "London, City of", and rows for the
// fraud reporting bodies (Action Fraud, CIFAS, Financial Fraud Action UK,
// UK Finance), which are skipped because they are not police force areas.
//
// Two behaviours follow the real data rather than intuition:
//
//   - Negative counts are kept. The Home Office publishes them as
//     adjustments (offences cancelled or reclassified after the quarter
//     closed), and ONS totals include them: for example Humberside's 2017/18
//     stalking and harassment total matches the ONS figure only with its
//     "-1" row for 8M counted.
//   - Rows for a composite offence code such as "1/4.1/4.10/4.2" (homicide:
//     murder, manslaughter, corporate manslaughter and infanticide) appear
//     once per component offence with the same force, code and quarter, and
//     are summed. For any other code a repeated force, code and quarter is a
//     duplicated row and an error.
//
// Any malformed row stops the read with a *datasets.RowError that names the
// file (and sheet), the row (1-based, the header being row 1 in a CSV; the
// spreadsheet's own row number in an xlsx), the column and what was
// expected, wrapping one of the datasets sentinels (ErrNoSuchColumn,
// ErrBadHeader, ErrBadMonth, ErrBadCount, ErrUnknownForce,
// ErrUnknownOffence, ErrBadRow).
package homeoffice
