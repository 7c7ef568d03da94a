package cli

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/reports"
)

func TestReadTrendsCSVRoundTrip(t *testing.T) {
	end := datasets.MonthOf(2019, 12)
	in := []datasets.Trend{
		{AreaCode: "E23000038", AreaName: "Wiltshire", Offence: "Burglary", PeriodEnd: end, Months: 12, Count: 1200,
			HasPrevious: true, Previous: 1000, Change: 200, HasPct: true, PctChange: 20, Source: "policeuk"},
		{AreaCode: "BTP", AreaName: "British Transport Police", Offence: "Burglary", PeriodEnd: end, Months: 12, Count: 30,
			Source: "policeuk", Note: "no previous window"},
	}
	var b bytes.Buffer
	if err := reports.WriteTrendsCSV(&b, in); err != nil {
		t.Fatal(err)
	}
	got, err := readTrendsCSV(&b, "trends.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []datasets.Trend{in[1], in[0]} // sorted by area code
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestReadTrendsCSVErrors(t *testing.T) {
	head := strings.Join(reports.TrendsHeader, ",") + "\n"
	for _, c := range []struct {
		name, in string
		row      int
		column   string
	}{
		{"empty", "", 1, "header"},
		{"other header", "area_code,area_name\n", 1, "header"},
		{"bad month", head + "X,x,Burglary,2019-13,12,5,,,,policeuk,\n", 2, "period_end"},
		{"bad count", head + "X,x,Burglary,2019-12,12,five,,,,policeuk,\n", 2, "count"},
		{"bad pct", head + "X,x,Burglary,2019-12,12,5,4,1,up,policeuk,\n", 2, "pct_change"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := readTrendsCSV(strings.NewReader(c.in), "prev/trends.csv")
			var re *datasets.RowError
			if !errors.As(err, &re) {
				t.Fatalf("got error %v, want a *datasets.RowError", err)
			}
			if re.File != "prev/trends.csv" || re.Row != c.row || re.Column != c.column {
				t.Errorf("got file %q row %d column %q, want prev/trends.csv row %d column %q", re.File, re.Row, re.Column, c.row, c.column)
			}
		})
	}
}

func FuzzReadTrendsCSV(f *testing.F) {
	head := strings.Join(reports.TrendsHeader, ",") + "\n"
	f.Add(head)
	f.Add(head + "E23000038,Wiltshire,Burglary,2019-12,12,1200,1000,200,20.0,policeuk,\n")
	f.Add(head + "BTP,'=x,Burglary,2019-12,12,30,,,,synthetic-policeuk,\"a, b\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := readTrendsCSV(strings.NewReader(s), "f")
		if err != nil {
			return
		}
		if n := strings.Count(s, "\n") + 1; len(got) > n {
			t.Errorf("%d trends from %d lines", len(got), n)
		}
	})
}
