package pipeline

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// blankCells lists the published figures whose cells in their release's
// workbook hold no value (datasets.NoValueMarker): missing figures, not
// zeros and not ONS's own "not available", each to be re-saved.
func blankCells(rows []datasets.Published) []blankFigure {
	var out []blankFigure
	for _, p := range rows {
		name := p.AreaName
		if a, ok := datasets.AreaByCode(p.AreaCode); ok && a.Kind != datasets.KindBTP {
			name = a.Name
		}
		offence := datasets.ONSName(p.Offence)
		if ref, formula, ok := datasets.ParseNoValue(p.CountMarker); ok {
			out = append(out, blankFigure{p.Release, ref, formula, name, offence, "count"})
		}
		if ref, formula, ok := datasets.ParseNoValue(p.PctMarker); ok {
			out = append(out, blankFigure{p.Release, ref, formula, name, offence, "percentage change"})
		}
		if ref, formula, ok := datasets.ParseNoValue(p.RateMarker); ok {
			out = append(out, blankFigure{p.Release, ref, formula, name, offence, "rate"})
		}
	}
	return out
}

// blankFigure is a figure whose cell in the release's workbook holds no
// value.
type blankFigure struct {
	release, ref string
	formula      bool
	area         string
	offence      string
	what         string // "count", "percentage change"
}

// blankLimit is how many cells a note names before it counts the rest.
const blankLimit = 5

// blankNotes says, per release and kind of cell (a formula without its
// result, an empty cell), which figures are missing because their cells
// hold no value, and what to do.
func blankNotes(blanks []blankFigure) []string {
	sort.SliceStable(blanks, func(i, j int) bool {
		a, b := blanks[i], blanks[j]
		if a.release != b.release {
			return a.release < b.release
		}
		if a.formula != b.formula {
			return a.formula
		}
		return cellLess(a.ref, b.ref)
	})
	var notes []string
	for i := 0; i < len(blanks); {
		j := i
		for j < len(blanks) && blanks[j].release == blanks[i].release && blanks[j].formula == blanks[i].formula {
			j++
		}
		group := blanks[i:j]
		var cells []string
		for k, b := range group {
			if k == blankLimit {
				cells = append(cells, fmt.Sprintf("and %d more", len(group)-blankLimit))
				break
			}
			cells = append(cells, fmt.Sprintf("%s (%s, %s: %s)", b.ref, b.area, b.offence, b.what))
		}
		where := "the workbook's cell " + cells[0]
		if len(group) > 1 {
			where = fmt.Sprintf("%d of the workbook's cells: %s", len(group), strings.Join(cells, ", "))
		}
		why, fix := "a formula without a stored result", "re-save the workbook in Excel or LibreOffice, which store each formula's result, then ingest it again"
		if len(group) > 1 {
			why = "formulas without stored results"
		}
		if !group[0].formula {
			why, fix = "an empty cell where ONS prints a figure or a marker", "ingest the workbook as ONS published it"
			if len(group) > 1 {
				why = "empty cells where ONS prints a figure or a marker"
			}
		}
		notes = append(notes, fmt.Sprintf("%s: figures missing (not zero): no value in %s (%s): %s",
			group[0].release, where, why, fix))
		i = j
	}
	return notes
}

// cellLess orders cell references ("'Table P1'!E12") by sheet, row, then
// column, as a reader scans a table.
func cellLess(a, b string) bool {
	sa, ca, _ := strings.Cut(a, "!")
	sb, cb, _ := strings.Cut(b, "!")
	if sa != sb {
		return sa < sb
	}
	ra, rb := strings.TrimLeft(ca, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), strings.TrimLeft(cb, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	na, _ := strconv.Atoi(ra)
	nb, _ := strconv.Atoi(rb)
	if na != nb {
		return na < nb
	}
	if len(ca) != len(cb) {
		return len(ca) < len(cb)
	}
	return ca < cb
}
