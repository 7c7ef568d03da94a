package ons

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sheetRows is one sheet of a generated workbook: its name and rows (cell
// values as SetSheetRow takes them: strings, ints, floats).
type sheetRows struct {
	name string
	rows [][]any
}

// buildXLSX writes a workbook holding the given sheets, in order.
func buildXLSX(t testing.TB, sheets []sheetRows) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			if len(row) == 0 {
				continue
			}
			addr, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, addr, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// smallSheets is a small but complete PFA workbook in the published
// layout: England and Wales, Wiltshire (with a footnote digit glued to its
// code in P2, as in the real "E230000246") and BTP (no code; no row in P3);
// the total (its header in the group row of P1 and P2), stalking and
// harassment, and the unlawful driving column. Footnotes as in the real
// tables: numbered below the data, their numbers glued to the title, the
// units row, headers, area names; some numbers without a note, one note
// without a number on anything (P3's 1), one only on a column not read
// (P3's 4), and Wiltshire's stale "6" on its code in P2, which is not
// P2's note 6 (about England and Wales).
// Fractions have 15 significant digits: excelize writes no more.
func smallSheets() []sheetRows {
	group := []any{"", "", "Total recorded crime (excluding fraud3)", "", "Victim-based crime"}
	return []sheetRows{
		{"Notes", [][]any{{"Crime in England and Wales, year ending March 2019 - PFA tables"}}},
		{"Table P1 ", [][]any{
			{"Table P1: Police recorded crime by offence group and police force area, English regions and Wales, number of offences, year ending March 20191,2"},
			{},
			{"England and Wales"},
			group,
			{"Area Code", "Area Name", "", "", "Stalking and harassment4", "Death or serious injury - unlawful driving4"},
			{"", "", "Numbers"},
			{"K04000001", "ENGLAND AND WALES6", 5257081, "", 444054, 743},
			{"E23000038", "Wiltshire", 43246, "", 2697, 2},
			{"", "British Transport Police", 66613, "", 273, 0},
			{"Source: Home Office - Police recorded crime "},
			{"1. Police recorded crime data are not designated as National Statistics."},
			{"4. From the year ending June 2017  'Stalking and harassment' and 'Death or serious injury caused by illegal driving' offences have been removed from the violence with and without injury sub-categories and now form separate sub categories within the violence against the person category.  "},
		}},
		{"Table P2", [][]any{
			{"Table P2: Police recorded crime by offence group and police force area, English regions and Wales, percentage change, year ending March 2018 compared with year ending March 20191,2"},
			{},
			{"England and Wales"},
			group,
			{"Area Code", "Area Name", "", "", "Stalking\nand harassment", "Death or serious injury - unlawful driving"},
			{"", "", "Percentage change4,5"},
			{"K04000001", "ENGLAND AND WALES6", 7.70405013846426, "", 50.0446024301567, 0.40540540540540543},
			{"E230000386", "Wiltshire", -1.5, "", 42.2468354430380, "-"},
			{"", "British Transport Police(2006)", "..", "", 58.4507042253521, "-"},
			{"5. '-'  indicates that the base number is fewer than 50."},
			{"6. Total percentage change for England and Wales includes offences recorded by British Transport Police."},
		}},
		{"Table P3 ", [][]any{
			{"Table P3: Police recorded crime by offence group and police force area, English regions and Wales, rate of offences, year ending March 20191,2"},
			{},
			{"", "", "", "", "", "", "", "Victim-based crime"},
			{"Area Code", "Area Name", "Population figures\n (mid-2017)3  rounded to 100", "Household figures\n (mid-2017)4  rounded to 100 ", "",
				"Total recorded crime (excluding fraud5)", "", "Stalking\nand harassment", "Residential burglary\n(households)6,8"},
			{"", "", "", "", "", "Rate per 1,000 population"},
			{"K04000001", "ENGLAND AND WALES9", 58744600, 24403600, "", 89.4904629098218, "", 7.55906139109479, 12.1},
			{"E23000038", "Wiltshire ", 716400, 300000, "", 60.3657174762702, "", 3.76462508689207, 4.2},
			{},
			{"Source: Home Office - Police recorded crime "},
			{"1. Police recorded crime data are not designated as National Statistics."},
			{"3. Based on mid-2017 population estimates for England and Wales."},
			{"4. Based on 2016-based 2017 household projections for England and 2016 household estimates for Wales."},
		}},
	}
}

// edit returns a copy of sheets with the cell at (sheet, 1-based row,
// 0-based column) set to v, the row extended as needed.
func edit(sheets []sheetRows, sheet string, row, col int, v any) []sheetRows {
	out := make([]sheetRows, len(sheets))
	for i, s := range sheets {
		rows := make([][]any, len(s.rows))
		for j, r := range s.rows {
			rows[j] = append([]any(nil), r...)
		}
		out[i] = sheetRows{s.name, rows}
		if s.name != sheet {
			continue
		}
		for len(rows) < row {
			rows = append(rows, nil)
		}
		for len(rows[row-1]) <= col {
			rows[row-1] = append(rows[row-1], "")
		}
		rows[row-1][col] = v
		out[i].rows = rows
	}
	return out
}
