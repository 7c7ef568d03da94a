package datasets

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParsePoliceUKName(t *testing.T) {
	oct, nov := MonthOf(2018, 10), MonthOf(2018, 11)
	city, _ := AreaByCode("E23000034")
	btp, _ := AreaByCode(CodeBTP)
	tests := []struct {
		name string
		want PoliceUKName
		ok   bool
	}{
		{filepath.Join("dl", "2019-03", "2018-10", "2018-10-city-of-london-street.csv"),
			PoliceUKName{Month: oct, Slug: "city-of-london", Kind: PoliceUKStreet, Folder: oct, HasFolder: true,
				Archive: filepath.Join("dl", "2019-03"), Force: city, HasForce: true}, true},
		{"2019-03.zip!2018-11/2018-11-btp-outcomes.csv",
			PoliceUKName{Month: nov, Slug: "btp", Kind: PoliceUKOutcomes, Folder: nov, HasFolder: true, Archive: "2019-03.zip", Force: btp, HasForce: true}, true},
		{"x.zip!2018-10-northern-ireland-stop-and-search.csv",
			PoliceUKName{Month: oct, Slug: SlugNorthernIreland, Kind: PoliceUKStopAndSearch, Archive: "x.zip"}, true},
		{"2018-10-city-of-london-street.csv", PoliceUKName{Month: oct, Slug: "city-of-london", Kind: PoliceUKStreet, Force: city, HasForce: true}, true},
		{filepath.Join("2018-10", "2018-10-City-of-London-street.csv"), PoliceUKName{}, false},
		{"2018-13-wiltshire-street.csv", PoliceUKName{}, false},
		{"2018-10-wiltshire-street.xlsx", PoliceUKName{}, false},
		{"prc-pfa.csv", PoliceUKName{}, false},
	}
	for _, tt := range tests {
		got, ok := ParsePoliceUKName(tt.name)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParsePoliceUKName(%q) = %+v, %v; want %+v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestArchiveMonths(t *testing.T) {
	names := []string{
		"2019-01.zip!2018-10/2018-10-wiltshire-street.csv",
		"2019-01.zip!2019-01/2019-01-wiltshire-street.csv",
		"dl.zip!2018-10/2018-10-wiltshire-street.csv",
		"dl.zip!2018-12/2018-12-wiltshire-outcomes.csv",
		filepath.Join("tree", "2018-10", "2018-10-wiltshire-street.csv"),
		filepath.Join("tree", "2018-11", "2018-11-wiltshire-street.csv"),
		filepath.Join("unpacked", "2019-03", "2018-10", "2018-10-wiltshire-street.csv"),
		filepath.Join("flat", "2018-10-wiltshire-street.csv"),
		"flat.zip!2018-10-wiltshire-street.csv",
		"2019-05.zip!2018-10-wiltshire-street.csv",
	}
	want := map[string]Month{
		"2019-01.zip":                        MonthOf(2019, 1),
		"dl.zip":                             MonthOf(2018, 12),
		"tree":                               MonthOf(2018, 11),
		filepath.Join("unpacked", "2019-03"): MonthOf(2019, 3),
		"2019-05.zip":                        MonthOf(2019, 5),
	}
	if got := ArchiveMonths(names); !reflect.DeepEqual(got, want) {
		t.Errorf("ArchiveMonths = %v, want %v", got, want)
	}
}

func TestOutcomeTypes(t *testing.T) {
	seen := map[string]bool{}
	groups := OutcomeGroups()
	if last := groups[len(groups)-1]; last.ID != OutcomeOther || last.Label != "Other outcome" || len(last.Types) != 0 {
		t.Errorf("last group %+v, want Other outcome, listing no type", last)
	}
	for _, g := range groups[:len(groups)-1] {
		if OutcomeGroupLabel(g.ID) == "" || len(g.Types) == 0 {
			t.Errorf("group %+v", g)
		}
		for _, typ := range g.Types {
			if seen[typ] {
				t.Errorf("%q in two groups", typ)
			}
			seen[typ] = true
			if got, ok := OutcomeType("  " + typ + " "); !ok || got != typ || OutcomeGroupOf(got) != g.ID {
				t.Errorf("OutcomeType(%q) = %q, %v (group %q)", typ, got, ok, OutcomeGroupOf(got))
			}
		}
	}
	for typ, grp := range map[string]string{
		"SUSPECT CHARGED": OutcomeCharged, "Offender given a drugs possession warning": OutcomeOutOfCourt,
		"Investigation complete; no suspect identified": OutcomeNoSuspect, "Offender sent to prison": OutcomeCourtResult,
		"Awaiting court outcome": OutcomeUnderInvestigation, "Formal action is not in the public interest": OutcomeNotInPublicInterest,
	} {
		if got, ok := OutcomeType(typ); !ok || OutcomeGroupOf(got) != grp {
			t.Errorf("%q: group %q, want %q", typ, OutcomeGroupOf(got), grp)
		}
	}
	if _, ok := OutcomeType("Let off"); ok {
		t.Error("unknown outcome type found")
	}
	if KnownOutcomeType("Let off") || OutcomeGroupOf("Let off") != OutcomeOther || !KnownOutcomeType("Suspect charged") {
		t.Error("Let off: want a type not known, in Other outcome")
	}
}

// TestCheckOutcomeType: a known type in any spelling comes back canonical;
// a type crimetrends does not know is kept as written, trimmed; a blank or
// malformed value is an error saying why.
func TestCheckOutcomeType(t *testing.T) {
	tests := []struct {
		raw, typ string
		known    bool
		why      string
	}{
		{" suspect CHARGED ", "Suspect charged", true, ""},
		{"  Community protection notice issued ", "Community protection notice issued", false, ""},
		{"Défendant cautionné", "Défendant cautionné", false, ""},
		{"", "", false, "blank"},
		{" \t ", "", false, "blank"},
		{"Suspect\ncharged", "", false, "control character"},
		{"\xff\xfe", "", false, "UTF-8"},
		{"12", "", false, "no letter"},
		{"-", "", false, "no letter"},
		{strings.Repeat("a", MaxOutcomeTypeBytes+1), "", false, "longer than 200 bytes"},
	}
	for _, tt := range tests {
		typ, known, err := CheckOutcomeType(tt.raw)
		if tt.why != "" {
			if !errors.Is(err, ErrBadOutcome) || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("%q: %q, %v, %v; want an error saying %q", tt.raw, typ, known, err, tt.why)
			}
			continue
		}
		if err != nil || typ != tt.typ || known != tt.known {
			t.Errorf("%q: %q, %v, %v; want %q, %v", tt.raw, typ, known, err, tt.typ, tt.known)
		}
	}
}

// FuzzParsePoliceUKName checks that no name panics the parser and that what
// it reads back agrees with the name: the month and kind are in the base
// name, and ArchiveMonths dates only archives the names give.
func FuzzParsePoliceUKName(f *testing.F) {
	for _, s := range []string{"2019-03.zip!2018-10/2018-10-city-of-london-street.csv", "dl/2018-11/2018-11-btp-outcomes.csv",
		"2018-10-northern-ireland-stop-and-search.csv", "x.zip!a/b\\2018-10-kent-street.csv", "2018-10--street.csv", "!", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		n, ok := ParsePoliceUKName(name)
		months := ArchiveMonths([]string{name})
		if !ok {
			if len(months) != 0 {
				t.Fatalf("%q: not a police.uk name, yet archives %v", name, months)
			}
			return
		}
		if n.Kind != PoliceUKStreet && n.Kind != PoliceUKOutcomes && n.Kind != PoliceUKStopAndSearch {
			t.Fatalf("%q: kind %q", name, n.Kind)
		}
		if !strings.Contains(name, n.Month.String()+"-"+n.Slug+"-"+n.Kind+".csv") {
			t.Fatalf("%q: read as %+v", name, n)
		}
		if n.HasForce && n.Force.Slug != n.Slug {
			t.Fatalf("%q: force %+v for slug %q", name, n.Force, n.Slug)
		}
		for a := range months {
			if a != n.Archive || a == "" {
				t.Fatalf("%q: archive %q dated, want only %q", name, a, n.Archive)
			}
		}
	})
}
