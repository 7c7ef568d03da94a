package pipeline

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// DefaultSourceOrder is the order in which sources are quoted when the
// request names none (DOMAIN.md section 12):
//
//  1. ONS Police Force Area data tables: the figures the quarterly "Crime in
//     England and Wales" bulletin publishes for each force, as printed in
//     the release for that year (a later release's revision is shown
//     beside it);
//  2. the Home Office open data table: the same statistics quarter by
//     quarter, revised with each release, for windows ONS does not print;
//  3. the force's own extract: provisional management information, the
//     only source for months not yet published;
//  4. data.police.uk: crime-level open data in 14 broad categories, quoted
//     only for its own categories, never in place of an official offence.
var DefaultSourceOrder = []string{datasets.SourceONSPFA, datasets.SourceHomeOffice, datasets.SourceForce, datasets.SourcePoliceUK}

// Errors of a request that cannot be answered. Each is wrapped with a
// sentence saying what the data does cover.
var (
	// ErrNotCovered: no chosen source gives the window asked for.
	ErrNotCovered = errors.New("period not covered")
	// ErrNoSource: no source in the dataset has the offence asked for.
	ErrNoSource = errors.New("no source for the offence")
	// ErrBadRequest: the request itself is malformed (an unknown force
	// code, source or window).
	ErrBadRequest = errors.New("bad request")
)

// normalise fills in a request's defaults and checks it.
func normalise(req Request) (Request, error) {
	out := req
	out.Forces = nil
	seen := map[string]bool{}
	for _, code := range req.Forces {
		a, ok := datasets.AreaByCode(code)
		if !ok || (a.Kind != datasets.KindForce && a.Kind != datasets.KindBTP) {
			return out, fmt.Errorf("%w: %q is not the ONS code of a police force area", ErrBadRequest, code)
		}
		if !seen[code] {
			seen[code] = true
			out.Forces = append(out.Forces, code)
		}
	}
	out.Offences = nil
	seenSel := map[datasets.Selector]bool{}
	for _, s := range req.Offences {
		if !seenSel[s] {
			seenSel[s] = true
			out.Offences = append(out.Offences, s)
		}
	}
	if out.Window == "" {
		out.Window = datasets.WindowRolling12
	}
	if !knownWindow(out.Window) {
		return out, fmt.Errorf("%w: unknown window %q", ErrBadRequest, string(out.Window))
	}
	if out.MinBase == 0 {
		out.MinBase = datasets.MinBase
	}
	if out.MinBase < 0 {
		return out, fmt.Errorf("%w: minimum base %d: want zero (the default, %d) or more", ErrBadRequest, out.MinBase, datasets.MinBase)
	}
	if out.History == 0 {
		out.History = DefaultHistoryYears
	}
	if out.History < AllHistory {
		return out, fmt.Errorf("%w: history %d: want a number of years, or %d for all", ErrBadRequest, out.History, AllHistory)
	}
	if out.Populations == nil {
		out.Populations = datasets.BuiltinPopulations()
	}
	order, err := sourceOrder(req.SourceOrder)
	if err != nil {
		return out, err
	}
	out.SourceOrder = order
	for i, g := range out.PeerGroups {
		for _, m := range g.Members {
			if a, ok := datasets.AreaByCode(m); !ok || a.Kind != datasets.KindForce {
				return out, fmt.Errorf("%w: peer group %q: %q is not the ONS code of a police force area", ErrBadRequest, out.PeerGroups[i].Name, m)
			}
		}
	}
	return out, nil
}

// ParseSourceOrder checks a user's order of sources ("ons", "homeoffice",
// "force", "policeuk" and common spellings) and completes it: sources it
// leaves out follow in DefaultSourceOrder. An unknown name is an error
// wrapping ErrBadRequest.
func ParseSourceOrder(asked []string) ([]string, error) { return sourceOrder(asked) }

// sourceOrder checks a user's order and completes it: sources it leaves
// out follow in DefaultSourceOrder.
func sourceOrder(asked []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, s := range asked {
		k := strings.ToLower(strings.TrimSpace(s))
		switch k {
		case "ons", "ons-pfa", "ons pfa":
			k = datasets.SourceONSPFA
		case "home-office", "home office", "homeoffice", "ho":
			k = datasets.SourceHomeOffice
		case "force", "force-extract", "extract":
			k = datasets.SourceForce
		case "policeuk", "police.uk", "data.police.uk", "police-uk":
			k = datasets.SourcePoliceUK
		default:
			return nil, fmt.Errorf("%w: unknown source %q in the source order: want %s", ErrBadRequest, s, strings.Join(DefaultSourceOrder, ", "))
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, s := range DefaultSourceOrder {
		if !seen[s] {
			out = append(out, s)
		}
	}
	return out, nil
}

// topicDef is one offence of a report before its figures are known.
type topicDef struct {
	id       string
	name     string // the official or police.uk name
	taxonomy string
	sel      datasets.Selector
	ons      bool // ONS publishes it
	asked    bool // named by the user
}

// officialKey identifies an official offence by what it selects, so that
// a Home Office group and the police.uk category with the same codes
// ("Robbery") are one topic.
func officialKey(s datasets.Selector) string {
	switch s.Kind {
	case datasets.SelectTotal:
		return "total"
	case datasets.SelectPublished:
		return "published:" + s.Key
	}
	var codes []string
	for _, o := range datasets.Offences() {
		if s.Matches(datasets.SourceHomeOffice, o.Code) {
			codes = append(codes, o.Code)
		}
	}
	sort.Strings(codes)
	return "codes:" + strings.Join(codes, ",")
}

// isHOGrouping reports whether a selection selects exactly the codes of a
// Home Office group or subgroup.
func isHOGrouping(s datasets.Selector) bool {
	key := officialKey(s)
	for _, g := range datasets.OffenceGroups() {
		if officialKey(datasets.Selector{Kind: datasets.SelectGroup, Key: g, Label: g}) == key {
			return true
		}
	}
	seen := map[string]bool{}
	for _, o := range datasets.Offences() {
		if seen[o.Subgroup] {
			continue
		}
		seen[o.Subgroup] = true
		if officialKey(datasets.Selector{Kind: datasets.SelectSubgroup, Key: o.Subgroup, Label: o.Subgroup}) == key {
			return true
		}
	}
	return false
}

// isOfficial reports whether a selection can be an official offence: it
// selects Home Office codes or is a published grouping.
func isOfficial(s datasets.Selector) bool {
	return s.Kind == datasets.SelectPublished || s.AppliesTo(datasets.SourceHomeOffice)
}

// topicID makes a [a-z0-9-] identifier.
func topicID(prefix, name string) string {
	var b strings.Builder
	b.WriteString(prefix)
	dash := prefix != "" && !strings.HasSuffix(prefix, "-")
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "offence"
	}
	return b.String()
}

// topics lists the offences of a report. families are the source
// families in the dataset; onsLabels the offence labels the ONS releases
// in it publish.
//
// Asked offences come in the order asked: each gives an official topic
// when it selects Home Office codes or is a published grouping and an
// official source has it, and a data.police.uk topic when it is the total
// or a police.uk category and data.police.uk is in the dataset. An asked
// offence no source has is an error wrapping ErrNoSource that says what
// the dataset holds. With none asked: every offence ONS publishes (in its
// order) when ONS releases are in the dataset, else the Home Office total
// and groups when an official source is; then the data.police.uk total and
// crime categories when data.police.uk is.
func topics(asked []datasets.Selector, families map[string]bool, onsLabels map[string]bool) ([]topicDef, error) {
	official := families[datasets.SourceONSPFA] || families[datasets.SourceHomeOffice] || families[datasets.SourceForce]
	computedOfficial := families[datasets.SourceHomeOffice] || families[datasets.SourceForce]
	var out []topicDef
	seen := map[string]bool{}
	addOfficial := func(s datasets.Selector, asked bool) bool {
		key := officialKey(s)
		name := s.LabelFor(datasets.SourceHomeOffice)
		onsHas, onsKnows := false, false
		for _, o := range datasets.ONSOffences() {
			if officialKey(o.Selector) == key {
				onsKnows = true
				onsHas = onsLabels[o.Selector.LabelFor(datasets.SourceHomeOffice)]
				if onsHas {
					name = o.Name
				}
				break
			}
		}
		has := onsHas || (computedOfficial && s.AppliesTo(datasets.SourceHomeOffice))
		if !has {
			return false
		}
		if !onsKnows && s.Kind == datasets.SelectCategory && !isHOGrouping(s) {
			// A data.police.uk category applied to Home Office codes is no
			// grouping the Home Office or ONS publish: its name says so, so
			// that it never shares a title with the police.uk figure.
			name += " (Home Office codes)"
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, topicDef{id: topicID("", name), name: name, taxonomy: TaxonomyOfficial, sel: s, ons: onsHas, asked: asked})
		}
		return true
	}
	addPoliceUK := func(s datasets.Selector, asked bool) bool {
		if !families[datasets.SourcePoliceUK] || !s.AppliesTo(datasets.SourcePoliceUK) {
			return false
		}
		key := "policeuk:" + s.LabelFor(datasets.SourcePoliceUK)
		if !seen[key] {
			seen[key] = true
			name := s.LabelFor(datasets.SourcePoliceUK)
			out = append(out, topicDef{id: topicID("policeuk", name), name: name, taxonomy: TaxonomyPoliceUK, sel: s, asked: asked})
		}
		return true
	}
	if len(asked) > 0 {
		var missing []string
		for _, s := range asked {
			got := false
			if isOfficial(s) {
				got = addOfficial(s, true)
			}
			if s.Kind == datasets.SelectTotal || s.Kind == datasets.SelectCategory {
				got = addPoliceUK(s, true) || got
			}
			if !got {
				missing = append(missing, s.Label)
			}
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("%w: %s: %s", ErrNoSource, joinAnd(quoteAll(missing)), holdings(families))
		}
		return out, nil
	}
	if official {
		if families[datasets.SourceONSPFA] {
			for _, o := range datasets.ONSOffences() {
				if onsLabels[o.Selector.LabelFor(datasets.SourceHomeOffice)] {
					addOfficial(o.Selector, false)
				}
			}
		}
		for _, s := range datasets.DefaultSelectors(datasets.SourceHomeOffice) {
			addOfficial(s, false)
		}
	}
	if families[datasets.SourcePoliceUK] {
		for _, s := range datasets.DefaultSelectors(datasets.SourcePoliceUK) {
			addPoliceUK(s, false)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: the dataset is empty: ingest some extracts first", ErrNoSource)
	}
	return out, nil
}

// appendExtra adds the topics of extra selections (those a source in the
// dataset has) after the defaults, skipping any already there.
func appendExtra(defs []topicDef, extra []datasets.Selector, families, onsLabels map[string]bool) []topicDef {
	for _, s := range extra {
		more, err := topics([]datasets.Selector{s}, families, onsLabels)
		if err != nil {
			continue
		}
		for _, d := range more {
			dup := false
			for _, have := range defs {
				if have.id == d.id {
					dup = true
				}
			}
			if !dup {
				d.asked = false
				// After the other topics of its taxonomy: official ones
				// before the first data.police.uk category.
				at := len(defs)
				if d.taxonomy == TaxonomyOfficial {
					for i, have := range defs {
						if have.taxonomy == TaxonomyPoliceUK {
							at = i
							break
						}
					}
				}
				defs = append(defs[:at], append([]topicDef{d}, defs[at:]...)...)
			}
		}
	}
	return defs
}

// holdings says in a sentence what sources a dataset holds and what they
// can answer.
func holdings(families map[string]bool) string {
	var parts []string
	if families[datasets.SourceONSPFA] {
		parts = append(parts, "ONS Police Force Area tables (the offences ONS publishes)")
	}
	if families[datasets.SourceHomeOffice] {
		parts = append(parts, "the Home Office open data table (Home Office offence codes)")
	}
	if families[datasets.SourceForce] {
		parts = append(parts, "a force's own extracts (Home Office offence codes)")
	}
	if families[datasets.SourcePoliceUK] {
		parts = append(parts, "data.police.uk street-level crime (14 broad categories: stalking and harassment, for one, is inside \"Violence and sexual offences\")")
	}
	if len(parts) == 0 {
		return "the dataset is empty: ingest some extracts first"
	}
	s := "the dataset holds " + joinAnd(parts)
	if !families[datasets.SourceONSPFA] && !families[datasets.SourceHomeOffice] {
		s += "; for an official offence, ingest the ONS Police Force Area tables or the Home Office open data table"
	}
	return s
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
