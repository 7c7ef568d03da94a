// Package stats answers "is the change real?" for counts of recorded
// offences (DOMAIN.md section 11): confidence intervals for the ratio of two
// Poisson counts, a verdict of rise, fall or about the same, a test of a
// force's change against England and Wales excluding the force, and an
// individuals (XmR) control chart with the NHS "Making Data Count" signal
// rules.
//
// FitXmR fits an individuals chart on a baseline (screening freak moving
// ranges, as NHS-R's "plot the dots" does), Dispersion and AtLeastPoisson
// compare its spread with Poisson chance, SpecialCauses applies the rules
// (outside the limits, a shift of 7, a trend of 7, two of three near a
// limit) within segments split at recording breaks, and Episodes merges the
// causes of one direction on neighbouring points into one episode, so that
// one change is reported once. pipeline.BuildControlChart builds the
// reports' chart from them.
//
// Counts of recorded offences are often overdispersed (more variable than
// Poisson), so Poisson intervals understate the noise: a published figure
// should say which method it used. Everything here is pure computation with
// no dependency beyond the standard library and datasets.
package stats
