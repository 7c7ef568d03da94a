// Package datasets is crimetrends' shared vocabulary: the calendar month, the
// count at a source's finest grain, row-level errors and input accounting,
// and the reference data every stage keys on (police force areas with their
// ONS codes, the Home Office offence taxonomy and the police.uk categories).
//
// Source readers live in sub-packages (policeuk, homeoffice) and the Parquet
// dataset lives in store. Nothing here depends on pipeline or reports.
package datasets
