package ons

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Footnotes: what the reader keeps and where each goes is in the package
// documentation (# Footnotes).

// maxNote is the largest footnote number read; larger numbers ("(2006)")
// are not footnotes.
const maxNote = 999

// noteRE is a numbered footnote row: the number, an optional dot, the text.
var noteRE = regexp.MustCompile(`^(\d{1,3})\.?\s+(\S.*)$`)

// footnote reads a row below the data: a numbered note is kept, white
// space collapsed and any byte that is not UTF-8 replaced (a number seen
// twice keeps both texts, in order); the source line and other unnumbered
// rows are not notes.
func (t *table) footnote(cells []string) {
	var text string
	for _, c := range cells {
		if text = cleanText(strings.ToValidUTF8(c, "\uFFFD")); text != "" {
			break
		}
	}
	m := noteRE.FindStringSubmatch(text)
	if m == nil {
		return
	}
	n, _ := strconv.Atoi(m[1])
	if n < 1 {
		return
	}
	if t.notes == nil {
		t.notes = map[int]string{}
	}
	if prev, ok := t.notes[n]; ok {
		t.notes[n] = prev + " " + m[2]
		return
	}
	t.notes[n] = m[2]
}

var (
	marksRE     = regexp.MustCompile(`^\d+(?:\s*,\s*\d+)*`)
	parenNoteRE = regexp.MustCompile(`[\p{L}.]\s*\((\d+)\)$`)            // "British Transport Police(2006)"
	innerNoteRE = regexp.MustCompile(`\p{L}(\d+(?:\s*,\s*\d+)*)\)$`)     // "(excluding fraud3)"
	trailNoteRE = regexp.MustCompile(`[\p{L})]\s*(\d+(?:\s*,\s*\d+)*)$`) // "harassment4", "WALES6,7", "(households) 6,7,9"
	gluedNoteRE = regexp.MustCompile(`\)(\d+(?:\s*,\s*\d+)*)(?:\s|$)`)   // "(mid-2017)3 rounded to 100"
	markerRE    = regexp.MustCompile(`^['‘’](\.\.|-|\+)['‘’]`)           // "'-' indicates ..."
	splitMarkRE = regexp.MustCompile(`\s*,\s*`)
)

// parseMarks reads "6,7" or "7, 8" as footnote numbers; numbers outside
// 1..maxNote are dropped.
func parseMarks(s string) []int {
	var out []int
	for _, f := range splitMarkRE.Split(strings.TrimSpace(s), -1) {
		if n, err := strconv.Atoi(f); err == nil && n >= 1 && n <= maxNote {
			out = append(out, n)
		}
	}
	return out
}

// leadingMarks reads the footnote numbers at the start of s: the rest of a
// title after its period ("1,2" of "year ending March 20191,2").
func leadingMarks(s string) []int {
	return parseMarks(marksRE.FindString(strings.TrimSpace(s)))
}

// nameMarks reads the footnote numbers glued to the end of a name or header,
// the digits datasets.StripFootnote and cleanName remove.
func nameMarks(s string) []int {
	s = cleanText(s)
	for _, re := range []*regexp.Regexp{parenNoteRE, innerNoteRE, trailNoteRE} {
		if m := re.FindStringSubmatch(s); m != nil {
			return parseMarks(m[1])
		}
	}
	return nil
}

// gluedMarks reads footnote numbers glued to a closing parenthesis inside a
// header: "Population figures (mid-2017)3 rounded to 100".
func gluedMarks(s string) []int {
	var out []int
	for _, m := range gluedNoteRE.FindAllStringSubmatch(cleanText(s), -1) {
		out = append(out, parseMarks(m[1])...)
	}
	return out
}

// noteMarker is the marker a note explains ("-" for "'-' indicates that
// the base number is fewer than 50."), or "".
func noteMarker(text string) string {
	if m := markerRE.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// noteRule says which figures of a table one of its notes bears on.
type noteRule struct {
	num    int
	text   string
	cols   map[int]bool // indexes in table.cols
	rows   map[int]bool // indexes in table.rows
	marker string       // set: the figures printed as this marker, wherever they are
}

func (r *noteRule) applies(t *table, ri, ci int) bool {
	if r.marker != "" {
		return t.rows[ri].vals[ci].marker == r.marker
	}
	return r.rows[ri] || r.cols[ci]
}

// noteRules resolves a table's notes, in number order, to what they bear
// on, and returns the numbers of those that bear on every figure of the
// table (the release's notes):
//
//   - a note whose number is on headers or area rows bears on those
//     columns and rows, and on every figure if that is all of them;
//   - otherwise, a note on the table as a whole (the title, the units
//     row, the population header) or on nothing bears on every figure,
//     except that one explaining a marker ("'-' indicates ...") bears on
//     the figures printed as that marker (every figure when there are
//     none);
//   - a note only on columns that are not read (household figures) bears
//     on nothing read and is left out.
func (t *table) noteRules() (rules []noteRule, wide []int) {
	nums := make([]int, 0, len(t.notes))
	for n := range t.notes {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for _, n := range nums {
		r := noteRule{num: n, text: t.notes[n], cols: map[int]bool{}, rows: map[int]bool{}}
		for ci, c := range t.cols {
			if slices.Contains(c.marks, n) {
				r.cols[ci] = true
			}
		}
		for ri, d := range t.rows {
			if slices.Contains(d.marks, n) {
				r.rows[ri] = true
			}
		}
		switch {
		case len(r.cols) > 0 || len(r.rows) > 0:
			if len(r.cols) == len(t.cols) || len(r.rows) == len(t.rows) {
				wide = append(wide, n)
				continue
			}
		case slices.Contains(t.unreadMarks, n) && !slices.Contains(t.wideMarks, n):
			continue
		default:
			r.marker = noteMarker(r.text)
			if r.marker == "" || !t.hasMarker(r.marker) {
				wide = append(wide, n)
				continue
			}
		}
		rules = append(rules, r)
	}
	return rules, wide
}

// hasMarker says whether any figure of the table is printed as marker m.
func (t *table) hasMarker(m string) bool {
	for _, d := range t.rows {
		for _, v := range d.vals {
			if v.marker == m {
				return true
			}
		}
	}
	return false
}

// tableNote is one note's text and the table it is in (0, 1, 2 for P1,
// P2, P3).
type tableNote struct {
	table tableKind
	text  string
}

// mergeNotes gives notes as they are shown: each distinct text once, where
// it first comes, prefixed with every table it is in: "Table P2: ...",
// "Tables P1, P2 and P3: ...".
func mergeNotes(notes []tableNote) []string {
	if len(notes) == 0 {
		return nil
	}
	var order []string
	tables := map[string][]tableKind{}
	for _, n := range notes {
		if _, ok := tables[n.text]; !ok {
			order = append(order, n.text)
		}
		if !slices.Contains(tables[n.text], n.table) {
			tables[n.text] = append(tables[n.text], n.table)
		}
	}
	out := make([]string, len(order))
	for i, text := range order {
		out[i] = tablesPrefix(tables[text]) + text
	}
	return out
}

// tablesPrefix names tables as a note's prefix: "Table P1: ", "Tables P1
// and P3: ", "Tables P1, P2 and P3: ".
func tablesPrefix(ks []tableKind) string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = strings.TrimPrefix(specs[k].sheet, "Table ")
	}
	if len(names) == 1 {
		return "Table " + names[0] + ": "
	}
	return "Tables " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + ": "
}
