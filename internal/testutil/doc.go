// Package testutil holds helpers shared by tests: where the real sample
// data is, and the -update flag for golden files.
package testutil
