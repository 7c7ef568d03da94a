package pipeline

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/ons"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

// TestAnswerBlankCellNotes: cells with no value are missing figures, named
// with what to do, one note per release and kind of cell.
func TestAnswerBlankCellNotes(t *testing.T) {
	dec19 := datasets.MonthOf(2019, 12)
	row := func(code, name, offence string, count int64, marker string) datasets.Published {
		p := datasets.Published{Release: "ons-pfa-2019-12", AreaCode: code, AreaName: name, Offence: offence,
			PeriodEnd: dec19, Months: 12, HasCount: marker == "", Count: count, HasPct: true, PctChange: 1}
		if marker != "" {
			p.Count, p.CountMarker, p.HasPct, p.PctChange, p.PctMarker = 0, marker, false, 0, ".."
		}
		return p
	}
	rows := []datasets.Published{
		row(datasets.CodeEnglandWales, "ENGLAND AND WALES", "Robbery", 70000, ""),
		row("E12000009", "South West", "Robbery", 3300, ""),
		row("E12000002", "North West", "Robbery", 9000, ""),
		row("E23000038", "Wiltshire", "Robbery", 0, datasets.NoValueMarker("'Table P1'!K56", true)),
		row("E23000037", "Gloucestershire", "Robbery", 0, datasets.NoValueMarker("'Table P1'!K55", false)),
		row("E23000005", "Greater Manchester", "Robbery", 0, ".."),
	}
	rows[2].HasPct, rows[2].PctChange, rows[2].PctMarker = false, 0, datasets.NoValueMarker("'Table P2'!K13", true)
	rep, err := Answer(context.Background(), Data{Published: rows}, Request{Forces: []string{"E23000038"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ons-pfa-2019-12: figures missing (not zero): no value in 2 of the workbook's cells: " +
			"'Table P1'!K56 (Wiltshire, Robbery: count), 'Table P2'!K13 (North West, Robbery: percentage change) " +
			"(formulas without stored results): re-save the workbook in Excel or LibreOffice, which store each formula's result, then ingest it again",
		"ons-pfa-2019-12: figures missing (not zero): no value in the workbook's cell 'Table P1'!K55 (Gloucestershire, Robbery: count) " +
			"(an empty cell where ONS prints a figure or a marker): ingest the workbook as ONS published it",
	}
	var got []string
	for _, n := range rep.Notes {
		got = append(got, n.Text)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes:\ngot  %q\nwant %q", got, want)
	}
	rob := topicByName(t, rep, "Robbery", TaxonomyOfficial)
	names := map[string]string{}
	for _, f := range rob.Areas {
		names[f.AreaCode] = f.AreaName
	}
	if names[datasets.CodeEnglandWales] != "England and Wales excluding Greater Manchester" || names["E12000009"] != "South West" ||
		names["E12000002"] != "North West excluding Greater Manchester" {
		t.Errorf("names %q: only ONS's \"..\" makes a total exclude a force", names)
	}
	if rob.Answers[0].Figure.Present {
		t.Errorf("Wiltshire has a figure %+v, want none", rob.Answers[0].Figure)
	}
}

// TestAnswerRealBlankCell takes a real ONS release, removes the value of
// Wiltshire's total count (a formula without a stored result, as tools
// other than Excel and LibreOffice write them) and checks that the
// published totals keep their labels and figures (they include Wiltshire),
// that Wiltshire's total is missing, not zero, and that a note names the
// cell and what to do.
func TestAnswerRealBlankCell(t *testing.T) {
	src := testutil.Real(t, "ons-pfa-tables", "policeforceareatablesyearendingsep18corrected.xlsx")
	f, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	sheet := ""
	for _, s := range f.GetSheetList() {
		if strings.TrimSpace(s) == "Table P1" {
			sheet = s
		}
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	cell := ""
	for i, r := range rows {
		if len(r) > 2 && r[0] == "E23000038" {
			cell = "C" + strconv.Itoa(i+1) // Total recorded crime (excluding fraud)
		}
	}
	if cell == "" {
		t.Fatal("no row for Wiltshire (E23000038) in Table P1")
	}
	if err := f.SetCellValue(sheet, cell, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellFormula(sheet, cell, "SUM(E56:Z56)"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	orig, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()
	published, err := ons.ReadPFA(context.Background(), "orig.xlsx", orig)
	if err != nil {
		t.Fatal(err)
	}
	edited, err := ons.ReadPFA(context.Background(), "edited.xlsx", bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	total := mustSelector(t, "total")
	answer := func(rows []datasets.Published) *Report {
		rep, err := Answer(context.Background(), Data{Published: rows}, Request{Forces: []string{"E23000038"},
			Offences: []datasets.Selector{total}, Period: datasets.MonthOf(2018, 9)})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	before, after := answer(published.Rows), answer(edited.Rows)
	tb, ta := before.Topics[0], after.Topics[0]
	if ta.National.AreaName != "England and Wales" || ta.National.Count != tb.National.Count || ta.National.Count == 0 {
		t.Errorf("England and Wales: %q %d, want %q %d as published", ta.National.AreaName, ta.National.Count, tb.National.AreaName, tb.National.Count)
	}
	if ta.Answers[0].Figure.Present || !tb.Answers[0].Figure.Present {
		t.Errorf("Wiltshire: before %v, after %v; want a figure before and none after", tb.Answers[0].Figure.Present, ta.Answers[0].Figure.Present)
	}
	found := false
	for _, n := range after.Notes {
		found = found || strings.Contains(n.Text, "no value in the workbook's cell 'Table P1'!"+cell+" (Wiltshire, Total recorded crime (excluding fraud): count) (a formula without a stored result): re-save the workbook")
	}
	if !found {
		t.Errorf("no note names the cell: %+v", after.Notes)
	}
}
