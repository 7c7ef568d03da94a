package reports

import (
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestSPCBlockLimitsWithoutBreak(t *testing.T) {
	s := chartSection()
	s.Events = nil
	bs := spcBlocks(s)
	if len(bs) != 1 {
		t.Fatalf("got %d SPC blocks, want 1 (England and Wales has none)", len(bs))
	}
	b := bs[0]
	if b.ID != "spc_homeoffice_stalking" {
		t.Errorf("ID %q", b.ID)
	}
	// 11 months of 16 then 36: mean 212/12 = 17.667, UCL 17.667 + 3*sqrt(17.667) = 30.276, LCL 5.057.
	var want []string
	run := "Run of 11 below the centre line, January 2018 to November 2018"
	for i := range 11 {
		want = append(want, datasets.MonthOf(2018, i+1).Label()+" | 16 | 17.7 | 5.1 | 30.3 | "+run)
	}
	want = append(want, "December 2018 | 36 | 17.7 | 5.1 | 30.3 | Above the upper limit, December 2018")
	checkRows(t, "SPC table", tableText(b.Table), want)
	for _, sig := range []string{run, "Above the upper limit, December 2018"} {
		if !strings.Contains(b.Note, sig) {
			t.Errorf("note does not name %q:\n%s", sig, b.Note)
		}
	}
	o := option(t, b)
	counts := seriesNamed(t, o, "Wiltshire Police")
	data := counts["data"].([]any)
	last := data[11].(map[string]any)
	if last["symbol"] != "diamond" || last["value"] != 36.0 {
		t.Errorf("signal point = %v, want a diamond of 36", last)
	}
	ucl := seriesNamed(t, o, "Upper control limit")["data"].([]any)
	if v := ucl[0].(map[string]any)["value"]; v != 30.3 {
		t.Errorf("UCL point = %v, want 30.3", v)
	}
	if c := seriesNamed(t, o, "Centre line (mean)")["data"].([]any)[5].(map[string]any)["value"]; c != 17.7 {
		t.Errorf("centre = %v, want 17.7", c)
	}
	seriesNamed(t, o, "Lower control limit")
	if _, ok := counts["markLine"]; ok {
		t.Errorf("markLine without events: %v", counts["markLine"])
	}
	checkSafe(t, b)
}

func TestSPCBlockLimitsResetAtBreak(t *testing.T) {
	s := chartSection()
	b := spcBlocks(s)[0]
	// Break in July 2018 (index 6): January-June mean 16 (limits 4 and 28);
	// July-December mean 116/6 = 19.333, limits 6.142 and 32.524.
	rows := tableText(b.Table)
	if rows[0] != "January 2018 | 16 | 16.0 | 4.0 | 28.0 | " {
		t.Errorf("first segment row %q", rows[0])
	}
	if rows[6] != "July 2018 | 16 | 19.3 | 6.1 | 32.5 | " {
		t.Errorf("second segment row %q", rows[6])
	}
	if rows[11] != "December 2018 | 36 | 19.3 | 6.1 | 32.5 | Above the upper limit, December 2018" {
		t.Errorf("signal row %q", rows[11])
	}
	if !strings.Contains(b.Note, "The limits restart at recording-rule breaks, from July 2018.") {
		t.Errorf("note does not name the break:\n%s", b.Note)
	}
	if strings.Contains(b.Note, "Run of") {
		t.Errorf("a run crossed the break:\n%s", b.Note)
	}
	// Events: the break (dashed) and Wiltshire's own event (dotted); not
	// the Metropolitan Police's, not one before the span.
	ml := seriesNamed(t, option(t, b), "Wiltshire Police")["markLine"].(map[string]any)["data"].([]any)
	if len(ml) != 2 {
		t.Fatalf("markLines %v, want 2", ml)
	}
	for i, want := range []struct{ name, x, style string }{{"New counting rule", "2018-07", "dashed"}, {"Harassment notices withdrawn", "2018-11", "dotted"}} {
		it := ml[i].(map[string]any)
		if it["name"] != want.name || it["xAxis"] != want.x || it["lineStyle"].(map[string]any)["type"] != want.style {
			t.Errorf("markLine %d = %v, want %+v", i, it, want)
		}
	}
	if !strings.Contains(b.Note, "July 2018, recording-rule break (dashed line): New counting rule; November 2018, event (dotted line): Harassment notices withdrawn.") {
		t.Errorf("note does not list the events:\n%s", b.Note)
	}
}

func TestSPCBlockQuarterly(t *testing.T) {
	s := chartSection()
	s.Events = nil
	var ps []PeriodCount
	for q := range 4 {
		first, last := datasets.FinancialQuarter(2017, q+1)
		ps = append(ps, PeriodCount{Start: first, End: last, Count: 100})
	}
	s.Monthly = []MonthlySeries{{AreaCode: codeWiltshire, AreaName: "Wiltshire Police", Periods: ps}}
	b := spcBlocks(s)[0]
	want := []string{
		"quarter ending June 2017 | 100 | 100.0 | 70.0 | 130.0 | ",
		"quarter ending September 2017 | 100 | 100.0 | 70.0 | 130.0 | ",
		"quarter ending December 2017 | 100 | 100.0 | 70.0 | 130.0 | ",
		"quarter ending March 2018 | 100 | 100.0 | 70.0 | 130.0 | ",
	}
	checkRows(t, "quarterly SPC", tableText(b.Table), want)
	x := option(t, b)["xAxis"].([]any)[0].(map[string]any)
	if got := x["data"].([]any); got[0] != "2017-06" || got[3] != "2018-03" {
		t.Errorf("x axis %v, want quarter ends", got)
	}
	if !strings.HasPrefix(b.Note, "Quarterly counts") {
		t.Errorf("note %q", b.Note)
	}
}

func TestSPCBlockAbsent(t *testing.T) {
	s := chartSection()
	s.Monthly = s.Monthly[:1] // England and Wales only
	if bs := spcBlocks(s); len(bs) != 0 {
		t.Errorf("got %d blocks without force data", len(bs))
	}
	s.Monthly = nil
	if bs := spcBlocks(s); len(bs) != 0 {
		t.Errorf("got %d blocks without monthly data", len(bs))
	}
}

func TestSPCBlockHostileNames(t *testing.T) {
	s := chartSection()
	s.Monthly[1].AreaCode, s.Monthly[1].AreaName = "E23900001", hostile
	s.Events[0].Label = hostile
	b := spcBlocks(s)[0]
	checkSafe(t, b)
	o := option(t, b)
	seriesNamed(t, o, strings.ReplaceAll(hostile, "__f__", "__f\u200b__"))
	if !strings.Contains(b.Note, hostile) {
		t.Errorf("note lost the name: %s", b.Note)
	}
}

func TestSPCBlockGap(t *testing.T) {
	s := chartSection()
	s.Events = nil
	ps := monthlyCounts("2018-01", 10, 10, 10, 10)
	ps = append(ps[:2], ps[3:]...) // March 2018 missing
	s.Monthly = []MonthlySeries{{AreaCode: codeWiltshire, AreaName: "Wiltshire Police", Periods: ps}}
	b := spcBlocks(s)[0]
	if len(b.Table.Rows) != 3 || !strings.Contains(b.Note, " 1 period is missing and left out, not counted as zero.") {
		t.Errorf("rows %q, note %s", tableText(b.Table), b.Note)
	}
}
