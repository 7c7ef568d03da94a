package cli

import (
	"fmt"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// Repeated --force, --offence and --peer values (and repeats in a config's
// forces and offences) are counted once: "--force Wiltshire --force
// E23000038" is one force. The first spelling of each is kept, in the order
// given. A value that does not resolve is kept as it is, for the report to
// refuse with its usage error.

// uniqueForces drops the forces of names that name a force met before (by
// ONS code). "all" names every force, so a list holding it is just "all".
// It returns the names kept and those dropped.
func uniqueForces(names []string) (kept, dropped []string) {
	for _, n := range names {
		if isAll(n) {
			for _, m := range names {
				if !isAll(m) {
					dropped = append(dropped, m)
				}
			}
			return []string{n}, dropped
		}
	}
	return unique(names, func(n string) string {
		if a, err := datasets.ResolveForce(n); err == nil {
			return a.Code
		}
		return "?" + n
	})
}

// uniqueOffences drops the offences of names that resolve to a selection
// met before.
func uniqueOffences(names []string) (kept, dropped []string) {
	return unique(names, func(n string) string {
		if s, err := datasets.ResolveSelector(n); err == nil {
			return fmt.Sprintf("%d|%s", s.Kind, s.Key)
		}
		return "?" + n
	})
}

func isAll(name string) bool { return strings.EqualFold(strings.TrimSpace(name), "all") }

// unique keeps the first of names with each key.
func unique(names []string, key func(string) string) (kept, dropped []string) {
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		k := key(n)
		if seen[k] {
			dropped = append(dropped, n)
			continue
		}
		seen[k] = true
		kept = append(kept, n)
	}
	return kept, dropped
}

// dedupeRequest counts the forces and offences of p once each and logs one
// line naming the repeats dropped, with droppedPeers (repeated --peer
// values, dropped by the caller), if there are any. what names where they
// came from ("--force, --offence and --peer values").
func (e *env) dedupeRequest(p *reportParams, droppedPeers []string, what string) {
	var droppedForces, droppedOffences []string
	p.forces, droppedForces = uniqueForces(p.forces)
	p.offences, droppedOffences = uniqueOffences(p.offences)
	var args []any
	for _, d := range []struct {
		key     string
		dropped []string
	}{{"force", droppedForces}, {"offence", droppedOffences}, {"peer", droppedPeers}} {
		if len(d.dropped) > 0 {
			args = append(args, d.key, d.dropped)
		}
	}
	if len(args) > 0 {
		e.log.Info("repeated "+what+" counted once", args...)
	}
}
