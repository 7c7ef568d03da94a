// Package pipeline turns extracts of police recorded crime into the figures
// crimetrends reports: rolling 12-month totals of recorded offences for
// every police force area and the geographies above them, with their change
// on the same months a year earlier.
//
// Data moves through these stages, each a plain function of its inputs
// (no globals, no wall clock; a context.Context for cancellation):
//
//   - Ingest reads every input (data.police.uk archives: street and
//     outcomes CSVs; Home Office open data; ONS tables) with its source
//     reader, accounts for every row, and adds the counts and their
//     coverage to the dataset as one new vintage, all or nothing. Stop and
//     search files and Northern Ireland's are recognised and listed as not
//     ingested, with the reason. Outcomes are typed through their Crime IDs
//     (the ingest's street files, then the dataset's Crime ID indexes).
//     Inputs that cover the same force and period are decided by their own
//     dating, never by the order of the paths: the same figures are kept
//     once ("skipped: same as <input>"), different figures go to the input
//     of the newer archive month or extract date ("superseded by <input>"),
//     and undated different figures stop the ingest naming both files
//     (ErrConflict). Every input's rows still add up: read = used +
//     skipped + rejected. An xlsx workbook is an ONS release or a Home
//     Office table by its content (sheets named like ONS tables, or the
//     "Area Code"/"Area Name" columns and "police force area" titles), so
//     a release with a renamed sheet is told as such.
//   - Normalise maps each source's spellings onto the shared vocabulary of
//     package datasets: forces on their ONS codes (BTP as
//     datasets.CodeBTP), offences as Home Office codes or police.uk
//     categories, periods as months.
//   - Validate checks what the figures claim before anything is summed:
//     counts inside their coverage, no duplicate keys, and a completeness
//     matrix of force x month x source, so a missing month is recorded as
//     missing and never as zero.
//   - Aggregate totals an offence selection (a datasets.Selector) per area
//     and period at the source's grain: a month for police.uk, a financial
//     quarter for the Home Office. Series gives these totals for one area.
//   - Trends computes the windows (rolling 12 months, or a datasets.Window:
//     financial year, year to date, quarter, calendar year, month) and the
//     year-on-year change (see Trends): a window is reported only where the
//     area's coverage is complete; regions, countries and England and Wales
//     like for like, a force missing from either year left out of both and
//     named ("England and Wales excluding Greater Manchester"); and a
//     percentage change only on a base of at least datasets.MinBase.
//   - Compare sets each chosen force beside England and Wales, its country,
//     region and peer groups, each built without it under the one
//     like-for-like rule (LikeForLike), with rates per 1,000 on one
//     population vintage.
//   - IngestForce reads a force's own record-level extracts by the config's
//     mapping.
//   - BuildControlChart charts one area's monthly or quarterly Series as an
//     XmR chart of the change on the same period a year earlier, with
//     limits from a baseline, reset at the recording breaks it is given,
//     the signals merged into episodes and a summary sentence that agrees
//     with the headline's verdict on the window (see its doc and README,
//     "How the monthly chart is read").
//   - Outcomes sets out what happened to the crimes a force recorded: its
//     police.uk outcomes over a window by outcome group, with shares and
//     exact 95% intervals, beside England and Wales excluding the force.
//
// Answer is the one analysis behind a report, the model every output reads
// (model.go): it resolves the question (request.go: forces, offences as
// topics of two taxonomies, official and data.police.uk; period.go: the
// window's end, an uncovered period being ErrNotCovered), gathers every
// source's figure for every area, topic and window (figures.go: computed
// ones from Trends, ONS's as published, with the earlier year derived from
// the published change and later releases' revisions kept aside, each with
// the release's footnotes on it, Figure.Footnotes, while the notes on all
// of a release's figures are its Release.Notes in Report.Sources), quotes
// one per question by the source order (DefaultSourceOrder), keeps the
// windows of the request's history (Request.History: five years up to the
// period by default, Report.HistoryStart), and computes
// what the outputs show: intervals and verdicts and rates (decorate.go),
// ranks under the one rule (rank.go, RankRule), each chosen force's answer
// with its comparators, its test against the rest of England and Wales,
// its series and control chart (topic.go), and the reconciliation of every
// figure not quoted with its likely reason (reconcile_answer.go). Every
// figure is held once: the figures of all sources go into one slice as
// Trends makes them, are put in report order in place, and that slice,
// each question's figures a run of it, is Report.Figures. Stages
// never change their inputs, return rows in a documented sorted order so
// output is deterministic, wrap errors with the stage and input that
// failed, and return ctx.Err() soon after cancellation.
package pipeline
