package datasets

import (
	"strings"
	"unicode"
)

// SourceONSPFA is the source name of figures read from the ONS Police Force
// Area data tables; each release is its own vintage (see Published.Release).
const SourceONSPFA = "ons-pfa"

// Published is one area x offence row of a statistical release as it was
// published: the count (Table P1), the percentage change on the previous
// year (P2) and the rate per 1,000 population (P3) for the 12 months ending
// PeriodEnd. Figures are kept exactly as published; a figure that was not
// published carries the marker the release printed instead.
type Published struct {
	Release   string // stable release key, e.g. "ons-pfa-2019-03" (a corrected or v2 file adds a suffix)
	File      string // the workbook it came from
	AreaCode  string // ONS code (forces, regions, England, Wales, England and Wales) or CodeBTP
	AreaName  string // as published, cleaned of footnote markers and spaces
	Offence   string // the Selector label the column resolves to, e.g. "Stalking and harassment"
	PeriodEnd Month
	Months    int // 12

	HasCount    bool
	Count       int64
	CountMarker string // when !HasCount: "..", "-", "+", a NoValueMarker, or "" (no row for the area)

	HasPct    bool
	PctChange float64 // as published, full precision
	PctMarker string  // when !HasPct: "-" (base under 50), ".." (not available), a NoValueMarker, ...

	HasRate    bool
	Rate       float64 // per 1,000 population
	RateMarker string
	Population int64 // the release's population denominator, where P3 gives it; 0 otherwise

	// Footnotes are the release's footnotes that bear on this row's
	// figures, as printed (white space collapsed), each prefixed with the
	// tables whose figures it annotates: "Table P2: '-' indicates that the
	// base number is fewer than 50.". Notes that bear on every figure of a
	// release are its ReleaseNotes instead. Nil when there are none.
	Footnotes []string
}

// ReleaseNote is a footnote of a statistical release that bears on all its
// figures ("Tables P1, P2 and P3: Police recorded crime data are not
// designated as National Statistics."), kept once per release rather than
// on every row.
type ReleaseNote struct {
	Release string // Published.Release
	Text    string // as printed, white space collapsed, prefixed with its tables
}

// A figure whose cell holds no value (an empty cell, or a formula saved
// without its result, as some tools write workbooks) is not something the
// release printed: its marker says so and where, distinct from the markers
// ONS prints ("..", "-", "+"), so that it is a missing figure with a note,
// never a published "not available".
const noValuePrefix = "no value in "

// NoValueMarker is the marker of a figure whose cell, at ref
// ("'Table P1'!E12"), holds no value; formula says it holds a formula
// without a stored result.
func NoValueMarker(ref string, formula bool) string {
	if formula {
		return noValuePrefix + ref + " (formula)"
	}
	return noValuePrefix + ref
}

// ParseNoValue reads a NoValueMarker: the cell's reference and whether it
// holds a formula; ok is false for any other marker.
func ParseNoValue(marker string) (ref string, formula, ok bool) {
	ref, ok = strings.CutPrefix(marker, noValuePrefix)
	if !ok {
		return "", false, false
	}
	ref, formula = strings.CutSuffix(ref, " (formula)")
	return ref, formula, true
}

// CellRef is a spreadsheet cell reference as Excel writes one, the sheet
// name quoted: 'Table P1'!E12.
func CellRef(sheet, cell string) string {
	plain := sheet != ""
	for _, r := range sheet {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			plain = false
		}
	}
	if plain {
		return sheet + "!" + cell
	}
	return "'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + cell
}
