//go:build !race

package demo

// raceEnabled skips the full-size run, whose timing means nothing under -race.
const raceEnabled = false
