// Package reports turns year-on-year trend rows into the outputs people
// read: a self-contained HTML dashboard (go-echarts, with echarts inlined so
// it works with no network), an Excel workbook (excelize), plain CSV
// downloads and deterministic headline sentences.
//
// Everything here is a plain function over Go structs from datasets: no
// Arrow, no pipeline. BuildView sorts and shapes the rows once into a View;
// Dashboard and Workbook only render it. Output depends on nothing but the
// inputs (chart IDs are derived from section IDs, the generation time is an
// input and is left out when zero), so two runs give identical bytes.
//
// WriteWorkbook and the CSV writers (WriteFigures, WriteRanking,
// WriteComparisons, WriteReconciliation) render a *pipeline.Report and
// compute nothing of their own: every number, interval, verdict and rank is
// the model's, rounded as every output rounds it. The workbook (book*.go)
// is laid out by planBook: a Cover, a ranking sheet per offence with its
// chart, Comparisons, Reconciliation, Figures, Completeness per source,
// Notes and Sources; each sheet is set to print landscape on A4, one page
// wide, and the file is re-zipped in a fixed order with fixed times so the
// same report gives the same bytes.
//
// The wording follows the Office for Statistics Regulation's advice for
// police recorded crime: "offences recorded by the police rose by ...",
// never "crime rose", with counts instead of a percentage when the base is
// under datasets.MinBase, and "official statistics (not accredited)" or
// "management information" labels on every output.
//
// WriteOutcomesCSV writes outcomes.csv from datasets.OutcomeShares (what
// pipeline.Outcomes computes: a force's police.uk outcomes by group, with
// shares and intervals, beside England and Wales excluding it). The pages
// and the workbook do not show outcomes yet.
package reports
