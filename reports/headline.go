package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// SyntheticPrefix starts every headline of a synthetic-data report.
const SyntheticPrefix = "SYNTHETIC DATA: "

// phrase is how an offence label reads in a sentence.
type phrase struct {
	subject string // starts a sentence: "Offences of stalking and harassment"
	after   string // follows the recorder's name: " (excluding fraud)"
	plural  string // after a count: "offences of stalking and harassment"
	single  string // after a count of 1: "offence of stalking and harassment"
}

// phraseFor words an offence label so that it reads naturally:
//
//	"Total recorded crime (excluding fraud)" -> "Offences recorded by X (excluding fraud)"
//	"Violence and sexual offences"            -> "Violence and sexual offences recorded by X"
//	"Anti-social behaviour"                   -> "Incidents of anti-social behaviour recorded by X"
//	"Vehicle crime"                           -> "Offences classed as vehicle crime recorded by X"
//	"Drugs", "Public order"                   -> "Drug offences", "Public order offences"
//	anything else                             -> "Offences of stalking and harassment recorded by X"
func phraseFor(label string) phrase {
	label = strings.TrimSpace(label)
	lower := strings.ToLower(label)
	for _, total := range []string{"total recorded crime", "all crime"} {
		if strings.HasPrefix(lower, total) {
			rest := strings.TrimSpace(label[len(total):])
			after := ""
			if rest != "" {
				after = " " + rest
			}
			return phrase{subject: "Offences", after: after, plural: "offences" + after, single: "offence" + after}
		}
	}
	switch lower {
	case "drugs":
		return plainOffences("Drug offences")
	case "public order":
		return plainOffences("Public order offences")
	case "possession of weapons":
		return plainOffences("Possession of weapons offences")
	}
	switch {
	case strings.Contains(lower, "anti-social behaviour"):
		return phrase{
			subject: "Incidents of " + lowerFirst(label),
			plural:  "incidents of " + lowerFirst(label),
			single:  "incident of " + lowerFirst(label),
		}
	case strings.HasSuffix(lower, " offences") || lower == "offences":
		return plainOffences(label)
	case strings.HasSuffix(lower, " crime") || strings.HasSuffix(lower, " crimes"):
		return phrase{
			subject: "Offences classed as " + lowerFirst(label),
			plural:  "offences classed as " + lowerFirst(label),
			single:  "offence classed as " + lowerFirst(label),
		}
	}
	return phrase{
		subject: "Offences of " + lowerFirst(label),
		plural:  "offences of " + lowerFirst(label),
		single:  "offence of " + lowerFirst(label),
	}
}

// plainOffences words a label that already ends in "offences".
func plainOffences(label string) phrase {
	l := lowerFirst(label)
	return phrase{subject: upperFirst(label), plural: l, single: strings.TrimSuffix(l, "s")}
}

func lowerFirst(s string) string {
	// Keep acronyms ("ASB", "UK ...") as they are.
	if len(s) < 2 || strings.ToUpper(s[1:2]) == s[1:2] && strings.ToLower(s[1:2]) != s[1:2] {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (p phrase) count(n int64) string {
	if n == 1 {
		return "1 " + p.single
	}
	return formatCount(n) + " " + p.plural
}

// formatCount writes n with thousands separators: 12,345.
func formatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatPctAbs writes |p| with one decimal place: "14.6".
func formatPctAbs(p float64) string {
	return strconv.FormatFloat(math.Abs(roundPct(p)), 'f', 1, 64)
}

// movement says how a figure moved: "rose by 14.6%", "fell by 3.0%",
// "were unchanged". f must have a percentage.
func movement(f Figure) string {
	switch {
	case f.Change == 0 && f.PctChange == 0:
		return "were unchanged"
	case f.PctChange > 0 && roundPct(f.PctChange) == 0:
		return "rose by less than 0.1%"
	case f.PctChange < 0 && roundPct(f.PctChange) == 0:
		return "fell by less than 0.1%"
	case f.PctChange > 0:
		return "rose by " + formatPctAbs(f.PctChange) + "%"
	}
	return "fell by " + formatPctAbs(f.PctChange) + "%"
}

func direction(f Figure) int {
	switch {
	case f.Change == 0 && f.PctChange == 0:
		return 0
	case f.PctChange > 0:
		return 1
	}
	return -1
}

// whyNoPct says why a present figure has no percentage change.
func whyNoPct(f Figure) string {
	switch {
	case !f.HasPrevious:
		return "there is no figure for a year earlier, so no percentage is given"
	case f.Previous < datasets.MinBase:
		return fmt.Sprintf("the base is under %d, so no percentage is given", datasets.MinBase)
	case f.Note != "":
		return "no percentage is given (" + strings.TrimRight(f.Note, ".") + ")"
	}
	return "no percentage is given"
}

// window is "in the 12 months to September 2018", "in the financial year
// to date (April to September 2018)", "in calendar year 2018".
func window(w datasets.Window, end datasets.Month) string {
	return "in " + w.Describe(end)
}

// countSentence is the form used when there is no percentage change.
func countSentence(p phrase, recorder string, f Figure, w datasets.Window, end datasets.Month) string {
	s := fmt.Sprintf("%s recorded %s %s", recorder, p.count(f.Count), window(w, end))
	if f.HasPrevious {
		s += fmt.Sprintf(", against %s a year earlier", formatCount(f.Previous))
	}
	return s + "; " + whyNoPct(f) + "."
}

// forceHeadline is the headline for one chosen force, compared with
// England and Wales (ew).
func forceHeadline(p phrase, force string, f, ew Figure, end datasets.Month, w datasets.Window, synthetic bool) string {
	var s string
	switch {
	case !f.Present:
		s = fmt.Sprintf("No figures for %s are available for %s.", force, w.Describe(end))
	case !f.HasPct:
		s = countSentence(p, force, f, w, end)
		switch {
		case ew.Present && ew.HasPct:
			s += " In England and Wales they " + movement(ew) + "."
		case ew.Present:
			s += fmt.Sprintf(" England and Wales recorded %s.", formatCount(ew.Count))
		default:
			s += " The England and Wales comparison is not available."
		}
	default:
		s = fmt.Sprintf("%s recorded by %s%s %s %s", p.subject, force, p.after, movement(f), window(w, end))
		switch {
		case ew.Present && ew.HasPct:
			s += ", against " + comparison(f, ew) + " in England and Wales."
		default:
			s += "; the England and Wales comparison is not available."
		}
	}
	if synthetic {
		s = SyntheticPrefix + s
	}
	return s
}

// comparison words England and Wales's change beside a force's: the bare
// percentage when both moved the same way ("41.3%"), else "a rise of 2.0%",
// "a fall of 3.0%" or "no change".
func comparison(f, ew Figure) string {
	d := direction(ew)
	switch {
	case d == 0:
		return "no change"
	case d == direction(f) && roundPct(ew.PctChange) != 0:
		return formatPctAbs(ew.PctChange) + "%"
	case roundPct(ew.PctChange) == 0 && d > 0:
		return "a rise of less than 0.1%"
	case roundPct(ew.PctChange) == 0:
		return "a fall of less than 0.1%"
	case d > 0:
		return "a rise of " + formatPctAbs(ew.PctChange) + "%"
	}
	return "a fall of " + formatPctAbs(ew.PctChange) + "%"
}

// nationalHeadline is the headline for England and Wales alone, used when
// no force is chosen.
func nationalHeadline(p phrase, ew Figure, end datasets.Month, w datasets.Window, synthetic bool) string {
	var s string
	switch {
	case !ew.Present:
		s = fmt.Sprintf("No England and Wales figures are available for %s.", w.Describe(end))
	case !ew.HasPct:
		s = countSentence(p, "The police in England and Wales", ew, w, end)
	default:
		s = fmt.Sprintf("%s recorded by the police in England and Wales%s %s %s.", p.subject, p.after, movement(ew), window(w, end))
	}
	if synthetic {
		s = SyntheticPrefix + s
	}
	return s
}
