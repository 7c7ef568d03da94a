package reports

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// The words every output uses for the pipeline's model, so that the same
// question reads the same on a page, in the workbook and in a CSV. Numbers
// follow GOV.UK style: counts with thousands separators, percentages to one
// decimal place, "none" and the words one to nine for small counts of
// forces. Sentences say "offences recorded by the police", never "crime".

// sayCount writes n with thousands separators: "12,345", "-1".
func sayCount(n int64) string {
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

// round1 rounds to the one decimal place every output shows, without a
// negative zero.
func round1(p float64) float64 {
	r := math.Round(p*10) / 10
	if r == 0 {
		return 0
	}
	return r
}

// sayPct writes |p| with one decimal and a percent sign: "14.6%".
func sayPct(p float64) string {
	return strconv.FormatFloat(math.Abs(round1(p)), 'f', 1, 64) + "%"
}

// saySignedPct writes p with its sign: "+14.6%", "-3.6%", "0.0%" (a
// minus sign, U+2212, reads as one in every font).
func saySignedPct(p float64) string {
	r := round1(p)
	switch {
	case r > 0:
		return "+" + sayPct(r)
	case r < 0:
		return "\u2212" + sayPct(r)
	}
	return "0.0%"
}

// sayRate writes a rate per 1,000 with one decimal: "3.0".
func sayRate(r float64) string { return strconv.FormatFloat(round1(r), 'f', 1, 64) }

// sayNumber writes a small count of things as GOV.UK does: "none", "one"
// to "nine", then numerals.
func sayNumber(n int) string {
	words := []string{"none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

// sayWindow is the report's window in a sentence: "the 12 months to
// September 2018", "the financial year to date (April to September 2018)".
func sayWindow(rep *pipeline.Report) string { return rep.Window.Describe(rep.PeriodEnd) }

// sayWindowTitle is the report's window as a heading: "12 months to
// September 2018".
func sayWindowTitle(rep *pipeline.Report) string { return rep.Window.Title(rep.PeriodEnd) }

// sayWindowTotals names a kind of window's figures in a heading or
// sentence: "rolling 12-month totals", "financial year to date totals",
// "monthly counts".
func sayWindowTotals(w datasets.Window) string {
	switch w {
	case datasets.WindowFinancialYear:
		return "financial year totals"
	case datasets.WindowFYTD:
		return "financial year to date totals"
	case datasets.WindowQuarter:
		return "quarterly totals"
	case datasets.WindowCalendarYear:
		return "calendar year totals"
	case datasets.WindowMonth:
		return "monthly counts"
	}
	return "rolling 12-month totals"
}

// sayPeriodLine is the first line of a report: how its period was chosen.
func sayPeriodLine(rep *pipeline.Report) string {
	if rep.PeriodAsked {
		return fmt.Sprintf("Figures for %s, as asked.", sayWindow(rep))
	}
	return fmt.Sprintf("Figures for %s: the latest period the data covers.", sayWindow(rep))
}

// sayOffence is how a topic's name reads inside a sentence, after a count:
// "offences of stalking and harassment", "offences (excluding fraud)".
func sayOffence(t pipeline.Topic) string { return phraseFor(t.Name).plural }

// sayTopicTitle is a topic's heading: its name, with its source where it is
// a data.police.uk category ("Vehicle crime (data.police.uk)"), so that
// names of two taxonomies never share a title.
func sayTopicTitle(t pipeline.Topic) string {
	if t.Taxonomy == pipeline.TaxonomyPoliceUK {
		return t.Name + " (data.police.uk)"
	}
	return t.Name
}

// sayMove says how a figure moved, for a card: "up 14.6%", "down 3.6%",
// "no change", "up 4 (less than 0.1%)", "up 12 (base under 50: no
// percentage)". Empty without an earlier figure.
func sayMove(f pipeline.Figure) string {
	switch {
	case !f.HasPrevious:
		return ""
	case f.HasPct && f.Change == 0:
		return "no change"
	case f.HasPct && round1(f.PctChange) == 0 && f.Change > 0:
		return fmt.Sprintf("up %s (less than 0.1%%)", sayCount(f.Change))
	case f.HasPct && round1(f.PctChange) == 0:
		return fmt.Sprintf("down %s (less than 0.1%%)", sayCount(-f.Change))
	case f.HasPct && f.PctChange > 0:
		return "up " + sayPct(f.PctChange)
	case f.HasPct:
		return "down " + sayPct(f.PctChange)
	case f.Change > 0:
		return fmt.Sprintf("up %s (%s: no percentage)", sayCount(f.Change), f.PctNote)
	case f.Change < 0:
		return fmt.Sprintf("down %s (%s: no percentage)", sayCount(-f.Change), f.PctNote)
	}
	return "no change"
}

// sayMoveVerb is the movement as a verb: "rose 14.6%", "fell 3.6%", "did
// not change", "rose by 12" (no percentage).
func sayMoveVerb(f pipeline.Figure) string {
	switch {
	case !f.HasPrevious:
		return "has no figure for a year earlier"
	case f.Change == 0:
		return "did not change"
	case f.HasPct && f.PctChange > 0:
		return "rose " + sayPct(f.PctChange)
	case f.HasPct:
		return "fell " + sayPct(f.PctChange)
	case f.Change > 0:
		return "rose by " + sayCount(f.Change)
	}
	return "fell by " + sayCount(-f.Change)
}

// sayHeadline is a figure's headline sentence: "Offences of stalking and
// harassment recorded by the police in Wiltshire rose by 14.6% in the 12
// months to September 2018, to 2,182." The area is named as the figure
// names it (a like-for-like total says whom it leaves out).
func sayHeadline(t pipeline.Topic, f pipeline.Figure, rep *pipeline.Report) string {
	p := phraseFor(t.Name)
	where := "in " + f.AreaName
	if f.AreaKind == datasets.KindBTP {
		where = "by British Transport Police"
	}
	subject := fmt.Sprintf("%s recorded by the police %s%s", p.subject, where, p.after)
	win := "in " + sayWindow(rep)
	switch {
	case !f.Present || !f.HasCount:
		return fmt.Sprintf("There is no figure of %s %s %s.", p.plural, where, win)
	case !f.HasPrevious:
		return fmt.Sprintf("%s numbered %s %s; there is no figure for a year earlier to compare with.", subject, sayCount(f.Count), win)
	case f.Change == 0:
		return fmt.Sprintf("%s were unchanged %s, at %s.", subject, win, sayCount(f.Count))
	case !f.HasPct:
		dir := "rose"
		if f.Change < 0 {
			dir = "fell"
		}
		return fmt.Sprintf("%s %s from %s to %s %s (%s: no percentage is given).", subject, dir, sayCount(f.Previous), sayCount(f.Count), win, f.PctNote)
	case f.PctChange > 0:
		return fmt.Sprintf("%s rose by %s %s, to %s.", subject, sayPct(f.PctChange), win, sayCount(f.Count))
	}
	return fmt.Sprintf("%s fell by %s %s, to %s.", subject, sayPct(f.PctChange), win, sayCount(f.Count))
}

// sayInterval words a figure's verdict with its interval: "A rise larger
// than chance would give (95% interval +7.7% to +21.9%)." Empty without
// one.
func sayInterval(f pipeline.Figure) string {
	if !f.HasInterval {
		return ""
	}
	iv := fmt.Sprintf("(95%% interval %s to %s)", saySignedPct(f.Lo), saySignedPct(f.Hi))
	switch f.Verdict {
	case pipeline.VerdictRise:
		return "The rise is larger than chance alone would give " + iv + "."
	case pipeline.VerdictFall:
		return "The fall is larger than chance alone would give " + iv + "."
	}
	return "The change is within what chance alone would give " + iv + ", so the two years are about the same."
}

// sayAgainst says what the test of a force against the rest of England and
// Wales compared and found: "Wiltshire rose 14.6%, the rest of England and
// Wales 41.5%: Wiltshire's rise was smaller, and the gap is larger than
// chance would give."
func sayAgainst(a pipeline.ForceAnswer) string {
	ag := a.Against
	if !ag.OK {
		return ""
	}
	name := a.Force.Name
	rest := "the rest of England and Wales"
	if len(ag.National.LeftOut) > 0 {
		rest += " (without " + joinAnd(ag.National.LeftOut) + ")"
	}
	nat := pipeline.Figure{Present: true, HasCount: true, Count: ag.National.Count, HasPrevious: ag.National.HasPrevious,
		Previous: ag.National.Previous, Change: ag.National.Change, HasPct: ag.National.HasPct, PctChange: ag.National.PctChange}
	f := ag.Force
	lead := fmt.Sprintf("%s %s, %s %s", name, sayMoveVerb(f), rest, strings.TrimPrefix(sayMoveVerb(nat), ""))
	fUp, nUp := f.Change > 0, nat.Change > 0
	var judge string
	switch ag.Verdict {
	case pipeline.AgainstSame:
		return lead + ": the gap between the two is within what chance alone would give."
	case pipeline.AgainstHigher:
		switch {
		case fUp && nUp:
			judge = name + "'s rise was larger"
		case !fUp && !nUp:
			judge = name + "'s fall was smaller"
		default:
			judge = name + " did better than the rest"
			if fUp {
				judge = name + " rose while the rest fell"
			}
		}
	case pipeline.AgainstLower:
		switch {
		case fUp && nUp:
			judge = name + "'s rise was smaller"
		case !fUp && !nUp:
			judge = name + "'s fall was larger"
		default:
			judge = name + " fell while the rest rose"
		}
	default:
		return ""
	}
	return lead + ": " + judge + ", and the gap is larger than chance alone would give."
}

// sayRises is "31 of the 43 forces recorded a rise in offences of stalking
// and harassment in the 12 months to September 2018." ("None of the 43
// forces ..."); empty when fewer than two forces have both years.
func sayRises(t pipeline.Topic, rep *pipeline.Report) string {
	if t.Compared < 2 {
		return ""
	}
	of := fmt.Sprintf("of the %d forces with figures for both years", t.Compared)
	if t.Compared == 43 {
		of = "of the 43 forces"
	}
	lead := upperFirst(sayNumber(t.Rose)) + " " + of
	if t.Rose == t.Compared {
		lead = "All " + strings.TrimPrefix(of, "of the ")
	}
	s := fmt.Sprintf("%s recorded a rise in %s in %s", lead, sayOffence(t), sayWindow(rep))
	switch {
	case t.Fell > 0 && t.Same > 0:
		s += fmt.Sprintf("; %s recorded a fall and %s no change", sayNumber(t.Fell), sayNumber(t.Same))
	case t.Fell > 0:
		s += fmt.Sprintf("; %s recorded a fall", sayNumber(t.Fell))
	case t.Same > 0:
		s += fmt.Sprintf("; %s recorded no change", sayNumber(t.Same))
	}
	return s + "."
}

// saySource says where a figure comes from, for small type under it:
// "ONS PFA tables, year ending September 2018 (corrected). Official
// statistics (not accredited)."
func saySource(rep *pipeline.Report, f pipeline.Figure) string {
	var s string
	switch {
	case f.Release != "":
		s = releaseTitleOf(f.Release)
	default:
		s = upperFirst(pipeline.SourceName(f.Source))
	}
	s += ". " + sayStatusOf(rep, f.Source) + "."
	if f.PreviousDerived {
		s += " The year-earlier figure is derived from the published percentage change."
	}
	return s
}

// sayStatusOf is a source's statistical status ("Official statistics (not
// accredited)"), or, in a report of made-up data, that it is synthetic.
func sayStatusOf(rep *pipeline.Report, src string) string {
	if rep != nil && rep.Synthetic {
		return "Synthetic data, not real police figures"
	}
	return pipeline.SourceStatus(src)
}

// releaseTitleOf names an ONS release: "ONS PFA tables, year ending
// September 2018 (corrected)".
func releaseTitleOf(id string) string {
	rest, ok := strings.CutPrefix(id, datasets.SourceONSPFA+"-")
	if !ok || len(rest) < 7 {
		return id
	}
	m, err := datasets.ParseMonth(rest[:7])
	if err != nil {
		return id
	}
	s := "ONS PFA tables, year ending " + m.Label()
	switch suffix := strings.TrimPrefix(rest[7:], "-"); suffix {
	case "":
	case "v2":
		s += " (second version)"
	default:
		s += " (" + suffix + ")"
	}
	return s
}

// sayRank is "37th of 43" (by change), "" when not ranked.
func sayRank(rank, of int) string {
	if rank == 0 {
		return ""
	}
	return ordinal(rank) + " of " + strconv.Itoa(of)
}

// ordinal writes 1st, 2nd, 3rd, 4th, 11th, 21st...
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
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

// sayInputName is an input's name as pages and the workbook show it,
// without the folders of the analyst's machine: a path under root (the
// folder holding the dataset, where a config usually sits) relative to
// it, any other absolute path by its base name, a relative path without
// leading "../"; a file inside a .zip archive as the archive's name and
// the member's path ("2024-03.zip: 2024-03/x.csv"). Names are recorded at
// ingest, so a report run from any folder shows the same names.
func sayInputName(name, root string) string {
	outer, member, inZip := strings.Cut(name, "!")
	shown := outer
	switch {
	case filepath.IsAbs(outer):
		shown = filepath.Base(outer)
		if root != "" && filepath.IsAbs(root) {
			if rel, err := filepath.Rel(root, outer); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
				shown = filepath.ToSlash(rel)
			}
		}
	default:
		shown = filepath.ToSlash(filepath.Clean(outer))
		for strings.HasPrefix(shown, "../") {
			shown = shown[3:]
		}
	}
	if inZip {
		return shown + ": " + member
	}
	return shown
}

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
