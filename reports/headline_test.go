package reports

import (
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func fig(count, prev int64) Figure {
	f := Figure{Present: true, Count: count}
	if prev >= 0 {
		f.HasPrevious, f.Previous, f.Change = true, prev, count-prev
		if prev >= datasets.MinBase {
			f.HasPct, f.PctChange = true, 100*float64(count-prev)/float64(prev)
		}
	}
	return f
}

func TestForceHeadline(t *testing.T) {
	sep := m("2018-09")
	ewRise := fig(565000, 400000) // +41.25% -> 41.3
	ewFall := fig(970, 1000)      // -3.0%
	tests := []struct {
		name      string
		label     string
		force     Figure
		ew        Figure
		synthetic bool
		want      string
	}{
		{"rise", sh, fig(3438, 3000), ewRise, false,
			"Offences of stalking and harassment recorded by Wiltshire Police rose by 14.6% in the 12 months to September 2018, against 41.3% in England and Wales."},
		{"fall against rise", sh, fig(2910, 3000), ewRise, false,
			"Offences of stalking and harassment recorded by Wiltshire Police fell by 3.0% in the 12 months to September 2018, against a rise of 41.3% in England and Wales."},
		{"fall against fall", sh, fig(900, 1000), ewFall, false,
			"Offences of stalking and harassment recorded by Wiltshire Police fell by 10.0% in the 12 months to September 2018, against 3.0% in England and Wales."},
		{"rise against fall", sh, fig(1100, 1000), ewFall, false,
			"Offences of stalking and harassment recorded by Wiltshire Police rose by 10.0% in the 12 months to September 2018, against a fall of 3.0% in England and Wales."},
		{"unchanged", sh, fig(3000, 3000), ewRise, false,
			"Offences of stalking and harassment recorded by Wiltshire Police were unchanged in the 12 months to September 2018, against a rise of 41.3% in England and Wales."},
		{"E&W unchanged", sh, fig(1100, 1000), fig(500, 500), false,
			"Offences of stalking and harassment recorded by Wiltshire Police rose by 10.0% in the 12 months to September 2018, against no change in England and Wales."},
		{"tiny rise", sh, fig(100001, 100000), ewRise, false,
			"Offences of stalking and harassment recorded by Wiltshire Police rose by less than 0.1% in the 12 months to September 2018, against 41.3% in England and Wales."},
		{"base under 50", sh, fig(40, 30), ewRise, false,
			"Wiltshire Police recorded 40 offences of stalking and harassment in the 12 months to September 2018, against 30 a year earlier; the base is under 50, so no percentage is given. In England and Wales they rose by 41.3%."},
		{"no previous year", sh, fig(1, -1), ewFall, false,
			"Wiltshire Police recorded 1 offence of stalking and harassment in the 12 months to September 2018; there is no figure for a year earlier, so no percentage is given. In England and Wales they fell by 3.0%."},
		{"no E&W row", sh, fig(3438, 3000), Figure{}, false,
			"Offences of stalking and harassment recorded by Wiltshire Police rose by 14.6% in the 12 months to September 2018; the England and Wales comparison is not available."},
		{"no E&W pct", sh, fig(40, 30), fig(100, -1), false,
			"Wiltshire Police recorded 40 offences of stalking and harassment in the 12 months to September 2018, against 30 a year earlier; the base is under 50, so no percentage is given. England and Wales recorded 100."},
		{"no E&W row, no pct", sh, fig(40, 30), Figure{}, false,
			"Wiltshire Police recorded 40 offences of stalking and harassment in the 12 months to September 2018, against 30 a year earlier; the base is under 50, so no percentage is given. The England and Wales comparison is not available."},
		{"no force row", sh, Figure{}, ewRise, false,
			"No figures for Wiltshire Police are available for the 12 months to September 2018."},
		{"synthetic", sh, fig(3438, 3000), ewRise, true,
			"SYNTHETIC DATA: Offences of stalking and harassment recorded by Wiltshire Police rose by 14.6% in the 12 months to September 2018, against 41.3% in England and Wales."},
		{"total", "Total recorded crime (excluding fraud)", fig(41000, 40000), fig(5500000, 5000000), false,
			"Offences recorded by Wiltshire Police (excluding fraud) rose by 2.5% in the 12 months to September 2018, against 10.0% in England and Wales."},
		{"total counts", "Total recorded crime (excluding fraud)", fig(12345, 40), Figure{}, false,
			"Wiltshire Police recorded 12,345 offences (excluding fraud) in the 12 months to September 2018, against 40 a year earlier; the base is under 50, so no percentage is given. The England and Wales comparison is not available."},
		{"police.uk offences category", vso, fig(6000, 5000), Figure{}, false,
			"Violence and sexual offences recorded by Wiltshire Police rose by 20.0% in the 12 months to September 2018; the England and Wales comparison is not available."},
		{"police.uk ASB", "Anti-social behaviour", fig(950, 1000), fig(900, 1000), false,
			"Incidents of anti-social behaviour recorded by Wiltshire Police fell by 5.0% in the 12 months to September 2018, against 10.0% in England and Wales."},
		{"police.uk drugs", "Drugs", fig(110, 100), fig(1100, 1000), false,
			"Drug offences recorded by Wiltshire Police rose by 10.0% in the 12 months to September 2018, against 10.0% in England and Wales."},
		{"police.uk vehicle crime", "Vehicle crime", fig(110, 100), fig(1100, 1000), false,
			"Offences classed as vehicle crime recorded by Wiltshire Police rose by 10.0% in the 12 months to September 2018, against 10.0% in England and Wales."},
		{"police.uk burglary", "Burglary", fig(110, 100), fig(1100, 1000), false,
			"Offences of burglary recorded by Wiltshire Police rose by 10.0% in the 12 months to September 2018, against 10.0% in England and Wales."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := forceHeadline(phraseFor(tc.label), "Wiltshire Police", tc.force, tc.ew, sep, datasets.WindowRolling12, tc.synthetic)
			if got != tc.want {
				t.Errorf("got:  %s\nwant: %s", got, tc.want)
			}
		})
	}
}

func TestNationalHeadline(t *testing.T) {
	sep := m("2018-09")
	tests := []struct {
		name      string
		label     string
		ew        Figure
		synthetic bool
		want      string
	}{
		{"rise", sh, fig(565000, 400000), false,
			"Offences of stalking and harassment recorded by the police in England and Wales rose by 41.3% in the 12 months to September 2018."},
		{"fall, total", "Total recorded crime (excluding fraud)", fig(4850000, 5000000), false,
			"Offences recorded by the police in England and Wales (excluding fraud) fell by 3.0% in the 12 months to September 2018."},
		{"unchanged", sh, fig(500, 500), false,
			"Offences of stalking and harassment recorded by the police in England and Wales were unchanged in the 12 months to September 2018."},
		{"base under 50", sh, fig(40, 30), false,
			"The police in England and Wales recorded 40 offences of stalking and harassment in the 12 months to September 2018, against 30 a year earlier; the base is under 50, so no percentage is given."},
		{"no row", sh, Figure{}, false,
			"No England and Wales figures are available for the 12 months to September 2018."},
		{"synthetic", sh, fig(565000, 400000), true,
			"SYNTHETIC DATA: Offences of stalking and harassment recorded by the police in England and Wales rose by 41.3% in the 12 months to September 2018."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := nationalHeadline(phraseFor(tc.label), tc.ew, sep, datasets.WindowRolling12, tc.synthetic)
			if got != tc.want {
				t.Errorf("got:  %s\nwant: %s", got, tc.want)
			}
		})
	}
}

// Headlines never say "crime rose" or "crime fell".
func TestHeadlineWordingNeverCrimeRose(t *testing.T) {
	labels := []string{sh, vso, "Total recorded crime (excluding fraud)", "Vehicle crime", "Other crime", "Miscellaneous crimes against society", "Drugs", "Anti-social behaviour"}
	for _, l := range labels {
		for _, f := range []Figure{fig(110, 100), fig(90, 100), fig(100, 100), fig(10, 5)} {
			s := forceHeadline(phraseFor(l), "Wiltshire Police", f, fig(110, 100), m("2018-09"), datasets.WindowRolling12, false)
			lower := strings.ToLower(s)
			for _, bad := range []string{"crime rose", "crime fell", "crimes rose", "crimes fell", "crime were"} {
				if strings.Contains(lower, bad) {
					t.Errorf("label %q: %q contains %q", l, s, bad)
				}
			}
			if !strings.Contains(s, "recorded") {
				t.Errorf("label %q: %q does not say recorded", l, s)
			}
		}
	}
}

func TestFormatting(t *testing.T) {
	counts := map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"}
	for n, want := range counts {
		if got := formatCount(n); got != want {
			t.Errorf("formatCount(%d) = %q, want %q", n, got, want)
		}
	}
	pcts := map[float64]string{14.6: "14.6", -3: "-3.0", 41.25: "41.3", -41.25: "-41.3", -0.04: "0.0", 0: "0.0"}
	for p, want := range pcts {
		if got := FormatPct(p); got != want {
			t.Errorf("FormatPct(%v) = %q, want %q", p, got, want)
		}
	}
}

// With reference data present, a force is named by its own name.
func TestHeadlineUsesForceName(t *testing.T) {
	const wilts = "E23000038"
	a, ok := datasets.AreaByCode(wilts)
	if !ok || a.Force == "" {
		t.Skip("reference data has no force name for " + wilts + " yet: skipping")
	}
	trends := []datasets.Trend{
		trend(datasets.SourceHomeOffice, sh, wilts, "Wiltshire", "2018-09", 3438, 3000, ""),
		trend(datasets.SourceHomeOffice, sh, datasets.CodeEnglandWales, "England and Wales", "2018-09", 565000, 400000, ""),
	}
	v := BuildView(trends, Options{Forces: []string{wilts}})
	want := "Offences of stalking and harassment recorded by " + a.Force + " rose by 14.6% in the 12 months to September 2018, against 41.3% in England and Wales." + breaks2017And2018
	if got := v.Sections[0].Headlines; len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want [%q]", got, want)
	}
}
