package reports

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

// Sheet names of the workbook that do not depend on the data.
const (
	SheetCover          = "Cover"
	SheetComparisons    = "Comparisons"
	SheetReconciliation = "Reconciliation"
	SheetFigures        = "Figures"
	SheetNotes          = "Notes"
	SheetSources        = "Sources"
)

// maxSheetName is the longest sheet name Excel accepts, in characters.
const maxSheetName = 31

// sheetShortNames are shorter whole-word forms of offence names too long
// for a sheet name once their source is said. Each keeps the words a
// reader looks for; the sheet's title gives the name in full.
var sheetShortNames = map[string]string{
	"Total recorded crime (excluding fraud)":      "Total recorded crime",
	"All crime (excluding anti-social behaviour)": "All crime",
	"Death or serious injury - unlawful driving":  "Unlawful driving death, injury",
	"Miscellaneous crimes against society":        "Miscellaneous crimes",
	"Criminal damage and arson":                   "Damage and arson",
	"Violence and sexual offences":                "Violence and sexual",
	"Possession of weapons offences":              "Weapons offences",
}

// sheetSourceTag is how a sheet name says its offence is a data.police.uk
// category, not an official offence of the same name.
const sheetSourceTag = "police.uk "

// topicSheetName is the sheet name of a topic before it is made unique:
// its name, whole, or the short form of sheetShortNames when the name
// does not fit, with "police.uk " before a data.police.uk category.
func topicSheetName(t pipeline.Topic) string {
	tag := ""
	if t.Taxonomy == pipeline.TaxonomyPoliceUK {
		tag = sheetSourceTag
	}
	name := cleanSheetText(t.Name)
	if utf8.RuneCountInString(tag+name) > maxSheetName {
		if short, ok := sheetShortNames[t.Name]; ok {
			name = short
		}
	}
	return fitWords(tag+name, maxSheetName)
}

// completenessSheetName is "Completeness police.uk", "Completeness Home
// Office", "Completeness force extract", "Completeness ONS".
func completenessSheetName(source string) string {
	var s string
	switch source {
	case datasets.SourcePoliceUK:
		s = "police.uk"
	case datasets.SourceHomeOffice:
		s = "Home Office"
	case datasets.SourceForce:
		s = "force extract"
	case datasets.SourceONSPFA:
		s = "ONS"
	default:
		s = cleanSheetText(source)
	}
	return fitWords("Completeness "+s, maxSheetName)
}

// cleanSheetText drops the characters Excel forbids in a sheet name
// ([ ] : * ? / \), apostrophes (which would need doubling in references)
// and control characters, and collapses white space.
func cleanSheetText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\', '\'':
			return ' '
		case utf8.RuneError:
			return -1
		}
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	return strings.Join(strings.Fields(s), " ")
}

// danglingWords end a cut name badly: "Violence and" reads as cut off.
var danglingWords = map[string]bool{"and": true, "or": true, "of": true, "the": true, "with": true, "by": true,
	"from": true, "in": true, "to": true, "-": true, "&": true, "a": true}

// fitWords shortens s to at most n characters by dropping whole words
// from its end (and any word that would leave it dangling: "and", "of",
// a dash). Only a single word longer than n is cut inside.
func fitWords(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	words := strings.Fields(s)
	for len(words) > 1 {
		words = words[:len(words)-1]
		for len(words) > 1 && danglingWords[strings.ToLower(strings.Trim(words[len(words)-1], ",;"))] {
			words = words[:len(words)-1]
		}
		out := strings.TrimRight(strings.Join(words, " "), ",;-")
		if utf8.RuneCountInString(out) <= n {
			return out
		}
	}
	r := []rune(words[0])
	return string(r[:min(len(r), n)])
}

// sheetNamer gives unique sheet names: a name already taken (Excel
// compares them ignoring case) gets " 2", " 3", ... with words dropped to
// make room.
type sheetNamer struct{ taken map[string]bool }

func newSheetNamer() *sheetNamer { return &sheetNamer{taken: map[string]bool{}} }

func (n *sheetNamer) name(want string) string {
	if want == "" {
		want = "Sheet"
	}
	if strings.EqualFold(want, "History") {
		want += " sheet" // Excel reserves "History"
	}
	name := want
	for k := 2; n.taken[strings.ToLower(name)]; k++ {
		suffix := " " + strconv.Itoa(k)
		name = fitWords(want, maxSheetName-len(suffix)) + suffix
	}
	n.taken[strings.ToLower(name)] = true
	return name
}
