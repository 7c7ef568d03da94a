// Package reports words and draws a pipeline.Report: the HTML pages, the
// Excel workbook and the CSV files people read. It computes nothing a CSV
// would need: every figure, interval, verdict, rank, rate, index and control
// limit comes from the pipeline's model; this package chooses the words
// (words.go, words_pages.go: the one place for sentences) and the drawing.
//
// Pages (page*.go) renders, in order and one at a time:
//
//   - dashboard.html, the brief: within the first screen at 1440x900 and
//     390x844, a short title, the period line and a key-figure card per
//     chosen force and asked offence (England and Wales's when no force is
//     chosen, the total when no offence is asked): the quoted figure, its
//     change in plain words, England and Wales beside it, the verdict of the
//     force against the rest of England and Wales, source and window in
//     small type. Then one table per chosen force of every offence, the notes
//     that bear on the figures shown (each once), and the run's files.
//   - overview.html: England and Wales's figure for every offence, the map
//     opening on total recorded crime, heat maps of every offence by force
//     one step away.
//   - force-<name>.html: per offence a card, one chart answering "how has it
//     moved?" (the force, England and Wales and its peers on one index axis,
//     recording changes and events numbered at their month), the force
//     against the areas around it (each without it) with 95% intervals and
//     verdicts, the other sources' figures for the same months with why they
//     differ; the control chart and the interval chart behind "More".
//   - offence-<topic id>.html: every force ranked by change (horizontal
//     bars), the map, every force and region in a sortable table, the chosen
//     forces highlighted on each; for data too short for a year-on-year
//     change, the months there are, a map of the latest month and a table.
//   - sources.html, the only page with provenance: sources in quote order
//     with why, releases, completeness, inputs with their SHA-256, vintages.
//   - echarts.min.js, once, when a page draws a chart (Meta.SingleFile
//     inlines it into each page with charts instead). Pages without charts
//     load no script.
//
// A chart with fewer than three points is a sentence instead. Every chart
// (chart_*.go, go-echarts options) has one value axis, a key, a text
// alternative and the table of the numbers it draws; charts are drawn as
// they come near the screen, and redrawn at the printed width of A4. Names
// of forces are ONS's (datasets.Area.Name) everywhere.
//
// Output depends on the model and Meta alone: chart IDs are fixed, the
// generation time is an input and is left out when zero, inputs are named
// without folders, so the same inputs give the same bytes wherever the
// report is run.
//
// WriteWorkbook and the CSV writers (WriteFigures, WriteRanking,
// WriteComparisons, WriteReconciliation) render a *pipeline.Report and
// compute nothing of their own: every number, interval, verdict and rank is
// the model's, rounded as every output rounds it. The workbook (book*.go)
// is laid out by planBook: a Cover, a ranking sheet per offence with its
// chart, Comparisons, Reconciliation, Figures, Completeness per source,
// Notes and Sources; each sheet is set to print landscape on A4, one page
// wide, and excelize saves it through bookZip, which deflates each part
// once as it arrives and writes the parts in a fixed order with fixed
// times, so the same report gives the same bytes and a Figures sheet of
// fifteen years (over 100 MB of XML) is never held whole. trends.csv is
// written row by row (WriteFiguresKeys also gives the keys ReadFigureKeys
// would read back, for the revisions), and a chart's option is go-echarts'
// option JSON alone (chartOption), not its rendered snippet.
//
// The wording follows the Office for Statistics Regulation's advice for
// police recorded crime: "offences recorded by the police rose by ...",
// never "crime rose", with counts instead of a percentage when the base is
// under the report's minimum, and "official statistics (not accredited)" or
// "management information" said once on every page.
//
// WriteOutcomesCSV writes outcomes.csv from datasets.OutcomeShares (what
// pipeline.Outcomes computes: a force's police.uk outcomes by group, with
// shares and intervals, beside England and Wales excluding it).
package reports
