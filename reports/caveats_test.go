package reports

import (
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// breaks2017And2018 are the register's caveats for stalking and harassment
// (and violence and sexual offences, which hold it) compared across the two
// years to September 2018: both recording changes fall inside them.
const breaks2017And2018 = " From April 2017 malicious communications (8R) are counted in stalking and harassment, so figures including them are not comparable with earlier ones. From April 2018 a course of conduct of stalking or harassment is counted as well as the most serious other offence against the same victim, which raised stalking and harassment and violence without injury."

func TestCaveats(t *testing.T) {
	sep18 := m("2018-09")
	tests := []struct {
		name, offence, area string
		f                   Figure
		want                string
	}{
		{"significant rise, breaks", sh, codeWilts, fig(3438, 3000), strings.TrimPrefix(breaks2017And2018, " ")},
		// 100 -> 130: the exact 95% interval of the ratio, 0.994 to 1.704, spans 1.
		{"about the same", "Robbery", codeWilts, fig(130, 100),
			"The change is within what chance alone could give (95% interval of the ratio 0.99 to 1.70), so the figures are about the same."},
		{"significant, no break", "Robbery", codeWilts, fig(1300, 1000), ""},
		{"no previous year: no caveat", sh, codeWilts, Figure{Present: true, Count: 40}, ""},
		{"no figure", sh, codeWilts, Figure{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := caveats(tt.offence, tt.area, tt.f, sep18, datasets.WindowRolling12); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
	// A force-specific break reaches the force and England and Wales, not another force.
	jul20 := m("2020-06")
	gmp := "E23000005"
	if got := caveats("Robbery", gmp, fig(30000, 20000), jul20, datasets.WindowRolling12); !strings.Contains(got, "2019") {
		t.Errorf("GMP robbery to June 2020: %q, want the July 2019 GMP break", got)
	}
	if got := caveats("Robbery", datasets.CodeEnglandWales, fig(80000, 70000), jul20, datasets.WindowRolling12); !strings.Contains(got, "2019") {
		t.Errorf("England and Wales robbery to June 2020: %q, want the July 2019 GMP break", got)
	}
	if got := caveats("Robbery", "E23000038", fig(300, 200), jul20, datasets.WindowRolling12); got != "" {
		t.Errorf("Wiltshire robbery to June 2020: %q, want no caveat", got)
	}
}
