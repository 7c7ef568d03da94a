// Package e2e holds end-to-end tests that run the real crimetrends binary
// as a subprocess, the way an analyst or a scheduler runs it, to prove that
// it survives bad input and crashes.
//
// The package has no code of its own, only tests. They build
// ./cmd/crimetrends once per test run into a temporary folder and check:
//
//   - bad inputs (the corpus in testdata/badinputs, whose expected outcomes
//     are listed in testdata/badinputs/EXPECTED.txt, plus large inputs
//     generated at run time: a 10 MB field, a zip bomb, an xlsx bomb): the
//     exit status, the one-line message on stderr naming file, row and
//     column, and that a failed ingest leaves the dataset byte for byte as
//     it was;
//   - hostile text that reaches the outputs (input names starting with =,
//     +, - or @, or holding HTML): written to the workbook as text, never a
//     formula, defused in the CSVs and escaped in the dashboard;
//   - crash safety: ingest and report killed with SIGKILL at many points
//     leave a dataset that opens and equals the state before or after, and
//     report outputs that are each a complete file of one run or the other;
//     a report killed during the switch of its links shows one report
//     whole, and its rerun leaves no temporary link behind;
//   - file names holding a newline, a carriage return, a tab, a quote, a
//     terminal escape or a line separator: the error is one line naming
//     the file quoted, and with --log-format json every line of stderr,
//     the error included, is one JSON record;
//   - signals: SIGTERM and SIGINT sent to an ingest of a large generated
//     file while it reads it end the run with "stopped by a signal: the
//     dataset and the reports are as they were", exit 143 and 130, and
//     leave the dataset byte for byte as it was;
//   - row accounting: for every input that ingests, the manifest of a
//     report shows read = used + skipped + rejected.
//
// The crash tests are slow and skip under -short.
package e2e
