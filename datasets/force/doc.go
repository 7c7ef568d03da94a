// Package force reads a police force's own record-level crime extract: one
// row per crime record, exported from the force's records system as CSV or
// xlsx, with columns named in a Mapping taken from the config. It is
// management information, not official statistics.
//
// A force extract differs from the published sources in three ways, and the
// package is built around them (see DOMAIN.md, "Force extracts"):
//
//   - Offences may carry local classification codes. A Crosswalk (a CSV of
//     local_code,ho_code) maps them to Home Office offence codes; a code that
//     is neither in the crosswalk nor a Home Office code is an error.
//   - Records change after they are recorded: they are reclassified (8L
//     harassment becomes 8Q stalking) or cancelled ("no crime", transferred
//     to another force). Every Extract therefore carries the date it was
//     taken, and Merge keeps only the latest version of each crime reference
//     across a series of extracts, dropping those whose latest version is
//     cancelled.
//   - An extract is a snapshot of a live system. Merge counts a month as
//     covered only when it lies between the earliest and the latest recorded
//     month of an extract and had ended before the extract was taken, so a
//     half-recorded current month is never shown as a fall.
//
// ReadCSV and ReadXLSX turn one file into an Extract of Records; Merge turns
// several into datasets.Count values (Source "force", one per area, Home
// Office code and month) with one datasets.Coverage per area and month.
//
// Malformed input stops the read with a *datasets.RowError naming the file
// (and sheet), the row (the header is row 1 of a CSV; an xlsx uses the
// sheet's own row numbers), the column and what was expected. It wraps a
// datasets sentinel or one of this package's, which wrap datasets sentinels
// in turn, so errors.Is works with either.
package force
