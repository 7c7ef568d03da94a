// Package datasets is crimetrends' shared vocabulary: the calendar month, the
// count at a source's finest grain, row-level errors and input accounting,
// and the reference data every stage keys on (police force areas with their
// ONS codes, the Home Office offence taxonomy, the police.uk categories and
// the police.uk outcome types with the groups crimetrends puts them in).
//
// Expand turns paths (files, folders, .zip archives) into inputs and Sniff
// finds each one's format from its header: a data.police.uk street file, an
// outcomes file (the street header's first columns, an "Outcome type" and
// no "Crime type"), a stop and search file (recognised so that an ingest can
// skip it with ReasonStopAndSearch), a Home Office CSV or a spreadsheet.
// ParsePoliceUKName reads what a data.police.uk file's name says (month,
// force, kind, YYYY-MM/ folder, the archive it came in) and ArchiveMonths
// dates each archive: by its own name (2019-03.zip, or an unpacked folder
// 2019-03/) or its newest YYYY-MM/ folder.
//
// OutcomeCount is a police.uk outcome count (force x month x crime type x
// outcome type) and CrimeIDs a street file's hashed Crime IDs of one force
// and month, held in memory or in a CrimeIDSpill, the temporary file an
// ingest keeps them in until the store writes them; OutcomeShares is the
// model of what happened to a force's crimes, which pipeline.Outcomes
// computes and reports render.
//
// Source readers live in sub-packages (policeuk, homeoffice) and the Parquet
// dataset lives in store. Nothing here depends on pipeline or reports.
package datasets
