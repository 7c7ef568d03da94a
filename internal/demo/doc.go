// Package demo writes the synthetic default data behind `crimetrends demo`:
// deterministic extracts in the two input formats the pipeline reads, a
// data.police.uk street-level CSV for every force, BTP and month, and one
// Home Office police recorded crime open data CSV (force x financial quarter
// x offence code).
//
// The figures are invented. They are shaped to look plausible on a dashboard
// (volumes roughly in proportion to each force's population, seasonality,
// a trend per offence with force-to-force variation, Poisson noise), but they
// are not police recorded crime and must never be presented as such. The
// generator writes a README.txt beside the files saying so, and the Home
// Office file is named prc-pfa-synthetic.csv.
//
// Output depends only on the Options and the reference data in package
// datasets: there is no wall clock and no map iteration order in the bytes,
// so two runs with the same Options give byte-identical files.
package demo
