// Package pipeline turns extracts of police recorded crime into the figures
// crimetrends reports: rolling 12-month totals of recorded offences for
// every police force area and the geographies above them, with their change
// on the same months a year earlier.
//
// Data moves through these stages, each a plain function of its inputs
// (no globals, no wall clock; a context.Context for cancellation):
//
//   - Ingest reads every input (data.police.uk street CSVs, Home Office
//     open data) with its source reader, accounts for every row, and adds
//     the counts and their coverage to the dataset as one new vintage, all
//     or nothing.
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
//     region and peer groups, each built without it, with rates per 1,000
//     on one population vintage, ranks and how many forces rose.
//   - IngestForce reads a force's own record-level extracts by the config's
//     mapping; Reconcile sets them beside the published figures.
//   - BuildControlChart charts one area's monthly or quarterly Series as an
//     XmR chart of the change on the same period a year earlier, with
//     limits from a baseline, reset at the recording breaks it is given,
//     the signals merged into episodes and a summary sentence that agrees
//     with the headline's verdict on the window (see its doc and README,
//     "How the monthly chart is read").
//
// The batch runner (Analyse) runs the compute stages over the current
// vintage of the dataset for each source, picks the report period
// (LatestComplete by default) and gathers the notes that explain anything
// left out, for the reports package to render. Stages never change their
// inputs, return rows in a documented sorted order so output is
// deterministic, wrap errors with the stage and input that failed, and
// return ctx.Err() soon after cancellation.
package pipeline
