// Package stats answers "is the change real?" for counts of recorded
// offences (DOMAIN.md section 11): confidence intervals for the ratio of two
// Poisson counts, a verdict of rise, fall or about the same, a test of a
// force's change against England and Wales excluding the force, and
// statistical process control charts (c-chart and XmR) with the NHS "Making
// Data Count" signal rules.
//
// Counts of recorded offences are often overdispersed (more variable than
// Poisson), so Poisson intervals understate the noise: a published figure
// should say which method it used. Everything here is pure computation with
// no dependency beyond the standard library and datasets.
package stats
