package datasets

import (
	"reflect"
	"strings"
	"testing"
)

func TestBreaksRegister(t *testing.T) {
	bs := Breaks()
	if len(bs) != 12 {
		t.Fatalf("got %d breaks, want 12", len(bs))
	}
	seen := map[string]bool{}
	for i, b := range bs {
		if seen[b.ID] {
			t.Errorf("duplicate ID %q", b.ID)
		}
		seen[b.ID] = true
		if i > 0 && (b.Month < bs[i-1].Month || b.Month == bs[i-1].Month && b.ID < bs[i-1].ID) {
			t.Errorf("%s (%s) sorted after %s (%s)", b.ID, b.Month, bs[i-1].ID, bs[i-1].Month)
		}
		if !strings.HasPrefix(b.ID, b.Month.String()[:4]) {
			t.Errorf("%s: ID does not start with the year of %s", b.ID, b.Month)
		}
		if b.Effect == "" || !strings.HasSuffix(b.Effect, ".") || b.Source == "" {
			t.Errorf("%s: want an Effect sentence and a Source, got %q, %q", b.ID, b.Effect, b.Source)
		}
		for _, name := range append(append([]string(nil), b.Offences...), b.Comparable...) {
			if sel, err := ResolveSelector(name); err == nil && sel.Kind == SelectPublished {
				continue // a published-only grouping, matched by name
			}
			if name != breakAll && name != breakKnifeCrime && len(breakCodes(name)) == 0 {
				t.Errorf("%s: offence %q names no Home Office code", b.ID, name)
			}
		}
		for _, f := range b.Forces {
			if a, ok := AreaByCode(f); !ok || a.Kind != KindForce {
				t.Errorf("%s: %q is not a force code", b.ID, f)
			}
		}
	}
	// Breaks returns a copy: changing it leaves the register alone.
	bs[0].Offences[0] = "changed"
	if Breaks()[0].Offences[0] != breakAll {
		t.Errorf("Breaks shares its slices with the register")
	}
}

func TestBreaksAffecting(t *testing.T) {
	sel := func(s string) Selector {
		t.Helper()
		out, err := ResolveSelector(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	const (
		sussex    = "E23000033"
		wiltshire = "E23000038"
		gmp       = "E23000005"
		northWest = "E12000002"
		london    = "E12000007"
	)
	knife := Selector{Kind: SelectSubgroup, Key: "Knife crime", Label: "Knife crime"}
	tests := []struct {
		name     string
		sel      Selector
		area     string
		from, to Month
		want     []string
	}{
		// Year ending September 2018 vs the year before: October 2016 to
		// September 2018, straddling April 2017 (8R) and April 2018.
		{"sussex S&H YE Sep 2018", sel("Stalking and harassment"), sussex, MonthOf(2016, 10), MonthOf(2018, 9),
			[]string{"2017-04-malicious-communications", "2018-04-course-of-conduct"}},
		// April 2018 to March 2020: only the GMP break of July 2019 falls
		// inside, and it is not Wiltshire's.
		{"wiltshire total YE Mar 2020", sel("total"), wiltshire, MonthOf(2018, 4), MonthOf(2020, 3), nil},
		// April 2013 to March 2020: the 2014 "all" break and the code breaks
		// whose codes the total contains; the stalking split and the burglary
		// split are comparable in the total; GMP breaks are not Wiltshire's.
		{"wiltshire total since 2013", sel("total"), wiltshire, MonthOf(2013, 4), MonthOf(2020, 3),
			[]string{"2014-recording-compliance", "2015-04-newly-notifiable", "2017-04-malicious-communications", "2018-04-course-of-conduct"}},
		{"gmp total straddles Jul 2019", sel("total"), gmp, MonthOf(2018, 8), MonthOf(2020, 7), []string{"2019-07-gmp-iops"}},
		{"E&W total straddles Jul 2019", sel("total"), CodeEnglandWales, MonthOf(2018, 8), MonthOf(2020, 7), []string{"2019-07-gmp-iops"}},
		{"north west region includes GMP", sel("Robbery"), northWest, MonthOf(2018, 8), MonthOf(2020, 7), []string{"2019-07-gmp-iops"}},
		{"England includes GMP", sel("Robbery"), CodeEngland, MonthOf(2018, 8), MonthOf(2020, 7), []string{"2019-07-gmp-iops"}},
		{"Wales excludes GMP", sel("Robbery"), CodeWales, MonthOf(2018, 8), MonthOf(2020, 7), nil},
		{"London region excludes GMP", sel("Robbery"), london, MonthOf(2018, 8), MonthOf(2020, 7), nil},
		{"empty area is any area", sel("Robbery"), "", MonthOf(2018, 8), MonthOf(2020, 7), []string{"2019-07-gmp-iops"}},
		// (from, to]: a break in the first month of the range is not straddled;
		// one in the last month is.
		{"break at from excluded", sel("total"), gmp, MonthOf(2019, 7), MonthOf(2020, 6), nil},
		{"break at to included", sel("total"), gmp, MonthOf(2018, 7), MonthOf(2019, 7), []string{"2019-07-gmp-iops"}},
		{"harassment alone across 2014 split", sel("8L"), sussex, MonthOf(2013, 4), MonthOf(2015, 3), []string{"2014-recording-compliance", "2014-04-stalking-split"}},
		{"stalking alone across 2020", sel("8Q"), sussex, MonthOf(2019, 4), MonthOf(2021, 3), []string{"2020-04-stalking-ex-partner"}},
		{"S&H across 2020 is comparable", sel("Stalking and harassment"), sussex, MonthOf(2019, 4), MonthOf(2021, 3), nil},
		{"domestic burglary across 2017", sel("Domestic burglary"), sussex, MonthOf(2016, 4), MonthOf(2018, 3), []string{"2017-04-burglary"}},
		{"all burglary across 2017", sel("Burglary"), sussex, MonthOf(2016, 4), MonthOf(2018, 3), nil},
		{"theft offences across 2017", sel("Theft offences"), sussex, MonthOf(2016, 4), MonthOf(2018, 3), nil},
		{"violence group across 2018", sel("Violence against the person"), sussex, MonthOf(2017, 10), MonthOf(2019, 3), []string{"2018-04-course-of-conduct"}},
		{"violence with injury across 2018", sel("Violence with injury"), sussex, MonthOf(2017, 10), MonthOf(2019, 3), nil},
		{"police.uk violence category across 2018", sel("Violence and sexual offences"), sussex, MonthOf(2017, 10), MonthOf(2019, 3), []string{"2018-04-course-of-conduct"}},
		{"gmp knife crime across Jan 2018", knife, gmp, MonthOf(2017, 4), MonthOf(2018, 3), []string{"2018-01-gmp-knife-crime"}},
		{"sussex knife crime across Jan 2018", knife, sussex, MonthOf(2017, 4), MonthOf(2018, 3), nil},
		{"gmp violence is not knife crime", sel("Violence with injury"), gmp, MonthOf(2017, 4), MonthOf(2018, 3), nil},
		{"devon and cornwall across Nov 2022", sel("Drug offences"), "E23000035", MonthOf(2022, 1), MonthOf(2022, 12), []string{"2022-11-devon-cornwall-niche"}},
		{"series from 1997", sel("Drug offences"), wiltshire, MonthOf(1997, 4), MonthOf(2003, 3), []string{"1998-04-counting-rules", "2002-04-ncrs"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, b := range BreaksAffecting(tc.sel, tc.area, tc.from, tc.to) {
				got = append(got, b.ID)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("BreaksAffecting(%q, %q, %s, %s) = %q, want %q", tc.sel.Key, tc.area, tc.from, tc.to, got, tc.want)
			}
		})
	}
}
