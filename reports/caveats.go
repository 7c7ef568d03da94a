package reports

import (
	"fmt"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

// caveats are the sentences that follow a headline: whether the change is
// within what chance alone would give (counts treated as Poisson, the exact
// 95% interval of the ratio), and the recording-rule breaks from the
// register that fall between the start of the earlier window and the end
// of the later one. Empty when none apply.
func caveats(offence, areaCode string, f Figure, end datasets.Month, w datasets.Window) string {
	var out []string
	if f.Present && f.HasPct {
		if v := stats.ChangeVerdict(f.Previous, f.Count); v.Change == stats.AboutTheSame {
			out = append(out, fmt.Sprintf("The change is within what chance alone could give (95%% interval of the ratio %.2f to %.2f), so the figures are about the same.", v.Lo, v.Hi))
		}
	}
	if sel, err := datasets.ResolveSelector(offence); err == nil && f.Present && f.HasPrevious {
		for _, b := range datasets.BreaksAffecting(sel, areaCode, end.Add(1-12-max(w.Months(end), 1)), end) {
			out = append(out, b.Effect)
		}
	}
	return strings.Join(out, " ")
}

// withCaveats appends caveats to a headline sentence.
func withCaveats(headline, caveats string) string {
	if caveats == "" {
		return headline
	}
	return headline + " " + caveats
}
