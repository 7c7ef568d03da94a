package pipeline

import (
	"reflect"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func mon(t *testing.T, s string) datasets.Month {
	t.Helper()
	m, err := datasets.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func monthly(t *testing.T, source, area string, months ...string) []datasets.Coverage {
	var out []datasets.Coverage
	for _, s := range months {
		m := mon(t, s)
		out = append(out, datasets.Coverage{Source: source, AreaCode: area, Start: m, End: m})
	}
	return out
}

const (
	codeWiltshire = "E23000038"
	codeDorset    = "E23000039"
	codeGwent     = "W15000002"
)

func TestCompleteness(t *testing.T) {
	pu, ho := datasets.SourcePoliceUK, datasets.SourceHomeOffice
	var cov []datasets.Coverage
	// Wiltshire: every month of 2019-01..2019-06 but March.
	cov = append(cov, monthly(t, pu, codeWiltshire, "2019-01", "2019-02", "2019-04", "2019-05", "2019-06")...)
	// Dorset: from February. BTP and Gwent: nothing.
	cov = append(cov, monthly(t, pu, codeDorset, "2019-02", "2019-03", "2019-04", "2019-05", "2019-06")...)
	// Not a force: left out, and does not widen the span.
	cov = append(cov, monthly(t, pu, datasets.CodeEnglandWales, "2018-01")...)
	// Home Office, Dorset: Q1 and Q3 of 2018/19 (Q2 missing).
	q1a, q1b := datasets.FinancialQuarter(2018, 1)
	q3a, q3b := datasets.FinancialQuarter(2018, 3)
	cov = append(cov, datasets.Coverage{Source: ho, AreaCode: codeDorset, Start: q3a, End: q3b},
		datasets.Coverage{Source: ho, AreaCode: codeDorset, Start: q1a, End: q1b})

	rows := Completeness(cov)
	nForces := len(datasets.Forces())
	if want := nForces*9 + nForces*6; len(rows) != want {
		t.Fatalf("got %d rows, want %d (%d areas x (9 Home Office + 6 police.uk months))", len(rows), want, nForces)
	}
	// Sources sorted: homeoffice first.
	if rows[0].Source != ho || rows[len(rows)-1].Source != pu {
		t.Errorf("got sources %q first and %q last, want %q then %q", rows[0].Source, rows[len(rows)-1].Source, ho, pu)
	}
	matrix := map[string]map[string]bool{}
	for _, r := range rows {
		k := r.Source + " " + r.AreaCode
		if matrix[k] == nil {
			matrix[k] = map[string]bool{}
		}
		matrix[k][r.Month.String()] = r.Covered
	}
	for _, c := range []struct {
		name, key, month string
		want             bool
	}{
		{"force missing a month", pu + " " + codeWiltshire, "2019-03", false},
		{"force covered month", pu + " " + codeWiltshire, "2019-04", true},
		{"late start", pu + " " + codeDorset, "2019-01", false},
		{"BTP absent", pu + " " + datasets.CodeBTP, "2019-06", false},
		{"quarter covers its first month", ho + " " + codeDorset, "2018-04", true},
		{"quarter covers its middle month", ho + " " + codeDorset, "2018-11", true},
		{"missing quarter", ho + " " + codeDorset, "2018-08", false},
	} {
		got, ok := matrix[c.key][c.month]
		if !ok || got != c.want {
			t.Errorf("%s: %s %s: got covered=%v (present %v), want %v", c.name, c.key, c.month, got, ok, c.want)
		}
	}
	if _, ok := matrix[pu+" "+codeWiltshire]["2018-12"]; ok {
		t.Error("police.uk span starts before 2019-01")
	}

	sums := map[string]CompletenessSummary{}
	complete := map[string]int{}
	for _, s := range SummariseCompleteness(rows) {
		sums[s.Source+" "+s.AreaCode] = s
		if s.Complete() {
			complete[s.Source]++
		}
	}
	if got := len(sums); got != 2*nForces {
		t.Errorf("got %d summaries, want %d", got, 2*nForces)
	}
	for _, c := range []struct {
		name, key string
		want      CompletenessSummary
	}{
		{"force missing a month", pu + " " + codeWiltshire, CompletenessSummary{Source: pu, AreaCode: codeWiltshire, AreaName: "Wiltshire",
			SpanFirst: mon(t, "2019-01"), SpanLast: mon(t, "2019-06"), First: mon(t, "2019-01"), Last: mon(t, "2019-06"),
			Covered: 5, Missing: 1, Gaps: []MonthRange{{mon(t, "2019-03"), mon(t, "2019-03")}}}},
		{"late start", pu + " " + codeDorset, CompletenessSummary{Source: pu, AreaCode: codeDorset, AreaName: "Dorset",
			SpanFirst: mon(t, "2019-01"), SpanLast: mon(t, "2019-06"), First: mon(t, "2019-02"), Last: mon(t, "2019-06"),
			Covered: 5, Missing: 1, Gaps: []MonthRange{{mon(t, "2019-01"), mon(t, "2019-01")}}}},
		{"BTP absent", pu + " " + datasets.CodeBTP, CompletenessSummary{Source: pu, AreaCode: datasets.CodeBTP, AreaName: "British Transport Police",
			SpanFirst: mon(t, "2019-01"), SpanLast: mon(t, "2019-06"),
			Covered: 0, Missing: 6, Gaps: []MonthRange{{mon(t, "2019-01"), mon(t, "2019-06")}}, Absent: true}},
		{"quarterly", ho + " " + codeDorset, CompletenessSummary{Source: ho, AreaCode: codeDorset, AreaName: "Dorset",
			SpanFirst: mon(t, "2018-04"), SpanLast: mon(t, "2018-12"), First: mon(t, "2018-04"), Last: mon(t, "2018-12"),
			Covered: 6, Missing: 3, Gaps: []MonthRange{{mon(t, "2018-07"), mon(t, "2018-09")}}}},
		{"quarterly absent", ho + " " + codeGwent, CompletenessSummary{Source: ho, AreaCode: codeGwent, AreaName: "Gwent",
			SpanFirst: mon(t, "2018-04"), SpanLast: mon(t, "2018-12"),
			Covered: 0, Missing: 9, Gaps: []MonthRange{{mon(t, "2018-04"), mon(t, "2018-12")}}, Absent: true}},
	} {
		if got := sums[c.key]; !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", c.name, got, c.want)
		}
	}
	// No area is complete: every police.uk area but Wiltshire and Dorset is
	// absent, and Home Office Dorset lacks Q2.
	if complete[pu] != 0 || complete[ho] != 0 {
		t.Errorf("got complete areas %v, want none", complete)
	}
	if got, want := (MonthRange{mon(t, "2019-07"), mon(t, "2019-09")}).String(), "2019-07..2019-09"; got != want {
		t.Errorf("MonthRange.String: got %q, want %q", got, want)
	}
}

func TestCompletenessCompleteArea(t *testing.T) {
	cov := monthly(t, datasets.SourcePoliceUK, codeWiltshire, "2020-01", "2020-02")
	cov = append(cov, monthly(t, datasets.SourcePoliceUK, codeGwent, "2020-02")...)
	var complete []string
	for _, s := range SummariseCompleteness(Completeness(cov)) {
		if s.Complete() {
			complete = append(complete, s.AreaCode)
		}
	}
	if want := []string{codeWiltshire}; !reflect.DeepEqual(complete, want) {
		t.Errorf("got complete areas %v, want %v", complete, want)
	}
	if got := Completeness(nil); len(got) != 0 {
		t.Errorf("Completeness(nil): got %d rows, want 0", len(got))
	}
}
